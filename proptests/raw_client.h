#ifndef SHOCKWAVE_PROPTESTS_RAW_CLIENT_H_
#define SHOCKWAVE_PROPTESTS_RAW_CLIENT_H_

// RawClient: the HTTP/1.1 client the zero-allocation tests measure beside
// the server. Blocking socket to 127.0.0.1, one fixed buffer, no std::string
// or iostreams: nothing in it allocates. Failures are recorded as static
// strings and read once the measurement is over.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace shockwave::testing {

class RawClient {
 public:
  RawClient() = default;
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;
  ~RawClient() { close(); }

  // connect opens a new connection (closing any open one) and clears the
  // recorded failure. Reads and writes time out after 10 s.
  bool connect(std::uint16_t port);
  void close();
  bool send(std::string_view bytes);
  // expect reads one response: status 200, a Content-Length, exactly `body`,
  // and a Connection: close field exactly when `closing`.
  bool expect(std::string_view body, bool closing = false);
  // expect_eof: nothing more, then the server's end of the stream.
  bool expect_eof();

  bool ok() const { return failure_ == nullptr && fd_ >= 0; }
  std::size_t responses() const { return responses_; }
  const char* failure() const { return failure_ != nullptr ? failure_ : "none"; }

 private:
  bool fill();
  bool fail(const char* what);

  int fd_ = -1;
  char buffer_[64 * 1024];
  std::size_t len_ = 0;
  std::size_t responses_ = 0;
  const char* failure_ = nullptr;
};

}  // namespace shockwave::testing

#endif  // SHOCKWAVE_PROPTESTS_RAW_CLIENT_H_
