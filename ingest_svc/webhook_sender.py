"""One attempt at delivering a webhook event: sign it, POST it to a checked address, judge the
answer.

The event is signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`,
`webhook-signature: v1,<base64 HMAC-SHA256>`) by the `standardwebhooks` package. The
connection goes to an address `check_webhook_url` has just approved, never to whatever the
name resolves to a moment later; the URL's host still goes in the `Host` header and, for
https, in the TLS server name, and the certificate is verified against it. Redirects are not
followed, the whole attempt has one deadline, and the receiver's body is never read.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import structlog
from standardwebhooks import Webhook

from ingest_svc.webhook_urls import IPAddress, WebhookTarget

log = structlog.get_logger("ingest_svc.webhooks")
USER_AGENT = "voice-agent-webhooks/1"


@dataclass(frozen=True)
class AttemptOutcome:
    """What the receiver answered: `error` is None when it took the event (a 2xx)."""

    status_code: int | None
    error: str | None


def signed_headers(signer: Webhook, event_id: str, body: str, at: datetime) -> dict[str, str]:
    """The Standard Webhooks headers for `body`, signed now."""
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signer.sign(event_id, at, body),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }


def _pinned(url: httpx.URL, address: IPAddress) -> tuple[httpx.URL, dict[str, str], dict[str, str]]:
    """The URL aimed at `address`, with the Host header and TLS server name of the original."""
    host_header = url.netloc.decode("ascii")
    extensions: dict[str, str] = {}
    if url.scheme == "https":
        extensions["sni_hostname"] = url.raw_host.decode("ascii")  # IDNA, as on the wire
    return url.copy_with(host=str(address)), {"host": host_header}, extensions


class WebhookSender:
    def __init__(self, timeout_s: float, ssl_context: ssl.SSLContext | None = None) -> None:
        self._timeout_s = timeout_s
        # No redirects (httpx's default, said here), no proxies from the environment, and no
        # connection kept: the pool is keyed by address, so a connection opened (and its
        # certificate checked) for one host name must not carry another's event.
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            trust_env=False,
            limits=httpx.Limits(max_keepalive_connections=0),
            verify=ssl_context or ssl.create_default_context(),
            timeout=timeout_s,
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def send(
        self, target: WebhookTarget, signer: Webhook, event_id: str, body: str
    ) -> AttemptOutcome:
        """POST the event to the first of the target's addresses that accepts a connection."""
        headers = signed_headers(signer, event_id, body, datetime.now(UTC))
        last_error = "no address to connect to"
        for address in target.addresses:
            url, host, extensions = _pinned(target.url, address)
            try:
                async with asyncio.timeout(self._timeout_s):
                    return await self._post(url, {**headers, **host}, extensions, body)
            # The request's owner reads these in its attempts: fixed words, no internal detail
            # (the log has the rest).
            except httpx.ConnectError as error:
                log.info("webhook connection failed", address=str(address), error=str(error))
                last_error = "could not connect"
                continue  # the next address may answer
            except (TimeoutError, httpx.TimeoutException):
                return AttemptOutcome(None, f"no answer within {self._timeout_s:g} s")
            except httpx.HTTPError as error:
                log.info("webhook request failed", address=str(address), error=repr(error))
                return AttemptOutcome(None, "the request failed before an answer came")
        return AttemptOutcome(None, last_error)

    async def _post(
        self, url: httpx.URL, headers: dict[str, str], extensions: dict[str, str], body: str
    ) -> AttemptOutcome:
        request = self._client.build_request(
            "POST", url, headers=headers, content=body.encode(), extensions=extensions
        )
        # Streamed and closed unread: only the status line and headers are taken in.
        response = await self._client.send(request, stream=True)
        await response.aclose()
        if response.is_success:
            return AttemptOutcome(response.status_code, None)
        if response.is_redirect:
            return AttemptOutcome(
                response.status_code, f"HTTP {response.status_code}: redirects are not followed"
            )
        return AttemptOutcome(response.status_code, f"HTTP {response.status_code}")
