"""The summary email: what a person reads in a mail client."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from notify_svc.compose import compose_summary_email
from voice_agent.v1 import types_pb2

SUMMARY = types_pb2.Summary(
    bullets=["The launch\nmoves to Friday.", "Legal signed off <img src=x onerror=alert(1)>."],
    next_step="Email the agency & the printer by Thursday.",
    next_step_found=True,
)
REQUESTED_AT = datetime(2026, 11, 27, 14, 5, tzinfo=UTC)


def test_date_is_in_utc_and_says_so_when_the_zone_is_unknown() -> None:
    email = compose_summary_email(SUMMARY, "", REQUESTED_AT)
    assert "Friday, 27 November 2026 at 14:05 UTC" in email.text
    assert "Friday, 27 November 2026 at 14:05 UTC" in email.html


def test_date_is_in_the_recipients_zone_when_known() -> None:
    email = compose_summary_email(SUMMARY, "", REQUESTED_AT, ZoneInfo("Europe/Paris"))
    assert "Friday, 27 November 2026 at 15:05 CET" in email.text


def test_user_text_is_escaped_in_html_and_kept_in_text() -> None:
    email = compose_summary_email(SUMMARY, "so <b>bold</b>", REQUESTED_AT)
    assert "<img" not in email.html
    assert "&lt;img src=x onerror=alert(1)&gt;" in email.html
    assert "Email the agency &amp; the printer" in email.html
    assert "&lt;b&gt;bold&lt;/b&gt;" in email.html
    assert "  • Legal signed off <img src=x onerror=alert(1)>." in email.text
    assert "  → Email the agency & the printer by Thursday." in email.text


def test_subject_is_one_line_from_the_first_bullet() -> None:
    email = compose_summary_email(SUMMARY, "", REQUESTED_AT)
    assert email.subject == "Voice note summary: The launch moves to Friday."
    long = types_pb2.Summary(bullets=["word " * 40], next_step="x")
    subject = compose_summary_email(long, "", REQUESTED_AT).subject
    assert subject.endswith("…")
    assert len(subject) < 100
