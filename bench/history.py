"""Turn timelines read from Temporal workflow histories (no instrumentation in the product).

In a customer workflow's history, an inbound message enters as a ``WorkflowExecutionUpdateAccepted``
event whose update ID is the Twilio SID (update-with-start), or as a ``WorkflowExecutionSignaled``
event whose payload is the message (signal-with-start: its ``sid`` field); either way its time is
when the message became durable in the workflow. The turn's activities follow as
``ActivityTaskScheduled``
(the workflow decided to run it), ``ActivityTaskStarted`` (a worker picked it up; its event time
is the pick-up time even though the server writes the event when the attempt ends) and
``ActivityTaskCompleted``/``Failed``/``TimedOut``. Activities are attributed to the update
accepted most recently before them: right for the benches, where a customer's next message waits
for the previous turn to finish (or each customer sends one message).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client
from temporalio.service import RPCError

E = EventType


@dataclass
class ActivityStep:
    name: str
    scheduled: float
    started: float | None = None
    ended: float | None = None
    ok: bool = False


@dataclass
class TurnTimeline:
    """Wall-clock seconds (``time.time()`` scale). ``accepted``: when the message entered the
    workflow's history (update accepted, or signal recorded)."""

    sid: str
    accepted: float
    activities: list[ActivityStep] = field(default_factory=list)

    def first(self, name: str | None = None, nth: int = 0) -> ActivityStep | None:
        found = [a for a in self.activities if name is None or a.name == name]
        return found[nth] if len(found) > nth else None


def _t(event: HistoryEvent) -> float:
    return event.event_time.seconds + event.event_time.nanos / 1e9


def _signalled_sid(event: HistoryEvent) -> str | None:
    """The ``sid`` of a signal whose first argument is a message (JSON with a ``sid``)."""
    payloads = event.workflow_execution_signaled_event_attributes.input.payloads
    if not payloads:
        return None
    try:
        data = json.loads(payloads[0].data)
    except ValueError:
        return None
    sid = data.get("sid") if isinstance(data, dict) else None
    return sid if isinstance(sid, str) else None


def timelines(events: list[HistoryEvent]) -> dict[str, TurnTimeline]:
    turns: dict[str, TurnTimeline] = {}
    by_scheduled_id: dict[int, ActivityStep] = {}
    current: TurnTimeline | None = None
    for event in events:
        kind = event.event_type
        if kind == E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
            attrs = event.workflow_execution_update_accepted_event_attributes
            sid = attrs.accepted_request.meta.update_id
            current = turns.setdefault(sid, TurnTimeline(sid=sid, accepted=_t(event)))
        elif kind == E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
            signalled = _signalled_sid(event)
            if signalled is not None:
                current = turns.setdefault(
                    signalled, TurnTimeline(sid=signalled, accepted=_t(event))
                )
        elif kind == E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED and current is not None:
            step = ActivityStep(
                name=event.activity_task_scheduled_event_attributes.activity_type.name,
                scheduled=_t(event),
            )
            by_scheduled_id[event.event_id] = step
            current.activities.append(step)
        elif kind == E.EVENT_TYPE_ACTIVITY_TASK_STARTED:
            found = by_scheduled_id.get(
                event.activity_task_started_event_attributes.scheduled_event_id
            )
            if found is not None:
                found.started = _t(event)
        elif kind == E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
            found = by_scheduled_id.get(
                event.activity_task_completed_event_attributes.scheduled_event_id
            )
            if found is not None:
                found.ended, found.ok = _t(event), True
        elif kind in (E.EVENT_TYPE_ACTIVITY_TASK_FAILED, E.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT):
            attrs_f = (
                event.activity_task_failed_event_attributes
                if kind == E.EVENT_TYPE_ACTIVITY_TASK_FAILED
                else event.activity_task_timed_out_event_attributes
            )
            found = by_scheduled_id.get(attrs_f.scheduled_event_id)
            if found is not None:
                found.ended = _t(event)
    return turns


async def fetch_events(client: Client, workflow_id: str) -> list[HistoryEvent]:
    """Every event of the workflow's latest run ([] if there is no such workflow)."""
    try:
        history = await client.get_workflow_handle(workflow_id).fetch_history()
    except RPCError:
        return []
    events = list(history.events)
    codec = client.data_converter.payload_codec
    if codec is not None:  # signals' payloads are encrypted; ``timelines`` reads their SIDs
        for event in events:
            if event.HasField("workflow_execution_signaled_event_attributes"):
                await codec.decode_wrapper(event.workflow_execution_signaled_event_attributes.input)
    return events


async def fetch_timelines(
    client: Client, workflow_ids: list[str], *, concurrency: int = 16
) -> dict[str, TurnTimeline]:
    """Turn timelines of every update found in these workflows, by SID."""
    gate = asyncio.Semaphore(concurrency)
    found: dict[str, TurnTimeline] = {}

    async def one(workflow_id: str) -> None:
        async with gate:
            found.update(timelines(await fetch_events(client, workflow_id)))

    await asyncio.gather(*(one(w) for w in dict.fromkeys(workflow_ids)))
    return found


async def timer_events(client: Client, workflow_id: str) -> list[tuple[float, float | None, float]]:
    """(started, fired or None, duration s) of each timer in the workflow."""
    events = await fetch_events(client, workflow_id)
    started: dict[int, tuple[float, float]] = {}
    fired: dict[int, float] = {}
    for event in events:
        if event.event_type == E.EVENT_TYPE_TIMER_STARTED:
            attrs = event.timer_started_event_attributes
            d = attrs.start_to_fire_timeout
            started[event.event_id] = (_t(event), d.seconds + d.nanos / 1e9)
        elif event.event_type == E.EVENT_TYPE_TIMER_FIRED:
            fired[event.timer_fired_event_attributes.started_event_id] = _t(event)
    return [(s, fired.get(i), d) for i, (s, d) in started.items()]
