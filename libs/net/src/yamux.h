// Yamux stream multiplexing without I/O
// (https://github.com/hashicorp/yamux/blob/master/spec.md, as go-yamux and
// js-libp2p's yamux speak it).
//
// Frames: a 12-byte big-endian header {version 0, type, flags, stream id,
// length} and, for data frames, `length` bytes of payload. The dialer opens
// odd stream IDs, the listener even ones. Every stream starts with a
// 256 KiB window in each direction; a receiver grants more with window
// updates as its reader consumes, so a slow reader holds at most one window
// of buffered data per stream. A window grows (up to Config::max_window, and
// within a budget for the whole session) only while its reader keeps up:
// when it consumes half a window within a few round trips (go-yamux's rule),
// or has drained everything that arrived when it grants more, so that the
// window and not the reader is what holds the sender back.
//
// The Session is fed the peer's bytes and queues what to send in an outbox;
// the connection code (connection.cpp) moves bytes and wakes waiters.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "byte_queue.h"
#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/net/net_error.h"

namespace fil::net::yamux {

inline constexpr std::string_view kProtocolId = "/yamux/1.0.0";
inline constexpr size_t kHeaderSize = 12;
inline constexpr uint32_t kInitialWindow = 256 * 1024;

enum class FrameType : uint8_t { kData = 0, kWindowUpdate = 1, kPing = 2, kGoAway = 3 };
inline constexpr uint16_t kSyn = 1;
inline constexpr uint16_t kAck = 2;
inline constexpr uint16_t kFin = 4;
inline constexpr uint16_t kRst = 8;
enum class GoAwayCode : uint32_t { kNormal = 0, kProtocolError = 1, kInternalError = 2 };

struct Header {
  FrameType type = FrameType::kData;
  uint16_t flags = 0;
  uint32_t stream_id = 0;
  uint32_t length = 0;
};
void appendHeader(Bytes& out, const Header& header);
// Decodes exactly kHeaderSize bytes; refuses versions other than 0 and
// unknown frame types.
[[nodiscard]] Result<Header> decodeHeader(BytesView bytes);

struct Config {
  uint32_t max_window = 16 * 1024 * 1024;  // largest receive window a stream may grow to
  uint64_t max_growth = 32 * 1024 * 1024;  // all streams' growth beyond 256 KiB, together
  size_t max_inbound_streams = 256;        // open streams the peer may have; more are reset
  size_t max_outbound_streams = 1024;
  size_t max_frame = 256 * 1024;           // largest data frame we send
  size_t max_outbox = 16 * 1024 * 1024;    // unsent bytes beyond this: the peer is not reading
};

using Clock = std::chrono::steady_clock;

class Session {
 public:
  explicit Session(bool client, Config config = {});

  // Processes bytes from the peer. An error ends the session; when the peer
  // broke the protocol a GoAway naming it is left in the outbox to send.
  [[nodiscard]] Status feed(BytesView data, Clock::time_point now);
  bool failed() const { return failed_; }

  [[nodiscard]] Result<uint32_t> openStream(Clock::time_point now);
  // Queues data frames for up to data.size() bytes, as the send window
  // allows; returns how many bytes were taken (0 when the window is shut).
  [[nodiscard]] Result<size_t> write(uint32_t id, BytesView data);
  // Copies buffered bytes out (0 when none) and grants window as it goes.
  size_t read(uint32_t id, MutableBytesView out, Clock::time_point now);
  BytesView peek(uint32_t id) const;
  void consume(uint32_t id, size_t n, Clock::time_point now);
  [[nodiscard]] Status closeWrite(uint32_t id);
  void reset(uint32_t id);
  // The stream's owner is done with it: a FIN if it was still open (a RST if
  // unread data remains, as TCP does); later data for it is dropped.
  void release(uint32_t id);

  struct StreamState {
    size_t readable = 0;
    uint32_t send_window = 0;
    uint32_t receive_window = 0;  // the most the peer may still send
    bool remote_closed = false;   // FIN received
    bool local_closed = false;    // FIN sent
    bool reset = false;
  };
  std::optional<StreamState> stream(uint32_t id) const;
  size_t streamCount() const { return streams_.size(); }

  uint32_t ping();  // queues a ping; returns its opaque value
  void goAway(GoAwayCode code);
  bool remoteGoAway() const { return remote_goaway_; }
  bool localGoAway() const { return local_goaway_; }
  void setRtt(Clock::duration rtt) { rtt_ = rtt; }

  size_t outboxSize() const { return outbox_.size(); }
  // Swaps the queued bytes into `out` (which is cleared first).
  void takeOutbox(Bytes& out);
  std::vector<uint32_t> takeAccepted();  // streams the peer opened
  std::vector<uint32_t> takeChanged();   // streams with new data, window, FIN or RST
  std::vector<uint32_t> takePongs();     // values of answered pings

 private:
  struct Record {
    bool inbound = false;
    bool ack_pending = false;  // our first frame on an inbound stream carries ACK
    bool local_fin = false;
    bool remote_fin = false;
    bool reset = false;
    bool released = false;
    bool listed = false;  // in changed_
    uint32_t send_window = kInitialWindow;
    uint32_t receive_window = kInitialWindow;
    uint32_t window_max = kInitialWindow;
    Clock::time_point epoch;
    ByteQueue buffer;
  };

  [[nodiscard]] Status handleHeader(const Header& h, Clock::time_point now);
  [[nodiscard]] Status incoming(uint32_t id, Clock::time_point now);
  void applyFlags(uint32_t id, uint16_t flags);
  void grantWindow(uint32_t id, Record& r, Clock::time_point now);
  uint16_t sendFlags(Record& r);
  void queueFrame(FrameType type, uint16_t flags, uint32_t id, uint32_t length);
  void markChanged(uint32_t id, Record& r);
  void maybeErase(uint32_t id);
  [[nodiscard]] Status violation(NetError kind, std::string message);

  bool client_;
  Config config_;
  std::unordered_map<uint32_t, Record> streams_;
  size_t inbound_count_ = 0;
  size_t outbound_count_ = 0;
  uint32_t next_id_;
  uint32_t next_ping_ = 1;
  bool failed_ = false;
  bool remote_goaway_ = false;
  bool local_goaway_ = false;
  Clock::duration rtt_{0};
  uint64_t growth_ = 0;  // sum over streams of window_max - kInitialWindow

  // Parser state: a header being assembled, or payload bytes still due.
  ByteArray<kHeaderSize> header_{};
  size_t header_have_ = 0;
  uint32_t payload_left_ = 0;
  uint32_t payload_stream_ = 0;  // 0: drop the payload
  uint16_t payload_flags_ = 0;   // applied once the payload is in

  Bytes outbox_;
  std::vector<uint32_t> accepted_;
  std::vector<uint32_t> changed_;
  std::vector<uint32_t> pongs_;
};

}  // namespace fil::net::yamux
