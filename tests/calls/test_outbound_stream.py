"""A call a journey places is a real-time conversation too: when the customer picks up, the
outbound webhook connects the stream, the agent opens with the journey's words and pursues its
goal, and what is agreed is booked once."""

from __future__ import annotations

from sqlmodel import select

from devtools.simulate import parse_twiml
from devtools.stream_caller import call as open_stream
from switchboard.db.models import Booking, Message
from switchboard.providers.local_tts import EspeakTTS
from tests.calls.conftest import MediaProcess
from tests.calls.test_stream_call import BOOKING
from tests.conftest import PUBLIC_URL, Harness
from tests.polling import within
from tests.workflows.test_call_amd import CUSTOMER, checkup_call, outcome, start, the_call


async def test_a_journey_call_opens_with_its_words_and_books(
    harness: Harness, media: MediaProcess, task_queue: str
) -> None:
    tts = EspeakTTS()
    turns = [
        (await tts.synthesize(BOOKING)).data,
        (await tts.synthesize("Yes please.")).data,
    ]
    journey_id = await start(harness, task_queue, checkup_call())
    call, context = await the_call(harness)
    line = {
        "CallSid": str(call["sid"]),
        "AccountSid": harness.settings.twilio_account_sid,
        "From": harness.settings.twilio_voice_from,
        "To": CUSTOMER,
        "Direction": "outbound-api",
    }

    # The customer picks up: Twilio fetches the call's TwiML.
    answered = await harness.post_twilio(
        str(call["url"]).removeprefix(PUBLIC_URL), {**line, "CallStatus": "in-progress"}
    )
    twiml = parse_twiml(answered.text)
    assert twiml.stream_url == harness.settings.media_stream_url
    assert twiml.stream_parameters == {
        "customer": CUSTOMER,
        "kind": "outbound",
        "context": context.key,
    }
    recording = await within(
        open_stream(
            twiml.stream_url,
            auth_token=harness.settings.twilio_auth_token.get_secret_value(),
            parameters=twiml.stream_parameters,
            turns=turns,
            call_sid=str(call["sid"]),
        ),
        "the call",
        timeout_s=120,
    )
    ended = await harness.post_twilio(
        "/twilio/voice/status", {**line, "CallStatus": "completed", "CallDuration": "40"}
    )
    assert ended.status_code == 204

    assert recording.greeting.agent_audio_bytes > 0 and len(recording.turns) == 2
    async with harness.db.session() as s:
        rows = (await s.exec(select(Message).where(Message.call_sid == str(call["sid"])))).all()
        booked = (await s.exec(select(Booking).where(Booking.customer_e164 == CUSTOMER))).all()
    said = [r.text for r in rows if r.direction == "outbound" and r.kind == "speech"]
    assert said[0] == "Hello Ana, this is Switchboard."  # the journey's opening, rendered
    assert [b.status for b in booked] == ["confirmed"], [(r.direction, r.text) for r in rows]
    result = await outcome(harness, journey_id)
    assert result.trail == ["call", "done"]
