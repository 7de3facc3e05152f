"""A broadcast campaign's activities (``workflows/campaign.py``): its members' sends, in
batches paced at the outreach limit, and what happens to them when the wait after the send is
over.

Per member, a batch does what the member's own journey run would have done up to its send,
with the same activities' code and the same keys: the customer's profile (time zone), the
consent branch (``consent.whatsapp``, read now), quiet hours (a member in them is deferred to
their end, not dropped), the gate (consent for the journey's purpose and the frequency cap,
atomically), the texts, and the send through the outbox with the key that run would use
(``journey/<name>/<E164>/<campaign id>/<send step>/1``): a member is never sent twice, across
a retried batch, a relaunch, or a run of their own. A member the journey takes elsewhere (a
branch to ``call``, the send's ``on_skip``, the wait's ``on_timeout``) is handed to their own
journey run at that step, through their customer workflow (``enrol``).

The pace counts messages, not activities: one leaky bucket (``aiolimiter``) per worker process
holds every batch it runs to ``sends_per_s`` together, so two campaigns at once share the limit
on one worker. (Several outreach workers would each allow ``sends_per_s``: run one, or divide.)
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from aiolimiter import AsyncLimiter
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.campaign_types import BatchResult, FollowUpInput, FollowUpResult, SendBatchInput
from activities.journey import JourneyActivities
from activities.journey_types import (
    GateInput,
    JourneyLogInput,
    JourneyStartRequest,
    ProfileInput,
    RenderInput,
    TriggerData,
)
from activities.types import SendWhatsAppInput, WhatsAppTemplate
from activities.whatsapp import WhatsAppActivities
from switchboard import business_calendar as calendar
from switchboard.agent_models import Channel
from switchboard.db import campaigns
from switchboard.db.engine import Database
from switchboard.db.models import CampaignMember
from switchboard.journeys.broadcast import BroadcastShape, broadcast_shape, consent_path, ends
from switchboard.journeys.schema import Branch, JourneyDefinition, SendWhatsApp
from switchboard.temporal import journey_workflow_id

# Start a member's own journey run: (E.164, the request, the main task queue).
Enrol = Callable[[str, JourneyStartRequest, str], Awaitable[None]]
# Members in flight at once: a member takes a few Postgres transactions and a Twilio request
# (~150-300 ms), so 50 messages/s needs 8-15 of them; 32 leaves room on a loaded machine. Each
# holds a pooled connection only for its short transactions, never across the Twilio call.
CONCURRENCY = 32
ENROL_CONCURRENCY = 8


class CampaignActivities:
    def __init__(
        self,
        db: Database,
        *,
        journeys: JourneyActivities,
        whatsapp: WhatsAppActivities,
        sends_per_s: float,
        enrol: Enrol,
    ) -> None:
        self._db = db
        self._journeys = journeys
        self._whatsapp = whatsapp
        self._limiter = AsyncLimiter(sends_per_s, 1.0)
        self._enrol = enrol
        # As many starts in flight as a launch allows (operations.launch: the payload key
        # store's pool).
        self._starts = asyncio.Semaphore(ENROL_CONCURRENCY)

    @activity.defn(name="campaign.send_batch")
    async def send_batch(self, input: SendBatchInput) -> BatchResult:
        """Look at up to ``input.limit`` due members (pending, or deferred and due), each to
        its outcome: ``sent``, ``skipped`` (the journey ends for them), ``handed_over``,
        ``deferred`` (quiet hours) or ``failed`` (a send refused for good, e.g. an unknown
        template). Heartbeats the count done; a retried batch starts again from the members'
        rows, so nobody is looked at twice. Raises non-retryable ``ApplicationError``
        ``NotBroadcast`` for a definition without a broadcast shape, and retryable errors
        (Twilio or Postgres unavailable) as the send would."""
        shape = _shape(input.definition)
        started, begun = activity.info().current_attempt_scheduled_time, time.monotonic()

        def now() -> datetime:
            # Temporal's clock at the attempt's start, moved on by the time spent since: the
            # time-skipping test server's clock, and the real one in production.
            return started + timedelta(seconds=time.monotonic() - begun)

        counts: Counter[str] = Counter()
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(member: CampaignMember) -> None:
            async with gate:
                counts[await self._member(input, shape, member, now)] += 1
            activity.heartbeat(sum(counts.values()))  # the SDK throttles what it sends

        async with self._db.session() as s:
            due = await campaigns.due_members(
                s, campaign_id=input.campaign_id, now=now(), limit=input.limit
            )
        # All of the batch's members in one pool of CONCURRENCY slots, so the limit stays busy
        # to the batch's end (chunks waited for their slowest member: ~8% of the rate at a
        # 150 ms send). A member's failure (Twilio away) stops the others too: the batch is
        # retried from the rows, and what was half-sent is reconciled by the outbox.
        try:
            async with asyncio.TaskGroup() as tasks:
                for member in due:
                    tasks.create_task(one(member))
        except ExceptionGroup as failed:
            raise failed.exceptions[0] from failed
        async with self._db.session() as s:
            remaining = await campaigns.pending_count(s, campaign_id=input.campaign_id)
            next_due = await campaigns.next_deferred(s, campaign_id=input.campaign_id)
        return BatchResult(counts=dict(counts), remaining=remaining, next_due=next_due)

    async def _member(
        self,
        input: SendBatchInput,
        shape: BroadcastShape,
        member: CampaignMember,
        now: Callable[[], datetime],
    ) -> str:
        """One member to their outcome (``send_batch``); returns the state they are left in."""
        d = input.definition
        e164 = member.e164
        journey_id = journey_workflow_id(d.name, e164, input.trigger_key)
        trigger = {**(member.variables or {}), "campaign_id": input.trigger_key}
        profile = await self._journeys.profile(
            ProfileInput(customer=e164, default_timezone=d.policies.timezone)
        )
        target = await self._branches(d, e164, journey_id)
        if target == shape.send:
            send = d.steps[shape.send]
            assert isinstance(send, SendWhatsApp)
            at = calendar.send_time(
                now(), profile.timezone, quiet=d.policies.quiet_hours, hours=None
            )
            if at > now():
                await self._mark(input, e164, campaigns.DEFERRED, due_at=at)
                return campaigns.DEFERRED
            outcome = await self._send(
                input, shape.send, e164, journey_id, profile.timezone, trigger, now
            )
            if outcome == campaigns.SENT:
                await self._mark(input, e164, campaigns.SENT, sent_at=now())
                return campaigns.SENT
            if outcome == campaigns.FAILED:
                return campaigns.FAILED
            target = send.on_skip or send.next
        if ends(d, target):
            await self._mark(input, e164, campaigns.SKIPPED, note=target)
            return campaigns.SKIPPED
        assert target is not None
        await self._hand_over(input, e164, trigger, target)
        return campaigns.HANDED_OVER

    async def _branches(self, d: JourneyDefinition, e164: str, journey_id: str) -> str | None:
        """Where the consent branches take the member (``broadcast.consent_path``), consent
        read now, as ``JourneyWorkflow._branch_value`` reads it."""
        if not isinstance(d.steps[d.start], Branch):
            return d.start
        gate = await self._journeys.gate(
            GateInput(
                customer=e164,
                channel=Channel.WHATSAPP,
                purpose=d.policies.purpose,
                key_prefix=f"{journey_id}/{d.start}/1",
            )
        )
        value = "yes" if gate.allowed else "opted_out" if gate.opted_out else "no"
        return consent_path(d, value)

    async def _send(
        self,
        input: SendBatchInput,
        name: str,
        e164: str,
        journey_id: str,
        timezone: str,
        trigger: dict[str, str],
        now: Callable[[], datetime],
    ) -> str:
        """The send step as ``JourneyWorkflow._send_whatsapp`` runs it, quiet hours aside:
        gate, texts, the send (paced). Returns ``sent``, ``skipped`` (gate, texts or the
        24-hour window said no; logged as the run logs it) or ``failed`` (marked here)."""
        d = input.definition
        step = d.steps[name]
        assert isinstance(step, SendWhatsApp)
        key = f"{journey_id}/{name}/1"  # JourneyWorkflow._key: first visit, not one_at_a_time
        gate = await self._journeys.gate(
            GateInput(
                customer=e164,
                channel=Channel.WHATSAPP,
                purpose=d.policies.purpose,
                frequency_cap=d.policies.frequency_cap,
                key_prefix=key,
            )
        )
        if not gate.allowed:
            await self._log(journey_id, e164, name, f"WhatsApp send skipped: {gate.reason}")
            return campaigns.SKIPPED
        texts = {"text": step.text}
        if step.template is not None:
            texts.update({f"var:{k}": v for k, v in step.template.variables.items()})
        try:
            rendered = await self._journeys.render(
                RenderInput(
                    customer=e164,
                    timezone=timezone,
                    trigger_event="audience",
                    trigger=trigger,
                    texts=texts,
                )
            )
        except ApplicationError as exc:
            if exc.type != "TemplateError":
                raise
            await self._log(journey_id, e164, name, f"skipped: {exc.message}")
            return campaigns.SKIPPED
        template = (
            WhatsAppTemplate(
                name=step.template.name,
                variables={k: rendered[f"var:{k}"] for k in step.template.variables},
            )
            if step.template is not None
            else None
        )
        message = SendWhatsAppInput(
            key=key,
            customer=e164,
            body=rendered["text"],
            template=template,
            purpose=d.policies.purpose,
        )
        async with self._limiter:
            try:
                await self._whatsapp.deliver(message, now=now())
            except ApplicationError as exc:
                if exc.type == "OutsideServiceWindow":
                    text = "WhatsApp send skipped: outside the 24-hour window and no template"
                    await self._log(journey_id, e164, name, text)
                    return campaigns.SKIPPED
                if not exc.non_retryable:
                    raise  # Twilio or the database is away: the batch is retried
                await self._mark(input, e164, campaigns.FAILED, note=f"{exc.type}: {exc.message}")
                activity.logger.warning(
                    "campaign send refused", extra={"key": key, "type": exc.type}
                )
                return campaigns.FAILED
        return campaigns.SENT

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
        run: the customer workflow starts one per journey × customer × campaign."""
        request = JourneyStartRequest(
            definition=input.definition,
            version=input.version,
            trigger=TriggerData(event="audience", key=input.trigger_key, data=trigger),
            start_at=step,
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

    async def _log(self, journey_id: str, e164: str, step: str, text: str) -> None:
        """The line the member's run would have logged (once per member and step)."""
        await self._journeys.log(
            JourneyLogInput(key=f"{journey_id}/log/{step}", customer=e164, text=f"{step}: {text}")
        )


def _shape(definition: JourneyDefinition) -> BroadcastShape:
    shape = broadcast_shape(definition)
    if shape is None:
        raise ApplicationError(
            f"{definition.name} has no broadcast shape", type="NotBroadcast", non_retryable=True
        )
    return shape
