// Puts an API implementation on an RPC server. These live in .cpp files
// that see every JSON codec the API's types need, so wiring code (apps/)
// does not have to.
#pragma once

namespace fil::rpc {
class Server;
}

namespace fil::api {

class CommonApi;
class FullNodeApi;

// `impl` must outlive the server.
void serveCommonApi(rpc::Server& server, CommonApi& impl);
// The full node methods only; serve the Common API beside them.
void serveFullNodeApi(rpc::Server& server, FullNodeApi& impl);

}  // namespace fil::api
