#!/usr/bin/env bash
# static_files_test: `shockwave --root DIR` (server/static_files.h) with curl
# and Python's http.client, every body compared byte for byte with the file:
#   - whole files (FILE_MIB MiB of random bytes, 16 by default; 1024 by
#     hand), an empty one, a directory's index.html and the 301 to it;
#   - ranges (RFC 9110 §14): first-last, open-ended, suffix, one past the
#     end clipped; 416 with "bytes */length"; If-Range that matches (206)
#     and that does not (200, all of it);
#   - validators (§13.2.2): If-None-Match and If-Modified-Since → 304 with
#     the ETag, If-Match that fails → 412; HEAD → the length, no content;
#   - traversal refused: "..", encoded dots and slashes, NUL, a symlink
#     leading out of the root, an absolute one; /etc/passwd never comes back;
#   - pipelined requests behind a file answered in order; POST → 405 + Allow;
#   - open files bounded: connections that stall mid-file hold one file each
#     at most, and every file is closed once they go.
# Arguments go to the server (static_files_test_uring passes --io=uring).
set -uo pipefail

harness="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-shockwave}/testing/server_script.sh"
[[ -f "$harness" ]] || harness="testing/server_script.sh"
# shellcheck source=testing/server_script.sh
source "$harness"
file_mib="${FILE_MIB:-16}"
[[ -x "$curl" && -x "$python" ]] || { echo "FAIL: curl and python3 are required"; exit 1; }

www="$tmp/www"
rm -rf "$www"
mkdir -p "$www/docs" "$www/nested/deeper"
head -c $((file_mib << 20)) /dev/urandom >"$www/big.bin"
printf 'hello, files\n' >"$www/hello.txt"
: >"$www/empty.txt"
printf '<h1>docs</h1>\n' >"$www/docs/index.html"
printf 'a b\n' >"$www/nested/deeper/with space.txt"
ln -s ../hello.txt "$www/nested/link.txt"   # relative, stays inside: served
ln -s /etc/passwd "$www/escape"             # leaves the root: 404
ln -s "$www/hello.txt" "$www/absolute"      # absolute, even inside: 404
mkfifo "$www/fifo"                          # not a regular file: 403
touch -d '2026-01-01 00:00:00 UTC' "$www/hello.txt"
size="$(stat -c %s "$www/big.bin")"

start_shockwave "$bin" --threads 2 --max-connections 16 --root "$www" "$@" || exit 1

# fetch OUT PATH [CURL ARGS...]: the body in OUT; prints the status.
fetch() {
  local out="$1" path="$2"; shift 2
  "$curl" -sS --path-as-is --max-time 120 -o "$out" -w '%{http_code}' "$@" "$base$path"
}
# header NAME FILE: a field's value from curl -D output.
header() { sed -nE "s/^$1: (.*)\r$/\\1/Ip" "$2" | head -n1; }
# slice FILE FIRST LENGTH: those bytes of FILE.
slice() { tail -c +"$(($2 + 1))" "$1" | head -c "$3"; }

whole_files() {
  [[ "$(fetch "$tmp/b" /big.bin)" == 200 ]] && cmp -s "$tmp/b" "$www/big.bin" &&
    [[ "$(fetch "$tmp/h" /hello.txt)" == 200 ]] && cmp -s "$tmp/h" "$www/hello.txt" &&
    [[ "$(fetch "$tmp/e" /empty.txt)" == 200 && ! -s "$tmp/e" ]] &&
    [[ "$(fetch "$tmp/s" '/nested/deeper/with%20space.txt')" == 200 ]] &&
    cmp -s "$tmp/s" "$www/nested/deeper/with space.txt" &&
    [[ "$(fetch "$tmp/l" /nested/link.txt)" == 200 ]] && cmp -s "$tmp/l" "$www/hello.txt"
}
check "whole files, byte for byte (curl)" whole_files

# A reader slower than the loop: the socket fills, the server waits for room
# (EAGAIN, then epoll or an io_uring poll) and sends on where it stopped.
slow_reader() {
  [[ "$(fetch "$tmp/slow" /big.bin --limit-rate $((file_mib * 4))M)" == 200 ]] && cmp -s "$tmp/slow" "$www/big.bin"
}
check "a slow reader gets the whole file" slow_reader

directory() {
  [[ "$(fetch "$tmp/d" /docs/ -D "$tmp/dh")" == 200 ]] && cmp -s "$tmp/d" "$www/docs/index.html" &&
    [[ "$(header Content-Type "$tmp/dh")" == "text/html; charset=utf-8" ]] &&
    [[ "$(fetch /dev/null '/docs?x=1' -D "$tmp/rh")" == 301 ]] && [[ "$(header Location "$tmp/rh")" == /docs/ ]] &&
    [[ "$(fetch /dev/null /nested/)" == 404 ]]  # no index.html, and no listing
}
check "a directory: its index.html, and 301 to its slash" directory

ranges() {
  local mid=$((size / 3))
  [[ "$(fetch "$tmp/r1" /big.bin -r "$mid-$((mid + 99999))" -D "$tmp/r1h")" == 206 ]] &&
    cmp -s "$tmp/r1" <(slice "$www/big.bin" "$mid" 100000) &&
    [[ "$(header Content-Range "$tmp/r1h")" == "bytes $mid-$((mid + 99999))/$size" ]] &&
    [[ "$(fetch "$tmp/r2" /big.bin -r "$((size - 10))-")" == 206 ]] &&
    cmp -s "$tmp/r2" <(slice "$www/big.bin" $((size - 10)) 10) &&
    [[ "$(fetch "$tmp/r3" /big.bin -r -777)" == 206 ]] &&
    cmp -s "$tmp/r3" <(slice "$www/big.bin" $((size - 777)) 777) &&
    [[ "$(fetch "$tmp/r4" /hello.txt -r 7-1000)" == 206 ]] && [[ "$(cat "$tmp/r4")" == files ]] &&
    [[ "$(fetch "$tmp/r5" /hello.txt -r 13- -D "$tmp/r5h")" == 416 ]] &&
    [[ "$(header Content-Range "$tmp/r5h")" == "bytes */13" ]]
}
check "ranges: 206 with the right bytes, 416 past the end" ranges

validators() {
  fetch /dev/null /hello.txt -D "$tmp/vh" >/dev/null
  local etag last
  etag="$(header ETag "$tmp/vh")"
  last="$(header Last-Modified "$tmp/vh")"
  [[ -n "$etag" && "$last" == "Thu, 01 Jan 2026 00:00:00 GMT" ]] &&
    [[ "$(fetch "$tmp/v1" /hello.txt -H "If-None-Match: $etag" -D "$tmp/v1h")" == 304 && ! -s "$tmp/v1" ]] &&
    [[ "$(header ETag "$tmp/v1h")" == "$etag" ]] &&
    [[ "$(fetch /dev/null /hello.txt -H "If-Modified-Since: $last")" == 304 ]] &&
    [[ "$(fetch /dev/null /hello.txt -H 'If-Modified-Since: Wed, 31 Dec 2025 23:59:59 GMT')" == 200 ]] &&
    [[ "$(fetch /dev/null /hello.txt -H 'If-Match: "other"')" == 412 ]] &&
    [[ "$(fetch "$tmp/v2" /hello.txt -r 0-4 -H "If-Range: $etag")" == 206 ]] && [[ "$(cat "$tmp/v2")" == hello ]] &&
    [[ "$(fetch "$tmp/v3" /hello.txt -r 0-4 -H 'If-Range: "stale"')" == 200 ]] && cmp -s "$tmp/v3" "$www/hello.txt"
}
check "validators: 304, 412, If-Range" validators

head_and_methods() {
  "$curl" -sS -I "$base/big.bin" -o "$tmp/hh" &&
    [[ "$(header Content-Length "$tmp/hh")" == "$size" ]] &&
    [[ "$(fetch /dev/null /hello.txt -X POST -D "$tmp/ph")" == 405 ]] &&
    [[ "$(header Allow "$tmp/ph")" == "GET, HEAD" ]]
}
check "HEAD: the length, no content; POST: 405 with Allow" head_and_methods

# Each must be refused (400) or name nothing (404), never serve a byte of
# what it points at; the FIFO is not a regular file (403).
traversal() {
  local path code ok=0
  for path in '/../../../../etc/passwd' '/docs/../../etc/passwd' '/%2e%2e/%2e%2e/etc/passwd' \
    '/%2E%2e/etc/passwd' '/.%2e/etc/passwd' '/docs%2f..%2f..%2fetc%2fpasswd' '/docs%5c..%5cetc' \
    '/hello.txt%00.html' '/escape' '/absolute'; do
    code="$(fetch "$tmp/t" "$path")"
    if [[ "$code" != 400 && "$code" != 404 ]] || grep -q 'root:' "$tmp/t"; then
      echo "  $path -> $code"
      ok=1
    fi
  done
  [[ "$(fetch /dev/null /fifo)" == 403 ]] || { echo "  /fifo not 403"; ok=1; }
  return $ok
}
check "traversal refused: dots, encodings, NUL, symlinks out" traversal

# Python's http.client on one keep-alive connection: files and ranges in
# turn, then a pipelined burst behind a large file, answered in order.
python_client() {
  "$python" - "$port" "$www" <<'PY'
import http.client, os, socket, sys
port, www = int(sys.argv[1]), sys.argv[2]
big = open(os.path.join(www, "big.bin"), "rb").read()
hello = open(os.path.join(www, "hello.txt"), "rb").read()
c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
def get(path, headers={}):
    c.request("GET", path, headers=headers)
    r = c.getresponse()
    return r.status, r.read(), r
checks = [
    (get("/big.bin")[:2], (200, big)),
    (get("/hello.txt", {"Range": "bytes=1-3"})[:2], (206, hello[1:4])),
    (get("/big.bin", {"Range": "bytes=-4096"})[:2], (206, big[-4096:])),
    (get("/hello.txt", {"Range": "bytes=99-"})[0], 416),
    (get("/missing")[0], 404),
]
c.request("HEAD", "/big.bin")
r = c.getresponse()
checks.append(((r.status, r.getheader("Content-Length"), r.read()), (200, str(len(big)), b"")))
for got, want in checks:
    if got != want:
        print("  http.client:", str(got)[:80], "!=", str(want)[:80])
        sys.exit(1)
# Pipelined: three requests in one write; the responses come in order.
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"
          b"GET /hello.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-4\r\n\r\n"
          b"GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
data = b""
while True:
    chunk = s.recv(1 << 20)
    if not chunk:
        break
    data += chunk
parts = []
for _ in range(3):
    head, _, data = data.partition(b"\r\n\r\n")
    length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")][0].split(b":")[1])
    parts.append((head.split(b" ")[1], data[:length]))
    data = data[length:]
want = [(b"200", big), (b"206", hello[:5]), (b"200", hello)]
if parts != want or data:
    print("  pipelined:", [(p[0], len(p[1])) for p in parts], "left", len(data))
    sys.exit(1)
PY
}
check "http.client: files, ranges, HEAD; pipelined behind a file" python_client

# Stalled downloads: each connection holds its file while it waits, one at
# most; once the clients are gone the files are closed.
open_files() { find "/proc/$server_pid/fd" -lname "$www/*" 2>/dev/null | wc -l; }
file_bound() {
  local stalled=8 held
  "$python" - "$port" "$stalled" <<'PY' &
import socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
socks = []
for _ in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n" * 3)  # pipelined: still one file each
    socks.append(s)
time.sleep(2)
PY
  local client=$!
  started_pids+=("$client")
  sleep 1
  held="$(open_files)"
  wait "$client"
  sleep 0.5
  local after
  after="$(open_files)"
  echo "  files open: $held with $stalled stalled connections, $after after they closed"
  ((held >= 1 && held <= stalled && after == 0))
}
if ((file_mib >= 4)); then
  check "open files: one per stalled connection at most, none after" file_bound
else
  skip "open files (FILE_MIB < 4: a file small enough to fit the socket buffers)"
fi

finish static_files_test
