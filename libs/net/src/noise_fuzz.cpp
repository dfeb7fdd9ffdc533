// Fuzz target: the Noise decoders facing a peer's bytes. The first byte
// picks what the rest is fed to: a responder's first and third handshake
// messages, an initiator's second, libp2p's handshake payload, or transport
// frames.
#include <cstdint>
#include <cstdlib>

#include "noise.h"

namespace {

const fil::crypto::x25519::KeyPair& fixedKey() {
  static const auto key = fil::crypto::x25519::generate();
  return key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fil::net::noise;
  if (size == 0) return 0;
  const fil::BytesView in(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0: {  // responder: message 1, then message 3 from what follows the first 32 bytes
      XXHandshake responder(false, fixedKey(), {});
      const size_t first = std::min<size_t>(in.size(), 32);
      if (!responder.readMessage(in.first(first))) return 0;
      if (!responder.writeMessage({})) return 0;
      if (auto payload = responder.readMessage(in.subspan(first))) {
        (void)verifyPayload(*payload, responder.remoteStatic());
      }
      return 0;
    }
    case 1: {  // initiator reading message 2
      XXHandshake initiator(true, fixedKey(), {});
      if (!initiator.writeMessage({})) std::abort();
      if (auto payload = initiator.readMessage(in)) (void)verifyPayload(*payload, initiator.remoteStatic());
      return 0;
    }
    case 2: {  // the handshake payload protobuf
      if (auto p = decodePayload(in)) {
        auto again = decodePayload(encodePayload(*p));
        if (!again || again->identity_key != p->identity_key || again->stream_muxers != p->stream_muxers) std::abort();
      }
      (void)verifyPayload(in, fixedKey().public_key);
      return 0;
    }
    default: {  // transport frames under a fixed key
      CipherState cipher;
      cipher.initializeKey(fixedKey().private_key);
      fil::Bytes plain;
      auto used = decryptFrames(cipher, in, plain);
      if (used && (*used > in.size() || plain.size() > in.size())) std::abort();
      return 0;
    }
  }
}
