// File: tools/personality/linux/host/host_call_table.h
// `socksim run --host`: a call table that executes a Linux scenario's calls on the kernel of
// the machine running socksim, in real processes inside a private network namespace, so the
// same expectations can be checked against real Linux. It is the simulator's LinuxCallTable
// over HostLinuxBackend (tools/personality/linux/host/host_linux_backend.h), plus the scenario's process events
// and the lines that cannot be compared on one kernel (see host_call_table.cc).
#pragma once

#include <memory>
#include <string>

#include "sim/world.h"
#include "tools/scenario/ast.h"
#include "tools/scenario/call_table.h"
#include "tools/scenario/registry.h"

namespace socksim::tools {

/// A call table for `scenario` backed by the host kernel; nullptr with `error` set when the
/// host cannot run it (not Linux, no way to isolate the network, an unsupported directive).
/// `world` is the scenario's simulated world: processes forked on the host are registered in
/// it too, so that the runner knows them.
std::unique_ptr<CallTable> MakeHostCallTable(const Scenario& scenario, sim::World& world,
                                             std::string* error);

/// The same, as the host executor the CLI offers the runner for Linux scenarios (`--host`).
const HostExecutor& linux_host_executor();

}  // namespace socksim::tools
