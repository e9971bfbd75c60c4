#include "synth/report.h"

#include <cstdio>

#include "domain/code_tables.h"

namespace zx::synth {
namespace {

int PrefectureOf(DivisionCode village) { return static_cast<int>(village / 100000000) * 100; }

std::string Percent(double share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", share * 100);
  return buf;
}

std::string Number(double value, const char* format = "%.0f") {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

}  // namespace

SynthReport::SynthReport(const DivisionTable& divisions, std::map<int, Fen> lines)
    : divisions_(divisions), lines_(std::move(lines)) {}

bool SynthReport::Pastoral(DivisionCode village) const {
  const Division* county = divisions_.CountyOf(village);
  return county != nullptr && county->pastoral;
}

void SynthReport::Add(const HouseholdRecord& record, const HouseholdShocks& shocks) {
  const Household& household = record.household;
  const int type = Pastoral(household.village_code) ? 1 : 0;
  const int prefecture = PrefectureOf(household.village_code);
  const int living = record.LivingSize();
  ++households_;
  ++households_by_type_[static_cast<size_t>(type)];
  persons_ += living;
  ++size_histogram_[static_cast<size_t>(std::min(living, 8))];
  persons_by_prefecture_[prefecture] += living;
  if (household.ex_poor) {
    ++ex_poor_households_;
    ex_poor_persons_ += living;
  }
  safety_net_households_ += household.safety_net ? 1 : 0;
  relocated_ += household.relocated ? 1 : 0;
  const Date ref = kSynthReferenceDate;
  for (const Person& person : record.members) {
    if (person.deceased) {
      ++deceased_;
      continue;
    }
    ++ethnic_by_prefecture_[prefecture][person.ethnicity];
    disabled_ += person.disability_grade > 0 ? 1 : 0;
    insured_ += person.medical_insurance ? 1 : 0;
    minimum_living_ += person.minimum_living_allowance ? 1 : 0;
    extreme_hardship_ += person.extreme_hardship ? 1 : 0;
    migrants_ += person.migrant_work_months > 0 ? 1 : 0;
    int age = AgeOn(person.birth_date, ref);
    if (age >= 6 && age <= 15) {
      ++children_6_15_;
      dropouts_ += person.schooling == SchoolingStatus::kDropout ? 1 : 0;
    }
  }
  bool housing = household.housing == HousingRating::kC || household.housing == HousingRating::kD;
  bool water = !household.water_quantity_ok || !household.water_quality_ok ||
               !household.water_convenience_ok || !household.water_reliability_ok;
  bool food = !household.food_clothing_secure;
  housing_cd_[static_cast<size_t>(type)] += housing;
  water_fail_[static_cast<size_t>(type)] += water;
  food_insecure_[static_cast<size_t>(type)] += food;
  deprived_[static_cast<size_t>(type)] += (housing || water || food);

  bool fell_back = false;
  for (const auto& [year, line] : lines_) {
    Fen per_capita = 0;
    if (!record.PerCapitaNetIncome(year, &per_capita)) continue;
    if (per_capita < line) {
      ++below_line_[year];
      if (household.ex_poor) {
        ++below_line_ex_poor_[year];
        fell_back = true;
      }
    }
  }
  ex_poor_fell_back_ += fell_back ? 1 : 0;
  for (int year = kFirstPanelYear; year <= kLastPanelYear; ++year) {
    Fen per_capita = 0;
    if (!record.PerCapitaNetIncome(year, &per_capita)) continue;
    double total = static_cast<double>(per_capita) / 100.0 * living;
    income_sum_[year] += total;
    if (household.ex_poor) income_sum_ex_poor_[year] += total;
    if (year == 2022) income_2022_by_prefecture_[prefecture] += total;
  }
  for (size_t yi = 0; yi < shocks.illness.size(); ++yi) {
    illness_years_ += shocks.illness[yi];
    disaster_years_ += shocks.disaster[yi];
    migrant_job_losses_ += shocks.job_loss[yi];
  }
  transfer_dependent_ += shocks.transfer_dependent;
}

double SynthReport::EthnicShare(int prefecture6, Ethnicity ethnicity) const {
  auto it = ethnic_by_prefecture_.find(prefecture6);
  if (it == ethnic_by_prefecture_.end()) return 0;
  std::int64_t total = 0;
  for (const auto& [eth, count] : it->second) total += count;
  auto found = it->second.find(ethnicity);
  return Ratio(found == it->second.end() ? 0 : found->second, total);
}

double SynthReport::BelowLineShare(int year) const {
  auto it = below_line_.find(year);
  return Ratio(it == below_line_.end() ? 0 : it->second, households_);
}

std::string SynthReport::Format() const {
  std::string out;
  auto line = [&](const std::string& text) { out += text + "\n"; };
  line("农户 " + std::to_string(households_) + " 户，在世人口 " + std::to_string(persons_) + " 人，户均 " +
       Number(MeanHouseholdSize(), "%.2f") + " 人；已故未销户 " + Percent(DeceasedShare()));
  std::string sizes = "户规模分布：";
  for (size_t size = 1; size <= 8; ++size) {
    sizes += std::to_string(size) + "人 " + Percent(Ratio(size_histogram_[size], households_)) +
             (size < 8 ? "，" : "");
  }
  line(sizes);
  line("脱贫户 " + std::to_string(ex_poor_households_) + " 户，脱贫人口 " + std::to_string(ex_poor_persons_) +
       " 人（占 " + Percent(ExPoorPersonShare()) + "）；易地扶贫搬迁户 " +
       Percent(Ratio(relocated_, households_)));
  line("残疾人 " + Percent(DisabledShare()) + "，参加基本医保 " + Percent(Ratio(insured_, persons_)) +
       "，低保人口 " + Percent(Ratio(minimum_living_, persons_)) + "，特困人员 " +
       Percent(Ratio(extreme_hardship_, persons_)) + "，兜底保障户 " +
       Percent(Ratio(safety_net_households_, households_)) + "，外出务工人员 " +
       Percent(Ratio(migrants_, persons_)));
  line("6–15 岁辍学 " + Percent(Ratio(dropouts_, children_6_15_)) + "（" + std::to_string(dropouts_) +
       " 人）");
  static constexpr const char* kType[2] = {"农业县", "牧区县"};
  for (size_t type = 0; type < 2; ++type) {
    double n = static_cast<double>(households_by_type_[type]);
    line(std::string(kType[type]) + " " + std::to_string(households_by_type_[type]) + " 户：住房 C/D 级 " +
         Percent(Ratio(housing_cd_[type], n)) + "，饮水不达标 " + Percent(Ratio(water_fail_[type], n)) +
         "，吃穿不愁未达标 " + Percent(Ratio(food_insecure_[type], n)) + "，任一项 " +
         Percent(Ratio(deprived_[type], n)));
  }
  line("年冲击（户·年）：大病 " + Percent(IllnessShare()) + "，雪灾/旱灾等受灾 " +
       Percent(Ratio(disaster_years_, households_ * 6)) + "，务工人员失业 " +
       Percent(Ratio(migrant_job_losses_, households_ * 6)) + "；转移性收入依赖户 " +
       Percent(Ratio(transfer_dependent_, households_)));
  for (int year = kFirstPanelYear; year <= kLastPanelYear; ++year) {
    auto it = income_sum_.find(year);
    auto ex = income_sum_ex_poor_.find(year);
    std::string text = std::to_string(year) + " 年人均纯收入 " +
                       Number(Ratio(it == income_sum_.end() ? 0 : it->second, persons_)) + " 元，脱贫人口 " +
                       Number(Ratio(ex == income_sum_ex_poor_.end() ? 0 : ex->second, ex_poor_persons_)) +
                       " 元";
    auto line_it = lines_.find(year);
    if (line_it != lines_.end()) {
      auto below = below_line_.find(year);
      auto below_ex = below_line_ex_poor_.find(year);
      text +=
          "；低于监测范围 " + FormatYuan(line_it->second) + " 元的户 " + Percent(BelowLineShare(year)) +
          "（脱贫户中 " +
          Percent(Ratio(below_ex == below_line_ex_poor_.end() ? 0 : below_ex->second, ex_poor_households_)) +
          "，共 " + std::to_string(below == below_line_.end() ? 0 : below->second) + " 户）";
    }
    line(text);
  }
  line("脱贫户中至少一年低于监测范围（返贫风险）：" + Percent(ExPoorFallBackShare()));
  for (const auto& [prefecture, persons] : persons_by_prefecture_) {
    const Division* division = divisions_.Find(static_cast<DivisionCode>(prefecture) * 1000000);
    std::string text =
        (division ? division->name : std::to_string(prefecture)) + "：人口 " + std::to_string(persons) +
        "，2022 年人均纯收入 " +
        Number(Ratio(
            income_2022_by_prefecture_.count(prefecture) ? income_2022_by_prefecture_.at(prefecture) : 0,
            persons)) +
        " 元；";
    auto eth = ethnic_by_prefecture_.find(prefecture);
    if (eth != ethnic_by_prefecture_.end()) {
      for (const auto& [ethnicity, count] : eth->second) {
        text += std::string(Label(ethnicity)) + " " + Percent(Ratio(count, persons)) + " ";
      }
    }
    line(text);
  }
  return out;
}

}  // namespace zx::synth
