"""Failure injection: the fake Twilio misbehaving the way a vendor does, per operation.

No Twilio resource of its own: it makes the resources fail with the answers Twilio gives under
load or outage (codes from https://www.twilio.com/docs/api/errors; ``Retry-After`` as in
RFC 9110). Off unless configured. The operations: ``messages_create`` (POST Messages.json),
``calls_create`` (POST Calls.json), ``messages_list`` (GET Messages.json) and ``media`` (the two
media redirects). ``POST /_fake/faults`` takes ``FaultConfig`` as JSON and replaces the whole
configuration (an operation left out gets no faults; unknown keys → 422), e.g.::

    {"seed": 7,
     "messages_create": {"error_500": 0.1, "error_429": 0.05, "retry_after_s": 1,
                         "timeout": 0.05, "timeout_s": 15, "slow": 0.1, "slow_ms": 800,
                         "reset_after_accept": 0.05},
     "calls_create": {…}, "media": {…}, "messages_list": {…}}

Each rate is a probability per request (0–1). ``error_500``, ``error_429``, ``timeout`` and
``reset_after_accept`` exclude each other (their sum must be ≤ 1); ``slow`` is drawn on its own
and happens first. After authentication, before the request is validated:

- ``error_500`` → 500, Twilio code 20500; nothing recorded.
- ``error_429`` → 429, Twilio code 20429, ``Retry-After: retry_after_s`` (whole seconds);
  nothing recorded.
- ``timeout`` → the request is held for ``timeout_s`` seconds (less if the client hangs up
  first, as a client with a shorter timeout does), then 504 with a plain-text body as an edge
  proxy answers (Twilio documents no error code for it); nothing recorded.
- ``slow`` → sleeps ``slow_ms`` milliseconds, then the request proceeds. The sleep does not
  watch the client: a client that gives up meanwhile still gets its message sent, the
  ambiguous case reconciliation exists for.
- ``reset_after_accept`` → the request is carried out (a message or call is recorded and
  delivered: it counts as sent) and then the TCP connection is reset (RST, no response at all).
  When the server's transport is out of reach (not uvicorn, or ``--log-level trace``), the
  response headers are sent with a ``Content-Length`` and the body never follows instead
  (``connection_reset``). A request Twilio would refuse (400) is answered normally.

Draws come from one ``random.Random`` per operation seeded with ``"{seed}/{operation}"``: the
same seed and the same sequence of requests per operation give the same faults, whatever the
other operations do. Without ``seed`` one is picked at random; ``GET /_fake/faults`` shows the
configuration in force, seed included, so a run can be replayed. ``DELETE /_fake/faults``
turns every fault off. The counters are served by ``GET /_fake/stats`` (``admin``).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal, Self, get_args

from fastapi import Request
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from devtools.fake_twilio.connection_reset import ConnectionReset
from devtools.fake_twilio.wire import TwilioError

Operation = Literal["messages_create", "calls_create", "media", "messages_list"]
FaultKind = Literal["error_500", "error_429", "timeout", "slow", "reset_after_accept"]
OPERATIONS: tuple[Operation, ...] = get_args(Operation)
FAULT_KINDS: tuple[FaultKind, ...] = get_args(FaultKind)
# The faults that decide a request's outcome, in the order a draw is mapped onto them. ``slow``
# is drawn separately: it delays a request without deciding it.
_EXCLUSIVE: tuple[FaultKind, ...] = ("error_500", "error_429", "timeout", "reset_after_accept")


class EdgeTimeout(Exception):
    """Answered as 504 with a plain-text body, as a proxy in front of an API answers."""


async def edge_timeout_response(_: Request, __: EdgeTimeout) -> PlainTextResponse:
    """The exception handler for ``EdgeTimeout``."""
    return PlainTextResponse("Gateway Timeout", status_code=504)


class FaultRates(BaseModel):
    """Faults for one operation; rates are probabilities per request (module docstring)."""

    model_config = ConfigDict(extra="forbid")

    error_500: float = Field(0.0, ge=0, le=1)
    error_429: float = Field(0.0, ge=0, le=1)
    retry_after_s: int = Field(1, ge=0, le=3600)  # Retry-After is whole seconds (RFC 9110)
    timeout: float = Field(0.0, ge=0, le=1)
    timeout_s: float = Field(15.0, gt=0, le=600)
    slow: float = Field(0.0, ge=0, le=1)
    slow_ms: int = Field(800, ge=0, le=600_000)
    reset_after_accept: float = Field(0.0, ge=0, le=1)

    @model_validator(mode="after")
    def _outcomes_exclude_each_other(self) -> Self:
        total = sum(getattr(self, kind) for kind in _EXCLUSIVE)
        if total > 1 + 1e-9:
            raise ValueError(f"{' + '.join(_EXCLUSIVE)} must be at most 1, got {total:g}")
        return self


class FaultConfig(BaseModel):
    """The whole failure-injection configuration: a seed and the faults of each operation."""

    model_config = ConfigDict(extra="forbid")

    seed: int | None = None
    messages_create: FaultRates = FaultRates()
    calls_create: FaultRates = FaultRates()
    media: FaultRates = FaultRates()
    messages_list: FaultRates = FaultRates()

    def rates(self, operation: Operation) -> FaultRates:
        rates: FaultRates = getattr(self, operation)
        return rates


@dataclass
class OperationStats:
    """Counters of one operation, as ``GET /_fake/stats`` shows them (``admin``)."""

    requests: int = 0
    answered: int = 0
    recorded: int = 0
    faults: Counter[FaultKind] = field(default_factory=Counter)

    def snapshot(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "answered": self.answered,
            "recorded": self.recorded,
            "faults": {kind: self.faults[kind] for kind in FAULT_KINDS},
        }


class FaultInjector:
    """The fault configuration in force, its random streams, and the per-operation counters."""

    def __init__(self, initial: FaultConfig) -> None:
        self._initial = initial
        self.config = initial
        self._rngs: dict[Operation, random.Random] = {}
        self.stats: dict[Operation, OperationStats] = {}
        self.configure(initial)
        self.clear_stats()

    def configure(self, config: FaultConfig) -> FaultConfig:
        """Replace the configuration and restart the random streams; returns it with its seed."""
        seed = config.seed if config.seed is not None else random.SystemRandom().getrandbits(32)
        self.config = config.model_copy(update={"seed": seed})
        # One stream per operation, so that how often one operation is called does not shift
        # another's draws. A str seed is hashed with SHA-512 (random.seed, version 2): stable
        # across processes, unlike hash().
        self._rngs = {op: random.Random(f"{seed}/{op}") for op in OPERATIONS}
        return self.config

    def restore(self) -> None:
        """Back to the configuration the app started with (same seed, streams restarted)."""
        self.configure(self._initial)

    def clear_stats(self) -> None:
        self.stats = {op: OperationStats() for op in OPERATIONS}

    def draw(self, operation: Operation) -> tuple[bool, FaultKind | None]:
        """``(slow, outcome)`` for the next request of ``operation``; outcome None = no fault.

        Always two draws per request, whatever the rates, so a stream stays aligned with the
        request count.
        """
        rates = self.config.rates(operation)
        rng = self._rngs[operation]
        slow = rng.random() < rates.slow
        point = rng.random()
        for kind in _EXCLUSIVE:
            rate: float = getattr(rates, kind)
            if point < rate:
                return slow, kind
            point -= rate
        return slow, None

    async def inject(self, operation: Operation, request: Request) -> bool:
        """Count the request and apply the faults drawn for it (module docstring).

        Raises ``TwilioError`` (500, 429) or ``EdgeTimeout``, possibly after holding the
        request; returns True when the caller must carry the request out and then reset the
        connection (``answer``).
        """
        stats = self.stats[operation]
        rates = self.config.rates(operation)
        stats.requests += 1
        slow, outcome = self.draw(operation)
        if slow:
            stats.faults["slow"] += 1
            await asyncio.sleep(rates.slow_ms / 1000)
        if outcome == "error_500":
            stats.faults[outcome] += 1
            raise TwilioError(500, 20500, "Internal Server Error")
        if outcome == "error_429":
            stats.faults[outcome] += 1
            raise TwilioError(
                429,
                20429,
                "Too Many Requests",
                headers={"Retry-After": str(rates.retry_after_s)},
            )
        if outcome == "timeout":
            stats.faults[outcome] += 1
            await _hold(request, rates.timeout_s)
            raise EdgeTimeout
        return outcome == "reset_after_accept"

    def answer(self, operation: Operation, reset: bool, status_code: int) -> Response | None:
        """After a request was carried out: the reset response, or None to answer normally."""
        if reset:
            self.stats[operation].faults["reset_after_accept"] += 1
            return ConnectionReset(status_code)
        self.stats[operation].answered += 1
        return None


async def _hold(request: Request, seconds: float) -> None:
    """Wait ``seconds``, or until the client has hung up: nobody is left to answer then."""
    await request.body()  # drained, so receive() can only report a disconnect from now on
    deadline = time.monotonic() + seconds
    while (remaining := deadline - time.monotonic()) > 0:
        if await request.is_disconnected():
            return
        await asyncio.sleep(min(remaining, 0.05))
