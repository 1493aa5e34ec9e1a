// File: stack/personality/windows/ws2/last_error.cc
// Access to the per-thread Winsock state.
#include "stack/personality/windows/ws2/last_error.h"

#include <memory>
#include <stdexcept>

namespace socksim::stack::windows_abi {

Ws2Thread& ThreadState(sim::Thread& thread) {
  if (thread.extension() == nullptr) thread.set_extension(std::make_unique<Ws2Thread>());
  auto* state = dynamic_cast<Ws2Thread*>(thread.extension());
  if (state == nullptr) throw std::logic_error("thread is not a Windows thread");
  return *state;
}

const Ws2Thread* FindThreadState(const sim::Thread& thread) {
  return dynamic_cast<const Ws2Thread*>(thread.extension());
}

}  // namespace socksim::stack::windows_abi
