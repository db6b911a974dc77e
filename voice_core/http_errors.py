"""How an httpx failure reads, for services that call SaaS APIs (Supabase Storage, Mailjet).

Kept apart from the rest of the kit: only services installed with httpx import it.
"""

from __future__ import annotations

import httpx

# Failures before a single byte of the request could reach the server: nothing can have been
# stored or sent, so trying again cannot make a duplicate.
NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def describe_http_error(error: Exception) -> str:
    """`ReadTimeout: timed out`, or the bare type name when the error has no text."""
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
