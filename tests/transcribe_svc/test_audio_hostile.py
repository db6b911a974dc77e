"""Files made to hurt the decoder: a network session disguised as MP3, hour-long recordings,
and decoding that would not end. Each is refused quickly, with bounded memory, opening nothing."""

from __future__ import annotations

import io
import socket
import threading
import time
import tracemalloc
from pathlib import Path

import av
import numpy as np
import pytest

from tests.support import JFK_FLAC
from tests.transcribe_svc import media
from transcribe_svc.audio import SAMPLE_RATE, decode
from voice_core.errors import ServiceError

MB = 2**20
HOUR_S = 3600
LIMIT_S = 600


def refusal(data: bytes, max_seconds: float = LIMIT_S, timeout_s: float = 60) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        decode(io.BytesIO(data), max_seconds, timeout_s)
    return caught.value


def _udp_ports_bound() -> set[int]:
    ports = set()
    for table in (Path("/proc/net/udp"), Path("/proc/net/udp6")):
        if table.exists():
            for line in table.read_text().splitlines()[1:]:
                ports.add(int(line.split()[1].rsplit(":", 1)[1], 16))
    return ports


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.parametrize(
    "mp3_header", [b"\xff\xfb\x90\x64", b"\xff\xfb"], ids=["valid-frame-header", "sync-word"]
)
def test_sdp_text_behind_an_mp3_header_fails_fast_and_binds_no_socket(mp3_header: bytes) -> None:
    """Such a file passes for MP3 by its first bytes; FFmpeg left to guess read the rest as an
    SDP session, bound the UDP ports it names and waited ~20 s for packets."""
    port = _free_udp_port()
    sdp = (
        mp3_header + b"\nv=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=x\r\nc=IN IP4 127.0.0.1\r\n"
        b"t=0 0\r\nm=audio %d RTP/AVP 0\r\n" % port
    ).ljust(200, b"\n")
    outcome: list[BaseException] = []

    def attempt() -> None:
        try:
            decode(io.BytesIO(sdp), LIMIT_S)
        except BaseException as error:
            outcome.append(error)

    started = time.monotonic()
    worker = threading.Thread(target=attempt)
    worker.start()
    bound = False
    while worker.is_alive() and time.monotonic() - started < 30:
        bound = bound or bool({port, port + 1} & _udp_ports_bound())
        worker.join(0.01)
    assert time.monotonic() - started < 5
    assert not bound
    (error,) = outcome
    assert isinstance(error, ServiceError)
    assert error.reason == "audio_undecodable"


def _recording(seconds: int, *, live: bool) -> bytes:
    """Silence as Matroska, 8 kHz PCM (cheap to make at any length, a minute at a time). A live
    one is written as a browser writes it, declaring no length; else the length is declared."""
    output = media._Unseekable() if live else io.BytesIO()
    minute = np.zeros((1, 8_000 * 60), dtype=np.int16)
    with av.open(output, "w", format="matroska") as container:
        stream = container.add_stream("pcm_s16le", rate=8_000, layout="mono")
        for _ in range(seconds // 60):
            frame = av.AudioFrame.from_ndarray(minute, format="s16", layout="mono")
            frame.sample_rate = 8_000
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return bytes(output.data if isinstance(output, media._Unseekable) else output.getvalue())


def test_an_hour_declared_in_the_header_is_refused_before_decoding() -> None:
    data = _recording(HOUR_S, live=False)
    started = time.monotonic()
    error = refusal(data)
    assert time.monotonic() - started < 1
    assert error.reason == "audio_too_long"
    assert error.message.endswith("the limit is 10 min and this recording lasts 1 h")


def test_an_hour_long_live_recording_stops_at_the_limit_with_bounded_memory() -> None:
    data = _recording(HOUR_S, live=True)
    tracemalloc.start()
    try:
        error = refusal(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.reason == "audio_too_long"
    # The samples up to the limit (int16: 19 MB for 10 min), never the hour's.
    assert peak < LIMIT_S * SAMPLE_RATE * 2 + 8 * MB, f"peak {peak / MB:.0f} MB"


def test_decoded_audio_peaks_near_its_own_size() -> None:
    """Blocks of int16 are freed as they are copied into the float32 result. tracemalloc counts
    the result whole when it is allocated (1.5 times its size with the blocks; resident memory,
    committed page by page, stays near 1x); gathering then concatenating took 3 times."""
    data = _recording(5 * 60, live=True)
    tracemalloc.start()
    try:
        samples = decode(io.BytesIO(data), LIMIT_S)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(samples) == 5 * 60 * SAMPLE_RATE
    assert peak < samples.nbytes * 1.6 + 4 * MB, f"peak {peak / MB:.1f} MB"


def test_decoding_is_bounded_in_time() -> None:
    error = refusal(JFK_FLAC.read_bytes(), timeout_s=1e-6)
    assert error.reason == "audio_undecodable"
    assert "decoding it took longer than" in error.message
