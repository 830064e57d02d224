#!/usr/bin/env bash
# server_bench.sh: shockwave against nginx, h2o, lighttpd and fasthttp on
# GET /plaintext ("Hello, World!", 13 bytes), measured with wrk.
#
# Every server gets one worker (shockwave --threads=1, nginx
# worker_processes 1, h2o num-threads 1, lighttpd's single process, fasthttp
# with GOMAXPROCS=1), no access log, 127.0.0.1 only, and is pinned to core 0;
# `wrk -t1` is pinned to core 1. Scenarios: keep-alive with 64 connections,
# 16-deep pipelining over 64 connections (a wrk Lua script), keep-alive with
# 256 connections. Per scenario: a warm-up run per server, then RUNS rounds
# with the server order rotated each round. Reported per server and
# scenario: median requests/s with min-max, median p50/p99 latency (wrk
# --latency), server CPU time per request (utime+stime of the server's
# processes from /proc/PID/stat, delta / requests) and, from a SEPARATE short
# run under `strace -c -f` (strace slows the server down a lot, so its
# throughput is not used), system calls per request.
#
# If the shockwave binary's --help offers --io, "shockwave" runs it with
# --io=epoll and a second entry "shockwave-uring" with --io=uring (the
# default where the kernel allows it), so both backends are compared.
#
# Server-bound (--cpu-quota PCT): on two cores a free-running server shares
# the machine with wrk and the kernel's work for both ends, so req/s ranks
# the load generator as much as the server. With a quota every server runs
# in a cgroup of its own capped at PCT % of one core (cgroup v1's cpu
# controller or v2's cpu.max, whichever the machine has), so the server is
# the bottleneck and req/s at the quota ranks servers; the cgroups are
# removed on exit.
#
# Usage: bench/server_bench.sh [options]
#   --seconds N         length of each timed run (default 5)
#   --runs N            rounds per scenario (default 3)
#   --short             CI smoke mode: 1 s runs, 1 round, no warm-up, 1 s strace runs
#   --servers LIST      comma-separated subset of: nginx,h2o,lighttpd,fasthttp,shockwave,shockwave-uring
#   --no-strace         skip the system-call runs
#   --shockwave-bin P   use this binary instead of building //server:shockwave
#   --shockwave-flags S extra flags for every shockwave entry
#   --cpu-quota PCT     server-bound: cap each server at PCT % (1-100) of one core
#   --generator G       wrk (default) or load (//bench:load, the pooled shockwave::Client;
#                       pipelining is its -p 16, not a Lua script); with load, any error
#                       (a failed or refused response) fails the run: it doubles as a test
#                       of the client against every server
#   --extra NAME=CMD    also measure any server: CMD (run with sh -c, pinned and capped like
#                       the others) must listen on 127.0.0.1 at the port written {port} in it
#                       and answer GET /plaintext with "Hello, World!"; repeatable. For
#                       your own server, or a reference that parses nothing (what the
#                       kernel alone costs), measured in the same rounds as the rest
#   --profile           also, per scenario and server, a separate run of the strace runs'
#                       length under `perf record -e cpu-clock` on core 0 (Debian linux-perf):
#                       the share of the server's samples in the kernel and in user space,
#                       and its top symbols (profile.tsv, perf/); shows what a server's own
#                       code could still win, and what only less kernel work could
#   --out DIR           also write raw.tsv, syscalls.tsv, profile.tsv, summary.md, plot.tsv,
#                       meta.txt, every wrk output (wrk/) and the profiles' tops (perf/) there
# Environment: BAZEL_STARTUP_FLAGS (e.g. --output_base=...) for the build.
#
# Servers are started under setsid with temporary configs in a temporary
# directory and stopped by PID (their own process group); nothing else is
# touched. Prints the markdown table at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$PWD"

seconds=5 runs=3 warmup=1 strace_seconds=3 use_strace=1 use_perf=0
servers_wanted="nginx,h2o,lighttpd,fasthttp,shockwave,shockwave-uring"
shockwave_bin="" shockwave_flags="" out="" cpu_quota="" generator=wrk
extras=()  # NAME=CMD
while (($#)); do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --short) seconds=1 runs=1 warmup=0 strace_seconds=1; shift ;;
    --servers) servers_wanted="$2"; shift 2 ;;
    --no-strace) use_strace=0; shift ;;
    --profile) use_perf=1; shift ;;
    --shockwave-bin) shockwave_bin="$2"; shift 2 ;;
    --shockwave-flags) shockwave_flags="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --cpu-quota) cpu_quota="$2"; shift 2 ;;
    --generator) generator="$2"; shift 2 ;;
    --extra)
      [[ "$2" =~ ^[a-z0-9][a-z0-9_-]*=.*\{port\} ]] ||
        { echo "server_bench: --extra takes NAME=COMMAND with {port} in the command, not '$2'" >&2; exit 2; }
      extras+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "server_bench: unknown argument $1" >&2; exit 2 ;;
  esac
done

for tool in wrk taskset setsid curl python3; do
  command -v "$tool" >/dev/null || { echo "server_bench: $tool is missing (./bazelw installs it)" >&2; exit 1; }
done
[[ "$generator" == wrk || "$generator" == load ]] ||
  { echo "server_bench: --generator is wrk or load, not '$generator'" >&2; exit 2; }
if ((use_strace)) && ! command -v strace >/dev/null; then
  echo "server_bench: strace missing, system calls not measured" >&2
  use_strace=0
fi
if [[ -n "$cpu_quota" ]] && ! [[ "$cpu_quota" =~ ^[0-9]+$ && "$cpu_quota" -ge 1 && "$cpu_quota" -le 100 ]]; then
  echo "server_bench: --cpu-quota takes a whole percentage from 1 to 100, not '$cpu_quota'" >&2
  exit 2
fi
if ((use_perf)); then
  command -v perf >/dev/null || { echo "server_bench: --profile needs perf (Debian linux-perf; ./bazelw installs it)" >&2; exit 1; }
  perf record -q -e cpu-clock -o /dev/null -- true >/dev/null 2>&1 ||
    { echo "server_bench: --profile: perf cannot record here (perf_event_paranoid, or no perf events in this machine)" >&2; exit 1; }
fi
# Core 1 for wrk needs two cores.
if (($(nproc) < 2)); then echo "server_bench: needs 2 cores" >&2; exit 1; fi

work="$(mktemp -d /tmp/server_bench.XXXXXX)"
chmod 755 "$work"  # servers that drop privileges (nobody) read the www dir
declare -A server_pid=() server_port=()
strace_pid="" perf_pid=""
cgroup_root=""  # with --cpu-quota: the directory holding one cgroup per server
cgroup_kind=""  # v1 or v2

# stop_group PID: TERM the process group we created with setsid, then KILL.
stop_group() {
  local pid="$1"
  kill -TERM -- "-$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  [[ -n "$strace_pid" ]] && { kill -INT "$strace_pid" 2>/dev/null; wait "$strace_pid" 2>/dev/null || true; }
  [[ -n "$perf_pid" ]] && { kill -INT "$perf_pid" 2>/dev/null; wait "$perf_pid" 2>/dev/null || true; }
  for name in "${!server_pid[@]}"; do stop_group "${server_pid[$name]}"; done
  if [[ -n "$cgroup_root" ]]; then
    # Empty once the servers are gone; a cgroup is removed with rmdir.
    for _ in $(seq 20); do
      rmdir "$cgroup_root"/*/ 2>/dev/null || true
      rmdir "$cgroup_root" 2>/dev/null && break
      sleep 0.1
    done
    [[ -d "$cgroup_root" ]] && echo "server_bench: could not remove $cgroup_root" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------
# The servers.

mkdir -p "$work/www"
printf 'Hello, World!' >"$work/www/plaintext"
chmod 644 "$work/www/plaintext"

next_port=18400
free_port() {  # sets $port to the next port nothing listens on
  while (exec 3<>"/dev/tcp/127.0.0.1/$next_port") 2>/dev/null; do next_port=$((next_port + 1)); done
  port=$next_port
  next_port=$((next_port + 1))
}

# setup_cgroups: with --cpu-quota, the parent cgroup for the servers, on
# cgroup v1's cpu controller or on cgroup v2 with the cpu controller enabled.
setup_cgroups() {
  local v1=/sys/fs/cgroup/cpu v2=""
  for d in /sys/fs/cgroup /sys/fs/cgroup/unified; do
    [[ -f "$d/cgroup.controllers" ]] && grep -qw cpu "$d/cgroup.controllers" && { v2="$d"; break; }
  done
  if [[ -f "$v1/cpu.cfs_quota_us" ]]; then
    cgroup_kind=v1 cgroup_root="$v1/shockwave-bench.$$"
    mkdir "$cgroup_root"
  elif [[ -n "$v2" ]]; then
    cgroup_kind=v2 cgroup_root="$v2/shockwave-bench.$$"
    echo +cpu >"$v2/cgroup.subtree_control"
    mkdir "$cgroup_root"
    echo +cpu >"$cgroup_root/cgroup.subtree_control"
  else
    echo "server_bench: --cpu-quota needs cgroup v1's cpu controller or cgroup v2 with cpu (as root)" >&2
    exit 1
  fi
}

# new_cgroup NAME: a cgroup for one server, capped at $cpu_quota % of a core
# (100 ms periods); prints its directory.
new_cgroup() {
  local dir="$cgroup_root/$1" period=100000
  mkdir "$dir"
  if [[ "$cgroup_kind" == v1 ]]; then
    echo "$period" >"$dir/cpu.cfs_period_us"
    echo $((cpu_quota * period / 100)) >"$dir/cpu.cfs_quota_us"
  else
    echo "$((cpu_quota * period / 100)) $period" >"$dir/cpu.max"
  fi
  echo "$dir"
}

# launch NAME PORT CMD...: start CMD in its own session, pinned to core 0,
# with --cpu-quota inside its own cgroup (joined before the exec, so every
# process it forks is capped too).
launch() {
  local name="$1" port="$2" join=()
  shift 2
  if [[ -n "$cpu_quota" ]]; then
    join=(sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$(new_cgroup "$name")")
  fi
  setsid "${join[@]}" taskset -c 0 "$@" >"$work/$name.log" 2>&1 </dev/null &
  server_pid[$name]=$!
  server_port[$name]=$port
}

start_nginx() {
  local port; free_port
  mkdir -p "$work/nginx"
  cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server {
    listen 127.0.0.1:$port;
    location = /plaintext { default_type text/plain; return 200 "Hello, World!"; }
  }
}
CONF
  launch nginx "$port" "$(command -v nginx || echo /usr/sbin/nginx)" -p "$work/nginx" -e "$work/nginx/error.log" \
    -c "$work/nginx/nginx.conf"
}

start_h2o() {
  local port; free_port
  cat >"$work/h2o.conf" <<CONF
listen:
  host: 127.0.0.1
  port: $port
num-threads: 1
user: nobody
error-log: $work/h2o-error.log
file.mime.settypes:
  text/plain: [".txt"]
file.mime.setdefaulttype: text/plain
hosts:
  default:
    paths:
      /plaintext:
        file.file: $work/www/plaintext
CONF
  launch h2o "$port" "$(command -v h2o)" -m worker -c "$work/h2o.conf"
}

start_lighttpd() {
  local port; free_port
  mkdir -p "$work/lighttpd"
  chown nobody:nogroup "$work/lighttpd"  # it opens its log after dropping root
  cat >"$work/lighttpd.conf" <<CONF
server.document-root = "$work/www"
server.bind = "127.0.0.1"
server.port = $port
server.username = "nobody"
server.groupname = "nogroup"
server.errorlog = "$work/lighttpd/error.log"
server.max-worker = 0
server.max-connections = 4096
server.max-fds = 8192
server.max-keep-alive-requests = 65535
server.max-keep-alive-idle = 60
mimetype.assign = ( "" => "text/plain" )
CONF
  launch lighttpd "$port" "$(command -v lighttpd || echo /usr/sbin/lighttpd)" -D -f "$work/lighttpd.conf"
}

start_fasthttp() {
  local port; free_port
  # Offline, from Debian's golang-github-valyala-fasthttp-dev; Go caches the build.
  (cd "$repo/bench/fasthttp_hello" &&
    GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS='' go build -o "$work/fasthttp_hello" main.go)
  GOMAXPROCS=1 launch fasthttp "$port" "$work/fasthttp_hello" -addr "127.0.0.1:$port"
}

start_shockwave() {  # start_shockwave NAME [FLAGS...]
  local name="$1" port; free_port
  shift
  # shellcheck disable=SC2086
  launch "$name" "$port" "$work/shockwave" --address 127.0.0.1 --port "$port" --threads=1 \
    --max-connections 4096 --max-requests-per-connection 100000000 $shockwave_flags "$@"
}

prepare_shockwave() {
  if [[ -z "$shockwave_bin" ]]; then
    # shellcheck disable=SC2086
    ./bazelw ${BAZEL_STARTUP_FLAGS:-} build -c opt //server:shockwave >"$work/build.log" 2>&1 ||
      { cat "$work/build.log" >&2; exit 1; }
    # shellcheck disable=SC2086
    shockwave_bin="$(./bazelw ${BAZEL_STARTUP_FLAGS:-} info -c opt bazel-bin 2>/dev/null)/server/shockwave"
  fi
  # A copy, so a rebuild during the run cannot swap the binary.
  cp "$shockwave_bin" "$work/shockwave"
}

# prepare_load: //bench:load, built and copied like the server.
prepare_load() {
  # shellcheck disable=SC2086
  ./bazelw ${BAZEL_STARTUP_FLAGS:-} build -c opt //bench:load >"$work/build-load.log" 2>&1 ||
    { cat "$work/build-load.log" >&2; exit 1; }
  # shellcheck disable=SC2086
  cp "$(./bazelw ${BAZEL_STARTUP_FLAGS:-} info -c opt bazel-bin 2>/dev/null)/bench/load" "$work/load"
}
[[ "$generator" == load ]] && prepare_load

wanted() { [[ ",$servers_wanted," == *",$1,"* ]]; }

[[ -z "$cpu_quota" ]] || setup_cgroups

servers=()
notes=()
if wanted nginx; then
  if command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]]; then start_nginx; servers+=(nginx)
  else notes+=("nginx: not installed"); fi
fi
if wanted h2o; then
  if command -v h2o >/dev/null; then start_h2o; servers+=(h2o); else notes+=("h2o: not installed"); fi
fi
if wanted lighttpd; then
  if command -v lighttpd >/dev/null || [[ -x /usr/sbin/lighttpd ]]; then start_lighttpd; servers+=(lighttpd)
  else notes+=("lighttpd: not installed"); fi
fi
if wanted fasthttp; then
  if command -v go >/dev/null && [[ -d /usr/share/gocode/src/github.com/valyala/fasthttp ]]; then
    start_fasthttp; servers+=(fasthttp)
  else notes+=("fasthttp: golang-go or golang-github-valyala-fasthttp-dev not installed"); fi
fi
if wanted shockwave || wanted shockwave-uring; then
  prepare_shockwave
  has_io=0
  "$work/shockwave" --help 2>&1 | grep -q -- '--io' && has_io=1
  # "shockwave" is the epoll loop, named explicitly: the default is io_uring
  # where the kernel allows it (binaries before --io had only epoll).
  if wanted shockwave; then
    if ((has_io)); then start_shockwave shockwave --io=epoll; else start_shockwave shockwave; fi
    servers+=(shockwave)
  fi
  if wanted shockwave-uring; then
    if ((has_io)); then
      start_shockwave shockwave-uring --io=uring; servers+=(shockwave-uring)
    else notes+=("shockwave-uring: this shockwave binary has no --io flag"); fi
  fi
fi
declare -A extra_command=()
for extra in "${extras[@]+"${extras[@]}"}"; do
  name="${extra%%=*}"
  [[ -z "${server_pid[$name]+x}" ]] || { echo "server_bench: --extra $name: the name is taken" >&2; exit 2; }
  free_port
  extra_command[$name]="${extra#*=}"
  launch "$name" "$port" sh -c "exec ${extra_command[$name]//\{port\}/$port}"
  servers+=("$name")
done
((${#servers[@]})) || { echo "server_bench: no server to measure" >&2; exit 1; }

# Each server must answer /plaintext with exactly the 13-byte body.
declare -A response_bytes=()
for name in "${servers[@]}"; do
  url="http://127.0.0.1:${server_port[$name]}/plaintext"
  ok=0
  for _ in $(seq 100); do
    kill -0 "${server_pid[$name]}" 2>/dev/null || break
    if [[ "$(curl -s --max-time 2 "$url" || true)" == "Hello, World!" ]]; then ok=1; break; fi
    sleep 0.1
  done
  if ((!ok)); then
    echo "server_bench: $name did not answer $url with Hello, World!; its output:" >&2
    cat "$work/$name.log" "$work"/*"$name"*error* 2>/dev/null | tail -20 >&2
    exit 1
  fi
  response_bytes[$name]="$(curl -s -i --max-time 2 "$url" | wc -c)"
done

# tree_pids PID: the server process and its descendants (nginx: master + worker).
tree_pids() {
  local pid="$1" child
  echo "$pid"
  # shellcheck disable=SC2013  # the file holds PIDs separated by spaces
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do tree_pids "$child"; done
}
# cpu_ticks PID...: utime+stime (fields 14 and 15 after the ")" of comm).
cpu_ticks() {
  local total=0 pid rest
  for pid in "$@"; do
    rest="$(cat "/proc/$pid/stat" 2>/dev/null)" || continue
    rest="${rest##*) }"
    read -r -a f <<<"$rest"
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}
clk_tck="$(getconf CLK_TCK)"

cat >"$work/pipeline.lua" <<'LUA'
-- 16 requests in one write; wrk counts each response.
init = function(args)
  local r = {}
  for i = 1, 16 do r[i] = wrk.format(nil, "/plaintext") end
  req = table.concat(r)
end
request = function() return req end
LUA

# scenario NAME CONNECTIONS LUA
scenarios=("keepalive-64:64:" "pipelined16-64:64:$work/pipeline.lua" "keepalive-256:256:")

# run_wrk NAME CONNS LUA SECONDS: the generator (wrk, or load) on core 1;
# prints its output. A Lua script means 16-deep pipelining.
run_wrk() {
  local extra=()
  if [[ "$generator" == load ]]; then
    [[ -n "$3" ]] && extra=(-p 16)
    taskset -c 1 "$work/load" -t1 -c"$2" -d"$4" --timeout 5000 --json "${extra[@]}" \
      "http://127.0.0.1:${server_port[$1]}/plaintext" 2>&1
    return
  fi
  [[ -n "$3" ]] && extra=(-s "$3")
  taskset -c 1 wrk -t1 -c"$2" -d"${4}s" --timeout 5s --latency "${extra[@]}" \
    "http://127.0.0.1:${server_port[$1]}/plaintext" 2>&1
}

# result OUTPUT: "requests rps p50_us p99_us errors" from either generator's
# output (empty fields if it gave none).
result() {
  if [[ "$generator" == load ]]; then
    /usr/bin/python3 -c 'import json, sys
try:
    r = json.loads(sys.stdin.read().strip().splitlines()[-1])
except Exception:
    sys.exit(0)
l = r["latency_us"]
print(r["responses"], r["requests_per_s"], l["p50"], l["p99"], r["errors"] + r["non_2xx_3xx"])' <<<"$1"
    return
  fi
  local requests rps p50 p99 errors
  requests="$(awk '/ requests in / { print $1 }' <<<"$1")"
  rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$1")"
  p50="$(to_us "$(awk '$1 == "50%" { print $2 }' <<<"$1")")"
  p99="$(to_us "$(awk '$1 == "99%" { print $2 }' <<<"$1")")"
  errors="$(awk '/Socket errors:/ { gsub(",", ""); e += $4 + $6 + $8 + $10 } /Non-2xx/ { e += $NF }
                 END { print e + 0 }' <<<"$1")"
  echo "$requests $rps $p50 $p99 $errors"
}

# to_us VALUE: wrk's "383.00us" / "1.20ms" / "2.00s" in microseconds.
to_us() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) f = 1; else if (v ~ /ms$/) f = 1000; else if (v ~ /s$/) f = 1e6;
                         else f = 1; printf "%.1f", n * f }'
}

raw="$work/raw.tsv"
sysc="$work/syscalls.tsv"
printf 'scenario\tserver\tround\trequests\trps\tp50_us\tp99_us\tcpu_us_per_req\terrors\n' >"$raw"
printf 'scenario\tserver\trequests\tsyscalls\tsyscalls_per_req\n' >"$sysc"
prof="$work/profile.tsv"
printf 'scenario\tserver\tsamples\tkernel_pct\tuser_pct\ttop_user\n' >"$prof"
mkdir -p "$work/perf"

# show_server_logs SERVER: what the server wrote (its output and its error
# log), so that a failed run says the server's side too; $work is removed on exit.
show_server_logs() {
  local name="$1" log
  for log in "$work/$name.log" "$work/$name/error.log" "$work/$name-error.log"; do
    [[ -s "$log" ]] || continue
    echo "server_bench: $name's ${log#"$work"/} (last 40 lines):" >&2
    tail -n 40 "$log" >&2
  done
}

measure() {  # measure SCENARIO SERVER ROUND CONNS LUA
  local scenario="$1" name="$2" round="$3" conns="$4" lua="$5" pids t0 t1 output
  read -r -a pids <<<"$(tree_pids "${server_pid[$name]}" | tr '\n' ' ')"
  t0="$(cpu_ticks "${pids[@]}")"
  output="$(run_wrk "$name" "$conns" "$lua" "$seconds")"
  t1="$(cpu_ticks "${pids[@]}")"
  echo "$output" >"$work/wrk.$scenario.$name.$round.txt"
  local requests rps p50 p99 errors
  read -r requests rps p50 p99 errors <<<"$(result "$output")"
  if [[ -z "$requests" || -z "$rps" || "$requests" == 0 ]]; then
    echo "server_bench: $generator against $name ($scenario) gave no result:" >&2
    echo "$output" >&2
    show_server_logs "$name"
    exit 1
  fi
  if [[ "$generator" == load && "$errors" != 0 ]]; then
    echo "server_bench: the client (load) got $errors errors from $name ($scenario):" >&2
    echo "$output" >&2
    show_server_logs "$name"
    exit 1
  fi
  local cpu
  cpu="$(awk -v t=$((t1 - t0)) -v hz="$clk_tck" -v n="$requests" 'BEGIN { printf "%.3f", t / hz * 1e6 / n }')"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$scenario" "$name" "$round" "$requests" "$rps" "$p50" "$p99" \
    "$cpu" "$errors" >>"$raw"
  printf '  %-16s %-16s round %s: %10.0f req/s  p50 %8s us  p99 %8s us  cpu %7s us/req  errors %s\n' \
    "$scenario" "$name" "$round" "$rps" "$p50" "$p99" "$cpu" "$errors" >&2
}

count_syscalls() {  # count_syscalls SCENARIO SERVER CONNS LUA
  local scenario="$1" name="$2" conns="$3" lua="$4" pids args=() output requests calls
  read -r -a pids <<<"$(tree_pids "${server_pid[$name]}" | tr '\n' ' ')"
  for p in "${pids[@]}"; do args+=(-p "$p"); done
  local trace="$work/strace.$scenario.$name.txt"
  taskset -c 0 strace -c -f -qq -o "$trace" "${args[@]}" &
  strace_pid=$!
  sleep 0.5  # attached
  output="$(run_wrk "$name" "$conns" "$lua" "$strace_seconds")"
  kill -INT "$strace_pid" 2>/dev/null || true
  wait "$strace_pid" 2>/dev/null || true
  strace_pid=""
  read -r requests _ <<<"$(result "$output")"
  calls="$(awk '$NF == "total" { print $4 }' "$trace")"
  if [[ -z "$requests" || -z "$calls" || "$requests" == 0 ]]; then
    echo "server_bench: strace run against $name ($scenario) gave no result" >&2
    return 0
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$scenario" "$name" "$requests" "$calls" \
    "$(awk -v c="$calls" -v n="$requests" 'BEGIN { printf "%.3f", c / n }')" >>"$sysc"
  printf '  %-16s %-16s strace: %s calls / %s requests\n' "$scenario" "$name" "$calls" "$requests" >&2
}

# profile_server SCENARIO SERVER CONNS LUA: samples core 0 (where the server
# runs) while wrk loads it, then splits the server's own samples (its
# processes and their threads) between the kernel and user space, and writes
# the 25 busiest symbols of each. The kernel's share includes the loopback work done
# in the server's context for both ends (softirq receive, ACKs), as /proc's
# CPU time per request does. (Counted from `perf script`: perf report's
# --pid filter of Debian's perf 6.1 drops kernel samples.)
profile_server() {
  local scenario="$1" name="$2" conns="$3" lua="$4" pids data="$work/perf/$scenario.$name.data"
  local top="$work/perf/$scenario.$name.txt" wrk_pid split
  pids="$(tree_pids "${server_pid[$name]}" | paste -sd, -)"
  run_wrk "$name" "$conns" "$lua" "$((strace_seconds + 1))" >/dev/null &
  wrk_pid=$!
  sleep 0.5  # past the connections' set-up
  perf record -q -e cpu-clock -F 4999 -C 0 -o "$data" -- sleep "$strace_seconds" >/dev/null 2>&1 &
  perf_pid=$!
  wait "$perf_pid" || { echo "server_bench: perf record failed for $name ($scenario)" >&2; exit 1; }
  perf_pid=""
  wait "$wrk_pid" || true
  # A line: "PID IP SYMBOL (DSO)"; the symbol may hold spaces.
  split="$(perf script -i "$data" -F pid,ip,sym,dso 2>/dev/null | awk -v pids=",$pids," -v top="$top" '
    !index(pids, "," $1 ",") { next }
    {
      n++
      sym = $0
      sub(/^ *[0-9]+ +[0-9a-f]+ /, "", sym)
      sub(/ \([^()]*\)$/, "", sym)
      if (sym == "[unknown]") sym = sym " in " $NF  # a stripped binary: which one
      if ($NF == "([kernel.kallsyms])") { k++; sym = "[k] " sym } else { sym = "[.] " sym }
      count[sym]++
    }
    END {
      if (n == 0) exit
      for (s in count) printf "%.2f%%\t%s\n", 100 * count[s] / n, s | "sort -t \"\t\" -k1,1nr >\"" top ".all\""
      printf "%d %.1f %.1f", n, 100 * k / n, 100 * (n - k) / n
    }')"
  # The 25 busiest symbols of each side: user space's would drown in the kernel's.
  awk -F '\t' '$2 ~ /^\[k\] / && k++ < 25' "$top.all" >"$top"
  awk -F '\t' '$2 ~ /^\[\.\] / && u++ < 25' "$top.all" >>"$top"
  rm -f "$data" "$top.all"
  if [[ -z "$split" ]]; then
    echo "server_bench: perf recorded no sample of $name ($scenario)" >&2
    exit 1
  fi
  local samples kernel user top_user
  read -r samples kernel user <<<"$split"
  # The busiest user-space symbol, and its share of all the server's samples.
  top_user="$(awk -F '\t' '$2 ~ /^\[\.\] / { sub(/^\[\.\] /, "", $2); printf "%s %s", $1, $2; exit }' "$top")"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$scenario" "$name" "$samples" "$kernel" "$user" "${top_user:0:70}" >>"$prof"
  printf '  %-16s %-16s perf: %s samples, kernel %s %%, user %s %%\n' "$scenario" "$name" "$samples" "$kernel" "$user" >&2
}

echo "server_bench: ${servers[*]}; ${seconds}s x $runs rounds per scenario, warm-up ${warmup}s" >&2
for entry in "${scenarios[@]}"; do
  IFS=: read -r scenario conns lua <<<"$entry"
  if ((warmup > 0)); then
    for name in "${servers[@]}"; do run_wrk "$name" "$conns" "$lua" "$warmup" >/dev/null; done
  fi
  for ((round = 0; round < runs; round++)); do
    n=${#servers[@]}
    for ((i = 0; i < n; i++)); do  # rotated: each round starts one server later
      measure "$scenario" "${servers[$(((i + round) % n))]}" "$round" "$conns" "$lua"
    done
  done
  if ((use_strace)); then
    for name in "${servers[@]}"; do count_syscalls "$scenario" "$name" "$conns" "$lua"; done
  fi
  if ((use_perf)); then
    for name in "${servers[@]}"; do profile_server "$scenario" "$name" "$conns" "$lua"; done
  fi
done

# Every server must still be running: a crash would make its numbers meaningless.
for name in "${servers[@]}"; do
  kill -0 "${server_pid[$name]}" 2>/dev/null || { echo "server_bench: $name died during the run" >&2; show_server_logs "$name"; exit 1; }
done

# ---------------------------------------------------------------------------
# Facts for the results header, then the summary.
version_of() {
  case "$1" in
    nginx) nginx -v 2>&1 | sed 's/^nginx version: //' ;;
    h2o) h2o --version | head -1 ;;
    lighttpd) lighttpd -v | sed 's/ - .*//' ;;
    fasthttp) echo "fasthttp $(dpkg-query -W -f='${Version}' golang-github-valyala-fasthttp-dev), $(go version | awk '{print $3}')" ;;
    shockwave) echo "shockwave $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$repo" diff --quiet 2>/dev/null || echo '+changes') -c opt, --io=epoll where offered" ;;
    shockwave-uring) echo "shockwave (same binary) --io=uring" ;;
    *) echo "command: ${extra_command[$1]}" ;;
  esac
}
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }'), $(nproc) cores, $(uname -r)"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "generator: $generator; wrk: $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')"
  echo "settings: ${seconds}s per run, $runs rounds (rotated order), warm-up ${warmup}s, strace runs ${strace_seconds}s$(
    ((use_perf)) && echo ", perf runs ${strace_seconds}s")"
  if [[ -n "$cpu_quota" ]]; then
    echo "server-bound: each server capped at ${cpu_quota}% of one core (cgroup $cgroup_kind cpu quota)"
  else
    echo "free-running: no CPU quota (req/s also measures wrk and the kernel)"
  fi
  for name in "${servers[@]}"; do echo "server $name: $(version_of "$name"); response ${response_bytes[$name]} bytes"; done
  for note in "${notes[@]+"${notes[@]}"}"; do echo "skipped: $note"; done
} >"$work/meta.txt"

python3 "$repo/bench/server_bench_summary.py" "$work" >"$work/summary.md"
if [[ -n "$out" ]]; then
  mkdir -p "$out"
  cp "$work/raw.tsv" "$work/syscalls.tsv" "$work/profile.tsv" "$work/summary.md" "$work/plot.tsv" "$work/meta.txt" \
    "$out/"
  mkdir -p "$out/wrk"
  cp "$work"/wrk.*.txt "$out/wrk/"
  if ((use_perf)); then
    mkdir -p "$out/perf"
    cp "$work"/perf/*.txt "$out/perf/"
  fi
fi
cat "$work/summary.md"
