// Data-quality checks counties run on monitoring cases (DOMAIN.md §7, last
// paragraph). Each check has a stable code, a Chinese label and the list of
// findings; docs/kpi-quality.md defines each one precisely:
//
//   early_elimination        a case eliminated ≤ 2 months (61 days) after its
//                            identification approval (monitored_since);
//   no_measure               an open or eliminated case monitored
//                            (identification approved) for ≥ 1 month (30
//                            days) at `now`, or at its elimination, with no
//                            measure recorded;
//   eliminated_below_line    an eliminated case whose income was below the
//                            monitoring line of the elimination year: the
//                            latest visit's per-capita income on or before
//                            the elimination, or the registry's per-capita
//                            net income of the elimination year when the
//                            case has no visit (no finding if neither is
//                            known or the policy lacks the year);
//   employment_risk_no_labour  an open monitored case with risk "07" (unstable
//                            employment) while no living member can work
//                            (labour skill kLostAbility or kNone for all);
//   no_labour_not_safety_net a household with an open monitored case whose
//                            living members all cannot work, not flagged
//                            safety_net (兜底保障) in the registry;
//   deceased_active          an open case (any stage) whose household has no
//                            living member, or whose member with relation
//                            kHead is deceased while no living member is head.
//
// "Monitored" = stage kMonitored or later elimination stages, i.e. the case
// has monitored_since > 0 and is open. A case (not rejected) whose household
// is missing from the registry within the scope is reported by a seventh
// check, household_missing, so that a finding is never silently dropped.
//
// Thread-safety: RunQualityChecks uses the stores from one thread; the
// report is a value type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/case.h"
#include "domain/division.h"
#include "domain/policy.h"
#include "storage/case_store.h"
#include "storage/store.h"

namespace zx {

/// Thresholds of the checks (docs/kpi-quality.md).
inline constexpr int kEarlyEliminationDays = 61;  // "≤ 2 months"
inline constexpr int kNoMeasureDays = 30;         // "≥ 1 month"
inline constexpr const char* kUnstableEmploymentRisk = "07";

struct QualityFinding {
  std::string household_number;
  DivisionCode village_code = 0;
  std::int64_t case_id = 0;
  std::string detail;  // Chinese: what was found, with the figures

  bool operator==(const QualityFinding&) const = default;
};

struct QualityCheck {
  std::string code;                      // "early_elimination", …
  std::string label;                     // Chinese: 识别后2个月内即消除风险
  std::vector<QualityFinding> findings;  // ordered by case id
};

struct QualityReport {
  DivisionScope scope;
  std::int64_t computed_at = 0;
  std::int64_t cases_checked = 0;
  std::vector<QualityCheck> checks;  // always every check, in the order above

  std::int64_t TotalFindings() const;
  /// The check with `code`, or nullptr.
  const QualityCheck* Find(const std::string& code) const;
};

/// Runs every check over the cases in `scope`, reading each case's household
/// from `registry`. Errors: storage errors only.
Result<QualityReport> RunQualityChecks(CaseStore& cases, Store& registry, const Policy& policy,
                                       const DivisionScope& scope, std::int64_t now);

}  // namespace zx
