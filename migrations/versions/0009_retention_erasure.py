"""Retention and erasure: media_blob.remote_deleted_at, opt_out_hash

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

- ``media_blob.remote_deleted_at``: when the retention workflow DELETEd the blob's source (a
  call recording) at Twilio; the raw audio itself is only deleted after that.
- ``opt_out_hash``: the hashed E.164 of an erased customer who had opted out, per channel and
  purpose, so the send gate keeps honouring STOP.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "media_blob", sa.Column("remote_deleted_at", sa.DateTime(timezone=True), nullable=True)
    )
    # What the retention sweeps read: blobs by age.
    op.create_index("ix_media_blob_created_at", "media_blob", ["created_at"])
    op.create_index("ix_inbound_event_received_at", "inbound_event", ["received_at"])
    op.create_table(
        "opt_out_hash",
        sa.Column("number_hash", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
        sa.PrimaryKeyConstraint("number_hash", "channel", "purpose"),
    )


def downgrade() -> None:
    op.drop_table("opt_out_hash")
    op.drop_index("ix_inbound_event_received_at", table_name="inbound_event")
    op.drop_index("ix_media_blob_created_at", table_name="media_blob")
    op.drop_column("media_blob", "remote_deleted_at")
