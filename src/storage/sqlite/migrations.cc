#include "storage/sqlite/migrations.h"

#include <fmt/format.h>

#include <set>

#include "storage/sqlite/link_store_sqlite.h"

namespace zx::sqlite {
namespace {

constexpr const char* kMigration1 = R"sql(
CREATE TABLE divisions (
  code           INTEGER PRIMARY KEY,
  name           TEXT    NOT NULL,
  level          INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
  parent_code    INTEGER NOT NULL,
  rural          INTEGER NOT NULL CHECK (rural IN (0, 1)),
  pastoral       INTEGER NOT NULL CHECK (pastoral IN (0, 1)),
  key_assistance INTEGER NOT NULL CHECK (key_assistance IN (0, 1, 2))
) STRICT;
CREATE INDEX divisions_level ON divisions (level, code);

CREATE TABLE households (
  id                   INTEGER PRIMARY KEY,
  household_number     TEXT    NOT NULL UNIQUE,
  village_code         INTEGER NOT NULL
                       REFERENCES divisions (code) DEFERRABLE INITIALLY DEFERRED,
  ex_poor              INTEGER NOT NULL,
  poverty_exit_year    INTEGER NOT NULL,
  safety_net           INTEGER NOT NULL,
  relocated            INTEGER NOT NULL,
  housing              INTEGER NOT NULL,
  food_clothing_secure INTEGER NOT NULL,
  water_quantity_ok    INTEGER NOT NULL,
  water_quality_ok     INTEGER NOT NULL,
  water_convenience_ok INTEGER NOT NULL,
  water_reliability_ok INTEGER NOT NULL,
  phone                TEXT    NOT NULL,
  living_size          INTEGER NOT NULL,
  content_hash         INTEGER NOT NULL,
  row_version          INTEGER NOT NULL DEFAULT 1,
  updated_at           TEXT    NOT NULL
) STRICT;
-- Narrow scope queries are village_code ranges; household_number makes the
-- index cover the ordering.
CREATE INDEX households_village ON households (village_code, household_number);
-- Scans of a large scope walk this index in household_number order and
-- filter on village_code without touching the table.
CREATE INDEX households_number ON households (household_number, village_code);

CREATE TABLE persons (
  id                       INTEGER PRIMARY KEY,
  household_id             INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  ordinal                  INTEGER NOT NULL,
  name                     TEXT    NOT NULL,
  id_number                TEXT    NOT NULL UNIQUE,
  sex                      INTEGER NOT NULL,
  birth_date               TEXT    NOT NULL,
  relation                 INTEGER NOT NULL,
  ethnicity                INTEGER NOT NULL,
  education                INTEGER NOT NULL,
  schooling                INTEGER NOT NULL,
  health                   INTEGER NOT NULL,
  disability_grade         INTEGER NOT NULL,
  labour_skill             INTEGER NOT NULL,
  migrant_work_months      INTEGER NOT NULL,
  medical_insurance        INTEGER NOT NULL,
  minimum_living_allowance INTEGER NOT NULL,
  extreme_hardship         INTEGER NOT NULL,
  deceased                 INTEGER NOT NULL,
  UNIQUE (household_id, ordinal)
) STRICT;

CREATE TABLE household_years (
  household_id    INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  year            INTEGER NOT NULL,
  wage            INTEGER NOT NULL,
  business        INTEGER NOT NULL,
  property        INTEGER NOT NULL,
  transfer        INTEGER NOT NULL,
  production_cost INTEGER NOT NULL,
  compliant_oop   INTEGER NOT NULL,
  PRIMARY KEY (household_id, year)
) STRICT, WITHOUT ROWID;

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
)sql";

const char* const kCreateMigrationsTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version     INTEGER PRIMARY KEY,
  description TEXT NOT NULL,
  applied_at  TEXT NOT NULL
) STRICT
)sql";

Result<std::set<int>> AppliedVersions(SqliteDb* db) {
  ASSIGN_OR_RETURN(auto statement, db->Prepare("SELECT version FROM schema_migrations"));
  std::set<int> versions;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, statement->Step("读取数据库结构版本"));
    if (!row) break;
    versions.insert(static_cast<int>(statement->ColumnInt(0)));
  }
  return versions;
}

// A version this binary does not know was written by a newer program.
Status CheckNoUnknown(const SqliteDb& db, const std::set<int>& applied, const std::set<int>& known) {
  for (int version : applied) {
    if (known.contains(version)) continue;
    return FailedPrecondition(fmt::format(
        "数据库 {} 含有本程序不认识的结构版本 {}：它由更新版本的振兴程序创建，请升级本程序后再打开",
        db.path(), version));
  }
  return Status::Ok();
}

int MaxVersion(const std::set<int>& versions) { return versions.empty() ? 0 : *versions.rbegin(); }

}  // namespace

const std::vector<Migration>& SchemaMigrations() {
  static const std::vector<Migration> migrations = {
      {1, "divisions, households, persons, household_years, meta", kMigration1},
      {2, "screening_runs, leads", kLeadsSchemaSql},
      {3, "users, sessions, access_audit", kAccountsSchemaSql},
      {4, "department feeds, links, alerts, review items", FeedsSchemaSql()},
      {5, "registry_generation, column_snapshots", kSnapshotsSchemaSql},
      {6, "cases, case children, hash-chained case_events and their head", kCasesSchemaSql},
      {7, "feed_link_chunks (department-file links as binary chunks)", FeedLinkChunksSchemaSql()},
  };
  return migrations;
}

Result<MigrationReport> ApplyMigrations(SqliteDb* db, const std::vector<Migration>& migrations) {
  std::set<int> known;
  for (size_t migration_idx = 0; migration_idx < migrations.size(); ++migration_idx) {
    const int version = migrations[migration_idx].version;
    if (version <= 0 || (migration_idx > 0 && version <= migrations[migration_idx - 1].version)) {
      return Internal("数据库迁移列表的版本号必须为正数且严格递增");
    }
    known.insert(version);
  }
  MigrationReport report;

  // Creating the bookkeeping table is idempotent and needs no lock if the
  // table is already there; check the versions before taking the write lock
  // so a newer database is refused without writing to it.
  RETURN_IF_ERROR(db->Exec(kCreateMigrationsTable, "创建数据库迁移记录表"));
  ASSIGN_OR_RETURN(std::set<int> applied, AppliedVersions(db));
  RETURN_IF_ERROR(CheckNoUnknown(*db, applied, known));
  report.version_before = MaxVersion(applied);

  for (const Migration& migration : migrations) {
    if (applied.contains(migration.version)) continue;
    ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db, Transaction::Mode::kWrite));
    // Another process may have migrated while we waited for the lock.
    ASSIGN_OR_RETURN(applied, AppliedVersions(db));
    RETURN_IF_ERROR(CheckNoUnknown(*db, applied, known));
    if (applied.contains(migration.version)) continue;
    RETURN_IF_ERROR(db->Exec(migration.sql,
                             fmt::format("数据库迁移 {}（{}）", migration.version, migration.description)));
    {
      ASSIGN_OR_RETURN(auto record,
                       db->Prepare("INSERT INTO schema_migrations (version, description, applied_at) "
                                   "VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"));
      record->BindInt(1, migration.version);
      record->BindText(2, migration.description);
      RETURN_IF_ERROR(record->Run("记录数据库迁移"));
    }
    RETURN_IF_ERROR(transaction.Commit());
    applied.insert(migration.version);
    ++report.applied;
  }
  report.version_after = MaxVersion(applied);
  return report;
}

}  // namespace zx::sqlite
