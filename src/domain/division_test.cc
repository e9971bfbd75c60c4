#include "domain/division.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

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

TEST(DivisionTableTest, CountsPerLevel) {
  const DivisionTable& table = Table();
  EXPECT_EQ(table.AtLevel(DivisionLevel::kProvince).size(), 1u);
  EXPECT_EQ(table.AtLevel(DivisionLevel::kPrefecture).size(), 8u);
  EXPECT_EQ(table.AtLevel(DivisionLevel::kCounty).size(), 45u);
  EXPECT_EQ(table.AtLevel(DivisionLevel::kTownship).size(), 422u);
  EXPECT_EQ(table.AtLevel(DivisionLevel::kVillage).size(), 4716u);
  EXPECT_EQ(table.all().size(), 1u + 8 + 45 + 422 + 4716);
}

TEST(DivisionTableTest, RuralVillageCount) {
  int rural = 0;
  for (const Division* village : Table().AtLevel(DivisionLevel::kVillage)) rural += village->rural ? 1 : 0;
  // 4,150 village and herder committees; DOMAIN.md quotes "about 4,149".
  EXPECT_EQ(rural, 4150);
  for (const Division* county : Table().AtLevel(DivisionLevel::kCounty)) EXPECT_TRUE(county->rural);
}

TEST(DivisionTableTest, RuralFollowsTheName) {
  for (const Division* village : Table().AtLevel(DivisionLevel::kVillage)) {
    const bool urban_name = village->name.find("社区") != std::string::npos ||
                            village->name.find("居委会") != std::string::npos ||
                            village->name.find("居民委员会") != std::string::npos;
    const bool herder = village->name.find("牧委会") != std::string::npos;
    if (urban_name) {
      EXPECT_FALSE(village->rural) << village->code << " " << village->name;
    }
    if (herder) {
      EXPECT_TRUE(village->rural) << village->code << " " << village->name;
    }
  }
}

TEST(DivisionTableTest, ParentLinksAreOneLevelUp) {
  const DivisionTable& table = Table();
  for (const Division& division : table.all()) {
    if (division.level == DivisionLevel::kProvince) {
      EXPECT_EQ(division.parent_code, 0);
      continue;
    }
    const Division* parent = table.Find(division.parent_code);
    ASSERT_NE(parent, nullptr) << division.code;
    EXPECT_EQ(static_cast<int>(parent->level) + 1, static_cast<int>(division.level)) << division.code;
    // The child's code lies inside the parent's code range.
    EXPECT_TRUE(DivisionScope::Of(parent->code, parent->level).Contains(division.code)) << division.code;
  }
}

TEST(DivisionTableTest, FindChildrenFullName) {
  const DivisionTable& table = Table();
  const Division* province = table.Find(630000000000);
  ASSERT_NE(province, nullptr);
  EXPECT_EQ(province->name, "青海省");
  EXPECT_EQ(table.Children(630000000000).size(), 8u);
  const Division* datong = table.Find(630121000000);
  ASSERT_NE(datong, nullptr);
  EXPECT_EQ(datong->name, "大通回族土族自治县");
  EXPECT_EQ(datong->level, DivisionLevel::kCounty);
  std::vector<const Division*> townships = table.Children(630121000000);
  ASSERT_FALSE(townships.empty());
  for (size_t idx = 1; idx < townships.size(); ++idx)
    EXPECT_LT(townships[idx - 1]->code, townships[idx]->code);
  EXPECT_EQ(table.FullName(630121000000), "青海省 西宁市 大通回族土族自治县");
  EXPECT_EQ(table.FullName(townships[0]->code), "青海省 西宁市 大通回族土族自治县 " + townships[0]->name);
  EXPECT_EQ(table.Find(630199000000), nullptr);
  EXPECT_EQ(table.FullName(630199000000), "");
  EXPECT_TRUE(table.Children(630199000000).empty());
}

TEST(DivisionTableTest, CountyOf) {
  const DivisionTable& table = Table();
  for (const Division* village : table.AtLevel(DivisionLevel::kVillage)) {
    const Division* county = table.CountyOf(village->code);
    ASSERT_NE(county, nullptr) << village->code;
    EXPECT_EQ(county->code, village->code / 1000000 * 1000000);
  }
  EXPECT_EQ(table.CountyOf(630121000000)->code, 630121000000);
  EXPECT_EQ(table.CountyOf(630100000000), nullptr);             // a prefecture has no county
  EXPECT_EQ(table.CountyOf(630121999999)->code, 630121000000);  // unknown village, known county
}

TEST(DivisionTableTest, CountyFlagsReachEveryLevelBelow) {
  const DivisionTable& table = Table();
  int pastoral_counties = 0;
  int national = 0;
  int provincial = 0;
  for (const Division* county : table.AtLevel(DivisionLevel::kCounty)) {
    pastoral_counties += county->pastoral ? 1 : 0;
    national += county->key_assistance == KeyAssistance::kNational ? 1 : 0;
    provincial += county->key_assistance == KeyAssistance::kProvincial ? 1 : 0;
  }
  EXPECT_EQ(national, 15);
  EXPECT_EQ(provincial, 10);
  EXPECT_GT(pastoral_counties, 0);
  EXPECT_LT(pastoral_counties, 45);
  for (const Division& division : table.all()) {
    if (static_cast<int>(division.level) < static_cast<int>(DivisionLevel::kCounty)) {
      EXPECT_FALSE(division.pastoral);
      continue;
    }
    const Division* county = table.CountyOf(division.code);
    ASSERT_NE(county, nullptr);
    EXPECT_EQ(division.pastoral, county->pastoral) << division.code;
    EXPECT_EQ(division.key_assistance, county->key_assistance) << division.code;
  }
  // All of Guoluo (6326) is pastoral; Xining's urban districts are not.
  for (const Division* county : table.Children(632600000000)) EXPECT_TRUE(county->pastoral) << county->name;
  EXPECT_FALSE(table.Find(630102000000)->pastoral);
}

TEST(DivisionScopeTest, RangesAndSignificantDigits) {
  EXPECT_EQ(SignificantDigits(DivisionLevel::kProvince), 2);
  EXPECT_EQ(SignificantDigits(DivisionLevel::kPrefecture), 4);
  EXPECT_EQ(SignificantDigits(DivisionLevel::kCounty), 6);
  EXPECT_EQ(SignificantDigits(DivisionLevel::kTownship), 9);
  EXPECT_EQ(SignificantDigits(DivisionLevel::kVillage), 12);

  EXPECT_EQ(DivisionScope::Of(630121000000, DivisionLevel::kCounty),
            (DivisionScope{630121000000, 630121999999}));
  EXPECT_EQ(DivisionScope::Of(630121100000, DivisionLevel::kTownship),
            (DivisionScope{630121100000, 630121100999}));
  EXPECT_EQ(DivisionScope::Of(630000000000, DivisionLevel::kProvince),
            (DivisionScope{630000000000, 639999999999}));
  EXPECT_EQ(DivisionScope::Of(630121100201, DivisionLevel::kVillage),
            (DivisionScope{630121100201, 630121100201}));
  EXPECT_TRUE(DivisionScope::All().Contains(630121100201));
}

TEST(DivisionScopeTest, VillageInsideItsCountyOnly) {
  const DivisionTable& table = Table();
  std::vector<const Division*> counties = table.AtLevel(DivisionLevel::kCounty);
  for (size_t county_idx = 0; county_idx < counties.size(); ++county_idx) {
    const Division* county = counties[county_idx];
    const DivisionScope scope = DivisionScope::Of(county->code, county->level);
    const Division* neighbour = counties[(county_idx + 1) % counties.size()];
    const DivisionScope neighbour_scope = DivisionScope::Of(neighbour->code, neighbour->level);
    for (const Division* township : table.Children(county->code)) {
      for (const Division* village : table.Children(township->code)) {
        EXPECT_TRUE(scope.Contains(village->code)) << village->code;
        EXPECT_FALSE(neighbour_scope.Contains(village->code)) << village->code;
        EXPECT_TRUE(DivisionScope::Of(township->code, township->level).Contains(village->code));
      }
    }
  }
}

TEST(DivisionTableTest, AddressCodeNames) {
  const DivisionTable& table = Table();
  EXPECT_EQ(table.AddressCodeName(630000), "青海省");
  EXPECT_EQ(table.AddressCodeName(630100), "西宁市");
  EXPECT_EQ(table.AddressCodeName(630101), "西宁市市辖区");
  EXPECT_EQ(table.AddressCodeName(630201), "海东市市辖区");
  EXPECT_EQ(table.AddressCodeName(630121), "大通回族土族自治县");
  EXPECT_EQ(table.AddressCodeName(632301), "同仁市");  // a real county, not a 市辖区
  EXPECT_EQ(table.AddressCodeName(632201), "");        // 海北 is a 州: no 市辖区
  EXPECT_EQ(table.AddressCodeName(632121), "平安县（现 平安区）");
  EXPECT_EQ(table.AddressCodeName(630221), "平安县（现 平安区）");
  EXPECT_EQ(table.AddressCodeName(632100), "海东地区（现 海东市）");
  EXPECT_EQ(table.AddressCodeName(630122), "湟中县（现 湟中区）");
  EXPECT_EQ(table.AddressCodeName(632124), "湟中县（现 湟中区）");
  EXPECT_EQ(table.AddressCodeName(632721), "玉树县（现 玉树市）");
  EXPECT_EQ(table.AddressCodeName(632321), "同仁县（现 同仁市）");
  EXPECT_EQ(table.AddressCodeName(630199), "");
  EXPECT_EQ(table.AddressCodeName(110105), "");  // outside Qinghai: not listed
  EXPECT_EQ(table.AddressCodeName(12), "");

  EXPECT_TRUE(table.IsKnownAddressCode(632121));
  EXPECT_TRUE(table.IsKnownAddressCode(630203));
  EXPECT_TRUE(table.IsKnownAddressCode(630101));
  EXPECT_FALSE(table.IsKnownAddressCode(630199));
  EXPECT_FALSE(table.IsKnownAddressCode(110105));

  const auto& historical = table.historical_codes();
  ASSERT_FALSE(historical.empty());
  for (const HistoricalCountyCode& old : historical) {
    EXPECT_EQ(old.old_code / 10000, 63);
    EXPECT_EQ(table.Find(static_cast<DivisionCode>(old.old_code) * 1000000), nullptr) << old.old_code;
    EXPECT_NE(table.Find(static_cast<DivisionCode>(old.current_code) * 1000000), nullptr) << old.current_code;
    EXPECT_GE(old.valid_until_year, old.valid_from_year);
  }
}

TEST(DivisionTableTest, FromDivisionsChecksParentsAndDuplicates) {
  std::vector<Division> divisions = {
      {630000000000, "青海省", DivisionLevel::kProvince, 0},
      {630100000000, "西宁市", DivisionLevel::kPrefecture, 630000000000},
      {630102000000, "城东区", DivisionLevel::kCounty, 630100000000},
  };
  Result<DivisionTable> ok = DivisionTable::FromDivisions(divisions, {{632121, "平安县", 630102, 0, 2013}});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->Children(630000000000).size(), 1u);
  EXPECT_EQ(ok->AddressCodeName(632121), "平安县（现 城东区）");

  std::vector<Division> orphan = divisions;
  orphan.push_back({630103000000, "城中区", DivisionLevel::kCounty, 630199000000});
  Result<DivisionTable> missing_parent = DivisionTable::FromDivisions(orphan);
  ASSERT_FALSE(missing_parent.ok());
  EXPECT_EQ(missing_parent.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing_parent.status().message().find("630199000000"), std::string::npos);

  std::vector<Division> duplicate = divisions;
  duplicate.push_back(divisions[2]);
  EXPECT_FALSE(DivisionTable::FromDivisions(duplicate).ok());

  std::vector<Division> inverted = divisions;
  inverted.push_back({630102001000, "街道", DivisionLevel::kPrefecture, 630102000000});
  EXPECT_FALSE(DivisionTable::FromDivisions(inverted).ok());
}

// Writes a small but complete data directory and lets each test break one thing.
class DivisionLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/zx_division_test_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    std::filesystem::create_directories(dir_ + "/divisions");
    divisions_ =
        "code,name,level,parent_code,rural\n"
        "630000000000,青海省,1,0,1\n"
        "630100000000,西宁市,2,630000000000,1\n"
        "630121000000,大通回族土族自治县,3,630100000000,1\n"
        "630121100000,桥头镇,4,630121000000,1\n"
        "630121100201,\"某村委会\",5,630121100000,1\n"
        "630121100001,某社区居委会,5,630121100000,0\n";
    counties_ = "county_code,name,pastoral,key_assistance\n630121,大通回族土族自治县,0,provincial\n";
    historical_ =
        "old_code,old_name,current_code,valid_from_year,valid_until_year\n632124,湟中县,630121,0,1999\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Result<DivisionTable> Write() {
    std::ofstream(dir_ + "/divisions/qinghai_divisions.csv") << divisions_;
    std::ofstream(dir_ + "/divisions/counties.csv") << counties_;
    std::ofstream(dir_ + "/divisions/historical_codes.csv") << historical_;
    return DivisionTable::Load(dir_);
  }

  void ExpectError(const std::string& file, int line) {
    Result<DivisionTable> table = Write();
    ASSERT_FALSE(table.ok());
    EXPECT_EQ(table.status().code(), StatusCode::kInvalidArgument);
    const std::string where = file + " 第 " + std::to_string(line) + " 行";
    EXPECT_NE(table.status().message().find(where), std::string::npos) << table.status().message();
  }

  std::string dir_;
  std::string divisions_;
  std::string counties_;
  std::string historical_;
};

TEST_F(DivisionLoadTest, GoodFilesLoad) {
  Result<DivisionTable> table = Write();
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->all().size(), 6u);
  const Division* village = table->Find(630121100201);
  ASSERT_NE(village, nullptr);
  EXPECT_EQ(village->name, "某村委会");
  EXPECT_TRUE(village->rural);
  EXPECT_EQ(village->key_assistance, KeyAssistance::kProvincial);
  EXPECT_FALSE(table->Find(630121100001)->rural);
  EXPECT_EQ(table->Find(630100000000)->key_assistance, KeyAssistance::kNone);
  EXPECT_EQ(table->AddressCodeName(632124), "湟中县（现 大通回族土族自治县）");
}

TEST_F(DivisionLoadTest, CrlfAndBomAccepted) {
  std::string crlf = "\xEF\xBB\xBF";
  for (char ch : divisions_) {
    if (ch == '\n') crlf += '\r';
    crlf += ch;
  }
  divisions_ = crlf;
  Result<DivisionTable> table = Write();
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->all().size(), 6u);
}

TEST_F(DivisionLoadTest, MissingFile) {
  ASSERT_TRUE(Write().ok());
  std::filesystem::remove(dir_ + "/divisions/counties.csv");
  Result<DivisionTable> table = DivisionTable::Load(dir_);
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), StatusCode::kNotFound);
  EXPECT_NE(table.status().message().find("counties.csv"), std::string::npos);
}

TEST_F(DivisionLoadTest, BadCode) {
  divisions_ += "63012110020X,坏村,5,630121100000,1\n";
  ExpectError("qinghai_divisions.csv", 8);
}

TEST_F(DivisionLoadTest, BadLevel) {
  divisions_ += "630121100202,坏村,6,630121100000,1\n";
  ExpectError("qinghai_divisions.csv", 8);
}

TEST_F(DivisionLoadTest, MissingParent) {
  divisions_ += "630121100202,孤村,5,630121199000,1\n";
  ExpectError("qinghai_divisions.csv", 8);
}

TEST_F(DivisionLoadTest, LevelDisagreesWithParent) {
  divisions_ += "630121100202,错级村,4,630121100000,1\n";
  ExpectError("qinghai_divisions.csv", 8);
}

TEST_F(DivisionLoadTest, DuplicateCode) {
  divisions_ += "630121100201,重复村,5,630121100000,1\n";
  ExpectError("qinghai_divisions.csv", 8);
}

TEST_F(DivisionLoadTest, WrongColumnCount) {
  divisions_ += "630121100202,少列村,5\n";
  ExpectError("qinghai_divisions.csv", 8);
}

TEST_F(DivisionLoadTest, UnclosedQuote) {
  divisions_ += "630121100202,\"半引号村,5,630121100000,1\n";
  ExpectError("qinghai_divisions.csv", 8);
}

TEST_F(DivisionLoadTest, MissingHeaderColumn) {
  divisions_.replace(0, divisions_.find('\n'), "code,name,level,parent,rural");
  ExpectError("qinghai_divisions.csv", 1);
}

TEST_F(DivisionLoadTest, UnknownCountyInCounties) {
  counties_ += "630199,不存在县,0,none\n";
  ExpectError("counties.csv", 3);
}

TEST_F(DivisionLoadTest, BadKeyAssistance) {
  counties_ = "county_code,name,pastoral,key_assistance\n630121,大通,0,maybe\n";
  ExpectError("counties.csv", 2);
}

TEST_F(DivisionLoadTest, HistoricalPointsToUnknownCode) {
  historical_ += "632121,平安县,630203,0,2013\n";
  ExpectError("historical_codes.csv", 3);
}

TEST_F(DivisionLoadTest, HistoricalBadYears) {
  historical_ += "632121,平安县,630121,2015,2013\n";
  ExpectError("historical_codes.csv", 3);
}

}  // namespace
}  // namespace zx
