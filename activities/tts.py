"""Text-to-speech activities: the reply spoken on a call, stored for the API to serve; a reply
synthesised and sent as a WhatsApp voice note."""

from __future__ import annotations

import asyncio

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.errors import application_error
from activities.types import (
    MediaRef,
    SendResult,
    SendWhatsAppInput,
    SynthesizeInput,
    VoiceNoteInput,
)
from activities.whatsapp import WhatsAppActivities
from switchboard import audio
from switchboard.db.engine import Database
from switchboard.db.media import put_media_direct, stored_media_direct
from switchboard.providers.base import Media, ProviderError, TextToSpeech, VoiceNoteSpeech

# The ``type`` of a ``tts.voice_note`` failure in the synthesis (the workflow then sends the
# text only); any other failure is the send's.
SYNTHESIS_FAILED = "SynthesisFailed"
# The ``type`` of a ``tts.voice_note`` failure in the send of ``text_first`` (nothing of the
# voice note was tried); retryable or not as the send's own error was.
TEXT_NOT_SENT = "TextNotSent"


class TtsActivities:
    def __init__(
        self, db: Database, tts: TextToSpeech, *, whatsapp: WhatsAppActivities | None = None
    ) -> None:
        """``whatsapp`` sends what ``voice_note`` synthesised (without it that activity fails,
        non-retryable ``NoWhatsApp``)."""
        self._db = db
        self._tts = tts
        self._whatsapp = whatsapp

    @activity.defn(name="tts.voice_note")
    async def voice_note(self, input: VoiceNoteInput) -> SendResult:
        """``synthesize`` (OGG/Opus, once per ``input.audio_key``) then ``whatsapp.send``
        (once per ``input.key``, through the outbox) in one activity: one round trip per voice
        note instead of two (issue 14). A retry after the synthesis reuses the stored audio.
        ``input.text_first``: the turn's text reply, sent before anything else (the customer
        reads it without waiting for the synthesis); a retry finds it sent in the outbox.

        Raises ``ApplicationError`` type ``TEXT_NOT_SENT`` when ``text_first`` was not sent,
        ``SYNTHESIS_FAILED`` when the synthesis failed (each retryable as its cause was); the
        voice note's send errors as ``whatsapp.send`` raises them."""
        if self._whatsapp is None:
            raise ApplicationError(
                "no WhatsApp sender configured", type="NoWhatsApp", non_retryable=True
            )
        if input.text_first is not None:
            try:
                await self._whatsapp.send(input.text_first)
            except Exception as exc:  # noqa: BLE001 - any failure of the text, told apart
                raise ApplicationError(
                    f"the text reply was not sent: {exc}",
                    type=TEXT_NOT_SENT,
                    non_retryable=isinstance(exc, ApplicationError) and exc.non_retryable,
                ) from exc
        try:
            clip = await self.synthesize(
                SynthesizeInput(
                    key=input.audio_key, customer=input.customer, text=input.text, format="ogg"
                )
            )
        except Exception as exc:  # noqa: BLE001 - any synthesis failure, told apart from the send's
            raise ApplicationError(
                f"speech synthesis failed: {exc}",
                type=SYNTHESIS_FAILED,
                non_retryable=isinstance(exc, ApplicationError) and exc.non_retryable,
            ) from exc
        return await self._whatsapp.send(
            SendWhatsAppInput(
                key=input.key, customer=input.customer, body=input.text, media_id=clip.media_id
            )
        )

    @activity.defn(name="tts.synthesize")
    async def synthesize(self, input: SynthesizeInput) -> MediaRef:
        """Synthesise ``input.text`` once per ``input.key`` (the stored audio's ID).
        ``input.format`` ``"ogg"``: a WhatsApp voice note, Ogg/Opus (``_voice_note``)."""
        # psycopg's own connection, one statement each, not ORM transactions (issue 14).
        async with self._db.autocommit() as conn:
            done = await stored_media_direct(conn, media_id=input.key)
        if done is None:
            try:
                if input.format == "ogg":
                    data, content_type = await self._voice_note(input.text), "audio/ogg"
                else:
                    spoken = await self._tts.synthesize(input.text)
                    data, content_type = spoken.data, spoken.content_type
            except ProviderError as exc:
                raise application_error(exc) from exc
            async with self._db.autocommit() as conn:
                stored = await put_media_direct(
                    conn,
                    media_id=input.key,
                    data=data,
                    content_type=content_type,
                    customer_e164=input.customer,
                )
            return MediaRef(media_id=input.key, content_type=stored.content_type, size=stored.size)
        return MediaRef(media_id=input.key, content_type=done.content_type, size=done.size)

    async def _voice_note(self, text: str) -> bytes:
        """``text`` spoken as Ogg/Opus. An engine whose vendor answers in it
        (``VoiceNoteSpeech``: ElevenLabs' ``opus_48000_32``) is sent as it comes: decoding and
        re-encoding it was the worker's largest cost per voice-note turn (issue 14). Any other
        audio, or a vendor's answer that is not a whole Ogg/Opus file, is converted here
        (``audio.to_ogg_opus``: ~20 ms of CPU for 1.5 s of speech). Raises ``ProviderError``,
        ``audio.AudioDecodeError``."""
        spoken: Media
        if isinstance(self._tts, VoiceNoteSpeech):
            spoken = await self._tts.synthesize_voice_note(text)
            if audio.is_ogg_opus(spoken.data):
                return spoken.data
        else:
            spoken = await self._tts.synthesize(text)
        return await asyncio.to_thread(audio.to_ogg_opus, spoken.data)
