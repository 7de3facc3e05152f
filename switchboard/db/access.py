"""API keys and the audit log: create, list, revoke; who a token names; who did what.

``identify`` is the one key → person/role lookup: the API's role check uses it, and so will
the web console's sign-in.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from switchboard.access import (
    BOOTSTRAP_PERSON,
    NewKey,
    Principal,
    Role,
    hash_token,
    key_id_of,
    new_key,
    same_secret,
)
from switchboard.db.models import ApiKey, AuditEntry, Customer, utcnow


async def identify(session: AsyncSession, token: str, *, bootstrap_key: str) -> Principal | None:
    """Who ``token`` names: the bootstrap admin when it equals ``bootstrap_key`` (the shared
    ``SWITCHBOARD_API_KEY``), else the person of an unrevoked key whose stored hash matches.
    None for anything else (unknown, revoked, malformed, empty). Both comparisons run in
    constant time."""
    if not token:
        return None
    if bootstrap_key and same_secret(token, bootstrap_key):
        return Principal(person=BOOTSTRAP_PERSON, role=Role.ADMIN, key_id=None)
    key_id = key_id_of(token)
    if key_id is None:
        return None
    row = await session.get(ApiKey, key_id)
    if row is None or row.revoked_at is not None:
        return None
    if not same_secret(hash_token(token), row.token_hash):
        return None
    return Principal(person=row.person, role=Role(row.role), key_id=row.id)


async def create_key(
    session: AsyncSession, *, person: str, role: Role, created_by: str
) -> tuple[ApiKey, NewKey]:
    """Store a new key for ``person`` with ``role``; returns the row and the key, whose
    ``token`` is the only copy of the secret (show it once)."""
    key = new_key()
    row = ApiKey(
        id=key.key_id,
        person=person,
        role=role.value,
        token_hash=key.token_hash,
        created_by=created_by,
    )
    session.add(row)
    await session.flush()
    return row, key


async def list_keys(session: AsyncSession, *, include_revoked: bool = True) -> list[ApiKey]:
    """Every key, oldest first (revoked ones too unless ``include_revoked`` is False)."""
    query = select(ApiKey).order_by(col(ApiKey.created_at), col(ApiKey.id))
    if not include_revoked:
        query = query.where(col(ApiKey.revoked_at).is_(None))
    return list((await session.exec(query)).all())


async def revoke_key(session: AsyncSession, *, key_id: str) -> ApiKey | None:
    """Revoke the key now (again: a no-op keeping the first time); None when unknown."""
    row = await session.get(ApiKey, key_id)
    if row is None:
        return None
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        await session.flush()
    return row


async def audit(
    session: AsyncSession,
    *,
    by: Principal,
    action: str,
    target: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one audit row: ``by`` did ``action`` (``journey.launch``, ``conversation.read``,
    ``key.create``…) on ``target`` (a journey, an E.164 number, a key ID)."""
    session.add(
        AuditEntry(
            person=by.person,
            role=by.role.value,
            key_id=by.key_id,
            action=action,
            target=target,
            detail=detail,
        )
    )


async def audit_entries(
    session: AsyncSession, *, action: str | None = None, limit: int = 100
) -> list[AuditEntry]:
    """The latest ``limit`` audit rows, newest first; only ``action``'s when given."""
    query = select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(limit)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    return list((await session.exec(query)).all())


ERASE = "customer.erase"  # the audit action of an erasure (``api/routes/customers.py``)


async def erasures(session: AsyncSession, *, numbers: Collection[str]) -> dict[str, datetime]:
    """When each of ``numbers`` (E.164) was last erased, from the audit log (kept on purpose
    when the customer's rows go: ``switchboard.db.erasure``). Absent: never erased, or the
    erasure did not take effect (it is audited before it runs: a customer row older than it
    means it failed); a customer who wrote again since has a newer row and still counts."""
    if not numbers:
        return {}
    query = (
        select(AuditEntry.target, func.max(AuditEntry.at))
        .where(AuditEntry.action == ERASE, col(AuditEntry.target).in_(list(numbers)))
        .group_by(col(AuditEntry.target))
    )
    erased = {target: at for target, at in (await session.exec(query)).all()}
    if erased:
        rows = select(Customer.e164, Customer.created_at).where(col(Customer.e164).in_(erased))
        for e164, created_at in (await session.exec(rows)).all():
            if created_at <= erased[e164]:
                del erased[e164]
    return erased
