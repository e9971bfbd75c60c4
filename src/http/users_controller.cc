// /api/v1/users*: user management inside the acting user's subtree. Every
// store call takes the actor's scope, so a user outside it answers 404 like
// a missing one; nobody grants a role with more power than its own
// (CheckCanGrant), and nobody changes its own role, division or status.
#include <fmt/format.h>

#include "http/auth.h"
#include "http/dto.h"
#include "http/envelope.h"
#include "http/router.h"

namespace zx::http {
namespace {

Status AuditUser(RequestContext& ctx, AuditAction action, const User& target, std::string detail) {
  return ctx.RecordAudit(action, target.username, target.division_code, std::move(detail));
}

Result<Role> ParseRoleField(const std::string& code) {
  Role role;
  if (!ParseRole(code, &role)) {
    return InvalidArgument(
        "字段 role 的值“" + code +
        "”无效：应为 province、prefecture、county、township、village、department 或 auditor");
  }
  return role;
}

// The level of a division in the actor's scope; NotFound otherwise (no leak).
Result<DivisionLevel> LevelInScope(const RequestContext& ctx, DivisionCode code) {
  const Division* division = ctx.divisions().Find(code);
  if (division == nullptr || !ctx.scope().Contains(code)) {
    return NotFound(fmt::format("行政区划 {} 不存在", code));
  }
  return division->level;
}

Result<Response> ListUsers(RequestContext& ctx) {
  ASSIGN_OR_RETURN(Paging paging, ParsePaging(ctx.request()));
  ASSIGN_OR_RETURN(AccountStore * accounts, ctx.accounts());
  ASSIGN_OR_RETURN(UserPage page, accounts->ListUsers(ctx.scope(), std::string(ctx.Query("keyword")),
                                                      paging.offset(), paging.page_size));
  Json rows = Json::array();
  const std::int64_t now = ctx.Now();
  for (const User& user : page.rows) rows.push_back(UserJson(user, ctx.divisions(), now));
  return JsonPage(std::move(rows), page.total);
}

Result<Response> GetUser(RequestContext& ctx) {
  ASSIGN_OR_RETURN(AccountStore * accounts, ctx.accounts());
  const std::string username(ctx.Param("username"));
  ASSIGN_OR_RETURN(std::optional<User> user, accounts->GetUser(ctx.scope(), username));
  if (!user) return NotFound("用户 " + username + " 不存在");
  return JsonOk(UserJson(*user, ctx.divisions(), ctx.Now()));
}

Result<Response> CreateUser(RequestContext& ctx) {
  ASSIGN_OR_RETURN(Json body, ParseJsonBody(ctx.request()));
  NewUser user;
  ASSIGN_OR_RETURN(user.username, RequiredString(body, "username"));
  ASSIGN_OR_RETURN(user.display_name, RequiredString(body, "display_name"));
  ASSIGN_OR_RETURN(std::string role_code, RequiredString(body, "role"));
  ASSIGN_OR_RETURN(user.role, ParseRoleField(role_code));
  ASSIGN_OR_RETURN(std::string division_text, RequiredString(body, "division_code"));
  ASSIGN_OR_RETURN(user.division_code, ParseDivisionCode(division_text, "division_code"));
  ASSIGN_OR_RETURN(std::string password, RequiredString(body, "password"));
  ASSIGN_OR_RETURN(DivisionLevel level, LevelInScope(ctx, user.division_code));
  RETURN_IF_ERROR(CheckCanGrant(*ctx.user(), user.role, level));
  RETURN_IF_ERROR(CheckPasswordRule(password));
  ASSIGN_OR_RETURN(user.password_hash, HashPassword(password));
  user.must_change_password = true;  // the initial password is known to the creator
  ASSIGN_OR_RETURN(AccountStore * accounts, ctx.accounts());
  ASSIGN_OR_RETURN(User created, accounts->CreateUser(ctx.scope(), user, ctx.Now()));
  RETURN_IF_ERROR(
      AuditUser(ctx, AuditAction::kUserCreated, created,
                fmt::format("role {} division {}", RoleCode(created.role), created.division_code)));
  return JsonOk(UserJson(created, ctx.divisions(), ctx.Now()));
}

Result<Response> UpdateUser(RequestContext& ctx) {
  ASSIGN_OR_RETURN(Json body, ParseJsonBody(ctx.request()));
  const std::string username(ctx.Param("username"));
  ASSIGN_OR_RETURN(AccountStore * accounts, ctx.accounts());
  ASSIGN_OR_RETURN(std::optional<User> existing, accounts->GetUser(ctx.scope(), username));
  if (!existing) return NotFound("用户 " + username + " 不存在");
  UserUpdate update;
  ASSIGN_OR_RETURN(update.display_name, OptionalString(body, "display_name"));
  ASSIGN_OR_RETURN(std::optional<std::string> role_code, OptionalString(body, "role"));
  if (role_code) {
    ASSIGN_OR_RETURN(Role role, ParseRoleField(*role_code));
    update.role = role;
  }
  ASSIGN_OR_RETURN(std::optional<std::string> division_text, OptionalString(body, "division_code"));
  if (division_text) {
    ASSIGN_OR_RETURN(DivisionCode code, ParseDivisionCode(*division_text, "division_code"));
    update.division_code = code;
  }
  ASSIGN_OR_RETURN(update.disabled, OptionalBool(body, "disabled"));
  const bool changes_power = update.role || update.division_code || update.disabled;
  if (changes_power && existing->id == ctx.user()->id) {
    return PermissionDenied("不能修改自己的角色、所属区划或停用状态");
  }
  // The actor must be able to grant both the user's current powers and the new ones.
  RETURN_IF_ERROR(CheckCanGrant(*ctx.user(), existing->role, existing->division_level));
  if (changes_power) {
    DivisionLevel level = existing->division_level;
    if (update.division_code) {
      ASSIGN_OR_RETURN(level, LevelInScope(ctx, *update.division_code));
    }
    RETURN_IF_ERROR(CheckCanGrant(*ctx.user(), update.role.value_or(existing->role), level));
  }
  ASSIGN_OR_RETURN(User updated, accounts->UpdateUser(ctx.scope(), username, update));
  RETURN_IF_ERROR(AuditUser(ctx, AuditAction::kUserUpdated, updated,
                            fmt::format("role {} division {} disabled {}", RoleCode(updated.role),
                                        updated.division_code, updated.disabled)));
  return JsonOk(UserJson(updated, ctx.divisions(), ctx.Now()));
}

Result<Response> ResetPassword(RequestContext& ctx) {
  ASSIGN_OR_RETURN(Json body, ParseJsonBody(ctx.request()));
  ASSIGN_OR_RETURN(std::string password, RequiredString(body, "password"));
  const std::string username(ctx.Param("username"));
  ASSIGN_OR_RETURN(AccountStore * accounts, ctx.accounts());
  ASSIGN_OR_RETURN(std::optional<User> existing, accounts->GetUser(ctx.scope(), username));
  if (!existing) return NotFound("用户 " + username + " 不存在");
  RETURN_IF_ERROR(CheckCanGrant(*ctx.user(), existing->role, existing->division_level));
  RETURN_IF_ERROR(CheckPasswordRule(password));
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  // A reset password is known to the administrator: the user must change it.
  RETURN_IF_ERROR(accounts->SetPassword(ctx.scope(), username, hash, true, ""));
  RETURN_IF_ERROR(AuditUser(ctx, AuditAction::kPasswordReset, *existing, ""));
  return JsonOk();
}

Result<Response> Unlock(RequestContext& ctx) {
  const std::string username(ctx.Param("username"));
  ASSIGN_OR_RETURN(AccountStore * accounts, ctx.accounts());
  ASSIGN_OR_RETURN(std::optional<User> existing, accounts->GetUser(ctx.scope(), username));
  if (!existing) return NotFound("用户 " + username + " 不存在");
  RETURN_IF_ERROR(accounts->ClearFailedLogins(ctx.scope(), username));
  RETURN_IF_ERROR(AuditUser(ctx, AuditAction::kUserUnlocked, *existing, ""));
  return JsonOk();
}

void RegisterUserRoutes(Router& router) {
  router.Add("GET", "/api/v1/users", ListUsers, RouteOptions::Permission("system:user:list"));
  router.Add("POST", "/api/v1/users", CreateUser, RouteOptions::Permission("system:user:add"));
  router.Add("GET", "/api/v1/users/{username}", GetUser, RouteOptions::Permission("system:user:list"));
  router.Add("PUT", "/api/v1/users/{username}", UpdateUser, RouteOptions::Permission("system:user:edit"));
  router.Add("POST", "/api/v1/users/{username}/reset-password", ResetPassword,
             RouteOptions::Permission("system:user:reset"));
  router.Add("POST", "/api/v1/users/{username}/unlock", Unlock,
             RouteOptions::Permission("system:user:unlock"));
}

ZX_REGISTER_CONTROLLER(RegisterUserRoutes);

}  // namespace
}  // namespace zx::http
