#!/usr/bin/env bash
# Determinism as a test: the scenario corpus recorded with one job and with one job per core
# gives byte-identical traces; given a second socksim (another build: Debug against Release),
# its recordings are compared too.
#   tests/determinism.sh SOCKSIM CORPUS [OTHER_SOCKSIM]
set -euo pipefail
socksim=$1
corpus=$2
other=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$socksim" run -j 1 --record "$work/one" "$corpus" >/dev/null || true
"$socksim" run --record "$work/many" "$corpus" >/dev/null || true
diff -r "$work/one" "$work/many"
if [ -n "$other" ]; then
  "$other" run --record "$work/other" "$corpus" >/dev/null || true
  diff -r "$work/one" "$work/other"
fi
count=$(find "$work/one" -type f | wc -l)
[ "$count" -gt 0 ] || { echo "determinism: nothing was recorded" >&2; exit 1; }
echo "determinism: $count traces identical"
