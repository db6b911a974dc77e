"""Stream the `file` field out of a multipart/form-data body, chunk by chunk.

python-multipart's push parser turns body chunks into part events; we keep only the `file`
part and hand its bytes on as they arrive, so an upload of any size uses constant memory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from python_multipart.multipart import MultipartParser, parse_options_header

from gateway.errors import ApiError

FILE_FIELD = "file"


@dataclass(frozen=True)
class FileStart:
    """The `file` part begins: what its headers say."""

    filename: str
    content_type: str


class _PartCollector:
    """Parser callbacks that collect the events of one `write` call."""

    def __init__(self) -> None:
        self.events: list[FileStart | bytes] = []
        self._headers: dict[bytes, bytes] = {}
        self._field = b""
        self._value = b""
        self._in_file = False
        self.file_seen = False
        self.complete = False

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
            "on_end": self._end,
        }

    def _part_begin(self) -> None:
        self._headers = {}

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._field.lower()] = self._value
        self._field = self._value = b""

    def _headers_finished(self) -> None:
        _, params = parse_options_header(self._headers.get(b"content-disposition", b""))
        # Only the first `file` part counts; a second one is ignored, not merged.
        self._in_file = params.get(b"name") == FILE_FIELD.encode() and not self.file_seen
        if self._in_file:
            self.file_seen = True
            content_type, _ = parse_options_header(self._headers.get(b"content-type", b""))
            filename = params.get(b"filename", b"").decode("utf-8", "replace")
            self.events.append(FileStart(filename, content_type.decode("latin-1")))

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file:
            self.events.append(bytes(data[start:end]))

    def _part_end(self) -> None:
        self._in_file = False

    def _end(self) -> None:
        self.complete = True


async def stream_file_field(
    content_type_header: str, body: AsyncIterator[bytes]
) -> AsyncIterator[FileStart | bytes]:
    """Yield a `FileStart`, then the file's bytes; errors if the body has no `file` field."""
    media_type, params = parse_options_header(content_type_header)
    boundary = params.get(b"boundary")
    if media_type != b"multipart/form-data" or not boundary:
        raise ApiError(
            415, "unsupported_media_type", "send the audio as multipart/form-data, field 'file'"
        )
    collector = _PartCollector()
    parser = MultipartParser(boundary, collector.callbacks())  # type: ignore[arg-type]
    async for chunk in body:
        try:
            parser.write(chunk)
        except Exception as error:  # python-multipart raises its own error types
            raise ApiError(
                400, "malformed_multipart", f"malformed multipart body: {error}"
            ) from None
        for event in collector.events:
            yield event
        collector.events.clear()
    parser.finalize()
    if not collector.complete:
        # The body stopped before the closing boundary: a cut-off upload, not a short file.
        raise ApiError(400, "incomplete_upload", "the upload ended before the file was complete")
    if not collector.file_seen:
        raise ApiError(422, "missing_file", "the form has no 'file' field with the audio")
