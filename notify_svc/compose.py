"""Turn a summary into an email a person is glad to read: plain text and simple HTML.

Everything that came from the user (bullets, next step, transcript) is escaped in the HTML:
a transcript is never a way to inject markup into someone's mailbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

from voice_agent.v1 import types_pb2

_SUBJECT_BULLET_CHARS = 70
_FONT = "font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;"


@dataclass(frozen=True)
class EmailContent:
    subject: str
    text: str
    html: str


def _subject(summary: types_pb2.Summary, when: str) -> str:
    if summary.bullets:
        first = summary.bullets[0]
        if len(first) > _SUBJECT_BULLET_CHARS:
            first = first[:_SUBJECT_BULLET_CHARS].rsplit(" ", 1)[0] + "…"
        return f"Voice note summary: {first}"
    return f"Your voice note summary ({when})"


def compose_summary_email(
    summary: types_pb2.Summary, transcript_excerpt: str, requested_at: datetime
) -> EmailContent:
    when = f"{requested_at:%A, %d %B %Y at %H:%M} UTC"
    bullets_text = "\n".join(f"  • {bullet}" for bullet in summary.bullets)
    text = (
        f"Here is the summary of the voice note you sent on {when}.\n\n"
        f"Summary\n{bullets_text}\n\n"
        f"Next step\n  → {summary.next_step}\n"
    )
    if transcript_excerpt:
        text += f"\nWhat you said (beginning)\n  “{transcript_excerpt}”\n"

    bullets_html = "".join(
        f'<li style="margin:0 0 8px">{escape(bullet)}</li>' for bullet in summary.bullets
    )
    excerpt_html = (
        '<h2 style="font-size:15px;margin:24px 0 8px">What you said (beginning)</h2>'
        f'<p style="color:#555;font-style:italic">“{escape(transcript_excerpt)}”</p>'
        if transcript_excerpt
        else ""
    )
    html = (
        f'<!doctype html><html><body style="{_FONT}color:#1a1a1a;line-height:1.5;'
        'max-width:600px;margin:0 auto;padding:24px">'
        f"<p>Here is the summary of the voice note you sent on {escape(when)}.</p>"
        '<h2 style="font-size:15px;margin:24px 0 8px">Summary</h2>'
        f'<ul style="padding-left:20px;margin:0">{bullets_html}</ul>'
        '<h2 style="font-size:15px;margin:24px 0 8px">Next step</h2>'
        f'<p style="background:#f3f6ff;border-left:4px solid #3b5bdb;padding:12px 16px">'
        f"{escape(summary.next_step)}</p>"
        f"{excerpt_html}"
        "</body></html>"
    )
    return EmailContent(subject=_subject(summary, when), text=text, html=html)
