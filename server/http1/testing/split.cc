#include "server/http1/testing/split.h"

#include <cstdio>

namespace shockwave::http1 {

std::ostream& operator<<(std::ostream& os, ParseStatus s) {
  switch (s) {
    case ParseStatus::kIncomplete:
      return os << "kIncomplete";
    case ParseStatus::kComplete:
      return os << "kComplete";
    case ParseStatus::kError:
      return os << "kError";
  }
  return os << "ParseStatus(" << static_cast<int>(s) << ")";
}

std::ostream& operator<<(std::ostream& os, Error e) {
  return os << "k" << error_name(e) << " (" << error_status(e) << ")";
}

std::ostream& operator<<(std::ostream& os, TargetForm f) {
  switch (f) {
    case TargetForm::kOrigin:
      return os << "origin-form";
    case TargetForm::kAbsolute:
      return os << "absolute-form";
    case TargetForm::kAuthority:
      return os << "authority-form";
    case TargetForm::kAsterisk:
      return os << "asterisk-form";
  }
  return os << "TargetForm(" << static_cast<int>(f) << ")";
}

std::ostream& operator<<(std::ostream& os, BodyFraming f) {
  switch (f) {
    case BodyFraming::kNone:
      return os << "no body";
    case BodyFraming::kContentLength:
      return os << "Content-Length";
    case BodyFraming::kChunked:
      return os << "chunked";
    case BodyFraming::kClose:
      return os << "until close";
  }
  return os << "BodyFraming(" << static_cast<int>(f) << ")";
}

std::ostream& operator<<(std::ostream& os, Expectation e) {
  switch (e) {
    case Expectation::kNone:
      return os << "none";
    case Expectation::kContinue:
      return os << "100-continue";
    case Expectation::kOther:
      return os << "other";
  }
  return os << "Expectation(" << static_cast<int>(e) << ")";
}

}  // namespace shockwave::http1

namespace shockwave::http1::testing {

std::string Delivery::describe() const {
  switch (kind) {
    case Kind::kOneRead:
      return "one read (flush against the trailing guard page)";
    case Kind::kOneReadFrontGuard:
      return "one read (flush against the leading guard page)";
    case Kind::kByteByByte:
      return "byte by byte";
    case Kind::kTwoReads:
      return "two reads, the first of " + std::to_string(split) + " bytes";
  }
  return "?";
}

namespace internal {

std::vector<std::size_t> ReadEnds(const Delivery& delivery, std::size_t size) {
  switch (delivery.kind) {
    case Delivery::Kind::kOneRead:
    case Delivery::Kind::kOneReadFrontGuard:
      return {size};
    case Delivery::Kind::kByteByByte: {
      std::vector<std::size_t> ends;
      ends.reserve(size);
      for (std::size_t i = 1; i <= size; ++i) ends.push_back(i);
      if (ends.empty()) ends.push_back(0);
      return ends;
    }
    case Delivery::Kind::kTwoReads:
      return {delivery.split, size};
  }
  return {size};
}

std::vector<std::size_t> SplitPoints(std::size_t size, const SplitOptions& options) {
  std::vector<std::size_t> points;
  if (size < 2) return points;
  if (size <= options.every_offset_up_to || size <= 2 * options.edge + options.samples) {
    for (std::size_t s = 1; s < size; ++s) points.push_back(s);
    return points;
  }
  for (std::size_t s = 1; s <= options.edge; ++s) points.push_back(s);
  const std::size_t lo = options.edge + 1;
  const std::size_t hi = size - options.edge;  // exclusive
  for (std::size_t i = 0; i < options.samples; ++i) points.push_back(lo + (hi - lo) * i / options.samples);
  for (std::size_t s = hi; s < size; ++s) points.push_back(s);
  return points;
}

}  // namespace internal

std::ostream& operator<<(std::ostream& os, const Field& f) {
  return os << "\"" << escape(f.name) << "\": \"" << escape(f.value) << "\"";
}

namespace {

void PrintFields(std::ostream& os, const Fields& fields) {
  os << "[";
  for (std::size_t i = 0; i < fields.size(); ++i) os << (i ? ", " : "") << fields[i];
  os << "]";
}

}  // namespace

std::ostream& operator<<(std::ostream& os, const ParsedRequest& r) {
  os << "  " << escape(r.method) << " \"" << escape(r.target) << "\" (" << r.target_form << ") HTTP/" << r.version_major
     << "." << r.version_minor << "\n  headers ";
  PrintFields(os, r.headers);
  os << "\n  host \"" << escape(r.host) << "\", " << r.framing;
  if (r.framing == BodyFraming::kContentLength) os << " " << r.content_length;
  os << ", keep_alive " << r.keep_alive << ", expect " << r.expect << "\n  body \"" << escape(r.body)
     << "\", trailers ";
  PrintFields(os, r.trailers);
  return os << "\n  head_size " << r.head_size << ", consumed " << r.consumed;
}

std::ostream& operator<<(std::ostream& os, const RequestOutcome& o) {
  for (std::size_t i = 0; i < o.requests.size(); ++i) os << " request " << i + 1 << ":\n" << o.requests[i] << "\n";
  os << " then " << o.status;
  if (o.status == ParseStatus::kError) os << " " << o.error;
  if (o.status != ParseStatus::kComplete) os << " at offset " << o.pending_offset;
  if (o.pending) os << ", head received:\n" << *o.pending;
  return os;
}

std::ostream& operator<<(std::ostream& os, const DecodeOutcome& o) {
  os << " " << o.status;
  if (o.status == ParseStatus::kError) os << " " << o.error;
  os << ", decoded \"" << escape(o.decoded) << "\", trailers ";
  PrintFields(os, o.trailers);
  return os << ", consumed " << o.consumed;
}

std::ostream& operator<<(std::ostream& os, const ParsedResponse& r) {
  os << "HTTP/" << r.version_major << "." << r.version_minor << " " << r.status << " \"" << escape(r.reason)
     << "\", headers ";
  PrintFields(os, r.headers);
  os << ", " << r.framing;
  if (r.framing == BodyFraming::kContentLength) os << " " << r.content_length;
  os << (r.keep_alive ? ", keep-alive" : ", close") << (r.tunnel ? ", tunnel" : "") << ", body \"" << escape(r.body)
     << "\", trailers ";
  PrintFields(os, r.trailers);
  return os << ", head " << r.head_size << ", consumed " << r.consumed;
}

std::ostream& operator<<(std::ostream& os, const ResponseOutcome& o) {
  for (std::size_t i = 0; i < o.responses.size(); ++i) os << "  response " << i + 1 << ": " << o.responses[i] << "\n";
  os << "  " << o.status;
  if (o.status == ParseStatus::kError) os << " " << o.error;
  return os << " at offset " << o.pending_offset;
}

Fields CopyFields(std::span<const Header> fields) {
  Fields out;
  for (const Header& h : fields) out.push_back({std::string(h.name), std::string(h.value)});
  return out;
}

namespace {

ParsedRequest CopyHead(const RequestHead& head) {
  ParsedRequest r;
  r.method = std::string(head.method);
  r.target = std::string(head.target);
  r.target_form = head.target_form;
  r.version_major = head.version_major;
  r.version_minor = head.version_minor;
  r.headers = CopyFields(head.headers);
  r.host = std::string(head.host);
  r.framing = head.framing;
  r.content_length = head.content_length;
  r.keep_alive = head.keep_alive;
  r.expect = head.expect;
  return r;
}

}  // namespace

RequestSession::RequestSession(const Config& config)
    : storage_(config.field_capacity), parser_(std::span<Header>(storage_), config.options) {}

void RequestSession::feed(std::span<char> received) {
  // A sequence longer than this means consumed() is not advancing.
  constexpr std::size_t kMaxRequests = 100000;
  while (outcome_.status != ParseStatus::kError && received.size() > start_) {
    outcome_.pending_offset = start_;
    outcome_.pending.reset();
    const ParseStatus status = parser_.parse(received.subspan(start_));
    outcome_.status = status;
    if (status == ParseStatus::kIncomplete) {
      if (parser_.head_complete()) outcome_.pending = CopyHead(parser_.head());
      return;
    }
    if (status == ParseStatus::kError) {
      outcome_.error = parser_.error();
      return;
    }
    ParsedRequest request = CopyHead(parser_.head());
    request.body = std::string(parser_.body());
    request.trailers = CopyFields(parser_.trailers());
    request.head_size = parser_.head_size();
    request.consumed = parser_.consumed();
    outcome_.requests.push_back(std::move(request));
    if (parser_.consumed() == 0 || outcome_.requests.size() >= kMaxRequests) {
      ADD_FAILURE() << "kComplete with consumed() == " << parser_.consumed() << " after " << outcome_.requests.size()
                    << " requests";
      outcome_.status = ParseStatus::kError;
      return;
    }
    start_ += parser_.consumed();
    outcome_.pending_offset = start_;
    parser_.reset();
  }
}

DecodeSession::DecodeSession(const Config& config)
    : storage_(config.trailer_capacity), decoder_(std::span<Header>(storage_), config.options) {}

void DecodeSession::feed(std::span<char> received) {
  last_ = received;
  if (status_ != ParseStatus::kIncomplete) return;
  status_ = decoder_.decode(received);
}

DecodeOutcome DecodeSession::result() const {
  DecodeOutcome o;
  o.status = status_;
  if (status_ == ParseStatus::kError) {
    o.error = decoder_.error();
    return o;
  }
  o.decoded = std::string(last_.data(), decoder_.decoded_size());
  if (status_ == ParseStatus::kComplete) {
    o.trailers = CopyFields(decoder_.trailers());
    o.consumed = decoder_.consumed();
  }
  return o;
}

namespace {

// Totals over the test binary, printed at the end: how many cases went
// through the helper and in how many deliveries.
struct Totals {
  std::size_t cases = 0;
  std::size_t deliveries = 0;
};
Totals& totals() {
  static Totals t;
  return t;
}

class TotalsPrinter : public ::testing::Environment {
 public:
  void TearDown() override {
    if (totals().cases == 0) return;
    std::printf("[split.h] %zu cases, %zu deliveries (one read, byte by byte, two reads at each split)\n",
                totals().cases, totals().deliveries);
  }
};
[[maybe_unused]] ::testing::Environment* const kTotalsPrinter = ::testing::AddGlobalTestEnvironment(new TotalsPrinter);

template <class Report>
void Count(const Report& report) {
  ++totals().cases;
  totals().deliveries += report.runs;
}

// Abbreviated shows long inputs by their ends.
std::string Abbreviated(std::string_view bytes) {
  if (bytes.size() <= 600) return escape(bytes);
  return escape(bytes.substr(0, 300)) + "\"... (" + std::to_string(bytes.size() - 400) + " more bytes) ...\"" +
         escape(bytes.substr(bytes.size() - 100));
}

}  // namespace

ResponseSession::ResponseSession(const Config& config)
    : storage_(config.field_capacity),
      requests_(config.requests),
      parser_(std::span<Header>(storage_), config.options) {
  answer_next();
}

void ResponseSession::answer_next() noexcept {
  if (requests_.empty()) return;
  parser_.answers(requests_[finals_ < requests_.size() ? finals_ : requests_.size() - 1]);
}

void ResponseSession::record() {
  const ResponseHead& head = parser_.head();
  ParsedResponse r;
  r.version_major = head.version_major;
  r.version_minor = head.version_minor;
  r.status = head.status;
  r.reason = std::string(head.reason);
  r.headers = CopyFields(head.headers);
  r.framing = head.framing;
  r.content_length = head.content_length;
  r.keep_alive = head.keep_alive;
  r.tunnel = head.tunnel;
  r.body = std::string(parser_.body());
  r.trailers = CopyFields(parser_.trailers());
  r.head_size = parser_.head_size();
  r.consumed = parser_.consumed();
  outcome_.responses.push_back(std::move(r));
  const bool interim = head.interim();
  if (!interim) ++finals_;
  ended_ = !interim && !head.keep_alive;
  if (parser_.consumed() == 0) {
    ADD_FAILURE() << "kComplete with consumed() == 0";
    ended_ = true;
  }
  start_ += parser_.consumed();
  outcome_.pending_offset = start_;
  parser_.reset();
  if (!interim) answer_next();
}

void ResponseSession::feed(std::span<char> received) {
  last_ = received;
  while (!ended_ && outcome_.status != ParseStatus::kError && received.size() > start_) {
    const ParseStatus status = parser_.parse(received.subspan(start_));
    outcome_.status = status;
    if (status == ParseStatus::kIncomplete) return;
    if (status == ParseStatus::kError) {
      outcome_.error = parser_.error();
      return;
    }
    record();
  }
}

ResponseOutcome ResponseSession::result() {
  if (!finished_) {
    finished_ = true;
    if (ended_) {
      outcome_.status = ParseStatus::kComplete;
    } else if (outcome_.status != ParseStatus::kError) {
      const std::span<char> rest = last_.size() > start_ ? last_.subspan(start_) : std::span<char>();
      const ParseStatus status = parser_.finish(rest);
      outcome_.status = status;
      if (status == ParseStatus::kError) outcome_.error = parser_.error();
      if (status == ParseStatus::kComplete) {
        record();
        outcome_.status = ParseStatus::kComplete;
      } else if (status == ParseStatus::kIncomplete && !outcome_.responses.empty()) {
        outcome_.status = ParseStatus::kComplete;  // ended between responses
      }
    }
  }
  return outcome_;
}

ResponseOutcome ParseResponsesAllWays(std::string_view bytes, const ResponseConfig& config,
                                      const SplitOptions& options) {
  auto report = FeedAllWays<ResponseSession>(bytes, config, options);
  Count(report);
  EXPECT_TRUE(report.consistent()) << "input: \"" << Abbreviated(bytes) << "\"";
  return report.one_read;
}

RequestOutcome ParseAllWays(std::string_view bytes, const RequestConfig& config, const SplitOptions& options) {
  auto report = FeedAllWays<RequestSession>(bytes, config, options);
  Count(report);
  EXPECT_TRUE(report.consistent()) << "input: \"" << Abbreviated(bytes) << "\"";
  return report.one_read;
}

DecodeOutcome DecodeAllWays(std::string_view body, const DecodeConfig& config, const SplitOptions& options) {
  auto report = FeedAllWays<DecodeSession>(body, config, options);
  Count(report);
  EXPECT_TRUE(report.consistent()) << "input: \"" << Abbreviated(body) << "\"";
  return report.one_read;
}

}  // namespace shockwave::http1::testing
