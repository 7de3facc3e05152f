"""Which audience journeys a campaign can send as one broadcast (``workflows/campaign.py``)
instead of one journey run per member, and where each member goes in it.

A *broadcast shape*: from ``start``, only ``branch`` steps on ``consent.whatsapp``, then one
``send_whatsapp`` step whose ``next`` is an ``end`` step, or a ``wait_for`` on ``reply`` (with
its timeout) whose ``next`` ends the journey, with ``replied`` in ``exit_on`` (a reply ends the
journey: the conversation takes over). The branches may reach the send through one ``wait``
step (``before``) whose ``next`` is the send: a ``duration`` from the member's enrolment or an
``until`` local ``time`` (not ``var`` nor ``date``: a wait on a member's own data, such as a
booking's time, is a run's); then ``exit_on`` may hold only what the campaign decides from
Postgres at send time (``replied``: the member wrote or called since enrolment; ``stop``: a STOP
since enrolment), else the journey is not a broadcast. The policies: no ``goal`` (conversions
are counted per run) and not ``one_at_a_time``; ``rate_limited`` or not (a rate-limited
broadcast is paced at the outreach limit, an unlimited one sends at the outbox's pace, as an
unlimited journey's runs would). The send step has no ``on_failed`` (a failure reported later
by Twilio is handled by a run, and there is none). Other targets of the branches (e.g. ``call``
for members without an opt-in), the send's ``on_skip`` and the wait's ``on_timeout`` are steps a
member's own journey run starts at (``JourneyStartRequest.start_at``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from switchboard.journeys.schema import (
    Branch,
    End,
    JourneyDefinition,
    SendWhatsApp,
    Wait,
    WaitFor,
)

CONSENT_BRANCH = "consent.whatsapp"
# What may end a member's wait before the send: what the campaign reads from Postgres then.
EXITS_BEFORE_SEND = frozenset({"replied", "stop"})


@dataclass(frozen=True)
class BroadcastShape:
    """The broadcast's steps: ``send`` (the ``send_whatsapp`` step), the wait after it
    (``wait``, its ``timeout`` and ``on_timeout``; None when the send ends the journey), and
    the ``wait`` step before it (``before``; None when the branches reach the send at once)."""

    send: str
    wait: str | None = None
    timeout: timedelta | None = None
    on_timeout: str | None = None
    before: str | None = None


def broadcast_shape(definition: JourneyDefinition) -> BroadcastShape | None:
    """The definition's ``BroadcastShape``, or None when it has none (module docstring)."""
    policies = definition.policies
    if (
        definition.trigger.event != "audience"
        or definition.trigger.one_at_a_time
        or definition.goal is not None
    ):
        return None
    steps = definition.steps
    sends: set[str] = set()
    waits: set[str] = set()
    seen: set[str] = set()
    todo = [definition.start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        step = steps[name]
        if isinstance(step, Branch):
            if step.on != CONSENT_BRANCH:
                return None
            todo.extend(step.targets())
        elif isinstance(step, SendWhatsApp):
            sends.add(name)
        elif isinstance(step, Wait):
            waits.add(name)
            if step.next is not None:
                todo.append(step.next)
    if len(sends) != 1 or len(waits) > 1:
        return None
    [send_name] = sends
    send = steps[send_name]
    assert isinstance(send, SendWhatsApp)
    before = next(iter(waits), None)
    if before is not None and not _waits_alike(definition, before, send_name):
        return None
    if send.on_failed is not None or send.next is None:
        return None
    after = steps[send.next]
    if isinstance(after, End):
        return BroadcastShape(send=send_name, before=before)
    if (
        not isinstance(after, WaitFor)
        or after.event != "reply"
        or "replied" not in policies.exit_on
        or not ends(definition, after.next)
    ):
        return None
    return BroadcastShape(
        send=send_name,
        wait=send.next,
        timeout=after.timeout,
        on_timeout=after.on_timeout,
        before=before,
    )


def _waits_alike(definition: JourneyDefinition, name: str, send: str) -> bool:
    """Whether the ``wait`` step ``name`` before the send is one a campaign can hold its
    members in (module docstring): it goes on to ``send``, its end does not depend on the
    member's own data, and nothing but ``EXITS_BEFORE_SEND`` ends it."""
    step = definition.steps[name]
    assert isinstance(step, Wait)
    if step.next != send or not set(definition.policies.exit_on) <= EXITS_BEFORE_SEND:
        return False
    return step.duration is not None or (step.until is not None and step.until.time is not None)


def ends(definition: JourneyDefinition, step: str | None) -> bool:
    """Whether going to ``step`` ends the journey (no step, or an ``end`` step)."""
    return step is None or isinstance(definition.steps[step], End)


def consent_path(definition: JourneyDefinition, consent: str) -> str | None:
    """The step a member reaches from ``start`` through the consent branches, given the
    branch value ``consent`` (``yes``, ``no``, ``opted_out``: ``Branch``); None ends the
    journey (a case with no step and no default)."""
    name: str | None = definition.start
    for _ in range(len(definition.steps) + 1):  # a branch cycle would never end
        if name is None:
            return None
        step = definition.steps[name]
        if not isinstance(step, Branch):
            return name
        name = step.cases.get(consent, step.default)
    raise ValueError(f"{definition.name}: the consent branches loop")
