"""The fake Twilio's own routes (no auth; no Twilio resource): what was sent, the failure
injection in force, counters, and a reset. Media upload and the CDN are in ``media``.

- ``GET /_fake/messages``, ``GET /_fake/calls``: what was sent, oldest first, journal included,
  e.g. ``{"sid", "account_sid", "to", "from", "body", "content_sid", "content_variables" (an
  object), "status_callback", "media_urls", "status", "created_at" (ISO 8601 UTC)}``
  (``store``); a call also has ``machine_detection``, ``async_amd``,
  ``async_amd_status_callback``, ``answered_by`` and ``twiml_updates`` (the ``Twiml`` of each
  update). ``POST /_fake/calls/{sid}/answer`` (the callee picks up) is in ``calls``.
- ``POST /_fake/faults``, ``GET /_fake/faults``, ``DELETE /_fake/faults``: the failure
  injection (``faults``).
- ``GET /_fake/stats`` → ``{"operations": {op: {"requests", "answered", "recorded", "faults":
  {kind: n}}}, "messages", "calls", "messages_by_recipient", "calls_by_recipient"}``:
  ``requests`` counts authenticated requests per operation, ``faults`` the faults injected by
  kind, ``answered`` the requests that got a normal 2xx/3xx answer, ``recorded`` the messages or
  calls that operation recorded (including those whose connection was then reset; 0 for reads).
  ``messages``/``calls`` count every record held (journal included) and ``…_by_recipient``
  count them per ``To``. Twilio takes no idempotency key, so the fake cannot tell a duplicate
  from a second message that was meant: a chaos checker compares these counts with what the
  journeys intended to send.
- ``POST /_fake/delivery``, ``GET /_fake/delivery``: how accepted messages are delivered, and
  ``POST /_fake/inbound``: a customer's message, for the WhatsApp window (``delivery``).
- ``POST /_fake/reset``: forget messages, calls, media and counters, empty the journal, and go
  back to the fault and delivery configurations the app started with.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter

from devtools.fake_twilio.delivery import DeliveryConfig, InboundNote
from devtools.fake_twilio.deps import FakeTwilioDep
from devtools.fake_twilio.faults import OPERATIONS, FaultConfig
from devtools.fake_twilio.wire import FAKE_PREFIX

router = APIRouter(prefix=FAKE_PREFIX)


@router.get("/messages")
async def sent_messages(fake: FakeTwilioDep) -> list[dict[str, Any]]:
    return [m.record() for m in fake.store.messages.values()]


@router.get("/calls")
async def placed_calls(fake: FakeTwilioDep) -> list[dict[str, Any]]:
    return [c.record() for c in fake.store.calls.values()]


@router.get("/faults")
async def get_faults(fake: FakeTwilioDep) -> FaultConfig:
    return fake.faults.config


@router.post("/faults")
async def set_faults(config: FaultConfig, fake: FakeTwilioDep) -> FaultConfig:
    return fake.faults.configure(config)


@router.delete("/faults", status_code=204)
async def clear_faults(fake: FakeTwilioDep) -> None:
    fake.faults.configure(FaultConfig())


@router.get("/stats")
async def stats(fake: FakeTwilioDep) -> dict[str, Any]:
    messages = fake.store.messages.values()
    calls = fake.store.calls.values()
    return {
        "operations": {op: fake.faults.stats[op].snapshot() for op in OPERATIONS},
        "messages": len(messages),
        "calls": len(calls),
        "messages_by_recipient": dict(Counter(m.to for m in messages)),
        "calls_by_recipient": dict(Counter(c.to for c in calls)),
    }


@router.get("/delivery")
async def get_delivery(fake: FakeTwilioDep) -> DeliveryConfig:
    return fake.delivery.config


@router.post("/delivery")
async def set_delivery(config: DeliveryConfig, fake: FakeTwilioDep) -> DeliveryConfig:
    return fake.delivery.configure(config)


@router.post("/inbound", status_code=204)
async def inbound(note: InboundNote, fake: FakeTwilioDep) -> None:
    fake.delivery.note_inbound(note)


@router.post("/reset", status_code=204)
async def reset(fake: FakeTwilioDep) -> None:
    fake.store.reset()
    fake.faults.restore()
    fake.faults.clear_stats()
    fake.delivery.restore()
