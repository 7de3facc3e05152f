"""The send gate: may a journey step contact the customer now? Decided at each send, not only
at journey entry (``Policies``), from facts the caller reads: the consent ledger and how many
journey sends the frequency cap counts. Used by the real gate activity
(``activities.journey``) and by the dry run's fake, so both decide alike."""

from __future__ import annotations

from dataclasses import dataclass

from switchboard.agent_models import Channel
from switchboard.journeys.schema import FrequencyCap


@dataclass(frozen=True)
class GateVerdict:
    """``opted_out`` tells a refusal by the customer (STOP, a revoked channel) from a mere
    absence of opt-in, so a definition can leave alone someone who said no."""

    allowed: bool
    reason: str
    opted_out: bool = False


def send_gate(
    *,
    channel: Channel,
    purpose: str,
    consent: str | None,
    service_consent: str | None = None,
    cap: FrequencyCap | None = None,
    recent_sends: int = 0,
) -> GateVerdict:
    """WhatsApp needs an opt-in in force for the journey's ``purpose``; a call is allowed unless
    the customer revoked calls, for ``purpose`` or for ``service`` (which covers them all).
    Then at most ``cap.max_sends`` journey sends per ``cap.per``.

    ``consent``: the latest status recorded for (``channel``, ``purpose``), ``opted_in`` or
    ``opted_out``; None if none was ever recorded. ``service_consent``: the same for (voice,
    ``service``), read for calls only. ``recent_sends``: journey messages and calls to the
    customer within the cap's ``per``, across all journeys, this step's own excluded (its
    retries and re-checks).
    """
    if channel is Channel.WHATSAPP:
        if consent != "opted_in":
            refused = consent is not None
            reason = "WhatsApp opted out" if refused else "no WhatsApp opt-in recorded"
            return GateVerdict(allowed=False, reason=f"{reason} ({purpose})", opted_out=refused)
    elif "opted_out" in (consent, service_consent):
        return GateVerdict(allowed=False, reason="calls revoked", opted_out=True)
    if cap is not None and recent_sends >= cap.max_sends:
        return GateVerdict(
            allowed=False,
            reason=f"frequency cap: {recent_sends} journey sends in the last {cap.per}",
        )
    return GateVerdict(allowed=True, reason="allowed")
