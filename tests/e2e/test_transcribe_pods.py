"""Two transcription pods behind one address: work spreads over both, and a pod that dies
mid-call costs the request only a second try, at once, on the other pod."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from devstack.processes import ServiceProcess
from devstack.stack import Stack, wait_serving
from tests.e2e.conftest import request_body, upload, wait_until_done
from tests.support import log_lines, running_stack, wait_until
from tests.transcribe_svc import media

PODS = ("transcribe", "transcribe2")
PICKED_WITHIN_S = 30.0


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The system with a second transcription pod and a scheduler that reaches both through
    one static round-robin target. Its backoff is long: only an immediate retry on the other
    pod can finish a request in time."""
    env = {"SCHEDULER_POLL_INTERVAL_S": "0.5", "RETRY_BASE_S": "600"}
    with running_stack(tmp_path_factory.mktemp("pods"), schedulers=0, env=env) as system:
        second = ServiceProcess.python_module(
            "transcribe2",
            "transcribe_svc",
            system.service_env(TRANSCRIBE_PORT="0", TRANSCRIBE_METRICS_PORT="0"),
        )
        system.processes["transcribe2"] = second
        system.addresses["transcribe2"] = f"127.0.0.1:{second.wait_port()}"
        wait_serving(system.addresses["transcribe2"])
        pods = ",".join(system.addresses[pod] for pod in PODS)
        # The scheduler is started with the stack's transcription address: make it both pods.
        system.addresses["transcribe"] = f"ipv4:{pods}"
        system.start_scheduler()
        yield system


def events(stack: Stack, pod: str, event: str) -> list[dict[str, object]]:
    """The JSON log events of one pod with this name."""
    return [line for line in log_lines(stack, pod) if line.get("event") == event]


def words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z ]", " ", text.lower()).split())


def transcriptions(stack: Stack, pod: str) -> int:
    return len(events(stack, pod, "transcribed"))


def speech_file(tmp_path: Path, seconds: float) -> Path:
    """Real speech as a WAV; each length its own file, so that no transcript is reused."""
    path = tmp_path / f"speech-{seconds}.wav"
    path.write_bytes(media.wav(media.long_speech(seconds)))
    return path


def request_for(api: httpx.Client, path: Path, email: str) -> dict[str, Any]:
    audio = upload(api, path, "audio/wav")
    created = api.post(
        "/v1/requests",
        json=request_body(audio, email),
    )
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body


def test_work_spreads_over_both_pods(stack: Stack, api: httpx.Client, tmp_path: Path) -> None:
    # The first call opens the scheduler's connections to both pods; then round robin
    # alternates between them.
    first = request_for(api, speech_file(tmp_path, 4), "pods@example.com")
    assert wait_until_done(api, first)["status"] == "sent"
    more = [
        request_for(api, speech_file(tmp_path, seconds), "pods@example.com")
        for seconds in (5, 6, 7)
    ]
    for request_id in more:
        assert wait_until_done(api, request_id)["status"] == "sent"
    counts = {pod: transcriptions(stack, pod) for pod in PODS}
    assert sum(counts.values()) == 4
    assert all(counts.values()), counts


def test_a_pod_killed_mid_call_leaves_the_request_to_the_other(
    stack: Stack, api: httpx.Client, tmp_path: Path
) -> None:
    received = {pod: len(events(stack, pod, "audio received")) for pod in PODS}
    done = {pod: transcriptions(stack, pod) for pod in PODS}
    request_id = request_for(api, speech_file(tmp_path, 45), "crash@example.com")

    victim = wait_for_pod_to_take_the_call(stack, received)
    stack.processes[victim].kill()
    [survivor] = [pod for pod in PODS if pod != victim]

    body = wait_until_done(api, request_id)
    assert body["status"] == "sent", body
    assert body["attempts"] == 1
    assert "permission is hereby granted" in words(body["transcript"]["text"])
    # The victim died before it could answer; the survivor did the whole transcription.
    assert transcriptions(stack, victim) == done[victim]
    assert transcriptions(stack, survivor) == done[survivor] + 1


def wait_for_pod_to_take_the_call(stack: Stack, received: dict[str, int]) -> str:
    """The pod that logs the upload of a new call (it is transcribing from then on)."""

    def pod_with_a_new_call() -> str | None:
        for pod, count in received.items():
            if len(events(stack, pod, "audio received")) > count:
                return pod
        return None

    return wait_until(pod_with_a_new_call, timeout_s=PICKED_WITHIN_S, what="a pod to take the call")
