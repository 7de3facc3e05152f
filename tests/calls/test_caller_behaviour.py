"""What a caller does around their words, through the real media path (the media process, the
API, a worker, Temporal, Postgres; espeak speaks the caller, Whisper hears them): saying nothing,
hanging up on the agent, pressing keys, talking at length, asking for a person, saying goodbye.
The caller is the Media Streams stand-in for Twilio (``devtools/stream_caller.py``)."""

from __future__ import annotations

import pytest

from operations.calls.session import STILL_THERE
from switchboard.db.models import Message
from switchboard.providers.local_tts import EspeakTTS
from tests.calls.conftest import MediaProcess
from tests.calls.test_stream_call import CALL_S, CALLER, bookings, log_rows
from tests.conftest import Harness
from tests.polling import eventually, within
from workflows.customer_texts import SILENT_CALLER_GOODBYE

# A caller who talks for about 30 s (espeak's default rate) before saying what they want.
MONOLOGUE = (
    "Hello there. So, I have been meaning to call you for a while now. My cat Felix has been "
    "a bit off lately, he is eating fine and sleeping a lot, which is normal for him I suppose, "
    "but my neighbour said it was worth getting him looked at, and my sister agrees, she has two "
    "cats herself and she always takes them to you. We moved here last year from Lyon, and we "
    "really like the area. Anyway, I work most days but I am free in the mornings. "
    "So what I would like is to book an appointment for my cat on Tuesday at 10 am."
)


@pytest.fixture(scope="module")
async def speech() -> dict[str, bytes]:
    tts = EspeakTTS()
    lines = {
        "hours": "What are your opening hours?",
        "book": "Hi, I'd like to book an appointment for my cat on Tuesday at 10 am.",
        "person": "Can I talk to a real person please?",
        "thanks": "No, that's all, thanks.",
        "monologue": MONOLOGUE,
    }
    return {key: (await tts.synthesize(text)).data for key, text in lines.items()}


def spoken(rows: list[Message]) -> list[tuple[str, str, str | None]]:
    return [(r.direction, r.text, r.status) for r in rows if r.kind == "speech"]


async def test_a_silent_caller_is_asked_if_they_are_there_then_told_goodbye_and_hung_up_on(
    harness: Harness, media: MediaProcess
) -> None:
    # The caller hears the greeting and says nothing, for up to a minute.
    call = await within(
        harness.sim.stream_call(CALLER, [], linger_s=60), "the call", timeout_s=CALL_S
    )

    (stream,) = call.streams
    assert stream.ended_by == "agent" and stream.close_code == 1000
    (after,) = call.after_streams
    assert after.hangup and after.stream_url is None  # Twilio hangs up, no stream reopened
    rows = [r for r in await log_rows(harness) if r.call_sid == call.call_sid]
    said = [text for direction, text, _ in spoken(rows) if direction == "outbound"]
    assert said[1:] == [STILL_THERE, SILENT_CALLER_GOODBYE], said
    assert not [r for r in rows if r.direction == "inbound" and r.kind == "speech"]

    async def ended() -> list[Message]:
        rows = [r for r in await log_rows(harness) if r.call_sid == call.call_sid]
        return [r for r in rows if r.kind == "event" and r.text.startswith("call completed")]

    await eventually(ended, bool, timeout_s=30)  # the call's end, from the status callback


async def test_a_caller_who_answers_are_you_still_there_goes_on_with_the_call(
    harness: Harness, media: MediaProcess, speech: dict[str, bytes]
) -> None:
    # Silent after the greeting long enough to be asked, then they speak.
    call = await within(
        harness.sim.stream_call(
            CALLER, [speech["hours"]], quiet_after_greeting_s=12, hang_up=False
        ),
        "the call",
        timeout_s=CALL_S,
    )

    (stream,) = call.streams
    assert stream.ended_by == "caller"
    rows = [r for r in await log_rows(harness) if r.call_sid == call.call_sid]
    said = spoken(rows)
    assert ("outbound", STILL_THERE, None) in said, said
    assert not [t for d, t, _ in said if d == "outbound" and t == SILENT_CALLER_GOODBYE]
    assert any(d == "outbound" and "hours" in t.lower() for d, t, _ in said), said


async def test_a_caller_who_hangs_up_mid_reply_is_logged_as_having_heard_only_part_of_it(
    harness: Harness, media: MediaProcess, speech: dict[str, bytes]
) -> None:
    # The opening hours are a long answer; the caller hangs up 1 s into it.
    call = await within(
        harness.sim.stream_call(CALLER, [speech["hours"]], hang_up_ms=1000),
        "the call",
        timeout_s=CALL_S,
    )

    (stream,) = call.streams
    assert stream.ended_by == "caller"

    async def reply() -> list[Message]:
        rows = [r for r in await log_rows(harness) if r.call_sid == call.call_sid]
        return [r for r in rows if r.key.startswith("reply/")]

    (row,) = await eventually(reply, lambda rows: any(r.status for r in rows), timeout_s=30)
    assert row.status == "interrupted" and row.text.endswith("…"), row.text
    assert len(row.text) < 80, row.text  # not the whole answer


async def test_a_caller_who_hangs_up_on_a_read_back_leaves_a_draft_not_a_booking(
    harness: Harness, media: MediaProcess, speech: dict[str, bytes]
) -> None:
    call = await within(
        harness.sim.stream_call(CALLER, [speech["book"]], hang_up_ms=500),
        "the call",
        timeout_s=CALL_S,
    )

    assert call.streams[0].ended_by == "caller"
    # Proposed, never confirmed: a draft (it expires with the proposal; no follow-up is sent
    # for a call's draft, draft-followup is for WhatsApp's).
    assert [b.status for b in await bookings(harness)] == ["draft"]

    async def read_back() -> list[Message]:
        rows = [r for r in await log_rows(harness) if r.call_sid == call.call_sid]
        return [r for r in rows if r.key.startswith("reply/")]

    (row,) = await eventually(read_back, lambda rows: any(r.status for r in rows), timeout_s=30)
    # The next turn's context must not say the caller heard the whole read-back.
    assert row.status == "interrupted" and "Shall I" not in row.text, row.text


async def test_keys_pressed_during_the_call_do_not_break_it(
    harness: Harness, media: MediaProcess, speech: dict[str, bytes]
) -> None:
    call = await within(
        harness.sim.stream_call(CALLER, [speech["hours"]], dtmf="1#"), "the call", timeout_s=CALL_S
    )

    (stream,) = call.streams
    assert stream.ended_by == "caller" and len(stream.turns) == 1
    assert stream.turns[0].agent_audio_bytes > 0


async def test_a_long_monologue_with_the_request_at_the_end_is_answered(
    harness: Harness, media: MediaProcess, speech: dict[str, bytes]
) -> None:
    call = await within(
        harness.sim.stream_call(CALLER, [speech["monologue"]], hang_up=False),
        "the call",
        timeout_s=CALL_S,
    )

    rows = [r for r in await log_rows(harness) if r.call_sid == call.call_sid]
    said = spoken(rows)
    heard = " ".join(t for d, t, _ in said if d == "inbound")
    assert "tuesday" in heard.lower(), said
    replies = [t for d, t, _ in said if d == "outbound"][1:]
    assert replies and "Tuesday" in replies[-1], said


async def test_a_caller_asking_for_a_person_is_told_honestly_what_happens_next(
    harness: Harness, media: MediaProcess, speech: dict[str, bytes]
) -> None:
    call = await within(
        harness.sim.stream_call(CALLER, [speech["person"]], hang_up=False),
        "the call",
        timeout_s=CALL_S,
    )

    rows = [r for r in await log_rows(harness) if r.call_sid == call.call_sid]
    said = spoken(rows)
    (reply,) = [t for d, t, _ in said if d == "outbound"][1:]
    # No live transfer exists on a streamed call: the caller must not be told "transferring".
    assert "transfer" not in reply.lower() and "putting you through" not in reply.lower(), reply
    assert "call you back" in reply.lower() or "get back to you" in reply.lower(), reply


async def test_thats_all_thanks_ends_the_call(
    harness: Harness, media: MediaProcess, speech: dict[str, bytes]
) -> None:
    call = await within(
        harness.sim.stream_call(CALLER, [speech["hours"], speech["thanks"]]),
        "the call",
        timeout_s=CALL_S,
    )

    (stream,) = call.streams
    rows = [r for r in await log_rows(harness) if r.call_sid == call.call_sid]
    assert stream.ended_by == "agent", spoken(rows)
