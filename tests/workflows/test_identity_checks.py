"""Identity checks before a booking is read out (issue 12, item 6): an unattested caller is asked
for a one-time code sent on WhatsApp and hears the booking only after reading it back; wrong
codes are refused and logged; an attested caller and a WhatsApp number on file are not asked;
a WhatsApp number not on file answers a question about their pet. Real Temporal, Postgres, the
rules agent and the fake Twilio; calls start through the signed incoming-call webhook."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from operations.ingest import run_turn
from switchboard.agent_models import AgentContext, BookingView, Channel, Intent, PendingAction
from switchboard.business import load_profile
from switchboard.db.customers import ensure_customer
from switchboard.db.models import Booking, Message
from switchboard.identity_checks import IdentityPolicy
from switchboard.providers.rules_agent import RuleBasedAgent
from switchboard.verification import FULL_ATTESTATION, Trust, guarded_decide
from tests.conftest import Harness
from tests.polling import eventually
from workflows.identity import (
    ASK_CODE,
    ASK_QUESTION,
    ONE_NAME,
    REFUSED,
    VERIFIED,
    WRONG_ANSWER,
)
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
        "identity checks closed for 60 minutes: too many wrong answers",
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


# -- review findings: pending actions, brute force, everyday words, unknown calls ------------


async def whatsapp_says(h: Harness, text: str, *, replies: int) -> str:
    """One WhatsApp message from CALLER; returns the body of reply number ``replies``."""
    await h.sim.whatsapp(CALLER, text=text)
    sent = await eventually(lambda: whatsapp_to(h, CALLER), lambda m: len(m) >= replies)
    return str(sent[replies - 1]["body"])


async def booking_statuses(h: Harness) -> list[str]:
    async with h.db.session() as s:
        rows = await s.exec(select(Booking).where(Booking.customer_e164 == CALLER))
        return [b.status for b in rows.all() if b.subject == "Max"]


async def test_spoofed_caller_cannot_confirm_a_cancel_asked_on_whatsapp(
    harness: Harness, task_queue: str
) -> None:
    """The customer asks on WhatsApp (number on file) to cancel; before they say yes, someone
    calls from their number without attestation and says "yes please": they are asked to
    verify, and the booking stays."""
    await harness.opt_in(CALLER)
    await book_max(harness)
    proposed = await whatsapp_says(harness, "Please cancel Max's appointment", replies=1)
    assert "cancel" in proposed.lower(), proposed

    call_sid = await start_call(harness, verstat=None)
    reply = await say(harness, call_sid, "Yes please", task_queue)
    assert reply == ASK_CODE
    assert await booking_statuses(harness) == ["confirmed"]


async def test_asking_again_between_wrong_answers_keeps_the_count(harness: Harness) -> None:
    await book_max(harness)  # no WhatsApp on file: the pet question
    assert await whatsapp_says(harness, QUESTION, replies=1) == ASK_QUESTION
    assert await whatsapp_says(harness, "Rocky", replies=2) == WRONG_ANSWER.format(left=2)
    assert await whatsapp_says(harness, QUESTION, replies=3) == ASK_QUESTION
    assert await whatsapp_says(harness, "Daisy", replies=4) == WRONG_ANSWER.format(left=1)
    assert await whatsapp_says(harness, "Bella", replies=5) == REFUSED
    assert not (await whatsapp_says(harness, "Max", replies=6)).startswith(VERIFIED)
    assert await booking_statuses(harness) == ["confirmed"]


async def test_a_new_call_after_a_lockout_is_still_locked(
    harness: Harness, task_queue: str
) -> None:
    await harness.opt_in(CALLER)
    await book_max(harness)
    first = await start_call(harness, verstat=None)
    assert await say(harness, first, QUESTION, task_queue) == ASK_CODE
    [sent] = await eventually(lambda: whatsapp_to(harness, CALLER), lambda m: len(m) == 1)
    wrong = "000000" if "000000" not in re.findall(r"\d{6}", str(sent)) else "111111"
    for _ in range(3):
        await say(harness, first, wrong, task_queue)

    second = await start_call(harness, verstat=None)
    again = await say(harness, second, QUESTION, task_queue)
    assert again == REFUSED
    assert "Max" not in again
    assert len(await whatsapp_to(harness, CALLER)) == 1  # no new code to guess


async def test_a_message_naming_five_pets_is_not_accepted(harness: Harness) -> None:
    await book_max(harness)
    assert await whatsapp_says(harness, QUESTION, replies=1) == ASK_QUESTION
    reply = await whatsapp_says(harness, "Max Bella Luna Charlie Rocky", replies=2)
    assert reply == ONE_NAME
    assert not any("passed" in e for e in await events(harness))


async def test_everyday_words_during_a_check_are_not_wrong_answers(harness: Harness) -> None:
    await book_max(harness)
    assert await whatsapp_says(harness, QUESTION, replies=1) == ASK_QUESTION
    for n, text in enumerate(["ok", "thanks", "sorry what"], start=2):
        reply = await whatsapp_says(harness, text, replies=n)
        assert "not right" not in reply
        assert reply != REFUSED
    verified = await whatsapp_says(harness, "Max", replies=5)
    assert verified.startswith(VERIFIED)
    assert "Max" in verified
    assert not any("failed" in e for e in await events(harness))


async def test_a_turn_for_an_unknown_call_is_not_attested(
    harness: Harness, task_queue: str
) -> None:
    await harness.opt_in(CALLER)
    await book_max(harness)
    reply = await say(harness, f"CA{uuid.uuid4().hex}", QUESTION, task_queue)  # never started
    assert reply == ASK_CODE
    assert "Max" not in reply


@pytest.mark.parametrize("in_process", [True, False], ids=["local agent", "vendor agent"])
async def test_a_streamed_yes_to_a_cancel_asked_on_whatsapp_is_held(in_process: bool) -> None:
    """What the media process decides on a real-time call (``guarded_decide``, the same
    function): an unattested caller's "yes please" to a cancel proposed on WhatsApp does not
    confirm it. The local agent's turn is held for the cancel check; a vendor's model never
    sees the proposal, so it cannot confirm it."""
    now = datetime.now(UTC)
    slot = now + timedelta(days=3)
    context = AgentContext(
        customer=CALLER,
        channel=Channel.VOICE,
        message="Yes please",
        now=now,
        timezone="Europe/Paris",
        bookings=[
            BookingView(
                id="bk-max", slot_start=slot, subject="Max", status="confirmed", channel=None
            )
        ],
        pending=PendingAction(
            id="p-1",
            kind="cancel",
            slot_start=slot,
            subject="Max",
            expires_at=now + timedelta(minutes=10),
            booking_id="bk-max",
            channel=Channel.WHATSAPP,
        ),
        business=load_profile(),
    )
    trust = Trust(channel=Channel.VOICE, attested=False, call_sid="CA-spoofed")
    decision = await guarded_decide(
        RuleBasedAgent(), context, trust, IdentityPolicy(), on_file=False, in_process=in_process
    )
    assert decision.intent is not Intent.CONFIRM or decision.verify_for == "cancel"
    assert decision.verify_for == ("cancel" if in_process else None)
    assert "Max" not in decision.reply
