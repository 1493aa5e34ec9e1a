// File: stack/personality/illumos/abi_constants.h
// illumos amd64 numbers generated from abi.def (the one source, shared with the scenario
// binder's symbol tables), and the sizes and limits the calls check. Only the illumos
// personality and its tools include this file.
#pragma once

#include <cstdint>

namespace socksim::stack::illumos_abi {

/// Every numbered name of abi.def as a constant: kAfInet6, kSockStream, kIPush, ...
#define SOCKSIM_ABI(category, name, symbol, value) inline constexpr int k##name = value;
/// Every errno and t_errno of abi.def as a constant: kENOTCONN, kTOUTSTATE, ...
#define SOCKSIM_ERRNO(name, value, message) inline constexpr int k##name = value;
#define SOCKSIM_TERRNO(name, value, message) inline constexpr int k##name = value;
#include "stack/personality/illumos/abi.def"

/// EWOULDBLOCK is EAGAIN (sys/errno.h).
inline constexpr int kEWOULDBLOCK = kEAGAIN;

// Numbers that name nothing a scenario writes.
inline constexpr int kSockTypeMask = 0xffff;  // SOCK_TYPE_MASK (sys/socket.h)
inline constexpr int kSomaxconn = 128;        // SOMAXCONN (sys/socket.h)

/// struct msghdr on LP64 (sys/socket.h, _XPG4_2): msg_name 8, msg_namelen 4 + pad 4,
/// msg_iov 8, msg_iovlen 4 + pad 4, msg_control 8, msg_controllen 4, msg_flags 4.
inline constexpr std::uint64_t kMsghdrSize = 48;
inline constexpr std::uint64_t kMsghdrName = 0;
inline constexpr std::uint64_t kMsghdrNamelen = 8;
inline constexpr std::uint64_t kMsghdrIov = 16;
inline constexpr std::uint64_t kMsghdrIovlen = 24;
inline constexpr std::uint64_t kMsghdrControl = 32;
inline constexpr std::uint64_t kMsghdrControllen = 40;
inline constexpr std::uint64_t kMsghdrFlags = 44;
/// struct iovec: iov_base 8, iov_len 8.
inline constexpr std::uint64_t kIovecSize = 16;
/// struct cmsghdr: cmsg_len (socklen_t), cmsg_level, cmsg_type; CMSG_DATA follows at 12
/// (_CMSG_DATA_ALIGN to 4 bytes on x86).
inline constexpr std::uint64_t kCmsghdrSize = 12;

/// struct strrecvfd (sys/stropts.h): int fd, uid_t uid, gid_t gid, char fill[8].
inline constexpr std::uint64_t kStrrecvfdSize = 20;

/// struct linger (sys/socket.h): int l_onoff, int l_linger.
inline constexpr std::uint32_t kLingerSize = 8;

/// struct netbuf (sys/tiuser.h) on LP64: unsigned maxlen, unsigned len, char *buf.
inline constexpr std::uint64_t kNetbufSize = 16;

/// ngroups_max, the kernel's default (uts/common/conf/param.c: NGROUPS_MAX_DEFAULT 16); the
/// value sysconf(_SC_NGROUPS_MAX) returns and the groups a ucred_t has room for.
inline constexpr std::uint32_t kNgroupsMax = 16;

/// The highest zone id (uts/common/sys/zone.h MAX_ZONEID 9999).
inline constexpr std::int32_t kMaxZoneid = 9999;

}  // namespace socksim::stack::illumos_abi
