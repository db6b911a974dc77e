"""Capability tokens: the accountless credential of an upload or a summary request.

A token is 32 random bytes, URL-safe base64 (43 characters); only its SHA-256 is stored. A
request may hold several (its creator's, one per email link), so a check compares the
presented token with each stored hash in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the gateway uses this module and has no database driver
    from psycopg import AsyncConnection

TOKEN_BYTES = 32
# What a token looks like: the public API states this shape in its OpenAPI document.
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{43}$"  # noqa: S105 (a shape, not a secret)
_TOKEN = re.compile(TOKEN_PATTERN)


def new_token() -> str:
    """A fresh token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def derived_token(parent_token: str, summary_request_id: uuid.UUID) -> str:
    """A token for one request made from another token (a "my notes" link's): the same link
    always gives the same token, so listing a page again adds no capability. Unguessable
    without the parent token, and the parent cannot be recovered from it (HMAC-SHA256)."""
    digest = hmac.new(parent_token.encode(), summary_request_id.bytes, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_hash(token: str) -> bytes:
    """What is stored of a token."""
    return hashlib.sha256(token.encode()).digest()


def matches(token: str, stored_hashes: Iterable[bytes | None]) -> bool:
    """Whether `token` is one of the stored ones. Every hash is compared, each in constant
    time, so the time taken says nothing about which bytes were right."""
    presented = token_hash(token) if _TOKEN.match(token) else b"\x00" * 32
    found = False
    for stored in stored_hashes:
        if stored is not None and hmac.compare_digest(presented, bytes(stored)):
            found = True
    return found and bool(_TOKEN.match(token))


async def mint_request_capability(
    connection: AsyncConnection[Any],
    summary_request_id: uuid.UUID,
    purpose: str,
    *,
    token: str | None = None,
    expires_at: datetime | None = None,
) -> str:
    """Give a live request one more capability (e.g. for the link in its email), a new token
    unless `token` is given, valid until `expires_at` (None: as long as the request), and
    return the token; only its hash is stored. Raises `psycopg.errors.NoDataFound` if the
    request is unknown or deleted."""
    token = token or new_token()
    await connection.execute(
        "SELECT add_request_capability(%s, %s, %s, %s)",
        [summary_request_id, token_hash(token), purpose, expires_at],
    )
    return token
