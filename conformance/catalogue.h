#ifndef SHOCKWAVE_CONFORMANCE_CATALOGUE_H_
#define SHOCKWAVE_CONFORMANCE_CATALOGUE_H_

// The requirement catalogue (docs/requirements.md) read as data: its rule
// rows and its smuggling classes, each with the ids of the cases that cover
// it, and the checks that keep the catalogue and conformance/cases/ in step.
//
// The catalogue is Markdown. Only tables whose header is one of these are
// read; every other line is prose:
//
//   | id | source | level | rule | cases |         rules the cases decide
//   | id | source | level | rule | checked by |    rules no request case can decide
//   | # | name | class | what goes wrong | cases |  smuggling classes
//
// A cases cell lists case ids in backticks separated by ", ". A literal
// vertical bar inside a cell is written "\|".

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/case.h"

namespace shockwave::conformance {

struct CatalogueRow {
  std::string id;      // "R-5.1-1"
  std::string source;  // "RFC 9112 §5.1"
  std::string level;   // "MUST", "ABNF + SHOULD", ...
  std::string rule;    // one line
  // True in a "cases" table: the row must have cases, and `cases` lists them.
  // False in a "checked by" table: no case may name the row.
  bool decided_by_cases = false;
  std::vector<std::string> cases;
  int line = 0;  // 1-based line in the catalogue
};

struct CatalogueClass {
  int number = 0;
  std::string name;   // as `smuggling:` spells it, e.g. "CL.TE"
  std::string title;  // SmugglingClass::title
  std::vector<std::string> cases;
  int line = 0;
};

struct Catalogue {
  std::vector<CatalogueRow> rows;
  std::vector<CatalogueClass> classes;
};

// parse_catalogue reads the catalogue's tables; a malformed row is an error
// naming its line.
std::optional<Catalogue> parse_catalogue(std::string_view text, std::string* error);

// check_catalogue returns every disagreement between the catalogue, the cases
// and smuggling_classes(), one message each (empty when they agree):
// a case naming a rule or class the catalogue lacks (or a rule it files under
// "checked by"), a row or class without a case, a cases cell that differs from
// the cases that name the row, a duplicate id, an unknown level, and a class
// table that differs from smuggling_classes().
std::vector<std::string> check_catalogue(const Catalogue& catalogue, std::span<const Case> cases);

// update_catalogue returns `text` with every cases cell rewritten from the
// cases (in case order); everything else is kept byte for byte. Rows and
// classes it cannot invent (a rule id no row has) are left to check_catalogue.
std::optional<std::string> update_catalogue(std::string_view text, std::span<const Case> cases, std::string* error);

// The levels a row may give, alone or joined with " + " (docs/requirements.md).
std::span<const std::string_view> catalogue_levels();

}  // namespace shockwave::conformance

#endif  // SHOCKWAVE_CONFORMANCE_CATALOGUE_H_
