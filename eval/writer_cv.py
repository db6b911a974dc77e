"""Leave-one-writer-out cross-validation of the summarizer on the development set.

Each writer's notes are scored by a summarizer whose fitted parts (the next-step model, then the
bullet model, which learns from the next step chosen) were fitted on the other writers' notes
only. The hand-written parts (cue lexicons, features) cannot be refitted per fold: the mean over
writers says how well they carry to a voice they were not written from only to the extent that
they were written without reading that writer's notes. A writer's figures far below the others
say the summarizer fits the way some people talk, not voice notes.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from eval import fit_bullets, fit_next_step
from eval.notes import Note, Result, ours, run
from eval.report import Figures, figures
from transcribe_svc.summarizer import bullet_weights, next_step_weights

Fitter = Callable[[list[Note]], None]


@contextmanager
def weights_restored() -> Iterator[None]:
    """Whatever the folds fit, the committed weights are back in place afterwards."""
    saved = (
        next_step_weights.WEIGHTS,
        next_step_weights.THRESHOLD,
        bullet_weights.WEIGHTS,
        bullet_weights.BIAS,
    )
    try:
        yield
    finally:
        (
            next_step_weights.WEIGHTS,
            next_step_weights.THRESHOLD,
            bullet_weights.WEIGHTS,
            bullet_weights.BIAS,
        ) = saved


def fit_all(notes: list[Note]) -> None:
    """Fit both models on ``notes``, the next step first (the bullet examples depend on it)."""
    fit_next_step.fit_and_use(notes)
    fit_bullets.fit_and_use(notes)


def cross_validate(notes: list[Note], fitter: Fitter = fit_all) -> dict[str, list[Result]]:
    """Every writer's notes, each scored with the models fitted without that writer."""
    by_writer: dict[str, list[Result]] = {}
    with weights_restored():
        for writer in sorted({n.writer for n in notes}):
            fitter([n for n in notes if n.writer != writer])
            by_writer[writer] = [run(ours, n) for n in notes if n.writer == writer]
    return by_writer


def mean_figures(by_writer: dict[str, list[Result]]) -> Figures:
    """Each figure averaged over writers (every writer counts the same, whatever their notes)."""
    per_writer = [figures(rows) for rows in by_writer.values()]
    must = [f.must_cover for f in per_writer if f.must_cover is not None]
    return Figures(
        coverage=statistics.fmean(f.coverage for f in per_writer),
        must_cover=statistics.fmean(must) if must else None,
        next_step=statistics.fmean(f.next_step for f in per_writer),
        format=statistics.fmean(f.format for f in per_writer),
        words=statistics.fmean(f.words for f in per_writer),
        mean_ms=statistics.fmean(f.mean_ms for f in per_writer),
        p95_ms=max(f.p95_ms for f in per_writer),
    )


def print_cross_validation(by_writer: dict[str, list[Result]]) -> None:
    header = ("left out", "notes", "coverage@60", "must-cover", "next-step", "format")
    print("{:<12}{:>6}{:>12}{:>11}{:>10}{:>8}".format(*header))
    rows = [(w, len(r), figures(r)) for w, r in by_writer.items()]
    rows.append(("mean", sum(len(r) for r in by_writer.values()), mean_figures(by_writer)))
    for writer, count, f in rows:
        must = "n/a" if f.must_cover is None else f"{f.must_cover:.3f}"
        print(
            f"{writer:<12}{count:>6}{f.coverage:>12.3f}{must:>11}{f.next_step:>10.3f}"
            f"{f.format:>8.3f}"
        )
