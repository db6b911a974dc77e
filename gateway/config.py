"""Settings of the HTTP gateway (environment variables, see .env.example)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from voice_core.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8000
    ingest_addr: str = "127.0.0.1:50051"
    # Comma-separated browser origins allowed to call the API (the frontend's URL).
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["http://localhost:3000", "http://127.0.0.1:3000"]
    )
    max_upload_bytes: int = 100 * 1024 * 1024
    max_transcript_chars: int = 200_000
    rpc_timeout_s: float = 10.0
    upload_timeout_s: float = 600.0

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value
