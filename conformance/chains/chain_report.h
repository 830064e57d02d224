#ifndef SHOCKWAVE_CONFORMANCE_CHAINS_CHAIN_REPORT_H_
#define SHOCKWAVE_CONFORMANCE_CHAINS_CHAIN_REPORT_H_

// Chain reports: the verdicts (chain.h) of every proxy x origin pair on the
// same cases, as text for people, JSON for machines and a self-contained
// HTML matrix; each desync with its bytes and the command that reproduces it.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "conformance/case.h"
#include "conformance/chains/chain.h"

namespace shockwave::conformance::chains {

// ChainResult: one case through one pair.
struct ChainResult {
  ChainVerdict verdict = ChainVerdict::kNoVerdict;
  std::string what;                      // chain.h's ChainJudgement::what
  std::string proxy_answered;            // live::describe of the client side
  std::string forwarded;                 // what reached the origin, in the cases' notation
  std::vector<std::string> origin_read;  // each origin answer: its echo JSON (cut), or "STATUS (error answer)"
  std::chrono::milliseconds elapsed{0};  // how long the case took through this pair
};

// result_of gathers a ChainResult from an observation and its judgement.
ChainResult result_of(const ChainObservation& o, ChainJudgement j);

// ChainCell: one proxy in front of one origin, over Report::cases in order.
struct ChainCell {
  std::string proxy, origin;
  std::vector<ChainResult> results;
  std::size_t count(ChainVerdict v) const;
  std::chrono::milliseconds elapsed() const;  // all its cases
};

struct ChainReport {
  std::string generated;  // when, e.g. "2026-12-05 10:00 UTC"
  std::string source;     // where the cases came from
  std::vector<Case> cases;
  // What each proxy and origin is: version and configuration, by name.
  std::vector<std::pair<std::string, std::string>> about;
  std::vector<ChainCell> cells;
};

std::string render_chain_text(const ChainReport& report);
std::string render_chain_json(const ChainReport& report);
std::string render_chain_html(const ChainReport& report);

// reproduce: the command that runs one case, from the cases at `source`
// (ChainReport::source), through one pair again.
std::string reproduce(const ChainCell& cell, const Case& c, const std::string& source);

}  // namespace shockwave::conformance::chains

#endif  // SHOCKWAVE_CONFORMANCE_CHAINS_CHAIN_REPORT_H_
