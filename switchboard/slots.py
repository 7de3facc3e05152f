"""Read and say appointment slots in the customer's time zone.

A slot is a day *and* a time of day, stored as an aware UTC ``datetime``. Customers speak wall-clock
time in their own zone ("Tuesday at 10 am"), so parsing and formatting both take the customer's IANA
zone (e.g. ``Europe/Paris``) and a reference ``now`` in UTC; nothing here reads the machine clock,
so results are deterministic and testable (and safe to call from Temporal activities).

Parsing uses ``dateparser.search.search_dates`` (English only) for the calendar arithmetic ("next
Tuesday", "tomorrow", "24 November"), wrapped in two guards, because on free text, and on Whisper
transcripts in particular, dateparser is very permissive:

- before: the text is normalised into forms dateparser reads reliably ("10 a.m." → "10 am",
  "10 o'clock" / "at ten" / "at 10" → "10:00", "10.30 am" → "10:30 am", sentence stops → commas);
- after: a match counts only if its own span names a day *and* a clock time, and dateparser's answer
  agrees with that span (same weekday, same day of month, same hour and minute). This rejects "may",
  "now", "in a second", "sat", "on the 3rd at 10" read as 21 March, and "at 10" read as October.

Formatting uses ``babel.dates`` with the ``en`` locale.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from dateparser.search import search_dates

__all__ = ["format_slot", "parse_slot"]

# CLDR pattern: "Tuesday 24 November at 10:00". 24-hour clock so the spoken form is unambiguous.
_SLOT_PATTERN = "EEEE d MMMM 'at' HH:mm"

_HOUR_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_MINUTE_WORDS = {
    "o five": 5,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty five": 45,
    "forty-five": 45,
    "fifty": 50,
}
_HOUR_WORD = "|".join(_HOUR_WORDS)
_MINUTE_WORD = "|".join(sorted(_MINUTE_WORDS, key=len, reverse=True))

# Full weekday names plus the abbreviations that are not also common English words ("sat", "sun").
_WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tues": 1,
    "tue": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thurs": 3,
    "thur": 3,
    "thu": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sunday": 6,
}
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY_NUMBER = r"\d{1,2}(?:st|nd|rd|th)?"
# Words that name a calendar day. A month only counts next to a day number, because "may" and
# "march" are also verbs; relative words other than today/tomorrow ("next week") are too vague.
_DAY_RE = re.compile(
    r"\b(?:today|tomorrow)\b"
    rf"|{_WEEKDAY_RE.pattern}"
    rf"|\b{_MONTH}\s+(?:the\s+)?{_DAY_NUMBER}\b"
    rf"|\b{_DAY_NUMBER}\s+(?:of\s+)?{_MONTH}\b"
    r"|\bthe\s+\d{1,2}(?:st|nd|rd|th)\b"
    r"|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"
    r"|\bin\s+(?:\d+|a|one|two|three)\s+(?:days?|weeks?)\b"
)
_ORDINAL_RE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b")
# A clock time after normalisation: "10:30", "10:30 am", "10 am", "noon".
_TIME_RE = re.compile(r"\b(\d{1,2}):(\d{2})(?:\s*([ap]m))?\b|\b(\d{1,2})\s*([ap]m)\b|\b(noon)\b")


def format_slot(slot_start_utc: datetime, timezone: str) -> str:
    """Say a slot in the customer's zone, e.g. ``"Tuesday 24 November at 10:00"``.

    ``slot_start_utc`` must be aware (any offset; it is converted); ``timezone`` is an IANA name.
    Raises ``ValueError`` for a naive datetime and ``zoneinfo.ZoneInfoNotFoundError`` for an
    unknown zone.
    """
    if slot_start_utc.tzinfo is None:
        raise ValueError("slot_start_utc must be timezone-aware")
    return str(
        format_datetime(slot_start_utc, _SLOT_PATTERN, tzinfo=ZoneInfo(timezone), locale="en")
    )


def parse_slot(text: str, *, now_utc: datetime, timezone: str) -> datetime | None:
    """The first slot (day *and* time) mentioned in ``text`` that is after ``now_utc``, in UTC.

    Times are read as wall-clock time in ``timezone`` (IANA name), so a slot across a DST change
    gets that day's offset. A bare weekday means the next such day strictly after today ("Tuesday"
    said on a Tuesday is a week later). A time without am/pm from 1 to 7 o'clock is read as
    afternoon ("at 3" → 15:00), unless the text says "morning"; "evening"/"afternoon" force pm.
    Returns ``None`` when no span has both a day and a time, when the only slots are in the past,
    or when the wall-clock time does not exist (skipped by a DST change).

    Raises ``ValueError`` if ``now_utc`` is naive and ``zoneinfo.ZoneInfoNotFoundError`` for an
    unknown zone.
    """
    if now_utc.tzinfo is None:
        raise ValueError("now_utc must be timezone-aware")
    zone = ZoneInfo(timezone)
    now_local = now_utc.astimezone(zone)
    normalised = _normalise(text)
    matches = search_dates(
        normalised,
        languages=["en"],
        settings={
            "PREFER_DATES_FROM": "future",
            # dateparser works in naive wall-clock time of TIMEZONE; we attach the zone ourselves
            # with zoneinfo so DST offsets come from the stdlib, not dateparser's pytz.
            "RELATIVE_BASE": now_local.replace(tzinfo=None),
            "TIMEZONE": timezone,
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    for span, parsed in matches or []:
        wall = _checked_wall_time(span, parsed)
        if wall is None:
            continue
        local = wall.replace(tzinfo=zone)
        slot = local.astimezone(UTC)
        if slot.astimezone(zone).replace(tzinfo=None) != wall:
            continue  # the wall-clock time falls in a DST gap: it never happens
        if slot > now_utc:
            return slot
    return None


def _checked_wall_time(span: str, parsed: datetime) -> datetime | None:
    """``parsed`` as naive wall time if ``span`` names a day and a time that ``parsed`` agrees with.

    The agreement checks catch dateparser's misreadings: "on the 3rd at 10:00" returned as 21 March
    (ordinal read as the month), "Tuesday at 10" as 21 October (hour read as the month).
    """
    if not _DAY_RE.search(span):
        return None
    clock = _clock_time(span)
    if clock is None:
        return None
    wall = parsed.replace(tzinfo=None)
    if (wall.hour, wall.minute) != (clock.hour, clock.minute):
        return None
    weekday = _WEEKDAY_RE.search(span)
    if weekday and wall.weekday() != _WEEKDAYS[weekday.group(1)]:
        return None
    ordinal = _ORDINAL_RE.search(span)
    if ordinal and wall.day != int(ordinal.group(1)):
        return None
    return wall.replace(second=0, microsecond=0)


def _clock_time(span: str) -> time | None:
    """The first clock time written in a normalised span, or None (also for "25:00", "13 pm")."""
    found = _TIME_RE.search(span)
    if found is None:
        return None
    hh_mm_hour, hh_mm_minute, hh_mm_half, hour_only, hour_half, noon = found.groups()
    if noon:
        return time(12, 0)
    if hh_mm_hour is not None:
        hour, minute, half = int(hh_mm_hour), int(hh_mm_minute), hh_mm_half
    else:
        hour, minute, half = int(hour_only), 0, hour_half
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _normalise(text: str) -> str:
    """Rewrite spoken and transcribed times into forms dateparser reads reliably.

    Lower-cases; "a.m."/"p.m." → "am"/"pm"; "midday" → "noon"; number words in time position
    ("at ten", "ten thirty am", "half past ten") → digits; "10 o'clock" and a bare "at 10" →
    "10:00" plus an am/pm guess; "10.30 am" → "10:30 am"; sentence stops → commas, so Whisper's
    "On Tuesday. At 10 am." stays one date span.
    """
    out = text.lower().replace("\u2019", "'")
    out = re.sub(r"\b([ap])\s?\.\s?m\b\.?", r"\1m", out)
    # Sentence stops (not the dot inside "24.11" or "10.30") become commas: dateparser splits spans
    # on ".", and the time rewrites below must see "at 10" in "Tuesday at 10."
    out = re.sub(r"[.!?;]+(?=\s|$)", ",", out)
    out = re.sub(r"\bgood\s+(?:morning|afternoon|evening)\b", " ", out)  # a greeting, not a hint
    out = re.sub(r"\bmid-?day\b", "noon", out)
    out = re.sub(
        rf"\bhalf\s+past\s+(\d{{1,2}}|{_HOUR_WORD})\b",
        lambda m: f"{_hour_number(m.group(1))}:30",
        out,
    )
    out = re.sub(
        rf"\bquarter\s+past\s+(\d{{1,2}}|{_HOUR_WORD})\b",
        lambda m: f"{_hour_number(m.group(1))}:15",
        out,
    )
    out = re.sub(rf"\b({_HOUR_WORD})(?:[\s-]({_MINUTE_WORD}))?\b", _hour_words_to_digits, out)
    out = re.sub(r"\b(\d{1,2})\s*o'?\s?clock\b", r"\1:00", out)
    out = re.sub(r"\b(\d{1,2})\.(\d{2})(?=\s*[ap]m\b)", r"\1:\2", out)
    out = re.sub(r"(?<=\bat\s)(\d{1,2})\.(\d{2})\b", r"\1:\2", out)
    out = _complete_bare_times(out)
    out = re.sub(r"\b(?:in\s+the|this)\s+(?:morning|afternoon|evening)\b", " ", out)
    out = re.sub(r"\b(?:morning|afternoon|evening)\b", " ", out)
    return re.sub(r"\s+", " ", out).strip()


def _hour_number(token: str) -> int:
    """``"10"`` or ``"ten"`` → 10."""
    return int(token) if token.isdigit() else _HOUR_WORDS[token]


def _hour_words_to_digits(match: re.Match[str]) -> str:
    """Regex callback: "ten" → "10", "ten thirty" → "10:30", only where it must be a time.

    That is after "at" or before am/pm/o'clock; elsewhere ("ten minutes", "one of them") the
    words are kept. A lone "one" after "at" is kept too: "at one point" is common speech.
    """
    hour_word, minute_word = match.group(1), match.group(2)
    before = match.string[: match.start()]
    after = match.string[match.end() :]
    after_at = re.search(r"\bat\s$", before) is not None
    before_marker = re.match(r"\s*(?:[ap]m\b|o'?\s?clock\b)", after) is not None
    if not (before_marker or (after_at and (hour_word != "one" or minute_word))):
        return match.group(0)
    hour = _HOUR_WORDS[hour_word]
    if minute_word is None:
        return str(hour)
    return f"{hour}:{_MINUTE_WORDS[minute_word.replace('-', ' ')]:02d}"


def _complete_bare_times(text: str) -> str:
    """Give times without am/pm an explicit half of the day: "at 3" → "at 3:00 pm".

    Applies to "at H" and "H:MM" (H from 1 to 12, not zero-padded, no am/pm after). "morning" in the
    text means am, "afternoon"/"evening"/"tonight" mean pm; otherwise 1-7 o'clock is pm (nobody
    books a 3 am visit) and 8-12 is left as written (8:00 to 12:00).
    """
    if re.search(r"\bmorning\b", text):
        hint: str | None = "am"
    elif re.search(r"\b(?:afternoon|evening|tonight)\b", text):
        hint = "pm"
    else:
        hint = None

    def complete(match: re.Match[str]) -> str:
        hour = int(match.group("hour"))
        minute = match.group("minute") or "00"
        if hour > 12 or match.group("hour").startswith("0"):
            return f"{match.group('hour')}:{minute}"  # already 24-hour ("15:30", "09:00")
        half = hint or ("pm" if 1 <= hour <= 7 else None)
        if half == "am" and hour == 12:
            half = None  # "12 in the morning" is noon in practice, not midnight
        return f"{hour}:{minute} {half}" if half else f"{hour}:{minute}"

    # "at 10" (not "at 10 am", "at 10/11", "at 10th"); "10:30" without am/pm after it.
    text = re.sub(
        r"(?<=\bat\s)(?P<hour>\d{1,2})(?P<minute>)(?![\d:./]|\s*[ap]m\b|st\b|nd\b|rd\b|th\b)",
        complete,
        text,
    )
    return re.sub(
        r"(?<![\d:])(?P<hour>\d{1,2}):(?P<minute>\d{2})(?!\d|\s*[ap]m\b)",
        complete,
        text,
    )
