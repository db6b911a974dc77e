"""Mailjet's Send API v3.1, read the way Mailjet documents its answers.

One pooled `httpx.AsyncClient` per process, with basic auth and explicit timeouts. Each answer
is sorted into what the caller needs to know:

| Mailjet answered                         | DeliveryError                                  |
|------------------------------------------|------------------------------------------------|
| 200, `Status: success`                   | none: the receipt (MessageID, UUID, Href)       |
| 400, `Status: error` with `Errors[]`     | permanent, with Mailjet's own words             |
| 401 / 403                                | transient, not sent: waits for new keys, alert |
| 429, 503                                 | transient, not sent, `Retry-After` honoured    |
| other 5xx, a timeout, a reset connection | transient, maybe sent: look it up first        |
| no connection at all                     | transient, not sent                            |

A message sent earlier is found with `GET /v3/REST/message?CustomID=…`.

401 and 403 mean the key pair (or the sender) is refused: a key rotated in Mailjet before the
deployment's secret, most often. That is no fault of the request, so it is not failed for it:
it waits, retried less and less often while the refusals last, and every refusal counts in
`email_provider_auth_failures_total` and logs which settings to fix.
"""

from __future__ import annotations

import base64
import email.utils
import time
from datetime import UTC, datetime
from typing import Any

import httpx
import structlog

from notify_svc.config import NotifySettings
from notify_svc.metrics import AUTH_FAILURES
from notify_svc.senders import DeliveryError, OutgoingEmail, SentEmail
from voice_core.http_errors import NOT_SENT_ERRORS, describe_http_error
from voice_core.transcript_files import TranscriptFile

log = structlog.get_logger("notify_svc.mailjet")

_CONNECT_TIMEOUT_S = 5.0
_CREDENTIALS_HINT = (
    "check MAILJET_API_KEY and MAILJET_API_SECRET (the API key pair from Account settings → "
    "API keys, not SMTP credentials) and that MAIL_FROM_EMAIL is a validated sender"
)
# While Mailjet refuses the keys, a request is retried after as long as the refusals have lasted
# (so each waits about twice as long as the one before), within these bounds.
_AUTH_RETRY_MIN_S = 5.0
_AUTH_RETRY_MAX_S = 600.0


class MailjetSender:
    """Mailjet Send API v3.1 over one pooled HTTP client per process."""

    provider = "mailjet"

    def __init__(self, settings: NotifySettings) -> None:
        self._settings = settings
        self.lookup_lag_s = settings.mailjet_lookup_lag_s
        self.outcome_deadline_s = settings.mailjet_outcome_deadline_s
        # When Mailjet began refusing the keys (monotonic clock); None while it accepts them.
        self._refused_since: float | None = None
        self._client = httpx.AsyncClient(
            base_url=settings.mailjet_base_url,
            auth=(
                settings.mailjet_api_key.get_secret_value(),
                settings.mailjet_api_secret.get_secret_value(),
            ),
            timeout=httpx.Timeout(settings.mailjet_timeout_s, connect=_CONNECT_TIMEOUT_S),
        )

    async def send(self, outgoing: OutgoingEmail) -> SentEmail:
        settings = self._settings
        message = {
            "From": {"Email": settings.mail_from_email, "Name": settings.mail_from_name},
            "To": [{"Email": outgoing.recipient}],
            "Subject": outgoing.content.subject,
            "TextPart": outgoing.content.text,
            "HTMLPart": outgoing.content.html,
            "CustomID": outgoing.custom_id,
        }
        if outgoing.headers:
            # Send API v3.1 passes custom header fields through as given.
            message["Headers"] = dict(outgoing.headers)
        if outgoing.attachments:
            message["Attachments"] = [_attachment(file) for file in outgoing.attachments]
        body: dict[str, Any] = {"Messages": [message]}
        if settings.mailjet_sandbox:
            body["SandboxMode"] = True
        try:
            response = await self._client.post("/v3.1/send", json=body)
        except NOT_SENT_ERRORS as error:
            raise DeliveryError(
                "email_provider_unavailable",
                f"Mailjet is unreachable: {describe_http_error(error)}",
            ) from error
        except httpx.HTTPError as error:
            raise DeliveryError(
                "email_provider_unavailable",
                f"no answer from Mailjet ({describe_http_error(error)});"
                " it may have accepted the message",
                maybe_sent=True,
            ) from error
        if response.status_code in (httpx.codes.UNAUTHORIZED, httpx.codes.FORBIDDEN):
            raise self._refused(response, "send")
        self._refused_since = None
        return _read_send_response(response)

    async def find_sent(self, custom_id: str) -> SentEmail | None:
        try:
            response = await self._client.get("/v3/REST/message", params={"CustomID": custom_id})
        except httpx.HTTPError as error:
            raise DeliveryError(
                "email_provider_unavailable",
                f"looking up {custom_id} at Mailjet failed: {describe_http_error(error)}",
                maybe_sent=True,
            ) from error
        if response.status_code in (httpx.codes.UNAUTHORIZED, httpx.codes.FORBIDDEN):
            raise self._refused(response, "lookup")
        if response.status_code != httpx.codes.OK:
            raise DeliveryError(
                "email_provider_unavailable",
                f"looking up {custom_id} at Mailjet failed: {_status_text(response)}",
                maybe_sent=True,
                retry_after_s=retry_after_seconds(response.headers.get("Retry-After")),
            )
        self._refused_since = None
        found = _json(response).get("Data") or []
        if not found:
            return None
        message_id = str(found[0]["ID"])
        return SentEmail(
            provider_message_id=message_id,
            provider_message_uuid=str(found[0].get("UUID") or ""),
            provider_message_href=str(self._client.base_url.join(f"/v3/REST/message/{message_id}")),
        )

    def _refused(self, response: httpx.Response, call: str) -> DeliveryError:
        """A refused key pair: transient and surely not sent, with an alert and a log line."""
        now = time.monotonic()
        if self._refused_since is None:
            self._refused_since = now
        refused_for_s = now - self._refused_since
        AUTH_FAILURES.labels(self.provider).inc()
        log.error(
            "Mailjet refused the API key pair; emails wait until it is fixed",
            call=call,
            mailjet_answer=_status_text(response),
            fix=_CREDENTIALS_HINT,
            refused_for_s=round(refused_for_s),
        )
        return DeliveryError(
            "email_provider_auth_failed",
            "The email service is refusing our messages at the moment (a configuration problem"
            " on our side); the email is sent as soon as it accepts them again.",
            retry_after_s=min(_AUTH_RETRY_MAX_S, max(_AUTH_RETRY_MIN_S, refused_for_s)),
        )

    async def close(self) -> None:
        await self._client.aclose()


def _attachment(file: TranscriptFile) -> dict[str, str]:
    """An attachment as Send API v3.1 takes it. `ContentType` is the bare media type, as
    Mailjet documents it (its parameters are not part of the field); the files are UTF-8."""
    return {
        "ContentType": file.media_type.split(";")[0].strip(),
        "Filename": file.filename,
        "Base64Content": base64.b64encode(file.content).decode("ascii"),
    }


def _read_send_response(response: httpx.Response) -> SentEmail:
    status = response.status_code
    if status in (httpx.codes.TOO_MANY_REQUESTS, httpx.codes.SERVICE_UNAVAILABLE):
        raise DeliveryError(
            "email_provider_throttled" if status == 429 else "email_provider_unavailable",
            f"Mailjet did not take the message: {_status_text(response)}",
            retry_after_s=retry_after_seconds(response.headers.get("Retry-After")),
        )
    if status >= httpx.codes.INTERNAL_SERVER_ERROR:
        raise DeliveryError(
            "email_provider_unavailable",
            f"Mailjet failed: {_status_text(response)}; it may have accepted the message",
            maybe_sent=True,
        )
    body = _json(response)
    result = (body.get("Messages") or [{}])[0]
    if status >= httpx.codes.BAD_REQUEST or result.get("Status") == "error":
        reasons = _error_text(body) or _status_text(response)
        raise DeliveryError(
            "email_rejected", f"Mailjet rejected the message: {reasons}", permanent=True
        )
    try:
        receipt = result["To"][0]
        return SentEmail(
            provider_message_id=str(receipt["MessageID"]),
            provider_message_uuid=str(receipt.get("MessageUUID") or ""),
            provider_message_href=str(receipt.get("MessageHref") or ""),
        )
    except (KeyError, IndexError, TypeError):
        raise DeliveryError(
            "email_provider_unavailable",
            f"Mailjet's answer could not be read ({status}); it may have accepted the message",
            maybe_sent=True,
        ) from None


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _error_text(body: dict[str, Any]) -> str:
    """Mailjet's errors in its own words: per message (`Messages[].Errors[]`) or global."""
    errors = [
        error
        for result in body.get("Messages") or []
        if isinstance(result, dict)
        for error in result.get("Errors") or []
    ]
    if not errors and body.get("ErrorMessage"):
        errors = [body]
    return "; ".join(_one_error(error) for error in errors if isinstance(error, dict))


def _one_error(error: dict[str, Any]) -> str:
    about = [str(error["ErrorCode"])] if error.get("ErrorCode") else []
    related = error.get("ErrorRelatedTo") or []
    if related:
        related_to = related if isinstance(related, list) else [related]
        about.append("related to " + ", ".join(str(field) for field in related_to))
    text = str(error.get("ErrorMessage") or "unspecified error")
    return f"{text} ({'; '.join(about)})" if about else text


def _status_text(response: httpx.Response) -> str:
    detail = _error_text(_json(response))
    return f"{response.status_code} {detail}" if detail else str(response.status_code)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A `Retry-After` header in seconds: either delay-seconds or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
