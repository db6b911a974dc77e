"""Settings fail fast, naming the variable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from dotenv import dotenv_values

from gateway.config import GatewaySettings
from ingest_svc.config import IngestSettings
from notify_svc.config import NotifySettings
from scheduler.config import SchedulerSettings
from transcribe_svc.config import TranscribeSettings
from voice_core.settings import ServiceSettings, load_settings

ENV_EXAMPLE = Path(__file__).parents[2] / ".env.example"
SETTINGS_TYPES: tuple[type[ServiceSettings], ...] = (
    GatewaySettings,
    IngestSettings,
    NotifySettings,
    SchedulerSettings,
    TranscribeSettings,
)


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
    text = ENV_EXAMPLE.read_text()
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))
    for settings_type in SETTINGS_TYPES:
        missing = {name.upper() for name in settings_type.model_fields} - documented
        assert not missing, f"{settings_type.__name__}: {sorted(missing)} not in .env.example"


def test_an_empty_value_means_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    """`GRPC_TLS_CERT=` is no certificate, not the current folder; `DB_POOL_MAX_SIZE=` is 10."""
    monkeypatch.setenv("DATABASE_URL", "postgresql:///x")
    for name in ("GRPC_TLS_CERT", "GRPC_TLS_KEY", "GRPC_TLS_CA", "DB_POOL_MAX_SIZE", "LOG_LEVEL"):
        monkeypatch.setenv(name, "")
    settings = load_settings(SchedulerSettings)
    assert (settings.grpc_tls_cert, settings.grpc_tls_key, settings.grpc_tls_ca) == (None,) * 3
    assert settings.db_pool_max_size == 10
    assert settings.log_level == "INFO"


def test_an_empty_required_value_is_still_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "")
    with pytest.raises(SystemExit):
        load_settings(NotifySettings)
    assert "DATABASE_URL: Field required" in capsys.readouterr().err


@pytest.mark.parametrize("settings_type", SETTINGS_TYPES)
def test_env_example_as_copied_gives_the_defaults(
    settings_type: type[ServiceSettings], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cp .env.example .env` (every line as it is, `NAME=` too) sets what leaving it out does."""
    example = dotenv_values(ENV_EXAMPLE)
    for name in example:
        monkeypatch.delenv(name, raising=False)
    # The one setting without a default, commented out in .env.example.
    monkeypatch.setenv("DATABASE_URL", "postgresql:///x")
    defaults = load_settings(settings_type)
    for name, value in example.items():
        monkeypatch.setenv(name, value or "")
    assert load_settings(settings_type) == defaults
