// Versioned schema migrations of the SQLite backend.
//
// Each migration has a version (1, 2, 3, … with no gaps), a description and
// SQL. ApplyMigrations records applied versions in schema_migrations; each
// pending migration runs in its own transaction together with its
// bookkeeping row, so it is applied exactly once or not at all. A database
// whose newest version is above the newest migration this binary knows is
// refused: an older program must not write to a newer schema.
//
// Schema notes (version 1):
//   * money columns are INTEGER fen;
//   * persons.birth_date is ISO-8601 TEXT "YYYY-MM-DD" (readable in any SQL
//     tool, maps to DATE in PostgreSQL, sorts correctly as text);
//   * enumerations are stored as their numeric codes (registry.h);
//   * households.living_size (living members) and content_hash are derived
//     from the record on every write; living_size lets statistics avoid a
//     join with persons;
//   * households.village_code → divisions(code) is DEFERRABLE INITIALLY
//     DEFERRED so the division table can be replaced inside one transaction.
//
// Thread-safety: the migration list is immutable.
#pragma once

#include <vector>

#include "common/status.h"
#include "storage/sqlite/sqlite_db.h"

namespace zx::sqlite {

struct Migration {
  int version = 0;
  const char* description = "";
  const char* sql = "";
};

/// The schema history of this binary, oldest first.
const std::vector<Migration>& SchemaMigrations();

struct MigrationReport {
  int version_before = 0;  // 0 for a new database
  int version_after = 0;
  int applied = 0;  // migrations applied by this call
};

/// Brings the database up to the last of `migrations` (which must be sorted
/// by version, starting at 1 without gaps). Refuses a database that is
/// newer than the list with FailedPrecondition and a Chinese message.
Result<MigrationReport> ApplyMigrations(SqliteDb* db, const std::vector<Migration>& migrations);

}  // namespace zx::sqlite
