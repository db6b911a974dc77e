"""The body of a webhook event: its type, when the request ended, and the request.

`data` is the request exactly as `GET /v1/requests/{id}` shows it (`request_out`, which the
gateway answers with too, so the two cannot drift apart), less two fields: `transcript`, unless
WEBHOOK_INCLUDE_TRANSCRIPT=true, and `webhook`, this very delivery, which the event cannot
describe (GET shows it).
"""

from __future__ import annotations

import json
from datetime import datetime

from voice_agent.v1 import ingest_pb2
from voice_core.request_json import request_out


def event_body(
    event_type: str, job: ingest_pb2.SummaryJob, ended_at: datetime, include_transcript: bool
) -> str:
    left_out = {"webhook"} if include_transcript else {"webhook", "transcript"}
    data = request_out(job).model_dump(mode="json", exclude=left_out)
    event = {"type": event_type, "timestamp": ended_at.isoformat(), "data": data}
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"))
