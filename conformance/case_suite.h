#ifndef SHOCKWAVE_CONFORMANCE_CASE_SUITE_H_
#define SHOCKWAVE_CONFORMANCE_CASE_SUITE_H_

// case_suite: what every test that runs the conformance cases needs, in one
// place: finding data files in the runfiles, the cases loaded once with a
// gtest-safe name each, and failure text kept readable for huge inputs.

#include <cstddef>
#include <string>
#include <vector>

#include "conformance/case.h"

namespace shockwave::conformance {

// runfiles_path finds a data file of this repository under `bazel test`
// (TEST_SRCDIR) and when the binary is run by hand (its .runfiles directory).
std::string runfiles_path(const std::string& relative);

struct CaseSuite {
  std::vector<Case> cases;
  std::string error;               // why the cases did not load
  std::vector<std::string> names;  // gtest-safe, unique, one per case
};

// case_suite: conformance/cases from the runfiles, loaded on first use.
const CaseSuite& case_suite();

// response_case_suite: conformance/cases/responses, the same way.
const CaseSuite& response_case_suite();

// load_suite: the cases of one directory of the runfiles (`relative`), with
// their gtest names; not cached.
CaseSuite load_suite(const std::string& relative);

// gtest_name turns an id into a gtest name: letters, digits and '_'.
std::string gtest_name(const std::string& id);

// truncated cuts `s` to `max` characters, saying how long it was.
std::string truncated(std::string s, std::size_t max = 1500);

}  // namespace shockwave::conformance

#endif  // SHOCKWAVE_CONFORMANCE_CASE_SUITE_H_
