"""The next step: what the speaker committed to or asked for, wherever it was said, or nothing."""

from __future__ import annotations

import pytest

from transcribe_svc.summarizer import NO_NEXT_STEP, summarize

CONTEXT = (
    "The quarterly numbers came in yesterday. Revenue grew eleven percent, mostly from the new "
    "enterprise tier. Churn was flat at two percent. The mobile team shipped offline mode."
)


def next_step_of(text: str) -> str | None:
    summary = summarize(text)
    return summary.next_step if summary.next_step_found else None


@pytest.mark.parametrize(
    "action",
    [
        "I'll send the board deck to Priya on Friday.",
        "We have to renew the domain before it expires.",
        "Let's move the launch review to Thursday.",
        "Can you draft the press release by Monday?",
        "Please ask legal to check the new terms.",
        "Schedule a call with the auditors next week.",
        "Don't forget to cancel the old hosting plan.",
        "Dana will update the pricing page tomorrow.",
    ],
)
def test_each_kind_of_action_is_found(action: str) -> None:
    assert next_step_of(f"{CONTEXT} {action}") == action


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("Next step is to book the venue for the offsite.", "Book the venue for the offsite."),
        ("Action item: we need to rotate the API keys.", "We need to rotate the API keys."),
        ("So what I need to do is call the insurer.", "Call the insurer."),
    ],
)
def test_a_label_announcing_the_action_is_dropped(action: str, expected: str) -> None:
    assert next_step_of(f"{CONTEXT} {action}") == expected


def test_the_action_is_found_mid_note_not_just_at_the_end() -> None:
    text = (
        "Quick one about the hiring plan. I'll post the backend role on LinkedIn this afternoon. "
        "The budget covers two engineers this quarter. Both teams said they can help interview. "
        "The recruiter thinks senior candidates will take about six weeks to find."
    )
    assert next_step_of(text) == "I'll post the backend role on LinkedIn this afternoon."


def test_an_explicit_next_step_beats_a_passing_commitment() -> None:
    text = (
        "The demo went well and they liked the reporting module. I'll update the CRM tonight. "
        "Next step is a pricing call with their CFO on Tuesday. They have budget approved."
    )
    assert next_step_of(text) == "A pricing call with their CFO on Tuesday."


def test_lead_in_context_is_kept_and_commentary_after_it_dropped() -> None:
    text = (
        f"{CONTEXT} The investors asked for a cohort analysis, so I'll build one this week, "
        "it shouldn't take long since the data is already clean."
    )
    assert next_step_of(text) == "I'll build one this week."


@pytest.mark.parametrize(
    "ending",
    [
        "Talk to you tomorrow, bye.",
        "We were going to migrate the database, but that got cancelled.",
        "I should have called the supplier earlier.",
        "There's no need to do anything until the audit in June.",
        "Nothing else needed from us.",
        "Let me know if you have any questions.",
        "I sent the invoice on Monday and they paid on Wednesday.",
        "Test results look good and the review went fine.",
        "I'll be honest, the launch party was a bit much.",
    ],
)
def test_no_next_step_is_invented(ending: str) -> None:
    summary = summarize(f"{CONTEXT} {ending}")
    assert not summary.next_step_found
    assert summary.next_step == NO_NEXT_STEP


def test_a_next_step_is_not_repeated_as_a_bullet() -> None:
    summary = summarize(f"{CONTEXT} I'll send the summary to the board on Monday.")
    assert summary.next_step_found
    assert not any("board" in b for b in summary.bullets)


def test_non_english_commitments_are_found() -> None:
    spanish = (
        "Hola a todos. El cliente aprobó el diseño nuevo de la tienda. Quieren lanzar en abril. "
        "Tenemos que preparar las fotos de los productos antes del viernes."
    )
    german = (
        "Kurzes Update zum Umzug. Die Möbel kommen am Montag. Das Internet ist ab Dienstag bereit. "
        "Wir müssen die alten Schränke bis Freitag abbauen."
    )
    assert next_step_of(spanish) == (
        "Tenemos que preparar las fotos de los productos antes del viernes."
    )
    assert next_step_of(german) == "Wir müssen die alten Schränke bis Freitag abbauen."
