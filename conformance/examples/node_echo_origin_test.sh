#!/usr/bin/env bash
# node_echo_origin_test: Node.js's http server behind echo_origin.js, judged
# live by httpconform in echo mode on the cases of the globs given: the
# echo contract must be seen (cases echoed), and every verdict must be the
# one checked in under conformance/results/node-echo.json, so a change in
# the judge or the origin that moves Node's results shows up here.
set -uo pipefail

runfiles="${TEST_SRCDIR:-.}/shockwave"
httpconform="$runfiles/conformance/httpconform"
origin="$runfiles/conformance/examples/echo_origin.js"
baseline="$runfiles/conformance/results/node-echo.json"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"

source "$runfiles/conformance/examples/node_echo.sh"
node_pid=""
trap '[[ -n "$node_pid" ]] && kill "$node_pid" 2>/dev/null; wait 2>/dev/null' EXIT
start_node_echo "$origin" "$tmp/node.log" || { echo "FAIL: see above" >&2; exit 1; }

globs=()
for g in "$@"; do globs+=("--case=$g"); done
"$httpconform" --server="node-echo=127.0.0.1:$port" ${globs[@]+"${globs[@]}"} --output="$tmp/run.json" --output="$tmp/run.txt"
rc=$?
(( rc <= 1 )) || { echo "FAIL: httpconform exited $rc" >&2; exit 1; }

python3 - "$tmp/run.json" "$baseline" <<'PY'
import json, sys
run, base = (json.load(open(p)) for p in sys.argv[1:3])
def verdicts(report):
    ids = [c["id"] for c in report["cases"]]
    return dict(zip(ids, (r["verdict"] for r in report["runs"][0]["results"])))
now, then = verdicts(run), verdicts(base)
echoed = sum("echoed)" in r["got"] for r in run["runs"][0]["results"])
differ = [f"{i}: {then.get(i)} -> {v}" for i, v in now.items() if then.get(i) != v]
print(f"{len(now)} cases, {echoed} echoed, {len(differ)} verdicts differ from conformance/results/node-echo.json")
for d in differ: print("  " + d)
if echoed == 0: sys.exit("FAIL: no case was echoed: the origin does not speak the contract")
if differ: sys.exit("FAIL: Node's verdicts moved; rerun conformance/examples/run_node_echo.sh and check the write-up")
PY
