"""Conversations played turn by turn in session 35: several changes in one message (a
cancellation beside a move or a booking, a visit put right after another pet's), a refused
change of several answered with a time per pet, a pet kept out of a pending cancellation.
Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

from datetime import timedelta

from switchboard.agent_models import Channel, Intent
from switchboard.availability import Busy
from tests.providers.test_local_agent_everyday import at, decide, pending, pending_several
from tests.providers.test_local_agent_probes33 import booking_of


def _changes(decision: object) -> list[tuple[str | None, str, str | None]]:
    """(kind, subject, booking id) of each change ``decision`` proposes."""
    return [(p.kind, p.subject, p.booking_id) for p in decision.proposals]  # type: ignore[attr-defined]


async def test_a_cancel_keeping_the_pets_other_visit_books_the_newcomer_beside_it() -> None:
    """ "cancel Daisy's groom on Thursday but keep her jab on Friday. And could you book Pip in
    for a check-up at the same time as Daisy's jab?" cancelled the groom and forgot Pip."""
    groom = booking_of("Daisy", at(10, 15), "grooming", "b1")
    jab = booking_of("Daisy", at(11, 9) + timedelta(minutes=30), "vaccination", "b2")
    decision = await decide(
        "Hello, please cancel Daisy's groom on Thursday but keep her jab on Friday. And could "
        "you book Pip in for a check-up at the same time as Daisy's jab?",
        bookings=[groom, jab],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES
    assert sorted(_changes(decision), key=str) == sorted(
        [("book", "Pip", None), ("cancel", "Daisy", "b1")], key=str
    )
    pip = next(p for p in decision.proposals if p.subject == "Pip")
    assert pip.slot_start == jab.slot_start


async def test_a_visit_moved_right_after_another_pets_ends_where_that_one_does() -> None:
    """ "put Luna's jab on the same day as Oscar's groom pls, right after it" asked which day
    and time for Luna and Oscar; "move Luna's jab to right after Oscar's groom" listed Oscar's
    visit as one to move."""
    jab = booking_of("Luna", at(9, 11), "vaccination", "b1")
    groom = booking_of("Oscar", at(11, 15), "grooming", "b2")
    for message in (
        "put Luna's jab on the same day as Oscar's groom pls, right after it so I only come in "
        "once.",
        "move Luna's jab to right after Oscar's groom pls",
        "can Luna's jab be straight after Oscar's groom on friday?",
    ):
        decision = await decide(message, bookings=[jab, groom])

        assert decision.intent is Intent.PROPOSE_RESCHEDULE, message
        assert decision.proposal is not None
        assert decision.proposal.booking_id == "b1", message
        # a grooming is 45 minutes (business/profile.yaml)
        assert decision.proposal.slot_start == at(11, 15) + timedelta(minutes=45), message


async def test_a_move_and_a_cancel_of_one_pets_two_visits_are_proposed_together() -> None:
    """ "put Luna's jab … right after [Oscar's groom] … and cancel the tuesday one, she's fine
    now" moved the jab and never cancelled Tuesday's."""
    jab = booking_of("Luna", at(9, 11), "vaccination", "b1")
    groom = booking_of("Oscar", at(11, 15), "grooming", "b2")
    checkup = booking_of("Luna", at(8, 16), "consultation", "b3")
    decision = await decide(
        "put Luna's jab on the same day as Oscar's groom pls, right after it so I only come in "
        "once. and cancel the tuesday one, she's fine now",
        bookings=[jab, groom, checkup],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES
    assert sorted(_changes(decision), key=str) == sorted(
        [("reschedule", "Luna", "b1"), ("cancel", "Luna", "b3")], key=str
    )
    moved = next(p for p in decision.proposals if p.kind == "reschedule")
    assert moved.slot_start == at(11, 15) + timedelta(minutes=45)


async def test_a_booked_pet_put_in_the_cancelled_pets_place_is_moved_there() -> None:
    """ "please cancel her check-up on Friday, and can Ruby have her jab in Salt's place
    instead, with Pepper?" only cancelled Salt's."""
    salt = booking_of("Salt", at(11, 16), "consultation", "b1")
    pepper = booking_of("Pepper", at(11, 16), "consultation", "b2")
    ruby = booking_of("Ruby", at(8, 16), "vaccination", "b3")
    decision = await decide(
        "Salt's all better so please cancel her check-up on Friday, and can Ruby have her jab in "
        "Salt's place instead, with Pepper?",
        bookings=[salt, pepper, ruby],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES
    assert sorted(_changes(decision), key=str) == sorted(
        [("cancel", "Salt", "b1"), ("reschedule", "Ruby", "b3")], key=str
    )
    assert all(p.slot_start == at(11, 16) for p in decision.proposals)


async def test_a_refused_move_of_three_answered_with_a_time_each_moves_all_three() -> None:
    """ "can you move all three to saturday at 10 instead?" / "For Dot: … fully booked …" /
    "ok bonnie and clyde at 10 then and dot at quarter past" booked Clyde and Dot as new visits
    and left Bonnie out."""
    bookings = [
        booking_of("Bonnie", at(10, 14), "vaccination", "b1"),
        booking_of("Clyde", at(10, 14), "vaccination", "b2"),
        booking_of("Dot", at(10, 14) + timedelta(minutes=15), "vaccination", "b3"),
    ]
    # two places a slot (business/profile.yaml): Saturday 10:00 holds two more pets, 10:15 is free
    busy = [
        Busy(booking_id=b.id, start=b.slot_start, end=b.slot_start + timedelta(minutes=15))
        for b in bookings
    ]
    first = "can you move all three to saturday at 10 instead? bonnie, clyde and dot"
    refused = await decide(first, bookings=bookings, busy=busy)
    assert refused.reply.startswith("For Dot: Sorry")

    decision = await decide(
        "ok bonnie and clyde at 10 then and dot at quarter past",
        bookings=bookings,
        busy=busy,
        history=[first, refused.reply],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES
    assert sorted((p.kind, p.booking_id) for p in decision.proposals) == [
        ("reschedule", "b1"),
        ("reschedule", "b2"),
        ("reschedule", "b3"),
    ]
    dot = next(p for p in decision.proposals if p.booking_id == "b3")
    assert dot.slot_start == at(12, 10) + timedelta(minutes=15)


async def test_a_pet_kept_out_of_a_pending_cancellation_of_all_leaves_the_others() -> None:
    """ "please cancel all our appointments" / three read back / "oh wait, keep nibbles's jab
    on wednesday … cancel the other two" asked which one of Thumper's to cancel."""
    bookings = [
        booking_of("Nibbles", at(9, 8) + timedelta(minutes=30), "vaccination", "b1"),
        booking_of("Thumper", at(10, 18) + timedelta(minutes=30), "consultation", "b2"),
        booking_of("Thumper", at(14, 10), "grooming", "b3"),
    ]
    first = await decide(
        "please cancel all our appointments, we're moving to lyon", bookings=bookings
    )
    assert first.intent is Intent.PROPOSE_CHANGES

    decision = await decide(
        "oh wait, keep nibbles's jab on wednesday, we're still here till the weekend. cancel "
        "the other two",
        bookings=bookings,
        pending=pending_several(first),
        history=["please cancel all our appointments, we're moving to lyon", first.reply],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES
    assert sorted(_changes(decision), key=str) == sorted(
        [("cancel", "Thumper", "b2"), ("cancel", "Thumper", "b3")], key=str
    )


async def test_away_until_a_date_books_the_first_free_time_after_it() -> None:
    """ "coco's due a dental but we're away until the 20th. earliest you can fit her in after
    that?" offered Saturday 19 December, the day before they are back."""
    for message, first_day in (
        (
            "coco's due a dental but we're away until the 20th. earliest you can fit her in after "
            "that?",
            21,
        ),
        ("can coco have a dental after the 20th? earliest you have", 21),
        # the 20th is a Sunday (closed): the Monday
        ("we're back on the 20th, could coco have a dental the first day you can?", 21),
        ("could Coco have a dental after the 14th please", 15),
    ):
        decision = await decide(message)

        assert decision.intent is Intent.PROPOSE_BOOKING, message
        assert decision.proposal is not None
        assert decision.proposal.slot_start.date().day == first_day, message
        assert decision.proposal.service == "dental", message


async def test_half_past_with_no_hour_on_another_day_asks_the_hour() -> None:
    """A call heard as "Could you please turn on Friday, half past." (said: "Could you fit
    Luna in on Friday at half past two?") booked Luna on Friday at 10:30, the hour of her
    Thursday booking: half past which hour is asked instead."""
    luna = booking_of("Luna", at(10, 10), "consultation", "b1")
    decision = await decide("Could you fit Luna in on Friday, half past.", bookings=[luna])

    assert decision.proposal is None
    assert decision.intent is Intent.CLARIFY
    assert "Friday 11 December" in decision.reply


async def test_a_looping_transcript_is_no_pets_name() -> None:
    """On a call, "Yes." heard as "P-A-A-A-A-A-A-A-A-A-A-A-A-" read the booking back "for
    P-a-a-a-a-a-a-a-a-a-a-a-a"."""
    first = await decide("Can I book my dog in tomorrow at 4pm?", channel=Channel.VOICE)
    assert first.proposal is not None

    decision = await decide(
        "P-A-A-A-A-A-A-A-A-A-A-A-A-",
        pending=pending("book", first.proposal.slot_start, subject="your dog"),
        history=["Can I book my dog in tomorrow at 4pm?", first.reply],
        channel=Channel.VOICE,
    )

    assert "P-a-a" not in decision.reply
    assert decision.intent is Intent.CLARIFY
