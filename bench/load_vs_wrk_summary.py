"""load_vs_wrk_summary.py DIR: the markdown table of bench/load_vs_wrk.sh.

Reads DIR/raw.tsv (one row per generator run) and DIR/meta.txt. Per
scenario and generator: median req/s with min-max and spread ((max - min) /
median), median generator CPU per request (user+sys of the generator
process / responses), median p50 and p99 latency, errors; then load's
medians as ratios to wrk's.
"""

import csv
import statistics
import sys
from pathlib import Path


def latency(m: dict, key: str, runs: int) -> str:
    if m[key] is None:
        return "n/a"
    note = f" ({m[key + '_n']} of {runs} runs)" if m[key + "_n"] < runs else ""
    return f"{m[key]:,.0f} us{note}"


def ratio(a, b) -> str:
    return f"{a / b:.2f}" if a is not None and b else "n/a"


def main() -> int:
    directory = Path(sys.argv[1])
    rows = list(csv.DictReader(open(directory / "raw.tsv"), delimiter="\t"))
    runs: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        runs.setdefault((row["scenario"], row["generator"]), []).append(row)

    print("\n".join(f"- {line}" for line in (directory / "meta.txt").read_text().splitlines()))
    print()
    print("| scenario | generator | req/s (median) | min-max | spread | CPU us/request | p50 | p99 | errors |")
    print("|---|---|--:|--:|--:|--:|--:|--:|--:|")
    medians: dict[tuple[str, str], dict[str, float]] = {}
    for (scenario, generator), group in runs.items():
        rps = [float(r["rps"]) for r in group]
        cpu = [float(r["cpu_s"]) * 1e6 / int(r["responses"]) for r in group]
        m = {"rps": statistics.median(rps), "cpu": statistics.median(cpu)}
        for key in ("p50", "p99"):
            # Empty where wrk printed no usable latency (see load_vs_wrk.sh).
            values = [float(r[key + "_us"]) for r in group if r[key + "_us"]]
            m[key] = statistics.median(values) if values else None
            m[key + "_n"] = len(values)
        medians[(scenario, generator)] = m
        spread = (max(rps) - min(rps)) / m["rps"] if m["rps"] else 0
        errors = sum(int(float(r["errors"])) for r in group)
        print(
            f"| {scenario} | {generator} | {m['rps']:,.0f} | {min(rps):,.0f}-{max(rps):,.0f} | "
            f"{spread:.0%}{' !' if spread > 0.15 else ''} | {m['cpu']:.2f} | {latency(m, 'p50', len(group))} | "
            f"{latency(m, 'p99', len(group))} | {errors} |"
        )
    print()
    print("load / wrk (medians; CPU below 1 means load spends less per request):")
    print()
    print("| scenario | req/s | CPU us/request | p50 | p99 |")
    print("|---|--:|--:|--:|--:|")
    for scenario in dict.fromkeys(s for s, _ in runs):
        load, wrk = medians.get((scenario, "load")), medians.get((scenario, "wrk"))
        if not load or not wrk:
            continue
        cells = " | ".join(ratio(load[k], wrk[k]) for k in ("rps", "cpu", "p50", "p99"))
        print(f"| {scenario} | {cells} |")
    print()
    print("spread: (max - min) / median of req/s over the rounds; `!` above 15 %: too noisy to rank on.")
    print("CPU: user+sys of the generator process (/usr/bin/time, start-up included) / responses.")
    print("Latency: load times each request (send to its response); wrk times each request() call, so")
    print("pipelined, one latency per batch of requests, and its pipelined percentiles are sometimes 0 (n/a).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
