"""Days and times as customers write and say them, read into parts that may each be missing.

"tmrw 3pm", "day after tomorrow around 10ish", "Weds at quarter past 2", "this Friday afternoon
around 2", "the 4th at 4", "Monday the 7th at 9.15am", "no make it 5pm instead", "same time
Saturday". Input is text already normalised by ``switchboard.understanding.text.normalise``.

Rules a person would apply:
- A weekday means the next such day after today ("Tuesday" said on a Tuesday is next week); "this
  Friday" said on a Friday is today.
- A day of the month ("the 4th") is the next date with that number, this month or next.
- "This weekend" / "at the weekend" is the coming Saturday; "next weekend" is not read (which?).
  "(Straight) after the weekend" is the Monday after the coming weekend (said on a Saturday or
  Sunday, the next Monday); "the tuesday after the weekend" that week's Tuesday.
- A date with a month ("28 November") is this year's. If it has passed by less than six months it
  is reported as ``past_day`` (the agent asks; it is never silently moved a year); further back
  it means next year ("5 January" said in November). A date written year first ("2026-12-11",
  "2026/12/11") is that date; passed, it is a ``past_day``.
- A time after "before"/"until" only bounds the time wanted ("anytime before 11"): not read; nor
  is a week that bounds an absence ("my car's in the garage till next week").
- A weekday said of the past ("we got him on Saturday", "since saturday", "last friday") is not
  the day asked for when the message names another.
- An hour without am/pm: morning/afternoon/evening decide, else 1 to 7 o'clock is afternoon (no
  vet opens at 3 am) and 8 to 12 is as written. "16h", "9h15" (as the French write it) and the
  British "half 3" (half past three) are times too.
- "This time next week" / "this time tomorrow" is now's time of day, to the nearest quarter hour.
- "Noon" is 12:00 and the British "elevenses" about 11:00; "teatime" names no time (it varies):
  text.py reads it as the late afternoon.
- "Boxing Day", "Christmas Eve", "New Year's Eve" are their next dates in any country.
- A public holiday named ("Christmas Day", "All Saints' Day"), given the calendar, is its next
  date (Christmas Eve is not Christmas); said as a bound ("rushed off your feet before
  Christmas", "away over Easter") it is no day, unless opening is asked ("open over
  Christmas?"); "the friday before christmas" is that weekday counted from it.
- The time or part of the day of someone else's plans ("I've got the plumber coming at 10", "the
  plumber's moved to the afternoon") is not the visit's when the message says another time.
- An amount of time next to a direction ("back an hour", "half an hour earlier", "forward by 30
  minutes") is a ``shift`` of whatever time is being talked about, not a time of its own.

- A number that cannot be a time ("moved to 25 rue Oberkampf") does not hide the time said after
  it ("… wednesday at 11"); "at 11" says the time before "for 1" does ("book one for Luna thurs
  at 11"); a day then hour and minutes in words is that time ("thursday ten fifteen").

Weekday typos ("wensday", "thrusday") and weekdays shortened without their vowels ("frdy",
"thrs") are matched with ``rapidfuzz``; so is autocorrect's word for a day where only a day fits
("on Thirsty at 4").
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from rapidfuzz import fuzz, process

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_ABBREVIATIONS = {
    "mon": 0,
    "tue": 1,
    "tues": 1,
    "wed": 2,
    "weds": 2,
    "wednes": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_WORD = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
MONTH_WORD = _MONTH_WORD  # a month's name or abbreviation, for patterns read elsewhere


def month_number(word: str) -> int:
    """1-12 for a month's name or abbreviation as ``MONTH_WORD`` matches it ("june" → 6)."""
    return _MONTHS[word.lower()[:3]]


_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)"
# An ordinal that qualifies a noun counts something else, never a day of the month: "on second
# thought" (normalised "on 2nd thought"), "the first time", "her 2nd jab", "a second opinion".
_COUNTED_NOUN = (
    r"(?!\s+(?:thoughts?|time|times|opinion|visit|visits|appointment|appointments|booking"
    r"|jabs?|vaccines?|vaccinations?|dose|booster|check-?up|one|ones|go|try|attempt|thing"
    r"|choice|option|floor|pet|cat|dog|puppy|kitten|birthday|week|month|year|place"
    # "the first Monday of next month", "the first slot on saturday": a weekday or a time
    # counted, never the 1st of a month
    r"|slots?|space|opening|mon|tue|tues|wed|weds|thu|thur|thurs"
    r"|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    # "cancel the first of the two" (normalised "the 1st of the 2"), set 226
    r"|of\s+(?:the\s+)?(?:2|3|two|three|them|those|these|both)"
    r")\b)"
    # "the first free slot" counts; "is the 25th free" asks about a date
    r"(?!(?<=\b1st)\s+(?:availability|available|free)\b)"
)
_PARTS = {
    "morning": "morning",
    "afternoon": "afternoon",
    "evening": "evening",
    "tonight": "evening",
    "lunchtime": "afternoon",
    "lunch": "afternoon",
    "arvo": "afternoon",  # Australian
}
# "afternoons only", "mornings are best": a part of the day when no singular one is said ("I
# can't do mornings, anything friday afternoon" wants the afternoon).
# am or pm straight after a day, with no hour: "sat am", "tues pm", "tomorrow pm".
_BARE_HALF_RE = re.compile(
    r"\b(?:today|tomorrow|tmrw|mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun|monday|tuesday"
    r"|wednesday|thursday|friday|saturday|sunday)\s+(?P<half>am|pm)\b"
)
_AFTER_WORK_RE = re.compile(r"\bafter\s+(?:work|school|my\s+shift)\b")
# A part of the day something is moved to: "back to the afternoon", "into the evening".
_PART_TARGET_RE = re.compile(
    r"\b(?:to|into|till|until)\s+(?:the\s+)?(?P<part>morning|afternoon|evening)\b"
)
_PARTS_PLURAL = {"mornings": "morning", "afternoons": "afternoon", "evenings": "evening"}
# A part of the day ruled out: "can't do mornings", "not in the morning", "no evenings" (a bare
# "no" or "but" before a singular is an answer: "no, afternoon please", "but afternoon works").
_PART_RULED_OUT_RE = re.compile(
    r"\b(?:can't|cannot|can\s+not|couldn't|don't|not|except)\s+(?:do\s+|make\s+|manage\s+"
    # ("can't get away in the mornings anymore")
    r"|get\s+(?:away|off|out|there|in)\s+|come\s+|be\s+there\s+)?"
    # ("can't do tomorrow morning anymore")
    r"(?:(?:on\s+|this\s+|next\s+)?(?:tomorrow|today|[a-z]+day)\s+)?"
    r"(?:in\s+)?(?:the\s+|any\s+)?(?:mornings?|afternoons?|evenings?)\b"
    r"|\bno\s+(?:mornings|afternoons|evenings)\b"
    # "busy in the morning but the afternoon works", "mornings are no good for me"
    r"|\b(?:busy|working|at\s+work|tied\s+up|unavailable|not\s+free|out)\s+(?:in\s+|during\s+)?"
    r"(?:the\s+|all\s+)?(?:mornings?|afternoons?|evenings?)\b"
    r"|\b(?:mornings?|afternoons?|evenings?)\s+(?:are\s+|is\s+)?(?:no\s+good|bad|difficult"
    r"|tricky|out|impossible|not\s+good|don't\s+work|doesn't\s+work|won't\s+work)\b"
)
_END_OF_DAY_RE = re.compile(
    r"\b(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+)?(?:day|afternoon|working\s+day)\b"
    r"|\blast\s+thing(?=\s+(?:on|in|at|tomorrow|today|[a-z]+day)\b|\s*$)"
)
_BEFORE_LUNCH_RE = re.compile(r"\b(?:before|by)\s+lunch(?:time)?\b")
# A time of day known by name: noon, and the British "elevenses" (the mid-morning break, at
# about 11). "Teatime" and "lunchtime" are not: they span hours that vary from home to home, so
# they give at most a part of the day and the time is asked.
_NAMED_TIME_RE = re.compile(r"\b(?P<noon>noon|midday|mid-day)(?:-?ish)?\b|\belevenses\b")
_APPROX_RE = re.compile(
    r"\b(?:around|about|roughly|approx(?:imately)?|ish)\b|\d-?ish\b|\b(?:noon|midday)-?ish\b"
    # a break "at elevenses" is about 11, never to the minute
    r"|\belevenses\b"
)
# "this time next week", "about this time tomorrow": now's time of day (to the nearest quarter
# hour, where appointments start), that many days on.
_THIS_TIME_RE = re.compile(
    r"\b(?:this|about\s+this|around\s+this)\s+time\s+(?P<when>next\s+week|tomorrow)\b"
)
_SAME_TIME_RE = re.compile(
    r"\bsame\s+(?:times?|hour)\b"
)  # "same times" of several bookings; "at the same hour"
_SAME_DAY_AND_TIME_RE = re.compile(
    r"\bsame\s+(?:day|date)\s+(?:and|&|n|/)\s*time\b|\bsame\s+time\s+(?:and|&|n|/)\s*(?:day|date)\b"
)
# "same time as this morning / as last week / as his last visit": the time of another visit; the
# day that names it is not the day asked for.
_SAME_TIME_AS_RE = re.compile(
    r"\bsame\s+times?\s+as\s+(?:(?:this|that|last|yesterday|today)(?:\s+(?:morning|afternoon"
    r"|evening|week|time|visit|one))?|before|earlier|(?:his|her|their|its|the|my)\s+last\s+"
    r"(?:one|visit|appointment|appt|time|check\s*up|jab|groom|booking))\b"
)
# An amount of time (normalised: "one" is "1", "mins" is "minutes"), in minutes by group.
_AMOUNT_RE = re.compile(
    r"(?P<half>half\s+an?\s+hour)|(?P<quarter>(?:a\s+)?quarter\s+of\s+an?\s+hour)"
    r"|(?P<hours>an?|\d{1,2}(?:\.5)?)\s+hours?(?P<and_half>\s+and\s+a\s+half)?"
    r"|(?P<minutes>\d{1,3})\s+minutes?"
    # "a day later", "push it back a week", "2 weeks later": whole days, the time kept
    r"|(?P<days>an?|\d{1,2})\s+(?P<unit>days?|weeks?)"
    # "push it back a fortnight": two weeks
    r"|(?P<fortnight>(?:an?\s+)?fortnight)"
)
_AMOUNT = re.sub(r"\?P<\w+>", "?:", _AMOUNT_RE.pattern)  # the same, without named groups
# A time counted from now: "in half an hour", "in like 20 minutes", "in an hour's time" (not
# "an hour later", a shift of a booking, nor days: "in 2 days" is a day).
_FROM_NOW_RE = re.compile(
    r"\b(?:in|within)\s+(?:(?:about|around|roughly|like|maybe|approx)\s+)?(?P<amount>half\s+an?"
    r"\s+hour|(?:a\s+)?quarter\s+of\s+an?\s+hour|(?:an?|\d{1,2}(?:\.5)?)\s+hours?(?:\s+and\s+a"
    r"\s+half)?|\d{1,3}\s+minutes?)(?:'s\s+time)?\b(?!\s+(?:later|earlier|sooner|back|before|after))"
)
# ("is possible to postpone of one hour?", the French "reporter d'une heure": set 162)
_LATER = r"(?:later|back|postponed?|delay(?:ed)?)"
# ("kindly prepone it by one hour": Indian English for moving it earlier)
_EARLIER = r"(?:earlier|sooner|forward|preponed?)"
# The direction next to the amount: "back an hour", "forward by 30 minutes", "an hour later".
_SHIFT_RE = re.compile(
    rf"\b(?P<before>{_LATER}|{_EARLIER})\s+(?:it\s+)?(?:by\s+|of\s+)?(?P<amount1>{_AMOUNT})\b"
    rf"|\b(?P<amount2>{_AMOUNT})\s+(?P<after>{_LATER}|{_EARLIER})\b"
    # "can we push it a wk? same time" (set 152): pushed on, later
    rf"|\b(?:push|bump|shift|knock)(?:ed|ing)?\s+(?:it|him|her|them|that|this|us|me)\s+"
    rf"(?:on\s+|over\s+)?(?:by\s+)?(?P<amount3>{_AMOUNT})\b"
)
_SAME_DAY_RE = re.compile(r"\bsame\s+day\b")
# Days counted from the day being talked about (a booking's, a proposal's): "the day after",
# "the next day", "the day before"; "same time next week" (never "the day after tomorrow").
_DAY_STEP_RE = re.compile(
    # "later that day after 5" (a "?" normalised away) is that day, not the one after it
    # ("push it to later in the day? after 4": that day too)
    r"(?<!that\s)(?<!this\s)(?<!same\s)(?<!later\sin\s)(?<!earlier\sin\s)"
    r"(?<!later\sin\sthe\s)(?<!earlier\sin\sthe\s)"
    r"\b(?:the\s+)?(?:(?P<after>day\s+after|next\s+day|following\s+day)"
    r"|(?P<before>day\s+before|previous\s+day))\b(?!\s+(?:tomorrow|that|it))"
    r"|\bsame\s+(?:times?|days?)\s+(?P<week>next\s+week|the\s+following\s+week|a\s+week\s+later"
    r"|the\s+week\s+after(?!\s+next))\b"
    r"|\b(?P<week2>next\s+week|the\s+following\s+week)\s+(?:instead\s+|please\s+|pls\s+|then\s+)?"
    r"(?:at\s+the\s+)?same\s+(?:times?|days?)\b"
    # "push Luna back to the following week", "move her to the week after", "postpone by a week",
    # "actually make it the week after"
    # ("could we do that the week after, same time?")
    # ("can you book teddy the same again the week after?", set 226)
    r"|\b(?P<week3>(?:to|into|till|until|make\s+it|do|for|be|go|come|again)\s+(?:(?:that|it|this)\s+)?"
    r"(?:the\s+)?(?:following\s+week|week\s+after)"
    r"(?!\s+next))\b|\bby\s+(?P<weeks>a|1|2|3|4)\s+weeks?\b"
    # "and the one 3 weeks after that"
    r"|\b(?P<weeks2>a|1|2|3|4|5|6)\s+weeks?\s+after\s+(?:that|it|this|then"
    # "a follow up a week after wednesday's appointment" (the weekday's owner blanked), "2
    # weeks after her jab"
    # ("a week after his last visit", set 160)
    r"|(?:(?:his|her|their|its|the|my|our|[a-z]+'s)\s+)?(?:(?:last|latest|previous|first)\s+)?"
    r"(?:appointment|appt|visit|booking|jab"
    r"|groom|check[\s-]?up|consultation|vaccinations?|dental"
    # "a booster 4 weeks after her first one" (the first jab of a course, the one booked)
    r"|(?:first|1st)\s+(?:one|jab|vaccination|injection|dose)))\b"
)
# Weeks counted from a day said before them: "tomorrow at 10.30 … a recheck 2 weeks after that"
# (``_DAY_STEP_RE``'s "weeks2", said of that day rather than of a booking).
_WEEKS_AFTER_THAT_RE = re.compile(r"\b(?:a|1|2|3|4|5|6)\s+weeks?\s+after\s+(?:that|it|then)\b")
# Calendar months counted from the day being talked about: "same time next month", "a month
# later", "same day the following month" (its date next month, by ``dateutil``'s calendar).
_MONTH_STEP_RE = re.compile(
    r"\bsame\s+(?:time|day|date)\s+(?:next\s+month|the\s+following\s+month|the\s+month\s+after"
    r"|a\s+month\s+later)\b"
    # ("the first monday of next month, same time": that Monday, no month counted on)
    r"|(?<!\bof\s)\b(?:next\s+month|the\s+following\s+month)\s+(?:instead\s+)?(?:at\s+the\s+"
    r"|on\s+the\s+)?same\s+(?:time|day|date)\b|\b(?P<n>an?|\d)\s+months?\s+later\b"
)
# The month after this one: "next month", "the following month", "in the new month".
_NEXT_MONTH_RE = re.compile(r"\b(?:next|the\s+following|the\s+new)\s+month\b")
# The British "Tuesday week" and "a week on Tuesday", and "Tuesday after next": that weekday of
# the following week.
_WEEKDAY_WEEK_RE = re.compile(
    r"\b(?P<day>mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday"
    r"|thursday|friday|saturday|sunday)\s+week\b"
    r"|\ba\s+week\s+(?:on|from)\s+(?P<day2>monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sunday)\b"
    # "the monday after next": the one after the coming Monday
    r"|\b(?P<day3>mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday"
    r"|thursday|friday|saturday|sunday)\s+after\s+next\b"
)
# Weeks counted from today: "in 2 weeks", "in a fortnight", "2 weeks from today", "a fortnight
# today", "in 3 weeks' time" (normalise writes number words as digits).
_WEEKS = r"(?:(?P<n>an?|\d{1,2})\s+weeks?|(?P<fortnight>an?\s+fortnight|fortnight))"
_WEEKS_AHEAD_RES = (
    re.compile(rf"\bin\s+{_WEEKS}(?:'?s?\s+time)?\b"),
    re.compile(rf"\b{_WEEKS}\s+(?:from\s+)?(?:today|now)\b"),
)
# British "a fortnight tomorrow", "a week tomorrow": that many weeks after tomorrow.
_WEEKS_FROM_TOMORROW_RE = re.compile(
    # ... and "tomorrow week", said the other way round
    rf"\b{_WEEKS}\s+(?:from\s+)?tomorrow\b|\btomorrow\s+(?P<after>week|fortnight)\b"
)
# Weeks counted from a weekday: "a fortnight on Tuesday", "2 weeks from friday", "tuesday
# fortnight" (the British "a week on Tuesday" is _WEEKDAY_WEEK_RE).
_DAY_NAMES = (
    r"mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday"
)
_WEEKS_ON_DAY_RE = re.compile(
    rf"\b{_WEEKS}\s+(?:on|from)\s+(?:this\s+|next\s+)?(?P<day>{_DAY_NAMES})\b"
    rf"|\b(?P<day2>{_DAY_NAMES})\s+fortnight\b"
)


# "the first Monday of next month", "the 2nd tuesday in january", "the last friday of the month"
# (normalised: "first" is "1st"): that weekday counted in that month.
_NTH_WEEKDAY_RE = re.compile(
    # (no place said: "any saturdays free in january?", "a tuesday in january": the first)
    r"\b(?:(?P<nth>1st|2nd|3rd|4th|last)\s+|(?:a|any|one|some)\s+)?(?<!this\s)(?<!next\s)"
    r"(?P<day>monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday|mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)s?\s+(?:free\s+|available\s+)?"
    r"(?:of|in)\s+"
    rf"(?:(?:the\s+)?(?P<which>next|this|the|following)\s+month|(?P<month>{_MONTH_WORD}))\b"
)
# The same with the month said apart: "early next month? The first Tuesday", "in January, the
# second friday".
_NTH_WEEKDAY_ALONE_RE = re.compile(
    r"\b(?P<nth>1st|2nd|3rd|4th|last)\s+(?P<day>monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday|mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)\b"
)
_MONTH_SAID_RE = re.compile(
    rf"\b(?:(?:the\s+)?(?P<which>next|following)\s+month|in\s+(?P<month>{_MONTH_WORD}))\b"
)
# "the end of the month", "end of this month", "at the end of next month"; "until the end of the
# month" bounds an absence and names no day.
_MONTH_END_RE = re.compile(
    r"\b(?P<bound>(?:until|till|til|up\s+to)\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+"
    r"|(?P<next>next\s+))month\b"
)

# "the end of the week", "end of this week", "end of next week"; "until the end of the week"
# bounds an absence and names no day.
_WEEK_END_RE = re.compile(
    r"\b(?P<bound>(?:until|till|til|up\s+to|back|by)\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+"
    r"|(?P<next>next\s+))week\b"
)


def _weeks(found: re.Match[str]) -> int:
    """The number of weeks a ``_WEEKS`` match says ("a fortnight" = 2, "a week" = 1)."""
    if found["fortnight"] or found.groupdict().get("day2"):
        return 2
    number = found["n"]
    return 1 if number is None or not number.isdigit() else int(number)


# Days known by name whatever the country's public holidays ("boxing day" is one in the UK, not
# in France): (month, day), the next such date from today on.
_NAMED_DATES = (
    (re.compile(r"\bboxing\s+day\b"), (12, 26)),
    (re.compile(r"\b(?:christmas|xmas)\s+eve\b"), (12, 24)),
    (re.compile(r"\bnew\s+year'?s\s+eve\b|\bhogmanay\b"), (12, 31)),
    (re.compile(r"\bhallowe'?en\b"), (10, 31)),
    (re.compile(r"\bvalentine'?s\s+day\b"), (2, 14)),
)
# A past date is only questioned when it is this recent; further back it means next year.
_PAST_DATE_WINDOW = timedelta(days=183)


@dataclass(frozen=True)
class When:
    """What a message says about a day and a time; every part may be missing.

    ``day`` is a local date; ``clock`` a local wall-clock time; ``part`` is ``morning``,
    ``afternoon`` or ``evening``; ``approximate`` for "around 10" / "10ish"; ``past_day`` an
    explicit date that has already passed; ``same_time`` / ``same_day`` for corrections that keep
    the other part ("same time Saturday")."""

    day: date | None = None
    clock: time | None = None
    part: str | None = None
    approximate: bool = False
    past_day: date | None = None
    same_time: bool = False
    same_day: bool = False
    # The day came from a bare day of the month ("the 4th") that is weeks away: on a call, where
    # "the fourth" may be a mishearing, it is worth asking.
    far_day_number: bool = False
    # "back an hour", "30 minutes earlier": how far to move the time being talked about.
    shift: timedelta | None = None
    # a weekday said after a shift of whole weeks, as the day in the week it lands in
    shift_weekday: bool = False
    # "same time next month": calendar months on from the day being talked about (0: none).
    months: int = 0
    # A time that contradicts itself, as said ("13 in the morning", "15:00 am"): ``clock`` is
    # then None, as no time can be read from it; the customer is asked instead.
    clash: str | None = None
    # A weekday said beside a date that falls on another ("Tuesday the 10th" when the 10th is a
    # Thursday): (the date said, the nearest date on the weekday said); ``day`` is then None, as
    # either may be meant and the customer is asked.
    weekday_clash: tuple[date, date] | None = None
    # A holiday asked about beside the day wanted ("open on Christmas Day? if not, sat at 11"):
    # the holiday's date, for the answer; ``day`` is the other day.
    open_asked: date | None = None

    @property
    def anything(self) -> bool:
        return any(
            (
                self.day,
                self.clock,
                self.part,
                self.past_day,
                self.same_time,
                self.same_day,
                self.shift,
                self.months,
                self.clash,
                self.weekday_clash,
            )
        )

    def months_on(self, day: date) -> date:
        """``day`` plus ``months`` calendar months (the 31st becomes the month's last day)."""
        return day + relativedelta(months=self.months)

    def shifted(self, start: datetime) -> When:
        """``start`` (local) moved by ``shift``, as a day and a time (a time said with a shift of
        whole days is kept); self when no shift. A shift of whole weeks with a weekday said after
        it (``shift_weekday``) is that weekday in the week it lands in ("can her dental go to
        the following week instead? tuesday at 9", "… tuesday the 22nd at 9", set 207)."""
        if self.shift is None:
            return self
        moved = start + self.shift
        clock = moved.time()
        if self.clock is not None and self.shift % timedelta(days=1) == timedelta(0):
            clock = self.clock  # "the day after at 5": that day, at the time said
        day = moved.date()
        if self.shift_weekday and self.day is not None and self.day.weekday() != start.weekday():
            day += timedelta(days=self.day.weekday() - day.weekday())
        return replace(self, day=day, clock=clock, shift=None)

    def at(self, zone_now: datetime) -> datetime | None:
        """The local datetime (aware, in ``zone_now``'s zone) when both day and time are known."""
        if self.day is None or self.clock is None:
            return None
        return datetime.combine(self.day, self.clock, tzinfo=zone_now.tzinfo)


_DAY_WORD = (
    r"(?:today|tomorrow|tonight|mon(?:day)?|tue(?:s|sday)?|wed(?:s|nesday)?|thu(?:r|rs|rsday)?"
    r"|fri(?:day)?|sat(?:urday)?|sun(?:day)?|this\s+\w+|the\s+\d{1,2}(?:st|nd|rd|th))"
)
# The day meant, said after a slip: "sorry, sunday i mean", "i meant friday".
_DAY_MEANT_RE = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+i\s+mean(?:t)?\b"
    r"|\bi\s+mean(?:t)?\s+(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day\b"
    # ("friday the 25th at 10am / oh lol thats christmas isnt it the 23rd i mean", set 214)
    r"|\bthe\s+\d{1,2}(?:st|nd|rd|th)\s+i\s+mean(?:t)?\b",
    re.IGNORECASE,
)
# A day given up after it was asked: "thursday at 10? actually no scrap thursday".
_DAY_SCRAPPED_RE = re.compile(
    r"\b(?:scrap|ditch|forget(?:\s+about)?)\s+(?P<day>(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b",
    re.IGNORECASE,
)
_A_WEEKDAY_RE = re.compile(
    r"\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|today|tomorrow|(?:the\s+)?\d{1,2}(?:st|nd|rd|th))\b",
    re.IGNORECASE,
)


def without_day_slips(text: str) -> str:
    """``text`` (as written or normalised) without the days it takes back: those said before
    "sorry, sunday i mean" ("are you open saturday afternoon? sorry, sunday i mean"), and a
    day said again to be scrapped ("can teddy have a check up thursday at 10? actually no
    scrap thursday", set 180)."""
    meant = _DAY_MEANT_RE.search(text)
    if meant is not None:
        before = _A_WEEKDAY_RE.sub(" ", text[: meant.start()])
        text = before + text[meant.start() :]
    scrapped = _DAY_SCRAPPED_RE.search(text)
    if scrapped is not None:
        before = re.sub(rf"\b{scrapped['day']}\b", " ", text[: scrapped.start()], flags=re.I)
        text = before + text[scrapped.start() :]
    return text


# "the day after, the friday": the day after a weekday said before, named as well.
_DAY_AFTER_NAMED_RE = re.compile(
    r"\b(?:the\s+)?day\s+after\s+(?:that\s+)?(?:the|on)\s+"
    r"(?P<day>(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b"
)


def _day_after_named(text: str, now: datetime) -> str:
    """Normalised ``text`` with "my last shift … is thursday next week, so could nutmeg come in
    the day after, the friday?" (set 184) said as that Friday's date: the day before it read
    from the words before (``now``: aware, local), and the weekday named the day after it."""
    found = _DAY_AFTER_NAMED_RE.search(text)
    if found is None:
        return text
    head = text[: found.start()]
    anchor = read_when(head, now=now).day
    if anchor is None or (anchor.weekday() + 1) % 7 != _WEEKDAYS.index(found["day"]):
        return text
    day = anchor + timedelta(days=1)
    return f"{day.day} {day:%B} {text[found.end() :]}".lower()


# A day named only to be ruled out: "not friday", "can't make saturday anymore".
# A bare ordinal is a day of the month only where a date goes ("the 4th", "on the 4th",
# "Monday 7th", "4th at 4"), not "her 1st jabs" or "my 2nd visit".
_DAY_NUMBER_RE = re.compile(
    # ("could we do wednesday, same time as the first?": the first jab, set 226)
    rf"(?:(?<!\bas\s)\bthe\s+|\bon\s+|{_DAY_WORD}\s+|^){_ORDINAL}\b{_COUNTED_NOUN}"
    r"|(?<!\bas\sthe\s)(?<!\ba\s)(?<!\bmy\s)(?<!\bher\s)(?<!\bhis\s)(?<!\bour\s)(?<!\byour\s)(?<!\btheir\s)"
    # "let me ask my wife first" (normalised "1st"): closing a sentence, 1st is "first"
    r"(?!1st\s*(?:,|$|please|pls|\?))"
    rf"\b{_ORDINAL}(?=\s*(?:at|@|,|$|\d|in\s+the|morning|afternoon|evening|please|pls|\?))"
)
# Two visits in a row, "one after the other" / "one after another" (normalised "1 after …").
_ONE_AFTER_ANOTHER_RE = re.compile(r"\b1\s+after\s+(?:the\s+other|another)\b")
# Our own hours said back: "you shut at 1", "you close at 7 don't you", "you open at 9".
_OUR_HOURS_SAID_RE = re.compile(
    # (not asked: "do you open at 8 on saturdays?", "are you open 25 december?")
    r"(?<!\bdo\s)(?<!\bdoes\s)(?<!\bwhen\s)(?<!\bwill\s)(?<!\bare\s)"
    r"\byou(?:'re|\s+are)?\s+(?:shut|close|closed|closing|open|opening)\s+(?:at\s+)?\d{1,2}"
    r"(?:[:.]\d{2})?\s*(?:am|pm)?\b"
    # (nor a date: "open 25 december", "open on the 24th")
    r"(?!\s*(?:st|nd|rd|th)\b|\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))"
)
# Hours ruled out as a range: "except between 12 and 2", "but not 1-3pm", "apart from 12 to 2".
_HOURS_RULED_OUT_RE = re.compile(
    r"\b(?:except|apart\s+from|but\s+not|not)\s+(?:between\s+|from\s+)?\d{1,2}(?:[:.]\d{2})?"
    r"\s*(?:am|pm)?\s*(?:and|to|-|till|until)\s*\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?"
    # an hour they cannot do: "ah, I can't do 3. could it be first thing wednesday instead?"
    r"|\b(?:can't|cannot|can\s+not|couldn't)\s+(?:do|make)\s+(?:it\s+)?(?:at\s+)?(?:half\s+)?"
    r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|o'?clock)?(?!\s*(?:st|nd|rd|th)\b|/|\s+(?:on|this|next)\b)"
)
# When someone rang or wrote: "rang me this morning", "phoned us yesterday", "texted earlier".
_CALLED_WHEN_RE = re.compile(
    r"\b(?:rang|called|phoned|texted|messaged|emailed|e-mailed|wrote|spoke\s+to\s+(?:me|us))"
    r"(?:\s+(?:me|us|him|her|them))?\s+(?:this\s+morning|yesterday(?:\s+(?:morning|afternoon|evening))?"
    r"|last\s+night|earlier(?:\s+today)?|today)\b"
)
# When a pet died: "we lost shadow on saturday", "she passed away yesterday", "was put to sleep
# last week".
_DIED_WHEN_RE = re.compile(
    r"\b(?:lost|died|passed(?:\s+away|\s+on)?|put\s+to\s+sleep|put\s+down)\b[^.,;!?]{0,25}?"
    r"\b(?:on\s+)?(?:last\s+|this\s+(?:past\s+)?)?(?:monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sunday|yesterday|today|this\s+morning|last\s+night|week|weekend)\b"
)
# "Good afternoon!", and "morning! could milo…" (a greeting heading the message, no part asked)
_GREETING_RE = re.compile(
    r"\bgood\s+(?:morning|afternoon|evening)\b"
    r"|^(?:(?:hi|hey|hello|hiya)\s+)?(?:morning|afternoon|evening)"
    r"(?=\s*[!,.]|\s+(?:all|there|folks|guys|team|love|hun|i|i'm|im|i've|just|hope|my|our|we"
    # ("morning, can dexter come later on saturday?": a greeting, then the pet asked for)
    r"|quick|hi|hello|hey|sorry|any|anything|do|does|got"
    # ("Morning, have you got anything on wednesday around 5?", set 144)
    r"|have|has|what|when|how|need|wondering"
    # ("morning, saturday's not going to work for cosmo", its comma gone: set 163)
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day's)\b"
    r"|\s+(?:could|can|would|will)\s+(?:you|u|i|we|\w+'s\b"
    r"|[a-z]+\s+(?:come|have|get|be\s+seen|pop|go)\b))"
)
# A time of the customer's or the pet's own day, never the one asked for, whatever else is said:
# "he normally has breakfast at 9", "i have to be back for 5", "he starts work at 11" (set
# 184/185; what it bounds is read from the words around it).
_THEIR_OWN_HOUR_RE = re.compile(
    r"\b(?:i|we|he|she|they)\s+(?:normally\s+|usually\s+|always\s+)?(?:has|have|eats?|gets?)\s+"
    r"(?:his|her|their|my|our)?\s*(?:breakfast|dinner|lunch|tea|food|meds|medication|tablets?)\s+"
    r"(?:at|around|about)\s+\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?\b"
    # ("how long does it take? need to be back for 1", the "i" left out, set 228)
    r"|(?:\b(?:i|we|he|she)\s+|(?:^|(?<=\s))(?=need\s|have\s|gotta\s|got\s))(?:have\s+to|has\s+to"
    r"|need\s+to|needs\s+to|must|gotta|got\s+to)\s+be\s+"
    # (not "i need to be out by 11", which bounds the visit itself)
    r"(?:back|home|at\s+work|in\s+work)\s+(?:for|by)\s+\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?\b"
    r"|\b(?:i|we|he|she)\s+(?:start|starts)\s+(?:work|his\s+shift|her\s+shift|my\s+shift)\s+at\s+"
    r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?\b"
)


# The hours of a shift or an event of the customer's own, a range: "a late shift thursday, 2
# till 10", "my daughter's carol concert friday, 9 till 11", "earlies tuesday, 6 till 2" (set
# 201). Only the range is theirs; the day said with it may be the booking's.
_OWN_RANGE_RE = re.compile(
    # (not the hours of work or school, which bound the visit: "i work 9-5 … when could max
    # come in?" is after 5, ``switchboard.understanding.windows``)
    r"\b(?:shifts?|earlies|earlys|lates|nights|concert|nativity|play|meeting|lesson|course"
    r"|training|exam|interview|funeral|wedding|party|match|flight|hospital|dentist|doctors?)\b"
    r"(?:\s+[a-z']+){0,3}?\s+(?P<range>(?:from\s+)?\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?"
    r"\s*(?:till|til|until|to|-)\s*\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?)\b"
)
# Kept at work until an hour: "my boss has just put me on till 6 on thursday" (set 201).
_OWN_UNTIL_RE = re.compile(
    r"\b(?:put\s+me\s+on|i'm\s+on|im\s+on|on|working|work|at\s+work|in\s+work|busy)\s+"
    r"(?:till|til|until)\s+(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>am|pm)?\b"
)
# What comes after it: "could paddy's be moved to after that?", "i can be there by quarter past"
_AFTER_THAT_RE = re.compile(r"\bafter\s+(?:that|then)\b")
_PAST_ALONE_RE = re.compile(r"\b(?:by\s+|at\s+)?(?P<part>quarter|half|twenty)\s+past\b(?!\s+\d)")
_PAST_MINUTES = {"quarter": 15, "half": 30, "twenty": 20}


def without_their_own_hours(text: str) -> str:
    """Normalised ``text`` without the hours of the customer's or the pet's own day
    (``_THEIR_OWN_HOUR_RE``): "he normally has breakfast at 9", "i have to be back for 5"; the
    range of a shift or an event of theirs ("a late shift thursday, 2 till 10"); and an hour
    they work until read where the visit is said after it ("on till 6 … moved to after that?
    i can be there by quarter past": after 6, at a quarter past 6)."""
    text = _THEIR_OWN_HOUR_RE.sub(" ", text)
    ranged = _OWN_RANGE_RE.search(text)
    while ranged is not None:
        text = f"{text[: ranged.start('range')]} {text[ranged.end('range') :]}"
        ranged = _OWN_RANGE_RE.search(text)
    until = _OWN_UNTIL_RE.search(text)
    rest = text[until.end() :] if until is not None else ""
    if until is not None and (_AFTER_THAT_RE.search(rest) or _PAST_ALONE_RE.search(rest)):
        hour = until["hour"] + (f" {until['half']}" if until["half"] else "")
        rest = _AFTER_THAT_RE.sub(f"after {hour}", rest)
        rest = _PAST_ALONE_RE.sub(
            lambda m: (
                f"at {until['hour']}:{_PAST_MINUTES[m['part']]:02d}"
                + (f" {until['half']}" if until["half"] else "")
            ),
            rest,
        )
        text = f"{text[: until.start()]} {rest}"
    return text


# A pet's age told: "he's about 12 and his teeth look awful", "she's nearly 15, so", "he is 9
# now" (set 178), never "she's at 12" or "it's about 12 for me".
_AGE_TOLD_RE = re.compile(
    r"\b(?:he's|she's|he\s+is|she\s+is|hes|shes)\s+(?:about|around|nearly|almost|roughly"
    r"|only|just|over|getting\s+on\s+for)?\s*\d{1,2}(?:\s*(?:years?|yrs?|months?|weeks?)"
    r"(?:\s+old)?)?(?=\s*(?:$|[,;!]|\.(?!\d)|\band\b|\bnow\b|\bso\b|\bbut\b|\bthis\s+year\b))"
)
# The week of a booking asked about: "when's rex in this week?", "what day is bella booked
# this week?"
BOOKING_WEEK_ASKED_RE = re.compile(
    r"(?P<asked>\b(?:when's|when\s+is|what\s+day\s+is|what\s+time\s+is)\s+[a-z]+(?:'s)?\s+"
    r"(?:(?:in|booked|coming|due)\s+)?(?:in\s+)?)this\s+week\b"
)
# A holiday said to be so, not asked for: "of course it's christmas", "that's boxing day".
_HOLIDAY_TOLD_RE = re.compile(
    # ("ah claro, sorry 🤦 is Christmas", set 177: the "it" of another language dropped)
    # ("ah of course, christmas 🤦 the 24th then?", set 203)
    r"(?:\b(?:it's|it\s+is|that's|that\s+is|its)|\b(?:sorry|oh|ah|course|right|yes)\W+is"
    r"|\bof\s+course)"
    r"\s+(?:christmas(?:\s+day)?|xmas|boxing\s+day"
    r"|new\s+year(?:'s)?(?:\s+day)?|easter(?:\s+monday)?)\b"
)
# The customer's trip on a day of the month: "we fly out on the 16th", "we leave on the 20th".
_TRIP_DAY_RE = re.compile(
    r"\b(?:fly|flying|flight|leave|leaving|travel\w*|go\s+away|going\s+away|off\s+away|set\s+off"
    # ("back from a work trip on the 20th, could wilbur come in on monday the 21st?", set 213)
    r"|(?:back|home|return\w*)(?:\s+from\s+(?:a|my|our|the)\s+(?:[a-z]+\s+)?(?:trip|holiday"
    r"|holidays|break|conference))?)"
    r"\s+(?:out\s+)?(?:is\s+)?on\s+the\s+\d{1,2}(?:st|nd|rd|th)\b"
)
# Two days offered by the customer, the first free wanted: "thursday or friday after 3pm,
# whichever is first", "wed or thurs, whichever's sooner".
_WHICHEVER_FIRST_RE = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\s+or\s+(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b"
    r"(?=[^.?!]{0,40}\bwhichever(?:'s|\s+is|\s+comes)?\s+(?:first|1st|sooner|earlier|earliest)\b)"
)
# Good wishes for a holiday or a day: "have a lovely christmas", "merry xmas", "happy new year
# to you all", "enjoy your weekend": no day asked.
WISHES_RE = re.compile(
    r"\b(?:(?:have|wishing\s+you|wish\s+you)\s+(?:a\s+)?(?:lovely|good|great|nice|merry|happy"
    r"|wonderful|fab|fabulous|brilliant|peaceful|restful)\s+|merry\s+|happy\s+|enjoy\s+(?:your|the)\s+)"
    r"(?:christmas|xmas|new\s+year|weekend|holidays?|easter|day|evening|festive\s+season)\b"
)
_NEXT_WEEK_RE = re.compile(r"\bnext\s+week\b|\bweek\s+after\s+next\b")
# A weekday ruled out for the one a week after it: "not this thursday but the one after".
_ONE_AFTER_RULED_OUT_RE = re.compile(
    r"\bnot\s+(?:this\s+)?(?P<day>monday|tuesday|wednesday|thursday|friday|saturday)\b\s*,?\s*"
    r"(?:but\s+|rather\s+)?the\s+(?:1|one)\s+after(?:\s+that)?\b"
)
# A day gone by that something has lasted since: "she's been off her food since saturday".
_SINCE_DAY_RE = re.compile(
    r"\b(?:ever\s+)?since\s+(?:last\s+|this\s+(?:past\s+)?)?(?:monday|tuesday|wednesday|thursday"
    r"|friday|saturday|sunday|the\s+weekend)\b"
)
_RULED_OUT_RE = re.compile(
    # ("actually no scrap thursday sorry, I'm working", set 180)
    rf"\b(?:not|scrap|ditch|forget(?:\s+about)?|can't\s+(?:make|do)|cannot\s+(?:make|do)|won't\s+make|can\s+no\s+longer\s+make"
    # "max won't be coming thursday", "we can't come in on friday after all"
    rf"|(?:won't|will\s+not|can't|cannot|isn't|aren't|not)\s+(?:be\s+)?(?:coming|come|able\s+to\s+come"
    rf"|make\s+it|be\s+there|in)(?:\s+in)?)\s+(?:it\s+)?(?:on\s+)?(?:this\s+|the\s+)?{_DAY_WORD}s?\b"
    # (with its part: "can't do tomorrow morning, how about thursday at 3" asks no morning)
    r"(?:\s+(?:morning|afternoon|evening)s?\b)?"
    # "wednesday is bad", "friday doesn't work for us", "monday's no good"
    rf"|\b{_DAY_WORD}(?:'s|\s+is|\s+isn't|\s+is\s+not)?\s+(?:bad|no\s+good|not\s+good|out"
    rf"|impossible|difficult|tricky|awkward|full)\b"
    rf"|\b{_DAY_WORD}\s+(?:doesn't|does\s+not|won't|will\s+not)\s+work\b"
    rf"|\b{_DAY_WORD}\s+(?:isn't|is\s+not|won't\s+be|doesn't\s+suit|does\s+not\s+suit)\b"
    # "any day but friday", "except monday", "apart from wednesday"
    rf"|\b(?:(?:any\s*(?:day|time|thing)|anything|whenever)\s+(?:but|except)|except(?:\s+for)?"
    rf"|apart\s+from|other\s+than|excluding)\s+(?:on\s+)?{_DAY_WORD}\b"
    # an hour turned down for the one before it: "11 rather than 10", "3 instead of 2", "4 not 5"
    r"|(?:(?<=\d)|(?<=[ap]m))\s+(?:rather\s+than|instead\s+of|not)\s+(?:at\s+)?\d{1,2}(?:[:.]\d{2})?"
    r"(?:\s*[ap]m)?\b"
)

_FIRST_OF_LIST_RE = re.compile(
    r"\b(?:1st|first)\s+(?:up|off|of\s+all|things\s+1st|things\s+first)\b"
)
_INSTEAD_OF_DAY_RE = re.compile(rf"\b(?:instead\s+of|rather\s+than)\s+(?:on\s+)?{_DAY_WORD}\b")
# A day said with "instead" after it: "… can't drop him off on Thursday … could we do Friday
# instead at the same time" (the day asked, whatever day came before it).
_DAY_INSTEAD_RE = re.compile(rf"\b(?:do|on|for|to|make\s+it)\s+{_DAY_WORD}\s+instead\b")


def ruled_out_weekdays(text: str) -> set[int]:
    """The weekdays (0 = Monday) normalised ``text`` rules out: "just not monday", "any day but
    friday", "wednesday is bad"; empty when it rules none out."""
    found: set[int] = set()
    # ("not this friday but the one after, the 18th": that weekday asked, a week on; set 147)
    text = _ONE_AFTER_RULED_OUT_RE.sub(" ", text)
    for ruled in _RULED_OUT_RE.finditer(text):
        named = _weekday_in(ruled.group(0))
        if named is not None:
            found.add(named[0])
    return found


# An hour asked about on its own: "12 ok?", "would 3 work", "is 10.30 possible".
# A bare hour given loosely at the end of its clause: "like 11", "say 3", "around 4" (not "like
# 2 of them", "about 3 weeks")
_HOUR_LOOSELY_RE = re.compile(
    r"\b(?:like|say|around|about|roughly)\s+((?:[1-9]|1\d|2[0-3])(?:[:.][0-5]\d)?)(?![:.]?\d)"
    r"(?=\s*(?:$|[.;!?]|ish\b|please\b|pls\b|if\b|or\s+so\b|would\b|works?\b|is\b|my\b|thanks?\b))"
)
_HOUR_ASKED_RE = re.compile(
    # ("quarter to 4 work?" keeps its quarter: the hour of "to 4", "past 4" is not alone)
    # (nor "smudge's one is fine where it is", set 209: normalised "smudge's 1")
    r"(?<![:.\d])(?<!at\s)(?<!to\s)(?<!past\s)(?<!after\s)(?<!half\s)(?<!quarter\s)(?<!'s\s)"
    r"\b((?:[1-9]|1\d|2[0-3])(?:[:.][0-5]\d)?)\s+"
    # ("9 was right after all": the hour said to be the right one)
    r"(?=(?:(?:was|is)\s+(?:right|correct|better|best|fine)|ok|okay|alright|work|works"
    r"|good|possible|doable)\b)"
)
# A time that only bounds the one wanted: "anytime before 11", "I'm at work until 5" say what
# is not wanted, never the time to book.
_BOUND_TIME_RE = re.compile(
    # (not "not before 10": the earliest, read as the time from which, ``_read_clock``)
    # (nor "can't get there before 7.30": the earliest they can)
    r"(?<!\bnot\s)(?<!\bthere\s)\b(?:before|until|till|til|no\s+later\s+than"
    # "will she be done by 10?", "out by 11": when the visit must end, not start
    r"|(?:done|finished|out|ready|over|through)\s+by)\s+\d{1,2}(?:[:.h]\d{2})?(?:\s*[ap]m)?\b"
)
# A range of times: "between 2 and 4", "from 3 to 5pm", "between 10:30 and 12".
_TIME_RANGE_RE = re.compile(
    r"\b(?:between|from)\s+(?P<start>\d{1,2}(?:[:.h]\d{2})?(?:\s*[ap]m)?)\s+(?:and|to|-)\s+"
    r"\d{1,2}(?:[:.h]\d{2})?(?:\s*(?P<marker>[ap]m))?\b"
)
# A day that bounds an absence ("I'm in Lyon until Thursday, could he come friday"): when
# another day is named, that one is asked for.
_UNTIL_RE = re.compile(
    rf"\b(?:until|till|til|away\s+on|back\s+on)\s+{_DAY_WORD}\b"
    # "my car's in the garage till next week": an absence bounded, not a week asked for
    r"|\b(?:until|till|til|back)\s+(?:next\s+week|the\s+weekend|the\s+end\s+of\s+the\s+week)\b"
)
# A day said of something that already happened: "we got him on Saturday", "she hasn't eaten
# since saturday", "last friday". When the message names another day, that one is asked for.
_WEEKDAY_WORD = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|weds?|thu(?:rs?)?"
    r"|fri|sat|sun)(?:\s+(?:morning|afternoon|evening|night))?"
)
# Past tenses (irregular, and "-ed" but for words that only end so: "need", "wed", and the
# "booked"/"scheduled" that name a booking's day, which other rules read).
_PAST_VERB = (
    r"(?:got|was|were|had|went|came|began|saw|ate|brought|took|fell|found|bought|been"
    r"|threw|caught|left|gave|(?!(?:need|feed|seed|bleed|breed|speed|wed|bed|shed|red|proceed"
    r"|succeed|indeed|exceed|booked|scheduled|planned|arranged|reserved|interested|supposed"
    r"|allowed|prepared|preferred)\b)[a-z]{2,}ed)"
)
# Opening asked about: "are you open on Christmas Day?", "do you shut on boxing day".
_OPEN_ASKED_RE = re.compile(r"\b(?:open|closed|shut|close)\b")
_PAST_DAY_RE = re.compile(
    rf"\b(?:since|last|this\s+past)\s+(?P<day>{_WEEKDAY_WORD})\b"
    # the verb and the day in one clause, no request between ("…got a puppy on Saturday")
    rf"|\b{_PAST_VERB}\b(?:(?!\b(?:to|could|can|will|would|want|wants|need|needs|please|if"
    rf"|and|but|so|then|book|come|hoping|wondering|thinking|looking|planning|wanting|trying"
    rf"|asking|going|calling)\b)[^,.;!?]){{0,40}}?\bon\s+(?P<day2>{_WEEKDAY_WORD})\b"
    # a visit thanked for: "thanks for seeing him today, can Pudding come friday at 10?"
    r"|\b(?:thanks|thank\s+you|cheers)\s+(?:so\s+much\s+|again\s+)?for\s+[a-z]+ing\b"
    r"(?:(?!\b(?:can|could|will|would|please|and|but|so|then)\b).){0,30}?"
    r"\b(?P<day3>today|this\s+morning|this\s+afternoon|yesterday)\b"
    # a day of the month in the story: "scratching since we got back from holiday on the 1st"
    rf"|\b{_PAST_VERB}\b(?:(?!\b(?:to|could|can|will|would|want|wants|need|needs|please|if"
    rf"|and|but|so|then|book|come)\b)[^,.;!?]){{0,40}}?\bon\s+the\s+(?P<day4>\d{{1,2}}(?:st|nd|rd|th)?)\b"
    # a place, not a day: "we've just moved to the 11th" (the arrondissement), "moved into the
    # 3rd floor"
    r"|\b(?:we've|we\s+have|i've|i\s+have|we|i|just)\s+(?:just\s+|recently\s+)?moved\s+"
    r"(?:to|into|in\s+to)\s+the\s+(?P<day5>\d{1,2}(?:st|nd|rd|th))\b"
    # "archie started his antibiotics this morning": what happened, not when to come
    rf"|\b{_PAST_VERB}\b(?:(?!\b(?:to|could|can|will|would|want|wants|need|needs|please|if"
    rf"|and|but|so|then|book|come)\b)[^,.;!?]){{0,30}}?\b(?P<day6>this\s+morning|earlier\s+today)\b"
    # "my sister did hers at the weekend", "last weekend" (set 157)
    rf"|\b(?:{_PAST_VERB}|did)\b(?:(?!\b(?:to|could|can|will|would|want|wants|need|needs|please"
    r"|if|and|but|so|then|book|come)\b)[^,.;!?]){0,30}?\b(?P<day7>(?:at|over|on)\s+the\s+weekend)\b"
    r"|\b(?P<day8>last\s+weekend)\b"
)


# The visit asked for on a weekday just passed: "book bella for last friday at 10", "can he come
# on last tuesday". Said of the past otherwise ("limping since last friday", "we saw you last
# friday"), it is no day asked for.
_LAST_WEEKDAY_ASKED_RE = re.compile(rf"(?<!\bsince\s)\b(?:for|on)\s+last\s+{_WEEKDAY_WORD}\b")


def _last_weekday_asked(text: str, today: date) -> date | None:
    """The date of the weekday just passed that ``text`` asks for (``_LAST_WEEKDAY_ASKED_RE``),
    a week back when today is that weekday; None when none is asked for, or a past tense says
    it is a story, not a request."""
    found = _LAST_WEEKDAY_ASKED_RE.search(text)
    if found is None or re.search(rf"\b{_PAST_VERB}\b", text):
        return None
    weekday = _weekday_in(found.group(0))
    if weekday is None:
        return None
    return today - timedelta(days=(today.weekday() - weekday[0]) % 7 or 7)


# A weekday owning something ("same as tuesday's", "tuesday's appointment") names a booking
# already made, not the day wanted, when another day is said too.
_OWNED_DAY_RE = re.compile(
    rf"\b{_WEEKDAY_WORD}'s\b"
    # ... or its visit said first: "a week after his appointment on wednesday"
    rf"|(?<=\bafter\s)(?:his|her|their|its|the|our|my)\s+(?:appointment|appt|visit|booking|jab"
    rf"|vaccination|check\s*-?up|op|operation|surgery|dental|groom)\s+on\s+{_WEEKDAY_WORD}\b"
)
# The customer's working hours: "i work 9-5 mon to fri", "I'm at work from 8 till 6 every day"
# (``start`` and ``end`` hours, ``days`` when said). Their hours, never the visit's time; the
# agent offers no time inside them.
WORKING_HOURS_RE = re.compile(
    r"\b(?:i|we)\s*(?:work|'m\s+at\s+work|am\s+at\s+work|'m\s+working|am\s+working)\s+"
    # ("i work mon-fri 9 to 6", normalised "i work weekdays 9 to 6")
    r"(?:(?:weekdays|mon(?:day)?\s*(?:-|to|till)\s*fri(?:day)?|every\s+day)\s+)?(?:from\s+)?"
    r"(?P<start>\d{1,2})(?:[:.]\d{2})?\s*(?:am)?\s*(?:-|–|to|till|until)\s*(?P<end>\d{1,2})"
    r"(?:[:.]\d{2})?(?:\s*pm)?(?P<days>\s+(?:mon(?:day)?\s*(?:-|to|till)\s*(?:fri|sat)(?:urday|day)?"
    r"|weekdays|every\s+day|7\s+days))?"
)
# The customer's own plans and their time, not the visit's: "as I have a hospital appointment of
# my own at 11", "i've got work at 3", "my train is at 5".
# A part of a day the customer is busy: "i've got the dentist friday morning", "we have work
# on tuesday afternoon" (the part is theirs, not the visit's; the day may still be).
_PART_TAKEN_RE = re.compile(
    r"\b(?:i|we)(?:\s+have|'ve|\s+had|'m\s+at|\s+am\s+at|\s+are\s+at|'re\s+at)(?:\s+got)?\s+"
    r"(?:the\s+|a\s+|an\s+|my\s+|our\s+)?(?:dentist|doctors?|hospital|gp|appointment|meeting"
    r"|work|class|shift|interview|hairdressers?|school\s+run)(?:'s)?\s+(?:on\s+)?"
    r"(?P<day>(?:this\s+|next\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|today)"
    r"\s+(?:morning|afternoon|evening)\b"
)
# Months counted from today: "a month today", "a month from now", "in 2 months' time"
_MONTHS_AHEAD_RE = re.compile(
    r"\b(?P<n>an?|1|2|3|4|5|6)\s+months?\s+(?:today|from\s+today|from\s+now)\b"
    r"|\bin\s+(?P<n2>an?|1|2|3|4|5|6)\s+months?(?:'?s?\s+time)?\b"
)
# "the first week of january … the tuesday": the week of a month, by its order
_WEEK_OF_MONTH_RE = re.compile(
    r"\b(?:the\s+)?(?P<nth>1st|2nd|3rd|4th|last)\s+week\s+(?:of|in)\s+"
    rf"(?P<month>{_MONTH_WORD}|(?:the\s+)?next\s+month)\b"
)
# Weekdays in the plural with the part or rule around them: "mornings only on saturdays".
_WEEKDAYS_PLURAL_RE = re.compile(
    r"\b(?:(?:mornings?|afternoons?|evenings?)\s+(?:only\s+)?)?(?:on\s+)?"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)days\b"
)
# A weekday with a part of the day: "wednesday morning", "on friday afternoon".
_WEEKDAY_PART_RE = re.compile(
    r"\b(?P<day>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+"
    r"(?P<part>morning|afternoon|evening|lunchtime)\b"
)
_WEEKDAY_WORD_RE = re.compile(
    r"\b(?:the\s+|on\s+(?:the\s+)?)?(?P<day>monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sunday)\b"
)


def _week_of_month_as_weekday(text: str) -> str:
    """``text`` with "the first week of january … the tuesday" said as "the 1st tuesday of
    january" (the first Tuesday of the month is in its first week), for ``_NTH_WEEKDAY_RE``;
    as it was when no weekday goes with the week."""
    week = _WEEK_OF_MONTH_RE.search(text)
    day = _WEEKDAY_WORD_RE.search(text)
    if week is None or day is None:
        return text
    month = week["month"].removeprefix("the ")
    return _said_as_one(text, week, day, f" {week['nth']} {day['day']} of {month} ")


def _said_as_one(text: str, span: re.Match[str], day: re.Match[str], said: str) -> str:
    """``text`` with ``span`` and the weekday ``day`` (two matches in it) cut out and ``said``
    put where ``span`` was."""
    first, second = sorted((span, day), key=lambda m: m.start())
    pieces = [text[: first.start()], text[first.end() : second.start()], text[second.end() :]]
    pieces[0 if first is span else 1] += said
    return " ".join(pieces)


# The first weekday after a day of the month: "the first Tuesday after the 20th", "the first
# monday after the 3rd of january".
_FIRST_WEEKDAY_AFTER_RE = re.compile(
    r"\b(?:the\s+)?(?:first|1st)\s+(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday)"
    r"\s+after\s+the\s+(?P<n>\d{1,2})(?:st|nd|rd|th)?\b"
    r"(?:\s+(?:of\s+)?(?P<month>january|february|march|april|may|june|july|august|september"
    r"|october|november|december))?"
)


# A weekday after the day the customer is back: "we're in Brittany until the 20th … the monday
# after" (Monday 21st).
_WEEKDAY_AFTER_BACK_RE = re.compile(
    r"\b(?:until|till|til|back\s+on|home\s+on)\s+the\s+(?P<n>\d{1,2})(?:st|nd|rd|th)?\b"
    r"(?P<between>.{0,80}?)\bthe\s+(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday)"
    r"\s+after\b(?!\s+(?:next|that|this|the))"
)


def _first_weekday_after_date(text: str, today: date) -> str:
    """``text`` with "the first tuesday after the 20th" said as that date ("tuesday 22
    december"): the 20th is the next one from ``today`` (of the month named, if any); so too
    "until the 20th … the monday after" (the absence's bound blanked)."""
    back = _WEEKDAY_AFTER_BACK_RE.search(text)
    if back is not None:
        said = _first_weekday_after_date(
            f"the first {back['weekday']} after the {back['n']}th", today
        )
        if not said.startswith("the first"):
            return f"{text[: back.start()]} {back['between']} {said} {text[back.end() :]}"
    found = _FIRST_WEEKDAY_AFTER_RE.search(text)
    if found is None:
        return text
    n = int(found["n"])
    month = _MONTHS[found["month"][:3]] if found["month"] else None
    day: date | None = None
    for ahead in range(0, 400):
        candidate = today + timedelta(days=ahead)
        if candidate.day == n and (month is None or candidate.month == month):
            day = candidate
            break
    if day is None:
        return text
    wanted = _WEEKDAYS.index(found["weekday"])
    after = day + timedelta(days=(wanted - day.weekday() - 1) % 7 + 1)
    said = f" {after:%A} {after.day} {after:%B} ".lower()
    return text[: found.start()] + said + text[found.end() :]


# The days between Christmas and New Year, said as such.
BETWEEN_HOLIDAYS_RE = re.compile(
    r"\b(?:in\s+)?between\s+(?:christmas|xmas)\s+and\s+(?:the\s+)?new\s+year(?:'s)?\b"
)


def _between_the_holidays_as_weekday(text: str) -> str:
    """``text`` with "between christmas and new year … the wednesday" said as "the wednesday
    after christmas" (``_WEEKDAY_FROM_HOLIDAY_RE``); without a weekday, a span of days and no
    one day (unless opening is asked about: "are you open between christmas and new year?")."""
    between = BETWEEN_HOLIDAYS_RE.search(text)
    if between is None:
        return text
    day = _WEEKDAY_WORD_RE.search(text)
    if day is None:
        return text if _OPEN_ASKED_RE.search(text) else BETWEEN_HOLIDAYS_RE.sub(" ", text)
    return _said_as_one(text, between, day, f" the {day['day']} after christmas ")


# A season named as an occasion, not a day: "for christmas", "over new year", "before easter"
# (not "christmas eve", "christmas day", "new year's day").
_SEASON_RE = re.compile(
    # (not "the friday before christmas", "the week after new year": a day counted from it)
    r"(?<!day\s)(?<!week\s)(?<!days\s)(?<!weeks\s)"
    r"\b(?:for|over|at|before|until|till|by|since|after)\s+(?:the\s+)?(?:christmas|xmas|new\s+year"
    r"|easter)\b(?!\s*(?:eve|day|'s\s+(?:eve|day))\b)"
)
# An event of the season, never its day: "tomorrow's my work xmas do" (set 214), "thursday is
# my work christmas do" (set 145).
_SEASON_EVENT_RE = re.compile(
    r"\b(?:christmas|xmas)\s+(?:do|party|parties|dinner|lunch|meal|drinks|night\s+out|fair|market"
    r"|concert|play|show|shopping|nativity|panto)\b"
)
# A word right before a date's number: "wensday 16th", "thrs the 10th"
_BEFORE_A_DATE_RE = re.compile(r"\b([a-z]{4,10})(?=\s+(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\b)")
# Which weekday a date falls on, asked: "is that a sunday?", "isn't that a saturday" (no day
# asked for)
_WHICH_WEEKDAY_ASKED_RE = re.compile(
    r"\b(?:is|isn't|was|wasn't)\s+(?:that|it|this)\s+(?:a|on\s+a)\s+(?:monday|tuesday|wednesday"
    r"|thursday|friday|saturday|sunday)\b"
)
# The writer's own state on a day, no day asked for: "brain not working today", "all over the
# place this morning", "i'm so tired today".
_WRITERS_DAY_RE = re.compile(
    r"\b(?:not\s+working|all\s+over\s+the\s+place|not\s+with\s+it|(?:so\s+|really\s+)?(?:tired"
    r"|exhausted|frazzled|scatterbrained|hectic|busy|mad|crazy|manic))\s+"
    r"(?:today|this\s+morning|tonight)\b"
    # ... or a time of theirs gone by: "last time i rang your number at 9pm nobody answered"
    # (set 218)
    r"|\blast\s+time\s+(?:i|we)\s+(?:rang|called|phoned|tried|came|messaged)\b(?:\s+[a-z]+){0,4}?"
    r"\s+at\s+\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]m)?"
    # ... or when they will write again: "can you just cancel it, i'll message again tomorrow"
    # (set 216)
    r"|\b(?:i'll|ill|i\s+will|we'll|we\s+will)\s+(?:message|text|call|ring|phone|email|whatsapp"
    r"|get\s+back\s+to\s+you|be\s+in\s+touch|contact\s+you)(?:\s+(?:you|u))?(?:\s+(?:again|back))?"
    r"\s+(?:tomorrow|today|tonight|later\s+today|(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur)day)\b"
    # ... or their own plans on it: "not tomorrow!! tomorrow's my work xmas do" (set 214)
    r"|\b(?:today|tomorrow|tonight)'s\s+(?:my|our)\s+(?:work\s+|office\s+|team\s+)?"
    r"(?:xmas\s+|christmas\s+)?(?:do|party|night\s+out|dinner|meal|drinks)\b"
)
# Where the customer must be, and by when: "i have to be at pick up by 6.15", "we need to be
# home by 5" (their day, no time asked for)
_DUE_ELSEWHERE_RE = re.compile(
    # (or someone of theirs: "my daughter has to be at school by 8.30")
    # ("I've got to be across town at 11")
    r"\b(?:i|we|he|she|they|(?:my|our)\s+[a-z]+)(?:'ve\s+got|\s+(?:have|has)\s+got"
    r"|\s+(?:have|has|need|needs|got|must))\s+(?:to\s+)?"
    r"(?:be|get|leave)\b[^.?!]{0,30}?\b(?:by|for|at)\s+"
    # ("I need to be at the office for half 9", set 134)
    r"(?:(?:half|quarter)\s+(?:past\s+|to\s+)?)?\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?"
    # "as I do the school pick up at quarter past 5"
    r"|\b(?:i|we)\s+(?:do|have|'ve\s+got)\s+(?:the\s+|a\s+)?(?:school\s+)?(?:pick[\s-]?up|drop[\s-]?off"
    r"|school\s+run|nursery\s+run)\s+(?:at|by|from)\s+(?:(?:half|quarter)\s+(?:past\s+|to\s+)?)?"
    r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?"
)
# What follows a time the customer leaves work ("i finish half 5, could be with you for 6").
_THEN_WHAT = r"(?=\s*(?:,|\.|(?:so|and|then|could|can|would|will|but|if)\b))"
_THEIR_OWN_PLANS_RE = re.compile(
    # a time thought of, then given up: "I was going to ask for wednesday at 9 but then
    # remembered I've got the dentist"
    r"\b(?:i|we)\s+(?:was|were)\s+(?:going\s+to|gonna|about\s+to)\s+(?:ask\s+for|say|suggest|book"
    r"|go\s+for|request|try)\b[^,.;!?]{0,40}?(?=\s+but\b)"
    r"|\b(?:i|we)(?:\s+have|'ve|\s+had)(?:\s+got)?\s+(?:a|an|my|our)?\s*(?:\w+\s+){0,2}?"
    r"(?:appointment|meeting|class|shift|work|interview|flight|train|school\s+run)"
    r"(?:\s+of\s+(?:my|our)\s+own)?\s+(?:at|from)\s+\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?"
    r"|\bmy\s+(?:train|flight|shift|meeting|class)\s+is\s+at\s+\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?"
    # "I've got a 10 o'clock I can't move" (set 169): the writer's own hour
    r"|\b(?:i|we)(?:\s+have|'ve|\s+had)(?:\s+got)?\s+an?\s+\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]m|o'?clock)"
    r"(?=\s+(?:i|we)\s+(?:can't|cannot|can\s+not)\s+(?:move|change|miss|get\s+out\s+of)|\s+"
    r"(?:meeting|appointment|call|class|lesson))"
    # "my husband vikram has a meeting at 4": someone else's plans
    r"|\b(?:my|our)\s+[a-z]+(?:\s+[a-z]+)?\s+(?:has|had|'s\s+got)\s+(?:a|an|his|her|their)\s+(?:\w+\s+)?"
    r"(?:appointment|meeting|class|shift|interview|flight|train)\s+(?:at|from)\s+\d{1,2}(?:[:.]\d{2})?"
    r"(?:\s*[ap]m)?"
    # "the kids have swimming at 10", "we've got football at 11": the family's own plans
    r"|\b(?:the\s+kids|the\s+children|my\s+(?:son|daughter|kids|children)|i|we|they)\s+"
    r"(?:have|has|'ve\s+got|'s\s+got|have\s+got|has\s+got)\s+(?:swimming|football|school|nursery"
    r"|work|ballet|dance|rugby|training|practice|a\s+party|church|lessons?|clubs?|cubs|brownies"
    r"|scouts)\s+(?:at|from|till|until)\s+\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?"
    # "i work 9-5 mon to fri", "I'm at work from 8 till 6": their hours, not the visit's time
    r"|" + re.sub(r"\?P<\w+>", "?:", WORKING_HOURS_RE.pattern) +
    # "I start at 9 so it needs to be early": when they must be gone, not the visit's time
    r"|\b(?:i|we)\s+(?:start|begin)\s+(?:work\s+|my\s+shift\s+)?(?:at|by)\s+(?:half\s+)?\d{1,2}"
    r"(?:[:.]\d{2})?(?:\s*[ap]m)?"
    # "I finish work at 6", "we get off at 5", "I finish at half 5": when they are free, not
    # the visit's time
    # ("my husband will bring him, he gets off at 4:30")
    r"|\b(?:i|we|he|she|they)\s+(?:don't\s+|do\s+not\s+|doesn't\s+)?(?:finish(?:es)?|gets?\s+off"
    r"|leaves?|clocks?\s+off|knocks?\s+off)\s+(?:work\s+|school\s+)?"
    # ("I don't finish work til half 5", set 134)
    r"(?:at|by|around|til|till|until)\s+(?:(?:half|quarter)\s+(?:past\s+|to\s+)?)?\d{1,2}"
    r"(?:[:.]\d{2})?(?:\s*[ap]m)?"
    # "i finish half 5, could be with you for 6", "I'm out at half 5 so 6 would be ideal" (out
    # of work): when they leave, not the visit's time (set 128)
    r"|\b(?:i|we)\s+(?:finish|get\s+off|leave|clock\s+off)\s+(?:work\s+)?(?:(?:half|quarter)\s+"
    r"(?:past\s+|to\s+)?)?\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?"
    rf"{_THEN_WHAT}"
    r"|\b(?:i|we)(?:'m|\s+am|'re|\s+are)\s+out\s+(?:of\s+work\s+)?(?:at|by)\s+(?:(?:half|quarter)\s+"
    r"(?:past\s+|to\s+)?)?\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?"
    rf"{_THEN_WHAT}"
)


# Someone else's visit or plans and their hour or part of the day: "I've got the plumber coming
# at 10", "we have the builders round in the morning", "the plumber's just moved to the
# afternoon", "my mum is visiting at 2". Not the visit's time when the message says another
# ("can we make it 11? I've got the plumber coming at 10"); alone, it may be ("my husband is
# coming at 10 with Rex"). Never the pet or the visit itself ("my dog is due at 10").
_OTHERS_TIME = (
    r"(?:(?:at|from|around|about|till|until|between)\s+\d{1,2}(?:[:.h]\d{2})?(?:\s*[ap]m)?\b"
    r"|(?:in|to|into|for|till|until)\s+the\s+(?:morning|afternoon|evening)\b"
    r"|(?:this|tomorrow)\s+(?:morning|afternoon|evening)\b)"
)
_NOT_OTHERS = (
    r"(?!(?:[a-z']+\s+)?(?:appointments?|bookings?|visits?|slots?|consultations?|check-?ups?|jabs?"
    r"|vacc\w*|boosters?|groom\w*|dental|op|operation|surgery|cats?|dogs?|pupp(?:y|ies)|pups?"
    r"|kittens?|pets?|rabbits?|bunny|hamsters?|one|time)\b)"
)
_OTHERS_PLANS_RE = re.compile(
    # the customer's own hours: "I sleep till about 2 (… thursday after 3?)", "I work until 4"
    r"\b(?:sleep|sleeping|asleep|work|working|at\s+work|busy|out|in\s+bed)\s+(?:till|until|til)\s+"
    r"(?:about\s+|around\s+|like\s+)?\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?(?:ish)?\b|"
    # "he's at doggy daycare till half 4", "at nursery until 3" (set 157)
    r"\b(?:at|in)\s+(?:[a-z']+\s+){0,2}?(?:daycare|day\s+care|nursery|school|kennels|college|uni"
    r"|the\s+office|the\s+groomers?|the\s+sitters?)\s+(?:till|until|til)\s+(?:about\s+|around\s+)?"
    r"(?:half\s+|quarter\s+(?:past|to)\s+)?\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?\b|"
    # "I've got the plumber coming at 10", "we have someone round in the afternoon"
    rf"\b(?:i|we)(?:\s+have|'ve|\s+had|'ll\s+have|\s+will\s+have)?(?:\s+got)?\s+"
    rf"(?:the|a|an|my|our|some|someone|somebody)\b{_NOT_OTHERS}(?:\s+[a-z']+){{0,3}}?\s+"
    r"(?:coming|arriving|visiting|due|round|over|popping\s+(?:in|round|over)|turning\s+up)"
    rf"(?:\s+(?:round|over|in|back))?\s+{_OTHERS_TIME}"
    # "the plumber's just moved to the afternoon", "my mum is visiting at 2"
    rf"|\b(?:the|my|our|his|her|their)\s+{_NOT_OTHERS}[a-z]+"
    r"(?:'s|\s+is|\s+are|\s+has|\s+have|\s+was|\s+were|\s+will\s+be|'ll\s+be)\s+"
    r"(?:just\s+|now\s+|also\s+|only\s+|probably\s+)?(?:been\s+)?"
    r"(?:coming|arriving|visiting|due|moved|changed|rescheduled|here|round|over)"
    rf"(?:\s+(?:round|over|in|back))?\s+{_OTHERS_TIME}"
    # the day's other events and their hour: "my daughter's parents' evening is tomorrow at 6",
    # "taking him out for lunch at 12", "my shift at the bakery starts at 10", "I drop the kids
    # at school at 8.15" (blanked only when another hour is said: ``read_when``)
    r"|\b(?:parents'?\s+evening|school\s+(?:play|concert|show|run|pick[\s-]?up)|party|lunch|dinner"
    r"|dentist|doctor'?s|hairdresser|meeting|wedding|funeral|shift|class|lesson|flight|train"
    # ("I drop my daughter at school at 8.30", set 158)
    r"|(?:drop|pick)\s+(?:off\s+|up\s+)?(?:the\s+|my\s+|our\s+)?(?:kids|children|boys|girls|daughters?"
    r"|sons?|wife|husband|partner)(?:\s+off|\s+up)?)\b[^.?!,]{0,30}?\bat\s+"
    r"(?:half\s+|quarter\s+(?:past|to)\s+)?\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?\b"
)


# Where the customer lives, by district number: "we've just moved to the 11th", "we live in
# the 15th (arrondissement)".
_DISTRICT_RE = re.compile(
    r"\b(?:we|i|we've|i've|we\s+have|i\s+have|just|recently)\s+(?:just\s+|recently\s+)?"
    r"(?:moved|relocated|live|living|are|am)\s+(?:house\s+)?(?:to|into|in)\s+the\s+"
    r"\d{1,2}(?:st|nd|rd|th|e|eme|ème)(?:\s+arr(?:ondissement)?\b)?(?!\s+(?:of|at|in\s+the))\b"
)


def without_plans(text: str) -> str:
    """Normalised ``text`` with the customer's own plans and other people's, and their times,
    blanked (``_THEIR_OWN_PLANS_RE``, ``_DUE_ELSEWHERE_RE``, ``_OTHERS_PLANS_RE``): what is
    left may say the visit's time ("can we make it 11? I've got the plumber coming at 10"
    leaves "… make it 11")."""
    own = _DUE_ELSEWHERE_RE.sub(" ", _THEIR_OWN_PLANS_RE.sub(" ", text))
    return _OTHERS_PLANS_RE.sub(" ", own)


def without_past_days(text: str) -> str:
    """Normalised ``text`` with the days it says of the past (``_PAST_DAY_RE``) blanked ("the
    reminder card came this morning", "she was sick on saturday"): what is left may say a day
    asked for, or none."""
    out = text
    for found in reversed(list(_PAST_DAY_RE.finditer(text))):
        group = next(
            g for g in ("day", "day2", "day3", "day4", "day5", "day6", "day7", "day8") if found[g]
        )
        out = out[: found.start(group)] + " " + out[found.end(group) :]
    return out


def without_our_hours(text: str) -> str:
    """Normalised ``text`` without the business's own hours said back to it ("oh right, you
    shut at 1. 12 then?": 1 is no time asked for)."""
    return _OUR_HOURS_SAID_RE.sub(" ", text)


# A change made a day before or on the day, said of the policy: "a charge for cancelling the day
# before?", "moving it on the day".
_CHANGE_ON_THE_DAY_RE = re.compile(
    r"\b(?P<verb>cancel\w*|chang\w*|moving|reschedul\w*)\s+(?:it\s+|them\s+)?(?:on\s+)?the\s+"
    r"(?:day|night|morning|evening)\s+(?:before|of)\b"
)
# A part of the day given up for another: "first thing instead of the afternoon", "rather than
# after work".
INSTEAD_OF_PART_RE = re.compile(
    r"\b(?:instead\s+of|rather\s+than)\s+(?:the\s+|my\s+)?(?:morning|afternoon|evening|after\s+work"
    r"|lunchtime|lunch\s+time|first\s+thing|end\s+of\s+the\s+day)(?:\s+(?:one|slot|appointment))?\b"
)
# A part of the day of someone's pastimes: "my son has football in the morning" (not the
# writer's work, read as the part ruled out).
_PART_OF_PLANS_RE = re.compile(
    r"\b(?:has|have|'s\s+got|'ve\s+got|got)\s+(?:football|rugby|swimming|training|dance|ballet"
    r"|gymnastics|practice|a\s+match|church|mass)\s+"
    r"(?:in\s+the|on\s+\w+|this|that)\s+(?:morning|afternoon|evening)s?\b"
)
# A time said to clash: "2.30 clashes with a meeting", "10 doesn't work anymore".
_TIME_CLASHES_RE = re.compile(
    r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]m)?\s+(?:clashes|doesn't\s+work|won't\s+work|is\s+no\s+good"
    r"|isn't\s+good|is\s+out|is\s+impossible|is\s+just\s+impossible)\b"
)
# A part of a day ruled out, not the day: "can't do tomorrow morning anymore, can we do the
# afternoon instead".
_DAY_PART_RULED_OUT_RE = re.compile(
    rf"\b(?:can't|cannot|can\s+no\s+longer)\s+(?:make|do)\s+(?:it\s+)?(?:on\s+)?"
    rf"(?P<day>{_DAY_WORD})\s+(?P<part>morning|afternoon|evening)s?\b"
)


def _part_of_day_ruled_out(text: str) -> str:
    """``text`` with a day's part ruled out ("can't do tomorrow morning") said as that day
    alone when the rest asks another part of the day and names no other day ("… can we do
    the afternoon instead"); ``text`` unchanged otherwise."""
    found = _DAY_PART_RULED_OUT_RE.search(text)
    if found is None:
        return text
    rest = text[: found.start()] + " " + text[found.end() :]
    other_part = re.search(r"\b(?:morning|afternoon|evening)s?\b", rest)
    other_day = _weekday_in(rest) is not None or re.search(r"\b(?:today|tomorrow|tonight)\b", rest)
    if other_part is None or other_day or found["part"] in other_part.group(0):
        return text
    return f"{text[: found.start()]} {found['day']} {text[found.end() :]}"


# A week named by the date it starts: "w/c 14th" (normalised "w c 14th"), "week commencing the
# 14th", "the week of the 14th", "week beginning monday the 14th".
_WEEK_OF_DATE_RE = re.compile(
    r"\bw\s*/?\s*c\s+(?:(?:mon(?:day)?\s+)?the\s+)?\d{1,2}(?:st|nd|rd|th)?\b"
    r"|\bweek\s+(?:of|commencing|beginning|starting)\s+(?:(?:mon(?:day)?\s+)?the\s+)?\d{1,2}"
    rf"(?:st|nd|rd|th)?\b(?:\s+(?:of\s+)?{_MONTH_WORD}\b)?"
)
# A weekday of the customer's week, in the plural: "my mum has him mondays", "she works fridays",
# "we go on saturdays" (a habit, never the day asked for).
_HABIT_DAYS_RE = re.compile(
    r"\b(?:has|have|had|gets?|keeps?|works?|working|plays?|goes|go)\s+(?:him|her|them|it|me|us)?\s*"
    r"(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)days\b"
)


def without_week_start(text: str) -> str:
    """Normalised ``text`` with a week said by its first day ("w/c 14th", "week commencing the
    14th") blanked: that date names the week, not the day asked for."""
    return _WEEK_OF_DATE_RE.sub(" ", text)


def read_when(
    text: str,
    *,
    now: datetime,
    holidays: Mapping[date, str] | None = None,
    default_part: str | None = None,
) -> When:
    """Read ``text`` (normalised) relative to ``now``, an aware local datetime. Never raises.
    A day that is ruled out ("not friday, thursday") is not read as the day asked for.
    ``holidays`` (date → name, e.g. from the ``holidays`` library) lets a holiday be named as a
    day: "Christmas Day", "on All Saints' Day" is its next date from today on. ``default_part``
    is a part of the day said elsewhere ("Tuesday evening. Can he come at 8?" read sentence by
    sentence), for a bare hour when ``text`` says none."""
    today = now.date()
    # "next week (w/c 14th)", "the week of the 14th": a week said by its first day, no day
    # asked (set 155)
    text = without_week_start(text)
    # "my mum has him mondays", "she works fridays": a habit of the week, no day asked
    text = _HABIT_DAYS_RE.sub(" ", text)
    hour_swapped = _HOUR_NOT_HOUR_RE.search(text)  # before "not 4" is blanked as ruled out
    # "not this thursday but the one after": that weekday after next, before "not this
    # thursday" is blanked as ruled out
    text = _ONE_AFTER_RULED_OUT_RE.sub(lambda m: f" the {m['day']} after next ", text)
    text = _part_of_day_ruled_out(text)
    text = without_day_slips(text)
    text = _day_after_named(text, now)
    text = _RULED_OUT_RE.sub(" ", text)
    text = _HOURS_RULED_OUT_RE.sub(" ", text)  # "any time except between 12 and 2"
    text = _OUR_HOURS_SAID_RE.sub(" ", text)  # "oh right, you shut at 1. 12 then?"
    # "…a hospital appointment of my own at eleven" (before the bounds: "i work 9-5 mon to
    # fri" holds no "until friday")
    text = _THEIR_OWN_PLANS_RE.sub(" ", text)
    text = _DUE_ELSEWHERE_RE.sub(" ", text)  # "i have to be at pick up by 6.15"
    text = _WRITERS_DAY_RE.sub(" ", text)
    text = _SINCE_DAY_RE.sub(" ", text)  # "off her food since saturday": a day gone by
    # "wensday 16th": a weekday misspelt beside a date, spelt out so the two are read together
    text = _BEFORE_A_DATE_RE.sub(
        lambda m: _WEEKDAYS[w] if (w := misspelt_weekday(m[1])) is not None else m[1], text
    )
    text = _WHICH_WEEKDAY_ASKED_RE.sub(" ", text)  # "oh is that a sunday?! the monday then"
    without_habit = _WEEKDAYS_PLURAL_RE.sub(" ", text)
    if without_habit != text and _WEEKDAY_WORD_RE.search(without_habit):
        # "oh mornings only on saturdays? ok what about friday after 5 then": the weekday
        # said in the plural is a rule of ours, the one in the singular the day asked (set 134)
        text = without_habit
    text = _week_of_month_as_weekday(text)
    text = _between_the_holidays_as_weekday(text)
    text = _first_weekday_after_date(text, today)
    # "2.15 not 9.15 sorry, i've got the dentist friday morning": the day kept, not its part
    text = _PART_TAKEN_RE.sub(r" \g<day> ", text)
    without_bound = _UNTIL_RE.sub(" ", text)
    if without_bound != text and _weekday_in(without_bound) is not None:
        text = without_bound
    # "we fly out on the 16th … I'm working from home on tues 15th": the trip's day is no visit
    without_trip = _TRIP_DAY_RE.sub(" ", text)
    if without_trip != text and re.search(r"\b\d{1,2}(?:st|nd|rd|th)\b", without_trip):
        text = without_trip
    # "Dr Lambert rang me this morning and said she'd rather see Hazel on wednesday": when
    # someone called is no day asked for (set 149)
    text = _CALLED_WHEN_RE.sub(" ", text)
    # "sad news, we lost shadow on saturday 💔 can you cancel his appointment on friday": when
    # a pet died is no day asked for (set 150)
    text = _DIED_WHEN_RE.sub(" ", text)
    # "old cat, Monsieur Pouf, he's about 12 and his teeth look awful": his age, no hour
    text = _AGE_TOLD_RE.sub(" ", text)
    text = without_their_own_hours(text)  # "he normally has breakfast at 9"
    # "when's rex in this week? can we make it later in the day": the week of the booking
    # asked about, no day asked for (set 182)
    text = BOOKING_WEEK_ASKED_RE.sub(r"\g<asked> ", text)
    # "9.30ish": the minutes kept, the "ish" a word of its own (set 144)
    text = re.sub(r"(\d[:.][0-5]\d)-?ish\b", r"\1 ish", text)
    text = _GREETING_RE.sub(" ", text)  # "Good afternoon! ... Friday morning, say 10:30"
    text = WISHES_RE.sub(" ", text)  # "have a lovely christmas 🎄"
    either = _WHICHEVER_FIRST_RE.search(text)
    if either is not None:
        # "working today and tomorrow … so thursday or friday after 3pm, whichever is first":
        # the days before are the customer's week; the first of the two is asked
        text = text[either.start() :]
    text = _DISTRICT_RE.sub(" ", text)  # "we've just moved to the 11th": Paris's, no day
    # "first up bramble needs his booster" (normalised "1st up"): an order of things, no date
    text = _FIRST_OF_LIST_RE.sub(" ", text)
    text = _ONE_AFTER_ANOTHER_RE.sub(" ", text)  # "ideally one after the other": no 1 o'clock
    # "is there a charge for cancelling the day before?" (set 170): the policy asked, no day
    text = _CHANGE_ON_THE_DAY_RE.sub(r"\g<verb>", text)
    # "first thing instead of the afternoon" (set 173): the part given up is no part asked;
    # nor the part of another's plans ("my son has football in the morning"), nor a time said
    # to clash ("2.30 clashes with a meeting")
    text = INSTEAD_OF_PART_RE.sub(" ", text)
    text = _PART_OF_PLANS_RE.sub(" ", text)
    text = _TIME_CLASHES_RE.sub(" ", text)
    without_others = _OTHERS_PLANS_RE.sub(" ", text)
    if without_others != text and _read_clock(_BOUND_TIME_RE.sub(" ", without_others), None):
        # "…make it 11? I've got the plumber coming at 10": the plumber's 10 is not the visit's
        text = without_others
    # "same day and time next week": the same time, on the same weekday
    text = _SAME_DAY_AND_TIME_RE.sub("same time", text)
    # "back in a week … same time as this morning": the visit whose time is kept, not the day
    text = _SAME_TIME_AS_RE.sub("same time", text)
    without_past = without_past_days(text)
    last_asked: date | None = None
    if without_past != text and _read_day(without_past, today) != (None, None):
        text = without_past
    elif without_past != text:
        last_asked = _last_weekday_asked(text, today)
    # "today instead of tomorrow", "thursday rather than friday": the day given up is not read
    # when another is named
    without_given_up = _INSTEAD_OF_DAY_RE.sub(" ", text)
    if without_given_up != text and _read_day(without_given_up, today) != (None, None):
        text = without_given_up
    instead = _DAY_INSTEAD_RE.search(text)
    if instead is not None and _read_day(instead.group(0), today)[0] is not None:
        # the day given up, said before, is not read
        before = text[: instead.start()]
        text = f"{_WEEKDAY_WORD_RE.sub(' ', before)}{text[instead.start() :]}"
    without_owned = _OWNED_DAY_RE.sub(" ", text)
    if without_owned != text and (
        _read_day(without_owned, today) != (None, None) or _DAY_STEP_RE.search(without_owned)
    ):
        # ("a week after wednesday's appointment": counted from that booking, not wednesday)
        text = without_owned
    text = _SEASON_EVENT_RE.sub(" ", text)
    without_season = _SEASON_RE.sub(" ", text)
    if without_season != text and _read_day(without_season, today) != (None, None):
        # "before we go to my mum's for christmas so can we do wednesday around 5?": the
        # season is the customer's plans, the weekday the day asked for
        text = without_season
    without_told = _HOLIDAY_TOLD_RE.sub(" ", text)
    if without_told != text and _read_day(without_told, today) != (None, None):
        # "oh of course it's christmas 🤦 the thursday before then, the 24th, at 10?": the
        # holiday said to be so, the other day asked
        text = without_told
    # "are you open over christmas?": a holiday asked about is that day, even as a bound
    asks_open = _OPEN_ASKED_RE.search(text) is not None
    # (a holiday and another named day both said: the other one, as the holiday is shut — "oh
    # god of course, christmas 🤦 christmas eve then?")
    named = _date_named(text, today, bounds=asks_open) or _holiday_named(
        text, today, holidays or {}, bounds=asks_open
    )
    open_asked: date | None = None
    day, past = (named, None) if named is not None else _read_day(text, today)
    if last_asked is not None and named is None:
        day, past = None, last_asked  # "for last friday": passed, asked about, never moved on
    months_ahead = _MONTHS_AHEAD_RE.search(text)
    if months_ahead is not None and named is None:
        # "could we book her in for a month today?", "in 2 months' time": that date, by the
        # calendar's months (dateutil: 31 January + 1 month is 28 February); "… on a tuesday":
        # the first Tuesday from then
        n = months_ahead["n"] or months_ahead["n2"]
        then = today + relativedelta(months=int(n) if n.isdigit() else 1)
        if day in (None, today):
            day, past = then, None
        elif day < then and _weekday_in(text) is not None:
            day, past = then + timedelta(days=(day.weekday() - then.weekday()) % 7), None
    if named is not None and asks_open:
        # "r u open on Christmas Day? if not we'll just do this sat at 11": the holiday is
        # asked about, the other day is the one wanted
        other, other_past = _read_day(text, today)
        if other is not None and other != named:
            day, past, open_asked = other, other_past, named
    restated = _RESTATED_DATE_RE.search(text)
    restated_clash: tuple[date, date] | None = None
    if restated is not None and named is None:
        # "in 2 weeks after the 1st, so the 15th": the date the customer worked out is the one
        # meant, whatever the count before it reads as; "next thursday, that's the 18th" (a
        # Friday) is a clash, asked about
        own, own_past = _read_day(restated["date"], today)
        weekday = _weekday_in(text)
        if own is not None and day is not None and weekday and own.weekday() != weekday[0]:
            restated_clash = (own, _nearest_on(weekday[0], own, today))
        elif own is not None or own_past is not None:
            day, past = own, own_past
    by_number = (
        day is not None
        and (day - today).days > 10
        and _DAY_NUMBER_RE.search(text) is not None
        and _month_date(text, today) is None
        and _weekday_in(text) is None
    )
    # "pushed to the end of the day", "last thing on thursday": the evening (set 128)
    text = _END_OF_DAY_RE.sub(" evening ", text)
    part_words = re.findall(r"\b[a-z]+\b", _PART_RULED_OUT_RE.sub(" ", text))
    part = next((_PARTS[w] for w in part_words if w in _PARTS), None) or next(
        (_PARTS_PLURAL[w] for w in part_words if w in _PARTS_PLURAL), None
    )
    if part is not None and day is not None:
        # "ginger's check up on wednesday morning - could we switch to thursday at 4": the part
        # belongs to the other weekday it is said with, not to the day asked for (set 127)
        glued = [m for m in _WEEKDAY_PART_RE.finditer(text) if _PARTS.get(m["part"]) == part]
        if glued and all(_WEEKDAYS.index(m["day"]) != day.weekday() for m in glued):
            alone = len(re.findall(rf"\b{glued[0]['part']}\b", text)) == len(glued)
            if alone:
                part = None
    target = _PART_TARGET_RE.search(text)
    if target is not None:
        # "something came up thursday morning, can we push him back to the afternoon?": the
        # part moved to, not the one the booking is in
        part = _PARTS[target["part"]]
    if part is None:
        # "mornings are no good for me, tuesday?": the one part left of a day of two
        ruled = {
            p
            for found in _PART_RULED_OUT_RE.finditer(text)
            for p in ("morning", "afternoon")
            if p in found.group(0)
        }
        if len(ruled) == 1:
            part = "afternoon" if ruled == {"morning"} else "morning"
    if part is None:
        # "sat am", "tues pm" (am/pm after a day, no hour), "after work"
        bare = _BARE_HALF_RE.search(text)
        if bare is not None:
            part = "morning" if bare["half"] == "am" else "afternoon"
        elif _AFTER_WORK_RE.search(text):
            part = "evening"
    if _BEFORE_LUNCH_RE.search(text):
        part = "morning"  # "anything earlier? like before lunch"
    part = part or default_part
    ranged = _TIME_RANGE_RE.search(text)
    if ranged is not None:
        # "between 2 and 4", "from 3 to 5pm": the range's start, the end's am/pm if it alone has
        # one; read as approximate, so a taken start still finds the nearest free time
        start = ranged["start"]
        if ranged["marker"] and not re.search(r"[ap]m", start):
            start = f"{start}{ranged['marker']}"
        text_for_clock = f"{text[: ranged.start()]} at {start} {text[ranged.end() :]}"
    else:
        text_for_clock = text
    # "a groom, 12 ok?": a bare hour asked about is the time wanted
    text_for_clock = _HOUR_ASKED_RE.sub(r"at \1 ", text_for_clock)
    # "get his nails done sat?? like 11": an hour given loosely after the day
    text_for_clock = _HOUR_LOOSELY_RE.sub(r"at \1 ", text_for_clock)
    clock = _read_clock(_BOUND_TIME_RE.sub(" ", text_for_clock), part)
    asked = _day_asked_match(text)
    if asked is not None and asked.group(2):
        # "booked wednesday at 10, could they both come thursday at 2 instead?": the time
        # said with the day asked for
        clock = _read_clock(text[asked.start(2) : asked.end()], part) or clock
    if hour_swapped is not None:
        clock = _swapped_clock(hour_swapped, part) or clock
    clash = _CLOCK_CLASH_RE.search(text)
    if clash is not None:
        # "13 in the morning": a misheard hour or a slip; whichever half was meant, guessing
        # would read back a time the customer may never have said
        clock = None
    weekday_clash = _weekday_clash(text, today, day) or restated_clash
    if weekday_clash is not None:
        day = None
    this_time = _THIS_TIME_RE.search(text)
    if this_time is not None and clock is None:
        ahead = 7 if this_time["when"].startswith("next") else 1
        day, past = today + timedelta(days=ahead), None
        quarter = round((now.hour * 60 + now.minute) / 15) * 15
        clock = time(min(quarter, 23 * 60 + 45) // 60, quarter % 60)
    from_now = _FROM_NOW_RE.search(text)
    counted = False
    if from_now is not None and clock is None and day in (None, today):
        # "can we bring lola in like in half an hour?": that time from now, on the grid's next
        # quarter; read as approximate, so a time too soon finds the nearest one we can take
        found = _AMOUNT_RE.fullmatch(from_now["amount"])
        assert found is not None  # the same pattern matched it inside _FROM_NOW_RE
        then = now + timedelta(minutes=_minutes_of(found))
        quarter = -(-(then.hour * 60 + then.minute) // 15) * 15
        if then.date() == today and quarter < 24 * 60:
            day, past, clock = today, None, time(quarter // 60, quarter % 60)
            counted = True
    shift = _read_shift(text)
    after_that = _WEEKS_AFTER_THAT_RE.search(text)
    if (
        day is not None
        and shift is not None
        and after_that is not None
        and _read_day(text[: after_that.start()], today)[0] == day
    ):
        # "honey's coming in tomorrow at 10.30 … a recheck 2 weeks after that": the day said
        # before it, that many weeks on
        day, shift = day + shift, None
    return When(
        day=day,
        clock=clock,
        part=part,
        approximate=(bool(_APPROX_RE.search(text)) or ranged is not None or counted)
        and clock is not None,
        past_day=past,
        same_time=bool(_SAME_TIME_RE.search(text)),
        same_day=bool(_SAME_DAY_RE.search(text)),
        far_day_number=by_number,
        shift=shift,
        shift_weekday=_weekday_after_shift(text, day, shift),
        months=_read_months(text),
        clash=clash.group(0) if clash is not None else None,
        weekday_clash=weekday_clash,
        open_asked=open_asked,
    )


# A weekday written right beside a date: "Tuesday the 10th", "wed 9/12", "Wednesday 10 December",
# "10 december (wednesday)", "the 10th, a tuesday".
_DATE_FORM = (
    r"the\s+\d{1,2}(?:st|nd|rd|th)?\b"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_WORD}\b|\d{{1,2}}(?:st|nd|rd|th)\b"
    rf"|\d{{1,2}}/\d{{1,2}}\b|{_MONTH_WORD}\s+(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\b"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b"
)

# A date restated as the customer's own reckoning: "in 2 weeks after the 1st, so the 15th",
# "a fortnight today, i.e. the 21st", "next thursday, that's the 17th".
_RESTATED_DATE_RE = re.compile(
    r"\b(?:so|i\.?e\.?|that'?s|that\s+is|which\s+is|which\s+would\s+be|making\s+it)\s+"
    rf"(?:(?:on\s+)?(?:{_DAY_NAMES})\s+)?(?P<date>(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)\b"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_WORD}\b"
    rf"|{_MONTH_WORD}\s+(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\b|\d{{1,2}}/\d{{1,2}}\b)"
)
_WEEKDAY_BESIDE_DATE_RE = re.compile(
    rf"\b(?P<day>{_DAY_NAMES})\b,?\s+(?:{_DATE_FORM})"
    rf"|(?:{_DATE_FORM}),?\s+\(?(?:a\s+|which\s+is\s+a\s+)?(?P<day2>{_DAY_NAMES})\b"
)


def _weekday_clash(text: str, today: date, day: date | None) -> tuple[date, date] | None:
    """(date said, nearest date on the weekday said) when ``text`` writes a weekday beside a date
    that falls on another day; None when they agree or no such pair is written."""
    if day is None:
        return None
    pairs = list(_WEEKDAY_BESIDE_DATE_RE.finditer(text))
    # the pair whose date is the day read ("monday 14th go to wednesday 16th": the 16th's own
    # weekday, not the 14th's), else the first written
    own = [p for p in pairs if re.search(rf"(?<!\d){day.day}(?!\d)", p.group(0))]
    chosen = own or pairs
    if not chosen:
        return None
    beside = chosen[0]
    said = beside["day"] or beside["day2"]
    weekday = _WEEKDAYS.index(said) if said in _WEEKDAYS else _WEEKDAY_ABBREVIATIONS.get(said)
    if weekday is None or day.weekday() == weekday:
        return None
    return day, _nearest_on(weekday, day, today)


def _nearest_on(weekday: int, day: date, today: date) -> date:
    """The date on ``weekday`` nearest ``day``, not before ``today``."""
    before = day - timedelta(days=(day.weekday() - weekday) % 7)
    after = day + timedelta(days=(weekday - day.weekday()) % 7)
    return before if before >= today and day - before <= after - day else after


def _read_months(text: str) -> int:
    found = _MONTH_STEP_RE.search(text)
    if found is None:
        return 0
    said = found["n"]
    return int(said) if said is not None and said.isdigit() else 1


def merge(new: When, old: When) -> When:
    """A correction: what ``new`` says, and the rest from ``old`` ("make it 5pm" keeps the day,
    "saturday instead, same time" keeps the time)."""
    return replace(new, day=new.day or old.day, clock=new.clock or old.clock)


# -- days ----------------------------------------------------------------------------------------


def _next_weekday(today: date, weekday: int, *, include_today: bool = False) -> date:
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0 and not include_today:
        ahead = 7
    return today + timedelta(days=ahead)


# What follows a day where nothing else fits: "on … at 4", "on … 10am", "on … morning".
_DAY_SLOT_AFTER_RE = re.compile(r"\s+(?:at\s+\d|\d|(?:morning|afternoon|evening)\b)")


def autocorrected_weekday(word: str) -> int | None:
    """The weekday (0 = Monday) a lower-case word put where only a day fits ("on thirsty at
    4") stands for: five letters or more, beginning like the weekday and close to it
    (``rapidfuzz`` ratio 65 or more); else None."""
    if len(word) < 5:
        return None
    alike = [day for day in _WEEKDAYS if day[:2] == word[:2]]
    found = process.extractOne(word, alike, scorer=fuzz.ratio) if alike else None
    return _WEEKDAYS.index(found[0]) if found is not None and found[1] >= 65 else None


def days_in_day_slots(text: str) -> set[str]:
    """The words of lower-case ``text`` put where only a day fits ("on thirsty at 4") that
    ``autocorrected_weekday`` reads as a day: they are days, not names."""
    return {
        found.group(1)
        for found in re.finditer(r"\bon\s+([a-z]{5,10})\b", text)
        if _DAY_SLOT_AFTER_RE.match(text, found.end())
        and autocorrected_weekday(found.group(1)) is not None
    }


# The weekdays without their vowels, as texters shorten them ("frdy", "thrs", "wdnsdy"): "y"
# is kept, as those spellings keep it.
_WEEKDAY_CONSONANTS = tuple(re.sub(r"[aeiou]", "", day) for day in _WEEKDAYS)


# Words ending like a weekday that are words: "any weekday after 5" is not Wednesday (ratio 80).
_DAY_WORDS_NOT_WEEKDAYS = frozenset(
    {
        "weekday",
        "holiday",
        "birthday",
        "payday",
        "someday",
        "everyday",
        "midday",
        "heyday",
        "workday",
        "schoolday",
        "yesterday",
        "mayday",
    }
)


def _typo_weekday(word: str) -> int | None:
    """The weekday (0 = Monday) a word ending like one is a typo of ("thrusday", "tuesdy",
    "frday"), by ``rapidfuzz`` ratio, or that a word of four letters or more without vowels
    shortens (``_vowelless_weekday``); else None. Five letters is one dropped from "friday",
    "monday" or "sunday" ("frday", 91); "study" (Saturday, 77), "today" and "sandy" (73) are
    words, not typos."""
    if not re.search(r"[aeiou]", word):
        return _vowelless_weekday(word)
    if len(word) < 5 or not word.endswith(("day", "dy", "dai")) or word in _DAY_WORDS_NOT_WEEKDAYS:
        return None
    for index, day in enumerate(_WEEKDAYS):
        # letters dropped from a weekday, its first three kept: "satdy", "thursdy", "wednsdy"
        # (not "study", whose ratio to "saturday" is 77 like "satdy"'s)
        if word[:3] == day[:3] and _letters_dropped_from(day, word):
            return index
    found = process.extractOne(word, _WEEKDAYS, scorer=fuzz.ratio)
    if found is None or found[1] < (85 if len(word) == 5 else 75):
        return None
    return _WEEKDAYS.index(found[0])


def _letters_dropped_from(whole: str, word: str) -> bool:
    """Whether ``word`` is ``whole`` with some letters left out, the rest in order."""
    rest = iter(whole)
    return all(letter in rest for letter in word)


def weekday_named(word: str) -> int | None:
    """The weekday (0 = Monday) a lower-case word names, spelt out or by its usual abbreviation
    ("thursday", "thurs", "fri"); None for any other word."""
    if word in _WEEKDAYS:
        return _WEEKDAYS.index(word)
    return _WEEKDAY_ABBREVIATIONS.get(word)


def misspelt_weekday(word: str) -> int | None:
    """The weekday (0 = Monday) a lower-case word misspells or shortens without its vowels
    ("wensday", "thrs", "frdy"), wherever it stands; None for a weekday spelt right, its usual
    abbreviations ("weds") and any other word."""
    return None if word in _WEEKDAYS else _typo_weekday(word)


def _vowelless_weekday(word: str) -> int | None:
    """The weekday (0 = Monday) a word without vowels shortens: four letters or more, its first
    two a weekday's first two consonants, and close to that weekday's consonants, whole or cut
    short ("frdy", "mndy", "thrs", "wdnsdy": ``rapidfuzz`` ratio 80 or more against
    ``_WEEKDAY_CONSONANTS``); else None. A word has vowels, so none is read as a day; nor is
    chat shorthand that begins like one ("thnx", 40; "mnth", 50; "frnd", 75)."""
    if len(word) < 4:  # "thx", "sry", "fwd"
        return None
    alike = [day for day in _WEEKDAY_CONSONANTS if day[:2] == word[:2]]
    found = process.extractOne(word, alike, scorer=fuzz.ratio) if alike else None
    if found is None or found[1] < 80:
        return None
    return _WEEKDAY_CONSONANTS.index(found[0])


# A weekday asked for with its time, among other days said: "the kids are away from Wednesday
# to Friday so … could you see him Thursday at 11", "Tuesday I'm at the dentist at 10 … would
# Wednesday at half 9 work?" (not the day moved from: "from monday at 10 to friday")
_DAY_ASKED_AT_RE = re.compile(
    r"\b(?:could|can|would|will|how\s+about|what\s+about|is|does|say)\b[^.?!]{0,40}?"
    r"(?<!\bfrom\s)(?<!\bof\s)(?<!\bthan\s)(?<!\bmove\s)(?<!\bor\s)(?<!\band\s)"
    r"\b(?:(this|next|on|coming)\s+)?"
    r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+(?:at\s+|around\s+|about\s+)?"
    # ("friday 11 december": a date, not Friday at 11)
    r"(?:\d{1,2}(?:[:.]\d{2})?(?!\s*(?:st|nd|rd|th)\b|/|\s+(?:of\s+)?"
    + _MONTH_WORD
    + r"\b)|half\s+\d|quarter\s+(?:past|to)\s+\d|noon"
    r"|midday)"
    # "… so Friday afternoon would be ideal, could we say 2.30?"
    r"|\b(?:(this|next|on|coming)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"(?:\s+(?:morning|afternoon|evening))?(?:\s+(?:at\s+)?\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)?"
    r"\s+(?:would\s+(?:actually\s+|really\s+|probably\s+)?be"
    r"|is|works?|suits?)\s+"
    r"(?:(?:the|really|much|so|for)\s+)?(?:ideal|best|perfect|easiest|better|me|us)\b"
)


def _day_asked_match(text: str) -> re.Match[str] | None:
    """The ``_DAY_ASKED_AT_RE`` match of ``text`` when it names several weekdays, else None."""
    asked = _DAY_ASKED_AT_RE.search(text)
    # (several days, however written: "I'm on mon tue and fri … saturday morning would be best")
    said = re.findall(rf"\b(?:{_DAY_NAMES}|mon|tues?|weds?|thu(?:rs?)?|fri|sat|sun)s?\b", text)
    if asked is None or len({d[:3] for d in said}) < 2:
        return None
    return asked


def _day_asked_at(text: str) -> tuple[int, bool] | None:
    """(weekday, said "this") of ``_day_asked_match``."""
    asked = _day_asked_match(text)
    if asked is None:
        return None
    day = asked.group(2) or asked.group(4)
    return _WEEKDAYS.index(day), (asked.group(1) or asked.group(3)) == "this"


def _weekday_in(text: str) -> tuple[int, bool] | None:
    """(weekday, said "this") for the first weekday named, tolerating typos; among several,
    the one asked for with its time (``_DAY_ASKED_AT_RE``)."""
    asked = _day_asked_at(text)
    if asked is not None:
        return asked
    for match in re.finditer(r"\b(?:(this|next|on|coming)\s+)?([a-z]{3,10})\b", text):
        word = match.group(2)
        if word.endswith("days") and word[:-1] in _WEEKDAYS:  # "open on wednesdays"
            word = word[:-1]
        index: int | None = None
        if word in _WEEKDAYS:
            index = _WEEKDAYS.index(word)
        elif word in _WEEKDAY_ABBREVIATIONS:
            # "sat"/"sun"/"wed" are also words: count them only where a day fits.
            ambiguous = word in {"sat", "sun", "wed"}
            # "sat 10", "sat at 10", "sat morning 930", "wed after 5"
            # "sat noonish", "sat first thing", "sat lunchtime", "sat late morning"
            # ("get his nails done sat?? like 11": a day ends the request, its time follows)
            fits = (
                rf"\b{word}\s+(?:(?:like|say|around|about|maybe|ish|after|before|from|between"
                rf"|by|till|until|any\s*time\s+after)\s+)?(?:at\s+\d|\d|(?:morning"
                rf"|afternoon|evening|arvo|am|pm|noon\w*|midday|lunch\w*|first\s+thing|early|late"
                rf"|eve)\b)"
                rf"|\b(?:done|in|booked|come|coming|appointment|appt|slot|groom|checkup|jab|nails)"
                rf"\s+(?:on\s+)?{word}\b"
                # "what time u open sat", "are you closed sun?", "open till when sat"
                rf"|\b(?:open|opening|close|closing|closed|shut|hours)\s+{word}\b"
            )
            # ... or said alone ("wed", "sat please" answering which day), or beside another
            # day ("wed or thurs"), or after "for" ("book rex for wed")
            alone = (
                rf"^(?:(?:ok|okay|um|erm|maybe|hmm)\s+)?{word}(?:\s+(?:please|pls|then|maybe|ok"
                rf"|works|is\s+(?:good|fine|best|better)|would\s+be\s+(?:good|great|best|better)"
                rf"|(?:works|suits)\s+better))?[\s?!.]*$"
                rf"|\b{word}\s+or\s+[a-z]{{3}}|\b[a-z]{{3,9}}\s+or\s+{word}\b|\bfor\s+{word}\b"
                # ("fri to sat same time?", "sat same time?": a day moved to, and its time kept)
                rf"|\b(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)[a-z]*\s+(?:to|till)\s+{word}\b"
                rf"|(?<!\bwe\s)(?<!\bi\s)(?<!\bthey\s)(?<!\bhe\s)(?<!\bshe\s)\b{word}\s+same\s+time\b"
                # ("sat then same time", set 205)
                rf"|^{word}\s+(?:then|instead)(?:\s+(?:same\s+time|please|pls|at\b.*|\d.*))?[\s?!.]*$"
            )
            if not ambiguous or match.group(1) or re.search(fits, text) or re.search(alone, text):
                index = _WEEKDAY_ABBREVIATIONS[word]
        elif _typo_weekday(word) is not None:
            index = _typo_weekday(word)
        elif match.group(1) == "on" and _DAY_SLOT_AFTER_RE.match(text, match.end()):
            index = autocorrected_weekday(word)
        if index is not None:
            return index, match.group(1) == "this"
    return None


def _weekday_index(said: str) -> int:
    """Monday 0 … Sunday 6 of a weekday's name or abbreviation ("tues", "thurs")."""
    return _WEEKDAYS.index(said) if said in _WEEKDAYS else _WEEKDAY_ABBREVIATIONS[said]


def _nth_weekday(found: dict[str, str | None], today: date) -> date | None:
    """The date an ``_NTH_WEEKDAY_RE`` match's groups name, from today on (a month whose such
    day has passed is next year's, "this month"'s stays and may be past: None then)."""
    said = found["day"] or ""
    weekday = _WEEKDAYS.index(said) if said in _WEEKDAYS else _WEEKDAY_ABBREVIATIONS[said]
    year, month = today.year, today.month
    if found["month"] is not None:
        word = found["month"]
        month = _MONTHS[word[:3] if word != "sept" else "sep"]
        if month < today.month:
            year += 1
    elif found["which"] in ("next", "following"):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    first = date(year, month, 1)
    nth = found["nth"] or "1st"
    if nth == "last":
        following = date(year + month // 12, month % 12 + 1, 1)
        last = following - timedelta(days=1)
        day = last - timedelta(days=(last.weekday() - weekday) % 7)
    else:
        day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (int(nth[0]) - 1))
    return day if day >= today else None


# The coming weekend asked for: "this weekend", "at the weekend", "this coming weekend". Not
# "next weekend" (this one or the one after?: asked), nor one in the past ("since the weekend",
# "last weekend") or a bound ("until the weekend"), nor "weekends" (do we open on them?).
_WEEKEND_RE = re.compile(
    r"(?<!\bsince\s)(?<!\buntil\s)(?<!\btill\s)(?<!\bover\s)(?<!\bafter\s)"
    r"\b(?:this(?:\s+coming)?|at\s+the|on\s+the|for\s+the|coming)\s+weekend\b"
)


# The week after the coming weekend asked for: "straight after the weekend", "first thing after
# the weekend", "(on) the tuesday after the weekend". Said on a Saturday or Sunday, the weekend is
# the one under way. Not a bound (``bound``: "away until after the weekend", "not till straight
# after the weekend") nor the past ("since after the weekend").
_AFTER_WEEKEND_RE = re.compile(
    r"(?P<bound>\b(?:until|till|til|since|not)\s+)?"
    rf"(?:\b(?:the\s+)?(?P<day>{_DAY_NAMES})\s+)?"
    r"\b(?:(?:straight|right|just|directly|immediately|(?:1st|first)\s+thing)\s+)?"
    r"after\s+the\s+weekend\b"
)


def _after_weekend(text: str, today: date) -> date | None:
    """The day ``_AFTER_WEEKEND_RE`` finds in ``text``: the Monday after the coming weekend, or
    the weekday named with it in that week; else None (and for a bound)."""
    found = _AFTER_WEEKEND_RE.search(text)
    if found is None or found["bound"]:
        return None
    monday = _next_weekday(today, 0)
    said = found["day"]
    if said is None:
        return monday
    return monday + timedelta(
        days=_WEEKDAYS.index(said) if said in _WEEKDAYS else _WEEKDAY_ABBREVIATIONS[said]
    )


def _read_day(text: str, today: date) -> tuple[date | None, date | None]:
    """(day, past_day) named by ``text``."""
    nth = _NTH_WEEKDAY_RE.search(text)
    if nth is not None:
        counted = _nth_weekday(nth.groupdict(), today)
        if counted is not None:
            return counted, None
    alone, month_said = _NTH_WEEKDAY_ALONE_RE.search(text), _MONTH_SAID_RE.search(text)
    if nth is None and alone is not None and month_said is not None:
        counted = _nth_weekday({**alone.groupdict(), **month_said.groupdict()}, today)
        if counted is not None:
            return counted, None
    month_end = _MONTH_END_RE.search(text)
    if month_end is not None and not month_end["bound"]:
        # "at the end of the month": its last day ("next month": the next month's), the times
        # offered around it when the clinic is closed then
        month = today.month + (1 if month_end["next"] else 0)
        year = today.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        first_after = date(year + month // 12, month % 12 + 1, 1)
        return first_after - timedelta(days=1), None
    week_end = _WEEK_END_RE.search(text)
    if week_end is not None and not week_end["bound"]:
        # "at the end of the week": its Friday, the working week's last day ("next week": the
        # next one's); this week's once its Friday is past is next week's
        friday = today + timedelta(days=4 - today.weekday())
        if week_end["next"] or friday < today:
            friday += timedelta(days=7)
        return friday, None
    weeks_on = _WEEKS_ON_DAY_RE.search(text)
    if weeks_on is not None:
        # "a fortnight on Tuesday", "2 weeks from friday": that many weeks after the next such day
        said = weeks_on["day"] or weeks_on["day2"]
        index = _WEEKDAYS.index(said) if said in _WEEKDAYS else _WEEKDAY_ABBREVIATIONS[said]
        return _next_weekday(today, index) + timedelta(days=7 * _weeks(weeks_on)), None
    from_tomorrow = _WEEKS_FROM_TOMORROW_RE.search(text)
    if from_tomorrow is not None:
        weeks = 2 if from_tomorrow["after"] == "fortnight" else _weeks(from_tomorrow)
        return today + timedelta(days=1 + 7 * weeks), None
    weeks_ahead = next(
        (found for pattern in _WEEKS_AHEAD_RES if (found := pattern.search(text))), None
    )
    this_day = re.search(rf"\bthis\s+(?:coming\s+)?(?:{_DAY_NAMES})\b", text)
    if weeks_ahead is not None and this_day is None and _day_asked_at(text) is None:
        later = today + timedelta(days=7 * _weeks(weeks_ahead))
        named = _weekday_in(text)
        if named is None:
            return later, None
        # "in 2 weeks on the tuesday": that weekday of the week 2 weeks from now ("back in a
        # week … so this saturday": "this saturday" says the day)
        return later - timedelta(days=later.weekday()) + timedelta(days=named[0]), None
    if re.search(r"\bday\s+after\s+tomorrow\b", text):
        return today + timedelta(days=2), None
    if re.search(r"\btomorrow\b", text):
        return today + timedelta(days=1), None
    if re.search(r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening))\b", text):
        return today, None
    in_days = re.search(r"\bin\s+(\d{1,2})\s+days?\b", text)
    if in_days:
        return today + timedelta(days=int(in_days.group(1))), None

    written = _year_first_date(text)
    if written is not None:
        # its year said, a passed date is never moved on a year: the agent asks
        return (written, None) if written >= today else (None, written)
    explicit = _month_date(text, today)
    if explicit is not None:
        if explicit < today:
            if today - explicit <= _PAST_DATE_WINDOW:
                return None, explicit
            explicit = _same_day_next_year(explicit)
        return explicit, None

    after_weekend = _after_weekend(text, today)
    if after_weekend is not None:
        # "something's come up on thursday, could we move him to straight after the weekend?":
        # the weekday is the booking's, the week after the weekend the day asked for
        return after_weekend, None
    # ("next week. any day except monday": Monday ruled out is no day asked)
    ruled_out = ruled_out_weekdays(text)
    weekday = _weekday_in(_RULED_OUT_RE.sub(" ", text) if ruled_out else text)
    if weekday is not None and weekday[0] in ruled_out:
        weekday = None  # ("… except monday, I'm in the office all day mondays")
    week_on = _WEEKDAY_WEEK_RE.search(text)
    if week_on is not None:
        said = week_on["day"] or week_on["day2"] or week_on["day3"]
        index = _WEEKDAYS.index(said) if said in _WEEKDAYS else _WEEKDAY_ABBREVIATIONS[said]
        return _next_weekday(today, index) + timedelta(days=7), None
    # "this Friday" is this week's even when "next week" is said of something else ("move the
    # one next week forward to this friday").
    if weekday is not None and not weekday[1] and _NEXT_WEEK_RE.search(text):
        # "Tuesday next week", "next week on Friday": that weekday in the coming Monday's week
        # ("the week after next? the tuesday": the week after that one)
        monday = today + timedelta(days=7 - today.weekday())
        if re.search(r"\bweek\s+after\s+next\b", text):
            monday += timedelta(days=7)
        return monday + timedelta(days=weekday[0]), None
    day_number = _DAY_NUMBER_RE.search(text)
    if day_number is not None:
        number = int(day_number.group(1) or day_number.group(2))
        if weekday is not None:
            # "friday the 4th" on Monday the 7th: last Friday, passed (not a Friday months on)
            with contextlib.suppress(ValueError):
                passed = date(today.year, today.month, number)
                if passed < today and passed.weekday() == weekday[0]:
                    return None, passed
        months = {found["month"] for found in _IN_MONTH_RE.finditer(text)}
        if weekday is None and len(months) == 1:
            # "she's due in april, could we do the 12th?": the 12th of the month said
            with contextlib.suppress(ValueError):
                said = date(today.year, month_number(months.pop()), number)
                return (said if said >= today else _same_day_next_year(said)), None
        if _NEXT_MONTH_RE.search(text):
            # "the 7th next month": that month's, never this month's (today the 7th included)
            later = today.replace(day=1) + timedelta(days=32)
            with contextlib.suppress(ValueError):
                return later.replace(day=number), None
        candidate = _next_day_of_month(today, number, weekday[0] if weekday else None)
        if candidate is not None:
            return candidate, None
    numeric = re.search(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b", text) or _dotted_date(text)
    if numeric is not None:
        first, second = int(numeric.group(1)), int(numeric.group(2))
        day_of, month = (first, second) if first > 12 or second <= 12 else (second, first)
        try:
            candidate = date(today.year, month, day_of)
        except ValueError:
            candidate = None
        if weekday is not None and first <= 12 and second <= 12 and first != second:
            # "Wed 12/9": written month first (American), as the weekday beside it says
            with contextlib.suppress(ValueError):
                other = date(today.year, first, second)
                if other < today:
                    other = _same_day_next_year(other)
                if other.weekday() == weekday[0] and (
                    candidate is None or candidate.weekday() != weekday[0]
                ):
                    candidate = other
        if candidate is not None:
            if candidate < today:
                if today - candidate <= _PAST_DATE_WINDOW:
                    return None, candidate
                candidate = _same_day_next_year(candidate)
            return candidate, None
    if weekday is not None:
        index, this = weekday
        next_named = re.search(rf"\bnext\s+({_DAY_NAMES})\b", text)
        if not this and next_named is not None and _weekday_index(next_named.group(1)) == index:
            # "next tuesday" said on a Monday: the Tuesday of next week, not tomorrow (the
            # coming one is "tuesday", "this tuesday" or "tomorrow"); "what about next
            # saturday?" after this Saturday's times: the one after
            return today + timedelta(days=7 - today.weekday() + index), None
        return _next_weekday(today, index, include_today=this), None
    if _WEEKEND_RE.search(without_past_days(text)):
        # its first day; a clinic closed then says so and offers the nearest days (not a
        # weekend of the past: "my sister did hers at the weekend")
        return _next_weekday(today, 5, include_today=True), None
    return None, None


# "14.12" (day.month, as written across Europe) next to a time of its own ("luna 14.12 at 14h"),
# or with its year: otherwise "3.30" and "10.15" are times.
_DOTTED_DATE_RE = re.compile(r"\b(\d{1,2})\.(\d{1,2})(?:\.(\d{2,4}))?\b(?!\s*[ap]m\b)(?!\.\d)")
_OTHER_TIME_RE = re.compile(
    r"\b\d{1,2}(?:[:h]\d{2}|h\b|\s*[ap]m\b|\s*o'?\s?clock\b)|\b(?:at|around|about)\s+\d{1,2}\b"
)


# A date written year first, as forms, calendars and booking sites write it: "2026-12-11" (ISO
# 8601), "2026/12/11", "2026.12.11", "2026-12-11T16:45" (normalised "2026-12-11 16:45"). Year,
# month, day in that order is the only reading, unlike "11/12".
_YEAR_FIRST_DATE_RE = re.compile(r"(?<![\d/.-])\b(\d{4})([-/.])(\d{1,2})\2(\d{1,2})\b(?![/.-]?\d)")


def _year_first_date(text: str) -> date | None:
    """The date normalised ``text`` writes year first (``_YEAR_FIRST_DATE_RE``), else None (and
    for a date that does not exist: "2026-02-30")."""
    found = _YEAR_FIRST_DATE_RE.search(text)
    if found is None:
        return None
    try:
        return date(int(found.group(1)), int(found.group(3)), int(found.group(4)))
    except ValueError:
        return None


def _dotted_date(text: str) -> re.Match[str] | None:
    """A day.month date in normalised ``text`` (``_DOTTED_DATE_RE``): only with a year, or with
    another time beside it, and only a month of 1-12 not read as minutes of a time first."""
    found = _DOTTED_DATE_RE.search(text)
    if found is None or not 1 <= int(found.group(2)) <= 12:
        return None
    rest = text[: found.start()] + " " + text[found.end() :]
    return found if found.group(3) or _OTHER_TIME_RE.search(rest) else None


def _holiday_pattern(name: str) -> str:
    """A holiday's name as customers write it: any case, apostrophes and a final "s" optional
    ("New Years Day"), "labour" for "labor"; a long one-word stem alone too ("Christmas" for
    "Christmas Day"), never followed by "eve" (Christmas Eve is another day)."""
    words = re.findall(r"[a-z]+", name.lower().replace("'s", "").replace("s'", "s"))
    if not words:
        return r"(?!)"
    stem = words[:-1] if words[-1] == "day" and len(words) > 1 else words
    said = [
        ("labou?r" if w == "labor" else re.escape(w)) + ("'?s?" if w != "day" else "") for w in stem
    ]
    full = r"\s+".join(said)
    tail = r"(?:\s+day)?" if len(stem) == 1 and len(stem[0]) >= 9 else r"\s+day"
    if stem == words:
        tail = ""
    return rf"\b{full}'?{tail}\b(?!\s+eve)"


# A holiday said as a bound or a season, not as the day wanted: "not too rushed before
# Christmas", "away over Easter", "closed until New Year's Day?", "in time for Christmas". Not
# "the day before Christmas" nor "the week after", which count from it (``_DAY_STEP_RE``); a
# weekday before the bound is that weekday counted from the holiday (``_WEEKDAY_FROM_HOLIDAY_RE``).
_HOLIDAY_BOUND_RE = re.compile(
    r"(?<!\bday\s)(?<!\bdays\s)(?<!\bweek\s)(?<!\bweeks\s)"
    r"\b(?:before|until|till|til|up\s+to|after|since|over|during|ahead\s+of|in\s+time\s+for)"
    r"\s+(?:the\s+)?$"
)
# "the friday before christmas", "the monday after easter monday": that weekday, the last one
# before the holiday or the first after it.
_WEEKDAY_FROM_HOLIDAY_RE = re.compile(
    rf"\b(?P<day>{_DAY_NAMES})\s+(?P<side>before|after)\s+(?:the\s+)?$"
)


# Days counted from a named day, said just before it: "the day after boxing day", "2 days
# before christmas"
_DAYS_FROM_NAMED_RE = re.compile(
    r"\b(?:the\s+day|(?P<n>a|\d)\s+days?)\s+(?P<side>after|before)\s+(?:the\s+)?$"
)


def _counted_from_named(
    text: str, found: re.Match[str], named: date, *, bounds: bool = False
) -> date | None:
    """The day a holiday or named day (``named``, matched by ``found`` in ``text``) says: itself,
    a weekday counted from it ("the friday before christmas"), or None when it is only a bound
    ("before christmas", ``_HOLIDAY_BOUND_RE``) unless ``bounds`` ("are you open over
    christmas?" asks about the holiday itself)."""
    before = text[: found.start()]
    days = _DAYS_FROM_NAMED_RE.search(before)
    if days is not None:
        # "the day after boxing day", "2 days before christmas eve"
        n = 1 if days["n"] in (None, "a", "the") else int(days["n"])
        return named + timedelta(days=n if days["side"] == "after" else -n)
    counted = _WEEKDAY_FROM_HOLIDAY_RE.search(before)
    if counted is not None:
        said = counted["day"]
        weekday = _WEEKDAYS.index(said) if said in _WEEKDAYS else _WEEKDAY_ABBREVIATIONS[said]
        if counted["side"] == "before":
            return named - timedelta(days=(named.weekday() - weekday - 1) % 7 + 1)
        return named + timedelta(days=(weekday - named.weekday() - 1) % 7 + 1)
    return None if not bounds and _HOLIDAY_BOUND_RE.search(before) else named


def _holiday_named(
    text: str, today: date, holidays: Mapping[date, str], *, bounds: bool = False
) -> date | None:
    """The next date from ``today`` of a holiday ``text`` names as a day (not only as a bound,
    unless ``bounds``: ``_counted_from_named``), else None."""
    for day in sorted(d for d in holidays if d >= today):
        for found in re.finditer(_holiday_pattern(str(holidays[day])), text):
            counted = _counted_from_named(text, found, day, bounds=bounds)
            if counted is not None:
                return counted
    return None


def _date_named(text: str, today: date, *, bounds: bool = False) -> date | None:
    """The next date from ``today`` of a day ``text`` names ("boxing day") as a day (not only as
    a bound, unless ``bounds``: ``_counted_from_named``), else None."""
    for pattern, (month, day_of) in _NAMED_DATES:
        this_year = date(today.year, month, day_of)
        day = this_year if this_year >= today else _same_day_next_year(this_year)
        for found in pattern.finditer(text):
            counted = _counted_from_named(text, found, day, bounds=bounds)
            if counted is not None:
                return counted
    return None


# A month said as when something is: "due in april", "for february", "early in january"
_IN_MONTH_RE = re.compile(
    rf"\b(?:in|for|during|until|till|by|around|early|late|mid|end\s+of|start\s+of)\s+"
    rf"(?:early\s+|late\s+|mid\s+)?(?P<month>{_MONTH_WORD})\b"
)


def _month_date(text: str, today: date) -> date | None:
    found = re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_WORD})\b", text)
    if found is not None:
        day_of, month_word = int(found.group(1)), found.group(2)
    else:
        found = re.search(rf"\b({_MONTH_WORD})\s+(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\b", text)
        if found is None:
            return None
        month_word, day_of = found.group(1), int(found.group(2))
    if month_word == "may" and found.group(0).startswith("may ") and day_of > 31:
        return None
    try:
        return date(today.year, _MONTHS[month_word[:3] if month_word != "sept" else "sep"], day_of)
    except ValueError:
        return None


def _same_day_next_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _next_day_of_month(today: date, number: int, weekday: int | None) -> date | None:
    """The next date numbered ``number`` from today on; with a weekday ("Monday the 7th"), this
    one or the next that falls on it, else the nearest by number (``read`` then reports the
    clash: "Tuesday the 10th" never means a Tuesday the 10th eight months away)."""
    candidates = []
    year, month = today.year, today.month
    for _ in range(13):
        try:
            candidate = date(year, month, number)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= today:
            candidates.append(candidate)
        month += 1
        if month == 13:
            year, month = year + 1, 1
    if not candidates:
        return None
    if weekday is not None:
        for candidate in candidates[:2]:
            if candidate.weekday() == weekday:
                return candidate
    return candidates[0]


# -- times ---------------------------------------------------------------------------------------


# An hour after a word that introduces it ("at like 11", "around 10ish", "for 3"), not a count.
_HOUR_AFTER_WORD = (
    r"\s+(?:(?:like|maybe|say|um|uh|erm|roughly|approximately|approx)\s+)?(\d{1,2})()"
    r"(?:-?ish)?()\b"
    r"(?!\s*(?:days?|weeks?|months?|pets?|cats?|dogs?|of|(?:st|nd|rd|th)\b|/|minutes?|hours?"
    r"|people|animals|appointments?|years?|times?|jabs?|shots?|vaccin\w*|kittens?|puppies"
    r"|more|less|extra|other|another|things?"
    # "then I only have to do one trip" (set 141)
    r"|trips?|journeys?|runs?|visits?|drives?|go\b|lots?|bookings?|slots?|rabbits?|birds?"
    # "for 6 April": a date, not 6 o'clock
    rf"|{_MONTH_WORD}\b))"
)


# An afternoon or evening hour on the 24-hour clock said with the morning: "13 in the morning",
# "at 15:30 am" (an hour and its half of the day that cannot both be right).
_CLOCK_CLASH_RE = re.compile(
    r"(?<![:.h\d])(?<!\d\s)\b(?:1[3-9]|2[0-3])(?:[:.h][0-5]\d)?\s*(?:am\b|(?:in\s+the|this)\s+morning\b)"
)


# An hour said with the one it replaces: "sorry 5 not 4!", "3:30 not 3", "make it 11, not 10",
# "the 10 not the 11".
_HOUR_NOT_HOUR_RE = re.compile(
    # ("half 2 not 2": half past the hour; "quarter to 3 not 3")
    r"(?:\b(?P<past>half|quarter)\s+(?:(?P<to>to)\s+|past\s+)?)?"
    r"\b(?P<hour>\d{1,2})(?:[:.](?P<minute>[0-5]\d))?\s*(?P<half>[ap]m)?\s*,?\s+not\s+(?:at\s+)?"
    # ("the 10 not the 11": the hours of a slot read back)
    r"(?:the\s+)?\d{1,2}(?:[:.][0-5]\d)?\s*(?:[ap]m)?(?!\s*(?:minutes?|hours?|days?|weeks?|years?|kg|pets?))\b"
)


def _swapped_clock(found: re.Match[str], part: str | None) -> time | None:
    """The hour an ``_HOUR_NOT_HOUR_RE`` match says ("sorry 5 not 4!" is 17:00 by day), None
    for no hour of the day."""
    hour = int(found["hour"])
    if hour < 1:
        return None
    minute = int(found["minute"] or 0)
    if found["past"] is not None and found["minute"] is None:
        minute = 30 if found["past"] == "half" else 15
        if found["to"]:
            hour, minute = hour - 1, 45
        if hour < 1:
            return None
    return _clock_of(hour, minute, found["half"], part)


def _clock_of(hour: int, minute: int, marker: str | None, part: str | None) -> time | None:
    """The time an hour, its minutes and its am/pm (or the part of the day) say; None when they
    say none (minute 60, hour 24, "13pm")."""
    if minute > 59 or hour > 23:
        return None
    if marker is not None and not 1 <= hour <= 12:
        return None
    if hour <= 12:
        hour = _half_of_day(hour, marker, part)
    return time(hour, minute)


_SLASHED_DATE_RE = re.compile(r"(?<![\d/.:])\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b(?![/.:]\d)")


def _read_clock(text: str, part: str | None) -> time | None:
    # "2026-12-11 16:45": the date's numbers are no hour
    text = _YEAR_FIRST_DATE_RE.sub(" ", text)
    dotted = _dotted_date(text)
    if dotted is not None:  # "14.12 at 2pm": the day and month are no 14:12
        text = f"{text[: dotted.start()]} {text[dotted.end() :]}"
    # "today 7/12 this afternoon", "on 7/12 after 5": a day and month are no hour or minutes
    text = _SLASHED_DATE_RE.sub(" ", text)
    named = _NAMED_TIME_RE.search(text)
    if named is not None:
        return time(12, 0) if named["noon"] else time(11, 0)
    relative = re.search(
        # ("on 7/12 after 5": the date's 12 is no minutes)
        r"(?<![/.:\d])\b(quarter|half|\d{1,2})\s+(past|after|to)\s+(\d{1,2})\b(?:\s*([ap]m))?",
        text,
    )
    if relative is not None:
        amount, direction, hour = relative.group(1), relative.group(2), int(relative.group(3))
        minutes = {"quarter": 15, "half": 30}.get(amount) or int(amount)
        # ("my lunch break, 1 to 2": a range, not a minute to two; "ten to four" is a time)
        ranged = direction == "to" and amount.isdigit() and minutes not in (10, 20, 25)
        if minutes < 60 and 1 <= hour <= 12 and not ranged:
            hour = _half_of_day(hour, relative.group(4), part)
            stamp = datetime.combine(date(2000, 1, 1), time(hour % 24, 0))
            delta = timedelta(minutes=minutes if direction != "to" else -minutes)
            return (stamp + delta).time()
    # "at the four and half of the afternoon" (Spanish "las cuatro y media" word for word), "at 4
    # and a quarter": a time only after "at" or before a part of the day (a pet is "4 and a half")
    and_part = re.search(
        r"(?:\bat\s+(?:the\s+)?)?\b(\d{1,2})\s+and\s+(?:a\s+)?(half|quarter)\b"
        r"(?!\s+(?:hours?|days?|weeks?|months?|years?|mins?|minutes?))(?:\s*([ap]m))?"
        r"(?P<part>\s+(?:of|in)\s+the\s+(?:morning|afternoon|evening))?",
        text,
    )
    if (
        and_part is not None
        and (and_part.group(0).startswith("at") or and_part.group(3) or and_part["part"])
        and 1 <= int(and_part.group(1)) <= 12
    ):
        part_said = and_part["part"].split()[-1] if and_part["part"] else part
        hour = _half_of_day(int(and_part.group(1)), and_part.group(3), part_said)
        return time(hour, 30 if and_part.group(2) == "half" else 15)
    # British "half 3" is half past three ("half an hour" has no digit, "half 3pm" keeps its pm).
    half = re.search(
        r"\bhalf\s+(\d{1,2})\b(?!\s*(?:hours?|minutes?|days?|weeks?|[:.]\d))"
        r"(?:\s*([ap]m))?",
        text,
    )
    if half is not None and 1 <= int(half.group(1)) <= 12:
        return time(_half_of_day(int(half.group(1)), half.group(2), part), 30)
    patterns = [
        # 16h, 16h30, 9h15: the way French (and many other European) customers write times
        r"(?<!\bin\s)(?<!\bwithin\s)(?<!\bevery\s)\b(\d{1,2})h(\d{2})?()\b",
        # 14:30, 2:30 pm, 9.15am, 10 30 am (number words made digits)
        r"(?<![/.])\b(\d{1,2})[:.](\d{2})\s*([ap]m)?\b(?![/.]\d)",
        # ("12/12 10am" is a date and 10 am, not 12:10 am)
        r"(?<![/.])\b(\d{1,2})\s+(\d{2})\s*([ap]m)\b",
        # number words made digits: "ten forty-five in the morning" (10 45), "at eleven fifteen"
        r"\b(\d{1,2})\s+([0-5]\d)()\b(?=\s+(?:in\s+the|this)\s+(?:morning|afternoon|evening)"
        r"|\s+o'?\s?clock)",
        r"\b(?:at|around|about|by|say)\s+(\d{1,2})\s+([0-5]\d)()\b"
        r"(?!\s*(?:euros?|€|minutes?|hours?|days?|/))",
        # an hour and its quarter in words, said first: "ah ok, eleven thirty then?" (11 30)
        r"(?:^|\b(?:ok|okay|then|maybe|so|ah|oh|um|erm|yes|yeah|fine|or|how\s+about"
        r"|what\s+about)[,\s]+)(\d{1,2})\s+(15|30|45)()\b"
        r"(?!\s*(?:euros?|€|minutes?|mins?|hours?|days?|/|kg|years?|pets?|times?))",
        # hour and minutes in words before the day: "nine thirty on friday" (9 30 on friday)
        rf"\b(\d{{1,2}})\s+([0-5]\d)()\b(?=\s+(?:on\s+|this\s+|next\s+)?{_DAY_WORD}\b)",
        # 3pm, 3 pm, 10am
        r"\b(\d{1,2})()\s*([ap]m)\b",
        # an hour before the day it is on: "11 on friday?", "3 on the 15th" (not "the 2 on
        # friday", nor "1", which is "one" normalised: "can i get one on friday")
        rf"(?<![\d:.])(?<!\bthe\s)\b(?!1\b)(\d{{1,2}})()()\s+on\s+(?:next\s+)?{_DAY_WORD}\b",
        # ... or straight before it, asked: "is 9 tomorrow ok for a groom?", "say 3 friday?"
        rf"\b(?:is|say|about|maybe|or|would|could|does|will)\s+(\d{{1,2}})()()\s+{_DAY_WORD}\b",
        # "thursday ten fifteen" (number words made digits: "thursday 10 15")
        rf"\b{_DAY_WORD}\s+(\d{{1,2}})\s+([0-5]\d)()\b"
        r"(?!\s*(?:euros?|€|minutes?|hours?|days?|/|[ap]m))",
        # 11 o'clock, 3 oclock
        r"\b(\d{1,2})()\s*o'?\s?clock()\b",
        # 930, 1130am, "sat morning 930": digits run together, where a time goes
        r"\b(\d{1,2})([0-5]\d)\s*([ap]m)\b",
        rf"\b(?:at|around|about|by|say|morning|afternoon|evening|{_DAY_WORD})\s+"
        r"(\d{1,2})([0-5]\d)()\b(?!\s*(?:euros?|€|minutes?|hours?|days?|/))",
        # ... or answering which time: "930 is good", "1030 pls", "1145" on its own (a quarter
        # of the hour only: "150 is ok" is no time)
        r"(?<![\d/.:€$£-])(?:^|(?<=\s))([1-9]|1\d|2[0-3])(00|15|30|45)()\b(?!\s*(?:euros?|€|minutes?"
        r"|hours?|days?|/))(?=\s+(?:is|works?|would|suits?|pls|please|then|ok|okay|good|fine"
        r"|thanks|thank|perfect)\b|\s*$)",
        # a 24-hour time before its day: "1530 thursday for max?", "0930 on friday"
        rf"(?<![\d/.:-])\b([01]\d|2[0-3])([0-5]\d)()\b(?=\s+(?:on\s+|this\s+|next\s+)?{_DAY_WORD}\b)",
        # at 2, around 10, by 3, at 10ish; "2 in the afternoon"; "tomorrow 3", "friday 10";
        # spoken fillers between: "at like 11", "around maybe 3", "at say 4"
        # ("at 11" before "for 1": in "book Luna in for one thurs at 11" the "at" says the time)
        rf"\b(?:at|around|about|by|say|ideally|preferably){_HOUR_AFTER_WORD}",
        # one pet's hour changed: "actually make Bella's 11", "make his 3"
        r"\bmake\s+(?:his|hers?|theirs|[a-z]+'s|[a-z]+)(?:\s+1)?\s+(?:at\s+)?([2-9]|1[0-2])()"
        r"(?:-?ish)?()\b(?![:.]\d)(?!\s*(?:days?|weeks?|months?|pets?|cats?|dogs?|of|minutes?"
        r"|hours?|mins?))",
        # an hour offered with a condition: "make it the afternoon, 3 if you can"
        r"\b(\d{1,2})()()\s+if\s+(?:you\s+can|possible|poss|that's\s+(?:ok|okay|possible|free)"
        r"|it's\s+free|free|available|you\s+have\s+(?:it|space|room))\b",
        # ("come in for one as soon as you open", "in for one on friday": a visit, not 1
        # o'clock; "one" is normalised "1")
        rf"\b(?:from|after|before|for(?!\s+1\s+(?:as|on|this|next|too|when|at|tomorrow|today)\b)"
        rf"|till|until|to|make\s+it|do){_HOUR_AFTER_WORD}",
        # an hour said after the part of the day: "in the afternoon like 3 or something" (a
        # filler between: "the afternoon one" is normalised "the afternoon 1", a booking)
        r"\b(?:morning|afternoon|evening|arvo),?\s+(?:like|say|maybe|around|about|roughly)\s+"
        r"(\d{1,2})()(?:-?ish)?()\b(?!\s*(?:days?|weeks?|pets?|cats?|dogs?|appointments?|of))",
        # ... or bare after a day's part ("saturday morning 10", "thursday afternoon, 4?"), not
        # "1" ("one") nor after "the" ("the afternoon one")
        r"(?<!the\s)\b(?:morning|afternoon|evening|arvo),?\s+([2-9]|1[0-2])()(?:-?ish)?()\b"
        r"(?![:.]\d)(?!\s*(?:days?|weeks?|pets?|cats?|dogs?|appointments?|of|or\s+more|people))",
        r"\blike\s+(\d{1,2})()()\s+or\s+(?:so|something|thereabouts)\b",
        # an hour said with a maybe, after asking for another side: "could it be earlier, 9
        # maybe?" (set 147)
        # ("a bit earlier on thursday? 4 maybe", set 209)
        rf"\b(?:earlier|later|sooner|instead)(?:\s+on)?(?:\s+{_DAY_WORD})?[\s,]+(\d{{1,2}})()()\s+"
        r"(?:maybe|perhaps|possibly)\b",
        # a bare hour opening a short answer: "11 then please", "ok 4 then", "10 for both pls"
        r"^(?:(?:ok|okay|so|right|yes|yeah)\s+)?([1-9]|1[0-2])()()\s+for\s+(?:both|them\s+both"
        r"|all\s+(?:two|three)|all\s+of\s+them)\b(?:\s+(?:please|pls|thanks|then))?[\s!.]*$",
        r"^(?:(?:ok|okay|so|right|ah|oh|hmm)\s+)?([1-9]|1[0-2])()()\s+then\b(?:\s+(?:please|pls|thanks))?\s*$",
        # ... with a reason after it: "10 for both please, they travel together" (set 128)
        r"^(?:(?:ok|okay|so|right|yes|yeah)\s+)?([1-9]|1[0-2])()()\s+(?:for\s+(?:both|them\s+both"
        r"|all\s+of\s+them)\s+)?(?:please|pls|plz)\b",
        # the earliest said as a bound: "so 6 or after", "5 or later", "10 onwards", "not
        # before 10 tho, I do the school run"
        r"(?<![\d:./-])\b(\d{1,2})()()\s+(?:or\s+(?:after|later|afterwards)|onwards?)\b",
        r"\bnot\s+(?:before|until|till|til|earlier\s+than)\s+(\d{1,2})()()\b(?![:.]\d)",
        # "can't get there before 7.30 on weds", "won't be in till 6": the earliest they can
        r"\b(?:can't|cannot|won't|couldn't|can\s+not)\s+(?:get|be|make\s+it)\s+(?:there|in|here"
        r"|down|over|back)?\s*(?:before|until|till|til)\s+(\d{1,2})(?:[:.](\d{2}))?\s*([ap]m)?\b",
        r"\b(\d{1,2})()-?ish()\b",
        # the time of the visit to repeat: "this saturday same time? it was 11"
        r"\bsame\s+time\b.{0,30}\b(?:it|that)\s+was\s+(?:at\s+)?(\d{1,2})()()\b(?![:.]?\d)",
        # an hour weighed as a time: "is 5 too late?", "3 would suit better", "4 works for us"
        r"\bis\s+(\d{1,2})()()\s+(?:too\s+(?:late|early)|ok|okay|alright|possible|free"
        r"|available|(?:any\s+)?better|any\s+good|doable|an\s+option)\b",
        # ("5 for both is perfect": the hour said of the pets it is for; not "smudge's one is
        # fine where it is", set 209: normalised "smudge's 1")
        r"(?<!'s\s)\b(\d{1,2})()()\s+(?:for\s+(?:both(?:\s+of\s+them)?|them\s+both|them\s+all|all\s+of"
        r"\s+them|all\s+(?:two|three)|them|each|him|her)\s+)?(?:would|will|'d|should|could)?\s*"
        r"(?:suits?|works?"
        r"|(?:is|be)\s+(?:better|best|ideal|easier|fine|good|great|perfect))\b",
        # a bare hour closing a correction: "can we make that a bit later, 11?"
        r"\b(?:later|earlier|instead|rather)\b[\s,]*(?:say\s+|maybe\s+|like\s+)?(\d{1,2})()()"
        r"\s*\??$",
        # ... or after a day said with it: "can max come earlier on thursday, like 9?"
        r"\b(?:later|earlier|instead|rather)\b[^.?!\d]{0,30}?[\s,]+(?:say|maybe|like|around|about)\s+"
        r"(\d{1,2})()()\s*\??$",
        r"\b(\d{1,2})()\s+(?:in\s+the|this)\s+(?:morning|afternoon|evening)()\b",
        # Spanish and Italian ways: "at 5 of afternoon" (de la tarde), "5 of the evening"
        # ("at 3 hour of the afternoon": "a las 3 horas de la tarde" word for word)
        r"\b(\d{1,2})()\s+(?:hours?\s+|h\s+|o'?clock\s+)?(?:of|in)\s+(?:the\s+)?"
        r"(?:morning|afternoon|evening|night)()\b",
        r"\b(?:today|tomorrow|tonight|mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun"
        # ("the thursday one" is normalised "the thursday 1": a booking pointed at, not 1 pm)
        r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+(?!1\b(?!\s*o'?clock))"
        r"(\d{1,2})()()\b"
        # "this friday, 11 december": a date, not 11:00
        r"(?!\s*(?:(?:st|nd|rd|th)\b|/|days?|weeks?|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov"
        r"|dec))",
    ]
    for pattern in patterns:
        # every match, not only the first: "moved to 25 rue Oberkampf … wednesday at 11" has a
        # "to 25" that is no time before the "at 11" that is
        for found in re.finditer(pattern, text):
            minute = int(found.group(2)) if found.group(2) else 0
            said = _clock_of(int(found.group(1)), minute, found.group(3) or None, part)
            if said is not None:
                return said
    return None


# A weekday said as the day wanted, not as a bound ("my car's in the garage till friday").
_WANTED_WEEKDAY_RE = re.compile(
    r"(?<!till\s)(?<!until\s)(?<!til\s)(?<!since\s)(?<!before\s)(?<!after\s)(?<!by\s)(?<!from\s)"
    r"\b(?:mon|tues|wednes|thurs|fri|satur)day\b"
)


def _weekday_after_shift(text: str, day: date | None, shift: timedelta | None) -> bool:
    """Whether the weekday of ``day`` is said after a shift of whole weeks ("the following
    week instead? tuesday at 9"), as the day wanted in the week the shift lands in."""
    if day is None or shift is None or shift <= timedelta(0) or shift % timedelta(days=7):
        return False
    step = _DAY_STEP_RE.search(text)
    if step is None:
        return False
    named = _WANTED_WEEKDAY_RE.search(text, step.end())
    return named is not None and _weekday_index(named.group(0)) == day.weekday()


def _read_shift(text: str) -> timedelta | None:
    step = _DAY_STEP_RE.search(text)
    if step is not None:
        if step["week"] or step["week2"] or step["week3"]:
            return timedelta(days=7)
        weeks = step["weeks"] or step["weeks2"]
        if weeks:  # "postpone it by 2 weeks", "3 weeks after that"
            return timedelta(days=7 * (1 if weeks == "a" else int(weeks)))
        return timedelta(days=1 if step["after"] else -1)
    shift = _SHIFT_RE.search(text)
    if shift is None:
        return None
    found = _AMOUNT_RE.fullmatch(shift["amount1"] or shift["amount2"] or shift["amount3"])
    assert found is not None  # the same pattern matched it inside _SHIFT_RE
    direction = shift["before"] or shift["after"]
    sign = -1 if direction is not None and re.fullmatch(_EARLIER, direction) else 1
    return timedelta(minutes=sign * _minutes_of(found))


def _minutes_of(found: re.Match[str]) -> float:
    """The minutes of an ``_AMOUNT_RE`` match ("half an hour" → 30, "2 days" → 2880)."""
    if found["half"]:
        minutes = 30.0
    elif found["quarter"]:
        minutes = 15.0
    elif found["fortnight"]:
        minutes = 24 * 60 * 14
    elif found["days"]:
        count = 1 if found["days"] in ("a", "an") else int(found["days"])
        minutes = 24 * 60 * count * (7 if found["unit"].startswith("week") else 1)
    elif found["hours"]:
        hours = 1.0 if found["hours"] in ("a", "an") else float(found["hours"])
        minutes = 60 * (hours + (0.5 if found["and_half"] else 0))
    else:
        minutes = float(found["minutes"])
    return minutes


def _half_of_day(hour: int, marker: str | None, part: str | None) -> int:
    """24-hour hour for a 1-12 hour and its am/pm or the part of the day."""
    if marker == "am":
        return 0 if hour == 12 else hour
    if marker == "pm":
        return hour if hour == 12 else hour + 12
    # (no afternoon has an 11 o'clock: "11.45 then, i'll take an early lunch" is 11:45)
    if (part == "afternoon" and hour <= 7) or (part == "evening" and hour < 12):
        return hour + 12
    if part == "morning":
        # (the morning of the booking talked about, not of the hour: "ragnar's groom on friday
        # morning - could we do later that day instead, like 3?" is 15:00; nobody is seen at 3
        # in the night)
        return hour + 12 if 1 <= hour <= 5 else hour
    return hour + 12 if 1 <= hour <= 7 else hour
