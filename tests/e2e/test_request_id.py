"""One request id from the browser to the mailbox: the `X-Request-ID` of the call that created
a summary request is in every log line any service writes about it."""

from __future__ import annotations

import httpx

from devstack.stack import Stack
from tests.e2e.conftest import request_body, upload, wait_until_done
from tests.support import JFK_FLAC, log_lines

NOTE = "The supplier confirmed the delivery date. I will call the supplier tomorrow."


def test_the_creating_calls_request_id_is_in_every_services_log_lines(
    stack: Stack, api: httpx.Client
) -> None:
    audio = upload(api, JFK_FLAC)
    created = api.post(
        "/v1/requests",
        json=request_body(audio, "traced@example.com", transcript=NOTE),
        headers={"X-Request-ID": "abc"},
    )
    assert created.headers["x-request-id"] == "abc"
    summary_request_id = created.json()["id"]

    assert wait_until_done(api, created.json())["status"] == "sent"

    for service in ("ingest", "scheduler", "transcribe", "notify"):
        tagged = [line for line in log_lines(stack, service) if line.get("request_id") == "abc"]
        assert tagged, f"{service} logged nothing with request_id abc"
    # Every line the scheduler and notify wrote about the request names both ids.
    for service in ("scheduler", "notify"):
        about = [
            line
            for line in log_lines(stack, service)
            if line.get("summary_request_id") == summary_request_id
        ]
        assert about, f"{service} logged nothing about {summary_request_id}"
        assert {line["request_id"] for line in about} == {"abc"}, service
