"""Audio the tests make from real speech: the JFK clip as each recorder would save it, and
longer speech put together from every real recording we ship (`fixtures/README.md`).

PyAV encodes with the FFmpeg inside its wheel, so every format is produced the same way on
every machine, with no tools to install.
"""

from __future__ import annotations

import functools
import io
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from tests.support import JFK_FLAC, JFK_WEBM
from transcribe_svc.audio import SAMPLE_RATE, decode
from voice_agent.v1 import transcribe_pb2

FIXTURES = Path(__file__).parent / "fixtures"
CHUNK_BYTES = 64 * 1024
# The MIT licence read aloud is English for its first 29.5 s, then another language.
_LICENCE_ENGLISH_S = 29.5
Samples = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Recording:
    """How a recorder saves audio: container, codec, sample rate, channels."""

    container: str
    codec: str
    rate: int
    layout: str = "mono"


WEBM_OPUS = Recording("webm", "libopus", 48_000)  # Chrome and Firefox MediaRecorder
OGG_OPUS = Recording("ogg", "libopus", 48_000, "stereo")  # Firefox
MP4_AAC = Recording("mp4", "aac", 48_000)  # Safari MediaRecorder
M4A_AAC = Recording("ipod", "aac", 44_100, "stereo")  # iPhone voice memos, .m4a uploads
MP3 = Recording("mp3", "libmp3lame", 44_100, "stereo")
WAV_8K_STEREO = Recording("wav", "pcm_s16le", 8_000, "stereo")
FLAC_48K = Recording("flac", "flac", 48_000)


def read(path: Path) -> Samples:
    """A recording as mono 16 kHz float32 samples."""
    with path.open("rb") as audio:
        return decode(audio, max_seconds=600)


@functools.cache
def jfk_samples() -> Samples:
    """11 s of real speech."""
    return read(JFK_FLAC)


@functools.cache
def _speech_cycle() -> Samples:
    """Every real recording of English speech we have, once each, with short pauses: 64 s."""
    recordings = [
        read(FIXTURES / "multilingual.mp3")[: int(_LICENCE_ENGLISH_S * SAMPLE_RATE)],
        jfk_samples(),
        read(FIXTURES / "stereo_diarization.wav"),
        read(FIXTURES / "hotwords.mp3"),
        read(JFK_WEBM),
    ]
    pause = silence(0.5)
    return np.concatenate([part for recording in recordings for part in (recording, pause)])


def long_speech(seconds: float) -> Samples:
    """`seconds` of real speech: the recordings over and over. A repeat comes only a minute
    later, so Whisper (which reads 30 s at a time) never meets the same words twice in one
    window; it would take them for a hallucination and decode that window again."""
    return np.resize(_speech_cycle(), int(seconds * SAMPLE_RATE))


class _Unseekable:
    """An output the muxer cannot seek back in, like a browser's MediaRecorder stream: a webm
    written to it declares no duration."""

    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, data: bytes) -> int:
        self.data += data
        return len(data)


def encode(samples: Samples, recording: Recording, *, seekable: bool = True) -> bytes:
    """`samples` (mono, 16 kHz) as `recording` saves them, resampled and up-mixed by FFmpeg."""
    output: io.BytesIO | _Unseekable = io.BytesIO() if seekable else _Unseekable()
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype(np.int16).reshape(1, -1)
    frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
    frame.sample_rate = SAMPLE_RATE
    with av.open(output, "w", format=recording.container) as container:
        # The encoder resamples and up-mixes the frame to its own rate and layout.
        stream = container.add_stream(recording.codec, rate=recording.rate, layout=recording.layout)
        assert isinstance(stream, av.audio.stream.AudioStream)
        container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return bytes(output.getvalue() if isinstance(output, io.BytesIO) else output.data)


def wav(samples: Samples) -> bytes:
    """A 16 kHz mono WAV (the standard library writes it: any length, zero included)."""
    output = io.BytesIO()
    with wave.open(output, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(SAMPLE_RATE)
        file.writeframes((np.clip(samples, -1.0, 1.0) * 32767).astype(np.int16).tobytes())
    return output.getvalue()


def silence(seconds: float) -> Samples:
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)


def speech(seconds: float) -> Samples:
    """The first `seconds` of the JFK clip ("And so, my fellow Americans, …")."""
    return jfk_samples()[: int(seconds * SAMPLE_RATE)]


def audio_messages(data: bytes, language: str = "") -> Iterator[transcribe_pb2.TranscribeRequest]:
    """A Transcribe stream as a client sends it: options, then the file in chunks."""
    yield transcribe_pb2.TranscribeRequest(
        options=transcribe_pb2.TranscribeOptions(language=language)
    )
    for start in range(0, len(data), CHUNK_BYTES):
        yield transcribe_pb2.TranscribeRequest(chunk=data[start : start + CHUNK_BYTES])
