"""Failure is a product behaviour: what the customer gets when STT is unsure or the agent is
down. The real stack, with an STT that hears badly and an agent that times out."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlmodel import select

from switchboard.agent_models import AgentContext, AgentDecision
from switchboard.db.models import Booking, Handoff, Message
from switchboard.providers.base import Media, ProviderUnavailable, Transcript
from switchboard.providers.rules_agent import RuleBasedAgent
from switchboard.settings import Settings
from tests.conftest import Harness
from tests.polling import eventually
from worker import Providers
from workflows.customer_texts import AGENT_UNAVAILABLE, UNSURE

CUSTOMER = "+33612345678"


class HardOfHearingSTT:
    """Hears a booking, but is not sure of it."""

    async def transcribe(self, audio: Media, *, vocabulary: Sequence[str] = ()) -> Transcript:
        return Transcript(text="book Tuesday at 10am for my cat", confidence=0.12)


class TimedOutAgent:
    async def decide(self, context: AgentContext) -> AgentDecision:
        raise ProviderUnavailable("model timed out")


@pytest.fixture
def providers(settings: Settings, local_engines: tuple[object, object]) -> Providers:
    from switchboard.providers.factory import make_telephony

    _, tts = local_engines
    return Providers(
        stt=HardOfHearingSTT(),
        tts=tts,  # type: ignore[arg-type]
        agent=RuleBasedAgent(),
        telephony=make_telephony(settings),
    )


async def replies(h: Harness) -> list[dict[str, object]]:
    return [m for m in await h.sandbox_messages() if m["to"] == f"whatsapp:{CUSTOMER}"]


async def test_an_unsure_transcript_gets_a_question_not_a_booking(
    harness: Harness, jfk_flac: bytes, tmp_path: Path
) -> None:
    note = tmp_path / "note.flac"
    note.write_bytes(jfk_flac)
    await harness.sim.whatsapp(CUSTOMER, audio_file=note)
    sent = await eventually(lambda: replies(harness), lambda r: len(r) >= 1)
    assert sent[0]["body"] == UNSURE
    async with harness.db.session() as s:
        assert (await s.exec(select(Booking))).all() == [], "nothing acted on a guess"
        rows = (await s.exec(select(Message).where(Message.customer_e164 == CUSTOMER))).all()
    heard = [m.text for m in rows if m.kind == "voice_note" and m.direction == "inbound"]
    assert heard == ["book Tuesday at 10am for my cat"], "what was heard stays in the log"
    assert any(m.kind == "event" and "low-confidence" in m.text for m in rows)


class TestAgentDown:
    @pytest.fixture
    def providers(self, settings: Settings, local_engines: tuple[object, object]) -> Providers:
        from switchboard.providers.factory import make_telephony

        stt, tts = local_engines
        return Providers(
            stt=stt,  # type: ignore[arg-type]
            tts=tts,  # type: ignore[arg-type]
            agent=TimedOutAgent(),
            telephony=make_telephony(settings),
        )

    async def test_a_safe_reply_and_a_human_with_the_summary(self, harness: Harness) -> None:
        await harness.sim.whatsapp(CUSTOMER, text="Can I move my appointment to Friday?")
        sent = await eventually(lambda: replies(harness), lambda r: len(r) >= 1)
        assert sent[0]["body"] == AGENT_UNAVAILABLE
        async with harness.db.session() as s:
            handoff = (await s.exec(select(Handoff))).one()
        assert handoff.customer_e164 == CUSTOMER
        assert "move my appointment to Friday" in handoff.summary
