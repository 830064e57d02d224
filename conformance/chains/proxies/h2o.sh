#!/usr/bin/env bash
# h2o.sh: the h2o web server as a reverse proxy in front of an origin, for the
# request-smuggling chains.
#
#   h2o.sh --version                          one line, e.g. "h2o 2.2.5"
#   h2o.sh LISTEN_PORT UPSTREAM_PORT WORKDIR  runs h2o in the foreground
#
# Configuration, generated into WORKDIR/h2o.conf (not Debian's /etc/h2o, which
# logs to /var/log and writes /run/h2o.pid):
# - The plain proxy setup from h2o's documentation: one host whose path "/"
#   has `proxy.reverse.url: http://127.0.0.1:UPSTREAM_PORT/`, so every method
#   and path goes to the origin. Parsing and forwarding settings are h2o's
#   defaults (e.g. proxy.preserve-host is off, so the origin sees
#   `Host: 127.0.0.1:UPSTREAM_PORT`). h2o does not cache, so nothing to turn off.
# - `listen: {host: 127.0.0.1, port: LISTEN_PORT}`: the only socket.
# - h2o runs in its default "worker" mode: one process in the foreground; SIGTERM
#   stops it. No access log; error-log and pid-file in WORKDIR.
# - As root, `user:` is root: h2o would otherwise switch to nobody, which
#   cannot enter a 0700 WORKDIR. Run as anyone else, h2o keeps that user.
# - h2o forks a crash handler (a perl script reading its stdin); it exits by
#   itself when h2o does.
# Errors: WORKDIR/error.log.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../proxy_contract.sh"
# `h2o --version` prints `h2o version 2.2.5`.
proxy_start h2o h2o 'h2o' --version 's/^h2o version \([^ ]*\).*/\1/p' "$@"

# As root h2o switches to nobody unless told otherwise; as anyone else it
# cannot switch, and a `user:` line makes it fail.
user_line=""
(( EUID == 0 )) && user_line="user: \"$(id -un)\""

cat >"$work/h2o.conf" <<EOF
# Reverse proxy for 127.0.0.1:$upstream
$user_line
pid-file: "$work/h2o.pid"
error-log: "$work/error.log"
listen:
  host: 127.0.0.1
  port: $listen
hosts:
  "127.0.0.1:$listen":
    paths:
      "/":
        proxy.reverse.url: "http://127.0.0.1:$upstream/"
EOF

cd "$work"
exec "$bin" -c "$work/h2o.conf"
