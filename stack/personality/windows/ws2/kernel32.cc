// File: stack/personality/windows/ws2/kernel32.cc
// The kernel32 handle functions the model needs so that WSAENOTSOCK is reachable for handles
// that are not sockets: CreateFileW (a plain kernel object), DuplicateHandle (a second handle
// to the same object, which ws2 never handed out: Wine test_WSAGetOverlappedResult), and
// CloseHandle. They share the process's handle table with the sockets of the IFS base
// provider (reference (c) "Handles") and report failures through the same per-thread last
// error (SetLastError). None needs WSAStartup.
#include "stack/personality/windows/provider/caller_memory.h"
#include "stack/personality/windows/winsock.h"
#include "stack/personality/windows/ws2/last_error.h"

namespace socksim::stack::windows_abi {

CallResult Winsock::CreateFileW(sim::Thread& t, std::string_view path) {
  Reap(t.process());
  auto file = std::make_shared<sim::PlainFile>(sim::FileKind::kRegularFile, std::string(path));
  auto handle = t.process().fds().Install(
      std::make_shared<sim::OpenFileDescription>(std::move(file), sim::StatusFlags{}), false);
  if (!handle) return Fail(t, kInvalidHandleValue, kERROR_NOT_ENOUGH_MEMORY);
  // A successful open of an existing file leaves the last error alone (the model has no
  // OPEN_ALWAYS / CREATE_ALWAYS dispositions that set ERROR_ALREADY_EXISTS).
  return CallResult::Success(static_cast<std::int64_t>(*handle));
}

CallResult Winsock::DuplicateHandle(sim::Thread& t, std::uint64_t source_process,
                                    std::uint64_t source, std::uint64_t target_process,
                                    UserAddress target, std::uint32_t access, std::int32_t inherit,
                                    std::uint32_t options) {
  (void)access;
  (void)inherit;
  Reap(t.process());
  sim::Process& p = t.process();
  // Only the calling process is modelled (GetCurrentProcess()'s pseudo handle); another
  // process handle is ERROR_INVALID_HANDLE, as is a source that is not open.
  if (source_process != kCurrentProcessHandle || target_process != kCurrentProcessHandle) {
    return Fail(t, kFalse, kERROR_INVALID_HANDLE);
  }
  const sim::FdEntry* entry = p.fds().Lookup(source);
  if (entry == nullptr) return Fail(t, kFalse, kERROR_INVALID_HANDLE);
  if (target != 0 && !Writable(p.memory(), target, 8)) return Fail(t, kFalse, kERROR_NOACCESS);
  const sim::OfdRef description = entry->description;
  auto copy = p.fds().Install(description, false);
  if (!copy) return Fail(t, kFalse, kERROR_NOT_ENOUGH_MEMORY);
  if (target != 0) {
    (void)WriteU64(p.memory(), target, *copy);
  } else {
    // DuplicateHandle docs: a NULL lpTargetHandle duplicates the handle and does not return it
    // (the copy is closed here rather than leaked).
    (void)p.fds().Close(*copy);
  }
  if ((options & static_cast<std::uint32_t>(kDuplicateCloseSource)) != 0) {
    (void)p.fds().Close(source);
  }
  stack_.Settle();
  return CallResult::Success(kTrue);
}

CallResult Winsock::CloseHandle(sim::Thread& t, std::uint64_t handle) {
  Reap(t.process());
  // CloseHandle docs: an invalid handle is ERROR_INVALID_HANDLE. Closing a socket's handle
  // this way leaves ws2's context behind: a later socket call reaches the provider, which no
  // longer finds the socket (WSAENOTSOCK).
  if (!t.process().fds().Close(handle)) return Fail(t, kFalse, kERROR_INVALID_HANDLE);
  stack_.Settle();
  return CallResult::Success(kTrue);
}

}  // namespace socksim::stack::windows_abi
