#!/usr/bin/env bash
# Runs every Go fuzz target in the module for DURATION each (default 10s), one after another.
#
#   ./scripts/fuzz.sh            # 10s per target: what CI runs
#   ./scripts/fuzz.sh 10m        # a longer local run
#   FUZZ=FuzzParse ./scripts/fuzz.sh 1h   # only targets whose name matches the regexp
#
# Plain `go test` already runs each target's seed corpus (f.Add and testdata/fuzz/<Name>/).
# When fuzzing finds a failure, Go writes the input to testdata/fuzz/<Name>/ in that package and
# this script stops with it: fix the bug and commit the file, so the input stays a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${1:-10s}
only=${FUZZ:-.}

# "package-dir FuzzName" for every fuzz function in a _test.go file.
targets=$(grep -rE --include='*_test.go' '^func (Fuzz[A-Za-z0-9_]+)\(f \*testing\.F\)' . \
	| sed -E 's#^\./(.*)/[^/]+_test\.go:func (Fuzz[A-Za-z0-9_]+).*#\1 \2#' | sort -u)
if [ -z "$targets" ]; then
	echo "fuzz.sh: no fuzz targets found" >&2
	exit 1
fi

n=0
while read -r dir name; do
	if ! [[ $name =~ $only ]]; then
		continue
	fi
	n=$((n + 1))
	printf '\n=== %s (./%s) for %s\n' "$name" "$dir" "$duration"
	go test -run '^$' -fuzz "^${name}\$" -fuzztime "$duration" "./$dir"
done <<<"$targets"
echo
echo "fuzz.sh: $n targets fuzzed for $duration each"
