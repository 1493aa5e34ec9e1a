// File: stack/personality/illumos/errno_table.h
// illumos errno numbers, names and strerror() texts, the TLI t_errno list, and the neutral
// Error -> errno map: the one table of the personality (values from abi.def).
#pragma once

#include <optional>
#include <string_view>

#include "stack/core/error.h"

namespace socksim::stack::illumos_abi {

/// One illumos errno (or t_errno): its number, its symbol, and its strerror()/t_strerror()
/// text.
struct ErrnoInfo {
  int value;
  std::string_view symbol;
  std::string_view message;

  friend bool operator==(const ErrnoInfo&, const ErrnoInfo&) = default;
};

/// The errno illumos reports for a neutral error.
ErrnoInfo ToErrno(Error error);

/// Looks up "ENOTCONN" (case-sensitive); "EWOULDBLOCK" resolves to EAGAIN.
std::optional<ErrnoInfo> ErrnoBySymbol(std::string_view symbol);
/// Looks up an errno number; nullopt for numbers not in the table.
std::optional<ErrnoInfo> ErrnoByValue(int value);

/// Looks up a t_errno ("TOUTSTATE") or its number.
std::optional<ErrnoInfo> TErrnoBySymbol(std::string_view symbol);
std::optional<ErrnoInfo> TErrnoByValue(int value);

}  // namespace socksim::stack::illumos_abi
