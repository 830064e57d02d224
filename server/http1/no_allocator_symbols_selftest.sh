#!/usr/bin/env bash
# no_allocator_symbols_selftest: no_allocator_symbols_test.sh must fail, and
# name the symbol, when a library it inspects does allocate. Here the
# negative control is passed both as the control and as an inspected library.
# Usage: no_allocator_symbols_selftest.sh SCRIPT CONTROL_ARCHIVE
set -uo pipefail
script="$1"
control="$2"
output="$("$script" --control "$control" -- "$control" 2>&1)"
status=$?
echo "$output"
if (( status == 0 )); then
  echo "FAIL: the check passed a library that calls malloc and operator new" >&2
  exit 1
fi
for want in "ALLOCATOR SYMBOL: .* U malloc" "ALLOCATOR SYMBOL: .* U _Znwm"; do
  if ! grep -Eq "$want" <<<"$output"; then
    echo "FAIL: expected a line matching '$want'" >&2
    exit 1
  fi
done
echo "PASS: the check fails on an allocating library"
