"""A request's webhook event (the JSON of the SQL function `request_webhook`) → protobuf."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from voice_agent.v1 import ingest_pb2
from voice_core.timestamps import to_timestamp

_EVENT_TYPE = {
    "summary.sent": ingest_pb2.WEBHOOK_EVENT_TYPE_SUMMARY_SENT,
    "summary.failed": ingest_pb2.WEBHOOK_EVENT_TYPE_SUMMARY_FAILED,
}
_STATUS = {
    "pending": ingest_pb2.WEBHOOK_DELIVERY_STATUS_PENDING,
    "delivered": ingest_pb2.WEBHOOK_DELIVERY_STATUS_DELIVERED,
    "failed": ingest_pb2.WEBHOOK_DELIVERY_STATUS_FAILED,
}


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def webhook_delivery(event: dict[str, Any] | None) -> ingest_pb2.WebhookDelivery | None:
    if event is None:
        return None
    return ingest_pb2.WebhookDelivery(
        event_id=event["id"],
        event_type=_EVENT_TYPE[event["event_type"]],
        status=_STATUS[event["status"]],
        attempts=[
            ingest_pb2.WebhookAttempt(
                attempted_at=to_timestamp(_time(attempt["attempted_at"])),
                status_code=attempt["status_code"],
                error=attempt["error"] or "",
            )
            for attempt in event["attempts"]
        ],
        next_attempt_at=to_timestamp(_time(event["next_attempt_at"])),
        delivered_at=to_timestamp(_time(event["delivered_at"])),
    )
