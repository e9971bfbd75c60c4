// The identification and assistance workflow (DOMAIN.md §2, §5, §6): the
// only place that decides which action a role may take on a case at which
// stage, enforces the elimination preconditions and the time limits, and
// turns an action into a stored case change plus one audit event.
//
// Who may do what (division scope is always checked too: the case's village
// must be inside the actor's subtree):
//   village cadre (kVillage)  open, verify, appraise, raise/close notice,
//                             record visits, propose elimination
//   township (kTownship)      review, resolve objections, close notice,
//                             add measures, reject / send back at its step
//   county (kCounty)          compare, approve, add measures, reject / send back
//   department (kDepartment)  open (department alert) only
//   prefecture, province,     read only
//   auditor
// Reject / send back are allowed to the role that owns the pending step.
// The exact table lives in state_machine.cc and is printed in
// docs/workflow.md; `AllowedActions` exposes it to the web app.
//
// Thread-safety: a WorkflowService is used by one thread at a time (it holds
// per-thread store references); the Policy it reads is immutable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/case.h"
#include "domain/policy.h"
#include "storage/account_store.h"
#include "storage/case_store.h"
#include "storage/store.h"

namespace zx {

/// Who acts. For the CLI: role kCounty (or as given) at the --division.
struct Actor {
  std::string username;
  Role role = Role::kAuditor;
  DivisionCode division_code = 0;
  DivisionLevel division_level = DivisionLevel::kProvince;

  DivisionScope scope() const { return DivisionScope::Of(division_code, division_level); }
};

/// One action with its payload. Only the fields of `action` are read.
struct ActionInput {
  CaseAction action = CaseAction::kVerify;
  std::int64_t expected_version = 0;  // the version the actor saw (required)
  std::string reason;                 // required for kReject, kSendBack, kRaiseObjection,
                                      // kResolveObjection, kProposeElimination

  // kVerify
  bool authorization_signed = false;
  std::string note;  // kVerify / kCompare / kReview / kApprove free text
  // kAppraise
  int appraisal_for = 0;
  int appraisal_against = 0;
  int notice_days = kMinNoticeDays;  // ≥ kMinNoticeDays
  // kApprove at kCountyApproval
  std::string monitoring_type;
  std::vector<std::string> risk_codes;
  // kResolveObjection
  std::int64_t objection_id = 0;
  bool upheld = false;
  // kAddMeasure / kRecordVisit
  std::optional<CaseMeasure> measure;
  std::optional<CaseVisit> visit;
  // kProposeElimination
  EliminationKind elimination_kind = EliminationKind::kNone;
};

/// Why an elimination may or may not go ahead: one line per precondition.
struct PreconditionCheck {
  std::string code;   // "monitored_6_months", "has_measure", …
  std::string label;  // Chinese: 监测满6个月
  bool met = false;
  std::string detail;  // Chinese: 已监测 7 个月（自 2025-03-02）
};

/// A work-queue row (待办): a case waiting for the actor's role.
struct WorkItem {
  Case case_record;
  std::vector<CaseAction> actions;  // what the actor may do now
  std::int64_t due_at = 0;          // the deadline that applies, 0 = none
  bool overdue = false;
  int days_left = 0;  // negative when overdue
};

struct OverdueCounty {
  DivisionCode county_code = 0;
  std::int64_t open_identification = 0;  // cases before kMonitored
  std::int64_t overdue = 0;              // of those, past due_at
  std::vector<Case> cases;               // the overdue ones, most overdue first (≤ 200)
};

class WorkflowService {
 public:
  /// `registry` is read for household facts (members, labour, guarantees,
  /// incomes); `policy` for monitoring lines and code tables.
  WorkflowService(CaseStore& cases, Store& registry, const Policy& policy);

  /// Opens a case for a household (kOpen event). kAlreadyExists when it has
  /// an open case; re-entry after kEliminated / kRejected is allowed.
  Result<Case> OpenCase(const Actor& actor, const std::string& household_number, CaseSource source,
                        const std::string& source_detail, std::int64_t now);

  /// Applies one action. Errors: kPermissionDenied (role or division, Chinese
  /// message naming both), kFailedPrecondition (stage does not allow it,
  /// missing authorisation, notice not yet over, elimination preconditions
  /// unmet — the message lists each unmet one), kInvalidArgument (bad
  /// payload: field named), kConflict (someone else changed the case).
  Result<Case> Act(const Actor& actor, std::int64_t case_id, const ActionInput& input, std::int64_t now);

  /// What Act would store when `current` is the case as the actor last saw
  /// it (every check of Act, nothing stored; the result has version + 1).
  /// Batch files validate all rows with it before applying any.
  Result<Case> PreviewAct(const Actor& actor, const Case& current, const ActionInput& input,
                          std::int64_t now);

  /// The actions `actor` may take on `c` now (for buttons; Act re-checks).
  std::vector<CaseAction> AllowedActions(const Actor& actor, const Case& c, std::int64_t now) const;

  /// The elimination preconditions (DOMAIN.md §6) for `c` at `now`.
  Result<std::vector<PreconditionCheck>> EliminationPreconditions(const Case& c, EliminationKind kind,
                                                                  std::int64_t now);

  /// Cases waiting for the actor (most urgent first), at most `limit`.
  Result<std::vector<WorkItem>> WorkQueue(const Actor& actor, std::int64_t now, std::int64_t limit);

  /// Identification cases past the 15-day limit, by county, in scope.
  Result<std::vector<OverdueCounty>> Overdue(const DivisionScope& scope, std::int64_t now);

 private:
  // The case `case_id` if inside the actor's scope; PermissionDenied when it
  // exists elsewhere, NotFound when it does not exist.
  Result<Case> LoadInScope(const Actor& actor, std::int64_t case_id);
  // Checks and applies `input` to `current`; fills `event` (not stored).
  Result<Case> Apply(const Actor& actor, const Case& current, const ActionInput& input, std::int64_t now,
                     CaseEvent* event);

  CaseStore& cases_;
  Store& registry_;
  const Policy& policy_;
};

}  // namespace zx
