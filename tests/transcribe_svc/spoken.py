"""Long voice notes whose words are known: English notes of the evaluation set read aloud by
espeak-ng (`.ci/run` installs it), one after another with a pause between them, and the word
error rate of a transcript against what was said (`jiwer`).

Each note is different text, so Whisper never meets a repeat in one window (it would take it
for a hallucination), and the cuts fall wherever the pauses are, as in a real recording.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import jiwer
import numpy as np

from tests.transcribe_svc.media import Samples, read, silence

EVAL_NOTES = Path(__file__).parents[2] / "eval" / "summary_dev.jsonl"
# espeak-ng's words per minute: a brisk but clear speaker.
_WORDS_PER_MINUTE = "160"
_PAUSE_S = 1.0
_NORMALIZE = jiwer.Compose(
    [
        jiwer.ToLowerCase(),
        jiwer.SubstituteRegexes({r"[-–—/]": " "}),
        jiwer.RemovePunctuation(),  # type: ignore[no-untyped-call]
        jiwer.RemoveMultipleSpaces(),
        jiwer.Strip(),
        jiwer.ReduceToListOfListOfWords(),
    ]
)


@dataclass(frozen=True)
class SpokenNote:
    samples: Samples
    text: str

    @property
    def seconds(self) -> float:
        return len(self.samples) / 16_000


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def _english_texts() -> list[str]:
    notes = [json.loads(line) for line in EVAL_NOTES.read_text().splitlines() if line.strip()]
    return [
        note["text"]
        for note in notes
        if note.get("language", "en") == "en" and note.get("style") != "asr"
    ]


@functools.cache
def spoken_note(min_seconds: float) -> SpokenNote:
    """Notes read aloud until the recording lasts at least `min_seconds` (16 kHz mono)."""
    parts: list[Samples] = []
    said: list[str] = []
    seconds = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for number, text in enumerate(_english_texts()):
            wav = Path(folder) / f"{number}.wav"
            subprocess.run(
                ["espeak-ng", "-v", "en-us", "-s", _WORDS_PER_MINUTE, "-w", str(wav), text],
                check=True,
            )
            parts += [read(wav), silence(_PAUSE_S)]
            said.append(text)
            seconds += len(parts[-2]) / 16_000 + _PAUSE_S
            if seconds >= min_seconds:
                break
    if seconds < min_seconds:
        raise ValueError(f"the notes last {seconds:.0f} s, less than {min_seconds:.0f} s")
    return SpokenNote(np.concatenate(parts), " ".join(said))


def word_error_rate(reference: str, transcript: str) -> float:
    """WER after lower-casing and removing punctuation on both sides."""
    return float(
        jiwer.wer(
            reference,
            transcript,
            reference_transform=_NORMALIZE,
            hypothesis_transform=_NORMALIZE,
        )
    )
