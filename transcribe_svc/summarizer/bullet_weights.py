"""Weights of the bullet model (``bullet_features``), fitted by ``eval/fit_bullets.py`` on
2062 statements of the 248 development notes. Generated: edit the fit, not this file."""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "centrality": 0.147,
    "specifics": 0.617,
    "number": 0.670,
    "salient": 0.545,
    "content": 1.097,
    "short": -0.896,
    "early": -0.340,
    "late": -1.674,
    "action": -0.191,
    "evaluative": -0.037,
    "setting": -0.858,
    "question": -0.201,
    "meta": -0.510,
    "first": -0.935,
    "emphasis": 0.463,
}
BIAS = -0.448
