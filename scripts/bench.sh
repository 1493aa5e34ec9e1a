#!/usr/bin/env bash
# The benchmarks (bench/README.md), over an optimised build (build/release, made if missing).
#   scripts/bench.sh           every benchmark with its default timing: the figures of the
#                              README's performance section (about 10 minutes, 20 GB free for
#                              the largest sizes)
#   scripts/bench.sh --short   every benchmark once, briefly, without the largest sizes: what CI
#                              runs to show they build and work; no figure is checked
# The comparisons with the kernel open real sockets on 127.0.0.1 only, so they run inside a
# private network namespace (needs root, as the README's commands do).
set -euo pipefail
cd "$(dirname "$0")/.."

short=false
case "${1:-}" in
  --short) short=true ;;
  "") ;;
  *) echo "bench: unknown option '$1' (--short or nothing)" >&2; exit 2 ;;
esac

[ -x build/release/bench/kernel_compare_bench ] || bash scripts/build.sh release
b=build/release/bench

if $short; then
  # Google Benchmark 1.7 takes --benchmark_min_time in seconds, as a plain number.
  once=(--benchmark_min_time=0.01)
  large='/1000000|/100000/'
  in_namespace() { unshare -n sh -c 'ip link set lo up && exec "$@"' sh "$@"; }
  in_namespace "$b/kernel_compare_bench" "${once[@]}"
  in_namespace "$b/personalities_bench" "${once[@]}"
  "$b/connections_bench" "${once[@]}" --benchmark_filter="-($large)"
  "$b/replay_bench" "${once[@]}" --benchmark_filter="-($large)"
  echo "bench: every benchmark ran once (short mode; figures not checked)"
  exit 0
fi

in_namespace() { unshare -n sh -c 'ip link set lo up && exec "$@"' sh "$@"; }
in_namespace "$b/kernel_compare_bench" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
in_namespace "$b/personalities_bench" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
"$b/connections_bench"
"$b/replay_bench"
