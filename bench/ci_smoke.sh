#!/usr/bin/env bash
# ci_smoke.sh: proves that every benchmark harness builds and runs, quickly
# (a few minutes on a loaded 2-core machine). No timing is asserted: a
# harness fails only when it cannot run or a benchmark reports an error
# (picohttpparser's SSE4.2 build being unavailable is not an error).
#   - //bench:parser_bench with a tiny --benchmark_min_time
#   - //bench:connection_bench and //bench:router_bench, briefly: each
#     checks its own answers
#   - //bench:inprocess_bench --short
#   - bench/server_bench.sh --short (every server, 1 s per scenario, 1 round,
#     1 s strace runs); it stops every server it started, also on failure.
#   - bench/server_bench.sh --short --cpu-quota 50 on nginx and ours, where
#     root can make a cgroup with a CPU quota (the server-bound mode), with
#     ours once more as an --extra command (any server given by a command).
#   - bench/server_bench.sh --short --generator load: //bench:load (the
#     pooled shockwave::Client) against every server, keep-alive and
#     pipelined; any client error fails it.
#   - bench/load_vs_wrk.sh, one round of 1 s: //bench:load beside wrk.
#   - bench/file_bench.sh --short: a 64 MiB file from nginx and both
#     shockwave backends, the bytes checked with cmp (a mismatch fails).
# Environment: BAZEL_STARTUP_FLAGS (e.g. --output_base=...) for the build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck disable=SC2206
startup=(${BAZEL_STARTUP_FLAGS:-})
./bazelw "${startup[@]}" build -c opt //bench:parser_bench //bench:inprocess_bench //bench:connection_bench \
  //bench:router_bench //server:shockwave
bin="$(./bazelw "${startup[@]}" info -c opt bazel-bin 2>/dev/null)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "ci_smoke: parser_bench" >&2
"$bin/bench/parser_bench" --benchmark_min_time=0.001 >"$tmp/parser.txt" 2>&1 || { cat "$tmp/parser.txt"; exit 1; }
if grep "ERROR OCCURRED" "$tmp/parser.txt" | grep -v "pico_sse42/.*unavailable"; then
  echo "ci_smoke: parser_bench reported an error (above)" >&2
  exit 1
fi
ran="$(grep -c '^BM_Parse/.* ns ' "$tmp/parser.txt" || true)"
echo "ci_smoke: parser_bench ran $ran parse benchmarks" >&2
((ran >= 32)) || { cat "$tmp/parser.txt"; exit 1; }

# Each checks its own work (every response written, the expected route
# chosen) and says ERROR OCCURRED when it is wrong.
for harness in connection_bench router_bench; do
  echo "ci_smoke: $harness" >&2
  "$bin/bench/$harness" --benchmark_min_time=0.01 >"$tmp/$harness.txt" 2>&1 || { cat "$tmp/$harness.txt"; exit 1; }
  if grep -q "ERROR OCCURRED" "$tmp/$harness.txt"; then
    cat "$tmp/$harness.txt"
    echo "ci_smoke: $harness reported an error (above)" >&2
    exit 1
  fi
done

echo "ci_smoke: inprocess_bench --short" >&2
"$bin/bench/inprocess_bench" --short

echo "ci_smoke: server_bench.sh --short" >&2
bench/server_bench.sh --short --shockwave-bin "$bin/server/shockwave"
if [[ -w /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]] ||
  grep -qsw cpu /sys/fs/cgroup/cgroup.controllers /sys/fs/cgroup/unified/cgroup.controllers && ((EUID == 0)); then
  echo "ci_smoke: server_bench.sh --short --cpu-quota 50" >&2
  bench/server_bench.sh --short --no-strace --cpu-quota 50 --servers nginx,shockwave --shockwave-bin "$bin/server/shockwave" \
    --extra "as-command=$bin/server/shockwave --address 127.0.0.1 --port {port} --threads 1"
else
  echo "ci_smoke: no writable cgroup CPU controller here: --cpu-quota not exercised" >&2
fi
echo "ci_smoke: every benchmark harness ran" >&2

echo "ci_smoke: server_bench.sh --short --generator load (the client against every server; an error fails)" >&2
bench/server_bench.sh --short --no-strace --generator load --shockwave-bin "$bin/server/shockwave"

echo "ci_smoke: load_vs_wrk.sh --rounds 1 --seconds 1" >&2
bench/load_vs_wrk.sh --rounds 1 --seconds 1

echo "ci_smoke: file_bench.sh --short" >&2
bench/file_bench.sh --short --shockwave-bin "$bin/server/shockwave"
