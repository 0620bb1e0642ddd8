#!/usr/bin/env bash
# Runs the Node SDK scenarios (compat/node/scenarios, official @okta/okta-sdk-nodejs pinned in
# compat/node/package-lock.json) against a freshly built okapi serving HTTPS on a free port, its
# generated CA trusted through NODE_EXTRA_CA_CERTS. Exit 1 when a scenario expected to pass fails.
#
# Needs: Go, node >= 18 and npm (npm ci reaches the npm registry on a cold cache).
set -euo pipefail
cd "$(dirname "$0")/.."
(cd compat/node && npm ci --no-audit --no-fund --loglevel=error)
go run ./cmd/okapi-compat node-sdk "$@"
