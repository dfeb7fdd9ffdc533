#include "fil/chain/json.h"

#include "fil/chain/chain_error.h"

namespace fil::codec {

Json JsonCodec<chain::TipSetKey>::toJson(const chain::TipSetKey& k) {
  Json out = Json::array();
  for (const auto& c : k.cids()) out.push_back(codec::toJson(c));
  return out;
}

Status JsonCodec<chain::TipSetKey>::fromJson(const Json& j, chain::TipSetKey& out) {
  std::vector<cid::Cid> cids;
  FIL_TRY(codec::fromJson(j, cids));
  out = chain::TipSetKey(std::move(cids));
  return ok();
}

Json JsonCodec<chain::TipSet>::toJson(const chain::TipSet& ts) {
  Json out = Json::object();
  out["Cids"] = codec::toJson(ts.cids());
  out["Blocks"] = codec::toJson(ts.blocks());
  out["Height"] = ts.empty() ? 0 : ts.height();
  return out;
}

Status JsonCodec<chain::TipSet>::fromJson(const Json& j, chain::TipSet& out) {
  if (!j.is_object()) return fail(detail::jsonTypeError(j, "a tipset object"));
  std::vector<chain::BlockHeader> blocks;
  FIL_TRY(codec::fromJson(j.value("Blocks", Json(nullptr)), blocks).map_error([](Error e) {
    return std::move(e).withContext("Blocks");
  }));
  auto ts = chain::TipSet::create(std::move(blocks));
  if (!ts) return fail(JsonError::kInvalidValue, ts.error().message());
  if (const Json* cids = detail::findKey(j, "Cids"); cids != nullptr && !cids->is_null()) {
    std::vector<cid::Cid> given;
    FIL_TRY(codec::fromJson(*cids, given));
    if (given != ts->cids()) return fail(JsonError::kInvalidValue, "tipset Cids do not match its blocks");
  }
  if (const Json* height = detail::findKey(j, "Height"); height != nullptr) {
    chain::ChainEpoch h = 0;
    FIL_TRY(codec::fromJson(*height, h));
    if (h != ts->height()) return fail(JsonError::kInvalidValue, "tipset Height does not match its blocks");
  }
  out = std::move(*ts);
  return ok();
}

Json JsonCodec<chain::MessageReceipt>::toJson(const chain::MessageReceipt& r) {
  Json out = Json::object();
  out["ExitCode"] = static_cast<int64_t>(r.exit_code);
  out["Return"] = codec::toJson(r.return_value);
  out["GasUsed"] = r.gas_used;
  out["EventsRoot"] = codec::toJson(r.events_root);
  return out;
}

Status JsonCodec<chain::MessageReceipt>::fromJson(const Json& j, chain::MessageReceipt& out) {
  if (!j.is_object()) return fail(detail::jsonTypeError(j, "a receipt object"));
  out = {};
  if (const Json* v = detail::findKey(j, "ExitCode")) FIL_TRY(codec::fromJson(*v, out.exit_code));
  if (const Json* v = detail::findKey(j, "Return")) FIL_TRY(codec::fromJson(*v, out.return_value));
  if (const Json* v = detail::findKey(j, "GasUsed")) FIL_TRY(codec::fromJson(*v, out.gas_used));
  if (const Json* v = detail::findKey(j, "EventsRoot")) FIL_TRY(codec::fromJson(*v, out.events_root));
  out.v1 = out.events_root.has_value();
  return ok();
}

}  // namespace fil::codec
