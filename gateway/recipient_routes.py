"""`/v1/recipients`: an address confirms it wants the emails or asks for no more, and asks
for ("email me my notes") and uses a link to its notes.

Each acts through a token that only the address's mailbox received, and an unknown token and
an expired one get the same 404. The one route that names an address, `link`, answers the same
whether the address is known or not.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from gateway.abuse_limits import spend_recipient_quota
from gateway.dependencies import SettingsDep, UpstreamDep
from gateway.errors import ApiError
from gateway.schemas import (
    ConfirmIn,
    ConfirmOut,
    ListedNoteOut,
    NotesLinkIn,
    NotesLinkOut,
    NotesPage,
    UnsubscribeOut,
    error_responses,
)
from voice_agent.v1 import ingest_pb2
from voice_core.capabilities import TOKEN_PATTERN
from voice_core.request_json import request_out

router = APIRouter(tags=["recipients"])


@router.post("/v1/recipients/confirm", responses=error_responses(400, 404, 413, 422, 503))
async def confirm_recipient(
    body: ConfirmIn, services: UpstreamDep, settings: SettingsDep
) -> ConfirmOut:
    """Confirm the address the confirmation (or "my notes") email went to: its requests that
    waited for it are sent now or at their time, and later ones no longer wait."""
    response = await services.ingest.ConfirmRecipient(
        ingest_pb2.ConfirmRecipientRequest(token=body.token), timeout=settings.rpc_timeout_s
    )
    return ConfirmOut(confirmed=True, released_requests=response.released_jobs)


@router.post("/v1/recipients/unsubscribe", responses=error_responses(404, 413, 422, 503))
async def unsubscribe_recipient(
    token: Annotated[
        str,
        Query(
            pattern=TOKEN_PATTERN,
            description="The token of a summary email's List-Unsubscribe link.",
        ),
    ],
    services: UpstreamDep,
    settings: SettingsDep,
) -> UnsubscribeOut:
    """One-click unsubscribe (RFC 8058): mail clients POST `List-Unsubscribe=One-Click` here,
    with no login. The address gets no more emails, and its pending requests fail, until it
    confirms again. The body is not read: the token alone decides."""
    response = await services.ingest.UnsubscribeRecipient(
        ingest_pb2.UnsubscribeRecipientRequest(token=token), timeout=settings.rpc_timeout_s
    )
    return UnsubscribeOut(unsubscribed=True, ended_requests=response.ended_jobs)


@router.post("/v1/recipients/link", status_code=202, responses=error_responses(400, 413, 422, 503))
async def email_notes_link(
    request: Request, body: NotesLinkIn, services: UpstreamDep, settings: SettingsDep
) -> NotesLinkOut:
    """ "Email me my notes": if the address has notes, it gets a link (valid 1 hour) to a page
    listing them. The answer is the same, and as quick, whether it has or not."""
    spend_recipient_quota(request, body.email)
    await services.ingest.SendNotesLink(
        ingest_pb2.SendNotesLinkRequest(email=body.email), timeout=settings.rpc_timeout_s
    )
    return NotesLinkOut(accepted=True)


# The "my notes" token, as `Authorization: Bearer <token>` (headers reach no access log).
_notes_token = HTTPBearer(auto_error=False, description='The token of a "my notes" link.')


@router.get("/v1/recipients/notes", responses=error_responses(400, 401, 404, 422, 503))
async def list_notes(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_notes_token)],
    services: UpstreamDep,
    settings: SettingsDep,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
    page_token: Annotated[str, Query(max_length=512)] = "",
) -> NotesPage:
    """The notes sent to the address a "my notes" link went to, newest first."""
    if credentials is None:
        raise ApiError(401, "unauthenticated", "send the link's token as Authorization: Bearer")
    response = await services.ingest.ListRecipientJobs(
        ingest_pb2.ListRecipientJobsRequest(
            token=credentials.credentials, page_size=page_size, page_token=page_token
        ),
        timeout=settings.rpc_timeout_s,
    )
    return NotesPage(
        items=[
            ListedNoteOut(
                **request_out(listed.summary_job).model_dump(), access_token=listed.access_token
            )
            for listed in response.recipient_jobs
        ],
        next_page_token=response.next_page_token or None,
    )
