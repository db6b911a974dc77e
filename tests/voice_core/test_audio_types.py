"""Audio is identified by its first bytes."""

from __future__ import annotations

import pytest

from tests.support import JFK_FLAC, JFK_WEBM
from voice_core.audio_types import AAC, FLAC, MP4, MPEG, OGG, WAV, WEBM, sniff_audio_type


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81", WEBM),
        (b"OggS\x00\x02\x00\x00\x00\x00\x00\x00", OGG),
        (b"RIFF\x24\x08\x00\x00WAVEfmt ", WAV),
        (b"fLaC\x00\x00\x00\x22\x10\x00\x10\x00", FLAC),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00", MP4),
        (b"ID3\x04\x00\x00\x00\x00\x00\x23TSSE", MPEG),
        (b"\xff\xfb\x90\x64\x00\x00\x00\x00\x00\x00\x00\x00", MPEG),
        (b"\xff\xf1\x50\x80\x02\x1f\xfc\x21\x00\x00\x00\x00", AAC),
    ],
)
def test_each_accepted_container_is_recognised(head: bytes, expected: object) -> None:
    assert sniff_audio_type(head) == expected


@pytest.mark.parametrize(
    "head",
    [
        b"hello world!",
        b"%PDF-1.7\n%\xe2\xe3",
        b"\x89PNG\r\n\x1a\n\x00\x00",
        b"",
        b"RIFF\x00\x00\x00\x00AVI ",
        # An MPEG sync word, then text: "free format", which no recorder writes (an SDP file
        # disguised as MP3 started so).
        b"\xff\xfb\nv=0\r\no=- 0",
        b"\xff\xfb\xf0\x00\x00\x00\x00\x00\x00\x00\x00\x00",  # bitrate index 15: invalid
        b"\xff\xfb\x9c\x00\x00\x00\x00\x00\x00\x00\x00\x00",  # sample rate index 3: reserved
    ],
)
def test_anything_else_is_refused(head: bytes) -> None:
    assert sniff_audio_type(head) is None


def test_real_fixtures_are_recognised() -> None:
    assert sniff_audio_type(JFK_FLAC.read_bytes()[:12]) == FLAC
    assert sniff_audio_type(JFK_WEBM.read_bytes()[:12]) == WEBM
