// File: stack/core/transport.cc
// Packets over the topology: routing, link loss, the net.drop fault point, latency as a world
// event, and delivery to the protocol. A packet keeps its sender's credential record only
// when it does not leave the sending host: credentials never cross a wire.
#include <fmt/format.h>

#include <cstring>

#include "sim/log.h"
#include "stack/core/demux.h"
#include "stack/core/stack.h"

namespace socksim::stack {

std::string Packet::Describe() const {
  switch (protocol) {
    case Protocol::kTcp: {
      std::string flags;
      if (syn) flags += 'S';
      if (fin) flags += 'F';
      if (rst) flags += 'R';
      if (!payload.empty()) flags += 'P';
      if (ack) flags += '.';
      return fmt::format("tcp {} > {} [{}] seq {} ack {} len {}", src.ToString(), dst.ToString(),
                         flags, seq, ack_number, payload.size());
    }
    case Protocol::kUdp:
      return fmt::format("udp {} > {} len {}", src.ToString(), dst.ToString(), payload.size());
    case Protocol::kIcmpPortUnreachable:
      return fmt::format("icmp port-unreachable {} > {} about {}", src.ToString(),
                         dst.ToString(), payload);
  }
  return "?";
}

std::size_t FourTupleHash::operator()(const FourTuple& t) const noexcept {
  // Whole 64-bit words folded with the MurmurHash3 finalizer (fmix64): fixed constants, so the
  // value is the same on every run, in six multiplies where hashing byte by byte (FNV-1a) took
  // 46 dependent ones on every segment's lookup.
  auto fmix = [](std::uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ull;
    k ^= k >> 33;
    return k;
  };
  std::uint64_t h = 0;
  auto add = [&](std::uint64_t word) { h = fmix(h ^ word) + 0x9e3779b97f4a7c15ull; };
  for (const sim::Endpoint* ep : {&t.local, &t.remote}) {
    std::uint64_t words[2];
    std::memcpy(words, ep->address.bytes().data(), sizeof words);
    add(words[0]);
    add(words[1]);
    add(static_cast<std::uint64_t>(ep->address.version()) | (std::uint64_t{ep->port} << 8) |
        (std::uint64_t{ep->scope_id} << 32));
  }
  return static_cast<std::size_t>(h);
}

void Stack::Transmit(sim::NodeId from, Packet packet) {
  const auto route = world_.topology().RouteTo(from, packet.dst.address, packet.dst.scope_id);
  if (!route.route) {
    ++packets_dropped_;
    if (sim::DebugEnabled()) sim::Log().debug("drop (no route): {}", packet.Describe());
    return;
  }
  if (world_.faults().ShouldFail("net.drop")) {
    ++packets_dropped_;
    if (sim::DebugEnabled()) sim::Log().debug("drop (fault net.drop): {}", packet.Describe());
    return;
  }
  // Each link on the path drops the packet with its configured loss probability, drawn from
  // the world's Rng (a link without loss draws nothing).
  for (const sim::LinkId link : route.route->links) {
    if (world_.rng().Chance(world_.topology().link(link).faults.loss)) {
      ++packets_dropped_;
      if (sim::DebugEnabled()) {
        sim::Log().debug("drop (link {} loss): {}", link.value, packet.Describe());
      }
      return;
    }
  }
  const sim::NodeId to = route.route->destination;
  // Credentials are known to the receiver only when the packet stays on its host.
  if (to != from) packet.sender.reset();
  auto delivery = std::make_shared<Packet>(std::move(packet));
  // The label sees the packet through a plain pointer: the queue keeps an event's label no
  // longer than its action, which owns the packet, and an 8-byte capture fits inside the
  // std::function, where a shared_ptr copy cost an allocation for every packet.
  const Packet* described = delivery.get();
  world_.queue().ScheduleAfter(
      route.route->latency, sim::EventLabel::Lazy([described] { return described->Describe(); }),
      [this, to, delivery] { Deliver(to, *delivery); });
}

void Stack::Deliver(sim::NodeId node, const Packet& packet) {
  ++packets_delivered_;
  switch (packet.protocol) {
    case Packet::Protocol::kTcp:
      TcpReceive(node, packet);
      return;
    case Packet::Protocol::kUdp:
      UdpReceive(node, packet);
      return;
    case Packet::Protocol::kIcmpPortUnreachable:
      IcmpReceive(node, packet);
      return;
  }
}

}  // namespace socksim::stack
