#ifndef SHOCKWAVE_CONFORMANCE_ADAPTER_H_
#define SHOCKWAVE_CONFORMANCE_ADAPTER_H_

// ParserAdapter runs one HTTP/1.1 request parser over a run of bytes and
// reports what it made of them in the canonical model (model.h). Every
// parser the project compares (shockwave, llhttp, ...) has one.
//
// Contract shared by every adapter, so that outcomes compare:
//  - bytes are everything one client sent on one connection; the adapter
//    parses requests back to back (pipelining) until the input ends, an
//    error, or a request after which the connection carries no further
//    HTTP/1.1 request: keep_alive false (RFC 9112 §9.6: the server "MUST NOT
//    process any further requests"), or, for a parser that switches
//    protocols, CONNECT / Upgrade. The rest of the input is then not part of
//    the outcome: not consumed, not incomplete.
//  - an input that ends between messages (or is empty) is ok and not
//    incomplete; one that ends inside a message is incomplete.
//  - parse never throws for any input and keeps no state between calls.

#include <memory>
#include <string_view>
#include <vector>

#include "conformance/model.h"

namespace shockwave::conformance {

class ParserAdapter {
 public:
  virtual ~ParserAdapter() = default;
  // name is the registry name that makes this adapter, e.g. "llhttp".
  virtual std::string_view name() const = 0;
  virtual ParseOutcome parse(std::string_view bytes) = 0;
};

// The registry: defined in adapter.cc, target //conformance:adapters (this
// header alone, //conformance:adapter, is for implementing an adapter).

// make_adapter returns the adapter registered under `name`, or nullptr.
std::unique_ptr<ParserAdapter> make_adapter(std::string_view name);

// adapter_names lists every registered name, the default ("shockwave") first.
std::vector<std::string_view> adapter_names();

}  // namespace shockwave::conformance

#endif  // SHOCKWAVE_CONFORMANCE_ADAPTER_H_
