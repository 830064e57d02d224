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

source "$(dirname "${BASH_SOURCE[0]}")/../proxy_contract.sh"
# `apache2 -v` prints `Server version: Apache/2.4.71 (Debian)` and reads no
# configuration (unlike -V, which parses /etc/apache2/apache2.conf).
proxy_start apache2 apache2 'Apache httpd' -v 's|^Server version: Apache/\([^ ]*\).*|\1|p' "$@"
modules=/usr/lib/apache2/modules
for m in mod_mpm_event mod_authz_core mod_proxy mod_proxy_http; do
  [[ -f "$modules/$m.so" ]] || { echo "$me: $modules/$m.so is missing (./tools/bootstrap.sh installs apache2)" >&2; exit 2; }
done

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
