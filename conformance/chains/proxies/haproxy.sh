#!/usr/bin/env bash
# haproxy.sh: starts Debian's HAProxy as a reverse proxy in front of an
# origin, for the proxy-chain conformance runs (request smuggling through a
# real proxy; what the origin receives is what gets judged).
#
#   haproxy.sh --version                          one line, e.g. `HAProxy 2.6.12-1+deb12u4`
#   haproxy.sh LISTEN_PORT UPSTREAM_PORT WORKDIR  exec haproxy in the foreground
#
# Configuration, and why:
#   - The textbook HTTP load balancer: `mode http`, one frontend bound to
#     127.0.0.1:LISTEN_PORT, one backend with the single server
#     127.0.0.1:UPSTREAM_PORT. Only the three timeouts every guide sets
#     (connect 5s, client 30s, server 30s; HAProxy warns without them).
#     Everything else is HAProxy's default: HTX parsing, `option
#     http-keep-alive` on both sides, HTTP/1.1 to the server with idle server
#     connections shared between clients (`http-reuse safe`), no
#     accept-invalid-http-request, no extra header rewriting.
#   - `-db` keeps it in the foreground as one process (its threads are not
#     processes); the script execs it, so its PID is HAProxy's and SIGTERM
#     stops it at once. No master-worker, no stats socket, no other listener.
#   - It runs as the invoking user (no `user`, `group` or `chroot`), so a
#     0700 WORKDIR is no obstacle; it needs no directory of its own.
#   - HAProxy cannot log to a file, only to syslog or a standard stream: its
#     stderr is appended to WORKDIR/error.log (startup alerts and warnings),
#     and the traffic log goes to stderr too, with `option dontlog-normal`
#     so only the requests that went wrong (e.g. a 400 from its parser, a
#     server error or timeout) are written, and `option dontlognull` (as in
#     Debian's stock haproxy.cfg) so bare connects, e.g. a readiness probe,
#     are not. Logging options only; they change nothing on the wire. The
#     configuration is checked with `-c` first (about 50 ms), so an error in
#     it still shows on our stderr.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../proxy_contract.sh"
# `haproxy -v` starts `HAProxy version 2.6.12-1+deb12u4 2026/10/17 - ...`
# (the Debian revision says which security fixes are in).
proxy_start haproxy haproxy 'HAProxy' -v 's|^HAProxy version \([^ ]*\).*|\1|p' "$@"

cat >"$work/haproxy.cfg" <<EOF
# Written by conformance/chains/proxies/haproxy.sh
global
    log stderr format raw local0

defaults
    mode http
    log global
    option httplog
    option dontlognull
    option dontlog-normal
    timeout connect 5s
    timeout client 30s
    timeout server 30s

frontend fe
    bind 127.0.0.1:$listen
    default_backend be

backend be
    server origin 127.0.0.1:$upstream
EOF

cd "$work"
"$bin" -c -q -f "$work/haproxy.cfg" || { echo "$me: haproxy rejected $work/haproxy.cfg" >&2; exit 2; }
exec "$bin" -db -f "$work/haproxy.cfg" 2>>"$work/error.log"
