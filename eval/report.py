"""Tables of the summary evaluation: each system's figures, breakdowns, and single notes."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from eval.notes import Note, Result

Results = dict[str, list[Result]]


@dataclass(frozen=True)
class Figures:
    """One system's figures on one set of notes."""

    coverage: float
    # Share of the notes with must-cover facts that cover every one; None when none has any.
    must_cover: float | None
    next_step: float
    format: float
    words: float
    mean_ms: float
    p95_ms: float


def figures(rows: Sequence[Result]) -> Figures:
    ms = sorted(r.ms for r in rows)
    labelled = [r for r in rows if r.note.must_cover]
    return Figures(
        coverage=statistics.fmean(r.coverage for r in rows),
        must_cover=statistics.fmean(r.must_cover_ok for r in labelled) if labelled else None,
        next_step=statistics.fmean(r.next_step_ok for r in rows),
        format=statistics.fmean(not r.format_problem for r in rows),
        words=statistics.fmean(r.words for r in rows),
        mean_ms=statistics.fmean(ms),
        p95_ms=ms[int(0.95 * (len(ms) - 1))],
    )


def describe(name: str, notes: Sequence[Note]) -> str:
    without = sum(n.next_step is None for n in notes)
    languages = " ".join(
        f"{code}:{sum(n.language == code for n in notes)}"
        for code in sorted({n.language or "?" for n in notes})
    )
    styles = " ".join(
        f"{style}:{sum(n.style == style for n in notes)}"
        for style in sorted({n.style for n in notes})
    )
    kinds = len({n.category for n in notes})
    moved = sorted({n.origin for n in notes if n.origin})
    origins = "".join(f"; from {o}: {sum(n.origin == o for n in notes)}" for o in moved)
    return (
        f"{name}: {len(notes)} notes, {kinds} kinds, {without} without a next step; "
        f"{languages}; {styles}{origins}"
    )


def print_table(results: Results) -> None:
    header = ("system", "coverage@60", "must-cover", "next-step", "format", "words", "mean ms")
    print("{:<16}{:>12}{:>11}{:>10}{:>8}{:>7}{:>9}".format(*header))
    for name, rows in results.items():
        f = figures(rows)
        print(
            f"{name:<16}{f.coverage:>12.3f}{_optional(f.must_cover, 11, 3)}{f.next_step:>10.3f}"
            f"{f.format:>8.3f}{f.words:>7.1f}{f.mean_ms:>9.2f}"
        )


def print_gap(dev: Figures, heldout: Figures) -> None:
    """Dev minus held-out for the summarizer: a large positive gap means overfitting."""
    print("\ndev - held-out (ours):", end="")
    must = "n/a"
    if dev.must_cover is not None and heldout.must_cover is not None:
        must = f"{dev.must_cover - heldout.must_cover:+.3f}"
    print(
        f"  coverage@60 {dev.coverage - heldout.coverage:+.3f}  must-cover {must}"
        f"  next-step {dev.next_step - heldout.next_step:+.3f}"
        f"  format {dev.format - heldout.format:+.3f}"
    )


def print_breakdown(results: Results) -> None:
    """The summarizer by language, style and kind of note, with the best baseline's coverage."""
    mine = results["ours"]
    others = {name: rows for name, rows in results.items() if name != "ours"}
    groups: list[tuple[str, Callable[[Note], str]]] = [
        ("language", lambda n: n.language or "?"),
        ("style", lambda n: n.style),
        ("kind", lambda n: n.category),
    ]
    for title, key in groups:
        print(f"\n{'by ' + title:<22}{'cover@60':>9}{'must':>7}{'next':>7}{'best base':>10}")
        for value in sorted({key(r.note) for r in mine}):
            rows = [r for r in mine if key(r.note) == value]
            f = figures(rows)
            base = max(
                statistics.fmean(r.coverage for r in other if key(r.note) == value)
                for other in others.values()
            ) if others else 0.0  # fmt: skip
            print(
                f"{f'{value} ({len(rows)})':<22}{f.coverage:>9.2f}{_optional(f.must_cover, 7, 2)}"
                f"{f.next_step:>7.2f}{base:>10.2f}"
            )


def _optional(value: float | None, width: int, digits: int) -> str:
    return f"{'n/a':>{width}}" if value is None else f"{value:>{width}.{digits}f}"


def print_notes(rows: Sequence[Result], only_misses: bool) -> None:
    for r in rows:
        missed = r.coverage < 1 or not r.must_cover_ok or not r.next_step_ok or r.format_problem
        if only_misses and not missed:
            continue
        verdict = "ok" if r.next_step_ok else "WRONG"
        must = "" if r.must_cover_ok else "  MUST-COVER MISSED"
        print(
            f"== {r.note.id} [{r.note.language} {r.note.style}] coverage={r.coverage:.2f}"
            f"{must}  next step {verdict} {r.format_problem}"
        )
        for bullet in r.output.bullets:
            print(f"   * {bullet}")
        print(f"   -> [{r.output.next_step_found}] {r.output.next_step}")
        print(f"      expected: {r.note.next_step}")
        if only_misses:
            print(f"      key points: {r.note.key_points}  must: {r.note.must_cover}")
