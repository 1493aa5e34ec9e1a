// File: tools/scenario/boxed.h
// A member that most objects of a type leave empty, held out of line: a pointer's room where
// the member would take its full size. A parsed log holds millions of lines and values, and
// each kind of line (or each rarely written part of a value) used by few of them cost every
// one its full size when it sat inline.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace socksim::tools {

/// A `T` with value semantics (copies copy the `T`), stored on the heap only once written.
/// Reading an unwritten one gives a default-constructed `T`; so does reading a moved-from one.
template <class T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(const Boxed& other) : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& other) {
    if (this != &other) value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  Boxed& operator=(T value) {
    Mutable() = std::move(value);
    return *this;
  }
  ~Boxed() = default;

  /// The value, or a default `T` when none was written.
  const T& Get() const { return value_ ? *value_ : Empty(); }
  /// The value for writing, made (default) on first use.
  T& Mutable() {
    if (!value_) value_ = std::make_unique<T>();
    return *value_;
  }
  /// Whether a value was written (it may still equal a default `T`).
  bool written() const { return value_ != nullptr; }

 private:
  static const T& Empty() {
    static const T empty{};
    return empty;
  }

  std::unique_ptr<T> value_;
};

/// A string that most objects leave empty (a value's decoration, tag or annotation): 8 bytes
/// where a std::string takes 32, with the heap used only for a non-empty one. It reads as a
/// `const std::string&`, so code that reads the member is written as for a string.
class BoxedString {
 public:
  BoxedString() = default;
  // Implicit, as a member that was a std::string is assigned from strings and literals.
  BoxedString(std::string value) { *this = std::move(value); }
  BoxedString(const char* value) : BoxedString(std::string(value)) {}

  /// Stores `value`; an empty one frees what was stored.
  BoxedString& operator=(std::string value) {
    if (value.empty()) {
      value_ = Boxed<std::string>();
    } else {
      value_ = std::move(value);
    }
    return *this;
  }
  BoxedString& operator=(const char* value) { return *this = std::string(value); }
  /// Appends (an error symbol's further codes: "TSYSERR" then " ENOTCONN").
  BoxedString& operator+=(std::string_view more) {
    if (!more.empty()) value_.Mutable().append(more);
    return *this;
  }
  BoxedString& operator+=(char c) { return *this += std::string_view(&c, 1); }

  /// The string ("" when none was stored).
  const std::string& str() const { return value_.Get(); }
  operator const std::string&() const { return str(); }
  operator std::string_view() const { return str(); }
  bool empty() const { return !value_.written(); }
  std::size_t size() const { return str().size(); }
  void clear() { value_ = Boxed<std::string>(); }

  friend bool operator==(const BoxedString& a, const BoxedString& b) { return a.str() == b.str(); }
  friend bool operator==(const BoxedString& a, const std::string& b) { return a.str() == b; }
  friend bool operator==(const BoxedString& a, std::string_view b) { return a.str() == b; }
  friend bool operator==(const BoxedString& a, const char* b) { return a.str() == b; }

 private:
  Boxed<std::string> value_;
};

/// A vector that most objects leave empty (a value's flags, which only a symbol has): 8 bytes
/// where a std::vector takes 24. It reads as a `const std::vector<T>&` and takes the few
/// writes the members had (push_back, emplace_back, assignment).
template <class T>
class BoxedVector {
 public:
  using value_type = T;
  using iterator = typename std::vector<T>::const_iterator;
  using const_iterator = typename std::vector<T>::const_iterator;

  BoxedVector() = default;
  BoxedVector(std::vector<T> items) { *this = std::move(items); }

  /// Stores `items`; an empty list frees what was stored.
  BoxedVector& operator=(std::vector<T> items) {
    if (items.empty()) {
      items_ = Boxed<std::vector<T>>();
    } else {
      items_ = std::move(items);
    }
    return *this;
  }
  void push_back(T item) { items_.Mutable().push_back(std::move(item)); }
  template <class... Args>
  T& emplace_back(Args&&... args) {
    return items_.Mutable().emplace_back(std::forward<Args>(args)...);
  }
  void clear() { items_ = Boxed<std::vector<T>>(); }

  const std::vector<T>& get() const { return items_.Get(); }
  operator const std::vector<T>&() const { return get(); }
  const_iterator begin() const { return get().begin(); }
  const_iterator end() const { return get().end(); }
  std::size_t size() const { return get().size(); }
  bool empty() const { return !items_.written() || get().empty(); }
  const T& operator[](std::size_t i) const { return get()[i]; }
  const T& front() const { return get().front(); }
  const T& back() const { return get().back(); }

  friend bool operator==(const BoxedVector& a, const BoxedVector& b) { return a.get() == b.get(); }
  friend bool operator==(const BoxedVector& a, const std::vector<T>& b) { return a.get() == b; }

 private:
  Boxed<std::vector<T>> items_;
};

}  // namespace socksim::tools
