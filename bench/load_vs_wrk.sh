#!/usr/bin/env bash
# load_vs_wrk.sh: //bench:load beside wrk, both driving the same shockwave
# server in the same run, on GET /plaintext.
#
# The server (one thread) is pinned to core 0, the generator (one thread) to
# core 1. Two scenarios: keep-alive over C connections, and 16-deep
# pipelining over C connections (load -p 16; wrk with bench/wrk_pipeline.lua,
# 16 requests per write). Per scenario, ROUNDS rounds, each running wrk and
# load once, the order swapped every round. Per run: the generator's req/s,
# its p50/p99 latency, and its CPU time (user+sys of the generator process,
# /usr/bin/time) per request. Prints a table of medians with the req/s
# spread and the load/wrk ratios: on a shared machine only the ratios and
# the spread mean anything.
#
# Usage: bench/load_vs_wrk.sh [options]
#   --connections N   connections per run (default 64)
#   --seconds N       length of each run (default 5)
#   --rounds N        rounds per scenario (default 3)
#   --depth N         pipeline depth of the pipelined scenario (default 16)
#   --out DIR         also keep raw.tsv, summary.md and every generator output there
# Environment: BAZEL_STARTUP_FLAGS (e.g. --output_base=...) and
# BAZEL_BUILD_FLAGS (e.g. --symlink_prefix=/) for the build.
#
# The binaries are built with `./bazelw build -c opt` and copied; the server
# runs under setsid on 127.0.0.1 with --port 0 (the port is read from its
# "listening on" line) and is stopped by its PID on exit, failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$PWD"

connections=64 seconds=5 rounds=3 depth=16 out=""
while (($#)); do
  case "$1" in
    --connections) connections="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --depth) depth="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "load_vs_wrk: unknown argument $1" >&2; exit 2 ;;
  esac
done
for v in connections seconds rounds depth; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || { echo "load_vs_wrk: --$v takes a positive whole number, not '${!v}'" >&2; exit 2; }
done
for tool in wrk taskset setsid /usr/bin/time /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "load_vs_wrk: $tool is missing (./bazelw installs it)" >&2; exit 1; }
done
if (($(nproc) < 2)); then echo "load_vs_wrk: needs 2 cores" >&2; exit 1; fi

work="$(mktemp -d /tmp/load_vs_wrk.XXXXXX)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill -TERM -- "-$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------
# Build, then copy: a rebuild during the run cannot swap the binaries.
# shellcheck disable=SC2086
./bazelw ${BAZEL_STARTUP_FLAGS:-} build -c opt ${BAZEL_BUILD_FLAGS:-} //server:shockwave //bench:load \
  >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
# shellcheck disable=SC2086
bin="$(./bazelw ${BAZEL_STARTUP_FLAGS:-} info -c opt ${BAZEL_BUILD_FLAGS:-} bazel-bin 2>/dev/null)"
cp "$bin/server/shockwave" "$bin/bench/load" "$work/"

setsid taskset -c 0 "$work/shockwave" --address 127.0.0.1 --port 0 --threads=1 --max-connections 4096 \
  --max-requests-per-connection 100000000 >"$work/server.log" 2>&1 </dev/null &
server_pid=$!
port=""
for _ in $(seq 100); do
  port="$(sed -nE 's|.*listening on http://127\.0\.0\.1:([0-9]+)/.*|\1|p' "$work/server.log" | head -n1)"
  [[ -n "$port" ]] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
[[ -n "$port" ]] || { echo "load_vs_wrk: the server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
url="http://127.0.0.1:$port/plaintext"
# One request first: the server must answer before anything is measured.
timeout 10 "$work/load" -c 1 --requests 1 --json "$url" >/dev/null ||
  { echo "load_vs_wrk: no answer from $url" >&2; exit 1; }

raw="$work/raw.tsv"
printf 'scenario\tgenerator\tround\tresponses\tseconds\trps\tp50_us\tp99_us\tcpu_s\terrors\n' >"$raw"
limit=$((seconds + 30))  # every run is bounded even if a generator hangs

# to_us VALUE: wrk's "383.00us" / "1.20ms" / "2.00s" in microseconds.
to_us() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) f = 1; else if (v ~ /ms$/) f = 1000; else if (v ~ /s$/) f = 1e6;
                         else f = 1; printf "%.1f", n * f }'
}

# run_wrk SCENARIO ROUND PIPELINED: one wrk run on core 1, a row of raw.tsv.
run_wrk() {
  local scenario="$1" round="$2" extra=() output f
  (($3)) && extra=(-s "$repo/bench/wrk_pipeline.lua")
  f="$work/wrk.$scenario.$round.txt"
  timeout "$limit" /usr/bin/time -f '%U %S' -o "$f.time" taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" \
    --timeout 5s --latency "${extra[@]}" "$url" ${extra[@]:+-- "$depth"} >"$f" 2>&1 ||
    { echo "load_vs_wrk: wrk failed:" >&2; cat "$f" >&2; exit 1; }
  output="$(cat "$f")"
  local responses secs rps p50 p99 errors cpu
  read -r responses secs <<<"$(awk '/ requests in / { sub(/,$/, "", $4); print $1, $4 }' <<<"$output")"
  rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$output")"
  p50="$(to_us "$(awk '$1 == "50%" { print $2 }' <<<"$output")")"
  p99="$(to_us "$(awk '$1 == "99%" { print $2 }' <<<"$output")")"
  errors="$(awk '/Socket errors:/ { gsub(",", ""); e += $4 + $6 + $8 + $10 } /Non-2xx/ { e += $NF }
                 END { print e + 0 }' <<<"$output")"
  cpu="$(awk '{ print $1 + $2 }' "$f.time")"
  [[ -n "$responses" && -n "$rps" && "$responses" != 0 ]] || { echo "load_vs_wrk: wrk gave no result:" >&2; echo "$output" >&2; exit 1; }
  # wrk prints "99%  0.00us" for some pipelined runs (it records one
  # latency per batch): a latency of 0 is left empty, not averaged in.
  [[ "$p50" == 0.0 ]] && p50=""
  [[ "$p99" == 0.0 ]] && p99=""
  printf '%s\twrk\t%s\t%s\t%.0f\t%s\t%s\t%s\t%s\t%s\n' "$scenario" "$round" "$responses" "$(to_us "$secs")" "$rps" \
    "$p50" "$p99" "$cpu" "$errors" >>"$raw"
}

# run_load SCENARIO ROUND PIPELINED: one load run on core 1, a row of raw.tsv.
run_load() {
  local scenario="$1" round="$2" p=1 f
  (($3)) && p="$depth"
  f="$work/load.$scenario.$round.json"
  timeout "$limit" /usr/bin/time -f '%U %S' -o "$f.time" taskset -c 1 "$work/load" -t1 -c"$connections" \
    -d"$seconds" -p"$p" --timeout 5000 --latency --json "$url" >"$f" 2>"$f.err" ||
    { echo "load_vs_wrk: load failed:" >&2; cat "$f" "$f.err" >&2; exit 1; }
  /usr/bin/python3 - "$f" "$f.time" "$scenario" "$round" >>"$raw" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
user, system = (float(x) for x in open(sys.argv[2]).read().split())
lat = r["latency_us"]
row = (sys.argv[3], "load", sys.argv[4], r["responses"], f"{r['duration_s'] * 1e6:.0f}", f"{r['requests_per_s']:.2f}",
       f"{lat['p50']:.1f}", f"{lat['p99']:.1f}", f"{user + system:.2f}", r["errors"] + r["non_2xx_3xx"])
print("\t".join(str(x) for x in row))
EOF
}

echo "load_vs_wrk: $url, $connections connections, ${seconds}s x $rounds rounds, pipelined depth $depth" >&2
for entry in "keepalive-$connections:0" "pipelined$depth-$connections:1"; do
  IFS=: read -r scenario pipelined <<<"$entry"
  for ((round = 0; round < rounds; round++)); do
    if ((round % 2 == 0)); then
      run_wrk "$scenario" "$round" "$pipelined"; run_load "$scenario" "$round" "$pipelined"
    else
      run_load "$scenario" "$round" "$pipelined"; run_wrk "$scenario" "$round" "$pipelined"
    fi
    tail -n 2 "$raw" | awk -F'\t' '{ printf "  %-16s %-4s round %s: %10.0f req/s  p50 %8s us  p99 %8s us  cpu %s s\n",
                                       $1, $2, $3, $6, $7, $8, $9 }' >&2
  done
done
kill -0 "$server_pid" 2>/dev/null || { echo "load_vs_wrk: the server died during the run" >&2; exit 1; }

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "wrk: $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}'); load: //bench:load -c opt" \
    "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$repo" diff --quiet 2>/dev/null || echo '+changes')"
  echo "server: shockwave --threads=1 on core 0; generator -t1 on core 1; ${seconds}s x $rounds rounds, order swapped each round"
} >"$work/meta.txt"
/usr/bin/python3 "$repo/bench/load_vs_wrk_summary.py" "$work" >"$work/summary.md"
if [[ -n "$out" ]]; then
  mkdir -p "$out"
  cp "$work/raw.tsv" "$work/summary.md" "$work/meta.txt" "$work"/wrk.*.txt "$work"/load.*.json "$out/"
fi
cat "$work/summary.md"
