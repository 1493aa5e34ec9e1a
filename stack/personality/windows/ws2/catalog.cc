// File: stack/personality/windows/ws2/catalog.cc
// The base catalog entries, the lookup WSASocket makes, and layered chains.
#include "stack/personality/windows/ws2/catalog.h"

#include <array>
#include <utility>

#include "stack/personality/windows/abi_constants.h"

namespace socksim::stack::windows_abi {
namespace {

// The base entries (ids from 1001 in registration order). The raw entries take protocols
// 0..255 and match protocol 0 (Wine test_WSASocket: iProtocolMaxOffset 255,
// PFL_MATCHES_PROTOCOL_ZERO | PFL_HIDDEN).
CatalogEntry Base(int id, ChainKind kind, const char* description, std::int64_t family,
                  std::int64_t type, std::int64_t protocol, int max_offset,
                  ServiceProvider* provider) {
  CatalogEntry e;
  e.id = id;
  e.kind = kind;
  e.description = description;
  e.family = static_cast<int>(family);
  e.type = static_cast<int>(type);
  e.protocol = static_cast<int>(protocol);
  e.protocol_max_offset = max_offset;
  e.matches_protocol_zero = true;
  e.chain.providers = {provider};
  e.chain.catalog_entry_id = id;
  return e;
}

bool ProtocolMatches(const CatalogEntry& e, int protocol) {
  if (protocol == 0) return e.matches_protocol_zero;
  return protocol >= e.protocol && protocol <= e.protocol + e.protocol_max_offset;
}

}  // namespace

Catalog::Catalog(const WindowsRelease& release, ServiceProvider* tcpip, ServiceProvider* afunix) {
  std::vector<CatalogEntry> v4 = {
      Base(1001, ChainKind::kTcp, "MSAFD Tcpip [TCP/IP]", kAfInet, kSockStream, kIpprotoTcp, 0,
           tcpip),
      Base(1002, ChainKind::kUdp, "MSAFD Tcpip [UDP/IP]", kAfInet, kSockDgram, kIpprotoUdp, 0,
           tcpip),
      Base(1003, ChainKind::kRaw, "MSAFD Tcpip [RAW/IP]", kAfInet, kSockRaw, 0, 255, tcpip),
  };
  std::vector<CatalogEntry> v6 = {
      Base(1004, ChainKind::kTcp6, "MSAFD Tcpip [TCP/IPv6]", kAfInet6, kSockStream, kIpprotoTcp, 0,
           tcpip),
      Base(1005, ChainKind::kUdp6, "MSAFD Tcpip [UDP/IPv6]", kAfInet6, kSockDgram, kIpprotoUdp, 0,
           tcpip),
      Base(1006, ChainKind::kRaw6, "MSAFD Tcpip [RAW/IPv6]", kAfInet6, kSockRaw, 0, 255, tcpip),
  };
  const auto& first = release.Ipv6EntriesFirst() ? v6 : v4;
  const auto& second = release.Ipv6EntriesFirst() ? v4 : v6;
  entries_.insert(entries_.end(), first.begin(), first.end());
  entries_.insert(entries_.end(), second.begin(), second.end());
  if (release.HasAfUnix()) {
    // The AF_UNIX provider of Windows 10 1803: stream sockets, protocol 0.
    entries_.push_back(Base(1007, ChainKind::kUnix, "AF_UNIX", kAfUnix, kSockStream, 0, 0, afunix));
  }
}

Catalog::Match Catalog::Find(int af, int type, int protocol) const {
  // Wine test_WSASocket (runs on Windows) fixes the order of the errors:
  // AF_UNSPEC with protocol 0 is WSAEINVAL whatever the type (tests 22-24, 28);
  if (af == kAfUnspec && protocol == 0) return {nullptr, kWSAEINVAL};
  // a type no entry has is WSAESOCKTNOSUPPORT, even with an unknown family (tests 2, 6, 8,
  // 12, 21);
  if (type != 0) {
    bool any = false;
    for (const auto& e : entries_) any = any || e.type == type;
    if (!any) return {nullptr, kWSAESOCKTNOSUPPORT};
  }
  // a family no entry of that type has is WSAEAFNOSUPPORT (tests 0, 1, 7, 9; a family that
  // lacks the type, like AF_BTH with SOCK_DGRAM, too);
  if (af != kAfUnspec) {
    bool any = false;
    for (const auto& e : entries_) any = any || (e.family == af && (type == 0 || e.type == type));
    if (!any) return {nullptr, kWSAEAFNOSUPPORT};
  }
  // the first entry that matches wins (tests 10-19, 25, 26); otherwise the protocol is
  // unknown (tests 4, 5, 15, 17, 18, 20, 27).
  for (const auto& e : entries_) {
    if ((af == kAfUnspec || e.family == af) && (type == 0 || e.type == type) &&
        ProtocolMatches(e, protocol)) {
      return {&e, 0};
    }
  }
  return {nullptr, kWSAEPROTONOSUPPORT};
}

void Catalog::Layer(ServiceProvider* provider, const std::vector<ChainKind>& kinds) {
  for (ChainKind kind : kinds) {
    // The entry calls for this kind reach first: a previous chain on top of it, else the base.
    for (auto& e : entries_) {
      if (e.kind != kind) continue;
      CatalogEntry layered = e;
      layered.id = next_layered_id_++;
      layered.description = std::string(provider->name()) + " over " + e.description;
      layered.chain.providers.insert(layered.chain.providers.begin(), provider);
      layered.chain.catalog_entry_id = layered.id;
      if (e.chain.providers.size() > 1) {
        // Replace the older chain: the newest layer is above every earlier one.
        e = std::move(layered);
      } else {
        const auto at = static_cast<std::size_t>(&e - entries_.data());
        entries_.insert(entries_.begin() + static_cast<std::ptrdiff_t>(at), std::move(layered));
      }
      break;
    }
  }
}

const CatalogEntry* Catalog::Entry(int id) const {
  for (const auto& e : entries_) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

}  // namespace socksim::stack::windows_abi
