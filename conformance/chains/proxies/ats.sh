#!/usr/bin/env bash
# ats.sh: Apache Traffic Server (traffic_server) as a reverse proxy in front of
# an origin, for the request-smuggling chains.
#
#   ats.sh --version                          one line, e.g. "Apache Traffic Server 9.2.9"
#   ats.sh LISTEN_PORT UPSTREAM_PORT WORKDIR  runs traffic_server in the foreground
#
# Configuration: a private runroot in WORKDIR (runroot.yaml, passed with
# --run-root) moves every directory Traffic Server uses (config, logs,
# runtime, cache) into WORKDIR; binaries and plugins stay in /usr. Nothing is
# read from /etc/trafficserver or written to /var or /run. records.config
# holds only what differs from the compiled-in defaults:
# - Reverse proxy the usual way: `map / http://127.0.0.1:UPSTREAM_PORT/` in
#   remap.config (one catch-all rule, with remap required as by default).
#   Parsing and forwarding settings are the defaults (e.g. the origin sees
#   `Host: 127.0.0.1:UPSTREAM_PORT`, since pristine_host_hdr is off).
# - proxy.config.http.server_ports "LISTEN_PORT:ip-in=127.0.0.1": the only
#   listening socket, IPv4 loopback. traffic_server runs without
#   traffic_manager, so there is no management port.
# - proxy.config.http.cache.http 0: nothing is cached, every request reaches
#   the origin (its 200s look cacheable). storage.config still names a small
#   (sparse) cache file in WORKDIR, as Traffic Server expects a cache.
# - ip_allow.yaml allows every method from 127.0.0.1, like Debian's stock
#   file does for loopback clients.
# - proxy.config.admin.user_id "#-1": keep the invoking user (root or not)
#   instead of switching to the trafficserver user, which cannot enter a
#   0700 WORKDIR.
# - proxy.config.crash_log_helper NULL: no traffic_crashlog helper process
#   (it would be a second process to stop, and it writes to syslog).
# - Error page templates: written into WORKDIR (the stock titles and
#   descriptions, in the stock HTML layout) instead of read from
#   /etc/trafficserver/body_factory. Without a template set Traffic Server
#   sends no error response at all, it just closes the connection.
# traffic_server stays in the foreground, one process; SIGTERM stops it. Its
# main thread is named "[TS_MAIN]", so look for it with `pgrep -f
# traffic_server`, not `pgrep -x`.
# Errors: WORKDIR/ats/log/diags.log (and error.log there, once there are any).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../proxy_contract.sh"
# `traffic_server -V` prints `Traffic Server 9.2.9 Apr  4 2026 ...`.
proxy_start traffic_server trafficserver 'Apache Traffic Server' -V 's/^Traffic Server \([0-9][^ ]*\).*/\1/p' "$@"
root="$work/ats"
etc="$root/etc"
mkdir -p "$etc" "$root/log" "$root/run" "$root/cache" "$root/var"

# The layout: where traffic_server finds everything.
bindir="$(dirname "$bin")"
cat >"$root/runroot.yaml" <<EOF
prefix: $root
exec_prefix: /usr
bindir: $bindir
sbindir: /usr/sbin
sysconfdir: $etc
datadir: $root/var
includedir: /usr/include
libdir: /usr/lib/trafficserver
libexecdir: /usr/lib/trafficserver/modules
localstatedir: $root/var
runtimedir: $root/run
logdir: $root/log
cachedir: $root/cache
EOF

cat >"$etc/records.config" <<EOF
CONFIG proxy.config.http.server_ports STRING $listen:ip-in=127.0.0.1
CONFIG proxy.config.http.cache.http INT 0
CONFIG proxy.config.admin.user_id STRING #-1
CONFIG proxy.config.crash_log_helper STRING NULL
CONFIG proxy.config.body_factory.template_sets_dir STRING $etc/body_factory
EOF

echo "map / http://127.0.0.1:$upstream/" >"$etc/remap.config"
echo "$root/cache 64M" >"$etc/storage.config"
cat >"$etc/ip_allow.yaml" <<'EOF'
ip_allow:
  - apply: in
    ip_addrs: 127.0.0.1
    action: allow
    methods: ALL
EOF
# Error page templates, as Debian ships them in /etc/trafficserver/body_factory:
# file name, title, description.
bf="$etc/body_factory/default"
mkdir -p "$bf"
echo "# Default template set: English, utf-8." >"$bf/.body_factory_info"
while IFS='|' read -r name title description; do
  printf '<HTML>\n<HEAD>\n<TITLE>%s</TITLE>\n</HEAD>\n\n<BODY BGCOLOR="white" FGCOLOR="black">\n<H1>%s</H1>\n<HR>\n\n<FONT FACE="Helvetica,Arial"><B>\nDescription: %s\n</B></FONT>\n<HR>\n</BODY>\n' \
    "$title" "$title" "$description" >"$bf/$name"
done <<'EOF'
access#denied|Access Denied|You are not allowed to access the document you requested.
access#proxy_auth_required|Proxy Authentication Required|Please login with username and password.
access#ssl_forbidden|SSL Port Forbidden|You have made a request for a secure SSL connection to a forbidden port number.
cache#not_in_cache|Not In Cache|Your request mandated that the document come from cache, but the document is not present in cache.  As requested, the transaction is being terminated.
cache#read_error|Temporary Error|Temporary error.  Please try again later.
connect#dns_failed|Unknown Host|Unable to locate the server requested --- the server does not have a DNS entry.  Perhaps there is a misspelling in the server name, or the server no longer exists.  Double-check the name and try again.
connect#failed_connect|Could Not Connect|Could not connect to the requested server host.
connect#hangup|Server Connection Closed|The server requested closed the connection before the transaction was completed.
default|Error|Could not process this request.
interception#no_host|Host Header Required|An attempt was made to transparently proxy your request, but this attempt failed because your browser did not send an HTTP "Host" header.  To access this web site correctly, you will need to upgrade to a browser that supports the HTTP "Host" header field.
redirect#moved_permanently|Document Has Moved|The document you requested has moved to a new location.  The new location is "%<{Location}epsh>".
redirect#moved_temporarily|Document Has Moved|The document you requested has moved to a new location.  The new location is "%<{Location}epsh>".
request#cycle_detected|Cycle Prohibited|Could not process your request for the document because it would cause an HTTP proxy cycle.  Please check the URL and your browser's proxy settings.
request#invalid_content_length|Invalid Content Length|Could not process this request because the specified Content-Length was invalid (less than 0).
request#no_content_length|No Content Length|Could not process this request because there was no Content-Length specified.
request#no_host|Host Header Required|Your browser did not send a "Host" HTTP header field and therefore the virtual host being requested could not be determined. To access this web site correctly, you will need to upgrade to a browser that supports the HTTP "Host" header field.
request#scheme_unsupported|Unsupported Protocol|Can't perform your request for the document because the protocol scheme is unknown.
request#syntax_error|Bad Request|Could not process this request.
request#uri_len_too_long|URI Too Long|Could not process this request because the request uri was longer than proxy.config.http.request_line_max_size
response#bad_response|Web Server Error|The host requested did not return the document correctly.
response#bad_version|HTTP Version Not Supported|The web server requested is using an unsupported version of the HTTP protocol.
timeout#activity|Activity Timeout|Too much time has passed transmitting document.
timeout#inactivity|Inactivity Timeout|Too much time has passed without sending any data for document.
transcoding#unsupported|Transcoding Not Available|Unable to provide the document in the format requested by your browser.
urlrouting#no_mapping|Not Found on Accelerator|Your request on the specified host was not found. Check the location and try again.
EOF

# Empty files for the configs left at their defaults (it warns when they are
# missing).
for f in plugin.config cache.config parent.config hosting.config volume.config ssl_multicert.config; do
  : >"$etc/$f"
done

cd "$root"
unset TS_ROOT TS_RUNROOT
exec "$bin" --run-root="$root"
