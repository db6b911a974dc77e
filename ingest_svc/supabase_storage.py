"""Audio in a private Supabase Storage bucket.

Writes and the start-up check go through the official client (`supabase`, whose storage client
is storage3): uploads never overwrite (`x-upsert: false`) and carry the sniffed content type.
Reads stream instead: storage3 can only download a whole object into memory, so `read` asks the
same REST endpoint (`GET /storage/v1/object/{bucket}/{path}`) through the same pooled httpx
client, with the same service-role headers, and yields the body in chunks.

Supabase Storage answers most errors with HTTP 400 and the real status in the body
(`{"statusCode": "404", "error": "Bucket not found", "message": ...}`); errors are read from
that. An upload whose answer never came may still have stored the object: it is removed again,
so no object outlives a failed upload (if even that fails, the log names it for the sweep in
docs/supabase-mailjet.md).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote

import grpc
import httpx
import structlog
from storage3 import AsyncStorageClient
from storage3.exceptions import StorageApiError
from supabase import AsyncClientOptions, acreate_client

from voice_core.chunks import CHUNK_BYTES
from voice_core.errors import ServiceError, invalid_argument, not_found, unavailable

log = structlog.get_logger("ingest_svc.storage")

# Per network operation, not per request: a large upload may take longer than this in total.
_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
# Failures before the request could reach Storage: nothing can have been stored.
_NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_REJECTED_KEY_ERRORS = {"InvalidJWT", "Unauthorized", "AccessDenied", "InvalidSignature"}


def _status(error: StorageApiError) -> str:
    return str(error.status)


def _key_rejected(error: StorageApiError) -> bool:
    return _status(error) in ("401", "403") or error.code in _REJECTED_KEY_ERRORS


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _logged(error: ServiceError) -> ServiceError:
    """The start-up failure, also logged on one line that says what to fix."""
    log.error("storage check failed", reason=error.reason, error=error.message)
    return error


class SupabaseStorage:
    """A private Supabase Storage bucket, reached with the service-role key."""

    backend = "supabase"

    def __init__(self, url: str, service_role_key: str, bucket: str, spool_dir: Path) -> None:
        self._url = url.rstrip("/")
        self._key = service_role_key
        self._bucket = bucket
        self.spool_dir = spool_dir
        self._http = httpx.AsyncClient(
            headers={"apikey": service_role_key, "Authorization": f"Bearer {service_role_key}"},
            timeout=_TIMEOUT,
        )
        self._storage: AsyncStorageClient | None = None
        self.max_object_bytes: int | None = None

    async def check(self) -> None:
        """Read the bucket: a wrong key or a missing bucket fails here, saying which."""
        await asyncio.to_thread(self.spool_dir.mkdir, parents=True, exist_ok=True)
        options = AsyncClientOptions(httpx_client=self._http)
        client = await acreate_client(self._url, self._key, options=options)
        try:
            bucket = await client.storage.get_bucket(self._bucket)
        except StorageApiError as error:
            raise _logged(self._startup_error(error)) from None
        except httpx.HTTPError as error:
            unreachable = unavailable(
                "storage_unreachable",
                f"Supabase at SUPABASE_URL={self._url} is unreachable: {_describe(error)}",
            )
            raise _logged(unreachable) from None
        if bucket.public:
            log.warning("the audio bucket is public: make it private", bucket=self._bucket)
        self._storage = client.storage

    def _startup_error(self, error: StorageApiError) -> ServiceError:
        if _key_rejected(error):
            return unavailable(
                "storage_key_rejected",
                f"Supabase refused SUPABASE_SERVICE_ROLE_KEY ({error.message}): use the project's"
                " service_role key (Project Settings → API keys), for the project at SUPABASE_URL",
            )
        if _status(error) == "404":
            return unavailable(
                "storage_bucket_missing",
                f"Supabase Storage has no bucket {self._bucket!r} this key can see: create a"
                f" private bucket named exactly {self._bucket!r} (Storage → New bucket), and check"
                " that SUPABASE_SERVICE_ROLE_KEY is the service_role key (no other key can see a"
                " private bucket)",
            )
        return unavailable(
            "storage_unavailable",
            f"Supabase Storage failed at start: {_status(error)} {error.code}: {error.message}",
        )

    def _client(self) -> AsyncStorageClient:
        if self._storage is None:
            raise RuntimeError("storage used before check()")
        return self._storage

    async def put(self, spooled: Path, object_path: str, content_type: str) -> None:
        try:
            await (
                self._client()
                .from_(self._bucket)
                .upload(object_path, spooled, {"content-type": content_type, "upsert": "false"})
            )
        except StorageApiError as error:
            if not _status(error).startswith("4"):  # a server fault, not a refusal
                await self.delete(object_path)
            raise _upload_error(object_path, error) from None
        except httpx.HTTPError as error:
            # Unless it never got through, the object may be stored even though no answer came.
            if not isinstance(error, _NOT_SENT_ERRORS):
                await self.delete(object_path)
            raise unavailable(
                "storage_unavailable", f"storing the audio failed: {_describe(error)}"
            ) from None
        finally:
            await asyncio.to_thread(spooled.unlink, missing_ok=True)

    async def read(self, object_path: str) -> AsyncIterator[bytes]:
        url = f"{self._url}/storage/v1/object/{quote(self._bucket)}/{quote(object_path)}"
        try:
            async with self._http.stream("GET", url) as response:
                if response.status_code != httpx.codes.OK:
                    await response.aread()
                    raise _read_error(object_path, response)
                async for chunk in response.aiter_bytes(CHUNK_BYTES):
                    yield chunk
        except httpx.HTTPError as error:
            raise unavailable(
                "storage_unavailable", f"reading the audio failed: {_describe(error)}"
            ) from None

    async def delete(self, object_path: str) -> None:
        """Remove an object, best effort: a failure is logged for the orphan sweep."""
        try:
            await self._client().from_(self._bucket).remove([object_path])
        except (StorageApiError, httpx.HTTPError) as error:
            log.warning("orphan audio object left", path=object_path, error=_describe(error))

    async def close(self) -> None:
        await self._http.aclose()


def _upload_error(object_path: str, error: StorageApiError) -> ServiceError:
    if _status(error) == "409":
        return ServiceError(
            grpc.StatusCode.ALREADY_EXISTS,
            "storage_object_exists",
            f"an object is already stored at {object_path}; objects are never replaced",
        )
    if _status(error) == "413":
        return invalid_argument(
            "payload_too_large",
            f"the file is larger than the storage bucket accepts ({error.message})",
        )
    return unavailable(
        "storage_unavailable",
        f"Supabase Storage refused the upload: {_status(error)} {error.message}",
    )


def _read_error(object_path: str, response: httpx.Response) -> ServiceError:
    try:
        status = str(response.json().get("statusCode", response.status_code))
    except (ValueError, AttributeError):
        status = str(response.status_code)
    if status == "404":
        return not_found("audio_missing", f"the stored audio {object_path} is missing")
    return unavailable("storage_unavailable", f"reading the audio failed: {response.status_code}")
