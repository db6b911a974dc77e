"""Audio in a private Supabase Storage bucket.

Writes and the start-up check go through the official client (`supabase`, whose storage client
is storage3): uploads never overwrite (`x-upsert: false`) and carry the sniffed content type.
Reads stream instead: storage3 can only download a whole object into memory, so `read` asks
`GET /storage/v1/object/authenticated/{bucket}/{key}` through the same pooled httpx client, with
the same service-role headers, and yields the body in chunks. (The unauthenticated route takes a
rejected or expired key for an anonymous caller and answers "no such bucket": a configuration
fault would pass for missing audio.)

Storage answers errors with HTTP 400 and the real status and a stable `code` in the body
(`storage_errors.py`); the mapping reads the `code`. An upload whose answer never came may still
have stored the object: it is removed again, so no object outlives a failed upload (if even that
fails, the log names it for the sweep in docs/supabase-mailjet.md).
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

from ingest_svc.storage_errors import (
    StorageFailure,
    failure_of,
    failure_of_response,
    storage_key,
)
from voice_core.chunks import CHUNK_BYTES
from voice_core.errors import ServiceError, invalid_argument, not_found, unavailable
from voice_core.http_errors import NOT_SENT_ERRORS, describe_http_error

log = structlog.get_logger("ingest_svc.storage")

# Per network operation, not per request: a large upload may take longer than this in total.
_TIMEOUT = httpx.Timeout(30.0, connect=5.0)


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
        # The bucket's own upload limit, read at start: larger files are refused before they
        # travel (the server reads a whole body before it says it is too large).
        self.max_object_bytes: int | None = None

    async def check(self) -> None:
        """Read the bucket: a wrong key, URL or bucket fails here, saying which setting."""
        await asyncio.to_thread(self.spool_dir.mkdir, parents=True, exist_ok=True)
        options = AsyncClientOptions(httpx_client=self._http)
        client = await acreate_client(self._url, self._key, options=options)
        try:
            bucket = await client.storage.get_bucket(self._bucket)
        except StorageApiError as error:
            raise _logged(self._configuration_error(failure_of(error), at_start=True)) from None
        except httpx.HTTPError as error:
            unreachable = unavailable(
                "storage_unreachable",
                f"Supabase at SUPABASE_URL={self._url} is unreachable: "
                f"{describe_http_error(error)}",
            )
            raise _logged(unreachable) from None
        if bucket.public:
            log.warning("the audio bucket is public: make it private", bucket=self._bucket)
        self.max_object_bytes = bucket.file_size_limit or None
        if self.max_object_bytes is None:
            log.warning(
                "the audio bucket sets no file size limit: Storage's own limit applies (50 MiB"
                " on the Free plan and in its sample configuration), and a larger upload is"
                " refused only after it was sent; set the bucket's limit to MAX_UPLOAD_BYTES or"
                " less",
                bucket=self._bucket,
            )
        self._storage = client.storage

    def _configuration_error(self, failure: StorageFailure, *, at_start: bool) -> ServiceError:
        """What a refusal that no request could cause means, naming the setting to fix; as
        UNAVAILABLE, so that requests wait for the fix instead of failing for good."""
        if failure.key_rejected:
            return unavailable(
                "storage_key_rejected",
                f"Supabase refused SUPABASE_SERVICE_ROLE_KEY ({failure.message}): use the"
                " project's service_role key (Project Settings → API keys), for the project at"
                " SUPABASE_URL",
            )
        if failure.code == "NoSuchBucket":
            return unavailable(
                "storage_bucket_missing",
                f"Supabase Storage has no bucket {self._bucket!r} this key can see: create a"
                f" private bucket named exactly {self._bucket!r} (Storage → New bucket), and check"
                " that SUPABASE_SERVICE_ROLE_KEY is the service_role key (no other key can see a"
                " private bucket)",
            )
        if failure.route_missing:
            return unavailable(
                "storage_url_wrong",
                f"SUPABASE_URL={self._url} does not lead to Supabase Storage ({failure.message}):"
                " it must be the project URL, https://<ref>.supabase.co, without a path such as"
                " /storage/v1",
            )
        when = "at start" if at_start else "now"
        return unavailable(
            "storage_unavailable", f"Supabase Storage failed {when}: {failure.describe()}"
        )

    def _client(self) -> AsyncStorageClient:
        if self._storage is None:
            raise RuntimeError("storage used before check()")
        return self._storage

    async def put(self, spooled: Path, object_path: str, content_type: str) -> None:
        key = storage_key(object_path)
        try:
            await (
                self._client()
                .from_(self._bucket)
                .upload(key, spooled, {"content-type": content_type, "upsert": "false"})
            )
        except StorageApiError as error:
            failure = failure_of(error)
            if failure.server_fault:  # not a refusal: the object may be stored
                await self.delete(object_path)
            raise self._upload_error(key, failure) from None
        except httpx.HTTPError as error:
            # Unless it never got through, the object may be stored even though no answer came.
            if not isinstance(error, NOT_SENT_ERRORS):
                await self.delete(object_path)
            raise unavailable(
                "storage_unavailable", f"storing the audio failed: {describe_http_error(error)}"
            ) from None
        finally:
            await asyncio.to_thread(spooled.unlink, missing_ok=True)

    def _upload_error(self, key: str, failure: StorageFailure) -> ServiceError:
        if failure.code == "KeyAlreadyExists":
            return ServiceError(
                grpc.StatusCode.ALREADY_EXISTS,
                "storage_object_exists",
                f"an object is already stored at {key}; objects are never replaced",
            )
        if failure.code == "EntityTooLarge":
            return invalid_argument(
                "payload_too_large",
                f"the file is larger than the storage bucket accepts ({failure.message})",
            )
        if failure.code == "InvalidKey":
            return _invalid_key(key, failure)
        return self._configuration_error(failure, at_start=False)

    async def read(self, object_path: str) -> AsyncIterator[bytes]:
        key = storage_key(object_path)
        url = f"{self._url}/storage/v1/object/authenticated/{quote(self._bucket)}/{quote(key)}"
        try:
            async with self._http.stream("GET", url) as response:
                if response.status_code != httpx.codes.OK:
                    await response.aread()
                    raise self._read_error(key, failure_of_response(response))
                async for chunk in response.aiter_bytes(CHUNK_BYTES):
                    yield chunk
        except httpx.HTTPError as error:
            raise unavailable(
                "storage_unavailable", f"reading the audio failed: {describe_http_error(error)}"
            ) from None

    def _read_error(self, key: str, failure: StorageFailure) -> ServiceError:
        # Only a missing object is missing audio; a missing bucket or a refused key is ours.
        if failure.code == "NoSuchKey":
            return not_found("audio_missing", f"the stored audio {key} is missing")
        if failure.code == "InvalidKey":
            return _invalid_key(key, failure)
        return self._configuration_error(failure, at_start=False)

    async def delete(self, object_path: str) -> None:
        """Remove an object, best effort: a failure is logged for the orphan sweep."""
        try:
            key = storage_key(object_path)
            await self._client().from_(self._bucket).remove([key])
        except (StorageApiError, httpx.HTTPError, ServiceError) as error:
            log.warning("orphan audio object left", path=object_path, error=str(error))

    async def close(self) -> None:
        await self._http.aclose()


def _invalid_key(key: str, failure: StorageFailure) -> ServiceError:
    # The same key is refused every time: permanent, not a reason to retry.
    return ServiceError(
        grpc.StatusCode.FAILED_PRECONDITION,
        "storage_invalid_key",
        f"Supabase Storage refuses the key {key!r}: {failure.message}",
    )
