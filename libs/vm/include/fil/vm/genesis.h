// Devnet genesis: Lotus's genesis template (`lotus-seed genesis new`,
// `add-miner`), the pre-seal manifest (`lotus-seed pre-seal`), and the
// genesis state built from them.
//
//   Template t = newTemplate("localnet");
//   FIL_ASSIGN_OR_RETURN(auto miners, minersFromJson(readFile("pre-seal-t01000.json")));
//   FIL_TRY(addMiners(t, miners, 50'000'000));
//   FIL_ASSIGN_OR_RETURN(GenesisState g, buildGenesisState(blocks, t, devnetParams()));
//   // g.state_root and the other pieces of the genesis block
//
// The state holds, as Lotus's genesis does: system, init (accounts from ID
// 100, miners from 1000), reward (the storage-mining allocation), cron,
// power, market, the burnt-funds account f099, the template's accounts, the
// verified-registry root key (f080) and the remainder account (f090, what
// is left of 2 billion FIL). Each miner is created through the power actor,
// its pre-sealed deals published through the market with the client's
// signature, its sectors pre-committed and confirmed (no proof at genesis,
// as in Lotus) and given power at once.
//
// JSON forms are Lotus's (genesis/types.go): Accounts as {"Type","Balance","Meta"},
// miners as {"ID","Owner","Worker","PeerId","MarketBalance","PowerBalance",
// "SectorSize","Sectors":[{"CommR","CommD","SectorID","Deal","DealClientKey","ProofType"}]}.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fil/chain/network.h"
#include "fil/primitives/key_info.h"
#include "fil/store/blockstore.h"
#include "fil/store/io.h"
#include "fil/vm/actors/market.h"

namespace fil::vm::genesis {

// genesis.Actor: "account" (Meta {"Owner": address}) or "multisig" (not
// supported by this VM: building a state from one fails, naming it).
struct ActorEntry {
  std::string type = "account";
  TokenAmount balance;
  std::string meta_json = "{}";  // the raw Meta object
};

struct PreSeal {
  cid::Cid comm_r;
  cid::Cid comm_d;
  uint64_t sector_id = 0;
  market::DealProposal deal;
  primitives::KeyInfo deal_client_key;
  int64_t proof_type = 0;
};

struct Miner {
  Address id;
  Address owner;
  Address worker;
  std::string peer_id;  // base58 libp2p peer ID
  TokenAmount market_balance;
  TokenAmount power_balance;
  uint64_t sector_size = 0;
  std::vector<PreSeal> sectors;
};

struct Template {
  uint64_t network_version = 21;
  std::vector<ActorEntry> accounts;
  std::vector<Miner> miners;
  std::string network_name;
  uint64_t timestamp = 0;  // omitted from JSON when 0
  ActorEntry verifreg_root_key;
  ActorEntry remainder_account;
};

inline constexpr ActorId kAccountStart = 100;
inline constexpr ActorId kMinerStart = 1000;
// 2 billion FIL (Lotus FilBase).
inline const TokenAmount kTotalFilecoin = TokenAmount(2'000'000'000) * primitives::kFilecoinPrecision;
// The test key Lotus's default template gives the root key and remainder
// account (chain/gen/gen.go remAccTestKey).
inline constexpr std::string_view kDefaultRemainderKey = "t1ceb34gnsc6qk5dt6n7xg6ycwzasjhbxm3iylkiy";

// An account entry for `owner` with `balance`.
ActorEntry accountEntry(const Address& owner, const TokenAmount& balance);

// `lotus-seed genesis new`: no accounts or miners, the default root key and
// remainder account (as accounts of kDefaultRemainderKey: Lotus makes them
// 1-of-1 multisigs of that key, which this VM does not run).
Template newTemplate(std::string network_name, uint64_t timestamp = 0);

// `lotus-seed genesis add-miner`: appends the miners (their IDs must follow
// the template's, t01000 first) and an account for each owner holding
// `balance_fil` FIL.
[[nodiscard]] Status addMiners(Template& t, const std::map<std::string, Miner>& miners, int64_t balance_fil);

[[nodiscard]] Result<std::string> templateToJson(const Template& t);
[[nodiscard]] Result<Template> templateFromJson(std::string_view json);
// The pre-seal manifest: {"t01000": Miner}.
[[nodiscard]] Result<std::string> minersToJson(const std::map<std::string, Miner>& miners);
[[nodiscard]] Result<std::map<std::string, Miner>> minersFromJson(std::string_view json);

// What a genesis block needs besides the state: the empty message and
// receipt roots, the timestamp.
struct GenesisState {
  cid::Cid state_root;
  cid::Cid messages_root;  // MsgMeta of two empty legacy AMTs
  cid::Cid receipts_root;  // empty legacy AMT
  uint64_t timestamp = 0;
  std::string network_name;
  std::vector<Address> miners;  // ID addresses, template order
};

[[nodiscard]] Result<GenesisState> buildGenesisState(store::Blockstore& store, const Template& t,
                                                     const chain::NetworkParams& network);

// Writes a CARv1 with `roots` holding every block reachable from them
// (depth first, each block once), following DAG-CBOR links only: actor
// code CIDs (Lotus ships the WASM bundle; our actors are native) and sector
// commitments are links to no block.
[[nodiscard]] Status writeCar(store::Blockstore& store, const std::vector<cid::Cid>& roots, store::ByteSink& sink);

}  // namespace fil::vm::genesis
