"""The business profile: name, address, time zone, opening hours and holidays, services with
durations and prices, capacity and policies — the single source of truth for what the agent says
about the business and for availability (``switchboard.availability``). Loaded from a YAML file
(``business/profile.yaml`` by default, setting ``SWITCHBOARD_BUSINESS_PROFILE``).

Public holidays come from the ``holidays`` library (``holidays.country_holidays``), so a new
year's holidays need no edit; ``closed`` adds the business's own closures.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import holidays
import yaml
from pydantic import BaseModel, Field, field_validator, model_validator
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from switchboard.business_calendar import BusinessHours, OpeningSpan
from switchboard.identity_checks import IdentityPolicy
from switchboard.redaction import Redactor, for_business

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Aliases that stand for any visit, not one service of its own.
# The writer's own exam or test, no visit of the pet's: "I have a uni exam then", "my driving
# test is on friday" (set 164).
OWN_EXAM_RE = re.compile(
    r"\b(?:uni|university|school|college|driving|final|finals|my|i\s+have\s+an?|i've\s+got\s+an?"
    r"|i\s+have\s+my|i've\s+got\s+my)\s+(?:exam|examination|test)s?\b"
)
# Teeth told of as a symptom, no cleaning asked: "teeth that look too long", "a broken tooth"
# (a vet's to look at: the default service, set 164).
TEETH_TROUBLE_RE = re.compile(
    r"\bteeth\s+(?:that\s+|which\s+)?(?:look|looks|are|seem|seems|getting|have\s+got|got)\s+"
    r"(?:a\s+bit\s+|really\s+|very\s+|so\s+)?(?:too\s+long|overgrown|long|wonky|loose|wobbly|broken"
    r"|bleeding|sore|cracked|rotten)\b"
    r"|\b(?:broken|cracked|loose|wobbly|bleeding|overgrown|sore)\s+(?:tooth|teeth)\b"
)
_ANY_VISIT = frozenset({"appointment", "appointments", "visit", "visits", "booking"})
DEFAULT_PROFILE = Path(__file__).resolve().parents[1] / "business" / "profile.yaml"

_INTERVAL_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
# How close a word must be to a service name or alias to count as naming it (rapidfuzz ratio,
# 0-100): "vacination" and "check up" match, "cat" does not match "bath".
_SERVICE_MATCH = 86


class Interval(BaseModel):
    """Opening hours of one stretch of a day, local time; ``close`` after ``open``."""

    open: time
    close: time


class HolidayRegion(BaseModel):
    country: str  # ISO 3166-1 alpha-2, as the ``holidays`` library takes it
    subdivision: str | None = None


class Service(BaseModel):
    """One service the business sells. ``price`` is as customers read it ("€45")."""

    key: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    duration_minutes: int = Field(gt=0)
    price: str


class BusinessProfile(BaseModel):
    """The profile file, validated. Raises ``pydantic.ValidationError`` naming the field."""

    name: str
    address: str
    phone: str | None = None
    timezone: str
    languages: list[str] = Field(default_factory=lambda: ["en"])
    hours: dict[Weekday, list[Interval]]
    holidays: HolidayRegion | None = None
    closed: list[date] = Field(default_factory=list)
    slot_minutes: int = Field(default=15, gt=0)
    capacity: int = Field(default=1, gt=0)
    min_notice_minutes: int = Field(default=60, ge=0)
    horizon_days: int = Field(default=90, gt=0)
    services: list[Service]
    default_service: str
    policies: dict[str, str] = Field(default_factory=dict)
    # Identity checks before reading out, moving or cancelling a booking for an unverified
    # caller or WhatsApp number (switchboard/verification.py); the default asks before all three.
    identity_checks: IdentityPolicy = Field(default_factory=IdentityPolicy)

    @field_validator("hours", mode="before")
    @classmethod
    def _read_intervals(cls, value: object) -> object:
        """``{"mon": ["08:30-12:30", "14:00-19:00"], ...}``; a missing day is closed."""
        if not isinstance(value, dict):
            return value
        out: dict[str, list[dict[str, time]]] = {day: [] for day in WEEKDAYS}
        for day, spans in value.items():
            parsed = []
            for span in spans or []:
                if isinstance(span, str):
                    match = _INTERVAL_RE.match(span)
                    if match is None:
                        raise ValueError(f"{day}: {span!r} is not HH:MM-HH:MM")
                    h1, m1, h2, m2 = (int(g) for g in match.groups())
                    parsed.append({"open": time(h1, m1), "close": time(h2, m2)})
                else:
                    parsed.append(span)
            out[str(day)] = parsed
        return out

    @model_validator(mode="after")
    def _consistent(self) -> BusinessProfile:
        ZoneInfo(self.timezone)  # raises for an unknown zone
        keys = [s.key for s in self.services]
        if len(set(keys)) != len(keys):
            raise ValueError("services: duplicate key")
        if self.default_service not in keys:
            raise ValueError(f"default_service {self.default_service!r} is not a service key")
        for day, spans in self.hours.items():
            for span in spans:
                if span.close <= span.open:
                    raise ValueError(f"hours.{day}: closes before it opens")
        return self

    # -- reading the profile ---------------------------------------------------------------------

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def region(self) -> str | None:
        """The country whose national number form the team types (``06 12 34 56 78`` in
        FR): the holidays' country, as ``redactor`` reads numbers; None without one."""
        return self.holidays.country if self.holidays else None

    def redactor(self) -> Redactor:
        """Masks personal data for logs and the LLM vendor (``switchboard.redaction``): the
        profile's country reads numbers written without ``+``, and the business's own numbers
        (its phone, those in its policies) are left as they are."""
        texts = (self.phone or "", *self.policies.values())
        return for_business(self.holidays.country if self.holidays else None, texts)

    def service(self, key: str | None = None) -> Service:
        """The service with ``key``, or the default one. Raises ``KeyError``."""
        wanted = key or self.default_service
        for service in self.services:
            if service.key == wanted:
                return service
        raise KeyError(wanted)

    def service_names(self) -> dict[str, Service]:
        """Every name a service goes by (its name, key and aliases), lowercased → the service."""
        return {
            alias.lower(): service
            for service in self.services
            for alias in [service.name, service.key, *service.aliases]
        }

    def find_service(self, text: str) -> Service | None:
        """The service a message names, by name or alias, tolerating typos ("vacination");
        None when it names none. The longest matching name wins ("dental cleaning" over
        "cleaning")."""
        lowered = TEETH_TROUBLE_RE.sub(" ", OWN_EXAM_RE.sub(" ", text.lower()))
        names = self.service_names()
        # A word for any visit ("appointment") names the default service only when no other
        # is named: "book appointment for Chuka, he is due for vaccine" is a vaccination.
        for name in sorted(names, key=lambda n: (n in _ANY_VISIT, -len(n))):
            # a plural or a verb's ending names it too: "her annual vaccinations", "nail
            # trims", "could milo get groomed"
            if re.search(rf"\b{re.escape(name)}(?:s|ed)?\b", lowered):
                return names[name]
        words = re.findall(r"[a-z][a-z-]{3,}", lowered)
        best: tuple[Service, float] | None = None
        for word in words:
            # a typo keeps the word's first letter ("vacination", "groming"); another word one
            # letter away does not name the service ("room" is no "groom")
            candidates = [n for n in names if n[:1] == word[:1]]
            found = process.extractOne(word, candidates, scorer=fuzz.ratio) if candidates else None
            good = found is not None and found[1] >= _SERVICE_MATCH
            if found is not None and good and (best is None or found[1] > best[1]):
                best = (names[found[0]], found[1])
        if best is not None:
            return best[0]
        # An autocorrected ending ("her boosted" for booster): one edit (OSA) from a name of six
        # letters or more that the word begins like, where the ratio above is too strict.
        for word in words:
            for name in names:
                if (
                    len(word) >= 6
                    and len(name) >= 6
                    and word[:4] == name[:4]
                    and OSA.distance(word, name) <= 1
                ):
                    return names[name]
        return None

    def holiday(self, day: date) -> str | None:
        """The name of the public holiday or closure on ``day`` (local date), else None."""
        if day in self.closed:
            return "closed"
        if self.holidays is None:
            return None
        calendar = _holiday_calendar(self.holidays.country, self.holidays.subdivision, day.year)
        name = calendar.get(day)
        return str(name) if name else None

    def intervals_on(self, day: date) -> list[tuple[datetime, datetime]]:
        """Opening intervals of ``day`` (local date) as aware local datetimes; empty when the
        business is closed that day (weekly closing day, holiday or closure)."""
        if self.holiday(day) is not None:
            return []
        spans = self.hours.get(WEEKDAYS[day.weekday()], [])
        return [
            (
                datetime.combine(day, span.open, tzinfo=self.zone),
                datetime.combine(day, span.close, tzinfo=self.zone),
            )
            for span in spans
        ]

    def open_at(self, moment: datetime) -> bool:
        """Whether the phone is answered live at ``moment`` (aware): from the day's first
        opening to its last closing, local time — across a break too, when the agent can still
        book — and never on a weekly closing day, holiday or closure. Raises ``ValueError``
        for a naive ``moment``."""
        if moment.tzinfo is None:
            raise ValueError("open_at needs an aware datetime")
        local = moment.astimezone(self.zone)
        spans = self.intervals_on(local.date())
        return bool(spans) and spans[0][0] <= local < spans[-1][1]

    def next_opening(self, moment: datetime, *, days: int = 14) -> datetime | None:
        """The first opening (aware, local time) after ``moment``, looking ``days`` local dates
        ahead; None when there is none (a long closure)."""
        local = moment.astimezone(self.zone)
        for offset in range(days + 1):
            for opens, _ in self.intervals_on(local.date() + timedelta(days=offset)):
                if opens > local:
                    return opens
        return None

    def journey_hours(self, first_year: int, *, years: int = 3) -> BusinessHours:
        """These opening hours as a journey's ``BusinessHours``: each weekday's spans (a lunch
        break is closed), in the business's time zone, closed on the public holidays of
        ``first_year`` and the ``years - 1`` after it (from the ``holidays`` library) and on
        every ``closed`` date. A journey run is handed this value when it starts, so its
        calls keep to the hours the phone line and the agent state (docs/architecture.md,
        "The business profile")."""
        off: set[date] = set(self.closed)
        if self.holidays is not None:
            for year in range(first_year, first_year + years):
                calendar = _holiday_calendar(self.holidays.country, self.holidays.subdivision, year)
                off.update(calendar.keys())
        return BusinessHours(
            windows={
                day: tuple(OpeningSpan(open=s.open, close=s.close) for s in spans)
                for day, spans in self.hours.items()
                if spans
            },
            timezone=self.timezone,
            holidays=tuple(sorted(off)),
            from_profile=True,
        )

    def facts(self) -> dict[str, str]:
        """What texts may say about the business: ``name``, ``address``, ``phone`` (empty when
        the profile has none) — journey texts read them as ``{{ business.name }}``."""
        return {"name": self.name, "address": self.address, "phone": self.phone or ""}

    def opening_hours_text(self) -> str:
        """Weekly hours in words: "Monday to Friday 08:30-12:30 and 14:00-19:00, Saturday
        09:00-13:00; closed on Sunday"."""
        names = {
            "mon": "Monday",
            "tue": "Tuesday",
            "wed": "Wednesday",
            "thu": "Thursday",
            "fri": "Friday",
            "sat": "Saturday",
            "sun": "Sunday",
        }

        def spans(day: Weekday) -> str:
            return " and ".join(
                f"{s.open.strftime('%H:%M')}-{s.close.strftime('%H:%M')}" for s in self.hours[day]
            )

        groups: list[tuple[list[Weekday], str]] = []
        for day in WEEKDAYS:
            text = spans(day)
            if groups and groups[-1][1] == text:
                groups[-1][0].append(day)
            else:
                groups.append(([day], text))
        open_parts: list[str] = []
        closed: list[str] = []
        for days, text in groups:
            label = names[days[0]] if len(days) == 1 else f"{names[days[0]]} to {names[days[-1]]}"
            if text:
                open_parts.append(f"{label} {text}")
            else:
                closed.extend(names[d] for d in days)
        out = ", ".join(open_parts)
        if closed:
            out += f"; closed on {' and '.join(closed)}"
        return out


@lru_cache(maxsize=64)
def _holiday_calendar(country: str, subdivision: str | None, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=subdivision, years=year)


def load_profile(path: Path | None = None) -> BusinessProfile:
    """Read and validate the profile file (YAML). Raises ``FileNotFoundError``,
    ``yaml.YAMLError`` or ``ValueError`` naming the file and the field."""
    source = path or DEFAULT_PROFILE
    data = yaml.safe_load(source.read_text())
    try:
        return BusinessProfile.model_validate(data)
    except ValueError as exc:
        raise ValueError(f"{source}: {exc}") from exc


@lru_cache(maxsize=8)
def _profile_hours(path: Path, mtime_ns: int, first_year: int) -> BusinessHours:
    return load_profile(path).journey_hours(first_year)


def profile_hours(path: Path | None = None, *, today: date | None = None) -> BusinessHours:
    """``journey_hours`` of the profile file at ``path`` (default: ``DEFAULT_PROFILE``) from
    ``today``'s year (default: today in UTC), read again only when the file changes. Raises as
    ``load_profile``."""
    source = path or DEFAULT_PROFILE
    year = (today or datetime.now(tz=ZoneInfo("UTC")).date()).year
    return _profile_hours(source, source.stat().st_mtime_ns, year)


def day_start(moment: datetime, zone: ZoneInfo) -> datetime:
    """Local midnight of the day ``moment`` falls on, in ``zone``."""
    local = moment.astimezone(zone)
    return datetime.combine(local.date(), time(0, 0), tzinfo=zone)


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)
