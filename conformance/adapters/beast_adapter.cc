#include "conformance/adapters/beast_adapter.h"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace shockwave::conformance {
namespace {

namespace http = boost::beast::http;
using boost::beast::error_code;

constexpr int kErrorStatus = 502;  // adapter.h: every response error

boost::asio::const_buffer buffer(std::string_view bytes) { return boost::asio::buffer(bytes.data(), bytes.size()); }

// head_status: the status code of the response head at the start of
// `bytes`, as Beast reads it, or nullopt when Beast cannot read a whole
// head there (the real parse then says why).
std::optional<int> head_status(std::string_view bytes) {
  http::response_parser<http::empty_body> head;
  head.skip(true);  // the head alone
  error_code ec;
  head.put(buffer(bytes), ec);
  if (ec || !head.is_header_done()) return std::nullopt;
  return head.get().result_int();
}

using Step = ParseStep;

// parse_one parses the response at the start of `bytes`, which answers a
// `method` request, into *m; *used is its length, *tunnel whether the
// connection leaves HTTP/1.1 after it.
Step parse_one(std::string_view bytes, std::string_view method, Message* m, std::size_t* used, bool* tunnel,
               ParseOutcome* out) {
  http::response_parser<http::string_body> parser;
  bool skip = method == "HEAD";
  if (method == "CONNECT") {
    const std::optional<int> status = head_status(bytes);
    skip = status && *status / 100 == 2;
  }
  parser.skip(skip);
  std::size_t header_fields = 0;
  bool counted = false;
  error_code ec;
  *used = 0;
  while (!parser.is_done()) {
    // The head first (eager off), to count its fields; then the rest at once.
    parser.eager(parser.is_header_done());
    const std::size_t n = parser.put(buffer(bytes.substr(*used)), ec);
    *used += n;
    if (parser.is_header_done() && !counted) {
      for (auto it = parser.get().begin(); it != parser.get().end(); ++it) ++header_fields;
      counted = true;
    }
    if (ec == http::error::need_more || (!ec && n == 0)) break;  // Beast wants bytes the input does not have
    if (ec) {
      out->error = Error{kErrorStatus, ec.message()};
      return Step::kError;
    }
  }
  if (!parser.is_done()) {
    if (!parser.got_some()) return Step::kIncomplete;
    // The server closed the connection here.
    parser.put_eof(ec);
    if (ec == http::error::partial_message) return Step::kIncomplete;
    if (ec) {
      out->error = Error{kErrorStatus, ec.message()};
      return Step::kError;
    }
    *used = bytes.size();
  }
  const http::response<http::string_body>& r = parser.get();
  m->status = r.result_int();
  m->reason = std::string(r.reason());
  m->version = "HTTP/" + std::to_string(r.version() / 10) + "." + std::to_string(r.version() % 10);
  std::size_t i = 0;
  for (const auto& field : r) {
    (i++ < header_fields ? m->headers : m->trailers)
        .emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  m->body = r.body();
  *tunnel = m->status == 101 || (method == "CONNECT" && m->status / 100 == 2);
  m->keep_alive = parser.keep_alive() && !*tunnel;
  return Step::kMessage;
}

class BeastResponseAdapter final : public ResponseAdapter {
 public:
  std::string_view name() const override { return "beast"; }

  ParseOutcome parse(std::string_view bytes, std::span<const std::string> requests) override {
    return each_response(
        bytes, requests,
        [bytes](std::size_t offset, std::string_view method, Message* m, std::size_t* next, ParseOutcome* out) {
          std::size_t used = 0;
          bool tunnel = false;
          const Step step = parse_one(bytes.substr(offset), method, m, &used, &tunnel, out);
          *next = offset + used;
          return step;
        });
  }
};

}  // namespace

std::unique_ptr<ResponseAdapter> make_beast_response_adapter() { return std::make_unique<BeastResponseAdapter>(); }

}  // namespace shockwave::conformance
