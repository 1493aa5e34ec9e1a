// File: sim/process.h
// A simulated process: identity, credentials, the host it runs on, its descriptor table and its
// memory. Which OS personality it speaks is an opaque name here; the personality keeps its own
// per-process state (Winsock's startup count, errno, last error) in an attached extension.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "sim/address_space.h"
#include "sim/credentials.h"
#include "sim/fd_table.h"
#include "sim/ids.h"

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
  std::string personality = "linux";
  std::string name;  // for messages and traces ("server", "client")
};

/// A simulated process.
class Process {
 public:
  Process(Pid pid, Pid parent, NodeId node, Credentials creds, std::string personality,
          std::string name);

  Pid pid() const { return pid_; }
  Pid parent() const { return parent_; }
  NodeId node() const { return node_; }
  const std::string& personality() const { return personality_; }
  const std::string& name() const { return name_; }
  bool alive() const { return alive_; }
  std::optional<int> exit_status() const { return exit_status_; }

  Credentials& credentials() { return credentials_; }
  const Credentials& credentials() const { return credentials_; }
  FdTable& fds() { return *fds_; }
  const FdTable& fds() const { return *fds_; }
  AddressSpace& memory() { return memory_; }
  const AddressSpace& memory() const { return memory_; }

  ProcessExtension* extension() const { return extension_.get(); }
  void set_extension(std::unique_ptr<ProcessExtension> ext) { extension_ = std::move(ext); }

  /// A child sharing this process's open file descriptions through a copied table, with a copy
  /// of its memory, credentials and personality state (fork(2)).
  std::unique_ptr<Process> Fork(Pid child_pid) const;
  /// Closes every descriptor and marks the process dead (exit(2)); the record stays so that
  /// references to the pid (SO_PEERCRED) still resolve, as pidfs does on Linux.
  void Exit(int status);

 private:
  Pid pid_;
  Pid parent_;
  NodeId node_;
  Credentials credentials_;
  std::string personality_;
  std::string name_;
  std::shared_ptr<FdTable> fds_;
  AddressSpace memory_;
  std::unique_ptr<ProcessExtension> extension_;
  bool alive_ = true;
  std::optional<int> exit_status_;
};

}  // namespace socksim::sim
