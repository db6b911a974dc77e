"""Weights of the bullet model (``bullet_features``), fitted by ``eval/fit_bullets.py`` on
934 statements of the 131 development notes. Generated: edit the fit, not this file."""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "centrality": 0.698,
    "specifics": 0.449,
    "number": 0.632,
    "salient": 0.477,
    "content": 0.830,
    "short": -1.015,
    "early": -0.111,
    "late": -1.352,
    "action": -0.283,
    "evaluative": -0.459,
    "setting": -1.134,
    "question": -0.593,
    "meta": -1.100,
    "first": -0.779,
}
BIAS = -0.548
