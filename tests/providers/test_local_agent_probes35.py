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


async def test_three_messages_move_cancel_and_book_are_proposed_together() -> None:
    """ "move bruno to thursday 5pm pls" / "oh and cancel lulu's groom" / "and ziggy needs a
    check up too, same time as bruno", sent in a row, moved Bruno and cancelled Lulu's and
    left Ziggy out."""
    bruno = booking_of("Bruno", at(9, 11), "consultation", "b1")
    lulu = booking_of("Lulu", at(9, 17), "grooming", "b2")
    decision = await decide(
        "move bruno to thursday 5pm pls\noh and cancel lulu's groom\nand ziggy needs a check up "
        "too, same time as bruno",
        bookings=[bruno, lulu],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES
    assert sorted((p.kind, p.subject, p.slot_start) for p in decision.proposals) == sorted(
        [
            ("reschedule", "Bruno", at(10, 17)),
            ("book", "Ziggy", at(10, 17)),
            ("cancel", "Lulu", at(9, 17)),
        ]
    )


async def test_which_one_to_cancel_is_asked_and_the_answer_keeps_the_move() -> None:
    """ "move gizmo to tuesday at 8:30 and cancel the friday one" (Gizmo's and Tilly's are on
    Friday) proposed the move alone, the cancellation dropped without a word."""
    gizmo = booking_of("Gizmo", at(11, 10), "grooming", "b1")
    tilly = booking_of("Tilly", at(11, 18), "vaccination", "b2")
    first = "move gizmo to tuesday at 8:30 and cancel the friday one"
    asked = await decide(first, bookings=[gizmo, tilly])
    assert asked.intent is Intent.CLARIFY
    assert asked.reply.startswith("Which appointment should I cancel")

    decision = await decide(
        "tilly's jab, sorry", bookings=[gizmo, tilly], history=[first, asked.reply]
    )

    assert decision.intent is Intent.PROPOSE_CHANGES
    assert sorted(_changes(decision), key=str) == sorted(
        [("reschedule", "Gizmo", "b1"), ("cancel", "Tilly", "b2")], key=str
    )


async def test_each_pets_own_ask_is_kept_beside_the_other() -> None:
    """A service change for Toffee and a move for Fudge, a move for Sooty and a groom added
    for Willow: each proposed only the first pet's (or the second's) change."""
    toffee = booking_of("Toffee", at(10, 12), "consultation", "b1")
    fudge = booking_of("Fudge", at(8, 17) + timedelta(minutes=30), "consultation", "b2")
    decision = await decide(
        "toffee only needs her booster on thursday, not a full check-up, can you change that? "
        "and can fudge's check-up move to thursday at 12 too so they come together",
        bookings=[toffee, fudge],
    )
    assert decision.intent is Intent.PROPOSE_CHANGES
    by_pet = {p.subject: p for p in decision.proposals}
    assert by_pet["Toffee"].service == "vaccination"
    assert by_pet["Toffee"].slot_start == at(10, 12)
    assert by_pet["Fudge"].slot_start == at(10, 12)

    willow = booking_of("Willow", at(8, 11), "vaccination", "b3")
    sooty = booking_of("Sooty", at(9, 15) + timedelta(minutes=30), "vaccination", "b4")
    decision = await decide(
        "Could Sooty come in with Willow on Tuesday instead, same time as her jab? And Willow "
        "needs her nails clipped, could you add that straight after her jab?",
        bookings=[willow, sooty],
    )
    assert decision.intent is Intent.PROPOSE_CHANGES
    assert sorted((p.kind, p.subject, p.slot_start) for p in decision.proposals) == sorted(
        [
            ("reschedule", "Sooty", at(8, 11)),
            ("book", "Willow", at(8, 11) + timedelta(minutes=15)),
        ]
    )


async def test_one_pets_change_turned_down_keeps_the_others_for_the_new_time() -> None:
    """ "could rocky's groom be today at half 9 instead? and maple's check-up can go to
    friday, same time" / too soon / "tomorrow at half 9 for rocky then" moved Rocky and
    forgot Maple's move."""
    rocky = booking_of("Rocky", at(9, 16), "grooming", "b1")
    maple = booking_of("Maple", at(10, 17) + timedelta(minutes=30), "consultation", "b2")
    first = (
        "could rocky's groom be today at half 9 instead? and maple's check-up can go to friday, "
        "same time"
    )
    refused = await decide(first, bookings=[rocky, maple])
    assert refused.proposal is None and not refused.proposals
    assert refused.reply.startswith("For Rocky: Sorry")

    decision = await decide(
        "ah ok. tomorrow at half 9 for rocky then",
        bookings=[rocky, maple],
        history=[first, refused.reply],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES
    assert sorted((p.subject, p.slot_start) for p in decision.proposals) == [
        ("Maple", at(11, 17) + timedelta(minutes=30)),
        ("Rocky", at(8, 9) + timedelta(minutes=30)),
    ]


async def test_a_day_given_up_for_a_move_cancels_nothing() -> None:
    """ "we can't make tomorrow anymore, could you move both cats to wednesday, same time?"
    is a move of both, never "which one should I cancel?"; "I don't think he needs the
    check-up on thursday anymore, can you cancel it? keep his jab next week and Sage's on
    thursday though" cancels that check-up."""
    mochi = booking_of("Mochi", at(8, 15), "consultation", "b1")
    sushi = booking_of("Sushi", at(8, 15), "consultation", "b2")
    decision = await decide(
        "hi, we can't make tomorrow anymore, could you move both cats to wednesday, same time?",
        bookings=[mochi, sushi],
    )
    assert decision.intent is Intent.PROPOSE_CHANGES
    assert {p.kind for p in decision.proposals} == {"reschedule"}

    checkup = booking_of("Basil", at(10, 12), "consultation", "b3")
    sage = booking_of("Sage", at(10, 12), "vaccination", "b4")
    jab = booking_of("Basil", at(14, 9), "vaccination", "b5")
    decision = await decide(
        "so I don't think he needs the check-up on thursday anymore, can you cancel it? keep his "
        "jab next week and Sage's on thursday though",
        bookings=[checkup, sage, jab],
        history=["Basil's feeling much better", "Glad to hear it! How can I help?"],
    )
    assert decision.intent is Intent.PROPOSE_CANCEL
    assert decision.proposal is not None and decision.proposal.booking_id == "b3"


async def test_a_time_thought_of_then_given_up_is_not_booked() -> None:
    """ "I was going to ask for wednesday at 9 but then remembered I've got the dentist myself
    at 9:30 that day lol, so thursday at 9 is better for Poppy's check up" booked Wednesday."""
    decision = await decide(
        "ok so I was going to ask for wednesday at 9 but then remembered I've got the dentist "
        "myself at 9:30 that day lol, so thursday at 9 is better for Poppy's check up. is that "
        "free? she's had a bit of a cough since the weekend"
    )

    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Poppy", at(10, 9))


async def test_the_days_of_a_trip_are_no_day_to_move_to() -> None:
    """ "my boss is sending me to Lyon Wednesday to Friday … Could we move his check-up to
    Saturday morning instead? 10 would be perfect but anything before 12 works." moved Max to
    Wednesday at 12:00."""
    max_ = booking_of("Max", at(10, 10), "consultation", "b1")
    decision = await decide(
        "Hello, hope you're all well. Bit of a saga this week – my boss is sending me to Lyon "
        "Wednesday to Friday so I won't be around on Thursday for Max 🙈 He's absolutely fine "
        "btw, eating us out of house and home. Could we move his check-up to Saturday morning "
        "instead? 10 would be perfect but anything before 12 works.",
        bookings=[max_],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert decision.proposal is not None
    assert decision.proposal.slot_start == at(12, 10)


async def test_two_pets_each_with_their_own_day_in_a_story() -> None:
    """ "… since we got back from holiday on the 1st …" / "so could Noodle have a check-up
    tomorrow at 5? and Oreo is due his jab, could he come on wednesday at 5? my husband will
    bring him, he gets off at 4:30" booked both on Tuesday at 16:30."""
    decision = await decide(
        "Hi, it's Oreo and Noodle's mum 🙂 hope you're all well. Noodle's been scratching "
        "non-stop since we got back from holiday on the 1st, I've checked for fleas and can't "
        "see any\nso could Noodle have a check-up tomorrow at 5? and Oreo is due his jab, could "
        "he come on wednesday at 5? my husband will bring him, he gets off at 4:30"
    )

    assert decision.intent is Intent.PROPOSE_CHANGES
    assert sorted((p.subject, p.slot_start, p.service) for p in decision.proposals) == [
        ("Noodle", at(8, 17), "consultation"),
        ("Oreo", at(9, 17), "vaccination"),
    ]


async def test_a_cancel_unless_it_is_one_service_spares_that_one() -> None:
    """ "Please cancel Bruno's appointment unless it's the grooming one" cancelled the groom;
    "cancel rocky's tuesday appt unless it's his booster" (it is) offered to cancel it."""
    checkup = booking_of("Bruno", at(9, 9) + timedelta(minutes=30), "consultation", "b1")
    groom = booking_of("Bruno", at(11, 9) + timedelta(minutes=30), "grooming", "b2")
    decision = await decide(
        "Please cancel Bruno's appointment unless it's the grooming one - he still needs his "
        "nails done",
        bookings=[checkup, groom],
    )
    assert decision.intent is Intent.PROPOSE_CANCEL
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"

    booster = booking_of("Rocky", at(8, 11), "vaccination", "b3")
    decision = await decide(
        "cancel rocky's tuesday appt unless it's his booster, he needs that one", bookings=[booster]
    )
    assert decision.proposal is None
    assert "vaccination" in decision.reply
    assert "left it as it is" in decision.reply


async def test_a_pet_named_in_passing_is_the_one_booked() -> None:
    """ "can u put coco in on saturday for a groom?", "Pip (my daughter's rabbit) has been off
    his food … could we bring him Saturday at 11:30", "coco is our first cat … could we come
    thursday at 6pm?" and "does rex need to see the vet …" / "… can he just come in for his
    nails tues at 2" were all booked for "you"."""
    for message, pet in (
        (
            "as long as it's before 12, can u put coco in on saturday for a groom? earliest u have",
            "Coco",
        ),
        (
            "Morning! Pip (my daughter's rabbit) has been a bit off his food since Thursday. "
            "Could we bring him Saturday at 11:30 for a check-up?",
            "Pip",
        ),
        (
            "we just moved here and coco is our first cat, she's 4 months old. could we come "
            "thursday at 6pm for her vaccine?",
            "Coco",
        ),
        (
            "does rex need to see the vet for a nail trim??\nif not can he just come in for his "
            "nails tues at 2",
            "Rex",
        ),
    ):
        decision = await decide(message)

        assert decision.proposal is not None, message
        assert decision.proposal.subject == pet, message


async def test_the_fallback_given_with_a_full_time_is_proposed() -> None:
    """ "bo and ollie are in tmrw at 3, can nala come along too for a checkup? if 3's full then
    4 is fine" offered three other times of our own; "Is there anything Saturday afternoon for
    Ziggy's check up? If not then next Monday at 2pm is fine" too."""
    bo = booking_of("Bo", at(8, 15), "consultation", "b1")
    ollie = booking_of("Ollie", at(8, 15), "consultation", "b2")
    busy = [
        Busy(booking_id=b.id, start=b.slot_start, end=b.slot_start + timedelta(minutes=30))
        for b in (bo, ollie)
    ]
    decision = await decide(
        "bo and ollie are in tmrw at 3, can nala come along too for a checkup? if 3's full then 4 "
        "is fine",
        bookings=[bo, ollie],
        busy=busy,
    )
    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Nala", at(8, 16))
    assert "15:00 isn't free" in decision.reply

    decision = await decide(
        "Is there anything Saturday afternoon for Ziggy's check up? If not then next Monday at 2pm "
        "is fine"
    )
    assert decision.proposal is not None
    assert (decision.proposal.subject, decision.proposal.slot_start) == ("Ziggy", at(14, 14))


async def test_the_fallback_for_two_pets_and_either_of_two_times() -> None:
    """ "can fig and olive have their jabs wednesday at 4? if you can't fit both in then make it
    5 for both" refused Olive with three times of our own; "Can Biscuit's groom go to Thursday
    at 2 or 3, whichever you've got?" (2 full) offered others."""
    sox = booking_of("Sox", at(9, 16), "consultation", "b1")
    busy = [Busy(booking_id="b1", start=sox.slot_start, end=sox.slot_start + timedelta(minutes=30))]
    decision = await decide(
        "can fig and olive have their jabs wednesday at 4? if you can't fit both in then make it 5 "
        "for both x",
        bookings=[sox],
        busy=busy,
    )
    assert decision.intent is Intent.PROPOSE_CHANGES
    assert sorted((p.subject, p.slot_start) for p in decision.proposals) == [
        ("Fig", at(9, 17)),
        ("Olive", at(9, 17)),
    ]

    biscuit = booking_of("Biscuit", at(9, 11), "grooming", "b2")
    full = [
        Busy(booking_id=f"x{n}", start=at(10, 14), end=at(10, 14) + timedelta(minutes=30))
        for n in range(2)
    ]
    decision = await decide(
        "Can Biscuit's groom go to Thursday at 2 or 3, whichever you've got?",
        bookings=[biscuit],
        busy=full,
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert decision.proposal is not None and decision.proposal.slot_start == at(10, 15)


async def test_cancellations_said_around_a_story() -> None:
    """ "… we've decided to move back to Bordeaux … the movers come Thursday at 8. So sadly we
    won't be able to make Rocky's appointment on Friday. Please could you cancel it?" offered
    Thursday times; "you can cross him off for wednesday" asked for a time; "will I be charged
    if I cancel …? If it's free then please cancel it" only answered."""
    rocky = booking_of("Rocky", at(11, 16) + timedelta(minutes=30), "consultation", "b1")
    decision = await decide(
        "Hello there. I'm afraid I've got some news – we've decided to move back to Bordeaux to "
        "be near my parents, it all happened very quickly and the movers come Thursday at 8. So "
        "sadly we won't be able to make Rocky's appointment on Friday. Please could you cancel "
        "it?",
        bookings=[rocky],
    )
    assert decision.intent is Intent.PROPOSE_CANCEL
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"

    pumpkin = booking_of("Pumpkin", at(9, 12), "vaccination", "b2")
    ginger = booking_of("Ginger", at(9, 12), "vaccination", "b3")
    decision = await decide(
        "so pumpkin ended up at the vet in normandy over the weekend, they did his booster while "
        "they were at it so you can cross him off for wednesday. ginger still needs hers though "
        "so keep her in!",
        bookings=[pumpkin, ginger],
    )
    assert decision.intent is Intent.PROPOSE_CANCEL
    assert decision.proposal is not None and decision.proposal.booking_id == "b2"

    ziggy = booking_of("Ziggy", at(8, 14), "consultation", "b4")
    decision = await decide(
        "Hi, will I be charged if I cancel Ziggy's appointment tomorrow afternoon? My car's at "
        "the garage till wednesday. If it's free then please cancel it and I'll book again once "
        "the car's back.",
        bookings=[ziggy],
    )
    assert decision.intent is Intent.PROPOSE_CANCEL
    assert "free of charge" in decision.reply
    assert decision.proposal is not None and decision.proposal.booking_id == "b4"


async def test_a_greeting_names_no_pet_and_an_hour_said_to_suit_is_the_time() -> None:
    """ "Hi! Happy Monday 😊 … Salt and Pepper … can I bring them together on Thursday after
    lunch? 3 ideally." asked which time for "Happy, Salt and Pepper"."""
    decision = await decide(
        "Hi! Happy Monday 😊 Quick update: Salt and Pepper survived their first Christmas tree "
        "assembly yesterday (the tree did not). They're both due their boosters – can I bring "
        "them together on Thursday after lunch? 3 ideally. I'll have both carriers so same time "
        "is easiest."
    )

    assert decision.intent is Intent.PROPOSE_CHANGES
    assert sorted((p.subject, p.slot_start, p.service) for p in decision.proposals) == [
        ("Pepper", at(10, 15), "vaccination"),
        ("Salt", at(10, 15), "vaccination"),
    ]


async def test_several_changes_each_read_as_said() -> None:
    """Set 73's wrong actions: "stick him in Friday same time, and … Bella doesn't need her jab
    after all" moved Bella; "moev mooses jab from fri to thurs 10am and cancl maples groom"
    moved Maple; "bump Duke's shots to Tuesday the 15th, same time? And Buster's dental, could
    we move it up to this Friday at 2:30?" crossed their days; "poppy … on friday at 4 with
    salt and pepper instead of thursday" moved Pepper; Daisy's "only needs to be her booster"
    went to Bruno's move."""
    rex = booking_of("Rex", at(10, 10), "consultation", "b1")
    bella = booking_of("Bella", at(9, 9) + timedelta(minutes=15), "vaccination", "b2")
    decision = await decide(
        "Rex can't do Thursday any more 🙄 stick him in Friday same time, and while you're at "
        "it Bella doesn't need her jab after all, turns out the breeder already did it",
        bookings=[rex, bella],
    )
    assert sorted(_changes(decision), key=str) == sorted(
        [("reschedule", "Rex", "b1"), ("cancel", "Bella", "b2")], key=str
    )

    moose = booking_of("Moose", at(11, 12), "vaccination", "b3")
    maple = booking_of("Maple", at(11, 11), "grooming", "b4")
    decision = await decide(
        "hi cn u moev mooses jab from fri to thurs 10am and cancl maples groom on fri too thx",
        bookings=[moose, maple],
    )
    assert sorted((p.kind, p.subject, p.slot_start) for p in decision.proposals) == sorted(
        [("reschedule", "Moose", at(10, 10)), ("cancel", "Maple", at(11, 11))]
    )

    duke = booking_of("Duke", at(10, 15) + timedelta(minutes=45), "vaccination", "b5")
    buster = booking_of("Buster", at(16, 14), "dental", "b6")
    decision = await decide(
        "Hey y'all! Can we bump Duke's shots to Tuesday the 15th, same time? And Buster's "
        "dental, could we move it up to this Friday at 2:30? Thanks so much!",
        bookings=[duke, buster],
    )
    assert sorted((p.subject, p.slot_start) for p in decision.proposals) == [
        ("Buster", at(11, 14) + timedelta(minutes=30)),
        ("Duke", at(15, 15) + timedelta(minutes=45)),
    ]

    salt = booking_of("Salt", at(11, 16), "consultation", "b7")
    pepper = booking_of("Pepper", at(11, 16), "consultation", "b8")
    poppy = booking_of("Poppy", at(10, 11), "consultation", "b9")
    decision = await decide(
        "can poppy come on friday at 4 with salt and pepper instead of thursday?",
        bookings=[salt, pepper, poppy],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert decision.proposal is not None and decision.proposal.booking_id == "b9"

    daisy = booking_of("Daisy", at(8, 15), "consultation", "b10")
    bruno = booking_of("Bruno", at(9, 10), "grooming", "b11")
    decision = await decide(
        "Hello! Two changes please. Daisy's appointment tomorrow at 3 only needs to be her "
        "booster now. And Bruno's groom on Wednesday, could it be 11:30 instead of 10?",
        bookings=[daisy, bruno],
    )
    assert sorted((p.subject, p.slot_start, p.service) for p in decision.proposals) == [
        ("Bruno", at(9, 11) + timedelta(minutes=30), "grooming"),
        ("Daisy", at(8, 15), "vaccination"),
    ]
    assert "change Daisy's appointment on Tuesday 8 December at 15:00 to a vaccination" in (
        decision.reply
    )


async def test_a_cancellation_withdrawn_for_a_move_never_stays_waiting() -> None:
    """ "please cancel willow's appointment on friday" / read back / "actually hang on, don't
    cancel it – can you move it to the friday after instead? same time" / "yes" cancelled it."""
    willow = booking_of("Willow", at(11, 16), "consultation", "b1")
    asked = "please cancel willow's appointment on friday, can't make it"
    first = await decide(asked, bookings=[willow])
    assert first.proposal is not None
    waiting = pending("cancel", first.proposal.slot_start, subject="Willow", booking_id="b1")

    decision = await decide(
        "actually hang on, don't cancel it – can you move it to the friday after instead? same "
        "time",
        bookings=[willow],
        pending=waiting,
        history=[asked, first.reply],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert decision.proposal is not None and decision.proposal.slot_start == at(18, 16)

    decision = await decide(
        "actually hang on, don't cancel it – can you move it to sunday instead?",
        bookings=[willow],
        pending=waiting,
        history=[asked, first.reply],
    )
    assert decision.intent is Intent.DECLINE
    assert decision.action_id == waiting.id
    assert decision.reply.startswith("OK, I haven't cancelled it.")


async def test_the_same_change_for_another_pet() -> None:
    """ "could Oscar's check-up tomorrow morning move to Wednesday, same time? And the same for
    Felix please" moved Oscar only; "oh and same for Plum please" after Peaches' move was read
    back asked which day for Plum; "fig only needs her booster on friday now … can you change
    it? same for olive" asked a time."""
    oscar = booking_of("Oscar", at(8, 11), "consultation", "b1")
    felix = booking_of("Felix", at(8, 11), "consultation", "b2")
    decision = await decide(
        "Hi, could Oscar's check-up tomorrow morning move to Wednesday, same time? And the same "
        "for Felix please, they always come together.",
        bookings=[oscar, felix],
    )
    assert sorted((p.kind, p.booking_id, p.slot_start) for p in decision.proposals) == [
        ("reschedule", "b1", at(9, 11)),
        ("reschedule", "b2", at(9, 11)),
    ]

    peaches = booking_of("Peaches", at(8, 18), "consultation", "b3")
    plum = booking_of("Plum", at(8, 18), "consultation", "b4")
    first = await decide("can you move Peaches to Wednesday at 6?", bookings=[peaches, plum])
    assert first.proposal is not None
    decision = await decide(
        "oh and same for Plum please, they come together",
        bookings=[peaches, plum],
        pending=pending(
            "reschedule", first.proposal.slot_start, subject="Peaches", booking_id="b3"
        ),
        history=["can you move Peaches to Wednesday at 6?", first.reply],
    )
    assert sorted((p.booking_id, p.slot_start) for p in decision.proposals) == [
        ("b3", at(9, 18)),
        ("b4", at(9, 18)),
    ]

    fig = booking_of("Fig", at(11, 9), "consultation", "b5")
    olive = booking_of("Olive", at(11, 9), "consultation", "b6")
    decision = await decide(
        "hiya! fig only needs her booster on friday now, not the full check up. can you change "
        "it? same for olive",
        bookings=[fig, olive],
    )
    assert sorted((p.booking_id, p.slot_start, p.service) for p in decision.proposals) == [
        ("b5", at(11, 9), "vaccination"),
        ("b6", at(11, 9), "vaccination"),
    ]


async def test_corrections_of_what_was_read_back() -> None:
    """Set 74: "just the nail trim btw, she doesn't need another check-up" kept the check-up;
    "it should be the dental cleaning – can you change it to that, same time?" asked when to
    move it; "pickle's, not peanut's 🙈 the 5pm one. peanut is still coming at half 2" to
    Peanut's cancellation said Pickle was already booked."""
    first = "hiya can i bring coco in tomorrow at 3?"
    asked = await decide(first)
    assert asked.proposal is not None
    decision = await decide(
        "just the nail trim btw, she doesn't need another check-up 💅 so tomorrow 3pm",
        pending=pending("book", asked.proposal.slot_start, subject="Coco", service="consultation"),
        history=[first, asked.reply],
    )
    assert decision.proposal is not None
    assert (decision.proposal.slot_start, decision.proposal.service) == (at(8, 15), "grooming")

    mango = booking_of("Mango", at(9, 15), "grooming", "b1")
    decision = await decide(
        "ah maybe I booked it as a groom by mistake 🙈 it should be the dental cleaning – can you "
        "change it to that, same time?",
        bookings=[mango],
        history=[
            "what time is mango's dental this week?",
            "Your appointment for Mango (grooming) is on Wednesday 9 December at 15:00.",
        ],
    )
    assert decision.proposal is not None
    assert (decision.proposal.booking_id, decision.proposal.service) == ("b1", "dental")
    assert decision.proposal.slot_start == at(9, 15)

    peanut = booking_of("Peanut", at(8, 14) + timedelta(minutes=30), "consultation", "b2")
    pickle = booking_of("Pickle", at(8, 17), "consultation", "b3")
    decision = await decide(
        "sorry!! pickle's, not peanut's 🙈 the 5pm one. peanut is still coming at half 2",
        bookings=[peanut, pickle],
        pending=pending("cancel", peanut.slot_start, subject="Peanut", booking_id="b2"),
        history=[
            "can you cancel peanut's appointment tomorrow",
            "I can cancel the appointment for Peanut on Tuesday 8 December at 14:30. Reply YES "
            "to confirm.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_CANCEL
    assert decision.proposal is not None and decision.proposal.booking_id == "b3"


async def test_the_day_settled_on_after_a_refusal_moves_the_booking() -> None:
    """ "Need to move Rocky's Thursday appointment to Friday" / read back / "not Friday,
    Saturday. Same time" / Saturday afternoon closed / "Ah of course, you're shut Saturday
    afternoons. Friday it is then, 4:30 like I first said" was told the Saturday times again."""
    rocky = booking_of("Rocky", at(10, 16) + timedelta(minutes=30), "consultation", "b1")
    history = [
        "Need to move Rocky's Thursday appointment to Friday, same time please",
        "I can move the appointment for Rocky from Thursday 10 December at 16:30 to Friday 11 "
        "December at 16:30. Reply YES to confirm.",
        "Hang on, sorry – not Friday, Saturday. Same time if you can",
        "OK, I haven't moved it for Friday 11 December at 16:30. Sorry, Saturday 12 December at "
        "16:30 isn't possible: that's outside our opening hours. I can offer Saturday 12 "
        "December at 12:00, Saturday 12 December at 12:15 or Saturday 12 December at 12:30. "
        "Which would suit you?",
    ]
    decision = await decide(
        "Ah of course, you're shut Saturday afternoons. Friday it is then, 4:30 like I first said",
        bookings=[rocky],
        history=history,
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert decision.proposal is not None and decision.proposal.booking_id == "b1"
    assert decision.proposal.slot_start == at(11, 16) + timedelta(minutes=30)
    assert not decision.reply.startswith("Yes, we're open")


async def test_a_yes_with_another_pet_attached() -> None:
    """Set 75: "yes, and poppy's too please – same new time" to Pippin's move asked which day
    for Poppy; "yes cancel max's too" to Bella's and Max's cancellations read back cancelled
    Max's only; "Yes, but keep Nala's – she still needs to come in" to Luna's cancellation
    asked which day and time for Nala."""
    pippin = booking_of("Pippin", at(9, 16), "consultation", "b1")
    poppy = booking_of("Poppy", at(9, 16), "consultation", "b2")
    decision = await decide(
        "yes, and poppy's too please – same new time, they come together",
        bookings=[pippin, poppy],
        pending=pending("reschedule", at(10, 17), subject="Pippin", booking_id="b1"),
        history=[
            "can you move pippin's appointment on wednesday to thursday at 5pm",
            "I can move the appointment for Pippin from Wednesday 9 December at 16:00 to "
            "Thursday 10 December at 17:00. Reply YES to confirm.",
        ],
    )
    assert sorted((p.booking_id, p.slot_start) for p in decision.proposals) == [
        ("b1", at(10, 17)),
        ("b2", at(10, 17)),
    ]

    bella = booking_of("Bella", at(9, 14) + timedelta(minutes=30), "consultation", "b3")
    max_ = booking_of("Max", at(11, 14) + timedelta(minutes=30), "consultation", "b4")
    both = await decide(
        "yes, and Max's on friday too while you're at it – we're going away",
        bookings=[bella, max_],
        pending=pending("cancel", bella.slot_start, subject="Bella", booking_id="b3"),
        history=[
            "please cancel bella's appointment on wednesday at 2:30",
            "I can cancel the appointment for Bella on Wednesday 9 December at 14:30. Reply YES "
            "to confirm.",
        ],
    )
    assert sorted(_changes(both), key=str) == sorted(
        [("cancel", "Bella", "b3"), ("cancel", "Max", "b4")], key=str
    )
    decision = await decide(
        "yes cancel max's too",
        bookings=[bella, max_],
        pending=pending_several(both),
        history=["yes, and Max's on friday too", both.reply],
    )
    assert decision.intent is Intent.CONFIRM
    assert not decision.confirmed  # every change, not Max's only

    luna = booking_of("Luna", at(10, 10) + timedelta(minutes=30), "consultation", "b5")
    nala = booking_of("Nala", at(10, 10) + timedelta(minutes=30), "consultation", "b6")
    waiting = pending("cancel", luna.slot_start, subject="Luna", booking_id="b5")
    decision = await decide(
        "Yes, but keep Nala's – she still needs to come in",
        bookings=[luna, nala],
        pending=waiting,
        history=[
            "Could you cancel Luna's appointment on Thursday at 10:30 please?",
            "I can cancel the appointment for Luna on Thursday 10 December at 10:30. Reply YES "
            "to confirm.",
        ],
    )
    assert decision.intent is Intent.CONFIRM
    assert decision.action_id == waiting.id


async def test_a_yes_with_a_change_attached_is_read_back_again() -> None:
    """Set 75: "yes please, oh and it's a nail trim not a check-up sorry" booked the check-up;
    "sure, same time next week as well?" proposed next week's only and left this one unbooked."""
    slot = at(9, 11)
    decision = await decide(
        "yes please, oh and it's a nail trim not a check-up sorry 💅 she's fine otherwise",
        pending=pending("book", slot, subject="Coco", service="consultation"),
        history=[
            "hiya can coco come in on wednesday at 11 for a check up?",
            "I can book Wednesday 9 December at 11:00 for Coco. Reply YES to confirm.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_BOOKING
    assert decision.proposal is not None
    assert (decision.proposal.slot_start, decision.proposal.service) == (slot, "grooming")

    slot = at(8, 14) + timedelta(minutes=30)
    decision = await decide(
        "sure, same time next week as well?",
        pending=pending("book", slot, subject="Teddy", service="consultation"),
        history=[
            "book teddy for a check up tuesday at 2:30pm pls",
            "I can book Tuesday 8 December at 14:30 for Teddy. Reply YES to confirm.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_CHANGES
    assert sorted(p.slot_start for p in decision.proposals) == [slot, slot + timedelta(days=7)]


async def test_a_yes_to_a_move_with_another_service_attached() -> None:
    """ "Yes please, and can it be a groom instead of the check-up while we're at it?" to
    Fudge's move was turned into "OK, I haven't moved it"."""
    fudge = booking_of("Fudge", at(10, 9), "consultation", "b1")
    decision = await decide(
        "Yes please, and can it be a groom instead of the check-up while we're at it? His coat's "
        "a state",
        bookings=[fudge],
        pending=pending("reschedule", at(11, 9), subject="Fudge", booking_id="b1"),
        history=[
            "Hi, could Fudge's Thursday appointment be moved to Friday at 9 please?",
            "I can move the appointment for Fudge from Thursday 10 December at 09:00 to Friday "
            "11 December at 09:00. Reply YES to confirm.",
        ],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert decision.proposal is not None
    assert (decision.proposal.slot_start, decision.proposal.service) == (at(11, 9), "grooming")


async def test_a_starred_word_puts_the_one_before_right() -> None:
    """Set 76: "can ollie come in on thursday at 4pm for a checkup?" / "*friday" booked
    Thursday; "*5pm sorry" after Bella's move to 16:00 was read back was ignored."""
    decision = await decide("can ollie come in on thursday at 4pm for a checkup?\n*friday")
    assert decision.proposal is not None
    assert decision.proposal.slot_start == at(11, 16)

    bella = booking_of("Bella", at(10, 15), "grooming", "b1")
    decision = await decide(
        "*5pm sorry",
        bookings=[bella],
        pending=pending("reschedule", at(8, 16), subject="Bella", booking_id="b1"),
        history=[
            "can bella's groom be moved to tomorrow 4pm",
            "I can move the appointment for Bella from Thursday 10 December at 15:00 to Tuesday "
            "8 December at 16:00. Reply YES to confirm.",
        ],
    )
    assert decision.intent is Intent.PROPOSE_RESCHEDULE
    assert decision.proposal is not None and decision.proposal.slot_start == at(8, 17)


async def test_a_days_appointment_names_no_pet_called_after_the_day() -> None:
    """ "Hazel's much better so we don't need Friday's appointment any more … could you book
    [Basil] in on Thursday at 3:15 instead?" booked a pet called Friday beside Basil."""
    hazel = booking_of("Hazel", at(11, 11) + timedelta(minutes=30), "consultation", "b1")
    decision = await decide(
        "Hazel's much better so we don't need Friday's appointment any more, thank you. But her "
        "brother Basil has started sneezing, could you book him in on Thursday at 3:15 instead?",
        bookings=[hazel],
    )

    assert "Friday for" not in decision.reply
    assert sorted((p.kind, p.subject) for p in decision.proposals) == [
        ("book", "Basil"),
        ("cancel", "Hazel"),
    ]


async def test_a_pet_added_at_the_same_time_as_a_move_goes_to_the_new_time() -> None:
    """ "Could you move Tofu's check-up from tomorrow to Thursday at half ten? And if you could
    add Miso at the same time for her booster" booked Miso at Tofu's old time."""
    tofu = booking_of("Tofu", at(8, 14), "consultation", "b1")
    decision = await decide(
        "Could you move Tofu's check-up from tomorrow to Thursday at half ten? And if you could "
        "add Miso at the same time for her booster that would be lovely, then they can share "
        "the taxi",
        bookings=[tofu],
    )

    assert sorted((p.kind, p.subject, p.slot_start) for p in decision.proposals) == [
        ("book", "Miso", at(10, 10) + timedelta(minutes=30)),
        ("reschedule", "Tofu", at(10, 10) + timedelta(minutes=30)),
    ]
