"""The pipeline's decisions, with a fake store and fake services: what each outcome writes."""

from __future__ import annotations

import grpc
import pytest
import structlog

from scheduler.pipeline import AUDIO_TOO_DEMANDING_MESSAGE, UNEXPECTED_MESSAGE, Pipeline
from tests.scheduler.fakes import (
    SETTINGS,
    FakeServices,
    FakeStore,
    make_claim,
    pod_lost,
    rpc_error,
)
from voice_core.errors import ServiceError, failed_precondition, unavailable
from voice_core.states import RequestStage, TranscriptSource


@pytest.fixture(autouse=True)
def _fresh_log_context() -> None:
    structlog.contextvars.clear_contextvars()


def pipeline(store: FakeStore, services: FakeServices) -> Pipeline:
    return Pipeline(store.as_store(), services.as_services(), SETTINGS)


async def test_a_raw_transcript_is_summarized_emailed_and_marked_sent() -> None:
    store, services = FakeStore(), FakeServices()

    await pipeline(store, services).process(make_claim())

    assert store.names() == ["record_transcript", "record_summary", "mark_sent"]
    assert store.writes[0][1] == (TranscriptSource.RAW,)
    assert [name for name, _ in services.calls] == ["summarize", "send_email"]
    [email] = services.emails
    assert (email.access_token, email.unsubscribe_token) == ("access-token", "unsubscribe-token")


async def test_the_email_carries_the_transcript_with_its_timings_when_it_has_them() -> None:
    raw_store, raw_services = FakeStore(), FakeServices()
    await pipeline(raw_store, raw_services).process(make_claim(raw_transcript="Typed words."))
    heard_store, heard_services = FakeStore(), FakeServices()
    await pipeline(heard_store, heard_services).process(make_claim(raw_transcript=None))

    [typed] = raw_services.emails
    assert (typed.transcript, list(typed.transcript_segments)) == ("Typed words.", [])
    [heard] = heard_services.emails
    assert heard.transcript == heard_services.transcript_text
    assert [(s.start_s, s.end_s, s.text) for s in heard.transcript_segments] == [
        (0.0, 3.5, heard_services.transcript_text)
    ]


async def test_an_address_that_unsubscribed_meanwhile_is_sent_nothing() -> None:
    store, services = FakeStore(unsubscribed=True), FakeServices()

    await pipeline(store, services).process(make_claim())

    assert [name for name, _ in services.calls] == ["summarize"]
    assert store.writes[-1][0] == "mark_failed"
    assert store.writes[-1][1][0] == "recipient_unsubscribed"


async def test_audio_is_transcribed_and_the_kept_transcript_is_summarized() -> None:
    store, services = FakeStore(), FakeServices()

    await pipeline(store, services).process(make_claim(raw_transcript=None))

    assert store.names() == ["set_stage", "record_transcript", "record_summary", "mark_sent"]
    assert store.writes[0][1] == (RequestStage.TRANSCRIBING,)
    assert store.writes[1][1] == (TranscriptSource.TRANSCRIBED,)
    assert services.emails[0].summary.bullets[0].startswith("We agreed on the plan")


async def test_every_rpc_carries_the_request_id_of_the_call_that_created_the_request() -> None:
    store, services = FakeStore(), FakeServices()
    claim = make_claim(raw_transcript=None, request_id="abc")

    with structlog.testing.capture_logs(
        processors=[structlog.contextvars.merge_contextvars]
    ) as logs:
        await pipeline(store, services).process(claim)

    assert [request_id for _, request_id in services.calls] == ["abc"] * 3
    assert logs
    assert all(line["request_id"] == "abc" for line in logs)
    assert all(line["summary_request_id"] == str(claim.id) for line in logs)


async def test_a_transient_failure_is_retried_later_and_keeps_its_reason() -> None:
    store = FakeStore()
    services = FakeServices(
        failures={"send_email": rpc_error(unavailable("email_provider_unavailable", "503"))}
    )

    await pipeline(store, services).process(make_claim(attempts=1))

    assert store.writes[-1] == ("retry_later", ("email_provider_unavailable", "503", False))


async def test_a_transient_failure_on_the_last_attempt_fails_the_request() -> None:
    store = FakeStore()
    services = FakeServices(failures={"summarize": rpc_error(unavailable("busy", "no pod free"))})

    await pipeline(store, services).process(make_claim(attempts=SETTINGS.max_attempts))

    name, (code, message) = store.writes[-1]
    assert (name, code) == ("mark_failed", "busy")
    assert "gave up after 3 attempts" in message


async def test_a_permanent_failure_fails_at_once_with_the_services_reason() -> None:
    store = FakeStore()
    rejected = failed_precondition("email_rejected", "Mailjet refused the address")
    services = FakeServices(failures={"send_email": rpc_error(rejected)})

    await pipeline(store, services).process(make_claim())

    assert store.writes[-1] == ("mark_failed", ("email_rejected", "Mailjet refused the address"))


async def test_waiting_for_an_earlier_attempts_outcome_refunds_the_attempt() -> None:
    store = FakeStore()
    pending = ServiceError(
        grpc.StatusCode.UNAVAILABLE, "email_outcome_pending", "wait", retry_after_s=5
    )
    services = FakeServices(failures={"send_email": rpc_error(pending)})

    await pipeline(store, services).process(make_claim(attempts=SETTINGS.max_attempts))

    assert store.writes[-1] == ("retry_later", ("email_outcome_pending", "wait", True))


async def test_a_lost_lease_stops_the_work_and_writes_nothing_more() -> None:
    store, services = FakeStore(lose_lease_at="record_summary"), FakeServices()

    await pipeline(store, services).process(make_claim())

    assert store.names() == ["record_transcript"]
    assert [name for name, _ in services.calls] == ["summarize"]


async def test_an_unexpected_exception_counts_as_an_attempt_and_hides_its_details() -> None:
    store = FakeStore()
    services = FakeServices(failures={"summarize": KeyError("secret internal detail")})

    await pipeline(store, services).process(make_claim(attempts=1))
    await pipeline(store, services).process(make_claim(attempts=SETTINGS.max_attempts))

    retried, failed = store.writes[1], store.writes[3]
    assert retried == ("retry_later", ("internal_error", UNEXPECTED_MESSAGE, False))
    assert failed[0] == "mark_failed"
    assert failed[1][0] == "internal_error"
    assert "secret" not in repr(store.writes)


async def test_a_recording_without_speech_fails_with_a_readable_reason() -> None:
    store, services = FakeStore(), FakeServices(transcript_text="  ")

    await pipeline(store, services).process(make_claim(raw_transcript=None))

    assert store.writes[-1][0] == "mark_failed"
    assert store.writes[-1][1][0] == "no_speech"


async def test_a_pod_lost_mid_call_is_counted_and_another_pod_tries_at_once() -> None:
    store, services = FakeStore(), FakeServices(failures={"transcribe_audio": [pod_lost()]})

    await pipeline(store, services).process(make_claim(raw_transcript=None))

    assert [name for name, _ in services.calls][:2] == ["transcribe_audio"] * 2
    assert store.names() == [
        "set_stage",
        "record_transcriber_death",
        "record_transcript",
        "record_summary",
        "mark_sent",
    ]


async def test_a_second_pod_lost_on_the_same_recording_fails_it_as_too_demanding() -> None:
    store = FakeStore()
    services = FakeServices(failures={"transcribe_audio": [pod_lost(), pod_lost(), pod_lost()]})

    await pipeline(store, services).process(make_claim(raw_transcript=None))

    assert [name for name, _ in services.calls] == ["transcribe_audio"] * 2
    assert store.writes[-1] == ("mark_failed", ("audio_too_demanding", AUDIO_TOO_DEMANDING_MESSAGE))
    # Words the user knows: none of the operator's (pods, OOM, UNAVAILABLE).
    assert not {"pod", "oom", "unavailable"} & set(AUDIO_TOO_DEMANDING_MESSAGE.lower().split())


async def test_pods_lost_on_earlier_attempts_count_too() -> None:
    claim = make_claim(raw_transcript=None, attempts=2)
    store = FakeStore(transcriber_deaths={claim.id: 1})
    services = FakeServices(failures={"transcribe_audio": [pod_lost()]})

    await pipeline(store, services).process(claim)

    assert [name for name, _ in services.calls] == ["transcribe_audio"]
    assert store.names()[-1] == "mark_failed"
    assert store.writes[-1][1][0] == "audio_too_demanding"


@pytest.mark.parametrize(
    "refusal",
    [
        unavailable("model_loading", "the speech model is still loading; try again"),
        ServiceError(grpc.StatusCode.RESOURCE_EXHAUSTED, "transcriber_busy", "every slot is taken"),
    ],
)
async def test_a_pod_that_refuses_the_call_is_not_counted_as_lost(refusal: ServiceError) -> None:
    store, services = FakeStore(), FakeServices(failures={"transcribe_audio": rpc_error(refusal)})

    await pipeline(store, services).process(make_claim(raw_transcript=None))

    assert "record_transcriber_death" not in store.names()
    assert store.names()[-1] == "retry_later"
