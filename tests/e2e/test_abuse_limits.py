"""Attacks on the rate limits, against real gateway processes in front of a real ingest.

Each test starts a gateway of its own (`python -m gateway`, real uvicorn, real TCP) with small
limits, so that a handful of calls reach them. Every call comes from 127.0.0.1; a gateway that
trusts 127.0.0.1 as its proxy plays the production set-up, where `X-Forwarded-For` names the
client, and one that trusts nobody plays an attacker talking to the gateway directly.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
from prometheus_client.parser import text_string_to_metric_families

from devstack.processes import ServiceProcess
from devstack.stack import Stack
from tests.support import JFK_FLAC

# Three calls of each kind at once, then one a minute; two requests per recipient an hour.
SMALL_LIMITS = {
    "RATE_LIMITS": "on",
    "FORWARDED_ALLOW_IPS": "",
    **{f"RATE_LIMIT_{kind}_PER_MINUTE": "1" for kind in ("READS", "REQUESTS", "UPLOADS")},
    **{f"RATE_LIMIT_{kind}_BURST": "3" for kind in ("READS", "REQUESTS", "UPLOADS")},
    "RATE_LIMIT_RECIPIENT_PER_HOUR": "1",
    "RATE_LIMIT_RECIPIENT_BURST": "2",
}
BEHIND_PROXY = {**SMALL_LIMITS, "FORWARDED_ALLOW_IPS": "127.0.0.1"}
UNKNOWN_ID = "0b5a5f9e-8a8f-4d0e-9c55-2d9f2b0f9a11"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Postgres, ingest and the rest, no scheduler: nothing here needs a note processed."""
    with Stack.ephemeral(tmp_path_factory.mktemp("stack"), schedulers=0) as system:
        yield system


@contextlib.contextmanager
def gateway(stack: Stack, **env: str) -> Iterator[tuple[httpx.Client, ServiceProcess]]:
    """A gateway process of its own in front of the stack's ingest, and a client for it."""
    process = ServiceProcess.python_module(
        "gateway-limits",
        "gateway",
        stack.service_env(
            GATEWAY_PORT="0",
            GATEWAY_METRICS_PORT="0",
            INGEST_ADDR=stack.addresses["ingest"],
            **env,
        ),
    )
    try:
        port = process.wait_port()
        wait_accepting(port, process)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            yield client, process
    finally:
        process.stop()


def wait_accepting(port: int, process: ServiceProcess, timeout_s: float = 30.0) -> None:
    """Until uvicorn listens on its bound socket: a bare TCP connect spends no rate limit."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and process.running():
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.05)
    raise RuntimeError(f"gateway did not accept connections:\n{process.output()}")


def as_client(address: str) -> dict[str, str]:
    """What the proxy in front adds: the address its client connected from."""
    return {"X-Forwarded-For": address}


def metric(process: ServiceProcess, name: str, **labels: str) -> float | None:
    assert process.metrics_port is not None
    text = httpx.get(f"http://127.0.0.1:{process.metrics_port}/metrics", timeout=10).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return float(sample.value)
    return None


def assert_rate_limited(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response.headers["retry-after"]) >= 1


def upload(api: httpx.Client, headers: dict[str, str]) -> dict[str, Any]:
    with Path(JFK_FLAC).open("rb") as audio:
        response = api.post(
            "/v1/audio", files={"file": ("note.flac", audio, "audio/flac")}, headers=headers
        )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def request_for(audio: dict[str, Any], email: str) -> dict[str, str]:
    """A summary request body for an uploaded file (with its upload capability, if any)."""
    body = {"email": email, "audio_id": audio["audio_id"]}
    if "upload_token" in audio:
        body["upload_token"] = audio["upload_token"]
    return body


def test_a_spoofed_x_forwarded_for_from_a_non_proxy_peer_is_ignored(stack: Stack) -> None:
    with gateway(stack, **SMALL_LIMITS) as (api, _):
        for fake in ("198.51.100.1", "198.51.100.2", "2001:db8::1"):
            assert api.get("/healthz", headers=as_client(fake)).status_code == 200
        # A fourth "client" is still the one peer, and over its limit.
        assert_rate_limited(api.get("/healthz", headers=as_client("198.51.100.4")))
        assert_rate_limited(api.get("/healthz"))


def test_a_configured_proxys_x_forwarded_for_names_the_client(stack: Stack) -> None:
    with gateway(stack, **BEHIND_PROXY) as (api, _):
        for _ in range(3):
            assert api.get("/healthz", headers=as_client("203.0.113.7")).status_code == 200
        assert_rate_limited(api.get("/healthz", headers=as_client("203.0.113.7")))
        # The proxy appends the address it saw; what the client wrote before it is not believed.
        spoofed = api.get("/healthz", headers=as_client("198.51.100.9, 203.0.113.7"))
        assert_rate_limited(spoofed)
        assert api.get("/healthz", headers=as_client("203.0.113.8")).status_code == 200

        # An IPv6 client is its /64: a new address in it does not buy a new budget.
        for host in ("2001:db8:5:6::1", "2001:db8:5:6::2", "2001:db8:5:6:ffff::3"):
            assert api.get("/healthz", headers=as_client(host)).status_code == 200
        assert_rate_limited(api.get("/healthz", headers=as_client("2001:db8:5:6::abcd")))
        assert api.get("/healthz", headers=as_client("2001:db8:5:7::1")).status_code == 200


def test_reads_are_limited(stack: Stack) -> None:
    with gateway(stack, **BEHIND_PROXY) as (api, _):
        reader = as_client("203.0.113.20")
        for path in (f"/v1/requests/{UNKNOWN_ID}", "/openapi.json", "/.env"):
            assert api.get(path, headers=reader).status_code != 429
        assert_rate_limited(api.get(f"/v1/requests/{UNKNOWN_ID}", headers=reader))
        # Reads and writes are separate budgets: the reader may still act.
        cancel = api.post(f"/v1/requests/{UNKNOWN_ID}/cancel", headers=reader)
        assert cancel.status_code != 429, cancel.text


def test_the_per_recipient_limit_holds_across_clients(stack: Stack) -> None:
    with gateway(stack, **BEHIND_PROXY) as (api, process):
        audio = upload(api, as_client("203.0.113.30"))
        # Spread over clients (each well within its own limit) and spellings of one mailbox.
        spellings = ("victim@example.com", "Victim+a@Example.com", "VICTIM+b@example.com")
        answers = [
            api.post(
                "/v1/requests",
                json=request_for(audio, email),
                headers=as_client(f"198.51.100.{30 + index}"),
            )
            for index, email in enumerate(spellings)
        ]
        assert [answer.status_code for answer in answers[:2]] == [201, 201], answers[0].text
        assert_rate_limited(answers[2])
        assert "recipient" in answers[2].json()["error"]["message"]
        # Another recipient is unaffected.
        other = api.post(
            "/v1/requests",
            json=request_for(audio, "someone-else@example.com"),
            headers=as_client("198.51.100.40"),
        )
        assert other.status_code == 201, other.text
        assert metric(process, "gateway_rate_limited_total", limit="recipient") == 1


def client_address(index: int) -> str:
    """Distinct clients: odd ones IPv4 addresses, even ones IPv6 /64s."""
    if index % 2:
        return f"10.{index >> 16}.{(index >> 8) & 255}.{index & 255}"
    return f"2001:db8:{index >> 16:x}:{index & 0xFFFF:x}::1"


def health_checks_as(api: httpx.Client, clients: range) -> list[int]:
    """GET /healthz once as each client, pipelined on one connection (10,000 requests one by
    one through an HTTP client would take most of a minute); the statuses, in order."""
    host, port = api.base_url.host, api.base_url.port
    assert port is not None
    requests = b"".join(
        f"GET /healthz HTTP/1.1\r\nHost: {host}\r\nX-Forwarded-For: {client_address(index)}"
        "\r\n\r\n".encode()
        for index in clients
    )
    with socket.create_connection((host, port), timeout=60) as connection:
        sender = threading.Thread(target=connection.sendall, args=(requests,))
        sender.start()
        reader = connection.makefile("rb")
        statuses = []
        for _ in clients:
            statuses.append(int(reader.readline().split()[1]))
            length = 0
            while (line := reader.readline()) != b"\r\n":
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            reader.read(length)
        sender.join()
    return statuses


def test_ten_thousand_clients_keep_memory_bounded(stack: Stack) -> None:
    max_keys = 1_000
    with gateway(stack, **BEHIND_PROXY, RATE_LIMIT_MAX_KEYS=str(max_keys)) as (api, process):
        rss = psutil.Process(process.popen.pid)
        assert set(health_checks_as(api, range(2_000))) == {200}
        warm_rss = rss.memory_info().rss
        assert set(health_checks_as(api, range(2_000, 10_000))) == {200}
        assert metric(process, "gateway_rate_limit_keys", limit="reads") == max_keys
        # The gauge is the exact check on the limiter; RSS catches anything else kept per
        # client (a metric label, a cache), which would cost megabytes over 8,000 clients.
        assert rss.memory_info().rss - warm_rss < 4 * 2**20
        # The oldest client was forgotten (a full budget again), the newest is remembered.
        assert api.get("/healthz", headers=as_client(client_address(0))).status_code == 200
        newest = as_client(client_address(9_999))
        for _ in range(2):
            assert api.get("/healthz", headers=newest).status_code == 200
        assert_rate_limited(api.get("/healthz", headers=newest))


def test_rate_limits_off_disables_every_limit(stack: Stack) -> None:
    with gateway(stack, **{**SMALL_LIMITS, "RATE_LIMITS": "off"}) as (api, process):
        audio = upload(api, {})
        for _ in range(5):
            upload(api, {})
            assert api.get("/healthz").status_code == 200
            assert api.get(f"/v1/requests/{UNKNOWN_ID}").status_code == 401
            created = api.post("/v1/requests", json=request_for(audio, "bench@example.com"))
            assert created.status_code == 201, created.text
        assert metric(process, "gateway_rate_limit_keys", limit="reads") is None
        assert "RATE_LIMITS=off" in process.output()
