"""What customers really send on WhatsApp, through the signed webhook, the inbox relay and the
customer's workflow: every kind is recorded (never a 422 that loses it), reaches the
conversation log as a well-defined line of text, and gets an answer.

The forms follow Twilio's "Messaging webhook request parameters", WhatsApp parameters
(https://www.twilio.com/docs/messaging/guides/webhook-request): a location pin has an empty
``Body`` and ``Latitude``/``Longitude``/``Label``/``Address``; a quick-reply tap has
``ButtonText`` (and ``ButtonPayload``, https://www.twilio.com/docs/whatsapp/buttons).
"""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlmodel import select

from devtools.inbound_forms import whatsapp_message_form
from operations.ingest import whatsapp_text
from switchboard.db.models import InboundEvent, Message
from tests.conftest import Harness
from tests.polling import eventually

CUSTOMER = "+33612345678"
LONG = "My dog has been limping since Sunday and " * 125  # 5,125 characters


async def inbound_line(h: Harness, sid: str) -> Message | None:
    async with h.db.session() as s:
        return (
            await s.exec(
                select(Message).where(Message.provider_sid == sid, Message.direction == "inbound")
            )
        ).first()


async def replies_to(h: Harness, e164: str) -> list[dict[str, object]]:
    return [m for m in await h.sandbox_messages() if m["to"] == f"whatsapp:{e164}"]


async def recorded(h: Harness, sid: str) -> bool:
    async with h.db.session() as s:
        return (await s.get(InboundEvent, sid)) is not None


@pytest.mark.parametrize(
    ("fields", "logged"),
    [
        pytest.param(
            {
                "Latitude": "48.8566",
                "Longitude": "2.3522",
                "Label": "Clinique du Louvre",
                "Address": "1 rue de Rivoli, Paris",
                "MessageType": "location",
            },
            "[shared a location: Clinique du Louvre, 1 rue de Rivoli, Paris (48.8566, 2.3522)]",
            id="location-pin",
        ),
        pytest.param(
            {"ButtonText": "Yes, book it", "ButtonPayload": "confirm", "MessageType": "button"},
            "Yes, book it",
            id="button-tap-without-body",
        ),
        pytest.param(
            {"MessageType": "reaction"},
            "[sent a reaction message with no text]",
            id="kind-without-text",
        ),
        pytest.param({}, "[sent a message with no text]", id="empty"),
    ],
)
async def test_a_message_without_body_is_recorded_logged_and_answered(
    harness: Harness, fields: dict[str, str], logged: str
) -> None:
    """Before: 422 ``Body: empty message with no media``, nothing recorded, no answer (Twilio
    does not retry a 4xx: the customer's pin or tap was lost)."""
    form = {**whatsapp_message_form("SMkind1", CUSTOMER, ""), **fields}
    response = await harness.post_twilio("/twilio/whatsapp", form)
    assert response.status_code == 200, response.text
    assert await recorded(harness, "SMkind1")
    line = await eventually(lambda: inbound_line(harness, "SMkind1"), lambda m: m is not None)
    assert line is not None and line.text == logged
    replies = await eventually(lambda: replies_to(harness, CUSTOMER), lambda r: len(r) == 1)
    assert str(replies[0]["body"]).strip()


async def test_a_long_message_is_recorded_whole_and_answered(harness: Harness) -> None:
    """Before: 422 ``Body: String should have at most 4096 characters``: lost."""
    response = await harness.post_twilio(
        "/twilio/whatsapp", whatsapp_message_form("SMlong", CUSTOMER, LONG)
    )
    assert response.status_code == 200, response.text
    line = await eventually(lambda: inbound_line(harness, "SMlong"), lambda m: m is not None)
    assert line is not None and line.text == LONG.strip()
    await eventually(lambda: replies_to(harness, CUSTOMER), lambda r: len(r) == 1)


async def test_a_quick_reply_tap_on_a_proposal_confirms_it(harness: Harness) -> None:
    """A tap on a template's "Yes" button is read as typed text: the booking is made."""
    await harness.opt_in(CUSTOMER)
    await harness.post_twilio(
        "/twilio/whatsapp",
        whatsapp_message_form("SMask", CUSTOMER, "Book my dog for Friday at 3pm"),
    )
    await eventually(lambda: replies_to(harness, CUSTOMER), lambda r: len(r) == 1)
    tap = {
        **whatsapp_message_form("SMtap", CUSTOMER, "Yes"),
        "ButtonText": "Yes",
        "ButtonPayload": "confirm",
        "MessageType": "button",
        "OriginalRepliedMessageSid": "SMproposal",
    }
    assert (await harness.post_twilio("/twilio/whatsapp", tap)).status_code == 200
    replies = await eventually(lambda: replies_to(harness, CUSTOMER), lambda r: len(r) == 2)
    assert "booked" in str(replies[1]["body"]).lower()


async def test_a_photo_with_a_caption_is_read_as_its_caption_and_kept_for_staff(
    harness: Harness,
) -> None:
    url = await upload(harness, b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
    form = whatsapp_message_form(
        "MMrash", CUSTOMER, "is this rash bad?", media=[(url, "image/png")]
    )
    assert (await harness.post_twilio("/twilio/whatsapp", form)).status_code == 200
    line = await eventually(lambda: inbound_line(harness, "MMrash"), lambda m: m is not None)
    assert line is not None
    assert line.kind == "image" and line.media_id == "MMrash/0"
    assert line.text.startswith("is this rash bad?")
    await eventually(lambda: replies_to(harness, CUSTOMER), lambda r: len(r) == 1)


async def upload(h: Harness, content: bytes, content_type: str) -> str:
    async with httpx.AsyncClient(timeout=30) as http:
        uploaded = await http.post(
            f"{h.fake_twilio_url}/_fake/media",
            content=content,
            headers={"Content-Type": content_type},
        )
    uploaded.raise_for_status()
    return str(uploaded.json()["url"])


@pytest.mark.parametrize(
    ("content", "content_type", "kind", "said"),
    [
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp", "sticker", "[sent a sticker]"),
        (
            b"BEGIN:VCARD\r\nFN:Alex\r\nEND:VCARD\r\n",
            "text/vcard",
            "contact",
            "[shared a contact card]",
        ),
    ],
)
async def test_a_sticker_or_a_contact_card_is_named_not_taken_for_a_photo_or_a_file(
    harness: Harness, content: bytes, content_type: str, kind: str, said: str
) -> None:
    """Before: a sticker was logged and read as ``[sent a photo]`` (kind ``image``: it started
    the photo journey's "Would you like us to call you…?"), a contact card
    as ``[sent a file]``."""
    url = await upload(harness, content, content_type)
    form = whatsapp_message_form("MMkind", CUSTOMER, "", media=[(url, content_type)])
    assert (await harness.post_twilio("/twilio/whatsapp", form)).status_code == 200
    line = await eventually(lambda: inbound_line(harness, "MMkind"), lambda m: m is not None)
    assert line is not None
    assert (line.kind, line.text, line.media_id) == (kind, said, "MMkind/0")
    await eventually(lambda: replies_to(harness, CUSTOMER), lambda r: len(r) == 1)


async def test_a_photo_still_gets_the_photo_journeys_offer(harness: Harness) -> None:
    await harness.opt_in(CUSTOMER)
    url = await upload(harness, b"\xff\xd8\xff\xe0" + bytes(64), "image/jpeg")
    # A fresh SID, as Twilio's: the journey's run is keyed by it on the session's Temporal server.
    form = whatsapp_message_form(f"MM{uuid.uuid4().hex}", CUSTOMER, "", media=[(url, "image/jpeg")])
    assert (await harness.post_twilio("/twilio/whatsapp", form)).status_code == 200
    # The journey's offer of a call, not the agent's own "Thanks for the photo".
    replies = await eventually(
        lambda: replies_to(harness, CUSTOMER),
        lambda r: any("would you like us to call you" in str(m["body"]).lower() for m in r),
    )
    assert replies


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"Body": "  hello  "}, "hello"),
        ({"Body": "أريد حجز موعد"}, "أريد حجز موعد"),
        ({"Body": "👍"}, "👍"),
        ({"Body": "", "Latitude": "1.5", "Longitude": "-2"}, "[shared a location: (1.5, -2)]"),
        (
            {"Body": "I'm here", "Latitude": "1.5", "Longitude": "-2", "Label": "Home"},
            "I'm here [shared a location: Home (1.5, -2)]",
        ),
        ({"Body": "Yes", "ButtonText": "Yes, book it"}, "Yes"),  # Body is what was shown
        ({"Body": "", "NumMedia": "1"}, ""),  # its media are described by the workflow
    ],
)
def test_whatsapp_text(fields: dict[str, str], text: str) -> None:
    assert whatsapp_text(fields) == text
