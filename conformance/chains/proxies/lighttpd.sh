#!/usr/bin/env bash
# lighttpd.sh: starts Debian's lighttpd as a reverse proxy in front of an
# origin, for the proxy-chain conformance runs (request smuggling through a
# real proxy; what the origin receives is what gets judged).
#
#   lighttpd.sh --version                          one line, e.g. `lighttpd 1.4.69`
#   lighttpd.sh LISTEN_PORT UPSTREAM_PORT WORKDIR  exec lighttpd in the foreground
#
# Configuration, and why:
#   - The textbook reverse proxy: mod_proxy with `proxy.server = ( "" =>
#     (( "host" => "127.0.0.1", "port" => UP )))`, the empty prefix sending
#     every path and method to the origin. Everything else is lighttpd's
#     default: its request parsing (server.http-parseopts), request bodies
#     collected in full before they are forwarded
#     (server.stream-request-body = 0), mod_proxy's own upstream protocol.
#   - `-D` keeps it in the foreground; lighttpd is a single process by
#     default (server.max-worker = 0), the script execs it, so its PID is
#     lighttpd's, and SIGTERM stops it.
#   - Nothing from /etc/lighttpd: `-f WORKDIR/lighttpd.conf`. The pid file,
#     error log, an empty document root and server.upload-dirs (where
#     lighttpd spools large request bodies; Debian's default is /var/tmp) are
#     inside WORKDIR. Modules come from the compiled-in /usr/lib/lighttpd.
#   - It runs as the invoking user: lighttpd drops privileges only when
#     server.username is set, so as root it stays root and a 0700 WORKDIR is
#     no obstacle.
#   - Listens on 127.0.0.1:LISTEN_PORT only (server.use-ipv6 stays off). No
#     access log (mod_accesslog not loaded); error log WORKDIR/error.log, with
#     debug.log-request-header-on-error so a rejected request is written out
#     with the reason (logging only; it does not change what lighttpd accepts).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../proxy_contract.sh"
# `lighttpd -v` prints `lighttpd/1.4.69 (ssl) - a light and fast webserver`.
proxy_start lighttpd lighttpd 'lighttpd' -v 's|^lighttpd/\([^ ]*\).*|\1|p' "$@"

mkdir -p "$work/htdocs" "$work/uploads"
cat >"$work/lighttpd.conf" <<EOF
# Written by conformance/chains/proxies/lighttpd.sh
server.modules = ( "mod_proxy" )

server.bind = "127.0.0.1"
server.port = $listen
server.document-root = "$work/htdocs"
server.upload-dirs = ( "$work/uploads" )
server.pid-file = "$work/lighttpd.pid"
server.errorlog = "$work/error.log"
debug.log-request-header-on-error = "enable"

proxy.server = ( "" => (( "host" => "127.0.0.1", "port" => $upstream )))
EOF

cd "$work"
exec "$bin" -D -f "$work/lighttpd.conf"
