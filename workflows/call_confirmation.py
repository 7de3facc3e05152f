"""The first journey: a call in which a booking was confirmed → a WhatsApp confirmation.

ID ``journey/call-confirmation/<E164>/<CallSid>``: one run per call. Consent is checked at send
time; without a recorded WhatsApp opt-in the skip and its reason are written to the
conversation log. Outside the 24-hour customer service window the approved
``booking_confirmation`` template is used.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.consent import ConsentActivities
    from activities.conversation import ConversationActivities
    from activities.crm import CrmActivities
    from activities.types import (
        CheckConsentInput,
        GetBookingInput,
        LogMessageInput,
        SendWhatsAppInput,
        WhatsAppTemplate,
    )
    from activities.whatsapp import WhatsAppActivities
    from switchboard.agent_models import Channel, Direction
    from switchboard.temporal import CHANNEL, CUSTOMER_PHONE, JOURNEY_NAME, JOURNEY_STEP
    from workflows.types import CallConfirmationInput, JourneyResult

JOURNEY = "call-confirmation"
DB_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200), maximum_interval=timedelta(seconds=5)
)
SEND_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=1),
    maximum_attempts=10,
)
DB_TIMEOUT = timedelta(seconds=10)


@workflow.defn
class CallConfirmationWorkflow:
    @workflow.run
    async def run(self, input: CallConfirmationInput) -> JourneyResult:
        workflow.upsert_search_attributes(
            [
                CUSTOMER_PHONE.value_set(input.customer),
                JOURNEY_NAME.value_set(JOURNEY),
                CHANNEL.value_set(Channel.WHATSAPP.value),
            ]
        )
        self._step("check_consent")
        consent = await workflow.execute_activity_method(
            ConsentActivities.check,
            CheckConsentInput(customer=input.customer, channel=Channel.WHATSAPP),
            start_to_close_timeout=DB_TIMEOUT,
            retry_policy=DB_RETRY,
        )
        if not consent.allowed:
            self._step("skipped")
            workflow.logger.info("confirmation skipped", extra={"reason": consent.reason})
            await workflow.execute_activity_method(
                ConversationActivities.log,
                LogMessageInput(
                    key=f"journey/{JOURNEY}/{input.call_sid}/skipped",
                    customer=input.customer,
                    channel=Channel.WHATSAPP,
                    direction=Direction.OUTBOUND,
                    kind="event",
                    text=f"WhatsApp confirmation skipped: {consent.reason}",
                ),
                start_to_close_timeout=DB_TIMEOUT,
                retry_policy=DB_RETRY,
            )
            return JourneyResult(status="skipped", reason=consent.reason)

        self._step("send_confirmation")
        details = await workflow.execute_activity_method(
            CrmActivities.get_booking,
            GetBookingInput(booking_id=input.booking_id),
            start_to_close_timeout=DB_TIMEOUT,
            retry_policy=DB_RETRY,
        )
        subject = details.booking.subject
        sent = await workflow.execute_activity_method(
            WhatsAppActivities.send,
            SendWhatsAppInput(
                key=f"journey/{JOURNEY}/{input.call_sid}/confirmation",
                customer=input.customer,
                body=(
                    f"As agreed on the phone: {subject}, {details.slot_text}. "
                    "Reply here if anything changes."
                ),
                template=WhatsAppTemplate(
                    name="booking_confirmation",
                    variables={"1": subject, "2": details.slot_text},
                ),
            ),
            start_to_close_timeout=timedelta(seconds=15),
            retry_policy=SEND_RETRY,
        )
        self._step("done")
        return JourneyResult(status="sent", message_sid=sent.sid)

    def _step(self, name: str) -> None:
        workflow.upsert_search_attributes([JOURNEY_STEP.value_set(name)])
