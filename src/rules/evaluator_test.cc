#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <random>

#include "rules/rule_set.h"
#include "rules/test_support.h"

namespace zx::rules {
namespace {

using testing::Context2022;
using testing::MakeHousehold;
using testing::MakePerson;

ColumnarData Columns(const std::vector<HouseholdRecord>& records) {
  return BuildColumns(records, 2022, {2022, 12, 31});
}

std::vector<std::int64_t> Values(std::string_view expression, const ColumnarData& data) {
  auto program = CompileExpression(expression, Context2022());
  EXPECT_TRUE(program.ok()) << expression << " → " << program.status().message();
  if (!program.ok()) return {};
  return EvaluateProgram(*program, data);
}

const char* kIncomeRule = R"(
rule R_INCOME_BELOW_LINE "收入低于监测范围" risk "99" {
  when per_capita_net_income < policy.monitoring_line
  explain "家庭人均纯收入 {per_capita_net_income} 元，低于 {policy.year} 年监测标准 {policy.monitoring_line} 元"
}
)";

TEST(EvaluatorTest, IncomeExactlyAtTheLineIsNotBelow) {
  std::vector<HouseholdRecord> records = {
      MakeHousehold("H1", 3, Yuan(6700)),
      MakeHousehold("H2", 3, Yuan(6700) - 1),
      MakeHousehold("H3", 4, Yuan(5820)),
      MakeHousehold("H4", 1, Yuan(6701)),
  };
  ColumnarData data = Columns(records);
  auto rules = CompileRules(kIncomeRule, Context2022());
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  auto fired = EvaluateAll(*rules, data);
  ASSERT_TRUE(fired.ok());
  EXPECT_EQ((*fired)[0], (std::vector<std::uint8_t>{0, 1, 1, 0}));
}

TEST(EvaluatorTest, ExplanationText) {
  ColumnarData data = Columns({MakeHousehold("H3", 4, Yuan(5820))});
  auto rules = CompileRules(kIncomeRule, Context2022());
  ASSERT_TRUE(rules.ok());
  EXPECT_EQ(Explain(rules->rules()[0], data, 0), "家庭人均纯收入 5,820 元，低于 2022 年监测标准 6,700 元");
}

TEST(EvaluatorTest, ExplanationFormatsEveryType) {
  HouseholdRecord record = MakeHousehold("630121-0001", 2, Yuan(12345) + 67);
  record.household.housing = HousingRating::kC;
  record.members[1].health = Health::kSeriousIllness;
  ColumnarData data = Columns({record});
  auto rules = CompileRules(
      "rule R \"x\" { when true explain \"{household_number}|{net_income}|{housing}|{ex_poor}|"
      "{policy.reference_date}|{count(m: m.health == \\\"患有大病\\\")}|{{}}|{-1234567元}\" }",
      Context2022());
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  EXPECT_EQ(Explain(rules->rules()[0], data, 0), "630121-0001|24,691.34|C级|否|2022-12-31|1|{}|-1,234,567");
}

TEST(EvaluatorTest, DeceasedMembersExcludedFromAggregatesAndLivingSize) {
  HouseholdRecord record = MakeHousehold("H1", 3, Yuan(1000));  // net 3,000 yuan
  record.members[2].deceased = true;
  record.members[2].health = Health::kSeriousIllness;
  record.members[0].health = Health::kChronic;
  ColumnarData data = Columns({record});
  EXPECT_EQ(Values("living_size", data), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(Values("member_count", data), (std::vector<std::int64_t>{3}));
  EXPECT_EQ(Values("deceased_members", data), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(Values("per_capita_net_income", data), (std::vector<std::int64_t>{Yuan(1500)}));
  EXPECT_EQ(Values("any(m: m.health == \"患有大病\")", data), (std::vector<std::int64_t>{0}));
  EXPECT_EQ(Values("count(m: true)", data), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(Values("head_deceased", data), (std::vector<std::int64_t>{0}));

  record.members[0].deceased = true;  // the head dies: one living member left
  data = Columns({record});
  EXPECT_EQ(Values("head_deceased", data), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(Values("per_capita_net_income", data), (std::vector<std::int64_t>{Yuan(3000)}));
  record.members[1].deceased = true;  // nobody left
  data = Columns({record});
  EXPECT_EQ(Values("per_capita_net_income", data), (std::vector<std::int64_t>{0}));
  EXPECT_EQ(Values("all(m: false)", data), (std::vector<std::int64_t>{1}));  // vacuous
  EXPECT_EQ(Values("any(m: true)", data), (std::vector<std::int64_t>{0}));
}

TEST(EvaluatorTest, AggregatesOverMembers) {
  HouseholdRecord a = MakeHousehold("A", 3, Yuan(5000));
  a.members[0].migrant_work_months = 10;
  a.members[1].migrant_work_months = 3;
  a.members[2].labour_skill = LabourSkill::kNone;
  HouseholdRecord b = MakeHousehold("B", 2, Yuan(5000));
  b.members[0].labour_skill = LabourSkill::kLostAbility;
  b.members[1].labour_skill = LabourSkill::kNone;
  HouseholdRecord c = MakeHousehold("C", 1, Yuan(5000));
  ColumnarData data = Columns({a, b, c});
  EXPECT_EQ(Values("sum(m: m.migrant_work_months)", data), (std::vector<std::int64_t>{13, 0, 0}));
  EXPECT_EQ(Values("count(m: m.labour_skill in (\"丧失劳动力\", \"无劳动力\"))", data),
            (std::vector<std::int64_t>{1, 2, 0}));
  EXPECT_EQ(Values("all(m: m.labour_skill in (\"丧失劳动力\", \"无劳动力\"))", data),
            (std::vector<std::int64_t>{0, 1, 0}));
  EXPECT_EQ(Values("any(m: m.migrant_work_months > 6)", data), (std::vector<std::int64_t>{1, 0, 0}));
  EXPECT_EQ(Values("sum(m: yuan(m.migrant_work_months) * 100)", data),
            (std::vector<std::int64_t>{Yuan(1300), 0, 0}));
  // Household fields inside an aggregate are broadcast to the members.
  EXPECT_EQ(Values("count(m: living_size > 1 and m.relation == \"户主\")", data),
            (std::vector<std::int64_t>{1, 1, 0}));
  // Household number filter works in both scopes.
  EXPECT_EQ(Values("household_number in (\"A\", \"C\")", data), (std::vector<std::int64_t>{1, 0, 1}));
  EXPECT_EQ(Values("count(m: household_number != \"A\")", data), (std::vector<std::int64_t>{0, 2, 1}));
}

TEST(EvaluatorTest, InOnIntegersAndEnumsWithManyValues) {
  ColumnarData data = Columns({MakeHousehold("A", 1, 0), MakeHousehold("B", 5, 0), MakeHousehold("C", 9, 0)});
  EXPECT_EQ(Values("living_size in (1, 9)", data), (std::vector<std::int64_t>{1, 0, 1}));
  EXPECT_EQ(Values("living_size not in (1, 9)", data), (std::vector<std::int64_t>{0, 1, 0}));
  EXPECT_EQ(Values("living_size in (1,2,3,4,5,6,7,8,10,11,12)", data), (std::vector<std::int64_t>{1, 1, 0}));
  EXPECT_EQ(Values("housing in (\"A级\") and housing == 1 and housing != \"B级\"", data),
            (std::vector<std::int64_t>{1, 1, 1}));
}

TEST(EvaluatorTest, DateFunctionsAcrossLeapYears) {
  HouseholdRecord record = MakeHousehold("A", 2, 0);
  record.members[1].birth_date = {2000, 2, 29};
  ColumnarData data = Columns({record});
  auto one = [&](std::string_view expression) { return Values(expression, data).at(0); };
  EXPECT_EQ(one("age_at(date(2000, 2, 29), date(2022, 2, 28))"), 21);
  EXPECT_EQ(one("age_at(date(2000, 2, 29), date(2022, 3, 1))"), 22);
  EXPECT_EQ(one("age_at(date(2000, 2, 29), date(2024, 2, 29))"), 24);
  EXPECT_EQ(one("age_at(date(2000, 2, 29), date(1999, 1, 1))"), -2);
  EXPECT_EQ(one("months_between(date(2020, 1, 31), date(2020, 2, 29))"), 0);
  EXPECT_EQ(one("months_between(date(2020, 1, 31), date(2020, 3, 31))"), 2);
  EXPECT_EQ(one("months_between(date(2020, 2, 29), date(2021, 2, 28))"), 11);
  EXPECT_EQ(one("months_between(date(2020, 3, 31), date(2020, 1, 31))"), -2);
  EXPECT_EQ(one("days_between(date(2020, 2, 28), date(2020, 3, 1))"), 2);
  EXPECT_EQ(one("days_between(date(2021, 2, 28), date(2021, 3, 1))"), 1);
  // Person ages are taken on the reference date; age_at agrees.
  EXPECT_EQ(one("sum(m: m.age)"), 52 + 22);
  EXPECT_EQ(one("count(m: age_at(m.birth_date, policy.reference_date) == m.age)"), 2);
  EXPECT_EQ(one("any(m: m.birth_date == date(2000, 2, 29))"), 1);
  EXPECT_EQ(one("any(m: m.birth_date < date(1970, 5, 2) and m.birth_date >= date(1970, 5, 1))"), 1);
}

TEST(EvaluatorTest, DivisionByZeroAndOverflowAreDefined) {
  ColumnarData data = Columns({MakeHousehold("A", 2, Yuan(100)), MakeHousehold("B", 3, 0)});
  EXPECT_EQ(Values("net_income / 0", data), (std::vector<std::int64_t>{0, 0}));
  EXPECT_EQ(Values("living_size / (living_size - living_size)", data), (std::vector<std::int64_t>{0, 0}));
  EXPECT_EQ(Values("net_income / net_income", data), (std::vector<std::int64_t>{1, 0}));
  EXPECT_EQ(Values("7 / 2 + -7 / 2", data), (std::vector<std::int64_t>{0, 0}));  // truncation
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  const std::int64_t min = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(Values("900000000000000 * 900000000000000", data), (std::vector<std::int64_t>{max, max}));
  EXPECT_EQ(Values("-900000000000000 * 900000000000000 - 900000000000000", data),
            (std::vector<std::int64_t>{min, min}));
  EXPECT_EQ(Values("-(-900000000000000 * 900000000000000) / -1", data),
            (std::vector<std::int64_t>{-max, -max}));
}

TEST(EvaluatorTest, MissingIncomeYearAndPreviousYear) {
  HouseholdRecord record = MakeHousehold("A", 2, Yuan(3000));
  record.years[0].year = 2021;  // only last year's income
  ColumnarData data = Columns({record});
  EXPECT_EQ(Values("has_income_year", data), (std::vector<std::int64_t>{0}));
  EXPECT_EQ(Values("net_income", data), (std::vector<std::int64_t>{0}));
  EXPECT_EQ(Values("has_prev_income_year", data), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(Values("prev_per_capita_net_income", data), (std::vector<std::int64_t>{Yuan(3000)}));
}

TEST(EvaluatorTest, WrongYearIsRefused) {
  auto rules = CompileRules(kIncomeRule, Context2022());
  ASSERT_TRUE(rules.ok());
  ColumnarData data = BuildColumns({MakeHousehold("A", 1, 0)}, 2021, {2021, 12, 31});
  EXPECT_EQ(EvaluateAll(*rules, data).status().code(), StatusCode::kFailedPrecondition);
}

// A simple generator of plausible households, for cross-checks and timing.
HouseholdRecord RandomHousehold(std::mt19937_64& rng, int idx) {
  std::uniform_int_distribution<int> size_dist(1, 7);
  std::uniform_int_distribution<Fen> income_dist(0, Yuan(30000));
  std::uniform_int_distribution<int> small(0, 99);
  HouseholdRecord record = MakeHousehold("H" + std::to_string(idx), size_dist(rng), 0);
  record.years[0].wage_income = income_dist(rng) * static_cast<Fen>(record.members.size());
  record.years[0].compliant_out_of_pocket = small(rng) < 10 ? income_dist(rng) : 0;
  record.household.ex_poor = small(rng) < 30;
  record.household.housing = small(rng) < 3 ? HousingRating::kC : HousingRating::kA;
  record.household.water_quality_ok = small(rng) >= 2;
  for (Person& member : record.members) {
    member.birth_date = {1935 + small(rng) % 85, 1 + small(rng) % 12, 1 + small(rng) % 28};
    member.health = small(rng) < 5 ? Health::kSeriousIllness : Health::kHealthy;
    member.labour_skill = small(rng) < 20 ? LabourSkill::kNone : LabourSkill::kOrdinary;
    member.medical_insurance = small(rng) >= 2;
    member.deceased = small(rng) < 2 && member.relation != Relation::kHead;
    member.schooling = small(rng) < 2 ? SchoolingStatus::kDropout : SchoolingStatus::kNotInSchool;
    member.disability_grade = small(rng) < 3 ? 1 + small(rng) % 4 : 0;
  }
  return record;
}

const char* kRepresentativeRules = R"(
rule R_INCOME_BELOW_LINE "收入低于监测范围" risk "99" {
  when per_capita_net_income < policy.monitoring_line
  explain "家庭人均纯收入 {per_capita_net_income} 元，低于 {policy.year} 年监测标准 {policy.monitoring_line} 元"
}
rule R_ILLNESS "因病" risk "01" {
  when any(m: m.health == "患有大病") and (net_income - compliant_out_of_pocket) / living_size < policy.monitoring_line
  explain "有 {count(m: m.health == \"患有大病\")} 名成员患有大病"
}
rule R_DISABILITY "因残" risk "03" {
  when any(m: m.disability_grade in (1, 2))
  explain "有重度残疾成员"
}
rule R_NO_LABOUR "缺劳动力" risk "04" {
  when all(m: m.labour_skill in ("丧失劳动力", "无劳动力") or m.age >= 65)
  explain "家庭无劳动力"
}
rule D_SCHOOL "义务教育保障" kind deprivation {
  when any(m: m.age >= 6 and m.age <= 15 and m.schooling == "辍学")
  explain "有适龄儿童辍学"
}
rule D_HOUSING_WATER_INSURANCE "住房饮水医保" kind deprivation {
  when housing in ("C级", "D级") or not water_quality_ok or any(m: not m.medical_insurance)
  explain "住房、饮水或医保未保障"
}
)";

// Reference semantics written directly over records.
std::vector<std::uint8_t> Expected(const std::vector<HouseholdRecord>& records, int rule) {
  std::vector<std::uint8_t> out;
  for (const HouseholdRecord& record : records) {
    Fen per_capita = 0;
    record.PerCapitaNetIncome(2022, &per_capita);
    const int size = record.LivingSize();
    bool any_ill = false, any_severe = false, all_no_labour = true, dropout = false, uninsured = false;
    for (const Person& member : record.members) {
      if (member.deceased) continue;
      const int age = AgeOn(member.birth_date, {2022, 12, 31});
      any_ill |= member.health == Health::kSeriousIllness;
      any_severe |= member.disability_grade == 1 || member.disability_grade == 2;
      all_no_labour &= member.labour_skill == LabourSkill::kNone ||
                       member.labour_skill == LabourSkill::kLostAbility || age >= 65;
      dropout |= age >= 6 && age <= 15 && member.schooling == SchoolingStatus::kDropout;
      uninsured |= !member.medical_insurance;
    }
    const HouseholdYear& year = record.years[0];
    const Fen after = size ? (year.NetIncome() - year.compliant_out_of_pocket) / size : 0;
    bool fired = false;
    switch (rule) {
      case 0:
        fired = per_capita < Yuan(6700);
        break;
      case 1:
        fired = any_ill && after < Yuan(6700);
        break;
      case 2:
        fired = any_severe;
        break;
      case 3:
        fired = all_no_labour;
        break;
      case 4:
        fired = dropout;
        break;
      case 5:
        fired =
            record.household.housing >= HousingRating::kC || !record.household.water_quality_ok || uninsured;
        break;
    }
    out.push_back(fired);
  }
  return out;
}

TEST(EvaluatorTest, AgreesWithReferenceAcrossBatchBoundaries) {
  std::mt19937_64 rng(20221231);
  std::vector<HouseholdRecord> records;
  for (int idx = 0; idx < 5000; ++idx) records.push_back(RandomHousehold(rng, idx));
  ColumnarData data = Columns(records);
  auto rules = CompileRules(kRepresentativeRules, Context2022());
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  auto fired = EvaluateAll(*rules, data);
  ASSERT_TRUE(fired.ok());
  for (int rule = 0; rule < 6; ++rule) {
    const auto expected = Expected(records, rule);
    int hits = 0;
    for (std::size_t idx = 0; idx < records.size(); ++idx) {
      ASSERT_EQ((*fired)[rule][idx], expected[idx]) << "rule " << rule << " household " << idx;
      hits += expected[idx];
    }
    EXPECT_GT(hits, 0) << "rule " << rule;  // each rule is exercised
    EXPECT_LT(hits, 5000) << "rule " << rule;
  }
}

// Timing over 600,000 synthetic households. Run with
//   build-rules/src/rules/zx_rules_test --gtest_also_run_disabled_tests
//     --gtest_filter='*DISABLED_Throughput*'
TEST(EvaluatorTest, DISABLED_Throughput600kHouseholds) {
  constexpr int kHouseholds = 600000;
  std::mt19937_64 rng(7);
  ColumnarData data = EmptyColumns(2022, {2022, 12, 31});
  for (int idx = 0; idx < kHouseholds; ++idx) AppendRecord(RandomHousehold(rng, idx), &data);
  auto rules = CompileRules(kRepresentativeRules, Context2022());
  ASSERT_TRUE(rules.ok());
  double best = 1e9;
  for (int run = 0; run < 5; ++run) {
    const auto start = std::chrono::steady_clock::now();
    auto fired = EvaluateAll(*rules, data);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(fired.ok());
    best = std::min(best, seconds);
  }
  std::printf("6 rules over %d households (%zu living persons): best of 5 %.3f s, %.1f ns/household\n",
              kHouseholds, data.persons.size, best, best * 1e9 / kHouseholds);
  EXPECT_LT(best, 5.0);  // generous: a sanity bound, not a benchmark gate
}

}  // namespace
}  // namespace zx::rules
