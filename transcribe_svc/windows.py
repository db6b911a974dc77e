"""Decoded audio cut into pieces at silences, so that no piece splits a word.

Whisper's memory grows with the audio it is given (faster-whisper computes the features of all
of it at once), so a long note is transcribed piece by piece: the service's peak memory is then
that of one piece, whatever the note's length. A piece ends in the longest pause found by the
Silero VAD that faster-whisper ships, between its shortest and longest allowed length; in
speech without any pause it ends at the longest length.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from faster_whisper.vad import VadOptions, get_speech_timestamps

from transcribe_svc.audio import SAMPLE_RATE, Samples

# A pause this long is where a speaker breathes between phrases: a fair place to cut.
_VAD = VadOptions(min_silence_duration_ms=200, speech_pad_ms=0)


@dataclass(frozen=True)
class Piece:
    """Samples that start `start_s` seconds into the recording."""

    start_s: float
    samples: Samples

    @property
    def duration_s(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    @property
    def end_s(self) -> float:
        return self.start_s + self.duration_s

    def pcm16(self) -> npt.NDArray[np.int16]:
        """The samples as 16-bit PCM again: exact, since they were decoded to 16 bits."""
        return np.round(self.samples * 32768).clip(-32768, 32767).astype("<i2")


def split_at_silences(
    pcm: Iterable[npt.NDArray[np.int16]], min_s: float, max_s: float
) -> Iterator[Piece]:
    """Pieces of `min_s` to `max_s` seconds (the last may be shorter), cut in the longest
    pause between those lengths. Holds at most `max_s` seconds of audio plus one block."""
    max_samples = int(max_s * SAMPLE_RATE)
    held: list[npt.NDArray[np.int16]] = []
    held_samples = 0
    start = 0
    for block in pcm:
        held.append(block)
        held_samples += len(block)
        while held_samples >= max_samples:
            audio = np.concatenate(held)
            cut = silence_cut(audio[:max_samples], int(min_s * SAMPLE_RATE))
            yield Piece(start / SAMPLE_RATE, _to_float32(audio[:cut]))
            start += cut
            held, held_samples = [audio[cut:]], len(audio) - cut
    if held_samples:
        yield Piece(start / SAMPLE_RATE, _to_float32(np.concatenate(held)))


def rewindow(piece: Piece, min_s: float, max_s: float) -> Iterator[Piece]:
    """`piece` cut at its pauses into windows of `min_s` to `max_s` seconds."""
    for window in split_at_silences([piece.pcm16()], min_s, max_s):
        yield Piece(piece.start_s + window.start_s, window.samples)


def silence_cut(audio: npt.NDArray[np.int16], earliest: int) -> int:
    """Where to end a piece of `audio`: the middle of the longest pause after `earliest`
    (a later one when two are as long), or its end when there is none."""
    region = _to_float32(audio[earliest:])
    speech = get_speech_timestamps(region, _VAD)
    if not speech:
        return len(audio)  # all silence: any cut is as good
    bounds = [0] + [edge for chunk in speech for edge in (chunk["start"], chunk["end"])]
    bounds.append(len(region))
    pauses = [(bounds[i + 1] - bounds[i], bounds[i]) for i in range(0, len(bounds), 2)]
    length, pause_start = max(pauses)
    if length == 0:
        return len(audio)
    return int(earliest + pause_start + length // 2)


def _to_float32(pcm: npt.NDArray[np.int16]) -> Samples:
    return (pcm.astype(np.float32) / 32768).astype(np.float32)
