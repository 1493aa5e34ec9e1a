// File: tests/stack/windows/tables_test.cc
// The personality's tables: the WSA error table and the neutral-error mapping, the Windows
// sockaddr codec, the protocol catalog WSASocket chooses from (Wine test_WSASocket's cases),
// the release knob, the extension-function GUIDs and the overlapped status mapping.
#include <gtest/gtest.h>

#include <array>
#include <set>

#include "stack/personality/windows/windows_policy.h"
#include "tests/stack/windows/windows_fixture.h"

namespace socksim::testing {
namespace {

// Every neutral error has a Windows code that the table knows.
TEST(WsaErrorTable, EveryNeutralErrorMapsToAKnownCode) {
  for (const stack::Error e : stack::kAllErrors) {
    const WsaErrorInfo info = ToWsaError(e);
    EXPECT_GE(info.value, 10000) << stack::ToString(e);
    EXPECT_EQ(WsaErrorByValue(info.value), info) << stack::ToString(e);
  }
}

// The mappings Windows fixes (reference (e) and the cited call docs).
TEST(WsaErrorTable, MappingsWindowsFixes) {
  struct Case {
    stack::Error error;
    int code;
  };
  const std::vector<Case> cases = {
      {stack::Error::kNotConnected, kWSAENOTCONN},
      {stack::Error::kNotSocket, kWSAENOTSOCK},
      {stack::Error::kBadDescriptor, kWSAENOTSOCK},
      {stack::Error::kFault, kWSAEFAULT},
      {stack::Error::kConnectionRefused, kWSAECONNREFUSED},
      {stack::Error::kConnectionReset, kWSAECONNRESET},
      {stack::Error::kAddressInUse, kWSAEADDRINUSE},
      {stack::Error::kAddressNotAvailable, kWSAEADDRNOTAVAIL},
      {stack::Error::kAccessDenied, kWSAEACCES},
      {stack::Error::kInProgress, kWSAEWOULDBLOCK},
      {stack::Error::kAlreadyInProgress, kWSAEALREADY},
      {stack::Error::kWouldBlock, kWSAEWOULDBLOCK},
      {stack::Error::kShutDown, kWSAESHUTDOWN},
      {stack::Error::kMessageTooLong, kWSAEMSGSIZE},
      {stack::Error::kNetworkDown, kWSAENETDOWN},
      {stack::Error::kTimedOut, kWSAETIMEDOUT},
      {stack::Error::kAlreadyConnected, kWSAEISCONN},
  };
  for (const Case& c : cases) EXPECT_EQ(ToWsaError(c.error).value, c.code) << ToString(c.error);
}

// Reference (e): the numbers, and symbol lookups including the aliases.
TEST(WsaErrorTable, NumbersSymbolsAndAliases) {
  struct Case {
    std::string_view symbol;
    int value;
  };
  const std::vector<Case> cases = {
      {"WSAEINTR", 10004},
      {"WSAEFAULT", 10014},
      {"WSAEINVAL", 10022},
      {"WSAEWOULDBLOCK", 10035},
      {"WSAEINPROGRESS", 10036},
      {"WSAENOTSOCK", 10038},
      {"WSAENETDOWN", 10050},
      {"WSAENOTCONN", 10057},
      {"WSAESHUTDOWN", 10058},
      {"WSANOTINITIALISED", 10093},
      {"WSANOTINITIALIZED", 10093},
      {"WSASYSCALLFAILURE", 10107},
      {"ERROR_IO_PENDING", 997},
      {"WSA_IO_PENDING", 997},
      {"WSA_IO_INCOMPLETE", 996},
      {"ERROR_IO_INCOMPLETE", 996},
      {"ERROR_INVALID_PARAMETER", 87},
      {"WSA_INVALID_PARAMETER", 87},
      {"ERROR_OPERATION_ABORTED", 995},
  };
  for (const Case& c : cases) {
    const auto info = WsaErrorBySymbol(c.symbol);
    ASSERT_TRUE(info.has_value()) << c.symbol;
    EXPECT_EQ(info->value, c.value) << c.symbol;
  }
  // Aliases resolve to the canonical spelling.
  EXPECT_EQ(WsaErrorBySymbol("WSA_IO_PENDING")->symbol, "ERROR_IO_PENDING");
  EXPECT_EQ(WsaErrorBySymbol("WSANOTINITIALIZED")->symbol, "WSANOTINITIALISED");
  EXPECT_FALSE(WsaErrorBySymbol("wsaenotconn").has_value());
  EXPECT_FALSE(WsaErrorByValue(10000).has_value());
  const auto all = AllWsaErrors();
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].value, all[i].value);
}

// The constants that differ from Linux (reference (e)).
TEST(WindowsAbi, ConstantsFromTheReference) {
  EXPECT_EQ(kAfInet6, 23);
  EXPECT_EQ(kSolSocket, 0xffff);
  EXPECT_EQ(kSoUpdateAcceptContext, 0x700B);
  EXPECT_EQ(kSoUpdateConnectContext, 0x7010);
  EXPECT_EQ(kIpv6V6only, 27);
  EXPECT_EQ(kSocketError, -1);
  EXPECT_EQ(static_cast<std::int64_t>(kInvalidSocketHandle), kInvalidSocket);
  EXPECT_EQ(kFionbio, 0x8004667E);
  EXPECT_EQ(kSioGetExtensionFunctionPointer, 0xC8000006);
  EXPECT_EQ(kSoExclusiveaddruse, ~kSoReuseaddr);
  EXPECT_EQ(kSoDontlinger, ~kSoLinger);
  EXPECT_EQ(kStatusPending, 0x103);
}

// ---- the sockaddr codec ----

TEST(WindowsSockaddrCodec, SizesAndLayouts) {
  const Bytes v4 = WindowsFixture::In4("127.0.0.1", 139);
  const Bytes expected_v4 = {2, 0, 0, 139, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(v4, expected_v4);
  sim::Endpoint scoped{*sim::IpAddress::Parse("fe80::1"), 8080};
  scoped.scope_id = 3;
  scoped.flow_info = 0x01020304;
  const Bytes v6 = Encode(stack::SocketAddress{scoped});
  ASSERT_EQ(v6.size(), 28u);
  EXPECT_EQ(v6[0], 23);  // ADDRESS_FAMILY little-endian
  EXPECT_EQ(v6[1], 0);
  EXPECT_EQ(v6[2], 0x1f);  // port network order
  EXPECT_EQ(v6[3], 0x90);
  EXPECT_EQ((Bytes{v6[4], v6[5], v6[6], v6[7]}), (Bytes{1, 2, 3, 4}));  // flowinfo network order
  EXPECT_EQ((Bytes{v6[24], v6[25], v6[26], v6[27]}), (Bytes{3, 0, 0, 0}));  // scope host order
  EXPECT_EQ(DecodeSockaddrIn6(v6), scoped);
  EXPECT_EQ(DecodeSockaddrIn(v4), (sim::Endpoint{*sim::IpAddress::Parse("127.0.0.1"), 139}));
  const Bytes un = WindowsFixture::Un("C:\\s");
  ASSERT_EQ(un.size(), 110u);
  EXPECT_EQ(un[0], 1);
  EXPECT_EQ(un[2], 'C');
  EXPECT_EQ(un[6], 0);
  EXPECT_EQ(DecodeSockaddrUn(un), stack::UnixAddress::Pathname("C:\\s"));
  EXPECT_EQ(Encode(stack::SocketAddress{stack::UnspecifiedAddress{}}), Bytes(16, 0));
  EXPECT_EQ(AddressSize(stack::Family::kInet), 16u);
  EXPECT_EQ(AddressSize(stack::Family::kInet6), 28u);
  EXPECT_EQ(AddressSize(stack::Family::kUnix), 110u);
  EXPECT_EQ(FormatFamily(23), "AF_INET6");
  EXPECT_EQ(FormatFamily(77), "77");
  // A v4-mapped address stays an AF_INET6 name of 28 bytes (row 37).
  EXPECT_EQ(WindowsFixture::Mapped("127.0.0.1", 1).size(), 28u);
}

// ---- the catalog: Wine test_WSASocket's cases (which pass on Windows) ----

struct CatalogCase {
  int af, type, protocol;
  int error;       // 0: an entry is found
  int family = 0;  // of the entry found
  int entry_type = 0;
};

void CheckCatalog(const WindowsRelease& release, const std::vector<CatalogCase>& cases) {
  Catalog catalog(release, nullptr, nullptr);
  for (const CatalogCase& c : cases) {
    const auto m = catalog.Find(c.af, c.type, c.protocol);
    SCOPED_TRACE(std::to_string(c.af) + "/" + std::to_string(c.type) + "/" +
                 std::to_string(c.protocol) + " on " + release.ToString());
    EXPECT_EQ(m.error, c.error);
    if (c.error == 0) {
      ASSERT_NE(m.entry, nullptr);
      EXPECT_EQ(m.entry->family, c.family);
      EXPECT_EQ(m.entry->type, c.entry_type);
    } else {
      EXPECT_EQ(m.entry, nullptr);
    }
  }
}

TEST(WinsockCatalog, WsaSocketChoicesOnWindows10) {
  CheckCatalog(*WindowsRelease::Parse("10"),
               {
                   {kAfInet, kSockStream, 0, 0, kAfInet, kSockStream},
                   {kAfInet, kSockDgram, 0, 0, kAfInet, kSockDgram},
                   {kAfInet, 0, kIpprotoTcp, 0, kAfInet, kSockStream},
                   {kAfInet, 0, kIpprotoUdp, 0, kAfInet, kSockDgram},
                   {kAfInet, 0, 0, 0, kAfInet, kSockStream},
                   {kAfInet6, kSockStream, 0, 0, kAfInet6, kSockStream},
                   {kAfUnspec, kSockStream, kIpprotoTcp, 0, kAfInet, kSockStream},
                   {kAfUnspec, 0, kIpprotoUdp, 0, kAfInet, kSockDgram},
                   {kAfInet, kSockRaw, 0, 0, kAfInet, kSockRaw},
                   {kAfInet, kSockRaw, kIpprotoIcmp, 0, kAfInet, kSockRaw},
                   {kAfUnix, kSockStream, 0, 0, kAfUnix, kSockStream},
                   {kAfUnspec, 0, 0, kWSAEINVAL},
                   {kAfUnspec, kSockStream, 0, kWSAEINVAL},
                   {kAfInet, kSockStream, kIpprotoUdp, kWSAEPROTONOSUPPORT},
                   {kAfInet, kSockStream, 999, kWSAEPROTONOSUPPORT},
                   {kAfInet, 99, 0, kWSAESOCKTNOSUPPORT},
                   {999, 99, 0, kWSAESOCKTNOSUPPORT},
                   {999, kSockStream, 0, kWSAEAFNOSUPPORT},
                   {kAfBth, kSockDgram, 0, kWSAEAFNOSUPPORT},
                   {kAfUnix, kSockDgram, 0, kWSAEAFNOSUPPORT},
               });
}

// Windows 11 lists the IPv6 entries first (confidence M-L); AF_UNIX exists from Windows 10.
TEST(WinsockCatalog, ReleasesChangeTheCatalog) {
  CheckCatalog(*WindowsRelease::Parse("11"),
               {{kAfUnspec, kSockStream, kIpprotoTcp, 0, kAfInet6, kSockStream},
                {kAfInet, kSockStream, 0, 0, kAfInet, kSockStream}});
  CheckCatalog(*WindowsRelease::Parse("8.1"), {{kAfUnix, kSockStream, 0, kWSAEAFNOSUPPORT}});
}

TEST(WindowsRelease, ParsesTheKnobAndItsBehaviours) {
  for (const char* name : {"xp", "vista", "7", "8", "8.1", "10", "11"}) {
    const auto r = WindowsRelease::Parse(name);
    ASSERT_TRUE(r.has_value()) << name;
    EXPECT_EQ(r->ToString(), name);
  }
  EXPECT_FALSE(WindowsRelease::Parse("95").has_value());
  EXPECT_EQ(kNewestRelease.ToString(), "11");
  EXPECT_FALSE(WindowsRelease::Parse("vista")->SuccessClearsLastError());
  EXPECT_TRUE(WindowsRelease::Parse("7")->SuccessClearsLastError());
  EXPECT_FALSE(WindowsRelease::Parse("8.1")->HasAfUnix());
  EXPECT_TRUE(WindowsRelease::Parse("10")->HasAfUnix());
  EXPECT_LT(*WindowsRelease::Parse("8"), *WindowsRelease::Parse("8.1"));
}

// mswsock.h: WSAID_CONNECTEX {25a207b9-ddf3-4660-8ee9-76e58c74063e} and the others; unknown
// GUIDs find nothing.
TEST(WinsockExtensionFunctions, GuidsAndPointers) {
  const auto& connectex = Extension(ExtensionFunction::kConnectEx);
  const std::array<std::uint8_t, 16> want = {0xb9, 0x07, 0xa2, 0x25, 0xf3, 0xdd, 0x60, 0x46,
                                             0x8e, 0xe9, 0x76, 0xe5, 0x8c, 0x74, 0x06, 0x3e};
  EXPECT_EQ(connectex.guid, want);
  EXPECT_EQ(connectex.name, "ConnectEx");
  std::set<std::uint64_t> pointers;
  for (const auto& info : ExtensionFunctions()) {
    EXPECT_EQ(ExtensionByGuid(info.guid)->function, info.function);
    pointers.insert(info.pointer);
  }
  EXPECT_EQ(pointers.size(), ExtensionFunctions().size());
  EXPECT_FALSE(ExtensionByGuid(std::array<std::uint8_t, 16>{}).has_value());
}

// Wine test_WSAGetOverlappedResult map_status and its inverse.
TEST(WinsockOverlappedStatus, StatusMapping) {
  struct Case {
    std::int64_t status;
    int code;
  };
  const std::vector<Case> cases = {
      {kStatusSuccess, 0},
      {kStatusPending, kWSA_IO_INCOMPLETE},
      {kStatusCancelled, kERROR_OPERATION_ABORTED},
      {kStatusConnectionRefused, kWSAECONNREFUSED},
      {kStatusConnectionReset, kWSAECONNRESET},
      {kStatusBufferTooSmall, kWSAEFAULT},
      {kStatusInvalidConnection, kWSAENOTCONN},
      {kStatusNotSupported, kWSAEOPNOTSUPP},
      {kStatusIoTimeout, kWSAETIMEDOUT},
      {0xC0009999, kWSAEINVAL},
      {0x00000001, 0},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ErrorOfStatus(static_cast<std::uint32_t>(c.status)), c.code) << c.status;
  }
  EXPECT_EQ(StatusOfError(kWSAECONNREFUSED), kStatusConnectionRefused);
  EXPECT_EQ(StatusOfError(kWSAEFAULT), kStatusBufferTooSmall);
  EXPECT_EQ(StatusOfError(kERROR_OPERATION_ABORTED), kStatusCancelled);
}

// The policy values (windows_policy.cc gives their sources).
TEST(WindowsPolicy, Values) {
  const stack::Policy p = MakeWindowsPolicy(kNewestRelease);
  EXPECT_EQ(p.unspecified_destination, stack::UnspecifiedDestination::kRefuse);
  EXPECT_EQ(p.port_sharing, stack::PortSharing::kJudgedPerHolder);
  EXPECT_NE(p.port_judge, nullptr);
  EXPECT_EQ(p.tunables.ephemeral_low, 49152);
  EXPECT_EQ(p.tunables.ephemeral_high, 65535);
  EXPECT_EQ(p.tunables.privileged_port_limit, 0);
  EXPECT_EQ(p.full_backlog, stack::FullBacklog::kRefuse);
  EXPECT_FALSE(p.connect_shares_ports);
  EXPECT_TRUE(p.datagram_connect_binds_first);
  EXPECT_EQ(p.failed_connect_error, stack::Error::kConnectionRefused);
  EXPECT_EQ(p.autobind.kind, stack::AutobindNaming::Kind::kNone);
  EXPECT_FALSE(p.abstract_names);
}

}  // namespace
}  // namespace socksim::testing
