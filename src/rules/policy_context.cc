#include "rules/policy_context.h"

namespace zx::rules {

Result<BindContext> PolicyBindContext(const Policy& policy, int year, RuleScope scope) {
  ASSIGN_OR_RETURN(const YearPolicy* year_policy, policy.Year(year));
  BindContext context;
  context.scope = scope;
  context.year = year;
  context.monitoring_line = year_policy->monitoring_line;
  context.reference_date = year_policy->reference_date;
  ASSIGN_OR_RETURN(Fen oop_monitored, policy.MedicalOutOfPocketThreshold(year, true));
  ASSIGN_OR_RETURN(Fen oop_others, policy.MedicalOutOfPocketThreshold(year, false));
  const SignalThresholds& signals = policy.signals;
  context.constants["medical_oop_monitored"] = PolicyConstant::Money(oop_monitored);
  context.constants["medical_oop_others"] = PolicyConstant::Money(oop_others);
  context.constants["medical_oop_percent_monitored"] =
      PolicyConstant::Int(signals.medical_out_of_pocket_percent_monitored);
  context.constants["medical_oop_percent_others"] =
      PolicyConstant::Int(signals.medical_out_of_pocket_percent_others);
  context.constants["hospital_stay_monitored"] = PolicyConstant::Money(signals.hospital_stay_cost_monitored);
  context.constants["hospital_stay_others"] = PolicyConstant::Money(signals.hospital_stay_cost_others);
  context.constants["schooling_cost"] = PolicyConstant::Money(signals.non_compulsory_schooling_cost);
  for (const CodeEntry& entry : policy.risk_types.entries) context.risk_codes.push_back(entry.code);
  return context;
}

}  // namespace zx::rules
