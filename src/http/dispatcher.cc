#include "http/dispatcher.h"

#include <fmt/format.h>

#include <chrono>
#include <exception>
#include <iostream>

#include "http/auth.h"
#include "http/envelope.h"
#include "http/http_util.h"

namespace zx::http {
namespace {

std::int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool IsApi(std::string_view path) { return path == "/api" || path.starts_with("/api/"); }

void LogError(const Request& request, std::string_view what) {
  std::cerr << fmt::format("ERROR {} {}: {}\n", request.method, request.path, what);
}

}  // namespace

std::string BodyTooLargeMessage(std::size_t limit) {
  return fmt::format("请求体过大：上限为 {} MiB", limit >> 20);
}

Dispatcher::Dispatcher(const Router& router, const StaticFiles* static_files,
                       std::function<std::int64_t()> now)
    : router_(router), static_files_(static_files), now_(now ? std::move(now) : SystemNow) {}

std::size_t Dispatcher::BodyLimit(std::string_view method, std::string_view path) const {
  RouteMatch match = router_.Match(method, path);
  if (match.route != nullptr && match.route->options.max_body_bytes != 0)
    return match.route->options.max_body_bytes;
  if (path.starts_with("/api/v1/imports/")) return kImportMaxBodyBytes;
  return kDefaultMaxBodyBytes;
}

Result<Response> Dispatcher::Authorise(const Route& route, const Request& request,
                                       RequestContext& context) const {
  // Resolve the session when a cookie is present (even on public routes, so
  // /auth/login can replace an old session and handlers can see the user).
  std::optional<std::string> token = CookieValue(request.Header("cookie"), kSessionCookieName);
  if (token && !token->empty()) {
    ASSIGN_OR_RETURN(AccountStore * accounts, context.accounts());
    ASSIGN_OR_RETURN(auto found, accounts->TouchSession(Sha256Hex(*token), now_()));
    if (found) context.SetUserForServer(std::move(found->second), std::move(found->first));
  }
  if (route.options.access == Access::kPublic) return Response{};
  const User* user = context.user();
  if (user == nullptr) return ErrorResponse(401, "未登录或登录已过期，请重新登录");
  if (request.method != "GET" && request.method != "HEAD") {
    std::string_view sent = request.Header("x-csrf-token");
    if (sent.empty() || !SecretsEqual(sent, context.session()->csrf_token)) {
      return ErrorResponse(403, "缺少或错误的 CSRF 令牌");
    }
  }
  if (user->must_change_password && route.options.access != Access::kAllowPasswordChange) {
    return ErrorResponse(403, "请先修改初始密码");
  }
  if (!route.options.permission.empty() && !HasPermission(user->role, route.options.permission)) {
    return ErrorResponse(403, fmt::format("没有权限：角色“{}”不能执行此操作（{}）", RoleLabel(user->role),
                                          route.options.permission));
  }
  return Response{};
}

Response Dispatcher::Handle(const Request& request, ThreadResources& resources, std::string* log_user) const {
  log_user->assign(1, '-');
  RouteMatch match = router_.Match(request.method, request.path);
  if (match.route == nullptr) {
    if (IsApi(request.path)) {
      if (match.path_matched)
        return ErrorResponse(405, "接口 " + request.path + " 不支持方法 " + request.method);
      return ErrorResponse(404, "接口不存在：" + request.path);
    }
    if ((request.method == "GET" || request.method == "HEAD") && static_files_ != nullptr) {
      return static_files_->Serve(request);
    }
    return ErrorResponse(404, "页面不存在：" + request.path);
  }
  RequestContext context(request, resources);
  context.SetParamsForServer(std::move(match.params));
  // The one top-level catch of a request: a stray exception is a bug, turned
  // into a 500 and a log line rather than a dead worker.
  try {
    Result<Response> gate = Authorise(*match.route, request, context);
    *log_user = context.LogUser();
    if (!gate.ok()) return ErrorFromStatus(gate.status());
    if (gate->status != 200) return std::move(gate).value();
    Result<Response> result = match.route->handler(context);
    *log_user = context.LogUser();
    if (!result.ok()) {
      if (result.status().code() == StatusCode::kInternal ||
          result.status().code() == StatusCode::kDataLoss) {
        LogError(request, result.status().ToString());
      }
      return ErrorFromStatus(result.status());
    }
    return std::move(result).value();
  } catch (const std::exception& error) {
    LogError(request, std::string("uncaught exception: ") + error.what());
  } catch (...) {
    LogError(request, "uncaught non-standard exception");
  }
  return ErrorResponse(500, "服务器内部错误，请稍后重试或联系管理员");
}

}  // namespace zx::http
