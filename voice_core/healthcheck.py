"""Exit 0 when a service says it is ready: the health check the container images run.

    python -m voice_core.healthcheck 127.0.0.1:50052               # gRPC health is SERVING
    python -m voice_core.healthcheck http://127.0.0.1:8000/readyz  # HTTP answers 200

Docker starts this every few seconds in every container, so it uses the standard library
alone: about 25 ms of CPU in the images, where importing grpcio and its health stubs cost
80 ms more (docs/deploy.md has the figures). For gRPC it speaks just enough plaintext HTTP/2
(RFC 9113) for one call, `grpc.health.v1.Health/Check` with the empty request, and reads the
status from the answer; the tests run it against grpcio's own server.
"""

from __future__ import annotations

import argparse
import socket
import struct
import sys

HEALTHY = {"SERVING", "HTTP 200"}
# grpc.health.v1.HealthCheckResponse.ServingStatus, by number.
SERVING_STATUS = ("UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN")

# HTTP/2 frame types and flags (RFC 9113 §6).
PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, RST_STREAM, SETTINGS = 0x0, 0x1, 0x3, 0x4
END_STREAM, ACK, END_HEADERS, PADDED = 0x1, 0x1, 0x4, 0x8
STREAM_ID = 1
# The gRPC message framing of an empty HealthCheckRequest: not compressed, 0 bytes long.
EMPTY_REQUEST = b"\x00\x00\x00\x00\x00"


def frame(kind: int, flags: int, stream_id: int, payload: bytes = b"") -> bytes:
    """One HTTP/2 frame: 24-bit length, type, flags, 31-bit stream id, payload."""
    return len(payload).to_bytes(3, "big") + struct.pack(">BBI", kind, flags, stream_id) + payload


def header_field(name: str, value: str) -> bytes:
    """HPACK literal field without indexing, new name, no Huffman coding (RFC 7541 §6.2.2)."""
    encoded = b"\x00"
    for text in (name.encode(), value.encode()):
        assert len(text) < 127, "longer strings need HPACK's multi-byte length"
        encoded += bytes([len(text)]) + text
    return encoded


def read_frame(connection: socket.socket) -> tuple[int, int, int, bytes]:
    """The next frame: (type, flags, stream id, payload)."""
    head = read_exactly(connection, 9)
    length = int.from_bytes(head[:3], "big")
    kind, flags, stream_id = struct.unpack(">BBI", head[3:])
    return kind, flags, stream_id & 0x7FFFFFFF, read_exactly(connection, length)


def read_exactly(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the server closed the connection")
        data += chunk
    return data


def health_check_call(address: str, timeout_s: float) -> bytes:
    """The DATA the server answers a Health/Check with the empty service name (maybe none)."""
    host, _, port = address.rpartition(":")
    headers = b"\x83\x86" + b"".join(  # static table: `:method: POST`, `:scheme: http`
        header_field(name, value)
        for name, value in (
            (":path", "/grpc.health.v1.Health/Check"),
            (":authority", address),
            ("content-type", "application/grpc"),
            ("te", "trailers"),
        )
    )
    with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout_s) as connection:
        connection.sendall(
            PREFACE
            + frame(SETTINGS, 0, 0)
            + frame(HEADERS, END_HEADERS, STREAM_ID, headers)
            + frame(DATA, END_STREAM, STREAM_ID, EMPTY_REQUEST)
        )
        answer = b""
        while True:
            kind, flags, stream_id, payload = read_frame(connection)
            if kind == SETTINGS and not flags & ACK:
                connection.sendall(frame(SETTINGS, ACK, 0))
            if stream_id != STREAM_ID:
                continue
            if kind == RST_STREAM:
                raise ConnectionError("the server reset the call")
            if kind == DATA:
                # A padded frame starts with the padding's length; the padding ends it.
                answer += payload[1 : len(payload) - payload[0]] if flags & PADDED else payload
            # The trailers (or a trailers-only error answer) end the call; they need no decoding.
            if flags & END_STREAM:
                return answer


def grpc_status(address: str, timeout_s: float) -> str:
    """The server's overall health (the empty service name), e.g. SERVING or NOT_SERVING."""
    answer = health_check_call(address, timeout_s)
    if len(answer) < 5:
        # Trailers only: the call failed (no health service, or it refused the call).
        return "no health answer"
    message = answer[5 : 5 + int.from_bytes(answer[1:5], "big")]
    # HealthCheckResponse has one field, `status` (1, varint); 0 (UNKNOWN) is left out.
    if not message:
        return SERVING_STATUS[0]
    if message[0] == 0x08 and len(message) == 2 and message[1] < len(SERVING_STATUS):
        return SERVING_STATUS[message[1]]
    return f"unexpected health answer {message.hex()}"


def http_status(url: str, timeout_s: float) -> str:
    """`HTTP <status>` of a GET to the URL."""
    # Imported here: urllib.request (ssl, email, http.client) would double a gRPC check's cost.
    import urllib.error
    import urllib.request

    try:
        # The caller passes a plain http:// URL (checked in `check`), never a file: or ftp: one.
        with urllib.request.urlopen(url, timeout=timeout_s) as response:  # noqa: S310
            return f"HTTP {response.status}"
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"
    except urllib.error.URLError as error:
        return f"unreachable ({error.reason})"


def check(target: str, timeout_s: float) -> str:
    """The target's status, or why it could not be asked."""
    try:
        if target.startswith("http://"):
            return http_status(target, timeout_s)
        return grpc_status(target, timeout_s)
    except OSError as error:  # refused, reset, closed, or a timeout
        return f"unreachable ({error})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("target", help="host:port of a gRPC server, or an http:// URL")
    parser.add_argument("--timeout", type=float, default=3.0, help="seconds (default 3)")
    args = parser.parse_args(argv)
    status = check(args.target, args.timeout)
    # Docker keeps this line in `docker inspect`: what the check saw.
    print(f"{args.target}: {status}")
    return 0 if status in HEALTHY else 1


if __name__ == "__main__":
    sys.exit(main())
