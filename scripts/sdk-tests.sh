#!/usr/bin/env bash
# Runs the official Okta Go SDK v5's own integration tests against a freshly built and started
# okapi, and judges them against compat/expectations.json (exit 1 on a regression).
#
# Needs: Go, root (or CAP_NET_BIND_SERVICE) because the v5 SDK drops the port of the org URL and
# so must reach okapi on port 80, and the SDK's test dependencies (fetched from the Go module proxy
# on the first run). The first run compiles the SDK (several minutes on two cores); later runs
# reuse the build cache.
#
# Environment: OKAPI_COMPAT_ADDR (default 127.0.0.1:80; any 127.x.y.z:80 works, e.g. when another
# okapi holds 127.0.0.1:80), extra flags are passed to `okapi-compat go-sdk` (-run REGEXP,
# -test-timeout 2m, -bind-wait 3m, -work DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
go run ./cmd/okapi-compat go-sdk -addr "${OKAPI_COMPAT_ADDR:-127.0.0.1:80}" "$@"
