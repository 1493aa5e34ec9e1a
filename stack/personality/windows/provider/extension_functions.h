// File: stack/personality/windows/provider/extension_functions.h
// The mswsock extension functions a program retrieves with WSAIoctl(SIO_GET_EXTENSION_FUNCTION_
// POINTER, &guid, ...): their GUIDs (mswsock.h WSAID_*), and the pointer value the model hands
// out for each. The values are fixed, deterministic addresses inside a nominal mswsock.dll
// image (0x00007ff8'00001000 + 0x100 * index), never real code: a scenario may only "call" a
// pointer the process retrieved, through the facade's method for that function.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace socksim::stack::windows_abi {

/// The extension functions the model knows.
enum class ExtensionFunction : std::uint8_t {
  kAcceptEx,
  kConnectEx,
  kDisconnectEx,
  kGetAcceptExSockaddrs,
  kTransmitFile,
  kTransmitPackets,
  kWsaRecvMsg,
  kWsaSendMsg,
};

/// One extension function: its GUID's symbol and bytes (Data1 and the two shorts
/// little-endian, then Data4), the function's name and the pointer value WSAIoctl returns.
struct ExtensionInfo {
  ExtensionFunction function;
  std::string_view guid_symbol;  // "WSAID_CONNECTEX"
  std::string_view name;         // "ConnectEx"
  std::array<std::uint8_t, 16> guid;
  std::uint64_t pointer;
};

/// Every extension function, in the enum's order.
std::span<const ExtensionInfo> ExtensionFunctions();
/// The function whose GUID is `guid`, or nullopt (WSAIoctl then fails WSAEINVAL: Wine
/// test_get_extension_func with a bogus GUID).
std::optional<ExtensionInfo> ExtensionByGuid(std::span<const std::uint8_t> guid);
const ExtensionInfo& Extension(ExtensionFunction function);

}  // namespace socksim::stack::windows_abi
