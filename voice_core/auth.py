"""Internal authentication: a shared secret on every gRPC call, checked in constant time.

Servers install `TokenAuthInterceptor`; clients get `TokenClientInterceptor` through
`voice_core.grpc_client.open_channel`, which also forwards the current request id. Health
checks stay open so that orchestrators can probe without the secret.
"""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

import grpc

from voice_core.context import REQUEST_ID_KEY, current_request_id

if TYPE_CHECKING:
    Handler = grpc.RpcMethodHandler[Any, Any]

AUTHORIZATION_KEY = "authorization"
_OPEN_PREFIX = "/grpc.health.v1.Health/"


def _denying(handler: Handler, message: str) -> Handler:
    """A handler of the same kind as `handler` that rejects the call."""

    async def deny(_request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> None:
        await context.abort(grpc.StatusCode.UNAUTHENTICATED, message)

    async def deny_stream(
        _request: Any, context: grpc.aio.ServicerContext[Any, Any]
    ) -> AsyncIterator[Any]:
        await context.abort(grpc.StatusCode.UNAUTHENTICATED, message)
        yield  # never reached: makes this an async generator, as streaming handlers are

    codecs = {
        "request_deserializer": handler.request_deserializer,
        "response_serializer": handler.response_serializer,
    }
    if handler.unary_unary:
        return grpc.unary_unary_rpc_method_handler(deny, **codecs)
    if handler.stream_unary:
        return grpc.stream_unary_rpc_method_handler(deny, **codecs)
    if handler.unary_stream:
        return grpc.unary_stream_rpc_method_handler(deny_stream, **codecs)
    return grpc.stream_stream_rpc_method_handler(deny_stream, **codecs)


class TokenAuthInterceptor(grpc.aio.ServerInterceptor):
    """Reject calls whose `authorization: Bearer <token>` is missing or wrong."""

    def __init__(self, token: str) -> None:
        self._expected = f"Bearer {token}".encode()

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[Handler | None]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> Handler | None:
        handler = await continuation(handler_call_details)
        method: str = handler_call_details.method
        if handler is None or method.startswith(_OPEN_PREFIX):
            return handler
        given = dict(handler_call_details.invocation_metadata or ()).get(AUTHORIZATION_KEY)
        if not isinstance(given, str):
            return _denying(handler, "this service needs the internal auth token")
        if not hmac.compare_digest(given.encode(), self._expected):
            return _denying(handler, "the internal auth token is wrong")
        return handler


class _ClientMetadata:
    """Adds the auth token and the current request id to every outgoing call."""

    def __init__(self, token: str) -> None:
        self._token = token

    def _details(self, details: grpc.aio.ClientCallDetails) -> grpc.aio.ClientCallDetails:
        metadata = grpc.aio.Metadata(*(details.metadata or ()))
        if self._token:
            metadata[AUTHORIZATION_KEY] = f"Bearer {self._token}"
        if not metadata.get_all(REQUEST_ID_KEY) and (request_id := current_request_id()):
            metadata[REQUEST_ID_KEY] = request_id
        return details._replace(metadata=metadata)  # type: ignore[attr-defined,no-any-return]


class _UnaryUnary(_ClientMetadata, grpc.aio.UnaryUnaryClientInterceptor):
    async def intercept_unary_unary(self, continuation: Any, details: Any, request: Any) -> Any:
        return await continuation(self._details(details), request)


class _UnaryStream(_ClientMetadata, grpc.aio.UnaryStreamClientInterceptor):
    async def intercept_unary_stream(self, continuation: Any, details: Any, request: Any) -> Any:
        return await continuation(self._details(details), request)


class _StreamUnary(_ClientMetadata, grpc.aio.StreamUnaryClientInterceptor):
    async def intercept_stream_unary(
        self, continuation: Any, details: Any, request_iterator: Any
    ) -> Any:
        return await continuation(self._details(details), request_iterator)


class _StreamStream(_ClientMetadata, grpc.aio.StreamStreamClientInterceptor):
    async def intercept_stream_stream(
        self, continuation: Any, details: Any, request_iterator: Any
    ) -> Any:
        return await continuation(self._details(details), request_iterator)


def client_interceptors(token: str) -> list[grpc.aio.ClientInterceptor]:
    """One interceptor per call kind (grpc.aio dispatches on the interceptor's class)."""
    return [_UnaryUnary(token), _UnaryStream(token), _StreamUnary(token), _StreamStream(token)]
