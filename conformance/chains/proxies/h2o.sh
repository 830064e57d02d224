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

h2o="$(command -v h2o || true)"
if [[ -z "$h2o" && -x /usr/bin/h2o ]]; then h2o=/usr/bin/h2o; fi
if [[ -z "$h2o" ]]; then
  echo "h2o.sh: h2o is not installed (tools/bootstrap.sh installs it)" >&2
  exit 2
fi

if [[ "${1:-}" == "--version" ]]; then
  # "h2o version 2.2.5" -> "h2o 2.2.5"
  v="$("$h2o" --version 2>&1 | sed -n 's/^h2o version \([^ ]*\).*/\1/p' | head -n 1)"
  [[ -n "$v" ]] || { echo "h2o.sh: cannot read the version of $h2o" >&2; exit 1; }
  echo "h2o $v"
  exit 0
fi

if (( $# != 3 )); then
  echo "usage: h2o.sh --version | h2o.sh LISTEN_PORT UPSTREAM_PORT WORKDIR" >&2
  exit 2
fi
listen="$1" upstream="$2" workdir="$3"
[[ -d "$workdir" ]] || { echo "h2o.sh: no directory $workdir" >&2; exit 2; }
workdir="$(cd "$workdir" && pwd)"

# As root h2o switches to nobody unless told otherwise; as anyone else it
# cannot switch, and a `user:` line makes it fail.
user_line=""
(( EUID == 0 )) && user_line="user: \"$(id -un)\""

cat >"$workdir/h2o.conf" <<EOF
# Reverse proxy for 127.0.0.1:$upstream
$user_line
pid-file: "$workdir/h2o.pid"
error-log: "$workdir/error.log"
listen:
  host: 127.0.0.1
  port: $listen
hosts:
  "127.0.0.1:$listen":
    paths:
      "/":
        proxy.reverse.url: "http://127.0.0.1:$upstream/"
EOF

cd "$workdir"
exec "$h2o" -c "$workdir/h2o.conf"
