"""A new visit: a free slot proposed, the day or time asked when missing, the nearest free times
offered instead, the pet it is for."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Self

from switchboard.agent_models import (
    MAX_CHANGES,
    AgentDecision,
    BookingProposal,
    BookingView,
    Channel,
    Direction,
    HistoryTurn,
    Intent,
    booked_over_reply,
    pet_booked_over,
)
from switchboard.availability import (
    Busy,
    SlotCheck,
    alternatives,
    check_slot,
    describe_reason,
    free_slots_on,
)
from switchboard.business import Service
from switchboard.providers.rules_agent.helpers import (
    Plan,
    a_an,
    and_listed,
    as_utc,
    asks_move,
    customer_before_last,
    for_,
    handed_over,
    or_listed,
    part_of_day,
    reply_as,
    spread_over,
)
from switchboard.providers.rules_agent.patterns import (
    ANY_VISIT_WORDS_RE,
    BOOK_AHEAD_RE,
    CANCEL_RE,
    CHANGE_RE,
    CLAUSE_END,
    CONTEXT_TURNS,
    EVERY_RE,
    FEW_BY_ORDER_RE,
    KEEP_RE,
    LATEST_RE,
    MAKE_ONE_RE,
    MOVE_RE,
    NEXT_FREE_RE,
    NOT_A_REQUEST_RE,
    OFFERED_RE,
    OTHER_SIDE_RE,
    PART_STARTS,
    PET_KINDS,
    PET_NAME_ASKED,
    REFUSED_SLOT_RE,
    SAID_SLOT,
    SAME_TIME_AS,
    SYMPTOM_RE,
    TO_DO,
    USUAL_RE,
    WEEK_SAID_RE,
    WHAT_TIME_RE,
    YES_RE,
    YES_RESTATED_RE,
    YES_WORDS,
    kin_told,
)
from switchboard.providers.rules_agent.saying import Saying
from switchboard.understanding import answers
from switchboard.understanding.subjects import ANIMALS, is_name, join
from switchboard.understanding.text import normalise
from switchboard.understanding.when import (
    MONTH_WORD,
    WORKING_HOURS_RE,
    When,
    merge,
    month_number,
    read_when,
    ruled_out_weekdays,
)
from switchboard.understanding.windows import Window, read_window, without_window

# Several of the customer's pets, unnamed: "two of mine", "both of mine", "all three of ours".
_SOME_OF_MINE_RE = re.compile(
    r"\b(?:two|2|three|3|both|all(?:\s+(?:two|three|2|3))?)\s+of\s+(?:mine|ours|them)\b"
    r"|\b(?:my|our)\s+(?:two|2|three|3)\b(?!\s+(?:cats|dogs|kittens|puppies|rabbits|bunnies"
    r"|guinea\s+pigs|pets))"
)
# How far back a time we proposed is looked for when the customer refers to it ("the time we
# talked about on the phone").
_RECALL_TURNS = 8
# Our message naming a pet due a visit: "Bruno is due his annual booster", "Ziggy is due his
# yearly booster this month", "Pip is due for an annual vaccination".
# (a marketer's own wording too: "It's been 3 months since Dobby's last nail trim, so he's due
# another one", set 220)
_RECALLED_PET_RE = re.compile(
    r"\b(?:is|'s)\s+(?:now\s+)?(?:over)?due\b|\bsince\s+[A-Z][a-z-]+'s\s+last\b", re.IGNORECASE
)
# Our journeys' own messages about one pet (journeys/templates.yaml): the yearly recall ("It's
# almost a year since Gizmo's last vaccination"), the missed visit ("We missed Gizmo on …"), the
# reminder ("Reminder: Gizmo booked for …"): the pet a reply without a name is about (set 174).
_JOURNEY_PET_RE = re.compile(
    r"^(?:It's almost a year since|We missed|Reminder:|Hi \w+, \w+ is due)\b", re.IGNORECASE
)
# The call to act closing our journeys' messages: "Reply here to book.", "Reply YES to confirm."
_CALL_TO_ACT_RE = re.compile(r"\bReply\b[^.!?\n]*[.!?]?")
# A time talked about before, referred to: "the time we talked about on the phone", "what you
# suggested", "that slot".
# A pet's kind told: "Ziggy (dog)", "my cat Mittens", "Rex is a dog" (the groups: name, kind).
_KINDS = r"cat|dog|kitten|puppy|pup|rabbit|bunny|hamster|ferret|guinea\s+pig|parrot|bird|tortoise"
_KIND_TOLD_RE = re.compile(
    rf"\b(?P<name>[A-Za-z][a-z-]+)\s*\((?:[^()]{{0,30}}\s)?(?P<kind>{_KINDS})\)"
    rf"|\b(?:my|our)\s+(?:(?:little|old|young|new)\s+)?(?P<kind2>{_KINDS})\s*,?\s+"
    rf"(?P<name2>[A-Z][a-z-]+)"
    rf"|\b(?P<name3>[A-Z][a-z-]+)\s+(?:is|'s)\s+(?:a|an|our|my)\s+(?:[a-z]+\s+)?(?P<kind3>{_KINDS})\b"
    # "pebble our rabbit", "Pip, my hamster" (set 209)
    rf"|\b(?P<name4>[A-Za-z][a-z-]+),?\s+(?:our|my)\s+(?:(?:little|old|young|new)\s+)?"
    rf"(?P<kind4>{_KINDS})\b",
    re.IGNORECASE,
)
_GROWN_KIND = {"kitten": "cat", "puppy": "dog", "pup": "dog", "bunny": "rabbit"}
_REFERS_BACK_RE = re.compile(
    r"\b(?:we|you|i)\s+(?:talked|spoke|discussed|agreed|said|mentioned|chatted)\b"
    r"|\bon\s+the\s+(?:phone|call)\b|\bthe\s+(?:time|slot|day)\s+(?:we|you)\b"
    r"|\bthat\s+(?:time|slot)\b|\bwhat\s+you\s+(?:offered|suggested|proposed)\b"
    # "yes please book it for Nala" after "Yes, Friday … at 11:00 is free at the moment."
    r"|\b(?:book|take)\s+(?:it|that(?:\s+one)?)\b"
    # "I rang last night … can you still do the friday one?"
    r"|\b(?:i|we)\s+(?:rang|called|phoned)\b|\bcan\s+you\s+still\s+do\b"
)
# A time asked to be before ("anything before 9 on tuesday?"), unless it bounds being busy.
# (not "not before 10": the earliest, a time from which)
_BEFORE_RE = re.compile(r"(?<!\bnot\s)\bbefore\s+(?P<clock>\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)\b")
# A time the customer cannot come before: "nothing before 10am", "not before 9", "I can't leave
# work before 4", "no earlier than 3" (normalised).
_NOT_BEFORE_RE = re.compile(
    r"\b(?:nothing|not|can't(?:\s+[a-z]+){0,3}?|cannot(?:\s+[a-z]+){0,3}?)\s+before\s+"
    r"(?P<clock>\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)\b"
    r"|\bno\s+earlier\s+than\s+(?P<clock2>\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)\b"
)
# Their work's start, with a visit asked for before it: "anything before work on wednesday? I
# start at 9" (either order).
_WORK_STARTS_RE = re.compile(
    r"(?=.*\bbefore\s+(?:work|my\s+shift|i\s+(?:go|leave)))"
    r".*\b(?:i|we)\s+(?:start|begin)\s+(?:work\s+|my\s+shift\s+)?(?:at|by)\s+"
    r"(?P<clock>\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)"
)
# Whether to still come: "should i still bring her?", "is it ok to bring him in if he's sick?"
_STILL_COME_RE = re.compile(
    r"\bshould\s+(?:i|we)\s+still\s+(?:bring|come|keep)\b"
    r"|\b(?:should|do)\s+(?:i|we)\s+(?:bring|come)\b.{0,30}\b(?:anyway|still|or\s+(?:cancel|not))\b"
    r"|\b(?:is\s+it|will\s+it\s+be)\s+(?:still\s+)?(?:ok|okay|alright|fine)\s+to\s+(?:still\s+)?"
    r"(?:bring|come)\b|\bstill\s+(?:bring|come)\s+(?:her|him|them|it|in)\b.{0,20}\?"
)
# Who may bring the pet instead of the customer.
_WHO_BRINGS = (
    r"(?:husband|wife|partner|mum|mom|mother|dad|father|son|daughter|friend|neighbou?r|sister"
    r"|brother|boyfriend|girlfriend|flatmate|housemate|nanny|dog\s+walker)"
)
# Someone else bringing the pet: "could my husband bring her instead of me?", "is it ok if my
# son takes him in?"
_SOMEONE_ELSE_RE = re.compile(
    rf"\b(?:my|our)\s+{_WHO_BRINGS}"
    r"\s+(?:to\s+|will\s+|'ll\s+|is\s+going\s+to\s+|is\s+)?(?:be\s+)?(?:bring|bringing|take"
    r"|taking|drop|dropping|come\s+with|coming\s+with)\b"
    r"|\b(?:someone|somebody)\s+else\s+(?:to\s+|will\s+|is\s+)?(?:bring|bringing|take|drop)\b"
)
# ... said with the person's name: "my friend Inès is taking Lola".
_SOMEONE_NAMED_BRINGS_RE = re.compile(
    rf"\b(?:my|our)\s+{_WHO_BRINGS}\s+[^\W\d_]+\s+(?:is|will|'ll)\s+(?:be\s+)?(?:bringing|bring"
    r"|taking|take)\b"
)
# A message that only says which pet it is about: "hi, it's about Coco", "re: max".
_ONLY_ABOUT_RE = re.compile(
    r"^(?:(?:hi|hello|hey|hiya|morning|good\s+morning|afternoon|sorry)\s+)*(?:it's|its|it\s+is"
    r"|this\s+is|i'm\s+messaging|i'm\s+writing|messaging)?\s*(?:about|regarding|re)\s+"
    r"(?:my\s+(?:dog|cat|pet)\s+)?[a-z][a-z-]+(?:'s\s+(?:appointment|booking|appt))?$"
)
# A reminder asked for another booking just after reminders were explained: "does bella get one
# for friday too?", "will max have one as well?" (normalised: "one" is "1").
_ONE_TOO_RE = re.compile(
    r"\b(?:get|gets|getting|have|has|receive|send|sent)\s+(?:her|him|them|me|us\s+)?"
    r"(?:a\s+reminder|1|one)\b|\b(?:1|one)\s+(?:too|as\s+well|also)\b"
)
# A booking placed by another: "the one after kiwi's groom", "the appointment before her jab"
_BESIDE_BOOKING_RE = re.compile(
    r"\bthe\s+(?:one|1|appointment|appt|booking|visit)\s+(?:right\s+|just\s+|straight\s+)?"
    r"(?P<side>after|before)\s+(?:(?P<pet>[a-z]+)'s|his|her|their|the)\s+"
    r"(?P<what>[a-z]+(?:[\s-]up)?)\b"
)
# "move my next one", "cancel our next appointment", "the soonest one": of several bookings, the
# first to come ("one" and "first" are normalised to "1" and "1st").
_FIRST_BOOKING_RE = re.compile(
    r"\b(?:my|our|the|his|her|their|\w+'s)\s+(?:very\s+)?(?:next|upcoming|soonest|earliest|1st)"
    r"\s+(?:1|one|appointment|booking|visit|slot)\b(?!\s+(?:free|available)\b)"
)
# "rex's second appointment", "our last booking", "the later one": which of several, in time
# order ("second" is normalised to "2nd")
_NTH_BOOKING_RE = re.compile(
    r"\b(?:my|our|the|his|her|their|\w+'s)\s+(?P<which>2nd|3rd|4th|last|later|latest|earlier"
    r"|earliest)\s+(?:1|one|appointment|appt|booking|visit|slot)\b"
    # ... of a day: "the later one on friday", "the earlier one on wednesday"
    r"(?:\s+(?:on\s+)?(?P<day>(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|today))?"
)
# One of a few bookings by its place among them: "cancel the first of the two", "the later of
# them" ("first" and "two" are normalised to "1st" and "2"), set 226.
_NTH_OF_RE = re.compile(
    r"\bthe\s+(?P<which>1st|2nd|last|later|latest|earlier|earliest)\s+(?:1\s+)?of\s+(?:the\s+)?"
    r"(?:2|3|them|those|these|both)\b"
)
# The booking after (before) one the message names by its day: "rosie's tuesday one is fine but
# can you cancel the one after that?"
_ONE_AFTER_THAT_RE = re.compile(r"\bthe\s+(?:1|one)\s+(?P<side>after|before)\s+(?:that|it)\b")
# Another visit said to be wanted beside one already booked: "another", "as well", "too".
_ANOTHER_VISIT_RE = re.compile(r"\b(?:another|second|2nd|as\s+well|too|also|extra)\b")
# Our question for a time given without a day (``book``): its time, for the day that answers it.
_DAY_AT = "Which day would you like at {}?"
_DAY_AT_RE = re.compile(re.escape(_DAY_AT).replace(r"\{\}", r"(\d{2}):(\d{2})"))
# Any time will do: the first free time is the one to propose.
_ANY_TIME_RE = re.compile(
    r"\basap\b|\bas\s+soon\s+as\s+(?:possible|you\s+can)\b"
    r"|\bwhenever\s+(?:you(?:'re|\s+are)\s+free|suits(?:\s+you)?|works(?:\s+for\s+you)?"
    r"|is\s+(?:free|good|best|easiest)|you\s+(?:can|have\s+space))\b"
    r"|\b(?:any\s*time|whatever\s+time)\s+(?:is\s+(?:fine|good|ok|okay)|works|suits)\b"
    # "what is the earliest availability on wednesday?", "your first free slot on friday"
    r"|\b(?:earliest|soonest|1st|first)\s+(?:free\s+|available\s+|open\s+)?(?:availability"
    r"|appointment|slot|time|opening)\b|\bthe\s+earliest\b(?!\s+(?:of|to))"
)
_NEW_ANIMAL = r"(?:little\s+|baby\s+|new\s+)?(?P<{}>" + PET_KINDS + r"|pup)"
_NEW_PET_RE = re.compile(
    r"\b(?:new|newly\s+adopted|rescue|rescued)\s+" + _NEW_ANIMAL.format("animal") + r"s?\b"
    r"|\bjust\s+(?:got|adopted|rescued|brought\s+home|picked\s+up)\s+(?:a|an|our|my|the)\s+"
    + _NEW_ANIMAL.format("animal2")
    + r"\b"
)
# A month named without a day: "for mid june", "in july", "early march", "end of april".
_MONTH_ALONE_RE = re.compile(
    r"\b(?:in|for|mid|early|late|end\s+of|beginning\s+of|start\s+of|around|sometime\s+in|like"
    r"|maybe|before|by"
    # "any chance we could push it to april?" (set 182; not "to april 10th")
    r"|(?:push|move|put)\s+(?:it|him|her|them)\s+(?:back\s+)?(?:to|till|until))\s+"
    rf"(?:mid\s+|early\s+|late\s+)?(?P<month>{MONTH_WORD})\b(?!\s+\d)"
)
# Two days asked as a choice: "thursday or friday afternoon", "tomorrow or wednesday".
_DAY_WORD_OR = (
    r"(?:today|tomorrow|mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|monday|tuesday|wednesday"
    r"|thursday|friday|saturday)"
)
_DAYS_OR_RE = re.compile(rf"\b(?P<first>{_DAY_WORD_OR})\s+or\s+(?P<second>{_DAY_WORD_OR})\b")
# The times our "What time on … would you like? I have 14:00, 15:00 or 16:00." lists.
_HAVE_TIMES_RE = re.compile(r"I have (?P<times>[0-9:, or]+)\.$")
# The last visit's time asked for again: "same time as last time", "at the usual time".
# A time counted from the last visit: "a week after his last visit", "2 weeks after her last
# appointment".
_AFTER_LAST_VISIT_RE = re.compile(
    r"\bafter\s+(?:his|her|their|its|the|my|our|[a-z]+'s)\s+(?:last|latest|previous)\s+"
    r"(?:visit|appointment|appt|check-?\s?up|consultation)\b"
)
_LAST_VISITS_TIME_RE = re.compile(
    rf"{SAME_TIME_AS}|usual)\b|\b(?:the|our|his|her|their|my)\s+usual\s+time\b"
)
# The last visit again, all of it: "same as last time", "like last time", "same again".
_SAME_AS_LAST_TIME_RE = re.compile(
    r"\b(?:same\s+as|like)\s+(?:last\s+time|the\s+last\s+(?:time|visit))\b|\bsame\s+again\b"
)
# One time asked for, the day's last: "the latest you can fit him in", "your last appointment
# on friday", "just before you close" (not "end of the day", which lists the last few).
THE_LATEST_RE = re.compile(
    # (not "out by 9:15 at the latest": a bound, ``windows``)
    r"(?<!\bat\s)\bthe\s+latest\b(?!\s+(?:news|update|i\s+can|we\s+can|i\s+could|we\s+could))"
    r"|(?<!\bas\s)(?<!\blike\s)(?<!\bthan\s)"
    # ("the last time you can do", not "the last time you saw him")
    r"\b(?:your|the)\s+(?:very\s+)?last\s+(?:appointment|slot|time)\b(?!\s+(?:we|i|he|she|they)\b)"
    # ("the last appointment you have on saturday", not "the last appointment you gave us")
    r"(?!\s+you\s+(?:had|did|made|booked|gave|saw|were|was|came|told|said|called|checked)\b)"
    r"(?!\s+(?:\w+\s+)?(?:was|were|came|had|visited)\b)"
    # "friday just before you close": the last start that still ends by closing
    r"|\b(?:just|right)\s+before\s+(?:you\s+|u\s+)?(?:close|closing|shut)\b"
    r"|\bas\s+late\s+as\s+(?:possible|you\s+can|you\s+go|you've\s+got)\b"
    r"|\bthe\s+later\s+the\s+better\b"
    # "the last check-up you've got that evening"
    r"|\bthe\s+(?:very\s+)?last\s+(?:[a-z-]+\s+){0,2}?(?:you've\s+got|you\s+have|you\s+got"
    r"|available|going|free)\b"
    # "end of day tuesday for Rocky?"
    r"|\b(?:at\s+the\s+)?end\s+of\s+(?:the\s+)?day\b"
)
# One time asked for, the day's first: "what's your earliest on saturday", "the first slot you
# have on friday", "as early as possible on thursday".
THE_EARLIEST_RE = re.compile(
    r"\b(?:the|your)\s+(?:very\s+)?earliest\b(?!\s+(?:news|update))"
    r"|\byour\s+(?:very\s+)?first\s+(?:appointment|slot)\b"
    r"|\bthe\s+(?:very\s+)?first\s+(?:appointment|slot)\s+(?:you\s+have|available|going|free)\b"
    # "whats the first saturday slot you have for a dental" ("first" is normalised "1st")
    r"|\bthe\s+(?:very\s+)?(?:first|1st)\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|morning"
    r"|afternoon)\s+(?:appointment|slot|time)\b"
    r"|\bas\s+early\s+as\s+(?:possible|you\s+can)\b|\bthe\s+earlier\s+the\s+better\b"
    # "the day after her jab? first thing in the morning pls" (the day known only later)
    r"|\b(?:first|1st)\s+thing\b"
    # "Monday afternoon next week then, whatever's first"
    r"|\b(?:whatever|whichever)(?:'s|\s+is)\s+(?:first|1st|earliest|soonest)\b"
)
# The first time after the lunch break: "the one after lunch please", "just after lunch".
_JUST_AFTER_LUNCH_RE = re.compile(
    r"\b(?:just|right|straight)\s+after\s+lunch\b|\bthe\s+(?:1|one)\s+after\s+lunch\b"
)
# A slot asked about before booking: "not booking yet", "won't book yet", "before I book",
# "need to check with work first".
NOT_BOOKING_YET_RE = re.compile(
    r"\bnot\s+(?:booking|ready\s+to\s+book)\s+(?:it\s+)?yet\b|\bwon't\s+book\s+(?:it\s+)?yet\b"
    r"|\bdon't\s+book\s+(?:it\s+|anything\s+)?yet\b|\bbefore\s+(?:i|we)\s+book\b"
    r"|\bwon't\s+book\s+(?:it\s+|anything\s+)?(?:until|till|before)\b"
    r"|\b(?:need|have)\s+to\s+check\s+with\s+(?:\w+\s+){1,2}first\b"
)
_WRITTEN_DATE_RE = re.compile(
    r"\b\d{1,2}\s+(?:january|february|march|april|may|june|july|august|september|october"
    r"|november|december)\b"
)
_WHO_FOR = f"Sorry, I didn't catch who the appointment is for. {PET_NAME_ASKED}"
# A booking said back to be checked: "just confirming", "still ok?", "we're still on, right?".
_CHECKING_RE = re.compile(
    r"\b(?:just\s+)?(?:confirming|checking|double[\s-]?checking|to\s+confirm)\b"
    r"|\bstill\s+(?:ok|okay|on|good|fine|happening|booked|going\s+ahead)\b"
    r"|\bwe(?:'re|\s+are)\s+(?:still\s+)?(?:good|on|set)\b|\b(?:right|correct)\s*$"
)


# A day beside a booking: "the day after her jab", "the day before max's groom".
_DAY_BESIDE_BOOKING_RE = re.compile(
    r"\bthe\s+day\s+(?P<side>after|before)\s+(?:her|his|their|its|[a-z]+'s)\s+"
    r"(?P<what>[a-z-]+(?:\s+[a-z-]+)?)"
)


# Our question of when, for a pet: "What time on Saturday 12 December would you like for Ziggy?"
_FOR_PET_ASKED_RE = re.compile(r"\bwould you like for [A-Z]")


# The words of a fallback, up to a sentence's end (a time's dot is none: "if not saturday
# morning 9.30ish", set 144).
_FALLBACK_WORDS = r"(?:[^.;!?]|(?<=\d)\.(?=\d)){2,40}"
# A fallback given with the request: "if 3's full then 4 is fine", "or 9 if you're not open
# that early", "if not then next monday at 2pm", "otherwise friday" (``fallback_said``)
_FALLBACK_RE = re.compile(
    # ("… if there's no room then half 10 is fine", set 144)
    r"\bif\s+(?:not\b|there's\s+no\s+(?:room|space)\b|there\s+is\s+no\s+(?:room|space)\b"
    r"|you\s+(?:can't|cannot|can\s+not|don't\s+have|haven't\s+got)\b[^,.;!?]{0,30}?"
    r"|(?:it's|its|it\s+is|that's|thats|\d{1,2}(?:[:.]\d{2})?(?:'s|\s+is)|you're|you"
    r"\s+are|you\s+have|you've|there's|there\s+is)\b[^,.;!?]{0,30}?\b(?:full|taken|gone|booked"
    r"|busy|open|free|available|no\s+good|not\s+possible)\b[^,.;!?]{0,20}?)\s*,?\s*(?:then\s+)?"
    rf"(?P<alt>{_FALLBACK_WORDS})"
    r"|\bor\s+(?P<alt2>[^,.;!?]{1,25}?)\s+if\b"
    rf"|\botherwise\s+(?P<alt3>{_FALLBACK_WORDS})"
    # "thursday at 2 or 3, whichever you've got"
    r"|\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?\s+or\s+(?P<alt4>\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?)\b"
    r"(?=[^.;!?]{0,30}\b(?:whichever|either|any)\b)"
)


# A pet asked after, booked or not: "hang on did you do otis as well? it only says mabel"
_DID_YOU_DO_RE = re.compile(
    r"\bdid\s+(?:you|u)\s+(?:do|book|put|get|add)\s+(?P<pet>[a-z][a-z-]+)\s+(?:in\s+)?(?:as\s+well"
    r"|too|also)\b"
)
# One of the customer's pets pointed at, not named: "the big one", "the older one", "the other
# one".
_ONE_OF_SEVERAL_RE = re.compile(
    r"\bthe\s+(?:big|bigger|biggest|little|littler|small|smaller|smallest|old|older|oldest|young"
    r"|younger|youngest|other|fat|fluffy|black|white|ginger|grey|brown|tabby)\s+(?:one|1)\b"
)
# The visit just booked asked for another pet: "same for olive pls", "can pip have the same",
# "same again for bella", "olive the same please".
_SAME_FOR_RE = re.compile(
    r"\bsame\s+(?:again\s+)?(?:for|with)\s+([a-z][a-z-]+)\b"
    r"|\b(?:can|could)\s+([a-z][a-z-]+)\s+(?:have|get|do)\s+the\s+same\b"
    r"|^\s*([a-z][a-z-]+)\s+the\s+same(?:\s+(?:please|pls|too))?\W*$"
)


def _title_of(name: str, message: str) -> str:
    """``name`` (lower case) as the message writes it, capitalised."""
    found = re.search(rf"\b{re.escape(name)}\b", message, re.IGNORECASE)
    said = message[found.start() : found.end()] if found else name
    return said[:1].upper() + said[1:]


# Pets wanted after all: "nutmeg IS due 🙈 both after all please", "bella too after all"
_AFTER_ALL_RE = re.compile(
    r"\b(?:both|all|(?:him|her|them)\s+too|[a-z]+\s+too|as\s+well)\b[^.?!]{0,20}\bafter\s+all\b"
    r"|\bafter\s+all\b[^.?!]{0,20}\b(?:both|all\s+of\s+them|too|as\s+well)\b"
)
# Our read-back of several pets at one slot: "I can book Hugo and Nutmeg for Wednesday 16
# December at 15:00."
_SEVERAL_READ_BACK_RE = re.compile(
    r"I can book (?P<pets>[A-Z][\w' -]+(?:, [A-Z][\w' -]+)* and [A-Z][\w' -]+) for "
    rf"(?P<slot>{SAID_SLOT})"
)
# No day chosen in the week named: "one day this week after work", "any day next week at 10".
_ONE_DAY_RE = re.compile(r"\b(?:one|1|any|some|a)\s+day\b|\bsome\s*time\b|\bwhich(?:ever)?\s+day\b")
# Later this week, no day named: "any evening slots later in the week?"
_LATER_IN_WEEK_RE = re.compile(r"\blater\s+(?:on\s+)?(?:in\s+)?(?:the|this)\s+week\b")


class Booking(Saying):
    """A new visit: a free slot proposed, the day or time asked when missing, the nearest free
    times offered instead, the pet it is for."""

    def first_free_day_in_week_said(self, service: Service, part: str | None = None) -> date | None:
        """The first day with a free time for ``service`` (in ``part`` of the day, when given)
        in the week the message names ("this week", "later this week", "next week"), from
        today on; None when it names none or that week is full. A weekday the message rules
        out ("just not monday") is skipped."""
        for day in self.days_of_week_said():
            free = free_slots_on(self.profile, self.context.busy, day, service, now=self.now)
            if any(part in (None, part_of_day(self.local(s).hour)) for s in free):
                return day
        return None

    def days_of_week_said(self) -> list[date]:
        """The days of the week the message names ("this week", "later this week", "next
        week", "the week after next"), from today on, without the weekdays it rules out ("just
        not monday"); empty when it names no week."""
        found = WEEK_SAID_RE.search(self.text)
        # "any evening slots later in the week?" (set 200): this week, from the day after
        # tomorrow
        later_on = _LATER_IN_WEEK_RE.search(self.text) if found is None else None
        if found is None and later_on is None:
            return []
        today = self.local_now.date()
        monday = today - timedelta(days=today.weekday())
        if found is not None and found["which"] == "next":
            monday += timedelta(days=7)
        elif found is not None and found["later"]:  # "the week after next"
            monday += timedelta(days=14)
        earliest = today + timedelta(days=2) if later_on is not None else today
        ruled_out = ruled_out_weekdays(self.text)
        days = (monday + timedelta(days=ahead) for ahead in range(7))
        return [d for d in days if d >= earliest and d.weekday() not in ruled_out]

    def days_offered_at(self, clock: time, service: Service, subject: str) -> AgentDecision | None:
        """A time said for "one day this week" (no day chosen: "could marmite get a check up
        one day this week after work? i finish at 5.30", set 213): that time, or the first free
        within the hour after it, on up to three days of the week said, offered with the
        question which suits; None when no day of it has such a time."""
        found: list[datetime] = []
        for day in self.days_of_week_said():
            free = self.outside_work(
                free_slots_on(self.profile, self.context.busy, day, service, now=self.now)
            )
            start = datetime.combine(day, clock)
            near = [
                s
                for s in free
                if start <= self.local(s).replace(tzinfo=None) < start + timedelta(hours=1)
            ]
            if near:
                found.append(near[0])
            if len(found) == 3:
                break
        if len(found) < 2:
            return None
        listed = or_listed([self.say(s) for s in found])
        return reply_as(
            Intent.CLARIFY, f"I can offer {listed}{for_(subject)}. Which day would suit you?"
        )

    def first_free_time(self, when: When, service: Service) -> When:
        """``when`` on the first day with a free time for ``service`` (two weeks ahead, the
        weekdays the message rules out skipped, and the weekend for "any weekday"), at that
        day's first free time unless a part of the day is said (at the time said, or from it on
        for "after 5"); ``when`` unchanged when nothing is free."""
        ruled_out = ruled_out_weekdays(self.text)
        if re.search(r"\bweek\s*days?\b", self.text):
            ruled_out |= {5, 6}  # "any weekday": not the weekend
        before = _BEFORE_RE.search(self.text)
        bound = self.read(f"at {before['clock']}").clock if before is not None else None
        start = max(self.local_now.date(), self.not_before or self.local_now.date())
        for ahead in range(14):
            day = start + timedelta(days=ahead)
            if day.weekday() in ruled_out:
                continue
            free = self.outside_work(
                free_slots_on(self.profile, self.context.busy, day, service, now=self.now)
            )
            if bound is not None:
                free = [s for s in free if self.local(s).time() < bound]  # "anything before 10?"
            if when.part is not None:
                free = [s for s in free if part_of_day(self.local(s).hour) == when.part]
            if when.clock is not None:
                # "any weekday after 5": from that time on; "any day at 5": at it
                after = re.search(r"\b(?:after|from|past|later\s+than)\s+\d", self.text)
                free = [
                    s
                    for s in free
                    if (
                        self.local(s).time() >= when.clock
                        if after
                        else self.local(s).time() == when.clock
                    )
                ]
            if free:
                clock = None if when.part is not None else self.local(free[0]).time()
                return replace(when, day=day, clock=clock)
        return when

    def outside_work(self, free: list[datetime]) -> list[datetime]:
        """``free`` without the times the customer says they are at work ("i work 9-5 mon to
        fri": weekdays from 09:00 until 17:00), a visit ending by the start or starting from
        the end; ``free`` unchanged when they say no such hours."""
        found = WORKING_HOURS_RE.search(self.text)
        if found is None:
            return free
        start = int(found["start"])
        end = int(found["end"])
        end = end + 12 if end < 12 and end <= start + 1 or end < 8 else end
        weekend = found["days"] is not None and re.search(r"sat|sun|every|7", found["days"])
        return [
            s
            for s in free
            if (self.local(s).weekday() >= 5 and not weekend)
            or self.local(s).hour < start - 1
            or self.local(s).hour >= end
        ]

    def early_or_late(self, free: list[datetime]) -> list[datetime]:
        """``free`` (the free starts of one part of a day, in order) narrowed to its first or
        second half when the message says "early" or "late" that part ("late afternoon": from
        15:00; "early morning": before 10:00); ``free`` unchanged otherwise or when that half is
        empty."""
        side = re.search(r"\b(early|late)\s*-?\s*(morning|afternoon|evening)\b", self.text)
        if side is None:
            return free
        # where one half of the part of the day ends and the other starts
        middle = {"morning": time(10, 0), "afternoon": time(15, 0), "evening": time(18, 0)}
        late = side[1] == "late"
        half = [s for s in free if (self.local(s).time() >= middle[side[2]]) == late]
        return half or free

    def targets(self, subjects: list[str] | None = None) -> list[BookingView]:
        """Upcoming bookings the message points at: by pet name (``subjects``, else every
        subject of the message), else all."""
        said = self.subjects if subjects is None else subjects
        named = [s for s in said if is_name(s)]
        chosen = self.upcoming
        animals = {s.lower() for s in said if s.startswith("your ")}
        if not named and animals & {b.subject.lower() for b in chosen}:
            # "what time is my dog in?" with "your dog" and "your cat" booked: the dog's
            return [b for b in chosen if b.subject.lower() in animals]
        kinds = {a.removeprefix("your ") for a in animals}
        of_kind = [
            b
            for b in chosen
            if any(re.search(rf"\b{re.escape(kind)}\b", b.subject.lower()) for kind in kinds)
        ]
        if not named and of_kind:
            # "cancel the dog's appointment" with "Bailey (dog)" and "Misty (cat)" booked
            return of_kind
        told = self.kinds_told()
        of_kind = [b for b in chosen if kinds and told.get(b.subject.lower()) in kinds]
        if not named and of_kind:
            # "the cat won't be coming … can you cancel hers?" with "Mittens (cat)" in the log
            return of_kind
        if named:
            lowered = {n.lower() for n in named}
            chosen = [b for b in chosen if b.subject.lower() in lowered] or []
        return chosen

    def names_unbooked_pet(self) -> bool:
        """Whether the message names a pet with no upcoming booking ("could Pip come with
        Bella …?", "can Ginger come at the same time?" beside Pumpkin's)."""
        booked = {b.subject.lower() for b in self.upcoming}
        return any(is_name(s) and s.lower() not in booked for s in self.subjects)

    def pets_referred_to(self) -> set[str]:
        """The booked pets the message names only as a reference for a time, lower case
        (``Targets`` reads them); none here."""
        return set()

    def pets_told_booked(self) -> set[str]:
        """The booked pets the message names with their booking's own time, told rather than
        asked for, lower case (``Targets`` reads them); none here."""
        return set()

    def pets_said_booked(self) -> set[str]:
        """The booked pets a clause says someone booked, lower case (``Targets`` reads them);
        none here."""
        return set()

    def requested_pets(self) -> list[str]:
        """The pets the message asks something for (``Targets`` reads them); none here."""
        return []

    def narrowed_to_one(self, bookings: list[BookingView]) -> list[BookingView]:
        """Of several ``bookings``, the one the message points at by its day, service or time
        (``Targets`` reads them); ``bookings`` unchanged here."""
        return bookings

    def kinds_told(self) -> dict[str, str]:
        """The kind of animal each pet is, as the customer's messages told it ("Ziggy (dog)",
        "my cat Mittens", "Rex is a dog"): lower-case name → kind ("cat", "dog", "rabbit" …;
        a kitten is a cat, a puppy a dog)."""
        told: dict[str, str] = {}
        for turn in self.context.history:
            if turn.direction is not Direction.INBOUND:
                continue
            for found in _KIND_TOLD_RE.finditer(turn.text):
                name = (found["name"] or found["name2"] or found["name3"] or found["name4"]).lower()
                kind = (found["kind"] or found["kind2"] or found["kind3"] or found["kind4"]).lower()
                told[name] = _GROWN_KIND.get(kind, kind)
        return told

    def in_clause_of(self, verb: re.Pattern[str], targets: list[BookingView]) -> list[BookingView]:
        """``targets`` narrowed to the pets named in the clause that holds ``verb`` ("my partner
        sorted Rex's, I need to move Luna's to wednesday": Luna's only), when that clause names
        some of several pets but not all; else ``targets``."""
        pets = {b.subject.lower() for b in targets if is_name(b.subject)}
        if len(pets) < 2:
            return targets
        # split before normalising, which drops the commas that end clauses
        clauses = [
            normalise(c)
            for c in re.split(rf"(?:{CLAUSE_END}|\n)+|\s+but\s+|\s+-\s+", self.context.message)
        ]
        named = {
            pet
            for clause in clauses
            if verb.search(clause)
            for pet in pets
            if re.search(rf"\b{re.escape(pet)}\b", clause)
        }
        if not named or named == pets:
            return targets
        return [b for b in targets if b.subject.lower() in named]

    def first_booking_said(self, targets: list[BookingView]) -> list[BookingView]:
        """``targets`` (in time order), only the first when the message says "my next one" /
        "our next appointment" and not every one ("both", "all"); only the one after (before)
        another it names ("the one after kiwi's groom")."""
        beside = self.booking_beside_another(targets) or self.booking_after_day_said(targets)
        if beside is not None:
            return [beside]
        few = FEW_BY_ORDER_RE.search(self.text)
        if few is not None and len(targets) > int(few["count"]):
            # "can you cancel the last two of pumpkin's? keep tomorrow's" (set 226)
            count = int(few["count"])
            return targets[-count:] if few["end"] == "last" else targets[:count]
        if (
            len(targets) > 1
            and _FIRST_BOOKING_RE.search(self.text)
            and not EVERY_RE.search(self.text)
        ):
            # ("cancel my next one please" with both cats in then: both, set 226)
            return [b for b in targets if b.slot_start == targets[0].slot_start]
        counted = _NTH_BOOKING_RE.search(self.text) or _NTH_OF_RE.search(self.text)
        if len(targets) > 1 and counted is not None and not EVERY_RE.search(self.text):
            # "move rex's second appointment", "cancel our last booking", "the later one on
            # friday" (of that day's)
            if counted.groupdict().get("day"):
                day = self.read(counted["day"]).day
                that_day = [b for b in targets if self.local(b.slot_start).date() == day]
                targets = that_day or targets
            which = counted["which"]
            if which in ("last", "later", "latest"):
                place = len(targets) - 1
            elif which in ("earlier", "earliest", "1st"):
                place = 0
            else:
                place = int(which[0]) - 1
            return targets[place : place + 1] if place < len(targets) else targets
        return targets

    def booking_after_day_said(self, targets: list[BookingView]) -> BookingView | None:
        """Of ``targets`` (in time order), the one right after (before) the only one on the
        day the message names before "the one after that" ("rosie's tuesday one is fine but
        can you cancel the one after that?", set 226); None when it says no such thing."""
        # (the whole message: the clause keeping the day's booking may be set aside by now)
        whole = normalise(self.context.message)
        said = _ONE_AFTER_THAT_RE.search(whole)
        if said is None or len(targets) < 2:
            return None
        day = self.read(whole[: said.start()]).day
        on_day = [i for i, b in enumerate(targets) if self.local(b.slot_start).date() == day]
        if len(on_day) != 1:
            return None
        place = on_day[0] + (1 if said["side"] == "after" else -1)
        return targets[place] if 0 <= place < len(targets) else None

    def booking_beside_another(self, targets: list[BookingView]) -> BookingView | None:
        """Of ``targets`` (in time order), the one the message places right after (before)
        another booking it names by pet and service ("cancel the one after kiwi's groom, the
        groom itself is still on"); None when it names no such pair."""
        said = _BESIDE_BOOKING_RE.search(self.text)
        if said is None or len(targets) < 2:
            return None
        service = self.profile.find_service(said["what"])
        pet = said["pet"]
        named = [
            b
            for b in targets
            if (pet is None or b.subject.lower() == pet)
            and (service is None or b.service == service.key)
        ]
        if len(named) != 1 or service is None:
            return None
        side = [
            b
            for b in targets
            if b is not named[0]
            and (pet is None or b.subject.lower() == pet)
            and (b.slot_start > named[0].slot_start) == (said["side"] == "after")
        ]
        if not side:
            return None
        return side[0] if said["side"] == "after" else side[-1]

    def new_service_of(self, booking: BookingView, text: str | None = None) -> Service | None:
        """The service the message (or ``text``, normalised) asks ``booking`` to become ("can
        max's checkup be a dental instead?"), remembered for the move that may come with it;
        None when it asks for no service but the booking's own, or names several."""
        own = self.keyed_service(booking.service).key
        said = answers.services_changed_to(text or self.text, self.profile)
        new = [s for s in said if s.key != own]
        if len(new) != 1:
            return None
        self.changed_service = (booking.id, new[0])
        return new[0]

    def ask_move_time(self, booking: BookingView, wanted: When) -> AgentDecision:
        """A move to a part of a day without a time ("to Friday afternoon"; the booking's own day
        when none is named): the free times then, asked, nothing proposed. The booked time is
        not carried over: "move Milo to Friday at 11 am" heard on a call as "... to Friday,
        afternoon" was read back as Friday at Milo's old 15:00 and confirmed. A day alone
        ("next week", answering our "When would you like to move…?") asks that day's times."""
        local = self.local(booking.slot_start)
        day = wanted.day or local.date()
        service = self.keyed_service(booking.service)
        free = free_slots_on(
            self.profile, self.context.busy, day, service, now=self.now, ignore_booking=booking.id
        )
        if not free:
            return self.book(When(day=day, clock=local.time()), moving=booking)
        side = OTHER_SIDE_RE.search(self.text) if day == local.date() else None
        if side is not None:
            # "any time later that same day": the times after the booked one (before, earlier)
            later = side.group(0) == "later"
            free = [
                s for s in free if (self.local(s) > local if later else self.local(s) < local)
            ] or free
        inside = [s for s in free if part_of_day(self.local(s).hour) == wanted.part] or (
            free if wanted.part is None else []
        )
        inside = self.after_lunch(self.early_or_late(inside), wanted.part)
        times = spread_over([self.local(s).strftime("%H:%M") for s in inside or free], 4)
        lead = "" if inside else f"I have nothing free in the {wanted.part}. "
        # "could we do saturday afternoon instead?" (set 220): the day closes before it
        closes = self.closes_before_part(replace(wanted, day=day)) if wanted.part else ""
        lead = f"{closes} " if closes else lead
        return reply_as(
            Intent.CLARIFY,
            f"{lead}What time on {day.strftime('%A %-d %B')} would you like the appointment"
            f"{for_(booking.subject)} moved to? I have {or_listed(times)}.",
        )

    def request_before_ours(self) -> Self | None:
        """The customer's message before our last one, read as the turn it was (with the
        conversation up to it), so that an answer to our question can complete it; None when
        there is no such message."""
        history = self.context.history
        at = customer_before_last(history)
        if at is None:
            return None
        earlier = self.context.model_copy(
            update={"message": history[at].text, "history": history[:at]}
        )
        return type(self)(earlier, self.profile)

    def booking_of_our_move_before(self, earlier: Self) -> BookingView | None:
        """The one booking our message before ``earlier`` (the customer's last request) read
        back as moved ("I can move the appointment for Rocky from Thursday 10 December at
        16:30 to …"); None when that message moved none, or several."""
        ours = self.ours_last(earlier.context.history, "I can move the appointment for ")
        if ours is None:
            return None
        said = [
            b for b in self.upcoming if f"for {b.subject} from {self.say(b.slot_start)}" in ours
        ]
        return said[0] if len(said) == 1 else None

    def move_refused(self) -> BookingView | None:
        """The booking whose move (or change of service) our last message turned down with
        other times ("Sorry, Friday 11 December at 10:00 isn't possible: … I can offer …"), or
        with another day asked for ("… isn't possible yet: we only take bookings up to 90 days
        ahead … or tell me another day"), read from the customer's message before it; with a
        change of service asked there, that service is kept for the move
        (``changed_service``). None when our last message was no such answer or the message
        before it moved no one booking."""
        history = self.context.history
        if self.pending is not None or len(history) < 2:
            return None
        if not (
            self.offered_last()
            or (
                history[-1].direction is Direction.OUTBOUND
                and REFUSED_SLOT_RE.match(history[-1].text.strip())
            )
        ):
            return None
        earlier = self.request_before_ours()
        if earlier is None or BOOK_AHEAD_RE.search(earlier.text):
            # ("the next one should be 2 weeks after, can we book it now for friday the 1st,
            # same time?", set 212: a visit of its own, refused, not a move)
            return None
        changing = answers.services_changed_to(earlier.text, self.profile)
        # ("could we make it a bit later, like 12.30?": a change of a booking's time too)
        newcomer = earlier.names_unbooked_pet()
        changed_time = (
            bool(earlier.when.clock or earlier.when.day)
            and CHANGE_RE.search(earlier.text)
            # ("could Pip come with Bella on wednesday, same time as hers?": Pip's visit)
            and not newcomer
        )
        if not (asks_move(earlier.text) or changing or changed_time):
            # "hang on, not friday, saturday" to our move read back, turned down in turn: the
            # booking that read-back moved
            return self.booking_of_our_move_before(earlier)
        moved = earlier.first_booking_said(earlier.in_clause_of(MOVE_RE, earlier.targets()))
        # (not the pets it was to come in with: "could Luna's … be moved to 10 so she comes in
        # with Max and Ruby?")
        referred = earlier.pets_referred_to()
        moved = [b for b in moved if b.subject.lower() not in referred] or moved
        if len(moved) > 1:
            # "could the friday one be at 1 instead?": the one booking its day points at
            moved = earlier.narrowed_to_one(moved)
        if len(moved) != 1:
            return None
        service = earlier.new_service_of(moved[0])
        if service is not None:
            self.changed_service = (moved[0].id, service)
        return moved[0]

    def other_day_or_said(self, day: date) -> date | None:
        """The second of two days offered as a choice ("thursday or friday afternoon"), when
        ``day`` is the first; None when the message names no such pair. (Only the message
        itself: the times it then lists are asked of both.)"""
        pair = _DAYS_OR_RE.search(self.text)
        if pair is None:
            return None
        first, second = self.read(pair["first"]).day, self.read(pair["second"]).day
        if first != day or second is None or second == day:
            return None
        return second

    def month_past_horizon(self) -> str | None:
        """ "for mid june?" when all of June is past the booking horizon: we cannot book it
        yet, and the last day we can, said. None when no month is named alone or it starts
        within the horizon."""
        found = _MONTH_ALONE_RE.search(self.text)
        if found is None:
            return None
        today = self.local_now.date()
        month = month_number(found["month"])
        year = today.year + (1 if month < today.month else 0)
        first = date(year, month, 1)
        last = today + timedelta(days=self.profile.horizon_days)
        if first <= last:
            return None
        while not self.profile.intervals_on(last) and last > today:
            last -= timedelta(days=1)  # the last day we are open
        return (
            f"Sorry, we only take bookings up to {self.profile.horizon_days} days ahead, so "
            f"{first:%B} can't be booked yet: the latest day is {last:%A %-d %B %Y}. Please "
            "message us again nearer the time."
        )

    def day_past_horizon(self, day: date, clock: time | None = None) -> str | None:
        """ "she's due in april, could we do the 12th?" with 12 April past the booking horizon:
        not yet, and from which day it can be booked (the time asked said with it, so that
        "the 5th of march then? same time" can follow). None when ``day`` is within it."""
        horizon = self.profile.horizon_days
        if day <= self.local_now.date() + timedelta(days=horizon):
            return None
        opens = day - timedelta(days=horizon)
        at = f" at {clock:%H:%M}" if clock is not None else ""
        # (worded as any slot turned down, "Sorry, … isn't possible: …", so that "the 5th of
        # march then? same time" reads the time from it)
        return (
            f"Sorry, {day:%A %-d %B %Y}{at} isn't possible yet: we only take bookings up to "
            f"{horizon} days ahead, so it can be booked from {opens:%A %-d %B %Y}. Please message "
            "us again then, or tell me another day."
        )

    def earlier_offer(self) -> tuple[When, str, str | None, Channel] | None:
        """The one new slot one of our recent messages proposed, on either channel, that is
        still to come and not booked ("I can do Thursday 10 December at 15:00 for Milo's
        vaccination. Shall I book it?" said on a call): (day and time, the pets it named, its
        service key, the channel). None when our recent messages proposed none, or the last
        one proposed was booked, has passed, or moved or cancelled a booking."""
        for turn in reversed(self.context.history[-_RECALL_TURNS:]):
            ours = turn.text
            if turn.direction is not Direction.OUTBOUND or not ("?" in ours or "YES" in ours):
                continue
            offered = [m for m in OFFERED_RE.finditer(ours) if m["day"]]
            if len(offered) != 1:
                continue
            if re.search(r"\b(?:move|moved|cancel|cancelled)\b", ours, re.IGNORECASE):
                return None
            when = self.read(normalise(offered[0].group(0)))
            start = when.at(self.local_now)
            if start is None or start <= self.local_now:
                return None
            if any(self.local(b.slot_start) == start for b in self.upcoming):
                return None
            pets = [p for p in self.pets_in(ours, known=self.known, transcript=False) if is_name(p)]
            service = self.profile.find_service(normalise(ours))
            return when, join(pets), service.key if service else None, turn.channel
        return None

    def same_again_for(self) -> AgentDecision | None:
        """ "same for olive pls", "can pip have the same" just after our "Done: …" for another
        pet (set 205): that visit (its day, time and service) for the pet named, read back for
        a yes. None when the message asks no such thing or our last message did not book one
        visit."""
        asked = _SAME_FOR_RE.search(self.text)
        if asked is None or self.pending is not None:
            return None
        pet = next(g for g in asked.groups() if g)
        done = self.booking_just_done()
        if done is None or done.subject.lower() == pet:
            return None
        local = self.local(done.slot_start)
        return self.book(
            When(day=local.date(), clock=local.time()),
            subject=_title_of(pet, self.context.message),
            service_key=done.service,
        )

    def wanted_after_all(self) -> AgentDecision | None:
        """ "ok found the booklet, nutmeg IS due 🙈 both after all please" after our read-back of
        Hugo and Nutmeg and a yes for Hugo alone (set 192): the pets of that read-back not booked
        since, at its slot, read back for a yes. None when the message says no such thing or no
        read-back of several pets leaves one out."""
        if self.pending is not None or not _AFTER_ALL_RE.search(self.text):
            return None
        for turn in reversed(self.context.history):
            if turn.direction is not Direction.OUTBOUND:
                continue
            found = _SEVERAL_READ_BACK_RE.search(turn.text)
            if found is None:
                continue
            pets = re.split(r", | and ", found["pets"])
            booked = {b.subject.lower() for b in self.upcoming}
            left = [p for p in pets if p.lower() not in booked]
            when = self.read(normalise(found["slot"]))
            if not left or len(left) == len(pets) or when.day is None or when.clock is None:
                return None
            request = self.request_before(turn)
            service = self.profile.find_service(normalise(request)) if request else None
            decision = self.book(
                when, subject=join(left), service_key=service.key if service else None
            )
            if decision.proposal is not None:
                done = [p for p in pets if p not in left]
                verb = "is" if len(done) == 1 else "are"
                decision.reply = f"{join(done)} {verb} booked already. {decision.reply}"
            return decision
        return None

    def request_before(self, ours: HistoryTurn) -> str | None:
        """The customer's message just before our message ``ours``, None when there is none."""
        history = self.context.history
        at = history.index(ours)
        earlier = [t.text for t in history[:at] if t.direction is Direction.INBOUND]
        return earlier[-1] if earlier else None

    def left_out_booked(self) -> AgentDecision | None:
        """ "hang on did you do otis as well? it only says mabel" (set 198), Otis not booked: his
        visit as the customer's earlier request asked it (its day, time and service), read back
        for a yes. None when no such pet is asked after, it is booked, or no earlier message of
        the customer's gives it a day and time."""
        asked = _DID_YOU_DO_RE.search(self.text)
        if asked is None or self.pending is not None:
            return None
        pet = asked["pet"]
        if any(b.subject.lower() == pet for b in self.upcoming):
            return None
        for turn in reversed(self.context.history):
            if turn.direction is not Direction.INBOUND:
                continue
            if not re.search(rf"\b{re.escape(pet)}\b", turn.text, re.IGNORECASE):
                continue
            said = normalise(turn.text)
            when = self.read(said)
            if when.day is None or when.clock is None:
                return None
            service = self.profile.find_service(said)
            decision = self.book(
                when,
                subject=_title_of(pet, turn.text),
                service_key=service.key if service else None,
            )
            if decision.proposal is not None:
                decision.reply = (
                    f"Sorry, {decision.proposal.subject} isn't booked yet. {decision.reply}"
                )
            return decision
        return None

    def subjects_from_history(self) -> list[str]:
        """Who the customer's last messages were about ("Max needs a checkup" / "thursday
        10am"), while they are still talking about a booking."""
        # "could he come monday?" a few turns after Max's cancellation: he is the pet talked
        # about last, further back than a request's usual reach, not the only pet on record
        pronoun = re.search(r"\b(?:he|she|him|her|his|they|them)\b", self.text)
        reach = CONTEXT_TURNS * 3 if pronoun else CONTEXT_TURNS
        day = self.when.day
        ours = self.context.history[-1] if self.context.history else None
        if day is None and ours is not None and ours.direction is Direction.OUTBOUND:
            # "ok 10.45 then" to our times for that day: the pets booked that day are hosts
            day = self.read(normalise(ours.text)).day
        hosts = {
            b.subject.lower()
            for b in self.upcoming
            if day is not None and self.local(b.slot_start).date() == day
        }
        for turn in reversed(self.context.history[-reach:]):
            if turn.direction is not Direction.INBOUND:
                continue
            found = self.pets_in(turn.text, known=self.known, transcript=self.voice)
            # (not a pet named only as another's kin: "marmalade's brother custard needs his
            # jabs" is Custard's visit, set 200)
            kin = {
                other
                for other, pet in kin_told(normalise(turn.text))
                if any(f.lower() == pet for f in found)
            }
            found = [f for f in found if f.lower() not in kin] or found
            newcomers = [f for f in found if f.lower() not in hosts]
            if newcomers and len(newcomers) < len(found):
                # "ziggy and stardust are in on thursday at 4 - could we bring moon at the same
                # time?" / … / "ok 4.30 then": Moon, the pets booked that day are hers to follow
                return newcomers
            if found:
                return found
        for turn in reversed(self.context.history[-reach:]):
            # "groom for ziggy" / … / "4pm?" / our "Sorry … isn't possible …" / "11 then": the
            # pet our own questions named in the meantime ("What time … for Ziggy?")
            if turn.direction is Direction.OUTBOUND and _FOR_PET_ASKED_RE.search(turn.text):
                named = [
                    n
                    for n in self.pets_in(turn.text, known=self.known, transcript=False)
                    if is_name(n)
                ]
                if named:
                    return named
        journey = any(
            t.direction is Direction.OUTBOUND
            and (_JOURNEY_PET_RE.match(t.text) or _RECALLED_PET_RE.search(t.text))
            for t in self.context.history[-reach:]
        )
        if pronoun is not None or journey:
            # "ok can he come friday at 6pm" to our recall ("… Bruno is due his annual booster
            # … Reply to this message and we'll get him booked in"): the pet it named; so too
            # "8.30 then" a few turns after our "It's almost a year since Gizmo's last …"
            for turn in reversed(self.context.history[-reach:]):
                if turn.direction is not Direction.OUTBOUND or turn.text.startswith("Done:"):
                    continue
                if _RECALLED_PET_RE.search(turn.text) or _JOURNEY_PET_RE.match(turn.text):
                    # (its call to act is no pet: "… Reply here to book.")
                    told = _CALL_TO_ACT_RE.sub(" ", turn.text)
                    named = [
                        n
                        for n in self.pets_in(told, known=self.known, transcript=False)
                        if is_name(n)
                    ]
                    if len(named) == 1:
                        return named
                    break
        return []

    def named_since_history(self) -> str | None:
        """The pet our last message named when the customer's earlier messages gave only its
        kind ("my dog" / "…for your dog?" / "Rocky" / "What time … for Rocky?" / "10:45"): that
        name, not "your dog". None otherwise."""
        earlier = self.subjects_from_history()
        if not earlier or any(is_name(s) for s in earlier):
            return None
        return self.subject_we_named()

    def subject_we_named(self) -> str | None:
        """The pets our own last message named ("I have Friday at 10:15 or 15:30 for Bella"),
        while the customer answers it without a name ("10.15 pls"); None otherwise."""
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        ours = self.pets_in(history[-1].text, known=self.known, transcript=False)
        named = [n for n in ours if is_name(n)]
        if not named:
            # "…would you like for your cat? I have 08:30, …": the animal we said
            named = re.findall(r"\bfor (your [a-z]+)\b", history[-1].text)[:1]
        return join(named) or None

    def which_pet_needed(self, subject: str) -> bool:
        """Whether a new booking said of an animal alone ("book the cat in", "can my dog come")
        must ask which pet: the CRM knows two pets or more and holds no species, so "the cat"
        could be any of them."""
        said = subject.lower()
        if not said.startswith("your ") or said.removeprefix("your ") not in ANIMALS.values():
            return False
        if said.endswith("s") or said != join(self.subjects).lower():
            return False  # "the dogs": all of them; an animal not from this message: as before
        if _NEW_PET_RE.search(self.text):
            return False  # "my new kitten", "we just got a puppy": none of those on record
        pets = {k.lower() for k in self.known if k.lower() not in self.business_words}
        return len(pets) >= 2

    def pets_on_record(self) -> list[str]:
        """Every pet the CRM's bookings name for this customer (drafts aside), as stored ("Max",
        or "cat" for one booked by its animal), once each; not "you"."""
        pets: dict[str, str] = {}
        for booking in self.context.bookings:
            said = booking.subject.strip()
            key = said.lower().removeprefix("your ")
            if booking.status == "draft" or key in {"", "you", "yourself"}:
                continue
            if set(key.split()) & self.business_words:
                continue
            pets.setdefault(key, said)
        return list(pets.values())

    def pet_on_record(self) -> str | None:
        """The customer's one pet on record, for a call's booking request that names none
        ("can I book Friday at 2?" from Luna's owner, or Luna's name lost on the line): read
        back, so the caller hears whom it is for; None with none or several. (In writing a
        request without a name stays the customer's: they wrote what they meant.)"""
        pets = self.pets_on_record()
        return pets[0] if len(pets) == 1 else None

    def ask_which_pet(self) -> AgentDecision | None:
        """A booking about to be read back for nobody named: with several pets on record,
        which of them (in writing too); on a call with none, who it is for, as a pet's name
        missed on the line would otherwise be booked "for you" (a misheard "for my cart" is
        not read back as a pet either). None on WhatsApp with no pet on record: the booking
        is the customer's as written."""
        named = [p for p in self.pets_on_record() if is_name(p)]
        if len(named) >= 2:
            return reply_as(
                Intent.CLARIFY,
                f"Which of your pets is that for: {or_listed(named[:4])}, or another one?",
            )
        if self.voice:
            return reply_as(Intent.CLARIFY, _WHO_FOR)
        if _SOME_OF_MINE_RE.search(self.text):
            # "can you book two of mine in for friday at 10? the third one can wait" (set 209):
            # a visit each, for pets we cannot name; their names asked, nothing booked for "you"
            return reply_as(
                Intent.CLARIFY, "Of course. Which pets is it for? Please tell me their names."
            )
        if _ONE_OF_SEVERAL_RE.search(self.text):
            # "can i book the big one in for his jabs" with no pet on record (set 197): one of
            # several pets, which we cannot tell; their name asked, nothing booked for "you"
            return reply_as(
                Intent.CLARIFY, "Of course. Which pet is it for? Please tell me their name."
            )
        return None

    def last_visit(self) -> BookingView | None:
        """The visit asked for again ("the usual", "same as last time for Milo"): the latest
        confirmed booking before now, of the pet named when one is; None when the message does
        not ask for that or the CRM holds no such visit."""
        named = {s.lower() for s in self.subjects if is_name(s)}
        if self.models:
            # "the same as bella had last week": Bella's latest visit (or her next, if she has
            # had none), for the pet named
            model = {m.lower() for m in self.models}
            theirs = [
                b
                for b in self.context.bookings
                if b.status == "confirmed" and b.subject.lower() in model
            ]
            had = [b for b in theirs if as_utc(b.slot_start) <= self.now]
            if had:
                return max(had, key=lambda b: as_utc(b.slot_start))
            return min(theirs, key=lambda b: as_utc(b.slot_start), default=None)
        if not USUAL_RE.search(self.text):
            return None
        return self.latest_visit(named)

    def latest_visit(self, named: set[str]) -> BookingView | None:
        """The latest confirmed visit before now of a pet in ``named`` (lower case; any when
        empty): the CRM's, else the one our own log confirmed (``visit_in_log``); None when
        neither holds one."""
        past = [
            b
            for b in self.context.bookings
            if b.status == "confirmed"
            and as_utc(b.slot_start) <= self.now
            and (not named or b.subject.lower() in named)
        ]
        return max(past, key=lambda b: as_utc(b.slot_start), default=None) or self.visit_in_log(
            named
        )

    def visit_in_log(self, named: set[str]) -> BookingView | None:
        """The latest past visit our own messages confirmed ("Done: Max's grooming on Monday 2
        November at 10:00."), of a pet in ``named`` (lower case; any when empty), as a booking
        the CRM did not hand us; None when no message of ours says one."""
        for turn in reversed(self.context.history):
            if turn.direction is not Direction.OUTBOUND or not turn.text.startswith("Done:"):
                continue
            said = normalise(turn.text)
            services = answers.services_named(said, self.profile)
            pets = [
                s
                for s in self.pets_in(turn.text, known=self.known, transcript=False)
                if is_name(s) and (not named or s.lower() in named)
            ]
            when = self.read(said)
            day = when.past_day or when.day
            # (the usual service is not said in our "Done: Rocky is booked for …", set 160)
            if len(services) > 1 or not pets or day is None or when.clock is None:
                continue
            start = datetime.combine(day, when.clock, tzinfo=self.local_now.tzinfo)
            if start.astimezone(UTC) > self.now:
                continue
            return BookingView(
                id="in-log",
                slot_start=start.astimezone(UTC),
                subject=join(pets),
                status="confirmed",
                service=services[0].key if services else self.profile.service().key,
            )
        return None

    def only_pet(self) -> str | None:
        """The one pet the CRM knows for this customer, when the message speaks of it as "she"
        or "him" without a name ("the vet said she should come back"); None otherwise."""
        pronoun = r"\b(?:she|he|her|him|his)\b"
        history = self.context.history
        # ... or the request our last question answered did ("could he get his nails clipped
        # straight after?" / "Sorry, … I can offer …?" / "2pm that afternoon then", set 225)
        asked_before = (
            len(history) >= 2
            and history[-1].direction is Direction.OUTBOUND
            and history[-1].text.rstrip().endswith("?")
            and history[-2].direction is Direction.INBOUND
            and re.search(pronoun, normalise(history[-2].text)) is not None
        )
        if not re.search(pronoun, self.text) and not asked_before:
            return None
        pets = {b.subject for b in self.context.bookings if b.status == "confirmed"}
        named = [p for p in pets if is_name(p)]
        return named[0] if len(named) == 1 and len(pets) == 1 else None

    def clock_we_asked_about(self) -> time | None:
        """The time of our own last question "Which day would you like at 11:30?", if that
        was the last thing we said: the day the customer answers goes with it."""
        ours = [
            t for t in self.context.history[-CONTEXT_TURNS:] if t.direction is Direction.OUTBOUND
        ]
        if not ours:
            return None
        found = _DAY_AT_RE.search(ours[-1].text)
        return time(int(found.group(1)), int(found.group(2))) if found else None

    def day_from_history(self) -> When:
        """The day last mentioned in the conversation ("book friday" / "at 3pm"): any day the
        customer named, or a date we wrote out ("Friday 11 December"); not the "today" of our
        own "How can I help you today?"."""
        for turn in reversed(self.context.history[-CONTEXT_TURNS:]):
            text = normalise(turn.text)
            # ("The appointment for Peanut is on Tuesday 15 December at 11:00. What time on
            # Monday 14 December would you like it moved to?": the day our question asks about)
            question = re.search(r"\bwhat time on\b", text)
            written = _WRITTEN_DATE_RE.search(text, question.start() if question else 0)
            if turn.direction is Direction.OUTBOUND:
                if written is None:
                    continue
                # ("Tomorrow, Monday 7 December, I have …" sent last night: the date written)
                text = text[max(0, written.start() - 10) : written.end()]
            said = read_when(
                text,
                # "can I bring Rolo tomorrow morning?" sent last night: this morning
                now=self.local(turn.at) if turn.at < self.now else self.local_now,
                holidays=self.holidays,
            )
            if said.day is not None:
                return When(day=said.day)
        return When()

    def day_beside_booking(self) -> date | None:
        """The day after (or before) a booking the message names by its pet and service ("could
        luna have a check-up the day after her jab?"): that booking's day plus (minus) one.
        None when the message says no such day or it names no one upcoming booking."""
        found = _DAY_BESIDE_BOOKING_RE.search(self.text)
        if found is None:
            return None
        named = {s.lower() for s in self.subjects if is_name(s)}
        theirs = [b for b in self.upcoming if not named or b.subject.lower() in named]
        said = {s.key for s in answers.services_named(found["what"], self.profile)}
        if said:
            theirs = [b for b in theirs if b.service in said]
        if len(theirs) != 1:
            return None
        step = 1 if found["side"] == "after" else -1
        return self.local(theirs[0].slot_start).date() + timedelta(days=step)

    def fallback_said(self, when: When, slot: datetime) -> When | None:
        """The day or time the message gives for when the one asked (``when``, at ``slot``) is
        not to be had ("if 3's full then 4 is fine", "8am? or 9 if you're not open that early",
        "saturday afternoon? if not then next monday at 2pm"), with what it leaves unsaid
        taken from ``when``; None when it gives none, or the same slot."""
        found = _FALLBACK_RE.search(self.text)
        if found is None:
            return None
        alt = next((found[k] for k in ("alt", "alt2", "alt3", "alt4") if found[k]), "").strip()
        # (a bare hour: "or 9 if you're not open that early")
        said = self.read(f"at {alt}" if re.match(r"\d", alt) else alt)
        bare = re.search(r"\b\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?\b", alt)
        if said.clock is None and bare is not None:
            # "If not I suppose 12 would do" (set 144)
            said = replace(said, clock=self.read(f"at {bare.group(0)}").clock)
        if said.clock is None and said.day is None:
            return None
        wanted = merge(said, when)
        start = wanted.at(self.local_now)
        if start is None or start.astimezone(UTC) == slot:
            return None
        return wanted

    def free_starts(
        self, day: date, service: Service, moving: BookingView | None
    ) -> list[datetime]:
        """The free starts (UTC) of ``service`` on ``day``, ``moving``'s own slot counted free."""
        return free_slots_on(
            self.profile,
            self.context.busy,
            day,
            service,
            now=self.now,
            ignore_booking=moving.id if moving else None,
        )

    def in_window_said(
        self,
        when: When,
        window: Window,
        service: Service,
        moving: BookingView | None,
        *,
        latest: bool,
    ) -> tuple[When, list[datetime]] | None:
        """``when`` at the first free start of ``window``, the one the message says ("any time
        after 2", "she finishes at 3:30 and we're 5 mins away", "out by 9:15", "lunchtime"; the
        last start for "as late as possible"), when it gives a day and no time but the window's
        ends, with the window's other free starts (local); None when it gives a time of its own
        or nothing in the window is free (the time read refused with the nearest free ones, or
        the day's times asked)."""
        if when.day is None or (
            moving is not None and window.earliest == self.local(moving.slot_start).time()
        ):
            return None  # ("move it from 10 to 3pm": from its time, not a window)
        ends = {(t.hour % 12, t.minute) for t in window.bounds()}
        if when.clock is not None and (when.clock.hour % 12, when.clock.minute) not in ends:
            return None  # a time of its own beside the window ("at 3, or after 4 if not")
        free = [
            slot
            for slot in self.free_starts(when.day, service, moving)
            if window.fits(self.local(slot), service.duration_minutes)
        ]
        if not free:
            return None
        own = self.read(without_window(self.text)).clock
        if moving is not None and own == self.local(moving.slot_start).time():
            own = None  # "we're booked at 5 but could do any time after 3"
        if own is not None and any(self.local(slot).time() == own for slot in free):
            # "saturday at 11, need to be home by 12.30": the time said, in the window
            return replace(when, clock=own, part=None, approximate=False), []
        chosen = free[-1] if latest else free[0]
        others = [self.local(f) for f in free if f != chosen]
        return replace(when, clock=self.local(chosen).time(), part=None, approximate=False), others

    def book(
        self,
        when: When,
        *,
        moving: BookingView | None = None,
        subject: str | None = None,
        service_key: str | None = None,
        exact: bool = False,
        windowed: bool = False,
    ) -> AgentDecision:
        """Propose a slot the calendar can take, or say why not with the nearest free times, or
        ask for the missing day or time. ``exact``: ``service_key`` is the service, whatever
        else the message names; ``windowed``: ``when`` is already the time chosen in the
        window the message says (``in_window_said``)."""
        visit = self.last_visit() if moving is None else None
        if (
            moving is None
            and when.day is None
            and when.shift is not None
            and when.shift >= timedelta(days=1)
            and _AFTER_LAST_VISIT_RE.search(self.text)
        ):
            # "the vet wants to see archie again a week after his last visit … afternoon would
            # be better" (set 160): a week on from that visit (the CRM's, or the one our log
            # confirmed), at the time asked, never the visit's own hour
            seen = self.latest_visit({s.lower() for s in self.subjects if is_name(s)})
            if seen is not None:
                when = replace(when.shifted(self.local(seen.slot_start)), clock=when.clock)
        if (
            moving is None
            and when.day is not None
            and when.shift is not None
            and when.shift in (timedelta(days=1), timedelta(days=-1))
            and self.pets_told_booked()
        ):
            # "juno (the mum 🐶) is in with you wednesday at 11. can her puppy taco come the
            # day after, same time" (set 188): the day beside the booked pet's
            when = replace(when, day=when.day + when.shift, shift=None)
        kind_only = bool(self.subjects) and not any(is_name(s) for s in self.subjects)
        named_before = [s for s in self.subjects_from_history() if is_name(s)] if kind_only else []
        subject = (
            subject
            or (moving.subject if moving else None)
            # "booking for our dog Storm …" / … / "10.15 for the dog please": Storm
            or (join(named_before) if len(named_before) == 1 else None)
            or join(self.subjects)
            or (visit.subject if visit is not None and is_name(visit.subject) else None)
            or self.named_since_history()
            or join(self.subjects_from_history())
            or self.only_pet()
            or self.subject_we_named()
            or (self.pet_on_record() if moving is None and self.voice else None)
            or "you"
        )
        if moving is None and service_key is None and visit is not None:
            service_key = visit.service
        if (
            moving is None
            and service_key is None
            and visit is None
            and USUAL_RE.search(self.text)
            and not re.search(r"\bsame\s+time\b", self.text)
            and self.profile.find_service(self.text) is None
            and len(self.profile.services) > 1
        ):
            # "can i book bagel in for the same as last time?" with no visit on record: which
            # service is asked, never guessed
            names = or_listed([a_an(s.name.lower()) for s in self.profile.services])
            return reply_as(
                Intent.CLARIFY,
                f"I can't see an earlier visit{for_(subject)} here. Which is it this time: "
                f"{names}?",
            )
        if moving is None and self.which_pet_needed(subject):
            pets = [k for k in self.known if k.lower() not in self.business_words]
            return reply_as(
                Intent.CLARIFY,
                f"Which of your pets is that for: {or_listed(pets[:4])}, or another one?",
            )
        if moving is not None:
            # a move keeps the booking's service unless the message changes it ("move Max to
            # friday, and make it a dental"); "move max's checkup" only says which booking
            changed = self.changed_service
            own = changed is not None and changed[0] == moving.id
            service = changed[1] if changed and own else self.keyed_service(moving.service)
        else:
            service = self.keyed_service(service_key) if exact else self.service(service_key)
        if when.past_day is not None and when.day is None:
            past = when.past_day.strftime("%A %-d %B")
            return reply_as(
                Intent.CLARIFY,
                # the time said is kept for the day given next ("Which day would you like at…")
                f"{past} has already passed. "
                + (
                    _DAY_AT.format(when.clock.strftime("%H:%M"))
                    if when.clock
                    else "Which day would you like instead?"
                ),
            )
        if when.weekday_clash is not None and when.day is None:
            return reply_as(Intent.CLARIFY, self.weekday_clash_question(when))
        if when.day is None and moving is None:
            beside = self.day_beside_booking()
            when = replace(when, day=beside) if beside is not None else when
        if when.day is None and (
            when.clock is not None
            or re.search(r"\bthat\s+(?:morning|afternoon|evening|day)\b", self.text)
        ):
            # "at 3pm" after "book friday"; "the last check-up you've got that evening" after
            # our hours of Wednesday
            when = merge(when, self.day_from_history())
        if when.day is None:
            # "what have you got next week for a cat?": that week's first day with room
            said_window = read_window(self.text)
            # ("after work? i finish at 5.30": from 17:30)
            from_clock = when.clock or (said_window.earliest if said_window else None)
            if from_clock is not None and moving is None and _ONE_DAY_RE.search(self.text):
                offered = self.days_offered_at(from_clock, service, subject)
                if offered is not None:
                    return offered
            week_day = self.first_free_day_in_week_said(service)
            if week_day is not None:
                when = replace(when, day=week_day)
        if when.day is None and (NEXT_FREE_RE.search(self.text) or self.not_before is not None):
            # "next available for a nail clip please": the first free time for that service,
            # put to the customer for a yes (in the part of the day said: its times are listed)
            when = self.first_free_time(when, service)
        if when.clock is None and moving is None:
            offer = self.earlier_offer() if _REFERS_BACK_RE.search(self.text) else None
            if offer is not None and when.day in (None, offer[0].day):
                # (its day alone said: "can you still do the friday one?")
                # "the time we talked about on the phone is fine, please book Milo in"
                when, service = offer[0], self.service(offer[2])
        if when.day is None:
            if when.clock is not None:
                return reply_as(Intent.CLARIFY, _DAY_AT.format(when.clock.strftime("%H:%M")))
            too_far = self.month_past_horizon()
            if too_far is not None:
                return reply_as(Intent.CLARIFY, too_far)
            return reply_as(
                Intent.CLARIFY,
                f"{self.clash_said() or 'Sure.'} Which day and time would you like{for_(subject)}?",
            )
        too_far = self.day_past_horizon(when.day, when.clock)
        if too_far is not None:
            return reply_as(Intent.CLARIFY, too_far)
        # On a call "the fourth" may be a mishearing ("Friday" heard as "the fourth"): a far
        # day of the month is asked about first, with or without a time, and holds no proposal,
        # so one yes cannot book a day the caller never said; a yes then reads the booking back
        # (``day_check_answered``) for a second yes.
        if when.far_day_number and self.voice and when.day != self.day_checked:
            day = when.day.strftime("%A %-d %B")
            return reply_as(
                Intent.CLARIFY, f"Just to check: did you mean {day}? Which day would you like?"
            )
        if (
            when.clock is None
            and visit is not None
            and (
                _LAST_VISITS_TIME_RE.search(self.text)
                # "can biscuit have the same as last time? this saturday, same time if you've
                # got it"; "same as last time, both together, this saturday?" (set 226)
                or re.search(r"\bsame\s+time\b", self.text)
                or (when.part is None and _SAME_AS_LAST_TIME_RE.search(self.text))
            )
        ):
            # "the usual on friday? same time as last time": the last visit's time that day
            when = replace(when, clock=self.local(visit.slot_start).time())
        latest = THE_LATEST_RE.search(self.text)
        earliest = THE_EARLIEST_RE.search(self.text)
        window = read_window(self.text)
        if (
            earliest is None
            and when.part in (None, "afternoon")
            and not re.search(r"\bmorning\b", self.text)
        ):
            # "the one after lunch please": the afternoon's first (not with "late morning or
            # just after lunch", two times to choose from)
            earliest = _JUST_AFTER_LUNCH_RE.search(self.text)
            when = replace(when, part="afternoon") if earliest else when
            after_lunch = earliest is not None
        else:
            after_lunch = False
        if when.clock is None and when.day is not None and (latest or earliest) and not window:
            # "what's the latest you can fit Teddy in on friday for a groom?": the last start
            # that day at which the service still ends by closing; "what's your earliest on
            # saturday for his nails?": that day's first free start
            free = self.free_starts(when.day, service, moving)
            if when.part is not None:
                # "the last check-up you've got that evening": of that part of the day
                # (the afternoon from 13:00, as our hours answers say it: a 12:00 slot is the
                # morning's end, not "Monday afternoon … whatever's first")
                first, last = answers.PART_HOURS.get(when.part, (0, 24))
                free = [f for f in free if first <= self.local(f).hour < last]
            spans = self.profile.intervals_on(when.day)
            if after_lunch and len(spans) > 1:
                free = [f for f in free if self.local(f) >= spans[-1][0]]  # once reopened
            if free:
                when = replace(
                    when, clock=self.local(free[-1] if latest else free[0]).time(), part=None
                )
        inside = (
            self.in_window_said(when, window, service, moving, latest=latest is not None)
            if window is not None and not windowed
            else None
        )
        if inside is not None:
            # the first (last) free time in the window proposed, the window's others listed
            decision = self.book(
                inside[0],
                moving=moving,
                subject=subject,
                service_key=service_key,
                exact=exact,
                windowed=True,
            )
            others = [f.strftime("%H:%M") for f in inside[1]]
            if decision.proposal is not None and others:
                listed = or_listed(spread_over(others, 3))
                decision.reply = f"{decision.reply} I also have {listed}."
            return decision
        before = _BEFORE_RE.search(self.text)
        if (
            before is not None
            # ("I can't get there before 6 … tuesday at 6": from 6, and at 6)
            and _NOT_BEFORE_RE.search(self.text) is None
            and when.clock is not None
            and when.day is not None
            and moving is None
            and self.read(f"at {before['clock']}").clock == when.clock
        ):
            # "anytime before 11": 11 bounds the time, it is not the time; the first free one
            # before it is proposed when any time will do, else the times before it are asked
            free = [
                slot
                for slot in free_slots_on(
                    self.profile, self.context.busy, when.day, service, now=self.now
                )
                if self.local(slot).time() < when.clock
            ]
            if free and re.search(r"\b(?:any\s*time|whenever|any)\b", self.text):
                when = replace(when, clock=self.local(free[0]).time())
            else:
                when = replace(when, clock=None)
        if when.clock is None:
            asked = self.clock_we_asked_about() if self.when.clash is None else None
            if asked is None and moving is not None and when.day is not None:
                # a move to a day without a time: that day's times asked as a move, so the
                # time answered next moves the booking (not a second one)
                return self.ask_move_time(moving, when)
            if asked is None:
                return self.ask_time(when, service, subject)
            when = replace(when, clock=asked)
        start = when.at(self.local_now)
        assert start is not None
        slot = start.astimezone(UTC)
        checked = self.booked_slot_checked(slot, subject) if moving is None else None
        if checked is not None:
            return checked
        if moving is not None and slot == as_utc(moving.slot_start):
            # a move to where it already is ("this thursday" said of this Thursday's booking)
            return reply_as(
                Intent.CLARIFY,
                f"The appointment{for_(subject)} is already on {self.say(moving.slot_start)}. "
                "When would you like it instead?",
            )
        ignore = moving.id if moving else None
        check = check_slot(
            self.profile, self.context.busy, slot, service, now=self.now, ignore_booking=ignore
        )
        if not check.free:
            fallback = self.fallback_said(when, slot)
            if fallback is not None:
                # "tmrw at 3? if 3's full then 4 is fine": the time they gave for that case
                decision = self.book(
                    fallback, moving=moving, subject=subject, service_key=service_key, exact=exact
                )
                if decision.proposal is not None:
                    # (a closed day said so, whatever the hour: "Sorry, we're closed on
                    # Sundays.", set 144)
                    why = describe_reason(check, self.profile)
                    head = (
                        f"{why}. So"
                        if why.startswith("we're closed on")
                        else f"{self.say(slot)} isn't free, so"
                    )
                    decision.reply = f"Sorry, {head} as you said: {decision.reply}"
                    return decision
            return self.offer_instead(slot, service, check, ignore, subject=subject)
        if moving is None and NOT_BOOKING_YET_RE.search(self.text):
            # "is friday at 11 free? not booking yet, just need to check with work first":
            # whether it is free, and nothing held for a yes
            return reply_as(
                Intent.ANSWER,
                f"Yes, {self.say(slot)} is free at the moment. Would you like to book it when "
                "you're ready?",
            )
        new_pet = _NEW_PET_RE.search(self.text) if moving is None else None
        if subject == "you" and new_pet is not None:
            # "we just got a puppy, can he come in thursday": the new one, none on record
            subject = f"your {new_pet['animal'] or new_pet['animal2']}"
        if moving is None and subject == "you":
            who = self.ask_which_pet()
            if who is not None:
                return who
        # (one pet: with several, each clause's own service is only settled after this)
        alone = moving is None and len(self.subjects) <= 1
        overlap = self.own_booking_overlapping(subject, slot, service) if alone else None
        if overlap is not None:
            return overlap
        proposal = BookingProposal(
            slot_start=slot,
            subject=subject,
            service=service.key,
            booking_id=moving.id if moving else None,
        )
        what = "" if service.key == self.profile.default_service else f" ({service.name})"
        if moving is not None:
            as_new = self.keyed_service(moving.service).key != service.key
            return AgentDecision(
                intent=Intent.PROPOSE_RESCHEDULE,
                proposal=proposal,
                reply=f"I can move the appointment{for_(subject)} from "
                f"{self.say(moving.slot_start)} to {self.say(slot)}"
                f"{f', as {a_an(service.name)}' if as_new else ''}. {self.ask()}",
            )
        return AgentDecision(
            intent=Intent.PROPOSE_BOOKING,
            proposal=proposal,
            reply=f"I can book {self.say(slot)}{for_(subject)}{what}. {self.ask()}",
        )

    def booked_slot_checked(self, slot: datetime, subject: str) -> AgentDecision | None:
        """A booking said back to be checked ("hey just confirming luna thursday 9am 👍",
        "thursday 9 still ok? 🙂"): yes, it is booked, nothing proposed. None unless the
        message checks and exactly one upcoming booking (of the pet named, if one is) starts
        at ``slot`` (UTC)."""
        if not _CHECKING_RE.search(self.text) or MAKE_ONE_RE.search(self.text):
            return None  # "just checking, can I book thursday at 9?" asks for another
        named = subject.lower() if is_name(subject) else None
        there = [
            b
            for b in self.upcoming
            if as_utc(b.slot_start) == slot and (named is None or b.subject.lower() == named)
        ]
        if len(there) != 1:
            # "just double checking marlowe's appointment on thursday is at 2.30?" (it is at
            # 14:00): the time on file said, nothing proposed
            day = self.local(slot).date()
            that_day = [
                b
                for b in self.upcoming
                if self.local(b.slot_start).date() == day
                and (named is None or b.subject.lower() == named)
            ]
            if len(that_day) != 1:
                return None
            booking = that_day[0]
            return reply_as(
                Intent.ASK_BOOKING,
                f"Just to check: the appointment{for_(booking.subject)} is on "
                f"{self.say(booking.slot_start)}, not {self.local(slot):%H:%M}. If you'd like it "
                "moved, just tell me the time.",
            )
        who = there[0].subject if is_name(there[0].subject) else "you"
        booked = "you're booked" if who == "you" else f"{who} is booked"
        return reply_as(
            Intent.ASK_BOOKING,
            f"Yes, that's right: {booked} for {self.say(there[0].slot_start)}. See you then!",
        )

    def own_booking_overlapping(
        self, subject: str, slot: datetime, service: Service
    ) -> AgentDecision | None:
        """The pet's own confirmed booking that a new one at ``slot`` (UTC) would overlap
        (``pet_booked_over``): a customer who forgot the booking is told of it ("Max is already
        booked for Thursday 10 December at 15:00"), nothing proposed. None when there is none."""
        end = slot + timedelta(minutes=service.duration_minutes)
        booking = pet_booked_over(self.upcoming, subject, slot, end, self.profile)
        if booking is None:
            return None
        return reply_as(
            Intent.CLARIFY,
            booked_over_reply(
                subject,
                self.say(booking.slot_start),
                None if as_utc(booking.slot_start) == slot else self.local(slot).strftime("%H:%M"),
            ),
        )

    def ask_time(self, when: When, service: Service, subject: str) -> AgentDecision:
        """A day without a time: the free times that day (``ask_time_on``); two days asked as
        a choice ("thursday or friday afternoon"): each one's."""
        assert when.day is not None
        already = [
            b
            for b in self.upcoming
            if b.subject.lower() == subject.lower() and self.local(b.slot_start).date() == when.day
        ]
        if len(already) == 1 and is_name(subject) and not _ANOTHER_VISIT_RE.search(self.text):
            # "can i book rusty in for thursday morning?" with Rusty booked then (set 230): that
            # booking said first, in case it is the one
            asked = self.ask_time_on(when, service, subject)
            said = f"{subject} is already booked for {self.say(already[0].slot_start)}."
            return asked.model_copy(update={"reply": f"{said} {asked.reply}"})
        other = self.other_day_or_said(when.day)
        if other is not None:
            first = self.ask_time_on(when, service, subject)
            second = self.ask_time_on(replace(when, day=other), service, subject)
            times_second = _HAVE_TIMES_RE.search(second.reply)
            if _HAVE_TIMES_RE.search(first.reply) is not None and times_second is not None:
                # (the first day's question kept as it is: a bare hour answering it is that
                # day's, and the service asked stays the one answered)
                return reply_as(
                    Intent.CLARIFY,
                    f"{first.reply} On {other:%A %-d %B} I have {times_second['times']}.",
                )
            return first
        return self.ask_time_on(when, service, subject)

    def part_wanted_before(self) -> str | None:
        """The part of the day the request being answered said ("can I get an appointment
        for Maple next week? … mornings are best for me"), when our last message asked which
        time ("What time on Monday 14 December …?") and this one asks another day; None when
        none was said since the last booking made."""
        history = self.context.history
        if len(history) < 2 or history[-1].direction is not Direction.OUTBOUND:
            return None
        if not WHAT_TIME_RE.search(history[-1].text):
            return None
        for turn in reversed(history[-2 * CONTEXT_TURNS :]):
            if turn.direction is Direction.OUTBOUND:
                if turn.text.startswith("Done:"):
                    return None
                continue
            part = self.read(normalise(turn.text)).part
            if part is not None:
                return part
        return None

    def ask_time_on(self, when: When, service: Service, subject: str) -> AgentDecision:
        """A day without a time: the free times that day (in the part of the day asked for)."""
        if when.part is None and when.clock is None and self.when.part is None:
            # "… next week? mornings are best for me" / "What time on Monday …?" / "tuesday?":
            # Tuesday's mornings
            when = replace(when, part=self.part_wanted_before())
        assert when.day is not None
        day_text = when.day.strftime("%A %-d %B")
        free = free_slots_on(self.profile, self.context.busy, when.day, service, now=self.now)
        free = self.outside_work(free) or free
        if when.part is not None:
            free = [s for s in free if part_of_day(self.local(s).hour) == when.part] or free
            free = self.early_or_late(free)
        free = self.after_lunch(free, when.part)
        if LATEST_RE.search(self.text):
            free = free[-3:]  # "end of the day friday": the last free times before closing
        not_before = _NOT_BEFORE_RE.search(self.text)
        if not_before is not None:
            # "I work nights so nothing before 10am", "I can't leave work before 4": from then
            bound = self.read(f"at {not_before['clock'] or not_before['clock2']}").clock
            free = [s for s in free if bound is not None and self.local(s).time() >= bound] or free
        before = _BEFORE_RE.search(self.text) if not_before is None else None
        if before is not None and not NOT_A_REQUEST_RE.search(self.text[: before.start()]):
            bound = self.read(f"at {before['clock']}").clock
            early = [s for s in free if bound is not None and self.local(s).time() < bound]
            if bound is not None and free and not early:
                return self.nothing_before(bound, when, free[0], service, subject)
            free = early or free
        work = _WORK_STARTS_RE.search(self.text)
        if work is not None and before is None:
            # "before work on wednesday? I start at 9": a visit over by then
            starts = self.read(f"at {work['clock']}").clock
            length = timedelta(minutes=service.duration_minutes)
            over = [
                s
                for s in free
                if starts is not None
                and (self.local(s) + length).time() <= starts
                and self.local(s).hour >= 6
            ]
            if len(over) == 1:
                first = replace(when, clock=self.local(over[0]).time(), part=None)
                return self.book(first, subject=subject, service_key=service.key, exact=True)
            free = over or free
        if not free:
            start = datetime.combine(when.day, datetime.min.time(), tzinfo=self.zone).replace(
                hour=12
            )
            check = check_slot(
                self.profile, self.context.busy, start.astimezone(UTC), service, now=self.now
            )
            why = describe_reason(check, self.profile) if not check.free else "we're fully booked"
            return self.offer_instead(start.astimezone(UTC), service, check, None, lead=why)
        if _ANY_TIME_RE.search(self.text):
            # "asap", "whenever you're free on tuesday": the first free time, read back for a yes
            first = replace(when, clock=self.local(free[0]).time())
            return self.book(first, subject=subject, service_key=service.key)
        times = spread_over([self.local(s).strftime("%H:%M") for s in free], 4)
        lead = self.clash_said() or self.closes_before_part(when) or self.holiday_beside(when)
        return reply_as(
            Intent.CLARIFY,
            f"{lead + ' ' if lead else ''}What time on {day_text} would you like{for_(subject)}? "
            f"I have {or_listed(times)}.",
        )

    def holiday_beside(self, when: When) -> str:
        """ "We're closed on Friday 25 December (Christmas Day)." when the message offers
        another date than ``when``'s that is a holiday ("anything on the 24th or 25th?", set
        200); "" otherwise."""
        for piece in re.split(r"\s+(?:or|and)\s+|,\s*", self.text):
            day = self.read(piece).day
            if day is not None and day != when.day and day in self.holidays:
                return f"We're closed on {day:%A %-d %B} ({self.holidays[day]})."
        return ""

    def days_asked_open(self) -> list[date]:
        """The days an opening-hours question names, in order ("are you open on the 24th and
        31st?" → 24 and 31 December); empty when it asks no such thing."""
        if not answers.about_hours(self.text):
            return []
        days: list[date] = []
        for piece in re.split(r"\s+(?:and|or|&)\s+|,\s*", self.text):
            day = self.read(piece).day
            if day is not None and day not in days:
                days.append(day)
        return days

    def closes_before_part(self, when: When) -> str:
        """ "We close at 13:00 on Saturdays." when the part of the day asked for ("saturday
        afternoon") starts at or after the day's closing (``PART_STARTS``); "" otherwise."""
        assert when.day is not None
        spans = self.profile.intervals_on(when.day)
        starts = PART_STARTS.get(when.part or "")
        if not spans or starts is None:
            return ""
        closing = max(end for _, end in spans)
        if closing.time() > starts:
            return ""
        return f"We close at {closing:%H:%M} on {when.day:%A}s."

    def kept_after_refusal(self) -> AgentDecision | None:
        """ "ok fine leave her at quarter past then 👍" after we said the time asked for a
        booked pet cannot be had: nothing changes, said so with the booking kept. None unless
        our last message was such a refusal and this one keeps things as they are."""
        history = self.context.history
        if (
            len(history) < 2
            or history[-1].direction is not Direction.OUTBOUND
            or not REFUSED_SLOT_RE.match(history[-1].text)
            or not KEEP_RE.search(self.text)
        ):
            return None
        asked = self.pets_in(history[-2].text, known=self.known, transcript=self.voice)
        named = {s.lower() for s in asked if is_name(s)}
        theirs = [b for b in self.upcoming if b.subject.lower() in named]
        if len(theirs) != 1:
            return reply_as(Intent.OTHER, "OK, I've left everything as it is.")
        booking = theirs[0]
        return reply_as(
            Intent.OTHER,
            f"OK, the appointment{for_(booking.subject)} stays on {self.say(booking.slot_start)}.",
        )

    def question_before_booking(self) -> AgentDecision | None:
        """A question the profile cannot answer, asked before booking ("Before I book Poppy's
        dental, can you bill my insurance directly … ? Could someone let me know? I won't
        book until I know."): passed to the team, nothing asked for a booking. None when
        something is pending, the message says no such wait, gives a day or time, or the
        question has an answer here."""
        if self.pending is not None or not NOT_BOOKING_YET_RE.search(self.text):
            return None
        if "?" not in self.context.message or self.when.day or self.when.clock:
            return None
        if answers.answer(self.text, self.profile) is not None:
            return None
        if re.search(
            r"\b(?:call|phone|ring)\s+me\b|\bspeak\s+to\s+(?:someone|a\s+person)\b", self.text
        ):
            return None  # "could someone call me … before we book anything?": a call asked for
        return handed_over(
            reply=(
                "I can't answer that one from here, so I've passed your question to the team: "
                f"they'll get back to you {self.back_where()}. Once you know, just message us "
                "to book."
            ),
            note=f"A question before booking: {self.context.message!r}",
        )

    def still_come_when_unwell(self) -> AgentDecision | None:
        """ "she's been sick this morning, should i still bring her?": the vet's to say, so a
        handoff, with the booking said and the number for anything urgent. None unless the
        message asks whether to still come and says the pet is unwell."""
        text = self.text
        if not (_STILL_COME_RE.search(text) and SYMPTOM_RE.search(text)):
            return None
        named = {s.lower() for s in self.subjects if is_name(s)}
        booked = {b.subject.lower() for b in self.upcoming}
        if self.when.clock is not None and named - booked:
            # "could my husband bring mittens over at half 2 for her jab?": a visit asked for;
            # who brings her is beside the point
            return None
        theirs = [b for b in self.upcoming if not named or b.subject.lower() in named]
        said = (
            f"Your appointment{for_(theirs[0].subject)} is on {self.say(theirs[0].slot_start)}. "
            if theirs
            else ""
        )
        phone = (
            f" If it's urgent, please call us on {self.profile.phone}."
            if self.profile.phone
            else ""
        )
        return handed_over(
            reply=(
                f"I'm sorry to hear that. {said}Whether to come is for the vet to say, so I've "
                f"asked the team to get back to you {self.back_where()} as soon as they can."
                f"{phone}"
            ),
            note=f"Unwell before a visit, asks whether to still come: {self.context.message!r}",
        )

    def confirm_and_add(self) -> AgentDecision | None:
        """ "yes and can you add a nail trim while she's there? 💅" to a booking proposed: the
        booking and the other service straight after it, proposed together for one more yes
        (one appointment is one service). None unless the message starts with a yes, adds a
        service the proposal is not for, and says no day, time or other pet."""
        pending = self.pending
        if pending is None or pending.kind != "book" or pending.slot_start is None:
            return None
        first = normalise(re.split(rf"{CLAUSE_END}+|\s+(?:and|but)\s+", self.context.message)[0])
        if not (YES_RE.match(first) or YES_RESTATED_RE.match(first)):
            return None
        if self.when.anything or not re.search(r"\b(?:add|also|too|as\s+well|while)\b", self.text):
            return None
        if re.search(r"\b(?:check|look\s+at|have\s+a\s+look)\b", self.text):
            return None  # "can she check his teeth as well": the consultation's own look
        held = {s.lower() for s in re.split(r",\s*|\s+and\s+", pending.subject or "")}
        if any(s.lower() not in held for s in self.subjects if is_name(s)):
            return None
        added = [
            s
            for s in answers.services_named(ANY_VISIT_WORDS_RE.sub(" ", self.text), self.profile)
            if s.key != (pending.service or self.profile.service().key)
        ]
        if len(added) != 1:
            return None
        own = self.keyed_service(pending.service)
        start = as_utc(pending.slot_start)
        after = start + timedelta(minutes=own.duration_minutes)
        subject = pending.subject or "you"
        self.keep_services = True  # each its own service, not the one the message names
        decision = self.several(
            [
                Plan("book", subject, start, own.key),
                Plan("book", subject, after, added[0].key),
            ]
        )
        if decision.intent is Intent.PROPOSE_CHANGES:
            decision.reply = (
                f"One appointment is one service, so I can book {a_an(own.name)}{for_(subject)} on "
                f"{self.say(start)} and {a_an(added[0].name)} straight after, at "
                f"{self.local(after):%H:%M}. {self.ask()}"
            )
        return decision

    def refused_slot_for_service(self) -> AgentDecision | None:
        """ "is 12.15 free on friday?" / our "Sorry, … 12:15 isn't possible: that's outside our
        opening hours …" (a consultation would run past the break) / "for simba, he needs his
        jab": the time turned down, tried again for the service now named. None unless our last
        message turned down a new booking's time and this one names a service and no day or
        time."""
        history = self.context.history
        if self.pending is not None or self.when.anything or not history:
            return None
        last = history[-1]
        if last.direction is not Direction.OUTBOUND:
            return None
        refused = REFUSED_SLOT_RE.match(last.text.strip())
        service = self.service_said()
        if refused is None or service is None or self.move_refused() is not None:
            return None
        said = self.read(normalise(refused.group(0).removeprefix("Sorry, ")))
        if said.day is None or said.clock is None:
            return None
        return self.book(said, service_key=service.key, exact=True)

    def question_on_booked_visit(self) -> AgentDecision | None:
        """ "luna's jab tomorrow - is that the booster or the first one?": a question about a
        booked visit, named by its pet and its day: the booking said, with what the profile
        answers, else that the vet goes through it at the visit. None when the message asks
        to change anything, gives a time, or names no such booking."""
        if self.pending is not None or "?" not in self.context.message:
            return None
        if self.when.day is None or self.when.clock is not None or self.when.shift is not None:
            return None
        if asks_move(self.text) or CANCEL_RE.search(self.text) or CHANGE_RE.search(self.text):
            return None  # ("is it possible to make it earlier in the day?": a move)
        if not re.search(
            r"\b(?:is|was|will)\s+(?:that|it|this|she|he)\b(?!\s+(?:possible|ok|okay|alright))",
            self.text,
        ):
            return None
        named = {s.lower() for s in self.subjects if is_name(s)}
        theirs = [
            b
            for b in self.upcoming
            if b.subject.lower() in named and self.local(b.slot_start).date() == self.when.day
        ]
        if len(theirs) != 1:
            return None
        booking = theirs[0]
        what = f" ({self.keyed_service(booking.service).name})" if booking.service else ""
        said = answers.answer(self.text, self.profile, service=self.keyed_service(booking.service))
        rest = said or "Anything about the visit itself, the team will go through with you then."
        return reply_as(
            Intent.ASK_BOOKING,
            f"Your appointment{for_(booking.subject)}{what} is on "
            f"{self.say(booking.slot_start)}. {rest}",
        )

    def someone_else_brings(self) -> AgentDecision | None:
        """ "could my husband bring her instead of me?": who may bring a pet is not in the
        profile, so the team answers (a handoff), with the booking said. None unless the message
        asks whether someone else may bring the pet."""
        asked = re.search(r"\bwhat\b[^?.!]{0,40}\bbring\b[^?.!]*", self.context.message, re.I)
        if not _SOMEONE_ELSE_RE.search(self.text) and not (
            # ("my friend Inès is taking Lola to her jab on friday … what does she need to bring
            # with her?": named, and what to bring asked, set 149)
            asked and _SOMEONE_NAMED_BRINGS_RE.search(self.text)
        ):
            return None
        if self.pending is not None and re.match(rf"(?:{YES_WORDS})\b", self.text):
            return None  # "yes go ahead, my son will bring them both": a yes
        if CANCEL_RE.search(self.text) or asks_move(self.text):
            # "could you cancel nutmeg's and ginger's? cinnamon's can stay, my husband will bring
            # her": the change is the request, the rest news
            return None
        named = {s.lower() for s in self.subjects if is_name(s)}
        if self.when.clock is not None and named - {b.subject.lower() for b in self.upcoming}:
            # "could my husband bring mittens over at half 2 for her jab?": a visit asked for;
            # who brings her is beside the point
            return None
        theirs = [b for b in self.upcoming if not named or b.subject.lower() in named]
        said = (
            f"Your appointment{for_(theirs[0].subject)} is on {self.say(theirs[0].slot_start)}. "
            if len(theirs) == 1
            else ""
        )
        bring = answers.answer(normalise(asked.group(0)), self.profile) if asked else None
        if bring is not None and theirs:
            # "my friend Inès is taking Lola to her jab on friday … what does she need to bring
            # with her?": the booking and what to bring (set 149)
            return reply_as(Intent.ANSWER, f"{said}{bring}")
        if "?" not in self.context.message:
            if not theirs or self.when.clock is not None or MAKE_ONE_RE.search(self.text):
                return None  # "my husband will bring him in on friday at 3 for a checkup"
            # "my daughter will bring max tomorrow, her name is Emma": news for the team
            return handed_over(
                reply=f"Thanks for letting us know. {said}I've passed this on to the team.",
                note=f"Someone else to bring the pet: {self.context.message!r}",
            )
        # what else it asks that the profile answers ("… is that ok? and can she pay by
        # card?", set 197), said with it
        also = answers.answer(self.text, self.profile)
        return handed_over(
            reply=(
                f"{said}I can't confirm who can bring a pet from here, so I've asked the team; "
                f"they'll get back to you {self.back_where()} as soon as they can."
                + (f" {also}" if also else "")
            ),
            note=f"Someone else to bring the pet: {self.context.message!r}",
        )

    def only_about_a_pet(self) -> AgentDecision | None:
        """ "hi, it's about Coco": the pet's next booking said, and what to do asked; for a pet
        without one, what we can do for it. None unless the message only says which pet."""
        found = _ONLY_ABOUT_RE.match(self.text)
        named = [s for s in self.subjects if is_name(s)]
        if found is None or len(named) != 1:
            return None
        pet = named[0]
        theirs = [b for b in self.upcoming if b.subject.lower() == pet.lower()]
        if not theirs:
            return reply_as(Intent.CLARIFY, f"Sure, what can I do for {pet}?")
        return reply_as(
            Intent.CLARIFY,
            f"{pet}'s next appointment is on {self.say(theirs[0].slot_start)}. What can I do "
            "for you: change it, cancel it, or something else?",
        )

    def reminder_asked_again(self) -> AgentDecision | None:
        """ "does bella get one for friday too?" just after we said how reminders are sent:
        the same answer, for the booking the message names. None unless our last message was
        about reminders and this one asks for "one" (too) of its own."""
        ours = [t for t in self.context.history if t.direction is Direction.OUTBOUND]
        if not ours or "reminder" not in ours[-1].text.lower():
            return None
        if not (answers.is_question(self.text) or "?" in self.context.message):
            return None
        if not _ONE_TOO_RE.search(self.text) or self.when.clock is not None:
            return None
        policy = answers.answer("do you send reminders?", self.profile)
        if policy is None:
            return None
        named = {s.lower() for s in self.subjects if is_name(s)}
        theirs = [b for b in self.upcoming if b.subject.lower() in named]
        if self.when.day is not None:
            theirs = [b for b in theirs if self.local(b.slot_start).date() == self.when.day]
        if len(theirs) == 1:
            booking = theirs[0]
            return reply_as(
                Intent.ANSWER,
                f"Yes: the appointment{for_(booking.subject)} on {self.say(booking.slot_start)} "
                f"gets one too. {policy}",
            )
        return reply_as(Intent.ANSWER, policy)

    def nothing_before(
        self, bound: time, when: When, first: datetime, service: Service, subject: str
    ) -> AgentDecision:
        """ "before 8am on friday?" with nothing free before then: why (we open later, or those
        times are taken) and the day's first free time (``first``, UTC) proposed for a yes."""
        assert when.day is not None
        opens = self.profile.intervals_on(when.day)
        weekday = when.day.strftime("%A")
        if opens and bound <= opens[0][0].time():
            lead = (
                f"Sorry, we open at {opens[0][0]:%H:%M} on {weekday}s, so before "
                f"{bound:%H:%M} isn't possible."
            )
        else:
            lead = f"Sorry, nothing is free before {bound:%H:%M} on {weekday}."
        earliest = replace(when, clock=self.local(first).time(), part=None)
        decision = self.book(earliest, subject=subject, service_key=service.key, exact=True)
        if decision.proposal is None:
            return decision
        return decision.model_copy(update={"reply": f"{lead} {decision.reply}"})

    @staticmethod
    def weekday_clash_question(when: When) -> str:
        """ "Tuesday the 10th" when the 10th is a Thursday: which of the two was meant, ending
        with ``_DAY_AT`` when a time was said, so the day answered goes with that time."""
        assert when.weekday_clash is not None
        said, other = when.weekday_clash
        question = (
            f"Just to check: {said.strftime('%-d %B')} is a {said.strftime('%A')}, not a "
            f"{other.strftime('%A')}. Did you "
            f"mean {said.strftime('%A %-d %B')} or {other.strftime('%A %-d %B')}?"
        )
        if when.clock is None:
            return question
        return f"{question} {_DAY_AT.format(when.clock.strftime('%H:%M'))}"

    def weekday_clash_on_move(self, when: When, booking: BookingView) -> str:
        """The weekday/date question for a move, ending with our open "When would you like to
        move …?" (``_MOVE_WHEN_RE``), so the day answered moves that booking."""
        assert when.weekday_clash is not None
        said, other = when.weekday_clash
        return (
            f"Just to check: {said.strftime('%-d %B')} is a {said.strftime('%A')}, not a "
            f"{other.strftime('%A')}. Did you "
            f"mean {said.strftime('%A %-d %B')} or {other.strftime('%A %-d %B')}? When would "
            f"you like to move the appointment{for_(booking.subject)} on "
            f"{self.say(booking.slot_start)} to?"
        )

    def clash_said(self) -> str | None:
        """Why no time is read back when the one said contradicts itself ("13 in the
        morning"): on a call it may be misheard, and saying so lets the caller say it again;
        None when the time said was not such."""
        clash = self.when.clash
        if clash is None:
            return None
        if self.voice:
            return f"Sorry, I didn't catch the time: {clash} can't be right."
        return f"Sorry, {clash} can't be right."

    def after_lunch(self, free: list[datetime], part: str | None) -> list[datetime]:
        """``free`` (UTC slot starts) without those before 13:00 when ``part`` is the afternoon
        and lunch is not said: "friday afternoon" is after the lunch break, for a booking and a
        move alike; 12:00 only when nothing later is free."""
        # ("after lunch" is after the break too; "lunchtime" may be 12:00)
        lunch = re.search(r"\blunch", self.text) and not re.search(r"\bafter\s+lunch", self.text)
        if part == "afternoon" and not lunch:
            return [s for s in free if self.local(s).hour >= 13] or free
        return free

    def starts_overlapping(self, subject: str, service: Service) -> set[datetime]:
        """The starts (UTC, every 5 minutes) at which ``service`` would overlap an upcoming
        booking of ``subject``."""
        length = timedelta(minutes=service.duration_minutes)
        starts: set[datetime] = set()
        for booking in self.upcoming:
            if booking.subject.lower() != subject.lower():
                continue
            begin = as_utc(booking.slot_start)
            end = begin + timedelta(minutes=self.keyed_service(booking.service).duration_minutes)
            at = begin - length + timedelta(minutes=5)
            while at < end:
                starts.add(at)
                at += timedelta(minutes=5)
        return starts

    def offer_instead(
        self,
        slot: datetime,
        service: Service,
        check: SlotCheck,
        ignore: str | None,
        *,
        lead: str | None = None,
        busy: list[Busy] | None = None,
        subject: str | None = None,
    ) -> AgentDecision:
        """The slot cannot be booked: why, and the nearest free times (nothing is held), never
        one overlapping another booking of ``subject`` (a pet is in one place at a time).
        ``busy``: the calendar to search (the context's when None)."""
        moving = self.upcoming_by_id(ignore) if ignore else None
        own = as_utc(moving.slot_start) if moving is not None else None
        # a move is never offered the time it has now, and "earlier" ("later") times on that
        # side of it, when there are any
        earlier = own is not None and re.search(r"\b(?:earlier|sooner|forward|before)\b", self.text)
        later = (
            own is not None and not earlier and re.search(r"\b(?:later|back|after)\b", self.text)
        )
        excluded = {own} if own is not None else set()
        if subject is not None and moving is None:
            # "could he get his nails clipped straight after?" beside his 11:30 check-up: never
            # a time overlapping it, a pet being in one place at a time (set 225)
            excluded |= self.starts_overlapping(subject, service)
        options = alternatives(
            self.profile,
            self.context.busy if busy is None else busy,
            slot,
            service,
            now=self.now,
            ignore_booking=ignore,
            exclude=frozenset(excluded),
            earlier_than=own if earlier else None,
            later_than=own if later else None,
        )
        why = lead or describe_reason(check, self.profile)
        head = f"Sorry, {why}." if lead else f"Sorry, {self.say(slot)} isn't possible: {why}."
        if not options:
            return reply_as(Intent.CLARIFY, f"{head} Which other day would suit you?")
        listed = or_listed([self.say(o) for o in options])
        return reply_as(Intent.CLARIFY, f"{head} I can offer {listed}. Which would suit you?")

    def next_free_that_day(
        self, slot: datetime, service: Service, busy: list[Busy]
    ) -> datetime | None:
        """The first start after ``slot`` (UTC) on its local day that ``busy`` leaves free for
        ``service``, within an hour of it; None when there is none."""
        day = self.local(slot).date()
        free = free_slots_on(self.profile, busy, day, service, now=self.now)
        return next(
            (s for s in free if slot < s <= slot + timedelta(hours=1)),
            None,
        )

    def several(self, plans: list[Plan], *, fallback: bool = True) -> AgentDecision:
        """One proposal of several changes, read back in one message, or, when the calendar
        cannot take one of them (the earlier ones of this proposal counted as booked: two pets
        at one time need room for two), why and the nearest free times for that pet, nothing
        held. More than ``MAX_CHANGES``: which ones, asked."""
        if len(plans) > MAX_CHANGES:
            return reply_as(
                Intent.CLARIFY,
                f"I can change up to {MAX_CHANGES} appointments at once. Which ones should I "
                "start with?",
            )
        # a slot a cancellation or a move of this proposal frees is free for its other changes
        # ("can max and luna swap?")
        freed = {p.booking.id for p in plans if p.kind != "book" and p.booking is not None}
        busy = [b for b in self.context.busy if b.booking_id not in freed]
        proposals: list[BookingProposal] = []
        if self.replacing is not None:  # the new time given for the one we could not do
            who, new = self.replacing
            asked = {p.slot for p in plans if p.subject.lower() == who and p.kind != "cancel"}
            plans = [
                self.replaced(p, new)
                if p.subject.lower() == who
                # "both of them thursday at 1pm?" / "For Jasper: … outside our opening hours" /
                # "ok 2pm then": the time for each of them asked at the time turned down
                or (self.replacing_alike and p.kind != "cancel" and p.slot in asked)
                else p
                for p in plans
            ]
        for n, plan in enumerate(plans):
            # a move keeps its booking's service ("move both to friday for their checkups")
            keep = (self.keep_services and plan.service is not None) or plan.kind == "reschedule"
            service = self.keyed_service(plan.service) if keep else self.service(plan.service)
            if plan.kind != "cancel":
                ignore = plan.booking.id if plan.booking else None
                check = check_slot(
                    self.profile, busy, plan.slot, service, now=self.now, ignore_booking=ignore
                )
                ours_there = [
                    b
                    for b in busy
                    if b.booking_id.startswith("proposed-") and b.start <= plan.slot < b.end
                ]
                if (
                    not check.free
                    and plan.kind == "book"
                    and (len(ours_there) >= self.profile.capacity)
                ):
                    # "rex, bella and coco at 10": two at a time, filled by this proposal's
                    # own pets, so the third is read back at the first free time after it
                    # that day, not refused for all of them
                    later = self.next_free_that_day(plan.slot, service, busy)
                    if later is not None:
                        plan = replace(plan, slot=later)
                        check = check_slot(self.profile, busy, plan.slot, service, now=self.now)
                asked_at = plans[n].slot
                local = self.local(asked_at)
                instead = (
                    self.fallback_said(When(day=local.date(), clock=local.time()), asked_at)
                    if fallback and not check.free
                    else None
                )
                start = instead.at(self.local_now) if instead is not None else None
                if start is not None:
                    # "wednesday at 4? if you can't fit both in then make it 5 for both": each
                    # of them asked at that time goes to the fallback
                    moved = start.astimezone(UTC)
                    again = self.several(
                        [
                            replace(p, slot=moved)
                            if p.kind != "cancel" and p.slot == asked_at
                            else p
                            for p in plans
                        ],
                        fallback=False,
                    )
                    if again.intent is Intent.PROPOSE_CHANGES:
                        again.reply = (
                            f"Sorry, {self.say(asked_at)} isn't free for all of them, so as you "
                            f"said: {again.reply}"
                        )
                        return again
                if not check.free:
                    refused = self.offer_instead(plan.slot, service, check, ignore, busy=busy)
                    refused.reply = f"For {plan.subject}: {refused.reply}"
                    return refused
                end = plan.slot + timedelta(minutes=service.duration_minutes)
                busy.append(Busy(booking_id=f"proposed-{n}", start=plan.slot, end=end))
            proposals.append(
                BookingProposal(
                    slot_start=plan.slot,
                    subject=plan.subject,
                    service=service.key if plan.kind != "cancel" else plan.service,
                    booking_id=plan.booking.id if plan.booking else None,
                    kind=plan.kind,
                    said=self.say(plan.slot),
                )
            )
        kinds = {plan.kind for plan in plans}
        # a visit that keeps its time and takes another service ("daisy's appointment tomorrow
        # only needs to be her booster now"): said as that change, not as a move to its own time
        changed = {
            n
            for n, (plan, p) in enumerate(zip(plans, proposals, strict=True))
            if plan.kind == "reschedule"
            and plan.booking is not None
            and as_utc(plan.booking.slot_start) == p.slot_start
            and p.service != plan.booking.service
        }
        if changed:
            said = "I can " + and_listed(
                [
                    f"change {p.subject}'s appointment on {p.said} to "
                    f"{a_an(self.keyed_service(p.service).name)}"
                    if n in changed
                    else self.to_do(p)
                    for n, p in enumerate(proposals)
                ]
            )
            return AgentDecision(
                intent=Intent.PROPOSE_CHANGES, proposals=proposals, reply=f"{said}. {self.ask()}"
            )
        if len({p.slot_start for p in proposals}) == 1 and kinds == {"book"}:
            named = [p.subject for p in proposals]
            if len({p.service for p in proposals}) > 1:
                # each pet's own service said, so the yes is to what each is booked for
                named = [f"{p.subject} ({self.keyed_service(p.service).name})" for p in proposals]
            said = f"I can book {join(named)} for {proposals[0].said}"
        elif len({p.subject for p in proposals}) == 1 and kinds == {"book"}:
            # a weekly series for one pet: the pet once, then each day
            days = and_listed([p.said or "" for p in proposals])
            said = f"I can book {proposals[0].subject} for {days}"
        elif len(kinds) == 1:
            verb, what = TO_DO[plans[0].kind]
            whom = [p.subject for p in proposals]
            if kinds == {"book"} and len({p.service for p in proposals}) > 1:
                # "Pumpkin (consultation) for … 14:00 and Toffee (vaccination) for … 14:15"
                whom = [f"{p.subject} ({self.keyed_service(p.service).name})" for p in proposals]
            listed = and_listed(
                [what.format(who=w, when=p.said) for w, p in zip(whom, proposals, strict=True)]
            )
            said = f"I can {verb} {listed}"
        else:
            said = "I can " + and_listed([self.to_do(p) for p in proposals])
        return AgentDecision(
            intent=Intent.PROPOSE_CHANGES, proposals=proposals, reply=f"{said}. {self.ask()}"
        )

    def replaced(self, plan: Plan, new: When) -> Plan:
        """``plan`` at the day and/or time of ``new``, the rest kept from the plan's slot."""
        if plan.kind == "cancel":
            return plan
        local = self.local(plan.slot)
        start = merge(new.shifted(local), When(day=local.date(), clock=local.time())).at(
            self.local_now
        )
        return plan if start is None else replace(plan, slot=start.astimezone(UTC))
