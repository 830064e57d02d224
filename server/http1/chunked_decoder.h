#ifndef SHOCKWAVE_SERVER_HTTP1_CHUNKED_DECODER_H_
#define SHOCKWAVE_SERVER_HTTP1_CHUNKED_DECODER_H_

// ChunkedDecoder decodes a chunked body (RFC 9112 §7.1) in place, across any
// number of reads, allocating nothing.
//
// Contract: `input` starts at the first byte of the chunked body and is the
// same buffer on every call, grown at its end by later reads (or moved, see
// rebase(), or with dead framing taken out, see reclaim()). Decoded data is
// moved towards the front: after each call, input[0, decoded_size()) is the
// body decoded so far. Every byte of input is examined once, however the
// bytes are split. Trailer fields are parsed into the storage given to the
// constructor; more than it holds → kTooManyFields (431).
//
// Limits: the decoded size (the sum of chunk sizes) is what max_body bounds
// (413); the framing is not counted against it. The framing is bounded on
// its own: at most max_chunk_size_digits hex digits and a CRLF per chunk
// size, a CRLF after each chunk's data (every chunk but the last carries at
// least one byte), max_chunk_extensions bytes of extensions in the whole
// body and max_field_section bytes of trailer section. So the wire size is
// at most (max_chunk_size_digits + 5) * max_body + max_chunk_extensions +
// max_field_section + max_chunk_size_digits + 2, and since decoded framing
// can be reclaimed at any time, the caller's buffer needs room for the
// decoded body and one unfinished chunk-size line (or trailer section) only.

#include <cstddef>
#include <cstdint>
#include <span>

#include "server/http1/error.h"
#include "server/http1/options.h"
#include "server/http1/parse_status.h"
#include "server/http1/request.h"

namespace shockwave::http1 {

class ChunkedDecoder {
 public:
  explicit ChunkedDecoder(std::span<Header> trailer_storage, const ParserOptions& options = {}) noexcept
      : trailers_(trailer_storage), options_(options) {}

  ParseStatus decode(std::span<char> input) noexcept;

  // bytes_examined counts the work done so far: input bytes advanced over
  // plus each trailer line's second pass. Trickled input must not raise it
  // beyond a byte per call (design invariant 4, docs/invariants.md; tests hold this).
  std::size_t bytes_examined() const noexcept { return examined_ + raw_; }

  // decoded_size is the number of body bytes at the front of input.
  std::size_t decoded_size() const noexcept { return decoded_; }
  // consumed is the chunked body's size on the wire, last CRLF included
  // (meaningful once decode returned kComplete).
  std::size_t consumed() const noexcept { return raw_; }
  std::span<const Header> trailers() const noexcept { return trailers_.first(trailer_count_); }
  Error error() const noexcept { return error_; }

  // reclaimable is the framing already decoded (chunk-size lines,
  // extensions, CRLFs, the last-chunk) that lies dead in input right after
  // the decoded data: input[decoded_size(), decoded_size() + reclaimable()).
  // Bytes of a trailer section being read are never counted: its fields
  // are views into input.
  std::size_t reclaimable() const noexcept;
  // reclaim: the caller moved the rest of input down over the first `n`
  // (<= reclaimable()) of those dead bytes; input is now `n` bytes shorter
  // and decoding resumes there. consumed() shrinks by n; bytes_examined()
  // does not change (the work was done).
  void reclaim(std::size_t n) noexcept;
  // drop_decoded: the caller took the first `n` (<= decoded_size()) body
  // bytes and moved the rest of input down over them, so that a body can be
  // streamed through a fixed buffer; decoding resumes n bytes earlier.
  // max_body then bounds the decoded bytes held, not all that went by.
  void drop_decoded(std::size_t n) noexcept {
    decoded_ -= n;
    reclaim(n);  // every position past the decoded data moves down by n
  }
  // drop_front does the moving for the caller that streams: it takes the
  // first `n` (<= decoded_size()) decoded bytes out of `input` together with
  // the framing decoded after them, moving the rest of input down, and
  // returns by how much input shrank. Both parsers stream through it.
  std::size_t drop_front(std::span<char> input, std::size_t n) noexcept;
  // limit_body: from now on the decoded bytes held may reach `max` (413
  // beyond), whatever the options said; a caller that drops what it takes
  // lowers it as it goes, to bound the whole body. reset() does not undo it.
  void limit_body(std::uint64_t max) noexcept { options_.limits.max_body = max; }
  // rebase: the caller moved input (the `size` bytes at `from`) to `to`; the
  // trailer fields follow. Offsets are relative to input, so that is all.
  void rebase(const char* from, std::size_t size, char* to) noexcept;

  // reset prepares for the next body, keeping storage and options.
  void reset() noexcept;
  // start prepares for the next body with trailers stored in `trailer_storage`.
  void start(std::span<Header> trailer_storage) noexcept;

 private:
  enum class State : std::uint8_t {
    kSize,
    kExtension,
    kSizeLF,
    kData,
    kDataCR,
    kDataLF,
    kTrailerLine,
    kDone,
    kError,
  };
  ParseStatus fail(Error e) noexcept;
  ParseStatus trailer_lines(std::span<char> input) noexcept;
  bool whole_chunks(std::span<char> input) noexcept;

  std::span<Header> trailers_;
  ParserOptions options_;
  State state_ = State::kSize;
  std::size_t raw_ = 0;           // next input byte to examine
  std::size_t decoded_ = 0;       // body bytes at the front of input
  std::uint64_t chunk_left_ = 0;  // data bytes left in the current chunk
  std::uint64_t chunk_size_ = 0;
  std::size_t size_digits_ = 0;
  std::size_t extension_bytes_ = 0;  // across the whole body
  std::uint8_t ext_state_ = 0;       // position inside a chunk-ext (see .cc)
  std::size_t line_start_ = 0;       // trailer line being read
  std::size_t trailer_start_ = 0;    // first byte of the trailer section
  std::size_t trailer_count_ = 0;
  std::size_t examined_ = 0;  // beyond raw_: re-examined bytes
  Error error_ = Error::kNone;
};

}  // namespace shockwave::http1

#endif  // SHOCKWAVE_SERVER_HTTP1_CHUNKED_DECODER_H_
