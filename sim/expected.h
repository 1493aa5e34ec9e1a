// File: sim/expected.h
// A minimal value-or-error type (C++23's std::expected is not in the Debian 12 toolchain).
// Simulated failures are values, never exceptions; misuse of an Expected is a programmer
// error and throws std::logic_error.
#pragma once

#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

namespace socksim::sim {

/// Wraps an error value so that it can be returned where an Expected<T, E> is expected.
template <typename E>
struct Unexpected {
  E error;
};

template <typename E>
Unexpected(E) -> Unexpected<E>;

/// Holds either a T (success) or an E (failure).
template <typename T, typename E>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : data_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Expected(Unexpected<E> e) : data_(std::in_place_index<1>, std::move(e.error)) {}  // NOLINT

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    if (!ok()) throw std::logic_error("Expected::value() on an error");
    return std::get<0>(data_);
  }
  const T& value() const& {
    if (!ok()) throw std::logic_error("Expected::value() on an error");
    return std::get<0>(data_);
  }
  T&& value() && {
    if (!ok()) throw std::logic_error("Expected::value() on an error");
    return std::get<0>(std::move(data_));
  }
  const E& error() const {
    if (ok()) throw std::logic_error("Expected::error() on a value");
    return std::get<1>(data_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, E> data_;
};

/// The value-less success type for Expected<Ok, E>.
struct Ok {
  friend bool operator==(Ok, Ok) { return true; }
};

}  // namespace socksim::sim
