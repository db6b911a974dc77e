"""Weights of the bullet model (``bullet_features``), fitted by ``eval/fit_bullets.py`` on
1050 statements of the 131 development notes. Generated: edit the fit, not this file."""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "centrality": 0.507,
    "specifics": 0.481,
    "number": 0.647,
    "salient": 0.508,
    "content": 0.891,
    "short": -1.212,
    "early": -0.381,
    "late": -1.576,
    "action": -0.308,
    "evaluative": -0.451,
    "setting": -1.142,
    "question": -0.602,
    "meta": -1.060,
    "first": -0.802,
}
BIAS = -0.348
