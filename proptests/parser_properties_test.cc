// Properties of the request parser (server/http1), under RapidCheck:
// split invariance, round trip, agreement with llhttp, rejection of
// single-rule mutations with the status the rule names, and bounded work
// when bytes arrive one at a time. Inputs come from proptests/generators.h.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <limits>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "conformance/adapter.h"
#include "conformance/adapters/shockwave_adapter.h"
#include "conformance/model.h"
#include "proptests/generators.h"
#include "server/http1/error.h"
#include "server/http1/request_parser.h"
#include "testing/escape.h"

namespace shockwave::proptests {
namespace {

using conformance::Message;
using conformance::ParseOutcome;
using http1::ParseStatus;

conformance::ParserAdapter& adapter(std::string_view name) {
  static std::unique_ptr<conformance::ParserAdapter> shockwave = conformance::make_adapter("shockwave");
  static std::unique_ptr<conformance::ParserAdapter> llhttp = conformance::make_adapter("llhttp");
  return name == "llhttp" ? *llhttp : *shockwave;
}

// parse_in_reads: what RequestParser makes of `bytes` delivered in reads
// ending at each of `cuts` and then at the end, reported in the canonical
// model by the shockwave adapter's rules (pipelining; stop after a request
// that does not keep the connection alive).
ParseOutcome parse_in_reads(std::string_view bytes, const std::vector<std::size_t>& cuts,
                            const http1::ParserOptions& options = {}) {
  std::array<http1::Header, 128> fields{};
  http1::RequestParser parser(fields, options);
  std::vector<char> buf(bytes.begin(), bytes.end());
  ParseOutcome out;
  std::size_t offset = 0;
  std::vector<std::size_t> ends = cuts;
  ends.push_back(buf.size());
  for (std::size_t available : ends) {
    while (offset < available) {
      const ParseStatus status = parser.parse(std::span<char>(buf).subspan(offset, available - offset));
      if (status == ParseStatus::kIncomplete) break;
      if (status == ParseStatus::kError) {
        out.error =
            conformance::Error{http1::error_status(parser.error()), std::string(http1::error_reason(parser.error()))};
        return out;
      }
      out.messages.push_back(conformance::to_message(parser));
      offset += parser.consumed();
      out.consumed = offset;
      const bool keep_alive = parser.head().keep_alive;
      parser.reset();
      if (!keep_alive) return out;
    }
  }
  out.incomplete = offset < buf.size();
  return out;
}

std::string show(const ParseOutcome& outcome) { return conformance::to_json(outcome); }

// gen_batch: 1..max pipelined requests, and their bytes back to back.
struct Batch {
  std::vector<GenRequest> requests;
  std::string bytes;
};

void showValue(const Batch& batch, std::ostream& os) { os << '"' << testing::escape(batch.bytes) << '"'; }

rc::Gen<Batch> gen_batch(std::size_t max, RequestSpace space = {}) {
  return rc::gen::exec([max, space] {
    Batch b;
    const auto n = *rc::gen::inRange<std::size_t>(1, max + 1);
    for (std::size_t i = 0; i < n; ++i) {
      b.requests.push_back(*gen_request(space));
      b.bytes += serialize(b.requests.back());
    }
    return b;
  });
}

// all_cuts: one byte per read.
std::vector<std::size_t> all_cuts(std::size_t size) {
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < size; ++i) cuts.push_back(i);
  return cuts;
}

// ---------------------------------------------------------------------------
// Split invariance: the canonical result does not depend on how the bytes
// are split into reads.

RC_GTEST_PROP(ParserProperties, SplitInvarianceOnValidRequests, ()) {
  const Batch batch = *gen_batch(4);
  const ParseOutcome one_shot = adapter("shockwave").parse(batch.bytes);
  const auto cuts = *rc::gen::weightedOneOf<std::vector<std::size_t>>(
      {{8, gen_split_points(batch.bytes.size())}, {1, rc::gen::just(all_cuts(batch.bytes.size()))}});
  const ParseOutcome split = parse_in_reads(batch.bytes, cuts);
  RC_LOG() << "one shot " << show(one_shot) << "\nsplit    " << show(split) << "\n";
  RC_ASSERT(one_shot.ok());
  RC_ASSERT(split == one_shot);
}

RC_GTEST_PROP(ParserProperties, SplitInvarianceOnMutatedRequests, ()) {
  const Mutant m = *gen_mutant();
  const ParseOutcome one_shot = adapter("shockwave").parse(m.bytes);
  const auto cuts = *rc::gen::weightedOneOf<std::vector<std::size_t>>(
      {{8, gen_split_points(m.bytes.size())}, {1, rc::gen::just(all_cuts(m.bytes.size()))}});
  const ParseOutcome split = parse_in_reads(m.bytes, cuts);
  RC_LOG() << "one shot " << show(one_shot) << "\nsplit    " << show(split) << "\n";
  RC_ASSERT(split == one_shot);
}

// ---------------------------------------------------------------------------
// Round trip: a generated request serialised and parsed gives back the
// request: method, target, version, fields in order, decoded body,
// trailers, keep-alive; pipelined up to the first request that closes.

RC_GTEST_PROP(ParserProperties, RoundTrip, ()) {
  const Batch batch = *gen_batch(4);
  ParseOutcome expected;
  for (const GenRequest& r : batch.requests) {
    expected.messages.push_back(expected_message(r));
    expected.consumed += serialize(r).size();
    if (!r.keep_alive) break;
  }
  const ParseOutcome got = adapter("shockwave").parse(batch.bytes);
  RC_LOG() << "expected " << show(expected) << "\ngot      " << show(got) << "\n";
  RC_ASSERT(got == expected);
}

// ---------------------------------------------------------------------------
// Agreement with llhttp (strict mode) on generated valid requests, within
// the documented differences (proptests/README.md): methods llhttp knows,
// and no CONNECT (llhttp hands the connection over to a tunnel).

RC_GTEST_PROP(ParserProperties, AgreesWithLlhttpOnValidRequests, ()) {
  RequestSpace space;
  space.llhttp_compatible = true;
  const Batch batch = *gen_batch(3, space);
  const ParseOutcome ours = adapter("shockwave").parse(batch.bytes);
  const ParseOutcome theirs = adapter("llhttp").parse(batch.bytes);
  RC_LOG() << "shockwave " << show(ours) << "\nllhttp    " << show(theirs) << "\n";
  RC_ASSERT(ours.ok());
  RC_ASSERT(ours == theirs);
}

// ---------------------------------------------------------------------------
// Mutations: a valid request with one RFC rule broken is rejected with the
// status that rule names.

RC_GTEST_PROP(ParserProperties, MutationsAreRejectedWithTheirStatus, ()) {
  const Mutant m = *gen_mutant();
  const ParseOutcome got = adapter("shockwave").parse(m.bytes);
  RC_LOG() << "got " << show(got) << "\n";
  RC_ASSERT(got.error.has_value());
  RC_ASSERT(got.error->status == m.status);
}

// ---------------------------------------------------------------------------
// Bounded work (design invariant 4, docs/invariants.md), counted, not timed: RequestParser::
// bytes_examined() counts the bytes it scans and each line's validation
// pass. Fed one byte per read, a generated request (padded with a long
// field at a generated place) costs at most one byte of extra work per read
// over one read, and one read costs at most two passes over the input.

// padded: r with a field of about n octets at a generated place.
std::string padded(GenRequest r, std::size_t n, std::size_t at) {
  std::string value(n, 'v');
  for (std::size_t i = 7; i < n; i += 13) value[i] = ' ';
  r.fields.insert(r.fields.begin() + static_cast<std::ptrdiff_t>(std::min(at, r.fields.size())),
                  GenField{"X-Pad", value, " ", ""});
  return serialize(r);
}

RC_GTEST_PROP(ParserProperties, ByteAtATimeWorkIsLinear, ()) {
  RequestSpace space;
  space.max_body = 64;
  const GenRequest r = *gen_request(space);
  const auto at = *rc::gen::inRange<std::size_t>(0, r.fields.size() + 1);
  const auto pad = *rc::gen::inRange<std::size_t>(0, 16 * 1024);
  const std::string bytes = padded(r, pad, at);
  http1::ParserOptions options;
  options.limits.max_field_section = 1 << 20;
  std::array<http1::Header, 128> fields{};

  std::vector<char> once_buf(bytes.begin(), bytes.end());
  http1::RequestParser once(fields, options);
  RC_ASSERT(once.parse(std::span<char>(once_buf)) == ParseStatus::kComplete);
  RC_ASSERT(once.bytes_examined() <= 2 * bytes.size());

  std::vector<char> buf(bytes.begin(), bytes.end());
  http1::RequestParser parser(fields, options);
  ParseStatus status = ParseStatus::kIncomplete;
  for (std::size_t n = 1; n <= buf.size() && status == ParseStatus::kIncomplete; ++n) {
    status = parser.parse(std::span<char>(buf).first(n));
    RC_ASSERT(parser.bytes_examined() <= once.bytes_examined() + n);
  }
  RC_ASSERT(status == ParseStatus::kComplete);
}

}  // namespace
}  // namespace shockwave::proptests
