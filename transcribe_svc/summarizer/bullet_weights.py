"""Weights of the bullet model (``bullet_features``), fitted by ``eval/fit_bullets.py`` on
934 statements of the 131 development notes. Generated: edit the fit, not this file."""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "centrality": 0.710,
    "specifics": 0.452,
    "number": 0.671,
    "salient": 0.480,
    "content": 0.799,
    "short": -1.019,
    "early": -0.839,
    "late": -1.470,
    "action": -0.318,
    "evaluative": -0.438,
    "setting": -1.230,
    "question": -0.662,
}
BIAS = -0.441
