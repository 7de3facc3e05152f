"""Identity-check activities (``switchboard/verification.py``): open a check (choose the method,
send the one-time code on WhatsApp) and check an answer. The code is derived from the
challenge ID with a worker key, so it is never in the workflow's history, and a retried send
sends the same code through the outbox, once."""

from __future__ import annotations

import structlog
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.types import (
    CheckAnswerInput,
    CheckAnswerResult,
    SendWhatsAppInput,
    StartCheckInput,
    StartCheckResult,
    WhatsAppTemplate,
)
from activities.whatsapp import WhatsAppActivities
from switchboard.agent_models import Channel
from switchboard.business import BusinessProfile
from switchboard.db.consent import current_consent
from switchboard.db.engine import Database
from switchboard.db.identity import mask_logged_text, pet_names
from switchboard.identity_checks import Method
from switchboard.verification import (
    code_matches,
    looks_like_answer,
    looks_like_code,
    names_given,
    one_time_code,
)

log = structlog.get_logger("switchboard.identity")

CODE_TEMPLATE = "identity_code"  # journeys/templates.yaml
# What the conversation log keeps of the code message: the code itself is only on the phone.
CODE_LOGGED = "Your verification code: ••••••. It expires in {minutes} minutes."


class IdentityActivities:
    """``key`` derives the one-time codes (``switchboard.verification.code_key``); ``whatsapp``
    sends them (its outbox makes a retried send go once)."""

    def __init__(
        self, db: Database, whatsapp: WhatsAppActivities, *, key: bytes, profile: BusinessProfile
    ) -> None:
        self._db = db
        self._whatsapp = whatsapp
        self._key = key
        self._profile = profile

    @activity.defn(name="identity.start")
    async def start(self, input: StartCheckInput) -> StartCheckResult:
        """The first method of the action's policy that can be used: ``code`` for a caller whose
        WhatsApp opt-in is in force (the code is sent there; a send the window or template
        refuses falls through to the next method), ``question`` when a pet's name is on file.
        Raises retryable errors of the WhatsApp send."""
        policy = self._profile.identity_checks
        chosen: Method | None = None
        for method in policy.methods(input.action):
            if method == "code" and await self._send_code(input):
                chosen = method
                break
            if method == "question" and await self._names(input.customer):
                chosen = method
                break
        log.info(
            "identity check opened",
            customer=input.customer,
            action=input.action,
            channel=input.channel.value,
            method=chosen or "none usable",
        )
        return StartCheckResult(
            method=chosen,
            max_attempts=policy.max_attempts,
            ttl_minutes=policy.code_ttl_minutes,
            lockout_minutes=policy.lockout_minutes,
        )

    @activity.defn(name="identity.check")
    async def check(self, input: CheckAnswerInput) -> CheckAnswerResult:
        """Whether ``input.answer`` passes the check: the code (its digits, written or spoken),
        or a pet's name on the customer's bookings. No attempt (the turn goes on as usual): a
        message without four digits for a code; for the question, one of more than a few words,
        with a question mark, or naming nobody ("ok", "thanks"). One naming several pets is not
        checked (``several``). Each attempt is logged (never the answer)."""
        if input.method == "code":
            if not looks_like_code(input.answer):
                return CheckAnswerResult(attempt=False)
            passed = code_matches(self._key, input.challenge_id, input.answer)
        elif not looks_like_answer(input.answer):
            return CheckAnswerResult(attempt=False)
        else:
            known = await self._names(input.customer)
            named = names_given(input.answer, known)
            if not named:
                return CheckAnswerResult(attempt=False)
            if len(named) > 1:
                # One message, one guess: a list of names would try them all at once.
                return CheckAnswerResult(attempt=False, several=True)
            passed = named[0] in known
        log.info(
            "identity check attempt",
            customer=input.customer,
            action=input.action,
            method=input.method,
            attempt=input.attempt,
            passed=passed,
        )
        return CheckAnswerResult(attempt=True, passed=passed)

    async def _names(self, customer: str) -> list[str]:
        async with self._db.session() as s:
            return await pet_names(s, customer_e164=customer)

    async def _send_code(self, input: StartCheckInput) -> bool:
        """Send the code on WhatsApp to the number on file; False when it cannot go there (not
        a caller, no opt-in in force, refused by the window/template rules)."""
        if input.channel is not Channel.VOICE:
            return False  # on WhatsApp, the "other channel" would be the same phone
        async with self._db.session() as s:
            consent = await current_consent(
                s, customer_e164=input.customer, channel="whatsapp", purpose="service"
            )
        if consent is None or consent.status != "opted_in":
            return False
        code = one_time_code(self._key, input.challenge_id)
        minutes = str(self._profile.identity_checks.code_ttl_minutes)
        key = f"identity/{input.challenge_id}"
        try:
            await self._whatsapp.send(
                SendWhatsAppInput(
                    key=key,
                    customer=input.customer,
                    body=f"{code} is your {self._profile.name} verification code. It expires "
                    f"in {minutes} minutes. Never share it with anyone but our assistant.",
                    template=WhatsAppTemplate(
                        name=CODE_TEMPLATE, variables={"1": code, "2": self._profile.name}
                    ),
                )
            )
        except ApplicationError as exc:
            if not exc.non_retryable:
                raise
            log.warning("identity code not sent", customer=input.customer, reason=exc.type)
            return False
        # The send logged the message as sent; the conversation log (read by the team in the
        # console) keeps it without the code. A crash before this line is mended by the retry.
        async with self._db.session() as s:
            await mask_logged_text(s, key=key, text=CODE_LOGGED.format(minutes=minutes))
        return True
