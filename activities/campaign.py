"""A broadcast campaign's activities (``workflows/campaign.py``): its members' sends, in
batches paced at the outreach limit, and what happens to them when the wait after the send is
over.

Per member, a batch does what the member's own journey run would have done up to its send,
with the same rules and the same keys: the customer's profile (time zone), the consent branch
(``consent.whatsapp``, read now), quiet hours (a member in them is deferred to their end, not
dropped), the gate (consent for the journey's purpose and the frequency cap, atomically), the
texts, and the send through the outbox with the key that run would use
(``journey/<name>/<E164>/<campaign id>/<send step>/1``): a member is never sent twice, across
a retried batch, a relaunch, or a run of their own. A member the journey takes elsewhere (a
branch to ``call``, the send's ``on_skip``, the wait's ``on_timeout``) is handed to their own
journey run at that step, through their customer workflow (``enrol``).

A journey that waits before its send (``BroadcastShape.before``: a duration from enrolment, or a
local time) has the batch that first looks at a member take the consent branch then and, when it
leads to the wait, mark the member ``waiting_to_send`` until the wait's end (``due_at``, in the
member's time zone for a local time), as their run would sit on its timer; no workflow, no timer
per member. When it ends they go on to the send as above (the branch is not read again; the gate
reads consent then), unless their run would have exited meanwhile (``exit_on``: ``replied``, they
wrote or called since they entered the wait, ``enrolled_at``; ``stop``, they sent STOP), which the
batch reads from Postgres just before the gate (``campaigns.exits_since``).

The batch works in slices of ``SLICE`` members, ``SLICES_IN_FLIGHT`` at once: one transaction
reads and decides for the whole slice (``switchboard.db.campaigns``: a few statements, not a
dozen per member — consent read about a second before the send, the cap counted and reserved
under the customers' send locks), the sends go out, one transaction stores them. A send that keeps
failing with a retryable error is retried with the batch and given up after
``MAX_SEND_ATTEMPTS`` claims of its outbox row (the member ``failed``, counted); the members
sent meanwhile are stored before the batch is retried.

The pace counts messages, not activities: one leaky bucket (``aiolimiter``) per worker process holds
every batch of a ``rate_limited`` journey it runs to ``sends_per_s`` together (in bursts of at most
a tenth of a second's worth: ``pace``), so two campaigns at once share the limit on one worker.
(Several outreach workers would each allow ``sends_per_s``: run one, or divide.) A journey that is
not ``rate_limited`` sends at the pace of the slices in flight, as its runs would have sent at
theirs.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from aiolimiter import AsyncLimiter
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.campaign_types import BatchResult, FollowUpInput, FollowUpResult, SendBatchInput
from activities.journey import render_context
from activities.journey_types import JourneyStartRequest, RenderInput, TriggerData
from activities.types import SendWhatsAppInput
from activities.whatsapp import WhatsAppActivities
from activities.whatsapp_step import step_message, step_texts
from switchboard import business_calendar as calendar
from switchboard.agent_models import Channel
from switchboard.business import load_profile
from switchboard.db import campaigns, delivery, journey_pauses, outbox
from switchboard.db.engine import Database
from switchboard.db.models import Booking, CampaignMember, Outbox
from switchboard.identity import timezone_for, whatsapp_address
from switchboard.journeys.broadcast import BroadcastShape, broadcast_shape, consent_path, ends
from switchboard.journeys.rendering import RenderError, render_texts
from switchboard.journeys.schema import Branch, JourneyDefinition, SendWhatsApp, Wait
from switchboard.journeys.send_gate import send_gate
from switchboard.temporal import journey_workflow_id
from switchboard.whatsapp_policy import ContentRefused, OutsideServiceWindow, choose_content

# Start a member's own journey run: (E.164, the request, the main task queue).
Enrol = Callable[[str, JourneyStartRequest, str], Awaitable[None]]
# Members per slice: a slice reads and writes Postgres for all its members at once (a few
# statements, not a dozen per member), so consent is read about a second before the send at
# 50 messages/s. Slices in flight: while one reads or stores, the others' sends keep the limit
# busy (a Twilio request takes ~150-300 ms: 50 messages/s needs 8-15 in flight).
SLICE = 24
SLICES_IN_FLIGHT = 3
# Claims of one member's send before it is given up and the member marked failed (visible in
# the counts), as a member's own run gives up after ``workflows.journey.SEND_RETRY``'s 10.
MAX_SEND_ATTEMPTS = 10
ENROL_CONCURRENCY = 8
# The most sends let through at once, in seconds of the limit (``pace``).
BURST_S = 0.1


def pace(sends_per_s: float) -> AsyncLimiter:
    """The leaky bucket holding sends to ``sends_per_s`` with bursts of at most ``BURST_S``
    worth of them: a bucket of a whole second's capacity let twice the limit through in the
    first second of a campaign (104 messages in one second against 50/s in bench suite 4)."""
    capacity = max(1.0, sends_per_s * BURST_S)
    return AsyncLimiter(capacity, capacity / sends_per_s)


@cache
def _timezone_for(e164: str, default: str) -> str:
    """``identity.timezone_for``, remembered: libphonenumber's lookups cost ~0.7 ms a number,
    and a relaunch or a deferred member looks at the same numbers again."""
    return timezone_for(e164, default)


@dataclass
class _Send:
    """A member on their way to the send: the message and, once claimed, its outbox row."""

    e164: str
    journey_id: str
    message: SendWhatsAppInput
    row: Outbox | None = None


@dataclass
class _Slice:
    """What a slice decided for its members, written together (``_write``)."""

    marks: list[campaigns.Mark] = field(default_factory=list)
    lines: list[campaigns.LogLine] = field(default_factory=list)
    hand_overs: list[tuple[CampaignMember, str]] = field(default_factory=list)
    sends: list[_Send] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    def mark(self, e164: str, state: str, *, count_as: str | None = None, **values: Any) -> None:
        """The member's new row state, counted under ``count_as`` (default: the state)."""
        self.marks.append(campaigns.Mark(e164, state, **values))
        self.counts[count_as or state] += 1

    def log(self, journey_id: str, e164: str, step: str, text: str) -> None:
        """The line the member's run would have logged (once per member and step)."""
        key = f"{journey_id}/log/{step}"
        self.lines.append(campaigns.LogLine(key=key, e164=e164, text=f"{step}: {text}"))


class CampaignActivities:
    def __init__(
        self,
        db: Database,
        *,
        whatsapp: WhatsAppActivities,
        sends_per_s: float,
        enrol: Enrol,
        business: dict[str, str] | None = None,
    ) -> None:
        """``business``: what texts may say about the business (``BusinessProfile.facts``);
        None reads the default profile file."""
        self._db = db
        self._business = business if business is not None else load_profile().facts()
        self._whatsapp = whatsapp
        self._limiter = pace(sends_per_s)
        self._enrol = enrol
        # As many starts in flight as a launch allows (operations.launch: the payload key
        # store's pool).
        self._starts = asyncio.Semaphore(ENROL_CONCURRENCY)

    @activity.defn(name="campaign.send_batch")
    async def send_batch(self, input: SendBatchInput) -> BatchResult:
        """Look at up to ``input.limit`` due members (pending, or deferred and due), each to
        its outcome: ``sent``, ``skipped`` (the journey ends for them), ``handed_over``,
        ``deferred`` (quiet hours) or ``failed`` (a send refused for good, e.g. an unknown template,
        or given up after ``MAX_SEND_ATTEMPTS`` claims); when the journey waits before its send,
        ``waiting_to_send`` (not counted: ``BatchResult.waiting`` says how many wait) and ``exited``
        (their run would have exited during the wait: ``exit_on``). Heartbeats the count done; a
        retried batch starts again from the members' rows, so nobody is looked at twice.
        Raises non-retryable ``ApplicationError`` ``NotBroadcast`` for a definition without a
        broadcast shape, and retryable errors (Twilio or Postgres unavailable) as the send
        would — after the members sent meanwhile are stored."""
        shape = _shape(input.definition)
        started, begun = activity.info().current_attempt_scheduled_time, time.monotonic()

        def now() -> datetime:
            # Temporal's clock at the attempt's start, moved on by the time spent since: the
            # time-skipping test server's clock, and the real one in production.
            return started + timedelta(seconds=time.monotonic() - begun)

        async with self._db.session() as s:
            due = await campaigns.due_members(
                s, campaign_id=input.campaign_id, now=now(), limit=input.limit
            )
        counts: Counter[str] = Counter()
        failures: list[BaseException] = []
        gate = asyncio.Semaphore(SLICES_IN_FLIGHT)

        async def one(members: list[CampaignMember]) -> None:
            try:
                counts.update(await self._slice(input, shape, members, now))
            except Exception as exc:  # the others go on; the batch is retried at the end
                failures.append(exc)
            finally:
                gate.release()
            activity.heartbeat(sum(counts.values()))  # the SDK throttles what it sends

        # Slices in flight together, so the limit stays busy to the batch's end. A slice's
        # failure (Twilio away) starts no new slice; those in flight finish and store what
        # they sent, then the batch is retried from the rows (half-sent: the outbox).
        async with asyncio.TaskGroup() as tasks:
            for start in range(0, len(due), SLICE):
                await gate.acquire()
                if failures:
                    gate.release()
                    break
                tasks.create_task(one(due[start : start + SLICE]))
        if failures:
            raise failures[0]
        waiting = None
        async with self._db.session() as s:
            remaining = await campaigns.pending_count(s, campaign_id=input.campaign_id)
            next_due = await campaigns.next_deferred(s, campaign_id=input.campaign_id)
            if shape.before is not None:
                waiting = await campaigns.waiting_count(s, campaign_id=input.campaign_id)
        counts.pop(campaigns.WAITING, None)
        return BatchResult(
            counts=dict(counts), remaining=remaining, next_due=next_due, waiting=waiting
        )

    async def _slice(
        self,
        input: SendBatchInput,
        shape: BroadcastShape,
        members: list[CampaignMember],
        now: Callable[[], datetime],
    ) -> Counter[str]:
        """A slice of members to their outcomes, as each member's run would take them: one
        transaction decides (profiles, the consent branch and the gate read now, quiet hours,
        texts, the outbox claims), the sends go out paced, one transaction stores them.
        Returns the members per outcome."""
        plan = _Slice()
        async with self._db.session() as s:
            await self._decide(s, input, shape, members, now, plan)
        sent: dict[str, tuple[_Send, str, str]] = {}  # key → (send, SID, text)
        error: BaseException | None = None

        paced = input.definition.policies.rate_limited

        async def one(send: _Send) -> None:
            nonlocal error
            try:
                sent[send.message.key] = (send, *await self._send(send, paced=paced))
            except ApplicationError as exc:
                if not exc.non_retryable:
                    error = error or exc
                    return
                note = f"{exc.type}: {exc.message}"
                plan.mark(send.e164, campaigns.FAILED, note=note)
                activity.logger.warning(
                    "campaign send refused", extra={"key": send.message.key, "type": exc.type}
                )
            except Exception as exc:  # the database away: stored with the others, retried
                error = error or exc

        async with asyncio.TaskGroup() as tasks:
            for send in plan.sends:
                tasks.create_task(one(send))
        at = now()
        for send, _sid, _text in sent.values():
            plan.mark(send.e164, campaigns.SENT, sent_at=at)
        async with self._db.session() as s:
            await self._store(s, input, plan, sent)
        if error is not None:
            raise error
        # After the sends are stored: a start that fails (Temporal away) retries the batch
        # without sending anybody's message again (nor looking their outbox rows up at Twilio).
        for member, step in plan.hand_overs:
            trigger = {**(member.variables or {}), "campaign_id": input.trigger_key}
            await self._hand_over(input, member.e164, trigger, step)
            plan.counts[campaigns.HANDED_OVER] += 1
        return plan.counts

    async def _decide(
        self,
        s: AsyncSession,
        input: SendBatchInput,
        shape: BroadcastShape,
        members: list[CampaignMember],
        now: Callable[[], datetime],
        plan: _Slice,
    ) -> None:
        """Each member's way to the send (``JourneyWorkflow``'s, quiet hours aside: the
        member is deferred): the profile (``journey.profile``), the consent branches
        (``_branch_value``; a member the branches take to the wait before the send waits:
        ``_wait_end``), for a member whose wait is over the exits it would have heard of
        (``campaigns.exits_since``), quiet hours, the gate (``journey.gate``: consent and the
        frequency cap, atomically under the customers' send locks, the send reserved), the
        texts (``journey.render``), the content (``choose_content``) and the outbox claim
        with the key the member's run would use. Fills ``plan``."""
        d = input.definition
        step = d.steps[shape.send]
        assert isinstance(step, SendWhatsApp)
        policies = d.policies
        numbers = [m.e164 for m in members]
        zones = await campaigns.ensure_customers(
            s, numbers=numbers, timezone=lambda n: _timezone_for(n, policies.timezone)
        )
        consent = await campaigns.consents(
            s, numbers=numbers, channel=Channel.WHATSAPP.value, purpose=policies.purpose
        )
        ids = {n: journey_workflow_id(d.name, n, input.trigger_key) for n in numbers}
        keys = {n: f"{ids[n]}/{shape.send}/1" for n in numbers}  # JourneyWorkflow._key
        at, going = now(), []
        # Members past the wait before the send: their run took the branches before the wait
        # and would have ended on an exit event during it.
        waited = {
            m.e164: m.enrolled_at or m.created_at
            for m in members
            if shape.before is not None and m.state != campaigns.PENDING
        }
        exits = await campaigns.exits_since(
            s,
            since=waited,
            replied="replied" in policies.exit_on,
            stop="stop" in policies.exit_on,
        )
        for member in members:
            n = member.e164
            target = shape.send if n in waited else _branch(d, consent[n])
            if target is not None and target == shape.before:
                zone = zones.get(n) or _timezone_for(n, policies.timezone)
                end = _wait_end(d, target, at, zone)
                plan.mark(n, campaigns.WAITING, due_at=end, note=target, enrolled_at=at)
                continue
            if n in exits:
                state = campaigns.REPLIED if exits[n] == "replied" else campaigns.SKIPPED
                plan.mark(n, state, count_as="exited", note=exits[n])
                plan.log(ids[n], n, target or shape.send, f"exited: {exits[n]}")
                continue
            if target != shape.send:
                self._elsewhere(d, plan, member, target)
                continue
            zone = zones.get(n) or _timezone_for(n, policies.timezone)
            due = calendar.send_time(at, zone, quiet=policies.quiet_hours, hours=None)
            if due > at:
                plan.mark(n, campaigns.DEFERRED, due_at=due)
                continue
            going.append((member, zone))
        cap = policies.frequency_cap
        recent: dict[str, int] = {}
        if cap is not None and going:
            mine = {m.e164: keys[m.e164] for m, _ in going}
            await campaigns.lock_sends(s, sorted(mine))
            recent = await campaigns.recent_sends(s, prefixes=mine, per=cap.per)
        passed = []
        for member, zone in going:
            n = member.e164
            verdict = send_gate(
                channel=Channel.WHATSAPP,
                purpose=policies.purpose,
                consent=consent[n],
                cap=cap,
                recent_sends=recent.get(n, 0),
            )
            if verdict.allowed:
                passed.append((member, zone))
            else:
                plan.log(ids[n], n, shape.send, f"WhatsApp send skipped: {verdict.reason}")
                self._elsewhere(d, plan, member, step.on_skip or step.next)
        if cap is not None:
            reserved = {m.e164: keys[m.e164] for m, _ in passed}
            await campaigns.reserve_sends(s, keys=reserved, channel=Channel.WHATSAPP.value)
        passing = [m.e164 for m, _ in passed]
        last: dict[str, datetime] = {}
        books: dict[str, list[Booking]] = {}
        if passing:  # a slice of members entering the wait before the send sends nobody
            last = await campaigns.last_inbound(s, numbers=passing, channel=Channel.WHATSAPP.value)
            books = await campaigns.bookings(s, numbers=passing)
        claims = []
        for member, zone in passed:
            n = member.e164
            trigger = {**(member.variables or {}), "campaign_id": input.trigger_key}
            render = RenderInput(
                customer=n,
                timezone=zone,
                trigger_event="audience",
                trigger=trigger,
                texts=step_texts(step),
            )
            try:
                rendered = render_texts(
                    render.texts, render_context(render, books.get(n, []), self._business)
                )
            except RenderError as exc:
                plan.log(ids[n], n, shape.send, f"skipped: {exc}")
                self._elsewhere(d, plan, member, step.on_skip or step.next)
                continue
            message = step_message(
                step, rendered, key=keys[n], customer=n, purpose=policies.purpose
            )
            try:
                content = choose_content(
                    body=message.body,
                    template=message.template,
                    templates=self._whatsapp.templates,
                    last_inbound=last.get(n),
                    now=at,
                )
            except OutsideServiceWindow:
                text = "WhatsApp send skipped: outside the 24-hour window and no template"
                plan.log(ids[n], n, shape.send, text)
                self._elsewhere(d, plan, member, step.on_skip or step.next)
                continue
            except ContentRefused as exc:  # for good (unknown template): as deliver refuses
                plan.mark(n, campaigns.FAILED, note=f"{type(exc).__name__}: {exc}")
                continue
            plan.sends.append(_Send(n, ids[n], message))
            claims.append(
                outbox.Claim(
                    key=message.key,
                    recipient=whatsapp_address(n),
                    body=content.text,
                    content_sid=content.template.content_sid if content.template else None,
                    content_variables=content.variables,
                )
            )
        rows = (
            {r.key: r for r in await outbox.claim_many(s, claims, kind="whatsapp")}
            if claims
            else {}
        )
        for send in plan.sends:
            send.row = rows[send.message.key]
        await campaigns.log_lines(s, plan.lines)
        await campaigns.mark_many(s, campaign_id=input.campaign_id, marks=plan.marks)
        plan.lines, plan.marks = [], []  # written: what follows is the sends'

    def _elsewhere(
        self, d: JourneyDefinition, plan: _Slice, member: CampaignMember, target: str | None
    ) -> None:
        """A member the journey takes past the send: done (``skipped``) when ``target`` ends
        it, else handed to a run of their own at ``target``."""
        if ends(d, target):
            plan.mark(member.e164, campaigns.SKIPPED, note=target)
        else:
            assert target is not None
            plan.hand_overs.append((member, target))

    async def _send(self, send: _Send, *, paced: bool) -> tuple[str, str]:
        """The claimed send (``WhatsAppActivities.send_claimed``), held to the outreach limit
        when ``paced``: returns the SID and the text sent. Raises as ``send_claimed``
        (``SendAttemptsExhausted`` past ``MAX_SEND_ATTEMPTS``)."""
        assert send.row is not None
        if not paced:
            sid, text, _content_sid = await self._whatsapp.send_claimed(
                send.message, send.row, max_attempts=MAX_SEND_ATTEMPTS
            )
            return sid, text
        async with self._limiter:
            sid, text, _content_sid = await self._whatsapp.send_claimed(
                send.message, send.row, max_attempts=MAX_SEND_ATTEMPTS
            )
        return sid, text

    async def _store(
        self,
        s: AsyncSession,
        input: SendBatchInput,
        plan: _Slice,
        sent: dict[str, tuple[_Send, str, str]],
    ) -> None:
        """The slice's sends stored as ``deliver`` stores one: the outbox rows sent, the log
        rows (``queued``), the callbacks that beat them applied (``catch_up_many``, under the
        messages' locks taken first), the members marked."""
        sids = {key: sid for key, (_send, sid, _text) in sent.items()}
        await delivery.lock_messages(s, sorted(sids.values()))
        await outbox.mark_sent_many(s, sids)
        lines = [
            campaigns.LogLine(
                key=key, e164=send.e164, text=text, kind="text", provider_sid=sid, status="queued"
            )
            for key, (send, sid, text) in sent.items()
        ]
        await campaigns.log_lines(s, lines)
        await delivery.catch_up_many(s, list(sids.values()))
        await campaigns.mark_many(s, campaign_id=input.campaign_id, marks=plan.marks)

    @activity.defn(name="campaign.follow_up")
    async def follow_up(self, input: FollowUpInput) -> FollowUpResult:
        """Members whose wait after the send is over (sent at or before ``now - timeout``):
        those who wrote or called since their message are done (``replied``: the
        conversation took over, as ``exit_on: replied`` ends their run); the others go on at
        ``on_timeout`` in a journey run of their own (``followed_up``; their row
        ``handed_over``), or are done when it ends the journey (``no_reply``; row
        ``skipped``). Returns the counts and when the next wait ends."""
        counts: Counter[str] = Counter()
        async with self._db.session() as s:
            over = await campaigns.waits_over(
                s,
                campaign_id=input.campaign_id,
                sent_before=input.now - input.timeout,
                limit=input.limit,
            )
        for member in over:
            assert member.sent_at is not None
            async with self._db.session() as s:
                replied = await campaigns.replied_since(s, e164=member.e164, since=member.sent_at)
            if replied:
                outcome = "replied"
                await self._mark(input, member.e164, campaigns.REPLIED, note="replied")
            elif ends(input.definition, input.on_timeout):
                outcome = "no_reply"
                await self._mark(input, member.e164, campaigns.SKIPPED, note="no reply")
            else:
                assert input.on_timeout is not None
                outcome = "followed_up"
                trigger = {**(member.variables or {}), "campaign_id": input.trigger_key}
                await self._hand_over(input, member.e164, trigger, input.on_timeout)
            counts[outcome] += 1
            activity.heartbeat(sum(counts.values()))
        async with self._db.session() as s:
            next_due = await campaigns.next_wait_end(
                s, campaign_id=input.campaign_id, timeout=input.timeout
            )
        return FollowUpResult(counts=dict(counts), more=len(over) >= input.limit, next_due=next_due)

    async def _hand_over(
        self,
        input: SendBatchInput | FollowUpInput,
        e164: str,
        trigger: dict[str, str],
        step: str,
    ) -> None:
        """Start the member's own run at ``step`` (its ID and keys those a run from the
        start would have), then mark them ``handed_over``. A start repeated by a retry is one
        run: the customer workflow starts one per journey × customer × campaign. The journey
        paused (``journey_pause``; a batch in flight, or a follow-up, when it was paused): the
        run starts paused."""
        async with self._db.session() as s:
            held = await journey_pauses.paused(s, journey=input.definition.name) is not None
        request = JourneyStartRequest(
            definition=input.definition,
            version=input.version,
            trigger=TriggerData(event="audience", key=input.trigger_key, data=trigger),
            start_at=step,
            paused=held,
        )
        async with self._starts:
            await self._enrol(e164, request, input.task_queue)
        await self._mark(input, e164, campaigns.HANDED_OVER, note=step)

    async def _mark(
        self,
        input: SendBatchInput | FollowUpInput,
        e164: str,
        state: str,
        *,
        sent_at: datetime | None = None,
        due_at: datetime | None = None,
        note: str | None = None,
    ) -> None:
        async with self._db.session() as s:
            await campaigns.mark(
                s,
                campaign_id=input.campaign_id,
                e164=e164,
                state=state,
                sent_at=sent_at,
                due_at=due_at,
                note=note,
            )


def _branch(d: JourneyDefinition, consent: str | None) -> str | None:
    """Where the consent branches take a member whose WhatsApp consent for the journey's
    purpose is ``consent`` (``JourneyWorkflow._branch_value`` on ``consent.whatsapp``: the
    gate without a cap says ``yes`` to an opt-in, ``opted_out`` to any other decision, ``no``
    when there is none)."""
    if not isinstance(d.steps[d.start], Branch):
        return d.start
    value = "yes" if consent == "opted_in" else "no" if consent is None else "opted_out"
    return consent_path(d, value)


def _wait_end(d: JourneyDefinition, name: str, now: datetime, zone: str) -> datetime:
    """When the wait step ``name`` that a member enters at ``now`` ends (UTC), as
    ``JourneyWorkflow._wait`` computes it: ``now + duration``, or the next ``until`` local time
    in the member's time zone ``zone`` (business days only when ``business_day``)."""
    step = d.steps[name]
    assert isinstance(step, Wait)
    if step.duration is not None:
        return now + step.duration
    assert step.until is not None and step.until.time is not None  # broadcast_shape checks
    return calendar.next_local_time(
        now,
        zone,
        step.until.time,
        hours=d.policies.business_hours if step.until.business_day else None,
        not_before=step.until.not_before,
    )


def _shape(definition: JourneyDefinition) -> BroadcastShape:
    shape = broadcast_shape(definition)
    if shape is None:
        raise ApplicationError(
            f"{definition.name} has no broadcast shape", type="NotBroadcast", non_retryable=True
        )
    return shape
