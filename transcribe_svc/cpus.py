"""How many CPUs this process may really use (containers limit this below the host's count)."""

from __future__ import annotations

import math
import os
from pathlib import Path

_CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")


def _cgroup_quota() -> int | None:
    """CPUs allowed by a cgroup v2 quota ("max 100000" means no quota)."""
    try:
        quota, period = _CGROUP_CPU_MAX.read_text().split()
    except (OSError, ValueError):
        return None
    if quota == "max":
        return None
    return max(1, math.floor(int(quota) / int(period)))


def available_cpus() -> int:
    """The smaller of the affinity mask and the cgroup quota."""
    affinity = len(os.sched_getaffinity(0))
    quota = _cgroup_quota()
    return min(affinity, quota) if quota else affinity
