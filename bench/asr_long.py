"""The long-note section of `make bench-asr` (alone: `python -m bench.asr_long [minutes]`).

One note of at least 20 minutes, read by espeak-ng from the evaluation notes (so its words
are known), side by side in one run:

1. Peak resident memory (VmHWM) of a fresh pod that transcribes the 11 s clip, and of
   another that transcribes the long note: their ratio (target ≤ 1.3).
2. Wall time of the long note on 1 pod × all threads, and on 2 pods × half the threads with
   the first pod coordinating (`TRANSCRIBE_PEERS` names both): `long_note_speedup_2_pods`
   (target ≥ 1.6 on 2 cores), and the real-time factor of each.
3. WER against the text read of the windowed (1 pod) and chunked (2 pods) transcripts and of
   the same model given the whole file at once (the target: within +1 point of it).
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bench.asr import TOKEN, pods
from devstack.processes import ServiceProcess
from devstack.stack import wait_serving
from tests.support import JFK_FLAC
from tests.transcribe_svc import media, spoken
from transcribe_svc.asr import SpeechToText
from transcribe_svc.config import TranscribeSettings
from transcribe_svc.cpus import available_cpus
from voice_agent.v1 import transcribe_pb2_grpc
from voice_core.grpc_client import open_channel
from voice_core.settings import ServiceSettings

LONG_NOTE_MIN_S = 20 * 60


def peak_rss_mb(pod: ServiceProcess) -> float:
    """The most resident memory the process ever had (VmHWM), in MiB."""
    status = Path(f"/proc/{pod.popen.pid}/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return round(int(line.split()[1]) / 1024, 1)


async def transcribe_once(target: str, audio: bytes) -> tuple[float, str]:
    """(seconds, text) of one Transcribe call streaming `audio`."""
    settings = ServiceSettings(internal_auth_token=SecretStr(TOKEN))
    async with open_channel(target, settings) as channel:
        stub = transcribe_pb2_grpc.TranscribeServiceStub(channel)
        await channel.channel_ready()
        started = time.perf_counter()
        response = await stub.Transcribe(media.audio_messages(audio))
        return time.perf_counter() - started, response.text


def on_one_pod(audio: bytes, threads: int) -> tuple[float, float, str]:
    """(peak MiB, seconds, text): a fresh pod with all the threads, no peers."""
    with pods(1, threads) as (target, [pod]):
        seconds, text = asyncio.run(transcribe_once(target, audio))
        return peak_rss_mb(pod), seconds, text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def on_two_pods(audio: bytes, threads: int) -> tuple[float, str]:
    """(seconds, text): two pods that know each other; the first one coordinates."""
    ports = [free_port(), free_port()]
    peers = "ipv4:" + ",".join(f"127.0.0.1:{port}" for port in ports)
    started = []
    try:
        for n, port in enumerate(ports):
            env = {
                **os.environ,
                "TRANSCRIBE_PORT": str(port),
                "TRANSCRIBE_METRICS_PORT": "0",
                "INTERNAL_AUTH_TOKEN": TOKEN,
                "WHISPER_CPU_THREADS": str(threads),
                "TRANSCRIBE_PEERS": peers,
            }
            started.append(ServiceProcess.python_module(f"pod{n}", "transcribe_svc", env))
        for port in ports:
            wait_serving(f"127.0.0.1:{port}")
        return asyncio.run(transcribe_once(f"127.0.0.1:{ports[0]}", audio))
    except Exception:
        time.sleep(1)  # the pods' last lines
        for pod in started:
            sys.stderr.writelines(pod.lines)
        print("ports", ports, file=sys.stderr)
        raise
    finally:
        for pod in started:
            pod.stop()


def measure_long_note(min_seconds: float = LONG_NOTE_MIN_S) -> dict[str, Any]:
    cpus = available_cpus()
    note = spoken.spoken_note(min_seconds)
    audio = media.encode(note.samples, media.WEBM_OPUS, seekable=False)  # as a browser sends
    load_at_start = round(os.getloadavg()[0], 2)
    short_peak, _, _ = on_one_pod(JFK_FLAC.read_bytes(), cpus)
    long_peak, one_pod_s, windowed = on_one_pod(audio, cpus)
    two_pods_s, chunked = on_two_pods(audio, max(1, cpus // 2))
    speech_to_text = SpeechToText(TranscribeSettings(whisper_cpu_threads=cpus))
    speech_to_text.load()
    started = time.perf_counter()
    whole = speech_to_text.transcribe_whole(note.samples)
    whole_s = time.perf_counter() - started
    wer = {
        name: round(spoken.word_error_rate(note.text, text), 4)
        for name, text in (("whole", whole), ("windowed", windowed), ("chunked", chunked))
    }
    return {
        "note_s": round(note.seconds, 1),
        "note_words": len(note.text.split()),
        "peak_rss_mb": {"clip_11s": short_peak, "long_note": long_peak},
        "peak_rss_ratio": round(long_peak / short_peak, 3),
        "one_pod": {"threads": cpus, "s": round(one_pod_s, 1), "rtf": rtf(one_pod_s, note)},
        "two_pods": {
            "threads_each": max(1, cpus // 2),
            "s": round(two_pods_s, 1),
            "rtf": rtf(two_pods_s, note),
        },
        "whole_file_in_process": {"s": round(whole_s, 1), "rtf": rtf(whole_s, note)},
        "long_note_speedup_2_pods": round(one_pod_s / two_pods_s, 3),
        "wer": wer,
        "wer_points_over_whole": {
            name: round(100 * (wer[name] - wer["whole"]), 2) for name in ("windowed", "chunked")
        },
        "load_average_1m": {"at_start": load_at_start, "at_end": round(os.getloadavg()[0], 2)},
    }


def rtf(seconds: float, note: spoken.SpokenNote) -> float:
    return round(seconds / note.seconds, 4)


def table(results: dict[str, Any]) -> None:
    row = "{:<48}{:>16}{:>12}"
    minutes = results["note_s"] / 60
    print(row.format(f"long note ({minutes:.1f} min, espeak-ng)", "result", "target"))
    peak = results["peak_rss_mb"]
    print(row.format("peak RSS 11 s clip, MiB", peak["clip_11s"], ""))
    print(row.format("peak RSS long note, MiB", peak["long_note"], ""))
    print(row.format("peak RSS long / 11 s", results["peak_rss_ratio"], "≤ 1.3"))
    for name in ("one_pod", "two_pods", "whole_file_in_process"):
        run = results[name]
        print(row.format(f"{name.replace('_', ' ')}: s, RTF", f"{run['s']}, {run['rtf']}", ""))
    print(row.format("speedup 2 pods × 1 thread", results["long_note_speedup_2_pods"], "≥ 1.6"))
    for name, wer in results["wer"].items():
        print(row.format(f"WER {name}", wer, ""))
    for name, points in results["wer_points_over_whole"].items():
        print(row.format(f"WER {name} - whole, points", points, "≤ +1"))
    load = results["load_average_1m"]
    print(f"load average (1 min): {load['at_start']} at start, {load['at_end']} at end")
    print(f"long_note_speedup_2_pods={results['long_note_speedup_2_pods']}")


if __name__ == "__main__":
    import json

    minutes = float(sys.argv[1]) if len(sys.argv) > 1 else LONG_NOTE_MIN_S / 60
    long_results = measure_long_note(minutes * 60)
    print(json.dumps(long_results, indent=2))
    table(long_results)
