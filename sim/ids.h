// File: sim/ids.h
// Strong identifiers for the objects of the simulated world, so that a host id can never be
// passed where a pid is expected. Values are small integers handed out in creation order,
// which keeps every listing that is ordered by id deterministic.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace socksim::sim {

/// A typed integer identifier; Tag only distinguishes the kinds.
template <typename Tag, typename Rep = std::uint32_t>
struct StrongId {
  Rep value{};

  constexpr StrongId() = default;
  constexpr explicit StrongId(Rep v) : value(v) {}
  friend constexpr auto operator<=>(const StrongId&, const StrongId&) = default;
};

/// Identifies a host or router node in the topology.
using NodeId = StrongId<struct NodeTag>;
/// Identifies a link between two nodes.
using LinkId = StrongId<struct LinkTag>;
/// Identifies an interface (one end of a link, or a loopback) on a node.
using InterfaceId = StrongId<struct InterfaceTag>;
/// Identifies a scheduled event in the event queue.
using EventId = StrongId<struct EventTag, std::uint64_t>;

/// A process id as the world numbers it: positive and below 2^31 (Linux's pid_t is an int and
/// pid_max is at most 2^22; Windows process ids are DWORDs that stay far below 2^31 in practice,
/// being handle-table indexes). Values outside that range are refused where they are read.
using Pid = std::int32_t;
/// A thread id. Threads and processes share one number space, as Linux gives a thread a number
/// from the pid space (the main thread's tid is its process's pid).
using Tid = std::int32_t;

}  // namespace socksim::sim

template <typename Tag, typename Rep>
struct std::hash<socksim::sim::StrongId<Tag, Rep>> {
  std::size_t operator()(const socksim::sim::StrongId<Tag, Rep>& id) const noexcept {
    return std::hash<Rep>{}(id.value);
  }
};
