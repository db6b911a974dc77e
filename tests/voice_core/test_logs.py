"""JSON log lines with service and request id; secrets never printed."""

from __future__ import annotations

import json
import logging

import pytest
import structlog

from voice_core.context import bind_request_id
from voice_core.logs import configure_logging, stop_logging


def log_lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    stop_logging()  # flushes the queue
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_lines_are_json_with_service_level_time_and_request_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("ingest", "INFO")
    structlog.contextvars.clear_contextvars()
    bind_request_id("req-123")
    structlog.get_logger("t").info("audio stored", size_bytes=42)
    logging.getLogger("uvicorn.error").warning("from the standard library")
    structlog.contextvars.clear_contextvars()

    first, second = log_lines(capsys)
    assert first["event"] == "audio stored"
    assert first["service"] == "ingest"
    assert first["level"] == "info"
    assert first["request_id"] == "req-123"
    assert first["size_bytes"] == 42
    assert "timestamp" in first
    assert second["event"] == "from the standard library"
    assert second["level"] == "warning"


def test_secrets_are_redacted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MAILJET_API_SECRET", "s3cr3t-value-123")
    configure_logging("notify", "INFO")
    log = structlog.get_logger("t")
    log.info("calling provider", api_key="abcd1234", detail="auth failed for s3cr3t-value-123")
    log.info("connecting", url="postgresql://user:hunter2@db:5432/app")

    output = json.dumps(log_lines(capsys))
    assert "s3cr3t-value-123" not in output
    assert "abcd1234" not in output
    assert "hunter2" not in output
    assert output.count("***") == 3
