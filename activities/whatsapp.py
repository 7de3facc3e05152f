"""WhatsApp send activity: exactly once through the outbox, window- and template-aware."""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.errors import application_error
from activities.types import SendResult, SendWhatsAppInput
from switchboard import delivery
from switchboard.db import outbox
from switchboard.db.conversation import last_inbound_at_direct
from switchboard.db.delivery import SentLine, record_sent
from switchboard.db.engine import Database
from switchboard.db.models import Outbox, utcnow
from switchboard.identity import whatsapp_address
from switchboard.media_urls import MediaUrlSigner
from switchboard.message_templates import Template
from switchboard.providers.base import ProviderError, ProviderRejected, Telephony
from switchboard.whatsapp_policy import ContentRefused, choose_content

# Meta's customer service window: free-form messages only within 24 h of the customer's last
# message (WhatsApp Business Platform docs; Twilio error 63016 outside it). Which side of it a
# send is on is decided in switchboard.whatsapp_policy.
OUTSIDE_WINDOW = delivery.OUTSIDE_WINDOW  # Twilio: "Failed to send freeform message because
# you are outside the allowed window" (https://www.twilio.com/docs/api/errors/63016)
# A crashed attempt may have reached Twilio slightly before our row's timestamp (clock skew).
RECONCILE_SLACK = timedelta(minutes=2)


def refusal_error(exc: ContentRefused) -> ApplicationError:
    """A send the window policy refused, as Temporal sees it: non-retryable, its ``type`` the
    refusal's class name (``OutsideServiceWindow``, ``UnknownTemplate``,
    ``TemplateVariableMissing``). Raise it ``from exc.__cause__``: the domain error only carries
    the refusal, so the recorded failure is the same as when the activity decided itself."""
    return ApplicationError(str(exc), type=type(exc).__name__, non_retryable=True)


class WhatsAppActivities:
    def __init__(
        self,
        db: Database,
        telephony: Telephony,
        *,
        templates: dict[str, Template],
        status_callback_url: str | None,
        media_urls: MediaUrlSigner | None = None,
    ) -> None:
        """``media_urls`` signs the URL of a voice note Twilio fetches (``input.media_id``);
        without it a voice note cannot be sent (non-retryable ``NoMediaUrls``)."""
        self._db = db
        self._telephony = telephony
        self._templates = templates
        self._status_callback_url = status_callback_url
        self._media_urls = media_urls

    @property
    def templates(self) -> dict[str, Template]:
        """The approved templates by name (``choose_content``'s, for a caller that decides
        the content of many sends itself: a campaign's batch)."""
        return self._templates

    def _media_url(self, media_id: str) -> str:
        """A signed, expiring URL of the stored audio, made at send time (a retry gets a
        fresh one). Raises non-retryable ``ApplicationError`` type ``NoMediaUrls``."""
        if self._media_urls is None:
            raise ApplicationError(
                "no media URL signer configured", type="NoMediaUrls", non_retryable=True
            )
        return self._media_urls.url(media_id)

    @activity.defn(name="whatsapp.send")
    async def send(self, input: SendWhatsAppInput) -> SendResult:
        """Send once per ``input.key`` and log it in the conversation.

        Order of work (docs/architecture.md, "Side effects exactly once"): claim the outbox row;
        a row that already has a SID returns it; a pending row from an earlier attempt is
        reconciled against Twilio's message list before sending again; after the send the SID is
        stored.

        Free text or the template: ``switchboard.whatsapp_policy.choose_content`` decides from the
        customer's last WhatsApp message (``input.template_only``: the template whatever the
        window says, after Twilio refused the free text with 63016 in a status callback).
        Raises non-retryable ``ApplicationError`` type ``OutsideServiceWindow`` when the
        customer last wrote 24 h ago or more and no template was given (``UnknownTemplate``,
        ``TemplateVariableMissing``: see ``refusal_error``).

        Twilio answers a send ``queued``; what happens next comes in status callbacks
        (``api/routes/twilio_status.py``), which move the log row's and the outbox row's
        delivery state. Callbacks that beat the SID here are applied when it is stored, and the
        result carries the delivery state as it then stands (``SendResult.delivery_status``).
        """
        return await self.deliver(input, now=activity.info().current_attempt_scheduled_time)

    async def deliver(self, input: SendWhatsAppInput, *, now: datetime) -> SendResult:
        """``send``'s work: ``now`` is the instant the 24-hour window is judged at. Raises as
        ``send``. (A campaign's batch decides the content and claims the rows of many sends
        itself, then sends each with ``send_claimed``.)"""
        to = whatsapp_address(input.customer)
        # The window's read and the claim: two statements on one connection, psycopg's own
        # (issue 14: through the ORM, in a transaction, they were ~4% of the worker's CPU per
        # voice-note turn). One transaction held nothing more: at READ COMMITTED the read sees
        # what it sees alone, and the claim's row lock ended at the commit right after it.
        async with self._db.autocommit() as conn:
            last = await last_inbound_at_direct(
                conn, customer_e164=input.customer, channel="whatsapp"
            )
            try:
                content = choose_content(
                    body=input.body,
                    template=input.template,
                    templates=self._templates,
                    last_inbound=None if input.template_only else last,
                    now=now,
                )
            except ContentRefused as exc:
                raise refusal_error(exc) from exc.__cause__
            template, variables, text = content.template, content.variables, content.text
            row = await outbox.claim_direct(
                conn,
                key=input.key,
                kind="whatsapp",
                recipient=to,
                body=text,
                content_sid=template.content_sid if template else None,
                content_variables=variables,
            )
        sid, text, content_sid = await self.send_claimed(input, row)

        # The SID stored, the send logged ("queued", Twilio's first status) and the callbacks
        # that beat the SID applied: one transaction of three statements (issue 14).
        line = SentLine(
            key=input.key,
            customer_e164=input.customer,
            channel="whatsapp",
            kind="voice_note" if input.media_id else "text",
            text=text,
            media_id=input.media_id,
            intent=input.intent,
        )
        async with self._db.autocommit() as conn:
            status, code = await record_sent(conn, provider_sid=sid, sent_at=utcnow(), line=line)
        return SendResult(
            sid=sid,
            used_template=content_sid is not None,
            delivery_status=status,
            error_code=code,
        )

    async def send_claimed(
        self, input: SendWhatsAppInput, row: Outbox, *, max_attempts: int | None = None
    ) -> tuple[str, str, str | None]:
        """The send of ``input`` whose outbox ``row`` was just claimed (``outbox.claim``, this
        attempt counted): the stored SID if it was sent, else Twilio's list reconciled after
        an earlier attempt, else the request. Returns ``(SID, the text sent, content SID)``;
        storing the SID is the caller's. ``max_attempts``: give up on a row claimed more often
        (reconciled first: a send that went through is still found) — the row is marked
        failed and non-retryable ``SendAttemptsExhausted`` raised. Raises as ``send``."""
        to = row.recipient
        # A retry sends what the first attempt decided, even if the 24-hour window opened
        # or closed meanwhile: otherwise reconciliation could miss and the customer get both.
        text, content_sid, variables = row.body or "", row.content_sid, row.content_variables
        sent_body = "" if input.media_id else text  # a voice note goes out with no text
        sid = row.provider_sid or (
            await self._reconcile(input.key, to, sent_body, since=row.created_at)
            if row.attempts > 1
            else None
        )
        if sid is None and max_attempts is not None and row.attempts > max_attempts:
            error = f"gave up after {max_attempts} attempts"
            async with self._db.session() as s:
                await outbox.mark_failed(s, key=input.key, error=error)
            raise ApplicationError(error, type="SendAttemptsExhausted", non_retryable=True)
        if sid is None:
            try:
                sent = await self._telephony.send_whatsapp(
                    to=to,
                    body=None if content_sid else sent_body,
                    content_sid=content_sid,
                    content_variables=variables if content_sid else None,
                    status_callback=self._status_callback_url,
                    media_url=self._media_url(input.media_id) if input.media_id else None,
                )
                sid = sent.sid
            except ProviderRejected as exc:
                if exc.code == OUTSIDE_WINDOW and content_sid is None:
                    # Twilio saw the window closed where we saw it open (clocks, a message we
                    # did not see): nothing was sent, so the approved template goes instead.
                    sid, text, content_sid = await self._send_template_instead(input, to, exc)
                else:
                    async with self._db.session() as s:
                        await outbox.mark_failed(s, key=input.key, error=str(exc))
                    raise application_error(exc) from exc
            except ProviderError as exc:
                raise application_error(exc) from exc
        return sid, text, content_sid

    async def _send_template_instead(
        self, input: SendWhatsAppInput, to: str, refusal: ProviderRejected
    ) -> tuple[str, str, str]:
        """Send ``input.template`` after Twilio refused free text with 63016; returns (SID, the
        rendered text, the content SID). Raises non-retryable ``OutsideServiceWindow`` without a
        template."""
        template = self._templates.get(input.template.name) if input.template else None
        if template is None or input.template is None:
            async with self._db.session() as s:
                await outbox.mark_failed(s, key=input.key, error=str(refusal))
            raise ApplicationError(
                "Twilio says the 24-hour window is closed and no template was given",
                type="OutsideServiceWindow",
                non_retryable=True,
            ) from refusal
        variables = input.template.variables
        text = template.render(variables)
        async with self._db.session() as s:
            await outbox.switch_content(
                s,
                key=input.key,
                body=text,
                content_sid=template.content_sid,
                content_variables=variables,
            )
        try:
            sent = await self._telephony.send_whatsapp(
                to=to,
                content_sid=template.content_sid,
                content_variables=variables,
                status_callback=self._status_callback_url,
            )
        except ProviderError as exc:
            raise application_error(exc) from exc
        return sent.sid, text, template.content_sid

    async def _reconcile(self, key: str, to: str, text: str, *, since: datetime) -> str | None:
        """Did a crashed attempt already send this? Look in Twilio's message list for the same
        text to the same recipient that no other outbox row owns (two replies can be worded
        alike; each must still be sent once)."""
        try:
            sent = await self._telephony.list_messages(to=to, sent_after=since - RECONCILE_SLACK)
        except ProviderError as exc:
            raise application_error(exc) from exc
        async with self._db.session() as s:
            taken = await outbox.sids_owned_elsewhere(s, sids=[m.sid for m in sent], key=key)
        for message in sent:
            if message.body == text and message.sid not in taken:
                activity.logger.info(
                    "outbox reconciled with an earlier send", extra={"sid": message.sid}
                )
                return message.sid
        return None
