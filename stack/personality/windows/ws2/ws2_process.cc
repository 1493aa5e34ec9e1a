// File: stack/personality/windows/ws2/ws2_process.cc
// Access to ws2_32's per-process state.
#include "stack/personality/windows/ws2/ws2_process.h"

#include <stdexcept>

namespace socksim::stack::windows_abi {

Ws2Process& ProcessState(sim::Process& process) {
  if (process.extension() == nullptr) process.set_extension(std::make_unique<Ws2Process>());
  auto* state = dynamic_cast<Ws2Process*>(process.extension());
  if (state == nullptr) throw std::logic_error("process is not a Windows process");
  return *state;
}

const Ws2Process* FindProcessState(const sim::Process& process) {
  return dynamic_cast<const Ws2Process*>(process.extension());
}

}  // namespace socksim::stack::windows_abi
