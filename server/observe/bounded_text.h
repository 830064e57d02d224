#ifndef SHOCKWAVE_SERVER_OBSERVE_BOUNDED_TEXT_H_
#define SHOCKWAVE_SERVER_OBSERVE_BOUNDED_TEXT_H_

// BoundedText: text appended to a caller's fixed buffer, never past its
// end, digits written by hand (no snprintf, no locale, no allocation). A
// write that does not fit sets overflowed() and the text stops there; the
// caller decides what that means (access_log_line.cc goes back to a field
// boundary, prometheus.cc reports that nothing fit).

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace shockwave::observe {

class BoundedText {
 public:
  explicit BoundedText(std::span<char> out) noexcept : out_(out.data()), cap_(out.size()) {}

  void put(char c) noexcept {
    if (pos_ < cap_) {
      out_[pos_++] = c;
    } else {
      overflowed_ = true;
    }
  }
  void put(std::string_view s) noexcept {
    if (s.size() <= cap_ - pos_) {
      std::memcpy(out_ + pos_, s.data(), s.size());
      pos_ += s.size();
    } else {
      overflowed_ = true;
      pos_ = cap_;
    }
  }
  void put_unsigned(std::uint64_t value) noexcept {
    char digits[20];  // 2^64 - 1 has 20
    std::size_t n = 0;
    do {
      digits[sizeof digits - ++n] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value != 0);
    put(std::string_view(digits + sizeof digits - n, n));
  }
  // put_padded: `value` in exactly `width` digits, zeros in front
  // (value < 10^width, width <= 4).
  void put_padded(unsigned value, int width) noexcept {
    char digits[4];
    for (int i = width - 1; i >= 0; --i) {
      digits[i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    put(std::string_view(digits, static_cast<std::size_t>(width)));
  }

  std::size_t size() const noexcept { return pos_; }
  std::size_t capacity() const noexcept { return cap_; }
  bool overflowed() const noexcept { return overflowed_; }
  // rewind: back to an earlier size(), the overflow forgotten.
  void rewind(std::size_t size) noexcept {
    pos_ = size;
    overflowed_ = false;
  }

 private:
  char* out_;
  std::size_t cap_;
  std::size_t pos_ = 0;
  bool overflowed_ = false;
};

}  // namespace shockwave::observe

#endif  // SHOCKWAVE_SERVER_OBSERVE_BOUNDED_TEXT_H_
