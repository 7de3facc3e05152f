"""Media activities: fetch a Twilio media URL into Postgres, normalise audio for STT.

Media that cannot be used fails with a non-retryable ``ApplicationError`` whose ``type`` names
the cause, and the cause is logged; for a voice note the workflow asks the customer to resend or
type. ``MediaTooLarge``: the download is over ``media_max_bytes`` (``fetch``, any media);
``AudioEmpty``, ``AudioUndecodable``, ``AudioTruncated``: see ``switchboard.audio``. Audio that
decodes but holds no speech is the STT activity's to find (``NoSpeech``, ``activities/stt.py``).

A call recording can answer 404 for a moment right after its callback: Twilio post-processes
recordings, which "may not always be ready right away" (Twilio support, "Getting Started with
Recording Status Callbacks",
https://support.twilio.com/hc/en-us/articles/360014251313-Getting-Started-with-Recording-Status-Callbacks),
and the ``<Record action>`` callback this app uses does not wait for the file. So a 404 on a
``/Recordings/`` URL is retried for ``RECORDING_READY_WAITS`` (under 4 s in all) before it is
final; any other media's 404 (expired, deleted) is final at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.errors import application_error
from activities.types import FetchMediaInput, MediaRef, NormaliseAudioInput
from switchboard import audio
from switchboard.db.engine import Database
from switchboard.db.media import StoredMedia, get_media, put_media, put_media_direct
from switchboard.providers.base import Media, ProviderError, ProviderRejected, Telephony

# Pauses before each new try of a recording that answered 404 (seconds; 3.75 s in all, well
# within the activity's 10 s and a recorded turn's 12 s).
RECORDING_READY_WAITS = (0.25, 0.5, 1.0, 2.0)

_T = TypeVar("_T")


class MediaActivities:
    def __init__(self, db: Database, telephony: Telephony, *, max_bytes: int) -> None:
        self._db = db
        self._telephony = telephony
        self._max_bytes = max_bytes

    @activity.defn(name="media.fetch")
    async def fetch(self, input: FetchMediaInput) -> MediaRef:
        """Download ``input.url`` (Basic auth, redirects followed, capped at the configured size)
        and store it as ``input.media_id``. Already stored → returns it without a download. A
        recording that answers 404 is tried again for a few seconds (module docstring)."""
        async with self._db.session() as s:
            blob = await get_media(s, media_id=input.media_id)
        if blob is None:
            stored, _ = await self.download(input)
            return MediaRef(
                media_id=input.media_id, content_type=stored.content_type, size=stored.size
            )
        return MediaRef(media_id=blob.id, content_type=blob.content_type, size=blob.size)

    async def download(self, input: FetchMediaInput) -> tuple[StoredMedia, bytes]:
        """``fetch``'s download and store, for a caller that found no stored copy: returns
        what is stored under ``input.media_id`` now (an earlier copy wins) and the bytes
        downloaded. Raises as ``fetch``."""
        try:
            media = await self._download(input.url, input.media_id)
        except ProviderRejected as exc:
            if exc.code != "media_too_large":
                raise application_error(exc) from exc
            activity.logger.warning(
                "media refused",
                extra={
                    "media_id": input.media_id,
                    "cause": "MediaTooLarge",
                    "max_bytes": self._max_bytes,
                },
            )
            raise ApplicationError(
                str(exc), exc.code, type="MediaTooLarge", non_retryable=True
            ) from exc
        except ProviderError as exc:
            raise application_error(exc) from exc
        async with self._db.autocommit() as conn:
            stored = await put_media_direct(
                conn,
                media_id=input.media_id,
                data=media.data,
                content_type=media.content_type,
                customer_e164=input.customer,
                source_url=input.url,
            )
        return stored, media.data

    async def _download(self, url: str, media_id: str) -> Media:
        """``fetch_media``, with a recording's 404 retried after each of
        ``RECORDING_READY_WAITS``; raises what the last try raised."""
        waits = iter(RECORDING_READY_WAITS if "/Recordings/" in urlsplit(url).path else ())
        while True:
            try:
                return await self._telephony.fetch_media(url, max_bytes=self._max_bytes)
            except ProviderRejected as exc:
                wait = next(waits, None)
                if exc.code != "404" or wait is None:
                    raise
                activity.logger.info(
                    "recording not available yet", extra={"media_id": media_id, "wait_s": wait}
                )
                await asyncio.sleep(wait)

    @activity.defn(name="media.normalise_audio")
    async def normalise_audio(self, input: NormaliseAudioInput) -> MediaRef:
        """Decode any audio (OGG/Opus voice note, 8 kHz μ-law recording…) to 16 kHz mono WAV.

        Raises a non-retryable ``ApplicationError`` whose type is the cause (``AudioEmpty``,
        ``AudioUndecodable``, ``AudioTruncated``) when the audio is not whole and readable: the
        customer is asked to resend or type instead."""
        wav_id = f"{input.media_id}/16k.wav"
        async with self._db.session() as s:
            done = await get_media(s, media_id=wav_id)
            if done is not None:
                return MediaRef(media_id=done.id, content_type=done.content_type, size=done.size)
            source = await get_media(s, media_id=input.media_id)
        if source is None:
            raise ApplicationError(f"no media {input.media_id}", non_retryable=True)
        wav = await self.to_wav(input.media_id, source.data, source.content_type)
        async with self._db.session() as s:
            await put_media(
                s,
                media_id=wav_id,
                data=wav,
                content_type="audio/wav",
                customer_e164=source.customer_e164,
            )
        return MediaRef(media_id=wav_id, content_type="audio/wav", size=len(wav))

    async def to_wav(self, media_id: str, data: bytes, content_type: str) -> bytes:
        """``data`` (the audio stored as ``media_id``) as 16 kHz mono WAV, decoded in a thread.
        Raises ``normalise_audio``'s non-retryable ``ApplicationError`` types."""
        return await self._decoded(
            media_id, data, content_type, lambda: audio.to_wav(data, sample_rate=16000)
        )

    async def check_whole(self, media_id: str, data: bytes, content_type: str) -> None:
        """Refuse ``data`` (the audio stored as ``media_id``) as ``to_wav`` would, without
        converting it, in a thread (``audio.checked_duration_ms``: an Ogg/Opus voice note from
        its pages without a decode, other audio decoded to the end), for an STT vendor that
        reads the file as it came. Raises as ``to_wav``."""
        await self._decoded(media_id, data, content_type, lambda: audio.checked_duration_ms(data))

    async def _decoded(
        self, media_id: str, data: bytes, content_type: str, decode: Callable[[], _T]
    ) -> _T:
        """``decode()`` in a thread; an ``AudioDecodeError`` logged and raised as a
        non-retryable ``ApplicationError`` typed after its cause (``AudioEmpty``, ...)."""
        try:
            return await asyncio.to_thread(decode)
        except audio.AudioDecodeError as exc:
            cause = type(exc).__name__
            activity.logger.warning(
                "audio unusable",
                extra={
                    "media_id": media_id,
                    "cause": cause,
                    "detail": str(exc),
                    "content_type": content_type,
                    "size": len(data),
                },
            )
            raise ApplicationError(str(exc), type=cause, non_retryable=True) from exc
