#!/usr/bin/env bash
# squid.sh: Squid as a reverse proxy (an "accelerator", in Squid's words) in
# front of an origin, for the request-smuggling chains.
#
#   squid.sh --version                          one line, e.g. "Squid 5.7"
#   squid.sh LISTEN_PORT UPSTREAM_PORT WORKDIR  runs squid in the foreground
#
# Configuration, generated into WORKDIR/squid.conf (nothing from /etc/squid,
# nothing written to /var or /run):
# - The usual accelerator setup: `http_port 127.0.0.1:LISTEN accel
#   defaultsite=localhost no-vhost` and the origin as the one `cache_peer ...
#   originserver`, allowed for every request; `http_access allow all`, as the
#   only clients are the tests on loopback. Parsing and forwarding settings
#   are Squid's defaults. no-vhost means the origin sees `Host: localhost`.
# - The peer is `no-digest`: otherwise Squid fetches
#   /squid-internal-periodic/store_digest from the origin by itself, a request
#   no test sent; `no-netdb-exchange` likewise stops its
#   /squid-internal-dynamic/netdb requests.
# - `cache deny all`: nothing is stored or served from cache, so every request
#   reaches the origin (its 200s look cacheable).
# - No listener besides LISTEN_PORT: ICP, HTCP and SNMP ports are 0; the
#   outgoing UDP (DNS) socket is bound to 127.0.0.1. Squid needs no DNS here:
#   the peer is an address.
# - squid -N: one process in the foreground, no SMP kids, no daemonizing;
#   `shutdown_lifetime 0 seconds` makes SIGTERM stop it at once. Logs use the
#   stdio module and the ICMP pinger is off, so no helper is forked (the
#   pinger would survive a SIGTERM to squid).
# - -n: a service name unique to this instance (port and PID), since Squid
#   names its shared-memory segments in /dev/shm after it and two instances
#   with the default name collide. Segments left by instances killed before
#   they were up are removed at the next start.
# - Squid refuses to run as root. As root it switches to its default user,
#   proxy (nobody if there is none), so WORKDIR is made traversable (0711) and
#   Squid's pid, logs and core dumps go to WORKDIR/squid, owned by that user.
#   As another user it keeps that user.
# Errors: WORKDIR/squid/cache.log (requests: WORKDIR/squid/access.log).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../proxy_contract.sh"
# `squid -v` prints `Squid Cache: Version 5.7`.
proxy_start squid squid 'Squid' -v 's/^Squid Cache: Version \([^ ]*\).*/\1/p' "$@"
run="$work/squid"
mkdir -p "$run"

# cache_effective_user: as root, proxy (or nobody); otherwise the invoking
# user, which is all Squid can be then (no line if the uid has no name).
user="$(id -un 2>/dev/null || true)"
if (( EUID == 0 )); then
  user=proxy
  id -u "$user" >/dev/null 2>&1 || user=nobody
  chown "$user" "$run"
  chmod 0711 "$work"
fi
user_line=""
[[ -n "$user" ]] && user_line="cache_effective_user $user"

cat >"$work/squid.conf" <<EOF
# Reverse proxy (accelerator) for 127.0.0.1:$upstream
http_port 127.0.0.1:$listen accel defaultsite=localhost no-vhost
cache_peer 127.0.0.1 parent $upstream 0 no-query no-digest no-netdb-exchange originserver name=origin
cache_peer_access origin allow all
http_access allow all

# No caching: every request goes to the origin.
cache deny all

# No other ports.
icp_port 0
htcp_port 0
snmp_port 0
udp_incoming_address 127.0.0.1
udp_outgoing_address 127.0.0.1
# No ICMP pinger helper (it would outlive a SIGTERM to squid).
pinger_enable off

# Everything inside WORKDIR.
$user_line
pid_filename $run/squid.pid
cache_log $run/cache.log
access_log stdio:$run/access.log squid
coredump_dir $run
shutdown_lifetime 0 seconds
EOF

# A squid killed before it is up (or by SIGKILL) leaves its segments in
# /dev/shm: remove those of earlier instances of this script that are gone.
for f in /dev/shm/squid[0-9]*p[0-9]*-*; do
  if [[ "$f" =~ ^/dev/shm/squid[0-9]+p([0-9]+)- && ! -d "/proc/${BASH_REMATCH[1]}" ]]; then
    rm -f "$f" 2>/dev/null || true
  fi
done

cd "$run"
exec "$bin" -N -n "squid${listen}p$$" -f "$work/squid.conf"
