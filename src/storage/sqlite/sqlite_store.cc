#include "storage/sqlite/sqlite_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "domain/content_hash.h"
#include "domain/resident_id.h"

namespace zx::sqlite {
namespace {

// Column lists shared by the statements that read households and members.
// (Compile-time text only: values are always bound.)
#define ZX_HOUSEHOLD_COLUMNS                                                                   \
  "id, household_number, village_code, ex_poor, poverty_exit_year, safety_net, relocated, "    \
  "housing, food_clothing_secure, water_quantity_ok, water_quality_ok, water_convenience_ok, " \
  "water_reliability_ok, phone"

constexpr const char* kSelectMembers =
    "SELECT name, id_number, sex, birth_date, relation, ethnicity, education, schooling, health, "
    "disability_grade, labour_skill, migrant_work_months, medical_insurance, minimum_living_allowance, "
    "extreme_hardship, deceased FROM persons WHERE household_id = ?1 ORDER BY ordinal";

constexpr const char* kSelectYears =
    "SELECT year, wage, business, property, transfer, production_cost, compliant_oop "
    "FROM household_years WHERE household_id = ?1 ORDER BY year";

constexpr const char* kInsertHousehold =
    "INSERT INTO households (household_number, village_code, ex_poor, poverty_exit_year, safety_net, "
    "relocated, housing, food_clothing_secure, water_quantity_ok, water_quality_ok, water_convenience_ok, "
    "water_reliability_ok, phone, living_size, content_hash, updated_at, row_version) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 1)";

constexpr const char* kUpdateHousehold =
    "UPDATE households SET household_number = ?1, village_code = ?2, ex_poor = ?3, poverty_exit_year = ?4, "
    "safety_net = ?5, relocated = ?6, housing = ?7, food_clothing_secure = ?8, water_quantity_ok = ?9, "
    "water_quality_ok = ?10, water_convenience_ok = ?11, water_reliability_ok = ?12, phone = ?13, "
    "living_size = ?14, content_hash = ?15, updated_at = ?16, row_version = row_version + 1 "
    "WHERE id = ?17";

#define ZX_INSERT_PERSON_HEAD                                                                              \
  "INSERT INTO persons (household_id, ordinal, name, id_number, sex, birth_date, relation, ethnicity, "    \
  "education, schooling, health, disability_grade, labour_skill, migrant_work_months, medical_insurance, " \
  "minimum_living_allowance, extreme_hardship, deceased)"
constexpr const char* kInsertPersonHead = ZX_INSERT_PERSON_HEAD;
constexpr const char* kInsertPerson = ZX_INSERT_PERSON_HEAD
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";

#define ZX_INSERT_YEAR_HEAD                                                                                \
  "INSERT INTO household_years (household_id, year, wage, business, property, transfer, production_cost, " \
  "compliant_oop)"
constexpr const char* kInsertYearHead = ZX_INSERT_YEAR_HEAD;

constexpr int kProgressEvery = 1000;

std::string NowIso() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

bool DateStorable(const Date& date) {
  return date.year >= 0 && date.year <= 9999 && date.month >= 0 && date.month <= 99 && date.day >= 0 &&
         date.day <= 99;
}

/// "YYYY-MM-DD"; the caller has checked DateStorable.
std::string DateToText(const Date& date) {
  std::string text = "0000-00-00";
  auto put = [&](size_t end, int value, int width) {
    for (int digit_idx = 0; digit_idx < width; ++digit_idx, value /= 10)
      text[end - digit_idx] = static_cast<char>('0' + value % 10);
  };
  put(3, date.year, 4);
  put(6, date.month, 2);
  put(9, date.day, 2);
  return text;
}

bool DateFromText(std::string_view text, Date* out) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  auto digits = [&](size_t from, size_t count, int* value) {
    *value = 0;
    for (size_t pos = from; pos < from + count; ++pos) {
      if (text[pos] < '0' || text[pos] > '9') return false;
      *value = *value * 10 + (text[pos] - '0');
    }
    return true;
  };
  return digits(0, 4, &out->year) && digits(5, 2, &out->month) && digits(8, 2, &out->day);
}

void BindScope(Statement& statement, int first_index, const DivisionScope& scope) {
  statement.BindInt(first_index, scope.lo);
  statement.BindInt(first_index + 1, scope.hi);
}

/// Reads columns 0..13 of a ZX_HOUSEHOLD_COLUMNS row; returns the id.
std::int64_t ReadHousehold(const Statement& row, Household* out) {
  out->household_number.assign(row.ColumnText(1));
  out->village_code = row.ColumnInt(2);
  out->ex_poor = row.ColumnBool(3);
  out->poverty_exit_year = static_cast<int>(row.ColumnInt(4));
  out->safety_net = row.ColumnBool(5);
  out->relocated = row.ColumnBool(6);
  out->housing = static_cast<HousingRating>(row.ColumnInt(7));
  out->food_clothing_secure = row.ColumnBool(8);
  out->water_quantity_ok = row.ColumnBool(9);
  out->water_quality_ok = row.ColumnBool(10);
  out->water_convenience_ok = row.ColumnBool(11);
  out->water_reliability_ok = row.ColumnBool(12);
  out->phone.assign(row.ColumnText(13));
  return row.ColumnInt(0);
}

/// Binds ?1..?16 of kInsertHousehold / kUpdateHousehold.
void BindHousehold(Statement& statement, const HouseholdRecord& record, std::uint64_t hash,
                   const std::string& timestamp) {
  const Household& household = record.household;
  statement.BindTextStatic(1, household.household_number);
  statement.BindInt(2, household.village_code);
  statement.BindBool(3, household.ex_poor);
  statement.BindInt(4, household.poverty_exit_year);
  statement.BindBool(5, household.safety_net);
  statement.BindBool(6, household.relocated);
  statement.BindInt(7, static_cast<int>(household.housing));
  statement.BindBool(8, household.food_clothing_secure);
  statement.BindBool(9, household.water_quantity_ok);
  statement.BindBool(10, household.water_quality_ok);
  statement.BindBool(11, household.water_convenience_ok);
  statement.BindBool(12, household.water_reliability_ok);
  statement.BindTextStatic(13, household.phone);
  statement.BindInt(14, record.LivingSize());
  statement.BindInt(15, static_cast<std::int64_t>(hash));  // bit pattern; SQLite integers are signed
  statement.BindTextStatic(16, timestamp);
}

void ReadPerson(const Statement& row, int first, Person* person) {
  person->name.assign(row.ColumnText(first));
  person->id_number.assign(row.ColumnText(first + 1));
  person->sex = static_cast<Sex>(row.ColumnInt(first + 2));
  person->relation = static_cast<Relation>(row.ColumnInt(first + 4));
  person->ethnicity = static_cast<Ethnicity>(row.ColumnInt(first + 5));
  person->education = static_cast<Education>(row.ColumnInt(first + 6));
  person->schooling = static_cast<SchoolingStatus>(row.ColumnInt(first + 7));
  person->health = static_cast<Health>(row.ColumnInt(first + 8));
  person->disability_grade = static_cast<int>(row.ColumnInt(first + 9));
  person->labour_skill = static_cast<LabourSkill>(row.ColumnInt(first + 10));
  person->migrant_work_months = static_cast<int>(row.ColumnInt(first + 11));
  person->medical_insurance = row.ColumnBool(first + 12);
  person->minimum_living_allowance = row.ColumnBool(first + 13);
  person->extreme_hardship = row.ColumnBool(first + 14);
  person->deceased = row.ColumnBool(first + 15);
}

Status ReadBirthDate(const Statement& row, int first, Person* person) {
  if (DateFromText(row.ColumnText(first + 3), &person->birth_date)) return Status::Ok();
  return DataLoss(fmt::format("数据库中证件号码为 {} 的成员出生日期“{}”格式损坏",
                              MaskResidentId(person->id_number), row.ColumnText(first + 3)));
}

void ReadYear(const Statement& row, int first, HouseholdYear* year) {
  year->year = static_cast<int>(row.ColumnInt(first));
  year->wage_income = row.ColumnInt(first + 1);
  year->business_income = row.ColumnInt(first + 2);
  year->property_income = row.ColumnInt(first + 3);
  year->transfer_income = row.ColumnInt(first + 4);
  year->production_cost = row.ColumnInt(first + 5);
  year->compliant_out_of_pocket = row.ColumnInt(first + 6);
}

Status DuplicateHousehold(std::string_view number) {
  return InvalidArgument(fmt::format("户编号 {} 在同一批数据中出现了不止一次", number));
}

/// "INSERT INTO <table> (<columns>) VALUES (?,…), (?,…), …" for `rows` rows.
std::string MultiRowInsert(std::string_view head, int columns, int rows) {
  std::string sql(head);
  sql += " VALUES ";
  for (int row_idx = 0; row_idx < rows; ++row_idx) {
    sql += row_idx == 0 ? "(" : ", (";
    for (int column_idx = 0; column_idx < columns; ++column_idx) sql += column_idx == 0 ? "?" : ", ?";
    sql += ")";
  }
  return sql;
}

constexpr int kPersonColumns = 18;
constexpr int kYearColumns = 8;
/// The buffer is written once it holds this many members or years...
constexpr size_t kFlushRows = 64;
/// ...in statements of at most this many rows (one household adds a few
/// rows past kFlushRows, which then still fit one statement).
constexpr size_t kMaxBatchRows = 96;

/// The multi-row INSERT for 1..kMaxBatchRows rows, built once.
const char* BatchSql(std::string_view head, int columns, size_t rows) {
  static std::map<std::pair<std::string_view, size_t>, std::string> cache;  // one thread: see sqlite_db.h
  std::string& sql = cache[{head, rows}];
  if (sql.empty()) sql = MultiRowInsert(head, columns, static_cast<int>(rows));
  return sql.c_str();
}

/// Buffers the members and income years of written households and inserts
/// them in multi-row statements (up to kMaxBatchRows rows each), which costs
/// SQLite far less than one statement per row. Text is copied into one
/// arena and bound without a second copy. A failed batch is replayed row by
/// row (the failed statement changed nothing) to name the member at fault.
class ChildRowWriter {
 public:
  explicit ChildRowWriter(SqliteDb* db) : db_(db) {
    // Older SQLite builds allow only 999 parameters per statement.
    const int parameters = sqlite3_limit(db->handle(), SQLITE_LIMIT_VARIABLE_NUMBER, -1);
    max_person_rows_ = std::clamp<size_t>(static_cast<size_t>(parameters / kPersonColumns), 1, kMaxBatchRows);
    max_year_rows_ = std::clamp<size_t>(static_cast<size_t>(parameters / kYearColumns), 1, kMaxBatchRows);
  }

  /// Buffers the members, and the years if `with_years`, of a household.
  Status Add(std::int64_t household_id, const HouseholdRecord& record, bool with_years) {
    const std::uint32_t number_ref = AppendNumber(record.household.household_number);
    for (size_t member_idx = 0; member_idx < record.members.size(); ++member_idx) {
      const Person& person = record.members[member_idx];
      PendingPerson& row = persons_.emplace_back();
      row.household_id = household_id;
      row.ordinal = static_cast<std::int64_t>(member_idx);
      row.household_number = number_ref;
      row.name = Append(person.name);
      row.id_number = Append(person.id_number);
      row.birth_date = Append(DateToText(person.birth_date));
      row.scalars = {static_cast<int>(person.sex),
                     static_cast<int>(person.relation),
                     static_cast<int>(person.ethnicity),
                     static_cast<int>(person.education),
                     static_cast<int>(person.schooling),
                     static_cast<int>(person.health),
                     person.disability_grade,
                     static_cast<int>(person.labour_skill),
                     person.migrant_work_months,
                     person.medical_insurance ? 1 : 0,
                     person.minimum_living_allowance ? 1 : 0,
                     person.extreme_hardship ? 1 : 0,
                     person.deceased ? 1 : 0};
    }
    if (with_years) {
      for (const HouseholdYear& year : record.years) years_.push_back({household_id, year, number_ref});
    }
    if (persons_.size() >= kFlushRows || years_.size() >= kFlushRows) return Flush();
    return Status::Ok();
  }

  /// Writes every buffered row and empties the buffer, also on failure
  /// (the write then fails as a whole; nothing is written twice).
  Status Flush() {
    Status status = FlushPersons();
    if (status.ok()) status = FlushYears();
    persons_.clear();
    years_.clear();
    arena_.clear();
    numbers_.clear();
    return status;
  }

 private:
  /// Offset and length of a text in arena_.
  struct TextRef {
    std::uint32_t offset = 0;
    std::uint32_t size = 0;
  };
  struct PendingPerson {
    std::int64_t household_id = 0;
    std::int64_t ordinal = 0;
    std::uint32_t household_number = 0;  // index into numbers_
    TextRef name, id_number, birth_date;
    // sex, relation, ethnicity, education, schooling, health, disability
    // grade, labour skill, migrant months, the four flags: columns 5, 7..18.
    std::array<int, 13> scalars{};
  };
  struct PendingYear {
    std::int64_t household_id = 0;
    HouseholdYear year;
    std::uint32_t household_number = 0;
  };

  std::uint32_t AppendNumber(std::string_view number) {
    numbers_.push_back(
        TextRef{static_cast<std::uint32_t>(arena_.size()), static_cast<std::uint32_t>(number.size())});
    arena_.append(number);
    return static_cast<std::uint32_t>(numbers_.size() - 1);
  }
  TextRef Append(const std::string& text) {
    TextRef ref{static_cast<std::uint32_t>(arena_.size()), static_cast<std::uint32_t>(text.size())};
    arena_.append(text);
    return ref;
  }
  std::string_view Text(TextRef ref) const { return std::string_view(arena_).substr(ref.offset, ref.size); }
  std::string_view Number(std::uint32_t index) const { return Text(numbers_[index]); }

  void BindPerson(Statement& statement, int first, const PendingPerson& row) const {
    statement.BindInt(first, row.household_id);
    statement.BindInt(first + 1, row.ordinal);
    statement.BindTextStatic(first + 2, Text(row.name));
    statement.BindTextStatic(first + 3, Text(row.id_number));
    statement.BindInt(first + 4, row.scalars[0]);
    statement.BindTextStatic(first + 5, Text(row.birth_date));
    for (int scalar_idx = 1; scalar_idx < 13; ++scalar_idx) {
      statement.BindInt(first + 5 + scalar_idx, row.scalars[static_cast<size_t>(scalar_idx)]);
    }
  }

  static void BindYear(Statement& statement, int first, const PendingYear& row) {
    statement.BindInt(first, row.household_id);
    statement.BindInt(first + 1, row.year.year);
    statement.BindInt(first + 2, row.year.wage_income);
    statement.BindInt(first + 3, row.year.business_income);
    statement.BindInt(first + 4, row.year.property_income);
    statement.BindInt(first + 5, row.year.transfer_income);
    statement.BindInt(first + 6, row.year.production_cost);
    statement.BindInt(first + 7, row.year.compliant_out_of_pocket);
  }

  Status FlushPersons() {
    for (size_t next = 0; next < persons_.size();) {
      const size_t rows = std::min(max_person_rows_, persons_.size() - next);
      ASSIGN_OR_RETURN(auto batch, db_->Prepare(BatchSql(kInsertPersonHead, kPersonColumns, rows)));
      for (size_t row_idx = 0; row_idx < rows; ++row_idx) {
        BindPerson(*batch, 1 + static_cast<int>(row_idx) * kPersonColumns, persons_[next + row_idx]);
      }
      Status status = batch->Run("写入家庭成员");
      if (!status.ok()) {
        if ((batch->extended_error_code() & 0xff) != SQLITE_CONSTRAINT) return status;
        for (size_t row_idx = 0; row_idx < rows; ++row_idx)
          RETURN_IF_ERROR(InsertPerson(persons_[next + row_idx]));
        return status;  // not expected: the batch failed but no single row did
      }
      next += rows;
    }
    return Status::Ok();
  }

  Status InsertPerson(const PendingPerson& row) {
    ASSIGN_OR_RETURN(auto insert, db_->Prepare(kInsertPerson));
    BindPerson(*insert, 1, row);
    Status status = insert->Run("写入家庭成员");
    if (status.ok()) return status;
    if (insert->extended_error_code() != SQLITE_CONSTRAINT_UNIQUE) return status;
    // The only unique key a member can collide on is id_number.
    const std::string id_number(Text(row.id_number));
    const std::string_view number = Number(row.household_number);
    const std::string masked = MaskResidentId(id_number);
    ASSIGN_OR_RETURN(
        auto owner,
        db_->Prepare("SELECT h.household_number FROM persons p JOIN households h ON h.id = p.household_id "
                     "WHERE p.id_number = ?1"));
    owner->BindText(1, id_number);
    ASSIGN_OR_RETURN(bool owned, owner->Step("查找证件号码所属农户"));
    if (owned && owner->ColumnText(0) == number) {
      return InvalidArgument(fmt::format("户 {} 中有两名成员的证件号码相同：{}", number, masked));
    }
    if (owned) {
      return AlreadyExists(
          fmt::format("证件号码 {} 已登记在户 {}，不能再登记到户 {}", masked, owner->ColumnText(0), number));
    }
    return status;
  }

  Status FlushYears() {
    for (size_t next = 0; next < years_.size();) {
      const size_t rows = std::min(max_year_rows_, years_.size() - next);
      ASSIGN_OR_RETURN(auto batch, db_->Prepare(BatchSql(kInsertYearHead, kYearColumns, rows)));
      for (size_t row_idx = 0; row_idx < rows; ++row_idx) {
        BindYear(*batch, 1 + static_cast<int>(row_idx) * kYearColumns, years_[next + row_idx]);
      }
      RETURN_IF_ERROR(batch->Run("写入收入数据"));
      next += rows;
    }
    return Status::Ok();
  }

  SqliteDb* db_;
  size_t max_person_rows_ = 1;
  size_t max_year_rows_ = 1;
  std::string arena_;
  std::vector<TextRef> numbers_;
  std::vector<PendingPerson> persons_;
  std::vector<PendingYear> years_;
};

}  // namespace

// ---------------------------------------------------------------------------
// Opening

namespace {

Status ConfigureConnection(SqliteDb* db, const SqliteStoreOptions& options) {
  const std::string what = "打开数据库";
  sqlite3_busy_timeout(db->handle(), options.busy_timeout_ms);
  {
    ASSIGN_OR_RETURN(auto journal, db->Prepare("PRAGMA journal_mode = WAL"));
    ASSIGN_OR_RETURN(bool row, journal->Step(what));
    std::string mode = row ? std::string(journal->ColumnText(0)) : std::string();
    if (mode != "wal") {
      return Unavailable(fmt::format("{}失败：无法启用 WAL 日志模式（当前为“{}”）", what, mode));
    }
  }
  RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys = ON", what));
  RETURN_IF_ERROR(db->Exec("PRAGMA synchronous = NORMAL", what));
  // Statement journals (multi-row INSERTs in a bulk write need one so that a
  // failed statement undoes itself) and small sorts stay in memory instead
  // of temporary files. Committed data is unaffected.
  RETURN_IF_ERROR(db->Exec("PRAGMA temp_store = MEMORY", what));
  // A number from options, not user input: PRAGMAs cannot take parameters.
  std::string cache_size = fmt::format("PRAGMA cache_size = -{}", options.cache_size_kib);
  RETURN_IF_ERROR(db->Exec(cache_size.c_str(), what));
  std::string mmap_size = fmt::format("PRAGMA mmap_size = {}", options.mmap_size);
  RETURN_IF_ERROR(db->Exec(mmap_size.c_str(), what));
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<SqliteDb>> OpenConfiguredDb(const std::string& path, const SqliteStoreOptions& options,
                                                   MigrationReport* report) {
  ASSIGN_OR_RETURN(auto db, SqliteDb::Open(path));
  Status configured = ConfigureConnection(db.get(), options);
  if (!configured.ok()) return configured.WithContext(fmt::format("数据库 {}：", path));
  const std::vector<Migration>& migrations =
      options.migrations != nullptr ? *options.migrations : SchemaMigrations();
  ASSIGN_OR_RETURN(MigrationReport applied, ApplyMigrations(db.get(), migrations));
  if (report != nullptr) *report = applied;
  return db;
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const DivisionTable& divisions,
                                                       const SqliteStoreOptions& options) {
  MigrationReport report;
  ASSIGN_OR_RETURN(auto db, OpenConfiguredDb(path, options, &report));
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db)));
  store->migration_report_ = report;

  if (!divisions.all().empty()) {
    bool empty = false;
    {
      ASSIGN_OR_RETURN(auto any, store->db_->Prepare("SELECT NOT EXISTS (SELECT 1 FROM divisions)"));
      ASSIGN_OR_RETURN(bool row, any->Step("读取行政区划"));
      empty = row && any->ColumnBool(0);
    }
    if (empty) RETURN_IF_ERROR(store->ReplaceDivisions(divisions.all()));
  }
  return store;
}

// ---------------------------------------------------------------------------
// Divisions

Status SqliteStore::ReplaceDivisions(const std::vector<Division>& divisions) {
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kWrite));
  RETURN_IF_ERROR(ReplaceDivisionsInTransaction(divisions));
  return transaction.Commit();
}

Status SqliteStore::ReplaceDivisionsInTransaction(const std::vector<Division>& divisions) {
  RETURN_IF_ERROR(BumpGenerationInTransaction());
  RETURN_IF_ERROR(db_->Exec("DELETE FROM divisions", "清空行政区划"));
  {
    ASSIGN_OR_RETURN(
        auto insert,
        db_->Prepare(
            "INSERT INTO divisions (code, name, level, parent_code, rural, pastoral, key_assistance) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    for (const Division& division : divisions) {
      const int level = static_cast<int>(division.level);
      const int key_assistance = static_cast<int>(division.key_assistance);
      if (level < 1 || level > 5 || key_assistance < 0 || key_assistance > 2) {
        return InvalidArgument(
            fmt::format("行政区划 {}（{}）的级别或重点帮扶类型无效", division.code, division.name));
      }
      insert->Reset();
      insert->BindInt(1, division.code);
      insert->BindText(2, division.name);
      insert->BindInt(3, level);
      insert->BindInt(4, division.parent_code);
      insert->BindBool(5, division.rural);
      insert->BindBool(6, division.pastoral);
      insert->BindInt(7, key_assistance);
      Status status = insert->Run("写入行政区划");
      if (!status.ok()) {
        if (insert->extended_error_code() == SQLITE_CONSTRAINT_PRIMARYKEY) {
          return InvalidArgument(fmt::format("行政区划代码 {}（{}）重复出现", division.code, division.name));
        }
        return status;
      }
    }
  }
  // Every household must still live in a village of the new table.
  ASSIGN_OR_RETURN(auto orphan, db_->Prepare("SELECT h.household_number, h.village_code FROM households h "
                                             "LEFT JOIN divisions d ON d.code = h.village_code "
                                             "WHERE d.code IS NULL OR d.level <> 5 LIMIT 1"));
  ASSIGN_OR_RETURN(bool found, orphan->Step("检查农户所在村"));
  if (found) {
    return FailedPrecondition(
        fmt::format("不能替换行政区划：户 {} 所在的村 {} 在新的区划表中不存在或已不是村级",
                    orphan->ColumnText(0), orphan->ColumnInt(1)));
  }
  return Status::Ok();
}

Result<std::vector<Division>> SqliteStore::ListDivisions(const DivisionScope& scope) {
  ASSIGN_OR_RETURN(
      auto list,
      db_->Prepare("SELECT code, name, level, parent_code, rural, pastoral, key_assistance FROM divisions "
                   "WHERE code BETWEEN ?1 AND ?2 ORDER BY code"));
  BindScope(*list, 1, scope);
  std::vector<Division> divisions;
  while (true) {
    ASSIGN_OR_RETURN(bool row, list->Step("读取行政区划"));
    if (!row) break;
    Division& division = divisions.emplace_back();
    division.code = list->ColumnInt(0);
    division.name.assign(list->ColumnText(1));
    division.level = static_cast<DivisionLevel>(list->ColumnInt(2));
    division.parent_code = list->ColumnInt(3);
    division.rural = list->ColumnBool(4);
    division.pastoral = list->ColumnBool(5);
    division.key_assistance = static_cast<KeyAssistance>(list->ColumnInt(6));
  }
  return divisions;
}

// ---------------------------------------------------------------------------
// Writing households

Result<WriteCounts> SqliteStore::UpsertHouseholds(const DivisionScope& scope, HouseholdSource& source,
                                                  const ProgressFn& progress) {
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kWrite));
  // Any failure below returns early and `transaction` rolls everything back.
  ASSIGN_OR_RETURN(WriteCounts counts, UpsertInTransaction(scope, source, progress));
  if (counts.inserted + counts.updated > 0) RETURN_IF_ERROR(BumpGenerationInTransaction());
  RETURN_IF_ERROR(transaction.Commit());
  return counts;
}

// ---------------------------------------------------------------------------
// Registry generation and snapshots

Status SqliteStore::BumpGenerationInTransaction() {
  RETURN_IF_ERROR(
      db_->Exec("UPDATE registry_generation SET generation = generation + 1 WHERE id = 1", "更新数据版本"));
  return db_->Exec("DELETE FROM column_snapshots", "清除过期的列式快照");
}

Result<std::int64_t> SqliteStore::RegistryGeneration() {
  ASSIGN_OR_RETURN(auto select, db_->Prepare("SELECT generation FROM registry_generation WHERE id = 1"));
  ASSIGN_OR_RETURN(bool row, select->Step("读取数据版本"));
  if (!row) return Internal("读取数据版本失败：没有记录");
  const std::int64_t generation = select->ColumnInt(0);
  select->Reset();
  return generation;
}

namespace {
Status RequireWholeRegistry(const DivisionScope& scope) {
  if (scope == DivisionScope::All()) return Status::Ok();
  return PermissionDenied("列式快照只能在全省范围内读写");
}
}  // namespace

Status SqliteStore::PutSnapshot(const DivisionScope& scope, const std::string& key, std::int64_t generation,
                                std::string_view bytes) {
  RETURN_IF_ERROR(RequireWholeRegistry(scope));
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kWrite));
  ASSIGN_OR_RETURN(std::int64_t current, RegistryGeneration());
  if (current != generation) {
    return Conflict(fmt::format("列式快照基于数据版本 {}，但数据已更新到版本 {}", generation, current));
  }
  {
    ASSIGN_OR_RETURN(
        auto insert,
        db_->Prepare("INSERT OR REPLACE INTO column_snapshots (key, generation, data, created_at) "
                     "VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"));
    insert->BindText(1, key);
    insert->BindInt(2, generation);
    insert->BindBlob(3, bytes);
    RETURN_IF_ERROR(insert->Run("保存列式快照"));
  }
  return transaction.Commit();
}

Result<std::optional<std::string>> SqliteStore::GetSnapshot(const DivisionScope& scope,
                                                            const std::string& key, std::int64_t generation) {
  RETURN_IF_ERROR(RequireWholeRegistry(scope));
  ASSIGN_OR_RETURN(auto select,
                   db_->Prepare("SELECT data FROM column_snapshots WHERE key = ?1 AND generation = ?2"));
  select->BindText(1, key);
  select->BindInt(2, generation);
  ASSIGN_OR_RETURN(bool row, select->Step("读取列式快照"));
  if (!row) return std::optional<std::string>();
  std::string bytes(select->ColumnBlob(0));
  select->Reset();
  return std::optional<std::string>(std::move(bytes));
}

Result<WriteCounts> SqliteStore::UpsertInTransaction(const DivisionScope& scope, HouseholdSource& source,
                                                     const ProgressFn& progress) {
  std::unordered_set<DivisionCode> villages;
  {
    ASSIGN_OR_RETURN(auto list, db_->Prepare("SELECT code FROM divisions WHERE level = 5"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, list->Step("读取村级行政区划"));
      if (!row) break;
      villages.insert(list->ColumnInt(0));
    }
  }
  // A write that covers a large share of the stored households reads them
  // all in one pass instead of looking each one up; into an empty table
  // that pass is free. Households this write inserts are not in `stored`:
  // the UNIQUE household_number constraint catches one given twice.
  struct StoredHousehold {
    std::int64_t id = 0;
    std::uint64_t hash = 0;
    DivisionCode village = 0;
    bool written = false;  // given earlier in this write
  };
  std::unordered_map<std::string, StoredHousehold> stored;
  bool preloaded = false;
  {
    ASSIGN_OR_RETURN(auto count, db_->Prepare("SELECT COUNT(*) FROM households"));
    ASSIGN_OR_RETURN(bool row, count->Step("统计农户"));
    const std::int64_t stored_count = row ? count->ColumnInt(0) : 0;
    const std::int64_t hint = source.SizeHint();
    preloaded = stored_count == 0 || (hint >= 0 && hint * 4 >= stored_count);
    if (stored_count > 0 && preloaded) {
      stored.reserve(static_cast<size_t>(stored_count));
      ASSIGN_OR_RETURN(
          auto all, db_->Prepare("SELECT household_number, id, content_hash, village_code FROM households"));
      while (true) {
        ASSIGN_OR_RETURN(bool more, all->Step("读取农户"));
        if (!more) break;
        stored.emplace(std::string(all->ColumnText(0)),
                       StoredHousehold{all->ColumnInt(1), static_cast<std::uint64_t>(all->ColumnInt(2)),
                                       all->ColumnInt(3), false});
      }
    }
  }

  ASSIGN_OR_RETURN(
      auto find,
      db_->Prepare("SELECT id, content_hash, village_code FROM households WHERE household_number = ?1"));
  ASSIGN_OR_RETURN(auto insert_household, db_->Prepare(kInsertHousehold));
  ASSIGN_OR_RETURN(auto update_household, db_->Prepare(kUpdateHousehold));
  ASSIGN_OR_RETURN(auto delete_members, db_->Prepare("DELETE FROM persons WHERE household_id = ?1"));
  ASSIGN_OR_RETURN(auto delete_years, db_->Prepare("DELETE FROM household_years WHERE household_id = ?1"));

  ChildRowWriter children(db_.get());
  const std::string timestamp = NowIso();
  std::unordered_set<std::int64_t> written_ids;  // without `stored`: a household given twice in one write
  WriteCounts counts;
  std::int64_t done = 0;
  HouseholdRecord record;

  // One household; returns false at the end of the source. Members and
  // years are buffered in `children` and written in multi-row statements;
  // the buffer is flushed before any error is returned (below), so the
  // first error in source order is the one reported, exactly as if every
  // row had been written at once.
  auto write_next = [&]() -> Result<bool> {
    ASSIGN_OR_RETURN(bool more, source.Next(&record));
    if (!more) return false;
    const Household& household = record.household;
    const std::string& number = household.household_number;

    if (number.empty()) return InvalidArgument(fmt::format("第 {} 户的户编号为空", done + 1));
    if (!scope.Contains(household.village_code)) {
      return PermissionDenied(fmt::format("户 {} 所在的村 {} 不在当前用户的管辖范围内，不能写入", number,
                                          household.village_code));
    }
    if (!villages.contains(household.village_code)) {
      return InvalidArgument(
          fmt::format("户 {} 的村代码 {} 不是已知的村级行政区划", number, household.village_code));
    }
    for (const Person& person : record.members) {
      if (!DateStorable(person.birth_date)) {
        return InvalidArgument(fmt::format("户 {} 成员 {} 的出生日期无效", number, person.name));
      }
    }
    const std::uint64_t hash = HouseholdContentHash(record);

    std::int64_t id = 0;
    bool exists = false;
    std::uint64_t stored_hash = 0;
    DivisionCode stored_village = 0;
    bool given_before = false;
    if (preloaded) {
      auto it = stored.find(number);
      exists = it != stored.end();
      if (exists) {
        id = it->second.id;
        stored_hash = it->second.hash;
        stored_village = it->second.village;
        given_before = std::exchange(it->second.written, true);
      }
    } else {
      find->Reset();
      find->BindTextStatic(1, number);
      ASSIGN_OR_RETURN(exists, find->Step("查找农户"));
      if (exists) {
        id = find->ColumnInt(0);
        stored_hash = static_cast<std::uint64_t>(find->ColumnInt(1));
        stored_village = find->ColumnInt(2);
        given_before = !written_ids.insert(id).second;
      }
      find->Reset();
    }
    if (exists) {
      if (!scope.Contains(stored_village)) {
        return PermissionDenied(
            fmt::format("户编号 {} 已被管辖范围以外的村 {} 的农户使用，不能修改", number, stored_village));
      }
      if (given_before) return DuplicateHousehold(number);
      if (stored_hash == hash) {
        ++counts.unchanged;
        id = 0;  // nothing more to write
      } else {
        // Buffered members of earlier households must meet the stored
        // members of this one (an ID number moving here is a conflict).
        RETURN_IF_ERROR(children.Flush());
        update_household->Reset();
        BindHousehold(*update_household, record, hash, timestamp);
        update_household->BindInt(17, id);
        RETURN_IF_ERROR(update_household->Run("更新农户"));
        delete_members->Reset();
        delete_members->BindInt(1, id);
        RETURN_IF_ERROR(delete_members->Run("更新家庭成员"));
        delete_years->Reset();
        delete_years->BindInt(1, id);
        RETURN_IF_ERROR(delete_years->Run("更新收入数据"));
        ++counts.updated;
      }
    }
    if (!exists) {
      insert_household->Reset();
      BindHousehold(*insert_household, record, hash, timestamp);
      Status status = insert_household->Run("写入农户");
      if (!status.ok()) {
        // household_number is the only unique key besides the generated id.
        if (preloaded && insert_household->extended_error_code() == SQLITE_CONSTRAINT_UNIQUE) {
          return DuplicateHousehold(number);
        }
        return status;
      }
      id = db_->LastInsertRowId();
      if (!preloaded) written_ids.insert(id);
      ++counts.inserted;
    }

    if (id != 0) {
      // The only key a year can collide on is (household, year), and this
      // household has no stored years: a collision is a year given twice.
      // Checked before the members are buffered, yet reported after them
      // (members are written first), as one row at a time would.
      Status years_ok = Status::Ok();
      for (size_t year_idx = 1; year_idx < record.years.size() && years_ok.ok(); ++year_idx) {
        for (size_t earlier_idx = 0; earlier_idx < year_idx; ++earlier_idx) {
          if (record.years[earlier_idx].year == record.years[year_idx].year) {
            years_ok = InvalidArgument(
                fmt::format("户 {} 的 {} 年收入数据出现了不止一次", number, record.years[year_idx].year));
            break;
          }
        }
      }
      RETURN_IF_ERROR(children.Add(id, record, /*with_years=*/years_ok.ok()));
      RETURN_IF_ERROR(years_ok);
    }

    ++done;
    if (progress && done % kProgressEvery == 0) progress(done);
    return true;
  };

  while (true) {
    Result<bool> more = write_next();
    if (!more.ok()) {
      Status flushed = children.Flush();
      return flushed.ok() ? more.status() : flushed;
    }
    if (!*more) break;
  }
  RETURN_IF_ERROR(children.Flush());
  if (progress) progress(done);
  return counts;
}

// ---------------------------------------------------------------------------
// Reading households

Status SqliteStore::LoadChildren(std::int64_t id, HouseholdRecord* record) {
  ASSIGN_OR_RETURN(auto members, db_->Prepare(kSelectMembers));
  members->BindInt(1, id);
  record->members.clear();
  while (true) {
    ASSIGN_OR_RETURN(bool row, members->Step("读取家庭成员"));
    if (!row) break;
    Person& person = record->members.emplace_back();
    ReadPerson(*members, 0, &person);
    RETURN_IF_ERROR(ReadBirthDate(*members, 0, &person));
  }
  ASSIGN_OR_RETURN(auto years, db_->Prepare(kSelectYears));
  years->BindInt(1, id);
  record->years.clear();
  while (true) {
    ASSIGN_OR_RETURN(bool row, years->Step("读取收入数据"));
    if (!row) break;
    ReadYear(*years, 0, &record->years.emplace_back());
  }
  return Status::Ok();
}

Result<bool> SqliteStore::IsWideScope(const DivisionScope& scope) {
  ASSIGN_OR_RETURN(
      auto count,
      db_->Prepare("SELECT (SELECT COUNT(*) FROM households WHERE village_code BETWEEN ?1 AND ?2) * 4 > "
                   "(SELECT COUNT(*) FROM households)"));
  BindScope(*count, 1, scope);
  ASSIGN_OR_RETURN(bool row, count->Step("统计农户"));
  return row && count->ColumnBool(0);
}

// Three cursors walk the households of the scope in household_number order:
// households, their members and their income years. Members and years come
// sorted the same way, so each household's rows are the next run of rows
// carrying its id. A wide scope walks the (household_number, village_code)
// index and needs no sorting; a narrow one reads its village range and lets
// SQLite sort the few rows. The ORDER BY spells out the whole index order
// (number, village, id) so SQLite sees that no sorting is needed.
#define ZX_SCAN_HOUSEHOLDS(INDEX)                                     \
  "SELECT " ZX_HOUSEHOLD_COLUMNS " FROM households INDEXED BY " INDEX \
  " WHERE village_code BETWEEN ?1 AND ?2 ORDER BY household_number"
#define ZX_SCAN_MEMBERS(INDEX)                                                                    \
  "SELECT h.id, p.name, p.id_number, p.sex, p.birth_date, p.relation, p.ethnicity, p.education, " \
  "p.schooling, p.health, p.disability_grade, p.labour_skill, p.migrant_work_months, "            \
  "p.medical_insurance, p.minimum_living_allowance, p.extreme_hardship, p.deceased "              \
  "FROM households h INDEXED BY " INDEX                                                           \
  " CROSS JOIN persons p ON p.household_id = h.id "                                               \
  "WHERE h.village_code BETWEEN ?1 AND ?2 ORDER BY h.household_number, h.village_code, h.id, p.ordinal"
#define ZX_SCAN_YEARS(INDEX)                                                                             \
  "SELECT h.id, y.year, y.wage, y.business, y.property, y.transfer, y.production_cost, y.compliant_oop " \
  "FROM households h INDEXED BY " INDEX                                                                  \
  " CROSS JOIN household_years y ON y.household_id = h.id "                                              \
  "WHERE h.village_code BETWEEN ?1 AND ?2 ORDER BY h.household_number, h.village_code, h.id, y.year"

Status SqliteStore::ScanHouseholds(const DivisionScope& scope,
                                   const std::function<Status(const HouseholdRecord&)>& visit) {
  // One read transaction: the three cursors and the visitor see one snapshot.
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kRead));
  {
    ASSIGN_OR_RETURN(bool wide, IsWideScope(scope));
    ASSIGN_OR_RETURN(auto households, db_->Prepare(wide ? ZX_SCAN_HOUSEHOLDS("households_number")
                                                        : ZX_SCAN_HOUSEHOLDS("households_village")));
    ASSIGN_OR_RETURN(auto members, db_->Prepare(wide ? ZX_SCAN_MEMBERS("households_number")
                                                     : ZX_SCAN_MEMBERS("households_village")));
    ASSIGN_OR_RETURN(auto years, db_->Prepare(wide ? ZX_SCAN_YEARS("households_number")
                                                   : ZX_SCAN_YEARS("households_village")));
    BindScope(*households, 1, scope);
    BindScope(*members, 1, scope);
    BindScope(*years, 1, scope);
    ASSIGN_OR_RETURN(bool member_row, members->Step("遍历家庭成员"));
    ASSIGN_OR_RETURN(bool year_row, years->Step("遍历收入数据"));
    HouseholdRecord record;
    while (true) {
      ASSIGN_OR_RETURN(bool row, households->Step("遍历农户"));
      if (!row) break;
      const std::int64_t id = ReadHousehold(*households, &record.household);
      size_t member_count = 0;
      while (member_row && members->ColumnInt(0) == id) {
        if (member_count == record.members.size()) record.members.emplace_back();
        Person& person = record.members[member_count++];
        ReadPerson(*members, 1, &person);
        RETURN_IF_ERROR(ReadBirthDate(*members, 1, &person));
        ASSIGN_OR_RETURN(member_row, members->Step("遍历家庭成员"));
      }
      record.members.resize(member_count);
      size_t year_count = 0;
      while (year_row && years->ColumnInt(0) == id) {
        if (year_count == record.years.size()) record.years.emplace_back();
        ReadYear(*years, 1, &record.years[year_count++]);
        ASSIGN_OR_RETURN(year_row, years->Step("遍历收入数据"));
      }
      record.years.resize(year_count);
      RETURN_IF_ERROR(visit(record));
    }
    if (member_row || year_row) {
      return Internal("遍历农户失败：家庭成员或收入数据与农户的顺序不一致");
    }
  }
  return transaction.Commit();
}

Result<std::optional<HouseholdRecord>> SqliteStore::GetHousehold(const DivisionScope& scope,
                                                                 const std::string& household_number) {
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kRead));
  std::optional<HouseholdRecord> result;
  {
    ASSIGN_OR_RETURN(
        auto find, db_->Prepare("SELECT " ZX_HOUSEHOLD_COLUMNS " FROM households WHERE household_number = ?1 "
                                "AND village_code BETWEEN ?2 AND ?3"));
    find->BindText(1, household_number);
    BindScope(*find, 2, scope);
    ASSIGN_OR_RETURN(bool row, find->Step("读取农户"));
    if (row) {
      HouseholdRecord record;
      const std::int64_t id = ReadHousehold(*find, &record.household);
      RETURN_IF_ERROR(LoadChildren(id, &record));
      result = std::move(record);
    }
  }
  RETURN_IF_ERROR(transaction.Commit());
  return result;
}

Result<std::optional<std::int64_t>> SqliteStore::GetRowVersion(const DivisionScope& scope,
                                                               const std::string& household_number) {
  ASSIGN_OR_RETURN(auto find, db_->Prepare("SELECT row_version FROM households WHERE household_number = ?1 "
                                           "AND village_code BETWEEN ?2 AND ?3"));
  find->BindText(1, household_number);
  BindScope(*find, 2, scope);
  ASSIGN_OR_RETURN(bool row, find->Step("读取农户版本"));
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(find->ColumnInt(0));
}

Result<std::int64_t> SqliteStore::CountHouseholds(const DivisionScope& scope) {
  ASSIGN_OR_RETURN(auto count,
                   db_->Prepare("SELECT COUNT(*) FROM households WHERE village_code BETWEEN ?1 AND ?2"));
  BindScope(*count, 1, scope);
  ASSIGN_OR_RETURN(bool row, count->Step("统计农户"));
  return row ? count->ColumnInt(0) : std::int64_t{0};
}

Result<RegistryStats> SqliteStore::ComputeStats(const DivisionScope& scope,
                                                const std::map<int, Fen>& monitoring_lines) {
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db_.get(), Transaction::Mode::kRead));
  RegistryStats stats;
  {
    ASSIGN_OR_RETURN(
        auto levels,
        db_->Prepare("SELECT level, COUNT(*) FROM divisions WHERE code BETWEEN ?1 AND ?2 GROUP BY level"));
    BindScope(*levels, 1, scope);
    while (true) {
      ASSIGN_OR_RETURN(bool row, levels->Step("统计行政区划"));
      if (!row) break;
      const std::int64_t count = levels->ColumnInt(1);
      switch (static_cast<DivisionLevel>(levels->ColumnInt(0))) {
        case DivisionLevel::kPrefecture:
          stats.prefectures = count;
          break;
        case DivisionLevel::kCounty:
          stats.counties = count;
          break;
        case DivisionLevel::kTownship:
          stats.townships = count;
          break;
        case DivisionLevel::kVillage:
          stats.villages = count;
          break;
        case DivisionLevel::kProvince:
          break;
      }
    }
  }
  {
    ASSIGN_OR_RETURN(
        auto totals,
        db_->Prepare("SELECT COUNT(*), COALESCE(SUM(living_size), 0), COALESCE(SUM(ex_poor), 0), "
                     "COALESCE(SUM(CASE WHEN ex_poor <> 0 THEN living_size ELSE 0 END), 0) "
                     "FROM households WHERE village_code BETWEEN ?1 AND ?2"));
    BindScope(*totals, 1, scope);
    ASSIGN_OR_RETURN(bool row, totals->Step("统计农户"));
    if (row) {
      stats.households = totals->ColumnInt(0);
      stats.persons = totals->ColumnInt(1);
      stats.ex_poor_households = totals->ColumnInt(2);
      stats.ex_poor_persons = totals->ColumnInt(3);
    }
  }
  if (!monitoring_lines.empty()) {
    for (const auto& [year, line] : monitoring_lines) stats.below_line_households[year] = 0;
    // Per-capita net income with integer division, exactly as
    // HouseholdRecord::PerCapitaNetIncome (both truncate toward zero).
    // A wide scope reads the income table in storage order; a narrow one
    // starts from its village range.
    ASSIGN_OR_RETURN(bool wide, IsWideScope(scope));
    ASSIGN_OR_RETURN(
        auto incomes,
        db_->Prepare(
            wide ? "SELECT y.year, (y.wage + y.business + y.property + y.transfer - y.production_cost) / "
                   "h.living_size "
                   "FROM household_years y CROSS JOIN households h ON h.id = y.household_id "
                   "WHERE h.village_code BETWEEN ?1 AND ?2 AND h.living_size > 0 AND y.year BETWEEN ?3 AND ?4"
                 : "SELECT y.year, (y.wage + y.business + y.property + y.transfer - y.production_cost) / "
                   "h.living_size "
                   "FROM households h INDEXED BY households_village "
                   "CROSS JOIN household_years y ON y.household_id = h.id "
                   "WHERE h.village_code BETWEEN ?1 AND ?2 AND h.living_size > 0 AND y.year BETWEEN ?3 AND "
                   "?4"));
    BindScope(*incomes, 1, scope);
    incomes->BindInt(3, monitoring_lines.begin()->first);
    incomes->BindInt(4, monitoring_lines.rbegin()->first);
    while (true) {
      ASSIGN_OR_RETURN(bool row, incomes->Step("统计低于监测范围的农户"));
      if (!row) break;
      auto line = monitoring_lines.find(static_cast<int>(incomes->ColumnInt(0)));
      if (line != monitoring_lines.end() && incomes->ColumnInt(1) < line->second) {
        ++stats.below_line_households[line->first];
      }
    }
  }
  RETURN_IF_ERROR(transaction.Commit());
  return stats;
}

// ---------------------------------------------------------------------------
// Meta and test hooks

Status SqliteStore::SetMeta(const std::string& key, const std::string& value) {
  ASSIGN_OR_RETURN(auto upsert, db_->Prepare("INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT "
                                             "(key) DO UPDATE SET value = excluded.value"));
  upsert->BindText(1, key);
  upsert->BindText(2, value);
  return upsert->Run(fmt::format("保存设置 {}", key));
}

Result<std::optional<std::string>> SqliteStore::GetMeta(const std::string& key) {
  ASSIGN_OR_RETURN(auto find, db_->Prepare("SELECT value FROM meta WHERE key = ?1"));
  find->BindText(1, key);
  ASSIGN_OR_RETURN(bool row, find->Step(fmt::format("读取设置 {}", key)));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(std::string(find->ColumnText(0)));
}

Result<std::vector<std::string>> SqliteStore::QueryForTesting(const char* sql) {
  ASSIGN_OR_RETURN(auto query, db_->Prepare(sql));
  std::vector<std::string> rows;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query->Step("测试查询"));
    if (!row) break;
    rows.emplace_back(query->ColumnText(0));
  }
  return rows;
}

Status SqliteStore::ExecForTesting(const char* sql) { return db_->Exec(sql, "测试语句"); }

}  // namespace zx::sqlite
