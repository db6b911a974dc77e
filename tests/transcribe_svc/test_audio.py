"""Decoding: every format a recorder makes, and every way a file can be unusable."""

from __future__ import annotations

import io

import av
import numpy as np
import pytest

from tests.support import JFK_FLAC, JFK_WEBM
from tests.transcribe_svc import media
from transcribe_svc.audio import SAMPLE_RATE, decode
from voice_core.errors import ServiceError

JFK_SECONDS = 11.0
RECORDINGS = {
    "webm-opus": media.WEBM_OPUS,
    "ogg-opus-stereo": media.OGG_OPUS,
    "mp4-aac": media.MP4_AAC,
    "m4a-aac-stereo-44k": media.M4A_AAC,
    "mp3-stereo-44k": media.MP3,
    "wav-stereo-8k": media.WAV_8K_STEREO,
    "flac-48k": media.FLAC_48K,
}


def refusal(data: bytes, max_seconds: float = 60) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        decode(io.BytesIO(data), max_seconds)
    return caught.value


def rms(samples: media.Samples) -> float:
    return float(np.sqrt(np.mean(samples**2)))


@pytest.mark.parametrize("recording", RECORDINGS.values(), ids=RECORDINGS.keys())
def test_each_format_becomes_the_same_mono_16k_speech(recording: media.Recording) -> None:
    samples = decode(io.BytesIO(media.encode(media.jfk_samples(), recording)), 60)
    assert samples.dtype == np.float32
    assert samples.ndim == 1
    assert len(samples) / SAMPLE_RATE == pytest.approx(JFK_SECONDS, abs=0.1)
    # Speech, not silence: mixing stereo down to mono may lower the level a little.
    assert rms(samples) > 0.5 * rms(media.jfk_samples())


def test_the_browser_recording_decodes() -> None:
    samples = decode(io.BytesIO(JFK_WEBM.read_bytes()), 60)
    assert len(samples) / SAMPLE_RATE == pytest.approx(12.0, abs=0.2)


@pytest.mark.parametrize(
    "recording", [media.WEBM_OPUS, media.MP3, media.FLAC_48K], ids=["webm", "mp3", "flac"]
)
def test_a_cut_off_file_is_refused_as_cut_off(recording: media.Recording) -> None:
    data = media.encode(media.jfk_samples(), recording)
    error = refusal(data[: len(data) // 2])
    assert error.reason == "audio_truncated"
    assert "cut off: it should last 11 s but only 5." in error.message


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"this is not audio at all" * 100,
        b"fLaC" + b"\x00garbage" * 500,
        bytes(5000),
        JFK_FLAC.read_bytes()[:100],
        # An MP4 whose index (written last) is missing: nothing can be found in it.
        media.encode(media.jfk_samples(), media.MP4_AAC)[:50_000],
    ],
    ids=["empty", "text", "fake-flac", "zeros", "header-only", "mp4-without-index"],
)
def test_what_is_not_audio_is_refused_as_unreadable(data: bytes) -> None:
    error = refusal(data)
    assert error.reason == "audio_undecodable"
    assert error.message.startswith("the audio could not be read")


def test_a_video_without_sound_is_refused() -> None:
    output = io.BytesIO()
    with av.open(output, "w", format="mp4") as container:
        stream = container.add_stream("mpeg4", rate=1)
        stream.width, stream.height = 16, 16
        frame = av.VideoFrame.from_ndarray(np.zeros((16, 16, 3), np.uint8), format="rgb24")
        container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    error = refusal(output.getvalue())
    assert (error.reason, error.message) == ("audio_undecodable", "the file has no audio track")


def test_zero_seconds_of_audio_is_refused_as_empty() -> None:
    error = refusal(media.wav(media.silence(0)))
    assert (error.reason, error.message) == (
        "audio_empty",
        "the audio is empty: it lasts zero seconds",
    )


def test_a_file_declaring_too_long_a_length_is_refused_with_the_limit() -> None:
    error = refusal(JFK_FLAC.read_bytes(), max_seconds=5)
    assert error.reason == "audio_too_long"
    assert error.message == (
        "the audio is too long: the limit is 5.0 s and this recording lasts 11 s"
    )


def test_a_recording_without_a_declared_length_is_cut_short_at_the_limit() -> None:
    # A browser's live recording declares no length: the decoder stops at the limit.
    data = media.encode(media.jfk_samples(), media.WEBM_OPUS, seekable=False)
    error = refusal(data, max_seconds=5)
    assert error.reason == "audio_too_long"
    assert error.message == (
        "the audio is too long: the limit is 5.0 s and this recording is longer than that"
    )


def test_long_lengths_read_in_minutes() -> None:
    error = refusal(media.wav(media.silence(180)), max_seconds=120)
    assert error.message.endswith("the limit is 2 min and this recording lasts 3 min")
