// The SQLite implementation of AccountStore (account_store.h): its own
// connection to the registry database (OpenConfiguredDb), schema in
// schema_accounts.cc.
//
// Thread-safety: one thread at a time per object.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/account_store.h"
#include "storage/sqlite/sqlite_db.h"

namespace zx::sqlite {

class SqliteAccountStore : public AccountStore {
 public:
  static Result<std::unique_ptr<SqliteAccountStore>> Open(const std::string& path);

  Result<User> CreateUser(const DivisionScope& scope, const NewUser& user, std::int64_t now) override;
  Result<std::optional<User>> GetUser(const DivisionScope& scope, const std::string& username) override;
  Result<std::optional<User>> GetUserById(const DivisionScope& scope, std::int64_t id) override;
  Result<UserPage> ListUsers(const DivisionScope& scope, const std::string& keyword, std::int64_t offset,
                             std::int64_t limit) override;
  Result<User> UpdateUser(const DivisionScope& scope, const std::string& username,
                          const UserUpdate& update) override;
  Status SetPassword(const DivisionScope& scope, const std::string& username,
                     const std::string& password_hash, bool must_change_password,
                     const std::string& keep_session_sha256) override;
  Result<FailedLoginOutcome> RecordFailedLogin(const std::string& username, std::int64_t now) override;
  Status ClearFailedLogins(const DivisionScope& scope, const std::string& username) override;
  Result<std::int64_t> CountUsers(const DivisionScope& scope) override;

  Status CreateSession(const Session& session) override;
  Result<std::optional<std::pair<Session, User>>> TouchSession(const std::string& token_sha256,
                                                               std::int64_t now) override;
  Status DeleteSession(const std::string& token_sha256) override;
  Result<std::int64_t> PurgeExpiredSessions(std::int64_t now) override;

  Status AppendAudit(const AuditEvent& event) override;
  Result<std::vector<AuditEvent>> ListAudit(const DivisionScope& scope, std::int64_t limit) override;

 private:
  explicit SqliteAccountStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}

  /// The level of `code` when it is a division inside `scope`.
  Result<std::optional<DivisionLevel>> DivisionLevelInScope(const DivisionScope& scope, DivisionCode code);
  Status CheckRoleLevel(Role role, DivisionCode code, DivisionLevel level);

  std::unique_ptr<SqliteDb> db_;
};

}  // namespace zx::sqlite
