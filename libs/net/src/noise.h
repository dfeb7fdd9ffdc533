// Noise_XX_25519_ChaChaPoly_SHA256 without I/O, and libp2p's use of it
// (https://github.com/libp2p/specs/blob/master/noise/README.md):
//
//   -> e                  (message 1: no payload in libp2p)
//   <- e, ee, s, es       (message 2: responder's signed identity payload)
//   -> s, se              (message 3: initiator's signed identity payload)
//
// After the handshake each side holds two CipherStates; transport messages
// are framed as a 2-byte big-endian length and at most 65535 bytes of
// ciphertext, i.e. at most 65519 bytes of plaintext per frame.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fil/base/bytes.h"
#include "fil/base/error.h"
#include "fil/crypto/chachapoly.h"
#include "fil/crypto/x25519.h"
#include "fil/net/net_error.h"
#include "fil/net/peer_id.h"
#include "raw_buffer.h"

namespace fil::net::noise {

inline constexpr std::string_view kProtocolName = "Noise_XX_25519_ChaChaPoly_SHA256";
inline constexpr std::string_view kProtocolId = "/noise";
inline constexpr size_t kMaxFrame = 65535;
inline constexpr size_t kTagSize = 16;
inline constexpr size_t kMaxPlaintext = kMaxFrame - kTagSize;

class CipherState {
 public:
  void initializeKey(const ByteArray<32>& key);
  bool hasKey() const { return cipher_ != nullptr; }
  uint64_t nonce() const { return nonce_; }

  // Append to `out`; without a key the text passes unchanged (Noise's rule
  // for handshake payloads before the first DH).
  [[nodiscard]] Status encryptWithAd(BytesView ad, BytesView plaintext, Bytes& out);
  [[nodiscard]] Status decryptWithAd(BytesView ad, BytesView ciphertext, Bytes& out);
  // With a key: into `out`, which holds plaintext.size() + 16 bytes
  // (ciphertext.size() - 16 for decryption).
  [[nodiscard]] Status encryptTo(BytesView plaintext, uint8_t* out);
  [[nodiscard]] Status decryptTo(BytesView ciphertext, uint8_t* out);

 private:
  [[nodiscard]] Status useNonce();
  std::unique_ptr<crypto::chachapoly::Cipher> cipher_;
  uint64_t nonce_ = 0;
};

// The XX pattern, usable with any prologue and payloads so that published
// vectors can drive it; fixed ephemeral keys are for those vectors only.
class XXHandshake {
 public:
  XXHandshake(bool initiator, const crypto::x25519::KeyPair& static_key, BytesView prologue,
              std::optional<crypto::x25519::KeyPair> ephemeral = std::nullopt);

  // The next message this side sends, carrying `payload`.
  [[nodiscard]] Result<Bytes> writeMessage(BytesView payload);
  // Reads the peer's next message and returns its payload.
  [[nodiscard]] Result<Bytes> readMessage(BytesView message);

  bool complete() const { return step_ == 3; }
  // Whose turn: true when this side writes the next message.
  bool writesNext() const { return (step_ % 2 == 0) == initiator_; }
  const ByteArray<32>& handshakeHash() const { return h_; }
  const crypto::x25519::PublicKey& remoteStatic() const { return remote_static_; }

  struct Ciphers {
    CipherState send;
    CipherState receive;
  };
  // After complete(): the transport ciphers, oriented for this side.
  Ciphers split() const;

 private:
  void mixHash(BytesView data);
  void mixKey(BytesView input_key);
  [[nodiscard]] Status mixDh(const crypto::x25519::PrivateKey& ours, const crypto::x25519::PublicKey& theirs);
  [[nodiscard]] Status encryptAndHash(BytesView plaintext, Bytes& out);
  [[nodiscard]] Status decryptAndHash(BytesView ciphertext, Bytes& out);

  bool initiator_;
  int step_ = 0;  // messages done
  crypto::x25519::KeyPair static_;
  crypto::x25519::KeyPair ephemeral_;
  crypto::x25519::PublicKey remote_static_{};
  crypto::x25519::PublicKey remote_ephemeral_{};
  ByteArray<32> h_{};
  ByteArray<32> ck_{};
  CipherState cipher_;
};

// ---- libp2p's handshake payload ----

inline constexpr std::string_view kSignaturePrefix = "noise-libp2p-static-key:";

struct HandshakePayload {
  Bytes identity_key;  // libp2p PublicKey protobuf
  Bytes identity_sig;  // over kSignaturePrefix || the sender's Noise static key
  std::vector<std::string> stream_muxers;  // early muxer negotiation (extensions)
};

Bytes encodePayload(const HandshakePayload& payload);
[[nodiscard]] Result<HandshakePayload> decodePayload(BytesView bytes);

HandshakePayload makePayload(const HostKey& key, const crypto::x25519::PublicKey& noise_static,
                             std::vector<std::string> stream_muxers);

struct RemoteIdentity {
  PublicKey key;
  PeerId peer;
  std::vector<std::string> stream_muxers;
};
// Checks the payload's signature over the peer's Noise static key and
// returns who the peer is.
[[nodiscard]] Result<RemoteIdentity> verifyPayload(BytesView payload, const crypto::x25519::PublicKey& remote_static);

// The muxer both sides named, the initiator's order first; empty when either
// list is empty (then multistream-select negotiates it), as go-libp2p and
// js-libp2p decide.
std::string chooseMuxer(const std::vector<std::string>& initiator, const std::vector<std::string>& responder);

// ---- transport framing ----

// Encrypts `plaintext` into as many frames as it needs, appended to `out`.
[[nodiscard]] Status encryptFrames(CipherState& cipher, BytesView plaintext, Bytes& out);

// Decrypts the complete frames at the front of `in` into `plaintext` and
// returns how many bytes of `in` they took; a partial frame stays for later.
[[nodiscard]] Result<size_t> decryptFrames(CipherState& cipher, BytesView in, Bytes& plaintext);

// The same for the connection's hot path, appending to reused buffers.
[[nodiscard]] Status encryptFrames(CipherState& cipher, BytesView plaintext, RawBuffer& out);
[[nodiscard]] Result<size_t> decryptFrames(CipherState& cipher, BytesView in, RawBuffer& plaintext);

}  // namespace fil::net::noise
