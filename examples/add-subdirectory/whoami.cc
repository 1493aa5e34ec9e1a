// File: whoami.cc
#include "whoami.h"

namespace whoami {

std::optional<Server> Server::Start(socksim::Process process, const socksim::Address& at) {
  const auto s = process.Socket(socksim::Domain::kInet, socksim::Type::kStream);
  if (!s.succeeded()) return std::nullopt;
  if (!process.Bind(s.value, at).succeeded() || !process.Listen(s.value).succeeded()) {
    return std::nullopt;
  }
  return Server(process, s.value);
}

bool Server::AnswerOne() {
  const auto conn = process_.Accept(listener_);
  if (!conn.succeeded() || !conn.address) return false;
  const bool sent = process_.Send(conn.value, conn.address->ToString()).succeeded();
  return process_.Close(conn.value).succeeded() && sent;
}

std::optional<socksim::Handle> Connect(socksim::Process& client, const socksim::Address& at,
                                       socksim::Result* last) {
  const auto s = client.Socket(socksim::Domain::kInet, socksim::Type::kStream);
  *last = s;
  if (!s.succeeded()) return std::nullopt;
  *last = client.Connect(s.value, at);
  if (!last->succeeded()) return std::nullopt;
  return s.value;
}

Answer ReadAnswer(socksim::Process& client, socksim::Handle s) {
  Answer a;
  a.last = client.Recv(s);
  if (a.last.succeeded()) a.seen_by_server = a.last.data;
  a.own_name = client.GetSockName(s).address;
  (void)client.Close(s);
  return a;
}

}  // namespace whoami
