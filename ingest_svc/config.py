"""Settings of the ingest service (environment variables, see .env.example)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator

from voice_core.settings import DatabaseSettings


class IngestSettings(DatabaseSettings):
    ingest_port: int = 50051
    # Prometheus metrics (/metrics) on a port of their own.
    ingest_metrics_port: int = 9101
    storage_backend: Literal["local", "supabase"] = "local"
    # Local backend: where audio files live.
    audio_dir: Path = Path(".data/audio")
    # Supabase backend: project URL, service-role key and the private bucket.
    supabase_url: str = ""
    supabase_service_role_key: SecretStr = SecretStr("")
    supabase_bucket: str = "voice-audio"
    # Uploads larger than this are refused while streaming.
    # 128 MiB: a note of TRANSCRIBE_MAX_AUDIO_S (2 h) as a 128 kbit/s mp3 (115 MB) fits.
    max_upload_bytes: int = Field(default=128 * 1024 * 1024, gt=0)
    # Uploads spooled at once; more are refused with 503 and Retry-After. With the spool on a
    # size-limited volume (Kubernetes emptyDir), keep UPLOAD_SLOTS × MAX_UPLOAD_BYTES below it.
    upload_slots: int = Field(default=8, ge=1)
    # An upload is admitted only if the spool's disk keeps this much free after it and the
    # uploads in progress reached MAX_UPLOAD_BYTES.
    spool_min_free_bytes: int = Field(default=256 * 1024 * 1024, ge=0)
    # Raw transcripts longer than this are refused.
    max_transcript_chars: int = 200_000
    # Double opt-in: "required" holds a request to an address that has not confirmed (it gets
    # one fixed confirmation email instead); "off" mails any address at once (a trusted
    # single-user box only: anyone who reaches the API can send mail to anyone).
    recipient_confirmation: Literal["required", "off"] = "required"
    # Notify, which sends the confirmation emails.
    notify_addr: str = "127.0.0.1:50053"
    notify_timeout_s: float = Field(default=30.0, gt=0)
    # Finished requests (sent, failed, canceled) lose their content this many days after they
    # last changed, and files never used by a live request this many days after upload.
    retention_days: int = Field(default=30, ge=1)
    # How often each ingest process sweeps (retention, and spool files an upload left behind).
    retention_sweep_interval_s: float = Field(default=3600.0, gt=0)

    @model_validator(mode="after")
    def _supabase_needs_credentials(self) -> IngestSettings:
        if self.storage_backend != "supabase":
            return self
        if not (self.supabase_url and self.supabase_service_role_key.get_secret_value()):
            raise ValueError(
                "STORAGE_BACKEND=supabase needs SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY"
            )
        if not self.supabase_url.startswith(("https://", "http://")):
            raise ValueError("SUPABASE_URL must be the project URL: https://<ref>.supabase.co")
        return self
