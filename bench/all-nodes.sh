#!/usr/bin/env bash
# Runs bench/core.mjs once per Node major (those in .ci/node-majors unless given), using the same
# cached Node binaries as .ci/run (see .ci/ensure-node). Extra arguments go to bench/core.mjs.
#
#   bash bench/all-nodes.sh                 # every major, default runs
#   LOOSE_ENDS_BENCH_NODES="20 24" bash bench/all-nodes.sh --runs 11
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
read -r -a majors <<<"${LOOSE_ENDS_BENCH_NODES:-$(<.ci/node-majors)}"
status=0
for major in "${majors[@]}"; do
  bin="$(.ci/ensure-node "$major")"
  echo
  node bench/core.mjs --node "$bin/node" "$@" || status=1
done
exit $status
