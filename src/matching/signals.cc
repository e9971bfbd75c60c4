#include "matching/signals.h"

#include <fmt/format.h>

#include <algorithm>

#include "domain/resident_id.h"

namespace zx::matching {

SignalAccumulator::SignalAccumulator(const FeedProfile& profile, const Policy& policy,
                                     const PersonIndex& index)
    : profile_(profile), policy_(policy), index_(index) {}

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
  if (profile_.signal == SignalKind::kMedicalOutOfPocket) {
    sums_.assign(index_.size(), 0);
    last_row_.assign(index_.size(), 0);
  }
}

void SignalAccumulator::Add(const SignalRow& row) {
  if (row.person < 0) return;
  if (row.has_event_date) latest_days_ = std::max(latest_days_, row.event_days);
  const std::string& label = profile_.name;
  // Event dates as text, only when a finding needs them.
  auto event_suffix = [&row] {
    return row.has_event_date ? fmt::format("（{}）", Date::FromDays(row.event_days).ToIso()) : std::string();
  };
  switch (profile_.signal) {
    case SignalKind::kMedicalOutOfPocket: {
      if (row.has_event_date && row.has_amount) {
        if (as_of_fixed_) {
          if (row.event_days > window_start_ && row.event_days <= window_end_) {
            sums_[row.person] += row.amount;
            last_row_[row.person] = std::max(last_row_[row.person], row.row);
          }
        } else {
          medical_.push_back({row.person, row.event_days, row.amount, row.row});
        }
      }
      // The household (a cache miss) only for a cost above the lower threshold.
      const Fen monitored = policy_.signals.hospital_stay_cost_monitored;
      const Fen others = policy_.signals.hospital_stay_cost_others;
      if (row.has_total_cost && (row.total_cost > monitored || row.total_cost > others)) {
        const Fen stay_threshold = index_.household_of(row.person).ex_poor ? monitored : others;
        if (stay_threshold > 0 && row.total_cost > stay_threshold) {
          stay_hits_.push_back({row.person, row.total_cost, stay_threshold, row.row});
        }
      }
      break;
    }
    case SignalKind::kPerRowAlert:
    case SignalKind::kDangerousHouse:
      if (profile_.CategoryRaisesSignal(row.category)) {
        Put(&alerts_,
            MakeFinding(profile_.alert_kind, row.person, row.has_amount ? row.amount : 0, 0,
                        fmt::format("{}：{}{}", label, row.category, event_suffix()), row.row),
            row.person);
      }
      if (profile_.kind == "education" && row.has_amount &&
          policy_.signals.non_compulsory_schooling_cost > 0 &&
          row.amount > policy_.signals.non_compulsory_schooling_cost) {
        Put(&alerts_,
            MakeFinding(
                "schooling_cost", row.person, row.amount, policy_.signals.non_compulsory_schooling_cost,
                fmt::format("{}：非义务教育阶段费用 {} 元，超过 {} 元", label, FormatYuanGrouped(row.amount),
                            FormatYuanGrouped(policy_.signals.non_compulsory_schooling_cost)),
                row.row),
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
  for (std::size_t person_idx = 0; person_idx < later.sums_.size() && person_idx < sums_.size();
       ++person_idx) {
    sums_[person_idx] += later.sums_[person_idx];
    last_row_[person_idx] = std::max(last_row_[person_idx], later.last_row_[person_idx]);
  }
  stay_hits_.insert(stay_hits_.end(), later.stay_hits_.begin(), later.stay_hits_.end());
  // The latest row wins: `later` holds the later rows.
  alerts_.Merge(std::move(later.alerts_));
  review_items_.Merge(std::move(later.review_items_));
  later.medical_.clear();
  later.sums_.clear();
  later.last_row_.clear();
  later.stay_hits_.clear();
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
  // Hospital stays: the latest row per person (what Put of every row gave).
  if (!stay_hits_.empty()) {
    std::vector<char> seen(index_.size(), 0);
    for (auto hit = stay_hits_.rbegin(); hit != stay_hits_.rend(); ++hit) {
      if (seen[hit->person]) continue;
      seen[hit->person] = 1;
      const bool ex_poor = index_.household_of(hit->person).ex_poor;
      Put(&alerts_,
          MakeFinding("hospital_stay", hit->person, hit->cost, hit->threshold,
                      fmt::format("{}：一次就医总费用 {} 元，超过{}的 {} 元", profile_.name,
                                  FormatYuanGrouped(hit->cost), ex_poor ? "脱贫户" : "一般农户",
                                  FormatYuanGrouped(hit->threshold)),
                      hit->row),
          hit->person);
    }
    stay_hits_.clear();
  }
  if (as_of_fixed_ && result.as_of != fixed_as_of_) {
    return Internal("预警截止日期与累计时使用的日期不一致");
  }
  if (profile_.signal == SignalKind::kMedicalOutOfPocket && (!medical_.empty() || !sums_.empty())) {
    // The policy year of the as-of date, or the latest year before it.
    int year = result.as_of.year;
    while (year > 1999 && policy_.FindYear(year) == nullptr) --year;
    Result<Fen> monitored = policy_.MedicalOutOfPocketThreshold(year, true);
    Result<Fen> others = policy_.MedicalOutOfPocketThreshold(year, false);
    if (!monitored.ok()) return monitored.status();
    if (!others.ok()) return others.status();
    const std::int32_t end = static_cast<std::int32_t>(result.as_of.ToDays());
    const std::int32_t start = end - 365;
    std::vector<Fen> sums = std::move(sums_);
    std::vector<std::int64_t> last_row = std::move(last_row_);
    if (sums.empty()) {
      sums.assign(index_.size(), 0);
      last_row.assign(index_.size(), 0);
    }
    for (const MedicalEvent& event : medical_) {
      if (event.days <= start || event.days > end) continue;
      sums[event.person] += event.amount;
      last_row[event.person] = std::max(last_row[event.person], event.row);
    }
    // The household (a cache miss) only for a sum above the lower threshold.
    const Fen lower = std::min(*monitored, *others);
    const std::string window_start = Date::FromDays(start + 1).ToIso();
    const std::string window_end = result.as_of.ToIso();
    for (std::size_t person_idx = 0; person_idx < sums.size(); ++person_idx) {
      const auto person = static_cast<std::int32_t>(person_idx);
      if (sums[person_idx] == 0 || sums[person_idx] <= lower) continue;
      const bool ex_poor = index_.household_of(person).ex_poor;
      const Fen threshold = ex_poor ? *monitored : *others;
      if (sums[person_idx] <= threshold) continue;
      Put(&alerts_,
          MakeFinding(
              profile_.alert_kind, person, sums[person_idx], threshold,
              fmt::format(
                  "医保：{} 至 {} 个人自付合计 {} 元，超过{}标准 {} 元（{} 年上年农村居民人均可支配收入的 "
                  "{}%）",
                  window_start, window_end, FormatYuanGrouped(sums[person_idx]),
                  ex_poor ? "脱贫户" : "一般农户", FormatYuanGrouped(threshold), year,
                  ex_poor ? policy_.signals.medical_out_of_pocket_percent_monitored
                          : policy_.signals.medical_out_of_pocket_percent_others),
              last_row[person_idx]),
          person);
    }
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
