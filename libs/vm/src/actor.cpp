#include "fil/vm/actor.h"

#include <array>
#include <cstdlib>

#include "fil/crypto/blake2b.h"

namespace fil::vm {
namespace {

struct CodeEntry {
  ActorType type;
  std::string_view name;
  std::string_view code;
};

// lotus build/builtin_actors_gen.go, Network "devnet", Version 12 (actors
// for nv21), ManifestCid bafy2bzaceasjdukhhyjbegpli247vbf5h64f7uvxhhebdihuqsj2mwisdwa6o.
constexpr std::array<CodeEntry, kActorTypeCount> kCodes = {{
    {ActorType::kSystem, "system", "bafk2bzacecnau5wddulbsvwn75tc3w75jrlvkybgrlxs4ngonqab6xq3eowvg"},
    {ActorType::kInit, "init", "bafk2bzaceaw4iouukgqxmwukfpt3sakdvsu75ftjvw47swnwtdftz5oszbt4w"},
    {ActorType::kCron, "cron", "bafk2bzacebjpczf7qtcisy3zdp3sqoohxe75tgupmdo5dr26vh7orzrsjn3b2"},
    {ActorType::kAccount, "account", "bafk2bzacedki4apynvdxxuoigmqkgaktgy2erjftoxqxqaklnelgveyaqknfu"},
    {ActorType::kPower, "storagepower", "bafk2bzacebbtj2m2ajawfuzxqz5nmdep7xevjo2qfjqa5tx3vr5m6qojolya4"},
    {ActorType::kMiner, "storageminer", "bafk2bzacecs262232b3awcrilyzpdketeayyqzzwgoavtxilgjvayrz55ovk4"},
    {ActorType::kMarket, "storagemarket", "bafk2bzacebzg74vyk3gzbhnz4zviwvxblyar574mtd6ayognmsvlkriejmunu"},
    {ActorType::kPaymentChannel, "paymentchannel", "bafk2bzaceaupjw3djghaqw3g3hd4tw7uuas3njkszgzx2fhmgqh5eh4e6q2by"},
    {ActorType::kMultisig, "multisig", "bafk2bzaceahyjwf6re4mnuwhopglo3qzh6aboluboncpijm7vuiz3u4bkazho"},
    {ActorType::kReward, "reward", "bafk2bzacebzso6xkjxdscbpncw7el2d4hap6lfkgwqzrbc76lzp33vkwk6obc"},
    {ActorType::kVerifiedRegistry, "verifiedregistry", "bafk2bzacec37mddea65nvh4htsagtryfa3sq6i67utcupslyhzbhjhoy6hopa"},
    {ActorType::kDataCap, "datacap", "bafk2bzacecz4esatk7gizdc7yvl6soigkelhix7izbc75q6eqtb7gjzavpcqc"},
    {ActorType::kPlaceholder, "placeholder", "bafk2bzacedfvut2myeleyq67fljcrw4kkmn5pb5dpyozovj7jpoez5irnc3ro"},
    {ActorType::kEvm, "evm", "bafk2bzacebb7vrhprnshn52bzfmypjdpcrcfecapk232a6gapk3kghu2mp67q"},
    {ActorType::kEam, "eam", "bafk2bzacebhtpd5mxfyovi7fgsfj62nhtmh4t5guob4sgq73ymgsk7473ltig"},
    {ActorType::kEthAccount, "ethaccount", "bafk2bzacebvdbbw5ag4qnxd7cif5mtakrw4wzv63diwl7awta5plaidfay4vg"},
}};

const std::array<cid::Cid, kActorTypeCount>& parsedCodes() {
  static const auto codes = [] {
    std::array<cid::Cid, kActorTypeCount> out;
    for (size_t i = 0; i < kCodes.size(); ++i) {
      auto c = cid::Cid::parse(kCodes[i].code);
      if (!c) std::abort();  // a typo in the table above
      out[i] = *c;
    }
    return out;
  }();
  return codes;
}

size_t indexOf(ActorType type) { return static_cast<size_t>(type) - 1; }

}  // namespace

std::string_view actorTypeName(ActorType type) { return kCodes[indexOf(type)].name; }

const cid::Cid& codeCid(ActorType type) { return parsedCodes()[indexOf(type)]; }

std::optional<ActorType> actorTypeOf(const cid::Cid& code) {
  const auto& codes = parsedCodes();
  for (size_t i = 0; i < codes.size(); ++i) {
    if (codes[i] == code) return kCodes[i].type;
  }
  return std::nullopt;
}

bool isImplemented(ActorType type) {
  switch (type) {
    case ActorType::kSystem:
    case ActorType::kInit:
    case ActorType::kCron:
    case ActorType::kAccount:
    case ActorType::kPower:
    case ActorType::kMiner:
    case ActorType::kMarket:
    case ActorType::kReward:
      return true;
    default:
      return false;
  }
}

#define FIL_SINGLETON(fn, n)                   \
  const Address& fn() {                        \
    static const Address a = Address::id(n);  \
    return a;                                  \
  }
FIL_SINGLETON(systemActorAddress, kSystemActorId)
FIL_SINGLETON(initActorAddress, kInitActorId)
FIL_SINGLETON(rewardActorAddress, kRewardActorId)
FIL_SINGLETON(cronActorAddress, kCronActorId)
FIL_SINGLETON(powerActorAddress, kPowerActorId)
FIL_SINGLETON(marketActorAddress, kMarketActorId)
FIL_SINGLETON(burntFundsActorAddress, kBurntFundsActorId)
#undef FIL_SINGLETON

MethodNum frc42MethodNumber(std::string_view name) {
  const std::string preimage = "1|" + std::string(name);
  const Bytes digest = crypto::blake2b(asBytes(preimage), 64);
  for (size_t i = 0; i + 4 <= digest.size(); i += 4) {
    const uint32_t word = (uint32_t{digest[i]} << 24) | (uint32_t{digest[i + 1]} << 16) |
                          (uint32_t{digest[i + 2]} << 8) | uint32_t{digest[i + 3]};
    if (word >= kFirstExportedMethod) return word;
  }
  // FRC-42 says to try another name; none of the builtin names gets here.
  std::abort();
}

}  // namespace fil::vm
