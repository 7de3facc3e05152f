#!/usr/bin/env bash
# Runs once, when the postgres service's volume is first initialised (the official image runs
# /docker-entrypoint-initdb.d/* then; later starts skip it). It may be sourced rather than
# executed, so it changes no shell options and never calls `exit`.
#
#  - role `temporal` (CREATEDB, not superuser): temporal-sql-tool creates and owns the
#    `temporal` and `temporal_visibility` databases itself (deploy/temporal/setup-schema.sh);
#  - role `switchboard` and its database `switchboard`, owned by it (Alembic creates the tables).
#
# Passwords are passed as psql variables and quoted by psql (:'name'), never spliced into SQL.

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v temporal_password="${TEMPORAL_DB_PASSWORD:?TEMPORAL_DB_PASSWORD is required}" \
    -v app_password="${APP_DB_PASSWORD:?APP_DB_PASSWORD is required}" <<'SQL'
CREATE ROLE temporal LOGIN CREATEDB PASSWORD :'temporal_password';
CREATE ROLE switchboard LOGIN PASSWORD :'app_password';
CREATE DATABASE switchboard OWNER switchboard;
SQL
