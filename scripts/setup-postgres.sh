#!/usr/bin/env bash
# Starts the local PostgreSQL 15 cluster (Debian postgresql-15) if it is down and creates the role
# and database the store tests use. Idempotent; run as root. Traffic stays on 127.0.0.1.
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
PG_CLUSTER="${PG_CLUSTER:-main}"
DB_ROLE="widecloud"
DB_PASSWORD="widecloud"
DB_NAME="widecloud_test"

as_postgres() {
    runuser -u postgres -- "$@"
}

if ! command -v pg_ctlcluster >/dev/null; then
    echo "setup-postgres: pg_ctlcluster not found; install it with: apt-get install -y postgresql-15" >&2
    exit 1
fi

if ! pg_lsclusters --no-header | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c' | grep -q .; then
    echo "setup-postgres: creating cluster $PG_VERSION/$PG_CLUSTER"
    pg_createcluster "$PG_VERSION" "$PG_CLUSTER"
fi

status="$(pg_lsclusters --no-header | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c {print $4}')"
if [ "$status" != "online" ]; then
    echo "setup-postgres: starting cluster $PG_VERSION/$PG_CLUSTER"
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
fi

port="$(pg_lsclusters --no-header | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c {print $3}')"
psql_admin=(psql --no-psqlrc --quiet --tuples-only --no-align --port "$port" --dbname postgres -v ON_ERROR_STOP=1)

# Identifiers and the password are constants of this script, so plain SQL text is safe here.
if [ "$(as_postgres "${psql_admin[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = '$DB_ROLE'")" != "1" ]; then
    as_postgres "${psql_admin[@]}" -c "CREATE ROLE $DB_ROLE LOGIN PASSWORD '$DB_PASSWORD'"
else
    as_postgres "${psql_admin[@]}" -c "ALTER ROLE $DB_ROLE LOGIN PASSWORD '$DB_PASSWORD'"
fi

if [ "$(as_postgres "${psql_admin[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != "1" ]; then
    as_postgres createdb --port "$port" --owner "$DB_ROLE" "$DB_NAME"
fi

echo "setup-postgres: PostgreSQL $PG_VERSION on 127.0.0.1:$port, database $DB_NAME owned by $DB_ROLE"
