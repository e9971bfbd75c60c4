// The case state machine as a table (DOMAIN.md §2, §5, §6): for every
// pending stage, which actions exist, which role may take each, and where
// the case goes. WorkflowService (workflow.h) is the only caller that turns
// a transition into a stored change; the table itself is pure data so the
// web app, the CLI and docs/workflow.md show the same rules.
//
// Invariants of the table:
//   * every stage except the closed ones (kEliminated, kRejected) has exactly
//     one owning role (the role whose step is pending);
//   * kReject and kSendBack are allowed only to the owner of the stage;
//   * identification stages reject to kRejected, elimination stages reject
//     back to kMonitored (the household stays monitored);
//   * the notice stages (kNotice, kEliminationNotice) are left only by
//     kCloseNotice or an upheld objection, never by kReject / kSendBack.
// Thread-safety: pure functions over constant data.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/case.h"
#include "storage/account_store.h"

namespace zx::workflow {

/// One allowed (stage, action) pair: who may take it and where it leads.
/// `to` is the stage after the action; for actions that keep the stage
/// (objections raised or dismissed, measures, visits) it equals `from`.
/// kResolveObjection with an upheld objection goes to `upheld_to` instead.
struct Transition {
  CaseStage from = CaseStage::kVerification;
  CaseAction action = CaseAction::kVerify;
  std::vector<Role> roles;  // roles allowed to take the action
  CaseStage to = CaseStage::kVerification;
  std::optional<CaseStage> upheld_to;  // kResolveObjection only
};

/// The whole table, in stage order (kOpen is not in it: see OpenRoles).
std::span<const Transition> AllTransitions();

/// The transition for (stage, action), or nullptr when the stage has no such
/// action for anyone.
const Transition* FindTransition(CaseStage stage, CaseAction action);

/// The role whose step is pending at `stage`; nullopt for closed stages.
/// kMonitored belongs to the county (plan and measures); the village's
/// visits and elimination proposals are allowed there too.
std::optional<Role> StageOwner(CaseStage stage);

/// Identification stages: kVerification … kCountyApproval.
bool IsIdentificationStage(CaseStage stage);
/// Elimination stages: kEliminationAppraisal … kEliminationApproval.
bool IsEliminationStage(CaseStage stage);

/// Roles that may open a case from a clue of `source`.
std::vector<Role> OpenRoles(CaseSource source);

/// Whether `role` is among `transition.roles`.
bool RoleAllowed(const Transition& transition, Role role);

/// "村级用户或乡镇级用户": the allowed roles' labels, for messages.
std::string RoleList(const std::vector<Role>& roles);

}  // namespace zx::workflow
