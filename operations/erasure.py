"""Erase a customer (GDPR art. 17): stop their workflows, DELETE their recordings at Twilio,
then delete their rows (``switchboard.db.erasure``), keeping only a hashed opt-out.

Order: workflows are terminated first (not cancelled: a cancelled customer workflow would
still run its handlers and could log a message after the rows are gone); a message arriving
later starts a fresh customer. Recordings at Twilio go before the rows that name them.

The histories of the terminated workflows stay on the Temporal server until the namespace's
retention period removes them, but their payloads are encrypted under the customer's data key,
which the row deletion removes (crypto-shredding, ``switchboard.payload_codec``); this
process's cache of that key is emptied at once, other processes' within
``SWITCHBOARD_PAYLOAD_KEY_RECHECK_S``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from psycopg.errors import DeadlockDetected, SerializationFailure
from sqlalchemy.exc import DBAPIError
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from activities.retention import RecordingDeleter
from switchboard.db.engine import Database
from switchboard.db.erasure import customer_recordings, erase_customer
from switchboard.temporal import CUSTOMER_PHONE, customer_workflow_id, payload_keys_of


@dataclass
class ErasureReport:
    customer: str
    workflows_terminated: list[str] = field(default_factory=list)
    recordings_deleted: int = 0
    rows: dict[str, int] = field(default_factory=dict)  # per table; opt_out_hash: kept


async def _terminate(client: Client, workflow_id: str) -> bool:
    try:
        await client.get_workflow_handle(workflow_id).terminate("customer erased")
    except RPCError as exc:
        if exc.status is RPCStatusCode.NOT_FOUND:  # closed already, or never started
            return False
        raise
    return True


async def erase(
    client: Client, db: Database, recordings: RecordingDeleter, *, e164: str
) -> ErasureReport:
    """Erase ``e164`` (already normalised). Idempotent: erasing again finds nothing."""
    report = ErasureReport(customer=e164)
    # The customer workflow by ID (visibility may lag behind a run started a moment ago),
    # then every running workflow tagged with the number (journeys).
    ids = {customer_workflow_id(e164)}
    query = f"ExecutionStatus = 'Running' AND {CUSTOMER_PHONE.name} = '{e164}'"
    ids |= {wf.id async for wf in client.list_workflows(query)}
    results = await asyncio.gather(*(_terminate(client, wid) for wid in sorted(ids)))
    report.workflows_terminated = [wid for wid, ok in zip(sorted(ids), results, strict=True) if ok]
    async with db.session() as s:
        sids = await customer_recordings(s, e164=e164)
    for sid in sids:
        report.recordings_deleted += await recordings.delete_recording(sid)
    report.rows = await erase_rows(db, e164=e164)
    payload_keys_of(client).forget(e164)
    return report


async def erase_rows(db: Database, *, e164: str) -> dict[str, int]:
    """Delete the customer's rows in one transaction (``switchboard.db.erasure.erase_customer``:
    rows deleted per table), retried when Postgres breaks a deadlock with a send or a status
    callback still finishing for the customer. Raises the database error after 5 attempts."""
    async for attempt in AsyncRetrying(
        retry=retry_if_exception(_deadlocked),
        stop=stop_after_attempt(_ATTEMPTS),
        wait=wait_random_exponential(multiplier=0.05, max=1),
        reraise=True,
    ):
        with attempt:
            async with db.session() as s:
                return await erase_customer(s, e164=e164)
    raise AssertionError("unreachable: tenacity re-raises the last error")


# Postgres aborts one of two transactions that wait on each other and says to retry it
# (https://www.postgresql.org/docs/current/mvcc-serialization-failure-handling.html).
_ATTEMPTS = 5


def _deadlocked(exc: BaseException) -> bool:
    cause = exc.orig if isinstance(exc, DBAPIError) else exc
    return isinstance(cause, (DeadlockDetected, SerializationFailure))
