"""Client channels, configured the same way for every caller.

A target may name several servers (`ipv4:127.0.0.1:50052,127.0.0.1:50062`, or
`dns:///transcribe.svc.cluster.local:50052` for a Kubernetes headless service); calls are
spread over them with client-side round robin. Every call carries the internal auth token and
the current request id; with GRPC_TLS_CA set the channel is TLS (mutual with a cert and key).
"""

from __future__ import annotations

import json

import grpc

from voice_core.auth import client_interceptors
from voice_core.grpc_server import MAX_MESSAGE_BYTES
from voice_core.settings import ServiceSettings

_SERVICE_CONFIG = json.dumps({"loadBalancingConfig": [{"round_robin": {}}]})
_OPTIONS = [
    ("grpc.service_config", _SERVICE_CONFIG),
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
    ("grpc.keepalive_time_ms", 30_000),
    # Each channel keeps its own connections. With gRPC's process-wide pool, a new channel to
    # an address another channel saw refused (a server gone, its port reused) inherits that
    # connection's backoff and fails its first calls with UNAVAILABLE although the server is up.
    ("grpc.use_local_subchannel_pool", 1),
]


def _credentials(settings: ServiceSettings) -> grpc.ChannelCredentials | None:
    if settings.grpc_tls_ca is None:
        return None
    cert, key = settings.grpc_tls_cert, settings.grpc_tls_key
    # With its own certificate and key the client can prove itself too (mutual TLS).
    key_bytes, cert_bytes = (key.read_bytes(), cert.read_bytes()) if cert and key else (None, None)
    return grpc.ssl_channel_credentials(
        root_certificates=settings.grpc_tls_ca.read_bytes(),
        private_key=key_bytes,
        certificate_chain=cert_bytes,
    )


def open_channel(target: str, settings: ServiceSettings) -> grpc.aio.Channel:
    """A channel to `target` with round robin, auth metadata and TLS when configured."""
    interceptors = client_interceptors(settings.internal_auth_token.get_secret_value())
    credentials = _credentials(settings)
    if credentials is None:
        return grpc.aio.insecure_channel(target, options=_OPTIONS, interceptors=interceptors)
    return grpc.aio.secure_channel(target, credentials, options=_OPTIONS, interceptors=interceptors)
