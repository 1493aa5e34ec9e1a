// File: echo.h
// The code under test: a one-message echo service. It is written against a socksim::Process,
// the way a project puts its socket calls behind an interface so that its tests can run them
// on a simulated stack.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <socksim/socksim.h>

namespace echo {

/// Listens at `at` on `server`; nullopt when the socket cannot be set up.
std::optional<socksim::Handle> Listen(socksim::Process& server, const socksim::Address& at);

/// Accepts one connection on `listener`, reads one message and sends it back; false on any
/// failure. The peer's address goes to `peer` when given.
bool ServeOne(socksim::Process& server, socksim::Handle listener,
              std::optional<socksim::Address>* peer = nullptr);

/// Connects `client` to `server_at` and sends `message`; the connected socket, or the failed
/// step's Result.
struct Sent {
  std::optional<socksim::Handle> socket;
  socksim::Result failure;
};
Sent Send(socksim::Process& client, const socksim::Address& server_at, std::string_view message);

/// Reads the reply on a socket Send returned.
socksim::Result Reply(socksim::Process& client, socksim::Handle socket);

}  // namespace echo
