#!/bin/sh
# sample_requests writes N files; the same seed gives the same bytes, another
# seed other bytes; --prefix puts that many zero bytes first.
set -eu
bin=proptests/sample_requests
a="$TEST_TMPDIR/a" b="$TEST_TMPDIR/b" c="$TEST_TMPDIR/c" p="$TEST_TMPDIR/p"
mkdir -p "$a" "$b" "$c" "$p"
"$bin" "$a" --n=20 --seed=7 >/dev/null
"$bin" "$b" --n=20 --seed=7 >/dev/null
"$bin" "$c" --n=20 --seed=8 >/dev/null
"$bin" "$p" --n=1 --seed=7 --prefix=2 >/dev/null
[ "$(ls "$a" | wc -l)" -eq 20 ] || { echo "expected 20 files"; exit 1; }
diff -r "$a" "$b" || { echo "same seed, different requests"; exit 1; }
[ "$(cat "$c"/* | cksum)" != "$(cat "$a"/* | cksum)" ] || { echo "another seed, same requests"; exit 1; }
head -c 2 "$p/gen-7-0" | od -An -tx1 | grep -q "00 00" || { echo "no zero prefix"; exit 1; }
tail -c +3 "$p/gen-7-0" | cmp - "$a/gen-7-0" || { echo "prefix changed the request"; exit 1; }
# Each file is one request: a request-line first.
head -n 1 "$a/gen-7-0" | grep -q " HTTP/1\.[01]" || { echo "not a request"; exit 1; }
"$bin" "$a" --mutants --n=5 --seed=3 >/dev/null
# --cases: one case file that the conformance suite reads: 40 mutants, each
# rejected by our parser as its case expects.
"$bin" "$c" --mutants --cases --n=40 --seed=3 >/dev/null
[ "$(grep -c '^\[3-' "$c/mutants-3.cases")" -eq 40 ] || { echo "expected 40 cases"; exit 1; }
conformance/httpconform --cases="$c/mutants-3.cases" --parser=shockwave >"$TEST_TMPDIR/mutants.txt" ||
  { cat "$TEST_TMPDIR/mutants.txt"; echo "the mutant cases do not read, or our parser accepts one"; exit 1; }
echo PASS
