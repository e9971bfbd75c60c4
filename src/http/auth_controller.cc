// /api/v1/auth/*: login, logout, me, password change.
#include <fmt/format.h>

#include "http/auth.h"
#include "http/dto.h"
#include "http/envelope.h"
#include "http/router.h"

namespace zx::http {
namespace {

Status Audit(AccountStore* accounts, const RequestContext& ctx, const std::string& actor,
             DivisionCode division, AuditAction action, const std::string& detail = "") {
  AuditEvent event;
  event.at = ctx.Now();
  event.actor = actor;
  event.actor_division = division;
  event.action = action;
  event.target = actor;
  event.target_division = division;
  event.detail = detail;
  event.remote_address = ctx.request().remote_address;
  return accounts->AppendAudit(event);
}

Result<Response> Login(RequestContext& ctx) {
  ASSIGN_OR_RETURN(Json body, ParseJsonBody(ctx.request()));
  ASSIGN_OR_RETURN(std::string username, RequiredString(body, "username"));
  ASSIGN_OR_RETURN(std::string password, RequiredString(body, "password"));
  if (password.size() > 1024) return InvalidArgument("密码过长");
  ASSIGN_OR_RETURN(AccountStore * accounts, ctx.accounts());
  const std::int64_t now = ctx.Now();
  ASSIGN_OR_RETURN(std::optional<User> found, accounts->GetUser(DivisionScope::All(), username));
  const Status wrong = Status(StatusCode::kInvalidArgument, "用户名或密码错误");
  if (!found) {
    VerifyDummyPassword(password);  // same cost as a real check: no username probing by timing
    RETURN_IF_ERROR(Audit(accounts, ctx, username, 0, AuditAction::kLoginFailed, "unknown user"));
    return ErrorResponse(401, wrong.message());
  }
  const User& user = *found;
  if (user.IsLocked(now)) {
    RETURN_IF_ERROR(Audit(accounts, ctx, username, user.division_code, AuditAction::kLoginFailed, "locked"));
    return ResourceExhausted(
        fmt::format("登录失败次数过多，账号已锁定，请在 {} 分钟后重试", (user.locked_until - now + 59) / 60));
  }
  if (!VerifyPassword(password, user.password_hash)) {
    ASSIGN_OR_RETURN(FailedLoginOutcome outcome, accounts->RecordFailedLogin(username, now));
    RETURN_IF_ERROR(Audit(accounts, ctx, username, user.division_code, AuditAction::kLoginFailed,
                          fmt::format("wrong password, failures {}", outcome.failed_logins)));
    if (outcome.locked) {
      return ResourceExhausted(fmt::format("登录失败次数过多，账号已锁定 {} 分钟", kLockSeconds / 60));
    }
    return ErrorResponse(401, wrong.message());
  }
  if (user.disabled) {
    RETURN_IF_ERROR(
        Audit(accounts, ctx, username, user.division_code, AuditAction::kLoginFailed, "disabled"));
    return PermissionDenied("账号已停用，请联系管理员");
  }
  RETURN_IF_ERROR(accounts->ClearFailedLogins(DivisionScope::All(), username));
  // Replace any session the browser still holds.
  if (const Session* old = ctx.session()) RETURN_IF_ERROR(accounts->DeleteSession(old->token_sha256));
  ASSIGN_OR_RETURN(std::string token, RandomHex(32));  // 256 bits
  ASSIGN_OR_RETURN(std::string csrf, RandomHex(16));
  Session session{Sha256Hex(token), user.id, csrf, now, now};
  RETURN_IF_ERROR(accounts->CreateSession(session));
  RETURN_IF_ERROR(Audit(accounts, ctx, username, user.division_code, AuditAction::kLogin));
  User fresh = user;
  fresh.failed_logins = 0;
  fresh.locked_until = 0;
  Response response = JsonOk(Json{{"user", UserJson(fresh, ctx.divisions(), now)}, {"csrf_token", csrf}});
  response.headers.emplace_back("Set-Cookie", SessionCookie(token));
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

Result<Response> Logout(RequestContext& ctx) {
  ASSIGN_OR_RETURN(AccountStore * accounts, ctx.accounts());
  RETURN_IF_ERROR(accounts->DeleteSession(ctx.session()->token_sha256));
  RETURN_IF_ERROR(
      Audit(accounts, ctx, ctx.user()->username, ctx.user()->division_code, AuditAction::kLogout));
  Response response = JsonOk();
  response.headers.emplace_back("Set-Cookie", ClearSessionCookie());
  return response;
}

Result<Response> Me(RequestContext& ctx) {
  Response response = JsonOk(Json{{"user", UserJson(*ctx.user(), ctx.divisions(), ctx.Now())},
                                  {"csrf_token", ctx.session()->csrf_token}});
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

Result<Response> ChangePassword(RequestContext& ctx) {
  ASSIGN_OR_RETURN(Json body, ParseJsonBody(ctx.request()));
  ASSIGN_OR_RETURN(std::string old_password, RequiredString(body, "old_password"));
  ASSIGN_OR_RETURN(std::string new_password, RequiredString(body, "new_password"));
  const User& user = *ctx.user();
  if (!VerifyPassword(old_password, user.password_hash)) return InvalidArgument("原密码错误");
  RETURN_IF_ERROR(CheckPasswordRule(new_password));
  if (new_password == old_password) return InvalidArgument("新密码不能与原密码相同");
  ASSIGN_OR_RETURN(std::string hash, HashPassword(new_password));
  ASSIGN_OR_RETURN(AccountStore * accounts, ctx.accounts());
  // Other sessions of this user end; this one stays.
  RETURN_IF_ERROR(
      accounts->SetPassword(DivisionScope::All(), user.username, hash, false, ctx.session()->token_sha256));
  RETURN_IF_ERROR(Audit(accounts, ctx, user.username, user.division_code, AuditAction::kPasswordChanged));
  return JsonOk();
}

void RegisterAuthRoutes(Router& router) {
  router.Add("POST", "/api/v1/auth/login", Login, RouteOptions::Public());
  router.Add("POST", "/api/v1/auth/logout", Logout, RouteOptions::AllowPasswordChange());
  router.Add("GET", "/api/v1/auth/me", Me, RouteOptions::AllowPasswordChange());
  router.Add("POST", "/api/v1/auth/password", ChangePassword, RouteOptions::AllowPasswordChange());
}

ZX_REGISTER_CONTROLLER(RegisterAuthRoutes);

}  // namespace
}  // namespace zx::http
