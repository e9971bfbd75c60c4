// Golden screening cases: every *.json under test/golden/screening holds input
// households (labels as in the national template, money in yuan) and, per
// year, the exact leads expected from the shipped rules (data/rules/
// qinghai.rules) and policy: monitoring type, risk codes, per-capita income
// and every explanation, in order. Households not listed must not be leads.
// Format: test/golden/screening/README.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "domain/code_tables.h"
#include "screening/screening.h"

namespace zx::screening {
namespace {

using nlohmann::json;

const Policy& GoldenPolicy() {
  static const Policy policy = [] {
    auto loaded = LoadDefaultPolicy();
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return std::move(loaded).value();
  }();
  return policy;
}

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Fen YuanField(const json& object, const char* key) {
  if (!object.contains(key)) return 0;
  auto parsed =
      ParseYuan(object.at(key).is_string() ? object.at(key).get<std::string>() : object.at(key).dump());
  EXPECT_TRUE(parsed.ok()) << key;
  return parsed.ok() ? *parsed : 0;
}

template <typename Enum>
Enum LabelField(const json& object, const char* key, Enum fallback, bool (*parse)(std::string_view, Enum*)) {
  if (!object.contains(key)) return fallback;
  Enum value = fallback;
  EXPECT_TRUE(parse(object.at(key).get<std::string>(), &value)) << key << " = " << object.at(key);
  return value;
}

Date DateField(const json& object, const char* key) {
  auto parsed = ParseDate(object.at(key).get<std::string>());
  EXPECT_TRUE(parsed.ok()) << object.at(key);
  return parsed.ok() ? *parsed : Date{};
}

HouseholdRecord ParseHousehold(const json& input) {
  HouseholdRecord record;
  Household& household = record.household;
  household.household_number = input.at("number").get<std::string>();
  household.village_code = input.value("village", std::int64_t{630121100201});
  household.ex_poor = input.value("ex_poor", false);
  household.poverty_exit_year = household.ex_poor ? 2019 : 0;
  household.housing = LabelField(input, "housing", HousingRating::kA, ParseHousingRating);
  household.food_clothing_secure = input.value("food_clothing_secure", true);
  household.water_quantity_ok = input.value("water_quantity_ok", true);
  household.water_quality_ok = input.value("water_quality_ok", true);
  household.water_convenience_ok = input.value("water_convenience_ok", true);
  household.water_reliability_ok = input.value("water_reliability_ok", true);
  for (const json& member : input.at("members")) {
    Person person;
    person.name = "测试";
    person.relation = LabelField(member, "relation", Relation::kOther, ParseRelation);
    person.birth_date = DateField(member, "birth");
    person.health = LabelField(member, "health", Health::kHealthy, ParseHealth);
    person.disability_grade = member.value("disability_grade", 0);
    person.labour_skill = LabelField(member, "labour", LabourSkill::kOrdinary, ParseLabourSkill);
    person.schooling = LabelField(member, "schooling", SchoolingStatus::kNotInSchool, ParseSchoolingStatus);
    person.migrant_work_months = member.value("migrant_work_months", 0);
    person.medical_insurance = member.value("medical_insurance", true);
    person.deceased = member.value("deceased", false);
    record.members.push_back(person);
  }
  for (const json& year_input : input.at("years")) {
    HouseholdYear year;
    year.year = year_input.at("year").get<int>();
    year.wage_income = YuanField(year_input, "wage");
    year.business_income = YuanField(year_input, "business");
    year.property_income = YuanField(year_input, "property");
    year.transfer_income = YuanField(year_input, "transfer");
    year.production_cost = YuanField(year_input, "production_cost");
    year.compliant_out_of_pocket = YuanField(year_input, "compliant_out_of_pocket");
    record.years.push_back(year);
  }
  return record;
}

json LeadJson(const Lead& lead) {
  return {{"number", lead.household_number},
          {"village", std::to_string(lead.village_code)},
          {"type", lead.monitoring_type},
          {"risks", lead.risk_codes},
          {"per_capita_net_income", FormatYuan(lead.per_capita_net_income)},
          {"explanations", lead.explanations}};
}

std::vector<std::filesystem::path> GoldenFiles() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(ZX_TEST_DIR "/golden/screening")) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(GoldenScreeningTest, EveryCaseMatchesExactly) {
  const std::vector<std::filesystem::path> files = GoldenFiles();
  ASSERT_GE(files.size(), 3u);
  int runs = 0;
  for (const auto& path : files) {
    SCOPED_TRACE(path.string());
    json golden = json::parse(ReadText(path));
    std::vector<HouseholdRecord> records;
    for (const json& input : golden.at("households")) records.push_back(ParseHousehold(input));
    for (const json& run : golden.at("runs")) {
      const int year = run.at("year").get<int>();
      SCOPED_TRACE(year);
      auto rule_set = LoadScreeningRules(DefaultRulesPath(), GoldenPolicy(), year);
      ASSERT_TRUE(rule_set.ok()) << rule_set.status().ToString();
      auto result = ScreenYear(records, *rule_set);
      ASSERT_TRUE(result.ok()) << result.status().ToString();
      json actual = json::array();
      for (const Lead& lead : result->leads) actual.push_back(LeadJson(lead));
      EXPECT_EQ(actual, run.at("leads")) << "实际结果：\n" << actual.dump(2);
      ++runs;
    }
  }
  EXPECT_GE(runs, 4);
}

}  // namespace
}  // namespace zx::screening
