#!/usr/bin/env bash
# Runs okapi's whole Go test suite, SQLite and PostgreSQL halves.
#
# Set-up it does on its own: when PostgreSQL answers on 127.0.0.1:5432 it creates a fresh database
# for this run and exports OKAPI_TEST_POSTGRES_URL (dropped again at exit); when Redis answers on
# 127.0.0.1:6379 it exports OKAPI_TEST_REDIS_URL. Without them those tests skip and say so, except
# under CI=true, where a missing PostgreSQL or Redis is a failure.
#
# Extra arguments go to `go test` (e.g. ./scripts/test.sh -run TestUsers ./internal/httpapi/).
set -euo pipefail
cd "$(dirname "$0")/.."

# The spec validator (internal/oastest) reads openapi.yaml from the Okta SDK module, which a fresh
# machine has not downloaded yet: fetch every module first so a clean checkout tests cleanly.
go mod download

pg_host=${PGHOST:-127.0.0.1}
pg_port=${PGPORT:-5432}
created_db=""
cleanup() {
	if [ -n "$created_db" ]; then
		psql -h "$pg_host" -p "$pg_port" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $created_db WITH (FORCE)" >/dev/null 2>&1 || true
	fi
}
trap cleanup EXIT

if [ -z "${OKAPI_TEST_POSTGRES_URL:-}" ]; then
	if command -v psql >/dev/null && psql -h "$pg_host" -p "$pg_port" -U postgres -d postgres -qtAc 'SELECT 1' >/dev/null 2>&1; then
		created_db="okapi_test_$(date +%s)_$$"
		psql -h "$pg_host" -p "$pg_port" -U postgres -d postgres -qc "CREATE DATABASE $created_db" >/dev/null
		export OKAPI_TEST_POSTGRES_URL="postgres://postgres@$pg_host:$pg_port/$created_db?sslmode=disable"
		echo "test.sh: PostgreSQL tests use database $created_db"
	elif [ "${CI:-}" = "true" ]; then
		echo "test.sh: PostgreSQL is not reachable at $pg_host:$pg_port, and CI must run the PostgreSQL half" >&2
		exit 1
	else
		echo "test.sh: PostgreSQL not reachable: PostgreSQL tests will be skipped"
	fi
fi

if [ -z "${OKAPI_TEST_REDIS_URL:-}" ]; then
	if command -v redis-cli >/dev/null && [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; then
		export OKAPI_TEST_REDIS_URL="redis://127.0.0.1:6379/0"
	elif [ "${CI:-}" = "true" ]; then
		echo "test.sh: Redis is not reachable at 127.0.0.1:6379, and CI must run the Redis tests" >&2
		exit 1
	else
		echo "test.sh: Redis not reachable: Redis tests will be skipped"
	fi
fi

if [ $# -eq 0 ]; then
	set -- ./...
fi
go test -count=1 -timeout 20m "$@"
