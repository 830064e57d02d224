#!/usr/bin/env bash
# run_chains.sh: the conformance cases through real proxies to echo origins
# (httpconform's chain mode, conformance/chains/README.md).
#
#   conformance/chains/run_chains.sh [--proxy=NAME]... [--origin=NAME]... [--mutants=N [--seed=S]]
#                                    [httpconform flags...]
#   e.g. conformance/chains/run_chains.sh --proxy=nginx --origin=shockwave --case='smuggling/*'
#
# Proxies: every script in conformance/chains/proxies/ whose proxy is
# installed (tools/bootstrap.sh installs them all), or those named. Origins:
# `shockwave` (our server, --echo) and `node` (Node.js's http server,
# conformance/examples/echo_origin.js), or those named; `body-blind`
# (testdata/body_blind_origin.js, an origin broken on purpose) is there to
# prove the judge finds a desync. Every process runs on
# 127.0.0.1 on a free port, from a configuration in a temporary directory,
# and is stopped by its PID when the run ends. Other flags (--case, --cases,
# --output, --format, --timeout) go to httpconform; its exit status is the
# script's. Set HTTPCONFORM, SHOCKWAVE and SAMPLE_REQUESTS to built binaries
# to skip the build.
#
# --mutants=N: the mutation stage. Instead of the cases, N generated requests
# with one framing, whitespace, line-ending or chunk rule broken
# (proptests/generators.h, gen_mutant), deterministic in --seed (default 1),
# written to ${TMPDIR:-/tmp}/shockwave-mutants/mutants-S.cases and kept, so
# that a reproduce command in the report finds them (the same N and S write
# the same file anywhere).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
proxies_dir="conformance/chains/proxies"

proxies=()
origins=()
flags=()
mutants=""
seed=1
for arg in "$@"; do
  case "$arg" in
    --proxy=*) proxies+=("${arg#--proxy=}") ;;
    --origin=*) origins+=("${arg#--origin=}") ;;
    --mutants=*) mutants="${arg#--mutants=}" ;;
    --seed=*) seed="${arg#--seed=}" ;;
    *) flags+=("$arg") ;;
  esac
done
if (( ${#proxies[@]} == 0 )); then
  for script in "$proxies_dir"/*.sh; do
    name="$(basename "$script" .sh)"
    if "$script" --version >/dev/null 2>&1; then proxies+=("$name"); else
      echo "run_chains: $name is not installed, left out (./tools/bootstrap.sh installs it)" >&2
    fi
  done
fi
(( ${#origins[@]} )) || origins=(shockwave node)

source conformance/live/server_script.sh

# built_binary PACKAGE/NAME: builds //PACKAGE:NAME (optimised) and prints
# its path.
built_binary() {
  ./bazelw build -c opt "//${1%/*}:${1##*/}" >&2 || return
  echo "$(./bazelw info -c opt bazel-bin 2>/dev/null)/$1"
}

if [[ -n "$mutants" ]]; then
  [[ "$mutants" =~ ^[1-9][0-9]*$ && "$seed" =~ ^[0-9]+$ ]] ||
    { echo "run_chains: --mutants=N and --seed=S need whole numbers" >&2; exit 2; }
  sample="${SAMPLE_REQUESTS:-$(built_binary proptests/sample_requests)}"
  dir="${TMPDIR:-/tmp}/shockwave-mutants"
  mkdir -p "$dir"
  # Known methods, no CONNECT: mutants a reverse proxy forwards, not ones it
  # refuses for their method.
  "$sample" "$dir" --mutants --cases --llhttp-compatible --n="$mutants" --seed="$seed" >&2
  flags+=("--cases=$dir/mutants-$seed.cases")
fi

find_node() {
  command -v node || command -v nodejs || {
    echo "run_chains: node is not installed (./tools/bootstrap.sh installs it)" >&2
    return 2
  }
}

chain_flags=()
for origin in "${origins[@]}"; do
  case "$origin" in
    shockwave)
      server="${SHOCKWAVE:-$(built_binary server/shockwave)}"
      # Bodies as large as the cases send (8 MiB), and room to queue their
      # echo whole (11 MiB of JSON): a response handler cannot wait for the
      # socket yet, so a larger echo would be cut off. Fewer connections
      # keep that room small (pages are touched only when used).
      flags_shockwave="--echo --max-body 16777216 --write-buffer 16777216 --max-connections 64"
      # shellcheck disable=SC2086
      "$server" $flags_shockwave --port 0 >"$tmp/shockwave.log" 2>&1 &
      about="our server, shockwave $flags_shockwave (commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
      ;;
    node)
      node="$(find_node)"
      "$node" conformance/examples/echo_origin.js 0 >"$tmp/node.log" 2>&1 &
      about="Node.js $("$node" --version) http server, conformance/examples/echo_origin.js"
      ;;
    body-blind)
      # A broken origin that reads no bodies, for testing the judge only
      # (chain_smoke_test.sh); never in the default grid.
      node="$(find_node)"
      "$node" conformance/chains/testdata/body_blind_origin.js 0 >"$tmp/$origin.log" 2>&1 &
      about="a deliberately broken origin that reads no message body, conformance/chains/testdata/body_blind_origin.js"
      ;;
    *) echo "run_chains: unknown origin \"$origin\" (shockwave, node, or body-blind to test the judge)" >&2; exit 2 ;;
  esac
  server_started $!
  listening_port "$tmp/$origin.log" || { echo "run_chains: origin $origin did not start (its output above)" >&2; exit 2; }
  chain_flags+=("--origin=$origin=127.0.0.1:$port" "--about=$origin=$about")
done

# One instance of each proxy per origin, so that the origins run side by
# side (grid.h). Proxies that refuse to run as root (squid) switch users:
# they must be able to reach their directory below $tmp.
chmod 711 "$tmp"
for proxy in "${proxies[@]}"; do
  script="$proxies_dir/$proxy.sh"
  [[ -x "$script" ]] || { echo "run_chains: no proxy \"$proxy\" (see $proxies_dir/)" >&2; exit 2; }
  version="$("$script" --version)" || { echo "run_chains: $proxy is not installed (./tools/bootstrap.sh installs it)" >&2; exit 2; }
  chain_flags+=("--about=$proxy=$version, $proxies_dir/$proxy.sh")
  for origin in "${origins[@]}"; do
    instance="$proxy-$origin"
    listen="$(free_port)"
    tap="$(free_port)"
    mkdir -p "$tmp/$instance"
    "$script" "$listen" "$tap" "$tmp/$instance" >"$tmp/$instance.out" 2>&1 &
    server_started $!
    if ! wait_for_port "$listen"; then
      echo "run_chains: $proxy did not start:" >&2
      cat "$tmp/$instance.out" "$tmp/$instance"/*.log 2>/dev/null >&2 || true
      exit 2
    fi
    chain_flags+=("--via=$proxy=127.0.0.1:$listen+$tap")
    echo "run_chains: $version on 127.0.0.1:$listen, forwarding to 127.0.0.1:$tap (for $origin)" >&2
  done
done

status=0
"${httpconform[@]}" "${chain_flags[@]}" ${flags[@]+"${flags[@]}"} || status=$?
exit "$status"
