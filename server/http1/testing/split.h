#ifndef SHOCKWAVE_SERVER_HTTP1_TESTING_SPLIT_H_
#define SHOCKWAVE_SERVER_HTTP1_TESTING_SPLIT_H_

// The one splitting helper every http1 test goes through (RFC 9112 §2.2 read
// as a property: the result must not depend on how the bytes are split into
// reads).
//
// FeedAllWays<Session>(bytes, config) runs a fresh Session over each delivery
// of `bytes`:
//   - one read (the bytes flush against a trailing PROT_NONE guard page),
//   - one read with the bytes flush against a leading guard page,
//   - byte by byte: one buffer, grown by one byte before each call,
//   - two reads, split at every offset 1..n-1 (for long inputs: the first and
//     last `SplitOptions::edge` offsets and `samples` offsets in between).
// Every run gets its own copy of the bytes in its own GuardedBuffer (the
// chunked decoder rewrites its input), bytes not yet "received" are poisoned
// for AddressSanitizer, and the outcome of each run is compared with the
// one-read outcome. SplitReport::consistent() is a gtest AssertionResult that
// names the first deliveries that differed and prints both outcomes.
//
// A Session is constructed from `const Session::Config&`, is fed with
// `void feed(std::span<char> received)` (all bytes received so far, same
// storage each time) and summarises itself with `Session::Result result()`,
// called while the buffer is still alive. Result needs == and operator<<.
//
// RequestSession (pipelined requests through RequestParser) and
// DecodeSession (one chunked body through ChunkedDecoder) are provided, with
// ParseAllWays / DecodeAllWays wrappers that EXPECT consistency and return
// the one-read outcome.

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <ostream>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/http1/chunked_decoder.h"
#include "server/http1/error.h"
#include "server/http1/options.h"
#include "server/http1/parse_status.h"
#include "server/http1/request.h"
#include "server/http1/request_parser.h"
#include "server/http1/response.h"
#include "server/http1/response_parser.h"
#include "server/http1/testing/guarded_buffer.h"
#include "testing/escape.h"

// Printers for the library's enums, found by ADL from gtest and from <<.
namespace shockwave::http1 {
std::ostream& operator<<(std::ostream& os, ParseStatus s);
std::ostream& operator<<(std::ostream& os, Error e);
std::ostream& operator<<(std::ostream& os, TargetForm f);
std::ostream& operator<<(std::ostream& os, BodyFraming f);
std::ostream& operator<<(std::ostream& os, Expectation e);
}  // namespace shockwave::http1

namespace shockwave::http1::testing {

// escape renders bytes C-style ("\r\n", "\x00"), for failure messages: the
// one escaper of the test code (testing/escape.h).
using ::shockwave::testing::escape;

// ---------------------------------------------------------------------------
// The generic driver.

struct Delivery {
  enum class Kind : std::uint8_t { kOneRead, kOneReadFrontGuard, kByteByByte, kTwoReads };
  Kind kind = Kind::kOneRead;
  std::size_t split = 0;  // kTwoReads: the size of the first read
  std::string describe() const;
};

struct SplitOptions {
  // Two-read splits at every offset for inputs up to this size...
  std::size_t every_offset_up_to = 4096;
  // ...and beyond it, the first and last `edge` offsets plus `samples`
  // evenly spaced ones.
  std::size_t edge = 128;
  std::size_t samples = 256;
  bool byte_by_byte = true;
};

template <class Result>
struct SplitReport {
  Result one_read;
  std::size_t runs = 0;
  std::vector<std::pair<Delivery, Result>> mismatches;

  ::testing::AssertionResult consistent() const {
    if (mismatches.empty()) return ::testing::AssertionSuccess();
    auto failure = ::testing::AssertionFailure();
    failure << mismatches.size() << " of " << runs << " deliveries differ from one read.\n"
            << "one read:\n"
            << one_read << "\n";
    const std::size_t shown = mismatches.size() < 3 ? mismatches.size() : 3;
    for (std::size_t i = 0; i < shown; ++i) {
      failure << mismatches[i].first.describe() << ":\n" << mismatches[i].second << "\n";
    }
    return failure;
  }
};

namespace internal {

// ReadEnds lists where each read of `delivery` ends, for `size` bytes.
std::vector<std::size_t> ReadEnds(const Delivery& delivery, std::size_t size);
// SplitPoints lists the first-read sizes of the two-read deliveries.
std::vector<std::size_t> SplitPoints(std::size_t size, const SplitOptions& options);

template <class Session>
typename Session::Result Run(std::string_view bytes, const Delivery& delivery, const typename Session::Config& config) {
  const auto guard = delivery.kind == Delivery::Kind::kOneReadFrontGuard ? GuardedBuffer::Guard::kBefore
                                                                         : GuardedBuffer::Guard::kAfter;
  GuardedBuffer buffer(bytes.size(), guard);
  if (guard == GuardedBuffer::Guard::kAfter) buffer.set_visible(0);
  Session session(config);
  std::size_t have = 0;
  for (std::size_t end : ReadEnds(delivery, bytes.size())) {
    buffer.set_visible(end);
    if (end > have) std::memcpy(buffer.data() + have, bytes.data() + have, end - have);
    have = end;
    session.feed(buffer.span().first(end));
  }
  return session.result();
}

}  // namespace internal

// FeedAllWays: see the file comment.
template <class Session>
SplitReport<typename Session::Result> FeedAllWays(std::string_view bytes, const typename Session::Config& config,
                                                  const SplitOptions& options = {}) {
  using Kind = Delivery::Kind;
  SplitReport<typename Session::Result> report{internal::Run<Session>(bytes, {Kind::kOneRead, 0}, config), 1, {}};
  auto check = [&](const Delivery& delivery) {
    auto result = internal::Run<Session>(bytes, delivery, config);
    ++report.runs;
    if (!(result == report.one_read)) report.mismatches.emplace_back(delivery, std::move(result));
  };
  check({Kind::kOneReadFrontGuard, 0});
  if (options.byte_by_byte && bytes.size() > 1) check({Kind::kByteByByte, 0});
  for (std::size_t split : internal::SplitPoints(bytes.size(), options)) check({Kind::kTwoReads, split});
  return report;
}

// ---------------------------------------------------------------------------
// Outcomes: owning copies of what the parser exposed, comparable and printable.

struct Field {
  std::string name;
  std::string value;
  bool operator==(const Field&) const = default;
};
using Fields = std::vector<Field>;

struct ParsedRequest {
  std::string method;
  std::string target;
  TargetForm target_form = TargetForm::kOrigin;
  int version_major = 0;
  int version_minor = 0;
  Fields headers;
  std::string host;
  BodyFraming framing = BodyFraming::kNone;
  std::uint64_t content_length = 0;
  bool keep_alive = false;
  Expectation expect = Expectation::kNone;
  // Set once the request is complete (empty/0 in RequestOutcome::pending).
  std::string body;
  Fields trailers;
  std::size_t head_size = 0;
  std::size_t consumed = 0;
  bool operator==(const ParsedRequest&) const = default;
};

struct RequestOutcome {
  // Completed requests, in order (pipelining: each one starts where the
  // previous one's consumed() ended).
  std::vector<ParsedRequest> requests;
  // The last status: kComplete when the input ended exactly after the last
  // request, kIncomplete when a request is still being received, kError.
  ParseStatus status = ParseStatus::kIncomplete;
  Error error = Error::kNone;
  // With kIncomplete: the pending request's head, if head_complete().
  std::optional<ParsedRequest> pending;
  // Offset of the request that is pending or failed.
  std::size_t pending_offset = 0;
  bool operator==(const RequestOutcome&) const = default;
};

struct ParsedResponse {
  int version_major = 0;
  int version_minor = 0;
  int status = 0;
  std::string reason;
  Fields headers;
  BodyFraming framing = BodyFraming::kNone;
  std::uint64_t content_length = 0;
  bool keep_alive = false;
  bool tunnel = false;
  std::string body;
  Fields trailers;
  std::size_t head_size = 0;
  std::size_t consumed = 0;
  bool operator==(const ParsedResponse&) const = default;
};

struct ResponseOutcome {
  // Complete responses, in order, interim ones included.
  std::vector<ParsedResponse> responses;
  // After finish() at the end of input: kComplete when the input ended
  // between responses (or the last one ended the connection), kIncomplete
  // when it was empty after the last one, kError otherwise.
  ParseStatus status = ParseStatus::kIncomplete;
  Error error = Error::kNone;
  std::size_t pending_offset = 0;  // where the failed or unfinished response starts
  bool operator==(const ResponseOutcome&) const = default;
};

struct DecodeOutcome {
  ParseStatus status = ParseStatus::kIncomplete;
  Error error = Error::kNone;
  std::string decoded;       // the decoded body so far (not compared on kError)
  Fields trailers;           // with kComplete
  std::size_t consumed = 0;  // with kComplete
  bool operator==(const DecodeOutcome&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Field& f);
std::ostream& operator<<(std::ostream& os, const ParsedRequest& r);
std::ostream& operator<<(std::ostream& os, const RequestOutcome& o);
std::ostream& operator<<(std::ostream& os, const DecodeOutcome& o);
std::ostream& operator<<(std::ostream& os, const ParsedResponse& r);
std::ostream& operator<<(std::ostream& os, const ResponseOutcome& o);

Fields CopyFields(std::span<const Header> fields);

// ---------------------------------------------------------------------------
// Sessions.

struct RequestConfig {
  ParserOptions options;
  // Size of the Header array given to the parser (head fields + trailers).
  std::size_t field_capacity = 64;
};

// RequestSession parses a sequence of pipelined requests: after kComplete it
// records the request, calls reset() and goes on at consumed(); it stops at
// the first error.
class RequestSession {
 public:
  using Config = RequestConfig;
  using Result = RequestOutcome;

  explicit RequestSession(const Config& config);
  void feed(std::span<char> received);
  Result result() const { return outcome_; }

 private:
  std::vector<Header> storage_;
  RequestParser parser_;
  RequestOutcome outcome_;
  std::size_t start_ = 0;
};

struct ResponseConfig {
  ParserOptions options;
  std::size_t field_capacity = 64;
  // What each final response answers, in order; the last one repeats
  // (empty: kOther for every response).
  std::vector<RequestKind> requests;
};

// ResponseSession parses the responses one server sent on one connection:
// after kComplete it records the response, calls reset() and goes on at
// consumed(), until an error or a response after which the connection
// carries no more responses (keep-alive false, a tunnel). result() is the
// end of input: it calls finish() (once) on what is left.
class ResponseSession {
 public:
  using Config = ResponseConfig;
  using Result = ResponseOutcome;

  explicit ResponseSession(const Config& config);
  void feed(std::span<char> received);
  Result result();

 private:
  void answer_next() noexcept;
  void record();

  std::vector<Header> storage_;
  std::vector<RequestKind> requests_;
  ResponseParser parser_;
  ResponseOutcome outcome_;
  std::span<char> last_;
  std::size_t start_ = 0;
  std::size_t finals_ = 0;  // final responses recorded
  bool ended_ = false;      // a response ended the connection
  bool finished_ = false;
};

struct DecodeConfig {
  ParserOptions options;
  std::size_t trailer_capacity = 64;
};

// DecodeSession decodes one chunked body; bytes after it are left alone.
class DecodeSession {
 public:
  using Config = DecodeConfig;
  using Result = DecodeOutcome;

  explicit DecodeSession(const Config& config);
  void feed(std::span<char> received);
  Result result() const;

 private:
  std::vector<Header> storage_;
  ChunkedDecoder decoder_;
  ParseStatus status_ = ParseStatus::kIncomplete;
  std::span<char> last_;
};

// ParseAllWays runs RequestSession over every delivery of `bytes`, adds a
// gtest failure if any delivery's outcome differs from one read, and returns
// the one-read outcome.
RequestOutcome ParseAllWays(std::string_view bytes, const RequestConfig& config = {}, const SplitOptions& options = {});

// ParseResponsesAllWays is ParseAllWays for the responses of one
// connection through ResponseParser, finish() at the end of input.
ResponseOutcome ParseResponsesAllWays(std::string_view bytes, const ResponseConfig& config = {},
                                      const SplitOptions& options = {});

// DecodeAllWays is ParseAllWays for a chunked body through ChunkedDecoder.
DecodeOutcome DecodeAllWays(std::string_view body, const DecodeConfig& config = {}, const SplitOptions& options = {});

}  // namespace shockwave::http1::testing

#endif  // SHOCKWAVE_SERVER_HTTP1_TESTING_SPLIT_H_
