#include "server/http1/testing/guarded_buffer.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#if defined(__SANITIZE_ADDRESS__)
#define SHOCKWAVE_TESTING_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SHOCKWAVE_TESTING_ASAN 1
#endif
#endif

#if defined(SHOCKWAVE_TESTING_ASAN)
#include <sanitizer/asan_interface.h>
#endif

namespace shockwave::http1::testing {
namespace {

[[noreturn]] void die(const char* what) {
  std::perror(what);
  std::abort();
}

void poison(const char* p, std::size_t n) noexcept {
#if defined(SHOCKWAVE_TESTING_ASAN)
  if (n != 0) __asan_poison_memory_region(p, n);
#else
  (void)p;
  (void)n;
#endif
}

void unpoison(const char* p, std::size_t n) noexcept {
#if defined(SHOCKWAVE_TESTING_ASAN)
  if (n != 0) __asan_unpoison_memory_region(p, n);
#else
  (void)p;
  (void)n;
#endif
}

}  // namespace

std::size_t GuardedBuffer::page_size() noexcept {
  static const std::size_t size = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return size;
}

bool GuardedBuffer::asan_active() noexcept {
#if defined(SHOCKWAVE_TESTING_ASAN)
  return true;
#else
  return false;
#endif
}

GuardedBuffer::GuardedBuffer(std::size_t size, Guard guard) : size_(size), visible_(size) {
  const std::size_t page = page_size();
  const std::size_t data_pages = size == 0 ? 1 : (size + page - 1) / page;
  map_size_ = (data_pages + 2) * page;
  void* map = mmap(nullptr, map_size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (map == MAP_FAILED) die("GuardedBuffer: mmap");
  map_ = static_cast<char*>(map);
  char* const first_data_page = map_ + page;
  char* const last_guard = first_data_page + data_pages * page;
  if (mprotect(map_, page, PROT_NONE) != 0) die("GuardedBuffer: mprotect (leading guard)");
  if (mprotect(last_guard, page, PROT_NONE) != 0) die("GuardedBuffer: mprotect (trailing guard)");
  after_guard_ = last_guard;
  data_ = guard == Guard::kAfter ? last_guard - size : first_data_page;
}

GuardedBuffer::GuardedBuffer(std::string_view bytes, Guard guard) : GuardedBuffer(bytes.size(), guard) {
  if (!bytes.empty()) std::memcpy(data_, bytes.data(), bytes.size());
}

GuardedBuffer::~GuardedBuffer() { release(); }

GuardedBuffer::GuardedBuffer(GuardedBuffer&& other) noexcept
    : map_(std::exchange(other.map_, nullptr)),
      map_size_(std::exchange(other.map_size_, 0)),
      data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      visible_(std::exchange(other.visible_, 0)),
      after_guard_(std::exchange(other.after_guard_, nullptr)) {}

GuardedBuffer& GuardedBuffer::operator=(GuardedBuffer&& other) noexcept {
  if (this != &other) {
    release();
    map_ = std::exchange(other.map_, nullptr);
    map_size_ = std::exchange(other.map_size_, 0);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    visible_ = std::exchange(other.visible_, 0);
    after_guard_ = std::exchange(other.after_guard_, nullptr);
  }
  return *this;
}

void GuardedBuffer::set_visible(std::size_t n) noexcept {
  if (n > size_) n = size_;
  if (n > visible_) {
    unpoison(data_ + visible_, n - visible_);
  } else if (n < visible_) {
    poison(data_ + n, visible_ - n);
  }
  visible_ = n;
}

void GuardedBuffer::release() noexcept {
  if (map_ == nullptr) return;
  // Shadow memory outlives the mapping: leave nothing poisoned for whoever
  // maps these addresses next.
  set_visible(size_);
  munmap(map_, map_size_);
  map_ = nullptr;
}

}  // namespace shockwave::http1::testing
