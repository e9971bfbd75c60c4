#include "rules/column_snapshot.h"

#include <gtest/gtest.h>

#include "rules/test_support.h"

namespace zx::rules {
namespace {

using testing::MakeHousehold;

void ExpectSameColumns(const ColumnarData& a, const ColumnarData& b) {
  ASSERT_EQ(a.households.size, b.households.size);
  EXPECT_EQ(a.households.year, b.households.year);
  EXPECT_EQ(a.households.reference_date, b.households.reference_date);
  EXPECT_EQ(a.households.household_number, b.households.household_number);
  EXPECT_EQ(a.households.person_begin, b.households.person_begin);
  ASSERT_EQ(a.households.fields.size(), b.households.fields.size());
  for (size_t field_idx = 0; field_idx < a.households.fields.size(); ++field_idx) {
    EXPECT_EQ(a.households.fields[field_idx].RawBytes(), b.households.fields[field_idx].RawBytes())
        << field_idx;
  }
  ASSERT_EQ(a.persons.size, b.persons.size);
  EXPECT_EQ(a.persons.household, b.persons.household);
  for (size_t field_idx = 0; field_idx < a.persons.fields.size(); ++field_idx) {
    EXPECT_EQ(a.persons.fields[field_idx].RawBytes(), b.persons.fields[field_idx].RawBytes()) << field_idx;
  }
}

ColumnarData Sample() {
  std::vector<HouseholdRecord> records = {MakeHousehold("630121100201000001", 3, 500000),
                                          MakeHousehold("630121100201000002", 1, 900000),
                                          MakeHousehold("630121100201000003", 5, 120000)};
  records[1].members[0].deceased = true;  // no living member
  return BuildColumns(records, 2022, {2022, 12, 31});
}

TEST(ColumnSnapshotTest, RoundTripsEveryColumn) {
  const ColumnarData data = Sample();
  auto restored = DeserializeColumns(SerializeColumns(data));
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  ExpectSameColumns(data, *restored);
  auto empty = DeserializeColumns(SerializeColumns(EmptyColumns(2025, {2025, 12, 31})));
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_EQ(empty->households.size, 0u);
}

TEST(ColumnSnapshotTest, RefusesDamagedBytes) {
  const std::string bytes = SerializeColumns(Sample());
  // Every truncation is refused, never read out of bounds.
  for (size_t length = 0; length < bytes.size(); length += 7) {
    auto restored = DeserializeColumns(std::string_view(bytes).substr(0, length));
    EXPECT_EQ(restored.status().code(), StatusCode::kDataLoss) << length;
  }
  EXPECT_EQ(DeserializeColumns(bytes + "x").status().code(), StatusCode::kDataLoss);
  std::string wrong_magic = bytes;
  wrong_magic[0] = 'Y';
  EXPECT_EQ(DeserializeColumns(wrong_magic).status().code(), StatusCode::kDataLoss);
  std::string wrong_catalog = bytes;
  wrong_catalog[8] ^= 1;  // first byte of the catalog signature
  auto refused = DeserializeColumns(wrong_catalog);
  EXPECT_EQ(refused.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(refused.status().message().find("字段目录"), std::string::npos);
}

TEST(ColumnSnapshotTest, KeyNamesYearAndCatalog) {
  EXPECT_NE(ColumnSnapshotKey(2024), ColumnSnapshotKey(2025));
  EXPECT_NE(ColumnSnapshotKey(2025).find("2025"), std::string::npos);
}

}  // namespace
}  // namespace zx::rules
