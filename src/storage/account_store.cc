// Role tables and OpenAccountStore: picks the backend from the location.
// Only this file and src/storage/sqlite know that SQLite exists.
#include "storage/account_store.h"

#include <fmt/format.h>

#include <array>

#include "storage/sqlite/account_store_sqlite.h"
#include "storage/store.h"

namespace zx {
namespace {

struct RoleInfo {
  Role role;
  std::string_view code;
  std::string_view label;
  std::optional<DivisionLevel> level;
};

constexpr std::array<RoleInfo, 7> kRoles = {{
    {Role::kProvince, "province", "省级管理员", DivisionLevel::kProvince},
    {Role::kPrefecture, "prefecture", "市州级用户", DivisionLevel::kPrefecture},
    {Role::kCounty, "county", "县级用户", DivisionLevel::kCounty},
    {Role::kTownship, "township", "乡镇级用户", DivisionLevel::kTownship},
    {Role::kVillage, "village", "村级用户", DivisionLevel::kVillage},
    {Role::kDepartment, "department", "部门数据上传员", std::nullopt},
    {Role::kAuditor, "auditor", "审计员（只读）", std::nullopt},
}};

constexpr std::array<Role, 7> kAllRoles = {Role::kProvince, Role::kPrefecture, Role::kCounty, Role::kTownship,
                                           Role::kVillage,  Role::kDepartment, Role::kAuditor};

const RoleInfo& InfoOf(Role role) {
  for (const RoleInfo& info : kRoles) {
    if (info.role == role) return info;
  }
  return kRoles.back();
}

}  // namespace

std::string_view RoleCode(Role role) { return InfoOf(role).code; }
std::string_view RoleLabel(Role role) { return InfoOf(role).label; }
std::optional<DivisionLevel> RequiredLevel(Role role) { return InfoOf(role).level; }
std::span<const Role> AllRoles() { return kAllRoles; }

bool ParseRole(std::string_view code, Role* out) {
  for (const RoleInfo& info : kRoles) {
    if (info.code == code) {
      *out = info.role;
      return true;
    }
  }
  return false;
}

std::string_view AuditActionCode(AuditAction action) {
  switch (action) {
    case AuditAction::kLogin:
      return "login";
    case AuditAction::kLoginFailed:
      return "login_failed";
    case AuditAction::kLogout:
      return "logout";
    case AuditAction::kPasswordChanged:
      return "password_changed";
    case AuditAction::kUserCreated:
      return "user_created";
    case AuditAction::kUserUpdated:
      return "user_updated";
    case AuditAction::kPasswordReset:
      return "password_reset";
    case AuditAction::kUserUnlocked:
      return "user_unlocked";
    case AuditAction::kUnmask:
      return "unmask";
    case AuditAction::kImport:
      return "import";
    case AuditAction::kExport:
      return "export";
  }
  return "unknown";
}

Result<std::unique_ptr<AccountStore>> OpenAccountStore(const std::string& location) {
  ASSIGN_OR_RETURN(StoreLocation parsed, ParseStoreLocation(location));
  if (parsed.backend == StoreLocation::Backend::kPostgres) {
    return FailedPrecondition(
        fmt::format("数据库地址 {}：PostgreSQL 后端尚未提供，目前只支持 SQLite 数据库文件", location));
  }
  ASSIGN_OR_RETURN(auto store, sqlite::SqliteAccountStore::Open(parsed.target));
  return std::unique_ptr<AccountStore>(std::move(store));
}

}  // namespace zx
