"""Conversations played turn by turn in session 32: a formal letter's "Kindly cancel it", a date
the customer worked out themselves, a question asked beside a move with "and".
Reference moment: Monday 7 December 2026, 09:00 Europe/Paris (``NOW``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from switchboard.agent_models import Intent, PendingAction
from tests.providers.test_local_agent_everyday import NOW, at, booked, decide, proposed

OSCAR_FRIDAY = [booked("Oscar", at(11, 9, 30))]


def _pending_book(subject: str, slot: datetime, service: str) -> PendingAction:
    return PendingAction(
        id="a1",
        kind="book",
        slot_start=slot,
        subject=subject,
        service=service,
        expires_at=NOW + timedelta(minutes=30),
    )


def _pending_move() -> PendingAction:
    return PendingAction(
        id="a1",
        kind="reschedule",
        slot_start=at(11, 14, 15),
        subject="Patch",
        service="consultation",
        booking_id="b1",
        expires_at=NOW + timedelta(minutes=30),
    )


@pytest.mark.parametrize(
    "message",
    [
        "Dear Sir or Madam, I regret to inform you that I shall be unable to attend my "
        "appointment on Friday for Oscar owing to a family matter. Kindly cancel it. Yours "
        "faithfully, Margaret Hughes",
        "Sadly we can't come on Friday. Kindly cancel Oscar's appointment.",
    ],
)
async def test_an_adverb_opening_a_sentence_is_no_pet(message: str) -> None:
    """ "Kindly" was read as a pet's name: "I can't find an upcoming appointment for Oscar to
    cancel", with Oscar booked on Friday."""
    decision = await decide(message, bookings=OSCAR_FRIDAY)

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.slot_start == at(11, 9, 30)


async def test_a_pet_named_like_an_adverb_is_still_a_pet() -> None:
    decision = await decide("can Holly and Jolly come thursday at 10 for their jabs?")

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert {subject for subject, _ in proposed(decision)} == {"Holly", "Jolly"}


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        # 2 weeks after the 1st of December is the 15th, as the customer says
        ("hi can i book my dog in 2 weeks after the 1st, so the 15th? at 10", at(15, 10)),
        ("in a fortnight, i.e. the 21st, at 10 for rex", at(21, 10)),
        ("next thursday, that's the 17th, at 3 for rex", at(17, 15)),
    ],
)
async def test_the_date_the_customer_worked_out_is_the_one_booked(
    message: str, slot: object
) -> None:
    """ "… 2 weeks after the 1st, so the 15th? at 10" proposed Monday 21 December (two weeks
    from today), and a yes booked it."""
    decision = await decide(message)

    assert decision.intent is Intent.PROPOSE_BOOKING, decision.reply
    assert decision.proposal is not None
    assert decision.proposal.slot_start == slot


async def test_a_worked_out_date_on_another_weekday_is_asked_about() -> None:
    decision = await decide("can rex come next thursday, that's the 18th, at 3")

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert "Friday 18 December" in decision.reply and "Thursday 17 December" in decision.reply


@pytest.mark.parametrize(
    "message",
    [
        "tell me the address and move max to thursday at 11 please",
        "move max to thursday at 11 please and send me your address",
    ],
)
async def test_the_address_asked_beside_a_move_is_given(message: str) -> None:
    """The move alone was proposed: the address asked for was dropped."""
    decision = await decide(message, bookings=[booked("Max", at(9, 10))])

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert decision.proposal is not None and decision.proposal.slot_start == at(10, 11)
    assert "rue des Lilas" in decision.reply


# -- held-out set 48 (first run 19/30, 5 wrong) ---------------------------------------------------


async def test_a_time_dictated_in_words_and_corrected_is_the_correction() -> None:
    """ "at nine forty five no sorry ten forty five" proposed (and a yes booked) 10:00."""
    decision = await decide(
        "hi there I'd like to book a check up for lemon on saturday at nine forty five no sorry "
        "ten forty five she's been scratching her ears"
    )

    assert proposed(decision) == [("Lemon", at(12, 10, 45))]


async def test_a_cancellation_dictated_beside_a_pet_still_coming() -> None:
    """Angel's Tuesday jab was proposed for cancelling ("angels still coming tomorrow at nine"
    is Angel's staying), and the yes cancelled it."""
    decision = await decide(
        "hi can you cancel chances appointment on wednesday he's gone to live with my ex angels "
        "still coming tomorrow at nine thanks",
        bookings=[booked("Angel", at(8, 9), "vaccination"), booked("Chance", at(9, 16, 30))],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.subject == "Chance"


async def test_a_letter_signed_with_a_title_books_the_pet_alone() -> None:
    """ "Yours faithfully, Mrs Edith Whitmore": "Duchess and Whitmore" were booked."""
    decision = await decide(
        "Dear Sir or Madam, I should be most grateful if you would kindly arrange an appointment "
        "for my cat, Duchess, who has been rather off her food of late. Thursday the 10th of "
        "December at eleven o'clock in the morning would suit me best, as my nephew Gerald has "
        "kindly offered to drive me. Yours faithfully, Mrs Edith Whitmore"
    )

    assert proposed(decision) == [("Duchess", at(10, 11))]


@pytest.mark.parametrize(
    "yes", ["That would be splendid, thank you.", "amazing yes 🙏", "excellent, thanks so much"]
)
async def test_praise_is_a_yes(yes: str) -> None:
    decision = await decide(yes, pending=_pending_move())

    assert decision.intent is Intent.CONFIRM, decision.reply


async def test_a_telephone_call_asked_for_is_handed_over() -> None:
    """ "You can call us on …": the call she asked for was nobody's to make."""
    decision = await decide(
        "Hello dear. I am 84 years old and I am afraid I am not very good with these telephone "
        "messages, my grandson Thomas set it up for me. Could somebody from the clinic please "
        "telephone me about my cat Treacle's tablets? She has nearly run out. Thank you so much. "
        "Yvonne Martin"
    )

    assert decision.intent is Intent.HANDOFF, decision.reply
    assert "by phone" in decision.reply


async def test_an_hour_said_the_french_way() -> None:
    """ "tomorrow in the afternoon at 3 hours" offered times instead of 15:00."""
    decision = await decide(
        "Hello. I want make appointment for my dog Rocky tomorrow in the afternoon at 3 hours. "
        "He not eat since two days, I am very worry."
    )

    assert proposed(decision) == [("Rocky", at(8, 15))]


async def test_a_visit_put_together_with_another_pets_is_moved_to_its_time() -> None:
    """Both pets were proposed for new bookings at their own times (Pretzel's twice over)."""
    decision = await decide(
        "Hello, for Pretzel the vaccine of friday at 12h, we prefer to do it together with Boots "
        "at 11h30 so we come only one time. Is possible?",
        bookings=[booked("Boots", at(11, 11, 30)), booked("Pretzel", at(11, 12), "vaccination")],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Pretzel", at(11, 11, 30))]


async def test_a_cancellation_told_after_a_night_at_the_emergency_vet() -> None:
    """ "That sounds urgent" and a handoff for a dog "doing great"; then, read again, the
    grooming kept on Saturday was moved to Thursday."""
    decision = await decide(
        "Hiya, long story short (well not that short sorry 😅) Rusty cut his paw on some glass in "
        "the park on saturday night, we ended up at the emergency vet in Vincennes at 2am, they "
        "cleaned it and stitched it and he's on antibiotics now and honestly doing great, already "
        "stealing socks again. The vet there said they'd send you the notes? Anyway because of "
        "that he doesn't need the appointment on thursday anymore, they checked everything. But "
        "please keep his grooming on saturday, he really smells 😂 thank you!!",
        bookings=[booked("Rusty", at(10, 14)), booked("Rusty", at(12, 9, 30), "grooming")],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.slot_start == at(10, 14)
    assert "records" not in decision.reply


async def test_a_service_corrected_keeps_the_day_beside_the_writers_own_today() -> None:
    """ "brain not working today" booked "Brain" today at 16:30."""
    decision = await decide(
        "sorry i mean his nails!! jabs were done in october, brain not working today",
        history=["can blue come thursday at 4.30 for his jabs?"],
        pending=_pending_book("Blue", at(10, 16, 30), "vaccination"),
    )

    assert proposed(decision) == [("Blue", at(10, 16, 30))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"


async def test_quarter_past_alone_is_past_the_booked_hour() -> None:
    """ "can we make it quarter past instead?" after a 10:00 booking got the menu."""
    decision = await decide(
        "oh sorry can we make it quarter past instead? forgot my daughter Chloe has swimming till "
        "10",
        bookings=[booked("Sage", at(12, 10))],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Sage", at(12, 10, 15))]


async def test_a_season_of_plans_is_no_day_beside_the_weekday_asked() -> None:
    """ "before we go to my mum's for christmas so can we do wednesday around 5? 5.15" was
    refused for Christmas Day."""
    decision = await decide(
        "anyway Sunny needs her booster thing before we go to my mum's for christmas so can we do "
        "wednesday around 5? 5.15 would be perfect actually. also is it cash only or can i pay by "
        "card"
    )

    assert proposed(decision) == [("Sunny", at(9, 17, 15))]
    assert "card" in decision.reply


# -- held-out set 49 (first run 17/30, 5 wrong) ---------------------------------------------------


async def test_a_pet_called_april_and_the_first_week_of_january() -> None:
    """Booked "you" on Tuesday 8 December: April lost, and January too."""
    decision = await decide(
        "could april have her teeth cleaned the first week of january? the tuesday at 2 would be "
        "ideal, i'm off that week"
    )

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.subject == "April"
    assert decision.proposal.slot_start == datetime(2027, 1, 5, 13, tzinfo=UTC)  # 14:00 Paris


async def test_half_past_the_hour_not_the_hour() -> None:
    """ "tuesday the 29th, and half 2 not 2" booked 14:00."""
    decision = await decide(
        "no sorry my mistake - tuesday the 29th, and half 2 not 2",
        pending=_pending_book("Dumpling", at(28, 14), "consultation"),
    )

    assert proposed(decision) == [("Dumpling", at(29, 14, 30))]


async def test_a_thumbs_up_to_take_your_time_is_no_yes() -> None:
    """ "👍 thanks" after "hold off … i'll message you back" booked the jab."""
    decision = await decide(
        "👍 thanks",
        pending=_pending_book("Tuesday", at(14, 17), "vaccination"),
        history=[
            "actually hold off, don't book it yet - i need to check my shifts first",
            "No problem, take your time. Shall I book Monday 14 December at 17:00 for Tuesday? "
            "Just reply YES when you're ready.",
        ],
    )

    assert decision.intent is not Intent.CONFIRM, decision.reply
    assert "Nothing is booked yet" in decision.reply


async def test_a_pet_called_tuesday_keeps_her_name() -> None:
    decision = await decide("can tuesday have her jab monday 14th at 5?")

    assert proposed(decision) == [("Tuesday", at(14, 17))]


async def test_a_booked_pet_called_monday_and_the_check_ups_kept() -> None:
    """All three bookings were cancelled ("monday's jab" read as a Monday's, "keep both their
    check ups on the 18th" as the day asked for)."""
    decision = await decide(
        "hi, can you cancel monday's jab please? the breeder did it already. keep both their "
        "check ups on the 18th though",
        bookings=[
            booked("Monday", at(16, 9, 30), "vaccination"),
            booked("Monday", at(18, 15)),
            booked("Sprout", at(18, 15)),
        ],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.slot_start == at(16, 9, 30)


async def test_a_cat_called_sunday_the_week_after_next() -> None:
    decision = await decide(
        "hi, can sunday (our cat lol) get her nails done the week after next? the wednesday, "
        "about half 2"
    )

    assert proposed(decision) == [("Sunday", at(23, 14, 30))]


async def test_a_month_today() -> None:
    """ "could we book her in for a month today? half 9" read as today at 09:30."""
    decision = await decide(
        "morning! june's booster is due in the new year - could we book her in for a month "
        "today? half 9 ideally"
    )

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.subject == "June"
    assert decision.proposal.slot_start == datetime(2027, 1, 7, 8, 30, tzinfo=UTC)


async def test_the_day_after_boxing_day_then_which_weekday_asked() -> None:
    """Boxing Day itself was booked; then "is that a sunday?" was read as Sunday asked."""
    first = await decide(
        "hi could noel come in for a check up the day after boxing day? 10am? he's got a weepy eye"
    )
    assert "Sunday 27 December" in first.reply

    then = await decide(
        "oh is that a sunday?! the monday then, same time",
        history=[
            "hi could noel come in for a check up the day after boxing day? 10am?",
            first.reply,
        ],
    )
    assert proposed(then) == [("Noel", at(28, 10))]


async def test_the_later_of_the_customers_own_two_times() -> None:
    """ "the later one please" after "3 or 4pm?" and our 16:00: our opening hours were read as
    times offered, and 13:00 refused."""
    decision = await decide(
        "the later one please, my sister can drive us then",
        pending=_pending_book("Bonbon", at(29, 16), "grooming"),
        history=[
            "hi are you open between christmas and new year? bonbon needs her nails done - "
            "tuesday 29th maybe, 3 or 4pm?",
            "We're closed on Friday 25 December (Christmas Day). Our usual hours: Monday to Friday "
            "08:30-12:30 and 14:00-19:00, Saturday 09:00-13:00; closed on Sunday. I can book "
            "Tuesday 29 December at 16:00 for Bonbon (grooming). Reply YES to confirm.",
        ],
    )

    assert proposed(decision) == [("Bonbon", at(29, 16))]


async def test_keep_it_as_the_groom_with_another_visit_put_off() -> None:
    """ "no wait sorry - keep it as the groom, i'll do her booster in january" declined all."""
    decision = await decide(
        "no wait sorry - keep it as the groom, i'll do her booster in january 🙈",
        pending=_pending_book("Ginger", at(19, 10), "vaccination"),
    )

    assert proposed(decision) == [("Ginger", at(19, 10))]
    assert decision.proposal is not None and decision.proposal.service == "grooming"


async def test_bring_them_both_after_a_change_of_pet() -> None:
    """Custard (named, then said not to be the one) was dropped from "bring them both"."""
    decision = await decide(
        "actually you know what, let's bring them both, custard's been a bit off too. same time "
        "ok?",
        pending=_pending_book("Crumble", at(18, 9, 30), "consultation"),
        history=[
            "can custard come in for a check up friday 18th at half 9?",
            "I can book Friday 18 December at 09:30 for Custard. Reply YES to confirm.",
            "oh wait, it's crumble who's been sick, not custard. sorry, 2 cats, my brain 🙃",
            "I can book Friday 18 December at 09:30 for Crumble. Reply YES to confirm.",
        ],
    )

    assert sorted(proposed(decision)) == [("Crumble", at(18, 9, 30)), ("Custard", at(18, 9, 30))]


async def test_a_weekday_between_christmas_and_new_year() -> None:
    decision = await decide(
        "could we push marmalade's dental back to between christmas and new year? the wednesday, "
        "same time if poss",
        bookings=[booked("Marmalade", at(14, 8, 30), "dental"), booked("Marmalade", at(17, 16))],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Marmalade", at(30, 8, 30))]


async def test_everything_from_a_day_on_cancelled_but_the_pet_kept() -> None:
    decision = await decide(
        "Hi! we're off to my sister's in Nantes from the 18th until the new year 🎄 so can you "
        "cancel anything we've got from then on? mochi's jab this saturday is still fine",
        bookings=[
            booked("Mochi", at(12, 9, 30), "vaccination"),
            booked("Mochi", at(19, 11), "grooming"),
            booked("Kiwi", at(21, 15)),
        ],
    )

    assert decision.intent is Intent.PROPOSE_CHANGES, decision.reply
    assert sorted(proposed(decision)) == [("Kiwi", at(21, 15)), ("Mochi", at(19, 11))]


async def test_a_bill_disputed_is_handed_over() -> None:
    """ "What time on Thursday … for Luna?": a wrong charge read as a booking request."""
    decision = await decide(
        "Hi, I've just looked at my bank statement and you've charged me €120 for Luna last "
        "Thursday but she only had a check up, that's meant to be €45?? Can someone sort this "
        "out please. Mark"
    )

    assert decision.intent is Intent.HANDOFF, decision.reply


# -- held-out sets 50 (24/30, 1 wrong) and 51 (18/30, 0 wrong) -----------------------------------


async def test_the_other_of_two_bookings_cancelled_when_one_is_kept_by_its_time() -> None:
    """ "can you cancel one of them? we'll keep the 10 o'clock" cancelled the 10 o'clock."""
    decision = await decide(
        "i think me and my partner both booked otis in for wednesday 🙈 can you cancel one of "
        "them? we'll keep the 10 o'clock",
        bookings=[booked("Otis", at(9, 10)), booked("Otis", at(9, 10, 30))],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.slot_start == at(9, 10, 30)


async def test_christmas_eve_then_after_christmas_day_was_refused() -> None:
    decision = await decide(
        "oh god of course, christmas 🤦‍♀️ christmas eve then? same time",
        bookings=[booked("Holly", at(18, 10))],
        history=[
            "hiya can we push holly's check up on the 18th back a week? same time",
            "Sorry, Friday 25 December at 10:00 isn't possible: we're closed on Christmas Day. I "
            "can offer Thursday 24 December at 09:45, Thursday 24 December at 10:00 or Saturday "
            "26 December at 10:00. Which would suit you?",
        ],
    )

    assert proposed(decision) == [("Holly", at(24, 10))]


async def test_just_one_pet_coming_cancels_the_others_share_of_the_visit() -> None:
    decision = await decide(
        "hi, about the cats on the 15th - smudge is all better now so it's just honey coming 😊",
        bookings=[booked("Honey", at(15, 9, 30)), booked("Smudge", at(15, 9, 30))],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.subject == "Smudge"


async def test_a_move_beside_bookings_said_to_stay_as_they_are() -> None:
    """ "Which appointment should I change …?" though the jab on the 14th was named; then Mabel's
    09:00 was taken for "same time"."""
    decision = await decide(
        "hello! could fudge's jab on monday 14th go to wensday 16th instead, same time? his check "
        "up this thursday and mabel's groom stay as they are",
        bookings=[
            booked("Fudge", at(10, 10)),
            booked("Fudge", at(14, 11), "vaccination"),
            booked("Mabel", at(12, 9), "grooming"),
        ],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Fudge", at(16, 11))]


async def test_the_saturday_after_with_two_pets_still_fine() -> None:
    """Acorn's groom was offered for cancelling, then the yes cancelled it."""
    decision = await decide(
        "acorn cant make saturday now 😕 can he do the same time the saturday after? bramble and "
        "thistle still fine for tomorrow",
        bookings=[
            booked("Bramble", at(8, 10)),
            booked("Thistle", at(8, 10)),
            booked("Acorn", at(12, 11, 15), "grooming"),
        ],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Acorn", at(19, 11, 15))]


async def test_the_booking_named_after_which_one_keeps_the_request() -> None:
    """ "*bisou" answering "Which appointment should I move …?" lost "to thursday, same time"."""
    decision = await decide(
        "*bisou",
        bookings=[booked("Bisou", at(8, 10, 45))],
        history=[
            "can bison's check up tomorow move to thursday? same time",
            "Which appointment should I move: Bisou on Tuesday 8 December at 10:45? I can't find "
            "one for Bison.",
        ],
    )

    assert proposed(decision) == [("Bisou", at(10, 10, 45))]


@pytest.mark.parametrize(
    ("message", "name"),
    [
        (
            "hiii so my mum said i have to book it myself 🙄 my guinea pig nugget is sneezing n "
            "acting kinda weird, cn he come in tmrw aftr skl? like half 4 ish",
            "Nugget",
        ),
        ("mango (our cat) has a swollen cheek, could she come tomorrow at 2?", "Mango"),
        ("pumpkin (my pomeranian) needs a full groom, saturday at 12?", "Pumpkin"),
        ("hi cn i bok pickle in thurs at 3.45? shes limpin on her bak leg", "Pickle"),
        ("yo can my dog chunk get his nails done sat?? like 11. my dads paying dw 😭", "Chunk"),
    ],
)
async def test_a_pets_name_written_in_lower_case_is_kept(message: str, name: str) -> None:
    """Booked "for your guinea pig", "for your cat", "for you"; Chunk's got the payment
    methods only ("my dads paying" read as a question)."""
    decision = await decide(message)

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.subject == name


async def test_a_goat_is_not_seen_and_the_village_is_no_pet() -> None:
    decision = await decide(
        "Morning. I farm out past Meaux. Got a nanny goat, Daisy, limping on her front leg since "
        "the weekend. Do you see goats? Could bring her Saturday in the trailer."
    )

    assert decision.proposal is None and not decision.proposals
    assert "don't see goats" in decision.reply and "Meaux" not in decision.reply


async def test_the_name_given_after_the_proposal() -> None:
    decision = await decide(
        "oh sorry, forgot to say his name - it's Waffle 😄",
        pending=_pending_book("you", at(11, 11), "vaccination"),
    )

    assert proposed(decision) == [("Waffle", at(11, 11))]


async def test_same_as_last_time_with_no_visit_on_record_is_asked() -> None:
    """A consultation was assumed."""
    decision = await decide("hi can i book bagel in for the same as last time? thursday at 5")

    assert decision.intent is Intent.CLARIFY, decision.reply
    assert "earlier visit" in decision.reply


async def test_a_vet_asked_to_ring_about_a_reactive_dog() -> None:
    decision = await decide(
        "Our rescue dog Tank is reactive - he's bitten a groomer before and has to wear a muzzle "
        "at the vet. Before we book his check up could one of the vets ring me to talk through "
        "how you'd handle him"
    )

    assert decision.intent is Intent.HANDOFF, decision.reply


async def test_yearly_injections_are_vaccinations() -> None:
    decision = await decide(
        "I would like to bring my little dog Button for his yearly injections on Tuesday at 10 "
        "o'clock please."
    )

    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_bet_is_a_yes() -> None:
    decision = await decide("bet 👍", pending=_pending_book("Chunk", at(12, 11), "grooming"))

    assert decision.intent is Intent.CONFIRM, decision.reply


# -- held-out sets 52 (20/30, 5 wrong) and 53 (20/30, 2 wrong) ------------------------------------


_SPROUT_DONE = [
    "can sprout come in wednesday at 10 for a check up?",
    "I can book Wednesday 9 December at 10:00 for Sprout. Reply YES to confirm.",
    "yes",
    "Done: you're booked for Wednesday 9 December at 10:00 for Sprout.",
]


async def test_make_that_11_instead_just_after_the_booking() -> None:
    """The menu: the booking just made stayed at 10:00."""
    decision = await decide(
        "actually can we make that 11 instead? totally forgot the school assembly 🙈",
        bookings=[booked("Sprout", at(9, 10))],
        history=_SPROUT_DONE,
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Sprout", at(9, 11))]


async def test_ignore_that_cancel_it_cancels_the_booking_just_made() -> None:
    """ "No problem! Message us here …": read as a message meant for someone else."""
    decision = await decide(
        "sorry ignore that, cancel it, my husband already booked her 🤦‍♀️",
        bookings=[booked("Nutmeg", at(8, 14), "vaccination")],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply


async def test_just_one_of_two_just_booked_actually() -> None:
    decision = await decide(
        "oh wait sorry, just moss actually - treacle already went last week with my partner",
        bookings=[booked("Treacle", at(11, 15)), booked("Moss", at(11, 15))],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.subject == "Treacle"


async def test_a_name_then_about_the_pet_names_the_proposal() -> None:
    decision = await decide(
        "Pudding 🐰 she's a mini lop", pending=_pending_book("you", at(12, 11), "grooming")
    )

    assert proposed(decision) == [("Pudding", at(12, 11))]


async def test_can_crisps_come() -> None:
    decision = await decide("can crisps come thursday at 11? she's been sneezing loads")

    assert proposed(decision) == [("Crisps", at(10, 11))]


async def test_how_long_beside_the_time_they_must_leave_by() -> None:
    """ "i have to be at pick up by 6.15" moved the proposal to 18:15, the length unanswered."""
    decision = await decide(
        "how long does it take? i have to be at pick up by 6.15",
        pending=_pending_book("Clementine", at(9, 17, 15), "grooming"),
    )

    assert decision.proposal is None and not decision.proposals
    assert "45 minutes" in decision.reply and "17:15" in decision.reply


async def test_the_one_after_lunch_is_no_one_oclock() -> None:
    decision = await decide(
        "the one after lunch please",
        history=[
            "what have you got on wednesday for a check up? ginger's been off her food",
            "What time on Wednesday 9 December would you like? I have 10:00, 10:30, 11:15 or "
            "11:45.",
        ],
    )

    assert "13:00" not in decision.reply
    assert "14:00" in decision.reply


async def test_a_booked_pets_visit_put_on_another_day_is_a_move() -> None:
    """ "can sherbet's be tuesday too, at 11?" booked Sherbet twice."""
    decision = await decide(
        "can sherbet's be tuesday too, at 11? saves me a trip",
        bookings=[
            booked("Pretzel", at(8, 10), "grooming"),
            booked("Noodle", at(8, 10), "vaccination"),
            booked("Sherbet", at(10, 17)),
        ],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Sherbet", at(8, 11))]


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        ("my dog Pretzel on 16.12. at 17.30 for a check-up please", at(16, 17, 30)),
        ("Can my cat Cinnamon get her nails trimmed on 18-12 at 1730?", at(18, 17, 30)),
        (
            "a spay consult for our kitten Clementine. Is Wed 12/9 at 2:15 pm available?",
            at(9, 14, 15),
        ),
        (
            "reckon you could squeeze our cat Vegemite in this arvo? Around 2 would be ideal.",
            at(7, 14),
        ),
    ],
)
async def test_dates_and_times_written_the_way_people_abroad_do(message: str, slot: object) -> None:
    decision = await decide(message)

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.slot_start == slot


async def test_two_cats_moved_to_a_dotted_date_the_third_pet_kept() -> None:
    decision = await decide(
        "Hallo! Could we move our two cats Ginger and Nutmeg from Thursday to 15.12., same time "
        "please? Rusty's vaccination on Thursday stays as it is. Danke!",
        bookings=[
            booked("Ginger", at(10, 9, 30)),
            booked("Nutmeg", at(10, 9, 30)),
            booked("Rusty", at(10, 10), "vaccination"),
        ],
    )

    assert sorted(proposed(decision)) == [("Ginger", at(15, 9, 30)), ("Nutmeg", at(15, 9, 30))]


async def test_preponed_by_an_hour_is_earlier() -> None:
    """Moved to 16:00 (the husband's meeting at 4 read as the time, and "preponed" as later)."""
    decision = await decide(
        "Hello, can Coco's grooming on Friday be preponed by one hour? My husband Vikram has a "
        "meeting at 4 and he is the one bringing her.",
        bookings=[booked("Coco", at(11, 15), "grooming")],
    )

    assert proposed(decision) == [("Coco", at(11, 14))]


async def test_a_holiday_named_with_capitals_and_a_sentence_opening_verb_are_no_pets() -> None:
    """ "Boxing and Wombat" were booked; "Reckon" was booked instead of Dingo."""
    boxing = await decide(
        "No dramas, 11 in the morning then?",
        history=[
            "G'day! Are you open on Boxing Day? Reckon Wombat could get his nails done that arvo, "
            "say 2ish?",
            "Sorry, Saturday 26 December at 14:00 isn't possible: that's outside our opening "
            "hours. I can offer Saturday 26 December at 11:45, Saturday 26 December at 12:00 or "
            "Saturday 26 December at 12:15. Which would suit you?",
        ],
    )
    dingo = await decide(
        "how much is a scale and polish for my kelpie Dingo? Reckon he could come Thursday arvo, "
        "3ish?"
    )

    assert proposed(boxing) == [("Wombat", at(26, 11))]
    assert proposed(dingo) == [("Dingo", at(10, 15))]


@pytest.mark.parametrize("yes", ["parfait, yes please", "Beauty, yes please"])
async def test_a_borrowed_or_australian_yes(yes: str) -> None:
    decision = await decide(yes, pending=_pending_book("Cookie", at(10, 17, 30), "consultation"))

    assert decision.intent is Intent.CONFIRM, decision.reply


async def test_a_message_in_japanese_is_told_we_serve_english() -> None:
    decision = await decide(
        "こんにちは。猫のきなこの健康診断を金曜日の午前中にお願いしたいのですが、空いていますか？"
    )

    assert "英語" in decision.reply and "English" in decision.reply


# -- held-out sets 54 (17/30, 4 wrong) and 55 (23/30, 3 wrong) ------------------------------------


async def test_a_swap_on_the_day_said_leaves_another_days_booking() -> None:
    """Olive's Thursday groom was moved to Tuesday 10:30 too."""
    decision = await decide(
        "morning! could we swap pickle and olive round tomorrow? so olive at 10 and pickle at "
        "half 10. everything else stays the same 🙏",
        bookings=[
            booked("Pickle", at(8, 10)),
            booked("Olive", at(8, 10, 30), "vaccination"),
            booked("Olive", at(10, 15), "grooming"),
        ],
    )

    assert sorted(proposed(decision)) == [("Olive", at(8, 10)), ("Pickle", at(8, 10, 30))]


@pytest.mark.parametrize(
    ("message", "moved"),
    [
        ("hi, could the later one on friday be a bit earlier, like 11?", ("Conker", at(11, 11))),
        ("the earlier one on friday, could it be moved to 2pm?", ("Acorn", at(11, 14))),
    ],
)
async def test_the_later_or_earlier_one_of_a_day(message: str, moved: tuple[str, object]) -> None:
    """ "the later one on friday" moved Acorn's booking of the week after."""
    decision = await decide(
        message,
        bookings=[
            booked("Acorn", at(11, 10, 30)),
            booked("Conker", at(11, 11, 45), "grooming"),
            booked("Acorn", at(17, 9), "vaccination"),
        ],
    )

    assert proposed(decision) == [moved]


async def test_the_service_named_says_which_booking_before_the_day_moved_to() -> None:
    """ "can we move the dental to friday morning? 9ish?" moved Oreo's Friday check-up."""
    decision = await decide(
        "hello, can we move the dental to friday morning? 9ish? sorry, something's come up",
        bookings=[
            booked("Truffle", at(9, 10), "dental"),
            booked("Oreo", at(9, 10), "vaccination"),
            booked("Oreo", at(11, 17)),
        ],
    )

    assert proposed(decision) == [("Truffle", at(11, 9))]


async def test_the_4_oclock_on_friday_and_the_one_fine_where_it_is() -> None:
    """The 14:30 said to be fine where it is was moved to 17:30."""
    decision = await decide(
        "hiya the 4 o'clock on friday can it be half 5 instead? the 2.30 one is fine where it is",
        bookings=[
            booked("Rocket", at(11, 16)),
            booked("Lucky", at(11, 14, 30), "vaccination"),
            booked("Rocket", at(12, 12), "grooming"),
        ],
    )

    assert proposed(decision) == [("Rocket", at(11, 17, 30))]


async def test_both_of_tomorrows_cancelled_beside_a_booking_still_fine() -> None:
    decision = await decide(
        "hi, can you cancel tomorrow's? both of them, car's in the garage 🙄 nacho's check-up "
        "next week is still fine",
        bookings=[
            booked("Salsa", at(8, 14), "vaccination"),
            booked("Nacho", at(8, 14), "vaccination"),
            booked("Nacho", at(17, 14)),
        ],
    )

    assert sorted(proposed(decision)) == [("Nacho", at(8, 14)), ("Salsa", at(8, 14))]


async def test_the_earliest_on_the_day_moved_to() -> None:
    """Moved to Friday at the booking's own 14:00."""
    decision = await decide(
        "hello, can Button's appointment on thursday be moved to friday instead? the earliest "
        "you've got please. Sunny's can stay on thursday as it is",
        bookings=[booked("Button", at(10, 14)), booked("Sunny", at(10, 14))],
    )

    assert proposed(decision) == [("Button", at(11, 8, 30))]


async def test_another_time_after_a_full_slot_is_the_newcomers_alone() -> None:
    """ "ok 10.45 then" booked Bear and Scout again at 10:45 and Poppy at 11:00."""
    decision = await decide(
        "ok 10.45 then",
        bookings=[booked("Bear", at(10, 10)), booked("Scout", at(10, 10))],
        history=[
            "Bear and Scout are in thursday at 10, could Poppy come at the same time for her jab?",
            "Sorry, Thursday 10 December at 10:00 isn't possible: that time is fully booked. I can "
            "offer Thursday 10 December at 09:30, Thursday 10 December at 09:45 or Thursday 10 "
            "December at 10:30. Which would suit you?",
        ],
    )

    assert proposed(decision) == [("Poppy", at(10, 10, 45))]


async def test_a_fee_asked_of_a_cancellation_is_answered_not_proposed() -> None:
    decision = await decide(
        "If I cancel Shadow's appointment tomorrow morning do I still have to pay? My husband "
        "Marc might not be able to take him",
        bookings=[booked("Shadow", at(8, 8, 45))],
    )

    assert decision.intent is Intent.ANSWER, decision.reply
    assert "24 hours" in decision.reply and decision.proposal is None


async def test_a_month_past_the_horizon_said_with_like() -> None:
    decision = await decide("can I book Lucky's groom for right before we go, like june?")

    assert "90 days" in decision.reply and decision.proposal is None


async def test_the_22nd_before_christmas_is_decembers() -> None:
    decision = await decide(
        "haha ok fair. could he have one before christmas then? the 22nd at 10",
        history=[
            "can I book Lucky's groom for right before we go, like june?",
            "Sorry, we only take bookings up to 90 days ahead, so June can't be booked yet: the "
            "latest day is Saturday 6 March 2027. Please message us again nearer the time.",
        ],
    )

    assert decision.proposal is not None and decision.proposal.slot_start == at(22, 10)


async def test_a_pet_told_as_its_breed() -> None:
    decision = await decide(
        "what's the latest you can do on wednesday for a groom? smudge is a shih tzu and a right "
        "state 🙈"
    )

    assert decision.proposal is not None and decision.proposal.subject == "Smudge"


async def test_one_pets_booking_changed_to_another_service_beside_a_pet_still_needing_its() -> None:
    decision = await decide(
        "hi, actually can maple's thursday one be her booster instead of a check up? pebble still "
        "needs the check up though",
        bookings=[
            booked("Pebble", at(10, 14)),
            booked("Maple", at(10, 14)),
            booked("Maple", at(11, 9, 30), "grooming"),
        ],
    )

    assert decision.proposal is not None, decision.reply
    assert decision.proposal.subject == "Maple" and decision.proposal.service == "vaccination"


async def test_move_him_after_we_named_his_booking() -> None:
    """ "Which appointment should I move …?" of all three, though we had just named Ziggy's."""
    decision = await decide(
        "can you move him to the afternoon instead? half 3 ideally, my partner Sam can bring him",
        bookings=[
            booked("Ziggy", at(8, 17)),
            booked("Domino", at(8, 17), "vaccination"),
            booked("Ziggy", at(10, 10), "grooming"),
        ],
        history=[
            "hi, is Ziggy still booked in for thursday? can't find the message",
            "Your appointment for Ziggy is on Thursday 10 December at 10:00.",
        ],
    )

    assert proposed(decision) == [("Ziggy", at(10, 15, 30))]


async def test_a_move_beside_a_pet_coming_as_planned_and_a_groom_that_stays() -> None:
    decision = await decide(
        "Hello! Brownie's coming wednesday as planned, but Jelly - can she do friday instead? "
        "same time. her groom next week stays",
        bookings=[
            booked("Jelly", at(9, 14, 30), "vaccination"),
            booked("Brownie", at(9, 14, 30)),
            booked("Jelly", at(18, 10), "grooming"),
        ],
    )

    assert proposed(decision) == [("Jelly", at(11, 14, 30))]


async def test_push_it_to_the_saturday_after_same_time() -> None:
    decision = await decide(
        "morning! the dog's grooming on saturday the 19th (Major) - can we push it to the "
        "saturday after? same time. the cat's check-up stays as is. thanks, Marc",
        bookings=[
            booked("Major", at(19, 9, 45), "grooming"),
            booked("Minnie", at(19, 9, 45)),
            booked("Minnie", at(16, 11), "vaccination"),
        ],
    )

    assert proposed(decision) == [("Major", at(26, 9, 45))]


async def test_the_morning_one_answering_which_appointment_keeps_the_hour_later() -> None:
    """Our list of bookings was read as times offered: "Pixel is already booked …"."""
    decision = await decide(
        "pixel's, the morning one",
        bookings=[
            booked("Pixel", at(10, 9, 30)),
            booked("Widget", at(10, 18, 30), "vaccination"),
            booked("Widget", at(17, 10), "grooming"),
        ],
        history=[
            "can thursday's be an hour later?",
            "Which appointment should I move: Pixel on Thursday 10 December at 09:30 or Widget's "
            "vaccination on Thursday 10 December at 18:30 or Widget's grooming on Thursday 17 "
            "December at 10:00?",
        ],
    )

    assert proposed(decision) == [("Pixel", at(10, 10, 30))]


async def test_for_the_dog_is_the_dog_named_before() -> None:
    decision = await decide(
        "10.15 for the dog please",
        history=[
            "hello, booking for our dog Storm. anything friday morning for a booster?",
            "What time on Friday 11 December would you like for Storm? I have 08:30, 09:30, 10:45 "
            "or 11:45.",
        ],
    )

    assert proposed(decision) == [("Storm", at(11, 10, 15))]


async def test_when_someone_of_theirs_must_be_elsewhere_is_no_time_asked() -> None:
    """Moved to 08:30, the daughter's school time, not the 9 asked for."""
    decision = await decide(
        "my daughter has to be at school by 8.30, could luna come on thursday at 9 instead",
        bookings=[booked("Luna", at(10, 15))],
    )

    assert proposed(decision) == [("Luna", at(10, 9))]


# -- held-out set 56 (24/30, 2 wrong) and whole conversations ------------------------------------


async def test_the_3pm_cancelled_beside_a_morning_one_said_to_be_fine() -> None:
    """Milo's morning booking, said to be fine, was cancelled instead of Coco's 3pm."""
    decision = await decide(
        "Please cancel the 3pm on Wednesday, we're going to my sister Nadia's for a few days. "
        "Milo's morning one is fine",
        bookings=[booked("Milo", at(9, 11)), booked("Coco", at(9, 15), "vaccination")],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.subject == "Coco"


async def test_the_dogs_appointment_cancelled_and_the_cats_kept() -> None:
    """The cat's booking, said to be kept, was cancelled instead of the dog's."""
    decision = await decide(
        "Hi, please can you cancel the dog's appointment on Thursday, he's back to his usual self "
        "thank goodness. The cat still needs her jab though so keep that one",
        bookings=[
            booked("Bailey (dog)", at(10, 12)),
            booked("Misty (cat)", at(10, 12), "vaccination"),
        ],
    )

    assert decision.intent is Intent.PROPOSE_CANCEL, decision.reply
    assert decision.proposal is not None and decision.proposal.subject == "Bailey (dog)"


async def test_a_service_pushed_back_a_week_beside_a_days_appointments_that_are_fine() -> None:
    decision = await decide(
        "Hello, can we push bonnie's teeth clean back a week? same time. my daughter Emma has her "
        "school play wednesday morning 🎭 friday's appointments are fine",
        bookings=[
            booked("Bonnie", at(9, 9), "dental"),
            booked("Bonnie", at(11, 16), "vaccination"),
            booked("Clyde", at(11, 16)),
        ],
    )

    assert proposed(decision) == [("Bonnie", at(16, 9))]


async def test_put_to_sleep_for_a_dental_is_sedation_not_an_end_of_life() -> None:
    """Handed over with "I'm so sorry": read as a pet's end of life."""
    decision = await decide(
        "how long does a dental clean take? and how much is it? does he have to be put to sleep "
        "for it, he's a 12 yr old jack russell"
    )

    assert decision.intent is Intent.ANSWER, decision.reply
    assert "€120" in decision.reply and "vet" in decision.reply


async def test_a_move_asked_instead_of_a_cancellation_to_the_saturday_after() -> None:
    decision = await decide(
        "can he do the same time the saturday after? bramble and thistle still fine for tomorrow",
        bookings=[
            booked("Bramble", at(8, 10)),
            booked("Thistle", at(8, 10)),
            booked("Acorn", at(12, 11, 15), "grooming"),
        ],
        pending=PendingAction(
            id="a1",
            kind="cancel",
            slot_start=at(12, 11, 15),
            subject="Acorn",
            service="grooming",
            booking_id="b-Acorn",
            expires_at=NOW + timedelta(minutes=30),
        ),
        history=[
            "acorn cant make saturday now 😕",
            "Would you like me to cancel the appointment for Acorn on Saturday 12 December at "
            "11:15? Reply YES to cancel it, or tell me another day and time to move it instead.",
        ],
    )

    assert proposed(decision) == [("Acorn", at(19, 11, 15))]


async def test_a_cancellation_sentence_beside_a_rebooking_asked_for_next_week() -> None:
    """Regression of this session's sentence rule: "… can we rebook for next week?" read the
    cancelling sentence's Wednesday, and the answers that followed booked Bella twice."""
    decision = await decide(
        "i need to cancel bella's grooming on wednesday, she's not well. can we rebook for next "
        "week?",
        bookings=[booked("Bella", at(9, 15), "grooming")],
    )

    assert decision.intent is Intent.PROPOSE_RESCHEDULE, decision.reply
    assert proposed(decision) == [("Bella", at(16, 15))]


async def test_the_name_and_the_service_given_after_a_time_asked() -> None:
    """Regression of this session's name rule: "it's for luna, she needs her booster" kept the
    name and lost the booster (a consultation was booked)."""
    decision = await decide(
        "it's for luna, she needs her booster 💉",
        pending=_pending_book("you", at(10, 16, 15), "consultation"),
        history=["hiya is 4.15 free on thursday?"],
    )

    assert proposed(decision) == [("Luna", at(10, 16, 15))]
    assert decision.proposal is not None and decision.proposal.service == "vaccination"


async def test_both_moved_to_half_5_beside_the_hour_they_were_booked_at() -> None:
    """With the log's event lines gone from the history, "Done: …" became our last reply again
    and its correction path read "a nightmare at 5" as the new time: "Which day and time …?"."""
    decision = await decide(
        "ugh actually can they both be half 5 instead? traffic is a nightmare at 5",
        bookings=[booked("Max", at(8, 17)), booked("Bella", at(8, 17))],
        history=[
            "can bella come too? same time",
            "I can book Tuesday 8 December at 17:00 for Bella. Reply YES to confirm.",
            "yes",
            "Done: you're booked for Tuesday 8 December at 17:00 for Bella.",
        ],
    )

    assert sorted(proposed(decision)) == [("Bella", at(8, 17, 30)), ("Max", at(8, 17, 30))]


@pytest.mark.parametrize(
    ("message", "said"),
    [
        ("do you open at 8 on saturdays?", "09:00"),
        ("are you open 25 December? bank holiday isnt it", "closed"),
    ],
)
async def test_our_hours_asked_are_not_our_hours_said_back(message: str, said: str) -> None:
    """Regressions of session 31's 'you shut at 1. 12 then?' rule, found in this session's
    full run: the time or the date asked about was blanked (the menu; a handoff)."""
    decision = await decide(message)

    assert said in decision.reply, decision.reply
