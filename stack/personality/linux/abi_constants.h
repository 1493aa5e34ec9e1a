// File: stack/personality/linux/abi_constants.h
// Linux x86-64 numbers for families, socket types, flags, levels and options, generated from
// abi.def (the one source, shared with the scenario binder's symbol tables), and the sizes and
// limits the system calls check. Only the Linux personality and its tools include this file.
#pragma once

#include <cstdint>

namespace socksim::stack::linux_abi {

/// Every numbered name of abi.def as a constant: kAfInet, kSockStream, kSoPeercred, ...
#define SOCKSIM_ABI(category, name, symbol, value) inline constexpr int k##name = value;
#include "stack/personality/linux/abi.def"
#undef SOCKSIM_ABI

// Numbers that name nothing a scenario writes.
inline constexpr int kSockTypeMask = 0xf;
inline constexpr int kSockMax = 11;  // SOCK_PACKET + 1: socket() refuses larger types
inline constexpr int kNproto = 46;   // AF_MAX on 6.x: socket() refuses larger families

/// MAX_RW_COUNT (include/linux/fs.h: INT_MAX & PAGE_MASK): the most one read or write moves.
inline constexpr std::uint64_t kMaxRwCount = 0x7ffff000;
/// UIO_MAXIOV: the most vectors one call takes.
inline constexpr std::uint64_t kUioMaxIov = 1024;
/// TASK_SIZE_MAX on x86-64 with 4-level paging: the end of user space, which access_ok()
/// checks every user range against (arch/x86/include/asm/page_64_types.h).
inline constexpr std::uint64_t kUserSpaceEnd = 0x00007ffffffff000;

/// struct msghdr on x86-64: name(8) namelen(4)+pad(4) iov(8) iovlen(8) control(8)
/// controllen(8) flags(4)+pad(4).
inline constexpr std::uint64_t kMsghdrSize = 56;
/// struct cmsghdr: cmsg_len (size_t), cmsg_level (int), cmsg_type (int).
inline constexpr std::uint64_t kCmsghdrSize = 16;
/// struct ucred: pid, uid, gid (three 32-bit values).
inline constexpr std::uint32_t kUcredSize = 12;
/// struct linger: l_onoff, l_linger.
inline constexpr std::uint32_t kLingerSize = 8;

}  // namespace socksim::stack::linux_abi
