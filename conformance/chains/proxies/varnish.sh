#!/usr/bin/env bash
# varnish.sh: Varnish Cache (varnishd) as a reverse proxy in front of an origin,
# for the request-smuggling chains.
#
#   varnish.sh --version                          one line, e.g. "Varnish 7.1.1"
#   varnish.sh LISTEN_PORT UPSTREAM_PORT WORKDIR  runs varnishd in the foreground
#
# Configuration, everything generated into WORKDIR (nothing read from /etc or
# written to /var or /run):
# - One backend, 127.0.0.1:UPSTREAM_PORT, and a vcl_recv that runs Varnish's
#   builtin request checks and then returns pass instead of hash: every
#   request is forwarded uncached (the test origin's 200s look cacheable).
#   Calling the builtin checks, rather than a bare `return (pass)`, keeps
#   Varnish's default strictness: HTTP/1.1 without Host gets 400, PRI gets 405,
#   and a method it does not know is piped (from then on the connection is a
#   plain TCP tunnel to the origin). Nothing else in the VCL, so request
#   parsing and forwarding stay at Varnish's defaults.
# - -a 127.0.0.1:LISTEN_PORT only; -T none: no management CLI port at all.
# - -n WORKDIR/varnish holds the working dir (shared memory log, compiled VCL).
# - -j none: no privilege separation. As root varnishd would otherwise run its
#   child and VCL compiler as vcache/varnish, which cannot enter a 0700
#   WORKDIR; with none it stays the invoking user, root or not.
# - -s malloc,16m: a small memory-only storage (pass mode barely uses it).
# - -F: foreground. The manager forks one child (the cacher); SIGTERM to the
#   manager, which is this script's PID after exec, stops the child too.
# varnishd writes its errors and notices to stderr, which goes to
# WORKDIR/varnishd.log.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../proxy_contract.sh"
# `varnishd -V` prints `varnishd (varnish-7.1.1 revision ...)`.
proxy_start varnishd varnish 'Varnish' -V 's/.*(varnish-\([^ ]*\) .*/\1/p' "$@"

cat >"$work/default.vcl" <<EOF
vcl 4.1;

backend default {
    .host = "127.0.0.1";
    .port = "$upstream";
}

sub vcl_recv {
    # The builtin checks first, then pass: forward everything, cache nothing.
    call vcl_builtin_recv;
    return (pass);
}
EOF

# The VCL is compiled with the C compiler: its temporary files go to WORKDIR.
export TMPDIR="$work"
exec "$bin" -F -j none \
  -a "127.0.0.1:$listen" -T none \
  -f "$work/default.vcl" -n "$work/varnish" \
  -P "$work/varnishd.pid" \
  -s malloc,16m \
  >>"$work/varnishd.log" 2>&1
