// File: stack/personality/illumos/errno_table.cc
// The illumos errno and t_errno tables (from abi.def) and the one place that decides which
// errno each neutral Error becomes.
#include "stack/personality/illumos/errno_table.h"

#include <array>
#include <stdexcept>

#include "stack/personality/illumos/abi_constants.h"

namespace socksim::stack::illumos_abi {
namespace {

constexpr std::array kTable = {
#define SOCKSIM_ERRNO(name, value, message) ErrnoInfo{value, #name, message},
#include "stack/personality/illumos/abi.def"
};

constexpr std::array kTliTable = {
#define SOCKSIM_TERRNO(name, value, message) ErrnoInfo{value, #name, message},
#include "stack/personality/illumos/abi.def"
};

constexpr const ErrnoInfo* FindValue(int value) {
  for (const ErrnoInfo& info : kTable) {
    if (info.value == value) return &info;
  }
  return nullptr;
}

// A covered switch with no default: a new neutral error does not compile until illumos has
// decided what it means.
constexpr int ErrnoValueFor(Error error) {
  switch (error) {
    case Error::kBadDescriptor:
      return kEBADF;
    case Error::kNotSocket:
      return kENOTSOCK;
    case Error::kNotConnected:
      return kENOTCONN;
    case Error::kAlreadyConnected:
      return kEISCONN;
    case Error::kInvalidArgument:
      return kEINVAL;
    case Error::kFault:
      return kEFAULT;
    case Error::kNoBufferSpace:
      return kENOBUFS;
    case Error::kOutOfMemory:
      return kENOMEM;
    case Error::kTooManyOpenFiles:
      return kEMFILE;
    case Error::kAddressFamilyNotSupported:
      return kEAFNOSUPPORT;
    case Error::kProtocolNotSupported:
      return kEPROTONOSUPPORT;
    case Error::kProtocolWrongType:
      return kEPROTOTYPE;
    case Error::kSocketTypeNotSupported:
      return kESOCKTNOSUPPORT;
    case Error::kOperationNotSupported:
      // Socket operations answer EOPNOTSUPP (122), not ENOTSUP (48): sockcommon_sops.c.
      return kEOPNOTSUPP;
    case Error::kProtocolOptionNotAvailable:
      return kENOPROTOOPT;
    case Error::kAddressInUse:
      return kEADDRINUSE;
    case Error::kAddressNotAvailable:
      return kEADDRNOTAVAIL;
    case Error::kNoSuchEntry:
      // socktpi.c so_ux_lookup(): the path lookup of a name nobody bound fails ENOENT.
      return kENOENT;
    case Error::kNoSuchDevice:
      return kENXIO;
    case Error::kNoSpace:
      return kENOSPC;
    case Error::kConnectionRefused:
      return kECONNREFUSED;
    case Error::kConnectionReset:
      return kECONNRESET;
    case Error::kConnectionAborted:
      return kECONNABORTED;
    case Error::kNetworkUnreachable:
      return kENETUNREACH;
    case Error::kHostUnreachable:
      return kEHOSTUNREACH;
    case Error::kNetworkDown:
      return kENETDOWN;
    case Error::kTimedOut:
      return kETIMEDOUT;
    case Error::kInProgress:
      return kEINPROGRESS;
    case Error::kAlreadyInProgress:
      return kEALREADY;
    case Error::kWouldBlock:
      // EWOULDBLOCK is EAGAIN (sys/errno.h).
      return kEAGAIN;
    case Error::kBrokenPipe:
      return kEPIPE;
    case Error::kShutDown:
      // so_sendmsg(): a write after shutdown(SHUT_WR) is EPIPE (SS_CANTSENDMORE).
      return kEPIPE;
    case Error::kDestinationRequired:
      return kEDESTADDRREQ;
    case Error::kMessageTooLong:
      return kEMSGSIZE;
    case Error::kNotPermitted:
      // tcp_bind_select_lport(): a privileged port without net_privaddr is EACCES.
      return kEACCES;
    case Error::kAccessDenied:
      return kEACCES;
    case Error::kInterrupted:
      return kEINTR;
    case Error::kTryAgain:
      return kEAGAIN;
  }
  return 0;
}

constexpr bool EveryErrorIsInTable() {
  for (Error error : kAllErrors) {
    if (FindValue(ErrnoValueFor(error)) == nullptr) return false;
  }
  return true;
}
static_assert(EveryErrorIsInTable(), "ErrnoValueFor produced a number missing from kTable");

}  // namespace

ErrnoInfo ToErrno(Error error) {
  const ErrnoInfo* info = FindValue(ErrnoValueFor(error));
  if (info == nullptr) throw std::invalid_argument("ToErrno: not an Error enumerator");
  return *info;
}

std::optional<ErrnoInfo> ErrnoBySymbol(std::string_view symbol) {
  if (symbol == "EWOULDBLOCK") return ErrnoByValue(kEAGAIN);
  for (const ErrnoInfo& info : kTable) {
    if (info.symbol == symbol) return info;
  }
  return std::nullopt;
}

std::optional<ErrnoInfo> ErrnoByValue(int value) {
  if (const ErrnoInfo* info = FindValue(value)) return *info;
  return std::nullopt;
}

std::optional<ErrnoInfo> TErrnoBySymbol(std::string_view symbol) {
  for (const ErrnoInfo& info : kTliTable) {
    if (info.symbol == symbol) return info;
  }
  return std::nullopt;
}

std::optional<ErrnoInfo> TErrnoByValue(int value) {
  for (const ErrnoInfo& info : kTliTable) {
    if (info.value == value) return info;
  }
  return std::nullopt;
}

}  // namespace socksim::stack::illumos_abi
