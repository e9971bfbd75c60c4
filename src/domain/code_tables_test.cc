#include "domain/code_tables.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace zx {
namespace {

// Every value has a distinct non-empty label that parses back to it.
template <typename Enum, typename Parser>
void ExpectRoundTrip(Parser parse, size_t expected_count) {
  std::span<const Enum> values = AllValues<Enum>();
  EXPECT_EQ(values.size(), expected_count);
  std::set<std::string_view> labels;
  for (Enum value : values) {
    std::string_view label = Label(value);
    EXPECT_FALSE(label.empty()) << static_cast<int>(value);
    EXPECT_TRUE(labels.insert(label).second) << label;
    Enum parsed{};
    ASSERT_TRUE(parse(label, &parsed)) << label;
    EXPECT_EQ(parsed, value) << label;
    // Surrounding spaces (ASCII and ideographic) do not matter.
    ASSERT_TRUE(parse(" " + std::string(label) + "\xE3\x80\x80", &parsed)) << label;
    EXPECT_EQ(parsed, value) << label;
  }
}

TEST(CodeTablesTest, RoundTrips) {
  ExpectRoundTrip<Sex>(ParseSex, 2);
  ExpectRoundTrip<HousingRating>(ParseHousingRating, 4);
  ExpectRoundTrip<Relation>(ParseRelation, 12);
  ExpectRoundTrip<Ethnicity>(ParseEthnicity, 7);
  ExpectRoundTrip<Education>(ParseEducation, 7);
  ExpectRoundTrip<SchoolingStatus>(ParseSchoolingStatus, 7);
  ExpectRoundTrip<Health>(ParseHealth, 4);
  ExpectRoundTrip<LabourSkill>(ParseLabourSkill, 5);
  ExpectRoundTrip<DivisionLevel>(ParseDivisionLevel, 5);
  ExpectRoundTrip<KeyAssistance>(ParseKeyAssistance, 3);
}

TEST(CodeTablesTest, CanonicalLabels) {
  EXPECT_EQ(Label(Sex::kMale), "男");
  EXPECT_EQ(Label(Sex::kFemale), "女");
  EXPECT_EQ(Label(HousingRating::kC), "C级");
  EXPECT_EQ(Label(Relation::kHead), "户主");
  EXPECT_EQ(Label(Relation::kSon), "之子");
  EXPECT_EQ(Label(Ethnicity::kSalar), "撒拉族");
  EXPECT_EQ(Label(Education::kIlliterate), "文盲或半文盲");
  EXPECT_EQ(Label(SchoolingStatus::kDropout), "辍学");
  EXPECT_EQ(Label(Health::kSeriousIllness), "患有大病");
  EXPECT_EQ(Label(LabourSkill::kWeak), "弱劳动力或半劳动力");
  EXPECT_EQ(Label(DivisionLevel::kProvince), "省");
  EXPECT_EQ(Label(DivisionLevel::kPrefecture), "市州");
  EXPECT_EQ(Label(DivisionLevel::kCounty), "县");
  EXPECT_EQ(Label(DivisionLevel::kTownship), "乡镇");
  EXPECT_EQ(Label(DivisionLevel::kVillage), "村");
}

TEST(CodeTablesTest, Synonyms) {
  Sex sex{};
  EXPECT_TRUE(ParseSex("男性", &sex));
  EXPECT_EQ(sex, Sex::kMale);
  EXPECT_TRUE(ParseSex("女性", &sex));
  EXPECT_EQ(sex, Sex::kFemale);

  HousingRating rating{};
  EXPECT_TRUE(ParseHousingRating("A", &rating));
  EXPECT_EQ(rating, HousingRating::kA);
  EXPECT_TRUE(ParseHousingRating("d", &rating));
  EXPECT_EQ(rating, HousingRating::kD);
  EXPECT_TRUE(ParseHousingRating("Ｃ级", &rating));  // full-width C
  EXPECT_EQ(rating, HousingRating::kC);
  EXPECT_TRUE(ParseHousingRating("C级危房", &rating));
  EXPECT_EQ(rating, HousingRating::kC);

  Relation relation{};
  EXPECT_TRUE(ParseRelation("本人", &relation));
  EXPECT_EQ(relation, Relation::kHead);
  EXPECT_TRUE(ParseRelation("妻子", &relation));
  EXPECT_EQ(relation, Relation::kSpouse);
  EXPECT_TRUE(ParseRelation("儿子", &relation));
  EXPECT_EQ(relation, Relation::kSon);
  EXPECT_TRUE(ParseRelation("儿媳", &relation));
  EXPECT_EQ(relation, Relation::kDaughterInLaw);
  EXPECT_TRUE(ParseRelation("其它", &relation));
  EXPECT_EQ(relation, Relation::kOther);

  Ethnicity ethnicity{};
  EXPECT_TRUE(ParseEthnicity("汉", &ethnicity));
  EXPECT_EQ(ethnicity, Ethnicity::kHan);
  EXPECT_TRUE(ParseEthnicity("藏", &ethnicity));
  EXPECT_EQ(ethnicity, Ethnicity::kTibetan);
  EXPECT_TRUE(ParseEthnicity("蒙古", &ethnicity));
  EXPECT_EQ(ethnicity, Ethnicity::kMongol);
  EXPECT_TRUE(ParseEthnicity("满族", &ethnicity));  // any other group
  EXPECT_EQ(ethnicity, Ethnicity::kOther);
  EXPECT_TRUE(ParseEthnicity("东乡族", &ethnicity));
  EXPECT_EQ(ethnicity, Ethnicity::kOther);

  Education education{};
  EXPECT_TRUE(ParseEducation("文盲", &education));
  EXPECT_EQ(education, Education::kIlliterate);
  EXPECT_TRUE(ParseEducation("中专(中职)", &education));  // ASCII parentheses
  EXPECT_EQ(education, Education::kVocational);
  EXPECT_TRUE(ParseEducation("本科", &education));
  EXPECT_EQ(education, Education::kCollege);

  SchoolingStatus schooling{};
  EXPECT_TRUE(ParseSchoolingStatus("小学", &schooling));
  EXPECT_EQ(schooling, SchoolingStatus::kCompulsory);
  EXPECT_TRUE(ParseSchoolingStatus("送教上门", &schooling));
  EXPECT_EQ(schooling, SchoolingStatus::kHealthExempt);

  Health health{};
  EXPECT_TRUE(ParseHealth("慢性病", &health));
  EXPECT_EQ(health, Health::kChronic);
  EXPECT_TRUE(ParseHealth("大病", &health));
  EXPECT_EQ(health, Health::kSeriousIllness);

  LabourSkill skill{};
  EXPECT_TRUE(ParseLabourSkill("半劳动力", &skill));
  EXPECT_EQ(skill, LabourSkill::kWeak);
  EXPECT_TRUE(ParseLabourSkill("丧失劳动能力", &skill));
  EXPECT_EQ(skill, LabourSkill::kLostAbility);

  DivisionLevel level{};
  EXPECT_TRUE(ParseDivisionLevel("乡", &level));
  EXPECT_EQ(level, DivisionLevel::kTownship);
  EXPECT_TRUE(ParseDivisionLevel("州", &level));
  EXPECT_EQ(level, DivisionLevel::kPrefecture);
  EXPECT_TRUE(ParseDivisionLevel("社区", &level));
  EXPECT_EQ(level, DivisionLevel::kVillage);
}

TEST(CodeTablesTest, UnknownLabelsRejectedAndOutputUntouched) {
  Sex sex = Sex::kFemale;
  EXPECT_FALSE(ParseSex("未知", &sex));
  EXPECT_FALSE(ParseSex("", &sex));
  EXPECT_EQ(sex, Sex::kFemale);
  HousingRating rating = HousingRating::kB;
  EXPECT_FALSE(ParseHousingRating("E级", &rating));
  EXPECT_EQ(rating, HousingRating::kB);
  Relation relation{};
  EXPECT_FALSE(ParseRelation("邻居", &relation));
  Ethnicity ethnicity{};
  EXPECT_FALSE(ParseEthnicity("族", &ethnicity));
  EXPECT_FALSE(ParseEthnicity("火星人", &ethnicity));
  Education education{};
  EXPECT_FALSE(ParseEducation("博士后", &education));
  Health health{};
  EXPECT_FALSE(ParseHealth("\xFF\xFE", &health));  // malformed UTF-8
}

TEST(CodeTablesTest, YesNo) {
  for (const char* yes : {"是", "Y", "y", "YES", "1", "有", "对", "TRUE", "√", "Ｙ", " 是 "}) {
    bool value = false;
    EXPECT_TRUE(ParseYesNo(yes, &value)) << yes;
    EXPECT_TRUE(value) << yes;
  }
  for (const char* no : {"否", "N", "n", "no", "0", "无", "错", "False", "×", "没有"}) {
    bool value = true;
    EXPECT_TRUE(ParseYesNo(no, &value)) << no;
    EXPECT_FALSE(value) << no;
  }
  bool value = true;
  EXPECT_FALSE(ParseYesNo("也许", &value));
  EXPECT_FALSE(ParseYesNo("", &value));
  EXPECT_TRUE(value);
}

}  // namespace
}  // namespace zx
