#include "full_node_session.h"

#include "fil/base/hex.h"

namespace fil::cli {

uint64_t FullNodeSession::blockDelay() {
  if (block_delay_ == 0) {
    block_delay_ = checkAs(common_.version(), "getting the node's version").block_delay;
    if (block_delay_ == 0) failCommand("the node reports a block delay of 0 seconds");
  }
  return block_delay_;
}

chain::TipSet FullNodeSession::loadTipSet(std::string_view ref) {
  const TipSetRef parsed = check(parseTipSetRef(ref));
  switch (parsed.kind) {
    case TipSetRef::Kind::kHead: return check(api_.chainHead());
    case TipSetRef::Kind::kHeight: return check(api_.chainGetTipSetByHeight(parsed.height, chain::TipSetKey()));
    case TipSetRef::Kind::kKey: return check(api_.chainGetTipSet(parsed.key));
  }
  return check(api_.chainHead());
}

bool FullNodeSession::isSyncDone(TimePoint now) {
  const auto head = check(api_.chainHead());
  const int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return now_s - static_cast<int64_t>(head.minTimestamp()) < static_cast<int64_t>(blockDelay());
}

primitives::Address parseAddress(std::string_view text) {
  auto a = primitives::Address::parse(text);
  if (!a) failCommand(fmt::format("invalid address '{}': {}", text, a.error().message()));
  return *a;
}

cid::Cid parseCid(std::string_view text) {
  auto c = cid::Cid::parse(text);
  if (!c) failCommand(fmt::format("invalid CID '{}': {}", text, c.error().message()));
  return *c;
}

Bytes parseHex(std::string_view text, std::string_view what) {
  auto b = fromHex(text);
  if (!b) failCommand(fmt::format("{} '{}' is not hex: {}", what, text, b.error().message()));
  return *b;
}

bool isActorNotFound(const Error& e) {
  const std::string m = e.message();
  return m.find("actor not found") != std::string::npos ||
         (m.find("actor ") != std::string::npos && m.find(" not found") != std::string::npos);
}

void addNotBuiltList(CLI::App& parent, const std::vector<std::pair<std::string, std::string>>& commands) {
  for (const auto& [name, description] : commands) {
    addNotBuilt(parent, name, description, "issue 8, the full node");
  }
}

}  // namespace fil::cli
