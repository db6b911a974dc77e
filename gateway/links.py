"""OpenAPI links: how one call's answer feeds the next (upload → request → its calls).

Generated clients and the stateful fuzzer follow them: an upload's `audio_id` and
`upload_token` make a request, whose `id` and `access_token` reach every call about it.
"""

from __future__ import annotations

from typing import Any

# FastAPI names each operation after its function, path and method.
_REQUEST_CALLS = {
    "GetRequest": "get_request_v1_requests__request_id__get",
    "CancelRequest": "cancel_request_v1_requests__request_id__cancel_post",
    "RescheduleRequest": "reschedule_request_v1_requests__request_id__reschedule_post",
    "RetryRequest": "retry_request_v1_requests__request_id__retry_post",
    "DeleteRequest": "delete_request_v1_requests__request_id__delete",
}


def created_links(status: int = 201) -> dict[int | str, dict[str, Any]]:
    """`responses` entry of POST /v1/requests: its answer opens every call about it."""
    links = {
        name: {
            "operationId": operation_id,
            "parameters": {
                "path.request_id": "$response.body#/id",
                "header.Authorization": "Bearer {$response.body#/access_token}",
            },
        }
        for name, operation_id in _REQUEST_CALLS.items()
    }
    return {status: {"description": "Created", "links": links}}


def uploaded_links(status: int = 201) -> dict[int | str, dict[str, Any]]:
    """`responses` entry of POST /v1/audio: its answer is what a request needs."""
    return {
        status: {
            "description": "Stored",
            "links": {
                "CreateRequest": {
                    "operationId": "create_request_v1_requests_post",
                    "requestBody": {
                        "email": "someone@example.com",
                        "audio_id": "$response.body#/audio_id",
                        "upload_token": "$response.body#/upload_token",
                    },
                }
            },
        }
    }
