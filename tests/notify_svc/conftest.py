"""Fixtures of the notification service's tests: a local Mailjet per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.mailjet import FakeMailjet


@pytest.fixture
def mailjet() -> Iterator[FakeMailjet]:
    with FakeMailjet() as fake:
        yield fake
