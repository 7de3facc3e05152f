"""inbound_event as a transactional inbox; flagged numbers; frequency-cap reservations

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

- ``inbound_event``: ``seq`` (the order the API committed a customer's events in: the relay
  hands them over in it), ``handed_over_at``, ``relay_attempts``, ``relay_error`` and
  ``relay_after`` (no retry before), and a partial index over the pending WhatsApp messages
  (what the relay reads). Rows written before this revision were handed over synchronously by
  the webhook (or refused with a 503 then): they are marked handed over, never re-driven.
- ``customer.number_flag``: why the number is suspicious though accepted (e.g. a range
  libphonenumber's data does not know); NULL for an ordinary number.
- ``send_reservation``: one row per journey step that passed the frequency cap, written under
  the customer's lock in the gate's transaction (the cap counts them until the send's outbox
  row exists).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "inbound_event",
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False),
    )
    op.add_column(
        "inbound_event", sa.Column("handed_over_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "inbound_event",
        sa.Column("relay_attempts", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column(
        "inbound_event",
        sa.Column("relay_error", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    )
    op.add_column(
        "inbound_event", sa.Column("relay_after", sa.DateTime(timezone=True), nullable=True)
    )
    op.execute("UPDATE inbound_event SET handed_over_at = received_at")
    op.create_index(
        "ix_inbound_event_relay_pending",
        "inbound_event",
        ["customer_e164", "seq"],
        postgresql_where=sa.text("handed_over_at IS NULL AND kind = 'whatsapp_message'"),
    )

    op.add_column(
        "customer",
        sa.Column("number_flag", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    )

    op.create_table(
        "send_reservation",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("customer_e164", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index(
        "ix_send_reservation_customer_created",
        "send_reservation",
        ["customer_e164", "created_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_send_reservation_customer_created", table_name="send_reservation")
    op.drop_table("send_reservation")
    op.drop_column("customer", "number_flag")
    op.drop_index("ix_inbound_event_relay_pending", table_name="inbound_event")
    op.drop_column("inbound_event", "relay_after")
    op.drop_column("inbound_event", "relay_error")
    op.drop_column("inbound_event", "relay_attempts")
    op.drop_column("inbound_event", "handed_over_at")
    op.drop_column("inbound_event", "seq")
