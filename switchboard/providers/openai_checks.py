"""The checks an OpenAI agent decision must pass before it leaves the adapter: the local agent's
contract (``switchboard.providers.rules_agent``), as pure functions of the decision and the
turn's ``Facts``.

- ``PROPOSE_BOOKING`` / ``PROPOSE_RESCHEDULE``: the slot must pass ``check_slot`` for its
  service (a moved booking does not count against its own new slot); else a ``CLARIFY`` saying
  why, with the nearest free times. A new booking must not overlap the pet's own confirmed one
  (``pet_booked_over``); else a ``CLARIFY`` saying when that one is.
- ``PROPOSE_RESCHEDULE`` with the booking's own slot and another service is a change of
  service, held to the same rule (the new length must fit).
- ``PROPOSE_RESCHEDULE`` / ``PROPOSE_CANCEL``: ``booking_id`` must be one of the customer's
  upcoming confirmed bookings; else a ``CLARIFY`` asking which. A cancel carries the booking's
  own slot, subject and service.
- ``PROPOSE_CHANGES``: 2 to ``MAX_CHANGES`` changes, each held to the rule of its kind above
  (a new slot checked with the earlier changes of the proposal counted as booked: two pets at
  one time need room for two; the slots its moves and cancellations leave counted free: a
  swap), no booking changed twice; else a ``CLARIFY`` naming the pet.
- ``CONFIRM`` / ``DECLINE``: ``action_id`` must be the live pending action's ID; else a
  ``CLARIFY``. A confirm's ``confirmed`` (a yes to some of several changes) must name changes
  of that action; else a ``CLARIFY``. Other intents carry none.
- A service key the profile does not know becomes its default service (for a reschedule, the
  booking's service first). Fields an intent does not use are cleared.

The workflow still validates what it acts on (docs/architecture.md, "Confirm before acting").
"""

from __future__ import annotations

from datetime import datetime, timedelta

from switchboard.agent_models import (
    MAX_CHANGES,
    NOTHING_TO_CONFIRM,
    AgentDecision,
    BookingProposal,
    BookingView,
    Intent,
    PendingAction,
    booked_over_reply,
    pet_booked_over,
)
from switchboard.availability import Busy, SlotCheck, alternatives, check_slot, describe_reason
from switchboard.business import Service
from switchboard.providers.openai_tools import Facts, as_utc


def check_decision(decision: AgentDecision, facts: Facts) -> AgentDecision:
    """``decision`` if it keeps the contract (module docstring), normalised (service keys
    resolved, fields that do not apply cleared); else a ``CLARIFY`` saying what is possible."""
    intent = decision.intent
    if intent is not Intent.CONFIRM:  # only a yes keeps some changes of several
        decision = decision.model_copy(update={"confirmed": []})
    if intent is Intent.PROPOSE_CHANGES:
        return check_several(decision, facts)
    # One change at most: stray changes must not reach the workflow.
    decision = decision.model_copy(update={"proposals": []})
    if intent in (Intent.CONFIRM, Intent.DECLINE):
        return check_answer(decision, facts)
    if intent is Intent.PROPOSE_BOOKING:
        return check_booking(decision, facts)
    if intent in (Intent.PROPOSE_RESCHEDULE, Intent.PROPOSE_CANCEL):
        return check_change(decision, facts)
    # Nothing to hold or commit: a stray proposal or ID must not reach the workflow.
    return decision.model_copy(update={"proposal": None, "action_id": None})


def check_answer(decision: AgentDecision, facts: Facts) -> AgentDecision:
    """A confirm or decline must name the live pending action."""
    pending = facts.context.pending
    if pending is None:
        if decision.intent is Intent.CONFIRM:
            return _clarify(NOTHING_TO_CONFIRM)
        return _clarify("OK. Is there anything else I can help with?")
    if as_utc(pending.expires_at) <= facts.now:
        return _clarify(
            "Sorry, that offer has expired, so nothing has changed. Tell me what you'd like "
            "and I'll propose it afresh."
        )
    kept = set(decision.confirmed)
    held = {c.id for c in pending.changes}
    if decision.action_id != pending.id or (
        kept and (decision.intent is not Intent.CONFIRM or not kept <= held)
    ):
        return _clarify(f"Just to check: shall I go ahead with {_pending_text(pending, facts)}?")
    return decision.model_copy(update={"proposal": None})


def check_booking(decision: AgentDecision, facts: Facts) -> AgentDecision:
    """A new booking: its slot must be free for its service."""
    proposal = decision.proposal
    if proposal is None:
        return _clarify("Which day and time would you like?")
    service = facts.service(proposal.service)
    check = facts.check(proposal.slot_start, service)
    if not check.free:
        return offer_instead(facts, proposal.slot_start, service, check)
    start = as_utc(proposal.slot_start)
    end = start + timedelta(minutes=service.duration_minutes)
    own = pet_booked_over(facts.upcoming(), proposal.subject, start, end, facts.profile)
    if own is not None:
        later = as_utc(own.slot_start) != start
        at = start.astimezone(facts.zone).strftime("%H:%M") if later else None
        return _clarify(booked_over_reply(proposal.subject, facts.say(own.slot_start), at))
    fixed = proposal.model_copy(update={"service": service.key, "booking_id": None})
    return decision.model_copy(update={"proposal": fixed, "action_id": None})


def check_change(decision: AgentDecision, facts: Facts) -> AgentDecision:
    """A reschedule or cancel: the booking must be one of the customer's upcoming confirmed
    ones; a new slot must be free (the booking itself not counting against it)."""
    moving = decision.intent is Intent.PROPOSE_RESCHEDULE
    verb = "move" if moving else "cancel"
    proposal = decision.proposal
    upcoming = facts.upcoming()
    booking = next(
        (b for b in upcoming if proposal is not None and b.id == proposal.booking_id), None
    )
    if proposal is None or booking is None:
        return which_booking(verb, upcoming, facts)
    current = as_utc(booking.slot_start)
    if not moving:
        # The booking's own data, not the model's copy: the cancel reads back what is booked.
        fixed = BookingProposal(
            slot_start=current,
            subject=booking.subject,
            service=booking.service,
            booking_id=booking.id,
        )
        reply = decision.reply
        if proposal.slot_start != current:
            reply = (
                f"I can cancel the appointment{_for(booking.subject)} on {facts.say(current)}. "
                f"{facts.ask()}"
            )
        return AgentDecision(
            intent=Intent.PROPOSE_CANCEL, reply=reply, proposal=fixed, note=decision.note
        )
    service = facts.service(proposal.service or booking.service)
    # the same slot as another service is a change of service ("can Max's checkup be a dental
    # instead?"); the same slot as the same service changes nothing
    if proposal.slot_start == current and service.key == facts.service(booking.service).key:
        return _clarify(
            f"Your appointment{_for(booking.subject)} is already on {facts.say(current)}. "
            "When would you like to move it to?"
        )
    check = facts.check(proposal.slot_start, service, ignore=booking.id)
    if not check.free:
        return offer_instead(facts, proposal.slot_start, service, check, ignore=booking.id)
    fixed = proposal.model_copy(
        update={
            "service": service.key,
            "booking_id": booking.id,
            "subject": proposal.subject or booking.subject,
        }
    )
    return decision.model_copy(update={"proposal": fixed, "action_id": None})


def check_several(decision: AgentDecision, facts: Facts) -> AgentDecision:
    """Several changes confirmed by one yes: each must keep its own kind's rule; the first
    that does not is answered as its own check answers it, naming the pet."""
    proposals = decision.proposals
    if not 2 <= len(proposals) <= MAX_CHANGES:
        return _clarify(
            f"I can change up to {MAX_CHANGES} appointments at once. Which ones should I do first?"
        )
    targets = [p.booking_id for p in proposals if p.kind != "book"]
    if len(set(targets)) < len(targets):
        return _clarify("Which appointments should I change, and how?")
    upcoming = {b.id: b for b in facts.upcoming()}
    # the slots this proposal's moves and cancellations leave are free for its other changes
    # (a swap), as the workflow commits them (workflows/actions.py, ``_commit_several``)
    leaving = set(targets)
    busy = [b for b in facts.context.busy if b.booking_id not in leaving]
    fixed: list[BookingProposal] = []
    for n, proposal in enumerate(proposals):
        kind = proposal.kind or "book"
        booking = upcoming.get(proposal.booking_id or "") if kind != "book" else None
        if kind != "book" and booking is None:
            return which_booking(
                "move" if kind == "reschedule" else "cancel", [*upcoming.values()], facts
            )
        if kind == "cancel":
            assert booking is not None
            fixed.append(
                BookingProposal(
                    slot_start=as_utc(booking.slot_start),
                    subject=booking.subject,
                    service=booking.service,
                    booking_id=booking.id,
                    kind="cancel",
                    said=facts.say(booking.slot_start),
                )
            )
            continue
        service = facts.service(proposal.service or (booking.service if booking else None))
        ignore = booking.id if booking else None
        start = as_utc(proposal.slot_start)
        check = check_slot(
            facts.profile, busy, start, service, now=facts.now, ignore_booking=ignore
        )
        if not check.free:
            refused = offer_instead(facts, start, service, check, ignore=ignore)
            return refused.model_copy(update={"reply": f"For {proposal.subject}: {refused.reply}"})
        busy.append(
            Busy(
                booking_id=f"proposed-{n}",
                start=start,
                end=start + timedelta(minutes=service.duration_minutes),
            )
        )
        fixed.append(
            BookingProposal(
                slot_start=start,
                subject=proposal.subject or (booking.subject if booking else ""),
                service=service.key,
                booking_id=booking.id if booking else None,
                kind=kind,
                said=facts.say(start),
            )
        )
    return decision.model_copy(update={"proposal": None, "proposals": fixed, "action_id": None})


def which_booking(verb: str, upcoming: list[BookingView], facts: Facts) -> AgentDecision:
    """The named booking is not one the customer can change: ask which one."""
    if not upcoming:
        return _clarify(
            f"I can't find an upcoming appointment to {verb}. Would you like to book one?"
        )
    listed = " or ".join(
        f"the one{_for(b.subject)} on {facts.say(b.slot_start)}" for b in upcoming[:4]
    )
    return _clarify(f"Which appointment should I {verb}: {listed}?")


def offer_instead(
    facts: Facts,
    slot: datetime,
    service: Service,
    check: SlotCheck,
    *,
    ignore: str | None = None,
) -> AgentDecision:
    """The slot cannot be booked: why, and the nearest free times (nothing is held)."""
    why = describe_reason(check, facts.profile)
    head = f"Sorry, {facts.say(slot)} isn't possible: {why}."
    options = alternatives(
        facts.profile, facts.context.busy, slot, service, now=facts.now, ignore_booking=ignore
    )
    if not options:
        return _clarify(f"{head} Which other day would suit you?")
    said = [facts.say(o) for o in options]
    listed = said[0] if len(said) == 1 else f"{', '.join(said[:-1])} or {said[-1]}"
    return _clarify(f"{head} I can offer {listed}. Which would suit you?")


# -- helpers ---------------------------------------------------------------------------------------


def _pending_text(pending: PendingAction, facts: Facts) -> str:
    if pending.changes:
        return " and ".join(
            f"{c.kind} for {c.subject} on {c.said or facts.say(c.slot_start)}"
            for c in pending.changes
        )
    if pending.slot_start is None or pending.kind == "offer":
        return pending.subject
    when = facts.say(pending.slot_start)
    if pending.kind == "cancel":
        return f"cancelling the appointment{_for(pending.subject)} on {when}"
    if pending.kind == "reschedule":
        return f"moving the appointment{_for(pending.subject)} to {when}"
    return f"the booking on {when}{_for(pending.subject)}"


def _clarify(reply: str) -> AgentDecision:
    return AgentDecision(intent=Intent.CLARIFY, reply=reply)


def _for(subject: str) -> str:
    """``" for Felix"``; empty for "you" and an empty subject (as the local agent says it)."""
    return "" if subject.strip().lower() in {"", "you", "yourself"} else f" for {subject}"
