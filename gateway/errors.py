"""The one error format of the HTTP API: `{"error": {"code", "message", "request_id"}}`.

Every failure ends here: our own `ApiError`s, FastAPI's validation errors, gRPC errors from
the services (mapped from their status and reason) and anything unexpected (a 500 whose
details stay in the log).
"""

from __future__ import annotations

import grpc
import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Route

from gateway.rate_limit import retry_after_header
from voice_core.context import current_request_id
from voice_core.errors import RemoteError, http_status_for, read_rpc_error
from voice_core.public_errors import public_message
from voice_core.vocabulary import AUTO_LANGUAGE, MAX_TERM_CHARS, MAX_TERMS

log = structlog.get_logger("gateway.errors")


class ApiError(Exception):
    """A failure the gateway itself detects."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "request_id": current_request_id()}}
    return JSONResponse(body, status_code=status, headers=headers)


_CODE_BY_HTTP_STATUS = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def _validation_message(error: RequestValidationError) -> str:
    problems = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"] if part != "body")
        problems.append(f"{where}: {problem['msg']}" if where else problem["msg"])
    return "; ".join(problems) or "invalid request"


# Reasons whose message describes the caller's own input (a field, a size, a status), written
# for the public. Any other 4xx answers with the fixed sentence of its reason, so that a
# message naming a host, a setting or a token never reaches the public.
_CALLER_INPUT_REASONS = frozenset(
    {
        "invalid_email",
        "invalid_send_at",
        "invalid_time_zone",
        "invalid_transcript",
        "invalid_filename",
        "invalid_upload",
        "empty_upload",
        "incomplete_upload",
        "unsupported_media_type",
        "payload_too_large",
        "invalid_transition",
        "invalid_vocabulary",
        "invalid_language",
        "language_unsupported",
    }
)
# A validation error only about one of these fields answers with the field's own code and a
# sentence stating its rule (rather than the schema's pattern).
_FIELD_ERRORS = {
    "vocabulary": (
        "invalid_vocabulary",
        f"vocabulary must be a list of at most {MAX_TERMS} terms of at most {MAX_TERM_CHARS}"
        " characters, without control characters (line breaks, tabs)",
    ),
    "language": (
        "invalid_language",
        f"language must be {AUTO_LANGUAGE!r} or a two-letter ISO 639-1 code such as 'de'",
    ),
}


_INVALID_EMAIL = (
    "invalid email address: give one address such as name@example.com, at most 254 characters"
)


def _body_field(location: tuple[int | str, ...]) -> int | str | None:
    """The top-level body field a validation problem is about ("vocabulary" for an item of
    it); None for anything but the body."""
    return location[1] if len(location) > 1 and location[0] == "body" else None


def _public_text(remote: RemoteError) -> str:
    if remote.reason in _CALLER_INPUT_REASONS:
        return remote.message
    log.info("upstream refused", reason=remote.reason, detail=remote.message)
    return public_message(remote.reason)


def _allowed_methods(request: Request) -> str:
    """Every method the path takes. Starlette's own Allow names only the first route that
    matched the path, though several (GET and DELETE of a request) may share it."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, Route) and route.methods:
            match, _ = route.matches({**request.scope, "method": "__none__"})
            if match is not Match.NONE:
                methods |= route.methods
    return ", ".join(sorted(methods))


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, error: ApiError) -> JSONResponse:
        return error_response(error.status, error.code, error.message, error.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, error: RequestValidationError) -> JSONResponse:
        if any(problem["type"] == "json_invalid" for problem in error.errors()):
            return error_response(400, "malformed_json", "the request body is not valid JSON")
        problems = error.errors()
        fields = {_body_field(problem["loc"]) for problem in problems}
        if fields == {"email"}:
            # The same code as ingest's check, whichever of the two refused the address.
            return error_response(422, "invalid_email", _INVALID_EMAIL)
        if len(fields) == 1 and (field := fields.pop()) in _FIELD_ERRORS:
            return error_response(422, *_FIELD_ERRORS[field])
        return error_response(422, "validation_error", _validation_message(error))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = _CODE_BY_HTTP_STATUS.get(error.status_code, "http_error")
        headers = dict(error.headers) if error.headers else None
        if error.status_code == 405:
            headers = {**(headers or {}), "Allow": _allowed_methods(request)}
        return error_response(error.status_code, code, str(error.detail), headers)

    @app.exception_handler(grpc.aio.AioRpcError)
    async def _rpc(_: Request, error: grpc.aio.AioRpcError) -> JSONResponse:
        remote = read_rpc_error(error)
        status = http_status_for(remote)
        # A service that says when to try again (a full spool, busy upload slots) is heard.
        headers = None
        if remote.retry_after_s is not None:
            headers = {"Retry-After": retry_after_header(remote.retry_after_s)}
        reason = remote.reason
        if remote.code is grpc.StatusCode.UNAUTHENTICATED:
            # The gateway's own credential was refused (INTERNAL_AUTH_TOKEN differs): our
            # fault, not the caller's, and its message names a setting.
            log.error("ingest refused the internal token", detail=remote.message)
            status, reason = 503, "service_unavailable"
        if status >= 500:
            log.warning(
                "upstream failed",
                code=remote.code.name,
                reason=remote.reason,
                detail=remote.message,
            )
            if remote.code is grpc.StatusCode.INTERNAL:
                return error_response(status, "internal_error", "internal error", headers)
            return error_response(status, reason, public_message("service_unavailable"), headers)
        return error_response(status, remote.reason, _public_text(remote), headers)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return error_response(500, "internal_error", "internal error")
