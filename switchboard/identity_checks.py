"""The identity-check policy of the business profile (``identity_checks``): which methods verify
an unverified party before each sensitive action (``switchboard/verification.py``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Method = Literal["code", "question"]
Action = Literal["read_booking", "reschedule", "cancel"]
ACTIONS: tuple[Action, ...] = ("read_booking", "reschedule", "cancel")


def _both() -> list[Method]:
    return ["code", "question"]


class IdentityPolicy(BaseModel):
    """Per action, the methods that verify an unverified identity, tried in order (the first
    one usable for this party is asked: ``code`` needs a caller with WhatsApp on file,
    ``question`` a named pet on their bookings); ``[]`` turns the check off for that action.
    ``max_attempts`` wrong answers, counted per customer across checks, calls and channels,
    close the checks for ``lockout_minutes`` on every channel and for the rest of the call they
    were made on (0: only that call); a check not answered within ``code_ttl_minutes`` lapses.

    The default asks before all three actions: a booking is never read out, moved or cancelled
    for a caller ID without full attestation or a WhatsApp number not on file."""

    read_booking: list[Method] = Field(default_factory=_both)
    reschedule: list[Method] = Field(default_factory=_both)
    cancel: list[Method] = Field(default_factory=_both)
    max_attempts: int = Field(default=3, ge=1)
    code_ttl_minutes: int = Field(default=10, gt=0)
    lockout_minutes: int = Field(default=60, ge=0)

    def methods(self, action: Action) -> list[Method]:
        methods: list[Method] = getattr(self, action)
        return list(methods)
