#include "workflow/state_machine.h"

#include <algorithm>

namespace zx::workflow {
namespace {

using A = CaseAction;
using S = CaseStage;
constexpr Role kV = Role::kVillage;
constexpr Role kT = Role::kTownship;
constexpr Role kC = Role::kCounty;

// Measures and visits are recorded while the household is monitored,
// including while its elimination goes through appraisal and approval.
std::vector<Transition> BuildTable() {
  std::vector<Transition> table = {
      // Identification (识别).
      {S::kVerification, A::kVerify, {kV}, S::kComparison, {}},
      {S::kVerification, A::kReject, {kV}, S::kRejected, {}},

      {S::kComparison, A::kCompare, {kC}, S::kAppraisal, {}},
      {S::kComparison, A::kReject, {kC}, S::kRejected, {}},
      {S::kComparison, A::kSendBack, {kC}, S::kVerification, {}},

      {S::kAppraisal, A::kAppraise, {kV}, S::kNotice, {}},
      {S::kAppraisal, A::kReject, {kV}, S::kRejected, {}},
      {S::kAppraisal, A::kSendBack, {kV}, S::kComparison, {}},

      {S::kNotice, A::kRaiseObjection, {kV}, S::kNotice, {}},
      {S::kNotice, A::kResolveObjection, {kT}, S::kNotice, S::kRejected},
      {S::kNotice, A::kCloseNotice, {kV, kT}, S::kTownshipReview, {}},

      {S::kTownshipReview, A::kReview, {kT}, S::kCountyApproval, {}},
      {S::kTownshipReview, A::kReject, {kT}, S::kRejected, {}},
      {S::kTownshipReview, A::kSendBack, {kT}, S::kAppraisal, {}},

      {S::kCountyApproval, A::kApprove, {kC}, S::kMonitored, {}},
      {S::kCountyApproval, A::kReject, {kC}, S::kRejected, {}},
      {S::kCountyApproval, A::kSendBack, {kC}, S::kTownshipReview, {}},

      // Assistance (帮扶).
      {S::kMonitored, A::kAddMeasure, {kT, kC}, S::kMonitored, {}},
      {S::kMonitored, A::kRecordVisit, {kV}, S::kMonitored, {}},
      {S::kMonitored, A::kProposeElimination, {kV}, S::kEliminationAppraisal, {}},

      // Risk elimination (风险消除): the same appraisal → notice → review →
      // approval path; a refusal returns the household to monitoring.
      {S::kEliminationAppraisal, A::kAppraise, {kV}, S::kEliminationNotice, {}},
      {S::kEliminationAppraisal, A::kReject, {kV}, S::kMonitored, {}},

      {S::kEliminationNotice, A::kRaiseObjection, {kV}, S::kEliminationNotice, {}},
      {S::kEliminationNotice, A::kResolveObjection, {kT}, S::kEliminationNotice, S::kMonitored},
      {S::kEliminationNotice, A::kCloseNotice, {kV, kT}, S::kEliminationTownshipReview, {}},

      {S::kEliminationTownshipReview, A::kReview, {kT}, S::kEliminationApproval, {}},
      {S::kEliminationTownshipReview, A::kReject, {kT}, S::kMonitored, {}},
      {S::kEliminationTownshipReview, A::kSendBack, {kT}, S::kEliminationAppraisal, {}},

      {S::kEliminationApproval, A::kApprove, {kC}, S::kEliminated, {}},
      {S::kEliminationApproval, A::kReject, {kC}, S::kMonitored, {}},
      {S::kEliminationApproval, A::kSendBack, {kC}, S::kEliminationTownshipReview, {}},
  };
  for (S stage : {S::kEliminationAppraisal, S::kEliminationNotice, S::kEliminationTownshipReview,
                  S::kEliminationApproval}) {
    table.push_back({stage, A::kAddMeasure, {kT, kC}, stage, {}});
    table.push_back({stage, A::kRecordVisit, {kV}, stage, {}});
  }
  std::stable_sort(table.begin(), table.end(), [](const Transition& lhs, const Transition& rhs) {
    return static_cast<int>(lhs.from) < static_cast<int>(rhs.from);
  });
  return table;
}

const std::vector<Transition>& Table() {
  static const std::vector<Transition> table = BuildTable();
  return table;
}

}  // namespace

std::span<const Transition> AllTransitions() { return Table(); }

const Transition* FindTransition(CaseStage stage, CaseAction action) {
  for (const Transition& transition : Table()) {
    if (transition.from == stage && transition.action == action) return &transition;
  }
  return nullptr;
}

std::optional<Role> StageOwner(CaseStage stage) {
  switch (stage) {
    case S::kVerification:
    case S::kAppraisal:
    case S::kNotice:
    case S::kEliminationAppraisal:
    case S::kEliminationNotice:
      return kV;
    case S::kTownshipReview:
    case S::kEliminationTownshipReview:
      return kT;
    case S::kComparison:
    case S::kCountyApproval:
    case S::kMonitored:
    case S::kEliminationApproval:
      return kC;
    case S::kEliminated:
    case S::kRejected:
      return std::nullopt;
  }
  return std::nullopt;
}

bool IsIdentificationStage(CaseStage stage) {
  return static_cast<int>(stage) >= static_cast<int>(S::kVerification) &&
         static_cast<int>(stage) <= static_cast<int>(S::kCountyApproval);
}

bool IsEliminationStage(CaseStage stage) {
  return static_cast<int>(stage) >= static_cast<int>(S::kEliminationAppraisal) &&
         static_cast<int>(stage) <= static_cast<int>(S::kEliminationApproval);
}

std::vector<Role> OpenRoles(CaseSource source) {
  switch (source) {
    case CaseSource::kSelfApplication:
    case CaseSource::kCadreVisit:
      return {kV, kT};
    case CaseSource::kDepartmentAlert:
      return {Role::kDepartment, kC};
    case CaseSource::kRuleAlert:
      return {kV, kC};
  }
  return {};
}

bool RoleAllowed(const Transition& transition, Role role) {
  return std::find(transition.roles.begin(), transition.roles.end(), role) != transition.roles.end();
}

std::string RoleList(const std::vector<Role>& roles) {
  std::string out;
  for (size_t role_idx = 0; role_idx < roles.size(); ++role_idx) {
    if (role_idx > 0) out += "或";
    out += RoleLabel(roles[role_idx]);
  }
  return out;
}

}  // namespace zx::workflow
