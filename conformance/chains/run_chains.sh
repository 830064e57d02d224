#!/usr/bin/env bash
# run_chains.sh: the conformance cases through real proxies to echo origins
# (httpconform's chain mode, conformance/chains/README.md).
#
#   conformance/chains/run_chains.sh [--proxy=NAME]... [--origin=NAME]... [httpconform flags...]
#   e.g. conformance/chains/run_chains.sh --proxy=nginx --origin=shockwave --case='smuggling/*'
#
# Proxies: every script in conformance/chains/proxies/ whose proxy is
# installed (tools/bootstrap.sh installs them all), or those named. Origins:
# `shockwave` (our server, --echo) and `node` (Node.js's http server,
# conformance/examples/echo_origin.js), or those named. Every process runs on
# 127.0.0.1 on a free port, from a configuration in a temporary directory,
# and is stopped by its PID when the run ends. Other flags (--case, --output,
# --format, --timeout) go to httpconform; its exit status is the script's.
# Set HTTPCONFORM and SHOCKWAVE to built binaries to skip the build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
proxies_dir="conformance/chains/proxies"

proxies=()
origins=()
flags=()
for arg in "$@"; do
  case "$arg" in
    --proxy=*) proxies+=("${arg#--proxy=}") ;;
    --origin=*) origins+=("${arg#--origin=}") ;;
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

chain_flags=()
for origin in "${origins[@]}"; do
  case "$origin" in
    shockwave)
      server="${SHOCKWAVE:-}"
      if [[ -z "$server" ]]; then
        ./bazelw build -c opt //server:shockwave >&2
        server="$(./bazelw info -c opt bazel-bin 2>/dev/null)/server/shockwave"
      fi
      # Bodies as large as the cases send (8 MiB); the rest is the default.
      "$server" --echo --port 0 --max-body 16777216 >"$tmp/shockwave.log" 2>&1 &
      about="our server, shockwave --echo --max-body 16777216 (commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
      ;;
    node)
      node="$(command -v node || command -v nodejs || true)"
      [[ -n "$node" ]] || { echo "run_chains: node is not installed (./tools/bootstrap.sh installs it)" >&2; exit 2; }
      "$node" conformance/examples/echo_origin.js 0 >"$tmp/node.log" 2>&1 &
      about="Node.js $("$node" --version) http server, conformance/examples/echo_origin.js"
      ;;
    *) echo "run_chains: unknown origin \"$origin\" (shockwave or node)" >&2; exit 2 ;;
  esac
  server_started $!
  listening_port "$tmp/$origin.log" || { echo "run_chains: origin $origin did not start (its output above)" >&2; exit 2; }
  chain_flags+=("--origin=$origin=127.0.0.1:$port" "--about=$origin=$about")
done

# Proxies that refuse to run as root (squid) switch users: they must be able
# to reach their directory below $tmp.
chmod 711 "$tmp"
for proxy in "${proxies[@]}"; do
  script="$proxies_dir/$proxy.sh"
  [[ -x "$script" ]] || { echo "run_chains: no proxy \"$proxy\" (see $proxies_dir/)" >&2; exit 2; }
  version="$("$script" --version)" || { echo "run_chains: $proxy is not installed (./tools/bootstrap.sh installs it)" >&2; exit 2; }
  listen="$(free_port)"
  tap="$(free_port)"
  mkdir -p "$tmp/$proxy"
  "$script" "$listen" "$tap" "$tmp/$proxy" >"$tmp/$proxy.out" 2>&1 &
  server_started $!
  if ! wait_for_port "$listen"; then
    echo "run_chains: $proxy did not start:" >&2
    cat "$tmp/$proxy.out" "$tmp/$proxy"/*.log 2>/dev/null >&2 || true
    exit 2
  fi
  chain_flags+=("--via=$proxy=127.0.0.1:$listen+$tap" "--about=$proxy=$version, $proxies_dir/$proxy.sh")
  echo "run_chains: $version on 127.0.0.1:$listen, forwarding to 127.0.0.1:$tap" >&2
done

status=0
"${httpconform[@]}" "${chain_flags[@]}" ${flags[@]+"${flags[@]}"} || status=$?
exit "$status"
