# server_script.sh: what the shell tests that drive the shockwave binary
# share (sourced, not run): pass/fail/skip counting, a cleanup that stops
# every process they started by its pid, waiting for a line in a log, and
# starting the server on a port the kernel picks.
#
#   source "$(dirname "$0")/../../testing/server_script.sh"   # or from runfiles
#   start_shockwave "$bin" --threads 2 ... || exit 1          # $bin, $curl, $python are set here;
#                                                             # start_shockwave sets server_pid, port, base
#   check "name" some_function
#   finish "my_test"                                          # the summary line and exit status

tmp="${TEST_TMPDIR:-$(mktemp -d)}"
# The shockwave binary (in the test's runfiles, or bazel-bin's tree when run
# by hand from there) and the clients the scripts drive.
bin="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-shockwave}/server/shockwave"
[[ -x "$bin" ]] || bin="server/shockwave"
python=/usr/bin/python3
curl=/usr/bin/curl
passed=0
failed=0
skipped=0
pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1${2:+ ($2)}"; failed=$((failed + 1)); }
skip() { echo "SKIP: $1"; skipped=$((skipped + 1)); }
# check NAME COMMAND...: a test that passes when COMMAND succeeds.
check() {
  local name="$1"; shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}

# Processes to stop on exit, by pid (started_pids+=($!)); server_pid too.
started_pids=()
server_pid=""
stop_started() {
  local pid
  for pid in "${started_pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  return 0
}
trap stop_started EXIT

# wait_for_line FILE REGEX: prints the first capture of REGEX (sed -E) once it
# appears in FILE, within 10 s.
wait_for_line() {
  local value=""
  for _ in $(seq 1 100); do
    value="$(sed -nE "s|$2|\\1|p" "$1" 2>/dev/null | head -n1)"
    [[ -n "$value" ]] && { echo "$value"; return 0; }
    sleep 0.1
  done
  return 1
}

# start_shockwave BIN ARGS...: the server on 127.0.0.1 and a free port, its
# stderr in $tmp/server.err; sets server_pid, port and base.
start_shockwave() {
  local bin="$1"; shift
  [[ -x "$bin" ]] || { echo "FAIL: no shockwave binary at $bin"; return 1; }
  "$bin" --port 0 "$@" 2>"$tmp/server.err" &
  server_pid=$!
  if ! port="$(wait_for_line "$tmp/server.err" '.*listening on http://127\.0\.0\.1:([0-9]+)/.*')"; then
    echo "FAIL: the server did not start"; cat "$tmp/server.err"; return 1
  fi
  base="http://127.0.0.1:$port"
  echo "shockwave listening on $base (pid $server_pid)"
}

# finish NAME: the summary line; the exit status says whether any failed.
finish() {
  echo "$1: $passed passed, $failed failed, $skipped skipped"
  (( failed == 0 ))
}
