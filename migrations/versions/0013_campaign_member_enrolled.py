"""campaign_member.enrolled_at: when a member entered the wait before a broadcast's send

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02

- ``campaign_member.enrolled_at``: when the campaign took a member into the journey's wait
  before its send (``workflows/campaign.py``), on Temporal's clock as a run's would be; what
  the member wrote or said since then ends their wait (``exit_on: replied``). Null for members
  of a journey without that wait.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "campaign_member", sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("campaign_member", "enrolled_at")
