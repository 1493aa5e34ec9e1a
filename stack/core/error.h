// File: stack/core/error.h
// Neutral errors (generated from error.def) and Result<T>, the return type of every neutral
// socket operation. Errno and WSA numbers never appear under stack/core.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "sim/expected.h"

namespace socksim::stack {

/// A reason a neutral socket operation failed. One byte, so that a socket's optional errors
/// (pending, termination) take two bytes each instead of eight.
enum class Error : std::uint8_t {
#define SOCKSIM_ERROR(name, text) k##name,
#include "stack/core/error.def"
#undef SOCKSIM_ERROR
};

/// Every Error value, in declaration order (for tables and exhaustive tests).
inline constexpr std::array kAllErrors = {
#define SOCKSIM_ERROR(name, text) Error::k##name,
#include "stack/core/error.def"
#undef SOCKSIM_ERROR
};

/// The CamelCase name ("NotConnected").
std::string_view ToString(Error error);
/// The one-line description from error.def.
std::string_view Describe(Error error);

/// The value or the neutral error of a socket operation.
template <typename T>
using Result = sim::Expected<T, Error>;
using sim::Ok;
using sim::Unexpected;

/// Shorthand for returning a failure: `return Fail(Error::kNotConnected);`
inline sim::Unexpected<Error> Fail(Error error) { return sim::Unexpected<Error>{error}; }

}  // namespace socksim::stack
