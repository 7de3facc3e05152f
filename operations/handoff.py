"""A person in the console takes over a customer's WhatsApp conversation: their replies and the
hand back go to the customer's workflow as Updates (started if needed), so they are sent in
turn with the customer's messages, through the outbox, like the agent's replies."""

from __future__ import annotations

from temporalio.client import Client

from operations.ingest import start_customer
from operations.product_events import connected, hand_over
from switchboard.db.engine import Database
from switchboard.db.handoffs import close_handoffs
from workflows.customer import CustomerWorkflow
from workflows.types import HandBackInput, HumanReplyInput, HumanReplyResult


async def human_reply(
    client: Client, e164: str, reply: HumanReplyInput, task_queue: str
) -> HumanReplyResult:
    """Send ``reply`` and wait until Twilio took it (or it is queued behind replies waiting
    for Twilio). The Update ID is ``reply.id``: the same ID sent twice sends once. Raises
    ``temporalio.client.WorkflowUpdateFailedError`` when the validator refuses the input."""
    return await client.execute_update_with_start_workflow(
        CustomerWorkflow.human_reply,
        reply,
        id=reply.id,
        start_workflow_operation=start_customer(e164, task_queue),
    )


async def hand_back(client: Client, e164: str, person: str, task_queue: str) -> None:
    """Give the conversation back to the agent."""
    await client.execute_update_with_start_workflow(
        CustomerWorkflow.hand_back,
        HandBackInput(person=person),
        start_workflow_operation=start_customer(e164, task_queue),
    )


async def close(client: Client, db: Database, e164: str, task_queue: str) -> list[str]:
    """Close the customer's open handoffs and tell their journeys: one ``handoff_closed``
    business event per handoff (outcome ``handed_back``; ``operations.product_events``).
    Returns the keys closed (none when called again)."""
    async with db.session() as s:
        closed = await close_handoffs(s, customer_e164=e164)

    for key, queue in closed:
        await hand_over(
            connected(client),
            task_queue,
            customer=e164,
            event="handoff_closed",
            about=key,
            data={"handoff_id": key, "queue": queue, "outcome": "handed_back"},
        )
    return [key for key, _queue in closed]
