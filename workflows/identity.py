"""Identity checks in the customer workflow (``switchboard/verification.py``): the agent's
decision says when a turn would read, move or cancel a booking for a party not verified yet
(``verify_for``); then, instead of its reply, the customer is asked for a one-time code or the
answer to a question. The next messages are checked first; once passed, the request that
needed the check is decided again, now with the whole context, and answered. Every step is a
line of the conversation log (kind ``event``): opened, each attempt, passed, closed.

Wrong answers are counted for the customer (``IdentityState.failures``), whatever the channel,
the call or the check: asking again, hanging up and calling back, or a question in between do
not start the count again, and an open check asked for again keeps its code. ``max_attempts``
of them close the checks for ``lockout_minutes`` on every channel, and for the rest of the call
they were made on. A call's own record (attestation, checks passed, closed) is on its
``CallState``; a call the workflow never saw start is not vouched for. WhatsApp's checks passed
are on ``CustomerState.identity`` (they verify the address for good).
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflows.customer_context import CustomerContext
from workflows.policies import VENDOR_RETRY, db_activity

with workflow.unsafe.imports_passed_through():
    from activities.identity import IdentityActivities
    from activities.types import (
        CheckAnswerInput,
        LogMessageInput,
        StartCheckInput,
    )
    from switchboard.agent_models import Channel, Direction
    from switchboard.identity_checks import Action
    from switchboard.verification import Challenge, Trust
    from workflows.types import InboundInput

IDENTITY_PATCH = "identity-checks"

# What the customer reads or hears (kept here to be reviewed in one place).
ASK_CODE = (
    "For your security, I've just sent a 6-digit code to your WhatsApp. Please tell me the code."
)
ASK_QUESTION = (
    "For your security, before I go on: what is the name of a pet your appointments are for?"
)
ASK_CODE_AGAIN = "For your security, please first tell me the 6-digit code I sent to your WhatsApp."
ONE_NAME = "Please tell me just one name: the name of one pet your appointments are for."
WRONG_ANSWER = "Sorry, that's not right. Please try again ({left} left)."
REFUSED = (
    "Sorry, I can't verify who you are, so I can't share or change any booking. "
    "A member of the team can help you in person or from your number on file."
)
UNVERIFIABLE = (
    "For your security I can't share or change bookings here until you're verified, and I "
    "have no way to check it on this channel. Please call us from the number we have on file, "
    "or ask the team in person."
)
VERIFIED = "Thank you, you're verified."

_ACTION_WORDS: dict[str, str] = {
    "read_booking": "reading a booking",
    "reschedule": "moving a booking",
    "cancel": "cancelling a booking",
}
_METHOD_WORDS = {"code": "a code sent on WhatsApp", "question": "a question about their pets"}


class Answered:
    """The outcome of a message sent while a check was open: ``passed`` (``request`` is what
    to answer now) or not (``reply`` says so)."""

    def __init__(self, *, passed: bool, request: str = "", reply: str = "") -> None:
        self.passed = passed
        self.request = request
        self.reply = reply


class IdentityChecks:
    """One customer's identity checks (``TurnPipeline`` owns one)."""

    def __init__(self, customer: CustomerContext) -> None:
        self._customer = customer

    def trust(self, channel: Channel, call_sid: str | None) -> Trust:
        """This turn's identity as the workflow knows it. A call recorded before attestation
        was kept (``attested`` None) counts as attested: checks apply to calls from then on. A
        call never started here (no ``CallState``) does not."""
        state = self._customer.state
        locked_until = state.identity.locked_until
        locked = locked_until is not None and locked_until > workflow.now()
        if channel is Channel.VOICE:
            call = state.calls.get(call_sid) if call_sid else None
            if call is None:
                return Trust(channel=channel, attested=False, locked=locked, call_sid=call_sid)
            if call.attested is None:
                return Trust(channel=channel, attested=True, call_sid=call_sid)
            return Trust(
                channel=channel,
                attested=call.attested,
                passed=list(call.identity_passed),
                locked=locked or call.identity_locked,
                call_sid=call_sid,
            )
        return Trust(channel=channel, passed=list(state.identity.whatsapp_passed), locked=locked)

    def _open(self, first: InboundInput) -> Challenge | None:
        challenge = self._customer.state.identity.challenge
        if challenge is None:
            return None
        if challenge.expires_at <= workflow.now():
            self._customer.state.identity.challenge = None
            return None
        if challenge.channel is not first.channel or challenge.call_sid != first.call_sid:
            return None
        return challenge

    async def ask(self, first: InboundInput, action: Action, request: str) -> str:
        """Open a check for ``action`` (the agent's reply is not sent) and return the question
        to ask; refuse at once when the checks are closed or no method can be used. A check
        still open in this session is asked again as it is (no new code is sent)."""
        trust = self.trust(first.channel, first.call_sid)
        what = _ACTION_WORDS[action]
        if trust.locked:
            await self._log(
                first, "refused", f"identity check refused ({what}): too many wrong answers"
            )
            return REFUSED
        open_check = self._open(first)
        if open_check is not None:
            open_check.action, open_check.request = action, request
            await self._log(
                first,
                "asked",
                f"identity check ({what}): asked again for {_METHOD_WORDS[open_check.method]}",
            )
            return ASK_CODE_AGAIN if open_check.method == "code" else ASK_QUESTION
        challenge_id = str(workflow.uuid4())
        try:
            started = await workflow.execute_activity_method(
                IdentityActivities.start,
                StartCheckInput(
                    challenge_id=challenge_id,
                    customer=self._customer.e164,
                    channel=first.channel,
                    action=action,
                    call_sid=first.call_sid,
                ),
                start_to_close_timeout=timedelta(seconds=15),
                retry_policy=VENDOR_RETRY,
            )
        except ActivityError:
            workflow.logger.warning("identity check could not be opened")
            started = None
        if started is None or started.method is None:
            await self._log(first, "unusable", f"identity check needed ({what}): no method usable")
            return UNVERIFIABLE
        self._customer.state.identity.challenge = Challenge(
            id=challenge_id,
            action=action,
            method=started.method,
            channel=first.channel,
            call_sid=first.call_sid,
            request=request,
            max_attempts=started.max_attempts,
            lockout_minutes=started.lockout_minutes,
            expires_at=workflow.now() + timedelta(minutes=started.ttl_minutes),
        )
        await self._log(
            first, "asked", f"identity check ({what}): asked for {_METHOD_WORDS[started.method]}"
        )
        return ASK_CODE if started.method == "code" else ASK_QUESTION

    async def answer(self, first: InboundInput, text: str) -> Answered | None:
        """Check ``text`` against the open check of this session; None when there is none or
        the message is no answer to it (the turn goes on as usual, the check stays open). A
        message naming several pets is not checked: the customer is asked for one."""
        challenge = self._open(first)
        if challenge is None:
            return None
        identity = self._customer.state.identity
        attempt = identity.failures + 1
        result = await db_activity(
            IdentityActivities.check,
            CheckAnswerInput(
                challenge_id=challenge.id,
                customer=self._customer.e164,
                method=challenge.method,
                answer=text,
                action=challenge.action,
                attempt=attempt,
            ),
            local=self._customer.local_db,
        )
        if result.several:
            return Answered(passed=False, reply=ONE_NAME)
        if not result.attempt:
            return None
        if result.passed:
            identity.challenge = None
            identity.failures = 0
            self._passed(first, challenge)
            await self._log(
                first, "passed", f"identity check passed ({_METHOD_WORDS[challenge.method]})"
            )
            return Answered(passed=True, request=challenge.request)
        identity.failures = attempt
        left = challenge.max_attempts - attempt
        await self._log(
            first,
            "failed",
            f"identity check failed (attempt {attempt} of {challenge.max_attempts})",
        )
        if left > 0:
            return Answered(passed=False, reply=WRONG_ANSWER.format(left=left))
        self._lock(first, challenge)
        await self._log(
            first,
            "closed",
            f"identity checks closed for {challenge.lockout_minutes} minutes: too many wrong "
            "answers",
        )
        return Answered(passed=False, reply=REFUSED)

    def _passed(self, first: InboundInput, challenge: Challenge) -> None:
        state = self._customer.state
        if first.channel is Channel.VOICE:
            call = state.calls.get(first.call_sid or "")
            if call is not None and challenge.method not in call.identity_passed:
                call.identity_passed.append(challenge.method)
        elif challenge.method not in state.identity.whatsapp_passed:
            state.identity.whatsapp_passed.append(challenge.method)

    def _lock(self, first: InboundInput, challenge: Challenge) -> None:
        """Close the checks: for ``lockout_minutes`` everywhere (the count starts again after
        it), and for the rest of this call."""
        identity = self._customer.state.identity
        identity.challenge = None
        identity.failures = 0
        identity.locked_until = workflow.now() + timedelta(minutes=challenge.lockout_minutes)
        if first.channel is Channel.VOICE:
            call = self._customer.state.calls.get(first.call_sid or "")
            if call is not None:
                call.identity_locked = True

    async def _log(self, first: InboundInput, step: str, text: str) -> None:
        """One event line of the conversation log, keyed by the message and the step."""
        await self._customer.log(
            LogMessageInput(
                key=f"identity/{first.sid}/{step}",
                customer=self._customer.e164,
                channel=first.channel,
                direction=Direction.INBOUND,
                kind="event",
                text=text,
                call_sid=first.call_sid,
            )
        )
