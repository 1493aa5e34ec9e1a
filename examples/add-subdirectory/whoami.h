// File: whoami.h
// The code under test: a "who am I" service. The server answers each connection with the
// address it sees the client at; the client compares that with its own socket name, the way a
// program checks for an address-rewriting middlebox. Written against socksim::Process so that
// its tests can run it on a simulated stack, where each process's call runs when it is made:
// the server listens, the client connects, the server answers, the client reads.
#pragma once

#include <optional>
#include <string>

#include <socksim/socksim.h>

namespace whoami {

class Server {
 public:
  /// Listens on `process` at `at`; nullopt when the socket cannot be set up.
  static std::optional<Server> Start(socksim::Process process, const socksim::Address& at);
  /// Accepts one connection and writes the client's address to it, as text.
  bool AnswerOne();

 private:
  Server(socksim::Process process, socksim::Handle listener)
      : process_(process), listener_(listener) {}
  socksim::Process process_;
  socksim::Handle listener_;
};

/// What the client learned.
struct Answer {
  std::string seen_by_server;              // the server's text
  std::optional<socksim::Address> own_name;  // getsockname of the client's socket
  socksim::Result last;                    // the last call made (the failed one, on failure)
};

/// Connects to `at`; the socket, or nullopt with the failed call in `last`.
std::optional<socksim::Handle> Connect(socksim::Process& client, const socksim::Address& at,
                                       socksim::Result* last);
/// Reads the server's answer on `s` and closes it.
Answer ReadAnswer(socksim::Process& client, socksim::Handle s);

}  // namespace whoami
