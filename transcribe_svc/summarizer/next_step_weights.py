"""Weights of the next-step model (``next_step_features``) and its threshold, fitted by
``eval/fit_next_step.py`` on 242 of the 248 development notes (the others have no
option that is right). A clause's score is the sum of its features times these weights; the
best clause of a note is its next step when its score reaches ``THRESHOLD``, else the note has
none. Generated: edit the fit, not this file.
"""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "explicit": 1.115,
    "request": 0.536,
    "commit": 0.068,
    "imperative": 0.344,
    "delegate": -0.967,
    "obligation": -0.341,
    "intention": -1.672,
    "extra_cues": 0.273,
    "time": 1.977,
    "position": 1.490,
    "content": 2.380,
    "fact": -0.720,
    "past": -0.014,
    "reported": -0.763,
    "subordinate": -0.316,
    "retracted": -0.662,
    "hedge": -0.274,
    "opening": -0.307,
    "question": -0.068,
    "decision": -0.726,
    "announced": 0.976,
}
THRESHOLD = 0.918
