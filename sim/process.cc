// File: sim/process.cc
// fork and exit for simulated processes.
#include "sim/process.h"

namespace socksim::sim {

Process::Process(Pid pid, Pid parent, NodeId node, Credentials creds, std::string personality,
                 std::string name)
    : pid_(pid),
      parent_(parent),
      node_(node),
      credentials_(std::move(creds)),
      personality_(std::move(personality)),
      name_(std::move(name)),
      fds_(std::make_shared<FdTable>()) {}

std::unique_ptr<Process> Process::Fork(Pid child_pid) const {
  auto child = std::make_unique<Process>(child_pid, pid_, node_, credentials_, personality_, name_);
  // fork(2): the child's table is a copy whose entries refer to the same open file descriptions.
  child->fds_ = std::make_shared<FdTable>(*fds_);
  child->memory_ = memory_;
  if (extension_) child->extension_ = extension_->CloneForFork();
  return child;
}

void Process::Exit(int status) {
  if (!alive_) return;
  alive_ = false;
  exit_status_ = status;
  fds_->CloseAll();
}

}  // namespace socksim::sim
