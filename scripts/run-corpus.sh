#!/usr/bin/env bash
# The main job: installs dependencies, builds socksim and runs the bundled scenario corpus
# under scenarios/, printing one line per scenario and a summary. Extra arguments go to
# `socksim run`.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-debian.sh
scripts/build.sh release >/dev/null
if ! build/release/tools/socksim run --help >/dev/null 2>&1; then
  echo "run-corpus: this build of socksim has no scenario runner yet (roadmap step 3/9);" >&2
  echo "run-corpus: the library and its tests are available: scripts/test.sh" >&2
  exit 2
fi
exec build/release/tools/socksim run scenarios "$@"
