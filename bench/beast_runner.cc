#include "bench/beast_runner.h"

#include <array>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/version.hpp>
#include <cstdint>
#include <optional>
#include <string_view>

#include "bench/parsed.h"

namespace shockwave::bench {
namespace {

namespace http = boost::beast::http;
using boost::beast::error_code;

constexpr std::size_t kFieldCapacity = 32;

std::string_view view(boost::beast::string_view s) { return {s.data(), s.size()}; }

// What the callbacks record for one message.
struct Message {
  struct Field {
    std::string_view name;
    std::string_view value;
  };
  std::string_view method;
  std::string_view target;
  int status = 0;
  std::string_view reason;
  int version = 0;
  std::array<Field, kFieldCapacity> fields;
  std::size_t field_count = 0;
  std::array<std::string_view, 16> body_pieces;
  std::size_t body_piece_count = 0;
  std::uint64_t body_size = 0;
  bool keep_alive = false;
  bool chunked = false;
};

template <bool isRequest>
class Parser final : public http::basic_parser<isRequest> {
 public:
  explicit Parser(Message& m) : m_(m) {
    this->eager(true);
    m_.field_count = 0;
    m_.body_piece_count = 0;
    m_.body_size = 0;
  }

 private:
  void on_request_impl(http::verb, boost::beast::string_view method, boost::beast::string_view target, int version,
                       error_code&) override {
    m_.method = view(method);
    m_.target = view(target);
    m_.version = version;
  }
  void on_response_impl(int status, boost::beast::string_view reason, int version, error_code&) override {
    m_.status = status;
    m_.reason = view(reason);
    m_.version = version;
  }
  void on_field_impl(http::field, boost::beast::string_view name, boost::beast::string_view value,
                     error_code& ec) override {
    if (m_.field_count == m_.fields.size()) {  // like our parser's 431
      ec = http::error::header_limit;
      return;
    }
    m_.fields[m_.field_count++] = {view(name), view(value)};
  }
  void on_header_impl(error_code&) override {
    m_.keep_alive = this->keep_alive();
    m_.chunked = this->chunked();
  }
  void on_body_init_impl(const boost::optional<std::uint64_t>&, error_code&) override {}
  std::size_t on_body_impl(boost::beast::string_view body, error_code& ec) override { return piece(body, ec); }
  void on_chunk_header_impl(std::uint64_t, boost::beast::string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, boost::beast::string_view body, error_code& ec) override {
    return piece(body, ec);
  }
  void on_finish_impl(error_code&) override {}

  std::size_t piece(boost::beast::string_view body, error_code& ec) {
    if (m_.body_piece_count == m_.body_pieces.size()) {
      ec = http::error::body_limit;
      return 0;
    }
    m_.body_pieces[m_.body_piece_count++] = view(body);
    m_.body_size += body.size();
    return body.size();
  }

  Message& m_;
};

// The parser of one direction and what it records.
template <bool isRequest>
struct Parsing {
  Message message;
  std::optional<Parser<isRequest>> parser;

  // parse_one parses the message at the start of `input` with a new parser;
  // returns the bytes it took, 0 on an error or an incomplete message.
  std::size_t parse_one(std::span<const char> input) noexcept {
    Parser<isRequest>& p = parser.emplace(message);
    std::size_t used = 0;
    error_code ec;
    while (!p.is_done()) {
      const std::size_t n = p.put(boost::asio::const_buffer(input.data() + used, input.size() - used), ec);
      if (ec || n == 0) return 0;
      used += n;
    }
    return used;
  }

  std::size_t parse_all(std::span<char> input) noexcept {
    std::size_t done = 0;
    while (!input.empty()) {
      const std::size_t used = parse_one(input);
      if (used == 0) break;
      ++done;
      input = input.subspan(used);
    }
    return done;
  }
};

std::string body_of(const Message& m) {
  std::string body;
  for (std::size_t i = 0; i < m.body_piece_count; ++i) body += m.body_pieces[i];
  return body;
}

std::string beast_version() {
  return "Boost.Beast " + std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000);
}

}  // namespace

struct BeastRunner::Impl : Parsing<true> {};
struct BeastResponseRunner::Impl : Parsing<false> {};

BeastRunner::BeastRunner() : impl_(std::make_unique<Impl>()) {}
BeastRunner::~BeastRunner() = default;

std::string BeastRunner::label() const {
  return beast_version() + " http::basic_parser<true> (header-only, libboost-dev)";
}

std::size_t BeastRunner::parse_all(std::span<char> input) noexcept { return impl_->parse_all(input); }

std::string BeastRunner::check(std::span<char> input, const BenchRequest& req) {
  std::size_t done = 0;
  while (!input.empty()) {
    const std::string at = "beast: request " + std::to_string(done + 1) + ": ";
    const std::size_t used = impl_->parse_one(input);
    if (used == 0) return at + "error or incomplete";
    ++done;
    input = input.subspan(used);
    const Message& m = impl_->message;
    Parsed got{
        .method = m.method,
        .target = m.target,
        .http11 = m.version == 11,
        .keep_alive = m.keep_alive,
        .field_count = m.field_count,
        .first_field_name = m.fields[0].name,
        .first_field_value = m.fields[0].value,
        .chunked = m.chunked,
        .body = body_of(m),
    };
    if (m.body_size != got.body.size()) return at + "body pieces do not add up";
    if (const std::string why = mismatch(got, req); !why.empty()) return at + why;
  }
  if (done != req.request_count) {
    return "beast: " + std::to_string(done) + " requests, want " + std::to_string(req.request_count);
  }
  return "";
}

BeastResponseRunner::BeastResponseRunner() : impl_(std::make_unique<Impl>()) {}
BeastResponseRunner::~BeastResponseRunner() = default;

std::string BeastResponseRunner::label() const {
  return beast_version() + " http::basic_parser<false> (header-only, libboost-dev)";
}

std::size_t BeastResponseRunner::parse_all(std::span<char> input) noexcept { return impl_->parse_all(input); }

std::string BeastResponseRunner::check(std::span<char> input, const BenchResponse& resp) {
  std::size_t done = 0;
  while (!input.empty()) {
    const std::string at = "beast: response " + std::to_string(done + 1) + ": ";
    const std::size_t used = impl_->parse_one(input);
    if (used == 0) return at + "error or incomplete";
    ++done;
    input = input.subspan(used);
    const Message& m = impl_->message;
    const bool any = m.field_count != 0;
    const Message::Field& last = m.fields[any ? m.field_count - 1 : 0];
    ParsedResponse got{
        .status = m.status,
        .reason = m.reason,
        .http11 = m.version == 11,
        .keep_alive = m.keep_alive,
        .field_count = m.field_count,
        .first_field_name = m.fields[0].name,
        .first_field_value = m.fields[0].value,
        .last_field_name = any ? last.name : std::string_view(),
        .last_field_value = any ? last.value : std::string_view(),
        .chunked = m.chunked,
        .body = body_of(m),
    };
    if (m.body_size != got.body.size()) return at + "body pieces do not add up";
    if (const std::string why = mismatch(got, resp); !why.empty()) return at + why;
  }
  if (done != resp.response_count) {
    return "beast: " + std::to_string(done) + " responses, want " + std::to_string(resp.response_count);
  }
  return "";
}

}  // namespace shockwave::bench
