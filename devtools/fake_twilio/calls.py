"""The fake Twilio's Calls resource (Twilio docs, "Call resource",
https://www.twilio.com/docs/voice/api/call-resource), with answering machine detection
("Answering Machine Detection", https://www.twilio.com/docs/voice/answering-machine-detection).
Basic auth on every Twilio route.

- ``POST /2010-04-01/Accounts/{AC}/Calls.json`` (form ``To``, ``From``, ``Url``,
  ``StatusCallback``, ``MachineDetection``, ``AsyncAmd``, ``AsyncAmdStatusCallback``,
  ``AsyncAmdStatusCallbackMethod``) → 201 call resource, status ``queued``. The call rings until
  a test answers it (``POST /_fake/calls/{CallSid}/answer``). ``MachineDetection`` other than
  ``Enable``/``DetectMessageEnd``, ``AsyncAmd`` other than ``true``/``false`` or a callback
  method other than ``POST`` (the only one documented) → 400 code 21234 ("Invalid Machine
  Detection configuration value"). Detection asked without ``AsyncAmdStatusCallback`` is
  accepted: Twilio only warns (21262) and the result is in the call resource alone.
- ``GET /2010-04-01/Accounts/{AC}/Calls.json`` with ``To``, ``PageSize``, ``Page`` → a page
  ``{"calls": […], "next_page_uri": …, …}``, newest first (what reconciliation after a crash
  needs).
- ``POST /2010-04-01/Accounts/{AC}/Calls/{CA}.json`` (update, "Modify calls in progress",
  https://www.twilio.com/docs/guides/how-to-modify-calls-in-progress-in-python): ``Twiml``
  (recorded in ``twiml_updates``) or ``Url`` on a call in progress; on any other call → 400
  code 21220 ("Invalid call state": "a realtime operation on a Call that was not
  in-progress"). ``Twiml`` over 4000 characters → 400 code 32018. Both ``Twiml`` and ``Url``
  ("mutually exclusive" in the SDK's documentation) → 400 code 20001, as does a ``Status``
  other than ``completed``/``canceled`` (Twilio documents no code for either). ``Status``:
  ``canceled`` ends a queued or ringing call and leaves a call in progress alone;
  ``completed`` ends it in either state. A call already over is returned unchanged. The fake
  executes TwiML only as far as whether it ends the call: a document of ``<Say>``, ``<Play>``,
  ``<Pause>``, ``<Hangup>``, ``<Reject>`` only (or one that does not parse: Twilio plays an
  application error and hangs up) ends it at once — the words are not timed — and anything
  else (``<Connect>``, ``<Record>``, ``<Redirect>``…) keeps it in progress.
- A call that ends gets ``completed`` (``canceled`` before answer) and, with a
  ``StatusCallback``, Twilio's status callback POSTed in the background, signed like every
  webhook (``CallSid``, ``AccountSid``, ``From``, ``To``, ``Direction``, ``CallStatus``,
  ``CallDuration``…; Twilio docs, "Call status callbacks").

The fake's own route, ``POST /_fake/calls/{CallSid}/answer`` (``AnswerRequest`` as JSON), plays
the callee picking up and Twilio's requests that follow, each signed with ``X-Twilio-Signature``
over the URL as the call was given it (Twilio docs, "Webhooks security",
https://www.twilio.com/docs/usage/webhooks/webhooks-security):

1. the call goes ``in-progress`` and Twilio POSTs the call's ``Url`` (``CallSid``,
   ``AccountSid``, ``From``, ``To``, ``Caller``, ``Called``, ``CallStatus=in-progress``,
   ``Direction=outbound-api``, ``ApiVersion``). With synchronous detection (``MachineDetection``
   without ``AsyncAmd=true``) Twilio waits for the result and sends it with this request
   (``AnsweredBy``, ``MachineDetectionDuration``). The TwiML it answers is returned, not
   executed: the call stays in progress until it is updated;
2. with ``AsyncAmd=true`` and an ``AsyncAmdStatusCallback``: POST there ``CallSid``,
   ``AccountSid``, ``AnsweredBy``, ``MachineDetectionDuration`` (milliseconds). Twilio sends it
   seconds later, once detection is done; the fake right after the first request's answer.

``answered_by`` must be one Twilio sends in the call's detection mode: ``human``, ``fax``,
``unknown``, and ``machine_start`` with ``Enable`` or ``machine_end_beep``/
``machine_end_silence``/``machine_end_other`` with ``DetectMessageEnd`` (default ``human``); a
call without detection takes none (422 otherwise). The answer is
``{"call": <record>, "url": <delivery>, "amd": <delivery> | null}``, a delivery being
``{"url", "status", "body"}`` as the webhook answered, or ``{"url", "error"}`` when it could not
be reached. ``webhook_base_url`` delivers every webhook of the call (the later status callback
too) to that origin instead of the URL's own, as a proxy in front of the API would: tests run
the API on a loopback port behind a public URL that does not resolve.

Faults (``faults``): ``calls_create`` on the create POST.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from devtools.fake_twilio.delivery import CALLBACK_ERRORS
from devtools.fake_twilio.deps import FakeTwilio, FakeTwilioDep, authenticate
from devtools.fake_twilio.store import Call
from devtools.fake_twilio.wire import (
    ACCOUNT_PREFIX,
    ADDRESS,
    API_VERSION,
    FAKE_PREFIX,
    TwilioError,
    new_sid,
    page,
)

logger = logging.getLogger(__name__)

router = APIRouter(prefix=ACCOUNT_PREFIX, dependencies=[Depends(authenticate)])
fake_router = APIRouter(prefix=f"{FAKE_PREFIX}/calls")

MACHINE_DETECTION = {"Enable", "DetectMessageEnd"}
# What each detection mode may answer (Twilio docs, "Answering Machine Detection").
ANSWERED_BY: dict[str, set[str]] = {
    "Enable": {"human", "machine_start", "fax", "unknown"},
    "DetectMessageEnd": {
        "human",
        "machine_end_beep",
        "machine_end_silence",
        "machine_end_other",
        "fax",
        "unknown",
    },
}
TWIML_MAX_CHARS = 4000  # error 32018
# Verbs after which a TwiML document has nothing left to wait for: the call ends.
_ENDING_VERBS = {"Say", "Play", "Pause", "Hangup", "Reject"}
_RINGING = {"queued", "ringing"}


@router.post("/Calls.json", status_code=201, response_model=None)
async def create_call(
    account: str, request: Request, fake: FakeTwilioDep
) -> dict[str, Any] | Response:
    reset = await fake.faults.inject("calls_create", request)
    form = await request.form()
    to = str(form.get("To") or "")
    from_ = str(form.get("From") or "")
    url = str(form.get("Url") or "")
    if not to:
        raise TwilioError(400, 21201, "No 'To' number is specified")
    if not ADDRESS.match(to):
        raise TwilioError(400, 21211, f"Invalid 'To' Phone Number: {to}")
    if not from_:
        raise TwilioError(400, 21213, "No 'From' number is specified")
    if not url.startswith(("http://", "https://")):
        raise TwilioError(400, 21205, "Url parameter is required and must be an http(s) URL")
    detection = form.get("MachineDetection")
    async_amd = str(form.get("AsyncAmd") or "false")
    amd_method = str(form.get("AsyncAmdStatusCallbackMethod") or "POST")
    if detection is not None and str(detection) not in MACHINE_DETECTION:
        raise TwilioError(400, 21234, f"Invalid MachineDetection value: {detection}")
    if async_amd not in ("true", "false") or amd_method != "POST":
        raise TwilioError(400, 21234, "Invalid Machine Detection configuration value")
    callback = form.get("StatusCallback")
    amd_callback = form.get("AsyncAmdStatusCallback")
    call = Call(
        sid=new_sid("CA"),
        account_sid=account,
        to=to,
        from_=from_,
        url=url,
        status_callback=None if callback is None else str(callback),
        created_at=datetime.now(UTC),
        machine_detection=None if detection is None else str(detection),
        async_amd=async_amd == "true",
        amd_status_callback=None if amd_callback is None else str(amd_callback),
    )
    fake.store.add_call(call)
    fake.faults.stats["calls_create"].recorded += 1
    return fake.faults.answer("calls_create", reset, 201) or call.resource()


@router.get("/Calls.json", response_model=None)
async def list_calls(account: str, request: Request, fake: FakeTwilioDep) -> dict[str, Any]:
    """Calls, newest first, filtered by ``To`` (what reconciliation after a crash needs)."""
    rows = list(fake.store.calls.values())
    if "To" in request.query_params:
        rows = [c for c in rows if c.to == request.query_params["To"]]
    rows.reverse()
    return page(
        [c.resource() for c in rows],
        request,
        f"/{API_VERSION}/Accounts/{account}/Calls.json",
        "calls",
    )


@router.post("/Calls/{sid}.json")
async def update_call(
    account: str, sid: str, request: Request, background: BackgroundTasks, fake: FakeTwilioDep
) -> dict[str, Any]:
    """Update a call (module docstring): new TwiML for a call in progress, or its end."""
    call = fake.store.calls.get(sid)
    if call is None or call.account_sid != account:
        raise TwilioError(404, 20404, f"The requested resource /Calls/{sid}.json was not found")
    form = await request.form()
    twiml = form.get("Twiml")
    url = form.get("Url")
    status = form.get("Status")
    if twiml is not None and url is not None:
        raise TwilioError(400, 20001, "Twiml and Url are mutually exclusive")
    if status is not None and status not in ("completed", "canceled"):
        raise TwilioError(400, 20001, f"Invalid Status: {status}")
    if twiml is not None and len(str(twiml)) > TWIML_MAX_CHARS:
        raise TwilioError(
            400, 32018, f"Twiml size exceeded maximum allowed value of {TWIML_MAX_CHARS} characters"
        )
    if status is not None:
        if call.status in _RINGING:
            _end(fake, call, "canceled", background)
        elif call.status == "in-progress" and status == "completed":
            _end(fake, call, "completed", background)
        return call.resource()
    if (twiml is not None or url is not None) and call.status != "in-progress":
        raise TwilioError(
            400,
            21220,
            "Call is not in-progress. Cannot redirect.",
        )
    if twiml is not None:
        call.twiml_updates.append(str(twiml))
        if _ends_the_call(str(twiml)):
            _end(fake, call, "completed", background)
    return call.resource()


def _ends_the_call(twiml: str) -> bool:
    """Whether ``twiml`` runs to its end without waiting on anything (module docstring)."""
    try:
        root = ET.fromstring(twiml)
    except ET.ParseError:
        return True  # Twilio's application error: an apology, then the call ends
    return root.tag != "Response" or all(verb.tag in _ENDING_VERBS for verb in root)


def _end(fake: FakeTwilio, call: Call, status: str, background: BackgroundTasks) -> None:
    call.status = status
    call.ended_at = datetime.now(UTC)
    if call.status_callback is not None:
        params = {
            **_call_params(call),
            "CallStatus": status,
            "CallDuration": str(call.duration_s or 0),
        }
        background.add_task(_post, fake, call, call.status_callback, params)


def _call_params(call: Call) -> dict[str, str]:
    """What Twilio sends about the call in every voice request (Twilio docs, "TwiML voice:
    Twilio's request to your application")."""
    return {
        "AccountSid": call.account_sid,
        "ApiVersion": API_VERSION,
        "CallSid": call.sid,
        "Called": call.to,
        "Caller": call.from_,
        "Direction": "outbound-api",
        "From": call.from_,
        "To": call.to,
    }


async def _post(fake: FakeTwilio, call: Call, url: str, params: dict[str, str]) -> dict[str, Any]:
    """POST a webhook of ``call`` as Twilio does: form-encoded, signed over ``url`` as given,
    sent to ``call.webhook_base_url`` when set. Returns the delivery (module docstring);
    failures are logged, never raised."""
    target = url
    if call.webhook_base_url is not None:
        base = urlsplit(call.webhook_base_url)
        target = urlunsplit(urlsplit(url)._replace(scheme=base.scheme, netloc=base.netloc))
    signature = fake.validator.compute_signature(url, params)
    try:
        # The callbacks' shared client (``Delivery.post``; Twilio's 15 s webhook timeout).
        status, body = await fake.delivery.post(target, params, signature)
    except CALLBACK_ERRORS as exc:
        logger.warning(
            "call webhook failed: sid=%s path=%s error=%s",
            call.sid,
            urlsplit(url).path,
            type(exc).__name__,
        )
        return {"url": url, "error": type(exc).__name__}
    if status >= 400:
        logger.warning(
            "call webhook refused: sid=%s path=%s http=%s",
            call.sid,
            urlsplit(url).path,
            status,
        )
    return {"url": url, "status": status, "body": body}


AnsweredBy = Literal[
    "human",
    "machine_start",
    "machine_end_beep",
    "machine_end_silence",
    "machine_end_other",
    "fax",
    "unknown",
]


class AnswerRequest(BaseModel):
    """``POST /_fake/calls/{CallSid}/answer``: who picks up (module docstring), how long
    detection took (``MachineDetectionDuration``, ms) and where webhooks go."""

    model_config = ConfigDict(extra="forbid")
    answered_by: AnsweredBy | None = None
    detection_ms: int = Field(default=2400, ge=0)
    webhook_base_url: str | None = Field(default=None, pattern=r"^https?://[^/?#]+$")


@fake_router.post("/{sid}/answer")
async def answer_call(sid: str, request: AnswerRequest, fake: FakeTwilioDep) -> dict[str, Any]:
    """Play the callee picking up, then Twilio's requests (module docstring). 404 for an
    unknown call, 409 for a call no longer ringing, 422 for an ``answered_by`` the call's
    detection mode never sends."""
    call = fake.store.calls.get(sid)
    if call is None:
        raise HTTPException(404, f"no call {sid}")
    if call.status not in _RINGING:
        raise HTTPException(409, f"call {sid} is {call.status}, not ringing")
    mode = call.machine_detection
    if mode is None and request.answered_by is not None:
        raise HTTPException(422, "the call did not ask for answering machine detection")
    answered_by = request.answered_by or "human"
    if mode is not None and answered_by not in ANSWERED_BY[mode]:
        raise HTTPException(422, f"MachineDetection={mode} never answers {answered_by}")
    call.status = "in-progress"
    call.started_at = datetime.now(UTC)
    call.webhook_base_url = request.webhook_base_url
    if mode is not None:
        call.answered_by = answered_by
    detected = {"AnsweredBy": answered_by, "MachineDetectionDuration": str(request.detection_ms)}
    params = {**_call_params(call), "CallStatus": "in-progress"}
    if mode is not None and not call.async_amd:
        params.update(detected)  # synchronous detection: the result comes with the URL
    fetched = await _post(fake, call, call.url, params)
    amd: dict[str, Any] | None = None
    if mode is not None and call.async_amd and call.amd_status_callback is not None:
        result = {"AccountSid": call.account_sid, "CallSid": call.sid, **detected}
        amd = await _post(fake, call, call.amd_status_callback, result)
    return {"call": call.record(), "url": fetched, "amd": amd}
