"""What Supabase Storage's answers mean, read the way storage-api sends them.

storage-api answers an error with HTTP 400 (500 for its own faults) and the real status, as a
string, with a stable `code` in the body: `{"statusCode": "404", "code": "NoSuchKey", "error":
"not_found", "message": "Object not found"}`. The `code` is what to decide on; the HTTP status
says almost nothing. Two answers have no `code`: a route the server does not have (a plain
HTTP 404 `Route GET:/… not found`: SUPABASE_URL has a wrong path) and hosted Supabase's API
gateway refusing an unknown `apikey` (HTTP 401) before Storage sees the call.

storage3 keeps only the body's `error` and `statusCode`; the response it failed on is the
`HTTPStatusError` its `StorageApiError` is raised from, and the `code` is read from there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import grpc
import httpx
from storage3.exceptions import StorageApiError

from voice_core.errors import ServiceError

# storage-api's own check (`isValidKey`): S3-safe characters only, ASCII letters and digits.
_VALID_KEY = re.compile(r"^[A-Za-z0-9_/!\-.*'() &$@=;:+,?]+$")
_KEY_REJECTED_CODES = {"AccessDenied", "InvalidJWT", "InvalidSignature"}


@dataclass(frozen=True)
class StorageFailure:
    """One error answer: the HTTP status, the body's status and code, and its message."""

    http_status: int
    status: str
    code: str
    message: str

    @property
    def key_rejected(self) -> bool:
        # HTTP 401/403 only ever come from an API gateway in front of Storage.
        return self.code in _KEY_REJECTED_CODES or self.http_status in (401, 403)

    @property
    def route_missing(self) -> bool:
        return self.http_status == httpx.codes.NOT_FOUND and not self.code

    @property
    def server_fault(self) -> bool:
        return self.http_status >= httpx.codes.INTERNAL_SERVER_ERROR or self.status.startswith("5")

    def describe(self) -> str:
        return f"{self.status} {self.code or 'no code'}: {self.message}"


def failure_of_response(response: httpx.Response) -> StorageFailure:
    """Read an error answer; anything unreadable keeps at least its HTTP status."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        text = response.text[:200] or response.reason_phrase
        return StorageFailure(response.status_code, str(response.status_code), "", text)
    return StorageFailure(
        http_status=response.status_code,
        status=str(body.get("statusCode", response.status_code)),
        code=str(body.get("code") or ""),
        message=str(body.get("message") or body.get("error") or response.reason_phrase),
    )


def failure_of(error: StorageApiError) -> StorageFailure:
    """The answer a storage3 error was made from, `code` included."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, httpx.HTTPStatusError):
            return failure_of_response(cause.response)
        cause = cause.__cause__ or cause.__context__
    status = str(error.status)
    return StorageFailure(int(status) if status.isdigit() else 0, status, "", error.message)


def storage_key(object_path: str) -> str:
    """The key Storage stores an object path under, checked before anything is sent.

    Empty segments are dropped, as storage3 drops them on upload, so that reads ask for the
    object uploads stored; a key Storage would refuse (or storage3 raise ValueError for) is
    refused here, for good: the same key fails the same way every time.
    """
    segments = [segment for segment in object_path.split("/") if segment]
    key = "/".join(segments)
    if not key or "." in segments or ".." in segments or not _VALID_KEY.match(key):
        raise ServiceError(
            grpc.StatusCode.FAILED_PRECONDITION,
            "storage_invalid_key",
            f"{object_path!r} is not a key Supabase Storage accepts (S3-safe ASCII characters,"
            " no '.' or '..' segments)",
        )
    return key
