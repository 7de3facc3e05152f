"""Retry policies and timeouts shared by the workflows, named by what they protect."""

from __future__ import annotations

from datetime import timedelta

from temporalio.common import RetryPolicy

# Our own database: retried until it answers (a short outage must not lose a turn); each write is
# an upsert on an idempotency key, so a retry never writes twice.
DB_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200), maximum_interval=timedelta(seconds=5)
)
DB_TIMEOUT = timedelta(seconds=10)
