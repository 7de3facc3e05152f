"""Hand inbound events to the customer's workflow (update-with-start / signal-with-start)."""

from __future__ import annotations

from datetime import timedelta

from temporalio.client import (
    Client,
    WithStartWorkflowOperation,
    WorkflowExecutionStatus,
)
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.service import RPCError, RPCStatusCode

from switchboard.temporal import customer_workflow_id
from workflows.customer import CustomerWorkflow
from workflows.types import (
    CallEndedInput,
    CallStartedInput,
    CallTurnInput,
    CallView,
    CustomerInput,
    InboundInput,
    TurnResult,
)

# A call's state is read before each caller turn: a slow answer is a silent caller.
QUERY_TIMEOUT = timedelta(seconds=5)


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


async def _signal_with_start(
    client: Client, e164: str, signal: str, arg: object, task_queue: str
) -> None:
    """Signal the customer's workflow, starting it if needed; durable on the Temporal server
    when this returns, without waiting for any worker."""
    await client.start_workflow(
        CustomerWorkflow.run,
        CustomerInput(e164=e164),
        id=customer_workflow_id(e164),
        task_queue=task_queue,
        start_signal=signal,
        start_signal_args=[arg],
    )


async def accept_message(client: Client, e164: str, msg: InboundInput, task_queue: str) -> None:
    """Hand a WhatsApp message to the customer's workflow and return without waiting for any
    worker: the webhook acks however busy the workers are. Redeliveries are deduplicated by the
    SID, unique in Postgres and remembered by the workflow."""
    await _signal_with_start(client, e164, "message", msg, task_queue)


async def run_turn(client: Client, e164: str, msg: InboundInput, task_queue: str) -> TurnResult:
    """Run a caller turn to completion and return the reply (voice needs it for TwiML)."""
    return await client.execute_update_with_start_workflow(
        CustomerWorkflow.inbound,
        msg,
        id=msg.sid,
        start_workflow_operation=_start_operation(e164, task_queue),
    )


async def call_started(client: Client, e164: str, event: CallStartedInput, task_queue: str) -> None:
    await _signal_with_start(client, e164, "call_started", event, task_queue)


async def call_ended(client: Client, e164: str, event: CallEndedInput, task_queue: str) -> None:
    await _signal_with_start(client, e164, "call_ended", event, task_queue)


async def call_turn(client: Client, e164: str, turn: CallTurnInput) -> TurnResult:
    """Carry out one caller turn of a real-time call and return the reply to speak. The Update
    ID is ``turn.sid`` (``<CallSid>/<turn>``): sent twice, it runs once and both get the result.
    The customer's workflow exists already (the call's start signal started it)."""
    handle = client.get_workflow_handle(customer_workflow_id(e164))
    return await handle.execute_update(CustomerWorkflow.call_turn, turn, id=turn.sid)


async def call_view(
    client: Client, e164: str, call_sid: str, *, timeout: timedelta = QUERY_TIMEOUT
) -> CallView:
    """The call as the customer's workflow holds it (open, goal, pending action). A customer
    without a running workflow has no open call (a query to a closed run would wait for a
    worker of its old task queue). Raises ``RPCError`` when Temporal does not answer within
    ``timeout``."""
    handle = client.get_workflow_handle(customer_workflow_id(e164))
    try:
        described = await handle.describe(rpc_timeout=timeout)
    except RPCError as exc:
        if exc.status is RPCStatusCode.NOT_FOUND:
            return CallView(open=False)
        raise
    if described.status is not WorkflowExecutionStatus.RUNNING:
        return CallView(open=False)
    return await handle.query(CustomerWorkflow.call_view, call_sid, rpc_timeout=timeout)
