// File: stack/core/host_tables.h
// The protocol tables of one simulated host: bound ports, TCP connections and the UNIX name
// space. Ordered maps keep every walk over them deterministic.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "stack/core/stack.h"

namespace socksim::stack {

struct Stack::HostTables {
  /// Sockets holding each port (several when SO_REUSEADDR allows it, and accepted children).
  std::map<std::uint16_t, std::vector<std::weak_ptr<Socket>>> tcp_ports;
  std::map<std::uint16_t, std::vector<std::weak_ptr<Socket>>> udp_ports;
  /// Synchronized or connecting TCP sockets by (local wire endpoint, remote wire endpoint).
  std::map<FourTuple, std::weak_ptr<Socket>> tcp_connections;
  /// Pathname sockets. The entry outlives the socket, as the socket file stays in the file
  /// system after close() (unix(7)); a dead entry refuses connections and blocks bind.
  std::map<std::string, std::weak_ptr<Socket>> unix_paths;
  /// Abstract names by (socket type, name); the name disappears with the socket (unix(7)
  /// "Abstract sockets"). Linux hashes the type into the abstract name (unix_abstract_hash),
  /// so a stream and a datagram socket may hold the same name (measured H-series).
  std::map<std::pair<SockType, std::string>, std::weak_ptr<Socket>> unix_abstract;
};

}  // namespace socksim::stack
