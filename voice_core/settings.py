"""Settings from environment variables, validated at start.

Each service declares a subclass of `ServiceSettings`; field names are the environment
variable names (case-insensitive). A missing or invalid value stops the service with a
message that names the variable, instead of failing later on first use.
"""

from __future__ import annotations

import sys
from typing import Literal, TypeVar

from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

SettingsT = TypeVar("SettingsT", bound="ServiceSettings")


class ServiceSettings(BaseSettings):
    """Settings every service reads."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Interface the gRPC server binds to; 0.0.0.0 inside containers.
    grpc_host: str = "127.0.0.1"
    # Seconds in-flight RPCs get to finish after SIGTERM.
    shutdown_grace_s: float = 10.0


class DatabaseSettings(ServiceSettings):
    """Settings of services that use Postgres."""

    database_url: str
    db_pool_min_size: int = 1
    db_pool_max_size: int = 10


def describe_validation_error(error: ValidationError) -> str:
    """One line per bad variable, naming it the way it is set: upper-case."""
    lines = []
    for problem in error.errors():
        variable = "_".join(str(part) for part in problem["loc"]).upper()
        lines.append(f"  {variable}: {problem['msg']}")
    return "\n".join(lines)


def load_settings(settings_type: type[SettingsT]) -> SettingsT:
    """Read settings from the environment, or exit with a clear message."""
    try:
        return settings_type()
    except ValidationError as error:
        print(
            f"Invalid configuration for {settings_type.__name__}:\n"
            f"{describe_validation_error(error)}\n"
            "See .env.example for every variable and its meaning.",
            file=sys.stderr,
        )
        raise SystemExit(2) from None
