#!/usr/bin/env bash
# run_node_echo.sh: the conformance cases against Node.js's HTTP server,
# live, judged in echo mode (conformance/README.md, "the echo contract").
#
#   conformance/examples/run_node_echo.sh [httpconform flags...]
#   e.g. conformance/examples/run_node_echo.sh --output=/tmp/node.html
#
# Starts conformance/examples/echo_origin.js (Node's `http` module answering
# every request with the JSON of what Node parsed) on 127.0.0.1 and a port
# the kernel picks, runs `httpconform --server=node-echo=127.0.0.1:PORT`
# with the flags given, stops Node by its PID and exits with httpconform's
# status. Node is Debian's `nodejs` (tools/debian-packages.txt). Set
# HTTPCONFORM to a built binary to skip the build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

node="$(command -v node || command -v nodejs || true)"
[[ -n "$node" ]] || { echo "run_node_echo: node is not installed (./tools/bootstrap.sh installs nodejs)" >&2; exit 2; }

if [[ -n "${HTTPCONFORM:-}" ]]; then
  httpconform=("$HTTPCONFORM")
else
  ./bazelw build -c opt //conformance:httpconform >&2
  httpconform=(./bazelw run -c opt //conformance:httpconform --)
fi

tmp="$(mktemp -d)"
node_pid=""
cleanup() {
  if [[ -n "$node_pid" ]]; then
    kill "$node_pid" 2>/dev/null || true
    wait "$node_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

"$node" conformance/examples/echo_origin.js 0 >"$tmp/node.log" 2>&1 &
node_pid=$!

port=""
for _ in $(seq 100); do
  port="$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\)/$|\1|p' "$tmp/node.log")"
  [[ -n "$port" ]] && break
  kill -0 "$node_pid" 2>/dev/null || break
  sleep 0.05
done
[[ -n "$port" ]] || { echo "run_node_echo: node did not start:" >&2; cat "$tmp/node.log" >&2; exit 2; }

echo "run_node_echo: node $("$node" --version) on 127.0.0.1:$port" >&2
status=0
"${httpconform[@]}" --server="node-echo=127.0.0.1:$port" "$@" || status=$?
exit "$status"
