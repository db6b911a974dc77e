"""Weights of the bullet model (``bullet_features``), fitted by ``eval/fit_bullets.py`` on
1050 statements of the 131 development notes. Generated: edit the fit, not this file."""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "centrality": 0.411,
    "specifics": 0.539,
    "number": 0.623,
    "salient": 0.552,
    "content": 1.048,
    "short": -1.174,
    "early": -0.532,
    "late": -1.724,
    "action": -0.275,
    "evaluative": -0.406,
    "setting": -1.130,
    "question": -0.615,
    "meta": -0.963,
    "first": -0.910,
    "emphasis": 0.219,
}
BIAS = -0.282
