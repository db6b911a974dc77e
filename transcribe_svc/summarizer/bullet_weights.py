"""Weights of the bullet model (``bullet_features``), fitted by ``eval/fit_bullets.py`` on
2062 statements of the 248 development notes. Generated: edit the fit, not this file."""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "centrality": 0.122,
    "specifics": 0.813,
    "number": 0.650,
    "salient": 0.683,
    "content": 0.938,
    "short": -0.776,
    "early": -0.363,
    "late": -2.224,
    "action": -0.060,
    "evaluative": -0.167,
    "setting": -0.859,
    "question": -0.086,
    "meta": -0.685,
    "first": -1.016,
    "emphasis": 0.696,
    "negation": 0.389,
    "contrast": -0.374,
    "past": 0.336,
    "time": 0.183,
}
BIAS = 0.036
