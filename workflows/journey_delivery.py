"""What a journey run does when Twilio reports, after the fact, that one of its WhatsApp
messages was not delivered.

Twilio accepts a WhatsApp message (201, ``queued``) and reports its fate later, in status
callbacks (``switchboard.delivery``): 63016 ("outside the allowed window") and most delivery
failures arrive as ``failed``/``undelivered`` with an ``ErrorCode``, not as an error of the send.
The status route hands a failure to the customer's workflow, which forwards it here as a
``message_failed`` event (``key``, ``sid``, ``status``, ``error_code``); a failure already
recorded when the send stored its SID comes back in the send's result instead.

- **63016 on free text** (the window closed as Twilio sees it, though open as we saw it) and the
  step has a ``template``: the template is sent instead, once (its own outbox key,
  ``<key>/template``: a retried or replayed send is the same send), and the run goes on.
- **Any other failure** (or 63016 without a template, or on the template itself): a log line in
  the conversation, counted (``undelivered`` in the run's outcome, and the worker metric
  ``switchboard_journey_messages_failed`` by journey, status and error code), and, if the step
  has ``on_failed`` and the run has sent nothing since (no later message, no call), the run
  leaves the step it is in (a wait, typically) for ``on_failed``; the question the message
  asked, if any, is withdrawn from the customer's pending action.

Failures are handled at the next step boundary or during any wait of the run (``pending``
wakes the waits). Each send key is handled once, however often Twilio reports it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.types import SendResult, SendWhatsAppInput
    from switchboard import delivery
    from switchboard.journeys.schema import SendWhatsApp
    from workflows.types import JourneyEvent

MESSAGE_FAILED = "message_failed"
TEMPLATE_SUFFIX = "/template"


class SendFailed(Exception):  # noqa: N818 - a jump, like JourneyExited
    """A message failed and its step has ``on_failed``: the run continues at ``step``."""

    def __init__(self, step: str) -> None:
        super().__init__(step)
        self.step = step


@dataclass
class _Sent:
    step: str
    message: SendWhatsAppInput


@dataclass
class DeliveryFailures:
    """One run's sends and the failures Twilio reported of them. ``send`` sends one message
    (the run's WhatsApp send activity, with its queue and retries); ``log`` writes a log line;
    ``withdraw_offer`` withdraws the run's question from the customer's pending action."""

    steps: Callable[[str], SendWhatsApp | None]
    journey: str
    send: Callable[[SendWhatsAppInput], Awaitable[SendResult]]
    log: Callable[[str], Awaitable[None]]
    withdraw_offer: Callable[[], Awaitable[None]]
    undelivered: int = 0
    _sent: dict[str, _Sent] = field(default_factory=dict)
    _latest: str | None = None
    _failures: list[JourneyEvent] = field(default_factory=list)
    _handled: set[str] = field(default_factory=set)

    @property
    def pending(self) -> bool:
        """Failures of this run's sends not handled yet (the run's waits wake up for them)."""
        return any(self._ready(event) for event in self._failures)

    def _ready(self, event: JourneyEvent) -> bool:
        return event.data.get("key") in self._sent

    def observe(self, event: JourneyEvent) -> None:
        """Called by the run's ``event`` signal handler for every event. A failure may arrive
        before the run has seen its send complete (signals are applied first): it waits."""
        if event.kind == MESSAGE_FAILED and event.data.get("key"):
            self._failures.append(event)

    def sent(self, step: str, message: SendWhatsAppInput, result: SendResult) -> None:
        """A message of ``step`` went out; a failure already known comes with ``result``."""
        self._sent[message.key] = _Sent(step=step, message=message)
        self._latest = message.key
        if result.delivery_status in delivery.FAILED:
            data = {"key": message.key, "sid": result.sid, "status": result.delivery_status}
            if result.error_code:
                data["error_code"] = result.error_code
            self._failures.append(JourneyEvent(kind=MESSAGE_FAILED, data=data))

    def called(self) -> None:
        """The run placed a call: earlier messages' failures no longer redirect it."""
        self._latest = None

    async def handle(self) -> None:
        """Handle the reported failures (module docstring). Raises ``SendFailed`` to jump to a
        step's ``on_failed``."""
        if not self.pending:
            return
        # Runs recorded before delivery failures reached journeys never get here.
        if not workflow.patched("journey-delivery-failures"):
            self._failures.clear()
            return
        while ready := [e for e in self._failures if self._ready(e)]:
            event = ready[0]
            self._failures.remove(event)
            key = event.data["key"]
            if key in self._handled:
                continue
            self._handled.add(key)
            await self._one(key, event.data)

    async def _one(self, key: str, data: dict[str, str]) -> None:
        sent = self._sent[key]
        step = self.steps(sent.step)
        status, code = data.get("status", "failed"), data.get("error_code")
        message = sent.message
        if (
            code == delivery.OUTSIDE_WINDOW
            and not message.template_only
            and message.template is not None
        ):
            await self.log(
                f"{sent.step}: Twilio refused the message outside the 24-hour window (63016): "
                "sending the template instead"
            )
            retry = message.model_copy(
                update={"key": f"{key}{TEMPLATE_SUFFIX}", "template_only": True}
            )
            latest = self._latest
            try:
                result = await self.send(retry)
            except ActivityError as exc:
                await self.log(f"{sent.step}: the template could not be sent: {exc.cause or exc}")
            else:
                self.sent(sent.step, retry, result)
                if latest != key:  # the run sent or called since: the template is not its latest
                    self._latest = latest
                return
        self.undelivered += 1
        workflow.metric_meter().create_counter(
            "switchboard_journey_messages_failed",
            "Journey WhatsApp messages Twilio reported failed or undelivered",
        ).add(1, {"journey": self.journey, "status": status, "error_code": code or ""})
        await self.log(
            f"{sent.step}: WhatsApp message {status}" + (f" (Twilio error {code})" if code else "")
        )
        if step is not None and step.on_failed and key == self._latest:
            self._latest = None
            await self.withdraw_offer()
            raise SendFailed(step.on_failed)
