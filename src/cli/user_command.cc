// `zhenxing user add|list|passwd|unlock --db FILE …`: account management by
// an operator who holds the database file (the province scope). A user made
// or re-passworded here must change the password at the first login.
#include <fmt/format.h>

#include <chrono>
#include <iostream>

#include "cli/command.h"
#include "http/auth.h"
#include "storage/account_store.h"
#include "storage/store.h"

namespace zx::cli {
namespace {

struct UserArgs {
  std::string db;
  std::string username;
  std::string display_name;
  std::string role = "province";
  std::string division = "630000000000";
  std::string password;
};

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<std::unique_ptr<AccountStore>> OpenAccounts(const std::string& db) {
  // OpenStore first so a new database gets its division table.
  ASSIGN_OR_RETURN(DivisionTable divisions, DivisionTable::LoadDefault());
  ASSIGN_OR_RETURN(auto store, OpenStore(db, divisions));
  store.reset();
  return OpenAccountStore(db);
}

Result<std::string> PasswordOrGenerated(const std::string& given, bool* generated) {
  *generated = given.empty();
  if (given.empty()) return http::GeneratePassword();
  RETURN_IF_ERROR(http::CheckPasswordRule(given));
  return given;
}

Status AddUser(const UserArgs& args) {
  Role role;
  if (!ParseRole(args.role, &role)) {
    return InvalidArgument(
        "--role 的值“" + args.role +
        "”无效：应为 province、prefecture、county、township、village、department 或 auditor");
  }
  DivisionCode code = 0;
  try {
    code = std::stoll(args.division.size() == 6 ? args.division + "000000" : args.division);
  } catch (...) {
    return InvalidArgument("--division 须为行政区划代码，收到“" + args.division + "”");
  }
  bool generated = false;
  ASSIGN_OR_RETURN(std::string password, PasswordOrGenerated(args.password, &generated));
  ASSIGN_OR_RETURN(std::string hash, http::HashPassword(password));
  ASSIGN_OR_RETURN(auto accounts, OpenAccounts(args.db));
  NewUser user{args.username, args.display_name.empty() ? args.username : args.display_name, role, code, hash,
               true};
  ASSIGN_OR_RETURN(User created, accounts->CreateUser(DivisionScope::All(), user, Now()));
  RETURN_IF_ERROR(
      accounts->AppendAudit({0, Now(), "(cli)", 0, AuditAction::kUserCreated, created.username,
                             created.division_code, fmt::format("role {}", RoleCode(role)), "cli"}));
  std::cout << fmt::format("已创建用户 {}（{}，区划 {}），首次登录须修改密码\n", created.username,
                           RoleLabel(role), created.division_code);
  if (generated) std::cout << "  初始密码：" << password << "\n";
  return Status::Ok();
}

Status ListUsers(const UserArgs& args) {
  ASSIGN_OR_RETURN(auto accounts, OpenAccounts(args.db));
  ASSIGN_OR_RETURN(UserPage page, accounts->ListUsers(DivisionScope::All(), "", 0, 1'000'000));
  const std::int64_t now = Now();
  std::cout << fmt::format("{:<16} {:<16} {:<14} {:<14} {}\n", "用户名", "姓名", "角色", "区划", "状态");
  for (const User& user : page.rows) {
    std::string state = user.disabled ? "已停用" : (user.IsLocked(now) ? "已锁定" : "正常");
    if (user.must_change_password) state += "，须修改密码";
    std::cout << fmt::format("{:<16} {:<16} {:<14} {:<14} {}\n", user.username, user.display_name,
                             RoleCode(user.role), user.division_code, state);
  }
  std::cout << "共 " << page.total << " 个用户\n";
  return Status::Ok();
}

Status SetPassword(const UserArgs& args) {
  bool generated = false;
  ASSIGN_OR_RETURN(std::string password, PasswordOrGenerated(args.password, &generated));
  ASSIGN_OR_RETURN(std::string hash, http::HashPassword(password));
  ASSIGN_OR_RETURN(auto accounts, OpenAccounts(args.db));
  RETURN_IF_ERROR(accounts->SetPassword(DivisionScope::All(), args.username, hash, true, ""));
  RETURN_IF_ERROR(accounts->AppendAudit(
      {0, Now(), "(cli)", 0, AuditAction::kPasswordReset, args.username, 0, "", "cli"}));
  std::cout << "已重置用户 " << args.username << " 的密码，下次登录须修改密码\n";
  if (generated) std::cout << "  新密码：" << password << "\n";
  return Status::Ok();
}

Status Unlock(const UserArgs& args) {
  ASSIGN_OR_RETURN(auto accounts, OpenAccounts(args.db));
  RETURN_IF_ERROR(accounts->ClearFailedLogins(DivisionScope::All(), args.username));
  RETURN_IF_ERROR(
      accounts->AppendAudit({0, Now(), "(cli)", 0, AuditAction::kUserUnlocked, args.username, 0, "", "cli"}));
  std::cout << "已解除用户 " << args.username << " 的登录锁定\n";
  return Status::Ok();
}

void RegisterUserCommand(CLI::App& app) {
  auto args = std::make_shared<UserArgs>();
  CLI::App* user = app.add_subcommand("user", "管理登录账号（新建、列出、重置密码、解锁）");
  user->require_subcommand(1);
  auto run = [](Status (*fn)(const UserArgs&), std::shared_ptr<UserArgs> shared) {
    return [fn, shared]() {
      Status status = fn(*shared);
      if (!status.ok()) ReportError(status);
    };
  };
  CLI::App* add = user->add_subcommand("add", "新建账号（首次登录须修改密码）");
  add->add_option("--db", args->db, "数据库文件")->required();
  add->add_option("--username", args->username, "用户名")->required();
  add->add_option("--display-name", args->display_name, "姓名（默认同用户名）");
  add->add_option(
      "--role", args->role,
      "角色：province、prefecture、county、township、village、department、auditor（默认 province）");
  add->add_option("--division", args->division, "所属行政区划代码（默认 630000000000 青海省）");
  add->add_option("--password", args->password, "初始密码（省略时随机生成并显示）");
  add->callback(run(AddUser, args));

  CLI::App* list = user->add_subcommand("list", "列出全部账号");
  list->add_option("--db", args->db, "数据库文件")->required();
  list->callback(run(ListUsers, args));

  CLI::App* passwd = user->add_subcommand("passwd", "重置密码（下次登录须修改）");
  passwd->add_option("--db", args->db, "数据库文件")->required();
  passwd->add_option("--username", args->username, "用户名")->required();
  passwd->add_option("--password", args->password, "新密码（省略时随机生成并显示）");
  passwd->callback(run(SetPassword, args));

  CLI::App* unlock = user->add_subcommand("unlock", "解除登录失败锁定");
  unlock->add_option("--db", args->db, "数据库文件")->required();
  unlock->add_option("--username", args->username, "用户名")->required();
  unlock->callback(run(Unlock, args));
}

ZX_REGISTER_COMMAND(RegisterUserCommand);

}  // namespace
}  // namespace zx::cli
