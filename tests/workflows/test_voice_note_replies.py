"""A voice note's spoken reply when something fails (``tts.voice_note``: the text reply, then
synthesis and send, in one activity): a synthesis that fails leaves the text reply only; a send
Twilio does not take is queued with the customer's other unsent replies and goes out after the
outage; a text Twilio does not take is queued, and no voice note follows it.
CustomerWorkflow in Temporal's time-skipping test server, fake activities registered under the
real names."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from temporalio import activity
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.journey_types import JourneyStartRequest, MatchInput, RunningJourneysInput
from activities.tts import SYNTHESIS_FAILED, TEXT_NOT_SENT
from activities.types import (
    DecideInput,
    HearAndDecideInput,
    HeardDecision,
    LogMessageInput,
    SendResult,
    SendWhatsAppInput,
    TranscribeMediaInput,
    TranscriptResult,
    VoiceNoteInput,
)
from switchboard.agent_models import AgentDecision, Channel, Intent
from switchboard.engines import start_time_skipping_server
from tests.polling import eventually, within
from workflows.customer import CustomerWorkflow
from workflows.journey import JourneyWorkflow
from workflows.types import CustomerInput, InboundInput, MediaItem
from workflows.unsent_replies import UNSENT_RETRY_EVERY

CUSTOMER = "+33612345678"
REPLY = "We're open until 6pm."


@pytest.fixture(scope="module")
async def skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    env = await start_time_skipping_server(quiet=False)
    yield env
    await env.shutdown()


class Fakes:
    """The turn's activities; ``tts.voice_note`` fails as told (``TEXT_NOT_SENT``: in its
    text, before the voice note)."""

    def __init__(
        self, *, voice_note_fails_with: str | None, agent_fails_with_transcript: bool = False
    ) -> None:
        self.fails_with = voice_note_fails_with
        self.agent_fails_with_transcript = agent_fails_with_transcript
        self.asked: list[str] = []  # activities that asked the agent
        self.sent: list[SendWhatsAppInput] = []  # texts, and voice notes sent from the queue
        self.voice_notes: list[VoiceNoteInput] = []  # voice notes that went out in one go

    @activity.defn(name="stt.transcribe_media")
    async def transcribe(self, input: TranscribeMediaInput) -> TranscriptResult:
        return TranscriptResult(text="When do you close?", confidence=0.9)

    @activity.defn(name="stt.transcribe_and_decide")
    async def transcribe_and_decide(self, input: HearAndDecideInput) -> HeardDecision:
        heard = await self.transcribe(input.audio)
        if self.agent_fails_with_transcript:  # the real activity then returns no decision
            return HeardDecision(transcript=heard)
        self.asked.append("stt.transcribe_and_decide")
        return HeardDecision(
            transcript=heard, decision=AgentDecision(reply=REPLY, intent=Intent.OTHER)
        )

    @activity.defn(name="conversation.log")
    async def log(self, input: LogMessageInput) -> int:
        return 1

    @activity.defn(name="agent.decide")
    async def decide(self, input: DecideInput) -> AgentDecision:
        self.asked.append("agent.decide")
        return AgentDecision(reply=REPLY, intent=Intent.OTHER)

    @activity.defn(name="journey.match")
    async def match(self, input: MatchInput) -> list[JourneyStartRequest]:
        return []

    @activity.defn(name="customer.running_journeys")
    async def running_journeys(self, input: RunningJourneysInput) -> list[str]:
        return []  # no audience launches in this test

    @activity.defn(name="whatsapp.send")
    async def send(self, input: SendWhatsAppInput) -> SendResult:
        self.sent.append(input)
        return SendResult(sid=f"SM{len(self.sent)}")

    @activity.defn(name="tts.voice_note")
    async def voice_note(self, input: VoiceNoteInput) -> SendResult:
        if input.text_first is not None:
            if self.fails_with == TEXT_NOT_SENT:
                raise ApplicationError("down", type=TEXT_NOT_SENT)  # retryable: an outage
            if input.text_first.key not in {m.key for m in self.sent}:  # as the outbox does
                await self.send(input.text_first)
        if self.fails_with is not None:
            raise ApplicationError("down", type=self.fails_with)  # retryable, as an outage is
        self.voice_notes.append(input)
        return SendResult(sid="SMaudio")


def voice_note() -> InboundInput:
    return InboundInput(
        sid=f"MM{uuid.uuid4().hex}",
        channel=Channel.WHATSAPP,
        media=[MediaItem(url="https://api.twilio.com/media/1", content_type="audio/ogg")],
        received_at=datetime.now(UTC),
    )


async def one_turn(env: WorkflowEnvironment, fakes: Fakes, *, sends: int = 1) -> str:
    """One voice note through the ``inbound`` Update, then two minutes for the workflow to
    retry its unsent replies, until ``fakes`` saw ``sends`` sends; returns the note's SID."""
    queue = f"test-{uuid.uuid4()}"
    async with Worker(
        env.client,
        task_queue=queue,
        workflows=[CustomerWorkflow, JourneyWorkflow],
        activities=[
            fakes.transcribe,
            fakes.transcribe_and_decide,
            fakes.log,
            fakes.decide,
            fakes.match,
            fakes.running_journeys,
            fakes.send,
            fakes.voice_note,
        ],
    ):
        handle = await env.client.start_workflow(
            CustomerWorkflow.run,
            CustomerInput(e164=CUSTOMER),
            id=f"customer/{CUSTOMER}/{uuid.uuid4()}",
            task_queue=queue,
        )
        msg = voice_note()
        result = await within(handle.execute_update(CustomerWorkflow.inbound, msg), "the turn")
        assert result.reply == REPLY
        await env.sleep(UNSENT_RETRY_EVERY * 2)

        async def sent() -> int:
            return len(fakes.sent)

        await eventually(sent, lambda n: n >= sends)
        await handle.terminate("test over")
    return msg.sid


async def test_the_text_and_then_the_voice_note(skipping_env: WorkflowEnvironment) -> None:
    fakes = Fakes(voice_note_fails_with=None)
    sid = await one_turn(skipping_env, fakes)

    assert [(m.key, m.body, m.media_id) for m in fakes.sent] == [(f"reply/{sid}", REPLY, None)]
    [note] = fakes.voice_notes
    assert (note.key, note.audio_key, note.text) == (f"reply-audio/{sid}", f"tts/{sid}", REPLY)


async def test_a_synthesis_that_fails_leaves_the_text_only(
    skipping_env: WorkflowEnvironment,
) -> None:
    fakes = Fakes(voice_note_fails_with=SYNTHESIS_FAILED)
    sid = await one_turn(skipping_env, fakes)

    assert [m.key for m in fakes.sent] == [f"reply/{sid}"], "no voice note, none queued"


async def test_a_voice_note_twilio_did_not_take_goes_out_after_the_outage(
    skipping_env: WorkflowEnvironment,
) -> None:
    fakes = Fakes(voice_note_fails_with="ProviderUnavailable")
    sid = await one_turn(skipping_env, fakes, sends=2)

    assert [(m.key, m.media_id) for m in fakes.sent] == [
        (f"reply/{sid}", None),
        (f"reply-audio/{sid}", f"tts/{sid}"),  # the audio stored by the failed attempt
    ]


async def test_a_text_twilio_did_not_take_goes_out_after_the_outage_without_a_voice_note(
    skipping_env: WorkflowEnvironment,
) -> None:
    fakes = Fakes(voice_note_fails_with=TEXT_NOT_SENT)
    sid = await one_turn(skipping_env, fakes)

    assert [(m.key, m.media_id) for m in fakes.sent] == [(f"reply/{sid}", None)], "from the queue"
    assert fakes.voice_notes == []


async def test_a_voice_note_is_heard_and_decided_on_in_one_activity(
    skipping_env: WorkflowEnvironment,
) -> None:
    fakes = Fakes(voice_note_fails_with=None)
    sid = await one_turn(skipping_env, fakes)

    assert fakes.asked == ["stt.transcribe_and_decide"], "no agent.decide after the transcript"
    assert [m.key for m in fakes.sent] == [f"reply/{sid}"]


async def test_an_agent_that_failed_with_the_transcript_is_asked_again(
    skipping_env: WorkflowEnvironment,
) -> None:
    fakes = Fakes(voice_note_fails_with=None, agent_fails_with_transcript=True)
    sid = await one_turn(skipping_env, fakes)

    assert fakes.asked == ["agent.decide"], "the transcript kept, the agent asked on its own"
    assert [m.key for m in fakes.sent] == [f"reply/{sid}"]
