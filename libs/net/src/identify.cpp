#include "identify.h"

#include "protobuf.h"

namespace fil::net::identify {

Bytes encode(const Message& m) {
  pb::Writer w;
  if (m.public_key) w.bytes(1, *m.public_key);
  for (const auto& a : m.listen_addrs) w.bytes(2, a);
  for (const auto& p : m.protocols) w.string(3, p);
  if (m.observed_addr) w.bytes(4, *m.observed_addr);
  if (m.protocol_version) w.string(5, *m.protocol_version);
  if (m.agent_version) w.string(6, *m.agent_version);
  if (m.signed_peer_record) w.bytes(8, *m.signed_peer_record);
  return w.take();
}

Result<Message> decode(BytesView bytes) {
  Message m;
  pb::Reader reader(bytes);
  pb::Field f;
  for (;;) {
    FIL_ASSIGN_OR_RETURN(const bool more, reader.next(f));
    if (!more) break;
    if (f.type != pb::WireType::kLengthDelimited) continue;
    switch (f.number) {
      case 1: m.public_key = toBytes(f.bytes); break;
      case 2: m.listen_addrs.push_back(toBytes(f.bytes)); break;
      case 3: m.protocols.emplace_back(asString(f.bytes)); break;
      case 4: m.observed_addr = toBytes(f.bytes); break;
      case 5: m.protocol_version = std::string(asString(f.bytes)); break;
      case 6: m.agent_version = std::string(asString(f.bytes)); break;
      case 8: m.signed_peer_record = toBytes(f.bytes); break;
      default: break;
    }
  }
  return m;
}

void merge(Message& into, Message&& more) {
  if (more.public_key) into.public_key = std::move(more.public_key);
  for (auto& a : more.listen_addrs) into.listen_addrs.push_back(std::move(a));
  for (auto& p : more.protocols) into.protocols.push_back(std::move(p));
  if (more.observed_addr) into.observed_addr = std::move(more.observed_addr);
  if (more.protocol_version) into.protocol_version = std::move(more.protocol_version);
  if (more.agent_version) into.agent_version = std::move(more.agent_version);
  if (more.signed_peer_record) into.signed_peer_record = std::move(more.signed_peer_record);
}

}  // namespace fil::net::identify
