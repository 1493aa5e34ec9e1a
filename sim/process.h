// File: sim/process.h
// A simulated process: identity, credentials, the host it runs on, its threads, its descriptor
// table and its memory. Which OS personality it speaks is an opaque registry name here; the
// personality keeps its own per-process state (Winsock's startup count, descriptor limits) in
// an attached extension, and its per-thread state in each thread's extension.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/address_space.h"
#include "sim/credentials.h"
#include "sim/fd_table.h"
#include "sim/ids.h"
#include "sim/thread.h"

namespace socksim::sim {

/// Per-process state owned by a personality; copied on fork.
class ProcessExtension {
 public:
  virtual ~ProcessExtension() = default;
  /// The child's copy at fork.
  virtual std::unique_ptr<ProcessExtension> CloneForFork() const = 0;
};

/// What a new process is made of.
struct ProcessSpec {
  std::optional<Pid> pid;  // chosen by the world when absent
  NodeId node;
  Credentials credentials;
  std::string personality;  // a registry name ("linux"); empty for a bare process in tests
  std::string name;         // for messages and traces ("server", "client")
};

/// A simulated process.
class Process {
 public:
  Process(Pid pid, Pid parent, NodeId node, CredentialsRef creds, std::string personality,
          std::string name);
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  Pid pid() const { return pid_; }
  Pid parent() const { return parent_; }
  NodeId node() const { return node_; }
  const std::string& personality() const { return personality_; }
  const std::string& name() const { return name_; }
  bool alive() const { return alive_; }
  std::optional<int> exit_status() const { return exit_status_; }

  /// The credentials now in force.
  const Credentials& credentials() const { return *credentials_; }
  /// The same, shared: what a socket records at a defined moment.
  const CredentialsRef& shared_credentials() const { return credentials_; }
  /// Replaces the credentials (snapshots taken earlier keep the old value).
  void set_credentials(Credentials creds) { credentials_ = Share(std::move(creds)); }
  /// A snapshot of this process as the actor of a call.
  CredentialSnapshot Snapshot() const { return CredentialSnapshot{pid_, credentials_}; }

  FdTable& fds() { return *fds_; }
  const FdTable& fds() const { return *fds_; }
  AddressSpace& memory() { return memory_; }
  const AddressSpace& memory() const { return memory_; }

  ProcessExtension* extension() const { return extension_.get(); }
  void set_extension(std::unique_ptr<ProcessExtension> ext) { extension_ = std::move(ext); }

  /// The thread created with the process (tid == pid).
  Thread& main_thread() { return *threads_.at(pid_); }
  /// The thread `tid` of this process, or nullptr.
  Thread* FindThread(Tid tid);
  /// Thread ids in ascending order.
  std::vector<Tid> Tids() const;
  /// Adds a thread (the world checks that `tid` is free in its number space).
  Thread& AddThread(Tid tid);
  /// Removes a thread other than the main one; false if there is no such thread.
  bool RemoveThread(Tid tid);

  /// A child sharing this process's open file descriptions through a copied table, with a copy
  /// of its memory, credentials and personality state, and one thread (fork(2)).
  std::unique_ptr<Process> Fork(Pid child_pid) const;
  /// Closes every descriptor and marks the process dead (exit); the record stays so that
  /// references to the pid (peer credentials) still resolve after the process is gone.
  void Exit(int status);

 private:
  Pid pid_;
  Pid parent_;
  NodeId node_;
  CredentialsRef credentials_;
  std::string personality_;
  std::string name_;
  std::shared_ptr<FdTable> fds_;
  AddressSpace memory_;
  std::unique_ptr<ProcessExtension> extension_;
  std::map<Tid, std::unique_ptr<Thread>> threads_;
  bool alive_ = true;
  std::optional<int> exit_status_;
};

}  // namespace socksim::sim
