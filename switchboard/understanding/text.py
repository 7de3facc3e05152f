"""Everyday text made plain: lower case, emoji read as words (👍 → "yes"), chat shorthand
expanded ("tmrw" → "tomorrow", "pls" → "please", "ya" → "yes", "cani" → "can i"), a time typed
against the word before it split off ("at10" → "at 10"), dictation's homophones of a
time ("at too" → "at 2", "at for thirty" → "at 4 30"), of "to"/"for" ("like two book", "four my
dog") and of a day ("on choose day" → "on tuesday"), number words as digits ("two" → "2", via
``text2num``), days and yeses borrowed from French, Spanish, Italian or German read
as English ("viernes", "demain", "oui"), punctuation dropped but ``:`` and ``.`` inside times
kept ("3.30pm", "14:30"), e-mail addresses and phone numbers (found with ``phonenumbers``) left
out, since their digits are no day, time or amount.

Key words typed one slip off ("mvoe", "thrusday", "tiem") are put right when they are no English
word (``_respelt``: ``rapidfuzz``'s string distance, ``lemminflect``'s dictionary).

Emoji names come from the ``emoji`` library (``emoji.demojize``), so any skin tone or variant of
a thumbs-up reads the same.
"""

from __future__ import annotations

import contextlib
import re
from functools import lru_cache

import emoji
import phonenumbers
from lemminflect import getAllLemmas
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from stop_words import get_stop_words
from text_to_num import alpha2digit

_STOP_WORDS = frozenset(get_stop_words("en"))
# Emoji that answer a question; every other emoji is dropped (a smiley is tone, not content).
_EMOJI_WORDS = {
    "thumbs_up": "yes",
    "ok_hand": "ok",
    "ok_button": "ok",
    "check_mark": "yes",
    "raising_hands": "yes",
    "handshake": "ok",
    "check_mark_button": "yes",
    "heavy_check_mark": "yes",
    "white_heavy_check_mark": "yes",
    "thumbs_down": "no",
    "cross_mark": "no",
    "waving_hand": "hello",
    # 🙏: "thank you" (or "please") in chat; never taken for a yes on its own
    "folded_hands": "thanks",
}
# Chat shorthand and frequent misspellings, whole words only.
_SHORTHAND = {
    "arvo": "afternoon",  # Australian
    "abit": "a bit",  # (set 170: "could pablo's be abit later")
    "alittle": "a little",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tmrow": "tomorrow",
    "tomoz": "tomorrow",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "tomorow": "tomorrow",
    "tommorow": "tomorrow",
    "tommorrow": "tomorrow",
    "tomorro": "tomorrow",
    "tmw": "tomorrow",
    # "quater past 4": the clock's words misspelt
    "cna": "can",
    # a dog's "trim" or "haircut" is its grooming ("he needs a trim, he's looking like a yeti");
    # said here, not as profile aliases, which go into Whisper's prompt (activities/stt.py)
    "trim": "groom",
    "haircut": "groom",
    "quater": "quarter",
    "quartr": "quarter",
    "qtr": "quarter",
    "quarte": "quarter",
    "hlf": "half",
    "2day": "today",
    "tdy": "today",
    "2nite": "tonight",
    "tonite": "tonight",
    "pls": "please",
    "plz": "please",
    "plse": "please",
    "thx": "thanks",
    "thnx": "thanks",
    "ty": "thanks",
    "ta": "thanks",
    "cheers": "thanks",
    "ya": "yes",
    "yah": "yes",
    "yeh": "yes",
    "yess": "yes",
    "yesss": "yes",
    "yas": "yes",
    "ye": "yes",
    "ys": "yes",
    "yh": "yes",
    "yeahh": "yeah",
    "yesh": "yes",
    "y": "yes",
    "k": "ok",
    "kk": "ok",
    "okey": "ok",
    "okie": "ok",
    "okk": "ok",
    "u": "you",
    "ur": "your",
    "r": "are",
    "cn": "can",
    # a question's first two words run together
    "cani": "can i",
    "canu": "can you",
    "cud": "could",
    "wud": "would",
    "fr": "for",
    "frm": "from",
    "abt": "about",
    "mov": "move",
    "mv": "move",
    "cxl": "cancel",
    "canc": "cancel",  # "canc thurs", "canc bella" (set 181)
    "msgs": "messages",  # "stop msgs pls"
    "appts": "appointments",
    "canx": "cancel",
    "cncl": "cancel",
    "bk": "book",
    "chkup": "checkup",
    "chckup": "checkup",
    "hw": "how",
    "mch": "much",
    "wen": "when",
    "tme": "time",
    "appt": "appointment",
    "appt.": "appointment",
    "apt": "appointment",
    "appointmnet": "appointment",
    "apointment": "appointment",
    "appoinment": "appointment",
    "resched": "reschedule",
    "insted": "instead",
    "instaed": "instead",
    "isntead": "instead",
    "wknd": "weekend",
    "wk": "week",
    "wks": "weeks",
    "nxt": "next",
    "hr": "hour",
    "hrs": "hours",
    "mins": "minutes",
    "b4": "before",
    "wanna": "want to",
    "gonna": "going to",
    "cant": "can't",
    "dont": "don't",
    "wont": "won't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "isnt": "isn't",
    "arent": "aren't",
    "wasnt": "wasn't",
    "couldnt": "couldn't",
    "wouldnt": "wouldn't",
    "shouldnt": "shouldn't",
    "havent": "haven't",
    "hasnt": "hasn't",
    "im": "i'm",
    "whats": "what's",
    "whens": "when's",
    "wheres": "where's",
    "hows": "how's",
    "thats": "that's",
    "vet's": "vet",
    "wat": "what",
    "hav": "have",
    "xmas": "christmas",
    "crimbo": "christmas",
    "chrimbo": "christmas",
    "gr8": "great",
    "gd": "good",
    # "gravy n pretzel", "cat n dog"
    "n": "and",
    "wot": "what",
    "rite": "right",
    # set 117's chat ("wen is willows jab agen??", "cn we mve max", "need vax for 2 kittens",
    # "do u take new pts", "sat morn", "tmoz")
    "agen": "again",
    "mve": "move",
    "vax": "vaccination",
    "vaxx": "vaccination",
    "vaxes": "vaccinations",
    "pts": "patients",
    "morn": "morning",
    "tmoz": "tomorrow",
    "tmorro": "tomorrow",
}
# Chat shorthand for a day ("tmrw", "2nite", "wknd"): never a pet's name
# (``switchboard.understanding.subjects``).
DAY_SHORTHAND = frozenset(
    word for word, said in _SHORTHAND.items() if said in ("tomorrow", "today", "tonight", "weekend")
)
# Days and yeses in the languages an English speaker borrows from ("can Simba come viernes at
# 10?", "demain à 15h", "oui", "si"): whole words, read as the English. A message wholly in
# another language never gets here (``understanding.language``).
_BORROWED = {
    # French
    "oui": "yes",
    "ouais": "yes",
    "lundi": "monday",
    "mardi": "tuesday",
    "mercredi": "wednesday",
    "jeudi": "thursday",
    "vendredi": "friday",
    "samedi": "saturday",
    "dimanche": "sunday",
    "demain": "tomorrow",
    "après-demain": "day after tomorrow",
    "apres-demain": "day after tomorrow",
    "aujourd'hui": "today",
    "merci": "thanks",
    "d'accord": "ok",
    "parfait": "perfect",
    "chien": "dog",
    "rdv": "appointment",
    "midi": "noon",
    # the words of a visit a customer writing English slips into French: "annuler filou's
    # toilettage on wednesday, il est malade", "jeudi matin"
    "matin": "morning",
    "soir": "evening",
    "annuler": "cancel",
    "déplacer": "move",
    "toilettage": "grooming",
    "vaccin": "vaccination",
    "malade": "sick",
    # Spanish
    "gracias": "thanks",
    "perfecto": "perfect",
    "si": "yes",
    "sí": "yes",
    "lunes": "monday",
    "martes": "tuesday",
    "miércoles": "wednesday",
    "miercoles": "wednesday",
    "jueves": "thursday",
    "viernes": "friday",
    "sábado": "saturday",
    "sabado": "saturday",
    "domingo": "sunday",
    "mañana": "tomorrow",
    "manana": "tomorrow",
    "hoy": "today",
    "tarde": "afternoon",
    "vacuna": "vaccination",
    "cancelar": "cancel",
    "enfermo": "sick",
    "enferma": "sick",
    # Italian
    "lunedì": "monday",
    "martedì": "tuesday",
    "mercoledì": "wednesday",
    "giovedì": "thursday",
    "venerdì": "friday",
    "domani": "tomorrow",
    "oggi": "today",
    "grazie": "thanks",
    "perfetto": "perfect",
    "sì": "yes",
    "certo": "sure",
    # Portuguese and Polish yeses, written before an English one ("sim, yes please", "tak, yes
    # 👍", set 177)
    "sim": "yes",
    "claro": "sure",
    "obrigado": "thanks",
    "obrigada": "thanks",
    "tak": "yes",
    "dziękuję": "thanks",
    "dzięki": "thanks",
    # German
    "ja": "yes",
    "danke": "thanks",
    "bitte": "please",
    "montag": "monday",
    "dienstag": "tuesday",
    "mittwoch": "wednesday",
    "donnerstag": "thursday",
    "freitag": "friday",
    "samstag": "saturday",
    "sonntag": "sunday",
    "impfung": "vaccination",
    "termin": "appointment",  # "cancel the termin of Bello on friday" (set 177)
    "absagen": "cancel",
    "krank": "sick",
}
# Dictation's homophones of a number ("Tuesday at too", "at for thirty", "book Max in four a
# check up"): read as the number, or as "for", only where a time or a visit follows, never "at
# too many", "four a day".
_AT_TOO_RE = re.compile(
    r"\bat\s+too\b(?!\s+(?:many|much|late|early|soon|short|long|busy|far|high|low|bad))"
)
_AT_FOR_RE = re.compile(
    r"\bat\s+for\b(?=\s*(?:$|thirty|fifteen|forty|o'?clock|[ap]m\b|please|thanks|thank|ish|\d))"
)
_FOUR_A_RE = re.compile(
    r"\bfour\s+(?=(?:an?\s+(?!day|week|month|year|minute|hour|time|few|couple)"
    r"|(?:her|his|their|its|the)\s+(?:jab|vacc|check|booster|shot|nail|groom|dental|teeth"
    r"|appointment|visit|consult)))"
)
# Dictation's "to" and "for" heard as numbers: "I would like two book", "an appointment four my
# dog". Read as the words only between a wish and a verb, or before "my"/"our" where no time
# precedes ("at four my time" keeps its hour), never "I have two dogs", "four of my cats".
_TWO_TO_RE = re.compile(
    r"\b(?P<wish>like|love|want|wanted|need|needed|going|able|trying|hoping|wish|ought)\s+(?:two|2)\s+"
    r"(?=(?:book|bk|bring|make|see|get|schedule|arrange|move|mv|change|cancel|cxl|canx|reschedule"
    r"|check|ask"
    r"|know|speak|talk)\b)"
)
_FOUR_MY_RE = re.compile(
    r"(?<!\bat\s)(?<!\baround\s)(?<!\babout\s)(?<!\bby\s)(?<!\buntil\s)(?<!\btill\s)"
    r"(?<!\bbefore\s)(?<!\bafter\s)(?<!\bfrom\s)(?<!\bto\s)(?<!\bpast\s)(?<!\bhalf\s)"
    r"(?<!ty\s)\bfour\s+(?=(?:my|our)\s)"  # nor "twenty four my…"
)
# Chat's "4" for "for" before what a visit is for: "cn peaches come at half 12 4 her booster"
# (never after a word of time: "at 4 the latest", "by 4 his time")
_DIGIT_FOUR_RE = re.compile(
    r"(?<!\bat\s)(?<!\baround\s)(?<!\babout\s)(?<!\bby\s)(?<!\buntil\s)(?<!\btill\s)"
    r"(?<!\bbefore\s)(?<!\bafter\s)(?<!\bfrom\s)(?<!\bto\s)(?<!\bpast\s)(?<!\bhalf\s)"
    r"(?<!\bor\s)(?<!\band\s)(?<!\bis\s)(?<!\bwas\s)(?<!\bbe\s)(?<!'s\s)"
    r"\b4\s+(?=(?:her|his|their|its|my|our)\s"
    # "bk bella 4 a chkup", "hw mch 4 a groom"
    r"|an?\s+(?!day|week|month|year|minute|hour|time|few|couple|half|quarter|bit|while)[a-z])"
)
# Dictation's "for" heard as "4" after what is booked: "a check-up 4 Rocky on Tuesday"
_VISIT_FOUR_RE = re.compile(
    r"\b(?P<what>check\s*-?\s*up|checkup|appointment|appt|booking|slot|jab|groom|visit"
    r"|vaccination|booster)\s+4\s+(?=[a-z]{2,}\b)(?!(?:pm|am|ish|o'?clock|th|hours?|hrs?|mins?"
    r"|minutes?|days?|weeks?|months?|years?|tomorrow|today|tonight|next|this|on|at|in|please|pls"
    r"|then|or|and|is|would|works?|ok|okay|sharp)\b)"
)
# Chat's "2" for "to" after a move: "pls cn u mv max 2 fri 3pm"
_MOVE_TWO_RE = re.compile(
    r"\b(?P<move>mv|move|moved|push|change|switch|put|bring|reschedule|resched)\s+"
    r"(?P<what>[a-z']+(?:\s+[a-z']+)?)\s+2\s+(?=(?:mon|tue|wed|thu|fri|sat|sun|tomorrow|tmrw"
    r"|next|the|this)[a-z]*\b)"
)
# Dictation's "two" heard as "to" before am/pm: "on Tuesday at to pm"
_AT_TO_RE = re.compile(r"\bat\s+to\s+(?=(?:pm|am|o'?clock|thirty|fifteen|forty)\b)")
# Punctuation said aloud to dictation: "… thursday at two o'clock full stop Zigzag's stays"
_DICTATED_MARK_RE = re.compile(
    r"\b(?:full\s+stop|question\s+mark|exclamation\s+(?:mark|point)|new\s+(?:line|paragraph))\b"
)
# "choose day" is how speech recognition writes "Tuesday" (and "choose days" "Tuesdays"), read
# as the day where a day goes: after "on"/"this"/"next"…, or before a time or a part of the day.
# "choose a day", "you choose the day", "choose day and time" are left as said.
_CHOOSE_DAY_RE = re.compile(
    r"(?:(?<=\bon\s)|(?<=\bthis\s)|(?<=\bnext\s)|(?<=\bcoming\s)|(?<=\bby\s)"
    r"|(?<=\buntil\s)|(?<=\btill\s)|(?<=\bor\s)|(?<=\bfrom\s)|(?<=\bevery\s)|(?<=\blast\s))"
    r"choose\s+day(?P<s>s?)\b"
    # (not after whoever chooses: "can you choose day please", "let us choose day at random")
    r"|(?<!\byou\s)(?<!\bto\s)(?<!\bi\s)(?<!\bwe\s)(?<!\bus\s)(?<!\bme\s)(?<!\bthey\s)"
    r"\bchoose\s+day(?P<s2>s?)\b(?=\s+(?:at|around|about|morning|afternoon|evening|night"
    r"|lunchtime|after|before|\d|the\s+\d|please|would|works?|is\s+(?:good|fine|best|ok)))"
)
# A word that introduces a time typed against it ("at10", "at3pm", "abt11", "frm9"), split so
# that the time reads where it goes; digits after any other word are left ("b4", "2moro").
_GLUED_TIME_RE = re.compile(
    r"\b(at|by|around|about|abt|from|frm|till|til|until|after|before|for|fr)(?=\d{1,2}"
    r"(?:[:.]\d{2})?(?:[ap]m)?\b)"
)
# "por la mañana" / "de la mañana" is "in the morning", not "tomorrow"; "pasado mañana" is the
# day after tomorrow.
_MORNING_RE = re.compile(r"\b(?:por|de|en)\s+la\s+ma[ñn]ana\b")
_DAY_AFTER_RE = re.compile(
    r"\bpasado\s+ma[ñn]ana\b|\bapr[eè]s[\s-]+demain\b|\bdopodomani\b|\b[üu]bermorgen\b"
    # the French "après-demain" word for word: "is possible after tomorrow at 11h?" (set 162),
    # with its time or part of the day (not "any day after tomorrow", a bound)
    r"|(?<!\bday\s)(?<!\bany\s)(?<!\btime\s)(?<!\btill\s)(?<!\buntil\s)(?<!\bnot\s)(?<!\bonly\s)"
    r"\bafter\s+tomorrow\b(?=\s+(?:at\s+\d|at\s+(?:half|quarter|noon|midday)|in\s+the\s+(?:morning"
    r"|afternoon|evening)|morning|afternoon|evening|\d{1,2}(?:[:h.]\d{2}|h|\s*[ap]m)))"
)
# An apology for replying late: "sorry for the slow reply", "sorry about the delay"
_SORRY_FOR_THE_WAIT_RE = re.compile(
    r"\b(?:so\s+|really\s+)?sorry\s+(?:for|about)\s+(?:the\s+|my\s+)?(?:slow|late|delayed|very\s+late"
    r"|long)?\s*(?:reply|response|answer|delay|wait)\b"
    # "only just seen this sorry!! yes please" (set 198)
    r"|\b(?:sorry\s+)?(?:i've\s+|i\s+have\s+)?(?:only\s+)?just\s+(?:seen|saw|read|got)\s+(?:this|your"
    r"\s+message|your\s+msg|it)\b(?:\s+sorry)?"
)
# A booking left for another time: "i'll message after the holidays to rebook", "we'll rebook
# in the new year" (set 201): no move asked now.
_REBOOK_LATER_RE = re.compile(
    r"\b(?:i'll|ill|i\s+will|we'll|we\s+will|will)\s+(?:message|call|ring|text|phone|email|contact\s+you"
    r"|get\s+back\s+to\s+you|be\s+in\s+touch|get\s+in\s+touch)\b(?:\s+[a-z']+){0,6}?\s+to\s+re-?book\b"
    r"|\b(?:i'll|i\s+will|we'll|we\s+will|will)\s+re-?book(?:\s+(?:it|him|her|them))?(?=\s+(?:later"
    r"|another\s+time|after\s+(?:the\s+)?(?:holidays|christmas|new\s+year)|in\s+the\s+new\s+year"
    r"|next\s+year|in\s+january)\b)"
)
# "annulate", "annul", "annule": cancel, from the French "annuler" (Spanish "anular").
_ANNUL_RE = re.compile(r"\bann?ul(?:ate|ated|ating|e|er|ar)?\b")
# A day of the month without its ending, then a time: "the 17 at 14h" (not "the 2 dogs").
_BARE_DATE_RE = re.compile(
    # (from the 5th: "the 2 at 3" may be two pets)
    r"\bthe\s+(?P<n>[5-9]|[12]\d|3[01])\b(?!\s*(?:st|nd|rd|th)\b)(?=\s+(?:at\s+(?:\d|half|quarter|noon"
    r"|midday)|in\s+the\s+(?:morning|afternoon|evening)|morning|afternoon|evening|\d{1,2}(?:h|[:.]\d{2})))"
)
# The British "teatime" (tea, the meal, between about 4 and 6): the late afternoon, whose
# times are offered; no hour is guessed (when.py)
_TEATIME_RE = re.compile(r"\btea\s?-?time\b")
# Some names have capitals (":OK_hand:", ":SOS_button:"): matched and looked up in lower case.
# Every name has a letter: the ":45:" of a time with seconds ("16:45:00") is none.
_EMOJI_NAME_RE = re.compile(r":([a-z0-9_&.-]*[a-z][a-z0-9_&.-]*):", re.IGNORECASE)
_WORD_RE = re.compile(r"[a-z0-9']+(?:[.:][0-9]{2})?|[a-z0-9']+")


def dictated_day_words(text: str) -> set[str]:
    """The words of lower-case ``text`` that dictation wrote for a day and ``normalise`` reads as
    one ("choose" in "on Choose Day at 4"): days, not names."""
    return {"choose"} if _CHOOSE_DAY_RE.search(text) else set()


def _emoji_as_words(text: str) -> str:
    named = emoji.demojize(text, delimiters=(" :", ": "))

    def word(match: re.Match[str]) -> str:
        name = re.sub(
            r"_(?:light|medium-light|medium|medium-dark|dark)_skin_tone$", "", match[1].lower()
        )
        return f" {_EMOJI_WORDS.get(name, '')} "

    return _EMOJI_NAME_RE.sub(word, named)


# An e-mail address: its digits and words are no day, time or pet ("jo.smith84@gmail.com").
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Where phone numbers without a country code are looked for (the business's customers are mostly
# French; British and North American numbers are the most frequent foreign ones).
_PHONE_REGIONS = ("FR", "GB", "US")
# A date (and time) written year first, ISO 8601 and its variants ("2026-12-11T16:45:00",
# "2026.12.11"): no phone number, however many digits it has.
_YEAR_FIRST_RE = re.compile(
    r"\b\d{4}([-/.])\d{1,2}\1\d{1,2}(?:[tT\s]\d{1,2}[:h.]\d{2}(?::\d{2})?)?\b"
)
# Fewer digits than this are no phone number ("10 12 14", a postcode "75011", a time "10 30").
_PHONE_MIN_DIGITS = 9


def without_contact_details(message: str) -> str:
    """``message`` with e-mail addresses and phone numbers blanked: "my mobile is 07700 900123,
    could Rex come at 2" reads no time in the number. Phone numbers are what ``phonenumbers``
    finds as possible numbers (``Leniency.POSSIBLE``: their length fits a numbering plan) with at
    least nine digits, in international form or national form of ``_PHONE_REGIONS``."""
    text = _EMAIL_RE.sub(" ", message)
    spans: set[tuple[int, int]] = set()
    # numbers are looked for with the dates written year first blanked, offsets kept
    searched = _YEAR_FIRST_RE.sub(lambda found: " " * len(found[0]), text)
    if sum(c.isdigit() for c in searched) < _PHONE_MIN_DIGITS:
        return text  # most messages: no number to look for
    for region in _PHONE_REGIONS:
        with contextlib.suppress(Exception):  # the library's own parsing errors: keep the text
            for match in phonenumbers.PhoneNumberMatcher(
                searched, region, leniency=phonenumbers.Leniency.POSSIBLE
            ):
                if sum(c.isdigit() for c in match.raw_string) >= _PHONE_MIN_DIGITS:
                    spans.add((match.start, match.end))
    # Regions may find one number with different bounds: blank their union, last first, so
    # that no cut shifts another's offsets.
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + " " + text[end:]
    return text


# A closing line, then a line that only names someone: where an e-mail's signature block starts
# ("Best regards, / Sophie Lambert / Senior Accounts Assistant | … / 45 avenue …").
_SIGNATURE_BLOCK_RE = re.compile(
    r"\n[ \t]*(?:(?:(?:best|kind|warm|warmest|many)\s+"
    r"|with\s+(?:my\s+|our\s+)?(?:sincere\s+|kind\s+|kindest\s+|best\s+|warm\s+|warmest\s+)?)?"
    r"(?:regards|wishes|thanks|thank\s+you)(?:\s+(?:very|so)\s+much|\s+in\s+advance|\s+again"
    r"|\s+a\s+(?:million|lot|bunch))?"
    r"|cheers|sincerely|yours\s+"
    r"(?:faithfully|sincerely|truly)|i\s+remain,?\s+yours\s+[a-z]+)[ \t]*[,.!]?[ \t]*\n"
    # (a blank line before the name; "Élodie Carré")
    r"(?:[ \t]*\n)*"
    r"(?=[ \t]*(?-i:(?:[A-ZÀ-ÖØ-Þ][^\W\d_]*\.?(?:[ \t]+|[ \t]*&[ \t]*|[ \t]+and[ \t]+)?){1,5})"
    # (the name's line may go on with a job title: "Romain Giraud | Site Manager | Giraud BTP")
    r"[ \t]*(?:[|\u2013\u2014,-][^\n]*)?(?:\n|$))",
    re.IGNORECASE,
)


# A forwarded or pasted e-mail's header lines ("From: …", "Sent: Monday 7 December 08:14").
_EMAIL_HEADER_RE = re.compile(
    r"(?im)^[ \t>]*(?:from|sent|to|cc|bcc|date|de|envoyé|à|objet|subject)[ \t]*:[^\n]*(?:\n|$)"
)


def without_email_headers(message: str) -> str:
    """``message`` with a pasted e-mail's header lines taken out ("From: Hélène Marchand
    <…>", "Sent: Monday 7 December 08:14", "To: …"): their names, addresses and the date
    it was sent are no request (set 132, 136). The subject line is kept in lower case, its
    words read but never taken for names ("Subject: Annual vaccinations - Hugo and Lulu").
    Unchanged unless at least two header lines are there, or a "Subject:" line."""
    found = list(_EMAIL_HEADER_RE.finditer(message))
    subject = [h.group(0).strip().lower().startswith(("subject", "objet")) for h in found]
    if not found or (len(found) < 2 and not subject[0]):
        return message
    out = message
    for header, is_subject in reversed(list(zip(found, subject, strict=True))):
        kept = header.group(0).lower() if is_subject else ""
        out = out[: header.start()] + kept + out[header.end() :]
    return out


def without_signature_block(message: str) -> str:
    """``message`` cut where an e-mail's signature block starts: a closing line ("Best
    regards,") followed by a line that only names someone, and everything after it (job
    title, company, address, phone numbers, a confidentiality notice), which names no pet and
    asks for nothing (set 129). Unchanged when there is no such block."""
    found = _SIGNATURE_BLOCK_RE.search(message)
    if found is None:
        return message
    before = message[: found.start()].rstrip()
    signer = message[found.end() :].split("\n", 1)[0]
    said = {w.lower() for w in re.findall(r"[^\W\d_]+", before)}
    listed = re.search(r"&|,|\band\b", signer) is not None or len(signer.split()) == 1
    if listed and any(w.lower() in said for w in re.findall(r"[^\W\d_]{2,}", signer) if w != "and"):
        return message  # "… thanks / Bella and Max": pets the message spoke of, not a signature
    return before


# Hesitation sounds speech-to-text writes down ("um", "uh", "erm"), and the same typed.
_HESITATIONS = frozenset({"um", "umm", "ummm", "uh", "uhh", "uhm", "uhmm", "erm", "er", "err"})


# An ordinal counting "one" of a list ("the first one", "the second one"): ``normalise`` keeps
# its "one" a word, which ``alpha2digit`` would make a number ("1st 1").
_COUNTED_ONE_RE = re.compile(
    r"\b(?:first|second|third|fourth|fifth|sixth|1st|2nd|3rd|[4-6]th)\s+one\b"
)

# "one" after a word that points at an item ("this one", "that one", "the other one", "the
# later one"), which ``alpha2digit`` made "1": the word again, unless a clock follows.
# Dates written the continental way: "16.12." (German), "on 15.12", "on 18-12", "18-12 at 5";
# and a time of four digits after "at" ("at 1730")
_DOTTED_DATE_RE = re.compile(r"(?<![\d.:])(\d{1,2})\.(\d{1,2})\.(?!\d)")
_ON_DOTTED_DATE_RE = re.compile(
    r"\b(on|from|until|till|to|for)\s+(\d{1,2})[.-](\d{1,2})\b(?![.:-]\d)"
)
_DASHED_DATE_AT_RE = re.compile(r"(?<![\d.:-])(\d{1,2})-(\d{1,2})(?=\s+at\b)")
_FOUR_DIGIT_TIME_RE = re.compile(r"\bat\s+([01]\d|2[0-3])([0-5]\d)\b")


def _dates_written_as_in_europe(text: str) -> str:
    """``text`` (lower case) with "16.12.", "on 15.12", "on 18-12" and "18-12 at" written as
    "16/12" (day/month, as ``when`` reads a slashed date), and "at 1730" as "at 17:30". A
    dotted pair after "to"/"for" stays a time when it reads as a quarter ("to 11.30")."""

    def date(day: str, month: str) -> str | None:
        return f"{int(day)}/{int(month)}" if 1 <= int(day) <= 31 and 1 <= int(month) <= 12 else None

    text = _DOTTED_DATE_RE.sub(lambda m: date(m[1], m[2]) or m[0], text)

    def on(m: re.Match[str]) -> str:
        said = date(m[2], m[3])
        quarter = m[3] in ("00", "15", "30", "45")
        if said is None or (m[1] in ("to", "for") and (quarter or int(m[2]) <= 23 and "." in m[0])):
            return m[0]
        return f"{m[1]} {said}"

    text = _ON_DOTTED_DATE_RE.sub(on, text)
    text = _DASHED_DATE_AT_RE.sub(lambda m: date(m[1], m[2]) or m[0], text)
    return _FOUR_DIGIT_TIME_RE.sub(r"at \1:\2", text)


_THE_ONE_RE = re.compile(
    r"\bthe\s+1\b(?![:.]\d)(?=\s+(?:after|before|in\s+the|on|with|for|that|which|you|we|i|closest"
    r"|nearest|nearer|just|straight|right)\b)"
)
_POINTED_ONE_RE = re.compile(
    r"\b(?P<word>this|that|which|other|another|same|earlier|later|earliest|latest|morning"
    r"|afternoon|evening|last|next|previous|cheaper|shorter|longer|either)\s+1\b"
    r"(?![:.]\d|\s*(?:am|pm|o'?clock|h)\b)"
)

# "the friday one", "the tuesday one": the booking on that day, never Friday at 1 o'clock
_DAYS_ONE_RE = re.compile(
    # ("wilbur's tuesday one is fine", "his friday one", set 188)
    r"\b(?P<word>(?:the|his|her|their|its|[a-z]+'s)\s+(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri"
    r"|sat(?:ur)?|sun)(?:day)?"
    r"|tomorrow|today)(?:'s)?)\s+1\b(?![:.]\d|\s*(?:am|pm|o'?clock|h)\b)"
)


# Chat words whose last letter is typed again for warmth ("heyy", "hiii", "helloo", "okkk",
# "pleaseee", "nooo"): read as the word.
_STRETCHED_WORDS = frozenset(
    {
        "hey",
        "hi",
        "hello",
        "yes",
        "yeah",
        "yep",
        "yup",
        "no",
        "nope",
        "ok",
        "okay",
        "please",
        "pls",
        "thanks",
        "thx",
        "so",
        "sorry",
        "cool",
        "great",
        "perfect",
        "lovely",
        "nice",
        "bye",
        "yay",
    }
)


def _unstretched(word: str) -> str:
    """``word`` without its last letter typed again, when that gives a ``_STRETCHED_WORDS``
    word ("heyy" → "hey"); ``word`` otherwise ("hill", "see", "too" stay)."""
    collapsed = re.sub(r"(\w)\1+$", r"\1", word)
    return collapsed if collapsed != word and collapsed in _STRETCHED_WORDS else word


# A letter's sign-off closing a message ("… Please do book it. Kind regards, Edith
# Marchbanks"): no request in it, and the name is the writer's
_SIGN_OFF_RE = re.compile(
    r"(?<=[.!?,\n])\s*(?:(?:with\s+)?(?:kind|best|warm|warmest|friendly)\s+(?:regards|wishes"
    # the German "mit freundlichen Grüßen" word for word: "With friendly greetings, Klaus"
    r"|greetings)|regards|yours\s+(?:sincerely|faithfully|truly)|many\s+thanks|with\s+thanks)"
    r"\W*(?:[A-Za-z'().-]+\s*){0,4}$",
    re.IGNORECASE,
)


# The words a request hangs on, put right when typed one slip off ("mvoe", "tiem", "thrusday",
# "apointment", "cancle": one letter dropped, added, changed or two swapped).
# The key words that are days: a pet's name one slip from one ("frida") is left to
# ``normalise`` by ``mended``.
_DAY_KEY_WORDS = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "tomorrow",
)
_KEY_WORDS = (
    *_DAY_KEY_WORDS,
    "appointment",
    "appointments",
    "cancel",
    "reschedule",
    "change",
    "move",
    "time",
    "morning",
    "afternoon",
    "evening",
    "please",
    "vaccination",
    "grooming",
    "booking",
    # (set 194: "bokk a chek up", "how mcuh", "his boster", "vacine", "anythin", "is ther")
    "book",
    "check",
    "much",
    "booster",
    "vaccine",
    "anything",
    "there",
    "dental",
)


# Key words a longer word two slips off is put right to: services' names, where a pet's name
# is unlikely ("dentle"; not "canela" as cancel).
_FAR_SLIP_KEYS = ("dental", "vaccination", "grooming", "appointment", "appointments")


@lru_cache(maxsize=4096)
def _respelt(word: str) -> str:
    """``word`` as the one key word (``_KEY_WORDS``) it is a slip of, by the optimal string
    alignment distance (``rapidfuzz``): 1, starting with the same letter, and only when
    ``word`` is no English word (``lemminflect``'s dictionary, the stop words) so that a
    real word ("form", "tie") is never changed. Else ``word`` unchanged."""
    if len(word) < 4 or not word.isalpha() or word in _KEY_WORDS or word[:-1] in _KEY_WORDS:
        return word  # (a plural is no slip: "do you do saturdays?")
    if getAllLemmas(word) or word in _STOP_WORDS:
        return word
    close = [
        key
        for key in _KEY_WORDS
        if key[0] == word[0] and abs(len(key) - len(word)) <= 1 and OSA.distance(word, key) == 1
    ] or [
        # two slips in a long word that begins as a service's name does ("dentle" for dental)
        key
        for key in _FAR_SLIP_KEYS
        if len(word) >= 6
        and key[:3] == word[:3]
        and abs(len(key) - len(word)) <= 1
        and OSA.distance(word, key) == 2
    ]
    return close[0] if len(close) == 1 else word


def respelt(message: str) -> str:
    """``message`` as written, each word typed one slip off a key word put right ("cancl
    maples groom" → "cancel maples groom"; ``_respelt``), the rest (case, punctuation)
    unchanged: for reading its clauses before it is normalised."""
    return re.sub(
        r"[A-Za-z]+",
        lambda m: (
            m.group(0) if (fixed := _respelt(m.group(0).lower())) == m.group(0).lower() else fixed
        ),
        message,
    )


# A letter O typed for a zero in a time ("10.3o", "1O am", "4.3opm"): next to a digit, and
# never in "3 o'clock" (a space, or the apostrophe after it).
_O_FOR_ZERO_RE = re.compile(
    r"(?<=\d)[oO](?=[\s,.!?:]|[ap]m\b|$|\d)(?!'|\u2019)|(?<![\w'])[oO](?=\d)"
)
# Words a missed space runs into the next one ("thursdayat 3", "cancelpeanuts", "groomon",
# "bookcheckup", "makeit"): the first part one of these, the rest a word of its own.
_GLUE_HEADS = frozenset(
    (
        *_DAY_KEY_WORDS,
        "today",
        "tonight",
        "book",
        "cancel",
        "move",
        "reschedule",
        "change",
        "make",
        "need",
        "groom",
        "check",
        "please",
    )
)
# The small words a missed space runs a key word into: "thursdayat", "groomon", "makeit".
_GLUE_TAILS = frozenset(("at", "on", "in", "for", "to", "it", "pls", "please", "and", "the", "is"))
# "forDexter", "withLuna", "bookMax": a small word run into a capitalised name.
_GLUED_NAME_RE = re.compile(r"\b(for|with|and|book|cancel|move|is|to|at)(?=[A-Z][a-z]{2,}\b)")


def _is_word(word: str) -> bool:
    """An English word (``lemminflect``'s dictionary, the stop words) or a key word."""
    return bool(getAllLemmas(word)) or word in _STOP_WORDS or word in _KEY_WORDS


@lru_cache(maxsize=4096)
def _unglued(word: str) -> str:
    """``word`` (lower case) split where a missed space ran a key word (``_GLUE_HEADS``) into
    the next word ("thursdayat" → "thursday at", "cancelpeanuts" → "cancel peanuts"); else
    unchanged. A word of the dictionary is never split."""
    if len(word) < 5 or not word.isalpha() or _is_word(word) or word.rstrip("s") in _KEY_WORDS:
        return word
    for head in sorted(_GLUE_HEADS, key=len, reverse=True):
        rest = word[len(head) :]
        # (a small word run on, or a word of its own: never "groomer" as "groom er")
        if word.startswith(head) and (rest in _GLUE_TAILS or (len(rest) >= 4 and _is_word(rest))):
            return f"{head} {rest}"
    return word


def mended(message: str) -> str:
    """``message`` with the slips of typing on a phone put right, its case kept: a letter O
    for a zero in a time ("10.3o" → "10.30", "1O am" → "10 am"), words a missed space ran
    together ("thursdayat 3" → "thursday at 3", "forDexter" → "for Dexter"; ``_unglued``),
    and key words one slip off ("apointments", "anythin"; ``_respelt``), but not into a day,
    which ``normalise`` reads ("when is frida booked": a name). A capitalised word inside a
    sentence is a name and is left as written ("Groot"). Never raises."""
    message = _O_FOR_ZERO_RE.sub("0", message)
    message = _GLUED_NAME_RE.sub(r"\1 ", message)

    def one(found: re.Match[str]) -> str:
        word = found.group(0)
        start = found.start()
        before = message[:start].rstrip()
        if word[:1].isupper() and before and before[-1] not in ".!?\n":
            return word  # a name, as written
        low = word.lower()
        fixed = _unglued(low)
        if fixed == low:
            fixed = _respelt(low)
            if fixed in _DAY_KEY_WORDS:
                # ("when is frida booked in again?": a pet's name one slip from a day stays as
                # written here; the day is read where the words are normalised)
                return word
        return word if fixed == low else fixed

    return re.sub(r"[A-Za-z]+", one, message)


# A line that puts right a word of the line before it, as people do on WhatsApp: "*thursday",
# "thursday*" (set 214).
_STARRED_LINE_RE = re.compile(
    r"^\s*\*\s*([A-Za-z][A-Za-z'-]*)\s*$|^\s*([A-Za-z][A-Za-z'-]*)\s*\*\s*$"
)
_WEEKDAY_WORD_RE = re.compile(
    r"\b(?:today|tomorrow|tmrw|(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?)\b",
    re.IGNORECASE,
)


def with_starred_fixes(message: str) -> str:
    """``message`` with each line that is one word and a star ("*thursday" under "need to move
    juniper's appt on wednesday") put in the line before it, in place of the day it names (a
    day for a day) or of its closest word (``rapidfuzz`` ratio 60 or more: "*Luna" for
    "Lina"), and the starred line dropped. A star with nothing to put right is left as it is.
    Never raises."""
    lines = message.split("\n")
    out: list[str] = []
    for line in lines:
        starred = _STARRED_LINE_RE.match(line)
        if starred is None or not out:
            out.append(line)
            continue
        word = starred.group(1) or starred.group(2)
        before = out[-1]
        days = list(_WEEKDAY_WORD_RE.finditer(before))
        if _WEEKDAY_WORD_RE.fullmatch(word) and days:
            last = days[-1]
            out[-1] = f"{before[: last.start()]}{word}{before[last.end() :]}"
            continue
        close = process.extractOne(
            word.lower(), re.findall(r"[a-z']+", before.lower()), scorer=fuzz.ratio, score_cutoff=60
        )
        if close is None:
            out.append(line)
            continue
        out[-1] = re.sub(rf"\b{re.escape(close[0])}\b", word, before, count=1, flags=re.IGNORECASE)
    return "\n".join(out)


# What we told the customer, taken as news before their answer: "Oh, I did not know you closed
# early on Saturdays. Then half past nine …", "Oh I see, I did not realise it takes a whole
# hour." (set 193): no question about the hours, no request.
_NEWS_TAKEN_RE = re.compile(
    r"^\s*(?:(?:oh|ah+|ooh|right|ok|okay)\b[\s,!.]*)*(?:i\s+see\b[\s,!.]*)?"
    r"(?:i\s+(?:did\s+not|didn't|didnt|never|hadn't|had\s+not)\s+(?:know|realised|realized|realise"
    r"|realize|notice|noticed)|i\s+had\s+no\s+idea)\b"
    r"[^.!?\n]*?\b(?:you\s+(?:closed?|shut|open|were|are)|it\s+(?:takes?|took|lasts?|was|is)"
    r"|(?:closed?|shut|open)\s+(?:on|at|early|for))\b[^.!?\n]*[.!?\n]+\s*",
    re.IGNORECASE,
)


def without_news_taken(message: str) -> str:
    """``message`` without an opening sentence that takes what we said as news ("Oh, I did not
    know you closed early on Saturdays."), when more follows it: that sentence asks nothing."""
    found = _NEWS_TAKEN_RE.match(message)
    if found is None or not message[found.end() :].strip():
        return message
    return message[found.end() :]


# The chat shorthand a pet's name is read around ("cn i bk bella 4 a chkup", "mv max 2 fri"):
# spelt out with the capitals of every other word kept (``spelt_out_chat``)
_CHAT_VERBS = ("bk", "mv", "cxl", "canx", "cncl", "cn", "n", "u", "chkup", "chckup", "appt")
_CHAT_VERB_RE = re.compile(rf"\b(?:{'|'.join(_CHAT_VERBS)})\b", re.IGNORECASE)


def spelt_out_chat(message: str) -> str:
    """``message`` with chat shorthand for what is asked spelt out ("bk" → "book", "4 a" → "for
    a", "mv max 2 fri" → "move max to fri"), every other word as written: where names are
    read, a capital still says one."""
    message = _CHAT_VERB_RE.sub(lambda found: _SHORTHAND[found.group(0).lower()], message)
    message = _DIGIT_FOUR_RE.sub("for ", message)
    return _MOVE_TWO_RE.sub(r"\g<move> \g<what> to ", message)


def normalise(message: str) -> str:
    """``message`` as plain lower-case words (see the module docstring), e-mail addresses and
    phone numbers left out (``without_contact_details``). Never raises."""
    message = _SIGN_OFF_RE.sub("", message)
    # "oscar fri → sat same time?": an arrow between two things is "to"
    message = re.sub(r"\s*(?:\u2192|\u21d2|\u27a1\ufe0f?|-+>|=>)\s*", " to ", message)
    text = (
        _emoji_as_words(without_contact_details(message))
        .lower()
        .replace("\u2019", "'")
        .replace("\u2018", "'")
    )
    text = re.sub(r"\b([ap])\s?\.\s?m\b\.?", r"\1m", text)  # "p.m." → "pm"
    # "morning! bramble & thistle are due …" (set 226): a greeting, its mark about to go
    text = _GREETING_MARKED_RE.sub(r"\g<hi>good \g<part> ", text)
    # ISO 8601's date and time joined by a "T" ("2026-12-11T16:45"): a date, then a time
    text = re.sub(r"\b(\d{4}-\d{1,2}-\d{1,2})t(?=\d{1,2}:\d{2})", r"\1 ", text)
    # "@10" is "at 10" (e-mail addresses are gone by now)
    text = re.sub(r"@\s*(?=\d)", " at ", text)
    # "at 10" / "*11 sorry": a time starred on its own, the chat way of correcting what was
    # just typed (not bold, "*11*"), reads as the correction it is
    text = re.sub(
        r"(?:^|(?<=\s))\*(?=\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?\b(?![^*\n]*\*))", " make that ", text
    )
    # ... or starred after ("tue at 5" / "4*** sorry fat fingers", set 152), a line of its own
    text = re.sub(
        r"(?:^|(?<=\n))\s*(\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)\*+(?=\s|$)", r" make that \1 ", text
    )
    text = _GLUED_TIME_RE.sub(r"\1 ", text)  # "at10", "by3pm": a word and its time run together
    text = _dates_written_as_in_europe(text)  # "16.12.", "on 18-12": day and month
    text = _DICTATED_MARK_RE.sub(" ", text)  # "yes cancel it full stop": a mark said aloud
    # "his booster + a groom" (set 229): a plus between words is "and"
    text = re.sub(r"(?<=[a-z])\s*\+\s*(?=[a-z])", " and ", text)
    text = re.sub(r"[^\w\s':./-]", " ", text)
    text = re.sub(r"(?<!\d)[.:/](?!\d)", " ", text)  # a dot or colon not inside "3.30", "14:30"
    text = _DAY_AFTER_RE.sub("day after tomorrow", _MORNING_RE.sub("in the morning", text))
    # "the 17 at 14h", "the 9 in the morning": a day of the month said without its ending, the
    # way French and Spanish say it (set 162)
    text = _BARE_DATE_RE.sub(r"the \g<n>th", text)
    text = _TEATIME_RE.sub("late afternoon", text)
    # "saturday then same sort of time" (set 222): the same time, roughly
    text = re.sub(
        r"\bsame\s+(?:sort|kind)\s+of\s+time\b|\bsame(?:-|\s+)ish\s+time\b", "same time", text
    )
    text = _FOUR_A_RE.sub("for ", _AT_FOR_RE.sub("at four", _AT_TOO_RE.sub("at two", text)))
    text = _FOUR_MY_RE.sub("for ", _TWO_TO_RE.sub(r"\g<wish> to ", text))
    # "need 2 speak 2 someone re bill" (set 181): "to" typed as a digit before whom
    text = re.sub(
        r"\b(speak|talk|chat|speaking|talking)\s+2\s+(?=someone|somebody|a\s+person|a\s+human"
        r"|a\s+real|you|the\s+vet|the\s+team|staff)",
        r"\1 to ",
        text,
    )
    text = _DIGIT_FOUR_RE.sub("for ", text)
    text = _VISIT_FOUR_RE.sub(r"\g<what> for ", text)
    text = _MOVE_TWO_RE.sub(r"\g<move> \g<what> to ", _AT_TO_RE.sub("at two ", text))
    text = _CHOOSE_DAY_RE.sub(lambda found: f"tuesday{found['s'] or found['s2'] or ''}", text)
    # Hesitations carry nothing and split what they interrupt: "at, uh, two thirty" would
    # read as 2 o'clock, its "thirty" cut off (number words are joined only side by side).
    words = [
        _SHORTHAND.get(w, _BORROWED.get(w, _respelt(_unstretched(w))))
        for w in text.split()
        if w not in _HESITATIONS
    ]
    text = " ".join(words)
    text = re.sub(r"\bhow's\s+(?=much\b|long\b|many\b)", "how ", text)  # "hows much for nails"
    # The library gives up on odd inputs: keep the words then.
    counted_one = _COUNTED_ONE_RE.search(text) is not None
    text = _SAID_CLOCK_RE.sub(_said_clock, text)
    # "his yearly injections", "her annual shots": the vaccinations, not any injection
    text = _YEARLY_INJECTIONS_RE.sub(lambda m: f"{m[1] or m[2]} vaccinations", text)
    # "can you clip her claws", "the vet to check her over": the nails, a check-up
    text = _CLAWS_RE.sub("nails", _CHECKED_OVER_RE.sub("check-up", text))
    text = _SNAILS_RE.sub(r"\g<whose> nails", text)
    text = _PLAIN_VISIT_RE.sub("a consultation", text)
    # "do you need his vaccine book?" (set 232): the pet's booklet, no vaccination asked
    text = re.sub(
        r"\b(?P<whose>his|her|their|its|the|my|our|[a-z]+'s)\s+vacc?(?:ine|ination)s?\s+(?:book|booklet"
        r"|card|certificate|record|records|passport)\b",
        r"\g<whose> health booklet",
        text,
    )
    text = _DAY_ON_HOUR_RE.sub(r"\g<day> at \g<hour>", text)
    # "I need to annulate the appointment" (the French "annuler", set 162): a cancellation
    text = _ANNUL_RE.sub("cancel", text)
    # "yes go on then 🙂 sorry for the slow reply" (set 198): the apology asks nothing
    text = _SORRY_FOR_THE_WAIT_RE.sub(" ", text)
    # "please cancel it, i'll message after the holidays to rebook" (set 201): a booking another
    # time, not a move asked now
    text = _REBOOK_LATER_RE.sub(" will be in touch ", text)
    # "i need to get my dog Bruno vaccinated": his vaccination ("he's vaccinated" asks nothing)
    text = _GET_VACCINATED_RE.sub(r"\g<asked> vaccination", text)
    # "the same day and time as bella's": her booking's time (its day comes with it)
    text = _SAME_DAY_AND_TIME_RE.sub("same time as", text)
    # "can lola have whatever hugo's having": the same visit as Hugo's
    text = _WHATEVER_HAVING_RE.sub(r"the same as \g<pet>", text)
    with contextlib.suppress(ValueError, IndexError):
        text = alpha2digit(text, "en", threshold=0)
    # "what's the first day you can do from the 21st?", "first thing", "the first evening
    # appointment after 5", "first available": the earliest, not the 1st
    text = _FIRST_EARLIEST_RE.sub("first ", text)
    # "saturday instead, first thing, 9?" (set 192): the hour said with it
    text = re.sub(
        r"\bfirst\s+thing\s+(?=\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?\b)", "first thing at ", text
    )
    # "I work mon-fri", "monday to friday": the working week, no day asked
    text = _WORKING_WEEK_RE.sub("weekdays", text)
    # "at 3 hours", "at 15 hours": the French "à 15 heures" said in English, an hour of the clock
    text = re.sub(r"\bat\s+(\d{1,2})\s+(?:hours?|hrs?)\b", r"at \1 o'clock", text)
    if counted_one:
        # "the first one then, the 2nd": an item counted ("1st one"), never "the 1st 1"
        text = re.sub(r"\b(\d{1,2}(?:st|nd|rd|th))\s+1\b(?![:.]\d)", r"\1 one", text)
    # "this one", "the other one", "the later one": an item pointed at, never 1 o'clock
    text = _POINTED_ONE_RE.sub(r"\g<word> one", text)
    text = _DAYS_ONE_RE.sub(r"\g<word> one", text)
    # "the one after lunch", "the one on friday", "the one you said": an item, not 1 o'clock
    text = _THE_ONE_RE.sub("the one", text)
    return re.sub(r"\s+", " ", text).strip(" -")


# "first" as the earliest of something, which ``alpha2digit`` made "1st" ("the first evening
# appointment", "first day you can do"); "the 1st of …" stays a date.
_FIRST_EARLIEST_RE = re.compile(
    r"\b1st\s+(?=(?:day|thing|evening|morning|afternoon|appointment|appt|slot|opening|"
    r"available|free|possible|open)\b(?!\s+of\b))"
    # "whatever you've got first", "what have you got first" (set 155)
    r"|(?<=\bgot\s)1st\b|(?<=\bhave\s)1st\b(?!\s+of\b)"
)


# "tomorrow on 3" (set 224, "domani alle 3" word for word): a day, then its hour.
_DAY_ON_HOUR_RE = re.compile(
    r"\b(?P<day>today|tomorrow|tmrw|monday|tuesday|wednesday|thursday|friday|saturday)\s+on\s+"
    r"(?P<hour>\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)(?![\d/.-])(?!\s*(?:st|nd|rd|th|of)\b)"
)
# "and a normal visit, how much?" (set 224): a plain visit is a consultation.
_PLAIN_VISIT_RE = re.compile(
    r"\ban?\s+(?:normal|standard|basic|general|ordinary|simple|plain)\s+(?:vet\s+)?"
    r"(?:visit|appointment|appt)\b"
)
# A part of the day heading the message with a mark after it is a greeting ("morning!",
# "evening all,"), never the part asked for; said as "good morning" once the marks go.
_GREETING_MARKED_RE = re.compile(
    r"^(?P<hi>\s*(?:(?:hi|hey|hello|hiya)[\s,!]+)?)(?:good\s+)?(?P<part>morning|afternoon|evening)"
    # (a word after it: "morning!" alone may answer "morning or afternoon?")
    r"(?:\s+(?:all|everyone|folks|team))?\s*[!,.]+(?=\s*[a-z])"
)
# A pet's claws are its nails ("can you clip her claws"), and a vet to "check her over" is a
# check-up: said here rather than as profile aliases, which the calls' speech-recognition
# vocabulary is built from (docs/speech-recognition.md)
_CLAWS_RE = re.compile(r"\bclaws\b")
# Dictation's "her snails clipped" is her nails (set 222): a pet's snails, to be cut
_SNAILS_RE = re.compile(
    r"\b(?P<whose>her|his|its|their|the)\s+snails\b(?=\s+(?:\w+\s+)?(?:clip|trim|cut|done))"
)
_WORKING_WEEK_RE = re.compile(
    r"\b(?:mon|monday)\s*(?:-|to|thru|through|till|until)\s*(?:fri|friday)\b"
)
_GET_VACCINATED_RE = re.compile(
    r"(?P<asked>\b(?:get|getting|have|having|need|needs)\b(?:\s+[\w']+){0,3}?)\s+vaccinated\b"
)
_SAME_DAY_AND_TIME_RE = re.compile(
    r"\bsame\s+(?:day|date)\s+(?:and|&|n)\s+time\s+as\b|\bsame\s+time\s+(?:and|&|n)\s+(?:day|date)\s+as\b"
)
_WHATEVER_HAVING_RE = re.compile(
    r"\bwhatever\s+(?P<pet>[a-z][a-z-]+)(?:'s|\s+is)\s+(?:having|getting|booked\s+in\s+for)(?:\s+done)?\b"
)
_CHECKED_OVER_RE = re.compile(
    r"\b(?:check|look)\s+(?:her|him|them|it|\w+)\s+over\b"
    # "can the vet give her a proper check over instead??" (set 145), "a health check"
    r"|\bcheck[\s-]?over\b|\bhealth\s+check\b"
    # "how much is it for a vet to look at a lump on my dog?": a check-up's price
    r"|\b(?:for\s+)?(?:a|the)\s+vet\s+to\s+(?:look\s+at|have\s+a\s+look\s+at|check|see)\b"
)
_YEARLY_INJECTIONS_RE = re.compile(
    r"\b(yearly|annual|booster|puppy|kitten|first|second|1st|2nd)\s+(?:injections?|shots?|needles?)\b"
    # "book my cat sooty for his injections": the plural, his own, is his vaccinations
    r"|\b(his|her|their)\s+injections\b"
)
_HOUR_WORDS = (
    *("one", "two", "three", "four", "five", "six"),
    *("seven", "eight", "nine", "ten", "eleven", "twelve"),
)
_MINUTE_WORDS = {
    "fifteen": 15,
    "twenty": 20,
    "twenty five": 25,
    "thirty": 30,
    "thirty five": 35,
    "forty": 40,
    "forty five": 45,
    "fifty": 50,
    "fifty five": 55,
}
# A clock time said in words, as dictation writes it: "nine forty five", "ten fifteen" (hour,
# then minutes); written "9:45" so that it reads as one time wherever it stands ("at nine forty
# five no sorry ten forty five"), not as an hour and a number
_SAID_CLOCK_RE = re.compile(
    rf"\b(?P<hour>{'|'.join(_HOUR_WORDS)})\s+"
    r"(?P<minutes>(?>(?:twenty|thirty|forty|fifty)(?:[\s-]five)?|fifteen))\b"
    r"(?!\s+(?:minutes?|mins?|hours?|hrs?|days?|weeks?|years?|pounds|euros?|quid|kg|kilos?)\b)"
)


def _said_clock(found: re.Match[str]) -> str:
    minutes = _MINUTE_WORDS[found["minutes"].replace("-", " ")]
    return f"{_HOUR_WORDS.index(found['hour']) + 1}:{minutes:02d}"


def words(text: str) -> list[str]:
    """The words of normalised text."""
    return _WORD_RE.findall(text)
