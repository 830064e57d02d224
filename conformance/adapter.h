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

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
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

// ResponseAdapter runs one HTTP/1.1 response parser (a client's, a
// gateway's) over a run of bytes, into the same model: each message is a
// response (Message::status, Message::reason; no method or target).
//
// Contract shared by every response adapter:
//  - bytes are everything one server sent on one connection, after which
//    the server closed it: the end of the input is the end of the stream,
//    so a body delimited by close (RFC 9112 §6.3 item 8) ends there.
//  - requests are the methods of the requests the responses answer, one per
//    final response in order; an interim 1xx response (not 101) answers the
//    request of the final response after it; past the end of the list the
//    last method repeats, and an empty list means GET (answered_method).
//    A response to HEAD has no body, a 2xx to CONNECT turns the connection
//    into a tunnel (RFC 9112 §6.3 items 1-2).
//  - interim responses are messages of their own in `messages`.
//  - the adapter parses responses back to back until the input ends, an
//    error, or a response after which the connection carries no further
//    HTTP/1.1 response: keep_alive false, a 101, a 2xx to CONNECT. Such a
//    response reports keep_alive false; the rest of the input is not part
//    of the outcome (not consumed, not incomplete).
//  - an input that ends between responses (or is empty) is ok and not
//    incomplete; one that ends inside a response (the connection closed
//    before it was complete: RFC 9112 §8) is incomplete.
//  - every error is status 502, what a gateway answers for a response it
//    cannot use (RFC 9110 §15.6.3), with the parser's reason.
//  - parse never throws for any input and keeps no state between calls.
class ResponseAdapter {
 public:
  virtual ~ResponseAdapter() = default;
  // name is the registry name that makes this adapter, e.g. "llhttp".
  virtual std::string_view name() const = 0;
  virtual ParseOutcome parse(std::string_view bytes, std::span<const std::string> requests) = 0;
};

// answered_method: the method of the request final response `final_index`
// (0-based; interim responses not counted) answers, by the contract above.
inline std::string_view answered_method(std::span<const std::string> requests, std::size_t final_index) {
  if (requests.empty()) return "GET";
  return requests[final_index < requests.size() ? final_index : requests.size() - 1];
}

// ParseStep: what an adapter made of the message at the start of its input.
enum class ParseStep { kMessage, kIncomplete, kError };

// each_response is the contract's loop for an adapter whose parser reads
// one response at a time: parse_one(offset, method, &message, &next, &out)
// reads the response at `offset` of `bytes`, which answers a `method`
// request; on kMessage *next is where it ends, on kError it has set
// out.error. The loop stops at the end of input, an error, a response cut
// short (incomplete), or one after which the connection carries no more.
template <typename ParseOne>
ParseOutcome each_response(std::string_view bytes, std::span<const std::string> requests, ParseOne&& parse_one) {
  ParseOutcome out;
  std::size_t offset = 0;
  std::size_t finals = 0;  // final responses so far: interim ones answer the same request
  while (offset < bytes.size()) {
    Message m;
    std::size_t next = offset;
    switch (parse_one(offset, answered_method(requests, finals), &m, &next, &out)) {
      case ParseStep::kMessage:
        if (m.status >= 200 || m.status == 101) ++finals;
        out.messages.push_back(std::move(m));
        offset = next;
        out.consumed = offset;
        if (!out.messages.back().keep_alive) return out;  // nothing after it is parsed
        break;
      case ParseStep::kIncomplete:  // the server closed the connection inside the response
        out.incomplete = true;
        return out;
      case ParseStep::kError:
        return out;
    }
  }
  return out;
}

// The registries: defined in adapter.cc, target //conformance:adapters (this
// header alone, //conformance:adapter, is for implementing an adapter).

// make_adapter returns the adapter registered under `name`, or nullptr.
std::unique_ptr<ParserAdapter> make_adapter(std::string_view name);

// adapter_names lists every registered name, the default ("shockwave") first.
std::vector<std::string_view> adapter_names();

// make_response_adapter returns the response adapter registered under
// `name` (or "exec:CMD"), or nullptr.
std::unique_ptr<ResponseAdapter> make_response_adapter(std::string_view name);

// response_adapter_names lists every registered response adapter, the
// default ("shockwave") first.
std::vector<std::string_view> response_adapter_names();

}  // namespace shockwave::conformance

#endif  // SHOCKWAVE_CONFORMANCE_ADAPTER_H_
