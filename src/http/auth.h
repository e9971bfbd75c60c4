// Authentication and authorisation helpers of the web platform:
//   * argon2id password hashing (libargon2) with bounded cost: at most
//     kMaxConcurrentHashes hashes run at once, whatever the login rate;
//   * random session and CSRF tokens (OpenSSL RAND_bytes) and the SHA-256
//     under which a session token is stored;
//   * the password rule, role permissions ("module:entity:action") and the
//     rule that nobody creates or edits a user with more power than itself;
//   * masking of ID numbers and phone numbers and the roles that may unmask.
// Thread-safety: all functions are safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "storage/account_store.h"

namespace zx::http {

/// argon2id parameters: the OWASP (2023) recommendation m=19 MiB, t=2, p=1.
/// Verification cost is read from each stored hash, so raising these later
/// only affects new hashes.
struct PasswordHashParams {
  std::uint32_t time_cost = 2;
  std::uint32_t memory_kib = 19 * 1024;
  std::uint32_t parallelism = 1;
};
inline constexpr int kMaxConcurrentHashes = 2;

/// A PHC string "$argon2id$v=19$m=…,t=…,p=…$salt$hash" with a random 16-byte salt.
Result<std::string> HashPassword(std::string_view password, const PasswordHashParams& params = {});
/// Whether `password` matches `phc_hash`. A malformed hash never matches.
bool VerifyPassword(std::string_view password, const std::string& phc_hash);
/// Burns the cost of one verification (login of an unknown user) so timing
/// does not reveal whether a username exists.
void VerifyDummyPassword(std::string_view password);

/// The password rule: 8–128 characters with at least one letter and one digit.
Status CheckPasswordRule(std::string_view password);

/// A random 12-character password of letters and digits that passes
/// CheckPasswordRule (for `user add` and `demo` when none is given).
Result<std::string> GeneratePassword();

/// `bytes` random bytes as lower-case hex (2 × bytes characters).
Result<std::string> RandomHex(int bytes);
/// Lower-case hex SHA-256 of `text`.
std::string Sha256Hex(std::string_view text);

/// Permissions of a role, e.g. "registry:household:list".
const std::vector<std::string>& RolePermissions(Role role);
bool HasPermission(Role role, std::string_view permission);

/// Whether `actor` may give a user role `role` at a division of level
/// `level` (the division itself must also be in the actor's subtree, which
/// the store checks): the actor needs system:user:add, and an administrative
/// role must sit at the actor's level or below. PermissionDenied otherwise.
Status CheckCanGrant(const User& actor, Role role, DivisionLevel level);

/// "630121********123X": first 6 and last 4 characters kept.
std::string MaskIdNumber(std::string_view id_number);
/// "138****5678": first 3 and last 4 kept.
std::string MaskPhone(std::string_view phone);
/// Roles that see ID and phone numbers after an audited unmask (county, township).
bool CanUnmask(Role role);

/// The session cookie set by login (HttpOnly, SameSite=Strict, Path=/).
std::string SessionCookie(const std::string& token);
/// The cookie header value that clears the session cookie.
std::string ClearSessionCookie();
inline constexpr std::string_view kSessionCookieName = "zx_session";

}  // namespace zx::http
