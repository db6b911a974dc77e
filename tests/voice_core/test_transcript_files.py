"""Which files a transcript makes, and that what is written reads back with the libraries."""

from __future__ import annotations

import html
import io

import srt
import webvtt

from voice_core.transcript_files import (
    TimedText,
    TranscriptFormat,
    available_formats,
    cues,
    render,
    render_all,
)

SEGMENTS = [
    TimedText(0.0, 2.5, " First thing."),
    TimedText(2.5, 5.0, " Tom & Jerry said <hello> --> bye."),
    TimedText(3725.25, 3727.0, " An hour later."),
]


def test_cues_are_one_line_in_order_without_blanks_and_each_ends_after_it_starts() -> None:
    found = cues(
        [
            TimedText(4.0, 5.0, "second"),
            TimedText(1.0, 1.0, "  first\n\nline "),  # zero length, and a blank line inside
            TimedText(2.0, 3.0, "   "),
            TimedText(-0.2, 0.5, "before zero"),
        ]
    )

    assert found == [
        TimedText(0.0, 0.5, "before zero"),
        TimedText(1.0, 1.001, "first line"),
        TimedText(4.0, 5.0, "second"),
    ]


def test_formats_depend_on_words_and_timings() -> None:
    assert available_formats("", timed=True) == []
    assert available_formats("Typed.", timed=False) == [TranscriptFormat.TXT]
    assert available_formats("Heard.", timed=True) == list(TranscriptFormat)
    assert render(TranscriptFormat.SRT, "Typed.", []) is None
    assert render(TranscriptFormat.TXT, "  ", SEGMENTS) is None
    assert [f.filename for f in render_all("Typed.", [])] == ["transcript.txt"]


def test_srt_reads_back_with_its_times_and_words() -> None:
    made = render(TranscriptFormat.SRT, "x", SEGMENTS)
    assert made is not None
    assert (made.filename, made.media_type) == (
        "transcript.srt",
        "application/x-subrip; charset=utf-8",
    )

    subtitles = list(srt.parse(made.content.decode()))

    assert [s.index for s in subtitles] == [1, 2, 3]
    assert [(s.start.total_seconds(), s.end.total_seconds()) for s in subtitles] == [
        (0.0, 2.5),
        (2.5, 5.0),
        (3725.25, 3727.0),
    ]
    assert [s.content for s in subtitles] == [s.text.strip() for s in SEGMENTS]
    assert "01:02:05,250 --> 01:02:07,000" in made.content.decode()


def test_vtt_escapes_markup_and_reads_back_with_its_times_and_words() -> None:
    made = render(TranscriptFormat.VTT, "x", SEGMENTS)
    assert made is not None
    assert made.media_type == "text/vtt; charset=utf-8"
    content = made.content.decode()

    captions = webvtt.from_buffer(io.StringIO(content)).captions

    assert content.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:02.500\n")
    # "&", "<" and a spoken "-->" would otherwise read as markup or a timing line.
    assert "Tom &amp; Jerry said &lt;hello&gt; --&gt; bye." in content
    assert [html.unescape(c.text) for c in captions] == [s.text.strip() for s in SEGMENTS]
    assert [(c.start, c.end) for c in captions][-1] == ("01:02:05.250", "01:02:07.000")


def test_text_is_the_transcript_with_a_final_newline() -> None:
    made = render(TranscriptFormat.TXT, " Ünïcode words. \n", [])
    assert made is not None
    assert made.content == "Ünïcode words.\n".encode()
    assert made.media_type == "text/plain; charset=utf-8"
