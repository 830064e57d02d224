#include "server/http1/chunked_decoder.h"

#include <algorithm>
#include <cstring>

#include "server/http1/char_class.h"
#include "server/http1/field_line.h"

namespace shockwave::http1 {
namespace {

// Positions inside `chunk-ext = *( BWS ";" BWS chunk-ext-name
// [ BWS "=" BWS chunk-ext-val ] )` (RFC 9112 §7.1.1), after the chunk-size.
enum Ext : std::uint8_t {
  kAfterSizeWs,  // whitespace after the size: only ";" may follow
  kNameStart,    // after ";"
  kName,
  kAfterNameWs,
  kValueStart,  // after "="
  kTokenValue,
  kAfterValueWs,
  kQuoted,
  kQuotedEscape,
  kAfterQuoted,
};

// The states in which the extension may end (CRLF follows).
constexpr bool may_end(std::uint8_t s) { return s == kName || s == kTokenValue || s == kAfterQuoted; }

// qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text (RFC 9110 §5.6.4)
constexpr bool is_qdtext(unsigned char c) {
  return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e) || c >= 0x80;
}

// next_ext returns the state after byte c, or -1 if c is not allowed there.
int next_ext(std::uint8_t s, char ch) {
  const auto c = static_cast<unsigned char>(ch);
  const bool ws = chars::is_ows(ch);
  switch (s) {
    case kAfterSizeWs:
      return ws ? kAfterSizeWs : c == ';' ? kNameStart : -1;
    case kNameStart:
      return ws ? kNameStart : chars::is_tchar(ch) ? kName : -1;
    case kName:
      return chars::is_tchar(ch) ? kName : c == ';' ? kNameStart : c == '=' ? kValueStart : ws ? kAfterNameWs : -1;
    case kAfterNameWs:
      return ws ? kAfterNameWs : c == ';' ? kNameStart : c == '=' ? kValueStart : -1;
    case kValueStart:
      return ws ? kValueStart : c == '"' ? kQuoted : chars::is_tchar(ch) ? kTokenValue : -1;
    case kTokenValue:
      return chars::is_tchar(ch) ? kTokenValue : c == ';' ? kNameStart : ws ? kAfterValueWs : -1;
    case kAfterValueWs:
      return ws ? kAfterValueWs : c == ';' ? kNameStart : -1;
    case kQuoted:
      return c == '"' ? kAfterQuoted : c == '\\' ? kQuotedEscape : is_qdtext(c) ? kQuoted : -1;
    case kQuotedEscape:
      // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ): a field value's bytes.
      return chars::is(ch, chars::kFieldValue) ? kQuoted : -1;
    case kAfterQuoted:
      return c == ';' ? kNameStart : ws ? kAfterValueWs : -1;
  }
  return -1;
}

}  // namespace

void ChunkedDecoder::reset() noexcept { start(trailers_); }

void ChunkedDecoder::start(std::span<Header> trailer_storage) noexcept {
  // Everything but the options (which stay as constructed).
  trailers_ = trailer_storage;
  state_ = State::kSize;
  raw_ = decoded_ = line_start_ = trailer_start_ = trailer_count_ = examined_ = 0;
  chunk_left_ = chunk_size_ = 0;
  size_digits_ = extension_bytes_ = 0;
  ext_state_ = 0;
  error_ = Error::kNone;
}

std::size_t ChunkedDecoder::reclaimable() const noexcept {
  switch (state_) {
    case State::kDone:
    case State::kError:
      return 0;
    case State::kTrailerLine:  // the trailer section's fields point into it
      return trailer_start_ - decoded_;
    default:  // every byte before raw_ is decoded data or dead framing
      return raw_ - decoded_;
  }
}

void ChunkedDecoder::reclaim(std::size_t n) noexcept {
  raw_ -= n;
  examined_ += n;  // bytes_examined() counts work done: it stays
  if (state_ != State::kTrailerLine) return;
  line_start_ -= n;
  trailer_start_ -= n;
  for (std::size_t i = 0; i < trailer_count_; ++i) {
    Header& h = trailers_[i];
    // They lie after the dead bytes, so they move down by n.
    if (h.name.data() != nullptr) h.name = std::string_view(h.name.data() - n, h.name.size());
    if (h.value.data() != nullptr) h.value = std::string_view(h.value.data() - n, h.value.size());
  }
}

std::size_t ChunkedDecoder::drop_front(std::span<char> input, std::size_t n) noexcept {
  // [decoded][decoded framing, dead][not decoded yet] -> [decoded - n][not decoded yet]
  char* const body = input.data();
  const std::size_t dead = reclaimable();
  std::memmove(body, body + n, decoded_ - n);
  std::memmove(body + decoded_ - n, body + decoded_ + dead, input.size() - decoded_ - dead);
  reclaim(dead);
  drop_decoded(n);
  return n + dead;
}

void ChunkedDecoder::rebase(const char* from, std::size_t size, char* to) noexcept {
  for (std::size_t i = 0; i < trailer_count_; ++i) {
    trailers_[i].name = rebase_view(trailers_[i].name, from, size, to);
    trailers_[i].value = rebase_view(trailers_[i].value, from, size, to);
  }
}

ParseStatus ChunkedDecoder::fail(Error e) noexcept {
  error_ = e;
  state_ = State::kError;
  return ParseStatus::kError;
}

// whole_chunks decodes, from a chunk boundary, the chunks that are whole in
// input in their common form, `chunk-size CRLF chunk-data CRLF` without
// extensions, and a last-chunk followed by the empty trailer section. The
// state lives in locals: the body bytes it moves are chars, which may alias
// any member, so members would be reloaded after every write. It stops at
// the first chunk it cannot take whole, leaving it to decode's state machine
// (which also names any error); the bytes it looked at there count as examined.
bool ChunkedDecoder::whole_chunks(std::span<char> input) noexcept {
  char* const buf = input.data();
  const std::size_t n = input.size();
  const std::size_t max_digits = options_.limits.max_chunk_size_digits;
  const std::uint64_t max_body = options_.limits.max_body;
  std::size_t raw = raw_;
  std::size_t decoded = decoded_;
  bool done = false;
  for (;;) {
    std::size_t i = raw;
    std::uint64_t size = 0;
    const std::size_t digits_end = n - raw > max_digits ? raw + max_digits : n;
    for (; i < digits_end; ++i) {
      const unsigned digit = chars::kHexValue[static_cast<unsigned char>(buf[i])];
      if (digit > 15) break;
      size = size * 16 + digit;
    }
    if (i == raw || n - i < 2 || buf[i] != '\r' || buf[i + 1] != '\n' || size > max_body - decoded) {
      examined_ += i - raw;
      break;
    }
    const std::size_t data = i + 2;
    if (size == 0) {  // last-chunk; an empty trailer section ends the body (RFC 9112 §7.1.2)
      // The empty line counts against the trailer section's limit too.
      if (n - data < 2 || buf[data] != '\r' || buf[data + 1] != '\n' || options_.limits.max_field_section < 2) {
        examined_ += data - raw;
        break;
      }
      raw = data + 2;
      done = true;
      break;
    }
    if (n - data < size || n - data - size < 2 || buf[data + size] != '\r' || buf[data + size + 1] != '\n') {
      examined_ += data - raw;
      break;
    }
    std::memmove(buf + decoded, buf + data, size);
    decoded += size;
    raw = data + size + 2;
  }
  raw_ = raw;
  decoded_ = decoded;
  if (done) {
    trailer_start_ = line_start_ = raw - 2;
    state_ = State::kDone;
  }
  return done;
}

ParseStatus ChunkedDecoder::decode(std::span<char> input) noexcept {
  char* const buf = input.data();
  const std::size_t n = input.size();
  const ParserLimits& limits = options_.limits;
  if (state_ == State::kSize && size_digits_ == 0 && whole_chunks(input)) return ParseStatus::kComplete;
  while (raw_ < n) {
    const char c = buf[raw_];
    switch (state_) {
      case State::kSize: {  // chunk-size = 1*HEXDIG (RFC 9112 §7.1)
        // The digits in one tight loop, then the common "\r\n" at once.
        std::size_t i = raw_;
        while (i < n && chars::is_hex(buf[i])) {
          if (++size_digits_ > limits.max_chunk_size_digits) return fail(Error::kInvalidChunkSize);
          chunk_size_ = chunk_size_ * 16 + chars::hex_value(buf[i++]);
        }
        raw_ = i;
        if (i == n) break;
        const char d = buf[i];
        if (size_digits_ == 0) return fail(Error::kInvalidChunkSize);
        if (d == '\r' && i + 1 < n && buf[i + 1] == '\n') {
          raw_ = i + 1;  // kSizeLF takes the LF
          state_ = State::kSizeLF;
          break;
        }
        if (d == '\r') {
          state_ = State::kSizeLF;
        } else if (d == ';' || chars::is_ows(d)) {
          state_ = State::kExtension;
          ext_state_ = d == ';' ? kNameStart : kAfterSizeWs;
          if (++extension_bytes_ > limits.max_chunk_extensions) return fail(Error::kChunkExtensionsTooLarge);
        } else {
          return fail(Error::kInvalidChunkSize);
        }
        ++raw_;
        break;
      }
      case State::kExtension:
        if (c == '\r') {
          if (!may_end(ext_state_)) return fail(Error::kInvalidChunkExtension);
          state_ = State::kSizeLF;
        } else {
          // RFC 9112 §7.1.1: a recipient ought to limit the total length of
          // chunk extensions received in a request.
          if (++extension_bytes_ > limits.max_chunk_extensions) return fail(Error::kChunkExtensionsTooLarge);
          int next = next_ext(ext_state_, c);
          if (next < 0) return fail(Error::kInvalidChunkExtension);
          ext_state_ = static_cast<std::uint8_t>(next);
        }
        ++raw_;
        break;
      case State::kSizeLF:
        // RFC 9112 §7.1: CRLF only; the bare-LF allowance of §2.2 does not
        // cover chunked framing.
        if (c != '\n') return fail(Error::kInvalidChunkSize);
        ++raw_;
        if (chunk_size_ > limits.max_body - decoded_) return fail(Error::kBodyTooLarge);
        if (chunk_size_ == 0) {  // last-chunk: the trailer section follows
          state_ = State::kTrailerLine;
          line_start_ = trailer_start_ = raw_;
        } else {
          chunk_left_ = chunk_size_;
          state_ = State::kData;
        }
        chunk_size_ = 0;
        size_digits_ = 0;
        break;
      case State::kData: {
        const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_left_, n - raw_));
        if (decoded_ != raw_) std::memmove(buf + decoded_, buf + raw_, take);
        decoded_ += take;
        raw_ += take;
        chunk_left_ -= take;
        if (chunk_left_ == 0) state_ = State::kDataCR;
        break;
      }
      case State::kDataCR:  // chunk-data is followed by CRLF, nothing else
        if (c != '\r') return fail(Error::kInvalidChunkData);
        ++raw_;
        state_ = State::kDataLF;
        if (raw_ < n && buf[raw_] == '\n') {  // the common case, at once
          ++raw_;
          state_ = State::kSize;
        }
        break;
      case State::kDataLF:
        if (c != '\n') return fail(Error::kInvalidChunkData);
        ++raw_;
        state_ = State::kSize;
        break;
      case State::kTrailerLine:
        return trailer_lines(input);
      case State::kDone:
        return ParseStatus::kComplete;
      case State::kError:
        return ParseStatus::kError;
    }
  }
  if (state_ == State::kDone) return ParseStatus::kComplete;
  return state_ == State::kError ? ParseStatus::kError : ParseStatus::kIncomplete;
}

// trailer_lines reads `trailer-section = *( field-line CRLF )` and the final
// CRLF (RFC 9112 §7.1.2), with the header section's rules and size limit.
ParseStatus ChunkedDecoder::trailer_lines(std::span<char> input) noexcept {
  char* const base = input.data();
  const char* const end = base + input.size();
  const std::size_t limit = options_.limits.max_field_section;
  for (;;) {
    char* const start = base + line_start_;
    Line line;
    const char* resume = nullptr;
    Error error = Error::kNone;
    switch (scan_line(start, base + raw_, end, /*allow_bare_lf=*/false, /*in_field=*/true, &line, &resume, &error)) {
      case LineScan::kIncomplete:
        if (resume == end - 1) ++examined_;  // the CR waiting for its LF is examined again
        raw_ = static_cast<std::size_t>(resume - base);
        if (raw_ - trailer_start_ > limit) return fail(Error::kTrailerSectionTooLarge);
        return ParseStatus::kIncomplete;
      case LineScan::kError:  // a limit passed before the offending byte wins
        return fail(static_cast<std::size_t>(resume - base) - trailer_start_ > limit ? Error::kTrailerSectionTooLarge
                                                                                     : error);
      case LineScan::kLine:
        break;
    }
    raw_ = static_cast<std::size_t>(line.next - base);
    if (raw_ - trailer_start_ > limit) return fail(Error::kTrailerSectionTooLarge);
    if (line.content_end == start) {
      state_ = State::kDone;
      return ParseStatus::kComplete;
    }
    if (chars::is_ows(*start)) return fail(Error::kObsFold);  // RFC 9112 §5.2, no leniency in trailers
    if (trailer_count_ == trailers_.size()) return fail(Error::kTooManyFields);
    examined_ += static_cast<std::size_t>(line.content_end - start);  // the field-line pass
    Error e = parse_field_line(start, line.content_end, &trailers_[trailer_count_]);
    if (e != Error::kNone) return fail(e);
    ++trailer_count_;
    line_start_ = raw_;
  }
}

}  // namespace shockwave::http1
