"""Weights of the bullet model (``bullet_features``), fitted by ``eval/fit_bullets.py`` on
1441 statements of the 178 development notes. Generated: edit the fit, not this file."""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "centrality": 0.345,
    "specifics": 0.629,
    "number": 0.608,
    "salient": 0.448,
    "content": 0.999,
    "short": -0.890,
    "early": -0.200,
    "late": -1.569,
    "action": -0.285,
    "evaluative": -0.161,
    "setting": -0.774,
    "question": -0.254,
    "meta": -0.533,
    "first": -0.974,
    "emphasis": 0.519,
}
BIAS = -0.519
