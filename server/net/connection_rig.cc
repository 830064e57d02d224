#include "server/net/connection_rig.h"

namespace shockwave::net {

ConnectionRig::ConnectionRig(Dispatch dispatch, const Io* io) noexcept {
  env.config = &config;
  env.dispatch = dispatch;
  env.io = io;
  env.date_line = "Date: Thu, 01 Jan 2026 00:00:00 GMT\r\n";
  env.now_ms = 1'000'000;
  cell.mailbox = &mailbox;
}

void ConnectionRig::open() {
  env.parser_options = http1::ParserOptions{config.limits, config.leniency};
  in_size_ = config.read_buffer_size();
  in_.reset(new char[in_size_]);
  out_.reset(new char[config.write_buffer_size]);
  fields_.reset(new http1::Header[config.max_fields]);
  connection.open(3, &env, input(), {out_.get(), config.write_buffer_size}, {fields_.get(), config.max_fields}, &cell);
}

Connection::Status ConnectionRig::deliver() noexcept {
  Connection::Status status = Connection::Status::kOpen;
  mailbox.deliver([&](void*, std::uint64_t value) {
    if (status == Connection::Status::kOpen) status = connection.on_woken(value);
  });
  return status;
}

}  // namespace shockwave::net
