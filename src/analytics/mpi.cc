#include "analytics/mpi.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <utility>

namespace zx {

namespace {

// Consistency tolerance between the two MPI formulas and for ranges.
constexpr double kFormulaTolerance = 1e-9;

std::optional<MpiIndicatorKind> KindOf(std::string_view id) {
  if (id == "income") return MpiIndicatorKind::kIncome;
  if (id == "food_clothing") return MpiIndicatorKind::kFoodClothing;
  if (id == "education") return MpiIndicatorKind::kEducation;
  if (id == "medical_insurance") return MpiIndicatorKind::kMedicalInsurance;
  if (id == "housing") return MpiIndicatorKind::kHousing;
  if (id == "water") return MpiIndicatorKind::kWater;
  return std::nullopt;
}

bool ParseNonNegativeDecimal(std::string_view text, double* out) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || c == '.')) return false;
  }
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size() && std::isfinite(*out);
}

bool Deprived(MpiIndicatorKind kind, const MpiSpec& spec, const HouseholdRecord& record, bool income_missing,
              Fen per_capita) {
  const Household& household = record.household;
  switch (kind) {
    case MpiIndicatorKind::kIncome:
      return !income_missing && per_capita < spec.monitoring_line;
    case MpiIndicatorKind::kFoodClothing:
      return !household.food_clothing_secure;
    case MpiIndicatorKind::kEducation:
      for (const Person& member : record.members) {
        if (member.deceased || member.schooling != SchoolingStatus::kDropout) continue;
        const int age = AgeOn(member.birth_date, spec.reference_date);
        if (age >= 6 && age <= 15) return true;
      }
      return false;
    case MpiIndicatorKind::kMedicalInsurance:
      for (const Person& member : record.members) {
        if (!member.deceased && !member.medical_insurance) return true;
      }
      return false;
    case MpiIndicatorKind::kHousing:
      return household.housing == HousingRating::kC || household.housing == HousingRating::kD;
    case MpiIndicatorKind::kWater:
      return !(household.water_quantity_ok && household.water_quality_ok && household.water_convenience_ok &&
               household.water_reliability_ok);
  }
  return false;
}

double Ratio(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

}  // namespace

Result<double> ParseMpiCutoff(std::string_view text) {
  const std::string shown(text);
  double value = 0;
  const size_t slash = text.find('/');
  bool parsed = false;
  if (slash == std::string_view::npos) {
    parsed = ParseNonNegativeDecimal(text, &value);
  } else {
    double numerator = 0;
    double denominator = 0;
    parsed = ParseNonNegativeDecimal(text.substr(0, slash), &numerator) &&
             ParseNonNegativeDecimal(text.substr(slash + 1), &denominator) && denominator > 0;
    if (parsed) value = numerator / denominator;
  }
  if (!parsed) {
    return InvalidArgument(
        fmt::format("--k：贫困临界值“{}”无法识别，应写成分数（如 1/3）或小数（如 0.25）", shown));
  }
  if (!(value > 0) || value > 1 + kFormulaTolerance) {
    return InvalidArgument(fmt::format("--k：贫困临界值 {} 超出范围，应大于 0 且不大于 1", shown));
  }
  return value > 1 ? 1.0 : value;
}

Result<MpiSpec> MakeMpiSpec(const Policy& policy, int year, std::string_view k_text) {
  const YearPolicy* year_policy = policy.FindYear(year);
  if (year_policy == nullptr) {
    std::string years;
    for (const auto& [known, unused] : policy.years)
      years += (years.empty() ? "" : "、") + std::to_string(known);
    return NotFound(
        fmt::format("政策文件 {} 中没有 {} 年的监测标准（已有年度：{}），无法计算该年多维贫困指数",
                    policy.path, year, years.empty() ? "无" : years));
  }
  MpiSpec spec;
  spec.year = year;
  spec.monitoring_line = year_policy->monitoring_line;
  spec.monitoring_line_official = year_policy->official;
  spec.reference_date = year_policy->reference_date;
  if (k_text.empty()) {
    spec.k = policy.mpi.k;
    spec.k_text = policy.mpi.k_text;
    if (!(spec.k > 0) || spec.k > 1) {
      return InvalidArgument(
          fmt::format("政策文件 {} 的多维贫困临界值 k = {} 超出范围 (0, 1]", policy.path, policy.mpi.k_text));
    }
  } else {
    ASSIGN_OR_RETURN(spec.k, ParseMpiCutoff(k_text));
    spec.k_text = std::string(k_text);
  }
  if (policy.mpi.indicators.empty()) {
    return InvalidArgument(fmt::format("政策文件 {} 没有多维贫困指标（[mpi] indicators）", policy.path));
  }
  if (policy.mpi.indicators.size() > 32) {
    return InvalidArgument(fmt::format("政策文件 {} 的多维贫困指标有 {} 个，最多支持 32 个", policy.path,
                                       policy.mpi.indicators.size()));
  }
  for (const MpiIndicator& indicator : policy.mpi.indicators) {
    std::optional<MpiIndicatorKind> kind = KindOf(indicator.id);
    if (!kind) {
      return InvalidArgument(fmt::format("政策文件 {} 的多维贫困指标“{}”（{}）尚无计算方法，无法计算",
                                         policy.path, indicator.id, indicator.name));
    }
    spec.indicators.push_back(indicator);
    spec.kinds.push_back(*kind);
  }
  return spec;
}

DeprivationMask HouseholdDeprivations(const MpiSpec& spec, const HouseholdRecord& record,
                                      bool* income_missing) {
  Fen per_capita = 0;
  const bool missing = !record.PerCapitaNetIncome(spec.year, &per_capita);
  if (income_missing != nullptr) *income_missing = missing;
  DeprivationMask mask = 0;
  for (size_t indicator_idx = 0; indicator_idx < spec.kinds.size(); ++indicator_idx) {
    if (Deprived(spec.kinds[indicator_idx], spec, record, missing, per_capita)) {
      mask |= DeprivationMask{1} << indicator_idx;
    }
  }
  return mask;
}

double DeprivationScore(const MpiSpec& spec, DeprivationMask mask) {
  double score = 0;
  for (size_t indicator_idx = 0; indicator_idx < spec.indicators.size(); ++indicator_idx) {
    if (mask & (DeprivationMask{1} << indicator_idx)) score += spec.indicators[indicator_idx].weight;
  }
  return score;
}

bool IsMpiPoor(const MpiSpec& spec, DeprivationMask mask) {
  return DeprivationScore(spec, mask) >= spec.k - kMpiTolerance;
}

void MpiTally::Add(DeprivationMask mask, std::int64_t living_persons, bool income_missing) {
  if (living_persons <= 0) return;
  ++households;
  if (income_missing) ++households_without_income;
  persons_by_mask[mask] += living_persons;
}

void MpiTally::Merge(const MpiTally& other) {
  households += other.households;
  households_without_income += other.households_without_income;
  for (const auto& [mask, persons] : other.persons_by_mask) persons_by_mask[mask] += persons;
}

std::int64_t MpiTally::Persons() const {
  std::int64_t persons = 0;
  for (const auto& [mask, count] : persons_by_mask) persons += count;
  return persons;
}

Result<MpiMeasures> ComputeMeasures(const MpiSpec& spec, const MpiTally& tally) {
  MpiMeasures out;
  out.households = tally.households;
  out.households_without_income = tally.households_without_income;
  const size_t indicator_count = spec.indicators.size();
  std::vector<std::int64_t> uncensored(indicator_count, 0);
  std::vector<std::int64_t> censored(indicator_count, 0);
  double poor_score_sum = 0;  // Σ over poor persons of c_i
  for (const auto& [mask, persons] : tally.persons_by_mask) {
    out.persons += persons;
    const bool poor = IsMpiPoor(spec, mask);
    if (poor) {
      out.poor_persons += persons;
      poor_score_sum += static_cast<double>(persons) * DeprivationScore(spec, mask);
    }
    for (size_t indicator_idx = 0; indicator_idx < indicator_count; ++indicator_idx) {
      if (!(mask & (DeprivationMask{1} << indicator_idx))) continue;
      uncensored[indicator_idx] += persons;
      if (poor) censored[indicator_idx] += persons;
    }
  }
  out.headcount_ratio = Ratio(out.poor_persons, out.persons);
  out.intensity = out.poor_persons > 0 ? poor_score_sum / static_cast<double>(out.poor_persons) : 0.0;
  out.mpi = out.persons > 0 ? poor_score_sum / static_cast<double>(out.persons) : 0.0;

  double weighted_censored_sum = 0;  // Σ_j w_j h_j(k)
  for (size_t indicator_idx = 0; indicator_idx < indicator_count; ++indicator_idx) {
    const MpiIndicator& indicator = spec.indicators[indicator_idx];
    MpiIndicatorResult result;
    result.id = indicator.id;
    result.name = indicator.name;
    result.weight = indicator.weight;
    result.weight_text = indicator.weight_text;
    result.uncensored_persons = uncensored[indicator_idx];
    result.uncensored_ratio = Ratio(uncensored[indicator_idx], out.persons);
    result.censored_persons = censored[indicator_idx];
    result.censored_ratio = Ratio(censored[indicator_idx], out.persons);
    weighted_censored_sum += indicator.weight * result.censored_ratio;
    out.indicators.push_back(std::move(result));
  }
  double contribution_sum = 0;
  if (out.mpi > 0) {
    for (MpiIndicatorResult& result : out.indicators) {
      result.contribution = result.weight * result.censored_ratio / out.mpi;
      contribution_sum += *result.contribution;
    }
  }

  // The identities of the measure; a failure is a programming error.
  const bool in_range = out.headcount_ratio >= 0 && out.headcount_ratio <= 1 && out.intensity >= 0 &&
                        out.intensity <= 1 + kFormulaTolerance && out.mpi >= 0 &&
                        out.mpi <= 1 + kFormulaTolerance;
  const bool product_agrees = std::fabs(out.headcount_ratio * out.intensity - out.mpi) <= kFormulaTolerance;
  const bool sum_agrees = std::fabs(weighted_censored_sum - out.mpi) <= kFormulaTolerance;
  const bool contributions_agree = out.mpi == 0 || std::fabs(contribution_sum - 1) <= kFormulaTolerance;
  if (!in_range || !product_agrees || !sum_agrees || !contributions_agree) {
    return Internal(fmt::format(
        "多维贫困指数计算自检失败：H = {}，A = {}，MPI = {}，H×A = {}，Σ w·h = {}，指标贡献率之和 = {}",
        out.headcount_ratio, out.intensity, out.mpi, out.headcount_ratio * out.intensity,
        weighted_censored_sum, contribution_sum));
  }
  return out;
}

Result<MpiGrouping> ParseMpiGrouping(std::string_view text) {
  if (text.empty()) return MpiGrouping::kNone;
  if (text == "prefecture") return MpiGrouping::kPrefecture;
  if (text == "county") return MpiGrouping::kCounty;
  return InvalidArgument(fmt::format("--by：分组方式“{}”无法识别，应为 prefecture（按市州）或 county（按县）",
                                     std::string(text)));
}

DivisionCode MpiGroupCode(MpiGrouping by, DivisionCode village_code) {
  switch (by) {
    case MpiGrouping::kPrefecture:
      return village_code / 100000000 * 100000000;
    case MpiGrouping::kCounty:
      return village_code / 1000000 * 1000000;
    case MpiGrouping::kNone:
      break;
  }
  return 0;
}

void MpiCalculator::Add(const HouseholdRecord& record) {
  const int living = record.LivingSize();
  if (living == 0) return;  // a household of deceased members has no persons to count
  bool income_missing = false;
  const DeprivationMask mask = HouseholdDeprivations(spec_, record, &income_missing);
  total_.Add(mask, living, income_missing);
  if (by_ != MpiGrouping::kNone) {
    groups_[MpiGroupCode(by_, record.household.village_code)].Add(mask, living, income_missing);
  }
}

Result<MpiResult> MpiCalculator::Finish(const std::map<DivisionCode, std::string>& names) const {
  MpiResult result;
  result.spec = spec_;
  result.by = by_;
  ASSIGN_OR_RETURN(result.total, ComputeMeasures(spec_, total_));
  const double total_persons = static_cast<double>(result.total.persons);
  double contribution_sum = 0;
  for (const auto& [code, tally] : groups_) {
    MpiSubgroupResult group;
    group.code = code;
    auto name = names.find(code);
    group.name = name != names.end() ? name->second : std::to_string(code);
    ASSIGN_OR_RETURN(group.measures, ComputeMeasures(spec_, tally));
    if (result.total.mpi > 0) {
      group.contribution =
          static_cast<double>(group.measures.persons) / total_persons * group.measures.mpi / result.total.mpi;
      contribution_sum += *group.contribution;
    }
    result.subgroups.push_back(std::move(group));
  }
  if (!result.subgroups.empty() && result.total.mpi > 0 &&
      std::fabs(contribution_sum - 1) > kFormulaTolerance) {
    return Internal(fmt::format("多维贫困指数计算自检失败：分组贡献率之和为 {}，应为 1", contribution_sum));
  }
  return result;
}

Result<MpiResult> ComputeMpi(Store& store, const DivisionScope& scope, const MpiSpec& spec, MpiGrouping by) {
  MpiCalculator calculator(spec, by);
  RETURN_IF_ERROR(store.ScanHouseholds(scope, [&calculator](const HouseholdRecord& record) {
    calculator.Add(record);
    return Status::Ok();
  }));
  std::map<DivisionCode, std::string> names;
  if (by != MpiGrouping::kNone) {
    // Names of every group at the level (a county scope's prefecture lies outside the scope).
    ASSIGN_OR_RETURN(std::vector<Division> divisions, store.ListDivisions(DivisionScope::All()));
    const DivisionLevel level =
        by == MpiGrouping::kPrefecture ? DivisionLevel::kPrefecture : DivisionLevel::kCounty;
    for (const Division& division : divisions) {
      if (division.level == level) names.emplace(division.code, division.name);
    }
  }
  return calculator.Finish(names);
}

}  // namespace zx
