"""Mailjet's answers in its own words, for the local Mailjet: status texts, the two error shapes
(the Send API v3.1's and the v3 REST API's), and the Send API's checks of a message."""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from typing import Any

from aiohttp import web

_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# An attachment's fields, all mandatory and non-empty strings (mj-0003, mj-0004, mj-0012).
_ATTACHMENT_FIELDS = ("ContentType", "Filename", "Base64Content")
# "a MIME type", as Mailjet's reference describes ContentType: type/subtype, no parameters.
_MEDIA_TYPE = re.compile(r"^[A-Za-z0-9][\w!#$&^.+-]*/[A-Za-z0-9][\w!#$&^.+-]*$")
MAX_ATTACHMENTS = 50  # mj-0008: "Max Allowed item limit is 50."
MAX_MESSAGE_BYTES = 15 * 1000 * 1000  # "They should not exceed 15 MB." (mj-0011 beyond)
# Mailjet's own descriptions of its status codes.
_STATUS_MESSAGES = {
    401: "API key authentication/authorization failure. You may be unauthorized to access the"
    " API or your API key may be expired. Visit API keys management section to check your keys.",
    403: "You are not authorized to access this resource.",
    429: "You have reached the maximum number of calls allowed per minute by our API.",
}


def send_error(status: int, message: str) -> dict[str, Any]:
    """An error as the Send API v3.1 words it."""
    return {"ErrorIdentifier": str(uuid.uuid4()), "StatusCode": status, "ErrorMessage": message}


def send_error_response(status: int, retry_after: str | None = None) -> web.Response:
    """A Send API answer with `status` and Mailjet's words for it."""
    message = _STATUS_MESSAGES.get(status, "Internal Server Error")
    headers = {"Retry-After": retry_after} if retry_after else None
    return web.json_response(send_error(status, message), status=status, headers=headers)


def rest_error_response(status: int) -> web.Response:
    """A v3 REST API (`/v3/REST/…`) answer with `status`, in that API's error shape."""
    message = _STATUS_MESSAGES.get(status, "Internal Server Error")
    body = {"ErrorInfo": "", "ErrorMessage": message, "StatusCode": status}
    return web.json_response(body, status=status)


def malformed_json_response() -> web.Response:
    message = "Malformed JSON, please review the syntax and properties types."
    return web.json_response(send_error(400, message), status=400)


def check_message(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The errors Mailjet finds in one message of a send, for the fields we use."""
    errors = []
    for index, recipient in enumerate(message.get("To") or []):
        address = str(recipient.get("Email", ""))
        if not _ADDRESS.match(address):
            error = send_error(400, f'"{address}" is an invalid email address.')
            errors.append(
                error | {"ErrorCode": "mj-0013", "ErrorRelatedTo": [f"To[{index}].Email"]}
            )
    if not (message.get("TextPart") or message.get("HTMLPart") or message.get("TemplateID")):
        parts = ["HTMLPart", "TextPart", "TemplateID"]
        text = 'At least "HTMLPart", "TextPart" or "TemplateID" must be provided.'
        errors.append(send_error(400, text) | {"ErrorCode": "send-0003", "ErrorRelatedTo": parts})
    return errors + check_attachments(message)


def _field_error(code: str, message: str, *related: str) -> dict[str, Any]:
    return send_error(400, message) | {"ErrorCode": code, "ErrorRelatedTo": list(related)}


def check_attachments(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The errors Mailjet finds in a message's `Attachments`, as its Send API documents them:
    an array of at most 50 (mj-0008) objects whose `ContentType` (a MIME type), `Filename` and
    `Base64Content` are mandatory (mj-0003), strings (mj-0004) and not empty (mj-0012); the
    content must be base64, and the message at most 15 MB (mj-0011). The codes and the fields
    they relate to are Mailjet's; for base64 and the media type, whose checks the reference
    does not word, the wording here is ours."""
    if "Attachments" not in message:
        return []
    attachments = message["Attachments"]
    if not isinstance(attachments, list):
        return [_field_error("mj-0004", 'Type mismatch. Expected type "array".', "Attachments")]
    if len(attachments) > MAX_ATTACHMENTS:
        text = f"Too many items. Max Allowed item limit is {MAX_ATTACHMENTS}."
        return [_field_error("mj-0008", text, "Attachments")]
    errors = []
    for index, attachment in enumerate(attachments):
        if not isinstance(attachment, dict):
            at = f"Attachments[{index}]"
            errors.append(_field_error("mj-0004", 'Type mismatch. Expected type "object".', at))
            continue
        for field in _ATTACHMENT_FIELDS:
            errors.extend(_attachment_field_errors(attachment.get(field), index, field))
    if not errors and len(json.dumps(message)) > MAX_MESSAGE_BYTES:
        text = "The message is too large: its size is over the 15 MB limit."
        errors.append(_field_error("mj-0011", text, "Attachments"))
    return errors


def _attachment_field_errors(value: Any, index: int, field: str) -> list[dict[str, Any]]:
    at = f"Attachments[{index}].{field}"
    if value is None:
        return [_field_error("mj-0003", f"The {at} is mandatory but missing from the input", at)]
    if not isinstance(value, str):
        return [_field_error("mj-0004", 'Type mismatch. Expected type "string".', at)]
    if not value:
        return [_field_error("mj-0012", f"The {at} value cannot be empty.", at)]
    if field == "ContentType" and not _MEDIA_TYPE.match(value):
        return [_field_error("mj-0004", f'"{value}" is not a valid MIME type.', at)]
    if field == "Base64Content":
        try:
            base64.b64decode(value, validate=True)
        except binascii.Error:
            return [_field_error("mj-0004", 'Type mismatch. Expected type "base64".', at)]
    return []


def one_click_unsubscribe_url(headers: dict[str, str]) -> str:
    """The one-click unsubscribe URL of a message's custom headers, checked as a receiving
    mailbox provider checks RFC 8058 before it offers the button: `List-Unsubscribe-Post` is
    exactly `List-Unsubscribe=One-Click`, and `List-Unsubscribe` holds one HTTPS URI in angle
    brackets. Raises AssertionError naming what is wrong."""
    post = headers.get("List-Unsubscribe-Post")
    assert post == "List-Unsubscribe=One-Click", f"List-Unsubscribe-Post is {post!r}"
    field = headers.get("List-Unsubscribe", "")
    https: list[str] = [u for u in re.findall(r"<([^>]*)>", field) if u.startswith("https://")]
    assert len(https) == 1, f"List-Unsubscribe holds no single HTTPS URI: {field!r}"
    return https[0]
