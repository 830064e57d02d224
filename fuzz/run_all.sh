#!/bin/bash
# run_all.sh SECONDS [TARGET...]: builds the fuzz targets with --config=fuzz
# (clang, ASan+UBSan, libFuzzer) and fuzzes each in turn for SECONDS (default
# 60), starting from its checked-in seeds, with the shared dictionary and its
# .options. The grown corpus lives outside the repo, in $FUZZ_WORK/<target>/
# corpus ($FUZZ_WORK: default a new temp dir); the checked-in seeds are never
# written. Stops at the first crash, prints the reproducer's path and exits 1.
# Per target it prints exec/s, executions, cov:/ft: at start and end, and
# corpus growth; the same lines go to $FUZZ_WORK/summary.txt.
#
# Environment: FUZZ_WORK (see above); FUZZ_BAZEL_STARTUP, Bazel startup
# options (e.g. --output_base=...); FUZZ_FLAGS, extra libFuzzer flags;
# FUZZ_NICE=1 runs the fuzzers under nice -n 19.
set -uo pipefail
seconds="${1:-60}"
[[ $# -gt 0 ]] && shift
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
source fuzz/targets.sh
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=("${fuzz_targets[@]}")
work="${FUZZ_WORK:-$(mktemp -d /tmp/shockwave-fuzz.XXXXXX)}"
mkdir -p "$work"
echo "run_all: work directory $work"

bazel=(./bazelw ${FUZZ_BAZEL_STARTUP:-})
"${bazel[@]}" build --config=fuzz $(printf '//fuzz:%s_bin ' "${targets[@]}") || exit 1
bin_dir="$("${bazel[@]}" info --config=fuzz bazel-bin 2>/dev/null)/fuzz"
nice_cmd=()
[[ "${FUZZ_NICE:-0}" == 1 ]] && nice_cmd=(nice -n 19)

for t in "${targets[@]}"; do
  corpus="$work/$t/corpus" artifacts="$work/$t/artifacts/"
  mkdir -p "$corpus" "$artifacts"
  # -timeout: one input running 25 s is a hang (libFuzzer's default, 1200 s,
  # would outlast a CI run); it is reported like a crash.
  flags=(-dict=fuzz/http.dict -max_total_time="$seconds" -timeout=25 -print_final_stats=1 -artifact_prefix="$artifacts")
  while IFS= read -r line; do
    [[ "$line" =~ ^[[:space:]]*max_len[[:space:]]*=[[:space:]]*([0-9]+) ]] && flags+=(-max_len="${BASH_REMATCH[1]}")
  done < "fuzz/$t.options"
  seeds=$(ls "fuzz/corpus/$t" | wc -l)
  grown_before=$(ls "$corpus" | wc -l)
  echo "run_all: fuzzing $t for ${seconds}s"
  log="$work/$t/fuzz.log"
  "${nice_cmd[@]}" "$bin_dir/${t}_bin" "${flags[@]}" ${FUZZ_FLAGS:-} "$corpus" "fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$')
  start=$(grep -m1 'INITED' "$log" | grep -o 'cov: [0-9]* ft: [0-9]*')
  end=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
  line="$t: ${execs:-?} executions, ${rate:-?} exec/s, start [${start:-?}], end [${end:-?}], corpus ${seeds} seeds + ${grown_before} -> $(ls "$corpus" | wc -l) grown files"
  echo "run_all: $line"
  echo "$line" >>"$work/summary.txt"
  if [[ $rc -ne 0 ]]; then
    repro=$(ls -t "$artifacts" 2>/dev/null | head -1)
    echo "run_all: $t FAILED (exit $rc); log: $log"
    grep -m1 -B2 -A12 'ERROR\|unexplained\|check failed\|runtime error\|differs\|connection_fuzzer:' "$log"
    if [[ -n "$repro" ]]; then
      echo "run_all: reproducer: $artifacts$repro"
      echo "run_all: replay with: $bin_dir/${t}_bin $artifacts$repro"
    else
      echo "run_all: no reproducer written (see the log)"
    fi
    echo "$t FAILED: reproducer $artifacts$repro" >>"$work/summary.txt"
    exit 1
  fi
done
echo "run_all: every target ran ${seconds}s without a finding"
