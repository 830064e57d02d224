#!/bin/bash
# minimize_corpus.sh [--from DIR]... [TARGET...]: keeps each checked-in seed
# corpus minimal. For each target (default: all) it runs libFuzzer's
# -merge=1 over fuzz/corpus/<target> (plus <DIR>/<target>/corpus for each
# --from DIR, e.g. a run_all.sh work directory, to take in what fuzzing
# found) into a fresh directory, and replaces the checked-in corpus with it:
# the smallest set of inputs with the same coverage features. Files are named
# by their SHA-1, as libFuzzer writes them; reproducers of fixed bugs, named
# regression-*, are always kept. Run it after growing a corpus and
# commit the result; the replay tests (bazel test //fuzz/...) pick it up.
# Environment: FUZZ_BAZEL_STARTUP, as in run_all.sh.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
source fuzz/targets.sh
from=()
targets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --from) from+=("$2"); shift 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[[ ${#targets[@]} -eq 0 ]] && targets=("${fuzz_targets[@]}")
bazel=(./bazelw ${FUZZ_BAZEL_STARTUP:-})
"${bazel[@]}" build --config=fuzz $(printf '//fuzz:%s_bin ' "${targets[@]}")
bin_dir="$("${bazel[@]}" info --config=fuzz bazel-bin 2>/dev/null)/fuzz"
for t in "${targets[@]}"; do
  max_len=$(sed -n 's/^[[:space:]]*max_len[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p' "fuzz/$t.options")
  new="$(mktemp -d /tmp/shockwave-merge.XXXXXX)"
  inputs=("fuzz/corpus/$t")
  for d in "${from[@]}"; do [[ -d "$d/$t/corpus" ]] && inputs+=("$d/$t/corpus"); done
  before=$(find -L "${inputs[@]}" -type f -exec cat {} + | wc -c)
  count_before=$(find -L "${inputs[@]}" -type f | wc -l)
  "$bin_dir/${t}_bin" -merge=1 ${max_len:+-max_len=$max_len} "$new" "${inputs[@]}" >"$new.log" 2>&1 ||
    { echo "minimize_corpus: merge failed for $t; see $new.log" >&2; exit 1; }
  # Reproducers of fixed bugs stay whatever their coverage: regression-*.
  find "fuzz/corpus/$t" -maxdepth 1 -name 'regression-*' -exec cp {} "$new/" \;
  rm -rf "fuzz/corpus/$t"
  mv "$new" "fuzz/corpus/$t"
  echo "minimize_corpus: $t: $count_before files ($before bytes) -> $(ls "fuzz/corpus/$t" | wc -l) files ($(cat fuzz/corpus/$t/* | wc -c) bytes); $(grep -o 'MERGE-OUTER: [0-9]* new files.*' "$new.log" | tail -1)"
  rm -f "$new.log"
done
