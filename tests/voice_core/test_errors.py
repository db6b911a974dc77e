"""gRPC errors carry a reason across the wire; the gateway maps them to HTTP statuses."""

from __future__ import annotations

import grpc

from voice_core.errors import RemoteError, http_status_for, invalid_argument, not_found


def test_reason_decides_over_code_where_http_is_more_precise() -> None:
    not_audio = RemoteError(grpc.StatusCode.INVALID_ARGUMENT, "unsupported_media_type", "")
    too_big = RemoteError(grpc.StatusCode.INVALID_ARGUMENT, "payload_too_large", "")
    bad_email = RemoteError(grpc.StatusCode.INVALID_ARGUMENT, "invalid_email", "")
    assert http_status_for(not_audio) == 415
    assert http_status_for(too_big) == 413
    assert http_status_for(bad_email) == 422


def test_codes_map_like_google_apis() -> None:
    cases = {
        grpc.StatusCode.INVALID_ARGUMENT: 400,
        grpc.StatusCode.NOT_FOUND: 404,
        grpc.StatusCode.FAILED_PRECONDITION: 409,
        grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
        grpc.StatusCode.UNAVAILABLE: 503,
        grpc.StatusCode.DEADLINE_EXCEEDED: 504,
        grpc.StatusCode.INTERNAL: 500,
        grpc.StatusCode.DATA_LOSS: 500,
    }
    for code, status in cases.items():
        assert http_status_for(RemoteError(code, code.name.lower(), "")) == status


def test_status_carries_code_message_and_reason_detail() -> None:
    status = not_found("audio_not_found", "no audio with id x").to_status()
    assert status.code is grpc.StatusCode.NOT_FOUND
    assert status.details == "no audio with id x"
    keys = [key for key, _ in status.trailing_metadata]
    assert keys == ["grpc-status-details-bin"]
    assert invalid_argument("r", "m").code is grpc.StatusCode.INVALID_ARGUMENT
