// The transition table's invariants (state_machine.h), checked over the
// whole table so that an edit that breaks one fails here.
#include "workflow/state_machine.h"

#include <gtest/gtest.h>

#include <set>

namespace zx::workflow {
namespace {

TEST(StateMachineTest, EveryOpenStageHasOneOwnerAndClosedStagesNone) {
  for (CaseStage stage : AllCaseStages()) {
    const bool closed = stage == CaseStage::kEliminated || stage == CaseStage::kRejected;
    EXPECT_EQ(StageOwner(stage).has_value(), !closed) << CaseStageCode(stage);
  }
  EXPECT_EQ(StageOwner(CaseStage::kVerification), Role::kVillage);
  EXPECT_EQ(StageOwner(CaseStage::kComparison), Role::kCounty);
  EXPECT_EQ(StageOwner(CaseStage::kTownshipReview), Role::kTownship);
  EXPECT_EQ(StageOwner(CaseStage::kCountyApproval), Role::kCounty);
  EXPECT_EQ(StageOwner(CaseStage::kEliminationApproval), Role::kCounty);
}

TEST(StateMachineTest, NoTransitionLeavesAClosedStage) {
  for (const Transition& transition : AllTransitions()) {
    EXPECT_NE(transition.from, CaseStage::kEliminated);
    EXPECT_NE(transition.from, CaseStage::kRejected);
    EXPECT_NE(transition.action, CaseAction::kOpen);
    EXPECT_FALSE(transition.roles.empty());
  }
}

TEST(StateMachineTest, PairsAreUnique) {
  std::set<std::pair<int, int>> seen;
  for (const Transition& transition : AllTransitions()) {
    EXPECT_TRUE(seen.insert({static_cast<int>(transition.from), static_cast<int>(transition.action)}).second)
        << CaseStageCode(transition.from) << " " << CaseActionCode(transition.action);
  }
}

TEST(StateMachineTest, RejectAndSendBackBelongToTheStageOwner) {
  int checked = 0;
  for (const Transition& transition : AllTransitions()) {
    if (transition.action != CaseAction::kReject && transition.action != CaseAction::kSendBack) continue;
    ASSERT_EQ(transition.roles.size(), 1u);
    EXPECT_EQ(transition.roles.front(), *StageOwner(transition.from)) << CaseStageCode(transition.from);
    ++checked;
  }
  EXPECT_EQ(checked, 5 + 4 + 3 + 2);  // 5 identification + 3 elimination rejects, 4 + 2 send backs
}

TEST(StateMachineTest, RejectTargets) {
  for (const Transition& transition : AllTransitions()) {
    if (transition.action != CaseAction::kReject) continue;
    if (IsIdentificationStage(transition.from)) {
      EXPECT_EQ(transition.to, CaseStage::kRejected) << CaseStageCode(transition.from);
    } else {
      EXPECT_TRUE(IsEliminationStage(transition.from));
      EXPECT_EQ(transition.to, CaseStage::kMonitored) << CaseStageCode(transition.from);
    }
  }
}

TEST(StateMachineTest, SendBackGoesToAnEarlierStageOfTheSamePhase) {
  for (const Transition& transition : AllTransitions()) {
    if (transition.action != CaseAction::kSendBack) continue;
    EXPECT_LT(static_cast<int>(transition.to), static_cast<int>(transition.from));
    EXPECT_EQ(IsIdentificationStage(transition.to), IsIdentificationStage(transition.from));
  }
  EXPECT_EQ(FindTransition(CaseStage::kComparison, CaseAction::kSendBack)->to, CaseStage::kVerification);
  EXPECT_EQ(FindTransition(CaseStage::kTownshipReview, CaseAction::kSendBack)->to, CaseStage::kAppraisal);
  EXPECT_EQ(FindTransition(CaseStage::kCountyApproval, CaseAction::kSendBack)->to,
            CaseStage::kTownshipReview);
  EXPECT_EQ(FindTransition(CaseStage::kVerification, CaseAction::kSendBack), nullptr);
}

TEST(StateMachineTest, NoticesEndOnlyByClosingOrAnUpheldObjection) {
  for (CaseStage notice : {CaseStage::kNotice, CaseStage::kEliminationNotice}) {
    EXPECT_EQ(FindTransition(notice, CaseAction::kReject), nullptr);
    EXPECT_EQ(FindTransition(notice, CaseAction::kSendBack), nullptr);
    EXPECT_EQ(FindTransition(notice, CaseAction::kApprove), nullptr);
    const Transition* resolve = FindTransition(notice, CaseAction::kResolveObjection);
    ASSERT_NE(resolve, nullptr);
    EXPECT_EQ(resolve->to, notice);
    ASSERT_TRUE(resolve->upheld_to.has_value());
  }
  EXPECT_EQ(*FindTransition(CaseStage::kNotice, CaseAction::kResolveObjection)->upheld_to,
            CaseStage::kRejected);
  EXPECT_EQ(*FindTransition(CaseStage::kEliminationNotice, CaseAction::kResolveObjection)->upheld_to,
            CaseStage::kMonitored);
}

TEST(StateMachineTest, HappyPathsReachMonitoredAndEliminated) {
  const CaseAction identification[] = {CaseAction::kVerify,      CaseAction::kCompare, CaseAction::kAppraise,
                                       CaseAction::kCloseNotice, CaseAction::kReview,  CaseAction::kApprove};
  CaseStage stage = CaseStage::kVerification;
  for (CaseAction action : identification) {
    const Transition* transition = FindTransition(stage, action);
    ASSERT_NE(transition, nullptr) << CaseStageCode(stage) << " " << CaseActionCode(action);
    stage = transition->to;
  }
  EXPECT_EQ(stage, CaseStage::kMonitored);
  const CaseAction elimination[] = {CaseAction::kProposeElimination, CaseAction::kAppraise,
                                    CaseAction::kCloseNotice, CaseAction::kReview, CaseAction::kApprove};
  for (CaseAction action : elimination) {
    const Transition* transition = FindTransition(stage, action);
    ASSERT_NE(transition, nullptr) << CaseStageCode(stage) << " " << CaseActionCode(action);
    stage = transition->to;
  }
  EXPECT_EQ(stage, CaseStage::kEliminated);
}

TEST(StateMachineTest, ReadOnlyRolesMayDoNothing) {
  for (const Transition& transition : AllTransitions()) {
    for (Role role : {Role::kProvince, Role::kPrefecture, Role::kAuditor, Role::kDepartment}) {
      EXPECT_FALSE(RoleAllowed(transition, role))
          << CaseStageCode(transition.from) << " " << CaseActionCode(transition.action);
    }
  }
  for (CaseSource source : {CaseSource::kSelfApplication, CaseSource::kCadreVisit, CaseSource::kRuleAlert,
                            CaseSource::kDepartmentAlert}) {
    for (Role role : OpenRoles(source)) {
      EXPECT_NE(role, Role::kProvince);
      EXPECT_NE(role, Role::kAuditor);
    }
  }
  const std::vector<Role> department = OpenRoles(CaseSource::kDepartmentAlert);
  EXPECT_NE(std::find(department.begin(), department.end(), Role::kDepartment), department.end());
  const std::vector<Role> self = OpenRoles(CaseSource::kSelfApplication);
  EXPECT_EQ(std::find(self.begin(), self.end(), Role::kDepartment), self.end());
}

TEST(StateMachineTest, RoleListNamesEveryRole) {
  EXPECT_EQ(RoleList({Role::kVillage, Role::kTownship}), "村级用户或乡镇级用户");
}

}  // namespace
}  // namespace zx::workflow
