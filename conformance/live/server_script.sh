# server_script.sh: sourced by the scripts that start a server and run
# httpconform against it (run_nginx.sh, examples/run_node_echo.sh, and
# examples/run_h11.sh, which starts no server). It sets
#   httpconform  the command to run: $HTTPCONFORM if set, else `bazel run`
#                (built first, so the server does not wait for the build);
#   tmp          a temporary directory, removed on exit;
# and server_started PID makes the exit stop that process by its PID.
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
