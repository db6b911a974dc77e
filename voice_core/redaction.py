"""A structlog processor that keeps secrets out of logs.

Values under secret-looking keys are masked, and so is any known secret value wherever it
appears in a string, e.g. inside a URL or a message. The known secrets are the service's
settings typed `SecretStr`: declaring a setting secret is all it takes to keep it out of logs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, SecretStr
from structlog.typing import EventDict, Processor, WrappedLogger

MASK = "***"
_SECRET_KEY = re.compile(
    r"(secret|password|passwd|token|api_key|apikey|authorization|private_key)", re.I
)
_URL_PASSWORD = re.compile(r"(://[^:/@\s]+:)([^@\s]+)(@)")
# Shorter values are not masked inside text: they would garble every line they happen to match.
_MIN_SECRET_CHARS = 4


def secret_values(settings: BaseModel) -> list[str]:
    """The values of every `SecretStr` setting (nested models included), longest first, so a
    secret that contains another is masked whole."""
    found: list[str] = []
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            found.append(value.get_secret_value())
        elif isinstance(value, BaseModel):
            found.extend(secret_values(value))
    return sorted({v for v in found if len(v) >= _MIN_SECRET_CHARS}, key=len, reverse=True)


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


def secret_redactor(secrets: Iterable[str]) -> Processor:
    """A processor masking secret-keyed fields and every value in `secrets` (see
    `secret_values`)."""
    secrets = list(secrets)

    def redact(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
        return {key: _scrub_item(key, value, secrets) for key, value in event_dict.items()}

    return redact
