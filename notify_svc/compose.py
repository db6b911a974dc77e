"""Turn a summary into an email a person is glad to read: plain text and simple HTML.

Everything that came from the user (bullets, next step, transcript) is escaped in the HTML:
a transcript is never a way to inject markup into someone's mailbox. Styles are inline, the
only kind mail clients reliably keep. Times are written in the recipient's zone when it is
known, else in UTC, always with the zone's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from html import escape

from voice_agent.v1 import types_pb2

_SUBJECT_BULLET_CHARS = 70
FONT = "font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;"
_HEADING = '<h2 style="font-size:15px;margin:24px 0 8px">'
_FOOTER = "You receive this email because this address was given for a voice note summary."


@dataclass(frozen=True)
class EmailContent:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class SummaryLinks:
    """Where a summary email's reader can see, delete and stop these emails (each may be
    empty: no link)."""

    status: str = ""
    delete: str = ""
    unsubscribe: str = ""


def _labeled(links: SummaryLinks) -> list[tuple[str, str]]:
    """The links there are, each with its words."""
    labeled = [
        ("See this note", links.status),
        ("Delete this note", links.delete),
        ("Stop these emails", links.unsubscribe),
    ]
    return [(label, url) for label, url in labeled if url]


def _links_text(links: SummaryLinks) -> str:
    return "".join(f"{label}: {url}\n" for label, url in _labeled(links))


def _links_html(links: SummaryLinks) -> str:
    anchors = [
        f'<a href="{escape(url)}" style="color:#888">{label}</a>' for label, url in _labeled(links)
    ]
    return f'<p style="color:#888;font-size:12px">{" · ".join(anchors)}</p>' if anchors else ""


def _one_line(text: str) -> str:
    """Whitespace (line breaks included) collapsed: headers must stay on one line."""
    return " ".join(text.split())


def _subject(summary: types_pb2.Summary, when: str) -> str:
    if summary.bullets:
        first = _one_line(summary.bullets[0])
        if len(first) > _SUBJECT_BULLET_CHARS:
            first = first[:_SUBJECT_BULLET_CHARS].rsplit(" ", 1)[0] + "…"
        return f"Voice note summary: {first}"
    return f"Your voice note summary ({when})"


def _attached_sentence(attached: Sequence[str]) -> str:
    """What the attachments are, in words; empty without any."""
    if not attached:
        return ""
    return f"The whole transcript is attached ({', '.join(attached)})."


def _text(
    summary: types_pb2.Summary, excerpt: str, when: str, links: SummaryLinks, attached: str
) -> str:
    bullets = "\n".join(f"  • {bullet}" for bullet in summary.bullets)
    text = (
        f"Here is the summary of the voice note you sent on {when}.\n\n"
        f"Summary\n{bullets}\n\n"
        f"Next step\n  → {summary.next_step}\n"
    )
    if excerpt:
        text += f"\nWhat you said (beginning)\n  “{excerpt}”\n"
    if attached:
        text += f"\n{attached}\n"
    return text + f"\n--\n{_FOOTER}\n{_links_text(links)}"


def _html(
    summary: types_pb2.Summary,
    excerpt: str,
    when: str,
    subject: str,
    links: SummaryLinks,
    attached: str,
) -> str:
    bullets = "".join(f'<li style="margin:0 0 8px">{escape(b)}</li>' for b in summary.bullets)
    excerpt_html = (
        f"{_HEADING}What you said (beginning)</h2>"
        f'<p style="color:#555;font-style:italic">“{escape(excerpt)}”</p>'
        if excerpt
        else ""
    )
    attached_html = f'<p style="color:#555">{escape(attached)}</p>' if attached else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(subject)}</title></head>"
        f'<body style="{FONT}color:#1a1a1a;line-height:1.5;max-width:600px;margin:0 auto;'
        'padding:24px">'
        f"<p>Here is the summary of the voice note you sent on {escape(when)}.</p>"
        f'{_HEADING}Summary</h2><ul style="padding-left:20px;margin:0">{bullets}</ul>'
        f"{_HEADING}Next step</h2>"
        '<p style="background:#f3f6ff;border-left:4px solid #3b5bdb;padding:12px 16px">'
        f"{escape(summary.next_step)}</p>"
        f"{excerpt_html}"
        f"{attached_html}"
        f'<p style="color:#888;font-size:12px;margin-top:32px">{_FOOTER}</p>'
        f"{_links_html(links)}</body></html>"
    )


def compose_summary_email(
    summary: types_pb2.Summary,
    transcript_excerpt: str,
    requested_at: datetime,
    zone: tzinfo = UTC,
    links: SummaryLinks | None = None,
    attached: Sequence[str] = (),
) -> EmailContent:
    """The email for a summary; `zone` is the recipient's time zone, when known; `attached`
    names the files attached to it."""
    local = requested_at.astimezone(zone)
    when = f"{local:%A, %d %B %Y at %H:%M} {local.tzname() or 'UTC'}"
    subject = _subject(summary, when)
    links = links or SummaryLinks()
    attached_sentence = _attached_sentence(attached)
    return EmailContent(
        subject=subject,
        text=_text(summary, transcript_excerpt, when, links, attached_sentence),
        html=_html(summary, transcript_excerpt, when, subject, links, attached_sentence),
    )
