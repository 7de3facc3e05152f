"""A call's conversation log keeps each reply after the words it answers, whatever clock stamped
those words: the agent reads its history in log order, and its open question ("What time on
Wednesday?") must be the last thing in it when the caller answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from operations.ingest import call_turn
from switchboard.agent_models import AgentDecision, Intent
from switchboard.db.conversation import recent_messages
from switchboard.providers.local_tts import EspeakTTS
from tests.calls.conftest import MediaProcess
from tests.conftest import Harness
from tests.polling import within
from workflows.types import CallTurnInput

CALLER = "+33612345679"
CALL_S = 120.0  # a whole call, with Whisper and espeak on a busy 2-core machine


async def test_a_reply_follows_its_turn_when_the_media_process_clock_runs_ahead(
    harness: Harness, media: MediaProcess
) -> None:
    hello = (await EspeakTTS().synthesize("Hello.")).data
    call = await within(
        harness.sim.stream_call(CALLER, [hello], hang_up=False), "the call", timeout_s=CALL_S
    )
    question = "What time on Wednesday would you like?"
    turn = CallTurnInput(
        sid=f"{call.call_sid}/ahead/1",
        call_sid=call.call_sid,
        transcript="I'd like to come in on Wednesday.",
        decision=AgentDecision(reply=question, intent=Intent.CLARIFY),
        # The media process's clock, hours ahead of the workflow's and Postgres's.
        received_at=datetime.now(UTC) + timedelta(hours=6),
    )

    result = await within(call_turn(harness.temporal, CALLER, turn), "the turn")

    assert result.reply == question
    async with harness.db.session() as s:
        rows = await recent_messages(s, customer_e164=CALLER, limit=20)
    said = [(r.direction, r.text) for r in rows if r.text]
    assert said[-2:] == [("inbound", turn.transcript), ("outbound", question)], said
