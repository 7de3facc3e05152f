"""A proposal waiting for a yes: a yes said with more, another pet or time meant, and the first
free times around opening hours."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, time, timedelta

from rapidfuzz.distance import OSA

from switchboard.agent_models import (
    NOTHING_TO_CONFIRM,
    AgentDecision,
    BookingView,
    Direction,
    Intent,
    PendingAction,
)
from switchboard.business import Service
from switchboard.providers.rules_agent.booking import NOT_BOOKING_YET_RE, Booking
from switchboard.providers.rules_agent.helpers import (
    Plan,
    and_listed,
    answered_only,
    as_utc,
    asks_move,
    cancel_read_back,
    for_,
    handed_over,
    or_listed,
    part_of_day,
    reply_as,
    spread_over,
    weekday_asked,
)
from switchboard.providers.rules_agent.patterns import (
    ASKED_WHEN_RE,
    BOOKING_WORD_RE,
    BUT_RE,
    CALL_OFF_RE,
    CANCEL_RE,
    CLAUSE_END,
    EVERY_RE,
    FOR_ANOTHER_PET_INSTEAD_RE,
    HANDOFF_RE,
    IN_A_ROW_RE,
    KEEP_OR_CANCEL_ASKED,
    MOVE_RE,
    NO_RE,
    NOT_SERVICE_RE,
    OFFERED_RE,
    OPEN_ON_DAY_RE,
    OWED_RE,
    PET_CLAUSE_RE,
    REBOOK_LATER_RE,
    SAY_AGAIN,
    SENTENCE_RE,
    SPOKEN_YES_RE,
    STRAIGHT_AFTER_RE,
    SYMPTOM_RE,
    THANKS_ONLY_RE,
    TURNED_DOWN_RE,
    UNCLEAR,
    WHAT_I_SAID_RE,
    WRITTEN_YES_RE,
    YES_AND_QUESTION_SPLIT_RE,
    YES_RE,
    YES_RESTATED_RE,
    YES_SAID_RE,
)
from switchboard.understanding import answers
from switchboard.understanding.reply_tokens import defined_tokens
from switchboard.understanding.subjects import (
    is_name,
    join,
    name_answer,
    people_in,
    without_pets_kept,
)
from switchboard.understanding.text import normalise
from switchboard.understanding.when import When, merge

# A booking said to be for another pet: "the booking on wednesday should be for Coco not Bella",
# "it was meant to be under Luna, not Simba", "it's Cleo who needs seeing, not Bella", "not
# bella, it's cleo who needs the check-up".
# Our read-back of a cancellation: "I can cancel the appointment for Rusty on …", "I can cancel
# Pudding's vaccination on …".
_CANCEL_OFFERED_RE = re.compile(r"(?:Sorry, [^.]*\. )?I can cancel\b")
# An emoji with words on both sides, read as the end of a sentence.
_EMOJI_BREAK_RE = re.compile(r"(?<=\w)\s*[\u2600-\u27bf\U0001f300-\U0001faff]+\ufe0f?\s+(?=\w)")
_FOR_ANOTHER_PET_RE = re.compile(
    r"\b(?:should\s+(?:be|have\s+been)|(?:is|was)\s+(?:meant|supposed)\s+to\s+be|is|was)\s+"
    r"(?:for|under)\s+(?P<new>[a-z][a-z'-]+)\s*,?\s+(?:and\s+)?not\s+(?:for\s+)?"
    r"(?P<old>[a-z][a-z'-]+)\b"
    r"|\bit'?s\s+(?:(?:actually|really)\s+)?(?P<new2>[a-z][a-z'-]+)\s+(?:who|that)\s+(?:needs?|has\s+to"
    r"|should|is\s+coming)\b[^.,;!?\u2013\u2014]*[,\s\u2013\u2014-]+not\s+(?P<old2>[a-z][a-z'-]+)\b"
    r"|\bnot\s+(?P<old3>[a-z][a-z'-]+)\s*[,.\u2013\u2014-]*\s*it'?s\s+(?P<new3>[a-z][a-z'-]+)\s+(?:who|that)"
    r"\s+(?:needs?|has\s+to|should|is\s+coming)\b"
)
# The mood words of ``HANDOFF_RE``: a grievance, not a request for a person.
_GRIEVANCE_RE = re.compile(
    r"\b(?:ridiculous|useless|unacceptable|appalling|disgraceful|outrageous)\b"
    r"|\b(?:poor|bad|terrible|awful)\s+service\b|\bnot\s+(?:helpful|helping)\b"
    # a call promised and never made: "someone … said they'd call me back to book sprout's
    # dental. nobody did" (set 218)
    r"|\b(?:said|promised|supposed\s+to|meant\s+to|was\s+going\s+to|were\s+going\s+to)\s+"
    r"(?:they'd\s+|she'd\s+|he'd\s+|they\s+would\s+|to\s+)?(?:call|ring|phone|get\s+back\s+to)\s+"
    r"(?:me|us)(?:\s+back)?\b"
)
# A follow-up that leans on the question before it: "and on saturday?", "what about a dental?".
# Our closing time asked after our hours: "till what time?", "until when?", "open till?"
_TILL_WHEN_RE = re.compile(
    r"^(?:and\s+|so\s+)?(?:open\s+)?(?:till|til|until|up\s+to)\s*(?:what\s+time|when)?\s*$"
    r"|^(?:and\s+)?what\s+time\s+(?:till|until|do\s+you\s+(?:close|shut))\s*$"
)
_FOLLOW_UP_RE = re.compile(
    # (after thanks: "ok thanks. and nails? her claws are like needles", set 154)
    r"^(?:(?:ok(?:ay)?|thanks?|thank\s+you|cheers|great|right|lovely|perfect|cool)\s+)*"
    r"(?:and|what\s+about|how\s+about|also|plus|same\s+for)\b"
)
# Words that agree, anywhere in a message: "same time for biscit yeah", "same time is fine".
_AGREES_RE = re.compile(
    r"\b(?:yes|yeah|yep|yup|ya|ok|okay|fine|great|perfect|lovely|works|good|sure|grand)\b"
)
# A time past an hour left unsaid: "coco at quarter past", "and luna at half past".
_PAST_THE_HOUR_RE = re.compile(r"\b(?P<part>quarter|half)\s+past\b(?!\s+\d)")
# Free times asked for with no day or time: "what have you got?", "what's available?", "any
# availability?", "when can you fit max in?", "what are my options?". The first day with room
# and its times are offered.
_WHAT_FREE_RE = re.compile(
    r"^(?:(?:ok|okay|hmm|well|so|um|erm|right|and)\s+)*(?:"
    r"(?:what|wot|wat)(?:'s|s|\s+is)?\s+(?:(?:times?|slots?|days?|appointments?)\s+)?"
    r"(?:have\s+you\s+(?:got|have)|do\s+you\s+have|you\s+got|you've\s+got|d'you\s+have"
    r"|is\s+there|are\s+there|free|available|open|are\s+(?:my|the)\s+options|your\s+availability"
    r"|availability\s+(?:do\s+you\s+have|have\s+you\s+got)|are\s+free|are\s+available)"
    r"|(?:any|got\s+any|have\s+you\s+got\s+any|do\s+you\s+have\s+any)\s+(?:availability|slots?"
    r"|free\s+(?:slots?|times?|appointments?)|appointments?\s+(?:free|available)|space|room)"
    r"|anything\s+(?:free|available|going)"
    # "anything before 10?", "anything after 5": the first day with such a time
    r"|anything\s+(?:(?:free|available)\s+)?(?:before|after|earlier\s+than|later\s+than)\s+\d{1,2}"
    r"(?:[:.]\d{2})?\s*(?:[ap]m)?"
    r"|when(?:'s|s|\s+is)\s+(?:free|available|good\s+for\s+you)"
    r"|when\s+(?:are\s+you\s+free|can\s+you\s+(?:fit|squeeze|get|see)\s+(?:\w+\s+)?in"
    r"|(?:can|could)\s+(?:he|she|they|it|we|i|[a-z]+)\s+(?:come|pop|be\s+seen)(?:\s+in)?"
    r"|can\s+(?:we|i)\s+(?:bring|get)\s+(?:him|her|them|it|\w+)(?:\s+in)?"
    r"|can\s+you\s+see\s+(?:him|her|them|us|(?:my\s+|our\s+)?\w+)|do\s+you\s+have\s+(?:space|room|availability)"
    r"|(?:is|are)\s+you\s+available|is\s+good\s+for\s+you|works\s+for\s+you))"
    r"(?:\s+(?:free|available|then|at\s+all|please|pls|thanks|(?:this|next)\s+week"
    r"|for\s+(?:a|an|the|him|her|them"
    r"|his|their|its|\w+)(?:\s+\w+){0,2}))*\s*$"
)
# Two times listed for two pets: "at 10 and 10.45", "at 9:30 & 11".
_TIMES_LISTED_RE = re.compile(
    r"\bat\s+(?P<first>\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)\s+(?:and|&)\s+(?:at\s+)?"
    r"(?P<second>\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)\b(?!\s*(?:minutes|mins|hours|am\b|pm\b))"
)
# Another visit put off to later: "i'll do her booster in january", "we'll book his jab next
# month" (normalised)
_SERVICE_PUT_OFF_RE = re.compile(
    r"\b(?:i'll|we'll|i\s+will|we\s+will|i\s+can|we\s+can)\s+(?:do|get|book|sort|bring\s+\w+\s+in"
    r"\s+for)\s+(?:her|his|their|its|the)\s+[a-z]+(?:\s+[a-z]+)?\s+(?:in|next|later|another|after"
    r"|some\s+other|nearer)\b[^,.;!?]*"
)
# A name opening the message, then something about the pet: "Pudding 🐰 she's a mini lop",
# "Rocco - he's a lab"
_NAME_THEN_ABOUT_RE = re.compile(
    r"\s*(?P<name>[A-Za-z][a-z'-]+)\s*(?:[\u2600-\u27bf\U0001f300-\U0001faff]+|[,.!-])\s*"
    r"(?:(?:she|he|it)(?:'s|\s+is)\b|(?:a|an|our|my)\s)"
)
# A pet's name given: "his name is Waffle", "it's Waffle", "she's called Pip"
_NAME_GIVEN_RE = re.compile(
    r"\b(?:(?:his|her|their|the)\s+name(?:'s|\s+is)?(?:\s+-)?(?:\s+(?:it's|its|is))?|it's|its|it\s+is"
    r"|(?:he's|she's|he\s+is|she\s+is)\s+called|called|named)\s+(?P<name>[a-z][a-z'-]+)"
)
# "and" before a second request of its own: "tell me the address and move max …", "move max to
# thursday please and send me your address"
_AND_REQUEST_RE = re.compile(
    r"\s+(?:and|&|\+)\s+(?=(?:please\s+|pls\s+|can\s+you\s+|could\s+you\s+)?"
    r"(?:move|cancel|book|change|reschedule|push|send|tell|give|text|remind)\b)",
    re.IGNORECASE,
)
# What something costs, asked: "will I be charged?", "is there a fee?", "any penalty?".
_COST_ASKED_RE = re.compile(r"\b(?:charged?|charging|fees?|penalty|cost)\b")
# How one pays: "can i pay by contactless?", "do you take cards?"
_PAYING_HOW_RE = re.compile(
    r"\bpay(?:ing)?\s+(?:by|with|in|using|via|on)\b|\b(?:take|accept)\s+(?:cards?|cash|amex|visa"
    r"|contactless|apple\s+pay|cheques?)\b"
)
# Free times asked for anywhere in a message: "i work 9-5 … when could max come in for a
# check up this week?"
_WHEN_CAN_COME_RE = re.compile(
    r"\bwhen\s+(?:can|could)\s+(?:he|she|they|we|i|(?!you\b)[a-z]+)\s+"
    r"(?:come|pop|be\s+seen|bring\s+(?:him|her|them|\w+)\s+in)\b"
)
# Another person's pet: "my neighbour wants to cancel her dog's appointment", "can I move my
# friend's cat's booking?". Bookings are changed only for the number they were made from.
_SOMEONE_ELSES_RE = re.compile(
    r"\b(?:my|our|a)\s+(?:neighbou?r|friend|mate|colleague|flatmate|housemate|mum|mom|mother"
    r"|dad|father|sister|brother|aunt|uncle|gran|grandma|granny|grandad|grandpa|grandson|granddaughter|nan|cousin"
    r"|boss|in-law|mother-in-law|father-in-law)(?:'s|s')?\b"
    r".{0,60}\b(?:her|his|their|its|\w+'s)\s+(?:(?:dog|cat|pet|puppy|kitten|rabbit|bird)(?:'s)?\s+)?"
    r"(?:appointment|booking|visit|dog|cat|pet|puppy|kitten|rabbit|bird)\b"
)
# Everyone but some: "cancel all our appointments except Max's" (the pet after it is kept).
_EXCEPT_RE = re.compile(
    r"\b(?:except(?:\s+for)?|apart\s+from|but\s+not|other\s+than|besides|excluding|not"
    # "cancel all but coco's", "everything but max"
    r"|(?<=\ball\s)but|(?<=\beverything\s)but|(?<=\beveryone\s)but|(?<=\bthem\s)but)\s+"
    r"(?:for\s+)?(?:(?:my|our)\s+)?(?P<who>[a-z][a-z'-]+)"
)
# Something more for the vet to look at, said with a yes: "if the vet can look at his ear
# too", "and could they also check her paw".
_ALSO_LOOK_AT_RE = re.compile(
    r"\b(?:look\s+at|check|have\s+a\s+look\s+at|take\s+a\s+look\s+at|examine)\s+"
    r"(?P<what>(?:his|her|their|its|the)\s+[a-z]+(?:\s+(?!too\b|as\b|also\b|while\b)[a-z]+)?)"
    r"(?:\s+(?:too|as\s+well|also|while\s+(?:he's|she's|they're|we're|he\s+is|she\s+is)"
    r"\s+(?:there|in)))?\s*[?.!]*\s*$"
)
# The proposal itself asked for in booking words: "book him in for that", "can you book that
# one", "pop her in then". Only pronouns or the proposal's own pet may stand for what is booked
# (``books_the_proposal``); "too" / "as well" ask for another booking and never match.
_BOOK_THE_PROPOSAL_RE = re.compile(
    r"^(?:(?:yes|yeah|yep|ok|okay|great|lovely|perfect|right|go\s+on|please|so|then)\s*)*"
    r"(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?|please\s+)?"
    r"(?:book|put|pop|get|fit|squeeze|stick|pencil|slot|confirm)\s+"
    r"(?P<what>him|her|them|it|us|me|that(?:\s+(?:one|1))?|this(?:\s+(?:one|1))?"
    r"|(?:my|our|the)\s+[a-z]+"
    r"|[a-z]+)?\s*(?:in|down)?\s*"
    r"(?:(?:for|at)\s+(?:that|this|it|then|that\s+one|that\s+time|that\s+slot))?"
    r"\s*(?:(?:then|please|pls|thanks|thank\s+you|cheers)\s*)*\??$"
)
# An apology or excuse before the answer: "sorry was driving!! yes that's fine", "sorry only
# just seen this, go ahead". Nothing that could take the yes back may come before it.
_EXCUSE_RE = re.compile(
    r"^(?:(?:so|really|very)\s+)?(?:sorry|apologies|oops|my\s+bad)\b"
    r"(?:(?!\b(?:no|not|nope|don't|can't|cannot|won't|but|instead|cancel|change|rather|meant|mean"
    r"|actually|wrong)\b).){0,80}?"
    r"(?=\b(?:yes|yeah|yep|yup|ok|okay|sure|go\s+ahead|that's\s+fine|that\s+works|perfect"
    r"|please\s+do|book\s+it|fine)\b)"
)
# Yes words a quick thumb types with two letters swapped ("yse", "oaky", "suer").
_YES_WORDS = ("yes", "yeah", "yep", "okay", "sure")
_NO_WORD_RE = re.compile(
    r"\b(?:no|not|nope|nah|instead|rather|but|actually|change|earlier|later)\b"
)
_NOT_CAUGHT = "Sorry, I didn't catch that."


# Where one pet's part of a request ends: ``PET_CLAUSE_RE``, a sentence's end whatever follows
# ("… and Mittens a check-up. wednesday at 2 for Thumper"), a texted "n" or "&" ("can gizmo hav
# a chekup n noodle get his jabs").
_PETS_CLAUSE_RE = re.compile(rf"{PET_CLAUSE_RE.pattern}|\.\s+|\s[n&]\s", re.IGNORECASE)


# A pet's clause telling it is unwell, or asking it be looked at: "keeps scratching his ears …
# needs to be looked at", "hasn't been eating much".
_LOOKED_AT_RE = re.compile(
    rf"{SYMPTOM_RE.pattern}|\b(?:look(?:ed)?\s+at|seen\s+by\s+a\s+vet|see\s+a\s+vet|checked\s+over)\b"
)


# A move we proposed, from one slot to another: "I can move … from Wednesday 9 December at 11:00
# to Friday 11 December at 11:00".
_MOVE_OFFERED_RE = re.compile(r"\bmove\b.*\bfrom\b.*\bto\b", re.IGNORECASE)


def _day_and_time_together(ours: str) -> str:
    """Our message with a day and its time said apart joined again ("… is tomorrow, Tuesday 8
    December, at 08:30" → "… Tuesday 8 December at 08:30"), as ``say`` writes them."""
    return re.sub(r",\s+at\b", " at", ours)


# Whether a change costs anything, asked: "is it free to move an appointment?", "does it cost
# anything to cancel?", "is there a fee for rescheduling?"
_CHANGE_FEE_RE = re.compile(
    r"\b(?:is\s+(?:it|there)\s+(?:free|a\s+(?:fee|charge|cost))|does\s+it\s+cost\s+(?:anything|extra)?"
    r"|any\s+(?:fee|charge|cost))\s*(?:to|for)\s+(?:move|moving|cancel|cancell?ing|change|changing"
    r"|reschedul\w*)\b"
    # "would I be charged for changing juniper's appointment?", "is it still free to cancel
    # tilly's jab tomorrow?" (set 144)
    r"|\b(?:would|will|do|does|am|is)\s+(?:i|we|it|there)\s+(?:be\s+|get\s+)?(?:charged|a\s+(?:fee|charge)"
    r"|(?:still\s+)?free)\s+(?:to|for|if\s+(?:i|we))\s+(?:move|moving|cancel|cancell?ing|change|changing"
    r"|reschedul\w*)\b"
    # the change said first: "if i move gus's appointment tomorrow to next week is there a
    # fee?", "do i have to pay anything for cancelling?" (set 210)
    r"|\bif\s+(?:i|we)\s+(?:move|cancel|change|reschedule)\b[^?.!]{0,60}?\b(?:is\s+there\s+a\s+"
    r"(?:fee|charge|cost)|will\s+(?:i|we)\s+be\s+charged|does\s+it\s+cost)\b"
    r"|\b(?:do|will|would)\s+(?:i|we)\s+(?:have\s+to|need\s+to)\s+pay\s+(?:anything|a\s+fee|extra)\s+"
    r"(?:for|to)\s+(?:cancel|cancell?ing|mov(?:e|ing)|chang(?:e|ing)|reschedul\w*)\b"
)


# How a reminder opens, ours or a marketer's: "Reminder: …", "Hi! A reminder from …: Coco has …"
# (not our policy answer "We send you a WhatsApp reminder 24 hours before …").
_REMINDER_OPENING = (
    r"(?:(?:hi|hello|hey|good\s+\w+)\b[^.!:,]{0,20}[!.,]\s*)?(?:just\s+)?(?:a\s+)?(?:friendly\s+)?"
    r"reminder\b"
)


# A check-up said without its "up": "just a general check", "a health check".
_GENERAL_CHECK_RE = re.compile(r"\b(?:general|health|routine|quick)\s+check\b(?![\s-]?up)")


# A line headed by a pet's name: "juniper - full groom, 2pm".
_HEADED_LINE_RE = re.compile(
    r"(?m)^[ \t]*(?P<name>[A-Za-z][\w'-]*)[ \t]*[-:\u2013\u2014][ \t]*(?P<rest>[^\n]*)$"
)


# A decision put off or a price that is too much, said after an "oh right": no yes.
_PUT_OFF_RE = re.compile(
    r"\b(?:have\s+a\s+think|think\s+(?:about\s+it|it\s+over)|budget(?:ed)?|afford"
    r"|too\s+(?:much|expensive|dear|pricey|steep)|more\s+than\s+(?:i|we)(?:'d|\s+would|\s+had|'ve)?"
    r"|get\s+back\s+to\s+you|not\s+(?:sure|yet))\b"
)


# The most a customer will pay, said as a condition: "if it's under a hundred" (normalised "a
# 100"), "as long as it's less than 50", "if under €60".
_PRICE_BOUND_RE = re.compile(
    r"\b(?:if|as\s+long\s+as|provided)\s+(?:it's\s+|it\s+is\s+|its\s+|that's\s+)?(?:under"
    r"|less\s+than|below|no\s+more\s+than|not\s+more\s+than|max(?:imum)?|up\s+to)\s+(?:a\s+)?"
    r"(?:€|eur\s+)?(?P<amount>\d{2,4})\b"
)


# A booked time the customer cannot make, told: "I can't do evenings", "won't be able to make it".
_GIVEN_UP_RE = re.compile(
    r"\b(?:can't|cannot|can\s+no\s+longer|won't\s+be\s+able\s+to|not\s+able\s+to)\s+(?:do|make)\b"
    r"|\b(?:is|'s)\s+no\s+good\b"
)


# The time proposed, questioned: "is 10 ok or is that too early for a jab?", "is that too late?"
_TIME_QUESTIONED_RE = re.compile(
    r"\bis\s+(?:\d{1,2}(?:[:.]\d{2})?|that|it|this)\s+(?:ok|okay|alright|all\s+right|fine|too\s+\w+"
    r"|a\s+good\s+time)\b[^.!?]*\?",
    re.IGNORECASE,
)


# The ask opening a clause of pets and days: "could we do", "can i book".
_ASK_OPENING_RE = re.compile(
    r"^\s*(?:so\s+)?(?:(?:could|can|shall)\s+(?:we|i|you)\s+(?:do|book|have|get|bring)(?:\s+in)?"
    r"|please\s+book|book)\s+",
    re.IGNORECASE,
)


class Proposals(Booking):
    """A proposal waiting for a yes: a yes said with more, another pet or time meant, and the
    first free times around opening hours."""

    def services_said_before(self, names: list[str]) -> dict[str, str]:
        """Each of ``names`` with the service its own clause named in the customer's message
        before our last one (a clause naming that pet alone); empty when there is none."""
        history = self.context.history
        if len(history) < 2 or history[-1].direction is not Direction.OUTBOUND:
            return {}
        theirs = history[-2]
        if theirs.direction is not Direction.INBOUND:
            return {}
        said: dict[str, str] = {}
        for clause in PET_CLAUSE_RE.split(theirs.text):
            found = [n for n in names if re.search(rf"\b{re.escape(n.lower())}\b", clause.lower())]
            service = self.clause_service(clause) if len(found) == 1 else None
            if service is not None and found[0] not in said:
                said[found[0]] = service.key
        return said

    def clause_service(self, clause: str) -> Service | None:
        """The service one clause of the message names, if any; a check-up said without its
        "up" counts ("thistle just a general check")."""
        return self.profile.find_service(_GENERAL_CHECK_RE.sub("check up", normalise(clause)))

    def booking_for_another_pet(self) -> AgentDecision | None:
        """ "The booking on wednesday should be for Coco not Bella", "it's Cleo who needs
        seeing, not Bella": that booking given to the other pet, read back for a yes as two
        changes at its slot — the named pet's booking cancelled, the other pet booked with its
        service (the slot it frees is counted free). When the other pet is booked there
        already, the team is asked instead (nothing is moved or cancelled). None unless the
        pet ruled out has one upcoming booking (on the day said, when one is) and nothing is
        pending."""
        if self.pending is not None:
            return None
        found = _FOR_ANOTHER_PET_RE.search(self.text)
        if found is not None:
            old = found["old"] or found["old2"] or found["old3"]
            new = found["new"] or found["new2"] or found["new3"]
        else:
            # "can you swap it to Ziggy?" after "Done: Rocky is booked …": Rocky's
            instead = FOR_ANOTHER_PET_INSTEAD_RE.search(self.text)
            done = self.booking_just_done()
            if instead is None or done is None:
                return None
            old, new = done.subject.lower(), instead["new"] or instead["new2"]
            written = re.search(rf"\b{re.escape(new.capitalize())}\b", self.context.message)
            named = new in {s.lower() for s in self.subjects if is_name(s)} or written
            if not named or self.read(new).anything:
                return None  # "swap it to Friday": no pet
        booked = [b for b in self.upcoming if b.subject.lower() == old]
        if self.when.day is not None:
            booked = [b for b in booked if self.local(b.slot_start).date() == self.when.day]
        if len(booked) != 1 or not is_name(new) or new == old:
            return None
        target = booked[0]
        written = re.search(rf"\b{re.escape(new)}\b", self.context.message, re.IGNORECASE)
        name = written.group(0) if written is not None else new
        name = name if name[:1].isupper() else name.capitalize()
        when = self.say(target.slot_start)
        if not any(
            b.subject.lower() == new and b.slot_start == target.slot_start for b in self.upcoming
        ):
            decision = self.given_to(target, name)
            if decision.intent is Intent.PROPOSE_CHANGES:
                decision.reply = (
                    f"I can give {target.subject}'s appointment on {when} to {name}: "
                    f"{target.subject}'s cancelled and {name} booked in at the same time. "
                    f"{self.ask()}"
                )
                return decision
        return handed_over(
            reply=(
                f"Thanks for letting us know. I've asked the team to put the appointment on "
                f"{when} under {name} instead of {target.subject}; they'll confirm "
                f"{self.back_where()}. The time stays as it is."
            ),
            note=(
                f"The customer says the booking for {target.subject} on {when} is for {name}: "
                f"{self.context.message!r}"
            ),
        )

    def given_to(self, freed: BookingView, name: str, service: str | None = None) -> AgentDecision:
        """``freed``'s slot given to the pet ``name``: that booking cancelled and ``name``
        booked in its place with ``service`` (a key; else the booking's), proposed together
        (the slot it frees counted free)."""
        self.keep_services = True
        slot = as_utc(freed.slot_start)
        return self.several(
            [
                Plan("cancel", freed.subject, slot, freed.service, freed),
                Plan("book", name, slot, service or freed.service),
            ]
        )

    def grievance_with_request(self) -> bool:
        """A message whose only call for the team is its mood ("your website is useless … I need
        Rocky seen friday at 11") and which asks for a day and a time: the request is served, as
        a receptionist would; a person asked for, or a grievance alone, still goes to the team."""
        if self.when.day is None or self.when.clock is None:
            return False
        return not HANDOFF_RE.search(_GRIEVANCE_RE.sub(" ", self.text))

    def someone_elses_booking(self) -> AgentDecision | None:
        """A change asked for another person's pet ("my neighbour wants to cancel her dog's
        appointment, can I do it for her?"), none of the customer's booked pets named: nothing
        of theirs is proposed; the other person is told how to reach us. None otherwise."""
        text = self.text
        if not (asks_move(text) or CANCEL_RE.search(text)):
            return None
        if not _SOMEONE_ELSES_RE.search(text):
            return None
        booked = {b.subject.lower() for b in self.upcoming}
        if any(s.lower() in booked for s in self.subjects):
            return None
        phone = self.profile.phone
        reach = f"ring the clinic on {phone}" if phone else "speak to the team at the clinic"
        return reply_as(
            Intent.ANSWER,
            "I can only change appointments booked from this number, so I haven't touched any of "
            "yours. They can message or call us from the number the appointment was booked "
            f"with, or {reach}.",
        )

    def pets_kept(self) -> set[str]:
        """The booked pets (lower case) a change for "all" leaves out ("cancel everything except
        Max's", "all of them apart from Luna"); empty when the message says "all" of none."""
        if not EVERY_RE.search(self.text):
            return set()
        booked = {b.subject.lower() for b in self.upcoming}
        said = {m["who"].removesuffix("'s") for m in _EXCEPT_RE.finditer(self.text)}
        return said & booked

    def other_service(self, pending: PendingAction) -> str | None:
        """The key of another service a message names for the booking waiting for a yes, no day,
        time or pet said ("sorry I meant her nails not a checkup"); a service said not to be
        wanted does not count. None otherwise."""
        # (another service put off to later is no day or service for this one: "keep it as the
        # groom, i'll do her booster in january")
        text = _SERVICE_PUT_OFF_RE.sub(" ", self.text)
        said = self.when if text == self.text else self.read(text)
        if pending.kind != "book" or said.anything or self.subjects:
            return None
        named = self.profile.find_service(NOT_SERVICE_RE.sub(" ", text))
        if named is None or named.key == pending.service:
            return None
        return named.key

    def restates_pending(self) -> bool:
        """Whether the day or time a yes says is the proposal's own ("yes same time is fine",
        "yes, wednesday at 11 is great"): nothing to correct, so it stays a yes."""
        pending = self.pending
        if pending is None or pending.slot_start is None:
            return False
        local = self.local(pending.slot_start)
        said = merge(self.when.shifted(local), When(day=local.date(), clock=local.time()))
        return (said.day, said.clock) == (local.date(), local.time()) and said.part in (
            None,
            part_of_day(local.hour),
        )

    def names_the_proposals_service(self) -> bool:
        """Whether a short message only names the live proposal's own service again (a word
        corrected with a "*", "sorry autocorrect, check up"): no day, time, other pet or
        question, and nothing else to act on."""
        pending = self.pending
        if pending is None or pending.slot_start is None or self.when.anything:
            return False
        text = self.context.message.strip()
        if len(text.split()) > 6 or answers.is_question(self.text):
            return False
        service = self.profile.find_service(text.lstrip("*"))
        own = self.keyed_service(pending.service)
        others = [s for s in self.subjects if s.lower() != (pending.subject or "").lower()]
        return service is not None and service.key == own.key and not others

    def agrees_to_the_same(self, decision: AgentDecision) -> bool:
        """Whether ``decision`` proposes again exactly what waits for a yes (the same change,
        slot and pet) and the message agrees to it ("same time for biscit yeah", "same time is
        fine"): a yes, not the same question again. Never for a question or a no."""
        pending, proposal = self.pending, decision.proposal
        if pending is None or proposal is None or pending.slot_start is None:
            return False
        kinds = {
            Intent.PROPOSE_BOOKING: "book",
            Intent.PROPOSE_RESCHEDULE: "reschedule",
            Intent.PROPOSE_CANCEL: "cancel",
        }
        return (
            kinds.get(decision.intent) == pending.kind
            and as_utc(proposal.slot_start) == as_utc(pending.slot_start)
            and proposal.subject.lower() == (pending.subject or "").lower()
            and (proposal.booking_id or None) == (pending.booking_id or None)
            and "?" not in self.context.message
            and (
                _AGREES_RE.search(self.text) is not None
                # "just cancel it" to our "Would you like me to cancel …?"
                or (pending.kind == "cancel" and CANCEL_RE.search(self.text) is not None)
            )
            and not re.search(r"\b(?:no|not|nope|nah|instead|rather|but|don't|can't)\b", self.text)
        )

    def books_the_proposal(self) -> bool:
        """Whether a live booking proposal is asked for in booking words with nothing new ("book
        him in for that", "can you book that one?"): no day, time or other pet; what is booked
        is a pronoun, "my <anything>" or the proposal's own pet."""
        pending = self.pending
        if pending is None or pending.kind != "book" or self.when.anything:
            return False
        found = _BOOK_THE_PROPOSAL_RE.match(self.text)
        if found is None:
            return False
        what = found["what"]
        if (
            what is None
            or not re.fullmatch(r"[a-z]+", what)
            or what in {"him", "her", "them", "it", "us", "me", "that", "this"}
        ):
            return not self.subjects
        return what == (pending.subject or "").lower()

    def name_for_pending(self, pending: PendingAction) -> AgentDecision | None:
        """A pet's name alone answering a booking read back for nobody named ("thurs 3?" / "I
        can book Thursday 10 December at 15:00." / "max") or for "your dog": the same slot read
        back for that pet. None when the proposal names a pet, or the message is more than a
        name."""
        if pending.kind != "book" or pending.changes or is_name(pending.subject or ""):
            return None
        subject = pending.subject or "you"
        if (subject != "you" and not subject.startswith("your ")) or self.when.anything:
            return None  # ("for your dog" / "Rocco": the dog's name, read back)
        named = [s for s in self.subjects if is_name(s)]
        after_name = _NAME_GIVEN_RE.search(self.text)
        if not named and after_name is not None:
            # "forgot to say his name - it's Waffle": a name read as the writer's own ("it's
            # Claire") is the pet's, said after "his name"
            said = name_answer(after_name["name"])
            named = [said] if said is not None else []
        opening = _NAME_THEN_ABOUT_RE.match(self.context.message)
        if not named and opening is not None:
            # "Pudding 🐰 she's a mini lop": the name, then a word about her
            said = name_answer(opening["name"])
            named = [said] if said is not None else []
        answer = named[0] if len(named) == 1 else name_answer(self.text)
        # ("oh sorry, forgot to say his name - it's Waffle 😄": longer, and the name given)
        given = len(named) == 1 and (
            after_name is not None
            # "Pudding 🐰 she's a mini lop": the name first, then about her
            or self.context.message.strip().lower().startswith(named[0].lower())
        )
        if answer is None or (len(self.text.split()) > 4 and not given):
            return None
        # ("it's for luna, she needs her booster": the service said with the name)
        service_said = self.profile.find_service(self.text)
        return self.book(
            self.pending_when(pending),
            subject=answer,
            service_key=service_said.key if service_said is not None else pending.service,
            exact=True,
        )

    def names_only_the_pending(self) -> bool:
        """Whether every pet the message names is one of the changes waiting for a yes ("yes,
        both of them" to the cancelling of Pudding's and Treacle's)."""
        pending = self.pending
        if pending is None:
            return False
        if not pending.changes:
            # "yes just treacle" to the cancelling of Treacle's (set 131)
            held = (pending.subject or "").lower()
            return bool(held) and all(s.lower() == held for s in self.subjects)
        waiting = {c.subject.lower() for c in pending.changes}
        return all(s.lower() in waiting for s in self.subjects)

    def renames_pending(self) -> bool:
        """Whether the message names the pet of the booking read back anew ("I can book
        Thursday … for Mlou." / "sorry typo!! it's milou 🙈 yes book it"): one name, not the
        one read back nor a pet already booked (a yes for Milou is read back for Milou first,
        so the record never says Mlou)."""
        pending = self.pending
        if pending is None or pending.kind != "book" or pending.changes:
            return False
        names = [s for s in self.subjects if is_name(s)]
        said = (pending.subject or "").lower()
        booked = {k.lower() for k in self.known}
        return (
            len(names) == 1
            and is_name(pending.subject or "")
            and names[0].lower() != said
            and names[0].lower() not in booked
        )

    def yes_after_excuse_or_typo(self) -> bool:
        """A written yes behind an apology or excuse ("sorry was driving!! yes that's fine",
        "sorry only just seen this, go ahead"), with no day or time in the excuse; or a single
        yes word typed with two neighbouring letters swapped ("yse", "oaky"), while a proposal
        waits (``rapidfuzz``'s optimal string alignment: one transposition)."""
        text = self.text
        excuse = _EXCUSE_RE.match(text)
        if excuse is not None:
            rest = text[excuse.end() :]
            # (nor in what follows: "sorry was driving. 11 is fine" picks a time)
            said = self.read(text[: excuse.end()]).anything or self.when.clock is not None
            if not said and (YES_RE.match(rest) or WRITTEN_YES_RE.match(rest)):
                return True
        if self.pending is not None and self.yes_said_last():
            return True
        if self.pending is None or " " in text:
            return False
        return any(
            sorted(text) == sorted(word) and OSA.distance(text, word) == 1 for word in _YES_WORDS
        )

    def yes_said_last(self) -> bool:
        """A yes as the last sentence after others that change nothing ("they haven't got
        names yet 😂 just put kittens. yes please book them both"): no day or time said, and
        no earlier sentence that turns the proposal down, cancels or moves."""
        # (an emoji ends a sentence too: "ooh pricier than i thought 😬 ok go on then", set 228)
        parts = _EMOJI_BREAK_RE.split(self.context.message)
        sentences = [normalise(s) for part in parts for s in SENTENCE_RE.split(part)]
        sentences = [s for s in sentences if s]
        if len(sentences) < 2 or self.when.anything:
            return False
        last = sentences[-1]
        if not (YES_RE.match(last) or WRITTEN_YES_RE.match(last)):
            return False
        before = " ".join(sentences[:-1])
        return not (
            NO_RE.match(before)
            or TURNED_DOWN_RE.search(before)
            or CANCEL_RE.search(before)
            or asks_move(before)
            or BUT_RE.search(before)
        )

    def again_from_our_offer(self) -> AgentDecision | None:
        """A yes with nothing pending right after our own message proposing a day and time
        ("Thursday 10 December at 17:00 for Oscar. Shall I book it?"; the offer has lapsed, or
        was made elsewhere): that slot proposed afresh, for a yes, rather than asking what they
        want. None when our last message proposed no one slot."""
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        last = history[-1].text
        if (
            answered_only(last)
            and len(history) >= 3
            and history[-2].direction is Direction.INBOUND
            and history[-3].direction is Direction.OUTBOUND
            and "YES" in history[-3].text
        ):
            # "before i say yes, how much is it?" / our answer / "perfect, yes go ahead 👍"
            # (set 185): the offer before the answer
            last = history[-3].text
        if re.search(r"\bWhen would you like (?:it instead|to move)\b", last):
            # "The appointment for Boots is already on Monday … at 09:30. When would you like it
            # instead?" / "yes please, sorry!" (set 233): a time is asked, no slot offered
            return None
        # ("… is tomorrow, Tuesday 8 December, at 08:30": the day and time said apart)
        ours = _day_and_time_together(last)
        # a question, "Reply YES", or a reminder's "Reply to confirm"
        # (not "they'll confirm here": the team's word to come, nothing asked of the customer)
        confirm = re.search(r"\b(?:to|you)\s+confirm\b", ours, re.IGNORECASE)
        if "?" not in ours and "YES" not in ours and not confirm and not defined_tokens(ours):
            return None
        offered = [m for m in OFFERED_RE.finditer(ours) if m["day"]]
        moved = _MOVE_OFFERED_RE.search(ours)
        if len(offered) == 2 and moved is not None:
            # "I can move Bailey's consultation from Wednesday 9 December at 11:00 to Friday 11
            # December at 11:00. Shall I move it?" / "yes go ahead pls": that move, afresh
            start = self.read(normalise(offered[0].group(0))).at(self.local_now)
            held = [
                b for b in self.upcoming if start is not None and self.local(b.slot_start) == start
            ]
            if len(held) == 1:
                decision = self.book(self.read(normalise(offered[1].group(0))), moving=held[0])
                if decision.proposal is not None:
                    decision.reply = f"Sorry, nothing is changed yet. {decision.reply}"
                return decision
        if len(offered) != 1:
            return None
        when = self.read(normalise(offered[0].group(0)))
        if when.day is None or when.clock is None:
            return None
        pets = [p for p in self.pets_in(ours, known=self.known, transcript=False) if is_name(p)]
        for booked in self.upcoming:
            slot = self.local(booked.slot_start)
            if pets and booked.subject.lower() not in {p.lower() for p in pets}:
                # ("I can book … at 14:30 for Fudge" beside Marble's 14:30: Fudge's offer, set
                # 228)
                continue
            if (slot.date(), slot.time()) == (when.day, when.clock) and _CANCEL_OFFERED_RE.match(
                ours
            ):
                # "I can cancel Pudding's vaccination on Thursday … Reply YES to confirm." /
                # "ugh ok go on then" with the read-back lapsed (set 228): the cancellation
                # proposed afresh, never "see you on Thursday"
                return cancel_read_back(
                    booked,
                    f"Sorry, nothing is cancelled yet. I can cancel the appointment"
                    f"{for_(booked.subject)} on {self.say(booked.slot_start)}. {self.ask()}",
                )
            if (slot.date(), slot.time()) == (when.day, when.clock):
                # Our message named a slot already booked (a reminder: "Reply YES to confirm"):
                # the yes keeps that booking; proposing it afresh would book it twice.
                return reply_as(
                    Intent.ASK_BOOKING,
                    f"Thanks, that's confirmed: see you on {self.say(booked.slot_start)}"
                    f"{for_(booked.subject)}.",
                )
        offered_service = re.search(r"\(([a-z ]+)\)", ours)  # "for Nala (grooming)"
        service = self.profile.find_service(offered_service[1]) if offered_service else None
        if service is None:
            # "I can book Rolo's vaccination on Wednesday …", else the request it answered
            service = self.profile.find_service(normalise(ours))
            request = self.request_before_ours() if service is None else None
            if request is not None:
                service = self.profile.find_service(normalise(request.context.message))
        decision = self.book(
            when, subject=join(pets) or None, service_key=service.key if service else None
        )
        if decision.proposal is not None:
            decision.reply = f"Sorry, nothing is booked yet. {decision.reply}"
        return decision

    def what_they_said(self) -> AgentDecision | None:
        """The customer's own earlier words asked back ("what did I say was wrong with him?"):
        their last message before this one that says something (not a yes, a thanks or a bare
        day and time), quoted. None when the conversation holds none."""
        for turn in reversed(self.context.history):
            if turn.direction is not Direction.INBOUND or not turn.text.strip():
                continue
            said = normalise(turn.text)
            if YES_RE.match(said) or NO_RE.match(said) or THANKS_ONLY_RE.match(said):
                continue
            if len(said.split()) < 4 or WHAT_I_SAID_RE.search(said):
                continue
            return reply_as(Intent.ANSWER, f'You told us: "{turn.text.strip()}"')
        return None

    def unclear_on_a_call(self) -> AgentDecision:
        """A call's turn not understood with no question of ours open. Right after our own
        "Sorry, I didn't catch that. ..." a short question rather than the menu, which is long
        to listen to and, in the calls eval, was spoken after a misheard "yes please" and a
        misheard correction (issue 9): a yes and a word or two ("Yes, leave.") is a yes to
        nothing; a change ("make it ... instead") is asked its day and time; after "Could you
        say it again?" (a turn with nothing heard) the question we asked before it, again.
        Otherwise (nothing of ours yet, a question asked twice already) the menu."""
        ours = [t.text.strip() for t in self.context.history if t.direction is Direction.OUTBOUND]
        if not ours or not ours[-1].startswith(_NOT_CAUGHT):
            return reply_as(Intent.OTHER, UNCLEAR)
        if SPOKEN_YES_RE.match(self.text):
            return reply_as(Intent.CLARIFY, NOTHING_TO_CONFIRM)
        if TURNED_DOWN_RE.search(self.text):
            return reply_as(
                Intent.CLARIFY,
                f"{_NOT_CAUGHT} Which day and time would you like instead?",
            )
        if ours[-1] != f"{_NOT_CAUGHT} {SAY_AGAIN}":
            return reply_as(Intent.OTHER, UNCLEAR)  # that question twice already: the menu
        before = [line for line in ours[:-1] if line != ours[-1]]
        said = before[-1] if before else ""
        end = said.rfind("?")
        if end < 0 or said.startswith("Sorry, I didn't"):
            return reply_as(Intent.CLARIFY, f"{_NOT_CAUGHT} What would you like to book or change?")
        start = max(said.rfind(". ", 0, end), said.rfind("! ", 0, end))
        return reply_as(
            Intent.CLARIFY, f"{_NOT_CAUGHT} {said[start + 2 :] if start >= 0 else said}"
        )

    def answering_too(self, decision: AgentDecision) -> AgentDecision:
        """``decision`` with the answer to a question about the business asked in the same
        message put first ("…friday at 10, and how much will that be?"). Not a question about
        opening hours when the slot cannot be had: the reply already says why, with other times;
        but when we ask for the time ("what time do you close today? can I bring luna in before
        then"), the hours are what the customer needs to answer."""
        text = self.text
        checked = self.price_said_back(decision)
        if checked is not None:
            return decision.model_copy(update={"reply": f"{checked} {decision.reply}"})
        if not answers.is_question(text):
            return decision
        if (
            decision.reply.startswith("Sorry")
            and answers.about_hours(text)
            # (but "outside our opening hours" does not say when we open: "how early do you
            # open tomorrow? … like 8")
            and "outside our opening hours" not in decision.reply
        ):
            return decision
        asked = self.when.open_asked
        opened = OPEN_ON_DAY_RE.search(text)
        # ("I work mon-fri … football saturday mornings, are you open sundays?": Sundays)
        of = self.read(opened.group(0)) if opened is not None else self.when
        # ("are you open saturday afternoon? if not saturday morning's fine, …": the part of
        # the day asked is the question's, set 170)
        question = text
        if opened is not None:
            question = next(
                (
                    normalise(q)
                    for q in re.split(r"(?<=\?)", self.context.message)
                    if OPEN_ON_DAY_RE.search(normalise(q))
                ),
                text,
            )
        said = (
            answers.open_now(self.profile, self.local_now)
            if answers.asks_open_now(text)
            else answers.answer(
                question,
                self.profile,
                part=of.part if opened is not None else None,
                day=asked or of.day,
                weekday=None if asked else weekday_asked(of),
            )
        )
        if said is None or said in decision.reply:
            return decision
        over = self.over_budget(decision)
        if over is not None:
            # "what do you charge for a dental clean? If it's under a hundred I'll get Rusty
            # booked in" (€120): nothing read back for a yes the customer said they would not
            # give (set 144)
            offer = decision.reply.replace(" Reply YES to confirm.", "")
            return reply_as(
                Intent.ANSWER,
                f"{said} That's more than the €{over} you mentioned, so nothing is booked. If "
                f"you'd like it anyway, {offer} Just say yes.",
            )
        return decision.model_copy(update={"reply": f"{said} {decision.reply}"})

    def over_budget(self, decision: AgentDecision) -> int | None:
        """The most the customer said they would pay, when the booking ``decision`` proposes
        costs more ("if it's under a hundred I'll get Rusty booked in" for a €120 dental); None
        when no such bound is said, or the service is within it."""
        bound = _PRICE_BOUND_RE.search(self.text)
        proposals = decision.proposals or ([decision.proposal] if decision.proposal else [])
        if bound is None or not proposals:
            return None
        limit = int(bound["amount"])
        for proposal in proposals:
            price = re.search(r"\d+", self.keyed_service(proposal.service).price)
            if price is not None and int(price.group(0)) > limit:
                return limit
        return None

    def price_said_back(self, decision: AgentDecision) -> str | None:
        """The answer to a price said back to be checked in a sentence of its own beside the
        request ("is it still €55 for a booster? … if so can Pepper have hers friday at 9"):
        yes or no and the profile's price of the service proposed (or named there); None
        when no sentence checks a price."""
        for part in YES_AND_QUESTION_SPLIT_RE.split(self.context.message):
            amount = answers.price_check(part) if part else None
            if amount is None:
                continue
            named = self.profile.find_service(normalise(part))
            proposed = decision.proposal.service if decision.proposal is not None else None
            service = named or self.service(proposed)
            return answers.price_checked(amount, service)
        return None

    def asked_too(self, decision: AgentDecision) -> AgentDecision:
        """``decision`` (a move or a cancellation) with the answer to a question about the
        business asked in a clause of its own put first ("cancel bellas appt on friday and what
        are ur hours on saturday?"): the question's day is its own, not the booking's."""
        fee = self.change_fee_said(decision)
        if fee is not None:
            return decision.model_copy(update={"reply": f"{fee} {decision.reply}"})
        message = self.context.message
        if self.kept:  # "leave max where he is" asks nothing
            message, _ = without_pets_kept(message, self.kept, whole=False, known=True)
        parts = [
            normalise(p)
            for clause in YES_AND_QUESTION_SPLIT_RE.split(message)
            # "tell me the address and move max to thursday at 11": two requests
            for p in _AND_REQUEST_RE.split(clause)
        ]
        asked = [
            p
            for p in parts
            if p
            # "will I be charged?" beside the change asks what the change costs
            # ("… and is it still 45€?": an amount asked back, its "?" normalised away)
            and (answers.is_question(p) or _COST_ASKED_RE.search(p) or answers.asks_price(p))
            and not CANCEL_RE.search(p)
            and not MOVE_RE.search(p)
            and not self.read(p).clock
        ]
        if len(parts) < 2 or not asked:
            return decision
        question = " ".join(asked)
        if OWED_RE.search(question):
            # "cancel tomorrow's … also how much do i owe for last time": not the price list
            bills = "I can't see bills from here: the team can tell you what is owed at the clinic."
            return decision.model_copy(update={"reply": f"{bills} {decision.reply}"})
        about = self.read(question)
        service = None
        if self.profile.find_service(question) is None and not _PAYING_HOW_RE.search(question):
            # "Cancel Max, is there a fee?": a fee asked beside the change is the change's (the
            # cancellation policy), not the price list (but not "can i pay by contactless?",
            # how one pays: set 196)
            change = "cancel" if decision.intent is Intent.PROPOSE_CANCEL else "move"
            question = f"{change} {question}"
            # ("move Max's dental … how long will he be in for?": the dental's length)
            changed = decision.proposal.service if decision.proposal is not None else None
            # (else the one other service the message names: "… cancel Thumper's on Friday.
            # … get his nails clipped, how much is it?": the grooming's price)
            others = [
                s for s in answers.services_named(self.text, self.profile) if s.key != changed
            ]
            if len(others) == 1:
                service = others[0]
            elif changed and not others:
                service = self.keyed_service(changed)
        said = answers.answer(
            question,
            self.profile,
            day=about.day,
            weekday=weekday_asked(about),
            part=about.part,
            service=service,
        )
        if said is None or said in decision.reply:
            return decision
        return decision.model_copy(update={"reply": f"{said} {decision.reply}"})

    def change_fee_said(self, decision: AgentDecision) -> str | None:
        """The cancellation policy, when the message asks whether the change it asks for costs
        anything ("is it free to move an appointment? coco's booked in thursday at 10"), with
        what it means for the booking changed: free when it is more than 24 hours away, else
        the team says what applies. None when no such question is asked or there is no
        policy (business/profile.yaml ``policies.cancellation``)."""
        policy = self.profile.policies.get("cancellation")
        if policy is None or not _CHANGE_FEE_RE.search(self.text):
            return None
        proposal = decision.proposal
        booking_id = proposal.booking_id if proposal is not None else None
        booking = self.upcoming_by_id(booking_id)
        if booking is None:
            pointed = self.narrowed_to_one(self.targets()) if self.upcoming else []
            booking = pointed[0] if len(pointed) == 1 else None
        return policy if booking is None else f"{policy} {self.charge_said_for(booking)}"

    def charge_said_for(self, booking: BookingView) -> str:
        """What the cancellation policy (free up to 24 hours before) means for ``booking``:
        no charge when it is more than 24 hours away, else the team says what applies."""
        which = f"The appointment{for_(booking.subject)} on {self.say(booking.slot_start)}"
        if as_utc(booking.slot_start) - self.now >= timedelta(hours=24):
            return f"{which} is more than 24 hours away, so there's no charge."
        return f"{which} is less than 24 hours away, so the team can tell you what applies."

    def times_each(self, names: list[str]) -> tuple[dict[str, When], dict[str, str]]:
        """Each of ``names`` with the time its own clause gives ("max and bella at 11 and coco
        at quarter past", "max for a groom and bella for a checkup on friday at 10 and 10.45"),
        and the service key each one's clause names; pets without a time of their own are
        left out."""
        pairs: dict[str, When] = {}
        # the service each pet's clause names ("Max for a checkup ... and Luna for her jab")
        services: dict[str, str] = {}
        listed: list[str] = []  # pets named alone, then "and" the clause with their time
        # (a line each: "juniper - full groom, 2pm" / "kobe - vaccine, 4.30?", set 141)
        message = _HEADED_LINE_RE.sub(
            lambda m: f"{m['name']} {m['rest'].replace(',', ' ')}", self.context.message
        )
        pieces = re.split(f"({PET_CLAUSE_RE.pattern}|\n)", message, flags=re.I)
        booked = {b.subject.lower() for b in self.upcoming}
        hour: int | None = None  # the hour of the time said last
        dated: tuple[list[str], When] | None = None  # pets of a day without a time, just said
        for n, clause in enumerate(pieces[::2]):
            joined = n > 0 and pieces[2 * n - 1].strip().lower() == "and"
            listed = listed if joined else []
            joined_pets: list[str] = []  # the pets given this clause's time
            said = self.read(normalise(clause))
            past = _PAST_THE_HOUR_RE.search(normalise(clause))
            if said.clock is None and past is not None and hour is not None:
                # "max and bella at 9 and coco at quarter past": past the hour said before
                said = replace(said, clock=time(hour, 15 if past["part"] == "quarter" else 30))
            if said.clock is not None:
                hour = said.clock.hour
            found = [
                s
                for s in self.pets_in(clause, known=names, transcript=self.voice)
                if is_name(s)
                # ("pebble at 3 with maple then": Maple, booked then, is no pet to book)
                and not (
                    s.lower() in booked
                    and re.search(rf"\bwith\s+{re.escape(s.lower())}\b", normalise(clause))
                )
            ]
            if said.clock is None:
                # (the clause's own sentence: "ah ok no worries. pip" / "and squeak at 10")
                tail = re.split(r"[.!?]", clause)[-1]
                # ("… thistle just a general check. clover" / "and bramble at 2pm": the pets of
                # the clause's last sentence, set 137)
                in_tail = [
                    s for s in found if re.search(rf"\b{re.escape(s.lower())}\b", tail.lower())
                ]
                alone = in_tail and len(normalise(tail).split()) == len(in_tail)
                # ("If so I'd like Rolo" / "and" / "Fudge (dogs) in … on Saturday at 10": the pet
                # ending its clause, joined to the next, set 141)
                joins_next = 2 * n + 1 < len(pieces) and pieces[2 * n + 1].strip().lower() == "and"
                ending = [
                    s for s in in_tail if re.search(rf"\b{re.escape(s.lower())}\W*$", tail.lower())
                ]
                if not alone and joins_next and len(ending) == 1:
                    in_tail, alone = ending, True
                listed = [*listed, *in_tail] if alone else []
                # "a dental for Maisie on friday morning, 9 if you have it": her day, and the
                # time in the clause after it
                dated = (found, said) if found and (said.day or said.part) else None
            else:
                joined_pets = [*listed, *found] if found else []
                for pet in joined_pets:
                    # "max and bella at 11 and coco at 12": the time is each pet's of its clause
                    pairs.setdefault(pet, replace(said, day=said.day or self.when.day))
                if dated is not None and not found:
                    pets, their = dated
                    for pet in pets:
                        day = said.day or their.day or self.when.day
                        pairs.setdefault(pet, replace(their, day=day, clock=said.clock))
                listed = []
                dated = None
            # its service may be said in a clause of its own ("biscuit for his booster and
            # pepper for a nail trim on sat? biscuit at 10 and pepper 10:30")
            named = self.clause_service(clause)
            # ("olive and basil need their boosters and sage needs a check up": both of the
            # clause's pets have its service)
            if found and named is not None and not any(f in services for f in found):
                services.update({f: named.key for f in found})
            if said.clock is not None and named is not None:
                # ("I'd like Rolo" / "and" / "Fudge (dogs) in for their annual boosters on
                # Saturday at 10": the pets listed before have it too, set 141)
                services.update({f: named.key for f in joined_pets if f not in services})
        listed_times = _TIMES_LISTED_RE.search(self.text)
        if len(pairs) < 2 and len(names) == 2 and listed_times is not None:
            # "max for a groom and bella for a checkup on friday at 10 and 10.45": the times in
            # the order of the pets
            clocks = [self.read(f"at {listed_times[k]}").clock for k in ("first", "second")]
            if all(clocks):
                pairs = {
                    name: replace(self.when, clock=clock)
                    for name, clock in zip(names, clocks, strict=True)
                }
        return pairs, services

    def each_at_own_time(self) -> AgentDecision | None:
        """Several pets, each with a time of its own ("could Rex come wed 10am and Bella wed
        10:30?"): a booking for each, proposed together (``several``), never one time for all
        of them. None when the message gives one time (or pets without times of their own)."""
        names = [s for s in self.subjects if is_name(s)]
        if len(names) < 2:
            return None
        pairs, services = self.times_each(names)
        # ("Dolly needs a dental and Peanut a check up, … thursday morning?" / our times / "the
        # old girl at half 8 and the pup at 10": each pet's service said before, set 148)
        services = {**self.services_said_before(names), **services}
        # (a pet's time that is its own booking's is told, not asked: "Could I book Clover … at
        # half past 3? Salem and Mittens are in at 3 so I'll be there anyway")
        told = self.pets_told_booked()
        pairs = {name: when for name, when in pairs.items() if name.lower() not in told}
        # one time for all of them is one booking each at that time, not this; the same hour on
        # two days ("Pickle thursday at 10 and Ziggy friday at 10") is a time each
        if len(pairs) < 2 or len({(w.day, w.clock) for w in pairs.values()}) < 2:
            return None
        self.keep_services = len(set(services.values())) > 1
        plans: list[Plan] = []
        for name, when in pairs.items():
            if self.replacing is not None and self.replacing[0] == name.lower():
                start = when.at(self.local_now)
                new = self.replacing[1]
                when = merge(new.shifted(start) if start else new, when)
                self.replacing = None  # applied: ``several`` must not move it again
            decision = self.book(when, subject=name)
            if decision.proposal is None:
                # that pet's day or time is missing or not free: said why, naming the pet
                if decision.reply.startswith("Sorry,"):
                    decision.reply = f"For {name}: {decision.reply}"
                return decision
            proposal = decision.proposal
            service = services.get(name, proposal.service) if self.keep_services else None
            plans.append(Plan("book", name, proposal.slot_start, service or proposal.service))
        decision = self.several(plans)
        if decision.intent is Intent.PROPOSE_CHANGES and self.keep_services:
            # services of their own read back with each, as ``each_own_service`` does: a
            # booster and a nail trim are not one visit
            each = [
                f"{p.subject} ({self.profile.service(p.service or '').name}) for {p.said}"
                for p in decision.proposals
            ]
            decision.reply = f"I can book {and_listed(each)}. {self.ask()}"
        return decision

    def days_each(self, message: str, names: list[str]) -> dict[str, When]:
        """Each of ``names`` with the day (and time, part) its own clause of ``message`` gives:
        "otto in tuesday at 10 and mabel thursday afternoon", "ozzy tuesday and bear
        wednesday"; pets whose clause gives no day are left out."""
        days: dict[str, When] = {}
        waiting: str | None = None  # the pet of the last clause, its day said without a time
        asked = {p.lower() for p in self.requested_pets()}
        not_asked = {s.lower() for s in self.subjects} | people_in(message)
        for clause in re.split(f"{PET_CLAUSE_RE.pattern}|\n|(?<=[.])\\s+", message, flags=re.I):
            if not clause or not clause.strip():
                continue
            # ("could we do nutmeg wed 9.30, cinnamon wed at 10 …": the pet after the ask)
            clause = _ASK_OPENING_RE.sub("", clause)
            found = [
                s for s in self.pets_in(clause, known=names, transcript=self.voice) if is_name(s)
            ]
            said = self.read(normalise(clause))
            # (a pet the whole message reads no name for, its clause alone does: "ozzy tuesday
            # and bear wednesday")
            if (
                len(found) == 1
                and said.day is not None
                and self.may_be_asked_for(found[0], message, asked, not_asked)
            ):
                days.setdefault(found[0], said)
                waiting = found[0] if said.clock is None else None
            elif not found and said.clock is not None and waiting is not None:
                # "a dental for Maisie on friday morning, 9 if you have it": her time, in the
                # clause after her day
                days[waiting] = replace(days[waiting], clock=said.clock, part=None)
                waiting = None
            elif found:
                waiting = None
        return days

    @staticmethod
    def may_be_asked_for(pet: str, message: str, asked: set[str], not_asked: set[str]) -> bool:
        """Whether ``pet``, read from a clause of ``message`` alone, may be a pet asked for: one
        the whole message asks something for (``asked``, lower case), or a name the whole
        message could not read because it is written in lower case ("ozzy tuesday and bear
        wednesday"), never one it read otherwise nor a person (``not_asked``: "our pet sitter
        Julie … Julie will bring her")."""
        if pet.lower() in asked:
            return True
        if pet.lower() in not_asked:
            return False
        return re.search(rf"\b{re.escape(pet.lower())}\b", message) is not None

    def each_on_own_day(self) -> AgentDecision | None:
        """Several pets, each on a day of its own ("otto in tuesday at 10 and mabel thursday
        afternoon", "ozzy tuesday and bear wednesday. what times have you got?", set 188), or
        the times answering our question about them ("ozzy 11.15 and bear 4.30pm"): each
        booked on its own day, proposed together when every pet has a time, else the times
        of the days still without one asked. Never one day for all of them. None when fewer
        than two pets have days of their own, or the days are one."""
        names = [s for s in self.subjects if is_name(s)]
        history = self.context.history
        days = self.days_each(self.context.message, names)
        if len({w.day for w in days.values()}) < 2 and len(history) >= 2:
            # the request before our question, its days, and this message's times
            if history[-1].direction is not Direction.OUTBOUND:
                return None
            if history[-2].direction is not Direction.INBOUND:
                return None
            before = history[-2].text
            known = [
                s for s in self.pets_in(before, known=self.known, transcript=False) if is_name(s)
            ]
            days = self.days_each(before, known)
            if len({w.day for w in days.values()}) < 2:
                return None
            if not set(n.lower() for n in names) <= {k.lower() for k in days}:
                return None
            clocks, _ = self.times_each(list(days)) if len(names) >= 2 else ({}, {})
            if len(names) == 1 and self.when.clock is not None:
                clocks = {names[0]: self.when}
            days = {
                pet: replace(w, clock=clocks[pet].clock)
                if pet in clocks and clocks[pet].clock
                else w
                for pet, w in days.items()
            }
        # (new visits only: "rolo's wednesday is fine. fudge's friday one to thursday at 11"
        # changes a booking, which this does not)
        booked = {b.subject.lower() for b in self.upcoming}
        if any(pet.lower() in booked for pet in days):
            return None
        if len(days) < 2 or len({w.day for w in days.values()}) < 2:
            return None
        _, services = self.times_each(list(days))
        services = {**self.services_said_before(list(days)), **services}
        one = self.profile.find_service(self.text)
        keys = {pet: services.get(pet) or (one.key if one else None) for pet in days}
        missing = [pet for pet, w in days.items() if w.clock is None]
        if missing:
            asked = []
            for pet in missing:
                service = self.keyed_service(keys[pet])
                when = days[pet]
                assert when.day is not None
                free = [
                    self.local(s)
                    for s in self.free_starts(when.day, service, None)
                    if when.part is None or part_of_day(self.local(s).hour) == when.part
                ]
                times = spread_over([f.strftime("%H:%M") for f in free], 4)
                if not times:
                    return None
                asked.append(f"for {pet} on {when.day:%A %-d %B} I have {or_listed(times)}")
            said = "; ".join(asked)
            return reply_as(
                Intent.CLARIFY, f"What time would suit you? {said[:1].upper()}{said[1:]}."
            )
        plans: list[Plan] = []
        for pet, when in days.items():
            key = keys[pet]
            decision = self.book(when, subject=pet, service_key=key, exact=key is not None)
            if decision.proposal is None:
                if decision.reply.startswith("Sorry,"):
                    decision.reply = f"For {pet}: {decision.reply}"
                return decision
            proposal = decision.proposal
            plans.append(Plan("book", pet, proposal.slot_start, proposal.service))
        self.keep_services = True
        return self.several(plans)

    def pets_after(self, request: str, names: list[str]) -> set[str]:
        """Of ``names``, the pets whose own clause of ``request`` says they come straight after
        the one before ("Max at 10 … and Willow straight after", "Bella right after him")."""
        after: set[str] = set()
        said = normalise(request)
        for clause in _PETS_CLAUSE_RE.split(request):
            found = [
                s for s in self.pets_in(clause, known=names, transcript=self.voice) if is_name(s)
            ]
            if len(found) == 1 and STRAIGHT_AFTER_RE.search(normalise(clause)):
                together = any(
                    re.search(
                        rf"\b{re.escape(n.lower())}\s+(?:and|&)\s+{re.escape(found[0].lower())}\b",
                        said,
                    )
                    for n in names
                )
                behind = re.search(r"\bafter(?:wards)?\s+(\w+)", normalise(clause))
                lowered = {n.lower() for n in names}
                others_booked = any(b.subject.lower() not in lowered for b in self.upcoming)
                if behind is None or behind[1] in lowered or not others_booked:
                    # "Thumper and Mittens straight after", "Max and Bella right after him"
                    # (no other pet booked for "him" to be): one after the other
                    together = False
                if not together:  # "can willow and mabel go straight after her": both after Poppy
                    after.add(found[0])
        return after

    def each_own_service(self) -> AgentDecision | None:
        """Several pets at one time, each with a service of its own ("a nail trim for Max and a
        checkup for Luna, friday 3pm"): a booking for each at that time with its service,
        proposed together; never one pet's service for all. None unless each pet's clause
        names one service, at least two differ, and a day and a time are said."""
        names = [s for s in self.subjects if is_name(s)]
        # (not a pet only told about: "Bruno was in with you in September for his jab … could
        # Tigger come in tomorrow at 4? … Bruno can stay at home")
        asked = {n.lower() for n in self.requested_pets()}
        names = [n for n in names if n.lower() in asked] or names
        when = self.when
        request = self.context.message
        history = self.context.history
        if (
            len(names) < 2
            and when.clock is not None
            and len(history) >= 2
            and history[-1].direction is Direction.OUTBOUND
            and history[-2].direction is Direction.INBOUND
            and (
                ASKED_WHEN_RE.search(history[-1].text)
                or (
                    answered_only(history[-1].text)
                    and re.search(r"\b(?:them|both|they|all)\b", self.text)
                    and not answers.services_named(self.text, self.profile)
                )
            )
        ):
            # "buddy for a groom and misty for a check up, saturday morning?" / "What time…?" /
            # "10am for both": the request's pets and services, at the time answered; "how
            # much is a check-up for Biscuit and a jab for Gravy?" / (prices) / "ok can you
            # book them both on thursday at 11.30": the pets and services priced
            request = history[-2].text
            for turn in reversed(history[-6:-1]):
                # "simba for a groom and kiara for a check up" / "Which day …?" / "tuesday next
                # week?" / "What time …?" / "both at 2pm?": the request that named them
                if turn.direction is Direction.INBOUND and (
                    len(answers.services_named(normalise(turn.text), self.profile)) > 1
                ):
                    request = turn.text
                    break
            names = [
                s
                for s in self.pets_in(request, known=self.known, transcript=self.voice)
                if is_name(s)
            ]
            when = merge(when, self.day_from_history())
        if len(names) < 2 or when.day is None or when.clock is None:
            return None
        services: dict[str, str] = {}
        waiting: list[str] = []  # pets named in a clause of their own with no service yet
        after = self.pets_after(request, names)
        # (a pet waits for a service within its own sentence: "Bruno is 13 and Pip's 2. Could
        # Bruno have a dental …, and Pip get his nails done": Pip's is no dental)
        clauses = [
            (n == 0, clause)
            for sentence in re.split(r"(?<=[.!?])\s+|\n+", request)
            for n, clause in enumerate(_PETS_CLAUSE_RE.split(sentence))
        ]
        # each pet's own time, said in its clauses ("Ralph needs a groom at 10, and my dog
        # Teddy needs his booster, can he come at 11?": Teddy at 11, not both at 10)
        own_clock: dict[str, time] = {}
        last_found: list[str] = []
        for first, whole in clauses:
            if first:
                waiting = []
            if not whole.strip():
                continue  # (", and he needs …": nothing between the comma and the "and")
            # "Benji's check up straight after Archie's groom": Archie's groom is the bound
            clause = re.split(r"\b(?:straight|right|just)?\s*(?:after|before)\s+\w+'s\b", whole)[0]
            found = [
                s for s in self.pets_in(clause, known=names, transcript=self.voice) if is_name(s)
            ]
            clock = self.read(normalise(clause)).clock
            if clock is not None:
                if len(found) == 1:
                    own_clock.setdefault(found[0], clock)
                elif (
                    not found
                    and len(last_found) == 1
                    and re.search(r"\b(?:he|she|it|him|her)\b", normalise(clause))
                ):
                    own_clock.setdefault(last_found[0], clock)
            last_found = found or last_found
            named = self.clause_service(clause)
            if named is None and found and _LOOKED_AT_RE.search(normalise(clause)):
                # "peanut (hamster) hasn't been eating much, can someone look at him": unwell,
                # so the visit is the default one (the consultation), never the other pet's
                named = self.profile.service()
            if found and named is None:
                # only a pet named on its own waits for the next clause's service ("olive and
                # basil need their boosters"), not one said with more ("Chloe will bring Peanut
                # and Oreo on wednesday at 4 - Peanut for a jab and Oreo for his nails")
                bare = len(normalise(clause).split()) <= len(found) + 1
                waiting = [f for f in found if f not in services] if bare else []
                continue
            # ("olive and basil need their boosters and sage needs a check up": Olive, split
            # off by "and", has Basil's service)
            if len(found) == 1 and named is not None and found[0] not in services:
                services.update({f: named.key for f in [*waiting, found[0]] if f not in services})
            elif not found and named is not None and re.search(r"\b(?:he|she|it)\b", clause):
                # "a puppy, Nugget, and he needs his first vaccinations": his
                services.update({f: named.key for f in waiting if f not in services})
            waiting = []
        if set(services) != set(names) or len(set(services.values())) < 2:
            return None
        plans: list[Plan] = []
        if len(set(own_clock.values())) < 2:
            own_clock = {}  # one time for all, said once: the time said
        for name in names:
            own = replace(when, clock=own_clock[name]) if name in own_clock else when
            bound = re.search(
                rf"\b{re.escape(name)}\b[^.!?,]*?\bafter\s+(\w+)'s", request, re.IGNORECASE
            )
            # "… and Benji's check up straight after Archie's groom": when Archie's ends
            host = next(
                (p for p in plans if bound is not None and p.subject.lower() == bound[1].lower()),
                None,
            )
            in_a_row = IN_A_ROW_RE.search(self.text) is not None and name not in own_clock
            if (name in after or host is not None or in_a_row) and plans:
                # "Max at 10 … for a check-up and Willow straight after for her nails": when
                # the pet before ends ("… one after the other? I can be there for 9", set 184)
                before = host or plans[-1]
                length = self.keyed_service(before.service).duration_minutes
                ends = self.local(before.slot) + timedelta(minutes=length)
                own = replace(when, day=ends.date(), clock=ends.time(), part=None)
            decision = self.book(own, subject=name, service_key=services[name])
            if decision.proposal is None:
                if decision.reply.startswith("Sorry,"):
                    decision.reply = f"For {name}: {decision.reply}"
                return decision
            plans.append(Plan("book", name, decision.proposal.slot_start, services[name]))
        self.keep_services = True
        decision = self.several(plans)
        if decision.intent is Intent.PROPOSE_CHANGES:
            made = decision.proposals
            each = [f"{p.subject} ({self.keyed_service(p.service).name})" for p in made]
            if len({as_utc(p.slot_start) for p in made}) == 1:
                said = self.say(made[0].slot_start)
                decision.reply = f"I can book {and_listed(each)} for {said}. {self.ask()}"
            elif len({self.local(p.slot_start).date() for p in made}) == 1:
                # the slot's places filled, the last pet at the next free time ("sage straight
                # after"): each read back at its own time
                day = self.local(made[0].slot_start).strftime("%A %-d %B")
                timed = [
                    f"{who} at {self.local(p.slot_start):%H:%M}"
                    for who, p in zip(each, made, strict=True)
                ]
                decision.reply = f"I can book on {day}: {and_listed(timed)}. {self.ask()}"
        return decision

    def follow_up_answer(self) -> AgentDecision | None:
        """A short follow-up to the question about the business we just answered, read with
        that question's service and day: "how much is a dental clean?" / "and how long does
        that take?"; "what time do you close today?" / "and on saturday?". None when the
        message is not one (it asks for a time, names a pet, or we did not just answer)."""
        history = self.context.history
        if (
            self.pending is not None
            or len(history) < 2
            or history[-1].direction is not Direction.OUTBOUND
            or history[-2].direction is not Direction.INBOUND
            or "?" in history[-1].text
            or self.when.clock is not None
            or self.subjects
            or BOOKING_WORD_RE.search(self.text)
        ):
            return None
        named = self.profile.find_service(self.text)
        if (
            history[-1].text.startswith("Our prices:")
            and named is not None
            and len(self.text.split()) <= 3
            and not self.when.anything
        ):
            # "price?" / our price list / "jab": that one's price and length
            said = answers.answer(f"how much is a {named.name}", self.profile)
            if said is not None:
                return reply_as(Intent.ANSWER, said)
        before = normalise(history[-2].text)
        if (
            _TILL_WHEN_RE.match(before)
            and len(history) >= 4
            and history[-4].direction is Direction.INBOUND
        ):
            # "are you open on saturday?" / … / "till what time?" / … / "and sunday?": the
            # question the follow-ups follow
            before = normalise(history[-4].text)
        if not answers.is_question(before):
            return None
        elliptical = _FOLLOW_UP_RE.match(self.text) is not None
        refers = re.search(r"\b(?:that|it|this|they|those)\b", self.text) is not None
        asking = answers.is_question(self.text)
        if _TILL_WHEN_RE.match(self.text) and answers.is_question(before):
            # "are you open on saturday?" / "Yes, … 09:00-13:00." / "till what time?": our
            # closing time that day
            earlier = self.read(before)
            said = answers.answer(
                "what time do you close",
                self.profile,
                day=earlier.day,
                weekday=earlier.day.weekday() if earlier.day is not None else None,
            )
            return reply_as(Intent.ANSWER, said) if said is not None else None
        if not (elliptical or (asking and refers)):
            return None
        service = self.profile.find_service(self.text) or self.profile.find_service(before)
        earlier = self.read(before)
        day = self.when.day or (earlier.day if asking else None)
        if not asking and day is None and self.profile.find_service(self.text) is None:
            return None
        said = answers.answer(
            self.text if asking else before,
            self.profile,
            day=day,
            weekday=day.weekday() if day is not None else None,
            service=service,
        )
        return reply_as(Intent.ANSWER, said) if said is not None else None

    def emergency(self) -> AgentDecision:
        """A pet in danger: a person at once, and the number to call meanwhile."""
        phone = self.profile.phone
        call = f" If it can't wait, call us now on {phone}." if phone else ""
        if phone and self.profile.address and self.profile.open_at(self.now):
            # while we are open, where to come as well (a customer on the way needs it, and
            # the team now holds the conversation: set 142)
            call = (
                f" If it can't wait, call us now on {phone} or come straight in: we're at "
                f"{self.profile.address}."
            )
        night = self.profile.policies.get("emergencies")
        if night:
            call = f"{call} {night}"
        return handed_over(
            reply=f"That sounds urgent. I've alerted the team to get back to you right away.{call}",
            note=f"Possible emergency: {self.context.message!r}",
        )

    def visit_asked_beside(self) -> bool:
        """Whether a sentence of the message that is no question asks for a visit ("do you take
        rabbits? I'd like to book a check up for my rabbit thumper next week")."""
        if re.search(
            r"\b(?:can|could|may)\s+(?:i|we)\s+(?:please\s+)?book\s+(?:one|1|him|her|them|it"
            r"|[a-z]+\s+in)\b",
            self.text,
        ) and not NOT_BOOKING_YET_RE.search(self.text):
            # "how much is a dental and can i book one for my dog baxter?" (set 196)
            return True
        sentences = [s for s in SENTENCE_RE.split(self.context.message) if s.strip()]
        for sentence in sentences if len(sentences) > 1 else []:
            said = normalise(sentence)
            if (
                re.search(r"\b(?:can|could|may)\s+[a-z]+\s+(?:have|get|come|be\s+seen)\b", said)
                and self.profile.find_service(said) is not None
                and not answers.about_hours(said)
                and self.read(said).day is not None
            ):
                # "what time do you close on thursdays? … so could ziggy have a check up as
                # late as you can this thursday?": a visit asked for, as a question
                return True
            if sentence.rstrip().endswith("?") or answers.is_question(said):
                continue
            # the writer's own request ("I'd like to book…", "book him in"), not another's
            # ("she'll book herself")
            if re.search(
                r"\b(?:i|we|i'd|we'd|i'll|we'll|i'm|we're)\b.{0,25}\bbook\b|^(?:please\s+)?book\b",
                said,
            ):
                return True
            if (
                # "do you take new patients? my cat Pixel is due her vaccines": a visit needed
                re.search(
                    r"\b(?:is|'s|are)\s+(?:over)?due\b|\bneeds?\s+(?:a|an|his|her|their)\b", said
                )
                and self.profile.find_service(said) is not None
                and any(
                    is_name(p) for p in self.pets_in(sentence, known=self.known, transcript=False)
                )
                # (not "… before I book anything, how much is a dental?")
                and not NOT_BOOKING_YET_RE.search(self.text)
                and self.read(said).day is None
            ):
                return True
        return False

    def reminded_booking(self) -> BookingView | None:
        """The booking our last message reminded the customer of ("Reminder: Max is booked for
        Thursday 10 December at 15:00. Reply YES to confirm, tell us a new day and time to move
        it …", journeys/appointment-reminder.yaml; or our question whether to keep it), when it is
        still upcoming; else None."""
        history = self.context.history
        # (a marketer's own wording: "Hi! A reminder from … : Coco has a consultation tomorrow")
        if not history or not (
            re.match(_REMINDER_OPENING, history[-1].text, re.IGNORECASE)
            or KEEP_OR_CANCEL_ASKED in history[-1].text
        ):
            return None
        return self.booking_we_named()

    def told_booking_given_up(self) -> BookingView | None:
        """The one booking our last message told of ("Your appointment for Domino … is on
        Wednesday … at 17:15.") when the customer's message before it said they cannot make it
        ("is Domino's check up Wednesday evening? … I can't do evenings", set 146): a time
        said now moves it. None otherwise."""
        history = self.context.history
        if len(history) < 2 or not history[-1].text.startswith("Your appointment"):
            return None
        theirs = history[-2]
        if theirs.direction is not Direction.INBOUND or not _GIVEN_UP_RE.search(
            normalise(theirs.text)
        ):
            return None
        return self.booking_we_named()

    def booking_we_named(self) -> BookingView | None:
        """The one upcoming booking our last message named ("Your appointment for Ziggy is on
        Thursday 10 December at 10:00." / "can you move him to the afternoon?"): the booking a
        message that names no pet goes on about; else None."""
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        # ("… is tomorrow, Tuesday 8 December, at 08:30": the day and time said apart)
        ours = _day_and_time_together(history[-1].text)
        said = [b for b in self.upcoming if self.say(b.slot_start) in ours]
        if len(said) > 1:
            # ("Your appointment for Juno (grooming) is on Friday …" with Rocket in then too:
            # Juno's, the one named, set 156)
            said = [b for b in said if re.search(rf"\b{re.escape(b.subject)}\b", ours)]
        return said[0] if len(said) == 1 else None

    def before_opening(self) -> AgentDecision | None:
        """ "Anything before 8am?" when no day opens that early: said so, with the opening
        hours, and which day asked. None for any other message."""
        found = re.search(
            r"\b(?:before|earlier\s+than|by)\s+(\d{1,2}(?:[:.]\d{2})?\s*(?:am)?)\b", self.text
        )
        if found is None or self.when.day is not None:
            return None
        said = self.read(f"at {found[1]}").clock
        opens = [i.open for intervals in self.profile.hours.values() for i in intervals]
        if said is None or not opens or said > min(opens) or said.hour >= 12:
            return None
        hours = answers.answer("what are your opening hours", self.profile) or ""
        return reply_as(
            Intent.CLARIFY,
            f"Sorry, we don't open before {min(opens):%H:%M}, so nothing before "
            f"{said:%H:%M}. {hours} Which day would suit you?",
        )

    def after_closing(self) -> AgentDecision | None:
        """ "Do you do evening appointments? after 7?" when no day is open that late: said so,
        with the opening hours, and which day asked (never "Which day would you like at
        19:00?"). None when a day is named (its own refusal says why) or any day is open then."""
        found = re.search(
            r"\b(?:after|later\s+than|past|from)\s+(\d{1,2}(?:[:.]\d{2})?\s*(?:pm)?)\b"
            r"(?!\s*(?:days?|weeks?|hours?|hrs?|minutes?|mins?|months?|years?|am)\b)",
            self.text,
        )
        if found is None or self.when.day is not None:
            return None
        said = self.read(f"at {found[1]}").clock
        closes = [i.close for intervals in self.profile.hours.values() for i in intervals]
        if said is None or not closes or said < max(closes):
            return None
        hours = answers.answer("what are your opening hours", self.profile) or ""
        return reply_as(
            Intent.CLARIFY,
            f"Sorry, we close at {max(closes):%H:%M} at the latest, so nothing after "
            f"{said:%H:%M}. {hours} Which day would suit you?",
        )

    def free_times_asked(self) -> bool:
        """Whether the message, or its last clause, asks for free times with no day or time
        ("what have you got?", "… when can we bring him for a first check?")."""
        if self.when.anything:
            return False
        clauses = [c for c in re.split(rf"{CLAUSE_END}+", self.context.message) if c.strip()]
        last = normalise(clauses[-1]) if clauses else ""
        return bool(
            _WHAT_FREE_RE.match(self.text)
            or _WHAT_FREE_RE.match(last)
            or _WHEN_CAN_COME_RE.search(self.text)
        )

    def free_times_for_whom_known(self) -> bool:
        """Whether the "for …" of "what have you got for …?" names a pet we know (on record or
        in this conversation), a service, or someone ("for him", "for my dog"); True when
        nothing is said for whom."""
        whom = re.search(r"\bfor\s+(\w+)", self.text)
        if whom is None or self.profile.find_service(self.text) is not None:
            return True
        if SYMPTOM_RE.search(self.text) or re.match(r"(?:fleas|ticks|worms|mites|pain)$", whom[1]):
            return False
        if whom[1] in {s.lower() for s in self.subjects if is_name(s)}:
            return True  # "what have you got for max"
        known = {p.lower() for p in self.pets_on_record()} | {
            s.lower() for s in self.subjects_from_history()
        }
        return whom[1] in known or whom[1] in {
            "a",
            "an",
            "the",
            "him",
            "her",
            "them",
            "us",
            "me",
            "my",
            "our",
            "his",
            "it",
        }

    def first_free_day(self) -> date | None:
        """The first day, from today, with a free time for the default service (two weeks),
        skipping weekdays the message rules out ("any day but friday")."""
        return self.first_free_time(When(), self.service(None)).day

    def yes_then_aside(self) -> bool:
        """A yes in the first clause, and after it only an aside that asks for nothing ("yes
        cancel it please, we'll rebook when she's back", "yes please, she'll be glad"): no
        day or time, no question, no other pet, no no."""
        clauses = [c for c in re.split(r"[,.;!]+|\s+-\s+", self.context.message) if c.strip()]
        if len(clauses) < 2:
            return False
        first = normalise(clauses[0])
        if not (YES_RE.match(first) or YES_RESTATED_RE.match(first)):
            return False
        rest = normalise(" ".join(clauses[1:]))
        pending = self.pending
        others = [
            n
            for n in self.subjects
            if is_name(n) and pending is not None and n.lower() != (pending.subject or "").lower()
        ]
        return not (
            self.when.anything
            or "?" in self.context.message
            or answers.is_question(rest)
            or others
            or _NO_WORD_RE.search(rest)
            or MOVE_RE.search(REBOOK_LATER_RE.sub(" ", rest))
            or re.search(r"\b(?:book|also|too|as\s+well|another|cancel)\b", rest)
            # "ok, straight after theirs then": a time of its own, beside another visit
            or re.search(
                r"\b(?:after|before|instead|earlier|later|sooner|same\s+time\s+as)\b", rest
            )
            # "ah ok, the first one you said then": one of the times offered, picked
            or re.search(r"\b(?:first|second|third|1st|2nd|3rd|last|latest|earliest)\b", rest)
            # "ooh right, bit more than I'd budgeted for. I'll have a think and get back to you"
            # (set 144): an "oh right", then no
            or CALL_OFF_RE.search(rest)
            or _PUT_OFF_RE.search(rest)
        )

    def yes_with_a_look(self) -> str | None:
        """What a yes asks the vet to look at too ("yes please, if the vet can look at his ear
        too" → "his ear"), when a consultation waits for that yes; else None."""
        pending = self.pending
        if pending is None or pending.kind != "book" or pending.slot_start is None:
            return None
        if self.keyed_service(pending.service).key != self.profile.service().key:
            return None  # a groom or a jab is not the vet's consultation
        clauses = [c for c in re.split(r"[,.;!]+|\s+-\s+", self.context.message) if c.strip()]
        if len(clauses) < 2 or not YES_RE.match(normalise(clauses[0])):
            return None
        look = _ALSO_LOOK_AT_RE.search(normalise(" ".join(clauses[1:])))
        return look["what"] if look is not None and not self.when.anything else None

    def says_yes_to(self, pending: PendingAction) -> bool:
        """Whether the message says yes to ``pending`` by repeating its time ("12 is perfect,
        yes please", "yes saturday at 12 is great"): a yes word, and the day and time said are
        the proposal's own (the day may go unsaid), nothing else asked."""
        if pending.slot_start is None or not YES_SAID_RE.search(self.text):
            return False
        if _NO_WORD_RE.search(self.text) or answers.is_question(self.text):
            return False
        if _TIME_QUESTIONED_RE.search(self.context.message):
            return False  # "is 10 ok or is that too early for a jab?" (set 185): asked, no yes
        local = self.local(pending.slot_start)
        when = self.when
        # (several pets read back at one time: "5 for both is perfect" names either or none)
        whose = {(c.subject or "").lower() for c in pending.changes} or {
            (pending.subject or "").lower()
        }
        return (
            when.clock == local.time()
            and when.day in (None, local.date())
            and when.shift is None
            and all(n.lower() in whose for n in self.subjects if is_name(n))
        )

    def pending_when(self, pending: PendingAction) -> When:
        assert pending.slot_start is not None
        local = self.local(pending.slot_start)
        return When(day=local.date(), clock=local.time())
