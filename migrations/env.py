"""Alembic environment: the schema is ``SQLModel.metadata`` (switchboard.db.models)."""

from alembic import context
from sqlalchemy import create_engine, pool
from sqlmodel import SQLModel

import switchboard.db.models  # noqa: F401  (registers the tables)
from switchboard.db.engine import sqlalchemy_url

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    url = sqlalchemy_url(config.get_main_option("sqlalchemy.url") or "")
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
