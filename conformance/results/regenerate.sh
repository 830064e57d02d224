#!/usr/bin/env bash
# regenerate.sh: re-runs the checked-in conformance results in this folder.
#
#   conformance/results/regenerate.sh
#
# One httpconform run over every case for six implementations: the parsers
# shockwave, llhttp and picohttpparser (through their adapters) and Python's
# h11 (through --exec, conformance/examples/h11_parser.py), and, live over
# TCP on 127.0.0.1, nginx (conformance/live/run_nginx.sh starts it) and our
# own server binary (//server:shockwave, default flags); then Node.js's
# server in echo mode (conformance/examples/run_node_echo.sh); then the
# response parsers on the response cases. Writes report.txt, report.json,
# matrix.html, node-echo.txt, node-echo.json, responses.{txt,json,html} and
# README.md with the date, the commit and the versions. The flags are those
# of //conformance/examples's baseline tests (4 at a time, 5 s a case, 1 s
# of quiet ends an incomplete one); about two minutes. Exit 0 when the files
# were written, whatever the verdicts.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out="conformance/results"

./bazelw build -c opt //conformance:httpconform //server:shockwave >&2
bin="$(./bazelw info -c opt bazel-bin 2>/dev/null)"

export HTTPCONFORM="$bin/conformance/httpconform"
source conformance/live/server_script.sh

"$bin/server/shockwave" --port 0 2>"$tmp/server.log" &
server_started $!
listening_port "$tmp/server.log" || { echo "regenerate: our server did not start (its output above)" >&2; exit 1; }

flags=(--jobs=4 --timeout=5 --hold=1)
status=0
conformance/live/run_nginx.sh "${flags[@]}" \
  --parser=shockwave,llhttp,picohttpparser --exec="h11=/usr/bin/python3 $root/conformance/examples/h11_parser.py" \
  --server="shockwave-server=127.0.0.1:$port" \
  --output="$out/report.txt" --output="$out/report.json" --output="$out/matrix.html" || status=$?
(( status <= 1 )) || { echo "regenerate: httpconform failed ($status)" >&2; exit 1; }
status=0
conformance/examples/run_node_echo.sh "${flags[@]}" \
  --output="$out/node-echo.txt" --output="$out/node-echo.json" || status=$?
(( status <= 1 )) || { echo "regenerate: httpconform failed on Node ($status)" >&2; exit 1; }
# The response parsers on the response cases (conformance/cases/responses/).
status=0
"$HTTPCONFORM" --responses --parser=all \
  --output="$out/responses.txt" --output="$out/responses.json" --output="$out/responses.html" || status=$?
(( status <= 1 )) || { echo "regenerate: httpconform --responses failed ($status)" >&2; exit 1; }

version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "not installed"; }
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(git status --porcelain 2>/dev/null | grep -q . && echo ' (with uncommitted changes)' || true)"
summary="$(awk '{lines[NR] = $0} /^$/ {blank = NR} END {for (i = blank + 1; i <= NR; i++) print lines[i]}' "$out/report.txt")"
cases="$(head -n 1 "$out/report.txt" | sed -n 's/^httpconform: \([0-9]*\) cases.*/\1/p')"
when="$(head -n 1 "$out/report.txt" | sed -n 's/.*, \([0-9-]* [0-9:]* UTC\)$/\1/p')"
rsummary="$(awk '{lines[NR] = $0} /^$/ {blank = NR} END {for (i = blank + 1; i <= NR; i++) print lines[i]}' "$out/responses.txt")"
rcases="$(head -n 1 "$out/responses.txt" | sed -n 's/^httpconform: \([0-9]*\) cases.*/\1/p')"

cat >"$out/README.md" <<EOF
# Conformance results

$cases cases from \`conformance/cases/\`, run $when at commit
\`$commit\`$dirty by \`conformance/results/regenerate.sh\` on Debian $(cat /etc/debian_version 2>/dev/null || echo '?').

| file | what |
|---|---|
| [matrix.html](matrix.html) | cases x implementations, coloured, with RFC links and inputs |
| [report.txt](report.txt) | per implementation: pass / allowed / fail by RFC section and by smuggling class, failures by risk, every failure with its severity, input and rationale |
| [report.json](report.json) | the same for machines |
| [node-echo.txt](node-echo.txt), [node-echo.json](node-echo.json) | Node.js in echo mode, a run of its own |
| [responses.txt](responses.txt), [responses.json](responses.json), [responses.html](responses.html) | the response parsers (shockwave, llhttp, picohttpparser, Beast) on the $rcases response cases of \`conformance/cases/responses/\` |

\`\`\`
$summary
$(tail -n 1 "$out/node-echo.txt")
\`\`\`

Responses:

\`\`\`
$rsummary
\`\`\`

**pass**: the outcome the strict profile takes; **allowed**: another outcome
the RFC permits; **fail**: an outcome the RFC does not allow.

## Implementations

| name | what | version |
|---|---|---|
| shockwave | our parser, strict profile (\`server/http1\`), through its adapter | commit \`$commit\` |
| llhttp | Node.js's parser, default build, no leniency flags | node-llhttp $(version node-llhttp) |
| picohttpparser | H2O's parser inside libh2o, with the framing its caller adds (\`conformance/adapters/picohttpparser_adapter.h\`) | libh2o0.13 $(version libh2o0.13) |
| beast | responses only: Boost.Beast's \`http::response_parser\` (\`conformance/adapters/beast_adapter.h\`) | libboost-dev $(version libboost-dev) |
| h11 | Python's h11 through \`--exec\` (\`conformance/examples/h11_parser.py\`) | python3-h11 $(version python3-h11) |
| nginx | live, \`return 200 "ok"\` for every path (\`conformance/live/run_nginx.sh\`) | nginx $(version nginx) |
| node-echo | live, Node.js's \`http\` server answering with what it parsed (\`conformance/examples/echo_origin.js\`), in node-echo.txt and .json | nodejs $(version nodejs) |
| shockwave-server | live, our \`//server:shockwave\` binary with default flags (\`--port 0\`) | commit \`$commit\` |

Parsers are judged on the canonical outcome (\`conformance/case.h\`'s
\`judge\`); servers on what they answer over TCP (\`conformance/live/live.h\`:
the rules, e.g. that a 404 or 405 counts as accepting a request, and that
closing without a response is an allowed way to reject one). A server's
verdicts also reflect its configuration (limits), not only its parser.

The known deviations of the implementations we did not write, with the RFC
text for each, are in \`conformance/examples/\` (README.md and baselines/).

Regenerate: \`conformance/results/regenerate.sh\`.
EOF
echo "regenerate: wrote $out/{report.txt,report.json,matrix.html,node-echo.txt,node-echo.json,responses.{txt,json,html},README.md}" >&2
