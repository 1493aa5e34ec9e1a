// File: stack/personality/linux/errno_table.cc
// The Linux errno table and the one place that decides which errno each neutral Error becomes.
#include "stack/personality/linux/errno_table.h"

#include <array>
#include <stdexcept>

namespace socksim::stack::linux_abi {
namespace {

// Numbers from the kernel's include/uapi/asm-generic/errno-base.h and errno.h (x86-64 uses the
// generic list); texts are glibc's strerror() in the C locale (checked against the host libc by
// tests/stack/linux/errno_table_test.cc). Sorted by value; 41 and 58 are unused on Linux.
constexpr std::array kTable = {
    ErrnoInfo{1, "EPERM", "Operation not permitted"},
    ErrnoInfo{2, "ENOENT", "No such file or directory"},
    ErrnoInfo{3, "ESRCH", "No such process"},
    ErrnoInfo{4, "EINTR", "Interrupted system call"},
    ErrnoInfo{5, "EIO", "Input/output error"},
    ErrnoInfo{6, "ENXIO", "No such device or address"},
    ErrnoInfo{7, "E2BIG", "Argument list too long"},
    ErrnoInfo{8, "ENOEXEC", "Exec format error"},
    ErrnoInfo{9, "EBADF", "Bad file descriptor"},
    ErrnoInfo{10, "ECHILD", "No child processes"},
    ErrnoInfo{11, "EAGAIN", "Resource temporarily unavailable"},
    ErrnoInfo{12, "ENOMEM", "Cannot allocate memory"},
    ErrnoInfo{13, "EACCES", "Permission denied"},
    ErrnoInfo{14, "EFAULT", "Bad address"},
    ErrnoInfo{15, "ENOTBLK", "Block device required"},
    ErrnoInfo{16, "EBUSY", "Device or resource busy"},
    ErrnoInfo{17, "EEXIST", "File exists"},
    ErrnoInfo{18, "EXDEV", "Invalid cross-device link"},
    ErrnoInfo{19, "ENODEV", "No such device"},
    ErrnoInfo{20, "ENOTDIR", "Not a directory"},
    ErrnoInfo{21, "EISDIR", "Is a directory"},
    ErrnoInfo{22, "EINVAL", "Invalid argument"},
    ErrnoInfo{23, "ENFILE", "Too many open files in system"},
    ErrnoInfo{24, "EMFILE", "Too many open files"},
    ErrnoInfo{25, "ENOTTY", "Inappropriate ioctl for device"},
    ErrnoInfo{26, "ETXTBSY", "Text file busy"},
    ErrnoInfo{27, "EFBIG", "File too large"},
    ErrnoInfo{28, "ENOSPC", "No space left on device"},
    ErrnoInfo{29, "ESPIPE", "Illegal seek"},
    ErrnoInfo{30, "EROFS", "Read-only file system"},
    ErrnoInfo{31, "EMLINK", "Too many links"},
    ErrnoInfo{32, "EPIPE", "Broken pipe"},
    ErrnoInfo{33, "EDOM", "Numerical argument out of domain"},
    ErrnoInfo{34, "ERANGE", "Numerical result out of range"},
    ErrnoInfo{35, "EDEADLK", "Resource deadlock avoided"},
    ErrnoInfo{36, "ENAMETOOLONG", "File name too long"},
    ErrnoInfo{37, "ENOLCK", "No locks available"},
    ErrnoInfo{38, "ENOSYS", "Function not implemented"},
    ErrnoInfo{39, "ENOTEMPTY", "Directory not empty"},
    ErrnoInfo{40, "ELOOP", "Too many levels of symbolic links"},
    ErrnoInfo{61, "ENODATA", "No data available"},
    ErrnoInfo{71, "EPROTO", "Protocol error"},
    ErrnoInfo{75, "EOVERFLOW", "Value too large for defined data type"},
    ErrnoInfo{88, "ENOTSOCK", "Socket operation on non-socket"},
    ErrnoInfo{89, "EDESTADDRREQ", "Destination address required"},
    ErrnoInfo{90, "EMSGSIZE", "Message too long"},
    ErrnoInfo{91, "EPROTOTYPE", "Protocol wrong type for socket"},
    ErrnoInfo{92, "ENOPROTOOPT", "Protocol not available"},
    ErrnoInfo{93, "EPROTONOSUPPORT", "Protocol not supported"},
    ErrnoInfo{94, "ESOCKTNOSUPPORT", "Socket type not supported"},
    ErrnoInfo{95, "EOPNOTSUPP", "Operation not supported"},
    ErrnoInfo{96, "EPFNOSUPPORT", "Protocol family not supported"},
    ErrnoInfo{97, "EAFNOSUPPORT", "Address family not supported by protocol"},
    ErrnoInfo{98, "EADDRINUSE", "Address already in use"},
    ErrnoInfo{99, "EADDRNOTAVAIL", "Cannot assign requested address"},
    ErrnoInfo{100, "ENETDOWN", "Network is down"},
    ErrnoInfo{101, "ENETUNREACH", "Network is unreachable"},
    ErrnoInfo{102, "ENETRESET", "Network dropped connection on reset"},
    ErrnoInfo{103, "ECONNABORTED", "Software caused connection abort"},
    ErrnoInfo{104, "ECONNRESET", "Connection reset by peer"},
    ErrnoInfo{105, "ENOBUFS", "No buffer space available"},
    ErrnoInfo{106, "EISCONN", "Transport endpoint is already connected"},
    ErrnoInfo{107, "ENOTCONN", "Transport endpoint is not connected"},
    ErrnoInfo{108, "ESHUTDOWN", "Cannot send after transport endpoint shutdown"},
    ErrnoInfo{109, "ETOOMANYREFS", "Too many references: cannot splice"},
    ErrnoInfo{110, "ETIMEDOUT", "Connection timed out"},
    ErrnoInfo{111, "ECONNREFUSED", "Connection refused"},
    ErrnoInfo{112, "EHOSTDOWN", "Host is down"},
    ErrnoInfo{113, "EHOSTUNREACH", "No route to host"},
    ErrnoInfo{114, "EALREADY", "Operation already in progress"},
    ErrnoInfo{115, "EINPROGRESS", "Operation now in progress"},
    ErrnoInfo{125, "ECANCELED", "Operation canceled"},
};

// Second names glibc's <errno.h> defines with the same number (errno(3): "On Linux, EAGAIN and
// EWOULDBLOCK are the same", "ENOTSUP and EOPNOTSUPP have the same value on Linux"). EDEADLOCK
// is the x86 alias of EDEADLK (asm-generic/errno.h).
struct Alias {
  std::string_view symbol;
  int value;
};
constexpr std::array kAliases = {
    Alias{"EWOULDBLOCK", kEWOULDBLOCK},
    Alias{"ENOTSUP", kENOTSUP},
    Alias{"EDEADLOCK", 35},
};

constexpr const ErrnoInfo* FindValue(int value) {
  for (const ErrnoInfo& info : kTable) {
    if (info.value == value) return &info;
  }
  return nullptr;
}

constexpr bool TableIsSortedAndUnique() {
  for (std::size_t i = 1; i < kTable.size(); ++i) {
    if (kTable[i - 1].value >= kTable[i].value) return false;
  }
  return true;
}
static_assert(TableIsSortedAndUnique(), "kTable must be sorted by value without duplicates");

// The mapping proper. A covered switch with no default: adding an entry to error.def breaks the
// build (-Werror=switch) until Linux has decided what it means.
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
      // Per-process limit (RLIMIT_NOFILE) is EMFILE; ENFILE is the system-wide limit.
      return kEMFILE;
    case Error::kAddressFamilyNotSupported:
      return kEAFNOSUPPORT;
    case Error::kProtocolNotSupported:
      return kEPROTONOSUPPORT;
    case Error::kProtocolWrongType:
      return kEPROTOTYPE;
    case Error::kSocketTypeNotSupported:
      // inet_create()/inet6_create() start from -ESOCKTNOSUPPORT when no protosw entry has the
      // type; socket(AF_INET, SOCK_SEQPACKET, 0) gives ESOCKTNOSUPPORT (measured on 6.18).
      return kESOCKTNOSUPPORT;
    case Error::kOperationNotSupported:
      return kEOPNOTSUPP;
    case Error::kProtocolOptionNotAvailable:
      // sock_getsockopt()/do_tcp_getsockopt() answer an unknown option with -ENOPROTOOPT.
      return kENOPROTOOPT;
    case Error::kAddressInUse:
      return kEADDRINUSE;
    case Error::kAddressNotAvailable:
      return kEADDRNOTAVAIL;
    case Error::kNoSuchEntry:
      // unix_find_bsd(): connecting to a pathname nobody bound fails in the path walk, ENOENT.
      return kENOENT;
    case Error::kNoSuchDevice:
      // __inet6_bind(): a link-local address whose sin6_scope_id names no interface is ENODEV.
      return kENODEV;
    case Error::kNoSpace:
      // unix_autobind() returns -ENOSPC when all 2^20 abstract names are taken.
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
      // __inet_stream_connect(): a second connect() while SYN_SENT gives EALREADY.
      return kEALREADY;
    case Error::kWouldBlock:
      // Linux has one number for EAGAIN and EWOULDBLOCK; glibc's canonical name is EAGAIN.
      return kEAGAIN;
    case Error::kBrokenPipe:
      return kEPIPE;
    case Error::kShutDown:
      // Not ESHUTDOWN: send(2) after shutdown(SHUT_WR) returns EPIPE on Linux (tcp_sendmsg_locked,
      // unix_stream_sendmsg; measured on 6.18 for TCP and AF_UNIX stream).
      return kEPIPE;
    case Error::kDestinationRequired:
      return kEDESTADDRREQ;
    case Error::kMessageTooLong:
      return kEMSGSIZE;
    case Error::kNotPermitted:
      return kEPERM;
    case Error::kAccessDenied:
      return kEACCES;
    case Error::kInterrupted:
      return kEINTR;
    case Error::kTryAgain:
      // A transient shortage shares EAGAIN with WouldBlock: e.g. inet_autobind() returns -EAGAIN
      // when no ephemeral port is free for an unbound UDP socket's connect()/sendmsg().
      return kEAGAIN;
  }
  // Unreachable for valid enumerators; a cast from an out-of-range integer lands here.
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
  for (const ErrnoInfo& info : kTable) {
    if (info.symbol == symbol) return info;
  }
  for (const Alias& alias : kAliases) {
    if (alias.symbol == symbol) return ErrnoByValue(alias.value);
  }
  return std::nullopt;
}

std::optional<ErrnoInfo> ErrnoByValue(int value) {
  if (const ErrnoInfo* info = FindValue(value)) return *info;
  return std::nullopt;
}

}  // namespace socksim::stack::linux_abi
