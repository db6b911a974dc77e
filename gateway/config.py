"""Settings of the HTTP gateway (environment variables, see .env.example)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from voice_core.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8000
    # Prometheus metrics (/metrics) on a port of their own.
    gateway_metrics_port: int = 9100
    ingest_addr: str = "127.0.0.1:50051"
    # Comma-separated browser origins allowed to call the API (the frontend's URL).
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["http://localhost:3000", "http://127.0.0.1:3000"]
    )
    max_upload_bytes: int = Field(default=100 * 1024 * 1024, gt=0)
    max_transcript_chars: int = Field(default=200_000, gt=0)
    # JSON bodies (everything but uploads) larger than this are refused with 413.
    max_json_body_bytes: int = Field(default=1024 * 1024, gt=0)
    rpc_timeout_s: float = 10.0
    upload_timeout_s: float = 600.0
    # Per-client token buckets: a steady rate per minute and a burst on top.
    rate_limit_uploads_per_minute: float = Field(default=10, gt=0)
    rate_limit_uploads_burst: int = Field(default=5, ge=1)
    rate_limit_requests_per_minute: float = Field(default=60, gt=0)
    rate_limit_requests_burst: int = Field(default=20, ge=1)
    # Proxies whose X-Forwarded-For is believed when telling clients apart ("*" trusts any).
    forwarded_allow_ips: str = "127.0.0.1"

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            value = [origin.strip() for origin in value.split(",") if origin.strip()]
        if isinstance(value, list) and "*" in value:
            raise ValueError("list the frontend's origins explicitly; '*' is not allowed")
        return value
