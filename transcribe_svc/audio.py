"""Audio file → 16 kHz mono samples for Whisper, with errors a person can act on.

faster-whisper's `decode_audio` decodes a whole file, however long, before anyone can look at
its length. This decoder refuses a file whose container declares it too long before decoding
anything, stops as soon as the decoded audio passes the limit (browser recordings may declare no
length), and tells damaged, cut-off and empty files apart. Any format, channel count and sample
rate FFmpeg reads comes out as the same mono 16 kHz float32 samples.
"""

from __future__ import annotations

import itertools
from typing import IO

import av
import numpy as np
import numpy.typing as npt

from voice_core.errors import ServiceError, invalid_argument

SAMPLE_RATE = 16_000
# A file that declares a length but yields much less was cut off (an interrupted upload or
# copy). The tolerance absorbs codec padding and length estimates from the bitrate.
_CUT_OFF_TOLERANCE_S = 1.0
_CUT_OFF_TOLERANCE_SHARE = 0.1

Samples = npt.NDArray[np.float32]


def decode(audio: IO[bytes], max_seconds: float) -> Samples:
    """Mono float32 samples at 16 kHz; raises INVALID_ARGUMENT errors that say what is wrong."""
    try:
        container = av.open(audio, mode="r", metadata_errors="ignore")
    except av.error.FFmpegError:
        raise _undecodable() from None
    with container:
        if not container.streams.audio:
            raise invalid_argument("audio_undecodable", "the file has no audio track")
        declared = _declared_seconds(container)
        if declared is not None and declared > max_seconds:
            raise _too_long(max_seconds, declared)
        samples = _read_samples(container, max_seconds)
    decoded = len(samples) / SAMPLE_RATE
    if decoded == 0:
        raise invalid_argument("audio_empty", "the audio is empty: it lasts zero seconds")
    if declared is not None and declared - decoded > max(
        _CUT_OFF_TOLERANCE_S, _CUT_OFF_TOLERANCE_SHARE * declared
    ):
        raise invalid_argument(
            "audio_truncated",
            f"the audio file is cut off: it should last {_length(declared)} but only "
            f"{_length(decoded)} could be read; please upload the whole file again",
        )
    return samples


def _declared_seconds(container: av.container.InputContainer) -> float | None:
    if container.duration:
        return float(container.duration / av.time_base)
    stream = container.streams.audio[0]
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return None


def _read_samples(container: av.container.InputContainer, max_seconds: float) -> Samples:
    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    limit = int(max_seconds * SAMPLE_RATE)
    pieces: list[npt.NDArray[np.int16]] = []
    count = 0
    frames = container.decode(audio=0)
    try:
        # None at the end flushes what the resampler still holds.
        for frame in itertools.chain(frames, [None]):
            if frame is not None:
                frame.pts = None  # gaps in timestamps are not our concern: keep the samples
            for resampled in resampler.resample(frame):
                pieces.append(resampled.to_ndarray()[0])
                count += resampled.samples
                if count > limit:
                    raise _too_long(max_seconds)
    except av.error.FFmpegError:
        # Damaged data: keep what came before it (a cut-off file is reported by the caller);
        # nothing at all means the file is not audio we can read.
        if not count:
            raise _undecodable() from None
    if not pieces:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(pieces).astype(np.float32) / 32768.0


def _undecodable() -> ServiceError:
    return invalid_argument(
        "audio_undecodable",
        "the audio could not be read: the file is damaged or not in a supported format "
        "(webm, ogg, mp4/m4a, mp3, wav or flac)",
    )


def _too_long(max_seconds: float, seconds: float | None = None) -> ServiceError:
    length = f"lasts {_length(seconds)}" if seconds is not None else "is longer than that"
    return invalid_argument(
        "audio_too_long",
        f"the audio is too long: the limit is {_length(max_seconds)} and this recording {length}",
    )


def _length(seconds: float) -> str:
    """A length as a person says it: 4.5 s, 42 s, 12 min, 1 h 5 min."""
    if seconds < 120:
        return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.1f} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
