// Monitoring screening (DOMAIN.md §3, §4): applies one year's compiled rule
// file (data/rules/qinghai.rules) to every household and classifies it as
// unstable ex-poor (100A03001), marginal (100A03002), sudden severe hardship
// (100A03003) or not monitored, with up to 5 risk codes, every deprivation
// and an explanation for each finding. Output format: docs/formats/screening.md.
//
// Classification, decided per household:
//   * the rule of `kind range` fires (per-capita net income < the line) AND at
//     least one risk rule fires → 100A03001 for ex-poor, 100A03002 otherwise;
//     income below the line alone is NOT enough (national practice: "within
//     the range AND a risk"); such households are counted in
//     ScreeningSummary::in_range_without_risk for door-to-door checking;
//   * else the rule of `kind hardship` fires (income at/above the line but
//     (net income − compliant out-of-pocket) / living size below it) AND a risk
//     rule fires → 100A03003 (ex-poor or not);
//   * else not monitored (no Lead).
// Risk codes: distinct codes of the risk rules that fire, in rule-file order
// (the file lists them most severe first), at most kMaxRiskCodes.
//
// Thread-safety: functions are pure; ScreenStore reads the store once.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/money.h"
#include "common/status.h"
#include "domain/division.h"
#include "domain/lead.h"
#include "domain/policy.h"
#include "domain/registry.h"
#include "rules/columns.h"
#include "rules/rule_set.h"
#include "storage/store.h"

namespace zx::screening {

inline constexpr int kMaxRiskCodes = 5;
inline constexpr char kUnstableExPoor[] = "100A03001";
inline constexpr char kMarginal[] = "100A03002";
inline constexpr char kSuddenHardship[] = "100A03003";

/// Lead (domain/lead.h) is the screening's output per household.
using zx::Lead;

struct ScreeningSummary {
  std::int64_t households = 0;                         // screened
  std::int64_t without_income_year = 0;                // no income record for the year (not classified)
  std::int64_t in_range_without_risk = 0;              // income below the line but no risk rule fired
  std::int64_t hardship_without_risk = 0;              // hardship condition but no risk rule fired
  std::map<std::string, std::int64_t> by_type;         // monitoring-type code → leads
  std::map<std::string, std::int64_t> by_risk;         // risk code → leads carrying it
  std::map<std::string, std::int64_t> by_deprivation;  // rule id → leads carrying it
};

struct ScreeningResult {
  std::vector<Lead> leads;  // in input order
  ScreeningSummary summary;
};

/// The bind context of `year` (rules::PolicyBindContext): the year's line and
/// reference date, the risk code table, and the [signals] constants
/// (policy.medical_oop_monitored/_others and their percentages,
/// policy.hospital_stay_monitored/_others, policy.schooling_cost). NotFound
/// when the policy has no such year (or no previous-year rural income for it).
Result<rules::BindContext> MakeBindContext(const Policy& policy, int year);

/// Compiles a rule file for `year` and checks the structure the screening
/// needs (one `kind range` rule, one `kind hardship` rule, at least one risk
/// rule). Errors carry line and column (Chinese).
Result<rules::RuleSet> CompileScreeningRules(std::string_view text, const Policy& policy, int year);

/// Reads and compiles a rule file; messages name the file.
Result<rules::RuleSet> LoadScreeningRules(const std::string& path, const Policy& policy, int year);

/// ZX_DATA_DIR "/rules/qinghai.rules".
std::string DefaultRulesPath();

/// Screens columnar data of the rule set's year.
Result<ScreeningResult> ScreenColumns(const rules::ColumnarData& data, const rules::RuleSet& rules);

/// Screens records (builds the columns of the rule set's year).
Result<ScreeningResult> ScreenYear(const std::vector<HouseholdRecord>& records, const rules::RuleSet& rules);

struct LoadInfo {
  bool from_snapshot = false;   // read from the stored column snapshot
  bool snapshot_saved = false;  // built from the rows and saved as the new snapshot
};

/// Loads every household in scope into columns of the rule set's year. For
/// the whole registry it reads the column snapshot of the current registry
/// generation when there is one (rules/column_snapshot.h); otherwise it reads
/// the rows in one pass of Store::ScanHouseholds and, for the whole registry,
/// saves the snapshot for next time.
Result<rules::ColumnarData> LoadColumns(Store& store, const DivisionScope& scope, const rules::RuleSet& rules,
                                        LoadInfo* info = nullptr);

/// LoadColumns + ScreenColumns.
Result<ScreeningResult> ScreenStore(Store& store, const DivisionScope& scope, const rules::RuleSet& rules);

/// Lead CSV/XLSX columns (docs/formats/screening.md).
const std::vector<std::string>& LeadHeader();

/// One output row of a lead; `policy` gives the monitoring-type names.
std::vector<std::string> LeadRow(const Lead& lead, const Policy& policy);

}  // namespace zx::screening
