#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, with clang, ASan and UBSan) in build/fuzz and runs each
# for SECONDS (default 60) on a corpus seeded from the scenarios and the trace fixtures.
#   scripts/fuzz.sh [SECONDS] [TARGET...]      targets: parse import graph run (default all)
# A crash, leak or hang stops the target and leaves its input in build/fuzz/crashes/; the
# script then exits 1. Each crash found becomes a test (tests/tools/data/fuzz/, docs/reliability.md).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(parse import graph run)

cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DSOCKSIM_FUZZ=ON -DSOCKSIM_BUILD_TESTS=OFF -DSOCKSIM_BUILD_BENCH=OFF >/dev/null
cmake --build build/fuzz -j "$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}")

seeds() {
  case "$1" in
    parse|run) find scenarios -name '*.scn' ;;
    import) find tests/tools/data/strace -maxdepth 1 -name '*.log'; find tests/tools/data/strace/ff -type f ;;
    graph) find tests/tools/graph/data -type f \( -name '*.dot' -o -name '*.gv' -o -name '*.gml' \) ;;
  esac
}

mkdir -p build/fuzz/crashes
status=0
for t in "${targets[@]}"; do
  corpus=build/fuzz/corpus/$t
  mkdir -p "$corpus"
  # The corpus grows across runs; the seeds are copied in each time (by content, no clashes).
  while IFS= read -r f; do cp -f "$f" "$corpus/seed-$(sha1sum "$f" | cut -c1-16)"; done < <(seeds "$t")
  echo "fuzz: $t for ${seconds}s"
  if ! ASAN_OPTIONS=detect_leaks=1 "build/fuzz/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
      -max_len=16384 -print_final_stats=1 -artifact_prefix="build/fuzz/crashes/$t-" "$corpus" \
      > "build/fuzz/$t.log" 2>&1; then
    echo "fuzz: $t found a problem (build/fuzz/$t.log, build/fuzz/crashes/):" >&2
    grep -E "ERROR|SUMMARY|Test unit written" "build/fuzz/$t.log" | head -5 >&2 || true
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "build/fuzz/$t.log" | tail -2 || true
  fi
done
exit $status
