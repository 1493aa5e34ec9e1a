// File: tests/stack/linux/errno_table_test.cc
// The Linux errno table checked against the host's real <errno.h> and strerror(), and the
// Error -> errno mapping checked for completeness and for the choices that are not obvious.
#include "stack/personality/linux/errno_table.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <string>

namespace socksim::stack::linux_abi {
namespace {

// These tests run on Linux, so the host's headers and libc are the reference.

TEST(LinuxErrnoTable, NamedConstantsMatchHostErrnoH) {
  EXPECT_EQ(kEPERM, EPERM);
  EXPECT_EQ(kENOENT, ENOENT);
  EXPECT_EQ(kESRCH, ESRCH);
  EXPECT_EQ(kEINTR, EINTR);
  EXPECT_EQ(kEBADF, EBADF);
  EXPECT_EQ(kEAGAIN, EAGAIN);
  EXPECT_EQ(kEWOULDBLOCK, EWOULDBLOCK);
  EXPECT_EQ(kENOMEM, ENOMEM);
  EXPECT_EQ(kEACCES, EACCES);
  EXPECT_EQ(kEFAULT, EFAULT);
  EXPECT_EQ(kEINVAL, EINVAL);
  EXPECT_EQ(kEMFILE, EMFILE);
  EXPECT_EQ(kENOSPC, ENOSPC);
  EXPECT_EQ(kEPIPE, EPIPE);
  EXPECT_EQ(kENOTSOCK, ENOTSOCK);
  EXPECT_EQ(kEDESTADDRREQ, EDESTADDRREQ);
  EXPECT_EQ(kEMSGSIZE, EMSGSIZE);
  EXPECT_EQ(kEPROTOTYPE, EPROTOTYPE);
  EXPECT_EQ(kENOPROTOOPT, ENOPROTOOPT);
  EXPECT_EQ(kEPROTONOSUPPORT, EPROTONOSUPPORT);
  EXPECT_EQ(kESOCKTNOSUPPORT, ESOCKTNOSUPPORT);
  EXPECT_EQ(kEOPNOTSUPP, EOPNOTSUPP);
  EXPECT_EQ(kENOTSUP, ENOTSUP);
  EXPECT_EQ(kEAFNOSUPPORT, EAFNOSUPPORT);
  EXPECT_EQ(kEADDRINUSE, EADDRINUSE);
  EXPECT_EQ(kEADDRNOTAVAIL, EADDRNOTAVAIL);
  EXPECT_EQ(kENETDOWN, ENETDOWN);
  EXPECT_EQ(kENETUNREACH, ENETUNREACH);
  EXPECT_EQ(kENETRESET, ENETRESET);
  EXPECT_EQ(kECONNABORTED, ECONNABORTED);
  EXPECT_EQ(kECONNRESET, ECONNRESET);
  EXPECT_EQ(kENOBUFS, ENOBUFS);
  EXPECT_EQ(kEISCONN, EISCONN);
  EXPECT_EQ(kENOTCONN, ENOTCONN);
  EXPECT_EQ(kESHUTDOWN, ESHUTDOWN);
  EXPECT_EQ(kETIMEDOUT, ETIMEDOUT);
  EXPECT_EQ(kECONNREFUSED, ECONNREFUSED);
  EXPECT_EQ(kEHOSTDOWN, EHOSTDOWN);
  EXPECT_EQ(kEHOSTUNREACH, EHOSTUNREACH);
  EXPECT_EQ(kEALREADY, EALREADY);
  EXPECT_EQ(kEINPROGRESS, EINPROGRESS);
}

// Every symbol the table knows, with the host's number for it.
struct HostErrno {
  const char* symbol;
  int value;
};

const HostErrno kHostErrnos[] = {
    {"EPERM", EPERM},
    {"ENOENT", ENOENT},
    {"ESRCH", ESRCH},
    {"EINTR", EINTR},
    {"EIO", EIO},
    {"ENXIO", ENXIO},
    {"E2BIG", E2BIG},
    {"ENOEXEC", ENOEXEC},
    {"EBADF", EBADF},
    {"ECHILD", ECHILD},
    {"EAGAIN", EAGAIN},
    {"ENOMEM", ENOMEM},
    {"EACCES", EACCES},
    {"EFAULT", EFAULT},
    {"ENOTBLK", ENOTBLK},
    {"EBUSY", EBUSY},
    {"EEXIST", EEXIST},
    {"EXDEV", EXDEV},
    {"ENODEV", ENODEV},
    {"ENOTDIR", ENOTDIR},
    {"EISDIR", EISDIR},
    {"EINVAL", EINVAL},
    {"ENFILE", ENFILE},
    {"EMFILE", EMFILE},
    {"ENOTTY", ENOTTY},
    {"ETXTBSY", ETXTBSY},
    {"EFBIG", EFBIG},
    {"ENOSPC", ENOSPC},
    {"ESPIPE", ESPIPE},
    {"EROFS", EROFS},
    {"EMLINK", EMLINK},
    {"EPIPE", EPIPE},
    {"EDOM", EDOM},
    {"ERANGE", ERANGE},
    {"EDEADLK", EDEADLK},
    {"ENAMETOOLONG", ENAMETOOLONG},
    {"ENOLCK", ENOLCK},
    {"ENOSYS", ENOSYS},
    {"ENOTEMPTY", ENOTEMPTY},
    {"ELOOP", ELOOP},
    {"ENODATA", ENODATA},
    {"EPROTO", EPROTO},
    {"EOVERFLOW", EOVERFLOW},
    {"ENOTSOCK", ENOTSOCK},
    {"EDESTADDRREQ", EDESTADDRREQ},
    {"EMSGSIZE", EMSGSIZE},
    {"EPROTOTYPE", EPROTOTYPE},
    {"ENOPROTOOPT", ENOPROTOOPT},
    {"EPROTONOSUPPORT", EPROTONOSUPPORT},
    {"ESOCKTNOSUPPORT", ESOCKTNOSUPPORT},
    {"EOPNOTSUPP", EOPNOTSUPP},
    {"EPFNOSUPPORT", EPFNOSUPPORT},
    {"EAFNOSUPPORT", EAFNOSUPPORT},
    {"EADDRINUSE", EADDRINUSE},
    {"EADDRNOTAVAIL", EADDRNOTAVAIL},
    {"ENETDOWN", ENETDOWN},
    {"ENETUNREACH", ENETUNREACH},
    {"ENETRESET", ENETRESET},
    {"ECONNABORTED", ECONNABORTED},
    {"ECONNRESET", ECONNRESET},
    {"ENOBUFS", ENOBUFS},
    {"EISCONN", EISCONN},
    {"ENOTCONN", ENOTCONN},
    {"ESHUTDOWN", ESHUTDOWN},
    {"ETOOMANYREFS", ETOOMANYREFS},
    {"ETIMEDOUT", ETIMEDOUT},
    {"ECONNREFUSED", ECONNREFUSED},
    {"EHOSTDOWN", EHOSTDOWN},
    {"EHOSTUNREACH", EHOSTUNREACH},
    {"EALREADY", EALREADY},
    {"EINPROGRESS", EINPROGRESS},
    {"ECANCELED", ECANCELED},
};

TEST(LinuxErrnoTable, EverySymbolHasTheHostNumberAndStrerrorText) {
  for (const HostErrno& host : kHostErrnos) {
    SCOPED_TRACE(host.symbol);
    const auto info = ErrnoBySymbol(host.symbol);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->value, host.value);
    EXPECT_EQ(info->symbol, host.symbol);
    EXPECT_EQ(std::string(info->message), std::string(std::strerror(host.value)));
  }
}

TEST(LinuxErrnoTable, ValueAndSymbolLookupsRoundTrip) {
  for (const HostErrno& host : kHostErrnos) {
    SCOPED_TRACE(host.symbol);
    const auto by_value = ErrnoByValue(host.value);
    ASSERT_TRUE(by_value.has_value());
    const auto by_symbol = ErrnoBySymbol(by_value->symbol);
    ASSERT_TRUE(by_symbol.has_value());
    EXPECT_EQ(*by_symbol, *by_value);
  }
}

TEST(LinuxErrnoTable, AliasesResolveToTheCanonicalEntry) {
  const auto would_block = ErrnoBySymbol("EWOULDBLOCK");
  ASSERT_TRUE(would_block.has_value());
  EXPECT_EQ(would_block->value, 11);
  EXPECT_EQ(would_block->symbol, "EAGAIN");
  EXPECT_EQ(*would_block, *ErrnoBySymbol("EAGAIN"));

  const auto not_sup = ErrnoBySymbol("ENOTSUP");
  ASSERT_TRUE(not_sup.has_value());
  EXPECT_EQ(not_sup->value, 95);
  EXPECT_EQ(not_sup->symbol, "EOPNOTSUPP");

  const auto deadlock = ErrnoBySymbol("EDEADLOCK");
  ASSERT_TRUE(deadlock.has_value());
  EXPECT_EQ(deadlock->value, EDEADLOCK);
  EXPECT_EQ(deadlock->symbol, "EDEADLK");

  // Value lookup always gives the canonical name.
  EXPECT_EQ(ErrnoByValue(EWOULDBLOCK)->symbol, "EAGAIN");
  EXPECT_EQ(ErrnoByValue(ENOTSUP)->symbol, "EOPNOTSUPP");
}

TEST(LinuxErrnoTable, UnknownLookupsAreEmpty) {
  EXPECT_FALSE(ErrnoByValue(0).has_value());
  EXPECT_FALSE(ErrnoByValue(-1).has_value());
  EXPECT_FALSE(ErrnoByValue(41).has_value());  // unused on Linux
  EXPECT_FALSE(ErrnoByValue(100000).has_value());
  EXPECT_FALSE(ErrnoBySymbol("").has_value());
  EXPECT_FALSE(ErrnoBySymbol("enotconn").has_value());  // symbols are case-sensitive
  EXPECT_FALSE(ErrnoBySymbol("ENOTCONN ").has_value());
  EXPECT_FALSE(ErrnoBySymbol("WSAENOTCONN").has_value());
}

TEST(LinuxErrnoTable, ExampleMessage) {
  const auto info = ErrnoByValue(107);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->symbol, "ENOTCONN");
  EXPECT_EQ(info->message, "Transport endpoint is not connected");
}

TEST(LinuxErrnoMapping, EveryErrorMapsToAKnownErrno) {
  for (Error error : kAllErrors) {
    SCOPED_TRACE(std::string(ToString(error)));
    const ErrnoInfo info = ToErrno(error);
    EXPECT_GT(info.value, 0);
    EXPECT_FALSE(info.symbol.empty());
    EXPECT_FALSE(info.message.empty());
    const auto by_value = ErrnoByValue(info.value);
    ASSERT_TRUE(by_value.has_value());
    EXPECT_EQ(*by_value, info);
    EXPECT_EQ(std::string(info.message), std::string(std::strerror(info.value)));
  }
}

TEST(LinuxErrnoMapping, ExpectedErrnoForEveryError) {
  struct Case {
    Error error;
    int expected;
  };
  const Case cases[] = {
      {Error::kBadDescriptor, EBADF},
      {Error::kNotSocket, ENOTSOCK},
      {Error::kNotConnected, ENOTCONN},
      {Error::kAlreadyConnected, EISCONN},
      {Error::kInvalidArgument, EINVAL},
      {Error::kFault, EFAULT},
      {Error::kNoBufferSpace, ENOBUFS},
      {Error::kOutOfMemory, ENOMEM},
      {Error::kTooManyOpenFiles, EMFILE},
      {Error::kAddressFamilyNotSupported, EAFNOSUPPORT},
      {Error::kProtocolNotSupported, EPROTONOSUPPORT},
      {Error::kProtocolWrongType, EPROTOTYPE},
      {Error::kSocketTypeNotSupported, ESOCKTNOSUPPORT},
      {Error::kOperationNotSupported, EOPNOTSUPP},
      {Error::kProtocolOptionNotAvailable, ENOPROTOOPT},
      {Error::kAddressInUse, EADDRINUSE},
      {Error::kAddressNotAvailable, EADDRNOTAVAIL},
      {Error::kNoSuchEntry, ENOENT},
      {Error::kNoSuchDevice, ENODEV},  // __inet6_bind: a scope id that names no interface
      {Error::kNoSpace, ENOSPC},
      {Error::kConnectionRefused, ECONNREFUSED},
      {Error::kConnectionReset, ECONNRESET},
      {Error::kConnectionAborted, ECONNABORTED},
      {Error::kNetworkUnreachable, ENETUNREACH},
      {Error::kHostUnreachable, EHOSTUNREACH},
      {Error::kNetworkDown, ENETDOWN},
      {Error::kTimedOut, ETIMEDOUT},
      {Error::kInProgress, EINPROGRESS},
      {Error::kAlreadyInProgress, EALREADY},
      {Error::kWouldBlock, EAGAIN},
      {Error::kBrokenPipe, EPIPE},
      {Error::kShutDown, EPIPE},  // send(2) after shutdown(SHUT_WR) is EPIPE, not ESHUTDOWN
      {Error::kDestinationRequired, EDESTADDRREQ},
      {Error::kMessageTooLong, EMSGSIZE},
      {Error::kNotPermitted, EPERM},
      {Error::kAccessDenied, EACCES},
      {Error::kInterrupted, EINTR},
      {Error::kTryAgain, EAGAIN},
  };
  std::set<Error> covered;
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(ToString(c.error)));
    EXPECT_EQ(ToErrno(c.error).value, c.expected);
    covered.insert(c.error);
  }
  // A new Error must be added here too, with the errno it is expected to give.
  EXPECT_EQ(covered.size(), kAllErrors.size());
}

}  // namespace
}  // namespace socksim::stack::linux_abi
