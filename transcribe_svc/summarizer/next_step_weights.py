"""Weights of the next-step model (``next_step_features``) and its threshold, fitted by
``eval/fit_next_step.py`` on 173 of the 178 development notes (the others have no
option that is right). A clause's score is the sum of its features times these weights; the
best clause of a note is its next step when its score reaches ``THRESHOLD``, else the note has
none. Generated: edit the fit, not this file.
"""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "explicit": 1.132,
    "request": 0.395,
    "commit": 0.470,
    "imperative": 0.080,
    "delegate": -1.119,
    "obligation": 0.068,
    "intention": -1.671,
    "extra_cues": 0.449,
    "time": 1.645,
    "position": 1.381,
    "content": 2.629,
    "fact": -0.981,
    "past": -0.219,
    "reported": -0.938,
    "subordinate": -0.550,
    "hedge": -0.434,
    "opening": -0.443,
    "question": -0.251,
}
THRESHOLD = 0.645
