// A monitoring case (监测对象识别与风险消除案件): one household's passage
// through the "2411" procedure (DOMAIN.md §2, §5, §6) — from a lead through
// verification, comparison, village appraisal, public notice, township review
// and county approval into monitoring, then assistance, then risk
// elimination through the same appraisal → notice → review → approval path.
//
// `CaseStage` names the step that is PENDING: a case in kAppraisal waits for
// the village appraisal. Every change is a `CaseEvent`; events form one
// append-only, SHA-256 hash-chained log (CaseEventHash) so that
// `zhenxing audit verify` can prove the history was not edited.
//
// Invariants (enforced by src/workflow, stored by storage/case_store.h):
//   * a household has at most one open case (stage not kEliminated/kRejected);
//   * `version` grows by one with every stored change (optimistic concurrency);
//   * times are Unix seconds (UTC); dates of measures and visits are Dates.
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/date.h"
#include "common/money.h"
#include "domain/division.h"

namespace zx {

/// How the first clue arrived (DOMAIN.md §5).
enum class CaseSource : std::uint8_t {
  kSelfApplication = 1,  // 农户自主申请
  kCadreVisit = 2,       // 干部排查
  kDepartmentAlert = 3,  // 部门筛查预警
  kRuleAlert = 4,        // 系统规则预警
};

/// The pending step. Identification: kVerification … kCountyApproval →
/// kMonitored. Elimination: kMonitored → kEliminationAppraisal …
/// kEliminationApproval → kEliminated. Closed: kEliminated, kRejected.
enum class CaseStage : std::uint8_t {
  kVerification = 1,                // 待入户核实 (village)
  kComparison = 2,                  // 待信息比对 (county)
  kAppraisal = 3,                   // 待民主评议 (village)
  kNotice = 4,                      // 公示中 (village; ≥ notice days, objections)
  kTownshipReview = 5,              // 待乡镇审核 (township)
  kCountyApproval = 6,              // 待县级审定 (county)
  kMonitored = 7,                   // 监测帮扶中 (plan, measures, visits)
  kEliminationAppraisal = 8,        // 风险消除：待民主评议 (village)
  kEliminationNotice = 9,           // 风险消除：公示中 (village)
  kEliminationTownshipReview = 10,  // 风险消除：待乡镇审核 (township)
  kEliminationApproval = 11,        // 风险消除：待县级审定 (county)
  kEliminated = 12,                 // 已消除风险 (closed; record kept, re-entry possible)
  kRejected = 13,                   // 不予纳入 (closed)
};

/// What an actor does to a case. The state machine (src/workflow) decides
/// which (stage, action, role) triples are allowed.
enum class CaseAction : std::uint8_t {
  kOpen = 1,                 // create the case from a lead
  kVerify = 2,               // home visit done, signed authorisation recorded
  kCompare = 3,              // county information comparison done
  kAppraise = 4,             // village appraisal held; the public notice starts
  kRaiseObjection = 5,       // an objection to the notice is recorded
  kResolveObjection = 6,     // an objection is resolved (upheld or dismissed)
  kCloseNotice = 7,          // the notice period ended without open objections
  kReview = 8,               // township review passed
  kApprove = 9,              // county approval (identification or elimination)
  kReject = 10,              // refused at this step, with a reason
  kSendBack = 11,            // returned to the previous step, with a reason
  kAddMeasure = 12,          // an assistance measure (一户一策)
  kRecordVisit = 13,         // a follow-up visit, updating income
  kProposeElimination = 14,  // start risk elimination (assisted or natural)
};

enum class EliminationKind : std::uint8_t {
  kNone = 0,
  kAssisted = 1,  // 帮扶消除
  kNatural = 2,   // 自然消除
};

/// One assistance measure of the household plan (一户一策).
struct CaseMeasure {
  std::int64_t id = 0;        // assigned by the store; unique within the case
  std::string category_code;  // policy measures table, e.g. 100A39 产业
  std::string description;
  std::string responsible_cadre;  // 帮扶责任人
  Fen amount = 0;                 // funds or benefit, fen
  Date start_date;
  Date end_date;  // may be empty (Date{}) for open-ended measures
  std::int64_t recorded_at = 0;
  std::string recorded_by;

  bool operator==(const CaseMeasure&) const = default;
};

/// A follow-up visit (回访). `per_capita_income` is the household's
/// per-capita net income over the 12 months before the visit, fen.
struct CaseVisit {
  std::int64_t id = 0;
  Date visit_date;
  Fen per_capita_income = 0;
  bool guarantees_secured = false;  // 三保障及饮水安全 confirmed at this visit
  std::string note;
  std::string visited_by;

  bool operator==(const CaseVisit&) const = default;
};

/// An objection raised during a public notice.
struct CaseObjection {
  std::int64_t id = 0;
  std::int64_t raised_at = 0;
  std::string summary;  // what was objected (no personal data of the objector)
  bool resolved = false;
  bool upheld = false;
  std::string resolution;
  std::string resolved_by;
  std::int64_t resolved_at = 0;

  bool operator==(const CaseObjection&) const = default;
};

struct Case {
  std::int64_t id = 0;  // assigned by the store
  std::string household_number;
  DivisionCode village_code = 0;
  CaseSource source = CaseSource::kSelfApplication;
  std::string source_detail;  // e.g. rule alert: risk codes and explanation; alert id
  CaseStage stage = CaseStage::kVerification;
  std::int64_t version = 0;  // 1 after creation; +1 per stored change

  std::int64_t opened_at = 0;   // first clue (线索) time
  std::int64_t due_at = 0;      // identification deadline: opened_at + 15 days
  std::int64_t decided_at = 0;  // county approval or rejection of identification; 0 = pending

  bool authorization_signed = false;  // 授权书 signed at verification
  std::string verification_note;
  std::string comparison_note;
  int appraisal_for = 0;  // village appraisal votes
  int appraisal_against = 0;
  std::int64_t notice_started_at = 0;  // current notice; 0 = none running
  std::int64_t notice_ends_at = 0;

  std::string monitoring_type;          // 100A03001/2/3, set at approval
  std::vector<std::string> risk_codes;  // 1..5, set at approval
  std::int64_t monitored_since = 0;     // identification approval time

  EliminationKind elimination_kind = EliminationKind::kNone;
  std::int64_t elimination_proposed_at = 0;
  std::int64_t closed_at = 0;  // eliminated or rejected
  std::string closed_reason;

  std::vector<CaseMeasure> measures;
  std::vector<CaseVisit> visits;
  std::vector<CaseObjection> objections;

  std::int64_t updated_at = 0;
  std::string updated_by;

  bool operator==(const Case&) const = default;
  bool IsOpen() const { return stage != CaseStage::kEliminated && stage != CaseStage::kRejected; }
};

/// One entry of the append-only, hash-chained event log.
struct CaseEvent {
  std::int64_t seq = 0;  // assigned by the store: 1, 2, 3 … across all cases
  std::int64_t case_id = 0;
  std::int64_t at = 0;        // Unix seconds
  std::string actor;          // username, or "cli:<os user>" / "simulate"
  std::string actor_role;     // RoleCode of the actor
  DivisionCode division = 0;  // the case's village
  CaseAction action = CaseAction::kOpen;
  CaseStage from_stage = CaseStage::kVerification;
  CaseStage to_stage = CaseStage::kVerification;
  std::int64_t case_version = 0;  // the case version this event produced
  std::string reason;             // why (required for reject / send back / objections)
  std::string detail_json;        // what changed (compact JSON object)
  std::string prev_hash;          // hex SHA-256 of the previous event; "" for seq 1
  std::string hash;               // CaseEventHash(prev_hash, *this)

  bool operator==(const CaseEvent&) const = default;
};

/// hex SHA-256 over `prev_hash` and a canonical, length-prefixed encoding of
/// every field of `event` except `hash` and `prev_hash` itself.
std::string CaseEventHash(std::string_view prev_hash, const CaseEvent& event);

// Codes (API, database, JSON) and Chinese labels (display).
std::string_view CaseStageCode(CaseStage stage);   // "verification", …
std::string_view CaseStageLabel(CaseStage stage);  // 待入户核实, …
bool ParseCaseStage(std::string_view code, CaseStage* out);
std::span<const CaseStage> AllCaseStages();

std::string_view CaseActionCode(CaseAction action);   // "verify", …
std::string_view CaseActionLabel(CaseAction action);  // 入户核实, …
bool ParseCaseAction(std::string_view code, CaseAction* out);
std::span<const CaseAction> AllCaseActions();

std::string_view CaseSourceCode(CaseSource source);   // "self_application", …
std::string_view CaseSourceLabel(CaseSource source);  // 农户自主申请, …
bool ParseCaseSource(std::string_view code, CaseSource* out);

std::string_view EliminationKindCode(EliminationKind kind);  // "none", "assisted", "natural"
std::string_view EliminationKindLabel(EliminationKind kind);
bool ParseEliminationKind(std::string_view code, EliminationKind* out);

/// Identification time limit (DOMAIN.md §5) and minimum notice length.
inline constexpr std::int64_t kSecondsPerDay = 24 * 60 * 60;
inline constexpr int kIdentificationDays = 15;
inline constexpr int kMinNoticeDays = 5;

}  // namespace zx
