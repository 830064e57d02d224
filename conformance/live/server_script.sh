# server_script.sh: sourced by the scripts that start a server and run
# httpconform against it (run_nginx.sh, live_server_test.sh,
# examples/run_node_echo.sh, results/regenerate.sh, and examples/run_h11.sh,
# which starts no server). It sets
#   httpconform  the command to run: $HTTPCONFORM if set, else `bazel run`
#                (built first, so the server does not wait for the build);
#   tmp          a temporary directory, removed on exit;
# server_started PID makes the exit stop that process by its PID,
# listening_port LOG waits for the port it prints, free_port and
# wait_for_port serve servers that take a port from their configuration.
httpconform=()
if [[ -n "${HTTPCONFORM:-}" ]]; then
  httpconform=("$HTTPCONFORM")
else
  ./bazelw build -c opt //conformance:httpconform >&2
  httpconform=(./bazelw run -c opt //conformance:httpconform --)
fi

tmp="$(mktemp -d)"
server_pid=""
server_pids=()
server_script_cleanup() {
  local pid _
  for pid in ${server_pids[@]+"${server_pids[@]}"}; do kill "$pid" 2>/dev/null || true; done
  # 15 s for a graceful stop (Apache takes up to 10), then SIGKILL: a
  # server that ignores SIGTERM (ATS, busy) must not outlive the run.
  for _ in $(seq 150); do
    local alive=0
    for pid in ${server_pids[@]+"${server_pids[@]}"}; do  # (an exited child stays a zombie until waited for)
      [[ -e /proc/$pid && "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]] && alive=1
    done
    (( alive )) || break
    sleep 0.1
  done
  for pid in ${server_pids[@]+"${server_pids[@]}"}; do
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap server_script_cleanup EXIT

# server_started PID: a server to stop on exit (the last one started is
# $server_pid, which listening_port watches).
server_started() {
  server_pid="$1"
  server_pids+=("$1")
}

# free_port: a port nothing listens on now (bind to 0, read back what the
# kernel chose), for servers that cannot pick their own and print it.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# wait_for_port PORT: waits (30 s at most) until 127.0.0.1:PORT accepts a
# connection; returns 1 if $server_pid exits or it never does.
wait_for_port() {
  for _ in $(seq 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

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
