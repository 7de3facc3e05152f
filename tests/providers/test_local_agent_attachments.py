"""What the local agent says to a WhatsApp message that carried a photo, a file, a sticker, a
location or a kind without text (``switchboard.media_notes``): the customer's words are read as
ever, a question about a photo goes to a person, and a message without words is thanked with the
open question asked again -- never "Sorry, I didn't quite get that"."""

from __future__ import annotations

import pytest

from switchboard import media_notes
from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import at, decide, pending

DIDNT_GET = "didn't"


@pytest.mark.parametrize(
    ("message", "thanked"),
    [
        (media_notes.PHOTO, "photo"),
        (f"{media_notes.PHOTO} {media_notes.PHOTO}", "photos"),
        (media_notes.FILE, "file"),
        (media_notes.CONTACT, "contact card"),
        ("[shared a location: Home (48.85, 2.35)]", "location"),
        (media_notes.no_text("reaction"), "Thanks"),
    ],
)
async def test_a_message_that_is_only_an_attachment_is_thanked_not_misread(
    message: str, thanked: str
) -> None:
    decision = await decide(message)
    assert thanked in decision.reply
    assert DIDNT_GET not in decision.reply
    assert decision.intent is Intent.OTHER
    assert decision.proposal is None


async def test_an_attachment_while_a_booking_waits_for_a_yes_asks_it_again() -> None:
    decision = await decide(media_notes.STICKER, pending=pending(slot=at(8, 10), subject="Max"))
    assert decision.intent is Intent.CLARIFY
    assert "Max" in decision.reply and "yes or no" in decision.reply
    assert decision.action_id is None  # a sticker is no yes


async def test_a_question_sent_with_a_photo_goes_to_a_person() -> None:
    decision = await decide(f"is this rash bad? {media_notes.PHOTO}")
    assert decision.intent is Intent.HANDOFF
    assert "team" in decision.reply
    assert "rash" in decision.note


async def test_a_request_sent_with_a_photo_is_read_as_a_request() -> None:
    decision = await decide(f"can I book Max in tomorrow at 3pm? {media_notes.PHOTO}")
    assert decision.intent is Intent.PROPOSE_BOOKING
    assert decision.proposal is not None and decision.proposal.subject == "Max"


async def test_the_note_s_words_are_never_read_as_the_customer_s() -> None:
    # "sent" in "[sent a photo]" is no "sorry, sent too soon"; "file" no request.
    decision = await decide(f"{media_notes.PHOTO} Max's vaccination card")
    assert "take your time" not in decision.reply.lower()
