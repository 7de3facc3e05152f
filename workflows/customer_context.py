"""What the parts of one CustomerWorkflow run share: the customer, the state that survives
continue-as-new, and the flags taken once per run.

``CustomerWorkflow`` (``customer.py``) builds one and hands it to the turn pipeline
(``turn.py``), the call events (``call_events.py``) and the journey router
(``journey_router.py``). They all read and write the same ``state`` object, so it is changed in
place, never replaced.
"""

from __future__ import annotations

from dataclasses import dataclass

from temporalio import workflow

from workflows.policies import db_activity

with workflow.unsafe.imports_passed_through():
    from activities.conversation import ConversationActivities
    from activities.types import LogMessageInput
    from workflows.types import CustomerState


@dataclass
class CustomerContext:
    """One customer's run as the parts of ``CustomerWorkflow`` see it."""

    e164: str
    state: CustomerState
    # ``workflow.patched("customer-local-db")``, set at the top of ``CustomerWorkflow.run``
    # before anything reads it: short Postgres and CPU work runs as local activities.
    local_db: bool = False

    async def log(self, entry: LogMessageInput) -> None:
        """Write one row of the conversation log (an upsert on ``entry.key``)."""
        await db_activity(
            ConversationActivities.log,
            entry,
            local=self.local_db,
        )
