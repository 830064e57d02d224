#!/usr/bin/env bash
# live_server_test: our own server binary, live, against a subset of the
# conformance cases (the --case globs in BUILD.bazel): it must pass them all.
# Bounded: 1 s per case at most, the server is stopped whatever happens.
set -uo pipefail

runfiles="${TEST_SRCDIR:-.}/shockwave"
server="$runfiles/server/shockwave"
httpconform="$runfiles/conformance/httpconform"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"

"$server" --port 0 2>"$tmp/server.log" &
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
"$httpconform" --server="shockwave=127.0.0.1:$port" --timeout=1 "${globs[@]}" >"$tmp/report.txt"
rc=$?
cat "$tmp/report.txt"
if [[ $rc -ne 0 ]]; then
  echo "FAIL: httpconform exited $rc against our server" >&2
  exit 1
fi
grep -q "^shockwave  .* 0 fail  OK$" "$tmp/report.txt" || { echo "FAIL: no summary line" >&2; exit 1; }
cases="$(head -n 1 "$tmp/report.txt" | sed -n 's/^httpconform: \([0-9]*\) cases.*/\1/p')"
echo "$cases passed, 0 failed"
