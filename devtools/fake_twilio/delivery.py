"""How the fake Twilio delivers an accepted message: asynchronously, the way Twilio does.

What Twilio does (Twilio docs, "Outbound Message Status in Status Callbacks",
https://www.twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks;
"Track the Message Status of Outbound Messages",
https://www.twilio.com/docs/messaging/guides/track-outbound-message-status): the create request
is answered 201 with status ``queued``, and *no callback is sent for that initial status*; each
later change is POSTed to the message's ``StatusCallback``, form-encoded and signed
(``X-Twilio-Signature``), with ``MessageSid``, ``MessageStatus``, ``SmsSid``, ``SmsStatus``,
``AccountSid``, ``From``, ``To``, ``ApiVersion`` and, on a failure, ``ErrorCode``. Callbacks
are separate HTTP requests: nothing orders them or prevents a second delivery. For WhatsApp, a
free-form (session) message outside the 24-hour customer service window fails *after* it was
accepted: ``failed`` with ``ErrorCode`` 63016 (https://www.twilio.com/docs/api/errors/63016),
not an error of the create request.

The fake's lifecycle of one message, drawn when it is created:

- a session message (no ``ContentSid``) to a WhatsApp customer whose last message is 24 h old
  or more, or who never wrote, when ``enforce_window`` is on: ``failed``, ErrorCode 63016. The
  fake knows what the customer wrote from ``POST /_fake/inbound`` (the simulator tells it, as
  Twilio knows the messages it delivered to the webhook);
- a message to a recipient listed in ``undelivered``: ``sent``, then ``undelivered`` with the
  listed ErrorCode (e.g. 63024, "Invalid message recipient");
- otherwise ``sent``, ``delivered`` and, for WhatsApp (read receipts), ``read`` if ``read``.

With probability ``shuffle`` a message's callbacks go out in a random order, and each callback
is sent twice with probability ``duplicate``; ``delay_ms`` separates two callbacks. The draws
come from one ``random.Random`` seeded with ``"{seed}/delivery"``, drawn once per message at
create time: the same seed and the same sequence of creates give the same lifecycles. The
message resource's ``status``/``error_code`` follow the true order (Twilio's own state), whatever
order the callbacks arrive in.

``webhook_base_url`` delivers the callbacks to that origin instead of the URL's own (signed over
the URL as given), as a proxy in front of the API would: tests run the API on a loopback port
behind a public URL that does not resolve.

The fake's routes: ``POST /_fake/delivery`` takes ``DeliveryConfig`` as JSON (replacing the
whole configuration; unknown keys → 422) and ``GET /_fake/delivery`` shows it, seed included;
``POST /_fake/inbound`` ``{"from": "whatsapp:+…", "at": ISO 8601 (default now)}`` records a
customer's message. ``POST /_fake/reset`` goes back to the configuration the app started with.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import yarl
from pydantic import BaseModel, ConfigDict, Field

from devtools.fake_twilio.store import Message
from devtools.fake_twilio.wire import API_VERSION

logger = logging.getLogger(__name__)

SERVICE_WINDOW = timedelta(hours=24)  # Meta's customer service window (WhatsApp)
OUTSIDE_WINDOW = "63016"
CALLBACK_TIMEOUT_S = 15.0  # Twilio's webhook timeout
# What a callback that could not be delivered raises (``Delivery.post``).
CALLBACK_ERRORS = (aiohttp.ClientError, TimeoutError)


class DeliveryConfig(BaseModel):
    """How accepted messages are delivered (module docstring). The default: in order, at
    once, each status once, read receipts on, no window enforcement."""

    model_config = ConfigDict(extra="forbid")

    seed: int | None = None
    delay_ms: int = Field(0, ge=0, le=60_000)
    read: bool = True
    shuffle: float = Field(0.0, ge=0, le=1)
    duplicate: float = Field(0.0, ge=0, le=1)
    enforce_window: bool = False
    undelivered: dict[str, str] = Field(
        default_factory=dict, description="To address → Twilio ErrorCode of its undelivered"
    )
    webhook_base_url: str | None = Field(default=None, pattern=r"^https?://[^/?#]+$")


class InboundNote(BaseModel):
    """``POST /_fake/inbound``: the customer ``from_`` wrote at ``at`` (UTC; default now)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    from_: str = Field(alias="from", pattern=r"^(whatsapp:)?\+[1-9]\d{6,14}$")
    at: datetime | None = None


@dataclass(frozen=True)
class Step:
    status: str
    error_code: str | None = None


@dataclass(frozen=True)
class Plan:
    """One message's lifecycle: ``states`` in Twilio's order, ``callbacks`` as they go out."""

    states: list[Step]
    callbacks: list[Step]


class Delivery:
    """The delivery configuration in force, its random stream, what customers wrote, and the
    one HTTP client every callback goes out on (``client``)."""

    def __init__(self, initial: DeliveryConfig) -> None:
        self._initial = initial
        self.config = initial
        self._rng = random.Random()
        self.last_inbound: dict[str, datetime] = {}
        self._client: tuple[asyncio.AbstractEventLoop, aiohttp.ClientSession] | None = None
        self.configure(initial)

    def client(self) -> aiohttp.ClientSession:
        """The callbacks' HTTP client, made on first use in the running event loop (a new one
        if the loop changed: tests run an app in several). One client for every callback,
        its connections kept alive, as Twilio's to a webhook host are; no cap on them (Twilio
        does not queue one message's callbacks behind another's). aiohttp, not httpx: a
        callback cost ~0.35 ms of CPU through aiohttp and ~5.6 ms through httpx's pool at 30
        in flight (measured on the benchmark machine), and a new ``httpx.AsyncClient`` per
        message ~50 ms more (its SSL context) — the fake's CPU was the bench's largest."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._client[0] is not loop or self._client[1].closed:
            if self._client is not None and not self._client[1].closed:
                # Another loop's (gone, or not ours to await on): marked closed, not closed.
                self._client[1].detach()
            session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=CALLBACK_TIMEOUT_S),
                connector=aiohttp.TCPConnector(limit=0),
            )
            self._client = (loop, session)
        return self._client[1]

    async def post(self, url: str, params: dict[str, str], signature: str) -> tuple[int, str]:
        """POST a signed form to ``url`` on ``client``: ``(HTTP status, body)``. Raises
        ``CALLBACK_ERRORS`` when it could not be delivered (refused, reset, timed out)."""
        headers = {"X-Twilio-Signature": signature}
        # ``encoded``: the URL goes out byte for byte as given (and signed); yarl would
        # otherwise normalise its escapes (``%2F`` → ``/``) and the signature would not match.
        target = yarl.URL(url, encoded=True)
        async with self.client().post(target, data=params, headers=headers) as response:
            return response.status, await response.text()

    async def aclose(self) -> None:
        """Close the callbacks' client (the app's shutdown)."""
        if self._client is not None:
            (loop, client), self._client = self._client, None
            if loop is asyncio.get_running_loop():  # another loop's connections are its own
                await client.close()

    def configure(self, config: DeliveryConfig) -> DeliveryConfig:
        """Replace the configuration and restart the stream; returns it with its seed."""
        seed = config.seed if config.seed is not None else random.SystemRandom().getrandbits(32)
        self.config = config.model_copy(update={"seed": seed})
        self._rng = random.Random(f"{seed}/delivery")  # str seeds hash with SHA-512: stable
        return self.config

    def restore(self) -> None:
        """Back to the starting configuration, and forget what customers wrote."""
        self.configure(self._initial)
        self.last_inbound.clear()

    def note_inbound(self, note: InboundNote) -> None:
        address = note.from_ if note.from_.startswith("whatsapp:") else f"whatsapp:{note.from_}"
        at = note.at or datetime.now(UTC)
        previous = self.last_inbound.get(address)
        if previous is None or at > previous:
            self.last_inbound[address] = at

    def plan(self, message: Message) -> Plan:
        """Draw ``message``'s lifecycle (always the same number of draws per message, so the
        stream stays aligned with the creates)."""
        config = self.config
        whatsapp = message.to.startswith("whatsapp:")
        shuffled = self._rng.random() < config.shuffle
        order_seed = self._rng.random()
        twice = [self._rng.random() < config.duplicate for _ in range(3)]
        last = self.last_inbound.get(message.to)
        if (
            config.enforce_window
            and whatsapp
            and message.content_sid is None
            and (last is None or message.created_at - last >= SERVICE_WINDOW)
        ):
            states = [Step("failed", OUTSIDE_WINDOW)]
        elif message.to in config.undelivered:
            states = [Step("sent"), Step("undelivered", config.undelivered[message.to])]
        else:
            states = [Step("sent"), Step("delivered")]
            if whatsapp and config.read:
                states.append(Step("read"))
        callbacks = list(states)
        if shuffled:
            random.Random(order_seed).shuffle(callbacks)
        doubled: list[Step] = []
        for step, again in zip(callbacks, twice, strict=False):
            doubled.extend([step, step] if again else [step])
        return Plan(states=states, callbacks=doubled)


async def deliver(
    message: Message,
    plan: Plan,
    *,
    config: DeliveryConfig,
    sign: Callable[[str, dict[str, str]], str],
    delivery: Delivery,
) -> None:
    """Play ``plan``: the resource moves through ``plan.states`` while ``plan.callbacks`` are
    POSTed to the message's ``StatusCallback`` (if any) through ``delivery.post``.
    Callback failures are logged and ignored, as Twilio gives up on a callback it could not
    deliver."""
    url = message.status_callback
    delay = config.delay_ms / 1000
    for i, step in enumerate(plan.callbacks):
        if delay:
            await asyncio.sleep(delay)
        state = plan.states[min(i, len(plan.states) - 1)]
        message.status, message.error_code = state.status, state.error_code
        if url is None:
            continue
        await _post(delivery, message, url, step, config.webhook_base_url, sign)
    final = plan.states[-1]
    message.status, message.error_code = final.status, final.error_code


async def _post(
    delivery: Delivery,
    message: Message,
    url: str,
    step: Step,
    base_url: str | None,
    sign: Callable[[str, dict[str, str]], str],
) -> None:
    params = {
        "AccountSid": message.account_sid,
        "ApiVersion": API_VERSION,
        "From": message.from_,
        "MessageSid": message.sid,
        "MessageStatus": step.status,
        "SmsSid": message.sid,
        "SmsStatus": step.status,
        "To": message.to,
    }
    if step.error_code is not None:
        params["ErrorCode"] = step.error_code
    target = url
    if base_url is not None:
        base = urlsplit(base_url)
        target = urlunsplit(urlsplit(url)._replace(scheme=base.scheme, netloc=base.netloc))
    try:
        status, _body = await delivery.post(target, params, sign(url, params))
    except CALLBACK_ERRORS as exc:
        logger.warning(
            "status callback failed: sid=%s status=%s url=%s error=%s",
            message.sid,
            step.status,
            _log_url(url),
            type(exc).__name__,
        )
        return
    if status >= 400:
        logger.warning(
            "status callback refused: sid=%s status=%s url=%s http=%s",
            message.sid,
            step.status,
            _log_url(url),
            status,
        )


def _log_url(url: str) -> str:
    """Host and path only: callback query strings may carry tokens."""
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path}"
