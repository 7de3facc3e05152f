"""bookings: service, duration, cancellation time

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "booking", sa.Column("service", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
    )
    op.add_column("booking", sa.Column("duration_minutes", sa.Integer(), nullable=True))
    op.add_column("booking", sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
    # Availability reads every confirmed booking in a time range.
    op.create_index("ix_booking_status_slot", "booking", ["status", "slot_start"])


def downgrade() -> None:
    op.drop_index("ix_booking_status_slot", table_name="booking")
    op.drop_column("booking", "cancelled_at")
    op.drop_column("booking", "duration_minutes")
    op.drop_column("booking", "service")
