"""Weights of the bullet model (``bullet_features``), fitted by ``eval/fit_bullets.py`` on
1050 statements of the 131 development notes. Generated: edit the fit, not this file."""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "centrality": 0.441,
    "specifics": 0.585,
    "number": 0.610,
    "salient": 0.503,
    "content": 1.076,
    "short": -1.168,
    "early": -0.655,
    "late": -1.831,
    "action": -0.244,
    "evaluative": -0.395,
    "setting": -1.149,
    "question": -0.622,
    "meta": -1.094,
    "first": -0.822,
}
BIAS = -0.232
