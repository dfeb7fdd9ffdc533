// lotus-shed p2p listen | ping | echo: the libp2p host on its own, for
// checking connectivity with other libp2p nodes before a markets node runs.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "command.h"
#include "fil/crypto/random.h"
#include "fil/net/host.h"
#include "fil/primitives/key_info.h"

namespace fil::shed {
namespace {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
template <typename T>
using Awaitable = asio::awaitable<T>;

constexpr std::string_view kEchoProtocol = "/echo/1.0.0";
constexpr size_t kEchoChunk = 256 * 1024;

struct Options {
  std::vector<std::string> listen;
  std::string key_file;
};

net::HostKey loadKey(const Options& options) {
  if (options.key_file.empty()) return net::HostKey::generate();
  std::ifstream in(options.key_file);
  if (!in) failCommand("cannot open key file " + options.key_file);
  std::stringstream text;
  text << in.rdbuf();
  std::string hex = text.str();
  while (!hex.empty() && std::isspace(static_cast<unsigned char>(hex.back()))) hex.pop_back();
  const auto info = check(primitives::keyInfoFromHex(hex));
  return check(net::HostKey::fromKeyInfo(info));
}

// One line per fact, so scripts can follow what the host learns.
void printPeerLines(const net::IdentifyRecord& r) {
  const std::string peer = r.peer.toString();
  fmt::print("peer {} agent {}\n", peer, r.agent_version);
  for (const auto& p : r.protocols) fmt::print("peer {} protocol {}\n", peer, p);
  for (const auto& a : r.listen_addresses) fmt::print("peer {} address {}\n", peer, a.toString());
  std::fflush(stdout);
}

std::string withPeer(const cid::Multiaddr& address, const net::PeerId& id) {
  return address.toString() + "/p2p/" + id.toString();
}

std::unique_ptr<net::Host> makeHost(asio::io_context& io, const Options& options) {
  net::HostConfig config;
  config.listen_addresses = options.listen;
  config.agent_version = "lotus-shed";
  auto host = check(net::Host::create(io, loadKey(options), std::move(config)));
  check(host->listen());
  host->setStreamHandler(std::string(kEchoProtocol), [](net::Stream s) -> Awaitable<void> {
    Bytes buffer(kEchoChunk);
    for (;;) {
      auto n = co_await s.readSome(buffer);
      if (!n || *n == 0) break;
      if (!co_await s.write(BytesView(buffer).first(*n))) co_return;
    }
    (void)s.closeWrite();
  });
  return host;
}

// Runs `task` to completion on `io` (the host keeps io busy, so run() would
// not return), then closes the host.
template <typename T>
T runTask(asio::io_context& io, net::Host& host, Awaitable<T> task) {
  std::optional<T> result;
  std::exception_ptr error;
  asio::co_spawn(io, std::move(task), [&](std::exception_ptr e, T value) {
    error = e;
    result.emplace(std::move(value));
  });
  while (!result && !error) io.run_one();
  host.close();
  io.poll();
  if (error) std::rethrow_exception(error);
  return std::move(*result);
}

void printIdentify(const net::IdentifyRecord& r) {
  fmt::print("Peer:             {}\n", r.peer.toString());
  fmt::print("Agent:            {}\n", r.agent_version);
  fmt::print("Protocol version: {}\n", r.protocol_version);
  fmt::print("Protocols:\n");
  for (const auto& p : r.protocols) fmt::print("  {}\n", p);
  fmt::print("Listen addresses:\n");
  for (const auto& a : r.listen_addresses) fmt::print("  {}\n", a.toString());
  if (r.observed_address) fmt::print("Observed address: {}\n", r.observed_address->toString());
}

Awaitable<Result<net::PeerId>> connectTo(net::Host& host, const std::string& target) {
  auto address = cid::Multiaddr::parse(target);
  if (!address) co_return tl::unexpected<Error>(std::move(address).error());
  co_return co_await host.connect(*address);
}

void printLocal(const net::Host& host) {
  fmt::print("Local peer: {}\n", host.id().toString());
  for (const auto& a : host.addresses()) fmt::print("Listening: {}\n", withPeer(a, host.id()));
}

Awaitable<Status> pingCommand(net::Host& host, std::string target, int count) {
  printLocal(host);
  auto peer = co_await connectTo(host, target);
  if (!peer) co_return tl::unexpected<Error>(std::move(peer).error());
  for (int i = 0; i < count; ++i) {
    auto rtt = co_await host.ping(*peer);
    if (!rtt) co_return tl::unexpected<Error>(std::move(rtt).error());
    fmt::print("Pong received: time={:.3f}ms\n", std::chrono::duration<double, std::milli>(*rtt).count());
  }
  auto record = co_await host.identify(*peer);
  if (!record) co_return tl::unexpected<Error>(std::move(record).error());
  printIdentify(*record);
  co_return Status{};
}

Awaitable<Status> echoCommand(net::Host& host, std::string target, size_t size) {
  printLocal(host);
  auto peer = co_await connectTo(host, target);
  if (!peer) co_return tl::unexpected<Error>(std::move(peer).error());
  const std::vector<std::string> protocols{std::string(kEchoProtocol)};
  auto stream = co_await host.newStream(*peer, protocols);
  if (!stream) co_return tl::unexpected<Error>(std::move(stream).error());
  const Bytes data = crypto::randomBytes(size);
  const auto start = std::chrono::steady_clock::now();
  // Send and read back at once: the echo would stall on full windows otherwise.
  auto send = [&]() -> Awaitable<Status> {
    for (size_t at = 0; at < data.size(); at += kEchoChunk) {
      auto written = co_await stream->write(BytesView(data).subspan(at, std::min(kEchoChunk, data.size() - at)));
      if (!written) co_return written;
    }
    co_return stream->closeWrite();
  };
  Bytes echoed(size);
  auto receive = [&]() -> Awaitable<Status> {
    auto read = co_await stream->readExactly(echoed);
    if (!read) co_return read;
    uint8_t extra = 0;
    auto end = co_await stream->readSome(MutableBytesView(&extra, 1));
    if (!end) co_return tl::unexpected<Error>(std::move(end).error());
    if (*end != 0) co_return tl::unexpected<Error>(Error(GenericError::kInvalidArgument, "peer echoed more than we sent"));
    co_return Status{};
  };
  auto [sent, received] = co_await (send() && receive());
  if (!sent) co_return tl::unexpected<Error>(std::move(sent).error().withContext("sending"));
  if (!received) co_return tl::unexpected<Error>(std::move(received).error().withContext("receiving the echo"));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (echoed != data) {
    co_return tl::unexpected<Error>(Error(GenericError::kInvalidArgument, "the echo differs from what we sent"));
  }
  fmt::print("Echoed {} bytes each way in {:.3f} s ({:.1f} MB/s each way)\n", size, seconds, size / seconds / 1e6);
  co_return Status{};
}

void addHostOptions(CLI::App* cmd, Options& options, const char* listen_help) {
  cmd->add_option("--listen", options.listen, listen_help);
  cmd->add_option("--key", options.key_file, "libp2p-host keyinfo file (lotus-shed keyinfo new libp2p-host); default: a new key");
}

}  // namespace

void registerP2pCommands(CLI::App& app) {
  auto* p2p = app.add_subcommand("p2p", "run a libp2p host: listen, ping and echo with other libp2p nodes");
  p2p->require_subcommand(1);

  auto listen_options = std::make_shared<Options>();
  auto* listen = p2p->add_subcommand(
      "listen", "listen, print the full addresses (<multiaddr>/p2p/<id>), serve identify, ping and " +
                    std::string(kEchoProtocol) + " until stopped; print what peers tell about themselves (\"peer ...\")");
  addHostOptions(listen, *listen_options, "listen address (repeatable; default /ip4/0.0.0.0/tcp/0 and /ip6/::/tcp/0)");
  listen->callback([listen_options] {
    if (listen_options->listen.empty()) listen_options->listen = net::HostConfig().listen_addresses;
    asio::io_context io;
    auto host = makeHost(io, *listen_options);
    for (const auto& a : host->addresses()) fmt::print("{}\n", withPeer(a, host->id()));
    std::fflush(stdout);
    host->onIdentified(printPeerLines);
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) {
      host->close();
      io.stop();
    });
    io.run();
  });

  auto ping_options = std::make_shared<Options>();
  auto ping_target = std::make_shared<std::string>();
  auto ping_count = std::make_shared<int>(1);
  auto* ping = p2p->add_subcommand("ping", "dial a peer, ping it and print its identify record");
  ping->add_option("multiaddr", *ping_target, "the peer's address, ending in /p2p/<peer ID>")->required();
  ping->add_option("--count", *ping_count, "pings to send")->capture_default_str()->check(CLI::PositiveNumber);
  addHostOptions(ping, *ping_options, "also listen here, so the peer learns where to reach us");
  ping->callback([ping_options, ping_target, ping_count] {
    asio::io_context io;
    auto host = makeHost(io, *ping_options);
    check(runTask(io, *host, pingCommand(*host, *ping_target, *ping_count)));
  });

  auto echo_options = std::make_shared<Options>();
  auto echo_target = std::make_shared<std::string>();
  auto echo_size = std::make_shared<size_t>(64 * 1024 * 1024);
  auto* echo = p2p->add_subcommand("echo", "send random bytes over " + std::string(kEchoProtocol) +
                                               " and check they come back");
  echo->add_option("multiaddr", *echo_target, "the peer's address, ending in /p2p/<peer ID>")->required();
  echo->add_option("--size", *echo_size, "bytes to send")->capture_default_str();
  addHostOptions(echo, *echo_options, "also listen here");
  echo->callback([echo_options, echo_target, echo_size] {
    asio::io_context io;
    auto host = makeHost(io, *echo_options);
    check(runTask(io, *host, echoCommand(*host, *echo_target, *echo_size)));
  });
}

}  // namespace fil::shed
