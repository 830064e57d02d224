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
[[ -n "$node" ]] || { echo "run_node_echo: node is not installed (./tools/bootstrap.sh installs it)" >&2; exit 2; }

source conformance/live/server_script.sh

"$node" conformance/examples/echo_origin.js 0 >"$tmp/node.log" 2>&1 &
server_started $!
listening_port "$tmp/node.log" || { echo "run_node_echo: node did not start (its output above)" >&2; exit 2; }

echo "run_node_echo: node $("$node" --version) on 127.0.0.1:$port" >&2
status=0
"${httpconform[@]}" --server="node-echo=127.0.0.1:$port" "$@" || status=$?
exit "$status"
