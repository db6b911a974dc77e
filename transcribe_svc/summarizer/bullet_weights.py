"""Weights of the bullet model (``bullet_features``), fitted by ``eval/fit_bullets.py`` on
1439 statements of the 178 development notes. Generated: edit the fit, not this file."""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "centrality": 0.341,
    "specifics": 0.671,
    "number": 0.588,
    "salient": 0.479,
    "content": 1.162,
    "short": -0.903,
    "early": -0.475,
    "late": -2.180,
    "action": -0.332,
    "evaluative": -0.465,
    "setting": -1.489,
    "question": -0.595,
    "meta": -0.685,
    "first": -1.164,
    "emphasis": 0.638,
}
BIAS = -0.246
