"""The local agent: ``RuleBasedAgent`` (the order of reading: the package's docstring)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from switchboard import media_notes
from switchboard.agent_models import AgentContext, AgentDecision, Channel, Direction, Intent
from switchboard.business import WEEKDAYS, BusinessProfile, load_profile
from switchboard.providers.rules_agent import nudges, steps
from switchboard.providers.rules_agent.helpers import and_listed, reply_token_read
from switchboard.providers.rules_agent.patterns import (
    NO_VET_NAMED,
    RECORDS_ASKED_RE,
    SAID_SLOT_RE,
    SENTENCE_RE,
    SYMPTOM_RE,
    VET_ASKED_RE,
)
from switchboard.providers.rules_agent.turn import Turn
from switchboard.understanding import answers
from switchboard.understanding.described import describes_a_pet, named_descriptions
from switchboard.understanding.language import warm as warm_language_detector
from switchboard.understanding.subjects import is_name, subjects_in
from switchboard.understanding.text import (
    mended,
    normalise,
    with_starred_fixes,
    without_email_headers,
    without_news_taken,
    without_signature_block,
)
from switchboard.understanding.when import without_day_slips

__all__ = ["RuleBasedAgent"]

# Visits asked for again and again: "every 3 weeks", "every month", "a standing appointment".
_RECURRING_RE = re.compile(
    r"\bevery\s+(?:\d+|other|couple\s+of|few)\s+(?:weeks?|months?)\b"
    r"|\bevery\s+(?:week|month|fortnight)\b|\b(?:recurring|repeat|standing|regular)\s+"
    r"(?:appointments?|bookings?|slot)\b|\b(?:weekly|monthly|fortnightly)\s+(?:appointments?"
    r"|bookings?|grooms?|visits?)\b"
)
# A complaint said beside a request the agent serves ("not happy … can he be seen at 2?"): an
# apology first. Without a request a complaint is a handoff (``HANDOFF_RE``).
_COMPLAINT_RE = re.compile(
    r"\b(?:i'm|i\s+am|we're|we\s+are)\s+(?:very\s+|really\s+|so\s+)?(?:not\s+(?:happy|pleased"
    r"|impressed|satisfied)|unhappy|disappointed|fed\s+up|annoyed|upset|frustrated)\b"
    r"|^(?:honestly\s+|really\s+)?not\s+(?:happy|impressed)\b|\b(?:unacceptable|appalling"
    r"|disgraceful|outrageous|ridiculous)\b|\b(?:nobody|no\s+one|no-one)\s+(?:even\s+)?"
    r"(?:apologi[sz]ed|called|rang|phoned|got\s+back|answered)\b|\b(?:poor|bad|terrible|awful)"
    r"\s+service\b|\bpromised\s+(?:me\s+|us\s+)?a\s+call\s*back\b"
    # ("… said they'd call me back to book sprout's dental. nobody did", set 218)
    r"|\bsaid\s+(?:they'd|they\s+would|she'd|he'd)\s+(?:call|ring|phone)\s+(?:me|us)\s+back\b"
)
# Whether cancelling is all right, asked: "is it ok if we cancel?", "would it be alright to cancel"
_OK_TO_CANCEL_RE = re.compile(
    r"\b(?:is|would)\s+(?:it|that)\s+(?:be\s+)?(?:ok|okay|alright|all\s+right|fine|possible)\s+"
    r"(?:if\s+(?:we|i)\s+|to\s+)cancel\b"
)
# A question only the vet can answer: "do they need to be put under?", "is it under
# anaesthetic?", "will she be sedated?".
_FOR_THE_VET_RE = re.compile(
    r"\bput\s+(?:him\s+|her\s+|them\s+|it\s+)?under\b|\ban(?:a)?esthe\w*|\bsedat\w*"
    r"|\bknocked\s+out\b|\bput\s+to\s+sleep\s+for\s+(?:it|the|a|an|his|her|their|that|this)\b"
)
# When to leave the pet and fetch it, asked: "what time do they need to be dropped off and when
# can i collect?", "when can I pick him up?".
_DROP_OFF_ASKED_RE = re.compile(
    # (not "so I can pick him up when I drop Tigger off": when it happens, not asked)
    r"\b(?:when|what\s+time)\b(?!\s+(?:i|we)\s+(?:drop|collect|pick))[^?]{0,40}\b(?:drop(?:ped)?"
    r"\s+(?:\w+\s+)?off|collect|pick\s+(?:\w+\s+)?up)\b"
)
# A product asked after: "do you sell flea treatment?", "do you stock dog food".
_STOCK_ASKED_RE = re.compile(
    r"\b(?:do|does)\s+(?:you|the\s+clinic)\s+(?:sell|stock|carry)\s+(?P<thing>[a-z][a-z ]{2,30}?)"
    r"(?=\s*$|\s+(?:too|as\s+well|there|at\s+the\s+clinic)\b)"
)
# Someone other than a pet unwell: "my husband's poorly so …", "I'm sick of waiting".
_PERSON_UNWELL_RE = re.compile(
    r"\b(?:i'm|i\s+am|i've\s+been|i\s+have\s+been|we're|we've\s+been|my\s+(?:husband|wife"
    r"|partner|mum|mom|dad|son|daughter|kids?|boss|mother|father)(?:'s|\s+is|\s+has\s+been)?)\s+"
    r"(?:\w+\s+){0,2}?(?:sick|ill|unwell|poorly)\b"
)
# A day named in normalised text: a weekday, today, tomorrow, a date.
_DAY_NAMED_RE = re.compile(
    r"\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|today|tomorrow|\d{1,2}(?:st|nd|rd|th))\b"
)
# A sentence that asks for a change, not about what is booked.
_CHANGE_ASKED_RE = re.compile(
    r"\b(?:cancel\w*|move|moved|moving|change|changed|reschedul\w*|book|booking\s+in|push|bring"
    r"\s+forward|swap|put)\b"
)
_APOLOGISED_FOR = (
    Intent.PROPOSE_BOOKING,
    Intent.PROPOSE_RESCHEDULE,
    Intent.PROPOSE_CANCEL,
    Intent.PROPOSE_CHANGES,
    Intent.CLARIFY,
    Intent.ASK_BOOKING,
)


def _aside(decision: AgentDecision, said: str, *, after: bool = False) -> AgentDecision:
    """``decision`` with ``said`` (an apology, or what the agent cannot do about a part of the
    message) put before its reply (without its "Sure. "), or after it."""
    reply = decision.reply if after else decision.reply.removeprefix("Sure. ")
    return decision.model_copy(update={"reply": f"{reply} {said}" if after else f"{said} {reply}"})


# The holiday season asked about as such: "over christmas and new year", "the holidays"
_HOLIDAY_SEASON_RE = re.compile(
    r"\b(?:over|during|around|for|at|between)\s+(?:the\s+)?(?:christmas|xmas|new\s+year|festive"
    r"|holidays?|bank\s+holidays?)\b"
)


def _closed_days_ahead(context: AgentContext, profile: BusinessProfile) -> dict[date, str]:
    """The public holidays and the business's own closures of the next six weeks
    (``BusinessProfile.holiday``) on days it otherwise opens: date → name."""
    today = context.now.astimezone(ZoneInfo(context.timezone)).date()
    ahead: dict[date, str] = {}
    for n in range(42):
        day = today + timedelta(days=n)
        name = profile.holiday(day)
        if name is not None and profile.hours.get(WEEKDAYS[day.weekday()]):
            ahead[day] = name
    return ahead


def _team_can(profile: BusinessProfile) -> str:
    """ "the team can, on +33 1 …" (or without the number when the profile has none)."""
    return f"the team can, on {profile.phone}" if profile.phone else "the team can"


# How far back the customer's own messages are read for what they said of their pets.
_DESCRIBED_IN_TURNS = 12


@lru_cache(maxsize=1)
def _default_profile() -> BusinessProfile:
    return load_profile()


def _pets_named(context: AgentContext) -> AgentContext:
    """``context`` with "the older one", "the cat" … in its message replaced by the pet meant,
    from what the customer said of their pets' ages and kinds in it and their messages before
    (``switchboard.understanding.described``): "Bruno is 13 and Pip's 2. Could the older one
    have a dental" is a dental for Bruno. Unchanged when nothing points at one pet."""
    if not describes_a_pet(context.message):
        return context
    earlier = [
        t.text for t in context.history[-_DESCRIBED_IN_TURNS:] if t.direction is Direction.INBOUND
    ]
    known = [b.subject for b in context.bookings if is_name(b.subject)]
    voice = context.channel is Channel.VOICE
    names = set(known)
    for text in (*earlier, context.message):
        names.update(s for s in subjects_in(text, known=known, transcript=voice) if is_name(s))
    message = named_descriptions(context.message, earlier, names)
    if message == context.message:
        return context
    return context.model_copy(update={"message": message})


def _signatures_cut(context: AgentContext) -> AgentContext:
    """``context`` with an e-mail's signature block cut from the message and from the
    customer's messages before it (``without_signature_block``): its names, titles and
    numbers are no request, now or when the conversation is read again. A "+" between words
    in the message is read as "and"; slips of typing are put right (``mended``: "thursdayat
    3", "10.3o", "cancelpeanuts"), in the customer's messages before it too."""
    history = [
        turn.model_copy(
            update={"text": mended(without_signature_block(without_email_headers(turn.text)))}
        )
        if turn.direction is Direction.INBOUND and turn.text
        else turn
        for turn in context.history
    ]
    message = _PLUS_RE.sub(
        " and ", mended(without_signature_block(without_email_headers(context.message)))
    )
    # ("need to move juniper's appt on wednesday" / "*thursday", set 214)
    message = with_starred_fixes(message)
    # ("Oh, I did not know you closed early on Saturdays. Then half past nine …", set 193)
    message = without_news_taken(message)
    # ("are you open saturday afternoon? sorry, sunday i mean", set 180)
    message = without_day_slips(message)
    return context.model_copy(update={"message": message, "history": history})


# A "+" between two words: "clover + bramble at 2pm and thistle at 2.15?" (set 137).
_PLUS_RE = re.compile(r"(?<=[^\W\d_])\s*\+\s*(?=[^\W\d_])")


class RuleBasedAgent:
    """The embedded stack's agent (module docstring). Stateless and deterministic; raises
    nothing of its own (an unknown ``context.timezone`` raises ``ZoneInfoNotFoundError``)."""

    def __init__(self, profile: BusinessProfile | None = None) -> None:
        self._profile = profile
        warm_language_detector()  # at start-up, not in the first turn that needs it

    async def decide(self, context: AgentContext) -> AgentDecision:
        """Choose the reply and intent for one turn; see the module docstring for the rules."""
        if context.channel is Channel.WHATSAPP:
            context = _signatures_cut(context)
        context = _pets_named(steps.bursts_joined(context))
        nudged = nudges.unanswered_taken_up(context)
        if nudged is not None:
            # "did you get my message about pumpkin?" after a message nobody answered: that one
            return nudges.sorry_for_the_wait(await self.decide(nudged))
        rest = steps.withdrawn_split(context.message)
        if rest is not None:
            # "… moved to friday morning?" / "actually scrap that, can you just cancel it": only
            # what is still asked
            context = context.model_copy(update={"message": rest})
        stepped = await self._in_steps(context)
        if stepped is not None:
            return stepped
        return await self._decide_whole(context)

    async def _in_steps(self, context: AgentContext) -> AgentDecision | None:
        """A message whose later lines correct or add to its first ones (a burst: "tuesday at
        6?" / "sorry wednesday!! not tuesday"), read as sent one after the other: the later
        lines answer the proposal the first ones get (``steps``). None when no line corrects,
        when the first lines propose nothing, or when the rest proposes nothing else."""
        split = steps.correcting_split(context.message)
        if split is None:
            return None
        before, rest = split
        first = await self.decide(context.model_copy(update={"message": before}))
        pending = steps.pending_of(first, context)
        if pending is None:
            return None
        then = await self.decide(steps.with_step(context, before, first.reply, pending, rest))
        if then.intent not in steps.PROPOSING or steps.pending_of(then, context) == pending:
            return None  # the rest changed nothing we could read: the message read whole
        return then

    async def _decide_whole(self, context: AgentContext) -> AgentDecision:
        profile = context.business or self._profile or _default_profile()
        attached, words = media_notes.split(context.message)
        if attached:
            # "[sent a photo]" is what the message carried, not the customer's words.
            context = context.model_copy(update={"message": words})
        said = normalise(context.message)
        turn = Turn(reply_token_read(context), profile)
        decision = turn.with_attachments(attached) if attached else turn.decide()
        if (
            decision.intent in (Intent.PROPOSE_BOOKING, Intent.CLARIFY)
            and turn.pending is None
            and _RECURRING_RE.search(said)
        ):
            # "every 3 weeks for a groom": one booking at a time, said so, not promised
            decision = _aside(
                decision, "I can book one appointment at a time, so let's start with the first."
            )
        if decision.intent is Intent.PROPOSE_BOOKING and decision.proposal is not None:
            # one booking proposed "for Max and Bella", by whatever rule: one for each pet
            names = re.split(r",\s*|\s+and\s+", decision.proposal.subject)
            if len(names) > 1 and all(is_name(n) for n in names):
                decision = turn.book_each(decision, names)
        if turn.agrees_to_the_same(decision):
            # "same time for biscit yeah": what the message asks is what waits for a yes
            decision = turn.confirm()
        if decision.intent in _APOLOGISED_FOR and _COMPLAINT_RE.search(turn.text):
            # "honestly not happy, nobody rang … can he be seen at 2?": the request is served,
            # and the complaint heard first
            decision = _aside(decision, "I'm sorry about that.")
        if (
            decision.intent in (Intent.PROPOSE_BOOKING, Intent.CLARIFY)
            and turn.pending is None
            and SYMPTOM_RE.search(turn.text)
            and not _PERSON_UNWELL_RE.search(turn.text)
            and "Sorry to hear" not in decision.reply
            # (a complaint is apologised for instead: one apology, not two)
            and not decision.reply.startswith("I'm sorry")
            and not any(
                t.text.startswith("Sorry to hear")
                for t in context.history
                if t.direction is Direction.OUTBOUND
            )
        ):
            # "bodhi's been sick 3 times since last night … can he be seen today?": heard
            # first, then the visit (no advice: that is the vet's)
            pet = decision.proposal.subject if decision.proposal is not None else ""
            # (the pet asked for, not one named for its time: "… Luna … Same time as Buddy's")
            asked = [n for n in turn.requested_pets() if is_name(n)]
            named = pet if is_name(pet) else (asked[0] if len(asked) == 1 else "")
            decision = _aside(decision, f"Sorry to hear {named or 'your pet'} isn't well.")
        if decision.intent in (Intent.PROPOSE_BOOKING, Intent.PROPOSE_CHANGES, Intent.CLARIFY):
            decision = turn.priced(decision)
            if VET_ASKED_RE.search(turn.text) and NO_VET_NAMED not in decision.reply:
                # "can my dog be seen by a female vet please? tuesday 2pm": the time read back,
                # and no promise of who
                decision = _aside(decision, NO_VET_NAMED)
        decision = turn.done_by_said(decision)
        fee = (
            turn.change_fee_said(decision)
            if decision.intent in (Intent.PROPOSE_CANCEL, Intent.PROPOSE_RESCHEDULE)
            else None
        )
        if fee is not None and fee.split(".")[0] not in decision.reply:
            # "can you cancel nutmeg's … / do i have to pay anything for cancelling?" (set
            # 210), read by a rule that took the request's clause alone: the fee answered too
            decision = _aside(decision, fee)
        if decision.intent is Intent.PROPOSE_CANCEL and _OK_TO_CANCEL_RE.search(said):
            # "is it ok if we cancel honey's appt on thursday?": whether it is, from the
            # profile's policy, before the cancellation read back
            policy = answers.answer("what is your cancellation policy", profile)
            if policy is not None and policy not in decision.reply:
                decision = _aside(decision, policy)
        if (
            decision.intent in _APOLOGISED_FOR
            and RECORDS_ASKED_RE.search(said)
            and "records" not in decision.reply
        ):
            # "can max come thursday at 3, and could you send his vaccination records": the
            # visit is served, and the records are not silently dropped
            decision = _aside(
                decision,
                f"I can't send records or documents from here: {_team_can(profile)}.",
                after=True,
            )
        if (
            decision.intent in _APOLOGISED_FOR
            and _DROP_OFF_ASKED_RE.search(said)
            and "collect" not in decision.reply
            and "finished by" not in decision.reply  # the visit's end said (``finish_asked``)
        ):
            # "can i book a dental for rocky. what time do they need to be dropped off and when
            # can i collect?": not in the profile, so the team's to say, never silently dropped
            phone = f" on {profile.phone}" if profile.phone else ""
            decision = _aside(
                decision,
                "When to drop off and collect is the team's to say: they'll tell you, or call "
                f"us{phone}.",
            )
        stocked = _STOCK_ASKED_RE.search(said)
        if decision.intent in _APOLOGISED_FOR and stocked is not None:
            # "thursday at 10 pls. Also, do you sell flea treatment?": the visit read back, and
            # the question (not in the profile) not silently dropped
            decision = _aside(
                decision,
                f"As for {stocked['thing'].strip()}: I can't say from here whether we have it; "
                f"{_team_can(profile)}.",
            )
        if (
            decision.intent is Intent.ANSWER
            and _FOR_THE_VET_RE.search(said)
            and "vet" not in decision.reply
        ):
            # "how long does a dental take and do they need to be put under?": the length
            # answered, and the vet's part not silently dropped
            where = (
                f": call us on {profile.phone} and the team will ask them" if profile.phone else ""
            )
            decision = _aside(
                decision,
                "Whether they need sedation or an anaesthetic is one for the vet, so I can't "
                f"answer it here{where}.",
                after=True,
            )
        if decision.intent is Intent.ANSWER and _HOLIDAY_SEASON_RE.search(said):
            closed = _closed_days_ahead(context, profile)
            if closed and not any(name in decision.reply for name in closed.values()):
                # "whats your opening hours over christmas and new year?" (set 204): the usual
                # week, and the holidays ahead we are closed on
                days = [f"{day:%A %-d %B} ({name})" for day, name in closed.items()]
                decision = _aside(decision, f"We're closed on {and_listed(days)}.", after=True)
        if decision.intent is Intent.ANSWER and context.pending is None:
            visit = await self._visit_asked_beside(context, decision)
            if visit is not None:
                # "do you have anything thursday morning for a check up? … / oh and is there
                # parking near you?": the parking answered, and Thursday's times asked (set 200)
                decision = visit
        if decision.intent in steps.PROPOSING:
            looked_up = await self._looked_up_beside(context, decision)
            if looked_up is not None:
                # "what time's bisou in on wednesday again? and can u cancel marmite's groom on
                # friday": the booking asked about told, then the change read back (set 196)
                decision = _aside(decision, looked_up)
        return decision

    async def _visit_asked_beside(
        self, context: AgentContext, answered: AgentDecision
    ) -> AgentDecision | None:
        """A visit on a day asked in a sentence or line of its own beside the question
        ``answered`` answers: that day's times asked, after the answer. None when no other
        sentence asks for a visit on a day. A burst is read by its lines (a line says all of
        its request: "… thursday morning for a check up? my cat nori has a little lump")."""
        lines = [line for line in context.message.splitlines() if line.strip()]
        split = lines if len(lines) > 1 else SENTENCE_RE.split(context.message)
        sentences = [s for s in split if s.strip()]
        if len(sentences) < 2:
            return None
        profile = context.business or self._profile or _default_profile()
        for sentence in sentences:
            if not _DAY_NAMED_RE.search(normalise(sentence)):
                continue  # (a visit of its own names its day: "anything thursday morning?")
            told = Turn(context.model_copy(update={"message": sentence}), profile)
            named = {s.lower() for s in told.subjects if is_name(s)}
            if told.when.day is not None and any(
                told.local(b.slot_start).date() == told.when.day
                and (not named or b.subject.lower() in named)
                for b in told.upcoming
            ):
                continue  # ("first visit with our puppy fennel tomorrow", set 212: booked)
            alone = await self._decide_whole(context.model_copy(update={"message": sentence}))
            asks_time = (
                alone.intent is Intent.CLARIFY
                and "What time on" in alone.reply
                and "didn't catch" not in alone.reply
            )
            # (its times asked, nothing proposed: an answer that held a booking back, "more
            # than the €100 you mentioned, so nothing is booked", stays so)
            if asks_time and alone.reply not in answered.reply and "book" not in answered.reply:
                return alone.model_copy(update={"reply": f"{answered.reply} {alone.reply}"})
        return None

    async def _looked_up_beside(self, context: AgentContext, decision: AgentDecision) -> str | None:
        """The answer to a question of the message about the customer's bookings, asked in a
        sentence of its own beside the change ``decision`` reads back ("when's peaches' groom?
        and can her check up tomorrow move to thursday"); None when there is none, or the
        read-back says it already."""
        sentences = [s for s in SENTENCE_RE.split(context.message) if s.strip()]
        if len(sentences) < 2:
            return None
        for sentence in sentences:
            said = normalise(sentence)
            asked = "?" in sentence or answers.is_question(said)
            if not asked or _CHANGE_ASKED_RE.search(said):
                continue
            alone = await self._decide_whole(context.model_copy(update={"message": sentence}))
            slots = SAID_SLOT_RE.findall(alone.reply)
            if (
                alone.intent is Intent.ASK_BOOKING
                and slots
                # (not one the read-back names already: "Yes, Daisy is booked for …")
                and not all(slot in decision.reply for slot in slots)
            ):
                return alone.reply
        return None
