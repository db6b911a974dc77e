"""`/v1/recipients`: an address confirms it wants the emails, or asks for no more.

Both act through a token that only the address's mailbox received; neither names an address,
and an unknown token and an expired one get the same 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from gateway.dependencies import SettingsDep, UpstreamDep
from gateway.schemas import (
    LINK_TOKEN_PATTERN,
    ConfirmIn,
    ConfirmOut,
    UnsubscribeOut,
    error_responses,
)
from voice_agent.v1 import ingest_pb2

router = APIRouter(tags=["recipients"])


@router.post("/v1/recipients/confirm", responses=error_responses(404, 413, 422, 503))
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
            pattern=LINK_TOKEN_PATTERN,
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
