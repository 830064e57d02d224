#!/usr/bin/env bash
# apache.sh: starts Debian's Apache httpd (apache2) as a reverse proxy in
# front of an origin, for the proxy-chain conformance runs (request smuggling
# through a real proxy; what the origin receives is what gets judged).
#
#   apache.sh --version                          one line, e.g. `Apache httpd 2.4.71`
#   apache.sh LISTEN_PORT UPSTREAM_PORT WORKDIR  exec apache2 in the foreground
#
# Configuration, and why:
#   - The textbook reverse proxy: mod_proxy + mod_proxy_http, `ProxyPass /
#     http://127.0.0.1:UP/` and the matching `ProxyPassReverse`, forward
#     proxying off. Everything else is httpd's default: its request parsing
#     (HttpProtocolOptions Strict), HTTP/1.1 and pooled keep-alive connections
#     to the origin, its handling of request bodies, KeepAlive On.
#   - Nothing from /etc/apache2 (no apache2ctl, no envvars, no includes):
#     `-d WORKDIR -f WORKDIR/apache.conf`, modules loaded by absolute path
#     from /usr/lib/apache2/modules, and the pid file, error log, mutexes and
#     DefaultRuntimeDir all inside WORKDIR. ServerName is set only to keep
#     httpd from looking up the host's name and warning about it.
#   - mpm_event, Debian's default MPM, shrunk to one child process with 8
#     threads: enough for the cases, and few processes to stop.
#   - `-DFOREGROUND`: httpd stays attached; the script execs it, so its PID
#     is the parent's, and SIGTERM to it stops the child and exits. If a
#     request is still waiting on the origin, the child does not exit at
#     once: the parent repeats SIGTERM and sends SIGKILL after about 9 s
#     (fixed in httpd), then exits. SIGKILL to the parent instead would
#     leave the child running, still listening.
#   - mod_authz_core is loaded because without any authorization module
#     httpd answers every request 500 (AH00025); no Require is needed.
#   - httpd refuses to serve as root: started as root, its child runs as
#     www-data (Debian's user for it; nobody if absent). That child needs
#     nothing from WORKDIR (the parent opens the log and listener), so a 0700
#     WORKDIR is fine. Started as a normal user, everything runs as that user.
#   - Listens on 127.0.0.1:LISTEN_PORT only. No access log (mod_log_config's
#     CustomLog is not used); error log WORKDIR/error.log at level info, which
#     records why httpd rejected a request (it does not change what httpd accepts).
set -euo pipefail

me="apache.sh"
bin="$(PATH="$PATH:/usr/sbin:/sbin" command -v apache2 || true)"
if [[ -z "$bin" ]]; then
  echo "$me: apache2 is not installed (./tools/bootstrap.sh installs it)" >&2
  exit 2
fi
modules=/usr/lib/apache2/modules

if [[ "${1:-}" == "--version" && $# -eq 1 ]]; then
  # `apache2 -v` prints `Server version: Apache/2.4.71 (Debian)` and reads no
  # configuration (unlike -V, which parses /etc/apache2/apache2.conf).
  v="$("$bin" -v 2>&1 | sed -n 's|^Server version: Apache/\([^ ]*\).*|\1|p' | head -n 1)"
  [[ -n "$v" ]] || { echo "$me: cannot read the version from $bin -v" >&2; exit 1; }
  echo "Apache httpd $v"
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
for m in mod_mpm_event mod_authz_core mod_proxy mod_proxy_http; do
  [[ -f "$modules/$m.so" ]] || { echo "$me: $modules/$m.so is missing (./tools/bootstrap.sh installs apache2)" >&2; exit 2; }
done
listen=$((10#$1))
upstream=$((10#$2))
work="$(cd "$3" && pwd -P)"

user_lines=""
if (( EUID == 0 )); then
  if id www-data >/dev/null 2>&1; then
    user_lines=$'User www-data\nGroup www-data'
  else
    user_lines=$'User nobody\nGroup nogroup'
  fi
fi

mkdir -p "$work/run"
cat >"$work/apache.conf" <<EOF
# Written by conformance/chains/proxies/apache.sh
ServerRoot "$work"
DefaultRuntimeDir "$work/run"
PidFile "$work/apache.pid"
Mutex "file:$work/run" default
ErrorLog "$work/error.log"
LogLevel info
ServerName 127.0.0.1
$user_lines

LoadModule mpm_event_module $modules/mod_mpm_event.so
StartServers 1
ServerLimit 1
ThreadLimit 8
ThreadsPerChild 8
MaxRequestWorkers 8
MinSpareThreads 1
MaxSpareThreads 8

LoadModule authz_core_module $modules/mod_authz_core.so

LoadModule proxy_module $modules/mod_proxy.so
LoadModule proxy_http_module $modules/mod_proxy_http.so

Listen 127.0.0.1:$listen

ProxyRequests Off
ProxyPass / http://127.0.0.1:$upstream/
ProxyPassReverse / http://127.0.0.1:$upstream/
EOF

cd "$work"
exec "$bin" -d "$work" -f "$work/apache.conf" -DFOREGROUND
