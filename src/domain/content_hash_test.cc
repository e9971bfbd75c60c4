#include "domain/content_hash.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace zx {
namespace {

HouseholdRecord SampleRecord() {
  HouseholdRecord record;
  record.household.household_number = "6301211002010001";
  record.household.village_code = 630121100201;
  record.household.ex_poor = true;
  record.household.poverty_exit_year = 2019;
  record.household.phone = "13800000000";
  Person head;
  head.name = "马明";
  head.id_number = "630121198001010011";
  head.birth_date = Date{1980, 1, 1};
  head.relation = Relation::kHead;
  head.ethnicity = Ethnicity::kHui;
  Person spouse = head;
  spouse.name = "韩梅";
  spouse.id_number = "630121198203040026";
  spouse.sex = Sex::kFemale;
  spouse.birth_date = Date{1982, 3, 4};
  spouse.relation = Relation::kSpouse;
  record.members = {head, spouse};
  record.years = {HouseholdYear{2021, Yuan(8000), Yuan(3000), 0, Yuan(1200), Yuan(500), 0},
                  HouseholdYear{2022, Yuan(8500), Yuan(3100), 0, Yuan(1300), Yuan(600), Yuan(50)}};
  return record;
}

TEST(ContentHashTest, EqualRecordsHashEqual) {
  EXPECT_EQ(HouseholdContentHash(SampleRecord()), HouseholdContentHash(SampleRecord()));
}

// The hash is persisted in databases: it must not drift between builds.
// The empty record's value was computed independently (Python: FNV-1a 64 over
// the documented byte layout, then the SplitMix64 finaliser).
TEST(ContentHashTest, GoldenValueIsStable) {
  EXPECT_EQ(HouseholdContentHash(HouseholdRecord{}), 0xa0ad465973b0cfa9ULL);
  EXPECT_EQ(HouseholdContentHash(SampleRecord()), 0xd8737e8fe555b6d1ULL);
}

TEST(ContentHashTest, EveryFieldChangesTheHash) {
  std::vector<std::function<void(HouseholdRecord&)>> mutations = {
      [](HouseholdRecord& r) { r.household.household_number += "1"; },
      [](HouseholdRecord& r) { r.household.village_code += 1; },
      [](HouseholdRecord& r) { r.household.ex_poor = !r.household.ex_poor; },
      [](HouseholdRecord& r) { r.household.poverty_exit_year = 2020; },
      [](HouseholdRecord& r) { r.household.safety_net = !r.household.safety_net; },
      [](HouseholdRecord& r) { r.household.relocated = !r.household.relocated; },
      [](HouseholdRecord& r) { r.household.housing = HousingRating::kC; },
      [](HouseholdRecord& r) { r.household.food_clothing_secure = !r.household.food_clothing_secure; },
      [](HouseholdRecord& r) { r.household.water_quantity_ok = !r.household.water_quantity_ok; },
      [](HouseholdRecord& r) { r.household.water_quality_ok = !r.household.water_quality_ok; },
      [](HouseholdRecord& r) { r.household.water_convenience_ok = !r.household.water_convenience_ok; },
      [](HouseholdRecord& r) { r.household.water_reliability_ok = !r.household.water_reliability_ok; },
      [](HouseholdRecord& r) { r.household.phone = ""; },
      [](HouseholdRecord& r) { r.members[1].name = "韩梅梅"; },
      [](HouseholdRecord& r) { r.members[1].id_number = "630121198203040042"; },
      [](HouseholdRecord& r) { r.members[1].sex = Sex::kMale; },
      [](HouseholdRecord& r) { r.members[1].birth_date.day = 5; },
      [](HouseholdRecord& r) { r.members[1].birth_date.month = 4; },
      [](HouseholdRecord& r) { r.members[1].birth_date.year = 1983; },
      [](HouseholdRecord& r) { r.members[1].relation = Relation::kOther; },
      [](HouseholdRecord& r) { r.members[1].ethnicity = Ethnicity::kSalar; },
      [](HouseholdRecord& r) { r.members[1].education = Education::kCollege; },
      [](HouseholdRecord& r) { r.members[1].schooling = SchoolingStatus::kDropout; },
      [](HouseholdRecord& r) { r.members[1].health = Health::kChronic; },
      [](HouseholdRecord& r) { r.members[1].disability_grade = 2; },
      [](HouseholdRecord& r) { r.members[1].labour_skill = LabourSkill::kWeak; },
      [](HouseholdRecord& r) { r.members[1].migrant_work_months = 6; },
      [](HouseholdRecord& r) { r.members[1].medical_insurance = false; },
      [](HouseholdRecord& r) { r.members[1].minimum_living_allowance = true; },
      [](HouseholdRecord& r) { r.members[1].extreme_hardship = true; },
      [](HouseholdRecord& r) { r.members[1].deceased = true; },
      [](HouseholdRecord& r) { r.members.pop_back(); },
      [](HouseholdRecord& r) { std::swap(r.members[0], r.members[1]); },
      [](HouseholdRecord& r) { r.years[0].year = 2020; },
      [](HouseholdRecord& r) { r.years[0].wage_income += 1; },
      [](HouseholdRecord& r) { r.years[0].business_income += 1; },
      [](HouseholdRecord& r) { r.years[0].property_income += 1; },
      [](HouseholdRecord& r) { r.years[0].transfer_income += 1; },
      [](HouseholdRecord& r) { r.years[0].production_cost += 1; },
      [](HouseholdRecord& r) { r.years[0].compliant_out_of_pocket += 1; },
      [](HouseholdRecord& r) { r.years.pop_back(); },
      [](HouseholdRecord& r) { std::swap(r.years[0], r.years[1]); },
  };
  std::set<std::uint64_t> seen = {HouseholdContentHash(SampleRecord())};
  for (size_t mutation_idx = 0; mutation_idx < mutations.size(); ++mutation_idx) {
    HouseholdRecord record = SampleRecord();
    mutations[mutation_idx](record);
    ASSERT_NE(record, SampleRecord()) << "mutation " << mutation_idx << " changed nothing";
    EXPECT_TRUE(seen.insert(HouseholdContentHash(record)).second) << "mutation " << mutation_idx;
  }
}

// Length prefixes keep field boundaries: moving characters from one string
// field to the next gives different bytes.
TEST(ContentHashTest, FieldBoundariesAreUnambiguous) {
  HouseholdRecord a = SampleRecord();
  HouseholdRecord b = SampleRecord();
  a.members[0].name = "马明X";
  a.members[0].id_number = "630121198001010011";
  b.members[0].name = "马明";
  b.members[0].id_number = "X630121198001010011";
  std::string bytes_a;
  std::string bytes_b;
  AppendCanonicalHousehold(a, &bytes_a);
  AppendCanonicalHousehold(b, &bytes_b);
  EXPECT_NE(bytes_a, bytes_b);
  EXPECT_NE(HouseholdContentHash(a), HouseholdContentHash(b));
}

}  // namespace
}  // namespace zx
