"""Settings from environment variables, validated at start.

Each service declares a subclass of `ServiceSettings`; field names are the environment
variable names (case-insensitive). A missing or invalid value stops the service with a
message that names the variable, instead of failing later on first use.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SettingsT = TypeVar("SettingsT", bound="ServiceSettings")


class ServiceSettings(BaseSettings):
    """Settings every service reads."""

    # An empty value means unset, for every setting: `.env.example` lists each variable, many
    # as `NAME=`, and a copy of it (compose's env_file) must start every service on defaults.
    model_config = SettingsConfigDict(extra="ignore", frozen=True, env_ignore_empty=True)

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Interface the gRPC server binds to; 0.0.0.0 inside containers.
    grpc_host: str = "127.0.0.1"
    # Seconds in-flight RPCs get to finish after SIGTERM.
    shutdown_grace_s: float = 10.0
    # Shared secret every internal gRPC call carries (health checks excepted). Servers refuse
    # to start without it; `make run` generates one.
    internal_auth_token: SecretStr = SecretStr("")
    # Optional TLS for gRPC: certificate and key (servers, and clients for mutual TLS), and the
    # CA that signs them (clients verify servers with it; servers then require client certs).
    grpc_tls_cert: Path | None = None
    grpc_tls_key: Path | None = None
    grpc_tls_ca: Path | None = None
    # Server reflection lets grpcurl discover the API; turn it off in production if you like.
    grpc_reflection: bool = True


class DatabaseSettings(ServiceSettings):
    """Settings of services that use Postgres."""

    # Secret: it usually holds the database password (and so is masked in every log line).
    database_url: SecretStr
    db_pool_min_size: int = 1
    db_pool_max_size: int = 10
    # Executions of one statement before psycopg prepares it on the server; `none` never
    # prepares (needed behind a transaction-mode pooler such as Supabase's on port 6543).
    db_prepare_threshold: int | None = 5

    @field_validator("db_prepare_threshold", mode="before")
    @classmethod
    def _none_disables(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower() == "none":
            return None
        return value


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
