#include "screening/lead_file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/csv.h"
#include "common/xlsx.h"

namespace zx::screening {
namespace {

class LeadFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("zx_lead_file_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    auto policy = LoadDefaultPolicy();
    ASSERT_TRUE(policy.ok()) << policy.status().ToString();
    policy_ = std::move(policy).value();
    Lead lead;
    lead.household_number = "6327262002150001";
    lead.village_code = 632726200215;
    lead.monitoring_type = kSuddenHardship;
    lead.risk_codes = {"01", "0205"};
    lead.per_capita_net_income = Yuan(6701);
    lead.explanations = {"刚性支出后收入低于监测范围：说明一", "因病：说明二"};
    leads_ = {lead};
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  Policy policy_;
  std::vector<Lead> leads_;
};

const std::vector<std::string> kExpectedRow = {"6327262002150001",
                                               "632726200215",
                                               "100A03003",
                                               "突发严重困难户",
                                               "01;0205",
                                               "6701.00",
                                               "刚性支出后收入低于监测范围：说明一；因病：说明二"};

TEST_F(LeadFileTest, CsvRoundTrips) {
  const std::string path = (dir_ / "leads.csv").string();
  ASSERT_TRUE(WriteLeadsFile(path, leads_, policy_).ok());
  auto reader = CsvReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  std::vector<std::string> row;
  ASSERT_TRUE(*(*reader)->Next(&row));
  EXPECT_EQ(row, LeadHeader());
  ASSERT_TRUE(*(*reader)->Next(&row));
  EXPECT_EQ(row, kExpectedRow);
  EXPECT_FALSE(*(*reader)->Next(&row));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp.csv"));
}

TEST_F(LeadFileTest, XlsxRoundTrips) {
  const std::string path = (dir_ / "leads.XLSX").string();
  ASSERT_TRUE(WriteLeadsFile(path, leads_, policy_).ok());
  auto reader = XlsxReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  std::vector<std::string> row;
  ASSERT_TRUE(*(*reader)->Next(&row));
  EXPECT_EQ(row, LeadHeader());
  ASSERT_TRUE(*(*reader)->Next(&row));
  EXPECT_EQ(row, kExpectedRow);
}

TEST_F(LeadFileTest, RefusesOtherExtensionsAndUnwritablePaths) {
  Status status = WriteLeadsFile((dir_ / "leads.txt").string(), leads_, policy_);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("leads.txt"), std::string::npos);
  EXPECT_FALSE(WriteLeadsFile((dir_ / "absent" / "leads.csv").string(), leads_, policy_).ok());
  EXPECT_FALSE(std::filesystem::exists(dir_ / "leads.txt"));
}

}  // namespace
}  // namespace zx::screening
