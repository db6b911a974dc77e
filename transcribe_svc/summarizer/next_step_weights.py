"""Weights of the next-step model (``next_step_features``) and its threshold, fitted by
``eval/fit_next_step.py`` on 173 of the 178 development notes (the others have no
option that is right). A clause's score is the sum of its features times these weights; the
best clause of a note is its next step when its score reaches ``THRESHOLD``, else the note has
none. Generated: edit the fit, not this file.
"""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "explicit": 1.134,
    "request": 0.342,
    "commit": 0.478,
    "imperative": 0.116,
    "delegate": -1.084,
    "obligation": -0.012,
    "intention": -1.735,
    "extra_cues": 0.440,
    "time": 1.685,
    "position": 1.393,
    "content": 2.685,
    "fact": -0.965,
    "hedge": -0.344,
    "opening": -0.526,
    "question": -0.255,
}
THRESHOLD = 0.761
