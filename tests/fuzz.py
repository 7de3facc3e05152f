"""``python -m tests.fuzz [--max-examples N] [--seed N]`` (``make fuzz``): Schemathesis against
the API's OpenAPI schema on the embedded stack (PostgreSQL, the Temporal dev server, the API on
a loopback port), once per role with a key of that role.

It fails on any 5xx and on any answer the schema does not document (status code, content
type, body schema): Schemathesis's checks ``not_a_server_error``, ``status_code_conformance``,
``content_type_conformance`` and ``response_schema_conformance``
(https://schemathesis.readthedocs.io/). Rate limits are off for the run (the fuzzer is one
source sending thousands of requests). A short run is part of ``make test``
(``tests/api/test_fuzz.py``). Prints each role's summary; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from api.main import create_app
from switchboard.access import Role
from switchboard.db.access import create_key
from switchboard.db.engine import Database
from switchboard.settings import Settings
from tests.fakes.server import serve

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)
RUN_TIMEOUT_S = 1800


@dataclass(frozen=True)
class RoleRun:
    role: str
    passed: bool
    summary: str  # Schemathesis's closing lines


def fuzz_settings(*, database_url: str, temporal_address: str) -> Settings:
    return Settings(
        database_url=database_url,
        temporal_address=temporal_address,
        rate_limit_api="",
        rate_limit_twilio="",
        business_hours=None,
    )


async def keys_for_each_role(database_url: str) -> dict[str, str]:
    """One key per role (plus the bootstrap admin key's holder is not needed: the admin key
    below has the same role)."""
    db = Database(database_url)
    try:
        async with db.session() as s:
            created = {
                role.value: (
                    await create_key(s, person=f"fuzz {role}", role=role, created_by="fuzz")
                )
                for role in Role
            }
    finally:
        await db.dispose()
    return {role: key.token for role, (_, key) in created.items()}


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The API on a free loopback port, in a thread (its own database pool and lazily
    connected Temporal client); yields its base URL."""
    with serve(create_app(settings, db=Database(settings.database_url or ""))) as base:
        yield base


def run_role(
    base_url: str, role: str, token: str, *, max_examples: int, seed: int | None = None
) -> RoleRun:
    """Schemathesis's CLI against ``base_url`` with ``token`` as ``X-API-Key``."""
    command = [
        shutil.which("schemathesis") or str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{base_url}/openapi.json",
        "--checks",
        ",".join(CHECKS),
        "--max-examples",
        str(max_examples),
        "--header",
        f"X-API-Key: {token}",
        "--request-timeout",
        "30",
        "--no-color",
    ]
    if seed is not None:
        command += ["--seed", str(seed)]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=False
    )
    output = done.stdout + done.stderr
    return RoleRun(role=role, passed=done.returncode == 0, summary=output)


def fuzz(
    base_url: str, tokens: dict[str, str], *, max_examples: int, seed: int | None = None
) -> list[RoleRun]:
    return [
        run_role(base_url, role, token, max_examples=max_examples, seed=seed)
        for role, token in tokens.items()
    ]


async def _main(max_examples: int, seed: int | None) -> int:
    from temporalio.testing import WorkflowEnvironment

    from switchboard.db.migrate import upgrade
    from switchboard.engines import (
        start_embedded_postgres,
        stop_embedded_postgres,
        temporal_cli,
    )
    from switchboard.temporal import SEARCH_ATTRIBUTES

    with tempfile.TemporaryDirectory(prefix="switchboard-fuzz-") as data:
        server = start_embedded_postgres(Path(data))
        try:
            upgrade(server.get_uri())
            env = await WorkflowEnvironment.start_local(
                dev_server_existing_path=temporal_cli(),
                search_attributes=list(SEARCH_ATTRIBUTES),
                ui=False,
                dev_server_log_level="error",
                dev_server_startup_timeout=timedelta(seconds=60),
            )
            try:
                target = env.client.service_client.config.target_host
                settings = fuzz_settings(database_url=server.get_uri(), temporal_address=target)
                tokens = await keys_for_each_role(server.get_uri())
                with serving(settings) as base:
                    runs = await asyncio.to_thread(
                        fuzz, base, tokens, max_examples=max_examples, seed=seed
                    )
            finally:
                await env.shutdown()
        finally:
            stop_embedded_postgres(server)
    for run in runs:
        sys.stdout.write(f"\n===== role {run.role}: {'passed' if run.passed else 'FAILED'}\n")
        sys.stdout.write(run.summary)
    failed = [run.role for run in runs if not run.passed]
    sys.stdout.write(f"\nfuzz: {len(runs) - len(failed)} roles passed, {len(failed)} failed\n")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-examples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    return asyncio.run(_main(args.max_examples, args.seed))


if __name__ == "__main__":
    sys.exit(main())
