"""A send's SID stored, its log row written and the callbacks that beat the SID applied in one
transaction (``switchboard.db.delivery.record_sent``, the WhatsApp send's last step): the rows
end where the callbacks say, run again (a retry) they stay, and a callback after it still
moves them forward. Real Postgres, the API's status route."""

from __future__ import annotations

import pytest
from sqlmodel import select

from switchboard.db import outbox
from switchboard.db.customers import ensure_customer
from switchboard.db.delivery import SentLine, record_sent
from switchboard.db.models import Message, utcnow
from tests.conftest import Harness
from tests.delivery.test_delivery import ADDRESS, CUSTOMER, STATUS_PATH, states, status_form

KEY = "reply/SMrec"
SID = "SMrecorded"
LINE = SentLine(key=KEY, customer_e164=CUSTOMER, channel="whatsapp", kind="text", text="Hello")


async def record(h: Harness) -> tuple[str | None, str | None]:
    async with h.db.autocommit() as conn:
        return await record_sent(conn, provider_sid=SID, sent_at=utcnow(), line=LINE)


@pytest.mark.parametrize(
    ("early", "expected"),
    [
        ([], ("queued", None, None, None)),
        ([("read", None), ("sent", None)], ("read", None, "read", None)),
        ([("sent", None), ("failed", "63016")], ("failed", "63016", "failed", "63016")),
    ],
    ids=["none-early", "read-before-sent", "failed"],
)
async def test_callbacks_that_beat_the_sid_are_applied_once_it_is_stored(
    harness: Harness, early: list[tuple[str, str | None]], expected: tuple[str | None, ...]
) -> None:
    async with harness.db.session() as s:
        await ensure_customer(s, e164=CUSTOMER, timezone="Europe/Paris")
        await outbox.claim(s, key=KEY, kind="whatsapp", recipient=ADDRESS, body="Hello")
    for status, code in early:
        response = await harness.post_twilio(STATUS_PATH, status_form(SID, status, code))
        assert response.status_code == 204

    first = await record(harness)
    again = await record(harness)  # a retry after the commit

    assert first == again == expected[2:]
    assert await states(harness, KEY) == expected
    row = await outbox_row(harness)
    assert (row.status, row.provider_sid) == ("sent", SID)

    # A callback after the SID was stored moves the rows on; a late one does not take back.
    await harness.post_twilio(STATUS_PATH, status_form(SID, "delivered"))
    await harness.post_twilio(STATUS_PATH, status_form(SID, "sent"))
    after = expected if expected[0] in ("read", "failed") else ("delivered", None) * 2
    assert await states(harness, KEY) == after


async def test_a_send_without_its_outbox_row_is_refused_and_logs_nothing(
    harness: Harness,
) -> None:
    async with harness.db.session() as s:
        await ensure_customer(s, e164=CUSTOMER, timezone="Europe/Paris")
    with pytest.raises(LookupError):
        await record(harness)
    async with harness.db.session() as s:
        assert (await s.exec(select(Message).where(Message.key == KEY))).first() is None


async def outbox_row(h: Harness) -> outbox.Outbox:
    async with h.db.session() as s:
        row = await s.get(outbox.Outbox, KEY)
    assert row is not None
    return row
