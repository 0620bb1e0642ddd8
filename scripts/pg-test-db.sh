#!/usr/bin/env bash
# Creates the PostgreSQL database okapi's tests use and prints the line to export.
#
#   eval "$(./scripts/pg-test-db.sh)"     # then: go test ./...
#
# It talks to the local server (127.0.0.1:5432, trust auth; override with PGHOST, PGPORT,
# PGUSER) and creates the database okapi_test (or $1) if it does not exist. Each test run then
# works in fresh schemas of its own inside it (okapi_test_<random>, dropped at the end), so the
# database can be reused and runs can overlap. Under CI=true the PostgreSQL tests fail instead
# of skipping when OKAPI_TEST_POSTGRES_URL is unset, so run this first in CI.
set -euo pipefail

host=${PGHOST:-127.0.0.1}
port=${PGPORT:-5432}
user=${PGUSER:-postgres}
db=${1:-okapi_test}

if ! [[ $db =~ ^[a-z_][a-z0-9_]*$ ]]; then
	echo "pg-test-db.sh: database name must be lower-case letters, digits and _: $db" >&2
	exit 2
fi
if ! psql -h "$host" -p "$port" -U "$user" -d postgres -qtAc 'SELECT 1' >/dev/null; then
	echo "pg-test-db.sh: PostgreSQL is not reachable at $host:$port as $user" >&2
	exit 1
fi
if [ "$(psql -h "$host" -p "$port" -U "$user" -d postgres -qtAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]; then
	psql -h "$host" -p "$port" -U "$user" -d postgres -qc "CREATE DATABASE $db" >/dev/null
	echo "pg-test-db.sh: created database $db" >&2
fi
echo "export OKAPI_TEST_POSTGRES_URL='postgres://$user@$host:$port/$db?sslmode=disable'"
