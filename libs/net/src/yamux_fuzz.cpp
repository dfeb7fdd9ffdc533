// Fuzz target: a yamux listener fed a peer's bytes. The input is cut into
// chunks whose sizes come from the input itself; between chunks the local
// side reads, writes and releases streams. Invariants: no stream ever holds
// more than its receive window allows, and the session never grows its
// outbox without bound.
#include <cstdint>
#include <cstdlib>

#include "yamux.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fil::net::yamux;
  Config config;
  config.max_inbound_streams = 8;
  config.max_window = 1024 * 1024;
  Session session(false, config);
  session.setRtt(std::chrono::milliseconds(1));
  Clock::time_point now{};
  fil::Bytes sink(4096);
  fil::Bytes out;
  size_t pos = 0;
  while (pos < size) {
    const size_t chunk = std::min<size_t>(size - pos, 1 + data[pos] % 64);
    auto fed = session.feed(fil::BytesView(data + pos, chunk), now);
    pos += chunk;
    now += std::chrono::microseconds(100);
    if (!fed) break;
    for (uint32_t id : session.takeAccepted()) {
      (void)session.write(id, fil::asBytes("ok"));
    }
    for (uint32_t id : session.takeChanged()) {
      auto state = session.stream(id);
      if (!state) continue;
      if (state->readable > config.max_window) std::abort();
      session.read(id, sink, now);
      if (state->remote_closed || state->reset) session.release(id);
    }
    if (session.outboxSize() > config.max_outbox + 4096) std::abort();
    session.takeOutbox(out);
  }
  return 0;
}
