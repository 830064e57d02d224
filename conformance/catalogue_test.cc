// The requirement catalogue (docs/requirements.md) against the cases: every
// rule id and smuggling class a case names has a row, every row has a case,
// and each row's cases column lists exactly the cases that name it. Fix a
// stale column with `./bazelw run //conformance:update_catalogue`.

#include "conformance/catalogue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "conformance/case.h"
#include "conformance/case_suite.h"

namespace shockwave::conformance {
namespace {

// ---------------------------------------------------------------------------
// The checks, on a small catalogue: each way the catalogue and the cases can
// disagree is reported.

Case MakeCase(std::string id, std::string rule, std::string smuggling = "") {
  Case c;
  c.id = std::move(id);
  c.rule = std::move(rule);
  c.smuggling = std::move(smuggling);
  c.file = "t.cases";
  c.line = 1;
  return c;
}

// A catalogue that agrees with Cases(): R-1-1 decided by a/one and a/two,
// R-1-2 checked elsewhere, and every smuggling class carried by one case.
std::string Text() {
  std::string text =
      "# Catalogue\n\n"
      "| id | source | level | rule | cases |\n"
      "|---|---|---|---|---|\n"
      "| R-1-1 | RFC 9112 §1 | ABNF + SHOULD | a rule with a \\| bar | `a/one`, `a/two` |\n"
      "\n"
      "| id | source | level | rule | checked by |\n"
      "|---|---|---|---|---|\n"
      "| R-1-2 | RFC 9110 §1 | MUST NOT | a server rule | `//server:x_test` |\n"
      "\n"
      "| # | name | class | what goes wrong | cases |\n"
      "|---|---|---|---|---|\n";
  for (const SmugglingClass& s : smuggling_classes()) {
    text += "| " + std::to_string(s.number) + " | `" + std::string(s.name) + "` | " + std::string(s.title) +
            " | text | `s/" + std::string(s.name) + "` |\n";
  }
  return text;
}

std::vector<Case> Cases() {
  std::vector<Case> cases = {MakeCase("a/one", "R-1-1"), MakeCase("a/two", "R-1-1"), MakeCase("a/none", "")};
  for (const SmugglingClass& s : smuggling_classes()) {
    cases.push_back(MakeCase("s/" + std::string(s.name), "", std::string(s.name)));
  }
  return cases;
}

std::vector<std::string> Problems(const std::string& text, const std::vector<Case>& cases) {
  std::string error;
  auto catalogue = parse_catalogue(text, &error);
  EXPECT_TRUE(catalogue.has_value()) << error;
  if (!catalogue) return {"did not parse: " + error};
  return check_catalogue(*catalogue, cases);
}

// Reports is true when one problem contains `what`.
::testing::AssertionResult Reports(const std::vector<std::string>& problems, const std::string& what) {
  for (const std::string& p : problems) {
    if (p.find(what) != std::string::npos) return ::testing::AssertionSuccess();
  }
  std::string all;
  for (const std::string& p : problems) all += "\n  " + p;
  return ::testing::AssertionFailure() << "no problem mentions \"" << what << "\"; problems:" << all;
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(ParseCatalogue, ReadsTheThreeKindsOfTable) {
  std::string error;
  auto catalogue = parse_catalogue(Text(), &error);
  ASSERT_TRUE(catalogue.has_value()) << error;
  ASSERT_EQ(catalogue->rows.size(), 2u);
  const CatalogueRow& r = catalogue->rows[0];
  EXPECT_EQ(r.id, "R-1-1");
  EXPECT_EQ(r.source, "RFC 9112 §1");
  EXPECT_EQ(r.level, "ABNF + SHOULD");
  EXPECT_EQ(r.rule, "a rule with a | bar");
  EXPECT_TRUE(r.decided_by_cases);
  EXPECT_EQ(r.cases, (std::vector<std::string>{"a/one", "a/two"}));
  EXPECT_EQ(r.line, 5);
  EXPECT_FALSE(catalogue->rows[1].decided_by_cases);
  EXPECT_EQ(catalogue->classes.size(), smuggling_classes().size());
  EXPECT_EQ(catalogue->classes[0].name, "CL.TE");
  EXPECT_EQ(catalogue->classes[0].cases, std::vector<std::string>{"s/CL.TE"});
}

TEST(ParseCatalogue, MalformedRowsNameTheirLine) {
  std::string error;
  EXPECT_FALSE(parse_catalogue(Replace(Text(), "| R-1-1 |", "| R-1.x |"), &error));
  EXPECT_EQ(error, "line 5: expected a rule id such as R-5.1-1, found \"R-1.x\"");
  EXPECT_FALSE(parse_catalogue(Replace(Text(), "`a/one`, `a/two`", "a/one a/two"), &error));
  EXPECT_EQ(error, "line 5: R-1-1: cases: expected `id`, `id`, ...");
  EXPECT_FALSE(parse_catalogue(Replace(Text(), " | `a/one`", " `a/one`"), &error));
  EXPECT_EQ(error, "line 5: expected 5 cells, found 4");
}

TEST(CheckCatalogue, AgreementIsSilent) { EXPECT_EQ(Problems(Text(), Cases()), std::vector<std::string>{}); }

TEST(CheckCatalogue, ACaseNamingAnUnknownRuleFails) {
  std::vector<Case> cases = Cases();
  cases.push_back(MakeCase("a/bogus", "R-9.9-9"));
  EXPECT_TRUE(Reports(Problems(Text(), cases), "case a/bogus names rule R-9.9-9, which has no row in the catalogue"));
}

TEST(CheckCatalogue, ACaseNamingACheckedByRuleFails) {
  std::vector<Case> cases = Cases();
  cases.push_back(MakeCase("a/server", "R-1-2"));
  EXPECT_TRUE(Reports(Problems(Text(), cases),
                      "case a/server names rule R-1-2, which the catalogue files under \"checked by\""));
}

TEST(CheckCatalogue, ARowWithoutACaseFails) {
  const std::string text = Replace(Text(), "|---|---|---|---|---|\n| R-1-1",
                                   "|---|---|---|---|---|\n| R-7-7 | RFC 9112 §7 | MAY | bogus | |\n| R-1-1");
  EXPECT_TRUE(Reports(Problems(text, Cases()), "R-7-7: no case names this rule"));
}

TEST(CheckCatalogue, AStaleCasesColumnFails) {
  const auto missing = Problems(Replace(Text(), "`a/one`, `a/two`", "`a/one`"), Cases());
  EXPECT_TRUE(Reports(missing, "R-1-1: case a/two names it but is not listed"));
  const auto extra = Problems(Replace(Text(), "`a/one`, `a/two`", "`a/one`, `a/two`, `a/none`"), Cases());
  EXPECT_TRUE(Reports(extra, "R-1-1: lists a/none, which does not name it"));
  const auto twice = Problems(Replace(Text(), "`a/one`, `a/two`", "`a/one`, `a/two`, `a/one`"), Cases());
  EXPECT_TRUE(Reports(twice, "R-1-1: case a/one is listed twice"));
}

TEST(CheckCatalogue, DuplicateIdsUnknownLevelsAndSourcesFail) {
  const std::string text = Replace(Replace(Text(), "| R-1-2 |", "| R-1-1 |"), "| MUST NOT |", "| MUSTN'T |");
  const auto problems = Problems(text, Cases());
  EXPECT_TRUE(Reports(problems, "R-1-1: a second row with this id"));
  EXPECT_TRUE(Reports(problems, "unknown level \"MUSTN'T\""));
  EXPECT_TRUE(Reports(Problems(Replace(Text(), "RFC 9112 §1", "9112 §1"), Cases()), "source \"9112 §1\""));
}

TEST(CheckCatalogue, SmugglingClassesMustMatchTheCasesAndTheLoader) {
  const std::string none = "| 1 | `CL.TE` | " + std::string(smuggling_classes()[0].title) + " | text | `s/CL.TE` |\n";
  // A class row removed: the case carrying it and smuggling_classes() both notice.
  const auto removed = Problems(Replace(Text(), none, ""), Cases());
  EXPECT_TRUE(Reports(removed, "case s/CL.TE carries smuggling class CL.TE, which the catalogue lacks"));
  EXPECT_TRUE(Reports(removed, "smuggling class 1 CL.TE has no row in the catalogue"));
  // A class the loader does not know.
  const auto bogus = Problems(Replace(Text(), "`CL.TE`", "`CL.XX`"), Cases());
  EXPECT_TRUE(Reports(bogus, "class 1 CL.XX: not a class of smuggling_classes()"));
  // A renumbered class, and a class no case carries.
  std::vector<Case> cases = Cases();
  cases.erase(std::remove_if(cases.begin(), cases.end(), [](const Case& c) { return c.id == "s/CL.TE"; }), cases.end());
  EXPECT_TRUE(Reports(Problems(Text(), cases), "class 1 CL.TE: no case carries this class"));
  EXPECT_TRUE(Reports(Problems(Replace(Text(), "| 1 | `CL.TE`", "| 99 | `CL.TE`"), Cases()),
                      "smuggling_classes() has it as 1"));
}

TEST(UpdateCatalogue, RewritesOnlyTheCasesCells) {
  const std::string stale = Replace(Replace(Text(), "`a/one`, `a/two`", "`a/gone`"), "`s/TE.0`", "");
  std::string error;
  auto updated = update_catalogue(stale, Cases(), &error);
  ASSERT_TRUE(updated.has_value()) << error;
  EXPECT_EQ(*updated, Text());
  auto again = update_catalogue(*updated, Cases(), &error);
  ASSERT_TRUE(again.has_value()) << error;
  EXPECT_EQ(*again, *updated);
}

// ---------------------------------------------------------------------------
// The real catalogue and the real cases.

TEST(Catalogue, AgreesWithTheCases) {
  std::ifstream in(runfiles_path("docs/requirements.md"), std::ios::binary);
  ASSERT_TRUE(in) << "cannot read docs/requirements.md";
  std::ostringstream text;
  text << in.rdbuf();
  std::string error;
  auto catalogue = parse_catalogue(text.str(), &error);
  ASSERT_TRUE(catalogue.has_value()) << "docs/requirements.md: " << error;
  auto cases = load_all_cases(runfiles_path("conformance/cases"), &error);
  ASSERT_TRUE(cases.has_value()) << error;
  ASSERT_FALSE(cases->empty());
  EXPECT_FALSE(catalogue->rows.empty());
  const std::vector<std::string> problems = check_catalogue(*catalogue, *cases);
  for (const std::string& p : problems) ADD_FAILURE() << "docs/requirements.md: " << p;
  if (!problems.empty()) {
    std::printf("A stale cases column is fixed by: ./bazelw run //conformance:update_catalogue\n");
  }
}

}  // namespace
}  // namespace shockwave::conformance
