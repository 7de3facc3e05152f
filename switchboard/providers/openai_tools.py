"""The read-only tools of the OpenAI agent, and ``Facts``, the turn's data they (and the
decision checks, ``openai_checks``) read. Pure functions of the turn's ``AgentContext`` (no
clock, no I/O), so they are tested without HTTP.

Each tool is a strict function schema (OpenAI docs, "Function calling"; "Structured Outputs" >
"Supported schemas": every property required, optional ones nullable, no extra properties),
answered here from ``context.business`` and ``context.busy`` through ``switchboard.availability``,
never from the model's memory:

- ``check_availability(date, time, service)``: free, or the reason (``describe_reason``) and the
  nearest free alternatives;
- ``free_times(date, service, part_of_day)``: the free start times of a day; when none, why and
  the nearest free slots;
- ``business_info(topic)``: hours and closures, address and phone, prices, policies.

Dates and times in arguments are the customer's wall clock (``context.timezone``); results give
slots as ISO 8601 with that day's UTC offset, and as said to the customer. A bad argument is
answered with ``{"error": ...}`` so the model can correct it; it never fails the turn.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from openai.types.chat import ChatCompletionFunctionToolParam

from switchboard.agent_models import (
    AgentContext,
    BookingView,
    Channel,
)
from switchboard.availability import (
    SlotCheck,
    alternatives,
    check_slot,
    describe_reason,
    free_slots_on,
)
from switchboard.business import BusinessProfile, Service, load_profile
from switchboard.slots import format_slot

PARTS_OF_DAY = ("morning", "afternoon", "evening")
BUSINESS_TOPICS = ("hours", "address", "prices", "policies")
# business_info("hours") lists holidays and closures this many days ahead.
CLOSURES_AHEAD_DAYS = 30

_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "YYYY-MM-DD"}
_SERVICE = {
    "type": ["string", "null"],
    "description": "A service key from business.services; null for the default service.",
}


def _tool(
    name: str, description: str, properties: dict[str, Any]
) -> ChatCompletionFunctionToolParam:
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "strict": True,
            "parameters": {
                "type": "object",
                "properties": properties,
                "required": list(properties),
                "additionalProperties": False,
            },
        },
    }


TOOLS: list[ChatCompletionFunctionToolParam] = [
    _tool(
        "check_availability",
        "Whether a service can be booked at a day and time (the customer's local time). Returns "
        "free, or the reason and the nearest free alternatives, each with its slot_start.",
        {
            "date": _DATE,
            "time": {"type": "string", "pattern": r"^\d{2}:\d{2}$", "description": "HH:MM, 24 h"},
            "service": _SERVICE,
        },
    ),
    _tool(
        "free_times",
        "The free start times (HH:MM, the customer's local time) for a service on one day, "
        "optionally only in one part of the day; when none, why and the nearest free slots.",
        {
            "date": _DATE,
            "service": _SERVICE,
            "part_of_day": {"type": ["string", "null"], "enum": [*PARTS_OF_DAY, None]},
        },
    ),
    _tool(
        "business_info",
        "Facts about the business from its profile: opening hours and upcoming closures, "
        "address and phone, services with prices and durations, or policies (cancellation, "
        "payment, parking, emergencies, animals).",
        {"topic": {"type": "string", "enum": list(BUSINESS_TOPICS)}},
    ),
]


@lru_cache(maxsize=1)
def _default_profile() -> BusinessProfile:
    return load_profile()


@dataclass(frozen=True)
class Facts:
    """One turn's data as the tools and checks read it: ``now`` UTC, ``zone`` the customer's
    (UTC when ``context.timezone`` is unknown), the profile (the default profile file when the
    context carries none)."""

    context: AgentContext
    profile: BusinessProfile
    zone: tzinfo
    now: datetime

    @classmethod
    def of(cls, context: AgentContext) -> Facts:
        return cls(
            context=context,
            profile=context.business or _default_profile(),
            zone=zone_of(context.timezone),
            now=as_utc(context.now),
        )

    def iso(self, moment: datetime) -> str:
        """ISO 8601 in the customer's zone, to the minute: ``2025-03-11T10:00+01:00``."""
        return as_utc(moment).astimezone(self.zone).isoformat(timespec="minutes")

    def say(self, moment: datetime) -> str:
        """ "Tuesday 11 March at 10:00", with the year when it is not this year's."""
        said = format_slot(as_utc(moment), str(self.zone))
        year = as_utc(moment).astimezone(self.zone).year
        if year != self.now.astimezone(self.zone).year:
            said = said.replace(" at ", f" {year} at ", 1)
        return said

    def service(self, key: str | None) -> Service:
        """The service with ``key``; the profile's default for None or an unknown key."""
        try:
            return self.profile.service(key)
        except KeyError:
            return self.profile.service()

    def check(self, start: datetime, service: Service, *, ignore: str | None = None) -> SlotCheck:
        """``check_slot`` of ``start`` against the context's calendar (``ignore``: the booking
        being moved)."""
        busy = self.context.busy
        return check_slot(
            self.profile, busy, as_utc(start), service, now=self.now, ignore_booking=ignore
        )

    def upcoming(self) -> list[BookingView]:
        """The customer's confirmed bookings that start after now, soonest first."""
        return sorted(
            (
                b
                for b in self.context.bookings
                if b.status == "confirmed" and as_utc(b.slot_start) > self.now
            ),
            key=lambda b: as_utc(b.slot_start),
        )

    def ask(self) -> str:
        return (
            "Shall I confirm?" if self.context.channel is Channel.VOICE else "Reply YES to confirm."
        )


# -- tools -----------------------------------------------------------------------------------------


def run_tool(name: str, arguments: str, facts: Facts) -> str:
    """Answer one tool call; ``arguments`` is the model's JSON. Returns JSON for the ``tool``
    message: the tool's result, or ``{"error": ...}`` for an unknown tool or bad arguments."""
    try:
        args = json.loads(arguments)
        if not isinstance(args, dict):
            raise ValueError("arguments must be a JSON object")
        if name == "check_availability":
            result = check_availability(facts, args["date"], args["time"], args.get("service"))
        elif name == "free_times":
            result = free_times(facts, args["date"], args.get("service"), args.get("part_of_day"))
        elif name == "business_info":
            result = business_info(facts, args["topic"])
        else:
            result = {"error": f"unknown tool {name!r}"}
    except (ValueError, KeyError, TypeError) as exc:
        # json.JSONDecodeError and bad date/time strings are ValueErrors.
        result = {"error": f"bad arguments: {exc}"}
    return json.dumps(result, ensure_ascii=False, separators=(",", ":"))


def check_availability(
    facts: Facts, day_text: str, time_text: str, service_key: str | None
) -> dict[str, Any]:
    """``check_slot`` of the local ``day_text`` (YYYY-MM-DD) at ``time_text`` (HH:MM)."""
    local = datetime.combine(date.fromisoformat(day_text), time.fromisoformat(time_text))
    start = local.replace(tzinfo=facts.zone).astimezone(UTC)
    service = facts.service(service_key)
    check = facts.check(start, service)
    out: dict[str, Any] = {
        "slot_start": facts.iso(start),
        "said": facts.say(start),
        "service": service.key,
        "free": check.free,
    }
    if not check.free:
        out |= {"reason": check.reason, "why": describe_reason(check, facts.profile)}
        out["alternatives"] = _options(facts, start, service)
    return out


def free_times(
    facts: Facts, day_text: str, service_key: str | None, part: str | None
) -> dict[str, Any]:
    """The free starts of the local ``day_text`` (in ``part`` of the day when given)."""
    day = date.fromisoformat(day_text)
    if part is not None and part not in PARTS_OF_DAY:
        raise ValueError(f"part_of_day must be one of {PARTS_OF_DAY}")
    service = facts.service(service_key)
    ctx = facts.context
    slots = free_slots_on(facts.profile, ctx.busy, day, service, now=facts.now)
    if part is not None:
        slots = [s for s in slots if _part_of(s.astimezone(facts.zone).hour) == part]
    noon = datetime.combine(day, time(12, 0)).replace(tzinfo=facts.zone)
    out: dict[str, Any] = {
        "date": day.isoformat(),
        "weekday": day.strftime("%A"),
        "service": service.key,
        "utc_offset": noon.isoformat()[-6:],
        "times": [s.astimezone(facts.zone).strftime("%H:%M") for s in slots],
    }
    if not slots:
        check = facts.check(noon.astimezone(UTC), service)
        out["why"] = (
            describe_reason(check, facts.profile) if not check.free else "that's fully booked"
        )
        out["alternatives"] = _options(facts, noon.astimezone(UTC), service)
    return out


def business_info(facts: Facts, topic: str) -> dict[str, Any]:
    """One topic of the profile; raises ``ValueError`` for a topic outside ``BUSINESS_TOPICS``."""
    profile = facts.profile
    if topic == "hours":
        today = facts.now.astimezone(profile.zone).date()
        closures = []
        for offset in range(CLOSURES_AHEAD_DAYS):
            day = today + timedelta(days=offset)
            name = profile.holiday(day)
            if name is not None:
                closures.append(
                    {"date": day.isoformat(), "weekday": day.strftime("%A"), "name": name}
                )
        return {"opening_hours": profile.opening_hours_text(), "closures": closures}
    if topic == "address":
        return {"name": profile.name, "address": profile.address, "phone": profile.phone}
    if topic == "prices":
        return {
            "services": [
                {"key": s.key, "name": s.name, "price": s.price, "minutes": s.duration_minutes}
                for s in profile.services
            ]
        }
    if topic == "policies":
        return {"policies": profile.policies, "languages": profile.languages}
    raise ValueError(f"topic must be one of {BUSINESS_TOPICS}")


# -- helpers ---------------------------------------------------------------------------------------


def _options(facts: Facts, start: datetime, service: Service) -> list[dict[str, str]]:
    found = alternatives(facts.profile, facts.context.busy, start, service, now=facts.now)
    return [{"slot_start": facts.iso(o), "said": facts.say(o)} for o in found]


def _part_of(hour: int) -> str:
    return "morning" if hour < 12 else ("afternoon" if hour < 17 else "evening")


def zone_of(name: str) -> tzinfo:
    """The IANA zone ``name``; UTC when unknown (an unknown zone must not fail the turn)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def as_utc(moment: datetime) -> datetime:
    """Aware UTC; a naive datetime is read as UTC, as the context models document."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
