"""A local Supabase Storage: the REST API the `supabase` client uses, answering as Supabase does.

Modelled on storage-api v1.11 (its error definitions and routes), as self-hosted Supabase's Kong
reaches it (`{SUPABASE_URL}/storage/v1/...`, the prefix stripped; see
shared notes on the real server):

- Keys: hosted Supabase's API gateway wants an `apikey` it knows (else HTTP 401 `{"message":
  "Invalid API key"}`). Storage then checks the bearer token: a bad or expired one is
  `AccessDenied`, except on `GET /object/{bucket}/{path}`, which takes it as anonymous (so a
  private bucket reads as `NoSuchBucket`). The service-role key sees every bucket; the anon key
  only public ones, as Storage's row level security has it.
- Errors: HTTP 400 (500 for server faults) with the real status in the body, as a string:
  `{"statusCode": "404", "code": "NoSuchKey", "error": "not_found", "message": "Object not
  found"}`. An unknown route is a plain HTTP 404 `{"message": "Route GET:/… not found", "error":
  "Not Found", "statusCode": 404}` (a number, no `code`).
- Keys must be S3-safe (`InvalidKey` otherwise); an object over the bucket's `file_size_limit`
  or the server's own limit (50 MiB, as in its sample configuration) is `EntityTooLarge`, sent
  after the whole body was read; the same key twice is `KeyAlreadyExists` unless `x-upsert`.
- `GET /storage/v1/bucket/{id}`; `POST /storage/v1/object/{bucket}/{path}` (a multipart form
  with a `file` part, or a raw body); `GET /storage/v1/object[/authenticated]/{bucket}/{path}`;
  `DELETE /storage/v1/object/{bucket}` with `{"prefixes": [...]}` (missing ones: 200 `[]`).

Objects live on disk and stream both ways: big files cost no memory. `break_next_upload` resets
the next upload's connection midway (nothing stored) or after storing it (the answer is lost);
`expire` makes a key's token expire, as at a key rotation.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import BodyPartReader, StreamReader, web
from aiohttp.typedefs import Handler

from tests.fakes.server import BackgroundServer, reset_connection

SERVICE_ROLE_KEY = "test-service-role-key"
ANON_KEY = "test-anon-key"
_CHUNK = 64 * 1024
# The server's own upload limit in its sample configuration (FILE_SIZE_LIMIT).
SERVER_FILE_SIZE_LIMIT = 50 * 1024 * 1024
_PREFIX = "/storage/v1"
# storage-api's `isValidKey`: S3-safe characters only (`\w` without the `u` flag is ASCII).
_VALID_KEY = re.compile(r"^[A-Za-z0-9_/!\-.*'() &$@=;:+,?]+$")
_CREATED = datetime(2026, 1, 1, tzinfo=UTC).isoformat()


@dataclass(frozen=True)
class Bucket:
    public: bool = False
    file_size_limit: int | None = None


@dataclass(frozen=True)
class StoredObject:
    bucket: str
    name: str
    content_type: str
    size: int
    path: Path


def _error(status: int, code: str, message: str, error: str | None = None) -> web.Response:
    """storage-api's error: HTTP 400 (500 for a fault) with the real status in the body."""
    body = {"statusCode": str(status), "code": code, "error": error or code, "message": message}
    return web.json_response(body, status=500 if status == 500 else 400)


def _bucket_not_found() -> web.Response:
    return _error(404, "NoSuchBucket", "Bucket not found", "Bucket not found")


def _object_not_found() -> web.Response:
    return _error(404, "NoSuchKey", "Object not found", "not_found")


def _access_denied(message: str) -> web.Response:
    return _error(403, "AccessDenied", message, "Unauthorized")


@web.middleware
async def _unknown_route(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Fastify's answer for a route it does not have, as storage-api sees the path."""
    try:
        return await handler(request)
    except (web.HTTPNotFound, web.HTTPMethodNotAllowed):
        path = request.path.removeprefix(_PREFIX) or "/"
        body = {
            "message": f"Route {request.method}:{path} not found",
            "error": "Not Found",
            "statusCode": 404,
        }
        return web.json_response(body, status=404)


class FakeSupabaseStorage:
    """Supabase Storage on a loopback port; use as a context manager, then set SUPABASE_URL."""

    def __init__(self, root: Path, buckets: dict[str, Bucket] | None = None) -> None:
        self._root = root
        self.buckets = buckets if buckets is not None else {"voice-audio": Bucket()}
        self.objects: dict[tuple[str, str], StoredObject] = {}
        self.expired: set[str] = set()
        self.upload_requests = 0
        self._break_next: bool | None = None  # None: no fault; else whether to store first
        app = web.Application(client_max_size=1024**3, middlewares=[_unknown_route])
        app.router.add_get(f"{_PREFIX}/bucket/{{bucket}}", self._get_bucket)
        app.router.add_get(
            f"{_PREFIX}/object/authenticated/{{bucket}}/{{name:.+}}", self._download_authenticated
        )
        app.router.add_get(f"{_PREFIX}/object/{{bucket}}/{{name:.+}}", self._download)
        app.router.add_post(f"{_PREFIX}/object/{{bucket}}/{{name:.+}}", self._upload)
        app.router.add_delete(f"{_PREFIX}/object/{{bucket}}", self._remove)
        self._server = BackgroundServer(app)

    @property
    def url(self) -> str:
        return self._server.base_url

    def __enter__(self) -> FakeSupabaseStorage:
        self._root.mkdir(parents=True, exist_ok=True)
        self._server.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.stop()

    def expire(self, key: str) -> None:
        """The key's token fails Storage's check from now on (its `exp` has passed)."""
        self.expired.add(key)

    def break_next_upload(self, *, stored: bool) -> None:
        """Reset the next upload's connection, after storing the object or midway through."""
        self._break_next = stored

    def names(self, bucket: str = "voice-audio") -> list[str]:
        return sorted(name for (in_bucket, name) in self.objects if in_bucket == bucket)

    # --- the API ----------------------------------------------------------------------------

    def _role(self, request: web.Request, *, invalid_is_anon: bool = False) -> str | web.Response:
        """The caller's role, or the answer that refuses it."""
        keys = {SERVICE_ROLE_KEY: "service_role", ANON_KEY: "anon"}
        if request.headers.get("apikey") not in keys:
            hint = "Double check your Supabase `anon` or `service_role` API key."
            return web.json_response({"message": "Invalid API key", "hint": hint}, status=401)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token in self.expired:
            problem = '"exp" claim timestamp check failed'
        elif token not in keys:
            problem = "signature verification failed"
        else:
            return keys[token]
        return "anon" if invalid_is_anon else _access_denied(problem)

    def _visible(self, bucket: str, role: str) -> bool:
        return bucket in self.buckets and (role == "service_role" or self.buckets[bucket].public)

    async def _get_bucket(self, request: web.Request) -> web.Response:
        role = self._role(request)
        if isinstance(role, web.Response):
            return role
        name = request.match_info["bucket"]
        if not self._visible(name, role):
            return _bucket_not_found()
        bucket = self.buckets[name]
        return web.json_response(
            {
                "id": name,
                "name": name,
                "owner": "",
                "public": bucket.public,
                "type": "STANDARD",
                "file_size_limit": bucket.file_size_limit,
                "allowed_mime_types": None,
                "created_at": _CREATED,
                "updated_at": _CREATED,
            }
        )

    async def _upload(self, request: web.Request) -> web.StreamResponse:
        self.upload_requests += 1
        role = self._role(request)
        if isinstance(role, web.Response):
            return role
        bucket, name = request.match_info["bucket"], request.match_info["name"]
        if not _VALID_KEY.match(name):
            return _error(400, "InvalidKey", f"Invalid key: {name}")
        if bucket not in self.buckets:
            return _bucket_not_found()
        if role != "service_role":
            return _access_denied("new row violates row-level security policy")
        break_after_store, self._break_next = self._break_next, None
        spooled = self._root / uuid.uuid4().hex
        if request.content_type.startswith("multipart/"):
            part = await self._file_part(request)
            if part is None:
                return _error(400, "InvalidRequest", "No content provided")
            content_type = part.headers.get("Content-Type", "text/plain;charset=UTF-8")
            size = await _write(part, spooled, stop_midway=break_after_store is False)
        else:
            content_type = request.content_type
            size = await _write(request.content, spooled, stop_midway=break_after_store is False)
        if break_after_store is False:
            spooled.unlink()
            reset_connection(request)
            return web.Response(status=500)
        return self._store(request, bucket, name, content_type, size, spooled, break_after_store)

    def _store(
        self,
        request: web.Request,
        bucket: str,
        name: str,
        content_type: str,
        size: int,
        spooled: Path,
        break_after_store: bool | None,
    ) -> web.StreamResponse:
        if (bucket, name) in self.objects and request.headers.get("x-upsert") != "true":
            spooled.unlink()
            return _error(409, "KeyAlreadyExists", "The resource already exists", "Duplicate")
        limit = min(
            self.buckets[bucket].file_size_limit or SERVER_FILE_SIZE_LIMIT, SERVER_FILE_SIZE_LIMIT
        )
        if size > limit:
            spooled.unlink()
            return _error(
                413,
                "EntityTooLarge",
                "The object exceeded the maximum allowed size",
                "Payload too large",
            )
        self.objects[(bucket, name)] = StoredObject(bucket, name, content_type, size, spooled)
        if break_after_store:
            reset_connection(request)
            return web.Response(status=500)
        return web.json_response({"Id": str(uuid.uuid4()), "Key": f"{bucket}/{name}"})

    @staticmethod
    async def _file_part(request: web.Request) -> BodyPartReader | None:
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if isinstance(part, BodyPartReader) and part.name == "file":
                return part
            await part.release()
        return None

    async def _download(self, request: web.Request) -> web.StreamResponse:
        """`GET /object/{bucket}/{path}`: an invalid token reads as anonymous here."""
        return await self._read(request, self._role(request, invalid_is_anon=True))

    async def _download_authenticated(self, request: web.Request) -> web.StreamResponse:
        return await self._read(request, self._role(request))

    async def _read(self, request: web.Request, role: str | web.Response) -> web.StreamResponse:
        if isinstance(role, web.Response):
            return role
        bucket, name = request.match_info["bucket"], request.match_info["name"]
        if not self._visible(bucket, role):
            return _bucket_not_found()
        stored = self.objects.get((bucket, name))
        if stored is None:
            return _object_not_found()
        return web.FileResponse(stored.path, headers={"Content-Type": stored.content_type})

    async def _remove(self, request: web.Request) -> web.Response:
        role = self._role(request)
        if isinstance(role, web.Response):
            return role
        bucket = request.match_info["bucket"]
        if not self._visible(bucket, role):
            return _bucket_not_found()
        body: dict[str, Any] = await request.json()
        removed = []
        for name in body.get("prefixes") or []:
            if (stored := self.objects.pop((bucket, name), None)) is not None:
                stored.path.unlink()
                removed.append({"name": name, "bucket_id": bucket, "id": str(uuid.uuid4())})
        return web.json_response(removed)


async def _write(source: BodyPartReader | StreamReader, target: Path, *, stop_midway: bool) -> int:
    """Copy a request body to a file in chunks; with `stop_midway`, only its first chunk."""
    size = 0
    with target.open("wb") as handle:
        while chunk := await _read_chunk(source):
            handle.write(chunk)
            size += len(chunk)
            if stop_midway:
                break
    return size


async def _read_chunk(source: BodyPartReader | StreamReader) -> bytes:
    if isinstance(source, BodyPartReader):
        return bytes(await source.read_chunk(_CHUNK))
    return await source.read(_CHUNK)
