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
  int version = 0;
  std::array<Field, kFieldCapacity> fields;
  std::size_t field_count = 0;
  std::array<std::string_view, 16> body_pieces;
  std::size_t body_piece_count = 0;
  std::uint64_t body_size = 0;
  bool keep_alive = false;
  bool chunked = false;
};

class Parser final : public http::basic_parser<true> {
 public:
  explicit Parser(Message& m) : m_(m) {
    eager(true);
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
  void on_response_impl(int, boost::beast::string_view, int, error_code& ec) override {
    ec = http::error::bad_version;  // requests only
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
    m_.keep_alive = keep_alive();
    m_.chunked = chunked();
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

}  // namespace

struct BeastRunner::Impl {
  Message message;
  std::optional<Parser> parser;

  // parse_one parses the message at the start of `input` with a new parser;
  // returns the bytes it took, 0 on an error or an incomplete message.
  std::size_t parse_one(std::span<const char> input) noexcept {
    Parser& p = parser.emplace(message);
    std::size_t used = 0;
    error_code ec;
    while (!p.is_done()) {
      const std::size_t n = p.put(boost::asio::const_buffer(input.data() + used, input.size() - used), ec);
      if (ec || n == 0) return 0;
      used += n;
    }
    return used;
  }
};

BeastRunner::BeastRunner() : impl_(std::make_unique<Impl>()) {}
BeastRunner::~BeastRunner() = default;

std::string BeastRunner::label() const {
  return "Boost.Beast " + std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000) +
         " http::basic_parser<true> (header-only, libboost-dev)";
}

std::size_t BeastRunner::parse_all(std::span<char> input) noexcept {
  std::size_t done = 0;
  while (!input.empty()) {
    const std::size_t used = impl_->parse_one(input);
    if (used == 0) break;
    ++done;
    input = input.subspan(used);
  }
  return done;
}

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
        .body = {},
    };
    for (std::size_t i = 0; i < m.body_piece_count; ++i) got.body += m.body_pieces[i];
    if (m.body_size != got.body.size()) return at + "body pieces do not add up";
    if (const std::string why = mismatch(got, req); !why.empty()) return at + why;
  }
  if (done != req.request_count) {
    return "beast: " + std::to_string(done) + " requests, want " + std::to_string(req.request_count);
  }
  return "";
}

}  // namespace shockwave::bench
