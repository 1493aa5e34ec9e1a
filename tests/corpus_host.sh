#!/usr/bin/env bash
# The Linux corpus on this machine's kernel (socksim run --host). Needs root and unshare(2)
# for a private network namespace; without them the test is reported as skipped (exit 77).
set -u
socksim=$1
corpus=$2
if [ "$(id -u)" -ne 0 ] || ! unshare -n true 2>/dev/null; then
  echo "corpus.host: skipped (needs root and network namespaces)"
  exit 77
fi
exec "$socksim" run --host "$corpus"
