"""Settings of the HTTP gateway (environment variables, see .env.example)."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from voice_core.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8000
    # Prometheus metrics (/metrics) on a port of their own.
    gateway_metrics_port: int = 9100
    ingest_addr: str = "127.0.0.1:50051"
    # Asked which speech model the deployment runs (GET /v1/config, a request's language).
    transcribe_addr: str = "127.0.0.1:50052"
    # Comma-separated browser origins allowed to call the API (the frontend's URL).
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["http://localhost:3000", "http://127.0.0.1:3000"]
    )
    # 128 MiB: a note of TRANSCRIBE_MAX_AUDIO_S (2 h) as a 128 kbit/s mp3 (115 MB) fits.
    max_upload_bytes: int = Field(default=128 * 1024 * 1024, gt=0)
    max_transcript_chars: int = Field(default=200_000, gt=0)
    # JSON bodies (everything but uploads) larger than this are refused with 413.
    max_json_body_bytes: int = Field(default=1024 * 1024, gt=0)
    rpc_timeout_s: float = 10.0
    upload_timeout_s: float = 600.0
    # "off" lifts every rate limit at once: benchmarks, load tests, a trusted single-user box.
    # Never on a gateway the internet can reach (see README, "Abuse limits").
    rate_limits: Literal["on", "off"] = "on"
    # Token buckets per client address: a steady rate per minute and a burst on top. Uploads;
    # every other call that changes something (POST, DELETE); and reads (everything else).
    rate_limit_uploads_per_minute: float = Field(default=10, gt=0)
    rate_limit_uploads_burst: int = Field(default=5, ge=1)
    rate_limit_requests_per_minute: float = Field(default=60, gt=0)
    rate_limit_requests_burst: int = Field(default=20, ge=1)
    rate_limit_reads_per_minute: float = Field(default=120, gt=0)
    rate_limit_reads_burst: int = Field(default=60, ge=1)
    # Per recipient address, whoever asks: summary requests naming one mailbox, per hour.
    rate_limit_recipient_per_hour: float = Field(default=10, gt=0)
    rate_limit_recipient_burst: int = Field(default=5, ge=1)
    # Keys each limit remembers (about 250 bytes each); the least recently seen go first.
    rate_limit_max_keys: int = Field(default=50_000, ge=1)
    # Proxies (addresses or networks, comma-separated) whose X-Forwarded-For names the client.
    # Empty: none, the socket's peer is the client.
    forwarded_allow_ips: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            value = [origin.strip() for origin in value.split(",") if origin.strip()]
        if isinstance(value, list) and "*" in value:
            raise ValueError("list the frontend's origins explicitly; '*' is not allowed")
        return value

    @field_validator("forwarded_allow_ips", mode="before")
    @classmethod
    def _parse_proxies(cls, value: object) -> object:
        if isinstance(value, str):
            value = [entry.strip() for entry in value.split(",") if entry.strip()]
        if not isinstance(value, list):
            return value
        if "*" in value:
            # With "*" the client's own first X-Forwarded-For entry would be believed.
            raise ValueError("name the proxies' addresses or networks; '*' is not allowed")
        # Parsed here, so that a typo stops the gateway instead of silently trusting nobody.
        return [str(ipaddress.ip_network(entry, strict=False)) for entry in value]
