"""Audio cut into windows and chunks at its pauses: contiguous, within bounds, never mid-word."""

from __future__ import annotations

import itertools

import numpy as np

from tests.transcribe_svc import media
from transcribe_svc.audio import SAMPLE_RATE
from transcribe_svc.windows import Piece, rewindow, split_at_silences


def pcm_blocks(samples: media.Samples, block_s: float = 0.5) -> list[np.ndarray]:
    pcm = np.round(samples * 32768).clip(-32768, 32767).astype(np.int16)
    step = int(block_s * SAMPLE_RATE)
    return [pcm[start : start + step] for start in range(0, len(pcm), step)]


def test_pieces_cover_the_audio_in_order_within_their_bounds() -> None:
    samples = media.long_speech(200)
    pieces = list(split_at_silences(pcm_blocks(samples), 30, 45))
    assert pieces[0].start_s == 0
    for before, after in itertools.pairwise(pieces):
        assert after.start_s == before.end_s
    assert all(30 <= piece.duration_s <= 45 for piece in pieces[:-1])
    assert pieces[-1].end_s == len(samples) / SAMPLE_RATE
    np.testing.assert_allclose(np.concatenate([p.samples for p in pieces]), samples, atol=1e-4)


def test_a_cut_falls_in_the_pause_between_two_utterances() -> None:
    # 11 s of speech, 1 s of silence, then speech: the only pause is at 11-12 s.
    jfk = media.jfk_samples()
    samples = np.concatenate([jfk, media.silence(1.0), jfk, jfk])
    first, *_ = split_at_silences(pcm_blocks(samples), 8, 16)
    assert 11.0 < first.end_s < 12.5


def test_silence_is_cut_at_the_longest_length() -> None:
    pieces = list(split_at_silences(pcm_blocks(media.silence(40)), 10, 15))
    assert [piece.duration_s for piece in pieces] == [15.0, 15.0, 10.0]


def test_a_chunk_is_rewindowed_in_the_notes_time() -> None:
    chunk = Piece(120.0, media.long_speech(100))
    windows = list(rewindow(chunk, 30, 45))
    assert windows[0].start_s == 120.0
    assert windows[-1].end_s == chunk.end_s
