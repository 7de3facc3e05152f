"""A time window said instead of a time: "any time after 2", "she finishes school at 3:30 and
we're 5 mins away", "my break is 12 till 1:30", "out by 9:15", "late afternoon".

``read_window`` returns the earliest start and the latest end a visit may have (local wall-clock
times). The agent proposes the first free start in it (the last for "as late as possible"), so
a customer who said when they can come is offered a time they can make, never a list of times
outside it. Times are read as the clinic's hours make them: a bare 1 to 7 is the afternoon
(``when._half_of_day``), whatever part of the day the message names elsewhere ("friday morning
is out … any time after 2").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from switchboard.understanding.when import INSTEAD_OF_PART_RE

__all__ = ["Window", "read_window", "without_window"]

# A time said: "2", "3:30", "10h30", "9.15am", "noon" (``{n}`` names its groups)
_TIME = (
    r"(?:(?P<{n}h>\d{{1,2}})(?:[:.h](?P<{n}m>\d{{2}}))?\s*(?P<{n}ap>[ap]\.?m\.?)?"
    r"|(?P<{n}noon>noon|midday)"
    # the British way: "between 2 and half 3", "quarter past 4" (set 155)
    r"|(?P<{n}said>half|quarter\s+past|quarter\s+to)\s+(?P<{n}hh>\d{{1,2}})\b)"
)


def _t(name: str) -> str:
    return _TIME.format(n=name)


# "after 2", "from 4pm", "not before 10", "4 onwards", "no earlier than 3", "can't get there
# before 6"
_AFTER_RE = re.compile(
    r"\b(?:any\s*time\s+|anytime\s+|sometime\s+|ideally\s+|only\s+)?(?:after|from|not\s+before"
    r"|nothing\s+before|nothing\s+earlier\s+than"
    r"|no\s+earlier\s+than|later\s+than|past)\s+" + _t("a") + r"(?!\s*(?:mins?|minutes?|hours?"
    r"|days?|weeks?|th|st|nd|rd)\b)(?!\s*[/%])"
    r"|\b" + _t("b") + r"\s*(?:onwards|or\s+later|or\s+after)\b"
    r"|\b(?:can't|cannot|can\s+not|won't|couldn't)\s+(?:\w+\s+){0,4}?before\s+" + _t("n")
)
# "she finishes (school) at 3:30", "i finish at 6", "off work at 5", "gets out at 4", "at work
# till 7"
_FREE_FROM_RE = re.compile(
    r"\b(?:(?:finish(?:es)?|finished|get(?:s)?\s+out|gets?\s+off|off\s+work|out\s+of\s+(?:work"
    r"|school)|(?:school|work)\s+(?:ends|finishes|is\s+out))\b(?:\s+(?:work|school))?\s+"
    r"(?:at|around|about)|(?:at\s+work|working|at\s+school|busy|stuck\s+at\s+work)\s+"
    r"(?:\w+\s+){0,5}?(?:till|until|til)|work(?:ing)?\s+(?:till|until|til))\s+" + _t("f")
)
# "(we're) 5 mins away", "10 minutes from you": added to the time they are free from
_TRAVEL_RE = re.compile(
    r"\b(?P<minutes>\d{1,2})\s*(?:mins?|minutes?)\s+(?:away|from\s+(?:you|there)|walk|drive)\b"
)
# "before 11", "by 9:15", "out by 9:15", "done by 10:30", "earlier than 4", "free any time
# friday until 4" (not "can't get there before 6", a time from which: ``_AFTER_RE``)
_BY_RE = re.compile(
    r"(?<!\bnot\s)\b(?:before|by|no\s+later\s+than|earlier\s+than|(?:free|available)\s+"
    r"(?:\w+\s+){0,3}?(?:until|till|til))\s+"
    + _t("e")
    + r"(?!\s*(?:mins?|minutes?|hours?|days?|weeks?|th|st|nd|rd)\b)(?!\s*[/%])"
)
# "between 2 and 4", "12 till 1:30", "2-3pm", "from 3 to 5pm" ("from 10 to 3pm" said of a
# booked visit is its move, not a window: the agent checks the window's start)
_BETWEEN_RE = re.compile(
    r"\bbetween\s+"
    + _t("s")
    + r"\s+and\s+"
    + _t("u")
    + r"|\b(?:from\s+)?"
    + _t("p")
    + r"\s*(?:-|–|till|until|to)\s*"
    + _t("q")
    + r"(?!\s*(?:mins?|minutes?|hours?|days?|weeks?|th|st|nd|rd)\b)(?!\s*[/%:])"
)
# Parts of the day narrower than morning / afternoon, and lunch: (pattern, from, starts before,
# ends by); "late afternoon" from 16:00, which is late in it to anyone
_PARTS = (
    (
        re.compile(r"\blunch\s*time\b|\b(?:at|over|during|on\s+my)\s+lunch(?:\s+break)?\b"),
        time(12, 0),
        None,
        time(14, 0),
    ),
    # ("lunch" without "before" or "after": the break itself, above)
    (re.compile(r"\bbefore\s+(?:the\s+|your\s+)?lunch(?:\s+break)?\b"), None, None, time(13, 0)),
    (re.compile(r"\bafter\s+(?:the\s+|your\s+)?lunch(?:\s+break)?\b"), time(13, 0), None, None),
    # "as soon as you reopen then" (refused a time in the lunch closing)
    (
        re.compile(
            r"\b(?:as\s+soon\s+as|when|once|after)\s+(?:you|u)\s+(?:re-?open|open\s+again)\b"
        ),
        time(13, 0),
        None,
        None,
    ),
    # the loose times of set 173: "mid-morning", "after the school run", "mid-afternoon" ("after
    # work" is asked: when work ends is the customer's to say)
    (re.compile(r"\bmid[\s-]?morning\b"), time(9, 30), time(11, 45), None),
    (
        re.compile(r"\bafter\s+(?:the\s+)?school\s+(?:run|drop[\s-]?off)\b"),
        time(9, 0),
        time(10, 30),
        None,
    ),
    (re.compile(r"\bmid[\s-]?afternoon\b"), time(14, 30), time(16, 30), None),
    (re.compile(r"\blate\s+afternoon\b"), time(16, 0), time(18, 0), None),
    (re.compile(r"\bearly\s+afternoon\b"), time(13, 0), time(15, 0), None),
    (re.compile(r"\blate\s+morning\b"), time(10, 30), None, time(12, 30)),
    (re.compile(r"\bearly\s+(?:in\s+the\s+)?morning\b"), None, time(10, 0), None),
    (re.compile(r"\bearly\s+evening\b"), time(17, 0), None, None),
)


@dataclass(frozen=True)
class Window:
    """When a visit may be: start at or after ``earliest`` and before ``starts_before``, end by
    ``end_by`` (local wall-clock times; any may be None, not all)."""

    earliest: time | None = None
    end_by: time | None = None
    starts_before: time | None = None

    def fits(self, start: datetime, minutes: int) -> bool:
        """Whether a visit from ``start`` (local) lasting ``minutes`` is in the window."""
        if self.earliest is not None and start.time() < self.earliest:
            return False
        if self.starts_before is not None and start.time() >= self.starts_before:
            return False
        end = start + timedelta(minutes=minutes)
        return self.end_by is None or (end.date() == start.date() and end.time() <= self.end_by)

    def bounds(self) -> set[time]:
        """The times said as its ends: a time read from "after 2" is no time asked for."""
        return {t for t in (self.earliest, self.end_by) if t is not None}


# Said just before a range or a bound: the hours they cannot come ("i work 9-5", "I'm at work
# from 8 till 6", "working before 10") or a range ruled out ("any time except between 12 and 2")
_BUSY_RE = re.compile(
    r"\b(?:work|working|at\s+work|busy|at\s+school|in\s+class|on\s+shift)\s+(?:\w+\s+){0,3}$"
)
_RULED_OUT_RE = re.compile(r"\b(?:except|not|apart\s+from|other\s+than|but\s+not)\s+$")


def read_window(text: str) -> Window | None:
    """The window ``text`` (lower-cased) says, or None when it says none."""
    earliest: time | None = None
    end_by: time | None = None
    text = INSTEAD_OF_PART_RE.sub(" ", text)  # "first thing instead of after work"
    between = _BETWEEN_RE.search(text)
    if between is not None and _RULED_OUT_RE.search(text[: between.start()]):
        between = None
    if between is not None:
        first = _clock(between, "s") or _clock(between, "p")
        last = _clock(between, "u") or _clock(between, "q")
        if _BUSY_RE.search(text[: between.start()]):
            earliest = last  # free once the hours they are busy are over
        elif first is not None and last is not None and first < last:
            earliest, end_by = first, last
    free = _FREE_FROM_RE.search(text)
    if earliest is None and free is not None:
        earliest = _clock(free, "f")
        travel = _TRAVEL_RE.search(text)
        if earliest is not None and travel is not None:
            moved = datetime.combine(datetime.min.date(), earliest)
            earliest = (moved + timedelta(minutes=int(travel["minutes"]))).time()
    after = _AFTER_RE.search(text)
    said_after = (
        _clock(after, "a") or _clock(after, "b") or _clock(after, "n")
        if after is not None
        else None
    )
    if earliest is None or (
        # "the first evening slot after 5 … I finish work at half 4": the later of the two
        between is None and said_after is not None and said_after > earliest
    ):
        earliest = said_after if said_after is not None else earliest
    by = _BY_RE.search(text)
    if by is not None and after is not None and after.start() <= by.start() < after.end():
        by = None  # "can't get there before 6": the before of a time from which
    if by is not None and _BUSY_RE.search(text[: by.start()]):
        earliest = earliest or _clock(by, "e")  # "i'm working before 10": from 10
    elif end_by is None and by is not None:
        end_by = _clock(by, "e")
    starts_before: time | None = None
    for pattern, start, before, end in _PARTS:
        if pattern.search(text):
            earliest = earliest if earliest is not None else start
            end_by = end_by if end_by is not None else end
            starts_before = before
    if earliest is None and end_by is None and starts_before is None:
        return None
    if earliest is not None and end_by is not None and end_by <= earliest:
        return None  # "after 4 … by 2": not one window
    return Window(earliest=earliest, end_by=end_by, starts_before=starts_before)


def _clock(found: re.Match[str], name: str) -> time | None:
    """The time group ``name`` of ``found`` holds, a bare 1 to 7 in the afternoon."""
    if found[f"{name}noon"]:
        return time(12, 0)
    hour_said = found[f"{name}h"]
    minute = int(found[f"{name}m"] or 0) if hour_said is not None else 0
    if hour_said is None and found[f"{name}hh"]:
        hour_said, said = found[f"{name}hh"], found[f"{name}said"]
        minute = 30 if said == "half" else 15 if said.endswith("past") else -15
    if hour_said is None:
        return None
    hour = int(hour_said)
    if minute < 0:  # "quarter to 4": 3:45
        hour, minute = hour - 1, 45
    marker = (found[f"{name}ap"] or "").replace(".", "")
    if hour > 23 or minute > 59 or (marker and not 1 <= hour <= 12):
        return None
    if marker == "pm" and hour != 12:
        hour += 12
    elif marker == "am" and hour == 12:
        hour = 0
    elif not marker and 1 <= hour <= 7:
        hour += 12
    return time(hour, minute)


def without_window(text: str) -> str:
    """``text`` without the words that say a window ("at 11, need to be home by 12.30": "at 11,
    need to be home"), so a time said beside it can be read."""
    for pattern in (_BETWEEN_RE, _FREE_FROM_RE, _AFTER_RE, _BY_RE):
        text = pattern.sub(" ", text)
    return text
