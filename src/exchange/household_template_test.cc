#include "exchange/household_template.h"

#include <gtest/gtest.h>

#include <set>

namespace zx {
namespace {

TEST(HouseholdTemplateTest, ColumnsAreInFieldOrderWithUniqueHeaders) {
  std::set<std::string_view> headers;
  for (int field_idx = 0; field_idx < kTemplateFieldCount; ++field_idx) {
    const auto field = static_cast<TemplateField>(field_idx);
    EXPECT_EQ(ColumnOf(field).field, field);
    EXPECT_TRUE(headers.insert(ColumnOf(field).header).second) << ColumnOf(field).header;
    EXPECT_EQ(FindTemplateField(ColumnOf(field).header), field);
  }
  EXPECT_TRUE(headers.count("姓名"));
  EXPECT_TRUE(headers.count("证件号码"));
}

TEST(HouseholdTemplateTest, HeadersMatchAfterNormalisation) {
  EXPECT_EQ(FindTemplateField(" 证件号码　"), TemplateField::kIdNumber);
  EXPECT_EQ(FindTemplateField("与户主 关系"), TemplateField::kRelation);
  EXPECT_FALSE(FindTemplateField("身份证号").has_value());
}

TEST(HouseholdTemplateTest, RecognisesIncomeYearColumns) {
  int year = 0;
  IncomeField field{};
  ASSERT_TRUE(ParseIncomeColumnHeader("2022年工资性收入（元）", &year, &field));
  EXPECT_EQ(year, 2022);
  EXPECT_EQ(field, IncomeField::kWage);
  ASSERT_TRUE(ParseIncomeColumnHeader("2099年合规自付支出(元)", &year, &field));
  EXPECT_EQ(year, 2099);
  EXPECT_EQ(field, IncomeField::kCompliantOutOfPocket);
  ASSERT_TRUE(ParseIncomeColumnHeader("２０００年 生产经营性支出", &year, &field));
  EXPECT_EQ(year, 2000);
  EXPECT_EQ(field, IncomeField::kProductionCost);
  EXPECT_FALSE(ParseIncomeColumnHeader("1999年工资性收入（元）", &year, &field));
  EXPECT_FALSE(ParseIncomeColumnHeader("2100年工资性收入（元）", &year, &field));
  EXPECT_FALSE(ParseIncomeColumnHeader("2022年工资收入（元）", &year, &field));
  EXPECT_FALSE(ParseIncomeColumnHeader("2022工资性收入（元）", &year, &field));
  EXPECT_FALSE(ParseIncomeColumnHeader("年工资性收入", &year, &field));
}

TEST(HouseholdTemplateTest, TemplateHeaderRoundTrips) {
  const std::vector<std::string> header = TemplateHeader(DefaultIncomeYears());
  ASSERT_EQ(header.size(), static_cast<size_t>(kTemplateFieldCount + 6 * kIncomeFieldCount));
  EXPECT_EQ(header[kTemplateFieldCount], "2020年工资性收入（元）");
  for (size_t column = kTemplateFieldCount; column < header.size(); ++column) {
    int year = 0;
    IncomeField field{};
    ASSERT_TRUE(ParseIncomeColumnHeader(header[column], &year, &field)) << header[column];
    EXPECT_EQ(IncomeColumnHeader(year, field), header[column]);
  }
  EXPECT_TRUE(IsIgnorableColumn("序号"));
  EXPECT_FALSE(IsIgnorableColumn("家庭住址"));
}

}  // namespace
}  // namespace zx
