"""Progress a person can watch: while a two-minute note is transcribed by real Whisper, the
API's `progress` rises monotonically to 1, with the time the transcription started.

The last figure (1) is written just before the transcript, which ends the transcribing stage
(progress is null after it) a few milliseconds later: too soon for any poll to see it. So the
test holds a SHARE lock on `transcripts` meanwhile: the scheduler's progress writes go on, the
transcript's insert waits, and the 1 can be read; the lock then goes and the note is sent.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg

from devstack.stack import Stack
from tests.e2e.conftest import bearer, request_body, upload, wait_until_done
from tests.support import wait_until
from tests.transcribe_svc import media

NOTE_S = 120
TRANSCRIBED_WITHIN_S = 120.0


def test_progress_rises_to_1_through_the_api_while_a_note_is_transcribed(
    stack: Stack, api: httpx.Client, tmp_path: Path
) -> None:
    path = tmp_path / "note.wav"
    path.write_bytes(media.wav(media.long_speech(NOTE_S)))
    assert stack.database_url is not None
    with psycopg.connect(stack.database_url) as holder:
        holder.execute("LOCK TABLE transcripts IN SHARE MODE")  # until the commit below
        created = api.post(
            "/v1/requests", json=request_body(upload(api, path, "audio/wav"), "watch@example.com")
        ).json()
        seen: list[tuple[float, str]] = []  # (progress, transcription_started_at)

        def transcribed() -> bool:
            body: dict[str, Any] = api.get(
                f"/v1/requests/{created['id']}", headers=bearer(created)
            ).json()
            assert body["status"] in ("pending", "processing"), body
            if body["progress"] is None:
                # Not transcribing (yet): no start time either.
                assert body["transcription_started_at"] is None
                return False
            assert body["stage"] == "transcribing"
            seen.append((body["progress"], body["transcription_started_at"]))
            return bool(body["progress"] == 1)

        wait_until(
            transcribed, timeout_s=TRANSCRIBED_WITHIN_S, what="progress to reach 1", interval_s=0.2
        )
        holder.commit()

    figures = [progress for progress, _ in seen]
    assert figures == sorted(figures)
    # Written about every 2 s: several distinct figures between the start and the end.
    assert len(set(figures)) >= 3, figures
    assert figures[0] < 0.5
    # One transcription, one start time, before the first figure was read.
    [started] = {started for _, started in seen}
    assert datetime.fromisoformat(started) <= datetime.now(UTC)

    done = wait_until_done(api, created)
    assert done["status"] == "sent", done
    assert done["progress"] is None
    assert done["transcription_started_at"] is None
