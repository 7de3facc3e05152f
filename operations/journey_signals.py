"""Signals to journey runs sent with a Temporal client, for the worker's
``customer.tell_journey`` activity (``activities/customer_link.py``)."""

from __future__ import annotations

from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import SignalWorkflowExecutionRequest
from temporalio.client import Client
from temporalio.converter import WorkflowSerializationContext
from temporalio.service import RPCError, RPCStatusCode

from activities.types import TellJourneyInput
from workflows.journey import JourneyWorkflow
from workflows.types import JourneyEvent

# The run's signal, by the name the workflow registers it under.
EVENT_SIGNAL = JourneyWorkflow.event.__name__


async def tell_journey(client: Client, tell: TellJourneyInput) -> bool:
    """Signal ``JourneyWorkflow.event`` to the latest run of ``tell.journey_id`` with
    ``tell.request_id`` as the request's ID, which Temporal deduplicates per run
    ("SignalWorkflowExecutionRequest.request_id: used to de-dupe sent signals", Temporal API),
    so a retried or replayed activity signals once, as a workflow's own signal command does.
    The event is encoded with the client's data converter for the run's ID (the customer's
    payload key). Returns False when no run of that ID is running; raises ``RPCError``
    otherwise."""
    converter = client.data_converter.with_context(
        WorkflowSerializationContext(namespace=client.namespace, workflow_id=tell.journey_id)
    )
    request = SignalWorkflowExecutionRequest(
        namespace=client.namespace,
        workflow_execution=WorkflowExecution(workflow_id=tell.journey_id),
        signal_name=EVENT_SIGNAL,
        identity=client.identity,
        request_id=tell.request_id,
    )
    request.input.payloads.extend(
        await converter.encode([JourneyEvent(kind=tell.kind, data=tell.data)])
    )
    try:
        await client.workflow_service.signal_workflow_execution(request, retry=True)
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return False
        raise
    return True
