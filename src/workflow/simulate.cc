#include "workflow/simulate.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <queue>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/progress.h"
#include "workflow/preconditions.h"
#include "workflow/state_machine.h"
#include "workflow/workflow.h"

namespace zx::workflow {
namespace {

constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = kSecondsPerDay;

// SplitMix64: small, fast and fully determined by its seed.
class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double probability) { return Uniform() < probability; }
  // Uniform integer in [lo, hi].
  std::int64_t Between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(Next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  double Range(double lo, double hi) { return lo + (hi - lo) * Uniform(); }

 private:
  std::uint64_t state_;
};

std::uint64_t Mix(std::uint64_t seed, std::string_view text, std::uint64_t salt) {
  std::uint64_t hash = 1469598103934665603ULL ^ seed;
  for (char ch : text) hash = (hash ^ static_cast<unsigned char>(ch)) * 1099511628211ULL;
  Rng rng(hash ^ (salt * 0x9E3779B97F4A7C15ULL));
  return rng.Next();
}

struct SimHousehold {
  std::string number;
  DivisionCode village = 0;
  Fen income = 0;  // per-capita net income of the newest panel year ≤ the simulated year
  bool ex_poor = false;
  bool no_labour = false;
  int lead_idx = -1;
};

enum class TaskKind : std::uint8_t {
  kOpen,
  kStep,       // the next step of identification or elimination
  kObjection,  // an objection is raised during the notice
  kResolve,    // the township resolves it
  kClose,      // the notice is closed
  kMeasure,
  kVisit,
  kNatural,  // natural elimination is proposed
};

struct Task {
  std::int64_t at = 0;
  std::uint64_t seq = 0;
  TaskKind kind = TaskKind::kStep;
  std::int64_t slot = 0;    // case slot, or opening index for kOpen
  std::uint64_t token = 0;  // kStep/kClose: the step token it was scheduled with
  bool operator>(const Task& other) const { return at != other.at ? at > other.at : seq > other.seq; }
};

struct Opening {
  size_t household_idx = 0;
  CaseSource source = CaseSource::kSelfApplication;
};

// What will happen to a case (drawn once when it opens or an elimination starts).
struct Plan {
  std::optional<CaseStage> reject_at;
  std::optional<CaseStage> send_back_at;
  std::optional<CaseStage> slow_at;  // one step delayed by days
  int slow_days = 0;
  bool objection = false;
  bool objection_upheld = false;
  bool close_early = false;  // someone tries to close the notice a day early
};

struct SimCase {
  std::int64_t slot = 0;
  size_t household_idx = 0;
  Case c;
  Rng rng;
  Plan plan;
  bool sent_back = false;
  std::uint64_t token = 0;
  // Assistance.
  Fen lift_target = 0;
  std::int64_t ramp_start = 0;
  std::int64_t ramp_end = 0;
  bool safety_net = false;  // elimination refused: no labour, tracked as safety net
  bool natural_planned = false;
};

class Simulator {
 public:
  Simulator(Store& registry, CaseStore& cases, LeadStore& leads, const Policy& policy,
            const SimulationOptions& options)
      : registry_(registry),
        cases_(cases),
        leads_(leads),
        policy_(policy),
        options_(options),
        service_(cases, registry, policy),
        rng_(Mix(options.seed, "zhenxing-simulate", static_cast<std::uint64_t>(options.year))) {}

  Result<SimulationSummary> Run();

 private:
  Status LoadHouseholds();
  Status LoadLeads();
  void PlanOpenings();
  Status Dispatch(const Task& task);

  // Scheduling helpers.
  void Schedule(std::int64_t at, TaskKind kind, std::int64_t slot, std::uint64_t token = 0);
  void ScheduleStep(SimCase& s, std::int64_t at);
  // A working-hours time `days` days after `from` (never before `from`).
  std::int64_t WorkTime(Rng& rng, std::int64_t from, double days);

  Actor VillageActor(DivisionCode village) const;
  Actor TownshipActor(DivisionCode village) const;
  Actor CountyActor(DivisionCode village) const;

  // Act and keep the case; `expect_refusal` returns the refusal instead of failing.
  Result<bool> Do(SimCase& s, const Actor& actor, ActionInput input, std::int64_t at, bool may_refuse = false,
                  Status* refusal = nullptr);

  Status OpenFor(size_t household_idx, CaseSource source, std::int64_t at);
  Status Step(SimCase& s, std::int64_t at);
  Status IdentificationStep(SimCase& s, std::int64_t at);
  Status EliminationStep(SimCase& s, std::int64_t at);
  Status AfterApproval(SimCase& s, std::int64_t at);
  Status Close(SimCase& s, std::int64_t at);
  Status Objection(SimCase& s, std::int64_t at);
  Status Resolve(SimCase& s, std::int64_t at);
  Status Measure(SimCase& s, std::int64_t at);
  Status Visit(SimCase& s, std::int64_t at);
  Status Natural(SimCase& s, std::int64_t at);
  Status AfterClosed(SimCase& s, std::int64_t at);
  Plan DrawIdentificationPlan(Rng& rng);
  Plan DrawEliminationPlan(Rng& rng);
  Fen IncomeAt(SimCase& s, std::int64_t at);

  Store& registry_;
  CaseStore& cases_;
  LeadStore& leads_;
  const Policy& policy_;
  SimulationOptions options_;
  WorkflowService service_;
  Rng rng_;

  std::vector<SimHousehold> households_;
  std::vector<Lead> lead_rows_;
  std::vector<Opening> openings_;
  std::vector<std::unique_ptr<SimCase>> sim_cases_;
  std::unordered_map<std::string, std::int64_t> closed_cases_;  // household → times a case closed
  std::priority_queue<Task, std::vector<Task>, std::greater<Task>> agenda_;
  std::uint64_t next_seq_ = 0;
  std::int64_t start_ = 0;
  std::int64_t end_ = 0;
  Fen line_ = 0;
  SimulationSummary summary_;
};

std::int64_t Simulator::WorkTime(Rng& rng, std::int64_t from, double days) {
  const std::int64_t whole_days = static_cast<std::int64_t>(days);
  const Date day = Date::FromDays(DateOfTime(from).ToDays() + whole_days);
  std::int64_t at = StartOfDate(day) + 9 * kHour + rng.Between(0, 8 * kHour + 59 * 60);
  if (at <= from) at = from + rng.Between(kHour / 2, 3 * kHour);
  return at;
}

void Simulator::Schedule(std::int64_t at, TaskKind kind, std::int64_t slot, std::uint64_t token) {
  if (at > end_) return;  // beyond the simulated period
  agenda_.push(Task{at, next_seq_++, kind, slot, token});
}

void Simulator::ScheduleStep(SimCase& s, std::int64_t at) {
  ++s.token;
  Schedule(at, TaskKind::kStep, s.slot, s.token);
}

Actor Simulator::VillageActor(DivisionCode village) const {
  return Actor{fmt::format("sim-village-{}", village), Role::kVillage, village, DivisionLevel::kVillage};
}
Actor Simulator::TownshipActor(DivisionCode village) const {
  const DivisionCode township = village / 1000 * 1000;
  return Actor{fmt::format("sim-township-{}", township), Role::kTownship, township, DivisionLevel::kTownship};
}
Actor Simulator::CountyActor(DivisionCode village) const {
  const DivisionCode county = village / 1000000 * 1000000;
  return Actor{fmt::format("sim-county-{}", county), Role::kCounty, county, DivisionLevel::kCounty};
}

Plan Simulator::DrawIdentificationPlan(Rng& rng) {
  Plan plan;
  const double r = rng.Uniform();
  if (r < 0.03) {
    plan.reject_at = CaseStage::kVerification;
  } else if (r < 0.06) {
    plan.reject_at = CaseStage::kComparison;
  } else if (r < 0.08) {
    plan.reject_at = CaseStage::kAppraisal;
  } else if (r < 0.09) {
    plan.reject_at = CaseStage::kTownshipReview;
  } else if (r < 0.10) {
    plan.reject_at = CaseStage::kCountyApproval;
  }
  if (rng.Chance(0.06)) {
    static constexpr CaseStage kBack[] = {CaseStage::kComparison, CaseStage::kTownshipReview,
                                          CaseStage::kCountyApproval};
    plan.send_back_at = kBack[rng.Between(0, 2)];
  }
  if (rng.Chance(0.05)) {
    static constexpr CaseStage kSlow[] = {CaseStage::kVerification, CaseStage::kComparison,
                                          CaseStage::kAppraisal, CaseStage::kTownshipReview,
                                          CaseStage::kCountyApproval};
    plan.slow_at = kSlow[rng.Between(0, 4)];
    plan.slow_days = static_cast<int>(rng.Between(4, 12));
  }
  plan.objection = rng.Chance(0.06);
  plan.objection_upheld = plan.objection && rng.Chance(0.2);
  plan.close_early = rng.Chance(0.02);
  return plan;
}

Plan Simulator::DrawEliminationPlan(Rng& rng) {
  Plan plan;
  if (rng.Chance(0.04)) {
    static constexpr CaseStage kReject[] = {CaseStage::kEliminationAppraisal,
                                            CaseStage::kEliminationTownshipReview,
                                            CaseStage::kEliminationApproval};
    plan.reject_at = kReject[rng.Between(0, 2)];
  }
  if (rng.Chance(0.03)) {
    plan.send_back_at =
        rng.Chance(0.5) ? CaseStage::kEliminationTownshipReview : CaseStage::kEliminationApproval;
  }
  plan.objection = rng.Chance(0.03);
  plan.objection_upheld = plan.objection && rng.Chance(0.25);
  plan.close_early = rng.Chance(0.02);
  return plan;
}

Result<bool> Simulator::Do(SimCase& s, const Actor& actor, ActionInput input, std::int64_t at,
                           bool may_refuse, Status* refusal) {
  input.expected_version = s.c.version;
  Result<Case> result = service_.Act(actor, s.c.id, input, at);
  if (result.ok()) {
    s.c = std::move(result).value();
    ++summary_.events;
    return true;
  }
  if (may_refuse && result.status().code() == StatusCode::kFailedPrecondition) {
    ++summary_.refused;
    if (refusal != nullptr) *refusal = result.status();
    return false;
  }
  return Internal(fmt::format("模拟：{} 以{}身份对案件 {}（{}）办理「{}」被拒绝：{}", actor.username,
                              RoleLabel(actor.role), s.c.id, CaseStageLabel(s.c.stage),
                              CaseActionLabel(input.action), result.status().ToString()));
}

Status Simulator::LoadHouseholds() {
  std::unordered_map<std::string, int> lead_of;
  for (size_t lead_idx = 0; lead_idx < lead_rows_.size(); ++lead_idx) {
    lead_of.emplace(lead_rows_[lead_idx].household_number, static_cast<int>(lead_idx));
  }
  return registry_.ScanHouseholds(options_.scope, [&](const HouseholdRecord& record) {
    SimHousehold household;
    household.number = record.household.household_number;
    household.village = record.household.village_code;
    household.ex_poor = record.household.ex_poor;
    household.no_labour = IsAllNoLabour(record);
    for (auto year = record.years.rbegin(); year != record.years.rend(); ++year) {
      if (year->year > options_.year) continue;
      Fen income = 0;
      if (record.PerCapitaNetIncome(year->year, &income)) {
        household.income = std::max<Fen>(income, 0);
        break;
      }
    }
    auto lead = lead_of.find(household.number);
    if (lead != lead_of.end()) household.lead_idx = lead->second;
    households_.push_back(std::move(household));
    return Status::Ok();
  });
}

Status Simulator::LoadLeads() {
  ASSIGN_OR_RETURN(std::vector<ScreeningRun> runs, leads_.ListRuns(options_.scope, 1000));
  for (const ScreeningRun& run : runs) {
    if (run.year <= options_.year) summary_.lead_year = std::max(summary_.lead_year, run.year);
  }
  if (summary_.lead_year == 0) return Status::Ok();
  return leads_.ScanLeads(options_.scope, summary_.lead_year, [&](const Lead& lead) {
    lead_rows_.push_back(lead);
    return Status::Ok();
  });
}

void Simulator::PlanOpenings() {
  const Date first{options_.year, 1, 1};
  const int days_in_year = IsLeapYear(options_.year) ? 366 : 365;
  auto open_at = [&](size_t household_idx, CaseSource source) {
    const std::int64_t day = rng_.Between(0, days_in_year - 1);
    const std::int64_t at =
        StartOfDate(Date::FromDays(first.ToDays() + day)) + 9 * kHour + rng_.Between(0, 8 * kHour);
    openings_.push_back(Opening{household_idx, source});
    Schedule(at, TaskKind::kOpen, static_cast<std::int64_t>(openings_.size() - 1));
  };
  for (size_t household_idx = 0; household_idx < households_.size(); ++household_idx) {
    if (households_[household_idx].lead_idx >= 0) open_at(household_idx, CaseSource::kRuleAlert);
  }
  if (households_.empty()) return;
  // Clues from people and cadres, mostly for households near the line.
  auto draw = [&](double rate, CaseSource source) {
    const auto count = static_cast<std::int64_t>(static_cast<double>(households_.size()) * rate + 0.5);
    for (std::int64_t drawn = 0, tries = 0; drawn < count && tries < count * 50; ++tries) {
      const size_t household_idx =
          static_cast<size_t>(rng_.Between(0, static_cast<std::int64_t>(households_.size()) - 1));
      const SimHousehold& household = households_[household_idx];
      if (household.lead_idx >= 0) continue;
      const bool near_line = household.income < line_ + line_ / 2;
      if (!near_line && !rng_.Chance(0.1)) continue;
      open_at(household_idx, source);
      ++drawn;
    }
  };
  draw(0.004, CaseSource::kSelfApplication);
  draw(0.002, CaseSource::kCadreVisit);
  draw(0.0008, CaseSource::kDepartmentAlert);
}

Status Simulator::OpenFor(size_t household_idx, CaseSource source, std::int64_t at) {
  const SimHousehold& household = households_[household_idx];
  const bool from_county = source == CaseSource::kRuleAlert || source == CaseSource::kDepartmentAlert;
  const Actor actor = from_county ? CountyActor(household.village) : VillageActor(household.village);
  std::string detail;
  if (household.lead_idx >= 0 && source == CaseSource::kRuleAlert) {
    const Lead& lead = lead_rows_[static_cast<size_t>(household.lead_idx)];
    std::string risks;
    for (const std::string& code : lead.risk_codes) risks += (risks.empty() ? "" : ";") + code;
    detail = fmt::format("{} 年筛查预警：{} {}，风险 {}", summary_.lead_year, lead.monitoring_type,
                         policy_.monitoring_types.NameOf(lead.monitoring_type), risks);
  } else if (source == CaseSource::kDepartmentAlert) {
    detail = "医保部门推送：年度医疗自付费用较高";
  } else if (source == CaseSource::kSelfApplication) {
    detail = "农户到村委会提交书面申请（按手印）";
  } else {
    detail = "驻村干部走访排查发现";
  }
  Result<Case> opened = service_.OpenCase(actor, household.number, source, detail, at);
  if (!opened.ok()) {
    if (opened.status().code() == StatusCode::kAlreadyExists) {
      ++summary_.skipped;
      return Status::Ok();
    }
    return opened.status();
  }
  ++summary_.events;
  ++summary_.opened;
  auto closed = closed_cases_.find(household.number);
  const std::uint64_t round = closed == closed_cases_.end() ? 0 : static_cast<std::uint64_t>(closed->second);
  if (round > 0) ++summary_.reentries;
  auto sim = std::make_unique<SimCase>();
  sim->slot = static_cast<std::int64_t>(sim_cases_.size());
  sim->household_idx = household_idx;
  sim->c = std::move(opened).value();
  sim->rng = Rng(Mix(options_.seed, household.number, round + 1));
  sim->plan = DrawIdentificationPlan(sim->rng);
  SimCase& s = *sim;
  sim_cases_.push_back(std::move(sim));
  ScheduleStep(s, WorkTime(s.rng, at, static_cast<double>(s.rng.Between(0, 2))));
  return Status::Ok();
}

Status Simulator::Step(SimCase& s, std::int64_t at) {
  if (!s.c.IsOpen()) return Status::Ok();
  if (IsIdentificationStage(s.c.stage)) return IdentificationStep(s, at);
  if (IsEliminationStage(s.c.stage)) return EliminationStep(s, at);
  return Status::Ok();
}

Status Simulator::IdentificationStep(SimCase& s, std::int64_t at) {
  const SimHousehold& household = households_[s.household_idx];
  const CaseStage stage = s.c.stage;
  const bool reject = s.plan.reject_at && *s.plan.reject_at == stage;
  const bool send_back = !s.sent_back && s.plan.send_back_at && *s.plan.send_back_at == stage;
  auto next_delay = [&](CaseStage next) {
    double days = static_cast<double>(s.rng.Between(0, 2));
    if (s.plan.slow_at && *s.plan.slow_at == next) days += s.plan.slow_days;
    return days;
  };
  ActionInput input;
  const Actor village = VillageActor(household.village);
  const Actor township = TownshipActor(household.village);
  const Actor county = CountyActor(household.village);
  const Actor* actor = &village;
  switch (stage) {
    case CaseStage::kVerification:
      if (reject) {
        input.action = CaseAction::kReject;
        input.reason = "入户核实：家庭实际收入明显高于监测范围，不符合纳入条件";
      } else {
        input.action = CaseAction::kVerify;
        input.authorization_signed = true;
        input.note = "已入户核实家庭人口、收入和两不愁三保障情况，农户已签署授权书";
      }
      break;
    case CaseStage::kComparison:
      actor = &county;
      if (reject) {
        input.action = CaseAction::kReject;
        input.reason = "信息比对：家庭成员名下有商品房和小汽车，不符合纳入条件";
      } else if (send_back) {
        input.action = CaseAction::kSendBack;
        input.reason = "信息比对：授权书缺少一名家庭成员签字，退回补充核实";
      } else {
        input.action = CaseAction::kCompare;
        input.note = "部门数据比对：未发现财产、工商、车辆和财政供养异常";
      }
      break;
    case CaseStage::kAppraisal:
      if (reject) {
        input.action = CaseAction::kReject;
        input.reason = "民主评议：多数村民代表认为不符合纳入条件";
      } else {
        input.action = CaseAction::kAppraise;
        input.appraisal_for = static_cast<int>(s.rng.Between(12, 35));
        input.appraisal_against = static_cast<int>(s.rng.Between(0, 3));
        input.notice_days = s.rng.Chance(0.85) ? kMinNoticeDays : 7;
      }
      break;
    case CaseStage::kTownshipReview:
      actor = &township;
      if (reject) {
        input.action = CaseAction::kReject;
        input.reason = "乡镇审核：收入核算有误，实际人均纯收入高于监测范围";
      } else if (send_back) {
        input.action = CaseAction::kSendBack;
        input.reason = "乡镇审核：民主评议记录不完整，退回重新评议";
      } else {
        input.action = CaseAction::kReview;
        input.note = "乡镇审核通过";
      }
      break;
    case CaseStage::kCountyApproval:
      actor = &county;
      if (reject) {
        input.action = CaseAction::kReject;
        input.reason = "县级审定：家庭有稳定工资性收入，风险可控，不予纳入";
      } else if (send_back) {
        input.action = CaseAction::kSendBack;
        input.reason = "县级审定：请乡镇补充收入核算说明";
      } else {
        input.action = CaseAction::kApprove;
        input.note = "县级审定同意纳入监测";
        if (household.lead_idx >= 0) {
          const Lead& lead = lead_rows_[static_cast<size_t>(household.lead_idx)];
          input.monitoring_type = lead.monitoring_type;
          input.risk_codes.assign(lead.risk_codes.begin(),
                                  lead.risk_codes.begin() + std::min<size_t>(lead.risk_codes.size(), 5));
        }
        if (!policy_.monitoring_types.Contains(input.monitoring_type)) {
          input.monitoring_type = household.ex_poor   ? "100A03001"
                                  : s.rng.Chance(0.2) ? "100A03003"
                                                      : "100A03002";
        }
        if (input.risk_codes.empty()) {
          static constexpr const char* kRisks[] = {"01", "07", "04", "03", "0205", "05", "09", "06"};
          input.risk_codes.push_back(kRisks[s.rng.Between(0, 7)]);
          if (s.rng.Chance(0.3)) {
            const char* second = kRisks[s.rng.Between(0, 7)];
            if (input.risk_codes.front() != second) input.risk_codes.push_back(second);
          }
        }
        for (const std::string& code : input.risk_codes) {
          if (!policy_.risk_types.Contains(code)) {
            input.risk_codes = {"99"};
            break;
          }
        }
      }
      break;
    default:
      return Status::Ok();
  }
  ASSIGN_OR_RETURN(bool done, Do(s, *actor, input, at));
  (void)done;
  if (input.action == CaseAction::kSendBack) s.sent_back = true;
  if (!s.c.IsOpen()) return AfterClosed(s, at);
  if (s.c.stage == CaseStage::kMonitored) return AfterApproval(s, at);
  if (s.c.stage == CaseStage::kNotice) {
    ++s.token;
    if (s.plan.objection) {
      const std::int64_t when = WorkTime(s.rng, at, static_cast<double>(s.rng.Between(1, 3)));
      Schedule(std::min(when, s.c.notice_ends_at - kHour), TaskKind::kObjection, s.slot, s.token);
    } else {
      const std::int64_t when = s.plan.close_early
                                    ? s.c.notice_ends_at - kDay + s.rng.Between(0, 6 * kHour)
                                    : WorkTime(s.rng, s.c.notice_ends_at, s.rng.Chance(0.6) ? 0 : 1);
      Schedule(when, TaskKind::kClose, s.slot, s.token);
    }
    return Status::Ok();
  }
  ScheduleStep(s, WorkTime(s.rng, at, next_delay(s.c.stage)));
  return Status::Ok();
}

Status Simulator::EliminationStep(SimCase& s, std::int64_t at) {
  const SimHousehold& household = households_[s.household_idx];
  const CaseStage stage = s.c.stage;
  const bool reject = s.plan.reject_at && *s.plan.reject_at == stage;
  const bool send_back = !s.sent_back && s.plan.send_back_at && *s.plan.send_back_at == stage;
  ActionInput input;
  const Actor village = VillageActor(household.village);
  const Actor township = TownshipActor(household.village);
  const Actor county = CountyActor(household.village);
  const Actor* actor = &village;
  switch (stage) {
    case CaseStage::kEliminationAppraisal:
      if (reject) {
        input.action = CaseAction::kReject;
        input.reason = "民主评议：收入来源尚不稳定，暂缓风险消除";
      } else {
        input.action = CaseAction::kAppraise;
        input.appraisal_for = static_cast<int>(s.rng.Between(12, 35));
        input.appraisal_against = static_cast<int>(s.rng.Between(0, 2));
        input.notice_days = s.rng.Chance(0.85) ? kMinNoticeDays : 7;
      }
      break;
    case CaseStage::kEliminationTownshipReview:
      actor = &township;
      if (reject) {
        input.action = CaseAction::kReject;
        input.reason = "乡镇审核：帮扶措施尚未见效，继续监测帮扶";
      } else if (send_back) {
        input.action = CaseAction::kSendBack;
        input.reason = "乡镇审核：风险消除评议记录缺少签字，退回重新评议";
      } else {
        input.action = CaseAction::kReview;
        input.note = "乡镇审核同意风险消除";
      }
      break;
    case CaseStage::kEliminationApproval:
      actor = &county;
      if (reject) {
        input.action = CaseAction::kReject;
        input.reason = "县级审定：收入稳定性不足，继续监测帮扶";
      } else if (send_back) {
        input.action = CaseAction::kSendBack;
        input.reason = "县级审定：请乡镇补充收入核算材料";
      } else {
        input.action = CaseAction::kApprove;
        input.note = "县级审定同意风险消除";
      }
      break;
    default:
      return Status::Ok();
  }
  Status refusal;
  ASSIGN_OR_RETURN(bool done, Do(s, *actor, input, at, input.action == CaseAction::kApprove, &refusal));
  if (!done) {
    // The preconditions no longer hold at approval: the county refuses.
    ActionInput refuse;
    refuse.action = CaseAction::kReject;
    refuse.reason = "县级审定复核：" + refusal.message();
    ASSIGN_OR_RETURN(bool refused, Do(s, county, refuse, at + 60));
    (void)refused;
    return Status::Ok();
  }
  if (input.action == CaseAction::kSendBack) s.sent_back = true;
  if (!s.c.IsOpen()) return AfterClosed(s, at);
  if (s.c.stage == CaseStage::kEliminationNotice) {
    ++s.token;
    if (s.plan.objection) {
      const std::int64_t when = WorkTime(s.rng, at, static_cast<double>(s.rng.Between(1, 3)));
      Schedule(std::min(when, s.c.notice_ends_at - kHour), TaskKind::kObjection, s.slot, s.token);
    } else {
      const std::int64_t when = s.plan.close_early
                                    ? s.c.notice_ends_at - kDay + s.rng.Between(0, 6 * kHour)
                                    : WorkTime(s.rng, s.c.notice_ends_at, s.rng.Chance(0.6) ? 0 : 1);
      Schedule(when, TaskKind::kClose, s.slot, s.token);
    }
    return Status::Ok();
  }
  if (IsEliminationStage(s.c.stage)) {
    ScheduleStep(s, WorkTime(s.rng, at, static_cast<double>(s.rng.Between(1, 5))));
  }
  return Status::Ok();
}

Status Simulator::Close(SimCase& s, std::int64_t at) {
  if (s.c.stage != CaseStage::kNotice && s.c.stage != CaseStage::kEliminationNotice) return Status::Ok();
  const SimHousehold& household = households_[s.household_idx];
  ActionInput input;
  input.action = CaseAction::kCloseNotice;
  const Actor actor = s.rng.Chance(0.8) ? VillageActor(household.village) : TownshipActor(household.village);
  ASSIGN_OR_RETURN(bool done, Do(s, actor, input, at, /*may_refuse=*/s.plan.close_early));
  if (!done) {
    s.plan.close_early = false;  // told the notice is not over: close it when it is
    ++s.token;
    Schedule(WorkTime(s.rng, s.c.notice_ends_at, 0), TaskKind::kClose, s.slot, s.token);
    return Status::Ok();
  }
  const bool elimination = s.c.stage == CaseStage::kEliminationTownshipReview;
  ScheduleStep(
      s, WorkTime(s.rng, at, static_cast<double>(elimination ? s.rng.Between(1, 4) : s.rng.Between(0, 2))));
  return Status::Ok();
}

Status Simulator::Objection(SimCase& s, std::int64_t at) {
  if (s.c.stage != CaseStage::kNotice && s.c.stage != CaseStage::kEliminationNotice) return Status::Ok();
  static constexpr const char* kSummaries[] = {
      "村民反映该户家庭收入情况与申报不符", "村民反映该户在县城经营商铺", "村民反映该户子女在外务工收入较高"};
  ActionInput input;
  input.action = CaseAction::kRaiseObjection;
  input.reason = kSummaries[s.rng.Between(0, 2)];
  ASSIGN_OR_RETURN(bool done, Do(s, VillageActor(households_[s.household_idx].village), input, at));
  (void)done;
  ++summary_.objections;
  ++s.token;
  Schedule(WorkTime(s.rng, at, static_cast<double>(s.rng.Between(1, 2))), TaskKind::kResolve, s.slot,
           s.token);
  return Status::Ok();
}

Status Simulator::Resolve(SimCase& s, std::int64_t at) {
  std::int64_t objection_id = 0;
  for (const CaseObjection& objection : s.c.objections) {
    if (!objection.resolved) objection_id = objection.id;
  }
  if (objection_id == 0) return Status::Ok();
  ActionInput input;
  input.action = CaseAction::kResolveObjection;
  input.objection_id = objection_id;
  input.upheld = s.plan.objection_upheld;
  input.reason = input.upheld ? "经乡镇入户调查，异议属实" : "经乡镇入户调查，异议不属实，维持评议结果";
  ASSIGN_OR_RETURN(bool done, Do(s, TownshipActor(households_[s.household_idx].village), input, at));
  (void)done;
  if (!s.c.IsOpen()) return AfterClosed(s, at);
  if (s.c.stage == CaseStage::kNotice || s.c.stage == CaseStage::kEliminationNotice) {
    ++s.token;
    Schedule(WorkTime(s.rng, std::max(at, s.c.notice_ends_at), s.rng.Chance(0.6) ? 0 : 1), TaskKind::kClose,
             s.slot, s.token);
  }
  return Status::Ok();
}

Status Simulator::AfterApproval(SimCase& s, std::int64_t at) {
  const int measures = static_cast<int>(s.rng.Between(1, 3));
  for (int measure_idx = 0; measure_idx < measures; ++measure_idx) {
    Schedule(WorkTime(s.rng, at, static_cast<double>(s.rng.Between(2, 25))), TaskKind::kMeasure, s.slot);
  }
  const SimHousehold& household = households_[s.household_idx];
  s.ramp_start = at + s.rng.Between(30, 60) * kDay;
  s.ramp_end = s.ramp_start + s.rng.Between(60, 150) * kDay;
  if (s.rng.Chance(0.8)) {
    s.lift_target =
        static_cast<Fen>(static_cast<double>(std::max(line_, household.income)) * s.rng.Range(1.05, 1.5));
  } else {
    s.lift_target = static_cast<Fen>(static_cast<double>(household.income) * s.rng.Range(0.9, 1.1));
  }
  Schedule(WorkTime(s.rng, at, static_cast<double>(s.rng.Between(20, 35))), TaskKind::kVisit, s.slot);
  if (!s.natural_planned && s.rng.Chance(0.04)) {
    s.natural_planned = true;
    Schedule(WorkTime(s.rng, at, static_cast<double>(s.rng.Between(30, 240))), TaskKind::kNatural, s.slot);
  }
  return Status::Ok();
}

Fen Simulator::IncomeAt(SimCase& s, std::int64_t at) {
  const SimHousehold& household = households_[s.household_idx];
  const double years = static_cast<double>(at - start_) / (365.0 * kDay);
  const double base = static_cast<double>(household.income) * (1.0 + 0.06 * std::max(years, 0.0));
  double value = base;
  if (at >= s.ramp_end) {
    value = static_cast<double>(s.lift_target);
  } else if (at > s.ramp_start) {
    const double share =
        static_cast<double>(at - s.ramp_start) / static_cast<double>(s.ramp_end - s.ramp_start);
    value = base + (static_cast<double>(s.lift_target) - base) * share;
  }
  value *= s.rng.Range(0.97, 1.03);
  return std::max<Fen>(static_cast<Fen>(value) / 100 * 100, 0);
}

Status Simulator::Measure(SimCase& s, std::int64_t at) {
  if (!s.c.IsOpen() || s.c.stage == CaseStage::kRejected || IsIdentificationStage(s.c.stage))
    return Status::Ok();
  struct Category {
    const char* code;
    const char* what;
    std::int64_t min_yuan;
    std::int64_t max_yuan;
    bool open_ended;
  };
  static constexpr Category kCategories[] = {
      {"100A39", "发放产业发展补助（牛羊养殖）", 3000, 10000, false},
      {"100A40", "推荐到县城工业园区稳定就业", 0, 2000, false},
      {"100A41", "发放脱贫人口小额信贷", 30000, 50000, false},
      {"100A42", "安排生态管护公益岗位", 6000, 12000, false},
      {"100A45", "落实医疗保障和大病救助", 1000, 8000, false},
      {"100A46", "落实义务教育阶段资助", 1000, 3000, false},
      {"100A48", "纳入低保兜底保障", 3000, 8000, true},
      {"100A50", "实施农村危房改造", 20000, 50000, false},
      {"100A51", "实施饮水安全巩固提升", 1000, 5000, false},
      {"100A52", "对口帮扶单位结对帮扶", 500, 3000, false},
  };
  size_t category_idx = static_cast<size_t>(s.rng.Between(0, 9));
  const std::string& risk = s.c.risk_codes.empty() ? std::string() : s.c.risk_codes.front();
  if (s.c.measures.empty() && s.rng.Chance(0.7)) {
    if (risk == "01") category_idx = 4;
    if (risk == "07") category_idx = s.rng.Chance(0.5) ? 1 : 3;
    if (risk == "03" || risk == "04") category_idx = 6;
    if (risk.starts_with("02") || risk == "06") category_idx = 0;
    if (risk == "08") category_idx = s.rng.Chance(0.5) ? 7 : 8;
    if (risk == "09") category_idx = 5;
  }
  const Category& category = kCategories[category_idx];
  if (!policy_.measures.Contains(category.code)) return Status::Ok();
  const SimHousehold& household = households_[s.household_idx];
  CaseMeasure measure;
  measure.category_code = category.code;
  measure.description = category.what;
  measure.responsible_cadre = fmt::format("帮扶干部{:03d}-{}", household.village % 1000, s.rng.Between(1, 4));
  measure.amount = Yuan(s.rng.Between(category.min_yuan, category.max_yuan) / 100 * 100);
  measure.start_date = DateOfTime(at);
  if (!category.open_ended) measure.end_date = AddMonths(measure.start_date, 12);
  ActionInput input;
  input.action = CaseAction::kAddMeasure;
  input.measure = measure;
  const Actor actor = s.rng.Chance(0.7) ? CountyActor(household.village) : TownshipActor(household.village);
  ASSIGN_OR_RETURN(bool done, Do(s, actor, input, at));
  (void)done;
  ++summary_.measures;
  return Status::Ok();
}

Status Simulator::Visit(SimCase& s, std::int64_t at) {
  if (!s.c.IsOpen() || IsIdentificationStage(s.c.stage)) return Status::Ok();
  const SimHousehold& household = households_[s.household_idx];
  const Actor village = VillageActor(household.village);
  CaseVisit visit;
  visit.visit_date = DateOfTime(at);
  visit.per_capita_income = IncomeAt(s, at);
  visit.guarantees_secured = s.rng.Chance(0.95);
  visit.note = visit.guarantees_secured ? "入户回访：吃穿不愁，住房、饮水、就医、上学有保障"
                                        : "入户回访：饮水设施损坏，待修复";
  ActionInput input;
  input.action = CaseAction::kRecordVisit;
  input.visit = visit;
  ASSIGN_OR_RETURN(bool done, Do(s, village, input, at));
  (void)done;
  ++summary_.visits;
  Schedule(WorkTime(s.rng, at, static_cast<double>(s.rng.Between(25, 40))), TaskKind::kVisit, s.slot);

  if (s.c.stage != CaseStage::kMonitored || s.safety_net) return Status::Ok();
  if (DateOfTime(at) < AddMonths(DateOfTime(s.c.monitored_since), 6) || !s.rng.Chance(0.85))
    return Status::Ok();
  ASSIGN_OR_RETURN(std::vector<PreconditionCheck> checks,
                   service_.EliminationPreconditions(s.c, EliminationKind::kAssisted, at));
  bool only_labour = false;
  for (const PreconditionCheck& check : checks) {
    if (check.met) continue;
    only_labour = check.code == kHasLabour;
    if (!only_labour) break;
  }
  if (!AllMet(checks) && !only_labour) return Status::Ok();
  ActionInput propose;
  propose.action = CaseAction::kProposeElimination;
  propose.elimination_kind = EliminationKind::kAssisted;
  propose.reason = "家庭人均纯收入稳定高于监测范围满6个月，三保障及饮水安全有保障，经帮扶风险已消除";
  const std::int64_t when = at + s.rng.Between(kHour, 4 * kHour);
  ASSIGN_OR_RETURN(bool proposed, Do(s, village, propose, when, /*may_refuse=*/only_labour));
  if (!proposed) {
    ++summary_.refused_no_labour;
    s.safety_net = true;  // kept under safety-net tracking
    return Status::Ok();
  }
  s.sent_back = false;
  s.plan = DrawEliminationPlan(s.rng);
  ScheduleStep(s, WorkTime(s.rng, when, static_cast<double>(s.rng.Between(1, 5))));
  return Status::Ok();
}

Status Simulator::Natural(SimCase& s, std::int64_t at) {
  if (s.c.stage != CaseStage::kMonitored) {
    if (s.c.IsOpen()) Schedule(WorkTime(s.rng, at, 30), TaskKind::kNatural, s.slot);
    return Status::Ok();
  }
  ActionInput input;
  input.action = CaseAction::kProposeElimination;
  input.elimination_kind = EliminationKind::kNatural;
  input.reason = s.rng.Chance(0.6) ? "户内成员均已去世，户籍已注销" : "全户迁出本省，户籍已迁出";
  ASSIGN_OR_RETURN(bool done, Do(s, VillageActor(households_[s.household_idx].village), input, at));
  (void)done;
  s.sent_back = false;
  s.plan = DrawEliminationPlan(s.rng);
  s.plan.reject_at.reset();
  ScheduleStep(s, WorkTime(s.rng, at, static_cast<double>(s.rng.Between(1, 5))));
  return Status::Ok();
}

Status Simulator::AfterClosed(SimCase& s, std::int64_t at) {
  const SimHousehold& household = households_[s.household_idx];
  ++closed_cases_[household.number];
  const bool eliminated = s.c.stage == CaseStage::kEliminated;
  if (s.rng.Chance(eliminated ? 0.05 : 0.03)) {
    openings_.push_back(
        Opening{s.household_idx, eliminated ? CaseSource::kCadreVisit : CaseSource::kSelfApplication});
    Schedule(WorkTime(s.rng, at,
                      static_cast<double>(eliminated ? s.rng.Between(30, 120) : s.rng.Between(60, 150))),
             TaskKind::kOpen, static_cast<std::int64_t>(openings_.size() - 1));
  }
  return Status::Ok();
}

Status Simulator::Dispatch(const Task& task) {
  if (task.kind == TaskKind::kOpen) {
    const Opening& opening = openings_[static_cast<size_t>(task.slot)];
    return OpenFor(opening.household_idx, opening.source, task.at);
  }
  SimCase& s = *sim_cases_[static_cast<size_t>(task.slot)];
  switch (task.kind) {
    case TaskKind::kStep:
      return task.token == s.token ? Step(s, task.at) : Status::Ok();
    case TaskKind::kObjection:
      return task.token == s.token ? Objection(s, task.at) : Status::Ok();
    case TaskKind::kResolve:
      return task.token == s.token ? Resolve(s, task.at) : Status::Ok();
    case TaskKind::kClose:
      return task.token == s.token ? Close(s, task.at) : Status::Ok();
    case TaskKind::kMeasure:
      return Measure(s, task.at);
    case TaskKind::kVisit:
      return Visit(s, task.at);
    case TaskKind::kNatural:
      return Natural(s, task.at);
    case TaskKind::kOpen:
      break;
  }
  return Status::Ok();
}

Result<SimulationSummary> Simulator::Run() {
  const auto wall_start = std::chrono::steady_clock::now();
  if (options_.until.year != options_.year) {
    return InvalidArgument(
        fmt::format("--until {} 须在模拟年度 {} 年内", options_.until.ToIso(), options_.year));
  }
  ASSIGN_OR_RETURN(const YearPolicy* line, LineInForce(policy_, options_.year));
  line_ = line->monitoring_line;
  start_ = StartOfDate(Date{options_.year, 1, 1});
  end_ = StartOfDate(Date::FromDays(options_.until.ToDays() + 1)) - 1;
  if (options_.stop_at > 0) end_ = std::min(end_, options_.stop_at);
  if (end_ < start_) return InvalidArgument(fmt::format("模拟截止时间早于 {} 年 1 月 1 日", options_.year));
  summary_.end_time = end_;

  RETURN_IF_ERROR(LoadLeads());
  RETURN_IF_ERROR(LoadHouseholds());
  summary_.households = static_cast<std::int64_t>(households_.size());
  summary_.leads = static_cast<std::int64_t>(lead_rows_.size());
  PlanOpenings();

  const std::int64_t total_days = options_.until.ToDays() - Date{options_.year, 1, 1}.ToDays() + 1;
  ProgressBar bar("模拟办理（天）", total_days);
  if (!options_.progress) bar.SetEnabledForTesting(false);
  while (!agenda_.empty()) {
    const Task task = agenda_.top();
    agenda_.pop();
    if (task.at > end_) break;
    bar.Set((task.at - start_) / kDay);
    RETURN_IF_ERROR(Dispatch(task));
  }
  bar.Set(total_days);
  bar.Finish();

  RETURN_IF_ERROR(cases_.ScanCases(options_.scope, [&](const Case& c) {
    ++summary_.by_stage[c.stage];
    if (c.decided_at > 0 && (c.monitored_since == c.decided_at || c.stage == CaseStage::kRejected)) {
      ++summary_.decided;
      if (c.decided_at - c.opened_at <= kIdentificationDays * kDay) ++summary_.decided_within_limit;
    }
    return Status::Ok();
  }));
  ASSIGN_OR_RETURN(std::vector<OverdueCounty> overdue, service_.Overdue(options_.scope, end_));
  for (const OverdueCounty& county : overdue) summary_.overdue += county.overdue;
  summary_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return summary_;
}

}  // namespace

Result<SimulationSummary> Simulate(Store& registry, CaseStore& cases, LeadStore& leads, const Policy& policy,
                                   const SimulationOptions& options) {
  Simulator simulator(registry, cases, leads, policy, options);
  return simulator.Run();
}

}  // namespace zx::workflow
