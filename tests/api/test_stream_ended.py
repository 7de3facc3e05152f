"""``POST /twilio/voice/stream-ended``: what Twilio gets when a call's Media Stream ends — a
hang-up after the agent's goodbye, the stream reopened after a drop (no second greeting), the
recorded path when the stream keeps dropping or the call's state cannot be read."""

from __future__ import annotations

import pytest

from devtools.simulate import parse_twiml
from switchboard.settings import Settings
from switchboard.temporal import customer_workflow_id
from tests.conftest import Harness
from tests.polling import eventually
from workflows.customer import CustomerWorkflow

CALLER = "+33612345678"
CALL_SID = "CA" + "5" * 32


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"call_mode": "stream"})


def call_form(status: str = "in-progress") -> dict[str, str]:
    return {
        "CallSid": CALL_SID,
        "AccountSid": "AC00000000000000000000000000000000",
        "From": CALLER,
        "To": "+15005550006",
        "Direction": "inbound",
        "CallStatus": status,
    }


async def start_call(h: Harness) -> None:
    response = await h.post_twilio("/twilio/voice/incoming", call_form("ringing"))
    assert response.status_code == 200
    first = parse_twiml(response.text)
    assert first.stream_url == h.settings.media_stream_url
    assert first.stream_parameters == {"customer": CALLER, "kind": "inbound"}
    assert first.redirect is not None and first.redirect.endswith("stream-ended?attempt=1")

    async def opened() -> bool:
        handle = h.temporal.get_workflow_handle(customer_workflow_id(CALLER))
        view = await handle.query(CustomerWorkflow.call_view, CALL_SID)
        return view.open

    await eventually(opened, bool)


async def test_a_dropped_stream_is_reopened_to_resume(harness: Harness) -> None:
    await start_call(harness)

    response = await harness.post_twilio("/twilio/voice/stream-ended?attempt=1", call_form())

    again = parse_twiml(response.text)
    assert again.stream_url == harness.settings.media_stream_url
    assert again.stream_parameters == {"customer": CALLER, "kind": "resume"}
    assert again.redirect is not None and again.redirect.endswith("stream-ended?attempt=2")
    assert not again.says and not again.hangup  # no second greeting: the stream resumes


async def test_a_stream_that_keeps_dropping_falls_back_to_recorded_turns(
    harness: Harness,
) -> None:
    await start_call(harness)

    response = await harness.post_twilio("/twilio/voice/stream-ended?attempt=3", call_form())

    fallback = parse_twiml(response.text)
    assert fallback.stream_url is None
    assert fallback.says and "trouble" in fallback.says[0]
    assert fallback.record_action is not None  # the call goes on, one recording per turn


async def test_a_call_that_is_over_is_hung_up(harness: Harness) -> None:
    # No call was started for this SID: nothing to resume.
    response = await harness.post_twilio("/twilio/voice/stream-ended?attempt=1", call_form())

    assert parse_twiml(response.text).hangup


async def test_an_unsigned_stream_end_is_forbidden(harness: Harness) -> None:
    response = await harness.api.post("/twilio/voice/stream-ended", data=call_form())

    assert response.status_code == 403
