#include "storage/sqlite/case_store_sqlite.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string_view>

#include "storage/sqlite/sqlite_store.h"

namespace zx::sqlite {
namespace {

// The SQL below writes the closed stages as the literals 12 and 13 and the
// first monitoring stage as 7 (also in the partial unique index of
// schema_cases.cc); these keep them tied to the enum.
static_assert(static_cast<int>(CaseStage::kEliminated) == 12);
static_assert(static_cast<int>(CaseStage::kRejected) == 13);
static_assert(static_cast<int>(CaseStage::kMonitored) == 7);
constexpr std::int64_t kMaxPageSize = 1000;
constexpr std::int64_t kProgressEvery = 4096;

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

std::string DateText(const Date& date) { return date.year == 0 ? std::string() : date.ToIso(); }

Result<Date> DateFromText(std::string_view text, std::int64_t case_id, std::string_view what) {
  if (text.empty()) return Date{};
  Result<Date> parsed = ParseDate(text);
  if (!parsed.ok()) {
    return DataLoss(fmt::format("案件 #{} 的{}日期“{}”已损坏，无法读取", case_id, what, text));
  }
  return parsed;
}

Status ValidateCase(const Case& c) {
  for (const std::string& code : c.risk_codes) {
    if (code.empty() || code.find('\n') != std::string::npos) {
      return InvalidArgument(fmt::format("户编号 {} 的案件：风险类型代码“{}”为空或含有换行，无法保存",
                                         c.household_number, code));
    }
  }
  if (c.household_number.empty()) return InvalidArgument("案件缺少户编号，无法保存");
  return Status::Ok();
}

constexpr const char* kCaseColumns =
    "id, household_number, village_code, source, source_detail, stage, version, opened_at, due_at, "
    "decided_at, authorization_signed, verification_note, comparison_note, appraisal_for, appraisal_against, "
    "notice_started_at, notice_ends_at, monitoring_type, risk_codes, monitored_since, elimination_kind, "
    "elimination_proposed_at, closed_at, closed_reason, updated_at, updated_by";

Case ReadCase(const Statement& row) {
  Case c;
  c.id = row.ColumnInt(0);
  c.household_number = std::string(row.ColumnText(1));
  c.village_code = row.ColumnInt(2);
  c.source = static_cast<CaseSource>(row.ColumnInt(3));
  c.source_detail = std::string(row.ColumnText(4));
  c.stage = static_cast<CaseStage>(row.ColumnInt(5));
  c.version = row.ColumnInt(6);
  c.opened_at = row.ColumnInt(7);
  c.due_at = row.ColumnInt(8);
  c.decided_at = row.ColumnInt(9);
  c.authorization_signed = row.ColumnBool(10);
  c.verification_note = std::string(row.ColumnText(11));
  c.comparison_note = std::string(row.ColumnText(12));
  c.appraisal_for = static_cast<int>(row.ColumnInt(13));
  c.appraisal_against = static_cast<int>(row.ColumnInt(14));
  c.notice_started_at = row.ColumnInt(15);
  c.notice_ends_at = row.ColumnInt(16);
  c.monitoring_type = std::string(row.ColumnText(17));
  c.risk_codes = SplitLines(row.ColumnText(18));
  c.monitored_since = row.ColumnInt(19);
  c.elimination_kind = static_cast<EliminationKind>(row.ColumnInt(20));
  c.elimination_proposed_at = row.ColumnInt(21);
  c.closed_at = row.ColumnInt(22);
  c.closed_reason = std::string(row.ColumnText(23));
  c.updated_at = row.ColumnInt(24);
  c.updated_by = std::string(row.ColumnText(25));
  return c;
}

// Binds the mutable columns as ?3 … ?25 (?1 household_number and
// ?2 village_code only for an insert; ?6 version is not bound here).
void BindCaseColumns(Statement& statement, const Case& c) {
  statement.BindInt(3, static_cast<int>(c.source));
  statement.BindText(4, c.source_detail);
  statement.BindInt(5, static_cast<int>(c.stage));
  statement.BindInt(7, c.opened_at);
  statement.BindInt(8, c.due_at);
  statement.BindInt(9, c.decided_at);
  statement.BindBool(10, c.authorization_signed);
  statement.BindText(11, c.verification_note);
  statement.BindText(12, c.comparison_note);
  statement.BindInt(13, c.appraisal_for);
  statement.BindInt(14, c.appraisal_against);
  statement.BindInt(15, c.notice_started_at);
  statement.BindInt(16, c.notice_ends_at);
  statement.BindText(17, c.monitoring_type);
  statement.BindText(18, JoinLines(c.risk_codes));
  statement.BindInt(19, c.monitored_since);
  statement.BindInt(20, static_cast<int>(c.elimination_kind));
  statement.BindInt(21, c.elimination_proposed_at);
  statement.BindInt(22, c.closed_at);
  statement.BindText(23, c.closed_reason);
  statement.BindInt(24, c.updated_at);
  statement.BindText(25, c.updated_by);
}

constexpr const char* kEventColumns =
    "seq, case_id, at, actor, actor_role, division, action, from_stage, to_stage, case_version, reason, "
    "detail_json, prev_hash, hash";

CaseEvent ReadEvent(const Statement& row) {
  CaseEvent event;
  event.seq = row.ColumnInt(0);
  event.case_id = row.ColumnInt(1);
  event.at = row.ColumnInt(2);
  event.actor = std::string(row.ColumnText(3));
  event.actor_role = std::string(row.ColumnText(4));
  event.division = row.ColumnInt(5);
  event.action = static_cast<CaseAction>(row.ColumnInt(6));
  event.from_stage = static_cast<CaseStage>(row.ColumnInt(7));
  event.to_stage = static_cast<CaseStage>(row.ColumnInt(8));
  event.case_version = row.ColumnInt(9);
  event.reason = std::string(row.ColumnText(10));
  event.detail_json = std::string(row.ColumnText(11));
  event.prev_hash = std::string(row.ColumnText(12));
  event.hash = std::string(row.ColumnText(13));
  return event;
}

// Ids of a case's child rows: checks that every non-zero id of `items` is
// one of `existing` and appears once.
template <typename Item>
Status CheckChildIds(const std::vector<Item>& items, const std::set<std::int64_t>& existing,
                     std::int64_t case_id, std::string_view what) {
  std::set<std::int64_t> seen;
  for (const Item& item : items) {
    if (item.id == 0) continue;
    if (!existing.contains(item.id)) {
      return InvalidArgument(fmt::format("{} #{} 不属于案件 #{}，无法保存", what, item.id, case_id));
    }
    if (!seen.insert(item.id).second) {
      return InvalidArgument(fmt::format("案件 #{} 中{} #{} 出现了两次", case_id, what, item.id));
    }
  }
  return Status::Ok();
}

// Makes the stored child rows of case `case_id` in `table` equal `items`:
// existing ids are checked (CheckChildIds), every item is upserted by
// `upsert_sql` (?1 id or NULL for a new row, ?2 case id, the rest bound by
// `bind`) and gets its id back, and rows no longer listed are deleted.
template <typename Item, typename Bind>
Status SyncChildren(SqliteDb& db, std::int64_t case_id, std::string_view table, std::string_view what,
                    const char* upsert_sql, std::vector<Item>& items, const Bind& bind) {
  std::set<std::int64_t> existing;
  {
    const std::string select_sql = fmt::format("SELECT id FROM {} WHERE case_id = ?1", table);
    ASSIGN_OR_RETURN(auto ids, db.Prepare(select_sql.c_str()));
    ids->BindInt(1, case_id);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, ids->Step(fmt::format("读取{}", what)));
      if (!row) break;
      existing.insert(ids->ColumnInt(0));
    }
  }
  RETURN_IF_ERROR(CheckChildIds(items, existing, case_id, what));
  ASSIGN_OR_RETURN(auto upsert, db.Prepare(upsert_sql));
  for (Item& item : items) {
    upsert->Reset();
    if (item.id != 0) upsert->BindInt(1, item.id);  // unbound = NULL: a new id
    upsert->BindInt(2, case_id);
    bind(upsert, item);
    ASSIGN_OR_RETURN(bool row, upsert->Step(fmt::format("保存{}", what)));
    if (!row) return Internal(fmt::format("保存{}失败：没有返回编号", what));
    item.id = upsert->ColumnInt(0);
    existing.erase(item.id);
  }
  upsert->Reset();
  const std::string delete_sql = fmt::format("DELETE FROM {} WHERE id = ?1", table);
  ASSIGN_OR_RETURN(auto remove, db.Prepare(delete_sql.c_str()));
  for (std::int64_t id : existing) {
    remove->Reset();
    remove->BindInt(1, id);
    RETURN_IF_ERROR(remove->Run(fmt::format("删除{}", what)));
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<SqliteCaseStore>> SqliteCaseStore::Open(const std::string& path) {
  SqliteStoreOptions options;
  options.cache_size_kib = 16 * 1024;  // cases are small; the registry connection holds the big cache
  ASSIGN_OR_RETURN(auto db, OpenConfiguredDb(path, options));
  return std::unique_ptr<SqliteCaseStore>(new SqliteCaseStore(std::move(db)));
}

// ---------------------------------------------------------------------------
// Reading

Status SqliteCaseStore::LoadChildren(Case* c) {
  c->measures.clear();
  c->visits.clear();
  c->objections.clear();
  {
    ASSIGN_OR_RETURN(
        auto select,
        db_->Prepare("SELECT id, category_code, description, responsible_cadre, amount, start_date, "
                     "end_date, recorded_at, recorded_by FROM case_measures WHERE case_id = ?1 "
                     "ORDER BY id"));
    select->BindInt(1, c->id);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, select->Step("读取帮扶措施"));
      if (!row) break;
      CaseMeasure measure;
      measure.id = select->ColumnInt(0);
      measure.category_code = std::string(select->ColumnText(1));
      measure.description = std::string(select->ColumnText(2));
      measure.responsible_cadre = std::string(select->ColumnText(3));
      measure.amount = select->ColumnInt(4);
      ASSIGN_OR_RETURN(measure.start_date, DateFromText(select->ColumnText(5), c->id, "帮扶措施开始"));
      ASSIGN_OR_RETURN(measure.end_date, DateFromText(select->ColumnText(6), c->id, "帮扶措施结束"));
      measure.recorded_at = select->ColumnInt(7);
      measure.recorded_by = std::string(select->ColumnText(8));
      c->measures.push_back(std::move(measure));
    }
  }
  {
    ASSIGN_OR_RETURN(
        auto select,
        db_->Prepare("SELECT id, visit_date, per_capita_income, guarantees_secured, note, visited_by "
                     "FROM case_visits WHERE case_id = ?1 ORDER BY id"));
    select->BindInt(1, c->id);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, select->Step("读取回访记录"));
      if (!row) break;
      CaseVisit visit;
      visit.id = select->ColumnInt(0);
      ASSIGN_OR_RETURN(visit.visit_date, DateFromText(select->ColumnText(1), c->id, "回访"));
      visit.per_capita_income = select->ColumnInt(2);
      visit.guarantees_secured = select->ColumnBool(3);
      visit.note = std::string(select->ColumnText(4));
      visit.visited_by = std::string(select->ColumnText(5));
      c->visits.push_back(std::move(visit));
    }
  }
  {
    ASSIGN_OR_RETURN(auto select,
                     db_->Prepare("SELECT id, raised_at, summary, resolved, upheld, resolution, resolved_by, "
                                  "resolved_at FROM case_objections WHERE case_id = ?1 ORDER BY id"));
    select->BindInt(1, c->id);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, select->Step("读取公示异议"));
      if (!row) break;
      CaseObjection objection;
      objection.id = select->ColumnInt(0);
      objection.raised_at = select->ColumnInt(1);
      objection.summary = std::string(select->ColumnText(2));
      objection.resolved = select->ColumnBool(3);
      objection.upheld = select->ColumnBool(4);
      objection.resolution = std::string(select->ColumnText(5));
      objection.resolved_by = std::string(select->ColumnText(6));
      objection.resolved_at = select->ColumnInt(7);
      c->objections.push_back(std::move(objection));
    }
  }
  return Status::Ok();
}

Result<std::optional<Case>> SqliteCaseStore::LoadCase(std::int64_t id) {
  static const std::string sql = fmt::format("SELECT {} FROM cases WHERE id = ?1", kCaseColumns);
  Case c;
  {
    ASSIGN_OR_RETURN(auto select, db_->Prepare(sql.c_str()));
    select->BindInt(1, id);
    ASSIGN_OR_RETURN(bool row, select->Step("读取案件"));
    if (!row) return std::optional<Case>();
    c = ReadCase(*select);
  }
  RETURN_IF_ERROR(LoadChildren(&c));
  return std::optional<Case>(std::move(c));
}

Result<std::optional<Case>> SqliteCaseStore::GetCase(const DivisionScope& scope, std::int64_t id) {
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kRead));
  ASSIGN_OR_RETURN(std::optional<Case> c, LoadCase(id));
  RETURN_IF_ERROR(transaction.Commit());
  if (c.has_value() && !scope.Contains(c->village_code)) return std::optional<Case>();
  return c;
}

Result<std::optional<Case>> SqliteCaseStore::GetOpenCase(const DivisionScope& scope,
                                                         const std::string& household_number) {
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kRead));
  std::int64_t id = 0;
  {
    ASSIGN_OR_RETURN(
        auto select,
        db_->Prepare("SELECT id FROM cases WHERE household_number = ?1 AND stage NOT IN (12, 13) "
                     "AND village_code BETWEEN ?2 AND ?3"));
    select->BindText(1, household_number);
    select->BindInt(2, scope.lo);
    select->BindInt(3, scope.hi);
    ASSIGN_OR_RETURN(bool row, select->Step("读取案件"));
    if (!row) return std::optional<Case>();
    id = select->ColumnInt(0);
  }
  ASSIGN_OR_RETURN(std::optional<Case> c, LoadCase(id));
  RETURN_IF_ERROR(transaction.Commit());
  return c;
}

Result<std::vector<Case>> SqliteCaseStore::HouseholdCases(const DivisionScope& scope,
                                                          const std::string& household_number) {
  static const std::string sql = fmt::format(
      "SELECT {} FROM cases WHERE household_number = ?1 AND village_code BETWEEN ?2 AND ?3 ORDER BY id",
      kCaseColumns);
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kRead));
  std::vector<Case> cases;
  {
    ASSIGN_OR_RETURN(auto select, db_->Prepare(sql.c_str()));
    select->BindText(1, household_number);
    select->BindInt(2, scope.lo);
    select->BindInt(3, scope.hi);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, select->Step("读取案件"));
      if (!row) break;
      cases.push_back(ReadCase(*select));
    }
  }
  for (Case& c : cases) RETURN_IF_ERROR(LoadChildren(&c));
  RETURN_IF_ERROR(transaction.Commit());
  return cases;
}

Result<CasePage> SqliteCaseStore::ListCases(const DivisionScope& scope, const CaseQuery& query) {
  // One fixed text per shape: stages as a bit mask, the other filters
  // switched off by their neutral value.
  static const std::string where =
      "village_code BETWEEN ?1 AND ?2 AND (?3 = 0 OR ((1 << stage) & ?3) != 0) "
      "AND (?4 = 0 OR stage NOT IN (12, 13)) AND (?5 = 0 OR (stage < 7 AND due_at < ?5))";
  static const std::string by_scope_rows =
      fmt::format("SELECT {} FROM cases WHERE {} ORDER BY id LIMIT ?7 OFFSET ?8", kCaseColumns, where);
  static const std::string by_scope_count = fmt::format("SELECT COUNT(*) FROM cases WHERE {}", where);
  static const std::string by_household_rows =
      fmt::format("SELECT {} FROM cases WHERE household_number = ?6 AND {} ORDER BY id LIMIT ?7 OFFSET ?8",
                  kCaseColumns, where);
  static const std::string by_household_count =
      fmt::format("SELECT COUNT(*) FROM cases WHERE household_number = ?6 AND {}", where);

  std::int64_t stage_mask = 0;
  for (CaseStage stage : query.stages) stage_mask |= std::int64_t{1} << static_cast<int>(stage);
  const std::int64_t limit = std::clamp<std::int64_t>(query.limit, 0, kMaxPageSize);
  const std::int64_t offset = std::max<std::int64_t>(query.offset, 0);
  const bool by_household = !query.household_number.empty();
  auto bind = [&](Statement& statement) {
    statement.BindInt(1, scope.lo);
    statement.BindInt(2, scope.hi);
    statement.BindInt(3, stage_mask);
    statement.BindBool(4, query.open_only);
    statement.BindInt(5, std::max<std::int64_t>(query.due_before, 0));
    if (by_household) statement.BindText(6, query.household_number);
  };

  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kRead));
  CasePage page;
  {
    ASSIGN_OR_RETURN(auto count,
                     db_->Prepare(by_household ? by_household_count.c_str() : by_scope_count.c_str()));
    bind(*count);
    ASSIGN_OR_RETURN(bool row, count->Step("统计案件"));
    page.total = row ? count->ColumnInt(0) : 0;
  }
  {
    ASSIGN_OR_RETURN(auto select,
                     db_->Prepare(by_household ? by_household_rows.c_str() : by_scope_rows.c_str()));
    bind(*select);
    select->BindInt(7, limit);
    select->BindInt(8, offset);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, select->Step("读取案件"));
      if (!row) break;
      page.rows.push_back(ReadCase(*select));
    }
  }
  for (Case& c : page.rows) RETURN_IF_ERROR(LoadChildren(&c));
  RETURN_IF_ERROR(transaction.Commit());
  return page;
}

Status SqliteCaseStore::ScanCases(const DivisionScope& scope,
                                  const std::function<Status(const Case&)>& visit) {
  static const std::string sql =
      fmt::format("SELECT {} FROM cases WHERE village_code BETWEEN ?1 AND ?2 ORDER BY id", kCaseColumns);
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kRead));
  ASSIGN_OR_RETURN(auto select, db_->Prepare(sql.c_str()));
  select->BindInt(1, scope.lo);
  select->BindInt(2, scope.hi);
  for (;;) {
    ASSIGN_OR_RETURN(bool row, select->Step("读取案件"));
    if (!row) break;
    Case c = ReadCase(*select);
    RETURN_IF_ERROR(LoadChildren(&c));
    RETURN_IF_ERROR(visit(c));
  }
  return transaction.Commit();
}

Result<std::vector<CaseEvent>> SqliteCaseStore::ListEvents(const DivisionScope& scope, std::int64_t case_id) {
  static const std::string sql =
      fmt::format("SELECT {} FROM case_events WHERE case_id = ?1 ORDER BY seq", kEventColumns);
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kRead));
  {
    ASSIGN_OR_RETURN(auto owner, db_->Prepare("SELECT village_code FROM cases WHERE id = ?1"));
    owner->BindInt(1, case_id);
    ASSIGN_OR_RETURN(bool row, owner->Step("读取案件"));
    if (!row || !scope.Contains(owner->ColumnInt(0))) {
      return NotFound(fmt::format("案件 #{} 不存在或不在您的管辖范围内", case_id));
    }
  }
  std::vector<CaseEvent> events;
  {
    ASSIGN_OR_RETURN(auto select, db_->Prepare(sql.c_str()));
    select->BindInt(1, case_id);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, select->Step("读取案件事件"));
      if (!row) break;
      events.push_back(ReadEvent(*select));
    }
  }
  RETURN_IF_ERROR(transaction.Commit());
  return events;
}

Result<std::vector<CaseStageCount>> SqliteCaseStore::CountOpenByStage(const DivisionScope& scope) {
  ASSIGN_OR_RETURN(
      auto select,
      db_->Prepare("SELECT (village_code / 1000000) * 1000000 AS county, stage, COUNT(*) FROM cases "
                   "WHERE village_code BETWEEN ?1 AND ?2 AND stage NOT IN (12, 13) "
                   "GROUP BY county, stage ORDER BY county, stage"));
  select->BindInt(1, scope.lo);
  select->BindInt(2, scope.hi);
  std::vector<CaseStageCount> counts;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, select->Step("统计案件"));
    if (!row) break;
    CaseStageCount count;
    count.county_code = select->ColumnInt(0);
    count.stage = static_cast<CaseStage>(select->ColumnInt(1));
    count.count = select->ColumnInt(2);
    counts.push_back(count);
  }
  return counts;
}

// ---------------------------------------------------------------------------
// Writing

Status SqliteCaseStore::WriteCaseColumns(const Case& c, std::int64_t expected_version, bool insert,
                                         std::int64_t* id) {
  if (insert) {
    ASSIGN_OR_RETURN(
        auto statement,
        db_->Prepare(
            "INSERT INTO cases (household_number, village_code, source, source_detail, stage, version, "
            "opened_at, due_at, decided_at, authorization_signed, verification_note, comparison_note, "
            "appraisal_for, appraisal_against, notice_started_at, notice_ends_at, monitoring_type, "
            "risk_codes, monitored_since, elimination_kind, elimination_proposed_at, closed_at, "
            "closed_reason, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
            "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25) RETURNING id"));
    statement->BindText(1, c.household_number);
    statement->BindInt(2, c.village_code);
    BindCaseColumns(*statement, c);
    statement->BindInt(6, 1);
    Result<bool> row = statement->Step("保存案件");
    if (!row.ok()) {
      if (statement->extended_error_code() == SQLITE_CONSTRAINT_UNIQUE) {
        return AlreadyExists(fmt::format("户编号 {} 已有未结案的监测案件，不能重复立案", c.household_number));
      }
      return row.status();
    }
    if (!*row) return Internal("保存案件失败：没有返回编号");
    *id = statement->ColumnInt(0);
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(
      auto statement,
      db_->Prepare(
          "UPDATE cases SET source = ?3, source_detail = ?4, stage = ?5, opened_at = ?7, due_at = ?8, "
          "decided_at = ?9, authorization_signed = ?10, verification_note = ?11, comparison_note = ?12, "
          "appraisal_for = ?13, appraisal_against = ?14, notice_started_at = ?15, notice_ends_at = ?16, "
          "monitoring_type = ?17, risk_codes = ?18, monitored_since = ?19, elimination_kind = ?20, "
          "elimination_proposed_at = ?21, closed_at = ?22, closed_reason = ?23, updated_at = ?24, "
          "updated_by = ?25, version = version + 1 WHERE id = ?26 AND version = ?27"));
  BindCaseColumns(*statement, c);
  statement->BindInt(26, c.id);
  statement->BindInt(27, expected_version);
  Status run = statement->Run("保存案件");
  if (!run.ok()) {
    if (statement->extended_error_code() == SQLITE_CONSTRAINT_UNIQUE) {
      return AlreadyExists(fmt::format("户编号 {} 已有另一个未结案的监测案件，案件 #{} 不能重新打开",
                                       c.household_number, c.id));
    }
    return run;
  }
  *id = sqlite3_changes(db_->handle());  // rows changed: 0 or 1
  return Status::Ok();
}

Status SqliteCaseStore::WriteChildren(Case* c) {
  RETURN_IF_ERROR(
      SyncChildren(*db_, c->id, "case_measures", "帮扶措施",
                   "INSERT INTO case_measures (id, case_id, category_code, description, "
                   "responsible_cadre, amount, start_date, end_date, recorded_at, recorded_by) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (id) DO UPDATE SET "
                   "category_code = excluded.category_code, description = excluded.description, "
                   "responsible_cadre = excluded.responsible_cadre, amount = excluded.amount, "
                   "start_date = excluded.start_date, end_date = excluded.end_date, "
                   "recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by "
                   "RETURNING id",
                   c->measures, [](StatementLease& upsert, const CaseMeasure& measure) {
                     upsert->BindText(3, measure.category_code);
                     upsert->BindText(4, measure.description);
                     upsert->BindText(5, measure.responsible_cadre);
                     upsert->BindInt(6, measure.amount);
                     upsert->BindText(7, DateText(measure.start_date));
                     upsert->BindText(8, DateText(measure.end_date));
                     upsert->BindInt(9, measure.recorded_at);
                     upsert->BindText(10, measure.recorded_by);
                   }));
  RETURN_IF_ERROR(SyncChildren(*db_, c->id, "case_visits", "回访记录",
                               "INSERT INTO case_visits (id, case_id, visit_date, per_capita_income, "
                               "guarantees_secured, note, visited_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                               "ON CONFLICT (id) DO UPDATE SET visit_date = excluded.visit_date, "
                               "per_capita_income = excluded.per_capita_income, "
                               "guarantees_secured = excluded.guarantees_secured, note = excluded.note, "
                               "visited_by = excluded.visited_by RETURNING id",
                               c->visits, [](StatementLease& upsert, const CaseVisit& visit) {
                                 upsert->BindText(3, DateText(visit.visit_date));
                                 upsert->BindInt(4, visit.per_capita_income);
                                 upsert->BindBool(5, visit.guarantees_secured);
                                 upsert->BindText(6, visit.note);
                                 upsert->BindText(7, visit.visited_by);
                               }));
  return SyncChildren(*db_, c->id, "case_objections", "公示异议",
                      "INSERT INTO case_objections (id, case_id, raised_at, summary, resolved, upheld, "
                      "resolution, resolved_by, resolved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                      "ON CONFLICT (id) DO UPDATE SET raised_at = excluded.raised_at, "
                      "summary = excluded.summary, resolved = excluded.resolved, "
                      "upheld = excluded.upheld, resolution = excluded.resolution, "
                      "resolved_by = excluded.resolved_by, resolved_at = excluded.resolved_at "
                      "RETURNING id",
                      c->objections, [](StatementLease& upsert, const CaseObjection& objection) {
                        upsert->BindInt(3, objection.raised_at);
                        upsert->BindText(4, objection.summary);
                        upsert->BindBool(5, objection.resolved);
                        upsert->BindBool(6, objection.upheld);
                        upsert->BindText(7, objection.resolution);
                        upsert->BindText(8, objection.resolved_by);
                        upsert->BindInt(9, objection.resolved_at);
                      });
}

Status SqliteCaseStore::AppendEvent(CaseEvent event) {
  {
    ASSIGN_OR_RETURN(auto head, db_->Prepare("SELECT seq, hash FROM case_event_head WHERE id = 1"));
    ASSIGN_OR_RETURN(bool row, head->Step("读取审计日志头记录"));
    if (!row) {
      return DataLoss("审计日志头记录缺失：案件事件日志可能被篡改，请运行 zhenxing audit verify 检查");
    }
    event.seq = head->ColumnInt(0) + 1;
    event.prev_hash = std::string(head->ColumnText(1));
  }
  event.hash = CaseEventHash(event.prev_hash, event);
  {
    static const std::string sql = fmt::format(
        "INSERT INTO case_events ({}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        kEventColumns);
    ASSIGN_OR_RETURN(auto insert, db_->Prepare(sql.c_str()));
    insert->BindInt(1, event.seq);
    insert->BindInt(2, event.case_id);
    insert->BindInt(3, event.at);
    insert->BindText(4, event.actor);
    insert->BindText(5, event.actor_role);
    insert->BindInt(6, event.division);
    insert->BindInt(7, static_cast<int>(event.action));
    insert->BindInt(8, static_cast<int>(event.from_stage));
    insert->BindInt(9, static_cast<int>(event.to_stage));
    insert->BindInt(10, event.case_version);
    insert->BindText(11, event.reason);
    insert->BindText(12, event.detail_json);
    insert->BindText(13, event.prev_hash);
    insert->BindText(14, event.hash);
    Status inserted = insert->Run("追加案件事件");
    if (!inserted.ok()) {
      if (insert->extended_error_code() == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return DataLoss(fmt::format(
            "审计日志头记录（第 {} 号事件）落后于已有事件：日志可能被篡改，请运行 zhenxing audit verify 检查",
            event.seq - 1));
      }
      return inserted;
    }
  }
  {
    ASSIGN_OR_RETURN(auto head, db_->Prepare("UPDATE case_event_head SET seq = ?1, hash = ?2 WHERE id = 1"));
    head->BindInt(1, event.seq);
    head->BindText(2, event.hash);
    RETURN_IF_ERROR(head->Run("更新审计日志头记录"));
  }
  return Status::Ok();
}

Result<Case> SqliteCaseStore::CreateCase(const DivisionScope& scope, const Case& draft,
                                         const CaseEvent& event) {
  RETURN_IF_ERROR(ValidateCase(draft));
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kWrite));
  Case c = draft;
  {
    ASSIGN_OR_RETURN(auto known,
                     db_->Prepare("SELECT village_code FROM households WHERE household_number = ?1"));
    known->BindText(1, draft.household_number);
    ASSIGN_OR_RETURN(bool found, known->Step("查找户"));
    if (!found) {
      return NotFound(fmt::format("户编号 {} 不在户籍库中，无法立案", draft.household_number));
    }
    const DivisionCode village = known->ColumnInt(0);
    if (!scope.Contains(village)) {
      return PermissionDenied(
          fmt::format("户编号 {} 所在村 {} 不在您的管辖范围内，无法立案", draft.household_number, village));
    }
    if (draft.village_code != 0 && draft.village_code != village) {
      return InvalidArgument(fmt::format("户编号 {} 属于村 {}，与案件填写的村 {} 不符",
                                         draft.household_number, village, draft.village_code));
    }
    c.village_code = village;
  }
  {
    ASSIGN_OR_RETURN(
        auto open,
        db_->Prepare("SELECT id FROM cases WHERE household_number = ?1 AND stage NOT IN (12, 13)"));
    open->BindText(1, c.household_number);
    ASSIGN_OR_RETURN(bool row, open->Step("查找未结案案件"));
    if (row) {
      return AlreadyExists(fmt::format("户编号 {} 已有未结案的监测案件 #{}，不能重复立案", c.household_number,
                                       open->ColumnInt(0)));
    }
  }
  c.version = 1;
  RETURN_IF_ERROR(WriteCaseColumns(c, 0, /*insert=*/true, &c.id));
  // Ids of the draft's children are the store's to assign.
  for (CaseMeasure& measure : c.measures) measure.id = 0;
  for (CaseVisit& visit : c.visits) visit.id = 0;
  for (CaseObjection& objection : c.objections) objection.id = 0;
  RETURN_IF_ERROR(WriteChildren(&c));
  CaseEvent stored_event = event;
  stored_event.case_id = c.id;
  stored_event.case_version = c.version;
  stored_event.division = c.village_code;
  RETURN_IF_ERROR(AppendEvent(std::move(stored_event)));
  RETURN_IF_ERROR(transaction.Commit());
  return c;
}

Result<Case> SqliteCaseStore::UpdateCase(const DivisionScope& scope, const Case& updated,
                                         std::int64_t expected_version, const CaseEvent& event) {
  RETURN_IF_ERROR(ValidateCase(updated));
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kWrite));
  {
    ASSIGN_OR_RETURN(auto stored,
                     db_->Prepare("SELECT household_number, village_code FROM cases WHERE id = ?1"));
    stored->BindInt(1, updated.id);
    ASSIGN_OR_RETURN(bool row, stored->Step("读取案件"));
    if (!row || !scope.Contains(stored->ColumnInt(1))) {
      return NotFound(fmt::format("案件 #{} 不存在或不在您的管辖范围内", updated.id));
    }
    if (stored->ColumnText(0) != updated.household_number || stored->ColumnInt(1) != updated.village_code) {
      return InvalidArgument(fmt::format("案件 #{} 的户编号和所在村不能修改（原为户 {}、村 {}）", updated.id,
                                         stored->ColumnText(0), stored->ColumnInt(1)));
    }
  }
  std::int64_t changed = 0;
  RETURN_IF_ERROR(WriteCaseColumns(updated, expected_version, /*insert=*/false, &changed));
  if (changed == 0) {
    ASSIGN_OR_RETURN(auto current, db_->Prepare("SELECT version FROM cases WHERE id = ?1"));
    current->BindInt(1, updated.id);
    ASSIGN_OR_RETURN(bool row, current->Step("读取案件"));
    const std::int64_t current_version = row ? current->ColumnInt(0) : 0;
    return Conflict(fmt::format("案件 #{} 已被他人修改（您看到的是第 {} 版，当前为第 {} 版），请刷新后重试",
                                updated.id, expected_version, current_version));
  }
  Case c = updated;
  c.version = expected_version + 1;
  RETURN_IF_ERROR(WriteChildren(&c));
  CaseEvent stored_event = event;
  stored_event.case_id = c.id;
  stored_event.case_version = c.version;
  stored_event.division = c.village_code;
  RETURN_IF_ERROR(AppendEvent(std::move(stored_event)));
  RETURN_IF_ERROR(transaction.Commit());
  return c;
}

// ---------------------------------------------------------------------------
// The event chain

Result<ChainHead> SqliteCaseStore::EventHead() {
  ASSIGN_OR_RETURN(auto head, db_->Prepare("SELECT seq, hash FROM case_event_head WHERE id = 1"));
  ASSIGN_OR_RETURN(bool row, head->Step("读取审计日志头记录"));
  if (!row) return DataLoss("审计日志头记录缺失：案件事件日志可能被篡改，请运行 zhenxing audit verify 检查");
  ChainHead result;
  result.seq = head->ColumnInt(0);
  result.hash = std::string(head->ColumnText(1));
  return result;
}

Result<std::optional<CaseEvent>> SqliteCaseStore::EventAt(std::int64_t seq) {
  static const std::string sql = fmt::format("SELECT {} FROM case_events WHERE seq = ?1", kEventColumns);
  ASSIGN_OR_RETURN(auto select, db_->Prepare(sql.c_str()));
  select->BindInt(1, seq);
  ASSIGN_OR_RETURN(bool row, select->Step("读取案件事件"));
  if (!row) return std::optional<CaseEvent>();
  return std::optional<CaseEvent>(ReadEvent(*select));
}

Result<ChainReport> SqliteCaseStore::VerifyEventChain() { return VerifyEventChainWithProgress({}); }

Result<ChainReport> SqliteCaseStore::VerifyEventChainWithProgress(const ChainProgressFn& progress) {
  static const std::string sql = fmt::format("SELECT {} FROM case_events ORDER BY seq", kEventColumns);
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kRead));
  ChainReport report;

  std::optional<ChainHead> head;
  {
    ASSIGN_OR_RETURN(auto select, db_->Prepare("SELECT seq, hash FROM case_event_head WHERE id = 1"));
    ASSIGN_OR_RETURN(bool row, select->Step("读取审计日志头记录"));
    if (row) head = ChainHead{select->ColumnInt(0), std::string(select->ColumnText(1))};
  }
  std::int64_t total = 0;
  if (progress) {
    ASSIGN_OR_RETURN(auto count, db_->Prepare("SELECT COUNT(*) FROM case_events"));
    ASSIGN_OR_RETURN(bool row, count->Step("统计案件事件"));
    total = row ? count->ColumnInt(0) : 0;
    progress(0, total);
  }

  std::int64_t prev_seq = 0;
  std::int64_t prev_case_id = 0;
  std::string prev_hash;                    // stored hash of the previous event in the chain
  std::string prev_recomputed_hash;         // its recomputed hash when it was edited, else ""
  std::optional<std::string> hash_at_head;  // stored hash of the event whose seq is head->seq
  auto edited_message = [](const CaseEvent& event) {
    return fmt::format("第 {} 号事件（案件 #{}）的内容与其哈希值不符：该事件被修改", event.seq,
                       event.case_id);
  };
  {
    ASSIGN_OR_RETURN(auto select, db_->Prepare(sql.c_str()));
    for (;;) {
      ASSIGN_OR_RETURN(bool row, select->Step("读取案件事件"));
      if (!row) break;
      const CaseEvent event = ReadEvent(*select);
      ++report.events;
      if (progress && report.events % kProgressEvery == 0) progress(report.events, total);
      const std::string recomputed = CaseEventHash(event.prev_hash, event);
      const bool self_consistent = recomputed == event.hash;
      // An edited hash column: the successor still points at the genuine
      // hash, which is the recomputed one; do not report the link twice.
      const bool linked = event.prev_hash == prev_hash ||
                          (!prev_recomputed_hash.empty() && event.prev_hash == prev_recomputed_hash);
      if (event.seq <= prev_seq || event.seq < 1) {
        // Out of order or not a valid seq (seq is the primary key read in
        // order, so only a seq below 1 can get here in SQLite). Such an event
        // is not part of the chain: the chain continues from its predecessor.
        report.problems.push_back(
            {ChainProblemKind::kInserted, event.seq,
             fmt::format("第 {} 号事件（案件 #{}）序号无效或顺序颠倒（前一事件为第 {} 号，序号从 1 开始）："
                         "它是插入的伪造事件",
                         event.seq, event.case_id, prev_seq)});
        continue;
      }
      if (event.seq != prev_seq + 1) {
        const std::int64_t first_missing = prev_seq + 1;
        const std::int64_t last_missing = event.seq - 1;
        std::string missing = first_missing == last_missing
                                  ? fmt::format("第 {} 号事件", first_missing)
                                  : fmt::format("第 {}–{} 号事件（共 {} 条）", first_missing, last_missing,
                                                last_missing - first_missing + 1);
        std::string after = prev_seq == 0 ? std::string("日志开头")
                                          : fmt::format("第 {} 号事件（案件 #{}）", prev_seq, prev_case_id);
        report.problems.push_back({ChainProblemKind::kDeleted, first_missing,
                                   fmt::format("{}缺失：在{}与第 {} 号事件（案件 #{}）之间的事件被删除",
                                               missing, after, event.seq, event.case_id)});
        if (!self_consistent)
          report.problems.push_back({ChainProblemKind::kEdited, event.seq, edited_message(event)});
      } else if (!self_consistent) {
        report.problems.push_back({ChainProblemKind::kEdited, event.seq, edited_message(event)});
      } else if (!linked) {
        report.problems.push_back(
            {ChainProblemKind::kInserted, event.seq,
             fmt::format(
                 "第 {} 号事件（案件 #{}）没有接续第 {} 号事件的哈希值：它是插入（或替换进来）的伪造事件",
                 event.seq, event.case_id, prev_seq)});
      }
      if (head.has_value() && event.seq == head->seq) hash_at_head = event.hash;
      prev_seq = event.seq;
      prev_case_id = event.case_id;
      prev_hash = event.hash;
      prev_recomputed_hash = self_consistent ? std::string() : recomputed;
    }
  }
  RETURN_IF_ERROR(transaction.Commit());
  report.head_hash = prev_hash;
  if (progress) progress(report.events, total);

  // The head record against the newest event.
  if (!head.has_value()) {
    report.problems.push_back(
        {ChainProblemKind::kHeadEdited, 0, "审计日志头记录缺失：头记录被删除，无法确认日志末尾是否完整"});
  } else if (head->seq > prev_seq) {
    const std::int64_t first_missing = prev_seq + 1;
    report.problems.push_back(
        {ChainProblemKind::kTruncated, first_missing,
         first_missing == head->seq
             ? fmt::format("头记录显示最新为第 {} 号事件，但日志只到第 {} 号：最后的第 {} 号事件被删除",
                           head->seq, prev_seq, first_missing)
             : fmt::format("头记录显示最新为第 {} 号事件，但日志只到第 {} 号：末尾的第 {}–{} 号事件被删除",
                           head->seq, prev_seq, first_missing, head->seq)});
  } else if (head->seq == prev_seq) {
    if (head->hash != prev_hash && (prev_recomputed_hash.empty() || head->hash != prev_recomputed_hash)) {
      report.problems.push_back(
          {ChainProblemKind::kHeadEdited, head->seq,
           fmt::format("头记录中第 {} 号事件的哈希值与日志中该事件的哈希值不符：头记录被修改", head->seq)});
    }
  } else if (hash_at_head.has_value() && *hash_at_head == head->hash) {
    // The head matches an older event: the events after it were written
    // without going through the store.
    report.problems.push_back(
        {ChainProblemKind::kInserted, head->seq + 1,
         head->seq + 1 == prev_seq
             ? fmt::format("第 {} 号事件在头记录（第 {} 号）之后：它未经正常写入而被追加", prev_seq,
                           head->seq)
             : fmt::format("第 {}–{} 号事件在头记录（第 {} 号）之后：它们未经正常写入而被追加", head->seq + 1,
                           prev_seq, head->seq)});
  } else {
    report.problems.push_back(
        {ChainProblemKind::kHeadEdited, head->seq,
         fmt::format("头记录（第 {} 号事件）与日志不符（日志最新为第 {} 号）：头记录被修改", head->seq,
                     prev_seq)});
  }
  return report;
}

}  // namespace zx::sqlite
