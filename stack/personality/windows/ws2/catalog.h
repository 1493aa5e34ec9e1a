// File: stack/personality/windows/ws2/catalog.h
// The protocol catalog (WSAEnumProtocols' list): the base entries the TCP/IP and AF_UNIX
// providers register, and the protocol chains layered providers add ahead of them. WSASocket
// takes the first entry that matches (family, type, protocol) (Wine test_WSASocket: "the first
// entry from WSAEnumProtocols that matches the protocol is returned"), so an installed chain
// wins over its base entry (reference (c) "Layers").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stack/personality/windows/provider/chain_kind.h"
#include "stack/personality/windows/provider/service_provider.h"
#include "stack/personality/windows/windows_release.h"

namespace socksim::stack::windows_abi {

/// One catalog entry (the fields of WSAPROTOCOL_INFOW the model uses).
struct CatalogEntry {
  int id = 0;  // dwCatalogEntryId
  ChainKind kind = ChainKind::kTcp;
  std::string description;      // szProtocol
  int family = 0;               // iAddressFamily
  int type = 0;                 // iSocketType
  int protocol = 0;             // iProtocol
  int protocol_max_offset = 0;  // iProtocolMaxOffset: protocols protocol..protocol+offset match
  bool matches_protocol_zero = false;  // PFL_MATCHES_PROTOCOL_ZERO
  ProviderChain chain;                 // ChainLen 1 for a base entry, > 1 for a layered chain
};

/// The catalog of one Winsock instance.
class Catalog {
 public:
  /// The base entries of `release`, served by `tcpip` (IP) and `afunix` (AF_UNIX from 10).
  Catalog(const WindowsRelease& release, ServiceProvider* tcpip, ServiceProvider* afunix);

  /// The entry WSASocket uses, or the error it fails with (WSAEINVAL, WSAESOCKTNOSUPPORT,
  /// WSAEAFNOSUPPORT, WSAEPROTONOSUPPORT), in Windows' order (Wine test_WSASocket's table).
  struct Match {
    const CatalogEntry* entry = nullptr;
    int error = 0;
  };
  Match Find(int af, int type, int protocol) const;

  /// Puts `provider` on top of the chain of each base entry of `kinds`: a new chain entry in
  /// front of the base entry (or on top of the chain a previous layered provider made there).
  void Layer(ServiceProvider* provider, const std::vector<ChainKind>& kinds);

  const std::vector<CatalogEntry>& entries() const { return entries_; }
  /// The entry with id `id`, or nullptr.
  const CatalogEntry* Entry(int id) const;

 private:
  std::vector<CatalogEntry> entries_;
  int next_layered_id_ = 2001;
};

}  // namespace socksim::stack::windows_abi
