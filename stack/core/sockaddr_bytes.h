// File: stack/core/sockaddr_bytes.h
// The bytes of one encoded socket address, held inline. Every modelled system's largest
// address is its sockaddr_storage, 128 bytes on each of them, and the getname paths
// (getpeername, getsockname, accept, recvfrom) encode one address per call: a
// fixed buffer on the stack spares each of those calls a heap allocation and free, which was
// about a fifth of a simulated getpeername (bench/README.md). The layout of the bytes is each
// personality's codec's business; this type only holds them.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

namespace socksim::stack {

class SockaddrBytes {
 public:
  /// sizeof(struct sockaddr_storage) on every modelled system.
  static constexpr std::size_t kCapacity = 128;

  SockaddrBytes() = default;

  /// Sets the size to `n` bytes, all zero, and returns them for the codec to fill. More than
  /// kCapacity is a codec bug (std::length_error).
  std::span<std::uint8_t> Reset(std::size_t n) {
    if (n > kCapacity) throw std::length_error("SockaddrBytes: larger than sockaddr_storage");
    size_ = n;
    std::fill_n(data_.begin(), n, std::uint8_t{0});
    return {data_.data(), n};
  }

  std::span<const std::uint8_t> bytes() const { return {data_.data(), size_}; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::vector<std::uint8_t> ToVector() const { return {data_.begin(), data_.begin() + size_}; }

 private:
  // Only the first size_ bytes are ever read, and Reset clears those: the rest is left
  // uninitialised so that making one costs nothing.
  std::array<std::uint8_t, kCapacity> data_;
  std::size_t size_ = 0;
};

}  // namespace socksim::stack
