"""The fixed emails about an address: its confirmation, and the link to its notes.

Nothing a caller wrote reaches them: no transcript, summary, file name or other text, only the
link with its token. Whoever types someone else's address into the form can make us send them
this and nothing else, at most as often as the caps in the database allow; it is phrased so that
a person who asked for nothing can safely ignore it.
"""

from __future__ import annotations

from html import escape

from notify_svc.compose import FONT, EmailContent
from voice_agent.v1 import notify_pb2

_IGNORE = "If you did not ask for this, ignore this email: nothing will be sent to you."
_TEXTS = {
    notify_pb2.RECIPIENT_EMAIL_KIND_CONFIRMATION: (
        "Confirm your address for voice note summaries",
        "Someone asked us to email voice note summaries to this address. We send them only"
        " once the address is confirmed.",
        "Confirm this address",
        "The link is valid for 7 days.",
    ),
    notify_pb2.RECIPIENT_EMAIL_KIND_NOTES_LINK: (
        "Your voice notes",
        "Here is the link to the voice notes sent to this address: open, cancel or delete"
        " them there. Opening it also confirms the address.",
        "See your notes",
        "The link is valid for 1 hour.",
    ),
}
# The page each link opens on the front end; the token goes in the fragment, which browsers do
# not send to any server, so it never reaches a log.
PAGES = {
    notify_pb2.RECIPIENT_EMAIL_KIND_CONFIRMATION: "confirm",
    notify_pb2.RECIPIENT_EMAIL_KIND_NOTES_LINK: "notes",
}


def recipient_link(app_url: str, kind: notify_pb2.RecipientEmailKind.ValueType, token: str) -> str:
    return f"{app_url.rstrip('/')}/{PAGES[kind]}#token={token}"


def compose_recipient_email(
    kind: notify_pb2.RecipientEmailKind.ValueType, link: str
) -> EmailContent:
    """The email of this kind; `link` is the only thing in it that changes."""
    subject, lead, action, validity = _TEXTS[kind]
    text = f"{lead}\n\n{action}:\n{link}\n\n{validity} {_IGNORE}\n"
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(subject)}</title></head>"
        f'<body style="{FONT}color:#1a1a1a;line-height:1.5;max-width:600px;margin:0 auto;'
        f'padding:24px"><p>{escape(lead)}</p>'
        f'<p><a href="{escape(link)}" style="background:#3b5bdb;color:#fff;padding:10px 16px;'
        f'border-radius:6px;text-decoration:none">{escape(action)}</a></p>'
        f'<p style="color:#888;font-size:12px">{escape(validity)} {escape(_IGNORE)}</p>'
        "</body></html>"
    )
    return EmailContent(subject=subject, text=text, html=html)
