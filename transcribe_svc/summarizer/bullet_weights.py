"""Weights of the bullet model (``bullet_features``), fitted by ``eval/fit_bullets.py`` on
1443 statements of the 178 development notes. Generated: edit the fit, not this file."""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "centrality": 0.288,
    "specifics": 0.632,
    "number": 0.607,
    "salient": 0.451,
    "content": 1.015,
    "short": -0.886,
    "early": -0.211,
    "late": -1.565,
    "action": -0.320,
    "evaluative": -0.159,
    "setting": -0.774,
    "question": -0.222,
    "meta": -0.516,
    "first": -0.961,
    "emphasis": 0.519,
}
BIAS = -0.504
