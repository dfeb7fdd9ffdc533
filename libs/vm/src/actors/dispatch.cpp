#include "actors/actors.h"

namespace fil::vm {

Result<Bytes> invokeActor(ActorType type, Runtime& rt, MethodNum method, BytesView params) {
  switch (type) {
    case ActorType::kSystem: return system::invoke(rt, method, params);
    case ActorType::kInit: return init::invoke(rt, method, params);
    case ActorType::kAccount: return account::invoke(rt, method, params);
    case ActorType::kCron: return cron::invoke(rt, method, params);
    case ActorType::kReward: return reward::invoke(rt, method, params);
    case ActorType::kPower: return power::invoke(rt, method, params);
    case ActorType::kMarket: return market::invoke(rt, method, params);
    case ActorType::kMiner: return miner::invoke(rt, method, params);
    default: break;
  }
  return exitError(ExitCode::kSysErrInvalidReceiver, fmt::format("no code for actors of type {}", actorTypeName(type)));
}

}  // namespace fil::vm
