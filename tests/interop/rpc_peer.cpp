// A node that serves only the Common API, for the Lotus JS client interop
// test. Prints "<listen multiaddr> <admin token> <read token>" on one line,
// serves until standard input closes.
#include <iostream>
#include <string>

#include "fil/api/common_impl.h"
#include "fil/api/serve.h"
#include "fil/crypto/random.h"
#include "fil/rpc/server.h"

int main() {
  using namespace fil;
  auto auth = std::make_shared<rpc::JwtAuth>(crypto::randomBytes(rpc::kJwtSecretSize));
  rpc::Server server(rpc::ServerOptions{}, auth);
  api::CommonImpl common({"1.23.3+filstack", api::kFullApiVersion0, 4, auth, nullptr, [&] { return server.describe(); }});
  api::serveCommonApi(server, common);
  auto bound = server.start();
  if (!bound) {
    std::cerr << bound.error().message() << "\n";
    return 1;
  }
  std::cout << *bound << " " << auth->create({rpc::allPermissions(), std::nullopt, std::nullopt}) << " "
            << auth->create({{"read"}, std::nullopt, std::nullopt}) << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  common.notifyClosing();
  server.stop();
  return 0;
}
