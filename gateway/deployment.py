"""What this deployment offers, as the services themselves say it: the speech model and its
languages (transcription's `DescribeModel`), whether recipients must confirm (ingest's
`DescribeIngest`). Nothing is configured twice, so the UI and the API's checks follow a model
change on the transcription pods without a gateway restart.

The answer is kept for `TTL_S`: `GET /v1/config` is asked on every page load and a request's
language is checked on every create, but the model changes only with a deploy.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from gateway.errors import ApiError
from gateway.upstream import Upstream
from voice_agent.v1 import ingest_pb2, transcribe_pb2

TTL_S = 60.0


@dataclass(frozen=True)
class Deployment:
    model: str
    multilingual: bool
    languages: list[str]
    # The setting an operator changes for another model (WHISPER_MODEL).
    model_setting: str
    max_audio_s: float
    recipient_confirmation_required: bool

    def check_language(self, language: str) -> None:
        """Refuse (422 `language_unsupported`) a language the model does not transcribe,
        saying which model runs and what the operator sets for a multilingual one."""
        if language in self.languages:
            return
        advice = (
            f"it transcribes English only; the operator can set {self.model_setting} to a"
            " multilingual model (such as 'small') on the transcription service"
            if not self.multilingual
            else f"use one of the {len(self.languages)} languages GET /v1/config lists"
        )
        raise ApiError(
            422,
            "language_unsupported",
            f"the speech model {self.model!r} does not transcribe language {language!r}: {advice}",
        )


class DeploymentInfo:
    """The deployment's description, asked of the services at most once per `TTL_S`."""

    def __init__(self, upstream: Upstream, timeout_s: float, ttl_s: float = TTL_S) -> None:
        self._upstream = upstream
        self._timeout_s = timeout_s
        self._ttl_s = ttl_s
        self._known: tuple[float, Deployment] | None = None
        # One question at a time: a burst of page loads after the cache expired asks once.
        self._asking = asyncio.Lock()

    async def get(self) -> Deployment:
        """The description; a service that cannot answer raises its gRPC error (503)."""
        async with self._asking:
            if self._known is not None and time.monotonic() - self._known[0] < self._ttl_s:
                return self._known[1]
            model, ingest = await asyncio.gather(
                self._upstream.transcribe.DescribeModel(
                    transcribe_pb2.DescribeModelRequest(), timeout=self._timeout_s
                ),
                self._upstream.ingest.DescribeIngest(
                    ingest_pb2.DescribeIngestRequest(), timeout=self._timeout_s
                ),
            )
            deployment = Deployment(
                model=model.model,
                multilingual=model.multilingual,
                languages=list(model.languages),
                model_setting=model.model_setting,
                max_audio_s=model.max_audio_s,
                recipient_confirmation_required=ingest.recipient_confirmation_required,
            )
            self._known = (time.monotonic(), deployment)
            return deployment
