"""Weights of the bullet model (``bullet_features``), fitted by ``eval/fit_bullets.py`` on
2062 statements of the 248 development notes. Generated: edit the fit, not this file."""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "centrality": 0.163,
    "specifics": 0.644,
    "number": 0.675,
    "salient": 0.560,
    "content": 1.018,
    "short": -0.886,
    "early": -0.329,
    "late": -1.643,
    "action": -0.189,
    "evaluative": -0.049,
    "setting": -0.812,
    "question": -0.183,
    "meta": -0.536,
    "first": -0.922,
    "emphasis": 0.475,
    "negation": 0.231,
    "contrast": -0.373,
    "past": 0.295,
    "time": 0.065,
}
BIAS = -0.550
