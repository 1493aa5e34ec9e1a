// File: tools/personality/linux/trace/kept_lines.h
// The lines an import keeps, one slot per line of the log, and where each is held. Most kept
// lines are the log's own call line with only its pid resolved (the thread that made it): such
// a slot holds the pid alone, and the line stays in the parsed log until the import moves it
// into the scenario (Take), so that a long log is not held twice over. A line the walk changes
// (a hint added, bytes adopted, a call renamed) gets a copy of its own the first time it is
// changed (Edit), as does a line kept at a place that is not its own (Put).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "tools/scenario/ast.h"

namespace socksim::tools {

class KeptLines {
 public:
  /// One empty slot per line of `log`, which must outlive this and keep its lines in place
  /// until they are taken.
  explicit KeptLines(std::vector<Line>& log) : log_(log), slots_(log.size()) {}

  std::size_t size() const { return slots_.size(); }
  /// Whether a line is kept at place k.
  bool has(std::size_t k) const { return slots_[k].own != nullptr || slots_[k].log_line; }

  /// Keeps the log's line k as it stands, as a call of thread `pid`.
  void KeepLogLine(std::size_t k, std::int32_t pid);
  /// Keeps `line` at place k, replacing whatever was kept there.
  void Put(std::size_t k, Line line);
  /// Keeps nothing at place k.
  void Drop(std::size_t k);

  /// The line kept at k (has(k) must hold), to read. For the log's own line its call's pid is
  /// the log's: Owner(k) is the pid the kept line has.
  const Line& View(std::size_t k) const;
  /// Whose line the kept line at k is: its call's pid, its process event's, or 0.
  std::int32_t Owner(std::size_t k) const;
  /// The line kept at k (has(k) must hold), to change: a copy of the log's line, made now
  /// if it had none.
  Line& Edit(std::size_t k);
  /// Moves the kept line at k out (has(k) must hold); the slot is then empty. Taking the
  /// log's own line leaves it moved-from in the log.
  Line Take(std::size_t k);

 private:
  struct Slot {
    std::unique_ptr<Line> own;  // a line of its own, or null
    std::int32_t pid = 0;       // log_line: the pid its call gets
    bool log_line = false;      // the log's line k, unchanged but for the pid
  };
  std::vector<Line>& log_;
  std::vector<Slot> slots_;
};

}  // namespace socksim::tools
