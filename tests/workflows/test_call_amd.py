"""A journey's call that an answering machine picks up takes the journey's no-answer branch,
after the voicemail is left; a call a person picks up goes on as before.

The real stack: the journey places the call through ``voice.place_call`` (answering machine
detection asked of the fake Twilio), the fake Twilio plays the line picking up (the call's URL,
then the detection result, signed) against the API on a loopback port, the API leaves the
voicemail through a Calls update, and the fake Twilio's status callback ends the call.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlmodel import select

from operations.launch import AudienceMember, launch
from switchboard.db.models import CallContext, Message, utcnow
from switchboard.journeys.schema import JourneyDefinition
from switchboard.providers.factory import make_telephony
from switchboard.temporal import customer_workflow_id, journey_workflow_id
from tests.api.test_twilio_amd import LEFT_A_VOICEMAIL, served_api
from tests.conftest import PUBLIC_URL, Harness
from tests.polling import eventually, within
from workflows.customer import CustomerWorkflow
from workflows.types import CallAnsweredByInput, JourneyOutcome

__all__ = ["served_api"]  # the fixture, shared with the API tests

CUSTOMER = "+33612345678"
ALL_DAY = {
    "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    "open": "00:00",
    "close": "23:59",
}


def checkup_call(**call_step: Any) -> JourneyDefinition:
    """An audience journey that calls at once (no quiet hours, open all day): ``missed`` when
    nobody answers, ``done`` when someone does."""
    return JourneyDefinition.model_validate(
        {
            "name": "checkup-call",
            "trigger": {"event": "audience"},
            "policies": {"quiet_hours": None, "business_hours": ALL_DAY},
            "start": "call",
            "steps": {
                "call": {
                    "kind": "place_call",
                    "opening": "Hello {{ trigger.first_name }}, this is Switchboard.",
                    "goal": "Book Felix's check-up.",
                    "on_no_answer": "missed",
                    "next": "done",
                    **call_step,
                },
                "missed": {"kind": "end", "reason": "nobody answered"},
                "done": {"kind": "end"},
            },
        }
    )


async def start(harness: Harness, task_queue: str, journey: JourneyDefinition) -> str:
    """Launch ``journey`` for the customer; returns the run's workflow ID."""
    campaign = f"c{uuid.uuid4().hex[:8]}"
    member = AudienceMember(CUSTOMER, {"first_name": "Ana"})
    report = await launch(
        harness.temporal, journey, [member], campaign_id=campaign, task_queue=task_queue
    )
    assert report.enrolled == 1
    return journey_workflow_id(journey.name, CUSTOMER, campaign)


async def calls(harness: Harness) -> list[dict[str, Any]]:
    """The calls the fake Twilio holds (the ``settings`` fixture reset it for this test)."""
    async with httpx.AsyncClient() as http:
        response = await http.get(f"{harness.fake_twilio_url}/_fake/calls")
    response.raise_for_status()
    rows: list[dict[str, Any]] = response.json()
    return rows


async def the_call(harness: Harness) -> tuple[dict[str, Any], CallContext]:
    """The call the journey placed, once its SID is stored with its context (the detection
    result is matched to the context by that SID)."""
    [call] = await eventually(lambda: calls(harness), lambda rows: len(rows) == 1)

    async def context() -> CallContext | None:
        async with harness.db.session() as s:
            found = await s.exec(select(CallContext).where(CallContext.call_sid == call["sid"]))
            return found.one_or_none()

    stored = await eventually(context, lambda row: row is not None)
    assert stored is not None
    return call, stored


async def pick_up(harness: Harness, sid: str, api: str, answered_by: str) -> dict[str, Any]:
    """The line picks up (``answered_by`` as Twilio's detection hears it); returns the call as
    the fake Twilio holds it once the API has acted on the result."""
    async with httpx.AsyncClient(timeout=60) as http:
        response = await http.post(
            f"{harness.fake_twilio_url}/_fake/calls/{sid}/answer",
            json={"answered_by": answered_by, "webhook_base_url": api},
        )
    assert response.status_code == 200, response.text
    [answered] = [c for c in await calls(harness) if c["sid"] == sid]
    return answered


async def outcome(harness: Harness, journey_id: str) -> JourneyOutcome:
    handle = harness.temporal.get_workflow_handle(journey_id, result_type=JourneyOutcome)
    return await within(handle.result(), f"journey {journey_id}")


async def log_texts(harness: Harness) -> list[str]:
    async with harness.db.session() as s:
        rows = await s.exec(
            select(Message).where(Message.customer_e164 == CUSTOMER).order_by(Message.id)  # type: ignore[arg-type]
        )
        return [m.text for m in rows.all()]


async def test_an_answering_machine_gets_the_voicemail_and_the_journey_takes_no_answer(
    harness: Harness, served_api: str, task_queue: str
) -> None:
    journey_id = await start(harness, task_queue, checkup_call())
    call, context = await the_call(harness)
    assert (call["machine_detection"], call["async_amd"]) == ("DetectMessageEnd", True)
    assert call["async_amd_status_callback"] == f"{PUBLIC_URL}/twilio/voice/amd"
    # The step gives none: the default, in the business's name (business/profile.yaml).
    left = (
        "Hello, this is Rue des Lilas Veterinary Clinic. Sorry we missed you. Please call us "
        "back, or send us a message on WhatsApp."
    )
    assert context.voicemail == left

    answered = await pick_up(harness, str(call["sid"]), served_api, "machine_end_beep")

    assert answered["twiml_updates"] == [f"<Response><Say>{left}</Say><Hangup /></Response>"]
    result = await outcome(harness, journey_id)
    assert result.trail == ["call", "missed"]
    texts = await log_texts(harness)
    assert LEFT_A_VOICEMAIL in texts
    assert any("call no-answer (attempt 1 of 1)" in t for t in texts), texts
    assert any(t.startswith("call completed") for t in texts), "Twilio's own status is logged"


async def test_a_person_who_answers_is_a_call_answered(
    harness: Harness, served_api: str, task_queue: str
) -> None:
    journey_id = await start(harness, task_queue, checkup_call())
    call, _ = await the_call(harness)

    answered = await pick_up(harness, str(call["sid"]), served_api, "human")
    assert (answered["status"], answered["twiml_updates"]) == ("in-progress", [])
    await eventually(lambda: log_texts(harness), lambda t: "answered by a person" in t)
    await make_telephony(harness.settings).update_call(str(call["sid"]), status="completed")

    result = await outcome(harness, journey_id)
    assert result.trail == ["call", "done"]


async def test_a_result_that_comes_before_the_calls_start_counts_and_the_first_one_wins(
    harness: Harness, task_queue: str
) -> None:
    """Twilio's requests played by hand in the order a busy workflow may see them: the
    detection result before the call's start was processed, then a second, different result
    (a redelivery must not change the outcome), then the start and the end."""
    journey_id = await start(harness, task_queue, checkup_call())
    call, _ = await the_call(harness)
    sid = str(call["sid"])
    customer = harness.temporal.get_workflow_handle(customer_workflow_id(CUSTOMER))
    for answered_by in ("machine_end_other", "human"):
        await customer.signal(
            CustomerWorkflow.call_answered_by,
            CallAnsweredByInput(call_sid=sid, answered_by=answered_by, received_at=utcnow()),
        )
    line = {
        "CallSid": sid,
        "AccountSid": harness.settings.twilio_account_sid,
        "From": harness.settings.twilio_voice_from,
        "To": CUSTOMER,
        "Direction": "outbound-api",
    }
    opened = await harness.post_twilio(
        str(call["url"]).removeprefix(PUBLIC_URL), {**line, "CallStatus": "in-progress"}
    )
    assert opened.status_code == 200, opened.text
    ended = await harness.post_twilio(
        "/twilio/voice/status", {**line, "CallStatus": "completed", "CallDuration": "25"}
    )
    assert ended.status_code == 204, ended.text

    result = await outcome(harness, journey_id)
    assert result.trail == ["call", "missed"]
    texts = await log_texts(harness)
    assert texts.count(LEFT_A_VOICEMAIL) == 1 and "answered by a person" not in texts


async def test_the_steps_own_voicemail_is_left(
    harness: Harness, served_api: str, task_queue: str
) -> None:
    step_voicemail = "Hello {{ trigger.first_name }}, Felix is due a check-up. Call us back!"
    journey_id = await start(harness, task_queue, checkup_call(voicemail=step_voicemail))
    call, context = await the_call(harness)
    expected = "Hello Ana, Felix is due a check-up. Call us back!"
    try:
        assert context.voicemail == expected
    finally:  # let the run end either way
        answered = await pick_up(harness, str(call["sid"]), served_api, "machine_end_silence")
        await outcome(harness, journey_id)
    assert answered["twiml_updates"] == [f"<Response><Say>{expected}</Say><Hangup /></Response>"]
