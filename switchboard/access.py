"""People, roles and their API keys: the token format, how it is stored, who it names.

A key is ``sbk_<id>_<secret>``: ``id`` (12 hex digits) is public and names the key in lists,
revocations and the audit log; ``secret`` is 256 bits from ``secrets.token_urlsafe`` (the
standard library's CSPRNG). Only the SHA-256 of the whole token is stored, and a presented
token is compared with the stored hash by ``hmac.compare_digest`` (constant time).

Why SHA-256 and not argon2: a slow, salted hash exists to protect *low-entropy* secrets that
people choose (OWASP Password Storage Cheat Sheet,
https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html). A 256-bit
random token cannot be brute-forced from its hash whatever the hash's speed, while argon2's
deliberate ~50 ms per check would be paid on every API request (and hand an attacker a cheap
way to burn CPU). The OWASP REST Security Cheat Sheet ("API Keys") asks for keys that are
revocable, per client and never logged: the ``id`` prefix makes that practical.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a person may do. Each API route lists the roles it admits."""

    ADMIN = "admin"  # everything, including keys and the audit log
    MARKETER = "marketer"  # journeys, campaigns, analytics
    AGENT = "agent"  # conversations, consent, handoffs
    ENGINEER = "engineer"  # read-only operations: journeys and their runs


BOOTSTRAP_PERSON = "bootstrap"  # who SWITCHBOARD_API_KEY is, in the audit log
TOKEN_PREFIX = "sbk_"
_TOKEN = re.compile(r"^sbk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class Principal:
    """Who made a request: a person's name, their role, and their key's public ID (None for
    the shared bootstrap key, ``SWITCHBOARD_API_KEY``)."""

    person: str
    role: Role
    key_id: str | None


@dataclass(frozen=True)
class NewKey:
    """A key as created: ``token`` is shown once and never stored."""

    key_id: str
    token: str
    token_hash: str


def new_key() -> NewKey:
    """A fresh key: 48-bit public ID, 256-bit secret, and the hash to store."""
    key_id = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    return NewKey(key_id=key_id, token=token, token_hash=hash_token(token))


def hash_token(token: str) -> str:
    """SHA-256 of the token, 64 hex digits (what the ``api_key`` table stores)."""
    return hashlib.sha256(token.encode()).hexdigest()


def key_id_of(token: str) -> str | None:
    """The public ID inside a well-formed token; None for anything else (including the
    bootstrap key, which has no ID)."""
    match = _TOKEN.match(token)
    return match.group(1) if match else None


def same_secret(presented: str, expected: str) -> bool:
    """Constant-time comparison of two strings (``hmac.compare_digest`` over UTF-8)."""
    return hmac.compare_digest(presented.encode(), expected.encode())
