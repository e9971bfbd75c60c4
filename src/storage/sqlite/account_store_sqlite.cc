#include "storage/sqlite/account_store_sqlite.h"

#include <fmt/format.h>

#include "domain/code_tables.h"
#include "storage/sqlite/sqlite_store.h"

namespace zx::sqlite {
namespace {

// Column list shared by every user query; ReadUser follows this order.
#define ZX_USER_COLUMNS                                                              \
  "id, username, display_name, role, division_code, division_level, password_hash, " \
  "must_change_password, disabled, failed_logins, first_failure_at, locked_until, created_at"

User ReadUser(const Statement& row) {
  User user;
  user.id = row.ColumnInt(0);
  user.username = std::string(row.ColumnText(1));
  user.display_name = std::string(row.ColumnText(2));
  user.role = static_cast<Role>(row.ColumnInt(3));
  user.division_code = row.ColumnInt(4);
  user.division_level = static_cast<DivisionLevel>(row.ColumnInt(5));
  user.password_hash = std::string(row.ColumnText(6));
  user.must_change_password = row.ColumnBool(7);
  user.disabled = row.ColumnBool(8);
  user.failed_logins = static_cast<int>(row.ColumnInt(9));
  user.first_failure_at = row.ColumnInt(10);
  user.locked_until = row.ColumnInt(11);
  user.created_at = row.ColumnInt(12);
  return user;
}

// Escapes LIKE wildcards so a keyword matches literally.
std::string LikePattern(const std::string& keyword) {
  std::string pattern = "%";
  for (char c : keyword) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  return pattern;
}

Status ValidateUsername(const std::string& username) {
  if (username.empty() || username.size() > 64) return InvalidArgument("用户名长度须为 1 至 64 个字符");
  for (char c : username) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '.' || c == '-';
    if (!ok)
      return InvalidArgument("用户名 " + username +
                             " 含有不允许的字符：只能使用字母、数字、下划线、点和连字符");
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<SqliteAccountStore>> SqliteAccountStore::Open(const std::string& path) {
  ASSIGN_OR_RETURN(auto db, OpenConfiguredDb(path));
  return std::unique_ptr<SqliteAccountStore>(new SqliteAccountStore(std::move(db)));
}

Result<std::optional<DivisionLevel>> SqliteAccountStore::DivisionLevelInScope(const DivisionScope& scope,
                                                                              DivisionCode code) {
  if (!scope.Contains(code)) return std::optional<DivisionLevel>();
  ASSIGN_OR_RETURN(auto query, db_->Prepare("SELECT level FROM divisions WHERE code = ?1"));
  query->BindInt(1, code);
  ASSIGN_OR_RETURN(bool row, query->Step("读取行政区划"));
  if (!row) return std::optional<DivisionLevel>();
  return std::optional<DivisionLevel>(static_cast<DivisionLevel>(query->ColumnInt(0)));
}

Status SqliteAccountStore::CheckRoleLevel(Role role, DivisionCode code, DivisionLevel level) {
  std::optional<DivisionLevel> required = RequiredLevel(role);
  if (required && *required != level) {
    return InvalidArgument(fmt::format("角色“{}”须属于{}级行政区划，而 {} 是{}级", RoleLabel(role),
                                       Label(*required), code, Label(level)));
  }
  return Status::Ok();
}

Result<User> SqliteAccountStore::CreateUser(const DivisionScope& scope, const NewUser& user,
                                            std::int64_t now) {
  RETURN_IF_ERROR(ValidateUsername(user.username));
  if (user.display_name.empty()) return InvalidArgument("姓名（display_name）不能为空");
  if (user.password_hash.empty()) return Internal("创建用户时缺少密码哈希");
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kWrite));
  ASSIGN_OR_RETURN(std::optional<DivisionLevel> level, DivisionLevelInScope(scope, user.division_code));
  if (!level) return NotFound(fmt::format("行政区划 {} 不存在", user.division_code));
  RETURN_IF_ERROR(CheckRoleLevel(user.role, user.division_code, *level));
  {
    ASSIGN_OR_RETURN(auto exists, db_->Prepare("SELECT 1 FROM users WHERE username = ?1"));
    exists->BindText(1, user.username);
    ASSIGN_OR_RETURN(bool row, exists->Step("检查用户名"));
    if (row) return AlreadyExists("用户名 " + user.username + " 已被使用");
  }
  {
    ASSIGN_OR_RETURN(
        auto insert,
        db_->Prepare("INSERT INTO users (username, display_name, role, division_code, division_level, "
                     "password_hash, must_change_password, disabled, created_at) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8)"));
    insert->BindText(1, user.username);
    insert->BindText(2, user.display_name);
    insert->BindInt(3, static_cast<int>(user.role));
    insert->BindInt(4, user.division_code);
    insert->BindInt(5, static_cast<int>(*level));
    insert->BindText(6, user.password_hash);
    insert->BindBool(7, user.must_change_password);
    insert->BindInt(8, now);
    RETURN_IF_ERROR(insert->Run("创建用户 " + user.username));
  }
  RETURN_IF_ERROR(transaction.Commit());
  ASSIGN_OR_RETURN(std::optional<User> created, GetUser(DivisionScope::All(), user.username));
  if (!created) return Internal("新建用户后未能读回");
  return *created;
}

Result<std::optional<User>> SqliteAccountStore::GetUser(const DivisionScope& scope,
                                                        const std::string& username) {
  ASSIGN_OR_RETURN(auto query,
                   db_->Prepare("SELECT " ZX_USER_COLUMNS
                                " FROM users WHERE username = ?1 AND division_code BETWEEN ?2 AND ?3"));
  query->BindText(1, username);
  query->BindInt(2, scope.lo);
  query->BindInt(3, scope.hi);
  ASSIGN_OR_RETURN(bool row, query->Step("读取用户"));
  if (!row) return std::optional<User>();
  return std::optional<User>(ReadUser(*query));
}

Result<std::optional<User>> SqliteAccountStore::GetUserById(const DivisionScope& scope, std::int64_t id) {
  ASSIGN_OR_RETURN(auto query, db_->Prepare("SELECT " ZX_USER_COLUMNS
                                            " FROM users WHERE id = ?1 AND division_code BETWEEN ?2 AND ?3"));
  query->BindInt(1, id);
  query->BindInt(2, scope.lo);
  query->BindInt(3, scope.hi);
  ASSIGN_OR_RETURN(bool row, query->Step("读取用户"));
  if (!row) return std::optional<User>();
  return std::optional<User>(ReadUser(*query));
}

Result<UserPage> SqliteAccountStore::ListUsers(const DivisionScope& scope, const std::string& keyword,
                                               std::int64_t offset, std::int64_t limit) {
  const std::string pattern = LikePattern(keyword);
  UserPage page;
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kRead));
  {
    ASSIGN_OR_RETURN(auto count,
                     db_->Prepare("SELECT COUNT(*) FROM users WHERE division_code BETWEEN ?1 AND ?2 "
                                  "AND (username LIKE ?3 ESCAPE '\\' OR display_name LIKE ?3 ESCAPE '\\')"));
    count->BindInt(1, scope.lo);
    count->BindInt(2, scope.hi);
    count->BindText(3, pattern);
    ASSIGN_OR_RETURN(bool row, count->Step("统计用户"));
    page.total = row ? count->ColumnInt(0) : 0;
  }
  ASSIGN_OR_RETURN(auto query,
                   db_->Prepare("SELECT " ZX_USER_COLUMNS " FROM users WHERE division_code BETWEEN ?1 AND ?2 "
                                "AND (username LIKE ?3 ESCAPE '\\' OR display_name LIKE ?3 ESCAPE '\\') "
                                "ORDER BY division_code, username LIMIT ?4 OFFSET ?5"));
  query->BindInt(1, scope.lo);
  query->BindInt(2, scope.hi);
  query->BindText(3, pattern);
  query->BindInt(4, limit);
  query->BindInt(5, offset);
  for (;;) {
    ASSIGN_OR_RETURN(bool row, query->Step("读取用户列表"));
    if (!row) break;
    page.rows.push_back(ReadUser(*query));
  }
  return page;
}

Result<User> SqliteAccountStore::UpdateUser(const DivisionScope& scope, const std::string& username,
                                            const UserUpdate& update) {
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kWrite));
  ASSIGN_OR_RETURN(std::optional<User> found, GetUser(scope, username));
  if (!found) return NotFound("用户 " + username + " 不存在");
  User user = *found;
  if (update.display_name) {
    if (update.display_name->empty()) return InvalidArgument("姓名（display_name）不能为空");
    user.display_name = *update.display_name;
  }
  if (update.role) user.role = *update.role;
  if (update.division_code) {
    ASSIGN_OR_RETURN(std::optional<DivisionLevel> level, DivisionLevelInScope(scope, *update.division_code));
    if (!level) return NotFound(fmt::format("行政区划 {} 不存在", *update.division_code));
    user.division_code = *update.division_code;
    user.division_level = *level;
  }
  RETURN_IF_ERROR(CheckRoleLevel(user.role, user.division_code, user.division_level));
  if (update.disabled) user.disabled = *update.disabled;
  {
    ASSIGN_OR_RETURN(auto write,
                     db_->Prepare("UPDATE users SET display_name = ?2, role = ?3, division_code = ?4, "
                                  "division_level = ?5, disabled = ?6 WHERE id = ?1"));
    write->BindInt(1, user.id);
    write->BindText(2, user.display_name);
    write->BindInt(3, static_cast<int>(user.role));
    write->BindInt(4, user.division_code);
    write->BindInt(5, static_cast<int>(user.division_level));
    write->BindBool(6, user.disabled);
    RETURN_IF_ERROR(write->Run("修改用户 " + username));
  }
  // A disabled, demoted or moved user must log in again to get the new powers.
  if (user.disabled || update.role || update.division_code) {
    ASSIGN_OR_RETURN(auto end, db_->Prepare("DELETE FROM sessions WHERE user_id = ?1"));
    end->BindInt(1, user.id);
    RETURN_IF_ERROR(end->Run("结束用户会话"));
  }
  RETURN_IF_ERROR(transaction.Commit());
  return user;
}

Status SqliteAccountStore::SetPassword(const DivisionScope& scope, const std::string& username,
                                       const std::string& password_hash, bool must_change_password,
                                       const std::string& keep_session_sha256) {
  if (password_hash.empty()) return Internal("设置密码时缺少密码哈希");
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kWrite));
  ASSIGN_OR_RETURN(std::optional<User> found, GetUser(scope, username));
  if (!found) return NotFound("用户 " + username + " 不存在");
  {
    ASSIGN_OR_RETURN(auto write,
                     db_->Prepare("UPDATE users SET password_hash = ?2, must_change_password = ?3 "
                                  "WHERE id = ?1"));
    write->BindInt(1, found->id);
    write->BindText(2, password_hash);
    write->BindBool(3, must_change_password);
    RETURN_IF_ERROR(write->Run("修改用户 " + username + " 的密码"));
  }
  {
    ASSIGN_OR_RETURN(auto end,
                     db_->Prepare("DELETE FROM sessions WHERE user_id = ?1 AND token_sha256 <> ?2"));
    end->BindInt(1, found->id);
    end->BindText(2, keep_session_sha256);
    RETURN_IF_ERROR(end->Run("结束用户会话"));
  }
  return transaction.Commit();
}

Result<FailedLoginOutcome> SqliteAccountStore::RecordFailedLogin(const std::string& username,
                                                                 std::int64_t now) {
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kWrite));
  ASSIGN_OR_RETURN(std::optional<User> found, GetUser(DivisionScope::All(), username));
  if (!found) return NotFound("用户 " + username + " 不存在");
  FailedLoginOutcome outcome;
  if (found->IsLocked(now)) {
    // Attempts while locked do not extend the lock.
    outcome.locked = true;
    outcome.locked_until = found->locked_until;
    outcome.failed_logins = found->failed_logins;
    return outcome;
  }
  int failed = found->failed_logins;
  std::int64_t first = found->first_failure_at;
  if (first == 0 || now - first >= kFailureWindowSeconds) {
    failed = 1;
    first = now;
  } else {
    ++failed;
  }
  std::int64_t locked_until = 0;
  if (failed >= kMaxFailedLogins) {
    locked_until = now + kLockSeconds;
    outcome.locked = true;
  }
  {
    ASSIGN_OR_RETURN(auto write, db_->Prepare("UPDATE users SET failed_logins = ?2, first_failure_at = ?3, "
                                              "locked_until = ?4 WHERE id = ?1"));
    write->BindInt(1, found->id);
    write->BindInt(2, outcome.locked ? 0 : failed);
    write->BindInt(3, outcome.locked ? 0 : first);
    write->BindInt(4, locked_until);
    RETURN_IF_ERROR(write->Run("记录登录失败"));
  }
  RETURN_IF_ERROR(transaction.Commit());
  outcome.failed_logins = failed;
  outcome.locked_until = locked_until;
  return outcome;
}

Status SqliteAccountStore::ClearFailedLogins(const DivisionScope& scope, const std::string& username) {
  ASSIGN_OR_RETURN(auto write,
                   db_->Prepare("UPDATE users SET failed_logins = 0, first_failure_at = 0, locked_until = 0 "
                                "WHERE username = ?1 AND division_code BETWEEN ?2 AND ?3"));
  write->BindText(1, username);
  write->BindInt(2, scope.lo);
  write->BindInt(3, scope.hi);
  RETURN_IF_ERROR(write->Run("解除用户锁定"));
  if (sqlite3_changes(db_->handle()) == 0) return NotFound("用户 " + username + " 不存在");
  return Status::Ok();
}

Result<std::int64_t> SqliteAccountStore::CountUsers(const DivisionScope& scope) {
  ASSIGN_OR_RETURN(auto count,
                   db_->Prepare("SELECT COUNT(*) FROM users WHERE division_code BETWEEN ?1 AND ?2"));
  count->BindInt(1, scope.lo);
  count->BindInt(2, scope.hi);
  ASSIGN_OR_RETURN(bool row, count->Step("统计用户"));
  return row ? count->ColumnInt(0) : 0;
}

Status SqliteAccountStore::CreateSession(const Session& session) {
  ASSIGN_OR_RETURN(auto insert,
                   db_->Prepare("INSERT INTO sessions (token_sha256, user_id, csrf_token, created_at, "
                                "last_seen_at) VALUES (?1, ?2, ?3, ?4, ?5)"));
  insert->BindText(1, session.token_sha256);
  insert->BindInt(2, session.user_id);
  insert->BindText(3, session.csrf_token);
  insert->BindInt(4, session.created_at);
  insert->BindInt(5, session.last_seen_at);
  return insert->Run("创建登录会话");
}

Result<std::optional<std::pair<Session, User>>> SqliteAccountStore::TouchSession(
    const std::string& token_sha256, std::int64_t now) {
  using Found = std::optional<std::pair<Session, User>>;
  Session session;
  {
    ASSIGN_OR_RETURN(auto query,
                     db_->Prepare("SELECT user_id, csrf_token, created_at, last_seen_at FROM sessions "
                                  "WHERE token_sha256 = ?1"));
    query->BindText(1, token_sha256);
    ASSIGN_OR_RETURN(bool row, query->Step("读取登录会话"));
    if (!row) return Found();
    session.token_sha256 = token_sha256;
    session.user_id = query->ColumnInt(0);
    session.csrf_token = std::string(query->ColumnText(1));
    session.created_at = query->ColumnInt(2);
    session.last_seen_at = query->ColumnInt(3);
  }
  if (now - session.last_seen_at >= kSessionIdleSeconds) {
    RETURN_IF_ERROR(DeleteSession(token_sha256));
    return Found();
  }
  ASSIGN_OR_RETURN(std::optional<User> user, GetUserById(DivisionScope::All(), session.user_id));
  if (!user || user->disabled) return Found();
  // Only write when a minute has passed: most requests stay read-only.
  if (now - session.last_seen_at >= 60) {
    ASSIGN_OR_RETURN(auto touch,
                     db_->Prepare("UPDATE sessions SET last_seen_at = ?2 WHERE token_sha256 = ?1"));
    touch->BindText(1, token_sha256);
    touch->BindInt(2, now);
    RETURN_IF_ERROR(touch->Run("更新登录会话"));
    session.last_seen_at = now;
  }
  return Found(std::make_pair(std::move(session), std::move(*user)));
}

Status SqliteAccountStore::DeleteSession(const std::string& token_sha256) {
  ASSIGN_OR_RETURN(auto remove, db_->Prepare("DELETE FROM sessions WHERE token_sha256 = ?1"));
  remove->BindText(1, token_sha256);
  return remove->Run("删除登录会话");
}

Result<std::int64_t> SqliteAccountStore::PurgeExpiredSessions(std::int64_t now) {
  ASSIGN_OR_RETURN(auto remove, db_->Prepare("DELETE FROM sessions WHERE last_seen_at <= ?1"));
  remove->BindInt(1, now - kSessionIdleSeconds);
  RETURN_IF_ERROR(remove->Run("清理过期会话"));
  return static_cast<std::int64_t>(sqlite3_changes(db_->handle()));
}

Status SqliteAccountStore::AppendAudit(const AuditEvent& event) {
  ASSIGN_OR_RETURN(
      auto insert,
      db_->Prepare("INSERT INTO access_audit (at, actor, actor_division, action, target, "
                   "target_division, detail, remote_address) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  insert->BindInt(1, event.at);
  insert->BindText(2, event.actor);
  insert->BindInt(3, event.actor_division);
  insert->BindText(4, AuditActionCode(event.action));
  insert->BindText(5, event.target);
  insert->BindInt(6, event.target_division);
  insert->BindText(7, event.detail);
  insert->BindText(8, event.remote_address);
  return insert->Run("写入访问审计");
}

Result<std::vector<AuditEvent>> SqliteAccountStore::ListAudit(const DivisionScope& scope,
                                                              std::int64_t limit) {
  ASSIGN_OR_RETURN(
      auto query,
      db_->Prepare("SELECT id, at, actor, actor_division, action, target, target_division, detail, "
                   "remote_address FROM access_audit WHERE actor_division BETWEEN ?1 AND ?2 "
                   "OR target_division BETWEEN ?1 AND ?2 ORDER BY id DESC LIMIT ?3"));
  query->BindInt(1, scope.lo);
  query->BindInt(2, scope.hi);
  query->BindInt(3, limit);
  std::vector<AuditEvent> events;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, query->Step("读取访问审计"));
    if (!row) break;
    AuditEvent event;
    event.id = query->ColumnInt(0);
    event.at = query->ColumnInt(1);
    event.actor = std::string(query->ColumnText(2));
    event.actor_division = query->ColumnInt(3);
    const std::string_view action = query->ColumnText(4);
    for (int code = static_cast<int>(AuditAction::kLogin); code <= static_cast<int>(AuditAction::kExport);
         ++code) {
      if (AuditActionCode(static_cast<AuditAction>(code)) == action)
        event.action = static_cast<AuditAction>(code);
    }
    event.target = std::string(query->ColumnText(5));
    event.target_division = query->ColumnInt(6);
    event.detail = std::string(query->ColumnText(7));
    event.remote_address = std::string(query->ColumnText(8));
    events.push_back(std::move(event));
  }
  return events;
}

}  // namespace zx::sqlite
