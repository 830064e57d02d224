#!/usr/bin/env bash
# run_h11.sh: the conformance cases against Python's h11, through --exec.
#
#   conformance/examples/run_h11.sh [httpconform flags...]
#   e.g. conformance/examples/run_h11.sh --jobs=2 --output=/tmp/h11.html
#
# Runs `httpconform --exec=h11=...` with conformance/examples/h11_parser.py
# (h11 behind the exec contract) and the flags given, and exits with
# httpconform's status. h11 is Debian's python3-h11 under Debian's
# /usr/bin/python3 (tools/debian-packages.txt). Set HTTPCONFORM to a built
# binary to skip the build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

python=/usr/bin/python3
"$python" -c 'import h11' 2>/dev/null ||
  { echo "run_h11: python3-h11 is not installed (./tools/bootstrap.sh installs it)" >&2; exit 2; }

source conformance/live/server_script.sh

echo "run_h11: h11 $("$python" -c 'import h11; print(h11.__version__)')" >&2
status=0
"${httpconform[@]}" --exec="h11=$python $root/conformance/examples/h11_parser.py" "$@" || status=$?
exit "$status"
