#!/bin/bash
# build_local.sh: runs build.sh here, as OSS-Fuzz's base-builder would (no
# Docker on this machine): clang-14, ASan+UBSan flags, libFuzzer as
# LIB_FUZZING_ENGINE, OUT in a temp dir (or $1). Then runs each built binary
# once over its seed corpus zip, unzipped (-runs=0: every seed executed, no
# fuzzing), to prove it builds and works. Exits nonzero on any failure.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
export OUT="${1:-$(mktemp -d /tmp/shockwave-oss-fuzz-out.XXXXXX)}"
export SRC="$(mktemp -d /tmp/shockwave-oss-fuzz-src.XXXXXX)"
export WORK="$(mktemp -d /tmp/shockwave-oss-fuzz-work.XXXXXX)"
export SHOCKWAVE_SRC="$repo"
export CC=clang-14 CXX=clang++-14
# OSS-Fuzz's address and undefined sanitizer flags, both at once.
san="-fsanitize=address,undefined -fsanitize-address-use-after-scope -fno-sanitize-recover=undefined"
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only $san -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
echo "build_local: OUT=$OUT"
"$repo/fuzz/oss-fuzz/build.sh"

source "$repo/fuzz/targets.sh"
status=0
for t in "${fuzz_targets[@]}"; do
  for f in "$t" "$t.options" "${t}_seed_corpus.zip"; do
    [[ -f "$OUT/$f" ]] || { echo "build_local: missing $OUT/$f"; status=1; }
  done
  seeds="$WORK/seeds/$t"
  mkdir -p "$seeds"
  unzip -q -o "$OUT/${t}_seed_corpus.zip" -d "$seeds"
  log="$WORK/$t.log"
  if (cd "$OUT" && "./$t" -runs=0 -dict=http.dict "$seeds" >"$log" 2>&1); then
    echo "build_local: $t: $(ls "$seeds" | wc -l) seeds ran, $(grep -o 'INITED cov: [0-9]* ft: [0-9]*' "$log")"
  else
    echo "build_local: $t FAILED on its seeds; log: $log"
    tail -20 "$log"
    status=1
  fi
done
[[ $status -eq 0 ]] && echo "build_local: all ${#fuzz_targets[@]} targets built and ran their seeds"
exit $status
