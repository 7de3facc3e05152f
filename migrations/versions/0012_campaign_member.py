"""campaign_member: the audience of a broadcast campaign

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

- ``campaign_member``: one row per member of a campaign sent as one broadcast
  (``workflows/campaign.py``), inserted by the launch (``ON CONFLICT DO NOTHING``: a relaunch
  or a number listed twice is one member); the campaign's batches read and mark them. Erasure
  deletes a customer's rows.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "campaign_member",
        sa.Column("campaign_id", sa.String(length=200), nullable=False),
        sa.Column("e164", sa.String(length=16), nullable=False),
        sa.Column("variables", postgresql.JSONB(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.PrimaryKeyConstraint("campaign_id", "e164"),
    )
    op.create_index("ix_campaign_member_state", "campaign_member", ["campaign_id", "state"])
    # Erasure deletes by number.
    op.create_index("ix_campaign_member_e164", "campaign_member", ["e164"])


def downgrade() -> None:
    op.drop_index("ix_campaign_member_e164", table_name="campaign_member")
    op.drop_index("ix_campaign_member_state", table_name="campaign_member")
    op.drop_table("campaign_member")
