"""How the local agent says things: the service meant, days and times in the customer's zone,
prices, a proposal read back."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from switchboard.agent_models import (
    AgentDecision,
    BookingProposal,
    BookingView,
    Direction,
    HistoryTurn,
    Intent,
    PendingAction,
    PendingChange,
)
from switchboard.business import Service
from switchboard.providers.rules_agent.base import (
    SAME_AS_THEIRS_RE,
    VISIT_TOLD_RE,
    TurnBase,
    without_booked_visit,
)
from switchboard.providers.rules_agent.helpers import (
    a_an,
    and_listed,
    answered_only,
    as_utc,
    for_,
    reply_as,
)
from switchboard.providers.rules_agent.patterns import (
    ASKED_WHEN_RE,
    CONTEXT_TURNS,
    KEPT_SERVICE_RE,
    OFFERED_INSTEAD_RE,
    REFUSED_SLOT_RE,
    SAME_AS_PET,
    TO_DO,
    USUAL_RE,
    WHAT_TIME_RE,
    kin_told,
)
from switchboard.slots import format_slot
from switchboard.understanding import answers
from switchboard.understanding.subjects import is_name
from switchboard.understanding.text import normalise

# One service's price as ``answers.answer`` says it: "A vaccination is €55 (15 minutes)."
_ONE_PRICE_SAID_RE = re.compile(r"An? [a-z ]+ is (?P<price>\S+) \(\d+ minutes\)\.")
# How many pets a question is for: "both my dogs", "for my 3 cats", "the two of them".
_COUNTS = {"both": 2, "two": 2, "2": 2, "three": 3, "3": 3, "four": 4, "4": 4}
_PETS_COUNTED_RE = re.compile(
    r"\b(?:for\s+)?(?:(?:all|the)\s+)?(?P<n>both|two|2|three|3|four|4)\s+(?:of\s+)?(?:my|our|the"
    r"|them|of\s+them|dogs|cats|pets|puppies|kittens|rabbits|guinea\s+pigs)\b"
)
# A price asked as each or together: "is that 55 each or 55 for both?" (set 198).
_EACH_OR_TOGETHER_RE = re.compile(
    r"\b(?:each|per\s+(?:pet|dog|cat|animal|one|1))\b[^?]{0,30}\bor\b[^?]{0,30}\b(?:both|for\s+the\s+2"
    r"|in\s+total|total|altogether|together)\b"
    r"|\b(?:for\s+both|for\s+the\s+2|in\s+total|altogether|together)\b[^?]{0,30}\bor\b[^?]{0,20}"
    r"\b(?:each|per\s+(?:pet|dog|cat|animal|one|1))\b"
)
# Our answer about one service: "A dental cleaning is €120 (60 minutes)." (``answers``).
# ("A dental cleaning is €120 (60 minutes).", "A grooming takes 45 minutes (€35).")
_SERVICE_TOLD_RE = re.compile(r"An?\s+(?P<name>[^.€]+?)\s+(?:is|takes)\s+\S*\d")
# The service the customer spoke of, referred to: "can you put him in for it friday".
_IN_FOR_IT = r"\bin\s+for\s+(?:it|that|one|1)\b"
_IN_FOR_IT_RE = re.compile(_IN_FOR_IT)
# A service referred back to: "can he have one", "book that", "I'll take it", "get him one"
# (normalised: "one" is "1").
_REFERS_TO_ONE_RE = re.compile(
    r"\b(?:have|get|book|do|take|want|need)\s+(?:him\s+|her\s+|them\s+)?(?:one|1|it|that|this)\b"
    rf"|{_IN_FOR_IT}"
)
# A visit named to place another: "after the check up", "before her jab".
_BESIDE_VISIT_RE = re.compile(
    r"\b(?:after|before|during|while\s+(?:she's|he's|they're)\s+in\s+for)\s+(?:the|her|his|their"
    r"|its)\s+(?:check[\s-]?up|checkup|jabs?|vaccinations?|boosters?|groom(?:ing)?|dental"
    r"|appointment|consultation|visit)\b"
)
# A vet asked to see the pet: a consultation, whatever else the message says ("could a vet see
# her today as well? keep the groom").
_SEE_A_VET_RE = re.compile(
    r"\b(?:a|the)\s+vet\s+(?:to\s+)?(?:see|look\s+at|check|have\s+a\s+look\s+at)\b"
    r"|\bsee\s+(?:a|the)\s+vet\b"
)
# Whether a visit is over by a time, asked: "will she be done by 10?", "finished by 11?".
_DONE_BY_RE = re.compile(
    r"\b(?:done|finished|out|ready|over|through)\s+by\s+\d{1,2}(?:[:.h]\d{2})?(?:\s*[ap]m)?\b"
)


# ... said of a visit it had: "Dory needs the same thing as Nemo had last week".
_SAME_THING_AS_PET_RE = re.compile(SAME_AS_PET + r"\s+(?:had|has|got|is\s+having)\b")


# A service of the past, told: "she had her myxo jab in June", "when he was last groomed", "he
# got his booster at the breeder".
_PAST_SERVICE_RE = re.compile(
    # ("she's got her groom on wednesday": one to come)
    r"\bgot\s+(?:groomed|vaccinated|jabbed)\b"
    r"|\b(?:was|were|been|had|has\s+had|have\s+had)\s+(?:last\s+|just\s+)?"
    r"(?:(?:his|her|their|its|a|an|the)\s+)?(?:[a-z]+\s+)?(?:groomed|groom|vaccinated|jabs?|boosters?"
    r"|vaccines?|vaccinations?|nails\s+(?:done|clipped|trimmed)|teeth\s+(?:done|cleaned))\b"
)


# The service of a booking the customer already has, told as where they stand: "I already have
# an appointment for my cat Toffee on thursday … for a check-up. … could Fudge come along at the
# same time and have her booster" (set 193): Fudge's booster is asked, not a check-up.
_BOOKED_SERVICE_TOLD_RE = re.compile(
    r"\balready\s+(?:have|has|got)\s+(?:an?\s+)?(?:appointment|booking|appt)\s+"
    r"(?:(?!(?:needs?|wants?|can|could|would|and|but|also)\b)\S+\s+){0,14}?for\s+"
    r"(?:an?\s+|her\s+|his\s+|their\s+)?(?P<service>check-?\s?up|checkup|consultation|groom(?:ing)?"
    r"|dental(?:\s+cleaning)?|vaccinations?|jabs?|boosters?|nail\s+trim)\b"
)


def without_past_service(text: str) -> str:
    """Normalised ``text`` with the services of the past it tells blanked ("she had her myxo
    jab in June", "when he was last groomed": set 158), unless a visit is said to be due ("she
    had her jab last year, she's due again")."""
    # ("not the same day as loki's jab": another pet's visit, set 155)
    text = re.sub(r"\bsame\s+day\s+as\s+\w+'s\s+[a-z-]+(?:\s+up)?\b", " ", text)
    booked = _BOOKED_SERVICE_TOLD_RE.search(text)
    if booked is not None:
        text = f"{text[: booked.start('service')]} {text[booked.end('service') :]}"
    told = _PAST_SERVICE_RE.sub(" ", text)
    return text if re.search(r"\b(?:over)?due\b", text) else told


class Saying(TurnBase):
    """How the local agent says things: the service meant, days and times in the customer's
    zone, prices, a proposal read back."""

    def service(self, key: str | None) -> Service:
        """The service this turn is about: the one the message names, else ``key``'s, else the
        one of the request our last message answered with times ("a dental for Coco wednesday
        at 12?" / "I can offer 11:30…" / "anything later?"), else the default one."""
        request = without_past_service(self.request_text())
        # "could she get her nails clipped too? after the check up": the visit she is in for
        # places the new one, it is not what is asked (set 130)
        beside = _BESIDE_VISIT_RE.sub(" ", request)
        named = self.profile.find_service(beside) if beside != request else None
        named = named or self.profile.find_service(request)
        if named is not None:
            return named
        if key:
            try:
                return self.profile.service(key)
            except KeyError:
                pass
        return (
            self.service_we_answered()
            or self.service_referred_to()
            or self.service_copied()
            or self.service_we_recalled()
            or self.service_just_cancelled()
            or self.profile.service()
        )

    def service_just_cancelled(self) -> Service | None:
        """The service of the booking our last message said was cancelled, when this message
        asks for it again ("Done: the appointment for Rusty on Tuesday 15 December at 16:30 is
        cancelled." / "can he have it on saturday instead, first thing?", set 225); None
        otherwise."""
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        ours = history[-1].text
        if not (ours.startswith("Done:") and "cancelled" in ours):
            return None
        if not _REFERS_TO_ONE_RE.search(self.text):
            return None
        gone = {
            b.service
            for b in self.context.bookings
            if b.status != "confirmed" and self.say(b.slot_start) in ours
        }
        return self.keyed_service(gone.pop()) if len(gone) == 1 else None

    def service_we_recalled(self) -> Service | None:
        """The one service our own recent message asked the customer to book ("Pixel's yearly
        booster is due this month. Would you like to book it?", a journey's recall), since the
        last booking done; None when none did."""
        for turn in reversed(self.context.history[-2 * CONTEXT_TURNS :]):
            if turn.direction is not Direction.OUTBOUND:
                continue
            if turn.text.startswith("Done:"):
                return None
            said = answers.services_named(normalise(turn.text), self.profile)
            # ("Christmas grooming … Reply with a day that suits and we'll find you a slot!")
            asks = r"\b(?:due|book|booking|suits?|slots?|which\s+day|what\s+time)\b"
            if len(said) == 1 and re.search(asks, turn.text, re.IGNORECASE):
                return said[0]
        return None

    def service_copied(self) -> Service | None:
        """The service of the booking just made, asked for another pet ("Done: Peanut is
        booked …" / "Popcorn needs hers doing too"), or of another pet's visit the conversation
        told of ("Done: Nemo's vaccination …" last week / "Dory needs the same thing as Nemo
        had"); None otherwise."""
        model = _SAME_THING_AS_PET_RE.search(self.text)
        if model is not None:
            pet = model.group(1)
            for turn in reversed(self.context.history):
                if not re.search(rf"\b{re.escape(pet)}\b", turn.text, re.IGNORECASE):
                    continue
                named = answers.services_named(normalise(turn.text), self.profile)
                if len(named) == 1:
                    return named[0]
        if not SAME_AS_THEIRS_RE.search(self.text):
            return None
        booking = self.booking_just_done()
        done = {b.service for b in self.bookings_just_done()}
        if booking is None and len(done) == 1:
            # "Done: Lola is booked … and Pixel is booked …" / "dobby is due his too" (set 225)
            return self.keyed_service(done.pop())
        if booking is None:
            # "can bella go in straight after coco then? she's due one too": the visit of the
            # one booked pet the message names (set 130)
            said = {s.lower() for s in self.subjects}
            theirs = [b for b in self.upcoming if b.subject.lower() in said]
            booking = theirs[0] if len(theirs) == 1 else None
        return self.keyed_service(booking.service) if booking is not None else None

    def service_referred_to(self) -> Service | None:
        """The one service our last message told the price or length of, when this message
        refers back to it ("A dental cleaning is €120 (60 minutes)." / "ok. can he have one on
        friday at 2pm?"); None otherwise."""
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        if not _REFERS_TO_ONE_RE.search(self.text):
            return None
        told = _SERVICE_TOLD_RE.match(history[-1].text)
        if told:
            return self.profile.find_service(normalise(told["name"]))
        # "can I book Lucky's groom … like june?" / "Sorry, … can't be booked yet …" / "could
        # he have one before christmas then?": the service of the request we turned down
        if len(history) < 2 or history[-2].direction is not Direction.INBOUND:
            return None
        told_none = history[-1].text.startswith(("Sorry", "I can't find", "Nothing is booked"))
        if not told_none and not _IN_FOR_IT_RE.search(self.text):
            return None
        # ("when's simba's next appointment? I'm sure I booked his booster" / "I can't find an
        # upcoming appointment…" / "can you put him in for it friday at half 10", "ok can you
        # book it please": the booster)
        return self.profile.find_service(normalise(history[-2].text))

    def service_just_booked(self) -> Service | None:
        """The service of the booking our last message said was done ("Done: you're booked for
        Wednesday 9 December at 15:00 for Mittens." / "how much will it be?"); None otherwise."""
        booking = self.booking_just_done()
        return self.keyed_service(booking.service) if booking is not None else None

    def booking_just_done(self) -> BookingView | None:
        """The one upcoming booking our last message said was done ("Done: …"), or the one
        before an answer we gave since ("Done: …" / "is that with the vet?" / our answer / "how
        long does it take?"); None when there is no such message or it said several."""
        said = self.bookings_just_done()
        return said[0] if len(said) == 1 else None

    def service_just_told(self) -> Service | None:
        """The service of ``booking_just_told`` ("Your appointment for Coco is on Saturday 12
        December at 11:30." / "how long will she be?"); None when there is none."""
        booking = self.booking_just_told()
        return self.keyed_service(booking.service) if booking is not None else None

    @staticmethod
    def ours_last(history: list[HistoryTurn], opening: str) -> str | None:
        """Our message ending ``history`` when it opens with ``opening``; None otherwise."""
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        ours = history[-1].text
        return ours if ours.startswith(opening) else None

    def booking_just_told(self) -> BookingView | None:
        """The one upcoming booking our last message told the customer of ("Your appointment
        for Coco is on …"); None when it told of none or of several."""
        ours = self.ours_last(self.context.history, "Your appointment")
        return self.one_booking_said(ours) if ours is not None else None

    def one_booking_said(self, ours: str) -> BookingView | None:
        """The one upcoming booking whose slot our message ``ours`` says; None when it says
        none or several."""
        said = [b for b in self.upcoming if self.say(b.slot_start) in ours]
        return said[0] if len(said) == 1 else None

    def booking_said_last(self) -> BookingView | None:
        """The one upcoming booking our last message said ("Nothing is booked on Friday 18
        December. Your appointment for Juniper is on Thursday 17 December at 14:00."); None
        when it said none or several."""
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        ours = history[-1].text
        if not re.search(r"\b(?:your|the)\s+appointment\b", ours, re.IGNORECASE):
            return None
        return self.one_booking_said(ours)

    def bookings_done_named(self) -> list[BookingView]:
        """Of ``bookings_just_done``, those whose pet our "Done: …" names ("Done: Milou is
        booked …" beside Charlie's booking at the same time: Milou's)."""
        ours = self.context.history[-1].text if self.context.history else ""
        return [
            b for b in self.bookings_just_done() if re.search(rf"\b{re.escape(b.subject)}\b", ours)
        ]

    def bookings_just_done(self) -> list[BookingView]:
        """The upcoming bookings our last "Done: …" said (``booking_just_done``), in time
        order; empty when there is none."""
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return []
        ours = [t.text for t in history[-4:] if t.direction is Direction.OUTBOUND]
        done = next((t for t in reversed(ours) if t.startswith("Done:")), None)
        if done is None or any(ASKED_WHEN_RE.search(t) for t in ours[ours.index(done) :]):
            return []
        return [b for b in self.upcoming if self.say(b.slot_start) in done]

    def offered_last(self) -> bool:
        """Whether our last message turned a time down and offered others ("Sorry, … isn't
        possible: … I can offer …. Which would suit you?")."""
        history = self.context.history
        return bool(
            history
            and history[-1].direction is Direction.OUTBOUND
            and OFFERED_INSTEAD_RE.search(history[-1].text)
        )

    def service_we_answered(self) -> Service | None:
        """The service the customer's request named, in their latest message that named one
        since the last booking done, when our last message asked for or offered times for it
        ("What time on…", "I can offer…", "Which day…"); None otherwise."""
        history = self.context.history
        if len(history) < 2 or history[-1].direction is not Direction.OUTBOUND:
            return None
        ours = history[-1].text
        if not (
            ASKED_WHEN_RE.search(ours)
            or OFFERED_INSTEAD_RE.search(ours)
            or WHAT_TIME_RE.search(ours)
            # "book bella for a groom" / "Which day…?" / "how much is that" / "A grooming is
            # €35 (45 minutes)." / "ok tuesday at 2 then": the request is still the groom
            or _SERVICE_TOLD_RE.match(ours)
            # times listed however put ("Tomorrow I have 14:15, 16:15 or 17:30 for Figaro")
            or len(re.findall(r"\b\d{2}:\d{2}\b", ours)) >= 2
            # a day turned down ("Sorry, Monday 15 March 2027 at 10:00 isn't possible yet: …
            # tell me another day"): the request goes on with another
            or REFUSED_SLOT_RE.match(ours)
            # ... a day alone ("Sorry, Saturday 20 March 2027 isn't possible yet: …")
            or re.match(r"Sorry, [^.:]{0,40} isn't possible", ours)
            # an answer about the clinic ("how far ahead can I book? Shadow's dental is due in
            # march" / "You can book any free time up to 90 days ahead …" / "Monday 1 March at
            # 9 then"), not about the customer's bookings
            or (answered_only(ours) and not re.search(r"\b(?:appointments?|booked)\b", ours))
        ):
            return None
        # the request being answered may have named it turns ago ("…for my cat Mittens, she needs
        # her annual vaccinations" / "Which day…?" / "anything on Wednesday afternoon?" / …)
        for turn in reversed(history[-2 * CONTEXT_TURNS :]):
            if turn.direction is Direction.OUTBOUND:
                if turn.text.startswith("Done:"):
                    return None  # that request was booked; a new one starts after it
                continue
            # ("… at her last check up": a visit told of, not the one asked)
            said = VISIT_TOLD_RE.sub(" ", KEPT_SERVICE_RE.sub(" ", normalise(turn.text)))
            said = without_past_service(said)
            if self.upcoming:
                said = without_booked_visit(said)  # the booked pets' own visit said
            named = self.profile.find_service(said)
            if named is not None:
                return named
            if _SEE_A_VET_RE.search(normalise(turn.text)):
                return self.profile.service()  # "could a vet see her today?": a consultation
            if USUAL_RE.search(normalise(turn.text)):
                # "same as usual for max please" / "Which day…?" / "friday": the last visit's
                had = self.visit_had_before(normalise(turn.text))
                return self.keyed_service(had.service) if had is not None else None
            if SAME_AS_THEIRS_RE.search(normalise(turn.text)):
                # "Done: Lola is booked … and Pixel is booked …" / "dobby is due his too, can
                # he come at 2" / "Sorry, … I can offer …" / "2.15 then?" (set 225)
                return self.service_done_before(turn)
        return None

    def service_done_before(self, turn: HistoryTurn) -> Service | None:
        """The one service of the upcoming bookings our "Done: …" just before ``turn`` said;
        None when there is no such message or its bookings are of several services."""
        history = self.context.history
        before = history[: history.index(turn)]
        done = next(
            (t.text for t in reversed(before[-4:]) if t.direction is Direction.OUTBOUND),
            "",
        )
        if not done.startswith("Done:"):
            return None
        services = {b.service for b in self.upcoming if self.say(b.slot_start) in done}
        return self.keyed_service(services.pop()) if len(services) == 1 else None

    def visit_had_before(self, text: str) -> BookingView | None:
        """The latest confirmed visit before now of a pet ``text`` names (of any pet when it
        names none booked before); None when the CRM holds none."""
        past = [
            b
            for b in self.context.bookings
            if b.status == "confirmed" and as_utc(b.slot_start) <= self.now
        ]
        named = [b for b in past if re.search(rf"\b{re.escape(b.subject.lower())}\b", text)]
        return max(named or past, key=lambda b: as_utc(b.slot_start), default=None)

    def keyed_service(self, key: str | None) -> Service:
        """The service of ``key`` (the default one when unknown), whatever the message names."""
        try:
            return self.profile.service(key) if key else self.profile.service()
        except KeyError:
            return self.profile.service()

    def local(self, moment: datetime) -> datetime:
        return as_utc(moment).astimezone(self.zone)

    def say(self, moment: datetime) -> str:
        """ "Tuesday 24 November at 10:00", with the year when it is not this year's."""
        said = format_slot(as_utc(moment), self.context.timezone)
        year = self.local(moment).year
        if year != self.local_now.year:
            said = said.replace(" at ", f" {year} at ", 1)
        return said

    def restate(self, pending: PendingAction) -> str:
        """The pending question again: "Shall I book Tuesday 8 December at 10:00 for Max?"."""
        assert pending.slot_start is not None
        if pending.changes:
            return f"Shall I {and_listed([self.to_do(c) for c in pending.changes])}?"
        when = self.say(pending.slot_start)
        if pending.kind == "cancel":
            return f"Shall I cancel the appointment{for_(pending.subject)} on {when}?"
        if pending.kind == "reschedule":
            return f"Shall I move the appointment{for_(pending.subject)} to {when}?"
        return f"Shall I book {when}{for_(pending.subject)}?"

    def total_of(self, pending: PendingAction) -> str:
        """What the new bookings of ``pending`` cost: each, and the total when the prices add
        up ("That's €110 in total: a vaccination for Max (€55) and …")."""
        books = [c for c in pending.changes if c.kind == "book"]
        services = [self.keyed_service(c.service) for c in books]
        said = self.priced_each(services, [c.subject for c in books])
        # only moves and cancellations: what the policy says of them (the profile's words)
        return said if said is not None else self.profile.policies.get("cancellation", "")

    def done_by_said(self, decision: AgentDecision) -> AgentDecision:
        """``decision`` (one slot proposed) with when the visit ends, when the message asks
        whether it will be over by a time ("will she be done by 10 so i can get to work?"):
        "It takes 60 minutes, so it ends at 09:30." before the request for a yes."""
        if _DONE_BY_RE.search(self.text) is None or decision.proposal is None:
            return decision
        if decision.intent not in (Intent.PROPOSE_BOOKING, Intent.PROPOSE_RESCHEDULE):
            return decision
        service = self.keyed_service(decision.proposal.service)
        ends = self.local(decision.proposal.slot_start) + timedelta(
            minutes=service.duration_minutes
        )
        said = f"It takes {service.duration_minutes} minutes, so it ends at {ends:%H:%M}."
        ask, reply = self.ask(), decision.reply
        before, asked, _ = reply.rpartition(ask)
        reply = f"{before}{said} {ask}" if asked else f"{reply} {said}"
        return decision.model_copy(update={"reply": reply})

    def priced(self, decision: AgentDecision) -> AgentDecision:
        """``decision`` (a proposal of new bookings) with the price asked in the same message
        put first, when its reply says none ("… she needs her jab as well, how much for the
        two?"): the service's price, and with "the two", "both" or "total" the sum with the
        booking of another pet at the same time."""
        if not answers.asks_price(self.text):
            return decision
        if any(s.price in decision.reply for s in self.profile.services):
            return decision
        proposals = decision.proposals or ([decision.proposal] if decision.proposal else [])
        new = [p for p in proposals if (p.kind or "book") == "book" and not p.booking_id]
        if not new:
            if proposals or decision.intent is not Intent.CLARIFY:
                return decision
            # "r u open sundays? … nails clipped … how much is it?" / "Sorry, we're closed on
            # Sundays. I can offer …": the price of the service named, beside the other times
            named = answers.services_named(self.text, self.profile)
            if len(named) != 1:
                return decision
            service = named[0]
            price = self.priced_for_several(
                f"{a_an(service.name).capitalize()} is {service.price} "
                f"({service.duration_minutes} minutes)."
            )
            refused, _, rest = decision.reply.partition(". ")
            if refused.startswith("Sorry,") and rest:
                # (the refusal first, then the price, then the other times)
                return decision.model_copy(update={"reply": f"{refused}. {price} {rest}"})
            return decision.model_copy(update={"reply": f"{price} {decision.reply}"})
        services = [self.keyed_service(p.service) for p in new]
        subjects = [p.subject for p in new]
        if re.search(r"\b(?:two|both|all|total|together|2|3|three)\b", self.text):
            days = {(p.subject, self.local(p.slot_start).date()) for p in new}
            for b in self.upcoming:
                if (
                    as_utc(b.slot_start) in {as_utc(p.slot_start) for p in new}
                    and b.subject not in subjects
                ) or (b.subject, self.local(b.slot_start).date()) in days:
                    # (the pet's own visit that day too: "his jab at the same visit … just
                    # before the groom … what would the total be then", set 229)
                    services.insert(0, self.keyed_service(b.service))
                    subjects.insert(0, b.subject)
        said = (
            self.priced_each(services, subjects)
            if len(services) > 1
            else (f"{a_an(services[0].name).capitalize()} is {services[0].price}.")
        )
        return decision.model_copy(update={"reply": f"{said} {decision.reply}"})

    def priced_for_several(self, said: str) -> str:
        """``said`` (an answer) with the total for several pets when it gives one service's
        price and the question is for two or more ("how much would it be for both my dogs to
        get their jabs?" → "A vaccination is €55 (15 minutes). For both, that's €110 in total.")."""
        priced = _ONE_PRICE_SAID_RE.fullmatch(said.strip())
        if priced is None or not answers.asks_price(self.text):
            return said
        many = self.pets_counted(1)
        if many < 2:
            return said
        total = answers.total_price([priced["price"]] * many)
        who = "both" if many == 2 else f"all {many}"
        return f"{said} For {who}, that's {total} in total." if total else said

    def pets_counted(self, default: int) -> int:
        """How many pets the message is about: the pets it names when several, else the number
        it says ("both my dogs", "my 3 cats"), else ``default``."""
        # (not a pet named only as another's kin: "mabel (lola's sister)", set 210)
        kin = {other for other, _ in kin_told(self.text)}
        names = [s for s in self.subjects if is_name(s) and s.lower() not in kin]
        counted = _PETS_COUNTED_RE.search(self.text)
        return len(names) if len(names) > 1 else (_COUNTS[counted["n"]] if counted else default)

    def price_each_or_together(self) -> AgentDecision | None:
        """ "is that 55 each or 55 for both? its for fudge and toffee" after our price of a
        service (set 198): the price is each pet's, and the total for them. None when the
        message asks no such thing or names no service, ours included."""
        if self.pending is not None or not _EACH_OR_TOGETHER_RE.search(self.text):
            return None
        ours = [t.text for t in self.context.history if t.direction is Direction.OUTBOUND]
        service = self.profile.find_service(self.text) or (
            self.profile.find_service(normalise(ours[-1])) if ours else None
        )
        if service is None:
            return None
        many = self.pets_counted(2)
        total = answers.total_price([service.price] * many)
        who = "both" if many == 2 else f"all {many}"
        each = f"{a_an(service.name).capitalize()} is {service.price} for each pet"
        return reply_as(Intent.ANSWER, f"{each}, so {total} for {who}." if total else f"{each}.")

    def bookings_done_recently(self) -> list[BookingView]:
        """The upcoming bookings our "Done: …" messages of the last few turns made, in time
        order (each once); empty when they made none."""
        done = [
            t.text
            for t in self.context.history[-2 * CONTEXT_TURNS :]
            if t.direction is Direction.OUTBOUND and t.text.startswith("Done:")
        ]
        return [
            b
            for b in self.upcoming
            if any(self.say(b.slot_start) in d and b.subject in d for d in done)
        ]

    def total_of_bookings(self, bookings: list[BookingView]) -> str:
        """What ``bookings`` cost: each, and the total when the prices add up."""
        services = [self.keyed_service(b.service) for b in bookings]
        return self.priced_each(services, [b.subject for b in bookings]) or ""

    def priced_each(self, services: list[Service], subjects: list[str]) -> str | None:
        """ "That's €80 in total: a grooming for Daisy (€35) and a consultation for Daisy
        (€45)."; each alone when the prices do not add up; None for no service."""
        if not services:
            return None
        each = [
            f"{a_an(s.name)}{for_(who)} ({s.price})"
            for s, who in zip(services, subjects, strict=True)
        ]
        total = answers.total_price([s.price for s in services])
        if total is None:
            return f"It's {and_listed(each)}."
        return f"That's {total} in total: {and_listed(each)}."

    def to_do(self, change: PendingChange | BookingProposal) -> str:
        """One change of several as the read-back says it: "book Max for Friday…"."""
        verb, what = TO_DO[change.kind or "book"]
        said = change.said or self.say(change.slot_start)
        return f"{verb} {what.format(who=change.subject, when=said)}"

    def ask(self) -> str:
        return "Shall I confirm?" if self.voice else "Reply YES to confirm."
