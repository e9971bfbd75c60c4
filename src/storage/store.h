// The storage interface. Everything above src/storage speaks only this
// header; src/storage/sqlite (and later src/storage/postgres) are the only
// places that see a database driver or SQL.
//
// Contract for every implementation (checked by store_conformance_test.cc):
//   * every write runs in one transaction: it is all-or-nothing;
//   * every read and write is restricted to a DivisionScope, in the storage
//     layer itself;
//   * households are keyed by household_number; a person's id_number is
//     unique across the registry;
//   * re-writing an identical household changes nothing (not even its row
//     version), so importing the same file twice is a no-op.
// Thread-safety: a Store object is used by one thread at a time; open one
// per thread (the SQLite backend uses WAL so readers do not block).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/division.h"
#include "domain/registry.h"

namespace zx {

/// Pull-based stream of households for bulk writes, so a 600,000-household
/// province never has to be held in memory at once.
class HouseholdSource {
 public:
  virtual ~HouseholdSource() = default;
  /// Fills `out` and returns true, or returns false at the end.
  virtual Result<bool> Next(HouseholdRecord* out) = 0;
  /// Expected number of households, for progress bars; -1 if unknown.
  virtual std::int64_t SizeHint() const { return -1; }
};

/// Adapts a vector.
class VectorHouseholdSource : public HouseholdSource {
 public:
  explicit VectorHouseholdSource(const std::vector<HouseholdRecord>& records) : records_(records) {}
  Result<bool> Next(HouseholdRecord* out) override {
    if (next_ >= records_.size()) return false;
    *out = records_[next_++];
    return true;
  }
  std::int64_t SizeHint() const override { return static_cast<std::int64_t>(records_.size()); }

 private:
  const std::vector<HouseholdRecord>& records_;
  size_t next_ = 0;
};

struct WriteCounts {
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  bool operator==(const WriteCounts&) const = default;
};

struct RegistryStats {
  std::int64_t prefectures = 0;
  std::int64_t counties = 0;
  std::int64_t townships = 0;
  std::int64_t villages = 0;
  std::int64_t households = 0;
  std::int64_t persons = 0;  // living members
  std::int64_t ex_poor_households = 0;
  std::int64_t ex_poor_persons = 0;  // living members of ex-poor households
  /// Households whose per-capita net income is below that year's monitoring
  /// line, for each year a line was given.
  std::map<int, std::int64_t> below_line_households;
};

/// Called with the number of households processed so far.
using ProgressFn = std::function<void(std::int64_t done)>;

class Store {
 public:
  virtual ~Store() = default;

  /// Replaces the division table (database creation, data refresh). Fails
  /// if a household would be left in a village that no longer exists.
  virtual Status ReplaceDivisions(const std::vector<Division>& divisions) = 0;
  virtual Result<std::vector<Division>> ListDivisions(const DivisionScope& scope) = 0;

  /// Inserts or updates every household from `source` in ONE transaction.
  /// Each household outside `scope`, in an unknown village, or with a member
  /// whose id_number belongs to another household fails the whole write.
  /// A household identical to the stored one counts as unchanged.
  virtual Result<WriteCounts> UpsertHouseholds(const DivisionScope& scope, HouseholdSource& source,
                                               const ProgressFn& progress = {}) = 0;

  /// Visits every household in scope, ordered by household_number. Stops at
  /// the first non-OK status returned by `visit` and returns it.
  virtual Status ScanHouseholds(const DivisionScope& scope,
                                const std::function<Status(const HouseholdRecord&)>& visit) = 0;

  /// One household; nullopt when absent or outside scope.
  virtual Result<std::optional<HouseholdRecord>> GetHousehold(const DivisionScope& scope,
                                                              const std::string& household_number) = 0;

  /// The stored household's row version: 1 when inserted, +1 on every write
  /// that changed it (an identical re-write leaves it alone). nullopt when
  /// absent or outside scope. The basis of optimistic concurrency (kConflict).
  virtual Result<std::optional<std::int64_t>> GetRowVersion(const DivisionScope& scope,
                                                            const std::string& household_number) = 0;

  virtual Result<std::int64_t> CountHouseholds(const DivisionScope& scope) = 0;

  /// Counts for `zhenxing stats`. `monitoring_lines` maps year → line (fen
  /// per person per year).
  virtual Result<RegistryStats> ComputeStats(const DivisionScope& scope,
                                             const std::map<int, Fen>& monitoring_lines) = 0;

  /// Increases with every write that changed the registry (households or
  /// divisions). Derived data — column snapshots, caches of the web server —
  /// records the generation it was built from and is stale once it differs.
  virtual Result<std::int64_t> RegistryGeneration() = 0;

  /// Opaque derived data (e.g. rules/column_snapshot.h) under `key`, built
  /// from registry generation `generation`. Only for the whole registry:
  /// PermissionDenied for a narrower scope, since the bytes cannot be
  /// filtered here. Put fails with Conflict when `generation` is no longer
  /// current; every registry change deletes all snapshots.
  virtual Status PutSnapshot(const DivisionScope& scope, const std::string& key, std::int64_t generation,
                             std::string_view bytes) = 0;
  /// The bytes under `key` if they were built from `generation`; nullopt otherwise.
  virtual Result<std::optional<std::string>> GetSnapshot(const DivisionScope& scope, const std::string& key,
                                                         std::int64_t generation) = 0;

  /// Small key/value settings (generator seed, schema notes).
  virtual Status SetMeta(const std::string& key, const std::string& value) = 0;
  virtual Result<std::optional<std::string>> GetMeta(const std::string& key) = 0;
};

/// Where a store lives: the backend and its target (a file path for SQLite).
struct StoreLocation {
  enum class Backend { kSqlite, kPostgres };
  Backend backend = Backend::kSqlite;
  std::string target;
};

/// Parses "sqlite:PATH", a bare PATH (SQLite) or "postgres:…"/"postgresql:…".
/// Every Open*Store function of the storage layer goes through this, so all
/// of them accept the same --db values. InvalidArgument for an empty path.
Result<StoreLocation> ParseStoreLocation(const std::string& location);

/// Opens (creating if needed) a store. `location` is a file path for SQLite
/// (the default backend) or "sqlite:PATH". Runs pending migrations. A new
/// database is loaded with the division table from `divisions`.
Result<std::unique_ptr<Store>> OpenStore(const std::string& location, const DivisionTable& divisions);

}  // namespace zx
