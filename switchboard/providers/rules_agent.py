"""The local agent of the embedded default stack: deterministic rules over everyday language.

No model, no network. ``switchboard.understanding`` reads the message (shorthand and emoji,
days and times, pets, questions about the business, other languages); the business profile and
the calendar in the context decide what can be offered (``switchboard.availability``); replies are
one or two short sentences because on a call they are spoken. Every time is read and said in
``context.timezone``, relative to ``context.now`` (UTC), never the machine clock, so the same
context always gives the same decision.

Like any ``Agent`` it only decides. Changes are proposals (book, move, cancel) that the customer
workflow commits on a confirmation carrying the pending action's ID, re-checking the calendar
(docs/architecture.md, "Confirm before acting").

Order of reading, first match wins:
1. A message in a language the business does not serve → a short answer in that language.
2. A pet in danger (bleeding, poisoned, collapsed…) → ``HANDOFF`` with the numbers to call;
   urgency denied ("nothing urgent, just her yearly checkup") is none.
3. A whole-message yes or no (👍, "go ahead", "ya", "nope") → the pending action's answer; a
   question about the business with the yes ("how much is it? ok book it", "is that 45 euros?
   yes book it") → answered, then yes. A yes to our "did you mean Monday 4 January?" (a far day
   of the month on a call) → the request before it, on that day. A yes behind an apology
   ("sorry was driving!! yes that's fine") or typed with two letters swapped ("yse") is a yes;
   a yes with nothing pending right after our message proposing one slot → that slot proposed
   afresh (a lapsed offer books nothing). "What did I say was wrong with him?" → the
   customer's earlier words, quoted. The proposal asked for in booking words ("book him in for
   that") is a yes; thanks alone (🙏) to a proposal, or a question about it, is answered and the
   proposal put again.
4. A person asked for (a complaint too) → ``HANDOFF``; stop / start messages (a STOP or START
   in capitals inside a sentence too) → ``OPT_OUT`` / ``OPT_IN``; a proposal called off without
   a plain no ("never mind, I'll call later") → ``DECLINE``; a message sent here by mistake
   ("sorry wrong chat", "sent that too early") → a short polite reply, never the menu; late
   for a named pet's booking on another day → that booking's day said ("…, not today").
5. Cancel or move an existing booking → ``PROPOSE_CANCEL`` / ``PROPOSE_RESCHEDULE``; "cancel
   both", "move both to Friday", "move Max to Friday and cancel Bella's" → ``PROPOSE_CHANGES``,
   every change confirmed by one yes. A new day while a cancel waits → that booking moved. "My
   next one" / "our next appointment" of several → the first to come. A pet with no booking
   ("could Bella come at 11 the same day?") is a new booking, never a move. Of several
   bookings, the one on a day the message names ("move the one on the 11th to saturday") is
   the one moved; "both" answering "Which appointment should I move…?" moves each. The cost of
   cancelling asked ("if I have to cancel do I get charged?") → the policy, nothing cancelled.
   A move said in the passive ("could friday's be moved?") is a move; the customer's own move
   ("we're moving to Lyon, cancel everything") is not; "everything" is every booking. Another
   booking a step from one made ("also book Rex the same time the week after") → a new booking
   at that booking's time of day, never a move. A move and another pet's new booking in one
   message, with "and book…" or without ("rufus to thursday same time; daisy at half 3 for a
   check up") → both in one ``PROPOSE_CHANGES``: the move at the time of its own clauses, the
   newcomer at the time said beside it, or when the moved visit ends ("straight after him");
   a pet only talked about ("his sister daisy had her jab last week") is not booked.
6. One of the times we just offered, picked by its place ("the second one", "the later one")
   or a part of the day answering our "What time on…?" → that time proposed, or those times
   offered. A pet's name answering our "Which appointment should I move…?" / "Which one should I
   change…?" / "Which of your pets is that for…?" → the request of the message before, for that
   pet; a time picked after
   "For Bella: Sorry, … I can offer …" → the earlier request again, with the new time for Bella
   only. A new day or time while a proposal is pending → the proposal, corrected (of several
   changes, the one of the pet named: "no, Bella at 12"); "can you do earlier?" with no time →
   the free times on that side of the proposed one; another pet "too" → both booked. With
   nothing pending, "could Max's appointment be a bit earlier?" → the move of that booking to
   the nearest free time on that side, with the others listed. The times we offered turned down
   for later or earlier ones ("none of those work, anything later?") → that day's free times on
   that side (for the service of the request we answered, not the default one); a bare hour
   ("11 maybe") or "first thing" answering our offer or our "What time on…?" → that time on
   that day; "but 11" / "make it 3" correcting a proposal → that time. Another pet named
   while a booking waits for a yes ("not Max, it's Bella", "make that Luna instead, Rocky's
   fine") → the same slot for that pet.
7. A follow-up to the business question we just answered ("and on saturday?", "how long does
   that take?") → ``ANSWER`` in that question's terms; a question about the customer's
   bookings → ``ASK_BOOKING``.
8. A day and/or time meant as a booking → a proposal if the calendar has room, else the nearest
   free times; a missing day or time is asked for, with what is free. A question about the
   business asked with it ("…and how much will that be?") is answered first. Several named
   pets get a booking each, in one ``PROPOSE_CHANGES`` ("Max and Bella on Friday at 10", "Rex
   at 10 and Bella at 10:30", in lower case too), if the calendar has room for all of them,
   each service of its own read back with its pet; several services for one pet an
   appointment each, back to back ("a vaccination and a nail trim for Max"). "The
   usual" / "same as last time" is the last visit's pet and service; "next week" without a
   day is that week's first day with room, its times offered; "the cat" when the CRM
   knows two pets or more (and no species) is asked which. Words of the business's name are
   never a pet's. A booking about to be read back for no pet named is asked which of the pets
   on record it is for when there are several ("both" books each listed, "my mum's dog" that
   animal, "another one" is asked its name; "we just got a puppy" is not asked); a pet already
   booked at that time is told so, nothing proposed; "the next available" is the first free
   time, proposed; on a call, the one pet on record is read back,
   and with none the caller is asked whom it is for (a name lost on the line is not booked
   "for you"). A time that contradicts itself ("13 in the morning") is asked, not guessed; on a
   call a time read from a transcript looping on one number is none. A holiday or a closed
   day asked about beside another day ("open on Christmas Day? if not, sat at 11", "are you
   open sunday? otherwise saturday at 10") is answered and the other day proposed; after a
   question about the business, the service the request names is the one booked ("how much is
   a dental? ok then a checkup for shadow"); an hours question is answered beside our
   question for the time ("what time do you close today? can I bring luna in before then");
   "bella any morning next week" asks the time on that week's first free day; a what-if about
   a visit ("what happens if we're late on thursday?") books nothing. Of a message of several
   sentences, the one that asks ("… so Wednesday is out I'm afraid. Could we do Friday
   instead?", "can we make it 11? I've got the plumber coming at 10") says the day and time
   when the others name other ones; the others fill in what it leaves unsaid.
9. A question about the business → ``ANSWER`` from the profile ("are you open now?": now).
10. Greeting, thanks, goodbye; anything else → a short question about what they need, or our
   own open question again (once more after "Sorry, I didn't catch that. <question>"). On
   WhatsApp thanks alone ("thank you so much 😊") is answered without closing the conversation;
   only words of farewell ("thanks, bye") say goodbye; thanks asking nothing ("so sorry we were
   late, thanks for fitting us in") is welcomed, never the menu. A goodbye while a proposal
   waits puts it once more ("Before you go, shall I book …?").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from rapidfuzz.distance import OSA

from switchboard import media_notes
from switchboard.agent_models import (
    MAX_CHANGES,
    NOTHING_TO_CONFIRM,
    AgentContext,
    AgentDecision,
    BookingProposal,
    BookingView,
    ChangeKind,
    Channel,
    Direction,
    HistoryTurn,
    Intent,
    PendingAction,
    PendingChange,
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
from switchboard.business import BusinessProfile, Service, load_profile
from switchboard.media_notes import Attachment
from switchboard.slots import format_slot
from switchboard.understanding import answers
from switchboard.understanding.language import foreign_language, not_served_reply
from switchboard.understanding.language import warm as warm_language_detector
from switchboard.understanding.reply_tokens import defined_tokens, token_meaning
from switchboard.understanding.subjects import (
    ANIMALS,
    is_name,
    join,
    known_names_in,
    month_pet,
    name_answer,
    pets_copied,
    subjects_in,
    weekday_pet,
    without_pets_kept,
    without_pets_said_well,
)
from switchboard.understanding.text import normalise
from switchboard.understanding.when import (
    MONTH_WORD,
    WORKING_HOURS_RE,
    When,
    merge,
    month_number,
    read_when,
    ruled_out_weekdays,
    weekday_named,
    without_plans,
)
from switchboard.voice.names import asks_name

__all__ = ["RuleBasedAgent"]

# How many recent turns count as "still talking about a booking" for a bare "Tuesday at 10".
_CONTEXT_TURNS = 4
# How far back a time we proposed is looked for when the customer refers to it ("the time we
# talked about on the phone").
_RECALL_TURNS = 8
# A time talked about before, referred to: "the time we talked about on the phone", "what you
# suggested", "that slot".
_REFERS_BACK_RE = re.compile(
    r"\b(?:we|you|i)\s+(?:talked|spoke|discussed|agreed|said|mentioned|chatted)\b"
    r"|\bon\s+the\s+(?:phone|call)\b|\bthe\s+(?:time|slot|day)\s+(?:we|you)\b"
    r"|\bthat\s+(?:time|slot)\b|\bwhat\s+you\s+(?:offered|suggested|proposed)\b"
    # "yes please book it for Nala" after "Yes, Friday … at 11:00 is free at the moment."
    r"|\b(?:book|take)\s+(?:it|that(?:\s+one)?)\b"
)

_FILLERS = (
    r"(?:please|thanks|thank\s+you|go\s+ahead|do\s+it|that's\s+fine|that\s+works|great|perfect"
    r"|then|lovely|cool|brilliant|awesome|fine|good|super|sounds\s+good|that'd\s+be\s+great"
    r"|much\s+appreciated|cheers|let's\s+do\s+it|ok|okay"
    # a yes to a reminder: "yes we'll be there", "yep see you then"
    r"|(?:we'll|i'll|we\s+will|i\s+will|she'll|he'll|they'll)\s+be\s+there"
    r"|(?:we'll\s+|i'll\s+)?see\s+you\s+(?:then|there))"
)
_YES = (
    r"(?:yes|yeah|yea|yep|yup|sure|ok|okay|alright|all\s+right|confirm|confirmed|correct|right"
    r"|that's\s+right|that\s+is\s+right|absolutely|definitely|sounds\s+good|book\s+it|please\s+do"
    r"|go\s+ahead|go\s+for\s+it|do\s+it|perfect|great|works\s+for\s+me|that\s+works|fine"
    r"|of\s+course|certainly|yes\s+please|please|lovely|brilliant|deal|satisfactory|acceptable"
    # regional and casual yeses: "too easy, cheers" (AU), "grand" (IE/UK), "no worries"
    r"|too\s+easy|no\s+worries|no\s+problem|sweet|grand|spot\s+on|bang\s+on|suits\s+me"
    r"|all\s+good|aye"
    # "go on then" (UK), "why not", "that'll do", "sounds like a plan", "lock it in"
    r"|go\s+on|why\s+not|that'll\s+do|that\s+will\s+do|sounds\s+like\s+a\s+plan"
    r"|let's\s+do\s+(?:it|that)|lock\s+it\s+in|happy\s+with\s+that|affirmative"
    # the slot taken: "I'll take it", "we'll take that one"
    r"|(?:i'll|we'll|i\s+will|we\s+will)\s+take\s+(?:it|that|that\s+one|that\s+slot))"
)
_NO = (
    r"(?:no|nope|nah|cancel|cancel\s+(?:it|that)|not\s+now|no\s+thanks|don't|do\s+not"
    r"|never\s+mind|nevermind|not\s+really|forget\s+it|leave\s+it|(?:i'll|i\s+will)\s+pass"
    r"|not\s+for\s+me|negative)"
)
# What may frame a yes word: "that's great", "that'd be perfect", "sounds lovely", "it's fine".
_YES_FRAME = (
    r"(?:(?:that|it)(?:'s|\s+is|'d\s+be|\s+would\s+be|\s+will\s+be|'ll\s+be|\s+sounds)|sounds)\s+"
    r"(?:really\s+|very\s+|just\s+|perfectly\s+|quite\s+)?"
)
# (a yes may close it again: "yes we'll be there 👍", the emoji read as a yes)
_YES_RE = re.compile(
    rf"^(?:{_FILLERS}\s*)*(?:{_YES_FRAME})?(?:{_YES}\s*)+(?:(?:{_FILLERS}|{_YES})\s*)*$"
)
# A no may follow a hesitation: "wait no", "hang on, no", "oh no sorry".
_NO_RE = re.compile(
    rf"^(?:(?:wait|hang\s+on|hold\s+on|oh|um+|erm|hmm+|ah|sorry)\s*)*(?:{_NO}\s*)+"
    rf"(?:(?:{_FILLERS}|sorry|actually|then)\s*)*$"
)
# A booking said to be for another pet: "the booking on wednesday should be for Coco not Bella",
# "it was meant to be under Luna, not Simba". No action relabels a booking, so the team is asked.
_FOR_ANOTHER_PET_RE = re.compile(
    r"\b(?:should\s+(?:be|have\s+been)|(?:is|was)\s+(?:meant|supposed)\s+to\s+be|is|was)\s+"
    r"(?:for|under)\s+(?P<new>[a-z][a-z'-]+)\s*,?\s+(?:and\s+)?not\s+(?:for\s+)?"
    r"(?P<old>[a-z][a-z'-]+)\b"
)
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
# The mood words of ``_HANDOFF_RE``: a grievance, not a request for a person.
_GRIEVANCE_RE = re.compile(
    r"\b(?:ridiculous|useless|unacceptable|appalling|disgraceful|outrageous)\b"
    r"|\b(?:poor|bad|terrible|awful)\s+service\b|\bnot\s+(?:helpful|helping)\b"
)
_HANDOFF_RE = re.compile(
    r"\b(?:human|real\s+person|a\s+person|operator|representative|receptionist|manager)\b"
    r"|\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:a|an|the|some)?\s*"
    r"(?:person|someone|somebody|agent|staff|people|member\s+of\s+staff|vet|doctor|reception"
    r"|team|nurse)\b"
    r"|^(?:an?\s+)?agent(?:\s+please)?$|\bridiculous\b|\buseless\b|\bcomplain(?:t|ts|ing)?\b"
    # a complaint is for the team: "not happy at all", "nobody even apologised"
    r"|\b(?:i'm|i\s+am|we're|we\s+are)\s+(?:very\s+|really\s+|so\s+)?(?:not\s+(?:happy|pleased"
    r"|impressed|satisfied)|unhappy|disappointed|fed\s+up)\b|^not\s+(?:happy|impressed)\b"
    r"|\bnot\s+(?:happy|impressed|pleased)\s+at\s+all\b|\b(?:unacceptable|appalling|disgraceful"
    r"|outrageous)\b|\b(?:nobody|no\s+one|no-one)\s+(?:even\s+)?(?:apologi[sz]ed|called\s+back"
    r"|rang\s+back|got\s+back)\b|\b(?:poor|bad|terrible|awful)\s+service\b"
    # "rather than the bot", "not a robot": a person, not this
    r"|\b(?:rather\s+than|instead\s+of|not)\s+(?:a|an|the|this)?\s*(?:bot|robot|machine"
    r"|chatbot|computer)\b"
    # "speak with one of the nurses" ("one" is normalised to "1")
    r"|\b(?:talk|speak|chat)(?:ing)?\s+(?:to|with)\s+(?:1|one|some(?:one|body)?)\s+(?:of|from|at)\s+"
    r"(?:the|your)\s+(?:nurses|vets|staff|team|receptionists|clinic|practice)\b"
    r"|\bnot\s+(?:helpful|helping)\b|\b(?:call|phone|ring)\s+me\s+back\b"
    # "please call me", "I'd rather speak on the phone", "can someone ring me"
    r"|^(?:(?:please|pls|can\s+you|could\s+you|can\s+someone|could\s+someone)\s+)+(?:call|phone|ring)"
    r"\s+me\b|\b(?:rather|prefer\s+to)\s+(?:speak|talk|chat)\s+(?:on\s+the\s+phone|by\s+phone)\b"
    # one of the staff by title: "speak to dr smith", "put me through to nurse anna"
    r"|\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:dr|doctor|nurse|mr|mrs|ms|miss)\b\.?"
    r"|\bput\s+me\s+through\b"
    # "could I have a quick word with someone about …"
    r"|\bword\s+with\s+(?:someone|somebody|a\s+(?:vet|nurse|person)|(?:1|one)\s+of|the\s+(?:vet"
    r"|nurse|team))\b"
    r"|\b(?:someone|somebody|anyone|you)\s+(?:to\s+|could\s+|can\s+)?(?:call|phone|ring)\s+me\b"
    # "can someone give me a ring instead?", "much easier to explain on the phone"
    r"|\b(?:give|gimme)\s+(?:me|us)\s+a\s+(?:quick\s+)?(?:ring|call|bell|buzz)\b"
    r"|\b(?:easier|quicker|simpler|better)\s+(?:to\s+\w+\s+)?(?:on|over|by)\s+(?:the\s+)?phone\b"
    # "speak to a real portion": a misheard "person" after "real" is still a person
    r"|\b(?:speak|talk)\s+(?:to|with)\s+(?:a\s+|an\s+)?(?:real|actual|live)\s+\w+"
    # Something for the staff to deal with: "can someone from the team sort it out", "I'd rather
    # go through this with one of the nurses" ("one" is normalised to "1"). A verb of dealing is
    # required, so "can one of the vets see Max friday" stays a booking.
    r"|\b(?:someone|somebody|anyone|a\s+member|one|1)\s+(?:of|from|at)\s+(?:the|your)\s+"
    r"(?:team|staff|clinic|practice|office|reception|nurses|vets)\s+(?:to\s+|could\s+|can\s+)?"
    r"(?:sort|deal|look|help|get\s+back|contact|reply|handle|explain|fix|refund)\b"
    r"|\b(?:go\s+through|sort|deal|discuss|talk\s+through|handle|look\s+into)\b.{0,40}\bwith\s+"
    r"(?:one\s+of\s+|1\s+of\s+)?(?:the|your|a|an)\s+(?:nurses?|vets?|staff|team|receptionists?"
    r"|people|humans?)\b"
)
# A bill questioned ("I was charged €90 for a checkup", "why was my bill so high??"): nobody
# here sees the bills, so the team answers; never a price list or a booking from its service.
_BILL_QUERY_RE = re.compile(
    r"\b(?:i|we|he|she|they)\s+(?:was|were|got|have\s+been|has\s+been|been)\s+"
    r"(?:over\s*|double\s+|wrongly\s+|twice\s+)?charged\b|\bovercharg\w*"
    r"|\bwhy\s+(?:was|is|did)\s+(?:my|our|the|his|her)\s+(?:bill|invoice)\b"
    r"|\b(?:my|our|the|last|this)\s+(?:bill|invoice|receipt)\b.{0,60}\b(?:high|wrong|mistake"
    r"|error|too\s+much|expensive|explain\w*|query|dispute|incorrect|mad|crazy|steep|double)\b"
)
# What is owed for a past visit: "how much do i owe for last time", "do we still owe you
# anything", "is there an outstanding balance". Bills are the team's to see.
_OWED_RE = re.compile(
    r"\b(?:i|we)\s+still\s+owe\b|\bowe\s+(?:you\s+)?anything\b"
    r"|\bowe\s+(?:you\s+)?(?:for|from)\s+(?:last|yesterday|before|earlier|the\s+other\s+day"
    r"|the\s+last|his\s+last|her\s+last|their\s+last|our\s+last|my\s+last)\b"
    r"|\b(?:outstanding|unpaid|remaining)\s+(?:bill|balance|amount|invoice)\b"
)
# The customer's own details to change: "we've moved house, can you update my address", "new
# phone number is 06…", "please correct my email". Not the clinic's address asked for.
_DETAILS_CHANGE_RE = re.compile(
    r"\b(?:update|change|correct|amend|edit)\s+(?:my|our|the)\s+(?:home\s+|postal\s+|email\s+"
    r"|e-mail\s+)?(?:address|email|e-mail|phone\s+number|mobile(?:\s+number)?|number|details"
    r"|contact\s+details|surname|last\s+name|name|postcode|records?)\b"
    r"|\b(?:my|our)\s+new\s+(?:address|email|e-mail|phone\s+number|mobile(?:\s+number)?|number"
    r"|surname|last\s+name|postcode)\b(?:\s+is)?"
    r"|\b(?:i've|we've|i\s+have|we\s+have)\s+(?:just\s+)?moved\s+(?:house|home)\b"
)
# A visit missed, to book again: "I missed my appointment yesterday, can I rebook?", "we forgot
# max's appointment this morning, can we get another one".
_MISSED_RE = re.compile(
    r"\b(?:missed|forgot(?:\s+about)?|didn't\s+make\s+(?:it\s+to)?|couldn't\s+make(?:\s+it\s+to)?"
    r"|slept\s+through)\s+(?:my|our|the|his|her|their|(?:[a-z]+\s+(?:and|&)\s+)?[a-z]+'s)\s+"
    r"(?:appointments?|bookings?|visits?|slots?|check-?ups?|jabs?|vaccinations?|groom\w*)\b"
    # and its day: the visit missed, not the one wanted
    r"(?:\s+(?:yesterday|today|this\s+(?:morning|afternoon|evening)|last\s+[a-z]+|on\s+[a-z]+"
    r"|at\s+\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?))*"
)
_BOOK_AGAIN_RE = re.compile(
    r"\b(?:re-?book|re-?schedule|rearrange|another\s+(?:one|1|appointment|slot|time)|new\s+"
    r"(?:one|1|appointment|slot|time)|book\s+(?:again|in\s+again|another))\b"
)
# Where one pet's request ends and the next one's begins ("Rex wed 10am and Bella wed 10:30"),
# a sentence's end too ("Max, Luna and Oscar. Can I book Max wed at 10 ..."), never the dot of
# a time ("9.30", "10 a.m. for Rex").
_PET_CLAUSE_RE = re.compile(r"\band\b|[,;?!]|\.(?=\s+(?-i:[A-Z]))|\s-\s", re.IGNORECASE)
# A follow-up that leans on the question before it: "and on saturday?", "what about a dental?".
_FOLLOW_UP_RE = re.compile(r"^(?:and|what\s+about|how\s+about|also|plus|same\s+for)\b")
# Our question for a time on a day we named (``ask_time``), and a bare hour that answers it.
# Our check of a far day of the month on a call (``book``), answered yes or no.
_DAY_CHECK_RE = re.compile(
    r"^Just to check: did you mean (?P<day>\w+ \d{1,2} \w+)\? Which day would you like\?"
)
_WHAT_TIME_RE = re.compile(r"\bWhat time on \w+ \d{1,2} \w+")
# Our question for the time a booking is moved to, on a day and a part of it the customer named
# without a time (``ask_move_time``); the time answering it moves that booking.
_MOVE_TIME_RE = re.compile(
    r"^What time on (?P<day>\w+ \d{1,2} \w+) would you like the appointment(?: for (?P<who>.+?))?"
    r" moved to\?"
)
# Our open "when to?" of a move (``reschedule`` with no new time): the booking is named by its slot.
_MOVE_WHEN_RE = re.compile(
    r"(?:^Sure\. |^Just to check: .+\? )When would you like to move the appointment"
    r"(?: for (?P<who>.+?))? on (?P<slot>.+?) to\?$"
)
_BARE_HOUR_RE = re.compile(
    r"(?<![\d:.])\b\d{1,2}(?:[:.]\d{2})?\b(?![:.]?\d)(?!\s*(?:(?:st|nd|rd|th)\b|days?|weeks?|months?"
    r"|minutes?|hours?|pets?|cats?|dogs?|of|/|%|euros?|€))"
)
# The day's opening time: "first thing Friday" ("first" is normalised to "1st"), "as early as
# possible", "as soon as you open".
_FIRST_THING_RE = re.compile(
    r"\b(?:1st|first)\s+thing\b|\bas\s+early\s+as\s+(?:possible|you\s+can)\b"
    r"|\b(?:as\s+soon\s+as|when|right\s+when)\s+you\s+open\b"
    # "earliest possible on friday", "the soonest you have thursday" (a day must be named; not
    # "my earliest appointment", a booking)
    r"|(?<!\bmy\s)(?<!\bour\s)\b(?:earliest|soonest)\s+(?:possible|available|you\s+(?:have|can"
    r"|'ve\s+got|got)|you've\s+got|slot|time|appointment|one)\b"
    # "the first slot on saturday" (normalised "1st slot"): that day's opening
    r"|(?<!\bmy\s)(?<!\bour\s)\b(?:1st|first)\s+(?:free\s+|available\s+)?(?:slot|opening|space)s?\b"
)
# Our nearest free times when the one asked for cannot be had (``offer_instead``).
_OFFERED_INSTEAD_RE = re.compile(r"\bI can offer\b.*\bWhich would suit you\?")
# The day's last free times: "end of the day friday", "as late as possible", "latest you have".
_LATEST_RE = re.compile(
    r"\bend\s+of\s+(?:the\s+)?(?:day|afternoon)\b|\blast\s+thing\b|\blatest\b"
    # "the last slot", not "(the same vet) as last time" / "like last appointment"
    r"|(?<!\bas\s)(?<!\blike\s)(?<!\bthan\s)\blast\s+(?:appointment|slot|time)\b"
    r"(?!\s+(?:we|i|you|he|she|they)\b)|\bas\s+late\s+as\s+(?:possible|you\s+can)\b"
    r"|\bbefore\s+(?:you\s+)?clos(?:e|ing)\b|\bclose\s+of\s+(?:play|business|day)\b"
)
# A time asked to be before ("anything before 9 on tuesday?"), unless it bounds being busy.
_BEFORE_RE = re.compile(r"\bbefore\s+(?P<clock>\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)\b")
# Words that agree, anywhere in a message: "same time for biscit yeah", "same time is fine".
_AGREES_RE = re.compile(
    r"\b(?:yes|yeah|yep|yup|ya|ok|okay|fine|great|perfect|lovely|works|good|sure|grand)\b"
)
# Their work's start, with a visit asked for before it: "anything before work on wednesday? I
# start at 9" (either order).
_WORK_STARTS_RE = re.compile(
    r"(?=.*\bbefore\s+(?:work|my\s+shift|i\s+(?:go|leave)))"
    r".*\b(?:i|we)\s+(?:start|begin)\s+(?:work\s+|my\s+shift\s+)?(?:at|by)\s+"
    r"(?P<clock>\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)"
)
# What the clinic holds for the customer: "what's on file for bella?", "anything on the system
# for us?"
_ON_FILE_RE = re.compile(
    r"\b(?:what(?:'s|\s+is|\s+do\s+you\s+have|\s+have\s+you\s+got)|anything)\s+"
    r"(?:on\s+(?:file|record|the\s+system)|in\s+the\s+system)\b"
)
# Visits asked for again and again: "every 3 weeks", "every month", "a standing appointment".
_RECURRING_RE = re.compile(
    r"\bevery\s+(?:\d+|other|couple\s+of|few)\s+(?:weeks?|months?)\b"
    r"|\bevery\s+(?:week|month|fortnight)\b|\b(?:recurring|repeat|standing|regular)\s+"
    r"(?:appointments?|bookings?|slot)\b|\b(?:weekly|monthly|fortnightly)\s+(?:appointments?"
    r"|bookings?|grooms?|visits?)\b"
)
# An hour alone closing a message, after a comma or a full stop: "…, 3?", "… . 4pm then",
# or as the whole message ("11?" to a proposal).
_LAST_CLAUSE_HOUR_RE = re.compile(
    r"(?:^|[,.;!])\s*(?P<hour>(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?(?:\s*[ap]m)?)\s*(?:then|instead|maybe"
    r"|pls|please)?\s*\??\s*$",
    re.IGNORECASE,
)
# Whether to still come: "should i still bring her?", "is it ok to bring him in if he's sick?"
_STILL_COME_RE = re.compile(
    r"\bshould\s+(?:i|we)\s+still\s+(?:bring|come|keep)\b"
    r"|\b(?:should|do)\s+(?:i|we)\s+(?:bring|come)\b.{0,30}\b(?:anyway|still|or\s+(?:cancel|not))\b"
    r"|\b(?:is\s+it|will\s+it\s+be)\s+(?:still\s+)?(?:ok|okay|alright|fine)\s+to\s+(?:still\s+)?"
    r"(?:bring|come)\b|\bstill\s+(?:bring|come)\s+(?:her|him|them|it|in)\b.{0,20}\?"
)
# Someone else bringing the pet: "could my husband bring her instead of me?", "is it ok if my
# son takes him in?"
_SOMEONE_ELSE_RE = re.compile(
    r"\b(?:my|our)\s+(?:husband|wife|partner|mum|mom|mother|dad|father|son|daughter|friend"
    r"|neighbou?r|sister|brother|boyfriend|girlfriend|flatmate|housemate|nanny|dog\s+walker)"
    r"\s+(?:to\s+|will\s+|'ll\s+|is\s+going\s+to\s+|is\s+)?(?:be\s+)?(?:bring|bringing|take"
    r"|taking|drop|dropping|come\s+with|coming\s+with)\b"
    r"|\b(?:someone|somebody)\s+else\s+(?:to\s+|will\s+|is\s+)?(?:bring|bringing|take|drop)\b"
)
# A question about a pet's health or behaviour, for a vet: "is it normal for a puppy to sleep 18
# hours a day?", "should I be worried?"
_IS_IT_NORMAL_RE = re.compile(
    r"\bis\s+(?:it|this|that)\s+(?:normal|ok|okay|common)\s+(?:for\s+(?:a|my|our|him|her|them)\b"
    r"|that\b)|\bshould\s+(?:i|we)\s+be\s+(?:worried|concerned)\b"
)
# A message that only says which pet it is about: "hi, it's about Coco", "re: max".
_ONLY_ABOUT_RE = re.compile(
    r"^(?:(?:hi|hello|hey|hiya|morning|good\s+morning|afternoon|sorry)\s+)*(?:it's|its|it\s+is"
    r"|this\s+is|i'm\s+messaging|i'm\s+writing|messaging)?\s*(?:about|regarding|re)\s+"
    r"(?:my\s+(?:dog|cat|pet)\s+)?[a-z][a-z-]+(?:'s\s+(?:appointment|booking|appt))?$"
)
# Another visit asked for beside a booking, never a move of it: "can she have another one same
# day next week?", "one more groom", "a second appointment" ("one" is normalised to "1").
_ANOTHER_VISIT_RE = re.compile(
    r"\b(?:another|(?:one|1)\s+more|a\s+second|an\s+extra|a\s+further)\s+(?:one|1|appointment|appt"
    r"|booking|visit|groom\w*|jab|booster|check-?up|session|slot)\b"
)
# How often, said with a recurring visit: "every 3 weeks", "every month" (not a day).
_HOW_OFTEN_RE = re.compile(
    r"\bevery\s+(?:\d+|other|couple\s+of|few)\s+(?:weeks?|months?)\b"
    r"|\bevery\s+(?:week|month|fortnight)\b"
)
# A day as we write it out: "Saturday 19 December", "Friday 1 January 2027".
_WRITTEN_DAY_RE = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} "
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?: \d{4})?"
)
# A time past an hour left unsaid: "coco at quarter past", "and luna at half past".
_PAST_THE_HOUR_RE = re.compile(r"\b(?P<part>quarter|half)\s+past\b(?!\s+\d)")
# A message that is nothing but a file's name: "IMG_4471.jpg", "scan 2.pdf".
_FILE_NAME_ONLY_RE = re.compile(
    r"^[\w\s()-]{1,60}\.(?:jpe?g|png|heic|heif|webp|gif|mp4|mov|pdf|docx?)$", re.IGNORECASE
)
# A reminder asked for another booking just after reminders were explained: "does bella get one
# for friday too?", "will max have one as well?" (normalised: "one" is "1").
_ONE_TOO_RE = re.compile(
    r"\b(?:get|gets|getting|have|has|receive|send|sent)\s+(?:her|him|them|me|us\s+)?"
    r"(?:a\s+reminder|1|one)\b|\b(?:1|one)\s+(?:too|as\s+well|also)\b"
)
# One of the times we just offered, picked by its place: "the second one", "the later one",
# "the first" ("second" is normalised to "2nd", "one" to "1" but after an ordinal), "latest
# you've got".
_PICK_RE = re.compile(
    r"\bthe\s+(?P<which>1st|2nd|3rd|4th|last|later|latest|earlier|earliest|final|morning"
    r"|afternoon|evening)\s*(?:1|one|option|slot|appointment)\b"
    r"|\b(?P<which0>1st|2nd|3rd|4th|last)\s+(?:1|one|option|slot)\b"
    r"|\bthe\s+(?P<which2>1st|2nd|3rd|4th|last|latest|earliest|final)\b"
    r"(?!\s+(?:of|thing|day|week|month|time|year)\b)"
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
)
# Our questions for the day and/or time of a booking asked without them (``book``, ``ask_time``).
_ASKED_WHEN_RE = re.compile(
    r"\bWhich day and time would you like\b|\bWhat time on \w+ \d{1,2} \w+ would you like\b"
    r"|\bWhich day would you like at\b"
)
# Our offers, one sentence each: a time, after its own written day when it has one.
_OFFERED_RE = re.compile(
    r"(?:(?P<day>(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+\d{1,2}\s+[a-z]+"
    # ("tomorrow (Tuesday 8 December) at 14:30", as a reminder may put it)
    r"(?:\s+\d{4})?)\)?\s+at\s+)?(?P<clock>\b\d{2}:\d{2}\b)",
    re.IGNORECASE,
)
# A new booking placed against one already made: "book Bella in right after him".
_NEXT_TO_BOOKING_RE = re.compile(
    r"\b(?:right|straight|just|immediately|directly)\s+(?P<side>after|before)\b"
    r"(?!\s+(?:\d|lunch|work|school|that\s+day))"
)
# "when's max next in?": the first of the bookings, not "next week" (``lookup``).
_NEXT_ONE_RE = re.compile(r"\bnext\b(?!\s+(?:week|month|few|couple))")
# "move my next one", "cancel our next appointment", "the soonest one": of several bookings, the
# first to come ("one" and "first" are normalised to "1" and "1st").
_FIRST_BOOKING_RE = re.compile(
    r"\b(?:my|our|the|his|her|their|\w+'s)\s+(?:very\s+)?(?:next|upcoming|soonest|earliest|1st)"
    r"\s+(?:1|one|appointment|booking|visit|slot)\b(?!\s+(?:free|available)\b)"
)
# A weekday counted from the visit talked about: "to the friday after", "the monday after it"
_WEEKDAY_AFTER_RE = re.compile(
    r"\bthe\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+after(?:\s+(?:it|that))?\s*(?:$|[.,!?]"
    r"|please|pls|instead|then|if)"
)
# "rex's second appointment", "our last booking", "the later one": which of several, in time
# order ("second" is normalised to "2nd")
_NTH_BOOKING_RE = re.compile(
    r"\b(?:my|our|the|his|her|their|\w+'s)\s+(?P<which>2nd|3rd|4th|last|later)\s+(?:1|one"
    r"|appointment|appt|booking|visit|slot)\b"
)
# "and book Bella in…": a second request joined by "and" (``move_and_cancel``'s clauses).
_ANOTHER_ASK_RE = re.compile(
    r"\band\s+(?:then\s+)?(?:please\s+)?(?:also\s+)?"
    # ("move tomorrow's to thursday and cancel bella": the cancelling is a clause of its own)
    r"(?=(?:book|move|put|get|bring|schedule|change|can|could|fit|squeeze|pop|add|cancel)\b)",
    re.IGNORECASE,
)
# "next appointment for max?": that pet's booking, when it has one (``asks_about_bookings``).
_NEXT_FOR_RE = re.compile(
    r"\b(?:next|upcoming)\s+(?:appointment|booking|visit)s?\s+(?:for|of)\s+(?P<who>[\w']+)"
)
# A request standing only if the day asked about is closed: "if not", "otherwise", "if you're
# closed then" (``closed_day_asked``).
_IF_CLOSED_RE = re.compile(
    r"^\W*(?:if\s+not|otherwise|failing\s+that|or\s+else|if\s+(?:you're\s+|you\s+are\s+)?"
    r"(?:closed|shut|not))\b(?:\s+then\b)?"
)
# Our question for a time given without a day (``book``): its time, for the day that answers it.
_DAY_AT = "Which day would you like at {}?"
_DAY_AT_RE = re.compile(re.escape(_DAY_AT).replace(r"\{\}", r"(\d{2}):(\d{2})"))
_DAY_MENTION_RE = re.compile(
    r"\b(?:today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?"
    r"|wed|weds|thu|thurs?|fri|sat|sun)\b"
    # a day of the month: "booked on the 10th - could that become the 11th"
    r"|\bthe\s+\d{1,2}(?:st|nd|rd|th)\b"
)
# Signs a pet may be in danger: a person now, with the number to call, never a booking menu.
_EMERGENCY_RE = re.compile(
    r"(?<!\bin\san\s)(?<!\bof\san\s)(?<!\bfor\san\s)\b(?:emergency|urgent(?:ly)?|poison(?:ed|ing)?|bleeding|collapsed?|unconscious|seizures?"
    # "fitting" is a seizure, not "thanks for fitting Luna in"
    r"|(?<!\bfor\s)fitting(?!\s+(?:us|me|him|her|them)\s+in\b)|not\s+breathing|can't\s+breathe|choking"
    r"|hit\s+by\s+a\s+car)\b"
    # "ate a whole bar of chocolate", "got into the raisins": a few words may come between
    r"|\b(?:ate|eaten|swallowed|got\s+into)\s+(?:\w+\s+){0,6}?(?:chocolate|grapes?|raisins?"
    r"|xylitol|rat\s+poison|slug\s+pellets|antifreeze|ibuprofen|paracetamol|socks?|toys?"
    r"|onions?|lily|lilies)\b"
    r"|\b(?:someone|somebody)\s+(?:please\s+)?help\b"
)
# A week named without a day: "next week", "later this week" (a weekday said wins).
_WEEK_SAID_RE = re.compile(
    r"\b(?P<which>this|next)\s+week\b|\b(?:the\s+)?week\s+(?P<later>after\s+next)\b"
)
# No day or time preferred: "next week sometime?", "any day this week".
_WHENEVER_RE = re.compile(r"\b(?:some\s*time|any\s*time|any\s+day|whenever)\b")
# The earliest free time, whatever the day: "when's your next free appointment?"
# A booking already made, named as the one a new booking is counted from.
_OTHER_BOOKING_RE = re.compile(
    r"\b(?:my|our|the)\s+(?:other|existing|current|first|1st)\s+(?:appointment|appt|booking|visit|one)\b"
)
# Our question offering several times (``ask_time``).
_TIMES_OFFERED_RE = re.compile(
    r"What time on (?P<day>\w+ \d{1,2} \w+) would you like[^?]*\? I have (?P<times>[^.]+)\.$"
)
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
# An animal the customer says is new to them: "my new kitten", "we've just adopted a dog", "a
# rescue cat"; no pet on record is it.
# The kinds of pet these answers name ("my new kitten", "my mum's dog").
_PET_KINDS = r"cat|dog|kitten|puppy|rabbit|bunny|hamster|guinea\s+pig|ferret|parrot|bird|tortoise"
_NEW_ANIMAL = r"(?:little\s+|baby\s+|new\s+)?(?P<{}>" + _PET_KINDS + r"|pup)"
_NEW_PET_RE = re.compile(
    r"\b(?:new|newly\s+adopted|rescue|rescued)\s+" + _NEW_ANIMAL.format("animal") + r"s?\b"
    r"|\bjust\s+(?:got|adopted|rescued|brought\s+home|picked\s+up)\s+(?:a|an|our|my|the)\s+"
    + _NEW_ANIMAL.format("animal2")
    + r"\b"
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
    r"|other\s+)?(?P<animal>" + _PET_KINDS + r")\b"
)
_NEXT_FREE_RE = re.compile(
    r"\b(?:next|earliest|first|soonest)\s+(?:free|available|open)?\s*"
    r"(?:(?:morning|afternoon|evening)\s+)?(?:appointment|slot|availability|opening|time|space)s?\b"
    # "next available for a nail clip" ("first" is normalised "1st")
    r"|\b(?:next|first|1st)\s+(?:available|free)\b"
    r"|\bas\s+soon\s+as\s+(?:possible|you\s+can)\b|\basap\b"
    # "what's the earliest you can see my cat", "soonest you've got"
    r"|\b(?:earliest|soonest)\s+(?:you|we|i)\b(?!\s+(?:open|close|start|are\s+open))|\bhow\s+soon\b|^(?:the\s+)?(?:soonest|earliest)"
    r"(?:\s+(?:please|pls|possible|you\s+can))?$"
    # "can i book oscar for a dental? what's the soonest?" (the question closing the message)
    r"|\bwhat(?:'s|s|\s+is)\s+(?:the|your|ur)\s+(?:soonest|earliest)(?:\s+(?:possible|available"
    r"|one|1|date|day|slot|appointment))?$"
    # "at the earliest convenience", "can I come in now?", "can you see him right now"
    r"|\bearliest\s+(?:convenience|opportunity)\b"
    r"|\b(?:come|pop|get|bring\s+(?:my\s+|our\s+)?\w+|see\s+(?:my\s+|our\s+)?\w+)\s+"
    r"(?:in\s+|over\s+|down\s+)?(?:right\s+)?now\b"
    # the time left to us: "whenever's easiest", "whenever suits you", "any time that works for
    # you", "whatever you've got"
    r"|\bwhenever(?:'s|\s+is)?\s+(?:easiest|best|convenient|soonest|earliest|suits(?:\s+you)?"
    r"|works(?:\s+for\s+you)?"
    r"|you\s+(?:can|have\s+(?:space|room|a\s+slot)))\b"
    r"|\b(?:any\s*time|whatever|whenever)\s+(?:that\s+)?(?:suits\s+you|works\s+for\s+you"
    r"|is\s+easiest\s+for\s+you|you've\s+got|you\s+have)\b"
    # any day will do: "any weekday after 5", "any day next week"
    r"|\bany\s+(?:week\s*)?day\b(?!\s+(?:but|except|apart))"
    # only the part of the day said: "whenever, mornings are best", "any afternoon"
    r"|(?<!\bopen\s)\bany\s+(?:morning|afternoon|evening)\b"
    r"|\b(?:mornings|afternoons|evenings)\s+(?:are|would\s+be)\s+(?:best|better|good|easiest"
    r"|ideal)\b|\bwhenever\b(?=.*\b(?:morning|afternoon|evening)s?\b)"
    # the whole answer leaves it to us: "not fussed", "you choose", "up to you", "don't mind"
    r"|^(?:(?:oh|ah|um|erm|honestly|tbh|ok|okay|well)\s+)*(?:i'm\s+|im\s+|i\s+am\s+)?"
    r"(?:not\s+fussed|you\s+choose|you\s+pick|up\s+to\s+you|(?:i\s+)?don't\s+mind|any\s*time"
    r"|whenever|no\s+preference|surprise\s+me|whatever(?:'s|\s+is)?\s+(?:free|easiest|best))"
    r"(?:\s+(?:really|tbh|honestly|thanks|thank\s+you|please|pls|to\s+be\s+honest))*$"
)
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
_OPT_OUT_RE = re.compile(
    r"\b(?:stop|quit)\s+(?:messaging|texting|sending|writing|contacting)\b"
    # "stop sending me menus and just tell me…": a complaint about the replies, not an opt-out
    r"(?!\s+(?:me\s+|us\s+)?(?:the\s+|these\s+|those\s+|that\s+|your\s+|this\s+)?(?:same\s+)?"
    r"(?:menus?|options|questions|lists?|links?|same)\b)|\bunsubscribe\b"
    r"|\bopt\s*me\s+out\b|\bno\s+more\s+(?:messages|whatsapps?|texts)\b"
    r"|\bdon't\s+(?:message|text|contact)\s+me\b"
    # "pls dont send me any more whatsapp messages", "do not text me again"
    r"|\b(?:don't|do\s+not|never)\s+(?:send|message|text|contact|write\s+to)\s+(?:me|us)\b"
    r".{0,30}\b(?:any\s*more|again|messages|texts|whatsapps?)\b"
    r"|\b(?:take|remove)\s+(?:me|us|my\s+number)\s+(?:off|from)\s+(?:your|the|this)\s+"
    r"(?:list|mailing\s+list|messages|whatsapp)\b"
    r"|\b(?:remove|delete)\s+(?:my|our)\s+(?:number|phone\s+number|contact)\b"
    # "i don't want these messages anymore"
    r"|\b(?:don't|do\s+not)\s+want\s+(?:these|your|any|any\s+more|the)\s+(?:messages|texts|whatsapps?)\b"
)
# A message sent here by mistake: "sorry wrong chat", "ignore that, not meant for you".
# A booking made with no confirmation seen: "I booked online for Max but didn't get a
# confirmation", "never received a confirmation text", "is my booking confirmed?".
_NO_CONFIRMATION_RE = re.compile(
    r"\b(?:didn't|did\s+not|never|haven't|have\s+not|not)\s+(?:got|get|gotten|receive|received"
    r"|see|seen)\s+(?:a|any|the|my|an)?\s*(?:confirmation|confirmations)\b"
    r"|\bis\s+(?:my|our|the|\w+'s)\s+(?:appointment|booking)\s+confirmed\b"
    # "did that go through? my phone died right after I said yes", "did it work?", "did you get
    # my yes?"
    r"|\bdid\s+(?:that|it|this|my\s+\w+|the\s+\w+)\s+(?:go\s+through|work|get\s+booked)\b"
    r"|\bdid\s+you\s+get\s+my\s+(?:yes|reply|answer|message|confirmation)\b"
)
# A pet that has died: "Luna passed away last week", "we had to put Max to sleep", "Bella died".
_PET_DIED_RE = re.compile(
    r"\b(?:passed\s+away|passed\s+on|has\s+died|had\s+died|died|put\s+(?:her|him|them|\w+)\s+to"
    r"\s+sleep|put\s+down|rainbow\s+bridge|is\s+no\s+longer\s+with\s+us|we\s+lost\s+(?:her|him"
    r"|\w+))\b"
)
# A request said negated: "he won't be coming in on friday", "we will not need it".
_NOT_COMING_RE = re.compile(
    r"\b(?:won't|wont|will\s+not|not|can't|cannot|isn't|doesn't|don't)\s+(?:be\s+)?"
    r"(?:coming|come|need|needing|needs|bring|bringing|making\s+it|make\s+it)\b"
)
# "my phone died", "he nearly died": no one's death to be sorry for (an emergency, if anything).
_NOT_A_DEATH_RE = re.compile(
    r"\b(?:phone|battery|laptop|computer|car|signal|wifi|charger|internet|tablet)\s+(?:has\s+|had\s+"
    r"|just\s+)?died\b|\b(?:almost|nearly|could\s+have|might\s+have|thought\s+(?:he|she|it)"
    r"(?:\s+had)?)\s+died\b|\bdied\s+down\b"
)
# Leaving the clinic: "we've found another vet closer to home", "we're moving to a new practice".
_LEAVING_RE = re.compile(
    r"\b(?:found|going\s+to|moving\s+to|switching\s+to|changing\s+to|registered\s+(?:with|at))\s+"
    r"(?:a|another|a\s+new|a\s+different|new)\s+(?:vet|vets|clinic|practice|surgery)\b"
    r"|\b(?:leaving|changing|switching)\s+(?:your|the)\s+(?:clinic|practice|vets?)\b"
)
# One pet to come with another ("could Luna come with Max on thursday", "bring Luna along with
# Max", "Luna at the same time as Max"): ``host`` is the pet joined.
_COME_WITH_RE = re.compile(
    r"\b(?:come|comes|coming|be\s+seen|go|join)\s+(?:in\s+|along\s+)?(?:with|alongside)\s+"
    r"(?P<host>[a-z][a-z-]+)\b|\bat\s+the\s+same\s+time\s+as\s+(?P<host2>[a-z][a-z-]+)\b"
    # "can bella come on thursday with max instead"
    r"|\b(?:come|comes|coming|be\s+seen|go)\s+(?:in\s+)?on\s+\w+\s+(?:with|alongside)\s+"
    r"(?P<host3>[a-z][a-z-]+)\b"
)
# Our last words asked for again: "sorry, can you repeat that?", "come again?", "pardon?", "I
# didn't catch that".
_REPEAT_RE = re.compile(
    r"\b(?:repeat\s+(?:that|it|this|yourself|please|the\s+\w+)|say\s+(?:that|it)\s+again"
    r"|come\s+again|pardon(?:\s+me)?|what\s+did\s+you\s+(?:just\s+)?say|(?:didn't|did\s+not"
    r"|couldn't|could\s+not)\s+(?:quite\s+)?(?:catch|hear|get|understand)\s+(?:that|you|it"
    r"|what\s+you\s+said))\b|^(?:sorry|what|huh|eh)$"
)
# Whether anyone is listening: "hello? is anyone there?", "can you hear me?", "you still there?"
_STILL_THERE_RE = re.compile(
    r"\b(?:is\s+)?(?:any(?:one|body)|some(?:one|body))\s+there\b|\bcan\s+you\s+hear\s+me\b"
    r"|\b(?:are\s+)?you\s+(?:still\s+)?there\b"
)
# Someone telling us the bookings or messages of this number are not theirs: "you've got the
# wrong number", "this isn't my appointment", "who is Max? I don't have a dog". Our records may
# be wrong, so the team checks them (a handoff), rather than the menu or a booking.
_NOT_THEIRS_RE = re.compile(
    r"\b(?:you(?:'ve|\s+have)?|u)\s+(?:got\s+|texted\s+|messaged\s+|called\s+|rung\s+|sent\s+"
    r"(?:this\s+|it\s+|that\s+)?to\s+)?(?:the\s+|a\s+)?wrong\s+(?:number|person)\b"
    r"|\b(?:this|that|it)\s+(?:isn't|is\s+not|wasn't|was\s+not|aint|ain't)\s+(?:my|our)\s+"
    r"(?:appointment|booking|pet|dog|cat|number)\b"
    r"|\bi\s+(?:don't|do\s+not|dont)\s+(?:have|own)\s+(?:a|any)\s+(?:dogs?|cats?|pets?|rabbits?"
    r"|animals?)\b|\b(?:not|never)\s+(?:booked|made)\s+(?:an?\s+|any\s+)?(?:appointment|booking)"
    r"|\bwho\s+is\s+(?:this\s+)?[a-z]+\s*\?\s*(?:i|we)\s+(?:don't|do\s+not|dont)\s+(?:have|know)"
)
# A message to someone close, heading with how they are called: "honey can you…", "babe…".
_ENDEARMENT_RE = re.compile(
    r"^(?:hey\s+|hi\s+|oi\s+)?(?:honey|hun|hon|babe|baby|darling|sweetie|sweetheart|love|luv|mum"
    r"|mom|dad)\b(?!\s+(?:is|has|needs|'s))"
)
_WRONG_CHAT_RE = re.compile(
    r"\bwrong\s+(?:chat|conversation|convo|group|thread|person|window|contact|whatsapp)\b"
    r"|^(?:\w+\s+){0,2}?wrong\s+(?:number|no)\b"
    r"|\bnot\s+meant\s+(?:for|to\s+(?:send|go\s+to))\s+(?:you|here|this)\b"
    r"|\bmeant\s+for\s+(?:someone|somebody)\s+else\b"
    r"|^(?:\w+\s+){0,2}?(?:please\s+)?ignore\s+(?:that|this|my\s+last(?:\s+message)?)\b"
)
# A message sent before it was finished: "sorry, sent that too early", "pressed send too soon".
# A decision put off, asking nothing yet: "I'll let you know", "need to check with my wife
# first", "will get back to you".
_LATER_DECISION_RE = re.compile(
    r"\b(?:i'll|i\s+will|we'll|we\s+will)\s+(?:let\s+you\s+know|get\s+back\s+to\s+you|confirm\s+later"
    r"|have\s+a\s+think|think\s+about\s+it)\b"
    # "i'll message again in feb then", "we'll be in touch nearer the time"
    r"|\b(?:i'll|i\s+will|we'll|we\s+will)\s+(?:message|text|write|contact|call|ring|whatsapp"
    r"|get\s+in\s+touch|be\s+in\s+touch)(?:\s+(?:you|u|you\s+guys|back)){0,2}\s+(?:again|later|nearer"
    r"|closer|then|in\s+[a-z]+|next\s+[a-z]+|after|when|once|nearer)\b"
    r"|\b(?:need|have|got)\s+to\s+(?:check|ask)\s+with\s+(?:my|the|our)\s+\w+\s+first\b"
    # "hold on let me check with my husband", "give me a minute, checking my diary"
    r"|\b(?:let\s+me|lemme|i\s+need\s+to|i'll\s+have\s+to)\s+(?:check|ask|see|look)\b"
    r"|^(?:\w+\s+)?(?:hold\s+on|hang\s+on|(?:one|1)\s+(?:sec|second|moment|min|minute)|give\s+me\s+a\s+"
    r"(?:sec|second|minute|min|moment))\b"
)
_SENT_TOO_SOON_RE = re.compile(
    r"\b(?:sent|send|pressed\s+send|hit\s+send)\s+(?:that|it|this)?\s*too\s+(?:early|soon|quick"
    r"|fast)\b|\bhit\s+send\s+by\s+(?:mistake|accident)\b"
)
# The parts of a message that may be a yes and a question: sentences, clauses, and an "and"
# that opens a question ("yes and what time do you close on saturdays?").
_YES_AND_QUESTION_SPLIT_RE = re.compile(
    r"(?<=[?!.])\s+(?:(?:and|&|\+)\s+)?|[,;]\s*|\s-\s"
    r"|(?:\s+(?:and|&|\+)\s+|\s*[\u2600-\u27bf\U0001f300-\U0001faff]+\s*)"
    r"(?=(?:what|when|how|where|do|does|are|is|can|could|will|would|should)\b)",
    re.IGNORECASE,
)
# One service's price as ``answers.answer`` says it: "A vaccination is €55 (15 minutes)."
_ONE_PRICE_SAID_RE = re.compile(r"An? [a-z ]+ is (?P<price>\S+) \(\d+ minutes\)\.")
# How many pets a question is for: "both my dogs", "for my 3 cats", "the two of them".
_COUNTS = {"both": 2, "two": 2, "2": 2, "three": 3, "3": 3, "four": 4, "4": 4}
_PETS_COUNTED_RE = re.compile(
    r"\b(?:for\s+)?(?:(?:all|the)\s+)?(?P<n>both|two|2|three|3|four|4)\s+(?:of\s+)?(?:my|our|the"
    r"|them|of\s+them|dogs|cats|pets|puppies|kittens|rabbits|guinea\s+pigs)\b"
)
# A week that says which booking: "max's appointment next week", "the one this week" (not the
# week moved to: "move it to next week").
_WEEK_OF_BOOKING_RE = re.compile(
    r"(?<!\bto\s)(?<!\binto\s)(?<!\buntil\s)(?<!\btill\s)\b(?P<which>this|next)\s+week(?:'s)?\b"
)
# Whether a booked pet has a booking, asked: "is max booked in this week?", "is bella down for
# friday?", "does max have anything booked?", "has luna got anything on next week?".
# When a pet was last seen: "when was max last in?", "when did we last bring her in", "when
# was his last visit", "what date was bella's last appointment"
_LAST_VISIT_ASKED_RE = re.compile(
    r"\b(?:when|what\s+(?:day|date))\s+(?:was|were|did|have)\s+(?:(?P<who>[a-z]+)\s+)?(?:\w+\s+)??"
    r"(?:last\s+(?:in|seen"
    r"|here|there|bring|brought|come|came|visit|check)|(?:in|seen|here)\s+last)\b"
    r"|\b(?:when|what\s+(?:day|date))\s+(?:was|were)\s+(?:his|her|their|its|my|our|\w+'s)\s+last\s+"
    r"(?:visit|appointment|appt|check-?up|jab|vaccination|groom|booking)\b"
)
# Words standing where ``_LAST_VISIT_ASKED_RE``'s pet goes that name none
_NOT_A_PET_ASKED = frozenset({"he", "she", "it", "they", "we", "i", "you", "the", "my", "our"})
# When a visit is, asked: "what time is max tomorrow?", "what time's max in", "when do i need
# to bring her", "is it tomorrow at 11 or 11.30?", "is max tomorrow or wednesday?" (the booked
# pet or "it" is checked by ``booked_visit_asked``).
_VISIT_ASKED_RE = re.compile(
    r"\b(?:what\s+time|what\s+day|which\s+day|when)(?:'s|\s+is|\s+are|\s+was|\s+do|\s+does"
    r"|\s+should|\s+shall|\s+must)\b"
    r"|^(?:(?:sorry|so|and|oh|hi|hey|hello|quick\s+q(?:uestion)?|just\s+checking)[,\s]+)*"
    r"(?:is|was)\s+(?:it|he|she|[a-z]+)\s+(?:on\s+|at\s+|in\s+)?"
    r"(?:today|tomorrow|tonight|this|next|mon|tue|wed|thu|fri|sat|\d)"
)
# "what time do I need to bring max": the visit's time asked, no new one needed
_NEED_TO_BE_THERE_RE = re.compile(r"\b(?:need|have)\s+to\s+(?:bring|be|drop|come|arrive|get)\b")
# Free times or a visit wanted: "when can max come", "is there anything free", "could he"
_FREE_OR_REQUEST_RE = re.compile(
    r"\b(?:can|could|free|available|availability|space|slots?|anything|earliest|soonest"
    r"|possible|ok|okay|fine|would|will)\b"
)
_PET_BOOKED_ASKED_RE = re.compile(
    r"\b(?:is|are)\s+(?P<who>[a-z][a-z-]+)(?:\s+(?:and|&)\s+[a-z][a-z-]+)?\s+(?:still\s+)?"
    r"(?:booked|down\s+(?:for|to\s+come)|in\s+(?:this|next|on|for|tomorrow|today))\b"
    r"|\b(?:does|has)\s+(?P<who2>[a-z][a-z-]+)\s+(?:have|got)\s+(?:anything|something|an?\s+"
    r"(?:appointment|appt|booking))\s*(?:booked|on|coming|this|next|tomorrow|today|$)"
)
# What to bring, asked: "what should i bring to her first visit?", "what do we need to bring".
_WHAT_TO_BRING_RE = re.compile(
    r"\bwhat\s+(?:should|do|shall|must|would|will)\s+(?:i|we)\s+(?:need\s+to\s+)?bring\b"
    r"|\banything\s+(?:i|we)\s+(?:should|need\s+to)\s+bring\b"
)
# A month named without a day: "for mid june", "in july", "early march", "end of april".
_MONTH_ALONE_RE = re.compile(
    r"\b(?:in|for|mid|early|late|end\s+of|beginning\s+of|start\s+of|around|sometime\s+in)\s+"
    rf"(?:mid\s+|early\s+|late\s+)?(?P<month>{MONTH_WORD})\b"
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
# A day owning a visit: "tomorrow's", "today's", "friday's" (the visit of that day)
_OWNED_RELATIVE_DAY_RE = re.compile(
    r"\b(?P<day>today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)'s\b"
)
# The customer's pets spoken of together: "the cats' jabs", "the dogs' appointments", "our
# pets" (each of their bookings on the day meant, ``meant_each``)
_THE_PETS_RE = re.compile(
    r"\b(?:the|our|my|both)\s+(?:cats|dogs|pets|rabbits|kittens|puppies|pups|animals|boys|girls)"
    r"(?:'|\b)"
)
_TAKES_SLOT_RE = re.compile(
    r"\b(?:take|have|get|use|go\s+in|come\s+in)\s+(?:(?:his|her|their|its)|(?P<owner>[a-z][a-z-]+)'s)"
    r"\s+(?:slot|spot|place|appointment|appt|booking|time)\b"
    # "swap max's appointment for bella", "give his slot to bella", "change it over to bella"
    r"|\b(?:swap|switch|change|give|transfer|pass|hand)\s+(?:(?:his|her|their|its)"
    r"|(?P<giver>[a-z][a-z-]+)'s)\s+(?:slot|spot|place|appointment|appt|booking)\s+"
    r"(?:over\s+)?(?:for|to)\b"
    # "book bella in his place"
    r"|\bin\s+(?:his|her|their|its|(?P<replaced>[a-z][a-z-]+)'s)\s+(?:place|slot|spot|stead)\b"
    # "cancel max friday and book bella instead same time"
    r"|\bcancel\b.{0,60}\b(?:and|but|then)\s+(?:can\s+you\s+|could\s+you\s+|please\s+)?"
    r"(?:book|put|bring|have|do)\b.{0,30}\b(?:instead|same\s+time|that\s+slot|then)\b"
    # "it's bella who needs the checkup not max, can you change the name?"
    r"|\bchange\s+(?:the|its|it's|his|her)\s+name\b|\bput\s+it\s+(?:in|under)\s+\w+'s\s+name\b"
)
# Two days asked as a choice: "thursday or friday afternoon", "tomorrow or wednesday".
_DAY_WORD_OR = (
    r"(?:today|tomorrow|mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|monday|tuesday|wednesday"
    r"|thursday|friday|saturday)"
)
_DAYS_OR_RE = re.compile(rf"\b(?P<first>{_DAY_WORD_OR})\s+or\s+(?P<second>{_DAY_WORD_OR})\b")
# The times our "What time on … would you like? I have 14:00, 15:00 or 16:00." lists.
_HAVE_TIMES_RE = re.compile(r"I have (?P<times>[0-9:, or]+)\.$")
# A booking supposed: "if i book basil in for friday at 5…", "if we booked for monday".
_BOOKING_SUPPOSED_RE = re.compile(r"\bif\s+(?:i|we)\s+(?:book|booked|make|made|get)\b")
# The customer's data to be erased (GDPR art. 17): "delete my data", "remove my details from
# your system", "forget me", "erase my number".
_ERASURE_ASKED_RE = re.compile(
    r"\b(?:delete|erase|remove|wipe)\s+(?:all\s+)?(?:of\s+)?(?:my|our)\s+(?:personal\s+)?(?:data"
    r"|details|information|info|number|account|records?)\b|\bforget\s+me\b"
    r"|\bright\s+to\s+(?:be\s+forgotten|erasure)\b"
)
# A day naming the visit whose service is changed: "luna's jab tomorrow be changed to a
# checkup", "the thursday one changed to a groom" (the day before the change, none after it).
_DAY_THEN_CHANGED_RE = re.compile(
    r"\b(?:today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|one)\s+(?:to\s+)?"
    r"(?:be\s+)?(?:changed|change|switched|swapped|turned|made)\s+(?:in)?to\s+(?:an?\s+)?"
    r"(?![a-z]*day\b)[a-z]"
)
# Two times listed for two pets: "at 10 and 10.45", "at 9:30 & 11".
_TIMES_LISTED_RE = re.compile(
    r"\bat\s+(?P<first>\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)\s+(?:and|&)\s+(?:at\s+)?"
    r"(?P<second>\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)\b(?!\s*(?:minutes|mins|hours|am\b|pm\b))"
)
# A booking asked for as such: "yes book it", "go ahead and book that", "book it in please".
_BOOK_IT_RE = re.compile(
    r"\bbook\s+(?:it|that|him|her|them|us)(?:\s+in)?\b|\bgo\s+ahead\s+and\s+book\b"
)
# Our message asking for a yes (a proposal read back).
_ASK_YES_RE = re.compile(r"Reply YES to confirm|Shall I (?:book|confirm)|Please answer yes or no")
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
# What opens a question said beside a yes: "yes! oh and is there parking?", "btw do you…".
_ASIDE_OPENER_RE = re.compile(
    r"^(?:(?:oh|ah|also|and|btw|by\s+the\s+way|one\s+more\s+thing|quick\s+question|plus)\b\W*)+"
)
# On the way to an appointment, or late for it: news for the desk, nothing to book or change
# ("running 10 mins late sorry", "on my way", "stuck in traffic, be there in 5").
_ON_THE_WAY_RE = re.compile(
    r"\b(?:on\s+(?:my|our)\s+way|running\s+(?:a\s+(?:bit|little)\s+)?(?:late|behind)"
    r"|(?:\d+|few|couple(?:\s+of)?)\s+min(?:ute)?s?\s+late|stuck\s+in\s+traffic"
    r"|be\s+there\s+in\s+(?:\d+|a\s+(?:few|sec|min|minute))|(?:just\s+)?parking\s+(?:now|up)"
    r"|(?:i'm|we're|im|were)\s+(?:here|outside)(?:\s+now)?\s*[.!]*$)"
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
# Not coming, said without asking for anything ("can't make it sorry"), and the words that do ask
# for a cancellation.
_CANT_COME_RE = re.compile(
    r"\b(?:can't|cant|cannot|won't|wont|will\s+not|unable\s+to)\s+(?:be\s+able\s+to\s+)?"
    r"(?:make|come)\b|\bnot\s+coming\b|\b(?:can|could)\s+no\s+longer\s+(?:make|come|do)\b"
)
_CANCEL_WORD_RE = re.compile(
    r"\b(?:cancel\w*|call\s+(?:it\s+)?off|delete|remove|drop|scrap|skip)\b|\btake\s+\w+\s+off\b"
)
# STOP / START written as keywords, in capitals, inside a sentence ("oops wrong chat, START"):
# matched on the message as written, since a lower-case "start" is an everyday word.
_STOP_KEYWORD_RE = re.compile(r"\b(?:STOP|STOPALL|UNSUBSCRIBE)\b")
_START_KEYWORD_RE = re.compile(r"\b(?:START|UNSTOP)\b")
# "stop please", "please stop": with nothing proposed, no more messages; with a proposal
# waiting, a no to it.
_BARE_STOP_RE = re.compile(
    r"^(?:please\s+|pls\s+|just\s+)?stop(?:\s+(?:please|pls|now|it|thanks|thank\s+you))*[\s.!]*$"
)
_OPT_IN_RE = re.compile(
    r"\b(?:start|resume)\s+(?:messaging|texting|sending)\s+me\b|\bsubscribe\s+me\b"
    r"|\bresubscribe\b|\bunstop\b|\b(?:start|send)\s+(?:me\s+)?(?:the\s+)?messages\s+again\b"
    r"|\bopt\s*me\s+(?:back\s+)?in\b|\b(?:can|could)\s+(?:i|we)\s+opt\s+(?:back\s+)?in\b"
    r"|\bopt\s+(?:back\s+)?in\s+again\b"
)
_CANCEL_RE = re.compile(
    r"\bcancel\b|\bcall\s+off\b|\bwon't\s+(?:be\s+able\s+to\s+)?make\s+it\b"
    r"|\bcan't\s+(?:make|come)\b|\bcannot\s+(?:make|come)\b|\bdelete\s+(?:my|the)\b"
    r"|\b(?:can|could)\s+no\s+longer\s+(?:make|come|do)\b"
    # "sorry can't do thursday after all": a booked day given up ("I can't do mornings" is not)
    r"|\b(?:can't|cannot)\s+do\s+(?:it\s+)?(?:on\s+)?(?:today|tomorrow|\w+day|mon|tues?|wed|weds"
    r"|thu|thurs?|fri|sat|sun)\b.{0,30}\b(?:anymore|any\s+more|after\s+all)\b"
    r"|\b(?:won't|don't|do\s+not|no\s+longer|will\s+not)\s+(?:be\s+)?need(?:ing)?\b|\bnot\s+coming\b"
    # "please take her off the list for thursday", "take Max off the books"
    r"|\btake\s+(?:her|him|them|it|\w+)\s+off\s+(?:the|your)\s+(?:list|books|calendar|schedule"
    r"|diary|system)\b"
    # "take us off for thursday please", "take max off friday"
    r"|\btake\s+(?:us|me|her|him|them|\w+)\s+off\s+(?:for\s+|on\s+)?(?:today|tomorrow|\w+day|mon"
    r"|tues?|wed|weds|thu|thurs?|fri|sat)\b"
    r"|\b(?:doesn't|does\s+not)\s+need\s+(?:to\s+(?:come|be\s+seen)|the|his|her|their|its)\b"
    # "Rosie will have to skip friday's appointment", "we'll have to miss it"
    r"|\bskip\b|\b(?:have\s+to|going\s+to|will|'ll)\s+miss\b"
    # "we're going to have to give thursday a miss" (British: not go)
    r"|\bgive\s+(?:it|that|this|them|\w+(?:'s)?|(?:the|our|my)\s+\w+)\s+a\s+miss\b"
    r"|\bno\s+(?:need|longer\s+need)\s+(?:for|of)\b"
    # "Sheru's appointment on Wednesday is not required now", "it's no longer needed"
    r"|\b(?:isn't|aren't|(?:is|are|'s)\s+(?:not|no\s+longer))\s+(?:required|needed|necessary)\b"
    r"|\b(?:remove|drop|scrap)\s+(?:my|our|the|his|her|\w+'s)\s+(?:appointment|booking|visit)\b"
)
# Where one clause of a message ends and another begins ("cancel Juno's but keep Ziggy").
# ("cancel max's and book bella in his slot": an "and" before another action's verb ends one)
_CLAUSE_RE = re.compile(
    r"[,;.!?]+|\s-\s|\b(?:but|though|although|while|whereas)\b"
    r"|\band\s+(?=(?:then\s+)?(?:book|put|pop|move|change|reschedule|keep|leave|add|make)\b)",
    re.IGNORECASE,
)
# Wording that asks to change an existing appointment's time, with a new day or time.
_CHANGE_RE = re.compile(
    # ("could my husband bring her instead of me?": who comes, not when)
    r"\binstead\b(?!\s+of\s+(?:me|us|myself)\b)|\bsame\s+(?:time|day)\b|\blater\b|\bearlier\b|\bsooner\b|\bcame\s+up\b"
    # "actually can we make it 3" just after a booking: that booking's time changed
    r"|\b(?:make|change)\s+it\b"
    r"|\banymore\b|\bcan't\s+make\b|\bcannot\s+make\b"
    # "can max come friday not thursday", "LUCKY CANT DO WED. FRI 3?": the booked day turned
    # down for another
    r"|\b(?:not|can't\s+do|cannot\s+do|can't\s+make)\s+(?:on\s+)?(?:today|tomorrow|mon|tues?|wed|weds"
    r"|thu|thurs?|fri|sat|sun|\w+day)\b"
)
# A yes that restates what it agrees to: "yes cancel it", "yes please book it", "yes move it".
_YES_RESTATED_RE = re.compile(
    rf"^(?:{_YES}\s*)+(?:please\s+)?(?:cancel|book|move|change|confirm|do)\s*(?:it|that|them)?"
    rf"(?:\s*{_FILLERS})*$"
)
# "earlier" of the past, not of a time: "my husband booked Max earlier", "as I said earlier",
# "earlier today"; these ask for no change.
_PAST_EARLIER_RE = re.compile(
    r"\b(?:\w+ed|sent|said|wrote|spoke|rang|made|told|did|was|were|had)\b(?:\s+\w+){0,3}?"
    r"\s+earlier\b|\bearlier\s+(?:today|this\s+(?:morning|afternoon|week))\b"
)
_MOVE_RE = re.compile(
    r"\b(?:move|moving|reschedule|rescheduling|rebook|change|postpone|push|bring\s+forward"
    # "could friday's be moved?", "can it be rescheduled?": the passive asks for the move too
    r"|shift|switch|swap|moved|rescheduled|postponed|shifted|rebooked|rearranged|swapped"
    # Indian English: "kindly prepone Tommy's appointment to Thursday 10am" (move it earlier)
    r"|prepone|preponed)\b"
    # a booking sent elsewhere: "can luna's appointment go to thursday at 2?", "can friday's go
    # to monday", "can bella's grooming go from 10 to 11:30"
    r"|(?:'s(?:\s+(?:groom(?:ing)?|jabs?|vaccinations?|booster|check-?up|consultation|dental"
    r"|visit|one))?|\b(?:appointment|appt|booking))"
    # "max's dental on friday needs to go to next week"
    r"(?:\s+(?:on|for)\s+(?:the\s+)?\w+)?(?:\s+(?:needs?|has|will\s+have|would\s+have)\s+to)?"
    r"\s+(?:go|goes|come)\s+(?:to|on|from)\b"
    r"(?!\s+(?:out|away|house|home|abroad|country|flat|apartment)\b)"
    r"|\bbring\b.{0,40}\bforward\b|\b(?:put|push)\b.{0,40}\bback\b|\bre-?arrange\b"
    # "can max have bella's slot …", "put bella in max's slot"
    r"|\b(?:have|take|get)\s+[a-z]+'s\s+(?:slot|time|place)\b"
    r"|\bput\s+[a-z]+\s+(?:in|into)\s+[a-z]+'s\s+(?:slot|time|place|appointment)\b"
    # a booked time given up with another asked for: "thursday doesn't work anymore, what else
    # have you got?", "can't make it thursday, could we do next week instead?"
    r"|\b(?:doesn't|does\s+not|won't|no\s+longer)\s+(?:work|suit)\b.{0,30}\b(?:anymore|any\s+more"
    r"|now|after\s+all)\b|\bwhat\s+else\s+(?:have\s+you\s+got|do\s+you\s+have|is\s+there)\b"
    r"|\b(?:can|could)\s+(?:we|i|you)\s+(?:do|have|get|go\s+for)\b.{0,40}\binstead\b"
    # a booked visit given a new time: "can bella's be 3 instead?", "can pepper be half an hour
    # later on tuesday?"
    r"|'s(?:\s+(?:one|appointment|appt|booking|groom(?:ing)?|jabs?|booster|check-?up|dental))?"
    r"\s+be\s+(?:at\s+|on\s+)?(?:\d|half\s+an|an?\s+(?:hour|bit)|later|earlier|moved)"
    r"|\bbe\s+(?:a\s+(?:bit|little|few\s+minutes)|half\s+an\s+hour|an\s+hour"
    r"|\d+\s*(?:mins?|minutes?|hours?))\s+(?:later|earlier|sooner)\b"
    # "bella's groom - can it be the afternoon instead?", "could hers be friday instead"
    # "could someone else see him at a different time, maybe wednesday morning?"
    r"|\b(?:at|on|for|to)\s+a\s+different\s+(?:time|day|slot)\b"
    # (not "can luna's groom be a bath instead": another service, asked of the same visit)
    r"|\b(?:can|could)\s+(?:it|that|this|his|hers|theirs|[a-z]+'s(?:\s+[a-z]+)?)\s+be\s+(?!an?\s)"
    r"[^?.!]{0,30}\binstead\b"
)
# The customer's own move, not a booking's: "we're moving to Lyon", "I've just moved to Nice".
_RELOCATING_RE = re.compile(
    r"\b(?:we're|we\s+are|i'm|i\s+am|they're|we've|i've|we|i|have|has)\s+(?:just\s+)?"
    r"(?:moving|moved)\s+(?:to|from|out|away|abroad|house|home)\b(?:\s+[a-z]+)?"
    # a house move told in passing: "we finally moved into the new flat", "when they moved"
    r"|\bmoved\s+(?:in|into|house|home|flat|here|there|over)\b"
    r"|\b(?:when|since|after|before)\s+(?:we|they|i|she|he|you)\s+(?:first\s+)?moved\b"
    # another vet asked for, not another time: "can I swap to a different vet?", "switch vets"
    r"|\b(?:swap|switch|change|move)\w*\s+(?:to\s+)?(?:a\s+|the\s+)?(?:different\s+|another\s+|other\s+"
    r"|new\s+)?(?:vets?|doctors?|nurses?|clinics?|practices?|surgery)\b"
)
# A new booking put off to later, with the old one given up: "I'll be in touch to rebook when I
# know my rota", "will reschedule another time". No move is asked for now.
_REBOOK_LATER_RE = re.compile(
    r"\b(?:be\s+in\s+touch|get\s+(?:back\s+)?in\s+touch|get\s+back\s+to\s+you|call\s+(?:you\s+)?back"
    r"|(?:tele)?phone(?:\s+you)?|ring(?:\s+you)?|call(?:\s+you)?"
    r"|message\s+(?:you\s+)?(?:again|back)|contact\s+you(?:\s+again)?)\s+(?:later\s+)?to\s+"
    r"(?:re-?book|reschedule|rearrange|book\s+(?:again|another))\b"
    r"|\b(?:re-?book|reschedule|rearrange)\s+(?:it\s+|her\s+|him\s+|them\s+)?(?:later|another\s+time"
    r"|at\s+some\s+point|some\s+other\s+time|when\s+i\s+(?:know|can)|once\s+i\s+(?:know|can)"
    r"|in\s+the\s+new\s+year|next\s+year|after\s+(?:christmas|xmas|the\s+holidays)"
    # "we'll rebook when she's back", "rebook once he's better"
    r"|(?:when|once|after)\s+(?:she|he|they|we|i|it)(?:'s|'re|'m|\s+(?:is|are|am|gets?|comes?))\s+"
    r"(?:back|better|home|recovered|well))\b"
    # the writer's own rebooking, later: "can you cancel pls? will rebook next week", "I'll
    # reschedule next month" (not "will you rebook", nor "and rebook for next week", asked of us)
    r"|(?<!\byou\s)(?<!\bu\s)\b(?:(?:i|we)'ll|(?:i|we)\s+will|will)\s+"
    r"(?:(?:just|have\s+to|need\s+to)\s+)?(?:re-?book|reschedule|rearrange)\b"
    r"(?:\s+(?:it|her|him|them))?(?:\s+(?:later|another\s+time|at\s+some\s+point|some\s+other"
    r"\s+time|soon|next\s+(?:week|month|year)|in\s+the\s+new\s+year)\b)?"
)
# What something costs, asked: "will I be charged?", "is there a fee?", "any penalty?".
_COST_ASKED_RE = re.compile(r"\b(?:charged?|charging|fees?|penalty|cost)\b")
# Our answer about one service: "A dental cleaning is €120 (60 minutes)." (``answers``).
# ("A dental cleaning is €120 (60 minutes).", "A grooming takes 45 minutes (€35).")
_SERVICE_TOLD_RE = re.compile(r"An?\s+(?P<name>[^.€]+?)\s+(?:is|takes)\s+\S*\d")
# A service referred back to: "can he have one", "book that", "I'll take it", "get him one"
# (normalised: "one" is "1").
_REFERS_TO_ONE_RE = re.compile(
    r"\b(?:have|get|book|do|take|want|need)\s+(?:him\s+|her\s+|them\s+)?(?:one|1|it|that|this)\b"
)
# A booking's time asked as the clinic has it: "what time have you got us booked in for",
# "what time have you got max down for".
_BOOKED_IN_RE = re.compile(r"\b(?:booked|down\s+for|(?:us|me|him|her|them|\w+)\s+in\s+for)\b")
# The clinic's free times asked about, not a booking: "what times have you got on saturday",
# "which days do you have free next week", "what times are available".
_FREE_TIMES_ASKED_RE = re.compile(
    r"\b(?:what|which)\s+(?:days?|times?|dates?|slots?)\s+(?:have\s+you\s+got|do\s+you\s+have"
    r"|(?:have\s+)?you\s+got|are\s+(?:free|available|open|left)|is\s+(?:free|available)"
    r"|(?:can|could)\s+you\s+(?:do|offer))\b"
)
# Free times asked for anywhere in a message: "i work 9-5 … when could max come in for a
# check up this week?"
_WHEN_CAN_COME_RE = re.compile(
    r"\bwhen\s+(?:can|could)\s+(?:he|she|they|we|i|(?!you\b)[a-z]+)\s+"
    r"(?:come|pop|be\s+seen|bring\s+(?:him|her|them|\w+)\s+in)\b"
)
# Whether a visit talked about is booked: "is that booked too?", "is it confirmed?" ("one" is
# normalised to "1").
_IS_IT_BOOKED = r"\bis\s+(?:that|it|this)\s+(?:1\s+)?(?:booked|confirmed|sorted|in\s+the\s+diary)\b"
_IS_IT_BOOKED_RE = re.compile(_IS_IT_BOOKED)
_LOOKUP_RE = re.compile(
    r"\b(?:when|(?:what|which)\s+(?:days?|times?|dates?))\b"
    # ("remind me how much it is", "remind me of your address": the business's answer)
    r"|\bremind\s+me\b(?!\s+(?:of\s+)?(?:how\s+much|the\s+price|your\s+(?:address|prices?|hours"
    r"|opening)|where\s+you|what\s+(?:your|the)\s+(?:address|price|hours)))"
    # ("do i have to leave her there all day?" asks what happens, not what is booked)
    r"|\bdo\s+(?:i|we)\s+have\b(?!\s+to\b)|\bdid\s+(?:i|we)\s+(?:book|say)\b"
    # "how early should I get there for Max's appointment?": the booking said, nothing invented
    r"|\bhow\s+early\s+(?:should|do|must|shall)\s+(?:i|we)\b"
    # "where is my next appointment?": the booking and the address (on a call "when" is often
    # heard as "where"), never the earliest free time its "next appointment" reads like
    r"|\bwhere(?:'s|\s+is)\s+(?:my|our|his|her|their|\w+'s)\s+(?:next\s+|upcoming\s+)?"
    r"(?:appointment|booking|visit)\b"
    # "what should we bring to Max's appointment?", "anything I should bring with me?"
    r"|\b(?:what|anything)\s+(?:should|do|must|shall|to)\s+(?:i|we)?\s*bring\b"
    r"|\b(?:need|have)\s+to\s+do\s+anything\s+before\b"
    # "can you confirm bella's appointment for friday?": the booking said, nothing booked
    r"|\bconfirm\s+(?:my|our|his|her|their|the|[a-z]+'s)\s+(?:appointment|booking|appt)s?\b"
    r"|\bcoming\s+(?:in|up)\b|\bmy\s+(?:appointments|bookings)\b|\bwhat\s+did\s+we\b"
    r"|\bcheck(?:ing)?\s+(?:on\s+)?(?:my|our|the)\s+(?:appointment|booking)s?\b"
    # "hi there, just checking in about max": the pet's bookings said
    r"|\b(?:just\s+)?check(?:ing)?\s+in\s+(?:about|on|re|regarding|with\s+you\s+about)\b"
    r"|\bstill\s+(?:on|booked|happening|going\s+ahead|ok|okay|fine|good|confirmed)\b"
    # "and the one 3 weeks after that, is that booked too?"
    r"|" + _IS_IT_BOOKED + r"|"
    # "is my appointment on wednesday or thursday", "was Max's booking at 10"
    r"\b(?:is|was)\s+(?:my|our|the|his|her|\w+'s)\s+(?:appointment|booking|visit)\s+"
    r"(?:on|at|for|still|today|tomorrow|this|next|in)\b"
    # "is ollie's jab this week or next??", "is bella's groom on friday?"
    r"|\b(?:is|was)\s+\w+'s\s+[a-z-]+\s+(?:on|at|still|today|tomorrow|this|next)\b"
    r"|\b(?:this|next)\s+week\s+or\s+(?:the\s+)?(?:next|this|following|after)\b"
    r"|\bwhat\s+(?:i|we)\s+(?:have\s+)?booked\b|\bwhat\s+(?:have|did)\s+(?:i|we)\s+(?:just\s+|actually\s+)?book(?:ed)?\b"
    r"|\bwhat\s+(?:have|'ve)\s+(?:i|we)\s+got\s+(?:booked|coming\s+up|on|left|still)\b|\bwhat's\s+booked\b"
    r"|\bwhat(?:'s|\s+is)\s+(?:left|still\s+booked)\b"
    # "I can't remember the time", "forgot which day"
    r"|\b(?:can't|cannot|don't|do\s+not)\s+remember\b|\bforg(?:o|e)t(?:ten)?\s+(?:the|which|what|when)\b"
    # a booking checked back: "booked for wed right?", "we're in on friday aren't we"
    r"|\b(?:booked|in)\b.{0,30}\b(?:right|correct|yeah|isn't\s+it|aren't\s+(?:we|i)|innit)$"
    # "what time should we arrive on thursday?", "what's Max booked in for?"
    r"|\bwhat\s+time\s+(?:should|do|must|shall)\s+(?:i|we)\s+(?:arrive|come|get\s+there|be\s+there)\b"
    r"|\bwhat(?:'s|\s+is|\s+are)\s+(?:\w+\s+)?booked\s+(?:in\s+)?for\b"
)
# "ollie's jab", "bella's next groom": a pet's possessive and the thing after it.
_POSSESSIVE_THING_RE = re.compile(
    r"\b(?P<who>\w+)'s\s+(?:next\s+|upcoming\s+)?(?P<thing>[a-z-]+(?:\s+(?:up|trim|clip))?)\b"
)
_ARRIVE_RE = re.compile(
    r"\bwhat\s+time\s+(?:should|do|must|shall)\s+(?:i|we)\s+(?:arrive|come|get\s+there|be\s+there)\b"
)
_BOOKED_FOR_WHAT_RE = re.compile(
    r"\bwhat(?:'s|\s+is|\s+are)\s+(?:\w+\s+)?booked\s+(?:in\s+)?for\b"
    # "what's max in for on thursday", "is max booked in for his jab or a check up"
    r"|\bwhat(?:'s|\s+is|\s+are)\s+[a-z]+\s+(?:in|coming\s+in)\s+for\b"
    r"|^is\s+[a-z]+\s+booked\s+(?:in\s+)?for\b.*\bor\b"
    # "can't remember what i asked for", "what's it for again?", "what's bella's appointment for"
    r"|\bwhat\s+(?:i|we)\s+(?:asked|booked|went)\s+(?:\w+\s+)?for\b"
    r"|\bwhat(?:'s|\s+is)\s+(?:it|(?:\w+'s|his|her|their|my|the)\s+(?:appointment|booking|visit))"
    r"\s+for\b"
)
# "whats my next appointment", "Max's upcoming visit", "when is my earliest appointment": a
# booking of theirs, not the earliest free time "next appointment" alone reads like; unless they
# ask to make one ("book my next visit").
_THEIR_NEXT_RE = re.compile(
    r"\b(?:my|our|his|her|their|(?!(?:what|that|it|there|where|who|how|here)'s)\w+'s)\s+"
    r"(?:next|upcoming|earliest|soonest)\s+(?:appointment|booking|visit)s?\b"
    r"(?!.{0,20}\b(?:free|available)\b)"
)
# The visit before, asked for again: "the usual", "same as last time", "same again".
# "same time as last time": the last visit asked for again (``_USUAL_RE``), at its time
# (``_LAST_VISITS_TIME_RE``, which also takes "same time as usual")
_SAME_TIME_AS = r"\bsame\s+time\s+as\s+(?:last\s+time|before|the\s+last\s+(?:time|visit|one)"
_USUAL_RE = re.compile(
    r"\bthe\s+usual\b|\bsame\s+as\s+(?:last\s+time|the\s+last\s+(?:time|visit|one)|before"
    r"|always)\b|\blike\s+last\s+time\b|\bsame\s+again\b|\b(?:his|her|their|its|our|my)\s+usual\b"
    # "same as usual for max please", "a groom as per usual"
    r"|\b(?:same\s+as|as|as\s+per)\s+(?:usual|normal|ever)\b"
    # "the same thing as last time", "what she had last time"
    r"|\bsame\s+(?:thing|one|service|treatment)\s+as\s+(?:last\s+time|before|the\s+last)\b"
    rf"|{_SAME_TIME_AS})\b"
)
# The last visit's time asked for again: "same time as last time", "at the usual time".
_LAST_VISITS_TIME_RE = re.compile(
    rf"{_SAME_TIME_AS}|usual)\b|\b(?:the|our|his|her|their|my)\s+usual\s+time\b"
)
# Who the customer will see: "who am I booked in with?", "which vet is seeing Max?". Bookings
# name no vet, so the booking is said and no name is invented.
_WHO_WITH_RE = re.compile(
    r"\bwho\s+(?:am|are|is)\s+(?:i|we|he|she|they|\w+)\s+(?:booked|seeing|in|with|down)\b"
    r"|\b(?:which|what)\s+(?:vet|vets|doctor|nurse)\b(?!\s+(?:services|hours|prices)\b)"
    r".{0,30}\b(?:see|seeing|sees|booked|with|treating|doing)\b"
    r"|\bwho(?:'s|\s+is|\s+will\s+be)\s+(?:seeing|treating|doing|taking)\b"
)
_MAKE_ONE_RE = re.compile(
    r"\b(?:book|make|schedule|arrange|set\s+up|reserve|get|need|want|like|move|change|cancel)\b"
)
_ABOUT_BOOKING_RE = re.compile(
    r"\b(?:my|the|our|his|her|their|\w+'s|\w+s)\s+(?:next\s+|upcoming\s+|current\s+)?"
    r"(?:appointment|booking|visit|slot|reservation)s?"
    r"\b|\bagain\b|\b(?:is|was)\s+it\b|\bdid\s+(?:i|we)\s+(?:just\s+)?book\b|\bcoming\s+in\b|\bdid\s+we\s+say\b"
    r"|\b(?:do\s+(?:i|we)\s+have|have\s+(?:i|we)\s+got)\b|\bbooked\b|\bremind\s+me\b"
    r"|\bcheck(?:ing)?\b|\bstill\s+(?:on|booked|happening|going\s+ahead|ok|okay|fine|good|confirmed)\b"
    # "what did we agree on the phone?"
    r"|\bwhat\s+(?:did|have)\s+(?:we|i)\s+(?:agree|arrange|decide|settle)d?\b"
    # "what time is Max in on wed", "when are we due"
    r"|\b(?:is|am|are)\s+(?:\w+\s+)?(?:in|due)\b|\b(?:we're|i'm|he's|she's|they're)\s+in\s+on\b"
    r"|\b(?:is|are)\s+(?:my|our|the)\s+\w+\s+(?:in|due)\b"  # "what time is my dog in?"
    # "when's max next in?", "when is she next due"
    r"|\bnext\s+(?:in|due|coming\s+in)\b"
    # "what time do we need to be there thursday"
    r"|\b(?:need|have)\s+to\s+(?:be\s+there|be\s+in|come\s+in|arrive|get\s+there|drop\s+\w+\s+off)\b"
    r"|\bsee(?:ing)?\s+(?:you|us)\b|\b(?:are|do|should|will)\s+(?:we|i)\s+(?:come|coming|be\s+there)\b"
    # "when do i bring max in" (not "what should I bring?")
    r"|\b(?:when|what\s+time)\s+(?:do|should|shall)\s+(?:we|i)\s+(?:bring|drop)\b"
)
_BOOKING_WORD_RE = re.compile(
    r"\b(?:book|booking|appointment|reserve|reservation|schedule|slot|visit|check-?up"
    r"|consultation|come\s+in|get\s+\w+\s+in|bring\s+\w+\s+in|see\s+(?:the|a)\s+(?:vet|doctor)"
    r"|free|available|availability|space|room|opening|openings|slots|anything|fit\s+\w+\s+in"
    r"|welcome|seen|come|bring"
    # "do you have wednesday?", "have you got friday morning": a day asked about is a day wanted
    r"|(?:do|have)\s+you\s+(?:have|got)(?=\s+(?:any\s+)?(?:today|tomorrow|\w+day|mon|tues?"
    r"|wed|weds|thu|thurs?|fri|sat|sun|this|next)\b))\b"
)
# Asking for a time, as opposed to asking about the business: "can we come", "book", "free".
_REQUEST_RE = re.compile(
    r"\b(?:book|booking|reserve|come|coming|bring|get\s+\w+\s+in|fit\s+\w+\s+in|squeeze"
    r"|see\s+(?:him|her|them|us|me|the\s+vet|a\s+vet)|seen|appointment\s+for|slots?|free"
    r"|available|availability|space|room|anything|(?:can|could|may)\s+(?:i|we|you)\s+(?:have|get|do)"
    r"|i'd\s+like|i\s+would\s+like|want|need|needs)\b"
)
# Thanks with news of the pet since a past moment: an update, not a request. A polite request
# ("I was wondering if I could get Murphy in ... thanks") is none.
_THANKS_RE = re.compile(r"\b(?:thanks|thank\s+you|cheers|grateful)\b")
_PAST_NEWS_RE = re.compile(
    r"\b(?:yesterday|last\s+night|since)\b"
    # thanks for a visit just made: "thanks for today, Max was a star"
    r"|\b(?:thanks|thank\s+you)\s+(?:so\s+much\s+|again\s+)?for\s+(?:today|this\s+(?:morning"
    r"|afternoon)|earlier)\b"
    # thanks for a visit, and how the pet is now: "thank you for seeing Max on Friday, he is
    # much better now"
    r"|\b(?:is|'s|are|feeling|doing)\s+(?:(?:so|very|much|a\s+lot|loads|heaps|far)\s+)*better\b"
)
# A change or cancellation said not to be wanted ("I do not need to change anything, I only
# wished to check…", "I not want cancel, only I ask…"): no move or cancellation is read from it.
_NO_CHANGE_RE = re.compile(
    r"\b(?:i|we)\s+(?:do\s+not|don't|dont|not|never|did\s+not|didn't)\s+(?:\w+\s+)?"
    r"(?:want|need|wish|mean|intend|asked?)\s+(?:to\s+)?(?:cancel|change|move|reschedule)\w*"
    r"(?:\s+(?:anything|it|that|the\s+appointment|my\s+appointment))?\b"
    r"|\bno\s+need\s+to\s+(?:cancel|change|move|reschedule)\w*(?:\s+anything)?\b"
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
_NOT_A_REQUEST_RE = re.compile(
    # "working", but not "the only day I'm not working" (free then)
    r"\b(?:away|busy|(?<!not\s)(?<!n't\s)working|on\s+holiday|out\s+of\s+town|not\s+around"
    r"|can't\s+do|driving)\b"
)
# A member of staff's days asked about ("is Dr Laurent working on Thursday?", "is the vet in on
# friday"): the business's rota, not the customer's absence (``_NOT_A_REQUEST_RE``). Bookings
# name no vet, so the reply says so rather than promising one.
_STAFF_WORKING_RE = re.compile(
    r"\b(?:is|are|will)\s+(?:dr|doctor|the\s+vet|your\s+vet|vet|nurse)\b\s*(?:[a-z'-]+\s+)?"
    r"(?:be\s+)?(?:working|in|on|there|around|available)\b"
)
# A vet asked for by name or as the one seen before ("can I see Dr Moreau on Thursday?", "with
# the same vet as last time"): the same answer, since bookings name no vet.
_VET_ASKED_RE = re.compile(
    r"\b(?:see|with|by|seeing|book\s+in\s+with)\s+(?:dr|doctor)\s+[a-z][a-z'-]+"
    r"|\b(?:same|usual)\s+(?:vet|doctor|nurse)\b"
    # "is that with a vet or a nurse?", "who will we see?"
    r"|\b(?:with|see)\s+(?:a|the)\s+(?:vet|doctor|nurse|groomer)\s+or\s+(?:a|the)\s+(?:vet|doctor|nurse|groomer)\b"
    # "is that with the vet? she hates the vet"
    r"|\b(?:is|will)\s+(?:that|it|this)\s+(?:be\s+)?with\s+(?:a|the)\s+(?:vet|doctor|nurse|groomer)\b"
    r"|\bwho\s+(?:will|would|do|shall)\s+(?:we|i|he|she|they)\s+(?:be\s+)?(?:see|seeing)\b"
    # "can my dog be seen by a female vet please?", "with a male vet"
    r"|\b(?:a|the)\s+(?:female|male|woman|lady|man|senior|specific|particular)\s+(?:vet|doctor)\b"
)
# How to prepare the pet for a visit ("does he need to fast the night before?", "can she eat
# breakfast before her dental?", "should I give him his tablets that morning?"): the vet's call.
_PREPARING_RE = re.compile(
    r"\b(?:fast|fasting|starve|starved|nil\s+by\s+mouth|empty\s+stomach)\b"
    # "does he need to not eat?", "no food the night before?"
    r"|\bneed\s+to\s+not\s+(?:eat|drink)\b|\b(?:no|stop|withhold)\s+(?:food|eating|water)\b"
    r"|\b(?:eat|eaten|ate|eating|food|feed|fed|breakfast|dinner|drink|drunk|water|meds|medication"
    r"|medicine|tablets?"
    r"|pills?)\b.{0,40}\b(?:before|beforehand|that\s+morning|morning\s+of|on\s+the\s+day)\b"
)
# A cancelled booking's slot given to another pet: "can Max have the slot instead?", "put Rex
# in her place".
_SLOT_GIVEN_RE = re.compile(
    r"\b(?:the|that|her|his|their|its|\w+'s)\s+(?:slot|spot|place|time|appointment)\b"
    r"|\bin\s+(?:her|his|their|its)\s+place\b|\bsame\s+(?:time|slot)\b"
)
# Another person's pet: "my neighbour wants to cancel her dog's appointment", "can I move my
# friend's cat's booking?". Bookings are changed only for the number they were made from.
_SOMEONE_ELSES_RE = re.compile(
    r"\b(?:my|our|a)\s+(?:neighbou?r|friend|mate|colleague|flatmate|housemate|mum|mom|mother"
    r"|dad|father|sister|brother|aunt|uncle|gran|grandma|granny|grandad|grandpa|nan|cousin"
    r"|boss|in-law|mother-in-law|father-in-law)(?:'s|s')?\b"
    r".{0,60}\b(?:her|his|their|its|\w+'s)\s+(?:(?:dog|cat|pet|puppy|kitten|rabbit|bird)(?:'s)?\s+)?"
    r"(?:appointment|booking|visit|dog|cat|pet|puppy|kitten|rabbit|bird)\b"
)
# A written question: a question mark, or a question's opening words ("what happens if…").
_OPEN_QUESTION_RE = re.compile(
    r"\?\s*\S{0,4}\s*$|^\s*(?i:what|how|can|could|do|does|is|are|will|would|should|where|why"
    r"|who|may|am)\b"
)
# A yes/no question about how the clinic does things ("are dogs and cats seen in separate
# waiting rooms?", "do you let owners stay during the checkup?"), as opposed to one asking for a
# visit ("do you have any appointments?", "can I book…", "could you see Max…").
_ABOUT_THE_CLINIC_RE = re.compile(
    r"(?:are|is|do|does|will|would)\s+(?:you|your|the|dogs|cats|pets|owners|vets|we|i|they)\b"
)
_ASKS_FOR_VISIT_RE = re.compile(
    r"\b(?:book|booking|appointments?|appt|slots?|free|available|availability|space|room"
    r"|openings?|anything|fit|squeeze|come\s+in|see\s+(?:him|her|them|us|me|my|our|\w+))\b"
    r"|\b(?:can|could|may)\s+(?:i|we|you)\b"
)
_TIMEFRAME_RE = re.compile(
    r"\b(?:some\s*time|sometime|any\s*time|anytime|week|weekend|month|soon|asap)\b"
)
# A service said not to be wanted: "her nails not a checkup", "not the jab".
_NOT_SERVICE_RE = re.compile(
    r"\b(?:not|no|rather\s+than|instead\s+of)\s+(?:an?\s+|the\s+|her\s+|his\s+|their\s+)?"
    r"[a-z-]+(?:\s+(?:up|clean|cleaning|trim))?"
)
# Everyone but some: "cancel all our appointments except Max's" (the pet after it is kept).
_EXCEPT_RE = re.compile(
    r"\b(?:except(?:\s+for)?|apart\s+from|but\s+not|other\s+than|besides|excluding|not"
    # "cancel all but coco's", "everything but max"
    r"|(?<=\ball\s)but|(?<=\beverything\s)but|(?<=\beveryone\s)but|(?<=\bthem\s)but)\s+"
    r"(?:for\s+)?(?:(?:my|our)\s+)?(?P<who>[a-z][a-z'-]+)"
)
# A booking asked for besides the one talked about: "how much to book another for Luna?".
_BOOK_MORE_RE = re.compile(
    r"\b(?:book|another|also|new|schedule|reserve|make\s+(?:an?|another)|add)\b"
)
_NO_VET_NAMED = (
    "Our bookings don't name a vet, so I can't promise who you'll see; the team can tell you "
    "at the clinic."
)
_GREETING_RE = re.compile(
    r"^(?:(?:hi|hello|hey|hiya|howdy|good\s+(?:morning|afternoon|evening)|there|again|yo"
    # a greeting in another language, often followed by English ("Hola" / "can Rocco come…")
    r"|hola|bonjour|salut|ciao|hallo|guten\s+tag|buenos\s+d[ií]as|bom\s+dia|ol[aá]|namaste"
    r"|salaam|merhaba|hej|hei|konnichiwa|ni\s+hao)\s*)+"
    # the writer saying who they are: "hi its sophie", "hello, this is Mark Jones", "hi it's me
    # again"
    r"(?:(?:it's|its|it\s+is|this\s+is)\s+(?!(?:urgent|an?|the|about|regarding|for|late|closed"
    r"|free|ok|okay|fine|not|still|so|very|really|too|just|max's|my|our|your)\b)"
    r"(?:[a-z][a-z'-]+)(?:\s+[a-z][a-z'-]+)?(?:\s+(?:again|here))?)?$"
)
_GOODBYE_RE = re.compile(
    r"\b(?:bye|goodbye|see\s+you|that's\s+all|that\s+is\s+all|that's\s+it|nothing\s+else"
    r"|have\s+a\s+(?:good|nice)\s+day)\b"
    r"|^(?:thanks|thank\s+you|many\s+thanks)(?:\s+(?:very\s+much|so\s+much|a\s+lot|again))?$"
)
# Thanks and nothing else ("thank you so much 😊", "great thanks!"): on WhatsApp a thank-you
# is often said in passing, with more to come; only words of farewell close the conversation.
_THANKS_ONLY_RE = re.compile(
    r"^(?:(?:oh|ok|okay|great|perfect|lovely|brilliant|awesome|amazing|wonderful|super)\s+)*"
    r"(?:thanks|thank\s+you|many\s+thanks|thanks\s+a\s+lot)"
    r"(?:\s+(?:very\s+much|so\s+much|a\s+lot|again|loads|a\s+million|heaps))?$"
)
_YOU_ARE_WELCOME = "You're welcome! Just message us here if there's anything else."
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
# Another day than the booking's asked for: "an earlier appointment than thursday", "another
# day sooner", "later in the week" ("a day sooner" is a shift of one day, ``When.shift``).
_DAY_SIDE_RE = re.compile(
    r"\b(?P<side>earlier|sooner|later)\s+(?:\w+\s+){0,2}?(?:than|before)\s+(?:the\s+)?"
    r"(?P<day>monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|weds?|thu(?:rs?)?"
    r"|fri|sat|sun)\b"
    r"|\b(?P<side2>earlier|sooner|later)\s+(?:day|date|in\s+the\s+week)\b"
    r"|\b(?:another|a\s+different)\s+(?:day|date)\s+(?P<side3>earlier|sooner|later)\b"
    # "can bella come in sooner?", "anything sooner?": seen sooner, not a quarter of an hour
    # earlier the same day ("a bit sooner" is; "a day sooner" is a shift, ``When.shift``)
    r"|(?<!bit\s)(?<!little\s)(?<!day\s)(?<!days\s)(?<!week\s)(?<!weeks\s)(?<!hour\s)"
    r"(?<!hours\s)(?<!minutes\s)(?<!mins\s)\b(?P<sooner>sooner)\b(?!\s+or\s+later)"
)
# Two pets spoken of without their names: "both of them", "the two of them", "both my dogs".
_BOTH_OF_THEM_RE = re.compile(
    r"\bboth\s+of\s+them\b|\bthem\s+both\b|\bthe\s+two\s+of\s+them\b"
    r"|\bboth\s+(?:my|our|the)?\s*(?:dogs|cats|pets|kittens|puppies|rabbits|boys|girls)\b"
)
# A yes on a vet we cannot promise: "yes as long as it's with dr martin", "yes if it's a
# female vet", "yes but only with the same vet as last time".
_VET_CONDITION_RE = re.compile(
    r"\b(?:as\s+long\s+as|only\s+if|provided|providing|if|but\s+only|but\s+(?:can|could)\s+"
    r"(?:it|we|i))\b.{0,40}?(?:\b(?:dr|doctor)\.?\s+(?!who\b|can\b|will\b)[a-z]{2,}"
    r"|\b(?:female|male|woman|man|lady|same|usual|particular|specific|senior|other|different)"
    r"\s+(?:vet|doctor|nurse)\b)"
)
# The proposal's day or time asked again: "sorry what day was that?", "what time did you say?"
_WHICH_WAS_THAT_RE = re.compile(
    r"^(?:sorry\s+|so\s+|wait\s+|hang\s+on\s+|erm\s+|um\s+)*(?:what|which)\s+(?:day|time|date)"
    r"\s+(?:was\s+(?:that|it)|is\s+(?:that|it)|did\s+you\s+say)\b"
    r"|^(?:sorry\s+)?when\s+(?:was|is)\s+(?:that|it)\s+(?:again|for)?\s*$"
)
# A pet unwell, said as news: "max has stopped eating", "bella is limping", "my cat keeps being
# sick" (emergencies are ``_EMERGENCY_RE``'s).
_SYMPTOM_RE = re.compile(
    r"\b(?:sick|ill|unwell|poorly|limping|lame|coughing|sneezing|vomiting|throwing\s+up"
    r"|lethargic|diarrh\w*|scratching|itching|itchy|wheezing|bloated|swollen|lump|rash"
    r"|(?:stopped|not|isn't|hasn't\s+been|won't\s+stop|keeps?)\s+(?:eating|drinking|peeing|being\s+sick"
    r"|scratching|limping|vomiting|coughing)|hasn't\s+(?:eaten|drunk|pooed|peed)"
    r"|off\s+(?:his|her|its|their)\s+food|not\s+(?:himself|herself|well))\b"
    # "my cat has fleas", "he's got an ear infection", "she's got a cut on her paw"
    r"|\b(?:has|have|got|with|caught|picked\s+up)\s+(?:(?:some|a\s+few|a\s+bad|bad)\s+)?"
    r"(?:fleas|ticks?|worms|mites|ear\s+mites|(?:an?\s+)?(?:ear|eye|skin|tummy|stomach|urinary|bladder)"
    r"\s+(?:infection|problem|issue)|an?\s+(?:cut|wound|sore|bite|abscess|infection|temperature"
    r"|fever|limp|upset\s+(?:tummy|stomach))|conjunctivitis)\b"
)
# Advice asked for: "what should I do", "is that normal", "should I be worried".
_ADVICE_ASKED_RE = re.compile(
    r"\bwhat\s+(?:should|do|can|shall)\s+(?:i|we)\s+do\b|\bis\s+(?:that|this|it)\s+normal\b"
    r"|\bshould\s+(?:i|we)\s+(?:be\s+)?(?:worried|concerned|give|bring)\b|\bany\s+advice\b"
)
# A booking's day or time said and checked: "my appointment is at 3 right?", "max is at 3 on
# thursday isn't he", "bella's on friday yeah?".
_BOOKING_CHECKED_RE = re.compile(
    r"\b(?:appointment|booking|visit|[a-z]+'s|[a-z]+\s+is)\s+(?:is\s+)?(?:still\s+)?"
    r"(?:at|on|for|(?=\d))\b.{0,30}"
    r"\b(?:right|isn't\s+(?:it|he|she|that)|is\s+(?:that|it)\s+(?:right|correct)|correct|yeah"
    r"|yes|innit)\s*\??\s*$"
)
# One time asked for, the day's last: "the latest you can fit him in", "your last appointment
# on friday" (not "end of the day", which lists the last few).
_THE_LATEST_RE = re.compile(
    r"\bthe\s+latest\b(?!\s+(?:news|update))|(?<!\bas\s)(?<!\blike\s)(?<!\bthan\s)"
    r"\b(?:your|the)\s+(?:very\s+)?last\s+(?:appointment|slot)\b(?!\s+(?:we|i|he|she|they)\b)"
    # ("the last appointment you have on saturday", not "the last appointment you gave us")
    r"(?!\s+you\s+(?:had|did|made|booked|gave|saw)\b)"
)
# Our answer to a slot that cannot be had: "Sorry, Sunday 13 December at 10:00 isn't possible".
_REFUSED_SLOT_RE = re.compile(
    r"^Sorry, \w+ \d{1,2} \w+(?: \d{4})? at (?P<hour>\d{2}):(?P<minute>\d{2}) isn't possible"
)
# A slot asked about before booking: "not booking yet", "won't book yet", "before I book",
# "need to check with work first".
_NOT_BOOKING_YET_RE = re.compile(
    r"\bnot\s+(?:booking|ready\s+to\s+book)\s+(?:it\s+)?yet\b|\bwon't\s+book\s+(?:it\s+)?yet\b"
    r"|\bdon't\s+book\s+(?:it\s+|anything\s+)?yet\b|\bbefore\s+(?:i|we)\s+book\b"
    r"|\b(?:need|have)\s+to\s+check\s+with\s+(?:\w+\s+){1,2}first\b"
)
# A complaint said beside a request the agent serves ("not happy … can he be seen at 2?"): an
# apology first. Without a request a complaint is a handoff (``_HANDOFF_RE``).
_COMPLAINT_RE = re.compile(
    r"\b(?:i'm|i\s+am|we're|we\s+are)\s+(?:very\s+|really\s+|so\s+)?(?:not\s+(?:happy|pleased"
    r"|impressed|satisfied)|unhappy|disappointed|fed\s+up|annoyed|upset|frustrated)\b"
    r"|^(?:honestly\s+|really\s+)?not\s+(?:happy|impressed)\b|\b(?:unacceptable|appalling"
    r"|disgraceful|outrageous|ridiculous)\b|\b(?:nobody|no\s+one|no-one)\s+(?:even\s+)?"
    r"(?:apologi[sz]ed|called|rang|phoned|got\s+back|answered)\b|\b(?:poor|bad|terrible|awful)"
    r"\s+service\b|\bpromised\s+(?:me\s+|us\s+)?a\s+call\s*back\b"
)
_APOLOGISED_FOR = (
    Intent.PROPOSE_BOOKING,
    Intent.PROPOSE_RESCHEDULE,
    Intent.PROPOSE_CANCEL,
    Intent.PROPOSE_CHANGES,
    Intent.CLARIFY,
    Intent.ASK_BOOKING,
)
# A move said as two hours: "move max from 3 to 4", "from 10:30 to 11".
_FROM_HOUR_TO_HOUR_RE = re.compile(
    r"\bfrom\s+(?P<start>\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)\s+(?:to|till|until)\s+"
    r"(?P<end>\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)\b"
)
# Records or documents asked for: "can I get a copy of max's vaccination record", "could you
# email me the invoice", "send over his blood test results".
_RECORDS_ASKED_RE = re.compile(
    r"\b(?:copy|copies|send|email|e-mail|forward|print)\b.{0,40}?\b(?:records?|history|certificates?"
    r"|vaccination\s+(?:card|booklet)|booklet|notes|results|invoices?|receipts?|reports?"
    r"|prescriptions?|paperwork)\b"
)
# The vaccination of papers about it: "his vaccination records", "her vaccination card".
_VACCINATION_PAPERS_RE = re.compile(
    r"\b(?:vaccinations?|vaccine|jabs?)\s+(?=(?:records?|history|certificates?|card|booklet"
    r"|status|papers?|details)\b)"
)
# Something more for the vet to look at, said with a yes: "if the vet can look at his ear
# too", "and could they also check her paw".
_ALSO_LOOK_AT_RE = re.compile(
    r"\b(?:look\s+at|check|have\s+a\s+look\s+at|take\s+a\s+look\s+at|examine)\s+"
    r"(?P<what>(?:his|her|their|its|the)\s+[a-z]+(?:\s+(?!too\b|as\b|also\b|while\b)[a-z]+)?)"
    r"(?:\s+(?:too|as\s+well|also|while\s+(?:he's|she's|they're|we're|he\s+is|she\s+is)"
    r"\s+(?:there|in)))?\s*[?.!]*\s*$"
)
# A time put forward on its own, politely or on condition: "5pm please", "quarter past five if
# you've got it", "at 5 if possible".
_TIME_OFFERED_RE = re.compile(
    r"\bif\s+(?:you've\s+got\s+(?:it|one|space|room)|you\s+have\s+(?:it|one|space|room)|possible"
    r"|poss|free|available|it's\s+free|that's\s+(?:ok|okay|free|possible)|you\s+can)\b"
    r"|^(?:at\s+|around\s+)?[\d:.\s]+(?:[ap]m)?\s+(?:please|pls|plz)\b"
)
# A move just done taken back: "can you put it back?", "change it back", "back to how it was".
_MOVE_BACK_RE = re.compile(
    r"\b(?:put|change|move|switch|set)\s+(?:it|that|him|her|them|\w+)\s+back\b(?!\s+(?:a|an|by|\d|to\s+\w+day))"
    r"|\bback\s+to\s+(?:how\s+it\s+was|the\s+original(?:\s+time)?|what\s+it\s+was|the\s+old\s+time)\b"
    r"|\b(?:undo|reverse)\s+(?:that|it|the\s+move)\b"
)
# Our read-back of a move: its subject, and the slot it leaves.
_MOVE_READ_BACK_RE = re.compile(
    r"I can move the appointment(?: for (?P<who>.+?))? from (?P<old>\w+ \d{1,2} \w+(?: \d{4})? at "
    r"\d{2}:\d{2}) to "
)
# A booking said to stay as it is beside a new request: "keep the groom", "as well as her jab".
_KEPT_SERVICE_RE = re.compile(
    r"\b(?:keep(?:ing)?|leave|leaving|as\s+well\s+as|besides|on\s+top\s+of|not\s+instead\s+of)\s+"
    r"(?:the|her|his|their|my|our|that)\s+[a-z-]+(?:\s+(?:one|appointment|booking))?\b"
)
# A vet asked to see the pet: a consultation, whatever else the message says ("could a vet see
# her today as well? keep the groom").
_SEE_A_VET_RE = re.compile(
    r"\b(?:a|the)\s+vet\s+(?:to\s+)?(?:see|look\s+at|check|have\s+a\s+look\s+at)\b"
    r"|\bsee\s+(?:a|the)\s+vet\b"
)
# Words for any visit ("appointment", "slot"), which name no service of their own when another
# is looked for in a message ("add bella to max's appointment", "it's the groom, yeah?").
_ANY_VISIT_WORDS_RE = re.compile(r"\b(?:appointments?|appt|visits?|bookings?|slot)\b")
# A no that closes the conversation: "no thanks, that's all", "never mind", "forget it".
_CLOSES_RE = re.compile(
    r"\b(?:that's\s+all|that\s+is\s+all|that's\s+it|nothing\s+else|never\s*mind|forget\s+it"
    r"|don't\s+worry|not\s+to\s+worry|no\s+need|i'll\s+leave\s+it|we'll\s+leave\s+it"
    r"|leave\s+it\s+(?:for\s+now|there)|all\s+for\s+now)\b"
)
# Our message saying a change was made: "Done: Oreo is booked for … at 11:00."
_DONE_RE = re.compile(r"Done:\s+(?P<what>.+)", re.DOTALL)
# A farewell that names the visit: "brilliant thanks, see you thursday 😊", "great see you then",
# "cheers, see you at 11 on the 10th!". Asking nothing.
_SEE_YOU_RE = re.compile(r"\bsee\s+(?:you|u|ya|yous|you\s+all|you\s+guys)\b")
_SEE_YOU_ASKS_RE = re.compile(
    r"\b(?:book|move|change|cancel|reschedule|instead|earlier|later|can|could|would|will\s+you"
    r"|please|pls|is\s+it|are\s+you|do\s+you|what|when|which|how)\b"
)
# Words after a yes that may take it back: "yes, but…", "yes, not right", "yes, cancel it".
_TAKES_BACK = r"no|not|don't|never|wait|but|cancel|change|instead"
_SPOKEN_YES_RE = re.compile(rf"^(?:{_YES})\s+(?!.*\b(?:{_TAKES_BACK})\b)\S+(?:\s+\S+)?$")
# A written yes followed by pleasantries: "Yes, that would be lovely, thank you". Anything that
# could change the answer (a but, a no, a question, a new time or pet) keeps it from counting.
_WRITTEN_YES_RE = re.compile(
    rf"^(?:{_FILLERS}\s*)*(?:{_YES_FRAME})?{_YES}\b"
    rf"(?!.*\b(?:{_TAKES_BACK}|rather|actually|hold|however|except|unless|only|also|too"
    r"|and\s+(?:my|the|for)|move|another|different)\b)[^?]*$"
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
_WRITTEN_DATE_RE = re.compile(
    r"\b\d{1,2}\s+(?:january|february|march|april|may|june|july|august|september|october"
    r"|november|december)\b"
)
# The customer turns the proposal down without a day or time we can read ("No, make it <misheard>
# instead"): asking again what they want beats re-asking yes or no, which a "yes" would confirm.
# Calling the request off without a plain "no": "actually never mind, I'll sort it out later",
# "let me check with my partner first".
_CALL_OFF_RE = re.compile(
    r"\b(?:never\s*mind|nvm|forget\s+(?:it|that|about\s+it)|scratch\s+that|leave\s+it\s+for\s+now"
    r"|don't\s+worry\s+about\s+it|i'll\s+(?:sort\s+it|call|ring|phone|get\s+back|think\s+about"
    r"|check|let\s+you\s+know)|let\s+me\s+(?:check|think|get\s+back|ask))\b"
)
# Another one meant than the one proposed: "no, I meant Luna", "sorry, Luna's not Max's", "it's
# Luna I want to cancel".
_MEANT_RE = re.compile(
    r"\b(?:meant|mean|i\s+said|it's\s+\w+\s+(?:i|we)\s+(?:want|need))\b|\bnot\s+\w+'s\b"
    r"|^(?:no|nope|sorry|oops)\b.{0,12}\b\w+'s\b|^(?:no|nope|sorry|oops)\W+\w+\W*$"
)
# The booking kept as it is, to a proposed move or cancellation: "actually keep it", "no leave
# it on thursday", "leave it where it is", "don't move it", "no change".
_KEEP_RE = re.compile(
    r"\b(?:keep|leave)\s+(?:it|that|them|him|her|everything|things|the\s+(?:appointment|booking)"
    r"|(?:his|her|their)\s+(?:appointment|booking)|\w+'s(?:\s+(?:appointment|booking|one))?)"
    r"(?:\s+(?:as\s+(?:it\s+is|is|it\s+was)|where\s+(?:it|he|she|they)\s+(?:is|are)|on\s+\w+"
    r"|at\s+(?:quarter|half)\s+past|at\s+\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?|then|please|thanks"
    r"|thank\s+you|for\s+now|sorry|yes|ok|okay))*\s*[.!]*$"
    r"|\b(?:don't|do\s+not|dont)\s+(?:move|cancel|change)\s+(?:it|that|anything)\b|^no\s+changes?\b"
)
# An existing booking asked to be earlier or later, no time said: "could Max's appointment be a
# bit earlier?", "can we bring it forward?", "push it back a bit".
_SIDE_RE = re.compile(
    r"\b(?:earlier|sooner|later|prepone)\b|\bbring\b.{0,40}\bforward\b|\b(?:push|put)\b.{0,40}\bback\b"
)
# "later" said of getting in touch, not of the appointment.
_LATER_CONTACT_RE = re.compile(
    r"\b(?:call|ring|phone|text|message|talk|speak|chat|get\s+back|see\s+you|check|confirm"
    r"|let\s+you\s+know)\b.{0,20}\b(?:later|sooner)\b|\bsooner\s+or\s+later\b"
)
# Another time asked for on the side of the proposed one: "can you do earlier?", "anything later".
_OTHER_SIDE_RE = re.compile(r"\b(?:earlier|sooner|later)\b")
# The time proposed turned down for its side: "10 is too early for me", "that's a bit late".
_TOO_EARLY_OR_LATE_RE = re.compile(r"\b(?:too|bit|little)\s+(?P<side>early|soon|late)\b")
# Our questions naming the bookings a change could mean, answered by a pet's name next.
_WHICH_ONE_RE = re.compile(
    r"^(?:Sure, but first: )?[Ww]hich (?:appointment should I (?P<verb>move|cancel)|one should I"
    r" change):"
)
# Our answer when one change of several cannot be had ("For Bella: Sorry, … I can offer …").
_REFUSED_FOR_RE = re.compile(r"^For (?P<who>[^:]{1,60}): Sorry, ")
_TURNED_DOWN_RE = re.compile(
    r"^(?:no|nope|nah)\b|\binstead\b|\brather\b|\bmake\s+it\b|\bchange\s+it\b"
    r"|\b(?:another|different|other)\s+(?:time|day)\b"
    # "not that day sorry", "that time doesn't work", "can't do then"
    r"|^(?:\w+\s+)?not\s+(?:that|then|on\s+that)\b|\b(?:that|this)\s+(?:day|time|one)\s+(?:doesn't"
    r"|does\s+not|won't|will\s+not|isn't\s+good|is\s+no\s+good)\b|\b(?:can't|cannot)\s+do\s+"
    r"(?:that|then)\b"
)
# A message correcting itself as it goes: "thursday at 2, no sorry 3", "at 10 or rather 11",
# "friday, no wait, saturday", "tuesday... actually wednesday is better" (commas are gone from
# the normalised text).
_SELF_CORRECTION_RE = re.compile(
    r"(?:\bno,?\s+(?:sorry|wait)\b|\bsorry,?\s+(?:no\b|i\s+mean(?:t)?\b)|\bwait,?\s+no\b"
    r"|\bor\s+rather\b|\bmake\s+that\b|\bactually\b)"
)
# A bare hour first in a correction: "no sorry 3", "or rather 11:30".
_BARE_HOUR_FIRST_RE = re.compile(
    r"^[\s,.!]*(?:(?:wait|actually|sorry|no)[\s,.!]+)*(?P<hour>\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)"
    r"(?!\s*(?:st|nd|rd|th)\b)(?:$|[\s,.!?])"
)
# A question a yes does not answer: "Which day…?", "What time…?", "When…?", "Who…?".
_WH_QUESTION_RE = re.compile(r"(?:Which|What|When|Who)\b")
# A change said with its new value: "make it <...> instead", "change it to <...>".
_CHANGED_TO_RE = re.compile(
    r"\b(?:make|change|move|switch)\s+(?:it|that)\s+(?:to\s+)?(?!instead\b)\w"
)
# Another pet joins a booked visit: "add Bella to Max's appointment", "can Bella come too".
_JOIN_RE = re.compile(
    r"\b(?:add|bring|include)\b.*\b(?:to|with|in)\b|\b(?:too|as\s+well|along)\b"
    r"|\b(?:put|pop|squeeze|fit)\b.*\bwith\s+(?:him|her|them|\w+)\b"  # "put Bella in with him"
    # "can bella come with max tomorrow?", "could luna come in with her brother"
    r"|\b(?:come|coming|tag)\s+(?:in\s+|along\s+)?with\s+(?!me\b|us\b|my\s+(?:husband|wife|partner"
    r"|son|daughter|mum|dad|friend)\b)\w+"
    r"|\b(?:at\s+)?the\s+same\s+(?:time|slot)\s+as\b"  # "can Pip come at the same time as Rex"
    # "same as bella for max please": another pet's booking copied
    r"|\bsame\s+as\s+(?!before|last|usual|always|ever|that|this|it|the)[a-z]+(?:'s)?\b"
    # "… can she come at the same time?", "can max come at the same time? just a check up"
    r"|\bat\s+the\s+same\s+time\b(?!\s+(?:as|next|on|tomorrow|today|\w+day)\b)"
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
# A yes inside a longer message: "12 is perfect, yes please", "yep 10 works".
_YES_SAID_RE = re.compile(
    r"\b(?:yes|yeah|yep|yup|ok|okay|perfect|great|lovely|brilliant|works|fine|good|sounds\s+good)\b"
)
_NO_WORD_RE = re.compile(
    r"\b(?:no|not|nope|nah|instead|rather|but|actually|change|earlier|later)\b"
)
# A time answering our proposal on its own, as a correction: "wednesday is fine after all, but
# 11", "make it 3", "say 4 then".
_CORRECTING_HOUR_RE = re.compile(
    r"\b(?:but|make\s+it|say|rather|more\s+like|maybe|at|around|how\s+about|what\s+about"
    r"|(?:can|could)\s+(?:it|we|you|he|she|they|[a-z]+'s(?:\s+(?:one|appointment|appt|booking"
    r"|groom(?:ing)?|jabs?|booster|check-?up|dental))?)\s+(?:be|do|make\s+it))\s+(?:at\s+)?"
    r"(?P<hour>(?<![\d:.])\d{1,2}(?:[:.]\d{2})?)\b(?![:.]?\d)(?!\s*(?:st|nd|rd|th|days?|weeks?"
    r"|months?|years?|minutes?|hours?|pets?|cats?|dogs?|of|/|%|euros?|kg|kilos?)\b)"
)
_BUT_RE = re.compile(r"\b(?:but|instead|actually|rather)\b")
# A day named outright (normalised): a weekday, today or tomorrow, or a date's number.
_DAY_NAMED_RE = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow|tonight"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\s+\d{1,2}|\d{1,2}/\d{1,2})"
)
# A pet of several proposed, left out ("not max", "without max", "leave max out", "max's still
# on antibiotics", "max can wait"); ``.format`` with the pet's name, lower case.
_DROPPED_PET = (
    r"\b(?:not|without|except|minus|skip|but\s+not|no)\s+(?:for\s+)?{0}\b"
    r"|\bleave\s+{0}(?:'s)?\s+(?:out|off)\b"
    r"|\b{0}(?:'s|\s+is)?\s+(?:still|can\s+wait|will\s+have\s+to\s+wait|isn't|is\s+not|won't|can't)\b"
    # "only luna please, max is poorly"
    r"|\b{0}(?:'s|\s+is|\s+has\s+been)\s+(?:a\s+bit\s+)?(?:poorly|ill|sick|unwell|not\s+well|off\s+colour)\b"
)
# The sentences of a message as written: after ".", "!", "?" or ";" and a space, or a new line.
_SENTENCE_RE = re.compile(r"(?<=[.!?;])\s+|\n+")
_CHAT_SENTENCE_RE = re.compile(
    r"(?<=[.!?;])\s+|\n+|\s+[\u2600-\u27bf\U0001f300-\U0001faff]+\s+(?=[a-z])"
)
# A sentence (normalised) that asks for something, besides one ending in "?": "could we do
# friday instead", "make it 11 please", "I'd like tuesday". Not news or reasons ("my daughter's
# party is on wednesday", "I've got the plumber coming at 10").
_ASKING_RE = re.compile(
    r"\b(?:can|could|would|may|shall)\s+(?:we|i|you|he|she|it|they|that|this)\b"
    r"|\b(?:please|pls|instead|make\s+it|how\s+about|what\s+about|any\s+chance)\b"
    r"|\b(?:i|we)(?:'d|\s+would)\s+(?:like|love|prefer)\b"
)
# "what did I say was wrong with him?", "what did I tell you about Max", "remind me what I said":
# the customer's own words asked back.
_WHAT_I_SAID_RE = re.compile(
    r"\bwhat\s+(?:did|had)\s+(?:i|we|my\s+\w+)\s+(?:say|tell\s+you|write|mention|told\s+you)\b"
    r"|\bremind\s+me\s+what\s+(?:i|we)\s+(?:said|told\s+you|wrote|mentioned)\b"
    r"|\bwhat\s+(?:i|we)\s+(?:said|told\s+you|wrote|mentioned)\s+(?:was|about|earlier|before)\b"
)
_NOT_CAUGHT = "Sorry, I didn't catch that."
_HOW_CAN_I_HELP = "How can I help you today?"
# On a call, a booking about to be read back for nobody named (``ask_which_pet``).
_PET_NAME_ASKED = "What is your pet's name?"
_WHO_FOR = f"Sorry, I didn't catch who the appointment is for. {_PET_NAME_ASKED}"
# The workflow's ``UNHEARD_CALLER`` question: asked when nothing was heard, it says nothing of
# where the conversation was.
_SAY_AGAIN = "Could you say it again?"
# "is that am or pm?", "morning or afternoon?" about a time we said
_AM_OR_PM_RE = re.compile(r"\b(?:am\s+or\s+pm|pm\s+or\s+am|morning\s+or\s+(?:afternoon|evening))\b")
_I_CAN = "I can book, move or cancel an appointment, or answer questions about the clinic."
_WHAT_I_DO = f"{_I_CAN} What would you like to do?"
# Help asked for without saying with what: "can you help?", "I have a question", "help", "menu".
_HELP_RE = re.compile(
    r"(?:hi\s+|hello\s+|hey\s+)?(?:(?:can|could)\s+(?:you|u)\s+help(?:\s+me)?(?:\s+please)?"
    r"|help(?:\s+me)?(?:\s+please)?|(?:i\s+)?(?:have|got)\s+a\s+(?:quick\s+)?(?:question|query)"
    r"|(?:i\s+)?need\s+(?:some\s+)?help|menu|options|quick\s+question)\W*$"
)
UNCLEAR = (
    "Sorry, I didn't quite get that. I can book, move or cancel an appointment, or answer "
    "questions about the clinic. What would you like to do?"
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
# Our question of when, for whom: "Which day and time would you like for your dog?"
_ASKED_FOR_WHOM_RE = re.compile(
    r"^(?P<ask>Which day and time would you like|What time on [^?]+? would you like"
    r"|Which day would you like at \d{2}:\d{2})"
    r"(?: for [^?]+)?\?(?P<rest> I have [^?]+)?$"
)
# Only who a visit is for, answering our question: "for my rabbit", "it's for my dog".
_FOR_WHOM_ONLY_RE = re.compile(
    r"^(?:(?:oh|sorry|ah)\s+)?(?:(?:it's|its|it\s+is|that's|this\s+is)\s+)?(?:for\s+)?(?:my|our|the)\s+"
    r"[a-z]+(?:\s+[a-z]+)?(?:\s+(?:please|pls|sorry))?(?:\s+(?:she|he|they|it)(?:'s|\s+is|\s+has)\b[^?]*)?\s*$"
)
# Their bookings asked for as a list: "what appointments have we got?", "do I have any bookings?"
_WHAT_BOOKED_RE = re.compile(
    r"\bwhat\s+(?:appointments?|bookings?|appts?)\s+(?:have|do|did|are)\s+(?:i|we|there)\b"
    r"|\b(?:have|do)\s+(?:i|we)\s+(?:got\s+)?any\s+(?:appointments?|bookings?|appts?)\b"
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
# Another service on a visit already booked: "add a nail trim to max's appointment", "at the same
# time as his checkup", "while he's there", "on the same visit".
_ADDED_TO_VISIT_RE = re.compile(
    r"\badd\b.{0,40}\bto\s+(?:\w+'s|his|her|their|my|our|the)\s+(?:appointment|booking|visit"
    r"|checkup|check\s+up|consultation|jabs?|vaccination|groom(?:ing)?|dental)\b"
    r"|\b(?:at\s+the\s+same\s+time\s+as|during|on\s+the\s+same\s+visit\s+as|as\s+well\s+as)\s+"
    r"(?:\w+'s|his|her|their|the)\s+(?:appointment|visit|checkup|check\s+up|consultation|jabs?"
    r"|vaccination|groom(?:ing)?|dental)\b"
    r"|\bwhile\s+(?:he|she|they|it)(?:'s|'re|\s+is|\s+are)\s+(?:there|in|with\s+you)\b"
    # "can max's appointment be longer? he needs his nails done too"
    r"|\b(?:appointment|booking|visit|slot|it)\s+be\s+(?:longer|extended|made\s+longer)\b"
    r"|\b(?:extend|lengthen)\s+(?:\w+'s|his|her|their|my|our|the|it)\b"
)
# Two bookings' places exchanged: "swap max and luna", "switch them around", "trade places".
_SWAP_RE = re.compile(
    r"\b(?:swap|swapped|swapping|trade|exchange)\b|\bswitch\b.{0,40}\b(?:around|round|over)\b"
    # "can max have bella's slot and bella have max's"
    r"|\b(?P<a>[a-z]+)\s+(?:have|take|get)\s+(?P<b>[a-z]+)'s\s+(?:slot|time|appointment|one|place)\b"
    r".{0,20}\band\s+(?P=b)\s+(?:have|take|get)\s+(?P=a)'s\b"
)
# "cancel both", "move all of them": the change is meant for every booking the message points at.
_EVERY_RE = re.compile(r"\b(?:both|all|every|each|everything|everyone|everybody)\b")
# A booking said back to be checked: "just confirming", "still ok?", "we're still on, right?".
_CHECKING_RE = re.compile(
    r"\b(?:just\s+)?(?:confirming|checking|double[\s-]?checking|to\s+confirm)\b"
    r"|\bstill\s+(?:ok|okay|on|good|fine|happening|booked|going\s+ahead)\b"
    r"|\bwe(?:'re|\s+are)\s+(?:still\s+)?(?:good|on|set)\b|\b(?:right|correct)\s*$"
)
# "next thursday": a weekday said with "next" (which week it means is the reader's to judge).
_NEXT_WEEKDAY_RE = re.compile(r"\bnext\s+(?P<day>mon|tue|wed|thu|fri|sat|sun)[a-z]*\b(?!\s+week)")
# Whether a booking was made, asked: "are both cats booked in for wednesday?", "can't remember
# if i did kiwi as well", "did I book bella too?".
_WHETHER_BOOKED_RE = re.compile(
    r"\b(?:is|are)\s+(?:both|they|all|the\s+\w+|\w+)\s+(?:\w+\s+)?booked\b"
    r"|\b(?:can't|cannot|don't|do\s+not)\s+remember\s+(?:if|whether)\b"
    r"|\bdid\s+(?:i|we)\s+(?:book|do|put)\b"
)
# When to collect the pet, asked: "when can i pick her up?", "what time should I collect him".
_PICK_UP_RE = re.compile(
    r"\bpick\s+(?:\w+\s+)?up\b|\bcollect(?:ing)?\s+(?:him|her|them|it|\w+)\b"
    r"|\bwhat\s+time\s+(?:will|would)\s+(?:he|she|they|it)\s+be\s+(?:ready|done|finished)\b"
)
# Whether a visit is over by a time, asked: "will she be done by 10?", "finished by 11?".
_DONE_BY_RE = re.compile(
    r"\b(?:done|finished|out|ready|over|through)\s+by\s+\d{1,2}(?:[:.h]\d{2})?(?:\s*[ap]m)?\b"
)
# What ends a clause: a comma, a semicolon, a question or exclamation mark, or a full stop that
# is not a time's ("move max to 10.30 and bella to 10" is one clause).
_CLAUSE_END = r"(?:[,;!?]|(?<!\d)\.|\.(?!\d))"
# Our question when several bookings are to move and the message says not where to.
_MOVED_TO_QUESTION = "Which day and time would you like them moved to?"
# Bookings said in the plural: "our appointments", "the bookings on wednesday".
_OUR_BOOKINGS_RE = re.compile(r"\b(?:our|the|their|my)\s+(?:appointments|appts|bookings|slots)\b")
# What one change of several does, said in a read-back (verb, what) and once done.
_TO_DO = {
    "book": ("book", "{who} for {when}"),
    "reschedule": ("move", "{who}'s appointment to {when}"),
    "cancel": ("cancel", "{who}'s appointment on {when}"),
}
_DONE = {
    "book": "{who} is booked for {when}",
    "reschedule": "{who} is moved to {when}",
    "cancel": "{who}'s appointment on {when} is cancelled",
}


@dataclass(frozen=True)
class _Plan:
    """One change of several, before it is checked: ``slot`` (UTC) is the new slot of a book or
    move and the booked slot of a cancel; ``booking`` the booking a move or cancel changes."""

    kind: ChangeKind
    subject: str
    slot: datetime
    service: str | None
    booking: BookingView | None = None


@lru_cache(maxsize=1)
def _default_profile() -> BusinessProfile:
    return load_profile()


class RuleBasedAgent:
    """The embedded stack's agent (module docstring). Stateless and deterministic; raises
    nothing of its own (an unknown ``context.timezone`` raises ``ZoneInfoNotFoundError``)."""

    def __init__(self, profile: BusinessProfile | None = None) -> None:
        self._profile = profile
        warm_language_detector()  # at start-up, not in the first turn that needs it

    async def decide(self, context: AgentContext) -> AgentDecision:
        """Choose the reply and intent for one turn; see the module docstring for the rules."""
        profile = context.business or self._profile or _default_profile()
        attached, words = media_notes.split(context.message)
        if attached:
            # "[sent a photo]" is what the message carried, not the customer's words.
            context = context.model_copy(update={"message": words})
        turn = _Turn(_reply_token_read(context), profile)
        decision = turn.with_attachments(attached) if attached else turn.decide()
        if (
            decision.intent in (Intent.PROPOSE_BOOKING, Intent.CLARIFY)
            and turn.pending is None
            and _RECURRING_RE.search(normalise(context.message))
        ):
            # "every 3 weeks for a groom": one booking at a time, said so, not promised
            decision = decision.model_copy(
                update={
                    "reply": "I can book one appointment at a time, so let's start with the "
                    f"first. {decision.reply.removeprefix('Sure. ')}"
                }
            )
        if decision.intent is Intent.PROPOSE_BOOKING and decision.proposal is not None:
            # one booking proposed "for Max and Bella", by whatever rule: one for each pet
            names = re.split(r",\s*|\s+and\s+", decision.proposal.subject)
            if len(names) > 1 and all(is_name(n) for n in names):
                decision = turn.book_each(decision, names)
        if turn.agrees_to_the_same(decision):
            # "same time for biscit yeah": what the message asks is what waits for a yes
            decision = turn.confirm()
        if decision.intent in _APOLOGISED_FOR and _COMPLAINT_RE.search(turn.text):
            # "honestly not happy, nobody rang … can he be seen at 2?": the request is served,
            # and the complaint heard first
            decision = decision.model_copy(
                update={"reply": f"I'm sorry about that. {decision.reply}"}
            )
        if decision.intent in (Intent.PROPOSE_BOOKING, Intent.PROPOSE_CHANGES):
            decision = turn.priced(decision)
            if _VET_ASKED_RE.search(turn.text) and _NO_VET_NAMED not in decision.reply:
                # "can my dog be seen by a female vet please? tuesday 2pm": the time read back,
                # and no promise of who
                decision = decision.model_copy(
                    update={"reply": f"{_NO_VET_NAMED} {decision.reply}"}
                )
        decision = turn.done_by_said(decision)
        if (
            decision.intent in _APOLOGISED_FOR
            and _RECORDS_ASKED_RE.search(normalise(context.message))
            and "records" not in decision.reply
        ):
            # "can max come thursday at 3, and could you send his vaccination records": the
            # visit is served, and the records are not silently dropped
            phone = f", on {profile.phone}" if profile.phone else ""
            decision = decision.model_copy(
                update={
                    "reply": f"{decision.reply} I can't send records or documents from here: "
                    f"the team can{phone}."
                }
            )
        return decision


class _Turn:
    """One decision: the context, read once."""

    def __init__(self, context: AgentContext, profile: BusinessProfile) -> None:
        self.context = context
        self.profile = profile
        self.zone = ZoneInfo(context.timezone)
        self.now = _as_utc(context.now)
        self.local_now = self.now.astimezone(self.zone)
        self.pet_day = weekday_pet(context.message) or month_pet(context.message)
        # booked pets said to stay as they are beside a change for another ("max stays at 2"):
        # their clauses are no request (``prepared``), and they are no pet to change
        booked_pets = list(
            dict.fromkeys(
                b.subject
                for b in context.bookings
                if is_name(b.subject) and b.status == "confirmed"
            )
        )
        _, self.kept = without_pets_kept(context.message, booked_pets)
        if len(self.kept) >= len(booked_pets):
            # "keep Rex on thursday but make it the afternoon": Rex's own booking is the one
            # changed when no other pet's is there to change
            self.kept = []
        self.text = self.prepared(context.message)
        self.holidays = _holidays_ahead(profile, self.local_now.date())
        # the words the day and time are read from: the whole message, or its one sentence
        # that asks (``asked_in_one_sentence``)
        self.when_text = self.text
        closed = self.closed_day_asked()
        self.when = closed or self.read(self.text)
        asked = self.asked_in_one_sentence(self.when) if closed is None else None
        if asked is not None:
            self.when_text, self.when = asked
        corrected = self.corrected_in_message()
        if corrected is not None:
            self.when = corrected
        in_week = self.weekday_in_week_talked_about()
        if in_week is not None:
            self.when = replace(self.when, day=in_week)
        if self.when.day is None and self.when.clock is not None:
            offered_on = self.day_offering(self.when.clock)
            if offered_on is not None:
                self.when = replace(self.when, day=offered_on)
        if self.when.clock is None:
            self.when = replace(
                self.when,
                clock=self.hour_answering_us()
                or self.first_thing()
                or self.same_time_refused()
                or self.time_we_asked_day_of(),
            )
        stepped = self.day_stepped_from_refused()
        if stepped is not None:
            self.when = replace(self.when, day=stepped, shift=None)
        self.pending = _live(context.pending, self.now)
        self.voice = context.channel is Channel.VOICE
        just_done = bool(
            context.history
            and context.history[-1].direction is Direction.OUTBOUND
            and context.history[-1].text.startswith("Done:")
        )
        # "can it be 4 instead of 3?": the hour turned down says the bare one is a time too
        hour_swapped = re.search(
            r"\b(?:instead\s+of|rather\s+than)\s+(?:at\s+)?\d{1,2}\b", self.text
        )
        # "can bella's be 3 instead?": a booked visit given a bare hour
        moving = bool(self.context.bookings) and _asks_move(self.text)
        if (
            (self.pending is not None and self.pending.slot_start)
            or just_done
            or hour_swapped
            or moving
        ):
            # "wednesday is fine after all, but 11": a bare hour correcting the proposal (or the
            # booking just made: "yes" / "wait" / "can it be 4 instead of 3?" sent together); after
            # a "but" it wins over an hour said before ("11 is fine but can it be 12 instead")
            # (never the hour of their plans: "make it 11? I've got the plumber coming at 10")
            said = without_plans(self.when_text)
            bare = list(_CORRECTING_HOUR_RE.finditer(said))
            turned = _BUT_RE.search(said)
            if self.when.clock is not None and turned is not None:
                # the first after the "but": "… but at 9.30 instead, traffic is crazy at 9"
                bare = [b for b in bare if b.start() >= turned.start()][:1]
            elif self.when.clock is not None:
                bare = []
            if bare:
                self.when = replace(self.when, clock=self.read(f"at {bare[-1]['hour']}").clock)
            elif self.when.clock is None:
                # "wait no sorry thats when i pick up the kids, 3?": an hour closing the message
                # in a clause of its own
                last = _LAST_CLAUSE_HOUR_RE.search(self.context.message)
                if last is not None:
                    self.when = replace(self.when, clock=self.read(f"at {last['hour']}").clock)
        if self.when.clash is not None:
            # "13 in the morning": its "13" is no bare hour answering us either; asked instead
            self.when = replace(self.when, clock=None)
        if self.voice and _numbers_looped(self.text):
            # Whisper's repetition loop on a line it could not make out ("10, 15, 15. 15, 15,
            # 15, …" for "Yes."): no day or time is read back from it
            self.when = When()
        self.upcoming = sorted(
            (
                b
                for b in context.bookings
                if b.status == "confirmed" and _as_utc(b.slot_start) > self.now
            ),
            key=lambda b: _as_utc(b.slot_start),
        )
        # The business's own name is never a pet's: "Rue des Lilas Veterinary Clinic" in our
        # greeting, or in a transcript decoded with it as a hint, named no pet "Lilas".
        self.business_words = frozenset(re.findall(r"[a-z]+", profile.name.lower()))
        self.service_words = frozenset(
            word
            for service in profile.services
            for said in (service.key, service.name, *service.aliases)
            for word in re.findall(r"[a-z]+", said.lower())
        )
        # Names on the CRM's bookings; not a draft's, which only holds what we read back of the
        # customer's words ("Bela", then "sorry, it's Bella with two Ls" is Bella, not a typo)
        self.known = list(
            dict.fromkeys(
                b.subject for b in context.bookings if is_name(b.subject) and b.status != "draft"
            )
        )
        self.subjects = self.pets_in(context.message, known=self.known, transcript=self.voice)
        kept = {k.lower() for k in self.kept}
        if any(s.lower() not in kept for s in self.subjects):
            self.subjects = [s for s in self.subjects if s.lower() not in kept]
        # "can milo have the same as bella had last week?": Bella's visit is the model, Milo
        # the pet to book (``last_visit``, ``host_and_newcomers``)
        self.models = pets_copied(context.message, self.known)
        models = {m.lower() for m in self.models}
        if any(s.lower() not in models for s in self.subjects if is_name(s)):
            self.subjects = [s for s in self.subjects if s.lower() not in models]
        else:
            self.models = []
        if self.pending is not None and self.pending.kind == "book":
            # "make that Luna instead, Rocky's fine": the booking read back is for Luna
            self.subjects = without_pets_said_well(self.subjects, context.message)
        if not any(is_name(s) for s in self.subjects):
            both = self.both_pets()
            if both is not None:  # "both of them need boosters": the two pets on record
                self.subjects = both
        # (pet, new day/time) for a request proposed again after one of its changes was refused
        self.replacing: tuple[str, When] | None = None
        # a far day the customer has said yes to ("did you mean Monday 4 January?" / "yes")
        self.day_checked: date | None = None
        # a visit offered to a pet said to be unwell (``unwell_only``): a photo's question
        # still goes to the team
        self.unwell_offered = False
        # several services in one message, each booked as its own appointment (``each_service``)
        self.keep_services = False
        # the booking whose service the message changes, and its new one (``new_service_of``)
        self.changed_service: tuple[str, Service] | None = None
        if self.when.same_time and self.when.clock is None:
            self.when = replace(self.when, clock=self.time_of_last_visit())

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
        # "could a vet see her today as well? keep the groom": the groom kept is no service
        # asked for now
        return _KEPT_SERVICE_RE.sub(" ", self.text)

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
                for found in _WRITTEN_DAY_RE.finditer(history[-1].text)
                if (written := self.read(normalise(found.group(0)))).day is not None
            }
            same = [d for d in offered if d is not None and d.weekday() == day.weekday()]
            if len(same) == 1 and same[0] != day:
                return same[0]
        # the day of our latest offer or question about times (not the booking restated)
        ours = [t.text for t in history[-4:] if t.direction is Direction.OUTBOUND]
        said = next((m for text in reversed(ours) if (m := _OFFERED_DAY_RE.search(text))), None)
        talked = self.read(normalise(said.group(1))).day if said is not None else None
        if talked is None:
            return None
        if re.search(r"\bnext\s+(?:mon|tue|wed|thu|fri|sat|sun)", self.text) and day == talked:
            # "nope, none of those work. what about next saturday?" after this Saturday's times
            return day + timedelta(days=7)
        if not _BARE_WEEKDAY_RE.search(self.text) or _WEEK_OR_DATE_SAID_RE.search(self.text):
            return None
        # only a week the customer asked for ("next week if possible"), not one we offered
        # because theirs was shut ("is sunday possible?" / Monday's times / "saturday then?")
        theirs = [t.text for t in history[-6:] if t.direction is Direction.INBOUND]
        if not any(_WEEK_SAID_RE.search(normalise(text)) for text in theirs):
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
            _BOOKING_WORD_RE.search(self.text)
            or self.profile.find_service(self.text)
            or re.search(r"\b(?:vet|vets|clinic|appointment|appt|booking|surgery)\b", self.text)
            or words & known
        )

    def pets_in(self, message: str, *, known: list[str], transcript: bool) -> list[str]:
        """``subjects_in`` without the words of the business's name."""
        # a word of a service's name is no new pet ("my 2 dogs for nail trims": no Nail)
        found = subjects_in(
            message, known=known, transcript=transcript, not_names=self.service_words
        )
        # every word: two capitalised words side by side are one name ("Lilas Veterinary")
        return [s for s in found if not set(s.lower().split()) & self.business_words]

    # -- the order of reading ---------------------------------------------------------------------

    def back_where(self) -> str:
        """How the team answers after a handoff: "here" on WhatsApp, where their replies go; on a
        call "here" is the call, which ends, so the ways they will: a WhatsApp message (the
        console's replies) or a call back."""
        if self.voice:
            return "on WhatsApp or by phone"
        if re.search(r"\b(?:call|ring|phone)\s+(?:me|us)\b|\bcall\s+back\b", self.text):
            # "can someone from the clinic call me about max's x-ray results?": the call asked
            return "by phone"
        return "here"

    def with_attachments(self, attached: list[Attachment]) -> AgentDecision:
        """A message that carried a photo, a file, a location… besides or instead of words
        (``switchboard.media_notes``). The words are read as ever; a question sent with a photo
        that the rules cannot answer goes to the team, as nobody here judges a photo ("is this
        rash bad?"); a message without words is thanked, and a question still open is asked
        again, never "Sorry, I didn't get that"."""
        if self.text:
            decided = self.decide()
            if (
                "photo" in attached
                and (decided.intent in (Intent.CLARIFY, Intent.OTHER) or self.unwell_offered)
                and _ASKS_RE.search(self.text)
            ):
                return AgentDecision(
                    intent=Intent.HANDOFF,
                    reply=(
                        "Thanks for the photo. I can't judge that from here, so I've passed it to "
                        "the team: someone will look at it and get back to you here."
                        + (
                            f" If it can't wait, call us on {self.profile.phone}."
                            if self.profile.phone
                            else ""
                        )
                    ),
                    note=f"A photo sent with: {self.context.message!r}",
                )
            return decided
        kind = attached[0]
        thanks = _THANKS_FOR[kind]
        if kind == "photo" and attached.count("photo") > 1:
            thanks = _THANKS_FOR_PHOTOS
        pending = self.pending
        if pending is not None and pending.slot_start is not None:
            return _reply(
                Intent.CLARIFY, f"{thanks} {self.restate(pending)} Please answer yes or no."
            )
        question = self.open_question()
        if question is not None:
            return _reply(Intent.CLARIFY, f"{thanks} {question}")
        return _reply(Intent.OTHER, f"{thanks} {_ANYTHING_ELSE}")

    def decide(self) -> AgentDecision:
        text = self.text
        if not text:
            return _reply(Intent.CLARIFY, "Sorry, I didn't catch that. Could you say it again?")
        if _FILE_NAME_ONLY_RE.match(self.context.message.strip()):
            # "IMG_4471.jpg": a file's name pasted or sent instead of the file
            return _reply(
                Intent.CLARIFY,
                "Only the file's name came through, not the file itself; you could try sending "
                "it again. How can I help?",
            )
        language = foreign_language(self.context.message)
        if language is not None and language not in self.profile.languages:
            said = not_served_reply(language)
            if said is not None:
                return _reply(Intent.OTHER, said)
        if _EMERGENCY_RE.search(answers.without_denied_urgency(text)):
            # before yes/no: "yes he's bleeding" is not a yes; "nothing urgent" is no emergency
            return self.emergency()
        agreed = self.answer_and_confirm()  # before the written yes, which would drop the question
        if agreed is not None:
            return agreed
        if _YES_RE.match(text) and self.pending is None:
            checked = self.day_check_answered()
            if checked is not None:
                return checked
        if self.pending is None and not self.voice and _THANKS_ONLY_RE.match(text):
            # "great thanks!" with nothing to confirm is thanks, not a yes to nothing
            return _reply(Intent.OTHER, _YOU_ARE_WELCOME)
        retried = self.refused_slot_for_service()
        if retried is not None:
            return retried
        if (
            self.pending is None
            and _IS_IT_NORMAL_RE.search(text)
            and not self.when.anything
            and not re.search(r"\b(?:book|appointment|appt|slot)\b", text)
        ):
            # "is it normal for a puppy to sleep 18 hours a day??": the vet's to say
            return AgentDecision(
                intent=Intent.HANDOFF,
                reply=(
                    "I can't give medical advice here, so I've passed your question to the "
                    f"team: they'll get back to you {self.back_where()}. If you'd like a vet to "
                    "see your pet, I can book a consultation."
                ),
                note=f"A health question for the vet: {self.context.message!r}",
            )
        still = (
            self.still_come_when_unwell()
            or self.someone_else_brings()
            or self.question_on_booked_visit()
        )
        if still is not None:
            return still
        only_about = self.only_about_a_pet() if self.pending is None else None
        if only_about is not None:
            return only_about
        reminded = self.reminder_asked_again() if self.pending is None else None
        if reminded is not None:
            return reminded
        if self.pending is not None and self.pending.changes:
            # "yes, just sushi": the others dropped first, not all confirmed
            kept = self.narrowed_several(self.pending)
            if kept is not None:
                return kept
        added = self.confirm_and_add() if self.pending is not None else None
        if added is not None:
            return added
        if _YES_RE.match(text) or (self.pending and _YES_RESTATED_RE.match(text)):
            return self.confirm()
        pending = self.pending
        if (
            pending is not None
            and pending.slot_start is not None
            and _VET_CONDITION_RE.search(text)
            and re.match(rf"(?:{_YES})\b", text)
        ):
            # "yes as long as it's with dr martin": a yes on a condition we cannot promise, so
            # nothing is booked until the customer says yes knowing it
            return _reply(
                Intent.CLARIFY,
                f"{_NO_VET_NAMED} {self.restate(pending)} Just reply YES if that's fine.",
            )
        if (
            pending is not None
            and pending.slot_start is not None
            and _WHICH_WAS_THAT_RE.search(text)
            and not self.when.anything
        ):
            # "sorry what day was that?": the proposal said again, not confirmed yet
            return self.lookup()
        if self.pending and self.yes_then_aside():
            return self.confirm()
        if not self.pending and not self.voice and self.yes_then_aside():
            # "yes please! sorry only just seen this" to our offer of last night: proposed again
            lapsed = self.again_from_our_offer()
            if lapsed is not None:
                return lapsed
        look = self.yes_with_a_look()
        if look is not None:
            # "yes please, if the vet can look at his ear too": a consultation is the vet's look
            confirmed = self.confirm()
            return confirmed.model_copy(
                update={
                    "reply": f"{confirmed.reply} The vet can look at {look} during the "
                    "consultation."
                }
            )
        if self.pending and self.voice and _SPOKEN_YES_RE.match(text):
            # "Yes, lean." is a "yes, please" misheard: a leading yes, a word or two, no "not".
            return self.confirm()
        if (
            self.pending
            and not self.voice
            and _WRITTEN_YES_RE.match(text)
            and (not self.when.anything or self.restates_pending())
            and (not self.subjects or self.names_only_the_pending())
        ):
            return self.confirm()
        if self.books_the_proposal():
            return self.confirm()
        if self.names_the_proposals_service():
            # "*check up 🙄 autocorrect" after "…for a cheque up?": what was proposed already
            assert self.pending is not None
            return _reply(Intent.CLARIFY, f"Got it. {self.restate(self.pending)}")
        if (
            not self.voice
            and self.yes_after_excuse_or_typo()
            # "did that go through? … right after I said yes" asks whether it was booked
            and not _NO_CONFIRMATION_RE.search(text)
            and not self.renames_pending()
        ):
            return self.confirm()
        if _NO_RE.match(text) and not self.when.anything:
            return self.decline()
        offered_times = bool(
            self.context.history
            and self.context.history[-1].direction is Direction.OUTBOUND
            and _WHAT_TIME_RE.search(self.context.history[-1].text)
        )
        if (
            self.pending is None
            and not self.voice
            and offered_times
            and re.match(rf"^(?:(?:hmm+|oh|ah|um+|erm|ok|okay|well)\s+)*{_NO}\b", text)
            and _CLOSES_RE.search(text)
            and not _REQUEST_RE.search(text)
            and not _CANCEL_RE.search(text)
        ):
            # "hmm no thanks, leave it for now actually. i'll see how he is tomorrow and message
            # you" to the times we offered: nothing booked, nothing more asked ("tomorrow" is
            # their plan, not a day asked for)
            return _reply(
                Intent.OTHER,
                "No problem, nothing is booked. Just message us here whenever you're ready.",
            )
        if self.pending and _NO_CHANGE_RE.search(text) and not self.when.anything:
            return self.decline()  # "I don't want to cancel" to our "Shall I cancel…?"
        waiting = self.pending
        if (
            waiting is not None
            and waiting.slot_start is not None
            and _LATER_DECISION_RE.search(text)
            and not self.when.anything
            and not self.subjects
            and not _CANCEL_RE.search(text)
            and not _asks_move(text)
            and not re.match(r"(?:no|nah|nope|not)\b", text)
            # "can I just talk to a real person? I need to ask about her dose first"
            and not _HANDOFF_RE.search(text)
        ):
            # "hold on let me check with my husband": the proposal stays open, nothing declined
            return _reply(
                Intent.OTHER,
                f"No problem, take your time. {self.restate(waiting)} Just reply YES when "
                "you're ready.",
            )
        if (
            self.pending is None
            and _LATER_DECISION_RE.search(text)
            and self.when.clock is None
            and "?" not in self.context.message
            and not _CANCEL_RE.search(text)
            and not _asks_move(text)
            and not _HANDOFF_RE.search(text)
        ):
            # "I'll let you know about next week, need to check with my wife first"
            return _reply(
                Intent.OTHER, "No problem, take your time. Just message us when you know."
            )
        if _WHAT_I_SAID_RE.search(text):
            recalled = self.what_they_said()
            if recalled is not None:
                return recalled
        written = self.context.message
        # A keyword in capitals counts unless the whole message shouts ("MAX WONT STOP").
        keyword = written.upper() != written
        if _BARE_STOP_RE.match(text) and self.pending is not None:
            return self.decline()
        if (
            _OPT_OUT_RE.search(text)
            or _BARE_STOP_RE.match(text)
            or (keyword and _STOP_KEYWORD_RE.search(written))
        ):
            return _reply(Intent.OPT_OUT, "OK, no more messages from us here.")
        if _OPT_IN_RE.search(text) or (keyword and _START_KEYWORD_RE.search(written)):
            return _reply(Intent.OPT_IN, "Welcome back: you'll get our messages here again.")
        if _REPEAT_RE.search(text) and not self.when.anything and not self.subjects:
            # "sorry, can you repeat that?": our last words again, the conversation where it was
            ours = [t.text for t in self.context.history if t.direction is Direction.OUTBOUND]
            return _reply(Intent.CLARIFY, ours[-1] if ours else "Sorry, how can I help you today?")
        if _STILL_THERE_RE.search(text) and not self.when.anything and not self.subjects:
            waiting = self.pending
            then = (
                self.restate(waiting)
                if waiting is not None and waiting.slot_start is not None
                else "How can I help you today?"
            )
            return _reply(Intent.GREETING, f"Yes, I'm here. {then}")
        if (
            _PET_DIED_RE.search(text)
            and not _NOT_A_DEATH_RE.search(text)
            # "…died last year, now can Ziggy come friday at 10": a request, answered as one;
            # "Misty died on sunday" is not one
            and not (self.when.anything and _REQUEST_RE.search(_NOT_COMING_RE.sub(" ", text)))
        ):
            return self.pet_died()
        if _LEAVING_RE.search(text) and self.upcoming and not self.when.anything:
            # "we've found another vet closer to home": their bookings, offered to cancel
            decision = self.cancel_every(self.upcoming)
            decision.reply = f"Thanks for letting us know, and all the best. {decision.reply}"
            return decision
        if _NOT_THEIRS_RE.search(text) and not self.when.anything:
            return AgentDecision(
                intent=Intent.HANDOFF,
                reply=(
                    "Sorry about that! I've asked the team to check our records for this "
                    f"number; they'll get back to you {self.back_where()} if they need to."
                ),
                note=f"Says the bookings or messages of this number are not theirs: "
                f"{self.context.message!r}",
            )
        aside = not self.when.anything and not self.subjects and not _BOOKING_WORD_RE.search(text)
        if self.meant_for_someone_else():
            return _reply(
                Intent.OTHER,
                f"Hi, this is {self.profile.name}: I think this message was meant for someone "
                "else. Message us here whenever you need anything for your pet.",
            )
        if aside and _WRONG_CHAT_RE.search(text):
            # Meant for someone else: no menu, no question, and nothing pending is touched.
            return _reply(
                Intent.OTHER, "No problem! Message us here whenever you need anything for your pet."
            )
        if aside and _SENT_TOO_SOON_RE.search(text):
            return _reply(Intent.OTHER, "No problem, take your time.")
        if aside and _ON_THE_WAY_RE.search(text):
            # ("running late, be there in 10" when the visit is on Thursday: that is said)
            return self.late_for_booking() or _reply(
                Intent.OTHER, "Thanks for letting us know, see you soon!"
            )
        late = (
            self.late_for_booking()
            or self.early_for_booking()
            or self.see_you_then()
            or self.along_to_booking()
        )
        if late is not None:
            return late
        missed = self.missed_visit()
        if missed is not None:
            return missed
        if _RECORDS_ASKED_RE.search(normalise(self.context.message)) and not self.when.anything:
            return AgentDecision(
                intent=Intent.HANDOFF,
                reply=(
                    "I can't send records or documents from here, so I've passed your request to "
                    f"the team: they'll get back to you {self.back_where()}."
                ),
                note=f"Records or documents asked for: {self.context.message!r}",
            )
        if answers.asks_end_of_life(text):
            return AgentDecision(
                intent=Intent.HANDOFF,
                reply=(
                    "I'm so sorry. The team will arrange this with you personally: I've passed "
                    f"your message on and they'll get back to you {self.back_where()}. If you'd "
                    f"rather talk now, you can call {self.profile.phone}."
                ),
                note=f"End of life asked about (please call back): {self.context.message!r}",
            )
        not_seen = answers.large_animal_not_seen(text, self.profile)
        if not_seen is not None:
            # "is it ok to bring my horse?": nothing offered for an animal we do not see
            return _reply(Intent.ANSWER, not_seen)
        procedure = None if self.pending else answers.unoffered_procedure(text, self.profile)
        if procedure is not None:
            # "can I book max in to get neutered next week": not one of our services, so no
            # consultation booked in its place (the customer may ask for one)
            return _reply(
                Intent.ANSWER,
                f"{answers.unlisted_reply(procedure, self.profile)} If you'd like a consultation "
                "with the vet about it, tell me a day and time.",
            )
        if _ERASURE_ASKED_RE.search(text):
            # "delete my data please": the team erases (switchboard/db/erasure.py, from the
            # console), after checking it is the customer asking; nothing cancelled here
            return AgentDecision(
                intent=Intent.HANDOFF,
                reply=(
                    "I've passed your request to delete your data to the team: they'll check "
                    f"it's you and get back to you {self.back_where()} once it's done."
                ),
                note=f"The customer asks for their data to be erased: {self.context.message!r}",
            )
        if _DETAILS_CHANGE_RE.search(text) and not self.when.anything:
            handed = self.slot_handed_over()
            if handed is not None:
                return handed  # "it's bella who needs the checkup not max, change the name?"
            return AgentDecision(
                intent=Intent.HANDOFF,
                reply=(
                    "I can't change your details from here, so I've passed this to the team: "
                    f"they'll update them and get back to you {self.back_where()} if they need "
                    "anything."
                ),
                note=f"The customer's details to update: {self.context.message!r}",
            )
        if _BILL_QUERY_RE.search(text) or (
            _OWED_RE.search(text) and not _CANCEL_RE.search(text) and not _asks_move(text)
        ):
            # a complaint about a bill is apologised for; "do we still owe you anything?" not
            sorry = "Sorry about that. " if _BILL_QUERY_RE.search(text) else ""
            return AgentDecision(
                intent=Intent.HANDOFF,
                reply=(
                    f"{sorry}I can't see or change bills, so I've passed this to the team; "
                    f"they'll get back to you {self.back_where()} as soon as they can."
                ),
                note=f"A question about a bill: {self.context.message!r}",
            )
        if answers.asks_who(text) and not _HANDOFF_RE.search(answers.without_who(text)):
            # "is this a bot?", "am I talking to a real person?": a question, answered, with
            # the way to a person (which "a real person" alone would have taken)
            said = answers.answer(text, self.profile)
            if said is not None:
                return _reply(Intent.ANSWER, said)
        if _HANDOFF_RE.search(text) and not self.grievance_with_request():
            # "please call me", "can the vet ring me back": a call back, said as such
            call = re.search(
                r"\b(?:call|phone|ring)\s+me\b|\b(?:on|over|by)\s+the\s+phone\b"
                r"|\b(?:me|us)\s+a\s+(?:quick\s+)?(?:ring|call|bell|buzz)\b",
                text,
            )
            back = "call you back" if call else f"get back to you {self.back_where()}"
            return AgentDecision(
                intent=Intent.HANDOFF,
                reply=(
                    "Of course. I've asked a member of the team to take over; they'll "
                    f"{back} as soon as they can."
                ),
                note=(
                    f"The customer asked for {'a call back' if call else 'a person'}: "
                    f"{self.context.message!r}"
                ),
            )
        relabel = self.booking_for_another_pet()
        if relabel is not None:
            return relabel
        if self.pending and _CALL_OFF_RE.search(text) and not self.when.anything:
            # "actually never mind, I'll sort it out later" (after the handoff: "forget it,
            # put me through to a person" wants the person)
            return self.decline()
        pending = self.pending
        picked = self.offered_pick() or self.part_answering_us() or self.offered_other_side()
        if picked is not None:
            return picked
        resumed = (
            self.which_one_answered()
            or self.moves_each_answered()
            or self.booked_after_answer()
            or self.retry_several()
            or self.retry_move()
            or self.which_pet_answered()
        )
        if resumed is not None:
            return resumed
        kept = self.kept_after_refusal() if pending is None else None
        if kept is not None:
            return kept
        if (
            pending is not None
            and pending.kind in ("reschedule", "cancel")
            and _KEEP_RE.search(text)
        ):
            # "no leave it on thursday": the day said is where it stays, not a new one
            return self.decline()
        other_pet = self.other_pet_meant(pending) if pending is not None else None
        if other_pet is not None:
            return other_pet
        if pending is not None and pending.changes:
            if self.when.anything:
                return self.correct_several(pending)
            if _TURNED_DOWN_RE.search(text):
                return self.ask_instead(pending)
        elif pending is not None and pending.slot_start is not None and pending.kind != "cancel":
            renamed = self.name_for_pending(pending)
            if renamed is not None:
                return renamed
            joined = self.joins_pending(pending)
            if joined is not None:
                return joined
            too = _TOO_EARLY_OR_LATE_RE.search(text)
            if (
                too is not None
                and "?" not in self.context.message
                and self.when.day is None
                and self.when.clock in (None, self.local(pending.slot_start).time())
            ):
                # "10 is too early for me": the free times on the other side of it
                return self.other_side(pending, later=too["side"] != "late")
            if (
                _OTHER_SIDE_RE.search(text)
                and self.when.day is None
                and _names_part_only(self.when)
            ):
                # "anything earlier? like before lunch": that side, in that part of the day
                return self.other_side(pending)
            if self.says_yes_to(pending):
                return self.confirm()  # "12 is perfect, yes please" to our 12:00
            if self.rules_out_pending_day(pending):
                # "yes wait no, not saturday, he's at my mum's that weekend": no other day
                # named, so nothing booked and the day asked for (also "not saturday, can we
                # do 11?": not Saturday at 11)
                return self.ask_instead(pending)
            if self.when.anything and self.no_with_a_reason():
                # "actually no thanks, leave it for now, he seems loads better this morning"
                return self.ask_instead(pending)
            if self.when.anything:
                return self.correct(pending)
            if self.subjects and pending.kind == "book":
                # "actually it's for my cat, not the dog": the same slot, for someone else, and
                # the same service unless another is named ("sorry not Max, I meant Milo" keeps
                # the vaccination asked for)
                service_said = self.profile.find_service(text)
                return self.book_each(
                    self.book(
                        self.pending_when(pending),
                        subject=join(self.subjects),
                        service_key=(
                            service_said.key if service_said is not None else pending.service
                        ),
                    ),
                    [s for s in self.subjects if is_name(s)],
                )
            other = self.other_service(pending)
            if other is not None:
                # "actually can you make it a teeth clean instead": the same slot, that service
                self.text = _NOT_SERVICE_RE.sub(" ", self.text)
                return self.book(
                    self.pending_when(pending), subject=pending.subject, service_key=other
                )
            if _OTHER_SIDE_RE.search(text):
                return self.other_side(pending)
            if _TURNED_DOWN_RE.search(text):
                return self.ask_instead(pending)
        elif pending is not None and pending.kind == "cancel" and not pending.changes:
            instead = self.move_instead_of_cancel(pending)
            if instead is not None:
                return instead
        moved = self.move_time_answering_us()
        if moved is not None:
            return moved
        joining = (
            self.next_to_booking()
            or self.service_added()
            or self.looked_up_and_booked()
            or self.joining()
            or self.step_from_booking()
        )
        if joining is not None:
            return joining
        if self.upcoming and pending is None and _DAY_SIDE_RE.search(text):
            # "can I get max in sooner than thursday": another day than the booking's
            booked = {b.subject.lower() for b in self.upcoming}
            named = [s for s in self.subjects if is_name(s) and s.lower() in booked]
            targets = self.targets(named) if named else self.upcoming
            other_day = self.day_beside(targets[0]) if len(targets) == 1 else None
            if other_day is not None:
                return other_day
        if (
            self.upcoming
            and pending is None
            and not self.when.anything
            and _SIDE_RE.search(text)
            and not _WEEK_SAID_RE.search(text)  # "push max back to next week": not 15 minutes
        ):
            sided = self.booking_to_side()
            if sided is not None:
                return sided
        new_time = (
            self.when.day is not None or self.when.clock is not None or self.when.shift is not None
        )
        if answers.asks_cost_of_cancelling(text):
            # "if I have to cancel Max do I get charged?": the policy, nothing cancelled
            said = answers.answer(text, self.profile)
            if said is not None and _BOOKING_SUPPOSED_RE.search(text) and self.pending is None:
                # "if i book basil in … monday the 14th at 5pm and then can't make it, do you
                # charge for cancelling?": the policy, and that visit read back for a yes
                visit = self.book(self.when) if self.when.day and self.when.clock else None
                if visit is not None and visit.proposal is not None:
                    return visit.model_copy(update={"reply": f"{said} {visit.reply}"})
            if said is not None:
                return _reply(Intent.ANSWER, said)
        visited = self.last_visit_asked()
        if visited is not None:
            return visited
        about_booked = self.question_about_booking()
        if about_booked is not None:
            return about_booked
        asks = "?" in self.context.message or _ASKS_RE.search(text)
        if self.pending is None and asks and _PREPARING_RE.search(text):
            # "does he need to fast the night before?": the vet's to say, and before the visit;
            # "remind me what time max is in on thursday and if I need to fast him": the
            # booking said too
            said = ""
            if self.when.day is not None and self.when.clock is not None and self.wants_slot():
                # "can you do thursday 10.45 for a dental for oscar? also, does he need to fast
                # beforehand?": the visit read back for a yes; the vet's question is said to be
                # theirs, with where to ask it (no handoff is opened before a yes)
                visit = self.book(self.when)
                if visit.proposal is not None or visit.proposals:
                    phone = self.profile.phone
                    where = f": call us on {phone} and the team will ask them" if phone else ""
                    return visit.model_copy(
                        update={
                            "reply": "Whether that's needed before the visit is one for the vet, "
                            f"so I can't answer it here{where}. {visit.reply}"
                        }
                    )
            if _LOOKUP_RE.search(text) and self.upcoming:
                looked_up = self.lookup()
                if looked_up.intent is Intent.ASK_BOOKING and looked_up.proposal is None:
                    said = f"{looked_up.reply} "
            lead = f"{said}The rest is" if said else "That's"
            return AgentDecision(
                intent=Intent.HANDOFF,
                reply=(
                    f"{lead} one for the vet, so I can't answer it here: I've passed your "
                    f"question to the team and they'll get back to you {self.back_where()} "
                    "before the appointment."
                ),
                note=f"A question for the vet before a visit: {self.context.message!r}",
            )
        someone_else = self.someone_elses_booking()
        if someone_else is not None:
            return someone_else
        joined = self.booked_pet_joins()
        if joined is not None:
            return joined
        handed = self.slot_handed_over() if self.pending is None else None
        if handed is not None:
            return handed  # "give max's slot to bella", "can bella come in max's place?"
        asked = _NO_CHANGE_RE.sub(" ", text)  # "I don't need to change anything": no change
        if re.search(r"\bbook\b", asked) and (
            self.when.clock is not None or re.search(r"\b(?:on|for)\s+the\s+same\s+day\b", asked)
        ):
            # "book Max and Luna same time friday 3pm", "book max and bella in for their jabs on
            # the same day next week": at the same time (day) as each other, a new booking for
            # each, not their bookings moved
            asked = re.sub(r"\bsame\s+(?:time|day)\b", " ", asked)
        changed = self.service_change()
        if changed is not None:
            return self.asked_too(changed)
        checked = self.move_taken_back() or self.service_checked()
        if checked is not None:
            return checked
        if (
            self.upcoming
            and not _ANOTHER_VISIT_RE.search(asked)
            and (
                _asks_move(asked)
                or (
                    new_time
                    and not self.pending
                    and self.reminded_booking() is not None
                    and not _CANCEL_RE.search(asked)  # "won't be able to make it tomorrow"
                    and not self.names_booked_time()
                )
                or self.moves_within_its_day()
                or (
                    new_time
                    and _CHANGE_RE.search(_PAST_EARLIER_RE.sub(" ", asked))
                    and not self.pending
                    and not (_CANCEL_RE.search(asked) and self.names_booked_time())
                    and not self.only_unbooked_pets()
                )
            )
        ):
            return self.asked_too(self.reschedule())
        if (
            not self.upcoming
            and self.pending is None
            and _asks_move(asked)
            and re.search(
                r"\b(?:my|our|the|his|her|their|\w+'s)\s+(?:appointment|appt|booking)\b", asked
            )
        ):
            # "can I move my appointment?" with none on record: said so, and a new one offered
            found = self.book(self.when)
            return found.model_copy(
                update={
                    "reply": "I can't find an upcoming appointment for this number, so this "
                    f"would be a new booking. {found.reply.removeprefix('Sure. ')}"
                }
            )
        if (_CANCEL_RE.search(asked) or self.rules_out_booked_day()) and (
            self.upcoming or not self.pending
        ):
            return self.asked_too(self.cancel())
        followed = self.follow_up_answer()
        if followed is not None:
            return followed
        if self.asks_about_bookings():
            looked_up = self.lookup()
            said = answers.answer(text, self.profile) if answers.is_question(text) else None
            if said is not None:
                looked_up.reply = f"{said} {looked_up.reply}"
            return looked_up
        too_late = self.after_closing() if pending is None else None
        if too_late is not None:
            return too_late
        if self.wants_slot():
            separate = (
                self.each_at_own_time()
                or self.each_own_service()
                or self.each_service()
                or self.each_week()
            )
            if separate is not None:
                return self.answering_too(separate)
            pets = self.requested_pets()
            animals = [a for a in self.subjects if a.startswith("your ")]
            if not pets and len(animals) > 1:
                pets = animals  # "my cat and my dog": a booking each
            narrowed = join(pets) if pets != self.named_pets() else None
            decision = self.answering_too(
                self.book_each(self.book(self.when, subject=narrowed), pets)
            )
            if _STAFF_WORKING_RE.search(text) or _VET_ASKED_RE.search(text):
                decision = decision.model_copy(
                    update={"reply": f"{_NO_VET_NAMED} {decision.reply}"}
                )
            return decision
        if _NEXT_FREE_RE.search(text) and self.when.day is None:
            # "what's the earliest you can see Pumpkin next week?": in that week if one is said
            usual = self.service(None)
            first = self.first_free_day_in_week_said(usual) or self.first_free_day()
            if first is not None:
                wanted = replace(self.when, day=first)
                if wanted.clock is None and wanted.part is None:
                    # the earliest asked: that day's first free time, put to the customer
                    free = free_slots_on(
                        self.profile, self.context.busy, first, usual, now=self.now
                    )
                    wanted = replace(wanted, clock=self.local(free[0]).time())
                return self.book(wanted)
        too_early = self.before_opening()
        if too_early is not None and pending is None:
            return too_early
        if self.free_times_asked() and pending is None:
            # "what have you got?" answering which day: the first day with room, its times
            # ("what do you have for fleas?" is a question for the team, not a pet's visit)
            first = (
                self.first_free_day_in_week_said(self.service(None)) or self.first_free_day()
                if self.free_times_for_whom_known()
                else None
            )
            if first is not None:
                # (with the answer to a question asked beside it: "… register him …")
                return self.answering_too(self.book(replace(self.when, day=first)))
        amount = answers.price_check(self.context.message)
        if amount is not None:
            # "is that 45 euros?" about the service waiting for a yes, else the one named
            price_said = answers.price_checked(
                amount, self.service(pending.service if pending is not None else None)
            )
            if pending is not None and pending.slot_start is not None:
                price_said = f"{price_said} {self.restate(pending)}"
            return _reply(Intent.ANSWER, price_said)
        if answers.asks_open_now(text) and not self.when.anything:
            return _reply(Intent.ANSWER, answers.open_now(self.profile, self.local_now))
        if (
            pending is not None
            and len(pending.changes) > 1
            and answers.asks_price(text)
            and not self.when.anything
        ):
            # "how much will that be in total?" with several bookings waiting for a yes
            return _reply(Intent.ANSWER, f"{self.total_of(pending)} {self.restate(pending)}")
        done = self.bookings_just_done() if pending is None else []
        if len(done) > 1 and answers.asks_price(text) and not self.when.anything:
            # "thanks, whats the total?" just after "Done: … a grooming … and a consultation"
            return _reply(Intent.ANSWER, self.total_of_bookings(done))
        if answers.is_question(text):
            # "how much is it?" while a dental cleaning waits for a yes, or while we ask when
            # for a booster ("how much is it and how long does it take?"): that one's
            about = pending.service if pending is not None and pending.service else None
            if (
                about is None
                and pending is not None
                and pending.kind == "book"
                and not pending.changes
                and self.profile.find_service(text) is None
            ):
                # "what's the price?" while a visit named by no service waits: the default one's
                about = self.profile.service().key
            asked_for = (
                (self.service_we_answered() or self.service_just_booked())
                if about is None
                else None
            )
            # ("what do I owe you" after a booking: that one's price)
            # ("how long will he be there?" about the dental waiting: the dental's length)
            it = re.search(
                r"\b(?:it|that|this|they|them|owe|pay|he|she|him|her)\b|\bthe\s+(?:price|cost)\b",
                text,
            ) or (
                # "thanks, how much?" just after "Done: …": that booking's
                about is None
                and self.booking_just_done() is not None
                and self.profile.find_service(text) is None
            )
            service = self.service(about) if about else asked_for
            said = answers.answer(
                text,
                self.profile,
                day=self.when.day,
                weekday=_weekday_asked(self.when),
                part=self.when.part,
                service=service if service is not None and it else None,
            )
            days = self.days_asked_open() if said is not None else []
            if len(days) > 1:
                # "are you open on the 24th and 31st?": each day answered, not the first alone
                each = [answers.answer("are you open", self.profile, day=d) for d in days]
                said = " ".join(a for a in each if a) or said
            if said is not None:
                said = self.priced_for_several(said)
            if said is not None and pending is not None and pending.slot_start is not None:
                # "that's fine but what's the price?": answered, and the proposal still waits
                # for its yes, so it is put again (as a price checked is)
                said = f"{said} {self.restate(pending)}"
            if said is not None and pending is None and self.visit_asked_beside():
                # "do you take rabbits? I'd like to book a check up for thumper next week": the
                # question answered, and the visit asked for after it
                visit = self.book(self.when)
                if said not in visit.reply:
                    visit.reply = f"{said} {visit.reply}"
                return visit
            if said is not None:
                return _reply(Intent.ANSWER, said)
        if self.pending is None and self.news_only():
            return _reply(Intent.OTHER, "Thanks for letting us know!")
        if pending is None and _STAFF_WORKING_RE.search(text) and self.when.day is not None:
            # "is the vet in on saturdays?": the hours that day; which vet, the team's to say
            hours = answers.answer(
                f"are you open on {self.when.day:%A}",
                self.profile,
                day=self.when.day,
                weekday=_weekday_asked(self.when),
            )
            if hours is not None:
                return _reply(Intent.ANSWER, f"{hours} {_NO_VET_NAMED}")
        if (
            _ABOUT_THE_CLINIC_RE.match(text)
            and not _ASKS_FOR_VISIT_RE.search(text)
            and self.profile.find_service(text) is None
        ):
            # "are dogs and cats seen in separate waiting rooms?": a question about the clinic
            # the profile does not answer, not a request for a visit; the team answers it
            return AgentDecision(
                intent=Intent.HANDOFF,
                reply=(
                    "I can't answer that one from here, so I've passed your question to the "
                    f"team: they'll get back to you {self.back_where()}."
                ),
                note=f"A question the agent could not answer: {self.context.message!r}",
            )
        if (
            self.profile.find_service(text) is not None or _BOOKING_WORD_RE.search(text)
        ) and not self.what_if():
            return self.book(self.when)
        if _GREETING_RE.match(text):
            return _reply(Intent.GREETING, "Hi! How can I help you today?")
        if not self.voice and _THANKS_ONLY_RE.match(text):
            if pending is not None and pending.slot_start is not None:
                # "thank you" (🙏) to a proposal: no yes, and the customer may think it done,
                # so the question is put again rather than left unanswered
                return _reply(Intent.CLARIFY, f"You're welcome! {self.restate(pending)}")
            return _reply(Intent.OTHER, _YOU_ARE_WELCOME)
        if (
            not self.voice
            and pending is None
            and _THANKS_RE.search(text)
            and "?" not in self.context.message
            and not _REQUEST_RE.search(text)
            and not answers.is_question(text)
            and not _GOODBYE_RE.search(text)
        ):
            # "so sorry we were late today, thanks for fitting us in": thanks, asking nothing
            return _reply(Intent.OTHER, _YOU_ARE_WELCOME)
        if (
            pending is not None
            and pending.slot_start is not None
            and re.search(r"\b(?:no|nah|nope)\b", text)
            and (_CLOSES_RE.search(text) or _KEEP_RE.search(text))
            and not self.when.anything
        ):
            # "hmm actually no thanks, that's all for now. I'll leave it": nothing booked, and
            # nothing more asked
            return self.ask_instead(pending)
        if _GOODBYE_RE.search(text):
            if pending is not None and pending.slot_start is not None:
                # a goodbye to a proposal ("See you guys." for a misheard "Yes please") leaves
                # it unbooked: the question is put once more before the customer goes
                again = self.restate(pending)
                return _reply(Intent.CLARIFY, f"Before you go, {again[:1].lower()}{again[1:]}")
            return _reply(Intent.GOODBYE, "You're welcome. Goodbye!")
        if (
            pending is not None
            and pending.slot_start is not None
            and _AM_OR_PM_RE.search(text)
            and not self.when.clock
        ):
            # "is that am or pm?": the proposal's time said in both ways
            local = self.local(pending.slot_start)
            twelve = local.strftime("%-I:%M %p").replace(":00", "").lower()
            return _reply(
                Intent.ANSWER,
                f"{local.strftime('%H:%M')} is {twelve}, in the {_part_of(local.hour)}. "
                f"{self.restate(pending)}",
            )
        if (
            pending is not None
            and pending.slot_start is not None
            and (_VET_ASKED_RE.search(text) or _STAFF_WORKING_RE.search(text))
        ):
            # "is that with a vet or a nurse?" about the proposal: answered, the question kept
            return _reply(Intent.ANSWER, f"{_NO_VET_NAMED} {self.restate(pending)}")
        if pending is not None and pending.slot_start is not None:
            # Keep the question open rather than change the subject (a misheard "yes").
            return _reply(
                Intent.CLARIFY,
                f"Sorry, I didn't catch that. {self.restate(pending)} Please answer yes or no.",
            )
        question = self.open_question()
        named = [s for s in self.subjects if is_name(s)]
        asked_when = _ASKED_FOR_WHOM_RE.match(question or "")
        whom = named or (self.subjects if _FOR_WHOM_ONLY_RE.match(text) else [])
        if asked_when is not None and whom and not self.when.anything:
            # "his name is rocco" answering "Which day and time would you like for your dog?",
            # "for my rabbit" answering "What time on Tuesday … would you like? I have …"
            rest = asked_when["rest"] or ""
            return _reply(Intent.CLARIFY, f"Thanks. {asked_when['ask']} for {join(whom)}?{rest}")
        if question is not None:
            # Keep the conversation where it was: the question again, not the menu.
            return _reply(Intent.CLARIFY, f"Sorry, I didn't catch that. {question}")
        if _HELP_RE.match(text):
            # "can you help?", "I have a question": understood, so no "didn't get that"
            return _reply(Intent.OTHER, f"Of course! {_WHAT_I_DO}")
        named = [s for s in self.subjects if is_name(s)]
        if len(named) == 1 and len(text.split()) <= 2 and not self.when.anything:
            # "Max" on its own: about that pet, what is not said yet
            return _reply(Intent.OTHER, f"What would you like to do for {named[0]}? {_I_CAN}")
        unwell = self.unwell_only()
        if unwell is not None:
            return unwell
        if self.voice:
            return self.unclear_on_a_call()
        if (
            _OPEN_QUESTION_RE.search(self.context.message)
            and len(text.split()) >= 4
            # "sometime next week for Bella?": a vague request for a booking, asked about
            and not _TIMEFRAME_RE.search(text)
        ):
            # A written question the profile does not answer ("can I drop Luna off in the
            # morning and pick her up after work?"): never invented, never the menu; the team
            # answers it (a handoff record with the question, issue 9).
            return AgentDecision(
                intent=Intent.HANDOFF,
                reply=(
                    "I can't answer that one from here, so I've passed your question to the "
                    f"team: they'll get back to you {self.back_where()}."
                ),
                note=f"A question the agent could not answer: {self.context.message!r}",
            )
        return _reply(Intent.OTHER, UNCLEAR)

    def booking_for_another_pet(self) -> AgentDecision | None:
        """ "The booking on wednesday should be for Coco not Bella": a handoff asking the team
        to put the other pet's name on that booking (no action relabels one; nothing is moved
        or cancelled). None unless the pet ruled out has an upcoming booking (on the day said,
        when one is) and nothing is pending."""
        found = _FOR_ANOTHER_PET_RE.search(self.text)
        if found is None or self.pending is not None:
            return None
        booked = [b for b in self.upcoming if b.subject.lower() == found["old"]]
        if self.when.day is not None:
            booked = [b for b in booked if self.local(b.slot_start).date() == self.when.day]
        if len(booked) != 1:
            return None
        target = booked[0]
        written = re.search(rf"\b{re.escape(found['new'])}\b", self.context.message, re.IGNORECASE)
        name = written.group(0) if written is not None else found["new"]
        name = name if name[:1].isupper() else name.capitalize()
        when = self.say(target.slot_start)
        return AgentDecision(
            intent=Intent.HANDOFF,
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

    def grievance_with_request(self) -> bool:
        """A message whose only call for the team is its mood ("your website is useless … I need
        Rocky seen friday at 11") and which asks for a day and a time: the request is served, as
        a receptionist would; a person asked for, or a grievance alone, still goes to the team."""
        if self.when.day is None or self.when.clock is None:
            return False
        return not _HANDOFF_RE.search(_GRIEVANCE_RE.sub(" ", self.text))

    def someone_elses_booking(self) -> AgentDecision | None:
        """A change asked for another person's pet ("my neighbour wants to cancel her dog's
        appointment, can I do it for her?"), none of the customer's booked pets named: nothing
        of theirs is proposed; the other person is told how to reach us. None otherwise."""
        text = self.text
        if not (_asks_move(text) or _CANCEL_RE.search(text)):
            return None
        if not _SOMEONE_ELSES_RE.search(text):
            return None
        booked = {b.subject.lower() for b in self.upcoming}
        if any(s.lower() in booked for s in self.subjects):
            return None
        phone = self.profile.phone
        reach = f"ring the clinic on {phone}" if phone else "speak to the team at the clinic"
        return _reply(
            Intent.ANSWER,
            "I can only change appointments booked from this number, so I haven't touched any of "
            "yours. They can message or call us from the number the appointment was booked "
            f"with, or {reach}.",
        )

    def pets_kept(self) -> set[str]:
        """The booked pets (lower case) a change for "all" leaves out ("cancel everything except
        Max's", "all of them apart from Luna"); empty when the message says "all" of none."""
        if not _EVERY_RE.search(self.text):
            return set()
        booked = {b.subject.lower() for b in self.upcoming}
        said = {m["who"].removesuffix("'s") for m in _EXCEPT_RE.finditer(self.text)}
        return said & booked

    def other_service(self, pending: PendingAction) -> str | None:
        """The key of another service a message names for the booking waiting for a yes, no day,
        time or pet said ("sorry I meant her nails not a checkup"); a service said not to be
        wanted does not count. None otherwise."""
        if pending.kind != "book" or self.when.anything or self.subjects:
            return None
        named = self.profile.find_service(_NOT_SERVICE_RE.sub(" ", self.text))
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
            _part_of(local.hour),
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
            and _as_utc(proposal.slot_start) == _as_utc(pending.slot_start)
            and proposal.subject.lower() == (pending.subject or "").lower()
            and (proposal.booking_id or None) == (pending.booking_id or None)
            and "?" not in self.context.message
            and (
                _AGREES_RE.search(self.text) is not None
                # "just cancel it" to our "Would you like me to cancel …?"
                or (pending.kind == "cancel" and _CANCEL_RE.search(self.text) is not None)
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
        can book Thursday 10 December at 15:00." / "max"): the same slot read back for that
        pet. None when the proposal names a pet, or the message is more than a name."""
        if pending.kind != "book" or pending.changes or is_name(pending.subject or ""):
            return None
        if (pending.subject or "you") != "you" or self.when.anything:
            return None
        named = [s for s in self.subjects if is_name(s)]
        answer = named[0] if len(named) == 1 else name_answer(self.text)
        if answer is None or len(self.text.split()) > 4:
            return None
        return self.book(
            self.pending_when(pending), subject=answer, service_key=pending.service, exact=True
        )

    def names_only_the_pending(self) -> bool:
        """Whether every pet the message names is one of the changes waiting for a yes ("yes,
        both of them" to the cancelling of Pudding's and Treacle's)."""
        pending = self.pending
        if pending is None or not pending.changes:
            return False
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
            said = self.read(text[: excuse.end()]).anything
            if not said and (_YES_RE.match(rest) or _WRITTEN_YES_RE.match(rest)):
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
        sentences = [normalise(s) for s in _SENTENCE_RE.split(self.context.message)]
        sentences = [s for s in sentences if s]
        if len(sentences) < 2 or self.when.anything:
            return False
        last = sentences[-1]
        if not (_YES_RE.match(last) or _WRITTEN_YES_RE.match(last)):
            return False
        before = " ".join(sentences[:-1])
        return not (
            _NO_RE.match(before)
            or _TURNED_DOWN_RE.search(before)
            or _CANCEL_RE.search(before)
            or _asks_move(before)
            or _BUT_RE.search(before)
        )

    def again_from_our_offer(self) -> AgentDecision | None:
        """A yes with nothing pending right after our own message proposing a day and time
        ("Thursday 10 December at 17:00 for Oscar. Shall I book it?"; the offer has lapsed, or
        was made elsewhere): that slot proposed afresh, for a yes, rather than asking what they
        want. None when our last message proposed no one slot."""
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        ours = history[-1].text
        # a question, "Reply YES", or a reminder's "Reply to confirm"
        confirm = re.search(r"\bconfirm\b", ours, re.IGNORECASE)
        if "?" not in ours and "YES" not in ours and not confirm and not defined_tokens(ours):
            return None
        offered = [m for m in _OFFERED_RE.finditer(ours) if m["day"]]
        if len(offered) != 1:
            return None
        when = self.read(normalise(offered[0].group(0)))
        if when.day is None or when.clock is None:
            return None
        for booked in self.upcoming:
            slot = self.local(booked.slot_start)
            if (slot.date(), slot.time()) == (when.day, when.clock):
                # Our message named a slot already booked (a reminder: "Reply YES to confirm"):
                # the yes keeps that booking; proposing it afresh would book it twice.
                return _reply(
                    Intent.ASK_BOOKING,
                    f"Thanks, that's confirmed: see you on {self.say(booked.slot_start)}"
                    f"{_for(booked.subject)}.",
                )
        pets = [p for p in self.pets_in(ours, known=self.known, transcript=False) if is_name(p)]
        offered_service = re.search(r"\(([a-z ]+)\)", ours)  # "for Nala (grooming)"
        service = self.profile.find_service(offered_service[1]) if offered_service else None
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
            if _YES_RE.match(said) or _NO_RE.match(said) or _THANKS_ONLY_RE.match(said):
                continue
            if len(said.split()) < 4 or _WHAT_I_SAID_RE.search(said):
                continue
            return _reply(Intent.ANSWER, f'You told us: "{turn.text.strip()}"')
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
            return _reply(Intent.OTHER, UNCLEAR)
        if _SPOKEN_YES_RE.match(self.text):
            return _reply(Intent.CLARIFY, NOTHING_TO_CONFIRM)
        if _TURNED_DOWN_RE.search(self.text):
            return _reply(
                Intent.CLARIFY,
                f"{_NOT_CAUGHT} Which day and time would you like instead?",
            )
        if ours[-1] != f"{_NOT_CAUGHT} {_SAY_AGAIN}":
            return _reply(Intent.OTHER, UNCLEAR)  # that question twice already: the menu
        before = [line for line in ours[:-1] if line != ours[-1]]
        said = before[-1] if before else ""
        end = said.rfind("?")
        if end < 0 or said.startswith("Sorry, I didn't"):
            return _reply(Intent.CLARIFY, f"{_NOT_CAUGHT} What would you like to book or change?")
        start = max(said.rfind(". ", 0, end), said.rfind("! ", 0, end))
        return _reply(Intent.CLARIFY, f"{_NOT_CAUGHT} {said[start + 2 :] if start >= 0 else said}")

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
        if decision.reply.startswith("Sorry") and answers.about_hours(text):
            return decision
        asked = self.when.open_asked
        said = (
            answers.open_now(self.profile, self.local_now)
            if answers.asks_open_now(text)
            else answers.answer(
                text,
                self.profile,
                day=asked or self.when.day,
                weekday=None if asked else _weekday_asked(self.when),
            )
        )
        if said is None or said in decision.reply:
            return decision
        return decision.model_copy(update={"reply": f"{said} {decision.reply}"})

    def price_said_back(self, decision: AgentDecision) -> str | None:
        """The answer to a price said back to be checked in a sentence of its own beside the
        request ("is it still €55 for a booster? … if so can Pepper have hers friday at 9"):
        yes or no and the profile's price of the service proposed (or named there); None
        when no sentence checks a price."""
        for part in _YES_AND_QUESTION_SPLIT_RE.split(self.context.message):
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
        message = self.context.message
        if self.kept:  # "leave max where he is" asks nothing
            message, _ = without_pets_kept(message, self.kept, whole=False, known=True)
        parts = [normalise(p) for p in _YES_AND_QUESTION_SPLIT_RE.split(message)]
        asked = [
            p
            for p in parts
            if p
            # "will I be charged?" beside the change asks what the change costs
            and (answers.is_question(p) or _COST_ASKED_RE.search(p))
            and not _CANCEL_RE.search(p)
            and not _MOVE_RE.search(p)
            and not self.read(p).clock
        ]
        if len(parts) < 2 or not asked:
            return decision
        question = " ".join(asked)
        if _OWED_RE.search(question):
            # "cancel tomorrow's … also how much do i owe for last time": not the price list
            bills = "I can't see bills from here: the team can tell you what is owed at the clinic."
            return decision.model_copy(update={"reply": f"{bills} {decision.reply}"})
        about = self.read(question)
        if self.profile.find_service(question) is None:
            # "Cancel Max, is there a fee?": a fee asked beside the change is the change's (the
            # cancellation policy), not the price list
            change = "cancel" if decision.intent is Intent.PROPOSE_CANCEL else "move"
            question = f"{change} {question}"
        said = answers.answer(
            question,
            self.profile,
            day=about.day,
            weekday=_weekday_asked(about),
            part=about.part,
        )
        if said is None or said in decision.reply:
            return decision
        return decision.model_copy(update={"reply": f"{said} {decision.reply}"})

    def each_at_own_time(self) -> AgentDecision | None:
        """Several pets, each with a time of its own ("could Rex come wed 10am and Bella wed
        10:30?"): a booking for each, proposed together (``several``), never one time for all
        of them. None when the message gives one time (or pets without times of their own)."""
        names = [s for s in self.subjects if is_name(s)]
        if len(names) < 2:
            return None
        pairs: dict[str, When] = {}
        # the service each pet's clause names ("Max for a checkup ... and Luna for her jab")
        services: dict[str, str] = {}
        listed: list[str] = []  # pets named alone, then "and" the clause with their time
        pieces = re.split(f"({_PET_CLAUSE_RE.pattern})", self.context.message, flags=re.I)
        hour: int | None = None  # the hour of the time said last
        for n, clause in enumerate(pieces[::2]):
            joined = n > 0 and pieces[2 * n - 1].strip().lower() == "and"
            listed = listed if joined else []
            said = self.read(normalise(clause))
            past = _PAST_THE_HOUR_RE.search(normalise(clause))
            if said.clock is None and past is not None and hour is not None:
                # "max and bella at 9 and coco at quarter past": past the hour said before
                said = replace(said, clock=time(hour, 15 if past["part"] == "quarter" else 30))
            if said.clock is not None:
                hour = said.clock.hour
            found = [
                s for s in self.pets_in(clause, known=names, transcript=self.voice) if is_name(s)
            ]
            if said.clock is None:
                alone = found and len(normalise(clause).split()) == len(found)
                listed = [*listed, *found] if alone else []
            else:
                for pet in [*listed, *found] if found else []:
                    # "max and bella at 11 and coco at 12": the time is each pet's of its clause
                    pairs.setdefault(pet, replace(said, day=said.day or self.when.day))
                listed = []
            # its service may be said in a clause of its own ("biscuit for his booster and
            # pepper for a nail trim on sat? biscuit at 10 and pepper 10:30")
            named = self.profile.find_service(normalise(clause))
            # ("olive and basil need their boosters and sage needs a check up": both of the
            # clause's pets have its service)
            if found and named is not None and not any(f in services for f in found):
                services.update({f: named.key for f in found})
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
        # one time for all of them is one booking each at that time, not this; the same hour on
        # two days ("Pickle thursday at 10 and Ziggy friday at 10") is a time each
        if len(pairs) < 2 or len({(w.day, w.clock) for w in pairs.values()}) < 2:
            return None
        self.keep_services = len(set(services.values())) > 1
        plans: list[_Plan] = []
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
            plans.append(_Plan("book", name, proposal.slot_start, service or proposal.service))
        decision = self.several(plans)
        if decision.intent is Intent.PROPOSE_CHANGES and self.keep_services:
            # services of their own read back with each, as ``each_own_service`` does: a
            # booster and a nail trim are not one visit
            each = [
                f"{p.subject} ({self.profile.service(p.service or '').name}) for {p.said}"
                for p in decision.proposals
            ]
            decision.reply = f"I can book {_listed(each)}. {self.ask()}"
        return decision

    def each_own_service(self) -> AgentDecision | None:
        """Several pets at one time, each with a service of its own ("a nail trim for Max and a
        checkup for Luna, friday 3pm"): a booking for each at that time with its service,
        proposed together; never one pet's service for all. None unless each pet's clause
        names one service, at least two differ, and a day and a time are said."""
        names = [s for s in self.subjects if is_name(s)]
        when = self.when
        request = self.context.message
        history = self.context.history
        if (
            len(names) < 2
            and when.clock is not None
            and len(history) >= 2
            and history[-1].direction is Direction.OUTBOUND
            and history[-2].direction is Direction.INBOUND
            and _ASKED_WHEN_RE.search(history[-1].text)
        ):
            # "buddy for a groom and misty for a check up, saturday morning?" / "What time…?" /
            # "10am for both": the request's pets and services, at the time answered
            request = history[-2].text
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
        for clause in _PET_CLAUSE_RE.split(request):
            found = [
                s for s in self.pets_in(clause, known=names, transcript=self.voice) if is_name(s)
            ]
            named = self.profile.find_service(normalise(clause))
            if found and named is None:
                waiting += [f for f in found if f not in services and f not in waiting]
                continue
            # ("olive and basil need their boosters and sage needs a check up": Olive, split
            # off by "and", has Basil's service)
            if len(found) == 1 and named is not None and found[0] not in services:
                services.update({f: named.key for f in [*waiting, found[0]] if f not in services})
            waiting = []
        if set(services) != set(names) or len(set(services.values())) < 2:
            return None
        plans: list[_Plan] = []
        for name in names:
            decision = self.book(when, subject=name, service_key=services[name])
            if decision.proposal is None:
                if decision.reply.startswith("Sorry,"):
                    decision.reply = f"For {name}: {decision.reply}"
                return decision
            plans.append(_Plan("book", name, decision.proposal.slot_start, services[name]))
        self.keep_services = True
        decision = self.several(plans)
        if decision.intent is Intent.PROPOSE_CHANGES:
            made = decision.proposals
            each = [f"{p.subject} ({self.keyed_service(p.service).name})" for p in made]
            if len({_as_utc(p.slot_start) for p in made}) == 1:
                said = self.say(made[0].slot_start)
                decision.reply = f"I can book {_listed(each)} for {said}. {self.ask()}"
            elif len({self.local(p.slot_start).date() for p in made}) == 1:
                # the slot's places filled, the last pet at the next free time ("sage straight
                # after"): each read back at its own time
                day = self.local(made[0].slot_start).strftime("%A %-d %B")
                timed = [
                    f"{who} at {self.local(p.slot_start):%H:%M}"
                    for who, p in zip(each, made, strict=True)
                ]
                decision.reply = f"I can book on {day}: {_listed(timed)}. {self.ask()}"
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
            or _BOOKING_WORD_RE.search(self.text)
        ):
            return None
        before = normalise(history[-2].text)
        if not answers.is_question(before):
            return None
        elliptical = _FOLLOW_UP_RE.match(self.text) is not None
        refers = re.search(r"\b(?:that|it|this|they|those)\b", self.text) is not None
        asking = answers.is_question(self.text)
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
        return _reply(Intent.ANSWER, said) if said is not None else None

    def emergency(self) -> AgentDecision:
        """A pet in danger: a person at once, and the number to call meanwhile."""
        phone = self.profile.phone
        call = f" If it can't wait, call us now on {phone}." if phone else ""
        night = self.profile.policies.get("emergencies")
        if night:
            call = f"{call} {night}"
        return AgentDecision(
            intent=Intent.HANDOFF,
            reply=f"That sounds urgent. I've alerted the team to get back to you right away.{call}",
            note=f"Possible emergency: {self.context.message!r}",
        )

    def first_free_day_in_week_said(self, service: Service) -> date | None:
        """The first day with a free time for ``service`` in the week the message names ("this
        week", "later this week", "next week"), from today on; None when it names none or
        that week is full. A weekday the message rules out ("just not monday") is skipped."""
        found = _WEEK_SAID_RE.search(self.text)
        if found is None:
            return None
        today = self.local_now.date()
        monday = today - timedelta(days=today.weekday())
        if found["which"] == "next":
            monday += timedelta(days=7)
        elif found["later"]:  # "the week after next"
            monday += timedelta(days=14)
        ruled_out = ruled_out_weekdays(self.text)
        for ahead in range(7):
            day = monday + timedelta(days=ahead)
            if day < today or day.weekday() in ruled_out:
                continue
            if free_slots_on(self.profile, self.context.busy, day, service, now=self.now):
                return day
        return None

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
        for ahead in range(14):
            day = self.local_now.date() + timedelta(days=ahead)
            if day.weekday() in ruled_out:
                continue
            free = self.outside_work(
                free_slots_on(self.profile, self.context.busy, day, service, now=self.now)
            )
            if bound is not None:
                free = [s for s in free if self.local(s).time() < bound]  # "anything before 10?"
            if when.part is not None:
                free = [s for s in free if _part_of(self.local(s).hour) == when.part]
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

    def visit_asked_beside(self) -> bool:
        """Whether a sentence of the message that is no question asks for a visit ("do you take
        rabbits? I'd like to book a check up for my rabbit thumper next week")."""
        sentences = [s for s in _SENTENCE_RE.split(self.context.message) if s.strip()]
        for sentence in sentences if len(sentences) > 1 else []:
            said = normalise(sentence)
            if sentence.rstrip().endswith("?") or answers.is_question(said):
                continue
            # the writer's own request ("I'd like to book…", "book him in"), not another's
            # ("she'll book herself")
            if re.search(
                r"\b(?:i|we|i'd|we'd|i'll|we'll|i'm|we're)\b.{0,25}\bbook\b|^(?:please\s+)?book\b",
                said,
            ):
                return True
        return False

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

    def reminded_booking(self) -> BookingView | None:
        """The booking our last message reminded the customer of ("Reminder: Max is booked for
        Thursday 10 December at 15:00. Reply YES to confirm, tell us a new day and time to move
        it …", journeys/appointment-reminder.yaml), when it is still upcoming; else None."""
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        ours = history[-1].text
        if not ours.startswith("Reminder:"):
            return None
        said = [b for b in self.upcoming if self.say(b.slot_start) in ours]
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
        return _reply(
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
        return _reply(
            Intent.CLARIFY,
            f"Sorry, we close at {max(closes):%H:%M} at the latest, so nothing after "
            f"{said:%H:%M}. {hours} Which day would suit you?",
        )

    def free_times_asked(self) -> bool:
        """Whether the message, or its last clause, asks for free times with no day or time
        ("what have you got?", "… when can we bring him for a first check?")."""
        if self.when.anything:
            return False
        clauses = [c for c in re.split(rf"{_CLAUSE_END}+", self.context.message) if c.strip()]
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
        if _SYMPTOM_RE.search(self.text) or re.match(r"(?:fleas|ticks|worms|mites|pain)$", whom[1]):
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

    # -- yes and no -------------------------------------------------------------------------------

    def yes_then_aside(self) -> bool:
        """A yes in the first clause, and after it only an aside that asks for nothing ("yes
        cancel it please, we'll rebook when she's back", "yes please, she'll be glad"): no
        day or time, no question, no other pet, no no."""
        clauses = [c for c in re.split(r"[,.;!]+|\s+-\s+", self.context.message) if c.strip()]
        if len(clauses) < 2:
            return False
        first = normalise(clauses[0])
        if not (_YES_RE.match(first) or _YES_RESTATED_RE.match(first)):
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
            or _MOVE_RE.search(_REBOOK_LATER_RE.sub(" ", rest))
            or re.search(r"\b(?:book|also|too|as\s+well|another|cancel)\b", rest)
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
        if len(clauses) < 2 or not _YES_RE.match(normalise(clauses[0])):
            return None
        look = _ALSO_LOOK_AT_RE.search(normalise(" ".join(clauses[1:])))
        return look["what"] if look is not None and not self.when.anything else None

    def says_yes_to(self, pending: PendingAction) -> bool:
        """Whether the message says yes to ``pending`` by repeating its time ("12 is perfect,
        yes please", "yes saturday at 12 is great"): a yes word, and the day and time said are
        the proposal's own (the day may go unsaid), nothing else asked."""
        if pending.slot_start is None or not _YES_SAID_RE.search(self.text):
            return False
        if _NO_WORD_RE.search(self.text) or answers.is_question(self.text):
            return False
        local = self.local(pending.slot_start)
        when = self.when
        return (
            when.clock == local.time()
            and when.day in (None, local.date())
            and when.shift is None
            and all(
                n.lower() == (pending.subject or "").lower() for n in self.subjects if is_name(n)
            )
        )

    def confirm(self) -> AgentDecision:
        """A whole-message yes: confirm the live pending action, else ask what to confirm."""
        pending = self.context.pending
        history = self.context.history
        ours = history[-1].text.strip() if history else ""
        if (
            pending is not None
            and history
            and history[-1].direction is Direction.OUTBOUND
            and _WHICH_ONE_RE.match(ours)
        ):
            # a yes to "Which one should I change: Noodle … or Dumpling …?" says neither: the
            # question again, nothing confirmed (it confirmed every change pending)
            return _reply(Intent.CLARIFY, f"Sorry, {ours[0].lower()}{ours[1:]}")
        if pending is None:
            again = None if self.voice else self.again_from_our_offer()
            if again is not None:
                return again
            after = self.booked_after_answer()
            if after is not None:
                return after
            history = self.context.history
            times = (
                _TIMES_OFFERED_RE.search(history[-1].text)
                if history and history[-1].direction is Direction.OUTBOUND
                else None
            )
            if times is not None:
                # a yes to "What time on Tuesday would you like? I have 14:00 or 15:00": which
                return _reply(
                    Intent.CLARIFY, f"Which time on {times['day']} suits you: {times['times']}?"
                )
            question = self.open_question()
            if question is not None and _WH_QUESTION_RE.match(question):
                # a yes to "Which day and time would you like instead?": that question again
                return _reply(Intent.CLARIFY, f"Sorry, {question[0].lower()}{question[1:]}")
            if history and history[-1].direction is Direction.OUTBOUND:
                made = _DONE_RE.match(history[-1].text.strip())
                if made is not None:
                    # "book him in for that" confirmed it, then "yes" once more: already done
                    return _reply(Intent.OTHER, f"All set, nothing more to confirm: {made['what']}")
            if (
                history
                and history[-1].direction is Direction.OUTBOUND
                and not history[-1].text.rstrip().endswith("?")
                and re.search(r"\bsee\s+you\b|\bthanks?\b|\bthank\s+you\b|\bcheers\b", self.text)
            ):
                # "perfect, see you then 👍" after we said when the visit is: nothing to do
                if re.search(r"\bsee\s+you\b", self.text):
                    return _reply(Intent.OTHER, "See you then!")
                return _reply(Intent.OTHER, _YOU_ARE_WELCOME)
            # A yes to nothing (often to a turn we did not understand): the request, asked.
            return _reply(Intent.CLARIFY, NOTHING_TO_CONFIRM)
        if _as_utc(pending.expires_at) <= self.now:
            if pending.slot_start is None:
                return _reply(Intent.CLARIFY, "Sorry, that offer has expired. How can I help?")
            # No action_id: the workflow must not act on an offer the customer saw expire.
            return _reply(
                Intent.CLARIFY,
                f"Sorry, the offer for {self.say(pending.slot_start)} has expired, so nothing is "
                "booked. Tell me the day and time again and I'll propose it afresh.",
            )
        if pending.kind == "offer" or pending.slot_start is None:
            return AgentDecision(
                intent=Intent.CONFIRM, action_id=pending.id, reply=f"Great: {pending.subject}."
            )
        if pending.changes:
            done = [
                _DONE[c.kind].format(who=c.subject, when=c.said or self.say(c.slot_start))
                for c in pending.changes
            ]
            services = [c.service for c in pending.changes]
            if (
                len({c.subject for c in pending.changes}) == 1
                and {c.kind for c in pending.changes} == {"book"}
                and None not in services
                and len(set(services)) == len(services)
            ):
                # one pet, one appointment per service (``each_service``): said as such
                who = _for(pending.changes[0].subject).removeprefix(" for ") or "you"
                each = [
                    f"a {self.keyed_service(c.service).name} on {c.said or self.say(c.slot_start)}"
                    for c in pending.changes
                ]
                done = [f"{who} is booked for {_listed(each)}"]
            return AgentDecision(
                intent=Intent.CONFIRM, action_id=pending.id, reply=f"Done: {_listed(done)}."
            )
        when = self.say(pending.slot_start)
        if pending.kind == "cancel":
            reply = f"Done: the appointment{_for(pending.subject)} on {when} is cancelled."
        elif pending.kind == "reschedule":
            reply = self.moved(pending, when)
        else:
            reply = f"Done: you're booked for {when}{_for(pending.subject)}."
        return AgentDecision(intent=Intent.CONFIRM, action_id=pending.id, reply=reply)

    def service_checked(self) -> AgentDecision | None:
        """ "And it's the groom not the vet, yeah?": whether the booking meant (the pet named's,
        the one just made, or the only one) is that service, said; nothing changed. None when
        the message checks no service or the booking meant is not one."""
        if self.pending is not None or self.when.anything:
            return None
        checked = re.search(
            r"(?:\b(?:right|yeah|yes|correct|isn't\s+it|is\s+it|innit|yh|ya)\s*\?*|\?)\s*$",
            self.context.message.strip().lower(),
        )
        if checked is None or not re.match(
            r"^(?:and\s+|so\s+|oh\s+)?(?:it's|its|it\s+is|that's|thats|is\s+it|is\s+that)\b",
            self.text,
        ):
            return None
        named_service = self.profile.find_service(_ANY_VISIT_WORDS_RE.sub(" ", self.text))
        if named_service is None:
            return None
        named = [s for s in self.subjects if is_name(s)]
        targets = self.targets(named) if named else []
        if not targets:
            just = self.booking_just_done()
            targets = [just] if just is not None else self.upcoming
        if len(targets) != 1:
            return None
        booking = targets[0]
        booked = self.keyed_service(booking.service)
        said = f"the appointment{_for(booking.subject)} on {self.say(booking.slot_start)}"
        if booked.key == named_service.key:
            return _reply(Intent.ASK_BOOKING, f"Yes: {said} is {_a(booked.name)}.")
        return _reply(
            Intent.ASK_BOOKING,
            f"No: {said} is {_a(booked.name)}. Would you like it changed to "
            f"{_a(named_service.name)}?",
        )

    def move_taken_back(self) -> AgentDecision | None:
        """ "Can you put it back?" just after a move was done: that booking moved back to the
        slot it left (read from our read-back of the move), for a yes. None when the message
        says no such thing, names a day or time of its own, or no move was done just before."""
        if self.pending is not None or self.when.anything or not _MOVE_BACK_RE.search(self.text):
            return None
        history = self.context.history[-6:]
        done = [i for i, t in enumerate(history) if t.direction is Direction.OUTBOUND]
        if not done or not history[done[-1]].text.startswith("Done: the appointment"):
            return None
        read_back = next(
            (
                found
                for t in reversed(history[: done[-1]])
                if t.direction is Direction.OUTBOUND
                and (found := _MOVE_READ_BACK_RE.search(t.text)) is not None
            ),
            None,
        )
        if read_back is None:
            return None
        who = (read_back["who"] or "").lower()
        moved = [
            b
            for b in self.upcoming
            if (not who or b.subject.lower() == who)
            and self.say(b.slot_start) in history[done[-1]].text
        ]
        if len(moved) != 1:
            return None
        return self.book(self.read(normalise(read_back["old"])), moving=moved[0])

    def moved(self, pending: PendingAction, when: str) -> str:
        """What a confirmed move did: the new time, and the new service when it changes
        ("Done: the appointment for Max on … is now a dental cleaning.")."""
        booking = next((b for b in self.upcoming if b.id == pending.booking_id), None)
        if booking is None or pending.service is None:
            return f"Done: the appointment{_for(pending.subject)} is moved to {when}."
        service = self.keyed_service(pending.service)
        as_new = service.key != self.keyed_service(booking.service).key
        if as_new and pending.slot_start == _as_utc(booking.slot_start):
            now = _a(service.name)
            return f"Done: the appointment{_for(pending.subject)} on {when} is now {now}."
        also = f", as {_a(service.name)}" if as_new else ""
        return f"Done: the appointment{_for(pending.subject)} is moved to {when}{also}."

    def no_with_a_reason(self) -> bool:
        """A no to what waits, then only why ("actually no thanks, leave it for now, he seems
        loads better this morning 🙂"): the first clause a whole no, the rest asking nothing
        and offering no other day or time (a day there is the pet's news, said with how it
        is: "better this morning")."""
        clauses = [normalise(c) for c in _YES_AND_QUESTION_SPLIT_RE.split(self.context.message)]
        clauses = [_NO_OPENER_RE.sub("", c) for c in clauses if c]
        if len(clauses) < 2 or not _NO_RE.match(clauses[0]):
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
                or _REQUEST_RE.search(clause)
                or _MOVE_RE.search(clause)
                or _ANOTHER_TIME_RE.search(clause)
                or said.clock is not None
                or said.shift is not None
                or (said.anything and not _PET_NEWS_RE.search(clause))
            ):
                return False
        return True

    def decline(self) -> AgentDecision:
        """A whole-message no: decline the live pending action, else just acknowledge."""
        pending = self.pending
        if pending is None and self.upcoming and _CANCEL_RE.search(self.text):
            return self.cancel()  # "cancel" on its own, nothing proposed: which booking
        if pending is None:
            return _reply(Intent.OTHER, "No problem. Is there anything else I can help with?")
        replies = {
            "offer": "No problem, thanks for letting me know.",
            "cancel": "OK, I haven't cancelled it: the appointment stays as it is.",
            "reschedule": "OK, I've left the appointment as it was.",
            "several": "OK, I haven't changed anything. What would you like instead?",
        }
        reply = replies.get(
            pending.kind if pending.slot_start is not None else "offer",
            "OK, I haven't booked it. Would another day or time suit you?",
        )
        return AgentDecision(intent=Intent.DECLINE, action_id=pending.id, reply=reply)

    def joining(self) -> AgentDecision | None:
        """ "Add Bella to Max's appointment on Wednesday": the slot of the one upcoming booking
        meant (by a booked pet's name, else the day, else the only one), for the pets named
        who are not booked yet; None when the message is not that, names no newcomer, gives a
        time of its own, or could mean several bookings."""
        if not self.upcoming or not _JOIN_RE.search(self.text):
            return None
        if _WHETHER_BOOKED_RE.search(self.text):
            return None  # "are both cats booked in? can't remember if i did kiwi as well"
        if self.when.clock is not None and not self.names_booked_time():
            return None  # a time of its own ("coco's in on saturday at 10" names her booking)
        found = self.host_and_newcomers()
        if found is None:
            return None
        host, newcomers = found
        start = self.local(host.slot_start)
        # the service said for the newcomer ("bella needs her jabs"), else the host's
        said = self.profile.find_service(_ANY_VISIT_WORDS_RE.sub(" ", self.text))
        decision = self.book(
            When(day=start.date(), clock=start.time()),
            subject=join(newcomers),
            service_key=said.key if said is not None else host.service,
            exact=said is None and host.service is not None,  # "appointment" names no service
        )
        return decision

    def host_and_newcomers(self) -> tuple[BookingView, list[str]] | None:
        """The one upcoming booking a new pet joins or goes next to (by a booked pet's name,
        else the day said, else the only one) and the pets named who are not booked yet; None
        when no newcomer is named or several bookings could be meant."""
        booked = {b.subject.lower() for b in self.upcoming}
        named = [s for s in self.subjects if is_name(s)]
        newcomers = [n for n in named if n.lower() not in booked]
        if not newcomers:
            return None
        named += self.models  # "can coco have the same as bella?": Bella's booking
        hosts = [b for b in self.upcoming if b.subject.lower() in {n.lower() for n in named}]
        hosts = hosts or self.upcoming
        if self.when.day is not None:
            hosts = [b for b in hosts if self.local(b.slot_start).date() == self.when.day]
        if len(hosts) > 1:
            # "bella too? same time?" after Max joined Coco: the booking just made, else
            # several at one slot are one time to join
            just = self.booking_just_done()
            if just is not None and just in hosts:
                hosts = [just]
            elif len({_as_utc(b.slot_start) for b in hosts}) == 1:
                hosts = hosts[:1]
        if len(hosts) != 1:
            return None
        return hosts[0], newcomers

    def pet_died(self) -> AgentDecision:
        """ "Luna passed away last week": condolences, and the pet's upcoming bookings offered
        to cancel (never cancelled unasked); with none, the team is told so that the records
        and reminders can be put right (a handoff with a note)."""
        sorry = "I'm so sorry for your loss."
        if _CANCEL_WORD_RE.search(self.text) and self.upcoming:
            # "my cat died, please cancel her appointments": the cancellation asked for
            decision = self.cancel()
            decision.reply = f"{sorry} {decision.reply}"
            return decision
        named = [s for s in self.subjects if is_name(s)]
        booked = self.targets(named) if named else []
        if booked:
            decision = self.cancel_every(booked)
            decision.reply = f"{sorry} {decision.reply}"
            return decision
        return AgentDecision(
            intent=Intent.HANDOFF,
            reply=f"{sorry} I've let the team know. Take care.",
            note=f"The customer says their pet has died; please update the records: "
            f"{self.context.message!r}",
        )

    def cancel_every(self, bookings: list[BookingView]) -> AgentDecision:
        """The cancellation of ``bookings`` (one or several), read back for one yes."""
        if len(bookings) == 1:
            return self.propose_cancel(bookings[0])
        return self.several(
            [_Plan("cancel", b.subject, _as_utc(b.slot_start), b.service, b) for b in bookings]
        )

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

    def booked_pet_joins(self) -> AgentDecision | None:
        """ "could Luna come with Max on thursday instead of friday": Luna's booking moved to
        Max's time, read back for a yes; Max's stays where it is. None unless the message names
        two booked pets, one after "with" (the one joined), the other's one booking to move,
        and no time of its own (a day said must be the joined pet's)."""
        found = _COME_WITH_RE.search(self.text)
        if found is None or self.when.clock is not None or self.pending is not None:
            return None
        booked = {b.subject.lower() for b in self.upcoming}
        named = [s for s in self.subjects if is_name(s) and s.lower() in booked]
        host_name = found["host"] or found["host2"] or found["host3"]
        if len(named) != 2 or host_name not in {n.lower() for n in named}:
            return None
        hosts = [b for b in self.upcoming if b.subject.lower() == host_name]
        if self.when.day is not None:
            hosts = [b for b in hosts if self.local(b.slot_start).date() == self.when.day]
        joiner = next(n for n in named if n.lower() != host_name)
        moving = [b for b in self.upcoming if b.subject.lower() == joiner.lower()]
        if len(hosts) != 1 or len(moving) != 1:
            return None
        start = self.local(hosts[0].slot_start)
        return self.book(
            When(day=start.date(), clock=start.time()), subject=moving[0].subject, moving=moving[0]
        )

    def move_instead_of_cancel(self, pending: PendingAction) -> AgentDecision | None:
        """A new day or time while the cancellation of a booking waits for a yes ("can't make
        it thursday anymore" / "could we do friday same time?"): that booking moved there
        instead, the rest kept from it. None when the message gives no day or time, cancels,
        or names another pet."""
        when = self.when
        if not (when.day or when.clock or when.shift) or _CANCEL_RE.search(self.text):
            return None
        booking = next((b for b in self.upcoming if b.id == pending.booking_id), None)
        others = {s.lower() for s in self.subjects if is_name(s)}
        if booking is None or not others <= {booking.subject.lower()}:
            return None
        local = self.local(booking.slot_start)
        wanted = merge(when.shifted(local), When(day=local.date(), clock=local.time()))
        return self.book(wanted, moving=booking)

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
        for part in _YES_AND_QUESTION_SPLIT_RE.split(self.context.message):
            said = _ASIDE_OPENER_RE.sub("", normalise(part))
            if not said:
                continue
            if _YES_RE.match(said) or _YES_RESTATED_RE.match(said):
                yes = True
            elif _THANKS_ONLY_RE.match(said):
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
        if said_when.anything and (
            about.clock or about.shift or about.day is None or not answers.about_hours(asking)
        ):
            # the day or time said is not (only) the day an opening-hours question asks about:
            # a change ("yes, is saturday free too?")
            return None
        service = self.service(pending.service) if pending.service else None
        said_back = [answers.price_checked(n, service or self.service(None)) for n in checked]
        asked = answers.answer(
            asking,
            self.profile,
            service=service,
            day=about.day,
            weekday=_weekday_asked(about),
            part=about.part,
        )
        if questions and asked is None:
            return None
        answered = " ".join([*said_back, *([asked] if asked else [])])
        decision = self.confirm()
        return decision.model_copy(update={"reply": f"{answered} {decision.reply}"})

    def only_says_how_things_are(self, said: str) -> bool:
        """Whether a sentence (normalised) beside a yes and a question only tells us something
        ("i'll be driving", "she's a rescue so it's her first time with you"): no day or time,
        no pet, no no, and nothing asked for, moved or cancelled."""
        return not (
            self.read(said).anything
            or self.pets_in(said, known=self.known, transcript=False)
            or _NO_RE.match(said)
            or _NO_CHANGE_RE.search(said)
            or _REQUEST_RE.search(said)
            or _CANCEL_RE.search(said)
            or _MOVE_RE.search(said)
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
        asked = _WHAT_TIME_RE.search(ours)
        if asked is None:
            return None
        day = self.read(normalise(asked.group(0))).day
        if day is None:
            return None
        if days:
            day, when = day + timedelta(days=days), replace(when, shift=None)
        moved = _MOVE_TIME_RE.search(ours)
        if moved is not None:
            who = (moved["who"] or "you").lower()
            chosen = [b for b in self.upcoming if b.subject.lower() == who]
            if len(chosen) == 1:
                return self.ask_move_time(chosen[0], replace(when, day=day))
        return self.book(replace(when, day=day))

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
        if found is None or _CANCEL_RE.search(self.text):
            return None
        rest = self.read(self.text[: found.start()] + " " + self.text[found.end() :])
        if rest.day is not None or rest.clock is not None:
            return None
        ours = history[-1].text.strip()
        sentences = [
            list(_OFFERED_RE.finditer(sentence)) for sentence in re.split(r"(?<=[.?!])\s+", ours)
        ]
        offered = next((items for items in reversed(sentences) if len(items) >= 2), None)
        if offered is None:
            return None
        whole_day = self.read(normalise(ours)).day
        choices: list[When] = []
        for item in offered:
            day = self.read(normalise(item["day"])).day if item["day"] else whole_day
            hour, minute = (int(n) for n in item["clock"].split(":"))
            choices.append(When(day=day, clock=time(hour, minute)))
        # "either is fine": the first, read back for a yes
        which = (
            found["which"]
            or found["which0"]
            or found["which2"]
            or found["which3"]
            or found["which4"]
            or found["which5"]
            or found["which6"]
            or "1st"
        )
        if which in {"morning", "afternoon", "evening"}:
            inside = [c for c in choices if c.clock and _part_of(c.clock.hour) == which]
            if not inside:
                return None
            chosen = inside[0]
        elif which in {"last", "later", "latest", "final"}:
            chosen = choices[-1]
        elif which in {"earlier", "earliest", "soonest"}:
            chosen = choices[0]
        else:
            place = int(which[0]) - 1
            if place >= len(choices):
                return None
            chosen = choices[place]
        pending = self.pending
        if pending is not None and pending.kind == "reschedule" and not pending.changes:
            moving = next((b for b in self.upcoming if b.id == pending.booking_id), None)
            if moving is not None:
                return self.book(chosen, moving=moving)
        asked = _MOVE_TIME_RE.search(ours)
        if asked is not None:
            who = (asked["who"] or "you").lower()
            moved = [b for b in self.upcoming if b.subject.lower() == who]
            if len(moved) == 1:
                return self.book(chosen, moving=moved[0])
        refused = self.move_refused()
        if refused is not None:
            return self.book(chosen, moving=refused)
        if pending is not None and pending.kind == "book" and not pending.changes:
            return self.book(chosen, subject=pending.subject, service_key=pending.service)
        # the pet our offer named ("… for Bella. Which is better?") before the customer's words
        named = [n for n in self.pets_in(ours, known=self.known, transcript=False) if is_name(n)]
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
        side = _OTHER_SIDE_RE.search(self.text)
        if side is None or self.when.anything or _LATER_CONTACT_RE.search(self.text):
            return None
        if _REFUSED_FOR_RE.match(history[-1].text.strip()):
            return None
        ours = history[-1].text.strip()
        offered = list(_OFFERED_RE.finditer(ours))
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
        times = _spread([self.local(s).strftime("%H:%M") for s in wanted], 4)
        return _reply(
            Intent.CLARIFY,
            f"What time on {day.strftime('%A %-d %B')} would you like{_for(subject)}? "
            f"I have {_either(times)}.",
        )

    def next_to_booking(self) -> AgentDecision | None:
        """A new booking placed against one already made ("what time's Max on wednesday? and
        could you book Bella in right after him"): the pets named who are not booked, at the
        end of that booking (before it: ending at its start), the booking said first when the
        message also asks about it. None when the message is not that, names no newcomer, gives
        a time of its own, or could mean several bookings."""
        side = _NEXT_TO_BOOKING_RE.search(self.text)
        if side is None or not self.upcoming or self.when.clock is not None:
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
            said = f"The appointment{_for(host.subject)} is on {self.say(host.slot_start)}."
            decision.reply = f"{said} {decision.reply}"
        return decision

    def service_added(self) -> AgentDecision | None:
        """Another service for a booked pet on the same visit ("can I add a nail trim to max's
        appointment?", "can max have his nails done at the same time as his checkup?"): a
        booking of that service for that pet when the visit ends (one appointment is one
        service), read back for a yes. None when nothing is added, the pet (or the one booking
        meant) is not clear, a day or time of its own is said, or a proposal waits."""
        if self.pending is not None or not self.upcoming or self.when.clock:
            return None
        if not _ADDED_TO_VISIT_RE.search(self.text) or _asks_move(self.text):
            return None
        targets = self.first_booking_said(self.targets())
        if self.when.day is not None:
            # "add a nail trim to bailey's appointment on thursday": the day says which visit
            targets = [b for b in targets if self.local(b.slot_start).date() == self.when.day]
        if len(targets) != 1:
            return None
        host = targets[0]
        own = self.keyed_service(host.service).key
        added = [s for s in answers.services_named(self.text, self.profile) if s.key != own]
        if len(added) != 1:
            return None
        start = self.local(host.slot_start)
        end = start + timedelta(minutes=self.keyed_service(host.service).duration_minutes)
        decision = self.book(
            When(day=end.date(), clock=end.time()),
            subject=host.subject,
            service_key=added[0].key,
            exact=True,
        )
        if decision.proposal is not None:
            when = self.say(decision.proposal.slot_start)
            decision.reply = (
                f"One appointment is one service, so I can book {_a(added[0].name)}"
                f"{_for(host.subject)} straight after, on {when}. {self.ask()}"
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
        if self.when.day is not None or self.when.clock is not None or not self.upcoming:
            return None
        if _asks_move(text) or _CANCEL_RE.search(text) or _IS_IT_BOOKED_RE.search(text):
            return None  # ("… is that booked too?" asks what is booked: ``lookup``)
        named = {s.lower() for s in self.subjects if is_name(s)}
        booked = {b.subject.lower() for b in self.upcoming}
        # "can her sister nala come same day next week?": a pet with no booking is a new one
        newcomers = bool(named) and not named & booked
        asks = re.search(r"\b(?:book|booking|another|also|follow[\s-]?up|too|as\s+well)\b", text)
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
            side = [f for f in side if _part_of(f.hour) == self.when.part] or side
        day_text = local.strftime("%A %-d %B")
        if side:
            times = _spread([f.strftime("%H:%M") for f in side], 4)
            listed = _either(times)
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
            return _reply(Intent.CLARIFY, asked)
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

    def joins_pending(self, pending: PendingAction) -> AgentDecision | None:
        """Another pet added to a booking being proposed: "Bella too, friday at 10" (or just
        "Bella as well") while Max's Friday 10:00 awaits a yes is a booking for each, proposed
        together — the newcomer at the time said, else at the proposed one. None when the
        proposal is not a booking, or the message adds no pet with "too"/"as well"/"also"."""
        assert pending.slot_start is not None
        if pending.kind == "book" and _CANCEL_RE.search(self.text):
            return self.confirm_and_cancel(pending)
        # ("oh and misty needs her jab, same time?": one more pet, at the time read back)
        joining = (
            r"\b(?:too|as\s+well|also|(?:at\s+)?the\s+same\s+time|same\s+time|together)\b"
            r"|^(?:oh\s+|oh,\s+|and\s+)*(?:and|plus)\b"
        )
        both = re.search(r"\b(?:both|all\s+of\s+them|the\s+two\s+of\s+them)\b", self.text)
        if pending.kind != "book" or not (re.search(joining, self.text) or both):
            return None
        if re.search(r"\b(?:not|instead|rather)\b", self.text):
            return None  # "Bella instead, not Max": a correction of who, not one more
        held = {s.lower() for s in re.split(r",\s*|\s+and\s+", pending.subject or "")}
        newcomers = [s for s in self.subjects if is_name(s) and s.lower() not in held]
        if not newcomers and both:
            # "make it for both of them": the customer's other pet (of their bookings), when
            # there is exactly one
            others = {b.subject for b in self.upcoming if is_name(b.subject)}
            others = {o for o in others if o.lower() not in held}
            newcomers = sorted(others) if len(others) == 1 else []
        if not newcomers:
            return None
        when = merge(self.when, self.pending_when(pending))
        decision = self.book(when, subject=join(newcomers), service_key=pending.service)
        if decision.proposal is None:
            return decision  # that time cannot be had: said why, with other times
        slot, service = decision.proposal.slot_start, decision.proposal.service
        held_slot = _as_utc(pending.slot_start)
        plans = [_Plan("book", pending.subject or "you", held_slot, pending.service)]
        plans += [_Plan("book", name, slot, service) for name in newcomers]
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
        # "no, I meant milo, on thursday": that pet's booking, to the day (or time) said now
        new_when = self.when.anything and not self.says_held_booking(pending)
        if new_when and (pending.kind != "reschedule" or self.when.shift is not None):
            return None
        if pending.kind == "cancel" and _asks_move(self.text):
            return None  # "no, I meant move Luna's": a move, asked on its own
        held = (pending.subject or "").lower()
        named = [s for s in self.subjects if is_name(s) and s.lower() != held]
        targets = self.targets(named) if named else []
        if len(targets) != 1:
            return None
        booking = targets[0]
        if pending.kind == "cancel" or _CANCEL_RE.search(self.text):
            # "it's Luna I want to cancel" to a proposed move of Max's: Luna's cancelled
            return self.propose_cancel(booking)
        when = self.pending_when(pending)
        if new_when:
            when = merge(self.when, when)
        return self.book(when, subject=booking.subject, moving=booking)

    def says_held_booking(self, pending: PendingAction) -> bool:
        """Is the day (and time, if any) this message says that of the booking the pending
        change is for ("sorry not max, I meant milo!! max's thursday one stays as it is"), not a
        new one?"""
        held = next((b for b in self.upcoming if b.id == pending.booking_id), None)
        if held is None or self.when.day is None or self.when.shift is not None:
            return False
        # said of it, not as a new day: "max's thursday one", "… stays as it is"
        if not (_KEEP_RE.search(self.text) or f"{held.subject.lower()}'s" in self.text):
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
        if not (_YES_RE.match(first) or _YES_RESTATED_RE.match(first)):
            return None
        named = [s for s in self.subjects if is_name(s)]  # the pet being booked's other one too
        targets = self.in_clause_of(_CANCEL_RE, self.targets(named)) if named else []
        if self.when.day is not None:
            targets = [b for b in targets if self.local(b.slot_start).date() == self.when.day]
        if len(targets) != 1:
            return None
        booking = targets[0]
        held = _as_utc(pending.slot_start)
        dropped = _as_utc(booking.slot_start)
        return self.several(
            [
                _Plan("book", pending.subject or "you", held, pending.service),
                _Plan("cancel", booking.subject, dropped, booking.service, booking),
            ]
        )

    def day_beside(self, booking: BookingView) -> AgentDecision | None:
        """ "An earlier appointment than thursday", "a later day": the first day before (after)
        the booking's with a free time for its service, its times asked (nothing proposed);
        None when the message asks for no other day, or names a day that is not the booking's."""
        found = _DAY_SIDE_RE.search(self.text)
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
        return _reply(
            Intent.CLARIFY,
            f"Sorry, I have nothing {'after' if later else 'before'} {when}"
            f"{_for(booking.subject)}. Would another time that day suit?",
        )

    def booking_to_side(self) -> AgentDecision | None:
        """ "Could Max's appointment be a bit earlier?" with nothing pending: the move of that
        booking to the nearest free time before (after) it the same day, read back for a yes,
        with the other free times on that side. None when the message names no booked pet and
        no booking ("anything later?" about new times)."""
        if _CALL_OFF_RE.search(self.text) or _LATER_CONTACT_RE.search(self.text):
            return None  # "I'll ring later about Max's appointment"
        booked = {b.subject.lower() for b in self.upcoming}
        named = [s for s in self.subjects if is_name(s) and s.lower() in booked]
        # "can we come a bit earlier tomorrow?": the one visit that day is the one meant
        on_day = [
            b
            for b in self.upcoming
            if self.when.day is not None and self.local(b.slot_start).date() == self.when.day
        ]
        if not named and not _ABOUT_BOOKING_RE.search(self.text) and len(on_day) != 1:
            return None
        targets = self.targets(named) if named else (on_day if len(on_day) == 1 else self.upcoming)
        if len(targets) != 1:
            return self.which_one("move", targets) if targets else None
        booking = targets[0]
        local = self.local(booking.slot_start)
        later = re.search(r"\b(?:later|back)\b", self.text) is not None
        other_day = self.day_beside(booking)
        if other_day is not None:
            return other_day
        if _WHENEVER_RE.search(self.text):
            # "any time later that same day": the customer picks from that side's times
            return self.ask_move_time(booking, When(day=local.date()))
        side = self.free_beside(local, booking.service, later=later, moving=booking.id)
        word = "later" if later else "earlier"
        if not side:
            return _reply(
                Intent.CLARIFY,
                f"Sorry, I have nothing {word} on {local.strftime('%A %-d %B')} than "
                f"{local.strftime('%H:%M')}{_for(booking.subject)}. Which other day would suit?",
            )
        nearest = side[0] if later else side[-1]
        decision = self.book(When(day=local.date(), clock=nearest.time()), moving=booking)
        others = [f.strftime("%H:%M") for f in side if f != nearest]
        if decision.proposal is not None and others:
            listed = _either(_spread(others, 3))
            decision.reply = f"{decision.reply} {word.capitalize()} I also have {listed}."
        return decision

    def requested_pets(self) -> list[str]:
        """Of several pets named, those of the sentences that ask for a day or time: "I've got
        two dogs, Bonnie and Clyde. Bonnie is fine. Could Clyde be seen tomorrow at 9:30?" is
        for Clyde alone. All named pets when no sentence singles some out."""
        # "can Max and Luna both come wednesday at 10? Oscar is fine": not Oscar
        names = without_pets_said_well(self.named_pets(), self.context.message)
        if len(names) < 2:
            return names
        asked: list[str] = []
        for sentence in re.split(r"(?<=[.!?;])\s+|\n+", self.context.message):
            said = self.read(normalise(sentence))
            if said.day or said.clock or said.part:
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
            or _CANCEL_RE.search(self.text)  # "Sheru's appointment on Wednesday is not required"
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
        if pending.kind == "book" and _WEEK_SAID_RE.search(self.text):
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
            # "no thanks, that's all", "no thanks, he's much better": nothing more is asked
            if _CLOSES_RE.search(self.text) or self.no_with_a_reason()
            else "What day and time would you like instead?"
        )
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
                or question in (_SAY_AGAIN, _HOW_CAN_I_HELP)
                or (len(ours) >= 2 and ours[-2] == said)
            ):
                return None
        return question

    # -- existing bookings ------------------------------------------------------------------------

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
        if named:
            lowered = {n.lower() for n in named}
            chosen = [b for b in chosen if b.subject.lower() in lowered] or []
        return chosen

    def pets_referred_to(self) -> set[str]:
        """The booked pets the message names only as a reference for a time ("same time as
        bella", "next to max's"), lower case: not the ones to change."""
        booked = {b.subject.lower() for b in self.upcoming}
        found = {
            m.group(1) or m.group(2)
            for m in re.finditer(
                r"\b(?:(?:the\s+)?same\s+(?:time|day|slot)\s+as|next\s+to|alongside)\s+(\w+?)(?:'s)?\b"
                r"|\b(?:in|into)\s+(\w+)'s\s+(?:slot|time|place|appointment)\b",
                self.text,
            )
        }
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
            for c in re.split(rf"(?:{_CLAUSE_END}|\n)+|\s+but\s+|\s+-\s+", self.context.message)
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

    def only_unbooked_pets(self) -> bool:
        """Whether the message names pets and none of them has an upcoming booking: "could
        Bella come at 11 the same day?" after Max's booking asks for Bella's, it moves nothing."""
        named = [s.lower() for s in self.subjects if is_name(s)]
        booked = {b.subject.lower() for b in self.upcoming}
        return bool(named) and not booked.intersection(named)

    def first_booking_said(self, targets: list[BookingView]) -> list[BookingView]:
        """``targets`` (in time order), only the first when the message says "my next one" /
        "our next appointment" and not every one ("both", "all")."""
        if (
            len(targets) > 1
            and _FIRST_BOOKING_RE.search(self.text)
            and not _EVERY_RE.search(self.text)
        ):
            return targets[:1]
        counted = _NTH_BOOKING_RE.search(self.text)
        if len(targets) > 1 and counted is not None and not _EVERY_RE.search(self.text):
            # "move rex's second appointment", "cancel our last booking"
            which = counted["which"]
            place = len(targets) - 1 if which in ("last", "later") else int(which[0]) - 1
            return targets[place : place + 1] if place < len(targets) else targets
        return targets

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
        for found in _DAY_MENTION_RE.finditer(self.text):
            day = self.read(found.group(0)).day
            if day is not None:
                spans.setdefault(day, found.span())
        on_day = [b for b in targets if self.local(b.slot_start).date() in spans]
        if len(on_day) > 1:
            # "move the thursday one to friday": the day moved to names no booking
            to = {
                day
                for day, (start, _) in spans.items()
                if re.search(
                    r"\b(?:to|till|until|onto|into)\s+(?:the\s+|this\s+|next\s+)?$",
                    self.text[:start],
                )
            }
            on_day = [b for b in on_day if self.local(b.slot_start).date() not in to]
        if not on_day:
            # "move max's appointment next week to the wednesday": the one booking in the week
            # named (the day moved to is read with that week, from the whole message)
            in_week = self.in_week_said(targets)
            if in_week is not None and len(in_week) == 1:
                return in_week, None
        if len(on_day) != 1:
            return targets, None
        return on_day, spans[self.local(on_day[0].slot_start).date()]

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
        rest = self.read(f"{self.text[: mention[0]]} {self.text[mention[1] :]}")
        if rest.day is None or rest.day == booked_day:
            return self.when
        return rest

    def which_one(self, verb: str, bookings: list[BookingView]) -> AgentDecision:
        # a pet's two bookings told apart by their services too: "Milo's grooming on …"
        pets = Counter(b.subject.lower() for b in bookings[:4])

        def named(b: BookingView) -> str:
            who = b.subject if is_name(b.subject) else "the one"
            if pets[b.subject.lower()] > 1 and b.service:
                return f"{who}'s {self.keyed_service(b.service).name}"
            return who

        listed = " or ".join(f"{named(b)} on {self.say(b.slot_start)}" for b in bookings[:4])
        return _reply(Intent.CLARIFY, f"Which appointment should I {verb}: {listed}?")

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
        for clause in _CLAUSE_RE.split(self.context.message):
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
        for clause in _CLAUSE_RE.split(message):
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

    def cancel(self) -> AgentDecision:
        handed = self.slot_handed_over()
        if handed is not None:
            return handed  # "cancel max friday and book bella instead same time"
        kept = self.pets_kept()
        if kept:
            # "cancel all our appointments except Max's": every other booking, never Max's
            dropped = [b for b in self.upcoming if b.subject.lower() not in kept]
            if len(dropped) == 1:
                return self.propose_cancel(dropped[0])
            if dropped:
                return self.several(
                    [
                        _Plan("cancel", b.subject, _as_utc(b.slot_start), b.service, b)
                        for b in dropped
                    ]
                )
        mixed = self.move_and_cancel()
        if mixed is not None:
            return mixed
        # Pets named in the cancelling clause; else booked pets named anywhere ("We're moving
        # out of Paris, so please cancel both": Paris is nobody's appointment).
        booked = {b.subject.lower() for b in self.upcoming}
        in_clause = self.said_of(_CANCEL_RE) or self.pet_referred_to(_CANCEL_RE)
        named = in_clause or [s for s in self.subjects if s.lower() in booked]
        # "cancel friday's, max is still coming": never Max's
        kept_now = {k.lower() for k in self.kept}
        named = [n for n in named if n.lower() not in kept_now]
        targets = self.first_booking_said(self.targets(named))
        targets = [b for b in targets if b.subject.lower() not in kept_now]
        if self.when.day is not None and len(targets) > 1:
            same_day = [b for b in targets if self.local(b.slot_start).date() == self.when.day]
            # "cancel ginger's friday one" of a Friday the week after: the weekday says which
            weekday = self.when.day.weekday()
            same_weekday = [b for b in targets if self.local(b.slot_start).weekday() == weekday]
            targets = same_day or (same_weekday if len(same_weekday) == 1 else targets)
        if self.when.clock is not None and len(targets) > 1:
            # "cancel the 10am": the one booking at that time
            at_time = [b for b in targets if self.local(b.slot_start).time() == self.when.clock]
            targets = at_time if len(at_time) == 1 else targets
        if len(targets) > 1 and not named:
            # "can you cancel the grooming": the one booking of the service named
            said = answers.services_named(self.text, self.profile)
            of_service = [b for b in targets if said and b.service in {s.key for s in said}]
            targets = of_service if len(of_service) == 1 else targets
        if self.when.day is None and len(targets) > 1:
            # "cancel max's appointment next week": the one booking in that week
            targets, _ = self.booked_on_a_day_said(targets)
        if self.when.day is None and len(targets) > 1:
            # "I can't make thursday": a day given up is read as ruled out, not as a day asked
            # for; here it says which booking
            ruled_out = ruled_out_weekdays(self.text)
            given_up = [b for b in targets if self.local(b.slot_start).weekday() in ruled_out]
            together = len({_as_utc(b.slot_start) for b in given_up}) == 1
            targets = given_up if len(given_up) == 1 or (given_up and together) else targets
        if (
            len(targets) > 1
            and len({_as_utc(b.slot_start) for b in targets}) == 1
            and (self.when.day is not None or ruled_out_weekdays(self.text))
        ):
            # "we can't make thursday anymore" with Max and Bella in together then: that visit
            return self.several(
                [_Plan("cancel", b.subject, _as_utc(b.slot_start), b.service, b) for b in targets]
            )
        cancelling = [
            normalise(c)
            for c in re.split(rf"{_CLAUSE_END}+|\s+-\s+", self.context.message)
            if _CANCEL_RE.search(normalise(c))
        ]
        # the day said in the cancelling clause ("cancel Lola's appointment on Friday. … I fly
        # there tomorrow morning": Friday, not tomorrow)
        day_of_cancel = next((d for c in cancelling if (d := self.read(c).day) is not None), None)
        if (
            day_of_cancel is not None
            and targets
            and not _EVERY_RE.search(self.text)
            and not any(
                self.local(b.slot_start).weekday() == day_of_cancel.weekday() for b in targets
            )
        ):
            # "cancel friday's" with nothing booked on a Friday: which one, never another day's
            asked = self.which_one("cancel", targets)
            day = day_of_cancel.strftime("%A %-d %B")
            return asked.model_copy(
                update={"reply": f"I can't find an appointment on {day}. {asked.reply}"}
            )
        if not targets:
            return self.none_for_pets_named("cancel") or _reply(
                Intent.ASK_BOOKING,
                "I can't find an upcoming appointment"
                f"{_for(join(self.subjects))} to cancel. Would you like to book one?",
            )
        if not in_clause and len(named) > 1 and not _EVERY_RE.search(self.text):
            # "Max is fine, Bella's poorly, so please cancel": which one is not said.
            return self.which_one("cancel", targets)
        if self.meant_each(targets, named):
            return self.several(
                [_Plan("cancel", b.subject, _as_utc(b.slot_start), b.service, b) for b in targets]
            )
        if len(targets) > 1:
            return self.which_one("cancel", targets)
        return self.propose_cancel(targets[0])

    def propose_cancel(self, booking: BookingView) -> AgentDecision:
        """The cancellation of ``booking``, read back for a yes."""
        return AgentDecision(
            intent=Intent.PROPOSE_CANCEL,
            proposal=BookingProposal(
                slot_start=_as_utc(booking.slot_start),
                subject=booking.subject,
                service=booking.service,
                booking_id=booking.id,
            ),
            reply=f"I can cancel the appointment{_for(booking.subject)} on "
            f"{self.say(booking.slot_start)}. {self.ask()}"
            if self.voice
            or not (_CANT_COME_RE.search(self.text) or ruled_out_weekdays(self.text))
            or _CANCEL_WORD_RE.search(self.text)
            # "can't make it sorry" asks for nothing yet: cancelling is one way, moving another
            else f"Would you like me to cancel the appointment{_for(booking.subject)} on "
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
        asking = _Turn(self.context.model_copy(update={"message": question}), self.profile)
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
        booking = _Turn(
            self.context.model_copy(update={"message": f"book {request}"}), self.profile
        ).decide()
        if booking.intent not in (Intent.PROPOSE_BOOKING, Intent.PROPOSE_CHANGES, Intent.CLARIFY):
            return None
        return booking.model_copy(update={"reply": f"{looked_up.reply} {booking.reply}"})

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

    def service_change(self) -> AgentDecision | None:
        """A booking's service changed at its own time, without a move word ("can max's checkup
        be a vaccination instead?", "make luna's a dental rather than a checkup"): proposed as
        a move to the same slot as the new service (``change_service``), or which booking asked
        when several could be meant. None when the message asks no booking's service to change,
        a proposal of ours waits (a correction of it is read there), a move is asked
        (``reschedule`` carries the new service with it) or a day or time of another visit is
        said (a new booking)."""
        if not self.upcoming or self.pending is not None or _asks_move(self.text):
            return None
        said = answers.services_changed_to(self.text, self.profile)
        if _CANCEL_RE.search(self.text) or not said:
            return None  # a cancellation asked beside another service is the cancellation
        targets = self.first_booking_said(self.targets())
        if len(targets) > 1:
            targets, _ = self.booked_on_a_day_said(targets)
        changing = [(b, s) for b in targets if (s := self.new_service_of(b)) is not None]
        if not changing and len(targets) == 1 and len(said) == 1:
            own = self.keyed_service(targets[0].service)
            if said[0].key == own.key:  # "can luna's groom be a bath instead": a bath is a groom
                return _reply(
                    Intent.ASK_BOOKING,
                    f"The appointment{_for(targets[0].subject)} on "
                    f"{self.say(targets[0].slot_start)} is already {_a(own.name)}.",
                )
        if not changing:
            return None
        if len(targets) > 1:
            return self.which_one("change", targets)
        booking, service = changing[0]
        booked = self.local(booking.slot_start)
        if (self.when.clock not in (None, booked.time())) or (
            self.when.day not in (None, booked.date())
        ):
            return None
        return self.change_service(booking, service)

    def change_service(self, booking: BookingView, service: Service) -> AgentDecision:
        """``booking`` as ``service`` at its own time: proposed as a move to the same slot when
        the calendar has room for the new length, else why not with the nearest free times for
        it (a choice of one is then a move there as that service)."""
        slot = _as_utc(booking.slot_start)
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
            reply=f"I can change the appointment{_for(booking.subject)} on "
            f"{self.say(slot)} to {_a(service.name)}{price}. {self.ask()}",
        )

    def slot_handed_over(self) -> AgentDecision | None:
        """A pet not booked taking a booked pet's slot ("archie's all better now 🙌 but his
        sister bella has started sneezing - could bella just take his slot on friday
        instead?"): that booking cancelled and the newcomer booked in its place, proposed
        together (the service named, else the booking's). None unless the message hands one
        booking's slot to one pet without a booking."""
        found = _TAKES_SLOT_RE.search(self.text)
        if found is None:
            return None
        booked = {b.subject.lower() for b in self.upcoming}
        newcomers = [s for s in self.subjects if is_name(s) and s.lower() not in booked]
        if len(newcomers) != 1:
            return None
        owner = found["owner"] or found["giver"] or found["replaced"]
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
        freed = held[0]
        named_service = self.profile.find_service(self.text)
        service = named_service.key if named_service is not None else freed.service
        self.keep_services = True
        slot = _as_utc(freed.slot_start)
        return self.several(
            [
                _Plan("cancel", freed.subject, slot, freed.service, freed),
                _Plan("book", newcomers[0], slot, service),
            ]
        )

    def swap(self) -> AgentDecision | None:
        """Two bookings swapped, no day or time said ("could we swap max and luna around?",
        "swap their appointments"): each moved to the other's slot, on one yes. The two are
        the pets named, else the only two bookings there are. None when the message swaps
        nothing, says where to, or does not point at two bookings of different pets."""
        if not _SWAP_RE.search(self.text) or not _asks_move(self.text):
            return None
        # "can max and bella swap times on friday?": the day both are on, said, is no target
        said = self.when
        if said.clock is not None or said.part is not None or said.shift is not None:
            return None
        targets = self.targets()
        if len(targets) != 2:
            targets = self.upcoming if len(self.upcoming) == 2 else []
        if len(targets) != 2 or targets[0].subject.lower() == targets[1].subject.lower():
            return None
        if said.anything and (
            said.day is None or any(self.local(b.slot_start).date() != said.day for b in targets)
        ):
            return None
        first, second = targets
        return self.several(
            [
                _Plan(
                    "reschedule", first.subject, _as_utc(second.slot_start), first.service, first
                ),
                _Plan(
                    "reschedule", second.subject, _as_utc(first.slot_start), second.service, second
                ),
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

    def reschedule(self) -> AgentDecision:
        mixed = (
            self.slot_handed_over() or self.move_and_cancel() or self.move_and_book() or self.swap()
        )
        if mixed is not None:
            return mixed
        references = self.pets_referred_to() | {k.lower() for k in self.kept}
        movers = [s for s in self.subjects if s.lower() not in references]
        targets = self.in_clause_of(
            _MOVE_RE, self.first_booking_said(self.targets(movers if references else None))
        )
        kept = {k.lower() for k in self.kept}
        excepted = self.pets_kept()
        if excepted:
            # "move all but bella to thursday": every other pet's booking, never Bella's
            targets = [b for b in self.upcoming if b.subject.lower() not in excepted]
            self.subjects = [s for s in self.subjects if s.lower() not in excepted]
        targets = [b for b in targets if b.subject.lower() not in kept]  # "max stays"
        reminded = self.reminded_booking()
        if reminded is not None and not movers and len(targets) > 1:
            targets = [reminded]  # "4pm?" answering our reminder: the booking it was about
        if not targets:
            return self.none_for_pets_named("move") or _reply(
                Intent.CLARIFY,
                "I can't find an upcoming appointment to move. Would you like to book one?",
            )
        if self.meant_each(targets, [s for s in self.subjects if is_name(s)]):
            return self.moves_each(targets)
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
        if len(targets) > 1:
            return self.which_one("move", targets)
        booking = targets[0]
        old = When(
            day=self.local(booking.slot_start).date(),
            clock=self.local(booking.slot_start).time(),
        )
        wanted = self.wanted_instead_of(self.local(booking.slot_start))
        reference = next(
            (b for b in self.upcoming if b.subject.lower() in references and b.id != booking.id),
            None,
        )
        if reference is not None and wanted.clock is None:
            # "move the thursday one to friday, same time as bella": Bella's time (and day,
            # unless another is said); "to the same day as bella's": her day, its own time
            there = self.local(reference.slot_start)
            day_only = re.search(r"\bsame\s+day\s+as\b", self.text) is not None
            wanted = replace(
                wanted,
                day=wanted.day or there.date(),
                clock=None if day_only else there.time(),
            )
        if wanted.clock is None and wanted.part is None and _LATEST_RE.search(self.text):
            wanted = replace(wanted, part="evening")  # "to the end of the day": its last times
        if wanted.weekday_clash is not None and wanted.day is None:
            return _reply(Intent.CLARIFY, self.weekday_clash_on_move(wanted, booking))
        changing = self.new_service_of(booking)
        if not (wanted.day or wanted.clock or wanted.part) and _WEEK_SAID_RE.search(self.text):
            # "cancel luna's and rebook for next week": that week's first day with room, its times
            day = self.first_free_day_in_week_said(self.keyed_service(booking.service))
            if day is not None and day != self.local(booking.slot_start).date():
                return self.ask_move_time(booking, When(day=day))
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
            return _reply(
                Intent.CLARIFY,
                f"Sure. When would you like to move the appointment{_for(booking.subject)} on "
                f"{self.say(booking.slot_start)} to?",
            )
        if _names_part_only(wanted):
            return self.ask_move_time(booking, wanted)
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
            sided = self.booking_to_side() if _SIDE_RE.search(self.text) else None
            if sided is not None:
                return sided
            return _reply(
                Intent.CLARIFY,
                f"The appointment{_for(booking.subject)} is already on "
                f"{self.say(booking.slot_start)}. When would you like it instead?",
            )
        return self.book(target, moving=booking)

    def move_and_cancel(self) -> AgentDecision | None:
        """One pet's booking moved and another's cancelled in one message ("can Max go to
        friday at 10 instead, and please cancel Bella's"): both changes proposed together, the
        new time read from the clauses that do not cancel; a pet not booked yet is booked then
        ("cancel Max's one and book Bella in for friday at 3"). None when the message cancels
        no booked pet, or changes none besides."""
        if not _CANCEL_RE.search(self.text):
            return None
        split = _CLAUSE_RE.split(_ANOTHER_ASK_RE.sub(",", self.context.message))
        clauses = [c for c in split if c]
        cancelled: set[str] = set()
        for clause in clauses:
            if _CANCEL_RE.search(normalise(clause)):
                found = self.pets_in(clause, known=self.known, transcript=self.voice)
                cancelled |= {n.lower() for n in found if is_name(n)}
        cancelled = cancelled or {n.lower() for n in self.pet_referred_to(_CANCEL_RE)}
        if not cancelled:
            # "can you cancel tomorrow's and move bella to friday?": the cancelling clause's day
            # says which booking
            days = {
                day
                for clause in clauses
                if _CANCEL_RE.search(normalise(clause))
                and (day := self.read(normalise(clause)).day) is not None
            }
            on_days = [b for b in self.upcoming if self.local(b.slot_start).date() in days]
            if len({b.subject.lower() for b in on_days}) == 1:
                cancelled = {on_days[0].subject.lower()}
        named = [s for s in self.subjects if is_name(s)]
        booked = {b.subject.lower() for b in self.upcoming}
        dropping = [b for b in self.upcoming if b.subject.lower() in cancelled]
        moving = [b for b in self.upcoming if b.subject.lower() in {n.lower() for n in named}]
        moving = [b for b in moving if b.subject.lower() not in cancelled]
        owned = _OWNED_RELATIVE_DAY_RE.search(
            " ".join(normalise(c) for c in clauses if not _CANCEL_RE.search(normalise(c)))
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
        rest = " ".join(c for c in clauses if not _CANCEL_RE.search(normalise(c)))
        # (the day owned names the visit moved, not where to: "tomorrow's to thursday")
        wanted = self.read(_OWNED_RELATIVE_DAY_RE.sub(" ", normalise(rest)))
        # the newcomer's service is the one its own clauses name, not the cancelled one's
        # ("cancel oscar's grooming … and book kiki in for her vaccine")
        asked = (
            self.profile.find_service(normalise(rest))
            or self.service_we_answered()
            or self.profile.service()
        )
        plans: list[_Plan] = []
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
                [_Plan("cancel", freed.subject, _as_utc(freed.slot_start), freed.service, freed)]
                + [_Plan("book", n, _as_utc(freed.slot_start), asked.key) for n in newcomers]
            )
        if newcomers:
            if moving or wanted.day is None or wanted.clock is None:
                return None
            start = wanted.at(self.local_now)
            assert start is not None
            plans += [_Plan("book", n, start.astimezone(UTC), asked.key) for n in newcomers]
        for booking in moving:
            local = self.local(booking.slot_start)
            old = When(day=local.date(), clock=local.time())
            target = merge(wanted.shifted(local), old)
            start = target.at(self.local_now)
            if start is None or (target.day == old.day and target.clock == old.clock):
                return None
            plans.append(
                _Plan(
                    "reschedule", booking.subject, start.astimezone(UTC), booking.service, booking
                )
            )
        plans += [_Plan("cancel", b.subject, _as_utc(b.slot_start), b.service, b) for b in dropping]
        self.keep_services = True  # each plan's service is its own clauses' (``asked``)
        return self.several(plans)

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
        asked = _ANOTHER_ASK_RE.search(self.text) or _JOIN_RE.search(self.text)
        named = [s for s in self.subjects if is_name(s)]
        booked = {b.subject.lower() for b in self.upcoming}
        newcomers = [n for n in named if n.lower() not in booked]
        moving = [b for b in self.upcoming if b.subject.lower() in {n.lower() for n in named}]
        if not newcomers or len(moving) != 1:
            return None
        booking = moving[0]
        local = self.local(booking.slot_start)
        old = When(day=local.date(), clock=local.time())
        clauses = [c for c in _CLAUSE_RE.split(_ANOTHER_ASK_RE.sub(",", self.context.message)) if c]
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
            if (beside := _NEXT_TO_BOOKING_RE.search(" ".join(said_of.get(name, []))))
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
            _Plan("reschedule", booking.subject, start.astimezone(UTC), booking.service, booking)
        ]
        for name in newcomers:
            needs = self.profile.find_service(" ".join(said_of.get(name, [])))
            service = needs or self.service(None)
            if name in own:
                at = merge(own[name], target).at(self.local_now)
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
            plans.append(_Plan("book", name, at.astimezone(UTC), service.key))
        self.keep_services = True  # the moved booking keeps its service ("she needs her jabs")
        return self.several(plans)

    def wanted_instead_of(
        self, booked: datetime, *, said: When | None = None, text: str | None = None
    ) -> When:
        """What the message (or its part ``text``, normalised, read as ``said``) asks for in
        place of ``booked`` (local): "push it back an hour" is the booked time moved by that
        much; in "Bella is booked thursday at 4 but could we do friday at 4 instead?" or
        "something's come up wednesday, can you move both to thursday at 2?" the day the
        booking has now is named first and the one asked for comes after."""
        wanted = (self.when if said is None else said).shifted(booked)
        after = _WEEKDAY_AFTER_RE.search(self.when_text if text is None else text)
        if after is not None and wanted.day is not None and wanted.day <= booked.date():
            # "move rex's second appointment to the friday after": the Friday after that visit
            ahead = (wanted.day.weekday() - booked.date().weekday() - 1) % 7 + 1
            wanted = replace(wanted, day=booked.date() + timedelta(days=ahead))
        if wanted.day == booked.date():
            later = self.when_after_first_day(text)
            if later.day is not None and later.day != booked.date():
                wanted = later
        hours = _FROM_HOUR_TO_HOUR_RE.search(self.when_text if text is None else text)
        if hours is not None:
            # "move max from 3 to 4": read as a range it starts at 3, the booked hour; the move
            # is to the second
            start, end = self.read(f"at {hours['start']}").clock, self.read(f"at {hours['end']}")
            if start == booked.time() and end.clock is not None:
                wanted = replace(wanted, clock=end.clock)
        return wanted

    def moves_each_answered(self) -> AgentDecision | None:
        """A day or time answering our "Which day and time would you like them moved to?"
        ("i need to change our appointments on wednesday" / … / "friday same time"): each of
        the bookings that request meant (the pets it named, on the day it named) moved there.
        None when our last message was not that question, this one says no day or time or
        names a pet, or the request meant fewer than two bookings."""
        history = self.context.history
        if len(history) < 2 or history[-1].direction is not Direction.OUTBOUND:
            return None
        if not history[-1].text.strip().endswith(_MOVED_TO_QUESTION):
            return None
        at = _customer_before_last(history)
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

    def which_one_answered(self) -> AgentDecision | None:
        """A pet's name (or a booking's day) answering our "Which appointment should I move:
        …?" or "Which one should I change: …?", tied back to what the message before it asked
        for ("move our appointment to friday at 11" / "Bella"). None when our last message was
        not that question, or this one names no single booking of it or asks something new."""
        history = self.context.history
        if len(history) < 2 or history[-1].direction is not Direction.OUTBOUND:
            return None
        asked = _WHICH_ONE_RE.match(history[-1].text.strip())
        at = _customer_before_last(history)
        if asked is None or at is None:
            return None
        listed = [b for b in self.upcoming if self.say(b.slot_start) in history[-1].text]
        clock = self.when.clock
        if clock is not None and (
            asked["verb"] != "cancel"
            or sum(self.local(b.slot_start).time() == clock for b in listed) != 1
        ):
            # a time is where to move, unless it points at the one to cancel ("the 11 o'clock")
            return None
        earlier = self.read(normalise(history[at].text))
        # "dumpling's groom, the 11 o'clock. noodle is still coming": Noodle's is kept
        kept = {k.lower() for k in self.kept}
        named = {n.lower() for n in self.subjects if is_name(n)} - kept
        pending = self.pending
        if asked["verb"] is None:  # several changes pending: "no, at 12" / "which one?" / "Bella"
            if pending is None or not pending.changes or not named or self.when.anything:
                return None
            if not any(c.subject.lower() in named for c in pending.changes):
                return None
            self.when = earlier
            return self.correct_several(pending) if earlier.anything else None
        every = not named or named >= {b.subject.lower() for b in listed}
        if len(listed) > 1 and every and _EVERY_RE.search(self.text):
            # "both" / "all of them": every booking our question named
            if asked["verb"] == "cancel":
                plans = [
                    _Plan("cancel", b.subject, _as_utc(b.slot_start), b.service, b) for b in listed
                ]
                return self.several(plans)
            # the request before, read as if said now ("move the tuesday one to wednesday")
            self.text, self.when = normalise(history[at].text), earlier
            return self.moves_each(listed)
        chosen = [b for b in self.upcoming if b.subject.lower() in named]
        if not named and self.when.day is not None:  # "the thursday one"
            chosen = [b for b in self.upcoming if self.local(b.slot_start).date() == self.when.day]
        if not named and clock is not None:  # "the 11 o'clock"
            chosen = [b for b in listed if self.local(b.slot_start).time() == clock]
        if len(chosen) != 1:
            # "the groom": the one of them for that service
            service = self.profile.find_service(_ANY_VISIT_WORDS_RE.sub(" ", self.text))
            pool = chosen or listed
            if service is not None:
                chosen = [b for b in pool if b.service == service.key] or chosen
        if len(chosen) != 1:
            if (
                not self.subjects
                and len(listed) > 1
                and (
                    self.when.anything
                    or _WEEK_SAID_RE.search(self.text)
                    or _WHENEVER_RE.search(self.text)
                    or _NEXT_FREE_RE.search(self.text)
                )
            ):
                # "to next week sometime", "whenever suits": when, but still not which one
                asked_again = self.which_one(asked["verb"], listed)
                asked_again.reply = (
                    f"Sure, but first: {asked_again.reply[0].lower()}{asked_again.reply[1:]}"
                )
                return asked_again
            return None
        booking = chosen[0]
        if asked["verb"] == "cancel":
            return self.propose_cancel(booking)
        local = self.local(booking.slot_start)
        self.when = earlier
        wanted = self.wanted_instead_of(local)
        if wanted.weekday_clash is not None and wanted.day is None:
            return _reply(Intent.CLARIFY, self.weekday_clash_on_move(wanted, booking))
        changing = self.new_service_of(booking, normalise(history[at].text))
        if not (wanted.day or wanted.clock or wanted.part):
            if changing is not None:  # "can we do a dental instead?" / "Which…?" / "Max"
                return self.change_service(booking, changing)
            return _reply(
                Intent.CLARIFY,
                f"Sure. When would you like to move the appointment{_for(booking.subject)} on "
                f"{self.say(booking.slot_start)} to?",
            )
        if _names_part_only(wanted):
            return self.ask_move_time(booking, wanted)
        return self.book(merge(wanted, When(day=local.date(), clock=local.time())), moving=booking)

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
        side = _OTHER_SIDE_RE.search(self.text) if day == local.date() else None
        if side is not None:
            # "any time later that same day": the times after the booked one (before, earlier)
            later = side.group(0) == "later"
            free = [
                s for s in free if (self.local(s) > local if later else self.local(s) < local)
            ] or free
        inside = [s for s in free if _part_of(self.local(s).hour) == wanted.part] or (
            free if wanted.part is None else []
        )
        inside = self.after_lunch(self.early_or_late(inside), wanted.part)
        times = _spread([self.local(s).strftime("%H:%M") for s in inside or free], 4)
        lead = "" if inside else f"I have nothing free in the {wanted.part}. "
        return _reply(
            Intent.CLARIFY,
            f"{lead}What time on {day.strftime('%A %-d %B')} would you like the appointment"
            f"{_for(booking.subject)} moved to? I have {_either(times)}.",
        )

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
        ours = history[-1].text.strip()
        before = history[-3] if len(history) >= 3 else None
        if (
            before is not None
            and before.direction is Direction.OUTBOUND
            and _answered_only(ours)
            and (_MOVE_TIME_RE.search(before.text) or _MOVE_WHEN_RE.match(before.text))
        ):
            # a question answered in between ("will I be charged for moving it?"): the move
            # asked about before it is still the one being arranged
            ours = before.text.strip()
        asked = _MOVE_TIME_RE.search(ours)
        if asked is None:
            return self.move_when_answering_us(ours)
        who = (asked["who"] or "you").lower()
        chosen = [b for b in self.upcoming if b.subject.lower() == who]
        if len(chosen) != 1:
            return None
        day = self.when.day or self.read(normalise(asked["day"])).day
        if self.when.clock is None and (self.when.day or self.when.part):
            # another day or part of it for the same move ("wednesday", "afternoon"): its times
            return self.ask_move_time(chosen[0], replace(self.when, day=day))
        if self.when.clock is None:
            return None
        return self.book(replace(self.when, day=day), moving=chosen[0])

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
        who = (asked["who"] or "").lower()
        chosen = [
            b
            for b in self.upcoming
            if self.say(b.slot_start) == asked["slot"]
            and (not who or b.subject.lower() == who or f"your {b.subject.lower()}" == who)
        ]
        if len(chosen) != 1:
            return None
        booking = chosen[0]
        old = self.local(booking.slot_start)
        if self.when.clock is None and self.when.same_time and self.when.day is not None:
            # "can we do the same time on monday?": the booked time on that day
            return self.book(replace(self.when, clock=old.time()), moving=booking)
        if self.when.clock is None and (
            self.when.day or self.when.part or _WEEK_SAID_RE.search(self.text)
        ):
            # "next tuesday", "next week if possible, an afternoon": that day (that week's first
            # with room), its times for the move; never a new booking beside the old one
            day = self.when.day or self.first_free_day_in_week_said(
                self.keyed_service(booking.service)
            )
            if day is None:
                return None
            return self.ask_move_time(booking, replace(self.when, day=day))
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
        refused = _REFUSED_FOR_RE.match(last.text.strip())
        if last.direction is not Direction.OUTBOUND or refused is None:
            return None
        if not (self.when.day or self.when.clock or self.when.shift):
            return None
        turn = self.request_before_ours()
        if turn is None:
            return None
        turn.replacing = (refused["who"].strip().lower(), self.when)
        decision = turn.decide()
        return decision if decision.intent is Intent.PROPOSE_CHANGES else None

    def booked_after_answer(self) -> AgentDecision | None:
        """ "yes book it" after we answered a question beside a request said as a maybe ("if
        i book basil in … monday the 14th at 5pm and then can't make it, do you charge for
        cancelling?" / the policy / "ok great, yes book it"): that request, read back for a
        yes. None unless the message asks to book without a day, time or pet of its own, our
        last message proposed nothing, and the one before it names a day and a time."""
        history = self.context.history
        if self.pending is not None or not history:
            return None
        if history[-1].direction is not Direction.OUTBOUND or not _BOOK_IT_RE.search(self.text):
            return None
        if self.when.anything or self.subjects or _ASK_YES_RE.search(history[-1].text):
            return None
        turn = self.request_before_ours()
        if turn is None or turn.when.day is None or turn.when.clock is None:
            return None
        decided = turn.book(turn.when)
        return decided if decided.proposal is not None else None

    def request_before_ours(self) -> _Turn | None:
        """The customer's message before our last one, read as the turn it was (with the
        conversation up to it), so that an answer to our question can complete it; None when
        there is no such message."""
        history = self.context.history
        at = _customer_before_last(history)
        if at is None:
            return None
        earlier = self.context.model_copy(
            update={"message": history[at].text, "history": history[:at]}
        )
        return _Turn(earlier, self.profile)

    def move_refused(self) -> BookingView | None:
        """The booking whose move (or change of service) our last message turned down with
        other times ("Sorry, Friday 11 December at 10:00 isn't possible: … I can offer …"),
        read from the customer's message before it; with a change of service asked there,
        that service is kept for the move (``changed_service``). None when our last message
        was no such answer or the message before it moved no one booking."""
        history = self.context.history
        if self.pending is not None or len(history) < 2:
            return None
        last = history[-1]
        if last.direction is not Direction.OUTBOUND or not _OFFERED_INSTEAD_RE.search(last.text):
            return None
        earlier = self.request_before_ours()
        if earlier is None:
            return None
        changing = answers.services_changed_to(earlier.text, self.profile)
        # ("could we make it a bit later, like 12.30?": a change of a booking's time too)
        changed_time = bool(earlier.when.clock or earlier.when.day) and _CHANGE_RE.search(
            earlier.text
        )
        if not (_asks_move(earlier.text) or changing or changed_time):
            return None
        moved = earlier.first_booking_said(earlier.in_clause_of(_MOVE_RE, earlier.targets()))
        if len(moved) != 1:
            return None
        service = earlier.new_service_of(moved[0])
        if service is not None:
            self.changed_service = (moved[0].id, service)
        return moved[0]

    def retry_move(self) -> AgentDecision | None:
        """A time (or day) answering our "Sorry, … isn't possible … I can offer …" to a move:
        that booking moved there ("move max to friday at 10" / "… I can offer … 09:30 …" /
        "9:30"), on the day turned down when none is said. None when our last message was not
        that answer to a move, or this one gives no day or time or asks something else."""
        if not (self.when.clock or self.when.day) or self.when.shift is not None:
            return None
        if _CANCEL_RE.search(self.text) or answers.is_question(self.text):
            return None
        booking = self.move_refused()
        if booking is None:
            return None
        turned_down = self.read(normalise(self.context.history[-1].text))
        day = self.when.day or turned_down.day
        if self.when.clock is None:
            return self.book(When(day=day), moving=booking)
        return self.book(When(day=day, clock=self.when.clock), moving=booking)

    def names_booked_time(self) -> bool:
        """Whether the day and time the message gives are those of an upcoming booking, so they
        say which appointment is meant ("we won't be needing tomorrow's appointment anymore"),
        not a new time for it."""
        when = self.when
        if when.day is None or when.shift is not None or self.when_after_first_day().day:
            return False
        return any(
            self.local(b.slot_start).date() == when.day
            and when.clock in (None, self.local(b.slot_start).time())
            for b in self.upcoming
        )

    def when_after_first_day(self, text: str | None = None) -> When:
        """What the message (or ``text``, normalised) says after the first day it names, and
        the part of the day said with it ("wednesday morning, could he come thursday
        afternoon, 3ish?"); empty when it names one. Of a message of several sentences, the
        one sentence that asks for a move and names two days is read ("… the car is in the
        garage till Wednesday. Long story short, could you move Oscar from thursday to friday
        at 11?"): the other sentences' days are the customer's week."""
        if text is None:
            text = self.text
            moving = [
                said
                for sentence in _SENTENCE_RE.split(self.context.message)
                if _asks_move(said := self.prepared(sentence))
                and len(_DAY_MENTION_RE.findall(said)) >= 2
            ]
            if len(moving) == 1:
                text = moving[0]
        found = _DAY_MENTION_RE.search(text)
        if found is None:
            return When()
        rest = re.sub(r"^\s*(?:morning|afternoon|evening|night)\b", " ", text[found.end() :])
        # "can we do thursday instead of tuesday": the day after is the one turned down
        rest = re.sub(r"^\s*(?:instead\s+of|rather\s+than|not)\s+(?:on\s+)?[a-z]+\b", " ", rest)
        return self.read(rest)

    def corrected_in_message(self) -> When | None:
        """The day and time a message corrects itself to: "thursday at 2 for a check up, no
        sorry 3, no wait actually friday at 3 is better" is Friday 15:00. Each part after a
        correction ("no sorry", "no wait", "sorry I mean", "or rather", "actually") says what
        changes, the rest kept from before it (``merge``; a bare hour is a time). None when
        the message does not correct itself, or its first part names no day or time."""
        parts = _SELF_CORRECTION_RE.split(self.when_text)
        if len(parts) < 2:
            return None
        said = self.read(parts[0])
        if said.day is None and said.clock is None:
            return None
        for part in parts[1:]:
            bare = _BARE_HOUR_FIRST_RE.match(part)
            again = self.read(f"at {bare['hour']}" if bare else part)
            if again.day is not None or again.clock is not None:
                said = merge(again, said)
        return said

    def read(self, text: str, *, default_part: str | None = None) -> When:
        """``read_when`` for this turn: now, and the business's holidays by name
        (``default_part``: a part of the day said elsewhere in the message)."""
        return read_when(
            text, now=self.local_now, holidays=self.holidays, default_part=default_part
        )

    def prepared(self, message: str) -> str:
        """``message`` (or a sentence of it) normalised as the day and time are read from it."""
        if self.kept:
            message, _ = without_pets_kept(message, self.kept, whole=False, known=True)
        # "I'll be in touch to rebook later" puts a booking off: no move, nor a "later" time;
        # "every 3 weeks" says how often, not when (one booking at a time: ``_RECURRING_RE``)
        text = _REBOOK_LATER_RE.sub(" ", normalise(message)).strip()
        text = _HOW_OFTEN_RE.sub(" ", text).strip()
        # "we missed teddy's appointment this morning … later today? after 5": the visit
        # missed, and its day, are not the one asked for (its service word is kept: "jabs")
        text = _MISSED_RE.sub(_visit_word_of, text).strip()
        # "his vaccination records" are papers, not a vaccination asked for
        text = _VACCINATION_PAPERS_RE.sub("", text)
        if self.pet_day is not None:
            # "book Friday in for thursday": Friday is the pet; only thursday is a day (and
            # "can May have her jab": May is no month)
            text = re.sub(rf"\b{self.pet_day.lower()}\b", " ", text, count=1)
        return text

    def asked_beside_absence(self) -> bool:
        """Whether a sentence of its own asks for a day and time while another says when the
        customer is away or busy ("would Friday around 10.30am be possible? I can't do Thursday
        because of work."): the absence is a reason, the question the request."""
        for sentence in _SENTENCE_RE.split(self.context.message):
            text = self.prepared(sentence)
            if not text or _NOT_A_REQUEST_RE.search(text):
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
        for sentence in sentences:
            text = self.prepared(sentence)
            if not (sentence.rstrip().endswith("?") or _ASKING_RE.search(text)):
                continue
            said = self.read(text)
            if said.day is None and said.part is None and whole.part is not None:
                # "Tuesday evening. Can he come at 8?": the day and its part said before are
                # the 8's (but in "Is Friday at 3 free? Otherwise Saturday morning." the
                # morning is Saturday's)
                said = self.read(text, default_part=whole.part)
            if said.day or said.clock or said.past_day or said.weekday_clash:
                asking.append((text, said))
        if len(asking) != 1:
            return None
        text, said = asking[0]
        if said.day in (None, whole.day) and said.clock in (None, whole.clock):
            return None
        if (
            said.day is not None
            and whole.day is not None
            and said.day.isocalendar()[:2] == whole.day.isocalendar()[:2]
            and not _DAY_NAMED_RE.search(text)
        ):
            # "can Bear come back in two weeks …? the wednesday, late afternoon if poss": the
            # other sentence narrows the week asked for to its day, as the whole message says
            return None
        day_said = said.day or said.past_day or said.weekday_clash
        clock = said.clock or whole.clock
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
            _WHAT_TIME_RE.search(ours[-1].text) or _OFFERED_INSTEAD_RE.search(ours[-1].text)
        ):
            return None
        if self.context.history[-1].direction is not Direction.OUTBOUND:
            return None
        bare = _BARE_HOUR_RE.search(self.text)
        return self.read(f"at {bare.group(0)}").clock if bare else None

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

    def day_stepped_from_refused(self) -> date | None:
        """Whole days counted from the day our last message turned down ("Sorry, Friday 1
        January 2027 at 10:00 isn't possible: we're closed on New Year's Day …" / "the day
        before then? same time"): that day moved by them. None otherwise."""
        when = self.when
        if when.day is not None or when.shift is None or when.shift.seconds:
            return None
        day = self.day_refused()
        return day + timedelta(days=when.shift.days) if day is not None else None

    def day_refused(self) -> date | None:
        """The day our last message turned down: "Sorry, Friday 1 January 2027 at 10:00 isn't
        possible: …", or "Sorry, we're closed on Christmas Day. I can offer …" (the day of the
        customer's message it answered); None when it turned none down."""
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        ours = history[-1].text.strip()
        refused = _REFUSED_SLOT_RE.match(ours)
        if refused is not None:
            return self.read(normalise(refused.group(0))).day
        at = _customer_before_last(history)
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
        refused = _REFUSED_SLOT_RE.match(history[-1].text.strip())
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
        named = {s.lower() for s in self.subjects if is_name(s)}
        if self.day_we_asked_time_of() is None:
            # "bella's got her groom on wednesday, can she have another one same day next week?
            # same time as well": the time of the booking of the pet named
            again = (
                _ANOTHER_VISIT_RE.search(self.text)
                or _MISSED_RE.search(normalise(self.context.message))
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
        had = [b for b in theirs if _as_utc(b.slot_start) <= self.now]
        visit = (
            max(had, key=lambda b: _as_utc(b.slot_start))
            if had
            else min(theirs, key=lambda b: _as_utc(b.slot_start), default=None)
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
        days = {self.read(normalise(o["day"])).day for o in _OFFERED_RE.finditer(ours) if o["day"]}
        day = self.read(normalise(ours)).day
        return day if day is not None and days <= {day} else None

    def day_we_asked_time_of(self) -> date | None:
        """The day of our own last message "What time on Wednesday 9 December would you
        like…?" when it is the last turn; None otherwise."""
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        asked = _WHAT_TIME_RE.search(history[-1].text)
        return self.read(normalise(asked.group(0))).day if asked else None

    def first_thing(self) -> time | None:
        """The day's opening time for "first thing Friday" / "first thing in the morning
        tomorrow" (normalised "1st thing"), or answering our "What time on Friday…?" ("first
        thing is best for us"), from the profile's hours; None when the message does not say
        so, names no day, or the business is closed that day."""
        if not _FIRST_THING_RE.search(self.text):
            return None
        day = self.when.day or self.day_we_asked_time_of()
        if day is None:
            return None
        if self.when.part in ("afternoon", "evening"):
            # "the earliest you can do friday afternoon": the first free time of that part
            free = free_slots_on(
                self.profile, self.context.busy, day, self.service(None), now=self.now
            )
            starts = _PART_STARTS[self.when.part]
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

    def pending_when(self, pending: PendingAction) -> When:
        assert pending.slot_start is not None
        local = self.local(pending.slot_start)
        return When(day=local.date(), clock=local.time())

    def correct(self, pending: PendingAction) -> AgentDecision:
        """A new day or time while a proposal is pending ("no make it 5pm instead")."""
        assert pending.slot_start is not None
        local = self.local(pending.slot_start)
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
        if _names_part_only(wanted) and _part_of(local.hour) != wanted.part:
            # "could it be the morning instead?": the proposed time is not carried into another
            # part of the day; that part's free times are offered
            merged = replace(merged, clock=None)
        if pending.kind == "cancel":
            return self.book(self.when)
        moving = None
        if pending.kind == "reschedule" and pending.booking_id:
            moving = next((b for b in self.upcoming if b.id == pending.booking_id), None)
            if moving is not None and pending.service and pending.service != moving.service:
                # the proposal changed the service too ("make it a dental … earlier"): kept
                self.changed_service = (moving.id, self.keyed_service(pending.service))
        subject = pending.subject
        if moving is None and self.renames_pending():
            # "oh wait sorry, it's pebble who needs it, not bertie! same time": Pebble's
            subject = next(s for s in self.subjects if is_name(s))
        decided = (
            self.book(merged, moving=moving)
            if moving is not None
            else self.book(merged, subject=subject, service_key=pending.service)
        )
        refused = decided.intent is Intent.CLARIFY and _REFUSED_SLOT_RE.match(decided.reply)
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

    # -- lookups ----------------------------------------------------------------------------------

    def asks_about_bookings(self) -> bool:
        text = self.text
        if self.free_times_asked():
            return False  # "when can we bring him in?": free times, not a booking
        if self.upcoming and re.search(
            r"\b(?:have\s+(?:i|we)\s+got|do\s+(?:i|we)\s+have|(?:i|we)\s+have|(?:i've|we've)\s+got)"
            r"\s+anything\s+(?:on|booked|for|this|next|tomorrow|today|coming)\b",
            text,
        ):
            return True  # "have I got anything on friday?": what is booked then
        if (
            self.upcoming
            and re.search(
                r"\bwhat\s+(?:have|'ve|do)\s+(?:i|we)\s+(?:got|have)\s+(?:on\s+|booked\s+|coming\s+up\s+)?"
                r"(?:this|next|tomorrow|today|on|booked|coming|for)\b"
                r"|\bwhat(?:'s|\s+is)\s+(?:on|booked)\s+(?:this|next|for)\b",
                text,
            )
            and not _FREE_TIMES_ASKED_RE.search(text)
        ):
            return True  # "what have we got this week?": our bookings, not the free times
        if self.upcoming and re.search(
            r"\bwhat(?:'s|\s+is)\s+(?:left|still\s+(?:booked|on))\b|\bwhat\s+(?:have\s+)?(?:i|we)\s+(?:got\s+)?left\b",
            text,
        ):
            return True  # "ok so what's left on my account now?" after a cancellation
        if self.upcoming and _BOOKING_CHECKED_RE.search(text):
            return True  # "my appointment is at 3 right?", "max is at 3 on thursday isn't he"
        asked = _PET_BOOKED_ASKED_RE.search(text)
        who = asked["who"] or asked["who2"] if asked is not None else None
        if who in {b.subject.lower() for b in self.upcoming} and not _MAKE_ONE_RE.search(text):
            return True  # "is max booked in this week?", "does bella have anything on friday?"
        if self.booked_visit_asked():
            return True  # "what time is max tomorrow?", "is it tomorrow at 11 or 11.30?"
        if self.when.clock is not None:
            # "did I book max for 2 or 3?", "was it at 10?": the times are what is asked about
            checked = re.search(r"\bdid\s+(?:i|we)\s+(?:book|say|put)\b|\bwas\s+it\b", text)
            return (
                bool(checked)
                and bool(self.upcoming)
                and not _MAKE_ONE_RE.search(
                    re.sub(r"\bdid\s+(?:i|we)\s+(?:just\s+)?book\b", " ", text)
                )
            )
        if re.search(
            r"\b(?:(?:do|did)\s+(?:i|we)\s+have|have\s+(?:i|we)\s+got|(?:i|we)\s+have)\s+"
            r"(?:an?\s+|any\s+)?(?:appointments?|bookings?)\b(?!\s+(?:for|to)\s+(?:book|make))",
            text,
        ) and not _MAKE_ONE_RE.search(text):
            return True
        if re.search(r"\bwhat\s+(?:am|are)\s+(?:i|we)\s+(?:down|booked\s+in)\s+for\b", text):
            return True  # "what am I down for?"
        if _NO_CONFIRMATION_RE.search(text):
            return True  # "I booked online but didn't get a confirmation": what is booked
        if _BOOKED_FOR_WHAT_RE.search(text) and self.upcoming:
            return True  # "what's bella's appointment for again?"
        if _WHAT_BOOKED_RE.search(text):
            return True  # "what appointments have we got with you at the moment?"
        if self.upcoming and _ON_FILE_RE.search(text):
            return True  # "what's on file for bella?"
        if _ARRIVE_RE.search(text) and self.upcoming:
            return True  # "what time should we arrive on thursday?": the booking's time
        if _WHO_WITH_RE.search(text) and not _MAKE_ONE_RE.search(text):
            return True
        if _THEIR_NEXT_RE.search(text) and not _MAKE_ONE_RE.search(text):
            return True
        booked = {b.subject.lower() for b in self.upcoming}
        for_pet = _NEXT_FOR_RE.search(text)
        if for_pet is not None and not _MAKE_ONE_RE.search(text) and for_pet["who"] in booked:
            return True
        if not _LOOKUP_RE.search(text) and not re.search(r"\btime\b.*\bmy\s+appointment", text):
            return False
        if _FREE_TIMES_ASKED_RE.search(text) and not _BOOKED_IN_RE.search(text):
            # "what times have you got on saturday …? how much is it?": free times (but "what
            # time have you got us booked in for?" asks the booking's)
            return False
        return (
            bool(_ABOUT_BOOKING_RE.search(text) or _BOOKED_IN_RE.search(text))
            or len(text.split()) <= 3
            or (self.names_booked_service(text) and not _MAKE_ONE_RE.search(text))
        )

    def last_visit_asked(self) -> AgentDecision | None:
        """When a pet was last seen, asked ("when was max last in?", "when did we last bring
        her?"): the latest confirmed visit before now on record, of the pet named (each pet's
        when several are named or none); with the next visit when that is asked too ("when is
        max next in and when was he last seen?"). None for any other message."""
        if not _LAST_VISIT_ASKED_RE.search(self.text) or self.pending is not None:
            return None
        past = [
            b
            for b in self.context.bookings
            if b.status == "confirmed" and _as_utc(b.slot_start) <= self.now
        ]
        named = {s.lower() for s in self.subjects if is_name(s)}
        asked = _LAST_VISIT_ASKED_RE.search(self.text)
        who_asked = asked["who"] if asked is not None else None
        if who_asked and who_asked not in _NOT_A_PET_ASKED:
            named.add(who_asked)  # "when was luna last seen" (lower case: no capital to go by)
        pets = list(
            dict.fromkeys(b.subject for b in past if not named or b.subject.lower() in named)
        )
        parts: list[str] = []
        for pet in pets:
            last = max((b for b in past if b.subject == pet), key=lambda b: _as_utc(b.slot_start))
            service = self.keyed_service(last.service).name
            who = pet if is_name(pet) else "You"
            parts.append(f"{who} was last in on {self.say(last.slot_start)} ({_a(service)}).")
        if not parts:
            who = join(sorted(n.title() for n in named)) or "you"
            parts.append(
                f"I can't see an earlier visit for {who} in our records here; the team can "
                "check older records at the clinic."
            )
        if re.search(r"\bnext\s+(?:in|due|visit|appointment|seen)\b", self.text) and self.upcoming:
            looked_up = self.lookup()
            if looked_up.proposal is None:
                parts.append(looked_up.reply)
        return _reply(Intent.ASK_BOOKING, " ".join(parts))

    def booked_visit_asked(self) -> bool:
        """Whether the message asks when a booked visit is, naming the pet or "it" and at most
        the visit's own day: "what time is max tomorrow?", "is max tomorrow or wednesday?",
        "what time do i need to bring max tomorrow", "is it tomorrow at 11 or 11.30?". A day on
        which the pet has no booking, or a request word ("can max come tomorrow?", "book"),
        is a time wanted, not this."""
        text = _NEED_TO_BE_THERE_RE.sub(" ", self.text)
        if not self.upcoming or not _VISIT_ASKED_RE.search(text):
            return False
        if _MAKE_ONE_RE.search(text) or _FREE_OR_REQUEST_RE.search(text):
            return False
        named = [
            b for b in self.upcoming if re.search(rf"\b{re.escape(b.subject.lower())}\b", text)
        ]
        if not named and re.search(r"\b(?:it|he|she|they|we|i)\b", text):
            named = self.upcoming
        if not named:
            return False
        day = self.when.day
        return day is None or any(self.local(b.slot_start).date() == day for b in named)

    def names_booked_service(self, text: str) -> bool:
        """Whether ``text`` names a booked pet's service by its possessive ("when is ollie's
        jab", "is bella's groom this week or next"): a booking of theirs, asked about."""
        booked = {b.subject.lower() for b in self.upcoming}
        for found in _POSSESSIVE_THING_RE.finditer(text):
            # ("what time is bella's thing on friday": any word for it)
            thing = found["thing"] in {"thing", "one", "slot", "appt", "time", "do"}
            if found["who"] in booked and (thing or self.profile.find_service(found["thing"])):
                return True
        return False

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
            offered = [m for m in _OFFERED_RE.finditer(ours) if m["day"]]
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

    def book_earlier_offer(self, offer: tuple[When, str, str | None, Channel]) -> AgentDecision:
        """The slot of ``earlier_offer`` proposed again for a yes, saying it is not booked yet
        and where it was talked about."""
        when, pets, service, channel = offer
        decision = self.book(
            when, subject=join(self.named_pets()) or pets or None, service_key=service
        )
        if decision.proposal is not None:
            where = "on the phone" if channel is Channel.VOICE and not self.voice else "earlier"
            talked = f"{self.say(decision.proposal.slot_start)}{_for(decision.proposal.subject)}"
            decision.reply = (
                f"We talked about {talked} {where}, but it isn't booked yet. {decision.reply}"
            )
        return decision

    def question_about_booking(self) -> AgentDecision | None:
        """A question about a booking already made: what it costs, how long it takes, which vet
        ("how much is Rocky's appointment on thursday going to cost me?", "how long will Daisy's
        grooming take on saturday?", "will Luna see the same vet as last time?"): answered for
        that booking's service, with the booking said; nothing new is proposed. None when
        something is pending, the message asks none of these, books, moves or cancels, or
        points at no single upcoming booking (by a booked pet, or "my appointment", and the
        day and time said)."""
        text = self.text
        vet = _VET_ASKED_RE.search(text) is not None
        if self.pending is not None or not (vet or answers.asks_price_or_length(text)):
            return None
        if _BOOK_MORE_RE.search(text) or _asks_move(text) or _CANCEL_RE.search(text):
            return None
        booked = {b.subject.lower() for b in self.upcoming}
        named = [s for s in self.subjects if is_name(s)]
        if any(n.lower() not in booked for n in named):
            return None  # a pet without a booking: a new one is being priced or asked for
        targets = self.targets(named) if named else self.upcoming
        if not named and not _ABOUT_BOOKING_RE.search(text):
            # "is that with the groomer or the vet?" just after "Done: …": that booking
            just = self.booking_just_done() if vet else None  # (a price: ``answer``'s)
            if just is None or not re.search(r"\b(?:that|it|this)\b", text):
                return None
            targets = [just]
        if self.when.day is not None:
            targets = [b for b in targets if self.local(b.slot_start).date() == self.when.day]
        if self.when.clock is not None:
            targets = [b for b in targets if self.local(b.slot_start).time() == self.when.clock]
        if len(targets) != 1:
            return None
        booking = targets[0]
        parts = [_NO_VET_NAMED] if vet else []
        if answers.asks_price_or_length(text):
            said = answers.answer(text, self.profile, service=self.keyed_service(booking.service))
            if said is not None:
                parts.append(said)
        parts.append(
            f"Your appointment{_for(booking.subject)} is on {self.say(booking.slot_start)}."
        )
        return _reply(Intent.ASK_BOOKING, " ".join(parts))

    def lookup(self) -> AgentDecision:
        """Say the upcoming bookings (the named pet's, when one is named) and any live proposal,
        flagged as not confirmed."""
        upcoming = self.targets() or self.upcoming
        only = re.search(r"\b(?:just|only)\s+([a-z][a-z-]+)(?:'s)?\b", self.text)
        one = only[1] if only is not None else None
        names = [s.lower() for s in self.subjects if is_name(s)]
        if one in {"him", "her", "his", "hers"} and names:
            one = names[0]  # "what's rocky got booked? just him, i know when daisy's is"
        if one is not None and any(b.subject.lower() == one for b in upcoming):
            # "what has bella got booked? just bella, i know when max's is"
            upcoming = [b for b in upcoming if b.subject.lower() == one]
        if self.when.day is None:
            # "what have we got this week?": that week's bookings, when it holds any
            upcoming = self.in_week_said(upcoming) or upcoming
        if len({b.subject for b in upcoming}) == 1 and _NEXT_ONE_RE.search(self.text):
            upcoming = upcoming[:1]  # "when's max next in?": the first of that pet's bookings
        nothing_then = ""
        if self.when.day is None and self.when.shift is not None and len(upcoming) == 1:
            # "and the one 3 weeks after that, is that booked too?": that day, from the booking
            self.when = self.when.shifted(self.local(upcoming[0].slot_start))
        if (
            self.when.day is not None
            and upcoming
            and not any(self.local(b.slot_start).date() == self.when.day for b in upcoming)
        ):
            # "have I got an appointment tomorrow?": not then, and what there is
            nothing_then = f"Nothing is booked on {self.when.day.strftime('%A %-d %B')}. "
        named = {s.lower() for s in self.subjects} & {b.subject.lower() for b in upcoming}
        if self.when.day is not None and len(upcoming) > 1 and len(named) > 1:
            # "what time is kiwi's jab on saturday? and is max thursday or friday": each pet
            # asked about, that day's where the pet has one on it
            upcoming = [
                b
                for b in upcoming
                if self.local(b.slot_start).date() == self.when.day
                or not any(
                    o.subject.lower() == b.subject.lower()
                    and self.local(o.slot_start).date() == self.when.day
                    for o in upcoming
                )
            ]
        elif self.when.day is not None and len(upcoming) > 1:
            # "am I still on for thurs?": that day's, when there is one on it
            on_day = [b for b in upcoming if self.local(b.slot_start).date() == self.when.day]
            upcoming = on_day or upcoming
        parts: list[str] = []
        if len(upcoming) == 1:
            b = upcoming[0]
            what = ""
            # "is bella in for her nails or a full check up?": the service said, asked
            asked = _BOOKED_FOR_WHAT_RE.search(self.text) or answers.services_named(
                self.text, self.profile
            )
            if asked:
                what = f" ({self.keyed_service(b.service).name})"
            parts.append(f"Your appointment{_for(b.subject)}{what} is on {self.say(b.slot_start)}.")
            if _PICK_UP_RE.search(self.text):
                # "… and roughly when can i pick her up after?": when the visit ends
                length = self.keyed_service(b.service).duration_minutes
                ends = self.local(b.slot_start) + timedelta(minutes=length)
                parts.append(
                    f"It takes about {length} minutes, so you can pick "
                    f"{b.subject if is_name(b.subject) else 'them'} up from about {ends:%H:%M}."
                )
        elif upcoming:
            listed = "; ".join(
                f"{b.subject if is_name(b.subject) or b.subject.startswith('your ') else 'one'}"
                f" on {self.say(b.slot_start)}"
                for b in upcoming[:5]
            )
            parts.append(f"You have {len(upcoming)} appointments coming up: {listed}.")
        booked = {b.subject.lower() for b in self.upcoming}
        unbooked = [n for n in self.subjects if is_name(n) and n.lower() not in booked]
        if parts and unbooked:
            # "can't remember if i did kiwi as well as mango": Kiwi's is not there either
            parts.append(f"Nothing is booked for {join(unbooked)}.")
        pending = self.pending
        if pending is not None and pending.changes:
            parts.append(f"Nothing is confirmed yet: {self.restate(pending)}")
        elif pending is not None and pending.slot_start is not None and pending.kind == "book":
            parts.append(
                f"{self.say(pending.slot_start)}{_for(pending.subject)} is not confirmed yet. "
                "Shall I confirm it?"
            )
        if not parts:
            offer = self.earlier_offer()
            if offer is not None:
                # "what time did we say on the phone?": the time talked about, not booked yet
                return self.book_earlier_offer(offer)
            parts.append("I can't find an upcoming appointment. Would you like to book one?")
        elif _WHO_WITH_RE.search(self.text):
            parts.append(
                "Our bookings don't name a vet, so I can't say who you'll see; the team can tell "
                "you at the clinic."
            )
        return _reply(Intent.ASK_BOOKING, nothing_then + " ".join(parts))

    # -- new bookings -----------------------------------------------------------------------------

    def wants_slot(self) -> bool:
        """Whether a day or time in this message asks for an appointment."""
        when = self.when
        if not (when.day or when.clock or when.past_day or when.weekday_clash):
            if (
                self.last_visit() is not None
                and not answers.is_question(self.text)
                and not _NOT_A_REQUEST_RE.search(self.text)
            ):
                return True  # "the usual for max please": the day is asked
            # "bella any morning next week", "any evening this week for max?": a part of the
            # day in a week named, asked for (not "are you open any evening this week?")
            return bool(
                (
                    when.part is not None
                    or _WHENEVER_RE.search(self.text)
                    or _FREE_TIMES_ASKED_RE.search(self.text)  # "what times have you got …"
                )
                and _WEEK_SAID_RE.search(self.text)
                and (self.subjects or not answers.is_question(self.text))
                and not _NOT_A_REQUEST_RE.search(self.text)
                and not self.asks_about_own_booking()
            )
        if (
            _NOT_A_REQUEST_RE.search(_STAFF_WORKING_RE.sub(" ", self.text))
            and not self.asked_beside_absence()
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
            and not _REQUEST_RE.search(_WHAT_TO_BRING_RE.sub(" ", self.text))
            and not _FREE_TIMES_ASKED_RE.search(self.text)
            # a pet named with an hours question asks nothing for it yet ("are you open on
            # Christmas Day? … sky has had a bit of a cough")
            and (not any(is_name(s) for s in self.subjects) or answers.about_hours(self.text))
        ):
            # "how much is a checkup, are you open saturday afternoon?", "if she gets worse
            # tonight who do I call?": a question about the business that names a day (and a
            # service), not a request for it.
            return False
        if _BOOKING_WORD_RE.search(self.text) or self.profile.find_service(self.text):
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
        history = self.context.history
        if (
            when.clock is not None
            and history
            and history[-1].direction is Direction.OUTBOUND
            and _OFFERED_INSTEAD_RE.search(history[-1].text)
        ):
            return True  # "ok 10.30 then" answering "… isn't possible … I can offer …"

        if when.day is not None and (_LATEST_RE.search(self.text) or self.first_thing()):
            return True  # "end of day tomorrow?", "first thing friday?"
        if when.day is not None and _WHAT_ABOUT_RE.match(self.text):
            return True  # "what about the 25th?": a day offered for a visit
        if when.day is not None and _FREE_TIMES_ASKED_RE.search(self.text):
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
        return bool(_WHAT_IF_RE.search(asked)) and not _BOOKING_WORD_RE.search(asked)

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
            not _ON_THE_WAY_RE.search(text)
            or self.when.anything
            or _asks_move(text)
            or _CANCEL_RE.search(text)
            or re.search(r"\b(?:book|move|change|reschedule|instead|push)\b", text)
            or answers.is_question(text)
        ):
            return None
        theirs = self.upcoming_of_pets_named()
        today = self.local_now.date()
        if not theirs or any(self.local(b.slot_start).date() == today for b in theirs):
            return _reply(Intent.OTHER, "Thanks for letting us know, see you soon!")
        booking = theirs[0]
        return _reply(
            Intent.ASK_BOOKING,
            f"Thanks for letting us know. Just to check: the appointment{_for(booking.subject)} "
            f"is on {self.say(booking.slot_start)}, not today.",
        )

    def unwell_only(self) -> AgentDecision | None:
        """A pet said to be unwell, nothing asked for ("max has stopped eating", "my cat is
        vomiting what should I do"): no advice invented, and a visit offered. On WhatsApp the
        first free time is proposed for a yes (or any other day and time); on a call, where a
        misheard line must not become a booking, the caller is asked. None for any other
        message."""
        if not _SYMPTOM_RE.search(self.text) or self.when.anything or self.pending is not None:
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
            return _reply(
                Intent.CLARIFY,
                f"{opening}Would you like to bring {who} in? Which day and time would suit you?",
            )
        service = self.service(None)
        first = self.first_free_time(When(), service)
        if first.day is None:
            return _reply(Intent.CLARIFY, f"{opening}Which day and time would suit you?")
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
        missed = _MISSED_RE.search(said)
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
            return _reply(
                Intent.ASK_BOOKING,
                f"Just to check: the appointment{_for(booking.subject)} is on "
                f"{self.say(booking.slot_start)}. See you then!",
            )
        return _reply(Intent.OTHER, f"See you on {self.say(meant[0].slot_start)}!")

    def along_to_booking(self) -> AgentDecision | None:
        """Another pet brought along to a pet's booking ("can I bring both dogs to max's
        appointment"): a booking for the others at that booking's time, proposed for a yes
        (the calendar's alternatives when it is full). The others are the pets named but the
        one booked, or, for "both" / "the other one", the customer's one other pet on record.
        None for any other message, when the pet named has no upcoming booking, or the others
        cannot be told."""
        found = _ALONG_TO_RE.search(self.text)
        if found is None or _asks_move(self.text) or _CANCEL_RE.search(self.text):
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
            return _reply(
                Intent.ASK_BOOKING,
                "Of course, they're welcome to come along. The appointment"
                f"{_for(hosting[0].subject)} is on {self.say(hosting[0].slot_start)}.",
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
            or _asks_move(text)
            or _CANCEL_RE.search(text)
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
            return _reply(
                Intent.ASK_BOOKING,
                f"That's fine. Just to check: the appointment{_for(booking.subject)} is on "
                f"{self.say(booking.slot_start)}, not {self.when.day.strftime('%A %-d %B')}.",
            )
        booking = (on_day or theirs)[0]
        who = _for(booking.subject)
        return _reply(
            Intent.ASK_BOOKING,
            "Yes, of course, that's fine: come in when it suits you and we'll see you as soon as "
            f"we can. The appointment{who} is on {self.say(booking.slot_start)}.",
        )

    def news_only(self) -> bool:
        """Thanks with news of the pet in the past tense, asking nothing ("she ate all her
        breakfast at 8 this morning and was chasing the cat at 3pm yesterday, so thank you
        all"): the days, times and services in it are the news, not a request."""
        return bool(
            _THANKS_RE.search(self.text)
            and _PAST_NEWS_RE.search(self.text)
            and not _POLITE_ASK_RE.search(self.text)
            and not answers.is_question(self.text)
            and not _REQUEST_RE.search(self.text)
        )

    def booking_talk(self) -> bool:
        """A booking word, or one of our questions about a day or time, in the last turns."""
        for turn in self.context.history[-_CONTEXT_TURNS:]:
            said = normalise(turn.text)
            if _BOOKING_WORD_RE.search(said) or re.search(r"\bwhat\s+time\b|\bwhich\s+day\b", said):
                return True
        return False

    def subjects_from_history(self) -> list[str]:
        """Who the customer's last messages were about ("Max needs a checkup" / "thursday
        10am"), while they are still talking about a booking."""
        # "could he come monday?" a few turns after Max's cancellation: he is the pet talked
        # about last, further back than a request's usual reach, not the only pet on record
        pronoun = re.search(r"\b(?:he|she|him|her|his|they|them)\b", self.text)
        reach = _CONTEXT_TURNS * 3 if pronoun else _CONTEXT_TURNS
        for turn in reversed(self.context.history[-reach:]):
            if turn.direction is not Direction.INBOUND:
                continue
            found = self.pets_in(turn.text, known=self.known, transcript=self.voice)
            if found:
                return found
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
            return _reply(
                Intent.CLARIFY,
                f"Which of your pets is that for: {_either(named[:4])}, or another one?",
            )
        if self.voice:
            return _reply(Intent.CLARIFY, _WHO_FOR)
        return None

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
            ours.endswith(_PET_NAME_ASKED)
            or asks_name(ours)
            or bool(
                re.search(
                    r"\bfor your (?:dog|cat|puppy|kitten|rabbit|hamster|pet)\? I have\b", ours
                )
            )
        )
        if not ours.startswith("Which of your pets is that for:") and not who_for:
            return None
        # a name as the CRM spells it, else one said alone ("Rex, my dog"); to "who is it
        # for?" an animal is an answer too ("my dog")
        answer = name_answer(self.text)
        names = [s for s in self.subjects if is_name(s)] or ([answer] if answer else [])
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
        if len(names) != 1 or self.when.anything:
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
            return _reply(Intent.CLARIFY, f"Of course. {_PET_NAME_ASKED}")
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

    def each_service(self) -> AgentDecision | None:
        """Several services asked for one pet in one message ("vaccination and a nail trim for
        Max thursday at 10"): an appointment for each, back to back from the time said, in the
        order said, proposed together; none is dropped. None when the message names fewer than
        two services, several pets, or no day and time (then the day or time is asked)."""
        services = self.services_asked()
        when = self.when
        if when.day is None and when.clock is not None:
            when = merge(when, self.day_from_history())  # "10am" answering "What time on Friday…"
        if len(services) < 2 or when.day is None or when.clock is None:
            return None
        pets = self.requested_pets()
        if len(pets) > 1:
            return None
        start = when.at(self.local_now)
        assert start is not None
        first = self.book(when, subject=join(pets) or None, service_key=services[0].key)
        if first.proposal is None:
            return first  # the first time cannot be had (or which pet is asked): said why
        subject = first.proposal.subject
        plans: list[_Plan] = []
        for service in services:
            plans.append(_Plan("book", subject, start.astimezone(UTC), service.key))
            start += timedelta(minutes=service.duration_minutes)
        self.keep_services = True
        decision = self.several(plans)
        if decision.intent is Intent.PROPOSE_CHANGES:
            said = [
                f"a {s.name} at {self.local(p.slot).strftime('%H:%M')}"
                for s, p in zip(services, plans, strict=True)
            ]
            day = self.local(plans[0].slot).strftime("%A %-d %B")
            who = _for(subject).removeprefix(" for ") or "you"
            decision.reply = f"I can book {who} in on {day}: {_listed(said)}. {self.ask()}"
        return decision

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
            _Plan(
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
        services = answers.services_listed(self.request_text(), self.profile)
        if services or self.pending is not None:
            return services
        history = self.context.history
        if (
            len(history) >= 2
            and history[-1].direction is Direction.OUTBOUND
            and history[-2].direction is Direction.INBOUND
            and _ASKED_WHEN_RE.search(history[-1].text)
        ):
            return answers.services_listed(normalise(history[-2].text), self.profile)
        return services

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
            had = [b for b in theirs if _as_utc(b.slot_start) <= self.now]
            if had:
                return max(had, key=lambda b: _as_utc(b.slot_start))
            return min(theirs, key=lambda b: _as_utc(b.slot_start), default=None)
        if not _USUAL_RE.search(self.text):
            return None
        past = [
            b
            for b in self.context.bookings
            if b.status == "confirmed"
            and _as_utc(b.slot_start) <= self.now
            and (not named or b.subject.lower() in named)
        ]
        return max(past, key=lambda b: _as_utc(b.slot_start), default=None)

    def both_pets(self) -> list[str] | None:
        """The customer's two pets on record, when the message speaks of them as "both of
        them", "the two of them", "both my dogs" without their names ("both of them need
        boosters, any time next tuesday"); None otherwise."""
        if not _BOTH_OF_THEM_RE.search(self.text):
            return None
        # as ``only_pet`` counts them: the pets of confirmed bookings, by their first booking
        confirmed = sorted(
            (b for b in self.context.bookings if b.status == "confirmed"),
            key=lambda b: _as_utc(b.slot_start),
        )
        pets = list(dict.fromkeys(b.subject for b in confirmed))
        named = [p for p in pets if is_name(p)]
        return named if len(named) == 2 and len(pets) == 2 else None

    def only_pet(self) -> str | None:
        """The one pet the CRM knows for this customer, when the message speaks of it as "she"
        or "him" without a name ("the vet said she should come back"); None otherwise."""
        if not re.search(r"\b(?:she|he|her|him|his)\b", self.text):
            return None
        pets = {b.subject for b in self.context.bookings if b.status == "confirmed"}
        named = [p for p in pets if is_name(p)]
        return named[0] if len(named) == 1 and len(pets) == 1 else None

    def clock_we_asked_about(self) -> time | None:
        """The time of our own last question "Which day would you like at 11:30?", if that
        was the last thing we said: the day the customer answers goes with it."""
        ours = [
            t for t in self.context.history[-_CONTEXT_TURNS:] if t.direction is Direction.OUTBOUND
        ]
        if not ours:
            return None
        found = _DAY_AT_RE.search(ours[-1].text)
        return time(int(found.group(1)), int(found.group(2))) if found else None

    def day_from_history(self) -> When:
        """The day last mentioned in the conversation ("book friday" / "at 3pm"): any day the
        customer named, or a date we wrote out ("Friday 11 December"); not the "today" of our
        own "How can I help you today?"."""
        for turn in reversed(self.context.history[-_CONTEXT_TURNS:]):
            text = normalise(turn.text)
            if turn.direction is Direction.OUTBOUND and not _WRITTEN_DATE_RE.search(text):
                continue
            said = self.read(text)
            if said.day is not None:
                return When(day=said.day)
        return When()

    def book(
        self,
        when: When,
        *,
        moving: BookingView | None = None,
        subject: str | None = None,
        service_key: str | None = None,
        exact: bool = False,
    ) -> AgentDecision:
        """Propose a slot the calendar can take, or say why not with the nearest free times, or
        ask for the missing day or time. ``exact``: ``service_key`` is the service, whatever
        else the message names."""
        visit = self.last_visit() if moving is None else None
        subject = (
            subject
            or (moving.subject if moving else None)
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
        if moving is None and self.which_pet_needed(subject):
            pets = [k for k in self.known if k.lower() not in self.business_words]
            return _reply(
                Intent.CLARIFY,
                f"Which of your pets is that for: {_either(pets[:4])}, or another one?",
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
            return _reply(
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
            return _reply(Intent.CLARIFY, self.weekday_clash_question(when))
        if when.day is None and when.clock is not None:
            when = merge(when, self.day_from_history())
        if when.day is None:
            # "what have you got next week for a cat?": that week's first day with room
            week_day = self.first_free_day_in_week_said(service)
            if week_day is not None:
                when = replace(when, day=week_day)
        if when.day is None and _NEXT_FREE_RE.search(self.text):
            # "next available for a nail clip please": the first free time for that service,
            # put to the customer for a yes (in the part of the day said: its times are listed)
            when = self.first_free_time(when, service)
        if when.day is None and when.clock is None and moving is None:
            offer = self.earlier_offer() if _REFERS_BACK_RE.search(self.text) else None
            if offer is not None:
                # "the time we talked about on the phone is fine, please book Milo in"
                when, service = offer[0], self.service(offer[2])
        if when.day is None:
            if when.clock is not None:
                return _reply(Intent.CLARIFY, _DAY_AT.format(when.clock.strftime("%H:%M")))
            too_far = self.month_past_horizon()
            if too_far is not None:
                return _reply(Intent.CLARIFY, too_far)
            return _reply(
                Intent.CLARIFY,
                f"{self.clash_said() or 'Sure.'} Which day and time would you like{_for(subject)}?",
            )
        # On a call "the fourth" may be a mishearing ("Friday" heard as "the fourth"): a far
        # day of the month is asked about first, with or without a time, and holds no proposal,
        # so one yes cannot book a day the caller never said; a yes then reads the booking back
        # (``day_check_answered``) for a second yes.
        if when.far_day_number and self.voice and when.day != self.day_checked:
            day = when.day.strftime("%A %-d %B")
            return _reply(
                Intent.CLARIFY, f"Just to check: did you mean {day}? Which day would you like?"
            )
        if when.clock is None and visit is not None and _LAST_VISITS_TIME_RE.search(self.text):
            # "the usual on friday? same time as last time": the last visit's time that day
            when = replace(when, clock=self.local(visit.slot_start).time())
        latest = _THE_LATEST_RE.search(self.text)
        if when.clock is None and when.part is None and when.day is not None and latest:
            # "what's the latest you can fit Teddy in on friday for a groom?": the last start
            # that day at which the service still ends by closing
            free = free_slots_on(
                self.profile,
                self.context.busy,
                when.day,
                service,
                now=self.now,
                ignore_booking=moving.id if moving else None,
            )
            if free:
                when = replace(when, clock=self.local(free[-1]).time())
        before = _BEFORE_RE.search(self.text)
        if (
            before is not None
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
        if moving is not None and slot == _as_utc(moving.slot_start):
            # a move to where it already is ("this thursday" said of this Thursday's booking)
            return _reply(
                Intent.CLARIFY,
                f"The appointment{_for(subject)} is already on {self.say(moving.slot_start)}. "
                "When would you like it instead?",
            )
        ignore = moving.id if moving else None
        check = check_slot(
            self.profile, self.context.busy, slot, service, now=self.now, ignore_booking=ignore
        )
        if not check.free:
            return self.offer_instead(slot, service, check, ignore)
        if moving is None and _NOT_BOOKING_YET_RE.search(self.text):
            # "is friday at 11 free? not booking yet, just need to check with work first":
            # whether it is free, and nothing held for a yes
            return _reply(
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
                reply=f"I can move the appointment{_for(subject)} from "
                f"{self.say(moving.slot_start)} to {self.say(slot)}"
                f"{f', as {_a(service.name)}' if as_new else ''}. {self.ask()}",
            )
        return AgentDecision(
            intent=Intent.PROPOSE_BOOKING,
            proposal=proposal,
            reply=f"I can book {self.say(slot)}{_for(subject)}{what}. {self.ask()}",
        )

    def booked_slot_checked(self, slot: datetime, subject: str) -> AgentDecision | None:
        """A booking said back to be checked ("hey just confirming luna thursday 9am 👍",
        "thursday 9 still ok? 🙂"): yes, it is booked, nothing proposed. None unless the
        message checks and exactly one upcoming booking (of the pet named, if one is) starts
        at ``slot`` (UTC)."""
        if not _CHECKING_RE.search(self.text) or _MAKE_ONE_RE.search(self.text):
            return None  # "just checking, can I book thursday at 9?" asks for another
        named = subject.lower() if is_name(subject) else None
        there = [
            b
            for b in self.upcoming
            if _as_utc(b.slot_start) == slot and (named is None or b.subject.lower() == named)
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
            return _reply(
                Intent.ASK_BOOKING,
                f"Just to check: the appointment{_for(booking.subject)} is on "
                f"{self.say(booking.slot_start)}, not {self.local(slot):%H:%M}. If you'd like it "
                "moved, just tell me the time.",
            )
        who = there[0].subject if is_name(there[0].subject) else "you"
        booked = "you're booked" if who == "you" else f"{who} is booked"
        return _reply(
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
        return _reply(
            Intent.CLARIFY,
            booked_over_reply(
                subject,
                self.say(booking.slot_start),
                None if _as_utc(booking.slot_start) == slot else self.local(slot).strftime("%H:%M"),
            ),
        )

    def ask_time(self, when: When, service: Service, subject: str) -> AgentDecision:
        """A day without a time: the free times that day (``ask_time_on``); two days asked as
        a choice ("thursday or friday afternoon"): each one's."""
        assert when.day is not None
        other = self.other_day_or_said(when.day)
        if other is not None:
            first = self.ask_time_on(when, service, subject)
            second = self.ask_time_on(replace(when, day=other), service, subject)
            times_second = _HAVE_TIMES_RE.search(second.reply)
            if _HAVE_TIMES_RE.search(first.reply) is not None and times_second is not None:
                # (the first day's question kept as it is: a bare hour answering it is that
                # day's, and the service asked stays the one answered)
                return _reply(
                    Intent.CLARIFY,
                    f"{first.reply} On {other:%A %-d %B} I have {times_second['times']}.",
                )
            return first
        return self.ask_time_on(when, service, subject)

    def ask_time_on(self, when: When, service: Service, subject: str) -> AgentDecision:
        """A day without a time: the free times that day (in the part of the day asked for)."""
        assert when.day is not None
        day_text = when.day.strftime("%A %-d %B")
        free = free_slots_on(self.profile, self.context.busy, when.day, service, now=self.now)
        free = self.outside_work(free) or free
        if when.part is not None:
            free = [s for s in free if _part_of(self.local(s).hour) == when.part] or free
            free = self.early_or_late(free)
        free = self.after_lunch(free, when.part)
        if _LATEST_RE.search(self.text):
            free = free[-3:]  # "end of the day friday": the last free times before closing
        before = _BEFORE_RE.search(self.text)
        if before is not None and not _NOT_A_REQUEST_RE.search(self.text[: before.start()]):
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
        times = _spread([self.local(s).strftime("%H:%M") for s in free], 4)
        lead = self.clash_said() or self.closes_before_part(when)
        return _reply(
            Intent.CLARIFY,
            f"{lead + ' ' if lead else ''}What time on {day_text} would you like{_for(subject)}? "
            f"I have {_either(times)}.",
        )

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
        afternoon") starts at or after the day's closing (``_PART_STARTS``); "" otherwise."""
        assert when.day is not None
        spans = self.profile.intervals_on(when.day)
        starts = _PART_STARTS.get(when.part or "")
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
            or not _REFUSED_SLOT_RE.match(history[-1].text)
            or not _KEEP_RE.search(self.text)
        ):
            return None
        asked = self.pets_in(history[-2].text, known=self.known, transcript=self.voice)
        named = {s.lower() for s in asked if is_name(s)}
        theirs = [b for b in self.upcoming if b.subject.lower() in named]
        if len(theirs) != 1:
            return _reply(Intent.OTHER, "OK, I've left everything as it is.")
        booking = theirs[0]
        return _reply(
            Intent.OTHER,
            f"OK, the appointment{_for(booking.subject)} stays on {self.say(booking.slot_start)}.",
        )

    def still_come_when_unwell(self) -> AgentDecision | None:
        """ "she's been sick this morning, should i still bring her?": the vet's to say, so a
        handoff, with the booking said and the number for anything urgent. None unless the
        message asks whether to still come and says the pet is unwell."""
        text = self.text
        if not (_STILL_COME_RE.search(text) and _SYMPTOM_RE.search(text)):
            return None
        named = {s.lower() for s in self.subjects if is_name(s)}
        theirs = [b for b in self.upcoming if not named or b.subject.lower() in named]
        said = (
            f"Your appointment{_for(theirs[0].subject)} is on {self.say(theirs[0].slot_start)}. "
            if theirs
            else ""
        )
        phone = (
            f" If it's urgent, please call us on {self.profile.phone}."
            if self.profile.phone
            else ""
        )
        return AgentDecision(
            intent=Intent.HANDOFF,
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
        first = normalise(re.split(rf"{_CLAUSE_END}+|\s+(?:and|but)\s+", self.context.message)[0])
        if not (_YES_RE.match(first) or _YES_RESTATED_RE.match(first)):
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
            for s in answers.services_named(_ANY_VISIT_WORDS_RE.sub(" ", self.text), self.profile)
            if s.key != (pending.service or self.profile.service().key)
        ]
        if len(added) != 1:
            return None
        own = self.keyed_service(pending.service)
        start = _as_utc(pending.slot_start)
        after = start + timedelta(minutes=own.duration_minutes)
        subject = pending.subject or "you"
        self.keep_services = True  # each its own service, not the one the message names
        decision = self.several(
            [
                _Plan("book", subject, start, own.key),
                _Plan("book", subject, after, added[0].key),
            ]
        )
        if decision.intent is Intent.PROPOSE_CHANGES:
            decision.reply = (
                f"One appointment is one service, so I can book {_a(own.name)}{_for(subject)} on "
                f"{self.say(start)} and {_a(added[0].name)} straight after, at "
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
        refused = _REFUSED_SLOT_RE.match(last.text.strip())
        service = self.profile.find_service(_ANY_VISIT_WORDS_RE.sub(" ", self.text))
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
        if _asks_move(self.text) or _CANCEL_RE.search(self.text) or _CHANGE_RE.search(self.text):
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
        return _reply(
            Intent.ASK_BOOKING,
            f"Your appointment{_for(booking.subject)}{what} is on "
            f"{self.say(booking.slot_start)}. {rest}",
        )

    def someone_else_brings(self) -> AgentDecision | None:
        """ "could my husband bring her instead of me?": who may bring a pet is not in the
        profile, so the team answers (a handoff), with the booking said. None unless the message
        asks whether someone else may bring the pet."""
        if not _SOMEONE_ELSE_RE.search(self.text):
            return None
        named = {s.lower() for s in self.subjects if is_name(s)}
        theirs = [b for b in self.upcoming if not named or b.subject.lower() in named]
        said = (
            f"Your appointment{_for(theirs[0].subject)} is on {self.say(theirs[0].slot_start)}. "
            if len(theirs) == 1
            else ""
        )
        if "?" not in self.context.message:
            if not theirs or self.when.clock is not None or _MAKE_ONE_RE.search(self.text):
                return None  # "my husband will bring him in on friday at 3 for a checkup"
            # "my daughter will bring max tomorrow, her name is Emma": news for the team
            return AgentDecision(
                intent=Intent.HANDOFF,
                reply=f"Thanks for letting us know. {said}I've passed this on to the team.",
                note=f"Someone else to bring the pet: {self.context.message!r}",
            )
        return AgentDecision(
            intent=Intent.HANDOFF,
            reply=(
                f"{said}I can't confirm who can bring a pet from here, so I've asked the team; "
                f"they'll get back to you {self.back_where()} as soon as they can."
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
            return _reply(Intent.CLARIFY, f"Sure, what can I do for {pet}?")
        return _reply(
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
            return _reply(
                Intent.ANSWER,
                f"Yes: the appointment{_for(booking.subject)} on {self.say(booking.slot_start)} "
                f"gets one too. {policy}",
            )
        return _reply(Intent.ANSWER, policy)

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
            f"Just to check: {said.strftime('%A %-d %B')} is a {said.strftime('%A')}. Did you "
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
            f"Just to check: {said.strftime('%A %-d %B')} is a {said.strftime('%A')}. Did you "
            f"mean {said.strftime('%A %-d %B')} or {other.strftime('%A %-d %B')}? When would "
            f"you like to move the appointment{_for(booking.subject)} on "
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

    def offer_instead(
        self,
        slot: datetime,
        service: Service,
        check: SlotCheck,
        ignore: str | None,
        *,
        lead: str | None = None,
        busy: list[Busy] | None = None,
    ) -> AgentDecision:
        """The slot cannot be booked: why, and the nearest free times (nothing is held).
        ``busy``: the calendar to search (the context's when None)."""
        moving = next((b for b in self.upcoming if b.id == ignore), None) if ignore else None
        own = _as_utc(moving.slot_start) if moving is not None else None
        # a move is never offered the time it has now, and "earlier" ("later") times on that
        # side of it, when there are any
        earlier = own is not None and re.search(r"\b(?:earlier|sooner|forward|before)\b", self.text)
        later = (
            own is not None and not earlier and re.search(r"\b(?:later|back|after)\b", self.text)
        )
        options = alternatives(
            self.profile,
            self.context.busy if busy is None else busy,
            slot,
            service,
            now=self.now,
            ignore_booking=ignore,
            exclude=frozenset({own}) if own is not None else frozenset(),
            earlier_than=own if earlier else None,
            later_than=own if later else None,
        )
        why = lead or describe_reason(check, self.profile)
        head = f"Sorry, {why}." if lead else f"Sorry, {self.say(slot)} isn't possible: {why}."
        if not options:
            return _reply(Intent.CLARIFY, f"{head} Which other day would suit you?")
        listed = _either([self.say(o) for o in options])
        return _reply(Intent.CLARIFY, f"{head} I can offer {listed}. Which would suit you?")

    # -- several changes at once ------------------------------------------------------------------

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

    def several(self, plans: list[_Plan]) -> AgentDecision:
        """One proposal of several changes, read back in one message, or, when the calendar
        cannot take one of them (the earlier ones of this proposal counted as booked: two pets
        at one time need room for two), why and the nearest free times for that pet, nothing
        held. More than ``MAX_CHANGES``: which ones, asked."""
        if len(plans) > MAX_CHANGES:
            return _reply(
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
            plans = [self.replaced(p, new) if p.subject.lower() == who else p for p in plans]
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
        if len({p.slot_start for p in proposals}) == 1 and kinds == {"book"}:
            named = [p.subject for p in proposals]
            if len({p.service for p in proposals}) > 1:
                # each pet's own service said, so the yes is to what each is booked for
                named = [f"{p.subject} ({self.keyed_service(p.service).name})" for p in proposals]
            said = f"I can book {join(named)} for {proposals[0].said}"
        elif len({p.subject for p in proposals}) == 1 and kinds == {"book"}:
            # a weekly series for one pet: the pet once, then each day
            days = _listed([p.said or "" for p in proposals])
            said = f"I can book {proposals[0].subject} for {days}"
        elif len(kinds) == 1:
            verb, what = _TO_DO[plans[0].kind]
            listed = _listed([what.format(who=p.subject, when=p.said) for p in proposals])
            said = f"I can {verb} {listed}"
        else:
            said = "I can " + _listed([self.to_do(p) for p in proposals])
        return AgentDecision(
            intent=Intent.PROPOSE_CHANGES, proposals=proposals, reply=f"{said}. {self.ask()}"
        )

    def replaced(self, plan: _Plan, new: When) -> _Plan:
        """``plan`` at the day and/or time of ``new``, the rest kept from the plan's slot."""
        if plan.kind == "cancel":
            return plan
        local = self.local(plan.slot)
        start = merge(new.shifted(local), When(day=local.date(), clock=local.time())).at(
            self.local_now
        )
        return plan if start is None else replace(plan, slot=start.astimezone(UTC))

    def book_each(self, decision: AgentDecision, names: list[str]) -> AgentDecision:
        """A single booking proposed for several named pets ("Max and Bella"): a booking for
        each, at that slot, if the calendar has room for all of them. Other decisions as
        they are."""
        proposal = decision.proposal
        if (
            decision.intent is not Intent.PROPOSE_BOOKING
            or proposal is None
            or len(names) < 2
            or proposal.subject != join(names)
        ):
            return decision
        plans = [_Plan("book", name, proposal.slot_start, proposal.service) for name in names]
        return self.several(plans)

    def named_pets(self) -> list[str]:
        """The pets named in this message, else in the customer's last messages."""
        return [s for s in self.subjects or self.subjects_from_history() if is_name(s)]

    def narrowed_several(self, pending: PendingAction) -> AgentDecision | None:
        """Some of several pending changes kept, by the pets named ("actually just Sushi for
        now, Mochi's still on antibiotics", "yes for bella but not max", "leave max out"):
        confirmed when the message keeps them by name ("just", "only", "yes for") or says yes
        (``AgentDecision.confirmed``), else proposed again for a yes of their own ("leave max
        out"); the others dropped. None when the message keeps or drops none of them by name,
        all of them, or says a day or time of its own."""
        if self.when.anything:
            return None
        changes = pending.changes
        named = known_names_in(self.context.message, [c.subject for c in changes])
        if not named:
            return None
        text = self.text
        dropped = {
            n.lower() for n in named if re.search(_DROPPED_PET.format(re.escape(n.lower())), text)
        }
        # the pets of a clause that says "just" or "only" ("just sushi and mochi for now"), or
        # that a yes opens with ("yes for sushi", "yes sushi and mochi")
        names = "|".join(re.escape(n.lower()) for n in named)
        kept = {
            n.lower()
            # the clauses as written (normalising drops their commas)
            for clause in (
                normalise(c) for c in re.split(rf"{_CLAUSE_END}|\bbut\b", self.context.message)
            )
            if re.search(
                rf"\b(?:just|only)\b|^\s*(?:yes|yeah|yep|ok|okay)\s+(?:for\s+)?(?:{names})\b",
                clause,
            )
            for n in named
            if re.search(rf"\b{re.escape(n.lower())}\b", clause)
        } - dropped
        keep = [
            c
            for c in changes
            if (c.subject.lower() in kept if kept else c.subject.lower() not in dropped)
        ]
        everyone = {c.subject.lower() for c in changes}
        if len(keep) == len(changes):
            if {n.lower() for n in named} != everyone:
                return None
            # "yes for sushi and mochi": a yes naming them all
            rest = re.sub(
                r"\b(?:for|and|both|please|pls|thanks|thank\s+you|"
                + "|".join(re.escape(n.lower()) for n in named)
                + r")\b|\W",
                " ",
                text,
            )
            return self.confirm() if re.fullmatch(r"\s*(?:yes|yeah|yep|ok|okay)\s*", rest) else None
        if not keep:
            return None
        if kept or _YES_SAID_RE.search(text):
            # "actually just max for now please", "yes but not bella": a yes to those kept,
            # the others dropped (the workflow commits only the changes named)
            done = [
                _DONE[c.kind].format(who=c.subject, when=c.said or self.say(c.slot_start))
                for c in keep
            ]
            return AgentDecision(
                intent=Intent.CONFIRM,
                action_id=pending.id,
                confirmed=[c.id for c in keep],
                reply=f"Done: {_listed(done)}.",
            )
        if len(keep) > 1:
            return self.several([self.plan_of(c) for c in keep])
        change = keep[0]
        booking = next((b for b in self.upcoming if b.id == change.booking_id), None)
        if change.kind == "cancel" and booking is not None:
            return self.propose_cancel(booking)
        local = self.local(change.slot_start)
        when = When(day=local.date(), clock=local.time())
        if change.kind == "reschedule" and booking is not None:
            return self.book(when, subject=booking.subject, moving=booking)
        return self.book(when, subject=change.subject, service_key=change.service, exact=True)

    def plan_of(self, change: PendingChange) -> _Plan:
        """A pending change as a plan again (``several``)."""
        booking = next((b for b in self.upcoming if b.id == change.booking_id), None)
        return _Plan(
            change.kind, change.subject, _as_utc(change.slot_start), change.service, booking
        )

    def correct_several(self, pending: PendingAction) -> AgentDecision:
        """A new day or time while several changes are pending: for the pets named ("no, Bella
        at 12"), else for all of them when they share one slot, else a question which."""
        changes = pending.changes
        kept = {k.lower() for k in self.kept}
        rest = [c for c in changes if c.subject.lower() not in kept]
        if kept and rest and len(rest) < len(changes) and all(c.kind == "cancel" for c in rest):
            # "dumpling's groom, the 11 o'clock. noodle is still coming": Noodle's kept
            return self.several([self.plan_of(c) for c in rest])
        named = {n.lower() for n in self.subjects if is_name(n)}
        # the proposal's pets are known here though the CRM has none of them yet: "no pepper at
        # 11", in lower case, names Pepper and leaves Biscuit where she is
        named |= {
            n.lower() for n in known_names_in(self.context.message, [c.subject for c in changes])
        }
        meant = [c for c in changes if c.subject.lower() in named and c.kind != "cancel"]
        if not meant:
            # "saturday instead": every one to that day, each at its own time; a new time for
            # changes at different times could mean any of them.
            movable = [c for c in changes if c.kind != "cancel"]
            one_slot = len({c.slot_start for c in movable}) == 1
            if one_slot or (self.when.clock is None and self.when.shift is None):
                meant = movable
        if not meant or not self.when.anything:
            listed = " or ".join(f"{c.subject} on {self.say(c.slot_start)}" for c in changes)
            return _reply(Intent.CLARIFY, f"Which one should I change: {listed}?")
        plans: list[_Plan] = []
        for change in changes:
            slot = change.slot_start
            if change in meant:
                local = self.local(slot)
                wanted = merge(self.when.shifted(local), When(day=local.date(), clock=local.time()))
                start = wanted.at(self.local_now)
                if start is not None:
                    slot = start.astimezone(UTC)
            booking = next((b for b in self.upcoming if b.id == change.booking_id), None)
            plans.append(_Plan(change.kind, change.subject, slot, change.service, booking))
        return self.several(plans)

    def moves_each(self, targets: list[BookingView]) -> AgentDecision:
        """ "Move both to Friday": each booking to the day asked, at its own time unless a time
        is given; a pet given a day or time of its own ("move max to friday and bella to
        saturday") is moved there, the rest kept from what the message says for all."""
        own: dict[str, When] = {}
        for clause in _PET_CLAUSE_RE.split(self.context.message):
            heard = self.pets_in(clause, known=self.known, transcript=self.voice)
            found = [s for s in heard if is_name(s)]
            said = self.read(normalise(clause))
            if len(found) == 1 and (said.day or said.clock or said.shift):
                own.setdefault(found[0].lower(), said)
        for booking in targets:
            # "something's come up tmrw 😩 can max and bella both move to thursday?": the day
            # beside Max is the one he has now, not one of his own to move to
            mine = own.get(booking.subject.lower())
            now_on = self.local(booking.slot_start).date()
            if mine is not None and mine.day == now_on and mine.clock is None and not mine.shift:
                del own[booking.subject.lower()]
        plans: list[_Plan] = []
        for booking in targets:
            local = self.local(booking.slot_start)
            old = When(day=local.date(), clock=local.time())
            wanted = self.wanted_instead_of(local)
            if len(own) >= 2 and booking.subject.lower() in own:
                mine = own[booking.subject.lower()].shifted(local)
                wanted = replace(mine, day=mine.day or wanted.day, clock=mine.clock or wanted.clock)
            target = merge(wanted, old)
            start = target.at(self.local_now)
            if (
                start is not None
                and len(targets) > 1
                and target.day == old.day == wanted.day
                and target.clock == old.clock
            ):
                # "move all but bella to thursday": Coco's is on Thursday already ("move both to
                # 2pm tomorrow", booked tomorrow at 11: each moved to 14:00)
                continue
            if start is None or (target.day == old.day and target.clock == old.clock):
                return _reply(Intent.CLARIFY, f"Sure. {_MOVED_TO_QUESTION}")
            plans.append(
                _Plan(
                    "reschedule", booking.subject, start.astimezone(UTC), booking.service, booking
                )
            )
        if len(plans) == 1:
            return self.book(
                When(day=self.local(plans[0].slot).date(), clock=self.local(plans[0].slot).time()),
                moving=plans[0].booking,
            )
        if not plans:
            return _reply(Intent.CLARIFY, f"Sure. {_MOVED_TO_QUESTION}")
        return self.several(plans)

    def meant_each(self, targets: list[BookingView], named: list[str]) -> bool:
        """Whether the message means every one of ``targets`` (two or more): "both", "all",
        or each booked pet named once ("cancel Max and Bella's appointments")."""
        if len(targets) < 2:
            return False
        if _EVERY_RE.search(self.text):
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
            if len(on_day) == len(targets) or len({_as_utc(t.slot_start) for t in targets}) == 1:
                return True
        subjects = [t.subject.lower() for t in targets]
        return len(named) >= 2 and len(set(subjects)) == len(subjects)

    # -- helpers ----------------------------------------------------------------------------------

    def service(self, key: str | None) -> Service:
        """The service this turn is about: the one the message names, else ``key``'s, else the
        one of the request our last message answered with times ("a dental for Coco wednesday
        at 12?" / "I can offer 11:30…" / "anything later?"), else the default one."""
        named = self.profile.find_service(self.request_text())
        if named is not None:
            return named
        if key:
            try:
                return self.profile.service(key)
            except KeyError:
                pass
        return self.service_we_answered() or self.service_referred_to() or self.profile.service()

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
        return self.profile.find_service(normalise(told["name"])) if told else None

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

    def bookings_just_done(self) -> list[BookingView]:
        """The upcoming bookings our last "Done: …" said (``booking_just_done``), in time
        order; empty when there is none."""
        history = self.context.history
        if not history or history[-1].direction is not Direction.OUTBOUND:
            return []
        ours = [t.text for t in history[-4:] if t.direction is Direction.OUTBOUND]
        done = next((t for t in reversed(ours) if t.startswith("Done:")), None)
        if done is None or any(_ASKED_WHEN_RE.search(t) for t in ours[ours.index(done) :]):
            return []
        return [b for b in self.upcoming if self.say(b.slot_start) in done]

    def service_we_answered(self) -> Service | None:
        """The service the customer's request named, in their latest message that named one
        since the last booking done, when our last message asked for or offered times for it
        ("What time on…", "I can offer…", "Which day…"); None otherwise."""
        history = self.context.history
        if len(history) < 2 or history[-1].direction is not Direction.OUTBOUND:
            return None
        ours = history[-1].text
        if not (
            _ASKED_WHEN_RE.search(ours)
            or _OFFERED_INSTEAD_RE.search(ours)
            or _WHAT_TIME_RE.search(ours)
            # "book bella for a groom" / "Which day…?" / "how much is that" / "A grooming is
            # €35 (45 minutes)." / "ok tuesday at 2 then": the request is still the groom
            or _SERVICE_TOLD_RE.match(ours)
            # times listed however put ("Tomorrow I have 14:15, 16:15 or 17:30 for Figaro")
            or len(re.findall(r"\b\d{2}:\d{2}\b", ours)) >= 2
        ):
            return None
        # the request being answered may have named it turns ago ("…for my cat Mittens, she needs
        # her annual vaccinations" / "Which day…?" / "anything on Wednesday afternoon?" / …)
        for turn in reversed(history[-2 * _CONTEXT_TURNS :]):
            if turn.direction is Direction.OUTBOUND:
                if turn.text.startswith("Done:"):
                    return None  # that request was booked; a new one starts after it
                continue
            named = self.profile.find_service(_KEPT_SERVICE_RE.sub(" ", normalise(turn.text)))
            if named is not None:
                return named
            if _SEE_A_VET_RE.search(normalise(turn.text)):
                return self.profile.service()  # "could a vet see her today?": a consultation
            if _USUAL_RE.search(normalise(turn.text)):
                # "same as usual for max please" / "Which day…?" / "friday": the last visit's
                had = self.visit_had_before(normalise(turn.text))
                return self.keyed_service(had.service) if had is not None else None
        return None

    def visit_had_before(self, text: str) -> BookingView | None:
        """The latest confirmed visit before now of a pet ``text`` names (of any pet when it
        names none booked before); None when the CRM holds none."""
        past = [
            b
            for b in self.context.bookings
            if b.status == "confirmed" and _as_utc(b.slot_start) <= self.now
        ]
        named = [b for b in past if re.search(rf"\b{re.escape(b.subject.lower())}\b", text)]
        return max(named or past, key=lambda b: _as_utc(b.slot_start), default=None)

    def keyed_service(self, key: str | None) -> Service:
        """The service of ``key`` (the default one when unknown), whatever the message names."""
        try:
            return self.profile.service(key) if key else self.profile.service()
        except KeyError:
            return self.profile.service()

    def local(self, moment: datetime) -> datetime:
        return _as_utc(moment).astimezone(self.zone)

    def say(self, moment: datetime) -> str:
        """ "Tuesday 24 November at 10:00", with the year when it is not this year's."""
        said = format_slot(_as_utc(moment), self.context.timezone)
        year = self.local(moment).year
        if year != self.local_now.year:
            said = said.replace(" at ", f" {year} at ", 1)
        return said

    def restate(self, pending: PendingAction) -> str:
        """The pending question again: "Shall I book Tuesday 8 December at 10:00 for Max?"."""
        assert pending.slot_start is not None
        if pending.changes:
            return f"Shall I {_listed([self.to_do(c) for c in pending.changes])}?"
        when = self.say(pending.slot_start)
        if pending.kind == "cancel":
            return f"Shall I cancel the appointment{_for(pending.subject)} on {when}?"
        if pending.kind == "reschedule":
            return f"Shall I move the appointment{_for(pending.subject)} to {when}?"
        return f"Shall I book {when}{_for(pending.subject)}?"

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
            return decision
        services = [self.keyed_service(p.service) for p in new]
        subjects = [p.subject for p in new]
        if re.search(r"\b(?:two|both|all|total|together|2|3|three)\b", self.text):
            for b in self.upcoming:
                if (
                    _as_utc(b.slot_start) in {_as_utc(p.slot_start) for p in new}
                    and b.subject not in subjects
                ):
                    services.insert(0, self.keyed_service(b.service))
                    subjects.insert(0, b.subject)
        said = (
            self.priced_each(services, subjects)
            if len(services) > 1
            else (f"{_a(services[0].name).capitalize()} is {services[0].price}.")
        )
        return decision.model_copy(update={"reply": f"{said} {decision.reply}"})

    def priced_for_several(self, said: str) -> str:
        """``said`` (an answer) with the total for several pets when it gives one service's
        price and the question is for two or more ("how much would it be for both my dogs to
        get their jabs?" → "A vaccination is €55 (15 minutes). For both, that's €110 in total.")."""
        priced = _ONE_PRICE_SAID_RE.fullmatch(said.strip())
        if priced is None or not answers.asks_price(self.text):
            return said
        names = [s for s in self.subjects if is_name(s)]
        counted = _PETS_COUNTED_RE.search(self.text)
        many = len(names) if len(names) > 1 else (_COUNTS[counted["n"]] if counted else 1)
        if many < 2:
            return said
        total = answers.total_price([priced["price"]] * many)
        who = "both" if many == 2 else f"all {many}"
        return f"{said} For {who}, that's {total} in total." if total else said

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
            f"{_a(s.name)}{_for(who)} ({s.price})"
            for s, who in zip(services, subjects, strict=True)
        ]
        total = answers.total_price([s.price for s in services])
        if total is None:
            return f"It's {_listed(each)}."
        return f"That's {total} in total: {_listed(each)}."

    def to_do(self, change: PendingChange | BookingProposal) -> str:
        """One change of several as the read-back says it: "book Max for Friday…"."""
        verb, what = _TO_DO[change.kind or "book"]
        said = change.said or self.say(change.slot_start)
        return f"{verb} {what.format(who=change.subject, when=said)}"

    def ask(self) -> str:
        return "Shall I confirm?" if self.voice else "Reply YES to confirm."


# A message that was only an attachment (``_Turn.with_attachments``): what a person at the desk
# would say first. A sticker gets a smile, not a sentence.
_THANKS_FOR: dict[Attachment, str] = {
    "photo": "Thanks for the photo: it's saved with your messages for the team.",
    "file": "Thanks, we've got your file: it's saved with your messages for the team.",
    "contact": "Thanks for the contact card.",
    "location": "Thanks for sharing your location.",
    "sticker": "🙂",
    "other": "Thanks!",
}
_THANKS_FOR_PHOTOS = "Thanks for the photos: they're saved with your messages for the team."
_ANYTHING_ELSE = (
    "Can I help with anything else? I can book, move or cancel an appointment, or answer a "
    "question."
)
# A question in the customer's words, sent with a photo: "is this rash bad?", "should I worry".
_ASKS_RE = re.compile(
    r"\?|^(?:is|are|does|do|should|could|can|what|why|how|will|would)\b"
    r"|\b(?:worr(?:y|ied)|normal|look at)\b"
)


def _numbers_looped(text: str) -> bool:
    """Whether ``text`` (a call transcript) says one number four times or more ("15, 15, 15,
    15."): speech recognition looping, not a time anyone says."""
    numbers = re.findall(r"\d+", text)
    return bool(numbers) and Counter(numbers).most_common(1)[0][1] >= 4


def _answered_only(reply: str) -> bool:
    """Whether our ``reply`` only answered (no question of ours, nothing proposed)."""
    return "?" not in reply and "YES" not in reply and "confirm" not in reply.lower()


def _visit_word_of(missed: re.Match[str]) -> str:
    """A visit missed (``_MISSED_RE``) reduced to the word saying what it was ("missed bella and
    coco's jabs on saturday" → " jabs "), so its service stays said and its day does not."""
    words = re.findall(
        r"\b(?:check-?ups?|jabs?|vaccinations?|groom\w*)\b", missed.group(0), re.IGNORECASE
    )
    return f" {words[-1]} " if words else " "


def _asks_move(text: str) -> bool:
    """Does normalised ``text`` ask to move a booking: a move word, not of moving house ("we're
    moving to Lyon") nor of a booking put off to later ("I'll be in touch to rebook")?"""
    return bool(_MOVE_RE.search(_REBOOK_LATER_RE.sub(" ", _RELOCATING_RE.sub(" ", text))))


def _reply(intent: Intent, reply: str) -> AgentDecision:
    return AgentDecision(intent=intent, reply=reply)


def _a(name: str) -> str:
    """ "a grooming", "an examination": a service's name with its article (by its first letter,
    enough for the names a profile gives its services)."""
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def _listed(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _for(subject: str) -> str:
    """The reply's tail naming the subject: ``" for your cat"``, ``" for Felix"``; empty for
    "you" (say "you're booked for Tuesday", not "…for you") and for an empty subject."""
    said = subject.strip()
    if said.lower() in {"", "you", "yourself"}:
        return ""
    if said.lower() in ANIMALS:  # a booking made by staff as "cat": "for your cat"
        return f" for your {said.lower()}"
    return f" for {said}"


def _holidays_ahead(profile: BusinessProfile, today: date) -> dict[date, str]:
    """The public holidays of the profile's country (and subdivision), this year's and the
    next (date → name, from the ``holidays`` library), for reading "Christmas Day" as a date;
    empty when the profile has no holiday calendar."""
    if profile.holidays is None:
        return {}
    return _public_holidays(profile.holidays.country, profile.holidays.subdivision, today.year)


@lru_cache(maxsize=16)
def _public_holidays(country: str, subdivision: str | None, year: int) -> dict[date, str]:
    """``year``'s and the next year's public holidays (date → English name), built once: the
    library computes a calendar on each call (Easter and its feasts move)."""
    calendar = holidays.country_holidays(country, subdiv=subdivision, years=(year, year + 1))
    return {day: str(name) for day, name in calendar.items()}


def _weekday_asked(when: When) -> int | None:
    return when.day.weekday() if when.day is not None else None


def _names_part_only(wanted: When) -> bool:
    """Whether a move asks for a part of a day ("Friday afternoon") without a time, a shift or
    "same time": the booked time must not be carried into it unasked (``ask_move_time``)."""
    return (
        wanted.part is not None
        and wanted.clock is None
        and wanted.shift is None
        and not wanted.same_time
    )


# "what about the 25th?", "how about friday": a day put forward for a visit.
_WHAT_ABOUT_RE = re.compile(r"(?:and\s+|ok\s+|so\s+)?(?:what|how)\s+about\b")


# When the afternoon and evening start, as a customer means them ("saturday afternoon" when we
# close at 13:00 finds no afternoon).
_PART_STARTS = {"afternoon": time(13, 0), "evening": time(17, 0)}


def _part_of(hour: int) -> str:
    return "morning" if hour < 12 else ("afternoon" if hour < 17 else "evening")


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


def _customer_before_last(history: list[HistoryTurn]) -> int | None:
    """The index in ``history`` of the customer's last message before its last entry (our
    question, when the caller has checked it is ours); None when there is none."""
    return next(
        (i for i in range(len(history) - 2, -1, -1) if history[i].direction is Direction.INBOUND),
        None,
    )


def _either(items: list[str]) -> str:
    """ "10:00", "10:00 or 11:00", "09:00, 10:00 or 11:00" (``items`` not empty)."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def _spread(items: list[str], count: int) -> list[str]:
    """Up to ``count`` items spread over the list (first, last and between)."""
    if len(items) <= count:
        return items
    step = (len(items) - 1) / (count - 1)
    return [items[round(i * step)] for i in range(count)]


def _reply_token_read(context: AgentContext) -> AgentContext:
    """``context`` with a reply token the business's last message defined ("Reply C to cancel",
    then "C") replaced by the request it stands for ("cancel Max's appointment"), read from there
    like any message, so a cancel or move is still read back and confirmed; else ``context``."""
    last = next((t for t in reversed(context.history) if t.direction is Direction.OUTBOUND), None)
    if last is None:
        return context
    now = _as_utc(context.now)
    if _live(context.pending, now) is not None and _YES_RE.match(normalise(context.message)):
        # "Would you like me to cancel …? Reply YES to cancel it" / "yes": the yes confirms what
        # waits, it is no new request to read back again
        return context
    said = {w.casefold() for w in re.findall(r"[^\W\d_]+", last.text)}
    # the booking that message was about: the upcoming one whose pet it names, when only one is
    named = {
        b.subject
        for b in context.bookings
        if b.status == "confirmed"
        and _as_utc(b.slot_start) > now
        and is_name(b.subject)
        and b.subject.casefold() in said
    }
    meaning = token_meaning(
        context.message, context.history, subject=named.pop() if len(named) == 1 else None
    )
    if meaning is None:
        return context
    return context.model_copy(update={"message": meaning})


def _live(pending: PendingAction | None, now: datetime) -> PendingAction | None:
    if pending is None or _as_utc(pending.expires_at) <= now:
        return None
    return pending


def _as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken as UTC, as the context models document."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
