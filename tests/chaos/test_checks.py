"""Each chaos check fires on a crafted bad outcome, and stays quiet on the good one next to it:
a check that cannot fire proves nothing (issue 11: ``inbound_twice`` could not)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.chaos.checks import (
    Accepted,
    Delivered,
    Intended,
    in_windows,
    intended_not_arrived,
    logical_duplicates,
    never_answered,
    sids_owned_twice,
)
from tests.chaos.runner import Report

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ALICE = "+33612345678"
BOB = "+33698765432"


def sent(
    key: str, sid: str | None, *, to: str = ALICE, at: float = 0, status: str = "sent"
) -> Intended:
    return Intended(
        key=key,
        kind="whatsapp",
        recipient=f"whatsapp:{to}",
        status=status,
        provider_sid=sid,
        created_at=T0 + timedelta(seconds=at),
    )


def at_twilio(
    sid: str, text: str, *, to: str = ALICE, at: float = 0, media: bool = False
) -> Delivered:
    return Delivered(
        sid=sid,
        to=f"whatsapp:{to}",
        text=text,
        has_media=media,
        created_at=T0 + timedelta(seconds=at),
    )


def test_a_sid_claimed_by_two_outbox_rows_is_reported() -> None:
    rows = [sent("reply/SM1", "SMa"), sent("journey/x/1", "SMa"), sent("reply/SM2", "SMb")]
    assert sids_owned_twice(rows) == ["SMa"]
    assert sids_owned_twice(rows[::2]) == []


def test_an_intended_send_that_never_arrived_is_reported() -> None:
    rows = [
        sent("reply/SM1", "SMa"),
        sent("reply/SM2", None, status="pending"),  # never resolved
        sent("reply/SM3", None, status="failed"),  # given up
        sent("reply/SM4", "SMzzz"),  # adopted a SID Twilio never issued
    ]
    missing = intended_not_arrived(rows, arrived_sids={"SMa"})
    assert [key for key, _ in missing] == ["reply/SM2", "reply/SM3", "reply/SM4"]
    assert intended_not_arrived(rows[:1], arrived_sids={"SMa"}) == []


def test_the_same_text_twice_within_a_minute_under_two_keys_is_a_duplicate() -> None:
    delivered = [
        at_twilio("SMa", "Booked: Tuesday 10:00 for Felix."),
        at_twilio("SMb", "Booked: Tuesday 10:00 for Felix. ", at=20),
        at_twilio("SMc", "Booked: Tuesday 10:00 for Felix.", to=BOB, at=21),  # someone else
        at_twilio("SMd", "Booked: Tuesday 10:00 for Felix.", at=200),  # minutes later
    ]
    keys = {"SMa": "reply/SM1", "SMb": "reply/SM2", "SMc": "reply/SM3", "SMd": "reply/SM4"}
    assert logical_duplicates(delivered, keys) == [(f"whatsapp:{ALICE}", "SMa", "SMb")]
    # One key, two SIDs (a send retried after Twilio accepted it) is the same intended send:
    # the "owned by no outbox row" check counts that, not this one.
    assert logical_duplicates(delivered[:2], {"SMa": "reply/SM1", "SMb": "reply/SM1"}) == []
    # A voice note repeating the text reply is another message.
    assert (
        logical_duplicates([delivered[0], at_twilio("SMe", delivered[0].text, media=True)], {})
        == []
    )


def test_a_message_accepted_during_the_outage_and_never_answered_is_reported() -> None:
    window = (T0, T0 + timedelta(seconds=5))
    accepted = [
        Accepted(sid="SM1", e164=ALICE, accepted_at=T0 + timedelta(seconds=1)),
        Accepted(sid="SM2", e164=BOB, accepted_at=T0 + timedelta(seconds=2)),
        Accepted(sid="SM3", e164=BOB, accepted_at=T0 + timedelta(seconds=9)),  # after it
    ]
    during = in_windows(accepted, [window])
    assert [m.sid for m in during] == ["SM1", "SM2"]
    replies = [
        sent("reply/SM1", "SMa", at=30),  # Alice's own reply
        sent("reply/SM0", "SMb", to=BOB, at=0.5),  # Bob's earlier turn: not an answer to SM2
    ]
    assert [m.sid for m in never_answered(during, replies)] == ["SM2"]
    # Answered by a reply to a later message that took SM2 with it (merged turn).
    merged = sent("reply/SM3", "SMc", to=BOB, at=12)
    assert never_answered(during, [*replies, merged]) == []
    # A reply still pending is no answer.
    pending = sent("reply/SM2", None, to=BOB, at=12, status="pending")
    assert [m.sid for m in never_answered(during, [*replies, pending])] == ["SM2"]


def test_every_new_check_counts_as_a_violation() -> None:
    for field in ("sends_missing", "logical_duplicates", "outage_unanswered", "sids_owned_twice"):
        report = Report()
        assert report.violations == 0
        setattr(report, field, 1)
        assert report.violations == 1, field
        assert "| 1 | 0 |" in report.table()
