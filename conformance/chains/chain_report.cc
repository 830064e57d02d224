#include "conformance/chains/chain_report.h"

#include <algorithm>

#include "conformance/report.h"

namespace shockwave::conformance::chains {

namespace {

constexpr ChainVerdict kVerdicts[] = {ChainVerdict::kDesync,     ChainVerdict::kDiscarded,  ChainVerdict::kRefused,
                                      ChainVerdict::kNormalised, ChainVerdict::kConsistent, ChainVerdict::kNoVerdict};

constexpr std::size_t kForwardedShown = 1024;  // octets of forwarded bytes (and of an echo) kept in a report

// beyond_shown: what a report says after the first kForwardedShown octets
// of something `size` octets long ("" if it showed them all).
std::string beyond_shown(std::size_t size) {
  return size > kForwardedShown ? " ... (" + std::to_string(size) + " octets in all)" : "";
}

std::string cell_name(const ChainCell& cell) { return cell.proxy + " -> " + cell.origin; }

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

// listed: the verdicts a text report details case by case (the rest are counted).
bool listed(ChainVerdict v) { return v != ChainVerdict::kConsistent; }

// detailed: the verdicts shown with their bytes and a reproduce command.
bool detailed(ChainVerdict v) { return v == ChainVerdict::kDesync || v == ChainVerdict::kDiscarded; }

std::string seconds(std::chrono::milliseconds t) {
  const long long ms = t.count();
  return std::to_string(ms / 1000) + "." + std::to_string(ms % 1000 / 100);
}

}  // namespace

ChainResult result_of(const ChainObservation& o, ChainJudgement j) {
  ChainResult r;
  r.verdict = j.verdict;
  r.what = std::move(j.what);
  r.proxy_answered = live::describe(o.client);
  std::string forwarded;
  for (const Tap::Connection& conn : o.upstream) forwarded += conn.to_origin;
  if (!forwarded.empty()) {
    r.forwarded = escape(std::string_view(forwarded).substr(0, kForwardedShown)) + beyond_shown(forwarded.size());
  }
  for (const OriginAnswer& a : o.origin) {
    // An echo holds the whole body: 8 MiB for the largest cases.
    std::string read = a.echo ? a.echo_json.substr(0, kForwardedShown) + beyond_shown(a.echo_json.size())
                              : std::to_string(a.status) + " (error answer)";
    if (a.late) read += " (after the client stopped listening or the proxy closed)";
    r.origin_read.push_back(std::move(read));
  }
  return r;
}

std::size_t ChainCell::count(ChainVerdict v) const {
  return static_cast<std::size_t>(
      std::count_if(results.begin(), results.end(), [v](const ChainResult& r) { return r.verdict == v; }));
}

std::chrono::milliseconds ChainCell::elapsed() const {
  std::chrono::milliseconds sum{0};
  for (const ChainResult& r : results) sum += r.elapsed;
  return sum;
}

std::string reproduce(const ChainCell& cell, const Case& c, const std::string& source) {
  return "conformance/chains/run_chains.sh --proxy=" + cell.proxy + " --origin=" + cell.origin +
         (source == "conformance/cases" || source.empty() ? "" : " --cases=" + source) + " --case='" + c.id + "'";
}

std::string render_chain_text(const ChainReport& report) {
  std::string out = "Proxy chains: " + std::to_string(report.cases.size()) + " cases from " + report.source +
                    (report.generated.empty() ? "" : ", " + report.generated) + "\n";
  for (const auto& [name, about] : report.about) out += "  " + name + ": " + about + "\n";
  out += "\n" + pad("proxy -> origin", 28);
  for (ChainVerdict v : kVerdicts) out += pad(verdict_name(v), 12);
  out += "seconds\n";
  for (const ChainCell& cell : report.cells) {
    out += pad(cell_name(cell), 28);
    for (ChainVerdict v : kVerdicts) out += pad(std::to_string(cell.count(v)), 12);
    out += seconds(cell.elapsed()) + "\n";
  }
  for (ChainVerdict v : kVerdicts) {
    if (!listed(v)) continue;
    bool heading = false;
    for (const ChainCell& cell : report.cells) {
      for (std::size_t i = 0; i < cell.results.size(); ++i) {
        const ChainResult& r = cell.results[i];
        if (r.verdict != v) continue;
        const Case& c = report.cases[i];
        if (!heading) {
          out += std::string("\n== ") + verdict_name(v) + "\n";
          heading = true;
        }
        out += "\n" + cell_name(cell) + "  " + c.id + "  (" + c.section +
               (c.smuggling.empty() ? "" : ", smuggling: " + c.smuggling) + ")\n";
        out += "  " + r.what + "\n";
        if (detailed(v)) {
          out += "  input: " + escape(std::string_view(c.input).substr(0, kForwardedShown)) +
                 beyond_shown(c.input.size()) + "\n";
          out += "  proxy answered: " + r.proxy_answered + "\n";
          out += "  reached the origin: " + r.forwarded + "\n";
          for (const std::string& a : r.origin_read) out += "  origin read: " + a + "\n";
          out += "  reproduce: " + reproduce(cell, c, report.source) + "\n";
        }
      }
    }
  }
  return out;
}

std::string render_chain_json(const ChainReport& report) {
  std::string out = "{\"generated\": " + json_string(report.generated) + ", \"source\": " + json_string(report.source) +
                    ",\n \"about\": {";
  for (std::size_t i = 0; i < report.about.size(); ++i) {
    out += (i ? ", " : "") + json_string(report.about[i].first) + ": " + json_string(report.about[i].second);
  }
  out += "},\n \"cells\": [";
  for (std::size_t k = 0; k < report.cells.size(); ++k) {
    const ChainCell& cell = report.cells[k];
    out += std::string(k ? ",\n" : "\n") + "  {\"proxy\": " + json_string(cell.proxy) +
           ", \"origin\": " + json_string(cell.origin) + ", \"counts\": {";
    for (ChainVerdict v : kVerdicts) {
      out +=
          std::string(v == kVerdicts[0] ? "" : ", ") + "\"" + verdict_name(v) + "\": " + std::to_string(cell.count(v));
    }
    out += "}, \"seconds\": " + seconds(cell.elapsed()) + ",\n   \"results\": [";
    for (std::size_t i = 0; i < cell.results.size(); ++i) {
      const ChainResult& r = cell.results[i];
      const Case& c = report.cases[i];
      out += std::string(i ? ",\n    " : "\n    ") + "{\"case\": " + json_string(c.id) + ", \"verdict\": \"" +
             verdict_name(r.verdict) + "\", \"ms\": " + std::to_string(r.elapsed.count()) +
             ", \"what\": " + json_string(r.what) + ", \"proxy_answered\": " + json_string(r.proxy_answered) +
             ", \"forwarded\": " + json_string(r.forwarded) + ", \"origin_read\": [";
      for (std::size_t a = 0; a < r.origin_read.size(); ++a) out += (a ? ", " : "") + json_string(r.origin_read[a]);
      out += "]";
      if (detailed(r.verdict)) out += ", \"reproduce\": " + json_string(reproduce(cell, c, report.source));
      out += "}";
    }
    out += "]}";
  }
  return out + "\n]}\n";
}

std::string render_chain_html(const ChainReport& report) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>HTTP/1.1 proxy chains</title>\n<style>\n"
      "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}\n"
      "table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top}\n"
      "th{background:#f3f3f3;text-align:left}.matrix thead th{position:sticky;top:0;z-index:1}\n"
      ".consistent{background:#c8ecc8}.normalised{background:#d6e4f7}.refused{background:#fbeaa5}"
      ".desync{background:#f5b5b5;font-weight:bold}.discarded{background:#f7cfa0}.no-verdict{background:#ddd}\n"
      "td.v{text-align:center;min-width:6em}.why{font-size:12px;color:#555;max-width:40em}\n"
      ".tag{font-size:11px;background:#eee;border-radius:3px;padding:0 4px;margin-left:4px}\n"
      "code{font:12px ui-monospace,monospace;white-space:pre-wrap;word-break:break-all}\n"
      "summary{cursor:pointer;font-size:12px;color:#336}.legend span{padding:1px 6px;margin-right:4px}\n"
      "</style>\n</head>\n<body>\n<h1>HTTP/1.1 proxy chains</h1>\n";
  out += "<p>" + std::to_string(report.cases.size()) + " cases from <code>" + html_text(report.source) + "</code>" +
         (report.generated.empty() ? "" : ", " + html_text(report.generated)) +
         ", each sent through a proxy to an echo origin.</p>\n<ul>\n";
  for (const auto& [name, about] : report.about) {
    out += "<li><b>" + html_text(name) + "</b>: " + html_text(about) + "</li>\n";
  }
  out += "</ul>\n<table class=\"summary\">\n<tr><th>proxy &rarr; origin</th>";
  for (ChainVerdict v : kVerdicts) out += std::string("<th>") + verdict_name(v) + "</th>";
  out += "<th>seconds</th></tr>\n";
  for (const ChainCell& cell : report.cells) {
    out += "<tr><td>" + html_text(cell_name(cell)) + "</td>";
    for (ChainVerdict v : kVerdicts) {
      const std::size_t n = cell.count(v);
      out += "<td class=\"" + std::string(n ? verdict_name(v) : "") + "\">" + std::to_string(n) + "</td>";
    }
    out += "<td>" + seconds(cell.elapsed()) + "</td></tr>\n";
  }
  out +=
      "</table>\n<p class=\"legend\"><span class=\"consistent\">consistent</span>the proxy rejected it, or the "
      "origin read the case's requests <span class=\"normalised\">normalised</span>proxy and origin agree on a "
      "request the proxy rewrote <span class=\"discarded\">discarded</span>the origin answered what the proxy "
      "forwarded "
      "whole and the proxy answered the client itself <span class=\"refused\">refused</span>the origin rejected what "
      "the proxy "
      "forwarded <span class=\"desync\">desync</span>the origin read requests the proxy did not send. Hover a "
      "cell for the reason.</p>\n";
  out += "<table class=\"matrix\">\n<thead><tr><th>case</th>";
  for (const ChainCell& cell : report.cells) out += "<th>" + html_text(cell_name(cell)) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (std::size_t i = 0; i < report.cases.size(); ++i) {
    const Case& c = report.cases[i];
    std::string link = rfc_link(c.section);
    out += "<tr id=\"" + html_text(c.id) + "\"><td>" +
           (link.empty() ? html_text(c.id) : "<a href=\"" + html_text(link) + "\">" + html_text(c.id) + "</a>");
    if (!c.smuggling.empty()) out += "<span class=\"tag\">smuggling: " + html_text(c.smuggling) + "</span>";
    out += "<details><summary>input</summary><code>" + html_text(escape(c.input)) + "</code></details></td>";
    for (const ChainCell& cell : report.cells) {
      const ChainResult& r = cell.results[i];
      out += "<td class=\"v " + std::string(verdict_name(r.verdict)) + "\" title=\"" + html_text(r.what) + "\">" +
             verdict_name(r.verdict);
      if (detailed(r.verdict)) {
        out += "<details><summary>details</summary><div class=\"why\">" + html_text(r.what) +
               "</div><code>reached the origin: " + html_text(r.forwarded) + "</code><br><code>" +
               html_text(reproduce(cell, c, report.source)) + "</code></details>";
      }
      out += "</td>";
    }
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n</body>\n</html>\n";
}

}  // namespace shockwave::conformance::chains
