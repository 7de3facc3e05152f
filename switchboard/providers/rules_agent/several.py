"""Several changes in one message: a booking for each pet, each moved visit, one yes for all."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from switchboard.agent_models import (
    AgentDecision,
    BookingView,
    Direction,
    Intent,
    PendingAction,
    PendingChange,
)
from switchboard.providers.rules_agent.confirming import Confirming
from switchboard.providers.rules_agent.helpers import Plan, and_listed, as_utc, reply_as
from switchboard.providers.rules_agent.patterns import (
    CLAUSE_END,
    DAY_MENTION_RE,
    IN_A_ROW_RE,
    MOVED_TO_QUESTION,
    PET_CLAUSE_RE,
    WEEKDAY_AFTER_RE,
    YES_SAID_RE,
)
from switchboard.understanding import answers
from switchboard.understanding.subjects import is_name, known_names_in
from switchboard.understanding.text import normalise
from switchboard.understanding.when import When, merge
from switchboard.understanding.windows import read_window

# A weekday counted from the visit talked about: "to the friday after", "the monday after it"
# A move said as two hours: "move max from 3 to 4", "from 10:30 to 11".
_FROM_HOUR_TO_HOUR_RE = re.compile(
    r"\bfrom\s+(?P<start>\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)\s+(?:to|till|until)\s+"
    r"(?P<end>\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?)\b"
)
# A pet of several proposed, left out ("not max", "without max", "leave max out", "max's still
# on antibiotics", "max can wait"); ``.format`` with the pet's name, lower case.
_DROPPED_PET = (
    r"\b(?:not|without|except|minus|skip|but\s+not|no)\s+(?:for\s+)?{0}\b"
    r"|\bleave\s+{0}(?:'s)?\s+(?:out|off)\b"
    r"|\b{0}(?:'s|\s+is)?\s+(?:still|can\s+wait|will\s+have\s+to\s+wait|isn't|is\s+not|won't|can't)\b"
    # "only luna please, max is poorly"
    r"|\b{0}(?:'s|\s+is|\s+has\s+been)\s+(?:a\s+bit\s+)?(?:poorly|ill|sick|unwell|not\s+well|off\s+colour)\b"
)


# A clock time said with "at" (normalised): "at 11h30", "at 3.15pm", "at 10"
_AT_TIME_RE = re.compile(r"\bat\s+\d{1,2}(?:[:.h]\d{2}|h)?\s*(?:am|pm|o'clock)?(?![\w:.])")


# Two things read back the wrong way round: "no no, the other way round!", "vice versa",
# "swap them".
_OTHER_WAY_RE = re.compile(
    r"\b(?:other|wrong)\s+way\s+a?round\b|\bvice\s+versa\b|\b(?:swap|switch)\s+(?:them|those"
    r"|the\s+(?:services|times|two))(?:\s+a?round)?\b"
)


# A visit asked right after the others: "same time or just after", "straight after them".
_JUST_AFTER_RE = re.compile(
    r"\b(?:just|straight|right|directly|immediately)\s+after(?:\s+(?:them|those|that|theirs))?\b"
)
# Of two pets, the one not singled out: "the other one at 9.30 please".
_THE_OTHER_ONE_RE = re.compile(
    r"\b(?i:the\s+other\s+(?:one|1|dog|cat|pup|puppy|kitten|rabbit|bunny))\b"
)


# A weekday of next week said as such: "monday next week", "next week on tuesday".
_WEEKDAY_OF_NEXT_WEEK_RE = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+(?:of\s+)?next\s+week\b"
    r"|\bnext\s+week\s+(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day\b"
)


class Several(Confirming):
    """Several changes in one message: a booking for each pet, each moved visit, one yes for
    all."""

    def wanted_instead_of(
        self, booked: datetime, *, said: When | None = None, text: str | None = None
    ) -> When:
        """What the message (or its part ``text``, normalised, read as ``said``) asks for in
        place of ``booked`` (local): "push it back an hour" is the booked time moved by that
        much; in "Bella is booked thursday at 4 but could we do friday at 4 instead?" or
        "something's come up wednesday, can you move both to thursday at 2?" the day the
        booking has now is named first and the one asked for comes after."""
        unshifted = self.when if said is None else said
        if (
            unshifted.shift is not None
            and unshifted.shift % timedelta(days=7) == timedelta(0)
            and unshifted.day is not None
            and unshifted.day != booked.date()
            and _WEEKDAY_OF_NEXT_WEEK_RE.search(self.text if text is None else text)
        ):
            # "move rex's groom on saturday to monday next week, same time" (set 172): the
            # week's already in the day named, not a week on from the booking
            unshifted = replace(unshifted, shift=None)
        wanted = unshifted.shifted(booked)
        if unshifted.shift is not None and unshifted.day == booked.date():
            # "moved from this Friday to Monday next week?": the day named after the booking's
            # (its week said), not the booking's day a week on
            later = self.when_after_first_day(text)
            if later.day is not None and later.day != booked.date():
                wanted = replace(later, shift=None)
        if wanted.months and (wanted.day is None or wanted.day == booked.date()):
            # "move to next month instead? same date and time": its date a month on
            wanted = replace(wanted, day=wanted.months_on(booked.date()), months=0)
        after = WEEKDAY_AFTER_RE.search(self.when_text if text is None else text)
        if after is not None and wanted.day is not None and wanted.day <= booked.date():
            # "move rex's second appointment to the friday after": the Friday after that visit
            ahead = (wanted.day.weekday() - booked.date().weekday() - 1) % 7 + 1
            wanted = replace(wanted, day=booked.date() + timedelta(days=ahead))
        if wanted.day == booked.date():
            later = self.when_after_first_day(text)
            rest = self.when_text if text is None else text
            for _ in range(2):
                # ("the 24th is christmas eve … can we do the 23rd instead", set 204: the
                # booked day said twice before the day asked)
                found = DAY_MENTION_RE.search(rest)
                if later.day != booked.date() or found is None:
                    break
                rest = rest[found.end() :]
                later = self.when_after_first_day(rest)
            if later.day is not None and later.day != booked.date():
                wanted = later
        if wanted.clock == booked.time() and not unshifted.same_time:
            # (not "move her to Thursday instead, same time, 4 o'clock?" after "she lands at Orly
            # at 3": the booked time is the one asked, set 158)
            # "the vaccine of friday at 12h, we prefer to do it together with boots at 11h30",
            # "Shadow's appt on Friday at 10 … moved to Monday the 14th at 11": the booking's
            # own time said first, the one wanted after it
            words = self.when_text if text is None else text
            others = {
                clock
                for found in _AT_TIME_RE.finditer(words)
                if (clock := self.read(found.group(0)).clock) is not None and clock != booked.time()
            }
            if not others:
                # "Teddy's booked at 11 today … a bit later? 11.45 would be ideal"
                # (the sentence that asks may leave it to the next: the whole message read)
                others = {
                    clock
                    for found in re.finditer(r"\b\d{1,2}[:.]\d{2}\b", words if text else self.text)
                    if (clock := self.read(f"at {found.group(0)}").clock) is not None
                    and clock != booked.time()
                }
            if len(others) == 1:
                wanted = replace(wanted, clock=others.pop())
        hours = _FROM_HOUR_TO_HOUR_RE.search(self.when_text if text is None else text)
        if hours is not None:
            # "move max from 3 to 4": read as a range it starts at 3, the booked hour; the move
            # is to the second
            start, end = self.read(f"at {hours['start']}").clock, self.read(f"at {hours['end']}")
            if start == booked.time() and end.clock is not None:
                wanted = replace(wanted, clock=end.clock)
        return wanted

    def narrowed_several(self, pending: PendingAction) -> AgentDecision | None:
        """Some of several pending changes kept, by the pets named ("actually just Sushi for
        now, Mochi's still on antibiotics", "yes for bella but not max", "leave max out"):
        confirmed when the message keeps them by name ("just", "only", "yes for") or says yes
        (``AgentDecision.confirmed``), else proposed again for a yes of their own ("leave max
        out"); the others dropped. None when the message keeps or drops none of them by name,
        all of them, or says a day or time of its own."""
        changes = pending.changes
        named = known_names_in(self.context.message, [c.subject for c in changes])
        if not named:
            return None
        text = self.text
        said = {s.key for s in answers.services_named(text, self.profile)}
        if said - {c.service for c in changes if c.subject.lower() in map(str.lower, named)}:
            # "not quite – Kiki's just coming for her vaccination": her service said, no pet
            # kept or dropped
            return None
        cancelled = {c.subject.lower() for c in changes if c.kind == "cancel"}
        dropped = {
            n.lower()
            for n in named
            if re.search(_DROPPED_PET.format(re.escape(n.lower())), text)
            # "oh wait, keep nibbles's jab on wednesday": not cancelled after all
            # (the clause keeping it is cut from ``text``; the message has it)
            or (
                n.lower() in cancelled
                and re.search(
                    rf"\bkeep\s+{re.escape(n.lower())}\b", normalise(self.context.message)
                )
            )
        }
        dropped_days = {
            self.local(c.slot_start).date() for c in changes if c.subject.lower() in dropped
        }
        if self.when.anything and not (self.when.clock is None and self.when.day in dropped_days):
            return None  # (the day of the visit kept only says which one it is)
        # the pets of a clause that says "just" or "only" ("just sushi and mochi for now"), or
        # that a yes opens with ("yes for sushi", "yes sushi and mochi")
        names = "|".join(re.escape(n.lower()) for n in named)
        kept = {
            n.lower()
            # the clauses as written (normalising drops their commas)
            for clause in (
                normalise(c) for c in re.split(rf"{CLAUSE_END}|\bbut\b", self.context.message)
            )
            if re.search(
                rf"\b(?:just|only)\b|^\s*(?:yes|yeah|yep|ok|okay)\s+(?:for\s+)?(?:{names})\b",
                clause,
            )
            for n in named
            if re.search(rf"\b{re.escape(n.lower())}\b", clause)
        } - dropped
        keep = [
            c
            for c in changes
            if (c.subject.lower() in kept if kept else c.subject.lower() not in dropped)
        ]
        everyone = {c.subject.lower() for c in changes}
        if len(keep) == len(changes):
            if {n.lower() for n in named} != everyone:
                return None
            # "yes for sushi and mochi": a yes naming them all
            rest = re.sub(
                r"\b(?:for|and|both|please|pls|thanks|thank\s+you|"
                + "|".join(re.escape(n.lower()) for n in named)
                + r")\b|\W",
                " ",
                text,
            )
            return self.confirm() if re.fullmatch(r"\s*(?:yes|yeah|yep|ok|okay)\s*", rest) else None
        if not keep:
            return None
        moved_up = self.moved_into_freed(changes, keep)
        if moved_up is not None:
            # "Rex doesn't need to come after all … just Pip and Coco then" (Coco was read back
            # at 09:45, the 09:30 places full): Coco into Rex's place, read back for a yes
            return self.several(moved_up)
        if kept or YES_SAID_RE.search(text):
            # "actually just max for now please", "yes but not bella": a yes to those kept,
            # the others dropped (the workflow commits only the changes named)
            return self.confirm_only(pending, keep)
        if len(keep) > 1:
            return self.several([self.plan_of(c) for c in keep])
        change = keep[0]
        booking = self.upcoming_by_id(change.booking_id)
        if change.kind == "cancel" and booking is not None:
            return self.propose_cancel(booking)
        local = self.local(change.slot_start)
        when = When(day=local.date(), clock=local.time())
        if change.kind == "reschedule" and booking is not None:
            return self.book(when, subject=booking.subject, moving=booking)
        return self.book(when, subject=change.subject, service_key=change.service, exact=True)

    def moved_into_freed(
        self, changes: list[PendingChange], keep: list[PendingChange]
    ) -> list[Plan] | None:
        """The kept new bookings of ``changes`` moved up into the earlier slots the dropped
        ones held, in order, when that moves any (all of one service on one day, so each slot
        fits); else None."""
        books = [c for c in changes if c.kind == "book"]
        kept = [c for c in keep if c.kind == "book"]
        if (
            len(kept) != len(keep)
            or len(kept) == len(books)
            or len({c.service for c in books}) > 1
            or len({self.local(c.slot_start).date() for c in books}) > 1
        ):
            return None
        slots = sorted(as_utc(c.slot_start) for c in books)[: len(kept)]
        ordered = sorted(kept, key=lambda c: as_utc(c.slot_start))
        if all(as_utc(c.slot_start) == slot for c, slot in zip(ordered, slots, strict=True)):
            return None
        return [replace(self.plan_of(c), slot=slot) for c, slot in zip(ordered, slots, strict=True)]

    def confirm_only(self, pending: PendingAction, keep: list[PendingChange]) -> AgentDecision:
        """A yes to the changes ``keep`` of ``pending`` only (the workflow commits the changes
        named), each said done."""
        done = [self.done_of(c) for c in keep]
        return AgentDecision(
            intent=Intent.CONFIRM,
            action_id=pending.id,
            confirmed=[c.id for c in keep],
            reply=f"Done: {and_listed(done)}.",
        )

    def service_of_one(self, pending: PendingAction) -> AgentDecision | None:
        """Another service said for a pet of several new bookings read back ("not quite –
        Kiki's just coming for her vaccination, it's only Ziggy who needs the check-up"): the
        same bookings proposed again, each pet with the service said in its own clause. None
        unless a clause names one pet of them and a service other than its own, and the
        message no day or time."""
        changes = pending.changes
        if self.when.anything or any(c.kind != "book" for c in changes):
            return None
        pets = [c.subject for c in changes]
        own: dict[str, str] = {}
        for clause in PET_CLAUSE_RE.split(self.context.message):
            named = known_names_in(clause, pets)
            said = answers.services_named(normalise(clause), self.profile)
            if len(named) == 1 and len(said) == 1:
                own.setdefault(named[0].lower(), said[0].key)
        if all(c.service == own.get(c.subject.lower(), c.service) for c in changes):
            return None
        self.keep_services = True
        return self.several(
            [
                replace(self.plan_of(c), service=own.get(c.subject.lower(), c.service))
                for c in changes
            ]
        )

    def kinds_kept(self, pending: PendingAction) -> AgentDecision | None:
        """ "yes to the move, not the cancel" to a move and a cancellation read back: the
        changes of the kind said yes to confirmed, the others dropped. None unless the message
        keeps or drops changes by their kind and some, not all, are kept."""
        kinds = {
            "reschedule": r"move|moving|reschedul\w*|change",
            "cancel": r"cancel\w*",
            "book": r"booking|new\s+(?:one|appointment)|book\w*",
        }
        dropped = {
            k for k, words in kinds.items() if re.search(rf"\bnot\s+the\s+(?:{words})\b", self.text)
        }
        kept = {
            k
            for k, words in kinds.items()
            if re.search(
                rf"\b(?:yes|yeah|yep|ok|okay)\s+(?:to|for)\s+the\s+(?:{words})\b", self.text
            )
        }
        if not (kept or dropped) or kept & dropped:
            return None
        keep = [
            c
            for c in pending.changes
            if (c.kind in kept if kept else True) and c.kind not in dropped
        ]
        if not keep or len(keep) == len(pending.changes):
            return None
        return self.confirm_only(pending, keep)

    def the_other_one(self, pending: PendingAction) -> AgentDecision | None:
        """ "the other one at 9.30 please" to two pets read back at one time, after "can baxter
        and skye both come … wednesday? baxter at 9 ideally" (set 156): the pet the customer
        did not single out before, read as if named. None unless the message says "the other
        one", two pets wait, and the message before singled out one of them with a time."""
        said = _THE_OTHER_ONE_RE.search(self.context.message)
        history = self.context.history
        pets = list(dict.fromkeys(c.subject for c in pending.changes))
        if said is None or len(pets) != 2 or len(history) < 2:
            return None
        before = next((t.text for t in reversed(history) if t.direction is Direction.INBOUND), None)
        if before is None:
            return None
        singled = [
            p
            for p in pets
            if re.search(rf"\b{re.escape(p.lower())}\s+(?:at|for|@)\s+\d", normalise(before))
        ]
        if len(singled) != 1:
            return None
        other = next(p for p in pets if p != singled[0])
        message = self.context.message
        return self.as_if_sent(f"{message[: said.start()]}{other}{message[said.end() :]}").decide()

    def services_kept(self, pending: PendingAction) -> AgentDecision | None:
        """ "yes for the jab but not the nails" to several services read back (set 157): the
        changes of the services kept confirmed, the others dropped; "just the jab" / "not the
        nails" without a yes read back again. None unless clauses keep or drop some, not all,
        of the services read back, and the message says no day or time."""
        changes = pending.changes
        if self.when.anything or len({c.service for c in changes}) < 2:
            return None
        kept: set[str] = set()
        dropped: set[str] = set()
        for clause in re.split(rf"{CLAUSE_END}|\bbut\b", self.context.message):
            said = {s.key for s in answers.services_named(normalise(clause), self.profile)}
            if not said:
                continue
            if re.search(r"\b(?:not|no|don't|dont|skip|without|forget)\b", normalise(clause)):
                dropped |= said
            elif re.search(r"\b(?:just|only|yes|yeah|yep|ok|okay)\b", normalise(clause)):
                kept |= said
        if kept & dropped:
            return None
        keep = [
            c for c in changes if (c.service in kept if kept else True) and c.service not in dropped
        ]
        if not keep or len(keep) == len(changes):
            return None
        if kept or YES_SAID_RE.search(self.text):
            return self.confirm_only(pending, keep)
        return self.several([self.plan_of(c) for c in keep])

    def swapped_round(self, pending: PendingAction) -> AgentDecision | None:
        """ "no no, the other way round! Coco's the jab, Milo needs the check-up" to two new
        bookings read back: their services swapped (or, of one service, their times),
        proposed again. None unless the message says so and two bookings are pending."""
        changes = pending.changes
        if not _OTHER_WAY_RE.search(self.text) or len(changes) != 2:
            return None
        first, second = changes
        if first.kind != "book" or second.kind != "book":
            return None
        a, b = self.plan_of(first), self.plan_of(second)
        if first.service != second.service:
            a, b = replace(a, service=second.service), replace(b, service=first.service)
            self.keep_services = True
        elif first.slot_start != second.slot_start:
            a, b = replace(a, slot=b.slot), replace(b, slot=a.slot)
        else:
            return None
        return self.several([a, b])

    def plan_of(self, change: PendingChange) -> Plan:
        """A pending change as a plan again (``several``)."""
        booking = self.upcoming_by_id(change.booking_id)
        return Plan(change.kind, change.subject, as_utc(change.slot_start), change.service, booking)

    def correct_several(self, pending: PendingAction) -> AgentDecision:
        """A new day or time while several changes are pending: for the pets named ("no, Bella
        at 12"), else for all of them when they share one slot, else a question which."""
        changes = pending.changes
        kept = {k.lower() for k in self.kept}
        rest = [c for c in changes if c.subject.lower() not in kept]
        if kept and rest and len(rest) < len(changes) and all(c.kind == "cancel" for c in rest):
            # "dumpling's groom, the 11 o'clock. noodle is still coming": Noodle's kept
            return self.several([self.plan_of(c) for c in rest])
        named = {n.lower() for n in self.subjects if is_name(n)}
        # the proposal's pets are known here though the CRM has none of them yet: "no pepper at
        # 11", in lower case, names Pepper and leaves Biscuit where she is
        named |= {
            n.lower() for n in known_names_in(self.context.message, [c.subject for c in changes])
        }
        each = self.own_time_each(changes) or self.newcomer_beside(changes, named)
        if each is not None:
            return each
        changed = self.pets_of_changed_clauses([c.subject for c in changes])
        if changed and changed < named:
            # "yes for Pumpkin, but could Toffee's be at quarter past instead?": Toffee's only
            named = changed
        meant = [c for c in changes if c.subject.lower() in named and c.kind != "cancel"]
        if not meant:
            # "saturday instead": every one to that day, each at its own time; a new time for
            # changes at different times could mean any of them.
            movable = [c for c in changes if c.kind != "cancel"]
            one_slot = len({c.slot_start for c in movable}) == 1
            if one_slot or (self.when.clock is None and self.when.shift is None):
                meant = movable
        leading = re.search(
            r"\b([a-z][a-z-]+)\s+(?:goes\s+|going\s+|can\s+go\s+)?(?:first|1st)\b", self.text
        )
        ordered = changes
        if leading is not None and named == {leading[1]}:
            # "5 and half 5 please, rocky first": Rocky's the first time
            ordered = sorted(changes, key=lambda c: c.subject.lower() != leading[1])
        in_order = self.times_in_order(ordered) if not named or ordered is not changes else None
        if in_order is not None:
            return in_order
        if not meant or not self.when.anything:
            listed = " or ".join(f"{c.subject} on {self.say(c.slot_start)}" for c in changes)
            return reply_as(Intent.CLARIFY, f"Which one should I change: {listed}?")
        plans: list[Plan] = []
        for change in changes:
            slot = change.slot_start
            if change in meant:
                local = self.local(slot)
                wanted = merge(self.when.shifted(local), When(day=local.date(), clock=local.time()))
                start = wanted.at(self.local_now)
                if start is not None:
                    slot = start.astimezone(UTC)
            booking = self.upcoming_by_id(change.booking_id)
            plans.append(Plan(change.kind, change.subject, slot, change.service, booking))
        return self.several(plans)

    def own_time_each(self, changes: list[PendingChange]) -> AgentDecision | None:
        """A time for each pet of several new bookings or moves read back, each in its own
        clause ("pip and squeak at 10 then and nibbles at 10.45", "can bear be 11.30 instead,
        teddy at 11 is fine"): each moved to its own (on its own day unless one is said),
        proposed again. None unless every pet that is not cancelled gets a time."""
        movable = [c for c in changes if c.kind != "cancel"]
        if len(movable) < 2 or re.search(r"\b(?:yes|yep|yeah|ok|okay)\s+(?:for|to)\b", self.text):
            return None  # ("yes for marley. frankie at 3:30 instead": Frankie's alone)
        pairs, _ = self.times_each([c.subject for c in movable])
        if {p.lower() for p in pairs} != {c.subject.lower() for c in movable}:
            return None
        own = {p.lower(): w for p, w in pairs.items()}
        plans: list[Plan] = []
        for change in changes:
            plan = self.plan_of(change)
            said = own.get(change.subject.lower())
            if said is not None and said.clock is not None:
                local = self.local(change.slot_start)
                start = When(day=said.day or local.date(), clock=said.clock).at(self.local_now)
                if start is not None:
                    plan = replace(plan, slot=start.astimezone(UTC))
            plans.append(plan)
        return self.several(plans)

    def newcomer_beside(
        self, changes: list[PendingChange], named: set[str]
    ) -> AgentDecision | None:
        """Another pet asked for with a time beside several new bookings read back ("oh and the
        other bunny Basil needs his vaccine, could he come at 5.30 after them?"): the bookings
        read back again with his, on their day. None unless the message names one pet of its
        own and no pet read back, and gives a time."""
        ours = {c.subject.lower() for c in changes}
        after = _JUST_AFTER_RE.search(self.text) is not None
        if any(c.kind != "book" for c in changes) or named & ours:
            return None
        if self.when.clock is None and not (self.when.same_time or after):
            return None
        newcomers = [n for n in self.subjects if is_name(n) and n.lower() not in ours]
        if len(newcomers) != 1:
            return None
        day = self.when.day or self.local(changes[0].slot_start).date()
        when = replace(self.when, day=day)
        if when.clock is None:
            # "oh and Thor too please! … same time or just after" (set 156): their time if it
            # has room beside them, else when the last of them ends
            starts = {self.local(c.slot_start) for c in changes}
            ends = [
                self.local(c.slot_start)
                + timedelta(minutes=self.keyed_service(c.service).duration_minutes)
                for c in changes
            ]
            room = len(changes) < self.profile.capacity and len(starts) == 1
            at = min(starts) if self.when.same_time and room else max(ends)
            when = replace(when, clock=at.time(), same_time=False)
        # ("he's due as well": the others' service, when the message names none of its own)
        theirs = {c.service for c in changes}
        same = (
            theirs.pop()
            if len(theirs) == 1 and not answers.services_named(self.text, self.profile)
            else None
        )
        decision = self.book(when, subject=newcomers[0], service_key=same)
        if decision.proposal is None:
            return decision
        added = Plan(
            "book", newcomers[0], as_utc(decision.proposal.slot_start), decision.proposal.service
        )
        self.keep_services = True
        return self.several([*(self.plan_of(c) for c in changes), added])

    def times_in_order(self, changes: list[PendingChange]) -> AgentDecision | None:
        """One time for each of several new bookings or moves, in their order, without a pet
        named ("5 and half 5 then" to Rosie's and Rolo's read back): the first time the first
        pet's, the next the next one's, each on its own day unless a day is said, proposed
        again. None unless the message gives exactly one time per change, none a cancellation."""
        if any(c.kind == "cancel" for c in changes) or len(changes) < 2:
            return None
        parts = [p for p in re.split(r"\s*(?:,|&|\+|\band\b|\bthen\b)\s*", self.text) if p]
        clocks = [self.read(p).clock for p in parts]
        if not any(clocks):
            return None
        # beside a time, a bare number is one too ("5 and half 5")
        clocks = [
            self.read(f"at {p}").clock if re.fullmatch(r"\d{1,2}(?:[:.]\d{2})?", p) else c
            for p, c in zip(parts, clocks, strict=True)
        ]
        said = [c for c in clocks if c is not None]
        if len(said) != len(changes):
            return None
        plans: list[Plan] = []
        for change, clock in zip(changes, said, strict=True):
            local = self.local(change.slot_start)
            start = When(day=self.when.day or local.date(), clock=clock).at(self.local_now)
            if start is None:
                return None
            plans.append(replace(self.plan_of(change), slot=start.astimezone(UTC)))
        return self.several(plans)

    def pets_of_changed_clauses(self, subjects: list[str]) -> set[str]:
        """Of ``subjects``, those (lower case) named in a clause of the message that says a
        day, a time or "instead"; the clauses cut at sentence ends, commas and "but"."""
        found: set[str] = set()
        for clause in re.split(rf"{CLAUSE_END}|\bbut\b", self.context.message):
            said = normalise(clause)
            if self.read(said).anything or re.search(r"\b(?:instead|rather|past)\b", said):
                found |= {n.lower() for n in known_names_in(clause, subjects)}
        return found

    def together_in_window(self, targets: list[BookingView]) -> AgentDecision | None:
        """Bookings side by side moved together into a window said instead of a time ("Oreo
        and Misty … could they both go later that day, after 4? Still together please"): all
        of them at the first start in the window with room for them all, on the day said (else
        theirs), read back for a yes. None unless the bookings share one slot, the message
        says a window and no time of its own, or nothing in the window has room."""
        window = read_window(self.text)
        starts = {as_utc(b.slot_start) for b in targets}
        if window is None or len(targets) < 2 or len(starts) != 1:
            return None
        local = self.local(targets[0].slot_start)
        wanted = self.wanted_instead_of(local)
        if wanted.clock not in (None, local.time(), *window.bounds()):
            return None  # a time of their own ("booked at 10:30" names the bookings)
        day = wanted.day or local.date()
        service = self.keyed_service(targets[0].service)
        for start in self.free_starts(day, service, targets[0]):
            there = self.local(start)
            if not window.fits(there, service.duration_minutes):
                continue
            decision = self.several(
                [Plan("reschedule", b.subject, start, b.service, b) for b in targets],
                fallback=False,
            )
            if decision.intent is Intent.PROPOSE_CHANGES:
                return decision
        return None

    def moves_each(self, targets: list[BookingView]) -> AgentDecision:
        """ "Move both to Friday": each booking to the day asked, at its own time unless a time
        is given; a pet given a day or time of its own ("move max to friday and bella to
        saturday") is moved there, the rest kept from what the message says for all."""
        own: dict[str, When] = {}
        for clause in PET_CLAUSE_RE.split(self.context.message):
            heard = self.pets_in(clause, known=self.known, transcript=self.voice)
            found = [s for s in heard if is_name(s)]
            said = self.read(normalise(clause))
            if len(found) == 1 and (said.day or said.clock or said.shift):
                own.setdefault(found[0].lower(), said)
        for booking in targets:
            # "something's come up tmrw 😩 can max and bella both move to thursday?": the day
            # beside Max is the one he has now, not one of his own to move to
            mine = own.get(booking.subject.lower())
            now_on = self.local(booking.slot_start).date()
            if mine is not None and mine.day == now_on and mine.clock is None and not mine.shift:
                del own[booking.subject.lower()]
        together = self.together_in_window(targets)
        if together is not None:
            return together
        plans: list[Plan] = []
        for booking in targets:
            local = self.local(booking.slot_start)
            old = When(day=local.date(), clock=local.time())
            wanted = self.wanted_instead_of(local)
            if len(own) >= 2 and booking.subject.lower() in own:
                mine = own[booking.subject.lower()].shifted(local)
                wanted = replace(mine, day=mine.day or wanted.day, clock=mine.clock or wanted.clock)
            target = merge(wanted, old)
            start = target.at(self.local_now)
            if (
                start is not None
                and len(targets) > 1
                and target.day == old.day == wanted.day
                and target.clock == old.clock
            ):
                # "move all but bella to thursday": Coco's is on Thursday already ("move both to
                # 2pm tomorrow", booked tomorrow at 11: each moved to 14:00)
                continue
            if start is None or (target.day == old.day and target.clock == old.clock):
                return reply_as(Intent.CLARIFY, f"Sure. {MOVED_TO_QUESTION}")
            plans.append(
                Plan("reschedule", booking.subject, start.astimezone(UTC), booking.service, booking)
            )
        if len(plans) == 1:
            return self.book(
                When(day=self.local(plans[0].slot).date(), clock=self.local(plans[0].slot).time()),
                moving=plans[0].booking,
            )
        if not plans:
            return reply_as(Intent.CLARIFY, f"Sure. {MOVED_TO_QUESTION}")
        if len({p.slot for p in plans}) == 1 and IN_A_ROW_RE.search(self.text):
            # "… to next Monday afternoon? Back to back starting at 2": each when the one
            # before ends, in the order said
            order = {b.subject.lower(): self.text.find(b.subject.lower()) for b in targets}
            plans.sort(key=lambda p: order.get(p.subject.lower(), 0))
            for i in range(1, len(plans)):
                length = self.keyed_service(plans[i - 1].service).duration_minutes
                plans[i] = replace(plans[i], slot=plans[i - 1].slot + timedelta(minutes=length))
        return self.several(plans)
