"""One delivery attempt against local servers: TLS to a pinned address, deadlines, bodies."""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import ssl
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
import trustme
from standardwebhooks import Webhook

from ingest_svc.webhook_sender import WebhookSender
from ingest_svc.webhook_urls import WebhookTarget
from tests.fakes.webhook_receiver import WebhookReceiver

SECRET = "whsec_" + base64.b64encode(b"another key of 32 bytes, for us.").decode()
LOOPBACK = ipaddress.IPv4Address("127.0.0.1")
# Names that resolve nowhere: only the pinned address can be reached.
NAME = "hooks.example.test"


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


def client_context(authority: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    authority.configure_trust(context)
    return context


def server_context(authority: trustme.CA, name: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(name).configure_cert(context)
    return context


def target(url: str) -> WebhookTarget:
    return WebhookTarget(httpx.URL(url), (LOOPBACK,))


async def test_https_goes_to_the_checked_address_with_the_names_host_and_certificate(
    authority: trustme.CA,
) -> None:
    sender = WebhookSender(5.0, client_context(authority))
    async with WebhookReceiver(ssl_context=server_context(authority, NAME)) as receiver:
        url = receiver.url(host=NAME)
        outcome = await sender.send(target(url), Webhook(SECRET), "evt_1", '{"type":"x"}')
        [event] = receiver.received
    await sender.close()

    assert (outcome.status_code, outcome.error) == (204, None)
    assert event.headers["Host"] == f"{NAME}:{receiver.port}"
    assert event.headers["webhook-id"] == "evt_1"
    assert Webhook(SECRET).verify(event.body, event.headers) == {"type": "x"}


async def test_a_certificate_for_another_name_is_refused(authority: trustme.CA) -> None:
    sender = WebhookSender(5.0, client_context(authority))
    async with WebhookReceiver(ssl_context=server_context(authority, "other.test")) as receiver:
        outcome = await sender.send(target(receiver.url(host=NAME)), Webhook(SECRET), "evt_2", "{}")
        assert receiver.received == []
    await sender.close()
    assert (outcome.status_code, outcome.error) == (None, "could not connect")


@asynccontextmanager
async def raw_server(answer: bytes, *, keep_writing: bool) -> AsyncIterator[int]:
    """A server that reads a request, writes `answer`, then (if asked) an endless body."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(answer)
            while keep_writing:
                writer.write(b"x" * 65536)
                await writer.drain()
            await asyncio.Event().wait()  # hold the connection, answer nothing more
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    async with server:
        yield server.sockets[0].getsockname()[1]


async def test_a_receiver_that_never_answers_costs_one_timeout() -> None:
    sender = WebhookSender(0.5)
    async with raw_server(b"", keep_writing=False) as port:
        started = time.monotonic()
        outcome = await sender.send(
            target(f"http://127.0.0.1:{port}/hook"), Webhook(SECRET), "evt_3", "{}"
        )
        assert time.monotonic() - started < 2
    await sender.close()
    assert (outcome.status_code, outcome.error) == (None, "no answer within 0.5 s")


async def test_the_answers_body_is_not_read() -> None:
    """A 200 followed by a gigabyte: the attempt ends at the status line."""
    sender = WebhookSender(5.0)
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n"
    async with raw_server(head, keep_writing=True) as port:
        started = time.monotonic()
        outcome = await sender.send(
            target(f"http://127.0.0.1:{port}/hook"), Webhook(SECRET), "evt_4", "{}"
        )
        assert time.monotonic() - started < 2
    await sender.close()
    assert (outcome.status_code, outcome.error) == (200, None)


async def test_a_connection_opened_for_one_name_is_not_reused_for_another(
    authority: trustme.CA,
) -> None:
    """Both names are pinned to the same address; the second must get its own TLS handshake
    (and fail it: the certificate is only for the first)."""
    sender = WebhookSender(5.0, client_context(authority))
    async with WebhookReceiver(ssl_context=server_context(authority, NAME)) as receiver:
        first = await sender.send(target(receiver.url(host=NAME)), Webhook(SECRET), "e1", "{}")
        other = await sender.send(
            target(receiver.url(host="other.test")), Webhook(SECRET), "e2", "{}"
        )
        assert len(receiver.received) == 1
    await sender.close()
    assert first.error is None
    assert other.error == "could not connect"
