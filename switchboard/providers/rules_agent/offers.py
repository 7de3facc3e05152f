"""Answers to the times we offered: a pick by its place, the other side of the day, a step from
a booking."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, time, timedelta

from switchboard.agent_models import AgentDecision, BookingView, Direction, Intent, PendingAction
from switchboard.availability import free_slots_on
from switchboard.providers.rules_agent.booking import THE_LATEST_RE
from switchboard.providers.rules_agent.helpers import (
    Plan,
    a_an,
    as_utc,
    asks_move,
    for_,
    names_part_only,
    or_listed,
    part_of_day,
    reply_as,
    spread_over,
    weekday_asked,
)
from switchboard.providers.rules_agent.patterns import (
    ABOUT_BOOKING_RE,
    CALL_OFF_RE,
    CANCEL_RE,
    CONTEXT_TURNS,
    DAY_MENTION_RE,
    DAY_SIDE_RE,
    IS_IT_BOOKED,
    KEEP_RE,
    MOVE_RE,
    MOVE_TIME_RE,
    NEXT_TO_BOOKING_RE,
    NO_CHANGE_RE,
    NO_RE,
    OFFERED_RE,
    OTHER_SIDE_RE,
    REFUSED_FOR_RE,
    REFUSED_SLOT_RE,
    REQUEST_RE,
    SAID_SLOT,
    SIDE_RE,
    STRAIGHT_AFTER_RE,
    THANKS_ONLY_RE,
    WEEK_SAID_RE,
    WHAT_TIME_RE,
    WHENEVER_RE,
    WHICH_ONE_RE,
    YES_AND_QUESTION_SPLIT_RE,
    YES_RE,
    YES_RESTATED_RE,
)
from switchboard.providers.rules_agent.several import Several
from switchboard.understanding import answers
from switchboard.understanding.subjects import is_name, join, needs_no_visit
from switchboard.understanding.text import normalise
from switchboard.understanding.when import When, merge, weekday_named
from switchboard.understanding.windows import read_window

# Which of the times offered is free, asked: "sorry which one is free?", "which ones are
# available?" (every one offered is).
_WHICH_FREE_RE = re.compile(
    r"^(?:sorry\s+|so\s+|ok\s+|um+\s+)*(?:which|what)\s+(?:1|one|ones|times?|slots?)\s+(?:is|are)"
    r"\s+(?:still\s+)?(?:free|available|open)\b"
)
# A booked pet to go straight after another booked pet: "and ziggy can follow right after
# pumpkin", "can ziggy go straight after pumpkin?" (set 225).
_FOLLOWS_PET_RE = re.compile(
    r"\b(?P<mover>[a-z][a-z-]+)\s+(?:can|could|will|to)?\s*(?:follow|go|come\s+in|come|be)?\s*"
    r"(?:straight|right|just|directly|immediately)\s+after\s+(?P<before>[a-z][a-z-]+)\b"
)
# One of the times we just offered, picked by its place: "the second one", "the later one",
# "the first" ("second" is normalised to "2nd", "one" to "1" but after an ordinal), "latest
# you've got".
# Why a question is asked, said after it: "how long does it take? need to know when to pick
# him up", "so I can plan my day" (normalised).
_WHY_ASKED_RE = re.compile(
    r"^(?:(?:i|we)\s+)?(?:just\s+)?(?:need|want|have|got)\s+to\s+(?:know|plan|work\s+out|sort)\b"
    r"|^(?:just\s+)?so\s+(?:i|we)\s+(?:know|can)\b|^(?:for|to)\s+plan\b"
)
# The time nearest one asked for, from those offered: "what's the closest you've got to 1?",
# "whichever's closest to 10", "as near to 1 as you can", "nearest one to 3pm" (normalised).
_CLOSEST_RE = re.compile(
    r"\b(?:closest|nearest)\b(?:[^.?!]{0,25}?\bto\s+(?:(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?"
    r"\s*(?:am|pm|o'clock)?|(?:it|that|what\s+i\s+(?:asked|wanted))\b"
    # "whichever's closest to lunch tbh" (set 228)
    r"|(?P<noon>lunch(?:time)?|noon|midday|mid-day)\b))?"
    r"|\bas\s+(?:close|near)\s+(?:to\s+(?P<hour2>\d{1,2})\s+)?as\s+(?:you\s+can|possible)\b"
)


def _minutes(clock: time) -> int:
    """``clock`` in minutes from midnight."""
    return clock.hour * 60 + clock.minute


_PICK_RE = re.compile(
    # "the later morning one pls" (set 228): of those offered in that part of the day
    r"\bthe\s+(?P<side>later|latest|last|earlier|earliest|1st)\s+(?P<part>morning|afternoon|evening)"
    r"(?:\s+(?:1|one|option|slot|appointment|time))?\b"
    r"|\bthe\s+(?P<which>1st|2nd|3rd|4th|last|later|latest|earlier|earliest|final|morning"
    r"|afternoon|evening|middle)\s*(?:1|one|option|slot|appointment)\b"
    r"|\b(?P<which0>1st|2nd|3rd|4th|last)\s+(?:1|one|option|slot)\b"
    # (not the customer's own bound: "thats the latest i can get out of work", set 150)
    r"|\bthe\s+(?P<which2>1st|2nd|3rd|4th|last|latest|earliest|final)\b"
    r"(?!\s+(?:i|we)\s+(?:can|could)\b)"
    # ("the earliest of those pls" is one of them, set 228)
    r"(?!\s+(?:of(?!\s+(?:those|them|these)\b)|thing|day|week|month|time|year)\b)"
    # "whichever is later, school run" (before "whichever" alone, the first)
    r"|\b(?:whatever|whichever)(?:'s|\s+is|\s+one\s+is)?\s+(?P<which5>earliest|latest|later|earlier"
    r"|soonest)\b"
    r"|\b(?P<either>either|whichever)\b(?!\s+(?:day|time|way)\b)|\bany\s+(?:of\s+(?:them|those)|1)\b"
    r"|\b(?P<which3>latest|earliest|last|1st)\s+(?:you've\s+got|you\s+have|you\s+can\s+do"
    r"|available|possible|free)\b"
    # "what's your earliest?", "ur latest one"
    r"|\b(?:your|ur)\s+(?P<which4>earliest|latest|1st|last)\b(?!\s+(?:of|thing|day|week|month|year)\b)"
    # "earliest please", "latest one"
    r"|^(?P<which6>earliest|latest|soonest)(?:\s+(?:one|1|please|pls|then|thanks))*$"
    # "oh ok, quarter to then": the one offered at those minutes past an hour
    r"|\b(?P<which7>quarter\s+to|quarter\s+past|half\s+past)\b(?!\s+\d)"
    # "as early as possible", "as late as you can", "as soon as you reopen" (after lunch)
    r"|\bas\s+(?P<which8>early|soon|late)\s+as\s+(?:possible|poss|you\s+can|you\s+have"
    r"|you\s+re-?open|you\s+open\s+again)\b"
    # "the next one after that then please" (after a time turned down)
    r"|\bthe\s+(?P<next>next)\s+(?:one|1|slot|time)?\s*(?:after\s+(?:that|it|then))?\b"
    r"(?=\s*(?:then|please|pls|thanks|is\s+fine|would\s+do|$))"
)
# Our times asked again: "what were the times again for friday?", "what time was it you said"
_TIMES_AGAIN_RE = re.compile(
    r"\bwhat\s+(?:were|was|are)\s+(?:the\s+)?(?:times?|slots?|it)\b[^?]{0,40}\b(?:again|you\s+said"
    r"|you\s+gave|you\s+offered)\b"
    r"|\bwhat\s+times?\s+(?:was\s+it|were\s+they)\s+(?:again\s+|that\s+)?(?:you|u)\s+(?:said|gave"
    r"|offered|mentioned)\b|\bwhat\s+times?\s+did\s+(?:you|u)\s+(?:say|give|offer)\b"
)
# Our message offering times: "I have 14:15, …", "I can do 11:45 …", "I can offer …"
_TIMES_OFFERED_RE = re.compile(r"\bI (?:have|can do|can offer|also have)\b")
# A clock time as we write it: "14:15".
_CLOCK_SAID_RE = re.compile(r"\b\d{2}:\d{2}\b")
# The time said back to be taken: "if its still free ill take it", "book it"
_TAKE_IT_RE = re.compile(
    r"\b(?:i'll|ill|i\s+will|we'll)\s+take\s+it\b|\bbook\s+it\b|\bstill\s+free\b"
)
# The earliest free time, whatever the day: "when's your next free appointment?"
# A booking already made, named as the one a new booking is counted from.
_OTHER_BOOKING_RE = re.compile(
    r"\b(?:my|our|the)\s+(?:other|existing|current|first|1st)\s+(?:appointment|appt|booking|visit|one)\b"
)
# What opens a question said beside a yes: "yes! oh and is there parking?", "btw do you…".
_ASIDE_OPENER_RE = re.compile(
    r"^(?:(?:oh|ah|also|and|btw|by\s+the\s+way|one\s+more\s+thing|quick\s+question|plus)\b\W*)+"
)
_IS_IT_BOOKED_RE = re.compile(IS_IT_BOOKED)
# Another one meant than the one proposed: "no, I meant Luna", "sorry, Luna's not Max's", "it's
# Luna I want to cancel".
# Our proposal with more times beside it: "… to Monday 7 December at 14:00. Reply YES to
# confirm. I also have 14:15, 15:00 or 15:45." (the proposed time, without a move's old one)
_PROPOSED_THEN_ALSO_RE = re.compile(
    r"(?:\bto|I can book)\s+"
    rf"(?P<proposed>{SAID_SLOT})"
    r"[^.]*\.\s+Reply YES to confirm\.\s+(?:Earlier |Later )?I also have\b"
)
# The time a pet's own booking has, kept: "same time as he has now", "at his usual time"
_OWN_TIME_RE = re.compile(
    r"\bsame\s+time\s+as\s+(?:he|she|it|they)\s+(?:has|have|had|'s\s+got)(?:\s+now)?\b"
    r"|\bsame\s+time\s+as\s+(?:his|hers|her\s+own|his\s+own|its\s+own|now)\b"
)
# The earliest hour the customer can come: "any time from 2", "from 2 is fine", "after 3"
_FROM_HOUR_RE = re.compile(r"\b(?:from|after)\s+(?P<hour>\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)\b")
_MEANT_RE = re.compile(
    r"\b(?:meant|mean|i\s+said|it's\s+\w+\s+(?:i|we)\s+(?:want|need))\b|\bnot\s+\w+'s\b"
    r"|^(?:no|nope|sorry|oops)\b.{0,12}\b\w+'s\b|^(?:no|nope|sorry|oops)\W+\w+\W*$"
    # "sorry not max, bella!"
    r"|^(?:no|nope|sorry|oops|wait)?\W*not\s+\w+\W+(?:it's\s+|its\s+)?\w+\b"
)
# The booking proposed turned down as the one meant: "not the tuesday one", "not that one".
_NOT_THAT_ONE_RE = re.compile(r"\bnot\s+(?:the\s+\w+|that|this)\s+(?:1|one|appointment)\b")
# When the customer must be gone: "I need to be out by 11", "we have to be done by 10.30".
_DUE_BY_RE = re.compile(
    r"\b(?:out|done|finished|away|gone|off|leave|home|back)\s+by\s+(?P<clock>\d{1,2}(?:[:.]\d{2})?)\b"
)
# "later" said of getting in touch, not of the appointment.
_LATER_CONTACT_RE = re.compile(
    r"\b(?:call|ring|phone|text|message|talk|speak|chat|get\s+back|see\s+you|check|confirm"
    r"|let\s+you\s+know)\b.{0,20}\b(?:later|sooner)\b|\bsooner\s+or\s+later\b"
)
# Another service on a visit already booked: "add a nail trim to max's appointment", "at the same
# time as his checkup", "while he's there", "on the same visit".
_ADDED_TO_VISIT_RE = re.compile(
    r"\badd\b.{0,40}\bto\s+(?:\w+'s|his|her|their|my|our|the)\s+(?:appointment|booking|visit"
    r"|checkup|check\s+up|consultation|jabs?|vaccination|groom(?:ing)?|dental)\b"
    r"|\b(?:at\s+the\s+same\s+time\s+as|during|on\s+the\s+same\s+visit\s+as|as\s+well\s+as)\s+"
    r"(?:\w+'s|his|her|their|the)\s+(?:appointment|visit|checkup|check\s+up|consultation|jabs?"
    r"|vaccination|groom(?:ing)?|dental)\b"
    r"|\bwhile\s+(?:he|she|they|it|\w+)(?:'s|'re|\s+is|\s+are)\s+(?:there|in|with\s+you)\b"
    # "she also needs her booster, can it be the same visit?"
    r"|\b(?:be|in|on|at|during|part\s+of)\s+the\s+same\s+(?:visit|appointment)\b(?!\s+as\b)"
    # "straight after his check up", "right after bella's appointment"
    # "could you book her jab for right after, so we're only there the once?"
    r"|\bfor\s+(?:straight|right|just|directly)\s+after\b"
    r"|\b(?:straight|right|just|directly)\s+after\s+(?:his|her|their|the|\w+'s)\s+(?:appointment"
    r"|booking|visit|checkup|check\s+up|check-up|consultation|jabs?|vaccination|groom(?:ing)?"
    r"|dental)\b"
    # ... or just "after" it ("could scout have a groom on saturday after his check up?"; not
    # "a week after her jab", "the day after his groom": another day; nor "cancel the one after
    # kiwi's groom", another booking)
    r"|(?<!\bday\s)(?<!\bdays\s)(?<!\bweek\s)(?<!\bweeks\s)(?<!\bmonth\s)(?<!\bmonths\s)"
    r"(?<!\bfortnight\s)(?<!\bone\s)(?<!\b1\s)"
    r"\bafter\s+(?:his|her|their|\w+'s)\s+(?:checkup|check\s+up|check-up|consultation|jabs?"
    r"|vaccination|groom(?:ing)?|dental)\b"
    # "can max's appointment be longer? he needs his nails done too"
    r"|\b(?:appointment|booking|visit|slot|it)\s+be\s+(?:longer|extended|made\s+longer)\b"
    r"|\b(?:extend|lengthen)\s+(?:\w+'s|his|her|their|my|our|the|it)\b"
)


# A yes to every change of several: "yes both", "yes to all of them"
_YES_TO_ALL_RE = re.compile(
    r"^(?:yes|yeah|yep|yup|ok|okay|sure)\s+(?:to\s+)?(?:both|all)(?:\s+of\s+them)?"
    r"(?:\s+(?:please|pls|thanks|thank\s+you|ty))?$"
)


# After the bookings just told: "straight after the other two", "after the others".
_AFTER_THE_OTHERS_RE = re.compile(
    r"\bafter\s+(?:the\s+other\s+(?:two|2|three|3|ones?)|the\s+others|those\s+(?:two|2))\b"
)
# Our look-up's word on a pet with nothing booked.
_NOTHING_FOR_RE = re.compile(r"Nothing is booked for (?P<pet>[A-Z][\w-]+)\.")


class Offers(Several):
    """Answers to the times we offered: a pick by its place, the other side of the day, a step
    from a booking."""

    def answer_and_confirm(self) -> AgentDecision | None:
        """A question about the business and a yes in one message while a proposal waits ("how
        much is it? ok book it"): the answer (about the proposal's service), then the yes.
        None unless every sentence is either a whole yes or a question the profile answers,
        with at least one of each, and the message names no new day, time or pet (a day may be
        what a question asks about: "yes and what time do you close on saturdays?")."""
        pending = self.pending
        if pending is None or pending.slot_start is None or self.subjects:
            return None
        yes = False
        questions: list[str] = []
        checked: list[int] = []
        aside = False
        for part in YES_AND_QUESTION_SPLIT_RE.split(self.context.message):
            said = _ASIDE_OPENER_RE.sub("", normalise(part))
            # ("yes 👍 oh and what time …": the "oh" before the question's "and" is no word of it)
            said = re.sub(r"\s+(?:oh|ah|um|erm|so|also)$", "", said)
            if not said:
                continue
            if (
                YES_RE.match(said)
                or YES_RESTATED_RE.match(said)
                or (pending.changes and _YES_TO_ALL_RE.match(said))
            ):
                yes = True
            elif THANKS_ONLY_RE.match(said):
                continue  # "Perfect, thank you. How long will it take?"
            elif answers.price_check(part) is not None:
                checked.append(answers.price_check(part) or 0)  # "is that 45 euros?"
            elif answers.is_question(said):
                questions.append(said)
            elif self.only_says_how_things_are(said):
                aside = True  # "i'll be driving 🚗", "she's a rescue so it's her first time"
            else:
                return None
        if aside and not questions:
            return None
        if not yes or not (questions or checked):
            return None
        asking = " ".join(questions)
        about = self.read(answers.without_reminder_timing(asking))
        said_when = self.read(answers.without_reminder_timing(self.text))
        part_asked = names_part_only(said_when) and answers.about_hours(asking)
        if (
            said_when.anything
            # ("yes 👍 oh and what time do you close in the evenings?": the hours asked)
            and not part_asked
            and (about.clock or about.shift or about.day is None or not answers.about_hours(asking))
        ):
            # the day or time said is not (only) the day an opening-hours question asks about:
            # a change ("yes, is saturday free too?")
            return None
        kinds = {c.service or "" for c in pending.changes} or {pending.service or ""}
        service = self.service(kinds.pop() or None) if len(kinds) == 1 else None
        said_back = [answers.price_checked(n, service or self.service(None)) for n in checked]
        asked = answers.answer(
            asking,
            self.profile,
            service=service,
            day=about.day,
            weekday=weekday_asked(about),
            part=about.part,
        )
        if asked is not None and pending.changes and answers.asks_price(asking):
            # "yes both, how much will that come to?": each visit's price and the whole
            prices = [self.service(c.service).price for c in pending.changes]
            total = answers.total_price(prices)
            if total is not None:
                each = f"{prices[0]} each, " if len(set(prices)) == 1 else ""
                asked = f"That's {each}{total} in all."
        if questions and asked is None:
            return None
        answered = " ".join([*said_back, *([asked] if asked else [])])
        decision = self.confirm()
        return decision.model_copy(update={"reply": f"{answered} {decision.reply}"})

    def only_says_how_things_are(self, said: str) -> bool:
        """Whether a sentence (normalised) beside a yes and a question only tells us something
        ("i'll be driving", "she's a rescue so it's her first time with you"): no day or time,
        no pet, no no, and nothing asked for, moved or cancelled. Why the question is asked
        ("need to know when to pick him up") only tells us something too."""
        if _WHY_ASKED_RE.match(said) and not self.read(said).anything:
            return True
        return not (
            self.read(said).anything
            or self.pets_in(said, known=self.known, transcript=False)
            or NO_RE.match(said)
            or NO_CHANGE_RE.search(said)
            or REQUEST_RE.search(said)
            or CANCEL_RE.search(said)
            or MOVE_RE.search(said)
            or self.profile.find_service(said)
        )

    def part_answering_us(self) -> AgentDecision | None:
        """A part of the day alone ("afternoon if poss") answering our "What time on Tuesday 8
        December would you like…?": that day's free times in it, asked (for a move when our
        question was for one). Whole days counted from that day ("can it be the week after")
        are that many days on, its free times asked the same way. None otherwise."""
        when = self.when
        days = when.shift.days if when.shift is not None and not when.shift.seconds else 0
        if when.shift is not None and not days:
            return None
        if (when.part is None and not days) or when.day or when.clock or self.pending:
            return None
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        ours = history[-1].text.strip()
        asked = WHAT_TIME_RE.search(ours)
        if asked is None:
            return None
        day = self.read(normalise(asked.group(0))).day
        if day is None:
            return None
        if days:
            day, when = day + timedelta(days=days), replace(when, shift=None)
        moved = MOVE_TIME_RE.search(ours)
        if moved is not None:
            who = (moved["who"] or moved["who2"] or "you").lower()
            chosen = [b for b in self.upcoming if b.subject.lower() == who]
            if len(chosen) == 1:
                return self.ask_move_time(chosen[0], replace(when, day=day))
        return self.book(replace(when, day=day))

    def our_times_again(self) -> AgentDecision | None:
        """ "sorry what were the times again for friday?", "what time was it you said for clover
        on friday? if its still free ill take it" (set 198): our last message with times said
        again, or its one time read back for a yes when the customer says they will take it.
        None when the message asks no such thing or none of our messages gave times."""
        if self.pending is not None or not _TIMES_AGAIN_RE.search(self.text):
            return None
        ours = next(
            (
                t.text
                for t in reversed(self.context.history)
                if t.direction is Direction.OUTBOUND
                and _CLOCK_SAID_RE.search(t.text)
                and _TIMES_OFFERED_RE.search(t.text)
            ),
            None,
        )
        if ours is None:
            return None
        times = _CLOCK_SAID_RE.findall(ours)
        if len(set(times)) == 1 and _TAKE_IT_RE.search(self.text):
            said = normalise(ours)
            day = self.read(said).day
            if day is not None:
                hour, minute = (int(n) for n in times[0].split(":"))
                named = self.pets_in(ours, known=self.known, transcript=False)
                pets = [s for s in self.subjects if is_name(s)] or [n for n in named if is_name(n)]
                service = self.profile.find_service(said)
                return self.book(
                    When(day=day, clock=time(hour, minute)),
                    subject=join(pets) or None,
                    service_key=service.key if service is not None else None,
                )
        return reply_as(Intent.CLARIFY, f"Of course. {ours}")

    def offered_times(self, ours: str) -> list[When] | None:
        """The two or more times our message ``ours`` offered, in order, each on the day
        written with it (else the day the message names); None when it offered fewer or
        listed bookings ("Which appointment should I move: …?")."""
        if WHICH_ONE_RE.match(ours):
            return None
        sentences = [
            list(OFFERED_RE.finditer(sentence))
            for sentence in re.split(r"(?<=[.?!])\s+", ours)
            # (not our opening hours said back: "Monday to Friday 08:30-12:30 and 14:00-19:00")
            if not re.search(r"\d{2}:\d{2}\s*-\s*\d{2}:\d{2}", sentence)
        ]
        offered = next((items for items in reversed(sentences) if len(items) >= 2), None)
        proposed = _PROPOSED_THEN_ALSO_RE.search(ours)
        if proposed is not None:
            # "I can move … to Monday 7 December at 14:00. Reply YES to confirm. I also have
            # 14:15, 15:00 or 15:45.": the one proposed is one of the times offered
            offered = [*OFFERED_RE.finditer(proposed["proposed"]), *(offered or [])]
        if offered is None or len(offered) < 2:
            return None
        whole_day = self.read(normalise(ours)).day
        choices: list[When] = []
        for item in offered:
            day = self.read(normalise(item["day"])).day if item["day"] else whole_day
            hour, minute = (int(n) for n in item["clock"].split(":"))
            choices.append(When(day=day, clock=time(hour, minute)))
        return choices

    def time_refused(self, ours: str) -> datetime | None:
        """The day and time (local) our message ``ours`` turned down ("Sorry, Wednesday 9
        December at 15:15 isn't possible: …"); None when it turned none down."""
        if REFUSED_SLOT_RE.match(ours) is None:
            return None
        return self.read(normalise(ours.split(" isn't possible")[0])).at(self.local_now)

    def after_bookings_told(self) -> AgentDecision | None:
        """ "can she come straight after the other two then" to our "You have 2 appointments
        coming up: Mochi … at 16:00; Thumper … at 16:00. Nothing is booked for Clover.": the
        pet told unbooked (or named now), booked from when the bookings our message listed
        end (set 130); "same time" books it at their time. None unless our last message
        listed bookings of one day and the message asks for straight after them (or the same
        time as them, all at one time) with no time of its own."""
        history = self.context.history
        if self.pending is not None or self.when.clock is not None or not history:
            return None
        ours = history[-1]
        after = STRAIGHT_AFTER_RE.search(self.text) or _AFTER_THE_OTHERS_RE.search(self.text)
        # "ah no worries, can you add her then? same time" to "Your appointment for Loki is on
        # Friday … at 09:00. Nothing is booked for Freya.": at the time told (set 137)
        alike = self.when.same_time and self.when.day is None and not after
        if ours.direction is not Direction.OUTBOUND or not (after or alike):
            return None
        told = [b for b in self.upcoming if re.search(rf"\b{re.escape(b.subject)}\b", ours.text)]
        days = {self.local(b.slot_start).date() for b in told}
        if not told or len(days) != 1:
            return None
        unbooked = _NOTHING_FOR_RE.search(ours.text)
        named = [s for s in self.subjects if is_name(s) and s not in {b.subject for b in told}]
        pet = named[0] if len(named) == 1 else unbooked["pet"] if unbooked else None
        if pet is None:
            return None
        if alike:
            starts = {self.local(b.slot_start) for b in told}
            if len(starts) != 1 or unbooked is None:
                return None
            (start,) = starts
            return self.book(When(day=start.date(), clock=start.time()), subject=pet)
        end = max(
            self.local(b.slot_start)
            + timedelta(minutes=self.keyed_service(b.service).duration_minutes)
            for b in told
        )
        return self.book(When(day=end.date(), clock=end.time()), subject=pet)

    def booked_pet_after_another(self) -> AgentDecision | None:
        """ "and ziggy can follow right after pumpkin" with Ziggy and Pumpkin booked that day
        (set 225): Ziggy's booking moved to when Pumpkin's visit ends, read back for a yes.
        None unless the message names two pets with one booking each on one day and asks the
        first to go straight after the second, with no time, no new service and nothing
        pending."""
        if self.pending is not None or self.when.clock is not None:
            return None
        found = _FOLLOWS_PET_RE.search(self.text)
        if found is None or answers.services_named(self.text, self.profile):
            return None
        mover, before = found["mover"], found["before"]
        theirs = [b for b in self.upcoming if b.subject.lower() == mover]
        others = [b for b in self.upcoming if b.subject.lower() == before]
        if len(theirs) != 1 or len(others) != 1:
            return None
        moving, after = theirs[0], others[0]
        end = self.local(after.slot_start) + timedelta(
            minutes=self.keyed_service(after.service).duration_minutes
        )
        if end.date() != self.local(moving.slot_start).date():
            return None
        return self.book(When(day=end.date(), clock=end.time()), moving=moving)

    def offered_after_them(self) -> AgentDecision | None:
        """ "ok no worries, bobby straight after them then" to our "Sorry, Thursday 10
        December at 10:00 isn't possible: that time is fully booked. I can offer … 10:15":
        the first time offered from when the bookings at the refused time end, for the pet of
        the request. None when the message says no "straight after", gives a time, or our
        last message refused no booked slot."""
        history = self.context.history
        if self.pending is not None or not history or self.when.clock is not None:
            return None
        if (
            not STRAIGHT_AFTER_RE.search(self.text)
            or history[-1].direction is not Direction.OUTBOUND
        ):
            return None
        ours = history[-1].text.strip()
        there = self.time_refused(ours)
        choices = self.offered_times(ours)
        if there is None or not choices:
            return None
        # the bookings that fill the refused time: at it, or running through it ("Duke and
        # Daisy are booked in for grooming on Saturday at 10. Could Tigger come at 10.30 …?")
        held = [
            b
            for b in self.upcoming
            if there is not None
            and self.local(b.slot_start)
            <= there
            < self.local(b.slot_start)
            + timedelta(minutes=self.keyed_service(b.service).duration_minutes)
        ]
        if not held:
            return None
        ends = max(
            self.local(b.slot_start)
            + timedelta(minutes=self.keyed_service(b.service).duration_minutes)
            for b in held
        )
        later = [c for c in choices if (at := c.at(self.local_now)) is not None and at >= ends]
        if not later:
            return None
        moving = self.move_refused()
        if moving is not None:
            # "could Ziggy's appointment … be moved to 3pm" / "… fully booked …" / "ok straight
            # after theirs then": Ziggy's moved there, not booked again
            return self.book(later[0], moving=moving)
        request = self.request_before_ours()
        # (the pets the request asked for, not those it told were booked already)
        pets = self.named_pets() or (request.requested_pets() if request is not None else [])
        service = request.asked_service().key if request is not None else None
        return self.book(later[0], subject=join(pets) or None, service_key=service)

    def offered_pick(self) -> AgentDecision | None:
        """One of the times our last message offered, picked by its place ("the second one",
        "the later one", "the latest you've got"): proposed like any time said, on the day
        written with it (else the day that message names), for the booking being moved when
        our offer was for a move. None when our last message offered fewer than two times,
        or this one is not such a pick (it gives a day or time of its own)."""
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        found = _PICK_RE.search(self.text)
        if found is None or CANCEL_RE.search(self.text):
            return None
        if found["either"] and _CLOSEST_RE.search(self.text):
            return None  # "whichever's closest to lunch": the nearest (``offered_closest``)
        if found["which7"] and re.search(r"\b(?:leave|keep|stays?)\b", self.text):
            return None  # "ok fine leave her at quarter past then": kept where she is
        unpicked = self.text[: found.start()] + " " + self.text[found.end() :]
        rest = self.read(unpicked)
        if rest.clock is not None or WEEK_SAID_RE.search(unpicked):
            return None  # ("what's the earliest next week then?": not one of those offered)
        ours = history[-1].text.strip()
        choices = self.offered_times(ours)
        if choices is None:
            return None
        ordinal = found["which"] or found["which0"] or found["which2"] or ""
        if ordinal[:1].isdigit() and any(c.day == self.when.day for c in choices):
            # "the 2nd then? same time" to our "… or Saturday 2 January 2027 at 10:00" (set
            # 221): the date offered, not the second time
            return None
        if rest.day is not None:
            # ("the last one saturday morning then": of those offered on that day, 12:15 of a
            # Saturday morning that ends at 13:00; another day is a time of its own, and "as
            # early as you can" on a day asks that whole day)
            if not (found["which"] or found["which0"] or found["which2"]) or re.search(
                # ("whats the latest you can do saturday then?", set 200: that whole day's)
                r"\b(?:latest|earliest)\s+(?:you|u)\s+(?:can|could|have|'ve|got)\b",
                self.text,
            ):
                return None
            choices = [c for c in choices if c.day == rest.day]
            if not choices:
                return None
        window = read_window(self.text)
        if window is not None:
            # "before lunch then, as late as you can": the latest of those before lunch (each
            # offered time is a free start already; the window is read of the start alone)
            inside = [
                c
                for c in choices
                if (at := c.at(self.local_now)) is not None and window.fits(at, 0)
            ]
            choices = inside or choices
        if found["next"]:
            # "the next one after that then please" to "Sorry, … at 15:15 isn't possible … I can
            # offer … 15:30 …": the first time offered after the one turned down
            there = self.time_refused(ours)
            later = [
                c
                for c in choices
                if there is not None and (at := c.at(self.local_now)) is not None and at > there
            ]
            return self.offer_taken(later[0], ours) if later else None
        # "either is fine": the first, read back for a yes
        which = (
            found["which"]
            or found["which0"]
            or found["which2"]
            or found["which3"]
            or found["which4"]
            or found["which5"]
            or found["which6"]
            or found["which7"]
            or {"early": "earliest", "soon": "earliest", "late": "latest", None: None}[
                found["which8"]
            ]
            or "1st"
        )
        if found["part"]:
            inside = [c for c in choices if c.clock and part_of_day(c.clock.hour) == found["part"]]
            if not inside:
                return None
            late = found["side"] in ("later", "latest", "last")
            chosen = inside[-1] if late else inside[0]
        elif which in {"morning", "afternoon", "evening"}:
            inside = [c for c in choices if c.clock and part_of_day(c.clock.hour) == which]
            if not inside:
                return None
            day = inside[0].day or self.read(normalise(ours)).day
            if len(inside) > 1 and len({c.day for c in inside}) == 1 and day is not None:
                # "the afternoon one is best for us" to 14:30 and 17:00 offered (set 228):
                # which of them, asked
                times = or_listed([f"{c.clock:%H:%M}" for c in inside if c.clock])
                return reply_as(
                    Intent.CLARIFY,
                    f"In the {which} I have {times} on {day:%A %-d %B}. Which would suit you?",
                )
            chosen = inside[0]
        elif which == "middle":
            # "the middle one pls" (set 217): of three (or five) offered, the one between
            if len(choices) % 2 == 0:
                return None
            chosen = choices[len(choices) // 2]
        elif which in {"last", "later", "latest", "final"}:
            chosen = choices[-1]
        elif which in {"earlier", "earliest", "soonest"}:
            chosen = choices[0]
        elif which.startswith(("quarter", "half")):
            minute = {"quarter to": 45, "quarter past": 15}.get(" ".join(which.split()), 30)
            at_minute = [c for c in choices if c.clock is not None and c.clock.minute == minute]
            if len(at_minute) != 1:
                return None
            chosen = at_minute[0]
        else:
            place = int(which[0]) - 1
            if place >= len(choices):
                return None
            chosen = choices[place]
        return self.offer_taken(chosen, ours)

    def which_free_asked(self) -> AgentDecision | None:
        """ "sorry which one is free? 🙈" to the times our last message offered (set 228):
        every one of them is, said again with the question which suits. None when our last
        message offered fewer than two times or this one asks no such thing."""
        history = self.context.history
        if self.pending is not None or not history or not _WHICH_FREE_RE.search(self.text):
            return None
        ours = history[-1].text.strip()
        choices = self.offered_times(ours) if history[-1].direction is Direction.OUTBOUND else None
        if not choices or len({c.day for c in choices}) != 1 or choices[0].day is None:
            return None
        times = or_listed([f"{c.clock:%H:%M}" for c in choices if c.clock is not None])
        return reply_as(
            Intent.CLARIFY,
            f"They're all free: {times} on {choices[0].day:%A %-d %B}. Which would suit you?",
        )

    def pets_of_offer_joined(self, pets: list[str]) -> list[str]:
        """The pets our last message offered times for, when the message picks one of those
        times and adds ``pets`` (those it names) at it ("… I have 14:00, 15:15 or 17:00 for
        Toby's vaccination." / "17:00 please, and could his sister Mia have hers at the same
        time?"): Toby, then Mia. Empty when it picks none of them, adds no one "too" or "at the
        same time", or the offer named no pet besides."""
        history = self.context.history
        if (
            not pets
            or not history
            or history[-1].direction is not Direction.OUTBOUND
            or self.when.clock is None
            or not re.search(r"\b(?:same\s+time|too|as\s+well|also|both)\b", self.text)
        ):
            return []
        ours = history[-1].text.strip()
        choices = self.offered_times(ours) or []
        if not any(c.clock == self.when.clock and self.when.day in (None, c.day) for c in choices):
            return []
        asked = {p.lower() for p in pets}
        offered = [n for n in self.pets_in(ours, known=self.known, transcript=False) if is_name(n)]
        return [n for n in offered if n.lower() not in asked]

    def offered_day_pick(self) -> AgentDecision | None:
        """A day alone answering times our last message offered on several days ("I can offer
        Thursday 10 December at 09:00 or 14:30, or Friday 11 December at 10:00 …" / "friday
        please 🙂"): the one time offered that day, proposed like any pick. None when the
        message says a time, a part of the day or a week, asks or cancels anything, or the day
        holds no or several of the times offered."""
        when = self.when
        ours = self.last_offer_across_days()
        if (
            self.pending is not None
            or ours is None
            or when.day is None
            or when.same_time
            or asks_move(self.text)
            or when.clock is not None
            or when.part is not None
            or when.shift is not None
            or "?" in self.context.message
            or CANCEL_RE.search(self.text)
            or WEEK_SAID_RE.search(self.text)
        ):
            return None
        choices = self.offered_times(ours)
        if choices is None or len({c.day for c in choices}) < 2:
            return None
        that_day = [c for c in choices if c.day == when.day]
        if len(that_day) != 1:
            return None
        return self.offer_taken(that_day[0], ours)

    def last_offer_across_days(self) -> str | None:
        """Our last message when it asked which of times on several days suits; or, when the
        customer asked something in between and we only answered ("… Which day would suit
        you?" / "what do we need to bring?" / our answer / "tuesday", set 42), the message
        before that. None otherwise."""
        ours = [
            t for t in self.context.history[-CONTEXT_TURNS:] if t.direction is Direction.OUTBOUND
        ]
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        for place, turn in enumerate(reversed(ours[-2:])):
            text = turn.text.strip()
            choices = self.offered_times(text) if "?" in text else None
            if choices is not None and len({c.day for c in choices}) >= 2:
                return text
            if place == 0 and (OFFERED_RE.search(text) or "?" in text or text.startswith("Done")):
                return None  # our last message asked or offered something else
        return None

    def offered_closest(self) -> AgentDecision | None:
        """The time our refusal offered that is nearest the one turned down, or the one the
        message names ("what's the closest you've got to 1?", "whichever's closest to 10"):
        proposed as ``offered_pick`` proposes a pick (the earlier of two as near). None when
        our last message refused no slot with times offered, or this one asks no such thing."""
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        found = _CLOSEST_RE.search(self.text)
        if found is None or self.read(self.text).day is not None:
            return None  # ("closest to 1 on friday": another day asked)
        ours = history[-1].text.strip()
        refused = REFUSED_SLOT_RE.match(ours)
        choices = self.offered_times(ours)
        if not choices:
            return None
        said_hour = found["hour"] or found["hour2"]
        if found["noon"]:
            # (to times we offered, a refusal or not: the customer's own lunch hour)
            target = time(12, 30)
        elif refused is not None:
            target = time(int(refused["hour"]), int(refused["minute"]))
        elif not said_hour:
            return None
        else:
            # ("whichever's closest to 10" to times we offered: the hour nearest one of them)
            target = min(
                (c.clock for c in choices if c.clock is not None),
                key=lambda t: min(
                    abs(_minutes(t) - (int(said_hour) % 12 + half) * 60) for half in (0, 12)
                ),
            )
        if said_hour:
            # "closest to 1": the hour on the refused time's side of noon, or the nearer one
            hour = int(said_hour) % 12
            minute = int(found["minute"] or 0)
            near = target
            target = min(
                (time(hour, minute), time(hour + 12, minute)),
                key=lambda t: abs(_minutes(t) - _minutes(near)),
            )
        chosen = min(
            (c for c in choices if c.clock is not None),
            key=lambda c: abs(_minutes(c.clock) - _minutes(target)) if c.clock else 0,
        )
        return self.offer_taken(chosen, ours)

    def move_asked_before_offer(self) -> AgentDecision | None:
        """A time picked from the times our last message offered, when the customer's request
        before it asked to move one booking ("can coco's appt tomorrow be moved to wednesday?
        what times have you got" / our times / "the 4.45 one please", set 200): that booking
        moved there, read back for a yes. None when nothing was offered, something is pending,
        the message gives no time, or the request moved no one booking."""
        history = self.context.history
        if self.pending is not None or self.when.clock is None or not history:
            return None
        ours = history[-1]
        # (or asked when: "What day and time would suit for Cleo's vaccination instead of …?" /
        # "thu 10", set 205)
        asked = self.offered_times(ours.text) or ours.text.rstrip().endswith("?")
        if ours.direction is not Direction.OUTBOUND or not asked:
            return None
        moving = self.booking_asked_moved()
        if moving is None:
            return None
        day = self.when.day or self.read(normalise(ours.text)).day
        return self.book(replace(self.when, day=day), moving=moving)

    def booking_asked_moved(self) -> BookingView | None:
        """The one booking the customer's request before our last message asked to move
        ("can coco's appt tomorrow be moved to wednesday? what times have you got"); None when
        that request moved none, or several."""
        request = self.request_before_ours()
        if request is None or not asks_move(request.text):
            return None
        targets = request.one_pointed_at(request.targets())
        return targets[0] if len(targets) == 1 else None

    def offer_taken(self, chosen: When, ours: str) -> AgentDecision:
        """``chosen`` (a time our message ``ours`` offered) proposed: a move of the booking
        the offer was for (pending, asked about, or refused), else a booking for the pet it
        was for."""
        pending = self.pending
        if pending is not None and pending.kind == "reschedule" and not pending.changes:
            moving = self.upcoming_by_id(pending.booking_id)
            if moving is not None:
                return self.book(chosen, moving=moving)
        asked = MOVE_TIME_RE.search(ours)
        if asked is not None:
            who = (asked["who"] or asked["who2"] or "you").lower()
            moved = [b for b in self.upcoming if b.subject.lower() == who]
            if len(moved) == 1:
                return self.book(chosen, moving=moved[0])
        refused = self.move_refused()
        if refused is not None:
            return self.book(chosen, moving=refused)
        asked_moved = self.booking_asked_moved() if pending is None else None
        if asked_moved is not None:
            return self.book(chosen, moving=asked_moved)
        if pending is not None and pending.kind == "book" and not pending.changes:
            return self.book(chosen, subject=pending.subject, service_key=pending.service)
        named = [n for n in self.pets_in(ours, known=self.known, transcript=False) if is_name(n)]
        if pending is None and re.search(r"\bmov(?:e|ed|ing)\b", ours, re.IGNORECASE):
            # "What time would you like Duke's dental cleaning moved to? On Wednesday … I have
            # …" (the team's words, set 228): that pet's one booking moved
            theirs = [b for b in self.upcoming if b.subject.lower() in {n.lower() for n in named}]
            if len(theirs) == 1:
                return self.book(chosen, moving=theirs[0])
        # the pet our offer named ("… for Bella. Which is better?") before the customer's words
        return self.book(chosen, subject=join(self.named_pets() or named) or None)

    def offered_other_side(self) -> AgentDecision | None:
        """Nothing pending, and the times our last message offered turned down for later or
        earlier ones without a time ("hmm none of those work, anything later?"): that day's
        free times after the latest offered (or before the earliest), asked like any day
        without a time. None when our last message offered fewer than two times on one day, the
        message names a day, a time or a shift of its own ("half an hour later"), the offer
        was for one pet of several ("For Bella: Sorry, …"), or none is free on that side."""
        history = self.context.history
        if self.pending is not None or not history:
            return None
        if history[-1].direction is not Direction.OUTBOUND:
            return None
        side = OTHER_SIDE_RE.search(self.text)
        if side is None or self.when.anything or _LATER_CONTACT_RE.search(self.text):
            return None
        if REFUSED_FOR_RE.match(history[-1].text.strip()):
            return None
        ours = history[-1].text.strip()
        if ours.startswith(("You have", "Your appointment")) or CANCEL_RE.search(self.text):
            return None  # our list of their bookings: "the later one can go" is one of them
        offered = list(OFFERED_RE.finditer(ours))
        day = self.read(normalise(ours)).day
        if len(offered) < 2 or day is None:
            return None
        days = {self.read(normalise(o["day"])).day for o in offered if o["day"]}
        if days - {day}:
            return None  # offers over several days: which side is not clear
        clocks = sorted(time.fromisoformat(o["clock"]) for o in offered)
        service = self.service(None)
        free = free_slots_on(self.profile, self.context.busy, day, service, now=self.now)
        later = side.group(0) == "later"
        wanted = [
            s
            for s in free
            if (self.local(s).time() > clocks[-1] if later else self.local(s).time() < clocks[0])
        ]
        if not wanted:
            return None
        named = [n for n in self.pets_in(ours, known=self.known, transcript=False) if is_name(n)]
        subject = join(self.named_pets() or named) or "you"
        times = spread_over([self.local(s).strftime("%H:%M") for s in wanted], 4)
        return reply_as(
            Intent.CLARIFY,
            f"What time on {day.strftime('%A %-d %B')} would you like{for_(subject)}? "
            f"I have {or_listed(times)}.",
        )

    def next_to_booking(self) -> AgentDecision | None:
        """A new booking placed against one already made ("what time's Max on wednesday? and
        could you book Bella in right after him"): the pets named who are not booked, at the
        end of that booking (before it: ending at its start), the booking said first when the
        message also asks about it. None when the message is not that, names no newcomer, gives
        a time of its own, or could mean several bookings."""
        side = NEXT_TO_BOOKING_RE.search(self.text)
        # (a time said of the booking itself is no other: "Chester's booked in thursday at 2.
        # could I add my other dog Bean for a nail trim straight after?")
        timed = self.when.clock is not None and not self.names_booked_time()
        if side is None or not self.upcoming or timed:
            return None
        found = self.host_and_newcomers()
        if found is None:
            return None
        host, newcomers = found
        start = self.local(host.slot_start)
        if side["side"] == "after":
            # the host's visit ends by its own service, not the one asked for the newcomer
            at = start + timedelta(minutes=self.keyed_service(host.service).duration_minutes)
        else:
            at = start - timedelta(minutes=self.service(None).duration_minutes)
        decision = self.book(When(day=at.date(), clock=at.time()), subject=join(newcomers))
        if self.asks_about_bookings():
            said = f"The appointment{for_(host.subject)} is on {self.say(host.slot_start)}."
            decision.reply = f"{said} {decision.reply}"
        return decision

    def service_added(self) -> AgentDecision | None:
        """Another service for a booked pet on the same visit ("can I add a nail trim to max's
        appointment?", "can max have his nails done at the same time as his checkup?"): a
        booking of that service for that pet when the visit ends (one appointment is one
        service), read back for a yes. None when nothing is added, the pet (or the one booking
        meant) is not clear, a day or time of its own is said, or a proposal waits."""
        if self.pending is not None or not self.upcoming:
            return None
        if not _ADDED_TO_VISIT_RE.search(self.text) or asks_move(self.text):
            return None
        if self.names_unbooked_pet():
            return None  # "can our rabbit Smudge get her vaccine during the same visit?": hers
        targets = self.first_booking_said(self.targets())
        if self.when.day is not None:
            # "add a nail trim to bailey's appointment on thursday": the day says which visit
            targets = [b for b in targets if self.local(b.slot_start).date() == self.when.day]
        if len(targets) != 1:
            return None
        host = targets[0]
        if self.when.clock is not None and self.when.clock != self.local(host.slot_start).time():
            return None  # a time of its own (the visit's own, "booked … at 10", is no other)
        own = self.keyed_service(host.service).key
        added = [s for s in answers.services_named(self.text, self.profile) if s.key != own]
        referred = self.service_referred_to() if not added else None
        if referred is not None and referred.key != own:
            added = [referred]  # "A grooming takes 45 minutes" / "could scout have one … after"
        if len(added) != 1:
            return None
        start = self.local(host.slot_start)
        side = NEXT_TO_BOOKING_RE.search(self.text)
        before = side is not None and side["side"] == "before"
        if before:
            # "just before the groom if you can" (set 229): ending as the visit starts
            at = start - timedelta(minutes=added[0].duration_minutes)
        else:
            at = start + timedelta(minutes=self.keyed_service(host.service).duration_minutes)
        decision = self.book(
            When(day=at.date(), clock=at.time()),
            subject=host.subject,
            service_key=added[0].key,
            exact=True,
        )
        if decision.proposal is not None:
            when = self.say(decision.proposal.slot_start)
            where = "just before" if before else "straight after"
            decision.reply = (
                f"One appointment is one service, so I can book {a_an(added[0].name)}"
                f"{for_(host.subject)} {where}, on {when}. {self.ask()}"
            )
        return decision

    def step_from_booking(self) -> AgentDecision | None:
        """Another booking whole days, weeks or months from one already made ("could we also book
        Rex in at the same time the week after?", "and a follow-up a week later please", "same
        time next month as well"): the booking's time of day on that day, for the pet named or
        the booking's, same service.
        None when something is pending, the message gives a day or time of its own, moves or
        cancels, asks for no booking, or could mean several bookings."""
        shift = self.when.shift
        text = self.text
        months = self.when.months
        if self.pending is not None or (
            months == 0 and (shift is None or shift < timedelta(days=1))
        ):
            return None
        # ("same time the week after": the booking's own time, read in already)
        timed = self.when.clock is not None and not self.when.same_time
        if self.when.day is not None or timed or not self.upcoming:
            return None
        if asks_move(text) or CANCEL_RE.search(text) or _IS_IT_BOOKED_RE.search(text):
            return None  # ("… is that booked too?" asks what is booked: ``lookup``)
        named = {s.lower() for s in self.subjects if is_name(s)}
        booked = {b.subject.lower() for b in self.upcoming}
        # "can her sister nala come same day next week?": a pet with no booking is a new one
        newcomers = bool(named) and not named & booked
        # ("the vet asked us to bring Pickle back a week after … for a recheck")
        asks = re.search(
            r"\b(?:book|booking|another|also|follow[\s-]?up|too|as\s+well|re-?check|re-?visit)\b"
            r"|\b(?:bring|have|see)\s+(?:him|her|them|it|[a-z]+)\s+back\b",
            text,
        )
        if not asks and not newcomers:
            return None
        hosts = [b for b in self.upcoming if b.subject.lower() in named]
        if not hosts and (not named or _OTHER_BOOKING_RE.search(text)):
            # "book Luna for the day after my other appointment": the one booking on file
            hosts = self.upcoming
        if not hosts and newcomers:
            # the booking of the pet talked about last ("what time is luna's on friday?")
            talked = {s.lower() for s in self.subjects_from_history() if is_name(s)}
            hosts = [b for b in self.upcoming if b.subject.lower() in talked] or (
                self.upcoming if len(self.upcoming) == 1 else []
            )
        if len(hosts) != 1:
            return None
        host = hosts[0]
        start = self.local(host.slot_start)
        day = (
            self.when.months_on(start.date())
            if months
            else start.date() + timedelta(days=shift.days if shift else 0)
        )
        return self.book(
            When(day=day, clock=start.time()),
            subject=join(self.subjects) or host.subject,
            service_key=host.service,
        )

    def other_side(self, pending: PendingAction, *, later: bool | None = None) -> AgentDecision:
        """ "Can you do earlier?" / "anything later?" with no time said: the free times that day
        before (after) the proposed one. A booking proposal is declined (a "yes" next must not
        book the time turned down, and "3pm" then keeps the day we wrote out); a proposed move
        stays pending, so the time picked next moves that booking. ``later`` when the side is
        known already ("10 is too early for me"), else read from the message."""
        assert pending.slot_start is not None
        local = self.local(pending.slot_start)
        if later is None:
            later = re.search(r"\blater\b", self.text) is not None
        moving = pending.booking_id if pending.kind == "reschedule" else None
        side = self.free_beside(local, pending.service, later=later, moving=moving)
        if self.when.part is not None:
            side = [f for f in side if part_of_day(f.hour) == self.when.part] or side
        day_text = local.strftime("%A %-d %B")
        if side:
            times = spread_over([f.strftime("%H:%M") for f in side], 4)
            listed = or_listed(times)
            asked = (
                f"What time on {day_text} would you like instead? "
                f"{'Later' if later else 'Earlier'} I have {listed}."
            )
        else:
            asked = (
                f"Sorry, I have nothing {'later' if later else 'earlier'} on {day_text}. "
                "Which other day would suit you?"
            )
        if pending.kind == "reschedule":
            return reply_as(Intent.CLARIFY, asked)
        return AgentDecision(
            intent=Intent.DECLINE,
            action_id=pending.id,
            reply=f"OK, I haven't booked {local.strftime('%H:%M')}. {asked}",
        )

    def free_beside(
        self, local: datetime, service: str | None, *, later: bool, moving: str | None
    ) -> list[datetime]:
        """The free start times (local, in order) on ``local``'s day after it (``later``) or
        before it, for ``service``; the booking ``moving`` (its ID) does not hold its slot."""
        free = free_slots_on(
            self.profile,
            self.context.busy,
            local.date(),
            self.service(service),
            now=self.now,
            ignore_booking=moving,
        )
        times = [self.local(f) for f in free]
        return [t for t in times if t != local and (t > local) == later]

    def move_joined(self, pending: PendingAction) -> AgentDecision | None:
        """Another booked pet added to a move being proposed: "can you move bertie to friday at
        10" / "sorry i meant both of them! … olive too" (set 214) moves the other pet's booking
        at the same time as Bertie's to the same new slot, read back together. None unless the
        message names exactly one other pet booked then (or says "both" with one such pet)."""
        moving = self.upcoming_by_id(pending.booking_id)
        if moving is None or pending.slot_start is None or CANCEL_RE.search(self.text):
            return None
        beside = [
            b
            for b in self.upcoming
            if b.id != moving.id
            and as_utc(b.slot_start) == as_utc(moving.slot_start)
            and is_name(b.subject)
        ]
        named = {s.lower() for s in self.subjects if is_name(s)} - {moving.subject.lower()}
        if not named and not re.search(r"\b(?:both|all\s+of\s+them)\b", self.text):
            return None
        others = [b for b in beside if b.subject.lower() in named] if named else beside
        if len(others) != 1:
            return None
        new_slot = as_utc(pending.slot_start)
        return self.several(
            [
                Plan("reschedule", moving.subject, new_slot, moving.service, moving),
                Plan("reschedule", others[0].subject, new_slot, others[0].service, others[0]),
            ]
        )

    def joins_pending(self, pending: PendingAction) -> AgentDecision | None:
        """Another pet added to a booking being proposed: "Bella too, friday at 10" (or just
        "Bella as well") while Max's Friday 10:00 awaits a yes is a booking for each, proposed
        together — the newcomer at the time said, else at the proposed one. None when the
        proposal is not a booking, or the message adds no pet with "too"/"as well"/"also"."""
        assert pending.slot_start is not None
        if pending.kind == "book" and CANCEL_RE.search(self.text):
            return self.confirm_and_cancel(pending)
        # ("oh and misty needs her jab, same time?": one more pet, at the time read back)
        joining = (
            r"\b(?:too|as\s+well|also|(?:at\s+)?the\s+same\s+time|same\s+time|together)\b"
            r"|^(?:oh\s+|oh,\s+|and\s+)*(?:and|plus)\b"
        )
        both = re.search(r"\b(?:both|all\s+of\s+them|the\s+two\s+of\s+them)\b", self.text)
        if pending.kind == "reschedule" and (
            both or re.search(r"\b(?:too|as\s+well|also)\b", self.text)
        ):
            return self.move_joined(pending)
        if pending.kind != "book" or not (re.search(joining, self.text) or both):
            return None
        if re.search(r"\b(?:not|instead|rather)\b", self.text):
            return None  # "Bella instead, not Max": a correction of who, not one more
        held = {s.lower() for s in re.split(r",\s*|\s+and\s+", pending.subject or "")}
        if any(needs_no_visit(h, self.context.message) for h in held):
            return None  # "no wait domino had his done last week, it's fudge" (set 214)
        # (not the pet whose time is the one asked: "same time as suki if you can" while Mabel
        # waits at Suki's time, set 200)
        held |= self.pets_referred_to()
        newcomers = [s for s in self.subjects if is_name(s) and s.lower() not in held]
        if not newcomers and both:
            # "make it for both of them": the customer's other pet (of their bookings), when
            # there is exactly one
            # (or of the conversation: "custard" … "oh wait, it's crumble" … "let's bring them
            # both")
            others = {b.subject for b in self.upcoming if is_name(b.subject)}
            others |= {
                s
                for turn in self.context.history[-CONTEXT_TURNS * 2 :]
                if turn.direction is Direction.INBOUND
                for s in self.pets_in(turn.text, known=self.known, transcript=self.voice)
                if is_name(s)
            }
            others = {o.title() for o in others if o.lower() not in held}
            newcomers = sorted(others) if len(others) == 1 else []
        if not newcomers:
            return None
        when = merge(self.when, self.pending_when(pending))
        if self.when.clock is None and STRAIGHT_AFTER_RE.search(self.text):
            # "could his sister Salsa have the same straight after?": when the first one ends
            start = self.local(pending.slot_start) + timedelta(
                minutes=self.service(pending.service).duration_minutes
            )
            when = replace(when, day=start.date(), clock=start.time())
        decision = self.book(when, subject=join(newcomers), service_key=pending.service)
        if decision.proposal is None:
            return decision  # that time cannot be had: said why, with other times
        slot, service = decision.proposal.slot_start, decision.proposal.service
        held_slot = as_utc(pending.slot_start)
        plans = [Plan("book", pending.subject or "you", held_slot, pending.service)]
        plans += [Plan("book", name, slot, service) for name in newcomers]
        # "yes and can her brother ziggy come at the same time? his jab is due": Pepper keeps the
        # consultation read back, Ziggy has the jab
        self.keep_services = True
        return self.several(plans)

    def other_pet_meant(self, pending: PendingAction) -> AgentDecision | None:
        """ "no, I meant Luna" to a proposed move or cancellation of Max's booking: the same
        change proposed for the one booking of the pet meant. None unless the message says it
        meant another booked pet and names no day or time of its own."""
        if pending.kind not in ("reschedule", "cancel") or pending.slot_start is None:
            return None
        if not _MEANT_RE.search(self.text):
            return None
        if re.search(r"\b(?:both|too|as\s+well|also)\b", self.text):
            return None  # "sorry i meant both of them! … olive too": one more (``move_joined``)
        # "no, I meant milo, on thursday": that pet's booking, to the day (or time) said now
        new_when = self.when.anything and not self.says_held_booking(pending)
        if new_when and pending.kind == "cancel" and self.points_at_named_booking():
            new_when = False  # "pickle's, not peanut's 🙈 the 5pm one": which of Pickle's
        if new_when and (pending.kind != "reschedule" or self.when.shift is not None):
            return None
        if pending.kind == "cancel" and asks_move(self.text):
            return None  # "no, I meant move Luna's": a move, asked on its own
        held = (pending.subject or "").lower()
        kept = {k.lower() for k in self.kept}
        named = [s for s in self.subjects if is_name(s) and s.lower() not in kept | {held}]
        targets = self.targets(named) if named else []
        if len(targets) > 1 and pending.kind == "cancel":
            targets = [b for b in targets if self.booking_pointed_at(b)] or targets
        if len(targets) != 1:
            return None
        booking = targets[0]
        if pending.kind == "cancel" or CANCEL_RE.search(self.text):
            # "it's Luna I want to cancel" to a proposed move of Max's: Luna's cancelled
            return self.propose_cancel(booking)
        when = self.pending_when(pending)
        if new_when and not self.booking_pointed_at(booking):
            # (not the day of the booking meant: "no sorry, I mean max's one, the tuesday!"
            # says which, and it goes where the other was to go)
            when = merge(self.when, when)
        if _OWN_TIME_RE.search(self.text):
            # "I meant Rocky's … to next tuesday, same time as he has now": his own time
            when = replace(when, clock=self.local(booking.slot_start).time())
        return self.book(when, subject=booking.subject, moving=booking)

    def booking_pointed_at(self, booking: BookingView) -> bool:
        """Whether the day and time the message says (either, if only one) are ``booking``'s
        ("the 5pm one")."""
        local = self.local(booking.slot_start)
        return (self.when.day in (None, local.date())) and (self.when.clock in (None, local.time()))

    def points_at_named_booking(self) -> bool:
        """Whether the day or time the message says is that of a booking of a pet it names
        (other than those said to stay): "pickle's, not peanut's 🙈 the 5pm one. peanut is
        still coming at half 2"."""
        kept = {k.lower() for k in self.kept}
        named = {s.lower() for s in self.subjects if is_name(s)} - kept
        return any(self.booking_pointed_at(b) for b in self.upcoming if b.subject.lower() in named)

    def other_booking_meant(self, pending: PendingAction) -> AgentDecision | None:
        """ "sorry, not the tuesday one - I meant his jab on thursday!" to a proposed move (or
        cancellation) of the pet's Tuesday booking: the same change proposed for that pet's
        other booking the message points at, by its service or its day. None unless the
        message says it meant another and points at exactly one other booking of that pet."""
        if pending.kind not in ("reschedule", "cancel") or pending.booking_id is None:
            return None
        if not (_MEANT_RE.search(self.text) or _NOT_THAT_ONE_RE.search(self.text)):
            return None
        held = self.upcoming_by_id(pending.booking_id)
        if held is None:
            return None
        others = [
            b
            for b in self.upcoming
            if b.id != held.id and b.subject.lower() == held.subject.lower()
        ]
        said = {s.key for s in answers.services_named(self.text, self.profile)}
        pointed = [b for b in others if b.service in said and b.service != held.service]
        if len(pointed) != 1:
            days = {self.read(m.group(0)).day for m in DAY_MENTION_RE.finditer(self.text)}
            pointed = [b for b in others if self.local(b.slot_start).date() in days]
        if len(pointed) != 1:
            return None
        booking = pointed[0]
        if pending.kind == "cancel":
            return self.propose_cancel(booking)
        return self.book(self.pending_when(pending), subject=booking.subject, moving=booking)

    def says_held_booking(self, pending: PendingAction) -> bool:
        """Is the day (and time, if any) this message says that of the booking the pending
        change is for ("sorry not max, I meant milo!! max's thursday one stays as it is"), not a
        new one?"""
        held = self.upcoming_by_id(pending.booking_id)
        if held is None or self.when.day is None or self.when.shift is not None:
            return False
        # said of it, not as a new day: "max's thursday one", "… stays as it is"
        if not (KEEP_RE.search(self.text) or f"{held.subject.lower()}'s" in self.text):
            return False
        start = self.local(held.slot_start)
        if self.when.day != start.date():
            return False
        return self.when.clock is None or self.when.clock == start.time()

    def confirm_and_cancel(self, pending: PendingAction) -> AgentDecision | None:
        """ "yes please, also can you cancel Luna's friday one" while a booking awaits a yes:
        the booking and the cancellation proposed together, for one more yes — never the
        cancelled pet booked on the day of its booking. None unless the message starts with a
        yes and its cancellation points at exactly one booking, by pet (and day, if said)."""
        assert pending.slot_start is not None
        first = normalise(re.split(r"[,.;!]+|\s+(?:and|but)\s+", self.context.message)[0])
        if not (YES_RE.match(first) or YES_RESTATED_RE.match(first)):
            return None
        named = [s for s in self.subjects if is_name(s)]  # the pet being booked's other one too
        targets = self.in_clause_of(CANCEL_RE, self.targets(named)) if named else []
        if self.when.day is not None:
            targets = [b for b in targets if self.local(b.slot_start).date() == self.when.day]
        if len(targets) != 1:
            return None
        booking = targets[0]
        held = as_utc(pending.slot_start)
        dropped = as_utc(booking.slot_start)
        return self.several(
            [
                Plan("book", pending.subject or "you", held, pending.service),
                Plan("cancel", booking.subject, dropped, booking.service, booking),
            ]
        )

    def day_beside(self, booking: BookingView) -> AgentDecision | None:
        """ "An earlier appointment than thursday", "a later day": the first day before (after)
        the booking's with a free time for its service, its times asked (nothing proposed);
        None when the message asks for no other day, or names a day that is not the booking's."""
        found = DAY_SIDE_RE.search(self.text)
        if found is None or (found["sooner"] and self.when.anything):
            return None  # "sooner, like wednesday at 10": that time asked for
        local = self.local(booking.slot_start)
        said = found["day"]
        if said is not None and weekday_named(said) != local.weekday():
            return None
        later = (found["side"] or found["side2"] or found["side3"]) == "later"
        service = self.keyed_service(booking.service)
        today = self.local_now.date()
        days = (
            [local.date() + timedelta(days=n) for n in range(1, 15)]
            if later
            else [today + timedelta(days=n) for n in range((local.date() - today).days)]
        )
        for day in days:
            free = free_slots_on(
                self.profile,
                self.context.busy,
                day,
                service,
                now=self.now,
                ignore_booking=booking.id,
            )
            if free:
                return self.ask_move_time(booking, When(day=day))
        when = local.strftime("%A %-d %B")
        return reply_as(
            Intent.CLARIFY,
            f"Sorry, I have nothing {'after' if later else 'before'} {when}"
            f"{for_(booking.subject)}. Would another time that day suit?",
        )

    def booking_to_side(self) -> AgentDecision | None:
        """ "Could Max's appointment be a bit earlier?" with nothing pending: the move of that
        booking to the nearest free time before (after) it the same day, read back for a yes,
        with the other free times on that side. None when the message names no booked pet and
        no booking ("anything later?" about new times)."""
        if CALL_OFF_RE.search(self.text) or _LATER_CONTACT_RE.search(self.text):
            return None  # "I'll ring later about Max's appointment"
        if CANCEL_RE.search(self.text) and not asks_move(self.text):
            return None  # "cancel bella's groom please, i'll book her a checkup later"
        booked = {b.subject.lower() for b in self.upcoming}
        named = [s for s in self.subjects if is_name(s) and s.lower() in booked]
        # "can we come a bit earlier tomorrow?": the one visit that day is the one meant
        on_day = [
            b
            for b in self.upcoming
            if self.when.day is not None and self.local(b.slot_start).date() == self.when.day
        ]
        if not named and not ABOUT_BOOKING_RE.search(self.text) and len(on_day) != 1:
            return None
        targets = self.targets(named) if named else (on_day if len(on_day) == 1 else self.upcoming)
        if len(targets) != 1:
            return self.which_one("move", targets) if targets else None
        booking = targets[0]
        local = self.local(booking.slot_start)
        sided = SIDE_RE.search(self.text)
        later = re.search(r"\b(?:later|back)\b", self.text) is not None or (
            sided is not None and sided["after"] == "after"
        )
        other_day = self.day_beside(booking)
        if other_day is not None:
            return other_day
        side = self.free_beside(local, booking.service, later=later, moving=booking.id)
        bound = _FROM_HOUR_RE.search(self.text)
        start = self.read(f"at {bound['hour']}").clock if bound is not None else None
        window = read_window(self.text)
        if start is None and window is not None and window.earliest is not None:
            # "push him later the same morning? nothing before 11" (set 155): from 11
            start = window.earliest
        # "can we come in earlier than 4? any time from 2 is fine": the first from 2
        bounded = [f for f in side if start is not None and f.time() >= start]
        if bounded:
            side = bounded
        elif WHENEVER_RE.search(self.text):
            # "any time later that same day": the customer picks from that side's times
            return self.ask_move_time(booking, When(day=local.date()))
        due = _DUE_BY_RE.search(self.text)
        by = self.read(f"at {due['clock']}").clock if due is not None else None
        if by is not None:
            # "I need to be out by 11 though": the visit over by then
            length = timedelta(minutes=self.keyed_service(booking.service).duration_minutes)
            side = [f for f in side if (f + length).time() <= by and f.date() == local.date()]
        if later and THE_LATEST_RE.search(self.text) and (by is not None or self.when.part):
            # "… later that morning? … so as late as you can": the last of those times
            if self.when.part is not None:
                side = [f for f in side if part_of_day(f.hour) == self.when.part] or side
            side = side[::-1]
        word = "later" if later else "earlier"
        vague = (
            not bounded
            and by is None
            and not THE_LATEST_RE.search(self.text)
            and (sided is None or sided["after"] is None)
            and re.search(r"\b(?:later|earlier)\b", self.text) is not None
            # "a bit earlier … just not as late as 4": any time before will do
            and re.search(r"\bnot\s+(?:as|so|that|too)\s+(?:late|early)\b", self.text) is None
        )
        if not side:
            return reply_as(
                Intent.CLARIFY,
                f"Sorry, I have nothing {word} on {local.strftime('%A %-d %B')} than "
                f"{local.strftime('%H:%M')}{for_(booking.subject)}. Which other day would suit?",
            )
        nearest = side[0] if later or bounded else side[-1]
        decision = self.book(When(day=local.date(), clock=nearest.time()), moving=booking)
        others = [f.strftime("%H:%M") for f in side if f != nearest]
        # (not twice: the read-back may list the window's other times already)
        if decision.proposal is not None and others and "I also have" not in decision.reply:
            listed = or_listed(spread_over(others, 3))
            lead = "" if bounded else f"{word.capitalize()} "
            # "can coco's groom be a bit later?": how much later is the customer's to say, so
            # the nearest is read back and the others put to them too (set 125)
            ask = " Would one of those suit better?" if vague else ""
            decision.reply = f"{decision.reply} {lead}I also have {listed}.{ask}"
        return decision
