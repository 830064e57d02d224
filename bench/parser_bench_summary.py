#!/usr/bin/env python3
"""parser_bench_summary.py PLOT_TSV JSON...: the markdown table of //bench:parser_bench.

Each JSON is Google Benchmark's --benchmark_format=json output (with or
without repetitions); llhttp figures whose label says its SSE4.2 path was on
(a build with -msse4.2) are shown as parser "llhttp_sse42". Prints, per request, each parser's CPU time per request (the
median over repetitions when there are any, with the coefficient of
variation), its ratio to ours, and the label saying which build it was.
Writes PLOT_TSV (ns per request; rows = requests, columns = parsers) for
gnuplot.
"""

import json
import sys
from collections import OrderedDict


def main():
    plot_path = sys.argv[1]
    benchmarks = []
    ctx = None
    for path in sys.argv[2:]:
        with open(path) as f:
            data = json.load(f)
        ctx = ctx or data["context"]
        benchmarks += data["benchmarks"]
    medians = OrderedDict()  # (request, parser) -> (ns_per_req, cv, label)
    cvs = {}
    labels = {}
    singles = {}
    errors = {}
    for b in benchmarks:
        name = b.get("run_name", b["name"])
        parts = name.split("/")
        if parts[0] != "BM_Parse" or len(parts) != 3:
            continue
        _, parser, request = parts
        if parser == "llhttp" and "SSE4.2 path on" in b.get("label", ""):
            parser = "llhttp_sse42"
        key = (request, parser)
        if b.get("error_occurred"):
            errors[key] = b.get("error_message", "error")
            continue
        if b.get("label"):
            labels[parser] = b["label"]
        per_req = b["time_per_req"] * 1e9  # seconds per request -> ns
        agg = b.get("aggregate_name")
        if agg == "median":
            medians[key] = per_req
        elif agg == "cv":
            cvs[key] = b["time_per_req"]  # cv is a ratio, not seconds
        elif agg is None:
            singles.setdefault(key, per_req)
    values = medians if medians else singles

    requests, parsers = [], []
    for request, parser in list(values.keys()) + list(errors.keys()):
        if request not in requests:
            requests.append(request)
        if parser not in parsers:
            parsers.append(parser)

    order = ["shockwave", "llhttp", "llhttp_sse42", "pico_libh2o_scalar", "pico_sse42", "beast"]
    parsers.sort(key=lambda p: order.index(p) if p in order else len(order))

    reps = "median of repetitions" if medians else "single run"
    out = [
        "## Parsers: CPU time per request (ns), lower is better",
        "",
        f"- date: {ctx.get('date', '?')}; host: {ctx.get('host_name', '?')}; "
        f"{ctx.get('num_cpus', '?')} CPUs at {ctx.get('mhz_per_cpu', '?')} MHz; load average "
        f"{', '.join(f'{x:.2f}' for x in ctx.get('load_avg', []))}",
        f"- figures: {reps} (`time_per_req`, CPU time / requests); x ours: the parser's time / ours (above 1: slower than ours)",
        "",
    ]
    out.append("| request | " + " | ".join(parsers) + " |")
    out.append("|---|" + "--:|" * len(parsers))
    for request in requests:
        ours = values.get((request, "shockwave"))
        cells = []
        for parser in parsers:
            key = (request, parser)
            if key in errors:
                cells.append("unavailable" if "unavailable" in errors[key] else "error")
                continue
            v = values.get(key)
            if v is None:
                cells.append("n/a")
                continue
            text = f"{v:.1f}"
            if ours and parser != "shockwave":
                text += f" (x{v / ours:.2f})"
            if key in cvs:
                text += f" cv {cvs[key] * 100:.0f}%"
            cells.append(text)
        out.append(f"| {request} | " + " | ".join(cells) + " |")
    out += ["", "Builds:", ""]
    for parser in parsers:
        label = labels.get(parser)
        if label is None:
            label = next((e for (r, p), e in errors.items() if p == parser), "?")
        out.append(f"- `{parser}`: {label}")
    print("\n".join(out))

    with open(plot_path, "w") as f:
        f.write("request\t" + "\t".join(parsers) + "\n")
        for request in requests:
            row = [request]
            for parser in parsers:
                v = values.get((request, parser))
                row.append(f"{v:.2f}" if v is not None else "NaN")
            f.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()
