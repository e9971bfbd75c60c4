// Storage of screening results: the leads of each year and the history of
// screening runs, kept for the identification workflow and the web app.
//
// Contract (checked by lead_store_test.cc through this interface):
//   * ReplaceLeads replaces the leads of one year inside one scope in ONE
//     transaction and records the run; leads of other years or outside the
//     scope are untouched, so a county re-screening never disturbs another
//     county's leads;
//   * a lead outside the scope, or of a household not in the registry, fails
//     the whole write (nothing changes);
//   * every read is restricted to a DivisionScope.
// Thread-safety: a LeadStore object is used by one thread at a time (open one
// per thread; SQLite WAL readers do not block).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/division.h"
#include "domain/lead.h"

namespace zx {

/// What a caller states about a screening run.
struct ScreeningRunInfo {
  int year = 0;
  std::string rules_digest;     // SHA-256 (hex) of the rule file text
  std::string run_by;           // user name or "cli"
  std::int64_t households = 0;  // households screened
};

struct ScreeningRun {
  std::int64_t id = 0;
  int year = 0;
  DivisionScope scope;
  std::string rules_digest;
  std::string run_by;
  std::string run_at;  // UTC, ISO-8601
  std::int64_t households = 0;
  std::int64_t leads = 0;
};

class LeadStore {
 public:
  virtual ~LeadStore() = default;

  /// Replaces the stored leads of `info.year` inside `scope` by `leads`.
  virtual Result<ScreeningRun> ReplaceLeads(const DivisionScope& scope, const ScreeningRunInfo& info,
                                            const std::vector<Lead>& leads) = 0;

  /// Visits the leads of `year` in scope, ordered by household_number.
  virtual Status ScanLeads(const DivisionScope& scope, int year,
                           const std::function<Status(const Lead&)>& visit) = 0;

  /// One household's lead of `year`; nullopt when it has none or is outside scope.
  virtual Result<std::optional<Lead>> GetLead(const DivisionScope& scope, int year,
                                              const std::string& household_number) = 0;

  /// The most recent runs (newest first) whose scope overlaps `scope`.
  virtual Result<std::vector<ScreeningRun>> ListRuns(const DivisionScope& scope, int limit) = 0;
};

/// Opens the lead store of the database at `location` (see ParseStoreLocation
/// in store.h), applying pending migrations.
Result<std::unique_ptr<LeadStore>> OpenLeadStore(const std::string& location);

}  // namespace zx
