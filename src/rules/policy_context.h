// The bind context of one policy year, shared by the screening rules
// (household scope) and the department-signal rules (feed-person scope).
// Thread-safety: a pure function of its arguments.
#pragma once

#include "common/status.h"
#include "domain/policy.h"
#include "rules/rule_set.h"

namespace zx::rules {

/// The context of `year` in `scope`: the year's monitoring line and reference
/// date, the risk code table, and these constants (policy.<name>):
///
///   medical_oop_monitored, medical_oop_others   money: 12-month medical
///       out-of-pocket thresholds (the policy's percentages of the year's
///       previous-year provincial rural per-capita income)
///   medical_oop_percent_monitored, medical_oop_percent_others   int: those
///       percentages
///   hospital_stay_monitored, hospital_stay_others   money: one hospital
///       stay's total cost ([signals] hospital_stay_cost_*)
///   schooling_cost   money: a year's non-compulsory schooling cost
///
/// "monitored" is an ex-poor household. NotFound when the policy has no such
/// year (or no previous-year rural income for it).
Result<BindContext> PolicyBindContext(const Policy& policy, int year,
                                      RuleScope scope = RuleScope::kHousehold);

}  // namespace zx::rules
