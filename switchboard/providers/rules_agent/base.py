"""The state of one turn of the local agent, read once from its context, and the reading every
part of it shares."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from switchboard.agent_models import (
    AgentContext,
    AgentDecision,
    BookingView,
    Direction,
    PendingAction,
)
from switchboard.business import BusinessProfile, Service
from switchboard.providers.rules_agent.patterns import (
    ANY_VISIT_WORDS_RE,
    BOOKED_FOR_RE,
    BOOKING_WORD_RE,
    KEPT_SERVICE_RE,
    WEEK_SAID_RE,
)
from switchboard.understanding import answers
from switchboard.understanding.subjects import is_name, people_in, subjects_in
from switchboard.understanding.text import normalise
from switchboard.understanding.when import When, read_when

# A day as we write it out: "Saturday 19 December", "Friday 1 January 2027".

# A visit of the past told as a story: "was in with you in September for his jab", "came in
# last month for her booster"
VISIT_TOLD_RE = re.compile(
    r"\b(?:was|were|came|had\s+been|went)\s+in\b[^.!?]{0,40}?\bfor\s+(?:his|her|their|its|a|an|the)\s+"
    r"[a-z-]+(?:\s+up)?\b"
    # "(the vet said so at her last check up)"
    r"|\b(?:at|during|since|after)\s+(?:his|her|their|its|the|our|my)\s+last\s+[a-z-]+(?:\s+up)?\b"
    # "He had his check-up in the summer" (set 129)
    r"|\b(?:he|she|they|it)\s+(?:had|has\s+had|'s\s+had)\s+(?:his|her|their|its)\s+[a-z-]+(?:\s+up)?"
    r"\s+(?:in|last|back|already|earlier|this\s+year|at\s+the)\b"
)

WRITTEN_DAY_RE = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} "
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?: \d{4})?"
)
# A request standing only if the day asked about is closed: "if not", "otherwise", "if you're
# closed then" (``closed_day_asked``).
_IF_CLOSED_RE = re.compile(
    r"^\W*(?:if\s+not|otherwise|failing\s+that|or\s+else|if\s+(?:you're\s+|you\s+are\s+)?"
    r"(?:closed|shut|not))\b(?:\s+then\b)?"
)
# A message to someone close, heading with how they are called: "honey can you…", "babe…".
_ENDEARMENT_RE = re.compile(
    r"^(?:hey\s+|hi\s+|oi\s+)?(?:honey|hun|hon|babe|baby|darling|sweetie|sweetheart|love|luv|mum"
    # (not "Mum asked you about Tofu yesterday": mum told of, set 164)
    r"|mom|dad)\b(?!\s+(?:is|has|needs|'s|asked|said|says|wants|wanted|told|booked"
    r"|rang|called|messaged))"
)
# A weekday said on its own ("tuesday would be best"), and a day as we write it ("Monday 14
# December") in our own messages.
_BARE_WEEKDAY_RE = re.compile(
    r"(?<!\bthis\s)(?<!\bnext\s)\b(?:monday|tuesday|wednesday|thursday|friday|saturday|mon|tues?"
    r"|wed|weds|thu|thurs?|fri|sat)\b"
)
_WEEK_OR_DATE_SAID_RE = re.compile(
    r"\b(?:this|next|coming|today|tomorrow|tonight|week|fortnight)\b|\b\d{1,2}(?:st|nd|rd|th)\b"
    r"|\d/\d|\b(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b"
)
_OFFERED_DAY_RE = re.compile(
    r"\b(?:What time on|Which time on|I can offer|I can book|to|I have) ((?:Monday|Tuesday"
    r"|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} (?:January|February|March|April|May"
    r"|June|July|August|September|October|November|December))\b"
)

# Our read-back of a proposal: "I can book …", "I can move …".
_PROPOSED_RE = re.compile(r"^I can (?:book|move) ")


# A service said not to be the one: "not a check-up", "rather than the groom", "instead of a
# dental" (``request_text`` drops it when it names a service).
_SERVICE_RULED_OUT_RE = re.compile(
    r"\b(?:not|rather\s+than|instead\s+of)\s+(?:a|an|the|his|her|their|its)\s+"
    # ("it's for his rabies jab, not a general check-up")
    r"(?:(?:general|routine|normal|full|regular|usual)\s+)?[a-z-]+"
    r"(?:\s+(?:up|cleaning|clean|trim|check))?\b"
    # "she doesn't need another check-up"
    r"|\b(?:doesn't|does\s+not|don't|do\s+not|won't)\s+need\s+(?:a|an|the|another|his|her|their)\s+"
    r"[a-z-]+(?:\s+(?:up|cleaning|clean|trim|check))?\b"
    # ... or put off: "just do his booster at 6.30 then, the groom can wait", "we'll do his
    # teeth another time", "skip the groom for now"
    r"|\b(?:the|his|her|their|its)\s+[a-z-]+(?:\s+(?:up|cleaning|clean|trim|check))?\s+"
    r"(?:can|could|will|'ll)\s+wait\b"
    r"|\b(?:the|his|her|their|its)\s+[a-z-]+(?:\s+(?:up|cleaning|clean|trim|check))?\s+"
    r"(?:another|some\s+other|a\s+different)\s+(?:time|day)\b"
    r"|\b(?:skip|forget|leave|scrap|drop|ditch)\s+(?:the|his|her|their|its)\s+[a-z-]+"
    r"(?:\s+(?:up|cleaning|clean|trim|check))?\b"
)


# The booked pets' service asked for another ("… are in for their nails on Saturday at 10,
# could Hazel get hers done too?", "can bella have the same", "same thing for milo").
SAME_AS_THEIRS_RE = re.compile(
    # (not "get his nails done": his own)
    r"\b(?:hers|his|theirs)\s+(?:done|doing)\b|\b(?:get|have|has)\s+(?:hers|theirs|the\s+same)\b"
    r"|\bsame\s+thing\b"
    # "can bella go in straight after coco then? she's due 1 too" (set 130)
    r"|\b(?:due|needs?)\s+(?:1|one)\s+(?:too|as\s+well)\b"
    # "dobby (dog) is due his too" (set 225)
    r"|\b(?:due|needs?)\s+(?:his|hers|her|theirs|their)\s+(?:too|as\s+well|also)\b"
)


def without_booked_visit(text: str) -> str:
    """Normalised ``text`` without what it says booked pets are in for ("the boys are in for
    their dentals"): not the service asked for, unless it asks that service for another pet
    ("… could Hazel get hers done too?")."""
    if SAME_AS_THEIRS_RE.search(text):
        return text
    return BOOKED_FOR_RE.sub(" ", text)


class TurnBase:
    """One decision's state: the context, read once by ``Turn.read_message``. The parts of the
    local agent are layers over it (``switchboard.providers.rules_agent``), each using only
    the ones below; ``decide`` is the top layer's, and a part that reads another message as a
    turn of its own (``type(self)(context, profile)``) asks it for its decision."""

    context: AgentContext
    profile: BusinessProfile
    zone: ZoneInfo
    now: datetime
    local_now: datetime
    pet_day: str | None
    kept: list[str]
    text: str
    holidays: dict[date, str]
    when_text: str
    # whether ``when_text`` is the one sentence that asks (``asked_in_one_sentence``)
    one_sentence: bool
    when: When
    pending: PendingAction | None
    voice: bool
    upcoming: list[BookingView]
    business_words: frozenset[str]
    service_words: frozenset[str]
    known: list[str]
    subjects: list[str]
    models: list[str]
    # (pet, new day/time) for a request proposed again after one of its changes was refused
    replacing: tuple[str, When] | None
    # whether the others asked at that pet's refused time take its new time too
    replacing_alike: bool
    # a far day the customer has said yes to ("did you mean Monday 4 January?" / "yes")
    day_checked: date | None
    # the first day a visit may be on ("we're away until the 20th": the 21st), none said: None
    not_before: date | None
    # a visit offered to a pet said to be unwell (``unwell_only``): a photo's question
    # still goes to the team
    unwell_offered: bool
    # several services in one message, each booked as its own appointment (``each_service``)
    keep_services: bool
    # the booking whose service the message changes, and its new one (``new_service_of``)
    changed_service: tuple[str, Service] | None

    def __init__(self, context: AgentContext, profile: BusinessProfile) -> None:
        self.context = context
        self.profile = profile
        self.read_message()

    def service_said(self) -> Service | None:
        """The service the message names, its words for any visit ("appointment", "slot";
        ``ANY_VISIT_WORDS_RE``) left out: "add bella to max's appointment" names none (the
        profile reads "appointment" as a consultation). None when it names none."""
        return self.profile.find_service(ANY_VISIT_WORDS_RE.sub(" ", self.text))

    def upcoming_by_id(self, booking_id: str | None) -> BookingView | None:
        """The customer's upcoming booking with this id; None when there is none (cancelled or
        past since, or no id given)."""
        return next((b for b in self.upcoming if b.id == booking_id), None)

    def read_message(self) -> None:
        """Read the context once (``Turn.read_message``)."""
        raise NotImplementedError

    def decide(self) -> AgentDecision:
        """The turn's decision (``Turn.decide``)."""
        raise NotImplementedError

    def closed_day_asked(self) -> When | None:
        """The request after a question whether we open on a day we are closed ("are you open
        sunday? if not saturday at 10 for luna's jab"): its own day, the day asked about kept
        for the answer (``open_asked``). None when the message does not open with such a
        question, or the request names no other day. A day asked about that is open was the one
        wanted first ("are you open on the 24th? if not the 23rd at 5"): not this either."""
        question, mark, rest = self.context.message.partition("?")
        rest = rest.lstrip("?")
        if not mark or not rest.strip() or not answers.about_hours(normalise(question)):
            return None
        about = self.read(normalise(question))
        if about.day is None or about.clock is not None or self.profile.intervals_on(about.day):
            return None
        # "if not saturday at 10" would read as Saturday ruled out
        wanted = self.read(_IF_CLOSED_RE.sub(" ", normalise(rest), count=1))
        if wanted.day is None or wanted.day == about.day:
            return None
        return replace(wanted, open_asked=about.day)

    def request_text(self) -> str:
        """The words a booking's service is read from: after a question about the business,
        the request's own when it names one ("how much is a dental? ok then a checkup for
        shadow" asks for a checkup only), else the whole message (normalised)."""
        parts = [p for p in re.split(r"\?+", self.context.message) if p.strip()]
        asked = 0
        for part in parts[:-1]:
            said = normalise(part)
            if not answers.is_question(said) or self.read(said).clock is not None:
                break
            asked += 1
        if asked:
            rest = normalise(" ".join(parts[asked:]))
            if self.profile.find_service(rest) is not None:
                return rest
        elif len(parts) > 1:
            # "could peanut come in for her jabs wednesday at half 11? and roughly how much is a
            # dental cleaning …" (set 170): the request's own service, not the one asked about
            first = normalise(parts[0])
            if (
                self.read(first).clock is not None
                and self.profile.find_service(first) is not None
                # (the question names a service of its own: "how much is a dental cleaning")
                and self.profile.find_service(normalise(" ".join(parts[1:]))) is not None
                and all(
                    answers.is_question(said := normalise(p)) and self.read(said).clock is None
                    for p in parts[1:]
                )
            ):
                return first
        # "could a vet see her today as well? keep the groom": the groom kept is no service
        # asked for now
        text = KEPT_SERVICE_RE.sub(" ", self.text)
        if any(b.status == "confirmed" for b in self.context.bookings):
            # "the boys are in for their dentals tomorrow at 2 - could … mittens … for her jab":
            # the booked pets' service is theirs, not the one asked for
            text = without_booked_visit(text)
        # "it's his booster he's due, not a check-up": a service ruled out is not the one asked
        text = _SERVICE_RULED_OUT_RE.sub(
            lambda m: " " if self.profile.find_service(m.group(0)) is not None else m.group(0),
            text,
        )
        # "Bruno was in with you in September for his jab … could Tigger come in tomorrow at
        # 4?": a visit told of is no service asked for
        return VISIT_TOLD_RE.sub(" ", text)

    def weekday_in_week_talked_about(self) -> date | None:
        """A bare weekday answering our offer of a day of a later week ("What time on Monday 14
        December…?" / "tuesday would be best", a question between): that week's, not this
        week's. None when the message says which week itself ("this", "next", a date), names
        no weekday, or our recent offers are of no day past this week."""
        history = self.context.history
        day = self.when.day
        if day is None or not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        if _BARE_WEEKDAY_RE.search(self.text) and not _WEEK_OR_DATE_SAID_RE.search(self.text):
            # "saturday" answering our "I can offer Saturday 19 December at 11:45, … or Monday
            # 21 December …": the Saturday offered, not the coming one
            offered = {
                written.day
                for found in WRITTEN_DAY_RE.finditer(history[-1].text)
                if (written := self.read(normalise(found.group(0)))).day is not None
            }
            same = [d for d in offered if d is not None and d.weekday() == day.weekday()]
            if len(same) == 1 and same[0] != day:
                return same[0]
        # the day of our latest offer or question about times (not the booking restated)
        ours = [t.text for t in history[-4:] if t.direction is Direction.OUTBOUND]
        said = next((m for text in reversed(ours) if (m := _OFFERED_DAY_RE.search(text))), None)
        if said is None and ours and _PROPOSED_RE.match(ours[-1]):
            # "I can book Salt and Pepper for Monday 14 December at 16:00": the day proposed
            said = WRITTEN_DAY_RE.search(ours[-1])
        talked = (
            self.read(normalise(said.group(1) if said.groups() else said.group(0))).day
            if said is not None
            else None
        )
        if talked is None:
            return None
        if not _BARE_WEEKDAY_RE.search(self.text) or _WEEK_OR_DATE_SAID_RE.search(self.text):
            return None
        # only a week the customer asked for ("next week if possible"), not one we offered
        # because theirs was shut ("is sunday possible?" / Monday's times / "saturday then?")
        theirs = [t.text for t in history[-6:] if t.direction is Direction.INBOUND]
        if not any(
            WEEK_SAID_RE.search(normalise(text))
            # ("I booked Bailey in for Monday the 14th … any other day that week after 4?")
            or re.search(r"\bthat\s+(?:same\s+)?week\b", normalise(text))
            for text in theirs
        ):
            return None
        today = self.local_now.date()
        if (day - today).days >= 7:
            return None
        week = talked - timedelta(days=talked.weekday())
        if week <= today - timedelta(days=today.weekday()):
            return None
        moved = week + timedelta(days=day.weekday())
        return moved if moved >= today else None

    def meant_for_someone_else(self) -> bool:
        """A message written to someone close ("honey can you grab milk on the way home? … we're
        at your mum's on friday at 7 xx"): an endearment heading it, and nothing of a visit in it
        (no service, booking word, pet on record, the clinic or the vet), nothing pending."""
        if self.pending is not None or self.voice or not _ENDEARMENT_RE.match(self.text):
            return False
        known = {k.lower() for k in self.known}
        words = set(re.findall(r"[a-z]+", self.text))
        return not (
            BOOKING_WORD_RE.search(self.text)
            or self.profile.find_service(self.text)
            or re.search(r"\b(?:vet|vets|clinic|appointment|appt|booking|surgery)\b", self.text)
            or words & known
            # ("… about Tofu yesterday": a pet our conversation named)
            or any(
                is_name(s) and re.search(rf"\b{re.escape(s.lower())}\b", turn.text.lower())
                for s in self.subjects
                for turn in self.context.history
            )
        )

    def pets_in(self, message: str, *, known: list[str], transcript: bool) -> list[str]:
        """``subjects_in`` without the words of the business's name."""
        # a word of a service's name is no new pet ("my 2 dogs for nail trims": no Nail)
        found = subjects_in(
            message, known=known, transcript=transcript, not_names=self.service_words
        )
        # every word: two capitalised words side by side are one name ("Lilas Veterinary")
        found = [s for s in found if not set(s.lower().split()) & self.business_words]
        # a person the customer named before is no pet now ("my son Laurent, who will take us"
        # / "Laurent will arrange it with his work", set 136); a pet on record stays one
        people = self.people_named_before
        return [s for s in found if s in known or not set(s.lower().split()) & people]

    @cached_property
    def people_named_before(self) -> set[str]:
        """The lower-cased words of the people the customer's earlier messages name as people
        (``people_in``): relatives, helpers, who signed."""
        return {
            word
            for turn in self.context.history
            if turn.direction is Direction.INBOUND and turn.text
            for word in people_in(turn.text)
        }

    def back_where(self) -> str:
        """How the team answers after a handoff: "here" on WhatsApp, where their replies go; on a
        call "here" is the call, which ends, so the ways they will: a WhatsApp message (the
        console's replies) or a call back."""
        if self.voice:
            return "on WhatsApp or by phone"
        if re.search(r"\b(?:call|ring|phone|telephone)\s+(?:me|us)\b|\bcall\s+back\b", self.text):
            # "can someone from the clinic call me about max's x-ray results?": the call asked
            return "by phone"
        return "here"

    def read(self, text: str, *, default_part: str | None = None) -> When:
        """``read_when`` for this turn: now, and the business's holidays by name
        (``default_part``: a part of the day said elsewhere in the message)."""
        return read_when(
            text, now=self.local_now, holidays=self.holidays, default_part=default_part
        )
