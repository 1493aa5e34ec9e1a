// File: stack/personality/linux/abi_constants.h
// Linux x86-64 numbers for socket types, flags, levels and options (from the uapi headers
// asm-generic/socket.h, linux/net.h, linux/in.h, linux/in6.h, bits/socket.h). Only the Linux
// personality includes this file.
#pragma once

#include <cstdint>

namespace socksim::stack::linux_abi {

inline constexpr int kSockStream = 1;
inline constexpr int kSockDgram = 2;
inline constexpr int kSockRaw = 3;
inline constexpr int kSockSeqPacket = 5;
inline constexpr int kSockTypeMask = 0xf;
inline constexpr int kSockMax = 11;  // SOCK_PACKET + 1
inline constexpr int kSockNonblock = 04000;
inline constexpr int kSockCloexec = 02000000;
inline constexpr int kNproto = 46;  // AF_MAX on 6.x

inline constexpr int kIpprotoIp = 0;
inline constexpr int kIpprotoTcp = 6;
inline constexpr int kIpprotoUdp = 17;
inline constexpr int kIpprotoIpv6 = 41;

inline constexpr int kSolSocket = 1;
inline constexpr int kSoReuseaddr = 2;
inline constexpr int kSoType = 3;
inline constexpr int kSoError = 4;
inline constexpr int kSoBroadcast = 6;
inline constexpr int kSoKeepalive = 9;
inline constexpr int kSoLinger = 13;
inline constexpr int kSoPasscred = 16;
inline constexpr int kSoPeercred = 17;
inline constexpr int kSoAcceptconn = 30;
inline constexpr int kSoProtocol = 38;
inline constexpr int kSoDomain = 39;
inline constexpr int kIpv6V6only = 26;

inline constexpr int kShutRd = 0;
inline constexpr int kShutWr = 1;
inline constexpr int kShutRdwr = 2;

inline constexpr int kMsgPeek = 0x2;
inline constexpr int kMsgCtrunc = 0x8;
inline constexpr int kMsgTrunc = 0x20;
inline constexpr int kMsgDontwait = 0x40;
inline constexpr int kMsgNosignal = 0x4000;

inline constexpr int kScmRights = 1;

inline constexpr int kOCloexec = 02000000;
inline constexpr int kOPath = 010000000;
inline constexpr int kAtFdcwd = -100;

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
