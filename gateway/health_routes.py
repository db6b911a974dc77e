"""Liveness and readiness, for load balancers and orchestrators."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from grpc_health.v1 import health_pb2

from gateway.dependencies import UpstreamDep
from gateway.errors import error_response
from gateway.schemas import error_responses

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get("/readyz", response_model=None, responses=error_responses(503))
async def readyz(services: UpstreamDep) -> Any:
    """Ready when the ingest service answers SERVING."""
    status = await services.ingest_health()
    if status != health_pb2.HealthCheckResponse.SERVING:
        return error_response(503, "not_ready", "the ingest service is not serving")
    return {"status": "ready", "dependencies": {"ingest": "serving"}}
