"""The local Twilio sandbox: the parts of Twilio's REST API (2010-04-01) Switchboard uses.

Twilio routes (Basic auth with the account SID and auth token; errors as Twilio's error JSON
``{"code", "message", "more_info", "status"}``, e.g. 401 code 20003):

- ``POST /2010-04-01/Accounts/{AC}/Messages.json`` (form ``To``, ``From``, ``Body``,
  ``ContentSid``, ``ContentVariables``, ``StatusCallback``, ``MediaUrl``…) → 201 message
  resource, status ``queued``. The sandbox delivers every accepted message at once: in the
  background the status becomes ``sent`` then ``delivered``, and each step is POSTed to
  ``StatusCallback`` signed with ``X-Twilio-Signature`` like Twilio's (Twilio docs, "Webhooks
  security"; "Track the message status of outbound messages").
  Templates: given ``templates`` (content SID → approved body), a ``ContentSid`` send is rendered
  the way Twilio renders it, ``{{1}}`` → ``ContentVariables["1"]``, and the message's ``body``
  (in the resource, the Messages list and ``/sandbox/messages``) is the rendered text. An unknown
  ``ContentSid`` → 400 code 21655 ("The ContentSid is Invalid": deleted, other account or typo).
  A placeholder without a non-empty string value → 400 code 21656 ("The ContentVariables
  Parameter is invalid"; Twilio could fall back on a default placeholder value defined in the
  template, the sandbox knows none). ``ContentVariables`` without ``ContentSid`` → 400 code
  21654. Codes from https://www.twilio.com/docs/api/errors; 63027/63028 are WhatsApp delivery
  failures reported later in the status, not answers to the create request. Without
  ``templates`` any ``ContentSid`` is accepted and the body stays empty.
- ``GET /2010-04-01/Accounts/{AC}/Messages.json`` with ``To``, ``From``, ``DateSent``,
  ``DateSent>``, ``DateSent<`` (``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SSZ``; the SDK sends
  ``DateSent>=…`` for ``date_sent_after``, i.e. key ``DateSent>``), ``PageSize`` (default 50),
  ``Page``, ``PageToken`` → a page ``{"messages": […], "next_page_uri": …, …}``, newest first.
  ``date_sent`` equals ``date_created`` here, as sending is instant.
- ``GET /2010-04-01/Accounts/{AC}/Messages/{SM}.json`` → one message resource.
- ``POST /2010-04-01/Accounts/{AC}/Calls.json`` (form ``To``, ``From``, ``Url``,
  ``StatusCallback``) → 201 call resource, status ``queued``. TwiML is not executed.
- ``GET /2010-04-01/Accounts/{AC}/Messages/{MM}/Media/{ME}`` and
  ``GET /2010-04-01/Accounts/{AC}/Recordings/{RE}`` (optionally ``.wav``/``.mp3``) → 307 to a
  short-lived ``/sandbox/cdn/{token}`` URL, like Twilio's redirect to its CDN.

Sandbox routes (no auth):

- ``POST /sandbox/media?kind=message|recording``: raw body + ``Content-Type`` → ``{"url", "sid",
  "content_type"}``, ``url`` being the Twilio-style URL above on ``public_url``.
- ``GET /sandbox/cdn/{token}``: the bytes with their original ``Content-Type``; 404 once expired.
- ``GET /sandbox/messages``, ``GET /sandbox/calls``: what was sent, oldest first, e.g.
  ``{"sid", "account_sid", "to", "from", "body", "content_sid", "content_variables" (an object),
  "status_callback", "media_urls", "status", "created_at" (ISO 8601 UTC)}``.
- ``POST /sandbox/faults``, ``GET /sandbox/faults``, ``DELETE /sandbox/faults``, ``GET
  /sandbox/stats``: failure injection and counters, below.
- ``POST /sandbox/reset``: forget messages, calls, media and counters, empty the journal, and
  go back to the fault configuration the app started with.

State lives in memory. With ``journal_path``, each accepted message and call is also appended as
one JSON line (``{"kind": "message"|"call", …}``) and replayed at start, so a later tool can count
sends from the sandbox's own records.

Failure injection (off unless configured) makes the sandbox misbehave the way a vendor does, per
operation: ``messages_create`` (POST Messages.json), ``calls_create`` (POST Calls.json),
``messages_list`` (GET Messages.json) and ``media`` (the two media redirects above).
``POST /sandbox/faults`` takes ``FaultConfig`` as JSON and replaces the whole configuration
(an operation left out gets no faults; unknown keys → 422), e.g.::

    {"seed": 7,
     "messages_create": {"error_500": 0.1, "error_429": 0.05, "retry_after_s": 1,
                         "timeout": 0.05, "timeout_s": 15, "slow": 0.1, "slow_ms": 800,
                         "reset_after_accept": 0.05},
     "calls_create": {…}, "media": {…}, "messages_list": {…}}

Each rate is a probability per request (0–1). ``error_500``, ``error_429``, ``timeout`` and
``reset_after_accept`` exclude each other (their sum must be ≤ 1); ``slow`` is drawn on its own
and happens first. After authentication, before the request is validated:

- ``error_500`` → 500, Twilio code 20500; nothing recorded.
- ``error_429`` → 429, Twilio code 20429, ``Retry-After: retry_after_s`` (whole seconds);
  nothing recorded.
- ``timeout`` → the request is held for ``timeout_s`` seconds (less if the client hangs up
  first, as a client with a shorter timeout does), then 504 with a plain-text body as an edge
  proxy answers (Twilio documents no error code for it); nothing recorded.
- ``slow`` → sleeps ``slow_ms`` milliseconds, then the request proceeds. The sleep does not
  watch the client: a client that gives up meanwhile still gets its message sent, the
  ambiguous case reconciliation exists for.
- ``reset_after_accept`` → the request is carried out (a message or call is recorded and
  delivered: it counts as sent) and then the TCP connection is reset (RST, no response at all).
  When the server's transport is out of reach (not uvicorn, or ``--log-level trace``), the
  response headers are sent with a ``Content-Length`` and the body never follows instead. A
  request Twilio would refuse (400) is answered normally.

Draws come from one ``random.Random`` per operation seeded with ``"{seed}/{operation}"``: the
same seed and the same sequence of requests per operation give the same faults, whatever the
other operations do. Without ``seed`` one is picked at random; ``GET /sandbox/faults`` shows the
configuration in force, seed included, so a run can be replayed. ``DELETE /sandbox/faults``
turns every fault off.

``GET /sandbox/stats`` → ``{"operations": {op: {"requests", "answered", "recorded", "faults":
{kind: n}}}, "messages", "calls", "messages_by_recipient", "calls_by_recipient"}``:
``requests`` counts authenticated requests per operation, ``faults`` the faults injected by kind,
``answered`` the requests that got a normal 2xx/3xx answer, ``recorded`` the messages or calls
that operation recorded (including those whose connection was then reset; 0 for reads).
``messages``/``calls`` count every record held (journal included) and ``…_by_recipient`` count
them per ``To``. Twilio takes no idempotency key, so the sandbox cannot tell a duplicate from a
second message that was meant: a chaos checker compares these counts with what the journeys
intended to send.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
import logging
import random
import re
import secrets
import socket
import struct
import time
import uuid
from collections import Counter
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any, Literal, Self, get_args
from urllib.parse import urlencode, urlsplit

import httpx
from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.types import Receive, Scope, Send
from twilio.request_validator import RequestValidator

logger = logging.getLogger(__name__)

API_VERSION = "2010-04-01"
_ADDRESS = re.compile(r"^(whatsapp:)?\+[1-9]\d{6,14}$")  # E.164: at most 15 digits
_CDN_TTL_S = 300.0  # how long a redirect target stays valid
_DEFAULT_PAGE_SIZE = 50  # Twilio's default
_MAX_PAGE_SIZE = 1000  # Twilio's maximum
# Content API placeholders: ``{{1}}``, tolerating inner spaces as
# ``switchboard.message_templates`` does.
_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")

Operation = Literal["messages_create", "calls_create", "media", "messages_list"]
FaultKind = Literal["error_500", "error_429", "timeout", "slow", "reset_after_accept"]
OPERATIONS: tuple[Operation, ...] = get_args(Operation)
FAULT_KINDS: tuple[FaultKind, ...] = get_args(FaultKind)
# The faults that decide a request's outcome, in the order a draw is mapped onto them. ``slow``
# is drawn separately: it delays a request without deciding it.
_EXCLUSIVE: tuple[FaultKind, ...] = ("error_500", "error_429", "timeout", "reset_after_accept")


class TwilioError(Exception):
    """An error answered in Twilio's JSON shape (https://www.twilio.com/docs/api/errors)."""

    def __init__(
        self, status: int, code: int, message: str, *, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


class _EdgeTimeout(Exception):
    """Answered as 504 with a plain-text body, as a proxy in front of an API answers."""


class FaultRates(BaseModel):
    """Faults for one operation; rates are probabilities per request (module docstring)."""

    model_config = ConfigDict(extra="forbid")

    error_500: float = Field(0.0, ge=0, le=1)
    error_429: float = Field(0.0, ge=0, le=1)
    retry_after_s: int = Field(1, ge=0, le=3600)  # Retry-After is whole seconds (RFC 9110)
    timeout: float = Field(0.0, ge=0, le=1)
    timeout_s: float = Field(15.0, gt=0, le=600)
    slow: float = Field(0.0, ge=0, le=1)
    slow_ms: int = Field(800, ge=0, le=600_000)
    reset_after_accept: float = Field(0.0, ge=0, le=1)

    @model_validator(mode="after")
    def _outcomes_exclude_each_other(self) -> Self:
        total = sum(getattr(self, kind) for kind in _EXCLUSIVE)
        if total > 1 + 1e-9:
            raise ValueError(f"{' + '.join(_EXCLUSIVE)} must be at most 1, got {total:g}")
        return self


class FaultConfig(BaseModel):
    """The whole failure-injection configuration: a seed and the faults of each operation."""

    model_config = ConfigDict(extra="forbid")

    seed: int | None = None
    messages_create: FaultRates = FaultRates()
    calls_create: FaultRates = FaultRates()
    media: FaultRates = FaultRates()
    messages_list: FaultRates = FaultRates()

    def rates(self, operation: Operation) -> FaultRates:
        rates: FaultRates = getattr(self, operation)
        return rates


def _sid(prefix: str) -> str:
    """A Twilio-shaped SID: two-letter prefix + 32 hex digits."""
    return prefix + uuid.uuid4().hex


def _rfc2822(moment: datetime) -> str:
    """Twilio's timestamp format, e.g. ``Thu, 30 Jul 2015 20:12:31 +0000``."""
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0))


@dataclass
class _Message:
    sid: str
    account_sid: str
    to: str
    from_: str
    body: str | None
    content_sid: str | None
    content_variables: str | None
    status_callback: str | None
    media_urls: list[str]
    created_at: datetime
    status: str = "queued"

    def resource(self) -> dict[str, Any]:
        """The Message resource as Twilio returns it (Twilio docs, "Message resource")."""
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{self.sid}"
        return {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": self.body or "",
            "date_created": _rfc2822(self.created_at),
            "date_sent": _rfc2822(self.created_at),
            "date_updated": _rfc2822(self.created_at),
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": self.from_,
            "messaging_service_sid": None,
            "num_media": str(len(self.media_urls)),
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": self.sid,
            "status": self.status,
            "subresource_uris": {
                "media": f"{uri}/Media.json",
                "feedback": f"{uri}/Feedback.json",
            },
            "to": self.to,
            "uri": f"{uri}.json",
        }

    def record(self) -> dict[str, Any]:
        """The inspection (``GET /sandbox/messages``) and journal shape."""
        return {
            "sid": self.sid,
            "account_sid": self.account_sid,
            "to": self.to,
            "from": self.from_,
            "body": self.body,
            "content_sid": self.content_sid,
            # Parsed (validated on receipt as a JSON object) so readers need not decode it.
            "content_variables": (
                None if self.content_variables is None else json.loads(self.content_variables)
            ),
            "status_callback": self.status_callback,
            "media_urls": self.media_urls,
            "status": self.status,
            "created_at": self.created_at.isoformat(),
        }


@dataclass
class _Call:
    sid: str
    account_sid: str
    to: str
    from_: str
    url: str
    status_callback: str | None
    created_at: datetime
    status: str = "queued"

    def resource(self) -> dict[str, Any]:
        """The Call resource as Twilio returns it (Twilio docs, "Call resource")."""
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Calls/{self.sid}"
        return {
            "account_sid": self.account_sid,
            "answered_by": None,
            "api_version": API_VERSION,
            "caller_name": None,
            "date_created": _rfc2822(self.created_at),
            "date_updated": _rfc2822(self.created_at),
            "direction": "outbound-api",
            "duration": None,
            "end_time": None,
            "forwarded_from": None,
            "from": self.from_,
            "from_formatted": self.from_,
            "group_sid": None,
            "parent_call_sid": None,
            "phone_number_sid": None,
            "price": None,
            "price_unit": "USD",
            "queue_time": "0",
            "sid": self.sid,
            "start_time": None,
            "status": self.status,
            "subresource_uris": {"recordings": f"{uri}/Recordings.json"},
            "to": self.to,
            "to_formatted": self.to,
            "trunk_sid": None,
            "uri": f"{uri}.json",
        }

    def record(self) -> dict[str, Any]:
        """The inspection (``GET /sandbox/calls``) and journal shape."""
        return {
            "sid": self.sid,
            "account_sid": self.account_sid,
            "to": self.to,
            "from": self.from_,
            "url": self.url,
            "status_callback": self.status_callback,
            "status": self.status,
            "created_at": self.created_at.isoformat(),
        }


@dataclass
class _Media:
    sid: str
    content_type: str
    data: bytes


@dataclass
class _State:
    journal_path: Path | None
    messages: dict[str, _Message] = field(default_factory=dict)
    calls: dict[str, _Call] = field(default_factory=dict)
    media: dict[str, _Media] = field(default_factory=dict)
    cdn: dict[str, tuple[str, float]] = field(default_factory=dict)  # token → (sid, deadline)

    def add_message(self, message: _Message) -> None:
        self.messages[message.sid] = message
        self._journal("message", message.record())

    def add_call(self, call: _Call) -> None:
        self.calls[call.sid] = call
        self._journal("call", call.record())

    def _journal(self, kind: Literal["message", "call"], row: dict[str, Any]) -> None:
        if self.journal_path is None:
            return
        with self.journal_path.open("a", encoding="utf-8") as journal:
            journal.write(json.dumps({"kind": kind, **row}) + "\n")

    def load(self) -> None:
        """Replay the journal. Messages come back ``delivered``: the sandbox delivers at once."""
        if self.journal_path is None:
            return
        self.journal_path.parent.mkdir(parents=True, exist_ok=True)
        if not self.journal_path.exists():
            return
        for line in self.journal_path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            created_at = datetime.fromisoformat(row["created_at"])
            if row["kind"] == "message":
                self.messages[row["sid"]] = _Message(
                    sid=row["sid"],
                    account_sid=row["account_sid"],
                    to=row["to"],
                    from_=row["from"],
                    body=row["body"],
                    content_sid=row["content_sid"],
                    content_variables=(
                        None
                        if row["content_variables"] is None
                        else json.dumps(row["content_variables"])
                    ),
                    status_callback=row["status_callback"],
                    media_urls=row["media_urls"],
                    created_at=created_at,
                    status="delivered",
                )
            elif row["kind"] == "call":
                self.calls[row["sid"]] = _Call(
                    sid=row["sid"],
                    account_sid=row["account_sid"],
                    to=row["to"],
                    from_=row["from"],
                    url=row["url"],
                    status_callback=row["status_callback"],
                    created_at=created_at,
                    status=row["status"],
                )

    def reset(self) -> None:
        self.messages.clear()
        self.calls.clear()
        self.media.clear()
        self.cdn.clear()
        if self.journal_path is not None:
            self.journal_path.write_text("", encoding="utf-8")


@dataclass
class _OperationStats:
    requests: int = 0
    answered: int = 0
    recorded: int = 0
    faults: Counter[FaultKind] = field(default_factory=Counter)

    def snapshot(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "answered": self.answered,
            "recorded": self.recorded,
            "faults": {kind: self.faults[kind] for kind in FAULT_KINDS},
        }


class _Faults:
    """The fault configuration in force, its random streams, and the per-operation counters."""

    def __init__(self, initial: FaultConfig) -> None:
        self._initial = initial
        self.config = initial
        self._rngs: dict[Operation, random.Random] = {}
        self.stats: dict[Operation, _OperationStats] = {}
        self.configure(initial)
        self.clear_stats()

    def configure(self, config: FaultConfig) -> FaultConfig:
        """Replace the configuration and restart the random streams; returns it with its seed."""
        seed = config.seed if config.seed is not None else random.SystemRandom().getrandbits(32)
        self.config = config.model_copy(update={"seed": seed})
        # One stream per operation, so that how often one operation is called does not shift
        # another's draws. A str seed is hashed with SHA-512 (random.seed, version 2): stable
        # across processes, unlike hash().
        self._rngs = {op: random.Random(f"{seed}/{op}") for op in OPERATIONS}
        return self.config

    def restore(self) -> None:
        """Back to the configuration the app started with (same seed, streams restarted)."""
        self.configure(self._initial)

    def clear_stats(self) -> None:
        self.stats = {op: _OperationStats() for op in OPERATIONS}

    def draw(self, operation: Operation) -> tuple[bool, FaultKind | None]:
        """``(slow, outcome)`` for the next request of ``operation``; outcome None = no fault.

        Always two draws per request, whatever the rates, so a stream stays aligned with the
        request count.
        """
        rates = self.config.rates(operation)
        rng = self._rngs[operation]
        slow = rng.random() < rates.slow
        point = rng.random()
        for kind in _EXCLUSIVE:
            rate: float = getattr(rates, kind)
            if point < rate:
                return slow, kind
            point -= rate
        return slow, None


# uvicorn's own ``send`` for the request being handled: a bound method of its per-request cycle,
# whose ``transport`` is the client connection. Starlette's middleware wraps ``send`` before a
# route sees it, so ``_SandboxApp`` keeps the server's one here.
_server_send: ContextVar[Send | None] = ContextVar("sandbox_server_send", default=None)


class _SandboxApp(FastAPI):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _server_send.set(send)
        try:
            await super().__call__(scope, receive, send)
        finally:
            _server_send.reset(token)


async def _abort_connection() -> bool:
    """Reset the client's TCP connection of the current request; False when out of reach.

    Reaches into uvicorn (``send.__self__.transport``, true of its h11 and httptools protocols),
    sets ``SO_LINGER`` to zero so that closing sends RST rather than FIN, and aborts the
    transport without writing anything.
    """
    send = _server_send.get()
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None or not callable(getattr(transport, "abort", None)):
        return False
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError, AttributeError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    # The server learns of the loss (connection_lost → cycle.disconnected) on a later loop
    # iteration; until it has, it would still try to write the response and log about it.
    for _ in range(100):
        if getattr(cycle, "disconnected", True):
            break
        await asyncio.sleep(0)
    return True


class _ConnectionReset(Response):
    """Returned by a route whose request was carried out but must look unanswered.

    Resets the connection (``_abort_connection``); where that is out of reach, sends the headers
    with a ``Content-Length`` and no body, which leaves the server no choice but to close the
    connection. Background tasks (status callbacks) still run: the work was done.
    """

    def __init__(self, status_code: int) -> None:
        super().__init__(status_code=status_code)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not await _abort_connection():
            await send(
                {
                    "type": "http.response.start",
                    "status": self.status_code,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", b"1024"),
                    ],
                }
            )
        if self.background is not None:
            await self.background()


async def _hold(request: Request, seconds: float) -> None:
    """Wait ``seconds``, or until the client has hung up: nobody is left to answer then."""
    await request.body()  # drained, so receive() can only report a disconnect from now on
    deadline = time.monotonic() + seconds
    while (remaining := deadline - time.monotonic()) > 0:
        if await request.is_disconnected():
            return
        await asyncio.sleep(min(remaining, 0.05))


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


def _page(rows: list[dict[str, Any]], request: Request, path: str, key: str) -> dict[str, Any]:
    """One page of a Twilio list resource, with the paging fields the SDK follows."""
    query = request.query_params
    try:
        size = min(int(query.get("PageSize", _DEFAULT_PAGE_SIZE)), _MAX_PAGE_SIZE)
        page = int(query.get("Page", 0))
    except ValueError as exc:
        raise TwilioError(400, 20001, "Invalid paging parameter") from exc
    if size < 1 or page < 0:
        raise TwilioError(400, 20001, "Invalid paging parameter")
    start_index = page * size
    chunk = rows[start_index : start_index + size]
    filters = [(k, v) for k, v in query.multi_items() if k not in ("Page", "PageSize", "PageToken")]

    def page_uri(number: int) -> str:
        paging = [("PageSize", str(size)), ("Page", str(number))]
        if number > 0:
            paging.append(("PageToken", f"PA{number * size}"))
        return f"{path}?{urlencode(filters + paging)}"

    return {
        key: chunk,
        "end": start_index + max(len(chunk) - 1, 0),
        "first_page_uri": page_uri(0),
        "next_page_uri": page_uri(page + 1) if start_index + size < len(rows) else None,
        "page": page,
        "page_size": size,
        "previous_page_uri": page_uri(page - 1) if page > 0 else None,
        "start": start_index,
        "uri": page_uri(page),
    }


def _log_url(url: str) -> str:
    """Host and path only: callback query strings may carry tokens."""
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path}"


def create_sandbox_app(
    *,
    account_sid: str,
    auth_token: str,
    public_url: str,
    journal_path: Path | None = None,
    templates: dict[str, str] | None = None,
    faults: FaultConfig | None = None,
) -> FastAPI:
    """Build the sandbox (module docstring lists the routes).

    ``account_sid``/``auth_token``: the only credentials accepted, also the key signing status
    callbacks. ``public_url``: this server's base URL as clients reach it, used in media URLs and
    CDN redirects. ``journal_path``: optional JSON-lines record of sends, replayed at start.
    ``templates``: approved template bodies by content SID (``HX…`` → ``"Hi {{1}}"``); None
    accepts any ``ContentSid`` without rendering it. ``faults``: the failure injection to start
    with (also what ``POST /sandbox/reset`` returns to); None injects nothing.
    """
    public_url = public_url.rstrip("/")
    state = _State(journal_path=journal_path)
    state.load()
    validator = RequestValidator(auth_token)
    injector = _Faults(faults or FaultConfig())

    app = _SandboxApp(title="Switchboard Twilio sandbox")
    app.state.sandbox = state
    app.state.faults = injector

    @app.exception_handler(TwilioError)
    async def twilio_error(_: Request, exc: TwilioError) -> JSONResponse:
        headers = dict(exc.headers)
        if exc.status == 401:
            headers["WWW-Authenticate"] = 'Basic realm="Twilio API"'
        return JSONResponse(
            {
                "code": exc.code,
                "message": exc.message,
                "more_info": f"https://www.twilio.com/docs/errors/{exc.code}",
                "status": exc.status,
            },
            status_code=exc.status,
            headers=headers,
        )

    @app.exception_handler(_EdgeTimeout)
    async def edge_timeout(_: Request, __: _EdgeTimeout) -> PlainTextResponse:
        return PlainTextResponse("Gateway Timeout", status_code=504)

    async def inject(operation: Operation, request: Request) -> bool:
        """Count the request and apply the faults drawn for it (module docstring).

        Raises ``TwilioError`` (500, 429) or ``_EdgeTimeout``, possibly after holding the
        request; returns True when the caller must carry the request out and then reset the
        connection (``_ConnectionReset``).
        """
        stats = injector.stats[operation]
        rates = injector.config.rates(operation)
        stats.requests += 1
        slow, outcome = injector.draw(operation)
        if slow:
            stats.faults["slow"] += 1
            await asyncio.sleep(rates.slow_ms / 1000)
        if outcome == "error_500":
            stats.faults[outcome] += 1
            raise TwilioError(500, 20500, "Internal Server Error")
        if outcome == "error_429":
            stats.faults[outcome] += 1
            raise TwilioError(
                429,
                20429,
                "Too Many Requests",
                headers={"Retry-After": str(rates.retry_after_s)},
            )
        if outcome == "timeout":
            stats.faults[outcome] += 1
            await _hold(request, rates.timeout_s)
            raise _EdgeTimeout
        return outcome == "reset_after_accept"

    def answer(operation: Operation, reset: bool, status_code: int) -> Response | None:
        """After a request was carried out: the reset response, or None to answer normally."""
        if reset:
            injector.stats[operation].faults["reset_after_accept"] += 1
            return _ConnectionReset(status_code)
        injector.stats[operation].answered += 1
        return None

    async def authenticate(request: Request) -> None:
        """Basic auth with the account SID and auth token, for the account in the path."""
        scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
        try:
            user, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            user = password = ""
        if not (
            scheme.lower() == "basic"
            and secrets.compare_digest(user.encode(), account_sid.encode())
            and secrets.compare_digest(password.encode(), auth_token.encode())
        ):
            raise TwilioError(401, 20003, "Authenticate")
        if request.path_params.get("account") != account_sid:
            raise TwilioError(404, 20404, "The requested resource was not found")

    api = APIRouter(
        prefix=f"/{API_VERSION}/Accounts/{{account}}", dependencies=[Depends(authenticate)]
    )

    async def deliver(message: _Message) -> None:
        """Advance ``message`` to sent, then delivered, POSTing each step to its callback
        (form-encoded, as Twilio does). Callback failures are logged and ignored."""
        url = message.status_callback
        if url is None:
            message.status = "delivered"
            return
        async with httpx.AsyncClient(timeout=5) as client:
            for status in ("sent", "delivered"):
                message.status = status
                params = {
                    "AccountSid": message.account_sid,
                    "ApiVersion": API_VERSION,
                    "From": message.from_,
                    "MessageSid": message.sid,
                    "MessageStatus": status,
                    "SmsSid": message.sid,
                    "SmsStatus": status,
                    "To": message.to,
                }
                signature = validator.compute_signature(url, params)
                try:
                    response = await client.post(
                        url,
                        data=params,
                        headers={"X-Twilio-Signature": signature},
                    )
                except httpx.HTTPError as exc:
                    logger.warning(
                        "status callback failed: sid=%s status=%s url=%s error=%s",
                        message.sid,
                        status,
                        _log_url(url),
                        type(exc).__name__,
                    )
                    continue
                if response.status_code >= 400:
                    logger.warning(
                        "status callback refused: sid=%s status=%s url=%s http=%s",
                        message.sid,
                        status,
                        _log_url(url),
                        response.status_code,
                    )

    @api.post("/Messages.json", status_code=201, response_model=None)
    async def create_message(
        account: str, request: Request, background: BackgroundTasks
    ) -> dict[str, Any] | Response:
        reset = await inject("messages_create", request)
        form = await request.form()
        to = str(form.get("To") or "")
        from_ = str(form.get("From") or "")
        body = form.get("Body")
        content_sid = form.get("ContentSid")
        content_variables = form.get("ContentVariables")
        media_urls = [str(url) for url in form.getlist("MediaUrl")]
        if not to:
            raise TwilioError(400, 21604, "A 'To' phone number is required.")
        if not _ADDRESS.match(to):
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
        if content_sid is not None and templates is not None:
            approved = templates.get(str(content_sid))
            if approved is None:
                raise TwilioError(400, 21655, "The ContentSid is Invalid")
            # What Twilio sends, and what its Messages list returns as the body.
            text = _render(approved, variables)
        callback = form.get("StatusCallback")
        message = _Message(
            sid=_sid("SM"),
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
        state.add_message(message)
        injector.stats["messages_create"].recorded += 1
        background.add_task(deliver, message)
        return answer("messages_create", reset, 201) or message.resource()

    @api.get("/Messages.json", response_model=None)
    async def list_messages(account: str, request: Request) -> dict[str, Any] | Response:
        reset = await inject("messages_list", request)
        query = request.query_params
        rows = list(state.messages.values())
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
        page = _page(
            [m.resource() for m in rows],
            request,
            f"/{API_VERSION}/Accounts/{account}/Messages.json",
            "messages",
        )
        return answer("messages_list", reset, 200) or page

    @api.get("/Calls.json", response_model=None)
    async def list_calls(account: str, request: Request) -> dict[str, Any]:
        """Calls, newest first, filtered by ``To`` (what reconciliation after a crash needs)."""
        rows = list(state.calls.values())
        if "To" in request.query_params:
            rows = [c for c in rows if c.to == request.query_params["To"]]
        rows.reverse()
        return _page(
            [c.resource() for c in rows],
            request,
            f"/{API_VERSION}/Accounts/{account}/Calls.json",
            "calls",
        )

    @api.get("/Messages/{sid}.json")
    async def fetch_message(sid: str) -> dict[str, Any]:
        message = state.messages.get(sid)
        if message is None:
            raise TwilioError(
                404, 20404, f"The requested resource /Messages/{sid}.json was not found"
            )
        return message.resource()

    @api.post("/Calls.json", status_code=201, response_model=None)
    async def create_call(account: str, request: Request) -> dict[str, Any] | Response:
        reset = await inject("calls_create", request)
        form = await request.form()
        to = str(form.get("To") or "")
        from_ = str(form.get("From") or "")
        url = str(form.get("Url") or "")
        if not to:
            raise TwilioError(400, 21201, "No 'To' number is specified")
        if not _ADDRESS.match(to):
            raise TwilioError(400, 21211, f"Invalid 'To' Phone Number: {to}")
        if not from_:
            raise TwilioError(400, 21213, "No 'From' number is specified")
        if not url.startswith(("http://", "https://")):
            raise TwilioError(400, 21205, "Url parameter is required and must be an http(s) URL")
        callback = form.get("StatusCallback")
        call = _Call(
            sid=_sid("CA"),
            account_sid=account,
            to=to,
            from_=from_,
            url=url,
            status_callback=None if callback is None else str(callback),
            created_at=datetime.now(UTC),
        )
        state.add_call(call)
        injector.stats["calls_create"].recorded += 1
        return answer("calls_create", reset, 201) or call.resource()

    def redirect_to_cdn(sid: str) -> Response:
        media = state.media.get(sid)
        if media is None:
            raise TwilioError(404, 20404, "The requested resource was not found")
        now = time.monotonic()
        for stale in [t for t, (_, deadline) in state.cdn.items() if deadline < now]:
            del state.cdn[stale]
        token = secrets.token_urlsafe(24)
        state.cdn[token] = (sid, now + _CDN_TTL_S)
        return RedirectResponse(f"{public_url}/sandbox/cdn/{token}", status_code=307)

    @api.get("/Messages/{message_sid}/Media/{media_sid}")
    async def message_media(message_sid: str, media_sid: str, request: Request) -> Response:
        reset = await inject("media", request)
        redirect = redirect_to_cdn(media_sid)
        return answer("media", reset, redirect.status_code) or redirect

    @api.get("/Recordings/{recording}")
    async def recording_media(recording: str, request: Request) -> Response:
        reset = await inject("media", request)
        # Twilio serves WAV at the bare URL and MP3 at ``.mp3``; the sandbox serves the uploaded
        # bytes either way.
        redirect = redirect_to_cdn(recording.removesuffix(".wav").removesuffix(".mp3"))
        return answer("media", reset, redirect.status_code) or redirect

    app.include_router(api)

    @app.post("/sandbox/media")
    async def upload_media(
        request: Request, kind: Literal["message", "recording"] = "message"
    ) -> dict[str, str]:
        content_type = request.headers.get("Content-Type", "application/octet-stream")
        base = f"{public_url}/{API_VERSION}/Accounts/{account_sid}"
        if kind == "recording":
            sid = _sid("RE")
            url = f"{base}/Recordings/{sid}"
        else:
            sid = _sid("ME")
            url = f"{base}/Messages/{_sid('MM')}/Media/{sid}"
        state.media[sid] = _Media(sid=sid, content_type=content_type, data=await request.body())
        return {"url": url, "sid": sid, "content_type": content_type}

    @app.get("/sandbox/cdn/{token}")
    async def cdn(token: str) -> Response:
        sid, deadline = state.cdn.get(token, ("", 0.0))
        media = state.media.get(sid)
        if media is None or time.monotonic() > deadline:
            state.cdn.pop(token, None)
            return Response(status_code=404)
        # Set the header directly: ``media_type=`` would append a charset to text/* types.
        return Response(media.data, headers={"Content-Type": media.content_type})

    @app.get("/sandbox/messages")
    async def sent_messages() -> list[dict[str, Any]]:
        return [m.record() for m in state.messages.values()]

    @app.get("/sandbox/calls")
    async def placed_calls() -> list[dict[str, Any]]:
        return [c.record() for c in state.calls.values()]

    @app.get("/sandbox/faults")
    async def get_faults() -> FaultConfig:
        return injector.config

    @app.post("/sandbox/faults")
    async def set_faults(config: FaultConfig) -> FaultConfig:
        return injector.configure(config)

    @app.delete("/sandbox/faults", status_code=204)
    async def clear_faults() -> None:
        injector.configure(FaultConfig())

    @app.get("/sandbox/stats")
    async def stats() -> dict[str, Any]:
        return {
            "operations": {op: injector.stats[op].snapshot() for op in OPERATIONS},
            "messages": len(state.messages),
            "calls": len(state.calls),
            "messages_by_recipient": dict(Counter(m.to for m in state.messages.values())),
            "calls_by_recipient": dict(Counter(c.to for c in state.calls.values())),
        }

    @app.post("/sandbox/reset", status_code=204)
    async def reset() -> None:
        state.reset()
        injector.restore()
        injector.clear_stats()

    return app
