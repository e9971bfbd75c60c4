#include "http/auth.h"

#include <argon2.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>

namespace zx::http {
namespace {

constexpr std::uint32_t kSaltBytes = 16;
constexpr std::uint32_t kHashBytes = 32;

// Bounds the memory and CPU spent on hashing: each hash holds memory_kib.
class HashSlots {
 public:
  void Acquire() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [this] { return in_use_ < kMaxConcurrentHashes; });
    ++in_use_;
  }
  void Release() {
    {
      std::lock_guard lock(mutex_);
      --in_use_;
    }
    cv_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int in_use_ = 0;
};

HashSlots& Slots() {
  static HashSlots slots;
  return slots;
}

struct SlotGuard {
  SlotGuard() { Slots().Acquire(); }
  ~SlotGuard() { Slots().Release(); }
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;
};

std::string ToHex(const unsigned char* data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex(size * 2, '0');
  for (size_t byte_idx = 0; byte_idx < size; ++byte_idx) {
    hex[2 * byte_idx] = kDigits[data[byte_idx] >> 4];
    hex[2 * byte_idx + 1] = kDigits[data[byte_idx] & 0xF];
  }
  return hex;
}

const std::string& DummyHash() {
  static const std::string hash = [] {
    Result<std::string> made = HashPassword("zx-dummy-password-1");
    return made.ok() ? *made : std::string();
  }();
  return hash;
}

using Permissions = std::vector<std::string>;

const std::map<Role, Permissions>& PermissionTable() {
  static const std::map<Role, Permissions> table = [] {
    const Permissions read = {"registry:dashboard:view", "registry:household:list",
                              "registry:household:query", "registry:household:export", "screening:lead:list"};
    const Permissions users = {"system:user:list", "system:user:add", "system:user:edit", "system:user:reset",
                               "system:user:unlock"};
    auto join = [](std::initializer_list<Permissions> parts) {
      Permissions all;
      for (const Permissions& part : parts) all.insert(all.end(), part.begin(), part.end());
      return all;
    };
    const Permissions import = {"registry:household:import"};
    const Permissions audit = {"system:audit:list"};
    const Permissions screen = {"screening:run:execute"};
    const Permissions unmask = {"registry:household:unmask"};
    // Workflow (issue 6): reading cases, KPIs and quality checks; acting on
    // cases (which action at which stage is decided by src/workflow);
    // printing notices; verifying the audit chain.
    const Permissions cases_read = {"workflow:case:list", "workflow:case:query", "workflow:kpi:view",
                                    "workflow:quality:view"};
    const Permissions cases_act = {"workflow:case:add", "workflow:case:act", "workflow:notice:export"};
    const Permissions chain = {"workflow:audit:verify"};
    std::map<Role, Permissions> by_role;
    by_role[Role::kProvince] =
        join({read, users, import, audit, screen, cases_read, {"workflow:notice:export"}, chain});
    by_role[Role::kPrefecture] =
        join({read, users, import, audit, screen, cases_read, {"workflow:notice:export"}});
    by_role[Role::kCounty] = join({read, users, import, audit, screen, unmask, cases_read, cases_act});
    by_role[Role::kTownship] = join({read, users, import, unmask, cases_read, cases_act});
    by_role[Role::kVillage] = join({read, import, cases_read, cases_act});
    by_role[Role::kDepartment] = join({import, {"registry:dashboard:view", "workflow:case:add"}});
    by_role[Role::kAuditor] = join({read, {"system:user:list"}, audit, cases_read, chain});
    return by_role;
  }();
  return table;
}

bool IsAdministrative(Role role) { return RequiredLevel(role).has_value(); }

}  // namespace

Result<std::string> HashPassword(std::string_view password, const PasswordHashParams& params) {
  unsigned char salt[kSaltBytes];
  if (RAND_bytes(salt, sizeof salt) != 1) return Internal("无法生成随机数（OpenSSL RAND_bytes 失败）");
  const size_t encoded_length = argon2_encodedlen(params.time_cost, params.memory_kib, params.parallelism,
                                                  kSaltBytes, kHashBytes, Argon2_id);
  std::string encoded(encoded_length, '\0');
  int rc;
  {
    SlotGuard slot;
    rc = argon2id_hash_encoded(params.time_cost, params.memory_kib, params.parallelism, password.data(),
                               password.size(), salt, kSaltBytes, kHashBytes, encoded.data(), encoded.size());
  }
  if (rc != ARGON2_OK) return Internal(std::string("密码哈希失败：") + argon2_error_message(rc));
  encoded.resize(std::strlen(encoded.c_str()));
  return encoded;
}

bool VerifyPassword(std::string_view password, const std::string& phc_hash) {
  if (!phc_hash.starts_with("$argon2id$")) return false;
  SlotGuard slot;
  return argon2id_verify(phc_hash.c_str(), password.data(), password.size()) == ARGON2_OK;
}

void VerifyDummyPassword(std::string_view password) { (void)VerifyPassword(password, DummyHash()); }

Status CheckPasswordRule(std::string_view password) {
  if (password.size() < 8) return InvalidArgument("密码至少需要 8 个字符");
  if (password.size() > 128) return InvalidArgument("密码最多 128 个字符");
  const bool letter = std::any_of(password.begin(), password.end(),
                                  [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
  const bool digit =
      std::any_of(password.begin(), password.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!letter || !digit) return InvalidArgument("密码须同时包含字母和数字");
  return Status::Ok();
}

Result<std::string> GeneratePassword() {
  // No 0/O, 1/l/I: passwords are read aloud and typed from paper.
  static constexpr std::string_view kAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  for (;;) {
    unsigned char random[12];
    if (RAND_bytes(random, sizeof random) != 1) return Internal("无法生成随机数（OpenSSL RAND_bytes 失败）");
    std::string password;
    for (unsigned char byte : random) password.push_back(kAlphabet[byte % kAlphabet.size()]);
    if (CheckPasswordRule(password).ok()) return password;
  }
}

Result<std::string> RandomHex(int bytes) {
  std::vector<unsigned char> buffer(static_cast<size_t>(bytes));
  if (RAND_bytes(buffer.data(), bytes) != 1) return Internal("无法生成随机数（OpenSSL RAND_bytes 失败）");
  return ToHex(buffer.data(), buffer.size());
}

std::string Sha256Hex(std::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return ToHex(digest, sizeof digest);
}

const std::vector<std::string>& RolePermissions(Role role) {
  static const Permissions kNone;
  auto found = PermissionTable().find(role);
  return found == PermissionTable().end() ? kNone : found->second;
}

bool HasPermission(Role role, std::string_view permission) {
  const Permissions& permissions = RolePermissions(role);
  return std::find(permissions.begin(), permissions.end(), permission) != permissions.end();
}

Status CheckCanGrant(const User& actor, Role role, DivisionLevel level) {
  if (!HasPermission(actor.role, "system:user:add")) {
    return PermissionDenied("角色“" + std::string(RoleLabel(actor.role)) + "”不能创建或修改用户");
  }
  if (IsAdministrative(role) && static_cast<int>(level) < static_cast<int>(actor.division_level)) {
    return PermissionDenied("不能授予比自己权限更大的角色“" + std::string(RoleLabel(role)) + "”");
  }
  return Status::Ok();
}

std::string MaskIdNumber(std::string_view id_number) {
  if (id_number.size() <= 10) return std::string(id_number.size(), '*');
  return std::string(id_number.substr(0, 6)) + std::string(id_number.size() - 10, '*') +
         std::string(id_number.substr(id_number.size() - 4));
}

std::string MaskPhone(std::string_view phone) {
  if (phone.empty()) return "";
  if (phone.size() <= 7) return std::string(phone.size(), '*');
  return std::string(phone.substr(0, 3)) + std::string(phone.size() - 7, '*') +
         std::string(phone.substr(phone.size() - 4));
}

bool CanUnmask(Role role) { return HasPermission(role, "registry:household:unmask"); }

std::string SessionCookie(const std::string& token) {
  return std::string(kSessionCookieName) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict";
}

std::string ClearSessionCookie() {
  return std::string(kSessionCookieName) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
}

}  // namespace zx::http
