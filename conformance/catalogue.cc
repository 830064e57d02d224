#include "conformance/catalogue.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

namespace shockwave::conformance {
namespace {

using std::string;
using std::string_view;

constexpr string_view kLevels[] = {"MUST",        "MUST NOT", "SHOULD", "SHOULD NOT", "MAY",
                                   "RECOMMENDED", "ABNF",     "DEF",    "GUIDANCE"};

enum class Table { kNone, kOther, kRules, kChecked, kClasses };

string_view trim(string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Bars returns the offsets of the unescaped '|' in a table line.
std::vector<std::size_t> bars(string_view line) {
  std::vector<std::size_t> at;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      ++i;
    } else if (line[i] == '|') {
      at.push_back(i);
    }
  }
  return at;
}

// Cells splits "| a | b |" into {"a", "b"} (trimmed); false when the line
// does not start and end with a bar.
bool cells(string_view line, std::vector<string_view>* out) {
  line = trim(line);
  const std::vector<std::size_t> at = bars(line);
  if (at.size() < 2 || at.front() != 0 || at.back() != line.size() - 1) return false;
  out->clear();
  for (std::size_t i = 0; i + 1 < at.size(); ++i) out->push_back(trim(line.substr(at[i] + 1, at[i + 1] - at[i] - 1)));
  return true;
}

string unescape(string_view s) {
  string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '|') continue;
    out += s[i];
  }
  return out;
}

bool is_separator(const std::vector<string_view>& c) {
  return std::all_of(c.begin(), c.end(),
                     [](string_view s) { return !s.empty() && s.find_first_not_of("-: ") == string_view::npos; });
}

Table table_of(const std::vector<string_view>& h) {
  const std::vector<string_view> rules = {"id", "source", "level", "rule", "cases"};
  const std::vector<string_view> checked = {"id", "source", "level", "rule", "checked by"};
  const std::vector<string_view> classes = {"#", "name", "class", "what goes wrong", "cases"};
  if (h == rules) return Table::kRules;
  if (h == checked) return Table::kChecked;
  if (h == classes) return Table::kClasses;
  return Table::kOther;
}

// R-<section>-<n>: section = digits with dots between, n = digits.
bool is_rule_id(string_view s) {
  if (!s.starts_with("R-")) return false;
  s.remove_prefix(2);
  const std::size_t dash = s.rfind('-');
  if (dash == string_view::npos || dash == 0 || dash + 1 == s.size()) return false;
  const string_view section = s.substr(0, dash), n = s.substr(dash + 1);
  if (n.find_first_not_of("0123456789") != string_view::npos) return false;
  if (section.find_first_not_of("0123456789.") != string_view::npos) return false;
  return section.front() != '.' && section.back() != '.' && section.find("..") == string_view::npos;
}

// case_list reads "`a`, `b`" (or nothing).
bool case_list(string_view cell, std::vector<string>* out) {
  out->clear();
  if (cell.empty()) return true;
  for (;;) {
    const std::size_t comma = cell.find(',');
    const string_view item = trim(cell.substr(0, comma));
    if (item.size() < 3 || item.front() != '`' || item.back() != '`') return false;
    const string_view id = item.substr(1, item.size() - 2);
    if (id.find('`') != string_view::npos || id.find(' ') != string_view::npos) return false;
    out->emplace_back(id);
    if (comma == string_view::npos) return true;
    cell.remove_prefix(comma + 1);
  }
}

string at_line(int line) { return "line " + std::to_string(line) + ": "; }

// Each line of `text` without its '\n'; `newline` says whether the text
// ends with one.
std::vector<string_view> lines_of(string_view text) {
  std::vector<string_view> lines;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    lines.push_back(text.substr(0, nl));
    if (nl == string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

// The cases that name each rule and each smuggling class, in case order.
struct Citations {
  std::map<string, std::vector<string>> rules, classes;
};

Citations citations(std::span<const Case> cases) {
  Citations c;
  for (const Case& k : cases) {
    if (!k.rule.empty()) c.rules[k.rule].push_back(k.id);
    if (!k.smuggling.empty()) c.classes[k.smuggling].push_back(k.id);
  }
  return c;
}

string format_list(const std::vector<string>& ids) {
  string s;
  for (const string& id : ids) s += (s.empty() ? "`" : ", `") + id + "`";
  return s;
}

// compare_lists reports how `listed` differs from `actual` for one row.
void compare_lists(const string& where, const std::vector<string>& listed, const std::vector<string>& actual,
                   std::vector<string>* problems) {
  std::set<string> seen;
  for (const string& id : listed) {
    if (!seen.insert(id).second) problems->push_back(where + "case " + id + " is listed twice");
  }
  const std::set<string> want(actual.begin(), actual.end());
  for (const string& id : actual) {
    if (!seen.count(id)) problems->push_back(where + "case " + id + " names it but is not listed");
  }
  for (const string& id : seen) {
    if (!want.count(id)) problems->push_back(where + "lists " + id + ", which does not name it (or does not exist)");
  }
}

}  // namespace

std::span<const std::string_view> catalogue_levels() { return kLevels; }

std::optional<Catalogue> parse_catalogue(std::string_view text, std::string* error) {
  Catalogue catalogue;
  Table table = Table::kNone;
  bool header = false;  // the previous line was a table header
  int n = 0;
  std::vector<string_view> c;
  for (string_view raw : lines_of(text)) {
    ++n;
    const string_view line = trim(raw);
    if (!line.starts_with("|")) {
      table = Table::kNone;
      continue;
    }
    if (!cells(line, &c)) {
      *error = at_line(n) + "a table line must start and end with '|'";
      return std::nullopt;
    }
    if (table == Table::kNone) {
      table = table_of(c);
      header = true;
      continue;
    }
    if (header) {
      header = false;
      if (is_separator(c)) continue;
    }
    if (table == Table::kOther) continue;
    if (c.size() != 5) {
      *error = at_line(n) + "expected 5 cells, found " + std::to_string(c.size());
      return std::nullopt;
    }
    if (table == Table::kClasses) {
      CatalogueClass k;
      k.line = n;
      const string_view num = c[0];
      auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), k.number);
      if (ec != std::errc() || end != num.data() + num.size() || k.number <= 0) {
        *error = at_line(n) + "expected a class number, found \"" + string(num) + "\"";
        return std::nullopt;
      }
      if (c[1].size() < 3 || c[1].front() != '`' || c[1].back() != '`') {
        *error = at_line(n) + "expected the class name in backticks";
        return std::nullopt;
      }
      k.name = string(c[1].substr(1, c[1].size() - 2));
      k.title = unescape(c[2]);
      if (!case_list(c[4], &k.cases)) {
        *error = at_line(n) + "cases: expected `id`, `id`, ...";
        return std::nullopt;
      }
      catalogue.classes.push_back(std::move(k));
      continue;
    }
    CatalogueRow row;
    row.line = n;
    row.id = string(c[0]);
    if (!is_rule_id(row.id)) {
      *error = at_line(n) + "expected a rule id such as R-5.1-1, found \"" + row.id + "\"";
      return std::nullopt;
    }
    row.source = unescape(c[1]);
    row.level = unescape(c[2]);
    row.rule = unescape(c[3]);
    row.decided_by_cases = table == Table::kRules;
    if (row.decided_by_cases && !case_list(c[4], &row.cases)) {
      *error = at_line(n) + row.id + ": cases: expected `id`, `id`, ...";
      return std::nullopt;
    }
    catalogue.rows.push_back(std::move(row));
  }
  return catalogue;
}

std::vector<std::string> check_catalogue(const Catalogue& catalogue, std::span<const Case> cases) {
  std::vector<string> problems;
  const Citations cited = citations(cases);

  std::map<string, const CatalogueRow*> rows;
  for (const CatalogueRow& row : catalogue.rows) {
    const string where = at_line(row.line) + row.id + ": ";
    if (!rows.emplace(row.id, &row).second) problems.push_back(where + "a second row with this id");
    if (!row.source.starts_with("RFC 9112 §") && !row.source.starts_with("RFC 9110 §")) {
      problems.push_back(where + "source \"" + row.source + "\" does not start with \"RFC 9112 §\" or \"RFC 9110 §\"");
    }
    string_view level = row.level;
    for (;;) {
      const std::size_t plus = level.find(" + ");
      const string_view part = level.substr(0, plus);
      if (std::find(std::begin(kLevels), std::end(kLevels), part) == std::end(kLevels)) {
        problems.push_back(where + "unknown level \"" + string(part) + "\"");
      }
      if (plus == string_view::npos) break;
      level.remove_prefix(plus + 3);
    }
    if (row.rule.empty()) problems.push_back(where + "no rule text");
    auto it = cited.rules.find(row.id);
    if (!row.decided_by_cases) continue;  // a case naming it is reported below
    if (it == cited.rules.end()) {
      problems.push_back(where + "no case names this rule");
      continue;
    }
    compare_lists(where, row.cases, it->second, &problems);
  }
  for (const Case& k : cases) {
    if (k.rule.empty()) continue;
    auto it = rows.find(k.rule);
    if (it == rows.end()) {
      problems.push_back("case " + k.id + " names rule " + k.rule + ", which has no row in the catalogue");
    } else if (!it->second->decided_by_cases) {
      problems.push_back("case " + k.id + " names rule " + k.rule +
                         ", which the catalogue files under \"checked by\" (no request case decides it)");
    }
  }

  // Classes: the same list as smuggling_classes(), and the cases of each.
  const std::span<const SmugglingClass> known = smuggling_classes();
  std::set<string> listed;
  for (const CatalogueClass& k : catalogue.classes) {
    const string where = at_line(k.line) + "class " + std::to_string(k.number) + " " + k.name + ": ";
    if (!listed.insert(k.name).second) problems.push_back(where + "a second row with this name");
    auto same = std::find_if(known.begin(), known.end(), [&](const SmugglingClass& s) { return s.name == k.name; });
    if (same == known.end()) {
      problems.push_back(where + "not a class of smuggling_classes() (conformance/case.cc)");
    } else if (same->number != k.number || same->title != k.title) {
      problems.push_back(where + "smuggling_classes() has it as " + std::to_string(same->number) + " \"" +
                         string(same->title) + "\"");
    }
    auto it = cited.classes.find(k.name);
    if (it == cited.classes.end()) {
      problems.push_back(where + "no case carries this class");
      continue;
    }
    compare_lists(where, k.cases, it->second, &problems);
  }
  for (const SmugglingClass& s : known) {
    if (!listed.count(string(s.name))) {
      problems.push_back("smuggling class " + std::to_string(s.number) + " " + string(s.name) +
                         " has no row in the catalogue");
    }
  }
  for (const auto& [name, ids] : cited.classes) {
    if (!listed.count(name)) {
      problems.push_back("case " + ids.front() + " carries smuggling class " + name + ", which the catalogue lacks");
    }
  }
  return problems;
}

std::optional<std::string> update_catalogue(std::string_view text, std::span<const Case> cases, std::string* error) {
  if (!parse_catalogue(text, error)) return std::nullopt;
  const Citations cited = citations(cases);
  string out;
  Table table = Table::kNone;
  bool header = false;
  std::vector<string_view> c;
  const std::vector<string_view> lines = lines_of(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const string_view raw = lines[i];
    const bool last = i + 1 == lines.size();
    const string newline = last && !text.ends_with('\n') ? "" : "\n";
    const string_view line = trim(raw);
    bool data_row = false;
    if (!line.starts_with("|")) {
      table = Table::kNone;
    } else {
      cells(line, &c);  // parse_catalogue accepted every table line
      if (table == Table::kNone) {
        table = table_of(c);
        header = true;
      } else if (header && is_separator(c)) {
        header = false;
      } else {
        header = false;
        data_row = table == Table::kRules || table == Table::kClasses;
      }
    }
    if (!data_row) {
      out += string(raw) + newline;
      continue;
    }
    string key = string(c[table == Table::kRules ? 0 : 1]);
    if (table == Table::kClasses) key = key.substr(1, key.size() - 2);
    const auto& index = table == Table::kRules ? cited.rules : cited.classes;
    auto it = index.find(key);
    const string list = it == index.end() ? "" : format_list(it->second);
    // Replace the last cell of the line as written.
    const std::vector<std::size_t> at = bars(raw);
    const std::size_t from = at[at.size() - 2], to = at.back();
    out += string(raw.substr(0, from + 1)) + " " + list + " " + string(raw.substr(to)) + newline;
  }
  return out;
}

}  // namespace shockwave::conformance
