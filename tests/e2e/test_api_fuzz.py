"""Schemathesis fuzzes the gateway from its own OpenAPI schema, against the real services, with
every check it has: no 5xx, every response as documented, schema-valid data accepted and
invalid data refused, authentication enforced; then a stateful phase follows the document's
links (upload → request → read, reschedule, cancel, retry, delete) with real capabilities."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import available_timezones

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import ignored_auth
from schemathesis.transport.serialization import Binary

from devstack.stack import Stack
from gateway.app import create_app
from gateway.config import GatewaySettings
from tests.support import JFK_FLAC, running_stack

# Two rules JSON Schema cannot state: a time relative to now, and names from the time-zone
# database. The document says both in words; generated data is kept inside them here.
LATEST_SEND_AT = timedelta(days=365)
TIME_ZONES = available_timezones()
# A wrong access token is answered 404, exactly as an unknown id, on purpose: a 401 or 403
# would tell a token guesser which ids exist. Schemathesis' `ignored_auth` expects 401/403.
EXCLUDED = [ignored_auth]
STATEFUL = hypothesis.settings(
    max_examples=15,
    stateful_step_count=6,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    derandomize=True,
)


@pytest.fixture(scope="module")
def fuzzed_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("fuzz"), schedulers=0) as system:
        yield system


# The schema the gateway serves at /openapi.json, built from the same app definition.
schema = schemathesis.openapi.from_dict(create_app(GatewaySettings()).openapi())


@schema.parametrize()
@hypothesis.settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_schema(case: schemathesis.Case[Any], fuzzed_stack: Stack) -> None:
    within_unstated_rules(case)
    case.call_and_validate(base_url=fuzzed_stack.gateway_url, excluded_checks=EXCLUDED)


def within_unstated_rules(case: schemathesis.Case[Any]) -> None:
    """Keep schema-valid data valid where JSON Schema cannot state the rule (the document says
    each in words): a file is real audio, send_at is within the window, a time zone exists, a
    language is one the deployment's model transcribes (GET /v1/config: tiny.en, English)."""
    if case.meta is not None and case.meta.generation.mode.is_negative:
        return
    if not isinstance(case.body, dict):
        return
    body: dict[str, Any] = case.body
    if isinstance(body.get("file"), (bytes, Binary)):
        body["file"] = JFK_FLAC.read_bytes()
    send_at = body.get("send_at")
    if isinstance(send_at, str) and _beyond_the_window(send_at):
        body["send_at"] = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    time_zone = body.get("time_zone")
    if isinstance(time_zone, str) and time_zone and time_zone not in TIME_ZONES:
        body["time_zone"] = "Europe/Paris"
    if isinstance(body.get("language"), str) and body["language"] not in ("auto", "en"):
        body["language"] = "en"


def _beyond_the_window(send_at: str) -> bool:
    try:
        return datetime.fromisoformat(send_at) - datetime.now(UTC) > LATEST_SEND_AT
    except (ValueError, TypeError, OverflowError):
        return False  # not a time with an offset: the API refuses it, as the schema says


def test_workflows_along_the_documents_links(fuzzed_stack: Stack) -> None:
    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: schemathesis.Case[Any]) -> dict[str, Any]:
            within_unstated_rules(case)
            return {"base_url": fuzzed_stack.gateway_url}

        def validate_response(
            self, response: Any, case: schemathesis.Case[Any], **kwargs: Any
        ) -> None:
            case.validate_response(
                response, excluded_checks=EXCLUDED, transport_kwargs=kwargs or None
            )

    Workflow.run(settings=STATEFUL)
