"""Large buffers straight from the kernel, so that each window's memory goes back to it.

glibc serves an allocation above its mmap threshold with its own mapping, returned to the
system when freed; but the threshold rises each time such a buffer is freed (up to 32 MiB), and
then Whisper's per-window buffers (features, audio: a few MiB each) come from the heap, where
freed space is kept and fragments. Measured on a 10-minute note in 90 s windows: the peak grew
135 MB over the pod's resting size and 84 MB stayed resident; with the threshold fixed at
1 MiB, 73 MB and none.
"""

from __future__ import annotations

import ctypes
import ctypes.util

_M_MMAP_THRESHOLD = -3
_THRESHOLD_BYTES = 1 << 20


def return_large_buffers_to_the_system() -> bool:
    """Fix glibc's mmap threshold at 1 MiB (a fixed value also stops its rising); False where
    the C library is not glibc."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, _THRESHOLD_BYTES))
