"""People's API keys (create, list, revoke) and the audit log. Admin only.

``switchboard keys create|list|revoke`` and ``switchboard audit`` call these. A key's secret is
in the ``POST /keys`` answer only: it is stored as its SHA-256 (``switchboard.access``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, status
from pydantic import BaseModel, Field

from api.access import ErrorOut
from api.deps import DbDep, require
from switchboard.access import Principal, Role
from switchboard.db.access import audit, audit_entries, create_key, list_keys, revoke_key
from switchboard.db.models import ApiKey

router = APIRouter(tags=["access"])
AdminDep = Annotated[Principal, require(Role.ADMIN)]
KeyIdPath = Annotated[str, Path(pattern=r"^[0-9a-f]{12}$", description="The key's public ID")]


class KeyIn(BaseModel):
    person: str = Field(
        min_length=1,
        max_length=120,
        pattern=r"^[^\x00-\x1f\x7f]+$",  # printable: PostgreSQL text cannot hold NUL
        description="Who holds the key (a name or e-mail address)",
    )
    role: Role


class KeyOut(BaseModel):
    id: str  # public: lists, revocation, the audit log
    person: str
    role: Role
    created_by: str
    created_at: datetime  # UTC
    revoked_at: datetime | None

    @classmethod
    def of(cls, row: ApiKey) -> KeyOut:
        return cls(
            id=row.id,
            person=row.person,
            role=Role(row.role),
            created_by=row.created_by,
            created_at=row.created_at,
            revoked_at=row.revoked_at,
        )


class NewKeyOut(KeyOut):
    token: str = Field(description="The key itself (X-API-Key); shown this once, never stored")


class KeysOut(BaseModel):
    keys: list[KeyOut]


@router.post("/keys", status_code=status.HTTP_201_CREATED)
async def create(body: KeyIn, db: DbDep, by: AdminDep) -> NewKeyOut:
    """A new key for a person with a role (``key.create`` in the audit log)."""
    async with db.session() as s:
        row, key = await create_key(s, person=body.person, role=body.role, created_by=by.person)
        await audit(s, by=by, action="key.create", target=row.id, detail={"role": row.role})
    return NewKeyOut(**KeyOut.of(row).model_dump(), token=key.token)


@router.get("/keys")
async def keys(db: DbDep, by: AdminDep) -> KeysOut:
    """Every key, oldest first, revoked ones included (never the secrets)."""
    async with db.session() as s:
        return KeysOut(keys=[KeyOut.of(row) for row in await list_keys(s)])


@router.delete("/keys/{key_id}", responses={404: {"model": ErrorOut, "description": "No such key"}})
async def revoke(key_id: KeyIdPath, db: DbDep, by: AdminDep) -> KeyOut:
    """Revoke a key: from now on it answers 401 (``key.revoke`` in the audit log)."""
    async with db.session() as s:
        row = await revoke_key(s, key_id=key_id)
        if row is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no key {key_id}")
        await audit(s, by=by, action="key.revoke", target=key_id)
    return KeyOut.of(row)


class AuditOut(BaseModel):
    at: datetime  # UTC
    person: str
    role: Role
    key_id: str | None  # None: the bootstrap key
    action: str
    target: str
    detail: dict[str, object] | None


class AuditLogOut(BaseModel):
    entries: list[AuditOut]


@router.get("/audit")
async def audit_log(
    db: DbDep,
    by: AdminDep,
    action: Annotated[
        str | None,
        Query(pattern=r"^[a-z_]+\.[a-z_]+$", description="Only this action, e.g. journey.launch"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> AuditLogOut:
    """The latest audit entries, newest first."""
    async with db.session() as s:
        rows = await audit_entries(s, action=action, limit=limit)
    return AuditLogOut(
        entries=[
            AuditOut(
                at=r.at,
                person=r.person,
                role=Role(r.role),
                key_id=r.key_id,
                action=r.action,
                target=r.target,
                detail=r.detail,
            )
            for r in rows
        ]
    )
