"""The send gate (``switchboard.journeys.send_gate``): whether a journey step may message or
call the customer now, given their consent and the journey sends the frequency cap counts."""

from __future__ import annotations

from datetime import timedelta

from switchboard.agent_models import Channel
from switchboard.journeys.schema import FrequencyCap
from switchboard.journeys.send_gate import GateVerdict, send_gate

TWO_A_DAY = FrequencyCap(max_sends=2, per=timedelta(days=1))


def test_an_opted_in_customer_may_be_messaged() -> None:
    verdict = send_gate(channel=Channel.WHATSAPP, purpose="marketing", consent="opted_in")
    assert verdict == GateVerdict(allowed=True, reason="allowed")


def test_no_opt_in_recorded_means_no_whatsapp_message_but_not_a_refusal() -> None:
    verdict = send_gate(channel=Channel.WHATSAPP, purpose="marketing", consent=None)
    assert not verdict.allowed
    assert verdict.reason == "no WhatsApp opt-in recorded (marketing)"
    assert not verdict.opted_out


def test_a_customer_who_sent_stop_is_not_messaged_and_counts_as_a_refusal() -> None:
    verdict = send_gate(channel=Channel.WHATSAPP, purpose="marketing", consent="opted_out")
    assert (verdict.allowed, verdict.opted_out) == (False, True)
    assert verdict.reason == "WhatsApp opted out (marketing)"


def test_calls_need_no_opt_in() -> None:
    assert send_gate(channel=Channel.VOICE, purpose="marketing", consent=None).allowed


def test_calls_revoked_for_the_purpose_or_for_service_are_not_placed() -> None:
    for consent, service in (("opted_out", None), (None, "opted_out"), ("opted_in", "opted_out")):
        verdict = send_gate(
            channel=Channel.VOICE, purpose="marketing", consent=consent, service_consent=service
        )
        assert verdict == GateVerdict(allowed=False, reason="calls revoked", opted_out=True)


def test_the_frequency_cap_allows_sends_below_it_and_stops_the_next_one() -> None:
    def gate(sent: int) -> GateVerdict:
        return send_gate(
            channel=Channel.WHATSAPP,
            purpose="marketing",
            consent="opted_in",
            cap=TWO_A_DAY,
            recent_sends=sent,
        )

    assert gate(1).allowed
    capped = gate(2)
    assert not capped.allowed and not capped.opted_out
    assert capped.reason == "frequency cap: 2 journey sends in the last 1 day, 0:00:00"


def test_the_frequency_cap_applies_to_calls_too() -> None:
    verdict = send_gate(
        channel=Channel.VOICE, purpose="marketing", consent=None, cap=TWO_A_DAY, recent_sends=3
    )
    assert not verdict.allowed and verdict.reason.startswith("frequency cap: 3")


def test_a_refused_consent_is_the_reason_given_even_when_capped() -> None:
    verdict = send_gate(
        channel=Channel.WHATSAPP,
        purpose="marketing",
        consent="opted_out",
        cap=TWO_A_DAY,
        recent_sends=5,
    )
    assert verdict.reason == "WhatsApp opted out (marketing)" and verdict.opted_out
