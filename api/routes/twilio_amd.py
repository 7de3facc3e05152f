"""Answering machine detection on the calls Switchboard places: ``POST /twilio/voice/amd``, the
call's ``AsyncAmdStatusCallback`` (``activities/voice.py`` asks for it).

What Twilio does (Twilio docs, "Answering Machine Detection",
https://www.twilio.com/docs/voice/answering-machine-detection; "How to Use Twilio Async
Answering Machine Detection",
https://www.twilio.com/en-us/blog/async-answering-machine-detection-tutorial): with
``AsyncAmd=true`` the call's URL (``/twilio/voice/outbound``) is fetched as soon as the line is
picked up, so a person hears the agent at once, while detection runs in the background; with
``MachineDetection=DetectMessageEnd`` a person is reported as soon as detected, a machine only
once its greeting has ended, "usually indicated by a beep". The result is POSTed here, and the
call, already executing TwiML, can only be changed through the REST API (a Calls resource
update). What this route does with ``AnsweredBy``:

- ``human``: nothing; the conversation goes on.
- ``machine_end_beep``, ``machine_end_silence``, ``machine_end_other``: the greeting is over and
  the machine records: the call is updated with ``<Say>`` of the call's voicemail (its
  ``CallContext``) and ``<Hangup/>``. The new TwiML replaces the ``<Connect><Stream>`` (the
  media process sees the stream stop) or the ``<Record>`` the call was in.
- ``fax``, ``unknown`` (nothing decided within Twilio's timeouts, e.g. a silent line) and
  ``machine_start`` (sent only with ``MachineDetection=Enable``, which Switchboard does not ask
  for; the greeting would still be playing over a message): ``<Hangup/>``.

The customer's workflow is told first (the ``call_answered_by`` signal), the call updated
second: the hang-up makes Twilio post the call's ``completed`` status, and the workflow must
know by then that a machine answered, so that the journeys hear ``no-answer``
(``workflows/call_events.py``). The voicemail does not wait on Temporal: when the signal fails,
the call is still updated and the request then fails (503, as the other webhooks answer a
Temporal outage). The result is recorded once per call (``inbound_event``, SID
``<CallSid>/amd``), but a redelivery is acted on again: the signal is harmless (the workflow
keeps the first result), and the update is what a delivery that failed may not have done yet.
The limit: a redelivery after a success Twilio did not hear of (a timeout) would start the
message again. The AMD page says nothing of redeliveries of this callback.

A result for a call with no ``CallContext`` (not one of ours, or its SID not yet stored) is
ignored: there is no customer to tell and no voicemail to leave.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from sqlmodel import select
from twilio.twiml.voice_response import VoiceResponse

from api.deps import DbDep, SettingsDep, TemporalLaterDep, TwilioFormDep
from api.twilio_forms import AmdResult, parse_form
from api.webhook_events import record_event
from switchboard.db.models import CallContext, utcnow
from switchboard.journeys.schema import DEFAULT_VOICEMAIL
from switchboard.providers.base import ProviderRejected, ProviderUnavailable, Telephony
from switchboard.providers.factory import make_telephony
from switchboard.temporal import customer_workflow_id
from workflows.customer import CustomerWorkflow
from workflows.types import AnsweredBy, CallAnsweredByInput

router = APIRouter(prefix="/twilio/voice", tags=["twilio"])
log = logging.getLogger("switchboard.api.amd")

# The results after which the machine is recording: the voicemail goes in now.
LEAVE_VOICEMAIL: frozenset[AnsweredBy] = frozenset(
    {"machine_end_beep", "machine_end_silence", "machine_end_other"}
)
# Twilio's cap on inline TwiML (error 32018, https://www.twilio.com/docs/api/errors/32018).
TWIML_MAX_CHARS = 4000


def get_telephony(request: Request, settings: SettingsDep) -> Telephony:
    """Twilio's REST API for this process: built on first use from the settings and kept on
    ``app.state.telephony`` (a test may put its own there)."""
    telephony: Telephony | None = getattr(request.app.state, "telephony", None)
    if telephony is None:
        telephony = make_telephony(settings)
        request.app.state.telephony = telephony
    return telephony


TelephonyDep = Annotated[Telephony, Depends(get_telephony)]


def amd_twiml(answered_by: AnsweredBy, voicemail: str | None) -> str | None:
    """The TwiML to update the call with (no XML declaration), or None to leave the call as it
    is (a person answered). ``voicemail`` None, or too long for Twilio's 4000-character cap
    once escaped, is replaced by ``DEFAULT_VOICEMAIL``."""
    if answered_by == "human":
        return None

    def document(message: str | None) -> str:
        response = VoiceResponse()
        if message is not None:
            response.say(message)
        response.hangup()
        return str(response.to_xml(xml_declaration=False))

    if answered_by not in LEAVE_VOICEMAIL:
        return document(None)
    twiml = document(voicemail or DEFAULT_VOICEMAIL)
    if len(twiml) > TWIML_MAX_CHARS:
        log.warning("voicemail too long for inline TwiML; the default message is left")
        twiml = document(DEFAULT_VOICEMAIL)
    return twiml


@router.post("/amd", status_code=204)
async def amd_result(
    form: TwilioFormDep,
    db: DbDep,
    temporal: TemporalLaterDep,
    settings: SettingsDep,
    telephony: TelephonyDep,
) -> Response:
    """Act on who answered (module docstring). Answers 204 (also when Twilio refuses the
    update: the call is over); 422 naming a malformed field; 503 when Temporal or Twilio could
    not be reached (after the other one was done); a ``ProviderAuthError`` (wrong Twilio
    credentials) is raised: 500."""
    result = parse_form(AmdResult, form)
    async with db.session() as s:
        rows = await s.exec(select(CallContext).where(CallContext.call_sid == result.call_sid))
        placed = rows.one_or_none()
    if placed is None:
        log.warning(
            "answering machine detection for an unknown call; ignored",
            extra={"call_sid": result.call_sid},
        )
        return Response(status_code=204)
    await record_event(
        db,
        settings,
        sid=f"{result.call_sid}/amd",
        kind="call_amd",
        e164=placed.customer_e164,
        form=form,
    )
    event = CallAnsweredByInput(
        call_sid=result.call_sid,
        answered_by=result.answered_by,
        detection_ms=result.detection_ms,
        received_at=utcnow(),
    )
    signal_error: Exception | None = None
    try:
        client = await temporal()
        handle = client.get_workflow_handle(customer_workflow_id(placed.customer_e164))
        await handle.signal(CustomerWorkflow.call_answered_by, event)
    except Exception as exc:  # any failure to reach Temporal: the app's handlers map it to 503
        signal_error = exc
    twiml = amd_twiml(result.answered_by, placed.voicemail)
    if twiml is not None:
        try:
            await telephony.update_call(result.call_sid, twiml=twiml)
        except ProviderUnavailable as exc:
            log.warning(
                "call not updated, Twilio unavailable: %s", exc, extra={"call_sid": result.call_sid}
            )
            return Response(status_code=503, headers={"Retry-After": "1"})
        except ProviderRejected as exc:
            # 21220: the call is no longer in progress (the machine or the person hung up).
            log.info(
                "call not updated after answering machine detection: %s",
                exc,
                extra={"call_sid": result.call_sid, "code": exc.code},
            )
    if signal_error is not None:
        raise signal_error
    return Response(status_code=204)
