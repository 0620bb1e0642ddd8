#!/usr/bin/env bash
# Regenerates COMPATIBILITY.md from the route table, the Okta spec, compat/expectations.json and the
# last results in compat/results/ (written by scripts/sdk-tests.sh and scripts/node-sdk-tests.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
go run ./cmd/okapi-compat report "$@"
