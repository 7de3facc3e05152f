"""Days and times read against the conversation: what we asked, offered or turned down before."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, time, timedelta

from switchboard.agent_models import AgentDecision, Direction, Intent, PendingAction
from switchboard.availability import free_slots_on
from switchboard.providers.rules_agent.helpers import (
    as_utc,
    asks_move,
    customer_before_last,
    names_part_only,
    part_of_day,
    visit_word_of,
)
from switchboard.providers.rules_agent.lookup import Lookup
from switchboard.providers.rules_agent.patterns import (
    ANOTHER_VISIT_RE,
    BOOKING_KEPT_RE,
    CANCEL_RE,
    DAY_MENTION_RE,
    MISSED_RE,
    MOVE_RE,
    NOT_A_REQUEST_RE,
    OFFERED_INSTEAD_RE,
    OFFERED_RE,
    PART_STARTS,
    REBOOK_LATER_RE,
    REFUSED_SLOT_RE,
    SENTENCE_RE,
    WEEK_SAID_RE,
    WEEKDAY_AFTER_RE,
    WHAT_TIME_RE,
)
from switchboard.understanding import answers
from switchboard.understanding.subjects import is_name, without_pets_kept
from switchboard.understanding.text import normalise, respelt
from switchboard.understanding.when import (
    When,
    merge,
    read_when,
    without_our_hours,
    without_plans,
    without_their_own_hours,
    without_week_start,
)

_BARE_HOUR_RE = re.compile(
    r"(?<![\d:.])\b\d{1,2}(?:[:.]\d{2})?\b(?![:.]?\d)(?!\s*(?:(?:st|nd|rd|th)\b|days?|weeks?|months?"
    r"|minutes?|hours?|pets?|cats?|dogs?|of|/|%|euros?|€))"
)
# The day's opening time: "first thing Friday" ("first" is normalised to "1st"), "as early as
# possible", "as soon as you open".
_FIRST_THING_RE = re.compile(
    r"\b(?:1st|first)\s+thing\b|\bas\s+early\s+as\s+(?:possible|you\s+can)\b"
    r"|\b(?:as\s+soon\s+as|when|right\s+when)\s+(?:you|u)\s+(?:re-?)?open\b"
    r"|\bas\s+soon\s+as\s+(?:you're|you\s+are|ur)\s+(?:back\s+)?open\b"
    r"|\bas\s+early\s+as\s+(?:you|u)\s+(?:re-?)?open\b"
    # "earliest possible on friday", "the soonest you have thursday" (a day must be named; not
    # "my earliest appointment", a booking)
    r"|(?<!\bmy\s)(?<!\bour\s)\b(?:earliest|soonest)\s+(?:possible|available|you\s+(?:have|can"
    r"|'ve\s+got|got)|you've\s+got|slot|time|appointment|one)\b"
    # "the first slot on saturday" (normalised "1st slot"): that day's opening
    r"|(?<!\bmy\s)(?<!\bour\s)\b(?:1st|first)\s+(?:free\s+|available\s+)?(?:slot|opening|space)s?\b"
)
# How often, said with a recurring visit: "every 3 weeks", "every month" (not a day).
_HOW_OFTEN_RE = re.compile(
    r"\bevery\s+(?:\d+|other|couple\s+of|few)\s+(?:weeks?|months?)\b"
    r"|\bevery\s+(?:week|month|fortnight)\b"
)
# The vaccination of papers about it: "his vaccination records", "her vaccination card".
_VACCINATION_PAPERS_RE = re.compile(
    r"\b(?:vaccinations?|vaccine|jabs?)\s+(?=(?:records?|history|certificates?|card|booklet"
    r"|status|papers?|details)\b)"
)
# A vaccination followed by an aside, not by its papers: "her yearly vaccine (booklet says …)".
_ASIDE_AFTER_VACCINE_RE = re.compile(r"\b(?:vaccinations?|vaccines?|jabs?)\s*[(\[-]", re.IGNORECASE)
# A day named outright (normalised): a weekday, today or tomorrow, or a date's number.
_DAY_NAMED_RE = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow|tonight"
    r"|this\s+(?:morning|afternoon|evening)"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\s+\d{1,2}|\d{1,2}/\d{1,2})"
)
_CHAT_SENTENCE_RE = re.compile(
    # (an emoji's variation selector and joiner are part of it: "new year ⛷️ can …", set 166)
    r"(?<=[.!?;])\s+|\n+|\s+[\u2600-\u27bf\U0001f300-\U0001faff\ufe0f\u200d]+\s+(?=[a-z])"
)
# A sentence (normalised) that asks for something, besides one ending in "?": "could we do
# friday instead", "make it 11 please", "I'd like tuesday". Not news or reasons ("my daughter's
# party is on wednesday", "I've got the plumber coming at 10").
_ASKING_RE = re.compile(
    r"\b(?:can|could|would|may|shall)\s+(?:we|i|you|he|she|it|they|that|this)\b"
    r"|\b(?:please|pls|instead|make\s+it|how\s+about|what\s+about|any\s+chance)\b"
    r"|\b(?:i|we)(?:'d|\s+would)\s+(?:like|love|prefer)\b"
)
# A time said to suit, after the request: "Could someone see her today? This afternoon at 2
# would be perfect"
_WOULD_SUIT_RE = re.compile(
    r"\b(?:would|'d)\s+be\s+(?:perfect|ideal|great|best|lovely|brilliant|good|fine)\b"
    # "3 ideally", "ideally 3", "3 if possible", "preferably half 3"
    r"|\b(?:ideally|preferably|if\s+(?:possible|poss|you\s+can))\b"
)
# A time the customer's own day is bound by: "football's done by half 10", "I'm back by 5",
# "work finishes at 4" (normalised).
_THEIR_BOUND_RE = re.compile(
    # (of their day, not the visit's: "I need to be out by 11" bounds the visit)
    r"(?:'s|'re|'m|\s+is|\s+are|\s+am)\s+(?:done|finished|over|back|home|free|out)\s+(?:by|at|from)\s+"
    r"(?:half\s+|quarter\s+(?:past|to)\s+)?"
    r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?\b"
    r"|\b(?:finish|finishes|finishing)\s+(?:at|by)\s+\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?\b"
    # "my daughter has swimming till half 10"
    r"|\b(?:has|have|got)\s+[a-z]+\s+(?:till|until|til)\s+(?:half\s+|quarter\s+(?:past|to)\s+)?"
    r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?\b"
)
_A_TIME_SAID_RE = re.compile(
    r"\b(?:at|around|about|say|after|from)\s+(?:half\s+|quarter\s+(?:past|to)\s+)?\d|\d\s*(?:am|pm)\b"
    r"|\b\d{1,2}[:.]\d{2}\b"
)
# Our refusal of a time too short for its service: "… isn't possible: a dental cleaning takes
# 60 minutes and we close at 12:30."
_SERVICE_TAKES_RE = re.compile(r"isn't possible: an? (?P<service>[a-z][a-z -]*?) takes \d+ minutes")
# A sentence that is only a date, perhaps at the same time: "the 29th, same time." (normalised)
_ONLY_A_DAY_RE = re.compile(
    r"^\s*(?:(?:on|for|maybe|say)\s+)?(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?(?:\s+(?:of\s+)?(?:jan|feb"
    r"|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)?(?:\s+(?:at\s+)?(?:the\s+)?same\s+time)?"
    r"(?:\s+(?:please|pls|then|instead|if\s+possible))?\s*$"
)
# A request to go elsewhere: "… go to after christmas instead?", "could it move".
_ELSEWHERE_RE = re.compile(r"\b(?:instead|move|moved|go\s+to|push|swap|change|changed)\b")
# A sentence that is only a time: "could she come saturday morning instead? 10ish" (normalised)
_ONLY_A_TIME_RE = re.compile(
    # ("… move to saturday morning? half 9?", set 145)
    r"^\s*(?:(?:at|around|about|say|like|maybe)\s+)?(?:(?:half|quarter)\s+(?:past\s+|to\s+)?)?"
    r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?(?:\s*-?ish)?"
    # ("… to friday afternoon? 2.30 ideally", set 195)
    r"(?:\s+(?:please|pls|or\s+so|then|ideally|preferably|if\s+possible|if\s+you\s+can"
    r"|would\s+be\s+(?:best|ideal|great|perfect)|is\s+best))?"
    # ... with its reason after it: "maybe 11 so he's after sage" (set 201)
    r"(?:\s+(?:so|as|because|since)\s+(?:he|she|they|it|i|we)\b.*)?\s*$"
)


# A visit like the pet's last one: "the same thing as last time", "same as before", "like last
# time" (its service and, with "same time", its time).
_AS_LAST_TIME_RE = re.compile(
    r"\b(?:as|like)\s+(?:last\s+time|before|usual|the\s+last\s+(?:time|visit|one))\b"
    r"|\bsame\s+(?:thing|again)\b"
)
# A visit after one the pet has had: "bring oscar back in a week", "she needs to come back".
_BACK_AGAIN_RE = re.compile(
    r"\b(?:come|coming|comes|bring|bringing|brought|be)\s+(?:[a-z]+\s+)?back\b"
    r"|\bsame\s+times?\s+as\s+(?:this|that|last|yesterday|today|before|earlier)\b"
)


# An upper bound offered as a fallback: "anything before 12 works", "any time till 4 is fine too"
_FALLBACK_BOUND_RE = re.compile(
    r"\b(?:but\s+|or\s+)?(?:anything|any\s*time|whenever|any\s+slot)\s+(?:before|until|till"
    r"|up\s+to)\s+\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?\s+(?:works|is\s+fine|is\s+ok|would\s+do"
    r"|will\s+do|is\s+good)(?:\s+too|\s+as\s+well)?\b"
)


# A day something lasts until: "she's on antibiotics till friday", "away until monday".
_UNTIL_DAY_RE = re.compile(
    r"\b(?:till|until|untill|til|up\s+to)\s+(?:(?:this|next|the)\s+)?"
    r"(?:today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed"
    r"|weds|thu|thurs?|fri|sat|sun)\b"
)


class Reading(Lookup):
    """Days and times read against the conversation: what we asked, offered or turned down
    before."""

    def when_after_first_day(self, text: str | None = None) -> When:
        """What the message (or ``text``, normalised) says after the first day it names, and
        the part of the day said with it ("wednesday morning, could he come thursday
        afternoon, 3ish?"); empty when it names one. Of a message of several sentences, the
        one sentence that asks for a move and names two days is read ("… the car is in the
        garage till Wednesday. Long story short, could you move Oscar from thursday to friday
        at 11?"): the other sentences' days are the customer's week."""
        if text is None and self.one_sentence:
            # the one sentence that asks, read already (``asked_in_one_sentence``): "… better
            # today … Could we do Friday at midday instead?" asks nothing after Friday (set 158)
            text = self.when_text
        elif text is None:
            text = self.text
            sentences = [self.prepared(s) for s in SENTENCE_RE.split(self.context.message)]
            moving = [
                i
                for i, said in enumerate(sentences)
                if asks_move(said) and len(DAY_MENTION_RE.findall(said)) >= 2
            ]
            if len(moving) == 1:
                text = sentences[moving[0]]
                # "… could she come saturday morning instead? 10ish": the time said after it
                for said in sentences[moving[0] + 1 :]:
                    if not _ONLY_A_TIME_RE.match(said):
                        break
                    text = f"{text} {said}"
        found = DAY_MENTION_RE.search(text)
        if found is None:
            return When()
        rest = re.sub(r"^\s*(?:morning|afternoon|evening|night)\b", " ", text[found.end() :])
        # "can we do thursday instead of tuesday": the day after is the one turned down
        rest = re.sub(r"^\s*(?:instead\s+of|rather\s+than|not)\s+(?:on\s+)?[a-z]+\b", " ", rest)
        # "… the same time next week instead? she's on antibiotics till friday": a day things
        # last until is no day asked for (set 139)
        rest = _UNTIL_DAY_RE.sub(" ", rest)
        # "both booked wednesday at 10, could they come thursday at 2": the first day's own time
        # is the booking's, when the rest says another day
        own_time = re.match(r"\s*(?:at\s+)?\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?\b", rest)
        if own_time is not None and DAY_MENTION_RE.search(rest[own_time.end() :]):
            rest = rest[own_time.end() :]
        return self.read(rest)

    def pets_kept_as_written(self, message: str) -> str:
        """``normalise(message)`` with a booked pet's name that spelling put right as a day
        given back ("could frida come on the tuesday with pablo": Frida, not Friday; set 148),
        unless the message also writes that day itself."""
        text = normalise(message)
        raw = message.lower()
        for booking in self.context.bookings:
            name = booking.subject.lower()
            if not name.isalpha() or not re.search(rf"\b{re.escape(name)}\b", raw):
                continue
            as_fixed = respelt(name)
            if as_fixed != name and not re.search(rf"\b{re.escape(as_fixed)}\b", raw):
                text = re.sub(rf"\b{re.escape(as_fixed)}\b", name, text)
        return text

    def prepared(self, message: str) -> str:
        """``message`` (or a sentence of it) normalised as the day and time are read from it."""
        # "please keep his grooming on saturday", "his check up this thursday and mabel's groom
        # stay as they are": a booking said to stay, its day no request (before a kept pet's
        # clause is cut, which would leave half of it)
        message = BOOKING_KEPT_RE.sub(" ", message)
        if self.kept:
            message, _ = without_pets_kept(message, self.kept, whole=False, known=True)
        # "I'll be in touch to rebook later" puts a booking off: no move, nor a "later" time;
        # "every 3 weeks" says how often, not when (one booking at a time: ``_RECURRING_RE``)
        text = REBOOK_LATER_RE.sub(" ", self.pets_kept_as_written(message)).strip()
        text = BOOKING_KEPT_RE.sub(" ", text).strip()
        text = _HOW_OFTEN_RE.sub(" ", text).strip()
        # "next week (w/c 14th)": the week said by its first day, no day asked (set 155)
        text = without_week_start(text)
        # "we missed teddy's appointment this morning … later today? after 5": the visit
        # missed, and its day, are not the one asked for (its service word is kept: "jabs")
        text = MISSED_RE.sub(visit_word_of, text).strip()
        # "his vaccination records" are papers, not a vaccination asked for
        # (not across an aside: "due for her yearly vaccine (booklet says 12/12)", set 132)
        if not _ASIDE_AFTER_VACCINE_RE.search(self.context.message):
            text = _VACCINATION_PAPERS_RE.sub("", text)
        text = without_our_hours(text)  # "oh right, you shut at 1. 12 then?"
        text = without_their_own_hours(text)  # "he normally has breakfast at 9"
        # "saturday at 11 then, football's done by half 10": the customer's own bound, not
        # the time asked, when a time is asked beside it
        bounded = _THEIR_BOUND_RE.sub(" ", text)
        if bounded != text and _A_TIME_SAID_RE.search(bounded):
            text = bounded
        # "10 would be perfect but anything before 12 works": the bound of a fallback, no time
        # asked for, beside the time that is
        fallback = _FALLBACK_BOUND_RE.sub(" ", text)
        # (another time of the visit's, not of their plans: "anytime before 10 works, I have
        # to be at work by 10:30" keeps its bound)
        if fallback != text and read_when(without_plans(fallback), now=self.local_now).clock:
            text = fallback
        if self.pet_day is not None:
            # "book Friday in for thursday": Friday is the pet; only thursday is a day (and
            # "can May have her jab": May is no month)
            text = re.sub(rf"\b{self.pet_day.lower()}\b", " ", text, count=1)
        return text

    def asked_beside_absence(self) -> bool:
        """Whether a sentence of its own asks for a day and time while another says when the
        customer is away or busy ("would Friday around 10.30am be possible? I can't do Thursday
        because of work."): the absence is a reason, the question the request."""
        for sentence in SENTENCE_RE.split(self.context.message):
            text = self.prepared(sentence)
            if not text or NOT_A_REQUEST_RE.search(text):
                continue
            if not (sentence.rstrip().endswith("?") or _ASKING_RE.search(text)):
                continue
            said = self.read(text)
            if said.day is not None and said.clock is not None:
                return True
        return False

    def asked_in_one_sentence(self, whole: When) -> tuple[str, When] | None:
        """(its words, what it says) for the one sentence of several that asks for a day or a
        time, when it says another than the message read at once (``whole``): in "… so
        Wednesday morning is out for Biscuit's appointment. Could we possibly do Friday instead,
        at the same time?" the other sentences' days (Wednesday, "off skiing next week") are
        news and reasons, and in "can we make it 11? I've got the plumber coming at 10" the 10
        is the plumber's. The day, time or part of the day it leaves unsaid is the whole's.
        None for one sentence, when none or several ask with a day or time, or they agree."""
        # (an emoji between words ends a sentence in chat: "3 jobs today 😅 first up bramble
        # needs his booster, is tuesday 10.15 ok?")
        sentences = [s for s in _CHAT_SENTENCE_RE.split(self.context.message) if s.strip()]
        if len(sentences) < 2:
            return None
        asking: list[tuple[str, When]] = []
        questions: list[tuple[str, When]] = []
        asks = [
            s.rstrip().endswith("?") or bool(_ASKING_RE.search(self.prepared(s))) for s in sentences
        ]
        # (a cancellation asks too, when no other sentence asks for a day, a time or a week:
        # "… the vet there said they'd send you the notes? … he doesn't need the appointment on
        # thursday anymore"; not beside "can we rebook for next week?")
        other_when = any(
            asked and (self.read(t := self.prepared(s)).anything or WEEK_SAID_RE.search(t))
            for s, asked in zip(sentences, asks, strict=True)
        )
        for sentence, asks_something in zip(sentences, asks, strict=True):
            text = self.prepared(sentence)
            if not (asks_something or (not other_when and CANCEL_RE.search(text))):
                continue
            said = self.read(text)
            if said.day is None and said.part is None and whole.part is not None:
                # "Tuesday evening. Can he come at 8?": the day and its part said before are
                # the 8's (but in "Is Friday at 3 free? Otherwise Saturday morning." the
                # morning is Saturday's)
                said = self.read(text, default_part=whole.part)
            # ("… so I won't make it for 2 after all. same time next week instead?", set 201:
            # a week on asks too)
            if said.day or said.clock or said.past_day or said.weekday_clash or said.shift:
                asking.append((text, said))
                if sentence.rstrip().endswith("?"):
                    questions.append((text, said))
        if len(asking) > 1 and len(questions) == 1 and questions[0] == asking[-1]:
            # "… Figaro's limp is a bit better today … but I'd still like him looked at. Could
            # we do Friday at midday instead, in my lunch break?": the one question, last, asks
            # (set 158; not "mornings only on saturdays? ok what about friday after 5 then")
            asking = questions
        if (
            len(asking) == 2
            and asking[0][1].clock is None
            and asking[1][1].day is None
            and asking[1][1].clock is not None
            and _ONLY_A_TIME_RE.match(asking[1][0])
        ):
            # "… see him this afternoon before we go? 4pm?" (set 166): the time of the day
            # asked just before
            (words, first), (hour, second) = asking
            asking = [(f"{words} {hour}", replace(second, day=first.day, part=first.part))]
        if len(asking) == 1 and asking[0][1].clock is None:
            # "Could someone see her today? This afternoon at 2 would be perfect": one request,
            # its day, then its time said to suit
            where = next(
                (i for i, s in enumerate(sentences) if self.prepared(s) == asking[0][0]), None
            )
            later = sentences[where + 1 :] if where is not None else []
            for sentence in later:
                text = self.prepared(sentence)
                suits = self.read(text)
                bare = re.match(
                    r"\s*(?:ideally\s+|preferably\s+|maybe\s+|perhaps\s+|say\s+)?(?P<hour>\d.*)",
                    text,
                )
                if suits.clock is None and bare is not None:
                    suits = self.read(f"at {bare['hour']}")  # "3 ideally": a bare hour to suit
                if (
                    _ONLY_A_DAY_RE.match(text)
                    and suits.day is not None
                    and suits.clock is None
                    and _ELSEWHERE_RE.search(asking[0][0])
                ):
                    # "can noisette's groom on christmas eve go to after christmas instead? the
                    # 29th, same time." (set 166): the day it goes to, said after
                    asking = [(f"{asking[0][0]} {text}", suits)]
                    break
                if (
                    (_WOULD_SUIT_RE.search(text) or _ONLY_A_TIME_RE.match(text))
                    and suits.clock is not None
                    and suits.day in (None, asking[0][1].day)
                ):
                    # (the request's words kept with it: they name its day)
                    asking = [(f"{asking[0][0]} {text}", replace(suits, day=asking[0][1].day))]
                    break
                booked_days = {self.local(b.slot_start).date() for b in self.upcoming}
                if (
                    _WOULD_SUIT_RE.search(text)
                    and suits.day is not None
                    and suits.clock is not None
                    and asks_move(asking[0][0])
                    # (the day in the request is the booking's, not one asked: "could truffe's
                    # … be moved to saturday morning? 10am would be ideal, … working friday")
                    and asking[0][1].day in booked_days
                ):
                    # "honey's appt on thurs - could we push it into jan? monday 4th at 5pm
                    # would be ideal" (set 221): the move's new day and time, said to suit
                    asking = [(text, suits)]
                    break
        if len(asking) != 1:
            return None
        text, said = asking[0]
        if (
            said.day in (None, whole.day)
            and said.clock in (None, whole.clock)
            # ("I'm working wednesday afternoon now … could it be wednesday morning instead?":
            # the part of the day asked is the sentence's)
            and (said.part in (None, whole.part) or whole.clock is not None)
        ):
            return None
        if (
            said.day is not None
            and whole.day is not None
            and said.day != whole.day
            and said.day.isocalendar()[:2] == whole.day.isocalendar()[:2]
            and not _DAY_NAMED_RE.search(text)
        ):
            # "can Bear come back in two weeks …? the wednesday, late afternoon if poss": the
            # other sentence narrows the week asked for to its day, as the whole message says
            return None
        day_said = said.day or said.past_day or said.weekday_clash
        clock = said.clock or whole.clock
        if said.clock is None and CANCEL_RE.search(text):
            # "… we ended up at the emergency vet at 2am … he doesn't need the appointment on
            # thursday anymore": a cancellation takes no hour from the story around it
            clock = None
        if said.clock is None and said.part is not None:
            # "I have Pepper booked on Thursday at 4 … could it be Friday, ideally in the
            # morning?": the other sentence's hour is not the time of the part asked for
            clock = None
        return text, replace(said, day=said.day or (None if day_said else whole.day), clock=clock)

    def time_we_asked_day_of(self) -> time | None:
        """The time of our last message "Which day would you like at 11:30 for Mabel?" when
        this one answers it with a day ("thursday"); None otherwise."""
        history = self.context.history
        if self.when.day is None or not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        asked = re.search(r"\bWhich day would you like at (\d{2}):(\d{2})\b", history[-1].text)
        return time(int(asked[1]), int(asked[2])) if asked else None

    def hour_answering_us(self) -> time | None:
        """A bare hour ("11 works", "2.30 is good") answering our own last question "What time
        on Tuesday 8 December would you like? I have …", or our "I can offer … Which would suit
        you?" ("hmm that doesn't work, anything earlier? 11 maybe"), read as a time of that day;
        None otherwise."""
        ours = [t for t in self.context.history if t.direction is Direction.OUTBOUND]
        if not ours or not (
            WHAT_TIME_RE.search(ours[-1].text) or OFFERED_INSTEAD_RE.search(ours[-1].text)
        ):
            return None
        if self.context.history[-1].direction is not Direction.OUTBOUND:
            return None
        bare = _BARE_HOUR_RE.search(self.text)
        return self.read(f"at {bare.group(0)}").clock if bare else None

    def day_stepped_from_refused(self) -> date | None:
        """Whole days counted from the day our last message turned down ("Sorry, Friday 1
        January 2027 at 10:00 isn't possible: we're closed on New Year's Day …" / "the day
        before then? same time"): that day moved by them. None otherwise."""
        when = self.when
        if when.day is not None or when.shift is None or when.shift.seconds:
            return None
        day = self.day_refused()
        return day + timedelta(days=when.shift.days) if day is not None else None

    def weekday_after_refused(self) -> date | None:
        """ "what about the saturday after, at 9?" to our "Sorry, Saturday 12 December at 12:30
        isn't possible: …": that weekday after the day turned down (set 145). None when the
        message says no "the <weekday> after", or it is already later than that day."""
        when = self.when
        if when.day is None or not WEEKDAY_AFTER_RE.search(self.text):
            return None
        if re.search(r"\b\d{1,2}(?:st|nd|rd|th)\b|\d/\d", self.text):
            return None  # "the saturday after then, the 2nd": the date said is the day
        day = self.day_refused()
        if day is None or when.day > day:
            return None
        return day + timedelta(days=(when.day.weekday() - day.weekday() - 1) % 7 + 1)

    def day_refused(self) -> date | None:
        """The day our last message turned down: "Sorry, Friday 1 January 2027 at 10:00 isn't
        possible: …", or "Sorry, we're closed on Christmas Day. I can offer …" (the day of the
        customer's message it answered); None when it turned none down."""
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        ours = history[-1].text.strip()
        refused = REFUSED_SLOT_RE.match(ours)
        if refused is not None:
            return self.read(normalise(refused.group(0))).day
        at = customer_before_last(history)
        if not ours.startswith("Sorry, we're closed on") or at is None:
            return None
        return self.read(normalise(history[at].text)).day

    def same_time_refused(self) -> time | None:
        """The time of our "Sorry, Sunday 13 December at 10:00 isn't possible: …" when the
        customer answers it with another day at "the same time" ("ok monday then, same time");
        None otherwise."""
        history = self.context.history
        when = self.when
        # "saturday then" (a day alone) answering it: the time asked for, on that day
        day_alone = when.day is not None and when.part is None and len(self.text.split()) <= 5
        if (
            not (when.same_time or day_alone)
            or not history
            or history[-1].direction is not Direction.OUTBOUND
        ):
            return None
        refused = REFUSED_SLOT_RE.match(history[-1].text.strip())
        if refused is None:
            return None
        if not when.same_time and self.read(normalise(refused.group(0))).day == when.day:
            return None  # "friday please" to Friday at 04:00 turned down: that day's times
        return time(int(refused["hour"]), int(refused["minute"]))

    def time_of_last_visit(self) -> time | None:
        """ "same time is fine" answering our "What time on Monday 21 December would you like for
        Luna?", or "same time" said of another visit for a pet named, or of a visit missed ("we
        missed bella and coco's jabs on saturday … this saturday instead? same time"): the time
        of the pet's visit today or before (else of its next one). None when neither, or the pet
        has no booking."""
        history = self.context.history
        ours = history[-1].text if history and history[-1].direction is Direction.OUTBOUND else ""
        if re.search(r"\bcancel", ours, re.IGNORECASE):
            # "Done: … Honey's consultation on Tuesday 8 December at 15:00 is cancelled." /
            # "could you rebook her for thursday same time?": the time of the one cancelled
            gone = [
                b
                for b in self.context.bookings
                if b.status == "cancelled" and self.say(b.slot_start) in ours
            ]
            if len(gone) == 1:
                return self.local(gone[0].slot_start).time()
            said = [m for m in OFFERED_RE.finditer(ours) if m["day"]]
            if len(said) == 1:  # (the record not in view: the time our message said)
                return self.read(normalise(said[0].group(0))).clock
        named = {s.lower() for s in self.subjects if is_name(s)}
        offer = self.earlier_offer() if self.pending is None else None
        if (
            offer is not None
            and offer[0].day != self.when.day
            and (not named or named <= {p.lower() for p in offer[1].split(" and ")})
        ):
            # "thursday's no good after all 🙈 could Kiwi do friday, same time?" after our
            # read-back of Thursday at 09:00 yesterday: that time
            return offer[0].clock
        if self.day_we_asked_time_of() is None:
            # "bella's got her groom on wednesday, can she have another one same day next week?
            # same time as well": the time of the booking of the pet named
            again = (
                ANOTHER_VISIT_RE.search(self.text)
                or MISSED_RE.search(normalise(self.context.message))
                or _BACK_AGAIN_RE.search(self.text)
                or _AS_LAST_TIME_RE.search(self.text)
            )
            if not named or self.pending is not None or not again:
                return None
        elif not named:
            named = {(self.subject_we_named() or "").lower()}
        theirs = [
            b
            for b in self.context.bookings
            if b.status == "confirmed" and b.subject.lower() in named
        ]
        had = [b for b in theirs if as_utc(b.slot_start) <= self.now]
        visit = (
            max(had, key=lambda b: as_utc(b.slot_start))
            if had
            else min(theirs, key=lambda b: as_utc(b.slot_start), default=None)
        )
        return self.local(visit.slot_start).time() if visit is not None else None

    def day_offering(self, clock: time) -> date | None:
        """The one day our last message offered times on, when ``clock`` is one of them ("On
        Saturday 12 December I have 09:15, 10:00 or 12:15 for Chester's vaccination." / "the
        quarter past twelve one"); None otherwise."""
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        ours = history[-1].text
        clocks = re.findall(r"\b\d{2}:\d{2}\b", ours)
        if len(clocks) < 2 or f"{clock:%H:%M}" not in clocks:
            return None
        days = {self.read(normalise(o["day"])).day for o in OFFERED_RE.finditer(ours) if o["day"]}
        # ("The appointment for Peanut is on Tuesday 15 December at 11:00. What time on Monday
        # 14 December would you like it moved to? I have …": the day of our question)
        day = self.day_we_asked_time_of() or self.read(normalise(ours)).day
        return day if day is not None and days <= {day} else None

    def time_offered_on(self, day: date) -> time | None:
        """The one time our last message offered on ``day`` ("I can do Thursday 17 December at
        17:15 or Friday 18 December at 09:00", "I can move … to Thursday 17 December at
        16:00"); None when it offered none or several that day, or asked what time."""
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        ours = history[-1].text
        if WHAT_TIME_RE.search(ours):
            return None
        # (an offer, not the bookings a question of ours lists: "Which appointment should I
        # move: Max on Thursday 10 December at 15:00 or …?")
        if not re.search(r"\bI can (?:offer|do|book|move)\b|\bReply YES\b", ours):
            return None
        if re.search(r"\bWhich (?:appointment|one|of)\b", ours):
            return None
        clocks = {
            said.clock
            for found in OFFERED_RE.finditer(ours)
            if found["day"]
            # (not where a move starts: "I can move … from Wednesday 16 December at 14:00 to …")
            and not ours[: found.start()].rstrip().lower().endswith("from")
            and (said := self.read(normalise(f"{found['day']} at {found['clock']}"))).day == day
        }
        clocks.discard(None)
        return clocks.pop() if len(clocks) == 1 else None

    def day_we_asked_time_of(self) -> date | None:
        """The day of our own last message "What time on Wednesday 9 December would you
        like…?" when it is the last turn; None otherwise."""
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        asked = WHAT_TIME_RE.search(history[-1].text)
        return self.read(normalise(asked.group(0))).day if asked else None

    def first_thing(self) -> time | None:
        """The day's opening time for "first thing Friday" / "first thing in the morning
        tomorrow" (normalised "1st thing"), or answering our "What time on Friday…?" ("first
        thing is best for us"), from the profile's hours; None when the message does not say
        so, names no day, or the business is closed that day."""
        if not _FIRST_THING_RE.search(self.text):
            return None
        day = self.when.day or self.day_we_asked_time_of() or self.day_we_answered()
        if day is None:
            return None
        if self.when.part in ("afternoon", "evening"):
            # "the earliest you can do friday afternoon": the first free time of that part
            free = free_slots_on(
                self.profile, self.context.busy, day, self.service(None), now=self.now
            )
            starts = PART_STARTS[self.when.part]
            first = next((s for s in free if self.local(s).time() >= starts), None)
            return self.local(first).time() if first is not None else None
        spans = self.profile.intervals_on(day)
        if spans and spans[0][0] <= self.local_now + timedelta(
            minutes=self.profile.min_notice_minutes
        ):
            # "as early as possible today" once we have opened: the first time still free today
            free = free_slots_on(
                self.profile, self.context.busy, day, self.service(None), now=self.now
            )
            return self.local(free[0]).time() if free else None
        return spans[0][0].time() if spans else None

    def day_we_answered(self) -> date | None:
        """The one day our last message named, when it answered a question ("On Saturday 12
        December we open at 09:00 …" / "can Biscuit come in as soon as you open?"); None
        otherwise."""
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        ours = history[-1].text
        if "?" in ours:
            return None
        days = {
            self.read(normalise(found.group(0))).day
            for found in re.finditer(
                r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} "
                r"[A-Z][a-z]+(?: \d{4})?",
                ours,
            )
        }
        return days.pop() if len(days) == 1 else None

    def correct(self, pending: PendingAction) -> AgentDecision:
        """A new day or time while a proposal is pending ("no make it 5pm instead")."""
        assert pending.slot_start is not None
        local = self.local(pending.slot_start)
        if self.when.clock == local.time():
            # "is 3 any better? the traffic at 4 is awful": the proposed time is the reason,
            # the other time said the one asked
            for sentence in SENTENCE_RE.split(self.context.message):
                other = self.read(normalise(sentence))
                # (an ask: not "Max stays on Friday at 9" beside it)
                asked = "?" in sentence or re.search(
                    r"\b(?:instead|rather|better|actually|how\s+about|what\s+about)\b",
                    sentence,
                    re.IGNORECASE,
                )
                if asked and other.clock not in (None, local.time()):
                    self.when = replace(self.when, clock=other.clock)
                    break
        # "can we make it an hour later?": the proposed time, moved by that much.
        wanted = self.when.shifted(local)
        asked_day = self.day_we_asked_time_of()
        if wanted.day is None and asked_day is not None:
            # "10" answering our "What time on Saturday 12 December…?" (asked since the
            # proposal, "could it be saturday morning instead"): that day, not the proposal's
            wanted = replace(wanted, day=asked_day)
        if wanted.day == local.date():
            # "my husband has the car on wednesday, can we do thursday instead": the proposed
            # day is named as the reason; the day asked for comes after it.
            later = self.when_after_first_day()
            if later.day is not None and later.day != local.date():
                wanted = later
        merged = merge(wanted, When(day=local.date(), clock=local.time()))
        if self.when.clash is not None:
            merged = replace(merged, clock=None)  # "make it 13 in the morning": asked, not kept
        if names_part_only(wanted) and part_of_day(local.hour) != wanted.part:
            # "could it be the morning instead?": the proposed time is not carried into another
            # part of the day; that part's free times are offered
            merged = replace(merged, clock=None)
        if pending.kind == "cancel":
            return self.book(self.when)
        moving = None
        if pending.kind == "reschedule" and pending.booking_id:
            moving = self.upcoming_by_id(pending.booking_id)
            if moving is not None and pending.service and pending.service != moving.service:
                # the proposal changed the service too ("make it a dental … earlier"): kept
                self.changed_service = (moving.id, self.keyed_service(pending.service))
        if moving is None and pending.kind == "book" and MOVE_RE.search(self.text):
            # "oh wait she's already booked in wednesday isn't she … can you move wednesday's
            # to thursday at 3 instead" (set 165): her booking of the day named moves there, no
            # second visit
            theirs = [
                b
                for b in self.upcoming
                if b.subject.lower() == (pending.subject or "").lower()
                and re.search(rf"\b{self.local(b.slot_start):%A}".lower(), self.text)
            ]
            moving = theirs[0] if len(theirs) == 1 else None
        subject = pending.subject
        named_pets = [s for s in self.subjects if is_name(s)]
        if moving is None and not is_name(subject or "") and len(named_pets) == 1:
            # "4.15 pls, its for hazelnut, check up 🐶" to our read-back for nobody named (set
            # 233): the pet now named
            subject = named_pets[0]
        elif moving is None and self.renames_pending():
            # "oh wait sorry, it's pebble who needs it, not bertie! same time": Pebble's
            subject = next(s for s in self.subjects if is_name(s))
        # "just the nail trim btw, she doesn't need another check-up": the service said instead
        ruled_out = " ".join(
            m.group(0)
            for m in re.finditer(
                r"\b(?:not|no|doesn't\s+need|does\s+not\s+need|don't\s+need|do\s+not\s+need)\s+"
                r"(?:a\s+|an\s+|the\s+|another\s+|her\s+|his\s+)?[\w-]+(?:\s+[\w-]+)?",
                self.text,
            )
        )
        out = {found.key for found in answers.services_named(ruled_out, self.profile)}
        named = [f for f in answers.services_named(self.text, self.profile) if f.key not in out]
        service_key = named[0].key if len(named) == 1 and moving is None else pending.service
        ours = [t.text for t in self.context.history if t.direction is Direction.OUTBOUND]
        took = _SERVICE_TAKES_RE.search(ours[-1]) if ours and not named else None
        if took is not None and moving is None:
            # "could she do 11 then?" answering our "… isn't possible: a dental cleaning takes
            # 60 minutes …" after the service was changed (set 161): that service
            changed = self.profile.find_service(took["service"])
            service_key = changed.key if changed is not None else service_key
        if (
            moving is not None
            and self.when.clock is None
            and self.when.day is not None
            and re.search(r"\b(?:later|earlier)\b", self.text)
        ):
            # "friday's bad too. can it just be later on thursday instead?" (set 192): that
            # day's times asked, never the time the proposal had
            return self.ask_move_time(moving, When(day=self.when.day))
        decided = (
            self.book(merged, moving=moving)
            if moving is not None
            else self.book(
                merged,
                subject=subject,
                service_key=service_key,
                exact=service_key != pending.service,
            )
        )
        refused = decided.intent is Intent.CLARIFY and REFUSED_SLOT_RE.match(decided.reply)
        if (self.when.clash is not None or refused) and decided.intent is Intent.CLARIFY:
            # "no, make it 13 in the morning", or a time we cannot take ("hang on, 2.15 not
            # 9.15"): turned down, so a yes to our question about the time cannot confirm the
            # slot turned down
            done = "moved it" if pending.kind == "reschedule" else "booked it"
            said = self.say(pending.slot_start)
            # (the same slot refused for another service says it once: "Sorry, … 12:00 isn't
            # possible", not first that 12:00 was not booked)
            lead = "" if said in decided.reply else f"OK, I haven't {done} for {said}. "
            return AgentDecision(
                intent=Intent.DECLINE, action_id=pending.id, reply=f"{lead}{decided.reply}"
            )
        return decided
