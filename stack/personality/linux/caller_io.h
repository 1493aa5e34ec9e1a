// File: stack/personality/linux/caller_io.h
// The caller's buffers as the kernel's iov_iter sees them, shared by the Linux data calls
// (io_calls.cc: sendto/recvfrom/sendmsg/recvmsg; pipe_calls.cc: read/write on sockets, pipes
// and eventfds; vector_io_calls.cc: readv/writev, sendmmsg/recvmmsg): access_ok(), import_iovec,
// the bytes of a send read where the protocol copies them, and a receive written vector by
// vector. Internal to the Linux personality.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/address_space.h"
#include "stack/core/stack.h"
#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/errno_table.h"
#include "stack/personality/linux/linux_personality.h"

namespace socksim::stack::linux_abi {

/// access_ok() on x86-64: the whole range lies below the top of user space (no wrap-around).
/// It does not look at mappings: an unmapped but user-space range passes and faults later.
inline bool AccessOk(UserAddress addr, std::uint64_t size) {
  return addr <= kUserSpaceEnd && size <= kUserSpaceEnd - addr;
}

/// import_iovec (lib/iov_iter.c iovec_from_user): more than UIO_MAXIOV vectors (a negative
/// count included) is EINVAL, an unreadable array EFAULT, a negative (ssize_t) length EINVAL; each vector is
/// shortened so that the total stays within MAX_RW_COUNT, and must lie in user space (EFAULT).
/// The vectors, or nullopt with `*err` set.
inline std::optional<std::vector<IoVector>> ImportIovec(const sim::AddressSpace& mem,
                                                        UserAddress iov, std::uint64_t count,
                                                        int* err) {
  if (count > kUioMaxIov) {
    *err = kEINVAL;
    return std::nullopt;
  }
  std::vector<IoVector> out;
  std::uint64_t total = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    const auto base = mem.ReadU64(iov + 16 * i);
    const auto len = mem.ReadU64(iov + 16 * i + 8);
    if (!base || !len) {
      *err = kEFAULT;
      return std::nullopt;
    }
    if (static_cast<std::int64_t>(*len) < 0) {
      *err = kEINVAL;
      return std::nullopt;
    }
    const std::uint64_t taken = std::min(*len, kMaxRwCount - total);
    if (!AccessOk(*base, taken)) {
      *err = kEFAULT;
      return std::nullopt;
    }
    total += taken;
    out.push_back(IoVector{*base, taken});
  }
  return out;
}

/// The total length of imported vectors.
inline std::uint64_t TotalLength(const std::vector<IoVector>& iov) {
  std::uint64_t n = 0;
  for (const IoVector& v : iov) n += v.len;
  return n;
}

// The caller's bytes, read on demand. A stream protocol copies them in chunks of about 64 KiB
// (TCP: the segment size goal; AF_UNIX: half the send buffer) and a chunk that faults is not
// sent at all, so a fault within the first chunk is EFAULT and only a longer readable prefix
// is a partial send (measured: 4 readable bytes of 10 give EFAULT; 2 MiB readable of 4 MiB
// give 2,096,720). The partial count is the readable prefix here; Linux's is a few hundred
// bytes lower, where its buffers ended.
/// The bytes of a send, read from the caller's vectors when the protocol copies them.
class CallerBytes final : public Payload {
 public:
  CallerBytes(const sim::AddressSpace& mem, std::vector<IoVector> iov) : mem_(mem), iov_(std::move(iov)) {
    for (const IoVector& v : iov_) size_ += v.len;
  }
  std::uint64_t size() const override { return size_; }
  std::optional<std::string> Read(bool partial) override {
    static constexpr std::uint64_t kStreamChunk = 65536;
    std::string out;
    for (const IoVector& v : iov_) {
      // Only the readable prefix is ever allocated: the mapping bounds it, not the length.
      const std::uint64_t readable = mem_.AccessiblePrefix(v.base, v.len, sim::Protection::kRead);
      const std::size_t at = out.size();
      out.resize(at + readable);
      std::span<std::uint8_t> dst(reinterpret_cast<std::uint8_t*>(out.data()) + at, readable);
      (void)mem_.CopyIn(v.base, dst);
      if (readable < v.len) {
        if (!partial || out.size() < kStreamChunk) return std::nullopt;
        return out;
      }
    }
    return out;
  }

 private:
  const sim::AddressSpace& mem_;
  std::vector<IoVector> iov_;
  std::uint64_t size_ = 0;
};

/// Where received bytes go: the caller's vectors, filled in order.
class CallerSink final : public ReceiveSink {
 public:
  CallerSink(sim::AddressSpace& mem, std::vector<IoVector> iov) : mem_(mem), iov_(std::move(iov)) {}
  std::size_t Write(std::string_view bytes) override {
    std::size_t done = 0;
    while (done < bytes.size() && index_ < iov_.size()) {
      const IoVector& v = iov_[index_];
      const std::uint64_t room = v.len - offset_;
      const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(room, bytes.size() - done));
      const auto* src = reinterpret_cast<const std::uint8_t*>(bytes.data()) + done;
      const sim::CopyResult copied = mem_.CopyOut(v.base + offset_, std::span(src, take));
      done += copied.bytes_copied;
      offset_ += copied.bytes_copied;
      if (copied.fault) break;
      if (offset_ == v.len) {
        ++index_;
        offset_ = 0;
      }
    }
    return done;
  }

 private:
  sim::AddressSpace& mem_;
  std::vector<IoVector> iov_;
  std::size_t index_ = 0;
  std::uint64_t offset_ = 0;
};


}  // namespace socksim::stack::linux_abi
