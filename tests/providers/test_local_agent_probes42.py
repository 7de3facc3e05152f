"""Conversations played turn by turn in session 42 (held-out sets 136–142 written or left open
before it). Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

from switchboard.agent_models import AgentDecision, Intent
from tests.providers.test_local_agent_everyday import at, decide, proposed
from tests.providers.test_local_agent_probes33 import booking_of
from tests.providers.test_local_agent_probes38 import busy_of


def booked_as(decision: AgentDecision) -> list[tuple[str, str | None]]:
    """(subject, service) of each booking ``decision`` proposes, in order."""
    if decision.proposals:
        return [(p.subject, p.service) for p in decision.proposals]
    assert decision.proposal is not None, decision.reply
    return [(decision.proposal.subject, decision.proposal.service)]


# -- pets named the way people write them, and people who are not pets ---------------------------


async def test_a_neighbours_cat_with_an_accented_name_is_the_pet() -> None:
    decision = await decide(
        "Good evening, I'm writing for my neighbour Mme Bernard who is in hospital until next "
        "week. I'm looking after her cat Réglisse and he has hardly eaten since Saturday. Could "
        "I bring him in tomorrow at 17:15? My name is Karim Benali. Thank you"
    )
    assert proposed(decision) == [("Réglisse", at(8, 17, 15))]


async def test_a_pet_named_between_commas_after_its_breed_is_the_pet() -> None:
    decision = await decide(
        "Hello! We've just adopted a retired racing greyhound, Comète, through Lévriers Sans "
        "Frontières (Nadia, the volunteer who placed him, gave us your name). Could we book a "
        "first visit on Thursday at 11:45? Thank you! Élise & Bastien"
    )
    assert proposed(decision) == [("Comète", at(10, 11, 45))]


async def test_a_pet_of_the_past_named_between_commas_is_not_booked() -> None:
    decision = await decide(
        "My mother's little dog Binky has a cough. Could I bring him on Thursday at a quarter to "
        "five? She still remembers how kind you were when her previous dog, Frou-Frou, was ill."
    )
    assert proposed(decision) == [("Binky", at(10, 16, 45))]


async def test_a_son_named_before_is_not_booked_when_named_again() -> None:
    ask = (
        "Good afternoon, I would like an appointment for my cat Filou who has a lump on his back. "
        "I do not drive any more and my son Laurent, who will take us, only has Sundays free. "
        "Would Sunday the 13th at 10 o'clock be possible? Respectfully, Jeanne Moulin"
    )
    first = await decide(ask)
    decision = await decide(
        "Oh I see, I did not know. Then Saturday at 9 o'clock, Laurent will arrange it with his "
        "work.",
        history=[ask, first.reply],
    )
    assert proposed(decision) == [("Filou", at(12, 9))]


async def test_a_grandson_who_brings_the_rabbit_is_not_the_patient() -> None:
    decision = await decide(
        "my grandson Leo is going to bring our rabbit Moustache in for me, he has been off his "
        "food since yesterday. could it be thursday at half past 4?"
    )
    assert proposed(decision) == [("Moustache", at(10, 16, 30))]


async def test_a_pet_named_by_what_it_keeps_doing_is_the_pet() -> None:
    decision = await decide(
        "Hi there. Buster keeps shaking his head and his left ear smells horrible, poor thing. I "
        "work Mon-Fri, is Saturday at 11 possible?"
    )
    assert proposed(decision) == [("Buster", at(12, 11))]


async def test_a_pet_named_after_an_emoji_keeps_its_own_day_and_service() -> None:
    decision = await decide(
        "hi there, 2 cats 2 problems 😅 pumpkin keeps sneezing so a check-up for her wednesday "
        "at 3 if poss, and mango's breath is horrendous, vet said last time he needs a scale and "
        "polish. friday morning 9.30 for him?"
    )
    assert proposed(decision) == [("Pumpkin", at(9, 15)), ("Mango", at(11, 9, 30))]
    assert booked_as(decision) == [("Pumpkin", "consultation"), ("Mango", "dental")]


# -- several pets --------------------------------------------------------------------------------


async def test_a_second_pet_straight_after_the_first_is_booked_under_its_name() -> None:
    decision = await decide(
        "Good morning. Figaro (cat) is due his booster, can he come Wednesday 10am? And could "
        "Nutmeg have a check up straight after him, she's been sneezing since the weekend"
    )
    assert proposed(decision) == [("Figaro", at(9, 10)), ("Nutmeg", at(9, 10, 15))]
    assert booked_as(decision) == [("Figaro", "vaccination"), ("Nutmeg", "consultation")]


async def test_the_pet_listed_before_the_others_shares_their_service() -> None:
    decision = await decide(
        "Good morning. Do you treat rabbits as well as dogs? If so I'd like Rolo and Fudge (dogs) "
        "in for their annual boosters on Saturday at 10, together please, and Captain our rabbit "
        "for a check up at 11 the same morning."
    )
    assert booked_as(decision) == [
        ("Rolo", "vaccination"),
        ("Fudge", "vaccination"),
        ("Captain", "consultation"),
    ]


async def test_a_newcomer_booked_in_with_a_moved_pet_goes_to_the_new_day() -> None:
    nemo = booking_of("Nemo", at(8, 18), "consultation", "b1")
    decision = await decide(
        "Can nemo's appointment tomorrow evening move to thursday same time? and if you could "
        "book dory in with him for her jab that would be amazing",
        bookings=[nemo],
        busy=busy_of(nemo),
    )
    assert proposed(decision) == [("Nemo", at(10, 18)), ("Dory", at(10, 18))]


async def test_same_time_after_a_look_up_books_the_pet_told_unbooked_then() -> None:
    loki = booking_of("Loki", at(11, 9), "vaccination", "b1")
    ask = "did I book freya in with loki on friday morning? I meant to do both of them"
    first = await decide(ask, bookings=[loki], busy=busy_of(loki))
    assert "Nothing is booked for Freya" in first.reply
    decision = await decide(
        "ah no worries, can you add her then? same time, she needs her booster as well",
        bookings=[loki],
        busy=busy_of(loki),
        history=[ask, first.reply],
    )
    assert booked_as(decision) == [("Freya", "vaccination")]
    assert proposed(decision) == [("Freya", at(11, 9))]


# -- moves and cancellations said with what stays --------------------------------------------------


async def test_a_cancellation_naming_the_other_pets_day_moves_nothing() -> None:
    rolo = booking_of("Rolo", at(8, 17), "consultation", "b1")
    kiki = booking_of("Kiki", at(10, 10), "vaccination", "b2")
    decision = await decide(
        "hi need to cancel rolo's appointment tomorrow, something's come up at work. kiki's one "
        "on thursday is still fine",
        bookings=[rolo, kiki],
        busy=busy_of(rolo, kiki),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"


async def test_a_service_said_to_stay_keeps_its_booking() -> None:
    oscar = booking_of("Oscar", at(15, 14), "dental", "b1")
    tilly = booking_of("Tilly", at(15, 14), "consultation", "b2")
    decision = await decide(
        "hello, we've got the dental and the check up both booked for tuesday 15th at 2. can the "
        "dental move to thursday 17th, same time? check up stays",
        bookings=[oscar, tilly],
        busy=busy_of(oscar, tilly),
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Oscar", at(17, 14))]


async def test_a_day_things_last_until_is_not_the_day_moved_to() -> None:
    daisy = booking_of("Daisy", at(8, 10), "vaccination", "b1")
    decision = await decide(
        "Daisy's jab tomorrow, can we do the same time next week instead? she's on antibiotics "
        "till friday and I'd rather wait",
        bookings=[daisy],
        busy=busy_of(daisy),
    )
    assert proposed(decision) == [("Daisy", at(15, 10))]


async def test_cancel_if_not_charged_reads_the_cancellation_back() -> None:
    pearl = booking_of("Pearl", at(10, 15), "grooming", "b1")
    decision = await decide(
        "hi, will I be charged if I cancel pearl's groom on thursday? if not please cancel it, "
        "money's a bit tight this month",
        bookings=[pearl],
        busy=busy_of(pearl),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert "free of charge" in decision.reply


async def test_a_cancellation_to_rebook_when_better_is_no_move() -> None:
    biscuit = booking_of("Biscuit", at(9, 10, 30), "dental", "b1")
    decision = await decide(
        "Hello, Mum asked me to cancel Biscuit's teeth cleaning on Wednesday, she's had a fall "
        "and can't drive for a while. She'll ring when she's better to rebook",
        bookings=[biscuit],
        busy=busy_of(biscuit),
    )
    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply


async def test_a_booking_put_down_as_the_wrong_service_is_changed_not_handed_off() -> None:
    pablo = booking_of("Pablo", at(12, 11), "consultation", "b1")
    decision = await decide(
        "hi, my husband booked pablo in for saturday at 11 but he put it down as a check up, its "
        "meant to be his teeth cleaning 🦷 can you change it? same time",
        bookings=[pablo],
        busy=busy_of(pablo),
    )
    assert decision.intent is not Intent.HANDOFF, decision.reply
    assert booked_as(decision) == [("Pablo", "dental")]
