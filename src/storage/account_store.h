// Accounts of the web platform: users, server-side sessions, login lockout
// and the access audit (who did what, when, in which division).
//
// Contract for every implementation (checked by account_store_test.cc):
//   * user reads and writes take a DivisionScope: a user whose division is
//     outside the scope is invisible (NotFound / absent), exactly as a
//     missing one; creating or moving a user outside the scope is refused
//     with NotFound for the division (no existence leak);
//   * usernames are unique (AlreadyExists);
//   * the store keeps only password hashes (PHC strings, made in src/http)
//     and only the SHA-256 of session tokens (hex); it never sees secrets;
//   * lockout: kMaxFailedLogins failures within kFailureWindowSeconds lock
//     the account for kLockSeconds; a successful login or an unlock clears
//     the counter;
//   * sessions expire after kSessionIdleSeconds without use; disabling a
//     user or changing its password ends all its sessions;
//   * times are Unix seconds passed in by the caller (tests control the clock).
//
// Roles and the division level each must sit at are defined here because
// the storage layer enforces them on every write.
//
// Thread-safety: an AccountStore is used by one thread at a time; open one
// per thread (SQLite: its own connection to the registry database, WAL).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/division.h"

namespace zx {

/// Roles, from the most to the least powerful at a given division.
enum class Role : std::uint8_t {
  kProvince = 1,
  kPrefecture = 2,
  kCounty = 3,
  kTownship = 4,
  kVillage = 5,
  kDepartment = 6,  // department uploader: imports within its subtree
  kAuditor = 7,     // read-only over its subtree
};

/// "province", "prefecture", … (API and database code).
std::string_view RoleCode(Role role);
/// 省级管理员, 市州级用户, … (display).
std::string_view RoleLabel(Role role);
/// Code → role; false for an unknown code.
bool ParseRole(std::string_view code, Role* out);
std::span<const Role> AllRoles();
/// The division level a role must sit at; nullopt for department and
/// auditor, which may sit at any level.
std::optional<DivisionLevel> RequiredLevel(Role role);

inline constexpr int kMaxFailedLogins = 5;
inline constexpr std::int64_t kFailureWindowSeconds = 15 * 60;
inline constexpr std::int64_t kLockSeconds = 15 * 60;
inline constexpr std::int64_t kSessionIdleSeconds = 8 * 60 * 60;

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::kAuditor;
  DivisionCode division_code = 0;
  DivisionLevel division_level = DivisionLevel::kVillage;
  std::string password_hash;  // PHC string ($argon2id$…)
  bool must_change_password = false;
  bool disabled = false;
  int failed_logins = 0;              // failures in the current window
  std::int64_t first_failure_at = 0;  // start of the current window, 0 = none
  std::int64_t locked_until = 0;      // Unix seconds; 0 = not locked
  std::int64_t created_at = 0;

  /// The user's subtree.
  DivisionScope scope() const { return DivisionScope::Of(division_code, division_level); }
  bool IsLocked(std::int64_t now) const { return locked_until > now; }
};

struct NewUser {
  std::string username;
  std::string display_name;
  Role role = Role::kAuditor;
  DivisionCode division_code = 0;  // its level is read from the division table
  std::string password_hash;
  bool must_change_password = true;
};

/// Fields to change; absent ones are kept.
struct UserUpdate {
  std::optional<std::string> display_name;
  std::optional<Role> role;
  std::optional<DivisionCode> division_code;
  std::optional<bool> disabled;
};

struct UserPage {
  std::vector<User> rows;
  std::int64_t total = 0;
};

struct Session {
  std::string token_sha256;  // hex of SHA-256 of the cookie value
  std::int64_t user_id = 0;
  std::string csrf_token;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
};

/// What a failed login did to the account.
struct FailedLoginOutcome {
  int failed_logins = 0;
  bool locked = false;  // this failure locked the account (or it was locked)
  std::int64_t locked_until = 0;
};

enum class AuditAction : std::uint8_t {
  kLogin = 1,
  kLoginFailed,
  kLogout,
  kPasswordChanged,
  kUserCreated,
  kUserUpdated,
  kPasswordReset,
  kUserUnlocked,
  kUnmask,
  kImport,
  kExport,
};
std::string_view AuditActionCode(AuditAction action);  // "login", "unmask", …

struct AuditEvent {
  std::int64_t id = 0;              // assigned by the store
  std::int64_t at = 0;              // Unix seconds
  std::string actor;                // username (or the attempted one for failed logins)
  DivisionCode actor_division = 0;  // 0 when unknown (failed login of a missing user)
  AuditAction action = AuditAction::kLogin;
  std::string target;                // username, household number, file …
  DivisionCode target_division = 0;  // the division the action touched; 0 = none
  std::string detail;                // free text (field unmasked, counts …)
  std::string remote_address;
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // --- users ----------------------------------------------------------
  /// Creates a user whose division must lie in `scope` (NotFound otherwise)
  /// and whose level suits its role (InvalidArgument).
  virtual Result<User> CreateUser(const DivisionScope& scope, const NewUser& user, std::int64_t now) = 0;
  /// nullopt when absent or outside `scope`.
  virtual Result<std::optional<User>> GetUser(const DivisionScope& scope, const std::string& username) = 0;
  virtual Result<std::optional<User>> GetUserById(const DivisionScope& scope, std::int64_t id) = 0;
  /// Users in `scope` whose username or display name contains `keyword`
  /// (empty: all), ordered by division then username.
  virtual Result<UserPage> ListUsers(const DivisionScope& scope, const std::string& keyword,
                                     std::int64_t offset, std::int64_t limit) = 0;
  /// NotFound when absent or outside `scope`; a new division must be in
  /// `scope` too. Disabling ends the user's sessions.
  virtual Result<User> UpdateUser(const DivisionScope& scope, const std::string& username,
                                  const UserUpdate& update) = 0;
  /// Replaces the hash, sets must_change_password and ends every session
  /// of the user except `keep_session_sha256` (may be empty).
  virtual Status SetPassword(const DivisionScope& scope, const std::string& username,
                             const std::string& password_hash, bool must_change_password,
                             const std::string& keep_session_sha256) = 0;
  /// Counts a failed login (window and lock per the constants above).
  /// NotFound when the user does not exist.
  virtual Result<FailedLoginOutcome> RecordFailedLogin(const std::string& username, std::int64_t now) = 0;
  /// Clears the failure counter and any lock (successful login, unlock).
  virtual Status ClearFailedLogins(const DivisionScope& scope, const std::string& username) = 0;
  virtual Result<std::int64_t> CountUsers(const DivisionScope& scope) = 0;

  // --- sessions -------------------------------------------------------
  virtual Status CreateSession(const Session& session) = 0;
  /// The session and its user when the session exists, has been used within
  /// kSessionIdleSeconds and the user is not disabled; updates last use to
  /// `now`. An expired session is deleted. nullopt otherwise.
  virtual Result<std::optional<std::pair<Session, User>>> TouchSession(const std::string& token_sha256,
                                                                       std::int64_t now) = 0;
  virtual Status DeleteSession(const std::string& token_sha256) = 0;
  /// Deletes sessions idle for longer than kSessionIdleSeconds; returns how many.
  virtual Result<std::int64_t> PurgeExpiredSessions(std::int64_t now) = 0;

  // --- audit ----------------------------------------------------------
  virtual Status AppendAudit(const AuditEvent& event) = 0;
  /// Newest first: events whose actor or target division lies in `scope`.
  virtual Result<std::vector<AuditEvent>> ListAudit(const DivisionScope& scope, std::int64_t limit) = 0;
};

/// Opens the account store of the database at `location` (same values as
/// OpenStore: a path, "sqlite:PATH"); runs pending migrations.
Result<std::unique_ptr<AccountStore>> OpenAccountStore(const std::string& location);

}  // namespace zx
