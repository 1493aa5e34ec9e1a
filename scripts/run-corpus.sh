#!/usr/bin/env bash
# The main job: installs dependencies, builds socksim and runs the bundled scenario corpus
# under scenarios/ in the simulator, printing one line per scenario and a summary.
# Extra arguments go to `socksim run` (for example --host, --seed 7, --junit report.xml).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-debian.sh
scripts/build.sh release >/dev/null
exec build/release/tools/socksim run scenarios "$@"
