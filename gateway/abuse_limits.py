"""Rate limits on every public route: per client for every call, per recipient for mail.

`RateLimitMiddleware` charges each HTTP call, before any of it is read, to one of three
per-client buckets: uploads, other writes (POST, DELETE) and reads (everything else, unknown
paths included, so that scanning costs too). Routes that name a recipient charge that address
as well, through `spend_recipient_quota`, whoever the client is: spreading requests over many
addresses does not help an attacker who wants to flood one inbox.

The client is `scope["client"]`, which uvicorn's `ProxyHeadersMiddleware` (installed in
`create_app`) rewrites from `X-Forwarded-For` only when the peer is one of
`FORWARDED_ALLOW_IPS`; it takes the right-most address no trusted proxy added, so a client's
own `X-Forwarded-For` is never believed. `RATE_LIMITS=off` installs none of this.
"""

from __future__ import annotations

from fastapi import Request
from prometheus_client import Counter, Gauge
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.client_keys import client_key, recipient_key
from gateway.config import GatewaySettings
from gateway.errors import ApiError, error_response
from gateway.rate_limit import TokenBucketLimiter, retry_after_header

RATE_LIMITED = Counter(
    "gateway_rate_limited_total", "Calls refused with 429, by the limit they hit.", ["limit"]
)
TRACKED_KEYS = Gauge(
    "gateway_rate_limit_keys", "Clients or recipients each limit remembers now.", ["limit"]
)
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_UPLOAD_PATH = "/v1/audio"
# What the 429 says was exceeded, per limit.
_TOO_MANY = {
    "uploads": "too many uploads",
    "requests": "too many changes",
    "reads": "too many reads",
    "recipient": "too many requests for this recipient",
}


class RateLimits:
    """The gateway's limiters, built from the settings."""

    def __init__(self, settings: GatewaySettings) -> None:
        def limiter(name: str, per_minute: float, burst: int) -> TokenBucketLimiter:
            made = TokenBucketLimiter(per_minute, burst, max_keys=settings.rate_limit_max_keys)
            TRACKED_KEYS.labels(name).set_function(lambda: len(made))
            return made

        self.by_name = {
            "uploads": limiter(
                "uploads",
                settings.rate_limit_uploads_per_minute,
                settings.rate_limit_uploads_burst,
            ),
            "requests": limiter(
                "requests",
                settings.rate_limit_requests_per_minute,
                settings.rate_limit_requests_burst,
            ),
            "reads": limiter(
                "reads", settings.rate_limit_reads_per_minute, settings.rate_limit_reads_burst
            ),
            "recipient": limiter(
                "recipient",
                settings.rate_limit_recipient_per_hour / 60,
                settings.rate_limit_recipient_burst,
            ),
        }

    def spend(self, name: str, key: str) -> ApiError | None:
        """Charge one call to `key` under the limit `name`; the 429 to answer, if over it."""
        wait_s = self.by_name[name].take(key)
        if wait_s <= 0:
            return None
        RATE_LIMITED.labels(name).inc()
        retry_after = retry_after_header(wait_s)
        return ApiError(
            429,
            "rate_limited",
            f"{_TOO_MANY[name]}; try again in {retry_after} s",
            headers={"Retry-After": retry_after},
        )


def limit_for(method: str, path: str) -> str:
    """Which per-client limit a call counts against."""
    if method in _READ_METHODS:
        return "reads"
    return "uploads" if path == _UPLOAD_PATH else "requests"


class RateLimitMiddleware:
    """Answer 429 (in the API's error format, with Retry-After) to a client over its limit."""

    def __init__(self, app: ASGIApp, limits: RateLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        peer = scope.get("client")
        key = client_key(peer[0] if peer else None)
        refused = self.limits.spend(limit_for(scope["method"], scope["path"]), key)
        if refused is None:
            await self.app(scope, receive, send)
            return
        response = error_response(refused.status, refused.code, refused.message, refused.headers)
        await response(scope, receive, send)


def spend_recipient_quota(request: Request, email: str) -> None:
    """Charge a call naming `email` to that recipient's limit (429 past it)."""
    limits: RateLimits | None = request.app.state.rate_limits
    if limits is None:
        return
    refused = limits.spend("recipient", recipient_key(email))
    if refused is not None:
        raise refused
