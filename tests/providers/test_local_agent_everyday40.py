"""Session 30's conversations, played whole as customers write them, and held-out set 40
(evals/scenarios/everyday40.yaml): when a booked visit is, asked without a booking word; two
pets each on a day of their own; dates and times as chat writes them ("7/12 after 5", "sat
noonish", "thursday teatime"); the soonest asked beside a request. Reference moment: Monday
7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

import pytest

from switchboard.agent_models import Intent
from tests.providers.test_local_agent_everyday import at, booked, clock_times, decide, proposed

MAX_TOMORROW = [booked("Max", at(8, 11))]


@pytest.mark.parametrize(
    "message",
    [
        "what time is max tomorrow?",
        "what time's max in tomorrow",
        "is max tomorrow or wednesday?",
        "what time do i need to bring max tomorrow",
        "what time is it tomorrow?",
    ],
)
async def test_when_a_booked_visit_is_asked_it_is_said(message: str) -> None:
    """Each got "What time on Tuesday 8 December would you like for Max?" and free times."""
    decision = await decide(message, bookings=MAX_TOMORROW)

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "Tuesday 8 December at 11:00" in decision.reply
    assert decision.proposal is None


async def test_two_times_checked_against_the_booking_propose_nothing() -> None:
    """ "is it tomorrow at 11 or 11.30?" proposed a second visit at 11:30: a yes would have
    booked it."""
    decision = await decide("is it tomorrow at 11 or 11.30?", bookings=MAX_TOMORROW)

    assert decision.intent is Intent.ASK_BOOKING, decision.reply
    assert "11:00" in decision.reply and decision.proposal is None


async def test_a_day_the_pet_has_no_booking_on_is_a_time_wanted() -> None:
    decision = await decide("can max come thursday at 10?", bookings=MAX_TOMORROW)

    assert decision.intent is not Intent.ASK_BOOKING, decision.reply


async def test_two_pets_each_given_a_day_and_a_service_are_both_booked() -> None:
    """Bella was booked twice on Tuesday (a consultation and a vaccination) and Max never:
    "max on wednesday" was not read as a pet."""
    decision = await decide(
        "hi can bella come in tomorrow at 9 for a check up and then max on wednesday at 9 for a jab"
    )

    assert proposed(decision) == [("Bella", at(8, 9)), ("Max", at(9, 9))]
    assert [p.service for p in decision.proposals] == ["consultation", "vaccination"]


async def test_the_first_pet_heading_the_message_is_kept_beside_a_second() -> None:
    """Rex was proposed at Bella's time, Bella lost."""
    decision = await decide("bella tomorrow at 9 and then rex wednesday at 10")

    assert proposed(decision) == [("Bella", at(8, 9)), ("Rex", at(9, 10))]


async def test_a_day_and_month_with_a_slash_is_no_minutes() -> None:
    """ "7/12 after 5" was read as 17:12 ("12 after 5") and refused."""
    decision = await decide("can i bring biscuit in on 7/12 after 5")

    assert proposed(decision) == [("Biscuit", at(7, 17))]


async def test_sat_before_noonish_is_saturday() -> None:
    decision = await decide("hiya need a jab for pepper sat noonish?")

    assert proposed(decision) == [("Pepper", at(12, 12))]


async def test_sat_the_verb_is_no_day() -> None:
    decision = await decide("he sat at the door all night crying, can he come in tomorrow?")

    assert "Saturday" not in decision.reply


async def test_teatime_offers_the_late_afternoon() -> None:
    """It offered the whole day's times, from 08:30."""
    decision = await decide("book rex for thursday teatime")

    assert decision.intent is Intent.CLARIFY, decision.reply
    times = clock_times(decision.reply)
    assert times and all("15:00" <= t <= "18:00" for t in times), decision.reply


async def test_the_soonest_asked_after_the_request_is_offered() -> None:
    """ "Which day and time would you like for Oscar?": the soonest asked went unread."""
    decision = await decide("Can I book Oscar for a dental? What's the soonest?")

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.subject == "Oscar"
    assert decision.proposal.service == "dental"


async def test_the_earliest_you_open_is_the_opening_hours() -> None:
    decision = await decide("what's the earliest you open?")

    assert decision.intent is Intent.ANSWER, decision.reply
    assert decision.proposal is None


async def test_a_pet_booked_in_by_name_is_named() -> None:
    """ "i'd like to book in nala" booked "you"."""
    decision = await decide("i'd like to book in nala. she's a rabbit. saturday 11?")

    assert proposed(decision) == [("Nala", at(12, 11))]


MAX_FRIDAY = [booked("Max", at(11, 10))]


@pytest.mark.parametrize(
    "message",
    [
        "can you cancel max friday and book bella instead same time",
        "swap max's appointment for bella please",
        "give max's slot to bella on friday please, max is fine now",
        "can bella come in max's place?",
        "actually it's bella who needs the checkup not max, can you change the name?",
    ],
)
async def test_a_booked_slot_handed_to_another_pet_is_cancelled_and_booked_on_one_yes(
    message: str,
) -> None:
    """The first cancelled Max's visit and never booked Bella's; the others asked for a new
    time, booked nothing, or passed the name change to the team."""
    decision = await decide(message, bookings=MAX_FRIDAY)

    changes = [(p.kind, p.subject, p.slot_start) for p in decision.proposals]
    assert sorted(changes) == [("book", "Bella", at(11, 10)), ("cancel", "Max", at(11, 10))], (
        decision.reply
    )


async def test_two_pets_on_one_day_swap_times() -> None:
    """ "Which day and time would you like them moved to?" for the day both are on."""
    decision = await decide(
        "can max and bella swap times on friday?",
        bookings=[booked("Max", at(11, 10)), booked("Bella", at(11, 11), "grooming")],
    )

    assert sorted(proposed(decision)) == [("Bella", at(11, 10)), ("Max", at(11, 11))]


async def test_a_cancellation_and_a_booking_on_another_day_stay_apart() -> None:
    decision = await decide(
        "cancel max and book bella for next monday at 10 instead", bookings=MAX_FRIDAY
    )

    changes = [(p.kind, p.subject, p.slot_start) for p in decision.proposals]
    assert sorted(changes) == [("book", "Bella", at(14, 10)), ("cancel", "Max", at(11, 10))]


MAX_GROOMED = [booked("Max", at(1, 10), "grooming")]


async def test_same_as_usual_with_no_day_asks_the_day() -> None:
    """ "Sorry, I didn't quite get that": "same as usual" asked for nothing."""
    decision = await decide("same as usual for max please", bookings=MAX_GROOMED)

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert "Which day" in decision.reply and "Max" in decision.reply


async def test_the_usual_keeps_its_service_when_the_day_comes_next() -> None:
    """The day given next was offered a consultation's times, the groom forgotten."""
    decision = await decide(
        "friday 10am",
        bookings=MAX_GROOMED,
        history=[
            "same as usual for max please",
            "Sure. Which day and time would you like for Max?",
        ],
    )

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.service == "grooming"


async def test_late_for_a_visit_on_another_day_says_its_day() -> None:
    """ "Thanks for letting us know, see you soon!" for a visit on Thursday."""
    decision = await decide("running late, be there in 10", bookings=[booked("Max", at(10, 15))])

    assert "Thursday 10 December" in decision.reply


@pytest.mark.parametrize(
    ("message", "animal"),
    [
        ("hi, is it ok to bring my horse?", "horses"),
        ("can i book my goat in for tuesday at 10", "goats"),
    ],
)
async def test_a_large_animal_is_told_what_we_see_and_nothing_offered(
    message: str, animal: str
) -> None:
    """ "Sure. Which day and time would you like?" for a horse; the profile sees cats, dogs,
    rabbits and other small pets."""
    decision = await decide(message)

    assert decision.intent is Intent.ANSWER, decision.reply
    assert animal in decision.reply and "small pets" in decision.reply
    assert decision.proposal is None


@pytest.mark.parametrize(
    "message",
    [
        "my dog bit his tail again, can he come in today at 2?",
        "my dog chased the neighbour's sheep and cut his paw, can he come in today at 2?",
        "my cat hurt her paw, can she come in today at 2?",
    ],
)
async def test_what_a_pet_did_is_no_name(message: str) -> None:
    """Read back "for Ate", "for Chased", "for Hurt"; the sheep refused the dog's visit."""
    decision = await decide(message)

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.subject.startswith("your "), decision.reply


async def test_a_name_that_is_a_verb_heading_its_clause_is_kept() -> None:
    decision = await decide("my cat sprinkles needs a jab friday at 10")

    assert proposed(decision) == [("Sprinkles", at(11, 10))]
