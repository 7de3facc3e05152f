"""Twilio webhook payloads (form-encoded, Twilio's PascalCase names kept as aliases).

Field lists follow Twilio's docs: "Messaging webhook request parameters" (incl. WhatsApp's
``WaId``/``ProfileName``), "TwiML Voice: <Record>" action parameters, "Call status callbacks",
and "Answering Machine Detection" (the ``AsyncAmdStatusCallback`` request).
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from switchboard.identity import InvalidPhoneNumber, normalize_e164
from workflows.types import AnsweredBy


class TwilioForm(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore")


def _e164(value: str) -> str:
    try:
        return normalize_e164(value)
    except InvalidPhoneNumber as exc:
        raise ValueError(str(exc)) from exc


class WhatsAppInbound(TwilioForm):
    message_sid: str = Field(alias="MessageSid", min_length=2, max_length=64)
    from_: str = Field(alias="From")
    to: str = Field(alias="To")
    # A bound against abuse, not a vendor's: the 4,096 characters documented for WhatsApp text
    # messages are what a *business* may send (360dialog, "Send Text Messages",
    # https://docs.360dialog.com/docs/messaging/messaging); no page found gives a limit for what
    # a customer sends, and a 422 here loses the message (Twilio does not retry a 4xx).
    body: str = Field(default="", alias="Body", max_length=65_536)
    num_media: int = Field(default=0, alias="NumMedia", ge=0, le=10)
    wa_id: str | None = Field(default=None, alias="WaId")
    profile_name: str | None = Field(default=None, alias="ProfileName")

    _check_from = field_validator("from_")(_e164)


class VoiceCall(TwilioForm):
    call_sid: str = Field(alias="CallSid", min_length=2, max_length=64)
    from_: str = Field(alias="From")
    to: str = Field(alias="To")
    direction: str = Field(default="inbound", alias="Direction")
    call_status: str = Field(default="", alias="CallStatus")
    # SHAKEN/STIR verification of the caller ID, on incoming calls that carry a PASSporT
    # (``TN-Validation-Passed-A``/``-B``/``-C``, ``TN-Validation-Failed``, ``No-TN-Validation``;
    # https://www.twilio.com/docs/voice/trusted-calling-with-shakenstir); absent otherwise.
    stir_verstat: str | None = Field(default=None, alias="StirVerstat", max_length=64)

    _check_numbers = field_validator("from_", "to")(_e164)

    @property
    def customer(self) -> str:
        """The customer's E.164: the caller on inbound calls, the callee on outbound ones."""
        return self.to if self.direction.startswith("outbound") else self.from_


class VoiceRecording(VoiceCall):
    recording_sid: str = Field(default="", alias="RecordingSid", max_length=64)
    recording_url: str = Field(default="", alias="RecordingUrl")
    recording_duration: int = Field(default=0, alias="RecordingDuration", ge=0)


class CallStatus(VoiceCall):
    call_duration: int | None = Field(default=None, alias="CallDuration", ge=0)


class AmdResult(TwilioForm):
    """The asynchronous answering machine detection callback (Twilio docs, "Answering Machine
    Detection", https://www.twilio.com/docs/voice/answering-machine-detection): ``CallSid``,
    ``AccountSid``, ``AnsweredBy`` and ``MachineDetectionDuration`` (milliseconds Twilio took
    to decide). ``AnsweredBy`` outside Twilio's documented values → 422 naming it."""

    call_sid: str = Field(alias="CallSid", min_length=2, max_length=64)
    account_sid: str | None = Field(default=None, alias="AccountSid", max_length=64)
    answered_by: AnsweredBy = Field(alias="AnsweredBy")
    detection_ms: int | None = Field(default=None, alias="MachineDetectionDuration", ge=0)


class MessageStatus(TwilioForm):
    message_sid: str = Field(alias="MessageSid", min_length=2, max_length=64)
    message_status: str = Field(alias="MessageStatus", min_length=1, max_length=32)
    error_code: str | None = Field(default=None, alias="ErrorCode")


FormT = TypeVar("FormT", bound=TwilioForm)


class FormError(ValueError):
    """A webhook form failed validation; ``errors`` name each field (Twilio's parameter name)."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


def parse_form(model: type[FormT], form: dict[str, str]) -> FormT:
    """Validate ``form`` into ``model``. Raises ``FormError`` naming the offending fields."""
    try:
        return model.model_validate(form)
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else "form"
            field = model.model_fields.get(name)
            alias = field.alias if field is not None and field.alias else name
            errors.append({"field": alias, "message": err["msg"]})
        raise FormError(errors) from exc
