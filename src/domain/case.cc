#include "domain/case.h"

#include <array>
#include <string>

#include "common/digest.h"

namespace zx {
namespace {

template <typename Enum>
struct CodeLabel {
  Enum value;
  std::string_view code;
  std::string_view label;
};

constexpr std::array<CodeLabel<CaseStage>, 13> kStages = {{
    {CaseStage::kVerification, "verification", "待入户核实"},
    {CaseStage::kComparison, "comparison", "待信息比对"},
    {CaseStage::kAppraisal, "appraisal", "待民主评议"},
    {CaseStage::kNotice, "notice", "公示中"},
    {CaseStage::kTownshipReview, "township_review", "待乡镇审核"},
    {CaseStage::kCountyApproval, "county_approval", "待县级审定"},
    {CaseStage::kMonitored, "monitored", "监测帮扶中"},
    {CaseStage::kEliminationAppraisal, "elimination_appraisal", "风险消除：待民主评议"},
    {CaseStage::kEliminationNotice, "elimination_notice", "风险消除：公示中"},
    {CaseStage::kEliminationTownshipReview, "elimination_township_review", "风险消除：待乡镇审核"},
    {CaseStage::kEliminationApproval, "elimination_approval", "风险消除：待县级审定"},
    {CaseStage::kEliminated, "eliminated", "已消除风险"},
    {CaseStage::kRejected, "rejected", "不予纳入"},
}};

constexpr std::array<CodeLabel<CaseAction>, 14> kActions = {{
    {CaseAction::kOpen, "open", "新建案件"},
    {CaseAction::kVerify, "verify", "入户核实"},
    {CaseAction::kCompare, "compare", "信息比对"},
    {CaseAction::kAppraise, "appraise", "民主评议"},
    {CaseAction::kRaiseObjection, "raise_objection", "登记公示异议"},
    {CaseAction::kResolveObjection, "resolve_objection", "处理公示异议"},
    {CaseAction::kCloseNotice, "close_notice", "结束公示"},
    {CaseAction::kReview, "review", "乡镇审核"},
    {CaseAction::kApprove, "approve", "县级审定"},
    {CaseAction::kReject, "reject", "不予通过"},
    {CaseAction::kSendBack, "send_back", "退回上一步"},
    {CaseAction::kAddMeasure, "add_measure", "添加帮扶措施"},
    {CaseAction::kRecordVisit, "record_visit", "记录回访"},
    {CaseAction::kProposeElimination, "propose_elimination", "申请风险消除"},
}};

constexpr std::array<CodeLabel<CaseSource>, 4> kSources = {{
    {CaseSource::kSelfApplication, "self_application", "农户自主申请"},
    {CaseSource::kCadreVisit, "cadre_visit", "干部排查"},
    {CaseSource::kDepartmentAlert, "department_alert", "部门筛查预警"},
    {CaseSource::kRuleAlert, "rule_alert", "系统规则预警"},
}};

constexpr std::array<CodeLabel<EliminationKind>, 3> kEliminationKinds = {{
    {EliminationKind::kNone, "none", "未消除"},
    {EliminationKind::kAssisted, "assisted", "帮扶消除"},
    {EliminationKind::kNatural, "natural", "自然消除"},
}};

constexpr std::array<CaseStage, 13> kAllStages = [] {
  std::array<CaseStage, 13> all{};
  for (size_t stage_idx = 0; stage_idx < kStages.size(); ++stage_idx)
    all[stage_idx] = kStages[stage_idx].value;
  return all;
}();

constexpr std::array<CaseAction, 14> kAllActions = [] {
  std::array<CaseAction, 14> all{};
  for (size_t action_idx = 0; action_idx < kActions.size(); ++action_idx) {
    all[action_idx] = kActions[action_idx].value;
  }
  return all;
}();

template <typename Enum, size_t N>
const CodeLabel<Enum>* FindValue(const std::array<CodeLabel<Enum>, N>& table, Enum value) {
  for (const auto& entry : table) {
    if (entry.value == value) return &entry;
  }
  return nullptr;
}

template <typename Enum, size_t N>
std::string_view CodeOf(const std::array<CodeLabel<Enum>, N>& table, Enum value) {
  const auto* entry = FindValue(table, value);
  return entry == nullptr ? std::string_view("unknown") : entry->code;
}

template <typename Enum, size_t N>
std::string_view LabelOf(const std::array<CodeLabel<Enum>, N>& table, Enum value) {
  const auto* entry = FindValue(table, value);
  return entry == nullptr ? std::string_view("未知") : entry->label;
}

template <typename Enum, size_t N>
bool ParseCode(const std::array<CodeLabel<Enum>, N>& table, std::string_view code, Enum* out) {
  for (const auto& entry : table) {
    if (entry.code == code) {
      *out = entry.value;
      return true;
    }
  }
  return false;
}

// Canonical encoding of the hashed fields (docs/formats/audit-chain.md):
// every field is written as an 8-byte big-endian byte length followed by its
// bytes; integers and enumerations are written as their decimal ASCII form
// ("-12", "7"), strings as their UTF-8 bytes. The length prefix makes the
// encoding injective: moving bytes from one field to the next changes the
// lengths, so no two different events encode alike.
void AppendField(std::string_view bytes, std::string& out) {
  const std::uint64_t length = bytes.size();
  for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((length >> shift) & 0xFF);
  out.append(bytes);
}

void AppendInt(std::int64_t value, std::string& out) { AppendField(std::to_string(value), out); }

}  // namespace

std::string CaseEventHash(std::string_view prev_hash, const CaseEvent& event) {
  // Field order (never change it: stored hashes depend on it):
  //   "zx-case-event-v1", prev_hash, seq, case_id, at, actor, actor_role,
  //   division, action, from_stage, to_stage, case_version, reason,
  //   detail_json.
  std::string encoded;
  encoded.reserve(256 + event.actor.size() + event.reason.size() + event.detail_json.size());
  AppendField("zx-case-event-v1", encoded);
  AppendField(prev_hash, encoded);
  AppendInt(event.seq, encoded);
  AppendInt(event.case_id, encoded);
  AppendInt(event.at, encoded);
  AppendField(event.actor, encoded);
  AppendField(event.actor_role, encoded);
  AppendInt(event.division, encoded);
  AppendInt(static_cast<int>(event.action), encoded);
  AppendInt(static_cast<int>(event.from_stage), encoded);
  AppendInt(static_cast<int>(event.to_stage), encoded);
  AppendInt(event.case_version, encoded);
  AppendField(event.reason, encoded);
  AppendField(event.detail_json, encoded);
  return Sha256Hex(encoded);
}

std::string_view CaseStageCode(CaseStage stage) { return CodeOf(kStages, stage); }
std::string_view CaseStageLabel(CaseStage stage) { return LabelOf(kStages, stage); }
bool ParseCaseStage(std::string_view code, CaseStage* out) { return ParseCode(kStages, code, out); }
std::span<const CaseStage> AllCaseStages() { return kAllStages; }

std::string_view CaseActionCode(CaseAction action) { return CodeOf(kActions, action); }
std::string_view CaseActionLabel(CaseAction action) { return LabelOf(kActions, action); }
bool ParseCaseAction(std::string_view code, CaseAction* out) { return ParseCode(kActions, code, out); }
std::span<const CaseAction> AllCaseActions() { return kAllActions; }

std::string_view CaseSourceCode(CaseSource source) { return CodeOf(kSources, source); }
std::string_view CaseSourceLabel(CaseSource source) { return LabelOf(kSources, source); }
bool ParseCaseSource(std::string_view code, CaseSource* out) { return ParseCode(kSources, code, out); }

std::string_view EliminationKindCode(EliminationKind kind) { return CodeOf(kEliminationKinds, kind); }
std::string_view EliminationKindLabel(EliminationKind kind) { return LabelOf(kEliminationKinds, kind); }
bool ParseEliminationKind(std::string_view code, EliminationKind* out) {
  return ParseCode(kEliminationKinds, code, out);
}

}  // namespace zx
