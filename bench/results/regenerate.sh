#!/usr/bin/env bash
# regenerate.sh: runs the benchmarks and rewrites bench/results/: markdown
# tables, the raw data behind them, and gnuplot plots (SVG and PNG).
#
# Usage: bench/results/regenerate.sh [--only parser|server|inprocess]... [--note TEXT]
#                                    [--parser-messages requests|responses|both]
#                                    [--repetitions N] [--quota PCT] [server_bench.sh options...]
#   --only           run just these parts (repeatable); the others' files stay
#   --note           a line for the header (e.g. "machine shared with builds")
#   --parser-messages  which half of parser_bench to run (default both): the
#                    requests (parser_bench.json) or the responses
#                    (parser_bench_responses.json); the other half's JSON stays
#                    and is summarised with it
#   --repetitions    parser_bench repetitions (default 5; medians are reported)
#   --quota          the server-bound run's CPU quota, % of one core (default 25)
#   anything else is passed to bench/server_bench.sh (--seconds, --runs, --servers, ...)
#
# The server part runs twice: server-bound (each server capped by a cgroup
# CPU quota, so req/s ranks servers; server_bench.*, with --profile where perf
# can record: server_profile.tsv and server_perf/) and free-running (for
# latency; server_free_bench.md and server_free_*.tsv).
# Environment: BAZEL_STARTUP_FLAGS (e.g. --output_base=...) for the builds.
#
# Files: latest.md (everything, with date, machine and versions),
# parser_bench.{json,md,svg,png}, parser_bench_responses.json (the response
# half of the same binary, run right after the requests),
# parser_bench_llhttp_msse42.json and parser_bench_responses_llhttp_msse42.json
# (llhttp built with -msse4.2, shown as llhttp_sse42), parser_plot.tsv, server_bench.{md,svg,png},
# server_plot.tsv, server_raw.tsv, server_syscalls.tsv, server_meta.txt,
# server_profile.tsv, server_perf/SCENARIO.SERVER.txt (each one's busiest symbols),
# server_free_bench.md, server_free_raw.tsv, server_free_meta.txt,
# inprocess_bench.md. picohttpparser's SSE4.2 build is included when
# bench/fetch_picohttpparser.sh has fetched its sources (else "unavailable").
set -euo pipefail
results="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$results/../.." && pwd)"
cd "$repo"

parts=() note="" repetitions=5 quota=25 server_args=() parser_messages=both
while (($#)); do
  case "$1" in
    --only) parts+=("$2"); shift 2 ;;
    --note) note="$2"; shift 2 ;;
    --parser-messages) parser_messages="$2"; shift 2 ;;
    --repetitions) repetitions="$2"; shift 2 ;;
    --quota) quota="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) server_args+=("$1"); shift ;;
  esac
done
((${#parts[@]})) || parts=(parser server inprocess)
doing() { [[ " ${parts[*]} " == *" $1 "* ]]; }

# shellcheck disable=SC2206
startup=(${BAZEL_STARTUP_FLAGS:-})
case "$parser_messages" in requests | responses | both) ;; *) echo "regenerate: bad --parser-messages" >&2; exit 2 ;; esac
# Only what the chosen parts run.
targets=()
doing parser && targets+=(//bench:parser_bench)
doing server && targets+=(//server:shockwave)
doing inprocess && targets+=(//bench:inprocess_bench)
./bazelw "${startup[@]}" build -c opt "${targets[@]}"
bin="$(./bazelw "${startup[@]}" info -c opt bazel-bin 2>/dev/null)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# Copies, so a concurrent rebuild cannot swap a binary during the run.
for target in "${targets[@]}"; do cp "$bin/$(tr : / <<<"${target#//}")" "$tmp/"; done
if doing parser; then
  # llhttp with its SSE4.2 path: the same benchmark built with -msse4.2 (in
  # its own output directory); only its llhttp figures are used.
  sse=(-c opt --copt=-msse4.2 --platform_suffix=sse42)
  ./bazelw "${startup[@]}" build "${sse[@]}" //bench:parser_bench
  cp "$(./bazelw "${startup[@]}" info "${sse[@]}" bazel-bin 2>/dev/null)/bench/parser_bench" "$tmp/parser_bench_msse42"
fi

# parser_half NAME FILTER LLHTTP_FILTER: one half of parser_bench (requests or responses),
# pinned to core 1 (the other core takes the rest of the machine's work), and
# the llhttp figures of the -msse4.2 build.
parser_half() {
  echo "regenerate: parser_bench $1, $repetitions repetitions" >&2
  taskset -c 1 "$tmp/parser_bench" --benchmark_filter="$2" --benchmark_repetitions="$repetitions" \
    --benchmark_report_aggregates_only=true --benchmark_format=json >"$results/$1.json"
  taskset -c 1 "$tmp/parser_bench_msse42" --benchmark_filter="$3" \
    --benchmark_repetitions="$repetitions" --benchmark_report_aggregates_only=true \
    --benchmark_format=json >"$results/$1_llhttp_msse42.json"
}
if doing parser; then
  # Response names start with "response_", request names never with "r"
  # (runners_test holds this), so a regular expression without look-ahead
  # tells them apart.
  [[ "$parser_messages" == responses ]] ||
    parser_half parser_bench '^BM_Parse/[^/]+/[^r]|^BM_Restore/[^r]' '^BM_Parse/llhttp/[^r]'
  [[ "$parser_messages" == requests ]] ||
    parser_half parser_bench_responses '^BM_(Parse/[^/]+|Restore)/response_' '^BM_Parse/llhttp/response_'
  jsons=()
  for f in parser_bench parser_bench_llhttp_msse42 parser_bench_responses parser_bench_responses_llhttp_msse42; do
    [[ -f "$results/$f.json" ]] && jsons+=("$results/$f.json")
  done
  python3 bench/parser_bench_summary.py "$results/parser_plot.tsv" "${jsons[@]}" >"$results/parser_bench.md"
  (cd "$results" && gnuplot -e "data='parser_plot.tsv'; out='parser_bench'; \
    title_text='HTTP/1.1 request and response parsers: CPU ns per message, $(date -u +%Y-%m-%d)'" parser_bench.gp)
fi

if doing server; then
  # Where each server's CPU time goes, if perf can record here.
  profile=()
  if command -v perf >/dev/null && perf record -q -e cpu-clock -o /dev/null -- true >/dev/null 2>&1; then
    profile=(--profile)
  else
    echo "regenerate: perf cannot record here: the server tables come without profiles" >&2
  fi
  echo "regenerate: server_bench.sh --cpu-quota $quota ${profile[*]} ${server_args[*]}" >&2
  bench/server_bench.sh --shockwave-bin "$tmp/shockwave" --out "$tmp/server" --cpu-quota "$quota" \
    "${profile[@]+"${profile[@]}"}" "${server_args[@]+"${server_args[@]}"}" >/dev/null
  cp "$tmp/server/summary.md" "$results/server_bench.md"
  cp "$tmp/server/plot.tsv" "$results/server_plot.tsv"
  cp "$tmp/server/raw.tsv" "$results/server_raw.tsv"
  cp "$tmp/server/syscalls.tsv" "$results/server_syscalls.tsv"
  cp "$tmp/server/meta.txt" "$results/server_meta.txt"
  rm -rf "$results/server_perf"
  if ((${#profile[@]})); then
    cp "$tmp/server/profile.tsv" "$results/server_profile.tsv"
    mkdir -p "$results/server_perf"
    cp "$tmp/server/perf/"*.txt "$results/server_perf/"
  fi
  (cd "$results" && gnuplot -e "data='server_plot.tsv'; out='server_bench'; \
    title_text='GET /plaintext, one worker per server capped at $quota% of a core, wrk -t1: requests/s, $(date -u +%Y-%m-%d)'" server_bench.gp)

  echo "regenerate: server_bench.sh (free-running) ${server_args[*]}" >&2
  bench/server_bench.sh --shockwave-bin "$tmp/shockwave" --out "$tmp/server_free" --no-strace \
    "${server_args[@]+"${server_args[@]}"}" >/dev/null
  cp "$tmp/server_free/summary.md" "$results/server_free_bench.md"
  cp "$tmp/server_free/raw.tsv" "$results/server_free_raw.tsv"
  cp "$tmp/server_free/meta.txt" "$results/server_free_meta.txt"
fi

if doing inprocess; then
  echo "regenerate: inprocess_bench" >&2
  {
    echo "## In-process server: ns/op, B/op, allocs/op (Go-benchmark style)"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    "$tmp/inprocess_bench"
  } >"$results/inprocess_bench.md"
fi

# latest.md: the header, then every part's table and plot.
{
  echo "# Benchmark results"
  echo
  echo "Generated by \`bench/results/regenerate.sh\`; parts regenerated this time: ${parts[*]}."
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }'), $(nproc) cores," \
    "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r)," \
    "$(grep -oP '^PRETTY_NAME="\K[^"]*' /etc/os-release)"
  echo "- shockwave: $(git rev-parse --short HEAD)$(git diff --quiet HEAD 2>/dev/null || echo ' plus uncommitted changes'), -c opt," \
    "$(gcc --version | head -1)"
  echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  [[ -n "$note" ]] && echo "- note: $note"
  echo
  echo "Only ratios within one run mean anything on a shared machine."
  echo
  for part in parser_bench server_bench server_free_bench inprocess_bench; do
    [[ -f "$results/$part.md" ]] || continue
    sed 's/^## /### /' "$results/$part.md"
    echo
    [[ -f "$results/$part.svg" ]] && { echo "![$part]($part.svg)"; echo; }
  done
} >"$results/latest.md"
echo "regenerate: wrote $results/latest.md" >&2
