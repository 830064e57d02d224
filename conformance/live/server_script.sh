# server_script.sh: sourced by the scripts that start a server and run
# httpconform against it (run_nginx.sh, live_server_test.sh,
# examples/run_node_echo.sh, results/regenerate.sh, and examples/run_h11.sh,
# which starts no server). It sets
#   httpconform  the command to run: $HTTPCONFORM if set, else `bazel run`
#                (built first, so the server does not wait for the build);
#   tmp          a temporary directory, removed on exit;
# server_started PID makes the exit stop that process by its PID, and
# listening_port LOG waits for the port it prints.
httpconform=()
if [[ -n "${HTTPCONFORM:-}" ]]; then
  httpconform=("$HTTPCONFORM")
else
  ./bazelw build -c opt //conformance:httpconform >&2
  httpconform=(./bazelw run -c opt //conformance:httpconform --)
fi

tmp="$(mktemp -d)"
server_pid=""
server_script_cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap server_script_cleanup EXIT

# server_started PID: the server to stop on exit.
server_started() { server_pid="$1"; }

# listening_port LOG: waits (10 s at most) until the started server writes
# "listening on http://127.0.0.1:PORT/" to LOG (ours and the Node echo origin
# do) and sets port; if it exits or never does, shows LOG and returns 1.
listening_port() {
  port=""
  for _ in $(seq 100); do
    port="$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$1")"
    [[ -n "$port" ]] && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$1" >&2
  return 1
}
