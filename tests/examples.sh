#!/usr/bin/env bash
# The two example projects (examples/) built and run as their users would: find-package/
# against a fresh install of BUILD_DIR, add-subdirectory/ from the source tree, each with its
# own CMakeLists.txt and its GoogleTest suite run through CTest.
#   tests/examples.sh BUILD_DIR [BUILD_TYPE]
# ccache, when installed, serves add-subdirectory's build of socksim from BUILD_DIR's compiles
# of the same files with the same flags.
set -euo pipefail
source=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
build_type=${2:-RelWithDebInfo}
work=$(mktemp -d "${TMPDIR:-/tmp}/socksim-examples.XXXXXX")
trap 'rm -rf "$work"' EXIT
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_NOHASHDIR=true
fi

echo "== examples: installing $build"
cmake --install "$build" --prefix "$work/prefix" >/dev/null

echo "== examples: find-package"
cmake -S "$source/examples/find-package" -B "$work/find-package" -G Ninja \
  -DCMAKE_BUILD_TYPE="$build_type" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/find-package" -j "$(nproc)"
ctest --test-dir "$work/find-package" --output-on-failure -j "$(nproc)"

echo "== examples: add-subdirectory"
cmake -S "$source/examples/add-subdirectory" -B "$work/add-subdirectory" -G Ninja \
  -DCMAKE_BUILD_TYPE="$build_type" -DSOCKSIM_SOURCE_DIR="$source" "${launcher[@]}" >/dev/null
cmake --build "$work/add-subdirectory" -j "$(nproc)"
ctest --test-dir "$work/add-subdirectory" --output-on-failure -j "$(nproc)"
echo "== examples: both projects passed"
