#!/usr/bin/env python3
"""parser_bench_summary.py PLOT_TSV JSON...: the markdown table of //bench:parser_bench.

Each JSON is Google Benchmark's --benchmark_format=json output (with or
without repetitions), of the requests, the responses (names response_*) or
both; llhttp figures whose label says its SSE4.2 path was on (a build with
-msse4.2) are shown as parser "llhttp_sse42". Prints, per message (request or
response), each parser's CPU time per message (the median over repetitions
when there are any, with the coefficient of variation), its ratio to ours,
and the label saying which build it was; one line per run (JSON) says when it
ran and the load. Writes PLOT_TSV (ns per message; rows = messages, columns =
parsers) for gnuplot.
"""

import json
import sys
from collections import OrderedDict


def main():
    plot_path = sys.argv[1]
    benchmarks = []
    runs = []  # (path, context, messages measured)
    for path in sys.argv[2:]:
        with open(path) as f:
            data = json.load(f)
        measured = []
        for b in data["benchmarks"]:
            parts = b.get("run_name", b["name"]).split("/")
            if parts[0] == "BM_Parse" and len(parts) == 3 and parts[2] not in measured:
                measured.append(parts[2])
        runs.append((path, data["context"], measured))
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
        if b.get("label") and b["label"] not in labels.setdefault(parser, []):
            labels[parser].append(b["label"])  # the request and the response parser may differ
        # Seconds per request (time_per_req) or response (time_per_resp).
        per_msg = b["time_per_req"] if "time_per_req" in b else b["time_per_resp"]
        per_req = per_msg * 1e9
        agg = b.get("aggregate_name")
        if agg == "median":
            medians[key] = per_req
        elif agg == "cv":
            cvs[key] = per_msg  # cv is a ratio, not seconds
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
    out = ["## Parsers: CPU time per request or response (ns), lower is better", ""]
    for path, ctx, measured in runs:
        out.append(
            f"- {path.rsplit('/', 1)[-1]}: {', '.join(measured) or 'nothing'}; "
            f"date: {ctx.get('date', '?')}; host: {ctx.get('host_name', '?')}; "
            f"{ctx.get('num_cpus', '?')} CPUs at {ctx.get('mhz_per_cpu', '?')} MHz; load average "
            f"{', '.join(f'{x:.2f}' for x in ctx.get('load_avg', []))}"
        )
    out += [
        f"- figures: {reps} (`time_per_req` / `time_per_resp`, CPU time / messages); "
        "x ours: the parser's time / ours (above 1: slower than ours)",
        "",
    ]
    out.append("| message | " + " | ".join(parsers) + " |")
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
        label = "; ".join(labels.get(parser, []))
        if not label:
            label = next((e for (r, p), e in errors.items() if p == parser), "?")
        out.append(f"- `{parser}`: {label}")
    print("\n".join(out))

    with open(plot_path, "w") as f:
        f.write("message\t" + "\t".join(parsers) + "\n")
        for request in requests:
            row = [request]
            for parser in parsers:
                v = values.get((request, parser))
                row.append(f"{v:.2f}" if v is not None else "NaN")
            f.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()
