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


def grpcurl(stack: Stack, *args: str) -> str:
    authorization = f"authorization: Bearer {stack.auth_token}"
    result = subprocess.run(
        [GRPCURL, "-plaintext", "-H", authorization, *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return result.stdout


@pytest.mark.parametrize("service", sorted(EXPECTED))
def test_reflection_lists_the_service_and_health_is_serving(stack: Stack, service: str) -> None:
    address = stack.addresses[service]
    listed = grpcurl(stack, address, "list").split()
    assert EXPECTED[service] in listed
    assert "grpc.health.v1.Health" in listed

    health = json.loads(grpcurl(stack, "-d", "{}", address, "grpc.health.v1.Health/Check"))
    assert health == {"status": "SERVING"}


def test_methods_are_described(stack: Stack) -> None:
    described = grpcurl(
        stack, stack.addresses["ingest"], "describe", "voice_agent.v1.IngestService"
    )
    assert "rpc UploadAudio ( stream .voice_agent.v1.UploadAudioRequest )" in described


def test_calls_without_the_token_are_unauthenticated(stack: Stack) -> None:
    """Health stays open for probes; everything else needs the internal token.

    Reflection itself is protected, so grpcurl gets the token for reflection only
    (`-reflect-header`) and the call under test goes without it, or with a wrong one.
    """
    address = stack.addresses["ingest"]
    reflect = ["-reflect-header", f"authorization: Bearer {stack.auth_token}"]
    health = subprocess.run(
        [GRPCURL, "-plaintext", *reflect, address, "grpc.health.v1.Health/Check"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert "SERVING" in health.stdout
    for wrong in ([], ["-rpc-header", "authorization: Bearer wrong-token"]):
        refused = subprocess.run(
            [
                GRPCURL,
                "-plaintext",
                *reflect,
                *wrong,
                "-d",
                '{"id": "x"}',
                address,
                "voice_agent.v1.IngestService/GetSummaryJob",
            ],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert "Unauthenticated" in refused.stderr, refused.stderr
