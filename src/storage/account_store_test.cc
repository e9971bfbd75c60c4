// The AccountStore contract (account_store.h), checked through the interface
// against every backend. A new backend joins by adding a factory.
#include "storage/account_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <string>

#include "storage/store.h"
#include "storage/store_test_records.h"

namespace zx {
namespace {

using namespace storage_testing;  // NOLINT: test fixtures

struct AccountBackend {
  std::string name;
  /// Creates the database in `dir` (with the test divisions) and opens the account store.
  std::function<Result<std::unique_ptr<AccountStore>>(const std::string& dir, const DivisionTable&)> open;
};

std::vector<AccountBackend> Backends() {
  return {
      {"Sqlite",
       [](const std::string& dir, const DivisionTable& divisions) -> Result<std::unique_ptr<AccountStore>> {
         ASSIGN_OR_RETURN(auto registry, OpenStore(dir + "/registry.db", divisions));
         registry.reset();
         return OpenAccountStore("sqlite:" + dir + "/registry.db");
       }}};
}

constexpr std::int64_t kNow = 1'750'000'000;

class AccountStoreTest : public ::testing::TestWithParam<AccountBackend> {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("zx_accounts_" + std::to_string(::getpid()) + "_" + GetParam().name + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    divisions_ = TestDivisions();
    auto store = GetParam().open(dir_, divisions_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  User Create(const std::string& username, Role role, DivisionCode code,
              DivisionScope scope = DivisionScope::All()) {
    NewUser user{username, "测试 " + username, role, code, "$argon2id$hash-of-" + username, false};
    auto created = store_->CreateUser(scope, user, kNow);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : User{};
  }

  static DivisionScope ScopeOf(DivisionCode code, DivisionLevel level) {
    return DivisionScope::Of(code, level);
  }

  std::string dir_;
  DivisionTable divisions_;
  std::unique_ptr<AccountStore> store_;
};

TEST_P(AccountStoreTest, CreateAndReadBack) {
  User user = Create("county1", Role::kCounty, kDatong);
  EXPECT_GT(user.id, 0);
  EXPECT_EQ(user.division_level, DivisionLevel::kCounty);
  EXPECT_EQ(user.scope(), ScopeOf(kDatong, DivisionLevel::kCounty));
  auto read = store_->GetUser(DivisionScope::All(), "county1");
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ((*read)->display_name, "测试 county1");
  EXPECT_EQ((*read)->role, Role::kCounty);
  EXPECT_EQ((*read)->password_hash, "$argon2id$hash-of-county1");
  EXPECT_EQ((*read)->created_at, kNow);
  auto by_id = store_->GetUserById(DivisionScope::All(), user.id);
  ASSERT_TRUE(by_id.ok() && by_id->has_value());
  EXPECT_EQ((*by_id)->username, "county1");
}

TEST_P(AccountStoreTest, DuplicateUsernameIsAlreadyExists) {
  Create("dup", Role::kCounty, kDatong);
  NewUser again{"dup", "x", Role::kAuditor, kLedu, "h", false};
  auto created = store_->CreateUser(DivisionScope::All(), again, kNow);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), StatusCode::kAlreadyExists);
}

TEST_P(AccountStoreTest, RoleMustSitAtItsLevel) {
  NewUser wrong{"wrong", "x", Role::kCounty, kDatongTown, "h", false};
  auto created = store_->CreateUser(DivisionScope::All(), wrong, kNow);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), StatusCode::kInvalidArgument);
  // Department and auditor may sit anywhere.
  Create("dept", Role::kDepartment, kDatongTown);
  Create("audit", Role::kAuditor, kVillageA1);
}

TEST_P(AccountStoreTest, BadUsernamesAndUnknownDivisionsAreRefused) {
  for (const char* name : {"", "has space", "中文", "semi;colon"}) {
    NewUser bad{name, "x", Role::kAuditor, kDatong, "h", false};
    auto created = store_->CreateUser(DivisionScope::All(), bad, kNow);
    ASSERT_FALSE(created.ok()) << name;
    EXPECT_EQ(created.status().code(), StatusCode::kInvalidArgument) << name;
  }
  NewUser nowhere{"nowhere", "x", Role::kAuditor, 639999000000, "h", false};
  auto created = store_->CreateUser(DivisionScope::All(), nowhere, kNow);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), StatusCode::kNotFound);
}

TEST_P(AccountStoreTest, CreateOutsideScopeIsNotFound) {
  NewUser outside{"outside", "x", Role::kCounty, kLedu, "h", false};
  auto created = store_->CreateUser(ScopeOf(kXining, DivisionLevel::kPrefecture), outside, kNow);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), StatusCode::kNotFound);
  auto absent = store_->GetUser(DivisionScope::All(), "outside");
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
}

TEST_P(AccountStoreTest, ReadsAreScoped) {
  Create("xining", Role::kPrefecture, kXining);
  Create("datong", Role::kCounty, kDatong);
  Create("town", Role::kTownship, kDatongTown);
  Create("ledu", Role::kCounty, kLedu);
  const DivisionScope datong = ScopeOf(kDatong, DivisionLevel::kCounty);
  auto seen = store_->GetUser(datong, "town");
  ASSERT_TRUE(seen.ok());
  EXPECT_TRUE(seen->has_value());
  for (const char* hidden : {"xining", "ledu"}) {
    auto read = store_->GetUser(datong, hidden);
    ASSERT_TRUE(read.ok());
    EXPECT_FALSE(read->has_value()) << hidden;
  }
  auto ledu = store_->GetUser(DivisionScope::All(), "ledu");
  ASSERT_TRUE(ledu.ok() && ledu->has_value());
  auto by_id = store_->GetUserById(datong, (*ledu)->id);
  ASSERT_TRUE(by_id.ok());
  EXPECT_FALSE(by_id->has_value());

  auto page = store_->ListUsers(ScopeOf(kXining, DivisionLevel::kPrefecture), "", 0, 100);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->total, 3);
  ASSERT_EQ(page->rows.size(), 3u);
  EXPECT_EQ(page->rows[0].username, "xining");  // ordered by division code
  EXPECT_EQ(page->rows[1].username, "datong");
  EXPECT_EQ(page->rows[2].username, "town");
  auto count = store_->CountUsers(datong);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 2);
}

TEST_P(AccountStoreTest, ListPagesAndFiltersByKeywordLiterally) {
  for (int user_idx = 0; user_idx < 5; ++user_idx)
    Create("user" + std::to_string(user_idx), Role::kAuditor, kDatong);
  Create("odd_name", Role::kAuditor, kDatong);
  auto page = store_->ListUsers(DivisionScope::All(), "", 2, 2);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 6);
  ASSERT_EQ(page->rows.size(), 2u);
  EXPECT_EQ(page->rows[0].username, "user1");
  auto filtered = store_->ListUsers(DivisionScope::All(), "_", 0, 10);  // literal underscore, not a wildcard
  ASSERT_TRUE(filtered.ok());
  ASSERT_EQ(filtered->total, 1);
  EXPECT_EQ(filtered->rows[0].username, "odd_name");
  auto by_display = store_->ListUsers(DivisionScope::All(), "测试 user3", 0, 10);
  ASSERT_TRUE(by_display.ok());
  EXPECT_EQ(by_display->total, 1);
}

TEST_P(AccountStoreTest, UpdateIsScopedAndChecksLevel) {
  Create("town", Role::kTownship, kDatongTown);
  const DivisionScope ledu = ScopeOf(kLedu, DivisionLevel::kCounty);
  UserUpdate rename;
  rename.display_name = "新名字";
  auto hidden = store_->UpdateUser(ledu, "town", rename);
  ASSERT_FALSE(hidden.ok());
  EXPECT_EQ(hidden.status().code(), StatusCode::kNotFound);

  const DivisionScope datong = ScopeOf(kDatong, DivisionLevel::kCounty);
  auto renamed = store_->UpdateUser(datong, "town", rename);
  ASSERT_TRUE(renamed.ok()) << renamed.status().ToString();
  EXPECT_EQ(renamed->display_name, "新名字");

  UserUpdate move_out;
  move_out.division_code = kLeduTown;
  auto moved = store_->UpdateUser(datong, "town", move_out);
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.status().code(), StatusCode::kNotFound);

  UserUpdate bad_level;
  bad_level.role = Role::kCounty;
  auto level = store_->UpdateUser(datong, "town", bad_level);
  ASSERT_FALSE(level.ok());
  EXPECT_EQ(level.status().code(), StatusCode::kInvalidArgument);

  UserUpdate to_village;
  to_village.role = Role::kVillage;
  to_village.division_code = kVillageA1;
  auto village = store_->UpdateUser(datong, "town", to_village);
  ASSERT_TRUE(village.ok()) << village.status().ToString();
  EXPECT_EQ(village->division_level, DivisionLevel::kVillage);
  EXPECT_EQ(village->scope(), ScopeOf(kVillageA1, DivisionLevel::kVillage));
}

TEST_P(AccountStoreTest, LockoutAfterFiveFailuresInWindow) {
  Create("victim", Role::kCounty, kDatong);
  for (int attempt = 1; attempt < kMaxFailedLogins; ++attempt) {
    auto outcome = store_->RecordFailedLogin("victim", kNow + attempt);
    ASSERT_TRUE(outcome.ok());
    EXPECT_EQ(outcome->failed_logins, attempt);
    EXPECT_FALSE(outcome->locked);
  }
  auto fifth = store_->RecordFailedLogin("victim", kNow + 10);
  ASSERT_TRUE(fifth.ok());
  EXPECT_TRUE(fifth->locked);
  EXPECT_EQ(fifth->locked_until, kNow + 10 + kLockSeconds);
  auto user = store_->GetUser(DivisionScope::All(), "victim");
  ASSERT_TRUE(user.ok() && user->has_value());
  EXPECT_TRUE((*user)->IsLocked(kNow + 11));
  EXPECT_FALSE((*user)->IsLocked(kNow + 10 + kLockSeconds));
  // Attempts while locked do not extend the lock.
  auto during = store_->RecordFailedLogin("victim", kNow + 100);
  ASSERT_TRUE(during.ok());
  EXPECT_TRUE(during->locked);
  EXPECT_EQ(during->locked_until, kNow + 10 + kLockSeconds);

  auto unknown = store_->RecordFailedLogin("nobody", kNow);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
}

TEST_P(AccountStoreTest, FailuresOutsideTheWindowStartOver) {
  Create("slow", Role::kCounty, kDatong);
  for (int attempt = 0; attempt < 4; ++attempt)
    ASSERT_TRUE(store_->RecordFailedLogin("slow", kNow + attempt).ok());
  auto later = store_->RecordFailedLogin("slow", kNow + kFailureWindowSeconds + 5);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->failed_logins, 1);
  EXPECT_FALSE(later->locked);
}

TEST_P(AccountStoreTest, ClearFailedLoginsUnlocksWithinScope) {
  Create("locked", Role::kCounty, kDatong);
  for (int attempt = 0; attempt < kMaxFailedLogins; ++attempt) {
    ASSERT_TRUE(store_->RecordFailedLogin("locked", kNow + attempt).ok());
  }
  Status outside = store_->ClearFailedLogins(ScopeOf(kLedu, DivisionLevel::kCounty), "locked");
  EXPECT_EQ(outside.code(), StatusCode::kNotFound);
  ASSERT_TRUE(store_->ClearFailedLogins(ScopeOf(kXining, DivisionLevel::kPrefecture), "locked").ok());
  auto user = store_->GetUser(DivisionScope::All(), "locked");
  ASSERT_TRUE(user.ok() && user->has_value());
  EXPECT_FALSE((*user)->IsLocked(kNow + 10));
  EXPECT_EQ((*user)->failed_logins, 0);
}

TEST_P(AccountStoreTest, SessionsExpireWhenIdle) {
  User user = Create("s", Role::kCounty, kDatong);
  Session session{"aa11", user.id, "csrf-1", kNow, kNow};
  ASSERT_TRUE(store_->CreateSession(session).ok());
  auto found = store_->TouchSession("aa11", kNow + 3600);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->first.csrf_token, "csrf-1");
  EXPECT_EQ((*found)->second.username, "s");
  EXPECT_EQ((*found)->first.last_seen_at, kNow + 3600);  // touched
  // Idle 8 h after the last use: gone.
  auto still = store_->TouchSession("aa11", kNow + 3600 + kSessionIdleSeconds - 1);
  ASSERT_TRUE(still.ok());
  EXPECT_TRUE(still->has_value());
  auto expired = store_->TouchSession("aa11", kNow + 3600 + 2 * kSessionIdleSeconds);
  ASSERT_TRUE(expired.ok());
  EXPECT_FALSE(expired->has_value());
  auto unknown = store_->TouchSession("ffff", kNow);
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->has_value());
}

TEST_P(AccountStoreTest, DeleteAndPurgeSessions) {
  User user = Create("s", Role::kCounty, kDatong);
  ASSERT_TRUE(store_->CreateSession({"old", user.id, "c", kNow, kNow}).ok());
  ASSERT_TRUE(store_->CreateSession({"new", user.id, "c", kNow, kNow + kSessionIdleSeconds}).ok());
  auto purged = store_->PurgeExpiredSessions(kNow + kSessionIdleSeconds + 1);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 1);
  ASSERT_TRUE(store_->DeleteSession("new").ok());
  auto gone = store_->TouchSession("new", kNow + kSessionIdleSeconds + 2);
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
}

TEST_P(AccountStoreTest, DisablingAndPasswordChangeEndSessions) {
  User user = Create("d", Role::kCounty, kDatong);
  ASSERT_TRUE(store_->CreateSession({"one", user.id, "c", kNow, kNow}).ok());
  ASSERT_TRUE(store_->CreateSession({"two", user.id, "c", kNow, kNow}).ok());
  ASSERT_TRUE(store_->SetPassword(DivisionScope::All(), "d", "$argon2id$new", true, "one").ok());
  auto kept = store_->TouchSession("one", kNow + 1);
  ASSERT_TRUE(kept.ok());
  ASSERT_TRUE(kept->has_value());
  EXPECT_TRUE((*kept)->second.must_change_password);
  EXPECT_EQ((*kept)->second.password_hash, "$argon2id$new");
  auto ended = store_->TouchSession("two", kNow + 1);
  ASSERT_TRUE(ended.ok());
  EXPECT_FALSE(ended->has_value());

  Status outside = store_->SetPassword(ScopeOf(kLedu, DivisionLevel::kCounty), "d", "$x", false, "");
  EXPECT_EQ(outside.code(), StatusCode::kNotFound);

  UserUpdate disable;
  disable.disabled = true;
  ASSERT_TRUE(store_->UpdateUser(DivisionScope::All(), "d", disable).ok());
  auto after = store_->TouchSession("one", kNow + 2);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->has_value());
}

TEST_P(AccountStoreTest, AuditIsAppendedAndScoped) {
  ASSERT_TRUE(
      store_
          ->AppendAudit({0, kNow, "datong", kDatong, AuditAction::kLogin, "datong", kDatong, "", "127.0.0.1"})
          .ok());
  ASSERT_TRUE(store_
                  ->AppendAudit({0, kNow + 1, "datong", kDatong, AuditAction::kUnmask, "H1", kVillageA1,
                                 "id_number 1", "127.0.0.1"})
                  .ok());
  ASSERT_TRUE(
      store_->AppendAudit({0, kNow + 2, "ledu", kLedu, AuditAction::kLoginFailed, "ledu", kLedu, "", ""})
          .ok());
  auto all = store_->ListAudit(DivisionScope::All(), 10);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].action, AuditAction::kLoginFailed);  // newest first
  EXPECT_EQ((*all)[1].action, AuditAction::kUnmask);
  EXPECT_EQ((*all)[1].detail, "id_number 1");
  auto datong = store_->ListAudit(ScopeOf(kDatong, DivisionLevel::kCounty), 10);
  ASSERT_TRUE(datong.ok());
  ASSERT_EQ(datong->size(), 2u);
  for (const AuditEvent& event : *datong) EXPECT_EQ(event.actor, "datong");
}

TEST_P(AccountStoreTest, SurvivesReopen) {
  Create("persist", Role::kProvince, kProvince);
  store_.reset();
  auto reopened = OpenAccountStore(dir_ + "/registry.db");
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  auto user = (*reopened)->GetUser(DivisionScope::All(), "persist");
  ASSERT_TRUE(user.ok() && user->has_value());
  EXPECT_EQ((*user)->role, Role::kProvince);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountStoreTest, ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<AccountBackend>& info) {
                           return info.param.name;
                         });

TEST(RoleTest, CodesRoundTripAndLevels) {
  for (Role role : AllRoles()) {
    Role parsed = Role::kAuditor;
    ASSERT_TRUE(ParseRole(RoleCode(role), &parsed)) << RoleCode(role);
    EXPECT_EQ(parsed, role);
    EXPECT_FALSE(RoleLabel(role).empty());
  }
  Role unused;
  EXPECT_FALSE(ParseRole("admin", &unused));
  EXPECT_EQ(RequiredLevel(Role::kTownship), DivisionLevel::kTownship);
  EXPECT_FALSE(RequiredLevel(Role::kAuditor).has_value());
  EXPECT_FALSE(RequiredLevel(Role::kDepartment).has_value());
}

}  // namespace
}  // namespace zx
