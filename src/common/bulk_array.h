// BulkArray<T>: millions of trivially copyable elements in anonymous memory
// with transparent huge pages asked for (a 280 MB array then costs a few
// hundred page faults, not 70,000), for the hot tables of a comparison
// (matching/compare.cc rows, matching/signals.h per-person totals).
//
// Two ways to fill it:
//   * Zeroed(n): n elements, all bytes zero (the kernel's zero pages; only
//     the pages written are ever touched) — T must be valid as all zeros;
//   * Reserve + push_back, or placement new into data() and then Resize:
//     nothing is initialised, every element is constructed before it is
//     read. Growing uses mremap, so nothing is copied.
//
// Thread-safety: as std::vector (distinct elements may be written by
// distinct threads; growing needs exclusive access).
#pragma once

#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace zx {

template <typename T>
class BulkArray {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  BulkArray() = default;
  BulkArray(BulkArray&& other) noexcept { *this = std::move(other); }
  BulkArray& operator=(BulkArray&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
    return *this;
  }
  BulkArray(const BulkArray&) = delete;
  BulkArray& operator=(const BulkArray&) = delete;
  ~BulkArray() { Release(); }

  /// `size` elements whose bytes are all zero.
  static BulkArray Zeroed(std::size_t size) {
    BulkArray array;
    array.Reserve(size);
    array.size_ = size;
    return array;
  }

  /// Room for `capacity` elements without moving (never shrinks).
  void Reserve(std::size_t capacity) {
    if (capacity <= capacity_) return;
    void* memory = data_ == nullptr
                       ? ::mmap(nullptr, capacity * sizeof(T), PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
                       : ::mremap(data_, capacity_ * sizeof(T), capacity * sizeof(T), MREMAP_MAYMOVE);
    if (memory == MAP_FAILED) throw std::bad_alloc();
    ::madvise(memory, capacity * sizeof(T), MADV_HUGEPAGE);
    data_ = static_cast<T*>(memory);
    capacity_ = capacity;
  }
  /// Hands the memory back; the array is empty afterwards.
  void Release() {
    if (data_ != nullptr) ::munmap(data_, capacity_ * sizeof(T));
    data_ = nullptr;
    size_ = capacity_ = 0;
  }

  T& push_back(const T& value) {
    if (size_ == capacity_) Reserve(std::max<std::size_t>(capacity_ * 2, std::size_t{1} << 16));
    return *new (data_ + size_++) T(value);
  }
  /// Sets the size (at most the capacity); every element below it must
  /// have been constructed.
  void Resize(std::size_t size) { size_ = std::min(size, capacity_); }

  T* data() { return data_; }
  const T* data() const { return data_; }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }
  T& operator[](std::size_t idx) { return data_[idx]; }
  const T& operator[](std::size_t idx) const { return data_[idx]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

 private:
  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace zx
