"""Fit the bullet model's weights on the development set (never the held-out one).

``python -m eval.fit_bullets`` prints the fitted weights; ``--write`` stores them in
``transcribe_svc/summarizer/bullet_weights.py``. Each statement the summarizer could make a
bullet of is one example, labelled 1 when its bullet (compressed as the summarizer would) covers
one of the note's key points by the evaluation's own rule. A statement that covers a must-cover
fact (a number, name, decision, outcome or objection a summary would be wrong to miss) counts
``1 + MUST_COVER_WEIGHT`` times in the loss. The model is a logistic regression with an L2
penalty, fitted by plain gradient descent from zero: deterministic, and numpy only.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from eval.fit_cli import fit_parser, publish
from eval.metrics import KEY_POINT_RECALL, content_stems, coverage_at, recall
from eval.notes import Note, load, ours
from transcribe_svc.summarizer import bullet_weights
from transcribe_svc.summarizer.bullet_features import FEATURES
from transcribe_svc.summarizer.bullets import bullet_statements, statement_features
from transcribe_svc.summarizer.compression import compress
from transcribe_svc.summarizer.next_step import find_next_step
from transcribe_svc.summarizer.ranking import SentenceVectors
from transcribe_svc.summarizer.reading import read_transcript

WEIGHTS_FILE = Path(bullet_weights.__file__)
# L2 chosen by leave-one-writer-out cross-validation (eval.summary_eval --cv-writers).
L2, STEPS, RATE = 5.0, 4000, 0.5
# Chosen by the same cross-validation among 0, 1, 2 and 4.
MUST_COVER_WEIGHT = 2.0
Matrix = npt.NDArray[np.float64]


def cross_validated_coverage(notes: list[Note], folds: int) -> tuple[float, float]:
    """Mean coverage@60 of the summarizer with weights fitted on all notes, and with weights
    fitted without the fold a note is in: the gap is what fitting on the same notes adds."""
    saved, saved_bias = bullet_weights.WEIGHTS, bullet_weights.BIAS
    try:
        _use(*fit(*examples(notes)))
        in_sample = [
            coverage_at(ours(n.text, n.segments, n.language).bullets, n.key_points) for n in notes
        ]
        held: list[float] = []
        for fold in range(folds):
            train = [n for i, n in enumerate(notes) if i % folds != fold]
            _use(*fit(*examples(train)))
            held += [
                coverage_at(ours(n.text, n.segments, n.language).bullets, n.key_points)
                for i, n in enumerate(notes)
                if i % folds == fold
            ]
    finally:
        bullet_weights.WEIGHTS, bullet_weights.BIAS = saved, saved_bias
    return float(np.mean(in_sample)), float(np.mean(held))


def fit_and_use(notes: list[Note]) -> None:
    _use(*fit(*examples(notes)))


def _use(weights: Matrix, bias: float) -> None:
    """Make the summarizer use these weights (it reads them from the module on every call)."""
    bullet_weights.WEIGHTS = dict(zip(FEATURES, (float(w) for w in weights), strict=True))
    bullet_weights.BIAS = bias


def examples(notes: list[Note]) -> tuple[Matrix, Matrix, Matrix]:
    rows: list[list[float]] = []
    labels: list[float] = []
    weights: list[float] = []
    for note in notes:
        reading = read_transcript(note.text, note.segments, note.language)
        profile = reading.profile
        next_step = find_next_step(reading.candidates, profile)
        statements = bullet_statements(reading.candidates, next_step, profile, reading.cased)
        if not statements:
            continue
        vectors = SentenceVectors([c.terms for c in statements])
        for statement, features in zip(
            statements, statement_features(statements, vectors, profile), strict=True
        ):
            stems = content_stems(compress(statement.text, profile))
            covers = any(recall(point, stems) >= KEY_POINT_RECALL for point in note.key_points)
            must = any(recall(point, stems) >= KEY_POINT_RECALL for point in note.must_cover)
            rows.append([features[name] for name in FEATURES])
            labels.append(float(covers))
            weights.append(1.0 + MUST_COVER_WEIGHT * must)
    return np.array(rows), np.array(labels), np.array(weights)


def fit(x: Matrix, y: Matrix, importance: Matrix) -> tuple[Matrix, float]:
    """Logistic regression by gradient descent on the mean log-loss, each example weighted by
    its ``importance``, plus an L2 penalty."""
    weights, bias = np.zeros(x.shape[1]), 0.0
    total = float(importance.sum())
    for _ in range(STEPS):
        predicted = 1.0 / (1.0 + np.exp(-(x @ weights + bias)))
        error = (predicted - y) * importance
        weights -= RATE * (x.T @ error / total + L2 * weights / total)
        bias -= RATE * float(error.sum() / total)
    return weights, bias


def render(weights: Matrix, bias: float, examples_count: int, notes_count: int) -> str:
    lines = "\n".join(f'    "{name}": {w:.3f},' for name, w in zip(FEATURES, weights, strict=True))
    return (
        '"""Weights of the bullet model (``bullet_features``), fitted by ``eval/fit_bullets.py`` '
        f"on\n{examples_count} statements of the {notes_count} development notes. Generated: "
        'edit the fit, not this file."""\n\n'
        "from __future__ import annotations\n\n"
        f"WEIGHTS: dict[str, float] = {{\n{lines}\n}}\nBIAS = {bias:.3f}\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = fit_parser(__doc__, WEIGHTS_FILE)
    parser.add_argument(
        "--folds", type=int, default=0, help="also report coverage@60 cross-validated by note"
    )
    args = parser.parse_args(argv)
    notes = load(args.dev_set)
    x, y, importance = examples(notes)
    weights, bias = fit(x, y, importance)
    publish(render(weights, bias, len(y), len(notes)), WEIGHTS_FILE, args.write)
    print(f"# {int(y.sum())} of {len(y)} statements cover a key point")
    if args.folds > 1:
        in_sample, held = cross_validated_coverage(notes, args.folds)
        print(
            f"# coverage@60: {in_sample:.3f} fitted on all dev notes, {held:.3f} {args.folds}-fold"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
