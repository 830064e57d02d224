#!/usr/bin/env bash
# httpconform_cli_test: the CLI's flags, formats and exit statuses, on a
# small case file of its own; --exec runs the `parse` CLI as an external
# parser, the way a user validates theirs.
set -uo pipefail

runfiles="${TEST_SRCDIR:-.}/shockwave"
httpconform="$runfiles/conformance/httpconform"
parse="$runfiles/conformance/parse"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

cat >"$tmp/fixture.cases" <<'CASES'
section: RFC 9112 §5.1

[ok]
why: a plain request
input: "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
expect: accept
messages: 1

[control-in-field-name]
why: a field name is a token: a control octet in it is rejected
input: "GET / HTTP/1.1\r\nHost: a\r\nBad\x01Name: x\r\n\r\n"
expect: reject 400
CASES

# run EXPECTED_STATUS LABEL ARGS...: runs httpconform, output in $tmp/out.
run() {
  local want="$1" label="$2"
  shift 2
  local rc=0
  "$httpconform" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
  [[ $rc -eq $want ]] || fail "$label: exit $rc, want $want ($(head -c 300 "$tmp/err"))"
}

run 0 "--help" --help
grep -q "^usage: httpconform" "$tmp/out" || fail "--help prints no usage"
grep -q "picohttpparser" "$tmp/out" || fail "--help does not list the parsers"

run 2 "unknown flag" --frobnicate
grep -q "^usage:" "$tmp/err" || fail "a bad flag prints no usage"
run 2 "unknown parser" --parser=nope --cases="$tmp/fixture.cases"
run 2 "bad format" --format=pdf
run 2 "bad timeout" --timeout=soon
run 2 "bad server" --server=nocolon
run 2 "missing cases" --cases="$tmp/none"
run 2 "no case matches" --cases="$tmp/fixture.cases" --case='nothing/*'

run 0 "text" --cases="$tmp/fixture.cases" --parser=shockwave,llhttp --parser=picohttpparser
grep -q "== picohttpparser (parser): 2 pass, 0 allowed, 0 fail" "$tmp/out" || fail "text: no picohttpparser summary"

run 0 "exec" --cases="$tmp/fixture.cases" --exec="'$parse' --parser=shockwave"
grep -q "(exec): 2 pass" "$tmp/out" || fail "exec: $(cat "$tmp/out")"

# A parser that reports no request at all (it reads nothing) fails: exit 1, listed.
run 1 "exec reads nothing" --cases="$tmp/fixture.cases" --exec="'$parse' --parser=shockwave-lenient-bare_lf < /dev/null"
grep -q "FAIL fixture/control-in-field-name" "$tmp/out" || fail "exec reads nothing: failure not listed"

# Baselines: failures a baseline lists are known and pass the run; any other
# fails it, named on stderr. Works for --exec as for any implementation.
nothing="'$parse' --parser=shockwave-lenient-bare_lf < /dev/null"
cat >"$tmp/baseline.txt" <<'BASELINE'
# known deviations of the wrapper that reads nothing
fixture/control-in-field-name fail  the wrapper is a stub: it reads no input
fixture/ok fail the wrapper is a stub
BASELINE
run 0 "baseline lists every failure" --cases="$tmp/fixture.cases" --exec="$nothing" --baseline="$tmp/baseline.txt"
grep -q "KNOWN fixture/control-in-field-name" "$tmp/out" || fail "baseline: known deviation not shown"
grep -q "baseline: the wrapper is a stub: it reads no input" "$tmp/out" || fail "baseline: reason not shown"
grep -v '^fixture/ok' "$tmp/baseline.txt" >"$tmp/partial.txt"
run 1 "baseline misses one" --cases="$tmp/fixture.cases" --exec="$nothing" --baseline="$tmp/partial.txt"
grep -q "1 new failure(s), not in the baseline" "$tmp/err" && grep -q "^  fixture/ok$" "$tmp/err" ||
  fail "baseline: new failure not listed on stderr: $(cat "$tmp/err")"
run 0 "stale baseline line" --cases="$tmp/fixture.cases" --parser=shockwave --baseline="$tmp/baseline.txt"
grep -q "baseline line to remove: fixture/ok" "$tmp/out" || fail "baseline: stale line not reported"
run 0 "baseline for one name" --cases="$tmp/fixture.cases" --exec="$nothing" --parser=shockwave \
  --baseline="exec:$nothing=$tmp/baseline.txt"
run 2 "baseline for an unknown name" --cases="$tmp/fixture.cases" --parser=shockwave --baseline="nope=$tmp/baseline.txt"
printf 'fixture/ok fail\n' >"$tmp/noreason.txt"
run 2 "baseline line without a reason" --cases="$tmp/fixture.cases" --parser=shockwave --baseline="$tmp/noreason.txt"
printf 'fixture/nope fail a typo\n' >"$tmp/unknown.txt"
run 2 "baseline with an unknown case" --cases="$tmp/fixture.cases" --parser=shockwave --baseline="$tmp/unknown.txt"
grep -q "no such case" "$tmp/err" || fail "baseline: unknown case not named"
run 1 "write a baseline" --cases="$tmp/fixture.cases" --exec="$nothing" --write-baseline="$tmp/written.txt"
run 0 "the written baseline" --cases="$tmp/fixture.cases" --exec="$nothing" --baseline="$tmp/written.txt"

# --exec NAME=COMMAND labels the run.
run 0 "exec label" --cases="$tmp/fixture.cases" --exec="mine='$parse' --parser=shockwave"
grep -q "^== mine (exec): 2 pass" "$tmp/out" || fail "exec label: $(head -n 3 "$tmp/out")"

# A command that cannot run is refused up front, not failed case by case.
run 2 "exec missing command" --cases="$tmp/fixture.cases" --exec="$tmp/no-such-parser --flag"
grep -q "cannot run .*no-such-parser.*command not found" "$tmp/err" || fail "exec missing: $(cat "$tmp/err")"
[[ ! -s "$tmp/out" ]] || fail "exec missing: a report was written"
printf '#!/bin/sh\necho {}\n' >"$tmp/not-executable"
chmod -x "$tmp/not-executable"
run 2 "exec not executable" --cases="$tmp/fixture.cases" --exec="$tmp/not-executable"
grep -q "not executable" "$tmp/err" || fail "exec not executable: $(cat "$tmp/err")"

# JUnit XML for CI, valid against the Jenkins/Ant shape; a known deviation
# is skipped, a new failure is a <failure> with the input and the rationale.
run 1 "junit" --cases="$tmp/fixture.cases" --exec="stub=$nothing" --parser=shockwave --junit="$tmp/junit.xml" \
  --baseline="stub=$tmp/partial.txt"
[[ -s "$tmp/out" ]] || fail "junit: --junit alone replaced the text report on stdout"
if command -v xmllint >/dev/null 2>&1; then
  xmllint --noout --schema "$runfiles/conformance/testdata/junit.xsd" "$tmp/junit.xml" 2>"$tmp/xmllint" ||
    fail "junit: not valid against junit.xsd: $(cat "$tmp/xmllint")"
else
  fail "junit: xmllint (libxml2-utils) is needed to validate the JUnit output"
fi
grep -q '<testsuites name="httpconform" tests="4" failures="1" errors="0" skipped="1">' "$tmp/junit.xml" ||
  fail "junit: totals: $(head -n 3 "$tmp/junit.xml")"
grep -q '<testcase classname="stub.fixture" name="ok" time="0">' "$tmp/junit.xml" || fail "junit: testcase naming"
grep -q '<skipped message="known deviation: the wrapper is a stub: it reads no input"/>' "$tmp/junit.xml" ||
  fail "junit: known deviation not skipped"
grep -q '^input:     &quot;GET / HTTP/1.1\\r\\nHost: a' "$tmp/junit.xml" || fail "junit: no escaped input"
grep -q '^rationale: a plain request' "$tmp/junit.xml" || fail "junit: no rationale"

# --jobs: the same report, cases in the same order, whatever the number of
# workers (each has its own adapter or process).
run 1 "jobs 1" --cases="$tmp/fixture.cases" --parser=shockwave,llhttp --exec="'$parse' --parser=shockwave" \
  --exec="$nothing"
tail -n +2 "$tmp/out" >"$tmp/jobs1"
run 1 "jobs 4" --cases="$tmp/fixture.cases" --parser=shockwave,llhttp --exec="'$parse' --parser=shockwave" \
  --exec="$nothing" --jobs=4
tail -n +2 "$tmp/out" | diff "$tmp/jobs1" - >"$tmp/jobs.diff" || fail "jobs: reports differ: $(cat "$tmp/jobs.diff")"
run 2 "jobs 0" --cases="$tmp/fixture.cases" --jobs=0

# A broken program is a failed case with its reason, not a crash.
run 1 "exec broken" --cases="$tmp/fixture.cases" --exec="echo oops >&2; exit 7"
grep -q "exited with status 7; stderr: oops" "$tmp/out" || fail "exec broken: $(cat "$tmp/out")"

run 0 "glob" --cases="$tmp/fixture.cases" --case='*/ok'
grep -q "^httpconform: 1 cases" "$tmp/out" || fail "glob did not select one case"

run 0 "json" --cases="$tmp/fixture.cases" --format=json --parser=shockwave
if command -v python3 >/dev/null 2>&1; then
  python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["passed"] and d["runs"][0]["counts"]["pass"] == 2' \
    <"$tmp/out" || fail "json: not the expected document"
fi

run 0 "html to a file" --cases="$tmp/fixture.cases" --format=html --output="$tmp/report.html"
[[ ! -s "$tmp/out" ]] || fail "--output still wrote to stdout"
head -c 15 "$tmp/report.html" | grep -q "<!DOCTYPE html>" || fail "html: no doctype"
grep -q 'href="https://www.rfc-editor.org/rfc/rfc9112#section-5.1"' "$tmp/report.html" || fail "html: no RFC link"

run 0 "several outputs" --cases="$tmp/fixture.cases" --output="$tmp/r.txt" --output="$tmp/r.json" --output="$tmp/r.html"
grep -q "^httpconform: 2 cases" "$tmp/r.txt" || fail "several outputs: .txt is not text"
head -c 14 "$tmp/r.json" | grep -q '^{"generated": ' || fail "several outputs: .json is not JSON"
head -c 15 "$tmp/r.html" | grep -q "<!DOCTYPE html>" || fail "several outputs: .html is not HTML"
run 2 "server without a name" --server==127.0.0.1:1

# The shipped cases are found in the runfiles without --cases (the verdicts
# are conformance_test's business).
"$httpconform" --parser=shockwave >"$tmp/out" 2>"$tmp/err"
[[ $? -le 1 ]] || fail "default cases: $(head -c 300 "$tmp/err")"
grep -q "^httpconform: [0-9]* cases from .*conformance/cases" "$tmp/out" || fail "default cases: $(head -n 1 "$tmp/out")"

if [[ $failures -ne 0 ]]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "httpconform_cli_test: all checks passed"
