#include "synth/generator.h"

#include <gtest/gtest.h>

#include <set>
#include <unordered_set>

#include "domain/content_hash.h"
#include "domain/monitoring_lines.h"
#include "domain/resident_id.h"
#include "synth/names.h"
#include "synth/report.h"

namespace zx {
namespace {

const DivisionTable& Table() {
  static const DivisionTable* table = [] {
    auto loaded = DivisionTable::LoadDefault();
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return new DivisionTable(std::move(loaded).value());
  }();
  return *table;
}

std::vector<std::uint64_t> Hashes(ProvinceGenerator& generator, int count) {
  std::vector<std::uint64_t> hashes;
  for (int household_idx = 0; household_idx < count; ++household_idx) {
    HouseholdRecord record;  // fresh each time
    auto more = generator.Next(&record);
    EXPECT_TRUE(more.ok() && *more);
    hashes.push_back(HouseholdContentHash(record));
  }
  return hashes;
}

TEST(ProvinceGeneratorTest, SameSeedGivesSameHouseholdsWhateverThePullPattern) {
  ProvinceGenerator first(Table(), {3000, 42});
  ASSERT_TRUE(first.status().ok()) << first.status().ToString();
  std::vector<std::uint64_t> expected = Hashes(first, 3000);

  // Second pull pattern: one reused buffer, interleaved with another
  // generator, in uneven batches.
  ProvinceGenerator second(Table(), {3000, 42});
  ProvinceGenerator other(Table(), {3000, 7});
  HouseholdRecord reused;
  HouseholdRecord scratch;
  std::vector<std::uint64_t> actual;
  int batch = 1;
  while (true) {
    bool done = false;
    for (int pulled = 0; pulled < batch; ++pulled) {
      auto more = second.Next(&reused);
      ASSERT_TRUE(more.ok());
      if (!*more) {
        done = true;
        break;
      }
      actual.push_back(HouseholdContentHash(reused));
    }
    if (done) break;
    ASSERT_TRUE(other.Next(&scratch).ok());
    batch = batch * 3 % 997 + 1;
  }
  EXPECT_EQ(actual, expected);
  EXPECT_EQ(second.produced(), 3000);
}

TEST(ProvinceGeneratorTest, DifferentSeedsGiveDifferentHouseholds) {
  ProvinceGenerator a(Table(), {200, 1});
  ProvinceGenerator b(Table(), {200, 2});
  std::vector<std::uint64_t> ha = Hashes(a, 200);
  std::vector<std::uint64_t> hb = Hashes(b, 200);
  int same = 0;
  for (size_t household_idx = 0; household_idx < ha.size(); ++household_idx)
    same += ha[household_idx] == hb[household_idx];
  EXPECT_LT(same, 5);
}

TEST(ProvinceGeneratorTest, StopsAfterTheRequestedCount) {
  ProvinceGenerator generator(Table(), {5, 1});
  HouseholdRecord record;
  for (int household_idx = 0; household_idx < 5; ++household_idx) {
    auto more = generator.Next(&record);
    ASSERT_TRUE(more.ok() && *more);
  }
  auto more = generator.Next(&record);
  ASSERT_TRUE(more.ok());
  EXPECT_FALSE(*more);
  EXPECT_EQ(generator.SizeHint(), 5);
}

TEST(ProvinceGeneratorTest, SetupFailuresAreReported) {
  // No rural village at all.
  std::vector<Division> divisions = {
      {630000000000, "青海省", DivisionLevel::kProvince, 0},
      {630100000000, "西宁市", DivisionLevel::kPrefecture, 630000000000},
      {630102000000, "城东区", DivisionLevel::kCounty, 630100000000},
      {630102001000, "东关大街街道", DivisionLevel::kTownship, 630102000000},
      {630102001001, "某社区居委会", DivisionLevel::kVillage, 630102001000, false},
  };
  auto table = DivisionTable::FromDivisions(divisions);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ProvinceGenerator none(*table, {10, 1});
  EXPECT_EQ(none.status().code(), StatusCode::kFailedPrecondition);
  HouseholdRecord record;
  EXPECT_FALSE(none.Next(&record).ok());

  // One rural village cannot hold more than 9999 households.
  divisions.push_back({630102001201, "某村委会", DivisionLevel::kVillage, 630102001000, true});
  auto one_village = DivisionTable::FromDivisions(divisions);
  ASSERT_TRUE(one_village.ok());
  ProvinceGenerator too_many(*one_village, {10000, 1});
  EXPECT_EQ(too_many.status().code(), StatusCode::kResourceExhausted);
  ProvinceGenerator fits(*one_village, {9999, 1});
  EXPECT_TRUE(fits.status().ok());
}

TEST(ProvinceGeneratorTest, UsesTheAddressCodeInForceInTheBirthYear) {
  // 平安区 630203 was 632121 平安县 until 2013 (hand-made table).
  std::vector<Division> divisions = {
      {630000000000, "青海省", DivisionLevel::kProvince, 0},
      {630200000000, "海东市", DivisionLevel::kPrefecture, 630000000000},
      {630203000000, "平安区", DivisionLevel::kCounty, 630200000000},
      {630203100000, "平安镇", DivisionLevel::kTownship, 630203000000},
      {630203100201, "甲村村委会", DivisionLevel::kVillage, 630203100000, true},
      {630203100202, "乙村村委会", DivisionLevel::kVillage, 630203100000, true},
  };
  std::vector<HistoricalCountyCode> historical = {{632121, "平安县", 630203, 0, 2013}};
  auto table = DivisionTable::FromDivisions(divisions, historical);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ProvinceGenerator generator(*table, {400, 5});
  ASSERT_TRUE(generator.status().ok()) << generator.status().ToString();
  HouseholdRecord record;
  int old_codes = 0;
  int new_codes = 0;
  while (*generator.Next(&record)) {
    EXPECT_EQ(record.household.household_number.substr(0, 12).substr(0, 10), "6302031002");
    for (const Person& person : record.members) {
      auto info = ParseResidentId(person.id_number, &*table);
      ASSERT_TRUE(info.ok()) << person.id_number;
      if (person.birth_date.year <= 2013) {
        EXPECT_EQ(info->address_code, 632121) << person.id_number;
        ++old_codes;
      } else {
        EXPECT_EQ(info->address_code, 630203) << person.id_number;
        ++new_codes;
      }
    }
  }
  EXPECT_GT(old_codes, 0);
  EXPECT_GT(new_codes, 0);
}

// One pass over a 20,000-household province on the real division table.
class ProvinceSampleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    records_ = new std::vector<HouseholdRecord>();
    shocks_ = new std::vector<HouseholdShocks>();
    ProvinceGenerator generator(Table(), {20000, 1});
    ASSERT_TRUE(generator.status().ok()) << generator.status().ToString();
    HouseholdRecord record;
    while (true) {
      auto more = generator.Next(&record);
      ASSERT_TRUE(more.ok());
      if (!*more) break;
      records_->push_back(record);
      shocks_->push_back(generator.last_shocks());
    }
  }
  static void TearDownTestSuite() {
    delete records_;
    delete shocks_;
  }
  static std::vector<HouseholdRecord>* records_;
  static std::vector<HouseholdShocks>* shocks_;
};
std::vector<HouseholdRecord>* ProvinceSampleTest::records_ = nullptr;
std::vector<HouseholdShocks>* ProvinceSampleTest::shocks_ = nullptr;

TEST_F(ProvinceSampleTest, HouseholdNumbersAreUniqueOrderedAndInRuralVillages) {
  ASSERT_EQ(records_->size(), 20000u);
  std::string previous;
  for (const HouseholdRecord& record : *records_) {
    const std::string& number = record.household.household_number;
    ASSERT_EQ(number.size(), 16u);
    EXPECT_EQ(number.substr(0, 12), std::to_string(record.household.village_code));
    EXPECT_NE(number.substr(12), "0000");
    EXPECT_LT(previous, number);
    previous = number;
    const Division* village = Table().Find(record.household.village_code);
    ASSERT_NE(village, nullptr);
    EXPECT_EQ(village->level, DivisionLevel::kVillage);
    EXPECT_TRUE(village->rural) << number;
  }
}

TEST_F(ProvinceSampleTest, ResidentIdsAreValidUniqueAndAgreeWithThePerson) {
  std::unordered_set<std::string> seen;
  for (const HouseholdRecord& record : *records_) {
    const Division* county = Table().CountyOf(record.household.village_code);
    ASSERT_NE(county, nullptr);
    for (const Person& person : record.members) {
      ResidentIdError error = ResidentIdError::kNone;
      auto info = ParseResidentId(person.id_number, &Table(), &error);
      ASSERT_TRUE(info.ok()) << person.id_number << " " << static_cast<int>(error);
      EXPECT_EQ(info->normalized, person.id_number);
      EXPECT_EQ(info->birth_date, person.birth_date);
      EXPECT_EQ(info->sex, person.sex);
      // The county's code, or one of its former codes.
      int county6 = static_cast<int>(county->code / 1000000);
      bool known = info->address_code == county6;
      for (const HistoricalCountyCode& old : Table().historical_codes()) {
        known = known || (old.current_code == county6 && old.old_code == info->address_code);
      }
      EXPECT_TRUE(known) << person.id_number;
      EXPECT_TRUE(seen.insert(person.id_number).second) << "duplicate " << person.id_number;
    }
  }
}

int Age(const Person& person) { return AgeOn(person.birth_date, kSynthReferenceDate); }

TEST_F(ProvinceSampleTest, RelationsSexesAndAgesAreConsistent) {
  for (const HouseholdRecord& record : *records_) {
    ASSERT_GE(record.members.size(), 1u);
    ASSERT_LE(record.members.size(), 8u);
    int heads = 0;
    for (const Person& person : record.members) heads += person.relation == Relation::kHead;
    ASSERT_EQ(heads, 1) << record.household.household_number;
    const Person& head = record.members.front();
    ASSERT_EQ(head.relation, Relation::kHead);
    EXPECT_FALSE(head.deceased);
    EXPECT_GE(Age(head), 18);
    for (const Person& person : record.members) {
      const int age = Age(person);
      EXPECT_GE(age, 0);
      EXPECT_LE(age, 100);
      switch (person.relation) {
        case Relation::kSpouse:
          EXPECT_NE(person.sex, head.sex);
          EXPECT_GE(age, 18);
          break;
        case Relation::kSon:
        case Relation::kGrandson:
        case Relation::kFather:
        case Relation::kSonInLaw:
          EXPECT_EQ(person.sex, Sex::kMale);
          break;
        case Relation::kDaughter:
        case Relation::kGranddaughter:
        case Relation::kMother:
        case Relation::kDaughterInLaw:
          EXPECT_EQ(person.sex, Sex::kFemale);
          break;
        default:
          break;
      }
      if (person.relation == Relation::kSon || person.relation == Relation::kDaughter) {
        EXPECT_LE(age, Age(head) - 18);
      }
      if (person.relation == Relation::kGrandson || person.relation == Relation::kGranddaughter) {
        EXPECT_LE(age, Age(head) - 36);
      }
      if (person.relation == Relation::kFather || person.relation == Relation::kMother) {
        EXPECT_GE(age, Age(head) + 18);
      }
      // Schooling matches age.
      if (person.schooling == SchoolingStatus::kCompulsory || person.schooling == SchoolingStatus::kDropout) {
        EXPECT_GE(age, 6);
        EXPECT_LE(age, 15);
      }
      if (age < 16) {
        EXPECT_EQ(person.labour_skill, LabourSkill::kNone);
        EXPECT_EQ(person.migrant_work_months, 0);
      }
      EXPECT_GE(person.migrant_work_months, 0);
      EXPECT_LE(person.migrant_work_months, 12);
      EXPECT_GE(person.disability_grade, 0);
      EXPECT_LE(person.disability_grade, 4);
      EXPECT_EQ(person.disability_grade > 0, person.health == Health::kDisabled);
      EXPECT_FALSE(person.minimum_living_allowance && person.extreme_hardship);
    }
    // Income panel: 2020–2025, every component non-negative.
    ASSERT_EQ(record.years.size(), 6u);
    for (size_t year_idx = 0; year_idx < record.years.size(); ++year_idx) {
      const HouseholdYear& year = record.years[year_idx];
      EXPECT_EQ(year.year, kFirstPanelYear + static_cast<int>(year_idx));
      EXPECT_GE(year.wage_income, 0);
      EXPECT_GE(year.business_income, 0);
      EXPECT_GE(year.property_income, 0);
      EXPECT_GE(year.transfer_income, 0);
      EXPECT_GE(year.production_cost, 0);
      EXPECT_LE(year.production_cost, year.business_income);
      EXPECT_GE(year.compliant_out_of_pocket, 0);
    }
    if (record.household.ex_poor) {
      EXPECT_GE(record.household.poverty_exit_year, 2014);
      EXPECT_LE(record.household.poverty_exit_year, 2020);
    } else {
      EXPECT_EQ(record.household.poverty_exit_year, 0);
    }
  }
}

// Tolerances documented in docs/synthetic-data.md.
TEST_F(ProvinceSampleTest, DistributionsAreWithinDocumentedTolerances) {
  auto lines = LoadDefaultMonitoringLines();
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  synth::SynthReport report(Table(), MonitoringLineAmounts(*lines));
  for (size_t household_idx = 0; household_idx < records_->size(); ++household_idx) {
    report.Add((*records_)[household_idx], (*shocks_)[household_idx]);
  }
  SCOPED_TRACE(report.Format());
  EXPECT_NEAR(report.MeanHouseholdSize(), 4.2, 0.2);
  EXPECT_NEAR(report.ExPoorPersonShare(), 0.216, 0.025);
  EXPECT_GE(report.EthnicShare(632700, Ethnicity::kTibetan), 0.90);  // Yushu
  EXPECT_GE(report.EthnicShare(632600, Ethnicity::kTibetan), 0.90);  // Guoluo
  EXPECT_GE(report.EthnicShare(630200, Ethnicity::kSalar), 0.02);    // Haidong (Xunhua)
  EXPECT_GE(report.EthnicShare(630100, Ethnicity::kHan), 0.55);      // Xining
  // 2020's example line (4,000 yuan, the old national poverty line) was
  // below nearly everyone by then; the monitoring lines from 2021 on sit
  // near half the mean income.
  EXPECT_GE(report.BelowLineShare(2020), 0.002);
  EXPECT_LE(report.BelowLineShare(2020), 0.08);
  for (int year = 2021; year <= kLastPanelYear; ++year) {
    EXPECT_GE(report.BelowLineShare(year), 0.01) << year;
    EXPECT_LE(report.BelowLineShare(year), 0.08) << year;
  }
  EXPECT_GE(report.ExPoorFallBackShare(), 0.08);
  EXPECT_LE(report.ExPoorFallBackShare(), 0.25);
  EXPECT_GE(report.IllnessShare(), 0.05);
  EXPECT_LE(report.IllnessShare(), 0.08);
  EXPECT_GE(report.DisabledShare(), 0.055);
  EXPECT_LE(report.DisabledShare(), 0.075);
  EXPECT_GE(report.DeceasedShare(), 0.002);
  EXPECT_LE(report.DeceasedShare(), 0.01);
  EXPECT_GT(report.PastoralDeprivationShare(), 1.5 * report.FarmingDeprivationShare());
  EXPECT_LT(report.PastoralDeprivationShare(), 0.2);
}

TEST_F(ProvinceSampleTest, NamesFollowEthnicConventions) {
  int hui_members = 0;
  int hui_sharing = 0;
  int mongol_dots = 0;
  int tibetan_surnamed = 0;
  int tibetan = 0;
  for (const HouseholdRecord& record : *records_) {
    const Person& head = record.members.front();
    for (const Person& person : record.members) {
      EXPECT_FALSE(person.name.empty());
      if (person.name.find("\u00B7") != std::string::npos) {
        ++mongol_dots;
        EXPECT_EQ(person.ethnicity, Ethnicity::kMongol) << person.name;
      }
      if (head.ethnicity == Ethnicity::kHui && &person != &head && person.relation != Relation::kSpouse) {
        ++hui_members;
        hui_sharing += person.name.substr(0, 3) == head.name.substr(0, 3);
      }
      if (person.ethnicity == Ethnicity::kTibetan) {
        ++tibetan;
        // A Han surname in front of a Tibetan name is the exception.
        for (const char* surname : {"王", "李", "张", "刘", "陈"})
          tibetan_surnamed += person.name.rfind(surname, 0) == 0;
      }
    }
  }
  EXPECT_GT(mongol_dots, 0);
  ASSERT_GT(hui_members, 100);
  EXPECT_GT(hui_sharing, hui_members * 0.7);
  ASSERT_GT(tibetan, 1000);
  EXPECT_LT(tibetan_surnamed, tibetan * 0.05);
}

}  // namespace
}  // namespace zx
