#!/usr/bin/env bash
# access_log_test: `shockwave --access-log FILE` in both formats, through the
# binary: a line per response (errors the server answers itself included),
# each with the peer, request line, status, bytes sent and the client's
# strings escaped, the streamed upload's body size, and every line on disk
# once SIGTERM has stopped the server (the rings are drained at exit).
# Arguments go to the server (access_log_test_uring passes --io=uring).
set -uo pipefail

harness="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-shockwave}/testing/server_script.sh"
[[ -f "$harness" ]] || harness="testing/server_script.sh"
# shellcheck source=testing/server_script.sh
source "$harness"
[[ -x "$curl" && -x "$python" ]] || { echo "FAIL: curl and python3 are required"; exit 1; }

curl_() { "$curl" --silent --show-error --noproxy '*' --max-time 10 -o /dev/null "$@"; }
# raw BYTES: sends them on a connection of their own, reads to the end.
raw() {
  printf '%s' "$1" >"$tmp/raw.bin"
  "$python" - "$port" "$tmp/raw.bin" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(open(sys.argv[2], "rb").read())
s.settimeout(5)
while s.recv(65536):
    pass
PY
}
# stop_server: SIGTERM and wait, so the log is complete.
stop_server() { kill -TERM "$server_pid" && wait "$server_pid"; server_pid=""; }

head -c 300000 /dev/urandom >"$tmp/upload.bin"

# --- combined -------------------------------------------------------------
log="$tmp/combined.log"
rm -f "$log"
start_shockwave "$bin" --access-log "$log" "$@" || exit 1
curl_ -A 'agent "quoted"' -e 'http://referer.example/' "$base/plaintext"
curl_ -I "$base/json"
curl_ "$base/missing"
raw $'GET /x HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n'
raw $'GET /caf\xe9 HTTP/1.1\r\nHost: a\r\n\r\n'  # 400: a raw byte outside the target's grammar: a request-line rejected is "-"
raw $'GET /ok HTTP/1.1\r\nHost: a\r\nUser-Agent: caf\xe9 "\\"\r\nConnection: close\r\n\r\n'  # obs-text
stop_server

combined_lines() {
  local want=(
    '^127\.0\.0\.1 - - \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} \+0000\] "GET /plaintext HTTP/1\.1" 200 [0-9]+ "http://referer\.example/" "agent \\x22quoted\\x22"$'
    '"HEAD /json HTTP/1\.1" 200 [0-9]+ "-" "curl/'
    '"GET /missing HTTP/1\.1" 404 [0-9]+ '
    '"GET /x HTTP/1\.1" 400 [0-9]+ '
    '\] "-" 400 [0-9]+ "-" "-"$'
    '"GET /ok HTTP/1\.1" 404 [0-9]+ "-" "caf\\xE9 \\x22\\x5C\\x22"$'
  )
  local i=0 line ok=0
  [[ "$(wc -l <"$log")" -eq ${#want[@]} ]] || { echo "  $(wc -l <"$log") lines, not ${#want[@]}"; cat "$log"; return 1; }
  while IFS= read -r line; do
    [[ "$line" =~ ${want[$i]} ]] || { echo "  line $i: $line"; ok=1; }
    i=$((i + 1))
  done <"$log"
  return $ok
}
check "combined: a line per response, client strings escaped" combined_lines

# --- JSON -----------------------------------------------------------------
log="$tmp/json.log"
rm -f "$log"
start_shockwave "$bin" --threads 2 --access-log "$log" --access-log-format json "$@" || exit 1
curl_ -X POST -T "$tmp/upload.bin" "$base/upload"
curl_ -X POST -T "$tmp/upload.bin" -H 'Transfer-Encoding: chunked' "$base/upload"
for _ in $(seq 1 200); do curl_ "$base/plaintext" -o /dev/null "$base/json"; done
stop_server

json_lines() {
  "$python" - "$log" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="ascii").read().splitlines()
records = [json.loads(l) for l in lines]
keys = ["time", "peer", "method", "protocol", "status", "response_bytes", "request_body_bytes",
        "duration_us", "target", "referer", "user_agent"]
assert len(records) == 402, len(records)
assert all(list(r) == keys for r in records), records[0]
uploads = [r for r in records if r["target"] == "/upload"]
assert [r["request_body_bytes"] for r in uploads] == [300000, 300000], uploads
assert all(r["status"] == 200 and r["peer"] == "127.0.0.1" for r in records)
assert sum(r["target"] == "/plaintext" for r in records) == 200
assert all(r["response_bytes"] > 100 for r in records)
PY
}
check "json: every line parses, upload sizes, none lost at exit" json_lines

finish access_log_test
