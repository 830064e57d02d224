// response_parser_fuzzer: any bytes through ResponseParser, responses back to
// back on one connection (reset() between them, finish() where the bytes
// end), every invariant of response_parser.h checked:
//  - consumed() and head_size() lie within the input; every view (reason,
//    names, values, body, trailers) lies inside the response's bytes (the
//    buffer is a GuardedBuffer: a read past the bytes given faults);
//  - an error has a name and a reason, a gateway answers it 502
//    (response_error_status), and it sticks;
//  - an interim response, a response to HEAD, a 204 and a 304 have no body
//    (RFC 9112 §6.3 item 1), also when HEAD was answered before a 1xx and
//    reset() kept it; a 101 or a 2xx to CONNECT is a tunnel (item 2);
//  - the body's length is what the framing says, within max_body;
//  - bounded work (design invariant 4, docs/invariants.md): one read
//    examines at most 2 bytes per byte of the response, and fed one byte
//    per call a response costs at most one byte more per call;
//  - the same bytes fed one byte per call give the one-read outcome;
//  - so do they with each body taken out as it arrives (body_available,
//    drop_body: streaming), up to a response only max_body refuses.
//
// Input: byte 0 = options: bit 0 leniency bare_lf, bit 1 leniency obs_fold,
// bit 2 small limits (so 1xx floods and limits are reached in a few bytes);
// byte 1 = what the first four final responses answer, two bits each from
// bit 0 (0 and 3: kOther, 1: kHead, 2: kConnect; the fourth repeats); the
// rest is what the server sent (make_corpus --prefix=2).

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "server/http1/error.h"
#include "server/http1/options.h"
#include "server/http1/response.h"
#include "server/http1/response_parser.h"
#include "server/http1/testing/guarded_buffer.h"

namespace {

using shockwave::http1::BodyFraming;
using shockwave::http1::Error;
using shockwave::http1::Header;
using shockwave::http1::ParserOptions;
using shockwave::http1::ParseStatus;
using shockwave::http1::RequestKind;
using shockwave::http1::ResponseHead;
using shockwave::http1::ResponseParser;

struct Config {
  ParserOptions options;
  std::array<RequestKind, 4> kinds{};

  RequestKind kind(std::size_t final_index) const { return kinds[final_index < 4 ? final_index : 3]; }
};

Config make_config(std::uint8_t options, std::uint8_t kinds) {
  Config c;
  c.options.leniency.bare_lf = options & 1u;
  c.options.leniency.obs_fold = options & 2u;
  if (options & 4u) {
    c.options.limits.max_status_line = 64;
    c.options.limits.max_field_section = 512;
    c.options.limits.max_body = 1024;
    c.options.limits.max_chunk_extensions = 64;
    c.options.limits.max_interim_responses = 2;
  }
  constexpr RequestKind kByBits[4] = {RequestKind::kOther, RequestKind::kHead, RequestKind::kConnect,
                                      RequestKind::kOther};
  for (std::size_t i = 0; i < 4; ++i) c.kinds[i] = kByBits[(kinds >> (2 * i)) & 3u];
  return c;
}

bool inside(std::string_view v, const char* begin, const char* end) {
  return v.empty() || (v.data() >= begin && v.data() + v.size() <= end);
}

// What one response came to, copied out (the buffer is reused and a chunked
// body is decoded in place).
struct Result {
  ParseStatus status = ParseStatus::kIncomplete;
  Error error = Error::kNone;
  std::size_t consumed = 0;
  std::size_t examined = 0;  // not compared: bounded instead
  std::size_t calls = 0;     // parse() calls that made it
  std::string canonical;     // head, body and trailers, flattened

  bool same_outcome(const Result& o) const {
    return status == o.status && error == o.error && consumed == o.consumed && canonical == o.canonical;
  }
};

void append(std::string& out, std::string_view s) {
  out += std::to_string(s.size());
  out += ':';
  out += s;
}

// canonical flattens a response: head, body and trailers.
std::string canonical(const ResponseHead& head, std::string_view body, std::span<const Header> trailers) {
  std::string c = std::to_string(head.status);
  append(c, head.reason);
  c += static_cast<char>('0' + head.version_minor);
  c += head.keep_alive ? 'k' : 'c';
  c += head.tunnel ? 't' : '-';
  c += static_cast<char>('0' + static_cast<int>(head.framing));
  c += std::to_string(head.content_length);
  for (const Header& h : head.headers) {
    append(c, h.name);
    append(c, h.value);
  }
  c += '|';
  append(c, body);
  for (const Header& h : trailers) {
    append(c, h.name);
    append(c, h.value);
  }
  return c;
}

// Where the bytes stand when a parse returns.
struct Context {
  const char* begin;        // the response's first byte
  std::size_t available;    // bytes given to the last call
  RequestKind kind;         // what the response answers
  std::size_t interim_run;  // interim responses just before this one
  bool finished;            // the result is finish()'s
};

void check_complete(const ResponseParser& parser, const Context& ctx, const ParserOptions& options, Result& r) {
  const char* const end = ctx.begin + ctx.available;
  FUZZ_CHECK(parser.head_complete());
  FUZZ_CHECK(parser.consumed() > 0 && parser.consumed() <= ctx.available);
  FUZZ_CHECK(parser.head_size() > 0 && parser.head_size() <= parser.consumed());
  const char* const head_end = ctx.begin + parser.head_size();
  const char* const message_end = ctx.begin + parser.consumed();
  const ResponseHead& head = parser.head();
  FUZZ_CHECK(head.status >= 100 && head.status <= 599);
  FUZZ_CHECK(head.version_major == 1 && head.version_minor <= 1);
  FUZZ_CHECK(inside(head.reason, ctx.begin, head_end));
  for (const Header& h : head.headers) {
    FUZZ_CHECK(!h.name.empty() && inside(h.name, ctx.begin, head_end));
    FUZZ_CHECK(inside(h.value, ctx.begin, head_end));
  }
  for (const Header& h : parser.trailers()) {
    FUZZ_CHECK(!h.name.empty() && inside(h.name, head_end, message_end));
    FUZZ_CHECK(inside(h.value, head_end, message_end));
  }
  const std::string_view body = parser.body();
  FUZZ_CHECK(inside(body, head_end, message_end));
  FUZZ_CHECK(inside(body, ctx.begin, end));

  // RFC 9112 §6.3 items 1-2: no body, whatever the fields say.
  const bool two_xx = head.status >= 200 && head.status < 300;
  const bool tunnel = head.status == 101 || (ctx.kind == RequestKind::kConnect && two_xx);
  FUZZ_CHECK(head.tunnel == tunnel);
  if (tunnel) FUZZ_CHECK(!head.keep_alive);
  const bool bodiless =
      tunnel || head.status < 200 || head.status == 204 || head.status == 304 || ctx.kind == RequestKind::kHead;
  if (bodiless) {
    FUZZ_CHECK(head.framing == BodyFraming::kNone);
    FUZZ_CHECK(body.empty() && parser.trailers().empty());
  }
  // RFC 9110 §15.2: at most max_interim_responses in a row.
  if (head.interim()) FUZZ_CHECK(ctx.interim_run < options.limits.max_interim_responses);
  switch (head.framing) {
    case BodyFraming::kNone:
      FUZZ_CHECK(parser.consumed() == parser.head_size());
      break;
    case BodyFraming::kContentLength:
      FUZZ_CHECK(head.content_length <= options.limits.max_body);
      FUZZ_CHECK(body.size() == head.content_length);
      FUZZ_CHECK(parser.consumed() == parser.head_size() + body.size());
      break;
    case BodyFraming::kChunked:
      FUZZ_CHECK(body.size() <= options.limits.max_body);
      FUZZ_CHECK(!ctx.finished);  // a chunked body ends at its last chunk, not at close
      break;
    case BodyFraming::kClose:
      // §6.3 item 8: complete only where the connection closed.
      FUZZ_CHECK(ctx.finished && !head.keep_alive);
      FUZZ_CHECK(parser.consumed() == ctx.available);
      FUZZ_CHECK(body.size() <= options.limits.max_body);
      break;
  }
  // One read: a scan for line ends plus one validation pass per line, and
  // the chunked decoder's own bound, within the response's bytes.
  FUZZ_CHECK(parser.bytes_examined() <= 2 * parser.consumed());

  r.consumed = parser.consumed();
  r.canonical = canonical(head, body, parser.trailers());
}

Result check_and_copy(ResponseParser& parser, ParseStatus status, const Context& ctx, const ParserOptions& options) {
  Result r;
  r.status = status;
  r.error = parser.error();
  r.examined = parser.bytes_examined();
  switch (status) {
    case ParseStatus::kError: {
      const Error e = parser.error();
      FUZZ_CHECK(e != Error::kNone);
      FUZZ_CHECK(!shockwave::http1::error_name(e).empty() && !shockwave::http1::error_reason(e).empty());
      FUZZ_CHECK(shockwave::http1::response_error_status(e) == 502);
      FUZZ_CHECK(!parser.head_complete());
      // Only the end of the input can cut a response short (RFC 9112 §8).
      if (e == Error::kIncompleteResponse) FUZZ_CHECK(ctx.finished);
      if (e == Error::kTooManyInterimResponses) {
        FUZZ_CHECK(ctx.interim_run == options.limits.max_interim_responses);
      }
      FUZZ_CHECK(parser.bytes_examined() <= 2 * ctx.available);
      // The framing is lost: the error sticks.
      FUZZ_CHECK(parser.parse(std::span<char>(const_cast<char*>(ctx.begin), ctx.available)) == ParseStatus::kError);
      FUZZ_CHECK(parser.error() == e);
      break;
    }
    case ParseStatus::kIncomplete:
      // finish() leaves a response incomplete only when none had begun.
      FUZZ_CHECK(parser.error() == Error::kNone);
      FUZZ_CHECK(!ctx.finished || ctx.available == 0);
      break;
    case ParseStatus::kComplete:
      FUZZ_CHECK(parser.error() == Error::kNone);
      check_complete(parser, ctx, options, r);
      break;
  }
  return r;
}

// parse_all parses the responses in `input` back to back, in one read each
// or one byte per call, then finish() where the input ends.
std::vector<Result> parse_all(std::string_view input, const Config& config, bool bytewise) {
  std::vector<Result> results;
  shockwave::http1::testing::GuardedBuffer buffer(input);
  char* const buf = buffer.data();
  std::array<Header, 64> storage{};
  ResponseParser parser(storage, config.options);
  std::size_t offset = 0, finals = 0, interim_run = 0;
  parser.answers(config.kind(0));
  for (;;) {
    const std::size_t available = input.size() - offset;
    Context ctx{buf + offset, available, config.kind(finals), interim_run, false};
    ParseStatus status = ParseStatus::kIncomplete;
    std::size_t calls = 0;
    if (bytewise) {
      for (std::size_t n = 1; n <= available && status == ParseStatus::kIncomplete; ++n, ++calls) {
        buffer.set_visible(offset + n);
        status = parser.parse(std::span<char>(buf + offset, n));
      }
    } else if (available > 0) {
      status = parser.parse(std::span<char>(buf + offset, available));
      calls = 1;
    }
    if (status == ParseStatus::kIncomplete) {
      // The server closed the connection here.
      status = parser.finish(std::span<char>(buf + offset, available));
      ctx.finished = true;
    }
    results.push_back(check_and_copy(parser, status, ctx, config.options));
    results.back().examined = parser.bytes_examined();
    results.back().calls = calls;
    if (status != ParseStatus::kComplete) break;
    offset += parser.consumed();
    const ResponseHead& head = parser.head();
    // Nothing after a response that ends HTTP/1.1 on the connection.
    if (!head.keep_alive) break;
    const bool interim = head.interim();
    parser.reset();
    if (interim) {
      ++interim_run;  // reset() keeps what the next response answers
    } else {
      interim_run = 0;
      parser.answers(config.kind(++finals));
    }
  }
  return results;
}

// parse_streamed parses the responses as parse_all does, one byte per call,
// but takes each body out as it arrives (body_available, drop_body), as a
// client streaming a download through a small buffer: the body, trailers
// and framing must come out the same, and the bytes dropped plus
// consumed() must be the response's size on the wire.
std::vector<Result> parse_streamed(std::string_view input, const Config& config) {
  std::vector<Result> results;
  std::vector<char> buffer(input.size() + 1);
  std::array<Header, 64> storage{};
  ResponseParser parser(storage, config.options);
  std::size_t offset = 0, finals = 0;
  parser.answers(config.kind(0));
  for (;;) {
    std::size_t held = 0, fed = 0, wire_dropped = 0;
    std::string body;
    ParseStatus status = ParseStatus::kIncomplete;
    while (status == ParseStatus::kIncomplete && offset + fed < input.size()) {
      buffer[held++] = input[offset + fed++];
      const std::span<char> in(buffer.data(), held);
      status = parser.parse(in);
      if (status != ParseStatus::kIncomplete) break;
      const std::string_view slice = parser.body_available(in);
      FUZZ_CHECK(slice.empty() || parser.head_complete());
      FUZZ_CHECK(slice.data() == nullptr ||
                 (slice.data() >= buffer.data() && slice.data() + slice.size() <= buffer.data() + held));
      body += slice;
      const std::size_t shrunk = parser.drop_body(in, slice.size());
      FUZZ_CHECK(shrunk >= slice.size() && shrunk <= held);
      held -= shrunk;
      wire_dropped += shrunk;
    }
    if (status == ParseStatus::kIncomplete) status = parser.finish(std::span<char>(buffer.data(), held));
    Result r;
    r.status = status;
    r.error = parser.error();
    if (status == ParseStatus::kComplete) {
      body += parser.body();
      r.consumed = wire_dropped + parser.consumed();
      r.canonical = canonical(parser.head(), body, parser.trailers());
    }
    results.push_back(r);
    if (status != ParseStatus::kComplete) break;
    offset += r.consumed;
    const ResponseHead& head = parser.head();
    if (!head.keep_alive) break;
    const bool interim = head.interim();
    parser.reset();
    if (!interim) parser.answers(config.kind(++finals));
  }
  return results;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const Config config = make_config(data[0], data[1]);
  const std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::vector<Result> one_read = parse_all(input, config, false);
  const std::vector<Result> bytewise = parse_all(input, config, true);
  FUZZ_CHECK(one_read.size() == bytewise.size());
  for (std::size_t i = 0; i < one_read.size(); ++i) {
    FUZZ_CHECK(one_read[i].same_outcome(bytewise[i]));
    // Fed one byte per call, at most one byte more per call (invariant 4;
    // finish() parses once more, with no new byte).
    FUZZ_CHECK(bytewise[i].examined <= one_read[i].examined + bytewise[i].calls + 1);
  }
  // Streamed: the same responses, until one that only a whole-body buffer
  // refuses (max_body bounds the body held, and streaming holds little).
  const std::vector<Result> streamed = parse_streamed(input, config);
  for (std::size_t i = 0; i < one_read.size(); ++i) {
    if (one_read[i].error == Error::kBodyTooLarge) break;
    FUZZ_CHECK(i < streamed.size());
    FUZZ_CHECK(one_read[i].same_outcome(streamed[i]));
  }
  return 0;
}
