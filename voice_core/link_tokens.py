"""Tokens that emailed links carry: random, URL-safe, and stored only as their SHA-256.

256 random bits cannot be guessed, so a lookup by hash needs no constant-time comparison: the
hash of a guess finds nothing, and a copy of the database holds nothing anyone could click.
"""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32


def new_link_token() -> str:
    """A fresh token: 43 URL-safe characters."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def link_token_hash(token: str) -> bytes:
    """What the database keeps of a token (and looks it up by)."""
    return hashlib.sha256(token.encode()).digest()
