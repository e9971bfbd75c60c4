#include "storage/sqlite/link_store_sqlite.h"

#include <fmt/format.h>

#include <ctime>

namespace zx::sqlite {
namespace {

// "YYYY-MM-DD" as stored in persons.birth_date (no allocation).
Date ParseIsoDate(std::string_view text) {
  Date date;
  if (text.size() != 10) return date;
  auto digits = [&](size_t pos, size_t count) {
    int value = 0;
    for (size_t idx = pos; idx < pos + count; ++idx) value = value * 10 + (text[idx] - '0');
    return value;
  };
  date.year = digits(0, 4);
  date.month = digits(5, 2);
  date.day = digits(8, 2);
  return date;
}

std::string NowIso() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

void BindFinding(Statement& statement, std::int64_t upload_id, const FeedFinding& finding) {
  statement.BindInt(1, upload_id);
  statement.BindText(2, finding.kind);
  statement.BindText(3, finding.id_number);
  statement.BindText(4, finding.household_number);
  statement.BindInt(5, finding.village_code);
  statement.BindInt(6, finding.value);
  statement.BindInt(7, finding.threshold);
  statement.BindText(8, finding.detail);
  statement.BindInt(9, finding.row);
}

FeedFinding ReadFinding(const Statement& statement) {
  FeedFinding finding;
  finding.kind = statement.ColumnText(0);
  finding.id_number = statement.ColumnText(1);
  finding.household_number = statement.ColumnText(2);
  finding.village_code = statement.ColumnInt(3);
  finding.value = statement.ColumnInt(4);
  finding.threshold = statement.ColumnInt(5);
  finding.detail = statement.ColumnText(6);
  finding.row = statement.ColumnInt(7);
  return finding;
}

}  // namespace

Result<std::unique_ptr<SqliteLinkStore>> SqliteLinkStore::Open(const std::string& path,
                                                               const SqliteStoreOptions& options) {
  ASSIGN_OR_RETURN(auto db, OpenConfiguredDb(path, options));
  return std::unique_ptr<SqliteLinkStore>(new SqliteLinkStore(std::move(db)));
}

Status SqliteLinkStore::ScanLinkPersons(const DivisionScope& scope,
                                        const std::function<void(const LinkPersonView&)>& visit) {
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kRead));
  // Persons in storage order, each household found by its primary key: one
  // pass over persons, no sort. The scope filter is on the household row.
  ASSIGN_OR_RETURN(auto statement,
                   db_->Prepare("SELECT p.id_number, p.name, p.birth_date, p.sex, h.village_code, "
                                "h.household_number, p.deceased, h.ex_poor "
                                "FROM persons p JOIN households h ON h.id = p.household_id "
                                "WHERE h.village_code BETWEEN ?1 AND ?2"));
  statement->BindInt(1, scope.lo);
  statement->BindInt(2, scope.hi);
  LinkPersonView view;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, statement->Step("读取登记人员"));
    if (!row) break;
    view.id_number = statement->ColumnText(0);
    view.name = statement->ColumnText(1);
    view.birth_date = ParseIsoDate(statement->ColumnText(2));
    view.sex = statement->ColumnInt(3) == 2 ? Sex::kFemale : Sex::kMale;
    view.village_code = statement->ColumnInt(4);
    view.household_number = statement->ColumnText(5);
    view.deceased = statement->ColumnBool(6);
    view.ex_poor = statement->ColumnBool(7);
    visit(view);
  }
  return Status::Ok();
}

Result<std::optional<FeedUpload>> SqliteLinkStore::FindUpload(const DivisionScope& scope,
                                                              const std::string& feed,
                                                              const std::string& file_sha256) {
  ASSIGN_OR_RETURN(
      auto statement,
      db_->Prepare("SELECT id, file_name, uploaded_at, uploader, rows_read, rows_rejected, summary_json "
                   "FROM feed_uploads WHERE feed = ?1 AND file_sha256 = ?2 AND scope_lo = ?3 "
                   "AND scope_hi = ?4"));
  statement->BindText(1, feed);
  statement->BindText(2, file_sha256);
  statement->BindInt(3, scope.lo);
  statement->BindInt(4, scope.hi);
  ASSIGN_OR_RETURN(bool row, statement->Step("查找已比对的文件"));
  if (!row) return std::optional<FeedUpload>();
  FeedUpload upload;
  upload.id = statement->ColumnInt(0);
  upload.feed = feed;
  upload.file_name = statement->ColumnText(1);
  upload.file_sha256 = file_sha256;
  upload.uploaded_at = statement->ColumnText(2);
  upload.uploader = statement->ColumnText(3);
  upload.scope = scope;
  upload.rows_read = statement->ColumnInt(4);
  upload.rows_rejected = statement->ColumnInt(5);
  upload.summary_json = statement->ColumnText(6);
  return std::optional<FeedUpload>(std::move(upload));
}

Result<SaveOutcome> SqliteLinkStore::SaveComparison(const FeedUpload& upload, const FeedLinkSource& links,
                                                    const std::vector<FeedReject>& rejects,
                                                    const std::vector<FeedFinding>& alerts,
                                                    const std::vector<FeedFinding>& review_items) {
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kWrite));
  ASSIGN_OR_RETURN(SaveOutcome outcome, SaveInTransaction(upload, links, rejects, alerts, review_items));
  if (!outcome.already_stored) RETURN_IF_ERROR(transaction.Commit());
  return outcome;
}

Result<SaveOutcome> SqliteLinkStore::SaveInTransaction(const FeedUpload& upload, const FeedLinkSource& links,
                                                       const std::vector<FeedReject>& rejects,
                                                       const std::vector<FeedFinding>& alerts,
                                                       const std::vector<FeedFinding>& review_items) {
  SaveOutcome outcome;
  ASSIGN_OR_RETURN(std::optional<FeedUpload> existing,
                   FindUpload(upload.scope, upload.feed, upload.file_sha256));
  if (existing.has_value()) {
    outcome.upload_id = existing->id;
    outcome.already_stored = true;
    return outcome;
  }
  for (const std::vector<FeedFinding>* findings : {&alerts, &review_items}) {
    for (const FeedFinding& finding : *findings) {
      if (!upload.scope.Contains(finding.village_code)) {
        return PermissionDenied(fmt::format("第 {} 行的预警对象（户编号 {}）不在本次比对的行政区划范围内",
                                            finding.row, finding.household_number));
      }
    }
  }
  {
    ASSIGN_OR_RETURN(
        auto insert,
        db_->Prepare("INSERT INTO feed_uploads (feed, file_name, file_sha256, uploaded_at, uploader, "
                     "scope_lo, scope_hi, rows_read, rows_rejected, summary_json) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
    insert->BindText(1, upload.feed);
    insert->BindText(2, upload.file_name);
    insert->BindText(3, upload.file_sha256);
    insert->BindText(4, upload.uploaded_at.empty() ? NowIso() : upload.uploaded_at);
    insert->BindText(5, upload.uploader);
    insert->BindInt(6, upload.scope.lo);
    insert->BindInt(7, upload.scope.hi);
    insert->BindInt(8, upload.rows_read);
    insert->BindInt(9, upload.rows_rejected);
    insert->BindText(10, upload.summary_json);
    RETURN_IF_ERROR(insert->Run("记录比对文件"));
  }
  outcome.upload_id = db_->LastInsertRowId();
  {
    ASSIGN_OR_RETURN(
        auto insert,
        db_->Prepare(
            "INSERT INTO feed_links (upload_id, row, id_number, household_number, "
            "village_code, match_class, score_milli, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    FeedLink link;
    for (;;) {
      ASSIGN_OR_RETURN(bool more, links(&link));
      if (!more) break;
      if (link.village_code != 0 && !upload.scope.Contains(link.village_code)) {
        return PermissionDenied(fmt::format("第 {} 行匹配到的人员（户编号 {}）不在本次比对的行政区划范围内",
                                            link.row, link.household_number));
      }
      insert->BindInt(1, outcome.upload_id);
      insert->BindInt(2, link.row);
      insert->BindTextStatic(3, link.id_number);
      insert->BindTextStatic(4, link.household_number);
      insert->BindInt(5, link.village_code);
      insert->BindTextStatic(6, link.match_class);
      insert->BindInt(7, static_cast<std::int64_t>(link.score * 1000.0 + (link.score >= 0 ? 0.5 : -0.5)));
      insert->BindTextStatic(8, link.reason);
      RETURN_IF_ERROR(insert->Run("写入比对结果"));
      insert->Reset();
    }
  }
  {
    ASSIGN_OR_RETURN(auto insert,
                     db_->Prepare("INSERT INTO feed_rejects (upload_id, seq, row, column_name, reason) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5)"));
    std::int64_t seq = 0;
    for (const FeedReject& reject : rejects) {
      insert->BindInt(1, outcome.upload_id);
      insert->BindInt(2, ++seq);
      insert->BindInt(3, reject.row);
      insert->BindText(4, reject.column);
      insert->BindText(5, reject.reason);
      RETURN_IF_ERROR(insert->Run("写入被拒绝的行"));
      insert->Reset();
    }
  }
  {
    ASSIGN_OR_RETURN(auto insert,
                     db_->Prepare("INSERT INTO feed_alerts (upload_id, kind, id_number, household_number, "
                                  "village_code, value, threshold, detail, row) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
    for (const FeedFinding& alert : alerts) {
      BindFinding(*insert, outcome.upload_id, alert);
      RETURN_IF_ERROR(insert->Run("写入预警"));
      insert->Reset();
    }
  }
  {
    ASSIGN_OR_RETURN(
        auto insert,
        db_->Prepare("INSERT INTO feed_review_items (upload_id, kind, id_number, household_number, "
                     "village_code, value, threshold, detail, row) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
    for (const FeedFinding& item : review_items) {
      BindFinding(*insert, outcome.upload_id, item);
      RETURN_IF_ERROR(insert->Run("写入待核实事项"));
      insert->Reset();
    }
  }
  return outcome;
}

Result<std::vector<FeedFinding>> SqliteLinkStore::ListFindings(const char* sql_all, const char* sql_one,
                                                               const DivisionScope& scope,
                                                               std::int64_t upload_id) {
  ASSIGN_OR_RETURN(auto statement, db_->Prepare(upload_id == 0 ? sql_all : sql_one));
  statement->BindInt(1, scope.lo);
  statement->BindInt(2, scope.hi);
  if (upload_id != 0) statement->BindInt(3, upload_id);
  std::vector<FeedFinding> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, statement->Step("读取预警"));
    if (!row) break;
    out.push_back(ReadFinding(*statement));
  }
  return out;
}

Result<std::vector<FeedFinding>> SqliteLinkStore::ListAlerts(const DivisionScope& scope,
                                                             std::int64_t upload_id) {
  return ListFindings(
      "SELECT kind, id_number, household_number, village_code, value, threshold, detail, row FROM "
      "feed_alerts "
      "WHERE village_code BETWEEN ?1 AND ?2 ORDER BY id",
      "SELECT kind, id_number, household_number, village_code, value, threshold, detail, row FROM "
      "feed_alerts "
      "WHERE village_code BETWEEN ?1 AND ?2 AND upload_id = ?3 ORDER BY id",
      scope, upload_id);
}

Result<std::vector<FeedFinding>> SqliteLinkStore::ListReviewItems(const DivisionScope& scope,
                                                                  std::int64_t upload_id) {
  return ListFindings(
      "SELECT kind, id_number, household_number, village_code, value, threshold, detail, row "
      "FROM feed_review_items WHERE village_code BETWEEN ?1 AND ?2 ORDER BY id",
      "SELECT kind, id_number, household_number, village_code, value, threshold, detail, row "
      "FROM feed_review_items WHERE village_code BETWEEN ?1 AND ?2 AND upload_id = ?3 ORDER BY id",
      scope, upload_id);
}

Result<std::vector<FeedLink>> SqliteLinkStore::ListLinks(const DivisionScope& scope, std::int64_t upload_id) {
  ASSIGN_OR_RETURN(
      auto statement,
      db_->Prepare("SELECT row, id_number, household_number, village_code, match_class, score_milli, reason "
                   "FROM feed_links WHERE upload_id = ?3 AND village_code BETWEEN ?1 AND ?2 "
                   "ORDER BY row"));
  statement->BindInt(1, scope.lo);
  statement->BindInt(2, scope.hi);
  statement->BindInt(3, upload_id);
  std::vector<FeedLink> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, statement->Step("读取比对结果"));
    if (!row) break;
    FeedLink link;
    link.row = statement->ColumnInt(0);
    link.id_number = statement->ColumnText(1);
    link.household_number = statement->ColumnText(2);
    link.village_code = statement->ColumnInt(3);
    link.match_class = statement->ColumnText(4);
    link.score = static_cast<double>(statement->ColumnInt(5)) / 1000.0;
    link.reason = statement->ColumnText(6);
    out.push_back(std::move(link));
  }
  return out;
}

Result<std::vector<FeedReject>> SqliteLinkStore::ListRejects(std::int64_t upload_id) {
  ASSIGN_OR_RETURN(auto statement, db_->Prepare("SELECT row, column_name, reason FROM feed_rejects "
                                                "WHERE upload_id = ?1 ORDER BY seq"));
  statement->BindInt(1, upload_id);
  std::vector<FeedReject> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, statement->Step("读取被拒绝的行"));
    if (!row) break;
    out.push_back({statement->ColumnInt(0), std::string(statement->ColumnText(1)),
                   std::string(statement->ColumnText(2))});
  }
  return out;
}

}  // namespace zx::sqlite
