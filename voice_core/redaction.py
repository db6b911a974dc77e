"""A structlog processor that keeps secrets out of logs.

Values under secret-looking keys are masked, and so is any known secret value (read from the
environment when logging is configured) wherever it appears in a string, e.g. inside a URL or
a message.
"""

from __future__ import annotations

import os
import re
from typing import Any

from structlog.typing import EventDict, Processor, WrappedLogger

MASK = "***"
_SECRET_KEY = re.compile(
    r"(secret|password|passwd|token|api_key|apikey|authorization|private_key)", re.I
)
# Environment variables whose values must never appear in a log line.
_SECRET_ENV_VARS = (
    "MAILJET_API_KEY",
    "MAILJET_API_SECRET",
    "SUPABASE_SERVICE_ROLE_KEY",
    "INTERNAL_AUTH_TOKEN",
)
_URL_PASSWORD = re.compile(r"(://[^:/@\s]+:)([^@\s]+)(@)")


def _known_secret_values() -> list[str]:
    return [value for name in _SECRET_ENV_VARS if len(value := os.environ.get(name, "")) >= 4]


def _scrub(value: Any, secrets: list[str]) -> Any:
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, MASK)
        return _URL_PASSWORD.sub(rf"\g<1>{MASK}\g<3>", value)
    if isinstance(value, dict):
        return {key: _scrub_item(key, item, secrets) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item, secrets) for item in value]
    return value


def _scrub_item(key: Any, value: Any, secrets: list[str]) -> Any:
    if isinstance(key, str) and _SECRET_KEY.search(key) and value:
        return MASK
    return _scrub(value, secrets)


def secret_redactor() -> Processor:
    """A processor masking secret-keyed fields and the secrets set in the environment now.

    The environment is read once, here, not on every log line: settings are fixed at start.
    """
    secrets = _known_secret_values()

    def redact(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
        return {key: _scrub_item(key, value, secrets) for key, value in event_dict.items()}

    return redact
