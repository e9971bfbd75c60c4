// `zhenxing demo --db FILE [--households N] [--seed S] [--force] [--report]
//                [--demo-password P]`
// Creates a demo database holding a deterministic synthetic province
// (src/synth, docs/synthetic-data.md): all households are written in one
// transaction. `--dry-run` generates without a database and prints the
// distribution report (used to measure docs/synthetic-data.md).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>

#include "cli/command.h"
#include "common/progress.h"
#include "domain/division.h"
#include "domain/monitoring_lines.h"
#include "http/auth.h"
#include "storage/account_store.h"
#include "storage/store.h"
#include "synth/generator.h"
#include "synth/report.h"

namespace zx::cli {
namespace {

struct DemoArgs {
  std::string db;
  std::int64_t households = 20000;
  std::uint64_t seed = 1;
  std::string demo_password;
  bool force = false;
  bool report = false;
  bool dry_run = false;
};

// Feeds the generator to the store while keeping the distribution report.
class ReportingSource : public HouseholdSource {
 public:
  ReportingSource(ProvinceGenerator& generator, synth::SynthReport& report)
      : generator_(generator), report_(report) {}
  Result<bool> Next(HouseholdRecord* out) override {
    Result<bool> more = generator_.Next(out);
    if (more.ok() && *more) report_.Add(*out, generator_.last_shocks());
    return more;
  }
  std::int64_t SizeHint() const override { return generator_.SizeHint(); }

 private:
  ProvinceGenerator& generator_;
  synth::SynthReport& report_;
};

std::string Seconds(std::chrono::steady_clock::duration elapsed) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", std::chrono::duration<double>(elapsed).count());
  return buf;
}

Status RemoveDatabase(const std::string& path) {
  std::error_code error;
  for (const std::string& file : {path, path + "-wal", path + "-shm", path + "-journal"}) {
    std::filesystem::remove(file, error);
    if (error) return Unavailable("无法删除已有数据库文件 " + file + "：" + error.message());
  }
  return Status::Ok();
}

// One account per role, placed in divisions that hold generated households:
// the village with the most households among the first 50,000 (so one case
// can pass through village ⊂ township ⊂ county with several households to
// work on) and its township, county and prefecture. Demo accounts need not
// change their password.
Status CreateDemoAccounts(const DemoArgs& args, const DivisionTable& divisions, Store& store) {
  constexpr std::int64_t kScanLimit = 50000;
  std::map<DivisionCode, std::int64_t> per_village;
  std::int64_t scanned_count = 0;
  Status scanned = store.ScanHouseholds(DivisionScope::All(), [&](const HouseholdRecord& household) {
    ++per_village[household.household.village_code];
    if (++scanned_count >= kScanLimit) return Status(StatusCode::kAlreadyExists, "scanned enough households");
    return Status::Ok();
  });
  if (!scanned.ok() && scanned.code() != StatusCode::kAlreadyExists) return scanned;
  DivisionCode village = 0;
  std::int64_t most = 0;
  for (const auto& [code, count] : per_village) {
    if (count > most) {
      village = code;
      most = count;
    }
  }
  if (village == 0) return Status::Ok();
  auto parent = [&](DivisionCode code) {
    const Division* division = divisions.Find(code);
    return division != nullptr ? division->parent_code : DivisionCode{0};
  };
  const DivisionCode township = parent(village);
  const DivisionCode county = parent(township);
  const DivisionCode prefecture = parent(county);
  const DivisionCode province = parent(prefecture);
  struct Demo {
    const char* username;
    const char* display_name;
    Role role;
    DivisionCode division;
  };
  const Demo demos[] = {
      {"admin", "省级管理员（演示）", Role::kProvince, province},
      {"prefecture", "市州用户（演示）", Role::kPrefecture, prefecture},
      {"county", "县级用户（演示）", Role::kCounty, county},
      {"township", "乡镇用户（演示）", Role::kTownship, township},
      {"village", "村级用户（演示）", Role::kVillage, village},
      {"department", "部门上传员（演示）", Role::kDepartment, county},
      {"auditor", "审计员（演示）", Role::kAuditor, prefecture},
  };
  std::string password = args.demo_password;
  const bool generated = password.empty();
  if (generated) {
    ASSIGN_OR_RETURN(password, http::GeneratePassword());
  }
  ASSIGN_OR_RETURN(std::string hash, http::HashPassword(password));
  ASSIGN_OR_RETURN(auto accounts, OpenAccountStore(args.db));
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  std::cout << "  演示账号（密码" << (generated ? "为随机生成" : "由 --demo-password 指定") << "）：\n";
  std::cout << "    用户名        角色              所属区划\n";
  for (const Demo& demo : demos) {
    NewUser user{demo.username, demo.display_name, demo.role, demo.division, hash, false};
    ASSIGN_OR_RETURN(std::optional<User> existing, accounts->GetUser(DivisionScope::All(), demo.username));
    if (existing) continue;  // --force removed the file; an existing account is kept as it is
    RETURN_IF_ERROR(accounts->CreateUser(DivisionScope::All(), user, now).status());
    std::cout << "    " << demo.username << std::string(14 - std::string_view(demo.username).size(), ' ')
              << RoleLabel(demo.role) << "  " << demo.division << " " << divisions.FullName(demo.division)
              << "\n";
  }
  std::cout << "    密码：" << password << "\n";
  return Status::Ok();
}

Status RunDemo(const DemoArgs& args) {
  if (args.households <= 0) return InvalidArgument("--households 必须为正整数");
  if (!args.dry_run && args.db.empty())
    return InvalidArgument("请用 --db 指定数据库文件（或用 --dry-run 只生成不写库）");
  const auto start = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(DivisionTable divisions, DivisionTable::LoadDefault());
  ASSIGN_OR_RETURN(auto lines, LoadDefaultMonitoringLines());
  const std::map<int, Fen> line_amounts = MonitoringLineAmounts(lines);

  ProvinceGenerator generator(divisions, GeneratorOptions{args.households, args.seed});
  RETURN_IF_ERROR(generator.status());
  synth::SynthReport report(divisions, line_amounts);

  if (args.dry_run) {
    ProgressBar bar("生成演示农户（不写库）", args.households);
    HouseholdRecord record;
    while (true) {
      ASSIGN_OR_RETURN(bool more, generator.Next(&record));
      if (!more) break;
      report.Add(record, generator.last_shocks());
      if (generator.produced() % 1000 == 0) bar.Set(generator.produced());
    }
    bar.Finish();
    std::cout << report.Format();
    std::cout << "已生成 " << generator.produced() << " 户（未写入数据库），种子 " << args.seed << "，用时 "
              << Seconds(std::chrono::steady_clock::now() - start) << " 秒\n";
    return Status::Ok();
  }

  std::error_code exists_error;
  if (std::filesystem::exists(args.db, exists_error)) {
    {
      ASSIGN_OR_RETURN(auto existing, OpenStore(args.db, divisions));
      ASSIGN_OR_RETURN(std::int64_t count, existing->CountHouseholds(DivisionScope::All()));
      if (count > 0 && !args.force) {
        return FailedPrecondition("数据库 " + args.db + " 已有 " + std::to_string(count) +
                                  " 户农户，未覆盖；如需重新生成演示数据请加 --force（将删除原文件）");
      }
    }
    if (args.force) RETURN_IF_ERROR(RemoveDatabase(args.db));
  }
  ASSIGN_OR_RETURN(auto store, OpenStore(args.db, divisions));
  RETURN_IF_ERROR(store->SetMeta("synth.seed", std::to_string(args.seed)));
  RETURN_IF_ERROR(store->SetMeta("synth.households", std::to_string(args.households)));
  RETURN_IF_ERROR(store->SetMeta("synth.generator_version", std::string(kGeneratorVersion)));

  ReportingSource source(generator, report);
  ProgressBar bar("生成演示农户", args.households);
  ASSIGN_OR_RETURN(WriteCounts counts, store->UpsertHouseholds(DivisionScope::All(), source,
                                                               [&](std::int64_t done) { bar.Set(done); }));
  bar.Finish();
  ASSIGN_OR_RETURN(RegistryStats stats, store->ComputeStats(DivisionScope::All(), line_amounts));
  const auto elapsed = std::chrono::steady_clock::now() - start;

  if (args.report) std::cout << report.Format();
  std::cout << "演示数据已写入 " << args.db << "（种子 " << args.seed << "，生成器 " << kGeneratorVersion
            << "）\n";
  std::cout << "  农户 " << stats.households << " 户（新增 " << counts.inserted << "），在世人口 "
            << stats.persons << " 人，分布在 " << generator.village_count() << " 个农村村\n";
  std::cout << "  脱贫户 " << stats.ex_poor_households << " 户，脱贫人口 " << stats.ex_poor_persons
            << " 人\n";
  for (const auto& [year, below] : stats.below_line_households) {
    auto line = line_amounts.find(year);
    std::cout << "  " << year << " 年人均纯收入低于监测范围（"
              << (line != line_amounts.end() ? FormatYuan(line->second) : "?") << " 元"
              << (lines.at(year).official ? "" : "，示例值") << "）的农户 " << below << " 户\n";
  }
  RETURN_IF_ERROR(CreateDemoAccounts(args, divisions, *store));
  std::cout << "  用时 " << Seconds(elapsed) << " 秒\n";
  return Status::Ok();
}

void RegisterDemoCommand(CLI::App& app) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* demo = app.add_subcommand(
      "demo", "生成确定性的合成演示省份（农村农户、家庭成员、2020–2025 年收入）并写入数据库");
  demo->add_option("--db", args->db, "数据库文件（SQLite）");
  demo->add_option("--households", args->households, "农户数（默认 20000；全省规模约 600000）")
      ->check(CLI::PositiveNumber);
  demo->add_option("--seed", args->seed, "随机种子：相同种子生成完全相同的数据（默认 1）");
  demo->add_flag("--force", args->force, "数据库已有农户时删除原文件并重新生成");
  demo->add_flag("--report", args->report, "另外输出分布报告（民族、脱贫人口、收入、冲击、监测范围等）");
  demo->add_flag("--dry-run", args->dry_run, "只生成并输出分布报告，不写数据库");
  demo->add_option("--demo-password", args->demo_password,
                   "演示账号（admin、prefecture、county、township、village、department、auditor）的密码；省略"
                   "时随机生成并显示");
  demo->callback([args]() {
    Status status = RunDemo(*args);
    if (!status.ok()) ReportError(status);
  });
}

ZX_REGISTER_COMMAND(RegisterDemoCommand);

}  // namespace
}  // namespace zx::cli
