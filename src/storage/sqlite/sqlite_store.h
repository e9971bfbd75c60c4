// The SQLite implementation of Store (store.h). One connection per object;
// WAL journal, foreign keys on, synchronous=NORMAL, a busy timeout and a
// large page cache. Every value goes through prepared statements; the
// schema lives in migrations.cc.
//
// Thread-safety: one thread at a time per SqliteStore (see store.h).
#pragma once

#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/store.h"

namespace zx::sqlite {

struct SqliteStoreOptions {
  /// Milliseconds to wait for another connection's write lock.
  int busy_timeout_ms = 10000;
  /// Page cache per connection, in KiB.
  int cache_size_kib = 256 * 1024;
  /// Bytes of the file read through mmap (clean, file-backed pages the OS
  /// can drop); speeds up scans of databases larger than the page cache.
  std::int64_t mmap_size = std::int64_t{1} << 30;
  /// The schema history; tests substitute their own to exercise versioning.
  const std::vector<Migration>* migrations = nullptr;  // nullptr: SchemaMigrations()
};

/// Opens (creating if needed) `path` with the connection settings every
/// store of this backend uses — WAL, foreign keys, synchronous=NORMAL, busy
/// timeout, page cache, mmap — and applies pending migrations. Feature
/// stores (leads, accounts, department links) each open their own
/// connection this way; `report` (optional) receives what migration did.
Result<std::unique_ptr<SqliteDb>> OpenConfiguredDb(const std::string& path,
                                                   const SqliteStoreOptions& options = {},
                                                   MigrationReport* report = nullptr);

class SqliteStore : public Store {
 public:
  /// Opens or creates `path`, runs pending migrations and, if the division
  /// table is empty, loads `divisions`.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path, const DivisionTable& divisions,
                                                   const SqliteStoreOptions& options = {});

  Status ReplaceDivisions(const std::vector<Division>& divisions) override;
  Result<std::vector<Division>> ListDivisions(const DivisionScope& scope) override;
  Result<WriteCounts> UpsertHouseholds(const DivisionScope& scope, HouseholdSource& source,
                                       const ProgressFn& progress = {}) override;
  Status ScanHouseholds(const DivisionScope& scope,
                        const std::function<Status(const HouseholdRecord&)>& visit) override;
  Result<std::optional<HouseholdRecord>> GetHousehold(const DivisionScope& scope,
                                                      const std::string& household_number) override;
  Result<std::optional<std::int64_t>> GetRowVersion(const DivisionScope& scope,
                                                    const std::string& household_number) override;
  Result<std::int64_t> CountHouseholds(const DivisionScope& scope) override;
  Result<RegistryStats> ComputeStats(const DivisionScope& scope,
                                     const std::map<int, Fen>& monitoring_lines) override;
  Result<std::int64_t> RegistryGeneration() override;
  Status PutSnapshot(const DivisionScope& scope, const std::string& key, std::int64_t generation,
                     std::string_view bytes) override;
  Result<std::optional<std::string>> GetSnapshot(const DivisionScope& scope, const std::string& key,
                                                 std::int64_t generation) override;
  Status SetMeta(const std::string& key, const std::string& value) override;
  Result<std::optional<std::string>> GetMeta(const std::string& key) override;

  /// What opening did to the schema.
  const MigrationReport& migration_report() const { return migration_report_; }

  /// Runs a fixed query and returns the first column of every row as text
  /// (PRAGMAs and checks in tests).
  Result<std::vector<std::string>> QueryForTesting(const char* sql);
  /// Runs fixed SQL (tests that damage or age a database on purpose).
  Status ExecForTesting(const char* sql);

 private:
  explicit SqliteStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}

  /// Marks the registry changed: generation + 1, snapshots dropped.
  Status BumpGenerationInTransaction();
  Status ReplaceDivisionsInTransaction(const std::vector<Division>& divisions);
  Result<WriteCounts> UpsertInTransaction(const DivisionScope& scope, HouseholdSource& source,
                                          const ProgressFn& progress);
  /// Whether `scope` holds more than a quarter of all households: then
  /// reading in storage order beats starting from the village range.
  Result<bool> IsWideScope(const DivisionScope& scope);
  /// Reads members and years of household `id` into `record`.
  Status LoadChildren(std::int64_t id, HouseholdRecord* record);

  std::unique_ptr<SqliteDb> db_;
  MigrationReport migration_report_;
};

}  // namespace zx::sqlite
