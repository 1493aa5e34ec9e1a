// File: stack/personality/windows/wsa_error_table.cc
// The Windows error table and the mapping of each neutral Error to one code, with the Windows
// behaviour that fixes each choice.
#include "stack/personality/windows/wsa_error_table.h"

#include <array>
#include <stdexcept>

#include "stack/personality/windows/abi_constants.h"

namespace socksim::stack::windows_abi {
namespace {

constexpr WsaErrorInfo kTable[] = {
#define SOCKSIM_ABI(category, name, symbol, value)
#define SOCKSIM_WSA_ERROR(symbol, value, message) WsaErrorInfo{value, #symbol, message},
#include "stack/personality/windows/abi.def"
#undef SOCKSIM_ABI
};

struct Alias {
  std::string_view symbol;
  int value;
};
constexpr Alias kAliases[] = {
#define SOCKSIM_ABI(category, name, symbol, value)
#define SOCKSIM_WSA_ERROR_ALIAS(symbol, value) Alias{#symbol, value},
#include "stack/personality/windows/abi.def"
#undef SOCKSIM_ABI
};

constexpr const WsaErrorInfo* FindValue(int value) {
  for (const WsaErrorInfo& info : kTable) {
    if (info.value == value) return &info;
  }
  return nullptr;
}

constexpr bool TableIsSortedAndUnique() {
  for (std::size_t i = 1; i < std::size(kTable); ++i) {
    if (kTable[i - 1].value >= kTable[i].value) return false;
  }
  return true;
}
static_assert(TableIsSortedAndUnique(), "abi.def's error codes must be sorted and unique");

// The mapping proper. A covered switch with no default (-Werror=switch).
constexpr int WsaValueFor(Error error) {
  switch (error) {
    case Error::kBadDescriptor:
      // Winsock reports every unusable handle as not a socket: its handle table knows only
      // sockets (reference (b) step 3; Wine test_WithWSAStartup, test_select).
      return kWSAENOTSOCK;
    case Error::kNotSocket:
      return kWSAENOTSOCK;
    case Error::kNotConnected:
      return kWSAENOTCONN;
    case Error::kAlreadyConnected:
      return kWSAEISCONN;
    case Error::kInvalidArgument:
      return kWSAEINVAL;
    case Error::kFault:
      return kWSAEFAULT;
    case Error::kNoBufferSpace:
      return kWSAENOBUFS;
    case Error::kOutOfMemory:
      // Socket calls report memory shortage as buffer space (send/recv docs list WSAENOBUFS).
      return kWSAENOBUFS;
    case Error::kTooManyOpenFiles:
      return kWSAEMFILE;
    case Error::kAddressFamilyNotSupported:
      return kWSAEAFNOSUPPORT;
    case Error::kProtocolNotSupported:
      return kWSAEPROTONOSUPPORT;
    case Error::kProtocolWrongType:
      return kWSAEPROTOTYPE;
    case Error::kSocketTypeNotSupported:
      return kWSAESOCKTNOSUPPORT;
    case Error::kOperationNotSupported:
      return kWSAEOPNOTSUPP;
    case Error::kProtocolOptionNotAvailable:
      return kWSAENOPROTOOPT;
    case Error::kAddressInUse:
      return kWSAEADDRINUSE;
    case Error::kAddressNotAvailable:
      return kWSAEADDRNOTAVAIL;
    case Error::kNoSuchEntry:
      // AF_UNIX connect to a name nobody bound: the connection is refused (no listener at the
      // name; confidence L, not covered by a conformance test).
      return kWSAECONNREFUSED;
    case Error::kNoSuchDevice:
      // bind() with a sin6_scope_id naming no interface fails as an unavailable address (Wine
      // test_bind: scope id 0xabacab -> WSAEADDRNOTAVAIL).
      return kWSAEADDRNOTAVAIL;
    case Error::kNoSpace:
      return kWSAENOBUFS;
    case Error::kConnectionRefused:
      return kWSAECONNREFUSED;
    case Error::kConnectionReset:
      return kWSAECONNRESET;
    case Error::kConnectionAborted:
      return kWSAECONNABORTED;
    case Error::kNetworkUnreachable:
      return kWSAENETUNREACH;
    case Error::kHostUnreachable:
      return kWSAEHOSTUNREACH;
    case Error::kNetworkDown:
      return kWSAENETDOWN;
    case Error::kTimedOut:
      return kWSAETIMEDOUT;
    case Error::kInProgress:
      // A non-blocking connect() that has started reports WSAEWOULDBLOCK, not WSAEINPROGRESS
      // (connect docs; Wine test_connecting_socket). WSAEINPROGRESS is the 1.1 blocking-call
      // error only.
      return kWSAEWOULDBLOCK;
    case Error::kAlreadyInProgress:
      return kWSAEALREADY;
    case Error::kWouldBlock:
      return kWSAEWOULDBLOCK;
    case Error::kBrokenPipe:
      // The policy leaves this for a reset that arrives after the peer finished (CLOSE-WAIT):
      // Windows then fails the next receive with WSAECONNABORTED (Wine test_shutdown "Send data
      // to a peer which is closed", todo_wine: Windows passes).
      return kWSAECONNABORTED;
    case Error::kShutDown:
      return kWSAESHUTDOWN;
    case Error::kDestinationRequired:
      return kWSAEDESTADDRREQ;
    case Error::kMessageTooLong:
      return kWSAEMSGSIZE;
    case Error::kNotPermitted:
      return kWSAEACCES;
    case Error::kAccessDenied:
      return kWSAEACCES;
    case Error::kInterrupted:
      return kWSAEINTR;
    case Error::kTryAgain:
      // No ephemeral port left: Windows reports port exhaustion as WSAENOBUFS (confidence M).
      return kWSAENOBUFS;
  }
  return 0;
}

constexpr bool EveryErrorIsInTable() {
  for (Error error : kAllErrors) {
    if (FindValue(WsaValueFor(error)) == nullptr) return false;
  }
  return true;
}
static_assert(EveryErrorIsInTable(), "WsaValueFor produced a code missing from abi.def");

}  // namespace

WsaErrorInfo ToWsaError(Error error) {
  const WsaErrorInfo* info = FindValue(WsaValueFor(error));
  if (info == nullptr) throw std::invalid_argument("ToWsaError: not an Error enumerator");
  return *info;
}

std::optional<WsaErrorInfo> WsaErrorBySymbol(std::string_view symbol) {
  for (const WsaErrorInfo& info : kTable) {
    if (info.symbol == symbol) return info;
  }
  for (const Alias& alias : kAliases) {
    if (alias.symbol == symbol) return WsaErrorByValue(alias.value);
  }
  return std::nullopt;
}

std::optional<WsaErrorInfo> WsaErrorByValue(int value) {
  if (const WsaErrorInfo* info = FindValue(value)) return *info;
  return std::nullopt;
}

std::span<const WsaErrorInfo> AllWsaErrors() { return std::span(kTable); }

}  // namespace socksim::stack::windows_abi
