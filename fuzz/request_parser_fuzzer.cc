// request_parser_fuzzer: any bytes through RequestParser, every invariant
// checked (design invariant 3, docs/invariants.md):
//  - consumed() and head_size() lie within the input;
//  - every view (method, target, names, values, host, body, trailers) lies
//    inside the buffer (ASan catches reads past it: the buffer is an
//    exact-size heap copy);
//  - an error has an error code with a status in {400,413,414,431,501,505};
//  - the same bytes split in two, at a position taken from the input's first
//    two bytes (not part of the request), give the same result as the
//    one-shot parse (same status, error, consumed, head and decoded body).
// Requests are parsed back to back (pipelining) until the input ends or an
// error or incomplete request stops it.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "server/http1/error.h"
#include "server/http1/request_parser.h"

namespace {

using shockwave::http1::Error;
using shockwave::http1::Header;
using shockwave::http1::ParseStatus;
using shockwave::http1::RequestParser;

bool inside(std::string_view v, const char* begin, const char* end) {
  return v.empty() || (v.data() >= begin && v.data() + v.size() <= end);
}

bool allowed_status(int status) {
  return status == 400 || status == 413 || status == 414 || status == 431 || status == 501 || status == 505;
}

// What one request came to, copied out of the buffer (the next parse of a
// pipelined request reuses it).
struct Result {
  ParseStatus status = ParseStatus::kIncomplete;
  Error error = Error::kNone;
  std::size_t consumed = 0;
  std::string canonical;  // head, body and trailers, flattened

  bool operator==(const Result&) const = default;
};

void append(std::string& out, std::string_view s) {
  out += std::to_string(s.size());
  out += ':';
  out += s;
}

Result check_and_copy(const RequestParser& parser, ParseStatus status, const char* begin, std::size_t size) {
  const char* end = begin + size;
  Result r;
  r.status = status;
  r.error = parser.error();
  if (status == ParseStatus::kError) {
    FUZZ_CHECK(parser.error() != Error::kNone);
    FUZZ_CHECK(allowed_status(shockwave::http1::error_status(parser.error())));
    return r;
  }
  FUZZ_CHECK(parser.error() == Error::kNone);
  if (status != ParseStatus::kComplete) return r;
  FUZZ_CHECK(parser.head_complete());
  FUZZ_CHECK(parser.consumed() > 0 && parser.consumed() <= size);
  FUZZ_CHECK(parser.head_size() <= parser.consumed());
  r.consumed = parser.consumed();
  const auto& head = parser.head();
  FUZZ_CHECK(inside(head.method, begin, end) && !head.method.empty());
  FUZZ_CHECK(inside(head.target, begin, end) && !head.target.empty());
  FUZZ_CHECK(inside(head.host, begin, end));
  FUZZ_CHECK(inside(parser.body(), begin, end));
  FUZZ_CHECK(head.version_major == 1);
  append(r.canonical, head.method);
  append(r.canonical, head.target);
  r.canonical += static_cast<char>('0' + head.version_minor);
  r.canonical += head.keep_alive ? 'k' : 'c';
  for (const Header& h : head.headers) {
    FUZZ_CHECK(inside(h.name, begin, end) && !h.name.empty());
    FUZZ_CHECK(inside(h.value, begin, end));
    append(r.canonical, h.name);
    append(r.canonical, h.value);
  }
  r.canonical += '|';
  append(r.canonical, parser.body());
  for (const Header& h : parser.trailers()) {
    FUZZ_CHECK(inside(h.name, begin, end) && !h.name.empty());
    FUZZ_CHECK(inside(h.value, begin, end));
    append(r.canonical, h.name);
    append(r.canonical, h.value);
  }
  return r;
}

// parse_all parses requests back to back; `split` is where the first read
// ends (measured from the start of the input), or SIZE_MAX for none.
std::vector<Result> parse_all(std::string_view input, std::size_t split) {
  std::vector<Result> results;
  // An exact-size heap copy: a read past the end is an ASan report.
  std::unique_ptr<char[]> owned(new char[input.size() ? input.size() : 1]);
  std::memcpy(owned.get(), input.data(), input.size());
  char* buf = owned.get();
  std::size_t offset = 0;
  std::array<Header, 64> storage;
  RequestParser parser(storage);
  while (offset < input.size()) {
    const std::size_t available = input.size() - offset;
    ParseStatus status;
    if (split > offset && split < input.size()) {
      status = parser.parse(std::span<char>(buf + offset, split - offset));
      if (status == ParseStatus::kComplete) {
        FUZZ_CHECK(parser.consumed() <= split - offset);
      }
      if (status == ParseStatus::kIncomplete) status = parser.parse(std::span<char>(buf + offset, available));
    } else {
      status = parser.parse(std::span<char>(buf + offset, available));
    }
    results.push_back(check_and_copy(parser, status, buf + offset, available));
    if (status != ParseStatus::kComplete) break;
    offset += parser.consumed();
    if (!parser.head().keep_alive) break;
    parser.reset();
  }
  return results;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The first two bytes are the split point, the rest the request bytes (as
  // the seeds are made: make_corpus --prefix=2). They once stayed in front
  // of the request, so every seed began with two NULs and failed at once.
  if (size < 2) return 0;
  const std::size_t split_seed = static_cast<std::size_t>(data[0]) << 8 | data[1];
  std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::vector<Result> one_shot = parse_all(input, SIZE_MAX);
  const std::size_t split = input.empty() ? 0 : split_seed % (input.size() + 1);
  const std::vector<Result> two_reads = parse_all(input, split);
  FUZZ_CHECK(one_shot == two_reads);
  return 0;
}
