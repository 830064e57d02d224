#!/usr/bin/env bash
# server_vs_nginx.sh: requests/s of shockwave and nginx on /plaintext, one
# worker each pinned to core 0, wrk pinned to core 1, measured in one run.
# Usage: bench/server_vs_nginx.sh [SECONDS] [ROUNDS]   (defaults 5 and 3)
# Prints the median of ROUNDS per server and scenario. Loopback only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-5}"
rounds="${2:-3}"
./bazelw build -c opt //server:shockwave >/dev/null 2>&1
bin="$(./bazelw info -c opt bazel-bin 2>/dev/null)/server/shockwave"
nginx="$(command -v nginx || echo /usr/sbin/nginx)"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

port_sw=18181
port_ng=18182
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  client_body_temp_path $work; proxy_temp_path $work; fastcgi_temp_path $work; uwsgi_temp_path $work; scgi_temp_path $work;
  server {
    listen 127.0.0.1:$port_ng reuseport;
    location /plaintext { default_type text/plain; return 200 "Hello, World!"; }
  }
}
CONF
cat > "$work/pipeline.lua" <<'LUA'
init = function(args)
  local r = {}
  for i = 1, 16 do r[i] = wrk.format(nil, "/plaintext") end
  req = table.concat(r)
end
request = function() return req end
LUA

taskset -c 0 "$bin" --port "$port_sw" --max-connections 4096 --max-requests-per-connection 100000000 2>"$work/sw.log" &
taskset -c 0 "$nginx" -p "$work" -c "$work/nginx.conf" &
sleep 1

run() {  # run PORT CONNECTIONS [LUA] → requests/s
  local extra=()
  [[ -n "${3:-}" ]] && extra=(-s "$3")
  taskset -c 1 wrk -t1 -c"$2" -d"${seconds}s" "${extra[@]}" "http://127.0.0.1:$1/plaintext" |
    awk '/Requests\/sec/ {print int($2)}'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '%-28s %12s %12s %8s\n' scenario shockwave nginx ratio
for scenario in "keep-alive 64:64:" "keep-alive 256:256:" "pipelined x16, 64:64:$work/pipeline.lua"; do
  IFS=: read -r name conns lua <<<"$scenario"
  sw=(); ng=()
  for ((i = 0; i < rounds; i++)); do  # alternate the order each round
    if (( i % 2 == 0 )); then sw+=("$(run $port_sw "$conns" "$lua")"); ng+=("$(run $port_ng "$conns" "$lua")")
    else ng+=("$(run $port_ng "$conns" "$lua")"); sw+=("$(run $port_sw "$conns" "$lua")"); fi
  done
  s=$(printf '%s\n' "${sw[@]}" | median); n=$(printf '%s\n' "${ng[@]}" | median)
  printf '%-28s %12s %12s %8s\n' "$name" "$s" "$n" "$(awk -v a="$s" -v b="$n" 'BEGIN {printf "%.2fx", a / b}')"
done
