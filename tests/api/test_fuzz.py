"""A short Schemathesis run (``tests/fuzz.py``; ``make fuzz`` is the long one): every
operation, a few examples each, with a key of each role; no 5xx, no undocumented answer."""

from __future__ import annotations

import asyncio

from temporalio.testing import WorkflowEnvironment

from switchboard.db.engine import Database
from switchboard.settings import Settings
from tests.fuzz import fuzz, fuzz_settings, keys_for_each_role, serving

EXAMPLES = 5
SEED = 12  # the short run is the same every time; `make fuzz` explores


async def test_the_api_answers_fuzzed_requests_as_documented(
    database_url: str, db: Database, temporal_env: WorkflowEnvironment
) -> None:
    target = temporal_env.client.service_client.config.target_host
    settings = fuzz_settings(database_url=database_url, temporal_address=target)
    tokens = await keys_for_each_role(database_url)
    with serving(settings) as base:
        runs = await asyncio.to_thread(fuzz, base, tokens, max_examples=EXAMPLES, seed=SEED)
    failed = {run.role: run.summary for run in runs if not run.passed}
    assert not failed, "\n\n".join(f"== {role}\n{summary}" for role, summary in failed.items())


async def test_what_the_fuzzer_found_stays_fixed(settings: Settings, db: Database) -> None:
    """``make fuzz`` found a consent ``source`` with a NUL byte answered 500 (PostgreSQL text
    cannot hold NUL): such text is now a 422 naming the field, and nothing is recorded."""
    import httpx

    from api.main import create_app
    from tests.conftest import PUBLIC_URL
    from tests.polling import BoundedASGITransport

    key = {"X-API-Key": settings.api_key.get_secret_value()}
    async with httpx.AsyncClient(
        transport=BoundedASGITransport(app=create_app(settings, db=db)), base_url=PUBLIC_URL
    ) as api:
        consent = {"channel": "whatsapp", "status": "opted_in", "source": "web\x00form"}
        response = await api.post("/customers/+33612345678/consent", json=consent, headers=key)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "source"]
        person = await api.post("/keys", json={"person": "a\x00b", "role": "agent"}, headers=key)
        assert person.status_code == 422
