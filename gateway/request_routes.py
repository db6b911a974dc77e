"""`/v1/requests`: create, read, cancel, reschedule, retry and delete summary requests.

Every call about an existing request needs its capability (`Authorization: Bearer`); there is
no listing by address: knowing an address grants nothing.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response

from gateway.abuse_limits import spend_recipient_quota
from gateway.capability import AccessTokenDep
from gateway.config_routes import deployment_info
from gateway.dependencies import SettingsDep, UpstreamDep
from gateway.errors import ApiError
from gateway.links import created_links
from gateway.schemas import CreatedRequestOut, CreateRequestIn, RescheduleIn, error_responses
from voice_agent.v1 import ingest_pb2
from voice_core.request_json import RequestOut, request_out
from voice_core.timestamps import to_timestamp
from voice_core.vocabulary import AUTO_LANGUAGE, normalise_vocabulary

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
    responses={**created_links(), **error_responses(400, 403, 413, 422, 429, 503)},
)
async def create_request(
    request: Request, body: CreateRequestIn, services: UpstreamDep, settings: SettingsDep
) -> CreatedRequestOut:
    """Ask for a summary of an uploaded audio file, emailed now or at `send_at`. Keep the
    `access_token` of the answer: it is shown once, and every later call needs it."""
    if body.transcript is not None:
        _check_transcript(body.transcript, settings.max_transcript_chars)
    elif body.language != AUTO_LANGUAGE:
        # Only audio is transcribed: a transcript given in any language is summarized as is.
        (await deployment_info(request).get()).check_language(body.language)
    # Charged only once the call is valid, so that junk naming an address cannot use up its
    # quota, and before anything is stored.
    spend_recipient_quota(request, body.email)
    message = ingest_pb2.CreateSummaryJobRequest(
        email=body.email,
        audio_id=str(body.audio_id),
        upload_token=body.upload_token,
        send_at=to_timestamp(body.send_at),
        # The schema has refused what normalising could refuse; this trims and drops repeats.
        vocabulary=normalise_vocabulary(body.vocabulary),
        language="" if body.language == AUTO_LANGUAGE else body.language,
    )
    if body.transcript is not None:
        message.raw_transcript = body.transcript
    if body.time_zone:
        message.time_zone = body.time_zone
    if body.webhook_url is not None:
        message.webhook_url = body.webhook_url
    response = await services.ingest.CreateSummaryJob(message, timeout=settings.rpc_timeout_s)
    created = request_out(response.summary_job)
    return CreatedRequestOut(**created.model_dump(), access_token=response.access_token)


@router.get("/v1/requests/{request_id}", responses=error_responses(401, 404, 422, 503))
async def get_request(
    request_id: UUID, access_token: AccessTokenDep, services: UpstreamDep, settings: SettingsDep
) -> RequestOut:
    """A request as it stands: status, stage, transcript, summary, delivery, error."""
    response = await services.ingest.GetSummaryJob(
        ingest_pb2.GetSummaryJobRequest(id=str(request_id), access_token=access_token),
        timeout=settings.rpc_timeout_s,
    )
    return request_out(response.summary_job)


@router.post(
    "/v1/requests/{request_id}/cancel", responses=error_responses(400, 401, 404, 409, 413, 422, 503)
)
async def cancel_request(
    request_id: UUID, access_token: AccessTokenDep, services: UpstreamDep, settings: SettingsDep
) -> RequestOut:
    """Cancel a pending request (409 once it is processing or finished)."""
    response = await services.ingest.CancelSummaryJob(
        ingest_pb2.CancelSummaryJobRequest(id=str(request_id), access_token=access_token),
        timeout=settings.rpc_timeout_s,
    )
    return request_out(response.summary_job)


@router.post(
    "/v1/requests/{request_id}/reschedule",
    responses=error_responses(400, 401, 404, 409, 413, 422, 503),
)
async def reschedule_request(
    request_id: UUID,
    body: RescheduleIn,
    access_token: AccessTokenDep,
    services: UpstreamDep,
    settings: SettingsDep,
) -> RequestOut:
    """Change when a pending request is sent (409 once it is processing or finished)."""
    message = ingest_pb2.RescheduleSummaryJobRequest(
        id=str(request_id), access_token=access_token, send_at=to_timestamp(body.send_at)
    )
    response = await services.ingest.RescheduleSummaryJob(message, timeout=settings.rpc_timeout_s)
    return request_out(response.summary_job)


@router.post(
    "/v1/requests/{request_id}/retry", responses=error_responses(400, 401, 404, 409, 413, 422, 503)
)
async def retry_request(
    request_id: UUID, access_token: AccessTokenDep, services: UpstreamDep, settings: SettingsDep
) -> RequestOut:
    """Try a failed request again, now (409 unless it failed)."""
    response = await services.ingest.RetrySummaryJob(
        ingest_pb2.RetrySummaryJobRequest(id=str(request_id), access_token=access_token),
        timeout=settings.rpc_timeout_s,
    )
    return request_out(response.summary_job)


@router.delete(
    "/v1/requests/{request_id}",
    status_code=204,
    response_class=Response,
    responses=error_responses(401, 404, 422, 503),
)
async def delete_request(
    request_id: UUID, access_token: AccessTokenDep, services: UpstreamDep, settings: SettingsDep
) -> Response:
    """Delete a request's audio (unless another of your requests uses the file), transcript
    and summary, whatever its status; a processing request stops. Afterwards every call about
    it answers 404."""
    await services.ingest.DeleteSummaryJob(
        ingest_pb2.DeleteSummaryJobRequest(id=str(request_id), access_token=access_token),
        timeout=settings.rpc_timeout_s,
    )
    return Response(status_code=204)
