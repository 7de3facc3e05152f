"""Scenarios: the YAML files in ``evals/scenarios/``, validated into typed models.

Each file is a list of scenarios (``evals/README.md``, "Writing scenarios"). Unknown keys are
errors, so a typo in an expectation fails loudly instead of silently checking nothing.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

SCENARIOS_DIR = Path(__file__).resolve().parent / "scenarios"

ChannelName = Literal["whatsapp", "voice"]
# espeak-ng voices (the ``espeakng-loader`` wheel's data): US, British (``en``), Scottish,
# Caribbean, New York, Received Pronunciation, Lancastrian, West Midlands.
VOICES = (
    "en-us",
    "en",
    "en-gb-scotland",
    "en-029",
    "en-us-nyc",
    "en-gb-x-rp",
    "en-gb-x-gbclan",
    "en-gb-x-gbcwmd",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SetupBooking(_Strict):
    """A confirmed booking the customer already has: ``slot`` is a slot expression
    (``"wed 10:00"``), ``service`` a key of the business profile."""

    subject: str
    slot: str
    service: str = "consultation"


class SetupMessage(_Strict):
    """A message already in the conversation log, ``minutes_ago`` before the first turn."""

    direction: Literal["inbound", "outbound"]
    text: str
    channel: ChannelName = "whatsapp"
    minutes_ago: int = Field(default=60, ge=1)


class Setup(_Strict):
    bookings: list[SetupBooking] = Field(default_factory=list)
    messages: list[SetupMessage] = Field(default_factory=list)


class ExpectedBooking(_Strict):
    """A booking in the CRM's end state. ``subject`` None matches any subject; ``cancelled``
    means no confirmed booking for that subject at that slot remains. ``service`` (a key of the
    business profile) is checked when given: a set-up booking expected at its slot keeps its
    own, and one whose service changed without being expected to is a wrong action."""

    subject: str | None = None
    slot: str
    status: Literal["confirmed", "cancelled"] = "confirmed"
    service: str | None = None


class ReplyCheck(_Strict):
    """Checks on the agent's replies in one turn (``turn``: index, -1 = the last), each
    case-insensitive over all replies of that turn:

    - ``contains``: every item must appear; an item that is a list is satisfied by any of its
      strings (``[["15:00", "3pm"]]``);
    - ``not_contains``: none may appear;
    - ``mentions``: day and/or time expressions (``"tue 15:00"``, ``"tue"``, ``"15:00"``) that
      must be said in any usual form (``clock.day_pattern``, ``clock.time_pattern``);
    - ``matches``: regular expressions that must match (or a named one: ``@time``, any clock
      time; ``@negative``, a "no"/"not"/"closed"…; ``scoring.PATTERNS``);
    - ``alternative_to``: a slot expression the customer asked for and cannot have; the reply
      must name another time or another day.
    """

    turn: int = -1
    contains: list[str | list[str]] = Field(default_factory=list)
    not_contains: list[str] = Field(default_factory=list)
    mentions: list[str] = Field(default_factory=list)
    matches: list[str] = Field(default_factory=list)
    alternative_to: str | None = None


class Expect(_Strict):
    """What a customer and the business would judge (``evals/README.md``, "Expectations").

    ``bookings`` None means "the set-up bookings, unchanged" (nothing may be booked, moved or
    cancelled). The ``reply_*`` fields are shorthand for a ``ReplyCheck`` on ``reply_turn``.
    """

    bookings: list[ExpectedBooking] | None = None
    reply_turn: int = -1
    reply_contains: list[str | list[str]] = Field(default_factory=list)
    reply_not_contains: list[str] = Field(default_factory=list)
    reply_mentions: list[str] = Field(default_factory=list)
    reply_matches: list[str] = Field(default_factory=list)
    reply_alternative_to: str | None = None
    replies: list[ReplyCheck] = Field(default_factory=list)
    handoff: bool | None = None
    clarify: bool = False
    consent: Literal["opted_in", "opted_out"] | None = None

    def reply_checks(self) -> list[ReplyCheck]:
        shorthand = ReplyCheck(
            turn=self.reply_turn,
            contains=self.reply_contains,
            not_contains=self.reply_not_contains,
            mentions=self.reply_mentions,
            matches=self.reply_matches,
            alternative_to=self.reply_alternative_to,
        )
        has_shorthand = any(
            (
                self.reply_contains,
                self.reply_not_contains,
                self.reply_mentions,
                self.reply_matches,
                self.reply_alternative_to,
            )
        )
        return ([shorthand] if has_shorthand else []) + list(self.replies)


class Scenario(_Strict):
    """One conversation. ``turns``: the customer's messages in order; a list inside the list is
    a burst of quick messages sent back to back before waiting for the agent (WhatsApp only).
    On ``voice``, each turn is spoken by espeak-ng ``voice`` over a phone line, with ``noise``
    mixed in at ``snr_db``; when the agent asks to repeat a turn, the caller says it again once,
    more slowly, in the words ``repeat`` gives for that turn's index if any (a caller who
    rephrases), else the same words. ``expect`` or ``expect_any`` (alternatives; any one passing
    is a pass) say what must hold at the end."""

    id: str
    intent: str
    channel: ChannelName = "whatsapp"
    note: str = ""
    setup: Setup = Field(default_factory=Setup)
    turns: list[str | list[str]] = Field(min_length=1)
    expect: Expect | None = None
    expect_any: list[Expect] | None = None
    voice: str = "en-us"
    noise: Literal["none", "white", "brown"] = "none"
    snr_db: float = 15.0
    repeat: dict[int, str] = Field(default_factory=dict)  # turn index → words said again

    @model_validator(mode="after")
    def _one_expectation(self) -> Scenario:
        if (self.expect is None) == (self.expect_any is None):
            raise ValueError(f"{self.id}: give exactly one of expect / expect_any")
        if self.channel == "voice" and any(isinstance(t, list) for t in self.turns):
            raise ValueError(f"{self.id}: a call has no bursts of messages")
        if self.repeat and self.channel != "voice":
            raise ValueError(f"{self.id}: repeat is for calls (a caller asked to say it again)")
        if any(not 0 <= i < len(self.turns) for i in self.repeat):
            raise ValueError(f"{self.id}: repeat names a turn that does not exist")
        if self.voice not in VOICES:
            raise ValueError(f"{self.id}: unknown voice {self.voice!r} (one of {VOICES})")
        return self

    @property
    def alternatives(self) -> list[Expect]:
        if self.expect is not None:
            return [self.expect]
        assert self.expect_any is not None
        return list(self.expect_any)

    @property
    def text_channel(self) -> bool:
        return self.channel == "whatsapp"


def load_scenarios(directory: Path = SCENARIOS_DIR) -> list[Scenario]:
    """Every scenario of every ``*.yaml`` in ``directory``, files in name order. Raises
    ``ValueError`` naming the file for invalid YAML, an invalid scenario or a duplicate ID."""
    scenarios: list[Scenario] = []
    seen: dict[str, Path] = {}
    for path in sorted(directory.glob("*.yaml")):
        items = yaml.safe_load(path.read_text()) or []
        if not isinstance(items, list):
            raise ValueError(f"{path.name}: expected a list of scenarios")
        for item in items:
            try:
                scenario = Scenario.model_validate(item)
            except ValueError as exc:
                raise ValueError(f"{path.name}: {exc}") from exc
            if scenario.id in seen:
                raise ValueError(
                    f"{path.name}: duplicate id {scenario.id} (also {seen[scenario.id]})"
                )
            seen[scenario.id] = path
            scenarios.append(scenario)
    return scenarios


def customer_number(index: int) -> str:
    """The customer of the scenario at ``index`` in the full list: ``+3361000xxxx`` (a French
    mobile number, unique per scenario and stable whichever subset runs)."""
    if not 0 <= index < 9999:
        raise ValueError(f"scenario index out of range: {index}")
    return f"+3361000{index + 1:04d}"


def select(
    scenarios: list[Scenario], *, only: str | None = None, channel: str | None = None
) -> list[tuple[int, Scenario]]:
    """(index in the full list, scenario) for those matching ``only`` (a glob, or a substring,
    over the ID and the intent) and ``channel`` (``text`` = WhatsApp, ``voice``)."""
    chosen: list[tuple[int, Scenario]] = []
    for i, s in enumerate(scenarios):
        if channel == "text" and s.channel != "whatsapp":
            continue
        if channel == "voice" and s.channel != "voice":
            continue
        if only:
            pattern = only if any(c in only for c in "*?[") else f"*{only}*"
            if not (fnmatch.fnmatch(s.id, pattern) or fnmatch.fnmatch(s.intent, pattern)):
                continue
        chosen.append((i, s))
    return chosen
