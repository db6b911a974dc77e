"""Weights of the next-step model (``next_step_features``) and its threshold, fitted by
``eval/fit_next_step.py`` on 241 of the 248 development notes (the others have no
option that is right). A clause's score is the sum of its features times these weights; the
best clause of a note is its next step when its score reaches ``THRESHOLD``, else the note has
none. Generated: edit the fit, not this file.
"""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "explicit": 1.092,
    "request": 0.530,
    "commit": 0.060,
    "imperative": 0.348,
    "delegate": -0.974,
    "obligation": -0.331,
    "intention": -1.647,
    "extra_cues": 0.269,
    "time": 2.018,
    "position": 1.506,
    "content": 2.352,
    "fact": -0.719,
    "past": -0.012,
    "reported": -0.779,
    "subordinate": -0.367,
    "retracted": -0.669,
    "hedge": -0.278,
    "opening": -0.317,
    "question": -0.071,
    "decision": -0.690,
    "announced": 0.930,
}
THRESHOLD = 0.923
