#include "analytics/mpi.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analytics/mpi_report.h"
#include "common/csv.h"
#include "common/xlsx.h"
#include "domain/policy.h"
#include "storage/store.h"
#include "storage/store_test_records.h"

namespace zx {
namespace {

using storage_testing::MakeResidentId;

constexpr double kExact = 1e-12;

const Policy& ShippedPolicy() {
  static const Policy policy = [] {
    auto loaded = LoadDefaultPolicy();
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return loaded.ok() ? *loaded : Policy();
  }();
  return policy;
}

MpiSpec Spec2022(std::string_view k_text = "") {
  auto spec = MakeMpiSpec(ShippedPolicy(), 2022, k_text);
  EXPECT_TRUE(spec.ok()) << spec.status().ToString();
  return spec.ok() ? *spec : MpiSpec();
}

// "a/b" or an integer, as written in expected.json.
double Fraction(const nlohmann::json& value) {
  if (value.is_number()) return value.get<double>();
  const std::string text = value.get<std::string>();
  const size_t slash = text.find('/');
  if (slash == std::string::npos) return std::stod(text);
  return std::stod(text.substr(0, slash)) / std::stod(text.substr(slash + 1));
}

std::vector<int> Ages(const std::string& text) {
  std::vector<int> ages;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    ages.push_back(std::stoi(text.substr(start, end - start)));
    start = end + 1;
  }
  return ages;
}

// A person of `age` completed years on 2022-12-31, with a valid unique ID.
Person MakePerson(DivisionCode village, int age, int sequence) {
  Person person;
  person.birth_date = Date{2022 - age, 6, 1};
  person.id_number = MakeResidentId(static_cast<int>(village / 1000000), person.birth_date, sequence);
  person.sex = sequence % 2 == 1 ? Sex::kMale : Sex::kFemale;
  person.name = "成员" + std::to_string(sequence);
  person.relation = Relation::kOther;
  return person;
}

// Reads test/golden/mpi/households.csv (columns documented in its README).
std::vector<HouseholdRecord> GoldenHouseholds() {
  std::vector<HouseholdRecord> records;
  auto reader = CsvReader::Open(std::string(ZX_TEST_DIR) + "/golden/mpi/households.csv");
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return records;
  std::vector<std::string> fields;
  std::map<std::string, size_t> column;
  auto next = (*reader)->Next(&fields);
  EXPECT_TRUE(next.ok() && *next);
  for (size_t idx = 0; idx < fields.size(); ++idx) column[fields[idx]] = idx;
  auto field = [&](const char* name) { return fields.at(column.at(name)); };
  auto flag = [&](const char* name) { return field(name) == "1"; };
  int sequence = 1;
  while (true) {
    next = (*reader)->Next(&fields);
    EXPECT_TRUE(next.ok());
    if (!next.ok() || !*next) break;
    HouseholdRecord record;
    Household& household = record.household;
    household.household_number = field("household_number");
    household.village_code = std::stoll(field("village_code"));
    household.food_clothing_secure = flag("food_clothing_secure");
    household.housing = static_cast<HousingRating>(1 + field("housing")[0] - 'A');
    household.water_quantity_ok = flag("water_quantity_ok");
    household.water_quality_ok = flag("water_quality_ok");
    household.water_convenience_ok = flag("water_convenience_ok");
    household.water_reliability_ok = flag("water_reliability_ok");
    const int living = std::stoi(field("living_members"));
    const int deceased = std::stoi(field("deceased_members"));
    const int living_uninsured = std::stoi(field("living_uninsured"));
    const int deceased_uninsured = std::stoi(field("deceased_uninsured"));
    for (int member_idx = 0; member_idx < living; ++member_idx) {
      Person person = MakePerson(household.village_code, 40, sequence++);
      person.relation = member_idx == 0 ? Relation::kHead : Relation::kSpouse;
      person.medical_insurance = member_idx >= living_uninsured;
      record.members.push_back(person);
    }
    // Children replace the adult members after the head, in column order.
    size_t child_slot = 1;
    auto add_children = [&](const std::string& ages, SchoolingStatus schooling) {
      for (int age : Ages(ages)) {
        EXPECT_LT(child_slot, record.members.size()) << household.household_number;
        if (child_slot >= record.members.size()) return;
        Person& child = record.members[child_slot++];
        const bool insured = child.medical_insurance;
        child = MakePerson(household.village_code, age, sequence++);
        child.relation = Relation::kSon;
        child.schooling = schooling;
        child.medical_insurance = insured;
      }
    };
    add_children(field("dropout_child_ages"), SchoolingStatus::kDropout);
    add_children(field("health_exempt_child_ages"), SchoolingStatus::kHealthExempt);
    for (int member_idx = 0; member_idx < deceased; ++member_idx) {
      Person person = MakePerson(household.village_code, 80, sequence++);
      person.deceased = true;
      person.medical_insurance = member_idx >= deceased_uninsured;
      record.members.push_back(person);
    }
    HouseholdYear year;
    year.year = 2022;
    year.wage_income = Yuan(std::stoll(field("net_income_2022_yuan")));
    record.years.push_back(year);
    records.push_back(std::move(record));
  }
  return records;
}

nlohmann::json Expected() {
  std::ifstream file(std::string(ZX_TEST_DIR) + "/golden/mpi/expected.json");
  EXPECT_TRUE(file.good());
  return nlohmann::json::parse(file);
}

void ExpectGolden(const MpiResult& result, bool with_names) {
  const nlohmann::json expected = Expected();
  const MpiMeasures& total = result.total;
  EXPECT_EQ(total.households, expected["households"].get<std::int64_t>());
  EXPECT_EQ(total.persons, expected["persons"].get<std::int64_t>());
  EXPECT_EQ(total.poor_persons, expected["poor_persons"].get<std::int64_t>());
  EXPECT_NEAR(total.headcount_ratio, Fraction(expected["H"]), kExact);
  EXPECT_NEAR(total.intensity, Fraction(expected["A"]), kExact);
  EXPECT_NEAR(total.mpi, Fraction(expected["MPI"]), kExact);
  ASSERT_EQ(total.indicators.size(), expected["indicators"].size());
  for (size_t idx = 0; idx < total.indicators.size(); ++idx) {
    const nlohmann::json& want = expected["indicators"][idx];
    const MpiIndicatorResult& got = total.indicators[idx];
    SCOPED_TRACE(got.id);
    EXPECT_EQ(got.id, want["id"].get<std::string>());
    EXPECT_EQ(got.uncensored_persons, want["uncensored_persons"].get<std::int64_t>());
    EXPECT_EQ(got.censored_persons, want["censored_persons"].get<std::int64_t>());
    EXPECT_NEAR(got.censored_ratio, Fraction(want["censored_headcount_ratio"]), kExact);
    ASSERT_TRUE(got.contribution.has_value());
    EXPECT_NEAR(*got.contribution, Fraction(want["contribution"]), kExact);
  }
  ASSERT_EQ(result.subgroups.size(), expected["subgroups_by_county"].size());
  for (size_t idx = 0; idx < result.subgroups.size(); ++idx) {
    const nlohmann::json& want = expected["subgroups_by_county"][idx];
    const MpiSubgroupResult& got = result.subgroups[idx];
    SCOPED_TRACE(got.code);
    EXPECT_EQ(got.code, want["code"].get<std::int64_t>());
    if (with_names) {
      EXPECT_EQ(got.name, want["name"].get<std::string>());
    }
    EXPECT_EQ(got.measures.households, want["households"].get<std::int64_t>());
    EXPECT_EQ(got.measures.persons, want["persons"].get<std::int64_t>());
    EXPECT_EQ(got.measures.poor_persons, want["poor_persons"].get<std::int64_t>());
    EXPECT_NEAR(got.measures.headcount_ratio, Fraction(want["H"]), kExact);
    EXPECT_NEAR(got.measures.intensity, Fraction(want["A"]), kExact);
    EXPECT_NEAR(got.measures.mpi, Fraction(want["MPI"]), kExact);
    ASSERT_TRUE(got.contribution.has_value());
    EXPECT_NEAR(*got.contribution, Fraction(want["contribution"]), kExact);
  }
}

TEST(MpiGoldenTest, HandComputedExampleInMemory) {
  const nlohmann::json expected = Expected();
  ASSERT_EQ(expected["year"].get<int>(), 2022);
  MpiCalculator calculator(Spec2022(expected["k"].get<std::string>()), MpiGrouping::kCounty);
  const std::vector<HouseholdRecord> records = GoldenHouseholds();
  ASSERT_EQ(records.size(), 6u);
  for (const HouseholdRecord& record : records) calculator.Add(record);
  auto result = calculator.Finish();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ExpectGolden(*result, /*with_names=*/false);
}

TEST(MpiGoldenTest, HandComputedExampleThroughTheStore) {
  const std::string path = ::testing::TempDir() + "/mpi_golden_" + std::to_string(::getpid()) + ".db";
  std::filesystem::remove(path);
  {
    auto store = OpenStore(path, storage_testing::TestDivisions());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    const std::vector<HouseholdRecord> records = GoldenHouseholds();
    VectorHouseholdSource source(records);
    auto written = (*store)->UpsertHouseholds(DivisionScope::All(), source);
    ASSERT_TRUE(written.ok()) << written.status().ToString();
    auto result = ComputeMpi(**store, DivisionScope::All(), Spec2022("1/3"), MpiGrouping::kCounty);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    ExpectGolden(*result, /*with_names=*/true);

    // The two counties lie in different prefectures: the same two groups.
    auto by_prefecture = ComputeMpi(**store, DivisionScope::All(), Spec2022(), MpiGrouping::kPrefecture);
    ASSERT_TRUE(by_prefecture.ok());
    ASSERT_EQ(by_prefecture->subgroups.size(), 2u);
    EXPECT_EQ(by_prefecture->subgroups[0].name, "西宁市");
    EXPECT_EQ(by_prefecture->subgroups[1].name, "海东市");
    EXPECT_NEAR(*by_prefecture->subgroups[0].contribution, 2.0 / 3, kExact);

    // A county scope sees only that county.
    auto ledu = ComputeMpi(**store, DivisionScope::Of(storage_testing::kLedu, DivisionLevel::kCounty),
                           Spec2022(), MpiGrouping::kPrefecture);
    ASSERT_TRUE(ledu.ok());
    EXPECT_EQ(ledu->total.persons, 11);
    EXPECT_NEAR(ledu->total.mpi, 5.0 / 33, kExact);
    ASSERT_EQ(ledu->subgroups.size(), 1u);
    EXPECT_EQ(ledu->subgroups[0].name, "海东市");
    EXPECT_NEAR(*ledu->subgroups[0].contribution, 1.0, kExact);
  }
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
}

HouseholdRecord PlainHousehold(int living) {
  HouseholdRecord record;
  record.household.household_number = "X";
  record.household.village_code = storage_testing::kVillageA1;
  for (int idx = 0; idx < living; ++idx)
    record.members.push_back(MakePerson(storage_testing::kVillageA1, 40, idx + 1));
  HouseholdYear year;
  year.year = 2022;
  year.wage_income = Yuan(100000);
  record.years.push_back(year);
  return record;
}

size_t IndexOf(const MpiSpec& spec, const std::string& id) {
  for (size_t idx = 0; idx < spec.indicators.size(); ++idx) {
    if (spec.indicators[idx].id == id) return idx;
  }
  ADD_FAILURE() << "no indicator " << id;
  return 0;
}

DeprivationMask Bit(const MpiSpec& spec, const std::string& id) {
  return DeprivationMask{1} << IndexOf(spec, id);
}

TEST(MpiTest, AllDeceasedHouseholdContributesNothing) {
  const MpiSpec spec = Spec2022();
  HouseholdRecord record = PlainHousehold(3);
  record.household.food_clothing_secure = false;
  record.household.housing = HousingRating::kD;
  for (Person& member : record.members) {
    member.deceased = true;
    member.medical_insurance = false;
  }
  MpiCalculator calculator(spec, MpiGrouping::kCounty);
  calculator.Add(record);
  calculator.Add(PlainHousehold(2));
  auto result = calculator.Finish();
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->total.households, 1);
  EXPECT_EQ(result->total.persons, 2);
  EXPECT_EQ(result->total.poor_persons, 0);
  EXPECT_EQ(result->total.mpi, 0);
  for (const MpiIndicatorResult& indicator : result->total.indicators) {
    EXPECT_EQ(indicator.uncensored_persons, 0) << indicator.id;
    EXPECT_FALSE(indicator.contribution.has_value());
  }
  ASSERT_EQ(result->subgroups.size(), 1u);
  EXPECT_FALSE(result->subgroups[0].contribution.has_value());

  // Alone, it yields n = 0 and all ratios 0, not NaN.
  MpiCalculator alone(spec, MpiGrouping::kNone);
  alone.Add(record);
  auto empty = alone.Finish();
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->total.persons, 0);
  EXPECT_EQ(empty->total.headcount_ratio, 0);
  EXPECT_EQ(empty->total.intensity, 0);
}

TEST(MpiTest, KOfOneNeedsEveryIndicator) {
  const MpiSpec spec = Spec2022("1");
  const DeprivationMask all = (DeprivationMask{1} << spec.indicators.size()) - 1;
  EXPECT_TRUE(IsMpiPoor(spec, all));  // six sixths sum to 0.9999999999999999 in doubles
  for (size_t idx = 0; idx < spec.indicators.size(); ++idx) {
    EXPECT_FALSE(IsMpiPoor(spec, all & ~(DeprivationMask{1} << idx))) << idx;
  }
}

TEST(MpiTest, ExactlyAtTheCutoffIsPoor) {
  const MpiSpec spec = Spec2022("1/3");
  EXPECT_TRUE(IsMpiPoor(spec, Bit(spec, "education") | Bit(spec, "medical_insurance")));
  EXPECT_FALSE(IsMpiPoor(spec, Bit(spec, "water")));
  const MpiSpec half = Spec2022("0.5");
  EXPECT_TRUE(IsMpiPoor(half, Bit(half, "income") | Bit(half, "housing") | Bit(half, "water")));
  EXPECT_FALSE(IsMpiPoor(half, Bit(half, "income") | Bit(half, "housing")));
}

TEST(MpiTest, TinyKIsTheUnionApproach) {
  const MpiSpec spec = Spec2022("0.000001");
  MpiCalculator calculator(spec, MpiGrouping::kNone);
  std::int64_t deprived_persons = 0;
  std::int64_t persons = 0;
  for (int serial = 0; serial < 300; ++serial) {
    HouseholdRecord record =
        storage_testing::MakeHousehold(serial, storage_testing::kVillageA1, 1 + serial % 5);
    record.household.water_quality_ok = serial % 7 != 0;
    record.household.food_clothing_secure = serial % 11 != 0;
    if (serial % 13 == 0) record.members[0].medical_insurance = false;
    calculator.Add(record);
    persons += record.LivingSize();
    if (HouseholdDeprivations(spec, record) != 0) deprived_persons += record.LivingSize();
  }
  auto result = calculator.Finish();
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->total.persons, persons);
  EXPECT_EQ(result->total.poor_persons, deprived_persons);
  EXPECT_GT(deprived_persons, 0);
  EXPECT_LT(deprived_persons, persons);
  // Under the union approach nothing is censored.
  for (const MpiIndicatorResult& indicator : result->total.indicators) {
    EXPECT_EQ(indicator.censored_persons, indicator.uncensored_persons) << indicator.id;
  }
}

TEST(MpiTest, ContributionsSumToOneAndFormulasAgree) {
  const MpiSpec spec = Spec2022();
  const DivisionCode villages[] = {storage_testing::kVillageA1, storage_testing::kVillageB1,
                                   storage_testing::kVillageC1};
  for (MpiGrouping by : {MpiGrouping::kPrefecture, MpiGrouping::kCounty}) {
    MpiCalculator calculator(spec, by);
    for (int serial = 0; serial < 500; ++serial) {
      HouseholdRecord record = storage_testing::MakeHousehold(serial, villages[serial % 3], 1 + serial % 6);
      record.household.water_reliability_ok = serial % 4 != 0;
      record.household.food_clothing_secure = serial % 9 != 0;
      record.members.back().medical_insurance = serial % 5 != 0;
      if (serial % 17 == 0) record.members.front().deceased = true;
      calculator.Add(record);
    }
    auto result = calculator.Finish();
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    const MpiMeasures& total = result->total;
    ASSERT_GT(total.mpi, 0);
    EXPECT_NEAR(total.headcount_ratio * total.intensity, total.mpi, kExact);
    double weighted = 0;
    double indicator_sum = 0;
    for (const MpiIndicatorResult& indicator : total.indicators) {
      weighted += indicator.weight * indicator.censored_ratio;
      indicator_sum += *indicator.contribution;
      EXPECT_LE(indicator.censored_persons, indicator.uncensored_persons);
    }
    EXPECT_NEAR(weighted, total.mpi, kExact);
    EXPECT_NEAR(indicator_sum, 1, kExact);
    double group_sum = 0;
    std::int64_t group_persons = 0;
    for (const MpiSubgroupResult& group : result->subgroups) {
      group_sum += *group.contribution;
      group_persons += group.measures.persons;
    }
    EXPECT_EQ(result->subgroups.size(), by == MpiGrouping::kPrefecture ? 2u : 3u);
    EXPECT_EQ(group_persons, total.persons);
    EXPECT_NEAR(group_sum, 1, kExact);
  }
}

TEST(MpiTest, EducationCountsLivingDropoutsAgedSixToFifteen) {
  const MpiSpec spec = Spec2022();
  const DeprivationMask education = Bit(spec, "education");
  struct Case {
    int age;
    SchoolingStatus schooling;
    bool deceased;
    bool deprived;
  };
  const Case cases[] = {
      {6, SchoolingStatus::kDropout, false, true},        {15, SchoolingStatus::kDropout, false, true},
      {5, SchoolingStatus::kDropout, false, false},       {16, SchoolingStatus::kDropout, false, false},
      {10, SchoolingStatus::kHealthExempt, false, false}, {10, SchoolingStatus::kCompulsory, false, false},
      {10, SchoolingStatus::kDropout, true, false},
  };
  for (const Case& c : cases) {
    HouseholdRecord record = PlainHousehold(2);
    Person child = MakePerson(storage_testing::kVillageA1, c.age, 9);
    child.schooling = c.schooling;
    child.deceased = c.deceased;
    record.members.push_back(child);
    EXPECT_EQ((HouseholdDeprivations(spec, record) & education) != 0, c.deprived) << "age " << c.age;
  }
}

TEST(MpiTest, IncomeUsesLivingMembersAndTheYearsLine) {
  const MpiSpec spec2022 = Spec2022();
  const DeprivationMask income = Bit(spec2022, "income");
  HouseholdRecord record = PlainHousehold(3);
  record.years[0].wage_income = Yuan(6700 * 3);  // exactly at the 2022 line: not deprived
  EXPECT_EQ(HouseholdDeprivations(spec2022, record) & income, 0u);
  record.years[0].wage_income -= 3;  // one fen per person below
  EXPECT_NE(HouseholdDeprivations(spec2022, record) & income, 0u);
  // A deceased member does not divide the income.
  record.years[0].wage_income = Yuan(6700 * 3);
  record.members.push_back(MakePerson(storage_testing::kVillageA1, 80, 7));
  record.members.back().deceased = true;
  EXPECT_EQ(HouseholdDeprivations(spec2022, record) & income, 0u);
  // The 2021 line (6,000) is lower: 6,500 per person is deprived in 2022 only.
  record.years[0].wage_income = Yuan(6500 * 3);
  record.years.push_back(record.years[0]);
  record.years[0].year = 2021;
  EXPECT_NE(HouseholdDeprivations(spec2022, record) & income, 0u);
  auto spec2021 = MakeMpiSpec(ShippedPolicy(), 2021);
  ASSERT_TRUE(spec2021.ok());
  EXPECT_EQ(HouseholdDeprivations(*spec2021, record) & income, 0u);
  // No income for the year: not deprived, but counted.
  auto spec2023 = MakeMpiSpec(ShippedPolicy(), 2023);
  ASSERT_TRUE(spec2023.ok());
  bool missing = false;
  EXPECT_EQ(HouseholdDeprivations(*spec2023, record, &missing) & income, 0u);
  EXPECT_TRUE(missing);
  MpiCalculator calculator(*spec2023, MpiGrouping::kNone);
  calculator.Add(record);
  auto result = calculator.Finish();
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->total.households_without_income, 1);
}

TEST(MpiTest, OtherIndicators) {
  const MpiSpec spec = Spec2022();
  HouseholdRecord record = PlainHousehold(2);
  EXPECT_EQ(HouseholdDeprivations(spec, record), 0u);
  record.household.housing = HousingRating::kB;
  EXPECT_EQ(HouseholdDeprivations(spec, record), 0u);
  record.household.housing = HousingRating::kC;
  EXPECT_EQ(HouseholdDeprivations(spec, record), Bit(spec, "housing"));
  record = PlainHousehold(2);
  record.household.water_convenience_ok = false;
  EXPECT_EQ(HouseholdDeprivations(spec, record), Bit(spec, "water"));
  record = PlainHousehold(2);
  record.household.food_clothing_secure = false;
  EXPECT_EQ(HouseholdDeprivations(spec, record), Bit(spec, "food_clothing"));
  record = PlainHousehold(2);
  record.members[1].medical_insurance = false;
  EXPECT_EQ(HouseholdDeprivations(spec, record), Bit(spec, "medical_insurance"));
  record.members[1].deceased = true;
  EXPECT_EQ(HouseholdDeprivations(spec, record), 0u);
}

TEST(MpiSpecTest, RefusesBadCutoffsAndMissingYears) {
  for (const char* bad : {"0", "0/3", "1.5", "4/3", "-0.2", "abc", "1/0", "", "1/"}) {
    if (std::string(bad).empty()) continue;  // empty means "the policy's k"
    auto spec = MakeMpiSpec(ShippedPolicy(), 2022, bad);
    ASSERT_FALSE(spec.ok()) << bad;
    EXPECT_EQ(spec.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  auto one = MakeMpiSpec(ShippedPolicy(), 2022, "1");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->k, 1.0);
  auto decimal = MakeMpiSpec(ShippedPolicy(), 2022, "0.25");
  ASSERT_TRUE(decimal.ok());
  EXPECT_EQ(decimal->k, 0.25);
  auto policy_k = MakeMpiSpec(ShippedPolicy(), 2022);
  ASSERT_TRUE(policy_k.ok());
  EXPECT_NEAR(policy_k->k, 1.0 / 3, kExact);
  EXPECT_EQ(policy_k->k_text, "1/3");
  EXPECT_EQ(policy_k->monitoring_line, Yuan(6700));

  auto missing = MakeMpiSpec(ShippedPolicy(), 1999);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("1999"), std::string::npos);
}

TEST(MpiSpecTest, IndicatorWithoutImplementationIsAnError) {
  Policy policy = ShippedPolicy();
  policy.mpi.indicators[2].id = "sanitation";
  auto spec = MakeMpiSpec(policy, 2022);
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(spec.status().message().find("sanitation"), std::string::npos);
  // Every id the policy loader knows has an implementation.
  for (const std::string& id : KnownMpiIndicatorIds()) {
    Policy one = ShippedPolicy();
    one.mpi.indicators = {MpiIndicator{id, id, 1.0, "1"}};
    EXPECT_TRUE(MakeMpiSpec(one, 2022).ok()) << id;
  }
}

TEST(MpiGroupingTest, ParsesAndTruncatesCodes) {
  EXPECT_EQ(*ParseMpiGrouping("prefecture"), MpiGrouping::kPrefecture);
  EXPECT_EQ(*ParseMpiGrouping("county"), MpiGrouping::kCounty);
  EXPECT_EQ(*ParseMpiGrouping(""), MpiGrouping::kNone);
  EXPECT_EQ(ParseMpiGrouping("village").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(MpiGroupCode(MpiGrouping::kPrefecture, 630121100201), 630100000000);
  EXPECT_EQ(MpiGroupCode(MpiGrouping::kCounty, 630121100201), 630121000000);
}

class MpiReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/mpi_report_" + std::to_string(::getpid());
    std::filesystem::create_directories(dir_);
    MpiCalculator calculator(Spec2022(), MpiGrouping::kCounty);
    for (const HouseholdRecord& record : GoldenHouseholds()) calculator.Add(record);
    auto result = calculator.Finish({{630121000000, "大通回族土族自治县"}, {630202000000, "乐都区"}});
    ASSERT_TRUE(result.ok());
    result_ = *result;
    context_.database = "golden.db";
    context_.scope_name = "全部";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
  MpiResult result_;
  MpiReportContext context_;
};

TEST_F(MpiReportTest, JsonHoldsTheDocumentedKeys) {
  const std::string path = dir_ + "/mpi.json";
  ASSERT_TRUE(WriteMpiResult(result_, context_, path).ok());
  std::ifstream file(path);
  const nlohmann::json json = nlohmann::json::parse(file);
  for (const char* key : {"database", "scope", "year", "monitoring_line_fen", "monitoring_line_example",
                          "reference_date", "k", "k_text", "by", "households", "households_without_income",
                          "persons", "poor_persons", "H", "A", "MPI", "indicators", "subgroups"}) {
    EXPECT_TRUE(json.contains(key)) << key;
  }
  EXPECT_NEAR(json["MPI"].get<double>(), 0.25, kExact);
  EXPECT_EQ(json["by"], "county");
  ASSERT_EQ(json["subgroups"].size(), 2u);
  EXPECT_EQ(json["subgroups"][0]["name"], "大通回族土族自治县");
  EXPECT_NEAR(json["subgroups"][1]["contribution"].get<double>(), 1.0 / 3, kExact);
  EXPECT_NEAR(json["indicators"][0]["contribution"].get<double>(), 0.2, kExact);
}

TEST_F(MpiReportTest, CsvHasThreeSections) {
  const std::string path = dir_ + "/mpi.csv";
  ASSERT_TRUE(WriteMpiResult(result_, context_, path).ok());
  auto reader = CsvReader::Open(path);
  ASSERT_TRUE(reader.ok());
  std::vector<std::string> fields;
  std::vector<std::string> sections;
  int rows = 0;
  while (true) {
    auto next = (*reader)->Next(&fields);
    ASSERT_TRUE(next.ok());
    if (!*next) break;
    ++rows;
    if (!fields.empty() && !fields[0].empty() && fields[0].front() == '[') sections.push_back(fields[0]);
    if (fields.size() > 1 && fields[0] == "乐都区") {
      EXPECT_EQ(fields[1], "630202000000");
    }
  }
  EXPECT_EQ(sections, (std::vector<std::string>{"[总体]", "[分组]", "[指标]"}));
  EXPECT_GT(rows, 20);
}

TEST_F(MpiReportTest, XlsxHasThreeSheetsWithNumbers) {
  const std::string path = dir_ + "/mpi.xlsx";
  ASSERT_TRUE(WriteMpiResult(result_, context_, path).ok());
  auto reader = XlsxReader::Open(path, "分组");
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->sheet_names(), (std::vector<std::string>{"总体", "分组", "指标"}));
  std::vector<std::string> cells;
  ASSERT_TRUE(*(*reader)->Next(&cells));  // header
  ASSERT_TRUE(*(*reader)->Next(&cells));
  ASSERT_GE(cells.size(), 9u);
  EXPECT_EQ(cells[0], "大通回族土族自治县");
  EXPECT_EQ(cells[3], "9");
  EXPECT_NEAR(std::stod(cells[8]), 2.0 / 3, 1e-9);
}

TEST_F(MpiReportTest, UnknownExtensionIsRefused) {
  Status status = WriteMpiResult(result_, context_, dir_ + "/mpi.txt");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/mpi.txt"));
}

TEST_F(MpiReportTest, SummaryIsChinese) {
  const std::string text = FormatMpiSummary(result_, context_);
  EXPECT_NE(text.find("多维贫困"), std::string::npos);
  EXPECT_NE(text.find("MPI = H×A = 0.2500"), std::string::npos);
  EXPECT_NE(text.find("乐都区"), std::string::npos);
}

}  // namespace
}  // namespace zx
