"""Questions about the business, answered from the business profile only — prices, where it is,
opening hours (and whether it is open on a given day, holidays included), parking, payment,
emergencies, which animals and services, the cancellation policy, what to bring (the ``bring``
policy), reminders before a visit (the ``reminders`` policy), a price said back to be checked
("is that 45 euros?"), another clinic asked about (ours named, with its address), and what only
the vet can say ("what vaccinations does he need?": said to be the vet's, the service priced).
"Any evenings?" / "open late?" asks the hours, not the services; "if I cancel do I get charged?"
the cancellation policy, not a price or how to pay; a service of several words may be said in
another form of them ("a nail clip" for nail clipping). A question the profile cannot answer
gets None: the agent offers a person rather than inventing an answer.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

from babel.dates import format_timedelta
from babel.numbers import NumberFormatError, format_decimal, parse_decimal
from stop_words import get_stop_words

from switchboard.business import (
    OWN_EXAM_RE,
    TEETH_TROUBLE_RE,
    WEEKDAYS,
    BusinessProfile,
    Service,
)

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_PRICE_RE = re.compile(
    r"\b(?:how\s+much(?!\s+(?:notice|time|in\s+advance|ahead))|price|prices|pricing|cost|costs|fee|fees"
    r"|charge|tariff)\b"
    # "is it cheaper then?"
    r"|\b(?:is|would|will)\s+(?:it|that|this)\s+(?:be\s+)?(?:any\s+)?(?:cheaper|dearer|less|more"
    r"\s+expensive)\b"
    # British and Australian slang for the bill: "what's the damage", "set me back"
    r"|\bwhat's\s+the\s+damage\b|\bset\s+(?:me|us)\s+back\b"
    # "whats the total?", "what will the total be"
    r"|\bwhat(?:'s|\s+is|\s+will|\s+would)\s+(?:the|my|our)\s+total\b|\bthe\s+total\s+(?:be|come\s+to)\b"
    # "what do I owe you", "what will I pay"
    r"|\bwhat\s+(?:do|will|would|shall)\s+(?:i|we)\s+(?:owe|pay|be\s+paying)\b|\bhow\s+much\s+do\s+(?:i|we)\s+owe\b"
    # "is a groom still €35 or has it gone up?" (set 170)
    r"|\bstill\s+€\s*\d+|\bprices?\s+(?:gone|go|went)\s+up\b|\bhas\s+it\s+gone\s+up\b"
    # "is it still 45€?", "is a dental €120?" (set 210): an amount asked back
    # (normalised, the € gone: an amount no hour can be)
    # ("was it €45 for the check up last time?", set 226)
    r"|\b(?:is|was)\s+(?:it|that|a|an|the)\s+(?:[a-z]+\s+){0,2}?(?:still\s+)?(?:€\s*\d+|\d+\s*(?:€|euros?\b"
    r"|eur\b)|(?:2[5-9]|[3-9]\d|[1-9]\d\d)\b(?![:.]\d)(?!\s*(?:mins?|minutes|hours?|kg|years?|%)))"
    # an amount said back to check: "you said it was 45 for mittens jab didn't you?", "it's
    # €30 for the nails right?" (set 160)
    r"|\b(?:(?:you|u)\s+said\s+(?:it\s+was\s+|it's\s+|it\s+would\s+be\s+|it'd\s+be\s+)?"
    # (a bare number past any hour: "you said 10 for max right?" is a time)
    r"(?:€\s*\d{2,3}|2[5-9]|[3-9]\d|\d{3})(?:[.,]\d\d)?|€\s*\d{2,3}(?:[.,]\d\d)?|\d{2,3}(?:[.,]\d\d)?\s*(?:€|eur"
    r"|euros?))\s*(?:for|right|isn't|wasn't|didn't|yeah|correct|is\s+that)\b"
)
_WHERE_RE = re.compile(
    # ("max is fine where he is", "leave her where she is": a booking kept, not our address)
    r"\b(?:where(?!\s+(?:he|she|they|it|i|we)\s+(?:is|are|was|am)\b)"
    r"|(?<!e-mail\s)(?<!email\s)address|located|location|directions|find\s+you"
    r"|get\s+to\s+you|postcode)\b"
    # "what number are you on rue des lilas?" (set 154)
    r"|\bwhat\s+number\s+(?:are\s+you|is\s+the\s+(?:clinic|practice|surgery))\b"
    r"|\b(?:street|house|building|door)\s+number\b"
)
# "do you have an email address?": the profile has none; how to reach the clinic instead.
_EMAIL_RE = re.compile(r"\b(?:your|an|any|the\s+clinic'?s?)\s+e-?mail\b|\be-?mail\s+(?:you|u)\b")
# Open day and night asked ("are you 24h?", "open 24/7?", "a 24 hour emergency line?"), not a
# length of time ("she hasn't eaten in 24 hours").
_OPEN_ALL_DAY = (
    r"(?:(?:are|r)\s+(?:you|u)\s+(?:open\s+)?|\bopen\s+)24\s*(?:h|hrs?|hours)\b|\b24\s*/\s*7"
    r"|\b24\s*(?:h|hr|hour)\s+(?:service|emergenc\w*|vets?|clinic|line|number|cover)|\bround\s+the"
    r"\s+clock"
)
_HOURS_RE = re.compile(
    # ("sleeps 18 hours a day", "a few hours": a length of time, not our hours)
    # ("just before you close": a time, not our hours asked)
    r"\b(?:open|opening|(?<!\d\s)(?<!few\s)(?<!many\s)hours|closed"
    r"|(?<!before\s)(?<!before\syou\s)(?<!before\su\s)(?:close|closing|shut))\b"
    r"|\bwhat\s+time\s+do\s+you\b|\bhoraires?\b|" + _OPEN_ALL_DAY + r"\b"
    # "what time's your lunch break?" (set 173)
    r"|\b(?:your|the\s+clinic's|the)\s+lunch\s*(?:break|time|hour)\b"
    # Indian English: "the timings of the clinic", "your clinic timings"
    r"|\b(?:clinic|your|the|office)\s+timings\b|\btimings\s+of\s+(?:the\s+|your\s+)?"
    r"(?:clinic|practice|surgery|office|hospital)\b"
    r"|\b(?:do|are)\s+you\s+(?:do\s+|open\s+|have\s+)?(?:any\s+)?(?:evenings|weekends|late"
    r"\s+(?:nights?|appointments|opening))\b|\bopen\s+late\b|^any\s+(?:evenings|weekends)\b"
    # "do you do weekend appointments?", "any evening slots?"
    r"|\b(?:do|are)\s+you\s+(?:do\s+|have\s+|offer\s+)?(?:any\s+)?(?:weekend|evening|saturday"
    r"|sunday|night)\s+(?:appointments?|slots?|opening|hours)\b"
    r"|^any\s+(?:weekend|evening)\s+(?:appointments?|slots?)\b"
    # a weekday in the plural asks whether we work that day ("do you do Saturdays?", "are you
    # open sundays"), not for a time on the next one
    r"|\b(?:do|are)\s+you\s+(?:do|open|work|see\s+\w+|take\s+\w+)(?:\s+on)?\s+(?:mondays|tuesdays"
    r"|wednesdays|thursdays|fridays|saturdays|sundays)\b"
)
# Late opening asked about beside a day: "… or are you open late any day?"
_LATE_ASKED_RE = re.compile(r"\b(?:open|opening)\s+late\b|\blate\s+(?:opening|nights?|evenings?)\b")
# Times of the week asked about as times we are open, not as services: "do you do any
# evenings?", "are you open late?", "any weekend appointments?".
_TIMES_OPEN_RE = re.compile(
    r"\b(?:do|are)\s+you\s+(?:do\s+|open\s+|have\s+|work\s+)?(?:any\s+)?(?:evenings?|weekends?"
    r"|saturdays?|sundays?|nights?|late\s+(?:nights?|evenings?|appointments?|slots?|opening)"
    r"|early\s+mornings?"
    r"|late)\b"
    # "do you do appointments on sundays?": the day's hours, not whether a visit is a service
    r"|\bdo\s+(?:you|u)\s+(?:do|have|offer)\s+(?:any\s+)?(?:appointments?|appts?|slots?|bookings?)\s+"
    r"(?:on\s+)?(?:a\s+)?(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\bopen\s+late\b|\b(?:evening|weekend|late|night)\s+(?:appointments?|slots?|opening"
    r"|hours)\b|^any\s+(?:evenings?|weekends?)\b"
)
# ("ate something in the park", "at the park": a park, not parking)
_PARKING_RE = re.compile(
    r"\b(?:parking|car\s+park)\b|(?<!\bthe\s)(?<!\ba\s)\bpark\b"
    r"|\b(?:can|could|where|do)\s+(?:i|we|you)\s+park\b"
)
# ("the card says 15th December", "his vaccination card": a card that pays is said so)
_PAYMENT_RE = re.compile(
    # (not who pays, told: "my dad's paying dw", "my mum will pay")
    r"\b(?:(?<!\bdads\s)(?<!\bmums\s)(?<!\bmoms\s)(?<!'s\s)(?<!\bis\s)paying"
    r"|(?<!\bwill\s)(?<!'ll\s)pay|payment|payments|cash|contactless|visa|mastercard|amex)\b"
    r"|\b(?:by|with|accept|take|credit|debit|bank)\s+cards?\b|\bcards?\s+(?:payments?|machine"
    r"|reader|only)\b|\b(?:do|can)\s+(?:you|i)\s+(?:take|use|accept)\s+cards?\b"
)
# Pet insurance: answered only from an ``insurance`` policy; without one, the team's to answer
# (the payment policy says nothing about claims).
_INSURANCE_RE = re.compile(r"\binsur(?:ance|ed|er|ers)\b")
# Before "emergency" or "urgent": the owner's own, not the pet's ("can't make it, work
# emergency", "a family emergency"); the agent's alarm reads it the same way.
NOT_THE_OWNERS = r"(?<!\bwork\s)(?<!\bfamily\s)(?<!\bpersonal\s)(?<!\bhome\s)(?<!\bchildcare\s)"
_EMERGENCY_RE = re.compile(
    NOT_THE_OWNERS
    + r"\b(?:emergency|emergencies|urgent|night\s+service|out\s+of\s+hours|after\s+hours"
    # "can you resend the night number you gave me last night" (set 234)
    r"|night(?:time)?\s+(?:number|line|phone)"
    # ("milo's got worse overnight": what happened, no question of the night service)
    r"|(?<!worse\s)(?<!better\s)(?<!sick\s)(?<!poorly\s)(?<!ill\s)overnight|on\s+call"
    # (a night asked about, not a symptom's: "she's stopped scratching at night", set 158)
    r"|(?:open|closed|call|ring|phone|contact|anyone|someone|somebody|number|vets?|cover|service"
    r"|help|do|happens?|emergency|emergencies|urgent|there)\s+(?:\w+\s+){0,3}?at\s+night"
    r"|\bif\s+(?:\w+\s+){0,8}?at\s+night"  # "what do we do if one of them gets ill at night"
    # "if my cat gets worse tonight who do i actually call?" (set 218)
    r"|\bif\s+(?:\w+\s+){0,6}?tonight\s+(?:who|what|where)\s+(?:do|should|can)\s+(?:i|we)\s+"
    r"(?:\w+\s+)?(?:call|ring|phone|contact|do)"
    # "what do I do if something happens in the night, are you 24h?" (set 151)
    r"|(?:in|during)\s+the\s+night|middle\s+of\s+the\s+night|"
    + _OPEN_ALL_DAY
    # "is there a number for nights?"
    + r"|(?:number|someone|anyone|vet)\s+for\s+(?:the\s+)?nights?)\b"
    # care when the clinic is shut: "if she gets worse tonight after you close who do I call?"
    # ("if tonight he has a crisis after your closing, there is a number to call?", set 162)
    r"|\bafter\s+(?:you|you're|you\s+are|your|the\s+clinic|the\s+clinic's)?\s*(?:close|closed|closing"
    r"|shut)\b"
    r"|\bwhen\s+you(?:'re|\s+are)\s+(?:closed|shut)\b"
    r"|\bwho\s+(?:do|should|can|would)\s+(?:i|we)\s+(?:call|ring|phone|contact)\b"
    # "whats the number if it gets worse overnight?" (set 150)
    r"|\b(?:what's|whats|what\s+is)\s+the\s+(?:number|phone\s+number)\b[^.?!]{0,20}\bif\b"
    r"[^.?!]{0,30}\b(?:worse|poorly|ill|sick|bad)\b"
    # "is there anyone I can ring tonight if he gets worse?" (set 144)
    r"|\b(?:is\s+there\s+)?(?:anyone|someone|somebody|a\s+number)\s+(?:i|we)\s+(?:can|could)\s+"
    r"(?:call|ring|phone|contact)\s+(?:tonight|at\s+night|overnight|later|over\s+the\s+weekend)\b"
    # "and if she gets worse tonight what do I do?", "if he gets poorly that day what do i do"
    r"|\bif\s+(?:he|she|it|they|\w+)\s+(?:gets?|got|is|feels?|becomes?|starts?)\s+(?:any\s+)?"
    r"(?:worse|poorly|ill|sick|bad|unwell)\b(?=.*\bwhat\s+(?:do|should|shall|would|can)\s+(?:i|we)"
    r"\s+do\b)"
    # ... or the question first: "what would I do if Scout took poorly on a Sunday?"
    r"|\bwhat\s+(?:do|should|shall|would|can|could)\s+(?:i|we)\s+do\s+if\s+(?:he|she|it|they"
    r"|\w+)\s+(?:gets?|got|took|takes|is|was|were|feels?|becomes?|starts?|falls?|fell|turns?)\s+"
    r"(?:any\s+)?(?:worse|poorly|ill|sick|bad|unwell)\b"
)
# Urgency denied: "nothing urgent", "it's not an emergency", "not urgent at all".
_NOT_URGENT_RE = re.compile(
    r"\b(?:nothing|not|isn't|no|never)\s+(?:(?:very|that|too|super|really|an?)\s+)*"
    # ("not urgent urgent but id like her checked", set 191: the word said twice)
    r"(?:urgent(?:ly)?|emergency|serious)(?:\s+(?:urgent|emergency|serious))*\b|\bnon-?urgent\b"
    # "so I don't think it's an emergency", "i doubt it's urgent"
    r"|\b(?:don't|do\s+not|doesn't)\s+(?:think|believe|feel\s+like)\s+(?:it's|it\s+is|this\s+is)\s+"
    r"(?:an?\s+)?(?:urgent|emergency|serious)\b|\bdoubt\s+(?:it's|it\s+is)\s+(?:an?\s+)?(?:urgent"
    r"|emergency|serious)\b"
    # "doesnt seem like an emergency", "it doesn't look urgent" (set 150)
    r"|\b(?:doesn't|doesnt|does\s+not|don't|dont)\s+(?:seem|look|sound|feel)\s+(?:like\s+)?"
    r"(?:(?:an?|very|that|too|super|really)\s+)*(?:urgent|emergency|serious)\b"
    # "not that it's urgent, but luna's been sneezing"
    r"|\bnot\s+that\s+(?:it's|its|it\s+is|this\s+is|it\s+was)\s+(?:(?:very|that|too|super|really"
    r"|an?)\s+)*(?:urgent|emergency|serious)\b"
    # an emergency clinic already been to, told as what happened: "we ended up at the emergency
    # vet in Vincennes at 2am, … doing great"
    r"|\b(?:ended\s+up|went|took\s+\w+|were|was|been|rushed\s+\w+|had\s+to\s+go)\s+"
    r"(?:\w+\s+){0,2}?(?:at|to|in)\s+(?:the\s+|an?\s+)?(?:out\s+of\s+hours\s+)?emergency\s+"
    r"(?:vets?|clinic|hospital|room|service|practice)\b"
)


def without_denied_urgency(text: str) -> str:
    """Normalised ``text`` with urgency said not to be there ("nothing urgent just her yearly
    checkup", "it's not an emergency") blanked, so it reads as no emergency."""
    return _NOT_URGENT_RE.sub(" ", text)


# What to bring to an appointment: "what should I bring?", "do I need to bring anything?"
_BRING_RE = re.compile(
    # ("what does she need to bring with her", the friend who brings the pet: set 149)
    r"\b(?:what|anything)\s+(?:else\s+)?(?:(?:should|do|does|must|shall|to|would|will)\s+)?"
    r"(?:(?:i|we|she|he|they)\s+)?(?:should\s+|need\s+to\s+|needs\s+to\s+|have\s+to\s+|has\s+to\s+"
    r"|must\s+|ought\s+to\s+)?bring\b"
    r"|\b(?:need|have|got)\s+to\s+bring\s+(?:anything|something)\b|\bbring\s+anything\b"
    # "do I need to bring his vaccination booklet?", "should we bring her papers"
    # ("do I need to bring kiwi's booklet?", set 150)
    r"|\b(?:need|have|got|should|must)\s+(?:to\s+)?bring\s+(?:(?:his|her|their|its|my|our|the"
    r"|[a-z]+'s)\s+)?"
    r"(?:\w+\s+)?(?:booklet|records?|papers|passport|medicines?|medication|tablets|pills"
    r"|vaccination\s+(?:card|booklet|records?))\b"
    # "do I need to do anything before max's appointment?", "how should we prepare?"
    r"|\b(?:need|have)\s+to\s+do\s+anything\s+before\b|\banything\s+(?:i|we)\s+(?:need|should"
    r"|have)\s+(?:to\s+)?(?:do|know)\s+before\b|\bhow\s+(?:do|should|can)\s+(?:i|we)\s+prepare\b"
    # "can I bring my dog in without a lead?", "does my cat need a carrier?"
    r"|\b(?:without|on|off)\s+(?:a|the|his|her|its)?\s*(?:lead|leash)\b"
    # ... asked, not just said ("she's a nightmare to get in the carrier", "I've only got one
    # carrier" ask nothing)
    r"|\b(?:does|do|should|must|will|is|are|shall)\b[^.?!]{0,30}?\b(?:need|needs|have\s+to"
    r"|be\s+in|come\s+in|use|wear|bring)\b[^.?!]{0,12}?\b(?:carriers?|crates?|muzzles?)\b"
    r"|\b(?:carriers?|crates?|muzzles?)\s+(?:needed|required|necessary)\b"
    # ... the carrier said before: "never been in a carrier … does she HAVE to come in one?"
    r"|\b(?:carriers?|crates?)\b.{0,120}?\b(?:does|do|should|must|will|shall)\b[^.?!]{0,30}?"
    r"\b(?:be|come|go|travel)\s+in\s+(?:one|1|it)\b"
    # "does he need a lead", "do they need to be in carriers?" (not "I'll have both carriers")
    r"|\bneeds?\s+(?:a\s+|to\s+be\s+on\s+a\s+)?(?:leads?|leash(?:es)?)\b"
    r"|\bneeds?\s+to\s+be\s+in\s+(?:a\s+)?(?:carriers?|crates?)\b"
)
_POLICY_RE = re.compile(
    r"\bcancell?ation\s+(?:policy|fee|charge)\b|\blate\s+cancell?ation\b"
    # "what's your policy if I need to cancel?", "your policy on moving appointments" (set 169)
    r"|\bpolicy\b.{0,30}\b(?:cancel\w*|move|moving|reschedul\w*|change|changing)\b"
    # the cost of cancelling or moving asked about: "if I cancel do I get charged?", "is there a
    # fee to move it?", "can I cancel for free?"
    r"|\b(?:cancel\w*|move|moving|reschedul\w*)\b.{0,50}\b(?:charged?|fees?|penalty|pay(?:ing)?|cost"
    r"|free\s+of\s+charge|for\s+free|notice)\b"
    # (not how one pays: "can i pay by contactless? also need to move crumble's …", set 196)
    r"|\b(?:charged?|fees?|penalty|pay(?!\s+(?:by|with|in|using|via|on)\b)|owe)\b.{0,40}"
    r"\b(?:cancel\w*|move|moving|reschedul\w*)\b"
    # "how much notice do I need to give to cancel?", "how far ahead do I have to cancel"
    r"|\b(?:notice|far\s+ahead|in\s+advance|how\s+(?:long|far)\s+before)\b.{0,40}\b(?:cancel\w*|move"
    r"|moving|reschedul\w*)\b"
    # the notice asked about: "is it too late to cancel tomorrow's?", "can I still move it?"
    r"|\btoo\s+late\s+to\s+(?:cancel\w*|move|change|reschedul\w*)\b"
    # the change just asked for, referred back to: "… cancel it. Is there any charge for doing
    # so?"
    r"|\b(?:charged?|fees?|penalty|cost)\b.{0,20}\b(?:for|to)\s+do(?:ing)?\s+(?:so|that|this)\b"
    # a visit missed: "is there a fee if i miss my appointment?", "do you charge for no-shows"
    r"|\b(?:charged?|fees?|penalty|pay)\b.{0,40}\b(?:miss(?:ed|ing)?|no[\s-]?shows?|don't\s+(?:turn"
    r"|show)\s+up)\b"
    r"|\bmiss(?:ed|ing)?\s+(?:my|an|the|our|his|her|their)\s+(?:appointment|appt|booking|visit)\b"
    r".{0,50}\b(?:charged?|fees?|penalty|pay)\b"
)
# A cancellation only supposed: "if I have to cancel…", "what happens if we cancel", "in case";
# or asked about without asking for it: "is it too late to cancel?".
_SUPPOSED_RE = re.compile(
    # (not a courtesy: "… to friday same time if thats ok", "if possible")
    r"\b(?:if(?!\s+(?:(?:that's|thats|that\s+is|it's|its|it\s+is)\s+(?:ok|okay|alright|all\s+right"
    r"|possible|fine|convenient)|possible|poss|you\s+can)\b)|in\s+case|what\s+happens|supposing"
    r"|say)\b"
    r"|\b(?:is\s+it|am\s+i|are\s+we|it's)\s+(?:already\s+)?too\s+late\b"
    r"|\bhow\s+(?:much\s+notice|far\s+ahead|far\s+in\s+advance|long\s+before)\b"
    # asked as a question of its own: "will I be charged for moving it?", "is there a fee?"
    r"|\b(?:will|would|do|does|is|am|are|shall)\s+(?:i|we|there|it|you|that)\b.{0,30}"
    r"\b(?:charged?|charging|fees?|cost|pay|penalty)\b"
    # "can I cancel for free?", "can i cancel without paying"
    r"|\b(?:can|could|may)\s+(?:i|we)\s+(?:still\s+)?(?:cancel\w*|move|reschedul\w*)\b.{0,30}"
    r"\b(?:for\s+free|free\s+of\s+charge|without\s+(?:paying|a\s+fee|being\s+charged|charge"
    r"|a\s+charge|penalty|a\s+penalty))\b"
)


# A change asked for, not supposed: "Cancel Max, is there a fee?", "please cancel it", "I would
# be most obliged if you could cancel it", "can you move her to friday".
_CHANGE_ASKED_RE = re.compile(
    r"(?:^|[.!?,;:]\s*)(?:please\s+|pls\s+|kindly\s+)?(?:cancel|move|reschedule)\b"
    r"|\b(?:please|pls|kindly|(?:could|can|would|will)\s+you(?:\s+please)?|if\s+you\s+(?:could"
    r"|would|can)|(?:i|we)(?:'d|\s+would)\s+like\s+(?:you\s+)?to|(?:i|we)\s+(?:want|need)\s+"
    r"(?:you\s+)?to)\s+(?:please\s+)?(?:cancel|move|reschedule)\b"
)


# A clause that supposes, to its end: "if something comes up and I need to cancel it" (not
# "if you could cancel it", a request)
_SUPPOSING_CLAUSE_RE = re.compile(
    r"\b(?:if|in\s+case|supposing)\b(?!\s+you\s+(?:could|would|can|don't\s+mind))[^,.;!?]*"
)


def asks_cost_of_cancelling(text: str) -> bool:
    """Does normalised ``text`` ask what cancelling or moving would cost without asking for it
    ("if I have to cancel Max on thursday do I get charged?", "is there a fee if we move it")?
    "Cancel Max, is there a fee?" and "… if you could cancel it. Is there any charge for doing
    so?" ask for the change too: False (the change is proposed, the policy said with it)."""
    # ("and if something comes up and I need to cancel it, do I have to pay?": the need is
    # supposed, not said)
    said = _SUPPOSING_CLAUSE_RE.sub(" ", text)
    return bool(
        _POLICY_RE.search(text) and _SUPPOSED_RE.search(text) and not _CHANGE_ASKED_RE.search(said)
    )


# Joining the clinic: "do you take new patients?", "I'd like to register my two cats", "how do
# I sign up?" (the ``new_patients`` policy).
_NEW_PATIENTS_RE = re.compile(
    r"\b(?:take|taking|accept|accepting|open\s+to)\s+(?:on\s+)?(?:any\s+)?new\s+(?:patients|clients"
    r"|customers|pets|animals)\b|\bregist(?:er|ering|ration)\b|\bsign\s+(?:up|on)\b"
    r"|\bjoin\s+(?:the|your)\s+(?:practice|clinic|surgery)\b|\bnew\s+(?:patient|client)\b"
    # "do you need her details beforehand? it's our first time with you" (set 225)
    r"|\b(?:need|want|have)\s+(?:her|his|their|its|my|our|the\s+pet's|the)\s+(?:details|records"
    r"|info|information|history)\s+(?:beforehand|before|in\s+advance|first|ahead)\b"
)
_ANIMALS_RE = re.compile(
    # ("do u even see hamsters lol")
    r"\b(?:exotic|exotics|(?:which|what)\s+animals)\b|\bdo\s+you\s+(?:even\s+|also\s+|ever\s+"
    r"|actually\s+)?(?:see|treat|take|do)\s+"
    r"(?:\w+\s+)?(?:cats?|dogs?|rabbits?|hamsters?|birds?|parrots?|reptiles?|snakes?|lizards?"
    r"|ferrets?|horses?|tortoises?|guinea)\b"
    # the animal said first: "my friend has a guinea pig, do you see those?"
    r"|\b(?:guinea\s+pigs?|rabbits?|hamsters?|birds?|parrots?|reptiles?|snakes?|lizards?|ferrets?"
    r"|horses?|tortoises?|exotics?)\b.{0,60}\bdo\s+(?:you|u)\s+(?:see|treat|take|do)\s+"
    r"(?:those|them|these|that|one|it)\b"
    # asked without its "do": "nah leave it actually. u see rabbits?" (set 205)
    r"|\b(?:you|u)\s+(?:also\s+|even\s+)?(?:see|treat)\s+(?:any\s+)?(?:rabbits?|hamsters?|birds?"
    r"|parrots?|reptiles?|snakes?|lizards?|ferrets?|tortoises?|guinea\s+pigs?|exotics?)\b"
    # asked in a longer sentence: "not sure whether a clinic such as yours sees rabbits or only
    # cats and dogs", "I wondered if you treat ferrets" (set 193)
    r"|\b(?:whether|if)\s+(?:you|u|a\s+\w+\s+(?:such\s+as|like)\s+yours|your\s+(?:clinic|practice"
    r"|surgery|vets?))\s+(?:also\s+|even\s+|ever\s+)?(?:see|sees|treat|treats|take|takes"
    r"|look\s+after|looks\s+after)\s+(?:\w+\s+)?(?:cats?|dogs?|rabbits?|hamsters?|birds?|parrots?"
    r"|reptiles?|snakes?|lizards?|ferrets?|horses?|tortoises?|guinea)\b"
)
# Large animals, which no "small pets" clinic sees: "is it ok to bring my horse?", "my
# daughter's pony has a sore hoof". Seen only when the profile's ``animals`` policy names them.
# (owned, so "eating like a horse" is none)
_LARGE_ANIMALS = r"horses?|pon(?:y|ies)|donkeys?|cows?|cattle|sheep|goats?|alpacas?|llamas?"
_LARGE_ANIMAL_RE = re.compile(
    r"\b(?:my|our|his|her|their|[a-z]+'s|(?:got|have|own|keep)\s+(?:a|an|some|two|\d+))\s+"
    rf"(?:[a-z]+\s+){{0,2}}?(?P<animal>{_LARGE_ANIMALS})\b"
    # asked outright: "do you see goats?"
    rf"|\bdo\s+(?:you|u)\s+(?:see|treat|take|do)\s+(?P<asked>{_LARGE_ANIMALS})\b"
)

_SMALL_PET_RE = re.compile(
    r"\b(?:cats?|dogs?|kittens?|pupp(?:y|ies)|pups?|rabbits?|bunn(?:y|ies)|hamsters?|guinea\s+pigs?"
    r"|ferrets?|birds?|parrots?)\b"
)


def _small_pet_seen(text: str, policy: str) -> list[str]:
    """ "Yes, we see guinea pigs." for the small pet normalised ``text`` asks about, when the
    profile's ``animals`` ``policy`` names it or says "small pets" ("We see cats, dogs, rabbits
    and other small pets."), as a list of the one sentence; empty otherwise (a policy of "cats
    and dogs only" is said as it is), or when ``text`` names a large animal too."""
    found = _SMALL_PET_RE.search(text)
    if found is None or _LARGE_ANIMAL_RE.search(text):
        return []
    animal = re.sub(r"\s+", " ", found.group(0))
    said = policy.lower()
    stem = animal.removesuffix("s").removesuffix("ie")
    # (a bird is no "small pet" said for sure: only when the policy names it)
    furry = not re.match(r"(?:bird|parrot)", animal)
    if stem not in said and not (furry and re.search(r"\bsmall\s+(?:pets|animals)\b", said)):
        return []
    if not animal.endswith("s"):
        animal = f"{animal[:-1]}ies" if animal.endswith("y") else f"{animal}s"
    return [f"Yes, we see {animal}."]


def large_animal_not_seen(text: str, profile: BusinessProfile) -> str | None:
    """The answer to a visit asked for a large animal (horse, pony, donkey, cow, sheep, goat,
    alpaca, llama) that the profile's ``animals`` policy does not name: that it is not seen,
    with the policy. None when ``text`` (normalised) names none, or the policy names it."""
    found = _LARGE_ANIMAL_RE.search(text)
    seen = profile.policies.get("animals")
    if found is None or seen is None or _SMALL_PET_RE.search(text):
        return None  # ("my dog chased the neighbour's sheep and cut his paw": the dog's visit)
    animal = found["animal"] or found["asked"]
    plural = {"pony": "ponies", "ponies": "ponies", "sheep": "sheep", "cattle": "cattle"}.get(
        animal, animal if animal.endswith("s") else f"{animal}s"
    )
    if re.search(rf"\b{animal[:4]}", seen.lower()):
        return None
    return f"Sorry, we don't see {plural} at the clinic. {seen}"


_SERVICES_RE = re.compile(
    r"\bwhat\s+(?:services|do\s+(?:you|u)\s+(?:actually\s+|even\s+|all\s+|guys\s+)?(?:do|offer))\b"
    # "what can i book for my rabbit?", "what kind of things can I book", "what can you do for
    # my dog"
    r"|\bwhat\s+(?:(?:kind|sort|type)s?\s+of\s+)?(?:things\s+|stuff\s+|appointments\s+"
    r"|treatments\s+)?(?:can|could)\s+(?:i|we)\s+(?:book|get\s+done|have\s+done)\b"
    r"|\bwhat\s+can\s+you\s+(?:do|offer)\s+for\b"
    r"|\bdo\s+(?:you|u)\s+(?:guys\s+|all\s+|folks\s+)?(?:do|offer)\b"
    r"|\b(?:does|do)\s+(?:the|your)\s+(?:vets?|clinic|practice|surgery|doctors?|team)\s+(?:do|offer)\b"
)
# ("I don't know for how long": news, not a question)
_DURATION_RE = re.compile(
    r"(?<!\bknow\s)(?<!\bknow\sfor\s)\bhow\s+long\b(?!\s+(?:before|in\s+advance|ahead|for\b))"
)
_EVERY_WEEKDAY_RE = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)days\b")
# "is this a bot?", "am I talking to a real person?", "who am I speaking to?"
_WHO_RE = re.compile(
    r"\b(?:are\s+you|is\s+this|r\s+u|am\s+i\s+(?:talking|speaking|chatting)\s+(?:to|with))\s+"
    r"(?:an?\s+|the\s+)?(?:real\s+)?(?:bot|robot|chatbot|machine|computer|ai|human|person|"
    r"automated|automatic|recording|real)\b"
    # "is this the vet?", "have I got the right number?"
    r"|^(?:hi\s+|hello\s+)?(?:is\s+this|am\s+i\s+(?:talking|speaking|chatting)\s+(?:to|with)|have\s+i"
    r"\s+(?:got|reached))\s+(?:the\s+)?(?:vets?|clinic|surgery|practice|right\s+number)\b"
    r"|\bwho\s+(?:am\s+i|are\s+you|is\s+this|r\s+u)\b(?:\s+(?:talking|speaking|chatting)\b|\s*\??$)"
    # "I'm not sure if this is a real person reading this or a computer", "is someone there or
    # is this automatic?"
    r"|\bthis\s+is\s+(?:an?\s+)?(?:real\s+)?(?:person|human|bot|robot|chatbot|computer|machine|ai"
    r"|automated|automatic)\b(?:\s+reading\s+this)?(?:\s+or\s+(?:an?\s+)?(?:real\s+)?(?:person"
    r"|human|bot|robot|chatbot|computer|machine|ai|automated|automatic))?"
    # (not "hello? is anyone there?": whether we are still there)
    r"|\bis\s+(?:someone|anyone|somebody)\s+(?:real|reading)\b"
    r"|\bor\s+is\s+(?:this|it)\s+(?:an?\s+)?(?:automatic|automated|bot|robot|computer|machine|ai)\b"
)
# How to use the assistant, asked: "what can you do", "how does this work?", "do I just type?",
# "how do I use this?", "what can I ask".
_HOW_IT_WORKS_RE = re.compile(
    r"\bwhat\s+(?:can|do)\s+(?:you|u)\s+(?:do|help\s+with)\s*$|\bwhat\s+can\s+(?:you|u)\s+do\b"
    r"|\bhow\s+(?:does|do)\s+(?:this|it)\s+work\b|\bhow\s+do\s+(?:i|we)\s+use\s+(?:this|it|you)\b"
    r"|\bdo\s+(?:i|we)\s+just\s+(?:type|write|message|tell|say)\b|\bwhat\s+can\s+(?:i|we)\s+ask\b"
    r"|\bhow\s+do\s+(?:i|we)\s+(?:do\s+)?this\b"
)
# A question about when the clinic opens or closes rather than whether it is open that day.
_WHEN_OPEN_RE = re.compile(
    r"\b(?:what\s+time|when|till\s+when|until\s+when|how\s+late|how\s+early|what\s+are)\b"
)
# The time the clinic shuts or opens, asked for ("what time do you shut on saturdays?", "how
# late are you open friday?", "when do you open tomorrow?"): that time is the answer.
_CLOSES_AT_RE = re.compile(
    r"\b(?:what\s+time|when|till\s+when|until\s+when)\b.{0,30}?\b(?:close|closing|shut|finish)"
    r"|\bhow\s+late\b|\bclosing\s+time\b"
)
_OPENS_AT_RE = re.compile(
    r"\b(?:what\s+time|when)\s+(?:do|does|will|would)\s+(?:you|the\s+clinic|it)\s+open\b"
    r"|\bhow\s+early\b|\bopening\s+time\b"
)
# Whether the clinic reminds customers before a visit (the ``reminders`` policy): "can you
# remind me the day before?", "do you send reminders?", "will I get a reminder?". Not "remind me
# when it is" (a question about the booking itself).
_REMINDER_RE = re.compile(
    # ("will I get like a reminder", dictated, set 222)
    r"\b(?:send|get|give|text|message|whatsapp)\s+(?:me\s+|us\s+)?(?:like\s+)?(?:an?\s+|any\s+)?"
    r"reminders?\b"
    r"|\b(?:do|will|would|can|could)\s+(?:you|i|we)\s+(?:\w+\s+)?(?:send|get|do|have)\s+"
    r"(?:an?\s+|any\s+)?reminders?\b"
    r"|\bremind\s+(?:me|us)\b(?=.{0,30}\b(?:(?:the\s+)?(?:day|night|evening|morning)\s+before"
    r"|beforehand|nearer\s+the\s+time|closer\s+to\s+the\s+(?:time|day|date)|on\s+the\s+day"
    r"|before\s+(?:it|the\s+appointment|then)"
    # "will you remind me before Luna's appointment?"
    r"|before\s+(?:my|our|his|her|their|\w+'?s)\s+(?:appointment|visit|booking|jab|checkup))\b)"
    r"|\breminders?\s+(?:the\s+)?(?:day|night)\s+before\b"
    # "will i get a text the day before luna's jab … to remind me?"
    r"|\b(?:get|send|receive)\s+(?:me\s+|us\s+)?(?:an?\s+)?(?:text|message|whatsapp|sms)\s+"
    r"(?:the\s+)?(?:day|night|evening|morning)\s+before\b"
    r"|\b(?:text|message|whatsapp|sms)\b.{0,50}\bto\s+remind\s+(?:me|us)\b"
)
# Whether this is the clinic of another address or name: "are you the same clinic as the one on
# High Street?", "is this the vets in Montreuil?", "are you part of the other branch?".
_SAME_CLINIC_RE = re.compile(
    # ("the same vet" is a person, asked about elsewhere; "the same vets" is a clinic)
    r"\b(?:same|other|another|different)\s+(?:clinic|practice|surgery|vets|branch|place)\b"
    r"|\bsame\s+(?:one|people)\s+as\b|\b(?:branch|branches|franchise|chain)\b"
    r"|\b(?:are\s+you|is\s+(?:this|that))\s+the\s+(?:clinic|practice|surgery|vets?)\s+(?:on|in|at|near)\b"
)
# What the vet decides, asked of us: which vaccinations a puppy needs and when, how often a
# booster is due. The profile has the service and its price, not a schedule: said so.
_CARE_ADVICE_RE = re.compile(
    r"\b(?:what|which)\s+(?:vaccinations?|vaccines?|jabs?|shots?|boosters?)\s+(?:does|do|should"
    r"|will|would|did)\b"
    r"|\b(?:how\s+often|when|at\s+what\s+age)\s+(?:does|do|should|will|can)\s+(?:he|she|it|they"
    r"|my\s+\w+|our\s+\w+|a\s+\w+|\w+)\s+(?:need|have|get|be\s+due)\s+(?:\w+\s+){0,2}?"
    r"(?:vaccin\w*|jabs?|shots?|boosters?)\b"
    r"|\b(?:vaccin\w*|jabs?|shots?|boosters?)\s+(?:does|do|should)\s+(?:a|my|our)?\s*"
    r"(?:puppy|puppies|kitten|kittens)\s+need\b"
)
# What a customer asks the clinic to do or price: "do you do microchipping?", "how much is an
# x-ray?". Checked against the profile's services, so a service it does not list is said to be
# unlisted instead of answered with the price list.
# Who the clinic is in a question: "do you…", "does the vet…", "do your vets…".
_CLINIC_DOES = (
    r"(?:do\s+(?:you|u)|(?:does|do)\s+(?:the|your|a)\s+(?:vets?|clinic|practice|surgery|doctors?"
    r"|team))"
)
_ASKED_FOR_RE = re.compile(
    rf"\b{_CLINIC_DOES}\s+(?:do|offer|provide|perform|carry\s+out)\s+(?:an?\s+|any\s+)?"
    r"(?P<done>[a-z][a-z-]+(?:\s+[a-z][a-z-]+){0,2})"
    r"|\bhow\s+much\s+(?:is|are|for|does|do|would)\s+(?:an?\s+|the\s+)?"
    r"(?P<priced>[a-z][a-z-]+(?:\s+[a-z][a-z-]+){0,2})"
)
# "how much do you charge for neutering", "what's the price of a microchip", "cost of x-rays":
# searched on its own, as "how much do you…" above starts earlier in the same question.
_CHARGED_FOR_RE = re.compile(
    r"\b(?:charge|charges|price|prices|cost|costs|fee|fees)\s+(?:for|of)\s+(?:an?\s+|the\s+)?"
    r"(?P<charged>[a-z][a-z-]+(?:\s+[a-z][a-z-]+){0,2})"
)
# Words that stand for something other than a service in those questions (pronouns and other
# common words end the phrase already: English stop words, from the ``stop-words`` package).
_NOT_A_SERVICE = {
    "no-show",
    "no-shows",
    "missed",
    "missing",
    "cancellations",
    "cancelling",
    # (a change of a booking: "any charge for moving it", set 193)
    "moving",
    "changing",
    "rescheduling",
    "cancellation",
    "canceling",
    "appointment",
    "appointments",
    "visit",
    "visits",
    "booking",
    "bookings",
    "slots",
    "availability",
    "weekends",
    "saturdays",
    "sundays",
    "evenings",
    "mornings",
    "cats",
    "dogs",
    "rabbits",
    "animals",
    "pets",
    "exotics",
    "charge",
    "cost",
    "costs",
    "price",
    "prices",
}
_STOP_WORDS = frozenset(get_stop_words("en"))
_PHONE_RE = re.compile(
    # (not the telephone told of: "your receptionist on the telephone", "I will telephone in
    # the new year", set 193)
    r"\b(?:phone\s+number|number\s+to\s+call|call\s+you|telephone\s+number|(?:your|the\s+clinic's)"
    r"\s+telephone)\b"
    # "what's your number, I'd rather ring" ("ur" is normalised to "your")
    r"|\bwhat's\s+(?:your|the\s+clinic's)\s+number\b|\b(?:your|clinic)\s+number\s+(?:to|for)\b"
)


# A price said back to be checked, as written (normalising drops the "€"): "is that 45 euros?",
# "is it €55?", "that's 45€ right?". The amount must carry its currency: "is it 10?" is a time.
_PRICE_CHECK_RE = re.compile(
    r"^\s*(?:so\s+|and\s+|ok\s+)?(?:(?:is|was)\s+(?:that|it|this)|that['’]s|that\s+is|it['’]s"
    r"|it\s+is)?\s*(?:still\s+|only\s+|just\s+)?"
    r"(?:€\s*(?P<before>\d{1,4})(?:[.,]\d{2})?|(?P<after>\d{1,4})(?:[.,]\d{2})?\s*(?:€|euros?\b|eur\b))"
    r"\s*(?:right|then|yeah|correct|isn['’]t\s+it"
    r"|for\s+(?:that|it|this|(?:the|a|an|her|his|their|my)\s+[\w-]+(?:\s+[\w-]+)?))?"
    r"\s*[?!.]*\s*$",
    re.IGNORECASE,
)


# How many pets one visit can take: "how many pets can I bring at once?", "can I bring all 3
# dogs together?"
_CAPACITY_RE = re.compile(
    r"\bhow\s+many\s+(?:pets|animals|dogs|cats)\b.{0,30}\b(?:at\s+once|at\s+a\s+time|together"
    r"|at\s+the\s+same\s+time|in\s+one\s+(?:go|visit|appointment))"
    r"|\bhow\s+many\s+(?:pets|animals|dogs|cats)\s+can\s+(?:i|we|you)\s+(?:bring|book|see)\b"
    # "can two cats come in together?", "can both dogs be seen at the same time?"
    r"|\bcan\s+(?:the\s+|my\s+|our\s+)?(?:two|2|both|three|3)\s+(?:of\s+(?:them|my\s+\w+)\s+|\w+\s+)?"
    r"(?:come(?:\s+in)?|be\s+seen|be\s+booked)\s+(?:together|at\s+once|at\s+the\s+same\s+time)\b"
)
# Coming without an appointment: "do you take walk-ins?", "can I just turn up?", "drop-in".
_WALK_IN_RE = re.compile(
    # (not a walk in the park: "a long walk in the Bois de Vincennes")
    r"\bwalk[\s-]?ins?\b(?!\s+(?:the|a|an|our|my|his|her|through|around)\b)|\bdrop[\s-]?ins?\b|\bwithout\s+(?:an?\s+)?(?:appointment|booking)\b"
    r"|\b(?:just|can\s+(?:i|we))\s+(?:turn|show|rock|pop)\s+up\b|\bjust\s+(?:walk|come|pop)\s+in\b"
)
# How far ahead, or how late, a booking can be made: "how many days in advance do I need to
# book?", "how far ahead can I book?", "how much notice do you need?", "can I book last minute?"
_BOOKING_WINDOW_RE = re.compile(
    r"\bhow\s+(?:many\s+(?:days|weeks|months|hours)|far|long|much\s+time|early|soon)\s+"
    r"(?:in\s+advance|ahead|before(?:hand)?|out)\b"
    r"|\bhow\s+(?:far|long)\s+(?:ahead|in\s+advance|out)\s+(?:can|do|should|must)\b"
    r"|\bhow\s+much\s+notice\b|\b(?:what|any)\s+notice\s+do\s+you\s+need\b"
    r"|\b(?:need|have)\s+to\s+book\s+(?:far\s+|long\s+|well\s+)?(?:in\s+advance|ahead)\b"
    r"|\b(?:can|could|do)\s+(?:i|we|you)\s+(?:book|take\s+bookings?)\s+(?:at\s+the\s+)?last[\s-]minute\b"
)
# Whose clock our times are on, from a customer abroad: "is that your time or mine?", "which
# time zone?", "is 10am french time?".
_TIME_ZONE_RE = re.compile(
    r"\btime[\s-]?zones?\b|\bwhose\s+time\b"
    r"|\b(?:your|my|our|local|paris|french|uk|us|english|british)\s+time\s+or\s+(?:mine|yours|ours"
    r"|my|your|our|local|paris|french|uk|us|english|british)\b"
    r"|\b(?:is|are)\s+(?:that|those|it|they|the\s+times?)\s+(?:in\s+)?(?:your|paris|french|local|my|uk"
    r"|us)\s+time\b"
)


def price_check(written: str) -> int | None:
    """The amount (whole euros) a sentence as written says back to check a price ("is that 45
    euros?", "is it €55?"), else None."""
    found = _PRICE_CHECK_RE.match(written)
    return int(found["before"] or found["after"]) if found else None


def price_checked(amount: int, service: Service) -> str:
    """The answer to a price said back for ``service``: yes or no, and the profile's price."""
    digits = re.sub(r"[^\d]", "", service.price.split(".")[0].split(",")[0])
    agrees = digits == str(amount)
    return f"{'Yes' if agrees else 'No'}, {_price(service)[0].lower()}{_price(service)[1:]}"


# Our hours acknowledged, not asked: "ah of course, you're shut saturday afternoons", "oh right
# you're closed sundays", "silly me, you close at 1"
_HOURS_GRANTED_RE = re.compile(
    r"\b(?:of\s+course|oh\s+right|ah\s+right|silly\s+me|my\s+bad|duh|i\s+forgot|doh)\s+"
    r"(?:you're|you\s+are|you|ur)\s+(?:shut|closed|close|not\s+open)\b[a-z0-9:. ]{0,30}?"
    r"(?=\s+(?:so|then|ok|okay|in\s+that\s+case|[a-z]+day\s+it\s+is)\b|$)"
)


def is_question(text: str) -> bool:
    """Does normalised ``text`` ask something about the business?"""
    text = without_denied_urgency(text)
    # "ah of course, you're shut saturday afternoons": our hours said back, not asked
    text = _HOURS_GRANTED_RE.sub(" ", text)
    return any(
        pattern.search(text)
        for pattern in (
            _PRICE_RE,
            _WHERE_RE,
            _HOURS_RE,
            _PARKING_RE,
            _PAYMENT_RE,
            _INSURANCE_RE,
            _EMERGENCY_RE,
            _POLICY_RE,
            _SERVICES_RE,
            _PHONE_RE,
            _ANIMALS_RE,
            _DURATION_RE,
            _BRING_RE,
            _REMINDER_RE,
            _WALK_IN_RE,
            _TIME_ZONE_RE,
            _CAPACITY_RE,
            _SAME_CLINIC_RE,
            _CARE_ADVICE_RE,
            _WHO_RE,
            _HOW_IT_WORKS_RE,
            _NEW_PATIENTS_RE,
            _EMAIL_RE,
            _BOOKING_WINDOW_RE,
            _LATEST_START_RE,
        )
    )


def asks_who(text: str) -> bool:
    """Does normalised ``text`` ask whether it is talking to a person or to software ("is this
    a bot?", "am I talking to a real person?")?"""
    return _WHO_RE.search(text) is not None


def without_who(text: str) -> str:
    """Normalised ``text`` without its question about who answers: what is left may still ask
    for a person ("are you a bot? I want a human")."""
    return _WHO_RE.sub(" ", text)


def asks_price(text: str) -> bool:
    """Does normalised ``text`` ask what something costs, not the cost of cancelling?"""
    return bool(_PRICE_RE.search(text)) and not _POLICY_RE.search(text)


# The sum asked for: "all together", "in total", "altogether", "the total"
_ALL_TOGETHER_RE = re.compile(
    r"\b(?:all\s+)?together\b|\baltogether\b|\bin\s+total\b|\bthe\s+total\b|\ball\s+in\b"
    r"|\bcombined\b|\bfor\s+(?:all|everything)\b"
)


def total_price(prices: list[str]) -> str | None:
    """The sum of ``prices`` as the profile writes them ("€55" and "€55" → "€110"), by
    ``babel.numbers``; None when they are not all one currency written the same way or a
    number cannot be read."""
    parts = [re.fullmatch(r"(\D*?)\s*([\d.,]+)\s*(\D*)", p.strip()) for p in prices]
    if not parts or any(m is None for m in parts):
        return None
    found = [m for m in parts if m is not None]
    if len({(m[1], m[3]) for m in found}) != 1:
        return None
    try:
        total = sum((parse_decimal(m[2], locale="en") for m in found), Decimal(0))
    except NumberFormatError:
        return None
    said = format_decimal(total, locale="en")
    return f"{found[0][1]}{said}{found[0][3]}"


def asks_price_or_length(text: str) -> bool:
    """Does normalised ``text`` ask what something costs or how long it takes ("how much is
    Rocky's appointment going to cost me?", "how long will her grooming take?"), not the cost
    of cancelling?"""
    return bool(_PRICE_RE.search(text) or _DURATION_RE.search(text)) and not _POLICY_RE.search(text)


def asks_care_advice(text: str) -> bool:
    """Does normalised ``text`` ask what the vet decides ("what vaccinations does he need and
    when?")? The answer says the vet advises; nothing is booked from it."""
    return bool(_CARE_ADVICE_RE.search(text))


def about_reminders(text: str) -> bool:
    """Does normalised ``text`` ask whether we remind customers of a visit ("can you remind me
    the day before?")?"""
    return bool(_REMINDER_RE.search(text))


# When a reminder is wanted, said with the reminder ("remind me the day before"): no day of its
# own, nor a change of the appointment's.
_REMINDER_TIMING_RE = re.compile(
    r"\b(?:the\s+)?(?:day|night|evening|morning)\s+before\b"
    r"|\b(?:an?|one|\d{1,2})\s+(?:days?|hours?)\s+(?:before|ahead)\b"
)


def without_reminder_timing(text: str) -> str:
    """Normalised ``text`` with the timing of a reminder it asks for blanked ("can you remind me
    the day before?" → no "day before" to read as a day); other text unchanged."""
    return _REMINDER_TIMING_RE.sub(" ", text) if about_reminders(text) else text


def about_hours(text: str) -> bool:
    """Does normalised ``text`` ask about opening hours or whether the business is open?"""
    return bool(_HOURS_RE.search(text))


def _asked_things(text: str) -> list[str]:
    """The words after each verb of asking in normalised ``text`` ("do you do …", "how much is
    …", "the price of …"), in that order of patterns."""
    found = (pattern.search(text) for pattern in (_CHARGED_FOR_RE, _ASKED_FOR_RE))
    return [next(g for g in match.groups() if g) for match in found if match is not None]


def unlisted_service(text: str, profile: BusinessProfile) -> str | None:
    """The thing normalised ``text`` asks the clinic to do or price when it is none of the
    profile's services ("microchipping", "x-rays", "home visits"), else None. A question about
    another topic (parking, payment, hours…) or about a service the profile lists is not
    one."""
    for asked in _asked_things(text):
        kind = _kind_of_visit(asked, profile)
        if kind is not None:
            return kind
        words: list[str] = []
        for word in asked.split():
            if word in _STOP_WORDS:
                break
            words.append(word)
        thing = " ".join(words)
        if not thing:
            continue  # "how much do you charge for…": "you" ends it; the next pattern's words
        if words[0] in _NOT_A_SERVICE or profile.find_service(thing) is not None:
            return None
        others = (_WHERE_RE, _HOURS_RE, _PARKING_RE, _PAYMENT_RE, _EMERGENCY_RE, _POLICY_RE)
        if any(pattern.search(thing) for pattern in others) or _ANIMALS_RE.search(text):
            return None
        return thing
    return None


# Words for any visit, which a word before them can make a kind the profile does not offer.
_VISIT_WORDS = {"visit", "visits", "appointment", "appointments", "call", "calls", "callouts"}
# Words before a visit word that say when, not what kind: "weekend appointments".
_WHEN_WORDS_RE = re.compile(
    r"\b(?:week-?ends?|evenings?|mornings?|afternoons?|nights?|late|early|same-?day|today|"
    r"tomorrow|\w+days?|next|emergency|urgent|out-of-hours)\b"
)


def _kind_of_visit(phrase: str, profile: BusinessProfile) -> str | None:
    """ "home visits" in "do you do home visits?": a kind of visit (a word before a word for
    any visit) that names none of the profile's services, else None. The stop-word cut in
    ``unlisted_service`` would drop "home" (a stop word) and read the visit as a
    consultation."""
    words = phrase.split()
    for i, word in enumerate(words):
        if word not in _VISIT_WORDS or i == 0:
            continue
        kind = " ".join(words[:i])
        if words[0] in {"any", "the", "a", "an", "your", "some"} or _WHEN_WORDS_RE.search(kind):
            return None
        if profile.find_service(kind) is not None:
            return None
        return " ".join(words[: i + 1])
    return None


def asks_out_of_hours_care(text: str) -> bool:
    """Whether normalised ``text`` asks what to do when the pet is unwell while the clinic is
    shut ("and if she gets worse tonight what do I do?", "who do we call after you close?"):
    the emergencies policy answers it, whatever day or time it names."""
    return is_question(text) and _EMERGENCY_RE.search(text) is not None


def services_named(text: str, profile: BusinessProfile) -> list[Service]:
    """Every service of the profile that normalised ``text`` names by name or alias, in the
    order said, each once ("dental cleaning" counted once, not again as "dental")."""
    ordered = [service for _, _, service in _service_mentions(text, profile)]
    return list({service.key: service for service in reversed(ordered)}.values())[::-1]


# What lists one service after another: "a vaccination and a nail trim", "jabs, nails".
_LISTED_RE = re.compile(r"\b(?:and|plus|also|then|as\s+well\s+as)\b|[,&+]")


def services_listed(text: str, profile: BusinessProfile) -> list[Service]:
    """``services_named`` when each service is listed after the one before ("a vaccination and
    a nail trim", "his jabs, then his nails done"); fewer than two otherwise, so a "dental
    check-up" is one service, not a dental cleaning and a consultation."""
    mentions = _service_mentions(text, profile)
    for (_, end, _), (start, _, _) in zip(mentions, mentions[1:], strict=False):
        if not _LISTED_RE.search(text[end:start]):
            return []
    return services_named(text, profile)


# What a booking was meant to be, said of it: "it should be the dental cleaning", "it was meant
# to be a groom" (``_SERVICE_CHANGE_RE``; ``_MEANT_TO_BE_RE`` ends before the service said)
_MEANT_TO_BE = (
    r"\b(?:should|was\s+meant\s+to|is\s+meant\s+to|was\s+supposed\s+to)\s+(?:have\s+)?be(?:en)?"
    r"\s+(?:the|a|an|his|her|their)"
)
# A booking's service changed: "can max's checkup be a dental instead?", "make it a groom rather
# than a checkup", "could he have his jabs rather than a check up". "change" / "switch" alone are
# move words too ("change her check up to friday"), so with them only a service said after "to"
# is asked for ("change her appointment to a dental").
_SERVICE_CHANGE_RE = re.compile(
    r"\b(?:instead|rather\s+than|into|convert|upgrade|not\s+(?:a|an|the|his|her|their)"
    # "make it a dental", "make max's one a groom" (not "we won't make thumper's appointment")
    r"|(?<!n't\s)(?<!not\s)make\s+(?:it|that|this|hers?|his|theirs|\w+'s)|be\s+(?:a|an|for))\b"
    # "it should be the dental cleaning", "it was meant to be a groom"
    rf"|{_MEANT_TO_BE}\b"
    # "daisy's appointment tomorrow only needs to be her booster now"
    r"|\b(?:only|just)\s+needs?\s+(?:to\s+be\s+)?(?:his|her|their|its|a|an)\b"
    # "it says vaccination?? I asked for a GROOM … please change it" (set 168)
    r"|\bi\s+(?:asked|wanted|requested)\s+(?:for\s+)?(?:a|an|the|her|his|their)\s+"
    # "I've put nails but she actually needs a proper check up" (set 161)
    r"|\b(?:i've|i\s+have|i)\s+(?:put|booked|written|wrote|picked|chose|selected|asked\s+for)\b"
    r"[^.!?]{0,40}?\bbut\s+(?:she|he|they|it)\s+(?:actually\s+|really\s+)?needs?\b"
)
_MEANT_TO_BE_RE = re.compile(rf"{_MEANT_TO_BE}\s+")
_CHANGE_TO_RE = re.compile(r"\b(?:change|changed|switch|switched|swap|swapped)\b")
# ("could you change it from a check up to just his booster?", set 145)
_TO_RE = re.compile(r"\bto\s+(?:(?:just|only|simply)\s+)?(?:(?:a|an|his|her|their)\s+)?$")
# Before a mention that names the booking as it stands, not what it is to become: "max's
# checkup", "the checkup", "instead of a checkup", "from a checkup to…".
_AS_BOOKED_RE = re.compile(
    # ("can poppy's regular nail trim go to saturday instead?", set 226)
    r"(?:'s|\b(?:the|this|that|my|our|your|its))\s+(?:(?:regular|usual|annual|nail)\s+)*$"
    r"|\b(?:instead\s+of|rather\s+than|from|not)\s+(?:(?:a|an|the|his|her|their|my|our)\s+)?$"
)


def services_changed_to(text: str, profile: BusinessProfile) -> list[Service]:
    """The services normalised ``text`` asks a booking to become, each once, in the order said:
    those it names in a message asking for another service, except where a mention names the
    booking as it stands ("can max's checkup be a vaccination instead?" → vaccination; "a
    dental instead of a checkup" → dental; "change max's appointment to a dental" → dental).
    Empty when no change of service is asked for. The caller drops the booking's own service
    ("can maxs checkup be a jab": the checkup is what Max has)."""
    strong = _SERVICE_CHANGE_RE.search(text) is not None
    if not strong and not _CHANGE_TO_RE.search(text):
        return []
    # (what it "should be" is what it becomes, said with "the": "it should be the dental")
    meant = {m.end() for m in _MEANT_TO_BE_RE.finditer(text)}
    found = {
        service.key: service
        for start, _, service in _service_mentions(text, profile)
        if (start in meant)
        or (not _AS_BOOKED_RE.search(text[:start]) and (strong or _TO_RE.search(text[:start])))
    }
    return list(found.values())


def _service_mentions(text: str, profile: BusinessProfile) -> list[tuple[int, int, Service]]:
    """(start, end, service) of every service name or alias in normalised ``text``, in order,
    without overlaps (the longest name wins)."""
    # (the writer's own exam, teeth told of as a symptom: no service, their spans taken)
    spans: list[tuple[int, int, Service]] = []
    own = [
        (m.start(), m.end())
        for pattern in (OWN_EXAM_RE, TEETH_TROUBLE_RE)
        for m in pattern.finditer(text)
    ]
    names = profile.service_names()
    for name in sorted(names, key=len, reverse=True):
        if name in _NOT_A_SERVICE:  # "appointment", "visit": any service's, not one of its own
            continue
        # a plural names the service too: "nail trims", "checkups"
        for found in re.finditer(rf"\b{re.escape(name)}s?\b", text):
            if any(found.start() < end and start < found.end() for start, end in own):
                continue
            if not any(found.start() < end and start < found.end() for start, end, _ in spans):
                spans.append((found.start(), found.end(), names[name]))
    # Names of several words said in another form of their words: "a nail clip" (nail
    # clipping), "teeth clean" (teeth cleaning); each word's first four letters must be there.
    for name in sorted(names, key=len, reverse=True):
        if " " not in name:
            continue
        loose = r"\s+".join(
            rf"{re.escape(w[:4])}\w*" if len(w) > 4 else re.escape(w) for w in name.split()
        )
        for found in re.finditer(rf"\b{loose}\b", text):
            if not any(found.start() < end and start < found.end() for start, end, _ in spans):
                spans.append((found.start(), found.end(), names[name]))
    return sorted(spans, key=lambda span: span[0])


# The weekend named as such: "at the weekend", "weekends", "this weekend".
_WEEKEND_RE = re.compile(r"\bweek-?ends?\b")


def _weekend_hours(profile: BusinessProfile) -> str:
    """ "At the weekend we're open on Saturday 09:00-13:00 and closed on Sunday." from the
    profile's hours."""
    said = []
    for index, name in ((5, "Saturday"), (6, "Sunday")):
        spans = profile.hours[WEEKDAYS[index]]
        if spans:
            hours = " and ".join(f"{s.open:%H:%M}-{s.close:%H:%M}" for s in spans)
            said.append(f"open on {name} {hours}")
        else:
            said.append(f"closed on {name}")
    return f"At the weekend we're {' and '.join(said)}."


def _price(service: Service) -> str:
    return f"A {service.name} is {service.price} ({service.duration_minutes} minutes)."


# The part of the day a customer names, in local hours [start, end): a clinic that closes at
# 13:00 is not open "in the afternoon".
PART_HOURS = {"morning": (0, 12), "afternoon": (13, 17), "evening": (17, 24)}


def _booking_window(profile: BusinessProfile) -> str:
    """How far ahead and how late a booking can be made (``horizon_days``, ``min_notice_minutes``,
    the same limits ``switchboard.availability`` applies), the notice said by ``babel``."""
    notice = format_timedelta(timedelta(minutes=profile.min_notice_minutes), locale="en")
    return (
        f"You can book any free time up to {profile.horizon_days} days ahead, and as late as "
        f"{notice} before it, the same day included."
    )


# The hours asked for a mishap: "in case anything happens", "just in case", "if he gets ill".
_IN_CASE_RE = re.compile(
    r"\bin\s+case\b|\bif\s+(?:anything|something)\s+(?:happens|goes\s+wrong|comes\s+up)\b"
    r"|\bif\s+(?:he|she|they|it)\s+(?:gets?\s+(?:ill|sick|poorly|worse|hurt)|takes?\s+(?:ill|poorly))\b"
)
# The latest start asked: "what's the latest appointment you do on weekdays?", "latest you
# can do on a friday?"
_LATEST_START_RE = re.compile(
    r"\b(?:what's|what\s+is|whats)\s+(?:the\s+|your\s+)?(?:latest|last)\s+(?:appointment|appt|slot"
    r"|time)\b(?:[^?]{0,30}?\b(?P<weekdays>week\s*days?|during\s+the\s+week))?"
)
# A discount asked about: "do you do a discount for several pets?", "any deals for two?"
_DISCOUNT_RE = re.compile(r"\b(?:discounts?|deals?|reductions?|multi[\s-]?pet\s+offer)\b")
# Lunchtime asked about: "are you open at lunchtime?", "do you close for lunch".
_LUNCH_RE = re.compile(r"\blunch(?:time)?\b")


def _day_name(day: date) -> str:
    """ "Friday 25 December": a day as the answers say it."""
    return f"{_DAY_NAMES[day.weekday()]} {day.day} {day.strftime('%B')}"


def _open_on(
    profile: BusinessProfile,
    day: date | None,
    weekday: int | None,
    part: str | None = None,
    *,
    yes_no: bool = True,
    edge: str | None = None,
) -> str:
    """Whether and when the clinic is open on ``day`` (or on the ``weekday``s); ``yes_no``
    when the question asks whether it is ("are you open on boxing day?"), not when ("what time
    do you close tonight?"), which a "Yes" would not answer; ``edge`` ``"close"`` or
    ``"open"`` when it asks the time the clinic shuts or opens, said in so many words."""
    if day is not None:
        holiday = profile.holiday(day)
        name = _day_name(day)
        if holiday is not None:
            why = "" if holiday == "closed" else f" ({holiday})"
            return f"We're closed on {name}{why}. Our usual hours: {profile.opening_hours_text()}."
        weekday = day.weekday()
    if weekday is not None:
        spans = profile.hours[WEEKDAYS[weekday]]
        if not spans:
            return (
                f"Sorry, we're closed on {_DAY_NAMES[weekday]}s. "
                f"Our hours: {profile.opening_hours_text()}."
            )
        hours = " and ".join(
            f"{s.open.strftime('%H:%M')}-{s.close.strftime('%H:%M')}" for s in spans
        )
        when = f"{_DAY_NAMES[weekday]}s" if day is None else name
        if part == "lunch" and len(spans) > 1:
            # "are you open at lunchtime tomorrow?": the break, not a "Yes"
            shut, back = spans[0].close.strftime("%H:%M"), spans[1].open.strftime("%H:%M")
            said = f"we close for lunch from {shut} to {back}: we're open {hours}."
            # ("are you open over lunch today? could i pop in … at 1?", set 233: a no)
            return f"No: on {when} {said}" if yes_no else f"On {when} {said}"
        if part in PART_HOURS:
            first, last = PART_HOURS[part]
            if not any(s.open.hour < last and s.close.hour > first for s in spans):
                return f"On {_DAY_NAMES[weekday]}s we're open {hours} only, so not in the {part}."
        if edge is not None:
            at = spans[-1].close if edge == "close" else spans[0].open
            said = f"On {when} we {edge} at {at.strftime('%H:%M')} (open {hours})."
        elif yes_no:
            said = f"Yes, we're open on {when}, {hours}."
        else:
            said = f"On {when} we're open {hours}."
        if part == "lunch":
            # "your horaires on saturday? and in the week … do you close for lunch?" (set 162),
            # "what time do you close on saturdays? and do you shut over lunch in the week"
            # (set 163): that day's hours, and the other days' break
            breaks = {(w[0].close, w[1].open) for w in profile.hours.values() if len(w) > 1}
            if len(breaks) == 1:
                closes, reopens = breaks.pop()
                said += (
                    f" On the other days we close for lunch from {closes:%H:%M} to {reopens:%H:%M}."
                )
        return said
    if part == "lunch":
        # "do you close at lunchtime?": the break of the days that have one
        breaks = {
            (spans[0].close, spans[1].open) for spans in profile.hours.values() if len(spans) > 1
        }
        if len(breaks) == 1:
            closes, reopens = breaks.pop()
            return (
                f"Yes, we close for lunch from {closes:%H:%M} to {reopens:%H:%M}. Our opening "
                "hours: "
                f"{profile.opening_hours_text()}."
            )
        if not breaks:
            return (
                f"No, we don't close for lunch. Our opening hours: {profile.opening_hours_text()}."
            )
    return f"Our opening hours: {profile.opening_hours_text()}."


# Whether the clinic is open at this moment: "are you open now?", "are you still open?".
_OPEN_NOW_RE = re.compile(
    r"\b(?:open|closed|shut)\s+(?:right\s+)?now\b|\bstill\s+open\b"
    r"|\b(?:open|closed|shut)\s+at\s+the\s+moment\b|\bopen\s+yet\b"
)


def asks_open_now(text: str) -> bool:
    """Whether normalised ``text`` asks if the clinic is open at this moment."""
    return _OPEN_NOW_RE.search(text) is not None


def open_now(profile: BusinessProfile, now: datetime) -> str:
    """Whether the clinic is open at ``now`` (aware, the profile's zone) and until when, or
    when it opens next (holidays and closures counted, two weeks ahead)."""
    today = now.date()
    for start, end in profile.intervals_on(today):
        if start <= now < end:
            return f"Yes, we're open now, until {end.strftime('%H:%M')}."
        if now < start:
            return f"We're closed right now; we open again today at {start.strftime('%H:%M')}."
    for ahead in range(1, 15):
        day = today + timedelta(days=ahead)
        spans = profile.intervals_on(day)
        if spans:
            name = _day_name(day)
            return f"We're closed right now; we open again on {name} at {spans[0][0]:%H:%M}."
    return f"We're closed right now. Our usual hours: {profile.opening_hours_text()}."


def unlisted_reply(thing: str, profile: BusinessProfile) -> str:
    """What we say of ``thing`` ("microchipping"), asked for but none of the profile's
    services: not bookable here, the services listed with their prices, and the team's number
    (whether the clinic does it is the team's to say, not ours to guess)."""
    listed = ", ".join(f"{s.name} ({s.price})" for s in profile.services)
    ask = f"call the team on {profile.phone}" if profile.phone else "the team can tell you more"
    return f"Sorry, I can't book {thing} here. We offer {listed}; for anything else, {ask}."


# Procedures a customer may ask to book that a clinic's price list may not have: "can I book
# max in to get neutered", "book bella for a blood test tuesday", "can max get chipped". Only
# a request counts (a word of asking a few words before it, or "… done"), and not one of the
# past ("after his surgery", "he had an x-ray").
_PROCEDURE_RE = re.compile(
    r"\b(?P<thing>micro-?chip(?:ping|ped)?|chipp(?:ing|ed)|neuter(?:ing|ed)?|spay(?:ing|ed)?"
    r"|castrat(?:ion|ed?)|x-?rays?|surgery|operation|blood\s+(?:tests?|work)|ultrasound"
    r"|home\s+visits?|house\s+calls?|boarding|day\s*care|physio(?:therapy)?|hydrotherapy"
    r"|acupuncture|(?:pet\s+)?passport|(?:travel|health)\s+certificate)\b"
)
_PROCEDURE_ASKED_RE = re.compile(
    r"\b(?:book|booking|get|getting|have|having|need|needs|want|wants|for|arrange|schedule"
    r"|be|do)\b(?:\s+[\w']+){0,3}\s*$"
)
_PROCEDURE_PAST_RE = re.compile(
    r"\b(?:after|since|had|has\s+had|from|post|following|recovering|last|was|were)\b(?:\s+[\w']+){0,3}"
    r"\s*$"
)
# The procedure as a noun: "get max chipped" asks for microchipping.
_PROCEDURE_NOUNS = {
    "chipped": "microchipping",
    "chipping": "microchipping",
    "microchipped": "microchipping",
    "micro-chipped": "microchipping",
    "microchip": "microchipping",
    "neuter": "neutering",
    "neutered": "neutering",
    "spay": "spaying",
    "spayed": "spaying",
    "castrate": "castration",
    "castrated": "castration",
}


# A visit at home asked for in other words: "can a vet come to the house?"
_COME_HOME_RE = re.compile(
    r"\b(?:come|coming|pop|drop)\s+(?:round\s+|over\s+|out\s+)?(?:to|by)\s+(?:the|my|our)\s+"
    r"(?:house|home|flat|place)\b"
)
# Procedures said without an article: "I can't book neutering here", "… a blood test here".
_NO_ARTICLE_RE = re.compile(r"(?:ing|s|surgery|care|castration|work|therapy|physio|acupuncture)$")


def unoffered_procedure(text: str, profile: BusinessProfile) -> str | None:
    """The procedure normalised ``text`` asks to book ("microchipping" for "can max get chipped
    friday", "a blood test"), when the profile lists no service for it and the message names
    none of the profile's services besides it; else None."""
    if _COME_HOME_RE.search(text) and "home visits" not in {s.name for s in profile.services}:
        return "home visits"
    for found in _PROCEDURE_RE.finditer(text):
        before = text[: found.start()]
        after = text[found.end() :]
        asked = _PROCEDURE_ASKED_RE.search(before) or re.match(r"\s+done\b", after)
        if not asked or _PROCEDURE_PAST_RE.search(before):
            continue
        thing = found["thing"]
        visit = re.search(r"\b(?:visits?|calls?)$", thing)  # "visit" is any service's word
        if not visit and profile.find_service(thing) is not None:
            return None
        rest = f"{before} {after}"
        # "her booster … could you do a home visit?": where the visit is, whatever it is for
        at_home = visit is not None and re.match(r"(?:home|house)\b", thing) is not None
        named = services_named(re.sub(r"\b(?:visits?|appointments?|appt)\b", " ", rest), profile)
        if named and not at_home:
            return None  # "his jabs and get him chipped": the jabs are booked
        noun = _PROCEDURE_NOUNS.get(thing, thing)
        if _NO_ARTICLE_RE.search(noun):
            return noun
        return f"{'an' if noun[0] in 'aeioux' else 'a'} {noun}"  # an x-ray
    return None


# A pet's end of life asked about: not ours to book, a person's to arrange.
_END_OF_LIFE_RE = re.compile(
    # (not sedation for a procedure: "does he have to be put to sleep for it", "put under")
    # (not a booking: "could you kindly put us down for Friday", "put him down for 3pm")
    # (nor a booking written down: "you've only put bean down! sprout needs to come too", set
    # 180)
    r"\beuthan\w*|(?<!\bonly\s)(?<!\bjust\s)(?<!\bve\s)(?<!\bhave\s)(?<!\byou\s)"
    r"\bput\s+(?:(?!us\b|me\b)(?:him|her|them|it|\w+)\s+)?"
    # (nor a booking's record: "he put it down as a check up", set 140)
    # (nor another pet put down instead: "can you put fig down instead, same time", set 145)
    r"(?:down(?!\s+(?:for|on|at|in|as|instead)\b)|to\s+sleep)\b"
    r"(?!\s+for\s+(?:it|the|a|an|his|her|their|that|this)\b)"
    r"|\bto\s+sleep\s+peacefully\b|\bend\s+of\s+(?:his|her|their|its)\s+life\b"
)
_END_OF_LIFE_PAST_RE = re.compile(
    r"\b(?:had|was|were|got)\s+(?:to\s+)?(?:\w+\s+){0,2}(?:put|euthan\w*)\b|\blast\s+year\b"
)


def asks_end_of_life(text: str) -> bool:
    """Does normalised ``text`` ask for a pet to be put to sleep ("I think it's time to put
    bella to sleep", "can we book a euthanasia"), not tell of one past?"""
    return bool(_END_OF_LIFE_RE.search(text)) and not _END_OF_LIFE_PAST_RE.search(text)


def answer(
    text: str,
    profile: BusinessProfile,
    *,
    day: date | None = None,
    weekday: int | None = None,
    service: Service | None = None,
    part: str | None = None,
) -> str | None:
    """The answer to the question in normalised ``text``, from ``profile``; ``day`` (a date) or
    ``weekday`` (0 = Monday) when the question names one, and ``part`` (``morning``,
    ``afternoon``, ``evening``) of it; ``service`` when it is about one the text does not name
    ("and how long does that take?" after a question about dental cleaning). A service the
    profile does not list is said to be unlisted, never priced. None when the profile cannot
    answer."""
    text = without_denied_urgency(text)
    if _INSURANCE_RE.search(text) and "insurance" not in profile.policies:
        return None  # "do you take pet insurance? or do I pay first?": not ours to guess
    named = service or profile.find_service(text)
    if named is None:
        # ("do you do any late evenings??": our hours asked, no service unlisted)
        unlisted = None if _TIMES_OPEN_RE.search(text) else unlisted_service(text, profile)
    else:  # "home visits" finds the consultation's alias "visit"; it is not one
        kinds = (_kind_of_visit(asked, profile) for asked in _asked_things(text))
        unlisted = next((kind for kind in kinds if kind), None) if service is None else None
    parts: list[str] = []
    if unlisted is not None:
        parts.append(unlisted_reply(unlisted, profile))
    elif _PRICE_RE.search(text) and not _POLICY_RE.search(text):
        several = services_named(text, profile) if service is None else []
        if len(several) > 1:  # "how much is a vaccination? and a nail trim?"
            parts.extend(_price(s) for s in several)
            total = total_price([s.price for s in several])
            if total is not None and _ALL_TOGETHER_RE.search(text):
                # "how much for a groom, a dental and a checkup all together?"
                parts.append(f"That's {total} in total.")
            if _DURATION_RE.search(text):
                # "… and roughly how long will we be there for" (set 229): back to back
                minutes = sum(s.duration_minutes for s in several)
                parts.append(f"One after the other they take {minutes} minutes in all.")
        elif named is not None:
            # "a vaccination appointment": the service, not "appointment" (any service's word)
            parts.append(_price(several[0] if several else named))
        else:
            listed = ", ".join(f"{s.name} {s.price}" for s in profile.services)
            parts.append(f"Our prices: {listed}.")
    if _DURATION_RE.search(text) and not _PRICE_RE.search(text):
        service = named or profile.service()
        parts.append(
            f"A {service.name} takes {service.duration_minutes} minutes ({service.price})."
        )
    if _CARE_ADVICE_RE.search(text):
        booked = (
            f" A {named.name} is {named.price} ({named.duration_minutes} minutes); would you "
            "like to book one?"
            if named is not None
            else ""
        )
        parts.append(
            "I can't give medical advice here: which vaccinations are needed and when is for the "
            f"vet, who will go through it at the visit.{booked}"
        )
    if _SAME_CLINIC_RE.search(text):
        # the profile knows one clinic, at one address: other places are not ours to speak for
        parts.append(
            f"We're {profile.name}, at {profile.address}; that's the only address I can speak for."
        )
    elif _WHERE_RE.search(text):
        parts.append(f"We're at {profile.address}.")
    # "after you close" asks about emergencies, not about the hours.
    latest = _LATEST_START_RE.search(text)
    if latest is not None and not parts:
        # "what's the latest appointment you do on weekdays?": the last start of a visit of
        # the usual length before closing, that day or on weekdays
        asked = 0 if latest["weekdays"] or (day is None and weekday is None) else None
        on = weekday if weekday is not None else (day.weekday() if day is not None else asked)
        spans = profile.hours[WEEKDAYS[on]] if on is not None else []
        if spans and on is not None:
            usual = profile.service()
            close = spans[-1].close
            last = (
                datetime.combine(date.today(), close) - timedelta(minutes=usual.duration_minutes)
            ).time()
            which = (
                "weekdays"
                if on < 5 and (latest["weekdays"] or weekday is None)
                else (f"{_DAY_NAMES[on]}s")
            )
            return (
                f"On {which} the last {usual.name} starts at {last:%H:%M}: we close at "
                f"{close:%H:%M}."
            )
    hours_asked = (
        _HOURS_RE.search(_EMERGENCY_RE.sub(" ", text))
        # ("are you 24h?": our hours, and the night service)
        or re.search(_OPEN_ALL_DAY, text)
    ) or (
        # ("do you do any late evenings?": the week's hours)
        _TIMES_OPEN_RE.search(text) and day is None and weekday is None
    )
    weekend = _WEEKEND_RE.search(text) and not re.search(r"\b(?:saturday|sunday|sat|sun)s?\b", text)
    if hours_asked and weekend and not _POLICY_RE.search(text):
        # "what are your opening times at the weekend?" (set 167): both days, not Saturday's
        parts.append(_weekend_hours(profile))
    elif hours_asked and not _POLICY_RE.search(text):
        every = _EVERY_WEEKDAY_RE.search(text) is not None  # "are you open on saturdays?"
        parts.append(
            _open_on(
                profile,
                None if every else day,
                day.weekday() if every and day is not None else weekday,
                "lunch" if _LUNCH_RE.search(text) else part,
                yes_no=not _WHEN_OPEN_RE.search(text),
                edge="close"
                if _CLOSES_AT_RE.search(text)
                else "open"
                if _OPENS_AT_RE.search(text)
                else None,
            )
        )
        if (every or day is not None or weekday is not None) and _LATE_ASKED_RE.search(text):
            # "do you do saturdays? … or are you open late any day?": the week's hours too
            parts.append(_open_on(profile, None, None, None, yes_no=False, edge=None))
    emergency = profile.policies.get("emergencies")
    if (
        emergency
        and parts
        and "closed" in parts[-1]
        and _IN_CASE_RE.search(text)
        and not _EMERGENCY_RE.search(text)
    ):
        # "are you open on christmas day in case anything happens?": where to go then
        parts.append(emergency)
    # "do I pay if I cancel?" asks about the cancellation policy, not how to pay
    paying = _PAYMENT_RE if not _POLICY_RE.search(text) else re.compile(r"\b(?:card|cards|cash)\b")
    for pattern, key in (
        (_PARKING_RE, "parking"),
        (paying, "payment"),
        (_INSURANCE_RE, "insurance"),
        (_EMERGENCY_RE, "emergencies"),
        (_POLICY_RE, "cancellation"),
        (_ANIMALS_RE, "animals"),
        (_NEW_PATIENTS_RE, "new_patients"),
        (_BRING_RE, "bring"),
        (_REMINDER_RE, "reminders"),
    ):
        if pattern.search(text) and key in profile.policies:
            if key == "animals":
                parts.extend(_small_pet_seen(text, profile.policies[key]))
            parts.append(profile.policies[key])
    # "do you do payment plans?" asks about paying, "do u do rabbits" about the animals seen,
    # not for the list of services
    other_topic = any(
        p.search(text) for p in (_PAYMENT_RE, _PARKING_RE, _HOURS_RE, _WHERE_RE, _ANIMALS_RE)
    )
    discount = _DISCOUNT_RE.search(text) is not None
    if discount:
        # "do you do a discount if you bring several pets?": no such offer in the profile;
        # the prices as they are, per pet
        each = (
            f"a {named.name} is {named.price}"
            if named is not None
            else ", ".join(f"{s.name} {s.price}" for s in profile.services)
        )
        parts.append(f"Our prices are per pet and per visit: {each}.")
    services_asked = (
        _SERVICES_RE.search(text)
        and not _TIMES_OPEN_RE.search(text)
        and not other_topic
        and not discount
    )
    if services_asked and not _PRICE_RE.search(text) and unlisted is None:
        service = named
        if service is not None:
            parts.append(
                f"Yes, we do {service.name}: {service.price}, {service.duration_minutes} minutes."
            )
        else:
            listed = ", ".join(f"{s.name} ({s.price})" for s in profile.services)
            parts.append(f"We offer {listed}.")
    if _WALK_IN_RE.search(text):
        # The profile books every visit on its slot grid (slot_minutes, capacity): no walk-ins
        parts.append(
            "We see pets by appointment, so please book first: I can find you the soonest free "
            "time here."
        )
        if "emergencies" in profile.policies:
            parts.append(profile.policies["emergencies"])
    if _HOW_IT_WORKS_RE.search(text) and not _WHO_RE.search(text):
        parts.append(
            f"I'm the automated assistant of {profile.name}: I can book, move or cancel "
            "appointments and answer questions about the clinic. Just tell me what you need in "
            'your own words, for example "a check-up for Max on Friday at 10".'
        )
    if _WHO_RE.search(text):
        # Say it is software, whoever asks (the EU AI Act's transparency duty for systems that
        # talk with people, Art. 50(1)), and that a person is one message away.
        parts.append(
            f"I'm the automated assistant of {profile.name}: I can book, move or cancel "
            "appointments and answer questions about the clinic. If you'd rather talk to a "
            "person, just say so and I'll pass you to the team."
        )
    if _BOOKING_WINDOW_RE.search(text) and not _POLICY_RE.search(text):
        parts.append(_booking_window(profile))
    if _CAPACITY_RE.search(text):
        # the profile's ``capacity``: how many appointments one start time can hold
        parts.append(
            f"We can see up to {profile.capacity} pets at the same time; more can come one "
            "after the other, and I can book them all here."
            if profile.capacity > 1
            else "We see one pet at a time; I can book several back to back here."
        )
    if _TIME_ZONE_RE.search(text):
        city = profile.timezone.rsplit("/", 1)[-1].replace("_", " ")
        parts.append(f"All the times we give are {city} time ({profile.timezone}), the clinic's.")
    if _EMAIL_RE.search(text) and profile.phone:
        parts.append(
            f"I don't have an email address to give you: you can write to us here, or call "
            f"us on {profile.phone}."
        )
    if _PHONE_RE.search(text) and profile.phone:
        parts.append(f"You can call us on {profile.phone}.")
    # One sentence per topic, each once, in the order asked.
    unique = list(dict.fromkeys(parts))
    return " ".join(unique) if unique else None
