#include "conformance/case_suite.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <system_error>

namespace shockwave::conformance {
std::string gtest_name(const std::string& id) {
  std::string s;
  for (char c : id) s += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return s;
}

std::string runfiles_path(const std::string& relative) {
  const char* workspace = std::getenv("TEST_WORKSPACE");
  const std::string tail = std::string("/") + (workspace ? workspace : "shockwave") + "/" + relative;
  for (const char* var : {"TEST_SRCDIR", "RUNFILES_DIR"}) {
    if (const char* dir = std::getenv(var)) return dir + tail;
  }
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return (ec ? std::string(".") : self.string() + ".runfiles") + tail;
}

CaseSuite load_suite(const std::string& relative) {
  CaseSuite s;
  auto cases = load_cases(runfiles_path(relative), &s.error);
  if (cases) s.cases = std::move(*cases);
  std::set<std::string> taken;
  for (std::size_t i = 0; i < s.cases.size(); ++i) {
    std::string name = gtest_name(s.cases[i].id);
    if (!taken.insert(name).second) name += "_" + std::to_string(i);
    taken.insert(name);
    s.names.push_back(name);
  }
  return s;
}

const CaseSuite& case_suite() {
  static const CaseSuite* suite = new CaseSuite(load_suite("conformance/cases"));
  return *suite;
}

const CaseSuite& response_case_suite() {
  static const CaseSuite* suite = new CaseSuite(load_suite("conformance/cases/responses"));
  return *suite;
}

std::string truncated(std::string s, std::size_t max) {
  if (s.size() > max) s = s.substr(0, max) + "... (" + std::to_string(s.size()) + " characters)";
  return s;
}

}  // namespace shockwave::conformance
