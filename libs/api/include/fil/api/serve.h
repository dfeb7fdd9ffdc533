// Puts an API implementation on an RPC server. These live in .cpp files
// that see every JSON codec the API's types need, so wiring code (apps/)
// does not have to.
#pragma once

namespace fil::rpc {
class Server;
}

namespace fil::api {

class CommonApi;

// `impl` must outlive the server.
void serveCommonApi(rpc::Server& server, CommonApi& impl);

}  // namespace fil::api
