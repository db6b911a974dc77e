"""Weights of the bullet model (``bullet_features``), fitted by ``eval/fit_bullets.py`` on
1050 statements of the 131 development notes. Generated: edit the fit, not this file."""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "centrality": 0.410,
    "specifics": 0.542,
    "number": 0.622,
    "salient": 0.575,
    "content": 1.049,
    "short": -1.177,
    "early": -0.522,
    "late": -1.734,
    "action": -0.276,
    "evaluative": -0.400,
    "setting": -1.138,
    "question": -0.616,
    "meta": -0.962,
    "first": -0.927,
}
BIAS = -0.270
