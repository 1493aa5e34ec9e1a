// File: tools/host/host_wire.h
// The byte protocol between socksim and the processes that run a scenario's calls on the host
// kernel: length-prefixed frames on a stream socket (a descriptor may ride along with a frame,
// as SCM_RIGHTS), and the requests and replies carried in them. Every decoder validates its
// input: a malformed frame is reported, never trusted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace socksim::tools::host {

/// The descriptor number where every agent keeps its request channel, far above the numbers a
/// scenario uses, so that the agent's descriptors never take a number the scenario expects.
inline constexpr int kChannelFd = 1000;
/// The largest frame either side accepts.
inline constexpr std::uint32_t kMaxFrame = 16u << 20;
/// The largest buffer one request may ask for, and how many buffers it may have.
inline constexpr std::uint32_t kMaxBuffer = 4u << 20;
inline constexpr std::uint32_t kMaxBuffers = 16;

/// What an agent is asked to do.
enum class Op : std::uint8_t {
  kSyscall = 1,  // one system call with arguments and buffers
  kFork = 2,     // fork; the child serves the channel that came with the request
  kExit = 3,     // _exit(status)
};

/// Where a buffer lives in the agent's memory.
enum class Placement : std::uint8_t {
  kNormal = 0,    // fresh read-write memory
  kReadOnly = 1,  // written, then made read-only (ro:)
  kAtEnd = 2,     // ends where an inaccessible page begins (end:)
};

/// Pseudo system call numbers the agent runs through libc (no portable number for them).
inline constexpr std::int64_t kPseudoDup2 = -2;

struct WireBuffer {
  std::uint32_t size = 0;
  Placement placement = Placement::kNormal;
  std::vector<std::uint8_t> init;  // at most `size` bytes; the rest is zero
};

/// A syscall argument: an integer, or the address of buffer `value`.
struct WireArg {
  bool is_buffer = false;
  std::uint64_t value = 0;
};

struct Request {
  Op op = Op::kSyscall;
  std::int64_t nr = 0;           // kSyscall
  std::vector<WireArg> args;     // kSyscall, at most 6
  std::vector<WireBuffer> bufs;  // kSyscall
  std::int32_t status = 0;       // kExit
};

struct Reply {
  std::string agent_error;  // the agent could not run the request (not a syscall error)
  std::int64_t ret = 0;
  std::int32_t err = 0;     // errno when ret == -1
  std::vector<std::vector<std::uint8_t>> bufs;  // buffer contents after the call
};

std::vector<std::uint8_t> EncodeRequest(const Request& r);
std::optional<Request> DecodeRequest(const std::vector<std::uint8_t>& bytes, std::string* error);
std::vector<std::uint8_t> EncodeReply(const Reply& r);
std::optional<Reply> DecodeReply(const std::vector<std::uint8_t>& bytes, std::string* error);

/// Result of reading a frame.
enum class ReadStatus { kOk, kTimeout, kClosed, kError };

/// Milliseconds on a monotonic clock, for deadlines.
std::int64_t NowMs();

/// Writes one frame (with `pass_fd` attached when >= 0); false with `error` set on failure.
/// Never raises SIGPIPE.
bool WriteFrame(int fd, const std::vector<std::uint8_t>& payload, int pass_fd, std::int64_t deadline_ms,
                std::string* error);

/// Waits until `fd` is readable (or closed); false on timeout. `deadline_ms` < 0: no deadline.
bool WaitReadable(int fd, std::int64_t deadline_ms);

/// Reads one frame. A descriptor passed with it is stored in `*passed_fd` (close-on-exec),
/// when `passed_fd` is not null; otherwise it is closed. `deadline_ms` < 0: no deadline.
ReadStatus ReadFrame(int fd, std::vector<std::uint8_t>* payload, int* passed_fd, std::int64_t deadline_ms,
                     std::string* error);

}  // namespace socksim::tools::host
