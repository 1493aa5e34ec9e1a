// File: stack/core/socket.cc
// Socket bookkeeping: release on last close, leaving the stack's index on destruction,
// credential records, and a diagnostic description.
#include "stack/core/socket.h"

#include <fmt/format.h>

#include "stack/core/stack.h"

namespace socksim::stack {

namespace {

// What a socket has recorded before its first moment: nothing. One record for every socket
// (records are immutable), rather than one allocated and dropped per socket.
const CredentialRecordRef& NoCredentials() {
  static const CredentialRecordRef kNone = std::make_shared<const CredentialRecord>();
  return kNone;
}

}  // namespace

Socket::Socket(Stack& stack, std::uint64_t id, sim::NodeId node, Family family, SockType type,
               int protocol, const Policy& policy)
    : stack_(stack),
      id_(id),
      policy_(&policy),
      credentials_(NoCredentials()),
      node_(node),
      protocol_(protocol),
      family_(family),
      type_(type) {}

Socket::~Socket() {
  if (!stack_gone) stack_.Forget(*this);
}

void Socket::OnLastClose() {
  if (!stack_gone) stack_.Release(*this);
}

void Socket::RecordCredentials(CredentialMoment moment, const sim::CredentialSnapshot& who) {
  CredentialRecord next = *credentials_;
  switch (moment) {
    case CredentialMoment::kSocket:
      next.at_socket = who;
      break;
    case CredentialMoment::kBind:
      next.at_bind = who;
      break;
    case CredentialMoment::kListen:
      next.at_listen = who;
      break;
    case CredentialMoment::kConnect:
      next.at_connect = who;
      break;
    case CredentialMoment::kAccept:
      next.at_accept = who;
      break;
  }
  credentials_ = stack_.ShareCredentials(std::move(next));
}

std::size_t Socket::QueuedBytes() const {
  std::size_t n = 0;
  receive_queue.ForEach([&n](const QueuedMessage& m) { n += m.bytes.size(); });
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
