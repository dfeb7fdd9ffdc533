#include "fil/api/serve.h"

#include "fil/api/common_api.h"
#include "fil/api/full_node_api.h"
#include "fil/api/full_node_json.h"
#include "fil/api/json.h"
#include "fil/rpc/server.h"

namespace fil::api {

void serveCommonApi(rpc::Server& server, CommonApi& impl) { server.registerApi(impl, kCommonMethods); }

void serveFullNodeApi(rpc::Server& server, FullNodeApi& impl) { server.registerApi(impl, kFullNodeMethods); }

}  // namespace fil::api
