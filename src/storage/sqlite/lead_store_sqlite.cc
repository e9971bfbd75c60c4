#include "storage/sqlite/lead_store_sqlite.h"

#include <fmt/format.h>

#include <string_view>

#include "storage/sqlite/sqlite_store.h"

namespace zx::sqlite {
namespace {

std::string JoinLines(const std::vector<std::string>& items) {
  std::string joined;
  for (size_t item_idx = 0; item_idx < items.size(); ++item_idx) {
    if (item_idx > 0) joined += '\n';
    joined += items[item_idx];
  }
  return joined;
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> items;
  if (text.empty()) return items;
  size_t start = 0;
  for (;;) {
    size_t end = text.find('\n', start);
    items.emplace_back(
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return items;
}

Status CheckNoNewline(const Lead& lead, const std::vector<std::string>& items, std::string_view what) {
  for (const std::string& item : items) {
    if (item.find('\n') != std::string::npos || item.empty()) {
      return InvalidArgument(fmt::format("户编号 {} 的监测线索：{}“{}”为空或含有换行，无法保存",
                                         lead.household_number, what, item));
    }
  }
  return Status::Ok();
}

constexpr const char* kLeadColumns =
    "household_number, village_code, monitoring_type, risk_codes, deprivations, per_capita_net_income, "
    "explanations";

Lead ReadLead(const Statement& row) {
  Lead lead;
  lead.household_number = std::string(row.ColumnText(0));
  lead.village_code = row.ColumnInt(1);
  lead.monitoring_type = std::string(row.ColumnText(2));
  lead.risk_codes = SplitLines(row.ColumnText(3));
  lead.deprivations = SplitLines(row.ColumnText(4));
  lead.per_capita_net_income = row.ColumnInt(5);
  lead.explanations = SplitLines(row.ColumnText(6));
  return lead;
}

ScreeningRun ReadRun(const Statement& row) {
  ScreeningRun run;
  run.id = row.ColumnInt(0);
  run.year = static_cast<int>(row.ColumnInt(1));
  run.scope.lo = row.ColumnInt(2);
  run.scope.hi = row.ColumnInt(3);
  run.rules_digest = std::string(row.ColumnText(4));
  run.run_by = std::string(row.ColumnText(5));
  run.run_at = std::string(row.ColumnText(6));
  run.households = row.ColumnInt(7);
  run.leads = row.ColumnInt(8);
  return run;
}

}  // namespace

Result<std::unique_ptr<SqliteLeadStore>> SqliteLeadStore::Open(const std::string& path) {
  SqliteStoreOptions options;
  options.cache_size_kib = 16 * 1024;  // leads are small; the registry connection holds the big cache
  ASSIGN_OR_RETURN(auto db, OpenConfiguredDb(path, options));
  return std::unique_ptr<SqliteLeadStore>(new SqliteLeadStore(std::move(db)));
}

Result<ScreeningRun> SqliteLeadStore::ReplaceLeads(const DivisionScope& scope, const ScreeningRunInfo& info,
                                                   const std::vector<Lead>& leads) {
  for (const Lead& lead : leads) {
    if (!scope.Contains(lead.village_code)) {
      return PermissionDenied(fmt::format("户编号 {} 所在村 {} 不在本次筛查的行政区划范围内",
                                          lead.household_number, lead.village_code));
    }
    RETURN_IF_ERROR(CheckNoNewline(lead, lead.risk_codes, "风险类型代码"));
    RETURN_IF_ERROR(CheckNoNewline(lead, lead.deprivations, "缺失指标"));
    RETURN_IF_ERROR(CheckNoNewline(lead, lead.explanations, "说明"));
  }
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kWrite));
  ScreeningRun run;
  {
    ASSIGN_OR_RETURN(
        auto insert,
        db_->Prepare("INSERT INTO screening_runs (year, scope_lo, scope_hi, rules_digest, run_by, "
                     "run_at, households, leads) VALUES (?1, ?2, ?3, ?4, ?5, "
                     "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?6, ?7) RETURNING id, run_at"));
    insert->BindInt(1, info.year);
    insert->BindInt(2, scope.lo);
    insert->BindInt(3, scope.hi);
    insert->BindText(4, info.rules_digest);
    insert->BindText(5, info.run_by);
    insert->BindInt(6, info.households);
    insert->BindInt(7, static_cast<std::int64_t>(leads.size()));
    ASSIGN_OR_RETURN(bool row, insert->Step("记录筛查批次"));
    if (!row) return Internal("记录筛查批次失败：没有返回编号");
    run.id = insert->ColumnInt(0);
    run.run_at = std::string(insert->ColumnText(1));
    ASSIGN_OR_RETURN(bool more, insert->Step("记录筛查批次"));
    (void)more;
  }
  {
    ASSIGN_OR_RETURN(auto clear,
                     db_->Prepare("DELETE FROM leads WHERE year = ?1 AND village_code BETWEEN ?2 AND ?3"));
    clear->BindInt(1, info.year);
    clear->BindInt(2, scope.lo);
    clear->BindInt(3, scope.hi);
    RETURN_IF_ERROR(clear->Run("清除原有监测线索"));
  }
  {
    ASSIGN_OR_RETURN(auto known,
                     db_->Prepare("SELECT village_code FROM households WHERE household_number = ?1"));
    ASSIGN_OR_RETURN(auto insert,
                     db_->Prepare("INSERT INTO leads (year, household_number, village_code, "
                                  "monitoring_type, risk_codes, deprivations, per_capita_net_income, "
                                  "explanations, run_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
    for (const Lead& lead : leads) {
      known->Reset();
      known->BindText(1, lead.household_number);
      ASSIGN_OR_RETURN(bool found, known->Step("查找户"));
      if (!found || known->ColumnInt(0) != lead.village_code) {
        return NotFound(fmt::format("户编号 {}（村 {}）不在户籍库中，监测线索未保存", lead.household_number,
                                    lead.village_code));
      }
      insert->Reset();
      insert->BindInt(1, info.year);
      insert->BindText(2, lead.household_number);
      insert->BindInt(3, lead.village_code);
      insert->BindText(4, lead.monitoring_type);
      insert->BindText(5, JoinLines(lead.risk_codes));
      insert->BindText(6, JoinLines(lead.deprivations));
      insert->BindInt(7, lead.per_capita_net_income);
      insert->BindText(8, JoinLines(lead.explanations));
      insert->BindInt(9, run.id);
      Status inserted = insert->Run("保存监测线索");
      if (!inserted.ok()) return inserted.WithContext(fmt::format("户编号 {}：", lead.household_number));
    }
  }
  RETURN_IF_ERROR(transaction.Commit());
  run.year = info.year;
  run.scope = scope;
  run.rules_digest = info.rules_digest;
  run.run_by = info.run_by;
  run.households = info.households;
  run.leads = static_cast<std::int64_t>(leads.size());
  return run;
}

Status SqliteLeadStore::ScanLeads(const DivisionScope& scope, int year,
                                  const std::function<Status(const Lead&)>& visit) {
  static const std::string sql = fmt::format(
      "SELECT {} FROM leads WHERE year = ?1 AND village_code BETWEEN ?2 AND ?3 ORDER BY household_number",
      kLeadColumns);
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kRead));
  ASSIGN_OR_RETURN(auto select, db_->Prepare(sql.c_str()));
  select->BindInt(1, year);
  select->BindInt(2, scope.lo);
  select->BindInt(3, scope.hi);
  for (;;) {
    ASSIGN_OR_RETURN(bool row, select->Step("读取监测线索"));
    if (!row) break;
    RETURN_IF_ERROR(visit(ReadLead(*select)));
  }
  return transaction.Commit();
}

Result<std::optional<Lead>> SqliteLeadStore::GetLead(const DivisionScope& scope, int year,
                                                     const std::string& household_number) {
  static const std::string sql = fmt::format(
      "SELECT {} FROM leads WHERE year = ?1 AND household_number = ?2 AND village_code BETWEEN ?3 AND ?4",
      kLeadColumns);
  ASSIGN_OR_RETURN(auto select, db_->Prepare(sql.c_str()));
  select->BindInt(1, year);
  select->BindText(2, household_number);
  select->BindInt(3, scope.lo);
  select->BindInt(4, scope.hi);
  ASSIGN_OR_RETURN(bool row, select->Step("读取监测线索"));
  if (!row) return std::optional<Lead>();
  Lead lead = ReadLead(*select);
  select->Reset();
  return std::optional<Lead>(std::move(lead));
}

Result<std::vector<ScreeningRun>> SqliteLeadStore::ListRuns(const DivisionScope& scope, int limit) {
  ASSIGN_OR_RETURN(
      auto select,
      db_->Prepare("SELECT id, year, scope_lo, scope_hi, rules_digest, run_by, run_at, households, "
                   "leads FROM screening_runs WHERE scope_lo <= ?2 AND scope_hi >= ?1 "
                   "ORDER BY id DESC LIMIT ?3"));
  select->BindInt(1, scope.lo);
  select->BindInt(2, scope.hi);
  select->BindInt(3, limit);
  std::vector<ScreeningRun> runs;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, select->Step("读取筛查批次"));
    if (!row) break;
    runs.push_back(ReadRun(*select));
  }
  return runs;
}

}  // namespace zx::sqlite
