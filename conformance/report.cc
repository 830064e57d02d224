#include "conformance/report.h"

#include <algorithm>
#include <cstdlib>

namespace shockwave::conformance {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// utf8_length: the length of the valid UTF-8 sequence at s[i], or 0.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  std::size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c <= 0xdf ? 2 : 0;
  if (c >= 0xf5 || n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return 0;
  }
  return n;
}

// clean renders text for output: valid UTF-8 stays, other octets and
// controls become \xNN, so reports are always valid UTF-8 whatever an
// implementation said.
std::string clean(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
      ++i;
    } else if (std::size_t n = c >= 0x80 ? utf8_length(s, i) : 0; n > 0) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
      ++i;
    }
  }
  return out;
}

// escape_markup escapes what HTML and XML give meaning in text and in
// quoted attributes; `apostrophe` also escapes ' (XML attributes may use it).
std::string escape_markup(std::string_view s, bool apostrophe) {
  std::string out;
  for (char ch : clean(s)) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        if (apostrophe) {
          out += "&apos;";
          break;
        }
        [[fallthrough]];
      default:
        out += ch;
    }
  }
  return out;
}

// sections lists the cases' sections in order of first appearance, each
// with the indexes of its cases.
std::vector<std::pair<std::string, std::vector<std::size_t>>> sections(const Report& r) {
  std::vector<std::pair<std::string, std::vector<std::size_t>>> out;
  for (std::size_t i = 0; i < r.cases.size(); ++i) {
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& s) { return s.first == r.cases[i].section; });
    if (it == out.end()) {
      out.push_back({r.cases[i].section, {}});
      it = out.end() - 1;
    }
    it->second.push_back(i);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return section_less(a.first, b.first); });
  return out;
}

// by_class lists the smuggling classes the cases name, in the catalogue's
// order, each with the indexes of its cases.
std::vector<std::pair<const SmugglingClass*, std::vector<std::size_t>>> by_class(const Report& r) {
  std::vector<std::pair<const SmugglingClass*, std::vector<std::size_t>>> out;
  for (const SmugglingClass& k : smuggling_classes()) {
    std::vector<std::size_t> indexes;
    for (std::size_t i = 0; i < r.cases.size(); ++i) {
      if (r.cases[i].smuggling == k.name) indexes.push_back(i);
    }
    if (!indexes.empty()) out.push_back({&k, std::move(indexes)});
  }
  return out;
}

// Risk and failure-kind counts of a run's failures.
struct FailureCounts {
  std::map<std::string, int> risks;  // "smuggling", "desync", "none"
  std::map<std::string, int> kinds;  // failure_name
};

FailureCounts failure_counts(const Report& r, const Run& run) {
  FailureCounts f;
  for (const char* risk : {"smuggling", "desync", "none"}) f.risks[risk] = 0;
  for (std::size_t i = 0; i < run.results.size(); ++i) {
    const CaseResult& res = run.results[i];
    if (res.verdict != Verdict::kFail) continue;
    ++f.risks[std::string(failure_risk(r.cases[i], res.failure))];
    ++f.kinds[std::string(failure_name(res.failure))];
  }
  return f;
}

Counts count(const Run& run, const std::vector<std::size_t>& indexes) {
  Counts c;
  for (std::size_t i : indexes) {
    switch (run.results[i].verdict) {
      case Verdict::kPass:
        ++c.pass;
        break;
      case Verdict::kAllowed:
        ++c.allowed;
        break;
      case Verdict::kFail:
        ++c.fail;
        break;
    }
  }
  return c;
}

std::string counts_text(const Counts& c) {
  return std::to_string(c.pass) + " pass, " + std::to_string(c.allowed) + " allowed, " + std::to_string(c.fail) +
         " fail";
}

std::string pad(std::string s, std::size_t width) {
  // Width in characters; "§" is two octets.
  std::size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xc0) != 0x80;
  if (chars < width) s.append(width - chars, ' ');
  return s;
}

// shown_input: the case's input in the cases' notation, cut for the report
// (a few cases carry megabytes; their files have them whole).
std::string shown_input(const Case& c) {
  constexpr std::size_t kMax = 2048;
  std::string e = escape(c.input);
  if (e.size() <= kMax) return e;
  return e.substr(0, kMax) + " ... (" + std::to_string(c.input.size()) + " octets in all: " + c.file + ":" +
         std::to_string(c.line) + ")";
}

}  // namespace

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char ch : clean(s)) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

std::string html_text(std::string_view s) { return escape_markup(s, /*apostrophe=*/false); }

Counts Run::counts() const {
  std::vector<std::size_t> all(results.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  return count(*this, all);
}

namespace {

// judged: the result of one outcome on one case.
CaseResult judged(const Case& c, const ParseOutcome& outcome) {
  CaseResult r;
  if (outcome.error && outcome.error->status == 0) {
    r.verdict = Verdict::kFail;
    r.why = outcome.error->reason;
    r.got = "no outcome";
    r.failure = Failure::kNoOutcome;
    return r;
  }
  r.verdict = judge(c, outcome, &r.why);
  r.got = describe(outcome);
  if (r.verdict == Verdict::kFail) r.failure = classify_failure(c, outcome);
  return r;
}

}  // namespace

CaseResult run_parser_case(ParserAdapter& adapter, const Case& c) { return judged(c, adapter.parse(c.input)); }

CaseResult run_response_case(ResponseAdapter& adapter, const Case& c) {
  return judged(c, adapter.parse(c.input, c.requests));
}

std::string case_level_text(const Report& report, const Case& c) {
  auto it = report.rule_levels.find(c.rule);
  return it == report.rule_levels.end() ? "" : it->second;
}

std::string case_level(const Report& report, const Case& c) { return rfc_level(case_level_text(report, c)); }

bool section_less(std::string_view a, std::string_view b) {
  // "RFC 9112 §6.1" -> {9112, 6, 1}; anything unreadable sorts after, by text.
  auto key = [](std::string_view s) {
    std::vector<long> k;
    std::size_t rfc = s.find("RFC ");
    std::size_t mark = s.find("\xc2\xa7");
    if (rfc == std::string_view::npos || mark == std::string_view::npos) return k;
    k.push_back(std::strtol(std::string(s.substr(rfc + 4)).c_str(), nullptr, 10));
    std::string_view where = s.substr(mark + 2);
    while (!where.empty() && where.front() == ' ') where.remove_prefix(1);
    while (!where.empty() && where.front() >= '0' && where.front() <= '9') {
      std::size_t n = 0;
      long v = 0;
      while (n < where.size() && where[n] >= '0' && where[n] <= '9') v = v * 10 + (where[n++] - '0');
      k.push_back(v);
      where.remove_prefix(n);
      if (!where.starts_with(".")) break;
      where.remove_prefix(1);
    }
    return k;
  };
  const std::vector<long> ka = key(a), kb = key(b);
  if (ka.empty() != kb.empty()) return !ka.empty();
  if (ka != kb) return ka < kb;
  return a < b;
}

std::string expected_text(const Case& c) {
  std::string s = to_string(c.strict);
  std::string also;
  for (const Outcome& o : c.allowed) {
    if (o == c.strict) continue;
    also += (also.empty() ? "" : ", ") + to_string(o);
  }
  if (!also.empty()) s += " (also allowed: " + also + ")";
  return s;
}

std::string rfc_link(std::string_view section) {
  constexpr std::string_view kSection = "\xc2\xa7";  // "§"
  std::size_t rfc = section.find("RFC ");
  std::size_t mark = section.find(kSection);
  if (rfc == std::string_view::npos || mark == std::string_view::npos || mark < rfc) return "";
  std::string_view number = section.substr(rfc + 4);
  number = number.substr(0, number.find_first_not_of("0123456789"));
  std::string_view where = section.substr(mark + kSection.size());
  while (!where.empty() && where.front() == ' ') where.remove_prefix(1);
  where = where.substr(0, where.find_first_not_of("0123456789."));
  while (!where.empty() && where.back() == '.') where.remove_suffix(1);
  if (number.empty() || where.empty() || where.front() == '.') return "";
  return "https://www.rfc-editor.org/rfc/rfc" + std::string(number) + "#section-" + std::string(where);
}

bool passed(const Report& report) {
  return std::all_of(report.runs.begin(), report.runs.end(), [](const Run& r) { return r.new_failures() == 0; });
}

int Run::new_failures() const {
  return static_cast<int>(std::count_if(results.begin(), results.end(), [](const CaseResult& r) {
    return r.verdict == Verdict::kFail && r.known.empty();
  }));
}

std::optional<Baseline> parse_baseline(std::string_view text, std::string* error) {
  std::string ignored;
  if (!error) error = &ignored;
  Baseline out;
  int n = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++n;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    const std::string where = "line " + std::to_string(n) + ": ";
    const std::size_t sp1 = line.find_first_of(" \t");
    const std::string_view id = line.substr(0, sp1);
    std::string_view rest = sp1 == std::string_view::npos ? std::string_view() : line.substr(sp1);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
    const std::size_t sp2 = rest.find_first_of(" \t");
    const std::optional<Verdict> v = parse_verdict(rest.substr(0, sp2));
    std::string_view reason = sp2 == std::string_view::npos ? std::string_view() : rest.substr(sp2);
    while (!reason.empty() && (reason.front() == ' ' || reason.front() == '\t')) reason.remove_prefix(1);
    while (!reason.empty() && (reason.back() == ' ' || reason.back() == '\t')) reason.remove_suffix(1);
    if (!v || *v == Verdict::kPass) {
      *error = where + "expected \"<case id> allowed|fail <reason>\"";
      return std::nullopt;
    }
    if (reason.empty()) {
      *error = where + std::string(id) + ": a known deviation needs a reason";
      return std::nullopt;
    }
    if (!out.emplace(std::string(id), BaselineEntry{*v, std::string(reason), n}).second) {
      *error = where + std::string(id) + " listed twice";
      return std::nullopt;
    }
  }
  return out;
}

std::string format_baseline(const Report& report, const Run& run, std::string_view reason_prefix) {
  std::string out = "# httpconform baseline for \"" + run.name +
                    "\": known deviations, one a line: <case id> <allowed|fail> <reason>.\n"
                    "# A case listed here may get that verdict (or a better one) without failing the run.\n"
                    "# Replace each reason with why the deviation is accepted before checking this in.\n";
  for (std::size_t i = 0; i < run.results.size(); ++i) {
    const CaseResult& r = run.results[i];
    if (r.verdict != Verdict::kFail) continue;
    out += report.cases[i].id + " fail " + std::string(reason_prefix) + clean(r.got) + "\n";
  }
  return out;
}

void apply_baseline(const Report& report, const Baseline& baseline, Run& run) {
  run.stale.clear();
  for (std::size_t i = 0; i < run.results.size() && i < report.cases.size(); ++i) {
    CaseResult& r = run.results[i];
    auto it = baseline.find(report.cases[i].id);
    if (it == baseline.end()) continue;
    if (r.verdict == Verdict::kFail && it->second.verdict == Verdict::kFail) r.known = it->second.reason;
    if (static_cast<int>(r.verdict) < static_cast<int>(it->second.verdict)) {
      run.stale.push_back(report.cases[i].id + ": listed as " + std::string(verdict_name(it->second.verdict)) +
                          " (line " + std::to_string(it->second.line) + "), now " +
                          std::string(verdict_name(r.verdict)));
    }
  }
}

std::vector<std::string> unknown_baseline_ids(const Baseline& baseline, const std::vector<std::string>& case_ids) {
  std::vector<std::string> out;
  for (const auto& [id, entry] : baseline) {
    if (std::find(case_ids.begin(), case_ids.end(), id) == case_ids.end()) {
      out.push_back("line " + std::to_string(entry.line) + ": " + id);
    }
  }
  return out;
}

std::string render_text(const Report& report) {
  std::string out = "httpconform: " + std::to_string(report.cases.size()) + " cases from " + report.source +
                    (report.generated.empty() ? "" : ", " + report.generated) + "\n";
  const auto secs = sections(report);
  const auto classes = by_class(report);
  for (const Run& run : report.runs) {
    out += "\n== " + run.name + " (" + run.kind + "): " + counts_text(run.counts()) + "\n";
    if (const int known = run.counts().fail - run.new_failures(); known > 0 || !run.stale.empty()) {
      out += "  baseline: " + std::to_string(known) + " known deviation(s), " + std::to_string(run.new_failures()) +
             " new failure(s)\n";
      for (const std::string& s : run.stale) out += "  baseline line to remove: " + clean(s) + "\n";
    }
    out += "  by RFC section:\n";
    for (const auto& [section, indexes] : secs) {
      out += "    " + pad(section, 22) + counts_text(count(run, indexes)) + "\n";
    }
    if (!classes.empty()) out += "  by smuggling class:\n";
    for (const auto& [k, indexes] : classes) {
      out += "    " + pad(std::to_string(k->number) + " " + std::string(k->name), 30) +
             counts_text(count(run, indexes)) + "\n";
    }
    const FailureCounts f = failure_counts(report, run);
    if (run.counts().fail > 0) {
      out += "  failures by risk: smuggling " + std::to_string(f.risks.at("smuggling")) + ", desync " +
             std::to_string(f.risks.at("desync")) + ", none " + std::to_string(f.risks.at("none")) + "; by kind:";
      bool first = true;
      for (const auto& [kind, n] : f.kinds) {
        out += std::string(first ? " " : ", ") + kind + " " + std::to_string(n);
        first = false;
      }
      out += "\n";
    }
    for (std::size_t i = 0; i < report.cases.size(); ++i) {
      const CaseResult& r = run.results[i];
      if (r.verdict != Verdict::kFail) continue;
      const Case& c = report.cases[i];
      const std::string level = case_level(report, c);
      const std::string_view risk = failure_risk(c, r.failure);
      out += std::string(r.known.empty() ? "  FAIL " : "  KNOWN ") + c.id + "  (" + c.file + ":" +
             std::to_string(c.line) + ")\n";
      if (!r.known.empty()) out += "       baseline: " + clean(r.known) + "\n";
      out += "       severity: " + (level.empty() ? std::string("level unknown") : level) + ", " +
             std::string(failure_name(r.failure)) + ", risk " + std::string(risk) +
             (c.smuggling.empty() ? "" : " (smuggling class " + c.smuggling + ")") + "\n";
      out += "       section:  " + clean(c.section) + (c.rule.empty() ? "" : ", " + c.rule) + "\n";
      out += "       input:    " + clean(shown_input(c)) + "\n";
      out += "       rationale: " + clean(c.why) + "\n";
      out += "       expected: " + clean(expected_text(c)) + "\n";
      out += "       got:      " + clean(r.got) + "\n";
      if (!r.why.empty()) out += "       differs:  " + clean(r.why) + "\n";
    }
  }
  out += "\n";
  for (const Run& run : report.runs) {
    const int fresh = run.new_failures(), known = run.counts().fail - fresh;
    out += pad(run.name, 32) + " " + counts_text(run.counts()) +
           (known > 0 ? " (" + std::to_string(known) + " known)" : "") + (fresh == 0 ? "  OK\n" : "  FAILED\n");
  }
  return out;
}

std::string render_json(const Report& report) {
  std::string out = "{\"generated\": " + json_string(report.generated) + ", \"source\": " + json_string(report.source);
  out += ",\n \"cases\": [";
  for (std::size_t i = 0; i < report.cases.size(); ++i) {
    const Case& c = report.cases[i];
    out += i ? ",\n  " : "\n  ";
    out += "{\"id\": " + json_string(c.id) + ", \"section\": " + json_string(c.section) +
           ", \"link\": " + json_string(rfc_link(c.section)) + ", \"rule\": " + json_string(c.rule) +
           ", \"level\": " + json_string(case_level(report, c)) +
           ", \"level_text\": " + json_string(case_level_text(report, c)) +
           ", \"smuggling\": " + json_string(c.smuggling) + ", \"why\": " + json_string(c.why) +
           ", \"expected\": " + json_string(expected_text(c)) + ", \"input\": " + json_string(shown_input(c)) + "}";
  }
  out += "],\n \"runs\": [";
  for (std::size_t k = 0; k < report.runs.size(); ++k) {
    const Run& run = report.runs[k];
    Counts n = run.counts();
    out += k ? ",\n  " : "\n  ";
    out += "{\"name\": " + json_string(run.name) + ", \"kind\": " + json_string(run.kind) +
           ", \"counts\": {\"pass\": " + std::to_string(n.pass) + ", \"allowed\": " + std::to_string(n.allowed) +
           ", \"fail\": " + std::to_string(n.fail) + "}, \"new_failures\": " + std::to_string(run.new_failures());
    const FailureCounts f = failure_counts(report, run);
    out += ", \"risks\": {";
    bool first = true;
    for (const auto& [risk, k] : f.risks) {
      out += (first ? "" : ", ") + json_string(risk) + ": " + std::to_string(k);
      first = false;
    }
    out += "}, \"failures\": {";
    first = true;
    for (const auto& [kind, k] : f.kinds) {
      out += (first ? "" : ", ") + json_string(kind) + ": " + std::to_string(k);
      first = false;
    }
    out += "},\n   \"by_section\": [";
    first = true;
    for (const auto& [section, indexes] : sections(report)) {
      Counts s = count(run, indexes);
      out += std::string(first ? "" : ", ") + "{\"section\": " + json_string(section) +
             ", \"pass\": " + std::to_string(s.pass) + ", \"allowed\": " + std::to_string(s.allowed) +
             ", \"fail\": " + std::to_string(s.fail) + "}";
      first = false;
    }
    out += "],\n   \"by_smuggling\": [";
    first = true;
    for (const auto& [k, indexes] : by_class(report)) {
      Counts s = count(run, indexes);
      out += std::string(first ? "" : ", ") + "{\"class\": " + json_string(k->name) +
             ", \"number\": " + std::to_string(k->number) + ", \"pass\": " + std::to_string(s.pass) +
             ", \"allowed\": " + std::to_string(s.allowed) + ", \"fail\": " + std::to_string(s.fail) + "}";
      first = false;
    }
    out += "],\n   \"results\": [";
    for (std::size_t i = 0; i < run.results.size(); ++i) {
      const CaseResult& r = run.results[i];
      out += i ? ",\n    " : "\n    ";
      out += "{\"id\": " + json_string(report.cases[i].id) + ", \"verdict\": " + json_string(verdict_name(r.verdict)) +
             ", \"why\": " + json_string(r.why) + ", \"got\": " + json_string(r.got) +
             ", \"failure\": " + json_string(failure_name(r.failure)) +
             ", \"risk\": " + json_string(failure_risk(report.cases[i], r.failure)) +
             (r.known.empty() ? "" : ", \"known\": " + json_string(r.known)) + "}";
    }
    out += "]}";
  }
  out += "],\n \"passed\": ";
  out += passed(report) ? "true" : "false";
  out += "}\n";
  return out;
}

std::string xml(std::string_view s) { return escape_markup(s, /*apostrophe=*/true); }

std::string render_junit(const Report& report) {
  int tests = 0, failures = 0, skipped = 0;
  for (const Run& run : report.runs) {
    tests += static_cast<int>(run.results.size());
    failures += run.new_failures();
    skipped += run.counts().fail - run.new_failures();
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"httpconform\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
         std::to_string(failures) + "\" errors=\"0\" skipped=\"" + std::to_string(skipped) + "\">\n";
  for (const Run& run : report.runs) {
    const int fresh = run.new_failures();
    std::string suite = run.name;
    for (char& ch : suite) {
      if (ch == '.') ch = '_';  // a dot in a classname starts a package
    }
    out += "  <testsuite name=\"" + xml(run.name) + "\" tests=\"" + std::to_string(run.results.size()) +
           "\" failures=\"" + std::to_string(fresh) + "\" errors=\"0\" skipped=\"" +
           std::to_string(run.counts().fail - fresh) + "\" time=\"0\"" +
           (report.generated.empty() ? "" : " timestamp=\"" + xml(report.generated) + "\"") + ">\n";
    out += "    <properties>\n      <property name=\"kind\" value=\"" + xml(run.kind) +
           "\"/>\n      <property name=\"cases\" value=\"" + xml(report.source) + "\"/>\n    </properties>\n";
    for (std::size_t i = 0; i < run.results.size() && i < report.cases.size(); ++i) {
      const Case& c = report.cases[i];
      const CaseResult& r = run.results[i];
      const std::size_t slash = c.id.find('/');
      const std::string stem = slash == std::string::npos ? "cases" : c.id.substr(0, slash);
      std::string file_stem = stem;
      for (char& ch : file_stem) {
        if (ch == '.') ch = '_';
      }
      const std::string name = slash == std::string::npos ? c.id : c.id.substr(slash + 1);
      out += "    <testcase classname=\"" + xml(suite + "." + file_stem) + "\" name=\"" + xml(name) + "\" time=\"0\"";
      if (r.verdict != Verdict::kFail) {
        out += "/>\n";
        continue;
      }
      out += ">\n";
      if (!r.known.empty()) {
        out += "      <skipped message=\"known deviation: " + xml(r.known) + "\"/>\n";
      } else {
        const std::string level = case_level(report, c);
        auto line = [](std::string_view label, const std::string& value) { return xml(label) + xml(value) + "\n"; };
        out += "      <failure type=\"" + xml(failure_name(r.failure)) + "\" message=\"" +
               xml(r.why.empty() ? r.got : r.why) + "\">";
        out += line("case:      ", c.id + " (" + c.file + ":" + std::to_string(c.line) + ")");
        out += line("severity:  ", (level.empty() ? std::string("level unknown") : level) + ", " +
                                       std::string(failure_name(r.failure)) + ", risk " +
                                       std::string(failure_risk(c, r.failure)) +
                                       (c.smuggling.empty() ? "" : " (smuggling class " + c.smuggling + ")"));
        out += line("section:   ", c.section + (c.rule.empty() ? "" : ", " + c.rule) + " " + rfc_link(c.section));
        out += line("input:     ", shown_input(c));
        out += line("rationale: ", c.why);
        out += line("expected:  ", expected_text(c));
        out += line("got:       ", r.got);
        out += "</failure>\n";
      }
      out += "    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

std::string render_html(const Report& report) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>HTTP/1.1 conformance (RFC 9112)</title>\n<style>\n"
      "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}\n"
      "table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top}\n"
      "th{background:#f3f3f3;text-align:left}\n"
      ".matrix thead th{position:sticky;top:0;z-index:1}\n"
      ".section th{background:#e4e9f2}.section td{background:#e4e9f2;font-size:12px;white-space:nowrap}\n"
      ".pass{background:#c8ecc8}.allowed{background:#fbeaa5}.fail{background:#f5b5b5}\n"
      "td.pass,td.allowed,td.fail{text-align:center;min-width:6em}\n"
      ".got{font-size:11px;color:#444;text-align:left;max-width:22em}\n"
      ".why{font-size:12px;color:#555;max-width:40em}.tag{font-size:11px;background:#eee;border-radius:3px;"
      "padding:0 4px;margin-left:4px}\n"
      "code{font:12px ui-monospace,monospace;white-space:pre-wrap;word-break:break-all}\n"
      "summary{cursor:pointer;font-size:12px;color:#336}\n"
      ".legend span{padding:1px 6px;margin-right:4px}\n"
      "</style>\n</head>\n<body>\n<h1>HTTP/1.1 conformance (RFC 9112)</h1>\n";
  out += "<p>" + std::to_string(report.cases.size()) + " cases from <code>" + html_text(report.source) + "</code>" +
         (report.generated.empty() ? "" : ", " + html_text(report.generated)) + ".</p>\n";
  out +=
      "<table class=\"summary\">\n<tr><th>implementation</th><th>kind</th><th>pass</th><th>allowed</th>"
      "<th>fail</th></tr>\n";
  for (const Run& run : report.runs) {
    Counts n = run.counts();
    out += "<tr><td>" + html_text(run.name) + "</td><td>" + html_text(run.kind) + "</td><td class=\"pass\">" +
           std::to_string(n.pass) + "</td><td class=\"allowed\">" + std::to_string(n.allowed) + "</td><td class=\"" +
           (n.fail ? "fail" : "pass") + "\">" + std::to_string(n.fail) + "</td></tr>\n";
  }
  out +=
      "</table>\n<p class=\"legend\"><span class=\"pass\">pass</span>the outcome the strict profile takes "
      "<span class=\"allowed\">allowed</span>another outcome the RFC allows "
      "<span class=\"fail\">fail</span>an outcome the RFC does not allow. Hover a cell for the reason.</p>\n";

  out += "<table class=\"matrix\">\n<thead><tr><th>case</th><th>expected</th>";
  for (const Run& run : report.runs) out += "<th>" + html_text(run.name) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& [section, indexes] : sections(report)) {
    std::string link = rfc_link(section);
    out += "<tr class=\"section\"><th colspan=\"2\">" +
           (link.empty() ? html_text(section) : "<a href=\"" + html_text(link) + "\">" + html_text(section) + "</a>") +
           "</th>";
    for (const Run& run : report.runs) {
      Counts n = count(run, indexes);
      out += "<td>" + std::to_string(n.pass) + " / " + std::to_string(n.allowed) + " / " + std::to_string(n.fail) +
             "</td>";
    }
    out += "</tr>\n";
    for (std::size_t i : indexes) {
      const Case& c = report.cases[i];
      std::string case_link = rfc_link(c.section);
      out += "<tr id=\"" + html_text(c.id) + "\"><td>";
      out +=
          case_link.empty() ? html_text(c.id) : "<a href=\"" + html_text(case_link) + "\">" + html_text(c.id) + "</a>";
      if (!c.rule.empty()) out += "<span class=\"tag\">" + html_text(c.rule) + "</span>";
      if (std::string level = case_level(report, c); !level.empty()) {
        out += "<span class=\"tag\">" + html_text(level) + "</span>";
      }
      if (!c.smuggling.empty()) out += "<span class=\"tag\">smuggling: " + html_text(c.smuggling) + "</span>";
      out += "<div class=\"why\">" + html_text(c.why) + "</div>";
      out += "<details><summary>input</summary><code>" + html_text(shown_input(c)) + "</code></details></td>";
      out += "<td>" + html_text(expected_text(c)) + "</td>";
      for (const Run& run : report.runs) {
        const CaseResult& r = run.results[i];
        std::string name(verdict_name(r.verdict));
        std::string title = r.got + (r.why.empty() ? "" : " \xe2\x80\x94 " + r.why);
        out += "<td class=\"" + name + "\" title=\"" + html_text(title) + "\">" + name;
        if (r.verdict != Verdict::kPass) out += "<div class=\"got\">" + html_text(r.got) + "</div>";
        if (r.verdict == Verdict::kFail) {
          out += "<div class=\"got\">" + html_text(failure_name(r.failure)) + ", risk " +
                 html_text(failure_risk(c, r.failure)) + "</div>";
        }
        out += "</td>";
      }
      out += "</tr>\n";
    }
  }
  out += "</tbody>\n</table>\n</body>\n</html>\n";
  return out;
}

}  // namespace shockwave::conformance
