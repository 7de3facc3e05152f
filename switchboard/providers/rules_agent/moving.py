"""Moving a booking: the visit meant, its new day and time, asked when missing."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from switchboard.agent_models import (
    AgentDecision,
    BookingProposal,
    BookingView,
    Direction,
    Intent,
)
from switchboard.providers.rules_agent.booking import THE_EARLIEST_RE, THE_LATEST_RE
from switchboard.providers.rules_agent.helpers import (
    Plan,
    a_an,
    answered_only,
    as_utc,
    ask_clauses,
    asks_move,
    customer_before_last,
    for_,
    names_part_only,
    or_listed,
    reply_as,
    spread_over,
)
from switchboard.providers.rules_agent.offers import _ADDED_TO_VISIT_RE, Offers
from switchboard.providers.rules_agent.patterns import (
    ANOTHER_ASK_RE,
    CANCEL_RE,
    DAY_MENTION_RE,
    EVERY_RE,
    HOURS_ASKED_RE,
    JOIN_RE,
    LATEST_RE,
    MOVE_RE,
    MOVE_TIME_RE,
    MOVED_TO_QUESTION,
    NEXT_FREE_RE,
    NEXT_TO_BOOKING_RE,
    POINTED_VISIT_RE,
    REFUSED_FOR_RE,
    SAID_SLOT_RE,
    SENTENCE_RE,
    SIDE_RE,
    WEEK_SAID_RE,
    WHENEVER_RE,
    WHICH_ONE_RE,
)
from switchboard.understanding import answers
from switchboard.understanding.subjects import WEEKDAY_NAMES, is_name
from switchboard.understanding.text import normalise
from switchboard.understanding.when import (
    BOOKING_WEEK_ASKED_RE,
    When,
    merge,
    without_past_days,
)
from switchboard.understanding.windows import read_window

# Our open "when to?" of a move (``reschedule`` with no new time): the booking is named by its slot.
# A day beside another booking's: "the day after her groom", "the day before max's jab"
_DAY_BESIDE_BOOKING_RE = re.compile(
    r"\bthe\s+day\s+(?P<side>after|before)\s+(?:his|her|their|its|the|[a-z]+'s)\s+[a-z]"
)
# Every booking of one day: "move everything we've got on thursday to friday", "all of them on
# wednesday", "both tomorrow's"
_EVERY_ON_DAY_RE = re.compile(
    r"\b(?:everything|everyone|all(?:\s+of\s+them)?|both|them)\s+(?:(?:we've|we\s+have|i've"
    r"|i\s+have|we|i)\s+(?:got|booked|have)(?:\s+in)?\s+)?(?:on|for)\s+(?P<day>(?:this\s+|next\s+)?"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow))\b"
)
_MOVE_WHEN_RE = re.compile(
    r"(?:^Sure\. |^Just to check: .+\? )When would you like to move the appointment"
    r"(?: for (?P<who>.+?))? on (?P<slot>.+?) to\?$"
    # ... and our word that a move asked for lands where the booking already is
    r"|^The appointment(?: for (?P<who2>.+?))? is already on (?P<slot2>.+?)\. When would you"
    r" like it instead\?$"
)
# A booking told as someone made it, with its day and time: "my mum booked pumpkin in for
# tuesday at half 10 i think".
_BOOKING_TOLD_CLAUSE_RE = re.compile(
    r"\b(?:i|we|he|she|they|(?:my|our)\s+[a-z]+)\s+(?:already\s+|'ve\s+|have\s+|has\s+)?booked\s+"
    r"[a-z]+(?:'s)?\s+(?:in\s+)?(?:for\s+)?[^,.;?!]{0,40}?(?:\d{1,2}(?:[:.]\d{2})?|half\s+\d{1,2}"
    r"|quarter\s+(?:past|to)\s+\d{1,2})(?:\s*[ap]m)?(?:\s+i\s+think)?"
    # the booked time said as it stands: "for Bobo wednesday, now is 10h, I prefer 16h" (set
    # 224), "it's at 10 now", "currently 9.30"
    r"|\b(?:now\s+(?:it\s+)?is|now\s+it's|it's\s+now|currently(?:\s+it's|\s+is)?)\s+(?:at\s+)?"
    r"\d{1,2}(?:[:.h]\d{2}|h)?(?:\s*[ap]m)?\b"
    r"|\bit's\s+at\s+\d{1,2}(?:[:.h]\d{2}|h)?(?:\s*[ap]m)?\s+now\b"
    # the booked time given up: "we won't make boots' 9.30, can we do 12 instead?" (set 233)
    r"|\b(?:won't|wont|can't|cant|cannot|will\s+not|not\s+going\s+to)\s+make\s+(?:it\s+(?:to|for)\s+)?"
    r"(?:[a-z]+(?:'s|')|his|her|their|the|our|my)\s+\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?\b"
)
# A booking left as it is: "leave ginger's where it is", "keep max's as it is" (set 138).
_LEFT_WHERE_IT_IS_RE = re.compile(
    r"\b(?:leave|keep)\s+(?:it|that|\w+'s(?:\s+(?:one|1|appointment|booking))?)\s+"
    r"(?:where\s+it\s+is|as\s+it\s+is|as\s+is|alone)\b"
)
# A day naming the visit whose service is changed: "luna's jab tomorrow be changed to a
# checkup", "the thursday one changed to a groom" (the day before the change, none after it).
_DAY_THEN_CHANGED_RE = re.compile(
    r"\b(?:today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|one)\s+(?:to\s+)?"
    r"(?:be\s+)?(?:changed|change|switched|swapped|turned|made)\s+(?:in)?to\s+(?:an?\s+)?"
    r"(?![a-z]*day\b)[a-z]"
)
# A message correcting itself as it goes: "thursday at 2, no sorry 3", "at 10 or rather 11",
# "friday, no wait, saturday", "tuesday... actually wednesday is better" (commas are gone from
# the normalised text).
_SELF_CORRECTION_RE = re.compile(
    r"(?:\bno,?\s+(?:sorry|wait|hang\s+on|hold\s+on)\b|\bsorry,?\s+(?:no\b|i\s+mean(?:t)?\b)"
    r"|\bwait,?\s+no\b"
    # ("friday at half 3? no hang on, make it 4", set 143)
    r"|\b(?:hang|hold)\s+on,?\s+(?=make\s+it\b)|\bno,?\s+make\s+it\b"
    # ("saturday at 9.30 … or would 11 be better? no, stick with 9.30", set 145)
    r"|\bno,?\s+(?:let's\s+|i'll\s+|we'll\s+)?(?:stick|keep\s+it)\s+(?:with|at|to)\b"
    # (not inside what is said: "saturday morning would actually be best")
    r"|\bor\s+rather\b|\bmake\s+that\b"
    # "tues at 3 … ugh sorry, wednesday! not tues", "tomorrow at 2 - sorry, 12", "friday at 9 …
    # wait did I put 9? 10!" (set 161)
    r"|\bsorry,?\s+(?=(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|\d))"
    r"|\bdid\s+i\s+(?:put|say|write|type)\s+\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?\b"
    r"|(?<!\bwould\s)(?<!\bwill\s)(?<!\bis\s)(?<!\bit's\s)(?<!\bthat's\s)\bactually\b)"
)
# A time taken back and no other given: "no sorry not 3", "not 3 sorry".
_NOT_A_TIME_RE = re.compile(
    r"^[\s,.!]*not\s+(?:at\s+)?\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?(?:\s+(?:sorry|oops|my\s+bad))?[\s,.!]*$"
)
# A bare hour first in a correction: "no sorry 3", "or rather 11:30".
_BARE_HOUR_FIRST_RE = re.compile(
    r"^[\s,.!]*(?:(?:wait|actually|sorry|no|make\s+it)[\s,.!]+)*(?P<hour>\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)"
    r"(?!\s*(?:st|nd|rd|th)\b)(?:$|[\s,.!?])"
)
# "next thursday": a weekday said with "next" (which week it means is the reader's to judge).
# A booking named by its day: "saturday's", "tomorrow's", "the friday one", "the one on friday".
_DAYS_BOOKING_RE = re.compile(
    r"\b(?P<day>today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)'s\b"
    r"|\bthe\s+(?P<day2>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+"
    r"(?:one|appointment|booking)\b"
)
# A service added in a clause of its own: "and add a nail trim", "plus a jab".
_ADD_A_SERVICE_RE = re.compile(r"\b(?:add|plus|also)\s+(?:a|an|his|her|their)\s+\w")
# The one booking moved as "it": "push it to 11.30", "can we move it to friday", "make it 3".
_IT_MOVED_RE = re.compile(
    r"\b(?:move|push|shift|bring|change|put|switch|make|reschedule)\s+(?:it|ours|that|the\s+"
    r"(?:appointment|appt|booking))\b"
)
_NEXT_WEEKDAY_RE = re.compile(r"\bnext\s+(?P<day>mon|tue|wed|thu|fri|sat|sun)[a-z]*\b(?!\s+week)")


# A reply of one word to our move questions: "same", "later", "4".
_SAME_ALONE_RE = re.compile(r"(?:the\s+)?same(?:\s+time)?(?:\s+(?:please|pls|thanks))?\W*")
_SIDE_ALONE_RE = re.compile(
    r"(?:a\s+bit\s+|bit\s+|a\s+little\s+)?(?P<side>later|earlier|sooner)(?:\s+(?:please|pls))?\W*"
)
_BARE_HOUR_RE = re.compile(r"(?:at\s+)?(?P<hour>\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)\s*\??")


# A booking picked by its place in our list: "the 2nd one", "the first", "the last one pls".
_PLACE_PICKED_RE = re.compile(
    r"(?:the\s+)?(?P<place>1st|first|2nd|second|3rd|third|last|latter|former)(?:\s+(?:1|one))?"
    r"(?:\s+(?:please|pls|thanks))?\W*"
)


# Which of two times is better, asked: "is 9 or 11 better for Oscar's groom?", "would 10 or
# 2 be easier?", "is 9.30 or 10 free on friday?".
_EITHER_TIME_RE = re.compile(
    r"\b(?:is|would|will|which\s+(?:is|would\s+be))\s+(?:(?:on\s+)?(?:[a-z]+day|tomorrow)\s+(?:at\s+)?)?"
    r"(?P<a>\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)\s+or\s+"
    r"(?P<b>\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)\s+(?:be\s+)?(?:better|best|easier|quieter|free"
    r"|ok|okay|possible|available|good|any\s+good)\b"
)


# The booking's own time on another day: "have you got the same time another day this week?"
_SAME_TIME_OTHER_DAY_RE = re.compile(
    r"\bsame\s+time\b.{0,20}\b(?:another|a\s+different|other|any\s+other)\s+day\b"
    r"|\b(?:another|a\s+different|other|any\s+other)\s+day\b.{0,20}\bsame\s+time\b"
)


# A booking's time before it was moved: "put rex back to the original time", "back to the old
# slot".
_ORIGINAL_TIME_RE = re.compile(
    r"\b(?:original|old|previous|former|earlier|first)\s+(?:time|slot|day|appointment|booking)\b"
    r"|\bback\s+to\s+(?:how|where|what)\s+(?:it|he|she)\s+(?:was|had)\b"
)


# Every pet of the request: "for both of them", "all of them", "the two of them", "both".
_BOTH_OF_THEM_RE = re.compile(
    r"\b(?:both(?:\s+of\s+(?:them|em))?|all\s+of\s+them|the\s+(?:two|2|three|3)\s+of\s+them)\b"
)
# The first time of a day: "first thing that morning", "1st thing tomorrow" (normalised).
_FIRST_THING_RE = re.compile(r"\b(?:first|1st)\s+thing\b")
# One pet's booking pointed at by a pronoun: "could his be at 10 instead?", "move hers to 3",
# "can her one go to friday" (normalised).
_ONE_PETS_RE = re.compile(
    r"\b(?:could|can|would|will)\s+(?:his|hers|(?:his|her)\s+(?:one|appointment|appt|booking))\s+"
    r"(?:be|go|move|come)\b|\b(?:move|make|push|put|change|shift)\s+(?:his|hers)\b(?!\s+(?:and|&))"
)


# A booked visit's time asked: "what time is Nellie's dental on Friday?", "when's his jab?",
# "what time is pumpkin booked in for on thursday?".
_BOOKING_TIME_ASKED_RE = re.compile(
    r"\b(?:what\s+time|when)\s+(?:is|'s|was)\s+(?:[a-z]+'s|my|his|her|their|our)\b|\bwhen's\s+"
    r"(?:[a-z]+'s|my|his|her|their|our)\b"
    r"|\b(?:what\s+time|when)\s+(?:is|'s|was)\s+[a-z]+\s+(?:booked|in|due|coming)\b"
)
# A change asked only if the booked time is on one side of a time: "if its after 3 can you …".
_TIME_CONDITION_RE = re.compile(
    r"\bif\s+(?:it's|its|it\s+is|that's|thats|she's|he's)\s+(?P<side>after|before|later\s+than"
    r"|earlier\s+than)\s+(?P<clock>\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)\b,?"
)


# A booking moved "from <its day> to then": to the time the message asked about before.
# The latest start asked for outright ("as late as possible"; "the end of the day" is offered as
# that day's last times).
_AS_LATE_AS_RE = re.compile(
    r"\bas\s+late\s+as\s+(?:possible|poss|you\s+can|you\s+go|you've\s+got)\b"
    r"|\bthe\s+later\s+the\s+better\b|\b(?:just|right)\s+before\s+(?:you\s+|u\s+)?(?:close|shut)\b"
)
# A newcomer taking the moved booking's own slot: "could wilbur take her slot".
_TAKES_ITS_SLOT_RE = re.compile(
    r"\b(?:take|have|get|use)\s+(?:his|her|their|its|the|that|[a-z]+'s)\s+(?:slot|spot|place"
    r"|time|appointment)\b"
)
# A weekday after the booking's: "can that go to the monday after instead?"; not an absence's
# bound ("until the 20th … the monday after", read with the day).
_THE_WEEKDAY_AFTER_RE = re.compile(
    r"\bthe\s+(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday)\s+after\b"
    r"(?!\s+(?:next|that|this|the|christmas|xmas|new|easter|\d))"
)
# One of the bookings we listed, picked by its weekday at the start of the message: "oh the
# tuesday one obviously, …".
_DAY_ONE_PICKED_RE = re.compile(
    r"^(?:(?:oh|ok|um+|sorry|yes|yeah)\s+)?the\s+(?P<day>mon|tues|wednes|thurs|fri|satur)day\s+"
    r"(?:1|one|appointment|appt|booking)\b"
)
# One of the bookings we listed, picked by its order: "the later one", "the first one", "2nd".
_ONE_BY_ORDER_RE = re.compile(
    r"\b(?:the\s+)?(?:(?P<late>later|latest|last)|(?P<second>second|2nd)|(?P<early>earlier|earliest"
    r"|first|1st|sooner|soonest))(?:\s+(?:one|1|appointment|booking))?\s*$"
    # ... opening the message, a reason after it: "the 2nd one pls, turns out he had it done at
    # the breeders" (set 228)
    r"|^(?:(?:oh|ok|um+|sorry)\s+)?the\s+(?:(?P<late2>later|latest|last)|(?P<second2>second|2nd)"
    r"|(?P<early2>earlier|earliest|first|1st|sooner|soonest))\s+(?:one|1|appointment|booking)\b"
)
# The first free time asked for: "the earliest you have next week", "first available".
_EARLIEST_IN_WEEK_RE = re.compile(
    r"\b(?:the\s+)?(?:earliest|soonest|first)\s+(?:you\s+have|you've\s+got|you\s+can|available"
    r"|slot|free|possible|one)\b"
)
_UNTIL_RE = re.compile(r"\b(?:until|till|til|back\s+on|home\s+on)\b")
# A booking named by its time, moved to another: "ollie's 11 o'clock to 12", "the 3pm to 4".
_OWN_TIME_TO_RE = re.compile(
    r"(?:'s|\bthe|\bhis|\bher|\btheir)\s+(?P<own>\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|o'?clock)?)\s+"
    r"(?:(?:one|appointment|appt|slot|booking|jab|groom|check-?up)\s+)?to\s+(?=\d|half|quarter)"
)
_FROM_DAY_TO_THEN_RE = re.compile(r"\bfrom\s+(?:this\s+|next\s+)?[a-z]+\s+to\s+then\b")


class Moving(Offers):
    """Moving a booking: the visit meant, its new day and time, asked when missing."""

    def slot_before_move(self, booking: BookingView) -> When | None:
        """The day and time ``booking`` had before it was last moved, from our messages that
        said it ("Done: Rex's check-up on Wednesday 9 December at 10:00." before "Done: Rex's
        check-up moved to … 15:00."); None when no message of ours names another."""
        now = self.local(booking.slot_start)
        pet = booking.subject.lower()
        for turn in reversed(self.context.history):
            if turn.direction is not Direction.OUTBOUND or pet not in turn.text.lower():
                continue
            for found in reversed(list(SAID_SLOT_RE.finditer(turn.text))):
                said = self.read(normalise(found.group(0)))
                if (
                    said.day is not None
                    and said.clock is not None
                    and (said.day, said.clock) != (now.date(), now.time())
                ):
                    return When(day=said.day, clock=said.clock)
        return None

    def same_time_other_day(self, booking: BookingView) -> AgentDecision | None:
        """ "have you got the same time another day this week?": the booking moved to the first
        day after today (its own skipped) with its time free, read back with the next such day
        beside it; None when no day in the next week has it free."""
        local = self.local(booking.slot_start)
        found: list[AgentDecision] = []
        today = self.local_now.date()
        for ahead in range(1, 8):
            day = today + timedelta(days=ahead)
            if day == local.date():
                continue
            decision = self.book(When(day=day, clock=local.time()), moving=booking)
            proposal = decision.proposal
            if proposal is not None and self.local(proposal.slot_start) == datetime.combine(
                day, local.time(), tzinfo=local.tzinfo
            ):
                found.append(decision)
            if len(found) == 2:
                break
        if not found:
            return None
        first = found[0]
        if len(found) > 1 and found[1].proposal is not None:
            also = self.local(found[1].proposal.slot_start).strftime("%A %-d %B")
            said = f"The same time is free on {also} too."
            head, ask, rest = first.reply.partition(" Reply YES")
            first.reply = f"{head} {said}{ask}{rest}" if ask else f"{first.reply} {said}"
        return first

    def either_time_asked(self) -> AgentDecision | None:
        """ "is 9 or 11 better for Oscar's groom on saturday?": the two times offered as they
        are free ("I can offer … at 09:00 or … at 11:00. Which would suit you?"), or the one of
        them that is read back. None unless the message asks which of two times is better
        (free, possible) and a day is known, or when neither is free (the usual reading)."""
        found = _EITHER_TIME_RE.search(self.text)
        if found is None or self.pending is not None:
            return None
        moving, when = None, self.when
        if asks_move(self.text):
            # "need to move toby's thursday appt, is friday 9.15 or 12 any good?": the day
            # after the booking's own
            theirs = self.targets()
            if len(theirs) != 1:
                return None
            moving, booked = theirs[0], self.local(theirs[0].slot_start)
            when = self.when_after_first_day(None) if self.when.day == booked.date() else when
        if when.day is None or (moving is not None and when.day == booked.date()):
            return None
        free: list[tuple[AgentDecision, BookingProposal]] = []
        for said in (found["a"], found["b"]):
            clock = self.read(f"at {said}").clock
            if clock is None:
                return None
            decision = self.book(replace(when, clock=clock, part=None), moving=moving)
            proposal = decision.proposal
            if proposal is not None and self.local(proposal.slot_start).time() == clock:
                free.append((decision, proposal))
        if len(free) == 1:
            return free[0][0]
        if len(free) != 2:
            return None
        (_, first), (_, second) = free
        return reply_as(
            Intent.CLARIFY,
            f"Both are free{for_(first.subject)}. I can offer {self.say(first.slot_start)} or "
            f"{self.say(second.slot_start)}. Which would suit you?",
        )

    def one_pointed_by_pronoun(self, targets: list[BookingView]) -> list[BookingView]:
        """Of several pets' ``targets``, the one a "his" or "hers" points at: the pet named last
        before it ("I can't hand Bella over and hold Rocco at the same time, could his be at 10
        instead?": Rocco's). ``targets`` as they are when the message has no such pronoun or
        names none of them before it, unless one was just booked (that one)."""
        found = _ONE_PETS_RE.search(self.text)
        if found is None or len({b.subject.lower() for b in targets}) < 2:
            return targets
        before = self.text[: found.start()]
        said_at = {
            b.subject.lower(): max(
                (m.start() for m in re.finditer(rf"\b{re.escape(b.subject.lower())}\b", before)),
                default=-1,
            )
            for b in targets
        }
        last = max(said_at, key=lambda name: said_at[name])
        if said_at[last] < 0:
            # "Done: Milou is booked …" / "… can we move hers to Tuesday the 15th?": hers
            done = [b for b in self.bookings_done_named() if b in targets]
            return done if len(done) == 1 else targets
        return [b for b in targets if b.subject.lower() == last]

    def reschedule(self) -> AgentDecision:
        mixed = (
            self.looked_up_then_moved()
            or self.slot_handed_over()
            or self.move_and_cancel()
            or self.move_and_book()
            or self.swap()
        )
        if mixed is not None:
            return mixed
        references = self.pets_referred_to() | {k.lower() for k in self.kept}
        movers = [s for s in self.subjects if s.lower() not in references]
        targets = self.in_clause_of(
            MOVE_RE, self.first_booking_said(self.targets(movers if references else None))
        )
        kept = {k.lower() for k in self.kept}
        excepted = self.pets_kept()
        if excepted:
            # "move all but bella to thursday": every other pet's booking, never Bella's
            targets = [b for b in self.upcoming if b.subject.lower() not in excepted]
            self.subjects = [s for s in self.subjects if s.lower() not in excepted]
        targets = [b for b in targets if b.subject.lower() not in kept]  # "max stays"
        on_day = _EVERY_ON_DAY_RE.search(self.text)
        day_said = self.read(on_day["day"]).day if on_day is not None else None
        if day_said is not None:
            # "move everything we've got on thursday to friday": Thursday's, not every booking
            targets = [b for b in targets if self.local(b.slot_start).date() == day_said] or targets
        reminded = self.reminded_booking()
        if reminded is not None and not movers and len(targets) > 1:
            targets = [reminded]  # "4pm?" answering our reminder: the booking it was about
        # "can she do friday instead? … her groom next week stays": never the groom
        targets = self.without_bookings_kept(targets)
        targets = self.one_pointed_by_pronoun(targets)
        named_by_us = self.booking_we_named() if not movers else None
        if (
            named_by_us is not None
            and len(targets) > 1
            and named_by_us in targets
            and named_by_us.subject.lower() not in references  # "the same time as her"
        ):
            # "is Ziggy still booked in for thursday?" / "… Thursday 10 December at 10:00." /
            # "can you move him to the afternoon instead?": that booking
            targets = [named_by_us]
        if not targets:
            return self.none_for_pets_named("move") or reply_as(
                Intent.CLARIFY,
                "I can't find an upcoming appointment to move. Would you like to book one?",
            )
        if self.meant_each(targets, [s for s in self.subjects if is_name(s)]):
            return self.moves_each(targets)
        mixed_up = self.another_pets_visit(targets)
        if mixed_up is not None:
            return mixed_up
        by_service = self.booking_referred_by_service()
        if by_service is not None and len(targets) > 1:
            # "the tuesday one, can that go to the same day as the dental?": never the dental
            targets = [b for b in targets if b.id != by_service.id]
        if len(targets) > 1 and not answers.services_changed_to(self.text, self.profile):
            # "can we move the dental to friday morning?": the one booking of the service named
            # says which, before any day said (Friday is where it goes)
            said = {s.key for s in answers.services_named(self.text, self.profile)}
            of_service = [b for b in targets if b.service in said]
            targets = of_service if len(of_service) == 1 else targets
        if len(targets) > 1:
            named_targets, mention = self.booked_on_a_day_said(targets)
            if mention is not None and re.match(
                r"\s*(?:instead\s+of|rather\s+than)\b", self.text[mention[1] :]
            ):
                # "can we do thursday instead of tuesday": the day wanted, not the booking's
                mention = None
            else:
                targets = named_targets
            if mention is not None:
                # "move the one on the 11th to saturday at 10": the 11th says which booking;
                # the new day and time are read from the rest
                rest = f"{self.text[: mention[0]]} {self.text[mention[1] :]}"
                self.when = self.read(rest)
        elif len(targets) == 1:
            self.when = self.when_besides_booked_day(targets[0])
            own = _OWN_TIME_TO_RE.search(self.text)
            booked_at = self.local(targets[0].slot_start).time()
            if own is not None and self.read(f"at {own['own']}").clock == booked_at:
                # "can you push ollie's 11 o'clock to 12??" (set 168): 11 is the booking's, the
                # new time what follows (not "the garage says not before 11" before it)
                self.when = self.read(self.text[own.end("own") :])
            told = _BOOKING_TOLD_CLAUSE_RE.search(self.text)
            if told is not None:
                # "my mum booked pumpkin in for tuesday at half 10 I think, could we push it to
                # 12 instead?": the day and time told are the booking's as remembered, the move
                # is to the rest's, on the booking's own day when none other is said (set 138)
                moved_to = self.read(f"{self.text[: told.start()]} {self.text[told.end() :]}")
                if moved_to.clock is not None:
                    booked_day = self.local(targets[0].slot_start).date()
                    self.when = replace(moved_to, day=moved_to.day or booked_day)
        # "can you move the grooming to saturday morning", "the 4 o'clock one on wednesday",
        # "ziggy's teeth cleaning": the one booking pointed at
        pointed = self.one_pointed_at(targets)
        if len(pointed) < len(targets) and POINTED_VISIT_RE.search(self.text):
            # "the 4 o'clock one … moved to 5": 4 o'clock is the booking's, 5 the new time
            self.when = self.read(POINTED_VISIT_RE.sub(" ", self.text))
        targets = pointed
        if len(targets) > 1:
            return self.which_one("move", targets)
        owned = _DAYS_BOOKING_RE.search(self.text) if self.pet_day is None else None
        owned_day = self.read(owned["day"] or owned["day2"]).day if owned is not None else None
        if owned_day is not None and all(
            self.local(b.slot_start).weekday() != owned_day.weekday() for b in targets
        ):
            # "move saturday's to monday" with nothing booked on a Saturday: which one, never
            # another day's on its own say-so
            asked = self.which_one("move", targets)
            return asked.model_copy(
                update={
                    "reply": f"I can't find an appointment on {owned_day:%A %-d %B}. {asked.reply}"
                }
            )
        booking = targets[0]
        old = When(
            day=self.local(booking.slot_start).date(),
            clock=self.local(booking.slot_start).time(),
        )
        wanted = self.wanted_instead_of(self.local(booking.slot_start))
        if _EARLIEST_IN_WEEK_RE.search(self.text) and WEEK_SAID_RE.search(self.text):
            # "I've been called in to work on friday morning 🙄 can koko's dental go to the
            # earliest you have next week instead?" (set 184): that week's first free time,
            # whatever day the reason named
            service = self.keyed_service(booking.service)
            day = self.first_free_day_in_week_said(service)
            starts = self.free_starts(day, service, booking) if day is not None else []
            if starts:
                first = self.local(starts[0])
                return self.book(When(day=first.date(), clock=first.time()), moving=booking)
        after = _THE_WEEKDAY_AFTER_RE.search(self.text)
        if after is not None and old.day is not None and not _UNTIL_RE.search(self.text):
            # "hugo's dental on friday, can that go to the monday after instead?" (set 170):
            # the first Monday after the booking's day
            weekday = WEEKDAY_NAMES.index(after["weekday"])
            shift = (weekday - old.day.weekday() - 1) % 7 + 1
            wanted = replace(wanted, day=old.day + timedelta(days=shift))
        to_then = _FROM_DAY_TO_THEN_RE.search(self.text)
        if to_then is not None:
            # "anything on wednesday around 5? if there's a 5 o'clock could you move ollie's
            # appointment from tomorrow to then": the time asked about (set 144)
            then = self.read(f"{self.text[: to_then.start()]} {self.text[to_then.end() :]}")
            if then.day not in (None, old.day) or then.clock not in (None, old.clock):
                wanted = then
        hours = HOURS_ASKED_RE.search(self.text)
        if hours is not None and wanted.clock is None and wanted.day is not None:
            # "what time are you open till on fridays? might need to move Bella's": Friday is
            # the hours' day, not where she goes
            rest = f"{self.text[: hours.start()]} {self.text[hours.end() :]}"
            if self.read(rest).day is None:
                wanted = replace(wanted, day=None)
        reference = next(
            # (a pet only said to stay as it is gives no time: "same time? … mabel's groom stays")
            (
                b
                for b in self.upcoming
                if b.subject.lower() in self.pets_referred_to() and b.id != booking.id
            ),
            by_service if by_service is not None and by_service.id != booking.id else None,
        )
        beside = NEXT_TO_BOOKING_RE.search(self.text)
        if reference is not None and beside is not None and wanted.clock is None:
            # "put Luna's jab on the same day as Oscar's groom, right after it": when Oscar's
            # visit ends ("right before": ending as it starts)
            if reference.subject.lower() != booking.subject.lower():
                # (a visit of the same pet is named by its service: "move archie's jab to
                # right after his check up", set 225)
                reference = self.visit_named(reference)
            there = self.local(reference.slot_start)
            if beside["side"] == "after":
                length = self.keyed_service(reference.service).duration_minutes
                there += timedelta(minutes=length)
            else:
                there -= timedelta(minutes=self.keyed_service(booking.service).duration_minutes)
            return self.book(When(day=there.date(), clock=there.time()), moving=booking)
        own_side = SIDE_RE.search(self.text)
        if own_side is not None and own_side["after"]:
            # "the first free slot after his current one? we're running late that morning":
            # the nearest free time after it, whatever else the message says of the day
            sided = self.booking_to_side()
            if sided is not None:
                return sided
        next_day = _DAY_BESIDE_BOOKING_RE.search(self.text)
        if next_day is None and reference is not None:
            # "can percy come the day after hugo instead of tuesday? same time as him" (set
            # 188): the day beside the pet named, its booking's
            next_day = re.search(
                rf"\bthe\s+day\s+(?P<side>after|before)\s+{re.escape(reference.subject.lower())}\b",
                self.text,
            )
        if reference is not None and next_day is not None:
            # "move Nala's check-up to the day after her groom? same time as the groom": the
            # day after the groom's, at the groom's time (else the time said, else its own)
            there = self.local(reference.slot_start)
            beside_day = there.date() + timedelta(days=1 if next_day["side"] == "after" else -1)
            as_its = re.search(r"\bsame\s+time\s+as\b", self.text) is not None
            clock = there.time() if as_its else (self.when.clock or old.clock)
            return self.book(When(day=beside_day, clock=clock), moving=booking)
        day_only = re.search(r"\bsame\s+day\s+as\b", self.text) is not None
        if reference is not None and (wanted.clock is None or day_only):
            # "move the thursday one to friday, same time as bella": Bella's time (and day,
            # unless another is said); "the tuesday one … to the same day as the dental … about
            # 10": the dental's day (Tuesday named the booking), the time said or its own
            there = self.local(reference.slot_start)
            # ("the same day as Cookie's groom? same time ideally": Cookie's time too)
            with_its_time = not day_only or (
                wanted.clock is None and re.search(r"\bsame\s+time\b(?!\s+as\b)", self.text)
            )
            wanted = replace(
                wanted,
                # ("could Nutkin's jab move from Thursday to the same time as Ginger's": the day
                # it leaves is no day asked for)
                day=there.date()
                if day_only or wanted.day == self.local(booking.slot_start).date()
                else wanted.day or there.date(),
                clock=there.time() if with_its_time else wanted.clock,
            )
        if wanted.clock is None and wanted.part is None and LATEST_RE.search(self.text):
            wanted = replace(wanted, part="evening")  # "to the end of the day": its last times
        if wanted.weekday_clash is not None and wanted.day is None:
            return reply_as(Intent.CLARIFY, self.weekday_clash_on_move(wanted, booking))
        changing = self.new_service_of(booking)
        if not (wanted.day or wanted.clock) and WEEK_SAID_RE.search(
            # ("when's rex in this week? can we make it later in the day": his week, set 182)
            BOOKING_WEEK_ASKED_RE.sub(" ", self.text)
        ):
            # "cancel luna's and rebook for next week": that week's first day with room, its times
            # ("next week instead? a morning would be best": its morning times)
            day = self.first_free_day_in_week_said(
                self.keyed_service(booking.service), part=wanted.part
            )
            if day is not None and day != self.local(booking.slot_start).date():
                return self.ask_move_time(booking, When(day=day, part=wanted.part))
        if (
            changing is not None
            and wanted.clock is None
            and wanted.day is not None
            and _DAY_THEN_CHANGED_RE.search(self.text)
        ):
            # "can luna's jab tomorrow be changed to a checkup instead" (it is on Wednesday):
            # the day said which visit, wrongly; the service changes, the day is said back
            return self.change_service(booking, changing)
        if not (wanted.day or wanted.clock or wanted.part):
            if changing is not None:  # "can I change Max's appointment to a dental?"
                return self.change_service(booking, changing)
            if re.search(r"\b(?:later|earlier|sooner)\b.{0,20}\b(?:that|same)\s+day\b", self.text):
                # "something came up, is there anything later that day?": its later times
                return self.ask_move_time(booking, When(day=old.day))
            if wanted.past_day is not None:
                # "could daisy's appointment be moved to 4/12, same time" (the 4th is gone): said
                # so, never ignored (set 153)
                past = wanted.past_day.strftime("%A %-d %B")
                return reply_as(
                    Intent.CLARIFY,
                    f"{past} has already passed. Which day would you like the appointment"
                    f"{for_(booking.subject)} on {self.say(booking.slot_start)} moved to?",
                )
            too_far = self.month_past_horizon()
            if too_far is not None:
                # "any chance we could push it to april?" (set 182): not yet, and it stays
                return reply_as(
                    Intent.CLARIFY,
                    f"{too_far.removesuffix(' Please message us again nearer the time.')} "
                    f"The appointment{for_(booking.subject)} stays on "
                    f"{self.say(booking.slot_start)} unless you'd like another day before then.",
                )
            return reply_as(
                Intent.CLARIFY,
                f"Sure. When would you like to move the appointment{for_(booking.subject)} on "
                f"{self.say(booking.slot_start)} to?",
            )
        if wanted.clock is None and _FIRST_THING_RE.search(self.text):
            # "could Toby's grooming be moved to first thing that morning instead?": the day's
            # first free time
            day = wanted.day or old.day
            assert day is not None
            free = self.free_starts(day, self.keyed_service(booking.service), booking)
            if free:
                return self.book(When(day=day, clock=self.local(free[0]).time()), moving=booking)
        if wanted.clock is None and _AS_LATE_AS_RE.search(self.text) and names_part_only(wanted):
            # "as late as possible the same day? 2.30 clashes" (set 173): its day's last start
            return self.book(replace(wanted, day=wanted.day or old.day), moving=booking)
        if names_part_only(wanted) and wanted.day is not None and read_window(self.text):
            # "earlier in the morning? he needs to be done by 10:30": the first time that fits
            return self.book(wanted, moving=booking)
        if names_part_only(wanted):
            return self.ask_move_time(booking, wanted)
        if wanted.clock is None and _ORIGINAL_TIME_RE.search(self.text):
            before = self.slot_before_move(booking)
            if before is not None:
                return self.book(before, moving=booking)
        if wanted.day in (None, old.day) and _SAME_TIME_OTHER_DAY_RE.search(self.text):
            other = self.same_time_other_day(booking)
            if other is not None:
                return other
        if (
            NEXT_FREE_RE.search(self.text)
            and wanted.clock is None
            and wanted.day in (None, old.day)
            and asks_move(self.text)
        ):
            # "daisy's booked in on the 17th … can we bring it forward? whatever's soonest": the
            # first free time from now, not that day's first
            soonest = self.first_free_time(When(), self.keyed_service(booking.service))
            if soonest.at(self.local_now) is not None:
                return self.book(soonest, moving=booking)
        if (
            wanted.clock is None
            and (wanted.day is not None or wanted.same_day)
            and (THE_EARLIEST_RE.search(self.text) or THE_LATEST_RE.search(self.text))
        ):
            # "moved to friday instead? the earliest you've got": that day's first free time,
            # not the booking's own ("as late as possible the same day": its own day, set 173)
            return self.book(replace(wanted, day=wanted.day or old.day), moving=booking)
        target = merge(wanted, old)
        if target.day == old.day and target.clock == old.clock and changing is not None:
            # "could we do a dental instead of the checkup on thursday": the day names the booking
            return self.change_service(booking, changing)
        next_named = _NEXT_WEEKDAY_RE.search(self.text)
        if (
            target.day == old.day
            and target.clock == old.clock
            and target.day is not None
            and next_named is not None
            and target.day.strftime("%a").lower() == next_named["day"]
        ):
            # "cancel luna thursday. rebook for next thursday same time", said of this
            # Thursday's booking: the Thursday after it, not the booked one again
            return self.book(replace(target, day=target.day + timedelta(days=7)), moving=booking)
        if target.day == old.day and target.clock == old.clock:
            # "push Max back a bit on wednesday": that day's booking, to the side asked
            sided = self.booking_to_side() if SIDE_RE.search(self.text) else None
            if sided is not None:
                return sided
            instead = [
                s
                for s in answers.services_named(self.text, self.profile)
                if s.key != booking.service
            ]
            if len(instead) == 1 and re.search(r"\b(?:change|switch|make)\b", self.text):
                # "booked for a check up on friday but it's actually her vaccination she needs.
                # can we change it to that, same time?": the service changed, not the day
                return self.change_service(booking, instead[0])
            if read_window(self.text) is not None:
                # "move teddy's wednesday appointment to after the school run? 8.30 is just
                # impossible" (set 173): the booked time is the one given up; the window's
                return self.book(replace(target, clock=None), moving=booking)
            return reply_as(
                Intent.CLARIFY,
                f"The appointment{for_(booking.subject)} is already on "
                f"{self.say(booking.slot_start)}. When would you like it instead?",
            )
        if changing is None:
            added = self.moved_and_added(booking, target)
            if added is not None:
                return added
        return self.book(target, moving=booking)

    def looked_up_then_moved(self) -> AgentDecision | None:
        """ "What time is Nellie's dental on Friday? Also can Rocky come earlier on Thursday,
        3.30?": the booked pets asked about are told their bookings, and the rest of the
        message is decided as a message of its own (set 141): never a move for the pets only
        asked about. None unless a question sentence asks a booked pet's time and names no pet
        the rest names, and the rest proposes something."""
        sentences = [s for s in SENTENCE_RE.split(self.context.message) if s.strip()]
        asked = [
            s
            for s in sentences
            if s.rstrip().endswith("?")
            and _BOOKING_TIME_ASKED_RE.search(normalise(s))
            and not asks_move(normalise(s))
        ]
        rest = [s for s in sentences if s not in asked]
        if not asked or not rest:
            return None
        named = {
            p.lower() for s in asked for p in self.pets_in(s, known=self.known, transcript=False)
        }
        others = {
            p.lower() for s in rest for p in self.pets_in(s, known=self.known, transcript=False)
        }
        theirs = [b for b in self.upcoming if b.subject.lower() in named]
        if not theirs or named & others:
            return None
        said = self.read(normalise(" ".join(asked)))
        if said.day is not None:
            theirs = [b for b in theirs if self.local(b.slot_start).date() == said.day] or theirs
        told = " ".join(
            f"Your appointment{for_(b.subject)}"
            f"{f' ({self.keyed_service(b.service).name})' if b.service else ''} is on "
            f"{self.say(b.slot_start)}."
            for b in theirs
        )
        remainder = " ".join(rest)
        condition = _TIME_CONDITION_RE.search(remainder)
        if condition is not None:
            # "… if its after 3 can you move her to friday morning": only if it is (set 144)
            bound = self.read(f"at {condition['clock']}").clock
            if bound is None or len(theirs) != 1:
                return None
            at = self.local(theirs[0].slot_start).time()
            if (at > bound) != (condition["side"] in ("after", "later than")):
                return reply_as(Intent.ASK_BOOKING, f"{told} So I've left it as it is.")
            remainder = f"{remainder[: condition.start()]} {remainder[condition.end() :]}"
        decision = self.decided_alone(remainder)
        if decision.proposal is None and not decision.proposals:
            return None
        return decision.model_copy(update={"reply": f"{told} {decision.reply}"})

    def visit_named(self, booking: BookingView) -> BookingView:
        """Of the pet of ``booking``, the upcoming visit the message names by its service
        right after the pet's name ("Oscar's groom"); ``booking`` when it names none or
        several."""
        own = [b for b in self.upcoming if b.subject.lower() == booking.subject.lower()]
        said = re.search(
            rf"\b{re.escape(booking.subject.lower())}'s\s+(\w+(?:[\s-]up)?)", self.text
        )
        if len(own) < 2 or said is None:
            return booking
        services = {s.key for s in answers.services_named(said[1], self.profile)}
        of_service = [b for b in own if b.service in services]
        return of_service[0] if len(of_service) == 1 else booking

    def moved_and_added(self, booking: BookingView, target: When) -> AgentDecision | None:
        """A move with another service added to the visit ("move max to thursday at 10 and add
        a nail trim while he's there"): the move, and that service booked for the pet when the
        moved visit ends (one appointment is one service), on one yes. None when the message
        adds no service, or more than one."""
        if not (_ADDED_TO_VISIT_RE.search(self.text) or _ADD_A_SERVICE_RE.search(self.text)):
            return None
        own = self.keyed_service(booking.service)
        added = [s for s in answers.services_named(self.text, self.profile) if s.key != own.key]
        start = target.at(self.local_now)
        if len(added) != 1 or start is None:
            return None
        end = start + timedelta(minutes=own.duration_minutes)
        self.keep_services = True  # each its own service
        decision = self.several(
            [
                Plan("reschedule", booking.subject, start.astimezone(UTC), own.key, booking),
                Plan("book", booking.subject, end.astimezone(UTC), added[0].key),
            ]
        )
        if decision.intent is Intent.PROPOSE_CHANGES:
            decision.reply = (
                f"One appointment is one service, so I can move the appointment"
                f"{for_(booking.subject)} to {self.say(start)} and book {a_an(added[0].name)} "
                f"straight after, at {end:%H:%M}. {self.ask()}"
            )
        return decision

    def move_and_book(self) -> AgentDecision | None:
        """One pet's booking moved and another pet, not booked yet, booked in the same message
        ("can you move Max to friday at 10 and book Luna in at the same time?"): both proposed
        together. The move takes the day and time of the clauses naming no newcomer ("same
        time" is the booking's); the newcomer the time of its own clause, or of a clause naming
        no pet right after it when the move has a time of its own ("…; his sister daisy needs a
        check up, half 3 if poss"), or the moved visit's end ("straight after him"), else the
        new time. None when the message names no newcomer asked for ("and book…", "too", "same
        time", a time of its own, "straight after him"), or not one booked pet to move, or no
        new time."""
        asked = ANOTHER_ASK_RE.search(self.text) or JOIN_RE.search(self.text)
        named = [s for s in self.subjects if is_name(s)]
        booked = {b.subject.lower() for b in self.upcoming}
        newcomers = [n for n in named if n.lower() not in booked]
        moving = [b for b in self.upcoming if b.subject.lower() in {n.lower() for n in named}]
        if not moving and len(self.upcoming) == 1 and _IT_MOVED_RE.search(self.text):
            # "push it to 11.30 and add bella too": "it" is the one booking
            moving = list(self.upcoming)
        if not newcomers or len(moving) != 1:
            return None
        booking = moving[0]
        local = self.local(booking.slot_start)
        old = When(day=local.date(), clock=local.time())
        clauses = [c for c in ask_clauses(self.context.message) if c]
        own: dict[str, When] = {}
        said_of: dict[str, list[str]] = {}  # each newcomer's clauses, normalised
        theirs: list[str] = []  # the clauses of no newcomer: the move's, or said of both
        trailing: list[tuple[str, str]] = []
        last: str | None = None  # the newcomer the clause before named, alone
        for clause in clauses:
            found = {p.lower() for p in self.pets_in(clause, known=named, transcript=self.voice)}
            fresh = [n for n in newcomers if n.lower() in found]
            if not found and last is not None:
                trailing.append((last, clause))
                continue
            last = fresh[0] if len(found) == 1 and len(fresh) == 1 else None
            if not fresh:
                theirs.append(clause)
            said = self.read(normalise(clause))
            for name in fresh:
                said_of.setdefault(name, []).append(normalise(clause))
                if said.clock is not None and not said.same_time:
                    own[name] = said
        mine = self.read(normalise(" ".join(theirs)))
        for name, clause in trailing:
            said = self.read(normalise(clause))
            if said.clock is not None and (mine.clock is not None or mine.same_time):
                own.setdefault(name, said)
            elif said.anything:
                theirs.append(clause)  # "move max to friday, and book luna in, at 10": both's
            else:
                said_of.setdefault(name, []).append(normalise(clause))
        side = {
            name: beside["side"]
            for name in newcomers
            if (beside := NEXT_TO_BOOKING_RE.search(" ".join(said_of.get(name, []))))
        }
        if not (asked or own or side):
            return None  # "move rufus to thursday, his sister daisy had her jab last week"
        rest = normalise(" ".join(theirs))
        mine = self.read(rest)
        # the move's own words say where it goes; with none ("can you move max, and book luna
        # in friday at 10"), the message's
        wanted = (
            self.wanted_instead_of(local, said=mine, text=rest)
            if mine.anything
            else self.wanted_instead_of(local)
        )
        target = merge(wanted, old)
        start = target.at(self.local_now)
        if start is None or (target.day, target.clock) == (old.day, old.clock):
            return None
        plans = [
            Plan("reschedule", booking.subject, start.astimezone(UTC), booking.service, booking)
        ]
        for name in newcomers:
            needs = self.profile.find_service(" ".join(said_of.get(name, [])))
            service = needs or self.service(None)
            if name in own:
                at = merge(own[name], target).at(self.local_now)
            elif _TAKES_ITS_SLOT_RE.search(" ".join(said_of.get(name, [])) or self.text):
                # "could wilbur take her slot, and move waffles to saturday at 10.45?" (set
                # 170): the slot the moved booking leaves
                at = self.local(booking.slot_start)
            elif name in side:
                # "straight after him": when the moved visit ends; "right before": ending as
                # it starts
                moved = timedelta(minutes=self.keyed_service(booking.service).duration_minutes)
                theirs_length = timedelta(minutes=service.duration_minutes)
                at = start + moved if side[name] == "after" else start - theirs_length
            else:
                at = start
            if at is None:
                return None
            plans.append(Plan("book", name, at.astimezone(UTC), service.key))
        self.keep_services = True  # the moved booking keeps its service ("she needs her jabs")
        return self.several(plans)

    def moves_each_answered(self) -> AgentDecision | None:
        """A day or time answering our "Which day and time would you like them moved to?"
        ("i need to change our appointments on wednesday" / … / "friday same time"): each of
        the bookings that request meant (the pets it named, on the day it named) moved there.
        None when our last message was not that question, this one says no day or time or
        names a pet, or the request meant fewer than two bookings."""
        history = self.context.history
        if len(history) < 2 or history[-1].direction is not Direction.OUTBOUND:
            return None
        if not history[-1].text.strip().endswith(MOVED_TO_QUESTION):
            return None
        at = customer_before_last(history)
        if at is None or not self.when.anything or self.subjects or self.pending is not None:
            return None
        earlier = normalise(history[at].text)
        named = {s.lower() for s in self.pets_in(earlier, known=self.known, transcript=False)} & {
            b.subject.lower() for b in self.upcoming
        }
        day = self.read(earlier).day
        targets = [
            b
            for b in self.upcoming
            if (not named or b.subject.lower() in named)
            and (day is None or self.local(b.slot_start).date() == day)
        ]
        if len(targets) < 2:
            return None
        return self.moves_each(targets)

    def another_pets_visit(self, targets: list[BookingView]) -> AgentDecision | None:
        """ "can Pancho's vaccination on thursday be moved to friday morning?" when Pancho's is
        on Wednesday for a check-up and Thursday's vaccination is Lola's (set 156): whose is
        asked, never Pancho's moved. None unless one pet's booking is the target and its day
        and service are not the ones said, while another pet's visit has both."""
        if len(targets) != 1:
            return None
        booking = targets[0]
        first = DAY_MENTION_RE.search(self.text)
        said_day = self.read(first.group(0)).day if first is not None else None
        said = {s.key for s in answers.services_named(self.text, self.profile)}
        if said_day is None or not said or booking.service in said:
            return None
        if self.local(booking.slot_start).date() == said_day:
            return None
        theirs = [
            b
            for b in self.upcoming
            if b.subject.lower() != booking.subject.lower()
            and self.local(b.slot_start).date() == said_day
            and b.service in said
        ]
        if len(theirs) != 1:
            return None
        other = theirs[0]
        return reply_as(
            Intent.CLARIFY,
            f"Just to check: the appointment{for_(booking.subject)} is on "
            f"{self.say(booking.slot_start)} "
            f"({a_an(self.keyed_service(booking.service).name)}), and the "
            f"{self.keyed_service(other.service).name} on {self.say(other.slot_start)} is "
            f"{other.subject}'s. Which one would you like to move?",
        )

    def said_for_others(self, pets: set[str]) -> When | None:
        """The day and time said in this message's clauses naming one of ``pets`` (lower
        case): "and 2.45 for fudge if you can". None when no such clause says one."""
        if not pets:
            return None
        said = [
            self.read(normalise(c))
            for c in ask_clauses(self.context.message)
            if c and any(re.search(rf"\b{re.escape(p)}\b", c.lower()) for p in pets)
        ]
        return next((w for w in said if w.anything), None)

    def which_one_answered(self) -> AgentDecision | None:
        """A pet's name (or a booking's day) answering our "Which appointment should I move:
        …?" or "Which one should I change: …?", tied back to what the message before it asked
        for ("move our appointment to friday at 11" / "Bella"). None when our last message was
        not that question, or this one names no single booking of it or asks something new."""
        history = self.context.history
        if len(history) < 2 or history[-1].direction is not Direction.OUTBOUND:
            return None
        asked = WHICH_ONE_RE.match(history[-1].text.strip())
        at = customer_before_last(history)
        if asked is None or at is None:
            return None
        while (
            at >= 2
            and history[at - 1].direction is Direction.OUTBOUND
            and WHICH_ONE_RE.match(history[at - 1].text.strip())
            and history[at - 2].direction is Direction.INBOUND
        ):
            # "I need to change an appointment" / "Which …?" / "Max's" / "Which …?" / "the
            # friday one": the request is the one before the first question
            at -= 2
        listed = self.bookings_listed(history[-1].text)
        if _LEFT_WHERE_IT_IS_RE.search(self.text):
            # "ok leave ginger's where it is and book rolf in as well": no move after all
            return None
        pointed = _DAY_ONE_PICKED_RE.match(self.text)
        if pointed is not None and asked["verb"] == "move":
            # "oh the tuesday one obviously, the groom is fine. wednesday evening?" (set 228):
            # Tuesday's, to where the rest of the message says
            day_word = f"{pointed['day']}day"
            on_day = [b for b in listed if f"{self.local(b.slot_start):%A}".lower() == day_word]
            wanted = self.read(self.text[pointed.end() :])
            if len(on_day) == 1 and (wanted.day or wanted.clock or wanted.part):
                local = self.local(on_day[0].slot_start)
                if names_part_only(wanted):
                    return self.ask_move_time(on_day[0], wanted)
                return self.book(
                    merge(wanted, When(day=local.date(), clock=local.time())), moving=on_day[0]
                )
        # "dumpling's groom, the 11 o'clock. noodle is still coming": Noodle's is kept
        kept = {k.lower() for k in self.kept}
        named = {n.lower() for n in self.subjects if is_name(n)} - kept
        clock = self.when.clock
        # ("olive - thursday at 3" to "Which appointment should I move: Olive … or Noodle …?":
        # Olive's, moved there)
        pet_and_when = asked["verb"] == "move" and any(b.subject.lower() in named for b in listed)
        # ("toffee's on thursday. and 2.45 for fudge if you can" to "Which appointment should
        # I cancel: …? What time … for Fudge?": the time is the other ask's)
        of_listed = {b.subject.lower() for b in listed}
        rest_when = (
            self.said_for_others(named - of_listed)
            if asked["verb"] == "cancel" and named & of_listed
            else None
        )
        if rest_when is not None:
            named &= of_listed
            clock = None
        if (
            clock is not None
            and not pet_and_when
            and (
                asked["verb"] != "cancel"
                or sum(self.local(b.slot_start).time() == clock for b in listed) != 1
            )
        ):
            # a time is where to move, unless it points at the one to cancel ("the 11 o'clock")
            return None
        said_now = self.when if pet_and_when and (self.when.day or self.when.clock) else None
        earlier = self.read(normalise(history[at].text))
        pending = self.pending
        if asked["verb"] is None:  # several changes pending: "no, at 12" / "which one?" / "Bella"
            if pending is None or not pending.changes or not named or self.when.anything:
                return None
            if not any(c.subject.lower() in named for c in pending.changes):
                return None
            self.when = earlier
            return self.correct_several(pending) if earlier.anything else None
        every = not named or named >= {b.subject.lower() for b in listed}
        if len(listed) > 1 and every and EVERY_RE.search(self.text):
            # "both" / "all of them": every booking our question named
            if asked["verb"] == "cancel":
                plans = [
                    Plan("cancel", b.subject, as_utc(b.slot_start), b.service, b) for b in listed
                ]
                return self.several(plans)
            # the request before, read as if said now ("move the tuesday one to wednesday"),
            # with the day or time this answer adds ("could we move to the afternoon instead?"
            # / "both of them please, 3pm if you can", set 178)
            now_said = self.when
            self.text, self.when = normalise(history[at].text), earlier
            if now_said.clock is not None or now_said.day is not None:
                self.when = replace(
                    earlier, day=now_said.day or earlier.day, clock=now_said.clock or earlier.clock
                )
            self.when_text, self.one_sentence = self.text, False
            return self.moves_each(listed)
        pool = listed or self.upcoming
        chosen = [b for b in pool if b.subject.lower() in named]
        if not chosen:
            chosen = [b for b in self.upcoming if b.subject.lower() in named]
        if not named and self.when.day is not None:  # "the thursday one"
            chosen = [b for b in pool if self.local(b.slot_start).date() == self.when.day]
        if not named and clock is not None:  # "the 11 o'clock"
            chosen = [b for b in listed if self.local(b.slot_start).time() == clock]
        picked = _ONE_BY_ORDER_RE.search(self.text)
        if not named and self.when.day is None and clock is None and picked and len(listed) > 1:
            # "canc bella" / "Which appointment should I cancel: …?" / "the later one" (set 181)
            by_time = sorted(listed, key=lambda b: as_utc(b.slot_start))
            if picked["second"] or picked["second2"]:
                chosen = [listed[1]]
            else:
                chosen = [by_time[-1] if picked["late"] or picked["late2"] else by_time[0]]
        if len(chosen) != 1:
            # "the groom": the one of them for that service
            service = self.service_said()
            pool = chosen or listed
            if service is not None:
                chosen = [b for b in pool if b.service == service.key] or chosen
        if len(chosen) != 1:
            if (
                not self.subjects
                and len(listed) > 1
                and (
                    self.when.anything
                    or WEEK_SAID_RE.search(self.text)
                    or WHENEVER_RE.search(self.text)
                    or NEXT_FREE_RE.search(self.text)
                )
            ):
                # "to next week sometime", "whenever suits": when, but still not which one
                asked_again = self.which_one(asked["verb"], listed)
                asked_again.reply = (
                    f"Sure, but first: {asked_again.reply[0].lower()}{asked_again.reply[1:]}"
                )
                return asked_again
            if len(chosen) > 1 and set(map(id, chosen)) <= set(map(id, listed)):
                # "Max's" / "it's for Socks": fewer to choose from (or the same, by the pet
                # said), asked again
                return self.which_one(asked["verb"], chosen)
            return None
        booking = chosen[0]
        if asked["verb"] == "cancel":
            # ("move gizmo to tuesday at 8:30 and cancel the friday one" / "Which …?" / "tilly's
            # jab": the move too)
            with_rest = self.cancel_answered_with_the_rest(history[at].text, booking, rest_when)
            return with_rest or self.propose_cancel(booking)
        local = self.local(booking.slot_start)
        if (
            said_now is not None
            and said_now.day in (None, local.date())
            and (said_now.clock in (None, local.time()))
        ):
            said_now = None  # "Pixel's, the thursday one": the booking pointed at, not where to
        # (the request's own words: "can bison's check up tomorow move to thursday?" / "Which
        # …?" / "*bisou" names the booking's day, then the one wanted; "Olive's. thursday same
        # time if you can": this message's)
        self.when = earlier if said_now is None else merge(said_now, earlier)
        words = normalise(history[at].text) if said_now is None else self.text
        wanted = self.wanted_instead_of(local, said=self.when, text=words)
        if wanted.weekday_clash is not None and wanted.day is None:
            return reply_as(Intent.CLARIFY, self.weekday_clash_on_move(wanted, booking))
        changing = self.new_service_of(booking, normalise(history[at].text))
        if not (wanted.day or wanted.clock or wanted.part):
            if changing is not None:  # "can we do a dental instead?" / "Which…?" / "Max"
                return self.change_service(booking, changing)
            return reply_as(
                Intent.CLARIFY,
                f"Sure. When would you like to move the appointment{for_(booking.subject)} on "
                f"{self.say(booking.slot_start)} to?",
            )
        if names_part_only(wanted):
            return self.ask_move_time(booking, wanted)
        return self.book(merge(wanted, When(day=local.date(), clock=local.time())), moving=booking)

    def move_time_answering_us(self) -> AgentDecision | None:
        """A time answering our "What time on Friday 11 December would you like the appointment
        for Milo moved to?" (``ask_move_time``): that booking moved to it (read back for a yes
        as any move); another day or part of the day without a time asks that one's times for
        the same move. Our "When would you like to move…?" is answered by
        ``move_when_answering_us``; either question still counts after a question of the
        customer's answered in between. None when our question was neither, this message gives
        no day, part or time, something is pending, or the question's booking is not one
        upcoming booking."""
        history = self.context.history
        if self.pending is not None or not history:
            return None
        if history[-1].direction is not Direction.OUTBOUND:
            return None
        if CANCEL_RE.search(self.text) and not MOVE_RE.search(self.text):
            # "don't worry about moving it … can you just cancel it" (set 165)
            return None
        ours = history[-1].text.strip()
        before = history[-3] if len(history) >= 3 else None
        if (
            before is not None
            and before.direction is Direction.OUTBOUND
            and answered_only(ours)
            and (MOVE_TIME_RE.search(before.text) or _MOVE_WHEN_RE.match(before.text))
        ):
            # a question answered in between ("will I be charged for moving it?"): the move
            # asked about before it is still the one being arranged
            ours = before.text.strip()
        asked = MOVE_TIME_RE.search(ours)
        if asked is None:
            return self.move_when_answering_us(ours)
        who = (asked["who"] or asked["who2"] or "you").lower()
        chosen = [b for b in self.upcoming if b.subject.lower() == who]
        if len(chosen) > 1:
            # the pet's several bookings: the one our messages before named ("When would you
            # like to move the appointment for Fudge on Wednesday 9 December at 10:00 to?")
            several = chosen
            chosen = self.booking_named_before(chosen) or self.booking_asked_before(chosen)
            if not chosen:
                # which of the pet's bookings moves, asked: a time answering our move question
                # is never a new booking beside them (set 228)
                return self.which_one("move", several)
        if len(chosen) != 1:
            return None
        day = self.when.day or self.read(normalise(asked["day"])).day
        if self.when.clock is None and _SAME_ALONE_RE.fullmatch(self.text):
            # "same" to "What time on Friday … moved to?": the time it has now
            own = self.local(chosen[0].slot_start).time()
            return self.book(When(day=day, clock=own), moving=chosen[0])
        if self.when.clock is None and (self.when.day or self.when.part):
            # another day or part of it for the same move ("wednesday", "afternoon"): its times
            return self.ask_move_time(chosen[0], replace(self.when, day=day))
        if self.when.clock is None:
            return None
        return self.book(replace(self.when, day=day), moving=chosen[0])

    def listed_pick(self) -> AgentDecision | None:
        """ "the 2nd one" to our message listing the customer's bookings and asking which to
        cancel (move): that booking's cancellation (move) proposed, or, for a move with no
        day or time said, when to. None when our last message listed fewer than two
        bookings, asked no cancel or move, or this message picks none by its place."""
        history = self.context.history
        if self.pending is not None or not history:
            return None
        ours = history[-1].text
        if history[-1].direction is not Direction.OUTBOUND or "?" not in ours:
            return None
        found = _PLACE_PICKED_RE.fullmatch(self.text)
        verb = "cancel" if re.search(r"\bcancel", ours, re.IGNORECASE) else None
        if verb is None and re.search(r"\b(?:move|change|reschedule)", ours, re.IGNORECASE):
            verb = "move"
        listed = sorted(
            (b for b in self.upcoming if self.say(b.slot_start) in ours),
            key=lambda b: ours.index(self.say(b.slot_start)),
        )
        if found is None or verb is None or len(listed) < 2:
            return None
        place = found["place"]
        index = {"1st": 0, "first": 0, "former": 0, "2nd": 1, "second": 1, "3rd": 2, "third": 2}
        at = len(listed) - 1 if place in {"last", "latter"} else index.get(place)
        if at is None or at >= len(listed):
            return None
        booking = listed[at]
        if verb == "cancel":
            return self.propose_cancel(booking)
        return reply_as(
            Intent.CLARIFY,
            f"Sure. When would you like to move the appointment{for_(booking.subject)} on "
            f"{self.say(booking.slot_start)} to?",
        )

    def booking_asked_before(self, bookings: list[BookingView]) -> list[BookingView]:
        """Of ``bookings``, the one the customer's request before our last message named by
        its service, day or time ("move the one for Duke's teeth"); empty when it named none
        or several of them."""
        earlier = self.request_before_ours()
        picked = _DAY_ONE_PICKED_RE.match(earlier.text) if earlier is not None else None
        if picked is not None:
            # ("oh the tuesday one obviously, … wednesday evening?" / our times / "6pm")
            day_word = f"{picked['day']}day"
            on_day = [b for b in bookings if f"{self.local(b.slot_start):%A}".lower() == day_word]
            return on_day if len(on_day) == 1 else []
        pointed = earlier.one_pointed_at(bookings) if earlier is not None else bookings
        return pointed if len(pointed) == 1 else []

    def booking_named_before(self, bookings: list[BookingView]) -> list[BookingView]:
        """Of ``bookings``, the one our latest message naming one of them names (within the
        last few turns); empty when none or several."""
        for turn in reversed(self.context.history[-6:]):
            if turn.direction is not Direction.OUTBOUND:
                continue
            named = [b for b in bookings if self.say(b.slot_start) in turn.text]
            if named:
                return named if len(named) == 1 else []
        return []

    def move_when_answering_us(self, ours: str) -> AgentDecision | None:
        """A day and time answering our "When would you like to move the appointment for Luna
        on Wednesday 9 December at 11:00 to?": that booking moved there (read back for a yes);
        a day with "the same time" keeps the booked time; a day, a part of it or "next week"
        without a time asks that day's times for the move, never a new booking beside it.
        The question may follow a bare "R" whose meaning came from a reminder, so the customer's
        own earlier words need not say "move". None when ``ours`` is not that question, its
        booking is not one upcoming booking, or no day or time is given."""
        asked = _MOVE_WHEN_RE.match(ours)
        if asked is None:
            return None
        who = (asked["who"] or asked["who2"] or "").lower()
        slot = asked["slot"] or asked["slot2"]
        chosen = [
            b
            for b in self.upcoming
            if self.say(b.slot_start) == slot
            and (not who or b.subject.lower() == who or f"your {b.subject.lower()}" == who)
        ]
        if len(chosen) != 1:
            return None
        booking = chosen[0]
        other_pets = {b.subject.lower() for b in self.upcoming} - {booking.subject.lower()}
        if any(s.lower() in other_pets for s in self.subjects if is_name(s)):
            return None  # "oh wait no, it's Leo's I need to move, the 4pm one": another's
        old = self.local(booking.slot_start)
        at = customer_before_last(self.context.history)
        if (
            ours.startswith("Just to check:")
            and self.when.clock is None
            and self.when.day is not None
            and at is not None
        ):
            # "move to Thursday 11th, same time?" / "Just to check: 11 December is a Friday …" /
            # "thursday, the 10th. sorry!": the time said before, kept (set 153)
            earlier = self.read(normalise(self.context.history[at].text))
            clock = earlier.clock or (old.time() if earlier.same_time else None)
            if clock is not None:
                return self.book(replace(self.when, clock=clock), moving=booking)
        if self.when.clock is None and self.when.same_time and self.when.day is not None:
            # "can we do the same time on monday?": the booked time on that day
            return self.book(replace(self.when, clock=old.time()), moving=booking)
        if self.when.clock is None and (
            self.when.day or self.when.part or WEEK_SAID_RE.search(self.text)
        ):
            # "next tuesday", "next week if possible, an afternoon": that day (that week's first
            # with room), its times for the move; never a new booking beside the old one
            day = self.when.day or self.first_free_day_in_week_said(
                self.keyed_service(booking.service)
            )
            if day is None:
                return None
            return self.ask_move_time(booking, replace(self.when, day=day))
        bare = _BARE_HOUR_RE.fullmatch(self.text)
        if self.when.clock is None and bare is not None:
            # "4" to "When would you like to move … on Friday … to?": that day at 4
            clock = self.read(f"at {bare['hour']}").clock
            if clock is not None:
                return self.book(When(day=old.date(), clock=clock), moving=booking)
        side = _SIDE_ALONE_RE.fullmatch(self.text)
        if self.when.clock is None and self.when.day is None and side is not None:
            # "later" to the same question: the nearest free time on that side, that day
            later = side["side"] != "earlier"
            times = self.free_beside(old, booking.service, later=later, moving=booking.id)
            if not times:
                return self.ask_move_time(booking, When(day=old.date()))
            nearest = times[0] if later else times[-1]
            decision = self.book(When(day=old.date(), clock=nearest.time()), moving=booking)
            others = [f.strftime("%H:%M") for f in times if f != nearest]
            if decision.proposal is not None and others:
                decision.reply = (
                    f"{decision.reply} I also have {or_listed(spread_over(others, 3))}."
                )
            return decision
        if self.when.clock is None:
            return None
        return self.book(merge(self.when, When(day=old.date(), clock=old.time())), moving=booking)

    def retry_several(self) -> AgentDecision | None:
        """A day or time answering our "For Bella: Sorry, … I can offer …" (one change of
        several could not be had): the request before it proposed again, with the new time for
        that pet only ("Max at 10 and Bella at 10:30" / "For Bella: … 11:00?" / "11 please"
        is Max at 10 and Bella at 11). None when our last message was not that, nothing is
        pending and this one gives no day or time, or the request no longer makes changes."""
        history = self.context.history
        if self.pending is not None or len(history) < 2:
            return None
        last = history[-1]
        refused = REFUSED_FOR_RE.match(last.text.strip())
        if last.direction is not Direction.OUTBOUND or refused is None:
            return None
        if not (self.when.day or self.when.clock or self.when.shift):
            return None
        turn = self.request_before_ours()
        if turn is None:
            return None
        who = refused["who"].strip().lower()
        # "ok bonnie and clyde at 10 then and dot at quarter past": the time of Dot's own clause
        named = [s for s in self.subjects if is_name(s)]
        own = {k.lower(): v for k, v in self.times_each(named)[0].items()} if named else {}
        turn.replacing = (who, own.get(who, self.when))
        # ("ok can willow and mabel go at 2.30 then?": the time said for each pet it names)
        turn.replacing_alike = who not in own and (
            (not named and "fully booked" not in last.text)
            or (len(named) > 1 and who in map(str.lower, named))
            # "ok what about 11:30 for both of them?": every pet asked at the time refused
            or (not named and _BOTH_OF_THEM_RE.search(self.text) is not None)
        )
        decision = turn.decide()
        return decision if decision.intent is Intent.PROPOSE_CHANGES else None

    def retry_move(self) -> AgentDecision | None:
        """A time (or day) answering our "Sorry, … isn't possible … I can offer …" to a move:
        that booking moved there ("move max to friday at 10" / "… I can offer … 09:30 …" /
        "9:30"), on the day turned down when none is said. None when our last message was not
        that answer to a move, or this one gives no day or time or asks something else."""
        if not (self.when.clock or self.when.day) or self.when.shift is not None:
            return None
        if CANCEL_RE.search(self.text) or answers.is_question(self.text):
            return None
        booking = self.move_refused()
        if booking is None:
            return None
        turned_down = self.read(normalise(self.context.history[-1].text))
        day = self.when.day or turned_down.day
        clock = self.when.clock
        if clock is None and (self.when.same_time or self.read(self.text).same_time):
            # "ah christmas / thursday 24th then? / same time" (set 208): the booking's time
            clock = self.local(booking.slot_start).time()
        if clock is None:
            return self.book(When(day=day), moving=booking)
        return self.book(When(day=day, clock=clock), moving=booking)

    def corrected_in_message(self) -> When | None:
        """The day and time a message corrects itself to: "thursday at 2 for a check up, no
        sorry 3, no wait actually friday at 3 is better" is Friday 15:00. Each part after a
        correction ("no sorry", "no wait", "sorry I mean", "or rather", "actually") says what
        changes, the rest kept from before it (``merge``; a bare hour is a time). None when
        the message does not correct itself, or its first part names no day or time."""
        source = self.when_text
        if not _SELF_CORRECTION_RE.search(source) and source and source in self.text:
            # "…her jab friday 9am? no wait 9.30 sorry": the sentence that asks, and on from it
            source = self.text[self.text.index(source) :]
        parts = _SELF_CORRECTION_RE.split(source)
        if len(parts) < 2:
            return None
        said = self.read(parts[0])
        before = self.text.find(source)
        if said.day is None and before > 0:
            # ("can lulu come in saturday at 9.30 … or would 11 be better? no, stick with
            # 9.30": the day said before the sentence that corrects itself, set 145)
            earlier = self.read(self.text[:before])
            if earlier.day is not None:
                said = replace(said, day=earlier.day)
        if said.day is None and said.clock is None:
            return None
        for part in parts[1:]:
            if _NOT_A_TIME_RE.match(part):
                # "jab tomorrow at 3 / no sorry not 3": the time taken back, none given
                said = replace(said, clock=None, approximate=False)
                continue
            bare = _BARE_HOUR_FIRST_RE.match(part)
            # ("actually scrap that it's her booster … the reminder card came this morning":
            # the day of the card, no day asked, set 161)
            again = self.read(f"at {bare['hour']}" if bare else without_past_days(part))
            if again.day is not None or again.clock is not None:
                said = merge(again, said)
        return said
