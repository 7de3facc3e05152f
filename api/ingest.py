"""Hand inbound events to the customer's workflow (update-with-start / signal-with-start)."""

from __future__ import annotations

from temporalio.client import (
    Client,
    WithStartWorkflowOperation,
)
from temporalio.common import WorkflowIDConflictPolicy

from switchboard.temporal import customer_workflow_id
from workflows.customer import CustomerWorkflow
from workflows.types import (
    CallEndedInput,
    CallStartedInput,
    CustomerInput,
    InboundInput,
    TurnResult,
)


def _start_operation(
    e164: str, task_queue: str
) -> WithStartWorkflowOperation[CustomerWorkflow, None]:
    return WithStartWorkflowOperation(
        CustomerWorkflow.run,
        CustomerInput(e164=e164),
        id=customer_workflow_id(e164),
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        task_queue=task_queue,
    )


async def accept_message(client: Client, e164: str, msg: InboundInput, task_queue: str) -> None:
    """Hand a WhatsApp message to the customer's workflow and return without waiting for any
    worker (signal-with-start is durable on the Temporal server when this returns): the webhook
    acks in milliseconds however busy the workers are. Redeliveries are deduplicated by the SID,
    unique in Postgres and remembered by the workflow."""
    await client.start_workflow(
        CustomerWorkflow.run,
        CustomerInput(e164=e164),
        id=customer_workflow_id(e164),
        task_queue=task_queue,
        start_signal="message",
        start_signal_args=[msg],
    )


async def run_turn(client: Client, e164: str, msg: InboundInput, task_queue: str) -> TurnResult:
    """Run a caller turn to completion and return the reply (voice needs it for TwiML)."""
    return await client.execute_update_with_start_workflow(
        CustomerWorkflow.inbound,
        msg,
        id=msg.sid,
        start_workflow_operation=_start_operation(e164, task_queue),
    )


async def call_started(client: Client, e164: str, event: CallStartedInput, task_queue: str) -> None:
    await client.start_workflow(
        CustomerWorkflow.run,
        CustomerInput(e164=e164),
        id=customer_workflow_id(e164),
        task_queue=task_queue,
        start_signal="call_started",
        start_signal_args=[event],
    )


async def call_ended(client: Client, e164: str, event: CallEndedInput, task_queue: str) -> None:
    await client.start_workflow(
        CustomerWorkflow.run,
        CustomerInput(e164=e164),
        id=customer_workflow_id(e164),
        task_queue=task_queue,
        start_signal="call_ended",
        start_signal_args=[event],
    )
