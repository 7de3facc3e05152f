"""Words and phrases the local agent reads, compiled once: the patterns more than one of its
parts use (``switchboard.providers.rules_agent``)."""

from __future__ import annotations

import re
from datetime import time

# How many recent turns count as "still talking about a booking" for a bare "Tuesday at 10".
CONTEXT_TURNS = 4

FILLERS = (
    r"(?:please|thanks|thank\s+you|go\s+ahead|do\s+it|that's\s+fine|that\s+works|great|perfect"
    r"|then|lovely|cool|brilliant|awesome|fine|good|super|sounds\s+good|that'd\s+be\s+great"
    r"|much\s+appreciated|cheers|let's\s+do\s+it|ok|okay"
    # "yes please. thank you for understanding" (set 129)
    r"|(?:thank\s+you|thanks)\s+for\s+(?:understanding|everything|your\s+(?:help|understanding"
    r"|patience|kindness|time))|many\s+thanks"
    # "yes thank you, Jeanne says thank you too" (set 132)
    r"|[a-z]+\s+says\s+(?:thank\s+you|thanks)(?:\s+(?:too|as\s+well))?"
    # whom the yes is said to: "yeah mate go for it", "yes love", "sure thing buddy"
    r"|mate|love|luv|hun|hon|dear|buddy|pal|guys|folks|sir|madam|ma'am|thing"
    # British and Australian praise: "brill thanks, yes", "ace", "fab", "sweet as"
    r"|brill|ace|fab|grand|sweet(?:\s+as)?|champion|ta|beauty|ripper|righto|no\s+dramas"
    # a yes to a reminder: "yes we'll be there", "yep see you then"
    r"|(?:we'll|i'll|we\s+will|i\s+will|she'll|he'll|they'll)\s+be\s+there"
    r"|(?:we'll\s+|i'll\s+)?see\s+you\s+(?:then|there))"
)
YES_WORDS = (
    r"(?:yes|yeah|yea|yep|yup|sure|ok|okay|alright|all\s+right|confirm|confirmed|correct|right"
    r"|that's\s+right|that\s+is\s+right|absolutely|definitely|sounds\s+good|book\s+it|please\s+do"
    r"|go\s+ahead|go\s+for\s+it|do\s+it|perfect|great|works\s+for\s+me|that\s+works|fine"
    r"|of\s+course|certainly|yes\s+please|please|lovely|brilliant|deal|satisfactory|acceptable"
    # regional and casual yeses: "too easy, cheers" (AU), "grand" (IE/UK), "no worries"
    r"|too\s+easy|no\s+worries|no\s+problem|sweet|grand|spot\s+on|bang\s+on|suits\s+me"
    r"|all\s+good|aye"
    # praise as a yes, formal or not: "that would be splendid, thank you", "amazing yes 🙏"
    r"|splendid|wonderful|excellent|marvell?ous|fantastic|amazing|superb|terrific|ideal"
    # young people's yes: "bet 👍", "say less", "fr"
    r"|bet|say\s+less"
    # "go on then" (UK), "why not", "that'll do", "sounds like a plan", "lock it in"
    r"|go\s+on|why\s+not|that'll\s+do|that\s+will\s+do|sounds\s+like\s+a\s+plan"
    r"|let's\s+do\s+(?:it|that)|lock\s+it\s+in|happy\s+with\s+that|affirmative"
    # the slot taken: "I'll take it", "we'll take that one"
    r"|(?:i'll|we'll|i\s+will|we\s+will)\s+take\s+(?:it|that|that\s+one|that\s+slot))"
)
NO = (
    r"(?:no|nope|nah|cancel|cancel\s+(?:it|that)|not\s+now|no\s+thanks|don't|do\s+not"
    r"|never\s+mind|nevermind|not\s+really|forget\s+it|leave\s+it|(?:i'll|i\s+will)\s+pass"
    r"|not\s+for\s+me|negative)"
)
# What may frame a yes word: "that's great", "that'd be perfect", "sounds lovely", "it's fine".
YES_FRAME = (
    r"(?:(?:that|it)(?:'s|\s+is|'d\s+be|\s+would\s+be|\s+will\s+be|'ll\s+be|\s+sounds)|sounds)\s+"
    r"(?:really\s+|very\s+|just\s+|perfectly\s+|quite\s+)?"
)
# (a yes may close it again: "yes we'll be there 👍", the emoji read as a yes)
# ("both yes pls", "all of them yes": the yes said for every change read back)
YES_RE = re.compile(
    # ("ah no worries, yes please": an interjection before it)
    rf"^(?:(?:ah+|oh+|ooh|ugh+|urgh+|meh|hmm+)\s+)?(?:{FILLERS}\s*)*(?:(?:both|all)(?:\s+of\s+them)?\s+(?=(?:yes|yeah|yep|yup|ok|okay|sure)\b))?(?:{YES_FRAME})?(?:{YES_WORDS}\s*)+"
    rf"(?:(?:{FILLERS}|{YES_WORDS})\s*)*$"
)
# A no may follow a hesitation: "wait no", "hang on, no", "oh no sorry".
NO_RE = re.compile(
    rf"^(?:(?:wait|hang\s+on|hold\s+on|oh|um+|erm|hmm+|ah|sorry)\s*)*(?:{NO}\s*)+"
    rf"(?:(?:{FILLERS}|sorry|actually|then)\s*)*$"
)
HANDOFF_RE = re.compile(
    # (not someone's own: "my manager has just put me on the early shift")
    r"(?<!\bmy\s)(?<!\bour\s)(?<!\bhis\s)(?<!\bher\s)(?<!\btheir\s)"
    # (nor one who spoke before: "I was given this number by your receptionist", set 193)
    r"(?<!\bby\syour\s)(?<!\bby\sthe\s)(?<!\bby\sa\s)"
    r"\b(?:human|real\s+person|a\s+person|operator|representative|receptionist|manager)\b"
    r"(?!\s+(?:told|said|gave|mentioned|suggested|recommended|advised|booked|on\s+the\s+"
    r"(?:phone|telephone)))"
    r"|\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:a|an|the|some)?\s*"
    r"(?:person|someone|somebody|agent|staff|people|member\s+of\s+staff|vet|doctor|reception"
    r"|team|nurse)\b"
    r"|^(?:an?\s+)?agent(?:\s+please)?$|\bridiculous\b|\buseless\b"
    # (a complaint to us, not someone else's: "my flatmate keeps complaining about it")
    r"|(?<!\bkeeps\s)(?<!\bkept\s)(?<!\balways\s)(?<!\bstarted\s)(?<!\bbeen\s)(?<!\bhe\s)"
    r"(?<!\bshe\s)(?<!\bthey\s)\bcomplain(?:t|ts|ing)?\b"
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
    r"|\bnot\s+(?:helpful|helping)\b|\b(?:call|phone|ring|telephone)\s+me\s+back\b"
    # "… nobody has called yet. Can someone get back to me please?" (set 131)
    r"|\b(?:can|could)\s+(?:someone|somebody|anyone|a\s+vet|the\s+vet)\s+(?:please\s+)?"
    r"(?:get\s+back\s+to|call|ring|phone|contact)\s+me\b"
    # "please call me", "I'd rather speak on the phone", "can someone ring me"
    r"|^(?:(?:please|pls|can\s+you|could\s+you|can\s+someone|could\s+someone)\s+)+(?:call|phone|ring)"
    r"\s+me\b|\b(?:rather|prefer\s+to)\s+(?:speak|talk|chat)\s+(?:on\s+the\s+phone|by\s+phone)\b"
    # "can Rosie see the same vet she saw in october? … could someone check and let me know?"
    r"|\b(?:can|could)\s+(?:someone|somebody|anyone)\s+(?:please\s+)?(?:check|find\s+out|look)"
    r"\b[^.?!]{0,20}\b(?:let\s+me\s+know|get\s+back\s+to\s+me)\b"
    # "could you ask someone and get back to me? this number is fine" (set 154)
    r"|\b(?:can|could|would)\s+(?:you|u)\s+(?:please\s+)?(?:ask|check\s+with)\s+(?:someone"
    r"|somebody|the\s+(?:team|vet|vets|staff|nurse)|a\s+(?:vet|nurse|colleague))\b[^.?!]{0,20}"
    r"\b(?:let\s+me\s+know|get\s+back\s+to\s+(?:me|us))\b"
    # "… since last night they're both lethargic. can a vet call me please?"
    r"|\b(?:can|could|would)\s+(?:a|the|your|one\s+of\s+the|one\s+of\s+your|someone|somebody"
    r"|anyone)\s*(?:vets?|nurses?|doctors?)?\s+(?:please\s+)?(?:call|phone|ring)\s+(?:me|us)\b"
    # one of the staff by title: "speak to dr smith", "put me through to nurse anna"
    r"|\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:dr|doctor|nurse|mr|mrs|ms|miss)\b\.?"
    r"|\bput\s+me\s+through\b"
    # "could I have a quick word with someone about …"
    r"|\bword\s+with\s+(?:someone|somebody|a\s+(?:vet|nurse|person)|(?:1|one)\s+of|the\s+(?:vet"
    r"|nurse|team))\b"
    # a bill disputed: "you've charged me €120 … that's meant to be €45??", "I was overcharged"
    r"|\b(?:you(?:'ve|\s+have)?|i\s+was|i've\s+been|we\s+were|we've\s+been)\s+(?:been\s+)?"
    r"(?:over|double\s+)?charged\b|\bovercharged\b"
    r"|\b(?:can|could)\s+(?:someone|somebody|anyone|you)\s+(?:please\s+)?(?:sort|fix|look\s+into"
    r"|deal\s+with)\s+(?:this|it|that)\b"
    # "could somebody from the clinic please telephone me about …"
    r"|\b(?:someone|somebody|anyone|you|(?:1|one)\s+of\s+(?:the|your)\s+\w+)\b(?:\s+(?!me\b)[\w']+){0,4}?"
    r"\s+(?:call|phone|ring|telephone)"
    r"\s+me\b"
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
# What is owed for a past visit: "how much do i owe for last time", "do we still owe you
# anything", "is there an outstanding balance". Bills are the team's to see.
OWED_RE = re.compile(
    r"\b(?:i|we)\s+still\s+owe\b|\bowe\s+(?:you\s+)?anything\b"
    r"|\bowe\s+(?:you\s+)?(?:for|from)\s+(?:last|yesterday|before|earlier|the\s+other\s+day"
    r"|the\s+last|his\s+last|her\s+last|their\s+last|our\s+last|my\s+last)\b"
    r"|\b(?:outstanding|unpaid|remaining)\s+(?:bill|balance|amount|invoice)\b"
)
# A visit missed, to book again: "I missed my appointment yesterday, can I rebook?", "we forgot
# max's appointment this morning, can we get another one".
MISSED_RE = re.compile(
    r"\b(?:missed|forgot(?:\s+about)?|didn't\s+make\s+(?:it\s+to)?|couldn't\s+make(?:\s+it\s+to)?"
    r"|slept\s+through)\s+(?:my|our|the|his|her|their|(?:[a-z]+\s+(?:and|&)\s+)?[a-z]+'s)\s+"
    r"(?:appointments?|bookings?|visits?|slots?|check-?ups?|jabs?|vaccinations?|groom\w*)\b"
    # and its day: the visit missed, not the one wanted
    r"(?:\s+(?:yesterday|today|this\s+(?:morning|afternoon|evening)|last\s+[a-z]+|on\s+[a-z]+"
    r"|at\s+\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?))*"
)
# Several visits wanted in a row, not side by side: "one after the other" (normalised "1 after
# the other"), "back to back", "consecutive", "in a row".
IN_A_ROW_RE = re.compile(
    r"\b1\s+after\s+(?:the\s+other|another)\b|\bback\s+to\s+back\b|\bconsecutive(?:ly)?\b"
    r"|\bin\s+a\s+row\b"
)
# One pet's visit after another's: "have the same straight after?", "right after him",
# "back to back"
STRAIGHT_AFTER_RE = re.compile(
    r"\b(?:straight|right|just|immediately|directly)\s+after(?:wards)?\b|\bback\s+to\s+back\b"
    r"|\bafter\s+(?:him|her|them)\b|\bstraight\s+afterwards\b"
    # "can he go in as soon as the dogs are done then?"
    r"|\bas\s+soon\s+as\s+(?:they|he|she|the\s+\w+|\w+)\s+(?:are|is|'re|'s)\s+(?:done|finished"
    r"|out|through)\b"
)
# Where one pet's request ends and the next one's begins ("Rex wed 10am and Bella wed 10:30"),
# a sentence's end too ("Max, Luna and Oscar. Can I book Max wed at 10 ..."), never the dot of
# a time ("9.30", "10 a.m. for Rex").
PET_CLAUSE_RE = re.compile(r"\band\b|[,;?!]|\.(?=\s+(?-i:[A-Z]))|\s-\s", re.IGNORECASE)
WHAT_TIME_RE = re.compile(r"\bWhat time on \w+ \d{1,2} \w+")
# Our question for the time a booking is moved to, on a day and a part of it the customer named
# without a time (``ask_move_time``); the time answering it moves that booking.
MOVE_TIME_RE = re.compile(
    # (after a word of our own: "Sorry to hear Daisy isn't well. What time on …")
    r"(?:^|(?<=[.!?] ))What time on (?P<day>\w+ \d{1,2} \w+) would you like (?:the appointment"
    r"(?: for (?P<who>.+?))?"
    # (the team's words: "… would you like Pixel's appointment moved to?", set 228)
    r"|(?P<who2>[A-Z][\w-]*)'s (?:appointment|booking|[a-z]+)) moved to\?"
)
# Our nearest free times when the one asked for cannot be had (``offer_instead``).
# (a journey's wording may end otherwise: "I can offer 09:30, 11:00 or 11:30 that day.")
OFFERED_INSTEAD_RE = re.compile(r"\bI can offer\b.*\b\d{2}:\d{2}\b")
# The day's last free times: "end of the day friday", "as late as possible", "latest you have".
LATEST_RE = re.compile(
    # (not the customer's own bound: "12 then, thats the latest i can get out of work", set 150)
    r"\bend\s+of\s+(?:the\s+)?(?:day|afternoon)\b|\blast\s+thing\b"
    r"|\blatest\b(?!\s+(?:i|we)\s+(?:can|could)\b)"
    # "the last slot", not "(the same vet) as last time" / "like last appointment"
    r"|(?<!\bas\s)(?<!\blike\s)(?<!\bthan\s)\blast\s+(?:appointment|slot|time)\b"
    # (not a story's: "the vet said last time his teeth might be ok")
    r"(?!\s+(?:we|i|you|he|she|they|his|her|their|its|it|round|around|when)\b)|\bas\s+late\s+as\s+(?:possible|you\s+can)\b"
    r"|\bbefore\s+(?:you\s+)?clos(?:e|ing)\b|\bclose\s+of\s+(?:play|business|day)\b"
    # "the last check-up you've got that evening"
    r"|\bthe\s+(?:very\s+)?last\s+(?:[a-z-]+\s+){0,2}?(?:you've\s+got|you\s+have|you\s+got"
    r"|available|going|free)\b"
)
# Another visit asked for beside a booking, never a move of it: "can she have another one same
# day next week?", "one more groom", "a second appointment" ("one" is normalised to "1").
# A visit after the one booked, booked ahead: "the second one is 3 weeks after, could we book
# that now too?", "the next one … can we book it now for friday the 1st" (set 212).
BOOK_AHEAD_RE = re.compile(
    r"\bbook\s+(?:that|it|this|one|1)\s+(?:in\s+)?(?:now|too|as\s+well|already)\b"
)
ANOTHER_VISIT_RE = re.compile(
    r"\b(?:another|(?:one|1)\s+more|a\s+second|an\s+extra|a\s+further)\s+(?:one|1|appointment|appt"
    r"|booking|visit|groom\w*|jab|booster|check-?up|session|slot)\b|" + BOOK_AHEAD_RE.pattern
)
# Our questions for the day and/or time of a booking asked without them (``book``, ``ask_time``).
ASKED_WHEN_RE = re.compile(
    r"\bWhich day and time would you like\b|\bWhat time on \w+ \d{1,2} \w+ would you like\b"
    r"|\bWhich day would you like at\b"
)
# Our offers, one sentence each: a time, after its own written day when it has one.
OFFERED_RE = re.compile(
    r"(?:(?P<day>(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+\d{1,2}\s+[a-z]+"
    # ("tomorrow (Tuesday 8 December) at 14:30", as a reminder may put it)
    r"(?:\s+\d{4})?)\)?\s+at\s+)?(?P<clock>\b\d{2}:\d{2}\b)",
    re.IGNORECASE,
)
# A new booking placed against one already made: "book Bella in right after him".
NEXT_TO_BOOKING_RE = re.compile(
    r"\b(?:right|straight|just|immediately|directly)\s+(?P<side>after|before)\b"
    r"(?!\s+(?:\d|lunch|work|school|that\s+day))"
)
# "and book Bella in…": a second request joined by "and" (``move_and_cancel``'s clauses).
ANOTHER_ASK_RE = re.compile(
    r"\band\s+(?:then\s+)?(?:please\s+)?(?:also\s+)?"
    # ("move tomorrow's to thursday and cancel bella": the cancelling is a clause of its own)
    r"(?=(?:book|move|put|get|bring|schedule|change|can|could|fit|squeeze|pop|add|cancel)\b)",
    re.IGNORECASE,
)
DAY_MENTION_RE = re.compile(
    r"\b(?:today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?"
    r"|wed|weds|thu|thurs?|fri|sat|sun|tonight)\b"
    # today's part with a booking's time: "Rocky's appointment this afternoon at half 4"
    r"|\bthis\s+(?:morning|afternoon|evening)(?=\s+at\s+(?:half\s+|quarter\s+)?\d)"
    # a day of the month: "booked on the 10th - could that become the 11th"
    r"|\bthe\s+\d{1,2}(?:st|nd|rd|th)\b"
    # a holiday: "from christmas eve to the monday after christmas" (set 204)
    r"|\b(?:christmas\s+eve|christmas\s+day|xmas\s+eve|boxing\s+day|new\s+year's\s+(?:eve|day))\b"
)
# A week named without a day: "next week", "later this week" (a weekday said wins).
WEEK_SAID_RE = re.compile(
    r"\b(?P<which>this|next)\s+week\b|\b(?:the\s+)?week\s+(?P<later>after\s+next)\b"
)
# No day or time preferred: "next week sometime?", "any day this week".
WHENEVER_RE = re.compile(r"\b(?:some\s*time|any\s*time|any\s+day|whenever)\b")
# An animal the customer says is new to them: "my new kitten", "we've just adopted a dog", "a
# rescue cat"; no pet on record is it.
# The kinds of pet these answers name ("my new kitten", "my mum's dog").
PET_KINDS = r"cat|dog|kitten|puppy|rabbit|bunny|hamster|guinea\s+pig|ferret|parrot|bird|tortoise"
NEXT_FREE_RE = re.compile(
    # (not one's first visit ever: "what to bring to a first appointment", "her first jab")
    r"(?<!\ba\s)(?<!\bhis\s)(?<!\bher\s)(?<!\bour\s)(?<!\bmy\s)(?<!\btheir\s)"
    r"\b(?:next|earliest|first|soonest)\s+(?:free|available|open)?\s*"
    r"(?:(?:morning|afternoon|evening)\s+)?(?:appointment|slot|availability|opening|time|space)s?\b"
    # "next available for a nail clip" ("first" is normalised "1st")
    r"|\b(?:next|first|1st)\s+(?:available|free)\b"
    r"|\bas\s+soon\s+as\s+(?:possible|you\s+can)\b|\basap\b"
    # "bring it forward? whatever's soonest", "whenever's earliest"
    r"|\b(?:whatever|whichever|whenever)(?:'s|\s+is)\s+(?:soonest|earliest|first)\b"
    # "earliest next week then" (to our offer on a closed day): that week's first free time
    r"|\b(?:earliest|soonest)\s+(?:(?:one|1|time|slot)\s+)?(?:next|the\s+following)\s+week\b"
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
    # (not "are you open late any day?": our hours asked)
    r"|(?<!\blate\s)(?<!\bopen\s)\bany\s+(?:week\s*)?day\b(?!\s+(?:but|except|apart))"
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
# A message sent here by mistake: "sorry wrong chat", "ignore that, not meant for you".
# A booking made with no confirmation seen: "I booked online for Max but didn't get a
# confirmation", "never received a confirmation text", "is my booking confirmed?".
NO_CONFIRMATION_RE = re.compile(
    r"\b(?:didn't|did\s+not|never|haven't|have\s+not|not)\s+(?:got|get|gotten|receive|received"
    r"|see|seen)\s+(?:a|any|the|my|an)?\s*(?:confirmation|confirmations)\b"
    r"|\bis\s+(?:my|our|the|\w+'s)\s+(?:appointment|booking)\s+confirmed\b"
    # "did that go through? my phone died right after I said yes", "did it work?", "did you get
    # my yes?"
    r"|\bdid\s+(?:that|it|this|my\s+\w+|the\s+\w+)\s+(?:go\s+through|work|get\s+booked)\b"
    r"|\bdid\s+you\s+get\s+my\s+(?:yes|reply|answer|message|confirmation)\b"
)
# The parts of a message that may be a yes and a question: sentences, clauses, and an "and"
# that opens a question ("yes and what time do you close on saturdays?").
YES_AND_QUESTION_SPLIT_RE = re.compile(
    r"(?<=[?!.])\s+(?:(?:and|&|\+)\s+)?|[,;]\s*|\s[-\u2013\u2014]\s|\u2014|\s*\n\s*"
    r"|(?:\s+(?:and|&|\+)\s+|\s*[\u2600-\u27bf\U0001f300-\U0001faff]+\s*)"
    r"(?=(?:what|when|how|where|do|does|are|is|can|could|will|would|should)\b)",
    re.IGNORECASE,
)
# On the way to an appointment, or late for it: news for the desk, nothing to book or change
# ("running 10 mins late sorry", "on my way", "stuck in traffic, be there in 5").
ON_THE_WAY_RE = re.compile(
    r"\b(?:on\s+(?:my|our)\s+way|running\s+(?:a\s+(?:bit|little)\s+)?(?:late|behind)"
    r"|(?:\d+|few|couple(?:\s+of)?)\s+min(?:ute)?s?\s+late|stuck\s+in\s+traffic"
    r"|be\s+there\s+in\s+(?:\d+|a\s+(?:few|sec|min|minute))|(?:just\s+)?parking\s+(?:now|up)"
    r"|(?:i'm|we're|im|were)\s+(?:here|outside)(?:\s+now)?\s*[.!]*$)"
)
CANCEL_WORD_RE = re.compile(
    r"\b(?:cancel\w*|call\s+(?:it\s+)?off|delete|remove|drop|scrap|skip)\b|\btake\s+\w+\s+off\b"
    r"|\bcross\s+\w+\s+off\b"
)
CANCEL_RE = re.compile(
    # "you can cross him off for wednesday"
    # (not "no!! don't cancel it", "I didn't ask to cancel", "no need to cancel")
    r"(?<!don't\s)(?<!dont\s)(?<!do\snot\s)(?<!n't\sask\sto\s)(?<!n't\swant\sto\s)(?<!not\sto\s)"
    # ("would you mind cancelling hers?"; not "not cancelling or anything but …", nor "how
    # much do i owe for cancelling?": a question of the policy)
    r"(?<!no\sneed\sto\s)\bcancel\b|(?<!not\s)\bcancell?ing\s+(?:it|hers|his|theirs|that|this|the"
    r"|her|him|them|my|our|both|[a-z]+'s)\b|\bcall\s+off\b|\bcross\s+\w+\s+off\b|\bwon't\s+(?:be\s+able\s+to\s+)?make\s+it\b"
    r"|\bcan't\s+(?:make|come)\b|\bcannot\s+(?:make|come)\b|\bdelete\s+(?:my|the)\b"
    # "his eye has cleared up so he doesn't need thursday any more" (set 137)
    r"|\b(?:doesn't|does\s+not|don't|do\s+not|won't)\s+need\s+(?:(?:mon|tues|wednes|thurs|fri|satur"
    r"|sun)day(?:'s)?|(?:his|her|their|the|that|this)\s+(?:appointment|booking|visit|slot))"
    r"(?:\s+(?:any\s*more|after\s+all))?\b"
    # "can you take her off? zola still needs his though", "can you take him off?" (sets 138,
    # 145): off the list (not off a lead or a food)
    # (not time off: "I take Fridays off", "take the day off")
    r"|\btake\s+(?!(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b|time\b|work\b|today\b|tomorrow\b"
    r"|weekends?\b|mornings?\b|afternoons?\b|evenings?\b)(?:him|her|them|[a-z]+)"
    r"\s+off\b(?!\s+(?:the|his|her|their|a|an|work)\b)"
    # ... its booking said: "could you take his groom off?" (set 163)
    r"|\btake\s+(?:his|her|their|the|my|our|[a-z]+'s)\s+(?:[a-z]+\s+)?(?:appointment|appt|booking"
    r"|visit|groom|grooming|jab|vaccination|booster|check-?up|check\s+up|dental|nails?|trim|slot"
    r"|one)\s+off\b"
    # "drop the wednesday one and keep thursday" (set 133)
    r"|\b(?:drop|scrap|ditch|bin)\s+(?:the\s+\w+\s+(?:one|1|appointment|booking)|[a-z]+'s\s+(?:one|1)"
    r"|that\s+(?:one|1))\b"
    # "ginger's appointment on the 15th needs cancelling please"
    r"|\b(?:needs?|will\s+need|has\s+to\s+be|have\s+to\s+be)\s+(?:cancell?ing|cancell?ed)\b"
    r"|\b(?:can|could)\s+no\s+longer\s+(?:make|come|do)\b"
    # "sorry can't do thursday after all": a booked day given up ("I can't do mornings" is not)
    r"|\b(?:can't|cannot)\s+do\s+(?:it\s+)?(?:on\s+)?(?:today|tomorrow|\w+day|mon|tues?|wed|weds"
    r"|thu|thurs?|fri|sat|sun)\b.{0,30}\b(?:anymore|any\s+more|after\s+all)\b"
    r"|\b(?:won't|don't|do\s+not|no\s+longer|will\s+not)\s+(?:be\s+)?need(?:ing|ed)?\b|\bnot\s+coming\b"
    # "we won't be coming in on wednesday after all"
    r"|\b(?:won't|will\s+not|wont)\s+be\s+(?:coming|able\s+to\s+come)\b"
    # "Chico's check-up can be cancelled"
    r"|\b(?:can|could|should|needs\s+to|has\s+to)\s+be\s+cancell?ed\b"
    # "we'll have to give it a miss"
    r"|\bgive\s+(?:it|that|them|this)\s+a\s+miss\b"
    # "Bella doesn't need her jab after all", "he doesn't need it any more"
    r"|\b(?:doesn't|does\s+not|don't)\s+need\s+(?:his|her|its|their|the|it|that|them)\b"
    r"[^,.;!?]{0,30}?\b(?:after\s+all|any\s*more|now)\b"
    # "please take her off the list for thursday", "take Max off the books"
    r"|\btake\s+(?:her|him|them|it|\w+)\s+off\s+(?:the|your)\s+(?:list|books|calendar|schedule"
    r"|diary|system)\b"
    # "take ollie off, he's fine now" (a pet taken off a visit told of, not off a lead)
    # (not "I take Fridays off", "take time off")
    r"|\btake\s+(?!(?:it|that|the|his|her|their|its|my|our|time|work|a|an|some|any)\b)"
    r"(?![a-z]*days?\b|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|weekends?\b)\w+\s+off\b"
    r"(?=\s*(?:[,.;!?]|$|\s+(?:please|pls|then|and|he's|she's|he\s+is|she\s+is|for|on)\b))"
    # "take us off for thursday please", "take max off friday"
    r"|\btake\s+(?:us|me|her|him|them|\w+)\s+off\s+(?:for\s+|on\s+)?(?:today|tomorrow|\w+day|mon"
    r"|tues?|wed|weds|thu|thurs?|fri|sat)\b"
    r"|\b(?:doesn't|does\s+not)\s+need\s+(?:to\s+(?:come|be\s+seen)|the|his|her|their|its)\b"
    # "Rosie will have to skip friday's appointment", "we'll have to miss it"
    r"|\bskip\b|\b(?:have\s+to|going\s+to|will|'ll)\s+miss\b"
    # "the later one can go", "the groom can go, keep the jab" (not "can go ahead", "can go to
    # friday", "can go back")
    r"|\b(?:one|appointment|appt|booking|groom(?:ing)?|jabs?|booster|check-?up|visit|dental)\s+"
    r"(?:can|could)\s+go\b(?!\s+(?:ahead|to|on|back|forward|later|earlier|in|at|from|\d))"
    # "we're going to have to give thursday a miss" (British: not go)
    r"|\bgive\s+(?:it|that|this|them|\w+(?:'s)?|(?:the|our|my)\s+\w+)\s+a\s+miss\b"
    # (not "no need for a separate appointment": one visit asked for, not none)
    r"|\bno\s+(?:need|longer\s+need)\s+(?:for|of)\b(?!\s+(?:a\s+|an\s+)?(?:separate|second|another"
    r"|extra|2nd|new)\b)"
    # "Sheru's appointment on Wednesday is not required now", "it's no longer needed"
    r"|\b(?:isn't|aren't|(?:is|are|'s)\s+(?:not|no\s+longer))\s+(?:required|needed|necessary)\b"
    r"|\b(?:remove|drop|scrap)\s+(?:my|our|the|his|her|\w+'s)\s+(?:appointment|booking|visit)\b"
)
# Where one clause of a message ends and another begins ("cancel Juno's but keep Ziggy").
# ("cancel max's and book bella in his slot": an "and" before another action's verb ends one)
CLAUSE_RE = re.compile(
    # (not the dot of a time: "push it to 11.30")
    r"(?:[,;!?]|(?<!\d)\.|\.(?!\d))+|\s-\s|\b(?:but|though|although|while|whereas)\b"
    r"|\band\s+(?=(?:then\s+)?(?:book|put|pop|move|change|reschedule|keep|leave|add|make)\b)",
    re.IGNORECASE,
)
# Wording that asks to change an existing appointment's time, with a new day or time.
CHANGE_RE = re.compile(
    # ("could my husband bring her instead of me?": who comes, not when)
    r"\binstead\b(?!\s+of\s+(?:me|us|myself)\b)|\bsame\s+(?:times?|days?|hour)\b|\blater\b|\bearlier\b"
    r"|\bsooner\b|\bcame\s+up\b|(?:'s|\bhas|\bhave)\s+come\s+up\b"
    # "actually can we make it 3" just after a booking: that booking's time changed
    r"|\b(?:make|change)\s+(?:it|that|this)\b"
    r"|\banymore\b|\bcan't\s+make\b|\bcannot\s+make\b"
    # "… so she can't do her groom. Saturday 9am any good?" (set 141)
    r"|\b(?:can't|cannot|won't\s+be\s+able\s+to)\s+do\s+(?:his|her|their|its|the|[a-z]+'s)\s+"
    r"(?:appointment|appt|booking|groom\w*|jabs?|vacc\w*|booster|check[\s-]?up|dental|visit)\b"
    # "can max come friday not thursday", "LUCKY CANT DO WED. FRI 3?": the booked day turned
    # down for another
    r"|\b(?:not|can't\s+do|cannot\s+do|can't\s+make)\s+(?:on\s+)?(?:today|tomorrow|mon|tues?|wed|weds"
    r"|thu|thurs?|fri|sat|sun|\w+day)\b"
    # the booked time turned down: "8.30 is no good, I'm at the school gate then" (set 130)
    r"|\b\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?\s+(?:is|'s)\s+(?:no\s+good|too\s+(?:early|late)"
    r"|not\s+(?:good|great|possible)|a\s+(?:bit|little)\s+(?:early|late))\b"
)
# A yes that restates what it agrees to: "yes cancel it", "yes please book it", "yes move it".
YES_RESTATED_RE = re.compile(
    rf"^(?:{YES_WORDS}\s*)+(?:please\s+)?(?:cancel|book|move|change|confirm|do)\s*(?:it|that|them)?"
    rf"(?:\s*{FILLERS})*$"
)
MOVE_RE = re.compile(
    # (not "a bit of a change of plans": news, not a move; nor "don't worry about moving it
    # … can you just cancel it", set 165)
    r"(?<!worry\sabout\s)(?<!forget\sabout\s)(?<!instead\sof\s)(?<!rather\sthan\s)"
    r"\b(?:move|moving|reschedule|rescheduling|rebook|change(?!\s+of\s+(?:plans?|heart|mind))"
    r"|postpone|push|bring\s+forward|come\s+forward|be\s+brought\s+forward"
    # "could friday's be moved?", "can it be rescheduled?": the passive asks for the move too
    # (not a work shift: "got called in for an extra shift thursday", "doing a shift swap with
    # a colleague", set 184)
    r"|(?<!\ba\s)(?<!\ban\s)(?<!\bmy\s)(?<!\bextra\s)(?<!\bnight\s)(?<!\blate\s)(?<!\bearly\s)"
    r"(?<!\bdouble\s)(?<!\bwork\s)(?<!\bnext\s)(?<!\bnew\s)(?<!\bthe\s)(?<!\bday\s)"
    r"shift(?!\s+(?:swap|pattern|rota|work|patterns))|switch|(?<!\bshift\s)swap"
    # (not another's plans: "my boss just moved a meeting", set 226)
    r"|(?:moved|rescheduled|postponed|shifted|rearranged|pushed)(?!\s+(?:a|my|our|his|her|the"
    r"|their)\s+(?:work\s+)?(?:meeting|shift|flight|train|call|class|lesson|exam|interview|match"
    r"|game)s?\b)|rebooked|swapped"
    # Indian English: "kindly prepone Tommy's appointment to Thursday 10am" (move it earlier)
    r"|prepone|preponed)\b"
    # "I think I've booked nugget on the wrong day" (set 161): where it should be is asked
    r"|\b(?:booked|put|got)\s+(?:[a-z]+\s+){0,2}?(?:in\s+)?(?:on|for)\s+the\s+wrong\s+(?:day|date)\b"
    # a booking sent elsewhere: "can luna's appointment go to thursday at 2?", "can friday's go
    # to monday", "can bella's grooming go from 10 to 11:30"
    # ("can poppy's regular nail trim go to saturday instead?", set 226)
    r"|(?:'s(?:\s+(?:(?:regular|usual|annual)\s+)?(?:groom(?:ing)?|jabs?|vaccinations?|booster"
    r"|check-?up|consultation|dental|visit|one|nail\s+(?:trim|groom)|nails|bath))?"
    r"|\b(?:appointment|appt|booking))"
    # "max's dental on friday needs to go to next week"
    # ("can Nala's appointment tomorrow go to friday at 5?")
    r"(?:\s+(?:(?:on|for)\s+(?:the\s+)?\w+|today|tomorrow|tmrw|tmr))?"
    r"(?:\s+(?:needs?|has|will\s+have|would\s+have)\s+to)?"
    r"\s+(?:go|goes|come)\s+(?:to|on|from)\b"
    # (not a price: "how much will olive's visit tomorrow come to altogether?", set 229)
    r"(?!\s*(?:altogether|in\s+total|in\s+all|all\s+together|$))"
    r"(?!\s+(?:out|away|house|home|abroad|country|flat|apartment)\b)"
    # (not "can you put him back in": booked again, set 180)
    r"|\bbring\b.{0,40}\bforward\b|\b(?:put|push)\b(?!\s+[a-z]+\s+back\s+in\b).{0,40}\bback\b"
    r"|\bre-?arrange\b"
    # a booking named by its day, sent to another: "fudge's friday one to thursday at 11" (set
    # 180)
    r"|'s\s+(?:(?:mon|tues|wednes|thurs|fri|satur)day|tomorrow)(?:'s)?\s+(?:one|1|appointment|appt"
    r"|booking|groom(?:ing)?|jabs?|booster|check-?up|dental|visit)\s+to\s+(?:(?:this|next)\s+)?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur)day|tomorrow|the\s+\d)"
    # "can max have bella's slot …", "put bella in max's slot"
    r"|\b(?:have|take|get)\s+[a-z]+'s\s+(?:slot|time|place)\b"
    r"|\bput\s+[a-z]+\s+(?:in|into)\s+[a-z]+'s\s+(?:slot|time|place|appointment)\b"
    # a booked time given up with another asked for: "thursday doesn't work anymore, what else
    # have you got?", "can't make it thursday, could we do next week instead?"
    r"|\b(?:doesn't|does\s+not|won't|no\s+longer)\s+(?:work|suit)\b.{0,30}\b(?:anymore|any\s+more"
    r"|now|after\s+all)\b|\bwhat\s+else\s+(?:have\s+you\s+got|do\s+you\s+have|is\s+there)\b"
    # a booking named by its time, given up: "poppet's 8.45 is out. could we do after
    # drop-off, about 9.30?" (set 184)
    r"|'s\s+(?:\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?|appointment|appt|booking|one)\s+(?:is|'s)\s+"
    r"(?:out|no\s+good|impossible|not\s+possible)\b"
    # "oh the groom is saturday?? … can it go straight after the check up on friday then?"
    # (set 228): a booking sent next to another
    r"|\b(?:can|could)\s+(?:it|that)\s+(?:go|come|be(?:\s+moved)?)\s+(?:to\s+)?(?:straight|right"
    r"|just|directly)\s+(?:after|before)\b"
    # "and juniper's check up, could that be on thursday too, right after her jab?" (set 225)
    r"|'s\s+(?:groom(?:ing)?|jabs?|vaccinations?|booster|check-?\s?up|consultation|dental|visit"
    r"|appointment|appt|booking|one)\b[^.?!]{0,15}?\b(?:could|can|would)\s+(?:that|it)\s+be\s+"
    r"(?:on|at|moved)\b"
    # "for the saturday is not more possible at 10h, we can do it at 11h30 ?" (set 224)
    r"|\b(?:is|are|'s)\s+(?:no\s+longer|not\s+more|not\s+any\s*more)\s+(?:possible|ok|good)\b"
    r"|\bnot\s+possible\s+any\s*more\b"
    # "I booked Bailey in for Monday the 14th but mondays are impossible for me"
    r"|\b(?:(?:mon|tues|wednes|thurs|fri|satur)days?|that\s+day|that\s+time|it)\s+(?:is|are|'s)\s+"
    r"(?:impossible|no\s+good|not\s+possible|a\s+no-?go|out)\s+for\s+(?:me|us)\b"
    # "ah that clashes with work. anything after 5 that day?" (of the booking just said)
    r"|\b(?:that|it|this)\s+(?:(?:time|day|one|slot)\s+)?(?:clashes|clashed|would\s+clash)\s+with\b"
    r"|\b(?:can|could)\s+(?:we|i|you)\s+(?:do|have|get|go\s+for)\b.{0,40}\binstead\b"
    # a booked visit given a new time: "can bella's be 3 instead?", "can pepper be half an hour
    # later on tuesday?"
    r"|'s(?:\s+(?:one|appointment|appt|booking|groom(?:ing)?|jabs?|booster|check-?up|dental))?"
    r"\s+be\s+(?:at\s+|on\s+)?(?:\d|half\s+an|an?\s+(?:hour|bit)|later|earlier|moved|tomorrow"
    r"|(?:this\s+|next\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day\b)"
    r"|\bbe\s+(?:a\s+(?:bit|little|few\s+minutes)|half\s+an\s+hour|an\s+hour"
    r"|\d+\s*(?:mins?|minutes?|hours?))\s+(?:later|earlier|sooner)\b"
    # "can we make it later?" just after a booking (not "can't make it later")
    r"|(?<!n't\s)(?<!not\s)\bmake\s+(?:it|that)\s+(?:a\s+(?:bit|little)\s+)?(?:later|earlier|sooner)\b"
    # "bella's groom - can it be the afternoon instead?", "could hers be friday instead"
    # "could someone else see him at a different time, maybe wednesday morning?"
    r"|\b(?:at|on|for|to)\s+a\s+different\s+(?:time|day|slot)\b"
    # (not "can luna's groom be a bath instead": another service, asked of the same visit)
    r"|\b(?:can|could)\s+(?:it|that|this|his|hers|theirs|[a-z]+'s(?:\s+[a-z]+)?)\s+be\s+(?!an?\s)"
    r"[^?.!]{0,30}\binstead\b"
    # a booked visit put with another's: "the vaccine of friday at 12h, we prefer to do it
    # together with Boots at 11h30"
    r"|\b(?:do|have|bring|make)\s+(?:it|her|him|them|that|this|hers|his)\s+(?:together\s+with"
    r"|at\s+the\s+same\s+time\s+as|with)\s+[a-z]+(?:'s)?\s+at\b"
    # one pet's booked visit put beside another's: "put Luna's jab on the same day as Oscar's
    # groom", "can Luna's jab be straight after Oscar's?" (not "book Luna's jab …": a new one)
    r"|(?<!book\s)\b[a-z]+'s\s+(?:groom(?:ing)?|jabs?|vaccinations?|booster|check-?up"
    r"|consultation|dental|appointment|appt|booking|visit)\b[^.?!]{0,25}?\b(?:(?:on\s+)?the"
    r"\s+same\s+(?:day|time)\s+as|(?:straight|right|just|immediately|directly)\s+(?:after"
    r"|before))\s+[a-z]+'s\b"
)
# The customer's own move, not a booking's: "we're moving to Lyon", "I've just moved to Nice".
RELOCATING_RE = re.compile(
    r"\b(?:we're|we\s+are|i'm|i\s+am|they're|we've|i've|we|i|have|has)\s+(?:just\s+)?"
    r"(?:moving|moved)\s+(?:back\s+)?(?:to|from|out|away|abroad|house|home)\b(?:\s+[a-z]+)?"
    # "please cancel … thursday / we're moving 😢" (set 208): moving, said alone, is their own
    r"|\b(?:we're|we\s+are|i'm|i\s+am)\s+(?:just\s+|actually\s+)?moving(?:\s+(?:soon|next\s+week"
    r"|next\s+month|this\s+week|in\s+january))?\s*(?:[.!,;]|$)"
    # "we've decided to move back to Bordeaux", "we're going to move abroad"
    r"|\b(?:decided|going|planning|have|had)\s+to\s+move\s+(?:back\s+)?(?:to|out|away|abroad|house"
    r"|home|country)\b(?:\s+[a-z]+)?"
    # a house move told in passing: "we finally moved into the new flat", "when they moved"
    r"|\bmoved\s+(?:in|into|house|home|flat|here|there|over)\b"
    r"|\b(?:when|since|after|before)\s+(?:we|they|i|she|he|you)\s+(?:first\s+)?moved\b"
    # another vet asked for, not another time: "can I swap to a different vet?", "switch vets"
    r"|\b(?:swap|switch|change|move)\w*\s+(?:to\s+)?(?:a\s+|the\s+)?(?:different\s+|another\s+|other\s+"
    r"|new\s+)?(?:vets?|doctors?|nurses?|clinics?|practices?|surgery)\b"
)
# A new booking put off to later, with the old one given up: "I'll be in touch to rebook when I
# know my rota", "will reschedule another time". No move is asked for now.
REBOOK_LATER_RE = re.compile(
    r"\b(?:be\s+in\s+touch|get\s+(?:back\s+)?in\s+touch|get\s+back\s+to\s+you|call\s+(?:you\s+)?back"
    r"|(?:tele)?phone(?:\s+you)?|ring(?:\s+you)?|call(?:\s+you)?"
    r"|message\s+(?:you\s+)?(?:again|back)|contact\s+you(?:\s+again)?)\s+(?:later\s+"
    # ("I will contact you in January to rebook")
    r"|in\s+[a-z]+\s+|next\s+[a-z]+\s+"
    # ("She'll ring when she's better to rebook", set 140)
    r"|when\s+(?:she|he|i|we|they)(?:'s|'re|'m|\s+is|\s+are|\s+am|\s+feels?)\s+"
    r"(?:better|back|home|well|able|sure)\s+)?to\s+"
    r"(?:re-?book|reschedule|rearrange|book\s+(?:again|another))\b"
    r"|\b(?:re-?book|book\s+(?:again|in\s+again)|reschedule|rearrange)\s+"
    r"(?:it\s+|her\s+|him\s+|them\s+)?(?:later|another\s+time"
    r"|at\s+some\s+point|some\s+other\s+time|when\s+i\s+(?:know|can)|once\s+i\s+(?:know|can)"
    # ("ill rebook when i get my new rota", set 213)
    r"|(?:when|once)\s+i\s+(?:get|have|see|find\s+out)"
    r"|in\s+the\s+new\s+year|next\s+year|after\s+(?:christmas|xmas|the\s+holidays)"
    # "we'll rebook when she's back", "rebook once he's better"
    r"|(?:when|once|after)\s+(?:she|he|they|we|i|it)(?:'s|'re|'m|\s+(?:is|are|am|gets?|comes?))\s+"
    r"(?:back|better|home|recovered|well))\b"
    # "no need to rebook", "don't rebook": nothing moved
    r"|\b(?:no\s+need\s+to|don't|do\s+not|won't\s+need\s+to)\s+(?:re-?book|reschedule|rearrange)\b"
    # the writer's own rebooking, later: "can you cancel pls? will rebook next week", "I'll
    # reschedule next month" (not "will you rebook", nor "and rebook for next week", asked of us)
    r"|(?<!\byou\s)(?<!\bu\s)\b(?:(?:i|we)'ll|(?:i|we)\s+will|will|ill)\s+"
    r"(?:(?:just|have\s+to|need\s+to)\s+)?(?:re-?book|reschedule|rearrange)\b"
    r"(?:\s+(?:it|her|him|them))?(?:\s+(?:later|another\s+time|at\s+some\s+point|some\s+other"
    r"\s+time|soon|next\s+(?:week|month|year)|in\s+the\s+new\s+year)\b)?"
)
# The clinic's free times asked about, not a booking: "what times have you got on saturday",
# "which days do you have free next week", "what times are available".
FREE_TIMES_ASKED_RE = re.compile(
    r"\b(?:what|which)\s+(?:other\s+)?(?:days?|times?|dates?|slots?)\s+(?:have\s+you\s+got|do\s+you\s+have"
    r"|(?:have\s+)?you\s+got|are\s+(?:free|available|open|left)|is\s+(?:free|available)"
    r"|(?:can|could)\s+you\s+(?:do|offer))\b"
    # "what else is there in the morning?", "what else have you got after 4?"
    r"|\bwhat\s+else\s+(?:is\s+there|have\s+you\s+got|do\s+you\s+have|(?:have\s+)?you\s+got"
    r"|is\s+(?:free|available|open))\b"
)
# Whether a visit talked about is booked: "is that booked too?", "is it confirmed?" ("one" is
# normalised to "1").
IS_IT_BOOKED = r"\bis\s+(?:that|it|this)\s+(?:1\s+)?(?:booked|confirmed|sorted|in\s+the\s+diary)\b"
LOOKUP_RE = re.compile(
    # (not "open till when?": our hours; nor "that's when it's due", a reason, set 153)
    r"\b(?:(?<!\btill\s)(?<!\btil\s)(?<!\buntil\s)(?<!\bthat's\s)(?<!\bthats\s)(?<!\bthat\sis\s)"
    r"(?<!\bwhich\sis\s)when|(?:what|which)\s+(?:days?|times?|dates?))\b"
    # ("remind me how much it is", "remind me of your address": the business's answer)
    r"|\bremind\s+me\b(?!\s+(?:of\s+)?(?:how\s+much|the\s+price|your\s+(?:address|prices?|hours"
    r"|opening)|where\s+you|what\s+(?:your|the)\s+(?:address|price|hours)))"
    # ("do i have to leave her there all day?" asks what happens, not what is booked)
    r"|\bdo\s+(?:i|we)\s+have\b(?!\s+to\b)|\bdid\s+(?:i|we)\s+(?:book|say)\b"
    # "does poppy have anything booked this week?", "has max got anything coming up?"
    r"|\b(?:does\s+[a-z]+\s+have|has\s+[a-z]+\s+got)\s+(?:anything|any\s+appointments?"
    r"|an?\s+appointment|something)\s+(?:booked|on|coming|in\b)"
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
    r"|\bstill\s+(?:on|booked|happening|going\s+ahead|ok|okay|fine|good|confirmed|alright"
    r"|all\s+right|all\s+set|set|expecting\s+(?:us|me|him|her|them))\b"
    # "and the one 3 weeks after that, is that booked too?"
    r"|" + IS_IT_BOOKED + r"|"
    # "is my appointment on wednesday or thursday", "was Max's booking at 10"
    r"\b(?:is|was)\s+(?:my|our|the|his|her|\w+'s)\s+(?:appointment|booking|visit)\s+"
    r"(?:on|at|for|still|today|tomorrow|this|next|in)\b"
    # "is ollie's jab this week or next??", "is bella's groom on friday?"
    r"|\b(?:is|was)\s+\w+'s\s+[a-z-]+\s+(?:on|at|still|today|tomorrow|this|next)\b"
    # "is Domino's check up Wednesday evening?" (set 146)
    r"|\b(?:is|was)\s+\w+'s\s+(?:check\s+up|nail\s+trim|[a-z-]+)\s+(?:on\s+)?(?:mon|tues|wednes|thurs"
    r"|fri|satur|sun)day\b"
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
    # "can you send me the dates of poppy's appointments pls?" (set 153)
    r"|\b(?:the|all\s+the)\s+(?:dates?|times?|days?|details)\s+(?:of|for)\s+(?:my|our|his|her|their"
    r"|both|all|\w+'s)\s+(?:\w+\s+)?(?:appointments?|bookings?|appts?|visits?)\b"
)
# The last or first few bookings: "cancel the last two of pumpkin's", "the next 2" (set 226).
FEW_BY_ORDER_RE = re.compile(
    r"\bthe\s+(?P<end>last|next|1st)\s+(?P<count>2|3)\b(?!\s*(?:[:.]\d|am|pm|o'?clock|ish))"
)
# The visit before, asked for again: "the usual", "same as last time", "same again".
# "same time as last time": the last visit asked for again (``USUAL_RE``), at its time
# (``_LAST_VISITS_TIME_RE``, which also takes "same time as usual")
SAME_TIME_AS = (
    r"\bsame\s+time\s+as\s+(?:last\s+time|last\s+week|last\s+visit|before|the\s+last\s+(?:time|visit"
    r"|one)"
    # "same time as always", "the same time as last monday", "same time as the first" (a
    # puppy's first jab; normalised "1st"), set 226
    r"|always|ever|normal|last\s+(?:mon|tues|wednes|thurs|fri|satur)day|the\s+1st(?:\s+one)?"
)
USUAL_RE = re.compile(
    r"\bthe\s+usual\b|\bsame\s+as\s+(?:last\s+time|the\s+last\s+(?:time|visit|one)|before"
    r"|always)\b|\blike\s+last\s+time\b|\bsame\s+again\b|\b(?:his|her|their|its|our|my)\s+usual\b"
    # "same as usual for max please", "a groom as per usual"
    r"|\b(?:same\s+as|as|as\s+per)\s+(?:usual|normal|ever)\b"
    # "the same thing as last time", "what she had last time"
    r"|\bsame\s+(?:thing|one|service|treatment)\s+as\s+(?:last\s+time|before|the\s+last)\b"
    # ("rosie needs what she had last time again", set 160)
    r"|\bwhat\s+(?:she|he|they|it|\w+)\s+had\s+(?:last\s+time|the\s+last\s+time|before)\b"
    rf"|{SAME_TIME_AS})\b"
)
MAKE_ONE_RE = re.compile(
    r"\b(?:book|make|schedule|arrange|set\s+up|reserve|get|need|want|like|move|change|cancel)\b"
)
ABOUT_BOOKING_RE = re.compile(
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
    # "and juniper's is when then?" (set 146)
    r"|\b(?:\w+'s|his|hers|theirs)\s+(?:1\s+)?(?:is|was)\s+(?:when|what\s+time|what\s+day)\b"
)
BOOKING_WORD_RE = re.compile(
    r"\b(?:book|booking|appointment|reserve|reservation|schedule|slot|visit|check-?up"
    r"|consultation|come\s+in|get\s+\w+\s+in|bring\s+\w+\s+in|see\s+(?:the|a)\s+(?:vet|doctor)"
    r"|free|available|availability|space|room|opening|openings|slots|anything|fit\s+\w+\s+in"
    r"|welcome|seen|come|bring"
    # "do you have wednesday?", "have you got friday morning": a day asked about is a day wanted
    r"|(?:do|have)\s+you\s+(?:have|got)(?=\s+(?:any\s+)?(?:today|tomorrow|\w+day|mon|tues?"
    r"|wed|weds|thu|thurs?|fri|sat|sun|this|next)\b))\b"
)
# Asking for a time, as opposed to asking about the business: "can we come", "book", "free".
REQUEST_RE = re.compile(
    r"\b(?:book|booking|reserve|come|coming|bring|get\s+\w+\s+in|fit\s+\w+\s+in|squeeze"
    r"|see\s+(?:him|her|them|us|me|the\s+vet|a\s+vet)|seen|appointment\s+for|slots?|free"
    r"|available|availability|space|room|anything|(?:can|could|may)\s+(?:i|we|you)\s+(?:have|get|do)"
    r"|i'd\s+like|i\s+would\s+like|want|need|needs"
    # "can you add fudge then please, same time" (set 216): a pet added, not a service
    r"|add\s+(?!(?:a|an|the|on|it|that|this|some|his|her|their|my|our|me|us)\b)[a-z]+)\b"
)
# Thanks with news of the pet since a past moment: an update, not a request. A polite request
# ("I was wondering if I could get Murphy in ... thanks") is none.
THANKS_RE = re.compile(r"\b(?:thanks|thank\s+you|cheers|grateful)\b")
# A change or cancellation said not to be wanted ("I do not need to change anything, I only
# wished to check…", "I not want cancel, only I ask…"): no move or cancellation is read from it.
NO_CHANGE_RE = re.compile(
    r"\b(?:i|we)\s+(?:do\s+not|don't|dont|not|never|did\s+not|didn't)\s+(?:\w+\s+)?"
    r"(?:want|need|wish|mean|intend|asked?)\s+(?:to\s+)?(?:cancel|change|move|reschedule)\w*"
    r"(?:\s+(?:anything|it|that|the\s+appointment|my\s+appointment))?\b"
    r"|\bno\s+need\s+to\s+(?:cancel|change|move|reschedule)\w*(?:\s+anything)?\b"
    # another booking kept: "Hector is still coming on Tuesday …, that one doesn't change!"
    r"|\b(?:that\s+(?:1|one)|this\s+(?:1|one)|it|that|his|hers|theirs)\s+(?:doesn't|does\s+not"
    r"|won't|will\s+not|shouldn't|needn't|doesn't\s+need\s+to)\s+(?:need\s+to\s+)?change\b"
)
NOT_A_REQUEST_RE = re.compile(
    # "working", but not "the only day I'm not working" (free then); nor said of the time
    # before the reply ("sorry was driving. 11 is fine", "been busy, thursday works")
    r"\b(?<!\bwas\s)(?<!\bwere\s)(?<!\bbeen\s)(?:away|busy|(?<!not\s)(?<!n't\s)working"
    # (not a joke of the season: "brain's already on holiday", set 166)
    r"|(?<!brain's\s)(?<!brain's\salready\s)(?<!head's\salready\s)(?<!brain\sis\salready\s)"
    r"on\s+holiday|out\s+of\s+town|not\s+around"
    # (not the pet driven in: "I'll be driving them both", set 164)
    r"|can't\s+do|driving(?!\s+(?:them|her|him|both)\b))\b"
)
# A member of staff's days asked about ("is Dr Laurent working on Thursday?", "is the vet in on
# friday"): the business's rota, not the customer's absence (``NOT_A_REQUEST_RE``). Bookings
# name no vet, so the reply says so rather than promising one.
STAFF_WORKING_RE = re.compile(
    r"\b(?:is|are|will)\s+(?:dr|doctor|the\s+vet|your\s+vet|vet|nurse)\b\s*(?:[a-z'-]+\s+)?"
    r"(?:be\s+)?(?:working|in|on|there|around|available)\b"
)
# A vet asked for by name or as the one seen before ("can I see Dr Moreau on Thursday?", "with
# the same vet as last time"): the same answer, since bookings name no vet.
VET_ASKED_RE = re.compile(
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
# A service said not to be wanted: "her nails not a checkup", "not the jab".
NOT_SERVICE_RE = re.compile(
    r"\b(?:not|no|rather\s+than|instead\s+of)\s+(?:an?\s+|the\s+|her\s+|his\s+|their\s+)?"
    r"[a-z-]+(?:\s+(?:up|clean|cleaning|trim))?"
)
NO_VET_NAMED = (
    "Our bookings don't name a vet, so I can't promise who you'll see; the team can tell you "
    "at the clinic."
)
# Thanks and nothing else ("thank you so much 😊", "great thanks!"): on WhatsApp a thank-you
# is often said in passing, with more to come; only words of farewell close the conversation.
THANKS_ONLY_RE = re.compile(
    r"^(?:(?:oh|ok|okay|great|perfect|lovely|brilliant|awesome|amazing|wonderful|super)\s+)*"
    r"(?:thanks|thank\s+you|many\s+thanks|thanks\s+a\s+lot)"
    r"(?:\s+(?:very\s+much|so\s+much|a\s+lot|again|loads|a\s+million|heaps))?$"
)
YOU_ARE_WELCOME = "You're welcome! Just message us here if there's anything else."
# Another day than the booking's asked for: "an earlier appointment than thursday", "another
# day sooner", "later in the week" ("a day sooner" is a shift of one day, ``When.shift``).
DAY_SIDE_RE = re.compile(
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
# A pet unwell, said as news: "max has stopped eating", "bella is limping", "my cat keeps being
# sick" (emergencies are ``_EMERGENCY_RE``'s).
SYMPTOM_RE = re.compile(
    # ("ill take it": "I'll" typed without its apostrophe, set 198)
    r"\b(?:sick|ill(?!\s+(?:take|call|ring|be|message|text|book|let|get|come|bring|see|check|pop"
    r"|send|do|have|need|try|pay|wait|phone|email|sort|just|go|keep|leave|make|re-?book|reschedule"
    r"|rearrange|arrange|cancel|move|ask|update|confirm)\b)|unwell|poorly"
    r"|limping|lame|coughing|sneezing|vomiting|throwing\s+up"
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
# Our answer to a slot that cannot be had: "Sorry, Sunday 13 December at 10:00 isn't possible".
# Another pet's visit copied: "the same thing as Nemo", "same as bella('s)" (normalised; group
# 1 the pet). Followed by what that pet had in ``saying`` ("… as Nemo had last week").
SAME_AS_PET = r"\bsame(?:\s+thing|\s+service|\s+one)?\s+as\s+([a-z][a-z-]+?)(?:'s)?"
# Whether the clinic opens on a day, asked: "are you open sundays", "do you open on saturday
# afternoons" (normalised): the day the answer is about, whatever else the message says.
OPEN_ON_DAY_RE = re.compile(
    r"\b(?:are\s+you|r\s+u|is\s+the\s+clinic|do\s+you)\s+(?:ever\s+)?open\s+(?:on\s+)?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?)(?:\s+(?:morning|afternoon|evening)s?)?\b"
)
# A change read back, let go: "actually no leave it", "keep it as it is", "leave it thx" (not
# "leave it to you", "leave it till next week").
LEAVE_IT_RE = re.compile(
    r"\b(?:leave|keep)\s+(?:it|that|the\s+appointment|the\s+booking)(?!\s+(?:to|for|until|till"
    r"|at|on|with)\b)"
)
REFUSED_SLOT_RE = re.compile(
    # (after a kind word of ours: "Sorry to hear Pepper isn't well. Sorry, Thursday …")
    r"^(?:(?:Sorry to hear [^.]{1,60}\.|I'm (?:so )?sorry[^.]{0,60}\.)\s+)?"
    r"Sorry, \w+ \d{1,2} \w+(?: \d{4})? at (?P<hour>\d{2}):(?P<minute>\d{2}) isn't possible"
)
# Records or documents asked for: "can I get a copy of max's vaccination record", "could you
# email me the invoice", "send over his blood test results".
RECORDS_ASKED_RE = re.compile(
    # (not papers sent to us: "the vet there said they'd send you the notes")
    r"\b(?:copy|copies|send|email|e-mail|forward|print)\b(?!\s+(?:you|u|over\s+to\s+you)\b)"
    r".{0,40}?\b(?:records?|history|certificates?"
    r"|vaccination\s+(?:card|booklet)|booklet|notes|results|invoices?|receipts?|reports?"
    r"|prescriptions?|paperwork)\b"
)
# A booking said to stay as it is beside a new request: "keep the groom", "as well as her jab".
KEPT_SERVICE_RE = re.compile(
    r"\b(?:keep(?:ing)?|leave|leaving|as\s+well\s+as|besides|on\s+top\s+of|not\s+instead\s+of)\s+"
    r"(?:the|her|his|their|my|our|that)\s+[a-z-]+(?:\s+(?:one|appointment|booking))?\b"
)
# Words for any visit ("appointment", "slot"), which name no service of their own when another
# is looked for in a message ("add bella to max's appointment", "it's the groom, yeah?").
ANY_VISIT_WORDS_RE = re.compile(r"\b(?:appointments?|appt|visits?|bookings?|slot)\b")
# A no that closes the conversation: "no thanks, that's all", "never mind", "forget it".
CLOSES_RE = re.compile(
    r"\b(?:that's\s+all|that\s+is\s+all|that's\s+it|nothing\s+else|never\s*mind|forget\s+it"
    r"|don't\s+worry|not\s+to\s+worry|no\s+need|i'll\s+leave\s+it|we'll\s+leave\s+it"
    r"|leave\s+it\s+(?:for\s+now|there)|all\s+for\s+now)\b"
)
# Words after a yes that may take it back: "yes, but…", "yes, not right", "yes, cancel it".
TAKES_BACK = r"no|not|don't|never|wait|but|cancel|change|instead"
SPOKEN_YES_RE = re.compile(rf"^(?:{YES_WORDS})\s+(?!.*\b(?:{TAKES_BACK})\b)\S+(?:\s+\S+)?$")
# A written yes followed by pleasantries: "Yes, that would be lovely, thank you". Anything that
# could change the answer (a but, a no, a question, a new time or pet) keeps it from counting.
WRITTEN_YES_RE = re.compile(
    rf"^(?:{FILLERS}\s*)*(?:{YES_FRAME})?{YES_WORDS}\b"
    rf"(?!.*\b(?:{TAKES_BACK}|rather|actually|hold|however|except|unless|only|also|too"
    r"|and\s+(?:my|the|for)|move|another|different"
    # "ok, straight after theirs then": a time beside another visit, asked instead
    r"|(?:straight|right|just)\s+(?:after|before)|after\s+(?:theirs|his|hers|them|him|her)"
    # "ok thanks, let me check with my other half and I'll message back later": not yet
    r"|let\s+me|check\s+with|ask\s+(?:my|the)|(?:i'll|i\s+will|we'll|we\s+will)\s+(?:check|message"
    r"|text|call|ring|get\s+back|let\s+you\s+know|think|see|confirm|come\s+back))\b)[^?]*$"
)
# The customer turns the proposal down without a day or time we can read ("No, make it <misheard>
# instead"): asking again what they want beats re-asking yes or no, which a "yes" would confirm.
# Calling the request off without a plain "no": "actually never mind, I'll sort it out later",
# "let me check with my partner first".
CALL_OFF_RE = re.compile(
    r"\b(?:never\s*mind|nvm|forget\s+(?:it|that|about\s+it)|scratch\s+that|leave\s+it\s+for\s+now"
    r"|don't\s+worry\s+about\s+it|i'll\s+(?:sort\s+it|call|ring|phone|get\s+back|think\s+about"
    r"|check|let\s+you\s+know|message\s+(?:back|you|again)|text\s+(?:back|you|again)"
    r"|come\s+back\s+to\s+you)|let\s+me\s+(?:check|think|get\s+back|ask)"
    # "we're away saturday. I'll message next week once I know our plans" (set 143)
    r"|(?:i'll|i\s+will|we'll|we\s+will)\s+(?:message|text|call|ring|be\s+in\s+touch)\s+(?:you\s+)?"
    r"(?:next\s+week|later|again|once|when|after)"
    # "oh wait actually hold off, my partner might need the car"
    r"|hold\s+off|hang\s+fire|put\s+it\s+on\s+hold)\b"
)
# The booking kept as it is, to a proposed move or cancellation: "actually keep it", "no leave
# it on thursday", "leave it where it is", "don't move it", "no change".
KEEP_RE = re.compile(
    r"\b(?:keep|leave)\s+(?:it|that|them|him|her|everything|things|the\s+(?:appointment|booking)"
    r"|(?:his|her|their)\s+(?:appointment|booking)|\w+'s(?:\s+(?:appointment|booking|one))?)"
    r"(?:\s+(?:as\s+(?:it\s+is|is|it\s+was)|where\s+(?:it|he|she|they)\s+(?:is|are)|on\s+\w+"
    r"|at\s+(?:quarter|half)\s+past|at\s+\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?|then|please|thanks"
    r"|thank\s+you|for\s+now|sorry|yes|ok|okay))*\s*[.!]*$"
    r"|\b(?:don't|do\s+not|dont)\s+(?:move|cancel|change)\s+(?:it|that|anything)\b|^no\s+changes?\b"
    # "hmm actually no, keep the original. sorry for the bother!"
    r"|\b(?:keep|stick\s+with|leave\s+it\s+at)\s+the\s+(?:original|old|first|existing|current)"
    r"(?:\s+(?:one|time|slot|day|appointment|booking))?\b"
)
# An existing booking asked to be earlier or later, no time said: "could Max's appointment be a
# bit earlier?", "can we bring it forward?", "push it back a bit".
SIDE_RE = re.compile(
    r"\b(?:earlier|sooner|later|prepone)\b|\bbring\b.{0,40}\bforward\b|\b(?:push|put)\b.{0,40}\bback\b"
    # "the first free slot after his current one"
    r"|\b(?:first|1st|next)\s+(?:free\s+|available\s+|open\s+)?(?:slot|time|one|appointment)\s+"
    r"(?P<after>after|before)\s+(?:his|her|their|its|the|our|my)\s+(?:current|existing|booked"
    r"|own|usual)\b"
)
# Another time asked for on the side of the proposed one: "can you do earlier?", "anything later".
OTHER_SIDE_RE = re.compile(r"\b(?:earlier|sooner|later)\b")
# Our questions naming the bookings a change could mean, answered by a pet's name next.
WHICH_ONE_RE = re.compile(
    r"^(?:Sure, but first: |Sorry, |I can't find an appointment on [^.?]{1,40}\. )?[Ww]hich "
    r"(?:appointment should I (?P<verb>move|cancel)|one should I"
    r" change):"
)
# Our answer when one change of several cannot be had ("For Bella: Sorry, … I can offer …").
REFUSED_FOR_RE = re.compile(r"^For (?P<who>[^:]{1,60}): Sorry, ")
TURNED_DOWN_RE = re.compile(
    r"^(?:no|nope|nah)\b|\binstead\b|\brather\b|\bmake\s+it\b|\bchange\s+it\b"
    r"|\b(?:another|different|other)\s+(?:time|day)\b"
    # "not that day sorry", "that time doesn't work", "can't do then"
    r"|^(?:\w+\s+)?not\s+(?:that|then|on\s+that)\b|\b(?:that|this)\s+(?:day|time|one)\s+(?:doesn't"
    r"|does\s+not|won't|will\s+not|isn't\s+good|is\s+no\s+good)\b|\b(?:can't|cannot)\s+do\s+"
    r"(?:that|then)\b"
)
# Another pet joins a booked visit: "add Bella to Max's appointment", "can Bella come too".
JOIN_RE = re.compile(
    r"\b(?:add|bring|include)\b.*\b(?:to|with|in)\b|\b(?:too|as\s+well|along)\b"
    r"|\b(?:put|pop|squeeze|fit)\b.*\bwith\s+(?:him|her|them|\w+)\b"  # "put Bella in with him"
    r"|\bbook\s+\w+\s+in\s+with\s+(?:him|her|them)\b"  # "book dory in with him" (set 137)
    r"|\btag\s+along\b"  # "could crumpet tag along at the same time?" (set 146)
    # "can bella come with max tomorrow?", "could luna come in with her brother"
    r"|\b(?:come|coming|tag)\s+(?:in\s+|along\s+)?with\s+(?!me\b|us\b|my\s+(?:husband|wife|partner"
    r"|son|daughter|mum|dad|friend)\b)\w+"
    # "can Pip come at the same time as Rex", "… on thursday? same time as bella's"
    r"|\b(?:at\s+)?(?:the\s+)?same\s+(?:time|slot)\s+as\s+(?!last\b|before\b|usual\b|always\b)"
    # "same as bella for max please": another pet's booking copied
    r"|\bsame\s+as\s+(?!before|last|usual|always|ever|that|this|it|the)[a-z]+(?:'s)?\b"
    # "… can she come at the same time?", "can max come at the same time? just a check up"
    r"|\bat\s+the\s+same\s+time\b(?!\s+(?:as|next|on|tomorrow|today|\w+day)\b)"
    # "can Pip come in for his booster whenever Bella's in?"
    r"|\b(?:whenever|when)\s+[a-z]+(?:'s|\s+is)\s+(?:in|there|booked(?:\s+in)?|coming(?:\s+in)?)\b"
    # "can our rabbit Smudge get her vaccine during the same visit?"
    r"|\b(?:during|on|at|in)\s+the\s+same\s+(?:visit|appointment|trip)\b"
)
# A yes inside a longer message: "12 is perfect, yes please", "yep 10 works".
YES_SAID_RE = re.compile(
    r"\b(?:yes|yeah|yep|yup|ok|okay|perfect|great|lovely|brilliant|works|fine|good|sounds\s+good)\b"
)
BUT_RE = re.compile(r"\b(?:but|instead|actually|rather)\b")
# The sentences of a message as written: after ".", "!", "?" or ";" and a space, or a new line.
SENTENCE_RE = re.compile(r"(?<=[.!?;])\s+|\n+")
# "what did I say was wrong with him?", "what did I tell you about Max", "remind me what I said":
# the customer's own words asked back.
WHAT_I_SAID_RE = re.compile(
    r"\bwhat\s+(?:did|had)\s+(?:i|we|my\s+\w+)\s+(?:say|tell\s+you|write|mention|told\s+you)\b"
    r"|\bremind\s+me\s+what\s+(?:i|we)\s+(?:said|told\s+you|wrote|mentioned)\b"
    r"|\bwhat\s+(?:i|we)\s+(?:said|told\s+you|wrote|mentioned)\s+(?:was|about|earlier|before)\b"
)
# On a call, a booking about to be read back for nobody named (``ask_which_pet``).
PET_NAME_ASKED = "What is your pet's name?"
# The workflow's ``UNHEARD_CALLER`` question: asked when nothing was heard, it says nothing of
# where the conversation was.
SAY_AGAIN = "Could you say it again?"
UNCLEAR = (
    "Sorry, I didn't quite get that. I can book, move or cancel an appointment, or answer "
    "questions about the clinic. What would you like to do?"
)
# "cancel both", "move all of them": the change is meant for every booking the message points at.
EVERY_RE = re.compile(
    r"\b(?:both|every|each|everything|everyone|everybody)\b"
    # ("we can't come on friday after all", "not at all", "all good": no booking counted)
    r"|(?<!\bafter\s)(?<!\bat\s)\ball\b(?!\s+(?:right|good|fine|set|sorted|ok|okay|done|well)\b)"
)
# What ends a clause: a comma, a semicolon, a question or exclamation mark, or a full stop that
# is not a time's ("move max to 10.30 and bella to 10" is one clause).
CLAUSE_END = r"(?:[,;!?]|(?<!\d)\.|\.(?!\d))"
# Our question when several bookings are to move and the message says not where to.
MOVED_TO_QUESTION = "Which day and time would you like them moved to?"
# What one change of several does, said in a read-back (verb, what) and once done.
TO_DO = {
    "book": ("book", "{who} for {when}"),
    "reschedule": ("move", "{who}'s appointment to {when}"),
    "cancel": ("cancel", "{who}'s appointment on {when}"),
}
DONE = {
    "book": "{who} is booked for {when}",
    "reschedule": "{who} is moved to {when}",
    "cancel": "{who}'s appointment on {when} is cancelled",
}


# When the afternoon and evening start, as a customer means them ("saturday afternoon" when we
# close at 13:00 finds no afternoon).
PART_STARTS = {"afternoon": time(13, 0), "evening": time(17, 0)}
# A booking pointed at by its time or part of the day: "the 4 o'clock one", "the 10am
# appointment", "the afternoon one".
POINTED_VISIT_RE = re.compile(
    r"\bthe\s+(?:(?P<clock>\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|o'?clock)?)|(?P<part>morning|afternoon"
    r"|evening))\s+(?:1|one|appointment|appt|booking|visit|slot)\b"
    # "the 4 o'clock on friday": a booked time and its day
    r"|\bthe\s+(?P<clock2>\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|o'?clock))\s+(?:on\s+)?(?=(?:mon|tues"
    r"|wednes|thurs|fri|satur|sun)day\b|tomorrow\b)"
)
# Booked pets' own visit said: "the boys are in for their dentals", "max is booked for his jab".
BOOKED_FOR_RE = re.compile(
    r"\b(?:are|is|'re|'s)\s+(?:in|booked(?:\s+in)?|coming(?:\s+in)?|down)\s+"
    # ("rex is booked in on wednesday at 10 for a check up. could I add my cat mia …")
    r"(?:on\s+[a-z]+(?:\s+at\s+[0-9:.]+)?\s+)?for\s+(?:their|his|her|a|an)"
    r"\s+[a-z]+(?:[\s-][a-z]+)?"
)
# "the friday after": that weekday after the booking talked about ("move rex's second
# appointment to the friday after", "can he do the same time the saturday after?")
WEEKDAY_AFTER_RE = re.compile(
    r"\bthe\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+after(?:\s+(?:it|that))?\s*(?:$|[.,!?]"
    r"|please|pls|instead|then|if|same|at|and|so|thanks)"
)
# A booking said by its owner, its kind and maybe its day: "his check up this thursday",
# "mabel's groom" (normalised)
_A_BOOKING = (
    r"(?:his|her|their|its|the|[a-z]+'s)\s+(?:appointment|appt|booking|visit|groom(?:ing)?|jabs?"
    r"|vaccinations?|booster|check\s*-?\s*up|consultation|dental|nails)"
    r"(?:\s+(?:on\s+)?(?:this\s+|next\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sunday|tomorrow))?"
)
# One of the pet's bookings said to stay as it is: "please keep his grooming on saturday",
# "leave her jab on friday at 10 as it is" (normalised).
BOOKING_KEPT_RE = re.compile(
    r"\b(?:keep|leave)\s+(?:both\s+|all\s+)?(?:of\s+)?(?:his|her|their|its|the|[a-z]+'s)\s+"
    r"(?:appointments?|appts?|bookings?|ones?|visits?|groom(?:ing)?s?|jabs?|vaccinations?|boosters?"
    r"|check\s*-?\s*ups?|consultations?|dentals?|nails|teeth\s+clean(?:ing)?|dental\s+clean(?:ing)?)\b"
    r"(?:\s+(?:on|at|for)\s+(?:the\s+)?[a-z0-9:.]+){0,2}(?:\s+(?:as\s+it\s+is|where\s+it\s+is))?"
    # "cancel Bruno's appointment unless it's the grooming one", "unless it's his booster"
    r"|\bunless\s+(?:it's|it\s+is|that's|that\s+is|its)\s+(?:the|his|her|their|a)\s+(?:groom(?:ing)?"
    r"|jabs?|vaccinations?|boosters?|check\s*-?\s*ups?|consultations?|dentals?|nails|dental\s+clean(?:ing)?)"
    r"(?:\s+one)?\b"
    # "his check up this thursday and mabel's groom stay as they are"
    rf"|\b{_A_BOOKING}(?:\s+and\s+{_A_BOOKING})*\s+(?:stays?|remains?|can\s+stay|are\s+fine"
    r"|is\s+fine)\s+(?:as\s+(?:it\s+is|they\s+are)|where\s+(?:it\s+is|they\s+are))"
    # "nacho's check-up next week is still fine", "her groom next week stays"
    # (not "… is still on": asked as often as told, "check that tibbles's appointment is still on")
    rf"|\b{_A_BOOKING}(?:\s+(?:next|this)\s+week)?\s+(?:(?:is|'s)\s+(?:still\s+)?(?:fine|ok)"
    r"|stays?|can\s+stay)\b"
    # ("can the dental move to thursday 17th, same time? check up stays": no determiner, set 141)
    r"|\b(?:check\s*-?\s*up|groom(?:ing)?|jabs?|vaccinations?|booster|dental|nails|consultation)"
    r"\s+(?:stays?|can\s+stay)\b"
    # "friday's appointments are fine", "tomorrow's one is ok"
    r"|\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow)'s\s+(?:appointments?|ones?|bookings?"
    r"|visits?)\s+(?:are|is)\s+(?:all\s+)?(?:fine|ok|okay|staying)\b"
    # "cancel kiwi's groom please, she still needs her jab though", "he still needs the check-up"
    r"|\b(?:she|he|they|it)\s+still\s+(?:needs?|wants?|has\s+to\s+have)\s+(?:the|his|her|their|its)\s+"
    r"(?:groom(?:ing)?|jabs?|vaccinations?|boosters?|check\s*-?\s*ups?|consultations?|dentals?|nails"
    r"|dental\s+clean(?:ing)?)\b"
    # "the cat still needs her jab though so keep that one"
    r"|\bthe\s+(?:cat|dog|kitten|puppy|rabbit|bunny|other\s+one)\s+still\s+needs\s+(?:his|her|its|the|their)"
    r"\s+[a-z]+(?:\s+[a-z]+)?(?:\s+(?:though|tho))?(?:\s+so\s+keep\s+(?:that|this|it)(?:\s+one)?)?"
    # "the 2.30 one is fine where it is", "the morning one stays", "Milo's morning one is fine"
    r"|\b(?:the|[a-z]+'s)\s+(?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|o'clock)?|morning|afternoon|evening)\s+(?:one"
    r"|appointment|booking)\s+(?:is\s+(?:still\s+)?(?:fine|ok|okay|good)|stays|can\s+stay|is\s+still\s+on)"
    r"(?:\s+(?:where|as)\s+it\s+is)?"
    # "the fri groom is fine", "her thursday one stays": the booking of that day
    r"|\b(?:the|his|her|their|[a-z]+'s)\s+(?:(?:mon|tues?|wed(?:nes)?|weds|thu(?:rs?)?|fri|sat(?:ur)?"
    r"|sun)(?:day)?|tomorrow)\s+(?:one|1|appointment|appt|booking|visit|groom(?:ing)?|jabs?|vaccination"
    r"|booster|check\s*-?\s*up|consultation|dental|nails)\s+(?:is\s+(?:still\s+)?(?:fine|ok|okay"
    r"|good)|stays|can\s+stay)\b",
    re.IGNORECASE,
)
# The booking just made given to another pet, the pet it was for not named: "can you swap it to
# Ziggy?", "can it be for Bear instead", "change it over to Cleo".
FOR_ANOTHER_PET_INSTEAD_RE = re.compile(
    r"\b(?:swap|change|switch|put|move)\s+(?:it|that|this|the\s+(?:booking|appointment|appt|slot))"
    r"\s+(?:over\s+)?(?:to|for|under)\s+(?P<new>[a-z][a-z'-]+)\b(?!\s*(?:at|on|\d))"
    r"|\b(?:can|could)\s+(?:it|that|this)\s+be\s+(?:for|under)\s+(?P<new2>[a-z][a-z'-]+)"
    r"(?:\s+instead)?\b"
)
# Our question when a pet with a visit booked is said to be well again (``recovered_before_visit``):
# a yes or "keep it" to it keeps the visit, as to a reminder.
KEEP_OR_CANCEL_ASKED = "Would you like to keep the appointment on"
# A booking's day or time said and checked: "my appointment is at 3 right?", "max is at 3 on
# thursday isn't he", "bella's on friday yeah?".
BOOKING_CHECKED_RE = re.compile(
    # ("toby's jab is wednesday at 11.30 isn't it?")
    r"\b(?:appointment|booking|visit|[a-z]+'s(?:\s+[a-z-]+(?=\s+is\b))?|[a-z]+\s+is)\s+"
    r"(?:is\s+)?(?:still\s+)?(?:booked\s+(?:in\s+)?)?"
    r"(?:at|on|for|(?=\d)|(?=(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|tomorrow\b))\b.{0,30}"
    r"\b(?:right|isn't\s+(?:it|he|she|that)|is\s+(?:that|it)\s+(?:right|correct)|correct|yeah"
    r"|yes|innit)\s*\??\s*$"
    # ... or asked outright: "is coco's check up thursday at 10? just want to make sure ive got
    # it in the diary right" (set 216)
    r"|^(?:(?:hi|hello|hey|morning|sorry|quick\s+question)\s+)*is\s+[a-z]+'s\s+(?:appointment|appt"
    r"|booking|visit|check\s*-?\s*up|jabs?|vaccination|booster|groom(?:ing)?|dental|nails)\s+"
    r"(?:still\s+)?(?:on\s+)?(?:this\s+)?(?:(?:mon|tues|wednes|thurs|fri|satur)day|tomorrow)\b"
)
# Our opening hours asked of a day: "what time are you open till on fridays?", "when do you
# close on saturday?", "how late are you open thursday?"
HOURS_ASKED_RE = re.compile(
    r"\b(?:what\s+time|when|how\s+late|till\s+when|until\s+when)\s+(?:are|do|does|will|is)\s+"
    r"(?:you|u|ya|the\s+clinic|it)\s+(?:open|close|shut|finish)\w*(?:\s+(?:till|until|til|to))?"
    r"(?:\s+on)?(?:\s+(?:a\s+)?\w+day'?s?)?\b"
)
# A pet named as another's kin: "could we book jasper's brother loki in" (set 191): Loki is
# asked for, Jasper only says who he is.
_KIN = (
    r"(?:little\s+|big\s+|baby\s+|twin\s+)?(?:sister|brother|sibling|mum|mother|son|daughter|pal"
    r"|buddy|friend|litter\s*mate|puppy|kitten)"
)
KIN_OF_RE = re.compile(rf"\b([a-z][a-z-]+)'s\s+{_KIN}\s+([a-z][a-z-]+)\b")
# ... told after the pet: "book one for mabel (lola's sister)" (set 210; normalised, the
# brackets gone): the groups are the pet, then the one it is kin of.
KIN_AFTER_RE = re.compile(rf"\b([a-z][a-z-]+)\s+\(?([a-z][a-z-]+)'s\s+{_KIN}\b(?!\s+[a-z]+\s+is\b)")


def kin_told(text: str) -> list[tuple[str, str]]:
    """The pets ``text`` (normalised) names as another's kin, as (the other, the pet): "jasper's
    brother loki" and "mabel (lola's sister)" give ("jasper", "loki") and ("lola", "mabel")."""
    return [(m.group(1), m.group(2)) for m in KIN_OF_RE.finditer(text)] + [
        (m.group(2), m.group(1)) for m in KIN_AFTER_RE.finditer(text)
    ]


# A slot as we write it: "Wednesday 9 December at 10:00" (a year after the month when not this
# year's).
SAID_SLOT = r"[A-Z][a-z]+day \d{1,2} [A-Z][a-z]+(?: \d{4})? at \d{2}:\d{2}"
SAID_SLOT_RE = re.compile(rf"\b{SAID_SLOT}")
