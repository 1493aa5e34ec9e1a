// File: stack/personality/windows/abi_constants.h
// Windows x64 numbers generated from abi.def (the one source, shared with the scenario binder's
// symbol tables), and the sizes and field offsets of the structures the calls read and write in
// the caller's memory (SDK headers winsock2.h, ws2def.h, minwinbase.h; x64 layout: pointers and
// SOCKET are 8 bytes, long is 4). Only the Windows personality and its tools include this file.
#pragma once

#include <cstdint>

namespace socksim::stack::windows_abi {

/// SOCKET (UINT_PTR): a handle value; INVALID_SOCKET is ~0.
using SocketHandle = std::uint64_t;

/// Every numbered name of abi.def as a constant: kAfInet6, kSoUpdateAcceptContext, ...
#define SOCKSIM_ABI(category, name, symbol, value) inline constexpr std::int64_t k##name = value;
#include "stack/personality/windows/abi.def"
#undef SOCKSIM_ABI

/// Every error code of abi.def as a constant, named after its symbol: kWSAENOTCONN, ...
#define SOCKSIM_ABI(category, name, symbol, value)
#define SOCKSIM_WSA_ERROR(symbol, value, message) inline constexpr int k##symbol = value;
#define SOCKSIM_WSA_ERROR_ALIAS(symbol, value) inline constexpr int k##symbol = value;
#include "stack/personality/windows/abi.def"
#undef SOCKSIM_ABI

/// INVALID_SOCKET as the handle type.
inline constexpr SocketHandle kInvalidSocketHandle = ~SocketHandle{0};
/// GetCurrentProcess(): the pseudo handle (HANDLE)-1 that names the calling process.
inline constexpr std::uint64_t kCurrentProcessHandle = ~std::uint64_t{0};

// ---- Kernel handle numbering (reference (c) "Handles"; design "Handles") ----
/// The first kernel handle value of a process and the distance between values: multiples of
/// four from 0x100, never reused within a process (a closed value stays invalid).
inline constexpr std::uint64_t kFirstHandle = 0x100;
inline constexpr std::uint64_t kHandleStep = 4;

// ---- WSADATA (winsock2.h, _WIN64 layout) ----
// wVersion(2) wHighVersion(2) iMaxSockets(2) iMaxUdpDg(2) lpVendorInfo(8)
// szDescription[WSADESCRIPTION_LEN + 1 = 257] szSystemStatus[WSASYS_STATUS_LEN + 1 = 129],
// padded to 8: 408 bytes.
inline constexpr std::uint64_t kWsadataVersion = 0;
inline constexpr std::uint64_t kWsadataHighVersion = 2;
inline constexpr std::uint64_t kWsadataMaxSockets = 4;
inline constexpr std::uint64_t kWsadataMaxUdpDg = 6;
inline constexpr std::uint64_t kWsadataVendorInfo = 8;
inline constexpr std::uint64_t kWsadataDescription = 16;
inline constexpr std::uint64_t kWsadataDescriptionSize = 257;
inline constexpr std::uint64_t kWsadataSystemStatus = 16 + 257;
inline constexpr std::uint64_t kWsadataSystemStatusSize = 129;
inline constexpr std::uint64_t kWsadataSize = 408;

// ---- OVERLAPPED (minwinbase.h): Internal(ULONG_PTR) InternalHigh(ULONG_PTR) Offset(DWORD)
// OffsetHigh(DWORD) hEvent(HANDLE): 32 bytes ----
inline constexpr std::uint64_t kOverlappedInternal = 0;
inline constexpr std::uint64_t kOverlappedInternalHigh = 8;
inline constexpr std::uint64_t kOverlappedOffset = 16;
inline constexpr std::uint64_t kOverlappedOffsetHigh = 20;
inline constexpr std::uint64_t kOverlappedEvent = 24;
inline constexpr std::uint64_t kOverlappedSize = 32;

// ---- fd_set (winsock2.h): u_int fd_count, then (aligned to 8) SOCKET fd_array[FD_SETSIZE] ----
inline constexpr std::uint64_t kFdSetCount = 0;
inline constexpr std::uint64_t kFdSetArray = 8;
inline constexpr std::uint64_t kFdSetSize = 8 + 8 * 64;
/// struct timeval: two 32-bit longs (tv_sec, tv_usec); long is 32-bit on Windows x64.
inline constexpr std::uint64_t kTimevalSize = 8;

// ---- WSAPOLLFD (winsock2.h): SOCKET fd, SHORT events, SHORT revents, padded to 16 ----
inline constexpr std::uint64_t kPollFdFd = 0;
inline constexpr std::uint64_t kPollFdEvents = 8;
inline constexpr std::uint64_t kPollFdRevents = 10;
inline constexpr std::uint64_t kPollFdSize = 16;

// ---- CSADDR_INFO (nspapi.h): SOCKET_ADDRESS LocalAddr {LPSOCKADDR(8), INT(4)+pad(4)},
// SOCKET_ADDRESS RemoteAddr, INT iSocketType, INT iProtocol: 40 bytes ----
inline constexpr std::uint64_t kCsaddrLocalPointer = 0;
inline constexpr std::uint64_t kCsaddrLocalLength = 8;
inline constexpr std::uint64_t kCsaddrRemotePointer = 16;
inline constexpr std::uint64_t kCsaddrRemoteLength = 24;
inline constexpr std::uint64_t kCsaddrSocketType = 32;
inline constexpr std::uint64_t kCsaddrProtocol = 36;
inline constexpr std::uint64_t kCsaddrInfoSize = 40;

// ---- WSAPROTOCOL_INFOW (winsock2.h): the fields WSASocketW reads ----
inline constexpr std::uint64_t kProtocolInfoAddressFamily = 76;
inline constexpr std::uint64_t kProtocolInfoSocketType = 88;
inline constexpr std::uint64_t kProtocolInfoProtocol = 92;
inline constexpr std::uint64_t kProtocolInfoSize = 628;

/// struct linger: two u_shorts (l_onoff, l_linger).
inline constexpr std::uint32_t kLingerSize = 4;
/// GUID: Data1(4, little-endian) Data2(2) Data3(2) Data4[8].
inline constexpr std::uint32_t kGuidSize = 16;
/// An AcceptEx address area holds the address plus 16 bytes (AcceptEx: "at least 16 bytes
/// more than the maximum address length for the transport protocol in use").
inline constexpr std::uint32_t kAcceptExAddressExtra = 16;

/// MAKEWORD(major, minor) as WSAStartup takes it: the major version in the low byte.
constexpr std::uint16_t MakeWord(std::uint8_t major, std::uint8_t minor) {
  return static_cast<std::uint16_t>(major | (minor << 8));
}

}  // namespace socksim::stack::windows_abi
