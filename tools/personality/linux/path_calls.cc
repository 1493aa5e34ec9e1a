// File: tools/personality/linux/path_calls.cc
// Binding of the path calls: a path written as a string is placed in fresh memory with its
// terminating NUL (a literal pointer such as NULL is passed as it is, so that it faults as it
// would); directory descriptors and flags are ints with Linux's names (AT_FDCWD,
// AT_REMOVEDIR, RENAME_NOREPLACE, RENAME_EXCHANGE, RENAME_WHITEOUT).
#include "tools/personality/linux/path_calls.h"

#include "stack/personality/linux/abi_constants.h"

namespace socksim::tools {
namespace {

namespace la = stack::linux_abi;

// A path argument: the string's bytes and a NUL in fresh memory, or the literal address.
std::int64_t PathArg(CallBinder& b, std::size_t i) {
  const Value& v = b.Arg(i);
  if (v.kind != Value::Kind::kString) return b.Int(i);
  std::vector<std::uint8_t> bytes(v.text.begin(), v.text.end());
  bytes.push_back(0);
  return static_cast<std::int64_t>(b.Bytes(v, bytes));
}

void Unlink(CallBinder& b, const PathSyscall& sys) {
  b.Need(1);
  const std::int64_t path = PathArg(b, 0);
  b.Seal();
  sys(LinuxSyscall::kUnlinkat, {la::kAtFdcwd, path, 0});
}

void Unlinkat(CallBinder& b, const PathSyscall& sys) {
  b.Need(3);
  const std::int64_t dirfd = b.Word(0);
  const std::int64_t path = PathArg(b, 1);
  const std::int64_t flags = b.Word(2);
  b.Seal();
  sys(LinuxSyscall::kUnlinkat, {dirfd, path, flags});
}

void Rename(CallBinder& b, const PathSyscall& sys) {
  b.Need(2);
  const std::int64_t from = PathArg(b, 0);
  const std::int64_t to = PathArg(b, 1);
  b.Seal();
  sys(LinuxSyscall::kRenameat2, {la::kAtFdcwd, from, la::kAtFdcwd, to, 0});
}

void Renameat(CallBinder& b, const PathSyscall& sys) {
  b.Need(4);
  const std::int64_t olddirfd = b.Word(0);
  const std::int64_t from = PathArg(b, 1);
  const std::int64_t newdirfd = b.Word(2);
  const std::int64_t to = PathArg(b, 3);
  b.Seal();
  sys(LinuxSyscall::kRenameat2, {olddirfd, from, newdirfd, to, 0});
}

void Renameat2(CallBinder& b, const PathSyscall& sys) {
  b.Need(5);
  const std::int64_t olddirfd = b.Word(0);
  const std::int64_t from = PathArg(b, 1);
  const std::int64_t newdirfd = b.Word(2);
  const std::int64_t to = PathArg(b, 3);
  const std::int64_t flags = b.Word(4);
  b.Seal();
  sys(LinuxSyscall::kRenameat2, {olddirfd, from, newdirfd, to, flags});
}

}  // namespace

std::vector<std::pair<std::string, PathCallHandler>> PathCalls() {
  return {{"unlink", &Unlink},
          {"unlinkat", &Unlinkat},
          {"rename", &Rename},
          {"renameat", &Renameat},
          {"renameat2", &Renameat2}};
}

}  // namespace socksim::tools
