"""Internal auth over real gRPC: the shared token, open health checks, TLS and mutual TLS."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest
import trustme
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1._async import HealthServicer
from grpc_reflection.v1alpha import reflection, reflection_pb2, reflection_pb2_grpc

from voice_core.auth import TokenAuthInterceptor
from voice_core.grpc_client import open_channel
from voice_core.grpc_server import bind_port
from voice_core.settings import ServiceSettings

TOKEN = "internal-test-token"


async def serve(settings: ServiceSettings) -> tuple[grpc.aio.Server, str]:
    """Health (open) and reflection (a streaming service that needs the token)."""
    server = grpc.aio.server(interceptors=[TokenAuthInterceptor(TOKEN)])
    health_pb2_grpc.add_HealthServicer_to_server(HealthServicer(), server)
    reflection.enable_server_reflection([reflection.SERVICE_NAME], server)
    port = bind_port(server, "127.0.0.1:0", settings)
    await server.start()
    return server, f"localhost:{port}"


async def list_services(channel: grpc.aio.Channel) -> list[str]:
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    request = reflection_pb2.ServerReflectionRequest(list_services="")
    async for response in stub.ServerReflectionInfo(iter([request])):
        return [service.name for service in response.list_services_response.service]
    return []


async def health(channel: grpc.aio.Channel) -> int:
    stub = health_pb2_grpc.HealthStub(channel)
    return int((await stub.Check(health_pb2.HealthCheckRequest())).status)


@pytest.fixture
async def plain_server() -> AsyncIterator[str]:
    server, address = await serve(ServiceSettings())
    yield address
    await server.stop(None)


def with_token(token: str, **settings: Path) -> ServiceSettings:
    return ServiceSettings.model_validate({"internal_auth_token": token, **settings})


async def test_right_token_passes(plain_server: str) -> None:
    async with open_channel(plain_server, with_token(TOKEN)) as channel:
        assert reflection.SERVICE_NAME in await list_services(channel)


@pytest.mark.parametrize("token", ["", "not-the-token"])
async def test_missing_or_wrong_token_is_unauthenticated(plain_server: str, token: str) -> None:
    async with open_channel(plain_server, with_token(token)) as channel:
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await list_services(channel)
        assert caught.value.code() is grpc.StatusCode.UNAUTHENTICATED
        # Probes need no secret.
        assert await health(channel) == health_pb2.HealthCheckResponse.SERVING


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A CA, a server certificate for localhost and a client certificate, as PEM files."""
    folder = tmp_path_factory.mktemp("tls")
    authority = trustme.CA()
    server_cert = authority.issue_cert("localhost")
    client_cert = authority.issue_cert("scheduler.internal")
    files = {
        "ca": authority.cert_pem,
        "server_cert": server_cert.cert_chain_pems[0],
        "server_key": server_cert.private_key_pem,
        "client_cert": client_cert.cert_chain_pems[0],
        "client_key": client_cert.private_key_pem,
    }
    for name, blob in files.items():
        blob.write_to_path(str(folder / f"{name}.pem"))
    return {name: folder / f"{name}.pem" for name in files}


async def test_tls_and_mutual_tls(certificates: dict[str, Path]) -> None:
    server_settings = ServiceSettings(
        grpc_tls_cert=certificates["server_cert"],
        grpc_tls_key=certificates["server_key"],
        grpc_tls_ca=certificates["ca"],
    )
    server, address = await serve(server_settings)
    client = with_token(
        TOKEN,
        grpc_tls_ca=certificates["ca"],
        grpc_tls_cert=certificates["client_cert"],
        grpc_tls_key=certificates["client_key"],
    )
    try:
        async with open_channel(address, client) as channel:
            assert reflection.SERVICE_NAME in await list_services(channel)
        # Without a client certificate, mutual TLS refuses the connection.
        anonymous = with_token(TOKEN, grpc_tls_ca=certificates["ca"])
        async with open_channel(address, anonymous) as channel:
            with pytest.raises(grpc.aio.AioRpcError) as caught:
                await list_services(channel)
            assert caught.value.code() is grpc.StatusCode.UNAVAILABLE
    finally:
        await server.stop(None)
