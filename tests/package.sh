#!/usr/bin/env bash
# The package as an embedder meets it (docs/embedding.md): this build tree installed into a
# temporary prefix, then an outside project (tests/package/) built and run against it with
# find_package(socksim 0.2 CONFIG) and, from the same main.cc, with pkg-config; and an outside
# project that adds the source tree with add_subdirectory, only configured (building it would
# rebuild the whole library): none of socksim's tests, command line or benchmarks is in its
# build, and none of socksim's warning flags reaches its own source.
#   tests/package.sh BUILD_DIR SOURCE_DIR CMAKE CXX BUILD_TYPE
# Exits 77 (skipped) when every check but the pkg-config one passed and pkg-config is missing.
set -euo pipefail
build=$(cd "$1" && pwd)
source=$(cd "$2" && pwd)
cmake=$3
cxx=$4
build_type=${5:-}

work=$(mktemp -d "${TMPDIR:-/tmp}/socksim-package.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
outside=$source/tests/package

fail() {
  echo "package: $*" >&2
  exit 1
}
# Runs a command quietly; on failure shows what it printed.
quiet() {
  "$@" >"$work/log" 2>&1 || { cat "$work/log" >&2; fail "failed: $*"; }
}
# What tests/package/main.cc prints when both of its checks pass.
expected='getpeername: -1 ENOTCONN
scenario: passed 2 failed 0 errors 0'
check_run() {  # check_run LABEL PROGRAM
  local out
  out=$("$2") || fail "$1: the program exited with $?: $out"
  [ "$out" = "$expected" ] || fail "$1: the program printed '$out', want '$expected'"
}

# ---- the install ----
quiet "$cmake" --install "$build" --prefix "$prefix"
for f in lib/libsocksim.a lib/libsocksim_sim.a lib/libsocksim_stack_core.a lib/libsocksim_tools.a \
         lib/libsocksim_personality_linux.a lib/libsocksim_tools_linux.a lib/libsocksim_testing.a \
         lib/cmake/socksim/socksimConfig.cmake lib/cmake/socksim/socksimConfigVersion.cmake \
         lib/cmake/socksim/socksimTargets.cmake lib/cmake/socksim/socksimTestingTargets.cmake \
         lib/pkgconfig/socksim.pc include/socksim/socksim.h include/socksim/world.h \
         include/socksim/testing.h; do
  [ -f "$prefix/$f" ] || fail "the install has no $f"
done
# The command line, the host executors and the internal headers are not the library's.
for f in lib/libsocksim_host_linux.a include/socksim/sim include/socksim/stack include/socksim/tools bin; do
  [ ! -e "$prefix/$f" ] || fail "the install has $f, which is not part of the public library"
done
# The public headers include the standard library, GoogleTest (testing.h alone) and each other,
# nothing else: no Boost, fmt, spdlog, CLI11 or Abseil, and no internal header.
bad=$(grep -rhE '^#include' "$prefix/include/socksim" | sort -u |
      grep -vE '^#include <[a-z_]+>$' | grep -vE '^#include "socksim/[a-z_]+\.h"$' |
      grep -vE '^#include <(gmock/gmock|gtest/gtest)\.h>$' || true)
[ -z "$bad" ] || fail "installed headers include more than the standard library and socksim/: $bad"
# Every socksim/ header they include is installed.
missing=$(grep -rhoE '#include "socksim/[^"]+"' "$prefix/include/socksim" |
          sed -E 's/#include "(.*)"/\1/' | sort -u |
          while read -r h; do [ -f "$prefix/include/$h" ] || echo "$h"; done)
[ -z "$missing" ] || fail "installed headers include headers that are not installed: $missing"
# Each public header compiles on its own with nothing but the prefix on the include path.
for h in "$prefix"/include/socksim/*.h; do
  [ "$(basename "$h")" = testing.h ] && continue
  echo "#include <socksim/$(basename "$h")>" | "$cxx" -std=c++20 -fsyntax-only -x c++ - -I "$prefix/include" ||
    fail "$(basename "$h") does not compile on its own"
done
# Nothing installed points back into the source or build tree.
if grep -rlF "$source" "$prefix/lib/cmake" "$prefix/lib/pkgconfig"; then
  fail "installed package files name the source tree $source"
fi

# ---- find_package, built and run ----
quiet "$cmake" -S "$outside" -B "$work/find" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_PREFIX_PATH="$prefix"
quiet "$cmake" --build "$work/find" -j 2
# The outside build links the installed libraries; it never builds socksim's.
grep -qF "$prefix/lib/libsocksim.a" "$work/find/build.ninja" ||
  fail "find_package: the outside build does not link $prefix/lib/libsocksim.a"
# Only the public include directory reaches it, and none of socksim's dependencies' flags.
! grep -E '^ *INCLUDES = ' "$work/find/build.ninja" | grep -qvE -- "^ *INCLUDES = -isystem $prefix/include$" ||
  fail "find_package: include flags other than $prefix/include reach the outside build"
# No definition of socksim's or its dependencies' (FMT_SHARED, SPDLOG_*, BOOST_*) reaches it.
! grep -qE '^ *DEFINES = ' "$work/find/build.ninja" ||
  fail "find_package: definitions reach the outside build: $(grep -E '^ *DEFINES = ' "$work/find/build.ninja")"
! grep -qF "$source/sim/" "$work/find/build.ninja" ||
  fail "find_package: the outside build refers to socksim's source tree"
check_run find_package "$work/find/t"

# ---- add_subdirectory, configured only ----
quiet "$cmake" -S "$outside" -B "$work/sub" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" \
  -DCMAKE_CXX_COMPILER="$cxx" -DSOCKSIM_SOURCE_DIR="$source" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
"$cmake" --build "$work/sub" --target help >"$work/targets"
# (An executable whose file is named like its target, such as t, has no entry of its own.)
for t in socksim socksim_sim socksim_tools socksim_tools_linux socksim_personality_linux; do
  grep -qE "^$t(:|$)" "$work/targets" || fail "add_subdirectory: no target $t (target list in $work/targets)"
done
for t in sim_tests core_tests tools_tests cli_tests socksim_cli socksim_host_linux connections_bench; do
  [ "$(grep -cE "^$t(:|$)" "$work/targets")" -eq 0 ] || fail "add_subdirectory: socksim's $t is in the outside build"
done
! grep -q socksimTargets "$work/sub/socksim/cmake_install.cmake" ||
  fail "add_subdirectory: socksim's install rules are in the outside build"
# compile_commands.json writes each entry's "command" on the line before its "file".
flags_of() { grep -B1 -E "\"file\": \".*/$1\"" "$work/sub/compile_commands.json" | head -1; }
outside_flags=$(flags_of tests/package/main.cc)
socksim_flags=$(flags_of sim/world.cc)
[ -n "$outside_flags" ] && [ -n "$socksim_flags" ] || fail "add_subdirectory: no compile command for main.cc or sim/world.cc"
# The check below means something only if socksim's own sources do get the flags.
echo "$socksim_flags" | grep -q -- -Wall || fail "add_subdirectory: sim/world.cc is compiled without -Wall"
for flag in -Wall -Wextra -Wpedantic -Werror -fsanitize; do
  ! echo "$outside_flags" | grep -q -- "$flag" || fail "add_subdirectory: socksim's $flag reaches the outside main.cc: $outside_flags"
done
echo "$outside_flags" | grep -qE -- '-std=(c|gnu)\+\+20' || fail "add_subdirectory: socksim::socksim does not ask for C++20: $outside_flags"

# ---- pkg-config, built and run ----
if ! command -v pkg-config >/dev/null; then
  echo "package: pkg-config is not installed; the pkg-config check is skipped" >&2
  exit 77
fi
pc_flags=$(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags --libs socksim) ||
  fail "pkg-config: socksim.pc is not usable"
mkdir -p "$work/pc"
# shellcheck disable=SC2086  # the flags are words
quiet "$cxx" -std=c++20 -o "$work/pc/t" "$outside/main.cc" $pc_flags
check_run pkg-config "$work/pc/t"
echo "package: the install, find_package, pkg-config and add_subdirectory checks passed"
