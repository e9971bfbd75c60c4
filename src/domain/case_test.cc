#include "domain/case.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "common/digest.h"

namespace zx {
namespace {

TEST(CaseCodesTest, StagesRoundTripWithDistinctCodesAndLabels) {
  std::set<std::string_view> codes;
  std::set<std::string_view> labels;
  ASSERT_EQ(AllCaseStages().size(), 13u);
  for (CaseStage stage : AllCaseStages()) {
    CaseStage parsed = CaseStage::kRejected;
    if (stage == CaseStage::kRejected) parsed = CaseStage::kVerification;
    ASSERT_TRUE(ParseCaseStage(CaseStageCode(stage), &parsed)) << CaseStageCode(stage);
    EXPECT_EQ(parsed, stage);
    EXPECT_TRUE(codes.insert(CaseStageCode(stage)).second);
    EXPECT_TRUE(labels.insert(CaseStageLabel(stage)).second);
  }
  EXPECT_EQ(CaseStageCode(CaseStage::kTownshipReview), "township_review");
  EXPECT_EQ(CaseStageLabel(CaseStage::kVerification), "待入户核实");
  EXPECT_EQ(CaseStageLabel(CaseStage::kEliminated), "已消除风险");
  CaseStage unused;
  EXPECT_FALSE(ParseCaseStage("Verification", &unused));
  EXPECT_FALSE(ParseCaseStage("", &unused));
}

TEST(CaseCodesTest, ActionsRoundTrip) {
  std::set<std::string_view> codes;
  ASSERT_EQ(AllCaseActions().size(), 14u);
  for (CaseAction action : AllCaseActions()) {
    CaseAction parsed = action == CaseAction::kOpen ? CaseAction::kVerify : CaseAction::kOpen;
    ASSERT_TRUE(ParseCaseAction(CaseActionCode(action), &parsed));
    EXPECT_EQ(parsed, action);
    EXPECT_TRUE(codes.insert(CaseActionCode(action)).second);
    EXPECT_NE(CaseActionLabel(action), "未知");
  }
  EXPECT_EQ(CaseActionCode(CaseAction::kVerify), "verify");
  EXPECT_EQ(CaseActionLabel(CaseAction::kVerify), "入户核实");
  CaseAction unused;
  EXPECT_FALSE(ParseCaseAction("delete", &unused));
}

TEST(CaseCodesTest, SourcesAndEliminationKindsRoundTrip) {
  for (CaseSource source : {CaseSource::kSelfApplication, CaseSource::kCadreVisit,
                            CaseSource::kDepartmentAlert, CaseSource::kRuleAlert}) {
    CaseSource parsed = source == CaseSource::kRuleAlert ? CaseSource::kCadreVisit : CaseSource::kRuleAlert;
    ASSERT_TRUE(ParseCaseSource(CaseSourceCode(source), &parsed));
    EXPECT_EQ(parsed, source);
  }
  EXPECT_EQ(CaseSourceLabel(CaseSource::kSelfApplication), "农户自主申请");
  for (EliminationKind kind :
       {EliminationKind::kNone, EliminationKind::kAssisted, EliminationKind::kNatural}) {
    EliminationKind parsed =
        kind == EliminationKind::kNatural ? EliminationKind::kNone : EliminationKind::kNatural;
    ASSERT_TRUE(ParseEliminationKind(EliminationKindCode(kind), &parsed));
    EXPECT_EQ(parsed, kind);
  }
  EXPECT_EQ(EliminationKindLabel(EliminationKind::kAssisted), "帮扶消除");
  EXPECT_EQ(EliminationKindCode(EliminationKind::kNatural), "natural");
  EliminationKind unused;
  EXPECT_FALSE(ParseEliminationKind("forced", &unused));
}

CaseEvent SampleEvent() {
  CaseEvent event;
  event.seq = 7;
  event.case_id = 3;
  event.at = 1735689600;
  event.actor = "county01";
  event.actor_role = "county";
  event.division = 630121100201;
  event.action = CaseAction::kApprove;
  event.from_stage = CaseStage::kCountyApproval;
  event.to_stage = CaseStage::kMonitored;
  event.case_version = 9;
  event.reason = "符合条件";
  event.detail_json = R"({"risk_codes":["01"]})";
  return event;
}

TEST(CaseEventHashTest, IsHexSha256AndDeterministic) {
  CaseEvent event = SampleEvent();
  std::string hash = CaseEventHash("", event);
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(hash, CaseEventHash("", event));
  // The stored hash and prev_hash fields are not part of the input.
  event.hash = "anything";
  event.prev_hash = "something else";
  EXPECT_EQ(hash, CaseEventHash("", event));
}

TEST(CaseEventHashTest, MatchesTheDocumentedEncoding) {
  // docs/formats/audit-chain.md: each field as an 8-byte big-endian length
  // and its bytes; integers in decimal.
  auto field = [](std::string_view bytes) {
    std::string out(8, '\0');
    for (int byte_idx = 0; byte_idx < 8; ++byte_idx) {
      out[7 - byte_idx] = static_cast<char>((bytes.size() >> (8 * byte_idx)) & 0xFF);
    }
    return out + std::string(bytes);
  };
  CaseEvent event = SampleEvent();
  std::string encoded = field("zx-case-event-v1") + field("ab") + field("7") + field("3") +
                        field("1735689600") + field("county01") + field("county") + field("630121100201") +
                        field("9") + field("6") + field("7") + field("9") + field("符合条件") +
                        field(R"({"risk_codes":["01"]})");
  EXPECT_EQ(CaseEventHash("ab", event), Sha256Hex(encoded));
}

TEST(CaseEventHashTest, EveryFieldAndThePreviousHashChangeTheHash) {
  const CaseEvent base = SampleEvent();
  const std::string base_hash = CaseEventHash("prev", base);
  EXPECT_NE(CaseEventHash("prew", base), base_hash);
  EXPECT_NE(CaseEventHash("", base), base_hash);

  std::vector<std::pair<std::string, std::function<void(CaseEvent&)>>> edits = {
      {"seq", [](CaseEvent& e) { e.seq = 8; }},
      {"case_id", [](CaseEvent& e) { e.case_id = 4; }},
      {"at", [](CaseEvent& e) { e.at += 1; }},
      {"actor", [](CaseEvent& e) { e.actor = "county02"; }},
      {"actor_role", [](CaseEvent& e) { e.actor_role = "township"; }},
      {"division", [](CaseEvent& e) { e.division = 630121100202; }},
      {"action", [](CaseEvent& e) { e.action = CaseAction::kReject; }},
      {"from_stage", [](CaseEvent& e) { e.from_stage = CaseStage::kTownshipReview; }},
      {"to_stage", [](CaseEvent& e) { e.to_stage = CaseStage::kRejected; }},
      {"case_version", [](CaseEvent& e) { e.case_version = 10; }},
      {"reason", [](CaseEvent& e) { e.reason = "不符合条件"; }},
      {"detail_json", [](CaseEvent& e) { e.detail_json = R"({"risk_codes":["02"]})"; }},
  };
  std::set<std::string> hashes = {base_hash};
  for (const auto& [name, edit] : edits) {
    CaseEvent changed = base;
    edit(changed);
    std::string hash = CaseEventHash("prev", changed);
    EXPECT_NE(hash, base_hash) << name;
    EXPECT_TRUE(hashes.insert(hash).second) << name;
  }
}

TEST(CaseEventHashTest, LengthPrefixesSeparateAdjacentFields) {
  // Moving bytes across a field boundary keeps the concatenation but not
  // the encoding.
  CaseEvent first = SampleEvent();
  first.actor = "county0";
  first.actor_role = "1county";
  CaseEvent second = SampleEvent();
  second.actor = "county01";
  second.actor_role = "county";
  EXPECT_NE(CaseEventHash("", first), CaseEventHash("", second));

  CaseEvent reason_a = SampleEvent();
  reason_a.reason = "ab";
  reason_a.detail_json = "c";
  CaseEvent reason_b = SampleEvent();
  reason_b.reason = "a";
  reason_b.detail_json = "bc";
  EXPECT_NE(CaseEventHash("", reason_a), CaseEventHash("", reason_b));

  // The previous hash and the first integer field: "ab" + seq 12 vs "ab1" + seq 2.
  CaseEvent seq12 = SampleEvent();
  seq12.seq = 12;
  CaseEvent seq2 = SampleEvent();
  seq2.seq = 2;
  EXPECT_NE(CaseEventHash("ab", seq12), CaseEventHash("ab1", seq2));

  // Integers: case_id 11 + at 1 vs case_id 1 + at 11.
  CaseEvent ints_a = SampleEvent();
  ints_a.case_id = 11;
  ints_a.at = 1;
  CaseEvent ints_b = SampleEvent();
  ints_b.case_id = 1;
  ints_b.at = 11;
  EXPECT_NE(CaseEventHash("", ints_a), CaseEventHash("", ints_b));
}

}  // namespace
}  // namespace zx
