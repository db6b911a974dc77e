"""Weights of the bullet model (``bullet_features``), fitted by ``eval/fit_bullets.py`` on
933 statements of the 131 development notes. Generated: edit the fit, not this file."""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "centrality": 0.674,
    "specifics": 0.474,
    "number": 0.643,
    "salient": 0.517,
    "content": 0.863,
    "short": -0.996,
    "early": -0.118,
    "late": -1.391,
    "action": -0.326,
    "evaluative": -0.486,
    "setting": -1.189,
    "question": -0.588,
    "meta": -1.105,
    "first": -0.761,
}
BIAS = -0.538
