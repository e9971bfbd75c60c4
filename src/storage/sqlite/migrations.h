// Versioned schema migrations of the SQLite backend.
//
// Each migration has a version (strictly increasing; gaps are allowed so
// that features developed side by side can reserve their numbers), a
// description and SQL. ApplyMigrations records applied versions in
// schema_migrations and applies every migration of the list that is not
// recorded, in list order, each in its own transaction together with its
// bookkeeping row, so it is applied exactly once or not at all. A database
// holding a version this binary does not know is refused: an older program
// must not write to a newer schema.
//
// Reserved versions: 1 registry; 2 screening runs and leads; 3 accounts,
// sessions and the access audit (src/http); 4 department feeds and links
// (src/matching); 5 registry generation and column snapshots; 6 monitoring cases and
// their event chain (src/workflow). A feature's SQL lives in its own
// schema_<feature>.cc.
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

/// Feature schemas (SQL of one migration each), defined in schema_<feature>.cc.
extern const char* const kLeadsSchemaSql;      // version 2
extern const char* const kSnapshotsSchemaSql;  // version 5
extern const char* const kAccountsSchemaSql;   // version 3
extern const char* const kCasesSchemaSql;      // version 6

/// The schema history of this binary, oldest first.
const std::vector<Migration>& SchemaMigrations();

struct MigrationReport {
  int version_before = 0;  // highest applied version; 0 for a new database
  int version_after = 0;   // highest applied version after the call
  int applied = 0;         // migrations applied by this call
};

/// Applies every migration of `migrations` (sorted by strictly increasing
/// version) that the database has not recorded. Refuses a database holding
/// a version not in the list with FailedPrecondition and a Chinese message.
Result<MigrationReport> ApplyMigrations(SqliteDb* db, const std::vector<Migration>& migrations);

}  // namespace zx::sqlite
