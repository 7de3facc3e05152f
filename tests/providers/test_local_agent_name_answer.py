"""A pet's name given alone, answering our question for it, completes the request it was asked
for: "Rex." after "Sorry, I didn't catch your dog's name. Could you say it again?" (asked on a
call when the STT was unsure of the name, ``switchboard.voice.names``) or after "… What is your
pet's name?". In a call transcript a new name elsewhere counts only where names go ("for Rex"),
so before, "Rex." there got "Sorry, I didn't catch that" again. The caller who says the whole
request again is read as ever, and is not asked the name a second time.

``NOW`` is Monday 7 December 2026, 09:00 in Paris; the profile is business/profile.yaml.
"""

from __future__ import annotations

import pytest

from switchboard.agent_models import Channel, Intent
from tests.providers.test_local_agent_call_gaps import GREETING, WHO_FOR, at, booking, decide

NAME_AGAIN = "Sorry, I didn't catch your dog's name. Could you say it again?"
ASKED = "Can I bring my dog reaction in on Thursday at 3 pm?"


@pytest.mark.parametrize(
    "answer", ["Rex.", "It's Rex.", "His name is Rex.", "Oh sorry, Rex.", "Rex, my dog."]
)
async def test_the_name_alone_completes_the_request_it_was_asked_for(answer: str) -> None:
    decision = await decide(answer, [GREETING, ASKED, NAME_AGAIN])

    assert decision.intent is Intent.PROPOSE_BOOKING
    assert decision.proposal is not None
    assert decision.proposal.subject == "Rex"
    assert decision.proposal.slot_start == at(10, 15)
    assert "Shall I confirm?" in decision.reply  # read back for a yes, nothing booked yet


async def test_the_name_alone_answers_who_the_appointment_is_for() -> None:
    decision = await decide("Biscuit.", [GREETING, "Book my cat in on Thursday at 3 pm.", WHO_FOR])

    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Biscuit", at(10, 15))


async def test_in_writing_too() -> None:
    decision = await decide(
        "her name's luna",
        [GREETING, "book my cat thursday at 3", WHO_FOR],
        channel=Channel.WHATSAPP,
    )

    assert decision.proposal is not None
    assert decision.proposal.subject == "Luna"


async def test_the_request_said_again_is_read_as_one() -> None:
    decision = await decide(
        "Can I bring my dog Rex in on Thursday at 3 pm?", [GREETING, ASKED, NAME_AGAIN]
    )

    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Rex", at(10, 15))


@pytest.mark.parametrize("answer", ["Yes.", "Thursday.", "My dog.", "No."])
async def test_what_is_no_name_is_not_taken_for_one(answer: str) -> None:
    decision = await decide(answer, [GREETING, ASKED, NAME_AGAIN])

    assert decision.proposal is None or decision.proposal.subject not in {
        "Yes",
        "Thursday",
        "No",
    }


async def test_a_pet_on_record_answering_is_that_pet() -> None:
    max_visit = booking("Max", at(1, 10), "b1")
    decision = await decide("Max.", [GREETING, ASKED, NAME_AGAIN], bookings=[max_visit])

    assert decision.proposal is not None
    assert decision.proposal.subject == "Max"
    assert decision.proposal.booking_id is None  # a new booking for Max, not a move
