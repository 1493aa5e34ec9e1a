#!/usr/bin/env bash
# The whole test suite: installs dependencies, builds the plain and the sanitized trees, and runs
# every CTest test in both (unit tests, the scenario corpus, the tidy checks).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-debian.sh
for kind in release asan; do
  echo "== building $kind"
  scripts/build.sh "$kind"
  echo "== testing $kind"
  ctest --test-dir "build/$kind" --output-on-failure -j "$(nproc)"
  if [ "$kind" = release ]; then
    echo "== the example projects (examples/) against a fresh install"
    tests/examples.sh build/release
  fi
done
echo "== determinism across builds (Release against Debug with sanitizers)"
tests/determinism.sh build/release/tools/socksim scenarios build/asan/tools/socksim
