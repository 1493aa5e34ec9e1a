// File: stack/personality/windows/provider/extension_functions.cc
// The extension-function GUIDs (mswsock.h) and their model pointers.
#include "stack/personality/windows/provider/extension_functions.h"

#include <algorithm>

namespace socksim::stack::windows_abi {
namespace {

// A GUID {d1, d2, d3, {d4...}} in memory order.
constexpr std::array<std::uint8_t, 16> Guid(std::uint32_t d1, std::uint16_t d2, std::uint16_t d3,
                                            std::array<std::uint8_t, 8> d4) {
  return {static_cast<std::uint8_t>(d1),
          static_cast<std::uint8_t>(d1 >> 8),
          static_cast<std::uint8_t>(d1 >> 16),
          static_cast<std::uint8_t>(d1 >> 24),
          static_cast<std::uint8_t>(d2),
          static_cast<std::uint8_t>(d2 >> 8),
          static_cast<std::uint8_t>(d3),
          static_cast<std::uint8_t>(d3 >> 8),
          d4[0],
          d4[1],
          d4[2],
          d4[3],
          d4[4],
          d4[5],
          d4[6],
          d4[7]};
}

constexpr std::uint64_t kImageBase = 0x00007ff800001000;

constexpr ExtensionInfo kAll[] = {
    {ExtensionFunction::kAcceptEx, "WSAID_ACCEPTEX", "AcceptEx",
     Guid(0xb5367df1, 0xcbac, 0x11cf, {0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92}),
     kImageBase + 0x000},
    {ExtensionFunction::kConnectEx, "WSAID_CONNECTEX", "ConnectEx",
     Guid(0x25a207b9, 0xddf3, 0x4660, {0x8e, 0xe9, 0x76, 0xe5, 0x8c, 0x74, 0x06, 0x3e}),
     kImageBase + 0x100},
    {ExtensionFunction::kDisconnectEx, "WSAID_DISCONNECTEX", "DisconnectEx",
     Guid(0x7fda2e11, 0x8630, 0x436f, {0xa0, 0x31, 0xf5, 0x36, 0xa6, 0xee, 0xc1, 0x57}),
     kImageBase + 0x200},
    {ExtensionFunction::kGetAcceptExSockaddrs, "WSAID_GETACCEPTEXSOCKADDRS", "GetAcceptExSockaddrs",
     Guid(0xb5367df2, 0xcbac, 0x11cf, {0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92}),
     kImageBase + 0x300},
    {ExtensionFunction::kTransmitFile, "WSAID_TRANSMITFILE", "TransmitFile",
     Guid(0xb5367df0, 0xcbac, 0x11cf, {0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92}),
     kImageBase + 0x400},
    {ExtensionFunction::kTransmitPackets, "WSAID_TRANSMITPACKETS", "TransmitPackets",
     Guid(0xd9689da0, 0x1f90, 0x11d3, {0x99, 0x71, 0x00, 0xc0, 0x4f, 0x68, 0xc8, 0x76}),
     kImageBase + 0x500},
    {ExtensionFunction::kWsaRecvMsg, "WSAID_WSARECVMSG", "WSARecvMsg",
     Guid(0xf689d7c8, 0x6f1f, 0x436b, {0x8a, 0x53, 0xe5, 0x4f, 0xe3, 0x51, 0xc3, 0x22}),
     kImageBase + 0x600},
    {ExtensionFunction::kWsaSendMsg, "WSAID_WSASENDMSG", "WSASendMsg",
     Guid(0xa441e712, 0x754f, 0x43ca, {0x84, 0xa7, 0x0d, 0xee, 0x44, 0xcf, 0x60, 0x6d}),
     kImageBase + 0x700},
};

}  // namespace

std::span<const ExtensionInfo> ExtensionFunctions() { return std::span(kAll); }

std::optional<ExtensionInfo> ExtensionByGuid(std::span<const std::uint8_t> guid) {
  if (guid.size() != 16) return std::nullopt;
  for (const ExtensionInfo& info : kAll) {
    if (std::equal(guid.begin(), guid.end(), info.guid.begin())) return info;
  }
  return std::nullopt;
}

const ExtensionInfo& Extension(ExtensionFunction function) {
  return kAll[static_cast<std::size_t>(function)];
}

}  // namespace socksim::stack::windows_abi
