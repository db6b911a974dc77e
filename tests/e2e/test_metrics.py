"""Each service exposes Prometheus metrics; one voice note moves the counters that matter."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families

from devstack.stack import Stack
from tests.e2e.conftest import request_body, upload, wait_until_done
from tests.support import JFK_FLAC, wait_until


def scrape(stack: Stack, service: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a service's /metrics, keyed by name and labels."""
    port = stack.processes[service].metrics_port
    assert port is not None, f"{service} announced no metrics port"
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_one_voice_note_moves_every_services_counters(stack: Stack, api: httpx.Client) -> None:
    audio = upload(api, JFK_FLAC)
    created = api.post(
        "/v1/requests",
        json=request_body(audio, "metrics@example.com"),
    )
    assert wait_until_done(api, created.json())["status"] == "sent"

    gateway = scrape(stack, "gateway")
    assert (
        value(gateway, "http_requests_total", method="POST", route="/v1/requests", status="201")
        >= 1
    )
    assert (
        value(gateway, "http_requests_total", method="POST", route="/v1/audio", status="201") >= 1
    )

    ingest = scrape(stack, "ingest")
    assert (
        value(
            ingest,
            "grpc_server_handled_total",
            grpc_service="voice_agent.v1.IngestService",
            grpc_method="UploadAudio",
            grpc_code="OK",
        )
        >= 1
    )
    assert value(ingest, "audio_stored_bytes_total") >= JFK_FLAC.stat().st_size

    transcribe = scrape(stack, "transcribe")
    assert (
        value(
            transcribe,
            "grpc_server_handled_total",
            grpc_service="voice_agent.v1.TranscribeService",
            grpc_method="TranscribeStream",
            grpc_code="OK",
        )
        >= 1
    )
    assert value(transcribe, "transcription_audio_seconds_total") >= 11
    assert value(transcribe, "transcriptions_total", outcome="speech") >= 1
    assert value(transcribe, "transcription_real_time_factor_count") >= 1

    notify = scrape(stack, "notify")
    assert value(notify, "emails_total", provider="outbox", outcome="sent") >= 1

    # The scheduler counts the attempt just after recording it: poll, don't sleep.
    def counted() -> dict[tuple[str, frozenset[tuple[str, str]]], float] | None:
        metrics = scrape(stack, "scheduler")
        return metrics if value(metrics, "scheduler_attempts_total", outcome="sent") else None

    scheduler = wait_until(counted, timeout_s=10, what="the attempt to be counted")
    assert value(scheduler, "scheduler_claims_total") >= 1
    assert value(scheduler, "scheduler_attempts_total", outcome="sent") >= 1
    assert ("summary_requests", frozenset({("state", "due")})) in scheduler
