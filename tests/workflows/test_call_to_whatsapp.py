"""The walking skeleton end to end: a booking made by voice, confirmed on WhatsApp, and
remembered across channels. Real Temporal, real Postgres, real Whisper and espeak audio, the
real Twilio adapter against the local sandbox, driven through signed webhooks."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select
from temporalio.service import RPCError, RPCStatusCode

from switchboard.agent_models import NOTHING_TO_CONFIRM
from switchboard.db.models import Booking, Message
from switchboard.providers.local_tts import EspeakTTS
from switchboard.temporal import customer_workflow_id, journey_workflow_id
from tests.conftest import PUBLIC_URL, Harness
from tests.polling import eventually, within
from workflows.types import JourneyOutcome

CALLER = "+33612345678"
BOOKING = "Hi, I'd like to book an appointment for my cat on Tuesday at 10 am"


@pytest.fixture(scope="module")
async def call_audio() -> list[bytes]:
    tts = EspeakTTS()
    return [(await tts.synthesize(BOOKING)).data, (await tts.synthesize("yes")).data]


async def whatsapp_to(h: Harness, e164: str) -> list[dict[str, object]]:
    return [m for m in await h.sandbox_messages() if m["to"] == f"whatsapp:{e164}"]


async def wait_for_whatsapp(h: Harness, e164: str, count: int) -> list[dict[str, object]]:
    """Wait until ``count`` WhatsApp messages went to ``e164``; returns them, oldest first."""
    return await eventually(lambda: whatsapp_to(h, e164), lambda m: len(m) >= count)


def text_of(message: dict[str, object]) -> str:
    variables = message.get("content_variables") or {}
    assert isinstance(variables, dict)
    return f"{message.get('body') or ''} {' '.join(variables.values())}"


async def journey_result(h: Harness, call_sid: str) -> JourneyOutcome:
    """The call-confirmation run for ``call_sid`` (started once the call has ended)."""
    handle = h.temporal.get_workflow_handle(
        journey_workflow_id("call-confirmation", CALLER, call_sid), result_type=JourneyOutcome
    )

    async def started() -> bool:
        try:
            await handle.describe()
        except RPCError as exc:
            if exc.status is RPCStatusCode.NOT_FOUND:
                return False
            raise
        return True

    await eventually(started, bool)
    return await within(handle.result(), f"journey {handle.id}")


async def log_rows(h: Harness, e164: str) -> list[Message]:
    async with h.db.session() as s:
        rows = await s.exec(
            select(Message).where(Message.customer_e164 == e164).order_by(Message.id)  # type: ignore[arg-type]
        )
        return list(rows.all())


async def test_booked_call_gets_whatsapp_confirmation_and_cross_channel_answer(
    harness: Harness, call_audio: list[bytes]
) -> None:
    await harness.opt_in(CALLER)

    call = await harness.sim.call(CALLER, call_audio)

    assert call.greeting.says and call.greeting.record_action
    assert len(call.turns) == 2
    assert all(reply.play_urls for _, reply in call.turns), "each turn is answered with audio"
    for _, reply in call.turns:  # Twilio fetches each <Play> URL: signed, so it plays
        played = await harness.api.get(reply.play_urls[0].removeprefix(PUBLIC_URL))
        assert played.status_code == 200 and played.content, reply.play_urls[0]
    spoken = [m.text for m in await log_rows(harness, CALLER) if m.direction == "outbound"]
    assert any("Tuesday" in t and "10:00" in t and "confirm" in t.lower() for t in spoken)
    async with harness.db.session() as s:
        booking = (await s.exec(select(Booking))).one()
    assert booking.status == "confirmed"
    assert booking.call_sid == call.call_sid

    confirmation = await wait_for_whatsapp(harness, CALLER, 1)
    assert "Tuesday" in text_of(confirmation[0]) and "10:00" in text_of(confirmation[0])
    # The customer never wrote on WhatsApp: outside the 24-hour window, so the approved template.
    assert confirmation[0]["content_sid"]
    outcome = await journey_result(harness, call.call_sid)
    assert (outcome.status, outcome.trail) == ("completed", ["confirm", "done"])

    await harness.sim.whatsapp(CALLER, text="wait, what day was it again?")
    answers = await wait_for_whatsapp(harness, CALLER, 2)
    answer = text_of(answers[1])
    assert "Tuesday" in answer and "10:00" in answer
    assert answers[1]["content_sid"] is None, "inside the 24-hour window: free text"
    # Each agent reply is logged with its intent (spoken and written): the analytics' handoff
    # rate by intent class reads them.
    replies = await eventually(
        lambda: log_rows(harness, CALLER),
        lambda rows: sum(m.key.startswith("reply/") for m in rows) >= 3,
    )
    assert [(m.channel, m.intent) for m in replies if m.key.startswith("reply/")] == [
        ("voice", "propose_booking"),
        ("voice", "confirm"),
        ("whatsapp", "ask_booking"),
    ]


async def test_without_opt_in_the_confirmation_is_skipped_and_logged(
    harness: Harness, call_audio: list[bytes]
) -> None:
    call = await harness.sim.call(CALLER, call_audio)

    outcome = await journey_result(harness, call.call_sid)
    assert outcome.status == "completed"
    assert await whatsapp_to(harness, CALLER) == []
    events = [m.text for m in await log_rows(harness, CALLER) if m.kind == "event"]
    assert any("skipped" in t and "opt-in" in t for t in events)


async def test_yes_without_a_proposal_books_nothing(harness: Harness) -> None:
    await harness.sim.whatsapp(CALLER, text="yes")
    replies = await wait_for_whatsapp(harness, CALLER, 1)
    # Nothing was offered: the agent asks what they want rather than confirming anything.
    assert text_of(replies[0]).strip() == NOTHING_TO_CONFIRM
    async with harness.db.session() as s:
        assert (await s.exec(select(Booking))).all() == []


async def test_whatsapp_booking_needs_the_confirmation_of_that_proposal(harness: Harness) -> None:
    await harness.sim.whatsapp(
        CALLER, text="Can I book an appointment for Felix on Tuesday at 10am?"
    )
    first = await wait_for_whatsapp(harness, CALLER, 1)
    assert "YES" in text_of(first[0])
    async with harness.db.session() as s:
        assert (await s.exec(select(Booking))).one().status == "draft"

    await harness.sim.whatsapp(CALLER, text="YES")
    await wait_for_whatsapp(harness, CALLER, 2)
    async with harness.db.session() as s:
        assert (await s.exec(select(Booking))).one().status == "confirmed"


async def test_voice_note_is_transcribed_into_the_shared_log(
    harness: Harness, jfk_flac: bytes, tmp_path: Path
) -> None:
    note = tmp_path / "jfk.flac"
    note.write_bytes(jfk_flac)
    await harness.sim.whatsapp(CALLER, audio_file=note)
    await wait_for_whatsapp(harness, CALLER, 1)
    rows = await log_rows(harness, CALLER)
    voice_note = next(m for m in rows if m.kind == "voice_note")
    assert "ask not what your country" in voice_note.text.lower()
    assert voice_note.media_id is not None


async def test_unreadable_voice_note_asks_to_resend_or_type(
    harness: Harness, tmp_path: Path
) -> None:
    junk = tmp_path / "note.ogg"
    junk.write_bytes(b"OggS" + b"\x00garbage" * 200)
    await harness.sim.whatsapp(CALLER, audio_file=junk)
    replies = await wait_for_whatsapp(harness, CALLER, 1)
    reply = text_of(replies[0]).lower()
    assert "resend" in reply and "type" in reply
    rows = await log_rows(harness, CALLER)
    assert [m.kind for m in rows if m.direction == "inbound"] == ["voice_note"], "still logged"


async def test_pending_action_survives_continue_as_new(harness: Harness) -> None:
    """The test server suggests continue-as-new after a few dozen events: a proposal made in
    one run is still confirmable in the next."""
    handle = harness.temporal.get_workflow_handle(customer_workflow_id(CALLER))
    await harness.sim.whatsapp(CALLER, text="Book an appointment for Felix on Tuesday at 10am")
    await wait_for_whatsapp(harness, CALLER, 1)
    first_run = (await handle.describe()).run_id

    for sent, text in enumerate(["hello", "what time was it?", "hi again"], start=2):
        await harness.sim.whatsapp(CALLER, text=text)
        assert len(await wait_for_whatsapp(harness, CALLER, sent)) == sent

    # The reply goes out before the turn's last steps; the hand-over follows shortly after.
    async def run_id() -> str:
        return (await handle.describe()).run_id

    await eventually(run_id, lambda current: current != first_run)

    await harness.sim.whatsapp(CALLER, text="yes")
    await wait_for_whatsapp(harness, CALLER, 5)
    async with harness.db.session() as s:
        assert (await s.exec(select(Booking))).one().status == "confirmed"


async def test_voice_note_gets_text_first_then_a_voice_note(
    harness: Harness, jfk_flac: bytes, tmp_path: Path
) -> None:
    note = tmp_path / "jfk.flac"
    note.write_bytes(jfk_flac)
    await harness.sim.whatsapp(CALLER, text="", audio_file=note)
    text, voice = await wait_for_whatsapp(harness, CALLER, 2)
    assert text["body"] and not text["media_urls"], "the text reply goes first"
    assert voice["media_urls"], "then the same reply as a voice note"
    media_url = str(voice["media_urls"][0])  # type: ignore[index]
    played = await harness.api.get(media_url.removeprefix(PUBLIC_URL))
    assert played.status_code == 200
    assert played.headers["content-type"] == "audio/ogg"
    assert played.content.startswith(b"OggS")
    assert "OpusHead" in played.content[:200].decode("latin-1")


async def test_asking_for_a_person_opens_a_handoff_the_team_sees(harness: Harness) -> None:
    """The agent's promise of a person is kept: a handoff record with a note (issue 9)."""
    from switchboard.db.models import Handoff

    await harness.opt_in(CALLER)
    await harness.sim.whatsapp(CALLER, text="this is ridiculous, I want to speak to a person")
    [reply] = await wait_for_whatsapp(harness, CALLER, 1)

    assert "team" in text_of(reply)
    async with harness.db.session() as s:
        [handoff] = (await s.exec(select(Handoff).where(Handoff.customer_e164 == CALLER))).all()
    assert "ridiculous" in handoff.note
