// File: stack/personality/windows/provider/chain_kind.h
// The base protocol entries a layered provider can be installed over (an LSP's install request
// names the chains it layers: WSCInstallProvider's protocol-info array, ws2spi.h); the
// scenario's `lsp ... chains=` spells them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace socksim::stack::windows_abi {

/// The base entries a layered provider can be installed on.
enum class ChainKind : std::uint8_t { kTcp, kUdp, kRaw, kTcp6, kUdp6, kRaw6, kUnix };

/// "tcp", "udp", "raw", "tcp6", "udp6", "raw6", "unix".
std::string_view ToString(ChainKind kind);
std::optional<ChainKind> ChainKindByName(std::string_view name);
/// Every kind, in catalog order of the base entries.
inline constexpr ChainKind kAllChainKinds[] = {ChainKind::kTcp,  ChainKind::kUdp,  ChainKind::kRaw,
                                               ChainKind::kTcp6, ChainKind::kUdp6, ChainKind::kRaw6,
                                               ChainKind::kUnix};

}  // namespace socksim::stack::windows_abi
