"""Real-time calls over Media Streams, played as Twilio plays them: signed WebSocket, real-time
20 ms μ-law frames, marks echoed when played, ``clear`` honoured; espeak speaks the caller,
Whisper hears them, the rule-based agent decides, the customer workflow acts."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from devtools.stream_caller import call as open_stream
from operations.ingest import call_turn, call_view
from switchboard.agent_models import AgentDecision, Intent
from switchboard.db.models import Booking, Message
from switchboard.providers.local_tts import EspeakTTS
from tests.calls.conftest import MediaProcess
from tests.conftest import Harness
from tests.polling import eventually, within
from workflows.types import CallTurnInput

CALLER = "+33612345678"
BOOKING = "Hi, I'd like to book an appointment for my cat on Tuesday at 10 am."
CALL_S = 120.0  # a whole call, with Whisper and espeak on a busy 2-core machine


@pytest.fixture(scope="module")
async def speech() -> dict[str, bytes]:
    tts = EspeakTTS()
    lines = {
        "book": BOOKING,
        "yes": "Yes please.",
        "hours": "What are your opening hours?",
        "person": "Can I talk to a real person please?",
        "bye": "That's all, goodbye.",
    }
    return {key: (await tts.synthesize(text)).data for key, text in lines.items()}


async def log_rows(h: Harness, e164: str = CALLER) -> list[Message]:
    async with h.db.session() as s:
        rows = await s.exec(
            select(Message).where(Message.customer_e164 == e164).order_by(Message.id)  # type: ignore[arg-type]
        )
        return list(rows.all())


async def bookings(h: Harness, e164: str = CALLER) -> list[Booking]:
    async with h.db.session() as s:
        rows = await s.exec(select(Booking).where(Booking.customer_e164 == e164))
        return list(rows.all())


async def test_a_streamed_call_books_and_the_log_holds_both_sides(
    harness: Harness, media: MediaProcess, speech: dict[str, bytes]
) -> None:
    call = await within(
        harness.sim.stream_call(CALLER, [speech["book"], speech["yes"]]),
        "the call",
        timeout_s=CALL_S,
    )

    assert call.first.stream_url == harness.settings.media_stream_url
    assert call.first.stream_parameters == {"customer": CALLER, "kind": "inbound"}
    assert call.first.redirect and "/twilio/voice/stream-ended" in call.first.redirect
    (stream,) = call.streams
    assert stream.greeting_first_frame_ms is not None and stream.greeting.agent_audio_bytes > 0
    assert len(stream.turns) == 2 and all(t.agent_audio_bytes > 0 for t in stream.turns)

    (booking,) = await bookings(harness)
    assert booking.status == "confirmed"
    assert booking.slot_start.astimezone(UTC).weekday() == 1  # a Tuesday

    rows = [r for r in await log_rows(harness) if r.call_sid == call.call_sid]
    said = [(r.direction, r.text) for r in rows if r.kind == "speech"]
    # The business's own name (business/profile.yaml), not the product's.
    assert said[0] == (
        "outbound",
        "Hello, this is Rue des Lilas Veterinary Clinic. How can I help you today?",
    )
    inbound = [text for direction, text in said if direction == "inbound"]
    replies = [text for direction, text in said if direction == "outbound"][1:]
    assert len(inbound) == 2 and "tuesday" in inbound[0].lower()
    assert "Tuesday" in replies[0] and replies[1].startswith("Done")


async def test_the_agents_goodbye_hangs_up(
    harness: Harness, media: MediaProcess, speech: dict[str, bytes]
) -> None:
    call = await within(
        harness.sim.stream_call(CALLER, [speech["bye"], speech["hours"]]),
        "the call",
        timeout_s=CALL_S,
    )

    (stream,) = call.streams
    assert stream.ended_by == "agent" and stream.close_code == 1000
    assert len(stream.turns) == 1  # the second turn was never spoken: the line was closed
    (after,) = call.after_streams
    assert after.hangup and after.stream_url is None


async def test_a_stream_with_a_bad_signature_is_closed_with_1008(
    harness: Harness, media: MediaProcess, speech: dict[str, bytes]
) -> None:
    recording = await within(
        open_stream(
            harness.settings.media_stream_url,
            auth_token="not-the-auth-token",
            parameters={"customer": CALLER, "kind": "inbound"},
            turns=[speech["book"]],
        ),
        "the stream",
    )

    assert recording.ended_by == "agent" and recording.close_code == 1008
    assert recording.greeting_first_frame_ms is None and recording.agent_audio_bytes == 0
    assert await log_rows(harness) == []


async def test_a_stream_for_a_call_that_is_not_open_is_closed_with_1008(
    harness: Harness, media: MediaProcess, speech: dict[str, bytes]
) -> None:
    # Signed like Twilio, but no call was started for it (no incoming-call webhook).
    recording = await within(
        open_stream(
            harness.settings.media_stream_url,
            auth_token=harness.settings.twilio_auth_token.get_secret_value(),
            parameters={"customer": CALLER, "kind": "inbound"},
            turns=[speech["book"]],
        ),
        "the stream",
    )

    assert recording.ended_by == "agent" and recording.close_code == 1008
    assert recording.agent_audio_bytes == 0
    assert await bookings(harness) == []


async def test_barge_in_clears_the_audio_and_the_log_keeps_what_was_heard(
    harness: Harness, media: MediaProcess, speech: dict[str, bytes]
) -> None:
    # The caller asks for the opening hours (a long answer) and talks over it 1 s in.
    call = await within(
        harness.sim.stream_call(
            CALLER, [speech["hours"], speech["person"]], barge_in_ms=1000, hang_up=False
        ),
        "the call",
        timeout_s=CALL_S,
    )

    (stream,) = call.streams
    rows = [r for r in await log_rows(harness) if r.call_sid == call.call_sid]
    seen = [(r.key, r.status, r.text) for r in rows]
    hours, person = stream.turns
    assert hours.cleared, seen  # Twilio was told to drop the rest of the hours
    cuts = [r for r in rows if r.status == "interrupted"]
    assert len(cuts) == 1, seen
    (cut,) = cuts
    assert cut.direction == "outbound" and cut.text.endswith("…")
    full = "Our hours"
    assert full not in cut.text or len(cut.text) < 80  # not the whole answer
    # The interruption was heard and answered: the caller asked for a person.
    handoff = [r for r in rows if r.direction == "outbound" and "team" in r.text]
    assert handoff, [r.text for r in rows]


async def test_the_same_turn_sent_twice_books_once(
    harness: Harness, media: MediaProcess, speech: dict[str, bytes]
) -> None:
    call = await within(
        harness.sim.stream_call(CALLER, [speech["book"]], hang_up=False),
        "the call",
        timeout_s=CALL_S,
    )
    view = await call_view(harness.temporal, CALLER, call.call_sid)
    assert view.open and view.pending is not None
    turn = CallTurnInput(
        sid=f"{call.call_sid}/retried/1",
        call_sid=call.call_sid,
        transcript="yes please",
        decision=AgentDecision(reply="Done.", intent=Intent.CONFIRM, action_id=view.pending.id),
        received_at=datetime.now(UTC),
    )

    # A retried Update (e.g. the media process lost the answer) and its original, at once.
    first, second = await within(
        asyncio.gather(
            call_turn(harness.temporal, CALLER, turn), call_turn(harness.temporal, CALLER, turn)
        ),
        "both Updates",
    )

    assert first == second
    confirmed = [b for b in await bookings(harness) if b.status == "confirmed"]
    assert len(confirmed) == 1
    rows = [r for r in await log_rows(harness) if r.key == f"in/{turn.sid}"]
    assert len(rows) == 1


async def test_a_dropped_stream_resumes_where_it_was_without_a_second_greeting(
    harness: Harness, media: MediaProcess, speech: dict[str, bytes]
) -> None:
    playing = asyncio.create_task(harness.sim.stream_call(CALLER, [speech["book"], speech["yes"]]))

    async def drafted() -> list[Booking]:
        return [b for b in await bookings(harness) if b.status == "draft"]

    await eventually(drafted, bool, timeout_s=CALL_S)
    await media.drop_calls()  # what a killed media process does to its calls
    call = await within(playing, "the call", timeout_s=CALL_S)

    first, resumed = call.streams
    assert first.ended_by == "agent" and resumed.ended_by == "caller"
    assert call.after_streams[0].stream_parameters.get("kind") == "resume"
    # A turn the drop left unanswered is said again on the new stream; the yes confirms once.
    assert len(first.turns) + len(resumed.turns) >= 2
    confirmed = [b for b in await bookings(harness) if b.status == "confirmed"]
    assert len(confirmed) == 1
    rows = [r for r in await log_rows(harness) if r.call_sid == call.call_sid]
    greetings = [r for r in rows if r.text.startswith("Hello, this is Rue des Lilas")]
    assert len(greetings) == 1
    (resume,) = [r for r in rows if r.text.startswith("Sorry, we were cut off")]
    assert "Shall I confirm?" in resume.text  # where the conversation was: the proposal
