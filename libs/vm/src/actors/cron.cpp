#include "fil/vm/actors/cron.h"

#include "actors/actors.h"
#include "fil/base/log.h"
#include "fil/vm/actors/market.h"
#include "fil/vm/actors/power.h"

namespace fil::vm::cron {

std::vector<Entry> genesisEntries() {
  return {{powerActorAddress(), power::kCronTick}, {marketActorAddress(), market::kCronTick}};
}

Result<Bytes> invoke(Runtime& rt, MethodNum method, BytesView params) {
  switch (method) {
    case kConstructor:
      return withParams<ConstructorParams>(params, [&](ConstructorParams p) -> Result<Bytes> {
        FIL_TRY(rt.validateCallerIs({kSystemActorId}));
        FIL_TRY(rt.saveState(p));
        return Bytes{};
      });
    case kEpochTick: {
      FIL_TRY(rt.validateCallerIs({kSystemActorId}));
      FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
      for (const auto& entry : st.entries) {
        // Errors of one entry do not stop the others (builtin-actors), but
        // a fatal VM error stops everything.
        auto r = rt.send(entry.receiver, entry.method, {}, 0);
        if (!r) {
          if (isFatal(r.error())) return fail(std::move(r).error());
          log::get("vm").warn("cron entry {} method {} failed at epoch {}: {}", entry.receiver.toString(),
                              entry.method, rt.epoch(), r.error().message());
        }
      }
      return Bytes{};
    }
    default:
      return unhandledMethod(method);
  }
}

}  // namespace fil::vm::cron
