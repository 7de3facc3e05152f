"""The agent's decision, validated against the customer's state and carried out: proposals
become the pending action, a confirmation naming it commits the booking, move or cancel through
the CRM (which re-checks the calendar), hand-offs open a record, opt-out/in change consent.

The agent only proposes (docs/architecture.md, "Confirm before acting"); every side effect of a
decision runs here, in the order the replay histories recorded.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflows.customer_context import CustomerContext
from workflows.customer_texts import (
    BOOKING_NOT_FOUND,
    CHANGE_DONE,
    CHANGE_GONE,
    CHANGE_NOT_DONE,
    CHANGES_REFUSED,
    RESTARTED,
    STALE_CONFIRMATION,
    STOPPED,
)
from workflows.human_replies import HUMAN_HOLD_PATCH
from workflows.journey_router import BUSINESS_EVENTS_PATCH, JourneyRouter
from workflows.policies import DB_RETRY, DB_TIMEOUT

with workflow.unsafe.imports_passed_through():
    from activities.consent import ConsentActivities
    from activities.crm import CrmActivities
    from activities.journey import JourneyActivities
    from activities.journey_types import HandoffInput
    from activities.types import (
        CancelBookingInput,
        ConfirmBookingInput,
        MoveBookingInput,
        RecordConsentInput,
        SaveDraftInput,
        SetBookingStatusInput,
    )
    from switchboard.agent_models import (
        MAX_CHANGES,
        AgentDecision,
        BookingView,
        Channel,
        Intent,
        PendingAction,
        PendingChange,
        pending_changes,
    )
    from workflows.types import CallState, InboundInput, JourneyEvent

# How long a proposal waits for its yes.
PENDING_ACTION_TTL = timedelta(minutes=15)
# Several changes in one proposal, committed on one yes (issue 9, "several pets in one
# message"). Only a ``PROPOSE_CHANGES`` decision reaches it, which no earlier history holds.
SEVERAL_CHANGES_PATCH = "several-changes"
# A yes to some of several changes ("just Max for now"): those committed, the others' drafts
# declined. Before it, the agent put the kept ones again for a yes of their own.
PARTIAL_YES_PATCH = "partial-yes"


class Actions:
    """Carries out one customer's agent decisions (``TurnPipeline`` owns one)."""

    def __init__(self, customer: CustomerContext, journeys: JourneyRouter) -> None:
        self._customer = customer
        self._journeys = journeys

    async def set_whatsapp_consent(self, status: str, source: str) -> str:
        """STOP revokes WhatsApp for every purpose; START restores it."""
        for purpose in ("service", "marketing"):
            await workflow.execute_activity_method(
                ConsentActivities.record,
                RecordConsentInput(
                    customer=self._customer.e164,
                    channel=Channel.WHATSAPP,
                    purpose=purpose,
                    status=status,
                    source=source,
                ),
                start_to_close_timeout=DB_TIMEOUT,
                retry_policy=DB_RETRY,
            )
        self._journeys.business_event(
            "opted_out" if status == "opted_out" else "opted_in",
            {"channel": Channel.WHATSAPP.value, "source": source},
        )
        return STOPPED if status == "opted_out" else RESTARTED

    def live_pending(self) -> PendingAction | None:
        state = self._customer.state
        pending = state.pending
        if pending is not None and pending.expires_at <= workflow.now():
            state.pending = pending = None
        return pending

    async def apply(
        self, decision: AgentDecision, first: InboundInput, *, heard_at: datetime
    ) -> str:
        """Validate the agent's intent against workflow state and run its side effects.

        Risky actions are two-step (docs/architecture.md, "Confirm before acting"): a proposal
        becomes the pending action (ID from ``workflow.uuid4()``); only a confirmation naming
        that ID, before it expires, commits it. A late or mismatched "yes" changes nothing, and
        the calendar re-checks a slot when it is committed. ``heard_at``: when the turn's
        latest message was received (UTC): a journey's answer says so, and a run started after
        it ignores the answer (``JourneyEvent.from_message``)."""
        state = self._customer.state
        channel, call_sid = first.channel, first.call_sid
        proposal = decision.proposal
        if decision.intent is Intent.PROPOSE_BOOKING and proposal is not None:
            action = PendingAction(
                id=str(workflow.uuid4()),
                slot_start=proposal.slot_start,
                subject=proposal.subject,
                expires_at=workflow.now() + PENDING_ACTION_TTL,
                service=proposal.service,
                channel=channel,
                call_sid=call_sid,
            )
            await self._save_draft(
                action.id, proposal.slot_start, action.subject, proposal.service, channel, call_sid
            )
            state.pending = action
            self._journeys.business_event(
                "booking_proposed",
                booking_data(
                    action.id, proposal.slot_start, action.subject, action.service, channel
                ),
            )
            if channel is Channel.WHATSAPP:
                self._journeys.later_trigger(
                    "draft_created", {"key": action.id, "booking_id": action.id}
                )
            return decision.reply

        if (
            decision.intent in (Intent.PROPOSE_RESCHEDULE, Intent.PROPOSE_CANCEL)
            and proposal is not None
            and proposal.booking_id
        ):
            # Nothing is written until the yes: the booking itself is the record.
            state.pending = PendingAction(
                id=str(workflow.uuid4()),
                kind="reschedule" if decision.intent is Intent.PROPOSE_RESCHEDULE else "cancel",
                slot_start=proposal.slot_start,
                subject=proposal.subject,
                expires_at=workflow.now() + PENDING_ACTION_TTL,
                booking_id=proposal.booking_id,
                service=proposal.service,
                # Where it was asked: another session's proposal is not shown to, nor
                # confirmed by, an unverified party (switchboard/verification.py).
                channel=channel,
                call_sid=call_sid,
            )
            return decision.reply

        if decision.intent is Intent.PROPOSE_CHANGES and workflow.patched(SEVERAL_CHANGES_PATCH):
            return await self._propose_several(decision, first)

        # Before this patch the agent's own hand-off decision opened no record: a person was
        # promised and nobody was told (issue 9).
        if decision.intent is Intent.HANDOFF and workflow.patched("agent-handoff"):
            note = decision.note or f"The customer asked for a person: {first.text!r}"
            await self.open_handoff(first, note)
            return decision.reply

        if decision.intent in (Intent.OPT_OUT, Intent.OPT_IN) and channel is Channel.WHATSAPP:
            if decision.intent is Intent.OPT_OUT:
                self._journeys.later_event(JourneyEvent(kind="stop"))
                return await self.set_whatsapp_consent("opted_out", "asked the agent")
            return await self.set_whatsapp_consent("opted_in", "asked the agent")

        if decision.intent in (Intent.CONFIRM, Intent.DECLINE):
            pending = self.live_pending()
            if pending is None or decision.action_id != pending.id:
                return STALE_CONFIRMATION
            confirmed = decision.intent is Intent.CONFIRM
            state.pending = None
            if pending.kind == "offer":
                # A journey's question: the journey acts on the answer.
                answer = JourneyEvent.from_message("yes" if confirmed else "no", heard_at)
                self._journeys.later_event(answer, journey_id=pending.journey_id)
                return decision.reply
            if pending.changes:
                if confirmed and decision.confirmed and workflow.patched(PARTIAL_YES_PATCH):
                    kept = [c for c in pending.changes if c.id in set(decision.confirmed)]
                    if len(kept) != len(set(decision.confirmed)):
                        return STALE_CONFIRMATION  # a change this proposal does not hold
                    dropped = [c for c in pending.changes if c not in kept]
                    await self._decline_drafts(pending.model_copy(update={"changes": dropped}))
                    pending = pending.model_copy(update={"changes": kept})
                if confirmed:
                    return await self._commit_several(pending, decision, call_sid)
                await self._decline_drafts(pending)
                return decision.reply
            if pending.kind in ("reschedule", "cancel"):
                return (
                    await self._change_booking(pending, decision) if confirmed else (decision.reply)
                )
            if confirmed and workflow.patched("booking-availability"):
                return await self._confirm_booking(pending, decision, call_sid)
            await workflow.execute_activity_method(
                CrmActivities.set_booking_status,
                SetBookingStatusInput(
                    booking_id=pending.id, status="confirmed" if confirmed else "declined"
                ),
                start_to_close_timeout=DB_TIMEOUT,
                retry_policy=DB_RETRY,
            )
            if confirmed:
                self._booked(pending.id, call_sid)
        return decision.reply

    async def _propose_several(self, decision: AgentDecision, first: InboundInput) -> str:
        """A proposal of several changes becomes one pending action (kind ``several``); each
        new booking is saved as a draft under its change's ID. Refused, with nothing held,
        when the changes do not fit the customer's state: more than ``MAX_CHANGES``, a move or
        cancel without a booking, a booking changed twice, a new booking naming one."""
        state = self._customer.state
        channel, call_sid = first.channel, first.call_sid
        proposals = decision.proposals
        targets = [p.booking_id for p in proposals if p.kind != "book"]
        if (
            not 2 <= len(proposals) <= MAX_CHANGES
            or any(p.kind is None for p in proposals)
            or any(p.kind == "book" and p.booking_id for p in proposals)
            or not all(targets)
            or len(set(targets)) < len(targets)
        ):
            workflow.logger.warning("several changes refused", extra={"count": len(proposals)})
            return CHANGES_REFUSED
        action_id = str(workflow.uuid4())
        changes = pending_changes(action_id, proposals)
        action = PendingAction(
            id=action_id,
            kind="several",
            slot_start=changes[0].slot_start,
            subject=", ".join(dict.fromkeys(c.subject for c in changes)),
            expires_at=workflow.now() + PENDING_ACTION_TTL,
            channel=channel,
            call_sid=call_sid,
            changes=changes,
        )
        drafts = [c for c in changes if c.kind == "book"]  # a move or cancel writes nothing
        for change in drafts:
            await self._save_draft(
                change.id, change.slot_start, change.subject, change.service, channel, call_sid
            )
            self._journeys.business_event(
                "booking_proposed",
                booking_data(change.id, change.slot_start, change.subject, change.service, channel),
            )
        if drafts and channel is Channel.WHATSAPP:
            # One follow-up for the proposal (one call, not one per pet): its first draft is
            # confirmed or declined with the others.
            first_draft = drafts[0].id
            self._journeys.later_trigger(
                "draft_created", {"key": first_draft, "booking_id": first_draft}
            )
        state.pending = action
        return decision.reply

    async def _commit_several(
        self, pending: PendingAction, decision: AgentDecision, call_sid: str | None
    ) -> str:
        """Commit each change of a confirmed proposal of several, in order, each re-checked by
        the calendar under its lock. The changes are independent (one pet's slot does not
        depend on another's), so one that can no longer be done does not hold back the
        others: the reply then says which were done and, for each one that was not, why and
        what is free instead (the CRM's message). All done: the agent's own reply. A move is
        checked without the bookings the proposal moves or cancels after it (a swap fills each
        slot only once the other booking leaves it); should one of those later moves then be
        refused, its old slot holds one booking more than the capacity until someone changes."""
        done: list[PendingChange] = []
        refused: list[str] = []
        for n, change in enumerate(pending.changes):
            # the bookings this proposal moves or cancels later still sit in their old slots:
            # "swap max and luna" must not find Luna in the slot Max moves to
            later = pending.changes[n + 1 :]
            vacating = [c.booking_id for c in later if c.kind != "book" and c.booking_id]
            message = await self._commit_change(change, call_sid, vacating)
            if message is None:
                done.append(change)
            else:
                refused.append(message)
        if not refused:
            return decision.reply
        parts = []
        if done:
            said = [
                CHANGE_DONE[c.kind].format(who=c.subject, when=c.said or "the time proposed")
                for c in done
            ]
            parts.append(f"Done: {_listed(said)}.")
        return " ".join([*parts, *refused])

    async def _save_draft(
        self,
        booking_id: str,
        slot_start: datetime,
        subject: str,
        service: str | None,
        channel: Channel,
        call_sid: str | None,
    ) -> None:
        """Hold a proposed booking in the CRM as a draft, under its own ID (idempotent)."""
        await workflow.execute_activity_method(
            CrmActivities.save_draft,
            SaveDraftInput(
                booking_id=booking_id,
                customer=self._customer.e164,
                slot_start=slot_start,
                subject=subject,
                channel=channel,
                call_sid=call_sid,
                service=service,
            ),
            start_to_close_timeout=DB_TIMEOUT,
            retry_policy=DB_RETRY,
        )

    async def _commit_change(
        self, change: PendingChange, call_sid: str | None, vacating: list[str]
    ) -> str | None:
        """Commit one change of several; None when done, else what to tell the customer.
        ``vacating``: the customer's bookings the proposal moves or cancels after this one."""
        e164 = self._customer.e164
        try:
            if change.kind == "book":
                commit = await workflow.execute_activity_method(
                    CrmActivities.confirm_booking,
                    ConfirmBookingInput(booking_id=change.id, customer=e164, now=workflow.now()),
                    start_to_close_timeout=DB_TIMEOUT,
                    retry_policy=DB_RETRY,
                )
                event = "booking_confirmed"
            elif change.kind == "reschedule":
                commit = await workflow.execute_activity_method(
                    CrmActivities.move_booking,
                    MoveBookingInput(
                        booking_id=change.booking_id or "",
                        customer=e164,
                        slot_start=change.slot_start,
                        now=workflow.now(),
                        service=change.service,
                        vacating=vacating,
                    ),
                    start_to_close_timeout=DB_TIMEOUT,
                    retry_policy=DB_RETRY,
                )
                event = "booking_rescheduled"
            else:
                commit = await workflow.execute_activity_method(
                    CrmActivities.cancel_booking,
                    CancelBookingInput(booking_id=change.booking_id or "", customer=e164),
                    start_to_close_timeout=DB_TIMEOUT,
                    retry_policy=DB_RETRY,
                )
                event = "booking_cancelled"
        except ActivityError:
            workflow.logger.warning("booking change refused", extra={"change_id": change.id})
            return CHANGE_GONE.format(who=change.subject)
        if not commit.ok:
            what = CHANGE_NOT_DONE[change.kind].format(who=change.subject)
            return f"{what} {commit.message}"
        booking_id = change.id if change.kind == "book" else (change.booking_id or "")
        data = _committed(commit.booking, change, booking_id)
        self._journeys.business_event(event, data)
        if change.kind == "book":
            self._booked(booking_id, call_sid)
        else:
            self._journeys.later_event(JourneyEvent(kind=event, data=data))
        return None

    async def _decline_drafts(self, pending: PendingAction) -> None:
        """A no to a proposal of several: its drafts are declined (moves and cancels held
        nothing)."""
        for change in pending.changes:
            if change.kind != "book":
                continue
            await workflow.execute_activity_method(
                CrmActivities.set_booking_status,
                SetBookingStatusInput(booking_id=change.id, status="declined"),
                start_to_close_timeout=DB_TIMEOUT,
                retry_policy=DB_RETRY,
            )

    async def _confirm_booking(
        self, pending: PendingAction, decision: AgentDecision, call_sid: str | None
    ) -> str:
        """Commit a new booking; the calendar may refuse a slot taken since it was offered."""
        commit = await workflow.execute_activity_method(
            CrmActivities.confirm_booking,
            ConfirmBookingInput(
                booking_id=pending.id, customer=self._customer.e164, now=workflow.now()
            ),
            start_to_close_timeout=DB_TIMEOUT,
            retry_policy=DB_RETRY,
        )
        if not commit.ok:
            return commit.message
        self._booked(pending.id, call_sid)
        self._journeys.business_event(
            "booking_confirmed", _committed(commit.booking, pending, pending.id)
        )
        return decision.reply

    def _booked(self, booking_id: str, call_sid: str | None) -> None:
        booked = {"booking_id": booking_id}
        self._journeys.later_event(JourneyEvent(kind="booking_confirmed", data=booked))
        self._journeys.later_event(JourneyEvent(kind="draft_confirmed", data=booked))
        if call_sid is not None:
            # A call this workflow never saw start is not vouched for (switchboard/verification.py).
            call = self._customer.state.calls.setdefault(call_sid, CallState(attested=False))
            call.booking_id = booking_id

    async def _change_booking(self, pending: PendingAction, decision: AgentDecision) -> str:
        """Move or cancel the booking the customer said yes about. One that is no longer
        theirs to change (cancelled meanwhile, not found) changes nothing and says so."""
        booking_id = pending.booking_id or ""
        try:
            if pending.kind == "reschedule" and pending.slot_start is not None:
                commit = await workflow.execute_activity_method(
                    CrmActivities.move_booking,
                    MoveBookingInput(
                        booking_id=booking_id,
                        customer=self._customer.e164,
                        slot_start=pending.slot_start,
                        now=workflow.now(),
                        service=pending.service,
                    ),
                    start_to_close_timeout=DB_TIMEOUT,
                    retry_policy=DB_RETRY,
                )
                event = "booking_rescheduled"
            else:
                commit = await workflow.execute_activity_method(
                    CrmActivities.cancel_booking,
                    CancelBookingInput(booking_id=booking_id, customer=self._customer.e164),
                    start_to_close_timeout=DB_TIMEOUT,
                    retry_policy=DB_RETRY,
                )
                event = "booking_cancelled"
        except ActivityError:
            workflow.logger.warning("booking change refused", extra={"booking_id": booking_id})
            return BOOKING_NOT_FOUND
        if not commit.ok:
            return commit.message
        data = {"booking_id": booking_id}
        # From the patch on, the event carries the booking as it now stands (a moved
        # booking's new slot re-targets the journeys' date waits) and starts journeys too.
        if workflow.patched(BUSINESS_EVENTS_PATCH):
            data = _committed(commit.booking, pending, booking_id)
            self._journeys.business_event(event, data)
        self._journeys.later_event(JourneyEvent(kind=event, data=data))
        return decision.reply

    async def open_handoff(self, first: InboundInput, note: str) -> None:
        """A handoff record for the team's queue, with a summary of the conversation (one per
        inbound message: a retried activity or turn opens it once). From the
        ``human-handoff-hold`` patch on, the queue then holds the conversation: the agent stays
        silent on WhatsApp until a person hands it back (``workflows/human_replies.py``)."""
        await workflow.execute_activity_method(
            JourneyActivities.handoff,
            HandoffInput(
                key=f"handoff/{first.sid}", customer=self._customer.e164, queue="agent", note=note
            ),
            start_to_close_timeout=DB_TIMEOUT,
            retry_policy=DB_RETRY,
        )
        if workflow.patched(HUMAN_HOLD_PATCH) and self._customer.state.held_by is None:
            self._customer.state.held_by = "queue:agent"


def booking_data(
    booking_id: str,
    slot_start: datetime,
    subject: str,
    service: str | None,
    channel: Channel | None = None,
) -> dict[str, str]:
    """A booking event's data (``switchboard.journeys.events``): strings, the slot in UTC."""
    data = {
        "booking_id": booking_id,
        "slot_start": slot_start.astimezone(UTC).isoformat(),
        "subject": subject,
    }
    if service:
        data["service"] = service
    if channel is not None:
        data["channel"] = channel.value
    return data


def _listed(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _committed(
    booking: BookingView | None, pending: PendingAction | PendingChange, booking_id: str
) -> dict[str, str]:
    """The event data of a committed booking: as the CRM returned it, else (a commit that
    returned none) as the pending action described it."""
    if booking is not None:
        return booking_data(booking.id, booking.slot_start, booking.subject, booking.service)
    if pending.slot_start is not None:
        return booking_data(booking_id, pending.slot_start, pending.subject, pending.service)
    return {"booking_id": booking_id, "subject": pending.subject}
