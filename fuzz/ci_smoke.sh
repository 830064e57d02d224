#!/bin/bash
# ci_smoke.sh SECONDS: CI's fuzz smoke test. Fuzzes every target for SECONDS
# (CI: 60) through run_all.sh, in a fresh work directory, and exits nonzero
# on the first crash, printing the reproducer's path (kept for the CI log
# and artifacts); on success the work directory is removed. With six
# targets: the fuzz build plus about 6 x (SECONDS + a few s of seed replay).
set -uo pipefail
seconds="${1:-60}"
here="$(cd "$(dirname "$0")" && pwd)"
export FUZZ_WORK="${FUZZ_WORK:-$(mktemp -d /tmp/shockwave-fuzz-ci.XXXXXX)}"
if "$here/run_all.sh" "$seconds"; then
  rm -rf "$FUZZ_WORK"
  exit 0
fi
echo "ci_smoke: fuzzing found a crash; reproducers and logs are kept in $FUZZ_WORK" >&2
exit 1
