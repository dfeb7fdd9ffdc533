#include "yamux.h"

#include <cstdlib>

#include <fmt/format.h>

namespace fil::net::yamux {

void appendHeader(Bytes& out, const Header& h) {
  out.push_back(0);
  out.push_back(static_cast<uint8_t>(h.type));
  out.push_back(static_cast<uint8_t>(h.flags >> 8));
  out.push_back(static_cast<uint8_t>(h.flags));
  putU32BE(out, h.stream_id);
  putU32BE(out, h.length);
}

Result<Header> decodeHeader(BytesView bytes) {
  if (bytes.size() != kHeaderSize) {
    return fail(NetError::kYamux, fmt::format("yamux header is {} bytes, must be 12", bytes.size()));
  }
  if (bytes[0] != 0) return fail(NetError::kYamux, fmt::format("yamux version {} is not supported", bytes[0]));
  if (bytes[1] > 3) return fail(NetError::kYamux, fmt::format("yamux frame type {} is unknown", bytes[1]));
  Header h;
  h.type = static_cast<FrameType>(bytes[1]);
  h.flags = static_cast<uint16_t>((bytes[2] << 8) | bytes[3]);
  h.stream_id = readU32BE(bytes.data() + 4);
  h.length = readU32BE(bytes.data() + 8);
  return h;
}

Session::Session(bool client, Config config) : client_(client), config_(config), next_id_(client ? 1 : 2) {}

Status Session::violation(NetError kind, std::string message) {
  if (!failed_) {
    failed_ = true;
    queueFrame(FrameType::kGoAway, 0, 0, static_cast<uint32_t>(GoAwayCode::kProtocolError));
    local_goaway_ = true;
  }
  return fail(kind, std::move(message));
}

void Session::queueFrame(FrameType type, uint16_t flags, uint32_t id, uint32_t length) {
  appendHeader(outbox_, Header{type, flags, id, length});
}

void Session::markChanged(uint32_t id, Record& r) {
  if (!r.listed) {
    r.listed = true;
    changed_.push_back(id);
  }
}

uint16_t Session::sendFlags(Record& r) {
  if (!r.ack_pending) return 0;
  r.ack_pending = false;
  return kAck;
}

void Session::maybeErase(uint32_t id) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  const Record& r = it->second;
  if (!r.released || !(r.reset || (r.remote_fin && r.local_fin))) return;
  --(r.inbound ? inbound_count_ : outbound_count_);
  growth_ -= r.window_max - kInitialWindow;
  streams_.erase(it);
}

Status Session::feed(BytesView data, Clock::time_point now) {
  if (failed_) return fail(NetError::kConnectionClosed, "yamux session has already failed");
  size_t pos = 0;
  while (pos < data.size()) {
    if (payload_left_ > 0) {
      const size_t n = std::min<size_t>(payload_left_, data.size() - pos);
      if (payload_stream_ != 0) {
        auto it = streams_.find(payload_stream_);
        if (it != streams_.end() && !it->second.released && !it->second.reset) {
          it->second.buffer.append(data.subspan(pos, n));
          markChanged(payload_stream_, it->second);
        }
      }
      pos += n;
      payload_left_ -= static_cast<uint32_t>(n);
      if (payload_left_ == 0 && payload_stream_ != 0) applyFlags(payload_stream_, payload_flags_);
      continue;
    }
    const size_t n = std::min(kHeaderSize - header_have_, data.size() - pos);
    std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(pos), n, header_.begin() + static_cast<std::ptrdiff_t>(header_have_));
    header_have_ += n;
    pos += n;
    if (header_have_ < kHeaderSize) break;
    header_have_ = 0;
    auto header = decodeHeader(header_);
    if (!header) return violation(NetError::kYamux, header.error().message());
    FIL_TRY(handleHeader(*header, now));
  }
  if (outbox_.size() > config_.max_outbox) {
    failed_ = true;
    return fail(NetError::kLimit, fmt::format("peer leaves {} bytes of our frames unread", outbox_.size()));
  }
  return ok();
}

Status Session::handleHeader(const Header& h, Clock::time_point now) {
  switch (h.type) {
    case FrameType::kPing:
      if (h.flags & kSyn) {
        queueFrame(FrameType::kPing, kAck, 0, h.length);
      } else if (h.flags & kAck) {
        pongs_.push_back(h.length);
      }
      return ok();
    case FrameType::kGoAway:
      remote_goaway_ = true;
      if (h.length != static_cast<uint32_t>(GoAwayCode::kNormal)) {
        failed_ = true;
        return fail(NetError::kGoAway, fmt::format("peer ended the session with GoAway code {} ({})", h.length,
                                                   h.length == 1 ? "protocol error" : "internal error"));
      }
      return ok();
    case FrameType::kData:
    case FrameType::kWindowUpdate:
      break;
  }
  if (h.stream_id == 0) return violation(NetError::kYamux, "data or window update for stream 0");
  if (h.type == FrameType::kData && h.length > config_.max_window) {
    return violation(NetError::kFrameTooLarge, fmt::format("yamux data frame of {} bytes exceeds any window ({})",
                                                           h.length, config_.max_window));
  }
  if (h.flags & kSyn) FIL_TRY(incoming(h.stream_id, now));

  auto it = streams_.find(h.stream_id);
  if (h.type == FrameType::kWindowUpdate) {
    if (it == streams_.end()) return ok();  // a stream we have forgotten
    Record& r = it->second;
    if (uint64_t{r.send_window} + h.length > UINT32_MAX) {
      return violation(NetError::kYamux, fmt::format("window update overflows stream {}'s window", h.stream_id));
    }
    r.send_window += h.length;
    if (h.length > 0) markChanged(h.stream_id, r);
    applyFlags(h.stream_id, h.flags);
    return ok();
  }

  // Data: the payload follows; flags take effect after it.
  if (it != streams_.end()) {
    Record& r = it->second;
    if (h.length > r.receive_window) {
      return violation(NetError::kWindowExceeded,
                       fmt::format("peer sent {} bytes on stream {} whose window has {} left (of {}, {} unread)",
                                   h.length, h.stream_id, r.receive_window, r.window_max, r.buffer.size()));
    }
    r.receive_window -= h.length;
  }
  if (h.length == 0) {
    applyFlags(h.stream_id, h.flags);
    return ok();
  }
  payload_left_ = h.length;
  payload_stream_ = it == streams_.end() ? 0 : h.stream_id;
  payload_flags_ = h.flags;
  return ok();
}

Status Session::incoming(uint32_t id, Clock::time_point now) {
  const bool from_client = id % 2 == 1;
  if (from_client == client_) {
    return violation(NetError::kYamux, fmt::format("peer opened stream {}, an ID from our side's range", id));
  }
  if (streams_.contains(id)) return violation(NetError::kYamux, fmt::format("peer opened stream {} twice", id));
  if (local_goaway_ || inbound_count_ >= config_.max_inbound_streams) {
    queueFrame(FrameType::kWindowUpdate, kRst, id, 0);
    return ok();
  }
  Record& r = streams_[id];
  r.inbound = true;
  r.ack_pending = true;
  r.epoch = now;
  ++inbound_count_;
  accepted_.push_back(id);
  return ok();
}

void Session::applyFlags(uint32_t id, uint16_t flags) {
  if ((flags & (kFin | kRst)) == 0) return;
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  Record& r = it->second;
  if ((flags & kRst) && !r.reset) {
    r.reset = true;
    r.buffer.clear();
    r.buffer.shrink();
  } else if ((flags & kFin) && !r.remote_fin) {
    r.remote_fin = true;
  } else {
    return;
  }
  markChanged(id, r);
  maybeErase(id);
}

Result<uint32_t> Session::openStream(Clock::time_point now) {
  if (failed_ || local_goaway_) return fail(NetError::kConnectionClosed, "connection is closing");
  if (remote_goaway_) return fail(NetError::kGoAway);
  if (outbound_count_ >= config_.max_outbound_streams) {
    return fail(NetError::kLimit, fmt::format("{} outbound streams already open on this connection", outbound_count_));
  }
  if (next_id_ > UINT32_MAX - 2) return fail(NetError::kLimit, "stream IDs exhausted on this connection");
  const uint32_t id = next_id_;
  next_id_ += 2;
  Record& r = streams_[id];
  r.epoch = now;
  ++outbound_count_;
  queueFrame(FrameType::kWindowUpdate, kSyn, id, 0);
  return id;
}

Result<size_t> Session::write(uint32_t id, BytesView data) {
  if (failed_) return fail(NetError::kConnectionClosed);
  auto it = streams_.find(id);
  if (it == streams_.end() || it->second.released) return fail(NetError::kStreamClosed);
  Record& r = it->second;
  if (r.reset) return fail(NetError::kStreamReset);
  if (r.local_fin) return fail(NetError::kStreamClosed, "write after closing the stream for writing");
  size_t taken = 0;
  while (taken < data.size() && r.send_window > 0) {
    const size_t n = std::min({data.size() - taken, size_t{r.send_window}, config_.max_frame});
    queueFrame(FrameType::kData, sendFlags(r), id, static_cast<uint32_t>(n));
    append(outbox_, data.subspan(taken, n));
    r.send_window -= static_cast<uint32_t>(n);
    taken += n;
  }
  return taken;
}

size_t Session::read(uint32_t id, MutableBytesView out, Clock::time_point now) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return 0;
  const size_t n = it->second.buffer.read(out);
  if (n > 0) grantWindow(id, it->second, now);
  return n;
}

BytesView Session::peek(uint32_t id) const {
  auto it = streams_.find(id);
  return it == streams_.end() ? BytesView{} : it->second.buffer.view();
}

void Session::consume(uint32_t id, size_t n, Clock::time_point now) {
  auto it = streams_.find(id);
  if (it == streams_.end() || n == 0) return;
  it->second.buffer.consume(std::min(n, it->second.buffer.size()));
  grantWindow(id, it->second, now);
}

void Session::grantWindow(uint32_t id, Record& r, Clock::time_point now) {
  if (r.remote_fin || r.reset || r.released || failed_) return;
  // Bytes the reader consumed that the peer has not been credited for yet:
  // the window less what the peer may still send, what is buffered, and
  // what the frame being received has yet to deliver.
  const uint64_t arriving = payload_stream_ == id ? payload_left_ : 0;
  const uint64_t held = uint64_t{r.receive_window} + r.buffer.size() + arriving;
  if (held > r.window_max) std::abort();  // the overrun check makes this unreachable
  const uint64_t consumed = r.window_max - held;
  if (consumed < r.window_max / 2) return;
  // The window, not the reader, limits throughput when the reader took half
  // a window within a few round trips, or has read all that arrived.
  const bool quick = rtt_.count() > 0 && now - r.epoch < 4 * rtt_;
  const bool caught_up = r.buffer.empty() && arriving == 0;
  if ((quick || caught_up) && r.window_max < config_.max_window) {
    const uint64_t grown = std::min<uint64_t>(uint64_t{r.window_max} * 2, config_.max_window);
    const uint64_t extra = std::min<uint64_t>(grown - r.window_max, config_.max_growth - std::min(growth_, config_.max_growth));
    r.window_max += static_cast<uint32_t>(extra);
    growth_ += extra;
  }
  const uint32_t delta = static_cast<uint32_t>(r.window_max - held);
  r.receive_window += delta;
  r.epoch = now;
  queueFrame(FrameType::kWindowUpdate, sendFlags(r), id, delta);
}

Status Session::closeWrite(uint32_t id) {
  auto it = streams_.find(id);
  if (it == streams_.end() || it->second.released) return fail(NetError::kStreamClosed);
  Record& r = it->second;
  if (r.reset) return fail(NetError::kStreamReset);
  if (r.local_fin) return ok();
  if (failed_) return fail(NetError::kConnectionClosed);
  queueFrame(FrameType::kWindowUpdate, static_cast<uint16_t>(sendFlags(r) | kFin), id, 0);
  r.local_fin = true;
  return ok();
}

void Session::reset(uint32_t id) {
  auto it = streams_.find(id);
  if (it == streams_.end() || it->second.reset) return;
  Record& r = it->second;
  if (!failed_) queueFrame(FrameType::kWindowUpdate, kRst, id, 0);
  r.reset = true;
  r.buffer.clear();
  r.buffer.shrink();
  maybeErase(id);
}

void Session::release(uint32_t id) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  Record& r = it->second;
  if (!r.reset && !r.buffer.empty() && !r.remote_fin) {
    r.released = true;
    reset(id);
    return;
  }
  if (!r.reset && !r.local_fin && !failed_) {
    queueFrame(FrameType::kWindowUpdate, static_cast<uint16_t>(sendFlags(r) | kFin), id, 0);
    r.local_fin = true;
  }
  r.released = true;
  r.buffer.clear();
  r.buffer.shrink();
  maybeErase(id);
}

std::optional<Session::StreamState> Session::stream(uint32_t id) const {
  auto it = streams_.find(id);
  if (it == streams_.end()) return std::nullopt;
  const Record& r = it->second;
  return StreamState{r.buffer.size(), r.send_window, r.receive_window, r.remote_fin, r.local_fin, r.reset};
}

uint32_t Session::ping() {
  const uint32_t value = next_ping_++;
  if (!failed_) queueFrame(FrameType::kPing, kSyn, 0, value);
  return value;
}

void Session::goAway(GoAwayCode code) {
  if (local_goaway_ || failed_) return;
  local_goaway_ = true;
  queueFrame(FrameType::kGoAway, 0, 0, static_cast<uint32_t>(code));
}

void Session::takeOutbox(Bytes& out) {
  out.clear();
  out.swap(outbox_);
}

std::vector<uint32_t> Session::takeAccepted() { return std::exchange(accepted_, {}); }

std::vector<uint32_t> Session::takeChanged() {
  for (uint32_t id : changed_) {
    auto it = streams_.find(id);
    if (it != streams_.end()) it->second.listed = false;
  }
  return std::exchange(changed_, {});
}

std::vector<uint32_t> Session::takePongs() { return std::exchange(pongs_, {}); }

}  // namespace fil::net::yamux
