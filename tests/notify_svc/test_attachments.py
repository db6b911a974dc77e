"""The summary email's transcript attachments, over real gRPC: in the outbox as MIME parts of a
real message, and at the local Mailjet as the Send API's `Attachments`, read back with the
same libraries a reader's tools use (email, srt, webvtt-py)."""

from __future__ import annotations

import base64
import email
import email.policy
import html
import io
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
import srt
import webvtt

from notify_svc.attachments import transcript_attachments
from tests.fakes.mailjet import API_KEY, API_SECRET, FakeMailjet
from tests.notify_svc.test_mailjet import RECIPIENT, notify_service
from tests.notify_svc.test_server import insert_request, notify, send_request
from voice_agent.v1 import notify_pb2, notify_pb2_grpc, types_pb2

__all__ = ["notify"]  # the outbox service fixture, used here too

SEGMENTS = [
    types_pb2.TranscriptSegment(start_s=0.0, end_s=2.4, text=" The launch moves to Friday."),
    types_pb2.TranscriptSegment(start_s=2.4, end_s=5.9, text=" Légal signed off & <agreed>."),
    types_pb2.TranscriptSegment(start_s=6.2, end_s=9.0, text=" Email the agency by Thursday."),
]
TRANSCRIPT = " ".join(s.text.strip() for s in SEGMENTS)


def with_transcript(
    request: notify_pb2.SendSummaryEmailRequest,
    segments: list[types_pb2.TranscriptSegment] | None = None,
) -> notify_pb2.SendSummaryEmailRequest:
    request.transcript = TRANSCRIPT
    request.transcript_segments.extend(SEGMENTS if segments is None else segments)
    return request


def outbox_message(outbox: Path) -> EmailMessage:
    (path,) = outbox.glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def payload(part: EmailMessage) -> bytes:
    """A part's content, its transfer encoding undone."""
    content = part.get_payload(decode=True)
    assert isinstance(content, bytes)
    return content


def assert_subtitles(files: dict[str, bytes]) -> None:
    """The SRT and VTT files hold one cue per segment, at its times, with its words."""
    subtitles = list(srt.parse(files["transcript.srt"].decode()))
    assert [s.content for s in subtitles] == [s.text.strip() for s in SEGMENTS]
    assert [(s.start.total_seconds(), s.end.total_seconds()) for s in subtitles] == [
        (s.start_s, s.end_s) for s in SEGMENTS
    ]
    captions = webvtt.from_buffer(io.StringIO(files["transcript.vtt"].decode())).captions
    assert [html.unescape(c.text) for c in captions] == [s.text.strip() for s in SEGMENTS]
    assert [c.start for c in captions] == ["00:00:00.000", "00:00:02.400", "00:00:06.200"]


async def test_the_outbox_email_attaches_txt_srt_and_vtt_as_mime_parts(
    notify: notify_pb2_grpc.NotifyServiceAsyncStub, clean_db: str, tmp_path: Path
) -> None:
    request_id = insert_request(clean_db, RECIPIENT)
    await notify.SendSummaryEmail(with_transcript(send_request(request_id, RECIPIENT)))

    message = outbox_message(tmp_path / "outbox")
    assert message.get_content_type() == "multipart/mixed"
    text_part = message.get_body(preferencelist=("plain",))
    assert text_part is not None
    assert "transcript.txt, transcript.srt, transcript.vtt" in text_part.get_content()
    parts = list(message.iter_attachments())
    assert [part.get_filename() for part in parts] == [
        "transcript.txt",
        "transcript.srt",
        "transcript.vtt",
    ]
    assert [part.get_content_type() for part in parts] == [
        "text/plain",
        "application/x-subrip",
        "text/vtt",
    ]
    for part in parts:
        assert part.get_content_disposition() == "attachment"
        assert part.get_content_charset() == "utf-8"
        assert part["Content-Transfer-Encoding"] == "base64"
    files = {str(part.get_filename()): payload(part) for part in parts}
    assert files["transcript.txt"].decode() == TRANSCRIPT + "\n"
    assert_subtitles(files)


async def test_a_transcript_without_timings_attaches_only_txt(
    notify: notify_pb2_grpc.NotifyServiceAsyncStub, clean_db: str, tmp_path: Path
) -> None:
    request_id = insert_request(clean_db, RECIPIENT)
    typed = with_transcript(send_request(request_id, RECIPIENT), segments=[])
    await notify.SendSummaryEmail(typed)

    parts = list(outbox_message(tmp_path / "outbox").iter_attachments())
    assert [part.get_filename() for part in parts] == ["transcript.txt"]


async def test_no_transcript_no_attachments(
    notify: notify_pb2_grpc.NotifyServiceAsyncStub, clean_db: str, tmp_path: Path
) -> None:
    request_id = insert_request(clean_db, RECIPIENT)
    await notify.SendSummaryEmail(send_request(request_id, RECIPIENT))

    message = outbox_message(tmp_path / "outbox")
    assert message.get_content_type() == "multipart/alternative"
    assert list(message.iter_attachments()) == []


async def test_mailjet_gets_the_documented_attachments(mailjet: FakeMailjet, clean_db: str) -> None:
    request_id = insert_request(clean_db, RECIPIENT)
    async with notify_service(clean_db, mailjet) as notify_mailjet:
        await notify_mailjet.SendSummaryEmail(with_transcript(send_request(request_id, RECIPIENT)))

    ((message,),) = [body["Messages"] for body in mailjet.requests]
    assert [set(a) for a in message["Attachments"]] == [
        {"ContentType", "Filename", "Base64Content"}
    ] * 3
    assert [a["ContentType"] for a in message["Attachments"]] == [
        "text/plain",
        "application/x-subrip",
        "text/vtt",
    ]
    (sent,) = mailjet.messages
    files = {name: content for name, _, content in sent.attachments}
    assert list(files) == ["transcript.txt", "transcript.srt", "transcript.vtt"]
    assert files["transcript.txt"].decode() == TRANSCRIPT + "\n"
    assert_subtitles(files)


def _send(mailjet: FakeMailjet, attachments: Any) -> httpx.Response:
    """One message with these `Attachments`, sent straight to the local Mailjet."""
    message = {
        "From": {"Email": "notes@example.com"},
        "To": [{"Email": RECIPIENT}],
        "Subject": "s",
        "TextPart": "t",
        "Attachments": attachments,
    }
    return httpx.post(
        f"{mailjet.base_url}/v3.1/send",
        json={"Messages": [message]},
        auth=(API_KEY, API_SECRET),
    )


GOOD = {"ContentType": "text/plain", "Filename": "a.txt", "Base64Content": "aGk="}


@pytest.mark.parametrize(
    ("attachments", "code", "related_to"),
    [
        ([GOOD | {"Filename": ""}], "mj-0012", "Attachments[0].Filename"),
        ([GOOD | {"Base64Content": None}], "mj-0003", "Attachments[0].Base64Content"),
        ([{"Filename": "a.txt", "Base64Content": "aGk="}], "mj-0003", "Attachments[0].ContentType"),
        ([GOOD | {"Base64Content": 7}], "mj-0004", "Attachments[0].Base64Content"),
        ([GOOD | {"Base64Content": "not base64!"}], "mj-0004", "Attachments[0].Base64Content"),
        ([GOOD | {"ContentType": "text"}], "mj-0004", "Attachments[0].ContentType"),
        ([GOOD] * 51, "mj-0008", "Attachments"),
        (GOOD, "mj-0004", "Attachments"),
        (
            [GOOD | {"Base64Content": base64.b64encode(b"x" * 12_000_000).decode()}],
            "mj-0011",
            "Attachments",
        ),
    ],
)
def test_the_local_mailjet_refuses_malformed_attachments_as_mailjet_does(
    mailjet: FakeMailjet, attachments: Any, code: str, related_to: str
) -> None:
    response = _send(mailjet, attachments)

    assert response.status_code == 400
    ((result,),) = [response.json()["Messages"]]
    assert result["Status"] == "error"
    assert [(e["ErrorCode"], e["ErrorRelatedTo"]) for e in result["Errors"]] == [
        (code, [related_to])
    ]
    assert mailjet.messages == []


def test_the_local_mailjet_takes_well_formed_attachments(mailjet: FakeMailjet) -> None:
    response = _send(mailjet, [GOOD])

    assert response.status_code == 200
    assert mailjet.messages[0].attachments == [("a.txt", "text/plain", b"hi")]


def test_files_that_do_not_fit_the_budget_are_left_out() -> None:
    everything = transcript_attachments(TRANSCRIPT, SEGMENTS)
    txt = len(everything[0].content)

    only_text = transcript_attachments(TRANSCRIPT, SEGMENTS, budget_bytes=txt + 10)

    assert [file.filename for file in everything] == [
        "transcript.txt",
        "transcript.srt",
        "transcript.vtt",
    ]
    assert [file.filename for file in only_text] == ["transcript.txt"]
    assert transcript_attachments("", SEGMENTS) == ()
