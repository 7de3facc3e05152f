"""The customer's queue of unsent WhatsApp replies: replies Twilio did not take, retried in order.

A reply is sent at once, or queued behind earlier replies that are still waiting, so nothing
newer overtakes them. ``CustomerWorkflow.run`` wakes every ``UNSENT_RETRY_EVERY`` while the queue
is not empty and drains it oldest first. The queue lives in ``CustomerState.unsent``, so it
survives continue-as-new.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

from workflows.policies import application_failure

with workflow.unsafe.imports_passed_through():
    from activities.types import SendWhatsAppInput
    from activities.whatsapp import WhatsAppActivities
    from workflows.types import CustomerState

# Short on purpose: a longer outage is handled by the workflow's own queue of unsent replies
# (retried every minute, in order), so one customer's turns are not held up for minutes.
SEND_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=5),
    maximum_attempts=4,
)
UNSENT_RETRY_EVERY = timedelta(minutes=1)


def _non_retryable(exc: ActivityError | ApplicationError) -> bool:
    failure = application_failure(exc)  # a local activity's failure comes unwrapped
    return failure is not None and failure.non_retryable


class UnsentReplies:
    """Sends WhatsApp replies through ``state.unsent``."""

    def __init__(self, state: CustomerState) -> None:
        self._state = state

    @property
    def waiting(self) -> bool:
        """True while replies are queued (the run loop then wakes up to retry them)."""
        return bool(self._state.unsent)

    async def send(self, message: SendWhatsAppInput) -> bool:
        """Send now, or queue behind replies still waiting for Twilio. True when sent."""
        if self._state.unsent:
            self._state.unsent = [*self._state.unsent, message]
            return False
        if await self._try_send(message):
            return True
        self._state.unsent = [message]
        return False

    async def drain(self) -> None:
        """Send queued replies in order; stop at the first that still cannot go (the outbox
        key makes a retried send of one that did reach Twilio a no-op)."""
        while self._state.unsent:
            if not await self._try_send(self._state.unsent[0]):
                return
            self._state.unsent = self._state.unsent[1:]

    def failed(self, message: SendWhatsAppInput, exc: ActivityError | ApplicationError) -> None:
        """``message`` was sent by another activity (one that sends as its last step) and
        failed with ``exc``: queued as ``send`` would have queued it, or dropped when Twilio
        refused it for good. The outbox key makes a later send of one that did reach Twilio a
        no-op."""
        if not self._settled(message, exc):
            self._state.unsent = [*self._state.unsent, message]

    async def _try_send(self, message: SendWhatsAppInput) -> bool:
        try:
            await workflow.execute_activity_method(
                WhatsAppActivities.send,
                message,
                start_to_close_timeout=timedelta(seconds=15),
                retry_policy=SEND_RETRY,
            )
        except ActivityError as exc:
            return self._settled(message, exc)
        return True

    def _settled(self, message: SendWhatsAppInput, exc: ActivityError | ApplicationError) -> bool:
        """After a failed send: True when retrying cannot help (the message is dropped)."""
        if _non_retryable(exc):
            # Twilio refused this message itself (e.g. a bad number): waiting won't help.
            workflow.logger.error("WhatsApp reply refused", extra={"key": message.key})
            return True
        workflow.logger.warning("WhatsApp unavailable; reply queued", extra={"key": message.key})
        return False
