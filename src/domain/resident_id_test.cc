#include "domain/resident_id.h"

#include <gtest/gtest.h>

namespace zx {
namespace {

const DivisionTable& Table() {
  static const DivisionTable* table = [] {
    Result<DivisionTable> loaded = DivisionTable::LoadDefault();
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return new DivisionTable(std::move(loaded).value());
  }();
  return *table;
}

const Date kToday{2024, 6, 1};

ResidentIdError ErrorOf(std::string_view raw, const DivisionTable* table = nullptr,
                        const Date& today = kToday) {
  ResidentIdError error = ResidentIdError::kNone;
  Result<ResidentIdInfo> info = ParseResidentId(raw, table, &error, today);
  EXPECT_EQ(info.ok(), error == ResidentIdError::kNone) << raw;
  if (!info.ok()) {
    EXPECT_EQ(info.status().code(), StatusCode::kInvalidArgument);
    // The message starts with the kind's Chinese message.
    EXPECT_EQ(info.status().message().rfind(std::string(ResidentIdErrorMessage(error)), 0), 0u)
        << info.status().message();
  }
  return error;
}

TEST(ResidentIdTest, GbWorkedExampleFemale) {
  Result<ResidentIdInfo> info = ParseResidentId("11010519491231002X", nullptr, nullptr, kToday);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->normalized, "11010519491231002X");
  EXPECT_FALSE(info->upgraded);
  EXPECT_EQ(info->address_code, 110105);
  EXPECT_EQ(info->birth_date, (Date{1949, 12, 31}));
  EXPECT_EQ(info->sex, Sex::kFemale);
}

TEST(ResidentIdTest, GbWorkedExampleMale) {
  Result<ResidentIdInfo> info = ParseResidentId("440524188001010014", &Table(), nullptr, kToday);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->birth_date, (Date{1880, 1, 1}));
  EXPECT_EQ(info->sex, Sex::kMale);
  EXPECT_EQ(info->address_code, 440524);
}

TEST(ResidentIdTest, CheckChar) {
  EXPECT_EQ(ResidentIdCheckChar("11010519491231002"), 'X');
  EXPECT_EQ(ResidentIdCheckChar("44052418800101001"), '4');
  EXPECT_EQ(ResidentIdCheckChar("63010219900307123"), '1');
}

TEST(ResidentIdTest, Normalisation) {
  // Full-width digits and a full-width lowercase x.
  EXPECT_EQ(NormalizeResidentId("１１０１０５１９４９１２３１００２ｘ"), "11010519491231002X");
  EXPECT_EQ(NormalizeResidentId("11010519491231002x"), "11010519491231002X");
  // ASCII, ideographic and no-break spaces; hyphens and dashes.
  EXPECT_EQ(NormalizeResidentId(" 110105 19491231\xE3\x80\x80"
                                "002\xC2\xA0X "),
            "11010519491231002X");
  EXPECT_EQ(NormalizeResidentId("110105-19491231-002X"), "11010519491231002X");
  EXPECT_EQ(NormalizeResidentId("110105\xEF\xBC\x8D"
                                "19491231\xE2\x80\x94"
                                "002X"),
            "11010519491231002X");
  EXPECT_EQ(NormalizeResidentId("\xEF\xBC\xB8"), "X");  // full-width capital X
  EXPECT_EQ(NormalizeResidentId(""), "");

  Result<ResidentIdInfo> info =
      ParseResidentId("１１０１０５ １９４９１２３１ ００２ｘ", nullptr, nullptr, kToday);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->normalized, "11010519491231002X");
}

TEST(ResidentIdTest, UpgradeFrom15Digits) {
  EXPECT_EQ(UpgradeResidentId15("632121800101001"), "63212119800101001X");
  // With the table: 632121 is the historical code of 平安县.
  Result<ResidentIdInfo> info = ParseResidentId("632121800101001", &Table(), nullptr, kToday);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_TRUE(info->upgraded);
  EXPECT_EQ(info->normalized, "63212119800101001X");
  EXPECT_EQ(info->birth_date, (Date{1980, 1, 1}));
  EXPECT_EQ(info->sex, Sex::kMale);
  EXPECT_EQ(info->address_code, 632121);

  Result<ResidentIdInfo> female = ParseResidentId("110105491231002", nullptr, nullptr, kToday);
  ASSERT_TRUE(female.ok());
  EXPECT_EQ(female->normalized, "11010519491231002X");
  EXPECT_EQ(female->sex, Sex::kFemale);
}

TEST(ResidentIdTest, HistoricalAndCurrentQinghaiCodes) {
  EXPECT_EQ(ErrorOf("63212119800101001X", &Table()), ResidentIdError::kNone);  // 平安县, historical
  EXPECT_EQ(ErrorOf(std::string("63020319800101001") + ResidentIdCheckChar("63020319800101001"), &Table()),
            ResidentIdError::kNone);  // 平安区, current
  EXPECT_EQ(ErrorOf("630102199003071231", &Table()), ResidentIdError::kNone);
  const std::string prefecture = std::string("63010019900307123") + ResidentIdCheckChar("63010019900307123");
  EXPECT_EQ(ErrorOf(prefecture, &Table()), ResidentIdError::kNone);  // 西宁市
  const std::string urban = std::string("63010119900307123") + ResidentIdCheckChar("63010119900307123");
  EXPECT_EQ(ErrorOf(urban, &Table()), ResidentIdError::kNone);  // 西宁市市辖区
}

TEST(ResidentIdTest, UnknownQinghaiCodeRejectedOnlyWithTable) {
  const std::string unknown = std::string("63019919900307123") + ResidentIdCheckChar("63019919900307123");
  EXPECT_EQ(ErrorOf(unknown, &Table()), ResidentIdError::kUnknownAddress);
  EXPECT_EQ(ErrorOf(unknown, nullptr), ResidentIdError::kNone);
  // Non-Qinghai codes are not checked against the table.
  EXPECT_EQ(ErrorOf("11010519491231002X", &Table()), ResidentIdError::kNone);
  const std::string elsewhere = std::string("11019919900307123") + ResidentIdCheckChar("11019919900307123");
  EXPECT_EQ(ErrorOf(elsewhere, &Table()), ResidentIdError::kNone);
}

TEST(ResidentIdTest, EveryErrorKind) {
  EXPECT_EQ(ErrorOf(""), ResidentIdError::kEmpty);
  EXPECT_EQ(ErrorOf(" \xE3\x80\x80-"), ResidentIdError::kEmpty);

  EXPECT_EQ(ErrorOf("1101051949123100"), ResidentIdError::kBadLength);     // 16
  EXPECT_EQ(ErrorOf("11010519491231002X1"), ResidentIdError::kBadLength);  // 19
  EXPECT_EQ(ErrorOf("12345"), ResidentIdError::kBadLength);

  EXPECT_EQ(ErrorOf("11010519491231002Y"), ResidentIdError::kBadCharacter);
  EXPECT_EQ(ErrorOf("1101051949123100X2"), ResidentIdError::kBadCharacter);             // X not last
  EXPECT_EQ(ErrorOf("11010549123100X"), ResidentIdError::kBadCharacter);                // 15 digits have no X
  EXPECT_EQ(ErrorOf("11010519491231002\xE4\xB8\x80"), ResidentIdError::kBadCharacter);  // 一 at 18
  EXPECT_EQ(ErrorOf("11010519491231002\xFF"), ResidentIdError::kBadCharacter);          // malformed byte

  EXPECT_EQ(ErrorOf("110105194902300023"), ResidentIdError::kBadDate);  // Feb 30
  EXPECT_EQ(ErrorOf("110105194913010023"), ResidentIdError::kBadDate);  // month 13
  EXPECT_EQ(ErrorOf("110105187912310023"), ResidentIdError::kBadDate);  // before 1880
  EXPECT_EQ(ErrorOf("110105202406020023"), ResidentIdError::kBadDate);  // after today (2024-06-01)
  EXPECT_EQ(ErrorOf("110105490230002"), ResidentIdError::kBadDate);     // 15 digits, 1949-02-30

  EXPECT_EQ(ErrorOf("110105194912310021"), ResidentIdError::kBadChecksum);
  EXPECT_EQ(ErrorOf("110105194912310020"), ResidentIdError::kBadChecksum);

  const std::string unknown = std::string("63019919900307123") + ResidentIdCheckChar("63019919900307123");
  EXPECT_EQ(ErrorOf(unknown, &Table()), ResidentIdError::kUnknownAddress);

  EXPECT_EQ(ErrorOf(std::string("99010519491231002") + ResidentIdCheckChar("99010519491231002")),
            ResidentIdError::kBadProvince);
  EXPECT_EQ(ErrorOf("000000194912310020"), ResidentIdError::kBadProvince);
  EXPECT_EQ(ErrorOf("990105491231002"), ResidentIdError::kBadProvince);
}

TEST(ResidentIdTest, TodayBoundaryAndLeapDay) {
  EXPECT_EQ(ErrorOf(std::string("11010520240601002") + ResidentIdCheckChar("11010520240601002")),
            ResidentIdError::kNone);  // born today
  EXPECT_EQ(ErrorOf(std::string("11010520000229002") + ResidentIdCheckChar("11010520000229002")),
            ResidentIdError::kNone);
  EXPECT_EQ(ErrorOf(std::string("11010519000229002") + ResidentIdCheckChar("11010519000229002")),
            ResidentIdError::kBadDate);  // 1900 is not a leap year
}

TEST(ResidentIdTest, ErrorPointerOptionalAndReset) {
  ResidentIdError error = ResidentIdError::kBadDate;
  EXPECT_TRUE(ParseResidentId("11010519491231002X", nullptr, &error, kToday).ok());
  EXPECT_EQ(error, ResidentIdError::kNone);
  EXPECT_FALSE(ParseResidentId("x", nullptr, nullptr, kToday).ok());
}

TEST(ResidentIdTest, MessagesAreChineseAndDistinct) {
  const ResidentIdError kinds[] = {
      ResidentIdError::kEmpty,       ResidentIdError::kBadLength,   ResidentIdError::kBadCharacter,
      ResidentIdError::kBadDate,     ResidentIdError::kBadChecksum, ResidentIdError::kUnknownAddress,
      ResidentIdError::kBadProvince,
  };
  for (ResidentIdError kind : kinds) {
    std::string_view message = ResidentIdErrorMessage(kind);
    EXPECT_NE(message.find("身份证号码"), std::string_view::npos);
    for (ResidentIdError other : kinds) {
      if (other != kind) {
        EXPECT_NE(message, ResidentIdErrorMessage(other));
      }
    }
  }
}

TEST(ResidentIdTest, Mask) {
  EXPECT_EQ(MaskResidentId("11010519491231002X"), "1101**********002X");
  EXPECT_EQ(MaskResidentId("110105491231002"), "1101*******1002");
  EXPECT_EQ(MaskResidentId("1234"), "****");
  EXPECT_EQ(MaskResidentId(""), "");
}

}  // namespace
}  // namespace zx
