// File: sim/process.cc
// fork, exit and the thread list of simulated processes.
#include "sim/process.h"

#include <stdexcept>

namespace socksim::sim {

bool Thread::is_main() const { return tid_ == process_.pid(); }

Process::Process(Pid pid, Pid parent, NodeId node, CredentialsRef creds, std::string personality,
                 std::string name)
    : pid_(pid),
      parent_(parent),
      node_(node),
      credentials_(creds ? std::move(creds) : Share(Credentials{})),
      personality_(std::move(personality)),
      name_(std::move(name)),
      fds_(std::make_shared<FdTable>()) {
  threads_.emplace(pid_, std::make_unique<Thread>(pid_, *this));
}

Thread* Process::FindThread(Tid tid) {
  const auto it = threads_.find(tid);
  return it == threads_.end() ? nullptr : it->second.get();
}

std::vector<Tid> Process::Tids() const {
  std::vector<Tid> out;
  for (const auto& [tid, thread] : threads_) out.push_back(tid);
  return out;
}

Thread& Process::AddThread(Tid tid) {
  if (threads_.count(tid) != 0) throw std::invalid_argument("AddThread: tid already in use");
  auto& slot = threads_[tid];
  slot = std::make_unique<Thread>(tid, *this);
  return *slot;
}

bool Process::RemoveThread(Tid tid) {
  if (tid == pid_) return false;
  return threads_.erase(tid) == 1;
}

std::unique_ptr<Process> Process::Fork(Pid child_pid) const {
  auto child =
      std::make_unique<Process>(child_pid, pid_, node_, credentials_, personality_, name_);
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
