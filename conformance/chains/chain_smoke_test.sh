#!/usr/bin/env bash
# chain_smoke_test.sh: a handful of smuggling cases through Debian's nginx and
# HAProxy to our server as the echo origin (run_chains.sh, everything started
# and stopped by the test), each verdict held to chain_smoke_expected.txt.
# The full grid is `conformance/chains/run_chains.sh` (README.md).
set -euo pipefail
runfiles="${TEST_SRCDIR:-.}/shockwave"
export HTTPCONFORM="$runfiles/conformance/httpconform"
export SHOCKWAVE="$runfiles/server/shockwave"
expected="$runfiles/conformance/chains/chain_smoke_expected.txt"
out="${TEST_TMPDIR:-$(mktemp -d)}"

cases=()
while read -r proxy id verdict; do
  [[ -z "$proxy" || "$proxy" == \#* ]] && continue
  cases+=("--case=$id")
done <"$expected"

status=0
"$runfiles/conformance/chains/run_chains.sh" --proxy=nginx --proxy=haproxy --origin=shockwave "${cases[@]}" \
  --output="$out/chains.json" --output="$out/chains.txt" || status=$?
cat "$out/chains.txt"
(( status <= 1 )) || { echo "FAIL: run_chains exited $status" >&2; exit 1; }

# Every expected line must match the verdict in the report, and every
# (proxy, case) of the report must have a line.
python3 - "$out/chains.json" "$expected" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
got = {(c["proxy"], r["case"]): r["verdict"] for c in report["cells"] for r in c["results"]}
want = {}
for line in open(sys.argv[2]):
    line = line.strip()
    if line and not line.startswith("#"):
        proxy, case, verdict = line.split()
        want[(proxy, case)] = verdict
bad = [f"{p} {c}: expected {v}, got {got.get((p, c), 'nothing')}" for (p, c), v in sorted(want.items()) if got.get((p, c)) != v]
bad += [f"{p} {c}: {v}, no expected line" for (p, c), v in sorted(got.items()) if (p, c) not in want]
for b in bad:
    print("FAIL:", b, file=sys.stderr)
if bad:
    sys.exit(1)
print(f"OK: {len(want)} verdicts as expected")
PY
