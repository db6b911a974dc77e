"""`/v1/requests`: create, read, list, cancel, reschedule and retry summary requests."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request

from gateway.abuse_limits import spend_recipient_quota
from gateway.dependencies import SettingsDep, UpstreamDep
from gateway.errors import ApiError
from gateway.schemas import (
    CreateRequestIn,
    RequestOut,
    RequestPage,
    RescheduleIn,
    error_responses,
    request_out,
)
from voice_agent.v1 import ingest_pb2
from voice_core.timestamps import to_timestamp

router = APIRouter(tags=["requests"])


def _check_transcript(transcript: str, max_chars: int) -> None:
    if len(transcript) > max_chars:
        raise ApiError(
            422, "invalid_transcript", f"the transcript is longer than {max_chars} characters"
        )
    # Postgres cannot store a NUL; refused here with a clear answer (ingest refuses it too).
    if "\x00" in transcript:
        raise ApiError(
            422, "invalid_transcript", "the transcript contains a NUL character (\\u0000)"
        )


@router.post(
    "/v1/requests",
    status_code=201,
    responses=error_responses(400, 404, 413, 422, 429, 503),
)
async def create_request(
    request: Request, body: CreateRequestIn, services: UpstreamDep, settings: SettingsDep
) -> RequestOut:
    """Ask for a summary of an uploaded audio file, emailed now or at `send_at`."""
    if body.transcript is not None:
        _check_transcript(body.transcript, settings.max_transcript_chars)
    # Charged only once the call is valid, so that junk naming an address cannot use up its
    # quota, and before anything is stored.
    spend_recipient_quota(request, body.email)
    message = ingest_pb2.CreateSummaryJobRequest(
        email=body.email, audio_id=str(body.audio_id), send_at=to_timestamp(body.send_at)
    )
    if body.transcript is not None:
        message.raw_transcript = body.transcript
    if body.time_zone:
        message.time_zone = body.time_zone
    response = await services.ingest.CreateSummaryJob(message, timeout=settings.rpc_timeout_s)
    return request_out(response.summary_job)


@router.get("/v1/requests", responses=error_responses(400, 422, 503))
async def list_requests(
    email: Annotated[str, Query(max_length=254, description="Whose requests to list.")],
    services: UpstreamDep,
    settings: SettingsDep,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
    page_token: Annotated[str, Query(max_length=512)] = "",
) -> RequestPage:
    """One address's requests, newest first; follow `next_page_token` for more."""
    response = await services.ingest.ListSummaryJobs(
        ingest_pb2.ListSummaryJobsRequest(email=email, page_size=page_size, page_token=page_token),
        timeout=settings.rpc_timeout_s,
    )
    return RequestPage(
        items=[request_out(item) for item in response.summary_jobs],
        next_page_token=response.next_page_token or None,
    )


@router.get("/v1/requests/{request_id}", responses=error_responses(404, 422, 503))
async def get_request(request_id: UUID, services: UpstreamDep, settings: SettingsDep) -> RequestOut:
    """A request as it stands: status, stage, transcript, summary, delivery, error."""
    response = await services.ingest.GetSummaryJob(
        ingest_pb2.GetSummaryJobRequest(id=str(request_id)),
        timeout=settings.rpc_timeout_s,
    )
    return request_out(response.summary_job)


@router.post(
    "/v1/requests/{request_id}/cancel", responses=error_responses(400, 404, 409, 413, 422, 503)
)
async def cancel_request(
    request_id: UUID, services: UpstreamDep, settings: SettingsDep
) -> RequestOut:
    """Cancel a pending request (409 once it is processing or finished)."""
    response = await services.ingest.CancelSummaryJob(
        ingest_pb2.CancelSummaryJobRequest(id=str(request_id)),
        timeout=settings.rpc_timeout_s,
    )
    return request_out(response.summary_job)


@router.post(
    "/v1/requests/{request_id}/reschedule", responses=error_responses(400, 404, 409, 413, 422, 503)
)
async def reschedule_request(
    request_id: UUID, body: RescheduleIn, services: UpstreamDep, settings: SettingsDep
) -> RequestOut:
    """Change when a pending request is sent (409 once it is processing or finished)."""
    message = ingest_pb2.RescheduleSummaryJobRequest(
        id=str(request_id), send_at=to_timestamp(body.send_at)
    )
    response = await services.ingest.RescheduleSummaryJob(message, timeout=settings.rpc_timeout_s)
    return request_out(response.summary_job)


@router.post(
    "/v1/requests/{request_id}/retry", responses=error_responses(400, 404, 409, 413, 422, 503)
)
async def retry_request(
    request_id: UUID, services: UpstreamDep, settings: SettingsDep
) -> RequestOut:
    """Try a failed request again, now (409 unless it failed)."""
    response = await services.ingest.RetrySummaryJob(
        ingest_pb2.RetrySummaryJobRequest(id=str(request_id)),
        timeout=settings.rpc_timeout_s,
    )
    return request_out(response.summary_job)
