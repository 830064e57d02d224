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

me="nginx.sh"
bin="$(PATH="$PATH:/usr/sbin:/sbin" command -v nginx || true)"
if [[ -z "$bin" ]]; then
  echo "$me: nginx is not installed (./tools/bootstrap.sh installs it)" >&2
  exit 2
fi

if [[ "${1:-}" == "--version" && $# -eq 1 ]]; then
  # `nginx -v` prints `nginx version: nginx/1.22.1` on stderr.
  v="$("$bin" -v 2>&1 | sed -n 's|^nginx version: nginx/\([^ ]*\).*|\1|p' | head -n 1)"
  [[ -n "$v" ]] || { echo "$me: cannot read the version from $bin -v" >&2; exit 1; }
  echo "nginx $v"
  exit 0
fi

usage() {
  echo "usage: $me --version | $me LISTEN_PORT UPSTREAM_PORT WORKDIR" >&2
  exit 2
}
(( $# == 3 )) || usage
is_port() { [[ "$1" =~ ^[0-9]{1,5}$ ]] && (( 10#$1 >= 1 && 10#$1 <= 65535 )); }
is_port "$1" || { echo "$me: bad LISTEN_PORT: $1" >&2; usage; }
is_port "$2" || { echo "$me: bad UPSTREAM_PORT: $2" >&2; usage; }
[[ -d "$3" && -w "$3" ]] || { echo "$me: WORKDIR is not a writable directory: $3" >&2; exit 2; }
listen=$((10#$1))
upstream=$((10#$2))
work="$(cd "$3" && pwd -P)"

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
