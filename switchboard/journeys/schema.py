"""The journey definition format: what a marketer writes in ``journeys/<name>.yaml``.

A journey is a trigger, policies, and a graph of named steps. Each step says what to do and which
step comes next; ``end`` (or a missing ``next``) finishes the run. The whole definition is copied
into the workflow's input when a customer enters the journey, so editing a file never changes
customers already in it; ``version`` is a hash of the definition.

Text fields (``text``, ``opening``, ``goal``, ``voicemail``, template variables, handoff notes)
are Jinja templates over ``customer``, ``trigger`` and CRM data (``booking``, ``slot``…), rendered
in a sandbox at send time; an unknown variable is an error, never an empty string.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
from datetime import time, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
    model_validator,
)
from pytimeparse import parse as parse_timespan

from switchboard.business_calendar import BusinessHours, LocalTime, QuietHours
from switchboard.journeys.dates import EXAMPLES as DATE_EXAMPLES
from switchboard.journeys.dates import parse_date_expression
from switchboard.journeys.events import TriggerEvent, trigger_key

TEMPLATES = SandboxedEnvironment(autoescape=False)


def _duration(value: Any) -> Any:
    """``"24h"``, ``"1h30m"``, ``"2d"``, ``"48 hours"`` (pytimeparse) or seconds → timedelta."""
    if isinstance(value, str):
        seconds = parse_timespan(value.strip())
        if seconds is None:
            raise ValueError(f"not a duration: {value!r} (try '30m', '24h', '2d')")
        return timedelta(seconds=seconds)
    return value


Duration = Annotated[
    timedelta,
    BeforeValidator(_duration),
    PlainSerializer(lambda d: f"{int(d.total_seconds())}s", return_type=str),
]


class _Step(BaseModel):
    model_config = ConfigDict(extra="forbid")

    next: str | None = Field(default=None, description="Step after this one; none ends the run.")

    def targets(self) -> list[str]:
        """Every step name this step can lead to."""
        return [self.next] if self.next else []


class TemplateRef(BaseModel):
    """An approved WhatsApp template (``journeys/templates.yaml``) with its variables."""

    model_config = ConfigDict(extra="forbid")
    name: str
    variables: dict[str, str] = Field(default_factory=dict)


class SendWhatsApp(_Step):
    """Send a WhatsApp message. ``text`` is used inside the 24-hour customer service window;
    outside it the approved ``template`` is used, and without one the send is skipped."""

    kind: Literal["send_whatsapp"]
    text: str
    template: TemplateRef | None = None
    on_skip: str | None = Field(
        default=None, description="Step when the send is not allowed (consent, cap, window)."
    )
    on_failed: str | None = Field(
        default=None,
        description="Step when Twilio reports the message failed or undelivered (its status "
        "callback, with an error code) before the run sends its next message or places a call. "
        "Outside the 24-hour window (63016) the template is sent instead first.",
    )

    def targets(self) -> list[str]:
        return [t for t in (self.next, self.on_skip, self.on_failed) if t]


# Left on an answering machine when the call step gives no ``voicemail``: rendered like the
# step's texts, so it names the business (its profile). Said with Twilio's ``<Say>``.
VOICEMAIL_TEMPLATE = (
    "Hello, this is {{ business.name }}. Sorry we missed you. Please call us back, "
    "or send us a message on WhatsApp."
)
# Left when there is no rendered voicemail at all (calls placed before the field existed, or one
# too long for inline TwiML): plain words, no markup.
DEFAULT_VOICEMAIL = (
    "Hello, sorry we missed you. Please call us back, or send us a message on WhatsApp."
)


class PlaceCall(_Step):
    """Call the customer; the agent opens with ``opening`` and pursues ``goal``. When an
    answering machine picks up, ``voicemail`` is left after its greeting and the call counts
    as not answered (``retries``, then ``on_no_answer``)."""

    kind: Literal["place_call"]
    opening: str
    goal: str
    voicemail: str | None = Field(
        default=VOICEMAIL_TEMPLATE,
        min_length=1,
        max_length=1000,
        description="Message left on an answering machine before hanging up; the call then "
        "counts as not answered. Without it, a message in the business's name asks the "
        "customer to call back.",
    )
    retries: int = Field(default=0, ge=0, le=3, description="Calls again after no answer.")
    retry_after: Duration = timedelta(minutes=30)
    on_no_answer: str | None = None
    on_skip: str | None = None

    def targets(self) -> list[str]:
        return [t for t in (self.next, self.on_no_answer, self.on_skip) if t]


class WaitUntil(BaseModel):
    """A local wall-clock time in the customer's time zone (e.g. 09:30 on the next business
    day, at least ``not_before`` from now), a time a ``hold_slot`` step saved (``var``), or a
    time computed from the event's data (``date``: ``booking.slot_start - 24h``; see
    ``switchboard.journeys.dates``)."""

    model_config = ConfigDict(extra="forbid")
    time: LocalTime | None = None
    var: str | None = None
    date: str | None = Field(
        default=None,
        description="A date expression: trigger.<date field> or booking.slot_start, then "
        "+/- amounts (m, h: elapsed; d, w, months, years: local calendar), then 'at HH:MM'. "
        "A booking_rescheduled event for the run's booking moves a booking.slot_start wait.",
        examples=DATE_EXAMPLES,
    )
    business_day: bool = True
    not_before: Duration = timedelta(0)

    @field_validator("date")
    @classmethod
    def _date_expression(cls, value: str | None) -> str | None:
        if value is not None:
            parse_date_expression(value)  # raises ValueError saying what is wrong
        return value

    @model_validator(mode="after")
    def _one_of(self) -> WaitUntil:
        if sum(v is not None for v in (self.time, self.var, self.date)) != 1:
            raise ValueError("'until' needs exactly one of 'time', 'var' or 'date'")
        return self


class Wait(_Step):
    """Wait a duration, or until a local time. Exit events end the wait (and the run)."""

    kind: Literal["wait"]
    duration: Duration | None = None
    until: WaitUntil | None = None
    on_past: str | None = Field(
        default=None,
        description="Step when an 'until: {date: …}' time has already passed (e.g. a booking "
        "made less than 24 h ahead); without it the run goes on to 'next' at once.",
    )

    @model_validator(mode="after")
    def _one_of(self) -> Wait:
        if (self.duration is None) == (self.until is None):
            raise ValueError("a wait needs exactly one of 'duration' or 'until'")
        if self.on_past is not None and (self.until is None or self.until.date is None):
            raise ValueError("'on_past' applies only to 'until: {date: …}'")
        return self

    def targets(self) -> list[str]:
        return [t for t in (self.next, self.on_past) if t]


EventKind = Literal[
    "reply",
    "yes",
    "no",
    "booking_confirmed",
    "draft_confirmed",
    "stop",
    "call_completed",
    "booking_rescheduled",
    "booking_cancelled",
]


class WaitFor(_Step):
    """Wait for an event from the customer's conversation; ``next`` on the event,
    ``on_timeout`` if it does not come in time. Waiting for ``yes``/``no`` makes the question
    the customer's pending action; ``offer`` says what a yes means ("we'll call you shortly")."""

    kind: Literal["wait_for"]
    event: EventKind
    timeout: Duration
    on_timeout: str | None = None
    offer: str | None = None

    def targets(self) -> list[str]:
        return [t for t in (self.next, self.on_timeout) if t]


AnswerOutcome = Literal["confirmed", "declined", "rescheduled", "cancelled"]


class WaitForAnswer(_Step):
    """Ask the customer about their booking and go where their answer leads: ``yes`` →
    ``confirmed``, ``no`` → ``declined``, the booking moved (the agent proposed a new time and
    the customer said yes to it) → ``rescheduled``, the booking cancelled (the same way) →
    ``cancelled``; nothing within ``timeout`` → ``on_timeout``. The question is the customer's
    pending action (``question`` says what a yes means), so a "yes" on WhatsApp or on a call
    the journey placed reaches this run; answers given since the previous message or call
    count. Outcomes without a step continue at ``next``."""

    kind: Literal["wait_for_answer"]
    question: str = Field(min_length=1)
    timeout: Duration
    outcomes: dict[AnswerOutcome, str] = Field(default_factory=dict)
    on_timeout: str | None = None

    def targets(self) -> list[str]:
        return [t for t in (self.next, *self.outcomes.values(), self.on_timeout) if t]


class Branch(_Step):
    """Go to ``cases[value]`` for the value of ``on``, else ``default``.

    ``on`` is one of ``consent.whatsapp``, ``consent.voice`` (``yes``; ``no`` when no opt-in is
    recorded; ``opted_out`` when the customer refused — STOP, a revoked channel),
    ``business_hours`` (``open``/``closed``), ``reply.intent`` (the last reply's intent:
    ``yes``/``no``/``other``) or ``crm.<field>`` (e.g. ``crm.draft_status``).
    """

    kind: Literal["branch"]
    on: str = Field(pattern=r"^(consent\.(whatsapp|voice)|business_hours|reply\.intent|crm\.\w+)$")
    cases: dict[str, str]
    default: str | None = None

    def targets(self) -> list[str]:
        return [*self.cases.values(), *([self.default] if self.default else [])]


class Handoff(_Step):
    """Hand the customer to a human queue with a summary of the conversation."""

    kind: Literal["handoff"]
    queue: str = "default"
    note: str = ""


class HoldSlot(_Step):
    """Hold a slot in the CRM (e.g. a callback tomorrow morning) and save it for later steps:
    ``{{ vars.<save_as> }}`` is the slot in words, and ``wait: until: {var: <save_as>}`` waits
    for it."""

    kind: Literal["hold_slot"]
    at: WaitUntil
    purpose: str = "callback"
    save_as: str = Field(default="slot", pattern=r"^[a-z_][a-z0-9_]*$")

    @model_validator(mode="after")
    def _needs_time(self) -> HoldSlot:
        if self.at.time is None:
            raise ValueError("'at' of a hold_slot needs a 'time'")
        return self


class Split(BaseModel):
    """A/B split: each customer goes to one branch (``branches``: branch name → step), always
    the same for a given journey, split step and customer (a hash, not chance:
    ``switchboard.journeys.split``), in proportion to ``weights`` (equal without them). The
    branch is the run's ``JourneyBranch`` (``<step>:<branch>``), counted in ``journeys runs``."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["split"]
    branches: dict[str, str] = Field(min_length=2, max_length=10)
    weights: dict[str, int] | None = Field(
        default=None, description="Branch name → relative weight (e.g. 80 and 20)."
    )

    @field_validator("branches")
    @classmethod
    def _names(cls, value: dict[str, str]) -> dict[str, str]:
        for name in value:
            if not re.fullmatch(r"[a-z0-9_]{1,20}", name):
                raise ValueError(f"branch name {name!r}: 1-20 of a-z, 0-9, _")
        return value

    @model_validator(mode="after")
    def _weights(self) -> Split:
        if self.weights is not None:
            if set(self.weights) != set(self.branches):
                raise ValueError("'weights' needs one weight per branch, no other")
            if any(w < 0 for w in self.weights.values()) or not any(self.weights.values()):
                raise ValueError("weights are whole numbers >= 0, at least one above 0")
        return self

    def targets(self) -> list[str]:
        return list(self.branches.values())


class End(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["end"]
    reason: str = ""

    def targets(self) -> list[str]:
        return []


Step = Annotated[
    SendWhatsApp
    | PlaceCall
    | Wait
    | WaitFor
    | WaitForAnswer
    | Branch
    | Split
    | Handoff
    | HoldSlot
    | End,
    Field(discriminator="kind"),
]


class Trigger(BaseModel):
    """What puts a customer into the journey: an event of ``switchboard.journeys.events``.
    ``when`` filters on the event's data (all must match, as strings; a list matches any of its
    values); one run per journey × customer × trigger key (the event's key fields, or the field
    named by ``key``)."""

    model_config = ConfigDict(extra="forbid")
    event: TriggerEvent
    when: dict[str, str | list[str]] = Field(default_factory=dict)
    key: str | None = Field(
        default=None,
        pattern=r"^[a-z_][a-z0-9_]*$",
        description="Event field whose value is the trigger key (default: the event's own key).",
    )
    one_at_a_time: bool = Field(
        default=False,
        description="One run per customer at a time (per value of `key` when set), instead of "
        "one per event: while the customer's run is running, a later event goes to it "
        "(before its first message or call it takes the event's data, so a wait until a "
        "`trigger.<date>` moves; after, the run starts again from the latest event when it "
        "ends); once no run is running, the next event starts one.",
    )

    def run_key(self, data: dict[str, str]) -> str:
        """The key of the run ``data`` (of this trigger's event) starts or reaches: the
        event's trigger key; under ``one_at_a_time`` the ``key`` field's value, else
        ``ONE_AT_A_TIME_KEY`` (one run per customer). Empty: the event starts nothing."""
        if not self.one_at_a_time:
            return trigger_key(self.event, data, self.key)
        return data.get(self.key, "") if self.key else ONE_AT_A_TIME_KEY


# The trigger key of a ``one_at_a_time`` journey without ``key``:
# ``journey/<name>/<E164>/customer``.
ONE_AT_A_TIME_KEY = "customer"


# ``superseded``: a newer event that starts this journey for the customer (its ``when`` filters
# met, another trigger key; the same ``subject`` when the trigger names one) ends this run, e.g.
# a later check-up re-dates the annual recall (workflows/journey_timing.py ``supersedes``).
ExitOn = Literal["replied", "booked", "stop", "booking_cancelled", "superseded"]


class FrequencyCap(BaseModel):
    """At most ``max_sends`` journey messages and calls per customer within ``per``, across
    all journeys."""

    model_config = ConfigDict(extra="forbid")
    max_sends: int = Field(ge=1)
    per: Duration


def _profile_hours_when_named(value: object) -> object:
    """``"profile"`` → the business profile's hours (``switchboard.business.profile_hours``),
    resolved when the file is read, so a run carries concrete hours in its input and replays
    the same however the profile changes later."""
    return _profile_hours() if value == "profile" else value


def _profile_hours() -> BusinessHours:
    # Imported here: workflow code validates definitions that always carry concrete hours, and
    # must not import settings into its sandbox.
    from switchboard.business import profile_hours
    from switchboard.settings import get_settings

    return profile_hours(get_settings().business_profile)


class Policies(BaseModel):
    """Rules every step obeys. Consent is checked at each send, not only at entry."""

    model_config = ConfigDict(extra="forbid")
    purpose: Literal["service", "marketing"] = "service"
    timezone: str = Field(
        default="Europe/Paris",
        description="Journey default; the customer's profile, then the E.164 country, win.",
    )
    quiet_hours: QuietHours | None = Field(
        default_factory=lambda: QuietHours(start=time(21, 0), end=time(8, 0))
    )
    business_hours: Annotated[BusinessHours, BeforeValidator(_profile_hours_when_named)] = Field(
        default_factory=lambda: _profile_hours(),
        description="Calls are placed only within business hours. Default (or `profile`): "
        "the business profile's opening hours, breaks, holidays and closures, in its time zone.",
    )
    frequency_cap: FrequencyCap | None = None
    exit_on: list[ExitOn] = Field(default_factory=lambda: list[ExitOn](["stop"]))
    rate_limited: bool = Field(
        default=False,
        description="Sends go through the outreach task queue, rate-limited to "
        "SWITCHBOARD_OUTREACH_SENDS_PER_S across all campaigns.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        # A misspelt zone would otherwise pass here and fail every run that falls back to it.
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            close = difflib.get_close_matches(value, sorted(available_timezones()), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "e.g. 'Europe/Paris'"
            raise ValueError(
                f"unknown time zone {value!r}: an IANA name from the tz database ({hint})"
            ) from None
        return value

    @field_validator("exit_on")
    @classmethod
    def _stop_always_exits(cls, value: list[ExitOn]) -> list[ExitOn]:
        # STOP must end every journey (WhatsApp Business policy): not something to opt out of.
        return value if "stop" in value else [*value, "stop"]


# Events a running journey hears of (the customer workflow forwards them), so a goal can count
# them: a booking confirmed or moved, a visit (POST /events), a message from the customer.
GoalEvent = Literal[
    "booking_confirmed", "booking_rescheduled", "visit_completed", "customer_replied"
]


class Goal(BaseModel):
    """The journey's conversion: ``event`` within ``within`` of the run's first message or
    call (a run that never contacted the customer cannot convert). A run converts at most once;
    it keeps listening after its last step until the window closes (``JourneyStep`` ``goal``
    meanwhile). Counted per version (and split branch) in ``journeys runs``: the run's
    ``JourneyGoal`` is ``converted``."""

    model_config = ConfigDict(extra="forbid")
    event: GoalEvent
    within: Duration


NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


class JourneyDefinition(BaseModel):
    """One journey file. Raises ``pydantic.ValidationError`` naming each problem's field."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=NAME.pattern, description="Slug, used in workflow IDs.")
    description: str = ""
    trigger: Trigger
    policies: Policies = Field(default_factory=Policies)
    goal: Goal | None = None
    start: str
    steps: dict[str, Step]

    @model_validator(mode="after")
    def _graph(self) -> JourneyDefinition:
        if self.start not in self.steps:
            raise ValueError(f"start step {self.start!r} is not defined in steps")
        for name, step in self.steps.items():
            for target in step.targets():
                if target not in self.steps:
                    raise ValueError(f"step {name!r} leads to {target!r}, which is not defined")
        reachable, frontier = {self.start}, [self.start]
        while frontier:
            for target in self.steps[frontier.pop()].targets():
                if target not in reachable:
                    reachable.add(target)
                    frontier.append(target)
        saved = {s.save_as for s in self.steps.values() if isinstance(s, HoldSlot)}
        for name, step in self.steps.items():
            var = step.until.var if isinstance(step, Wait) and step.until else None
            if var and var not in saved:
                raise ValueError(f"step {name!r} waits for {var!r}, which no hold_slot saves")
        unreachable = sorted(set(self.steps) - reachable)
        if unreachable:
            raise ValueError(f"steps never reached from {self.start!r}: {', '.join(unreachable)}")
        for name, step in self.steps.items():
            for text in _texts(step):
                problem = _template_problem(text)
                if problem is not None:
                    raise ValueError(f"step {name!r}: template error: {problem}")
        return self

    @property
    def version(self) -> str:
        """Content hash (12 hex digits of SHA-256 over the canonical JSON)."""
        # Without a goal (or ``one_at_a_time``) the hash is the one the definition had before
        # goals (and ``one_at_a_time``) existed.
        exclude: dict[str, Any] = {}
        if self.goal is None:
            exclude["goal"] = True
        if not self.trigger.one_at_a_time:
            exclude["trigger"] = {"one_at_a_time": True}
        dumped = self.model_dump(mode="json", exclude=exclude or None)
        if self.policies.business_hours.from_profile:
            # As the file says it: the profile's hours change with its edits and each year's
            # holidays, which are not a new version of this journey.
            dumped["policies"]["business_hours"] = "profile"
        canonical = json.dumps(dumped, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:12]


# Every run's input carries its definition, so this validator runs each time a worker decodes
# one: parsing its templates anew was ~1.1 ms of the worker's CPU per run (of ~1.2 ms to decode
# the input; bench suite 3, issue 14). A text's verdict never changes, so it is kept.
@functools.lru_cache(maxsize=1024)
def _template_problem(text: str) -> str | None:
    """What is wrong with template ``text`` (Jinja's syntax error, or a filter or test it does
    not have), as a message; None when nothing is."""
    try:
        tree = TEMPLATES.parse(text)
    except TemplateSyntaxError as exc:
        return f"{exc.message}"
    return _unknown_filter(tree)


def _unknown_filter(tree: nodes.Template) -> str | None:
    """The first filter or test ``tree`` names that Jinja does not have, as a message; None when
    all exist. Parsing accepts any name (Jinja looks filters up when it compiles), so a typo such
    as ``defalt`` would otherwise pass the check and fail at the first send."""
    for node in tree.find_all((nodes.Filter, nodes.Test)):
        known = TEMPLATES.filters if isinstance(node, nodes.Filter) else TEMPLATES.tests
        if node.name not in known:
            kind = "filter" if isinstance(node, nodes.Filter) else "test"
            close = difflib.get_close_matches(node.name, list(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            return f"no {kind} named {node.name!r}{hint}"
    return None


def _texts(step: BaseModel) -> list[str]:
    texts: list[str] = []
    for field in ("text", "opening", "goal", "voicemail", "note", "offer", "question"):
        value = getattr(step, field, None)
        if isinstance(value, str):
            texts.append(value)
    template = getattr(step, "template", None)
    if isinstance(template, TemplateRef):
        texts.extend(template.variables.values())
    return texts
