"""Messages typed one after the other are one message (held-out sets 28 and 76): a WhatsApp text
waits until the customer stops typing (``workflows.customer.ANSWER_SETTLE``, started again by
each message), so a "yes" and a "wait no" sent together book nothing, a request spread over three
messages gets one answer that reads all three, and STOP in the middle of a burst still opts out.
Real Temporal, Postgres, the rules agent and the fake Twilio; messages arrive through the signed
WhatsApp webhook."""

from __future__ import annotations

import asyncio

from tests.conftest import Harness
from tests.polling import eventually
from tests.workflows.test_several_changes import CUSTOMER, bookings, open_weekday, said, says
from workflows.customer_texts import STOPPED

# The customer's second message comes this long after the first (s): well inside
# ``ANSWER_SETTLE``, and long after the "yes" reached the workflow.
TYPED_AFTER_S = 1.0
# How long the customer takes to read the proposal before answering (s).
READS_FOR_S = 2.0


async def test_a_yes_taken_back_in_the_same_burst_books_nothing(harness: Harness) -> None:
    await harness.opt_in(CUSTOMER)
    day = open_weekday()
    weekday = day.strftime("%A").lower()
    asked = await says(harness, f"could Max come in on {said(day)} at 10?", replies=1)
    assert "10:00" in asked and "YES" in asked, asked
    await asyncio.sleep(READS_FOR_S)  # the customer reads the proposal: its turn is over

    await harness.sim.whatsapp(CUSTOMER, text="yes")
    await asyncio.sleep(TYPED_AFTER_S)  # typed just after: the "yes" is already on its way
    await harness.sim.whatsapp(CUSTOMER, text=f"wait no, not {weekday}, he's at my mum's then")
    answered = await eventually(lambda: _bodies(harness), lambda bodies: len(bodies) >= 2)
    assert "haven't booked" in answered[1] and "instead" in answered[1], answered
    assert "confirmed" not in (await bookings(harness)).values()  # the draft is declined


async def _bodies(h: Harness) -> list[str]:
    return [str(m["body"]) for m in await h.sandbox_messages() if m["to"] == f"whatsapp:{CUSTOMER}"]


async def test_a_request_in_three_quick_messages_gets_one_answer_reading_all_three(
    harness: Harness,
) -> None:
    await harness.opt_in(CUSTOMER)
    day = open_weekday()
    for text in ("can max come in", f"on {said(day)}", "at 11 please"):
        await harness.sim.whatsapp(CUSTOMER, text=text)
        await asyncio.sleep(TYPED_AFTER_S)  # each typed a second after the one before
    answered = await eventually(lambda: _bodies(harness), lambda bodies: len(bodies) >= 1)
    await asyncio.sleep(READS_FOR_S)  # nothing else comes
    answered = await _bodies(harness)
    assert len(answered) == 1, answered
    assert said(day) in answered[0] and "11:00" in answered[0] and "Max" in answered[0], answered


async def test_stop_sent_in_a_burst_is_a_message_of_its_own(harness: Harness) -> None:
    await harness.opt_in(CUSTOMER)
    await harness.sim.whatsapp(CUSTOMER, text="hi")
    await harness.sim.whatsapp(CUSTOMER, text="STOP")
    answered = await eventually(lambda: _bodies(harness), lambda bodies: STOPPED in bodies)
    assert len(answered) == 2, answered  # "hi" answered, then the opt-out confirmed
