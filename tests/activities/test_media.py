"""``media.fetch`` and ``media.normalise_audio`` on real files: a usable voice note becomes a
16 kHz WAV; each kind of unusable one fails, not retried, with its cause as the error type; and
``stt.transcribe_media``, the three steps of a voice note in one activity.
Real Postgres, the real Twilio adapter against the fake Twilio."""

from __future__ import annotations

import io
import random
import wave
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import httpx
import numpy as np
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.agent import AgentActivities
from activities.media import RECORDING_READY_WAITS, MediaActivities
from activities.stt import SttActivities
from activities.types import (
    DecideInput,
    FetchMediaInput,
    HearAndDecideInput,
    MediaRef,
    NormaliseAudioInput,
    TranscribeMediaInput,
)
from switchboard.agent_models import AgentContext, AgentDecision, Channel, Intent
from switchboard.audio import decode_pcm, to_ogg_opus
from switchboard.business import load_profile
from switchboard.db.customers import ensure_customer
from switchboard.db.engine import Database
from switchboard.db.media import get_media
from switchboard.providers.base import Media, ProviderUnavailable, Transcript
from switchboard.providers.factory import make_telephony
from switchboard.settings import Settings
from tests.activities.test_whatsapp import CUSTOMER, fake_twilio

__all__ = ["fake_twilio"]  # the fixture, shared with the WhatsApp tests

MAX_BYTES = 100_000  # jfk.flac as a voice note is 44 KB


@pytest.fixture
async def media(db: Database, fake_twilio: str) -> MediaActivities:
    async with db.session() as s:
        await ensure_customer(s, e164=CUSTOMER, timezone="Europe/Paris")
    telephony = make_telephony(Settings(twilio_api_base_url=fake_twilio))
    return MediaActivities(db, telephony, max_bytes=MAX_BYTES)


def long_note(jfk: bytes) -> bytes:
    """A valid voice note over ``MAX_BYTES``: jfk.flac three times over (33 s, about 130 KB)."""
    pcm = (decode_pcm(jfk) * 32767).astype(np.int16)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(np.tile(pcm, 3).tobytes())
    return to_ogg_opus(buffer.getvalue())


def hosted(fake_twilio: str, data: bytes) -> str:
    """Host ``data`` as an inbound voice note on the fake Twilio; its Twilio-style URL."""
    response = httpx.post(
        f"{fake_twilio}/_fake/media",
        params={"kind": "message"},
        content=data,
        headers={"Content-Type": "audio/ogg"},
    )
    response.raise_for_status()
    return str(response.json()["url"])


async def fetch_and_normalise(media: MediaActivities, url: str) -> MediaRef:
    env = ActivityEnvironment()
    fetched = await env.run(
        media.fetch, FetchMediaInput(media_id="MM1/0", url=url, customer=CUSTOMER)
    )
    return await env.run(media.normalise_audio, NormaliseAudioInput(media_id=fetched.media_id))


async def test_a_voice_note_becomes_16khz_wav(
    db: Database, fake_twilio: str, media: MediaActivities, jfk_flac: bytes
) -> None:
    ref = await fetch_and_normalise(media, hosted(fake_twilio, to_ogg_opus(jfk_flac)))

    assert (ref.media_id, ref.content_type) == ("MM1/0/16k.wav", "audio/wav")
    async with db.session() as s:
        wav = await get_media(s, media_id=ref.media_id)
    assert wav is not None
    assert abs(len(decode_pcm(wav.data)) - 16 * 11_000) <= 16 * 50


def _cut(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _damaged(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + random.Random(5).randbytes(200) + data[middle + 200 :]


@pytest.mark.parametrize(
    ("make", "cause"),
    [
        (lambda jfk: b"", "AudioEmpty"),
        (lambda jfk: random.Random(1).randbytes(20_000), "AudioUndecodable"),
        (lambda jfk: _cut(to_ogg_opus(jfk)), "AudioTruncated"),
        (lambda jfk: _damaged(to_ogg_opus(jfk)), "AudioTruncated"),
        (long_note, "MediaTooLarge"),
    ],
    ids=["zero-bytes", "random-bytes", "ogg-cut-in-the-middle", "ogg-damaged", "over-the-limit"],
)
async def test_an_unusable_voice_note_fails_with_its_cause(
    fake_twilio: str,
    media: MediaActivities,
    jfk_flac: bytes,
    make: Callable[[bytes], bytes],
    cause: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = make(jfk_flac)
    assert (len(data) > MAX_BYTES) == (cause == "MediaTooLarge")

    with pytest.raises(ApplicationError) as caught:
        await fetch_and_normalise(media, hosted(fake_twilio, data))

    assert caught.value.type == cause
    assert caught.value.non_retryable
    logged = [r for r in caplog.records if getattr(r, "cause", None) == cause]
    assert logged and getattr(logged[0], "media_id", None) == "MM1/0", "the cause is logged"


def recording(fake_twilio: str, data: bytes, *, ready_after_ms: int) -> str:
    """Host ``data`` as a call recording that answers 404 for ``ready_after_ms`` (Twilio is
    still processing it); its Twilio-style URL."""
    response = httpx.post(
        f"{fake_twilio}/_fake/media",
        params={"kind": "recording", "ready_after_ms": ready_after_ms},
        content=data,
        headers={"Content-Type": "audio/wav"},
    )
    response.raise_for_status()
    return str(response.json()["url"])


async def test_a_recording_that_404s_right_after_its_callback_is_downloaded_once_ready(
    db: Database, fake_twilio: str, media: MediaActivities
) -> None:
    wav = b"RIFF" + bytes(64)
    url = recording(fake_twilio, wav, ready_after_ms=600)

    ref = await ActivityEnvironment().run(
        media.fetch, FetchMediaInput(media_id="RE1/0", url=url, customer=CUSTOMER)
    )

    async with db.session() as s:
        blob = await get_media(s, media_id=ref.media_id)
    assert blob is not None and blob.data == wav


async def test_a_recording_still_missing_after_a_few_seconds_is_final(
    fake_twilio: str, media: MediaActivities
) -> None:
    url = recording(fake_twilio, b"RIFF", ready_after_ms=600_000)

    before = media_requests(fake_twilio)
    with pytest.raises(ApplicationError) as caught:
        await ActivityEnvironment().run(
            media.fetch, FetchMediaInput(media_id="RE2/0", url=url, customer=CUSTOMER)
        )

    assert (caught.value.type, caught.value.non_retryable) == ("ProviderRejected", True)
    assert media_requests(fake_twilio) - before == len(RECORDING_READY_WAITS) + 1


async def test_other_media_that_404s_is_final_at_once(
    fake_twilio: str, media: MediaActivities
) -> None:
    url = hosted(fake_twilio, b"OggS") + "-gone"  # an expired or deleted message media

    before = media_requests(fake_twilio)
    with pytest.raises(ApplicationError) as caught:
        await ActivityEnvironment().run(
            media.fetch, FetchMediaInput(media_id="MM2/0", url=url, customer=CUSTOMER)
        )

    assert caught.value.type == "ProviderRejected"
    assert media_requests(fake_twilio) - before == 1, "not retried"


def media_requests(fake_twilio: str) -> int:
    stats = httpx.get(f"{fake_twilio}/_fake/stats").json()
    return int(stats["operations"]["media"]["requests"])


class HeardAudio:
    """An STT that records what it was given and hears a fixed line."""

    def __init__(self) -> None:
        self.heard: list[Media] = []

    async def transcribe(self, audio: Media, *, vocabulary: Sequence[str] = ()) -> Transcript:
        self.heard.append(audio)
        return Transcript(text="Ask not what your country can do for you.", confidence=0.9)


async def test_a_voice_note_becomes_its_transcript_in_one_activity(
    db: Database, fake_twilio: str, media: MediaActivities, jfk_flac: bytes
) -> None:
    """``stt.transcribe_media``: downloaded, stored, normalised to 16 kHz WAV, transcribed,
    heartbeating all along; a retry reuses what is stored (no second download). The WAV is
    not stored: only the voice note as the customer sent it."""
    stt = HeardAudio()
    activities = SttActivities(db, stt, load_profile(), media=media)
    request = TranscribeMediaInput(
        media_id="MM1/0", url=hosted(fake_twilio, to_ogg_opus(jfk_flac)), customer=CUSTOMER
    )
    env = ActivityEnvironment()
    beats: list[object] = []
    env.on_heartbeat = lambda *details: beats.append(details)

    result = await env.run(activities.transcribe_media, request)
    downloads = media_requests(fake_twilio)
    again = await env.run(activities.transcribe_media, request)

    assert result.text == again.text == "Ask not what your country can do for you."
    assert [a.content_type for a in stt.heard] == ["audio/wav", "audio/wav"]
    assert abs(len(decode_pcm(stt.heard[0].data)) - 16 * 11_000) <= 16 * 50, "16 kHz"
    assert media_requests(fake_twilio) == downloads, "the retry downloaded nothing"
    assert beats, "it heartbeats"
    async with db.session() as s:
        assert await get_media(s, media_id="MM1/0") is not None
        assert await get_media(s, media_id="MM1/0/16k.wav") is None


async def test_an_unusable_voice_note_fails_in_one_activity_with_its_cause(
    fake_twilio: str, media: MediaActivities, db: Database
) -> None:
    stt = HeardAudio()
    activities = SttActivities(db, stt, load_profile(), media=media)
    url = hosted(fake_twilio, random.Random(1).randbytes(20_000))

    with pytest.raises(ApplicationError) as caught:
        await ActivityEnvironment().run(
            activities.transcribe_media,
            TranscribeMediaInput(media_id="MM3/0", url=url, customer=CUSTOMER),
        )

    assert (caught.value.type, caught.value.non_retryable) == ("AudioUndecodable", True)
    assert stt.heard == [], "the STT vendor is not asked"


class Listening:
    """An agent that answers every message the same way (or fails), keeping what it was asked."""

    def __init__(self, *, fails: bool = False) -> None:
        self.asked: list[str] = []
        self.fails = fails

    async def decide(self, context: AgentContext) -> AgentDecision:
        self.asked.append(context.message)
        if self.fails:
            raise ProviderUnavailable("agent down")
        return AgentDecision(reply="We're open until 6pm.", intent=Intent.OTHER)


@pytest.mark.parametrize(
    ("heard", "confidence", "agent_fails", "decided"),
    [
        ("When do you close?", 0.9, False, True),
        ("When do you close?", 0.1, False, False),  # unsure: the workflow asks to repeat
        ("Stop.", 0.9, False, False),  # a keyword the workflow answers itself
        ("When do you close?", 0.9, True, False),  # the workflow asks the agent again
    ],
)
async def test_a_voice_note_is_heard_and_decided_on_in_one_activity(
    db: Database,
    fake_twilio: str,
    media: MediaActivities,
    jfk_flac: bytes,
    heard: str,
    confidence: float,
    agent_fails: bool,
    decided: bool,
) -> None:
    """``stt.transcribe_and_decide``: the transcript, then the agent's decision on it (the
    transcript as the message), except where the workflow would not ask the agent; an agent
    that fails leaves the transcript and no decision, never a failed activity."""

    class Hears(HeardAudio):
        async def transcribe(self, audio: Media, *, vocabulary: Sequence[str] = ()) -> Transcript:
            return Transcript(text=heard, confidence=confidence)

    agent = Listening(fails=agent_fails)
    profile = load_profile()
    deciding = AgentActivities(
        db, agent, window=20, default_timezone="Europe/Paris", profile=profile
    )
    activities = SttActivities(db, Hears(), profile, media=media, agent=deciding)
    request = HearAndDecideInput(
        audio=TranscribeMediaInput(
            media_id="MM4/0", url=hosted(fake_twilio, to_ogg_opus(jfk_flac)), customer=CUSTOMER
        ),
        decide=DecideInput(
            customer=CUSTOMER, channel=Channel.WHATSAPP, message="", now=datetime.now(UTC)
        ),
        min_confidence=0.3,
        skip_words=["stop", "start"],
    )

    result = await ActivityEnvironment().run(activities.transcribe_and_decide, request)

    assert result.transcript.text == heard
    assert (result.decision is not None) is decided
    assert agent.asked == ([heard] if decided or agent_fails else [])


async def test_a_download_stored_twice_keeps_the_first_copy(
    db: Database, media: MediaActivities, fake_twilio: str, jfk_flac: bytes
) -> None:
    """Two attempts that both downloaded (the first's result lost): the second's bytes are not
    stored over the first's, and it is told what is stored."""
    first = to_ogg_opus(jfk_flac)
    second = first[: len(first) // 2]  # any other bytes: nothing is decoded here
    request = FetchMediaInput(media_id="MM1/0", url=hosted(fake_twilio, first), customer=CUSTOMER)
    await media.download(request)

    stored, data = await media.download(
        request.model_copy(update={"url": hosted(fake_twilio, second)})
    )

    assert data == second  # what this attempt downloaded
    assert stored.size == len(first)
    async with db.session() as s:
        blob = await get_media(s, media_id="MM1/0")
    assert blob is not None and blob.data == first
