"""Identity checks before a booking is read out (issue 12, item 6): an unattested caller is asked
for a one-time code sent on WhatsApp and hears the booking only after reading it back; wrong
codes are refused and logged; an attested caller and a WhatsApp number on file are not asked;
a WhatsApp number not on file answers a question about their pet. Real Temporal, Postgres, the
rules agent and the fake Twilio; calls start through the signed incoming-call webhook."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from operations.ingest import run_turn
from switchboard.agent_models import Channel
from switchboard.db.customers import ensure_customer
from switchboard.db.models import Booking, Message
from switchboard.verification import FULL_ATTESTATION
from tests.conftest import Harness
from tests.polling import eventually
from workflows.identity import ASK_CODE, ASK_QUESTION, REFUSED, VERIFIED, WRONG_ANSWER
from workflows.types import InboundInput

CALLER = "+33612345678"
QUESTION = "When is my appointment?"


async def book_max(h: Harness, e164: str = CALLER, *, channel: str = "voice") -> None:
    """A confirmed booking for Max in three days, made earlier (not on the call under test)."""
    slot = (datetime.now(UTC) + timedelta(days=3)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    async with h.db.session() as s:
        await ensure_customer(s, e164=e164, timezone="Europe/Paris")
        s.add(
            Booking(
                id=f"bk-{uuid.uuid4().hex[:8]}",
                customer_e164=e164,
                slot_start=slot,
                subject="Max",
                status="confirmed",
                channel=channel,
                confirmed_at=datetime.now(UTC) - timedelta(days=1),
            )
        )


async def start_call(h: Harness, *, verstat: str | None) -> str:
    call_sid = f"CA{uuid.uuid4().hex}"
    form = {
        "CallSid": call_sid,
        "AccountSid": h.settings.twilio_account_sid,
        "From": CALLER,
        "To": h.settings.twilio_voice_from,
        "Direction": "inbound",
        "CallStatus": "ringing",
    }
    if verstat is not None:
        form["StirVerstat"] = verstat
    response = await h.post_twilio("/twilio/voice/incoming", form)
    assert response.status_code == 200
    return call_sid


async def say(h: Harness, call_sid: str, text: str, task_queue: str) -> str:
    """One recorded caller turn with its transcript; returns the reply the caller hears."""
    result = await run_turn(
        h.temporal,
        CALLER,
        InboundInput(
            sid=f"RE{uuid.uuid4().hex}",
            channel=Channel.VOICE,
            text=text,
            call_sid=call_sid,
            received_at=datetime.now(UTC),
        ),
        task_queue,
    )
    return result.reply


async def whatsapp_to(h: Harness, e164: str) -> list[dict[str, object]]:
    return [m for m in await h.sandbox_messages() if m["to"] == f"whatsapp:{e164}"]


async def events(h: Harness, e164: str = CALLER) -> list[str]:
    async with h.db.session() as s:
        rows = await s.exec(
            select(Message)
            .where(Message.customer_e164 == e164, Message.kind == "event")
            .order_by(col(Message.id))
        )
        return [r.text for r in rows.all() if r.text.startswith("identity")]


async def test_unattested_caller_hears_the_booking_only_after_the_code(
    harness: Harness, task_queue: str
) -> None:
    await harness.opt_in(CALLER)
    await book_max(harness)
    call_sid = await start_call(harness, verstat="TN-Validation-Passed-C")

    asked = await say(harness, call_sid, QUESTION, task_queue)
    assert asked == ASK_CODE
    assert "Max" not in asked

    [sent] = await eventually(lambda: whatsapp_to(harness, CALLER), lambda m: len(m) == 1)
    code = re.search(r"\b\d{6}\b", str(sent))  # the body, or the template's variables
    assert code is not None, sent
    spoken = " ".join(code.group())  # "4 7 1 9 3 2", as Whisper writes digits read out

    answered = await say(harness, call_sid, f"It's {spoken}.", task_queue)
    assert answered.startswith(VERIFIED)
    assert "Max" in answered

    # The conversation log keeps the caller's words, never the code the team could read.
    async with harness.db.session() as s:
        texts = [m.text for m in (await s.exec(select(Message))).all()]
    assert QUESTION in texts
    assert not any(code.group() in t for t in texts if not t.startswith("It's"))
    assert await events(harness) == [
        "identity check (reading a booking): asked for a code sent on WhatsApp",
        "identity check passed (a code sent on WhatsApp)",
    ]


async def test_wrong_codes_are_refused_and_logged(harness: Harness, task_queue: str) -> None:
    await harness.opt_in(CALLER)
    await book_max(harness)
    call_sid = await start_call(harness, verstat=None)  # no SHAKEN/STIR data at all

    assert await say(harness, call_sid, QUESTION, task_queue) == ASK_CODE
    [sent] = await eventually(lambda: whatsapp_to(harness, CALLER), lambda m: len(m) == 1)
    real = re.findall(r"\d{6}", str(sent))
    wrong = "000000" if "000000" not in real else "111111"

    replies = [await say(harness, call_sid, wrong, task_queue) for _ in range(3)]
    assert replies == [WRONG_ANSWER.format(left=2), WRONG_ANSWER.format(left=1), REFUSED]
    # Closed for the rest of the call: asking again gets no new code and no booking.
    again = await say(harness, call_sid, QUESTION, task_queue)
    assert again == REFUSED
    assert len(await whatsapp_to(harness, CALLER)) == 1
    assert await events(harness) == [
        "identity check (reading a booking): asked for a code sent on WhatsApp",
        "identity check failed (attempt 1 of 3)",
        "identity check failed (attempt 2 of 3)",
        "identity check failed (attempt 3 of 3)",
        "identity checks closed for this session: too many wrong answers",
        "identity check refused (reading a booking): too many wrong answers",
    ]


async def test_attested_caller_is_not_asked(harness: Harness, task_queue: str) -> None:
    await harness.opt_in(CALLER)
    await book_max(harness)
    call_sid = await start_call(harness, verstat=FULL_ATTESTATION)

    reply = await say(harness, call_sid, QUESTION, task_queue)
    assert "Max" in reply
    assert await whatsapp_to(harness, CALLER) == []
    assert await events(harness) == []


async def test_whatsapp_number_on_file_is_not_asked(harness: Harness) -> None:
    await harness.opt_in(CALLER)  # the business recorded this WhatsApp number (a web form)
    await book_max(harness)
    await harness.sim.whatsapp(CALLER, text=QUESTION)
    [reply] = await eventually(lambda: whatsapp_to(harness, CALLER), lambda m: len(m) == 1)
    assert "Max" in str(reply["body"])
    assert await events(harness) == []


async def test_new_whatsapp_number_answers_the_pet_question(harness: Harness) -> None:
    await book_max(harness)  # booked by phone; no WhatsApp opt-in on file
    await harness.sim.whatsapp(CALLER, text=QUESTION)
    [asked] = await eventually(lambda: whatsapp_to(harness, CALLER), lambda m: len(m) == 1)
    assert asked["body"] == ASK_QUESTION

    await harness.sim.whatsapp(CALLER, text="max")
    replies = await eventually(lambda: whatsapp_to(harness, CALLER), lambda m: len(m) == 2)
    assert str(replies[1]["body"]).startswith(VERIFIED)
    assert "Max" in str(replies[1]["body"])
