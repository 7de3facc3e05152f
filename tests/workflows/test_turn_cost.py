"""What a customer turn costs in Temporal (issue 14): a voice note's audio and the agent's
decision on it are one local activity, its spoken reply (the text, synthesis and the voice
note) another, so the turn is one workflow task with no activity task; a turn on the channel
of the last one writes no search attributes, while the customer's number and channel stay
searchable across continue-as-new (erasure and the console find runs by them).
Real Temporal dev server, real Postgres, real Whisper, signed webhooks."""

from __future__ import annotations

import json
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import WorkflowHistory

from switchboard.audio import decode_pcm
from switchboard.temporal import CHANNEL, CUSTOMER_PHONE, customer_workflow_id
from tests.conftest import Harness
from tests.polling import eventually

CUSTOMER = "+33612345678"


def at_least(n: int) -> Callable[[int], bool]:
    return lambda count: count >= n


# The markers the SDK records for a local activity's result and for a patch, and the search
# attribute it keeps the patches in (the SDK's own names).
LOCAL_ACTIVITY_MARKER = "core_local_activity"
PATCH_MARKER = "core_patch"
CHANGE_VERSION = "TemporalChangeVersion"


def activities_of(history: WorkflowHistory) -> list[str]:
    return [
        e.activity_task_scheduled_event_attributes.activity_type.name
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
    ]


def upserts_in(history: WorkflowHistory) -> int:
    """Upserts of our own search attributes (the SDK records each patch a run takes in
    ``TemporalChangeVersion`` by itself: once per patch per run, not counted here)."""
    ours = {CUSTOMER_PHONE.name, CHANNEL.name}
    return sum(
        1
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES
        and ours
        & set(e.upsert_workflow_search_attributes_event_attributes.search_attributes.indexed_fields)
    )


@dataclass(frozen=True)
class TurnCost:
    """What one turn wrote in the run's history: ``events`` leaves out the per-run records of
    a patch (its marker and the SDK's ``TemporalChangeVersion`` upsert, written the first time
    a run takes the patch, whichever turn that is)."""

    events: int
    workflow_tasks: int
    activities: list[str]
    local_activities: list[str]
    seconds: float  # from the message's signal to the turn's last event


def _is_patch_record(event: HistoryEvent) -> bool:
    if event.event_type == EventType.EVENT_TYPE_MARKER_RECORDED:
        return event.marker_recorded_event_attributes.marker_name == PATCH_MARKER
    return event.event_type == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES and set(
        event.upsert_workflow_search_attributes_event_attributes.search_attributes.indexed_fields
    ) == {CHANGE_VERSION}


def _local_activity_type(event: HistoryEvent) -> str:
    """The type of the local activity whose result ``event`` (its marker) records: the SDK's
    own marker data, plain JSON (the codec leaves it alone)."""
    data = event.marker_recorded_event_attributes.details["data"].payloads[0].data
    activity_type: str = json.loads(data)["activity_type"]
    return activity_type


def last_turn_cost(history: WorkflowHistory) -> TurnCost:
    """What the run's last turn wrote: the events from its message's signal on (the test
    sends each message once the turn before it has settled)."""
    start = max(
        i
        for i, e in enumerate(history.events)
        if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED
        and e.workflow_execution_signaled_event_attributes.signal_name == "message"
    )
    span: Sequence[HistoryEvent] = [e for e in history.events[start:] if not _is_patch_record(e)]
    return TurnCost(
        events=len(span),
        workflow_tasks=sum(
            1 for e in span if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED
        ),
        activities=activities_of(WorkflowHistory(history.workflow_id, list(span))),
        local_activities=[
            _local_activity_type(e)
            for e in span
            if e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED
            and e.marker_recorded_event_attributes.marker_name == LOCAL_ACTIVITY_MARKER
        ],
        seconds=(
            span[-1].event_time.ToDatetime() - span[0].event_time.ToDatetime()
        ).total_seconds(),
    )


def settled(history: WorkflowHistory) -> bool:
    """Nothing left of the last turn: its last workflow task completed, no activity open."""
    tasks = [
        e.event_type
        for e in history.events
        if e.event_type
        in (
            EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
            EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
            EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
        )
    ]
    kinds = [e.event_type for e in history.events]
    opened = kinds.count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
    closed = sum(
        kinds.count(k)
        for k in (
            EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
            EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED,
            EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT,
        )
    )
    return (
        bool(tasks)
        and tasks[-1] == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED
        and (opened == closed)
    )


def first_seconds(audio: bytes, seconds: float, path: Path) -> Path:
    """The first ``seconds`` of ``audio`` as a 16 kHz WAV at ``path``: a voice note Whisper
    hears in well under the 8 s after which a local activity heartbeats the workflow task."""
    pcm = decode_pcm(audio)[: int(16000 * seconds)]
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes((pcm * 32767).astype("<i2").tobytes())
    return path


async def test_a_voice_note_turn_is_one_workflow_task_and_attributes_are_written_once(
    harness: Harness, jfk_flac: bytes, tmp_path: Path
) -> None:
    note = first_seconds(jfk_flac, 3.0, tmp_path / "jfk-3s.wav")
    handle = harness.temporal.get_workflow_handle(customer_workflow_id(CUSTOMER))

    async def sent() -> int:
        messages = await harness.sandbox_messages()
        return sum(1 for m in messages if m["to"] == f"whatsapp:{CUSTOMER}")

    async def history() -> WorkflowHistory:
        return await handle.fetch_history()

    async def run_id() -> str:
        return (await handle.describe()).run_id

    # A text first: its run's first workflow task records the run's patches and the customer's
    # number, which takes it past the test server's suggestion to continue as new (40 events),
    # so the voice note is heard in the continued run, in a turn of its own.
    await harness.sim.whatsapp(CUSTOMER, text="hello")
    await eventually(sent, at_least(1))
    first_run = (await history()).events[0].workflow_execution_started_event_attributes
    latest = await eventually(run_id, lambda run: run != first_run.first_execution_run_id)
    await eventually(history, settled)
    await harness.sim.whatsapp(CUSTOMER, text="", audio_file=note)
    await eventually(sent, at_least(3))  # the text reply, then the voice note
    heard = await eventually(history, settled)
    assert await run_id() == latest, "heard in the continued run"

    # Was 19 events, 3 workflow tasks and 2 activities (patch decide-with-transcript).
    cost = last_turn_cost(heard)
    assert cost.activities == [], "no activity task: every step local"
    assert {"stt.transcribe_and_decide", "tts.voice_note"} <= set(cost.local_activities)
    # One workflow task, and one more for each 8 s (80% of the 10 s workflow task timeout) a
    # local activity held it: the worker then heartbeats the task (Temporal, "Local
    # Activity"). Whisper's first note in a worker, on a loaded machine, can take that long.
    assert 1 <= cost.workflow_tasks <= 1 + int(cost.seconds // 8), cost
    assert cost.events == 1 + 3 * cost.workflow_tasks + len(cost.local_activities), (
        "the message, the workflow task(s), one marker per local activity: nothing else"
    )
    assert len(cost.local_activities) == 5, cost

    first = await harness.temporal.get_workflow_handle(
        handle.id, run_id=first_run.first_execution_run_id
    ).fetch_history()
    assert activities_of(first) == ["agent.decide", "whatsapp.send"], "a text turn"
    assert upserts_in(first) == 2, "the number once, the channel once"
    attributes = (await handle.describe()).typed_search_attributes
    assert attributes.get(CUSTOMER_PHONE) == CUSTOMER, "still found by number after the hand-over"
    assert attributes.get(CHANNEL) == "whatsapp"
    assert upserts_in(heard) == 0, "the continued run inherits both"
