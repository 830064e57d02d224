#!/usr/bin/env bash
# live_server_test: our own server binary, live, against the conformance
# cases (the --case globs given as arguments, or every case): it must pass
# them all. Bounded: 1 s per case at most, the server is stopped whatever
# happens.
#
# With --echo first, the server runs as `shockwave --echo` (the echo
# contract, conformance/README.md) and httpconform also checks every
# per-message expectation of every echoed case. The server then gets the
# strict parser's own limits (so no case is merely allowed by a smaller
# configured limit) and a write buffer that holds the largest echo (an
# 8 MiB body is 11 MiB of base64); the run must be all pass, and the number
# of echoed cases at least ECHO_MIN (so the per-message checks did run).
set -uo pipefail

runfiles="${TEST_SRCDIR:-.}/shockwave"
server="$runfiles/server/shockwave"
export HTTPCONFORM="$runfiles/conformance/httpconform"
source "$runfiles/conformance/live/server_script.sh"

server_flags=(--port 0)
# Per case, the answer must come within this; an echo of the 8 MiB case
# can take longer than a second on a loaded machine, so echo mode waits
# more and runs four cases at a time to keep the whole run short.
judge_flags=(--timeout=1)
echo_mode=""
if [[ "${1:-}" == "--echo" ]]; then
  echo_mode=1
  shift
  # The 8 MiB echo takes about a second under ASan: the judge waits up to
  # 10 s for an answer, four cases at a time, and holds an incomplete
  # request 1 s; the server's own header and body timeouts (60 s) stay
  # longer than that so its 408 never comes first.
  server_flags+=(--echo --max-header-bytes 32768 --max-body 8388608 --write-buffer 16777216 --max-connections 16
    --header-timeout 60 --body-timeout 60)
  judge_flags=(--timeout=10 --hold=1 --jobs=4)
fi

"$server" "${server_flags[@]}" 2>"$tmp/server.log" &
server_started $!
listening_port "$tmp/server.log" || { echo "FAIL: the server did not start (its output above)" >&2; exit 1; }

globs=()
for g in "$@"; do globs+=("--case=$g"); done
"${httpconform[@]}" --server="shockwave=127.0.0.1:$port" "${judge_flags[@]}" ${globs[@]+"${globs[@]}"} \
  --output="$tmp/report.txt" --output="$tmp/report.json"
rc=$?
cat "$tmp/report.txt"
if [[ $rc -ne 0 ]]; then
  echo "FAIL: httpconform exited $rc against our server" >&2
  exit 1
fi
grep -q "^shockwave  .* 0 fail  OK$" "$tmp/report.txt" || { echo "FAIL: no summary line" >&2; exit 1; }
cases="$(head -n 1 "$tmp/report.txt" | sed -n 's/^httpconform: \([0-9]*\) cases.*/\1/p')"
if [[ -n "$echo_mode" ]]; then
  # With the parser's limits every case must pass strictly, except the ones
  # ECHO_ALLOWED names (space-separated ids; say why where it is set).
  python3 - "$tmp/report.json" "${ECHO_ALLOWED:-}" <<'PY' || exit 1
import json, sys
report, allowed = json.load(open(sys.argv[1])), set(sys.argv[2].split())
ids = [c["id"] for c in report["cases"]]
got = {ids[i]: r["verdict"] for i, r in enumerate(report["runs"][0]["results"]) if r["verdict"] != "pass"}
bad = {i: v for i, v in got.items() if not (v == "allowed" and i in allowed)}
for i, v in sorted(bad.items()): print(f"FAIL: {i} is {v}, not pass", file=sys.stderr)
sys.exit(1 if bad else 0)
PY
  echoed="$(grep -o '([0-9]* echoed)"' "$tmp/report.json" | wc -l)"
  if (( echoed < ${ECHO_MIN:-1} )); then
    echo "FAIL: only $echoed cases echoed, want at least ${ECHO_MIN:-1}" >&2
    exit 1
  fi
  echo "$cases passed, 0 failed; $echoed of them echoed and checked message by message"
else
  echo "$cases passed, 0 failed"
fi
