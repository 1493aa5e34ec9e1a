// File: stack/personality/linux/epoll.cc
// The epoll instance: the interest list keyed by (file, descriptor) and the ready list with
// fs/eventpoll.c's ordering (ep_insert and ep_modify queue an item that is ready at once;
// ep_send_events puts a level-triggered item back at the tail and leaves unreached items at
// the head). Without wake-up callbacks, an item is found ready when the instance looks
// (Refresh); an edge-triggered item counts as having a new event when it shows an event it
// did not show at the previous look.
#include "stack/personality/linux/epoll.h"

#include <algorithm>

#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/errno_table.h"

namespace socksim::stack::linux_abi {
namespace {

constexpr std::uint32_t kEt = static_cast<std::uint32_t>(kEpollet);
constexpr std::uint32_t kOneshot = kEpolloneshot;
// EP_PRIVATE_BITS: what a fired one-shot item keeps (fs/eventpoll.c).
constexpr std::uint32_t kPrivateBits = kEpollwakeup | kOneshot | kEt | kEpollexclusive;

}  // namespace

std::uint32_t EpollInstance::Pending(const EpollItem& item) {
  const sim::OfdRef file = item.file.lock();
  if (!file) return 0;
  return FilePollMask(*file->object()) & item.events & ~kPrivateBits;
}

void EpollInstance::Prune() {
  // eventpoll_release: an item leaves with the last reference to its file.
  std::erase_if(items_, [](const EpollItem& item) { return item.file.expired(); });
  std::erase_if(ready_list_, [this](std::uint64_t id) {
    return std::none_of(items_.begin(), items_.end(),
                        [id](const EpollItem& item) { return item.id == id; });
  });
}

EpollItem* EpollInstance::Find(int fd, const sim::OfdRef& file) {
  for (EpollItem& item : items_) {
    if (item.fd == fd && item.file.lock() == file) return &item;
  }
  return nullptr;
}

int EpollInstance::Add(int fd, const sim::OfdRef& file, std::uint32_t events, std::uint64_t data) {
  Prune();
  if (Find(fd, file) != nullptr) return kEEXIST;
  EpollItem item;
  item.id = next_id_++;
  item.fd = fd;
  item.file = file;
  item.events = events | kEpollerr | kEpollhup;
  item.data = data;
  items_.push_back(item);
  (void)Refresh();  // ep_insert: a file that is ready already is queued now
  return 0;
}

int EpollInstance::Modify(int fd, const sim::OfdRef& file, std::uint32_t events,
                          std::uint64_t data) {
  Prune();
  EpollItem* item = Find(fd, file);
  if (item == nullptr) return kENOENT;
  // An exclusive item cannot be modified; the call still succeeds (do_epoll_ctl).
  if ((item->events & kEpollexclusive) != 0) return 0;
  item->events = events | kEpollerr | kEpollhup;
  item->data = data;
  item->seen = 0;  // ep_modify polls again: what is ready now is a new event
  (void)Refresh();
  return 0;
}

int EpollInstance::Remove(int fd, const sim::OfdRef& file) {
  Prune();
  EpollItem* item = Find(fd, file);
  if (item == nullptr) return kENOENT;
  const std::uint64_t id = item->id;
  std::erase(ready_list_, id);
  std::erase_if(items_, [id](const EpollItem& i) { return i.id == id; });
  return 0;
}

bool EpollInstance::Refresh() {
  Prune();
  for (EpollItem& item : items_) {
    const std::uint32_t now = Pending(item);
    const bool edge = (item.events & kEt) != 0;
    const bool news = edge ? (now & ~item.seen) != 0 : now != 0;
    item.seen = now;
    if (news && !item.ready) {
      item.ready = true;
      ready_list_.push_back(item.id);
    }
  }
  return std::any_of(ready_list_.begin(), ready_list_.end(), [this](std::uint64_t id) {
    const auto it = std::find_if(items_.begin(), items_.end(),
                                 [id](const EpollItem& item) { return item.id == id; });
    return it != items_.end() && Pending(*it) != 0;
  });
}

std::vector<EpollEvent> EpollInstance::Collect(std::size_t max_events) {
  std::vector<EpollEvent> out;
  std::vector<std::uint64_t> left;   // not reached: they stay at the head
  std::vector<std::uint64_t> again;  // level-triggered items delivered: back at the tail
  for (const std::uint64_t id : ready_list_) {
    const auto it = std::find_if(items_.begin(), items_.end(),
                                 [id](const EpollItem& item) { return item.id == id; });
    if (it == items_.end()) continue;
    if (out.size() >= max_events) {
      left.push_back(id);
      continue;
    }
    it->ready = false;
    const std::uint32_t events = Pending(*it);
    if (events == 0) continue;  // nothing to report any more: it leaves the list
    out.push_back({events, it->data});
    if ((it->events & kOneshot) != 0) {
      it->events &= kPrivateBits;
    } else if ((it->events & kEt) == 0) {
      it->ready = true;
      again.push_back(id);
    }
  }
  left.insert(left.end(), again.begin(), again.end());
  ready_list_ = std::move(left);
  return out;
}

bool EpollInstance::WouldLoop(const EpollInstance& into, int depth) const {
  constexpr int kMaxNests = 4;  // EP_MAX_NESTS
  if (this == &into || depth > kMaxNests) return true;
  for (const EpollItem& item : items_) {
    const sim::OfdRef file = item.file.lock();
    if (!file || file->object()->kind() != sim::FileKind::kEpoll) continue;
    if (static_cast<const EpollInstance&>(*file->object()).WouldLoop(into, depth + 1)) return true;
  }
  return false;
}

bool EpollInstance::HasEvents() const {
  return std::any_of(items_.begin(), items_.end(), [](const EpollItem& item) {
    const bool edge = (item.events & kEt) != 0;
    const std::uint32_t now = Pending(item);
    return item.ready ? now != 0 : (edge ? (now & ~item.seen) != 0 : now != 0);
  });
}

}  // namespace socksim::stack::linux_abi
