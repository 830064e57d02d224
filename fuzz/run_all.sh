#!/bin/bash
# run_all.sh SECONDS: builds every fuzz target with --config=fuzz (clang,
# ASan+UBSan, libFuzzer) and fuzzes each in turn for SECONDS (default 60),
# starting from its checked-in seeds, with the shared dictionary and its
# .options. The grown corpus lives outside the repo (in $FUZZ_WORK, default a
# new temp dir); the checked-in seeds are never written. Stops at the first
# crash and prints the reproducer's path. Prints exec/s and total executions
# per target.
set -uo pipefail
seconds="${1:-60}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
targets=(request_parser_fuzzer chunked_decoder_fuzzer differential_llhttp_fuzzer response_writer_fuzzer)
work="${FUZZ_WORK:-$(mktemp -d /tmp/shockwave-fuzz.XXXXXX)}"
echo "run_all: work directory $work"

./bazelw build --config=fuzz $(printf '//fuzz:%s_bin ' "${targets[@]}") || exit 1
bin_dir="$(./bazelw info --config=fuzz bazel-bin 2>/dev/null)/fuzz"

for t in "${targets[@]}"; do
  corpus="$work/$t/corpus" artifacts="$work/$t/artifacts/"
  mkdir -p "$corpus" "$artifacts"
  flags=(-dict=fuzz/http.dict -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$artifacts")
  while IFS= read -r line; do
    [[ "$line" =~ ^[[:space:]]*max_len[[:space:]]*=[[:space:]]*([0-9]+) ]] && flags+=(-max_len="${BASH_REMATCH[1]}")
  done < "fuzz/$t.options"
  echo "run_all: fuzzing $t for ${seconds}s"
  log="$work/$t/fuzz.log"
  "$bin_dir/${t}_bin" "${flags[@]}" "$corpus" "fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$')
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
  echo "run_all: $t: ${execs:-?} executions, ${rate:-?} exec/s, $cov, corpus $(ls "$corpus" | wc -l) files"
  if [[ $rc -ne 0 ]]; then
    repro=$(ls -t "$artifacts" 2>/dev/null | head -1)
    echo "run_all: $t FAILED (exit $rc); log: $log"
    grep -m1 -B2 -A12 'ERROR\|unexplained\|check failed\|runtime error' "$log"
    echo "run_all: reproducer: $artifacts$repro"
    echo "run_all: replay with: $bin_dir/${t}_bin $artifacts$repro"
    exit 1
  fi
done
echo "run_all: every target ran ${seconds}s without a finding"
