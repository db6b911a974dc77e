"""Command line: ``python -m transcribe_svc.summarizer [--language xx] [--segments FILE.json]``.

Reads a transcript on stdin and prints ``{"bullets": [...], "next_step": "...",
"next_step_found": true|false}`` as one line of UTF-8 JSON. The segments file is Whisper's JSON:
a list of ``{"start", "end", "text"}`` objects, or an object holding one under ``"segments"``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from transcribe_svc.summarizer import EmptyTranscriptError, Segment, summarize


def load_segments(path: Path) -> list[Segment]:
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = data["segments"] if isinstance(data, dict) else data
    return [Segment(float(r["start"]), float(r["end"]), str(r["text"])) for r in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m transcribe_svc.summarizer",
        description="Summarize a voice-note transcript (stdin) into bullets and a next step.",
    )
    parser.add_argument(
        "--language", help="ISO 639-1 code such as Whisper reports (default: detect)"
    )
    parser.add_argument("--segments", type=Path, help="Whisper segments JSON to use as boundaries")
    args = parser.parse_args(argv)
    try:
        segments = load_segments(args.segments) if args.segments else None
    except (OSError, ValueError, KeyError, TypeError) as error:
        parser.error(f"cannot read segments from {args.segments}: {error}")
    text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    try:
        summary = summarize(text, segments=segments, language=args.language)
    except EmptyTranscriptError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    sys.stdout.buffer.write(
        json.dumps(summary.to_dict(), ensure_ascii=False).encode("utf-8") + b"\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
