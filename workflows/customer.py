"""CustomerWorkflow: one per customer (``customer/<E164>``), serialising turns across channels.

Inbound messages arrive as Updates (``inbound``, Update ID = Twilio SID), call events as
signals. A single loop processes them in arrival order, so a WhatsApp message and a caller turn
for the same customer never race; WhatsApp messages that queue up while a turn runs are merged
into one turn with one reply. Workflow state holds IDs, the pending action and open calls; the
conversation itself lives in Postgres.

This module is the loop and its message handlers; the work is done by the parts it composes:
``turn.py`` (a turn: ingest → agent → apply the intent → respond), ``call_events.py`` (a call's
start and end), ``journey_router.py`` (events to journeys, journeys started by triggers),
``unsent_replies.py`` (replies Twilio did not take, retried in order) and ``customer_texts.py``
(what the customer reads or hears when the workflow answers itself).
"""

from __future__ import annotations

import contextlib
import functools
from datetime import timedelta

from temporalio import workflow

from workflows.call_events import CallEvents
from workflows.customer_context import (
    DECIDE_WITH_TRANSCRIPT_PATCH,
    JOURNEYS_TOLD_LOCALLY_PATCH,
    LEAN_TURNS_PATCH,
    TURN_LOCAL_PATCH,
    VOICE_REPLY_PATCH,
    CustomerContext,
)
from workflows.customer_texts import is_consent_keyword
from workflows.human_replies import HumanReplies, reply_key, validate_reply
from workflows.journey_router import JourneyRouter
from workflows.turn import TurnPipeline
from workflows.unsent_replies import UNSENT_RETRY_EVERY, UnsentReplies

with workflow.unsafe.imports_passed_through():
    from activities.journey_types import JourneyStartRequest
    from switchboard.agent_models import Channel, PendingAction
    from switchboard.temporal import CUSTOMER_PHONE
    from workflows.types import (
        BusinessEventInput,
        CallAnsweredByInput,
        CallEndedInput,
        CallStartedInput,
        CallTurnInput,
        CallView,
        CustomerInput,
        CustomerState,
        HandBackInput,
        HumanReplyInput,
        HumanReplyResult,
        InboundInput,
        JourneyEvent,
        JourneyRunInput,
        MessageFailedInput,
        OfferInput,
        TurnResult,
    )

RECENT_RESULTS = 50
# How long a WhatsApp text waits for the messages typed after it (a burst: "need to move max's
# appointment" / "the wednesday one" / "to friday", each its own webhook), so the burst is read
# as one message and answered once. Each message of the burst waits this long again, up to
# ``BURST_LIMIT`` after the first; a voice note, a photo or STOP/START is answered at once
# (docs/architecture.md, "Turn order"). It delays every text reply by as much.
ANSWER_SETTLE = timedelta(seconds=2)
BURST_LIMIT = timedelta(seconds=10)
# Runs recorded before ``BURST_SETTLE_PATCH`` waited only when the message could answer a live
# proposal, and only for one more message (``ANSWER_SETTLE_PATCH``).
ANSWER_SETTLE_PATCH = "answer-settle"
BURST_SETTLE_PATCH = "burst-settle"

_Event = (
    InboundInput
    | CallTurnInput
    | CallStartedInput
    | CallEndedInput
    | JourneyStartRequest
    | BusinessEventInput
    | HumanReplyInput
)


def _consent_keyword(*messages: InboundInput) -> bool:
    """Whether one of ``messages`` is STOP or START as a whole message."""
    return any(is_consent_keyword(m.text) for m in messages)


@workflow.defn
class CustomerWorkflow:
    @workflow.init
    def __init__(self, input: CustomerInput) -> None:
        self._e164 = input.e164
        self._state: CustomerState = input.state
        self._queue: list[_Event] = []
        self._queued: set[str] = set()
        self._results: dict[str, TurnResult] = {}
        # The parts share this context, and with it ``self._state``.
        self._customer = CustomerContext(e164=self._e164, state=self._state)
        self._unsent = UnsentReplies(self._state)
        self._human = HumanReplies(self._customer, self._unsent)
        self._human_results: dict[str, HumanReplyResult] = {}
        self._journeys = JourneyRouter(self._customer)
        self._turns = TurnPipeline(self._customer, self._journeys, self._unsent)
        self._calls = CallEvents(self._customer, self._journeys)

    @workflow.run
    async def run(self, input: CustomerInput) -> None:
        # Log lines, journey matches, booking reads and audio normalisation (a few ms of Postgres
        # or CPU each) run as local activities: an ordinary activity's two server round trips
        # cost more than the work and sat on every turn's critical path (bench suite 2).
        # Runs recorded before this kept ordinary activities.
        self._customer.local_db = workflow.patched("customer-local-db")
        self._customer.lean_turns = workflow.patched(LEAN_TURNS_PATCH)
        self._customer.voice_reply_in_one = workflow.patched(VOICE_REPLY_PATCH)
        self._customer.decide_with_transcript = workflow.patched(DECIDE_WITH_TRANSCRIPT_PATCH)
        self._customer.journeys_told_locally = workflow.patched(JOURNEYS_TOLD_LOCALLY_PATCH)
        self._customer.turn_local = workflow.patched(TURN_LOCAL_PATCH)
        # A run continued-as-new inherits its search attributes: no upsert (an event and a
        # visibility write) for a value already there.
        if (
            not self._customer.lean_turns
            or workflow.info().typed_search_attributes.get(CUSTOMER_PHONE) != self._e164
        ):
            workflow.upsert_search_attributes([CUSTOMER_PHONE.value_set(self._e164)])
        while True:
            try:
                await workflow.wait_condition(
                    lambda: bool(self._queue) or workflow.info().is_continue_as_new_suggested(),
                    timeout=UNSENT_RETRY_EVERY if self._unsent.waiting else None,
                    timeout_summary="retry unsent replies",
                )
            except TimeoutError:
                await self._unsent.drain()
                continue
            if self._queue:
                await self._process_next()
                continue
            # History is long: hand the small state to a fresh run once every Update handler
            # has returned its result (none is lost; queued work is drained first).
            await workflow.wait_condition(workflow.all_handlers_finished)
            if not self._queue:
                workflow.continue_as_new(CustomerInput(e164=self._e164, state=self._state))

    # -- message passing -------------------------------------------------------------------

    @workflow.update
    async def inbound(self, msg: InboundInput) -> TurnResult:
        """Run (or join) the turn for one inbound message and return the reply."""
        if msg.sid in self._results:
            return self._results[msg.sid]
        if msg.sid in self._state.recent_sids:
            # Seen before continue-as-new: the turn ran and its reply went out already.
            return TurnResult(reply="", hangup=False)
        if msg.sid not in self._queued:
            self._queued.add(msg.sid)
            self._queue.append(msg)
        await workflow.wait_condition(lambda: msg.sid in self._results)
        return self._results[msg.sid]

    @inbound.validator
    def validate_inbound(self, msg: InboundInput) -> None:
        if not msg.sid:
            raise ValueError("sid is required")
        if msg.channel is Channel.VOICE and not msg.call_sid:
            raise ValueError("call_sid is required for a voice turn")
        if not msg.text.strip() and not msg.media:
            raise ValueError("a message needs text or media")

    @workflow.update
    async def call_turn(self, turn: CallTurnInput) -> TurnResult:
        """Log and carry out one caller turn of a real-time call, in order with the customer's
        other turns, and return the reply to speak (Update ID = ``turn.sid``)."""
        if turn.sid in self._results:
            return self._results[turn.sid]
        if turn.sid in self._state.recent_sids:
            return TurnResult(reply="", hangup=False)
        if turn.sid not in self._queued:
            self._queued.add(turn.sid)
            self._queue.append(turn)
        await workflow.wait_condition(lambda: turn.sid in self._results)
        return self._results[turn.sid]

    @call_turn.validator
    def validate_call_turn(self, turn: CallTurnInput) -> None:
        if not turn.sid.startswith(f"{turn.call_sid}/"):
            raise ValueError("sid must be <CallSid>/<turn>")

    @workflow.update
    async def human_reply(self, reply: HumanReplyInput) -> HumanReplyResult:
        """A person's WhatsApp reply from the console, sent in turn with the customer's other
        work (Update ID = ``reply.id``); from then on the agent stays silent on WhatsApp until
        ``hand_back``."""
        key = reply_key(reply.id)
        if key in self._human_results:
            return self._human_results[key]
        if key in self._state.recent_sids:
            return HumanReplyResult(key=key, sent=True)  # sent before continue-as-new
        self._enqueue(key, reply)
        await workflow.wait_condition(lambda: key in self._human_results)
        return self._human_results[key]

    @human_reply.validator
    def validate_human_reply(self, reply: HumanReplyInput) -> None:
        validate_reply(reply)

    @workflow.update
    async def hand_back(self, event: HandBackInput) -> None:
        """The person is done: the agent answers the customer's next messages again."""
        await self._human.hand_back(event)

    @workflow.query
    def held_by(self) -> str | None:
        """Who holds the conversation (``queue:<queue>`` or a person); None: the agent."""
        return self._state.held_by

    @workflow.query
    def call_view(self, call_sid: str) -> CallView:
        """Call ``call_sid`` as the media process needs it: open or over, the agent's goal, the
        pending action (expired ones left out) and the caller's identity (what the agent may
        be shown, ``switchboard/verification.py``)."""
        call = self._state.calls.get(call_sid)
        if call is None:
            return CallView(open=False)
        pending = self._state.pending
        if pending is not None and pending.expires_at <= workflow.now():
            pending = None
        return CallView(
            open=True,
            hung_up=call.hung_up,
            goal=call.goal,
            pending=pending,
            identity=self._turns.identity.trust(Channel.VOICE, call_sid),
        )

    @workflow.signal
    def message(self, msg: InboundInput) -> None:
        """A WhatsApp message handed over without waiting for its turn: the webhook answers as
        soon as Temporal has it. Redeliveries of a SID already queued or handled are ignored
        (the SID is also unique in Postgres)."""
        if msg.sid in self._results or msg.sid in self._state.recent_sids:
            return
        if msg.sid not in self._queued:
            self._queued.add(msg.sid)
            self._queue.append(msg)

    @workflow.signal
    def call_started(self, event: CallStartedInput) -> None:
        self._enqueue(f"start/{event.call_sid}", event)

    @workflow.signal
    def call_ended(self, event: CallEndedInput) -> None:
        self._enqueue(f"end/{event.call_sid}", event)

    @workflow.signal
    async def call_answered_by(self, event: CallAnsweredByInput) -> None:
        """Who picked up a call Switchboard placed (Twilio's answering machine detection).
        Applied on arrival, not queued: it must reach the call before the call's end does."""
        await self._calls.answered(event)

    @workflow.signal
    async def message_failed(self, event: MessageFailedInput) -> None:
        """Twilio did not deliver a message a journey sent (status callback ``failed`` or
        ``undelivered``): forwarded on arrival to the journey that owns the send (its outbox
        key starts with the journey's workflow ID) as a ``message_failed`` event. A journey no
        longer running has nobody to tell."""
        await self._journeys.learn_launched()  # the run may be one an audience launch started
        journey_id = next((j for j in self._state.journeys if event.key.startswith(f"{j}/")), None)
        if journey_id is None:
            workflow.logger.info("message failure for no running journey", extra={"key": event.key})
            return
        data = {"key": event.key, "sid": event.sid, "status": event.status}
        if event.error_code:
            data["error_code"] = event.error_code
        await self._journeys.tell(journey_id, JourneyEvent(kind="message_failed", data=data))

    @workflow.signal
    def start_journey(self, request: JourneyStartRequest) -> None:
        """Put the customer into a journey (audience launches come this way)."""
        self._enqueue(f"journey/{request.definition.name}/{request.trigger.key}", request)

    @workflow.signal
    def journey_started(self, run: JourneyRunInput) -> None:
        """A run an audience launch started itself: forward it the customer's events from now
        on, as for a run this workflow started (its end comes as ``journey_ended``)."""
        self._journeys.follow(run.journey_id, run.listens)

    @workflow.signal
    def business_event(self, event: BusinessEventInput) -> None:
        """An event from the business's own systems (``POST /events``), in turn with the
        customer's messages; a redelivered idempotency key is ignored."""
        self._enqueue(f"event/{event.idempotency_key}", event)

    @workflow.signal
    def offer(self, offer: OfferInput) -> None:
        """A journey asks a yes/no question; the answer is forwarded to it."""
        self._state.pending = PendingAction(
            id=str(workflow.uuid4()),
            kind="offer",
            subject=offer.summary,
            expires_at=workflow.now() + timedelta(seconds=offer.ttl_s),
            journey_id=offer.journey_id,
            # Journeys write on WhatsApp: the question is in that thread (what an unverified
            # party is shown of it, switchboard/verification.py).
            channel=Channel.WHATSAPP,
        )

    @workflow.signal
    def journey_ended(self, journey_id: str) -> None:
        self._state.journeys = [j for j in self._state.journeys if j != journey_id]
        self._state.journey_events.pop(journey_id, None)
        # A finished journey's question is closed: a later "yes" must not be promised a call.
        self.withdraw_offer(journey_id)

    @workflow.signal
    def withdraw_offer(self, journey_id: str) -> None:
        """The journey's question was never asked (its message could not be sent)."""
        pending = self._state.pending
        if pending is not None and pending.kind == "offer" and pending.journey_id == journey_id:
            self._state.pending = None

    @workflow.query
    def pending_action(self) -> PendingAction | None:
        return self._state.pending

    @workflow.query
    def running_journeys(self) -> list[str]:
        return list(self._state.journeys)

    def _enqueue(self, key: str, event: _Event) -> None:
        if key in self._queued or key in self._state.recent_sids:
            return
        self._queued.add(key)
        self._queue.append(event)

    # -- the loop ----------------------------------------------------------------------------

    async def _settle_burst(self, head: InboundInput) -> bool:
        """Wait until the customer stops typing: ``ANSWER_SETTLE`` without another WhatsApp
        text, at most ``BURST_LIMIT`` after ``head``. Returns whether this burst rule applies
        (runs recorded before ``BURST_SETTLE_PATCH`` use ``_settle_answer``)."""
        if head.channel is not Channel.WHATSAPP or not workflow.patched(BURST_SETTLE_PATCH):
            return False
        if not self._joins_burst(head):
            return True
        deadline = workflow.now() + BURST_LIMIT
        seen = len(self._queue)
        while True:
            left = deadline - workflow.now()
            if (seen and not self._joins_burst(self._queue[-1])) or left <= timedelta(0):
                return True  # something else waits, or the burst has gone on long enough
            try:
                await workflow.wait_condition(
                    functools.partial(self._queue_longer_than, seen),
                    timeout=min(ANSWER_SETTLE, left),
                    timeout_summary="messages typed after this one",
                )
            except TimeoutError:
                return True
            seen = len(self._queue)

    def _queue_longer_than(self, count: int) -> bool:
        return len(self._queue) > count

    @staticmethod
    def _joins_burst(event: _Event) -> bool:
        """A WhatsApp text that is read together with the texts sent around it: not a voice
        note or a photo (answered at once: docs/architecture.md, "Turn order") and not
        STOP or START (a keyword only as a whole message)."""
        return (
            isinstance(event, InboundInput)
            and event.channel is Channel.WHATSAPP
            and not event.media
            and not is_consent_keyword(event.text)
        )

    async def _settle_answer(self, head: InboundInput) -> None:
        """A WhatsApp message that may answer a proposal waits ``ANSWER_SETTLE`` for the
        messages sent with it: "yes" and "wait no, not saturday" sent together are one answer,
        not a booking made and then regretted (held-out set 28). Only while a proposal is live
        and nothing else is queued; runs recorded before ``ANSWER_SETTLE_PATCH`` did not wait."""
        if (
            head.channel is not Channel.WHATSAPP
            or self._queue
            or self._turns.live_pending() is None
            or not workflow.patched(ANSWER_SETTLE_PATCH)
        ):
            return
        with contextlib.suppress(TimeoutError):
            await workflow.wait_condition(
                lambda: bool(self._queue),
                timeout=ANSWER_SETTLE,
                timeout_summary="messages sent with the answer",
            )

    async def _process_next(self) -> None:
        head = self._queue.pop(0)
        if isinstance(head, CallStartedInput):
            await self._calls.started(head)
            self._remember(f"start/{head.call_sid}")
        elif isinstance(head, CallEndedInput):
            await self._calls.ended(head)
            self._remember(f"end/{head.call_sid}")
        elif isinstance(head, CallTurnInput):
            result = await self._turns.run_call_turn(head)
            if result.hangup and head.call_sid in self._state.calls:
                self._state.calls[head.call_sid].hung_up = True
            self._results[head.sid] = result
            self._remember(head.sid)
        elif isinstance(head, JourneyStartRequest):
            await self._journeys.start_journey(head)
            self._remember(f"journey/{head.definition.name}/{head.trigger.key}")
        elif isinstance(head, BusinessEventInput):
            await self._journeys.from_business(head)
            self._remember(f"event/{head.idempotency_key}")
        elif isinstance(head, HumanReplyInput):
            key = reply_key(head.id)
            self._human_results[key] = await self._human.reply(head)
            self._remember(key)
            for old in list(self._human_results)[:-RECENT_RESULTS]:
                del self._human_results[old]
        else:
            burst = await self._settle_burst(head)
            if not burst:
                await self._settle_answer(head)
            batch = [head]
            # WhatsApp messages that arrived while the previous turn ran, or while this one
            # settled, are one thought; STOP or START is a turn of its own.
            while (
                head.channel is Channel.WHATSAPP
                and self._queue
                and isinstance(self._queue[0], InboundInput)
                and self._queue[0].channel is Channel.WHATSAPP
                and not (burst and _consent_keyword(head, self._queue[0]))
            ):
                nxt = self._queue.pop(0)
                assert isinstance(nxt, InboundInput)
                batch.append(nxt)
            result = await self._turns.run(batch)
            for msg in batch:
                self._results[msg.sid] = result
                self._remember(msg.sid)
            # Keep only the latest results; older duplicates are answered from recent_sids.
            for sid in list(self._results)[:-RECENT_RESULTS]:
                del self._results[sid]

    def _remember(self, key: str) -> None:
        self._queued.discard(key)
        self._state.recent_sids = [*self._state.recent_sids, key][-200:]
