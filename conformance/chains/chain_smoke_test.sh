#!/usr/bin/env bash
# chain_smoke_test.sh: a handful of smuggling cases through Debian's nginx and
# HAProxy to our server as the echo origin, and one to an origin broken on
# purpose, where the judge must find a desync (run_chains.sh, everything
# started and stopped by the test), each verdict held to
# chain_smoke_expected.txt.
# The full grid is `conformance/chains/run_chains.sh` (README.md).
set -euo pipefail
runfiles="${TEST_SRCDIR:-.}/shockwave"
export HTTPCONFORM="$runfiles/conformance/httpconform"
export SHOCKWAVE="$runfiles/server/shockwave"
expected="$runfiles/conformance/chains/chain_smoke_expected.txt"
out="${TEST_TMPDIR:-$(mktemp -d)}"

# One run per origin, with that origin's cases.
origins=()
while read -r proxy origin id verdict; do
  [[ -z "$proxy" || "$proxy" == \#* ]] && continue
  [[ " ${origins[*]-} " == *" $origin "* ]] || origins+=("$origin")
done <"$expected"

for origin in "${origins[@]}"; do
  cases=()
  while read -r proxy o id verdict; do
    [[ -z "$proxy" || "$proxy" == \#* || "$o" != "$origin" ]] && continue
    cases+=("--case=$id")
  done <"$expected"
  status=0
  "$runfiles/conformance/chains/run_chains.sh" --proxy=nginx --proxy=haproxy --origin="$origin" "${cases[@]}" \
    --output="$out/$origin.json" --output="$out/$origin.txt" || status=$?
  cat "$out/$origin.txt"
  (( status <= 1 )) || { echo "FAIL: run_chains exited $status" >&2; exit 1; }
done

# Every expected line must match the verdict in the reports, and every
# (proxy, origin, case) of the reports must have a line.
python3 - "$expected" "$out"/*.json <<'PY'
import json, sys
got = {}
for path in sys.argv[2:]:
    for c in json.load(open(path))["cells"]:
        for r in c["results"]:
            got[(c["proxy"], c["origin"], r["case"])] = r["verdict"]
want = {}
for line in open(sys.argv[1]):
    line = line.strip()
    if line and not line.startswith("#"):
        proxy, origin, case, verdict = line.split()
        want[(proxy, origin, case)] = verdict
bad = [f"{' '.join(k)}: expected {v}, got {got.get(k, 'nothing')}" for k, v in sorted(want.items()) if got.get(k) != v]
bad += [f"{' '.join(k)}: {v}, no expected line" for k, v in sorted(got.items()) if k not in want]
for b in bad:
    print("FAIL:", b, file=sys.stderr)
if bad:
    sys.exit(1)
print(f"OK: {len(want)} verdicts as expected")
PY
