#include "noise.h"

#include <fmt/format.h>

#include "fil/crypto/chachapoly.h"
#include "fil/crypto/hmac.h"
#include "fil/crypto/sha256.h"
#include "protobuf.h"

namespace fil::net::noise {
namespace {

constexpr size_t kDhLen = 32;

Error handshakeError(std::string message) { return Error(NetError::kHandshake, std::move(message)); }

}  // namespace

// ---- CipherState ----

void CipherState::initializeKey(const ByteArray<32>& key) {
  cipher_ = std::make_unique<crypto::chachapoly::Cipher>(key);
  nonce_ = 0;
}

Status CipherState::useNonce() {
  // Noise reserves 2^64-1; a connection would need 2^64 frames to get there.
  if (nonce_ == UINT64_MAX) return fail(NetError::kDecrypt, "Noise nonce exhausted; the connection must be rekeyed");
  return ok();
}

Status CipherState::encryptWithAd(BytesView ad, BytesView plaintext, Bytes& out) {
  if (!cipher_) {
    append(out, plaintext);
    return ok();
  }
  FIL_TRY(useNonce());
  const size_t start = out.size();
  out.resize(start + plaintext.size() + kTagSize);
  cipher_->sealTo(crypto::chachapoly::noiseNonce(nonce_), plaintext, ad, out.data() + start);
  ++nonce_;
  return ok();
}

Status CipherState::decryptWithAd(BytesView ad, BytesView ciphertext, Bytes& out) {
  if (!cipher_) {
    append(out, ciphertext);
    return ok();
  }
  FIL_TRY(useNonce());
  if (ciphertext.size() < kTagSize) return fail(NetError::kDecrypt, "Noise ciphertext is shorter than its tag");
  const size_t start = out.size();
  out.resize(start + ciphertext.size() - kTagSize);
  if (!cipher_->openTo(crypto::chachapoly::noiseNonce(nonce_), ciphertext, ad, out.data() + start)) {
    out.resize(start);
    return fail(NetError::kDecrypt, fmt::format("Noise frame {} failed authentication", nonce_));
  }
  ++nonce_;
  return ok();
}

Status CipherState::encryptTo(BytesView plaintext, uint8_t* out) {
  FIL_TRY(useNonce());
  cipher_->sealTo(crypto::chachapoly::noiseNonce(nonce_), plaintext, {}, out);
  ++nonce_;
  return ok();
}

Status CipherState::decryptTo(BytesView ciphertext, uint8_t* out) {
  FIL_TRY(useNonce());
  if (!cipher_->openTo(crypto::chachapoly::noiseNonce(nonce_), ciphertext, {}, out)) {
    return fail(NetError::kDecrypt, fmt::format("Noise frame {} failed authentication", nonce_));
  }
  ++nonce_;
  return ok();
}

// ---- XXHandshake ----

XXHandshake::XXHandshake(bool initiator, const crypto::x25519::KeyPair& static_key, BytesView prologue,
                         std::optional<crypto::x25519::KeyPair> ephemeral)
    : initiator_(initiator), static_(static_key), ephemeral_(ephemeral ? *ephemeral : crypto::x25519::generate()) {
  static_assert(kProtocolName.size() == 32, "a 32-byte protocol name is used as h directly");
  std::copy(kProtocolName.begin(), kProtocolName.end(), h_.begin());
  ck_ = h_;
  mixHash(prologue);
}

void XXHandshake::mixHash(BytesView data) {
  crypto::Sha256 hasher;
  hasher.update(h_).update(data);
  h_ = hasher.finish();
}

void XXHandshake::mixKey(BytesView input_key) {
  // Noise's HKDF with two outputs is RFC 5869 HKDF with an empty info.
  const Bytes out = crypto::hkdfSha256(ck_, input_key, {}, 64);
  std::copy_n(out.begin(), 32, ck_.begin());
  ByteArray<32> key;
  std::copy_n(out.begin() + 32, 32, key.begin());
  cipher_.initializeKey(key);
}

Status XXHandshake::mixDh(const crypto::x25519::PrivateKey& ours, const crypto::x25519::PublicKey& theirs) {
  auto shared = crypto::x25519::sharedSecret(ours, theirs);
  if (!shared) return fail(handshakeError("peer's Noise key is a low-order point"));
  mixKey(*shared);
  return ok();
}

Status XXHandshake::encryptAndHash(BytesView plaintext, Bytes& out) {
  const size_t start = out.size();
  FIL_TRY(cipher_.encryptWithAd(h_, plaintext, out));
  mixHash(BytesView(out).subspan(start));
  return ok();
}

Status XXHandshake::decryptAndHash(BytesView ciphertext, Bytes& out) {
  if (cipher_.hasKey() && ciphertext.size() < kTagSize) {
    return fail(handshakeError("Noise handshake ciphertext is shorter than its tag"));
  }
  auto decrypted = cipher_.decryptWithAd(h_, ciphertext, out);
  if (!decrypted) return fail(handshakeError("Noise handshake message failed authentication"));
  mixHash(ciphertext);
  return ok();
}

Result<Bytes> XXHandshake::writeMessage(BytesView payload) {
  if (complete() || !writesNext()) return fail(handshakeError("Noise handshake: not this side's turn to write"));
  Bytes out;
  switch (step_) {
    case 0:  // -> e
      append(out, ephemeral_.public_key);
      mixHash(ephemeral_.public_key);
      break;
    case 1:  // <- e, ee, s, es
      append(out, ephemeral_.public_key);
      mixHash(ephemeral_.public_key);
      FIL_TRY(mixDh(ephemeral_.private_key, remote_ephemeral_));
      FIL_TRY(encryptAndHash(static_.public_key, out));
      FIL_TRY(mixDh(static_.private_key, remote_ephemeral_));
      break;
    case 2:  // -> s, se
      FIL_TRY(encryptAndHash(static_.public_key, out));
      FIL_TRY(mixDh(static_.private_key, remote_ephemeral_));
      break;
  }
  FIL_TRY(encryptAndHash(payload, out));
  if (out.size() > kMaxFrame) return fail(handshakeError("Noise handshake message exceeds 65535 bytes"));
  ++step_;
  return out;
}

Result<Bytes> XXHandshake::readMessage(BytesView message) {
  if (complete() || writesNext()) return fail(handshakeError("Noise handshake: not this side's turn to read"));
  static constexpr size_t kMinimum[3] = {kDhLen, kDhLen + kDhLen + kTagSize + kTagSize, kDhLen + kTagSize + kTagSize};
  if (message.size() < kMinimum[step_]) {
    return fail(handshakeError(fmt::format("Noise handshake message {} is {} bytes, at least {} expected", step_ + 1,
                                           message.size(), kMinimum[step_])));
  }
  BytesView rest = message;
  Bytes scratch;
  switch (step_) {
    case 0:  // -> e
      std::copy_n(rest.begin(), kDhLen, remote_ephemeral_.begin());
      mixHash(rest.first(kDhLen));
      rest = rest.subspan(kDhLen);
      break;
    case 1:  // <- e, ee, s, es
      std::copy_n(rest.begin(), kDhLen, remote_ephemeral_.begin());
      mixHash(rest.first(kDhLen));
      rest = rest.subspan(kDhLen);
      FIL_TRY(mixDh(ephemeral_.private_key, remote_ephemeral_));
      FIL_TRY(decryptAndHash(rest.first(kDhLen + kTagSize), scratch));
      std::copy_n(scratch.begin(), kDhLen, remote_static_.begin());
      rest = rest.subspan(kDhLen + kTagSize);
      FIL_TRY(mixDh(ephemeral_.private_key, remote_static_));
      break;
    case 2:  // -> s, se
      FIL_TRY(decryptAndHash(rest.first(kDhLen + kTagSize), scratch));
      std::copy_n(scratch.begin(), kDhLen, remote_static_.begin());
      rest = rest.subspan(kDhLen + kTagSize);
      FIL_TRY(mixDh(ephemeral_.private_key, remote_static_));
      break;
  }
  Bytes payload;
  FIL_TRY(decryptAndHash(rest, payload));
  ++step_;
  return payload;
}

XXHandshake::Ciphers XXHandshake::split() const {
  const Bytes out = crypto::hkdfSha256(ck_, {}, {}, 64);
  ByteArray<32> k1;
  ByteArray<32> k2;
  std::copy_n(out.begin(), 32, k1.begin());
  std::copy_n(out.begin() + 32, 32, k2.begin());
  Ciphers c;
  c.send.initializeKey(initiator_ ? k1 : k2);
  c.receive.initializeKey(initiator_ ? k2 : k1);
  return c;
}

// ---- libp2p payload ----

Bytes encodePayload(const HandshakePayload& payload) {
  pb::Writer w;
  w.bytes(1, payload.identity_key);
  w.bytes(2, payload.identity_sig);
  if (!payload.stream_muxers.empty()) {
    pb::Writer extensions;
    for (const auto& m : payload.stream_muxers) extensions.string(2, m);
    w.bytes(4, extensions.data());
  }
  return w.take();
}

Result<HandshakePayload> decodePayload(BytesView bytes) {
  HandshakePayload out;
  pb::Reader reader(bytes);
  pb::Field field;
  for (;;) {
    FIL_ASSIGN_OR_RETURN(const bool more, reader.next(field));
    if (!more) break;
    if (field.type != pb::WireType::kLengthDelimited) continue;
    if (field.number == 1) {
      out.identity_key = toBytes(field.bytes);
    } else if (field.number == 2) {
      out.identity_sig = toBytes(field.bytes);
    } else if (field.number == 4) {
      pb::Reader ext(field.bytes);
      pb::Field e;
      for (;;) {
        FIL_ASSIGN_OR_RETURN(const bool more_ext, ext.next(e));
        if (!more_ext) break;
        if (e.number == 2 && e.type == pb::WireType::kLengthDelimited) {
          if (out.stream_muxers.size() >= 16) return fail(handshakeError("Noise payload names more than 16 muxers"));
          out.stream_muxers.emplace_back(asString(e.bytes));
        }
      }
    }
  }
  return out;
}

HandshakePayload makePayload(const HostKey& key, const crypto::x25519::PublicKey& noise_static,
                             std::vector<std::string> stream_muxers) {
  Bytes signed_bytes = toBytes(kSignaturePrefix);
  append(signed_bytes, noise_static);
  return HandshakePayload{key.publicKey().toProtobuf(), key.sign(signed_bytes), std::move(stream_muxers)};
}

Result<RemoteIdentity> verifyPayload(BytesView payload, const crypto::x25519::PublicKey& remote_static) {
  auto decoded = decodePayload(payload);
  if (!decoded) return fail(handshakeError("peer's Noise payload: " + decoded.error().message()));
  auto key = PublicKey::fromProtobuf(decoded->identity_key);
  if (!key) return fail(handshakeError("peer's identity key: " + key.error().message()));
  Bytes signed_bytes = toBytes(kSignaturePrefix);
  append(signed_bytes, remote_static);
  if (!key->verify(signed_bytes, decoded->identity_sig)) {
    return fail(handshakeError("peer's identity signature over its Noise key does not verify"));
  }
  PeerId peer = PeerId::fromPublicKey(*key);
  return RemoteIdentity{std::move(*key), std::move(peer), std::move(decoded->stream_muxers)};
}

std::string chooseMuxer(const std::vector<std::string>& initiator, const std::vector<std::string>& responder) {
  for (const auto& m : initiator) {
    if (std::find(responder.begin(), responder.end(), m) != responder.end()) return m;
  }
  return {};
}

// ---- transport ----

Status encryptFrames(CipherState& cipher, BytesView plaintext, Bytes& out) {
  out.reserve(out.size() + plaintext.size() + (plaintext.size() / kMaxPlaintext + 1) * (kTagSize + 2));
  while (!plaintext.empty()) {
    const size_t n = std::min(plaintext.size(), kMaxPlaintext);
    const size_t length_at = out.size();
    out.push_back(0);
    out.push_back(0);
    FIL_TRY(cipher.encryptWithAd({}, plaintext.first(n), out));
    const size_t length = out.size() - length_at - 2;
    out[length_at] = static_cast<uint8_t>(length >> 8);
    out[length_at + 1] = static_cast<uint8_t>(length);
    plaintext = plaintext.subspan(n);
  }
  return ok();
}

Result<size_t> decryptFrames(CipherState& cipher, BytesView in, Bytes& plaintext) {
  size_t pos = 0;
  while (in.size() - pos >= 2) {
    const size_t length = (size_t{in[pos]} << 8) | in[pos + 1];
    if (in.size() - pos - 2 < length) break;
    if (length < kTagSize) {
      return fail(NetError::kDecrypt, fmt::format("Noise frame of {} bytes is shorter than its tag", length));
    }
    FIL_TRY(cipher.decryptWithAd({}, in.subspan(pos + 2, length), plaintext));
    pos += 2 + length;
  }
  return pos;
}

Status encryptFrames(CipherState& cipher, BytesView plaintext, RawBuffer& out) {
  while (!plaintext.empty()) {
    const size_t n = std::min(plaintext.size(), kMaxPlaintext);
    uint8_t* frame = out.extend(2 + n + kTagSize);
    frame[0] = static_cast<uint8_t>((n + kTagSize) >> 8);
    frame[1] = static_cast<uint8_t>(n + kTagSize);
    FIL_TRY(cipher.encryptTo(plaintext.first(n), frame + 2));
    plaintext = plaintext.subspan(n);
  }
  return ok();
}

Result<size_t> decryptFrames(CipherState& cipher, BytesView in, RawBuffer& plaintext) {
  size_t pos = 0;
  while (in.size() - pos >= 2) {
    const size_t length = (size_t{in[pos]} << 8) | in[pos + 1];
    if (in.size() - pos - 2 < length) break;
    if (length < kTagSize) {
      return fail(NetError::kDecrypt, fmt::format("Noise frame of {} bytes is shorter than its tag", length));
    }
    uint8_t* out = plaintext.extend(length - kTagSize);
    if (auto opened = cipher.decryptTo(in.subspan(pos + 2, length), out); !opened) {
      plaintext.shrinkTo(plaintext.size() - (length - kTagSize));
      return fail(std::move(opened).error());
    }
    pos += 2 + length;
  }
  return pos;
}

}  // namespace fil::net::noise
