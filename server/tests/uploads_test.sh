#!/usr/bin/env bash
# uploads_test: streamed request bodies and deferred responses (handler.h),
# through the shockwave binary's /upload and /delay/:ms, with curl and
# Python's http.client:
#   - one upload of UPLOAD_MIB MiB (64 by default; 1024 by hand), by
#     Content-Length and chunked: the size and CRC-32 the server answers are
#     the file's, and its peak RSS (VmHWM) grows by less than 1 MiB;
#   - CONCURRENT uploads of CONCURRENT_MIB MiB each at once (32 × 4 by
#     default; 256 × 16 by hand): every answer right, and the peak RSS grows
#     by no more than those connections' slab slots (input + output buffer);
#   - a slow upload, a few bytes at a time;
#   - /delay/:ms answers after ms, many at once, and one no client waits
#     for any more changes nothing for the others; one never woken in time
#     is 503 after --deferred-timeout.
# Arguments go to the server (uploads_test_uring passes --io=uring).
set -uo pipefail

harness="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-shockwave}/testing/server_script.sh"
[[ -f "$harness" ]] || harness="testing/server_script.sh"
# shellcheck source=testing/server_script.sh
source "$harness"
upload_mib="${UPLOAD_MIB:-64}"
concurrent="${CONCURRENT:-32}"
concurrent_mib="${CONCURRENT_MIB:-4}"
[[ -x "$curl" && -x "$python" ]] || { echo "FAIL: curl and python3 are required"; exit 1; }

max_connections=$((concurrent + 16))
start_shockwave "$bin" --threads 2 --max-connections "$max_connections" --deferred-timeout 2 "$@" || exit 1
# The slots' sizes, as --help reports the defaults this run uses.
read_buffer=$((8192 + 2 * 16384 + 65536 + 1024))
write_buffer=65536

hwm_kib() { awk '/VmHWM/{print $2}' "/proc/$server_pid/status"; }

# make_file PATH MIB: random bytes; prints their CRC-32 (zlib's).
make_file() {
  "$python" - "$1" "$2" <<'PY'
import os, sys, zlib
path, mib = sys.argv[1], int(sys.argv[2])
crc = 0
with open(path, "wb") as f:
    for _ in range(mib):
        block = os.urandom(1 << 20)
        crc = zlib.crc32(block, crc)
        f.write(block)
print("%08x" % crc)
PY
}

# upload FILE [CURL ARGS...]: POSTs FILE to /upload; prints the answer.
upload() {
  local file="$1"; shift
  "$curl" -sS --max-time 600 -T "$file" -X POST "$@" "$base/upload"
}

big="$tmp/upload.bin"
big_crc="$(make_file "$big" "$upload_mib")"
big_bytes=$((upload_mib << 20))
want="{\"bytes\":$big_bytes,\"crc32\":\"$big_crc\"}"

# One upload to warm the slot up, so the peak below is the stream's alone.
"$curl" -sS -X POST --data-binary 'warm' "$base/upload" >/dev/null

streams_flat() {
  local before after answer
  before="$(hwm_kib)"
  answer="$(upload "$big" "$@")"
  after="$(hwm_kib)"
  echo "  ${upload_mib} MiB $*: answer $answer, peak RSS ${before} -> ${after} KiB"
  [[ "$answer" == "$want" ]] || { echo "  want $want"; return 1; }
  (( after - before < 1024 ))
}
check "a ${upload_mib} MiB Content-Length upload streams with flat RSS" streams_flat
check "a ${upload_mib} MiB chunked upload streams with flat RSS" streams_flat -H "Transfer-Encoding: chunked"

concurrent_uploads() {
  local file="$tmp/concurrent.bin" crc before after i bad=0 bound
  crc="$(make_file "$file" "$concurrent_mib")"
  local want_one="{\"bytes\":$((concurrent_mib << 20)),\"crc32\":\"$crc\"}"
  before="$(hwm_kib)"
  local pids=()
  for ((i = 0; i < concurrent; i++)); do
    if (( i % 2 )); then
      upload "$file" -H "Transfer-Encoding: chunked" >"$tmp/answer.$i" 2>&1 &
    else
      upload "$file" >"$tmp/answer.$i" 2>&1 &
    fi
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}"
    [[ "$(cat "$tmp/answer.$i")" == "$want_one" ]] || { bad=$((bad + 1)); echo "  upload $i: $(head -c 200 "$tmp/answer.$i")"; }
  done
  after="$(hwm_kib)"
  bound=$(( concurrent * (read_buffer + write_buffer) / 1024 + 2048 ))
  echo "  $concurrent × ${concurrent_mib} MiB at once: $bad wrong; peak RSS ${before} -> ${after} KiB (bound: +${bound} KiB)"
  (( bad == 0 && after - before <= bound ))
}
check "$concurrent concurrent ${concurrent_mib} MiB uploads stay within their slab slots" concurrent_uploads

slow_upload() {
  "$python" - "$port" <<'PY'
import http.client, sys, time, zlib
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=30)
piece = bytes(range(256)) * 4
conn.putrequest("POST", "/upload")
conn.putheader("Content-Length", str(len(piece) * 20))
conn.endheaders()
crc = 0
for _ in range(20):
    conn.send(piece)
    crc = zlib.crc32(piece, crc)
    time.sleep(0.02)
r = conn.getresponse()
body = r.read().decode()
want = '{"bytes":%d,"crc32":"%08x"}\n' % (len(piece) * 20, crc)
print("  slow upload:", r.status, body.strip())
sys.exit(0 if r.status == 200 and body == want else 1)
PY
}
check "a slow upload, 1 KiB every 20 ms" slow_upload

delay_answers_late() {
  local out
  out="$("$curl" -sS -w ' %{time_total}' "$base/delay/300")"
  echo "  /delay/300: $out"
  [[ "$out" == "waited 300 ms"* ]] && "$python" -c "import sys; sys.exit(0 if float('${out##* }') >= 0.29 else 1)"
}
check "/delay/300 answers after 300 ms" delay_answers_late

many_delays() {
  local i bad=0 pids=()
  for ((i = 0; i < 50; i++)); do
    "$curl" -sS "$base/delay/200" >"$tmp/delay.$i" 2>&1 &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}"
    [[ "$(cat "$tmp/delay.$i")" == "waited 200 ms" ]] || bad=$((bad + 1))
  done
  echo "  50 × /delay/200 at once: $bad wrong"
  (( bad == 0 ))
}
check "50 deferred responses at once" many_delays

abandoned_delay() {
  # The client gives up after 0.2 s; its request is abandoned when the
  # server sees the connection go, and the server serves on.
  "$curl" -sS --max-time 0.2 "$base/delay/1000" >/dev/null 2>&1
  [[ "$("$curl" -sS "$base/delay/10")" == "waited 10 ms" ]] &&
    [[ "$("$curl" -sS "$base/plaintext")" == "Hello, World!" ]]
}
check "a deferred response the client gave up on" abandoned_delay

deferred_timeout() {
  local code
  code="$("$curl" -sS -o /dev/null -w '%{http_code}' --max-time 10 "$base/delay/5000")"
  echo "  /delay/5000 with --deferred-timeout 2: $code"
  [[ "$code" == "503" ]]
}
check "a deferred response not woken in time is 503" deferred_timeout

kill -0 "$server_pid" 2>/dev/null || fail "the server is still running"
finish uploads_test
