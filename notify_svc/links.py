"""The links an email carries, built from the public URLs and the tokens the caller minted.

Tokens travel in URL fragments (`#token=`) wherever a browser opens the link, so they reach no
server log; only the one-click unsubscribe URL, which a mail client POSTs without a browser
(RFC 8058), carries its token in the query.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from notify_svc.compose import SummaryLinks
from voice_agent.v1 import notify_pb2

ONE_CLICK = "List-Unsubscribe=One-Click"


@dataclass(frozen=True)
class PublicUrls:
    """Where the front end and the public API are, as a recipient's browser reaches them."""

    app: str = "http://localhost:3000"
    api: str = "http://localhost:8000"

    def one_click_unsubscribe(self, token: str) -> str:
        """What List-Unsubscribe names: the API, which a mail client POSTs to (RFC 8058)."""
        return f"{self.api.rstrip('/')}/v1/recipients/unsubscribe?token={quote(token)}"

    def unsubscribe_page(self, token: str) -> str:
        """The link in the body: a page with a button, since a click in a mail is a GET (and
        link scanners GET too, so a GET must not unsubscribe)."""
        return f"{self.app.rstrip('/')}/unsubscribe#token={quote(token)}"


def summary_links(
    urls: PublicUrls, request: notify_pb2.SendSummaryEmailRequest
) -> tuple[SummaryLinks, tuple[tuple[str, str], ...]]:
    """The summary email's links, and its List-Unsubscribe header fields (none without a
    token)."""
    status = delete = unsubscribe = ""
    if request.access_token:
        page = f"{urls.app.rstrip('/')}/requests/{request.summary_job_id}"
        status = f"{page}#token={quote(request.access_token)}"
        delete = f"{status}&action=delete"
    headers: tuple[tuple[str, str], ...] = ()
    if request.unsubscribe_token:
        unsubscribe = urls.unsubscribe_page(request.unsubscribe_token)
        one_click = urls.one_click_unsubscribe(request.unsubscribe_token)
        headers = (("List-Unsubscribe", f"<{one_click}>"), ("List-Unsubscribe-Post", ONE_CLICK))
    return SummaryLinks(status=status, delete=delete, unsubscribe=unsubscribe), headers
