#!/usr/bin/env python3
"""server_bench_summary.py DIR: the markdown table of bench/server_bench.sh.

Reads DIR/raw.tsv (one line per timed wrk run), DIR/syscalls.tsv (one line per
strace run), DIR/profile.tsv (one line per perf run, with --profile) and
DIR/meta.txt; prints markdown to stdout and writes DIR/plot.tsv (median, min
and max requests/s per scenario and server, for gnuplot).
"""

import csv
import statistics
import sys
from collections import OrderedDict

# Above this spread between rounds a median is not a ranking.
SPREAD_LIMIT = 0.15


def read_tsv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def profile_table(rows, servers):
    """The --profile runs: where each server's samples on its core fell."""
    if not rows:
        return []
    scenarios = list(dict.fromkeys(r["scenario"] for r in rows))
    rank = {s: i for i, s in enumerate(servers)}
    rows = sorted(rows, key=lambda r: (scenarios.index(r["scenario"]), rank.get(r["server"], len(rank))))
    out = [
        "",
        "### Where each server's CPU time goes (`perf record -e cpu-clock` on its core, separate runs)",
        "",
        "kernel / user: shares of the server's own samples (all its processes and threads); the kernel's",
        "includes the loopback TCP work done in the server's context for both ends. The user share is all",
        "that a server's own code could still win; the rest is the kernel's work per request.",
        "",
        "| scenario | server | kernel | user | busiest user-space symbol (share of all) | samples |",
        "|---|---|--:|--:|---|--:|",
    ]
    for r in rows:
        top = r["top_user"].replace("|", "\\|") or "-"
        out.append(
            f"| {r['scenario']} | {r['server']} | {float(r['kernel_pct']):.1f} % | {float(r['user_pct']):.1f} % | "
            f"{top} | {int(r['samples']):,} |"
        )
    return out


def main():
    work = sys.argv[1]
    raw = read_tsv(f"{work}/raw.tsv")
    syscalls = {(r["scenario"], r["server"]): r for r in read_tsv(f"{work}/syscalls.tsv")}
    with open(f"{work}/meta.txt") as f:
        meta = [line.rstrip("\n") for line in f]

    runs = OrderedDict()  # (scenario, server) -> rows, in first-seen order
    scenarios, servers = [], []
    for r in raw:
        runs.setdefault((r["scenario"], r["server"]), []).append(r)
        if r["scenario"] not in scenarios:
            scenarios.append(r["scenario"])
        if r["server"] not in servers:
            servers.append(r["server"])
    # Fixed server order: peers first, ours last.
    order = ["nginx", "h2o", "lighttpd", "fasthttp", "shockwave", "shockwave-uring"]
    servers.sort(key=lambda s: order.index(s) if s in order else len(order))

    bound = any(line.startswith("server-bound:") for line in meta)
    mode = "server-bound (CPU quota)" if bound else "free-running"
    out = [f"## Servers, {mode}: GET /plaintext, one worker each (wrk -t1)", ""]
    out += [f"- {line}" for line in meta]
    out += [
        "",
        "req/s: median of the rounds, [min-max]; p50/p99: medians of wrk's latency percentiles;",
        "CPU: server user+system time per request (/proc/PID/stat); syscalls: from a separate",
        "short run under `strace -c -f` (strace slows the server, so that run's throughput is not used);",
        "x nginx: median req/s relative to nginx in the same scenario; n/a latency: wrk printed 0 for it;",
        f"spread: (max - min) / median of req/s, marked `!` above {SPREAD_LIMIT:.0%} (too noisy to rank on).",
        "",
        "| scenario | server | req/s | min-max | spread | x nginx | p50 | p99 | CPU/req | syscalls/req | errors |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    plot = ["scenario\t" + "\t".join(f"{s}\t{s}_min\t{s}_max" for s in servers)]
    for scenario in scenarios:
        base = None
        if (scenario, "nginx") in runs:
            base = statistics.median(float(r["rps"]) for r in runs[(scenario, "nginx")])
        cells = [scenario]
        for server in servers:
            rows = runs.get((scenario, server))
            if not rows:
                cells += ["NaN", "NaN", "NaN"]
                continue
            rps = [float(r["rps"]) for r in rows]
            med = statistics.median(rps)
            # wrk prints 0.00us for a percentile it failed to record (seen under
            # heavy load with pipelining); such rounds are left out.
            p50s = [float(r["p50_us"]) for r in rows if float(r["p50_us"]) > 0]
            p99s = [float(r["p99_us"]) for r in rows if float(r["p99_us"]) > 0]
            p50 = f"{statistics.median(p50s):,.0f} us" if p50s else "n/a"
            p99 = f"{statistics.median(p99s):,.0f} us" if p99s else "n/a"
            cpu = statistics.median(float(r["cpu_us_per_req"]) for r in rows)
            errors = sum(int(r["errors"]) for r in rows)
            sc = syscalls.get((scenario, server))
            sc_text = f"{float(sc['syscalls_per_req']):.2f}" if sc else "n/a"
            ratio = f"{med / base:.2f}" if base else "n/a"
            spread = (max(rps) - min(rps)) / med if med else 0.0
            spread_text = f"{spread:.0%}" + (" !" if spread > SPREAD_LIMIT else "")
            out.append(
                f"| {scenario} | {server} | {med:,.0f} | {min(rps):,.0f}-{max(rps):,.0f} | {spread_text} | {ratio} | "
                f"{p50} | {p99} | {cpu:.2f} us | {sc_text} | {errors} |"
            )
            cells += [f"{med:.0f}", f"{min(rps):.0f}", f"{max(rps):.0f}"]
        plot.append("\t".join(cells))
    out += profile_table(read_tsv(f"{work}/profile.tsv"), servers)
    print("\n".join(out))
    with open(f"{work}/plot.tsv", "w") as f:
        f.write("\n".join(plot) + "\n")


if __name__ == "__main__":
    main()
