"""JSON log lines with service and request id; secrets never printed."""

from __future__ import annotations

import json
import logging
import re

import pytest
import structlog
from pydantic import SecretStr

from gateway.config import GatewaySettings
from ingest_svc.config import IngestSettings
from notify_svc.config import NotifySettings
from scheduler.config import SchedulerSettings
from transcribe_svc.config import TranscribeSettings
from voice_core.context import bind_request_id
from voice_core.logs import configure_logging, stop_logging
from voice_core.settings import ServiceSettings


def log_lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    stop_logging()  # flushes the queue
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_lines_are_json_with_service_level_time_and_request_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("ingest", ServiceSettings())
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


SETTINGS_TYPES: list[type[ServiceSettings]] = [
    GatewaySettings,
    IngestSettings,
    NotifySettings,
    SchedulerSettings,
    TranscribeSettings,
]
_SECRET_NAME = re.compile(r"(key|secret|token|password)", re.I)


def test_every_secret_setting_is_masked_wherever_it_appears(
    capsys: pytest.CaptureFixture[str],
) -> None:
    secrets = {
        "mailjet_api_key": "mj-key-0123",
        "mailjet_api_secret": "s3cr3t-value-123",
        "internal_auth_token": "internal-token-456",
    }
    settings = NotifySettings(
        database_url=SecretStr("postgresql://user:hunter2@db:5432/app"),
        email_backend="mailjet",
        mail_from_email="notes@example.com",
        **secrets,  # type: ignore[arg-type]
    )
    configure_logging("notify", settings)
    log = structlog.get_logger("t")
    log.info("calling provider", api_key="abcd1234", detail="auth failed for s3cr3t-value-123")
    log.info("connecting", url="postgresql://user:hunter2@db:5432/app")
    log.info("settings", settings=repr(settings), keys=[secrets["mailjet_api_key"]])
    logging.getLogger("httpx").warning("sent x-internal-token: %s", secrets["internal_auth_token"])

    lines = log_lines(capsys)
    assert len(lines) == 4
    output = json.dumps(lines)
    for secret in [*secrets.values(), "abcd1234", "hunter2"]:
        assert secret not in output


def test_every_setting_named_like_a_secret_is_a_secret_str() -> None:
    """A secret setting typed `str` would not be masked: each must be declared `SecretStr`.
    (A path to a key file, such as GRPC_TLS_KEY, is not a secret itself.)"""
    plain = [
        f"{settings_type.__name__}.{name}"
        for settings_type in SETTINGS_TYPES
        for name, field in settings_type.model_fields.items()
        if _SECRET_NAME.search(name) and field.annotation in (str, str | None)
    ]
    assert plain == []
