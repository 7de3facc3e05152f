"""A WhatsApp message with several media (Twilio's ``NumMedia``, ``MediaUrl0..9``: Twilio docs,
"Messaging webhook request parameters") on the real stack: every item reaches staff and the
journeys, whatever their order. Before the patch ``several-media`` the log row kept the last
item only: a photo sent before a PDF started no photo journey, the console linked the last item
only, and a voice note sent with a photo was logged as a photo, so retention kept its raw audio
for good."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from devtools.inbound_forms import whatsapp_message_form
from switchboard import audio
from switchboard.access import Role
from switchboard.db.models import MediaBlob, Message
from switchboard.db.retention import delete_raw_audio
from tests.conftest import Harness
from tests.console.test_pages import sign_in_as
from tests.polling import eventually

CUSTOMER = "+33612345678"
PHOTO = (b"\xff\xd8\xff\xe0" + bytes(64), "image/jpeg")
PDF = (b"%PDF-1.4\n" + bytes(64), "application/pdf")


async def inbound_line(h: Harness, sid: str) -> Message | None:
    async with h.db.session() as s:
        return (
            await s.exec(
                select(Message).where(Message.provider_sid == sid, Message.direction == "inbound")
            )
        ).first()


async def photo_offers(h: Harness) -> list[dict[str, object]]:
    """The photo-call journey's first message to the customer (its offer of a call)."""
    return [
        m
        for m in await h.sandbox_messages()
        if m["to"] == f"whatsapp:{CUSTOMER}"
        and "call you to go through the photo" in str(m["body"])
    ]


@pytest.mark.parametrize("photo_first", [True, False], ids=["photo-then-pdf", "pdf-then-photo"])
async def test_a_photo_and_a_pdf_in_one_message_both_reach_staff_and_the_photo_starts_its_journey(
    harness: Harness, photo_first: bool
) -> None:
    await harness.opt_in(CUSTOMER)
    items = [PHOTO, PDF] if photo_first else [PDF, PHOTO]
    # A SID of each case's own: the photo journey runs once per message SID, even after its
    # run ended (workflows/journey_router.py, reject-duplicate), and the server is the session's.
    # Fresh per run: the photo journey's run is keyed by the SID on the session's Temporal server.
    sid = ("MMphotopdf" if photo_first else "MMpdfphoto") + uuid.uuid4().hex[:12]
    media = [(await harness.sim.upload(data, kind), kind) for data, kind in items]
    form = whatsapp_message_form(sid, CUSTOMER, "my prescription", media=media)
    assert (await harness.post_twilio("/twilio/whatsapp", form)).status_code == 200

    # What the customer notices first: the photo journey's offer (before the patch, a photo
    # sent before a PDF started none: the message was logged as a file).
    await eventually(lambda: photo_offers(harness), bool)
    journey = harness.temporal.get_workflow_handle(f"journey/photo-call/{CUSTOMER}/{sid}")
    assert (await journey.describe()).id == f"journey/photo-call/{CUSTOMER}/{sid}"
    line = await eventually(lambda: inbound_line(harness, sid), lambda m: m is not None)
    assert line is not None and line.kind == "image"
    assert line.text == "my prescription " + (
        "[sent a photo] [sent a file]" if photo_first else "[sent a file] [sent a photo]"
    )

    # Staff's timeline links both, and each link opens the item it names.
    await sign_in_as(harness.api, harness.db, Role.AGENT, "Ana Agent")
    page = (await harness.api.get(f"/console/customers/{CUSTOMER}")).text
    for index, (data, _) in enumerate(items):
        src = f"/console/customers/%2B33612345678/media/{sid}/{index}"
        assert f'href="{src}"' in page, src
        opened = await harness.api.get(src)
        assert opened.status_code == 200 and opened.content == data, src
    assert "Open the photo (" in page and "Open the file (" in page


@pytest.mark.parametrize(
    "voice_first", [True, False], ids=["voice-note-then-photo", "photo-then-voice-note"]
)
async def test_a_voice_note_sent_with_a_photo_is_a_voice_note_and_its_audio_is_not_kept(
    harness: Harness, jfk_flac: bytes, voice_first: bool
) -> None:
    """Voice note first: before the patch the row was a photo's (the last item's kind), which
    retention's raw-audio sweep never reads. Photo first: the row names the photo as its
    ``media_id``, the voice note only in ``media_ids``, which the sweep must read too."""
    await harness.opt_in(CUSTOMER)
    note = (audio.to_ogg_opus(jfk_flac), "audio/ogg")
    items = [note, PHOTO] if voice_first else [PHOTO, note]
    sid = ("MMvoicephoto" if voice_first else "MMphotovoice") + uuid.uuid4().hex[:12]
    media = [(await harness.sim.upload(data, kind), kind) for data, kind in items]
    form = whatsapp_message_form(sid, CUSTOMER, "", media=media)
    assert (await harness.post_twilio("/twilio/whatsapp", form)).status_code == 200

    line = await eventually(lambda: inbound_line(harness, sid), lambda m: m is not None)
    assert line is not None
    assert line.kind == "voice_note", "before the patch: 'image', the last item's kind"
    assert "ask not what your country" in line.text.lower()
    assert line.media_ids == [f"{sid}/0", f"{sid}/1"]

    # Retention's raw-audio sweep (run daily by workflows/retention.py): the transcribed
    # voice note's audio goes, with any copy made for the transcription; the photo stays.
    voice, photo = (f"{sid}/0", f"{sid}/1") if voice_first else (f"{sid}/1", f"{sid}/0")
    async with harness.db.session() as s:
        await delete_raw_audio(s, limit=100)
    async with harness.db.session() as s:
        kept = set((await s.exec(select(MediaBlob.id))).all())
    assert not {i for i in kept if i.startswith(voice)}, kept
    assert photo in kept
