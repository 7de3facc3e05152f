"""The short chaos run, part of ``make test``: a few customers and one caller, a few worker
kills, one API restart, Temporal and Postgres each down once, faults at the fake Twilio; zero
violations expected."""

from __future__ import annotations

import pytest

from tests.chaos.runner import ChaosConfig, run_chaos


# ~2 minutes on an idle machine; its own waits are bounded at more than the default test
# deadline (a caller's attempt at 180 s, a customer's reply at 90 s, settling at 240 s), and a
# kill landing mid-call legitimately costs a call attempt.
@pytest.mark.timeout(600)
async def test_short_chaos_run_has_no_violations() -> None:
    config = ChaosConfig(
        customers=4,
        kills=4,
        api_restarts=1,
        temporal_restarts=1,
        postgres_restarts=1,
        outage_customers=2,
        callers=1,
        seed=11,
    )
    report = await run_chaos(config)
    assert report.kills >= 4 and report.api_restarts == 1
    assert report.temporal_restarts == 1 and report.postgres_restarts == 1
    assert report.webhooks_accepted >= 4 * 3
    assert report.webhook_deliveries > report.webhooks_accepted, "duplicates were delivered"
    assert report.accepted_during_outage >= 2 * 2, "customers wrote during both outages"
    assert report.caller_turns >= 2
    assert report.injected_faults > 0
    assert report.violations == 0, report.table() + "\n" + "\n".join(report.details)
