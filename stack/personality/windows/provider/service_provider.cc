// File: stack/personality/windows/provider/service_provider.cc
// Entry-point names and failure values.
#include "stack/personality/windows/provider/service_provider.h"

#include <array>
#include <utility>

namespace socksim::stack::windows_abi {
namespace {

constexpr std::array<std::pair<EntryPoint, std::string_view>, 21> kNames = {{
    {EntryPoint::kSocket, "WSPSocket"},
    {EntryPoint::kCloseSocket, "WSPCloseSocket"},
    {EntryPoint::kBind, "WSPBind"},
    {EntryPoint::kListen, "WSPListen"},
    {EntryPoint::kConnect, "WSPConnect"},
    {EntryPoint::kAccept, "WSPAccept"},
    {EntryPoint::kGetPeerName, "WSPGetPeerName"},
    {EntryPoint::kGetSockName, "WSPGetSockName"},
    {EntryPoint::kShutdown, "WSPShutdown"},
    {EntryPoint::kSend, "WSPSend"},
    {EntryPoint::kRecv, "WSPRecv"},
    {EntryPoint::kSendTo, "WSPSendTo"},
    {EntryPoint::kRecvFrom, "WSPRecvFrom"},
    {EntryPoint::kSetSockOpt, "WSPSetSockOpt"},
    {EntryPoint::kGetSockOpt, "WSPGetSockOpt"},
    {EntryPoint::kIoctl, "WSPIoctl"},
    {EntryPoint::kGetOverlappedResult, "WSPGetOverlappedResult"},
    {EntryPoint::kPoll, "WSPSelect"},
    {EntryPoint::kConnectEx, "ConnectEx"},
    {EntryPoint::kAcceptEx, "AcceptEx"},
    {EntryPoint::kDisconnectEx, "DisconnectEx"},
}};

}  // namespace

std::string_view ToString(EntryPoint entry) {
  for (const auto& [e, name] : kNames) {
    if (e == entry) return name;
  }
  return "?";
}

std::optional<EntryPoint> EntryPointByName(std::string_view name) {
  for (const auto& [e, spelling] : kNames) {
    if (spelling == name) return e;
  }
  return std::nullopt;
}

std::int64_t FailureValue(EntryPoint entry) {
  switch (entry) {
    case EntryPoint::kGetOverlappedResult:
    case EntryPoint::kConnectEx:
    case EntryPoint::kAcceptEx:
    case EntryPoint::kDisconnectEx:
      return kFalse;
    case EntryPoint::kSocket:
    case EntryPoint::kAccept:
      return kInvalidSocket;
    case EntryPoint::kCloseSocket:
    case EntryPoint::kBind:
    case EntryPoint::kListen:
    case EntryPoint::kConnect:
    case EntryPoint::kGetPeerName:
    case EntryPoint::kGetSockName:
    case EntryPoint::kShutdown:
    case EntryPoint::kSend:
    case EntryPoint::kRecv:
    case EntryPoint::kSendTo:
    case EntryPoint::kRecvFrom:
    case EntryPoint::kSetSockOpt:
    case EntryPoint::kGetSockOpt:
    case EntryPoint::kIoctl:
    case EntryPoint::kPoll:
      return kSocketError;
  }
  return kSocketError;
}

}  // namespace socksim::stack::windows_abi
