// File: stack/personality/windows/provider/caller_memory.h
// Small readers and writers of the caller's memory for the Windows calls: little-endian fields
// of the x64 structures, all-or-nothing copies (a Winsock call checks a whole structure before
// it writes: getpeername writes nothing when it fails), and the "is this range accessible"
// test every pointer argument gets. Windows turns a bad pointer into WSAEFAULT rather than a
// crash (reference row 41), so every access goes through these.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/address_space.h"

namespace socksim::stack::windows_abi {

/// Whether [addr, addr + size) can be read (NULL never can).
inline bool Readable(const sim::AddressSpace& mem, sim::UserAddress addr, std::uint64_t size) {
  return addr != 0 && mem.Accessible(addr, size, sim::Protection::kRead);
}
/// Whether [addr, addr + size) can be written (NULL never can).
inline bool Writable(const sim::AddressSpace& mem, sim::UserAddress addr, std::uint64_t size) {
  return addr != 0 && mem.Accessible(addr, size, sim::Protection::kWrite);
}

/// `size` bytes at `addr`, or nullopt when any of them cannot be read.
inline std::optional<std::vector<std::uint8_t>> ReadBytes(const sim::AddressSpace& mem,
                                                          sim::UserAddress addr,
                                                          std::uint64_t size) {
  if (size == 0) return std::vector<std::uint8_t>{};
  if (!Readable(mem, addr, size)) return std::nullopt;
  std::vector<std::uint8_t> out(size);
  (void)mem.CopyIn(addr, out);
  return out;
}

/// Writes all of `bytes` or nothing; false when the range is not writable.
inline bool WriteBytes(sim::AddressSpace& mem, sim::UserAddress addr,
                       std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return true;
  if (!Writable(mem, addr, bytes.size())) return false;
  (void)mem.CopyOut(addr, bytes);
  return true;
}

inline std::optional<std::uint16_t> ReadU16(const sim::AddressSpace& mem, sim::UserAddress addr) {
  const auto b = ReadBytes(mem, addr, 2);
  if (!b) return std::nullopt;
  return static_cast<std::uint16_t>((*b)[0] | ((*b)[1] << 8));
}
inline std::optional<std::uint32_t> ReadU32(const sim::AddressSpace& mem, sim::UserAddress addr) {
  if (addr == 0) return std::nullopt;
  return mem.ReadU32(addr);
}
inline std::optional<std::uint64_t> ReadU64(const sim::AddressSpace& mem, sim::UserAddress addr) {
  if (addr == 0) return std::nullopt;
  return mem.ReadU64(addr);
}
inline bool WriteU16(sim::AddressSpace& mem, sim::UserAddress addr, std::uint16_t v) {
  const std::uint8_t b[2] = {static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8)};
  return WriteBytes(mem, addr, b);
}
inline bool WriteU32(sim::AddressSpace& mem, sim::UserAddress addr, std::uint32_t v) {
  return addr != 0 && Writable(mem, addr, 4) && mem.WriteU32(addr, v);
}
inline bool WriteU64(sim::AddressSpace& mem, sim::UserAddress addr, std::uint64_t v) {
  return addr != 0 && Writable(mem, addr, 8) && mem.WriteU64(addr, v);
}

}  // namespace socksim::stack::windows_abi
