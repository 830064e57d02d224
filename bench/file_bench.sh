#!/usr/bin/env bash
# file_bench.sh: the CPU a server spends to send one large static file,
# shockwave (both event-loop backends) beside nginx in the same run.
#
# What is measured: server CPU time per GiB of file served. For a big file
# the work is almost all kernel work (moving page-cache bytes into TCP), so
# requests/s says nothing; what differs between servers is how they move the
# bytes: nginx and both shockwave loops hand the file to sendfile(2) (the
# io_uring loop calls it beside the ring and waits for room with a poll).
# CPU per byte is the cost of that choice, independent of how fast the
# client drains the socket.
#
# Why it is server-bound: every server is pinned to core 0 (taskset -c 0)
# and the client, one curl at a time, to core 1, so the client's copy out of
# the socket does not land on the server's clock. Server CPU is utime+stime
# of the server's processes (nginx: master and worker) from /proc/PID/stat,
# read before and after the fetches. Loopback TCP still does some of the
# receiver's protocol work in the sender's context, the same for every
# server. Throughput (MiB/s, wall clock) is reported too, but it also
# depends on curl and on whatever else runs on the machine; the CPU/GiB
# ratio to nginx is the number to compare.
#
# Servers, one worker each, 127.0.0.1 only, root = a temporary directory
# holding one file of --mib MiB of random bytes:
#   nginx            worker_processes 1, sendfile on, tcp_nopush on, access_log off
#   shockwave        --threads 1 --io=epoll --root DIR (sendfile)
#   shockwave-uring  --threads 1 --io=uring --root DIR (sendfile, io_uring poll for room)
# Before timing, each server's bytes are checked once: a whole-file fetch and
# a 1 MiB range from the middle are compared with cmp; a mismatch, a wrong
# status or a wrong size fails the script. Then RUNS rounds, the server order
# rotated each round; per round and server FETCHES sequential GETs of the
# whole file. Reported per server: median CPU ms per GiB with min-max and
# spread ((max - min) / median, marked `!` above 15 %: too noisy to rank on),
# the ratio to nginx, and median throughput.
#
# Usage: bench/file_bench.sh [options]
#   --mib N             size of the file in MiB (default 1024)
#   --fetches K         whole-file fetches per round and server (default 3)
#   --runs R            rounds (default 3)
#   --short             CI smoke mode: 64 MiB, 1 fetch, 1 round
#   --servers LIST      comma-separated subset of: nginx,shockwave,shockwave-uring
#   --shockwave-bin P   use this binary instead of building //server:shockwave
#   --out FILE          also write the report (markdown) to FILE
# Environment: BAZEL_STARTUP_FLAGS (e.g. --output_base=...) and
# BAZEL_BUILD_FLAGS for the build, as in load_vs_wrk.sh; the build always
# passes --symlink_prefix=/ so it leaves the bazel-* links alone.
#
# Servers run under setsid in their own process group and are stopped by PID
# (TERM, then KILL) on exit, failure or Ctrl-C; the temporary directory
# (under ${TMPDIR:-/tmp}) is removed. Needs 2 cores and about twice --mib of
# free space there (the file and one verification copy).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
repo="$PWD"

die() { echo "file_bench: $*" >&2; exit 1; }

mib=1024 fetches=3 runs=3 out="" shockwave_bin=""
servers_wanted="nginx,shockwave,shockwave-uring"
while (($#)); do
  case "$1" in
    --mib) mib="${2-}"; shift 2 ;;
    --fetches) fetches="${2-}"; shift 2 ;;
    --runs) runs="${2-}"; shift 2 ;;
    --short) mib=64 fetches=1 runs=1; shift ;;
    --servers) servers_wanted="${2-}"; shift 2 ;;
    --shockwave-bin) shockwave_bin="${2-}"; shift 2 ;;
    --out) out="${2-}"; shift 2 ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "file_bench: unknown argument $1" >&2; exit 2 ;;
  esac
done
for v in mib fetches runs; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || { echo "file_bench: --$v takes a positive whole number, not '${!v}'" >&2; exit 2; }
done
for tool in curl taskset setsid cmp dd; do
  command -v "$tool" >/dev/null || die "$tool is missing (./bazelw installs it)"
done
# Core 1 for the client needs two cores.
(($(nproc) >= 2)) || die "needs 2 cores"

work="$(mktemp -d "${TMPDIR:-/tmp}/file_bench.XXXXXX")" || die "cannot make a temporary directory"
declare -A server_pid=() server_port=()

# stop_group PID: TERM the process group we created with setsid, then KILL.
stop_group() {
  local pid="$1"
  kill -TERM -- "-$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  for name in "${!server_pid[@]}"; do stop_group "${server_pid[$name]}"; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------
# The file. nginx's worker drops to nobody, so the tree must be world-readable.
www="$work/www" name_of_file=big.bin
{ mkdir -p "$www" && chmod 755 "$work" "$www"; } || die "cannot prepare $www"
file="$www/$name_of_file"
size=$((mib * 1048576))
echo "file_bench: writing $mib MiB of random bytes" >&2
head -c "$size" /dev/urandom >"$file" || die "cannot write $file"
chmod 644 "$file"
# Written back now, so writeback does not overlap the timed fetches.
sync "$file" 2>/dev/null || sync
# The range: 1 MiB (or the whole file, if smaller) centred in the file.
range_len=$((size < 1048576 ? size : 1048576))
range_start=$(((size - range_len) / 2))
range_end=$((range_start + range_len - 1))
dd if="$file" of="$work/range.expected" bs=1M iflag=skip_bytes,count_bytes skip="$range_start" \
  count="$range_len" status=none || die "cannot cut the range out of $file"

# ---------------------------------------------------------------------------
# The servers.
next_port=18600
free_port() {  # sets $port to the next port nothing listens on
  while (exec 3<>"/dev/tcp/127.0.0.1/$next_port") 2>/dev/null; do next_port=$((next_port + 1)); done
  port=$next_port
  next_port=$((next_port + 1))
}

# launch NAME CMD...: CMD in a session of its own, pinned to core 0.
launch() {
  local name="$1"
  shift
  setsid taskset -c 0 "$@" >"$work/$name.log" 2>&1 </dev/null &
  server_pid[$name]=$!
}

nginx_bin="$(command -v nginx || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; })"
start_nginx() {
  local port
  free_port
  mkdir -p "$work/nginx"
  cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 64; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  default_type application/octet-stream;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server {
    listen 127.0.0.1:$port;
    root $www;
  }
}
CONF
  launch nginx "$nginx_bin" -p "$work/nginx" -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf"
  server_port[nginx]=$port
}

# start_shockwave NAME [FLAGS...]: --port 0, the port read from its
# "listening on" line.
start_shockwave() {
  local name="$1" port=""
  shift
  launch "$name" "$work/shockwave" --address 127.0.0.1 --port 0 --threads 1 --root "$www" "$@"
  for _ in $(seq 100); do
    port="$(sed -nE 's|.*listening on http://127\.0\.0\.1:([0-9]+)/.*|\1|p' "$work/$name.log" | head -n1)"
    [[ -n "$port" ]] && break
    kill -0 "${server_pid[$name]}" 2>/dev/null || break
    sleep 0.1
  done
  [[ -n "$port" ]] || { cat "$work/$name.log" >&2; die "$name did not start (its output is above)"; }
  server_port[$name]=$port
}

prepare_shockwave() {
  if [[ -z "$shockwave_bin" ]]; then
    echo "file_bench: building //server:shockwave (-c opt)" >&2
    # shellcheck disable=SC2086  # the flags are words to split
    ./bazelw ${BAZEL_STARTUP_FLAGS:-} build -c opt --symlink_prefix=/ ${BAZEL_BUILD_FLAGS:-} //server:shockwave \
      >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "the build failed"; }
    # shellcheck disable=SC2086
    shockwave_bin="$(./bazelw ${BAZEL_STARTUP_FLAGS:-} info -c opt --symlink_prefix=/ ${BAZEL_BUILD_FLAGS:-} \
      bazel-bin 2>/dev/null)/server/shockwave"
  fi
  # A copy, so a rebuild during the run cannot swap the binary.
  cp "$shockwave_bin" "$work/shockwave" || die "no shockwave binary at $shockwave_bin"
}

wanted() { [[ ",$servers_wanted," == *",$1,"* ]]; }

servers=()
notes=()
if wanted nginx; then
  if [[ -n "$nginx_bin" ]]; then start_nginx; servers+=(nginx)
  else notes+=("nginx: not installed, skipped (no ratios)"); fi
fi
if wanted shockwave || wanted shockwave-uring; then
  prepare_shockwave
  if wanted shockwave; then start_shockwave shockwave --io=epoll; servers+=(shockwave); fi
  if wanted shockwave-uring; then start_shockwave shockwave-uring --io=uring; servers+=(shockwave-uring); fi
fi
((${#servers[@]})) || die "no server to measure (--servers $servers_wanted)"

url_of() { echo "http://127.0.0.1:${server_port[$1]}/$name_of_file"; }

# Every server answers 200 first (nginx has no "listening" line to wait for).
for name in "${servers[@]}"; do
  ok=0
  for _ in $(seq 100); do
    kill -0 "${server_pid[$name]}" 2>/dev/null || break
    [[ "$(curl -s -I --max-time 2 -o /dev/null -w '%{http_code}' "$(url_of "$name")")" == 200 ]] && { ok=1; break; }
    sleep 0.1
  done
  if ((!ok)); then
    cat "$work/$name.log" "$work/nginx/error.log" 2>/dev/null | tail -20 >&2
    die "$name did not answer HEAD $(url_of "$name") with 200 (its output is above)"
  fi
done

# verify NAME: the whole file and the middle range, byte for byte, once per
# server before any timing (it also warms the server up).
verify() {
  local name="$1" url code got="$work/got.bin"
  url="$(url_of "$name")"
  code="$(taskset -c 1 curl -s -o "$got" -w '%{http_code}' "$url")"
  [[ "$code" == 200 ]] || die "$name: GET $url gave status '$code', not 200"
  cmp -s "$got" "$file" || die "$name: the body of GET $url differs from the file"
  code="$(taskset -c 1 curl -s -r "$range_start-$range_end" -o "$got" -w '%{http_code}' "$url")"
  [[ "$code" == 206 ]] || die "$name: GET $url bytes=$range_start-$range_end gave status '$code', not 206"
  cmp -s "$got" "$work/range.expected" || die "$name: the body of the range $range_start-$range_end differs"
  rm -f "$got"
  echo "file_bench: $name: whole file and range $range_start-$range_end match" >&2
}
for name in "${servers[@]}"; do verify "$name"; done

# tree_pids PID: the server process and its descendants (nginx: master + worker).
tree_pids() {
  local child
  echo "$1"
  # shellcheck disable=SC2013  # the file holds PIDs separated by spaces
  for child in $(cat /proc/"$1"/task/*/children 2>/dev/null); do tree_pids "$child"; done
}
# cpu_ticks PID...: utime+stime (fields 14 and 15; counted after the ")" of
# comm, which may hold spaces), summed over the processes.
cpu_ticks() {
  local total=0 pid rest f
  for pid in "$@"; do
    rest="$(cat "/proc/$pid/stat" 2>/dev/null)" || continue
    rest="${rest##*) }"
    read -r -a f <<<"$rest"
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}
clk_tck="$(getconf CLK_TCK)"

raw="$work/raw.tsv"
printf 'server\tround\tbytes\tcpu_ticks\twall_ns\tcpu_ms_per_gib\tmib_per_s\n' >"$raw"

# measure NAME ROUND: FETCHES sequential whole-file GETs on core 1; a row of raw.tsv.
measure() {
  local name="$1" round="$2" url pids t0 t1 w0 w1 bytes=0 got got_size got_code
  url="$(url_of "$name")"
  read -r -a pids <<<"$(tree_pids "${server_pid[$name]}" | tr '\n' ' ')"
  t0="$(cpu_ticks "${pids[@]}")"
  w0="$(date +%s%N)"
  for ((k = 0; k < fetches; k++)); do
    got="$(taskset -c 1 curl -s -o /dev/null -w '%{size_download} %{http_code}' "$url")"
    read -r got_size got_code <<<"$got"
    [[ "$got_code" == 200 && "$got_size" == "$size" ]] ||
      die "$name: fetch $((k + 1)) of round $round gave status '${got_code-}' and ${got_size-no} bytes (want 200, $size)"
    bytes=$((bytes + got_size))
  done
  w1="$(date +%s%N)"
  t1="$(cpu_ticks "${pids[@]}")"
  awk -v n="$name" -v r="$round" -v b="$bytes" -v t=$((t1 - t0)) -v w=$((w1 - w0)) -v hz="$clk_tck" 'BEGIN {
    cpu = t / hz * 1000 / (b / 1073741824); rate = b / 1048576 / (w / 1e9)
    printf "%s\t%s\t%d\t%d\t%d\t%.1f\t%.1f\n", n, r, b, t, w, cpu, rate
    printf "  %-16s round %s: %8.1f ms CPU/GiB  %8.1f MiB/s\n", n, r, cpu, rate > "/dev/stderr" }' >>"$raw"
}

echo "file_bench: ${servers[*]}; $mib MiB x $fetches fetches x $runs rounds" >&2
n=${#servers[@]}
for ((round = 0; round < runs; round++)); do
  for ((i = 0; i < n; i++)); do  # rotated: each round starts one server later
    measure "${servers[$(((i + round) % n))]}" "$round"
  done
done
# A server that died mid-run would make its numbers meaningless.
for name in "${servers[@]}"; do
  kill -0 "${server_pid[$name]}" 2>/dev/null || die "$name died during the run"
done

# ---------------------------------------------------------------------------
# The report.
# stats NAME COLUMN: "median min max" of raw.tsv's COLUMN for server NAME.
stats() {
  awk -F'\t' -v s="$1" -v c="$2" 'NR > 1 && $1 == s { print $c }' "$raw" | sort -g |
    awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, v[1], v[NR] }'
}
commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$repo" diff --quiet 2>/dev/null || echo '+changes')"
nginx_cpu=""
wanted nginx && [[ -n "$nginx_bin" ]] && read -r nginx_cpu _ <<<"$(stats nginx 6)"
{
  echo "## Static file: GET of a $mib MiB file, server CPU per GiB (one worker each, curl on core 1)"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }'), $(nproc) cores"
  echo "- kernel: $(uname -r)"
  echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  if [[ -n "$nginx_bin" ]]; then
    echo "- nginx: $("$nginx_bin" -v 2>&1 | sed 's/^nginx version: //') (sendfile on, tcp_nopush on)"
  fi
  if wanted shockwave || wanted shockwave-uring; then
    echo "- shockwave: $commit -c opt; epoll: sendfile(2); uring: sendfile(2) with an io_uring poll for room"
  fi
  echo "- client: $(curl --version | head -1 | awk '{ print $1, $2 }'), one fetch at a time"
  echo "- settings: $mib MiB file, $fetches fetches x $runs rounds (rotated order); CPU clock tick" \
    "$(awk -v hz="$clk_tck" -v m="$((mib * fetches))" 'BEGIN { printf "%.1f", 1000 / hz / (m / 1024) }') ms/GiB per sample"
  for note in "${notes[@]+"${notes[@]}"}"; do echo "- notes: $note"; done
  echo
  echo "CPU/GiB: server user+system time (/proc/PID/stat) per GiB served, median of the rounds [min-max];"
  echo "spread: (max - min) / median of CPU/GiB, \`!\` above 15%; x nginx: median CPU/GiB relative to nginx;"
  echo "MiB/s: wall-clock throughput of the fetches (depends on the client and the machine too)."
  echo
  echo "| server | CPU ms/GiB | min-max | spread | x nginx | MiB/s | min-max |"
  echo "|---|--:|--:|--:|--:|--:|--:|"
  for name in "${servers[@]}"; do
    read -r cm cl ch <<<"$(stats "$name" 6)"
    read -r rm rl rh <<<"$(stats "$name" 7)"
    awk -v n="$name" -v cm="$cm" -v cl="$cl" -v ch="$ch" -v rm="$rm" -v rl="$rl" -v rh="$rh" -v base="$nginx_cpu" 'BEGIN {
      spread = cm > 0 ? (ch - cl) / cm * 100 : 0
      ratio = base > 0 ? sprintf("%.2f", cm / base) : "n/a"
      printf("| %s | %.0f | %.0f-%.0f | %.0f%%%s | %s | %.0f | %.0f-%.0f |\n",
        n, cm, cl, ch, spread, spread > 15 ? " !" : "", ratio, rm, rl, rh) }' || die "no summary for $name"
  done
} >"$work/summary.md"
if [[ -n "$out" ]]; then cp "$work/summary.md" "$out" || die "cannot write $out"; fi
cat "$work/summary.md"
