// File: tools/personality/linux/host/host_wire.h
// The byte protocol between socksim and the processes that run a scenario's calls on the host
// kernel: length-prefixed frames on a stream socket (a descriptor may ride along with a frame,
// as SCM_RIGHTS), and the requests and replies carried in them. Every decoder validates its
// input: a malformed frame is reported, never trusted.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace socksim::tools::host {

/// The descriptor number where every agent keeps its request channel, far above the numbers a
/// scenario uses, so that the agent's descriptors never take a number the scenario expects.
inline constexpr int kChannelFd = 1000;
/// The largest frame either side accepts.
inline constexpr std::uint32_t kMaxFrame = 64u << 20;
/// The largest memory region one request may map, and how many regions it may have.
inline constexpr std::uint64_t kMaxRegionSize = 32u << 20;
inline constexpr std::uint32_t kMaxRegions = 1024;
/// Regions are whole pages of this size, at addresses in [kLowestRegion, kHighestRegion):
/// well away from page 0 and from where a process keeps its stack and libraries.
inline constexpr std::uint64_t kRegionPage = 4096;
inline constexpr std::uint64_t kLowestRegion = 0x100000000000ULL;
inline constexpr std::uint64_t kHighestRegion = 0x700000000000ULL;

/// What an agent is asked to do.
enum class Op : std::uint8_t {
  kSyscall = 1,  // one system call with its argument memory
  kFork = 2,     // fork; the child serves the channel that came with the request
  kExit = 3,     // _exit(status)
};

/// Pseudo system call numbers the agent runs through libc (no portable number for them).
inline constexpr std::int64_t kPseudoDup2 = -2;

/// Access bits of a region (the values of PROT_READ and PROT_WRITE).
inline constexpr std::uint8_t kRegionRead = 1;
inline constexpr std::uint8_t kRegionWrite = 2;

/// Caller memory for one call: mapped at exactly `address` in the agent, filled with `init`
/// (the rest is zero), protected with `prot` during the call. Addresses between regions stay
/// unmapped, so a copy that runs past a region faults as it would in the simulator.
struct WireRegion {
  std::uint64_t address = 0;  // a multiple of kRegionPage
  std::uint64_t size = 0;     // a non-zero multiple of kRegionPage
  std::uint8_t prot = kRegionRead | kRegionWrite;
  std::vector<std::uint8_t> init;  // at most `size` bytes
};

struct Request {
  Op op = Op::kSyscall;
  std::int64_t nr = 0;                  // kSyscall
  std::array<std::int64_t, 6> args{};   // kSyscall: raw arguments (addresses point into regions)
  std::vector<WireRegion> regions;      // kSyscall: ascending, not overlapping
  std::int32_t status = 0;              // kExit
};

struct Reply {
  std::string agent_error;  // the agent could not run the request (not a syscall error)
  std::int64_t ret = 0;
  std::int32_t err = 0;     // errno when ret == -1
  /// The regions' contents after the call, parallel to the request's regions; trailing zero
  /// bytes are left out.
  std::vector<std::vector<std::uint8_t>> regions;
};

/// `bytes` without its trailing zero bytes (what a region's init or contents travel as).
std::vector<std::uint8_t> TrimZeros(std::span<const std::uint8_t> bytes);

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
