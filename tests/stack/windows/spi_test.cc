// File: tests/stack/windows/spi_test.cc
// The service provider interface: WSPGetPeerName called directly as a provider's own test
// would (one test per clause SPI-1..SPI-14 of the LPWSPGETPEERNAME seed), and layered
// providers over the base provider (pass-through must be invisible, override, forgotten
// lpErrno -> WSASYSCALLFAILURE, stacking order, chains), reference (c).
#include <gtest/gtest.h>

#include "tests/stack/windows/windows_fixture.h"

namespace socksim::testing {
namespace {

class WinsockSpi : public WindowsFixture {
 public:
  /// WSPGetPeerName with a 128-byte buffer and an lpErrno cell preset to `cell`.
  struct Spi {
    CallResult result;
    std::uint32_t cell = 0;
    std::uint32_t length = 0;
    Bytes bytes;
  };
  Spi Call(sim::Thread& t, SocketHandle s, std::string_view provider = {}, std::uint32_t room = 128,
           std::uint32_t cell = 0) {
    const auto buf = Buffer(t);
    const auto len = Int(t, room);
    const auto err = Int(t, cell);
    Spi out;
    out.result = ws_.WSPGetPeerName(t, s, buf, len, err, provider);
    out.cell = ReadU32(t, err);
    out.length = ReadU32(t, len);
    out.bytes = Read(t, buf, out.length > 128 ? 128 : out.length);
    return out;
  }
  void Install(const std::vector<std::string>& words) {
    const auto spec = ParseLayeredProviderSpec(words);
    ASSERT_TRUE(spec.ok()) << spec.error();
    ASSERT_TRUE(ws_.InstallLayeredProvider(*spec).ok());
  }
};

// SPI-1, SPI-3, SPI-6: a connected socket's peer, through the top provider of its chain;
// 0 and the cell untouched.
TEST_F(WinsockSpi, Spi01ReturnsPeerOfConnectedSocket) {
  const auto pair = ConnectedTcp();
  const Spi r = Call(A(), pair.client);
  EXPECT_EQ(r.result, CallResult::Success(0));
  EXPECT_EQ(r.cell, 0u);
  EXPECT_EQ(r.bytes, In4("10.0.0.2", 80));
}

// SPI-3: `name` receives the peer's sockaddr, exactly its size, the rest of the buffer
// untouched.
TEST_F(WinsockSpi, Spi03NameReceivesTheSockaddr) {
  const auto pair = ConnectedTcp();
  const auto buf = Buffer(B());
  const auto len = Int(B(), 128);
  const auto err = Int(B(), 0);
  ASSERT_TRUE(ws_.WSPGetPeerName(B(), pair.accepted, buf, len, err).succeeded());
  EXPECT_EQ(Read(B(), buf, 16), Sock(A(), pair.client).bytes);
  EXPECT_EQ(Read(B(), buf + 16, 112), Bytes(112, 0xAA));
}

// SPI-2, SPI-10: the provider's own context lookup: a handle it does not own (a file, a
// garbage value) is WSAENOTSOCK in *lpErrno.
TEST_F(WinsockSpi, Spi02ProviderContextLookupSpi10) {
  StartBoth();
  const auto file = static_cast<SocketHandle>(ws_.CreateFileW(A(), "C:\\f.txt").value);
  for (const SocketHandle h : {file, SocketHandle{0xdeadbeef}, kInvalidSocketHandle}) {
    const Spi r = Call(A(), h, "tcpip");
    EXPECT_EQ(r.result, CallResult::Failure(kSocketError, kWSAENOTSOCK));
    EXPECT_EQ(r.cell, static_cast<std::uint32_t>(kWSAENOTSOCK));
  }
}

// SPI-4, SPI-14: namelen in is the room, out the size of the name returned (16, 28).
TEST_F(WinsockSpi, Spi04NamelenInOutSpi14) {
  const auto pair = ConnectedTcp(kAfInet6);
  const Spi r = Call(A(), pair.client, {}, 100);
  EXPECT_TRUE(r.result.succeeded());
  EXPECT_EQ(r.length, 28u);
  EXPECT_EQ(r.bytes, In6("fd00::2", 80));
}

// SPI-5: the code goes only to *lpErrno; the thread's last error is untouched, even by a
// failure, and there is no WSANOTINITIALISED at this level.
TEST_F(WinsockSpi, Spi05ErrorsOnlyThroughLpErrno) {
  const auto pair = ConnectedTcp();
  (void)ws_.WSASetLastError(A(), 1234);
  const SocketHandle u = Udp(A());
  (void)ws_.WSASetLastError(A(), 1234);
  EXPECT_EQ(ws_.LastError(A()), 1234);
  const Spi r = Call(A(), u);
  EXPECT_EQ(r.result, CallResult::Failure(kSocketError, kWSAENOTCONN));
  EXPECT_EQ(ws_.LastError(A()), 1234);
  ExpectSuccess(ws_.WSACleanup(A()), 0);
  (void)ws_.WSASetLastError(A(), 1234);
  // The last cleanup destroyed the socket: the provider says so (its WSAENOTSOCK), where ws2
  // would have said WSANOTINITIALISED.
  const Spi after = Call(A(), pair.client, "tcpip");
  EXPECT_EQ(after.result, CallResult::Failure(kSocketError, kWSAENOTSOCK));
  EXPECT_EQ(ws_.LastError(A()), 1234);
}

// SPI-5: a cell preset to a value the call does not change reports no code.
TEST_F(WinsockSpi, Spi05UnchangedCellReportsNoCode) {
  StartBoth();
  const Spi r = Call(A(), Udp(A()), {}, 128, kWSAENOTCONN);
  EXPECT_TRUE(r.result.failed());
  EXPECT_EQ(r.result.code, std::nullopt);
  EXPECT_EQ(r.cell, static_cast<std::uint32_t>(kWSAENOTCONN));
}

// SPI-6: SOCKET_ERROR on failure.
TEST_F(WinsockSpi, Spi06SocketErrorOnFailure) {
  StartBoth();
  const Spi r = Call(A(), Tcp(A()));
  EXPECT_EQ(r.result.value, kSocketError);
  EXPECT_EQ(r.cell, static_cast<std::uint32_t>(kWSAENOTCONN));
}

// SPI-7: WSAENETDOWN through the fault point, after the context lookup.
TEST_F(WinsockSpi, Spi07NetworkDown) {
  const auto pair = ConnectedTcp();
  world_.faults().Arm("windows.netdown", sim::FaultRule{});
  const Spi r = Call(A(), pair.client);
  EXPECT_EQ(r.result, CallResult::Failure(kSocketError, kWSAENETDOWN));
  EXPECT_EQ(Call(A(), pair.client).result, CallResult::Success(0));
}

// SPI-8: WSAEFAULT for NULL pointers and a namelen too small; nothing written.
TEST_F(WinsockSpi, Spi08FaultTooSmallOrNull) {
  const auto pair = ConnectedTcp();
  const Spi small = Call(A(), pair.client, {}, 15);
  EXPECT_EQ(small.cell, static_cast<std::uint32_t>(kWSAEFAULT));
  EXPECT_EQ(small.length, 15u);
  const auto err = Int(A(), 0);
  EXPECT_EQ(ws_.WSPGetPeerName(A(), pair.client, 0, 0, err),
            CallResult::Failure(kSocketError, kWSAEFAULT));
}

// SPI-9: a provider entry point invoked while a blocking call is in progress on the thread is
// WSAEINPROGRESS.
TEST_F(WinsockSpi, Spi09InProgressDuringBlockingCall) {
  const auto pair = ConnectedTcp();
  ws_.AllowWaiting(A(), false);
  EXPECT_TRUE(RecvData(A(), pair.client).first.blocked());
  const Spi r = Call(A(), pair.client);
  EXPECT_EQ(r.result, CallResult::Failure(kSocketError, kWSAEINPROGRESS));
}

// SPI-10: a provider the socket's chain does not pass knows nothing of it.
TEST_F(WinsockSpi, Spi10ProviderNotInChain) {
  Install({"udponly", "chains=udp"});
  const auto pair = ConnectedTcp();
  const Spi r = Call(A(), pair.client, "udponly");
  EXPECT_EQ(r.cell, static_cast<std::uint32_t>(kWSAENOTSOCK));
  EXPECT_TRUE(Call(A(), pair.client, "tcpip").result.succeeded());
}

// SPI-11, SPI-12: only a connected socket has a peer: fresh, bound, listening sockets fail.
TEST_F(WinsockSpi, Spi11NotConnectedSpi12) {
  StartBoth();
  const SocketHandle fresh = Tcp(A());
  EXPECT_EQ(Call(A(), fresh).cell, static_cast<std::uint32_t>(kWSAENOTCONN));
  const SocketHandle l = Listener(A(), In4("10.0.0.1", 80));
  EXPECT_EQ(Call(A(), l).cell, static_cast<std::uint32_t>(kWSAENOTCONN));
}

// SPI-13: a datagram peer named by LPWSPConnect is returned; one named by LPWSPSendTo is not.
TEST_F(WinsockSpi, Spi13DatagramPeerOnlyFromConnect) {
  StartBoth();
  const SocketHandle u = Udp(A());
  ASSERT_TRUE(SendToName(A(), u, "x", In4("10.0.0.2", 53)).succeeded());
  EXPECT_EQ(Call(A(), u).cell, static_cast<std::uint32_t>(kWSAENOTCONN));
  ExpectSuccess(ConnectTo(A(), u, In4("10.0.0.2", 53)));
  const Spi r = Call(A(), u);
  EXPECT_TRUE(r.result.succeeded());
  EXPECT_EQ(r.bytes, In4("10.0.0.2", 53));
}

// The call table checks provider names before calling; an unknown one is a programmer error.
TEST_F(WinsockSpi, UnknownProviderNameThrows) {
  StartBoth();
  EXPECT_FALSE(ws_.HasProvider("nosuch"));
  EXPECT_TRUE(ws_.HasProvider("tcpip"));
  EXPECT_TRUE(ws_.HasProvider("afunix"));
  EXPECT_THROW((void)ws_.WSPGetPeerName(A(), 0x100, 0, 0, 0, "nosuch"), std::invalid_argument);
}

// ---- layered providers ----

// A scripted session whose every result and output is recorded, run with and without a
// pass-through provider on every chain: the recordings must be identical (design: a
// pass-through LSP is invisible, handle values included).
std::vector<std::string> Session(WindowsFixture& f) {
  std::vector<std::string> log;
  const auto note = [&](const char* what, const CallResult& r) {
    log.push_back(std::string(what) + ": " + Describe(r));
  };
  f.StartBoth();
  const SocketHandle l = f.Listener(f.B(), WindowsFixture::In4("10.0.0.2", 80));
  const SocketHandle c = f.Tcp(f.A());
  log.push_back("handles " + std::to_string(l) + " " + std::to_string(c));
  note("peer before", f.Peer(f.A(), c).result);
  note("connect", f.ConnectTo(f.A(), c, WindowsFixture::In4("10.0.0.2", 80)));
  const CallResult a = f.ws_.Accept(f.B(), l, 0, 0);
  note("accept", a);
  const auto s = static_cast<SocketHandle>(a.value);
  const auto peer = f.Peer(f.B(), s);
  note("peer", peer.result);
  log.push_back("peer bytes " + std::to_string(peer.bytes.size()));
  note("send", f.SendData(f.A(), c, "hello"));
  note("recv", f.RecvData(f.B(), s).first);
  const SocketHandle u = f.Udp(f.A());
  note("udp peer", f.Peer(f.A(), u).result);
  note("udp small", f.ws_.Getpeername(f.A(), u, 0, 0));
  note("bogus", f.ws_.Getpeername(f.A(), 0xdeadbeef, 0, 0));
  note("shutdown", f.ws_.Shutdown(f.A(), c, kSdSend));
  note("close", f.ws_.Closesocket(f.A(), c));
  note("closed", f.Peer(f.A(), c).result);
  return log;
}

// A fixture object outside a TEST_F (a world of its own).
class World final : public WindowsFixture {
  void TestBody() override {}
};

TEST(WinsockLayeredProvider, PassThroughIsInvisible) {
  World plain;
  World layered;
  const auto spec = ParseLayeredProviderSpec(std::vector<std::string>{"all", "chains=all"});
  ASSERT_TRUE(spec.ok());
  ASSERT_TRUE(layered.ws_.InstallLayeredProvider(*spec).ok());
  EXPECT_EQ(Session(plain), Session(layered));
}

// Field report (pi_agent_rust #106): an LSP that answers getpeername with success while the
// base socket is not connected; the next send then fails WSAENOTCONN.
TEST_F(WinsockSpi, OverrideReportsSuccessWhileNotConnected) {
  Install({"liar", "behaviour=override", "call=WSPGetPeerName", "return=0", "chains=tcp"});
  StartBoth();
  const SocketHandle c = Tcp(A());
  ExpectSuccess(ws_.Getpeername(A(), c, Buffer(A()), Int(A(), 128)));
  ExpectFailure(SendData(A(), c, "x"), kWSAENOTCONN);
}

// An override of the return and the code: ws2 reports the provider's code.
TEST_F(WinsockSpi, OverrideWithErrorCode) {
  Install({"down", "behaviour=override", "call=WSPGetPeerName", "return=SOCKET_ERROR",
           "error=WSAENETDOWN"});
  const auto pair = ConnectedTcp();
  ExpectFailure(Peer(A(), pair.client).result, kWSAENETDOWN);
  // Other entry points pass through.
  ExpectSuccess(Sock(A(), pair.client).result);
}

// A provider that forgets *lpErrno: ws2 reports WSASYSCALLFAILURE (reference (b.1) step 6).
TEST_F(WinsockSpi, ForgottenLpErrnoIsSyscallFailure) {
  Install({"forgetful", "behaviour=forget-errno", "call=WSPGetPeerName"});
  StartBoth();
  ExpectFailure(Peer(A(), Tcp(A())).result, kWSASYSCALLFAILURE);
  // Called on the provider directly, the cell stays as it was.
  const Spi r = Call(A(), Tcp(A()), "forgetful", 128, 0);
  EXPECT_EQ(r.result, CallResult::Failure(kSocketError, std::nullopt));
  EXPECT_EQ(r.cell, 0u);
  // The base provider below still reports the real code.
  EXPECT_EQ(Call(A(), Tcp(A()), "tcpip").cell, static_cast<std::uint32_t>(kWSAENOTCONN));
}

// Several lsp lines stack in order: the later one is above, so its pass-through sees the
// lower one's override; a call entering at the lower provider gets the override too, and at
// the base provider the real answer.
TEST_F(WinsockSpi, LaterProviderIsAbove) {
  Install({"lower", "behaviour=override", "call=WSPGetPeerName", "return=SOCKET_ERROR",
           "error=WSAEACCES"});
  Install({"upper"});
  StartBoth();
  const SocketHandle c = Tcp(A());
  ExpectFailure(Peer(A(), c).result, kWSAEACCES);
  EXPECT_EQ(Call(A(), c, "upper").cell, static_cast<std::uint32_t>(kWSAEACCES));
  EXPECT_EQ(Call(A(), c, "lower").cell, static_cast<std::uint32_t>(kWSAEACCES));
  EXPECT_EQ(Call(A(), c, "tcpip").cell, static_cast<std::uint32_t>(kWSAENOTCONN));
  const CatalogEntry* entry = ws_.catalog().Find(kAfInet, kSockStream, kIpprotoTcp).entry;
  ASSERT_NE(entry, nullptr);
  ASSERT_EQ(entry->chain.providers.size(), 3u);
  EXPECT_EQ(entry->chain.providers[0]->name(), "upper");
  EXPECT_EQ(entry->chain.providers[1]->name(), "lower");
  EXPECT_EQ(entry->chain.providers[2]->name(), "tcpip");
}

// A provider on some chains only leaves the other chains alone.
TEST_F(WinsockSpi, ChainsSelectWhichSocketsSeeTheProvider) {
  Install({"udplie", "behaviour=override", "call=WSPGetPeerName", "return=0", "chains=udp"});
  StartBoth();
  ExpectSuccess(ws_.Getpeername(A(), Udp(A()), 0, 0));
  ExpectFailure(ws_.Getpeername(A(), Tcp(A()), 0, 0), kWSAENOTCONN);
  ExpectFailure(ws_.Getpeername(A(), Udp(A(), kAfInet6), 0, 0), kWSAENOTCONN);
}

TEST_F(WinsockSpi, DuplicateProviderNameIsRefused) {
  Install({"twice"});
  const auto spec = ParseLayeredProviderSpec(std::vector<std::string>{"twice"});
  ASSERT_TRUE(spec.ok());
  EXPECT_FALSE(ws_.InstallLayeredProvider(*spec).ok());
}

// The `lsp` line parser: good lines and the error of each bad one.
TEST(WinsockLayeredProviderSpec, ParsesLines) {
  struct Case {
    std::vector<std::string> words;
    bool ok;
  };
  const std::vector<Case> cases = {
      {{"p"}, true},
      {{"p", "behaviour=pass", "chains=all"}, true},
      {{"p", "behavior=override", "call=WSPConnect", "return=-1", "error=10050"}, true},
      {{"p", "behaviour=forget-errno", "call=WSPGetPeerName", "chains=tcp,udp6,unix"}, true},
      {{"p", "return=INVALID_SOCKET", "error=WSANOTINITIALIZED"}, true},
      {{}, false},
      {{"tcpip"}, false},
      {{"behaviour=pass"}, false},
      {{"p", "behaviour=lie"}, false},
      {{"p", "call=getpeername"}, false},
      {{"p", "return=maybe"}, false},
      {{"p", "error=WSAEWHATEVER"}, false},
      {{"p", "chains=tcp,sctp"}, false},
      {{"p", "colour=blue"}, false},
      {{"p", "chains"}, false},
  };
  for (const Case& c : cases) {
    const auto spec = ParseLayeredProviderSpec(c.words);
    EXPECT_EQ(spec.ok(), c.ok) << (c.words.empty() ? "(empty)" : c.words.back());
  }
  const auto spec = ParseLayeredProviderSpec(
      std::vector<std::string>{"p", "behaviour=override", "call=WSPGetPeerName",
                               "return=SOCKET_ERROR", "error=WSAENETDOWN", "chains=tcp,udp6"});
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->behaviour, LayeredProviderSpec::Behaviour::kOverride);
  EXPECT_EQ(spec->call, EntryPoint::kGetPeerName);
  EXPECT_EQ(spec->return_value, kSocketError);
  EXPECT_EQ(spec->error, std::optional<int>(kWSAENETDOWN));
  EXPECT_EQ(spec->chains, (std::vector<ChainKind>{ChainKind::kTcp, ChainKind::kUdp6}));
}

}  // namespace
}  // namespace socksim::testing
