"""What the parts of one CustomerWorkflow run share: the customer, the state that survives
continue-as-new, and the flags taken once per run.

``CustomerWorkflow`` (``customer.py``) builds one and hands it to the turn pipeline
(``turn.py``), the call events (``call_events.py``) and the journey router
(``journey_router.py``). They all read and write the same ``state`` object, so it is changed in
place, never replaced.
"""

from __future__ import annotations

from dataclasses import dataclass

from temporalio import workflow

from workflows.policies import db_activity

with workflow.unsafe.imports_passed_through():
    from activities.conversation import ConversationActivities
    from activities.types import LogMessageInput
    from switchboard.agent_models import Channel
    from switchboard.temporal import CHANNEL
    from workflows.types import CustomerState

# From this patch on a run does less per turn (see ``CustomerContext.lean_turns``).
LEAN_TURNS_PATCH = "lean-turns"
# From this patch on a voice note's reply (the text, then the voice note) is one activity.
VOICE_REPLY_PATCH = "voice-reply-in-one"
# From this patch on a lone voice note's transcription also asks the agent (one activity).
DECIDE_WITH_TRANSCRIPT_PATCH = "decide-with-transcript"
# From this patch on events go to journey runs by a local activity, not a signal command.
JOURNEYS_TOLD_LOCALLY_PATCH = "journeys-told-locally"
# From this patch on a voice note's two activities (heard and decided; the spoken reply) run
# as local activities.
TURN_LOCAL_PATCH = "turn-local-activities"


@dataclass
class CustomerContext:
    """One customer's run as the parts of ``CustomerWorkflow`` see it."""

    e164: str
    state: CustomerState
    # ``workflow.patched("customer-local-db")``, set at the top of ``CustomerWorkflow.run``
    # before anything reads it: short Postgres and CPU work runs as local activities.
    local_db: bool = False
    # ``workflow.patched("lean-turns")``, set next to ``local_db``: a voice note is fetched,
    # normalised and transcribed in one activity, its spoken reply synthesised and sent in
    # one, and search attributes are upserted only when their value changes (issue 14: fewer
    # round trips per turn).
    lean_turns: bool = False
    # ``workflow.patched("voice-reply-in-one")``, set next to ``lean_turns``: a voice note's
    # text reply and spoken reply go out in one activity, ``tts.voice_note`` (issue 14: one
    # activity and one workflow task fewer per voice-note turn).
    voice_reply_in_one: bool = False
    # ``workflow.patched("decide-with-transcript")``, set next to ``voice_reply_in_one``: a
    # turn of one voice note is transcribed and decided on in one activity,
    # ``stt.transcribe_and_decide`` (issue 14: one activity and one workflow task fewer).
    decide_with_transcript: bool = False
    # ``workflow.patched("journeys-told-locally")``, set next to ``decide_with_transcript``:
    # events reach journey runs through the local activity ``customer.tell_journey`` (issue
    # 14: the win-back's signal on every message cost this workflow a task of its own).
    journeys_told_locally: bool = False
    # ``workflow.patched("turn-local-activities")``, set next to ``journeys_told_locally``: a
    # voice note's ``stt.transcribe_and_decide`` and ``tts.voice_note`` (with the text reply
    # first) run as local activities, in the worker that runs the turn (issue 14: no activity
    # task round trips; their results are markers in the turn's workflow task).
    turn_local: bool = False

    def show_channel(self, channel: Channel) -> None:
        """Set the ``Channel`` search attribute to the channel of the turn starting now; from
        ``lean_turns`` on only when it changes (an upsert is a history event and a visibility
        write: a per-turn cost for a value that rarely moves)."""
        current = workflow.info().typed_search_attributes.get(CHANNEL)
        if not self.lean_turns or current != channel.value:
            workflow.upsert_search_attributes([CHANNEL.value_set(channel.value)])

    async def log(self, entry: LogMessageInput) -> None:
        """Write one row of the conversation log (an upsert on ``entry.key``)."""
        await db_activity(
            ConversationActivities.log,
            entry,
            local=self.local_db,
        )
