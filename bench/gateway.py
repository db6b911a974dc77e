"""`make bench-gateway`: latency of the HTTP API at a fixed request rate, and upload speed.

Against the real services on loopback (embedded Postgres, local storage):
1. `POST /v1/requests` at a fixed rate (open loop: requests start on schedule whether or not
   earlier ones finished), latency p50/p99 and errors;
2. `GET /v1/requests/{id}` likewise;
3. one 200 MB upload: throughput, and the gateway's peak RSS growth while it streams.
Rate limits are off for the run (RATE_LIMITS=off: one client sends everything). Prints JSON,
then a table.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import statistics
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import psutil

from devstack.stack import Stack

RATE_PER_S = 200
DURATION_S = 10
WARM_UP_S = 2
UPLOAD_MB = 200
BOUNDARY = "bench-boundary"


async def fixed_rate(
    call: Callable[[int], Awaitable[int]], rate: int, seconds: int
) -> dict[str, Any]:
    """Start call(i) every 1/rate s for `seconds`; latency of each, and how many failed."""
    latencies: list[float] = []
    errors = 0

    async def one(index: int) -> None:
        nonlocal errors
        started = time.perf_counter()
        try:
            if await call(index) >= 400:
                errors += 1
        except aiohttp.ClientError:
            errors += 1
        latencies.append((time.perf_counter() - started) * 1000)

    begin = time.perf_counter()
    tasks = []
    for index in range(rate * seconds):
        delay = begin + index / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(index)))
    await asyncio.gather(*tasks)
    latencies.sort()
    return {
        "rate_per_s": rate,
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))], 1),
    }


async def upload_body(megabytes: int) -> AsyncIterator[bytes]:
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.flac"'
        "\r\n\r\nfLaC"
    ).encode()
    chunk = b"\0" * (1024 * 1024)
    for _ in range(megabytes):
        yield chunk
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


async def upload_throughput(client: httpx.AsyncClient, gateway_pid: int) -> dict[str, Any]:
    process = psutil.Process(gateway_pid)
    baseline = peak = process.memory_info().rss
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.02):
            peak = max(peak, process.memory_info().rss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    response = await client.post(
        "/v1/audio",
        content=upload_body(UPLOAD_MB),
        headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
        timeout=300,
    )
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    assert response.status_code == 201, response.text
    return {
        "megabytes": UPLOAD_MB,
        "seconds": round(elapsed, 2),
        "mb_per_s": round(UPLOAD_MB / elapsed, 1),
        "gateway_rss_growth_mb": round((peak - baseline) / 2**20, 1),
    }


async def measure(stack: Stack) -> dict[str, Any]:
    # aiohttp drives the fixed-rate load: it costs the shared CPUs a fraction of what an
    # httpx client would, so more of them serve the system being measured.
    connector = aiohttp.TCPConnector(limit=200)
    async with aiohttp.ClientSession(stack.gateway_url, connector=connector) as session:
        form = aiohttp.FormData()
        form.add_field("file", b"fLaC" + b"\0" * 64, filename="a.flac")
        async with session.post("/v1/audio", data=form) as uploaded:
            stored = await uploaded.json()
        audio = {"audio_id": stored["audio_id"], "upload_token": stored["upload_token"]}
        created: list[tuple[str, str]] = []

        async def create(index: int) -> int:
            body = {"email": f"b{index}@example.com", **audio, "transcript": "Hi."}
            async with session.post("/v1/requests", json=body) as response:
                if response.status == 201:
                    answer = await response.json()
                    created.append((answer["id"], answer["access_token"]))
                return response.status

        async def get(index: int) -> int:
            request_id, token = created[index % len(created)]
            auth = {"Authorization": f"Bearer {token}"}
            async with session.get(f"/v1/requests/{request_id}", headers=auth) as response:
                await response.read()
                return response.status

        # A warm-up at the same rate first: connection pools grow to their working size.
        await fixed_rate(create, RATE_PER_S, WARM_UP_S)
        create_stats = await fixed_rate(create, RATE_PER_S, DURATION_S)
        get_stats = await fixed_rate(get, RATE_PER_S, DURATION_S)
    async with httpx.AsyncClient(base_url=stack.gateway_url) as client:
        upload = await upload_throughput(client, stack.processes["gateway"].popen.pid)
    return {"create": create_stats, "get": get_stats, "upload": upload}


def main() -> None:
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    env = {"MAX_UPLOAD_BYTES": str((UPLOAD_MB + 10) * 2**20)}
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack.ephemeral(Path(tmp), schedulers=0, env=env)
        stack.start()
        try:
            results = {"machine": machine, **asyncio.run(measure(stack))}
        finally:
            stack.stop()
    print(json.dumps(results, indent=2))
    print()
    print(f"{'measure':<40}{'result':>12}{'target':>12}")
    for name in ("create", "get"):
        stats = results[name]
        label = f"{name} @ {stats['rate_per_s']}/s"
        print(f"{label + ' p50 ms':<40}{stats['p50_ms']:>12}{'':>12}")
        print(f"{label + ' p99 ms':<40}{stats['p99_ms']:>12}{'≤ 50':>12}")
        print(f"{label + ' errors':<40}{stats['errors']:>12}{'0':>12}")
    upload = results["upload"]
    print(f"{'upload 200 MB, MB/s':<40}{upload['mb_per_s']:>12}{'≥ 100':>12}")
    print(
        f"{'gateway RSS growth during upload, MB':<40}{upload['gateway_rss_growth_mb']:>12}"
        f"{'≤ 50':>12}"
    )
    print(f"\nmachine: {machine} (the load generator shares these CPUs)")


if __name__ == "__main__":
    main()
