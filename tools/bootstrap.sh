#!/usr/bin/env bash
# bootstrap.sh: installs the Debian packages listed in tools/debian-packages.txt
# that are not installed yet. Silent when nothing is missing; idempotent.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

missing=()
while read -r pkg; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == "installed" ]] || missing+=("$pkg")
done < "$here/debian-packages.txt"
(( ${#missing[@]} == 0 )) && exit 0

sudo=()
if (( EUID != 0 )); then
  if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
    echo "bootstrap: missing Debian packages: ${missing[*]}" >&2
    echo "bootstrap: run as root, or install them: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

echo "bootstrap: installing ${missing[*]}" >&2
log="$(mktemp)"
export DEBIAN_FRONTEND=noninteractive
if ! { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  echo "bootstrap: could not install: ${missing[*]}" >&2
  tail -n 20 "$log" >&2
  echo "bootstrap: the full apt log is $log" >&2
  exit 1
fi
rm -f "$log"
