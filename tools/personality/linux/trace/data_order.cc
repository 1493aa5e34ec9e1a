// File: tools/personality/linux/trace/data_order.cc
// The order what readers did not see puts on writers (data_order.h).
#include "tools/personality/linux/trace/data_order.h"

#include <algorithm>

namespace socksim::tools {

void DataOrder::Written(const std::string& channel, std::size_t units, std::size_t line, std::int32_t owner,
                        const std::string& source) {
  if (units == 0) return;
  Channel& c = channels_[channel];
  std::size_t& total = c.written[owner];
  total += units;
  c.writes[owner].push_back(Write{total, line, owner, source});
  c.all_writes.push_back(Write{total, line, owner, source});
}

void DataOrder::Read(const std::string& channel, std::size_t units, std::int32_t owner, const std::string& source) {
  Channel& c = channels_[channel];
  c.consumed += units;
  // One entry per datagram, as far as a log can hold them (recvmmsg's count is the log's):
  // past that the channel is not matched by source.
  constexpr std::size_t kMaxSources = 1 << 20;
  if (units <= kMaxSources - std::min(c.sources.size(), kMaxSources)) {
    c.sources.insert(c.sources.end(), units, source);
  } else {
    c.sources_lost = true;
  }
  c.readers.insert(owner);
}

void DataOrder::Dropped(const std::string& channel, std::size_t line, std::int32_t holder, std::int32_t owner,
                        bool at_exit) {
  channels_[channel].last_drop[holder] = Drop{line, owner, at_exit};
}

void DataOrder::Forked(std::int32_t parent, std::int32_t child, std::size_t line) {
  forked_by_.emplace(child, std::make_pair(parent, line));
}

bool DataOrder::BeforeProcess(std::int32_t holder, std::size_t line, std::int32_t reader) const {
  // Up the reader's ancestry, at most as far as there are forks (a cycle would be the log's
  // contradiction, not a loop here).
  std::int32_t p = reader;
  for (std::size_t hops = 0; hops <= forked_by_.size(); ++hops) {
    const auto it = forked_by_.find(p);
    if (it == forked_by_.end()) return false;
    const auto [parent, fork_line] = it->second;
    if (parent == holder) return line < fork_line;
    p = parent;
  }
  return false;
}

void DataOrder::ShutDown(const std::string& channel, std::size_t line, std::int32_t owner) {
  channels_[channel].shutdowns.push_back(Drop{line, owner});
}

void DataOrder::Unseen(const std::string& channel, std::size_t line, std::int32_t owner, std::int32_t holder,
                       bool holds) {
  Channel& c = channels_[channel];
  const auto own = c.written.find(owner);
  c.looks.push_back(Look{c.consumed, own == c.written.end() ? 0 : own->second, line, owner, holder, holds});
  c.readers.insert(owner);
}

std::vector<std::pair<std::size_t, std::size_t>> DataOrder::Edges() const {
  std::set<std::pair<std::size_t, std::size_t>> edges;
  for (const auto& [name, c] : channels_) {
    // A look that found nothing found no end of file either, whichever reader it was: a
    // shutdown came later, and so did the last close, which is one process's when the reader
    // let go already and only one other held the stream.
    for (const Look& look : c.looks) {
      for (const Drop& d : c.shutdowns) {
        if (d.owner != look.owner) edges.emplace(d.line, look.line);
      }
      if (look.holds) continue;
      const Drop* other = nullptr;
      std::size_t others = 0;
      for (const auto& [holder, drop] : c.last_drop) {
        if (holder == look.holder || BeforeProcess(holder, drop.line, look.holder)) continue;
        ++others;
        other = &drop;
      }
      if (others == 1 && other->owner != look.owner && !other->at_exit) edges.emplace(other->line, look.line);
    }
    // The reader's count is a running total in one file's order only if one owner reads:
    // readers that share a descriptor (a forked server's children) take turns the log does
    // not show, so their looks say nothing more.
    if (c.readers.size() > 1) continue;
    if (MatchBySource(c, &edges)) continue;
    for (const Look& look : c.looks) {
      if (look.consumed < look.own_written) continue;  // the model lost count: say nothing
      const std::size_t others_wrote = look.consumed - look.own_written;
      std::size_t others = 0;
      for (const auto& [writer, list] : c.writes) others += writer != look.owner ? 1 : 0;
      for (const auto& [writer, list] : c.writes) {
        if (writer == look.owner) continue;
        if (others > 1 && others_wrote != 0) break;  // shared out among them as the log does not say
        // The write that holds the writer's unit number `others_wrote` (0-based): the first
        // whose end is past it. Had it run before the look, that unit would have been there.
        const auto w = std::upper_bound(list.begin(), list.end(), others_wrote,
                                        [](std::size_t n, const Write& x) { return n < x.end; });
        if (w != list.end()) edges.emplace(w->line, look.line);
      }
    }
  }
  return {edges.begin(), edges.end()};
}

bool DataOrder::MatchBySource(const Channel& c, std::set<std::pair<std::size_t, std::size_t>>* edges) {
  if (c.sources_lost || c.sources.size() != c.consumed || c.written.size() < 2) return false;
  std::map<std::string, std::vector<const Write*>> by_source;  // each sender's, in its order
  for (const Write& w : c.all_writes) {
    if (w.source.empty()) return false;
    by_source[w.source].push_back(&w);
  }
  std::vector<const Write*> arrived;  // the datagram of each receipt, in arrival order
  std::map<std::string, std::size_t> taken;
  for (const std::string& src : c.sources) {
    if (src.empty()) return false;
    auto& list = by_source[src];
    std::size_t& k = taken[src];
    if (k >= list.size()) return false;
    arrived.push_back(list[k++]);
  }
  for (std::size_t k = 0; k + 1 < arrived.size(); ++k) {
    if (arrived[k]->owner != arrived[k + 1]->owner) edges->emplace(arrived[k + 1]->line, arrived[k]->line);
  }
  for (const Look& look : c.looks) {
    if (look.consumed < arrived.size() && arrived[look.consumed]->owner != look.owner) {
      edges->emplace(arrived[look.consumed]->line, look.line);
    }
  }
  return true;
}

}  // namespace socksim::tools
