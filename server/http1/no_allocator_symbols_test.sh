#!/usr/bin/env bash
# no_allocator_symbols_test: the http1 libraries (and those of server/files)
# allocate nothing (design invariant 1 in docs/invariants.md), so their object
# code must not even reference an allocator. Runs nm on every static library
# it is given and fails if any symbol is operator new/delete (every variant),
# the malloc family, strdup/strndup or __cxa_allocate_exception (a throw
# allocates).
#
# It must be able to fail: the negative control (a library that calls malloc,
# operator new and the rest) must be flagged for every one of those symbols,
# or the test fails, whatever the reason (no files, nm printing nothing, a
# pattern that never matches).
#
# Usage: no_allocator_symbols_test.sh --control ARCHIVE... -- ARCHIVE...
set -euo pipefail

die() { echo "FAIL: $*" >&2; exit 1; }

# resolve finds a data file given as a $(locations) path, in the runfiles.
resolve() {
  local p="$1" c
  for c in "$p" "${RUNFILES_DIR:-/nonexistent}/shockwave/$p" "${TEST_SRCDIR:-/nonexistent}/shockwave/$p" \
           "${p#bazel-out/*/bin/}"; do
    if [[ -f "$c" ]]; then echo "$c"; return 0; fi
  done
  die "cannot find $p (cwd $(pwd))"
}

controls=()
archives=()
mode=""
for arg in "$@"; do
  case "$arg" in
    --control) mode=control ;;
    --) mode=archive ;;
    *)
      case "$mode" in
        control) controls+=("$(resolve "$arg")") ;;
        archive) archives+=("$(resolve "$arg")") ;;
        *) die "usage: $0 --control ARCHIVE... -- ARCHIVE..." ;;
      esac ;;
  esac
done
(( ${#controls[@]} > 0 )) || die "no negative-control archive given"
(( ${#archives[@]} > 0 )) || die "no archive to inspect given"
for a in "${controls[@]}" "${archives[@]}"; do
  [[ "$a" == *.a ]] || die "$a is not a static library (.a / .pic.a)"
done

# Mangled names (Itanium ABI): operator new / new[] with nothrow and
# align_val_t variants, every operator delete / delete[], the C allocators.
forbidden='^(_Zn[wa]m(RKSt9nothrow_t|St11align_val_t(RKSt9nothrow_t)?)?|_Zd[la]Pv[A-Za-z0-9_]*|malloc|calloc|realloc|reallocarray|aligned_alloc|posix_memalign|memalign|valloc|pvalloc|strdup|strndup|free|__cxa_allocate_exception)(@.*)?$'

# symbols prints "archive:member: TYPE NAME" for every symbol of an archive.
symbols() {
  nm -A "$1" | awk '{ n = $NF; t = $(NF-1); split($1, loc, ":"); print loc[1] ":" loc[2] ": " t " " n }'
}

# flagged prints the forbidden symbols an archive references or defines.
flagged() {
  symbols "$1" | awk -v re="$forbidden" '{ if ($NF ~ re) print }'
}

echo "Negative control:"
for a in "${controls[@]}"; do
  echo "  inspecting $a"
  hits="$(flagged "$a")"
  echo "$hits" | sed 's/^/    flagged: /'
  for want in malloc calloc realloc aligned_alloc posix_memalign strdup strndup free \
              _Znwm _Znam _ZnwmRKSt9nothrow_t _ZnamRKSt9nothrow_t \
              _ZnwmSt11align_val_t _ZnamSt11align_val_t _ZnwmSt11align_val_tRKSt9nothrow_t '_ZdlPv' '_ZdaPv'; do
    if ! grep -Eq " ${want}[A-Za-z0-9_]*(@.*)?\$" <<<"$hits"; then
      die "the negative control $a was not flagged for $want: the check is blind"
    fi
  done
done

echo "Libraries inspected:"
status=0
for a in "${archives[@]}"; do
  count="$(symbols "$a" | awk '$(NF-1) ~ /^[TtWw]$/' | wc -l)"
  echo "  inspecting $a ($count defined functions)"
  (( count > 0 )) || die "nm saw no defined function in $a"
  hits="$(flagged "$a")"
  if [[ -n "$hits" ]]; then
    echo "$hits" | sed 's/^/    ALLOCATOR SYMBOL: /'
    status=1
  fi
done
(( status == 0 )) || die "allocator symbols referenced (see above)"
echo "PASS: ${#archives[@]} libraries, no allocator symbol"
