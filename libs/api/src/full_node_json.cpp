#include "fil/api/full_node_json.h"

#include <charconv>

namespace fil::codec {

using api::HeadChangeType;

Json JsonCodec<HeadChangeType>::toJson(HeadChangeType t) { return std::string(api::headChangeTypeName(t)); }

Status JsonCodec<HeadChangeType>::fromJson(const Json& j, HeadChangeType& out) {
  if (!j.is_string()) return fail(detail::jsonTypeError(j, "a head change type string"));
  const std::string s = j.get<std::string>();
  for (auto t : {HeadChangeType::kCurrent, HeadChangeType::kRevert, HeadChangeType::kApply}) {
    if (s == api::headChangeTypeName(t)) {
      out = t;
      return ok();
    }
  }
  return fail(JsonError::kInvalidValue, fmt::format("'{}' is not a head change type (current, revert, apply)", s));
}

Json JsonCodec<net::PeerId>::toJson(const net::PeerId& id) { return id.toString(); }

Status JsonCodec<net::PeerId>::fromJson(const Json& j, net::PeerId& out) {
  if (!j.is_string()) return fail(detail::jsonTypeError(j, "a peer ID string"));
  auto id = net::PeerId::parse(j.get<std::string>());
  if (!id) return fail(JsonError::kInvalidValue, id.error().message());
  out = std::move(*id);
  return ok();
}

Json JsonCodec<api::Uuid>::toJson(const api::Uuid& u) { return u.toString(); }

Status JsonCodec<api::Uuid>::fromJson(const Json& j, api::Uuid& out) {
  if (!j.is_string()) return fail(detail::jsonTypeError(j, "a UUID string"));
  auto u = api::Uuid::parse(j.get<std::string>());
  if (!u) return fail(JsonError::kInvalidValue, u.error().message());
  out = *u;
  return ok();
}

Json JsonCodec<std::chrono::nanoseconds>::toJson(std::chrono::nanoseconds d) { return int64_t{d.count()}; }

Status JsonCodec<std::chrono::nanoseconds>::fromJson(const Json& j, std::chrono::nanoseconds& out) {
  int64_t n = 0;
  FIL_TRY(JsonCodec<int64_t>::fromJson(j, n));
  out = std::chrono::nanoseconds(n);
  return ok();
}

Json JsonCodec<api::MarketDeals>::toJson(const api::MarketDeals& deals) {
  Json out = Json::object();
  for (const auto& [id, deal] : deals) out[std::to_string(id)] = codec::toJson(deal);
  return out;
}

Status JsonCodec<api::MarketDeals>::fromJson(const Json& j, api::MarketDeals& out) {
  out.clear();
  if (j.is_null()) return ok();
  if (!j.is_object()) return fail(detail::jsonTypeError(j, "an object of deals by ID"));
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    api::DealId id = 0;
    const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
    if (ec != std::errc() || end != key.data() + key.size() || key.empty()) {
      return fail(JsonError::kInvalidValue, fmt::format("deal ID '{}' is not a decimal number", key));
    }
    api::MarketDeal deal;
    FIL_TRY(codec::fromJson(it.value(), deal).map_error([&](Error e) { return std::move(e).withContext(key); }));
    out.emplace(id, std::move(deal));
  }
  return ok();
}

Json JsonCodec<vm::market::DealLabel>::toJson(const vm::market::DealLabel& label) {
  return label.is_string ? label.data : std::string();
}

Status JsonCodec<vm::market::DealLabel>::fromJson(const Json& j, vm::market::DealLabel& out) {
  if (!j.is_string()) return fail(detail::jsonTypeError(j, "a deal label string"));
  out.data = j.get<std::string>();
  out.is_string = true;
  if (out.data.size() > vm::market::kDealMaxLabelSize) {
    return fail(JsonError::kInvalidValue, fmt::format("deal label of {} bytes is over the limit of {}", out.data.size(),
                                                      vm::market::kDealMaxLabelSize));
  }
  return ok();
}

Json JsonCodec<primitives::KeyInfo>::toJson(const primitives::KeyInfo& key) {
  return Json{{"Type", key.type}, {"PrivateKey", codec::toJson(key.private_key)}};
}

Status JsonCodec<primitives::KeyInfo>::fromJson(const Json& j, primitives::KeyInfo& out) {
  if (!j.is_object()) return fail(detail::jsonTypeError(j, "a key info object"));
  if (const Json* type = detail::findKey(j, "Type")) {
    FIL_TRY(codec::fromJson(*type, out.type).map_error([](Error e) { return std::move(e).withContext("Type"); }));
  }
  if (const Json* key = detail::findKey(j, "PrivateKey")) {
    FIL_TRY(codec::fromJson(*key, out.private_key).map_error([](Error e) {
      return std::move(e).withContext("PrivateKey");
    }));
  }
  return ok();
}

}  // namespace fil::codec
