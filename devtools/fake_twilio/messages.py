"""The fake Twilio's Messages resource (Twilio docs, "Message resource",
https://www.twilio.com/docs/messaging/api/message-resource). Basic auth on every route.

- ``POST /2010-04-01/Accounts/{AC}/Messages.json`` (form ``To``, ``From``, ``Body``,
  ``ContentSid``, ``ContentVariables``, ``StatusCallback``, ``MediaUrl``…) → 201 message
  resource, status ``queued``. What follows happens after the answer, in the background, as
  at Twilio (``delivery``): the status moves on (``sent``, ``delivered``, ``read``; or
  ``failed`` with 63016 outside the WhatsApp window, ``undelivered`` with an error code) and each
  change is POSTed to ``StatusCallback`` signed with ``X-Twilio-Signature`` like Twilio's
  (Twilio docs, "Webhooks security",
  https://www.twilio.com/docs/usage/webhooks/webhooks-security), possibly out of order or twice
  when configured.
  Templates: given ``templates`` (content SID → approved body), a ``ContentSid`` send is rendered
  the way Twilio renders it, ``{{1}}`` → ``ContentVariables["1"]``, and the message's ``body``
  (in the resource, the Messages list and ``/_fake/messages``) is the rendered text. An unknown
  ``ContentSid`` → 400 code 21655 ("The ContentSid is Invalid": deleted, other account or typo).
  A placeholder without a non-empty string value → 400 code 21656 ("The ContentVariables
  Parameter is invalid"; Twilio could fall back on a default placeholder value defined in the
  template, the fake knows none). ``ContentVariables`` without ``ContentSid`` → 400 code
  21654. Codes from https://www.twilio.com/docs/api/errors; 63016 and the other WhatsApp
  delivery failures are reported later in the status, not answers to the create request. Without
  ``templates`` any ``ContentSid`` is accepted and the body stays empty.
- ``GET /2010-04-01/Accounts/{AC}/Messages.json`` with ``To``, ``From``, ``DateSent``,
  ``DateSent>``, ``DateSent<`` (``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SSZ``; the SDK sends
  ``DateSent>=…`` for ``date_sent_after``, i.e. key ``DateSent>``), ``PageSize`` (default 50),
  ``Page``, ``PageToken`` → a page ``{"messages": […], "next_page_uri": …, …}``, newest first.
  ``date_sent`` equals ``date_created`` here, as sending is instant.
- ``GET /2010-04-01/Accounts/{AC}/Messages/{SM}.json`` → one message resource.

Faults (``faults``): ``messages_create`` on the POST, ``messages_list`` on the list.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Depends, Request
from fastapi.responses import Response

from devtools.fake_twilio.delivery import deliver
from devtools.fake_twilio.deps import FakeTwilioDep, authenticate
from devtools.fake_twilio.store import Message
from devtools.fake_twilio.wire import (
    ACCOUNT_PREFIX,
    ADDRESS,
    API_VERSION,
    TwilioError,
    new_sid,
    page,
)

# Content API placeholders: ``{{1}}``, tolerating inner spaces as
# ``switchboard.message_templates`` does.
_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")

router = APIRouter(prefix=ACCOUNT_PREFIX, dependencies=[Depends(authenticate)])


@router.post("/Messages.json", status_code=201, response_model=None)
async def create_message(
    account: str, request: Request, background: BackgroundTasks, fake: FakeTwilioDep
) -> dict[str, Any] | Response:
    reset = await fake.faults.inject("messages_create", request)
    form = await request.form()
    to = str(form.get("To") or "")
    from_ = str(form.get("From") or "")
    body = form.get("Body")
    content_sid = form.get("ContentSid")
    content_variables = form.get("ContentVariables")
    media_urls = [str(url) for url in form.getlist("MediaUrl")]
    if not to:
        raise TwilioError(400, 21604, "A 'To' phone number is required.")
    if not ADDRESS.match(to):
        raise TwilioError(400, 21211, f"The 'To' number {to} is not a valid phone number.")
    if not from_:
        raise TwilioError(400, 21603, "A 'From' phone number is required.")
    if body is None and content_sid is None and not media_urls:
        raise TwilioError(400, 21602, "Message body is required.")
    variables: dict[str, Any] = {}
    if content_variables is not None:
        if content_sid is None:
            raise TwilioError(
                400,
                21654,
                "A ContentSid must be specified if ContentVariables are provided.",
            )
        try:
            parsed = json.loads(str(content_variables))
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            raise TwilioError(400, 21656, "The ContentVariables Parameter is invalid.")
        variables = parsed
    text = None if body is None else str(body)
    if content_sid is not None and fake.templates is not None:
        approved = fake.templates.get(str(content_sid))
        if approved is None:
            raise TwilioError(400, 21655, "The ContentSid is Invalid")
        # What Twilio sends, and what its Messages list returns as the body.
        text = _render(approved, variables)
    callback = form.get("StatusCallback")
    message = Message(
        sid=new_sid("SM"),
        account_sid=account,
        to=to,
        from_=from_,
        body=text,
        content_sid=None if content_sid is None else str(content_sid),
        content_variables=None if content_variables is None else str(content_variables),
        status_callback=None if callback is None else str(callback),
        media_urls=media_urls,
        created_at=datetime.now(UTC),
    )
    fake.store.add_message(message)
    fake.faults.stats["messages_create"].recorded += 1
    plan = fake.delivery.plan(message)  # drawn now: the same creates give the same lifecycles
    background.add_task(
        deliver,
        message,
        plan,
        config=fake.delivery.config,
        sign=fake.validator.compute_signature,
        delivery=fake.delivery,
    )
    return fake.faults.answer("messages_create", reset, 201) or message.resource()


@router.get("/Messages.json", response_model=None)
async def list_messages(
    account: str, request: Request, fake: FakeTwilioDep
) -> dict[str, Any] | Response:
    reset = await fake.faults.inject("messages_list", request)
    query = request.query_params
    rows = list(fake.store.messages.values())
    if "To" in query:
        rows = [m for m in rows if m.to == query["To"]]
    if "From" in query:
        rows = [m for m in rows if m.from_ == query["From"]]
    # Twilio's resolution is one second; the filters compare whole seconds.
    if "DateSent" in query:
        start, end = _date_bounds(query["DateSent"])
        rows = [m for m in rows if start <= m.created_at.replace(microsecond=0) < end]
    if "DateSent>" in query:
        start, _ = _date_bounds(query["DateSent>"])
        rows = [m for m in rows if m.created_at.replace(microsecond=0) >= start]
    if "DateSent<" in query:
        _, end = _date_bounds(query["DateSent<"])
        rows = [m for m in rows if m.created_at.replace(microsecond=0) < end]
    rows.reverse()  # newest first, as Twilio lists them
    listed = page(
        [m.resource() for m in rows],
        request,
        f"/{API_VERSION}/Accounts/{account}/Messages.json",
        "messages",
    )
    return fake.faults.answer("messages_list", reset, 200) or listed


@router.get("/Messages/{sid}.json")
async def fetch_message(sid: str, fake: FakeTwilioDep) -> dict[str, Any]:
    message = fake.store.messages.get(sid)
    if message is None:
        raise TwilioError(404, 20404, f"The requested resource /Messages/{sid}.json was not found")
    return message.resource()


def _render(body: str, variables: dict[str, Any]) -> str:
    """Fill ``{{n}}`` placeholders. Raises ``TwilioError`` 21656 naming a missing value."""

    def value(match: re.Match[str]) -> str:
        found = variables.get(match.group(1))
        if not isinstance(found, str) or not found:
            raise TwilioError(
                400,
                21656,
                f"The ContentVariables Parameter is invalid: no value for {{{{{match.group(1)}}}}}",
            )
        return found

    return _PLACEHOLDER.sub(value, body)


def _date_bounds(value: str) -> tuple[datetime, datetime]:
    """``YYYY-MM-DD`` → that UTC day; ``YYYY-MM-DDTHH:MM:SSZ`` → that second. Half-open."""
    try:
        if len(value) == 10:
            start = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
            return start, start + timedelta(days=1)
        start = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError as exc:
        raise TwilioError(400, 20001, f"Invalid date: {value}") from exc
    return start, start + timedelta(seconds=1)
