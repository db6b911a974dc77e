"""Evaluate the voice-note summarizer against lead-5, LexRank and TextRank on the dev set.

Run from the repository root: ``python -m eval.summary_eval`` (or ``python eval/summary_eval.py``).
``--verbose`` prints every note's summary. Exits 1 when a target is missed: coverage@60 at least
0.15 above the best baseline, next-step accuracy at least 0.9, format validity 1.0.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eval import baselines
from eval.baselines import Output, System, lead, sumy_system
from eval.metrics import check_format, coverage_at, next_step_correct
from transcribe_svc.summarizer import Segment, summarize

DEV_SET = Path(__file__).with_name("summary_dev.jsonl")
COVERAGE_MARGIN, NEXT_STEP_TARGET = 0.15, 0.9


@dataclass(frozen=True)
class Note:
    id: str
    category: str
    text: str
    language: str | None
    key_points: list[str]
    next_step: str | None
    alternatives: list[str]
    segments: list[Segment] | None


@dataclass(frozen=True)
class Result:
    """One system's output on one note, scored."""

    note: Note
    output: Output
    coverage: float
    next_step_ok: bool
    format_problem: str
    ms: float

    @property
    def words(self) -> int:
        return sum(len(b.split()) for b in self.output.bullets)


def load(path: Path) -> list[Note]:
    notes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        segments = [Segment(**s) for s in row["segments"]] if "segments" in row else None
        alternatives = row.get("next_step_alternatives", [])
        notes.append(
            Note(
                row["id"], row["category"], row["text"], row.get("language"), row["key_points"],
                row["next_step"], alternatives, segments,
            )
        )  # fmt: skip
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
        next_step_correct(found, step, note.next_step, note.alternatives),
        check_format(out.bullets, step, found, note.text, len(note.key_points)).problem,
        ms,
    )


def print_table(results: dict[str, list[Result]]) -> None:
    header = ("system", "coverage@60", "next-step", "format", "words", "mean ms", "p95 ms")
    print("{:<16}{:>12}{:>11}{:>8}{:>7}{:>9}{:>8}".format(*header))
    for name, rows in results.items():
        ms = sorted(r.ms for r in rows)
        print(
            f"{name:<16}{statistics.fmean(r.coverage for r in rows):>12.3f}"
            f"{statistics.fmean(r.next_step_ok for r in rows):>11.3f}"
            f"{statistics.fmean(not r.format_problem for r in rows):>8.3f}"
            f"{statistics.fmean(r.words for r in rows):>7.1f}"
            f"{statistics.fmean(ms):>9.2f}{ms[int(0.95 * (len(ms) - 1))]:>8.2f}"
        )


def print_categories(results: dict[str, list[Result]]) -> None:
    """Coverage@60 by kind of note, every system side by side."""
    categories = sorted({r.note.category for r in next(iter(results.values()))})
    print(f"\n{'coverage@60 by kind':<20}" + "".join(f"{name[:12]:>14}" for name in results))
    for category in categories:
        cells = [
            statistics.fmean(r.coverage for r in rows if r.note.category == category)
            for rows in results.values()
        ]
        count = sum(r.note.category == category for r in next(iter(results.values())))
        print(f"{category + f' ({count})':<20}" + "".join(f"{c:>14.2f}" for c in cells))


def print_notes(rows: list[Result]) -> None:
    for r in rows:
        verdict = "ok" if r.next_step_ok else "WRONG"
        print(f"== {r.note.id}  coverage={r.coverage:.2f}  next step {verdict} {r.format_problem}")
        for bullet in r.output.bullets:
            print(f"   * {bullet}")
        print(f"   -> [{r.output.next_step_found}] {r.output.next_step}")
        print(f"      expected: {r.note.next_step}")


def latency_ms(words: int, notes: list[Note], runs: int) -> float:
    """Median time to summarize a transcript of ``words`` words built from the English notes."""
    pool = " ".join(n.text for n in notes if n.language == "en" and n.text[:1].isupper()).split()
    text = " ".join((pool * (words // len(pool) + 1))[:words])
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        summarize(text)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def check_targets(results: dict[str, list[Result]]) -> bool:
    coverage = {name: statistics.fmean(r.coverage for r in rows) for name, rows in results.items()}
    bar = max(c for name, c in coverage.items() if name != "ours") + COVERAGE_MARGIN
    mine = results["ours"]
    targets = {
        f"coverage@60 >= best baseline + {COVERAGE_MARGIN} ({bar:.3f})": coverage["ours"] >= bar,
        f"next-step accuracy >= {NEXT_STEP_TARGET}": (
            statistics.fmean(r.next_step_ok for r in mine) >= NEXT_STEP_TARGET
        ),
        "format validity = 1.0": not any(r.format_problem for r in mine),
    }
    print()
    for target, met in targets.items():
        print(f"{'PASS' if met else 'FAIL'}  {target}")
    return all(targets.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev-set", type=Path, default=DEV_SET)
    parser.add_argument("--verbose", action="store_true", help="print each note's summary")
    parser.add_argument(
        "--baseline-splitter",
        choices=baselines.SPLITTERS,
        default="punctuation",
        help="sentence splitter the baselines get (default: punctuation, as punkt would)",
    )
    args = parser.parse_args(argv)
    baselines.splitter = args.baseline_splitter
    notes = load(args.dev_set)
    systems: dict[str, System] = {"ours": ours, "lead-5": lead}
    try:
        systems["lexrank/sumy"] = sumy_system("lexrank")
        systems["textrank/sumy"] = sumy_system("textrank")
    except ImportError:
        print("sumy is not installed: LexRank/TextRank baselines skipped (pip install sumy)")
    results = {name: [run(system, n) for n in notes] for name, system in systems.items()}
    if args.verbose:
        print_notes(results["ours"])
    without = sum(n.next_step is None for n in notes)
    print(f"\n{len(notes)} voice notes, {without} without a next step\n")
    print_table(results)
    print_categories(results)
    print(
        f"\nours, 1,000-word transcript: {latency_ms(1_000, notes, runs=21):.1f} ms (median of 21)"
    )
    print(f"ours, 20,000-word transcript: {latency_ms(20_000, notes, runs=5):.1f} ms (median of 5)")
    return 0 if check_targets(results) else 1


if __name__ == "__main__":
    sys.exit(main())
