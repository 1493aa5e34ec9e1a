// File: docs/semantics/windows-probes/getpeername-probe.c
// A Winsock probe, built with mingw-w64 and run under Wine, that replays the cases of the Windows
// behaviour table (shared reference "windows.md", section (a), rows 1-43) and a few calls around
// them, and prints for each case the return value, WSAGetLastError(), the length cell before and
// after the call, and which bytes of a 0xaa-filled 128-byte buffer changed. Its output is the
// "Wine 8 (measured)" column of docs/semantics/windows-wine.md; it is a second opinion, not the
// authority (the reference's Windows results win where they differ). Build and run as README.md says.

#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <afunix.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>

#define FILL 0xaa
#define PRESET 0xdeadbeef

static unsigned char g_buf[128];

// One output line per case. `len_in < 0` means the call took no length cell. The buffer is
// described by its changed bytes, so "writes nothing" and "zero-fills the rest" are visible.
static void Report(const char* id, const char* row, int ret, int len_in, int len_out) {
  int err = WSAGetLastError();
  int first = -1, last = -1;
  for (int i = 0; i < (int)sizeof(g_buf); ++i) {
    if (g_buf[i] != FILL) {
      if (first < 0) first = i;
      last = i;
    }
  }
  printf("case=%s row=%s ret=%d err=%d", id, row, ret, err);
  if (len_in >= 0) printf(" len=%d->%d", len_in, len_out);
  if (first < 0) {
    printf(" buf=untouched\n");
  } else {
    printf(" buf=changed[%d..%d]:", first, last);
    for (int i = 0; i <= last; ++i) printf("%02x", g_buf[i]);
    printf("\n");
  }
  fflush(stdout);
}

static void Fill(void) { memset(g_buf, FILL, sizeof(g_buf)); }

// A case whose call took no caller buffer: only the return value and the last error.
static void ReportCall(const char* id, const char* row, int ret) {
  printf("case=%s row=%s ret=%d err=%d\n", id, row, ret, WSAGetLastError());
  fflush(stdout);
}

// getpeername with a fresh 0xaa buffer and a length cell of `len`; the last error is preset to
// 0xdeadbeef so that a success shows whether it clears it (row 40).
static void Peer(const char* id, const char* row, SOCKET s, int len) {
  Fill();
  int cell = len;
  WSASetLastError(PRESET);
  int ret = getpeername(s, (struct sockaddr*)g_buf, &cell);
  Report(id, row, ret, len, cell);
}

static struct sockaddr_in V4(const char* ip, unsigned short port) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = inet_addr(ip);
  return a;
}

// A listener on 127.0.0.1 with an ephemeral port; `out` receives its address.
static SOCKET Listener(struct sockaddr_in* out) {
  SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  struct sockaddr_in a = V4("127.0.0.1", 0);
  int len = sizeof(a);
  bind(l, (struct sockaddr*)&a, sizeof(a));
  getsockname(l, (struct sockaddr*)out, &len);
  listen(l, 8);
  return l;
}

// A connected pair over loopback: `c` connected to a listener, `a` its accepted end.
static void TcpPair(SOCKET* c, SOCKET* a) {
  struct sockaddr_in addr;
  SOCKET l = Listener(&addr);
  *c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  connect(*c, (struct sockaddr*)&addr, sizeof(addr));
  *a = accept(l, NULL, NULL);
  closesocket(l);
}

static void* Extension(SOCKET s, GUID guid) {
  void* fn = NULL;
  DWORD bytes = 0;
  WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &fn, sizeof(fn), &bytes,
           NULL, NULL);
  return fn;
}

static unsigned short UnusedPort(void) {
  // Bind and release a port, so a connect to it is refused.
  SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  struct sockaddr_in a = V4("127.0.0.1", 0);
  int len = sizeof(a);
  bind(s, (struct sockaddr*)&a, sizeof(a));
  getsockname(s, (struct sockaddr*)&a, &len);
  closesocket(s);
  return ntohs(a.sin_port);
}

static void Startup(void) {
  WSADATA d;
  WSAStartup(MAKEWORD(2, 2), &d);
}

// Rows 1-3, 5, 6 and the handle checks around them.
static void HandleCases(void) {
  Peer("invalid-socket-null", "1", INVALID_SOCKET, 128);
  Fill();
  WSASetLastError(PRESET);
  ReportCall("invalid-socket-null-null", "1", getpeername(INVALID_SOCKET, NULL, NULL));
  Peer("garbage-deadbeef", "2", (SOCKET)0xdeadbeef, 128);
  Peer("garbage-zero", "2", (SOCKET)0, 128);
  SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  closesocket(s);
  Peer("closed-socket", "3", s, 128);
  WSASetLastError(PRESET);
  int ret = closesocket(s);
  ReportCall("closesocket-twice", "3", ret);

  SOCKET d = INVALID_SOCKET;
  s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  DuplicateHandle(GetCurrentProcess(), (HANDLE)s, GetCurrentProcess(), (HANDLE*)&d, 0, FALSE,
                  DUPLICATE_SAME_ACCESS);
  Peer("duplicatehandle-copy", "ext(b.3)", d, 128);
  CloseHandle((HANDLE)d);
  closesocket(s);
  HANDLE f = CreateFileA("probe-file.txt", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                         FILE_ATTRIBUTE_NORMAL, NULL);
  Peer("file-handle", "ext(b.3)", (SOCKET)f, 128);
  CloseHandle(f);
  DeleteFileA("probe-file.txt");

  s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  SOCKET s2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  printf("case=handle-values note=socket() returned 0x%llx then 0x%llx\n",
         (unsigned long long)s, (unsigned long long)s2);
  closesocket(s);
  closesocket(s2);
}

// Rows 7-17: UDP.
static void UdpCases(void) {
  SOCKET u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  WSASetLastError(PRESET);
  Fill();
  ReportCall("udp-fresh-null-null", "7", getpeername(u, NULL, NULL));
  struct sockaddr_in to = V4("127.0.0.1", 139);
  sendto(u, "x", 1, 0, (struct sockaddr*)&to, sizeof(to));
  WSASetLastError(PRESET);
  ReportCall("udp-after-sendto-null-null", "8", getpeername(u, NULL, NULL));
  Peer("udp-after-sendto-buffer", "8", u, 128);
  connect(u, (struct sockaddr*)&to, sizeof(to));
  WSASetLastError(PRESET);
  ReportCall("udp-connected-null-null", "9", getpeername(u, NULL, NULL));
  Fill();
  WSASetLastError(PRESET);
  Report("udp-connected-buf-null", "10", getpeername(u, (struct sockaddr*)g_buf, NULL), -1, -1);
  int cell = 0;
  WSASetLastError(PRESET);
  Fill();
  int ret = getpeername(u, NULL, &cell);
  Report("udp-connected-null-len0", "11", ret, 0, cell);
  Peer("udp-connected-len0", "12", u, 0);
  Peer("udp-connected-len128", "13", u, 128);
  Peer("udp-connected-len16", "13", u, 16);
  Peer("udp-connected-len15", "14", u, 15);
  connect(u, (struct sockaddr*)&to, sizeof(to));
  struct sockaddr_in to2 = V4("127.0.0.1", 140);
  WSASetLastError(PRESET);
  ret = connect(u, (struct sockaddr*)&to2, sizeof(to2));
  Fill();
  ReportCall("udp-reconnect-port-plus-1", "15", ret);
  Peer("udp-reconnect-peer", "15", u, 128);
  struct sockaddr unspec;
  memset(&unspec, 0, sizeof(unspec));
  unspec.sa_family = AF_UNSPEC;
  WSASetLastError(PRESET);
  ret = connect(u, &unspec, sizeof(unspec));
  Fill();
  ReportCall("udp-connect-af-unspec", "16", ret);
  Peer("udp-after-af-unspec", "16", u, 128);
  closesocket(u);

  // Row 17: a bound receiver that got a datagram but never connected.
  SOCKET r = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  struct sockaddr_in ra = V4("127.0.0.1", 0);
  int len = sizeof(ra);
  bind(r, (struct sockaddr*)&ra, sizeof(ra));
  getsockname(r, (struct sockaddr*)&ra, &len);
  SOCKET t = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  sendto(t, "hi", 2, 0, (struct sockaddr*)&ra, sizeof(ra));
  char data[8];
  struct sockaddr_in from;
  int fromlen = sizeof(from);
  recvfrom(r, data, sizeof(data), 0, (struct sockaddr*)&from, &fromlen);
  Peer("udp-receiver-never-connected", "17", r, 128);
  WSASetLastError(PRESET);
  Fill();
  ReportCall("udp-send-unconnected", "ext(17)", send(r, "x", 1, 0));
  closesocket(r);
  closesocket(t);

  SOCKET fresh = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  u_long on = 1;
  ioctlsocket(fresh, FIONBIO, &on);
  WSASetLastError(PRESET);
  Fill();
  ReportCall("udp-recv-unbound", "ext(17)", recv(fresh, data, sizeof(data), 0));
  closesocket(fresh);
}

// Rows 18-22 and 28-36: TCP states.
static void TcpCases(void) {
  SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  Peer("tcp-fresh", "18", s, 128);
  Fill();
  int cell = 128;
  WSASetLastError(PRESET);
  int ret = getsockname(s, (struct sockaddr*)g_buf, &cell);
  Report("getsockname-unbound", "ext(18)", ret, 128, cell);
  struct sockaddr_in b = V4("127.0.0.1", 0);
  bind(s, (struct sockaddr*)&b, sizeof(b));
  Peer("tcp-bound", "18", s, 128);
  Fill();
  cell = 15;
  WSASetLastError(PRESET);
  ret = getsockname(s, (struct sockaddr*)g_buf, &cell);
  Report("getsockname-len15", "ext(14)", ret, 15, cell);
  listen(s, 4);
  Peer("tcp-listening", "19", s, 128);
  closesocket(s);

  SOCKET c, a;
  TcpPair(&c, &a);
  Peer("tcp-client", "20", c, 128);
  Peer("tcp-accepted", "21", a, 128);
  Peer("tcp-client-len15", "14", c, 15);
  Peer("tcp-client-len1", "14", c, 1);
  closesocket(c);
  closesocket(a);

  // Row 28: the full half-close sequence.
  TcpPair(&c, &a);
  char tmp[8];
  shutdown(c, SD_SEND);
  recv(a, tmp, sizeof(tmp), 0);
  shutdown(a, SD_RECEIVE);
  shutdown(c, SD_RECEIVE);
  shutdown(a, SD_SEND);
  Peer("half-close-client", "28", c, 128);
  Peer("half-close-server", "28", a, 128);
  WSASetLastError(PRESET);
  Fill();
  ReportCall("send-after-sd-send", "ext(28)", send(c, "x", 1, 0));
  closesocket(c);
  closesocket(a);

  // Row 29: SD_BOTH on both ends.
  TcpPair(&c, &a);
  shutdown(c, SD_BOTH);
  shutdown(a, SD_BOTH);
  Peer("sd-both-client", "29", c, 128);
  Peer("sd-both-server", "29", a, 128);
  closesocket(c);
  closesocket(a);

  // Row 31: the peer closed gracefully.
  TcpPair(&c, &a);
  closesocket(a);
  Sleep(50);
  WSASetLastError(PRESET);
  Fill();
  ReportCall("recv-after-peer-close", "31", recv(c, tmp, sizeof(tmp), 0));
  Peer("peer-closed", "31", c, 128);
  closesocket(c);

  // Row 32: the peer reset the connection.
  TcpPair(&c, &a);
  struct linger lg = {1, 0};
  setsockopt(a, SOL_SOCKET, SO_LINGER, (const char*)&lg, sizeof(lg));
  closesocket(a);
  Sleep(50);
  WSASetLastError(PRESET);
  Fill();
  ReportCall("recv-after-reset", "32", recv(c, tmp, sizeof(tmp), 0));
  Peer("peer-reset", "32", c, 128);
  closesocket(c);

  // Row 33: a non-blocking connect that is refused.
  unsigned short port = UnusedPort();
  struct sockaddr_in dead = V4("127.0.0.1", port);
  c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  u_long on = 1;
  ioctlsocket(c, FIONBIO, &on);
  WSASetLastError(PRESET);
  ret = connect(c, (struct sockaddr*)&dead, sizeof(dead));
  Fill();
  ReportCall("nonblocking-connect-refused-start", "33", ret);
  fd_set w, e;
  FD_ZERO(&w);
  FD_ZERO(&e);
  FD_SET(c, &w);
  FD_SET(c, &e);
  struct timeval tv = {5, 0};
  ret = select(0, NULL, &w, &e, &tv);
  printf("case=refused-select note=select returned %d write=%d except=%d\n", ret,
         FD_ISSET(c, &w) ? 1 : 0, FD_ISSET(c, &e) ? 1 : 0);
  int soerr = 0, soerrlen = sizeof(soerr);
  getsockopt(c, SOL_SOCKET, SO_ERROR, (char*)&soerr, &soerrlen);
  printf("case=refused-so-error note=SO_ERROR %d\n", soerr);
  soerr = 0;
  getsockopt(c, SOL_SOCKET, SO_ERROR, (char*)&soerr, &soerrlen);
  printf("case=refused-so-error-again note=SO_ERROR %d\n", soerr);
  Peer("nonblocking-connect-refused", "33", c, 128);
  closesocket(c);

  // Row 34: a blocking connect that is refused.
  c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  WSASetLastError(PRESET);
  ret = connect(c, (struct sockaddr*)&dead, sizeof(dead));
  Fill();
  ReportCall("blocking-connect-refused", "34", ret);
  Peer("blocking-connect-refused-peer", "34", c, 128);
  closesocket(c);

  // Connect to the unspecified address.
  c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  struct sockaddr_in any = V4("0.0.0.0", 9);
  WSASetLastError(PRESET);
  ret = connect(c, (struct sockaddr*)&any, sizeof(any));
  Fill();
  ReportCall("connect-inaddr-any", "ext(policy)", ret);
  closesocket(c);
}

// Row 22: a plain non-blocking connect still in progress (towards a dummy interface that
// drops every packet), and row 23: a pending ConnectEx.
static void ConnectingCases(void) {
  struct sockaddr_in black = V4("10.9.9.2", 255);
  SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  u_long on = 1;
  ioctlsocket(c, FIONBIO, &on);
  WSASetLastError(PRESET);
  int ret = connect(c, (struct sockaddr*)&black, sizeof(black));
  Fill();
  ReportCall("nonblocking-connect-start", "22", ret);
  WSASetLastError(PRESET);
  ret = connect(c, (struct sockaddr*)&black, sizeof(black));
  ReportCall("nonblocking-connect-again", "22", ret);
  Peer("nonblocking-connect-in-progress", "22", c, 128);
  char tmp[4];
  WSASetLastError(PRESET);
  ReportCall("recv-while-connecting", "ext(22)", recv(c, tmp, sizeof(tmp), 0));
  closesocket(c);

  GUID cx = WSAID_CONNECTEX;
  c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  LPFN_CONNECTEX connect_ex = (LPFN_CONNECTEX)Extension(c, cx);
  struct sockaddr_in target = V4("127.0.0.1", 9);
  OVERLAPPED ov;
  memset(&ov, 0, sizeof(ov));
  DWORD sent = 0;
  WSASetLastError(PRESET);
  BOOL ok = connect_ex(c, (struct sockaddr*)&target, sizeof(target), NULL, 0, &sent, &ov);
  Fill();
  ReportCall("connectex-unbound", "ext(23)", ok);
  struct sockaddr_in b = V4("0.0.0.0", 0);
  bind(c, (struct sockaddr*)&b, sizeof(b));
  ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
  WSASetLastError(PRESET);
  ok = connect_ex(c, (struct sockaddr*)&black, sizeof(black), NULL, 0, &sent, &ov);
  ReportCall("connectex-pending-start", "23", ok);
  Peer("connectex-pending", "23", c, 128);
  DWORD xfer = 0, flags = 0;
  WSASetLastError(PRESET);
  ok = WSAGetOverlappedResult(c, &ov, &xfer, FALSE, &flags);
  Fill();
  ReportCall("getoverlappedresult-pending", "ext(23)", ok);
  printf("case=overlapped-internal note=Internal 0x%llx while pending\n",
         (unsigned long long)ov.Internal);
  closesocket(c);
  CloseHandle(ov.hEvent);
}

// Rows 24-27 and 30: completion through ConnectEx / AcceptEx, and DisconnectEx.
static void ExtensionCases(void) {
  GUID cx = WSAID_CONNECTEX, ax = WSAID_ACCEPTEX, dx = WSAID_DISCONNECTEX;
  GUID bogus = {0xdeadbeef, 0, 0, {0}};
  struct sockaddr_in la;
  SOCKET l = Listener(&la);
  SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  void* fn = NULL;
  DWORD bytes = 0x12345678;
  WSASetLastError(PRESET);
  int ret = WSAIoctl(c, SIO_GET_EXTENSION_FUNCTION_POINTER, &bogus, sizeof(bogus), &fn,
                     sizeof(fn), &bytes, NULL, NULL);
  Fill();
  Report("extension-bogus-guid", "ext(overlapped)", ret, 0x12345678, (int)bytes);
  LPFN_CONNECTEX connect_ex = (LPFN_CONNECTEX)Extension(c, cx);
  LPFN_ACCEPTEX accept_ex = (LPFN_ACCEPTEX)Extension(c, ax);
  LPFN_DISCONNECTEX disconnect_ex = (LPFN_DISCONNECTEX)Extension(c, dx);
  struct sockaddr_in b = V4("127.0.0.1", 0);
  bind(c, (struct sockaddr*)&b, sizeof(b));
  OVERLAPPED ov;
  memset(&ov, 0, sizeof(ov));
  ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
  DWORD sent = 0;
  WSASetLastError(PRESET);
  BOOL ok = connect_ex(c, (struct sockaddr*)&la, sizeof(la), NULL, 0, &sent, &ov);
  Fill();
  ReportCall("connectex-loopback-start", "24", ok);
  DWORD xfer = 0, flags = 0;
  WSASetLastError(PRESET);
  ok = WSAGetOverlappedResult(c, &ov, &xfer, TRUE, &flags);
  ReportCall("connectex-loopback-wait", "24", ok);
  Peer("connectex-done-no-update", "24", c, 128);
  WSASetLastError(PRESET);
  ret = setsockopt(c, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0);
  Fill();
  ReportCall("so-update-connect-context", "25", ret);
  Peer("connectex-done-updated", "25", c, 128);
  SOCKET srv = accept(l, NULL, NULL);

  // Row 30: DisconnectEx without an OVERLAPPED.
  WSASetLastError(PRESET);
  ok = disconnect_ex(c, NULL, 0, 0);
  Fill();
  ReportCall("disconnectex-sync", "30", ok);
  Peer("after-disconnectex", "30", c, 128);
  WSASetLastError(PRESET);
  ret = connect(c, (struct sockaddr*)&la, sizeof(la));
  ReportCall("connect-after-disconnectex", "30", ret);
  WSASetLastError(PRESET);
  ReportCall("send-after-disconnectex", "30", send(c, "x", 1, 0));
  closesocket(c);
  closesocket(srv);

  // Rows 26-27: AcceptEx.
  SOCKET acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  char out[64];
  ResetEvent(ov.hEvent);
  DWORD got = 0;
  WSASetLastError(PRESET);
  ok = accept_ex(l, acc, out, 0, sizeof(struct sockaddr_in) + 16, sizeof(struct sockaddr_in) + 16,
                 &got, &ov);
  Fill();
  ReportCall("acceptex-start", "26", ok);
  SOCKET cl = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  connect(cl, (struct sockaddr*)&la, sizeof(la));
  WSASetLastError(PRESET);
  ok = WSAGetOverlappedResult(l, &ov, &xfer, TRUE, &flags);
  ReportCall("acceptex-wait", "26", ok);
  Peer("acceptex-done-no-update", "26", acc, 128);
  WSASetLastError(PRESET);
  ret = setsockopt(acc, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (const char*)&l, sizeof(l));
  Fill();
  ReportCall("so-update-accept-context", "27", ret);
  Peer("acceptex-done-updated", "27", acc, 128);
  closesocket(acc);
  closesocket(cl);
  closesocket(l);
  CloseHandle(ov.hEvent);
}

// Rows 35-39: other families.
static void FamilyCases(void) {
  SOCKET l6 = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
  Fill();
  int cell = 4;
  memset(g_buf, FILL, 4);
  WSASetLastError(PRESET);
  int ret = getsockopt(l6, IPPROTO_IPV6, IPV6_V6ONLY, (char*)g_buf, &cell);
  Report("ipv6-v6only-default", "ext(37)", ret, 4, cell);
  struct sockaddr_in6 a6;
  memset(&a6, 0, sizeof(a6));
  a6.sin6_family = AF_INET6;
  a6.sin6_addr = in6addr_loopback;
  bind(l6, (struct sockaddr*)&a6, sizeof(a6));
  int len = sizeof(a6);
  getsockname(l6, (struct sockaddr*)&a6, &len);
  listen(l6, 4);
  SOCKET c6 = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
  connect(c6, (struct sockaddr*)&a6, sizeof(a6));
  Peer("ipv6-loopback-len128", "35", c6, 128);
  Peer("ipv6-loopback-len28", "35", c6, 28);
  Peer("ipv6-loopback-len16", "36", c6, 16);
  Peer("ipv6-loopback-len24", "36", c6, 24);
  Fill();
  cell = 24;
  WSASetLastError(PRESET);
  ret = getsockname(c6, (struct sockaddr*)g_buf, &cell);
  Report("ipv6-getsockname-len24", "36", ret, 24, cell);
  SOCKET a = accept(l6, NULL, NULL);
  closesocket(a);
  closesocket(c6);
  closesocket(l6);

  // Row 37: a dual-stack listener accepting an IPv4 client.
  SOCKET d = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
  int off = 0;
  setsockopt(d, IPPROTO_IPV6, IPV6_V6ONLY, (const char*)&off, sizeof(off));
  memset(&a6, 0, sizeof(a6));
  a6.sin6_family = AF_INET6;
  bind(d, (struct sockaddr*)&a6, sizeof(a6));
  len = sizeof(a6);
  getsockname(d, (struct sockaddr*)&a6, &len);
  listen(d, 4);
  SOCKET c4 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  struct sockaddr_in to4 = V4("127.0.0.1", ntohs(a6.sin6_port));
  connect(c4, (struct sockaddr*)&to4, sizeof(to4));
  a = accept(d, NULL, NULL);
  Peer("dual-stack-accepted", "37", a, 128);
  closesocket(a);
  closesocket(c4);

  // Row 38: a dual-stack client connecting to a v4-mapped address.
  struct sockaddr_in la;
  SOCKET l4 = Listener(&la);
  SOCKET dc = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
  setsockopt(dc, IPPROTO_IPV6, IPV6_V6ONLY, (const char*)&off, sizeof(off));
  struct sockaddr_in6 m;
  memset(&m, 0, sizeof(m));
  m.sin6_family = AF_INET6;
  m.sin6_port = la.sin_port;
  inet_pton(AF_INET6, "::ffff:127.0.0.1", &m.sin6_addr);
  WSASetLastError(PRESET);
  ret = connect(dc, (struct sockaddr*)&m, sizeof(m));
  Fill();
  ReportCall("dual-stack-client-connect", "38", ret);
  Peer("dual-stack-client", "38", dc, 128);
  closesocket(dc);
  closesocket(l4);
  closesocket(d);

  // Row 39: AF_UNIX.
  WSASetLastError(PRESET);
  SOCKET ul = socket(AF_UNIX, SOCK_STREAM, 0);
  ReportCall("af-unix-socket", "39", ul == INVALID_SOCKET ? -1 : 0);
  if (ul != INVALID_SOCKET) {
    struct sockaddr_un un;
    memset(&un, 0, sizeof(un));
    un.sun_family = AF_UNIX;
    strcpy(un.sun_path, "probe.sock");
    DeleteFileA("probe.sock");
    ret = bind(ul, (struct sockaddr*)&un, sizeof(un));
    listen(ul, 4);
    SOCKET uc = socket(AF_UNIX, SOCK_STREAM, 0);
    WSASetLastError(PRESET);
    ret = connect(uc, (struct sockaddr*)&un, sizeof(un));
    Fill();
    ReportCall("af-unix-connect", "39", ret);
    Peer("af-unix-client", "39", uc, 128);
    SOCKET ua = accept(ul, NULL, NULL);
    Peer("af-unix-accepted", "39", ua, 128);
    closesocket(ua);
    closesocket(uc);
    closesocket(ul);
    DeleteFileA("probe.sock");
  }
}

// Calls around getpeername that the scenarios rely on.
static void AroundCases(void) {
  // accept's address rules; every case gets its own client, and the listener is non-blocking
  // so a consumed connection cannot hang the probe.
  struct sockaddr_in la;
  SOCKET l = Listener(&la);
  u_long on = 1;
  ioctlsocket(l, FIONBIO, &on);
  SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  connect(c, (struct sockaddr*)&la, sizeof(la));
  Sleep(20);
  int cell = 0;
  Fill();
  WSASetLastError(PRESET);
  SOCKET a = accept(l, (struct sockaddr*)g_buf, &cell);
  Report("accept-addrlen-zero", "ext(accept)", a == INVALID_SOCKET ? -1 : 0, 0, cell);
  if (a != INVALID_SOCKET) closesocket(a);
  WSASetLastError(PRESET);
  a = accept(l, NULL, NULL);
  ReportCall("accept-after-addrlen-zero", "ext(accept)", a == INVALID_SOCKET ? -1 : 0);
  if (a != INVALID_SOCKET) closesocket(a);
  closesocket(c);
  c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  connect(c, (struct sockaddr*)&la, sizeof(la));
  Sleep(20);
  Fill();
  WSASetLastError(PRESET);
  a = accept(l, (struct sockaddr*)g_buf, NULL);
  Report("accept-null-addrlen", "ext(accept)", a == INVALID_SOCKET ? -1 : 0, -1, -1);
  if (a != INVALID_SOCKET) closesocket(a);
  closesocket(c);
  c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  connect(c, (struct sockaddr*)&la, sizeof(la));
  Sleep(20);
  cell = 128;
  Fill();
  WSASetLastError(PRESET);
  a = accept(l, (struct sockaddr*)g_buf, &cell);
  Report("accept-addrlen-128", "ext(accept)", a == INVALID_SOCKET ? -1 : 0, 128, cell);
  if (a != INVALID_SOCKET) closesocket(a);
  closesocket(c);
  WSASetLastError(PRESET);
  a = accept(l, NULL, NULL);
  ReportCall("accept-nothing-pending", "ext(accept)", a == INVALID_SOCKET ? -1 : 0);
  closesocket(l);

  SOCKET u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  WSASetLastError(PRESET);
  Fill();
  ReportCall("listen-udp", "ext(listen)", listen(u, 1));
  closesocket(u);
  SOCKET t = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  WSASetLastError(PRESET);
  ReportCall("listen-unbound", "ext(listen)", listen(t, 1));
  WSASetLastError(PRESET);
  ReportCall("shutdown-unconnected", "ext(shutdown)", shutdown(t, SD_SEND));
  closesocket(t);

  // SO_REUSEADDR on the second socket only, then SO_EXCLUSIVEADDRUSE on the first.
  SOCKET s1 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  struct sockaddr_in p = V4("127.0.0.1", 0);
  int len = sizeof(p);
  bind(s1, (struct sockaddr*)&p, sizeof(p));
  getsockname(s1, (struct sockaddr*)&p, &len);
  SOCKET s2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  int one = 1;
  setsockopt(s2, SOL_SOCKET, SO_REUSEADDR, (const char*)&one, sizeof(one));
  WSASetLastError(PRESET);
  ReportCall("reuseaddr-second-only", "ext(reuse)", bind(s2, (struct sockaddr*)&p, sizeof(p)));
  closesocket(s2);
  s2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  WSASetLastError(PRESET);
  ReportCall("bind-in-use", "ext(reuse)", bind(s2, (struct sockaddr*)&p, sizeof(p)));
  closesocket(s2);
  closesocket(s1);
  s1 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  setsockopt(s1, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char*)&one, sizeof(one));
  struct sockaddr_in anyp = V4("0.0.0.0", ntohs(p.sin_port));
  bind(s1, (struct sockaddr*)&anyp, sizeof(anyp));
  s2 = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  WSASetLastError(PRESET);
  ReportCall("exclusive-first-any-second-loopback", "ext(reuse)", bind(s2, (struct sockaddr*)&p, sizeof(p)));
  WSASetLastError(PRESET);
  ReportCall("reuseaddr-with-exclusive", "ext(reuse)", setsockopt(s1, SOL_SOCKET, SO_REUSEADDR, (const char*)&one, sizeof(one)));
  closesocket(s2);
  closesocket(s1);

  fd_set r;
  FD_ZERO(&r);
  struct timeval tv = {0, 0};
  WSASetLastError(PRESET);
  ReportCall("select-empty-sets", "ext(select)", select(0, &r, NULL, NULL, &tv));
  FD_SET(INVALID_SOCKET, &r);
  WSASetLastError(PRESET);
  ReportCall("select-invalid-socket", "ext(select)", select(0, &r, NULL, NULL, &tv));

  static const int kSockets[][3] = {{0xdead, SOCK_STREAM, IPPROTO_TCP},
                                    {AF_INET, 0xdead, IPPROTO_TCP},
                                    {AF_INET, SOCK_STREAM, 0xdead},
                                    {AF_INET, SOCK_STREAM, IPPROTO_UDP},
                                    {AF_UNSPEC, SOCK_STREAM, 0}};
  for (unsigned i = 0; i < sizeof(kSockets) / sizeof(kSockets[0]); ++i) {
    char id[64];
    snprintf(id, sizeof(id), "socket-%d-%d-%d", kSockets[i][0], kSockets[i][1], kSockets[i][2]);
    WSASetLastError(PRESET);
    SOCKET s = socket(kSockets[i][0], kSockets[i][1], kSockets[i][2]);
    ReportCall(id, "ext(socket)", s == INVALID_SOCKET ? -1 : 0);
    if (s != INVALID_SOCKET) closesocket(s);
  }
}

// Row 40: a success with the last error preset (every Peer() call presets it; this adds the
// calls the reference names).
static void LastErrorCases(void) {
  SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  struct sockaddr_in b = V4("127.0.0.1", 0);
  WSASetLastError(PRESET);
  Fill();
  ReportCall("bind-success-last-error", "40", bind(s, (struct sockaddr*)&b, sizeof(b)));
  struct sockaddr_in to = V4("127.0.0.1", 139);
  WSASetLastError(PRESET);
  ReportCall("connect-success-last-error", "40", connect(s, (struct sockaddr*)&to, sizeof(to)));
  Peer("getpeername-success-last-error", "40", s, 128);
  WSASetLastError(PRESET);
  ReportCall("shutdown-success-last-error", "40", shutdown(s, SD_SEND));
  WSASetLastError(PRESET);
  ReportCall("closesocket-success-last-error", "40", closesocket(s));
}

static void StartupCases(void) {
  static const WORD kVersions[] = {0x0000, 0x0900, 0x0001, 0x0101, 0x0201, 0x0002, 0x0202, 0x0303};
  for (unsigned i = 0; i < sizeof(kVersions) / sizeof(kVersions[0]); ++i) {
    WSADATA d;
    memset(&d, 0x55, sizeof(d));
    WSASetLastError(PRESET);
    int ret = WSAStartup(kVersions[i], &d);
    printf("case=wsastartup-0x%04x ret=%d err=%d wVersion=0x%04x wHighVersion=0x%04x "
           "iMaxSockets=%u iMaxUdpDg=%u vendor=%p desc=\"%s\" status=\"%s\" desc_after_nul=0x%02x\n",
           kVersions[i], ret, WSAGetLastError(), d.wVersion, d.wHighVersion, d.iMaxSockets,
           d.iMaxUdpDg, (void*)d.lpVendorInfo, d.szDescription, d.szSystemStatus,
           (unsigned char)d.szDescription[strlen(d.szDescription) + 1]);
    if (ret == 0) WSACleanup();
  }
  WSADATA legacy;
  WSAStartup(MAKEWORD(1, 1), &legacy);
  WSASetLastError(PRESET);
  ReportCall("wsaisblocking-1.1", "42", WSAIsBlocking());
  WSASetLastError(PRESET);
  ReportCall("wsacancelblockingcall-1.1", "42", WSACancelBlockingCall());
  WSACleanup();
  WSAStartup(MAKEWORD(2, 2), &legacy);
  WSASetLastError(PRESET);
  ReportCall("wsaisblocking-2.2", "42", WSAIsBlocking());
  WSASetLastError(PRESET);
  ReportCall("wsacancelblockingcall-2.2", "42", WSACancelBlockingCall());
  WSACleanup();
  WSASetLastError(PRESET);
  int ret = WSAStartup(MAKEWORD(2, 2), NULL);
  printf("case=wsastartup-null ret=%d err=%d\n", ret, WSAGetLastError());
  if (ret == 0) WSACleanup();
}

int main(int argc, char** argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc > 1 && strcmp(argv[1], "wild") == 0) {
    // Row 41 on its own, because it may crash the process.
    Startup();
    SOCKET c, a;
    TcpPair(&c, &a);
    WSASetLastError(PRESET);
    Fill();
    ReportCall("tcp-wild-pointers", "41", getpeername(c, (struct sockaddr*)0xdeadbeef,
                                                    (int*)0xcafebabe));
    return 0;
  }
  // Row 6: nothing has called WSAStartup yet.
  Peer("never-started-invalid", "6", INVALID_SOCKET, 128);
  Peer("never-started-garbage", "6", (SOCKET)0x100, 128);
  WSASetLastError(PRESET);
  SOCKET early = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  ReportCall("never-started-socket", "6", early == INVALID_SOCKET ? -1 : 0);
  WSASetLastError(PRESET);
  ReportCall("never-started-cleanup", "6", WSACleanup());

  StartupCases();
  Startup();
  HandleCases();
  UdpCases();
  TcpCases();
  ConnectingCases();
  ExtensionCases();
  FamilyCases();
  AroundCases();
  LastErrorCases();

  // Rows 5 and 4: after the last WSACleanup, and an old handle after a new WSAStartup.
  SOCKET old = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  struct sockaddr_in to = V4("127.0.0.1", 139);
  connect(old, (struct sockaddr*)&to, sizeof(to));
  Startup();
  WSASetLastError(PRESET);
  int ret = WSACleanup();
  Fill();
  ReportCall("inner-cleanup", "5", ret);
  Peer("after-inner-cleanup", "5", old, 128);
  WSACleanup();
  Peer("after-last-cleanup", "5", old, 128);
  WSASetLastError(PRESET);
  ReportCall("extra-cleanup", "5", WSACleanup());
  Startup();
  Peer("old-socket-after-restart", "4", old, 128);
  WSACleanup();
  return 0;
}
