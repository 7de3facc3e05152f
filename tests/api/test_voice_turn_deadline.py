"""A recorded caller turn has one deadline for all of its work, under Twilio's 15 s webhook
timeout: past it the caller hears an apology and is asked again (instead of silence until
Twilio drops the call), and the conversation log says so."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace

import pytest
from sqlmodel import select

from switchboard.db.models import Message
from switchboard.providers.base import Media, SpeechToText, Transcript
from switchboard.providers.local_tts import EspeakTTS
from switchboard.settings import Settings
from tests.conftest import Harness
from tests.polling import within
from worker import Providers

CALLER = "+33612345678"


class StuckSTT:
    """Speech-to-text that takes far longer than a phone turn can wait."""

    def __init__(self, real: SpeechToText) -> None:
        self.real = real

    async def transcribe(self, audio: Media, *, vocabulary: Sequence[str] = ()) -> Transcript:
        await asyncio.sleep(5)
        return await self.real.transcribe(audio, vocabulary=vocabulary)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"voice_turn_deadline_s": 1.0})


@pytest.fixture
def providers(providers: Providers) -> Providers:
    return replace(providers, stt=StuckSTT(providers.stt))


async def test_a_turn_over_its_deadline_gets_an_apology_and_listens_again(
    harness: Harness,
) -> None:
    audio = (await EspeakTTS().synthesize("Book my cat for Tuesday at 10 am")).data

    call = await within(harness.sim.call(CALLER, [audio], hang_up=False), "the call")

    ((_, reply),) = call.turns
    assert reply.says == ["Sorry, that took me too long. Could you say it again?"]
    assert reply.record_action is not None and not reply.hangup  # still listening
    async with harness.db.session() as s:
        rows = (await s.exec(select(Message).where(Message.customer_e164 == CALLER))).all()
    late = [r for r in rows if r.key.startswith("late/")]
    assert len(late) == 1 and "took over 1 s" in late[0].text
