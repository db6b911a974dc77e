"""Each service is debuggable with grpcurl: reflection lists it, health says SERVING."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from devstack.stack import Stack

GRPCURL = str(Path(sys.executable).parent / "grpcurl")
EXPECTED = {
    "ingest": "voice_agent.v1.IngestService",
    "transcribe": "voice_agent.v1.TranscribeService",
    "notify": "voice_agent.v1.NotifyService",
    "scheduler": "grpc.health.v1.Health",
}


def grpcurl(*args: str) -> str:
    result = subprocess.run(
        [GRPCURL, "-plaintext", *args], capture_output=True, text=True, timeout=30, check=True
    )
    return result.stdout


@pytest.mark.parametrize("service", sorted(EXPECTED))
def test_reflection_lists_the_service_and_health_is_serving(stack: Stack, service: str) -> None:
    address = stack.addresses[service]
    listed = grpcurl(address, "list").split()
    assert EXPECTED[service] in listed
    assert "grpc.health.v1.Health" in listed

    health = json.loads(grpcurl("-d", "{}", address, "grpc.health.v1.Health/Check"))
    assert health == {"status": "SERVING"}


def test_methods_are_described(stack: Stack) -> None:
    described = grpcurl(stack.addresses["ingest"], "describe", "voice_agent.v1.IngestService")
    assert "rpc UploadAudio ( stream .voice_agent.v1.UploadAudioRequest )" in described
