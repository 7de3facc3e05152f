"""Text-to-speech activity: the reply spoken on a call, stored for the API to serve."""

from __future__ import annotations

import asyncio

from temporalio import activity

from activities.errors import application_error
from activities.types import MediaRef, SynthesizeInput
from switchboard import audio
from switchboard.db.engine import Database
from switchboard.db.media import get_media, put_media
from switchboard.providers.base import ProviderError, TextToSpeech


class TtsActivities:
    def __init__(self, db: Database, tts: TextToSpeech) -> None:
        self._db = db
        self._tts = tts

    @activity.defn(name="tts.synthesize")
    async def synthesize(self, input: SynthesizeInput) -> MediaRef:
        """Synthesise ``input.text`` once per ``input.key`` (the stored audio's ID)."""
        async with self._db.session() as s:
            done = await get_media(s, media_id=input.key)
        if done is None:
            try:
                spoken = await self._tts.synthesize(input.text)
            except ProviderError as exc:
                raise application_error(exc) from exc
            data, content_type = spoken.data, spoken.content_type
            if input.format == "ogg":
                data = await asyncio.to_thread(audio.to_ogg_opus, data)
                content_type = "audio/ogg"
            async with self._db.session() as s:
                await put_media(
                    s,
                    media_id=input.key,
                    data=data,
                    content_type=content_type,
                    customer_e164=input.customer,
                )
                done = await get_media(s, media_id=input.key)
        assert done is not None
        return MediaRef(media_id=done.id, content_type=done.content_type, size=done.size)
