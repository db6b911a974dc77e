"""Weights of the bullet model (``bullet_features``), fitted by ``eval/fit_bullets.py`` on
1441 statements of the 178 development notes. Generated: edit the fit, not this file."""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "centrality": 0.357,
    "specifics": 0.661,
    "number": 0.588,
    "salient": 0.478,
    "content": 1.197,
    "short": -0.891,
    "early": -0.495,
    "late": -2.196,
    "action": -0.300,
    "evaluative": -0.436,
    "setting": -1.491,
    "question": -0.603,
    "meta": -0.689,
    "first": -1.158,
    "emphasis": 0.640,
}
BIAS = -0.269
