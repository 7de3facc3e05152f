"""Speech-to-text activity, biased towards what a customer of this business is likely to say."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Iterable
from typing import Final

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.agent import AgentActivities
from activities.errors import application_error
from activities.media import MediaActivities
from activities.types import (
    FetchMediaInput,
    HearAndDecideInput,
    HeardDecision,
    TranscribeInput,
    TranscribeMediaInput,
    TranscriptResult,
)
from switchboard.business import BusinessProfile
from switchboard.db.crm import subjects_direct
from switchboard.db.engine import Database
from switchboard.db.media import media_bytes_direct
from switchboard.providers.base import (
    AnyContainerSpeechToText,
    Media,
    ProviderError,
    ProviderRejected,
    SpeechToText,
)

HEARTBEAT_EVERY_S = 2.0

WEEKDAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TIME_WORDS: Final = ("morning", "afternoon", "half past", "quarter past", "quarter to", "o'clock")
MAX_PET_NAMES: Final = 10  # a customer with more pets than this is a breeder; the latest ten
# Subjects that are not names: "your cat", "you" (switchboard.understanding.subjects).
_NOT_A_NAME: Final = frozenset({"you", "your", "my", "our", "the", "a", "an"})


class SttActivities:
    def __init__(
        self,
        db: Database,
        stt: SpeechToText,
        profile: BusinessProfile,
        *,
        media: MediaActivities | None = None,
        agent: AgentActivities | None = None,
    ) -> None:
        """``media`` fetches and normalises audio for ``transcribe_media`` (without it that
        activity fails, non-retryable ``NoMediaActivities``); ``agent`` decides on the
        transcript in ``transcribe_and_decide`` (without it no decision is made there)."""
        self._db = db
        self._stt = stt
        self._profile = profile
        self._media = media
        self._agent = agent

    @activity.defn(name="stt.transcribe_media")
    async def transcribe_media(self, input: TranscribeMediaInput) -> TranscriptResult:
        """``media.fetch`` → ``media.normalise_audio`` → ``transcribe`` in one activity, so a
        voice note costs one activity round trip instead of three (issue 14). The download is
        stored once (a retry reuses it); the 16 kHz WAV stays in memory (a retry decodes
        again, ~20 ms of CPU, rather than every voice note writing and reading back ~32 KB a
        second of audio). An engine that reads any container (``AnyContainerSpeechToText``)
        gets the download itself, once checked whole to refuse a damaged file
        (``MediaActivities.check_whole``). Heartbeats every ``HEARTBEAT_EVERY_S`` throughout.

        Raises what the three steps raise: non-retryable ``ApplicationError`` types
        ``MediaTooLarge``, ``AudioEmpty``, ``AudioUndecodable``, ``AudioTruncated``,
        ``NoSpeech``; adapter errors mapped by ``application_error``."""
        async with _heartbeating():
            return await self._transcribe_media(input)

    @activity.defn(name="stt.transcribe_and_decide")
    async def transcribe_and_decide(self, input: HearAndDecideInput) -> HeardDecision:
        """``transcribe_media``, then ``agent.decide`` on the transcript, in one activity: a
        voice note's turn costs one activity round trip and one workflow task fewer (issue 14).
        The workflow uses the decision only if the agent's input it builds after the transcript
        is the one it sent here (``input.decide``, its message the transcript); otherwise it
        asks the agent itself. Heartbeats throughout.

        No decision (``HeardDecision.decision`` None) for a transcript below
        ``input.min_confidence`` or equal, normalised, to one of ``input.skip_words``, and when
        the agent fails: the workflow then runs ``agent.decide`` with that activity's own
        retries, so a failing agent never makes the transcription run again. Raises what
        ``transcribe_media`` raises."""
        async with _heartbeating():
            transcript = await self._transcribe_media(input.audio)
            if self._agent is None or not _worth_deciding(transcript, input):
                return HeardDecision(transcript=transcript)
            asked = input.decide.model_copy(update={"message": transcript.text})
            try:
                decision = await self._agent.decide(asked)
            except Exception as exc:  # noqa: BLE001 - the workflow asks again with its retries
                activity.logger.warning(
                    "agent failed after the transcript; the workflow asks again",
                    extra={"media_id": input.audio.media_id, "error": type(exc).__name__},
                )
                decision = None
            return HeardDecision(transcript=transcript, decision=decision)

    async def _transcribe_media(self, input: TranscribeMediaInput) -> TranscriptResult:
        """``transcribe_media``'s work, inside the caller's heartbeats."""
        if self._media is None:
            raise ApplicationError(
                "no media activities configured", type="NoMediaActivities", non_retryable=True
            )
        blob, subjects = await self._stored(input.media_id, input.customer)  # a retry's download
        if blob is None:
            fetch = FetchMediaInput(media_id=input.media_id, url=input.url, customer=input.customer)
            stored, data = await self._media.download(fetch)
            content_type = stored.content_type
        else:
            data, content_type = blob
        if isinstance(self._stt, AnyContainerSpeechToText) and self._stt.reads_any_container:
            # Checked whole, sent as it came: the resampling to 16 kHz and the WAV were two
            # thirds of the decode's CPU, the largest of the worker's per turn (issue 14).
            await self._media.check_whole(input.media_id, data, content_type)
            heard = Media(data=data, content_type=content_type)
        else:
            wav = await self._media.to_wav(input.media_id, data, content_type)
            heard = Media(data=wav, content_type="audio/wav")
        return await self._transcribe(heard, subjects, input.media_id)

    @activity.defn(name="stt.transcribe")
    async def transcribe(self, input: TranscribeInput) -> TranscriptResult:
        """Transcribe a stored audio blob, biased towards ``vocabulary`` of the profile and of
        ``input.customer``'s pets. Pure (no side effect), so retries are safe.

        Raises a non-retryable ``ApplicationError`` of type ``NoSpeech`` when the engine finds no
        speech or hears no words (the customer is asked to resend or type); adapter errors are
        mapped by ``application_error``."""
        blob, subjects = await self._stored(input.media_id, input.customer)
        if blob is None:
            raise ApplicationError(f"no media {input.media_id}", non_retryable=True)
        data, content_type = blob
        return await self._transcribe(
            Media(data=data, content_type=content_type), subjects, input.media_id
        )

    async def _stored(
        self, media_id: str, customer: str | None
    ) -> tuple[tuple[bytes, str] | None, list[str]]:
        """The audio stored under ``media_id`` (its bytes and MIME type; None: nothing) and the
        subjects of ``customer``'s bookings, latest slot first (the pets the customer talks
        about now): two statements on psycopg's own connection, not an ORM transaction (issue
        14). Raises ``psycopg.Error``."""
        async with self._db.autocommit() as conn:
            blob = await media_bytes_direct(conn, media_id=media_id)
            subjects = await subjects_direct(conn, customer_e164=customer) if customer else []
        return blob, subjects

    async def _transcribe(
        self, audio: Media, subjects: list[str], media_id: str
    ) -> TranscriptResult:
        """``transcribe``'s work on audio in hand. Raises as ``transcribe``."""
        if not activity.info().is_local:  # a local activity has nobody to heartbeat to
            activity.heartbeat()
        try:
            result = await self._stt.transcribe(
                audio, vocabulary=vocabulary(self._profile, subjects)
            )
        except ProviderRejected as exc:
            if exc.code != "no_speech":
                raise application_error(exc) from exc
            raise _no_speech(media_id, str(exc)) from exc
        except ProviderError as exc:
            raise application_error(exc) from exc
        text = result.text.strip()
        if not text:
            raise _no_speech(media_id, "the transcript is empty")
        return TranscriptResult(
            text=text, confidence=result.confidence, duration_ms=result.duration_ms
        )


@contextlib.asynccontextmanager
async def _heartbeating() -> AsyncIterator[None]:
    """Heartbeat every ``HEARTBEAT_EVERY_S`` while the body runs: a download, a decode and a
    vendor call in a row outlast one heartbeat timeout. None as a local activity (patch
    ``turn-local-activities``), which has no heartbeat timeout: each beat would only cost an
    encode."""
    if activity.info().is_local:
        yield
        return

    async def beat() -> None:
        while True:
            activity.heartbeat()
            await asyncio.sleep(HEARTBEAT_EVERY_S)

    task = asyncio.create_task(beat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


# The animals a vet's callers name ("for my cat"), as the agent reads them.
ANIMAL_WORDS = ("cat", "dog")


def _worth_deciding(transcript: TranscriptResult, input: HearAndDecideInput) -> bool:
    """Whether the workflow would ask the agent about ``transcript`` (``workflows/turn.py``):
    confident enough, and not a keyword the workflow answers itself (normalised as it does)."""
    confidence = transcript.confidence
    if confidence is not None and confidence < input.min_confidence:
        return False
    keyword = " ".join(transcript.text.lower().strip(" .!").split())
    return keyword not in input.skip_words


def _no_speech(media_id: str, detail: str) -> ApplicationError:
    """Nobody speaks in the audio: logged with its cause, and not retried (it would not change)."""
    activity.logger.warning(
        "audio unusable", extra={"media_id": media_id, "cause": "NoSpeech", "detail": detail}
    )
    return ApplicationError(detail, type="NoSpeech", non_retryable=True)


def vocabulary(profile: BusinessProfile, subjects: Iterable[str]) -> list[str]:
    """What a caller of this business is likely to say, most telling first: the pets' names
    among ``subjects`` (booking subjects, latest first; at most ``MAX_PET_NAMES``), the
    services' names, then their aliases, the days of the week, a few words of time and, for a
    customer with no pet on record, the animals (without them, the services' words pulled "for
    my cat" to "for my count" in the demo's call)."""
    names = [service.name for service in profile.services]
    aliases = [alias for service in profile.services for alias in service.aliases]
    pets = pet_names(subjects)[:MAX_PET_NAMES]
    # A first caller's pet has no name on record yet, so "for my cat" is the phrase to catch;
    # once names are known they are worth the prompt more (tiny.en trades one for the other).
    animals = () if pets else ANIMAL_WORDS
    return list(dict.fromkeys([*pets, *names, *aliases, *WEEKDAYS, *TIME_WORDS, *animals]))


def pet_names(subjects: Iterable[str]) -> list[str]:
    """The names in booking subjects, in order, once each: "Max and Bella" → Max, Bella;
    "your cat" and "you" name nobody."""
    names: list[str] = []
    for subject in subjects:
        for part in re.split(r",|&|\band\b", subject, flags=re.IGNORECASE):
            words = part.split()
            if (
                1 <= len(words) <= 3
                and words[0].lower() not in _NOT_A_NAME
                and all(w.replace("'", "").replace("-", "").isalpha() for w in words)
            ):
                names.append(" ".join(words))
    return list(dict.fromkeys(names))
