#!/usr/bin/env bash
# nginx.sh: starts Debian's nginx as a reverse proxy in front of an origin,
# for the proxy-chain conformance runs (request smuggling through a real
# proxy; what the origin receives is what gets judged).
#
#   nginx.sh --version                          one line, e.g. `nginx 1.22.1`
#   nginx.sh LISTEN_PORT UPSTREAM_PORT WORKDIR  exec nginx in the foreground
#
# Configuration, and why:
#   - The textbook reverse proxy: `location / { proxy_pass http://127.0.0.1:UP; }`
#     plus `proxy_set_header Host $host`, the one header line nearly every guide
#     adds. Everything else (proxy_http_version 1.0 to the upstream, no upstream
#     keep-alive, request bodies buffered before forwarding, header parsing)
#     stays nginx's default: we want to see what a stock deployment forwards.
#   - `daemon off` with the master process kept (the usual process model):
#     the script execs nginx, so its PID is the master's, and SIGTERM to the
#     master makes it stop its single worker and exit.
#   - Everything it writes (pid file, error log, the temp paths, which Debian
#     compiles in under /var/lib/nginx) goes under WORKDIR; `-e` keeps it off
#     the compiled-in /var/log/nginx/error.log even before the config is read,
#     and `-p`/`-c` keep it away from /etc/nginx.
#   - As root, workers would drop to `nobody`, who cannot enter a 0700 WORKDIR:
#     `user` names the invoking user instead. As a normal user nginx cannot
#     switch users, so the directive is left out (nginx would only warn).
#   - Listens on 127.0.0.1:LISTEN_PORT only (no IPv6, no other port). Access
#     log off; error log WORKDIR/error.log at level info, which records why
#     nginx rejected a request (it does not change what nginx accepts).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../proxy_contract.sh"
# `nginx -v` prints `nginx version: nginx/1.22.1`.
proxy_start nginx nginx 'nginx' -v 's|^nginx version: nginx/\([^ ]*\).*|\1|p' "$@"

user_line=""
if (( EUID == 0 )); then
  user_line="user $(id -un) $(id -gn);"
fi

mkdir -p "$work/tmp"
cat >"$work/nginx.conf" <<EOF
# Written by conformance/chains/proxies/nginx.sh
daemon off;
master_process on;
worker_processes 1;
$user_line
pid "$work/nginx.pid";
error_log "$work/error.log" info;

events {}

http {
    access_log off;
    client_body_temp_path "$work/tmp/client_body";
    proxy_temp_path "$work/tmp/proxy";
    fastcgi_temp_path "$work/tmp/fastcgi";
    uwsgi_temp_path "$work/tmp/uwsgi";
    scgi_temp_path "$work/tmp/scgi";

    server {
        listen 127.0.0.1:$listen;

        location / {
            proxy_pass http://127.0.0.1:$upstream;
            proxy_set_header Host \$host;
        }
    }
}
EOF

cd "$work"
exec "$bin" -p "$work/" -c "$work/nginx.conf" -e "$work/error.log"
