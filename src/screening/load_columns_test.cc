// LoadColumns through a real SQLite store: the column snapshot gives the same
// screening as reading the rows, and a registry change invalidates it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "domain/policy.h"
#include "rules/column_snapshot.h"
#include "screening/screening.h"
#include "storage/store.h"

namespace zx::screening {
namespace {

HouseholdRecord Household(int serial, Fen per_capita, bool ill) {
  HouseholdRecord record;
  record.household.household_number = "630121100201" + std::to_string(100000 + serial);
  record.household.village_code = 630121100201;
  for (int member_idx = 0; member_idx < 3; ++member_idx) {
    Person person;
    person.name = "测试";
    person.id_number = "Z" + std::to_string(serial * 10 + member_idx);
    person.relation = member_idx == 0 ? Relation::kHead : Relation::kSon;
    person.birth_date = {1980 + member_idx * 10, 3, 1};
    person.labour_skill = LabourSkill::kOrdinary;
    person.health = ill && member_idx == 0 ? Health::kSeriousIllness : Health::kHealthy;
    record.members.push_back(person);
  }
  HouseholdYear year;
  year.year = 2022;
  year.wage_income = per_capita * 3;
  record.years.push_back(year);
  return record;
}

TEST(LoadColumnsTest, SnapshotGivesTheSameScreeningAndIsInvalidatedByWrites) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("zx_load_columns_" + std::to_string(::getpid()) + ".db"))
          .string();
  std::filesystem::remove(path);
  auto divisions = DivisionTable::LoadDefault();
  ASSERT_TRUE(divisions.ok()) << divisions.status().ToString();
  auto store = OpenStore(path, *divisions);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  std::vector<HouseholdRecord> records;
  for (int serial = 0; serial < 40; ++serial)
    records.push_back(Household(serial, 300000 + serial * 20000, serial % 3 == 0));
  VectorHouseholdSource source(records);
  ASSERT_TRUE((*store)->UpsertHouseholds(DivisionScope::All(), source).ok());

  auto policy = LoadDefaultPolicy();
  ASSERT_TRUE(policy.ok());
  auto rule_set = LoadScreeningRules(DefaultRulesPath(), *policy, 2022);
  ASSERT_TRUE(rule_set.ok()) << rule_set.status().ToString();

  LoadInfo first;
  auto scanned = LoadColumns(**store, DivisionScope::All(), *rule_set, &first);
  ASSERT_TRUE(scanned.ok()) << scanned.status().ToString();
  EXPECT_FALSE(first.from_snapshot);
  EXPECT_TRUE(first.snapshot_saved);
  LoadInfo second;
  auto cached = LoadColumns(**store, DivisionScope::All(), *rule_set, &second);
  ASSERT_TRUE(cached.ok());
  EXPECT_TRUE(second.from_snapshot);
  auto from_rows = ScreenColumns(*scanned, *rule_set);
  auto from_snapshot = ScreenColumns(*cached, *rule_set);
  ASSERT_TRUE(from_rows.ok() && from_snapshot.ok());
  EXPECT_FALSE(from_rows->leads.empty());
  EXPECT_EQ(from_rows->leads, from_snapshot->leads);

  // A county scope never uses the snapshot.
  LoadInfo county;
  ASSERT_TRUE(
      LoadColumns(**store, DivisionScope::Of(630121000000, DivisionLevel::kCounty), *rule_set, &county).ok());
  EXPECT_FALSE(county.from_snapshot);
  EXPECT_FALSE(county.snapshot_saved);

  // Changing one household's income invalidates the snapshot; the new load
  // sees the change.
  records[1] = Household(1, 100000, true);
  const std::vector<HouseholdRecord> change = {records[1]};
  VectorHouseholdSource changed(change);
  ASSERT_TRUE((*store)->UpsertHouseholds(DivisionScope::All(), changed).ok());
  LoadInfo third;
  auto reloaded = LoadColumns(**store, DivisionScope::All(), *rule_set, &third);
  ASSERT_TRUE(reloaded.ok());
  EXPECT_FALSE(third.from_snapshot);
  auto after = ScreenColumns(*reloaded, *rule_set);
  ASSERT_TRUE(after.ok());
  bool found = false;
  for (const Lead& lead : after->leads)
    found |= lead.household_number == records[1].household.household_number;
  EXPECT_TRUE(found);
  store->reset();
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace zx::screening
