"""IngestService's calls about an address rather than one request: confirm it, unsubscribe
it, email it a link to its notes, list its notes through that link (and, inside the system
only, list them by address).

Each public one acts through a token that only the address's mailbox received; an unknown and
an expired token get the same NOT_FOUND.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import psycopg
import structlog
from psycopg.rows import DictRow

from ingest_svc import convert
from ingest_svc.recipients import RecipientMailer
from ingest_svc.repository import IngestRepository
from ingest_svc.validation import (
    decode_page_token,
    encode_page_token,
    normalize_email,
    page_size,
)
from voice_agent.v1 import ingest_pb2
from voice_core.capabilities import token_hash
from voice_core.context import Context
from voice_core.errors import invalid_argument, not_found

log = structlog.get_logger("ingest_svc")
T = TypeVar("T")


class RecipientRpcs:
    """The address RPCs, mixed into `IngestServicer` (which sets the two attributes)."""

    _repository: IngestRepository
    _mailer: RecipientMailer

    async def ConfirmRecipient(
        self, request: ingest_pb2.ConfirmRecipientRequest, context: Context
    ) -> ingest_pb2.ConfirmRecipientResponse:
        released = await self._for_address("confirm", request.token)
        return ingest_pb2.ConfirmRecipientResponse(released_jobs=released)

    async def UnsubscribeRecipient(
        self, request: ingest_pb2.UnsubscribeRecipientRequest, context: Context
    ) -> ingest_pb2.UnsubscribeRecipientResponse:
        ended = await self._for_address("unsubscribe", request.token)
        return ingest_pb2.UnsubscribeRecipientResponse(ended_jobs=ended)

    async def SendNotesLink(
        self, request: ingest_pb2.SendNotesLinkRequest, context: Context
    ) -> ingest_pb2.SendNotesLinkResponse:
        # Only the syntax is checked here; whether the address has notes is decided in the
        # background, so neither the answer nor its timing can tell.
        self._mailer.notes_link_later(normalize_email(request.email))
        return ingest_pb2.SendNotesLinkResponse()

    async def ListRecipientJobs(
        self, request: ingest_pb2.ListRecipientJobsRequest, context: Context
    ) -> ingest_pb2.ListRecipientJobsResponse:
        """A page of the link's address's notes, each with a capability minted for it, so the
        page can open, cancel and delete each note as its creator would."""
        email, expires_at = await _by_token(request.token, self._repository.notes_owner)
        rows, next_page = await self._page_of(email, request.page_size, request.page_token)
        tokens = await self._repository.notes_capabilities(
            [row["id"] for row in rows], request.token, expires_at
        )
        # A note deleted between the listing and the minting is left out.
        listed = [
            ingest_pb2.RecipientJob(
                summary_job=convert.summary_job(row), access_token=tokens[row["id"]]
            )
            for row in rows
            if row["id"] in tokens
        ]
        return ingest_pb2.ListRecipientJobsResponse(
            recipient_jobs=listed, next_page_token=next_page
        )

    async def ListSummaryJobs(
        self, request: ingest_pb2.ListSummaryJobsRequest, context: Context
    ) -> ingest_pb2.ListSummaryJobsResponse:
        """An address's notes, for callers inside the system (the gateway offers no listing by
        address: knowing an address is no credential)."""
        rows, next_page = await self._page_of(
            normalize_email(request.email), request.page_size, request.page_token
        )
        return ingest_pb2.ListSummaryJobsResponse(
            summary_jobs=[convert.summary_job(row) for row in rows], next_page_token=next_page
        )

    async def _page_of(self, email: str, size: int, page_token: str) -> tuple[list[DictRow], str]:
        """A page of one address's requests, newest first, and the next page's token."""
        limit = page_size(size)
        # One extra row tells whether there is a next page.
        rows = await self._repository.list_requests(email, limit + 1, decode_page_token(page_token))
        page, more = rows[:limit], len(rows) > limit
        next_page = encode_page_token(page[-1]["created_at"], page[-1]["id"]) if more else ""
        return page, next_page

    async def _for_address(self, change: str, token: str) -> int:
        """Confirm or unsubscribe the address a token was emailed to."""
        changed = await _by_token(
            token, lambda hashed: self._repository.for_address(change, hashed)
        )
        log.info("recipient changed", change=change, requests=changed)
        return changed


async def _by_token(token: str, act: Callable[[bytes], Awaitable[T]]) -> T:
    """Act with an emailed link's token (by its hash); NOT_FOUND for a token that is unknown
    or expired (the same answer for both: a guess learns nothing)."""
    if not token or len(token) > 256:
        raise invalid_argument("invalid_token", "the token is missing or too long")
    try:
        return await act(token_hash(token))
    except psycopg.errors.NoDataFound:
        raise not_found("token_not_found", "this link is unknown or has expired") from None
