"""Which stored status a callback may replace, as the status route's statement decides it
(``switchboard.delivery.replaceable``) and as the rest of the product does
(``switchboard.delivery.advances``): the two must never disagree, or a row written by the
route could move backwards where the send's catch-up would not."""

from __future__ import annotations

from switchboard import delivery


def test_replaceable_agrees_with_advances_for_every_pair() -> None:
    for new in (*delivery.STATUSES, "some_status_twilio_adds_later"):
        movable = delivery.known(new)
        below = delivery.replaceable(new)
        for current in (None, *delivery.STATUSES, "another_new_status"):
            # The route's WHERE: movable and (None, unknown, or one ``new`` replaces).
            moves = movable and (current is None or not delivery.known(current) or current in below)
            assert moves == delivery.advances(current, new), (current, new)


def test_a_late_sent_never_replaces_delivered_and_a_final_state_stays() -> None:
    assert "delivered" not in delivery.replaceable("sent")
    assert "failed" not in delivery.replaceable("read")
    assert "delivered" in delivery.replaceable("read")
