// File: echo.cc
#include "echo.h"

namespace echo {

std::optional<socksim::Handle> Listen(socksim::Process& server, const socksim::Address& at) {
  const auto domain = at.kind() == socksim::Address::Kind::kInet6 ? socksim::Domain::kInet6
                                                                  : socksim::Domain::kInet;
  const auto s = server.Socket(domain, socksim::Type::kStream);
  if (!s.succeeded()) return std::nullopt;
  if (!server.Bind(s.value, at).succeeded() || !server.Listen(s.value).succeeded()) {
    return std::nullopt;
  }
  return s.value;
}

bool ServeOne(socksim::Process& server, socksim::Handle listener,
              std::optional<socksim::Address>* peer) {
  const auto conn = server.Accept(listener);
  if (!conn.succeeded()) return false;
  if (peer) *peer = conn.address;
  const auto got = server.Recv(conn.value);
  const bool ok = got.succeeded() && server.Send(conn.value, got.data).succeeded();
  (void)server.Close(conn.value);
  return ok;
}

Sent Send(socksim::Process& client, const socksim::Address& server_at, std::string_view message) {
  const auto domain = server_at.kind() == socksim::Address::Kind::kInet6 ? socksim::Domain::kInet6
                                                                         : socksim::Domain::kInet;
  const auto s = client.Socket(domain, socksim::Type::kStream);
  if (!s.succeeded()) return {std::nullopt, s};
  const auto c = client.Connect(s.value, server_at);
  if (!c.succeeded()) return {std::nullopt, c};
  const auto w = client.Send(s.value, message);
  if (!w.succeeded()) return {std::nullopt, w};
  return {s.value, w};
}

socksim::Result Reply(socksim::Process& client, socksim::Handle socket) {
  return client.Recv(socket);
}

}  // namespace echo
