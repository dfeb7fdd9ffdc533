#include "fil/api/serve.h"

#include "fil/api/common_api.h"
#include "fil/api/json.h"
#include "fil/rpc/server.h"

namespace fil::api {

void serveCommonApi(rpc::Server& server, CommonApi& impl) { server.registerApi(impl, kCommonMethods); }

}  // namespace fil::api
