"""Conversations played turn by turn in session 43 (held-out sets 143–150 left open before it,
151 onwards written blind in it). Reference moment: Monday 7 December 2026, 09:00 Europe/Paris
(``NOW``)."""

from __future__ import annotations

from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import at, decide, proposed
from tests.providers.test_local_agent_probes33 import booking_of
from tests.providers.test_local_agent_probes38 import busy_of

# -- a cancellation beside another ask -------------------------------------------------------


async def test_which_booking_to_cancel_is_asked_not_taken_from_the_new_bookings_day() -> None:
    toffee = booking_of("Toffee", at(10, 10), "consultation", "b1")
    pumpkin = booking_of("Pumpkin", at(11, 15, 30), "grooming", "b2")
    ask = "can you cancel my appointment and book fudge in for a check-up friday instead?"
    first = await decide(ask, bookings=[toffee, pumpkin], busy=busy_of(toffee, pumpkin))
    assert first.intent is not Intent.PROPOSE_CANCEL, first.reply
    assert "Toffee" in first.reply and "Pumpkin" in first.reply and "?" in first.reply
    decision = await decide(
        "toffee's on thursday. and 2.45 for fudge if you can",
        bookings=[toffee, pumpkin],
        busy=busy_of(toffee, pumpkin),
        history=[ask, first.reply],
    )
    assert sorted(proposed(decision)) == [("Fudge", at(11, 14, 45)), ("Toffee", at(10, 10))]
    kinds = {p.subject: p.kind for p in decision.proposals}
    assert kinds == {"Fudge": "book", "Toffee": "cancel"}, decision.reply


# -- look-ups ------------------------------------------------------------------------------------


async def test_a_calendar_and_nothing_else_is_no_pet() -> None:
    juniper = booking_of("Juniper", at(10, 15), "consultation", "b1")
    otis = booking_of("Otis", at(11, 9, 30), "grooming", "b2")
    decision = await decide(
        "which of mine is on friday? I've just put 'vet' in my calendar and nothing else 🙄",
        bookings=[juniper, otis],
        busy=busy_of(juniper, otis),
    )
    assert "Calendar" not in decision.reply
    assert "Otis" in decision.reply and "09:30" in decision.reply


async def test_a_pets_one_is_when_is_looked_up() -> None:
    juniper = booking_of("Juniper", at(10, 15), "consultation", "b1")
    otis = booking_of("Otis", at(11, 9, 30), "grooming", "b2")
    decision = await decide(
        "ah the groom, right. and juniper's is when then?",
        bookings=[juniper, otis],
        busy=busy_of(juniper, otis),
        history=[
            "which of mine is on friday?",
            "Your appointment for Otis is on Friday 11 December at 09:30.",
        ],
    )
    assert decision.intent is not Intent.PROPOSE_BOOKING, decision.reply
    assert "Thursday 10 December" in decision.reply and "15:00" in decision.reply


# -- questions about the clinic ------------------------------------------------------------------


async def test_open_day_and_night_asked_gets_the_hours_and_the_night_service() -> None:
    decision = await decide(
        "do you take amex? also what do I do if something happens in the night, are you 24h?"
    )
    assert decision.intent is Intent.ANSWER, decision.reply
    assert "99 00" in decision.reply  # the night service
    assert "08:30" in decision.reply  # our hours: no, not day and night


async def test_a_day_without_food_is_no_question_of_our_hours() -> None:
    decision = await decide("she hasn't eaten in 24 hours, can I bring her tomorrow at 10")
    assert "opening hours" not in decision.reply and "99 00" not in decision.reply
    assert proposed(decision) == [("you", at(8, 10))]


async def test_the_emergency_number_asked_is_answered_without_an_alarm() -> None:
    decision = await decide("is there an emergency number?")
    assert decision.intent is Intent.ANSWER, decision.reply
    assert "99 00" in decision.reply


async def test_the_emergency_number_asked_beside_bleeding_raises_the_alarm() -> None:
    decision = await decide("my dog is bleeding badly, is there an emergency number?")
    assert decision.intent is Intent.HANDOFF, decision.reply


# -- messy typing ------------------------------------------------------------------------------


async def test_a_pets_name_put_right_after_autocorrect_is_booked() -> None:
    decision = await decide("can pickles have her jab tues at 4\nPICKLE. not pickles. stupid phone")
    assert proposed(decision) == [("Pickle", at(8, 16))]


async def test_a_pet_who_been_scratching_is_named() -> None:
    decision = await decide(
        "max been scratching his ear all wk\ncan u fit him in asap\ntmrw 9am ok??"
    )
    assert proposed(decision) == [("Max", at(8, 9))]


async def test_a_time_starred_after_is_the_time_put_right() -> None:
    decision = await decide("can i book jasper for a checkup tue at 5\n4*** sorry fat fingers")
    assert proposed(decision) == [("Jasper", at(8, 16))]


async def test_push_it_a_week_same_time_moves_it_a_week_on() -> None:
    bruno = booking_of("Bruno", at(8, 11), "consultation", "b1")
    decision = await decide(
        "brunos appt tues.. can we push it a wk? same time", bookings=[bruno], busy=busy_of(bruno)
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Bruno", at(15, 11))]


# -- dates written as dates ---------------------------------------------------------------------


async def test_a_date_past_the_horizon_is_said_so_beside_a_reason() -> None:
    decision = await decide(
        "Hi there, can I book Rufus in for his annual booster on 18 March? That's when it's due "
        "according to his booklet"
    )
    assert "90 days" in decision.reply, decision.reply


async def test_a_move_to_a_date_gone_by_is_said_so() -> None:
    daisy = booking_of("Daisy", at(11, 14), "consultation", "b1")
    decision = await decide(
        "could daisy's appointment be moved to 4/12 please, same time",
        bookings=[daisy],
        busy=busy_of(daisy),
    )
    assert decision.intent is Intent.CLARIFY, decision.reply
    assert "Friday 4 December has already passed" in decision.reply


async def test_the_dates_of_a_pets_appointments_are_looked_up() -> None:
    vet = booking_of("Poppy", at(9, 17), "consultation", "b1")
    jab = booking_of("Poppy", at(15, 16), "vaccination", "b2")
    decision = await decide(
        "can you send me the dates of poppy's appointments pls? want to put them in the calendar",
        bookings=[vet, jab],
        busy=busy_of(vet, jab),
    )
    assert decision.intent is not Intent.CLARIFY, decision.reply
    assert "Wednesday 9 December" in decision.reply and "Tuesday 15 December" in decision.reply


async def test_a_cancel_on_a_day_with_nothing_reads_back_the_one_booking() -> None:
    nala = booking_of("Nala", at(10, 10), "vaccination", "b1")
    decision = await decide(
        "hi, need to cancel nala's jab on the 9th", bookings=[nala], busy=busy_of(nala)
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert "Wednesday 9 December" in decision.reply


async def test_the_day_put_right_after_a_weekday_clash_keeps_the_same_time() -> None:
    rocky = booking_of("Rocky", at(8, 11), "consultation", "b1")
    ask = "can rocky's appt move to Thursday 11th, same time?"
    first = await decide(ask, bookings=[rocky], busy=busy_of(rocky))
    assert "11 December is a Friday, not a Thursday" in first.reply, first.reply
    decision = await decide(
        "thursday, the 10th. sorry!",
        bookings=[rocky],
        busy=busy_of(rocky),
        history=[ask, first.reply],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Rocky", at(10, 11))]


async def test_two_services_on_two_dates_are_each_booked_at_their_own() -> None:
    decision = await decide(
        "hi, 2 things for Bo please\nhis jab on 8/12 at 9\nand a groom on 12/12, 10.30 if you can"
    )
    assert [(p.subject, p.slot_start, p.service) for p in decision.proposals] == [
        ("Bo", at(8, 9), "vaccination"),
        ("Bo", at(12, 10, 30), "grooming"),
    ], decision.reply


# -- first-time customers -----------------------------------------------------------------------


async def test_the_price_of_nails_after_the_price_list_is_answered() -> None:
    ask = (
        "Hi, how much do you charge for a check up and for vaccines? new kitten and I'm trying "
        "to budget a bit 🙏"
    )
    first = await decide(ask)
    decision = await decide(
        "ok thanks. and nails? her claws are like needles", history=[ask, first.reply]
    )
    assert decision.intent is Intent.ANSWER, decision.reply
    assert "€35" in decision.reply


async def test_asking_someone_to_get_back_is_a_handoff() -> None:
    decision = await decide("ok could you ask someone and get back to me? this number is fine")
    assert decision.intent is Intent.HANDOFF, decision.reply


async def test_a_name_told_that_looks_like_a_day_is_the_pets() -> None:
    decision = await decide(
        "ok. can she come thursday at 6 for her vaccines then? her name is Frida"
    )
    assert proposed(decision) == [("Frida", at(10, 18))]


async def test_the_street_number_asked_beside_a_booking_is_answered() -> None:
    decision = await decide(
        "what number are you on rue des lilas? google has 2 different ones. booking Hugo's "
        "first groom for friday 2.30 if that's free"
    )
    assert "12 rue des Lilas" in decision.reply
    assert proposed(decision) == [("Hugo", at(11, 14, 30))]


async def test_whether_a_cat_must_come_in_a_carrier_said_before_is_answered() -> None:
    decision = await decide(
        "my rescue cat has never been in a carrier in her life. does she HAVE to come in one or "
        "can I just carry her in a blanket?"
    )
    assert decision.intent is Intent.ANSWER, decision.reply
    assert "carrier" in decision.reply
