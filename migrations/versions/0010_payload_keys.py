"""payload_key: the Temporal payload codec's data keys, one per customer, wrapped

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04

- ``payload_key``: a data key per customer (``scope`` = E.164) plus the ``system`` key,
  stored wrapped under SWITCHBOARD_PAYLOAD_MASTER_KEY (``switchboard.db.payload_keys``).
  Erasure deletes the customer's row: their Temporal histories can no longer be decrypted.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "payload_key",
        sa.Column("id", sa.String(length=32), primary_key=True),
        sa.Column("scope", sa.String(length=16), nullable=False, unique=True),
        sa.Column("wrapped", sa.LargeBinary(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )


def downgrade() -> None:
    op.drop_table("payload_key")
