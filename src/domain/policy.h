// The province's monitoring policy as data (data/policy/qinghai.toml, format in
// docs/formats/policy.md): per year the monitoring line (DOMAIN.md §3), the
// previous year's provincial rural income and a reference date; the
// monitoring-type, risk-type and assistance-measure code tables (§3, §4, §6);
// department-signal thresholds (§7); the MPI indicators, weights and k (§9).
//
// Invariants of a loaded Policy: at least one year; every line > 0 and not
// lower than the previous year's unless that year confirms the decrease;
// reference dates inside their year; codes unique per table; MPI weights > 0
// summing to 1 within 1e-9 and 0 < k <= 1. Money is in fen.
//
// A new year is a new [[years]] table in the file: no rebuild. Every loading
// error is an InvalidArgument whose Chinese message names the file, the line
// and the column.
//
// Thread-safety: Policy is an immutable value once loaded. PolicyHolder is
// thread-safe: readers take a shared_ptr snapshot; Reload swaps it under a
// mutex and keeps the previous policy in force when the new file is broken.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/money.h"
#include "common/status.h"

namespace zx {

/// One year's policy.
struct YearPolicy {
  int year = 0;
  Fen monitoring_line = 0;  // fen per person per year
  bool official = false;    // false: an example value, to be labelled 示例值
  std::string source;
  /// Provincial rural per-capita disposable income of year - 1 (fen).
  std::optional<Fen> previous_year_rural_income;
  bool previous_year_rural_income_official = false;
  std::string previous_year_rural_income_source;
  /// The date the year's screening computes ages and durations at.
  Date reference_date;
  /// Line of the [[years]] table in the file (for messages).
  int file_line = 0;
};

struct CodeEntry {
  std::string code;
  std::string name;

  bool operator==(const CodeEntry&) const = default;
};

/// A code table in file order, with lookup.
struct CodeTable {
  std::string source;  // where the codes come from (shown to users)
  std::vector<CodeEntry> entries;

  /// The entry with `code`, or nullptr.
  const CodeEntry* Find(std::string_view code) const;
  bool Contains(std::string_view code) const { return Find(code) != nullptr; }
  /// The name of `code`, or "" when the table has no such code.
  std::string_view NameOf(std::string_view code) const;
};

/// Department-signal thresholds (DOMAIN.md §7). All comparisons are strict ">".
/// "monitored" means ex-poor people and people in monitored households.
struct SignalThresholds {
  bool official = false;
  std::string source;
  /// Annual medical out-of-pocket, in percent of the previous year's
  /// provincial rural per-capita disposable income.
  int medical_out_of_pocket_percent_monitored = 0;
  int medical_out_of_pocket_percent_others = 0;
  Fen hospital_stay_cost_monitored = 0;  // one stay
  Fen hospital_stay_cost_others = 0;
  Fen non_compulsory_schooling_cost = 0;  // one student, one year
};

struct MpiIndicator {
  std::string id;    // one of KnownMpiIndicatorIds()
  std::string name;  // Chinese label
  double weight = 0;
  std::string weight_text;  // as written: "1/6" or "0.25"
};

struct MpiConfig {
  std::vector<MpiIndicator> indicators;
  double k = 0;
  std::string k_text;
};

/// Indicator ids the screening computes deprivations for (DOMAIN.md §9).
const std::vector<std::string>& KnownMpiIndicatorIds();

struct Policy {
  std::string path;  // file it was loaded from
  std::string province;
  std::map<int, YearPolicy> years;
  CodeTable monitoring_types;
  CodeTable risk_types;
  CodeTable measures;
  SignalThresholds signals;
  MpiConfig mpi;

  /// The year's policy, or nullptr.
  const YearPolicy* FindYear(int year) const;
  /// The year's policy, or NotFound naming the file and the years it has.
  Result<const YearPolicy*> Year(int year) const;
  /// The medical out-of-pocket threshold in fen for `year`: the percentage of
  /// that year's previous-year rural income. NotFound when the year or its
  /// income is absent.
  Result<Fen> MedicalOutOfPocketThreshold(int year, bool monitored) const;
};

/// Loads and validates a policy file. Errors: InvalidArgument with file, line
/// and column (Chinese); Unavailable when the file cannot be read.
Result<Policy> LoadPolicy(const std::string& path);

/// Parses policy text; `path` is only used in messages and Policy::path.
Result<Policy> ParsePolicy(std::string_view text, const std::string& path);

/// ZX_DATA_DIR/policy/qinghai.toml.
std::string DefaultPolicyPath();

/// Loads DefaultPolicyPath().
Result<Policy> LoadDefaultPolicy();

/// Holds the policy in force; thread-safe.
class PolicyHolder {
 public:
  PolicyHolder() = default;
  explicit PolicyHolder(std::shared_ptr<const Policy> initial) : current_(std::move(initial)) {}
  PolicyHolder(const PolicyHolder&) = delete;
  PolicyHolder& operator=(const PolicyHolder&) = delete;

  /// The policy in force (nullptr before the first successful load). The
  /// snapshot stays valid however often the holder reloads afterwards.
  std::shared_ptr<const Policy> Get() const;

  /// Loads `path`; on success it replaces the policy in force, on failure the
  /// previous policy stays in force and the error is returned.
  Status Reload(const std::string& path);

  /// Number of successful swaps so far.
  std::uint64_t generation() const;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Policy> current_;
  std::uint64_t generation_ = 0;
};

}  // namespace zx
