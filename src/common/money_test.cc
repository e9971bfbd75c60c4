#include "common/money.h"

#include <gtest/gtest.h>

namespace zx {
namespace {

TEST(MoneyTest, ParsesPlainAndGroupedAmounts) {
  EXPECT_EQ(*ParseYuan("0"), 0);
  EXPECT_EQ(*ParseYuan("6700"), 670000);
  EXPECT_EQ(*ParseYuan("1,234.5"), 123450);
  EXPECT_EQ(*ParseYuan(" 1234.56 "), 123456);
  EXPECT_EQ(*ParseYuan("12,345,678.09"), 1234567809);
  EXPECT_EQ(*ParseYuan("5820元"), 582000);
  EXPECT_EQ(*ParseYuan(".5"), 50);
  EXPECT_EQ(*ParseYuan("3."), 300);
  EXPECT_EQ(*ParseYuan("-20"), -2000);
  EXPECT_EQ(*ParseYuan("+7"), 700);
}

TEST(MoneyTest, RejectsMalformedAmounts) {
  for (const char* bad : {"", " ", "-", "元", "1.234", "12a", "1,23", "1,2345", ",123", "1..2", "1.2.3",
                          "99999999999999999999", "一百"}) {
    Result<Fen> parsed = ParseYuan(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << bad;
    }
  }
}

TEST(MoneyTest, FormatsFenAsYuan) {
  EXPECT_EQ(FormatYuan(0), "0.00");
  EXPECT_EQ(FormatYuan(5), "0.05");
  EXPECT_EQ(FormatYuan(123456), "1234.56");
  EXPECT_EQ(FormatYuan(-2050), "-20.50");
  EXPECT_EQ(FormatYuanGrouped(123456789), "1,234,567.89");
  EXPECT_EQ(FormatYuanGrouped(-100000), "-1,000.00");
  EXPECT_EQ(FormatYuanGrouped(99999), "999.99");
}

TEST(MoneyTest, FormatAndParseRoundTrip) {
  for (Fen fen : {Fen{0}, Fen{1}, Fen{99}, Fen{100}, Fen{670000}, Fen{-12345}, Fen{987654321012}}) {
    EXPECT_EQ(*ParseYuan(FormatYuan(fen)), fen);
    EXPECT_EQ(*ParseYuan(FormatYuanGrouped(fen)), fen);
  }
}

}  // namespace
}  // namespace zx
