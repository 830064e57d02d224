#!/usr/bin/env bash
# clients_test: real HTTP clients against the shockwave binary on 127.0.0.1:
# curl (connection reuse, chunked upload, Expect: 100-continue, HEAD,
# HTTP/1.0), Python's http.client, a bounded wrk smoke load, and nginx as a
# reverse proxy in front of it. A client that is not installed is skipped
# with a message (tools/debian-packages.txt installs them all). Everything
# started here is stopped here, by its pid. Arguments go to the server
# (clients_test_uring passes --io=uring).
set -uo pipefail

harness="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-shockwave}/testing/server_script.sh"
[[ -f "$harness" ]] || harness="testing/server_script.sh"
# shellcheck source=testing/server_script.sh
source "$harness"

nginx_pid=""
# ---------------------------------------------------------------------------
# The server, on a port the kernel picks.
[[ -x "$curl" ]] || { echo "FAIL: curl is required ($curl)"; exit 1; }
start_shockwave "$bin" --threads 2 --max-connections 32 --max-body 262144 --write-buffer 262144 --stats "$@" || exit 1

curl_() { "$curl" --silent --show-error --noproxy '*' --max-time 10 "$@"; }

head -c 100000 /dev/urandom >"$tmp/body.bin"
head -c 200000 /dev/urandom >"$tmp/big.bin"

# ---------------------------------------------------------------------------
# curl

# Two URLs in one invocation: the second reuses the first's connection.
curl_keepalive() {
  local out
  out="$(curl_ -o /dev/null -w '%{num_connects} %{http_code}\n' "$base/plaintext" -o /dev/null "$base/json")" || return 1
  [[ "$out" == $'1 200\n0 200' ]] || { echo "  got: $out"; return 1; }
}
check "curl reuses one keep-alive connection for two URLs" curl_keepalive

curl_plaintext() {
  [[ "$(curl_ "$base/plaintext")" == "Hello, World!" ]]
}
check "curl GET /plaintext" curl_plaintext

curl_chunked_upload() {
  curl_ -v --data-binary @"$tmp/body.bin" -H 'Transfer-Encoding: chunked' -H 'Content-Type: application/x-test' \
    -o "$tmp/chunked.out" "$base/echo" 2>"$tmp/chunked.err" || return 1
  grep -qi '^> Transfer-Encoding: chunked' "$tmp/chunked.err" || { echo "  curl did not send chunked"; return 1; }
  cmp -s "$tmp/body.bin" "$tmp/chunked.out" || { echo "  echoed body differs"; return 1; }
}
check "curl chunked upload echoed" curl_chunked_upload

# The 100 must come at once: curl would otherwise send the body after its
# expect100 timeout (5 s here) without it.
curl_expect_continue() {
  local start end
  start=$(date +%s%N)
  curl_ -v --data-binary @"$tmp/big.bin" -H 'Expect: 100-continue' --expect100-timeout 5 \
    -o "$tmp/expect.out" "$base/echo" 2>"$tmp/expect.err" || return 1
  end=$(date +%s%N)
  grep -q '^< HTTP/1.1 100 Continue' "$tmp/expect.err" || { echo "  no 100 Continue"; return 1; }
  cmp -s "$tmp/big.bin" "$tmp/expect.out" || { echo "  echoed body differs"; return 1; }
  (( (end - start) / 1000000 < 4000 )) || { echo "  took $(( (end - start) / 1000000 )) ms"; return 1; }
}
check "curl Expect: 100-continue with a 200 kB body" curl_expect_continue

curl_head() {
  local headers
  headers="$(curl_ -I "$base/plaintext" | tr -d '\r')" || return 1
  grep -qi '^content-length: 13$' <<<"$headers" || { echo "  $headers"; return 1; }
}
check "curl HEAD gets GET's Content-Length" curl_head

curl_http10() {
  [[ "$(curl_ --http1.0 "$base/json")" == '{"message":"Hello, World!"}' ]]
}
check "curl HTTP/1.0 GET" curl_http10

curl_404() {
  [[ "$(curl_ -o /dev/null -w '%{http_code}' "$base/missing")" == 404 ]]
}
check "curl 404 for an unknown path" curl_404

# /metrics (--stats): Prometheus's text format, every sample line well
# formed, and the request counter moving with the requests.
metrics_requests() { curl_ "$base/metrics" | sed -nE 's/^shockwave_requests_total ([0-9]+)$/\1/p'; }
curl_metrics() {
  local type first second
  type="$(curl_ -o "$tmp/metrics" -w '%{content_type}' "$base/metrics")"
  [[ "$type" == "text/plain; version=0.0.4; charset=utf-8" ]] || return 1
  grep -vE '^# (HELP|TYPE) shockwave_' "$tmp/metrics" | grep -qvE '^shockwave_[a-z_]+(\{status="[0-9]{3}"\})? [0-9]+(\.[0-9]+)?$' &&
    return 1
  first="$(metrics_requests)"
  curl_ -o /dev/null "$base/plaintext" "$base/json"
  second="$(metrics_requests)"
  ((first >= 8 && second == first + 3))  # the two, and the first scrape
}
check "curl GET /metrics: the stats, Prometheus text format" curl_metrics

# ---------------------------------------------------------------------------
# Python's http.client

if [[ -x "$python" ]]; then
  python_client() {
    "$python" - "$port" <<'EOF'
import http.client, json, sys

port = int(sys.argv[1])
c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

def exchange(method, path, **kwargs):
    c.request(method, path, **kwargs)
    r = c.getresponse()
    return r, r.read()

r, body = exchange("GET", "/plaintext")
assert (r.status, body) == (200, b"Hello, World!"), (r.status, body)
sock = c.sock
r, body = exchange("GET", "/json")
assert json.loads(body) == {"message": "Hello, World!"}, body
r, body = exchange("POST", "/echo", body=b"x" * 50000, headers={"Content-Type": "application/x-test"})
assert (r.status, len(body), r.getheader("Content-Type")) == (200, 50000, "application/x-test")
r, body = exchange("PUT", "/echo", body=iter([b"ab", b"", b"cd", b"ef" * 1000]), encode_chunked=True)
assert (r.status, body) == (200, b"abcd" + b"ef" * 1000), (r.status, body[:20])
r, body = exchange("HEAD", "/plaintext")
assert (r.status, r.getheader("Content-Length"), body) == (200, "13", b""), (r.status, body)
r, body = exchange("DELETE", "/echo")
assert (r.status, r.getheader("Allow")) == (405, "POST, PUT"), r.status
r, body = exchange("GET", "/missing")
assert r.status == 404
assert c.sock is sock, "http.client opened a new connection"
assert r.getheader("Date", "").endswith(" GMT"), r.getheader("Date")
c.close()
print("  http.client: 7 requests on one connection")
EOF
  }
  check "Python http.client: keep-alive, POST, chunked PUT, HEAD, 405, 404" python_client
else
  skip "Python http.client: $python is not installed"
fi

# ---------------------------------------------------------------------------
# wrk: a bounded smoke load (1 s, 8 connections).

wrk_smoke() {  # wrk_smoke URL
  timeout 30 wrk -t1 -c8 -d1s "$1" >"$tmp/wrk.out" 2>&1 || { cat "$tmp/wrk.out"; return 1; }
  cat "$tmp/wrk.out" | sed 's/^/  /'
  local requests
  requests="$(sed -nE 's/^ *([0-9]+) requests in .*/\1/p' "$tmp/wrk.out")"
  [[ -n "$requests" && "$requests" -gt 100 ]] || { echo "  too few requests: ${requests:-none}"; return 1; }
  ! grep -qE 'Non-2xx|Socket errors' "$tmp/wrk.out"
}

wrk_bin="$(command -v wrk || true)"
if [[ -n "$wrk_bin" ]]; then
  check "wrk -t1 -c8 -d1s /plaintext: no errors" wrk_smoke "$base/plaintext"
else
  skip "wrk: not installed"
fi

# ---------------------------------------------------------------------------
# nginx as a reverse proxy in front of shockwave.

nginx_bin="$(command -v nginx || true)"
[[ -z "$nginx_bin" && -x /usr/sbin/nginx ]] && nginx_bin=/usr/sbin/nginx
if [[ -n "$nginx_bin" && -x "$python" ]]; then
  n="$tmp/nginx"
  mkdir -p "$n"
  port2="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  # As root nginx chowns its temp paths to its "user", by default nobody,
  # whom the test sandbox's user namespace may not map: name ourselves.
  cat >"$n/nginx.conf" <<EOF
user $(id -un) $(id -gn);
daemon off;
master_process off;
worker_processes 1;
pid $n/nginx.pid;
error_log $n/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $n/client_body;
  proxy_temp_path $n/proxy;
  fastcgi_temp_path $n/fastcgi;
  uwsgi_temp_path $n/uwsgi;
  scgi_temp_path $n/scgi;
  upstream shockwave { server 127.0.0.1:$port; keepalive 4; }
  server {
    listen 127.0.0.1:$port2;
    client_max_body_size 1m;
    location / {
      proxy_pass http://shockwave;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
  "$nginx_bin" -p "$n" -e "$n/error.log" -c "$n/nginx.conf" &
  nginx_pid=$!
  started_pids+=("$nginx_pid")
  proxy="http://127.0.0.1:$port2"
  for _ in $(seq 1 100); do
    curl_ -o /dev/null "$proxy/plaintext" 2>/dev/null && break
    kill -0 "$nginx_pid" 2>/dev/null || break
    sleep 0.1
  done

  nginx_get() { [[ "$(curl_ "$proxy/plaintext" "$proxy/json")" == 'Hello, World!{"message":"Hello, World!"}' ]]; }
  check "nginx proxy: GET /plaintext and /json" nginx_get

  nginx_post() {
    curl_ --data-binary @"$tmp/big.bin" -o "$tmp/nginx.out" "$proxy/echo" && cmp -s "$tmp/big.bin" "$tmp/nginx.out"
  }
  check "nginx proxy: POST /echo 200 kB" nginx_post

  nginx_chunked() {
    curl_ --data-binary @"$tmp/body.bin" -H 'Transfer-Encoding: chunked' -o "$tmp/nginx-chunked.out" "$proxy/echo" &&
      cmp -s "$tmp/body.bin" "$tmp/nginx-chunked.out"
  }
  check "nginx proxy: chunked upload" nginx_chunked

  nginx_head() { curl_ -I "$proxy/json" | tr -d '\r' | grep -qi '^content-length: 27$'; }
  check "nginx proxy: HEAD" nginx_head

  if [[ -n "$wrk_bin" ]]; then
    check "wrk through nginx (upstream keep-alive): no errors" wrk_smoke "$proxy/plaintext"
  fi

  nginx_errors() {
    kill -0 "$nginx_pid" 2>/dev/null || { echo "  nginx is not running"; cat "$n/error.log"; return 1; }
    # The upstream must never have sent nginx something it could not parse.
    ! grep -E 'upstream (sent|prematurely)|invalid header' "$n/error.log"
  }
  check "nginx error log has no upstream errors" nginx_errors

  kill "$nginx_pid" 2>/dev/null
  wait "$nginx_pid" 2>/dev/null
  nginx_pid=""
elif [[ -z "$nginx_bin" ]]; then
  skip "nginx reverse proxy: nginx is not installed"
else
  skip "nginx reverse proxy: $python (used to pick a free port) is not installed"
fi

# ---------------------------------------------------------------------------
# SIGTERM: a graceful exit, status 0.

graceful_exit() {
  kill -TERM "$server_pid"
  local status=0
  for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$server_pid" 2>/dev/null; then
    echo "  still running 10 s after SIGTERM"
    kill -KILL "$server_pid"; wait "$server_pid" 2>/dev/null; server_pid=""
    return 1
  fi
  wait "$server_pid" || status=$?
  server_pid=""
  (( status == 0 )) || { echo "  exit status $status"; cat "$tmp/server.err"; return 1; }
  grep -q 'shockwave: stopped' "$tmp/server.err"
}
check "SIGTERM stops the server gracefully (exit 0)" graceful_exit
sed 's/^/  server: /' "$tmp/server.err"

finish clients_test
