// File: tools/scenario/end_of_run.cc
// The end-of-run check: every process exits, the protocols finish, nothing is left behind.
#include "tools/scenario/end_of_run.h"

#include <fmt/core.h>

#include "sim/limits.h"
#include "stack/core/stack.h"

namespace socksim::tools {

std::vector<std::string> ExitAllAndFindLeaks(ScenarioWorld& sw) {
  std::vector<std::string> problems;
  sim::World& world = sw.world();
  try {
    for (const sim::Pid pid : world.Pids()) {
      const sim::Process* p = world.FindProcess(pid);
      if (p != nullptr && p->alive()) world.Exit(pid, 0);
    }
    // The connections closed by the exits finish (FIN exchanges, TIME_WAIT, resets).
    (void)world.RunUntilIdle();
  } catch (const sim::LimitReached&) {
    return problems;  // the run was already at its limit: nothing more can be learnt
  }
  std::uint64_t in_tables = 0;
  for (const sim::Pid pid : world.Pids()) {
    const sim::Process& p = *world.FindProcess(pid);
    in_tables += p.fds().size();
    for (const sim::Handle fd : p.fds().OpenDescriptors()) {
      problems.push_back(fmt::format("process {} still has descriptor {} open after it exited", pid, fd));
    }
  }
  if (world.open_descriptors() != in_tables) {
    problems.push_back(fmt::format("{} descriptor(s) counted open, {} in the processes' tables",
                                   world.open_descriptors(), in_tables));
  }
  // A socket a process made is closed by the exit of the last process holding it; one the
  // stack made (an accepted connection) is closed with its listener's queue. One still held
  // and never closed is reachable from nothing a program could use: a leak.
  for (const stack::SocketRef& s : sw.stack().LiveSockets()) {
    if (s->user_closed) continue;
    problems.push_back(fmt::format("socket #{} ({}) is still held though no process closed it", s->id(),
                                   stack::ToString(s->state)));
  }
  return problems;
}

}  // namespace socksim::tools
