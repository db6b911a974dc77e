"""Weights of the next-step model (``next_step_features``) and its threshold, fitted by
``eval/fit_next_step.py`` on 175 of the 178 development notes (the others have no
option that is right). A clause's score is the sum of its features times these weights; the
best clause of a note is its next step when its score reaches ``THRESHOLD``, else the note has
none. Generated: edit the fit, not this file.
"""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "explicit": 1.405,
    "request": 0.502,
    "commit": 0.432,
    "imperative": 0.043,
    "delegate": -1.225,
    "obligation": -0.093,
    "intention": -1.611,
    "extra_cues": 0.497,
    "time": 1.862,
    "position": 1.196,
    "content": 2.545,
    "fact": -0.958,
    "past": -0.158,
    "reported": -0.922,
    "subordinate": -0.578,
    "retracted": -0.875,
    "hedge": -0.425,
    "opening": -0.421,
    "question": -0.233,
}
THRESHOLD = 0.547
