# proxy_contract.sh: sourced by every conformance/chains/proxies/NAME.sh, the
# part of the launcher contract they share (README.md, "The proxies"):
#
#   proxy_start PROGRAM PACKAGE LABEL VERSION_FLAG SED_EXPR "$@"
#
# finds PROGRAM and sets $bin (exit 2, naming the Debian PACKAGE, when it is
# missing); for `--version` prints "LABEL VERSION", VERSION read from
# `$bin VERSION_FLAG` with SED_EXPR, and exits; else checks the arguments
# LISTEN_PORT UPSTREAM_PORT WORKDIR and sets $listen, $upstream and $work
# (absolute, symlinks resolved).
me="$(basename "$0")"

proxy_start() {
  local program="$1" package="$2" label="$3" flag="$4" expr="$5"
  shift 5
  bin="$(PATH="$PATH:/usr/sbin:/sbin" command -v "$program" || true)"
  if [[ -z "$bin" ]]; then
    echo "$me: $program is not installed (./tools/bootstrap.sh installs $package)" >&2
    exit 2
  fi
  if [[ "${1:-}" == "--version" && $# -eq 1 ]]; then
    local v
    v="$("$bin" "$flag" 2>&1 | sed -n "$expr" | head -n 1)"
    [[ -n "$v" ]] || { echo "$me: cannot read the version from $bin $flag" >&2; exit 1; }
    echo "$label $v"
    exit 0
  fi
  local usage="usage: $me --version | $me LISTEN_PORT UPSTREAM_PORT WORKDIR"
  (( $# == 3 )) || { echo "$usage" >&2; exit 2; }
  local port
  for port in "$1" "$2"; do
    if ! [[ "$port" =~ ^[0-9]{1,5}$ ]] || (( 10#$port < 1 || 10#$port > 65535 )); then
      echo "$me: bad port: $port" >&2
      echo "$usage" >&2
      exit 2
    fi
  done
  [[ -d "$3" && -w "$3" ]] || { echo "$me: WORKDIR is not a writable directory: $3" >&2; exit 2; }
  listen=$((10#$1))
  upstream=$((10#$2))
  work="$(cd "$3" && pwd -P)"
}
