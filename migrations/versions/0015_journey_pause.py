"""journey_pause: a journey paused holds the runs that start after the pause too

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02

- ``journey_pause``: one row per paused journey (its name), with who paused it and when,
  written by ``operations.manage.pause`` and deleted by ``resume``. Runs that start while it
  is there (a trigger, an audience launch) start paused. No row before this revision: every
  journey is running, as it was.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "journey_pause",
        sa.Column("journey", sa.String(length=63), primary_key=True),
        sa.Column("paused_by", sa.String(length=120), nullable=False),
        sa.Column(
            "paused_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
    )


def downgrade() -> None:
    op.drop_table("journey_pause")
