#include "fil/vm/actors/account.h"

#include "actors/actors.h"

namespace fil::vm::account {
namespace {

Result<Bytes> constructor(Runtime& rt, const Address& address) {
  FIL_TRY(rt.validateCallerIs({kSystemActorId}));
  if (!address.defined() || (address.protocol() != primitives::AddressProtocol::kSecp256k1 &&
                             address.protocol() != primitives::AddressProtocol::kBls)) {
    return exitError(ExitCode::kErrIllegalArgument,
                     fmt::format("address must use BLS or SECP protocol, got {}",
                                 address.defined() ? address.toString() : "undefined"));
  }
  FIL_TRY(rt.saveState(State{address}));
  return Bytes{};
}

Result<Bytes> authenticateMessage(Runtime& rt, const AuthenticateMessageParams& params) {
  FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
  primitives::Signature sig;
  sig.type = st.address.protocol() == primitives::AddressProtocol::kBls ? primitives::SignatureType::kBls
                                                                       : primitives::SignatureType::kSecp256k1;
  sig.data = params.signature;
  auto checked = rt.verifySignature(sig, st.address, params.message);
  if (!checked) {
    return exitError(ExitCode::kErrIllegalArgument,
                     "failed to authenticate message, signature invalid: " + checked.error().message());
  }
  return encodeReturn(true);
}

}  // namespace

Result<Bytes> invoke(Runtime& rt, MethodNum method, BytesView params) {
  switch (method) {
    case kConstructor:
      return withParams<Address>(params, [&](Address a) { return constructor(rt, a); });
    case kPubkeyAddress: {
      FIL_ASSIGN_OR_RETURN(State st, rt.state<State>());
      return encodeReturn(st.address);
    }
    case kAuthenticateMessage:
      return withParams<AuthenticateMessageParams>(params, [&](auto p) { return authenticateMessage(rt, p); });
    default:
      // Accounts accept any exported method (the universal receiver hook).
      if (method >= kFirstExportedMethod) return Bytes{};
      return unhandledMethod(method);
  }
}

}  // namespace fil::vm::account
