"""Retry policies and timeouts shared by the workflows, named by what they protect."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

_In = TypeVar("_In")
_Out = TypeVar("_Out")

# Our own database: retried until it answers (a short outage must not lose a turn); each write is
# an upsert on an idempotency key, so a retry never writes twice.
DB_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200), maximum_interval=timedelta(seconds=5)
)
# Run locally, except a data exception (SQLSTATE class 22: a value too long or of the wrong
# form, a number out of range; psycopg's and SQLAlchemy's ``DataError``, the type an activity's
# uncaught error is reported under; PostgreSQL, "Appendix A. Error Codes",
# https://www.postgresql.org/docs/current/errcodes-appendix.html): the same statement fails the
# same way on every attempt, and a local activity's retries kept its workflow task
# heartbeating, 3 history events per 8 s, forever. ``db_activity`` fails the workflow task
# instead (``DatabaseRefused``).
DB_NOT_RETRYABLE = ("DataError",)
DB_RETRY_LOCAL = RetryPolicy(
    initial_interval=DB_RETRY.initial_interval,
    maximum_interval=DB_RETRY.maximum_interval,
    non_retryable_error_types=list(DB_NOT_RETRYABLE),
)
DB_TIMEOUT = timedelta(seconds=10)
# Vendor calls (media download, STT, the agent, TTS) retry a few times, then the turn falls back
# (a polite reply) rather than leaving the customer in silence.
VENDOR_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=500),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=5),
    maximum_attempts=4,
)


async def db_activity(
    activity: Callable[[Any, _In], Awaitable[_Out]], arg: _In, *, local: bool
) -> _Out:
    """Run a short Postgres read or idempotent write (a log line, a journey match) with the
    database policy: as a local activity when ``local`` (no server round trip: the result is a
    marker in the history; at-least-once like any activity, hence idempotency keys), else as an
    ordinary activity. Raises ``ActivityError`` as either would.

    Workflows pass ``local=workflow.patched(...)`` taken once per run, so histories recorded
    with ordinary activities still replay. A local activity's failure reaches the workflow as the
    ``ApplicationError`` itself, not wrapped in ``ActivityError``: read it with
    ``application_failure``.

    Run locally, an error no retry fixes (``DB_NOT_RETRYABLE``) is tried once and raised as
    ``DatabaseRefused``: not a Temporal failure, so the workflow task fails (one
    ``WorkflowTaskFailed`` event) rather than the workflow, and Temporal retries the task with
    exponential backoff and no further history ("Retry Policies do not apply to Workflow Task
    Executions, which retry until the Workflow Execution Timeout ... with an exponential
    backoff", https://docs.temporal.io/encyclopedia/retry-policies): the run waits, at a
    bounded cost, for a fix to be deployed, then goes on from where it stopped."""
    try:
        return await turn_activity(
            activity,
            arg,
            local=local,
            start_to_close=DB_TIMEOUT,
            retry_policy=DB_RETRY_LOCAL if local else DB_RETRY,
        )
    except (ActivityError, ApplicationError) as exc:
        failure = application_failure(exc)
        if local and failure is not None and failure.type in DB_NOT_RETRYABLE:
            raise DatabaseRefused(f"{failure.type}: {failure.message}") from exc
        raise


class DatabaseRefused(Exception):
    """A local database activity failed with an error no retry fixes (``db_activity``).
    Deliberately not a ``FailureError``: it fails the workflow task, not the workflow."""


async def turn_activity(
    activity: Callable[[Any, _In], Awaitable[_Out]],
    arg: _In,
    *,
    local: bool,
    start_to_close: timedelta,
    retry_policy: RetryPolicy,
    schedule_to_close: timedelta | None = None,
    heartbeat: timedelta | None = None,
) -> _Out:
    """Run one of a turn's vendor activities (or, through ``db_activity``, a database one) as a
    local activity when ``local`` (for a turn, patch ``turn-local-activities``): no activity
    task round trips through the server, its result a marker in the workflow task that
    scheduled it. Temporal, "Local Activity"
    (https://docs.temporal.io/local-activity): fewer history events and no round trip; one
    that outlasts 80% of the workflow task timeout (10 s) makes the worker heartbeat the
    workflow task (3 events per 8 s), so a slow vendor costs a few events, not correctness.
    Same timeouts and retry policy either way; ``heartbeat`` applies to the ordinary activity
    only (a local one has no heartbeat timeout: a dead worker shows as the workflow task's
    timeout, and the task's next worker runs it again from its first attempt).

    Raises ``ActivityError`` (a timeout; any failure of the ordinary activity) or, run
    locally, the activity's ``ApplicationError`` itself: read both with
    ``application_failure``."""
    if local:
        return await workflow.execute_local_activity_method(
            activity,
            arg,
            start_to_close_timeout=start_to_close,
            schedule_to_close_timeout=schedule_to_close,
            retry_policy=retry_policy,
        )
    return await workflow.execute_activity_method(
        activity,
        arg,
        start_to_close_timeout=start_to_close,
        schedule_to_close_timeout=schedule_to_close,
        heartbeat_timeout=heartbeat,
        retry_policy=retry_policy,
    )


def application_failure(exc: BaseException) -> ApplicationError | None:
    """The ``ApplicationError`` an activity raised, whether it ran as an ordinary activity
    (``ActivityError`` with it as the cause) or a local one (the error itself); else None."""
    if isinstance(exc, ActivityError):
        exc = exc.cause or exc
    return exc if isinstance(exc, ApplicationError) else None
