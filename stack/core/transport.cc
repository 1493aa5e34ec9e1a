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
      if (psh) flags += 'P';
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
