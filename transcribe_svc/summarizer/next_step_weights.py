"""The next-step model's weights: one per feature of ``next_step_features``, and the threshold.

A clause's score is the sum of its features times these weights; the best-scoring clause of the
note is its next step when the score reaches ``THRESHOLD``, else the note has none. The order of
the cue weights is the order of how firmly speech commits to an action: an explicit marker, a
request, a first-person commitment, an imperative, a named person's plan, an obligation, an
intention. A time expression adds about as much as one step up that ladder, so "I'll call them on
Friday" beats "we need to call them". Statements of fact, hedges and the note's setting count
against a clause.
"""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "explicit": 4.0,
    "request": 2.8,
    "commit": 2.6,
    "imperative": 2.3,
    "delegate": 2.2,
    "obligation": 2.0,
    "intention": 1.2,
    "extra_cues": 0.4,
    "time": 1.0,
    "position": 0.6,
    "content": 1.2,
    "fact": -2.5,
    "hedge": -1.0,
    "setting": -3.0,
    "opening": -0.5,
    "question": -1.0,
}
THRESHOLD = 2.2
