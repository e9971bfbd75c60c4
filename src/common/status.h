// Status and Result<T>: how every expected failure travels in Zhenxing.
//
// Expected failures (bad input, not found, conflicts, constraint violations)
// are returned, never thrown. A Status carries a code from a closed set and a
// message meant for the user, in Simplified Chinese, saying what was wrong and
// where. Result<T> holds either a value or a non-OK Status.
//
// Thread-safety: value types; safe to copy between threads.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace zx {

/// The closed set of error codes. HTTP mapping lives in one function later.
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad user input: a field, a row, a file
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,  // the state does not allow the operation
  kConflict,            // concurrent modification (row version mismatch)
  kPermissionDenied,    // outside the caller's division scope or role
  kResourceExhausted,   // size or evaluation limits
  kUnavailable,         // I/O, database busy
  kDataLoss,            // corruption detected
  kInternal,            // programmer error surfaced at runtime
};

/// English name of a code, for logs.
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  /// User-facing message (Simplified Chinese).
  const std::string& message() const { return message_; }
  /// "CODE: message", for logs and tests.
  std::string ToString() const;

  /// Returns a copy whose message is prefixed with `context` ("文件 x.csv：").
  Status WithContext(std::string_view context) const;

  bool operator==(const Status& other) const = default;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string msg) { return {StatusCode::kInvalidArgument, std::move(msg)}; }
inline Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
inline Status AlreadyExists(std::string msg) { return {StatusCode::kAlreadyExists, std::move(msg)}; }
inline Status FailedPrecondition(std::string msg) {
  return {StatusCode::kFailedPrecondition, std::move(msg)};
}
inline Status Conflict(std::string msg) { return {StatusCode::kConflict, std::move(msg)}; }
inline Status PermissionDenied(std::string msg) { return {StatusCode::kPermissionDenied, std::move(msg)}; }
inline Status ResourceExhausted(std::string msg) { return {StatusCode::kResourceExhausted, std::move(msg)}; }
inline Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
inline Status DataLoss(std::string msg) { return {StatusCode::kDataLoss, std::move(msg)}; }
inline Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }

/// Either a T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "Result constructed from an OK status without a value");
    if (status_.ok()) status_ = Internal("Result from OK status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace zx

#define ZX_CONCAT_INNER(a, b) a##b
#define ZX_CONCAT(a, b) ZX_CONCAT_INNER(a, b)

/// Returns the Status from the enclosing function if `expr` is not OK.
#define RETURN_IF_ERROR(expr)                        \
  do {                                               \
    ::zx::Status zx_status_tmp_ = (expr);            \
    if (!zx_status_tmp_.ok()) return zx_status_tmp_; \
  } while (0)

/// `ASSIGN_OR_RETURN(auto x, MakeX());` binds the value or returns the error.
#define ASSIGN_OR_RETURN(lhs, expr) ASSIGN_OR_RETURN_IMPL(ZX_CONCAT(zx_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()
