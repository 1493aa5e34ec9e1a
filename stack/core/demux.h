// File: stack/core/demux.h
// The protocol tables of one simulated host: bind buckets (who holds each port, for conflict
// checks), listeners (for arriving connection requests), connections by four-tuple (for
// arriving segments), and the UNIX name space. Each table is indexed for the lookup the data
// path makes, so that opening the n-th connection costs O(log n), not O(n): listeners are kept
// apart from the connections they accepted, and the port and four-tuple tables are hashed
// (LookupTable, which cannot be walked, so their order never shows).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim/ip_address.h"
#include "stack/core/append_map.h"
#include "stack/core/lookup_table.h"
#include "stack/core/stack.h"

namespace socksim::stack {

/// The sockets holding one port of one protocol.
struct BindBucket {
  /// Holders in the order they took the port (keyed by a per-host registration number, which
  /// only grows).
  AppendMap<std::weak_ptr<Socket>> owners;
  /// Holders that took the port by bind() or listen() rather than connect(): while there are
  /// none, connect() may hand the port to another socket with a distinct four-tuple.
  std::size_t bound_owners = 0;
};

/// (local wire endpoint, remote wire endpoint) of a TCP connection.
struct FourTuple {
  sim::Endpoint local;
  sim::Endpoint remote;
  friend bool operator==(const FourTuple&, const FourTuple&) = default;
};

/// Hash of a four-tuple (its address words, versions, ports and scopes, mixed): deterministic,
/// and never used for ordering.
struct FourTupleHash {
  std::size_t operator()(const FourTuple& t) const noexcept;
};

struct Stack::HostTables {
  PortTable tcp_ports;
  PortTable udp_ports;
  std::uint64_t next_registration = 1;
  /// LISTEN sockets by port, in the order they started listening.
  std::map<std::uint16_t, std::vector<std::weak_ptr<Socket>>> tcp_listeners;
  /// Synchronized or connecting TCP sockets (including TIME-WAIT) by four-tuple.
  using ConnectionTable = LookupTable<FourTuple, std::weak_ptr<Socket>, FourTupleHash>;
  ConnectionTable tcp_connections;
  /// Pathname sockets. The entry outlives the socket, as the socket file stays in the file
  /// system after close() (unix(7)); a dead entry refuses connections and blocks bind.
  std::map<std::string, std::weak_ptr<Socket>> unix_paths;
  /// Abstract names by (type key, name); the name disappears with the socket. The type key is
  /// the socket type when the policy keeps abstract names per type, else 0.
  std::map<std::pair<int, std::string>, std::weak_ptr<Socket>> unix_abstract;
};

}  // namespace socksim::stack
