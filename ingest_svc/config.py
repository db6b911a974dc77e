"""Settings of the ingest service (environment variables, see .env.example)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import model_validator

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
    supabase_service_role_key: str = ""
    supabase_bucket: str = "voice-audio"
    # Uploads larger than this are refused while streaming.
    max_upload_bytes: int = 100 * 1024 * 1024
    # Raw transcripts longer than this are refused.
    max_transcript_chars: int = 200_000

    @model_validator(mode="after")
    def _supabase_needs_credentials(self) -> IngestSettings:
        if self.storage_backend != "supabase":
            return self
        if not (self.supabase_url and self.supabase_service_role_key):
            raise ValueError(
                "STORAGE_BACKEND=supabase needs SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY"
            )
        if not self.supabase_url.startswith(("https://", "http://")):
            raise ValueError("SUPABASE_URL must be the project URL: https://<ref>.supabase.co")
        return self
