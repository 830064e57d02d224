# node_echo.sh: sourced by run_node_echo.sh and node_echo_origin_test.sh.
# start_node_echo ORIGIN_JS LOG: starts Node on echo_origin.js on 127.0.0.1
# and a port the kernel picks; sets node (the binary), node_pid and port,
# or prints why it could not, stops what it started and returns 1. Once
# started, the caller stops node_pid.
start_node_echo() {
  local origin="$1" log="$2"
  node="$(command -v node || command -v nodejs || true)"
  [[ -n "$node" ]] || { echo "node is not installed (tools/debian-packages.txt lists nodejs)" >&2; return 1; }
  "$node" "$origin" 0 >"$log" 2>&1 &
  node_pid=$!
  port=""
  for _ in $(seq 100); do
    port="$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\)/$|\1|p' "$log")"
    [[ -n "$port" ]] && return 0
    kill -0 "$node_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "node did not start:" >&2
  cat "$log" >&2
  kill "$node_pid" 2>/dev/null
  wait "$node_pid" 2>/dev/null
  return 1
}
