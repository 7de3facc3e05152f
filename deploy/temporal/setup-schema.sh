#!/bin/sh
# The temporal-admin-tools job: create Temporal's two PostgreSQL databases and bring their
# schemas to the version this admin-tools image ships (it matches the server image's version).
# Idempotent, so it runs on every `docker compose up`, and an image upgrade migrates the schema:
# `create` ignores an existing database, `setup-schema -v 0.0` skips a database whose schema is
# already past 0.0, and `update-schema` applies only the missing versions.
#
# Connection settings come from the environment (temporal-sql-tool reads SQL_PASSWORD itself):
# SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD.
set -eu

: "${SQL_HOST:?}" "${SQL_PORT:?}" "${SQL_USER:?}" "${SQL_PASSWORD:?}"
SCHEMA_DIR=/etc/temporal/schema/postgresql/v12

tries=0
until nc -z "$SQL_HOST" "$SQL_PORT"; do
    tries=$((tries + 1))
    if [ "$tries" -ge 60 ]; then
        echo "PostgreSQL at $SQL_HOST:$SQL_PORT is not reachable" >&2
        exit 1
    fi
    sleep 1
done

sql_tool() {
    temporal-sql-tool --plugin postgres12 --ep "$SQL_HOST" -p "$SQL_PORT" -u "$SQL_USER" "$@"
}

# database name : schema directory under $SCHEMA_DIR
for pair in temporal:temporal temporal_visibility:visibility; do
    db=${pair%%:*}
    schema=${pair#*:}
    echo "Temporal schema: $db"
    sql_tool --db "$db" create
    sql_tool --db "$db" setup-schema -v 0.0
    sql_tool --db "$db" update-schema -d "$SCHEMA_DIR/$schema/versioned"
done

echo "Temporal schema setup complete"
