#!/bin/bash
# fuzz_run.sh BIN DICT OPTIONS [CORPUS_DIR...] [libFuzzer flags]: the body of
# every <name>_run target. Turns the .options file's [libfuzzer] lines into
# flags, adds -max_total_time=60 unless given, and fuzzes.
set -euo pipefail
bin="$1" dict="$2" options="$3"
shift 3
flags=()
[[ -n "$dict" && "$dict" != "''" ]] && flags+=("-dict=$dict")
if [[ -n "$options" && "$options" != "''" ]]; then
  while IFS= read -r line; do
    line="${line%%#*}"
    [[ "$line" =~ ^[[:space:]]*([a-z_]+)[[:space:]]*=[[:space:]]*([^[:space:]]+) ]] || continue
    key="${BASH_REMATCH[1]}" value="${BASH_REMATCH[2]}"
    [[ "$key" == dict ]] && continue  # the dict is passed above, by its runfiles path
    flags+=("-$key=$value")
  done < "$options"
fi
case " $* " in
  *" -max_total_time="*) ;;
  *) flags+=("-max_total_time=60") ;;
esac
exec "$bin" "${flags[@]}" "$@"
