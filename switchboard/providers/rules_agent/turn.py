"""One decision of the local agent: the message read (``Turn.read_message``) and the order of
reading (``Turn.decide``, the package's docstring)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from switchboard.agent_models import (
    AgentDecision,
    Channel,
    Direction,
    Intent,
    PendingAction,
    PendingChange,
)
from switchboard.availability import free_slots_on
from switchboard.business import Service
from switchboard.media_notes import Attachment
from switchboard.providers.rules_agent import steps
from switchboard.providers.rules_agent.booking import NOT_BOOKING_YET_RE
from switchboard.providers.rules_agent.helpers import (
    Plan,
    and_listed,
    as_utc,
    asks_move,
    for_,
    handed_over,
    holidays_ahead,
    live_pending,
    names_part_only,
    numbers_looped,
    part_of_day,
    reply_as,
    weekday_asked,
)
from switchboard.providers.rules_agent.listed import Listed
from switchboard.providers.rules_agent.lookup import EITHER_OR_ASKED_RE
from switchboard.providers.rules_agent.patterns import (
    ANOTHER_VISIT_RE,
    BOOK_AHEAD_RE,
    BOOKING_CHECKED_RE,
    BOOKING_KEPT_RE,
    BOOKING_WORD_RE,
    BUT_RE,
    CALL_OFF_RE,
    CANCEL_RE,
    CANCEL_WORD_RE,
    CHANGE_RE,
    CLOSES_RE,
    DAY_MENTION_RE,
    DAY_SIDE_RE,
    FOR_ANOTHER_PET_INSTEAD_RE,
    FREE_TIMES_ASKED_RE,
    HANDOFF_RE,
    KEEP_OR_CANCEL_ASKED,
    KEEP_RE,
    LATEST_RE,
    LEAVE_IT_RE,
    LOOKUP_RE,
    MOVE_RE,
    NEXT_FREE_RE,
    NO,
    NO_CHANGE_RE,
    NO_CONFIRMATION_RE,
    NO_RE,
    NO_VET_NAMED,
    NOT_A_REQUEST_RE,
    NOT_SERVICE_RE,
    ON_THE_WAY_RE,
    OPEN_ON_DAY_RE,
    OTHER_SIDE_RE,
    OWED_RE,
    PET_KINDS,
    PET_NAME_ASKED,
    RECORDS_ASKED_RE,
    REFUSED_SLOT_RE,
    REQUEST_RE,
    SIDE_RE,
    SPOKEN_YES_RE,
    STAFF_WORKING_RE,
    THANKS_ONLY_RE,
    THANKS_RE,
    TURNED_DOWN_RE,
    UNCLEAR,
    VET_ASKED_RE,
    WEEK_SAID_RE,
    WHAT_I_SAID_RE,
    WHAT_TIME_RE,
    WHICH_ONE_RE,
    WRITTEN_YES_RE,
    YES_RE,
    YES_RESTATED_RE,
    YES_SAID_RE,
    YES_WORDS,
    YOU_ARE_WELCOME,
)
from switchboard.understanding import answers
from switchboard.understanding.language import foreign_language, not_served_reply
from switchboard.understanding.subjects import (
    WEEKDAY_NAMES,
    is_name,
    join,
    month_pet,
    name_answer,
    pets_copied,
    pets_not_coming,
    pets_still_fine,
    weekday_pet,
    without_pets_kept,
    without_pets_not_needing,
    without_pets_said_well,
)
from switchboard.understanding.text import normalise
from switchboard.understanding.when import (
    BETWEEN_HOLIDAYS_RE,
    MONTH_WORD,
    WISHES_RE,
    When,
    merge,
    without_past_days,
    without_plans,
    without_their_own_hours,
)

# A request made in case the answer to a question is no: "… if not can he come thursday".
_IF_NOT_RE = re.compile(r"\bif\s+not\b|\botherwise\b|\bif\s+there's\s+nothing\b", re.IGNORECASE)
# Two pets meant together: "can they both come", "the two of them".
_BOTH_OF_THEM_RE = re.compile(
    r"\b(?:they|them)\s+both\b|\bboth\s+of\s+them\b|\bthe\s+two\s+of\s+them\b"
)
# A name of ours put right: "it's Mango not Margo", "its mango, not margo".
_RENAMED_RE = re.compile(
    r"\b(?:it's|its|it\s+is)\s+(?P<right>[a-z][a-z-]+)\s*,?\s+not\s+(?P<wrong>[a-z][a-z-]+)\b"
)
# Our answer on when we are open ("Yes, we're open on Thursday 24 December, …", "We're closed
# on Friday 25 December (Christmas Day). …", "On Saturdays we're open 09:00-13:00 only, …").
_OPENING_TOLD_RE = re.compile(
    r"(?:Yes, we're open on|We're closed on|Sorry, we're closed on|On \w+(?: \d+ \w+)? we're open)"
)
# A yes to our move, said with the move: "ok no worries, yes move her", "yes please move it".
_YES_MOVE_IT_RE = re.compile(
    r"\b(?:yes|yeah|yep|ok|okay|sure)\b[^.?!]{0,20}?\b(?:move|moving|change|switch)\s+"
    r"(?:her|him|it|them|that|the\s+appointment)\b(?!\s+(?:to|again|back|instead))"
)
# Our hours or a visit's length asked: "what time do you open saturdays?", "how long does it
# take?"
_OPENING_OR_LENGTH_RE = re.compile(
    r"\bwhat\s+time\s+do\s+(?:you|u)\s+(?:open|close|shut)\b|\bhow\s+long\s+(?:does|will|is)\b"
    r"|\b(?:are|r)\s+(?:you|u)\s+open\b|\bopening\s+(?:hours|times)\b"
)
# A booked pet's sibling asked along, unnamed: "can her sister come along too".
_SIBLING_TOO_RE = re.compile(
    r"\b(?:can|could)\s+(?:her|his|their)\s+(?:sister|brother|sibling)\s+(?:come|have|get|join)\b"
)
# Another pet asked along at the time offered: "could his brother Zorro come at the same time?"
_ADDED_AT_SAME_TIME_RE = re.compile(
    r"\b(?:could|can)\s+(?:his|her|their|my)?\s*(?:brother|sister|[a-z]+)?\s*[a-z]+\s+"
    r"(?:come|have\s+(?:his|hers|hers|theirs|one)|join)\b[^.?!]*\bat\s+the\s+same\s+time\b"
)
# Our offer's service put right: "its for her jabs not a check up!" (set 180)
_SERVICE_FIXED_RE = re.compile(
    r"\b(?:it's|its|it\s+is|that's|thats|it\s+was|was)\s+for\s+(?:her|his|their|its|the|a|an)\s+"
    r"[a-z]+(?:[\s-][a-z]+)?\s*,?\s+not\s+(?:a|an|the|her|his|their)?\s*[a-z]+"
)
# A yes opening a message that goes on to ask something else: "yes. actually could you …",
# "yes please, and can you …" (as written).
_YES_THEN_RE = re.compile(
    r"^\s*(?:yes|yeah|yep|yup|ok|okay|sure|perfect|great|lovely)\b(?:\s+(?:please|pls|thanks"
    r"|thank\s+you|that's\s+(?:fine|great|perfect)))?\s*[.,!;:-]+\s*(?:and\s+)?(?:also\s+)?(?=\S)",
    re.IGNORECASE,
)
# Another time asked for: "could you do 10 that day instead?", "make it 11", "how about 2pm".
_OTHER_TIME_ASKED_RE = re.compile(
    r"\b(?:do|make\s+it|try|how\s+about|what\s+about|at)\s+(?P<time>(?:half\s+)?\d{1,2}(?:[:.]\d{2})?"
    r"(?:\s*[ap]m)?)\b(?!\s*(?:minutes?|mins?|hours?|days?|weeks?))"
)
# What was just done taken back: "can you undo that please!", "reverse that", "scrap that".
_UNDO_RE = re.compile(
    r"\b(?:undo|reverse|unbook)\s+(?:that|it|this|the\s+(?:last\s+)?(?:one|booking))\b"
)
# A summary of what was arranged, asked back: "so that's Ruby at 9:30 and Jasper at 11?",
# "yes. so that's …", "just to check, that's …" (as written; the summary follows).
_RECAP_RE = re.compile(
    r"^\s*(?:(?:yes|yep|yeah|ok|okay|great|perfect|lovely|thanks|thank\s+you|cheers|brilliant"
    r"|amazing)\b[\s.,!🙂😊👍]*)*(?:(?:so\s+|just\s+to\s+(?:check|confirm)\W*|to\s+confirm\W*)?"
    r"(?:that's|thats|that\s+is|it's|we've\s+got|we\s+have)\s+"
    # ("thanks, so Toby 8:30 and Misty 3pm on thursday?")
    # ("so Max is at 5 now and Bailey's cancelled?")
    r"|so\s+(?=[A-Za-z][a-z-]+(?:'s|\s+is)?\s+(?:at\s+|on\s+)?\d))",
    re.IGNORECASE,
)
# A request on the condition the answer is yes: "if so", "if yes", "if you are".
_IF_SO_RE = re.compile(r"\bif\s+(?:so|yes|you\s+are|you\s+do|you're\s+open|it\s+is|it's\s+ok)\b")
# The pet's trouble told with its day: "she's been sneezing loads today", "he was sick this
# morning", "limping since yesterday".
_SYMPTOM_DAY_RE = re.compile(
    r"\b(?:been|was|is|keeps?|started)\s+(?:[a-z]+ing|sick|poorly|off|ill)\b(?:\s+[a-z]+){0,2}?"
    r"\s+(?:today|this\s+morning|this\s+afternoon|last\s+night|yesterday|since\s+(?:yesterday"
    r"|last\s+night|this\s+morning|the\s+weekend|[a-z]+day))\b"
)
# The customer will come back to it: "I'll see how he is and message you friday", "I'll let
# you know", "we'll be in touch".
_GET_BACK_LATER_RE = re.compile(
    r"\b(?:i'll|i\s+will|we'll|we\s+will)\s+(?:see\s+how\b|let\s+you\s+know|get\s+back"
    r"|be\s+in\s+touch|message\s+(?:you|back|again)|text\s+(?:you|back|again)|check\s+(?:and|with))"
)
# Which booking our reminder is about, asked: "is this one for Coco or Biscuit?"
_WHICH_REMINDED_RE = re.compile(
    r"\b(?:is\s+)?(?:this|that)\s+(?:one\s+|reminder\s+|message\s+)?(?:for|about)\s+[a-z]+\b"
)
# When a booking is, asked beside something else: "when is her appointment again?"
_A_VISIT = (
    r"(?:her|his|my|our|their|the|[a-z]+'s)\s+(?:next\s+)?(?:appointment|appt|booking|visit|jabs?"
    r"|vacc\w*|booster|check[\s-]?up|dental|groom\w*|nails?)\b"
)
_WHEN_IS_IT_RE = re.compile(
    rf"\bwhen(?:'s|\s+is|\s+was)\s+{_A_VISIT}"
    # "what day is poppy's jab next week?", "what time is kiwi's check up tmrw?", "what's the
    # date of mylo's next check up?", "is peanut booked tomorrow morning?", "is luna still on
    # for friday?" (set 182: asked beside a change)
    rf"|\bwhat\s+(?:day|time|date)\s+(?:is|was)\s+{_A_VISIT}"
    rf"|\bwhat(?:'s|\s+is)\s+the\s+(?:date|day|time)\s+of\s+{_A_VISIT}"
)
# A booking talked about given another time: "can it be after 5?", "can it be friday at 2
# then?" (normalised)
_CAN_IT_BE_RE = re.compile(
    r"\b(?:can|could)\s+(?:it|that|this)\s+be\s+(?:moved\s+)?(?:to\s+)?(?:on\s+|at\s+)?(?:after\s+"
    r"|before\s+|around\s+)?(?:\d|half|quarter|(?:this\s+|next\s+)?(?:mon|tues|wednes|thurs|fri|satur)day"
    r"|tomorrow|today|later|earlier)"
)
# ... and, read as written (its question mark kept), "is peanut booked tomorrow morning?", "is
# luna still on for friday?"
_IS_IT_BOOKED_RE = re.compile(
    r"\bis\s+[a-z]+\s+(?:still\s+)?(?:booked(?:\s+in)?|on)\s+(?:for\s+)?(?:tomorrow|today|this|next"
    r"|on|(?:mon|tues|wednes|thurs|fri|satur)day)\b[^.?!\n]*\?",
    re.IGNORECASE,
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
# An hour alone closing a message, after a comma or a full stop: "…, 3?", "… . 4pm then",
# or as the whole message ("11?" to a proposal).
_LAST_CLAUSE_HOUR_RE = re.compile(
    # (not the minutes of a time: "by 6.15")
    r"(?:^|(?<!\d)[,.;!])\s*(?P<hour>(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?(?:\s*[ap]m)?)\s*(?:then"
    r"|instead|maybe"
    r"|pls|please)?\s*\??\s*$",
    re.IGNORECASE,
)
# A question about a pet's health or behaviour, for a vet: "is it normal for a puppy to sleep 18
# hours a day?", "should I be worried?"
_IS_IT_NORMAL_RE = re.compile(
    r"\bis\s+(?:it|this|that)\s+(?:normal|ok|okay|common)\s+(?:for\s+(?:a|my|our|him|her|them)\b"
    r"|that\b)|\bshould\s+(?:i|we)\s+be\s+(?:worried|concerned)\b"
)
# A message that is nothing but a file's name: "IMG_4471.jpg", "scan 2.pdf".
_FILE_NAME_ONLY_RE = re.compile(
    r"^[\w\s()-]{1,60}\.(?:jpe?g|png|heic|heif|webp|gif|mp4|mov|pdf|docx?)$", re.IGNORECASE
)
# Signs a pet may be in danger: a person now, with the number to call, never a booking menu.
# "quarter past", "half past" with no hour: past the hour of the time talked about
_BARE_PAST_RE = re.compile(
    r"\b(?:a\s+)?(?P<which>quarter|half)\s+past\b(?!\s+(?:\d|one|two|three|four|five|six|seven"
    r"|eight|nine|ten|eleven|twelve|noon|midday)\b)"
)
# A correction starred, on a line (or after a sentence) of its own: "*friday", "*5pm sorry"
_STARRED_RE = re.compile(r"(?:^|\n|[.!?]\s+)\s*\*\s*(?P<words>[^\n*]{1,25})\s*$", re.MULTILINE)
# A day settled on: "friday it is then", "ok thursday then it is", "let's go with friday"
_DAY_SETTLED_RE = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+(?:it\s+is|then\s+it\s+is|it\s+'?ll\s+be)\b"
    r"|\b(?:let's|lets)\s+(?:go\s+(?:with|for)|do|say)\s+(?=(?:mon|tues|wednes|thurs|fri|satur|sun)day\b)"
)
# A date the visit is to come after: "after the 20th", "we're away until the 20th", "back on
# the 20th" (``back``: from that day itself); not "the first tuesday after the 20th" (a day)
_FROM_DATE_RE = re.compile(
    # (not "not this friday but the one after, the 18th": that date asked, set 147)
    r"(?<!day\s)(?<!\bone\s)(?<!\b1\s)\b(?:after|(?:away|gone|off)\s+(?:until|till|til|to)"
    r"|(?P<back>back\s+(?:on|from)))"
    r"\s+the\s+(?P<n>\d{1,2})(?:st|nd|rd|th)?\b"
)
# One of the customer's own two times, picked: "the later one please"
_OWN_PICK_RE = re.compile(
    r"\bthe\s+(?P<which>later|earlier|first|second|latter|former)\s+(?:one|1)\b"
)
# Two times given as a choice: "3 or 4pm", "10.30 or 11"
_TWO_TIMES_RE = re.compile(
    r"\b(?P<t1>\d{1,2}(?:[:.]\d{2})?)\s*(?P<m1>am|pm)?\s+or\s+(?:at\s+)?"
    r"(?P<t2>\d{1,2}(?:[:.]\d{2})?)\s*(?P<m2>am|pm)?\b"
)
# A change asked about, not asked for: "if I cancel …", "what happens if we move it"
_IF_I_CHANGE_RE = re.compile(
    r"\b(?:if|what\s+happens\s+if|what\s+if)\s+(?:i|we)\s+(?:have\s+to\s+|need\s+to\s+|had\s+to\s+|were\s+to\s+)?"
    r"(?:cancel|move|change|reschedule)\b"
)
# A cancellation asked on the condition that it is free: "if it's free then please cancel it"
_CANCEL_IF_FREE_RE = re.compile(
    # ("will I be charged if I cancel pearl's groom on thursday? if not please cancel it", set
    # 139)
    r"\bif\s+(?:not|it's|its|it\s+is|that's|there's\s+no\s+(?:fee|charge))\s*(?:free|fine|ok|okay)?\b"
    r"[^.?!]{0,20}?\b(?:please\s+|pls\s+|then\s+)*cancel\b"
)
# A cancellation asked for outright ("need to cancel gizmo's appt", "please cancel it"), beside
# one only thought of ("if I cancel", "I might have to cancel", "thinking of cancelling")
_CANCEL_OUTRIGHT_RE = re.compile(
    r"\b(?:need|needs|have|has|want|wanna|got|going)\s+(?:to\s+)?cancel\b"
    r"|\b(?:please|pls|can\s+you|could\s+you|can\s+u|would\s+you)\s+cancel\b|^(?:hi\s+)?cancel\b"
    # ("can I cancel ollie's appt tomorrow? will I get charged …?", set 143)
    r"|\b(?:can|could)\s+(?:i|we)\s+(?:please\s+)?cancel\s+(?:[a-z]+'s|my|our|his|her|the)\b"
)
# A move asked outright beside a question of its cost: "… would there be any charge for moving
# it, and secondly, could it be moved to thursday the 17th at the same time?" (set 193)
_MOVE_OUTRIGHT_RE = re.compile(
    r"\b(?:could|can|would|will|may)\s+(?:(?:you|u)\s+(?:please\s+)?(?:move|change|reschedule"
    r"|put)\s+(?:it|that|him|her|them|the\s+appointment|the\s+booking)|(?:it|that|she|he|they"
    r"|the\s+appointment|the\s+booking)\s+(?:please\s+)?be\s+(?:moved|changed|rescheduled"
    r"|put|switched))\s+(?:to|till|until)\b|\b(?:please|pls)\s+(?:move|reschedule)\b"
)
# A cancellation asked instead of the move read back: "just cancel thursday", "cancel it then"
_CANCEL_INSTEAD_RE = re.compile(
    r"\b(?:just|then|ok|okay|please|pls|can\s+you|could\s+you)\s+(?:just\s+)?cancel\b"
    r"(?!\s+(?:the|that|this)\s+move\b)|\bcancel\s+(?:it|him|her)\s+(?:instead|then|altogether)\b"
)
# Another day asked at the booking's time: "same time next week instead?"
_SAME_TIME_ON_RE = re.compile(
    r"\bsame\s+time\s+(?:next\s+week|the\s+week\s+after|a\s+week\s+later)\b"
)
_CANCEL_MAYBE_RE = re.compile(
    r"\bif\b|\b(?:might|may|maybe|perhaps|possibly|thinking|considering|wondering|whether)\b"
    r"|\bin\s+case\b|\bhow\b|\bwhen\s+(?:do|does|should|must)\b|\b(?:notice|deadline)\b"
)
# What a change costs, asked: "do I still have to pay?", "is there a fee?", "will I be charged?"
# Our word that a cancellation or move was made: "Done: the appointment for Bambou on … is
# cancelled.", "Done: the appointment for Leo is moved to …".
_DONE_CHANGE_RE = re.compile(r"Done: .*\b(?:is|are) (?:cancelled|moved)\b")
# Free of charge asked of a change: "is that still free if I change it now?"
_STILL_FREE_RE = re.compile(
    r"\bstill\s+free\s+(?:if|to|when)\b|\bfree\s+(?:to\s+)?(?:change|cancel|move)\b"
    r"|\bfree\s+of\s+charge\b"
)
_FEE_ASKED_RE = re.compile(
    r"\b(?:have\s+to\s+pay|pay\s+(?:anything|for\s+it)|charged?|fees?|penalty|cost\s+me"
    r"|lose\s+(?:my|the)\s+(?:money|deposit))\b"
)
# Words around a booking said to stay: "and … 👍", "ok so …", "then", "thanks"
_FILLER_WORDS_RE = re.compile(
    r"\b(?:and|ok|okay|so|then|yes|yeah|great|thanks|thank\s+you|cheers|please|as\s+is|too"
    r"|also|just|fine|good|that's|right)\b"
)
# An acknowledgement and nothing more: "👍 thanks", "ok cheers", "will do 🙏"
_BARE_ACK_RE = re.compile(
    r"[\s\W]*(?:(?:ok|okay|k|thanks|thank\s+you|thx|ta|cheers|great|cool|sure|will\s+do"
    r"|no\s+worries|np|speak\s+soon|[\u2600-\u27bf\U0001f300-\U0001faff])[\s\W]*)+"
)
# A visit asked for in so many words ("can I book her in for sunday when you're closed?").
_VISIT_ASKED_RE = re.compile(r"\b(?:book\w*|appointment|appt|slot|come\s+in|bring\s+\w+\s+in)\b")
_EMERGENCY_RE = re.compile(
    # (not the owner's: "work emergency", "a family emergency", "something urgent at work")
    r"(?<!\bin\san\s)(?<!\bof\san\s)(?<!\bfor\san\s)"
    + answers.NOT_THE_OWNERS
    + r"\b(?:emergency(?!\s+(?:at|with)\s+(?:work|home|the\s+office))"
    r"|urgent(?:ly)?(?!\s+(?:at|with)\s+(?:work|home))|poison(?:ed|ing)?|bleeding|collapsed?|unconscious|seizures?"
    # "fitting" is a seizure, not "thanks for fitting Luna in"
    # (a dress fitting, "the fitting won't take long", is no seizure: set 145)
    r"|(?<!\bfor\s)(?<!\bdress\s)(?<!\bthe\s)(?<!\bher\s)(?<!\bhis\s)(?<!\bmy\s)(?<!\ba\s)"
    r"fitting(?!\s+(?:us|me|him|her|them)\s+in\b)(?!\s+(?:appointment|room|to|at|on)\b)|not\s+breathing|can't\s+breathe|choking"
    r"|hit\s+by\s+a\s+car"
    # a blocked bladder (set 142): "keeps going in and out of the litter tray and straining"
    r"|straining\s+(?:to\s+)?(?:pee|wee|urinate)|can't\s+(?:pee|wee|urinate)"
    r"|litter\s*(?:tray|box)\b[^.?!]{0,30}\bstraining)\b"
    # "ate a whole bar of chocolate", "got into the raisins": a few words may come between
    r"|\b(?:ate|eaten|swallowed|got\s+into)\s+(?:\w+\s+){0,6}?(?:chocolate|grapes?|raisins?"
    r"|xylitol|rat\s+poison|slug\s+pellets|antifreeze|ibuprofen|paracetamol|socks?|toys?"
    r"|onions?|lily|lilies)\b"
    r"|\b(?:someone|somebody)\s+(?:please\s+)?help\b"
)
# An emergency that happened before, told: "she had a seizure last month", "he had a fit
# a few weeks ago".
_PAST_EMERGENCY_RE = re.compile(
    r"\b(?:had|has\s+had|suffered|there\s+was)\s+(?:what\s+(?:i|we)\s+(?:think|thought)\s+was\s+"
    r"|what\s+(?:looked|seemed)\s+like\s+)?(?:a\s+|an\s+)?(?:\w+\s+){0,2}?(?:seizures?|fits?"
    r"|emergency|collapse)\b[^.?!]{0,40}?\b(?:last\s+(?:week|month|year|time|summer|winter|night"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day)|ago|before|once|in\s+the\s+past)\b"
    # ... or a past visit said: "we ended up at the emergency vet at 2am" (set 158)
    r"|\b(?:the|an)\s+emergency\s+(?:vets?|clinic|hospital|room|service|department)\b"
)
# The pet said to be well again: "she's FINE, it came out the other end on sunday", "he's been
# completely normal since" (set 158): what happened is over.
_WELL_AGAIN_RE = re.compile(
    r"\b(?:back\s+to\s+normal|(?:completely|totally|perfectly|absolutely)\s+(?:normal|fine)"
    # (not "she's fine so far", "he's fine for now": it may still come)
    r"|(?:she|he|they)(?:'s|\s+is|'re|\s+are)\s+(?:totally\s+|completely\s+)?fine\b"
    r"(?!\s+(?:but|so\s+far|for\s+now|at\s+the\s+(?:moment|minute)|for\s+the\s+moment|yet))"
    r"|been\s+(?:completely\s+|totally\s+)?normal\s+since|came\s+out\s+the\s+other\s+end)"
)
# Danger now: "right now", "still bleeding".
_DANGER_NOW_RE = re.compile(
    r"\b(?:right\s+now|just\s+now|at\s+the\s+moment|currently|still\s+(?:bleeding|shaking|fitting"
    r"|not\s+breathing|choking|collapsed))\b"
)
# An emergency asked about ahead of time: "just in case – if she has another seizure, who do I
# ring?", "what should I do if he eats chocolate?"
_WHAT_IF_RE = re.compile(
    r"\b(?:just\s+)?in\s+case\b.{0,80}\b(?:who|what|which|where)\b"
    r"|\bwhat\s+(?:should|do|would|can)\s+(?:i|we)\s+do\s+if\b"
    r"|\bif\s+(?:he|she|it|they|[a-z]+)\s+(?:ever\s+)?(?:has|have|gets?|had|starts?)\s+(?:another|a)\b"
    r".{0,60}\bwho\s+(?:do|should|can)\s+(?:i|we)\s+(?:ring|call|phone|contact)\b"
)
# The night service asked about, nothing happening: "is there an emergency number?", "do you
# have a 24 hour emergency line for weekends?"
_NIGHT_SERVICE_ASKED_RE = re.compile(
    r"\b(?:is\s+there|do\s+(?:you|u)\s+(?:have|do|offer)|have\s+(?:you|u)\s+got|what(?:'s|s|\s+is)"
    # ("whats your out of hours emergency number?", "is there like an emergency number", sets
    # 211, 222)
    r"|got)\s+(?:like\s+)?(?:an?\s+|the\s+|any\s+|your\s+|ur\s+)?(?:24\s*(?:h|hr|hour)\s+"
    r"|out\s+of\s+hours?\s+|night\s+"
    r"|weekend\s+)?(?:emergency|out\s+of\s+hours?|night|after\s+hours)\s+(?:number|line|service"
    # ("whats the emergency no.", set 205)
    r"|vet|cover|phone|no|num|nr|contact|tel)\b"
)
# Another pet's visit day ruled out: "not the same day as loki's jab".
_NOT_SAME_DAY_AS_RE = re.compile(
    r"\bnot\s+(?:on\s+)?the\s+same\s+day\s+as\s+(?P<pet>[a-z][a-z-]+)'s\b"
)
# The pet read back said to be the wrong one: "sorry wrong dog", "it's Frankie that needs it",
# "I meant Pudding".
_WRONG_PET_RE = re.compile(
    r"\bwrong\s+(?:dog|cat|pet|one|name|bunny|rabbit|pup|puppy|kitten)\b"
    r"|\bit'?s\s+[a-z]+\s+(?:that|who)\s+needs?\b|\bi\s+meant\s+[a-z]+\b"
)
# The first of what we offered, asked for: "the earliest of those please", "whichever's
# soonest then", "first time you can fit them both is great", "the first one" ("first" may be
# normalised "1st").
_EARLIEST_OF_OURS_RE = re.compile(
    r"\b(?:the\s+)?(?:earliest|soonest)\s+(?:of\s+(?:those|them|these)|1|one|then|please|pls"
    r"|is\s+(?:great|fine|good|perfect))\b|\bwhichever(?:'s|\s+is)\s+(?:soonest|earliest|first)\b"
    r"|\b(?:first|1st)\s+(?:time|slot)\s+you\s+can\b|\bthe\s+(?:first|1st)\s+of\s+(?:those|them)\b"
)
# The other times our read-back offered: "… Reply YES to confirm. I also have 17:45 or 18:15."
_ALSO_HAVE_RE = re.compile(r"I also have ([0-9:, or]+)")
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
    # "I don't want to receive more messages from you on whatsapp. Stop the messages" (set 177)
    r"|\b(?:don't|do\s+not)\s+want\s+to\s+(?:receive|get|have)\s+(?:any\s+)?(?:more\s+)?"
    r"(?:messages|texts|whatsapps?)\b"
    # ("please stop the whatsapp messages", set 179)
    r"|\bstop\s+(?:(?:the|these|your|all\s+(?:the\s+)?)\s*)?(?:whatsapp\s+|reminder\s+)?"
    r"(?:messages|texts|whatsapps?)\b"
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
    # ("the car's died on us 🙄", set 201)
    r"\b(?:phone|battery|laptop|computer|car|van|signal|wifi|charger|internet|tablet|boiler|engine)"
    r"(?:'s|\s+has|\s+had|\s+is)?\s+(?:just\s+)?died\b"
    r"|\b(?:almost|nearly|could\s+have|might\s+have|thought\s+(?:he|she|it)"
    r"(?:\s+had)?)\s+died\b|\bdied\s+down\b"
)
# Leaving the clinic: "we've found another vet closer to home", "we're moving to a new practice".
_LEAVING_RE = re.compile(
    r"\b(?:found|going\s+to|moving\s+to|switching\s+to|changing\s+to|registered\s+(?:with|at))\s+"
    r"(?:a|another|a\s+new|a\s+different|new)\s+(?:vet|vets|clinic|practice|surgery)\b"
    r"|\b(?:leaving|changing|switching)\s+(?:your|the)\s+(?:clinic|practice|vets?)\b"
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
# A booking supposed: "if i book basil in for friday at 5…", "if we booked for monday".
_BOOKING_SUPPOSED_RE = re.compile(r"\bif\s+(?:i|we)\s+(?:book|booked|make|made|get)\b")
# The customer's data to be erased (GDPR art. 17): "delete my data", "remove my details from
# your system", "forget me", "erase my number".
_ERASURE_ASKED_RE = re.compile(
    r"\b(?:delete|erase|remove|wipe)\s+(?:all\s+)?(?:of\s+)?(?:my|our)\s+(?:personal\s+)?(?:data"
    r"|details|information|info|number|account|records?)\b|\bforget\s+me\b"
    r"|\bright\s+to\s+(?:be\s+forgotten|erasure)\b"
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
# "earlier" of the past, not of a time: "my husband booked Max earlier", "as I said earlier",
# "earlier today"; these ask for no change.
_PAST_EARLIER_RE = re.compile(
    r"\b(?:\w+ed|sent|said|wrote|spoke|rang|made|told|did|was|were|had)\b(?:\s+\w+){0,3}?"
    r"\s+earlier\b|\bearlier\s+(?:today|this\s+(?:morning|afternoon|week))\b"
    # ("my partner says it's earlier than that": when it is, told, set 158)
    r"|\b(?:it's|it\s+is|its|it\s+was|is|was)\s+(?:a\s+bit\s+|much\s+)?(?:earlier|later)\s+than\b"
    # ("we leave for Bretagne earlier than planned", set 162)
    r"|\b(?:earlier|later|sooner)\s+than\s+(?:planned|expected|usual|normal|anticipated"
    r"|(?:we|i)\s+(?:thought|planned|expected))\b"
    # ("cancel the termin of Bello on friday … We drive earlier to my family", set 177)
    r"|\b(?:we|i|we're|i'm)\s+(?:drive|driving|leave|leaving|go|going|fly|flying|travel\w*)"
    r"\s+(?:\w+\s+)?earlier\b"
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
# A written question: a question mark, or a question's opening words ("what happens if…").
_OPEN_QUESTION_RE = re.compile(
    r"\?\s*\S{0,4}\s*$|^\s*(?i:what|how|can|could|do|does|is|are|will|would|should|where|why"
    r"|who|may|am)\b"
)
# A booking just made said to be wrongly asked: "I meant 3 not 5", "typed that wrong".
_MEANT_INSTEAD_RE = re.compile(
    r"\b(?:i|we)\s+meant\b|\bmeant\s+to\s+(?:say|type|put|write)\b|\btyped\s+(?:that|it)\s+wrong\b"
    # "oops" / "meant fri" (set 181)
    r"|(?:^|\b(?:oops|whoops|sorry|soz|argh|no)\W+)meant\b"
    r"|\btypo\b|\bwrong\s+(?:time|day|date)\b"
    # second thoughts on what was just done: "just checked my diary again and friday morning
    # would actually be better than the afternoon, could you do 9am?" (set 145)
    r"|\b(?:would|'d)\s+(?:actually\s+)?(?:be\s+)?(?:better|prefer(?:able)?)\b(?![^.?!]*\b(?:too"
    r"|also|as\s+well|another)\b)"
)
# The half of the day meant for a time turned down: "sorry meant pm", "I meant 4 in the afternoon".
_MERIDIEM_MEANT_RE = re.compile(
    r"\b(?:meant|mean|i\s+said)\s+(?:(?P<pm>pm|p\s+m|in\s+the\s+(?:afternoon|evening))|(?:am|a\s+m"
    r"|in\s+the\s+morning))\b|^(?:sorry\s+|oops\s+)?(?:(?P<pm2>pm)|am)\s*(?:sorry|not\s+[ap]m)?$"
)
# A cancellation called off: "don't cancel it", "do not cancel", "no need to cancel".
_DONT_CANCEL_RE = re.compile(
    r"\b(?:don't|dont|do\s+not|please\s+don't)\s+cancel\b|\bno\s+need\s+to\s+cancel\b"
    r"|\b(?:didn't|did\s+not)\s+(?:ask|want)\s+(?:you\s+)?to\s+cancel\b"
)
# The time of a booking asked: "I only wanted to check what time it was".
_WHAT_TIME_ASKED_RE = re.compile(r"\bwhat\s+time\s+(?:it|that|he|she)\s+(?:was|is)\b")
# Other times asked for, nothing else: "what else is there?", "ok what else have you got".
_WHAT_ELSE_RE = re.compile(r"^(?:(?:ok|okay|so|hmm|and|right)\s+)*what\s+else\b")
# Today ruled out: "can't do today though", "not today", "today's no good".
_NOT_TODAY_RE = re.compile(
    r"\b(?:can't|cannot|can\s+not|couldn't|won't)\s+(?:do|make|manage)\s+(?:it\s+)?today\b"
    r"|(?<!\bif\s)\bnot\s+today\b|\btoday(?:'s|\s+is)\s+(?:no\s+good|out|impossible|not\s+(?:possible|good))\b"
)
# A part of a day talked about before: "what other times have you got that afternoon?".
_THAT_PART_RE = re.compile(r"\b(?:that|the\s+same)\s+(?:morning|afternoon|evening)\b")
# A pet said to be well again: "she's completely fine now, the eye thing cleared up on its own".
_RECOVERED_RE = re.compile(
    r"\b(?:is|'s|are|seems?|feeling|doing)\s+(?:(?:completely|totally|all|much|so|fine|back)\s+)*"
    r"(?:fine|better|ok|okay|well|normal|right\s+as\s+rain|herself|himself)(?:\s+again)?\s+now\b"
    r"|\b(?:cleared|cleared\s+up|cleaned\s+up|healed|gone\s+away|settled(?:\s+down)?)\s+"
    r"(?:on\s+(?:its|it's)\s+own|by\s+itself|now)\b"
)
# Another of one's own pets, unnamed, asked in too: "can my other dog come too? same time",
# "my other cat needs one as well", "can i bring my other one along".
_ANOTHER_OF_MINE_RE = re.compile(
    r"(?:\b(?:my|our|the)\s+(?:other|second|2nd)\s+(?:" + PET_KINDS + r"|one)s?\b"
    # "her sister needs a jab as well" (set 225): a pet of the family not named yet
    r"|\b(?:her|his|their)\s+(?:sister|brother|sibling|mum|mom|mother|dad|litter\s*mate)\b)"
    r"(?=.*\b(?:too|as\s+well|also|same\s+time|come|bring|book|need|needs|see|seen|in)\b)"
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
_GREETING_RE = re.compile(
    r"^(?:(?:hi|hello|hey|hiya|heya|howdy|good\s+(?:morning|afternoon|evening)|there|again|yo"
    # "morning!", "g'day": a greeting on its own, not a part of the day asked for
    r"|morning|mornin|afternoon|evening|g'day|gday"
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
# The time proposed turned down for its side: "10 is too early for me", "that's a bit late".
_TOO_EARLY_OR_LATE_RE = re.compile(r"\b(?:too|bit|little)\s+(?P<side>early|soon|late)\b")
# A time answering our proposal on its own, as a correction: "wednesday is fine after all, but
# 11", "make it 3", "say 4 then".
_CORRECTING_HOUR_RE = re.compile(
    r"\b(?:but|make\s+(?:it|that|this)|say|rather|more\s+like|maybe|at|around|how\s+about"
    r"|what\s+about|(?:can|could)\s+(?:it|we|you|he|she|they|[a-z]+'s(?:\s+(?:one|appointment|appt"
    r"|booking|groom(?:ing)?|jabs?|booster|check-?up|dental))?)\s+(?:be|do|make\s+(?:it|that|this)))"
    r"\s+(?:at\s+)?"
    r"(?P<hour>(?<![\d:.])\d{1,2}(?:[:.]\d{2})?)\b(?![:.]?\d)(?!\s*(?:st|nd|rd|th|days?|weeks?"
    r"|months?|years?|minutes?|hours?|pets?|cats?|dogs?|of|/|%|euros?|kg|kilos?)\b)"
)
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


# A message that was only an attachment (``Turn.with_attachments``): what a person at the desk
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

# A day of the month said alone ("the 7th", "12th"), and a month said ("next month", "in jan").
_DAY_OF_MONTH_RE = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)\b")
_MONTH_SAID_RE = re.compile(rf"\b(?:next|the\s+following)\s+month\b|\b{MONTH_WORD}\b")

# Any vet will do: "anyone is fine then", "any vet's fine", "whoever is free", "doesn't matter
# who".
_ANYONE_FINE_RE = re.compile(
    r"\b(?:any(?:one|body|\s+vet)|who(?:ever|\s+ever))(?:'s|\s+is)?\s+(?:fine|ok|okay|good|free"
    r"|available|great)\b|\b(?:doesn't|does\s+not|don't)\s+matter\s+who\b"
)

# Our word that the pet is booked already ("Rusty is already booked for Thursday 17 December at
# 10:00."), and the booking kept as it is in answer ("no thats fine, leave it as it is then").
_ALREADY_BOOKED_SAID_RE = re.compile(
    r"(?P<pet>[A-Z][\w'-]*(?: and [A-Z][\w'-]*)?) is already booked for (?P<slot>[^.,?]+?)[.,?]"
)
_KEPT_AS_IS_RE = re.compile(
    r"\b(?:leave|keep)\s+(?:it|that|them)\b|\b(?:that's|thats|that\s+is)\s+(?:fine|the\s+one|it"
    r"|ok)\b|\bno\s+need\b|\b(?:must|must've|must\s+have)\s+(?:have\s+)?booked\b"
    r"|\balready\s+booked\b|\bbooked\s+(?:it\s+)?already\b"
)
# The day's first or last time asked for instead of the one proposed: "ok the earliest then",
# "whatever's earliest", "the latest you've got".
_EARLIEST_OR_LATEST_RE = re.compile(
    r"\b(?:the|your|whatever's|whatever\s+is|whichever\s+is)\s+(?:very\s+)?"
    r"(?P<which>earliest|latest|first\s+one|last\s+one)\b"
)

# A call back asked for: "can someone from the team call me about it please?"
_CALL_ASKED_RE = re.compile(
    r"\b(?:can|could|would|will)\s+(?:someone|somebody|a\s+vet|the\s+vet|a\s+nurse|the\s+team)"
    r"(?:\s+from\s+(?:the\s+)?(?:team|clinic|practice|surgery))?\s+(?:please\s+)?(?:call|ring"
    r"|phone)\s+(?:me|us)\b|\bplease\s+(?:call|ring|phone)\s+(?:me|us)(?:\s+back)?\b"
)

# One service dropped, another kept: "actually forget the groom, just the jab at 2 please",
# "scrap the groom, just the jab at 10", "no groom, only the jab".
_SERVICE_DROPPED_RE = re.compile(
    r"\b(?:forget|scrap|drop|skip|cancel|ditch|lose|no|not)\s+(?:about\s+)?(?:the\s+|her\s+|his\s+)?"
    r"(?P<dropped>[a-z]+(?:\s+[a-z]+)?)\W+(?:and\s+)?(?:just|only)\s+(?:do\s+)?(?:the\s+|her\s+|his\s+)?"
    r"(?P<kept>[a-z]+(?:\s+[a-z]+)?)\b"
)


# Something given up on, nothing pending: "that's way too much, forget it", "never mind then".
_LEFT_IT_RE = re.compile(r"\b(?:forget\s+(?:it|that|about\s+it)|never\s*mind|nvm)\b")
# The cancellation asked for, said as a word: "cancel", "cancel it please".
_CANCEL_IT_RE = re.compile(
    r"\s*(?:(?:ok|yes|yeah|yep)\s+)?(?:please\s+)?(?:just\s+)?cancel(?:\s+(?:it|that|them|her|him"
    r"|the\s+appointment|the\s+booking))?(?:\s+(?:please|pls|thanks|thank\s+you|then))*\W*"
)
# Another pet's visit asked for: "could she have the same as Thistle instead".
_SAME_AS_PET_RE = re.compile(r"\b(?:have|get|do)\s+the\s+same\s+as\s+(?P<pet>[a-z]+?)(?:'s)?\b")
# Our answer about the customer's bookings: "Your appointment for …", "You have 2 appointments".
_LOOKED_UP_RE = re.compile(r"(?:Your appointment|You have \d+ appointments|Nothing is booked)")
# Coming as booked, said to a reminder: "still coming", "we'll be there".
_STILL_COMING_RE = re.compile(
    r"\bstill\s+(?:coming|on|good|fine|ok|okay)\b|\b(?:we'll|i'll|we\s+will|i\s+will)\s+be\s+there\b"
)
# A preference said beside a yes: "yes please - the earliest one if there's a choice".
_IF_A_CHOICE_RE = re.compile(
    r"\b(?:the\s+)?(?:earliest|latest|first|last)(?:\s+(?:one|1))?\s+if\s+(?:there's|there\s+is"
    r"|you\s+have)\s+(?:a\s+)?(?:choice|option|options|more\s+than\s+(?:one|1))\b"
)
# How long a visit takes, asked: "how long does it take?", "how long will she be?"
_HOW_LONG_RE = re.compile(r"\bhow\s+long\b")
# A change beside a yes: "yes for Pumpkin, but could Toffee's be at quarter past instead?"
_CHANGE_WORD_RE = re.compile(r"\b(?:instead|rather|but|quarter\s+past|half\s+past)\b")
# Thanks or approval with a booking's day said back: "friday, great, that works. thanks!".
_SAID_BACK_RE = re.compile(
    r"\b(?:thanks|thank\s+you|cheers|ta|great|perfect|lovely|brilliant|that\s+works|cool)\b"
)


# Words that ask a visit of its own, beside a pet's booking that day: "book", "another",
# "also", "can he come …".
_NEW_VISIT_WORDS_RE = re.compile(
    # ("she's too little to walk far", set 212: "too" of degree, not "as well")
    r"\b(?:book|booking|another|also|too(?!\s+(?:little|small|young|old|big|far|much|many|late"
    r"|early|scared|nervous|poorly|weak|tired|busy))|as\s+well|second|extra|again|instead|earlier|later"
    r"|sooner|free|available|any\s+(?:slots?|times?|space|room)|fit|squeeze|check[\s-]?up"
    r"|jab|vaccination|booster|groom\w*|dental|nails?|come|bring\s+(?:\w+\s+)?in)\b"
)
# A pet's own visit said by its service: "dottie's jab", "her check up".
_THEIR_VISIT_RE = re.compile(
    r"\b(?:[a-z]+'s|his|her|their)\s+(?:check[\s-]?up|jabs?|vaccinations?|booster|groom\w*|dental"
    r"|nails?)\b"
)
# A visit asked outright: "can he have a check up …", "could we bring her in …".
_VISIT_ASKED_OUTRIGHT_RE = re.compile(
    r"\b(?:can|could|may)\s+(?:he|she|they|i|we|[a-z]+)\s+(?:have|get|come|be\s+seen|bring)\b"
)
# The day talked about, pointed at: "the latest you have that day", "first thing that day".
_THAT_DAY_RE = re.compile(r"\b(?:that|the\s+same)\s+(?:day|date)\b")


# What the customer will bring along, said after a yes: "I'll bring her booklet too".
_BRINGING_RE = re.compile(
    r"\b(?:i'll|i\s+will|we'll|we\s+will)\s+bring\s+(?:his|her|their|its|the|my|our)\s+"
    r"(?:vaccination\s+)?(?:booklet|card|records?|papers|passport|carrier|lead)(?:\s+too|\s+as\s+well)?\b"
)
# Which of two times a booking is at, asked: "can't remember if he said 9.30 or 10.30. which is
# it?"
_WHICH_IS_IT_RE = re.compile(r"\bwhich\s+(?:is|was)\s+it\b|\bwhich\s+1\s+(?:is|was)\s+it\b")


def _open_days_said(each: list[str], said: str) -> str:
    """The answers of several days asked about (``each``), the usual hours said once, after
    the last, and the night service kept from ``said``, the answer to the whole message ("…
    and if something happens to rocco while you're shut what do i do", set 183)."""
    usual = re.compile(r"\s*Our usual hours: [^;]*;[^.]*\.")
    each = [usual.sub("", a) for a in each[:-1]] + each[-1:]
    night = re.search(r"For an emergency outside opening hours[^.]*\d\.", said)
    joined = " ".join(each) or said
    if night is not None and night.group(0) not in joined:
        joined = f"{joined} {night.group(0)}"
    return joined


# Another pet meant than the one just booked: "sorry i meant ginger not pretzel" (normalised).
_PET_MEANT_INSTEAD_RE = re.compile(
    r"\bi\s+meant\s+(?P<new>[a-z][a-z-]+)\s+not\s+(?P<old>[a-z][a-z-]+)\b"
)
# A visit wanted on the day of another pet's booking: "on the same day as lola's appointment".
# (not "not the same day as loki's jab": ``_NOT_SAME_DAY_AS_RE``)
_SAME_DAY_AS_RE = re.compile(
    r"(?<!\bnot\sthe\s)(?<!\bnot\son\sthe\s)\bsame\s+day\s+as\s+(?P<pet>[a-z][a-z-]+)(?:'s)?\b"
)
# A mistake of ours to put right: "can you fix it please", "could you correct that".
_FIX_IT_RE = re.compile(
    r"\b(?:can|could)\s+(?:you|u)\s+(?:please\s+)?(?:fix|correct|change)\s+(?:it|that|this)\b"
)


class Turn(Listed):
    """One decision of the local agent: the message read (``Turn.read_message``) and the order
    of reading (``Turn.decide``, the package's docstring)."""

    def read_message(self) -> None:
        context, profile = self.context, self.profile
        self.zone = ZoneInfo(context.timezone)
        self.now = as_utc(context.now)
        self.local_now = self.now.astimezone(self.zone)
        # (before the day and time are read: reading them may ask what is booked)
        self.upcoming = sorted(
            (
                b
                for b in context.bookings
                if b.status == "confirmed" and as_utc(b.slot_start) > self.now
            ),
            key=lambda b: as_utc(b.slot_start),
        )
        # (a booked pet called by a weekday, when no other pet's booking is on that weekday:
        # "cancel monday's jab" is Monday's)
        on_weekday: dict[int, set[str]] = {}
        for b in context.bookings:
            if b.status == "confirmed":
                weekday = self.local(b.slot_start).weekday()
                on_weekday.setdefault(weekday, set()).add(b.subject.lower())
        day_named = [
            b.subject
            for b in context.bookings
            if b.subject.lower() in WEEKDAY_NAMES
            and on_weekday.get(WEEKDAY_NAMES.index(b.subject.lower()), set()) <= {b.subject.lower()}
        ]
        self.pet_day = weekday_pet(context.message, day_named) or month_pet(context.message)
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
        # (a pet's one booking said to stay is no pet kept: "could Teddy's groom be pushed
        # back to 5? … And Teddy's jab on Saturday stays as it is")
        one_kept = " ".join(m.group(0).lower() for m in BOOKING_KEPT_RE.finditer(context.message))
        several = {
            name.lower()
            for name in booked_pets
            if sum(b.subject.lower() == name.lower() for b in self.upcoming) > 1
        }
        # (a pet with one booking said to stay is kept: "Zigzag's appointment stays the same")
        self.kept = [
            k
            for k in self.kept
            if k.lower() not in several or not re.search(rf"\b{re.escape(k.lower())}\b", one_kept)
        ]
        if len(self.kept) >= len(booked_pets):
            # "keep Rex on thursday but make it the afternoon": Rex's own booking is the one
            # changed when no other pet's is there to change
            self.kept = []
        self.text = self.prepared(context.message)
        self.holidays = holidays_ahead(profile, self.local_now.date())
        # the words the day and time are read from: the whole message, or its one sentence
        # that asks (``asked_in_one_sentence``)
        self.when_text = self.text
        self.one_sentence = False
        closed = self.closed_day_asked()
        self.when = closed or self.read(self.text)
        if closed is None and self.context.pending is not None and self.when.day is not None:
            # a read-back waiting: "… it's her booster she needs. the reminder card came this
            # morning" tells a day of the past, asks none (set 161)
            untold = without_past_days(self.text)
            if untold != self.text and re.search(
                r"\b(?:this\s+morning|earlier\s+today|weekend)\b", self.text
            ):
                self.when = self.read(untold)
        asked = self.asked_in_one_sentence(self.when) if closed is None else None
        if asked is not None:
            self.when_text, self.when = asked
            self.one_sentence = True
        ahead = BOOK_AHEAD_RE.search(self.text) if asked is None else None
        later = self.read(self.text[ahead.start() :]) if ahead is not None else None
        if later is not None and later.day is not None and later.day != self.when.day:
            # "nori's first vaccination is tomorrow morning … the second one is 3 weeks after,
            # could we book that now too? same time, tuesday the 5th of january" (set 212): the
            # day of the visit booked ahead, not of the one booked
            self.when = later
        corrected = self.corrected_in_message()
        if corrected is not None:
            self.when = corrected
        meridiem = _MERIDIEM_MEANT_RE.search(self.text) if self.when.clock is None else None
        refused = (
            REFUSED_SLOT_RE.match(context.history[-1].text.strip())
            if meridiem is not None and context.history
            else None
        )
        if meridiem is not None and refused is not None:
            # "can rocky have his jab wed at 4am" / "Sorry, … at 04:00 isn't possible …" /
            # "sorry meant pm": 16:00 that day
            hour = int(refused["hour"]) % 12 + (12 if meridiem["pm"] or meridiem["pm2"] else 0)
            self.when = replace(
                self.read(normalise(refused.group(0))),
                clock=time(hour, int(refused["minute"])),
            )
        in_week = self.weekday_in_week_talked_about()
        if in_week is not None:
            self.when = replace(self.when, day=in_week)
        apart = self.day_apart_from_anothers()
        if apart is not None:
            self.when = replace(self.when, day=apart)
        if (
            self.when.day is None
            and (
                (self.when.part is not None and _THAT_PART_RE.search(self.text))
                or self.offered_last()
            )
            and FREE_TIMES_ASKED_RE.search(self.text)
        ):
            # "what other times have you got that afternoon?" after a booking, "can't do that,
            # what else is there in the morning?" to our offer: that day's
            self.when = replace(self.when, day=self.day_from_history().day)
        if (
            self.when.day is None
            and live_pending(context.pending, self.now) is None
            and _THAT_DAY_RE.search(self.text)
            and (LATEST_RE.search(self.text) or self.first_thing() is not None)
        ):
            # "ok, the latest you have that day then please" after our hours of Wednesday:
            # the day talked about
            self.when = replace(self.when, day=self.day_from_history().day)
        if self.when.day is None and self.when.clock is not None:
            offered_on = self.day_offering(self.when.clock)
            if offered_on is not None:
                self.when = replace(self.when, day=offered_on)
        if self.when.day is not None and self.when.clock is None and self.when.part is None:
            offered_at = self.time_offered_on(self.when.day)
            if offered_at is not None:
                # "sorry only just seen this, is thursday still free?" to our "Thursday 17
                # December at 17:15 or Friday …" of yesterday (set 189): the time we offered
                self.when = replace(self.when, clock=offered_at)
        if (
            self.when.clock is not None
            and (opening := self.first_thing()) is not None
            and self.read(without_plans(self.when_text)).clock is None
        ):
            # "my shift at the bakery starts at 10 on Thursday … could she have a nail trim on
            # Thursday, as early as you open?": their shift's hour is no time asked for
            self.when = replace(self.when, clock=opening)
        if self.when.clock is None:
            self.when = replace(
                self.when,
                clock=self.hour_answering_us()
                or self.first_thing()
                or self.same_time_refused()
                or self.time_we_asked_day_of(),
            )
        stepped = self.day_stepped_from_refused() or self.weekday_after_refused()
        if stepped is not None:
            self.when = replace(self.when, day=stepped, shift=None)
        self.pending = live_pending(context.pending, self.now)
        other = self.time_instead_of_pending()
        if other is not None:
            self.when = replace(self.when, clock=other)
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
        moving = bool(self.context.bookings) and asks_move(self.text)
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
            turned = BUT_RE.search(said)
            if self.when.clock is not None and turned is not None:
                # the first after the "but": "… but at 9.30 instead, traffic is crazy at 9"
                bare = [b for b in bare if b.start() >= turned.start()][:1]
            elif self.when.clock is not None:
                bare = []
            booked_times = {self.local(b.slot_start).time() for b in self.upcoming}
            bare_clock = self.read(f"at {bare[-1]['hour']}").clock if bare else None
            if bare and self.when.clock is not None and bare_clock in booked_times:
                # "actually can they both be half 5 instead? traffic is a nightmare at 5": the
                # hour of the booking just made is the one moved from, not a new one
                pass
            elif bare:
                self.when = replace(self.when, clock=bare_clock)
            elif self.when.clock is None:
                # "wait no sorry thats when i pick up the kids, 3?": an hour closing the message
                # in a clause of its own
                last = _LAST_CLAUSE_HOUR_RE.search(self.context.message)
                if last is not None:
                    self.when = replace(self.when, clock=self.read(f"at {last['hour']}").clock)
        # "can ollie come in on thursday at 4pm?" / "*friday": the chat's way of putting a
        # word right, the word starred instead of the one like it before
        starred = _STARRED_RE.search(self.context.message)
        if starred is not None:
            put_right = self.read(normalise(starred["words"]))
            if put_right.day is not None:
                self.when = replace(self.when, day=put_right.day)
            if put_right.clock is not None:
                self.when = replace(self.when, clock=put_right.clock)
        # "ah of course, you're shut saturday afternoons. friday it is then, 4:30 like I first
        # said": the day settled on, not the one given up before it
        settled = _DAY_SETTLED_RE.search(self.when_text)
        if settled is not None:
            chosen = self.read(self.when_text[settled.start() :])
            if chosen.day is not None:
                self.when = chosen
        # "we're away until the 20th. earliest you can fit her in after that?": the first free
        # time from the 21st, not the 20th itself
        self.not_before = None
        bound = _FROM_DATE_RE.search(self.when_text)
        if bound is not None and self.when.day is not None and self.when.day.day == int(bound["n"]):
            self.not_before = self.when.day + timedelta(days=0 if bound["back"] else 1)
            self.when = replace(self.when, day=None)
        today = self.local_now.date()
        if (
            self.when.day is None
            and BETWEEN_HOLIDAYS_RE.search(self.text)
            and NEXT_FREE_RE.search(self.text)
        ):
            # "between christmas and new year? any morning, the first one you've got": from the
            # day after Boxing Day (26 December) on
            after = date(today.year, 12, 27)
            self.not_before = after if after > today else self.not_before
        if _NOT_TODAY_RE.search(self.text) and self.when.day in (None, today):
            # "the earliest you've got for a nail trim? can't do today though": from tomorrow
            self.not_before = today + timedelta(days=1)
            self.when = replace(self.when, day=None)
        if self.when.clock is None and _BARE_PAST_RE.search(self.text):
            # "can we make it quarter past instead?": past the hour of the time talked about
            # (the one proposed, or the one booking there is)
            booked = [b.slot_start for b in self.upcoming]
            # (not the booking's hour for a visit asked on another day: "could you fit Luna in on
            # Friday, half past" asks which hour)
            of_booking = self.when.day is None or asks_move(self.text)
            talked = (
                self.pending.slot_start
                if self.pending is not None and self.pending.slot_start
                else (booked[0] if len(booked) == 1 and of_booking else None)
            )
            if talked is not None:
                past = _BARE_PAST_RE.search(self.text)
                assert past is not None
                hour = self.local(talked).hour
                minute = 15 if past["which"] == "quarter" else 30
                self.when = replace(self.when, clock=time(hour, minute))
        month = self.month_talked_about()
        if month is not None:
            # "can i book nala for a dental next month" / "the 7th": the 7th of that month
            # (said beside the day's number: "monday the 1st then? 10am" + "march" read as the
            # 1st of February, a Monday too)
            number = _DAY_OF_MONTH_RE.search(self.when_text)
            assert number is not None
            with_month = f"{self.when_text[: number.end()]} {month}{self.when_text[number.end() :]}"
            self.when = replace(self.when, day=self.read(with_month).day)
        if self.when.clash is not None:
            # "13 in the morning": its "13" is no bare hour answering us either; asked instead
            self.when = replace(self.when, clock=None)
        if self.voice and numbers_looped(self.text):
            # Whisper's repetition loop on a line it could not make out ("10, 15, 15. 15, 15,
            # 15, …" for "Yes."): no day or time is read back from it
            self.when = When()
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
        # (not a pet only named in a booking said to stay: "cancel tomorrow's, both of them …
        # nacho's check-up next week is still fine")
        self.subjects = self.pets_in(
            BOOKING_KEPT_RE.sub(" ", context.message), known=self.known, transcript=self.voice
        )
        kept = {k.lower() for k in self.kept}
        if any(s.lower() not in kept for s in self.subjects):
            self.subjects = [s for s in self.subjects if s.lower() not in kept]
        # "we don't need Friday's appointment any more": the day's visit, no pet called Friday,
        # unless one is booked (a pet called Friday is one of its own: ``pet_day``)
        booked_names = {b.subject.lower() for b in context.bookings}
        said = normalise(context.message)
        self.subjects = [
            s
            for s in self.subjects
            if s.lower() in booked_names
            or not (
                s.lower() in WEEKDAY_NAMES
                and re.search(rf"\b{s.lower()}'s\s+(?:appointment|appt|booking|one|visit)", said)
            )
        ]
        # ("can he do the same time the saturday after? bramble and thistle still fine": they
        # are no pets to change even when no other is named)
        fine = {p.lower() for p in pets_still_fine(context.message, self.subjects)}
        self.subjects = [s for s in self.subjects if s.lower() not in fine]
        # "Rex doesn't need anything", "our old cat Oscar … we lost him": no pets to book,
        # beside one that is (alone, a loss is answered as one: ``pet_died``)
        named = [s for s in self.subjects if is_name(s)]
        away = {p.lower() for p in pets_not_coming(context.message, named)}
        if away and any(n.lower() not in away for n in named):
            self.subjects = [s for s in self.subjects if s.lower() not in away]
        # "can milo have the same as bella had last week?": Bella's visit is the model, Milo
        # the pet to book (``last_visit``, ``host_and_newcomers``)
        self.models = pets_copied(context.message, self.known)
        models = {m.lower() for m in self.models}
        if any(s.lower() not in models for s in self.subjects if is_name(s)):
            self.subjects = [s for s in self.subjects if s.lower() not in models]
        else:
            self.models = []
        if len(self.subjects) > 1:
            self.subjects = without_pets_not_needing(self.subjects, context.message)
        if self.pending is not None and self.pending.kind == "book":
            # "make that Luna instead, Rocky's fine": the booking read back is for Luna
            self.subjects = without_pets_said_well(self.subjects, context.message)
            instead = FOR_ANOTHER_PET_INSTEAD_RE.search(normalise(context.message))
            held = (self.pending.subject or "").lower()
            if instead is not None and (instead["new"] or instead["new2"]) != held:
                # "Teddy was done 2 weeks ago … can it be for Bear instead": Bear alone
                self.subjects = [s for s in self.subjects if s.lower() != held]
        only = [
            s
            for s in self.subjects
            if is_name(s)
            and re.search(
                # (not "Hugo only went last week", set 161)
                rf"\b(?:only|just)\s+{re.escape(s.lower())}\b|\b{re.escape(s.lower())}\s+only\b"
                r"(?=\s*$|\s+(?:please|pls|this|for|thanks|then|today|tomorrow|on|at|needs?))",
                self.text,
            )
        ]
        if only and len(only) < sum(is_name(s) for s in self.subjects):
            # "three cats, Luna, Salem and Pip, but only Luna needs her booster", "Dexter and
            # Maisie - just dexter this time": the others named are not booked
            self.subjects = only
        if not any(is_name(s) for s in self.subjects):
            both = self.both_pets()
            if both is not None:  # "both of them need boosters": the two pets on record
                self.subjects = both
        named = [s for s in self.subjects if is_name(s)]
        if len(named) == 1 and _BOTH_OF_THEM_RE.search(self.text):
            # "jinx must be due about now too … can they both come thursday at 10?" to our
            # recall of Salem (set 174): the pet our message named, and the one added
            recalled = [s for s in self.subjects_from_history() if is_name(s)]
            if len(recalled) == 1 and recalled[0].lower() != named[0].lower():
                self.subjects = [recalled[0], named[0]]
        # (pet, new day/time) for a request proposed again after one of its changes was refused
        self.replacing: tuple[str, When] | None = None
        # whether the others asked at that pet's refused time take its new time too (a time
        # closed to all of them, not one left full by the first)
        self.replacing_alike = False
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
                return handed_over(
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
            return reply_as(
                Intent.CLARIFY, f"{thanks} {self.restate(pending)} Please answer yes or no."
            )
        question = self.open_question()
        if question is not None:
            return reply_as(Intent.CLARIFY, f"{thanks} {question}")
        return reply_as(Intent.OTHER, f"{thanks} {_ANYTHING_ELSE}")

    def service_dropped(self) -> AgentDecision | None:
        """A service said to be dropped while a booking of another waits for a yes, the other
        kept ("actually forget the groom, just the jab at 2 please", "scrap the groom, just the
        jab at 10"): the kept service alone, for that pet, at the time said (else its own), read
        back anew; a booked visit of the dropped service becomes the kept one. None unless the
        message drops one service and keeps another of the pending ones'."""
        pending = self.pending
        drop = _SERVICE_DROPPED_RE.search(self.text)
        if pending is None or pending.slot_start is None or drop is None:
            return None
        dropped = self.profile.find_service(drop["dropped"])
        kept = self.profile.find_service(drop["kept"])
        if dropped is None or kept is None or dropped.key == kept.key:
            return None
        waiting: list[PendingChange | PendingAction] = [*pending.changes] or [pending]
        keeping = [c for c in waiting if c.service == kept.key and c.slot_start is not None]
        if len(keeping) != 1 or not keeping[0].subject:
            return None
        change = keeping[0]
        assert change.slot_start is not None
        local = self.local(change.slot_start)
        said = self.read(self.text[drop.start("kept") :])
        subject = change.subject or "you"
        booked = [
            b
            for b in self.upcoming
            if b.subject.lower() == subject.lower() and b.service == dropped.key
        ]
        if len(booked) == 1:
            # "mango's booked for a groom at 10 … scrap the groom, just the jab at 10": the
            # booking becomes the jab, at the time said
            self.changed_service = (booked[0].id, kept)
            there = self.local(booked[0].slot_start)
            when = merge(said, When(day=there.date(), clock=there.time()))
            if (when.day, when.clock) == (there.date(), there.time()):
                return self.change_service(booked[0], kept)
            return self.book(when, moving=booked[0])
        # (the visits' own times, never a cancelled one's: "… and cancel mo's check-up on
        # thursday" / "skip the groom, just the booster")
        first = min(
            (c.slot_start for c in waiting if c.slot_start is not None and c.kind != "cancel"),
            default=None,
        )
        start = self.local(first) if first is not None else local
        when = merge(said, When(day=start.date(), clock=start.time()))
        decision = self.book(when, subject=subject, service_key=kept.key, exact=True)
        others = [c for c in pending.changes if c.kind != "book"]
        if decision.proposal is None or not others:
            return decision
        # the other changes read back with it, for one yes
        proposal = decision.proposal
        self.keep_services = True
        return self.several(
            [Plan("book", proposal.subject, proposal.slot_start, proposal.service)]
            + [self.plan_of(c) for c in others]
        )

    def fee_asked_of_a_change(self) -> AgentDecision | None:
        """ "If I cancel Shadow's appointment tomorrow morning do I still have to pay?": the
        cancellation policy, and when the booking meant is within its 24 hours, that the team
        says what applies; nothing proposed (they may keep it). None for any other message."""
        policy = self.profile.policies.get("cancellation")
        if policy is None or not _IF_I_CHANGE_RE.search(self.text):
            return None
        if not _FEE_ASKED_RE.search(self.text):
            return None
        said = [policy]
        booking = next(iter(self.one_pointed_at(self.targets())), None) if self.upcoming else None
        if booking is not None:
            said.append(self.charge_said_for(booking))
        said.append("Just tell me if you'd like to cancel or move it.")
        return reply_as(Intent.ANSWER, " ".join(said))

    def fee_of_this_change(self) -> AgentDecision | None:
        """ "will I have to pay anything?" while a cancellation or move waits for a yes, or "no
        charge for that right?" just after one was done (sets 157, 159): the cancellation policy
        and what it means for that booking (the read-back asked again when one waits). None for
        any other message."""
        policy = self.profile.policies.get("cancellation")
        fee_asked = _FEE_ASKED_RE.search(self.text) or _STILL_FREE_RE.search(self.text)
        if policy is None or not fee_asked or self.when.anything:
            return None
        pending = self.pending
        by_id = {b.id: b for b in self.context.bookings}
        if pending is not None and pending.kind in ("cancel", "reschedule") and not pending.changes:
            booking = by_id.get(pending.booking_id or "")
            if booking is None:
                return None
            verb = "cancel" if pending.kind == "cancel" else "move"
            return reply_as(
                Intent.ANSWER,
                f"{policy} {self.charge_said_for(booking)} Shall I {verb} it? Please answer yes "
                "or no.",
            )
        history = self.context.history
        done = (
            _DONE_CHANGE_RE.match(history[-1].text.strip())
            if pending is None and history and history[-1].direction is Direction.OUTBOUND
            else None
        )
        if done is None:
            return None
        said = [b for b in self.context.bookings if self.say(b.slot_start) in history[-1].text]
        if len(said) != 1:
            return reply_as(Intent.ANSWER, policy)
        return reply_as(Intent.ANSWER, f"{policy} {self.charge_said_for(said[0])}")

    def own_times_picked(self, pending: PendingAction) -> AgentDecision | None:
        """ "the later one please" when the customer's own last message gave two times ("tuesday
        29th maybe, 3 or 4pm?") and a booking of one of them waits for a yes: that one of their
        two, on the proposal's day, proposed for a yes. None otherwise."""
        picked = _OWN_PICK_RE.search(self.text)
        if picked is None or pending.kind != "book" or pending.slot_start is None:
            return None
        inbound = [t for t in self.context.history if t.direction is Direction.INBOUND]
        pair = _TWO_TIMES_RE.search(normalise(inbound[-1].text)) if inbound else None
        if pair is None:
            return None
        marker = pair["m2"] or pair["m1"] or ""
        first = self.read(f"at {pair['t1']}{pair['m1'] or marker}").clock
        second = self.read(f"at {pair['t2']}{marker}").clock
        if first is None or second is None or first == second:
            return None
        early, late = sorted((first, second))
        chosen = late if picked["which"] in ("later", "latter", "second") else early
        if picked["which"] in ("first", "former"):
            chosen = first
        elif picked["which"] == "second":
            chosen = second
        held = self.local(pending.slot_start)
        return self.book(
            When(day=held.date(), clock=chosen),
            subject=pending.subject or "you",
            service_key=pending.service,
            exact=pending.service is not None,
        )

    def end_of_day_instead(self) -> AgentDecision | None:
        """ "ok the earliest then" (or "the latest") while a booking waits for a yes: that day's
        first (last) free start for the same pet and service, proposed instead; never a yes to
        the one proposed. None when nothing single is pending, or the message says no such
        thing or a time of its own."""
        pending = self.pending
        picked = _EARLIEST_OR_LATEST_RE.search(self.text)
        if (
            pending is None
            or pending.kind != "book"
            or pending.slot_start is None
            or picked is None
            or self.when.clock is not None
        ):
            return None
        # ("ah not today sorry … whats the earliest on wednesday?", set 200: that day's)
        day = self.when.day or self.local(pending.slot_start).date()
        service = self.keyed_service(pending.service)
        free = free_slots_on(self.profile, self.context.busy, day, service, now=self.now)
        if not free:
            return None
        slot = free[-1] if picked["which"] in ("latest", "last") else free[0]
        at = self.local(slot)
        return self.book(
            When(day=at.date(), clock=at.time()),
            subject=pending.subject,
            service_key=service.key,
            exact=True,
        )

    def month_talked_about(self) -> str | None:
        """The month of the customer's request ("next month", "in january"), for a day of the
        month said alone now ("the 7th"), answering our question: None when this message says
        no day of the month, or a month itself, or the request said none."""
        history = self.context.history
        if (
            not history
            or history[-1].direction is not Direction.OUTBOUND
            or self.when.day is None
            or not _DAY_OF_MONTH_RE.search(self.when_text)
            or _MONTH_SAID_RE.search(self.when_text)
            # "could he have one before christmas then? the 22nd at 10": December's 22nd
            or re.search(r"\b(?:christmas|xmas|new\s+year|easter)\b", self.when_text)
            # our question named a day already ("What time on Saturday 2 January…?"); not our
            # refusal of the day asked ("… 12 March 2027 … isn't possible yet …" / "Monday the
            # 1st then?": March's)
            or (
                _MONTH_SAID_RE.search(history[-1].text.lower())
                and not REFUSED_SLOT_RE.match(history[-1].text.strip())
            )
        ):
            return None
        for said in reversed(history[-4:]):
            if said.direction is Direction.INBOUND:
                found = _MONTH_SAID_RE.search(normalise(said.text))
                return found.group(0) if found is not None else None
        return None

    def one_asked_about(self) -> AgentDecision | None:
        """A yes to our "Which appointment should I cancel: Bella on Friday 11 December at
        10:00?" naming one booking: that booking picked, its change read back for a yes (never
        done on this one). None when our last message was no such question."""
        history = self.context.history
        if self.pending is not None or not history:
            return None
        ours = history[-1].text.strip()
        if history[-1].direction is not Direction.OUTBOUND or not WHICH_ONE_RE.match(ours):
            return None
        listed = [b for b in self.upcoming if self.say(b.slot_start) in ours]
        if len(listed) != 1:
            return None
        self.subjects = [listed[0].subject]
        return self.which_one_answered()

    def cancel_made_a_move(self) -> AgentDecision | None:
        """ "actually no, don't cancel it, can you move it to friday at half 11 instead?" to a
        cancellation read back: that booking moved there instead (read back for a yes). None
        unless a cancellation waits, the message asks for a move and says when."""
        pending = self.pending
        if pending is None or pending.kind != "cancel" or pending.booking_id is None:
            return None
        if not asks_move(self.text) or not self.when.anything:
            return None
        booking = self.upcoming_by_id(pending.booking_id)
        if booking is None:
            return None
        local = self.local(booking.slot_start)
        # ("move it to the friday after instead? same time": the Friday after that visit)
        said = self.wanted_instead_of(local)
        wanted = merge(said, When(day=local.date(), clock=local.time()))
        moved = (
            # ("move it to friday evening instead": that evening's times, asked)
            self.ask_move_time(booking, said)
            if names_part_only(said)
            else self.book(wanted, moving=booking)
        )
        if moved.proposal is None and not moved.proposals:
            # the cancellation is withdrawn all the same: never left waiting for a yes
            declined = self.decline()
            return declined.model_copy(
                update={"reply": f"OK, I haven't cancelled it. {moved.reply}"}
            )
        return moved

    def booked_if_not(self) -> AgentDecision | None:
        """A visit asked for in case a pet has nothing booked ("do I have anything booked for
        jasper? … if not can he come thursday at 11.30 for his booster", set 170), when it has
        none: said so, and that visit read back. None when the message asks no such thing, or
        a pet named has a booking (the look-up answers)."""
        otherwise = _IF_NOT_RE.search(self.context.message)
        named = [s for s in self.subjects if is_name(s)]
        if otherwise is None or len(named) != 1:
            return None
        if any(b.subject.lower() == named[0].lower() for b in self.upcoming):
            return None
        rest = self.context.message[otherwise.end() :]
        decision = self.as_if_sent(f"{rest} for {named[0]}").decide()
        if decision.intent not in (Intent.PROPOSE_BOOKING, Intent.PROPOSE_CHANGES):
            return None
        return decision.model_copy(
            update={"reply": f"Nothing is booked for {named[0]} yet. {decision.reply}"}
        )

    def another_booking_moved_too(self, pending: PendingAction) -> AgentDecision | None:
        """A move of another pet's booking asked while a new visit waits for its yes ("can
        pumpkin come in thursday at 9.30?" / "oh and hugo's dental on friday, can that go to
        the monday after instead? same time", set 170): both read back for one yes. None when
        the waiting change is not one booking, the message asks no move, names no other booked
        pet, or its move proposes nothing."""
        if pending.kind != "book" or pending.slot_start is None or pending.changes:
            return None
        if not (asks_move(self.text) or re.search(r"\b(?:go|be)\s+to\b|\binstead\b", self.text)):
            return None
        waiting = (pending.subject or "").lower()
        booked = {b.subject.lower() for b in self.upcoming}
        others = [s for s in self.subjects if s.lower() != waiting and s.lower() in booked]
        if len(others) != 1:
            return None
        # (the move read as if nothing waited: without the read-back and what it answered)
        history = self.context.history
        earlier = (
            history[:-2] if history and history[-1].direction is Direction.OUTBOUND else history
        )
        alone = type(self)(
            self.context.model_copy(update={"pending": None, "history": earlier}), self.profile
        )
        moved = alone.decide()
        if moved.intent is not Intent.PROPOSE_RESCHEDULE or moved.proposal is None:
            return None
        if moved.proposal.subject.lower() != others[0].lower():
            return None
        booking = self.upcoming_by_id(moved.proposal.booking_id)
        if booking is None:
            return None
        return self.together(
            [
                Plan("book", pending.subject, as_utc(pending.slot_start), pending.service),
                Plan(
                    "reschedule",
                    booking.subject,
                    as_utc(moved.proposal.slot_start),
                    moved.proposal.service or booking.service,
                    booking,
                ),
            ]
        )

    def lapsed_offer_corrected(self) -> AgentDecision | None:
        """A yes with a change to our offer, or a change alone, the offer lapsed ("yes for
        Pumpkin, but could Toffee's be at quarter past instead?" 50 minutes after "… Shall I
        book them?"; "could it be 3 instead? same day" the day after): our offer (else the
        customer's request before it) read again, and this message read as its correction;
        proposed for a fresh yes. None on a call, when our last message asked
        nothing, the message opens with no yes or asks no change, or the request read
        again proposes nothing, or the correction proposes nothing."""
        history = self.context.history
        if self.voice or not history or history[-1].direction is not Direction.OUTBOUND:
            return None
        ours = history[-1].text
        if "?" not in ours and "YES" not in ours:
            return None
        yes = re.match(rf"(?:{YES_WORDS})\b", self.text) is not None
        renamed = _RENAMED_RE.search(self.text)
        if not (
            (yes and (self.when.anything or _CHANGE_WORD_RE.search(self.text)))
            # "sorry mornings are out now, could it be 3 instead? same day"
            or (self.when.anything and re.search(r"\binstead\b", self.text))
            # "no, the 21st, the monday! not tuesday", "it's Mango not Margo 😅 otherwise yes"
            # (set 161): our read-back put right
            or (self.when.anything and re.match(r"(?:no|nope|nah|sorry\s+no)\b", self.text))
            or renamed is not None
            or _SERVICE_FIXED_RE.search(self.text) is not None
            # "just fig actually, dotty's fine now" to our read-back of both (set 228)
            or re.match(r"(?:just|only)\s+[a-z][a-z-]+\b", self.text) is not None
            # "hmm later than that, afternoon?" (set 228)
            or re.match(r"(?:(?:hmm+|um+|erm|ah|oh|ok)\s+)*(?:later|earlier|sooner)\b", self.text)
            is not None
        ):
            return None
        # what our message proposed, read again ("I can book Ziggy's grooming on Friday … at
        # 10:30. Shall I book it?"), else the customer's request before it decided again
        ours_pets = [
            p for p in self.pets_in(ours, known=self.known, transcript=False) if is_name(p)
        ]
        booked = {b.subject.lower() for b in self.upcoming}
        if renamed is None and {
            s.lower() for s in self.subjects if is_name(s) and s.lower() in booked
        } - {p.lower() for p in ours_pets}:
            # "no the other dog 🙈 fudge! rolo's wednesday is fine. fudge's friday one to
            # thursday at 11" (set 180): another booked pet's change, not our offer's
            return None
        first = self.again_from_our_offer() if len(ours_pets) <= 1 else None
        if first is None or (first.proposal is None and not first.proposals):
            earlier = self.request_before_ours()
            first = earlier.decide() if earlier is not None else None
        again = steps.pending_of(first, self.context, "lapsed") if first else None
        if again is None:
            return None
        offered = first.proposals or ([first.proposal] if first.proposal else []) if first else []
        wrong = renamed["wrong"].capitalize() if renamed is not None else None
        if first is not None and first.proposal is not None and first.proposal.subject == wrong:
            # "it's Mango not Margo 😅 otherwise yes": our offer again, under the right name
            assert renamed is not None and wrong is not None
            right = renamed["right"].capitalize()
            proposal = first.proposal.model_copy(update={"subject": right})
            reply = re.sub(rf"\b{re.escape(wrong)}\b", right, first.reply)
            if "nothing is booked yet" not in reply.lower():
                reply = f"Nothing is booked yet. {reply}"
            return first.model_copy(update={"proposal": proposal, "reply": reply})
        turn = type(self)(self.context.model_copy(update={"pending": again}), self.profile)
        decision = turn.decide()
        moved = self.upcoming_by_id(again.booking_id) if again.kind == "reschedule" else None
        if decision.intent is Intent.CLARIFY and moved is not None and again.slot_start:
            # "hmm later than that, afternoon?" to our lapsed move (set 228): that booking's
            # times asked for the move, as our question that a time then answers
            day = self.local(again.slot_start).date()
            return self.ask_move_time(moved, When(day=day, part=self.when.part))
        kept = [c for c in again.changes if c.id in decision.confirmed]
        if decision.intent is Intent.CONFIRM and len(kept) == 1 and kept[0].kind == "book":
            # "just fig actually, dotty's fine now" (set 228): Fig's booking alone, afresh
            local = self.local(kept[0].slot_start)
            decision = self.book(
                When(day=local.date(), clock=local.time()),
                subject=kept[0].subject,
                service_key=kept[0].service,
                exact=kept[0].service is not None,
            )
        if decision.intent not in {
            Intent.PROPOSE_BOOKING,
            Intent.PROPOSE_CHANGES,
            Intent.PROPOSE_RESCHEDULE,
        }:
            return None
        made = decision.proposals or ([decision.proposal] if decision.proposal else [])
        had = {p.subject for p in offered}
        if renamed is not None and renamed["wrong"].capitalize() in had:
            had.add(renamed["right"].capitalize())
        if {p.subject for p in made} - had and not _ADDED_AT_SAME_TIME_RE.search(self.text):
            # ("… Shadow's sister Misty will probably need one too at some point next month,
            # but I'll message you about her another time": a correction adds no pet; "yes
            # please, and could his brother Zorro come at the same time?" does, set 189)
            return None
        return decision.model_copy(update={"reply": f"Nothing is booked yet. {decision.reply}"})

    def lapsed_yes_and_question(self) -> AgentDecision | None:
        """A yes and a question about the business to our read-back with nothing pending any
        more ("yes!" / "oh and can i pay by card there?", set 228): the answer, and our offer
        proposed afresh for a yes. None on a call, when our last message proposed nothing, or
        the message is not a yes and a question (``answer_and_confirm``)."""
        if self.pending is not None or self.voice:
            return None
        first = self.again_from_our_offer()
        if first is None or (first.proposal is None and not first.proposals):
            return None
        again = steps.pending_of(first, self.context, "lapsed")
        if again is None:
            return None
        turn = type(self)(self.context.model_copy(update={"pending": again}), self.profile)
        agreed = turn.answer_and_confirm()
        if agreed is None or agreed.intent is not Intent.CONFIRM:
            return None
        answered = agreed.reply.replace(turn.confirm().reply, "").strip()
        if not answered:
            return None
        return first.model_copy(update={"reply": f"{answered} {first.reply}"})

    def opening_asked_again(self) -> AgentDecision | None:
        """A bare day asked just after we said when we are open ("open xmas eve?" / "Yes,
        we're open on Thursday 24 December, …" / "26th?", set 181): that day's opening. None
        when our last message told no opening, or this one says more than a day."""
        history = self.context.history
        if self.pending is not None or not history:
            return None
        if history[-1].direction is not Direction.OUTBOUND:
            return None
        if not _OPENING_TOLD_RE.match(history[-1].text):
            return None
        message = self.context.message.strip()
        if "?" not in message or len(message.split()) > 4 or self.when.clock is not None:
            return None
        if self.when.day is None or BOOKING_WORD_RE.search(self.text):
            return None
        if self.profile.find_service(self.text) is not None or self.subjects:
            return None
        said = answers.answer(
            "are you open", self.profile, day=self.when.day, weekday=weekday_asked(self.when)
        )
        return reply_as(Intent.ANSWER, said) if said is not None else None

    def when_of_question(self) -> When:
        """The day and part of the day the message's first question says, the rest from the
        whole message ("are you open saturday afternoons? saturday morning is getting tricky
        …": the afternoon asked about, not the morning)."""
        opened = OPEN_ON_DAY_RE.search(self.text)
        if opened is not None:
            # "I work mon-fri and the kids have football saturday mornings, are you open
            # sundays?": the day the question names
            named = self.read(opened.group(0))
            whole = self.when.day
            if (
                whole is not None
                and named.day is not None
                and whole.weekday() == named.day.weekday()
            ):
                return self.when  # "are you open on saturday 26 december?": that Saturday
            return named
        questions = [q for q in re.split(r"(?<=\?)", self.context.message) if "?" in q]
        if len(questions) == len(re.split(r"(?<=[.?!])\s+", self.context.message.strip())):
            return self.when  # only questions: the message's own reading
        return merge(self.read(normalise(questions[0])), self.when) if questions else self.when

    def ends_at(self, pending: PendingAction) -> str:
        """ " It would be done by 10:45." when the message asks how long the visit proposed
        takes ("wait, how long does it take? I've got to be across town at 11"); else ""."""
        if pending.slot_start is None or not _HOW_LONG_RE.search(self.text):
            return ""
        length = self.keyed_service(pending.service).duration_minutes
        ends = self.local(pending.slot_start) + timedelta(minutes=length)
        return f" From {self.local(pending.slot_start):%H:%M}, it would be done by {ends:%H:%M}."

    def cancel_made_another_service(self) -> AgentDecision | None:
        """ "but could she have the same as Thistle instead, while she's there?" to our
        proposed cancellation of Bramble's check-up: Bramble's booking kept, as Thistle's
        service, at its own time. None unless a cancellation is pending and the message asks
        for another booked pet's service ("the same as <pet>") that differs from the held
        booking's."""
        pending = self.pending
        if pending is None or pending.kind != "cancel" or pending.booking_id is None:
            return None
        found = _SAME_AS_PET_RE.search(self.text)
        if found is None:
            return None
        held = self.upcoming_by_id(pending.booking_id)
        other = [b for b in self.upcoming if b.subject.lower() == found["pet"]]
        if held is None or len({b.service for b in other}) != 1 or other[0].service == held.service:
            return None
        return self.change_service(held, self.keyed_service(other[0].service))

    def reminder_kept(self) -> AgentDecision | None:
        """ "yes still coming 👍 thank you" to our reminder: that booking confirmed back.
        None unless our last message was a reminder of an upcoming booking and this one says
        yes or that they are coming, asking, changing or cancelling nothing."""
        booking = self.reminded_booking()
        if booking is None or "?" in self.context.message or self.when.anything:
            return None
        text = self.text
        if not (
            re.match(rf"(?:{YES_WORDS})\b", text)
            or _STILL_COMING_RE.search(text)
            or KEEP_RE.search(text)  # "keep it" to "… keep the appointment …, or cancel it?"
        ):
            return None
        if CANCEL_RE.search(text) or asks_move(text) or NO_RE.match(text):
            return None
        return reply_as(
            Intent.ASK_BOOKING,
            f"Thanks, that's confirmed: see you on {self.say(booking.slot_start)}"
            f"{for_(booking.subject)}.",
        )

    def am_or_pm_of_booking(self) -> AgentDecision | None:
        """ "oh hang on, is that am or pm?" after our "Done: …" (or a booking we named): its
        time said both ways. None for any other message."""
        if not _AM_OR_PM_RE.search(self.text) or self.when.clock is not None:
            return None
        booking = self.booking_just_done() or self.booking_we_named()
        if booking is None:
            return None
        local = self.local(booking.slot_start)
        twelve = local.strftime("%-I:%M %p").replace(":00", "").lower()
        return reply_as(
            Intent.ANSWER,
            f"{local:%H:%M} is {twelve}, in the {part_of_day(local.hour)}: the appointment"
            f"{for_(booking.subject)} is on {self.say(booking.slot_start)}.",
        )

    def booking_said_back(self) -> AgentDecision | None:
        """The day (and time) of the booking our last message named, said back with thanks
        ("did I book Luna for thursday or friday?" / "… Luna is on Friday 11 December at
        11:15." / "friday, great, that works. thanks!"): acknowledged, nothing booked. None
        when it asks, requests or changes anything, or says another day or time."""
        booking = self.booking_we_named()
        if booking is None or "?" in self.context.message or self.when.day is None:
            return None
        text = self.text
        if not _SAID_BACK_RE.search(text) or REQUEST_RE.search(text) or asks_move(text):
            return None
        if CANCEL_RE.search(text) or self.profile.find_service(text) is not None:
            return None
        there = self.local(booking.slot_start)
        if self.when.day != there.date() or self.when.clock not in {None, there.time()}:
            return None
        return reply_as(Intent.OTHER, f"See you on {self.say(booking.slot_start)}!")

    def own_booking_that_day(self) -> AgentDecision | None:
        """The pet's own booking on the day the message names, when the message asks no new
        visit of it ("It's Pixel's first ever vet visit tomorrow … is there anything I should
        bring?", "thanks but no, friday suits us better 😊 keep her where she is"): the
        question answered and the booking said, never another time offered for that pet.
        None when something waits for a yes, a time is said, a pet named has no booking that
        day, or the message asks for a visit, a move or another pet."""
        when = self.when
        if self.pending is not None or when.day is None or when.clock is not None:
            return None
        # ("what do i need to bring for dottie's jab on wednesday?", set 215: her booked jab)
        theirs = _THEIR_VISIT_RE.sub(" ", self.text)
        if (
            _NEW_VISIT_WORDS_RE.search(theirs)
            or asks_move(self.text)
            or FREE_TIMES_ASKED_RE.search(self.text)  # "what other times have you got …?"
        ):
            return None
        named = [s for s in self.requested_pets() if is_name(s)]
        pets = {n.lower() for n in named} or {b.subject.lower() for b in self.upcoming}
        that_day = [
            b
            for b in self.upcoming
            if b.subject.lower() in pets and self.local(b.slot_start).date() == when.day
        ]
        if not that_day or {b.subject.lower() for b in that_day} != pets:
            return None
        told = and_listed([f"{b.subject} on {self.say(b.slot_start)}" for b in that_day])
        if KEEP_RE.search(self.text) or re.search(r"\b(?:no|nah)\b", self.text):
            return reply_as(Intent.OTHER, f"No problem: the booking stays as it is, {told}.")
        said = answers.answer(self.text, self.profile) if answers.is_question(self.text) else None
        booked = f"Your appointment{'s are' if len(that_day) > 1 else ' is'} for {told}."
        if said is None:
            # "about tigger's appointment on thursday": the booking, and what they want of it
            them = "them" if len(that_day) > 1 else "it"
            return reply_as(Intent.ASK_BOOKING, f"{booked} How can I help with {them}?")
        return reply_as(Intent.ASK_BOOKING, f"{said} {booked}")

    def decide(self) -> AgentDecision:
        """This turn's decision; one leaving out a pet asked for in an ask of its own is
        completed (``each_pet_alone``), or the same change for another pet
        (``same_for_another``)."""
        decision = self.decide_one()
        decision = self.each_pet_alone(decision) or self.same_for_another(decision) or decision
        decision = self.with_booking_checked(decision)
        reminded = self.reminded_booking() if _WHICH_REMINDED_RE.search(self.text) else None
        if reminded is not None and self.say(reminded.slot_start) not in decision.reply:
            # "is this one for Coco or Biscuit? I thought Biscuit's groom was on wednesday?"
            told = f"This reminder is for {reminded.subject} on {self.say(reminded.slot_start)}."
            decision = decision.model_copy(update={"reply": f"{told} {decision.reply}"})
        if (
            decision.intent is Intent.ASK_BOOKING
            and _SIBLING_TOO_RE.search(self.text)
            and all(s.lower() in {b.subject.lower() for b in self.upcoming} for s in self.subjects)
        ):
            # "is luna still on for friday? can her sister come along too" (set 182): the
            # booking said, and the sister's name asked (her visit read with it next)
            decision = decision.model_copy(
                update={"reply": f"{decision.reply} Of course she can come too. {PET_NAME_ASKED}"}
            )
        if decision.reply == YOU_ARE_WELCOME and WISHES_RE.search(self.text):
            # "thanks … have a lovely christmas 🎄": the wishes returned
            decision = decision.model_copy(
                update={"reply": YOU_ARE_WELCOME.replace("!", ", and the same to you!", 1)}
            )
        return decision

    def booking_time_asked(self) -> bool:
        """Whether a sentence asks when a booking is ("when is her appointment again?", "what
        time is kiwi's check up tmrw?", "is peanut booked tomorrow morning?")."""
        return bool(
            _WHEN_IS_IT_RE.search(self.text) or _IS_IT_BOOKED_RE.search(self.context.message)
        )

    def with_booking_checked(self, decision: AgentDecision) -> AgentDecision:
        """``decision`` (a proposal for another visit) with the answer to a booking checked
        in a sentence of its own ("Daisy's booked in on friday at 10 isn't she? could I bring
        her sister Rosie as well …"): that booking said first. ``decision`` unchanged when no
        sentence checks one booking of a pet the proposal is not for."""
        if (
            self.booking_time_asked()
            and self.upcoming
            and decision.intent is not Intent.ASK_BOOKING
        ):
            # "when is her appointment again? is there anything sooner?": said first
            theirs = self.narrowed_to_one(self.targets())
            slot = self.say(theirs[0].slot_start) if len(theirs) == 1 else None
            if slot is not None and slot not in decision.reply:
                told = f"The appointment{for_(theirs[0].subject)} is on {slot}."
                return decision.model_copy(update={"reply": f"{told} {decision.reply}"})
        if decision.intent not in (Intent.PROPOSE_BOOKING, Intent.PROPOSE_CHANGES):
            return decision
        sentences = [s for s in re.split(r"(?<=\?)\s+", self.context.message) if s.strip()]
        if len(sentences) < 2:
            return decision
        proposed = {
            p.subject.lower()
            for p in (decision.proposals or ([decision.proposal] if decision.proposal else []))
        }
        for sentence in sentences:
            said = normalise(sentence)
            if not BOOKING_CHECKED_RE.search(said):
                continue
            pets = {p.lower() for p in self.pets_in(sentence, known=self.known, transcript=False)}
            when = self.read(said)
            checked = [
                b
                for b in self.upcoming
                if b.subject.lower() in pets - proposed
                and (when.day is None or self.local(b.slot_start).date() == when.day)
            ]
            if len(checked) == 1:
                told = f"Yes, {checked[0].subject} is booked for {self.say(checked[0].slot_start)}."
                return decision.model_copy(update={"reply": f"{told} {decision.reply}"})
        return decision

    def recovered_before_visit(self) -> AgentDecision | None:
        """A pet with one upcoming visit said to be well again, nothing asked ("she's
        completely fine now, the eye thing cleared up on its own"): glad, and whether to keep
        or cancel that visit asked (nothing changed). None otherwise."""
        if self.pending is not None or not _RECOVERED_RE.search(self.text):
            return None
        if answers.is_question(self.text) or REQUEST_RE.search(self.text):
            return None
        named = {s.lower() for s in self.subjects if is_name(s)}
        theirs = [b for b in self.upcoming if not named or b.subject.lower() in named]
        if len({b.subject.lower() for b in theirs}) != 1 or len(theirs) != 1:
            return None
        visit = theirs[0]
        return reply_as(
            Intent.CLARIFY,
            f"Glad to hear {visit.subject} is better! {KEEP_OR_CANCEL_ASKED} "
            f"{self.say(visit.slot_start)}, or shall I cancel it?",
        )

    def yes_and_another_change(self) -> AgentDecision | None:
        """A yes to the booking read back, then a move or cancellation of another pet's booking
        in the same message ("yes. actually could you move Milo's dental to 11 then?" while
        Tigger's 12:00 waits): both read back for one yes, never the request put in place of
        the booking waiting (Tigger at 11 for a dental). None when no single booking waits for
        a yes, the message opens with no yes, or its rest changes no other pet's booking."""
        pending = self.pending
        if pending is None or pending.changes or pending.kind != "book":
            return None
        if pending.slot_start is None:
            return None
        opened = _YES_THEN_RE.match(self.context.message)
        if opened is None:
            return None
        rest = self.context.message[opened.end() :]
        said = normalise(rest)
        if not (asks_move(said) or CANCEL_RE.search(said)):
            return None
        part = type(self)(
            self.context.model_copy(update={"message": rest, "pending": None}), self.profile
        )
        plans = self.plans_of(part.decide())
        waiting = (pending.subject or "").lower()
        if not plans or any(
            p.kind == "book" or p.booking is None or p.subject.lower() == waiting for p in plans
        ):
            return None
        booked = Plan("book", pending.subject or "you", as_utc(pending.slot_start), pending.service)
        self.keep_services = True
        return self.several([booked, *plans])

    def asks_something(self, text: str) -> bool:
        """Whether normalised ``text`` (a part of the message) asks for a change or a visit: a
        cancellation, a move, a day or time, or a request."""
        return bool(
            CANCEL_RE.search(text)
            or asks_move(text)
            or self.read(text).anything
            or REQUEST_RE.search(text)
        )

    def time_instead_of_pending(self) -> time | None:
        """The other time a message asks for when the time it reads first is the one waiting
        for a yes, turned down ("8.30's a bit early with the school run, could you do 10 that
        day instead?" to 08:30 read back): 10:00. None otherwise."""
        pending = self.pending
        if pending is None or pending.slot_start is None or pending.changes:
            return None
        held = self.local(pending.slot_start).time()
        if self.when.clock != held:
            return None
        others = {
            clock
            # (not "he normally has breakfast at 9", set 185)
            for found in _OTHER_TIME_ASKED_RE.finditer(without_their_own_hours(self.text))
            if (clock := self.read(f"at {found['time']}").clock) is not None and clock != held
        }
        return others.pop() if len(others) == 1 else None

    def cancel_asked_again(self) -> AgentDecision | None:
        """The cancellation read back asked for again ("never mind then, leave rosie on
        thursday. just cancel pip's" while Pip's waits for a yes): confirmed. None unless a
        cancellation of one booking waits and the message asks to cancel that pet's, naming
        no other day or time."""
        pending = self.pending
        if pending is None or pending.kind != "cancel" or pending.changes or not pending.subject:
            return None
        if not CANCEL_RE.search(self.text) or _DONT_CANCEL_RE.search(self.text):
            return None
        # (the message as written, cut where it is: "sorry sorry, I mean daisy's! bruno still
        # needs to come in, it's daisy's we can't make" cancels no Bruno)
        said = [
            normalise(c)
            for c in re.split(r"[.,;!?]|\bbut\b", self.context.message)
            if CANCEL_RE.search(normalise(c))
        ]
        pet = pending.subject.lower()
        if len(said) != 1 or not re.search(rf"\b{re.escape(pet)}(?:'s)?\b", said[0]):
            return None
        if self.read(said[0]).anything:
            return None
        return self.confirm()

    def undo_asked(self) -> AgentDecision | None:
        """ "oh wait, can you undo that please!" just after "Done: Nala is booked …": that
        booking's cancellation read back for a yes. None when nothing was just booked or the
        message asks no undo (a move just made is moved back by ``slot_before_move``)."""
        if self.pending is not None or not _UNDO_RE.search(self.text):
            return None
        history = self.context.history
        if not history or not history[-1].text.startswith("Done:") or "moved" in history[-1].text:
            return None
        named = self.bookings_done_named()
        done = [b for b in self.bookings_just_done() if not is_name(b.subject) or b in named]
        if len(done) == 1:
            return self.propose_cancel(done[0])
        return self.cancel_every(done) if done else None

    def recap_checked(self) -> AgentDecision | None:
        """The customer's summary checked ("yes. so that's Ruby at 9:30 and Jasper at 11 on the
        14th?" while Jasper's move to 11:00 waits; "thanks! so that's Luna thursday at 10 and
        Buddy friday at 10?"): when every pet, day and time it says is what is booked (with
        the change waiting, if any), the change is confirmed, or the bookings said back. None
        when it is no such summary, or any part of it is not so (it is read as a request)."""
        found = _RECAP_RE.match(self.context.message)
        if found is None or "?" not in self.context.message:
            return None
        pending = self.pending
        if pending is not None and (pending.changes or pending.kind == "cancel"):
            return None
        slots: dict[str, list[datetime]] = {}
        for b in self.upcoming:
            if pending is not None and pending.booking_id == b.id:
                continue  # (moved to the slot waiting)
            slots.setdefault(b.subject.lower(), []).append(self.local(b.slot_start))
        if pending is not None and pending.slot_start is not None and pending.subject:
            slots.setdefault(pending.subject.lower(), []).append(self.local(pending.slot_start))
        said = self.context.message[found.end() :]
        whole = self.read(normalise(said))
        checked: list[tuple[str, datetime]] = []
        gone: list[str] = []
        for clause in re.split(r"\s*(?:,|\band\b|&|\+)\s*", said):
            found_in = self.pets_in(clause, known=self.known, transcript=False)
            names = [n for n in found_in if is_name(n)]
            if not names:
                continue
            when = self.read(normalise(clause))
            if re.search(r"\bcancell?ed\b", clause, re.IGNORECASE) and not when.anything:
                # "… and Bailey's cancelled?": so when nothing of hers is still to come
                if pending is not None or any(n.lower() in slots for n in names):
                    return None
                told = [
                    t.text
                    for t in self.context.history
                    if t.direction is Direction.OUTBOUND and "cancelled" in t.text
                ]
                if not all(any(n in t for t in told) for n in names):
                    return None  # (never said cancelled by us: not so)
                gone += names
                continue
            for name in names:
                at = [
                    s
                    for s in slots.get(name.lower(), [])
                    if (when.clock is None or s.time() == when.clock)
                    and ((when.day or whole.day) in (None, s.date()))
                ]
                if len(at) != 1 or (when.clock is None and when.day is None):
                    return None
                checked.append((name, at[0]))
        if not checked:
            return None
        if pending is not None:
            if not any(name.lower() == (pending.subject or "").lower() for name, _ in checked):
                return None
            return self.confirm()
        listed = and_listed(
            [f"{name} on {self.say(at)}" for name, at in checked]
            + [f"{name}'s appointment is cancelled" for name in gone]
        )
        return reply_as(Intent.ASK_BOOKING, f"Yes: {listed}.")

    def booked_already_kept(self) -> AgentDecision | None:
        """ "ohh my husband must have booked it already 😅 no thats fine, leave it as it is then"
        to our "Rusty is already booked for Thursday 17 December at 10:00. What time …?" (set
        230): nothing new, that booking said to stay. None unless our last message told of
        such a booking and this one keeps it, with no day or time of its own."""
        history = self.context.history
        if self.pending is not None or not history or self.when.anything:
            return None
        if history[-1].direction is not Direction.OUTBOUND:
            return None
        told = _ALREADY_BOOKED_SAID_RE.search(history[-1].text)
        if told is None or not _KEPT_AS_IS_RE.search(self.text):
            return None
        return reply_as(
            Intent.ASK_BOOKING,
            f"No problem: {told['pet']} stays booked for {told['slot']}. See you then!",
        )

    def cancellation_called_off(self) -> AgentDecision | None:
        """ "no wait / don't cancel / my husband can take him after all" to a cancellation read
        back: declined; "no!! don't cancel it, I only wanted to check what time it was" with
        none waiting: nothing cancelled, said so (with the booking when it is asked about).
        None unless the message says not to cancel and asks no other cancellation."""
        kept = _DONT_CANCEL_RE.search(self.text) or (
            # "actually no leave it, i'll make it work" to a cancellation read back
            self.pending is not None
            and self.pending.kind == "cancel"
            and LEAVE_IT_RE.search(self.text)
        )
        if not kept or CANCEL_RE.search(self.text):
            return None
        if self.when.anything or asks_move(self.text) or HANDOFF_RE.search(self.text):
            return None  # "don't cancel it! just move it to saturday at 10 instead"
        if self.pending is not None:
            return self.decline() if self.pending.kind == "cancel" else None
        if not self.upcoming:
            return None
        if self.asks_about_bookings() or _WHAT_TIME_ASKED_RE.search(self.text):
            looked_up = self.lookup()
            return looked_up.model_copy(
                update={"reply": f"No problem, nothing is cancelled. {looked_up.reply}"}
            )
        return reply_as(
            Intent.OTHER, "No problem, I haven't cancelled anything: it stays as it is."
        )

    def day_only_of_symptoms(self) -> bool:
        """Whether every day or time the message says is when the pet's trouble is told
        ("she's been sneezing loads today"), none asked for."""
        if not _SYMPTOM_DAY_RE.search(self.text):
            return False
        return not self.read(_SYMPTOM_DAY_RE.sub(" ", self.text)).anything

    def other_pet_to_book(self, pending: PendingAction) -> AgentDecision | None:
        """ "nooo sorry wrong dog 🙈 it's Frankie that needs the groom" or "NOT scout sorry!!
        pudding" to a new booking read back for another pet (set 161): the same visit read back
        for the pet meant (at the day or time said now, if any). None unless one new booking
        waits, the message says the pet was wrong, and it names one other pet."""
        if pending.kind != "book" or pending.changes or pending.slot_start is None:
            return None
        held = (pending.subject or "").lower()
        if not held or not (
            _WRONG_PET_RE.search(self.text) or re.search(rf"\bnot\s+{re.escape(held)}\b", self.text)
        ):
            return None
        others = [s for s in self.subjects if is_name(s) and s.lower() != held]
        if len(others) != 1:
            return None
        when = self.pending_when(pending)
        if self.when.anything:
            when = merge(self.when, when)
        return self.book(when, subject=others[0], service_key=pending.service, exact=True)

    def day_apart_from_anothers(self) -> date | None:
        """ "tuesday or thursday … not the same day as loki's jab" (Loki's is on Tuesday, set
        155): of the days said, the first that is not that pet's visit's day. None unless the
        message says so of a pet with a visit on the day read."""
        found = _NOT_SAME_DAY_AS_RE.search(self.text)
        if found is None or self.when.day is None:
            return None
        theirs = {
            self.local(b.slot_start).date()
            for b in self.upcoming
            if b.subject.lower() == found["pet"]
        }
        if self.when.day not in theirs:
            return None
        for mention in DAY_MENTION_RE.finditer(self.text):
            day = self.read(mention.group(0)).day
            if day is not None and day not in theirs and day >= self.local_now.date():
                return day
        return None

    def earliest_of_ours(self) -> AgentDecision | None:
        """ "the earliest of those please", "whichever's soonest then, yes please", "first time
        you can fit them both is great" to our read-back (set 155): the earliest of the time
        read back and the others our message offered beside it; the read-back's confirmed when
        it is that one, else that time read back instead. None unless the message asks for the
        first or earliest and says no day or time, and our last message read back for a yes."""
        pending = self.pending
        history = self.context.history
        if (
            pending is None
            or not _EARLIEST_OF_OURS_RE.search(self.text)
            # ("the first of those" is no 1st of the month)
            or self.read(_EARLIEST_OF_OURS_RE.sub(" ", self.text)).anything
            or not history
            or history[-1].direction is not Direction.OUTBOUND
            or "Reply YES to confirm" not in history[-1].text
        ):
            return None
        slots = [c.slot_start for c in pending.changes] or (
            [pending.slot_start] if pending.slot_start is not None else []
        )
        notice = timedelta(minutes=self.profile.min_notice_minutes)
        if not slots or min(as_utc(s) for s in slots) < self.now + notice:
            return None  # (too near now by the time the answer came: read afresh)
        first = self.local(min(slots))
        also = _ALSO_HAVE_RE.search(history[-1].text)
        offered = (
            [time(int(h), int(m)) for h, m in re.findall(r"(\d{2}):(\d{2})", also[1])]
            if also is not None
            else []
        )
        earlier = [t for t in offered if t < first.time()]
        if not earlier or pending.changes:
            return self.confirm()
        return self.book(
            When(day=first.date(), clock=min(earlier)),
            subject=pending.subject or None,
            service_key=pending.service,
        )

    def yes_naming_pending(self, text: str) -> bool:
        """Whether normalised ``text`` is a yes that restates the change waiting, by its verb
        and the pets it is for ("yes move rocky please", "yes cancel bella's"), nothing else."""
        pending = self.pending
        if pending is None or not pending.subject:
            return False
        pets = "|".join(re.escape(p.strip().lower()) for p in pending.subject.split(","))
        verb = {"cancel": "cancel", "reschedule": "move|change|reschedule"}.get(
            pending.kind or "", "book|move|cancel|change"
        )
        # (or by a pronoun, when one pet's change waits: "yes cancel hers", set 156)
        one = r"|it|that|that\s+1|hers|his|her\s+1|his\s+1" if "," not in pending.subject else ""
        return (
            re.fullmatch(
                rf"(?:{YES_WORDS})\s+(?:please\s+)?(?:{verb})\s+(?:{pets}{one})(?:'s)?"
                rf"(?:\s+(?:please|pls|thanks|thank\s+you|then))*",
                text.strip(),
            )
            is not None
        )

    def pet_meant_after_done(self) -> AgentDecision | None:
        """ "omg sorry i meant ginger not pretzel … same time" (set 214) just after "Done: Pretzel
        is booked …": that booking cancelled and the same visit booked for the pet meant, read
        back together for one yes. None unless our last message said one booking was done, the
        message says another pet was meant instead of its pet, and that pet is not booked."""
        if self.pending is not None:
            return None
        done = self.booking_just_done()
        meant = _PET_MEANT_INSTEAD_RE.search(self.text)
        if done is None or meant is None or meant["old"] != done.subject.lower():
            return None
        new = next((s for s in self.subjects if s.lower() == meant["new"]), None)
        if new is None or new.lower() in {b.subject.lower() for b in self.upcoming}:
            return None
        slot = as_utc(done.slot_start)
        return self.several(
            [
                Plan("cancel", done.subject, slot, done.service, done),
                Plan("book", new, slot, done.service),
            ]
        )

    def same_day_as_booked(self) -> AgentDecision | None:
        """ "want to book one for mabel (lola's sister) on the same day as lola's appointment"
        (set 210): a visit for the pets named who are not booked, on the day of the one booking
        of the pet named after "same day as", at the time said or its free times asked; a
        question beside it answered first. None unless the message says so of a pet with one
        upcoming booking and names a pet without one, and nothing waits for a yes."""
        found = _SAME_DAY_AS_RE.search(self.text)
        if found is None or self.pending is not None or asks_move(self.text):
            return None
        theirs = [b for b in self.upcoming if b.subject.lower() == found["pet"]]
        booked = {b.subject.lower() for b in self.upcoming}
        newcomers = [s for s in self.subjects if is_name(s) and s.lower() not in booked]
        if len(theirs) != 1 or not newcomers:
            return None
        day = self.local(theirs[0].slot_start).date()
        said = self.service_said()
        decision = self.book(
            When(day=day, clock=self.when.clock, part=self.when.part),
            subject=join(newcomers),
            service_key=said.key if said is not None else None,
        )
        return self.answering_too(decision)

    def wrong_service_fixed(self) -> AgentDecision | None:
        """ "I asked for a nail trim and your confirmation says vaccination … can you fix it
        please, same time is fine" (set 218): the booking's service changed to the one asked
        for, read back for a yes, not handed to the team. None unless the message asks only to
        fix it, names one service other than its booking's, and points at one booking."""
        if HANDOFF_RE.search(_FIX_IT_RE.sub(" ", self.text)) or not _FIX_IT_RE.search(self.text):
            return None
        named = {s.lower() for s in self.subjects if is_name(s)}
        booked = [b for b in self.upcoming if not named or b.subject.lower() in named]
        if len(booked) != 1 or self.when.day is not None or self.when.clock is not None:
            return None
        other = [
            s for s in answers.services_named(self.text, self.profile) if s.key != booked[0].service
        ]
        return self.change_service(booked[0], other[0]) if len(other) == 1 else None

    def decide_one(self) -> AgentDecision:
        text = self.text
        if not text:
            return reply_as(Intent.CLARIFY, "Sorry, I didn't catch that. Could you say it again?")
        if _FILE_NAME_ONLY_RE.match(self.context.message.strip()):
            # "IMG_4471.jpg": a file's name pasted or sent instead of the file
            return reply_as(
                Intent.CLARIFY,
                "Only the file's name came through, not the file itself; you could try sending "
                "it again. How can I help?",
            )
        language = foreign_language(self.context.message)
        if language is not None and language not in self.profile.languages:
            said = not_served_reply(language)
            if said is not None:
                return reply_as(Intent.OTHER, said)
        opening = self.opening_asked_again()
        if opening is not None:
            return opening
        # ("Roxy had a seizure last month at 2am …": what happened then, no alarm now)
        alarm = _EMERGENCY_RE.search(
            _PAST_EMERGENCY_RE.sub(" ", answers.without_denied_urgency(text))
        )
        if alarm and _WELL_AGAIN_RE.search(text) and not _DANGER_NOW_RE.search(text):
            alarm = None  # ("… ate half a sock on saturday night … she's FINE", set 158)
        night = self.profile.policies.get("emergencies")
        asked_ahead = _WHAT_IF_RE.search(text) or (
            _NIGHT_SERVICE_ASKED_RE.search(text)
            # ("my dog is bleeding, is there an emergency number?": happening now)
            and not _EMERGENCY_RE.search(_NIGHT_SERVICE_ASKED_RE.sub(" ", text))
        )
        if (
            alarm
            and night
            and asked_ahead
            and answers.is_question(text)
            and self.when.clock is None  # (no visit asked beside it)
        ):
            # "just in case – if Ginger has another seizure this weekend when you're closed, who
            # do I ring?": asked ahead, not happening now; the numbers, no alarm raised
            phone = self.profile.phone
            during = f"While we're open, call us on {phone}. " if phone else ""
            return reply_as(Intent.ANSWER, f"{during}{night}")
        if alarm:
            # before yes/no: "yes he's bleeding" is not a yes; "nothing urgent" is no emergency
            return self.emergency()
        if (
            self.pending is None
            and answers.asks_out_of_hours_care(text)
            and self.when.clock is None
            and not _VISIT_ASKED_RE.search(text)
            # ("need to cancel gizmo's jab on friday … also what's the number for emergencies
            # out of hours?": the cancellation read back, the number beside it)
            and not (self.upcoming and CANCEL_RE.search(text))
        ):
            # "what would I do if Scout took poorly on a Sunday when you're shut?": the night
            # service, not a booking on the Sunday it names
            said = answers.answer(text, self.profile)
            if said is not None:
                return reply_as(Intent.ANSWER, said)
        kept = self.cancellation_called_off() or self.booked_already_kept()
        if kept is not None:
            return kept
        joined = (
            self.yes_and_another_change()
            or self.recap_checked()
            or self.undo_asked()
            or self.cancel_asked_again()
        )
        if joined is not None:
            return joined
        # what we offered days ago, asked for again or asked about (set 160); asks numbered
        # one by one (set 170)
        earlier = (
            self.state_from_log()
            or self.earlier_offer_taken()
            or self.asked_again_move()
            or self.each_item()
        )
        if earlier is not None:
            return earlier
        ours = [t.text for t in self.context.history if t.direction is Direction.OUTBOUND]
        if (
            self.pending is not None
            and self.pending.slot_start is not None
            and ours
            and ours[-1].startswith("No problem, take your time.")
            and _BARE_ACK_RE.fullmatch(self.context.message.lower())
        ):
            # "actually hold off, i'll message you back" / (our "take your time") / "👍 thanks":
            # the thanks for our patience, not the yes we said we would wait for
            return reply_as(
                Intent.OTHER,
                f"Nothing is booked yet. {self.restate(self.pending)} Just reply YES when "
                "you're ready.",
            )
        if (
            self.pending is not None
            and self.pending.slot_start is not None
            and re.match(rf"(?:{YES_WORDS})\b", text)
            and _IF_A_CHOICE_RE.search(text)
            and not self.read(_IF_A_CHOICE_RE.sub(" ", text)).anything
        ):
            # "great, yes please - the earliest one if there's a choice" to the one time read
            # back: a yes (the earliest said as a preference, not another time)
            return self.confirm()
        picked = self.listed_pick()  # "the 2nd one" to our list of bookings: never a date
        if picked is not None:
            return picked
        # (before the written yes, which would drop the question)
        agreed = self.answer_and_confirm() or self.lapsed_yes_and_question()
        if agreed is not None:
            return agreed
        if YES_RE.match(text) and self.pending is None:
            checked = self.day_check_answered()
            if checked is not None:
                return checked
        if self.pending is None and not self.voice and THANKS_ONLY_RE.match(text):
            # "great thanks!" with nothing to confirm is thanks, not a yes to nothing
            return reply_as(Intent.OTHER, YOU_ARE_WELCOME)
        if (
            self.pending is None
            and self.upcoming
            and BOOKING_KEPT_RE.search(said := normalise(self.context.message))
            and not re.search(
                r"[a-z0-9]", _FILLER_WORDS_RE.sub(" ", BOOKING_KEPT_RE.sub(" ", said))
            )
        ):
            # "and max's tuesday one stays as is 👍": nothing to change
            return reply_as(Intent.OTHER, "Great, that one stays as it is.")
        said_back = (
            self.booking_said_back()
            or self.undo_just_done()
            or self.am_or_pm_of_booking()
            or self.reminder_kept()
            if self.pending is None
            else None
        )
        if said_back is not None:
            return said_back
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
            return handed_over(
                reply=(
                    "I can't give medical advice here, so I've passed your question to the "
                    f"team: they'll get back to you {self.back_where()}. If you'd like a vet to "
                    "see your pet, I can book a consultation."
                ),
                note=f"A health question for the vet: {self.context.message!r}",
            )
        still = (
            self.question_before_booking()
            or self.still_come_when_unwell()
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
        dropped = self.service_dropped() if self.pending is not None else None
        if dropped is not None:
            return dropped
        earliest = self.earliest_of_ours() if self.pending is not None else None
        if earliest is not None:
            return earliest
        fee = self.fee_of_this_change() if self.pending is not None else None
        if fee is not None:
            return fee
        said_yes = re.match(rf"(?:{YES_WORDS})\b", text) is not None
        if self.pending is not None and self.pending.changes:
            swapped = (
                self.swapped_round(self.pending)
                or self.kinds_kept(self.pending)
                or self.services_kept(self.pending)
                or self.the_other_one(self.pending)
            )
            if swapped is not None:
                return swapped
            if (
                said_yes
                and re.search(r"\b(?:too|as\s+well|both|all)\b", text)
                and self.names_only_the_pending()
                # (not "ok 3.30 for both please" to both at 17:00, set 185: another time)
                and (
                    self.when.clock is None
                    or all(
                        self.local(c.slot_start).time() == self.when.clock
                        for c in self.pending.changes
                    )
                )
            ):
                return self.confirm()  # "yes cancel max's too": all of them
            # "yes, just sushi": the others dropped first, not all confirmed
            kept = self.narrowed_several(self.pending) or self.service_of_one(self.pending)
            if kept is not None:
                return kept
        waiting = self.pending
        if (
            waiting is not None
            and not waiting.changes
            and said_yes
            and (
                kept_pet := re.search(
                    r"\bkeep\s+([a-z][a-z-]+?)(?:'s)?\b", normalise(self.context.message)
                )
            )
            and kept_pet[1] != (waiting.subject or "").lower()
            and kept_pet[1] in {b.subject.lower() for b in self.upcoming}
        ):
            # "Yes, but keep Nala's – she still needs to come in" to Luna's cancellation
            return self.confirm()
        added = self.confirm_and_add() if self.pending is not None else None
        if added is not None:
            return added
        if (
            waiting is not None
            and not waiting.changes
            and said_yes
            and NOT_SERVICE_RE.search(text)
            and (other := self.other_service(waiting)) is not None
        ):
            # "yes please, oh and it's a nail trim not a check-up sorry": read back again with
            # that service, never booked as the check-up
            return self.book(
                self.pending_when(waiting),
                subject=waiting.subject or "you",
                service_key=other,
                exact=True,
            )
        being_moved = (
            self.upcoming_by_id(waiting.booking_id)
            if waiting is not None and waiting.kind == "reschedule" and not waiting.changes
            else None
        )
        asked_service = (
            self.profile.find_service(NOT_SERVICE_RE.sub(" ", text))
            if being_moved is not None
            and re.search(r"\b(?:instead|rather\s+than|not\s+the)\b", text)
            else None
        )
        if (
            waiting is not None
            and being_moved is not None
            and asked_service is not None
            and asked_service.key != (waiting.service or being_moved.service)
            and said_yes
        ):
            # "Yes please, and can it be a groom instead of the check-up while we're at it?"
            # to Fudge's move: the move read back again with the groom
            self.changed_service = (being_moved.id, asked_service)
            return self.book(self.pending_when(waiting), moving=being_moved)
        if (
            waiting is not None
            and not waiting.changes
            and waiting.kind == "book"
            and waiting.slot_start is not None
            and said_yes
            and re.search(r"\b(?:as\s+well|too|also)\b", text)
            and self.when.shift is not None
            and self.when.shift >= timedelta(days=1)
            and self.when.day is None
        ):
            # "sure, same time next week as well?": this one and another that much later, read
            # back together for one yes
            start = as_utc(waiting.slot_start)
            this_one = Plan("book", waiting.subject or "you", start, waiting.service)
            both = self.together([this_one, replace(this_one, slot=start + self.when.shift)])
            if both is not None:
                return both
        if YES_RE.match(text) or (self.pending and YES_RESTATED_RE.match(text)):
            return self.one_asked_about() or self.confirm()
        if self.pending and self.yes_naming_pending(text):
            return self.confirm()  # "yes move rocky please" (set 141)
        pending = self.pending
        if (
            pending is not None
            and pending.slot_start is not None
            and _VET_CONDITION_RE.search(text)
            and re.match(rf"(?:{YES_WORDS})\b", text)
        ):
            # "yes as long as it's with dr martin": a yes on a condition we cannot promise, so
            # nothing is booked until the customer says yes knowing it
            return reply_as(
                Intent.CLARIFY,
                f"{NO_VET_NAMED} {self.restate(pending)} Just reply YES if that's fine.",
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
        corrected = self.lapsed_offer_corrected() if not self.pending else None
        if corrected is not None:
            return corrected
        if not self.pending and not self.voice and (self.yes_then_aside() or self.yes_said_last()):
            # "yes please! sorry only just seen this" to our offer of last night: proposed again
            # ("ooh pricier than i thought 😬 ok go on then", set 228)
            lapsed = self.again_from_our_offer()
            if lapsed is not None:
                return lapsed
        if (
            not self.pending
            and not self.voice
            and self.when.day is not None
            and re.match(rf"(?:{YES_WORDS})\b", self.text)
        ):
            # "yes go ahead with thursday, sorry for the late reply" to our move of yesterday
            # (set 189): that move proposed again, never a second booking
            lapsed = self.again_from_our_offer()
            if (
                lapsed is not None
                and lapsed.intent is Intent.PROPOSE_RESCHEDULE
                and lapsed.proposal is not None
                and self.local(lapsed.proposal.slot_start).date() == self.when.day
            ):
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
        sided = self.end_of_day_instead()
        if sided is not None:
            return sided
        if self.pending and self.voice and SPOKEN_YES_RE.match(text):
            # "Yes, lean." is a "yes, please" misheard: a leading yes, a word or two, no "not".
            return self.confirm()
        if (
            self.pending
            and not self.voice
            # ("Yes thanks, I'll bring her booklet too": what they will bring, no condition)
            and WRITTEN_YES_RE.match(_BRINGING_RE.sub(" ", text).strip())
            and (not self.when.anything or self.restates_pending())
            and (not self.subjects or self.names_only_the_pending())
        ):
            return self.confirm()
        if self.books_the_proposal():
            return self.confirm()
        if self.names_the_proposals_service():
            # "*check up 🙄 autocorrect" after "…for a cheque up?": what was proposed already
            assert self.pending is not None
            return reply_as(Intent.CLARIFY, f"Got it. {self.restate(self.pending)}")
        if (
            not self.voice
            and self.yes_after_excuse_or_typo()
            # "did that go through? … right after I said yes" asks whether it was booked
            and not NO_CONFIRMATION_RE.search(text)
            and not self.renames_pending()
        ):
            return self.confirm()
        if (
            self.pending is not None
            and self.pending.kind == "cancel"
            and _CANCEL_IT_RE.fullmatch(text)
        ):
            # "cancel" to our "Reply YES to cancel it, or tell me another day…": the yes
            return self.confirm()
        if NO_RE.match(text) and not self.when.anything:
            return self.decline()
        offered_times = bool(
            self.context.history
            and self.context.history[-1].direction is Direction.OUTBOUND
            and WHAT_TIME_RE.search(self.context.history[-1].text)
        )
        if (
            self.pending is None
            and not self.voice
            and offered_times
            and re.match(rf"^(?:(?:hmm+|oh|ah|um+|erm|ok|okay|well)\s+)*{NO}\b", text)
            and CLOSES_RE.search(text)
            and not REQUEST_RE.search(text)
            and not CANCEL_RE.search(text)
        ):
            # "hmm no thanks, leave it for now actually. i'll see how he is tomorrow and message
            # you" to the times we offered: nothing booked, nothing more asked ("tomorrow" is
            # their plan, not a day asked for)
            return reply_as(
                Intent.OTHER,
                "No problem, nothing is booked. Just message us here whenever you're ready.",
            )
        moved_instead = self.cancel_made_a_move() or self.cancel_made_another_service()
        if moved_instead is not None:
            return moved_instead
        if self.pending and NO_CHANGE_RE.search(text) and not self.when.anything:
            return self.decline()  # "I don't want to cancel" to our "Shall I cancel…?"
        put_off = NOT_BOOKING_YET_RE.search(text)
        if (
            self.pending is None
            and put_off is not None
            and put_off.group(0).startswith(("not", "won't", "don't"))
            and not self.when.anything
            and "?" not in self.context.message
            and not answers.is_question(text)
        ):
            # "ok thanks, not booking yet, will wait till after payday" (set 143)
            return reply_as(
                Intent.OTHER, "No problem. Just message us here whenever you'd like to book."
            )
        waiting = self.pending
        if (
            waiting is not None
            and waiting.slot_start is not None
            and _LATER_DECISION_RE.search(text)
            and not self.when.anything
            and not self.subjects
            and not CANCEL_RE.search(text)
            and not asks_move(text)
            and not re.match(r"(?:no|nah|nope|not)\b", text)
            # "can I just talk to a real person? I need to ask about her dose first"
            and not HANDOFF_RE.search(text)
            # "hang on, how much is a dental?": the question is answered (below)
            and not answers.asks_price_or_length(text)
        ):
            # "hold on let me check with my husband": the proposal stays open, nothing declined
            return reply_as(
                Intent.OTHER,
                f"No problem, take your time. {self.restate(waiting)} Just reply YES when "
                "you're ready.",
            )
        if (
            self.pending is None
            and _LATER_DECISION_RE.search(text)
            and self.when.clock is None
            and "?" not in self.context.message
            and not CANCEL_RE.search(text)
            and not asks_move(text)
            and not HANDOFF_RE.search(text)
        ):
            # "I'll let you know about next week, need to check with my wife first"
            return reply_as(
                Intent.OTHER, "No problem, take your time. Just message us when you know."
            )
        if WHAT_I_SAID_RE.search(text):
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
            return reply_as(Intent.OPT_OUT, "OK, no more messages from us here.")
        if _OPT_IN_RE.search(text) or (keyword and _START_KEYWORD_RE.search(written)):
            return reply_as(Intent.OPT_IN, "Welcome back: you'll get our messages here again.")
        if _REPEAT_RE.search(text) and not self.when.anything and not self.subjects:
            # "sorry, can you repeat that?": our last words again, the conversation where it was
            ours = [t.text for t in self.context.history if t.direction is Direction.OUTBOUND]
            return reply_as(
                Intent.CLARIFY, ours[-1] if ours else "Sorry, how can I help you today?"
            )
        if (
            _STILL_THERE_RE.search(text)
            and not self.when.anything
            and not self.subjects
            # ("is someone there or is this automatic?": who answers, asked)
            and not answers.asks_who(text)
        ):
            waiting = self.pending
            then = (
                self.restate(waiting)
                if waiting is not None and waiting.slot_start is not None
                else "How can I help you today?"
            )
            return reply_as(Intent.GREETING, f"Yes, I'm here. {then}")
        if (
            _PET_DIED_RE.search(text)
            and not _NOT_A_DEATH_RE.search(text)
            # "…died last year, now can Ziggy come friday at 10": a request, answered as one;
            # "Misty died on sunday" is not one
            and not (
                self.when.anything
                and REQUEST_RE.search(_NOT_COMING_RE.sub(" ", text))
                # ("… so please cancel his appointment on Friday. … does she need to bring
                # …?": the loss's cancellation, the question answered beside it)
                and not CANCEL_WORD_RE.search(text)
            )
        ):
            return self.pet_died()
        if _LEAVING_RE.search(text) and self.upcoming and not self.when.anything:
            # "we've found another vet closer to home": their bookings, offered to cancel
            decision = self.cancel_every(self.upcoming)
            decision.reply = f"Thanks for letting us know, and all the best. {decision.reply}"
            return decision
        if _NOT_THEIRS_RE.search(text) and not self.when.anything:
            return handed_over(
                reply=(
                    "Sorry about that! I've asked the team to check our records for this "
                    f"number; they'll get back to you {self.back_where()} if they need to."
                ),
                note=f"Says the bookings or messages of this number are not theirs: "
                f"{self.context.message!r}",
            )
        aside = not self.when.anything and not self.subjects and not BOOKING_WORD_RE.search(text)
        if self.meant_for_someone_else():
            return reply_as(
                Intent.OTHER,
                f"Hi, this is {self.profile.name}: I think this message was meant for someone "
                "else. Message us here whenever you need anything for your pet.",
            )
        # ("sorry ignore that, cancel it, my husband already booked her": a cancellation)
        if aside and _WRONG_CHAT_RE.search(text) and not CANCEL_RE.search(text):
            # Meant for someone else: no menu, no question, and nothing pending is touched.
            return reply_as(
                Intent.OTHER, "No problem! Message us here whenever you need anything for your pet."
            )
        if aside and _SENT_TOO_SOON_RE.search(text):
            return reply_as(Intent.OTHER, "No problem, take your time.")
        if aside and ON_THE_WAY_RE.search(text):
            # ("running late, be there in 10" when the visit is on Thursday: that is said)
            return self.late_for_booking() or reply_as(
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
        if RECORDS_ASKED_RE.search(normalise(self.context.message)) and not self.when.anything:
            return handed_over(
                reply=(
                    "I can't send records or documents from here, so I've passed your request to "
                    f"the team: they'll get back to you {self.back_where()}."
                ),
                note=f"Records or documents asked for: {self.context.message!r}",
            )
        if answers.asks_end_of_life(text):
            return handed_over(
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
            return reply_as(Intent.ANSWER, not_seen)
        procedure = None if self.pending else answers.unoffered_procedure(text, self.profile)
        if procedure is not None and not (HANDOFF_RE.search(text) or _CALL_ASKED_RE.search(text)):
            # (a person asked for with it, "… x-rays … can someone call me?", is handed over)
            # "can I book max in to get neutered next week": not one of our services, so no
            # consultation booked in its place (the customer may ask for one)
            return reply_as(
                Intent.ANSWER,
                f"{answers.unlisted_reply(procedure, self.profile)} If you'd like a consultation "
                "with the vet about it, tell me a day and time.",
            )
        if procedure is not None and _CALL_ASKED_RE.search(text) and not self.when.anything:
            # "my insurer needs the vet to sign a claim form for bumble's x-rays … can someone
            # call me about it?": the team's, with the call asked for
            return handed_over(
                reply=(
                    "I can't help with that from here, so I've passed your message to the team: "
                    f"they'll get back to you {self.back_where()}."
                ),
                note=f"The customer asks to be called back: {self.context.message!r}",
            )
        if _ERASURE_ASKED_RE.search(text):
            # "delete my data please": the team erases (switchboard/db/erasure.py, from the
            # console), after checking it is the customer asking; nothing cancelled here
            return handed_over(
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
            return handed_over(
                reply=(
                    "I can't change your details from here, so I've passed this to the team: "
                    f"they'll update them and get back to you {self.back_where()} if they need "
                    "anything."
                ),
                note=f"The customer's details to update: {self.context.message!r}",
            )
        if _BILL_QUERY_RE.search(text) or (
            OWED_RE.search(text) and not CANCEL_RE.search(text) and not asks_move(text)
        ):
            # a complaint about a bill is apologised for; "do we still owe you anything?" not
            sorry = "Sorry about that. " if _BILL_QUERY_RE.search(text) else ""
            return handed_over(
                reply=(
                    f"{sorry}I can't see or change bills, so I've passed this to the team; "
                    f"they'll get back to you {self.back_where()} as soon as they can."
                ),
                note=f"A question about a bill: {self.context.message!r}",
            )
        if answers.asks_who(text) and not HANDOFF_RE.search(answers.without_who(text)):
            # "is this a bot?", "am I talking to a real person?": a question, answered, with
            # the way to a person (which "a real person" alone would have taken)
            said = answers.answer(text, self.profile)
            rest = answers.without_who(text).strip()
            if said is not None and self.pending is None and self.asks_something(rest):
                # "I'm not sure if this is a real person reading this or a computer, but I
                # need to cancel Bailey's check-up on Thursday": answered, and the request served
                # (as written: its sentences say which clause asks what)
                served = self.as_if_sent(answers.without_who(self.context.message)).decide()
                if served.intent not in (Intent.OTHER, Intent.HANDOFF, Intent.ANSWER):
                    return served.model_copy(update={"reply": f"{said} {served.reply}"})
            if said is not None:
                return reply_as(Intent.ANSWER, said)
        beside_booked = self.pet_meant_after_done() or self.same_day_as_booked()
        if beside_booked is not None:
            return beside_booked
        fixed = self.wrong_service_fixed() if HANDOFF_RE.search(text) else None
        if fixed is not None:
            return fixed
        if HANDOFF_RE.search(text) and not self.grievance_with_request():
            # "please call me", "can the vet ring me back": a call back, said as such
            call = re.search(
                r"\b(?:call|phone|ring)\s+me\b|\b(?:on|over|by)\s+the\s+phone\b"
                r"|\b(?:me|us)\s+a\s+(?:quick\s+)?(?:ring|call|bell|buzz)\b",
                text,
            )
            back = "call you back" if call else f"get back to you {self.back_where()}"
            return handed_over(
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
        pending_day = (
            self.local(self.pending.slot_start).date()
            if self.pending is not None and self.pending.slot_start is not None
            else None
        )
        # ("hold off, my partner might need the car on saturday": its own day, a reason)
        own_day_only = (
            pending_day is not None and self.when.clock is None and self.when.day == pending_day
        )
        if self.pending and CALL_OFF_RE.search(text):
            # ("we're away saturday. I'll message next week once I know our plans": the week
            # said is when they write again, set 143)
            beside = self.read(CALL_OFF_RE.sub(" ", text))
            rest_asks_nothing = not beside.anything or (
                beside.day == pending_day
                and beside.clock is None
                and beside.part is None
                and not beside.shift
            )
            if not self.when.anything or own_day_only or rest_asks_nothing:
                # "actually never mind, I'll sort it out later" (after the handoff: "forget it,
                # put me through to a person" wants the person)
                return self.decline()
        if (
            self.pending is None
            and _LEFT_IT_RE.search(text)
            and not self.when.anything
            and not self.subjects
            and "?" not in self.context.message
            and not HANDOFF_RE.search(text)
        ):
            # "that's way too much, forget it" after a price: nothing to do, nothing asked
            return reply_as(
                Intent.OTHER, "No problem. Just message us if there's anything else I can do."
            )
        if (
            self.pending is None
            and _GET_BACK_LATER_RE.search(text)
            and self.when.clock is None
            and "?" not in self.context.message
            and not REQUEST_RE.search(_GET_BACK_LATER_RE.sub(" ", text))
            and not CANCEL_RE.search(text)
        ):
            # "ok thanks, I'll see how he is and message you friday 👍" to our times: nothing
            # to book now
            return reply_as(
                Intent.OTHER, "No problem. Just message us when you know and I'll find you a time."
            )
        pending = self.pending
        picked = (
            self.services_retried()
            or self.offered_pick()
            or self.offered_day_pick()
            or self.offered_closest()
            or self.booked_pet_after_another()
            or self.offered_after_them()
            or self.after_bookings_told()
            or self.which_free_asked()
            or self.part_answering_us()
            or self.offered_other_side()
        )
        if picked is not None:
            return picked
        resumed = (
            self.which_one_answered()
            or self.moves_each_answered()
            or self.booked_after_answer()
            or self.retry_several()
            or self.retry_move()
            or self.which_pet_answered()
            or self.service_answered()
        )
        if resumed is not None:
            return resumed
        kept = self.kept_after_refusal() if pending is None else None
        if kept is not None:
            return kept
        if (
            pending is not None
            and pending.kind in ("reschedule", "cancel")
            and KEEP_RE.search(text)
        ):
            # "no leave it on thursday": the day said is where it stays, not a new one
            return self.decline()
        also = self.another_booking_moved_too(pending) if pending is not None else None
        if also is not None:
            return also
        if pending is not None and pending.kind == "cancel":
            # "actually instead of cancelling, could mabel have that slot?" (set 165): the
            # booking cancelled and Mabel booked in its place, both read back
            handed = self.slot_handed_over()
            if handed is not None:
                return handed
            if CANCEL_RE.search(text) and re.search(r"\b(?:too|as\s+well|also)\b", text):
                # "actually can you cancel pickle's too?" while Oreo's cancellation waits (set
                # 192): both read back, for one yes
                held = [b for b in self.upcoming if b.id == pending.booking_id]
                more = [b for b in self.one_pointed_at(self.targets()) if b not in held]
                if held and len(more) == 1:
                    return self.cancel_each([*held, *more])
        other_pet = (
            self.other_pet_meant(pending) or self.other_booking_meant(pending)
            if pending is not None
            else None
        )
        if other_pet is not None:
            return other_pet
        if pending is not None and pending.changes:
            if (
                len({as_utc(c.slot_start) for c in pending.changes}) == 1
                and "?" not in self.context.message
                # (one time said: not "hazel and acorn at 10 then, and the two brown ones at
                # quarter past")
                and len(re.findall(r"\b\d{1,2}(?:[:.]\d{2})?\b|\b(?:quarter|half)\b", text)) == 1
                and self.says_yes_to(pending)
            ):
                return self.confirm()  # "5 for both is perfect" to both at 17:00
            if self.when.anything:
                return self.correct_several(pending)
            if TURNED_DOWN_RE.search(text):
                return self.ask_instead(pending)
        elif pending is not None and pending.slot_start is not None and pending.kind != "cancel":
            if (
                pending.kind == "reschedule"
                and _YES_MOVE_IT_RE.search(text)
                and not self.when.anything
                and not any(
                    is_name(s) and s.lower() != pending.subject.lower() for s in self.subjects
                )
            ):
                return self.confirm()  # "ok no worries, yes move her" to our move (set 185)
            renamed = self.name_for_pending(pending)
            if renamed is not None:
                return renamed
            joined = self.joins_pending(pending) or self.own_times_picked(pending)
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
            if OTHER_SIDE_RE.search(text) and self.when.day is None and names_part_only(self.when):
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
            if (
                self.when.anything
                and self.when.clock is None
                and _OPENING_OR_LENGTH_RE.search(text)
            ):
                # "what time do you open saturdays? and how long does it take?" while our move
                # to Saturday waits (set 185): answered, the proposal put again
                said = answers.answer(
                    text,
                    self.profile,
                    day=self.when.day,
                    weekday=weekday_asked(self.when),
                    service=self.keyed_service(pending.service),
                )
                if said is not None:
                    return reply_as(Intent.ANSWER, f"{said} {self.restate(pending)}")
            if self.when.anything and answers.asks_out_of_hours_care(text):
                # "and if she gets worse tonight what do I do?": tonight is no new time
                said = answers.answer(text, self.profile)
                if said is not None:
                    return reply_as(Intent.ANSWER, f"{said} {self.restate(pending)}")
            if pending.kind == "reschedule" and _CANCEL_INSTEAD_RE.search(text):
                # "none of those really work for us tbh. just cancel thursday" to our move
                # (set 200): the booking cancelled instead, read back for a yes
                booked = [b for b in self.upcoming if b.id == pending.booking_id]
                if booked:
                    return self.propose_cancel(booked[0])
            if self.when.anything and self.day_only_of_symptoms():
                # "can the vet give her a proper check over instead?? she's been sneezing loads
                # today": when she fell ill, no day asked (set 145)
                self.when = When()
            if self.when.anything:
                return self.correct(pending)
            wrong_pet = self.other_pet_to_book(pending)
            if wrong_pet is not None:
                return wrong_pet
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
                self.text = NOT_SERVICE_RE.sub(" ", self.text)
                return self.book(
                    self.pending_when(pending),
                    subject=pending.subject,
                    service_key=other,
                    exact=True,
                )
            same = self.profile.find_service(NOT_SERVICE_RE.sub(" ", text))
            if (
                same is not None
                and same.key == pending.service
                and pending.kind == "book"
                and not self.when.anything
                and not YES_SAID_RE.search(text)
                and {s.lower() for s in self.subjects} <= {(pending.subject or "").lower()}
            ):
                # "it's just a check-up, she's been scratching her ear" to a check-up read back:
                # the same read back again, its service said
                return self.book(
                    self.pending_when(pending),
                    subject=pending.subject,
                    service_key=pending.service,
                    exact=True,
                )
            if OTHER_SIDE_RE.search(text):
                return self.other_side(pending)
            if TURNED_DOWN_RE.search(text):
                return self.ask_instead(pending)
        elif pending is not None and pending.kind == "cancel" and not pending.changes:
            local = self.local(pending.slot_start) if pending.slot_start is not None else None
            if (
                local is not None
                and re.match(rf"(?:(?:oh|ah|ok|okay|right)\s+)?(?:{YES_WORDS})\b", text)
                and self.when.day in (None, local.date())
                and self.when.clock in (None, local.time())
                and not CHANGE_RE.search(text)
            ):
                # "oh yes sorry, wednesday, that one" to "I can't find an appointment on
                # Thursday … I can cancel the appointment for Nugget on Wednesday …": its own day
                # said back, a yes
                return self.confirm()
            instead = self.move_instead_of_cancel(pending)
            if instead is not None:
                return instead
        moved = self.move_time_answering_us() or self.either_time_asked()
        if moved is not None:
            return moved
        joining = (
            self.next_to_booking()
            or self.service_added()
            or self.looked_up_and_booked()
            or self.request_then_looked_up()
            or self.joining()
            or self.step_from_booking()
        )
        if joining is not None:
            return joining
        if self.upcoming and pending is None and DAY_SIDE_RE.search(text):
            # "can I get max in sooner than thursday": another day than the booking's
            booked_pets = {b.subject.lower() for b in self.upcoming}
            named = [s for s in self.subjects if is_name(s) and s.lower() in booked_pets]
            targets = self.targets(named) if named else self.upcoming
            # (not a new pet's visit beside one only said as its kin: "any evening slots later
            # in the week? marmalade's brother custard needs his jabs", set 200)
            newcomer = any(is_name(s) and s.lower() not in booked_pets for s in self.subjects)
            kin_only = newcomer and {n.lower() for n in named} <= self.pets_referred_to()
            other_day = self.day_beside(targets[0]) if len(targets) == 1 and not kin_only else None
            if other_day is not None:
                return other_day
        if (
            self.upcoming
            and pending is None
            and not self.when.anything
            and SIDE_RE.search(text)
            and not WEEK_SAID_RE.search(text)  # "push max back to next week": not 15 minutes
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
            # ("please book Benji in for a dental on friday at 2pm. If I need to cancel is there
            # a fee?": the visit asked outright, nothing booked yet to cancel)
            booking_asked = bool(_BOOKING_SUPPOSED_RE.search(text)) or (
                not self.upcoming and bool(re.search(r"\bbook\b", text))
            )
            if said is not None and booking_asked and self.pending is None:
                # "if i book basil in … monday the 14th at 5pm and then can't make it, do you
                # charge for cancelling?": the policy, and that visit read back for a yes
                visit = self.book(self.when) if self.when.day and self.when.clock else None
                if visit is not None and visit.proposal is not None:
                    return visit.model_copy(update={"reply": f"{said} {visit.reply}"})
            if said is not None and self.pending is None and new_time and self.upcoming:
                moving = self.reschedule() if _MOVE_OUTRIGHT_RE.search(text) is not None else None
                if moving is not None and moving.proposal is not None:
                    # the policy (what it means for that booking), and the move asked beside
                    # it read back for a yes
                    policy = self.profile.policies.get("cancellation")
                    booked = [b for b in self.upcoming if b.id == moving.proposal.booking_id]
                    if booked and policy is not None and policy in said:
                        said = f"{said} {self.charge_said_for(booked[0])}"
                    return moving.model_copy(update={"reply": f"{said} {moving.reply}"})
            if_free = _CANCEL_IF_FREE_RE.search(text) is not None
            # (asked in a clause of its own beside the question: "if i cancel now do i get
            # charged? it's tinkerbell's jab on thursday, have to cancel sorry", set 196)
            outright = any(
                _CANCEL_OUTRIGHT_RE.search(said) and not _CANCEL_MAYBE_RE.search(said)
                for said in map(normalise, re.split(r"[.,;!?\n]+", self.context.message))
            )
            if said is not None and self.pending is None and (if_free or outright):
                # the policy, and the cancellation read back: asked outright ("need to cancel
                # gizmo's thursday appt, will i be charged?"), or on the condition that it is
                # free ("will I be charged if I cancel Ziggy's appointment tomorrow afternoon? …
                # If it's free then please cancel it") when the visit is more than 24 hours away
                # (within them the team says)
                targets = self.one_pointed_at(self.targets())
                if len(targets) == 1 and (
                    not if_free or as_utc(targets[0].slot_start) - self.now >= timedelta(hours=24)
                ):
                    cancelling = self.propose_cancel(targets[0])
                    return cancelling.model_copy(update={"reply": f"{said} {cancelling.reply}"})
            if said is not None:
                # "is there a charge if I cancel Nala's appointment tomorrow?": what it means
                # for hers
                targets = self.one_pointed_at(self.targets()) if self.upcoming else []
                policy = self.profile.policies.get("cancellation")
                if len(targets) == 1 and policy is not None and policy in said:
                    said = f"{said} {self.charge_said_for(targets[0])}"
                return reply_as(Intent.ANSWER, said)
        visited = self.last_visit_asked() or self.one_after_asked() or self.finish_asked()
        if visited is not None:
            return visited
        about_booked = (
            self.question_about_booking()
            or self.which_has_service()
            or self.service_of_booking_checked()
        )
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
            if LOOKUP_RE.search(text) and self.upcoming:
                looked_up = self.lookup()
                if looked_up.intent is Intent.ASK_BOOKING and looked_up.proposal is None:
                    said = f"{looked_up.reply} "
            lead = f"{said}The rest is" if said else "That's"
            return handed_over(
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
        asked = NO_CHANGE_RE.sub(" ", text)  # "I don't need to change anything": no change
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
        alone = self.only_one_coming() if self.pending is None else None
        if alone is not None:
            return alone
        checked = (
            self.move_taken_back()
            or self.other_moved_too()
            or self.first_of_times_taken()
            or self.service_checked()
        )
        if checked is not None:
            return checked
        if (
            self.upcoming
            and not ANOTHER_VISIT_RE.search(asked)
            and not self.other_service_as_well()
            # ("what else is there?" to our offer for a new visit: other times for it)
            and not (self.offered_last() and _WHAT_ELSE_RE.match(asked))
            # ("same time friday then?" to our refusal of Ginger's new visit: that visit)
            and not self.new_visit_refused()
            and (
                asks_move(asked)
                or (
                    new_time
                    and not self.pending
                    and self.reminded_booking() is not None
                    and not CANCEL_RE.search(asked)  # "won't be able to make it tomorrow"
                    and not self.names_booked_time()
                    # ("Yes confirmed! Could her sister Mia come along at the same time?" to
                    # our reminder: another pet's visit, set 174)
                    and not self.only_unbooked_pets()
                    # ("wait is it 12 or half 12? my calendar says 12.30": asked, not moved)
                    and not EITHER_OR_ASKED_RE.search(asked)
                )
                or self.moves_within_its_day()
                or (
                    # "Saturday morning? half nine if you have it" after we told of the booking
                    # they said they cannot make (set 146)
                    new_time
                    and not self.pending
                    and self.told_booking_given_up() is not None
                    and not CANCEL_RE.search(asked)
                )
                or (
                    # "what time is kiwi's check up tmrw?" / "can it be after 5?", "can it be
                    # friday at 2 then?" after we told of it (set 182): that booking, moved
                    new_time
                    and not self.pending
                    and _CAN_IT_BE_RE.search(asked) is not None
                    and (self.booking_said_last() is not None or self.booking_time_asked())
                    and not CANCEL_RE.search(asked)
                    and not self.only_unbooked_pets()
                )
                or (
                    # "oh no wait I typed that wrong, I meant 3 not 5" after "Done: …": that
                    # booking, moved
                    new_time
                    and not self.pending
                    and _MEANT_INSTEAD_RE.search(asked) is not None
                    and self.booking_just_done() is not None
                )
                or (
                    new_time
                    and CHANGE_RE.search(_PAST_EARLIER_RE.sub(" ", asked))
                    and not self.pending
                    # ("he said 9.30 or 10.30 lol. which is it?": asked, not moved; set 138)
                    and not _WHICH_IS_IT_RE.search(asked)
                    and not (
                        CANCEL_RE.search(asked)
                        and (self.names_booked_time() or self.names_only_booked_days())
                        # ("… so I won't make it for 2 after all. same time next week
                        # instead?", set 201: the day given up, and another asked)
                        and not (self.when.shift is not None and _SAME_TIME_ON_RE.search(asked))
                    )
                    and not self.only_unbooked_pets()
                )
            )
        ):
            return self.asked_too(self.reschedule())
        if (
            not self.upcoming
            and self.pending is None
            and asks_move(asked)
            and (
                re.search(
                    r"\b(?:my|our|the|his|her|their|\w+'s)\s+(?:appointment|appt|booking)\b", asked
                )
                # "my wife booked pickle in for friday i think, can we move it to saturday
                # morning instead?" (set 230): a booking told of, none on record
                or re.search(r"\bbooked\b", asked)
            )
        ):
            # "can I move my appointment?" with none on record: said so, and a new one offered
            booked_said = re.search(r"\bbooked\s+(?:(?P<pet>[a-z][a-z-]+)\s+in\b)?", asked)
            when = self.when
            move_word = MOVE_RE.search(asked)
            if booked_said and move_word and move_word.start() > booked_said.start():
                # (the day the booking was told of is not where it goes)
                after = self.read(asked[move_word.end() :])
                when = after if after.anything else when
            pet = booked_said["pet"] if booked_said is not None else None
            pet_named = join([s for s in self.subjects if is_name(s)]) or (
                name_answer(pet) if pet and pet not in {"him", "her", "them", "it"} else None
            )
            found = self.book(when, subject=pet_named or None)
            return found.model_copy(
                update={
                    "reply": "I can't find an upcoming appointment for this number, so this "
                    f"would be a new booking. {found.reply.removeprefix('Sure. ')}"
                }
            )
        fee = self.fee_asked_of_a_change() or self.fee_of_this_change()
        if fee is not None:
            return fee
        nothing_booked_but_asked = (
            not self.upcoming
            and self.when.day is not None
            and self.when.clock is not None
            and _VISIT_ASKED_OUTRIGHT_RE.search(text) is not None
            and not NOT_A_REQUEST_RE.search(text)
        )
        if (
            (CANCEL_RE.search(asked) or self.rules_out_booked_day())
            and (self.upcoming or not self.pending)
            # ("he had it done in Lyon … so no need for that one. but can he have a check up
            # on wednesday at 3?" to our recall: nothing booked to cancel, a visit asked)
            and not nothing_booked_but_asked
        ):
            return self.asked_too(self.cancel())
        # ("and can you just remind me what time it is on wednesday" after our answer about
        # cards: the booking's time, not a follow-up of the cards, set 225)
        own_asked = bool(self.upcoming) and self.asks_about_bookings()
        followed = (
            (None if own_asked else self.follow_up_answer())
            or self.price_each_or_together()
            or self.left_out_booked()
            or self.wanted_after_all()
            or self.same_again_for()
            or self.our_times_again()
        )
        if followed is not None:
            return followed
        after_that = self.next_after_named()
        if after_that is not None:
            return after_that
        if self.asks_about_bookings():
            otherwise = self.booked_if_not()
            if otherwise is not None:
                return otherwise
            looked_up = self.lookup()
            # "… and roughly how long will it take?": the length of the visits looked up
            theirs = {b.service for b in (self.targets() or self.upcoming)}
            service = self.keyed_service(theirs.pop()) if len(theirs) == 1 else None
            said = (
                answers.answer(text, self.profile, service=service)
                if answers.is_question(text)
                else None
            )
            if said is not None:
                looked_up.reply = f"{said} {looked_up.reply}"
            return looked_up
        too_late = self.after_closing() if pending is None else None
        if too_late is not None:
            return too_late
        if self.wants_slot():
            own = self.own_booking_that_day() or self.move_asked_before_offer()
            if own is not None:
                return own
            separate = (
                self.each_on_own_day()
                or self.each_at_own_time()
                or self.each_own_service()
                or self.each_service()
                or self.each_week()
            )
            if separate is not None:
                return self.answering_too(separate)
            pets = self.requested_pets()
            # ("17:00 please, and could his sister Mia have hers at the same time?" to our
            # times for Toby: Toby, then Mia)
            pets = [*self.pets_of_offer_joined(pets), *pets]
            animals = [a for a in self.subjects if a.startswith("your ")]
            if not pets and len(animals) > 1:
                pets = animals  # "my cat and my dog": a booking each
            narrowed = join(pets) if pets != self.named_pets() else None
            decision = self.answering_too(
                self.book_each(self.book(self.when, subject=narrowed), pets)
            )
            if STAFF_WORKING_RE.search(text) or VET_ASKED_RE.search(text):
                decision = decision.model_copy(update={"reply": f"{NO_VET_NAMED} {decision.reply}"})
            return decision
        if NEXT_FREE_RE.search(text) and self.when.day is None:
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
                # (the pets asked for: "… marmalade's brother custard needs his jabs", set 200)
                return self.book(wanted, subject=join(self.requested_pets()) or None)
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
            return reply_as(Intent.ANSWER, price_said)
        if answers.asks_open_now(text) and not self.when.anything:
            return reply_as(Intent.ANSWER, answers.open_now(self.profile, self.local_now))
        if (
            pending is not None
            and len(pending.changes) > 1
            and answers.asks_price(text)
            and not self.when.anything
        ):
            # "how much will that be in total?" with several bookings waiting for a yes
            return reply_as(Intent.ANSWER, f"{self.total_of(pending)} {self.restate(pending)}")
        done = self.bookings_just_done() if pending is None else []
        if (
            pending is None
            and len(done) < 2
            and re.search(r"\b(?:both|all|total|altogether|together|come\s+to)\b", text)
        ):
            # "thanks! how much will both come to?" after two bookings done one after the
            # other (set 225): every booking our recent "Done: …" messages made
            done = self.bookings_done_recently()
        if len(done) > 1 and answers.asks_price(text) and not self.when.anything:
            # "thanks, whats the total?" just after "Done: … a grooming … and a consultation"
            return reply_as(Intent.ANSWER, self.total_of_bookings(done))
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
            reminded_visit = self.reminded_booking() if about is None else None
            asked_for = (
                (
                    self.service_we_answered()
                    or self.service_just_booked()
                    or self.service_just_told()
                    # "Confirmed 👍 roughly how long does it take?" to a dental's reminder
                    or (
                        self.keyed_service(reminded_visit.service)
                        if reminded_visit is not None
                        else None
                    )
                )
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
            of_question = self.when_of_question()
            said = answers.answer(
                text,
                self.profile,
                day=of_question.day,
                weekday=weekday_asked(of_question),
                part=of_question.part,
                service=service if service is not None and it else None,
            )
            days = self.days_asked_open() if said is not None else []
            if len(days) > 1 and said is not None:
                # "are you open on the 24th and 31st?": each day answered, not the first alone
                each = [
                    a for d in days if (a := answers.answer("are you open", self.profile, day=d))
                ]
                said = _open_days_said(each, said)
            if said is not None:
                said = self.priced_for_several(said)
            if said is not None and pending is not None and pending.slot_start is not None:
                # "that's fine but what's the price?": answered, and the proposal still waits
                # for its yes, so it is put again (as a price checked is)
                said = f"{said}{self.ends_at(pending)} {self.restate(pending)}"
            if said is not None and pending is None and self.visit_asked_beside():
                # "do you take rabbits? I'd like to book a check up for thumper next week": the
                # question answered, and the visit asked for after it
                pets = self.requested_pets()
                visit = (
                    # ("… could they both come Wednesday at 9.30?": a visit each)
                    self.each_at_own_time()
                    or self.each_own_service()
                    or self.book_each(self.book(self.when, subject=join(pets)), pets)
                    if len(pets) > 1
                    else self.book(self.when)
                )
                if said not in visit.reply:
                    visit.reply = f"{said} {visit.reply.removeprefix('Sure. ')}"
                return visit
            if (
                said is not None
                and pending is None
                and _IF_SO_RE.search(text)
                and self.when.day is not None
                and self.when.clock is not None
            ):
                # "Are you open over lunch? If so could I bring Hugo in at 1 on Thursday … If
                # not I suppose 12 would do": the answer, and the visit it allows (or the one
                # said for when it does not) read back (set 144)
                visit = self.book(self.when)
                if visit.proposal is not None:
                    return visit.model_copy(update={"reply": f"{said} {visit.reply}"})
            if said is not None:
                return reply_as(Intent.ANSWER, said)
        if self.pending is None and self.news_only():
            return reply_as(Intent.OTHER, "Thanks for letting us know!")
        if pending is None and STAFF_WORKING_RE.search(text) and self.when.day is not None:
            # "is the vet in on saturdays?": the hours that day; which vet, the team's to say
            hours = answers.answer(
                f"are you open on {self.when.day:%A}",
                self.profile,
                day=self.when.day,
                weekday=weekday_asked(self.when),
            )
            if hours is not None:
                return reply_as(Intent.ANSWER, f"{hours} {NO_VET_NAMED}")
        if (
            _ABOUT_THE_CLINIC_RE.match(text)
            and not _ASKS_FOR_VISIT_RE.search(text)
            and self.profile.find_service(text) is None
        ):
            # "are dogs and cats seen in separate waiting rooms?": a question about the clinic
            # the profile does not answer, not a request for a visit; the team answers it
            return handed_over(
                reply=(
                    "I can't answer that one from here, so I've passed your question to the "
                    f"team: they'll get back to you {self.back_where()}."
                ),
                note=f"A question the agent could not answer: {self.context.message!r}",
            )
        if (
            _ANOTHER_OF_MINE_RE.search(text)
            and not any(is_name(s) for s in self.subjects)
            and not CANCEL_RE.search(text)
            and self.upcoming
        ):
            # "and can my other dog come too? same time" after a booking: the name asked, and
            # the request read again with it (``which_pet_answered``), the time kept
            return reply_as(Intent.CLARIFY, f"Of course. {PET_NAME_ASKED}")
        if (
            self.profile.find_service(text) is not None or BOOKING_WORD_RE.search(text)
        ) and not self.what_if():
            return self.book(self.when)
        if _GREETING_RE.match(text):
            return reply_as(Intent.GREETING, "Hi! How can I help you today?")
        if not self.voice and THANKS_ONLY_RE.match(text):
            if pending is not None and pending.slot_start is not None:
                # "thank you" (🙏) to a proposal: no yes, and the customer may think it done,
                # so the question is put again rather than left unanswered
                return reply_as(Intent.CLARIFY, f"You're welcome! {self.restate(pending)}")
            return reply_as(Intent.OTHER, YOU_ARE_WELCOME)
        if (
            not self.voice
            and pending is None
            and THANKS_RE.search(text)
            and "?" not in self.context.message
            and not REQUEST_RE.search(text)
            and not answers.is_question(text)
            and not _GOODBYE_RE.search(text)
        ):
            # "so sorry we were late today, thanks for fitting us in": thanks, asking nothing
            return reply_as(Intent.OTHER, YOU_ARE_WELCOME)
        if (
            pending is not None
            and pending.slot_start is not None
            and re.search(r"\b(?:no|nah|nope)\b", text)
            and (CLOSES_RE.search(text) or KEEP_RE.search(text))
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
                return reply_as(Intent.CLARIFY, f"Before you go, {again[:1].lower()}{again[1:]}")
            return reply_as(Intent.GOODBYE, "You're welcome. Goodbye!")
        if (
            pending is not None
            and pending.slot_start is not None
            and _AM_OR_PM_RE.search(text)
            and not self.when.clock
        ):
            # "is that am or pm?": the proposal's time said in both ways
            local = self.local(pending.slot_start)
            twelve = local.strftime("%-I:%M %p").replace(":00", "").lower()
            return reply_as(
                Intent.ANSWER,
                f"{local.strftime('%H:%M')} is {twelve}, in the {part_of_day(local.hour)}. "
                f"{self.restate(pending)}",
            )
        if (
            pending is not None
            and pending.slot_start is not None
            and (VET_ASKED_RE.search(text) or STAFF_WORKING_RE.search(text))
        ):
            # "is that with a vet or a nurse?" about the proposal: answered, the question kept
            return reply_as(Intent.ANSWER, f"{NO_VET_NAMED} {self.restate(pending)}")
        if pending is not None and pending.slot_start is not None:
            # Keep the question open rather than change the subject (a misheard "yes").
            return reply_as(
                Intent.CLARIFY,
                f"Sorry, I didn't catch that. {self.restate(pending)} Please answer yes or no.",
            )
        question = self.open_question()
        named = [s for s in self.subjects if is_name(s)]
        asked_when = _ASKED_FOR_WHOM_RE.match(question or "")
        whom = named or (self.subjects if _FOR_WHOM_ONLY_RE.match(text) else [])
        if (
            not whom
            and question is not None
            and (
                re.search(r" for your [a-z]+", question)
                # "rex 🐶" answering "Which day and time would you like?" (no pet said yet)
                or (asked_when is not None and " for " not in question.split("?")[0])
            )
        ):
            # "Gizmo" answering "What time … would you like for your guinea pig?"
            answer = name_answer(self.context.message)
            whom = [answer] if answer is not None else []
        if asked_when is not None and whom and not self.when.anything:
            # "his name is rocco" answering "Which day and time would you like for your dog?",
            # "for my rabbit" answering "What time on Tuesday … would you like? I have …"
            rest = asked_when["rest"] or ""
            return reply_as(Intent.CLARIFY, f"Thanks. {asked_when['ask']} for {join(whom)}?{rest}")
        if question is not None and _ANYONE_FINE_RE.search(text):
            # "anyone is fine then" after "… I can't promise who you'll see": heard, and on
            return reply_as(Intent.CLARIFY, f"No problem. {question}")
        if question is not None:
            # Keep the conversation where it was: the question again, not the menu.
            return reply_as(Intent.CLARIFY, f"Sorry, I didn't catch that. {question}")
        if _HELP_RE.match(text):
            # "can you help?", "I have a question": understood, so no "didn't get that"
            return reply_as(Intent.OTHER, f"Of course! {_WHAT_I_DO}")
        named = [s for s in self.subjects if is_name(s)]
        history = self.context.history
        if (
            len(named) == 1
            and len(text.split()) <= 2
            and history
            and history[-1].direction is Direction.OUTBOUND
            and _LOOKED_UP_RE.match(history[-1].text)
        ):
            # "is Barney in this week?" / "Your appointment for Barney is …" / "and Pepper?":
            # the same question, for that pet
            return self.lookup()
        if len(named) == 1 and len(text.split()) <= 2 and not self.when.anything:
            # "Max" on its own: about that pet, what is not said yet
            return reply_as(Intent.OTHER, f"What would you like to do for {named[0]}? {_I_CAN}")
        unwell = self.unwell_only()
        if unwell is not None:
            return unwell
        recovered = self.recovered_before_visit()
        if recovered is not None:
            return recovered
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
            return handed_over(
                reply=(
                    "I can't answer that one from here, so I've passed your question to the "
                    f"team: they'll get back to you {self.back_where()}."
                ),
                note=f"A question the agent could not answer: {self.context.message!r}",
            )
        return reply_as(Intent.OTHER, UNCLEAR)
