"""The labelled voice notes of the evaluation, and one system's scored output on one of them."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from eval.baselines import Output, System
from eval.metrics import check_format, coverage_at, covers_all, next_step_correct
from transcribe_svc.summarizer import Segment, summarize

DEV_SET = Path(__file__).with_name("summary_dev.jsonl")
HELDOUT_SET = Path(__file__).with_name("summary_heldout.jsonl")
# Note ids of the written sets start with their writer ("w5-sales-2"); the first notes do not.
_WRITER_RE = re.compile(r"^(w\d+)-")
FIRST_NOTES_WRITER = "w0"


@dataclass(frozen=True)
class Note:
    id: str
    category: str
    text: str
    language: str | None
    # "punctuated", "asr" (lower-case run-on text) or "tts-asr" (spoken by espeak-ng, then
    # transcribed by Whisper); older notes without the field are told apart by their capitals.
    style: str
    key_points: list[str]
    # The key points a summary would be wrong to miss; [] where the note was labelled without.
    must_cover: list[str]
    next_step: str | None
    alternatives: list[str]
    segments: list[Segment] | None
    # Where the note came from when it joined dev from elsewhere ("heldout-r2": the held-out set
    # of round 2, moved to dev once it had been scored twice); "" for notes written for dev.
    origin: str = ""

    @property
    def writer(self) -> str:
        """Who wrote the note: ``w1`` ... from its id, ``w0`` for the first notes."""
        found = _WRITER_RE.match(self.id)
        return found.group(1) if found else FIRST_NOTES_WRITER


@dataclass(frozen=True)
class Result:
    """One system's output on one note, scored."""

    note: Note
    output: Output
    coverage: float
    must_cover_ok: bool
    next_step_ok: bool
    format_problem: str
    ms: float

    @property
    def words(self) -> int:
        return sum(len(b.split()) for b in self.output.bullets)


def load(path: Path) -> list[Note]:
    """The notes of a JSON Lines file; [] when it does not exist."""
    if not path.exists():
        return []
    notes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        segments = [Segment(**s) for s in row["segments"]] if "segments" in row else None
        text = row["text"]
        style = row.get("style") or ("punctuated" if any(c.isupper() for c in text) else "asr")
        notes.append(
            Note(
                id=row["id"],
                category=row["category"],
                text=text,
                language=row.get("language"),
                style=style,
                key_points=row["key_points"],
                must_cover=row.get("must_cover", []),
                next_step=row["next_step"],
                alternatives=row.get("next_step_alternatives", []),
                segments=segments,
                origin=row.get("origin", ""),
            )
        )
    return notes


def ours(text: str, segments: Sequence[Segment] | None, language: str | None) -> Output:
    summary = summarize(text, segments=segments, language=language)
    return Output(list(summary.bullets), summary.next_step, summary.next_step_found)


def run(system: System, note: Note) -> Result:
    started = time.perf_counter()
    out = system(note.text, note.segments, note.language)
    ms = (time.perf_counter() - started) * 1000
    found, step = out.next_step_found, out.next_step
    return Result(
        note,
        out,
        coverage_at(out.bullets, note.key_points),
        covers_all(out.bullets, note.must_cover),
        next_step_correct(found, step, note.next_step, note.alternatives),
        check_format(out.bullets, step, found, note.text, len(note.key_points)).problem,
        ms,
    )
