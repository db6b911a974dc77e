"""Settings fail fast, naming the variable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gateway.config import GatewaySettings
from ingest_svc.config import IngestSettings
from notify_svc.config import NotifySettings
from scheduler.config import SchedulerSettings
from transcribe_svc.config import TranscribeSettings
from voice_core.settings import load_settings


def test_missing_database_url_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(SystemExit) as exited:
        load_settings(IngestSettings)
    assert exited.value.code == 2
    assert "DATABASE_URL" in capsys.readouterr().err


def test_invalid_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql:///x")
    monkeypatch.setenv("SCHEDULER_CONCURRENCY", "lots")
    with pytest.raises(SystemExit):
        load_settings(SchedulerSettings)
    assert "SCHEDULER_CONCURRENCY" in capsys.readouterr().err


def test_backend_without_credentials_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql:///x")
    monkeypatch.setenv("EMAIL_BACKEND", "mailjet")
    monkeypatch.delenv("MAILJET_API_KEY", raising=False)
    with pytest.raises(SystemExit):
        load_settings(NotifySettings)
    assert "MAILJET_API_KEY" in capsys.readouterr().err


def test_defaults_need_only_the_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql:///x")
    settings = load_settings(SchedulerSettings)
    assert settings.transcribe_addr == "127.0.0.1:50052"
    assert settings.max_attempts == 5


def test_every_setting_is_documented_in_env_example() -> None:
    """Each service's variables appear in .env.example, where operators look for them."""
    text = (Path(__file__).parents[2] / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))
    settings_types = (
        GatewaySettings,
        IngestSettings,
        NotifySettings,
        SchedulerSettings,
        TranscribeSettings,
    )
    for settings_type in settings_types:
        missing = {name.upper() for name in settings_type.model_fields} - documented
        assert not missing, f"{settings_type.__name__}: {sorted(missing)} not in .env.example"
