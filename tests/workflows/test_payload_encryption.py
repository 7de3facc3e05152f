"""Crypto-shredding end to end: a customer's workflow history on the Temporal server holds
ciphertext only, under that customer's data key; an engineer reads it through the codec server
(a marketer may not, nobody without a key may); after erasure the same history can no longer
be decoded (410 naming the deleted key), while a new conversation from the number works under
a new key. Real Postgres, the real Temporal dev server, the fake Twilio."""

from __future__ import annotations

import base64
import json
from typing import Any

from sqlmodel import select

from api.routes.codec import PREFIX
from switchboard.db.access import audit_entries
from switchboard.db.models import Message
from switchboard.payload_codec import KEY_ID
from switchboard.temporal import customer_workflow_id, payload_keys_of
from tests.api.test_access import new_key
from tests.conftest import Harness
from tests.polling import eventually

CUSTOMER = "+33612345677"
WORDS = "book Felix for a vaccination"
ENCRYPTED = base64.b64encode(b"binary/encrypted").decode()
CORE_MARKERS = (".details.patch-data.payloads[0]", ".details.data.payloads[0]")


def payloads_in(tree: object, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every payload (protobuf JSON) in a history, with where it is."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(tree, list):
        for i, item in enumerate(tree):
            found += payloads_in(item, f"{path}[{i}]")
    elif isinstance(tree, dict):
        if isinstance(tree.get("metadata"), dict) and "encoding" in tree["metadata"]:
            return [(path, tree)]
        for name, value in tree.items():
            found += payloads_in(value, f"{path}.{name}")
    return found


async def history_payloads(h: Harness) -> list[dict[str, Any]]:
    """The payloads of the customer workflow's latest run, as the Temporal server holds them.
    Left out: search attributes (Temporal indexes them, no codec sees them) and what the SDK
    core writes itself in markers: a patch's name (``workflow.patched``) and a local
    activity's sequence number, attempt and times (its result is encrypted)."""
    handle = h.temporal.get_workflow_handle(customer_workflow_id(CUSTOMER))
    history = json.loads((await handle.fetch_history()).to_json())
    return [
        p
        for path, p in payloads_in(history)
        if "searchAttributes" not in path
        and not ("markerRecorded" in path and path.endswith(CORE_MARKERS))
    ]


async def texts(h: Harness, direction: str) -> list[str]:
    async with h.db.session() as s:
        rows = await s.exec(
            select(Message).where(Message.customer_e164 == CUSTOMER, Message.direction == direction)
        )
        return [m.text for m in rows.all()]


def key_ids(payloads: list[dict[str, Any]]) -> set[str]:
    return {base64.b64decode(p["metadata"][KEY_ID]).decode() for p in payloads}


async def test_histories_are_ciphertext_engineers_read_and_erasure_shreds(harness: Harness) -> None:
    h = harness
    engineer = await new_key(h.api, h.settings, "engineer", "eve@example.com")
    marketer = await new_key(h.api, h.settings, "marketer", "mia@example.com")
    await h.opt_in(CUSTOMER)
    await h.sim.whatsapp(CUSTOMER, text=f"Hi, I'd like to {WORDS} on Tuesday")
    await eventually(lambda: texts(h, "outbound"), lambda replies: len(replies) >= 1)

    # On the server: every payload encrypted, under this customer's key, no words in clear.
    stored = await history_payloads(h)
    assert len(stored) > 3
    assert all(p["metadata"]["encoding"] == ENCRYPTED for p in stored), stored
    assert all(b"Felix" not in base64.b64decode(p.get("data", "")) for p in stored)
    keys = payload_keys_of(h.temporal)
    [old_key] = key_ids(stored)
    assert (await keys.by_id(old_key)).scope == CUSTOMER

    # The codec server: engineers (the UI's bearer token, or X-API-Key) read; others may not.
    body = {"payloads": stored}
    bearer = {"Authorization": f"Bearer {engineer}", "X-Namespace": "default"}
    decoded = await h.api.post(f"{PREFIX}/decode", json=body, headers=bearer)
    assert decoded.status_code == 200, decoded.text
    plain = [base64.b64decode(p.get("data", "")) for p in decoded.json()["payloads"]]
    assert len(plain) == len(stored)
    assert any(b"Felix" in data for data in plain)
    same = await h.api.post(f"{PREFIX}/decode", json=body, headers={"X-API-Key": engineer})
    assert same.json() == decoded.json()
    refused = await h.api.post(f"{PREFIX}/decode", json=body, headers={"X-API-Key": marketer})
    assert refused.status_code == 403
    assert (await h.api.post(f"{PREFIX}/decode", json=body)).status_code == 401

    # The Temporal UI calls from its own origin: the preflight is answered without a key.
    preflight = await h.api.options(
        f"{PREFIX}/decode",
        headers={
            "Origin": "http://localhost:8233",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type,x-namespace",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "http://localhost:8233"
    assert "x-namespace" in preflight.headers["access-control-allow-headers"].lower()

    # Erasure deletes the key: the history on the server can no longer be read by anyone.
    admin = {"X-API-Key": h.settings.api_key.get_secret_value()}
    erased = await h.api.delete(f"/customers/{CUSTOMER}", headers=admin)
    assert erased.status_code == 200, erased.text
    assert erased.json()["rows"]["payload_key"] == 1
    gone = await h.api.post(f"{PREFIX}/decode", json=body, headers=bearer)
    assert gone.status_code == 410, gone.text
    assert old_key in gone.json()["detail"]

    async with h.db.session() as s:
        decodes = await audit_entries(s, action="payloads.decode")
    assert [(e.person, e.target, (e.detail or {})["outcome"]) for e in reversed(decodes)] == [
        ("eve@example.com", CUSTOMER, "decoded"),
        ("eve@example.com", CUSTOMER, "decoded"),
        ("eve@example.com", "-", "key_erased"),
    ]

    # The same number writes again: a new conversation under a new key, readable again.
    await h.sim.whatsapp(CUSTOMER, text="hi again")
    await eventually(lambda: texts(h, "outbound"), lambda replies: len(replies) >= 1)
    fresh = await eventually(
        lambda: history_payloads(h), lambda ps: bool(ps) and old_key not in key_ids(ps)
    )
    [new_key_id] = key_ids(fresh)
    assert new_key_id != old_key
    again = await h.api.post(f"{PREFIX}/decode", json={"payloads": fresh}, headers=bearer)
    assert again.status_code == 200, again.text
