"""The ``switchboard-migrate`` job of docker-compose.yml: check the settings, then apply the
Alembic migrations, before the API and the worker start.

Building ``Settings`` first runs its production check, so a deployment with placeholder or
missing secrets stops here, with their names, instead of in a restart loop of the API and the
worker. Run from the image's /app: ``python deploy/migrate.py``.
"""

from __future__ import annotations

import sys

from pydantic import ValidationError

from switchboard.db.migrate import upgrade
from switchboard.settings import Settings


def main() -> int:
    try:
        settings = Settings()
    except ValidationError as exc:
        # Messages only: the input values would put secrets in the logs.
        for error in exc.errors(include_url=False, include_input=False):
            where = "".join(f"{part}: " for part in error["loc"])
            sys.stderr.write(f"switchboard-migrate: {where}{error['msg']}\n")
        return 2
    if not settings.database_url:
        sys.stderr.write("switchboard-migrate: DATABASE_URL is not set\n")
        return 2
    upgrade(settings.database_url)
    sys.stdout.write("switchboard-migrate: database schema is up to date\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
