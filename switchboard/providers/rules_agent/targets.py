"""Which of the customer's bookings, pets or days a message refers to."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

from switchboard.agent_models import AgentDecision, BookingView, Direction, Intent, PendingAction
from switchboard.business import Service
from switchboard.providers.rules_agent.helpers import asks_move, part_of_day, reply_as
from switchboard.providers.rules_agent.patterns import (
    BOOKING_KEPT_RE,
    CANCEL_RE,
    CLAUSE_RE,
    CLOSES_RE,
    DAY_MENTION_RE,
    LEAVE_IT_RE,
    MOVE_RE,
    NO_RE,
    POINTED_VISIT_RE,
    REQUEST_RE,
    SAME_AS_PET,
    SAY_AGAIN,
    SENTENCE_RE,
    UNCLEAR,
    WEEK_SAID_RE,
    YES_AND_QUESTION_SPLIT_RE,
    kin_told,
)
from switchboard.providers.rules_agent.proposals import Proposals
from switchboard.understanding import answers
from switchboard.understanding.subjects import is_name, join, without_pets_said_well
from switchboard.understanding.text import normalise
from switchboard.understanding.when import When, ruled_out_weekdays

# A week that says which booking: "max's appointment next week", "the one this week" (not the
# week moved to: "move it to next week").
_WEEK_OF_BOOKING_RE = re.compile(
    r"(?<!\bto\s)(?<!\binto\s)(?<!\buntil\s)(?<!\btill\s)\b(?P<which>this|next)\s+week(?:'s)?\b"
)
# A count before a weekday: "the first monday of next month", "the last friday in january".
_NTH_BEFORE_RE = re.compile(
    r"\b(?:\d(?:st|nd|rd|th)|first|second|third|fourth|last)\s+(?:of\s+the\s+)?$"
)
# What may open a no: "actually no thanks", "hmm no".
_NO_OPENER_RE = re.compile(r"^(?:(?:actually|oh|ah|hmm+|um+|erm|sorry|ok|okay|well)\b\W*)+")
# Another time offered beside a no: "no, later", "not tuesday, how about wednesday".
_ANOTHER_TIME_RE = re.compile(
    r"\b(?:instead|rather|how\s+about|what\s+about|different|another|other|earlier|later"
    r"|make\s+it|try|prefer|better\s+for\s+(?:me|us))\b"
)
# How the pet is, said with a day: "he seems loads better this morning", "she was fine today".
_PET_NEWS_RE = re.compile(
    r"\b(?:seems?|seemed|looks?|looked|feels?|felt|is|was|'s|getting|doing)\s+(?:\w+\s+){0,2}"
    r"(?:better|fine|ok|okay|good|well|improving|himself|herself|back\s+to\s+normal)\b"
)
# A change said with its new value: "make it <...> instead", "change it to <...>".
_CHANGED_TO_RE = re.compile(
    r"\b(?:make|change|move|switch)\s+(?:it|that)\s+(?:to\s+)?(?!instead\b)\w"
)
# A booking named by its service only as the day or time to copy: "the same day as the dental",
# "same time as his groom" (``booking_referred_by_service``).
_SAME_AS_SERVICE_RE = re.compile(
    r"\b(?:same\s+(?:day|time|slot)\s+as"
    # ("move the jab to wednesday straight after the check up", set 225)
    r"|(?:right|straight|just|immediately|directly)\s+(?:after|before))"
    r"\s+(?:the|his|her|their|my|our|its)?\s*(?P<what>[\w'-]+(?:\s+\w+)?)"
)
# A pet come along with another: "can Sage come tomorrow with Fig", "bring Olive in with Bean".
_COME_WITH_RE = re.compile(
    r"\b(?:come|comes|coming|came|in|along|bring|brought)\b[^.?!]{0,25}?\bwith\s+(\w+)"
    # ("… with salt and pepper": both)
    r"(?:\s+(?:and|&)\s+(\w+))?"
)
# A booking's time said right after its day: "this afternoon at half 4", "friday at 10".
_OWN_TIME_AFTER_RE = re.compile(
    r"\s+at\s+(?P<time>(?:half\s+|quarter\s+(?:past|to)\s+)?\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)\b"
)
_HOW_CAN_I_HELP = "How can I help you today?"
# The words before a weekday of a later week: "a week on friday", "a fortnight from tuesday".
_DAY_OF_A_LATER_WEEK_RE = re.compile(r"\b(?:week|fortnight)\s+(?:on|from)\s+(?:this\s+)?$")


# A visit asked for right after another's: "could Nutmeg have a check up straight after him".
_RIGHT_AFTER_RE = re.compile(
    r"\b(?:straight|right|just|directly|immediately)\s+after\s+(?:him|her|them|that|it|[a-z]+'s)\b"
)
# A booked pet named only as the time to go by: "same time as bella", "next to max's", "right
# after Oscar's groom", "in Salt's place" (``pets_referred_to``)
_REFERENCE_RE = re.compile(
    r"\b(?:(?:the\s+)?same\s+(?:time|day|slot)\s+as|next\s+to|alongside|together\s+with"
    # "move Luna's jab to right after Oscar's groom"
    r"|(?:straight|right|just|immediately|directly)\s+(?:after|before)(?=\s+\w+'s\b)"
    # "could he come after Ruby, say 10?", "2pm, before Whiskers?": that pet's visit the
    # bound, not the one changed (only booked pets count: ``pets_referred_to``)
    r"|(?:after|before)(?=\s+[a-z]))"
    r"\s+(\w+?)(?:'s)?\b"
    r"|\b(?:in|into)\s+(\w+)'s\s+(?:slot|time|place|appointment)\b"
)


_SAME_THING_AS_RE = re.compile(SAME_AS_PET + r"\b")
# A pet said to be booked already: "Lola's already booked at 4", "max is already in on friday".
_ALREADY_BOOKED_RE = re.compile(
    r"\b([a-z][a-z-]+)(?:'s|\s+is)\s+already\s+(?:booked|in\b|coming|down\s+for)"
)


# When the customer says a booking was made: "the one I booked yesterday", "the appointment I
# just made", "the one I made on the phone this morning".
_MADE_WHEN_RE = re.compile(
    r"\b(?:one|appointment|appt|booking)\s+(?:that\s+)?(?:i|we)\s+(?:just\s+)?"
    r"(?:booked|made)\b(?:\s+(?:it\s+)?(?:on\s+the\s+(?:phone|call)\s+)?"
    r"(?P<when>yesterday|last\s+night|today|this\s+morning|earlier))?"
)


# A booking told of as made: "my wife booked pixel for friday at 12", "I booked him in for …".
_BOOKED_TOLD_RE = re.compile(
    r"\b(?:i|we|he|she|they|(?:my|our)\s+[a-z]+)\s+(?:already\s+|have\s+|has\s+|'ve\s+|'s\s+)?"
    r"booked\b(?!\s+(?:a|an|another)\b)"
)


class Targets(Proposals):
    """Which of the customer's bookings, pets or days a message refers to."""

    def without_bookings_kept(self, targets: list[BookingView]) -> list[BookingView]:
        """``targets`` without the bookings the message says stay as they are by their day or
        service ("… the fri groom is fine", "her groom next week stays"); all of them when
        that would leave none or there is only one."""
        if len(targets) < 2:
            return targets
        said = [
            found.group(0) for found in BOOKING_KEPT_RE.finditer(normalise(self.context.message))
        ]
        days = {day for text in said if (day := self.read(text).day) is not None}
        services = {s.key for text in said for s in answers.services_named(text, self.profile)}
        # "… the morning one is still fine": the bookings of that part of the day
        parts = {part for text in said if (part := self.read(text).part) is not None}
        others = [
            b
            for b in targets
            if self.local(b.slot_start).date() not in days
            and (not services or b.service not in services)
            and part_of_day(self.local(b.slot_start).hour) not in parts
        ]
        return others or targets

    def no_with_a_reason(self) -> bool:
        """A no to what waits, then only why ("actually no thanks, leave it for now, he seems
        loads better this morning 🙂"): the first clause a whole no, the rest asking nothing
        and offering no other day or time (a day there is the pet's news, said with how it
        is: "better this morning")."""
        clauses = [normalise(c) for c in YES_AND_QUESTION_SPLIT_RE.split(self.context.message)]
        clauses = [_NO_OPENER_RE.sub("", c) for c in clauses if c]
        if len(clauses) < 2 or not NO_RE.match(clauses[0]):
            return False
        if not any(_PET_NEWS_RE.search(c) for c in clauses[1:]):
            return False
        for clause in clauses[1:]:
            said = self.read(clause)
            if (
                answers.is_question(clause)
                or [
                    p
                    for p in self.pets_in(clause, known=self.known, transcript=False)
                    if is_name(p)
                ]
                or REQUEST_RE.search(clause)
                or MOVE_RE.search(clause)
                or _ANOTHER_TIME_RE.search(clause)
                or said.clock is not None
                or said.shift is not None
                or (said.anything and not _PET_NEWS_RE.search(clause))
            ):
                return False
        return True

    def requested_pets(self) -> list[str]:
        """Of several pets named, those of the sentences that ask for a day or time: "I've got
        two dogs, Bonnie and Clyde. Bonnie is fine. Could Clyde be seen tomorrow at 9:30?" is
        for Clyde alone. All named pets when no sentence singles some out."""
        # "can Max and Luna both come wednesday at 10? Oscar is fine": not Oscar
        names = without_pets_said_well(self.named_pets(), self.context.message)
        told = self.pets_told_booked()
        names = [n for n in names if n.lower() not in told] or names
        # "Jasper needs grooming … could he come after Ruby, say 10?": Ruby's visit the bound
        referred = self.pets_referred_to()
        # ("Dory needs the same thing as Nemo had last week": Nemo's only the model)
        referred |= {m.group(1) for m in _SAME_THING_AS_RE.finditer(self.text)}
        names = [n for n in names if n.lower() not in referred] or names
        if len(names) > 1 and self.new_visit_refused():
            # "same time friday then?" after Ginger's visit beside Pumpkin's and Spice's was
            # turned down: Ginger's visit only
            booked = {b.subject.lower() for b in self.upcoming}
            names = [n for n in names if n.lower() not in booked] or names
        if len(names) < 2:
            return names
        asked: list[str] = []
        for sentence in SENTENCE_RE.split(self.context.message):
            said = self.read(normalise(sentence))
            # ("… can he come Wednesday 10am? And could Nutmeg have a check up straight after
            # him": the time said is the other's visit, set 137)
            after = _RIGHT_AFTER_RE.search(normalise(sentence))
            # ("… and her sister Stella is due her booster, could she come at the same time?":
            # a time of its own too, set 156)
            if said.day or said.clock or said.part or said.same_time or after:
                # "Bella too, friday at 10", "can he and Bella come…", "can they come…": the
                # others are meant as well
                others = (
                    r"\b(?:too|as\s+well|also|both|all|each|they|them|(?:he|she|him|her)\s+and)\b"
                )
                if re.search(others + r"|\band\s+(?:he|she|him|her)\b", normalise(sentence)):
                    return names
                found = self.pets_in(sentence, known=[*self.known, *names], transcript=self.voice)
                asked += [n for n in names if n.lower() in {f.lower() for f in found}]
        return list(dict.fromkeys(asked)) or names

    def asked_service(self) -> Service:
        """The service the message asks for, read from its sentences that do not only tell a
        booking already made ("Duke and Daisy are booked in for grooming on Saturday at 10.
        Could Tigger come at 10.30 for his vaccine …?": the vaccination); the usual one else."""
        told = self.pets_told_booked()
        asked = [
            sentence
            for sentence in SENTENCE_RE.split(self.context.message)
            if not told
            or not {
                f.lower() for f in self.pets_in(sentence, known=self.known, transcript=self.voice)
            }
            <= told
        ]
        return self.profile.find_service(normalise(" ".join(asked))) or self.service(None)

    def pets_told_booked(self) -> set[str]:
        """The booked pets (lower case) a sentence of the message names with their booking's own
        time, told rather than asked for ("Could I book Clover … at half past 3? Salem and
        Mittens are in at 3 so I'll be there anyway": Salem and Mittens)."""
        told: set[str] = set()
        # ("kimchi's booked for her jab on monday the 21st at 10 - could her sister bibimbap
        # get hers done at the same time?", set 190: a dash ends the telling)
        for sentence in re.split(rf"{SENTENCE_RE.pattern}|\s[-–—]\s", self.context.message):
            said = self.read(normalise(sentence))
            if said.clock is None:
                continue
            found = self.pets_in(sentence, known=self.known, transcript=self.voice)
            if found and all(self.booked_then(f, said) for f in found):
                told |= {f.lower() for f in found}
        return told | self.pets_said_booked()

    def pets_said_booked(self) -> set[str]:
        """The booked pets (lower case) a clause says someone booked ("my wife booked pixel for
        friday at 12, can I add byte …?"), whatever time the customer remembers (set 138)."""
        told: set[str] = set()
        # (a dash between two clauses too: "kimchi's booked for her jab on monday the 21st at
        # 10 - could her sister bibimbap …", set 190)
        for clause in re.split(r"[,.;!?]|\s[-–—]\s", self.context.message):
            if not _BOOKED_TOLD_RE.search(normalise(clause)):
                continue
            on = self.read(normalise(clause)).day
            for pet in self.pets_in(clause, known=self.known, transcript=self.voice):
                if any(
                    b.subject.lower() == pet.lower()
                    and on in (None, self.local(b.slot_start).date())
                    for b in self.upcoming
                ):
                    told.add(pet.lower())
        return told

    def booked_then(self, pet: str, said: When) -> bool:
        """Whether ``pet`` has an upcoming booking at the time ``said`` (on its day, when one is
        said): the time is its booking's, told rather than asked."""
        return said.clock is not None and any(
            b.subject.lower() == pet.lower()
            and self.local(b.slot_start).time() == said.clock
            and said.day in (None, self.local(b.slot_start).date())
            for b in self.upcoming
        )

    def rules_out_booked_day(self) -> bool:
        """With nothing proposed, the message rules out the weekday of one upcoming booking of
        the next seven days ("wait no, not saturday, he's at my mum's that weekend" just after
        Saturday's was booked), names no other day nor a time, and books nothing new: that
        booking is given up, as "I can't make saturday" gives it up (its cancellation put to
        the customer, or another day to move it to)."""
        ruled = ruled_out_weekdays(self.text)
        if (
            not ruled
            or self.pending is not None
            or self.when.clock is not None
            or re.search(r"\bbook", self.text)
            or CANCEL_RE.search(self.text)  # "Sheru's appointment on Wednesday is not required"
            or self.only_unbooked_pets()
        ):
            return False
        week = self.local_now.date() + timedelta(days=7)
        booked = (self.local(b.slot_start).date() for b in self.upcoming)
        days = {day for day in booked if day.weekday() in ruled and day < week}
        return len(days) == 1 and self.when.day in (None, *days)

    def rules_out_pending_day(self, pending: PendingAction) -> bool:
        """The message rules out the proposal's weekday ("not saturday", "can't do saturday
        after all") and names no other day."""
        assert pending.slot_start is not None
        local = self.local(pending.slot_start)
        return local.weekday() in ruled_out_weekdays(self.text) and self.when.day in (
            None,
            local.date(),
        )

    def ask_instead(self, pending: PendingAction) -> AgentDecision:
        """The proposal is turned down with no new day or time readable: decline it (so a later
        "yes" confirms nothing) and ask for the day and time wanted instead. The declined slot
        is written out, so "at 5pm" next keeps its day (``day_from_history``)."""
        assert pending.slot_start is not None
        if pending.changes:
            return AgentDecision(
                intent=Intent.DECLINE,
                action_id=pending.id,
                reply="OK, I haven't changed anything. What would you like instead?",
            )
        done = "moved it" if pending.kind == "reschedule" else "booked it"
        if pending.kind == "book" and WEEK_SAID_RE.search(self.text):
            # "hmm anything next week instead": that week's first day with room, its times
            service = self.service(pending.service)
            day = self.first_free_day_in_week_said(service)
            if day is not None:
                asked = self.ask_time(When(day=day), service, pending.subject or "you")
                return AgentDecision(
                    intent=Intent.DECLINE,
                    action_id=pending.id,
                    reply=f"OK, I haven't {done} for {self.say(pending.slot_start)}. {asked.reply}",
                )
        # On a call "make it <words we cannot read> instead" said a day or time that the line
        # lost: the caller is asked to say it again rather than asked as if they had not.
        missed = self.voice and _CHANGED_TO_RE.search(self.text)
        ask = (
            "Sorry, I didn't catch the new day and time: could you say it again?"
            if missed
            else "Just message us here if you need anything else."
            # "no thanks, that's all", "no thanks, he's much better", "leave it thx": nothing
            # more is asked
            if CLOSES_RE.search(self.text)
            or self.no_with_a_reason()
            or LEAVE_IT_RE.search(self.text)
            else "What day and time would you like instead?"
        )
        # ("nah leave it actually. u see rabbits?", set 205: the question beside the no)
        answer = answers.answer(self.text, self.profile) if "?" in self.context.message else None
        if answer is not None and not missed:
            ask = answer
        return AgentDecision(
            intent=Intent.DECLINE,
            action_id=pending.id,
            reply=f"OK, I haven't {done} for {self.say(pending.slot_start)}. {ask}",
        )

    def open_question(self) -> str | None:
        """The question our last message asked, from it to the end ("What time on Wednesday 9
        December would you like? I have 12:00 or 14:45."), if the customer is answering it;
        None when the last turn is theirs, is not a question, or is the menu itself."""
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        said = history[-1].text.strip()
        end = said.rfind("?")
        if end < 0 or said == UNCLEAR:
            return None
        start = max(said.rfind(". ", 0, end), said.rfind("! ", 0, end))
        question = said[start + 2 :] if start >= 0 else said
        if said.startswith("Sorry, I didn't"):
            # Our "Sorry, I didn't catch that. Which day would you like?": that question again
            # (the caller said it again, and it was lost again), not the menu; but not a third
            # time, nor "Could you say it again?" (``unclear_on_a_call``) or the greeting's
            # open "How can I help you today?" (the menu says more)
            ours = [t.text.strip() for t in history if t.direction is Direction.OUTBOUND]
            if (
                start < 0
                or question in (SAY_AGAIN, _HOW_CAN_I_HELP)
                or (len(ours) >= 2 and ours[-2] == said)
            ):
                return None
        return question

    def pets_referred_to(self) -> set[str]:
        """The booked pets the message names only as a reference for a time ("same time as
        bella", "next to max's"), lower case: not the ones to change."""
        booked = {b.subject.lower() for b in self.upcoming}
        found = {m.group(1) or m.group(2) for m in _REFERENCE_RE.finditer(self.text)}
        named = {s.lower() for s in self.subjects if is_name(s)}
        with_ = {
            name.lower() for m in _COME_WITH_RE.finditer(self.text) for name in m.groups() if name
        } & booked
        if with_ and named - with_:
            # "can Sage come tomorrow with Fig instead, at the same time?": Fig's time, Sage moves
            found |= with_
        found |= {other for other, pet in kin_told(self.text) if pet in named}
        already = {m.group(1) for m in _ALREADY_BOOKED_RE.finditer(self.text)}
        if already and named - already:
            # "a check-up for Archie … around 4? Lola's already booked at 4 so I could bring
            # them together": Lola's booking the time, Archie's the visit asked
            found |= already
        if re.search(
            r"\b(?:same\s+(?:time|day|slot)\s+as|next\s+to|alongside)\s+(?:her|him)\b", self.text
        ):
            # "can he come at the same time as her": the pet talked about last
            named = {s.lower() for s in self.subjects if is_name(s)}
            earlier = [s.lower() for s in self.subjects_from_history() if is_name(s)]
            found |= {p for p in earlier[-1:] if p not in named}
        if re.search(
            r"\b(?:same\s+(?:time|day|slot)\s+as|next\s+to|alongside|with)\s+(?:the\s+others|the\s+rest"
            r"|them|the\s+other\s+(?:two|2|ones))\b",
            self.text,
        ):
            # "can you move coco to the same time as the others?": the pets not named
            named = {s.lower() for s in self.subjects if is_name(s)}
            found |= booked - named
        return found & booked

    def pets_only_referred_to(self) -> set[str]:
        """Of ``pets_referred_to``, those the message names nowhere else ("put Luna's jab
        right after Oscar's groom": Oscar; not Bruno in "move bruno to thursday … same time as
        bruno"), lower case."""
        rest = _REFERENCE_RE.sub(" ", self.text)
        return {p for p in self.pets_referred_to() if not re.search(rf"\b{re.escape(p)}\b", rest)}

    def booking_referred_by_service(self) -> BookingView | None:
        """The one upcoming booking the message names by its service only as the day or time to
        copy ("can the tuesday one go to the same day as the dental?"): not the one to change.
        None when no such phrase names a service, or not exactly one booking has it."""
        found = _SAME_AS_SERVICE_RE.search(self.text)
        if found is None:
            return None
        said = {s.key for s in answers.services_named(found["what"], self.profile)}
        of_service = [b for b in self.upcoming if b.service in said]
        return of_service[0] if len(of_service) == 1 else None

    def new_visit_refused(self) -> bool:
        """Whether our last message turned down a time for a new visit and offered others:
        the customer's request before it named a pet without a booking ("can Ginger come at
        the same time?" beside Pumpkin's), so "same time friday then?" is that visit, not a
        move of a booking."""
        if not self.offered_last():
            return False
        earlier = self.request_before_ours()
        return earlier is not None and not asks_move(earlier.text) and earlier.names_unbooked_pet()

    def other_service_as_well(self) -> bool:
        """Whether the message asks for a service none of the upcoming bookings is, as well as
        them: "i thought we'd booked his teeth as well. can he have the dental the same day,
        2pm?" (set 216) is a visit of its own, not the vaccination moved."""
        if not re.search(r"\b(?:as\s+well|too|also)\b", self.text) or asks_move(self.text):
            return False
        named = answers.services_named(self.text, self.profile)
        booked = {b.service for b in self.upcoming}
        return bool(named) and all(s.key not in booked for s in named)

    def only_unbooked_pets(self) -> bool:
        """Whether the message names pets (besides those named only for their time) and none of
        them has an upcoming booking: "could Bella come at 11 the same day?" after Max's booking
        asks for Bella's, it moves nothing."""
        # ("… book Luna in … Same time as Buddy's would be easiest": Buddy's only the time)
        # (nor those told with their booking: "juno (the mum 🐶) is in with you wednesday at
        # 11. can her puppy taco come the day after, same time", set 188)
        referred = self.pets_referred_to() | self.pets_told_booked()
        named = [s.lower() for s in self.subjects if is_name(s) and s.lower() not in referred]
        booked = {b.subject.lower() for b in self.upcoming}
        return bool(named) and not booked.intersection(named)

    def in_week_said(self, bookings: list[BookingView]) -> list[BookingView] | None:
        """Of ``bookings``, those in the week the message names as theirs ("max's appointment
        next week", "what have we got this week?"; ``_WEEK_OF_BOOKING_RE``), Monday to Sunday;
        None when it names no such week."""
        week = _WEEK_OF_BOOKING_RE.search(self.text)
        if week is None:
            return None
        today = self.local_now.date()
        first = (
            today
            - timedelta(days=today.weekday())
            + timedelta(days=7 if week["which"] == "next" else 0)
        )
        return [
            b
            for b in bookings
            if first <= self.local(b.slot_start).date() < first + timedelta(days=7)
        ]

    def booked_on_a_day_said(
        self, targets: list[BookingView]
    ) -> tuple[list[BookingView], tuple[int, int] | None]:
        """Of several ``targets``, the one whose day the message names ("move the one on the
        11th to saturday", "can Friday's go to Monday"), and where that day is said (start,
        end in ``self.text``): every day said is read on its own, and exactly one booking must
        fall on them; else ``targets`` unchanged and None."""
        spans: dict[date, tuple[int, int]] = {}
        for found in DAY_MENTION_RE.finditer(self.text):
            if _DAY_OF_A_LATER_WEEK_RE.search(self.text[: found.start()]) or re.match(
                r"\s+(?:week|fortnight|after)\b", self.text[found.end() :]
            ):
                # "move to a week on friday", "friday week", "the friday after": a day of a
                # later week, never the booked one's name
                continue
            day = self.read(found.group(0)).day
            if day is not None:
                spans.setdefault(day, found.span())
        # "move the thursday one to friday", "can we move the dental to friday morning?": the
        # day moved to names no booking
        to = {
            day
            for day, (start, _) in spans.items()
            if re.search(
                r"\b(?:to|till|until|onto|into)\s+(?:the\s+|this\s+|next\s+)?$", self.text[:start]
            )
        }
        on_day = [
            b
            for b in targets
            if self.local(b.slot_start).date() in spans
            and self.local(b.slot_start).date() not in to
        ]
        if not on_day:
            # "move max's appointment next week to the wednesday": the one booking in the week
            # named (the day moved to is read with that week, from the whole message)
            in_week = self.in_week_said(targets)
            if in_week is not None and len(in_week) == 1:
                return in_week, None
        if len(on_day) != 1:
            return targets, None
        start, end = spans[self.local(on_day[0].slot_start).date()]
        own = _OWN_TIME_AFTER_RE.match(self.text, end)
        if own is not None and self.read(f"at {own['time']}").clock == (
            self.local(on_day[0].slot_start).time()
        ):
            # "Rocky's appointment this afternoon at half 4 … tomorrow first thing": its own
            # time goes with the day that says which booking
            end = own.end()
        return on_day, (start, end)

    def one_pointed_at(self, targets: list[BookingView]) -> list[BookingView]:
        """Of several ``targets``, the one the message points at by its service ("ziggy's teeth
        cleaning" of a jab and a dental), its time ("the 4 o'clock one") or its part of the day
        ("the afternoon one"); ``targets`` unchanged when none or several fit, or the message
        asks for another service (the service said is then the new one)."""
        if len(targets) < 2:
            return targets
        if not answers.services_changed_to(self.text, self.profile):
            said = {s.key for s in answers.services_named(self.text, self.profile)}
            of_service = [b for b in targets if b.service in said]
            if len(of_service) == 1:
                return of_service
        pointed = POINTED_VISIT_RE.search(self.text)
        if pointed is not None and pointed["part"]:
            in_part = [
                b for b in targets if part_of_day(self.local(b.slot_start).hour) == pointed["part"]
            ]
            return in_part if len(in_part) == 1 else targets
        if pointed is not None:
            clock = self.read(f"at {pointed['clock'] or pointed['clock2']}").clock
            at_time = [b for b in targets if self.local(b.slot_start).time() == clock]
            return at_time if len(at_time) == 1 else targets
        made = self.made_when_said(targets)
        return made if len(made) == 1 else targets

    def narrowed_to_one(self, bookings: list[BookingView]) -> list[BookingView]:
        """Of several ``bookings``, the one the message points at by its day ("the friday
        one"), then by its service, time or part of the day (``one_pointed_at``)."""
        return self.one_pointed_at(self.booked_on_a_day_said(bookings)[0])

    def made_when_said(self, targets: list[BookingView]) -> list[BookingView]:
        """Of ``targets``, those our "Done: …" messages booked when the message says the
        booking was made ("the one I booked yesterday", "the appointment I just made"): on
        the day said (yesterday, today), else at any time in the conversation; empty when the
        message says no such thing."""
        found = _MADE_WHEN_RE.search(self.text)
        if found is None:
            return []
        today = self.local_now.date()
        said = found["when"] or ""
        day = (
            today - timedelta(days=1)
            if said in ("yesterday", "last night")
            else today
            if said in ("today", "this morning", "earlier")
            else None
        )
        made: list[BookingView] = []
        for turn in self.context.history:
            if turn.direction is not Direction.OUTBOUND or not turn.text.startswith("Done:"):
                continue
            if day is not None and self.local(turn.at).date() != day:
                continue
            made += [b for b in targets if self.say(b.slot_start) in turn.text and b not in made]
        return made

    def when_besides_booked_day(self, booking: BookingView) -> When:
        """The day and time asked for when the message also names ``booking``'s own day as
        the one given up ("can you cancel friday and book her in for next week instead? thursday
        at 4": Thursday 17, not Friday 18): what the rest says, if it names another day; else
        ``self.when``."""
        booked_day = self.local(booking.slot_start).date()
        if self.when.day is not None and (
            self.when.day == booked_day or self.when.day.weekday() != booked_day.weekday()
        ):
            # the booked day itself (``wanted_instead_of`` reads what comes after it), or a day
            # that is not the booked one's name said again
            return self.when
        _, mention = self.booked_on_a_day_said([booking])
        if mention is None or re.match(
            r"\s*(?:instead\s+of|rather\s+than)\b", self.text[mention[1] :]
        ):
            return self.when
        if _NTH_BEFORE_RE.search(self.text[: mention[0]]):
            # "to the first monday of next month": a weekday counted in a month, not the booked
            return self.when
        rest = self.read(f"{self.text[: mention[0]]} {self.text[mention[1] :]}")
        if rest.day is None or rest.day == booked_day:
            return self.when
        return rest

    def bookings_listed(self, ours: str) -> list[BookingView]:
        """The upcoming bookings our message ``ours`` lists, as ``which_one`` names them ("Max's
        consultation on Wednesday 9 December at 11:00", "Luna on …"); a booking of the same slot
        as one listed but of another pet is not listed."""
        listed = []
        for b in self.upcoming:
            said = re.escape(self.say(b.slot_start))
            if not re.search(said, ours):
                continue
            if is_name(b.subject) and not re.search(
                rf"\b{re.escape(b.subject)}(?:'s\s+[a-z -]+)?\s+on\s+{said}", ours
            ):
                continue
            listed.append(b)
        return listed

    def which_one(self, verb: str, bookings: list[BookingView]) -> AgentDecision:
        # a pet's two bookings told apart by their services too: "Milo's grooming on …"
        pets = Counter(b.subject.lower() for b in bookings[:4])

        def named(b: BookingView) -> str:
            who = b.subject if is_name(b.subject) else "the one"
            if pets[b.subject.lower()] > 1 and b.service:
                return f"{who}'s {self.keyed_service(b.service).name}"
            return who

        listed = " or ".join(f"{named(b)} on {self.say(b.slot_start)}" for b in bookings[:4])
        return reply_as(Intent.CLARIFY, f"Which appointment should I {verb}: {listed}?")

    def none_for_pets_named(self, verb: str) -> AgentDecision | None:
        """A move or cancellation for pets with no booking while others have one ("move
        Charlie's appointment" with only Max booked): which of the bookings there are, asked as
        ``which_one`` does (so the pet's name in the answer picks it). None when no pet is named,
        one named is booked, or nothing is booked."""
        named = [s for s in self.subjects if is_name(s)]
        if not self.upcoming or not named or self.targets(named):
            return None
        asked = self.which_one(verb, self.upcoming)
        return asked.model_copy(
            update={"reply": f"{asked.reply} I can't find one for {join(named)}."}
        )

    def said_of(self, pattern: re.Pattern[str]) -> list[str]:
        """The pets named in the clauses of the message that ``pattern`` (over normalised text)
        matches: in "Juno doesn't need to come after all, Ziggy still does", the cancel is said
        of Juno only."""
        found: list[str] = []
        for clause in CLAUSE_RE.split(self.context.message):
            if pattern.search(normalise(clause)):
                found += self.pets_in(clause, known=self.known, transcript=self.voice)
        return [s for s in dict.fromkeys(found) if is_name(s)]

    def pet_referred_to(self, pattern: re.Pattern[str]) -> list[str]:
        """The booked pet a "her"/"his"/"him" in the clause ``pattern`` matches stands for: the
        one named last before that clause ("we can only bring Max, Bella's gone to my mum's,
        so cancel hers" is Bella's). Empty when no such clause or no booked pet before it."""
        booked = {b.subject.lower() for b in self.upcoming}
        message = self.context.message
        start = 0
        for clause in CLAUSE_RE.split(message):
            if clause is None:
                continue
            at = message.find(clause, start)
            start = at + len(clause) if at >= 0 else start
            said = normalise(clause)
            if pattern.search(said) and re.search(r"\b(?:hers|her|his|him)\b", said):
                head = message[: max(at, 0)]
                before = self.pets_in(head, known=self.known, transcript=self.voice)
                earlier = [s for s in before if is_name(s) and s.lower() in booked]
                # the one named last: known names come first from ``subjects_in``, so by place
                earlier.sort(key=lambda name: head.lower().rfind(name.lower()))
                return earlier[-1:]
        return []

    def named_pets(self) -> list[str]:
        """The pets named in this message, else in the customer's last messages."""
        return [s for s in self.subjects or self.subjects_from_history() if is_name(s)]
