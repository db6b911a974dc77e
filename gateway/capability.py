"""The request capability: `Authorization: Bearer <access_token>` on every call about a request.

The gateway only checks that a token was sent (401 otherwise); ingest, which keeps the hashes,
decides whether it is right, and answers a wrong token exactly as an unknown id (404).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from gateway.errors import ApiError
from voice_core.public_errors import public_message

# Named in the OpenAPI document as the security scheme of the routes that use it.
_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="accessToken",
    bearerFormat="43 URL-safe base64 characters",
    description="The access_token that POST /v1/requests returned.",
)


async def _access_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    if credentials is None or not credentials.credentials:
        raise ApiError(
            401,
            "unauthenticated",
            public_message("unauthenticated"),
            headers={"WWW-Authenticate": "Bearer"},
        )
    return credentials.credentials


AccessTokenDep = Annotated[str, Depends(_access_token)]
