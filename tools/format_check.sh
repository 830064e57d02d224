#!/usr/bin/env bash
# format_check.sh: clang-format (with the repository's .clang-format) would
# change nothing in the project's C++ files. With --fix, formats them instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
"$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
format="$(command -v clang-format-14 || command -v clang-format || true)"
[[ -n "$format" ]] || { echo "format_check: clang-format is not installed" >&2; exit 1; }

mapfile -t files < <(git ls-files '*.cc' '*.h' | grep -v '^third_party/')
if [[ "${1:-}" == "--fix" ]]; then
  "$format" -i --style=file "${files[@]}"
  exit 0
fi
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
if ! "$format" --dry-run --Werror --style=file "${files[@]}" 2>"$report"; then
  grep -E '^[^ ].*: error:' "$report" | cut -d: -f1 | sort | uniq -c | sed 's/^ */format_check: lines to change: /' >&2
  echo "format_check: run tools/format_check.sh --fix" >&2
  exit 1
fi
echo "format_check: ${#files[@]} files formatted as .clang-format says"
