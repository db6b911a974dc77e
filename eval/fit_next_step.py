"""Fit the next-step model's weights on the development set (never the held-out one).

``python -m eval.fit_next_step`` prints the fitted weights; ``--write`` stores them in
``transcribe_svc/summarizer/next_step_weights.py``. The summarizer picks the best-scoring clause
of a note, or "no next step" when none reaches the threshold, so the model is fitted as that very
choice: a conditional logit over each note's options (every clause read as a possible next step,
plus "none", whose score is the threshold). An option is right when the next step it would give
is correct by the evaluation's own rule, and "none" is right when the note has no next step. Notes
where no option is right teach nothing about the choice and are left out. Plain gradient descent
from zero with an L2 penalty: deterministic, numpy only.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from eval.fit_cli import fit_parser, publish
from eval.metrics import next_step_correct
from eval.notes import Note, load
from transcribe_svc.summarizer import next_step_weights
from transcribe_svc.summarizer.next_step import next_step_options, realize
from transcribe_svc.summarizer.next_step_features import FEATURES
from transcribe_svc.summarizer.reading import read_transcript

WEIGHTS_FILE = Path(next_step_weights.__file__)
# L2 chosen by leave-one-writer-out cross-validation (eval.summary_eval --cv-writers).
L2, STEPS, RATE = 0.005, 3000, 1.0
Matrix = npt.NDArray[np.float64]


class Choices:
    """Every note's options as rows of one matrix: its "none" row first (the last column is 1
    there and 0 elsewhere), then its clauses. ``starts`` says where each note's rows begin."""

    def __init__(self, notes: list[Note]) -> None:
        rows: list[list[float]] = []
        right: list[float] = []
        starts: list[int] = []
        for note in notes:
            reading = read_transcript(note.text, note.segments, note.language)
            profile = reading.profile
            options = next_step_options(reading.candidates, profile)
            labels = [
                next_step_correct(True, realize(o, profile).text, note.next_step, note.alternatives)
                for o in options
            ]
            if note.next_step is not None and not any(labels):
                continue
            starts.append(len(rows))
            rows.append([0.0] * len(FEATURES) + [1.0])
            right.append(float(note.next_step is None))
            rows += [[o.features[name] for name in FEATURES] + [0.0] for o in options]
            right += [float(label) for label in labels]
        self.x = np.array(rows)
        self.right = np.array(right)
        self.starts = np.array(starts)
        self.note_of_row = np.repeat(np.arange(len(starts)), np.diff([*starts, len(rows)]))


def fit(choices: Choices) -> Matrix:
    """Weights (the threshold last) minimising the mean negative log-likelihood of the right
    options, plus an L2 penalty."""
    x, right, starts, note = choices.x, choices.right, choices.starts, choices.note_of_row
    weights = np.zeros(x.shape[1])
    for _ in range(STEPS):
        scores = x @ weights
        scores -= np.maximum.reduceat(scores, starts)[note]
        exp = np.exp(scores)
        chosen = exp / np.add.reduceat(exp, starts)[note]
        wanted = exp * right / np.add.reduceat(exp * right, starts)[note]
        gradient = x.T @ (chosen - wanted) / len(starts) + L2 * weights
        weights -= RATE * gradient
    return weights


def use(weights: Matrix) -> None:
    """Make the summarizer use these weights (it reads them from the module on every call)."""
    next_step_weights.WEIGHTS = dict(zip(FEATURES, (float(w) for w in weights[:-1]), strict=True))
    next_step_weights.THRESHOLD = float(weights[-1])


def fit_and_use(notes: list[Note]) -> None:
    use(fit(Choices(notes)))


def render(weights: Matrix, notes_count: int, used: int) -> str:
    lines = "\n".join(
        f'    "{name}": {w:.3f},' for name, w in zip(FEATURES, weights[:-1], strict=True)
    )
    return (
        '"""Weights of the next-step model (``next_step_features``) and its threshold, fitted by\n'
        f"``eval/fit_next_step.py`` on {used} of the {notes_count} development notes (the others "
        "have no\noption that is right). A clause's score is the sum of its features times these "
        "weights; the\nbest clause of a note is its next step when its score reaches "
        "``THRESHOLD``, else the note has\nnone. Generated: edit the fit, not this file.\n"
        '"""\n\nfrom __future__ import annotations\n\n'
        f"WEIGHTS: dict[str, float] = {{\n{lines}\n}}\nTHRESHOLD = {weights[-1]:.3f}\n"
    )


def main(argv: list[str] | None = None) -> int:
    args = fit_parser(__doc__, WEIGHTS_FILE).parse_args(argv)
    notes = load(args.dev_set)
    choices = Choices(notes)
    weights = fit(choices)
    publish(render(weights, len(notes), len(choices.starts)), WEIGHTS_FILE, args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
