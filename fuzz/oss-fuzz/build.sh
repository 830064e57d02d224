#!/bin/bash -eu
# build.sh: builds every fuzz target the OSS-Fuzz / ClusterFuzzLite way, with
# the compilers and flags they set ($CC $CXX $CFLAGS $CXXFLAGS
# $LIB_FUZZING_ENGINE), into $OUT, each with <target>_seed_corpus.zip, the
# shared dictionary and <target>.options. No Bazel: the sources are listed
# below (keep them in step with fuzz/BUILD.bazel; build_local.sh proves it).
#
# llhttp (the differential oracle) is Debian's/Ubuntu's node-llhttp package:
# C sources in /usr/share/llhttp, header in /usr/share/include/llhttp
# (override with LLHTTP_SRC / LLHTTP_INCLUDE).
#
# Environment: SRC, OUT, CC, CXX, CFLAGS, CXXFLAGS, LIB_FUZZING_ENGINE as
# OSS-Fuzz sets them; SHOCKWAVE_SRC, the repository (default
# $SRC/shockwave); WORK, scratch space (default a temp dir).
repo="${SHOCKWAVE_SRC:-$SRC/shockwave}"
llhttp_src="${LLHTTP_SRC:-/usr/share/llhttp}"
llhttp_include="${LLHTTP_INCLUDE:-/usr/share/include/llhttp}"
obj="${WORK:-$(mktemp -d)}/shockwave-objs"
rm -rf "$obj"
mkdir -p "$obj" "$OUT"
cd "$repo"

if [[ ! -f "$llhttp_src/llhttp.c" || ! -f "$llhttp_include/llhttp.h" ]]; then
  echo "build.sh: llhttp not found in $llhttp_src and $llhttp_include (apt-get install node-llhttp)" >&2
  exit 1
fi

cxxflags=($CXXFLAGS -std=c++20 -I"$repo" -I"$llhttp_include")

# Libraries (non-test sources of the Bazel libraries the targets use).
lib_srcs=(
  server/http1/chunked_decoder.cc
  server/http1/error.cc
  server/http1/field_line.cc
  server/http1/field_values.cc
  server/http1/request_parser.cc
  server/http1/response_parser.cc
  server/http1/scan.cc
  server/http1/testing/guarded_buffer.cc
  server/response_writer.cc
  server/endpoints.cc
  server/net/connection.cc
  conformance/model.cc
  conformance/case.cc
  conformance/adapters/shockwave_adapter.cc
  conformance/adapters/llhttp_adapter.cc
  testing/response.cc
  testing/strings.cc
  fuzz/llhttp_differences.cc
  fuzz/llhttp_response_differences.cc
)
objs=()
for src in "${lib_srcs[@]}"; do
  o="$obj/$(echo "$src" | tr / _).o"
  $CXX "${cxxflags[@]}" -c "$src" -o "$o"
  objs+=("$o")
done
for c in api http llhttp; do
  $CC $CFLAGS -w -I"$llhttp_include" -c "$llhttp_src/$c.c" -o "$obj/llhttp_$c.o"
  objs+=("$obj/llhttp_$c.o")
done
# An archive: each target pulls in only the objects it needs.
ar rcs "$obj/libshockwave_fuzz.a" "${objs[@]}"

source fuzz/targets.sh  # fuzz_targets: every target
cp fuzz/http.dict "$OUT/http.dict"
for t in "${fuzz_targets[@]}"; do
  $CXX "${cxxflags[@]}" -c "fuzz/$t.cc" -o "$obj/$t.o"
  $CXX $CXXFLAGS "$obj/$t.o" "$obj/libshockwave_fuzz.a" $LIB_FUZZING_ENGINE -o "$OUT/$t"
  cp "fuzz/$t.options" "$OUT/$t.options"  # "dict = http.dict", next to it in $OUT
  rm -f "$OUT/${t}_seed_corpus.zip"
  (cd "fuzz/corpus/$t" && zip -q -r "$OUT/${t}_seed_corpus.zip" .)
done
echo "build.sh: built ${#fuzz_targets[@]} fuzz targets into $OUT"
