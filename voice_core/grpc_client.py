"""Client channels, configured the same way for every caller.

A target may name several servers (`ipv4:127.0.0.1:50052,127.0.0.1:50062`, or
`dns:///transcribe.svc.cluster.local:50052` for a Kubernetes headless service); calls are
spread over them with client-side round robin.
"""

from __future__ import annotations

import json

import grpc

from voice_core.grpc_server import MAX_MESSAGE_BYTES

_SERVICE_CONFIG = json.dumps({"loadBalancingConfig": [{"round_robin": {}}]})


def open_channel(target: str) -> grpc.aio.Channel:
    """An insecure channel (internal network) with round robin over every resolved address."""
    return grpc.aio.insecure_channel(
        target,
        options=[
            ("grpc.service_config", _SERVICE_CONFIG),
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
            ("grpc.keepalive_time_ms", 30_000),
        ],
    )
