"""Attacks on the mail the system sends, through the gateway of a real system with double
opt-in on (RECIPIENT_CONFIRMATION=required): an unconfirmed address receives nothing but one
fixed confirmation email, floods hit the caps, and every summary email can be stopped with one
click (RFC 8058)."""

from __future__ import annotations

import email
import email.policy
import re
import statistics
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from devstack.stack import Stack
from notify_svc.recipient_emails import compose_recipient_email
from tests.e2e.conftest import bearer, request_body, wait_until_done
from tests.support import JFK_FLAC, running_stack, wait_until
from voice_agent.v1 import notify_pb2

PHISHING = "Your bank account is locked, verify at https://evil.example/verify now."
PHISHING_FILE = "Urgent-https-evil.example-invoice.flac"
CALLER_TEXT = ("bank account", "evil.example", "verify", "Urgent", "invoice", "locked")
_CONFIRM_LINK = re.compile(r"http://localhost:3000/confirm#token=([A-Za-z0-9_-]{43})")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    env = {"SCHEDULER_POLL_INTERVAL_S": "0.5"}
    with running_stack(
        tmp_path_factory.mktemp("stack"), env=env, recipient_confirmation=True
    ) as system:
        yield system


@pytest.fixture(scope="module")
def audio(api: httpx.Client) -> dict[str, Any]:
    """The attacker's upload: its audio_id and upload_token."""
    with JFK_FLAC.open("rb") as file:
        response = api.post("/v1/audio", files={"file": (PHISHING_FILE, file, "audio/flac")})
    assert response.status_code == 201, response.text
    uploaded: dict[str, Any] = response.json()
    return uploaded


def ask(api: httpx.Client, audio: dict[str, Any], address: str) -> dict[str, Any]:
    created = api.post("/v1/requests", json=request_body(audio, address, transcript=PHISHING))
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body


def mails_to(outbox: Path, address: str) -> list[bytes]:
    found = []
    for path in sorted(outbox.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns):
        raw = path.read_bytes()
        if email.message_from_bytes(raw, policy=email.policy.default)["To"] == address:
            found.append(raw)
    return found


def parsed(raw: bytes) -> email.message.EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


def text_of(raw: bytes) -> str:
    part = parsed(raw).get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def confirmation_token(stack: Stack, address: str) -> str:
    [raw] = wait_until(
        lambda: mails_to(stack.outbox_dir, address), 10, f"a confirmation email to {address}"
    )
    match = _CONFIRM_LINK.search(text_of(raw))
    assert match is not None
    return match.group(1)


def test_an_unconfirmed_address_gets_only_the_fixed_confirmation(
    stack: Stack, api: httpx.Client, audio: dict[str, Any]
) -> None:
    address = "victim@example.com"
    first = ask(api, audio, address)
    assert first["status"] == "awaiting_confirmation"
    token = confirmation_token(stack, address)

    [raw] = mails_to(stack.outbox_dir, address)
    for text in CALLER_TEXT:  # nothing the caller wrote: the whole file, headers included
        assert text.lower().encode() not in raw.lower()
    # The body is the fixed text, byte for byte, with the link as the only variable part.
    fixed = compose_recipient_email(
        notify_pb2.RECIPIENT_EMAIL_KIND_CONFIRMATION,
        f"http://localhost:3000/confirm#token={token}",
    )
    message = parsed(raw)
    assert message["Subject"] == fixed.subject
    assert text_of(raw) == fixed.text
    html = message.get_body(preferencelist=("html",))
    assert html is not None
    assert html.get_content() == fixed.html + "\n"  # the MIME part ends its last line
    # It stays waiting: the scheduler polls every 0.5 s and must not take it.
    seen = api.get(f"/v1/requests/{first['id']}", headers=bearer(first)).json()
    assert seen["status"] == "awaiting_confirmation"
    assert len(mails_to(stack.outbox_dir, address)) == 1


def test_a_flood_of_requests_sends_one_confirmation(
    stack: Stack, api: httpx.Client, audio: dict[str, Any]
) -> None:
    address = "flooded@example.com"
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: ask(api, audio, address)["status"], range(30)))
    assert set(statuses) == {"awaiting_confirmation"}
    confirmation_token(stack, address)  # exactly one arrives …
    # … and no second one follows: the caps are decided in one locked row per address.
    wait_until(
        lambda: (
            "confirmation email not sent: confirmed, or a cap reached"
            in stack.processes["ingest"].output()
        ),
        10,
        "the capped confirmations",
    )
    assert len(mails_to(stack.outbox_dir, address)) == 1


def test_confirming_releases_the_waiting_request_and_is_remembered(
    stack: Stack, api: httpx.Client, audio: dict[str, Any]
) -> None:
    address = "confirms@example.com"
    waiting = ask(api, audio, address)
    token = confirmation_token(stack, address)

    confirmed = api.post("/v1/recipients/confirm", json={"token": token})

    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json() == {"confirmed": True, "released_requests": 1}
    assert wait_until_done(api, waiting)["status"] == "sent"
    later = ask(api, audio, address)
    assert later["status"] == "pending"  # remembered: no second confirmation
    assert wait_until_done(api, later)["status"] == "sent"
    assert len(mails_to(stack.outbox_dir, address)) == 3


def test_a_wrong_token_confirms_nothing(api: httpx.Client) -> None:
    unknown = api.post("/v1/recipients/confirm", json={"token": "A" * 43})
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "token_not_found"
    malformed = api.post("/v1/recipients/confirm", json={"token": "short"})
    assert malformed.status_code == 422


def test_a_summary_email_can_be_stopped_with_one_click(
    stack: Stack, api: httpx.Client, audio: dict[str, Any]
) -> None:
    address = "leaves@example.com"
    first = ask(api, audio, address)
    api.post("/v1/recipients/confirm", json={"token": confirmation_token(stack, address)})
    assert wait_until_done(api, first)["status"] == "sent"
    summary = parsed(mails_to(stack.outbox_dir, address)[-1])
    assert summary["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<(http://[^>]+)>", str(summary["List-Unsubscribe"]))
    assert url is not None
    assert f"/requests/{first['id']}#token=" in text_of(mails_to(stack.outbox_dir, address)[-1])

    # What a mail client does (RFC 8058 §3.2): a POST, no cookies, this exact body. (The link
    # names PUBLIC_API_URL; this gateway listens on a port of its own.)
    target = urlsplit(url.group(1))
    clicked = httpx.post(
        f"{stack.gateway_url}{target.path}?{target.query}",
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    assert clicked.status_code == 200, clicked.text
    after = ask(api, audio, address)
    assert (after["status"], after["error"]["code"]) == ("failed", "recipient_unsubscribed")
    assert len(mails_to(stack.outbox_dir, address)) == 2  # the confirmation and the summary


def link_request(api: httpx.Client, address: str) -> httpx.Response:
    return api.post("/v1/recipients/link", json={"email": address})


def comparable(response: httpx.Response) -> tuple[int, bytes, tuple[tuple[str, str], ...]]:
    """Everything in an answer but what differs per call anyway: its request id and date."""
    headers = sorted(
        (name, value)
        for name, value in response.headers.items()
        if name not in ("x-request-id", "date")
    )
    return response.status_code, response.content, tuple(headers)


def test_email_me_my_notes_does_not_tell_whether_an_address_is_known(
    stack: Stack, api: httpx.Client, audio: dict[str, Any]
) -> None:
    known, unknown = "known-notes@example.com", "nobody-here@example.com"
    ask(api, audio, known)
    confirmation_token(stack, known)
    for address in (known, unknown):  # warm up both paths
        link_request(api, address)

    answers: dict[str, list[httpx.Response]] = {known: [], unknown: []}
    timings: dict[str, list[float]] = {known: [], unknown: []}
    for _ in range(15):
        for address in (known, unknown):
            started = time.perf_counter()
            answers[address].append(link_request(api, address))
            timings[address].append(time.perf_counter() - started)

    assert {comparable(r) for r in answers[known] + answers[unknown]} == {
        comparable(answers[known][0])
    }
    assert answers[known][0].status_code == 202
    # The same work on the request path: the lookup happens after the answer.
    gap = abs(statistics.median(timings[known]) - statistics.median(timings[unknown]))
    print(f"\n[attack] median answer time gap known/unknown: {gap * 1000:.2f} ms")
    assert gap < 0.010
    # Only the known address gets mail: links to its notes.
    wait_until(
        lambda: len(mails_to(stack.outbox_dir, known)) >= 2, 10, "a notes link to the known address"
    )
    assert mails_to(stack.outbox_dir, unknown) == []


def test_a_notes_link_lists_only_its_addresss_notes_and_confirms_it(
    stack: Stack, api: httpx.Client, audio: dict[str, Any]
) -> None:
    address = "lists@example.com"
    waiting = ask(api, audio, address)
    ask(api, audio, "someone-else@example.com")
    confirmation_token(stack, address)
    assert link_request(api, address).status_code == 202
    raws = wait_until(lambda: mails_to(stack.outbox_dir, address)[1:], 10, "the notes link email")
    found = re.search(r"/notes#token=([A-Za-z0-9_-]{43})", text_of(raws[0]))
    assert found is not None
    token = found.group(1)

    assert api.get("/v1/recipients/notes").status_code == 401
    wrong = api.get("/v1/recipients/notes", headers={"Authorization": f"Bearer {'B' * 43}"})
    assert wrong.status_code == 404
    listed = api.get("/v1/recipients/notes", headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200, listed.text
    assert [item["id"] for item in listed.json()["items"]] == [waiting["id"]]
    # Listing again gives the same capability: reloading the page adds nothing.
    again = api.get("/v1/recipients/notes", headers={"Authorization": f"Bearer {token}"})
    assert again.json()["items"] == listed.json()["items"]
    # A confirmation token does not list notes; the notes token does confirm the address.
    assert (
        api.post("/v1/recipients/confirm", json={"token": token}).json()["released_requests"] == 1
    )
    assert wait_until_done(api, waiting)["status"] == "sent"
    # Each listed note carries a capability of its own: it opens and deletes the note.
    [listed_note] = listed.json()["items"]
    capability = {"Authorization": f"Bearer {listed_note['access_token']}"}
    assert listed_note["access_token"] != waiting["access_token"]
    assert api.get(f"/v1/requests/{waiting['id']}", headers=capability).status_code == 200
    assert api.delete(f"/v1/requests/{waiting['id']}", headers=capability).status_code == 204
    assert api.get(f"/v1/requests/{waiting['id']}", headers=capability).status_code == 404
