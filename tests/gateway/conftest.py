"""Fixtures for the gateway tests: the app in process, in front of a real ingest service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from gateway.app import create_app
from gateway.config import GatewaySettings
from ingest_svc.app import IngestApp
from ingest_svc.config import IngestSettings
from tests.gateway.http import client_for
from tests.support import TEST_TOKEN, running

#: A small upload limit, so that "too large" is cheap to test.
UPLOAD_LIMIT = 2 * 2**20


@pytest.fixture
async def ingest_addr(clean_db: str, tmp_path: Path) -> AsyncIterator[str]:
    # Double opt-in has tests of its own (tests/e2e/test_recipient_attacks.py).
    settings = IngestSettings(
        database_url=SecretStr(clean_db), audio_dir=tmp_path / "audio", recipient_confirmation="off"
    )
    async with running(IngestApp(settings)) as address:
        yield address


@pytest.fixture
async def api(ingest_addr: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        GatewaySettings(
            ingest_addr=ingest_addr,
            max_upload_bytes=UPLOAD_LIMIT,
            internal_auth_token=SecretStr(TEST_TOKEN),
        )
    )
    async for client in client_for(app):
        yield client
