#include "storage/sqlite/link_store_sqlite.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <iterator>
#include <span>

#include "domain/resident_id.h"

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

// Links in binary chunks (migration 7). Integers are LEB128 varints.
//   dictionary (chunk 0): version byte 1; household count, then per
//     household its number (length, bytes) and village code; text count,
//     then per text (length, bytes) — text 0 is the empty string;
//   rows (chunk k ≥ 1, rows first_row .. first_row + row_count - 1), per
//     row: match class byte; score in thousandths (zigzag); the ID (0 none,
//     body·2+1 a 17-digit body whose check character is recomputed,
//     text·2 an ID kept as text); household + 1 (0 none); reason text.
constexpr std::size_t kLinkChunkRows = std::size_t{1} << 20;

void PutVarint(std::uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

void PutText(std::string_view text, std::string* out) {
  PutVarint(text.size(), out);
  out->append(text);
}

class ChunkDecoder {
 public:
  explicit ChunkDecoder(std::string_view data) : pos_(data.data()), end_(data.data() + data.size()) {}
  bool Varint(std::uint64_t* value) {
    std::uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ == end_) return false;
      const auto byte = static_cast<std::uint8_t>(*pos_++);
      result |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) {
        *value = result;
        return true;
      }
    }
    return false;
  }
  bool Byte(std::uint8_t* value) {
    if (pos_ == end_) return false;
    *value = static_cast<std::uint8_t>(*pos_++);
    return true;
  }
  bool Text(std::string* text) {
    std::uint64_t size = 0;
    if (!Varint(&size) || size > static_cast<std::uint64_t>(end_ - pos_)) return false;
    text->assign(pos_, size);
    pos_ += size;
    return true;
  }
  bool done() const { return pos_ == end_; }

 private:
  const char* pos_;
  const char* end_;
};

void EncodeLinkDictionary(const CompactLinks& links, std::string* out) {
  out->push_back(1);
  PutVarint(links.households.size(), out);
  for (const CompactLinks::Household& household : links.households) {
    PutText(household.number, out);
    PutVarint(static_cast<std::uint64_t>(household.village_code), out);
  }
  PutVarint(links.texts.size(), out);
  for (const std::string& text : links.texts) PutText(text, out);
}

void EncodeLinkRows(std::span<const CompactLinks::Row> rows, std::string* out) {
  out->reserve(rows.size() * 14);
  for (const CompactLinks::Row& row : rows) {
    out->push_back(static_cast<char>(row.match_class));
    const auto score = static_cast<std::int64_t>(row.score_milli);
    PutVarint((static_cast<std::uint64_t>(score) << 1) ^ static_cast<std::uint64_t>(score >> 63), out);
    if (row.id_body != 0) {
      PutVarint((row.id_body << 1) | 1, out);
    } else {
      PutVarint(static_cast<std::uint64_t>(row.id_text) << 1, out);
    }
    PutVarint(static_cast<std::uint64_t>(row.household + 1), out);
    PutVarint(static_cast<std::uint64_t>(row.reason), out);
  }
}

Status CorruptChunk() { return DataLoss("已保存的比对结果已损坏，无法读取"); }

Status DecodeLinkDictionary(std::string_view data, CompactLinks* dictionary) {
  ChunkDecoder decoder(data);
  std::uint8_t version = 0;
  std::uint64_t count = 0;
  if (!decoder.Byte(&version) || version != 1 || !decoder.Varint(&count) || count > data.size())
    return CorruptChunk();
  dictionary->households.assign(count, {});
  for (CompactLinks::Household& household : dictionary->households) {
    std::uint64_t village = 0;
    if (!decoder.Text(&household.number) || !decoder.Varint(&village)) return CorruptChunk();
    household.village_code = static_cast<DivisionCode>(village);
  }
  if (!decoder.Varint(&count) || count > data.size()) return CorruptChunk();
  dictionary->texts.assign(count, {});
  for (std::string& text : dictionary->texts) {
    if (!decoder.Text(&text)) return CorruptChunk();
  }
  if (!decoder.done() || dictionary->texts.empty()) return CorruptChunk();
  return Status::Ok();
}

Status DecodeLinkRows(std::string_view data, std::int64_t first_row, std::int64_t row_count,
                      const CompactLinks& dictionary, const DivisionScope& scope,
                      std::vector<FeedLink>* out) {
  ChunkDecoder decoder(data);
  const std::uint64_t households = dictionary.households.size();
  const std::uint64_t texts = dictionary.texts.size();
  for (std::int64_t row_idx = 0; row_idx < row_count; ++row_idx) {
    std::uint8_t match_class = 0;
    std::uint64_t score = 0, id = 0, household = 0, reason = 0;
    if (!decoder.Byte(&match_class) || match_class >= std::size(kFeedMatchClasses) ||
        !decoder.Varint(&score) || !decoder.Varint(&id) || !decoder.Varint(&household) ||
        household > households || !decoder.Varint(&reason) || reason >= texts ||
        ((id & 1) == 0 && (id >> 1) >= texts)) {
      return CorruptChunk();
    }
    const DivisionCode village = household == 0 ? 0 : dictionary.households[household - 1].village_code;
    if (!scope.Contains(village)) continue;
    FeedLink& link = out->emplace_back();
    link.row = first_row + row_idx;
    if ((id & 1) != 0) {
      std::uint64_t body = id >> 1;
      link.id_number.assign(17, '0');
      for (int digit_idx = 16; digit_idx >= 0; --digit_idx) {
        link.id_number[digit_idx] = static_cast<char>('0' + body % 10);
        body /= 10;
      }
      link.id_number.push_back(ResidentIdCheckChar(link.id_number));
    } else {
      link.id_number = dictionary.texts[id >> 1];
    }
    if (household != 0) link.household_number = dictionary.households[household - 1].number;
    link.village_code = village;
    link.match_class = kFeedMatchClasses[match_class];
    const auto milli = static_cast<std::int64_t>((score >> 1) ^ (~(score & 1) + 1));
    link.score = static_cast<double>(milli) / 1000.0;
    link.reason = dictionary.texts[reason];
  }
  if (!decoder.done()) return CorruptChunk();
  return Status::Ok();
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
  return Save(
      upload, [&](std::int64_t upload_id) { return WriteLinkRows(upload, upload_id, links); }, rejects,
      alerts, review_items);
}

Result<SaveOutcome> SqliteLinkStore::SaveComparisonCompact(const FeedUpload& upload,
                                                           const CompactLinks& links,
                                                           const std::vector<FeedReject>& rejects,
                                                           const std::vector<FeedFinding>& alerts,
                                                           const std::vector<FeedFinding>& review_items) {
  return Save(
      upload, [&](std::int64_t upload_id) { return WriteLinkChunks(upload, upload_id, links); }, rejects,
      alerts, review_items);
}

Result<SaveOutcome> SqliteLinkStore::Save(const FeedUpload& upload,
                                          const std::function<Status(std::int64_t upload_id)>& write_links,
                                          const std::vector<FeedReject>& rejects,
                                          const std::vector<FeedFinding>& alerts,
                                          const std::vector<FeedFinding>& review_items) {
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kWrite));
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
  RETURN_IF_ERROR(write_links(outcome.upload_id));
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
  RETURN_IF_ERROR(transaction.Commit());
  return outcome;
}

Status SqliteLinkStore::WriteLinkRows(const FeedUpload& upload, std::int64_t upload_id,
                                      const FeedLinkSource& links) {
  ASSIGN_OR_RETURN(auto insert, db_->Prepare("INSERT INTO feed_links (upload_id, row, id_number, "
                                             "household_number, village_code, match_class, score_milli, "
                                             "reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  FeedLink link;
  for (;;) {
    ASSIGN_OR_RETURN(bool more, links(&link));
    if (!more) break;
    if (link.village_code != 0 && !upload.scope.Contains(link.village_code)) {
      return PermissionDenied(fmt::format("第 {} 行匹配到的人员（户编号 {}）不在本次比对的行政区划范围内",
                                          link.row, link.household_number));
    }
    insert->BindInt(1, upload_id);
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
  return Status::Ok();
}

Status SqliteLinkStore::WriteLinkChunks(const FeedUpload& upload, std::int64_t upload_id,
                                        const CompactLinks& links) {
  // Validate before writing anything: indexes in range, households in scope.
  std::vector<char> in_scope(links.households.size());
  for (std::size_t idx = 0; idx < links.households.size(); ++idx) {
    in_scope[idx] = upload.scope.Contains(links.households[idx].village_code) ? 1 : 0;
  }
  const auto text_count = static_cast<std::int64_t>(links.texts.size());
  for (std::size_t row_idx = 0; row_idx < links.rows.size(); ++row_idx) {
    const CompactLinks::Row& row = links.rows[row_idx];
    if (row.household >= static_cast<std::int64_t>(links.households.size()) || row.reason < 0 ||
        row.reason >= text_count || row.id_text < 0 || row.id_text >= text_count ||
        row.match_class >= std::size(kFeedMatchClasses) || row.id_body >= (std::uint64_t{1} << 62)) {
      return InvalidArgument(fmt::format("第 {} 行的比对结果无效（内部错误）", row_idx + 1));
    }
    if (row.household >= 0 && !in_scope[row.household]) {
      return PermissionDenied(fmt::format("第 {} 行匹配到的人员（户编号 {}）不在本次比对的行政区划范围内",
                                          row_idx + 1, links.households[row.household].number));
    }
  }
  ASSIGN_OR_RETURN(auto insert, db_->Prepare("INSERT INTO feed_link_chunks (upload_id, chunk, first_row, "
                                             "row_count, data) VALUES (?1, ?2, ?3, ?4, ?5)"));
  auto write = [&](std::int64_t chunk, std::int64_t first_row, std::int64_t row_count,
                   const std::string& data) -> Status {
    insert->BindInt(1, upload_id);
    insert->BindInt(2, chunk);
    insert->BindInt(3, first_row);
    insert->BindInt(4, row_count);
    insert->BindBlob(5, data);
    RETURN_IF_ERROR(insert->Run("写入比对结果"));
    insert->Reset();
    return Status::Ok();
  };
  std::string data;
  EncodeLinkDictionary(links, &data);
  RETURN_IF_ERROR(write(0, 0, static_cast<std::int64_t>(links.households.size()), data));
  std::int64_t chunk = 0;
  for (std::size_t first = 0; first < links.rows.size(); first += kLinkChunkRows) {
    const std::size_t count = std::min(kLinkChunkRows, links.rows.size() - first);
    data.clear();
    EncodeLinkRows(std::span(links.rows).subspan(first, count), &data);
    RETURN_IF_ERROR(
        write(++chunk, static_cast<std::int64_t>(first) + 1, static_cast<std::int64_t>(count), data));
  }
  return Status::Ok();
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
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kRead));
  std::vector<FeedLink> out;
  {
    // Uploads stored before migration 7 (and SaveComparison's links).
    ASSIGN_OR_RETURN(
        auto statement,
        db_->Prepare(
            "SELECT row, id_number, household_number, village_code, match_class, score_milli, reason "
            "FROM feed_links WHERE upload_id = ?3 AND village_code BETWEEN ?1 AND ?2 "
            "ORDER BY row"));
    statement->BindInt(1, scope.lo);
    statement->BindInt(2, scope.hi);
    statement->BindInt(3, upload_id);
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
  }
  const std::size_t from_rows = out.size();
  {
    ASSIGN_OR_RETURN(auto statement, db_->Prepare("SELECT chunk, first_row, row_count, data FROM "
                                                  "feed_link_chunks WHERE upload_id = ?1 ORDER BY chunk"));
    statement->BindInt(1, upload_id);
    CompactLinks dictionary;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, statement->Step("读取比对结果"));
      if (!row) break;
      const std::int64_t chunk = statement->ColumnInt(0);
      const std::int64_t first_row = statement->ColumnInt(1);
      const std::int64_t row_count = statement->ColumnInt(2);
      if (chunk == 0) {
        RETURN_IF_ERROR(DecodeLinkDictionary(statement->ColumnBlob(3), &dictionary));
        continue;
      }
      RETURN_IF_ERROR(
          DecodeLinkRows(statement->ColumnBlob(3), first_row, row_count, dictionary, scope, &out));
    }
  }
  if (from_rows > 0 && from_rows < out.size()) {
    std::sort(out.begin(), out.end(), [](const FeedLink& a, const FeedLink& b) { return a.row < b.row; });
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
