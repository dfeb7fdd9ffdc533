#include "fil/chain/receipt.h"

#include <fmt/format.h>

namespace fil::codec {

void CborCodec<chain::MessageReceipt>::encode(CborEncoder& e, const chain::MessageReceipt& r) {
  e.writeArrayHeader(r.v1 ? 4 : 3);
  e.writeInt(static_cast<int64_t>(r.exit_code));
  e.writeBytes(r.return_value);
  e.writeInt(r.gas_used);
  if (r.v1) {
    if (r.events_root) {
      e.writeCid(*r.events_root);
    } else {
      e.writeNull();
    }
  }
}

Status CborCodec<chain::MessageReceipt>::decode(CborDecoder& d, chain::MessageReceipt& out) {
  FIL_ASSIGN_OR_RETURN(auto n, d.readArrayHeader());
  if (n != 3 && n != 4) {
    return fail(d.error(CborError::kWrongLength, fmt::format("a receipt has 3 or 4 fields, got {}", n)));
  }
  FIL_ASSIGN_OR_RETURN(auto code, d.readInt());
  out.exit_code = static_cast<chain::ExitCode>(code);
  FIL_ASSIGN_OR_RETURN(auto ret, d.readBytes());
  out.return_value.assign(ret.begin(), ret.end());
  FIL_ASSIGN_OR_RETURN(out.gas_used, d.readInt());
  out.v1 = n == 4;
  out.events_root.reset();
  if (out.v1) {
    if (d.peekNull()) {
      FIL_TRY(d.readNull());
    } else {
      FIL_ASSIGN_OR_RETURN(out.events_root, d.readCid());
    }
  }
  return ok();
}

}  // namespace fil::codec
