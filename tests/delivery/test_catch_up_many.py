"""A campaign slice stores many sends at once (``switchboard.db.delivery.catch_up_many``):
the status callbacks that reached the API before the SIDs were stored are applied to the
outbox and log rows as ``catch_up`` applies them one send at a time — in whatever order they
came, the latest state wins, a failure keeps its error code. Real Postgres."""

from __future__ import annotations

from sqlmodel import col, select

from switchboard.db import campaigns, outbox
from switchboard.db.customers import ensure_customer
from switchboard.db.delivery import catch_up_many, lock_messages, status_event_sid
from switchboard.db.engine import Database
from switchboard.db.inbound import record_inbound
from switchboard.db.models import Message, Outbox

Callbacks = list[tuple[str, str | None]]
SENDS: dict[str, tuple[str, str, Callbacks]] = {
    # key → (customer, SID, callbacks that arrived first, in arrival order)
    "journey/a/1": ("+33612340001", "SMa", [("read", None), ("sent", None), ("delivered", None)]),
    "journey/b/1": ("+33612340002", "SMb", [("sent", None), ("undelivered", "63024")]),
    "journey/c/1": ("+33612340003", "SMc", []),
}


async def test_parked_callbacks_are_applied_when_the_slice_stores_its_sids(db: Database) -> None:
    async with db.session() as s:
        for e164, sid, callbacks in SENDS.values():
            await ensure_customer(s, e164=e164, timezone="Europe/Paris")
            for status, code in callbacks:
                payload = {"MessageSid": sid, "MessageStatus": status}
                if code:
                    payload["ErrorCode"] = code
                await record_inbound(
                    s,
                    sid=status_event_sid(sid, status),
                    kind="message_status",
                    customer_e164=None,
                    payload=payload,
                )
        claims = [
            outbox.Claim(key=k, recipient=f"whatsapp:{e}", body="hi")
            for k, (e, _, _) in SENDS.items()
        ]
        await outbox.claim_many(s, claims, kind="whatsapp")

    async with db.session() as s:
        sids = {key: sid for key, (_, sid, _) in SENDS.items()}
        await lock_messages(s, sorted(sids.values()))
        await outbox.mark_sent_many(s, sids)
        await campaigns.log_lines(
            s,
            [
                campaigns.LogLine(
                    key=k, e164=e, text="hi", kind="text", provider_sid=sid, status="queued"
                )
                for k, (e, sid, _) in SENDS.items()
            ],
        )
        await catch_up_many(s, list(sids.values()))

    async with db.session() as s:
        rows = {r.key: r for r in (await s.exec(select(Outbox))).all()}
        logged = {
            m.key: m
            for m in (await s.exec(select(Message).where(col(Message.key).in_(SENDS)))).all()
        }
    assert {k: (r.status, r.delivery_status, r.error_code) for k, r in rows.items()} == {
        "journey/a/1": ("sent", "read", None),
        "journey/b/1": ("sent", "undelivered", "63024"),
        "journey/c/1": ("sent", None, None),
    }
    assert {k: (m.provider_sid, m.status, m.error_code) for k, m in logged.items()} == {
        "journey/a/1": ("SMa", "read", None),
        "journey/b/1": ("SMb", "undelivered", "63024"),
        "journey/c/1": ("SMc", "queued", None),
    }
