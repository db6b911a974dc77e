"""At most one email, with Mailjet (a local fake of its API) as the provider: transient
failures are retried, permanent ones end the request, a crash after the provider accepted
a message is reconciled instead of sent again, a rotated key makes requests wait, and an email
Mailjet cannot be asked about fails as `delivery_unknown` until the user retries it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from devstack.processes import ServiceProcess
from devstack.stack import Stack, wait_serving
from tests.e2e.conftest import bearer, upload, wait_until_done
from tests.fakes.mailjet import FakeMailjet, MailjetMessage
from tests.support import JFK_FLAC, mailjet_env, running_stack, wait_until
from voice_core.public_errors import public_message

NOTE = (
    "The roof repair is booked for Monday. The insurer approved the claim. "
    "I will pay the deposit today."
)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, mailjet: FakeMailjet) -> Iterator[Stack]:
    env = {
        **mailjet_env(mailjet),
        # Retries within a second, so that the tests see several attempts quickly.
        "RETRY_BASE_S": "0.2",
        "MAILJET_LOOKUP_LAG_S": "0",
        "MAILJET_OUTCOME_DEADLINE_S": "1",
        "SCHEDULER_POLL_INTERVAL_S": "0.2",
    }
    with running_stack(tmp_path_factory.mktemp("email-once"), env=env) as system:
        yield system


@pytest.fixture(scope="module")
def api(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def audio(api: httpx.Client) -> dict[str, str]:
    """An uploaded file's id and capability."""
    uploaded = upload(api, JFK_FLAC)
    return {"audio_id": uploaded["audio_id"], "upload_token": uploaded["upload_token"]}


def request_summary(api: httpx.Client, audio: dict[str, str], recipient: str) -> dict[str, Any]:
    """POST /v1/requests' answer: the request with its access_token."""
    body = {"email": recipient, **audio, "transcript": NOTE}
    response = api.post("/v1/requests", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def delivered_to(mailjet: FakeMailjet, recipient: str) -> list[MailjetMessage]:
    return [message for message in mailjet.messages if message.recipient == recipient]


def test_transient_errors_twice_then_sent_on_the_third_attempt(
    api: httpx.Client, audio: dict[str, str], mailjet: FakeMailjet
) -> None:
    mailjet.fail_next(2, status=503)

    done = wait_until_done(api, request_summary(api, audio, "third-time@example.com"))

    assert done["status"] == "sent", done
    assert done["attempts"] == 3
    assert done["error"] is None
    assert len(delivered_to(mailjet, "third-time@example.com")) == 1


def test_permanent_error_fails_after_one_attempt_the_providers_words_only_logged(
    stack: Stack, api: httpx.Client, audio: dict[str, str], mailjet: FakeMailjet
) -> None:
    mailjet.reject_next('"third-time@example" is an invalid email address.')

    done = wait_until_done(api, request_summary(api, audio, "refused@example.com"))

    assert done["status"] == "failed", done
    assert done["attempts"] == 1
    assert done["error"]["code"] == "email_rejected"
    # The public reads the code's fixed sentence; the provider's words are for the operator.
    assert done["error"]["message"] == public_message("email_rejected")
    assert "is an invalid email address" in stack.processes["scheduler"].output()
    assert delivered_to(mailjet, "refused@example.com") == []


def test_notify_killed_after_mailjet_accepted_is_reconciled_not_resent(
    stack: Stack, api: httpx.Client, audio: dict[str, str], mailjet: FakeMailjet
) -> None:
    notify = stack.processes["notify"]
    port = stack.addresses["notify"].rsplit(":", 1)[1]
    # The crash lands after Mailjet accepted the message and before notify could record it.
    mailjet.before_answer = lambda _message: notify.kill()
    try:
        created = request_summary(api, audio, "crash@example.com")
        wait_until(lambda: not notify.running(), timeout_s=30, what="notify to crash")
    finally:
        mailjet.before_answer = None
    assert len(delivered_to(mailjet, "crash@example.com")) == 1

    # A new notify process on the same address: the scheduler's retry reaches it.
    restarted = ServiceProcess.python_module(
        "notify", "notify_svc", stack.service_env(NOTIFY_PORT=port)
    )
    stack.processes["notify"] = restarted
    wait_serving(stack.addresses["notify"])
    done = wait_until_done(api, created)

    assert done["status"] == "sent", done
    assert done["attempts"] >= 2
    assert len(delivered_to(mailjet, "crash@example.com")) == 1
    assert done["delivery"]["provider_message_id"] == str(
        delivered_to(mailjet, "crash@example.com")[0].id
    )


def test_rotated_key_makes_the_request_wait_then_it_is_sent(
    stack: Stack, api: httpx.Client, audio: dict[str, str], mailjet: FakeMailjet
) -> None:
    deployed_secret = mailjet.api_secret
    mailjet.rotate_secret("regenerated-in-mailjet")
    try:
        created = request_summary(api, audio, "rotation@example.com")
        waiting = wait_for_error(api, created, "email_provider_auth_failed")
    finally:
        # The deployment's secret is current again (as after updating it).
        mailjet.rotate_secret(deployed_secret)
    done = wait_until_done(api, created)

    assert waiting["status"] == "pending", waiting
    assert "MAILJET" not in waiting["error"]["message"]
    assert done["status"] == "sent", done
    assert done["attempts"] == 1  # waiting for the key used up no attempt
    assert len(delivered_to(mailjet, "rotation@example.com")) == 1
    refusals = [
        line
        for line in stack.processes["notify"].output().splitlines()
        if "Mailjet refused the API key pair" in line
    ]
    assert refusals
    assert "MAILJET_API_KEY and MAILJET_API_SECRET" in refusals[0]


def test_email_mailjet_cannot_be_asked_about_fails_as_unknown_until_retried(
    api: httpx.Client, audio: dict[str, str], mailjet: FakeMailjet
) -> None:
    mailjet.fail_next(status=500)  # maybe sent
    mailjet.lookups_fail_with = 503  # and no way to find out, past MAILJET_OUTCOME_DEADLINE_S
    try:
        created = request_summary(api, audio, "unknown@example.com")
        unknown = wait_until_done(api, created)
    finally:
        mailjet.lookups_fail_with = None

    assert unknown["status"] == "failed", unknown
    assert unknown["error"]["code"] == "delivery_unknown"
    assert "check your inbox" in unknown["error"]["message"]
    assert unknown["delivery"]["status"] == "unknown"
    assert unknown["attempts"] == 2  # the send, then the lookups (which used up none)
    assert delivered_to(mailjet, "unknown@example.com") == []

    # The user found no email and retried: Mailjet is asked again, then it is sent once.
    assert (
        api.post(f"/v1/requests/{created['id']}/retry", headers=bearer(created)).status_code == 200
    )
    done = wait_until_done(api, created)
    assert done["status"] == "sent", done
    assert done["delivery"]["status"] == "sent"
    assert len(delivered_to(mailjet, "unknown@example.com")) == 1


def wait_for_error(api: httpx.Client, created: dict[str, Any], code: str) -> dict[str, Any]:
    """Poll until the request shows `code` as its (latest) error."""

    def showing() -> dict[str, Any] | None:
        body: dict[str, Any] = api.get(
            f"/v1/requests/{created['id']}", headers=bearer(created)
        ).json()
        return body if (body.get("error") or {}).get("code") == code else None

    return wait_until(showing, timeout_s=30, what=f"request {created['id']} to show {code}")
