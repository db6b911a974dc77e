"""The server interceptor every service installs.

For each RPC it binds the caller's `x-request-id` (or a fresh one) into structlog's context,
logs the outcome with its duration, and turns a raised `ServiceError` into a rich gRPC status.
Anything else becomes INTERNAL with a generic message: details go to the log, never to the caller.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any, NoReturn

import grpc
import structlog

from voice_core.context import REQUEST_ID_KEY, Context, accept_request_id, bind_request_id
from voice_core.errors import ServiceError
from voice_core.metrics import observe_rpc

log = structlog.get_logger("voice_core.rpc")

if TYPE_CHECKING:
    Handler = grpc.RpcMethodHandler[Any, Any]
# Probes call these constantly; wrapping them would only add noise to the logs.
_UNLOGGED_PREFIXES = ("/grpc.health.v1.Health/", "/grpc.reflection.")


# Library exceptions that mean something a caller can act on, e.g. "database unavailable".
_TRANSLATIONS: list[tuple[type[Exception], Callable[[Exception], ServiceError]]] = []


def translate_errors(error_type: type[Exception], to: Callable[[Exception], ServiceError]) -> None:
    """Report `error_type` raised by any handler as the ServiceError `to` makes of it."""
    _TRANSLATIONS.append((error_type, to))


async def _abort(context: Context, error: Exception, method: str) -> NoReturn:
    for error_type, translate in _TRANSLATIONS:
        if isinstance(error, error_type):
            log.warning("rpc failed", method=method, error=str(error))
            error = translate(error)
            break
    if isinstance(error, ServiceError):
        status = error.to_status()
        # The "rpc finished" line that follows carries the reason.
        structlog.contextvars.bind_contextvars(reason=error.reason)
        await context.abort(status.code, status.details, status.trailing_metadata)
    log.exception("rpc crashed", method=method)
    await context.abort(grpc.StatusCode.INTERNAL, "internal error; see the service log")
    raise AssertionError("context.abort returns only by raising")


def _start(method: str, metadata: Any) -> float:
    request_id = dict(metadata or ()).get(REQUEST_ID_KEY)
    structlog.contextvars.clear_contextvars()
    bind_request_id(accept_request_id(request_id if isinstance(request_id, str) else None))
    return time.perf_counter()


def _finish(method: str, started: float, context: Context) -> None:
    # A call the client gave up on has no code of its own yet.
    code = grpc.StatusCode.CANCELLED if context.cancelled() else context.code()
    code = code or grpc.StatusCode.OK
    name = code.name if isinstance(code, grpc.StatusCode) else str(code)
    elapsed_s = time.perf_counter() - started
    observe_rpc(method, name, elapsed_s)
    log.info("rpc finished", method=method, code=name, duration_ms=round(elapsed_s * 1000, 2))


def _wrap_returning(
    behavior: Callable[[Any, Context], Awaitable[Any]], method: str
) -> Callable[[Any, Context], Awaitable[Any]]:
    async def wrapped(request: Any, context: Context) -> Any:
        started = _start(method, context.invocation_metadata())
        try:
            return await behavior(request, context)
        except grpc.aio.AbortError:
            raise
        except Exception as error:
            await _abort(context, error, method)
        finally:
            _finish(method, started, context)

    return wrapped


def _wrap_streaming(
    behavior: Callable[[Any, Context], AsyncIterator[Any]], method: str
) -> Callable[[Any, Context], AsyncIterator[Any]]:
    async def wrapped(request: Any, context: Context) -> AsyncIterator[Any]:
        started = _start(method, context.invocation_metadata())
        try:
            async for response in behavior(request, context):
                yield response
        except grpc.aio.AbortError:
            raise
        except Exception as error:
            await _abort(context, error, method)
        finally:
            _finish(method, started, context)

    return wrapped


class RequestContextInterceptor(grpc.aio.ServerInterceptor):
    """Request id, outcome logging and error mapping for every RPC."""

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[Handler | None]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> Handler | None:
        handler: Any = await continuation(handler_call_details)
        method: str = handler_call_details.method
        if handler is None or method.startswith(_UNLOGGED_PREFIXES):
            return handler  # type: ignore[no-any-return]
        codecs = {
            "request_deserializer": handler.request_deserializer,
            "response_serializer": handler.response_serializer,
        }
        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(
                _wrap_returning(handler.unary_unary, method), **codecs
            )
        if handler.stream_unary:
            return grpc.stream_unary_rpc_method_handler(
                _wrap_returning(handler.stream_unary, method), **codecs
            )
        if handler.unary_stream:
            return grpc.unary_stream_rpc_method_handler(
                _wrap_streaming(handler.unary_stream, method), **codecs
            )
        return grpc.stream_stream_rpc_method_handler(
            _wrap_streaming(handler.stream_stream, method), **codecs
        )
