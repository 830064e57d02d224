#ifndef SHOCKWAVE_CONFORMANCE_ADAPTERS_EXEC_ADAPTER_H_
#define SHOCKWAVE_CONFORMANCE_ADAPTERS_EXEC_ADAPTER_H_

// An external program as a parser, so that parsers in any language can be
// validated against the conformance cases. Registry name "exec:CMD".
//
// Protocol, one process per parse: CMD runs under `/bin/sh -c` in the
// current directory with the environment inherited; it gets the raw bytes on
// stdin (then EOF) and prints one canonical JSON outcome (model.h, the shape
// `parse` prints) on stdout, and exits 0. Stderr is kept for error messages.
// It must follow the adapter contract in adapter.h (pipelining, consumed,
// incomplete). It may stop reading stdin early.
//
// Requests or responses: the environment says which. HTTPCONFORM_MESSAGES
// is "requests" (ParserAdapter::parse: stdin holds requests) or
// "responses" (ResponseAdapter::parse: stdin holds the responses one server
// sent before it closed the connection, and the program follows
// ResponseAdapter's contract in adapter.h). For responses,
// HTTPCONFORM_REQUESTS lists the methods of the requests they answer,
// separated by single spaces, one per final response ("GET HEAD CONNECT";
// past its end the last one repeats). Any value of these two variables in
// our own environment is replaced. The `parse` CLI speaks this protocol.
//
// A run that does not produce an outcome is a failure of the program, not a
// verdict on the input: it timed out (default 5 s, then its process group is
// killed), exited non-zero or by a signal, or printed something from_json
// rejects. run() reports it as `failure`; parse(), which must return an
// outcome, returns one with error status 0 (which no case allows) and the
// failure as its reason, so a runner that only knows ParserAdapter still
// fails the case with the reason.

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "conformance/adapter.h"

namespace shockwave::conformance {

inline constexpr std::chrono::milliseconds kDefaultExecTimeout{5000};

// ExecResult: the program's outcome, or why there is none.
struct ExecResult {
  std::optional<ParseOutcome> outcome;
  std::string failure;  // set exactly when outcome is not
};

// The environment variables of the protocol above.
inline constexpr std::string_view kMessagesVariable = "HTTPCONFORM_MESSAGES";
inline constexpr std::string_view kRequestsVariable = "HTTPCONFORM_REQUESTS";

class ExecAdapter final : public ParserAdapter, public ResponseAdapter {
 public:
  ExecAdapter(std::string command, std::chrono::milliseconds timeout);

  std::string_view name() const override { return name_; }
  ParseOutcome parse(std::string_view bytes) override;
  ParseOutcome parse(std::string_view bytes, std::span<const std::string> requests) override;

  // run runs the command once over `bytes`: requests, or, with `responses`
  // set, responses that answer requests with those methods.
  ExecResult run(std::string_view bytes, std::optional<std::span<const std::string>> responses = std::nullopt) const;

 private:
  std::string command_;
  std::string name_;  // "exec:" + command
  std::chrono::milliseconds timeout_;
};

// make_exec_adapter returns an adapter that runs `command` (see above).
std::unique_ptr<ExecAdapter> make_exec_adapter(std::string command,
                                               std::chrono::milliseconds timeout = kDefaultExecTimeout);

}  // namespace shockwave::conformance

#endif  // SHOCKWAVE_CONFORMANCE_ADAPTERS_EXEC_ADAPTER_H_
