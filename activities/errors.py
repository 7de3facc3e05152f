"""Map adapter errors onto Temporal's retry semantics (one place, so every activity agrees)."""

from __future__ import annotations

from datetime import timedelta

from temporalio.exceptions import ApplicationError

from switchboard.providers.base import ProviderError, ProviderUnavailable


def application_error(exc: ProviderError) -> ApplicationError:
    """``ProviderUnavailable`` → retryable (honouring ``Retry-After``); anything else (auth,
    validation) → non-retryable. The error ``type`` is the adapter error's class name, and the
    vendor's code (e.g. Twilio ``63016``) is in ``details``."""
    delay = None
    if isinstance(exc, ProviderUnavailable) and exc.retry_after_s is not None:
        delay = timedelta(seconds=exc.retry_after_s)
    return ApplicationError(
        str(exc),
        exc.code,
        type=type(exc).__name__,
        non_retryable=not exc.retryable,
        next_retry_delay=delay,
    )
