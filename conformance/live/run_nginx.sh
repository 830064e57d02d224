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

port="$(free_port)"

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

wait_for_port "$port" || { echo "run_nginx: nginx did not start:" >&2; cat "$tmp/logs/error.log" >&2; exit 2; }

echo "run_nginx: $("$nginx" -v 2>&1) on 127.0.0.1:$port" >&2
status=0
"${httpconform[@]}" --server="nginx=127.0.0.1:$port" "$@" || status=$?
exit "$status"
