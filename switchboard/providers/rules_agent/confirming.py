"""A yes or a no to the action waiting for one."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from switchboard.agent_models import (
    NOTHING_TO_CONFIRM,
    AgentDecision,
    BookingView,
    Direction,
    Intent,
    PendingAction,
    PendingChange,
)
from switchboard.providers.rules_agent.cancelling import Cancelling
from switchboard.providers.rules_agent.helpers import (
    Plan,
    a_an,
    and_listed,
    as_utc,
    asks_move,
    for_,
    handed_over,
    part_of_day,
    reply_as,
)
from switchboard.providers.rules_agent.patterns import (
    CALL_OFF_RE,
    CANCEL_RE,
    CANCEL_WORD_RE,
    DONE,
    JOIN_RE,
    NEXT_FREE_RE,
    WEEKDAY_AFTER_RE,
    WHICH_ONE_RE,
    YOU_ARE_WELCOME,
)
from switchboard.understanding.subjects import is_name, join
from switchboard.understanding.text import normalise
from switchboard.understanding.when import When, merge

# Our question offering several times (``ask_time``).
_TIMES_OFFERED_RE = re.compile(
    r"What time on (?P<day>\w+ \d{1,2} \w+) would you like[^?]*\? I have (?P<times>[^.]+)\.$"
)
# One pet to come with another ("could Luna come with Max on thursday", "bring Luna along with
# Max", "Luna at the same time as Max"): ``host`` is the pet joined.
_COME_WITH_RE = re.compile(
    r"\b(?:come|comes|coming|be\s+seen|go|join)\s+(?:in\s+|along\s+)?(?:with|alongside)\s+"
    r"(?P<host>[a-z][a-z-]+)\b"
    r"|\b(?:at\s+)?(?:the\s+)?same\s+(?:time|slot)\s+as\s+(?P<host2>[a-z][a-z-]+)\b"
    # "can bella come on thursday with max instead"
    r"|\b(?:come|comes|coming|be\s+seen|go)\s+(?:in\s+)?on\s+\w+\s+(?:with|alongside)\s+"
    r"(?P<host3>[a-z][a-z-]+)\b"
)
# A booking asked for as such: "yes book it", "go ahead and book that", "book it in please".
_BOOK_IT_RE = re.compile(
    r"\bbook\s+(?:it|that|him|her|them|us)(?:\s+in)?\b|\bgo\s+ahead\s+and\s+book\b"
)
# Our message asking for a yes (a proposal read back).
_ASK_YES_RE = re.compile(r"Reply YES to confirm|Shall I (?:book|confirm)|Please answer yes or no")
# A move just done taken back: "can you put it back?", "change it back", "back to how it was".
_MOVE_BACK_RE = re.compile(
    r"\b(?:put|change|move|switch|set)\s+(?:it|that|him|her|them|\w+)\s+back\b(?!\s+(?:a|an|by|\d|to\s+\w+day))"
    r"|\bback\s+to\s+(?:how\s+it\s+was|the\s+original(?:\s+time)?|what\s+it\s+was|the\s+old\s+time)\b"
    r"|\b(?:undo|reverse)\s+(?:that|it|the\s+move)\b"
)
# The customer's other booking to change as the last one was: "and the other one too please".
_OTHER_TOO_RE = re.compile(
    r"\bthe\s+other\s+(?:one|appointment|booking|\w+'s)\s+(?:too|as\s+well|also)\b"
    r"|\b(?:same|do\s+the\s+same)\s+(?:for|with)\s+the\s+other\s+(?:one|appointment|booking)\b"
)
# Our read-back of a move: its subject, and the slot it leaves.
_MOVE_READ_BACK_RE = re.compile(
    r"I can move the appointment(?: for (?P<who>.+?))? from (?P<old>\w+ \d{1,2} \w+(?: \d{4})? at "
    r"\d{2}:\d{2}) to "
)
# A booked time named with "the": "keep the 10 o'clock", "the 10am one", "the 2.30".
_THE_TIME_RE = re.compile(
    r"\bthe\s+(?:half\s+)?\d{1,2}(?:[:.]\d{2})?\s*(?:o'?clock|am|pm|h)?(?:\s+1)?\b"
)
# Our message saying a change was made: "Done: Oreo is booked for … at 11:00."
_DONE_RE = re.compile(r"Done:\s+(?P<what>.+)", re.DOTALL)
# A question a yes does not answer: "Which day…?", "What time…?", "When…?", "Who…?".
_WH_QUESTION_RE = re.compile(r"(?:Which|What|When|Who)\b")
# Our question where to move a booking: "When would you like to move the appointment for …"
_MOVE_ASKED_RE = re.compile(r"When would you like (?:to move|it moved|them moved)\b")
# Whether a booking was made, asked: "are both cats booked in for wednesday?", "can't remember
# if i did kiwi as well", "did I book bella too?".
_WHETHER_BOOKED_RE = re.compile(
    r"\b(?:is|are)\s+(?:both|they|all|the\s+\w+|\w+)\s+(?:\w+\s+)?booked\b"
    r"|\b(?:can't|cannot|don't|do\s+not)\s+remember\s+(?:if|whether)\b"
    r"|\bdid\s+(?:i|we)\s+(?:book|do|put)\b"
)


# What was just done, asked to be undone: "can we undo that?", "put it back", "reinstate it".
# One pet kept of several just booked: "so just Tigger please", "only bella after all"
_ONLY_PET_RE = re.compile(r"\b(?:just|only)\s+(?P<pet>[a-z][a-z'-]+)\b(?!\s+(?:the|a|one|for|to))")
_UNDO_RE = re.compile(
    r"\bundo\b|\bput\s+(?:it|her|him|them|that)\s+back\b|\breinstate\b|\bun-?cancel\b"
    r"|\b(?:does|do)\s+need\s+it\s+after\s+all\b"
)


# Another day's booking meant: "no wait not tuesday, thursday's one" (normalised).
_OTHER_DAYS_ONE_RE = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur)day'?s\s+(?:1|one|appointment|appt|booking)\b"
)


class Confirming(Cancelling):
    """A yes or a no to the action waiting for one."""

    def undo_just_done(self) -> AgentDecision | None:
        """What our last "Done: …" did, asked to be undone: a booking just made ("actually
        can we undo that? I'll call back") proposed for cancelling; a booking just cancelled
        ("she does need it after all, can you put it back at the same time?") proposed again
        at its slot, for its pet and service. Each for a yes of its own. None while something
        is pending, when the message asks no undo, or our last message did no one such
        thing."""
        history = self.context.history
        if self.pending is not None or not history:
            return None
        ours = history[-1].text
        if history[-1].direction is not Direction.OUTBOUND or not ours.startswith("Done:"):
            return None
        made = self.bookings_just_done()
        only = _ONLY_PET_RE.search(self.text)
        kept = [b for b in made if only is not None and b.subject.lower() == only["pet"]]
        if len(made) > 1 and kept and "moved to" not in ours:
            # "actually Smudge had hers at the breeder, so just Tigger please": the others just
            # booked proposed for cancelling
            return self.cancel_each([b for b in made if b not in kept])
        if not _UNDO_RE.search(self.text):
            return None
        if ours.rstrip(".").endswith("is cancelled"):
            gone = [
                b
                for b in self.context.bookings
                if b.status == "cancelled" and self.say(b.slot_start) in ours
            ]
            if len(gone) != 1:
                return None
            local = self.local(gone[0].slot_start)
            return self.book(
                When(day=local.date(), clock=local.time()),
                subject=gone[0].subject,
                service_key=gone[0].service,
                exact=True,
            )
        if len(made) != 1 or "moved to" in ours:
            return None
        return self.propose_cancel(made[0])

    def done_of(self, change: PendingChange) -> str:
        """One change of several said done: "Max is moved to Friday …", and a visit that kept
        its time for another service "Daisy's appointment on Tuesday … is now a vaccination"."""
        when = change.said or self.say(change.slot_start)
        booking = self.upcoming_by_id(change.booking_id)
        if (
            change.kind == "reschedule"
            and booking is not None
            and as_utc(booking.slot_start) == as_utc(change.slot_start)
            and change.service not in (None, booking.service)
        ):
            name = self.keyed_service(change.service).name
            return f"{change.subject}'s appointment on {when} is now {a_an(name)}"
        return DONE[change.kind].format(who=change.subject, when=when)

    def confirm(self) -> AgentDecision:
        """A whole-message yes: confirm the live pending action, else ask what to confirm."""
        pending = self.context.pending
        history = self.context.history
        ours = history[-1].text.strip() if history else ""
        if (
            pending is not None
            and history
            and history[-1].direction is Direction.OUTBOUND
            and WHICH_ONE_RE.match(ours)
        ):
            # a yes to "Which one should I change: Noodle … or Dumpling …?" says neither: the
            # question again, nothing confirmed (it confirmed every change pending)
            return reply_as(Intent.CLARIFY, f"Sorry, {ours[0].lower()}{ours[1:]}")
        offered = _TIMES_OFFERED_RE.search(ours) if history else None
        if (
            pending is not None
            and offered is not None
            and history[-1].direction is Direction.OUTBOUND
            and not _ASK_YES_RE.search(ours)
        ):
            # a yes to "What time on Friday … moved to? I have 17:00 or 17:15" while an older
            # change waits: which time, never that older change confirmed unasked
            return reply_as(
                Intent.CLARIFY, f"Which time on {offered['day']} suits you: {offered['times']}?"
            )
        question = self.open_question() if pending is not None else None
        if (
            question is not None
            and _WH_QUESTION_RE.match(question)
            and not _ASK_YES_RE.search(ours)
        ):
            # a yes to "Sure. Which day and time would you like for Dexter?" (asked after "yes
            # for the jab but not the nails") while the first read-back waits: the question
            # again, never that read-back confirmed (set 157)
            return reply_as(Intent.CLARIFY, f"Sorry, {question[0].lower()}{question[1:]}")
        asked = self.open_question() if pending is None else None
        if asked is not None and _WH_QUESTION_RE.match(asked) and _MOVE_ASKED_RE.match(asked):
            # "ok" to "When would you like to move the appointment for Hazel on … to?": the
            # question again (its booking's slot named is no offer to keep)
            return reply_as(Intent.CLARIFY, f"Sorry, {asked[0].lower()}{asked[1:]}")
        if pending is None:
            again = None if self.voice else self.again_from_our_offer()
            if again is not None:
                return again
            after = self.booked_after_answer()
            if after is not None:
                return after
            history = self.context.history
            times = (
                _TIMES_OFFERED_RE.search(history[-1].text)
                if history and history[-1].direction is Direction.OUTBOUND
                else None
            )
            if times is not None:
                # a yes to "What time on Tuesday would you like? I have 14:00 or 15:00": which
                return reply_as(
                    Intent.CLARIFY, f"Which time on {times['day']} suits you: {times['times']}?"
                )
            question = self.open_question()
            if question is not None and _WH_QUESTION_RE.match(question):
                # a yes to "Which day and time would you like instead?": that question again
                return reply_as(Intent.CLARIFY, f"Sorry, {question[0].lower()}{question[1:]}")
            if history and history[-1].direction is Direction.OUTBOUND:
                made = _DONE_RE.match(history[-1].text.strip())
                if made is not None:
                    # "book him in for that" confirmed it, then "yes" once more: already done
                    return reply_as(
                        Intent.OTHER, f"All set, nothing more to confirm: {made['what']}"
                    )
            if (
                history
                and history[-1].direction is Direction.OUTBOUND
                and not history[-1].text.rstrip().endswith("?")
                and re.search(r"\bsee\s+you\b|\bthanks?\b|\bthank\s+you\b|\bcheers\b", self.text)
            ):
                # "perfect, see you then 👍" after we said when the visit is: nothing to do
                if re.search(r"\bsee\s+you\b", self.text):
                    return reply_as(Intent.OTHER, "See you then!")
                return reply_as(Intent.OTHER, YOU_ARE_WELCOME)
            # A yes to nothing (often to a turn we did not understand): the request, asked.
            return reply_as(Intent.CLARIFY, NOTHING_TO_CONFIRM)
        if as_utc(pending.expires_at) <= self.now:
            if pending.slot_start is None:
                return reply_as(Intent.CLARIFY, "Sorry, that offer has expired. How can I help?")
            # No action_id: the workflow must not act on an offer the customer saw expire.
            return reply_as(
                Intent.CLARIFY,
                f"Sorry, the offer for {self.say(pending.slot_start)} has expired, so nothing is "
                "booked. Tell me the day and time again and I'll propose it afresh.",
            )
        if pending.kind == "offer" or pending.slot_start is None:
            return AgentDecision(
                intent=Intent.CONFIRM, action_id=pending.id, reply=f"Great: {pending.subject}."
            )
        if pending.changes:
            done = [self.done_of(c) for c in pending.changes]
            services = [c.service for c in pending.changes]
            if (
                len({c.subject for c in pending.changes}) == 1
                and {c.kind for c in pending.changes} == {"book"}
                and None not in services
                and len(set(services)) == len(services)
            ):
                # one pet, one appointment per service (``each_service``): said as such
                who = for_(pending.changes[0].subject).removeprefix(" for ") or "you"
                each = [
                    f"a {self.keyed_service(c.service).name} on {c.said or self.say(c.slot_start)}"
                    for c in pending.changes
                ]
                done = [f"{who} is booked for {and_listed(each)}"]
            return AgentDecision(
                intent=Intent.CONFIRM, action_id=pending.id, reply=f"Done: {and_listed(done)}."
            )
        when = self.say(pending.slot_start)
        if pending.kind == "cancel":
            reply = f"Done: the appointment{for_(pending.subject)} on {when} is cancelled."
        elif pending.kind == "reschedule":
            reply = self.moved(pending, when)
        else:
            who = for_(pending.subject).removeprefix(" for ")
            # "Done: Mr Biscuit is booked for …" (the pet's name first, as for several)
            reply = (
                f"Done: {who} is booked for {when}." if who else f"Done: you're booked for {when}."
            )
        return AgentDecision(intent=Intent.CONFIRM, action_id=pending.id, reply=reply)

    def service_checked(self) -> AgentDecision | None:
        """ "And it's the groom not the vet, yeah?": whether the booking meant (the pet named's,
        the one just made, or the only one) is that service, said; nothing changed. None when
        the message checks no service or the booking meant is not one."""
        if self.pending is not None or self.when.anything:
            return None
        checked = re.search(
            r"(?:\b(?:right|yeah|yes|correct|isn't\s+it|is\s+it|innit|yh|ya)\s*\?*|\?)\s*$",
            self.context.message.strip().lower(),
        )
        if checked is None or not re.match(
            r"^(?:and\s+|so\s+|oh\s+)?(?:it's|its|it\s+is|that's|thats|is\s+it|is\s+that)\b",
            self.text,
        ):
            return None
        named_service = self.service_said()
        if named_service is None:
            return None
        named = [s for s in self.subjects if is_name(s)]
        targets = self.targets(named) if named else []
        if not targets:
            just = self.booking_just_done()
            targets = [just] if just is not None else self.upcoming
        if len(targets) != 1:
            return None
        booking = targets[0]
        booked = self.keyed_service(booking.service)
        said = f"the appointment{for_(booking.subject)} on {self.say(booking.slot_start)}"
        if booked.key == named_service.key:
            return reply_as(Intent.ASK_BOOKING, f"Yes: {said} is {a_an(booked.name)}.")
        return reply_as(
            Intent.ASK_BOOKING,
            f"No: {said} is {a_an(booked.name)}. Would you like it changed to "
            f"{a_an(named_service.name)}?",
        )

    def other_moved_too(self) -> AgentDecision | None:
        """ "and the other one too please, straight after him like before" just after a move
        was done: the customer's one other upcoming booking moved the same way, read back for
        a yes: straight after the moved visit when "after" is said, else as far as it moved
        (the gap between the two kept). None when the message says no such thing, names a day
        or time of its own, no move was done just before, or there is not one other booking."""
        if self.pending is not None or self.when.anything:
            return None
        if not _OTHER_TOO_RE.search(self.text):
            return None
        just = self.move_just_done()
        if just is None:
            return None
        read_back, moved = just
        others = [b for b in self.upcoming if moved and b.id != moved[0].id]
        left = self.read(normalise(read_back["old"])).at(self.local_now)
        if len(moved) != 1 or len(others) != 1 or left is None:
            return None
        now_at = self.local(moved[0].slot_start)
        if re.search(r"\b(?:straight|right|just)?\s*after\s+(?:him|her|them|it)\b", self.text):
            length = self.keyed_service(moved[0].service).duration_minutes
            there = now_at + timedelta(minutes=length)
        else:
            there = self.local(others[0].slot_start) + (now_at - left)
        return self.book(When(day=there.date(), clock=there.time()), moving=others[0])

    def first_of_times_taken(self) -> AgentDecision | None:
        """ "perfect, book that please" to our times for the first appointment asked ("what's
        your first morning appointment?" / "What time on Tuesday 8 December … ? I have 08:30,
        09:30 …"): the first of them, read back for a yes. None otherwise."""
        history = self.context.history
        if self.pending is not None or not history or self.when.anything:
            return None
        if history[-1].direction is not Direction.OUTBOUND or not _BOOK_IT_RE.search(self.text):
            return None
        times = _TIMES_OFFERED_RE.search(history[-1].text)
        earlier = self.request_before_ours() if times is not None else None
        if times is None or earlier is None or not NEXT_FREE_RE.search(earlier.text):
            return None
        first = self.read(normalise(f"{times['day']} at {times['times'][:5]}"))
        pets = earlier.named_pets()
        return self.book(first, subject=pets[0] if len(pets) == 1 else None)

    def move_taken_back(self) -> AgentDecision | None:
        """ "Can you put it back?" just after a move was done: that booking moved back to the
        slot it left (read from our read-back of the move), for a yes. None when the message
        says no such thing, names a day or time of its own, or no move was done just before."""
        if self.pending is not None or self.when.anything or not _MOVE_BACK_RE.search(self.text):
            return None
        just = self.move_just_done()
        if just is None or len(just[1]) != 1:
            return None
        read_back, moved = just
        return self.book(self.read(normalise(read_back["old"])), moving=moved[0])

    def move_just_done(self) -> tuple[re.Match[str], list[BookingView]] | None:
        """Our read-back of the move our last "Done: the appointment … is moved …" made, and the
        upcoming bookings that "Done:" names (of the read-back's pet); None when our last
        message did no move."""
        history = self.context.history[-6:]
        done = [i for i, t in enumerate(history) if t.direction is Direction.OUTBOUND]
        if not done or not history[done[-1]].text.startswith("Done: the appointment"):
            return None
        read_back = next(
            (
                found
                for t in reversed(history[: done[-1]])
                if t.direction is Direction.OUTBOUND
                and (found := _MOVE_READ_BACK_RE.search(t.text)) is not None
            ),
            None,
        )
        if read_back is None:
            return None
        who = (read_back["who"] or "").lower()
        moved = [
            b
            for b in self.upcoming
            if (not who or b.subject.lower() == who)
            and self.say(b.slot_start) in history[done[-1]].text
        ]
        return read_back, moved

    def moved(self, pending: PendingAction, when: str) -> str:
        """What a confirmed move did: the new time, and the new service when it changes
        ("Done: the appointment for Max on … is now a dental cleaning.")."""
        booking = self.upcoming_by_id(pending.booking_id)
        if booking is None or pending.service is None:
            return f"Done: the appointment{for_(pending.subject)} is moved to {when}."
        service = self.keyed_service(pending.service)
        as_new = service.key != self.keyed_service(booking.service).key
        if as_new and pending.slot_start == as_utc(booking.slot_start):
            now = a_an(service.name)
            return f"Done: the appointment{for_(pending.subject)} on {when} is now {now}."
        also = f", as {a_an(service.name)}" if as_new else ""
        return f"Done: the appointment{for_(pending.subject)} is moved to {when}{also}."

    def decline(self) -> AgentDecision:
        """A whole-message no: decline the live pending action, else just acknowledge."""
        pending = self.pending
        if pending is None and self.upcoming and CANCEL_RE.search(self.text):
            return self.cancel()  # "cancel" on its own, nothing proposed: which booking
        if pending is None:
            return reply_as(Intent.OTHER, "No problem. Is there anything else I can help with?")
        replies = {
            "offer": "No problem, thanks for letting me know.",
            "cancel": "OK, I haven't cancelled it: the appointment stays as it is.",
            "reschedule": "OK, I've left the appointment as it was.",
            "several": "OK, I haven't changed anything. What would you like instead?",
        }
        reply = replies.get(
            pending.kind if pending.slot_start is not None else "offer",
            "OK, I haven't booked it. Would another day or time suit you?",
        )
        if pending.kind == "book" and CALL_OFF_RE.search(self.text):
            # "never mind, forget it, my sister's going to do her at home": no other time asked
            reply = "No problem, I haven't booked it. Just message us if you'd like to book later."
        return AgentDecision(intent=Intent.DECLINE, action_id=pending.id, reply=reply)

    def joining(self) -> AgentDecision | None:
        """ "Add Bella to Max's appointment on Wednesday": the slot of the one upcoming booking
        meant (by a booked pet's name, else the day, else the only one), for the pets named
        who are not booked yet; None when the message is not that, names no newcomer, gives a
        time of its own, or could mean several bookings."""
        if not self.upcoming or not JOIN_RE.search(self.text):
            return None
        if CANCEL_RE.search(self.text):
            return None  # "cancel Daisy's groom … book Pip in at the same time as her jab"
        if _WHETHER_BOOKED_RE.search(self.text):
            return None  # "are both cats booked in? can't remember if i did kiwi as well"
        if asks_move(self.text) and self.when.day is not None:
            # "can nemo's appointment … move to thursday same time? and … book dory in with
            # him": the newcomer joins the moved visit (``move_and_book``, set 137)
            return None
        if (
            self.when.clock is not None
            and not self.names_booked_time()
            and not self.names_booked_clock()
        ):
            return None  # a time of its own ("coco's in on saturday at 10" names her booking)
        found = self.host_and_newcomers()
        if found is None:
            return None
        host, newcomers = found
        start = self.local(host.slot_start)
        # the service said for the newcomer ("bella needs her jabs"), else the host's
        said = self.service_said()
        decision = self.book(
            When(day=start.date(), clock=start.time()),
            subject=join(newcomers),
            service_key=said.key if said is not None else host.service,
            exact=said is None and host.service is not None,  # "appointment" names no service
        )
        return decision

    def host_and_newcomers(self) -> tuple[BookingView, list[str]] | None:
        """The one upcoming booking a new pet joins or goes next to (by a booked pet's name,
        else the day said, else the only one) and the pets named who are not booked yet; None
        when no newcomer is named or several bookings could be meant."""
        booked = {b.subject.lower() for b in self.upcoming}
        named = [s for s in self.subjects if is_name(s)]
        newcomers = [n for n in named if n.lower() not in booked]
        if not newcomers:
            return None
        named += self.models  # "can coco have the same as bella?": Bella's booking
        copied = self.booking_referred_by_service()
        if copied is not None:
            return copied, newcomers  # "… at the same time as Daisy's jab": that one
        hosts = [b for b in self.upcoming if b.subject.lower() in {n.lower() for n in named}]
        hosts = hosts or self.upcoming
        if self.when.day is not None:
            hosts = [b for b in hosts if self.local(b.slot_start).date() == self.when.day]
        if len(hosts) > 1:
            # "bella too? same time?" after Max joined Coco: the booking just made, else
            # several at one slot are one time to join
            just = self.booking_just_done() or self.booking_we_named()
            if just is not None and just in hosts:
                # (or the one our last message named: "when's Bean's jab?" / … / "can you put
                # Olive in at the same time?")
                hosts = [just]
            elif len({as_utc(b.slot_start) for b in hosts}) == 1:
                hosts = hosts[:1]
        if len(hosts) != 1:
            return None
        return hosts[0], newcomers

    def pet_died(self) -> AgentDecision:
        """ "Luna passed away last week": condolences, and the pet's upcoming bookings offered
        to cancel (never cancelled unasked); with none, the team is told so that the records
        and reminders can be put right (a handoff with a note)."""
        sorry = "I'm so sorry for your loss."
        if CANCEL_WORD_RE.search(self.text) and self.upcoming:
            # "my cat died, please cancel her appointments": the cancellation asked for (and a
            # question beside it answered: "… does she need to bring her vaccination booklet?")
            decision = self.asked_too(self.cancel())
            gone = {p.subject.lower() for p in decision.proposals if p.kind == "cancel"} or (
                {decision.proposal.subject.lower()}
                if decision.proposal is not None and decision.intent is Intent.PROPOSE_CANCEL
                else set()
            )
            if any(p.kind == "book" and p.subject.lower() in gone for p in decision.proposals):
                # never a new visit for the pet who died ("we lost shadow … and while I'm at it
                # misty is due her jab, could she come saturday at 11?" with Misty unread): the
                # cancellation alone, and the new visit asked about (set 150)
                decision = self.cancel_every(
                    [b for b in self.upcoming if b.subject.lower() in gone]
                )
                decision.reply = (
                    f"{decision.reply} For the new appointment, which of your pets is it for?"
                )
            decision.reply = f"{sorry} {decision.reply}"
            return decision
        named = [s for s in self.subjects if is_name(s)]
        booked = self.targets(named) if named else []
        if booked:
            decision = self.cancel_every(booked)
            decision.reply = f"{sorry} {decision.reply}"
            return decision
        return handed_over(
            reply=f"{sorry} I've let the team know. Take care.",
            note=f"The customer says their pet has died; please update the records: "
            f"{self.context.message!r}",
        )

    def cancel_every(self, bookings: list[BookingView]) -> AgentDecision:
        """The cancellation of ``bookings`` (one or several), read back for one yes."""
        if len(bookings) == 1:
            return self.propose_cancel(bookings[0])
        return self.several(
            [Plan("cancel", b.subject, as_utc(b.slot_start), b.service, b) for b in bookings]
        )

    def booked_pet_joins(self) -> AgentDecision | None:
        """ "could Luna come with Max on thursday instead of friday": Luna's booking moved to
        Max's time, read back for a yes; Max's stays where it is. None unless the message names
        two booked pets, one after "with" (the one joined), the other's one booking to move,
        and no time of its own (a day said must be the joined pet's)."""
        found = _COME_WITH_RE.search(self.text)
        if found is None or self.when.clock is not None or self.pending is not None:
            return None
        booked = {b.subject.lower() for b in self.upcoming}
        named = [s for s in self.subjects if is_name(s) and s.lower() in booked]
        host_name = found["host"] or found["host2"] or found["host3"]
        if len(named) != 2 or host_name not in {n.lower() for n in named}:
            return None
        hosts = [b for b in self.upcoming if b.subject.lower() == host_name]
        if self.when.day is not None:
            hosts = [b for b in hosts if self.local(b.slot_start).date() == self.when.day]
        joiner = next(n for n in named if n.lower() != host_name)
        moving = [b for b in self.upcoming if b.subject.lower() == joiner.lower()]
        if len(hosts) != 1 or len(moving) != 1:
            return None
        start = self.local(hosts[0].slot_start)
        return self.book(
            When(day=start.date(), clock=start.time()), subject=moving[0].subject, moving=moving[0]
        )

    def move_instead_of_cancel(self, pending: PendingAction) -> AgentDecision | None:
        """A new day or time while the cancellation of a booking waits for a yes ("can't make
        it thursday anymore" / "could we do friday same time?"): that booking moved there
        instead, the rest kept from it. None when the message gives no day or time, cancels,
        or names another pet."""
        when = self.when
        if not (when.day or when.clock or when.shift) or CANCEL_RE.search(self.text):
            return None
        booking = self.upcoming_by_id(pending.booking_id)
        others = {s.lower() for s in self.subjects if is_name(s)}
        if booking is None or not others <= {booking.subject.lower()}:
            return None
        meant = [
            b
            for b in self.upcoming
            if b.id != booking.id and self.local(b.slot_start).date() == when.day
        ]
        if when.clock is None and len(meant) == 1 and _OTHER_DAYS_ONE_RE.search(self.text):
            # "cancel tuesday please" / "no wait not tuesday, thursday's one" (set 214): the
            # booking on that day is the one to cancel, not Tuesday's moved there
            return self.propose_cancel(meant[0])
        local = self.local(booking.slot_start)
        wanted = merge(when.shifted(local), When(day=local.date(), clock=local.time()))
        after = WEEKDAY_AFTER_RE.search(self.when_text)
        if after is not None and wanted.day is not None and wanted.day <= local.date():
            # "can he do the same time the saturday after?": the one after the booking's
            ahead = (wanted.day.weekday() - local.date().weekday() - 1) % 7 + 1
            wanted = replace(wanted, day=local.date() + timedelta(days=ahead))
        return self.book(wanted, moving=booking)

    def booked_after_answer(self) -> AgentDecision | None:
        """ "yes book it" after we answered a question beside a request said as a maybe ("if
        i book basil in … monday the 14th at 5pm and then can't make it, do you charge for
        cancelling?" / the policy / "ok great, yes book it"): that request, read back for a
        yes. None unless the message asks to book without a day, time or pet of its own, our
        last message proposed nothing, and the one before it names a day and a time."""
        history = self.context.history
        if self.pending is not None or not history:
            return None
        if history[-1].direction is not Direction.OUTBOUND or not _BOOK_IT_RE.search(self.text):
            return None
        if self.when.anything or self.subjects or _ASK_YES_RE.search(history[-1].text):
            return None
        turn = self.request_before_ours()
        if turn is None or turn.when.day is None or turn.when.clock is None:
            return None
        # ("… can you book it then please, it's for his booster": the service said now)
        service = self.profile.find_service(self.text)
        decided = turn.book(turn.when, service_key=service.key if service else None)
        return decided if decided.proposal is not None else None

    def names_booked_clock(self) -> bool:
        """Whether a time said without a day, after "the" ("keep the 10 o'clock, but can bella
        come too?"), is that of an upcoming booking: it names the booking, it is no new time."""
        when = self.when
        if when.day is not None or when.clock is None:
            return False
        if not _THE_TIME_RE.search(self.when_text):
            return False
        return any(self.local(b.slot_start).time() == when.clock for b in self.upcoming)

    def names_only_booked_days(self) -> bool:
        """Whether every day the message's clauses say (with its time, if said) is an upcoming
        booking's: "need to cancel rolo's appointment tomorrow … kiki's one on thursday is
        still fine" names two bookings, no new day (set 139). False when it says no day."""
        any_day = False
        for clause in re.split(r"[.,;!?]+|\s+(?:and|but|so)\s+", self.context.message):
            said = self.read(normalise(clause))
            if said.shift is not None or said.same_time or said.same_day or said.months:
                return False  # "could we do the same time next week?": a new time
            if said.day is None:
                if said.clock is not None and not any(
                    self.local(b.slot_start).time() == said.clock for b in self.upcoming
                ):
                    return False  # "… tomorrow morning ideally, 11?": a new time
                continue
            if not any(
                self.local(b.slot_start).date() == said.day
                and said.clock in (None, self.local(b.slot_start).time())
                # ("tomorrow morning ideally, 11?" of a visit tomorrow at 3: a new time)
                and said.part in (None, part_of_day(self.local(b.slot_start).hour))
                for b in self.upcoming
            ):
                return False
            any_day = True
        return any_day

    def names_booked_time(self) -> bool:
        """Whether the day and time the message gives are those of an upcoming booking, so they
        say which appointment is meant ("we won't be needing tomorrow's appointment anymore"),
        not a new time for it."""
        when = self.when
        # (of the one sentence the day was read from, when it was: ``asked_in_one_sentence``)
        said = None if self.when_text == self.text else self.when_text
        if when.day is None or when.shift is not None or self.when_after_first_day(said).day:
            return False
        if WEEKDAY_AFTER_RE.search(self.when_text):
            return False  # "can he do the same time the saturday after?": after the booked one
        return any(
            self.local(b.slot_start).date() == when.day
            and when.clock in (None, self.local(b.slot_start).time())
            for b in self.upcoming
        )
