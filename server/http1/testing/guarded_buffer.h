#ifndef SHOCKWAVE_SERVER_HTTP1_TESTING_GUARDED_BUFFER_H_
#define SHOCKWAVE_SERVER_HTTP1_TESTING_GUARDED_BUFFER_H_

// GuardedBuffer holds bytes flush against a PROT_NONE page, so that reading
// one byte past the end (or, with Guard::kBefore, one byte before the start)
// faults at once, with or without AddressSanitizer.
//
// Layout (one mmap):  [PROT_NONE page][data pages][PROT_NONE page]
// With Guard::kAfter the bytes end exactly where the last guard page starts;
// with Guard::kBefore they start exactly where the first guard page ends.
//
// Streaming: a parser is handed growing prefixes of one buffer. Bytes that
// have not "arrived" yet lie between the prefix and the guard page, where an
// over-read would not fault; set_visible(n) therefore poisons [n, size) for
// AddressSanitizer when the test is built with it (exact to the byte, since
// the poisoned range ends at a page boundary), and is a no-op otherwise.

#include <cstddef>
#include <span>
#include <string_view>

namespace shockwave::http1::testing {

class GuardedBuffer {
 public:
  enum class Guard { kAfter, kBefore };

  // GuardedBuffer maps a zero-filled buffer of `size` bytes.
  explicit GuardedBuffer(std::size_t size, Guard guard = Guard::kAfter);
  // GuardedBuffer maps a buffer holding a copy of `bytes`.
  explicit GuardedBuffer(std::string_view bytes, Guard guard = Guard::kAfter);
  ~GuardedBuffer();

  GuardedBuffer(GuardedBuffer&& other) noexcept;
  GuardedBuffer& operator=(GuardedBuffer&& other) noexcept;
  GuardedBuffer(const GuardedBuffer&) = delete;
  GuardedBuffer& operator=(const GuardedBuffer&) = delete;

  char* data() noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  std::span<char> span() noexcept { return {data_, size_}; }
  std::string_view view() const noexcept { return {data_, size_}; }

  // set_visible makes [0, n) addressable and, under AddressSanitizer,
  // [n, size) unaddressable (see the file comment). Initially all is visible.
  void set_visible(std::size_t n) noexcept;

  // guard_page_start is the first byte of the trailing PROT_NONE page.
  const char* guard_page_start() const noexcept { return after_guard_; }

  // asan_active says whether set_visible really poisons (built with ASan).
  static bool asan_active() noexcept;
  // page_size is the system page size.
  static std::size_t page_size() noexcept;

 private:
  void release() noexcept;

  char* map_ = nullptr;
  std::size_t map_size_ = 0;
  char* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t visible_ = 0;
  const char* after_guard_ = nullptr;
};

}  // namespace shockwave::http1::testing

#endif  // SHOCKWAVE_SERVER_HTTP1_TESTING_GUARDED_BUFFER_H_
