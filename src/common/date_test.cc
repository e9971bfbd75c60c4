#include "common/date.h"

#include <gtest/gtest.h>

namespace zx {
namespace {

TEST(DateTest, ParsesSpreadsheetForms) {
  Date expected{2021, 3, 5};
  for (const char* text :
       {"2021-03-05", "2021/3/5", "20210305", "2021.3.5", "2021年3月5日", "2021年03月05日", " 2021-3-05 "}) {
    Result<Date> parsed = ParseDate(text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
    EXPECT_EQ(*parsed, expected) << text;
  }
}

TEST(DateTest, RejectsImpossibleDates) {
  for (const char* text : {"", "2021-02-29", "2020-02-30", "2021-13-01", "2021-00-10", "19491232", "2021-3",
                           "21-03-05", "2021-03-05x", "2021030", "abc"}) {
    EXPECT_FALSE(ParseDate(text).ok()) << text;
  }
  EXPECT_TRUE(ParseDate("2020-02-29").ok());
  EXPECT_TRUE(ParseDate("2000-02-29").ok());
  EXPECT_FALSE(ParseDate("1900-02-29").ok());
}

TEST(DateTest, DaysRoundTrip) {
  EXPECT_EQ((Date{1970, 1, 1}).ToDays(), 0);
  EXPECT_EQ((Date{2000, 3, 1}).ToDays(), 11017);
  for (std::int64_t days = -800000; days < 800000; days += 997) {
    EXPECT_EQ(Date::FromDays(days).ToDays(), days);
  }
}

TEST(DateTest, AgeCountsCompletedYears) {
  Date birth{2010, 6, 15};
  EXPECT_EQ(AgeOn(birth, {2016, 6, 14}), 5);
  EXPECT_EQ(AgeOn(birth, {2016, 6, 15}), 6);
  EXPECT_EQ(AgeOn(birth, {2025, 12, 31}), 15);
  EXPECT_EQ((Date{2021, 3, 5}).ToIso(), "2021-03-05");
  EXPECT_EQ((Date{1949, 12, 31}).ToCompact(), "19491231");
}

}  // namespace
}  // namespace zx
