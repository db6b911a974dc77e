"""A transcript as files to keep: plain text, and SubRip and WebVTT subtitles when it has timings.

The timings are Whisper's segments (seconds from the start of the recording). A transcript
someone typed (a raw transcript) has none, so it is only ever `.txt`. The subtitle files are
written by `srt` and `webvtt-py`; what this module decides is which cues go in them:

- a cue's text is one line (Whisper's segments rarely hold line breaks, but a blank line would
  end the cue early), and cues without words are left out;
- cues are in the order they are spoken, and each ends after it starts (WebVTT requires it;
  a zero-length segment is stretched to one millisecond);
- WebVTT cue text is markup: `&`, `<` and `>` are written as character references, which also
  keeps a spoken "-->" from reading as a timing line. SubRip has no escapes; its players read
  the text as is.

Used by ingest (the downloads) and notify (the summary email's attachments), so that the two
always give the same files.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

import srt
import webvtt
from webvtt.models import Timestamp

# The shortest cue written: WebVTT needs each to end after it starts.
_MIN_CUE_S = 0.001


class TranscriptFormat(StrEnum):
    """The files a transcript can be kept as (the value is the file's extension)."""

    TXT = "txt"
    SRT = "srt"
    VTT = "vtt"


# text/vtt is registered (W3C WebVTT); SubRip has no registered type, and application/x-subrip
# is the one players and browsers use for it.
MEDIA_TYPES = {
    TranscriptFormat.TXT: "text/plain; charset=utf-8",
    TranscriptFormat.SRT: "application/x-subrip; charset=utf-8",
    TranscriptFormat.VTT: "text/vtt; charset=utf-8",
}
TIMED_FORMATS = (TranscriptFormat.SRT, TranscriptFormat.VTT)


@dataclass(frozen=True)
class TimedText:
    """One stretch of speech: from `start_s` to `end_s` seconds into the recording."""

    start_s: float
    end_s: float
    text: str


@dataclass(frozen=True)
class TranscriptFile:
    """A file ready to download or attach."""

    filename: str
    media_type: str
    content: bytes


def cues(segments: Iterable[TimedText]) -> list[TimedText]:
    """The subtitle cues of Whisper's segments: one-line text, none empty, in spoken order,
    each ending after it starts."""
    kept = []
    for segment in segments:
        text = " ".join(segment.text.split())
        if not text:
            continue
        # Both formats count milliseconds: rounded first, so that a cue stretched to end after
        # its start still does once written.
        start = max(0.0, round(segment.start_s, 3))
        end = max(round(segment.end_s, 3), round(start + _MIN_CUE_S, 3))
        kept.append(TimedText(start, end, text))
    return sorted(kept, key=lambda cue: cue.start_s)


def available_formats(text: str, timed: bool) -> list[TranscriptFormat]:
    """The files a transcript makes: none without words, `.txt`, and the subtitle formats
    when it is `timed` (has cues)."""
    if not text.strip():
        return []
    if not timed:
        return [TranscriptFormat.TXT]
    return [TranscriptFormat.TXT, *TIMED_FORMATS]


def render(
    transcript_format: TranscriptFormat, text: str, segments: Iterable[TimedText]
) -> TranscriptFile | None:
    """The transcript as `transcript.<format>`; None when it cannot be had in that format (no
    words, or a subtitle format without timings)."""
    timed = cues(segments)
    if transcript_format not in available_formats(text, bool(timed)):
        return None
    if transcript_format is TranscriptFormat.SRT:
        content = _srt(timed)
    elif transcript_format is TranscriptFormat.VTT:
        content = _vtt(timed)
    else:
        content = text.strip() + "\n"
    return TranscriptFile(
        filename=f"transcript.{transcript_format}",
        media_type=MEDIA_TYPES[transcript_format],
        content=content.encode(),
    )


def render_all(text: str, segments: Iterable[TimedText]) -> list[TranscriptFile]:
    """Every file this transcript makes, `.txt` first."""
    timed = cues(segments)
    files = (render(kind, text, timed) for kind in available_formats(text, bool(timed)))
    return [file for file in files if file is not None]


def _srt(timed: list[TimedText]) -> str:
    subtitles = [
        srt.Subtitle(
            index=None,
            start=timedelta(milliseconds=round(cue.start_s * 1000)),
            end=timedelta(milliseconds=round(cue.end_s * 1000)),
            content=cue.text,
        )
        for cue in timed
    ]
    return str(srt.compose(subtitles))


def _vtt(timed: list[TimedText]) -> str:
    captions = [
        webvtt.Caption(
            start=str(Timestamp.from_seconds(cue.start_s)),
            end=str(Timestamp.from_seconds(cue.end_s)),
            text=html.escape(cue.text, quote=False),
        )
        for cue in timed
    ]
    return str(webvtt.WebVTT(captions=captions).content)
