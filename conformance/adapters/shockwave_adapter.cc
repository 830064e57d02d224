#include "conformance/adapters/shockwave_adapter.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "server/http1/error.h"
#include "server/http1/request_parser.h"
#include "server/http1/response_parser.h"

namespace shockwave::conformance {
namespace {

using http1::ParseStatus;

// A broken promise of the parser's contract is a parser bug, not a
// verdict on the input: crash loudly so tests and fuzzers report it, instead
// of turning it into an outcome that could compare equal to something.
[[noreturn]] void contract_violation(const char* what) {
  std::fprintf(stderr, "shockwave adapter: the parser broke its contract: %s\n", what);
  std::abort();
}

std::vector<Field> copy_fields(std::span<const http1::Header> fields) {
  std::vector<Field> out;
  out.reserve(fields.size());
  for (const http1::Header& f : fields) out.emplace_back(f.name, f.value);
  return out;
}

class ShockwaveAdapter final : public ParserAdapter {
 public:
  ShockwaveAdapter(std::string_view name, const http1::ParserOptions& options)
      : name_(name), parser_(fields_, options) {}

  std::string_view name() const override { return name_; }

  ParseOutcome parse(std::string_view bytes) override {
    ParseOutcome out;
    // The parser decodes chunked bodies in place, so it needs its own copy.
    std::vector<char> buf(bytes.begin(), bytes.end());
    std::size_t offset = 0;
    while (offset < buf.size()) {
      parser_.reset();
      std::span<char> rest = std::span<char>(buf).subspan(offset);
      switch (parser_.parse(rest)) {
        case ParseStatus::kComplete: {
          if (parser_.consumed() == 0 || parser_.consumed() > rest.size()) {
            contract_violation("kComplete with consumed() outside (0, input size]");
          }
          out.messages.push_back(to_message(parser_));
          offset += parser_.consumed();
          out.consumed = offset;
          // RFC 9112 §9.6: no further requests are processed after "close".
          if (!parser_.head().keep_alive) return out;
          break;
        }
        case ParseStatus::kIncomplete:
          out.incomplete = true;
          return out;
        case ParseStatus::kError: {
          http1::Error e = parser_.error();
          if (e == http1::Error::kNone) contract_violation("kError with error() == kNone");
          out.error = Error{http1::error_status(e), std::string(http1::error_reason(e))};
          return out;
        }
      }
    }
    return out;
  }

 private:
  std::string name_;
  std::array<http1::Header, 128> fields_{};  // before parser_, which holds a span of it
  http1::RequestParser parser_;
};

class ShockwaveResponseAdapter final : public ResponseAdapter {
 public:
  ShockwaveResponseAdapter(std::string_view name, const http1::ParserOptions& options)
      : name_(name), parser_(fields_, options) {}

  std::string_view name() const override { return name_; }

  ParseOutcome parse(std::string_view bytes, std::span<const std::string> requests) override {
    ParseOutcome out;
    std::vector<char> buf(bytes.begin(), bytes.end());  // chunked bodies are decoded in place
    std::size_t offset = 0;
    std::size_t finals = 0;  // final responses so far
    // A new connection: reset() forgets the last response, answers() the
    // interim count; after an interim response only reset(), so the next
    // response answers the same request and a flood is counted.
    parser_.reset();
    parser_.answers(http1::request_kind(answered_method(requests, 0)));
    while (offset < buf.size()) {
      std::span<char> rest = std::span<char>(buf).subspan(offset);
      ParseStatus status = parser_.parse(rest);
      // The server closed the connection after the input: say so.
      if (status == ParseStatus::kIncomplete) status = parser_.finish(rest);
      switch (status) {
        case ParseStatus::kComplete: {
          if (parser_.consumed() == 0 || parser_.consumed() > rest.size()) {
            contract_violation("kComplete with consumed() outside (0, input size]");
          }
          const http1::ResponseHead& head = parser_.head();
          out.messages.push_back(to_message(parser_));
          offset += parser_.consumed();
          out.consumed = offset;
          const bool interim = head.interim();
          if (!interim) ++finals;
          if (!head.keep_alive || head.tunnel) {
            out.messages.back().keep_alive = false;  // the contract's spelling of a tunnel
            return out;
          }
          parser_.reset();
          if (!interim) parser_.answers(http1::request_kind(answered_method(requests, finals)));
          break;
        }
        case ParseStatus::kIncomplete:  // finish() found no byte of a response
          return out;
        case ParseStatus::kError: {
          const http1::Error e = parser_.error();
          if (e == http1::Error::kNone) contract_violation("kError with error() == kNone");
          if (e == http1::Error::kIncompleteResponse) {
            out.incomplete = true;  // RFC 9112 §8: closed inside a response
          } else {
            out.error = Error{http1::response_error_status(e), std::string(http1::error_reason(e))};
          }
          return out;
        }
      }
    }
    return out;
  }

 private:
  std::string name_;
  std::array<http1::Header, 128> fields_{};  // before parser_, which holds a span of it
  http1::ResponseParser parser_;
};

}  // namespace

Message to_message(const http1::ResponseParser& parser) {
  const http1::ResponseHead& head = parser.head();
  Message m;
  m.status = head.status;
  m.reason = head.reason;
  m.version = "HTTP/" + std::to_string(head.version_major) + "." + std::to_string(head.version_minor);
  m.headers = copy_fields(head.headers);
  m.trailers = copy_fields(parser.trailers());
  m.body = parser.body();
  m.keep_alive = head.keep_alive;
  return m;
}

std::unique_ptr<ResponseAdapter> make_shockwave_response_adapter(std::string_view name,
                                                                 const http1::ParserOptions& options) {
  return std::make_unique<ShockwaveResponseAdapter>(name, options);
}

Message to_message(const http1::RequestParser& parser) {
  const http1::RequestHead& head = parser.head();
  Message m;
  m.method = head.method;
  m.target = head.target;
  m.version = "HTTP/" + std::to_string(head.version_major) + "." + std::to_string(head.version_minor);
  m.headers = copy_fields(head.headers);
  m.trailers = copy_fields(parser.trailers());
  m.body = parser.body();
  m.keep_alive = head.keep_alive;
  return m;
}

std::unique_ptr<ParserAdapter> make_shockwave_adapter(std::string_view name, const http1::ParserOptions& options) {
  return std::make_unique<ShockwaveAdapter>(name, options);
}

}  // namespace shockwave::conformance
