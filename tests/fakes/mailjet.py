"""A local Mailjet: the Send API v3.1 and the message list, answering as Mailjet documents.

- `POST /v3.1/send`: HTTP basic auth with the API key pair (else 401 and Mailjet's error body);
  each message is checked the way Mailjet checks what we use (recipient addresses: `mj-0013`; a
  text or HTML part: `send-0003`); a call with an invalid message is refused whole: 400 and
  `Messages[].Errors[]`; `SandboxMode` validates without delivering; success answers
  `Status: success` with `To[].MessageID`, `MessageUUID` and `MessageHref`. `Attachments`
  are checked as the Send API documents (`check_attachments`) and kept decoded. Custom header
  fields (`Headers`) are kept on the message as given; `one_click_unsubscribe_url`
  (mailjet_words) checks its List-Unsubscribe fields as a receiving mailbox checks RFC 8058.
- `GET /v3/REST/message?CustomID=…`: the delivered messages tagged with that CustomID, once
  Mailjet's index has them: it lags behind the send's answer (`index_lag_s`, 0 unless a test
  sets it). Errors come in the v3 REST shape (`ErrorInfo`, `ErrorMessage`, `StatusCode`), not
  the Send API's (`ErrorIdentifier`, `StatusCode`, `ErrorMessage`).
- Mailjet does not deduplicate by CustomID: a second send with the same one is a second email.
- A regenerated secret (`rotate_secret`) is refused at once, with 401 and Mailjet's words.

Tests script what the next sends meet: `fail_next` (e.g. 503, or 429 with `Retry-After`),
`reject_next` (a Mailjet-shaped 400), `hang_next` and `reset_next` (no answer at all, with the
message accepted or not); while `lookups_fail_with` holds a status, every lookup gets it (an
outage of the REST API). `before_answer`, if set, runs in a worker thread after a message was
accepted and before the answer leaves: a test can crash the caller right there.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from tests.fakes.mailjet_words import (
    MAX_MESSAGE_BYTES,
    check_message,
    malformed_json_response,
    rest_error_response,
    send_error,
    send_error_response,
)
from tests.fakes.server import BackgroundServer, reset_connection

API_KEY = "test-api-key"
API_SECRET = "test-api-secret"


@dataclass(frozen=True)
class MailjetMessage:
    """One accepted message, as Mailjet records it: one per recipient."""

    id: int
    uuid: str
    custom_id: str
    sender: str
    recipient: str
    subject: str
    text: str
    html: str
    sandbox: bool
    # The custom header fields (`Headers`), passed through as given.
    headers: dict[str, str]
    # Its files (`Attachments`), each as `(Filename, ContentType, bytes)`.
    attachments: list[tuple[str, str, bytes]]
    # When Mailjet accepted it (monotonic clock): its index lists it `index_lag_s` later.
    accepted_at: float


@dataclass(frozen=True)
class _Fault:
    status: int = 0
    retry_after: str | None = None
    errors: tuple[dict[str, Any], ...] = ()
    hang: bool = False
    reset: bool = False
    accept: bool = False


class FakeMailjet:
    """Mailjet on a loopback port; use as a context manager, then point MAILJET_BASE_URL here."""

    def __init__(self, api_key: str = API_KEY, api_secret: str = API_SECRET) -> None:
        self.api_key = api_key
        self.api_secret = api_secret
        self.messages: list[MailjetMessage] = []  # delivered (sandboxed ones are not)
        self.sandboxed: list[MailjetMessage] = []
        self.requests: list[dict[str, Any]] = []  # every send call's body, as received
        self.before_answer: Callable[[MailjetMessage], None] | None = None
        # How long after acceptance a message first shows in `/v3/REST/message` lookups.
        self.index_lag_s = 0.0
        self.lookups_fail_with: int | None = None
        self.lookups = 0  # lookup calls received, answered or not
        self._faults: deque[_Fault] = deque()
        self._next_id = 576_460_752_303_423_488
        # Mailjet reads bodies past its 15 MB limit to refuse them in its words (mj-0011);
        # aiohttp would cut them off at 1 MiB with a bare 413.
        app = web.Application(client_max_size=2 * MAX_MESSAGE_BYTES)
        app.router.add_post("/v3.1/send", self._send)
        app.router.add_get("/v3/REST/message", self._list_messages)
        self._server = BackgroundServer(app)

    @property
    def base_url(self) -> str:
        return self._server.base_url

    def __enter__(self) -> FakeMailjet:
        self._server.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.stop()

    # --- what the next sends meet ---------------------------------------------------------

    def fail_next(
        self, count: int = 1, *, status: int = 503, retry_after: str | None = None
    ) -> None:
        """The next `count` sends get `status` (nothing accepted), with `Retry-After` if given."""
        self._faults.extend([_Fault(status=status, retry_after=retry_after)] * count)

    def reject_next(
        self,
        message: str = '"someone@example" is an invalid email address.',
        *,
        error_code: str = "mj-0013",
        related_to: tuple[str, ...] = ("To[0].Email",),
        status: int = 400,
    ) -> None:
        """The next send is refused with one Mailjet-shaped error in `Messages[].Errors[]`."""
        error = send_error(status, message) | {"ErrorCode": error_code}
        error["ErrorRelatedTo"] = list(related_to)
        self._faults.append(_Fault(status=status, errors=(error,)))

    def rotate_secret(self, new_secret: str) -> None:
        """Regenerate the secret key in Mailjet: calls with the old one get 401 from now on."""
        self.api_secret = new_secret

    def hang_next(self, *, accept: bool) -> None:
        """The next send never gets an answer (the caller times out); accepted first or not."""
        self._faults.append(_Fault(hang=True, accept=accept))

    def reset_next(self, *, accept: bool) -> None:
        """The next send's connection is reset instead of answered; accepted first or not."""
        self._faults.append(_Fault(reset=True, accept=accept))

    # --- the API ----------------------------------------------------------------------------

    def _authorized(self, request: web.Request) -> bool:
        expected = base64.b64encode(f"{self.api_key}:{self.api_secret}".encode()).decode()
        return request.headers.get("Authorization") == f"Basic {expected}"

    async def _send(self, request: web.Request) -> web.StreamResponse:
        if not self._authorized(request):
            return send_error_response(401)
        try:
            body = await request.json()
        except ValueError:
            return malformed_json_response()
        self.requests.append(body)
        fault = self._faults.popleft() if self._faults else _Fault()
        if fault.errors:
            result = {"Status": "error", "Errors": list(fault.errors)}
            return web.json_response({"Messages": [result]}, status=fault.status)
        if fault.status:
            return send_error_response(fault.status, fault.retry_after)
        messages = body.get("Messages") or []
        errors = [check_message(message) for message in messages]
        if any(errors):
            # Refused whole: every message reports an error, the invalid ones say which.
            results = [{"Status": "error", "Errors": message_errors} for message_errors in errors]
            return web.json_response({"Messages": results}, status=400)
        if (fault.hang or fault.reset) and not fault.accept:
            return await self._no_answer(request, fault)
        sandbox = bool(body.get("SandboxMode"))
        accepted = [self._accept(message, sandbox) for message in messages]
        if self.before_answer is not None:
            for record in itertools.chain.from_iterable(accepted):
                await asyncio.to_thread(self.before_answer, record)
        if fault.hang or fault.reset:
            return await self._no_answer(request, fault)
        results = [self._success(m, records) for m, records in zip(messages, accepted, strict=True)]
        return web.json_response({"Messages": results})

    async def _no_answer(self, request: web.Request, fault: _Fault) -> web.StreamResponse:
        if fault.reset:
            reset_connection(request)
        else:
            await self._server.stopping.wait()
        return web.Response(status=500)

    def _accept(self, message: dict[str, Any], sandbox: bool) -> list[MailjetMessage]:
        """Record the message once per recipient, as Mailjet does."""
        records = []
        for recipient in message.get("To") or []:
            self._next_id += 1
            record = MailjetMessage(
                id=self._next_id,
                uuid=str(uuid.uuid4()),
                custom_id=str(message.get("CustomID", "")),
                sender=str((message.get("From") or {}).get("Email", "")),
                recipient=str(recipient["Email"]),
                subject=str(message.get("Subject", "")),
                text=str(message.get("TextPart", "")),
                html=str(message.get("HTMLPart", "")),
                sandbox=sandbox,
                headers=dict(message.get("Headers") or {}),
                attachments=[
                    (a["Filename"], a["ContentType"], base64.b64decode(a["Base64Content"]))
                    for a in message.get("Attachments") or []
                ],
                accepted_at=time.monotonic(),
            )
            (self.sandboxed if sandbox else self.messages).append(record)
            records.append(record)
        return records

    def _success(self, message: dict[str, Any], records: list[MailjetMessage]) -> dict[str, Any]:
        receipts = [
            {
                "Email": record.recipient,
                "MessageUUID": record.uuid,
                "MessageID": record.id,
                "MessageHref": f"{self.base_url}/v3/REST/message/{record.id}",
            }
            for record in records
        ]
        custom_id = message.get("CustomID", "")
        return {"Status": "success", "CustomID": custom_id, "To": receipts, "Cc": [], "Bcc": []}

    async def _list_messages(self, request: web.Request) -> web.Response:
        self.lookups += 1
        if not self._authorized(request):
            return rest_error_response(401)
        if self.lookups_fail_with is not None:
            return rest_error_response(self.lookups_fail_with)
        custom_id = request.query.get("CustomID")
        indexed_before = time.monotonic() - self.index_lag_s
        found = [
            m
            for m in self.messages
            if (custom_id is None or m.custom_id == custom_id) and m.accepted_at <= indexed_before
        ]
        data = [
            {
                "ArrivedAt": datetime.now(UTC).isoformat(timespec="seconds"),
                "ID": message.id,
                "Status": "sent",
                "Subject": message.subject,
                "UUID": message.uuid,
            }
            for message in found
        ]
        return web.json_response({"Count": len(data), "Data": data, "Total": len(data)})
