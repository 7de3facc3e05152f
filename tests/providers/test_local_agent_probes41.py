"""Conversations played turn by turn in session 41 (held-out sets 125–130 written or left open
before it). Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

from switchboard.agent_models import AgentDecision, Intent
from tests.providers.test_local_agent_everyday import at, decide, pending_several, proposed
from tests.providers.test_local_agent_probes33 import booking_of
from tests.providers.test_local_agent_probes38 import busy_of


def subjects(decision: AgentDecision) -> list[str]:
    """Who ``decision`` proposes to book, move or cancel, in order."""
    return [s for s, _ in proposed(decision)]


# -- "a bit later": how much later is the customer's to say -------------------------------------


async def test_a_bit_later_asks_the_time_rather_than_proposing_one() -> None:
    groom = booking_of("Coco", at(10, 10), "grooming", "b1")
    decision = await decide(
        "can coco's groom on thursday be a bit later? 🙏", bookings=[groom], busy=busy_of(groom)
    )
    assert decision.intent is Intent.CLARIFY, decision.reply
    assert decision.proposal is None
    assert "10:15" in decision.reply  # the later times listed to choose from


async def test_a_bit_earlier_with_a_bound_still_proposes_the_nearest() -> None:
    visit = booking_of("Bella", at(10, 16), "consultation", "b1")
    decision = await decide(
        "Hi, could Bella's appointment on Thursday be a bit earlier? Same day, just not as late "
        "as 4",
        bookings=[visit],
        busy=busy_of(visit),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply


# -- names: breeds, signatures and the people who write ------------------------------------------


async def test_a_breed_in_brackets_keeps_the_name_before_it() -> None:
    decision = await decide(
        "Hello! Fifi (toy poodle) needs a groom, she's looking like a sheep 🐑 is saturday "
        "11.15 ok?"
    )
    assert proposed(decision) == [("Fifi", at(12, 11, 15))], decision.reply


async def test_a_second_pet_with_just_his_service_is_booked_with_it() -> None:
    decision = await decide(
        "Hi! friday at 10, can I bring both dogs? bonnie needs a check up (she's limping again) "
        "and clyde just his booster"
    )
    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert {(p.subject, p.service) for p in decision.proposals} == {
        ("Bonnie", "consultation"),
        ("Clyde", "vaccination"),
    }


async def test_two_pets_two_services_one_name_asks_rather_than_booking_both_for_one() -> None:
    decision = await decide(
        "friday at 10, can I bring both dogs? bonnie needs a check up and the other one his booster"
    )
    assert decision.intent is Intent.CLARIFY, decision.reply
    assert not decision.proposals and decision.proposal is None


async def test_a_formal_letter_books_the_dog_not_its_breed_or_its_owners() -> None:
    decision = await decide(
        "Good evening,\n\nOur dog Monty, a 9-year-old Jack Russell, was seen at your clinic in "
        "October for his vaccinations. We would like to book the dental cleaning for this "
        "Friday, nine o'clock would be ideal.\n\nMany thanks,\nAntoine & Julie Roussel"
    )
    assert subjects(decision) == ["Monty"], decision.reply


async def test_the_writer_introduced_with_a_title_is_no_pet() -> None:
    decision = await decide(
        "Dear Veterinary Clinic,\n\nAllow me to introduce myself: I am Colonel (retd.) James "
        "Whitfield. We have with us our Scottish terrier, Dougal, who is in need of a general "
        "examination. Might he be seen on Saturday at half past nine?\n\nI remain, yours "
        "faithfully,\nJ. R. Whitfield"
    )
    assert subjects(decision) == ["Dougal"], decision.reply


async def test_a_former_vet_named_in_passing_is_no_pet() -> None:
    decision = await decide(
        "I have been bringing my cats to your clinic since 1994, when it was still old Dr "
        "Perrin's practice. My current cat, Rupert, has a small lump on his shoulder. Might he "
        "be seen on Friday morning at a quarter past eleven?\n\nWith my sincere thanks,\nMarcel "
        "Aubert"
    )
    assert subjects(decision) == ["Rupert"], decision.reply


async def test_a_breed_named_with_its_kind_is_no_second_pet() -> None:
    decision = await decide(
        "Her little dog Binky (a Yorkshire terrier, about 12) has a cough that comes and goes. "
        "I can bring them on Thursday after my work; would a quarter to five be possible? Best "
        "wishes, Nathalie Simon"
    )
    assert subjects(decision) == ["Binky"], decision.reply


async def test_a_couples_signature_sent_as_its_own_message_books_nobody() -> None:
    decision = await decide(
        "Good day to you. Our two dogs, Pickwick and Toffee, need a bath before Christmas. "
        "Friday the 11th at 2 in the afternoon would be ideal, both at the same time.\n"
        "Albert and Simone Girard"
    )
    assert sorted(subjects(decision)) == ["Pickwick", "Toffee"], decision.reply


async def test_a_pasted_email_signature_block_is_not_read_as_a_request() -> None:
    decision = await decide(
        "Please may I book Marmalade (female cat, 6 years) in for her annual vaccination. "
        "Tomorrow, Tuesday, at 4.30 in the afternoon would be ideal.\n\nBest regards,\nSophie "
        "Lambert\nSenior Accounts Assistant | Bureau Vallette & Fils\n45 avenue de la "
        "République, 75011 Paris\nTel. +33 1 43 55 20 10"
    )
    assert proposed(decision) == [("Marmalade", at(8, 16, 30))], decision.reply


async def test_a_thanks_line_then_more_of_the_request_is_no_signature() -> None:
    decision = await decide("book rex tomorrow 3pm\nthanks\noh and bella too")
    assert sorted(subjects(decision)) == ["Bella", "Rex"], decision.reply


async def test_the_pet_seen_on_a_day_asked_the_latest_time_is_named() -> None:
    decision = await decide(
        "whats the latest you could see rocky on friday? end of the day ideally, we're coming "
        "from the other side of paris"
    )
    assert subjects(decision) == ["Rocky"], decision.reply


# -- times the customer's own day gives ----------------------------------------------------------


async def test_the_part_of_the_booked_day_is_not_the_new_days() -> None:
    visit = booking_of("Ginger", at(9, 10), "consultation", "b1")
    decision = await decide(
        "hi there, ginger's check up on wednesday morning - could we switch to thursday at 4 "
        "instead? work thing came up",
        bookings=[visit],
        busy=busy_of(visit),
    )
    assert proposed(decision) == [("Ginger", at(10, 16))], decision.reply


async def test_the_hour_the_customer_leaves_work_is_not_the_visits() -> None:
    first = await decide("hey, any chance max could be seen tomorrow after work?")
    decision = await decide(
        "I'm out at half 5 so 6 would be ideal",
        history=["hey, any chance max could be seen tomorrow after work?", first.reply],
    )
    assert proposed(decision) == [("Max", at(8, 18))], decision.reply


async def test_finishing_work_then_the_time_they_can_come() -> None:
    decision = await decide(
        "is there any room for mochi after work today\ni finish half 5, could be with you for 6. "
        "she's a hamster"
    )
    assert proposed(decision) == [("Mochi", at(7, 18))], decision.reply


async def test_working_hours_with_the_days_first_are_no_time() -> None:
    decision = await decide(
        "Do you do saturdays? I work mon-fri 9 to 6 so it's hard to get there... or are you open "
        "late any day?"
    )
    assert decision.intent is Intent.ANSWER, decision.reply
    assert "13:00" in decision.reply and "19:00" in decision.reply


async def test_open_late_any_day_is_our_hours_not_a_booking() -> None:
    decision = await decide("are you open late any day?")
    assert decision.intent is Intent.ANSWER, decision.reply
    assert "19:00" in decision.reply


async def test_the_end_of_the_day_offers_the_evening() -> None:
    groom = booking_of("Willow", at(10, 10), "grooming", "b1")
    decision = await decide(
        "could willow's groom on thursday be pushed to the end of the day? can't get away in "
        "the mornings anymore",
        bookings=[groom],
        busy=busy_of(groom),
    )
    offered = [t for t in ("08:30", "09:30", "10:45", "11:45") if t in decision.reply]
    assert not offered, decision.reply
    assert "18:15" in decision.reply


async def test_an_hour_for_both_with_a_reason_changes_the_proposal() -> None:
    first = await decide(
        "can both my cats have their vaccines friday morning? salem and jinx. any time before 12"
    )
    decision = await decide(
        "10 for both please, they travel together",
        pending=pending_several(first),
        history=[
            "can both my cats have their vaccines friday morning? salem and jinx. any time "
            "before 12",
            first.reply,
        ],
    )
    assert decision.intent is not Intent.CONFIRM, decision.reply
    assert {slot for _, slot in proposed(decision)} == {at(11, 10)}, decision.reply


# -- which booking: the part of the day, and one the customer is unsure they made ----------------


async def test_the_afternoon_one_of_a_day_is_the_booking_cancelled() -> None:
    bruno = booking_of("Bruno", at(10, 9, 30), "consultation", "b1")
    daisy = booking_of("Daisy", at(10, 16), "consultation", "b2")
    decision = await decide(
        "hi, can you cancel the thursday afternoon one please, we'll be away",
        bookings=[bruno, daisy],
        busy=busy_of(bruno, daisy),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"


async def test_did_i_book_is_answered_from_the_calendar() -> None:
    jab = booking_of("Nala", at(11, 11, 30), "vaccination", "b1")
    decision = await decide(
        "did I actually book nala's jab in the end? I can't remember if I did it or just meant "
        "to lol",
        bookings=[jab],
        busy=busy_of(jab),
    )
    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "11:30" in decision.reply


async def test_two_pets_thought_booked_says_which_is_not() -> None:
    rex = booking_of("Rex", at(9, 16, 30), "consultation", "b1")
    decision = await decide(
        "Hi, I think I booked both dogs in for wednesday afternoon, Rex and Bruno? Just double "
        "checking as I only got one message",
        bookings=[rex],
        busy=busy_of(rex),
    )
    assert "16:30" in decision.reply, decision.reply
    assert "Nothing is booked for Bruno" in decision.reply
