"""`GET /v1/config`: what the deployment offers, for the UI to show before anyone records."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import Field

from gateway.dependencies import SettingsDep
from gateway.deployment import DeploymentInfo
from gateway.schemas import error_responses
from voice_core.request_json import ApiModel
from voice_core.vocabulary import AUTO_LANGUAGE, MAX_TERM_CHARS, MAX_TERMS

router = APIRouter(tags=["config"])


class VocabularyLimits(ApiModel):
    """How many names and terms a request may give, and how long each may be."""

    max_terms: int
    max_term_chars: int


class ConfigOut(ApiModel):
    """What this deployment offers; public, and the same for every caller."""

    model: str = Field(description='The speech model, e.g. "tiny.en".')
    multilingual: bool = Field(description="False for an English-only model.")
    languages: list[str] = Field(
        description=f"ISO 639-1 codes a request's `language` may name (besides {AUTO_LANGUAGE!r})."
    )
    max_upload_bytes: int = Field(description="The largest audio file POST /v1/audio takes.")
    max_recording_s: float = Field(description="The longest recording transcribed, in seconds.")
    recipient_confirmation_required: bool = Field(
        description="True when a new address must click a confirmation link before any summary"
        " is sent to it."
    )
    vocabulary: VocabularyLimits


def deployment_info(request: Request) -> DeploymentInfo:
    info: DeploymentInfo = request.app.state.deployment
    return info


@router.get("/v1/config", responses=error_responses(503))
async def get_config(request: Request, settings: SettingsDep) -> ConfigOut:
    """The speech model and its languages, the upload and recording limits, and whether
    recipients must confirm their address."""
    deployment = await deployment_info(request).get()
    return ConfigOut(
        model=deployment.model,
        multilingual=deployment.multilingual,
        languages=deployment.languages,
        max_upload_bytes=settings.max_upload_bytes,
        max_recording_s=deployment.max_audio_s,
        recipient_confirmation_required=deployment.recipient_confirmation_required,
        vocabulary=VocabularyLimits(max_terms=MAX_TERMS, max_term_chars=MAX_TERM_CHARS),
    )
