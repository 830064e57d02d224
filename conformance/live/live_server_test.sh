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
httpconform="$runfiles/conformance/httpconform"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"

server_flags=(--port 0)
echo_mode=""
if [[ "${1:-}" == "--echo" ]]; then
  echo_mode=1
  shift
  server_flags+=(--echo --max-header-bytes 32768 --max-body 8388608 --write-buffer 16777216 --max-connections 8)
fi

"$server" "${server_flags[@]}" 2>"$tmp/server.log" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null' EXIT

# It prints "listening on http://127.0.0.1:PORT/" once it accepts.
port=""
for _ in $(seq 100); do
  port="$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$tmp/server.log")"
  [[ -n "$port" ]] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [[ -z "$port" ]]; then
  echo "FAIL: the server did not start:" >&2
  cat "$tmp/server.log" >&2
  exit 1
fi

globs=()
for g in "$@"; do globs+=("--case=$g"); done
"$httpconform" --server="shockwave=127.0.0.1:$port" --timeout=1 ${globs[@]+"${globs[@]}"} \
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
  grep -q "^shockwave  .* $cases pass, 0 allowed, 0 fail  OK$" "$tmp/report.txt" ||
    { echo "FAIL: in echo mode with the parser's limits every case must pass strictly" >&2; exit 1; }
  echoed="$(grep -o '([0-9]* echoed)"' "$tmp/report.json" | wc -l)"
  if (( echoed < ${ECHO_MIN:-1} )); then
    echo "FAIL: only $echoed cases echoed, want at least ${ECHO_MIN:-1}" >&2
    exit 1
  fi
  echo "$cases passed, 0 failed; $echoed of them echoed and checked message by message"
else
  echo "$cases passed, 0 failed"
fi
