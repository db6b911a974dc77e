"""``python -m transcribe_svc.summarizer``: a transcript on stdin, JSON on stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

NOTE = (
    "Morning. The payroll export failed again last night because the bank changed its file "
    "format. I fixed the column mapping and reran it by hand. Salaries will go out on time. "
    "Can you ask the bank for their format changelog today? Thanks, bye."
)


def cli(*args: str, stdin: str, hash_seed: str = "0") -> subprocess.CompletedProcess[bytes]:
    # Different hash seeds change set iteration order: the output must not depend on it.
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    command = [sys.executable, "-m", "transcribe_svc.summarizer", *args]
    return subprocess.run(command, input=stdin.encode(), capture_output=True, env=env, check=False)


def test_the_bare_form_prints_the_summary_as_json() -> None:
    result = cli(stdin=NOTE)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert list(summary) == ["bullets", "next_step", "next_step_found"]
    assert 2 <= len(summary["bullets"]) <= 5
    assert summary["next_step"] == "Can you ask the bank for their format changelog today?"
    assert summary["next_step_found"] is True


def test_output_is_byte_identical_across_runs_and_hash_seeds() -> None:
    outputs = {cli(stdin=NOTE, hash_seed=seed).stdout for seed in ("0", "1", "12345")}
    assert len(outputs) == 1


def test_language_and_segments_flags(tmp_path: Path) -> None:
    segments = tmp_path / "segments.json"
    segments.write_text(
        json.dumps(
            {
                "segments": [
                    {"start": 0.0, "end": 2.0, "text": " el camión llega el lunes"},
                    {"start": 2.5, "end": 5.0, "text": " hay que vaciar el almacén antes"},
                ]
            }
        ),
        encoding="utf-8",
    )
    result = cli("--language", "es", "--segments", str(segments), stdin="")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    # A two-sentence note keeps both as bullets, its next step included.
    assert summary["bullets"] == ["El camión llega el lunes.", "Hay que vaciar el almacén antes."]
    assert summary["next_step"] == "Hay que vaciar el almacén antes."


def test_an_empty_transcript_exits_with_a_clear_error() -> None:
    result = cli(stdin="  \n")
    assert result.returncode == 2
    assert result.stdout == b""
    assert b"empty" in result.stderr


def test_an_unreadable_segments_file_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    result = cli("--segments", str(missing), stdin=NOTE)
    assert result.returncode == 2
    assert b"cannot read segments" in result.stderr
