"""Audio file → 16 kHz mono samples for Whisper, with errors a person can act on.

The file is treated as hostile. It is opened only with the FFmpeg demuxer of the container its
first bytes show (`voice_core.audio_types`): left to guess, FFmpeg picks demuxers such as `sdp`
that bind sockets an attacker chooses. FFmpeg reads it through Python, never by a URL of its
own, and may open no other protocol than `file` and `pipe`; decoding stops at a deadline.

faster-whisper's `decode_audio` decodes a whole file, however long, before anyone can look at
its length. This decoder refuses a file whose container declares it too long before decoding
anything, stops as soon as the decoded audio passes the limit (browser recordings may declare no
length), and tells damaged, cut-off and empty files apart. Any format, channel count and sample
rate FFmpeg reads comes out as the same mono 16 kHz float32 samples, gathered in blocks so that
the peak memory is the result's own size (4 bytes per sample), not three times it.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from typing import IO

import av
import numpy as np
import numpy.typing as npt

from voice_core.audio_types import ACCEPTED_DESCRIPTION, SNIFF_BYTES, AudioType, sniff_audio_type
from voice_core.errors import ServiceError, invalid_argument

SAMPLE_RATE = 16_000
# A file that declares a length but yields much less was cut off (an interrupted upload or
# copy). The tolerance absorbs codec padding and length estimates from the bitrate.
_CUT_OFF_TOLERANCE_S = 1.0
_CUT_OFF_TOLERANCE_SHARE = 0.1
# Nested inputs (playlists, references to other files) could only come from these.
_PROTOCOL_WHITELIST = "file,pipe"
# Decoded audio is kept in blocks of this many samples (2 MiB of int16): each is its own
# allocation, given back to the system once it has been copied into the result.
_BLOCK_SAMPLES = 1 << 20

Samples = npt.NDArray[np.float32]


def decode(audio: IO[bytes], max_seconds: float, timeout_s: float = 120.0) -> Samples:
    """Mono float32 samples at 16 kHz; raises INVALID_ARGUMENT errors that say what is wrong."""
    with AudioStream(audio, max_seconds, timeout_s) as stream:
        blocks = _Blocks()
        for pcm in stream.pcm():
            blocks.append(pcm)
        return blocks.to_float32()


def measure_seconds(
    audio: IO[bytes], max_seconds: float, timeout_s: float = 120.0, decode_undeclared: bool = True
) -> float | None:
    """How long the recording lasts: as its container declares, or else as found by decoding
    it without keeping the samples (a browser's live recording declares nothing), or None
    without `decode_undeclared`. The file is rewound for its real reading."""
    try:
        with AudioStream(audio, max_seconds, timeout_s) as stream:
            if stream.declared_s is not None or not decode_undeclared:
                return stream.declared_s
            for _ in stream.pcm():
                pass
            return stream.decoded_samples / SAMPLE_RATE
    finally:
        audio.seek(0)


class AudioStream:
    """An opened audio file: its declared length at once, then its samples as they decode
    (`pcm`), so that a long recording never has to be held whole."""

    def __init__(self, audio: IO[bytes], max_seconds: float, timeout_s: float = 120.0) -> None:
        self._max_seconds = max_seconds
        self._timeout_s = timeout_s
        # Only the time spent decoding counts: the caller may work on each block for longer.
        self._decoding_s = 0.0
        audio_type = _sniff(audio)
        try:
            self._container = av.open(
                audio,
                mode="r",
                format=audio_type.demuxer,
                container_options={"protocol_whitelist": _PROTOCOL_WHITELIST},
                metadata_errors="ignore",
                timeout=timeout_s,
            )
        except av.error.FFmpegError:
            raise _undecodable() from None
        try:
            if not self._container.streams.audio:
                raise invalid_argument("audio_undecodable", "the file has no audio track")
            self.declared_s = _declared_seconds(self._container)
            if self.declared_s is not None and self.declared_s > max_seconds:
                raise _too_long(max_seconds, self.declared_s)
        except BaseException:
            self._container.close()
            raise
        self.decoded_samples = 0

    def __enter__(self) -> AudioStream:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._container.close()

    def pcm(self) -> Iterator[npt.NDArray[np.int16]]:
        """The samples, mono int16 at 16 kHz, as they decode. Once all are out, raises the
        errors only the whole file shows: empty, or shorter than it declared (cut off)."""
        yield from self._decoded()
        decoded = self.decoded_samples / SAMPLE_RATE
        if decoded == 0:
            raise invalid_argument("audio_empty", "the audio is empty: it lasts zero seconds")
        declared = self.declared_s
        if declared is not None and declared - decoded > max(
            _CUT_OFF_TOLERANCE_S, _CUT_OFF_TOLERANCE_SHARE * declared
        ):
            raise invalid_argument(
                "audio_truncated",
                f"the audio file is cut off: it should last {_length(declared)} but only "
                f"{_length(decoded)} could be read; please upload the whole file again",
            )

    def _decoded(self) -> Iterator[npt.NDArray[np.int16]]:
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        limit = int(self._max_seconds * SAMPLE_RATE)
        frames = self._container.decode(audio=0)
        resumed = time.monotonic()
        try:
            # None at the end flushes what the resampler still holds.
            for frame in itertools.chain(frames, [None]):
                if self._decoding_s + time.monotonic() - resumed > self._timeout_s:
                    raise _too_slow(self._timeout_s)
                if frame is not None:
                    frame.pts = None  # gaps in timestamps are not our concern: keep the samples
                for resampled in resampler.resample(frame):
                    pcm = resampled.to_ndarray()[0]
                    self.decoded_samples += len(pcm)
                    if self.decoded_samples > limit:
                        raise _too_long(self._max_seconds)
                    self._decoding_s += time.monotonic() - resumed
                    yield pcm
                    resumed = time.monotonic()
        except av.error.FFmpegError:
            # Damaged data: keep what came before it (a cut-off file is reported by the caller);
            # nothing at all means the file is not audio we can read. A read that outlived the
            # deadline is interrupted by FFmpeg and lands here too.
            if self._decoding_s + time.monotonic() - resumed > self._timeout_s:
                raise _too_slow(self._timeout_s) from None
            if not self.decoded_samples:
                raise _undecodable() from None


def _sniff(audio: IO[bytes]) -> AudioType:
    head = audio.read(SNIFF_BYTES)
    audio.seek(0)
    audio_type = sniff_audio_type(head)
    if audio_type is None:
        raise _undecodable()
    return audio_type


def _declared_seconds(container: av.container.InputContainer) -> float | None:
    if container.duration:
        return float(container.duration / av.time_base)
    stream = container.streams.audio[0]
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return None


class _Blocks:
    """int16 samples appended in fixed-size blocks; converted to float32 block by block."""

    def __init__(self) -> None:
        self._full: list[npt.NDArray[np.int16]] = []
        self._current = np.empty(_BLOCK_SAMPLES, dtype=np.int16)
        self._used = 0
        self.count = 0

    def append(self, samples: npt.NDArray[np.int16]) -> None:
        while len(samples):
            taken = samples[: _BLOCK_SAMPLES - self._used]
            self._current[self._used : self._used + len(taken)] = taken
            self._used += len(taken)
            self.count += len(taken)
            samples = samples[len(taken) :]
            if self._used == _BLOCK_SAMPLES:
                self._full.append(self._current)
                self._current = np.empty(_BLOCK_SAMPLES, dtype=np.int16)
                self._used = 0

    def to_float32(self) -> Samples:
        result = np.empty(self.count, dtype=np.float32)
        self._full.append(self._current[: self._used])
        self._current = np.empty(0, dtype=np.int16)
        start = 0
        while self._full:
            block = self._full.pop(0)  # its memory goes back once copied, not at the end
            np.multiply(block, 1 / 32768, out=result[start : start + len(block)])
            start += len(block)
        return result


def _undecodable() -> ServiceError:
    return invalid_argument(
        "audio_undecodable",
        "the audio could not be read: the file is damaged or not in a supported format "
        f"({ACCEPTED_DESCRIPTION})",
    )


def _too_slow(timeout_s: float) -> ServiceError:
    return invalid_argument(
        "audio_undecodable",
        f"the audio could not be read: decoding it took longer than {_length(timeout_s)}, "
        "which no valid recording needs",
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
