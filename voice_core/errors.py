"""Errors shared by every service, and how they cross gRPC and HTTP.

A handler raises `ServiceError(code, reason, message)`; the server interceptor turns it into a
gRPC status carrying a `google.rpc.ErrorInfo` with the `reason` (AIP-193 style), so a caller can
tell "audio_not_found" from "request_not_found" without parsing messages. A transient error may
also say when to try again (`google.rpc.RetryInfo`), e.g. when an email provider asked us to wait.
The gateway maps the status back to an HTTP status and the `{"error": {...}}` body.
"""

from __future__ import annotations

from dataclasses import dataclass

import grpc
from google.protobuf import any_pb2, duration_pb2
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

ERROR_DOMAIN = "voice-agent"


class ServiceError(Exception):
    """An expected failure with a gRPC code, a stable snake_case reason and a human message.

    `retry_after_s`, when set, tells the caller how long to wait before trying again.
    """

    def __init__(
        self,
        code: grpc.StatusCode,
        reason: str,
        message: str,
        *,
        retry_after_s: float | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.retry_after_s = retry_after_s

    def to_status(self) -> grpc.Status:
        """The rich gRPC status for this error (code, message, ErrorInfo and RetryInfo details)."""
        details = [_packed(error_details_pb2.ErrorInfo(reason=self.reason, domain=ERROR_DOMAIN))]
        if self.retry_after_s is not None:
            delay = duration_pb2.Duration()
            delay.FromNanoseconds(round(max(self.retry_after_s, 0.0) * 1e9))
            details.append(_packed(error_details_pb2.RetryInfo(retry_delay=delay)))
        status: grpc.Status = rpc_status.to_status(
            status_pb2.Status(code=self.code.value[0], message=self.message, details=details)
        )
        return status


def _packed(message: error_details_pb2.ErrorInfo | error_details_pb2.RetryInfo) -> any_pb2.Any:
    detail = any_pb2.Any()
    detail.Pack(message)
    return detail


def invalid_argument(reason: str, message: str) -> ServiceError:
    return ServiceError(grpc.StatusCode.INVALID_ARGUMENT, reason, message)


def not_found(reason: str, message: str) -> ServiceError:
    return ServiceError(grpc.StatusCode.NOT_FOUND, reason, message)


def permission_denied(reason: str, message: str) -> ServiceError:
    return ServiceError(grpc.StatusCode.PERMISSION_DENIED, reason, message)


def failed_precondition(reason: str, message: str) -> ServiceError:
    return ServiceError(grpc.StatusCode.FAILED_PRECONDITION, reason, message)


def unavailable(reason: str, message: str, *, retry_after_s: float | None = None) -> ServiceError:
    return ServiceError(grpc.StatusCode.UNAVAILABLE, reason, message, retry_after_s=retry_after_s)


@dataclass(frozen=True)
class RemoteError:
    """What a caller learns from a failed RPC."""

    code: grpc.StatusCode
    reason: str
    message: str
    # How long the server asked us to wait before trying again, if it said.
    retry_after_s: float | None = None


def read_rpc_error(error: grpc.aio.AioRpcError) -> RemoteError:
    """Decode an RPC failure; the reason falls back to the lower-case status name."""
    code = error.code()
    message = error.details() or code.name.lower().replace("_", " ")
    reason = code.name.lower()
    retry_after_s = None
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin" and isinstance(value, bytes):
            status = status_pb2.Status.FromString(value)
            for detail in status.details:
                info = error_details_pb2.ErrorInfo()
                retry = error_details_pb2.RetryInfo()
                if detail.Unpack(info) and info.reason:
                    reason = info.reason
                elif detail.Unpack(retry):
                    retry_after_s = retry.retry_delay.ToNanoseconds() / 1e9
    return RemoteError(code=code, reason=reason, message=message, retry_after_s=retry_after_s)


# gRPC status → HTTP status, after Google's own mapping (google.rpc.Code documentation).
HTTP_STATUS_BY_GRPC_CODE: dict[grpc.StatusCode, int] = {
    grpc.StatusCode.OK: 200,
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.OUT_OF_RANGE: 400,
    grpc.StatusCode.FAILED_PRECONDITION: 409,
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.CANCELLED: 499,
    grpc.StatusCode.UNIMPLEMENTED: 501,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
}

# Reasons whose HTTP status is more precise than their gRPC code's.
HTTP_STATUS_BY_REASON: dict[str, int] = {
    "unsupported_media_type": 415,
    "payload_too_large": 413,
    "invalid_email": 422,
    "invalid_send_at": 422,
    "invalid_time_zone": 422,
    "invalid_transcript": 422,
    "invalid_filename": 422,
    "invalid_webhook_url": 422,
    "webhooks_not_configured": 422,
}


def http_status_for(error: RemoteError) -> int:
    """The HTTP status a gateway answers for a failed RPC; unknown codes are 500."""
    return HTTP_STATUS_BY_REASON.get(error.reason, HTTP_STATUS_BY_GRPC_CODE.get(error.code, 500))
