"""The request id that follows a piece of work through every service.

It lives in structlog's context variables, so every log line carries it, and it is sent
as `x-request-id` metadata on every outgoing RPC.
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any

import grpc
import structlog

# The servicer context every handler receives (generic only in the type stubs).
if TYPE_CHECKING:
    Context = grpc.aio.ServicerContext[Any, Any]
else:
    Context = grpc.aio.ServicerContext

REQUEST_ID_KEY = "x-request-id"
# Accept a caller's id only if it is short and plain; otherwise make a fresh one.
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


def accept_request_id(candidate: str | None) -> str:
    """The caller's id when it is well-formed, else a new one."""
    if candidate and _VALID_REQUEST_ID.match(candidate):
        return candidate
    return new_request_id()


def bind_request_id(request_id: str, **ids: str) -> None:
    """Put the request id (and any other ids, e.g. `summary_request_id`) on every log line."""
    structlog.contextvars.bind_contextvars(request_id=request_id, **ids)


def current_request_id() -> str | None:
    value = structlog.contextvars.get_contextvars().get("request_id")
    return value if isinstance(value, str) else None
