"""What the public reads about a failure: one fixed sentence per error code.

A request's stored error message, and the message of a gRPC error, may carry whatever caused
it: a database host, a provider's answer, the name of a setting to fix. Those go to the logs
only. The public reads the sentence written here for the code, or a general one for a code
not listed.
"""

from __future__ import annotations

_NOT_NOW = "Something on our side failed; we will try again shortly."
SENTENCES: dict[str, str] = {
    # Why a request failed (its `error`), or why its last attempt did.
    "audio_undecodable": "The recording could not be read as audio.",
    "audio_empty": "The recording contains no audio.",
    "audio_missing": "The recording is no longer stored.",
    "no_speech": "No speech was found in the recording, so there is nothing to summarize.",
    "empty_transcript": "The transcript is empty, so there is nothing to summarize.",
    "recipient_rejected": "The email provider refused to deliver to this address.",
    "email_rejected": "The email provider refused to deliver to this address.",
    "invalid_email_request": "The email could not be sent to this address.",
    "delivery_unknown": (
        "We could not find out whether the email was delivered; check your inbox before "
        "trying again."
    ),
    "email_outcome_pending": "We are checking whether an earlier attempt delivered the email.",
    "email_provider_auth_failed": "Email sending is paused on our side; it will resume.",
    "transcriber_busy": "All transcribers are busy; the note waits its turn.",
    "model_loading": "The transcriber is starting; the note waits its turn.",
    "gave_up": "We tried several times and could not finish this request.",
    "language_unsupported": "The speech model of this service does not transcribe this language.",
    "database_unavailable": _NOT_NOW,
    "service_unavailable": _NOT_NOW,
    "internal_error": "An unexpected error stopped this request.",
    # Answers of the API itself.
    "request_not_found": "No such request.",
    "audio_not_found": "No such audio file.",
    "upload_token_invalid": "This upload_token does not belong to this audio_id.",
    "transcript_not_ready": "This request has no transcript yet.",
    "transcript_format_unavailable": (
        "This transcript has no timings (it was typed, not transcribed), so it is available as"
        " transcript.txt only."
    ),
    "unauthenticated": "This call needs the request's access token: Authorization: Bearer <token>.",
}
GENERAL_FAILURE = "The request could not be completed."


def public_message(code: str) -> str:
    """The sentence the public reads for `code`."""
    return SENTENCES.get(code, GENERAL_FAILURE)
