"""The fake Twilio's Calls resource (Twilio docs, "Call resource",
https://www.twilio.com/docs/voice/api/call-resource). Basic auth on every route.

- ``POST /2010-04-01/Accounts/{AC}/Calls.json`` (form ``To``, ``From``, ``Url``,
  ``StatusCallback``) → 201 call resource, status ``queued``. TwiML is not executed.
- ``GET /2010-04-01/Accounts/{AC}/Calls.json`` with ``To``, ``PageSize``, ``Page`` → a page
  ``{"calls": […], "next_page_uri": …, …}``, newest first (what reconciliation after a crash
  needs).

Faults (``faults``): ``calls_create`` on the POST.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from devtools.fake_twilio.deps import FakeTwilioDep, authenticate
from devtools.fake_twilio.store import Call
from devtools.fake_twilio.wire import (
    ACCOUNT_PREFIX,
    ADDRESS,
    API_VERSION,
    TwilioError,
    new_sid,
    page,
)

router = APIRouter(prefix=ACCOUNT_PREFIX, dependencies=[Depends(authenticate)])


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
    callback = form.get("StatusCallback")
    call = Call(
        sid=new_sid("CA"),
        account_sid=account,
        to=to,
        from_=from_,
        url=url,
        status_callback=None if callback is None else str(callback),
        created_at=datetime.now(UTC),
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
