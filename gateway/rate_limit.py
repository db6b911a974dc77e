"""Token buckets: a steady rate with room for a burst, and an honest Retry-After.

Buckets live in memory, per gateway process, keyed by client or recipient (see
`gateway.client_keys`). Beyond `max_keys` the least recently seen bucket is dropped, so a flood
of distinct keys costs a fixed amount of memory; the price is that a dropped key starts again
with a full bucket, which errs towards letting a caller through, never towards locking one out.
(Several gateway replicas each enforce the limit on their own share of the traffic.)
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class TokenBucketLimiter:
    def __init__(self, per_minute: float, burst: int, max_keys: int = 10_000) -> None:
        self._rate_per_s = per_minute / 60.0
        self._burst = float(burst)
        self._max_keys = max_keys
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def __len__(self) -> int:
        """How many keys have a bucket now (at most `max_keys`)."""
        return len(self._buckets)

    def take(self, key: str, now: float | None = None) -> float:
        """Spend one token; 0 if allowed, else the seconds until a token is available."""
        now = time.monotonic() if now is None else now
        bucket = self._buckets.pop(key, None) or _Bucket(self._burst, now)
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.updated) * self._rate_per_s)
        bucket.updated = now
        self._buckets[key] = bucket
        if len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self._rate_per_s


def retry_after_header(wait_s: float) -> str:
    """Retry-After takes whole seconds; round up so that a retry then succeeds."""
    return str(max(1, math.ceil(wait_s)))
