// File: tools/personality/linux/trace/kept_lines.cc
#include "tools/personality/linux/trace/kept_lines.h"

#include <utility>

namespace socksim::tools {

void KeptLines::KeepLogLine(std::size_t k, std::int32_t pid) {
  Slot& slot = slots_[k];
  slot.own.reset();
  slot.log_line = true;
  slot.pid = pid;
}

void KeptLines::Put(std::size_t k, Line line) {
  Slot& slot = slots_[k];
  slot.log_line = false;
  slot.own = std::make_unique<Line>(std::move(line));
}

void KeptLines::Drop(std::size_t k) {
  Slot& slot = slots_[k];
  slot.log_line = false;
  slot.own.reset();
}

const Line& KeptLines::View(std::size_t k) const {
  const Slot& slot = slots_[k];
  return slot.own != nullptr ? *slot.own : log_[k];
}

std::int32_t KeptLines::Owner(std::size_t k) const {
  const Slot& slot = slots_[k];
  const Line& l = View(k);
  if (l.kind == Line::Kind::kCall) return slot.own != nullptr ? l.call.pid : slot.pid;
  if (l.kind == Line::Kind::kProcessEvent) return l.event().pid;
  return 0;
}

Line& KeptLines::Edit(std::size_t k) {
  Slot& slot = slots_[k];
  if (slot.own == nullptr) {
    slot.own = std::make_unique<Line>(log_[k]);
    slot.own->call.pid = slot.pid;
    slot.log_line = false;
  }
  return *slot.own;
}

Line KeptLines::Take(std::size_t k) {
  Slot& slot = slots_[k];
  Line taken;
  if (slot.own != nullptr) {
    taken = std::move(*slot.own);
  } else {
    taken = std::move(log_[k]);
    taken.call.pid = slot.pid;
  }
  Drop(k);
  return taken;
}

}  // namespace socksim::tools
