"""Our own earlier offers, read back from the conversation log: a customer who comes back to
what we said days ago ("can we go ahead with what we said on monday for luna?", "the afternoon
one you offered", "back to his original time", "did simba's groom get moved in the end?").

The workflow holds only the last read-back (``PendingAction``); what was offered before it, and
what became of it, is in our own messages, whose wording this module reads (docs/architecture.md,
"A WhatsApp turn": the agent sees the conversation's history every turn)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, time
from typing import Literal

from switchboard.agent_models import AgentDecision, BookingView, Direction, Intent
from switchboard.providers.rules_agent.base import WRITTEN_DAY_RE
from switchboard.providers.rules_agent.helpers import as_utc, asks_move
from switchboard.providers.rules_agent.moving import Moving
from switchboard.providers.rules_agent.patterns import CANCEL_RE
from switchboard.understanding import answers
from switchboard.understanding.subjects import is_name, join
from switchboard.understanding.text import normalise

# A clock time as we write it ("10:30").
_CLOCK_RE = re.compile(r"\b([01]\d|2[0-3]):([0-5]\d)\b")
# Where our own times on offer start ("Sorry, … 10:00 isn't available. I can offer … 11:15 or
# 14:15": not the 10:00 refused).
_OFFERED_FROM_RE = re.compile(r"\bI can offer\b|\bI have\b|\bI can do\b")
# The customer pointing back at something we said before: "what we said on monday", "what we
# talked about on friday", "the afternoon one you offered", "as discussed", "the friday after
# all", "his original time".
_REFERS_BACK_RE = re.compile(
    r"\bwhat\s+(?:we|you|u)\s+(?:said|discussed|talked\s+about|agreed|spoke\s+about|arranged"
    r"|planned|sorted|went\s+through)\b"
    r"|\b(?:you|u)\s+(?:offered|suggested|proposed|gave\s+me|gave\s+us|mentioned)\b"
    r"|\bas\s+(?:discussed|agreed|planned|arranged)\b|\bafter\s+all\b"
    r"|\boriginal\s+(?:time|day|slot|appointment|appt|booking)\b"
)
# The day of the talk pointed back at, no day for the visit: "what we said on monday", "what we
# talked about on friday", "what you offered me last week".
_TALK_DAY_RE = re.compile(
    rf"(?:{_REFERS_BACK_RE.pattern})\s+(?:me\s+|us\s+)?(?:on\s+|last\s+)?(?:monday|tuesday"
    r"|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu|thurs?|fri|sat|yesterday"
    # ("the 4pm you offered this morning", set 234)
    r"|week|the\s+other\s+day|this\s+morning|last\s+night|earlier(?:\s+today)?|today)\b"
)
# One of the times offered by its place: "the second option you gave me yesterday" (set 234).
_OPTION_PLACE_RE = re.compile(r"\bthe\s+(?P<which>1st|2nd|3rd|last)\s+(?:option|one|1|slot|time)\b")
# One of the times we offered, pointed at by its part of the day or order, with nothing booked
# for it: "is the mid-morning one on thursday still going? I'll take it" (set 173).
_ONE_OF_OURS_RE = re.compile(
    r"\bthe\s+(?:mid[\s-]?)?(?:morning|afternoon|evening|earlier|later|first|second)\s+one\b"
)
# Which of several times offered: "the afternoon one", "the other time", "the first one".
_AFTERNOON_RE = re.compile(r"\b(?:afternoon|pm|later|last|latest|second|2nd)\b")
_MORNING_RE = re.compile(r"\b(?:morning|am|earlier|earliest|first|1st)\b")
_OTHER_RE = re.compile(r"\bother\s+(?:one|time|slot|option)\b")
# A booking's state asked about: "is shadow still booked in", "did simba's groom get moved in
# the end?", "what time was sooty's groom again?".
_STATE_ASKED_RE = re.compile(
    r"\bstill\s+(?:booked|on|in|happening|going\s+ahead)\b|\bin\s+the\s+end\b"
    r"|\b(?:go|went)\s+through\b|\bget\s+(?:moved|booked|cancell?ed|changed|confirmed|done)\b"
    r"|\bwhat\s+(?:time|day)\s+was\b|\bwhen\s+was\b.*\bagain\b"
)
# The customer asking for a time they asked before: "like I asked last week, has 5.30 freed
# up?".
_ASKED_AGAIN_RE = re.compile(
    r"\b(?:like|as)\s+i\s+(?:asked|said|mentioned)\b|\bfreed\s+up\b|\b(?:come|become)\s+free\b"
)


@dataclass(frozen=True)
class Offer:
    """One of our earlier messages offering a change, read from the log.

    ``day``/``times`` are local: a booking's or cancellation's one time, a move's new one, or
    each time offered (``kind`` "times"). ``old`` is a move's booking as it was. ``service`` is
    a profile key, None when neither we nor the customer named one. ``done``: our next message
    said it was done ("Done: …")."""

    kind: Literal["book", "move", "cancel", "times"]
    pets: tuple[str, ...]
    day: date
    times: tuple[time, ...]
    old: tuple[date, time] | None
    service: str | None
    done: bool

    def of(self, named: set[str]) -> bool:
        """Whether the offer was for a pet in ``named`` (lower case)."""
        return bool({p.lower() for p in self.pets} & named)


class Earlier(Moving):
    """Requests and questions that lean on our earlier offers in the log."""

    def offers_in_log(self) -> list[Offer]:
        """Our earlier offers in the history, oldest first (see ``Offer``)."""
        history = self.context.history
        offers: list[Offer] = []
        for i, turn in enumerate(history):
            text = turn.text
            if turn.direction is not Direction.OUTBOUND or text.startswith("Done:"):
                continue
            offered = _OFFERED_FROM_RE.search(text)
            said = text
            if text.startswith("I can move the appointment"):
                kind: Literal["book", "move", "cancel", "times"] = "move"
            elif text.startswith("I can cancel the appointment"):
                kind = "cancel"
            elif re.search(r"(?:^|\.\s)I can book\b", text):
                kind = "book"
            elif offered is not None:
                kind = "times"
                said = text[offered.start() :]  # (not the time refused before it)
            else:
                continue
            days = [self.read(normalise(m.group(0))).day for m in WRITTEN_DAY_RE.finditer(text)]
            times = tuple(time(int(h), int(m)) for h, m in _CLOCK_RE.findall(said))
            known_days = [d for d in days if d is not None]
            if not known_days or not times:
                continue
            asked = (
                history[i - 1].text if i and history[i - 1].direction is Direction.INBOUND else ""
            )
            pets = [s for s in self.pets_in(text, known=self.known, transcript=False) if is_name(s)]
            if not pets and asked:
                pets = [
                    s for s in self.pets_in(asked, known=self.known, transcript=False) if is_name(s)
                ]
            named = re.search(r"\(([a-z][a-z -]*)\)", text)
            service = self.profile.find_service(named.group(1)) if named else None
            if service is None and asked:
                services = answers.services_named(normalise(asked), self.profile)
                service = services[0] if len(services) == 1 else None
            old: tuple[date, time] | None = None
            if kind == "move":
                if len(times) < 2:
                    continue
                old = (known_days[0], times[0])
                times = times[1:2]
            after = next((t for t in history[i + 1 :] if t.direction is Direction.OUTBOUND), None)
            offers.append(
                Offer(
                    kind=kind,
                    pets=tuple(pets),
                    day=known_days[-1],
                    times=times if kind == "times" else times[:1],
                    old=old,
                    service=service.key if service is not None else None,
                    done=after is not None and after.text.startswith("Done:"),
                )
            )
        return offers

    def booked_of(self, pet: str) -> list[BookingView]:
        """``pet``'s upcoming confirmed bookings."""
        return [b for b in self.upcoming if b.subject.lower() == pet.lower()]

    def said_day(self, day: date, clock: time) -> str:
        """ "Thursday 17 December at 10:30", the way a request is written."""
        return f"{day:%A} {day.day} {day:%B} at {clock:%H:%M}"

    def earlier_offer_taken(self) -> AgentDecision | None:
        """A request pointing back at an offer of ours in the log, read as that offer asked
        again ("can we go ahead with what we said on monday for luna?" → Luna's vaccination on
        Thursday 17 December at 10:30 read back): a booking or a move proposed (availability
        checked again), the old time of a move done ("his original time"), the one of several
        times offered ("the afternoon one you offered"). None when the message points at no
        offer, or it is not clear which."""
        if self.pending is not None:
            return None
        pointed = _ONE_OF_OURS_RE.search(self.text) and not (
            CANCEL_RE.search(self.text) or asks_move(self.text) or self.upcoming_of_pets_named()
        )
        if not (_REFERS_BACK_RE.search(self.text) or pointed):
            return None
        named = {s.lower() for s in self.subjects if is_name(s)}
        offers = [o for o in self.offers_in_log() if not named or o.of(named)]
        if re.search(r"\boriginal\b", self.text):
            # "can ziggy go back to his original time on thursday?": before our move
            moved = [o for o in offers if o.kind == "move" and o.done and o.old is not None]
            if not moved or moved[-1].old is None:
                return None
            last = moved[-1]
            assert last.old is not None
            return self.offer_asked(last, "move", *last.old)
        # ("what we said on monday": the day we said it)
        when = self.read(_TALK_DAY_RE.sub(" ", self.text))
        if when.day is not None:
            # "can we do the friday??": the offer of that day
            offers = [
                o for o in offers if o.day == when.day or o.day.weekday() == when.day.weekday()
            ]
        offers = [o for o in offers if o.kind != "cancel" and (not o.done or o.kind == "times")]
        if not offers:
            return None
        offer = offers[-1]
        clock = self.time_picked(offer)
        if clock is None:
            return None
        pets = offer.pets or tuple(s for s in self.subjects if is_name(s))
        booked = [b for p in pets for b in self.booked_of(p)]
        kind: Literal["book", "move"] = (
            "move" if offer.kind == "move" or (offer.kind == "times" and booked) else "book"
        )
        return self.offer_asked(offer, kind, offer.day, clock)

    def time_picked(self, offer: Offer) -> time | None:
        """The time of ``offer`` the message takes: its one time, the one said, or the one
        of several times picked by part of day, order or "the other one"; None when unclear."""
        times = list(offer.times)
        if self.when.clock is not None:
            return self.when.clock if self.when.clock in times or offer.kind != "times" else None
        if len(times) == 1:
            return times[0]
        place = _OPTION_PLACE_RE.search(self.text)
        if place is not None:
            index = {"1st": 0, "2nd": 1, "3rd": 2, "last": len(times) - 1}[place["which"]]
            return times[index] if index < len(times) else None
        if _OTHER_RE.search(self.text):
            # "the other time you offered": not the one the pet is booked at
            booked = {
                self.local(b.slot_start).time()
                for p in offer.pets
                for b in self.booked_of(p)
                if self.local(b.slot_start).date() == offer.day
            }
            times = [t for t in times if t not in booked]
        if len(times) > 1 and _AFTERNOON_RE.search(self.text):
            times = [t for t in times if t >= time(12)] if "afternoon" in self.text else times[-1:]
        elif len(times) > 1 and _MORNING_RE.search(self.text):
            times = [t for t in times if t < time(12)] if "morning" in self.text else times[:1]
        return times[0] if len(times) == 1 else None

    def offer_asked(
        self, offer: Offer, kind: Literal["book", "move"], day: date, clock: time
    ) -> AgentDecision | None:
        """The decision on ``offer`` asked again as ``kind`` at ``day`` ``clock`` (local),
        written as the request the customer would have sent; None when that reads as nothing
        to book or move."""
        who = join(list(offer.pets)) or join([s for s in self.subjects if is_name(s)])
        if kind == "move":
            asked = f"please move {who or 'my appointment'} to {self.said_day(day, clock)}"
        else:
            service = self.keyed_service(offer.service).name if offer.service else ""
            asked = f"please book {who} in on {self.said_day(day, clock)} {service}".strip()
        decision = self.as_if_sent(asked).decide()
        if decision.intent not in (
            Intent.PROPOSE_BOOKING,
            Intent.PROPOSE_RESCHEDULE,
            Intent.PROPOSE_CHANGES,
            Intent.CLARIFY,
        ):
            return None
        return decision

    def state_from_log(self) -> AgentDecision | None:
        """A question whether a change we read back went through ("did simba's groom get moved
        to saturday in the end?", "is shadow still booked in for thursday?", "what time was
        sooty's groom on friday again?") when the log shows it did not, or was cancelled: said
        so, and the change read back again to confirm. None when the log holds no such offer
        for the pet asked about, or the CRM holds what it offered."""
        if self.pending is not None or not _STATE_ASKED_RE.search(self.text):
            return None
        if not answers.is_question(self.text) and "?" not in self.context.message:
            return None
        named = {s.lower() for s in self.subjects if is_name(s)}
        offers = self.offers_in_log()
        if named:
            offers = [o for o in offers if o.of(named)]
        elif len({p.lower() for o in offers for p in o.pets}) != 1:
            return None
        offers = [o for o in offers if o.kind in ("book", "move", "cancel") and o.pets]
        if not offers:
            return None
        offer = offers[-1]
        pet = offer.pets[0]
        clock = offer.times[0]
        # ("… cancelled" / "and his jab on saturday is still on yeah?": another booking)
        asked = self.when.day
        if asked is not None and asked.weekday() != offer.day.weekday():
            return None
        services = {s.key for s in answers.services_named(self.text, self.profile)}
        if services and self.service_cancelled(pet, offer) not in services:
            return None
        slot = self.said_day(offer.day, clock)
        booked = self.booked_of(pet)
        at_slot = [
            b
            for b in booked
            if self.local(b.slot_start).date() == offer.day
            and self.local(b.slot_start).time() == clock
        ]
        if offer.kind == "book" and not offer.done and not at_slot:
            head = f"{join(list(offer.pets))} isn't booked yet: {slot} was never confirmed."
            decision = self.offer_asked(offer, "book", offer.day, clock)
        elif offer.kind == "move" and not offer.done and not at_slot and offer.old is not None:
            kept = [
                b
                for b in booked
                if self.local(b.slot_start).date() == offer.old[0]
                and self.local(b.slot_start).time() == offer.old[1]
            ]
            if not kept:
                return None
            head = (
                f"No, {pet}'s appointment is still on {self.say(kept[0].slot_start)}: the move "
                f"to {slot} was never confirmed."
            )
            decision = self.offer_asked(offer, "move", offer.day, clock)
        elif offer.kind == "cancel" and offer.done and not at_slot:
            head = f"No, {pet}'s appointment on {slot} was cancelled, so {pet} isn't booked in."
            again = replace(
                offer, kind="book", old=None, service=self.service_cancelled(pet, offer), done=False
            )
            decision = self.offer_asked(again, "book", offer.day, clock)
            if decision is not None and decision.intent is Intent.PROPOSE_BOOKING:
                decision.reply = f"If you'd like it back: {decision.reply}"
        else:
            return None
        if decision is None or decision.intent is Intent.CLARIFY:
            return AgentDecision(intent=Intent.ANSWER, reply=head)
        decision.reply = f"{head} {decision.reply}"
        return decision

    def service_cancelled(self, pet: str, offer: Offer) -> str | None:
        """The service of ``pet``'s booking cancelled by ``offer``: the CRM's, else the one
        the log names."""
        for b in self.context.bookings:
            local = self.local(as_utc(b.slot_start))
            if b.subject.lower() == pet.lower() and (local.date(), local.time()) == (
                offer.day,
                offer.times[0],
            ):
                return b.service
        return offer.service

    def asked_again_move(self) -> AgentDecision | None:
        """A time asked for again for a booked pet ("like I asked last week, has 5.30 freed up on
        wednesday for mochi?", Mochi booked at 15:00 that day): the move read back, not a
        second visit. None otherwise."""
        if self.pending is not None or not _ASKED_AGAIN_RE.search(self.text):
            return None
        when = self.when
        named = [s for s in self.subjects if is_name(s)]
        if when.day is None or when.clock is None or len(named) != 1:
            return None
        same_day = [
            b for b in self.booked_of(named[0]) if self.local(b.slot_start).date() == when.day
        ]
        if len(same_day) != 1 or self.local(same_day[0].slot_start).time() == when.clock:
            return None
        decision = self.as_if_sent(
            f"please move {named[0]} to {self.said_day(when.day, when.clock)}"
        ).decide()
        return decision if decision.intent is Intent.PROPOSE_RESCHEDULE else None
