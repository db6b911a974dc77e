"""Evaluate the voice-note summarizer against lead-5, LexRank and TextRank, dev and held-out.

Run from the repository root: ``python -m eval.summary_eval`` (or ``python eval/summary_eval.py``).
The development set (``summary_dev.jsonl``) is what the summarizer may be tuned on; the held-out
set (``summary_heldout.jsonl``) is only ever scored, never printed note by note. The targets apply
to the held-out set (to dev with ``--dev-only``, the mode for tuning); the exit status is 1 when
one is missed. An empty or missing held-out set (between rounds, before a fresh one is written)
is reported as such: dev is scored and no target is checked.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eval import baselines
from eval.baselines import System, lead, sumy_system
from eval.notes import DEV_SET, HELDOUT_SET, Note, load, ours, run
from eval.report import (
    Figures,
    Results,
    describe,
    figures,
    print_breakdown,
    print_gap,
    print_notes,
    print_table,
)
from eval.writer_cv import cross_validate, print_cross_validation
from transcribe_svc.summarizer import summarize

COVERAGE_TARGET, MUST_COVER_TARGET, NEXT_STEP_TARGET, FORMAT_TARGET = 0.90, 1.0, 0.95, 1.0
LATENCY_TARGET_MS = 20.0


def systems() -> dict[str, System]:
    found: dict[str, System] = {"ours": ours, "lead-5": lead}
    try:
        found["lexrank/sumy"] = sumy_system("lexrank")
        found["textrank/sumy"] = sumy_system("textrank")
    except ImportError:
        print("sumy is not installed: LexRank/TextRank baselines skipped (pip install sumy)")
    return found


def evaluate(notes: list[Note]) -> Results:
    return {name: [run(system, n) for n in notes] for name, system in systems().items()}


def latency_ms(words: int, notes: list[Note], runs: int) -> float:
    """Median CPU time to summarize a transcript of ``words`` words built from the English
    notes. CPU time, not wall time: on a shared machine other work would otherwise be counted."""
    pool = " ".join(n.text for n in notes if n.language == "en" and n.text[:1].isupper()).split()
    text = " ".join((pool * (words // len(pool) + 1))[:words])
    samples = []
    for _ in range(runs):
        started = time.process_time()
        summarize(text)
        samples.append((time.process_time() - started) * 1000)
    return statistics.median(samples)


def check_targets(name: str, mine: Figures, latency: float) -> bool:
    targets = {
        f"coverage@60 >= {COVERAGE_TARGET}": mine.coverage >= COVERAGE_TARGET,
        f"must-cover = {MUST_COVER_TARGET}": (mine.must_cover or 0.0) >= MUST_COVER_TARGET,
        f"next-step accuracy >= {NEXT_STEP_TARGET}": mine.next_step >= NEXT_STEP_TARGET,
        f"format validity = {FORMAT_TARGET}": mine.format >= FORMAT_TARGET,
        f"1,000-word transcript <= {LATENCY_TARGET_MS:.0f} ms": latency <= LATENCY_TARGET_MS,
    }
    print(f"\ntargets, on the {name} set:")
    for target, met in targets.items():
        print(f"{'PASS' if met else 'FAIL'}  {target}")
    return all(targets.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev-set", type=Path, default=DEV_SET)
    parser.add_argument("--heldout-set", type=Path, default=HELDOUT_SET)
    parser.add_argument(
        "--dev-only", action="store_true", help="tuning mode: score dev only, targets on dev"
    )
    parser.add_argument(
        "--cv-writers",
        action="store_true",
        help="tuning mode: leave-one-writer-out cross-validation on dev (fitted parts refitted)",
    )
    parser.add_argument("--verbose", action="store_true", help="print each dev note's summary")
    parser.add_argument("--misses", action="store_true", help="print the dev notes ours misses")
    parser.add_argument(
        "--baseline-splitter",
        choices=baselines.SPLITTERS,
        default="punctuation",
        help="sentence splitter the baselines get (default: punctuation, as punkt would)",
    )
    args = parser.parse_args(argv)
    baselines.splitter = args.baseline_splitter
    dev_notes = load(args.dev_set)
    if args.cv_writers:
        by_writer = cross_validate(dev_notes)
        print(f"\n{describe('dev, leave one writer out', dev_notes)}\n")
        print_cross_validation(by_writer)
        if args.misses or args.verbose:
            print_notes([r for rows in by_writer.values() for r in rows], not args.verbose)
        return 0
    heldout_notes = [] if args.dev_only else load(args.heldout_set)
    dev = evaluate(dev_notes)
    if args.verbose or args.misses:
        print_notes(dev["ours"], only_misses=args.misses and not args.verbose)
    print(f"\n{describe('dev', dev_notes)}\n")
    print_table(dev)
    print_breakdown(dev)
    latency = latency_ms(1_000, dev_notes, runs=21)
    print(f"\nours, 1,000-word transcript: {latency:.1f} ms CPU (median of 21)")
    long_ms = latency_ms(20_000, dev_notes, runs=5)
    print(f"ours, 20,000-word transcript: {long_ms:.1f} ms CPU (median of 5)")
    if args.dev_only:
        return 0 if check_targets("dev", figures(dev["ours"]), latency) else 1
    if not heldout_notes:
        print(
            f"\nno held-out set ({args.heldout_set} is empty or missing): targets not checked;"
            " --dev-only checks them on dev"
        )
        return 0

    # Held-out: whole-set figures only, so that nobody tunes on its notes.
    heldout = evaluate(heldout_notes)
    print(f"\n{describe('held-out', heldout_notes)}\n")
    print_table(heldout)
    print_gap(figures(dev["ours"]), figures(heldout["ours"]))
    return 0 if check_targets("held-out", figures(heldout["ours"]), latency) else 1


if __name__ == "__main__":
    sys.exit(main())
