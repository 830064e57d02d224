#include "server/http1/testing/guarded_buffer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string_view>

namespace shockwave::http1::testing {
namespace {

using namespace std::string_view_literals;

// read_byte reads through a volatile pointer so the compiler cannot drop it.
char read_byte(const char* p) { return *static_cast<const volatile char*>(p); }

TEST(GuardedBuffer, BytesEndExactlyAtTheGuardPage) {
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{7}, GuardedBuffer::page_size() - 1,
                           GuardedBuffer::page_size(), GuardedBuffer::page_size() + 3}) {
    SCOPED_TRACE(size);
    GuardedBuffer buffer(size);
    EXPECT_EQ(buffer.size(), size);
    EXPECT_EQ(buffer.data() + size, buffer.guard_page_start());
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(buffer.guard_page_start()) % GuardedBuffer::page_size(), 0u);
    for (char c : buffer.span()) EXPECT_EQ(c, 0);  // zero-filled
  }
}

TEST(GuardedBuffer, CopiesBytes) {
  GuardedBuffer buffer("GET / HTTP/1.1\r\n\r\n"sv);
  EXPECT_EQ(buffer.view(), "GET / HTTP/1.1\r\n\r\n"sv);
  buffer.span()[0] = 'P';  // writable
  EXPECT_EQ(buffer.view().substr(0, 3), "PET"sv);
}

TEST(GuardedBuffer, FrontGuardPutsBytesAtAPageStart) {
  GuardedBuffer buffer("abc"sv, GuardedBuffer::Guard::kBefore);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(buffer.data()) % GuardedBuffer::page_size(), 0u);
  EXPECT_EQ(buffer.view(), "abc"sv);
}

TEST(GuardedBuffer, MoveTransfersTheMapping) {
  GuardedBuffer a("xyz"sv);
  const char* data = a.data();
  GuardedBuffer b(std::move(a));
  EXPECT_EQ(b.data(), data);
  EXPECT_EQ(b.view(), "xyz"sv);
  GuardedBuffer c(std::size_t{1});
  c = std::move(b);
  EXPECT_EQ(c.view(), "xyz"sv);
}

// The point of the buffer: one byte past the end faults, without ASan.
TEST(GuardedBufferDeathTest, ReadingPastTheEndFaults) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  GuardedBuffer buffer("abc"sv);
  EXPECT_EQ(read_byte(buffer.data() + 2), 'c');
  EXPECT_DEATH(read_byte(buffer.data() + 3), "");
}

TEST(GuardedBufferDeathTest, ReadingBeforeTheStartFaultsWithFrontGuard) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  GuardedBuffer buffer("abc"sv, GuardedBuffer::Guard::kBefore);
  EXPECT_EQ(read_byte(buffer.data()), 'a');
  EXPECT_DEATH(read_byte(buffer.data() - 1), "");
}

// Under AddressSanitizer, bytes that have not arrived yet are unaddressable.
TEST(GuardedBufferDeathTest, NotYetVisibleBytesAreReportedUnderAsan) {
  if (!GuardedBuffer::asan_active()) GTEST_SKIP() << "needs --config=asan";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  GuardedBuffer buffer("abcdefghijklmnopqrstuvwxyz"sv);
  buffer.set_visible(5);
  EXPECT_EQ(read_byte(buffer.data() + 4), 'e');
  EXPECT_DEATH(read_byte(buffer.data() + 5), "use-after-poison");
  buffer.set_visible(6);
  EXPECT_EQ(read_byte(buffer.data() + 5), 'f');
  EXPECT_DEATH(read_byte(buffer.data() + 6), "use-after-poison");
  buffer.set_visible(2);
  EXPECT_DEATH(read_byte(buffer.data() + 3), "use-after-poison");
  buffer.set_visible(26);
  EXPECT_EQ(read_byte(buffer.data() + 25), 'z');
}

}  // namespace
}  // namespace shockwave::http1::testing
