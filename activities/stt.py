"""Speech-to-text activity."""

from __future__ import annotations

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.errors import application_error
from activities.types import TranscribeInput, TranscriptResult
from switchboard.db.engine import Database
from switchboard.db.media import get_media
from switchboard.providers.base import Media, ProviderError, SpeechToText

HEARTBEAT_EVERY_S = 2.0


class SttActivities:
    def __init__(self, db: Database, stt: SpeechToText) -> None:
        self._db = db
        self._stt = stt

    @activity.defn(name="stt.transcribe")
    async def transcribe(self, input: TranscribeInput) -> TranscriptResult:
        """Transcribe a stored audio blob. Pure (no side effect), so retries are safe."""
        async with self._db.session() as s:
            blob = await get_media(s, media_id=input.media_id)
        if blob is None:
            raise ApplicationError(f"no media {input.media_id}", non_retryable=True)
        activity.heartbeat()
        try:
            result = await self._stt.transcribe(
                Media(data=blob.data, content_type=blob.content_type)
            )
        except ProviderError as exc:
            raise application_error(exc) from exc
        return TranscriptResult(
            text=result.text.strip(), confidence=result.confidence, duration_ms=result.duration_ms
        )
