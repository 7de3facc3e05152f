"""message.intent: the agent's intent for each of its replies in the conversation log

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

- ``message.intent``: the ``switchboard.agent_models.Intent`` value the agent decided for the
  reply this row holds (``reply/<sid>``, text or spoken); NULL on every other row and on
  replies logged before this revision. The console's analytics classify handoffs by it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("message", sa.Column("intent", sa.String(length=32), nullable=True))


def downgrade() -> None:
    op.drop_column("message", "intent")
