"""The OpenAPI document states the rules the API enforces, so that generated clients and
fuzzers know them (tests/e2e/test_api_fuzz.py holds the API to them)."""

from __future__ import annotations

import re
from typing import Any

from email_validator import SPECIAL_USE_DOMAIN_NAMES

from gateway.app import create_app
from gateway.config import GatewaySettings
from gateway.schemas import UNREACHABLE_DOMAINS
from voice_core.audio_types import ACCEPTED_TYPES
from voice_core.capabilities import TOKEN_PATTERN, new_token

DOCUMENT: dict[str, Any] = create_app(GatewaySettings()).openapi()
SCHEMAS = DOCUMENT["components"]["schemas"]


def test_email_rules_are_those_ingest_applies() -> None:
    email = SCHEMAS["CreateRequestIn"]["properties"]["email"]
    assert (email["format"], email["minLength"], email["maxLength"]) == ("email", 3, 254)
    assert set(UNREACHABLE_DOMAINS) == set(SPECIAL_USE_DOMAIN_NAMES)
    pattern = re.compile(email["pattern"])
    assert pattern.match("ana@example.com")
    assert not pattern.match("ana@printer.local")


def test_tokens_have_their_shape_and_the_bearer_scheme_guards_every_request_call() -> None:
    assert re.match(TOKEN_PATTERN, new_token())
    for schema, field in (
        ("AudioOut", "upload_token"),
        ("CreateRequestIn", "upload_token"),
        ("CreatedRequestOut", "access_token"),
    ):
        assert SCHEMAS[schema]["properties"][field]["pattern"] == TOKEN_PATTERN
    assert DOCUMENT["components"]["securitySchemes"]["accessToken"]["scheme"] == "bearer"
    for path, methods in DOCUMENT["paths"].items():
        for method, operation in methods.items():
            guarded = path.startswith("/v1/requests/")
            assert (operation.get("security") == [{"accessToken": []}]) == guarded, (path, method)
            if guarded:
                assert "401" in operation["responses"]


def test_send_at_window_and_audio_types_are_stated() -> None:
    assert "366 days" in SCHEMAS["CreateRequestIn"]["properties"]["send_at"]["description"]
    assert "366 days" in SCHEMAS["RescheduleIn"]["properties"]["send_at"]["description"]
    upload = DOCUMENT["paths"]["/v1/audio"]["post"]["requestBody"]["content"]
    form = upload["multipart/form-data"]
    assert form["encoding"]["file"]["contentType"] == ", ".join(ACCEPTED_TYPES)
    assert form["schema"]["properties"]["file"]["minLength"] == 1
    assert set(SCHEMAS["AudioType"]["enum"]) == set(ACCEPTED_TYPES)


def test_listing_by_address_is_gone() -> None:
    assert "get" not in DOCUMENT["paths"]["/v1/requests"]
