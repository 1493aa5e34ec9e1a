// File: stack/core/demux.h
// The protocol tables of one simulated host: bind buckets (who holds each port, for conflict
// checks), listeners (for arriving connection requests), connections by four-tuple (for
// arriving segments), and the UNIX name space. Each table is indexed for the lookup the data
// path makes, so that opening the n-th connection costs O(log n), not O(n): listeners are kept
// apart from the connections they accepted, and the port and four-tuple tables are Abseil's
// flat hash tables, only looked up and never walked, so their order never shows. Holders of
// a port and the live sockets are B-trees: ordered, and cache-friendly at a hundred thousand
// entries where a red-black tree misses the cache at every level.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <absl/container/btree_map.h>
#include <absl/container/flat_hash_map.h>  // tidy: lookup-only (no table here is iterated)

#include "sim/ip_address.h"
#include "stack/core/stack.h"

namespace socksim::stack {

/// The sockets holding one port of one protocol.
struct BindBucket {
  /// Holders in the order they took the port (keyed by a per-host registration number, which
  /// only grows).
  absl::btree_map<std::uint64_t, std::weak_ptr<Socket>> owners;
  /// Holders that took the port by bind() or listen() rather than connect(): while there are
  /// none, connect() may hand the port to another socket with a distinct four-tuple.
  std::size_t bound_owners = 0;
};

/// (local wire endpoint, remote wire endpoint) of a TCP connection.
struct FourTuple {
  sim::Endpoint local;
  sim::Endpoint remote;
  friend bool operator==(const FourTuple&, const FourTuple&) = default;
  /// The fields equality compares that can differ between wire endpoints (flow_info is always
  /// 0 on the wire), for absl::Hash.
  template <typename H>
  friend H AbslHashValue(H h, const FourTuple& t) {
    for (const sim::Endpoint* ep : {&t.local, &t.remote}) {
      h = H::combine(std::move(h), ep->address.bytes(), ep->address.version(), ep->port,
                     ep->scope_id, ep->flow_info);
    }
    return h;
  }
};

/// One protocol's bind buckets by port: only looked up (the holders inside a bucket keep their
/// order), probed for every candidate port of an automatic choice.
struct Stack::PortTable : absl::flat_hash_map<std::uint16_t, BindBucket> {};  // tidy: lookup-only

/// The live sockets by id, in creation order.
struct Stack::SocketIndex {
  absl::btree_map<std::uint64_t, std::weak_ptr<Socket>> live;
};

/// The value under `key` in a map, or nullptr.
template <typename Map, typename Key>
auto* FindIn(Map& map, const Key& key) {
  const auto it = map.find(key);
  return it == map.end() ? nullptr : &it->second;
}

struct Stack::HostTables {
  PortTable tcp_ports;
  PortTable udp_ports;
  std::uint64_t next_registration = 1;
  /// LISTEN sockets by port, in the order they started listening.
  std::map<std::uint16_t, std::vector<std::weak_ptr<Socket>>> tcp_listeners;
  /// Synchronized or connecting TCP sockets (including TIME-WAIT) by four-tuple.
  absl::flat_hash_map<FourTuple, std::weak_ptr<Socket>> tcp_connections;  // tidy: lookup-only
  /// Pathname sockets. The entry outlives the socket, as the socket file stays in the file
  /// system after close() (unix(7)); a dead entry refuses connections and blocks bind.
  std::map<std::string, std::weak_ptr<Socket>> unix_paths;
  /// Abstract names by (type key, name); the name disappears with the socket. The type key is
  /// the socket type when the policy keeps abstract names per type, else 0.
  std::map<std::pair<int, std::string>, std::weak_ptr<Socket>> unix_abstract;
};

}  // namespace socksim::stack
