"""Exit 0 when a service says it is ready: the health check the container images run.

    python -m voice_core.healthcheck 127.0.0.1:50052               # gRPC health is SERVING
    python -m voice_core.healthcheck http://127.0.0.1:8000/readyz  # HTTP answers 200

It uses only what every image already carries (grpcio-health-checking and the standard
library), so no probe binary has to be downloaded into the images.
"""

from __future__ import annotations

import argparse
import sys
import urllib.error
import urllib.request

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

HEALTHY = {"SERVING", "HTTP 200"}


def grpc_status(address: str, timeout_s: float) -> str:
    """The server's overall health (the empty service name), e.g. SERVING or NOT_SERVING."""
    with grpc.insecure_channel(address) as channel:
        response = health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(), timeout=timeout_s
        )
    name: str = health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)
    return name


def http_status(url: str, timeout_s: float) -> str:
    """`HTTP <status>` of a GET to the URL."""
    try:
        # The caller passes a plain http:// URL (checked in `check`), never a file: or ftp: one.
        with urllib.request.urlopen(url, timeout=timeout_s) as response:  # noqa: S310
            return f"HTTP {response.status}"
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"


def check(target: str, timeout_s: float) -> str:
    """The target's status, or why it could not be asked."""
    try:
        if target.startswith("http://"):
            return http_status(target, timeout_s)
        return grpc_status(target, timeout_s)
    except grpc.RpcError as error:
        code = error.code().name if isinstance(error, grpc.Call) else "UNKNOWN"
        return f"unreachable ({code})"
    except urllib.error.URLError as error:
        return f"unreachable ({error.reason})"
    except OSError as error:  # a timeout while reading the HTTP answer
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
