"""message.media_ids: every media item of an inbound message, not only one

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02

- ``message.media_ids``: the IDs (``{MessageSid}/{i}``, Twilio's ``MediaUrl{i}`` order) of
  every media item of a WhatsApp message that carried several (up to 10: Twilio docs,
  "Messaging webhook request parameters", ``NumMedia``). NULL on a row with one medium or
  none, and on rows logged before this revision: readers take ``media_id`` then. No backfill:
  the rows logged before kept the last item's ID only, the others were never recorded.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "message",
        sa.Column("media_ids", postgresql.ARRAY(sa.String(length=80)), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("message", "media_ids")
