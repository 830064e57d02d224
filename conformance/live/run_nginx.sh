#!/usr/bin/env bash
# run_nginx.sh: the conformance cases against Debian's nginx, live.
#
#   conformance/live/run_nginx.sh [httpconform flags...]
#   e.g. conformance/live/run_nginx.sh --format=html --output=/tmp/nginx.html
#
# Starts nginx (tools/debian-packages.txt installs it) in the foreground, as
# one process, on 127.0.0.1 and a free port, from a config in a temporary
# directory: access log off, every path and method answered `200 ok`. Then
# runs `httpconform --server=127.0.0.1:PORT` with the flags given, stops
# nginx, and exits with httpconform's status. Set HTTPCONFORM to a built
# binary to skip the build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

nginx="$(command -v nginx || echo /usr/sbin/nginx)"
[[ -x "$nginx" ]] || { echo "run_nginx: nginx is not installed (./tools/bootstrap.sh installs it)" >&2; exit 2; }

source conformance/live/server_script.sh

# A free port: bind to 0 and read back what the kernel chose.
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

mkdir -p "$tmp/logs"
cat >"$tmp/nginx.conf" <<EOF
daemon off;
# Its own user: as root (CI) nginx would otherwise chown its temp paths to nobody.
user $(id -un) $(id -gn);
master_process off;
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/logs/error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $tmp/body;
    proxy_temp_path $tmp/proxy;
    fastcgi_temp_path $tmp/fastcgi;
    uwsgi_temp_path $tmp/uwsgi;
    scgi_temp_path $tmp/scgi;
    server {
        listen 127.0.0.1:$port;
        location / { return 200 "ok"; }
    }
}
EOF

"$nginx" -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/logs/error.log" &
server_started $!

# Wait (bounded) until it accepts connections.
for _ in $(seq 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  kill -0 "$server_pid" 2>/dev/null || { echo "run_nginx: nginx exited:" >&2; cat "$tmp/logs/error.log" >&2; exit 2; }
  sleep 0.05
done

echo "run_nginx: $("$nginx" -v 2>&1) on 127.0.0.1:$port" >&2
status=0
"${httpconform[@]}" --server="nginx=127.0.0.1:$port" "$@" || status=$?
exit "$status"
