"""Cancellations, a visit's service changed, and a slot swapped or handed to another pet."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Self

from switchboard.agent_models import (
    AgentDecision,
    BookingProposal,
    BookingView,
    ChangeKind,
    Intent,
)
from switchboard.availability import check_slot
from switchboard.business import Service
from switchboard.providers.rules_agent.chat import Chat
from switchboard.providers.rules_agent.helpers import (
    Plan,
    a_an,
    and_listed,
    as_utc,
    ask_clauses,
    asks_move,
    cancel_read_back,
    for_,
    part_of_day,
    reply_as,
)
from switchboard.providers.rules_agent.patterns import (
    CANCEL_RE,
    CANCEL_WORD_RE,
    CLAUSE_END,
    CLAUSE_RE,
    DAY_MENTION_RE,
    EVERY_RE,
    FEW_BY_ORDER_RE,
    JOIN_RE,
    MOVE_RE,
    OFFERED_INSTEAD_RE,
    SENTENCE_RE,
)
from switchboard.understanding import answers
from switchboard.understanding.subjects import is_name, join, without_pets_kept
from switchboard.understanding.text import normalise
from switchboard.understanding.when import When, merge, ruled_out_weekdays

# A day owning a visit: "tomorrow's", "today's", "friday's" (the visit of that day)
_OWNED_RELATIVE_DAY_RE = re.compile(
    r"\b(?P<day>today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)'s\b"
)
# A clause that asks for a change of its own (``each_ask_alone``): a move, a booking, a pet's
# visit wanted ("ziggy needs a check up too", "can ruby have her jab …")
# Where a move goes, said after the move word: "could we move it to wednesday at the same time".
_MOVED_TO_RE = re.compile(
    r"\b(?:move|moved|change|changed|push|pushed|bring|switch|put)\b[^,.;!?]*?\bto\s+(?P<where>.+)$"
)
_ASKS_RE = re.compile(
    r"\b(?:move|moving|put|book|change|swap|switch|push|bring|add|reschedule|rebook|fit|squeeze"
    r"|pop|needs?|have|come|go|make|due|overdue|stick|bump|shift|do|instead)\b"
    # ("can his jab tomorrow be 11.30 instead of 11?")
    r"|\bbe\s+(?:at\s+)?\d"
)
# A cancellation on a condition of the service: "unless it's his booster", "unless it's the
# grooming one"
_UNLESS_SERVICE_RE = re.compile(
    r"\bunless\s+(?:it's|it\s+is|that's|that\s+is|its)\s+[^,.;!?-]{3,30}"
)
# A visit said to be needed no more: "Bella doesn't need her jab after all", "we'll have to give
# it a miss", "hugo doesn't need his groom on saturday any more" (a cancelling clause)
_NOT_NEEDED_RE = re.compile(
    r"\b(?:doesn't|does\s+not|don't|do\s+not|won't|no\s+longer)\s+(?:be\s+)?need(?:ing)?\b"
    r"|\bgive\s+(?:it|that|them|this|the\s+\w+)\s+a\s+miss\b"
)
# Another pet given the same change: "and the same for Felix please", "same with plum"
_SAME_FOR_RE = re.compile(
    r"\b(?:the\s+)?same\s+(?:for|with)\s+(?P<pet>[a-z][a-z-]+)\b"
    # "yes, and poppy's too please – same new time", "and Max's on friday too"
    r"|\band\s+(?P<pet2>[a-z][a-z-]+)'s\b[^.;!?]{0,25}?\b(?:too|as\s+well)\b"
)
# Our question which booking to cancel (``each_ask_alone``)
# The day a booking was made, not its visit's: "the check up I booked for willow on saturday".
_BOOKED_ON_RE = re.compile(
    r"\b(?:i|we)\s+(?:booked|made|arranged)\s+(?:\w+\s+){0,3}?on\s+(?:mon|tues|wednes|thurs|fri|satur"
    r"|sun)day\b"
)
_WHICH_CANCEL_RE = re.compile(r"(?:Sorry, )?Which appointment should I cancel\b")
# One change or another, not both: "cancel bella's, unless you have anything on thursday?"
_EITHER_OR_RE = re.compile(
    r"\b(?:unless|otherwise|or\s+else|if\s+not|instead\s+of\s+cancel\w*|rather\s+than)\b"
)
# The customer's pets spoken of together: "the cats' jabs", "the dogs' appointments", "our
# pets" (each of their bookings on the day meant, ``meant_each``)
_THE_PETS_RE = re.compile(
    r"\b(?:the|our|my|both)\s+(?:cats|dogs|pets|rabbits|kittens|puppies|pups|animals|boys|girls)"
    r"(?:'|\b)"
)
# A visit said to be still wanted beside a cancellation: "still need the jab though".
_STILL_NEEDED_RE = re.compile(
    r"\bstill\s+(?:need|needs|want|wants|keeping|keep)\s+(?:the\s+|his\s+|her\s+|their\s+|a\s+|an\s+)?"
    r"(?P<what>[a-z][a-z -]{1,25})"
)
_TAKES_SLOT_RE = re.compile(
    r"\b(?:take|have|get|use|go\s+in|come\s+in)\s+(?:(?:his|her|their|its)|(?P<owner>[a-z][a-z-]+)'s)"
    r"\s+(?:slot|spot|place|appointment|appt|booking|time)\b"
    # "but Ginger has started scratching, could he have the slot instead?"
    r"|\b(?:take|have|get|use)\s+(?:the|that)\s+(?:(?:slot|spot|place)\b|(?:appointment|appt"
    r"|booking)\s+instead\b)"
    # "swap max's appointment for bella", "give his slot to bella", "change it over to bella"
    r"|\b(?:swap|switch|change|give|transfer|pass|hand)\s+(?:(?:his|her|their|its)"
    r"|(?P<giver>[a-z][a-z-]+)'s)\s+(?:slot|spot|place|appointment|appt|booking)\s+"
    r"(?:over\s+)?(?:for|to)\b"
    # "give shadow his slot", "could Shadow have that slot instead of waiting till monday?"
    r"|\bgive\s+(?P<taker>[a-z][a-z-]+)\s+(?:his|her|their|its|that|the|(?P<giver2>[a-z][a-z-]+)'s)\s+"
    r"(?:slot|spot|place|appointment|appt|time)\b"
    r"|\b(?:could|can|would)\s+(?P<taker2>[a-z][a-z-]+)\s+(?:have|take|get|use)\s+(?:his|her|their"
    r"|its|that|the)\s+(?:slot|spot|place|time)\b"
    # "book bella in his place"
    r"|\bin\s+(?:his|her|their|its|(?P<replaced>[a-z][a-z-]+)'s)\s+(?:place|slot|spot|stead)\b"
    # "cancel max friday and book bella instead same time"
    r"|\bcancel\b.{0,60}\b(?:and|but|then)\s+(?:can\s+you\s+|could\s+you\s+|please\s+)?"
    r"(?:book|put|bring|have|do)\b.{0,30}\b(?:instead|same\s+time|that\s+slot|then)\b"
    # "it's bella who needs the checkup not max, can you change the name?"
    r"|\bchange\s+(?:the|its|it's|his|her)\s+name\b|\bput\s+it\s+(?:in|under)\s+\w+'s\s+name\b"
    # "booked the jab on friday under mochi but its actually yuzu who needs it" (set 230)
    r"|\bunder\s+[a-z][a-z-]+\b[^.?!]{0,40}?\b(?:it's|its|it\s+is)\s+(?:actually\s+|really\s+)?"
    r"[a-z][a-z-]+\s+who\s+needs?\b"
)
# Not coming, said without asking for anything ("can't make it sorry"), and the words that do ask
# for a cancellation.
_CANT_COME_RE = re.compile(
    r"\b(?:can't|cant|cannot|won't|wont|will\s+not|unable\s+to)\s+(?:be\s+able\s+to\s+)?"
    r"(?:make|come)\b|\bnot\s+coming\b|\b(?:can|could)\s+no\s+longer\s+(?:make|come|do)\b"
)
# A cancelled booking's slot given to another pet: "can Max have the slot instead?", "put Rex
# in her place".
_SLOT_GIVEN_RE = re.compile(
    r"\b(?:the|that|her|his|their|its|\w+'s)\s+(?:slot|spot|place|time|appointment)\b"
    r"|\bin\s+(?:her|his|their|its)\s+place\b|\bsame\s+(?:time|slot)\b"
)


# A question, then another request in the same message: "…on thursday again? and could his
# brother bruno…", "just checking poppy's still on for saturday? and can i book…".
_QUESTION_THEN_ASK_RE = re.compile(
    r"\?+\s*(?:(?:and|also|oh|plus)\s+)*(?=(?:can|could|would|may|please|book|(?:i|we)(?:'d|\s+would"
    r"|\s+want|\s+need|'ll\s+need))\b)"
    r"|\?+\s*(?:and|also|plus)\s+",
    re.IGNORECASE,
)
# "at the same time", "same time": a time taken from a booking just said.
_SAME_TIME_RE = re.compile(r"\b(?:at\s+)?(?:the\s+)?same\s+time\b", re.IGNORECASE)
# Two bookings' places exchanged: "swap max and luna", "switch them around", "trade places".
# What a swap of two visits on different days exchanges: only the days ("swap days", "keep their
# times") or only the times ("swap their times", "keep the days")
# A service excepted from "all": "all of archie's appointments except the jab", "everything but
# her groom"
_EXCEPT_SERVICE_RE = re.compile(
    r"\b(?:except|but\s+not|apart\s+from|other\s+than|but|bar)\s+(?:for\s+)?(?:the|his|her"
    r"|their|its|[a-z]+'s)\s+(?P<what>[a-z]+(?:[\s-]up)?)\b"
)
# The same again for another: "felix as well", "bella too", "also luna" (unless booked anew)
_ALSO_RE = re.compile(r"\b(?:as\s+well|too|also)\b")
_BOOK_RE = re.compile(r"\b(?:book|booking|new\s+appointment)\b")
_SWAP_DAYS_RE = re.compile(
    r"\bswap\s+(?:their\s+|the\s+)?days\b|\b(?:keep|same)\s+(?:their\s+|the\s+)?times?\b"
)
_SWAP_TIMES_RE = re.compile(
    r"\bswap\s+(?:their\s+|the\s+)?times\b|\b(?:keep|same)\s+(?:their\s+|the\s+)?days?\b"
)
_SWAP_RE = re.compile(
    r"\b(?:swap|swapped|swapping|trade|exchange)\b|\bswitch\b.{0,40}\b(?:around|round|over)\b"
    # "can max have bella's slot and bella have max's"
    r"|\b(?P<a>[a-z]+)\s+(?:have|take|get)\s+(?P<b>[a-z]+)'s\s+(?:slot|time|appointment|one|place)\b"
    r".{0,20}\band\s+(?P=b)\s+(?:have|take|get)\s+(?P=a)'s\b"
)
# Bookings said in the plural: "our appointments", "the bookings on wednesday".
_OUR_BOOKINGS_RE = re.compile(r"\b(?:our|the|their|my)\s+(?:appointments|appts|bookings|slots)\b")

# The pet of a booking cancelled booked again: "and book her a checkup instead", "rebook him
# for a jab".
_BOOKED_AGAIN_RE = re.compile(
    r"\b(?:book|rebook|re-book|put|get)\s+(?:her|him|them|it)\s+(?:in\s+)?(?:for\s+)?(?:a|an)\b"
)

# Away from a day on: "from the 18th until the new year", "from friday till the 3rd" (normalised;
# "the new year" is no day here, so no end)
_FROM_DAY_ON_RE = re.compile(
    r"\b(?:from|after)\s+(?P<day>(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?(?:\s+of\s+[a-z]+|\s+[a-z]{3,9})?"
    r"|(?:this\s+|next\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b"
    r"(?:\s+(?:until|till|to)\s+(?P<until>(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\b))?"
)
# Everything from then on: "anything we've got from then on", "all our appointments after that"
_FROM_THEN_ON_RE = re.compile(
    r"\b(?:from\s+then\s+on|from\s+that\s+day\s+on|after\s+that|onwards?|from\s+then)\b"
)

# One pet of a shared visit still coming: "so it's just honey coming", "only max now" (normalised)
# A booking said to stay beside a cancellation: "tomorrow's jab is still on though".
# A pet added "too", at the time of another's new visit: "oh and barney too, check up, same time
# as otto if there's room".
_TOO_SAME_TIME_RE = re.compile(
    r"\b(?:and\s+)?(?P<pet>[a-z][a-z-]+)\s+(?:too|as\s+well|also)\b[^.?!]{0,40}?\bsame\s+time\s+as\s+"
    r"(?P<model>[a-z][a-z-]+)\b"
)
_STILL_ON_RE = re.compile(
    # ("the jab on the 22nd is still fine", "the one on the 4th can stay": set 166)
    r"(?P<what>\b(?:[a-z]+'s|the|his|her|their)\s+(?:[a-z0-9-]+\s+){0,4}?)(?:(?:is|are)\s+still\s+"
    r"(?:on|fine|needed|happening|going\s+ahead|ok|okay|booked)|(?:can|will|should)\s+(?:stay"
    r"|stand|remain)|(?:still\s+)?(?:stays|stands|remains))\b"
)
_ONLY_ONE_COMING_RE = re.compile(
    r"\b(?:it's|its|it\s+is|it'll\s+be|it\s+will\s+be)\s+(?:just|only)\s+(?P<who>[a-z]+)\s+"
    r"(?:coming|now|then|this\s+time)\b"
    # "oh wait sorry, just moss actually - treacle already went last week"
    r"|\b(?:just|only)\s+(?P<who2>[a-z]+)\s+(?:coming|will\s+come|actually|then|for\s+now)\b"
    # "only Fred needs to come in now"
    r"|\b(?:just|only)\s+(?P<who3>[a-z]+)\s+(?:needs?\s+to|has\s+to|will(?:\s+need\s+to)?"
    r"|is\s+going\s+to)\s+(?:come|be\s+seen)\b"
)
# A booking kept by its time: "we'll keep the 10 o'clock", "keep the 10.30 one" (normalised)
_KEPT_TIME_RE = re.compile(
    r"\b(?:keep|keeping|leave)\s+(?:the\s+)?(?P<time>\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|o'clock)?)"
    r"(?=\s+(?:one|appointment|booking|slot)\b|\s*$|\s*[,.;!?]|\s+(?:and|but|please|thanks)\b)"
)
# A time said after "at": "gravy at 10.30", "at 4pm".
_AT_TIME_RE = re.compile(r"\bat\s+(\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)")


# A pet's booking left out of "all", with what says which: "except Toby's dental tomorrow",
# "apart from max's one on friday" (normalised).
_EXCEPT_BOOKING_RE = re.compile(
    r"\b(?:except(?:\s+for)?|apart\s+from|but\s+not|other\s+than|besides|excluding)\s+"
    r"(?:for\s+)?(?P<who>[a-z][a-z-]+)'s\b(?P<what>(?:\s+(?!and\b|but\b|please\b)[a-z0-9:.-]+){0,4})"
)


# A clause that asks something of us: "can it be friday at 6", "could she come at 10".
# What the customer had said, against what we did: "I said DOLLY not kobe!" (a reproach, no
# ask of its own).
_WHAT_I_SAID_RE = re.compile(r"i\s+(?:said|asked\s+for|meant|wrote)\s+[a-z]+\s+not\s+[a-z]+\W*$")
_ASKED_OF_US_RE = re.compile(
    r"\b(?:can|could|would|will|shall)\s+(?:it|she|he|they|we|you|u|i|[a-z]+'s)\b"
)


# Every booking of the one pet named: "cancel both of hers", "all his appointments".
_ALL_OF_ONES_RE = re.compile(
    r"\b(?:both|all)\s+(?:of\s+)?(?:hers|his|her\s+(?:appointments|appts|bookings|visits)"
    r"|his\s+(?:appointments|appts|bookings|visits))\b"
)
# The bookings of the pets just named, all of them: "cancel their two", "both of theirs".
_THEIR_BOTH_RE = re.compile(
    r"\b(?:their|them)\s+(?:two|2|both)\b|\bboth\s+of\s+(?:theirs|them|their\s+\w+)\b"
    r"|\bthe\s+two\s+of\s+them\b|\bboth\s+(?:appointments|bookings)\b"
)
# A week something starts from: "from this week", "as of next week".
_FROM_WEEK_RE = re.compile(r"\b(?:from|as\s+of|starting)\s+(?:this|next)\s+week\b")


class Cancelling(Chat):
    """Cancellations, a visit's service changed, and a slot swapped or handed to another pet."""

    def only_one_coming(self) -> AgentDecision | None:
        """ "about the cats on the 15th - smudge is all better now so it's just honey coming": the
        bookings of the other pets in the named pet's visit, proposed for cancelling. None when
        the message says no such thing, or the pet has no visit shared with others."""
        found = _ONLY_ONE_COMING_RE.search(self.text)
        if found is None:
            return None
        who = found["who"] or found["who2"] or found["who3"]
        hosts = [b for b in self.upcoming if b.subject.lower() == who]
        if self.when.day is not None:
            hosts = [b for b in hosts if self.local(b.slot_start).date() == self.when.day]
        slots = {as_utc(b.slot_start) for b in hosts}
        others = [
            b for b in self.upcoming if b.subject.lower() != who and as_utc(b.slot_start) in slots
        ]
        if not others:
            return None
        return self.cancel_each(others)

    def cancelled_from_a_day(self) -> AgentDecision | None:
        """ "we're away from the 18th until the new year, so can you cancel anything we've got
        from then on? mochi's jab this saturday is still fine": every booking from that day
        on (until the day said, if any), except the pets said to stay. None when the message
        cancels nothing from a day on."""
        found = _FROM_DAY_ON_RE.search(self.text)
        if found is None or not _FROM_THEN_ON_RE.search(self.text):
            return None
        start = self.read(found["day"]).day
        if start is None:
            return None
        until = self.read(found["until"]).day if found["until"] else None
        kept = {k.lower() for k in self.kept}
        dropped = [
            b
            for b in self.upcoming
            if self.local(b.slot_start).date() >= start
            and (until is None or self.local(b.slot_start).date() <= until)
            and b.subject.lower() not in kept
        ]
        if not dropped:
            return None
        return self.cancel_each(dropped)

    def cancel_each(self, bookings: list[BookingView]) -> AgentDecision:
        """The cancellation of ``bookings`` (one or more) proposed for one yes."""
        if len(bookings) == 1:
            return self.propose_cancel(bookings[0])
        return self.several(
            [Plan("cancel", b.subject, as_utc(b.slot_start), b.service, b) for b in bookings]
        )

    def bookings_excepted(self, kept: set[str]) -> list[BookingView]:
        """The bookings of the ``kept`` pets an "all … except" leaves out: those of the
        service or day said after the pet ("everything except Toby's dental tomorrow"), else
        all of the pet's."""
        spared: list[BookingView] = []
        for found in _EXCEPT_BOOKING_RE.finditer(self.text):
            who = found["who"]
            if who not in kept:
                continue
            theirs = [b for b in self.upcoming if b.subject.lower() == who]
            said = found["what"] or ""
            services = {s.key for s in answers.services_named(said, self.profile)}
            day = self.read(said).day
            which = [
                b
                for b in theirs
                if (not services or b.service in services)
                and (day is None or self.local(b.slot_start).date() == day)
            ]
            spared += which or theirs
        return spared or [b for b in self.upcoming if b.subject.lower() in kept]

    def service_spared(self) -> AgentDecision | None:
        """ "cancel all of Archie's appointments except the jab": every one of the pet's (or,
        no pet named, every) booking but those of the service excepted, proposed for one yes.
        None when the message excepts no service, or every booking is of it."""
        found = _EXCEPT_SERVICE_RE.search(self.text)
        if found is None or not EVERY_RE.search(self.text[: found.start()]):
            return None
        service = self.profile.find_service(found["what"])
        if service is None:
            return None
        booked = {b.subject.lower() for b in self.upcoming}
        named = [s for s in self.subjects if s.lower() in booked]
        dropped = [
            b for b in (self.targets(named) if named else self.upcoming) if b.service != service.key
        ]
        if not dropped:
            return None
        return self.cancel_each(dropped)

    def cancel(self) -> AgentDecision:
        handed = self.slot_handed_over()
        if handed is not None:
            return handed  # "cancel max friday and book bella instead same time"
        from_day = self.cancelled_from_a_day()
        if from_day is not None:
            return from_day
        kept = self.pets_kept()
        if kept:
            # "cancel all our appointments except Max's": every other booking, never Max's;
            # "everything except Toby's dental tomorrow": that one of Toby's only
            excepted = self.bookings_excepted(kept)
            dropped = [b for b in self.upcoming if b not in excepted]
            if dropped:
                return self.cancel_each(dropped)
        spared = self.service_spared()
        if spared is not None:
            return spared
        mixed = self.move_and_cancel()
        if mixed is not None:
            return mixed
        # Pets named in the cancelling clause; else booked pets named anywhere ("We're moving
        # out of Paris, so please cancel both": Paris is nobody's appointment).
        booked = {b.subject.lower() for b in self.upcoming}
        in_clause = self.said_of(CANCEL_RE) or self.pet_referred_to(CANCEL_RE)
        named = in_clause or [s for s in self.subjects if s.lower() in booked]
        pending = self.pending
        if (
            pending is not None
            and pending.kind == "cancel"
            and pending.subject
            and re.search(r"\bcancel\w*\s+(?:them\s+)?both\b", self.text)
            and pending.subject.lower() not in {n.lower() for n in named}
        ):
            # "actually, cancel both of them. Muffin's fine too" while Fudge's waits: both
            named = [*named, pending.subject]
        other = re.search(
            r"\bcancel\w*\s+(?:the\s+)?other\s+(?:one|appointment|booking)\b", self.text
        )
        if other is not None and named:
            # "we'll only be bringing Poppy tomorrow, can you cancel the other one?": the
            # booking of the pet not named
            coming = {n.lower() for n in named}
            rest = [b for b in self.upcoming if b.subject.lower() not in coming]
            if len(rest) == 1:
                return self.propose_cancel(rest[0])
        # "cancel friday's, max is still coming": never Max's
        kept_now = {k.lower() for k in self.kept}
        named = [n for n in named if n.lower() not in kept_now]
        # ("cancel the dog's appointment": the booking of that kind of pet)
        kinds = [s for s in self.subjects if s.startswith("your ")]
        targets = self.first_booking_said(self.targets(named or kinds))
        targets = [b for b in targets if b.subject.lower() not in kept_now]
        targets = self.without_bookings_kept(targets)  # "… the fri groom is fine"
        still = _STILL_NEEDED_RE.search(self.text)
        if still is not None and len(targets) > 1:
            # "can you cancel the one I booked yesterday? … still need the jab though": never
            # the jab
            needed = {s.key for s in answers.services_named(still["what"], self.profile)}
            others = [b for b in targets if b.service not in needed]
            targets = others if needed and others else targets
        # (clause by clause: "cancel the friday one, tuesday is still fine" keeps Tuesday's)
        still_on = next(
            (
                found
                for clause in re.split(r"[,.;!?]", self.context.message)
                if (found := _STILL_ON_RE.search(normalise(clause)))
            ),
            None,
        )
        if still_on is not None and len(targets) > 1:
            # "… cancel the follow up next week? Tomorrow's jab is still on though": never the
            # booking the clause keeps (by its day, else its service)
            kept_day = self.read(still_on["what"]).day
            services = {s.key for s in answers.services_named(still_on["what"], self.profile)}
            # ("bean's groom on friday is still on tho": Bean's only, not Pip's that Friday)
            owner = re.match(r"([a-z][a-z-]+)'s\b", still_on["what"])
            whose = (
                owner[1]
                if owner and owner[1] in {b.subject.lower() for b in self.upcoming}
                else None
            )
            others = [
                b
                for b in targets
                if not (
                    (whose is None or b.subject.lower() == whose)
                    and (
                        (kept_day is not None and self.local(b.slot_start).date() == kept_day)
                        or (kept_day is None and b.service in services)
                    )
                )
            ]
            targets = others if others else targets
        kept_time = _KEPT_TIME_RE.search(self.text)
        held = self.read(f"at {kept_time['time']}").clock if kept_time is not None else None
        if held is not None and len(targets) > 1:
            # "we both booked otis in for wednesday, can you cancel one of them? we'll keep the
            # 10 o'clock": the other one, never the one kept
            others = [b for b in targets if self.local(b.slot_start).time() != held]
            if others and len(others) < len(targets):
                targets = others
                if len(targets) == 1:
                    return self.propose_cancel(targets[0])
        # (without a booked pet's clause saying it stays: "cancel chances appointment on
        # wednesday … angels still coming tomorrow at nine" cancels Wednesday's)
        message = self.context.message
        if self.kept:
            message, _ = without_pets_kept(message, self.kept, whole=False, known=True)
        cancelling = [
            self.prepared(c)
            for c in re.split(rf"{CLAUSE_END}+|\s+-\s+", message)
            if CANCEL_RE.search(normalise(c))
        ]
        # "we're moving at the end of the week … please cancel them all": every booking; the
        # day of another clause does not say which
        every = any(EVERY_RE.search(c) and self.read(c).day is None for c in cancelling)
        if every and not named and len(targets) > 1:
            # "can you cancel everything this week please? keep next week's": that week's
            in_week = self.in_week_said(targets)
            targets = in_week or targets
            return self.cancel_each(targets)
        if (
            (every or any(_ALL_OF_ONES_RE.search(c) for c in cancelling))
            and len(named) == 1
            and len(targets) > 1
            and all(b.subject.lower() == named[0].lower() for b in targets)
        ):
            # "noodle's off to my mum's … so can you cancel both of hers please? waffles and
            # tofu are still on for friday" (set 209): each of hers, whatever day another
            # clause says
            return self.cancel_each(targets)
        few = FEW_BY_ORDER_RE.search(self.text)
        if few is not None and len(targets) == int(few["count"]):
            # "can you cancel the last two of pumpkin's? keep tomorrow's" (set 226): both
            return self.cancel_each(targets)
        own = [[b for b in targets if b.subject.lower() == n.lower()] for n in named]
        if (
            len(named) > 1
            and all(len(o) == 1 for o in own)
            and len(targets) == len(named)
            # (not "cancel whichever of bella's and suki's grooms is later": one of them)
            and not re.search(
                r"\b(?:whichever|either|(?:one|1)\s+of|only\s+(?:one|1))\b", self.text
            )
            # (each named after the cancel itself, not "Max is fine now, Bella's poorly though,
            # so please cancel")
            and any(
                all(re.search(rf"\b{re.escape(n.lower())}\b", after) for n in named)
                for after in re.findall(r"\bcancel\b([^.!?]*)", self.text)
            )
        ):
            # "please cancel alfie's groom and tilly's appointment on friday": one booking for
            # each pet named, whichever day the last clause says (set 137)
            return self.cancel_each(targets)
        if self.when.day is not None and len(targets) > 1:
            same_day = [b for b in targets if self.local(b.slot_start).date() == self.when.day]
            # "cancel ginger's friday one" of a Friday the week after: the weekday says which
            weekday = self.when.day.weekday()
            same_weekday = [b for b in targets if self.local(b.slot_start).weekday() == weekday]
            targets = same_day or (same_weekday if len(same_weekday) == 1 else targets)
        if self.when.part is not None and self.when.clock is None and len(targets) > 1:
            # "cancel the thursday afternoon one": the one booking in that part of the day
            in_part = [
                b for b in targets if part_of_day(self.local(b.slot_start).hour) == self.when.part
            ]
            targets = in_part if len(in_part) == 1 else targets
        if self.when.clock is not None and len(targets) > 1:
            # "cancel the 10am": the one booking at that time
            at_time = [b for b in targets if self.local(b.slot_start).time() == self.when.clock]
            targets = at_time if len(at_time) == 1 else targets
        if len(targets) > 1 and not named:
            # "can you cancel the grooming": the one booking of the service named
            said = answers.services_named(self.text, self.profile)
            of_service = [b for b in targets if said and b.service in {s.key for s in said}]
            targets = of_service if len(of_service) == 1 else targets
        if (
            self.when.day is None
            and len(targets) > 1
            # ("Benji's going to live with my brother from this week so please cancel all his
            # appointments": when the news starts, not which booking, set 141)
            and not _FROM_WEEK_RE.search(self.text)
        ):
            # "cancel max's appointment next week": the one booking in that week
            targets, _ = self.booked_on_a_day_said(targets)
        if self.when.day is None and len(targets) > 1:
            # "I can't make thursday": a day given up is read as ruled out, not as a day asked
            # for; here it says which booking
            ruled_out = ruled_out_weekdays(self.text)
            given_up = [b for b in targets if self.local(b.slot_start).weekday() in ruled_out]
            together = len({as_utc(b.slot_start) for b in given_up}) == 1
            targets = given_up if len(given_up) == 1 or (given_up and together) else targets
        if (
            len(targets) > 1
            and len({as_utc(b.slot_start) for b in targets}) == 1
            and (self.when.day is not None or ruled_out_weekdays(self.text))
        ):
            # "we can't make thursday anymore" with Max and Bella in together then: that visit
            return self.several(
                [Plan("cancel", b.subject, as_utc(b.slot_start), b.service, b) for b in targets]
            )
        # the day said in the cancelling clause ("cancel Lola's appointment on Friday. … I fly
        # there tomorrow morning": Friday, not tomorrow)
        day_of_cancel = next((d for c in cancelling if (d := self.read(c).day) is not None), None)
        if (
            day_of_cancel is not None
            and targets
            and not EVERY_RE.search(self.text)
            and not any(
                self.local(b.slot_start).weekday() == day_of_cancel.weekday() for b in targets
            )
        ):
            # "the check up I booked for willow on saturday can be cancelled … her jab on the
            # 21st still stands" (set 160): the day it was booked, the one visit of the service
            # named
            named_services = {
                s.key
                for c in cancelling
                for s in answers.services_named(normalise(c), self.profile)
            }
            of_service = [b for b in targets if b.service in named_services]
            if len(of_service) == 1 and _BOOKED_ON_RE.search(self.text):
                return self.propose_cancel(of_service[0])
            # "cancel friday's" with nothing booked on a Friday: which one, never another day's
            # (one booking only: that one, read back for a yes, set 153)
            asked = (
                self.propose_cancel(targets[0])
                if len(targets) == 1 and targets[0].subject.lower() in {n.lower() for n in named}
                else self.which_one("cancel", targets)
            )
            day = day_of_cancel.strftime("%A %-d %B")
            return asked.model_copy(
                update={"reply": f"I can't find an appointment on {day}. {asked.reply}"}
            )
        if not targets:
            return self.none_for_pets_named("cancel") or reply_as(
                Intent.ASK_BOOKING,
                "I can't find an upcoming appointment"
                f"{for_(join(self.subjects))} to cancel. Would you like to book one?",
            )
        targets = self.one_pointed_at(targets)  # "can you cancel the afternoon one"
        rebooked = self.cancelled_to_rebook(targets)
        if rebooked is not None:
            return rebooked
        if (
            not in_clause
            and len(named) > 1
            and not EVERY_RE.search(self.text)
            # ("acorn and conker are fine after all … can you cancel their two", set 148)
            and not _THEIR_BOTH_RE.search(self.text)
        ):
            # "Max is fine, Bella's poorly, so please cancel": which one is not said.
            return self.which_one("cancel", targets)
        if self.meant_each(targets, named):
            return self.several(
                [Plan("cancel", b.subject, as_utc(b.slot_start), b.service, b) for b in targets]
            )
        if len(targets) > 1:
            return self.which_one("cancel", targets)
        unless = _UNLESS_SERVICE_RE.search(normalise(self.context.message))
        said = answers.services_named(unless[0], self.profile) if unless is not None else []
        if targets[0].service in {s.key for s in said}:
            # "cancel rocky's tuesday appt unless it's his booster" (it is): left as it is
            booking = targets[0]
            return reply_as(
                Intent.OTHER,
                f"The appointment{for_(booking.subject)} on {self.say(booking.slot_start)} is "
                f"{a_an(self.keyed_service(booking.service).name)}, so I've left it as it is. "
                "Is there anything else I can do?",
            )
        return self.propose_cancel(targets[0])

    def propose_cancel(self, booking: BookingView) -> AgentDecision:
        """The cancellation of ``booking``, read back for a yes."""
        return cancel_read_back(
            booking,
            f"I can cancel the appointment{for_(booking.subject)} on "
            f"{self.say(booking.slot_start)}. {self.ask()}"
            if self.voice
            or not (_CANT_COME_RE.search(self.text) or ruled_out_weekdays(self.text))
            or CANCEL_WORD_RE.search(self.text)
            # "can't make it sorry" asks for nothing yet: cancelling is one way, moving another
            else f"Would you like me to cancel the appointment{for_(booking.subject)} on "
            f"{self.say(booking.slot_start)}? Reply YES to cancel it, or tell me another day and "
            "time to move it instead.",
        )

    def looked_up_and_booked(self) -> AgentDecision | None:
        """A question about a booking, then a new booking for a pet not booked, in one message
        ("what time is rex in on thursday again? and could his brother bruno have his jabs at
        the same time", "just checking poppy's still on for saturday? and can i book her sister
        daisy in … on friday at quarter to 4"): the booking said, then the new one read on its
        own ("the same time" is the looked-up booking's day and time). None unless the message
        splits into such a question and a request for a pet without a booking."""
        if not self.upcoming or self.pending is not None:
            return None
        found = _QUESTION_THEN_ASK_RE.search(self.context.message)
        if found is None:
            return None
        question, request = (
            self.context.message[: found.start()],
            self.context.message[found.end() :],
        )
        asking = self.as_if_sent(question)
        if not asking.asks_about_bookings() or asking.wants_slot() and asking.when.clock:
            return None
        booked = {b.subject.lower() for b in self.upcoming}
        newcomers = [
            n
            for n in self.pets_in(request, known=self.known, transcript=self.voice)
            if is_name(n) and n.lower() not in booked
        ]
        if not newcomers:
            return None
        looked_up = asking.lookup()
        told = asking.targets() or self.upcoming
        if len(told) == 1 and _SAME_TIME_RE.search(request):
            local = self.local(told[0].slot_start)
            said = f"on {local.strftime('%A %-d %B')} at {local.strftime('%H:%M')}"
            request = _SAME_TIME_RE.sub(said, request)
        booking = self.as_if_sent(f"book {request}").decide()
        if booking.intent not in (Intent.PROPOSE_BOOKING, Intent.PROPOSE_CHANGES, Intent.CLARIFY):
            return None
        return booking.model_copy(update={"reply": f"{looked_up.reply} {booking.reply}"})

    def request_then_looked_up(self) -> AgentDecision | None:
        """A request, then a question about another pet's booking in the message's last
        sentence ("pip needs his booster, could he come tomorrow at 9.30? oh and what time is
        ruby's groom on saturday?"): the booking said, and the request read without the
        question (Ruby's groom is no visit to move or book). None unless the last sentence
        asks about a booked pet the rest does not name, and the rest proposes a change."""
        if not self.upcoming or self.pending is not None:
            return None
        message = self.context.message.strip()
        sentences = [p for p in SENTENCE_RE.split(message) if re.search(r"\w", p)]
        if len(sentences) < 2 or not re.search(r"\?\W*$", sentences[-1]):
            return None
        question, request = sentences[-1], " ".join(sentences[:-1])
        asking = self.as_if_sent(question)
        booked = {b.subject.lower() for b in self.upcoming}
        asked = {s.lower() for s in asking.subjects if is_name(s)}
        if not asked or not asked <= booked or not asking.asks_about_bookings():
            return None
        rest = self.as_if_sent(request)
        if asked & {s.lower() for s in rest.subjects if is_name(s)}:
            return None
        decision = rest.decide()
        if decision.intent not in (
            Intent.PROPOSE_BOOKING,
            Intent.PROPOSE_CHANGES,
            Intent.PROPOSE_RESCHEDULE,
            Intent.PROPOSE_CANCEL,
        ):
            return None
        looked_up = asking.lookup()
        return decision.model_copy(update={"reply": f"{looked_up.reply} {decision.reply}"})

    def service_change(self) -> AgentDecision | None:
        """A booking's service changed at its own time, without a move word ("can max's checkup
        be a vaccination instead?", "make luna's a dental rather than a checkup"): proposed as
        a move to the same slot as the new service (``change_service``), or which booking asked
        when several could be meant. None when the message asks no booking's service to change,
        a proposal of ours waits (a correction of it is read there), a move is asked
        (``reschedule`` carries the new service with it) or a day or time of another visit is
        said (a new booking)."""
        if not self.upcoming or self.pending is not None or asks_move(self.text):
            return None
        said = answers.services_changed_to(self.text, self.profile)
        if CANCEL_RE.search(self.text) or not said:
            return None  # a cancellation asked beside another service is the cancellation
        targets = self.first_booking_said(self.targets())
        if len(targets) > 1:
            targets, _ = self.booked_on_a_day_said(targets)
        changing = [(b, s) for b in targets if (s := self.new_service_of(b)) is not None]
        if not changing and len(targets) == 1 and len(said) == 1:
            own = self.keyed_service(targets[0].service)
            booked = self.local(targets[0].slot_start)
            if (
                said[0].key == own.key
                and self.when.clock in (None, booked.time())
                and self.when.day in (None, booked.date())
            ):
                # "can luna's groom be a bath instead": a bath is a groom ("can his jab
                # tomorrow be 11.30 instead of 11?" asks another time, not another service)
                return reply_as(
                    Intent.ASK_BOOKING,
                    f"The appointment{for_(targets[0].subject)} on "
                    f"{self.say(targets[0].slot_start)} is already {a_an(own.name)}.",
                )
        if not changing:
            return None
        named = [n for n in self.subjects if is_name(n)]
        if len(targets) > 1 and len(changing) == len(targets) and self.meant_each(targets, named):
            # "Can Bear and Pumpkin both have a full check-up instead of just the jab? Same
            # days and times as booked": each booking as the new service, at its own time
            self.keep_services = True
            decision = self.several(
                [Plan("reschedule", b.subject, as_utc(b.slot_start), s.key, b) for b, s in changing]
            )
            if decision.intent is Intent.PROPOSE_CHANGES:
                each = [
                    f"{b.subject}'s on {self.say(b.slot_start)} to {a_an(s.name)} ({s.price})"
                    for b, s in changing
                ]
                decision.reply = f"I can change {and_listed(each)}. {self.ask()}"
            return decision
        if len(targets) > 1:
            return self.which_one("change", targets)
        booking, service = changing[0]
        booked = self.local(booking.slot_start)
        if (self.when.clock not in (None, booked.time())) or (
            self.when.day not in (None, booked.date())
        ):
            return None
        return self.change_service(booking, service)

    def cancelled_to_rebook(self, targets: list[BookingView]) -> AgentDecision | None:
        """One booking cancelled to be booked again as another service ("cancel bella's groom and
        book her a checkup instead same time"): its service changed, at its own time or at the
        day and time said, on one yes (never the cancellation alone). None unless one booking is
        meant and the message books the same pet again as one other service."""
        if len(targets) != 1 or not _BOOKED_AGAIN_RE.search(self.text):
            return None
        booking = targets[0]
        changing = self.new_service_of(booking)
        if changing is None:
            return None
        if self.when.day is None and self.when.clock is None:
            return self.change_service(booking, changing)
        local = self.local(booking.slot_start)
        return self.book(
            merge(self.when, When(day=local.date(), clock=local.time())), moving=booking
        )

    def change_service(self, booking: BookingView, service: Service) -> AgentDecision:
        """``booking`` as ``service`` at its own time: proposed as a move to the same slot when
        the calendar has room for the new length, else why not with the nearest free times for
        it (a choice of one is then a move there as that service)."""
        slot = as_utc(booking.slot_start)
        check = check_slot(
            self.profile, self.context.busy, slot, service, now=self.now, ignore_booking=booking.id
        )
        if not check.free:
            return self.offer_instead(slot, service, check, booking.id)
        price = f" ({service.price})" if service.price else ""
        return AgentDecision(
            intent=Intent.PROPOSE_RESCHEDULE,
            proposal=BookingProposal(
                slot_start=slot, subject=booking.subject, service=service.key, booking_id=booking.id
            ),
            reply=f"I can change the appointment{for_(booking.subject)} on "
            f"{self.say(slot)} to {a_an(service.name)}{price}. {self.ask()}",
        )

    def slot_handed_over(self) -> AgentDecision | None:
        """A pet not booked taking a booked pet's slot ("archie's all better now 🙌 but his
        sister bella has started sneezing - could bella just take his slot on friday
        instead?"): that booking cancelled and the newcomer booked in its place, proposed
        together (the service named, else the booking's). None unless the message hands one
        booking's slot to one pet without a booking."""
        found = _TAKES_SLOT_RE.search(self.text)
        if found is None or self.booking_referred_by_service() is not None:
            return None  # (not "… at the same time as Daisy's jab": another booking's time)
        booked = {b.subject.lower() for b in self.upcoming}
        newcomers = [s for s in self.subjects if is_name(s) and s.lower() not in booked]
        owner = found["owner"] or found["giver"] or found["giver2"] or found["replaced"]
        taker = (found["taker"] or found["taker2"] or "").lower()
        if not newcomers and not owner and taker in booked and CANCEL_RE.search(self.text):
            # "can you cancel his friday check up? … could Shadow have that slot instead?":
            # the other booked pet named gives it
            others = {s.lower() for s in self.subjects if is_name(s)} & booked - {taker}
            owner = others.pop() if len(others) == 1 else None
        if not newcomers and owner and CANCEL_RE.search(self.text):
            return self.moved_into_handed_slot(owner)
        if len(newcomers) != 1:
            return None
        held = [
            b
            for b in self.upcoming
            if (b.subject.lower() == owner if owner else b.subject.lower() in booked)
        ]
        if not owner:
            named = {s.lower() for s in self.subjects} & booked
            held = [b for b in held if not named or b.subject.lower() in named]
        if self.when.day is not None:
            held = [b for b in held if self.local(b.slot_start).date() == self.when.day]
        if len(held) != 1:
            return None
        named_service = self.profile.find_service(self.text)
        return self.given_to(held[0], newcomers[0], named_service.key if named_service else None)

    def moved_into_handed_slot(self, owner: str) -> AgentDecision | None:
        """A booked pet moved into the slot of another's cancelled visit ("please cancel Salt's
        check-up on Friday, and can Ruby have her jab in Salt's place instead, with Pepper?"):
        the cancellation and the move, proposed together. None unless one booked pet besides
        ``owner`` (lower case) is named to move (not one only come "with"), with one visit (or
        one of the service said), and ``owner`` has one visit on the day said (or at all)."""
        held = [b for b in self.upcoming if b.subject.lower() == owner]
        held = self.named_in_clauses(
            held,
            [c for c in CLAUSE_RE.split(self.context.message) if CANCEL_RE.search(normalise(c))],
        )
        named = {s.lower() for s in self.subjects if is_name(s)}
        movers = named - {owner} - self.pets_referred_to()
        if len(held) != 1 or len(movers) != 1:
            return None
        mover = movers.pop()
        theirs = [b for b in self.upcoming if b.subject.lower() == mover]
        if len(theirs) > 1:
            said = {s.key for s in answers.services_named(self.text, self.profile)}
            theirs = [b for b in theirs if b.service in said - {held[0].service}]
        if len(theirs) != 1:
            return None
        freed, moved = held[0], theirs[0]
        self.keep_services = True
        return self.several(
            [
                Plan("cancel", freed.subject, as_utc(freed.slot_start), freed.service, freed),
                Plan("reschedule", moved.subject, as_utc(freed.slot_start), moved.service, moved),
            ]
        )

    def swap(self) -> AgentDecision | None:
        """Two bookings swapped, no day or time said ("could we swap max and luna around?",
        "swap their appointments"): each moved to the other's slot, on one yes. The two are
        the pets named, else the only two bookings there are. None when the message swaps
        nothing, says where to, or does not point at two bookings of different pets."""
        if not _SWAP_RE.search(self.text) or not asks_move(self.text):
            return None
        # "can max and bella swap times on friday?": the day both are on, said, is no target
        said = self.when
        if said.shift is not None:
            return None
        # ("… swap Bella's and Max's times on Wednesday? Mornings suit Max better": the why)
        said = replace(said, part=None)
        targets = self.targets()
        if len(targets) > 2 and said.day is not None:
            # "could we swap pickle and olive round tomorrow?": their two bookings that day
            on_day = [b for b in targets if self.local(b.slot_start).date() == said.day]
            targets = on_day if len(on_day) == 2 else targets
        if len(targets) != 2:
            targets = self.upcoming if len(self.upcoming) == 2 else []
        if len(targets) != 2 or targets[0].subject.lower() == targets[1].subject.lower():
            return None
        if said.clock is not None:
            # "… swap times on thursday? so gravy at 10.30 and biscuit at 11.30": the swap spelt
            # out, every time said one of theirs
            times = {self.read(f"at {t}").clock for t in _AT_TIME_RE.findall(self.text)}
            if not times or not times <= {self.local(b.slot_start).time() for b in targets}:
                return None
            said = replace(said, clock=None)
        theirs = {self.local(b.slot_start).date() for b in targets}
        days = {self.read(m.group(0)).day for m in DAY_MENTION_RE.finditer(self.text)}
        spelt_out = bool(days) and days <= theirs and said.clock is None
        if (
            said.anything
            and not spelt_out
            and (
                said.day is None
                or any(self.local(b.slot_start).date() != said.day for b in targets)
            )
        ):
            # (not "Rex to Coco's time on Thursday and Coco to Rex's on Wednesday": their own
            # days, the swap spelt out)
            return None
        first, second = targets
        one, other = self.local(first.slot_start), self.local(second.slot_start)
        if one.date() != other.date() and _SWAP_DAYS_RE.search(self.text):
            # "could pip and poppy swap days? keep their times": each to the other's day
            to_first = one.replace(year=other.year, month=other.month, day=other.day)
            to_second = other.replace(year=one.year, month=one.month, day=one.day)
        elif one.date() != other.date() and _SWAP_TIMES_RE.search(self.text):
            # "swap their times, same days": each to the other's time, on its own day
            to_first = one.replace(hour=other.hour, minute=other.minute)
            to_second = other.replace(hour=one.hour, minute=one.minute)
        else:
            to_first, to_second = other, one
        return self.several(
            [
                Plan("reschedule", first.subject, as_utc(to_first), first.service, first),
                Plan("reschedule", second.subject, as_utc(to_second), second.service, second),
            ]
        )

    def moves_within_its_day(self) -> bool:
        """A booked visit asked for at another part of its own day: "can oscar do the same day
        but later? after lunch sometime", "later that day". No day or time of its own said."""
        text = self.text
        return bool(
            self.upcoming
            and self.when.day is None
            and self.when.clock is None
            and re.search(r"\b(?:same|that)\s+day\b", text)
            and (
                self.when.part is not None
                or re.search(r"\b(?:later|earlier|after\s+lunch|afternoon|morning)\b", text)
            )
        )

    def move_and_cancel(self) -> AgentDecision | None:
        """A cancellation and another change in one message, each ask read as a message of its
        own (``each_ask_alone``: all the rules apply to each) or, failing that, read together
        (``moved_and_cancelled``). None when neither reads both."""
        return self.each_ask_alone() or self.moved_and_cancelled()

    def ask_parts(self) -> tuple[str, str] | None:
        """The message (as written) cut in two: its other asks and its cancelling clauses
        ("put Luna's jab right after Oscar's groom … and cancel the tuesday one, she's fine
        now"); clauses that ask nothing go with the one before ("she's fine now"). None when it
        has no cancelling clause, nothing else asked, or asks one thing or another ("cancel it,
        unless you have anything thursday")."""
        if not CANCEL_RE.search(self.text) or _EITHER_OR_RE.search(self.text):
            return None
        cancelling: list[str] = []
        others: list[str] = []
        group: list[str] | None = None
        for sentence in re.split(r"(?<=[.!?])\s+", self.context.message):
            # clauses that ask nothing before a cancelling one of their sentence are its reason
            # ("Bailey's booster was already done …, so she doesn't need it, please cancel
            # hers"): they go with it, else with the clause before
            waiting: list[str] = []
            for clause in (c.strip() for c in ask_clauses(sentence) if c and c.strip()):
                said = normalise(clause)
                if _WHAT_I_SAID_RE.match(said):
                    continue  # "I said DOLLY not kobe!": what we got wrong, no ask (set 180)
                # (a cancelling word: "we can't make tomorrow anymore, could you move both cats
                # to wednesday?" gives the reason for a move, cancelling nothing)
                if CANCEL_WORD_RE.search(said) or _NOT_NEEDED_RE.search(said):
                    group = cancelling
                elif group is not None and _ONLY_ONE_COMING_RE.search(said):
                    pass  # "cancel Wilma's … only Fred needs to come in now": no visit for Fred
                elif _ASKS_RE.search(said) or self.read(said).anything:
                    group = others
                elif CANCEL_WORD_RE.search(normalise(sentence)):
                    # (the message's first clause too: "Bailey's booster was already done,
                    # please cancel hers")
                    waiting.append(clause)
                    continue
                elif group is None:
                    group = others
                group += [*waiting, clause]
                waiting = []
            if group is not None:
                group += waiting
        if not cancelling or not any(_ASKS_RE.search(normalise(c)) for c in others):
            return None
        return ", ".join(others), ", ".join(cancelling)

    def as_if_sent(self, message: str) -> Self:
        """``message`` (a part of this one, or another wording of it) read as the turn it would
        be, sent now in this conversation."""
        return type(self)(self.context.model_copy(update={"message": message}), self.profile)

    def decided_alone(self, message: str, pet: str | None = None) -> AgentDecision:
        """The decision on ``message`` (a part of this one) as if sent on its own; when it is
        ``pet``'s (lower case) and a new day or time is given for that pet (``replacing``),
        at that day or time."""
        part = self.as_if_sent(message)
        if self.replacing is not None and pet is not None and self.replacing[0] == pet:
            part.when = merge(self.replacing[1], part.when)
        return part.decide()

    def plans_of(self, decision: AgentDecision) -> list[Plan] | None:
        """The changes ``decision`` proposes, as plans; None when it proposes none, or one
        whose booking is not among the upcoming ones."""
        # (a single proposal's kind is its decision's intent)
        kinds: dict[Intent, ChangeKind] = {
            Intent.PROPOSE_BOOKING: "book",
            Intent.PROPOSE_RESCHEDULE: "reschedule",
            Intent.PROPOSE_CANCEL: "cancel",
        }
        proposals = decision.proposals or (
            [decision.proposal] if decision.proposal is not None else []
        )
        by_id = {b.id: b for b in self.upcoming}
        plans: list[Plan] = []
        for p in proposals:
            kind = p.kind or kinds.get(decision.intent)
            booking = by_id.get(p.booking_id or "")
            if kind is None or (kind != "book" and booking is None):
                return None
            plans.append(Plan(kind, p.subject, as_utc(p.slot_start), p.service, booking))
        return plans or None

    def together(self, plans: list[Plan]) -> AgentDecision | None:
        """``plans`` (each part's changes) proposed for one yes, each with the service its own
        part read; None when one visit is changed twice (which is meant is not clear)."""
        ids = [p.booking.id for p in plans if p.booking is not None]
        if len(ids) != len(set(ids)):
            return None
        self.keep_services = True
        return self.several(plans)

    def books_new_pet(self, part: str) -> bool:
        """Whether ``part`` (of this message, as written) asks to book a pet with nothing
        booked ("and book fudge in for a check-up friday")."""
        pets = [p for p in self.as_if_sent(part).subjects if is_name(p)]
        booked = {b.subject.lower() for b in self.upcoming}
        return (
            bool(pets)
            and not any(p.lower() in booked for p in pets)
            and re.search(r"\bbook\b", normalise(part)) is not None
        )

    def each_ask_alone(self) -> AgentDecision | None:
        """A cancellation beside another change (``ask_parts``): each part decided as a
        message of its own, proposed together for one yes; "which one should I cancel?" when
        only that is unclear (``cancel_answered_with_the_rest`` takes the answer). None when
        the message is not two such parts, or either is not a proposal."""
        parts = self.ask_parts()
        if parts is None:
            return None
        other = self.decided_alone(parts[0])
        asked = _ASKED_OF_US_RE.search(normalise(parts[0])) is not None
        if asked and other.intent is Intent.CLARIFY and " isn't possible" in other.reply:
            # "rosie's jab … can it be friday at 6 …? and pip's tomorrow at 12 can be
            # cancelled": the change asked that cannot be had is said first, nothing dropped
            # (not the story around it: "the movers come Thursday at 8")
            return other
        changed = self.plans_of(other)
        if changed is None and other.intent is Intent.CLARIFY and self.books_new_pet(parts[0]):
            # "can you cancel my appointment and book fudge in for a check-up friday instead?"
            # with two booked: which one, and the time for the other ask, both asked (never
            # the booking on the day the new one is wanted, set 150)
            cancelling = self.decided_alone(parts[1])
            if _WHICH_CANCEL_RE.match(cancelling.reply):
                return cancelling.model_copy(update={"reply": f"{cancelling.reply} {other.reply}"})
        if changed is None or all(p.kind == "cancel" for p in changed):
            return None  # ("I don't think he needs the check-up anymore, can you cancel it?")
        cancelling = self.decided_alone(parts[1])
        cancelled = self.plans_of(cancelling)
        if cancelled is None:
            # "move gizmo to tuesday at 8:30 and cancel the friday one" (Gizmo's and Tilly's
            # are on Friday): which one is asked first, never the move alone ("cancel it"
            # points at nothing on its own: the message is read whole instead)
            said = normalise(parts[1])
            pointed = (
                self.read(said).anything
                or answers.services_named(said, self.profile)
                or any(
                    is_name(p) for p in self.pets_in(parts[1], known=self.known, transcript=False)
                )
            )
            return cancelling if pointed and _WHICH_CANCEL_RE.match(cancelling.reply) else None
        if any(p.kind != "cancel" for p in cancelled):
            return None
        # ("I booked Max and Bailey … please cancel hers … could he come at 5 instead?"):
        # a booking cancelled is not moved too
        gone = {p.booking.id for p in cancelled if p.booking is not None}
        changed = [p for p in changed if p.booking is None or p.booking.id not in gone]
        if not changed:
            return None
        return self.together([*changed, *cancelled, *self.joined_at_same_time(changed)])

    def joined_at_same_time(self, plans: list[Plan]) -> list[Plan]:
        """Bookings for pets the message adds "too" at the time of a booking in ``plans``
        ("… oh and barney too, check up, same time as otto if there's room", set 170): one
        each, of the service its own words name, else that booking's. Empty when none."""
        booked = {b.subject.lower() for b in self.upcoming} | {p.subject.lower() for p in plans}
        added: list[Plan] = []
        for found in _TOO_SAME_TIME_RE.finditer(self.text):
            pet, model = found["pet"], found["model"]
            if pet in booked or not is_name(pet):
                continue
            if pet not in {s.lower() for s in self.subjects}:
                continue
            theirs = [p for p in plans if p.subject.lower() == model and p.kind == "book"]
            if len(theirs) != 1:
                continue
            said = answers.services_named(found.group(0), self.profile)
            service = said[0].key if len(said) == 1 else theirs[0].service
            added.append(Plan("book", pet.capitalize(), theirs[0].slot, service))
        return added

    def pet_asks(self) -> list[tuple[str, str]]:
        """The message (as written) cut where a clause asks something for another pet than
        the one before ("toffee only needs her booster on thursday … can you change that? and
        can fudge's check-up move to thursday at 12 too"): (that pet, lower case; its clauses)
        for each, in order; clauses naming no pet go with the one before."""
        groups: list[tuple[str, list[str]]] = []
        opening: list[str] = []
        # (a pet said to stay as it is asks nothing: "can ember come an hour later? soot stays
        # at 5"; only the message's own pets: "checked for fleas" names none)
        # (nor a pet whose booking is only told of: "my wife booked pixel for friday at 12")
        kept = {k.lower() for k in self.kept} | self.pets_said_booked()
        theirs = {s.lower() for s in self.subjects} | {b.subject.lower() for b in self.upcoming}
        for clause in (c.strip() for c in ask_clauses(self.context.message) if c and c.strip()):
            said = normalise(clause)
            found = [
                p.lower()
                for p in self.pets_in(clause, known=self.known, transcript=self.voice)
                if is_name(p) and p.lower() not in kept and p.lower() in theirs
            ]
            # (a pet only pointed at asks nothing: "straight after pepper's, so 4.15?")
            found = [
                p
                for p in found
                if not re.search(rf"\b(?:after|before|behind|beside|with)\s+{re.escape(p)}\b", said)
            ]
            first = min(found, key=lambda p: said.find(p)) if found else None
            # (a pet's clause with a day or time asks too: "could rocky's groom be today at 9?")
            asks = _ASKS_RE.search(said) or CANCEL_RE.search(said) or self.read(said).anything
            # (a clause naming another pet starts its ask, said in the clauses after it: "And
            # Buster's dental, could we move it up to this Friday at 2:30?")
            if first is not None and (not groups or groups[-1][0] != first) and (asks or groups):
                # (what came before the first ask is its: "Hi, it's Oreo and Noodle's mum")
                groups.append((first, [*opening, clause] if not groups else [clause]))
            elif groups:
                groups[-1][1].append(clause)
            else:
                opening.append(clause)
        return [(pet, ", ".join(clauses)) for pet, clauses in groups]

    def each_pet_alone(self, decision: AgentDecision) -> AgentDecision | None:
        """``decision`` (this message's) completed when it leaves out a pet the message asks
        something for in an ask of its own ("… can you change that? and can fudge's check-up
        move to thursday at 12 too": Toffee's service changed, Fudge's move forgotten): each
        pet's ask decided as a message of its own, all proposed together; when one of them
        cannot be had, why, for that pet ("For Rocky: Sorry, …"), so that the time given next
        completes the whole request (``retry_several``, ``replacing``). None when something
        waits for a yes, ``decision`` covers every pet or is neither a proposal nor a refusal,
        or an ask is neither on its own."""
        if self.pending is not None:
            return None
        plans = self.plans_of(decision)
        if plans is None and not OFFERED_INSTEAD_RE.search(decision.reply):
            return None
        groups = self.pet_asks()
        pets = [pet for pet, _ in groups]
        covered = {p.subject.lower() for p in plans or []}
        booked = {b.subject.lower() for b in self.upcoming}
        if len(groups) < 2 or len(set(pets)) < len(pets) or not set(pets) <= covered | booked:
            # (a pet neither booked nor in the decision may be no pet: "collect her from Gare
            # de Lyon at 2")
            return None
        if set(pets) <= covered and not self.read_otherwise(groups, plans or []):
            return None
        decisions = [self.decided_alone(text, pet) for pet, text in self.verbs_carried(groups)]
        parts = [self.plans_of(d) for d in decisions]
        parts = self.joined_to_the_move(groups, parts)
        refused = [
            (pet, d) for (pet, _), d, part in zip(groups, decisions, parts, strict=True) if not part
        ]
        if not refused:
            self.replacing = None  # (applied to its pet's ask already)
            return self.together([p for part in parts if part for p in part])
        pet, said = refused[0]
        if len(refused) > 1 or not OFFERED_INSTEAD_RE.search(said.reply):
            return None
        name = next((b.subject for b in self.upcoming if b.subject.lower() == pet), pet.title())
        return said.model_copy(update={"reply": f"For {name}: {said.reply}"})

    def joined_to_the_move(
        self, groups: list[tuple[str, str]], parts: list[list[Plan] | None]
    ) -> list[list[Plan] | None]:
        """``parts`` (each pet's ask's plans) with a newcomer asked to come along "at the same
        time" booked at the time another pet's booking moves to, not its old one ("can gizmo's
        check up on friday move to monday next week at 2pm? and could ziggy come along … at
        the same time", set 150)."""
        moves = [p for part in parts if part for p in part if p.kind == "reschedule"]
        if len(moves) != 1:
            return parts
        moved = moves[0]
        joined: list[list[Plan] | None] = []
        for (_, text), part in zip(groups, parts, strict=True):
            said = normalise(text)
            alongside = self.read(said).same_time or JOIN_RE.search(said)
            if (
                part
                and len(part) == 1
                and part[0].kind == "book"
                and alongside
                and moved.booking is not None
                and part[0].subject.lower() != moved.subject.lower()
                and part[0].slot == as_utc(moved.booking.slot_start)
            ):
                part = [replace(part[0], slot=moved.slot)]
            joined.append(part)
        return joined

    def verbs_carried(self, groups: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """``groups`` (each pet's ask), a booked pet's ask that says no change of its own but
        "as well" or "too" carrying the move asked before it ("can we move oscar to thursday at
        9" / "actually felix as well": Felix's visit moved too, not a second one booked)."""
        booked = {b.subject.lower() for b in self.upcoming}
        carried: list[tuple[str, str]] = []
        for pet, text in groups:
            said = normalise(text)
            if (
                carried
                and pet in booked
                and _ALSO_RE.search(said)
                and MOVE_RE.search(normalise(carried[-1][1]))
                and not (MOVE_RE.search(said) or CANCEL_RE.search(said) or _BOOK_RE.search(said))
            ):
                text = f"move {pet} {text}"
            carried.append((pet, text))
        return carried

    def read_otherwise(self, groups: list[tuple[str, str]], plans: list[Plan]) -> bool:
        """Whether a pet's own ask (``pet_asks``) says a day or time its plan has not, nor the
        visit it moves ("could Noodle have a check-up tomorrow at 5? and Oreo … could he come
        on wednesday at 5?" read as both tomorrow)."""
        for pet, text in groups:
            said = self.read(self.prepared(text))
            # ("about pretzel's groom tomorrow at 11.30 - could we move it to wednesday at the
            # same time": where it goes, after the visit it leaves)
            to = _MOVED_TO_RE.search(self.prepared(text))
            if to is not None and self.read(to["where"]).anything:
                said = self.read(to["where"])
            for plan in (p for p in plans if p.subject.lower() == pet and p.kind != "cancel"):
                local = self.local(plan.slot)
                # (a move's clause may name the day it leaves: "from tomorrow to Thursday")
                left = self.local(plan.booking.slot_start) if plan.booking is not None else None
                if (
                    left is not None
                    and (said.day, said.clock) == (left.date(), left.time())
                    and (local.date(), local.time()) != (left.date(), left.time())
                ):
                    return True  # its clause names only the visit, which the plan moves
                if (
                    said.day is not None
                    and said.day != local.date()
                    and (left is None or said.day != left.date())
                ) or (
                    said.clock is not None
                    and said.clock != local.time()
                    and (left is None or said.clock != left.time())
                ):
                    return True
        return False

    def same_for_another(self, decision: AgentDecision) -> AgentDecision | None:
        """``decision``'s one change (or the one waiting for a yes) made for another booked pet
        too, when the message says "the same for <pet>" ("could Oscar's check-up tomorrow move
        to Wednesday, same time? And the same for Felix please", "oh and same for Plum please"
        after Peaches' move was read back): a move takes that pet's visit to the same day, at
        its own time when the first kept its time, else at the same time; a change of service
        the same service; a cancellation cancels it. None when no such pet is said, it has not
        one visit, or there is not one change to copy."""
        said = _SAME_FOR_RE.search(self.text)
        if said is None:
            return None
        plans = self.plans_of(decision)
        waiting = self.pending
        if (
            plans is None
            and waiting is not None
            and not waiting.changes
            and waiting.slot_start is not None
            and waiting.kind in ("book", "reschedule", "cancel")
        ):
            booked = self.upcoming_by_id(waiting.booking_id)
            kind: ChangeKind = waiting.kind  # type: ignore[assignment]
            plans = [
                Plan(
                    kind,
                    waiting.subject or "",
                    as_utc(waiting.slot_start),
                    waiting.service,
                    booked,
                )
            ]
        if plans is None or len(plans) != 1:
            return None
        base = plans[0]
        first = base.booking
        if first is None:
            return None
        other = said["pet"] or said["pet2"]
        if other == base.subject.lower():
            return None
        theirs = [b for b in self.upcoming if b.subject.lower() == other]
        if len(theirs) > 1:
            # the visit on the same day as the first one's
            first_day = self.local(first.slot_start).date()
            theirs = [b for b in theirs if self.local(b.slot_start).date() == first_day]
        if len(theirs) != 1:
            return None
        visit = theirs[0]
        if base.kind == "cancel":
            copy = Plan("cancel", visit.subject, as_utc(visit.slot_start), visit.service, visit)
        else:
            was, now = self.local(first.slot_start), self.local(base.slot)
            own = self.local(visit.slot_start)
            at = own.time() if was.time() == now.time() else now.time()
            start = datetime.combine(now.date(), at, tzinfo=now.tzinfo)
            service = base.service if as_utc(first.slot_start) == base.slot else visit.service
            copy = Plan("reschedule", visit.subject, start.astimezone(UTC), service, visit)
        return self.together([base, copy])

    def cancel_answered_with_the_rest(
        self, request: str, booking: BookingView, when: When | None = None
    ) -> AgentDecision | None:
        """``booking`` chosen to cancel in answer to our "Which appointment should I cancel?"
        asked of ``request`` (the customer's message before), with that message's other asks
        ("move gizmo to tuesday at 8:30 and cancel the friday one" / "Which …?" / "tilly's
        jab"): all proposed together. None when ``request`` asked nothing else."""
        earlier = self.as_if_sent(request)
        parts = earlier.ask_parts()
        if parts is None:
            return None
        rest = earlier.as_if_sent(parts[0])
        if when is not None:
            # ("… and book fudge in for friday" / "Which …? What time …?" / "toffee's. and
            # 2.45 for fudge"): the time given now for the other ask
            rest.when = merge(when, rest.when)
        changed = earlier.plans_of(rest.decide())
        if changed is None or all(p.kind == "cancel" for p in changed):
            return None
        cancel = Plan(
            "cancel", booking.subject, as_utc(booking.slot_start), booking.service, booking
        )
        return self.together(changed + [cancel])

    def moved_and_cancelled(self) -> AgentDecision | None:
        """One pet's booking moved and another's cancelled in one message ("can Max go to
        friday at 10 instead, and please cancel Bella's"): both changes proposed together, the
        new time read from the clauses that do not cancel; a pet not booked yet is booked then
        ("cancel Max's one and book Bella in for friday at 3"). None when the message cancels
        no booked pet, or changes none besides."""
        if not CANCEL_RE.search(self.text):
            return None
        split = ask_clauses(self.context.message)
        clauses = [c for c in split if c]
        cancelled: set[str] = set()
        for clause in clauses:
            if CANCEL_RE.search(normalise(clause)):
                found = self.pets_in(clause, known=self.known, transcript=self.voice)
                cancelled |= {n.lower() for n in found if is_name(n)}
        cancelled = cancelled or {n.lower() for n in self.pet_referred_to(CANCEL_RE)}
        if not cancelled:
            # "can you cancel tomorrow's and move bella to friday?": the cancelling clause's day
            # says which booking
            days = {
                day
                for clause in clauses
                if CANCEL_RE.search(normalise(clause))
                and (day := self.read(normalise(clause)).day) is not None
            }
            on_days = [b for b in self.upcoming if self.local(b.slot_start).date() in days]
            if len({b.subject.lower() for b in on_days}) == 1:
                cancelled = {on_days[0].subject.lower()}
        named = [s for s in self.subjects if is_name(s)]
        booked = {b.subject.lower() for b in self.upcoming}
        dropping = [b for b in self.upcoming if b.subject.lower() in cancelled]
        if len(dropping) > len(cancelled):
            # "cancel Daisy's groom on Thursday but keep her jab on Friday": the visits the
            # cancelling clauses name by day or service, never the one kept
            dropping = self.named_in_clauses(
                self.without_bookings_kept(dropping),
                [c for c in clauses if CANCEL_RE.search(normalise(c))],
            )
        moving = [b for b in self.upcoming if b.subject.lower() in {n.lower() for n in named}]
        # (never a pet named only as where to go: "right after Oscar's groom")
        moving = [
            b for b in moving if b.subject.lower() not in cancelled | self.pets_only_referred_to()
        ]
        owned = _OWNED_RELATIVE_DAY_RE.search(
            " ".join(normalise(c) for c in clauses if not CANCEL_RE.search(normalise(c)))
        )
        if not moving and owned is not None:
            # "move tomorrow's to thursday and cancel bella": the visit of the day owned
            day = self.read(owned["day"]).day
            moving = [
                b
                for b in self.upcoming
                if self.local(b.slot_start).date() == day and b.subject.lower() not in cancelled
            ]
            moving = moving if len(moving) == 1 else []
        # "cancel Max's and book Bella in for friday at 3 instead": a pet not booked, booked
        newcomers = [n for n in named if n.lower() not in booked | cancelled]
        if not dropping or not (moving or newcomers):
            return None
        rest = " ".join(c for c in clauses if not CANCEL_RE.search(normalise(c)))
        # (the day owned names the visit moved, not where to: "tomorrow's to thursday")
        wanted = self.read(_OWNED_RELATIVE_DAY_RE.sub(" ", normalise(rest)))
        # the newcomer's service is the one its own clauses name, not the cancelled one's
        # ("cancel oscar's grooming … and book kiki in for her vaccine")
        asked = (
            self.profile.find_service(normalise(rest))
            or self.service_we_answered()
            or self.profile.service()
        )
        copied = self.booking_referred_by_service() if newcomers and not moving else None
        if copied is not None and copied not in dropping and wanted.clock is None:
            # "cancel Daisy's groom … book Pip in for a check-up at the same time as Daisy's
            # jab": the jab's day and time
            there = self.local(copied.slot_start)
            wanted = When(day=there.date(), clock=there.time())
        if newcomers and not moving and wanted.day is None and len(dropping) == 1:
            # "take ollie off … and put nibbles in at 5 instead": on the day of the visit given
            # up, at the time said (or at its own)
            wanted = replace(wanted, day=self.local(dropping[0].slot_start).date())
        plans: list[Plan] = []
        if (
            newcomers
            and not moving
            and wanted.clock is None
            and len(dropping) == 1
            and _SLOT_GIVEN_RE.search(normalise(rest))
        ):
            # "cancel her thursday appointment, but can Max have the slot instead?": the
            # freed slot, cancelled first so that it counts as free
            freed = dropping[0]
            self.keep_services = True
            return self.several(
                [Plan("cancel", freed.subject, as_utc(freed.slot_start), freed.service, freed)]
                + [Plan("book", n, as_utc(freed.slot_start), asked.key) for n in newcomers]
            )
        if newcomers:
            if moving or wanted.day is None or wanted.clock is None:
                return None
            start = wanted.at(self.local_now)
            assert start is not None
            plans += [Plan("book", n, start.astimezone(UTC), asked.key) for n in newcomers]
        for booking in moving:
            local = self.local(booking.slot_start)
            old = When(day=local.date(), clock=local.time())
            target = merge(wanted.shifted(local), old)
            start = target.at(self.local_now)
            if start is None or (target.day == old.day and target.clock == old.clock):
                return None
            plans.append(
                Plan("reschedule", booking.subject, start.astimezone(UTC), booking.service, booking)
            )
        cancels = [Plan("cancel", b.subject, as_utc(b.slot_start), b.service, b) for b in dropping]
        freed_slots = {p.slot for p in cancels}
        if any(p.slot in freed_slots for p in plans):
            # "take ollie off … and put nibbles in at 5 instead": the place freed first, so the
            # calendar has it when the booking is made (changes are made in order)
            plans = cancels + plans
        else:
            plans += cancels
        self.keep_services = True  # each plan's service is its own clauses' (``asked``)
        return self.several(plans)

    def named_in_clauses(
        self, bookings: list[BookingView], clauses: list[str]
    ) -> list[BookingView]:
        """Those of ``bookings`` that the ``clauses`` (as written) name by day or service
        ("cancel Daisy's groom on Thursday"), each narrowing only where it leaves some; all of
        ``bookings`` when the clauses name neither."""
        said = normalise(" ".join(clauses))
        day = self.read(said).day
        on_day = [b for b in bookings if self.local(b.slot_start).date() == day]
        bookings = on_day or bookings
        services = {s.key for s in answers.services_named(said, self.profile)}
        of_service = [b for b in bookings if b.service in services]
        return of_service or bookings

    def meant_each(self, targets: list[BookingView], named: list[str]) -> bool:
        """Whether the message means every one of ``targets`` (two or more): "both", "all",
        or each booked pet named once ("cancel Max and Bella's appointments")."""
        if len(targets) < 2:
            return False
        if re.search(r"\bboth\s+(?:on\s+)?(?:the\s+)?same\s+day\b", self.text):
            # "can we do both on the same day? move the jab to wednesday straight after the
            # check up" (set 225): the one named moves to the other's day
            said = {s.key for s in answers.services_named(self.text, self.profile)}
            if len(said) > 1 and len({t.service for t in targets} & said) > 1:
                return False
        if EVERY_RE.search(self.text):
            return True
        if re.search(
            r"\b(?:1|one|either)\s+of\s+(?:our|my|the|them|their|those|these)\b", self.text
        ):
            return False  # "i need to cancel one of our appointments on friday": which one
        if (
            _THE_PETS_RE.search(self.text)
            and len({self.local(t.slot_start).date() for t in targets}) == 1
        ):
            return True  # "thursday morning's no good anymore for the cats' jabs": both cats'
        if _OUR_BOOKINGS_RE.search(self.text):
            # "i need to change our appointments on wednesday": the ones on the day said, or
            # all of them when they are at one time
            day = self.when.day
            on_day = [t for t in targets if day and self.local(t.slot_start).date() == day]
            if len(on_day) == len(targets) or len({as_utc(t.slot_start) for t in targets}) == 1:
                return True
        subjects = [t.subject.lower() for t in targets]
        return len(named) >= 2 and len(set(subjects)) == len(subjects)
