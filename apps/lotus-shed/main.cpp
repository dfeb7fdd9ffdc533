// lotus-shed: offline tools for operators and developers, as Lotus's.
#include <cstdio>
#include <iostream>
#include <iterator>

#include "command.h"
#include "fil/base/log.h"

namespace fil::shed {

std::string argumentOrStdin(const std::string& argument, bool given) {
  if (given) return argument;
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

}  // namespace fil::shed

int main(int argc, char** argv) {
  if (auto configured = fil::log::configureFromEnv(); !configured) {
    std::fprintf(stderr, "ERROR: %s\n", configured.error().message().c_str());
    return 1;
  }
  CLI::App app("A place for all the lotus tools", "lotus-shed");
  app.require_subcommand(1);
  app.set_version_flag("--version,-v", "lotus-shed version 0.1.0");

  fil::shed::registerEncodingCommands(app);
  fil::shed::registerKeyInfoCommands(app);
  fil::shed::registerAddressCommands(app);
  fil::shed::registerCidCommands(app);
  fil::shed::registerCborCommands(app);
  fil::shed::registerMessageCommands(app);
  fil::shed::registerCommPCommands(app);
  fil::shed::registerMineCommands(app);
  fil::shed::registerBackupCommands(app);
  fil::shed::registerCarCommands(app);
  fil::shed::registerP2pCommands(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const fil::shed::CommandFailure& e) {
    std::fprintf(stderr, "ERROR: %s\n", e.what());
    return 1;
  }
  return 0;
}
