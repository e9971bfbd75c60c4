// What happens to one parsed request, without any socket: route matching,
// the auth middleware (session cookie → user and DivisionScope, CSRF on
// every method but GET/HEAD, the must-change-password gate, permissions),
// the handler call inside the one top-level catch, the error envelope,
// static files and the SPA fallback. server.cc feeds it from Beast.
//
// Thread-safety: Handle may run on many threads at once, each with its own
// ThreadResources.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/router.h"
#include "http/static_files.h"

namespace zx::http {

inline constexpr std::size_t kDefaultMaxBodyBytes = std::size_t{1} << 20;  // 1 MiB
inline constexpr std::size_t kImportMaxBodyBytes = std::size_t{64} << 20;  // 64 MiB

class Dispatcher {
 public:
  /// `static_files` may be null (no web app). `now` returns Unix seconds.
  Dispatcher(const Router& router, const StaticFiles* static_files, std::function<std::int64_t()> now = {});

  /// The body limit for a request line, decided before the body is read:
  /// the route's max_body_bytes, else 64 MiB under /api/v1/imports/, else 1 MiB.
  std::size_t BodyLimit(std::string_view method, std::string_view path) const;

  /// The response to `request`. `log_user` receives the acting username
  /// ("-" when anonymous) for the access log.
  Response Handle(const Request& request, ThreadResources& resources, std::string* log_user) const;

  std::int64_t Now() const { return now_(); }

 private:
  Result<Response> Authorise(const Route& route, const Request& request, RequestContext& context) const;

  const Router& router_;
  const StaticFiles* static_files_;
  std::function<std::int64_t()> now_;
};

/// The message of a 413 (Chinese, with the limit in MiB).
std::string BodyTooLargeMessage(std::size_t limit);

}  // namespace zx::http
