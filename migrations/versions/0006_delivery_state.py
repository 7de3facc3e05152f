"""message and outbox: Twilio's delivery state and error code

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

- ``message.error_code``: Twilio's ``ErrorCode`` when the message ended ``failed`` or
  ``undelivered`` (``message.status`` already holds the delivery state).
- ``outbox.delivery_status``, ``outbox.error_code``: what Twilio's status callbacks said of the
  send (``queued`` → ``sent`` → ``delivered`` → ``read``, or ``failed``/``undelivered`` with
  the code); ``outbox.status`` stays our side of the send (pending, sent, failed). NULL on rows
  written before this revision and until the first callback.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "message",
        sa.Column("error_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    )
    op.add_column(
        "outbox",
        sa.Column("delivery_status", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    )
    op.add_column(
        "outbox",
        sa.Column("error_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    )
    # Status callbacks find the outbox row by the provider's SID.
    op.create_index("ix_outbox_provider_sid", "outbox", ["provider_sid"])


def downgrade() -> None:
    op.drop_index("ix_outbox_provider_sid", table_name="outbox")
    op.drop_column("outbox", "error_code")
    op.drop_column("outbox", "delivery_status")
    op.drop_column("message", "error_code")
