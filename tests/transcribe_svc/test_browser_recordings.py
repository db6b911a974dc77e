"""What each browser's MediaRecorder hands over, as the frontend picks it
(frontend/lib/recorder.ts, PREFERRED_MIME_TYPES), is taken by its bytes and decoded: whole, and
cut short as a crashed tab leaves it (frontend/lib/recording-drafts.ts keeps the chunks that
arrived, and the page offers them back).

MediaRecorder writes to a stream it cannot seek back in, so nothing declares a duration: WebM
without cues, Safari's MP4 fragmented (an empty `moov`, then `moof` + `mdat` per timeslice).
"""

from __future__ import annotations

import io

import av
import numpy as np
import pytest

from tests.transcribe_svc import media
from transcribe_svc.audio import SAMPLE_RATE, decode
from voice_core.audio_types import MP4, OGG, WEBM, AudioType, sniff_audio_type

# MIME type the recorder asks for → (FFmpeg muxer, codec, its options, the type ingest sees).
BROWSER_RECORDINGS: dict[str, tuple[str, str, dict[str, str], AudioType]] = {
    # Chrome, Edge, Android Chrome, Firefox, Safari 18.4+.
    "audio/webm;codecs=opus": ("webm", "libopus", {}, WEBM),
    # Safari before 18.4 (iOS): AAC-LC in fragmented MP4.
    "audio/mp4;codecs=mp4a.40.2": (
        "mp4",
        "aac",
        {"movflags": "frag_keyframe+empty_moov+default_base_moof", "frag_duration": "1000000"},
        MP4,
    ),
    # Firefox without WebM recording.
    "audio/ogg;codecs=opus": ("ogg", "libopus", {}, OGG),
}


class _Stream:
    """Where MediaRecorder writes: forward only."""

    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, data: bytes) -> int:
        self.data += data
        return len(data)


def recorded(mime_type: str) -> bytes:
    """The JFK clip as the browser asking for `mime_type` records it."""
    muxer, codec, options, _ = BROWSER_RECORDINGS[mime_type]
    output = _Stream()
    pcm = (media.jfk_samples() * 32767).astype(np.int16).reshape(1, -1)
    frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
    frame.sample_rate = SAMPLE_RATE
    with av.open(output, "w", format=muxer, options=options) as container:
        stream = container.add_stream(codec, rate=48_000, layout="mono")
        assert isinstance(stream, av.audio.stream.AudioStream)
        container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return bytes(output.data)


@pytest.mark.parametrize("mime_type", BROWSER_RECORDINGS)
def test_a_whole_recording_is_taken_and_decoded(mime_type: str) -> None:
    data = recorded(mime_type)
    assert sniff_audio_type(data[:12]) == BROWSER_RECORDINGS[mime_type][3]
    if BROWSER_RECORDINGS[mime_type][0] == "mp4":
        assert data.count(b"moof") >= 10, "fragmented, one fragment a second as Safari writes"
    samples = decode(io.BytesIO(data), 60)
    assert len(samples) / SAMPLE_RATE == pytest.approx(11.0, abs=0.1)


@pytest.mark.parametrize("mime_type", BROWSER_RECORDINGS)
def test_a_recording_cut_short_by_a_crash_is_taken_and_decoded_up_to_the_cut(
    mime_type: str,
) -> None:
    """The chunks kept until the crash: the first 60 % of the bytes, cut anywhere."""
    data = recorded(mime_type)
    kept = data[: int(len(data) * 0.6)]
    assert sniff_audio_type(kept[:12]) == BROWSER_RECORDINGS[mime_type][3]
    seconds = len(decode(io.BytesIO(kept), 60)) / SAMPLE_RATE
    assert 4.0 < seconds < 8.0, seconds
