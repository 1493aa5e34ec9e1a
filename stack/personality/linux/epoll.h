// File: stack/personality/linux/epoll.h
// Linux's readiness objects: the poll mask each kind of file reports (the f_op->poll of
// sockets, regular files and the rest), and the epoll instance, a descriptor that is no socket
// (getpeername on it is ENOTSOCK) holding its interest list and its ready list as
// fs/eventpoll.c keeps them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "sim/fd_table.h"

namespace socksim::stack::linux_abi {

/// The events `object` reports now, as its f_op->poll computes them (POLL* bits; the EPOLL*
/// values are the same). Sockets: tcp_poll, datagram_poll (UDP), unix_poll, unix_dgram_poll;
/// pipe ends: pipe_poll; eventfds: eventfd_poll; files without a poll method:
/// DEFAULT_POLLMASK; an epoll instance: POLLIN while an item is ready (ep_eventpoll_poll).
std::uint32_t FilePollMask(const sim::FileObject& object);

/// An entry of an epoll interest list: a (file, descriptor) pair, as ep_find keys it.
struct EpollItem {
  std::uint64_t id = 0;  // insertion number: the ready list refers to items by it
  int fd = -1;
  std::weak_ptr<sim::OpenFileDescription> file;  // the item goes when the file does
  std::uint32_t events = 0;  // as registered, with EPOLLERR|EPOLLHUP added (epoll_ctl)
  std::uint64_t data = 0;    // epoll_data, returned as it was given
  bool ready = false;        // on the ready list
  /// The events seen at the last look, so that an edge-triggered item is reported again only
  /// when an event it did not show before appears (see EpollInstance::Collect).
  std::uint32_t seen = 0;
};

/// One event epoll_wait returns.
struct EpollEvent {
  std::uint32_t events = 0;
  std::uint64_t data = 0;
};

/// An epoll instance (fs/eventpoll.c struct eventpoll).
class EpollInstance final : public sim::FileObject {
 public:
  sim::FileKind kind() const override { return sim::FileKind::kEpoll; }

  /// EPOLL_CTL_ADD / MOD / DEL after the descriptor checks: 0 or the errno (EEXIST, ENOENT).
  int Add(int fd, const sim::OfdRef& file, std::uint32_t events, std::uint64_t data);
  int Modify(int fd, const sim::OfdRef& file, std::uint32_t events, std::uint64_t data);
  int Remove(int fd, const sim::OfdRef& file);

  /// Looks at every item (ep_poll_callback's part: ready items join the ready list in
  /// interest-list order) and returns true when something can be reported.
  bool Refresh();
  /// ep_send_events: up to `max_events` events from the ready list, in its order. A
  /// level-triggered item goes back to the tail; one-shot items are disarmed; an item with
  /// nothing to report leaves the list; items not reached stay at its head.
  std::vector<EpollEvent> Collect(std::size_t max_events);
  /// True when some item reports an event now (ep_eventpoll_poll), without changing anything.
  bool HasEvents() const;

  /// ep_loop_check for adding this instance to `into`: true when `into` can be reached from
  /// here (a cycle) or the nesting below would exceed EP_MAX_NESTS (4) levels. Instances that
  /// contain `into` are not followed upwards (no back references are kept).
  bool WouldLoop(const EpollInstance& into, int depth = 0) const;

  /// Interest-list size, for diagnostics.
  std::size_t size() const { return items_.size(); }

 private:
  EpollItem* Find(int fd, const sim::OfdRef& file);
  void Prune();
  static std::uint32_t Pending(const EpollItem& item);

  std::vector<EpollItem> items_;  // interest list, in insertion order
  std::vector<std::uint64_t> ready_list_;  // item ids, in ready-list order
  std::uint64_t next_id_ = 1;
};

}  // namespace socksim::stack::linux_abi
