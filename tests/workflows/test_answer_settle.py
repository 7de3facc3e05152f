"""A "yes" and a "wait no" sent together are one answer (held-out set 28): a message that may
answer a live proposal waits a moment for the messages sent with it
(``workflows.customer.ANSWER_SETTLE``), so nothing is booked and the customer is asked for
another day. Real Temporal, Postgres, the rules agent and the fake Twilio; messages arrive
through the signed WhatsApp webhook."""

from __future__ import annotations

import asyncio

from tests.conftest import Harness
from tests.polling import eventually
from tests.workflows.test_several_changes import CUSTOMER, bookings, open_weekday, said, says

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
