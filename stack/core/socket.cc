// File: stack/core/socket.cc
// Socket bookkeeping: release on last close and a diagnostic description.
#include "stack/core/socket.h"

#include <fmt/format.h>

#include "stack/core/stack.h"

namespace socksim::stack {

Socket::Socket(Stack& stack, std::uint64_t id, sim::NodeId node, Family family, SockType type,
               int protocol)
    : stack_(stack), id_(id), node_(node), family_(family), type_(type), protocol_(protocol) {}

Socket::~Socket() = default;

void Socket::OnLastClose() {
  if (!stack_gone) stack_.Release(*this);
}

std::size_t Socket::QueuedBytes() const {
  std::size_t n = 0;
  for (const auto& m : receive_queue) n += m.bytes.size();
  return n;
}

std::string Socket::Describe() const {
  const char* proto = family_ == Family::kUnix ? "unix"
                      : type_ == SockType::kStream ? "tcp"
                                                   : "udp";
  std::string text = fmt::format("{}#{} {}", proto, id_, ToString(type_));
  if (family_ == Family::kUnix) {
    text += " name=" + (unix_name ? unix_name->ToString() : std::string("unnamed"));
    if (unix_peer) {
      text += " peer=" +
              (unix_peer->unix_name ? unix_peer->unix_name->ToString() : std::string("unnamed"));
    }
    return text;
  }
  text += fmt::format(" {} -> {} {}", local.ToString(), remote.ToString(), ToString(state));
  if (pending_error) text += fmt::format(" so_error={}", ToString(*pending_error));
  return text;
}

}  // namespace socksim::stack
