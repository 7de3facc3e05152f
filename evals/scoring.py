"""Scoring one played scenario from the outside: what the customer was told, what the CRM holds,
whether a handoff was recorded, the consent in force. Pure functions of an ``Observation``.

Wrong actions are what the business cannot accept whatever the wording: a confirmed booking
the scenario did not expect (booked, or moved to, a slot nobody asked for), or a set-up booking
that was cancelled or moved when the scenario expected it to stay. Failing to do what was asked
is a failure, not a wrong action.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from evals.clock import EvalClock, day_pattern, time_pattern
from evals.scenarios import Expect, ExpectedBooking, ReplyCheck, Scenario

# Words a booking's subject may carry that say nothing about which animal it is.
_SUBJECT_FILLER = {"my", "your", "our", "the", "a", "an", "and", "&", "his", "her", "their"}
_TRAILING = re.compile(r"[\s\"')\]*_~.!\u2000-\u2bff\U0001f000-\U0001faff\ufe0f]+$")
_DAY_TIME_RE = re.compile(
    r"^\s*(?:(?P<day>\S+)\s+)?(?P<time>\d{1,2}:\d{2}|now(?:-|\+\d{1,4})?)\s*$"
)
# Named patterns for ``matches`` (``"@time"``), so scenarios need not repeat the regexes.
PATTERNS = {
    # Any clock time: 15:00, 15h30, 9.15, 3pm, 10 a.m.
    "@time": r"(?<![\d:.])\d{1,2}\s?[:h.]\s?\d{2}(?!\d)|(?<![\d:.])\d{1,2}\s?[ap]\.?\s?m\b",
    # A negative answer: "no", "not", "don't", "can't", "closed", "unfortunately"…
    "@negative": r"\b(?:no|not|don['’]t|do not|can['’]t|cannot|couldn['’]t|isn['’]t|aren['’]t"
    r"|closed|unfortunately|sorry|none|nothing)\b",
}


@dataclass(frozen=True)
class BookingRow:
    """A row of the customer's CRM bookings at the end (``slot_start`` UTC; ``service`` a key of
    the business profile, None for a booking made without one)."""

    id: str
    subject: str
    slot_start: datetime
    status: str
    service: str | None = None


@dataclass
class TurnObservation:
    """One customer turn: what they said (several messages for a burst), what the product heard
    on a call (its transcript), the agent's replies, and the latency (ms) to the first reply.

    On a call the agent may have asked to repeat the turn: then these fields are the caller's
    last try, and ``earlier`` holds the tries before it (each answered by a request to repeat).
    Checks on a turn's replies read the last try, what the turn ended with."""

    said: list[str]
    replies: list[str] = field(default_factory=list)
    heard: str | None = None
    latency_ms: float | None = None
    earlier: list[TurnObservation] = field(default_factory=list)


@dataclass
class Observation:
    turns: list[TurnObservation]
    setup_bookings: list[BookingRow]
    bookings: list[BookingRow]
    handoffs: int = 0
    consent: str | None = None
    error: str | None = None

    @property
    def repeats(self) -> int:
        """How many times the caller said a turn again because the agent asked them to."""
        return sum(len(t.earlier) for t in self.turns)


@dataclass
class Verdict:
    passed: bool
    reasons: list[str]
    wrong_actions: list[str]
    clarified: bool | None = None  # for clarify scenarios: did the agent ask instead of act
    handed_off: bool | None = None  # for handoff scenarios: was a handoff recorded


def subject_matches(expected: str | None, actual: str) -> bool:
    """``"Max"`` matches ``"Max"``, ``"Max (dog)"``; ``"cat"`` matches ``"your cat"``; every
    meaningful word of ``expected`` must be a word of ``actual`` (case-insensitive)."""
    if expected is None:
        return True
    want = {w for w in re.findall(r"[\w']+", expected.lower()) if w not in _SUBJECT_FILLER}
    have = set(re.findall(r"[\w']+", actual.lower()))
    return bool(want) and want <= have


def is_question(reply: str) -> bool:
    """The reply asks something: a sentence of it ends with a question mark ("Which time?",
    and "What time on Tuesday? I have 08:30 or 11:15." too, where the options follow)."""
    return _TRAILING.sub("", reply).endswith("?") or bool(re.search(r"\?(?:\s|$)", reply))


def _mention_pattern(expr: str, clock: EvalClock) -> str:
    """``"tue 15:00"`` → day and time; ``"tue"`` → the day; ``"15:00"`` → the time."""
    m = _DAY_TIME_RE.match(expr)
    if m is None:
        return day_pattern(clock.day(expr), clock.today)
    at = clock.time_of(m["time"])
    time_re = time_pattern(at.hour, at.minute)
    if m["day"] is None:
        return time_re
    day_re = day_pattern(clock.day(m["day"]), clock.today)
    return rf"(?=[\s\S]*(?:{day_re}))(?=[\s\S]*(?:{time_re}))"


_CLOCK_24 = re.compile(r"(?<![\d:.])(\d{1,2})\s?[:h.]\s?(\d{2})(?!\d)(?:\s?([ap])\.?\s?m\b)?", re.I)
_CLOCK_12 = re.compile(r"(?<![\d:.])(\d{1,2})\s?([ap])\.?\s?m\b", re.I)
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def times_said(text: str) -> set[tuple[int, int]]:
    """Clock times named in ``text`` as (hour 0–23, minute): ``15:00``, ``9.30``, ``3pm``…"""
    found: set[tuple[int, int]] = set()
    for h, m, half in _CLOCK_24.findall(text):
        hour = int(h) % 12 + (12 if half.lower() == "p" else 0) if half else int(h)
        found.add((hour, int(m)))
    for h, half in _CLOCK_12.findall(text):
        found.add((int(h) % 12 + (12 if half.lower() == "p" else 0), 0))
    if re.search(r"\b(?:noon|midday)\b", text, re.I):
        found.add((12, 0))
    return found


def days_said(text: str, clock: EvalClock) -> set[int]:
    """Weekdays (0 = Monday) named in ``text``, ``today``/``tomorrow`` included."""
    low = text.lower()
    found = {i for i, name in enumerate(_WEEKDAY_NAMES) if re.search(rf"\b{name}\b", low)}
    if re.search(r"\btoday\b", low):
        found.add(clock.today.weekday())
    if re.search(r"\btomorrow\b", low):
        found.add((clock.today.weekday() + 1) % 7)
    return found


def offers_alternative(text: str, asked: str, clock: EvalClock) -> bool:
    """Whether ``text`` names a time or a day other than ``asked`` (a slot expression).

    "today" and "tomorrow" count as a day offered only next to a clock time: "How can I help
    you today?" offers nothing."""
    m = _DAY_TIME_RE.match(asked)
    if m is None or m["day"] is None:
        raise ValueError(f"alternative_to needs a slot expression (day HH:MM): {asked!r}")
    day = clock.day(m["day"]).weekday()
    times = times_said(text)
    at = clock.time_of(m["time"])
    other_time = times - {(at.hour, at.minute)}
    named = {i for i, name in enumerate(_WEEKDAY_NAMES) if re.search(rf"\b{name}\b", text.lower())}
    other_day = (days_said(text, clock) if times else named) - {day}
    return bool(other_time or other_day)


def _check_replies(check: ReplyCheck, turns: list[TurnObservation], clock: EvalClock) -> list[str]:
    try:
        turn = turns[check.turn]
    except IndexError:
        return [f"no turn {check.turn} was played"]
    text = "\n".join(turn.replies)
    low = text.lower()
    where = f"turn {check.turn if check.turn >= 0 else len(turns) + check.turn}"
    reasons: list[str] = []
    for item in check.contains:
        options = [clock.render(o) for o in ([item] if isinstance(item, str) else item)]
        if not any(o.lower() in low for o in options):
            reasons.append(f"{where}: reply does not say {' / '.join(map(repr, options))}")
    for item in check.not_contains:
        bad = clock.render(item)
        if bad.lower() in low:
            reasons.append(f"{where}: reply says {bad!r}")
    for expr in check.mentions:
        if not re.search(_mention_pattern(expr, clock), text, re.IGNORECASE):
            reasons.append(f"{where}: reply does not mention {expr}")
    for pattern in check.matches:
        if not re.search(PATTERNS.get(pattern) or clock.render(pattern), text, re.IGNORECASE):
            reasons.append(f"{where}: reply does not match /{pattern}/")
    if check.alternative_to is not None and not offers_alternative(
        text, check.alternative_to, clock
    ):
        reasons.append(f"{where}: reply offers no other time than {check.alternative_to}")
    return reasons


def _expected_bookings(expect: Expect, scenario: Scenario) -> list[ExpectedBooking]:
    if expect.bookings is not None:
        return list(expect.bookings)
    return [
        ExpectedBooking(subject=b.subject, slot=b.slot, service=b.service)
        for b in scenario.setup.bookings
    ]


def _check_bookings(
    expected: list[ExpectedBooking], obs: Observation, clock: EvalClock
) -> tuple[list[str], dict[str, str]]:
    """(failure reasons, wrong actions by booking ID)."""
    reasons: list[str] = []
    wrong: dict[str, str] = {}
    confirmed = [b for b in obs.bookings if b.status == "confirmed"]
    matched: set[str] = set()
    want_confirmed = [(e, clock.slot(e.slot)) for e in expected if e.status == "confirmed"]
    setup = {b.id: b for b in obs.setup_bookings}
    missing: list[tuple[ExpectedBooking, datetime]] = []
    for e, slot in want_confirmed:
        hit = next(
            (
                b
                for b in confirmed
                if b.id not in matched
                and b.slot_start == slot
                and subject_matches(e.subject, b.subject)
            ),
            None,
        )
        if hit is None:
            missing.append((e, slot))
            continue
        matched.add(hit.id)
        before = setup.get(hit.id)
        if e.service is not None and hit.service != e.service:
            # the service asked for, or the set-up one kept, is not the one booked
            what = f"{hit.subject} {clock.describe(slot)} is a {hit.service}, not a {e.service}"
            if before is not None and before.service == e.service:
                wrong[hit.id] = f"{what} (its service changed unasked)"
            else:
                reasons.append(what)
        elif e.service is None and before is not None and hit.service != before.service:
            wrong[hit.id] = (
                f"{hit.subject} {clock.describe(slot)} changed from a {before.service} to a "
                f"{hit.service} (not expected)"
            )
    for e, slot in missing:
        # The right slot booked under another name ("you" for Max) is a mistake in the record,
        # not an unrequested booking: a failure, not a wrong action.
        renamed = next(
            (
                b
                for b in confirmed
                if b.id not in matched
                and b.slot_start == slot
                and (b.id not in setup or setup[b.id].slot_start != b.slot_start)
            ),
            None,
        )
        if renamed is not None:
            matched.add(renamed.id)
            reasons.append(
                f"booked {clock.describe(slot)} for {renamed.subject!r}, not {e.subject!r}"
            )
        else:
            reasons.append(
                f"missing confirmed booking: {e.subject or 'any'} {clock.describe(slot)}"
            )
    for b in confirmed:
        if b.id in matched:
            continue
        before = setup.get(b.id)
        if before is not None and before.slot_start == b.slot_start:
            # Untouched set-up booking that should have been cancelled or moved: not done.
            reasons.append(f"still confirmed: {b.subject} {clock.describe(b.slot_start)}")
        else:
            what = "moved to" if before is not None else "booked"
            wrong[b.id] = f"{what} {b.subject} {clock.describe(b.slot_start)} (not expected)"
    current = {b.id: b for b in obs.bookings}
    for s in obs.setup_bookings:
        now = current.get(s.id)
        if now is not None and now.status == "confirmed" and now.slot_start == s.slot_start:
            continue
        kept = any(
            slot == s.slot_start and subject_matches(e.subject, s.subject)
            for e, slot in want_confirmed
        )
        if kept and s.id not in wrong:
            what = "cancelled" if now is None or now.status != "confirmed" else "moved"
            wrong[s.id] = f"{what} {s.subject} {clock.describe(s.slot_start)} (should have stayed)"
    return reasons, wrong


def _score_one(expect: Expect, scenario: Scenario, obs: Observation, clock: EvalClock) -> Verdict:
    reasons, wrong = _check_bookings(_expected_bookings(expect, scenario), obs, clock)
    for check in expect.reply_checks():
        reasons.extend(_check_replies(check, obs.turns, clock))
    handed_off: bool | None = None
    if expect.handoff is not None:
        handed_off = obs.handoffs > 0
        if expect.handoff and not handed_off:
            reasons.append("no handoff recorded")
        if not expect.handoff and handed_off:
            reasons.append("handed off to a person when not asked")
    clarified: bool | None = None
    if expect.clarify:
        new = {b.id for b in obs.bookings if b.status == "confirmed"} - {
            b.id for b in obs.setup_bookings
        }
        last = obs.turns[-1].replies[-1] if obs.turns and obs.turns[-1].replies else ""
        clarified = not new and is_question(last)
        if not clarified:
            reasons.append("did not ask a question" if not new else "booked instead of asking")
    if expect.consent is not None and obs.consent != expect.consent:
        reasons.append(f"consent is {obs.consent or 'unrecorded'}, expected {expect.consent}")
    return Verdict(
        passed=not reasons and not wrong,
        reasons=reasons,
        wrong_actions=list(wrong.values()),
        clarified=clarified,
        handed_off=handed_off,
    )


def score(scenario: Scenario, obs: Observation, clock: EvalClock) -> Verdict:
    """The verdict of the best-fitting alternative: a passing one if any, else the one with
    the fewest wrong actions, then the fewest reasons."""
    verdicts = [_score_one(e, scenario, obs, clock) for e in scenario.alternatives]
    best = min(verdicts, key=lambda v: (not v.passed, len(v.wrong_actions), len(v.reasons)))
    if obs.error is not None:  # scored all the same: a wrong action before the error counts
        best.passed = False
        best.reasons.insert(0, f"harness: {obs.error}")
    return best
