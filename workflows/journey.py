"""JourneyWorkflow: one generic interpreter for every journey definition in ``journeys/``.

ID ``journey/<name>/<E164>/<trigger key>``: one run per journey × customer × trigger key. The
definition is in the input (pinned at entry). Engineers follow a run in the Temporal UI through
its search attributes (``CustomerPhone``, ``JourneyName``, ``JourneyVersion``, ``JourneyStep``,
``Channel``), its named timers and its static summary.

Events from the customer's conversation arrive as the ``event`` signal (forwarded by the customer
workflow); an event listed in the journey's ``exit_on`` policy ends the run at the next step or
during any wait. A ``reply``, ``yes`` or ``no`` to a message received before the run started is
no answer to it and is ignored (``_before_the_run``): ``exit_on: replied`` means "replied after
this run started". Under ``trigger.one_at_a_time`` the customer's later trigger events arrive the
same way: before the run's first message or call the run takes the latest one's data (a wait
until ``trigger.<date>`` re-targets); after it, the latest one is kept and, when the run ends,
the run continues as new from it (same workflow ID: still one run per customer at a time).
Policies are checked at each send: consent and the frequency cap by an activity, quiet hours
and business hours with the pure functions of ``switchboard.business_calendar`` on workflow
time.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.customer_link import CustomerLinkActivities
    from activities.journey import JourneyActivities
    from activities.journey_types import (
        AskCustomerInput,
        CrmFieldInput,
        GateDecision,
        GateInput,
        HandoffInput,
        HoldSlotInput,
        JoinCustomerInput,
        JourneyLogInput,
        PlaceCallInput,
        ProfileInput,
        RenderInput,
        TriggerData,
    )
    from activities.types import SendResult, SendWhatsAppInput
    from activities.voice import VoiceActivities
    from activities.whatsapp import WhatsAppActivities
    from activities.whatsapp_step import step_message, step_texts
    from switchboard import business_calendar as calendar
    from switchboard.agent_models import Channel
    from switchboard.journeys.events import matches_when
    from switchboard.journeys.schema import (
        AnswerOutcome,
        Branch,
        End,
        Handoff,
        HoldSlot,
        JourneyDefinition,
        PlaceCall,
        SendWhatsApp,
        Split,
        Step,
        Wait,
        WaitFor,
        WaitForAnswer,
    )
    from switchboard.temporal import (
        CHANNEL,
        CUSTOMER_PHONE,
        JOURNEY_NAME,
        JOURNEY_STEP,
        JOURNEY_VERSION,
        customer_workflow_id,
        journey_search_attributes,
        outreach_queue,
    )

    # This workflow's helpers pass through too: each new run's sandbox then re-imports only
    # this module (journey_delivery and policies through as well: ~5 ms of the worker's CPU
    # less per run, bench suite 3, issue 14). They hold no module state and call only
    # ``workflow.*``; docs/architecture.md, "Replay safety".
    from workflows.journey_delivery import DeliveryFailures, SendFailed
    from workflows.journey_exits import exit_reason
    from workflows.journey_goals import GoalsAndSplits
    from workflows.journey_listens import listened_events
    from workflows.journey_timing import DateWaits, answer_outcome, trigger_now
    from workflows.policies import DB_RETRY, DB_TIMEOUT, application_failure, db_activity
    from workflows.types import (
        MESSAGE_EVENTS,
        RECEIVED_AT,
        JourneyEvent,
        JourneyInput,
        JourneyOutcome,
        OfferInput,
    )

SEND_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=2),
    maximum_attempts=10,
)
SEND_TIMEOUT = timedelta(seconds=20)
# How long a placed call may take to report its outcome (ringing + conversation).
CALL_OUTCOME_TIMEOUT = timedelta(hours=1)
NO_ANSWER = {"no-answer", "busy", "failed", "canceled"}


# The patches of this workflow a run started by this code takes without recording a marker
# (``JourneyInput.patches``; ``JourneyWorkflow._patched``); the launcher lists them
# (``operations/launch.py``). A patch joins this list only a release after it was added: a
# worker without it that picked up such a run would take the old side, and a newer worker
# replaying the run the new side (these three are in every worker since d3f96bf).
JOURNEY_PATCHES = ("journey-gate-with-profile", "journey-local-reads", "arm-question-before-send")
# From this patch on a run ignores a ``reply``, ``yes`` or ``no`` to a message received before
# it started (``JourneyWorkflow._before_the_run``). Asked only when such an event arrives, so
# other runs record no marker; not in ``JOURNEY_PATCHES`` yet (see above).
REPLIES_SINCE_START_PATCH = "journey-replies-since-start"

_In = TypeVar("_In")
_Out = TypeVar("_Out")


class JourneyExited(Exception):
    """An exit event arrived: the run ends where it is."""


@workflow.defn
class JourneyWorkflow:
    @workflow.init
    def __init__(self, input: JourneyInput) -> None:
        self._input = input
        self._definition: JourneyDefinition = input.definition
        self._events: list[JourneyEvent] = []
        self._exit: str | None = None
        self._paused = input.paused  # started while its journey was paused
        self._visits: dict[str, int] = {}
        self._vars: dict[str, str] = {}
        self._timezone = input.definition.policies.timezone
        self._mark = 0  # events before this index happened before the last send or call
        self._send_queue: str | None = None  # None: this workflow's own queue
        self._armed: str | None = None  # the wait_for step whose question is already pending
        self._local_reads = False  # see run()
        # A first consent branch's decision, read with the profile (run()); used once, by it.
        self._early_gate: tuple[str, GateDecision] | None = None
        self._joined = False  # the customer workflow was told about this run (_join_customer)
        # Started with its search attributes (JourneyInput.attributes_at_start): the step they
        # show, so an unchanged one is not written again (an event and a visibility write).
        self._shown_step: str | None = (
            (input.start_at or input.definition.start) if input.attributes_at_start else None
        )
        # one_at_a_time: the latest trigger event after the first contact (_take_trigger).
        self._next_trigger: TriggerData | None = None
        self._goals = GoalsAndSplits(  # journey_goals.py
            input.definition.name, input.customer, input.definition.goal
        )
        # Messages Twilio reported undelivered after accepting them (journey_delivery.py).
        self._delivery = DeliveryFailures(
            steps=self._send_step,
            journey=input.definition.name,
            send=self._send_message,
            log=self._log,
            withdraw_offer=self._withdraw_offer,
        )
        self._dates = DateWaits(
            events=lambda: self._events,
            trigger=input.trigger.data,
            timezone=lambda: self._timezone,
            wait_condition=self._wait_condition,
            log=self._log,
        )

    # -- message passing ---------------------------------------------------------------------

    @workflow.signal
    def event(self, event: JourneyEvent) -> None:
        if self._before_the_run(event):
            return
        self._take_trigger(event)
        self._events.append(event)
        self._goals.observe(event)
        self._delivery.observe(event)
        if self._exit is None:  # journey_exits.py
            d = self._definition
            self._exit = exit_reason(event, d.policies.exit_on, self._input.trigger, d.trigger)

    def _before_the_run(self, event: JourneyEvent) -> bool:
        """Is ``event`` the customer's answer to a message received before this run started?

        The customer workflow forwards a turn's events only once its reply is out
        (``journey_router.flush``), a second or more after the message came: an audience launch
        or a trigger can start a run in between, and the run would take a "Hello" written
        before it existed for an answer to it. Such an event is not one to this run: it neither
        ends it (``exit_on: replied``), nor answers a ``wait_for`` or ``wait_for_answer``, nor
        sets a ``reply.intent`` branch, nor meets a ``customer_replied`` goal; it is dropped
        here, as if never sent. The line is the run's start as Temporal recorded it
        (``workflow_start_time``; a continued-as-new run's own), compared with the message's
        ``received_at`` (the API's clock; both UTC). An event without a time (from a customer
        workflow older than the field) counts, as every event did; so does every event of a
        history recorded before ``REPLIES_SINCE_START_PATCH`` (no marker: its replay takes the
        old side)."""
        if event.kind not in MESSAGE_EVENTS:
            return False
        if not event.received_before(workflow.info().workflow_start_time):
            return False
        if not self._patched(REPLIES_SINCE_START_PATCH):
            return False
        workflow.logger.info(
            "ignored an answer to a message received before the run started",
            extra={"kind": event.kind, "received_at": event.data.get(RECEIVED_AT)},
        )
        return True

    def _take_trigger(self, event: JourneyEvent) -> None:
        """Under ``one_at_a_time``, a later event of the trigger (its filters met, the run's
        key): before the first message or call the run takes its data (the date wait
        re-targets, texts read it); after, it is kept to start the run again when it ends."""
        trigger = self._definition.trigger
        if not trigger.one_at_a_time or event.kind != trigger.event:
            return
        key = self._input.trigger.key
        if not matches_when(event.data, trigger.when) or trigger.run_key(event.data) != key:
            return
        latest = TriggerData(event=event.kind, key=key, data=event.data)
        if self._goals.has_contacted:
            self._next_trigger = latest
        else:
            self._input.trigger = latest
            self._dates.trigger = latest.data

    @workflow.signal
    def pause(self) -> None:
        self._paused = True

    @workflow.signal
    def resume(self) -> None:
        self._paused = False

    @workflow.query
    def variables(self) -> dict[str, str]:
        return dict(self._vars)

    # -- the run -----------------------------------------------------------------------------

    @workflow.run
    async def run(self, input: JourneyInput) -> JourneyOutcome:
        d = input.definition
        if not input.attributes_at_start:  # else the starter set them (types.JourneyInput)
            workflow.upsert_search_attributes(
                [
                    CUSTOMER_PHONE.value_set(input.customer),
                    JOURNEY_NAME.value_set(d.name),
                    JOURNEY_VERSION.value_set(input.version),
                    JOURNEY_STEP.value_set(d.start),
                ]
            )
        if d.policies.rate_limited:  # campaign sends go through the rate-limited queue
            self._send_queue = outreach_queue(workflow.info().task_queue)
        # Reads (profile, consent gate, rendering, a CRM field) and log lines run as local
        # activities: a few ms of Postgres each, where a server round trip per activity cost
        # more than the work (bench suite 3). Side effects (sends, calls, holds, handoffs) stay
        # ordinary activities, visible as such in the UI. Runs started before this kept theirs.
        # Runs started from here read a first consent branch's gate with the profile: one local
        # activity, not two, before a first wait (bench suite 3). It implies the local reads,
        # so a new run records one patch marker, not two.
        gate_first = self._patched("journey-gate-with-profile")
        self._local_reads = gate_first or self._patched("journey-local-reads")
        # A run a broadcast campaign handed over starts where the broadcast stopped; absent
        # from every earlier input, so earlier histories start at ``start`` as they did.
        first = input.start_at or d.start
        early = self._consent_gate_input(first) if gate_first else None
        profile = await self._short(
            JourneyActivities.profile,
            ProfileInput(customer=input.customer, default_timezone=d.policies.timezone, gate=early),
        )
        self._timezone = profile.timezone
        if profile.gate is not None:
            self._early_gate = (first, profile.gate)
        trail: list[str] = []
        step_name: str | None = first
        status, reason = "completed", ""
        try:
            while step_name is not None:
                self._check_exit()
                if self._paused:
                    self._early_gate = None  # consent may change while paused: read it again
                    await workflow.wait_condition(
                        lambda: not self._paused or self._exit is not None
                    )
                    self._check_exit()
                step_name = await self._after_failures(step_name)
                trail.append(step_name)
                self._goals.step = step_name
                self._visits[step_name] = self._visits.get(step_name, 0) + 1
                self._show_step(step_name)
                try:
                    step_name = await self._run_step(step_name, d.steps[step_name])
                except SendFailed as failed:  # a message of the run was not delivered
                    step_name = failed.step
        except JourneyExited:
            status, reason = "exited", self._exit or ""
            self._show_step("exited")
        except asyncio.CancelledError:
            # Cancelled by an operator (`switchboard journeys cancel`): say so, then end as
            # cancelled in Temporal too.
            self._show_step("cancelled")
            await self._tell_customer_workflow_it_ended()
            await self._log(f"journey {d.name} cancelled")
            raise
        else:
            self._show_step("done")
        await self._goals.linger(
            lambda: self._signal_customer("withdraw_offer", workflow.info().workflow_id)
        )
        outcome = JourneyOutcome(
            status=status,
            reason=reason,
            trail=trail,
            undelivered=self._delivery.undelivered,
            converted_at=self._goals.converted_at,
            branch=self._goals.branch,
        )
        if self._next_trigger is not None and status != "cancelled":
            await self._again(input, self._next_trigger, outcome)
        await self._tell_customer_workflow_it_ended()
        await self._log(
            f"journey {d.name} {outcome.status}" + (f": {outcome.reason}" if outcome.reason else "")
        )
        return outcome

    async def _again(self, input: JourneyInput, latest: TriggerData, ended: JourneyOutcome) -> None:
        """``one_at_a_time``: the customer's trigger came again after this run's first contact:
        this run is over (logged) and the run continues as new from the latest event, same
        definition and ID, with fresh search attributes (no goal or branch carried over)."""
        d = input.definition
        await self._log(
            f"journey {d.name} {ended.status}"
            + (f": {ended.reason}" if ended.reason else "")
            + f"; again from the latest {latest.event}"
        )
        workflow.continue_as_new(
            JourneyInput(
                definition=d,
                version=input.version,
                customer=input.customer,
                trigger=latest,
                attributes_at_start=True,
                paused=self._paused,  # the journey is still paused: so is its next run
            ),
            search_attributes=journey_search_attributes(
                input.customer, d.name, input.version, d.start
            ),
        )

    def _show_step(self, step: str) -> None:
        """``JourneyStep`` = ``step`` in the run's search attributes; in a run started with them,
        only when it changes."""
        if self._input.attributes_at_start and step == self._shown_step:
            return
        self._shown_step = step
        workflow.upsert_search_attributes([JOURNEY_STEP.value_set(step)])

    async def _run_step(self, name: str, step: Step) -> str | None:
        if isinstance(step, SendWhatsApp):
            return await self._send_whatsapp(name, step)
        if isinstance(step, PlaceCall):
            return await self._place_call(name, step)
        if isinstance(step, Wait):
            if step.until is not None and step.until.date is not None:
                return await self._dates.run(name, step)  # journey_timing.py
            await self._wait(name, step)
            return step.next
        if isinstance(step, WaitFor):
            return await self._wait_for(name, step)
        if isinstance(step, WaitForAnswer):
            return await self._wait_for_answer(name, step)
        if isinstance(step, Branch):
            value = await self._branch_value(name, step)
            return step.cases.get(value, step.default)
        if isinstance(step, Split):
            return self._goals.split(name, step)
        if isinstance(step, Handoff):
            note = (await self._render(name, {"note": step.note}))["note"] if step.note else ""
            await workflow.execute_activity_method(
                JourneyActivities.handoff,
                HandoffInput(
                    key=self._key(name), customer=self._input.customer, queue=step.queue, note=note
                ),
                start_to_close_timeout=DB_TIMEOUT,
                retry_policy=DB_RETRY,
            )
            return step.next
        if isinstance(step, HoldSlot):
            assert step.at.time is not None
            at = calendar.next_local_time(
                workflow.now(),
                self._timezone,
                step.at.time,
                hours=self._definition.policies.business_hours if step.at.business_day else None,
                not_before=step.at.not_before,
            )
            held = await workflow.execute_activity_method(
                JourneyActivities.hold_slot,
                HoldSlotInput(
                    key=self._key(name),
                    customer=self._input.customer,
                    slot_start=at,
                    purpose=step.purpose,
                    timezone=self._timezone,
                ),
                start_to_close_timeout=DB_TIMEOUT,
                retry_policy=DB_RETRY,
            )
            self._vars[f"{step.save_as}_at"] = at.isoformat()
            self._vars[step.save_as] = held.slot_text
            return step.next
        assert isinstance(step, End)
        return None

    # -- steps -------------------------------------------------------------------------------

    async def _send_whatsapp(self, name: str, step: SendWhatsApp) -> str | None:
        policies = self._definition.policies
        workflow.upsert_search_attributes([CHANNEL.value_set(Channel.WHATSAPP.value)])
        await self._sleep_until(
            calendar.send_time(
                workflow.now(), self._timezone, quiet=policies.quiet_hours, hours=None
            ),
            "quiet hours",
        )
        gate = await self._gate(name, Channel.WHATSAPP)
        if not gate.allowed:
            await self._log(f"{name}: WhatsApp send skipped: {gate.reason}")
            return step.on_skip or step.next
        rendered = await self._render_or_skip(name, step_texts(step))
        if rendered is None:
            return step.on_skip or step.next
        self._mark = len(self._events)
        await self._arm_question(step.next)
        message = step_message(
            step,
            rendered,
            key=self._key(name),
            customer=self._input.customer,
            purpose=policies.purpose,
        )
        try:
            sent = await self._send_message(message)
        except ActivityError as exc:
            cause = exc.cause
            if isinstance(cause, ApplicationError) and cause.type == "OutsideServiceWindow":
                await self._log(
                    f"{name}: WhatsApp send skipped: outside the 24-hour window and no template"
                )
                await self._disarm_question()
                return step.on_skip or step.next
            raise
        # Accepted is not delivered: Twilio's verdict comes later (journey_delivery.py).
        self._delivery.sent(name, message, sent)
        self._goals.contacted()
        return step.next

    async def _send_message(self, message: SendWhatsAppInput) -> SendResult:
        return await workflow.execute_activity_method(
            WhatsAppActivities.send,
            message,
            task_queue=self._send_queue,
            start_to_close_timeout=SEND_TIMEOUT,
            retry_policy=SEND_RETRY,
        )

    async def _withdraw_offer(self) -> None:
        await self._signal_customer("withdraw_offer", workflow.info().workflow_id)

    def _send_step(self, name: str) -> SendWhatsApp | None:
        step = self._definition.steps.get(name)
        return step if isinstance(step, SendWhatsApp) else None

    async def _after_failures(self, step_name: str) -> str:
        """The step to run next: ``step_name``, or a failed message's ``on_failed``."""
        try:
            await self._delivery.handle()
        except SendFailed as failed:
            return failed.step
        return step_name

    async def _place_call(self, name: str, step: PlaceCall) -> str | None:
        policies = self._definition.policies
        workflow.upsert_search_attributes([CHANNEL.value_set(Channel.VOICE.value)])
        for attempt in range(step.retries + 1):
            if attempt:
                await self._sleep_until(
                    workflow.now() + step.retry_after, f"retry call in {step.retry_after}"
                )
            await self._sleep_until(
                calendar.send_time(
                    workflow.now(),
                    self._timezone,
                    quiet=policies.quiet_hours,
                    hours=policies.business_hours,
                ),
                "business hours",
            )
            gate = await self._gate(name, Channel.VOICE)
            if not gate.allowed:
                await self._log(f"{name}: call skipped: {gate.reason}")
                return step.on_skip or step.next
            texts = {"opening": step.opening, "goal": step.goal}
            if step.voicemail is not None:  # absent from every earlier history: same commands
                texts["voicemail"] = step.voicemail
            rendered = await self._render_or_skip(name, texts)
            if rendered is None:
                return step.on_skip or step.next
            self._mark = len(self._events)
            await self._join_customer()
            await self._arm_answer(step.next)
            try:
                placed = await workflow.execute_activity_method(
                    VoiceActivities.place_call,
                    PlaceCallInput(
                        key=f"{self._key(name)}/{attempt}",
                        customer=self._input.customer,
                        opening=rendered["opening"],
                        goal=rendered["goal"],
                        journey_id=workflow.info().workflow_id,
                        pending_booking_id=self._input.trigger.data.get("booking_id"),
                        voicemail=rendered.get("voicemail"),
                    ),
                    task_queue=self._send_queue,
                    start_to_close_timeout=SEND_TIMEOUT,
                    retry_policy=SEND_RETRY,
                )
            except ActivityError as exc:
                # Twilio refused the call or stayed down through every retry: to the journey
                # that is a call that did not connect (retry, then on_no_answer), not a crash
                # that would leave the customer workflow forwarding events to a dead run.
                await self._log(f"{name}: call failed: {exc.cause or exc}")
                status = "failed"
            else:
                self._delivery.called()
                self._goals.contacted()
                status = await self._call_outcome(placed.call_sid)
            if status not in NO_ANSWER:
                return step.next
            await self._log(f"{name}: call {status} (attempt {attempt + 1} of {step.retries + 1})")
        return step.on_no_answer or step.next

    async def _call_outcome(self, call_sid: str) -> str:
        def outcome() -> JourneyEvent | None:
            return next(
                (
                    e
                    for e in self._events
                    if e.kind == "call_completed" and e.data.get("call_sid") == call_sid
                ),
                None,
            )

        await self._wait_condition(
            lambda: outcome() is not None, CALL_OUTCOME_TIMEOUT, "call outcome"
        )
        found = outcome()
        return found.data.get("status", "completed") if found else "no-answer"

    async def _wait(self, name: str, step: Wait) -> None:
        if step.duration is not None:
            await self._sleep_until(workflow.now() + step.duration, f"{name}: wait {step.duration}")
            return
        assert step.until is not None
        if step.until.var:
            saved = self._vars.get(f"{step.until.var}_at")
            if saved is None:
                raise ApplicationError(
                    f"{name}: no slot saved as {step.until.var!r}", type="DefinitionError"
                )
            target = datetime.fromisoformat(saved)
        else:
            assert step.until.time is not None
            target = calendar.next_local_time(
                workflow.now(),
                self._timezone,
                step.until.time,
                hours=self._definition.policies.business_hours if step.until.business_day else None,
                not_before=step.until.not_before,
            )
        await self._sleep_until(target, f"{name}: until {target.isoformat()}")

    async def _wait_for(self, name: str, step: WaitFor) -> str | None:
        since = self._mark
        # A yes/no question is closed by either answer (the customer workflow clears the
        # pending action): after a "no", waiting on for a "yes" could only end in the timeout.
        answers = {"yes", "no"} if step.event in ("yes", "no") else {step.event}
        if step.event in ("yes", "no") and self._armed != name:
            await self._offer(name, step)
        self._armed = None

        def answered() -> str | None:
            return next((e.kind for e in self._events[since:] if e.kind in answers), None)

        await self._wait_condition(
            lambda: answered() is not None,
            step.timeout,
            f"{name}: {step.event} within {step.timeout}",
        )
        return step.next if answered() == step.event else step.on_timeout

    async def _wait_for_answer(self, name: str, step: WaitForAnswer) -> str | None:
        """Confirm / decline / rescheduled / cancelled (``journey_timing.answer_outcome``),
        counted from the previous message or call: a customer who moved the booking on the
        call the journey placed has answered."""
        since = self._mark
        if self._armed != name:
            await self._offer(name, step)
        self._armed = None
        trigger = self._input.trigger.data

        def outcome() -> AnswerOutcome | None:
            return answer_outcome(self._events[since:], trigger)

        await self._wait_condition(
            lambda: outcome() is not None, step.timeout, f"{name}: answer within {step.timeout}"
        )
        found = outcome()
        if found is None:
            return step.on_timeout
        await self._log(f"{name}: the customer {found}")
        return step.outcomes.get(found, step.next)

    async def _arm_answer(self, next_name: str | None) -> None:
        """Before a call (or message) whose next step waits for an answer, make the question
        the customer's pending action, so a "yes" said on the call reaches this run."""
        step = self._definition.steps.get(next_name) if next_name is not None else None
        if isinstance(step, WaitForAnswer) and next_name is not None:
            await self._offer(next_name, step)
            self._armed = next_name

    async def _arm_question(self, next_name: str | None) -> None:
        """Before sending a message whose next step waits for a yes/no, make that question the
        customer's pending action: a customer who answers within milliseconds of reading it
        must reach this run, not the agent (the race CI caught in the after-hours journey)."""
        step = self._definition.steps.get(next_name) if next_name is not None else None
        if isinstance(step, WaitForAnswer):
            await self._arm_answer(next_name)
            return
        if not isinstance(step, WaitFor) or step.event not in ("yes", "no"):
            return
        # Histories recorded before this ordering asked the question after the send.
        if not self._patched("arm-question-before-send"):
            return
        assert next_name is not None
        await self._offer(next_name, step)
        self._armed = next_name

    async def _disarm_question(self) -> None:
        """The message carrying the armed question was never sent: withdraw the question."""
        if self._armed is None:
            return
        self._armed = None
        await self._signal_customer("withdraw_offer", workflow.info().workflow_id)

    async def _offer(self, name: str, step: WaitFor | WaitForAnswer) -> None:
        """Make the question the customer's pending action, so their "yes" reaches this run."""
        summary = step.question if isinstance(step, WaitForAnswer) else step.offer or "noted"
        rendered = (await self._render(name, {"offer": summary}))["offer"]
        if self._input.attributes_at_start:
            # A launched run: the customer workflow may not be running yet (operations/launch.py),
            # so the question starts it (signal-with-start); it then finds this run itself.
            await workflow.execute_local_activity_method(
                CustomerLinkActivities.ask,
                AskCustomerInput(
                    customer=self._input.customer,
                    journey_id=workflow.info().workflow_id,
                    summary=rendered,
                    ttl_s=int(step.timeout.total_seconds()),
                ),
                start_to_close_timeout=DB_TIMEOUT,
                retry_policy=DB_RETRY,
            )
            return
        # Without a customer workflow to hold the question, the wait simply times out.
        await self._signal_customer(
            "offer",
            OfferInput(
                journey_id=workflow.info().workflow_id,
                summary=rendered,
                ttl_s=int(step.timeout.total_seconds()),
            ),
        )

    async def _branch_value(self, name: str, step: Branch) -> str:
        if step.on == "business_hours":
            return (
                "open"
                if calendar.is_open(
                    workflow.now(), self._timezone, self._definition.policies.business_hours
                )
                else "closed"
            )
        if step.on.startswith("consent."):
            # "opted_out" (the customer said no: STOP, a revoked channel) is not "no" (never
            # asked): a definition with no case for it ends the run rather than, say, calling
            # someone who just unsubscribed.
            early, self._early_gate = self._early_gate, None
            if early is not None and early[0] == name:
                gate = early[1]  # read with the profile, just before (run())
            else:
                gate = await self._gate("branch", Channel(step.on.split(".", 1)[1]), cap=False)
            return "yes" if gate.allowed else "opted_out" if gate.opted_out else "no"
        if step.on == "reply.intent":
            replies = [e for e in self._events[self._mark :] if e.kind in ("reply", "yes", "no")]
            if not replies:
                return "none"
            last = replies[-1]
            return last.kind if last.kind in ("yes", "no") else last.data.get("intent", "other")
        field = step.on.removeprefix("crm.")
        return await self._short(
            JourneyActivities.crm_field,
            CrmFieldInput(
                customer=self._input.customer, field=field, trigger=self._input.trigger.data
            ),
        )

    # -- helpers -----------------------------------------------------------------------------

    def _key(self, step: str) -> str:
        """Idempotency key of a side effect: fixed by the workflow (its ID, the step and how
        many times the step was entered), so it survives retries, crashes and replays. Under
        ``one_at_a_time`` the workflow ID serves run after run, so the run's ID is in the key
        too: the next run's invitation is a new message, not a duplicate of this one's."""
        info = workflow.info()
        run = f"/{info.run_id}" if self._definition.trigger.one_at_a_time else ""
        return f"{info.workflow_id}{run}/{step}/{self._visits.get(step, 1)}"

    def _patched(self, patch: str) -> bool:
        """``workflow.patched(patch)``, or True without a marker for a run whose input lists
        ``patch`` (started by code that has it: ``JourneyInput.patches``). A run's input is
        fixed, so its replays take the same side."""
        return patch in self._input.patches or workflow.patched(patch)

    def _check_exit(self) -> None:
        if self._exit is not None:
            raise JourneyExited(self._exit)

    async def _wait_condition(
        self, done: Callable[[], bool], timeout: timedelta, summary: str
    ) -> None:
        """Wait until ``done()`` or ``timeout``; an exit event ends the run (``JourneyExited``),
        and a message Twilio reported undelivered is handled meanwhile (the wait then goes on
        to its deadline, or ``SendFailed`` leaves it for the step's ``on_failed``)."""
        deadline = workflow.now() + timeout
        while True:
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    lambda: done() or self._exit is not None or self._delivery.pending,
                    timeout=deadline - workflow.now(),
                    timeout_summary=summary,
                )
            self._check_exit()
            if not self._delivery.pending:
                return
            await self._delivery.handle()
            if done() or workflow.now() >= deadline:
                return

    async def _sleep_until(self, at: datetime, summary: str) -> None:
        delay = at - workflow.now()
        if delay > timedelta(0):
            await self._wait_condition(lambda: False, delay, summary)
        self._check_exit()
        # Paused while waiting (e.g. for 08:00): nothing goes out until resumed.
        if self._paused:
            await workflow.wait_condition(lambda: not self._paused or self._exit is not None)
            self._check_exit()

    async def _gate(self, step: str, channel: Channel, *, cap: bool = True) -> GateDecision:
        return await self._short(JourneyActivities.gate, self._gate_input(step, channel, cap=cap))

    def _gate_input(self, step: str, channel: Channel, *, cap: bool) -> GateInput:
        policies = self._definition.policies
        return GateInput(
            customer=self._input.customer,
            channel=channel,
            purpose=policies.purpose,
            frequency_cap=policies.frequency_cap if cap else None,
            key_prefix=self._key(step),
        )

    def _consent_gate_input(self, step_name: str) -> GateInput | None:
        """The gate a consent branch at ``step_name`` asks (``_branch_value``), or None when
        that step is not one."""
        step = self._definition.steps.get(step_name)
        if not isinstance(step, Branch) or not step.on.startswith("consent."):
            return None
        return self._gate_input("branch", Channel(step.on.split(".", 1)[1]), cap=False)

    async def _render(self, step: str, texts: dict[str, str]) -> dict[str, str]:
        return await self._short(
            JourneyActivities.render,
            RenderInput(
                customer=self._input.customer,
                timezone=self._timezone,
                trigger_event=self._input.trigger.event,
                trigger=trigger_now(self._input.trigger.data, self._events),
                variables=self._vars,
                texts=texts,
            ),
        )

    async def _short(self, activity: Callable[[Any, _In], Awaitable[_Out]], arg: _In) -> _Out:
        return await db_activity(activity, arg, local=self._local_reads)

    async def _join_customer(self) -> None:
        """A launched run, before its first call: the customer workflow may not be running
        (``operations/launch.py``), and what Twilio reports of the call (who answered, the
        call's end) goes to it; start it, told about this run, if it is not."""
        if not self._input.attributes_at_start or self._joined:
            return
        await workflow.execute_local_activity_method(
            CustomerLinkActivities.join,
            JoinCustomerInput(
                customer=self._input.customer,
                journey_id=workflow.info().workflow_id,
                listens=listened_events(self._definition),
            ),
            start_to_close_timeout=DB_TIMEOUT,
            retry_policy=DB_RETRY,
        )
        self._joined = True

    async def _tell_customer_workflow_it_ended(self) -> None:
        await self._signal_customer("journey_ended", workflow.info().workflow_id)

    async def _signal_customer(self, signal: str, arg: object) -> None:
        """Signal this customer's workflow; if there is none (a dry run, a customer workflow
        ended by hand) there is nobody to tell, and the run goes on."""
        handle = workflow.get_external_workflow_handle(customer_workflow_id(self._input.customer))
        try:
            await handle.signal(signal, arg)
        except Exception:  # noqa: BLE001 - any failure means the same: no customer workflow
            workflow.logger.info("no customer workflow for signal %s", signal)

    async def _render_or_skip(self, step: str, texts: dict[str, str]) -> dict[str, str] | None:
        """Render, or log why not and return None: a text this customer's data cannot fill
        (e.g. a variable missing from the audience file) skips the step instead of failing the
        whole run."""
        try:
            return await self._render(step, texts)
        except (ActivityError, ApplicationError) as exc:
            cause = application_failure(exc)
            if cause is not None and cause.type == "TemplateError":
                await self._log(f"{step}: skipped: {cause.message}")
                return None
            raise

    async def _log(self, text: str) -> None:
        await self._short(
            JourneyActivities.log,
            JourneyLogInput(
                key=f"{workflow.info().workflow_id}/log/{workflow.uuid4()}",
                customer=self._input.customer,
                text=text,
            ),
        )
