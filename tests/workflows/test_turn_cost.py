"""What a customer turn costs in Temporal (issue 14): a voice note's audio and the agent's
decision on it are one activity, its spoken reply (synthesis and send) another, and a turn on
the channel of the last one writes no search attributes, while the customer's number and
channel stay searchable across continue-as-new (erasure and the console find runs by them).
Real Temporal dev server, real Postgres, real Whisper, signed webhooks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory

from switchboard.temporal import CHANNEL, CUSTOMER_PHONE, customer_workflow_id
from tests.conftest import Harness
from tests.polling import eventually

CUSTOMER = "+33612345678"


def at_least(n: int) -> Callable[[int], bool]:
    return lambda count: count >= n


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


async def test_a_voice_note_is_one_activity_and_searchable_attributes_are_written_once(
    harness: Harness, jfk_flac: bytes, tmp_path: Path
) -> None:
    note = tmp_path / "jfk.flac"
    note.write_bytes(jfk_flac)
    handle = harness.temporal.get_workflow_handle(customer_workflow_id(CUSTOMER))

    async def sent() -> int:
        messages = await harness.sandbox_messages()
        return sum(1 for m in messages if m["to"] == f"whatsapp:{CUSTOMER}")

    await harness.sim.whatsapp(CUSTOMER, text="", audio_file=note)
    await eventually(sent, at_least(2))  # the text reply, then the voice note
    started = (await handle.fetch_history()).events[0]
    first_run = started.workflow_execution_started_event_attributes.first_execution_run_id

    # Text turns on the same channel until the run continues as new (the test server suggests
    # it after a few dozen events).
    async def run_id() -> str:
        return (await handle.describe()).run_id

    for n in range(3, 9):
        await harness.sim.whatsapp(CUSTOMER, text=f"message {n}")
        await eventually(sent, at_least(n))
        if await run_id() != first_run:
            break
    latest = await eventually(run_id, lambda run: run != first_run)

    first = await harness.temporal.get_workflow_handle(handle.id, run_id=first_run).fetch_history()
    steps = activities_of(first)
    audio_in = [a for a in steps if a.startswith(("media.", "stt."))]
    assert audio_in == ["stt.transcribe_and_decide"], "fetch, normalise, STT, agent: one activity"
    assert steps.index("agent.decide") > steps.index("tts.voice_note"), "only text turns ask it"
    replies = [a for a in steps if a.startswith(("tts.", "whatsapp."))]
    assert replies[0] == "tts.voice_note", "the text, then TTS and the voice note, as one"
    assert replies[1:] == ["whatsapp.send"] * len(replies[1:]), "text turns: one send each"
    assert upserts_in(first) == 2, "the number once, the channel once: not once per turn"

    attributes = (await handle.describe()).typed_search_attributes
    assert attributes.get(CUSTOMER_PHONE) == CUSTOMER, "still found by number after the hand-over"
    assert attributes.get(CHANNEL) == "whatsapp"
    later = await harness.temporal.get_workflow_handle(handle.id, run_id=latest).fetch_history()
    assert upserts_in(later) == 0, "the continued run inherits both"
