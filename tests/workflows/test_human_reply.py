"""A person answers a handed-off customer from the console: the reply goes through the
customer's workflow and the outbox and reaches the fake Twilio exactly once (a double submit
too), the agent stays silent while the person holds the conversation, and answers again once
the person hands it back (the handoff then closed). Reads and replies are in the audit log."""

from __future__ import annotations

import re

from sqlmodel import select

from switchboard.access import Role
from switchboard.db.access import audit_entries, create_key
from switchboard.db.models import Handoff, Message
from switchboard.temporal import customer_workflow_id
from switchboard.timeline import render
from tests.conftest import Harness
from tests.polling import eventually
from workflows.customer import CustomerWorkflow

CUSTOMER = "+33612345671"
REPLY = "Hello, this is Ana from the clinic: I can move you to Friday 10am. Shall I?"


async def to_customer(h: Harness) -> list[dict[str, object]]:
    return [m for m in await h.sandbox_messages() if m["to"] == f"whatsapp:{CUSTOMER}"]


async def inbound_rows(h: Harness) -> list[Message]:
    async with h.db.session() as s:
        rows = await s.exec(
            select(Message).where(Message.customer_e164 == CUSTOMER, Message.direction == "inbound")
        )
        return list(rows.all())


async def reply_form(h: Harness) -> str:
    page = await h.api.get(f"/console/customers/{CUSTOMER}")
    assert page.status_code == 200, page.text
    match = re.search(r'name="reply_id" value="([0-9a-f]{32})"', page.text)
    assert match
    return match.group(1)


async def test_a_person_replies_once_the_agent_stays_silent_then_takes_over_again(
    harness: Harness,
) -> None:
    h = harness
    await h.opt_in(CUSTOMER)
    await h.sim.whatsapp(CUSTOMER, text="this is ridiculous, I want to speak to a person")
    [agent_reply] = await eventually(lambda: to_customer(h), lambda m: len(m) >= 1)

    async with h.db.session() as s:
        _, key = await create_key(s, person="Ana", role=Role.AGENT, created_by="test")
    signed = await h.api.post("/console/sign-in", data={"key": key.token})
    assert signed.status_code == 303
    inbox = await h.api.get("/console/handoffs")
    assert CUSTOMER in inbox.text and "ridiculous" in inbox.text

    reply_id = await reply_form(h)
    form = {"text": REPLY, "reply_id": reply_id}
    first = await h.api.post(f"/console/customers/{CUSTOMER}/reply", data=form)
    again = await h.api.post(f"/console/customers/{CUSTOMER}/reply", data=form)  # double submit
    assert first.status_code == again.status_code == 303
    sent = await to_customer(h)
    assert [m["body"] for m in sent] == [agent_reply["body"], REPLY], "exactly once"

    # The customer writes while the person holds the conversation: logged, no agent reply.
    await h.sim.whatsapp(CUSTOMER, text="ok what time on friday?")
    await eventually(lambda: inbound_rows(h), lambda rows: len(rows) >= 2)
    # A second reply is queued behind that turn in the workflow: when it is sent, the turn
    # is over, so anything the agent said would be before it.
    second = await h.api.post(
        f"/console/customers/{CUSTOMER}/reply",
        data={"text": "10am works, booked.", "reply_id": await reply_form(h)},
    )
    assert second.status_code == 303
    bodies = [m["body"] for m in await to_customer(h)]
    assert bodies == [agent_reply["body"], REPLY, "10am works, booked."], "the agent was silent"
    handle = h.temporal.get_workflow_handle(customer_workflow_id(CUSTOMER))
    assert await handle.query(CustomerWorkflow.held_by) == "Ana"

    back = await h.api.post(f"/console/customers/{CUSTOMER}/hand-back")
    assert back.status_code == 303 and back.headers["location"] == "/console/handoffs"
    async with h.db.session() as s:
        handoff = (await s.exec(select(Handoff).where(Handoff.customer_e164 == CUSTOMER))).one()
    assert handoff.status == "closed"
    assert CUSTOMER not in (await h.api.get("/console/handoffs")).text

    await h.sim.whatsapp(CUSTOMER, text="thanks! also can I book Tuesday at 10am for my cat")
    after = await eventually(lambda: to_customer(h), lambda m: len(m) >= 4)
    assert len(after) == 4, "the agent answers again"

    timeline = (await h.api.get(f"/console/customers/{CUSTOMER}")).text
    assert REPLY.split(":")[0] in timeline and "handed back to the agent by Ana" in timeline
    async with h.db.session() as s:
        replies = await audit_entries(s, action="conversation.reply")
        reads = await audit_entries(s, action="conversation.read")
    assert [(r.person, r.target) for r in replies] == [("Ana", CUSTOMER)] * 3
    assert reads and all(r.person == "Ana" for r in reads)

    # `switchboard conversation` says who wrote each line: the person's replies are the team's,
    # not the agent's (they used to read "agent").
    api_key = {"X-API-Key": h.settings.api_key.get_secret_value()}
    read = await h.api.get(f"/customers/{CUSTOMER}/conversation", headers=api_key)
    printed = render(read.json())
    assert f"← team     {REPLY}" in printed and "← team     10am works, booked." in printed
    assert f"← agent    {agent_reply['body']}" in printed
