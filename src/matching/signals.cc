#include "matching/signals.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

#include "domain/resident_id.h"
#include "rules/columns.h"
#include "rules/policy_context.h"
#include "rules/rule_set.h"

namespace zx::matching {
namespace {

constexpr std::string_view kMedicalOutOfPocketKind = "medical_out_of_pocket";
constexpr std::string_view kHospitalStayKind = "hospital_stay";
constexpr std::string_view kSchoolingCostKind = "schooling_cost";
// Registries from this many persons on evaluate the rules on two threads.
constexpr std::size_t kParallelPersons = 1 << 16;

}  // namespace

std::string DefaultSignalRulesPath() { return std::string(ZX_DATA_DIR) + "/rules/signals.rules"; }

SignalAccumulator::SignalAccumulator(const FeedProfile& profile, const Policy& policy,
                                     const PersonIndex& index)
    : profile_(profile),
      policy_(policy),
      index_(index),
      rules_path_(DefaultSignalRulesPath()),
      aggregates_(KindApplies(kMedicalOutOfPocketKind) || KindApplies(kHospitalStayKind) ||
                  KindApplies(kSchoolingCostKind)) {}

void SignalAccumulator::SetSignalRulesPath(std::string path) {
  rules_path_ = std::move(path);
  rules_text_.reset();
}

void SignalAccumulator::SetSignalRulesText(std::string text, std::string origin) {
  rules_text_ = std::move(text);
  rules_origin_ = std::move(origin);
}

bool SignalAccumulator::KindApplies(std::string_view kind) const {
  if (kind == kMedicalOutOfPocketKind || kind == kHospitalStayKind) {
    return profile_.signal == SignalKind::kMedicalOutOfPocket;
  }
  if (kind == kSchoolingCostKind) return profile_.kind == "education";
  return false;
}

FeedFinding SignalAccumulator::MakeFinding(const std::string& kind, std::int32_t person, Fen value,
                                           Fen threshold, std::string detail, std::int64_t row) const {
  FeedFinding finding;
  finding.kind = kind;
  finding.id_number = IdOfKey(index_.person(person).id_key);
  finding.household_number = index_.household_of(person).number;
  finding.village_code = index_.household_of(person).village_code;
  finding.value = value;
  finding.threshold = threshold;
  finding.detail = std::move(detail);
  finding.row = row;
  return finding;
}

std::uint64_t SignalAccumulator::Findings::Key(const std::string& kind, std::int32_t person) {
  std::size_t kind_idx = 0;
  while (kind_idx < kinds_.size() && kinds_[kind_idx] != kind) ++kind_idx;
  if (kind_idx == kinds_.size()) kinds_.push_back(kind);
  return (static_cast<std::uint64_t>(kind_idx) << 32) | static_cast<std::uint32_t>(person);
}

void SignalAccumulator::Findings::Put(FeedFinding finding, std::int32_t person) {
  auto [slot, inserted] = slots_.try_emplace(Key(finding.kind, person), items_.size());
  if (inserted) {
    items_.push_back(std::move(finding));
    persons_.push_back(person);
  } else {
    items_[slot->second] = std::move(finding);
  }
}

void SignalAccumulator::Findings::Merge(Findings&& later) {
  for (std::size_t idx = 0; idx < later.items_.size(); ++idx)
    Put(std::move(later.items_[idx]), later.persons_[idx]);
  later.kinds_.clear();
  later.slots_.clear();
  later.items_.clear();
  later.persons_.clear();
}

std::vector<FeedFinding> SignalAccumulator::Findings::Take() {
  kinds_.clear();
  slots_.clear();
  persons_.clear();
  return std::move(items_);
}

void SignalAccumulator::FixAsOf(const Date& as_of) {
  as_of_fixed_ = true;
  fixed_as_of_ = as_of;
  window_end_ = static_cast<std::int32_t>(as_of.ToDays());
  window_start_ = window_end_ - 365;
}

void SignalAccumulator::Add(const SignalRow& row) {
  if (row.person < 0) return;
  if (row.has_event_date) latest_days_ = std::max(latest_days_, row.event_days);
  if (aggregates_) {
    // A few updates of one 40-byte slot per row; the rules run in Finish.
    // The slots are allocated by the first row, on the feeding thread.
    if (totals_.empty()) totals_ = BulkArray<PersonTotals>::Zeroed(index_.size());
    PersonTotals& totals = totals_[row.person];
    const auto row_number = static_cast<std::uint32_t>(row.row);
    ++totals.rows;
    if (row.has_amount) {
      if (Biased(row.amount) >= totals.max_amount) {
        totals.max_amount = Biased(row.amount);
        totals.max_amount_row = row_number;
      }
      if (row.has_event_date) {
        if (!as_of_fixed_) {
          medical_.push_back({row.person, row.event_days, row.amount, row.row});
        } else if (row.event_days > window_start_ && row.event_days <= window_end_) {
          totals.window_sum += row.amount;
          totals.last_window_row = std::max(totals.last_window_row, row_number);
        }
      }
    }
    if (row.has_total_cost && Biased(row.total_cost) >= totals.max_total_cost) {
      totals.max_total_cost = Biased(row.total_cost);
      totals.max_total_cost_row = row_number;
    }
  }
  const std::string& label = profile_.name;
  // Event dates as text, only when a finding needs them.
  auto event_suffix = [&row] {
    return row.has_event_date ? fmt::format("（{}）", Date::FromDays(row.event_days).ToIso()) : std::string();
  };
  switch (profile_.signal) {
    case SignalKind::kMedicalOutOfPocket:
      break;  // threshold rules only (signals.rules)
    case SignalKind::kPerRowAlert:
    case SignalKind::kDangerousHouse:
      if (profile_.CategoryRaisesSignal(row.category)) {
        Put(&alerts_,
            MakeFinding(profile_.alert_kind, row.person, row.has_amount ? row.amount : 0, 0,
                        fmt::format("{}：{}{}", label, row.category, event_suffix()), row.row),
            row.person);
      }
      break;
    case SignalKind::kDeath: {
      const bool death = row.category.find("死亡") != std::string_view::npos;
      Put(&alerts_,
          MakeFinding(death ? "death" : profile_.alert_kind, row.person, 0, 0,
                      fmt::format("{}：{}{}", label, row.category, event_suffix()), row.row),
          row.person);
      if (death && !index_.person(row.person).deceased) {
        Put(&review_items_,
            MakeFinding("deceased_active", row.person, 0, 0,
                        fmt::format("公安记录此人已死亡{}，但登记库中仍为在世成员，请核实后由工作人员更新",
                                    event_suffix()),
                        row.row),
            row.person);
      }
      break;
    }
    case SignalKind::kEligibilityReview:
      if (index_.household_of(row.person).ex_poor && profile_.CategoryRaisesSignal(row.category)) {
        Put(&review_items_,
            MakeFinding(profile_.alert_kind, row.person, row.has_amount ? row.amount : 0, 0,
                        fmt::format("{}：脱贫户成员有登记记录（{}），请核实家庭经济状况，不会自动变更认定",
                                    label, row.category.empty() ? "无类别" : std::string(row.category)),
                        row.row),
            row.person);
      }
      break;
  }
}

void SignalAccumulator::Merge(SignalAccumulator&& later) {
  latest_days_ = std::max(latest_days_, later.latest_days_);
  medical_.insert(medical_.end(), later.medical_.begin(), later.medical_.end());
  if (totals_.empty()) {
    totals_ = std::move(later.totals_);
  } else {
    const std::size_t size = std::min(totals_.size(), later.totals_.size());
    for (std::size_t person_idx = 0; person_idx < size; ++person_idx) {
      const PersonTotals& next = later.totals_[person_idx];
      if (next.rows == 0) continue;
      PersonTotals& totals = totals_[person_idx];
      totals.rows += next.rows;
      totals.window_sum += next.window_sum;
      totals.last_window_row = std::max(totals.last_window_row, next.last_window_row);
      // Later rows win ties, as they do row by row.
      if (next.max_total_cost != 0 && next.max_total_cost >= totals.max_total_cost) {
        totals.max_total_cost = next.max_total_cost;
        totals.max_total_cost_row = next.max_total_cost_row;
      }
      if (next.max_amount != 0 && next.max_amount >= totals.max_amount) {
        totals.max_amount = next.max_amount;
        totals.max_amount_row = next.max_amount_row;
      }
    }
  }
  // The latest row wins: `later` holds the later rows.
  alerts_.Merge(std::move(later.alerts_));
  review_items_.Merge(std::move(later.review_items_));
  later.medical_.clear();
  later.totals_.Release();
}

Status SignalAccumulator::EvaluateRules(const Date& as_of) {
  const std::string origin = rules_text_ ? rules_origin_ : rules_path_;
  // The policy year of the as-of date, or the latest year before it; the
  // education feed's schooling threshold does not depend on the year, so
  // it falls back to the first year of the policy.
  int year = as_of.year;
  while (year > 1999 && policy_.FindYear(year) == nullptr) --year;
  if (policy_.FindYear(year) == nullptr && profile_.signal != SignalKind::kMedicalOutOfPocket &&
      !policy_.years.empty()) {
    year = policy_.years.begin()->first;
  }
  ASSIGN_OR_RETURN(rules::BindContext context,
                   rules::PolicyBindContext(policy_, year, rules::RuleScope::kFeedPerson));
  std::string text;
  if (rules_text_) {
    text = *rules_text_;
  } else {
    std::ifstream in(rules_path_, std::ios::binary);
    if (!in) return Unavailable(fmt::format("无法读取预警规则文件 {}", rules_path_));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
  }
  Result<rules::RuleSet> compiled = rules::CompileRules(text, context);
  if (!compiled.ok()) return compiled.status().WithContext(fmt::format("预警规则文件 {}：", origin));
  const std::vector<rules::CompiledRule>& all = compiled->rules();
  std::vector<bool> selected(all.size(), false);
  bool any = false;
  for (std::size_t rule_idx = 0; rule_idx < all.size(); ++rule_idx) {
    const rules::CompiledRule& rule = all[rule_idx];
    if (rule.kind != kMedicalOutOfPocketKind && rule.kind != kHospitalStayKind &&
        rule.kind != kSchoolingCostKind) {
      return InvalidArgument(fmt::format(
          "预警规则文件 {}：第 {} 行第 {} 列：规则 {} 的 kind {}，预警规则的 kind 只能是 "
          "medical_out_of_pocket、hospital_stay 或 schooling_cost",
          origin, rule.line, rule.column, rule.id,
          rule.kind.empty() ? std::string("缺失") : fmt::format("“{}” 不是已知的预警类型", rule.kind)));
    }
    if (!rule.risk.empty()) {
      return InvalidArgument(
          fmt::format("预警规则文件 {}：第 {} 行第 {} 列：规则 {} 是预警规则，不能带风险类型代码", origin,
                      rule.line, rule.column, rule.id));
    }
    selected[rule_idx] = KindApplies(rule.kind);
    any = any || selected[rule_idx];
  }
  if (!any) return Status::Ok();

  // The 12-month window (start, end] and, without FixAsOf, its sums.
  const auto end = static_cast<std::int32_t>(as_of.ToDays());
  const std::int32_t start = end - 365;
  if (!as_of_fixed_) {
    for (const MedicalEvent& event : medical_) {
      if (event.days <= start || event.days > end) continue;
      PersonTotals& totals = totals_[event.person];
      totals.window_sum += event.amount;
      totals.last_window_row = std::max(totals.last_window_row, static_cast<std::uint32_t>(event.row));
    }
    medical_.clear();
  }
  // The persons with rows, in two halves evaluated on two threads (each
  // its own columns, rule results and findings; Put stays on this thread).
  // Every rule looks at one person, so the halves are independent.
  struct Part {
    Status status;
    std::vector<std::pair<FeedFinding, std::int32_t>> findings;  // per rule, later rules first
  };
  auto evaluate = [&](std::size_t begin, std::size_t end, Part* part) {
    rules::FeedPersonArrays people;
    people.as_of = as_of;
    people.window_start = Date::FromDays(start + 1);
    people.Reserve(end - begin);  // address space; only the pages used are touched
    std::vector<std::int32_t> person_of;
    person_of.reserve(end - begin);
    for (std::size_t person_idx = begin; person_idx < end; ++person_idx) {
      const PersonTotals& totals = totals_[person_idx];
      if (totals.rows == 0) continue;
      const auto person = static_cast<std::int32_t>(person_idx);
      people.out_of_pocket_12m.push_back(totals.window_sum);
      people.max_total_cost.push_back(Unbiased(totals.max_total_cost));
      people.max_amount.push_back(Unbiased(totals.max_amount));
      people.rows.push_back(static_cast<std::int32_t>(totals.rows));
      people.ex_poor.push_back(index_.household_of(person).ex_poor);
      people.deceased.push_back(index_.person(person).deceased);
      person_of.push_back(person);
    }
    if (person_of.empty()) return;
    const rules::ColumnarData data =
        rules::BuildFeedPersonColumns(std::move(people), year, context.reference_date);
    Result<std::vector<std::vector<std::uint8_t>>> fired = rules::EvaluateSelected(*compiled, data, selected);
    if (!fired.ok()) {
      part->status = fired.status();
      return;
    }
    auto constant = [&context](const char* name) { return context.constants.at(name).value; };
    // Later rules first: of several rules of one kind, the first in the
    // file is Put last and wins.
    for (std::size_t rule_idx = all.size(); rule_idx-- > 0;) {
      if (!selected[rule_idx]) continue;
      const rules::CompiledRule& rule = all[rule_idx];
      const std::vector<std::uint8_t>& rule_fired = (*fired)[rule_idx];
      std::vector<std::uint32_t> hits;
      for (std::size_t idx = 0; idx < rule_fired.size(); ++idx) {
        if (rule_fired[idx]) hits.push_back(static_cast<std::uint32_t>(idx));
      }
      if (hits.empty()) continue;
      // The explanations, one placeholder at a time over the persons it fired for.
      rules::FeedPersonArrays fired_people;
      fired_people.as_of = as_of;
      fired_people.window_start = Date::FromDays(start + 1);
      fired_people.Reserve(hits.size());
      std::vector<rules::FeedPersonRow> fired_rows;
      fired_rows.reserve(hits.size());
      for (std::uint32_t idx : hits) {
        fired_rows.push_back(rules::FeedPersonAt(data, idx));
        fired_people.Append(fired_rows.back());
      }
      const rules::ColumnarData fired_data =
          rules::BuildFeedPersonColumns(std::move(fired_people), year, context.reference_date);
      std::vector<std::string> details(hits.size());
      for (std::string& detail : details) detail.reserve(192);
      for (const rules::ExplainSegment& segment : rule.explain) {
        if (!segment.value) {
          for (std::string& detail : details) detail += segment.text;
          continue;
        }
        const std::vector<std::int64_t> values = rules::EvaluateProgram(*segment.value, fired_data);
        for (std::size_t hit_idx = 0; hit_idx < hits.size(); ++hit_idx) {
          details[hit_idx] += rules::FormatValue(segment.value->result_type, values[hit_idx]);
        }
      }
      for (std::size_t hit_idx = 0; hit_idx < hits.size(); ++hit_idx) {
        const rules::FeedPersonRow& row = fired_rows[hit_idx];
        const std::int32_t person = person_of[hits[hit_idx]];
        const PersonTotals& totals = totals_[person];
        Fen value = 0;
        Fen threshold = 0;
        std::int64_t row_number = 0;
        if (rule.kind == kMedicalOutOfPocketKind) {
          value = row.out_of_pocket_12m;
          threshold = constant(row.ex_poor ? "medical_oop_monitored" : "medical_oop_others");
          row_number = totals.last_window_row;
        } else if (rule.kind == kHospitalStayKind) {
          value = row.max_total_cost;
          threshold = constant(row.ex_poor ? "hospital_stay_monitored" : "hospital_stay_others");
          row_number = totals.max_total_cost_row;
        } else {
          value = row.max_amount;
          threshold = constant("schooling_cost");
          row_number = totals.max_amount_row;
        }
        part->findings.emplace_back(
            MakeFinding(rule.kind, person, value, threshold, std::move(details[hit_idx]), row_number),
            person);
      }
    }
  };
  Part parts[2];
  const std::size_t size = totals_.size();
  if (size >= kParallelPersons) {
    const std::size_t half = size / 2;
    std::thread second([&] { evaluate(half, size, &parts[1]); });
    evaluate(0, half, &parts[0]);
    second.join();
  } else {
    evaluate(0, size, &parts[0]);
  }
  for (Part& part : parts) {
    RETURN_IF_ERROR(part.status);
    for (auto& [finding, person] : part.findings) Put(&alerts_, std::move(finding), person);
  }
  return Status::Ok();
}

Result<SignalResult> SignalAccumulator::Finish(const Date* as_of) {
  SignalResult result;
  if (as_of != nullptr) {
    result.as_of = *as_of;
  } else if (as_of_fixed_) {
    result.as_of = fixed_as_of_;
  } else if (latest_days_ != INT32_MIN) {
    result.as_of = Date::FromDays(latest_days_);
  }
  if (as_of_fixed_ && result.as_of != fixed_as_of_) {
    return Internal("预警截止日期与累计时使用的日期不一致");
  }
  if (!totals_.empty()) {
    RETURN_IF_ERROR(EvaluateRules(result.as_of));
    totals_.Release();
  }
  result.alerts = alerts_.Take();
  result.review_items = review_items_.Take();
  for (const FeedFinding& finding : result.alerts) ++result.alerts_by_kind[finding.kind];
  for (const FeedFinding& finding : result.review_items) ++result.review_items_by_kind[finding.kind];
  auto by_row = [](const FeedFinding& a, const FeedFinding& b) {
    return a.row != b.row ? a.row < b.row : a.kind < b.kind;
  };
  std::sort(result.alerts.begin(), result.alerts.end(), by_row);
  std::sort(result.review_items.begin(), result.review_items.end(), by_row);
  return result;
}

}  // namespace zx::matching
