"""Exit 0 when a service says it is ready: the health check the container images run.

    python -m voice_core.healthcheck 127.0.0.1:50052               # gRPC health is SERVING
    python -m voice_core.healthcheck http://127.0.0.1:8000/readyz  # HTTP answers 200

Docker starts this every 15 s in every container, so it stays cheap: for gRPC it makes one
`grpc.health.v1.Health/Check` call with the empty request over plaintext HTTP/2, with `h2`
(python-hyper's HTTP/2 state machine, HPACK included) on a plain socket, rather than importing
grpcio and its health stubs, which cost nearly twice as much CPU (docs/deploy.md has the
figures, `make bench-healthcheck` measures them). The tests run it against grpcio's own server.
"""

from __future__ import annotations

import argparse
import socket
import sys
import time

HEALTHY = {"SERVING", "HTTP 200"}
# grpc.health.v1.HealthCheckResponse.ServingStatus, by number.
SERVING_STATUS = ("UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN")
HEALTH_CHECK_PATH = "/grpc.health.v1.Health/Check"
# The gRPC message framing of an empty HealthCheckRequest: not compressed, 0 bytes long.
EMPTY_REQUEST = b"\x00\x00\x00\x00\x00"


def health_check_call(address: str, timeout_s: float) -> tuple[bytes, bytes | None]:
    """The DATA and the grpc-status (None if absent) a Health/Check call is answered with.

    The whole call, connecting included, ends within `timeout_s` or raises TimeoutError; a
    refused, reset or closed connection raises OSError, and an answer that is not HTTP/2
    raises h2's H2Error.
    """
    # Imported here: an HTTP check needs none of it, and importing h2 (hpack, its state
    # machines) is most of a gRPC check's CPU.
    from h2.config import H2Configuration
    from h2.connection import H2Connection
    from h2.events import (
        ConnectionTerminated,
        DataReceived,
        ResponseReceived,
        StreamEnded,
        StreamReset,
        TrailersReceived,
    )

    deadline = time.monotonic() + timeout_s
    connection = H2Connection(H2Configuration(client_side=True))
    connection.initiate_connection()
    stream_id = connection.get_next_available_stream_id()
    connection.send_headers(
        stream_id,
        [
            (":method", "POST"),
            (":scheme", "http"),
            (":path", HEALTH_CHECK_PATH),
            (":authority", address),
            ("content-type", "application/grpc"),
            ("te", "trailers"),
        ],
    )
    connection.send_data(stream_id, EMPTY_REQUEST, end_stream=True)
    data, grpc_status = b"", None
    host, _, port = address.rpartition(":")
    with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout_s) as channel:
        while True:
            # The preface and the call first, then whatever h2 owes the server (SETTINGS
            # acks). The answer is a few bytes, far inside the 64 KiB flow-control window,
            # so it needs no WINDOW_UPDATE.
            channel.sendall(connection.data_to_send())
            channel.settimeout(max(deadline - time.monotonic(), 0.001))
            received = channel.recv(65536)
            if not received:
                raise ConnectionError("the server closed the connection")
            for event in connection.receive_data(received):
                if isinstance(event, ResponseReceived | TrailersReceived):
                    # A failed call is "trailers only": grpc-status comes with the headers.
                    grpc_status = dict(event.headers).get(b"grpc-status", grpc_status)
                elif isinstance(event, DataReceived) and event.stream_id == stream_id:
                    data += event.data
                elif isinstance(event, StreamReset):
                    raise ConnectionError("the server reset the call")
                elif isinstance(event, ConnectionTerminated):
                    raise ConnectionError("the server closed the connection (GOAWAY)")
                elif isinstance(event, StreamEnded) and event.stream_id == stream_id:
                    return data, grpc_status


def grpc_status(address: str, timeout_s: float) -> str:
    """The server's overall health (the empty service name), e.g. SERVING or NOT_SERVING."""
    from h2.exceptions import H2Error  # see health_check_call

    try:
        data, status = health_check_call(address, timeout_s)
    except H2Error as error:
        return f"not a gRPC server ({type(error).__name__}: {error})"
    if status != b"0" or len(data) < 5:
        # The call failed: no health service (UNIMPLEMENTED), or the server refused it.
        return "no health answer"
    message = data[5 : 5 + int.from_bytes(data[1:5], "big")]
    # HealthCheckResponse has one field, `status` (1, varint); 0 (UNKNOWN) is left out. Two
    # bytes are not worth protobuf's runtime (part of what grpcio's stubs cost).
    if not message:
        return SERVING_STATUS[0]
    if message[0] == 0x08 and len(message) == 2 and message[1] < len(SERVING_STATUS):
        return SERVING_STATUS[message[1]]
    return f"unexpected health answer {message.hex()}"


def http_status(url: str, timeout_s: float) -> str:
    """`HTTP <status>` of a GET to the URL."""
    # Imported here: a gRPC check needs none of urllib.request (ssl, email, http.client).
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
