"""The first stage of a turn: one inbound message to text, its media fetched and its audio
transcribed (media download → audio normalisation → STT; from the patch ``lean-turns`` on, the
three in one activity, ``stt.transcribe_media``; from the patch ``decide-with-transcript`` on, a
lone voice note's activity also asks the agent, ``stt.transcribe_and_decide``: see ``turn.py``).

The download and the transcription are bounded by the turn's budget: a slow vendor must not
hold the reply past it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

from workflows.customer_context import CustomerContext
from workflows.customer_texts import START_WORDS, STOP_WORDS
from workflows.policies import VENDOR_RETRY, turn_activity

with workflow.unsafe.imports_passed_through():
    from activities.media import MediaActivities
    from activities.stt import SttActivities
    from activities.types import (
        DecideInput,
        FetchMediaInput,
        HearAndDecideInput,
        NormaliseAudioInput,
        TranscribeInput,
        TranscribeMediaInput,
        TranscriptResult,
    )
    from switchboard import media_notes
    from switchboard.agent_models import AgentDecision, Channel
    from workflows.types import InboundInput

# Below this STT confidence a transcript is logged but not acted on: a short question beats a
# wrong booking. Whisper tiny.en scores espeak's "Yes." on 8 kHz phone audio about 0.45.
MIN_CONFIDENCE = 0.3

# From this patch on a sticker is logged as one, not as a photo (it no longer starts the
# journeys a photo starts, ``media_received`` with kind ``image``: "Thanks for the photo…"), and
# a contact card is named. WhatsApp sends stickers as ``image/webp`` and photos as JPEG or PNG
# (Meta, WhatsApp Cloud API "Supported media types"); a contact card reaches Twilio's webhook
# as a vCard (``text/vcard``, Twilio docs "Messaging webhook request parameters").
MEDIA_KINDS_PATCH = "media-kinds"
STICKER_TYPES = frozenset({"image/webp"})
CONTACT_TYPES = frozenset({"text/vcard", "text/x-vcard"})

# From this patch on a message with several media (up to 10: Twilio docs, "Messaging webhook
# request parameters", ``NumMedia``) is logged with every item's ID, not the last one's, and its
# kind no longer depends on the order of the items: a photo sent with a PDF starts the photo's
# journey, a voice note sent with a photo stays a voice note (retention deletes its raw audio
# once transcribed). Checked only for such a message: one with one item or none replays as
# before, and its history carries no marker.
SEVERAL_MEDIA_PATCH = "several-media"
AUDIO_KINDS = ("voice_note", "speech")


@dataclass
class Ingested:
    """One message as the turn logs it and reads it.

    ``media_id``: the medium the log row names (before the patch ``several-media``, the last
    item's; from it on, the first's), ``media_ids``: every item's ID when there were several
    and the patch applies, else empty; ``photo_id``: the photo that starts the journeys of
    ``media_received``, None when there is none (before the patch: the last item's ID when
    that item is a photo)."""

    text: str
    kind: str
    media_id: str | None = None
    media_ids: list[str] = field(default_factory=list)
    photo_id: str | None = None
    unsure: bool = False
    decision: AgentDecision | None = None


async def ingest(
    customer: CustomerContext,
    msg: InboundInput,
    budget: timedelta,
    *,
    ahead: DecideInput | None = None,
) -> Ingested:
    """One message read (``Ingested``); audio is transcribed. An unreadable voice note yields
    no text (the customer is asked to resend) but is still logged; a low-confidence transcript
    is logged but flagged ``unsure``. ``ahead``: the agent's input for this message (its
    ``message`` still empty) when it is one voice note: transcribed and decided on in one
    activity, ``decision`` the agent's on the transcript (None without ``ahead``, or when the
    activity made none: unsure, a keyword, the agent failed). Every item becomes a note in the
    text, in order ("[sent a photo] [sent a file]")."""
    several = len(msg.media) > 1 and workflow.patched(SEVERAL_MEDIA_PATCH)
    decision: AgentDecision | None = None
    parts = [msg.text.strip()] if msg.text.strip() else []
    kind = "speech" if msg.channel is Channel.VOICE else "text"
    media_id: str | None = None
    kinds: list[str] = []  # each item's, in order
    unsure = False
    for index, item in enumerate(msg.media):
        media_id = f"{msg.sid}/{index}"
        if item.content_type.startswith("audio/"):
            kind = "speech" if msg.channel is Channel.VOICE else "voice_note"
            kinds.append(kind)
            audio = TranscribeMediaInput(media_id=media_id, url=item.url, customer=customer.e164)
            if ahead is not None:
                transcript, decision = await _transcribe_and_decide(
                    HearAndDecideInput(
                        audio=audio,
                        decide=ahead,
                        min_confidence=MIN_CONFIDENCE,
                        skip_words=sorted(STOP_WORDS | START_WORDS),
                    ),
                    budget,
                    local=customer.turn_local,
                )
            else:
                transcript = await _transcribe(customer, media_id, item.url, budget)
            if transcript is not None and transcript.text:
                parts.append(transcript.text)
                confidence = transcript.confidence
                unsure = unsure or (confidence is not None and confidence < MIN_CONFIDENCE)
        else:
            kind, said = _media_kind(item.content_type)
            kinds.append(kind)
            try:
                await _fetch(customer, media_id, item.url, budget)
            except ActivityError:
                workflow.logger.warning("media fetch failed", extra={"media_id": media_id})
            parts.append(said)
    text = " ".join(parts)
    if not several:  # the last item's kind and ID, as before the patch: replays must match
        photo_id = media_id if kind == "image" else None
        return Ingested(text, kind, media_id, [], photo_id, unsure, decision)
    ids = [f"{msg.sid}/{index}" for index in range(len(msg.media))]
    photos = [i for i, k in zip(ids, kinds, strict=True) if k == "image"]
    # A voice note's transcript is the message's words whatever came with it; else a photo
    # is what staff and the journeys act on; else the first item says what was sent.
    kind = next((k for k in kinds if k in AUDIO_KINDS), "image" if photos else kinds[0])
    return Ingested(text, kind, ids[0], ids, photos[0] if photos else None, unsure, decision)


def _media_kind(content_type: str) -> tuple[str, str]:
    """(log kind, what the agent reads) for a media item other than audio, by its MIME type:
    ``("image", "[sent a photo]")``, ``("media", "[sent a file]")``, and from the patch
    ``media-kinds`` on ``("sticker", "[sent a sticker]")`` and ``("contact", "[shared a contact
    card]")``."""
    base = content_type.partition(";")[0].strip().lower()
    if base in STICKER_TYPES | CONTACT_TYPES and workflow.patched(MEDIA_KINDS_PATCH):
        if base in STICKER_TYPES:
            return "sticker", media_notes.STICKER
        return "contact", media_notes.CONTACT
    if content_type.startswith("image/"):  # as before the patch: replays must match
        return "image", media_notes.PHOTO
    return "media", media_notes.FILE


async def _fetch(customer: CustomerContext, media_id: str, url: str, budget: timedelta) -> None:
    await workflow.execute_activity_method(
        MediaActivities.fetch,
        FetchMediaInput(media_id=media_id, url=url, customer=customer.e164),
        schedule_to_close_timeout=budget,
        start_to_close_timeout=timedelta(seconds=10),
        retry_policy=VENDOR_RETRY,
    )


async def _transcribe_and_decide(
    ahead: HearAndDecideInput, budget: timedelta, *, local: bool
) -> tuple[TranscriptResult | None, AgentDecision | None]:
    """``stt.transcribe_and_decide``: the lean turn's ``stt.transcribe_media`` (same timeouts
    and retries) with the agent's 15 s on top; an unreadable voice note yields (None, None).
    ``local`` (patch ``turn-local-activities``): run as a local activity, the turn's budget
    still bounding every attempt together (``turn_activity``)."""
    try:
        heard = await turn_activity(
            SttActivities.transcribe_and_decide,
            ahead,
            local=local,
            schedule_to_close=budget,
            start_to_close=timedelta(seconds=45),
            heartbeat=timedelta(seconds=6),
            retry_policy=VENDOR_RETRY,
        )
    except (ActivityError, ApplicationError):  # a local activity's: see application_failure
        workflow.logger.warning("voice note unreadable", extra={"media_id": ahead.audio.media_id})
        return None, None
    return heard.transcript, heard.decision


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
