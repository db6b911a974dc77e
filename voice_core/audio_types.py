"""Identify audio by its first bytes, never by what the client declares.

Only containers a browser records or a person is likely to upload are accepted: ingest refuses
anything else before it is stored, and the decoder opens a file only with the FFmpeg demuxer
of the container its bytes show (never FFmpeg's own guess, which reaches demuxers such as
`sdp` or `hls` that open network connections).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AudioType:
    content_type: str
    extension: str
    # The FFmpeg demuxer that reads this container, and no other.
    demuxer: str


WEBM = AudioType("audio/webm", "webm", "matroska")
OGG = AudioType("audio/ogg", "ogg", "ogg")
WAV = AudioType("audio/wav", "wav", "wav")
FLAC = AudioType("audio/flac", "flac", "flac")
MP4 = AudioType("audio/mp4", "m4a", "mp4")
AAC = AudioType("audio/aac", "aac", "aac")
MPEG = AudioType("audio/mpeg", "mp3", "mp3")

ACCEPTED_DESCRIPTION = "webm, ogg/opus, mp4/m4a, aac, mp3, wav or flac"
# The media types stored audio may have (what the bytes show, not what a client declares).
ACCEPTED_TYPES = tuple(kind.content_type for kind in (WEBM, OGG, MP4, AAC, MPEG, WAV, FLAC))
# Enough bytes to tell every accepted container apart.
SNIFF_BYTES = 12


def sniff_audio_type(head: bytes) -> AudioType | None:
    """The audio container the bytes start with, or None if it is not one we accept."""
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # EBML header: Matroska/WebM
        return WEBM
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"fLaC"):
        return FLAC
    if head[4:8] == b"ftyp":  # ISO base media: mp4, m4a, Safari's recordings
        return MP4
    if head.startswith(b"ID3"):
        return MPEG
    if len(head) >= 2 and head[0] == 0xFF:
        if head[1] & 0xF6 == 0xF0:  # ADTS sync word with layer 0: raw AAC
            return AAC
        if _mpeg_frame_header(head):
            return MPEG
    return None


def _mpeg_frame_header(head: bytes) -> bool:
    """An MPEG audio frame header a real encoder writes: sync word, then no reserved version,
    layer or sample rate, no free-format or invalid bitrate. Two bytes of sync alone would take
    anything starting `\xff\xfb` for MP3 (an SDP file that way reached FFmpeg's guesswork)."""
    if len(head) < 3 or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 0x3, (head[1] >> 1) & 0x3
    bitrate, sample_rate = head[2] >> 4, (head[2] >> 2) & 0x3
    return version != 1 and layer != 0 and bitrate not in (0, 15) and sample_rate != 3
