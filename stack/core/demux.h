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
#include <absl/container/flat_hash_set.h>  // tidy: lookup-only (no table here is iterated)
#include <absl/hash/hash.h>

#include "sim/ip_address.h"
#include "stack/core/socket.h"
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

/// The synchronized or connecting TCP sockets of one host, found by four-tuple. The table holds
/// the sockets themselves and derives each one's key from its own endpoints (the wire form of
/// `local` and `remote`), so that a slot is one pointer: at a million connections the table
/// has four million slots, and a slot holding a 56-byte key and a weak reference cost 290 bytes
/// per connection where a pointer costs 36. Two rules keep the derived keys true:
/// - a socket's endpoints never change while it is in the table: every way out of the
///   synchronized states (abort, disconnect, the end of TIME-WAIT or LAST-ACK) removes it
///   first, and only a CLOSED socket may connect or bind again;
/// - a socket leaves the table before it is destroyed (Stack::Forget), so no slot outlives
///   its socket.
struct Stack::ConnectionTable {
  /// Hash and equality over sockets and bare four-tuples alike (heterogeneous lookup).
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(const FourTuple& t) const { return absl::Hash<FourTuple>{}(t); }
    std::size_t operator()(const Socket* s) const { return (*this)(KeyOf(*s)); }
  };
  struct KeyEq {
    using is_transparent = void;
    static const FourTuple& Key(const FourTuple& t) { return t; }
    static FourTuple Key(const Socket* s) { return KeyOf(*s); }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return Key(a) == Key(b);
    }
  };
  static FourTuple KeyOf(const Socket& s) {
    return FourTuple{WireEndpoint(s.local), WireEndpoint(s.remote)};
  }
  absl::flat_hash_set<Socket*, KeyHash, KeyEq> sockets;  // tidy: lookup-only
};

/// One protocol's bind buckets by port: only looked up (the holders inside a bucket keep their
/// order), probed for every candidate port of an automatic choice.
struct Stack::PortTable : absl::flat_hash_map<std::uint16_t, BindBucket> {};  // tidy: lookup-only

/// The live sockets by id, in creation order. A socket leaves the index in its destructor
/// (Stack::Forget), so a plain pointer never outlives what it names, and a slot is 16 bytes
/// where a weak reference made it 24.
struct Stack::SocketIndex {
  absl::btree_map<std::uint64_t, Socket*> live;
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
  ConnectionTable tcp_connections;
  /// Pathname sockets. The entry outlives the socket, as the socket file stays in the file
  /// system after close() (unix(7)); a dead entry refuses connections and blocks bind.
  std::map<std::string, std::weak_ptr<Socket>> unix_paths;
  /// Abstract names by (type key, name); the name disappears with the socket. The type key is
  /// the socket type when the policy keeps abstract names per type, else 0.
  std::map<std::pair<int, std::string>, std::weak_ptr<Socket>> unix_abstract;
};

}  // namespace socksim::stack
