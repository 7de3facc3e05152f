"""The first stage of a turn: one inbound message to text, its media fetched and its audio
transcribed (media download → audio normalisation → STT; from the patch ``lean-turns`` on, the
three in one activity, ``stt.transcribe_media``).

The download and the transcription are bounded by the turn's budget: a slow vendor must not
hold the reply past it.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

from workflows.customer_context import CustomerContext
from workflows.policies import VENDOR_RETRY

with workflow.unsafe.imports_passed_through():
    from activities.media import MediaActivities
    from activities.stt import SttActivities
    from activities.types import (
        FetchMediaInput,
        NormaliseAudioInput,
        TranscribeInput,
        TranscribeMediaInput,
        TranscriptResult,
    )
    from switchboard.agent_models import Channel
    from workflows.types import InboundInput

# Below this STT confidence a transcript is logged but not acted on: a short question beats a
# wrong booking. Whisper tiny.en scores espeak's "Yes." on 8 kHz phone audio about 0.45.
MIN_CONFIDENCE = 0.3


async def ingest(
    customer: CustomerContext, msg: InboundInput, budget: timedelta
) -> tuple[str, str, str | None, bool]:
    """(text, kind, media_id, unsure) for one message; audio is transcribed. An unreadable
    voice note yields no text (the customer is asked to resend) but is still logged; a
    low-confidence transcript is logged but flagged ``unsure``."""
    parts = [msg.text.strip()] if msg.text.strip() else []
    kind = "speech" if msg.channel is Channel.VOICE else "text"
    media_id: str | None = None
    unsure = False
    for index, item in enumerate(msg.media):
        media_id = f"{msg.sid}/{index}"
        if item.content_type.startswith("audio/"):
            kind = "speech" if msg.channel is Channel.VOICE else "voice_note"
            transcript = await _transcribe(customer, media_id, item.url, budget)
            if transcript is not None and transcript.text:
                parts.append(transcript.text)
                confidence = transcript.confidence
                unsure = unsure or (confidence is not None and confidence < MIN_CONFIDENCE)
        else:
            kind = "image" if item.content_type.startswith("image/") else "media"
            try:
                await _fetch(customer, media_id, item.url, budget)
            except ActivityError:
                workflow.logger.warning("media fetch failed", extra={"media_id": media_id})
            parts.append(f"[sent {'a photo' if kind == 'image' else 'a file'}]")
    return " ".join(parts), kind, media_id, unsure


async def _fetch(customer: CustomerContext, media_id: str, url: str, budget: timedelta) -> None:
    await workflow.execute_activity_method(
        MediaActivities.fetch,
        FetchMediaInput(media_id=media_id, url=url, customer=customer.e164),
        schedule_to_close_timeout=budget,
        start_to_close_timeout=timedelta(seconds=10),
        retry_policy=VENDOR_RETRY,
    )


async def _transcribe(
    customer: CustomerContext, media_id: str, url: str, budget: timedelta
) -> TranscriptResult | None:
    if customer.lean_turns:
        # One heartbeating activity for the three steps: one round trip through the server and
        # one workflow task instead of three (issue 14).
        try:
            return await workflow.execute_activity_method(
                SttActivities.transcribe_media,
                TranscribeMediaInput(media_id=media_id, url=url, customer=customer.e164),
                schedule_to_close_timeout=budget,
                start_to_close_timeout=timedelta(seconds=30),
                heartbeat_timeout=timedelta(seconds=6),
                retry_policy=VENDOR_RETRY,
            )
        except ActivityError:
            workflow.logger.warning("voice note unreadable", extra={"media_id": media_id})
            return None
    try:
        await _fetch(customer, media_id, url, budget)
        wav = await (
            workflow.execute_local_activity_method
            if customer.local_db
            else workflow.execute_activity_method
        )(
            MediaActivities.normalise_audio,
            NormaliseAudioInput(media_id=media_id),
            start_to_close_timeout=timedelta(seconds=10),
            retry_policy=VENDOR_RETRY,
        )
        transcript = await workflow.execute_activity_method(
            SttActivities.transcribe,
            TranscribeInput(media_id=wav.media_id, customer=customer.e164),
            schedule_to_close_timeout=budget,
            start_to_close_timeout=timedelta(seconds=20),
            heartbeat_timeout=timedelta(seconds=6),
            retry_policy=VENDOR_RETRY,
        )
    except (ActivityError, ApplicationError):  # local normalise_audio: see application_failure
        workflow.logger.warning("voice note unreadable", extra={"media_id": media_id})
        return None
    return transcript
