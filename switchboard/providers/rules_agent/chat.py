"""Talk around a visit: late, early, unwell, someone else bringing the pet, which pet is meant."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from switchboard.agent_models import MAX_CHANGES, AgentDecision, BookingView, Direction, Intent
from switchboard.business import Service
from switchboard.providers.rules_agent.helpers import (
    Plan,
    and_listed,
    as_utc,
    asks_move,
    for_,
    reply_as,
)
from switchboard.providers.rules_agent.patterns import (
    ASKED_WHEN_RE,
    BOOKING_WORD_RE,
    CANCEL_RE,
    CONTEXT_TURNS,
    FREE_TIMES_ASKED_RE,
    IN_A_ROW_RE,
    LATEST_RE,
    MISSED_RE,
    NOT_A_REQUEST_RE,
    ON_THE_WAY_RE,
    PET_KINDS,
    PET_NAME_ASKED,
    REFUSED_SLOT_RE,
    REQUEST_RE,
    STAFF_WORKING_RE,
    SYMPTOM_RE,
    THANKS_RE,
    WEEK_SAID_RE,
    WHENEVER_RE,
)
from switchboard.providers.rules_agent.reading import Reading
from switchboard.providers.rules_agent.saying import without_past_service
from switchboard.understanding import answers
from switchboard.understanding.subjects import ANIMALS, is_name, join, name_answer
from switchboard.understanding.text import normalise
from switchboard.understanding.when import When, merge
from switchboard.voice.names import asks_name

# A weekly series of a known length: "every tuesday at 10am for the next 3 weeks", "each week for
# 3 weeks", "weekly for the next 4 weeks", "the next 3 fridays" (normalised: number words are
# digits). ``each_week`` proposes every one of them together.
_WEEKDAYS_PLURAL = r"(?:mon|tues|wednes|thurs|fri|satur|sun)days"
_WEEKLY_RE = re.compile(
    r"\b(?:(?:every|each)\s+(?:week|monday|tuesday|wednesday|thursday|friday|saturday|mon|tue"
    r"|tues|wed|weds|thu|thur|thurs|fri|sat)|weekly)\b.{0,60}?"
    r"\bfor\s+(?:the\s+)?(?:next\s+|following\s+|coming\s+)?(?P<n>\d{1,2})\s+weeks?\b"
    rf"|\b(?:the\s+)?(?:next|following|coming)\s+(?P<n2>\d{{1,2}})\s+{_WEEKDAYS_PLURAL}\b"
)
_BOOK_AGAIN_RE = re.compile(
    r"\b(?:re-?book|re-?schedule|rearrange|another\s+(?:one|1|appointment|slot|time)|new\s+"
    r"(?:one|1|appointment|slot|time)|book\s+(?:again|in\s+again|another))\b"
)
# Our question for a time on a day we named (``ask_time``), and a bare hour that answers it.
# Our check of a far day of the month on a call (``book``), answered yes or no.
_DAY_CHECK_RE = re.compile(
    r"^Just to check: did you mean (?P<day>\w+ \d{1,2} \w+)\? Which day would you like\?"
)
# Our "Which of your pets is that for: Max or Bella, or another one?", and the answer that
# takes every pet it lists.
_WHICH_PET_LISTED_RE = re.compile(
    r"^Which of your pets is that for: (?P<pets>.+), or another one\?"
)
_BOTH_RE = re.compile(
    r"^(?:(?:oh|ok|okay|um|erm)\s+)?(?:both|both\s+of\s+them|all\s+of\s+them|all|all\s+3|the\s+2"
    r"\s+of\s+them|(?:them\s+)?both\s+please|both\s+please)(?:\s+(?:please|pls|thanks))?\s*$"
)
# Which pet a booking is for, asked in other words than ours.
_WHO_FOR_ASKED_RE = re.compile(
    # ("Which pet is the vaccination for?", the team's words, set 228)
    r"\b(?:(?:which|what)\s+pet\s+is\s+(?:it|this|that|the\s+[a-z -]+?)\s+for|who\s+is\s+(?:it|this"
    r"|that|the\s+appointment)\s+for|what(?:'s|\s+is)\s+(?:your|the)\s+(?:pet's|dog's|cat's)\s+name)"
    # (with the pets listed: "Which pet is it for: Olive or Mabel?", set 189)
    r"(?::[^?]*)?\?\s*$",
    re.IGNORECASE,
)
# "Another one" answering which pet: "a different one - Rocky", "neither, it's my mum's dog".
_ANOTHER_PET_RE = re.compile(
    r"^\s*(?:(?:no|nope|neither|none\s+of\s+(?:them|those)|not\s+them)\b[\s,.-]*)?"
    r"(?:(?:it's\s+|its\s+)?(?:an|a)\s+(?:other|different|new)\s+one|another(?:\s+one)?)?\b"
    r"[\s,.:-]*(?:(?:it's|its|it\s+is|called|named|she's|he's)\s+)?",
    re.IGNORECASE,
)
# Someone else's animal, or another of one's own: "my mum's dog", "my sisters cat", "my other
# dog".
_SOMEONE_ELSES_ANIMAL_RE = re.compile(
    r"\b(?:my|our)\s+(?:(?P<owner>mum|mom|mother|dad|father|sister|brother|son|daughter|friend"
    r"|neighbour|neighbor|partner|husband|wife|gran|grandma|nan|aunt|uncle|cousin)(?:'s|s)\s+"
    r"|other\s+)?(?P<animal>" + PET_KINDS + r")\b"
)
# What to bring, asked: "what should i bring to her first visit?", "what do we need to bring".
_WHAT_TO_BRING_RE = re.compile(
    r"\bwhat\s+(?:should|do|shall|must|would|will)\s+(?:i|we)\s+(?:need\s+to\s+)?bring\b"
    r"|\banything\s+(?:i|we)\s+(?:should|need\s+to)\s+bring\b"
)
# One pet given another's booked slot: "could bella just take his slot", "can max have
# luna's appointment instead".
# A message that is only a day or a time ("10am", "tomorrow?", "thursday then", "at 3 pls"):
# a visit then, the rest asked
_WHEN_WORD = (
    r"(?:today|tomorrow|tonight|monday|tuesday|wednesday|thursday|friday|saturday|mon|tue|tues"
    r"|wed|weds|thu|thur|thurs|fri|sat|noon|midday|morning|afternoon|evening|\d{1,2}(?:[:.]\d{2})?"
    r"\s*(?:am|pm)?|half\s+\d{1,2}|quarter\s+(?:past|to)\s+\d{1,2}|\d{1,2}(?:st|nd|rd|th))"
)
_WHEN_ONLY_RE = re.compile(
    r"^(?:(?:hi|hello|hey|ok|okay|so|maybe|um|erm|how\s+about|what\s+about|or|then|please|pls|at"
    r"|on|this|next|the|in\s+the|around|about|for|is|do\s+you\s+have\s+anything\s+at)\s+)*"
    rf"{_WHEN_WORD}(?:\s+(?:at\s+|in\s+the\s+|the\s+)?{_WHEN_WORD})*"
    r"(?:\s+(?:please|pls|then|ok|okay|maybe|possible|if\s+poss(?:ible)?|ish|any\s+good|free"
    r"|available|work|works|good|doable))*$"
)
# Early for a booking: "is it ok if we come 15 min early on thursday?", "we might be 10 minutes
# early tomorrow", "can I arrive a bit early for bella's appointment". Not a time asked for:
# "early next week", "come in early tomorrow morning", "earlier".
_EARLY_RE = re.compile(
    r"\b(?:come|coming|arrive|arriving|get\s+(?:there|in)|be|being|turn\s+up|pop\s+in|here"
    r"|there)\s+(?:in\s+)?(?P<by>a\s+(?:bit|little|tad)|(?:a\s+)?(?:\d+|few|couple(?:\s+of)?)"
    r"\s+min(?:ute)?s?|a\s+quarter\s+of\s+an\s+hour|half\s+an\s+hour)?\s*early\b"
    r"(?!\s+(?:next|this|in\s+the|morning|afternoon|evening|tomorrow\s+(?:morning|afternoon)"
    r"|slot|appointment|one))"
    r"|\bearly\s+for\s+(?:\w+'s\s+|my\s+|our\s+|the\s+|his\s+|her\s+)?(?:appointment|booking"
    r"|visit|check-?up|jab|vaccination|groom\w*)\b"
)
_PAST_NEWS_RE = re.compile(
    r"\b(?:yesterday|last\s+night|since)\b"
    # thanks for a visit just made: "thanks for today, Max was a star"
    r"|\b(?:thanks|thank\s+you)\s+(?:so\s+much\s+|again\s+)?for\s+(?:today|this\s+(?:morning"
    r"|afternoon)|earlier)\b"
    # thanks for a visit, and how the pet is now: "thank you for seeing Max on Friday, he is
    # much better now"
    r"|\b(?:is|'s|are|feeling|doing)\s+(?:(?:so|very|much|a\s+lot|loads|heaps|far)\s+)*better\b"
)
_POLITE_ASK_RE = re.compile(
    r"\b(?:wonder(?:ing)?|hoping|could|can|would|may|please|pls|let\s+me\s+know)\b"
)
# A what-if about a visit: "what happens if we're late on thursday?", "what if he's sick on
# the day?", "is it ok if we're 10 minutes late?".
_WHAT_IF_RE = re.compile(
    r"\bwhat\s+(?:happens|happen|if)\s+(?:if\s+)?(?:we|i|he|she|they|it)\b"
    r"|\b(?:is\s+it|would\s+it\s+be)\s+(?:ok|okay|alright|a\s+problem|an\s+issue)\s+if\s+(?:we|i)\b"
)
# Another pet brought along to a booking: "can I bring both dogs to max's appointment", "could
# bella come along to max's checkup on thursday", "can I bring the other one to max's too".
_ALONG_TO_RE = re.compile(
    r"\b(?:bring|take|come|coming|join|tag)\b(?:(?![.?!]).)*?\b(?:to|along\s+to|with|at|for|in"
    r"\s+on)\s+(?P<pet>[a-z][a-z-]+)'s\s+(?:appointment|booking|visit|check-?up|slot|jab"
    r"|vaccination|groom\w*|consultation)\b"
)
_BOTH_OR_OTHER_RE = re.compile(r"\b(?:both|the\s+other(?:\s+one)?|two|2|all)\b")
# The pet brought, in lower case: "can I bring rocky to max's appointment"
_BROUGHT_RE = re.compile(r"\bbring\s+(?P<other>[a-z][a-z-]+)\s+(?:along\s+)?(?:to|with)\b")
# Words after "bring" that are no pet's name: "bring him to max's appointment"
_NOT_A_PET_BROUGHT = frozenset(
    {"him", "her", "them", "it", "us", "me", "my", "our", "the", "a", "an", "his", "some", "one"}
)
# A person coming along, not a pet: "my daughter is coming to max's appointment"
_PERSON_ALONG_RE = re.compile(
    r"\b(?:my|our)\s+(?:daughter|son|husband|wife|partner|mum|mom|mother|dad|father|friend"
    r"|kids?|children|boyfriend|girlfriend|other\s+half|grandson|granddaughter|neighbou?r)\b"
    r"|\b(?:someone|somebody)\s+else\b"
)
# Two pets spoken of without their names: "both of them", "the two of them", "both my dogs".
_BOTH_OF_THEM_RE = re.compile(
    r"\bboth\s+of\s+them\b|\bthem\s+both\b|\bthe\s+two\s+of\s+them\b|\bthey\s+both\b"
    r"|\b(?:can|could)\s+they\s+(?:both\s+)?come\b"
    r"|\bboth\s+(?:my|our|the)?\s*(?:dogs|cats|pets|kittens|puppies|rabbits|boys|girls)\b"
    # ("2 cats 2 problems 😅 …": two pets, set 141)
    r"|\b(?:2|two|3|three)\s+(?:dogs|cats|pets|kittens|puppies|rabbits|bunnies)\s+(?:2|two|3|three)\b"
)
# A second pet spoken of without its name: "the other one", "my other dog".
_THE_OTHER_PET_RE = re.compile(
    r"\b(?:the|my|our)\s+other\s+(?:one|dog|cat|pet|boy|girl|kitten|puppy|rabbit)\b"
)
# Advice asked for: "what should I do", "is that normal", "should I be worried".
_ADVICE_ASKED_RE = re.compile(
    r"\bwhat\s+(?:should|do|can|shall)\s+(?:i|we)\s+do\b|\bis\s+(?:that|this|it)\s+normal\b"
    r"|\bshould\s+(?:i|we)\s+(?:be\s+)?(?:worried|concerned|give|bring)\b|\bany\s+advice\b"
)
# A time put forward on its own, politely or on condition: "5pm please", "quarter past five if
# you've got it", "at 5 if possible".
_TIME_OFFERED_RE = re.compile(
    r"\bif\s+(?:you've\s+got\s+(?:it|one|space|room)|you\s+have\s+(?:it|one|space|room)|possible"
    r"|poss|free|available|it's\s+free|that's\s+(?:ok|okay|free|possible)|you\s+can)\b"
    r"|^(?:at\s+|around\s+)?[\d:.\s]+(?:[ap]m)?\s+(?:please|pls|plz)\b"
)
# A farewell that names the visit: "brilliant thanks, see you thursday 😊", "great see you then",
# "cheers, see you at 11 on the 10th!". Asking nothing.
_SEE_YOU_RE = re.compile(r"\bsee\s+(?:you|u|ya|yous|you\s+all|you\s+guys)\b")
_SEE_YOU_ASKS_RE = re.compile(
    r"\b(?:book|move|change|cancel|reschedule|instead|earlier|later|can|could|would|will\s+you"
    r"|please|pls|is\s+it|are\s+you|do\s+you|what|when|which|how)\b"
)


# "what about the 25th?", "how about friday": a day put forward for a visit.
_WHAT_ABOUT_RE = re.compile(r"(?:and\s+|ok\s+|so\s+)?(?:what|how)\s+about\b")


# One pet of several allowed another time: "one of them can go at 10.15".
_ONE_LATER_RE = re.compile(
    r"\b(?:one|1)\s+(?:of\s+them\s+|of\s+the\s+\w+\s+)?(?:can|could|will)\s+(?:go|come|be)\s+(?:in\s+)?at\b"
)


# One time for each pet, in the order they were named: "could Boris and Hamish both have a
# groom on saturday? … 11 and then 11.45?" (set 209; normalised, commas gone). Not a range
# ("between 10 and 12").
# (not a bare "1": "one", normalised — "if you can only fit one then 10:30 for both")
_HOUR = r"(?:(?:[2-9]|1[0-2])(?:[:.]\d{2})?(?:\s*[ap]m)?|1(?:[:.]\d{2}|\s*[ap]m))"
_TIMES_IN_TURN_RE = re.compile(
    rf"(?<!between\s)(?<!from\s)\b(?:at\s+)?({_HOUR})(?:\s+({_HOUR}))?\s+(?:and\s+then|then|and|&)\s+"
    rf"(?:at\s+)?({_HOUR})\b(?!\s*(?:minutes?|mins?|hours?|days?|weeks?|euros?|€|kg|years?))"
)


# Our hours asked of a time: "are you open between 12 and 2?", "you close for lunch?", "your
# horaires".
_OPEN_WHEN_ASKED_RE = re.compile(
    r"\b(?:are\s+you|you\s+are|r\s+u|is\s+it|is\s+the\s+clinic)\s+open\s+(?:between|from|at|during"
    r"|over|at\s+lunch)\b|\bclose\s+(?:for|at|over)\s+lunch\b|\bhoraires?\b"
)


class Chat(Reading):
    """Talk around a visit: late, early, unwell, someone else bringing the pet, which pet is
    meant."""

    def asks_about_own_booking(self) -> bool:
        """ "do I need to bring anything for Luna's appointment on friday?": a question about a
        booking the customer has on the day said (by its pet's possessive or "my/our
        appointment"), so the day names that booking and asks for no new one."""
        if self.when.day is None or self.when.clock is not None or not self.upcoming:
            return False
        if not answers.is_question(self.text) and "?" not in self.context.message:
            return False
        owned = re.search(
            r"\b(?:\w+'s|my|our|his|her|their)\s+(?:appointment|booking|visit|one)\b", self.text
        )
        on_day = [b for b in self.upcoming if self.local(b.slot_start).date() == self.when.day]
        return owned is not None and bool(on_day)

    def wants_slot(self) -> bool:
        """Whether a day or time in this message asks for an appointment."""
        when = self.when
        if not (when.day or when.clock or when.past_day or when.weekday_clash):
            if (
                self.last_visit() is not None
                and not answers.is_question(self.text)
                and not NOT_A_REQUEST_RE.search(self.text)
            ):
                return True  # "the usual for max please": the day is asked
            # "bella any morning next week", "any evening this week for max?": a part of the
            # day in a week named, asked for (not "are you open any evening this week?")
            return bool(
                (
                    when.part is not None
                    or WHENEVER_RE.search(self.text)
                    or FREE_TIMES_ASKED_RE.search(self.text)  # "what times have you got …"
                )
                and WEEK_SAID_RE.search(self.text)
                and (self.subjects or not answers.is_question(self.text))
                and not NOT_A_REQUEST_RE.search(self.text)
                and not self.asks_about_own_booking()
            )
        if (
            NOT_A_REQUEST_RE.search(STAFF_WORKING_RE.sub(" ", self.text))
            and not self.asked_beside_absence()
            # ("can't do that, i work afternoons. what else is there in the morning?")
            and not FREE_TIMES_ASKED_RE.search(self.text)
        ):
            return False
        if self.what_if():
            return False  # "what happens if we're a bit late on thursday?": no visit asked for
        if self.news_only():
            return False
        if self.asks_about_own_booking():
            return False
        if (
            when.clock is None
            and self.context.pending is None
            and answers.is_question(self.text)
            # ("what should i bring to thistle's first visit?" asks what to bring, no visit)
            and not REQUEST_RE.search(_WHAT_TO_BRING_RE.sub(" ", self.text))
            and not FREE_TIMES_ASKED_RE.search(self.text)
            # a pet named with an hours question asks nothing for it yet ("are you open on
            # Christmas Day? … sky has had a bit of a cough")
            and (not any(is_name(s) for s in self.subjects) or answers.about_hours(self.text))
        ):
            # "how much is a checkup, are you open saturday afternoon?", "if she gets worse
            # tonight who do I call?": a question about the business that names a day (and a
            # service), not a request for it.
            return False
        if (
            self.context.pending is None
            and "?" in self.context.message
            and not self.offered_last()  # ("you close for lunch too 🙈 2 o'clock then")
            and _OPEN_WHEN_ASKED_RE.search(self.text)
            and not REQUEST_RE.search(self.text)
            and not BOOKING_WORD_RE.search(self.text)
            and not any(is_name(s) for s in self.subjects)
        ):
            # "which are your horaires on saturday? And in the week you are open between 12h
            # and 14h or you close for lunch?": our hours asked, no visit (set 162)
            return False
        if BOOKING_WORD_RE.search(self.text) or self.profile.find_service(self.text):
            return True
        if self.context.pending is not None or self.subjects:
            return True
        if when.clock is not None and (when.day or when.past_day or when.weekday_clash):
            return True  # "tmrw 3pm?", "thursday 14:30 please"
        if when.day is not None and when.part is not None:
            return True  # "anything thursday morning?"
        if when.clock is not None and _TIME_OFFERED_RE.search(self.text):
            return True  # "quarter past five if you've got it", "5pm please": the day asked
        if _WHEN_ONLY_RE.match(self.text):
            return True  # "10am", "tomorrow?" opening a conversation: the rest is asked
        if when.clock is not None and self.offered_last():
            return True  # "ok 10.30 then" answering "… isn't possible … I can offer …"

        if when.day is not None and (LATEST_RE.search(self.text) or self.first_thing()):
            return True  # "end of day tomorrow?", "first thing friday?"
        if when.day is not None and _WHAT_ABOUT_RE.match(self.text):
            return True  # "what about the 25th?": a day offered for a visit
        if when.day is not None and FREE_TIMES_ASKED_RE.search(self.text):
            return not self.asks_about_bookings()  # "what times have you got on friday?"

        asked = re.search(
            r"\b(?:can|could)\s+you\s+(?:do|fit|see)\b"
            # the day itself proposed: "can we do thursday?", "could we make it friday instead?"
            r"|\b(?:can|could)\s+we\s+(?:do|make)\s+(?:it\s+)?(?:on\s+)?(?:this\s+|next\s+)?"
            r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today)\b",
            self.text,
        )
        if when.day is not None and asked:
            return True  # "can you do max on sunday", "can we do thursday?"
        return self.booking_talk()

    def what_if(self) -> bool:
        """Whether the message asks what happens in a case ("not cancelling or anything but what
        happens if we're a bit late on thursday?") without asking for a visit."""
        asked = re.sub(r"\bor\s+anything\b", " ", self.text)  # "not cancelling or anything"
        return bool(_WHAT_IF_RE.search(asked)) and not BOOKING_WORD_RE.search(asked)

    def upcoming_of_pets_named(self) -> list[BookingView]:
        """The upcoming bookings of the pets the message names; all of them when it names
        none (news about "the appointment": late, early, "see you thursday")."""
        named = {s.lower() for s in self.subjects}
        return [b for b in self.upcoming if not named or b.subject.lower() in named]

    def late_for_booking(self) -> AgentDecision | None:
        """Late for, or on the way to, a booking named ("I'm running 10 mins late for Max's
        appointment"), asking nothing else: thanks when it is today's; a booking on another day
        is said, as the customer may have the day wrong. None for any other message."""
        text = self.text
        if (
            not ON_THE_WAY_RE.search(text)
            or self.when.clock is not None
            or self.when.part is not None
            or asks_move(text)
            or CANCEL_RE.search(text)
            or re.search(r"\b(?:book|move|change|reschedule|instead|push)\b", text)
            # "can we make that 30 mins later": a change asked, not news of being late
            or re.search(r"\b(?:make|making)\s+(?:it|that|this|them)\b", text)
            or answers.is_question(text)
        ):
            return None
        theirs = self.upcoming_of_pets_named()
        today = self.local_now.date()
        # "i'm going to be about 15 mins late tomorrow": the day they will be late
        day = self.when.day or today
        if not theirs or any(self.local(b.slot_start).date() == day for b in theirs):
            return reply_as(Intent.OTHER, "Thanks for letting us know, see you soon!")
        booking = theirs[0]
        said = (
            "today"
            if day == today
            else "tomorrow"
            if day == today + timedelta(days=1)
            else f"{day:%A %-d %B}"
        )
        return reply_as(
            Intent.ASK_BOOKING,
            f"Thanks for letting us know. Just to check: the appointment{for_(booking.subject)} "
            f"is on {self.say(booking.slot_start)}, not {said}.",
        )

    def unwell_only(self) -> AgentDecision | None:
        """A pet said to be unwell, nothing asked for ("max has stopped eating", "my cat is
        vomiting what should I do"): no advice invented, and a visit offered. On WhatsApp the
        first free time is proposed for a yes (or any other day and time); on a call, where a
        misheard line must not become a booking, the caller is asked. None for any other
        message."""
        if not SYMPTOM_RE.search(self.text) or self.when.anything or self.pending is not None:
            return None
        named = [s for s in self.subjects if is_name(s)]
        who = join(named) or (self.subjects[0] if self.subjects else "your pet")
        advice = ""
        if _ADVICE_ASKED_RE.search(self.text):
            phone = self.profile.phone
            advice = (
                "I can't give medical advice here"
                + (f"; if it can't wait, call us on {phone}" if phone else "")
                + ". "
            )
        opening = f"Sorry to hear {who} isn't well. {advice}"
        self.unwell_offered = True
        if self.voice:
            return reply_as(
                Intent.CLARIFY,
                f"{opening}Would you like to bring {who} in? Which day and time would suit you?",
            )
        service = self.service(None)
        first = self.first_free_time(When(), service)
        if first.day is None:
            return reply_as(Intent.CLARIFY, f"{opening}Which day and time would suit you?")
        decision = self.book(first, subject=join(named) or None)
        if decision.proposal is None:  # "Which of your pets is that for: …?"
            return decision.model_copy(update={"reply": f"{opening}{decision.reply}"})
        offered = decision.reply.replace(
            ". Reply YES to confirm.",
            ", our first free time. Reply YES to confirm, or tell me another day and time.",
            1,
        )
        return decision.model_copy(update={"reply": f"{opening}{offered}"})

    def missed_visit(self) -> AgentDecision | None:
        """A visit missed and a new one asked for ("I missed my appointment yesterday, can I
        rebook?"): a new booking, not a move of the bookings still to come; the day of the
        missed visit is not the one wanted. None for any other message."""
        said = normalise(self.context.message)  # (``self.text`` has the missed visit taken out)
        missed = MISSED_RE.search(said)
        if missed is None or not _BOOK_AGAIN_RE.search(said):
            return None
        when = self.when
        if when.past_day is not None or (when.day is not None and when.day < self.local_now.date()):
            when = When()
        decision = self.book(when)
        return decision.model_copy(update={"reply": f"Sorry we missed you. {decision.reply}"})

    def see_you_then(self) -> AgentDecision | None:
        """A farewell naming the visit ("brilliant thanks, see you thursday 😊", "great see you
        then") with no proposal open and nothing asked: the booking it means said back ("See
        you on Thursday 10 December at 11:00!"), or, when the day or time said is not a
        booking's, the booking checked ("Just to check: …"). None for any other message, or
        when no upcoming booking is there to mean."""
        text = self.text
        see_you = _SEE_YOU_RE.search(text)
        if (
            see_you is None
            or (self.pending is not None and self.pending.slot_start is not None)
            or "?" in self.context.message
            or _SEE_YOU_ASKS_RE.search(text)
        ):
            return None
        theirs = self.upcoming_of_pets_named()
        if not theirs:
            return None
        # the day and time said with the farewell: the rest may be news with days and times
        # of its own ("she ate at 8 this morning ... see you friday!")
        said = self.read(text[see_you.end() :])
        meant = [
            b
            for b in theirs
            if said.day in (None, self.local(b.slot_start).date())
            and said.clock in (None, self.local(b.slot_start).time())
        ]
        if not meant:
            booking = theirs[0]
            return reply_as(
                Intent.ASK_BOOKING,
                f"Just to check: the appointment{for_(booking.subject)} is on "
                f"{self.say(booking.slot_start)}. See you then!",
            )
        return reply_as(Intent.OTHER, f"See you on {self.say(meant[0].slot_start)}!")

    def along_to_booking(self) -> AgentDecision | None:
        """Another pet brought along to a pet's booking ("can I bring both dogs to max's
        appointment"): a booking for the others at that booking's time, proposed for a yes
        (the calendar's alternatives when it is full). The others are the pets named but the
        one booked, or, for "both" / "the other one", the customer's one other pet on record.
        None for any other message, when the pet named has no upcoming booking, or the others
        cannot be told."""
        found = _ALONG_TO_RE.search(self.text)
        if found is None or asks_move(self.text) or CANCEL_RE.search(self.text):
            return None
        host = found["pet"].lower()
        hosting = [b for b in self.upcoming if b.subject.lower() == host]
        if not hosting:
            return None
        others = [s for s in self.subjects if is_name(s) and s.lower() != host]
        brought = _BROUGHT_RE.search(self.text)
        if not others and brought is not None:
            word = brought["other"]
            if not (word in ANIMALS or word in _NOT_A_PET_BROUGHT or _BOTH_OR_OTHER_RE.match(word)):
                others = [word.title()]
        if not others and _BOTH_OR_OTHER_RE.search(self.text):
            rest = [k for k in self.known if k.lower() != host and is_name(k)]
            others = rest if len(rest) == 1 else []
        if not others and _PERSON_ALONG_RE.search(self.text):
            return reply_as(
                Intent.ASK_BOOKING,
                "Of course, they're welcome to come along. The appointment"
                f"{for_(hosting[0].subject)} is on {self.say(hosting[0].slot_start)}.",
            )
        if not others:
            return None
        start = self.local(hosting[0].slot_start)
        return self.book(When(day=start.date(), clock=start.time()), subject=join(others))

    def early_for_booking(self) -> AgentDecision | None:
        """Coming early to a booking ("is it ok if we come 15 min early on thursday? my bus gets
        in at 10:10"): yes, with the booking said (the one on the day said, or the pet's), as
        any receptionist would; nothing proposed. None for any other message, or with no
        upcoming booking to come early to."""
        text = self.text
        found = _EARLY_RE.search(text)
        if (
            found is None
            or asks_move(text)
            or CANCEL_RE.search(text)
            or re.search(r"\b(?:book|booking\s+for|instead)\b", text)
        ):
            return None
        theirs = self.upcoming_of_pets_named()
        if not theirs:
            return None
        on_day = [b for b in theirs if self.local(b.slot_start).date() == self.when.day]
        if self.when.day is not None and not on_day:
            # "we might be 10 mins early tomorrow" with the booking on Thursday: the day checked
            booking = theirs[0]
            return reply_as(
                Intent.ASK_BOOKING,
                f"That's fine. Just to check: the appointment{for_(booking.subject)} is on "
                f"{self.say(booking.slot_start)}, not {self.when.day.strftime('%A %-d %B')}.",
            )
        booking = (on_day or theirs)[0]
        who = for_(booking.subject)
        return reply_as(
            Intent.ASK_BOOKING,
            "Yes, of course, that's fine: come in when it suits you and we'll see you as soon as "
            f"we can. The appointment{who} is on {self.say(booking.slot_start)}.",
        )

    def news_only(self) -> bool:
        """Thanks with news of the pet in the past tense, asking nothing ("she ate all her
        breakfast at 8 this morning and was chasing the cat at 3pm yesterday, so thank you
        all"): the days, times and services in it are the news, not a request."""
        return bool(
            THANKS_RE.search(self.text)
            and _PAST_NEWS_RE.search(self.text)
            and not _POLITE_ASK_RE.search(self.text)
            and not answers.is_question(self.text)
            and not REQUEST_RE.search(self.text)
        )

    def booking_talk(self) -> bool:
        """A booking word, or one of our questions about a day or time, in the last turns."""
        for turn in self.context.history[-CONTEXT_TURNS:]:
            said = normalise(turn.text)
            if BOOKING_WORD_RE.search(said) or re.search(r"\bwhat\s+time\b|\bwhich\s+day\b", said):
                return True
        return False

    def which_pet_answered(self) -> AgentDecision | None:
        """A pet's name answering our "Which of your pets is that for: …?", "… What is your
        pet's name?" or, on a call, "Sorry, I didn't catch your dog's name. …"
        (``switchboard.voice.names``): the request of the customer's message before it, for
        that pet. A name alone is an answer even in a call transcript ("Rex.", "It's Rex"),
        where a new name elsewhere counts only where names go. None when our last message was
        not one of those questions, or this one names no single pet or gives a day or time of
        its own (a request said again is read as one)."""
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        ours = history[-1].text
        # ("Rocky" answering "What time on Saturday … would you like for your dog? I have …")
        who_for = (
            ours.endswith(PET_NAME_ASKED)
            or asks_name(ours)
            or bool(
                re.search(
                    r"\bfor your (?:dog|cat|puppy|kitten|rabbit|hamster|pet)\? I have\b", ours
                )
            )
            # the team's words: "Tomorrow … at 11:00 is free. Which pet is it for?" (set 181)
            or bool(_WHO_FOR_ASKED_RE.search(ours))
        )
        if not ours.startswith("Which of your pets is that for:") and not who_for:
            return None
        # a name as the CRM spells it, else one said alone ("Rex, my dog"); to "who is it
        # for?" an animal is an answer too ("my dog")
        answer = name_answer(self.text)
        if answer is None and self.when.same_time and not self.when.day and not self.when.clock:
            # "Mabel. same time if you can" (set 225): the name, its own sentence
            answer = name_answer(re.split(r"[.!,\n]", self.context.message.strip())[0])
        if answer is None:
            # "the dog 🐶 bramble. the cat's not due till march" (set 228): the name said after
            # the kind of pet
            kind_then_name = re.search(
                rf"^(?:the|my|our)\s+(?:{PET_KINDS})\s+([a-z][a-z'-]+)\b", self.text
            )
            answer = name_answer(kind_then_name[1]) if kind_then_name else None
        names = [s for s in self.subjects if is_name(s)] or ([answer] if answer else [])
        if len(names) > 1:
            # "tiger's pls, sox's i know" (set 228): not the pet said to be known or fine
            names = [
                n
                for n in names
                if not re.search(
                    rf"\b{re.escape(n.lower())}(?:'s)?\s+(?:i\s+know|is\s+fine|'s\s+fine|is\s+ok"
                    r"|is\s+sorted|i've\s+got|i\s+have)\b",
                    self.text,
                )
            ]
        if not names and who_for:
            names = self.subjects
        listed = _WHICH_PET_LISTED_RE.match(ours)
        if not names and listed is not None and _BOTH_RE.match(self.text):
            # "both" / "all of them" to "Which of your pets is that for: Max or Bella, …?"
            names = re.split(r", | or ", listed["pets"])
            turn = self.request_before_ours()
            if turn is None or self.when.anything:
                return None
            turn.subjects = names
            return turn.book_each(turn.book(turn.when, subject=join(names)), names)
        if not names and listed is not None and not self.when.anything:
            other = self.another_pet_answered()
            if isinstance(other, AgentDecision):
                return other
            names = [other] if other else []
        # ("Mabel. same time if you can": the time of the request's own "as well", set 225)
        same_only = self.when.same_time and self.when.day is None and self.when.clock is None
        if len(names) != 1 or (self.when.anything and not same_only):
            return None
        turn = self.request_before_ours()
        if turn is None:
            return None
        before = turn.context.history
        if who_for and before and _WHICH_PET_LISTED_RE.match(before[-1].text):
            # "another one" → "What is your pet's name?" → "Rocky": the request before both
            turn = turn.request_before_ours() or turn
        turn.subjects = names
        return turn.decide()

    def service_answered(self) -> AgentDecision | None:
        """A service answering a question that listed services ("What would you like for
        Tango: a consultation, vaccination, dental cleaning or grooming?", the team's words /
        "his nails are like talons lol", set 228): the request before it, as that service.
        None when our last message listed no services to choose from, or this one names no
        single service or says a day or time of its own."""
        history = self.context.history
        if self.pending is not None or not history or self.when.anything:
            return None
        ours = history[-1].text.strip()
        if history[-1].direction is not Direction.OUTBOUND or not ours.endswith("?"):
            return None
        if len(answers.services_named(normalise(ours), self.profile)) < 2:
            return None
        said = answers.services_named(self.text, self.profile)
        turn = self.request_before_ours() if len(said) == 1 else None
        if turn is None or turn.when.day is None:
            return None
        subject = join([s for s in turn.subjects if is_name(s)]) or None
        return turn.book(turn.when, subject=subject, service_key=said[0].key, exact=True)

    def another_pet_answered(self) -> AgentDecision | str | None:
        """ "Another one" to our "Which of your pets is that for: …, or another one?": its name
        ("a different one - Rocky"), whose it is ("it's my mum's dog": "your mum's dog"), or,
        with neither said, our question for its name. None when the message says no such
        thing."""
        said = self.context.message.strip()
        rest = _ANOTHER_PET_RE.sub("", said, count=1).strip(" ,.-–—!:;")
        if rest != said or not rest:
            named = name_answer(rest) if rest else None
            if named:
                return named
        owned = _SOMEONE_ELSES_ANIMAL_RE.search(self.text)
        if owned is not None and owned["owner"]:
            return f"your {owned['owner']}'s {owned['animal']}"
        if (rest != said and not rest) or owned is not None:  # "another one", "my other dog"
            return reply_as(Intent.CLARIFY, f"Of course. {PET_NAME_ASKED}")
        return None

    def day_check_answered(self) -> AgentDecision | None:
        """A yes to our "Just to check: did you mean Monday 4 January? Which day would you
        like?": the customer's request before it, on that day, without asking again. None when
        our last message was not that question."""
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        asked = _DAY_CHECK_RE.match(history[-1].text.strip())
        turn = self.request_before_ours() if asked is not None else None
        if asked is None or turn is None:
            return None
        turn.day_checked = turn.read(normalise(asked["day"])).day
        return turn.decide()

    def services_retried(self) -> AgentDecision | None:
        """A time answering our "Sorry, … isn't possible …" to several services asked for one
        pet ("can ginger have her jab and then a groom thursday at 12?" / our refusal / "ah ok,
        can we do 11.30 for both then", set 229): every service again, back to back from it.
        None when our last message refused nothing, the request before it asked fewer than
        two services, or this message gives no time or names a service of its own."""
        history = self.context.history
        if self.pending is not None or not history or self.when.clock is None:
            return None
        if history[-1].direction is not Direction.OUTBOUND:
            return None
        ours = history[-1].text.strip()
        # (a day turned down too: "Sorry, we're closed on Christmas Day. I can offer …")
        if not (REFUSED_SLOT_RE.match(ours) or re.match(r"Sorry, we're closed\b", ours)):
            return None
        if answers.services_named(self.text, self.profile):
            return None
        turn = self.request_before_ours()
        if turn is None or len(turn.services_asked()) < 2:
            return None
        # (the request's own words list them: not "can he squeeze in at 10.15 with them?"
        # after "crumble and waffle are already in for their grooms", set 200)
        own = without_past_service(normalise(turn.context.message))
        if len(answers.services_listed(own, self.profile)) < 2:
            return None
        pets = turn.requested_pets()
        if len(pets) != 1:
            return None
        turn.replacing = (pets[0].lower(), self.when)
        return turn.each_service()

    def each_service(self) -> AgentDecision | None:
        """Several services asked for one pet in one message ("vaccination and a nail trim for
        Max thursday at 10"): an appointment for each, back to back from the time said, in the
        order said, proposed together; none is dropped. None when the message names fewer than
        two services, several pets, or no day and time (then the day or time is asked)."""
        services = self.services_asked()
        when = self.when
        if when.day is None and when.clock is not None:
            when = merge(when, self.day_from_history())  # "10am" answering "What time on Friday…"
        pets = self.requested_pets()
        if (
            len(services) > 1
            and self.replacing is not None
            and self.replacing[0] in {p.lower() for p in pets}
        ):
            # "a dental and a groom on saturday, one after the other? starting about 11.30" /
            # "For Poppy: Sorry, … 12:30 isn't possible …" / "oh ok, 10 then?" (set 229): the
            # visits back to back from the new time, never each moved to it
            when = merge(self.replacing[1], when)
            self.replacing = None  # applied: ``several`` must not move them again
        if len(services) < 2 or when.day is None or when.clock is None:
            return None
        if len(pets) > 1:
            return None
        if _BOTH_OF_THEM_RE.search(self.text) or _THE_OTHER_PET_RE.search(self.text):
            # "can I bring both dogs? bonnie needs a check up and the other one his booster":
            # the services are the two pets', not one pet's back to back (set 127)
            asked = (
                f"which needs the {services[0].name} and which the {services[1].name}"
                if len(services) == 2
                else f"which needs {and_listed([f'the {s.name}' for s in services])}"
            )
            return reply_as(
                Intent.CLARIFY,
                f"Happy to see them both. So that each is booked under the right name: {asked}? "
                "Please give me their names.",
            )
        start = when.at(self.local_now)
        assert start is not None
        own = self.each_services_own_time(services)
        if own is not None:
            when = own[0]
        first = self.book(when, subject=join(pets) or None, service_key=services[0].key)
        if first.proposal is None:
            return first  # the first time cannot be had (or which pet is asked): said why
        subject = first.proposal.subject
        if own is not None:
            # "his jab on 15/12 at 9" / "and a groom on 19/12, 10.30" (set 153): each at its own
            self.keep_services = True
            booked = [
                Plan("book", subject, at.astimezone(UTC), service.key)
                for service, said in zip(services, own, strict=True)
                if (at := said.at(self.local_now)) is not None
            ]
            decision = self.several(booked)
            if decision.intent is Intent.PROPOSE_CHANGES:
                listed = [
                    f"a {s.name} on {self.local(p.slot).strftime('%A %-d %B at %H:%M')}"
                    for s, p in zip(services, booked, strict=True)
                ]
                who = for_(subject).removeprefix(" for ") or "you"
                decision.reply = f"I can book {who} in for {and_listed(listed)}. {self.ask()}"
            return decision
        plans: list[Plan] = []
        for service in services:
            plans.append(Plan("book", subject, start.astimezone(UTC), service.key))
            start += timedelta(minutes=service.duration_minutes)
        self.keep_services = True
        decision = self.several(plans)
        if decision.intent is Intent.PROPOSE_CHANGES:
            said = [
                f"a {s.name} at {self.local(p.slot).strftime('%H:%M')}"
                for s, p in zip(services, plans, strict=True)
            ]
            day = self.local(plans[0].slot).strftime("%A %-d %B")
            who = for_(subject).removeprefix(" for ") or "you"
            decision.reply = f"I can book {who} in on {day}: {and_listed(said)}. {self.ask()}"
        return decision

    def each_services_own_time(self, services: list[Service]) -> list[When] | None:
        """The day and time each of ``services`` is given in a clause (or a burst's line) of its
        own, in their order; None unless each has one and no two are the same."""
        clauses = [
            normalise(c)
            for c in re.split(r"\n|(?<=[.!?;])\s+|\band\b|\balso\b", self.context.message)
            if c.strip()
        ]
        own: list[When] = []
        for service in services:
            said = [
                read
                for c in clauses
                if service.key in {s.key for s in answers.services_listed(c, self.profile)}
                and (read := self.read(c)).day is not None
                and read.clock is not None
            ]
            if len(said) != 1:
                return None
            own.append(said[0])
        if len({(w.day, w.clock) for w in own}) != len(own):
            return None
        return own

    def each_week(self) -> AgentDecision | None:
        """A weekly series of a known length ("every tuesday at 10am for the next 3 weeks"): the
        first at the day and time said, the others 7 days apart, proposed together so one yes
        books them all (a customer expects the whole series, not a first one alone). None when
        the message is no such series, has no day and time, names several pets, or asks for
        one; more than ``MAX_CHANGES`` proposes that many and says so."""
        found = _WEEKLY_RE.search(self.text)
        if found is None or self.when.day is None or self.when.clock is None:
            return None
        asked = int(found["n"] or found["n2"])
        pets = self.requested_pets()
        if asked < 2 or len(pets) > 1:
            return None
        # More than one yes can commit: the first MAX_CHANGES, and the reply says so, so the
        # customer never believes the whole series is booked.
        count = min(asked, MAX_CHANGES)
        first = self.book(self.when, subject=join(pets) or None)
        if first.proposal is None:
            return first  # the first cannot be had (or which pet is asked): said why
        proposal = first.proposal
        local = self.local(proposal.slot_start)  # weeks on the wall clock, across a DST change
        plans = [
            Plan(
                "book",
                proposal.subject,
                (local + timedelta(weeks=n)).astimezone(UTC),
                proposal.service,
            )
            for n in range(count)
        ]
        decision = self.several(plans)
        if asked > count:
            decision.reply = (
                f"I can book up to {count} visits at a time, so these are the first {count} of "
                f"the {asked}; message me again for the rest. {decision.reply}"
            )
        return decision

    def services_asked(self) -> list[Service]:
        """The services this message lists (``answers.services_listed``); when it names none
        and answers our question for a day and time ("a checkup and nails for Max" / "Which
        day and time…?" / "friday 10"), those the customer's message before it listed."""
        # (not another pet's visit or one of the past: "not the same day as loki's jab")
        services = answers.services_listed(without_past_service(self.request_text()), self.profile)
        if services or self.pending is not None:
            return services
        history = self.context.history
        if (
            len(history) >= 2
            and history[-1].direction is Direction.OUTBOUND
            and history[-2].direction is Direction.INBOUND
            and ASKED_WHEN_RE.search(history[-1].text)
        ):
            return answers.services_listed(normalise(history[-2].text), self.profile)
        return services

    def both_pets(self) -> list[str] | None:
        """The customer's two pets on record, when the message speaks of them as "both of
        them", "the two of them", "both my dogs" without their names ("both of them need
        boosters, any time next tuesday"); None otherwise."""
        if not _BOTH_OF_THEM_RE.search(self.text):
            return None
        # as ``only_pet`` counts them: the pets of confirmed bookings, by their first booking
        confirmed = sorted(
            (b for b in self.context.bookings if b.status == "confirmed"),
            key=lambda b: as_utc(b.slot_start),
        )
        pets = list(dict.fromkeys(b.subject for b in confirmed))
        named = [p for p in pets if is_name(p)]
        return named if len(named) == 2 and len(pets) == 2 else None

    def book_each(self, decision: AgentDecision, names: list[str]) -> AgentDecision:
        """A single booking proposed for several named pets ("Max and Bella"): a booking for
        each, at that slot ("one after the other": each when the one before ends), if the
        calendar has room for all of them. Other decisions as they are."""
        proposal = decision.proposal
        if (
            decision.intent is not Intent.PROPOSE_BOOKING
            or proposal is None
            or len(names) < 2
            or proposal.subject != join(names)
        ):
            return decision
        plans = [Plan("book", name, proposal.slot_start, proposal.service) for name in names]
        one_later = _ONE_LATER_RE.search(self.text)
        first = self.read(self.text[: one_later.start()]) if one_later is not None else None
        asked = merge(first, self.when).at(self.local_now) if first is not None else None
        if asked is not None and as_utc(asked) != as_utc(proposal.slot_start):
            # "all 3 … on saturday at 10 … if you can't fit all 3 at 10 one of them can go at
            # 10.15": the others at the time asked, the last one at the other time
            plans = [
                *(Plan("book", name, as_utc(asked), proposal.service) for name in names[:-1]),
                Plan("book", names[-1], proposal.slot_start, proposal.service),
            ]
        in_a_row = IN_A_ROW_RE.search(self.text) is not None
        after = self.pets_after(self.context.message, names)
        listed = _TIMES_IN_TURN_RE.search(self.text)
        said = [self.read(f"at {t}").clock for t in listed.groups() if t] if listed else []
        clocks = [c for c in said if c is not None]
        if len(clocks) == len(said) == len(names) and len(set(clocks)) == len(clocks):
            # "11 and then 11.45" for two pets: each at its own time, in the order named
            day = self.local(proposal.slot_start).date()
            plans = [
                replace(p, slot=as_utc(datetime.combine(day, c, self.zone)))
                for p, c in zip(plans, clocks, strict=True)
            ]
            in_a_row, after = False, set()
        length = timedelta(minutes=self.keyed_service(proposal.service).duration_minutes)
        for i in range(1, len(plans)):
            if in_a_row or plans[i].subject in after:
                # "both for a groom on saturday at 9, one after the other", "Max at 10 and
                # Willow straight after": when the one before ends, never side by side
                plans[i] = replace(plans[i], slot=plans[i - 1].slot + length)
        return self.several(plans)
