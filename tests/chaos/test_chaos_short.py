"""The short chaos run, part of ``make test``: a few customers, a few worker kills, one API
restart, faults at the fake Twilio; zero violations expected."""

from __future__ import annotations

from tests.chaos.runner import ChaosConfig, run_chaos


async def test_short_chaos_run_has_no_violations() -> None:
    report = await run_chaos(ChaosConfig(customers=4, kills=4, api_restarts=1, seed=11))
    assert report.kills >= 4 and report.api_restarts == 1
    assert report.webhooks_accepted >= 4 * 3
    assert report.webhook_deliveries > report.webhooks_accepted, "duplicates were delivered"
    assert report.injected_faults > 0
    assert report.violations == 0, report.table() + "\n" + "\n".join(report.details)
