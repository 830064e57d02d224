#!/usr/bin/env bash
# parse_cli_test: the `parse` CLI prints exactly one JSON object per run and
# exits 0 for any bytes at all; usage and I/O problems exit 2 with a message.
set -uo pipefail

parse="${TEST_SRCDIR:-.}/shockwave/conformance/parse"
[[ -x "$parse" ]] || parse="conformance/parse"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# is_json FILE: the file holds one JSON object (python3 when present; the
# strict test PATH may lack it, then a shape check has to do).
is_json() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json,sys; assert isinstance(json.load(sys.stdin), dict)' <"$1" 2>/dev/null
  else
    grep -q '}$' "$1"
  fi
}

# expect_outcome LABEL INPUT [ARGS...]: exit 0, one line, a JSON object.
expect_outcome() {
  local label="$1" input="$2"
  shift 2
  local out="$tmp/out" err="$tmp/err" rc=0
  "$parse" "$@" <"$input" >"$out" 2>"$err" || rc=$?
  [[ $rc -eq 0 ]] || { fail "$label: exit $rc ($(cat "$err"))"; return; }
  [[ "$(wc -l <"$out")" -eq 1 && "$(tail -c 1 "$out" | od -An -c | tr -d ' ')" == '\n' ]] ||
    fail "$label: output is not exactly one line"
  [[ "$(head -c 7 "$out")" == '{"ok": ' ]] || fail "$label: output does not start with {\"ok\": "
  is_json "$out" || fail "$label: output is not a JSON object: $(head -c 200 "$out")"
}

# expect_usage_error LABEL ARGS...: exit 2, a message on stderr, no stdout.
expect_usage_error() {
  local label="$1"
  shift
  local rc=0
  "$parse" "$@" </dev/null >"$tmp/out" 2>"$tmp/err" || rc=$?
  [[ $rc -eq 2 ]] || fail "$label: exit $rc, want 2"
  [[ -s "$tmp/err" ]] || fail "$label: no message on stderr"
  [[ ! -s "$tmp/out" ]] || fail "$label: printed to stdout"
}

: >"$tmp/empty"
printf 'GET / HTTP/1.1\r\nHost: example.com\r\n\r\n' >"$tmp/valid"
printf '\x00\x01\xff\r\n\r\n\x80"\\ GET / HTTP/1.1\n\x00' >"$tmp/garbage"
head -c 1048576 /dev/urandom >"$tmp/random"

for parser in shockwave llhttp; do
  expect_outcome "$parser empty" "$tmp/empty" --parser="$parser"
  expect_outcome "$parser garbage" "$tmp/garbage" --parser="$parser"
  expect_outcome "$parser 1 MiB random" "$tmp/random" --parser="$parser"
  expect_outcome "$parser valid from stdin" "$tmp/valid" --parser="$parser" -
  grep -q '"ok": true, .*"consumed": 37}$' "$tmp/out" || fail "$parser valid: $(cat "$tmp/out")"
  expect_outcome "$parser valid from a file" /dev/null --parser="$parser" "$tmp/valid"
  grep -q '"ok": true, .*"consumed": 37}$' "$tmp/out" || fail "$parser valid file: $(cat "$tmp/out")"
done
expect_outcome "default parser" "$tmp/valid"

expect_usage_error "missing file" "$tmp/no-such-file"
grep -q 'no-such-file' "$tmp/err" || fail "missing file: message does not name the file"
expect_usage_error "unknown parser" --parser=no-such-parser
expect_usage_error "unknown flag" --frobnicate
expect_usage_error "two files" "$tmp/valid" "$tmp/valid"

rc=0
"$parse" --help >"$tmp/out" 2>&1 || rc=$?
[[ $rc -eq 0 ]] && grep -q 'llhttp' "$tmp/out" || fail "--help: exit $rc or no parser list"

if ((failures > 0)); then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "PASS"
