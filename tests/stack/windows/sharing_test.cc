// File: tests/stack/windows/sharing_test.cc
// bind's port sharing under SO_REUSEADDR and SO_EXCLUSIVEADDRUSE: Microsoft's "Sharing
// Transport Addresses" table as Wine test_reuseaddr checks it on Windows (tests_exclusive and
// the same-address cases), through the facade.
#include <gtest/gtest.h>

#include "tests/stack/windows/windows_fixture.h"

namespace socksim::testing {
namespace {

using WinsockSharing = WindowsFixture;

enum class Opt { kNone, kReuse, kExclusive };

struct SharingCase {
  const char* what;
  int family1;
  const char* address1;
  Opt option1;
  int family2;
  const char* address2;
  Opt option2;
  int error;  // of the second bind; 0: it succeeds
};

TEST_F(WinsockSharing, SharingTable) {
  const std::vector<SharingCase> cases = {
      // Same specific address.
      {"specific, no options", kAfInet, "127.0.0.1", Opt::kNone, kAfInet, "127.0.0.1", Opt::kNone,
       kWSAEADDRINUSE},
      {"both SO_REUSEADDR", kAfInet, "127.0.0.1", Opt::kReuse, kAfInet, "127.0.0.1", Opt::kReuse,
       0},
      {"only the second reuses", kAfInet, "127.0.0.1", Opt::kNone, kAfInet, "127.0.0.1",
       Opt::kReuse, kWSAEACCES},
      {"exclusive holder", kAfInet, "127.0.0.1", Opt::kExclusive, kAfInet, "127.0.0.1", Opt::kReuse,
       kWSAEACCES},
      {"exclusive binder", kAfInet, "127.0.0.1", Opt::kReuse, kAfInet, "127.0.0.1", Opt::kExclusive,
       kWSAEADDRINUSE},
      // Wildcard and specific of one family.
      {"wildcard then specific", kAfInet, "0.0.0.0", Opt::kNone, kAfInet, "127.0.0.1", Opt::kNone,
       0},
      {"specific then wildcard", kAfInet, "127.0.0.1", Opt::kNone, kAfInet, "0.0.0.0", Opt::kNone,
       0},
      {"exclusive specific then wildcard", kAfInet, "127.0.0.1", Opt::kExclusive, kAfInet,
       "0.0.0.0", Opt::kNone, 0},
      {"exclusive wildcard then specific", kAfInet, "0.0.0.0", Opt::kExclusive, kAfInet,
       "127.0.0.1", Opt::kNone, kWSAEACCES},
      {"two wildcards", kAfInet, "0.0.0.0", Opt::kNone, kAfInet, "0.0.0.0", Opt::kNone,
       kWSAEADDRINUSE},
      {"different specifics", kAfInet, "127.0.0.1", Opt::kNone, kAfInet, "10.0.0.1", Opt::kNone, 0},
      // A v4-mapped IPv6 address names the IPv4 address.
      {"mapped then IPv4", kAfInet6, "::ffff:127.0.0.1", Opt::kNone, kAfInet, "127.0.0.1",
       Opt::kNone, kWSAEADDRINUSE},
      // Across families only a dual-stack wildcard with exclusive use meets IPv4.
      {"dual-stack exclusive then IPv4", kAfInet6, "::", Opt::kExclusive, kAfInet, "127.0.0.1",
       Opt::kNone, kWSAEACCES},
      {"dual-stack exclusive then IPv4 wildcard", kAfInet6, "::", Opt::kExclusive, kAfInet,
       "0.0.0.0", Opt::kNone, kWSAEACCES},
      {"IPv4 then dual-stack exclusive", kAfInet, "127.0.0.1", Opt::kNone, kAfInet6,
       "::", Opt::kExclusive, kWSAEADDRINUSE},
      {"dual-stack then IPv4", kAfInet6, "::", Opt::kNone, kAfInet, "0.0.0.0", Opt::kNone, 0},
      {"IPv6 then IPv4", kAfInet6, "::1", Opt::kNone, kAfInet, "127.0.0.1", Opt::kNone, 0},
  };
  StartBoth();
  std::uint16_t port = 7000;
  for (const SharingCase& c : cases) {
    SCOPED_TRACE(c.what);
    ++port;
    const auto bind_one = [&](int family, const char* address, Opt option) {
      const SocketHandle s = Tcp(A(), family);
      if (family == kAfInet6) ExpectSuccess(SetInt(A(), s, kLevelIpprotoIpv6, kIpv6V6only, 0));
      if (option == Opt::kReuse) ExpectSuccess(SetInt(A(), s, kSolSocket, kSoReuseaddr, 1));
      if (option == Opt::kExclusive) {
        ExpectSuccess(SetInt(A(), s, kSolSocket, kSoExclusiveaddruse, 1));
      }
      const Bytes name = family == kAfInet ? In4(address, port) : In6(address, port);
      return BindTo(A(), s, name);
    };
    ExpectSuccess(bind_one(c.family1, c.address1, c.option1));
    const CallResult second = bind_one(c.family2, c.address2, c.option2);
    if (c.error == 0) {
      ExpectSuccess(second);
    } else {
      ExpectFailure(second, c.error);
    }
  }
}

// The CHECK cells are an access check: another account may not bind a specific address
// beside a wildcard, the same account may.
TEST_F(WinsockSharing, CheckCellIsPerAccount) {
  StartBoth();
  sim::Process& other =
      world_.Spawn({.pid = 301, .node = a_node_, .credentials = sim::Credentials::Of(2000, 2000)});
  ws_.SetUpProcess(other);
  Startup(other.main_thread());
  const SocketHandle wildcard = Tcp(A());
  ExpectSuccess(BindTo(A(), wildcard, In4("0.0.0.0", 7500)));
  const SocketHandle stranger = Tcp(other.main_thread());
  ExpectSuccess(SetInt(other.main_thread(), stranger, kSolSocket, kSoReuseaddr, 1));
  ExpectFailure(BindTo(other.main_thread(), stranger, In4("127.0.0.1", 7500)), kWSAEACCES);
}

}  // namespace
}  // namespace socksim::testing
