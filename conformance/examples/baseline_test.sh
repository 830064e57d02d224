#!/usr/bin/env bash
# baseline_test: one implementation we did not write, run over every case by
# its example script with its checked-in baseline of known deviations.
#
#   baseline_test.sh RUN_SCRIPT NAME BASELINE [MIN_ECHOED]
#
# RUN_SCRIPT (conformance/examples/run_h11.sh, run_node_echo.sh,
# conformance/live/run_nginx.sh) starts the implementation and runs
# httpconform with the flags it is given. The test fails when a case fails
# that BASELINE does not list (a new deviation, or a judge that changed) and
# when a listed case now does better (the line must go): either way the
# verdicts moved and the write-up in conformance/examples/README.md must be
# checked. MIN_ECHOED: for an echo origin, the fewest cases that must be
# echoed (the per-message checks ran). The reports are kept as undeclared
# test outputs.
set -uo pipefail

runfiles="${TEST_SRCDIR:-.}/shockwave"
script="$runfiles/$1"
name="$2"
baseline="$runfiles/$3"
min_echoed="${4:-0}"
out="${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}"
export HTTPCONFORM="$runfiles/conformance/httpconform"

rc=0
"$script" --baseline="$name=$baseline" --jobs=4 --timeout=5 --hold=1 \
  --output="$out/$name.txt" --output="$out/$name.json" --junit="$out/$name.junit.xml" || rc=$?
tail -n 1 "$out/$name.txt" 2>/dev/null
grep '^  baseline' "$out/$name.txt" 2>/dev/null

failed=0
if (( rc != 0 )); then
  echo "FAIL: httpconform exited $rc: new failures above, or it could not run" >&2
  failed=1
fi
if grep -q 'baseline line to remove' "$out/$name.txt" 2>/dev/null; then
  echo "FAIL: cases listed in $3 now do better: remove their lines and update the write-up" >&2
  failed=1
fi
echoed="$(grep -o '[0-9]* echoed)' "$out/$name.json" 2>/dev/null | wc -l)"
if (( echoed < min_echoed )); then
  echo "FAIL: $echoed cases echoed, want at least $min_echoed: the origin stopped speaking the echo contract" >&2
  failed=1
fi
exit "$failed"
