"""Schemathesis fuzzes the gateway from its own OpenAPI schema, against the real services:
no 5xx, and every response (errors included) conforms to the schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from devstack.stack import Stack
from gateway.app import create_app
from gateway.config import GatewaySettings
from tests.support import running_stack

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


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
    case.call_and_validate(base_url=fuzzed_stack.gateway_url, checks=CHECKS)
