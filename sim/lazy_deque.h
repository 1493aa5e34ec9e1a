// File: sim/lazy_deque.h
// A double-ended queue that costs one pointer while empty. libstdc++'s std::deque allocates
// its map and a first block (about 600 bytes) even when nothing is ever queued, and a socket
// has two queues; a million idle sockets would spend more than a gigabyte on empty queues.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <utility>

namespace socksim::sim {

/// std::deque<T> allocated on first use and freed when it empties.
template <typename T>
class LazyDeque {
 public:
  LazyDeque() = default;
  LazyDeque(const LazyDeque& other)
      : items_(other.items_ ? std::make_unique<std::deque<T>>(*other.items_) : nullptr) {}
  LazyDeque& operator=(const LazyDeque& other) {
    if (this != &other) items_ = other.items_ ? std::make_unique<std::deque<T>>(*other.items_) : nullptr;
    return *this;
  }
  LazyDeque(LazyDeque&&) noexcept = default;
  LazyDeque& operator=(LazyDeque&&) noexcept = default;

  bool empty() const { return !items_ || items_->empty(); }
  std::size_t size() const { return items_ ? items_->size() : 0; }

  void push_back(T value) {
    if (!items_) items_ = std::make_unique<std::deque<T>>();
    items_->push_back(std::move(value));
  }
  /// Requires !empty().
  T& front() { return items_->front(); }
  const T& front() const { return items_->front(); }
  T& operator[](std::size_t i) { return (*items_)[i]; }
  const T& operator[](std::size_t i) const { return (*items_)[i]; }
  void pop_front() {
    items_->pop_front();
    if (items_->empty()) items_.reset();
  }
  void erase_at(std::size_t i) {
    items_->erase(items_->begin() + static_cast<std::ptrdiff_t>(i));
    if (items_->empty()) items_.reset();
  }
  void clear() { items_.reset(); }

  /// Iteration (front to back) over a snapshot-free view; do not modify while iterating.
  template <typename F>
  void ForEach(F&& f) {
    if (items_) {
      for (auto& item : *items_) f(item);
    }
  }
  template <typename F>
  void ForEach(F&& f) const {
    if (items_) {
      for (const auto& item : *items_) f(item);
    }
  }
  /// Moves every item out, leaving the queue empty.
  std::deque<T> TakeAll() {
    std::deque<T> out;
    if (items_) out = std::move(*items_);
    items_.reset();
    return out;
  }

 private:
  std::unique_ptr<std::deque<T>> items_;
};

}  // namespace socksim::sim
