#!/usr/bin/env bash
# Configures and builds one socksim build tree.
#   scripts/build.sh release   -> build/release (optimised, with debug info)
#   scripts/build.sh asan      -> build/asan    (AddressSanitizer + UndefinedBehaviorSanitizer)
set -euo pipefail
cd "$(dirname "$0")/.."

kind=${1:-release}
case "$kind" in
  release) flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
  asan) flags=(-DCMAKE_BUILD_TYPE=Debug -DSOCKSIM_SANITIZE=ON) ;;
  *) echo "build: unknown build kind '$kind' (release or asan)" >&2; exit 2 ;;
esac

# ccache, when installed, keeps compiles of the same file with the same flags: a rebuild, and
# tests/examples.sh's add_subdirectory build of socksim, reuse them. The working directory is
# left out of the hash so that another build directory still finds them.
if command -v ccache >/dev/null; then
  flags+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_NOHASHDIR=true
fi
cmake -S . -B "build/$kind" -G Ninja "${flags[@]}" >/dev/null
cmake --build "build/$kind" -j "$(nproc)"
