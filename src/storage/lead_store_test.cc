// The LeadStore contract (lead_store.h), through the interface only.
#include "storage/lead_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "storage/store.h"
#include "storage/store_test_records.h"

namespace zx {
namespace {

using namespace storage_testing;  // NOLINT: test fixtures

class LeadStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("zx_leads_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    location_ = "sqlite:" + dir_ + "/registry.db";
    auto registry = OpenStore(location_, TestDivisions());
    ASSERT_TRUE(registry.ok()) << registry.status().ToString();
    households_ = {MakeHousehold(1, kVillageA1), MakeHousehold(2, kVillageA2), MakeHousehold(3, kVillageB1),
                   MakeHousehold(4, kVillageC1)};
    VectorHouseholdSource source(households_);
    ASSERT_TRUE((*registry)->UpsertHouseholds(DivisionScope::All(), source).ok());
    auto leads = OpenLeadStore(location_);
    ASSERT_TRUE(leads.ok()) << leads.status().ToString();
    leads_ = std::move(leads).value();
  }
  void TearDown() override {
    leads_.reset();
    std::filesystem::remove_all(dir_);
  }

  Lead LeadOf(size_t household_idx, std::string type = "100A03002") const {
    Lead lead;
    lead.household_number = households_[household_idx].household.household_number;
    lead.village_code = households_[household_idx].household.village_code;
    lead.monitoring_type = std::move(type);
    lead.risk_codes = {"01", "04"};
    lead.deprivations = {"D_WATER_QUALITY"};
    lead.per_capita_net_income = 512345;
    lead.explanations = {"收入在监测范围内：家庭人均纯收入 5,123.45 元，低于 2025 年监测标准 7,600 元",
                         "因病：家庭成员中患有大病 1 人"};
    return lead;
  }

  std::vector<Lead> All(const DivisionScope& scope, int year) {
    std::vector<Lead> out;
    Status status = leads_->ScanLeads(scope, year, [&](const Lead& lead) {
      out.push_back(lead);
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return out;
  }

  static ScreeningRunInfo Info(int year) { return {year, "abc123", "cli", 4}; }

  std::string dir_;
  std::string location_;
  std::vector<HouseholdRecord> households_;
  std::unique_ptr<LeadStore> leads_;
};

TEST_F(LeadStoreTest, RoundTripsEveryField) {
  std::vector<Lead> written = {LeadOf(0), LeadOf(2, "100A03001")};
  written[1].deprivations.clear();
  auto run = leads_->ReplaceLeads(DivisionScope::All(), Info(2025), written);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->leads, 2);
  EXPECT_GT(run->id, 0);
  EXPECT_FALSE(run->run_at.empty());
  EXPECT_EQ(All(DivisionScope::All(), 2025), written);
  EXPECT_TRUE(All(DivisionScope::All(), 2024).empty());
  auto one = leads_->GetLead(DivisionScope::All(), 2025, written[1].household_number);
  ASSERT_TRUE(one.ok());
  ASSERT_TRUE(one->has_value());
  EXPECT_EQ(**one, written[1]);
}

TEST_F(LeadStoreTest, ReplacingOneCountyLeavesOthersAlone) {
  ASSERT_TRUE(leads_->ReplaceLeads(DivisionScope::All(), Info(2025), {LeadOf(0), LeadOf(2), LeadOf(3)}).ok());
  ASSERT_TRUE(leads_->ReplaceLeads(DivisionScope::All(), Info(2024), {LeadOf(0)}).ok());
  const DivisionScope datong = DivisionScope::Of(kDatong, DivisionLevel::kCounty);
  // Re-screening Datong finds household 2 instead of household 1.
  ASSERT_TRUE(leads_->ReplaceLeads(datong, Info(2025), {LeadOf(1)}).ok());
  std::vector<Lead> all = All(DivisionScope::All(), 2025);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].household_number, households_[1].household.household_number);
  EXPECT_EQ(All(DivisionScope::All(), 2024).size(), 1u);  // other year untouched
  EXPECT_EQ(All(datong, 2025).size(), 1u);
  auto runs = leads_->ListRuns(DivisionScope::Of(kHuangzhong, DivisionLevel::kCounty), 10);
  ASSERT_TRUE(runs.ok());
  EXPECT_EQ(runs->size(), 2u);  // the two province-wide runs, not Datong's
  auto datong_runs = leads_->ListRuns(datong, 10);
  ASSERT_TRUE(datong_runs.ok());
  ASSERT_EQ(datong_runs->size(), 3u);
  EXPECT_EQ((*datong_runs)[0].scope, datong);  // newest first
}

TEST_F(LeadStoreTest, ReadsAreScoped) {
  ASSERT_TRUE(leads_->ReplaceLeads(DivisionScope::All(), Info(2025), {LeadOf(0), LeadOf(3)}).ok());
  const DivisionScope haidong = DivisionScope::Of(kHaidong, DivisionLevel::kPrefecture);
  EXPECT_EQ(All(haidong, 2025).size(), 1u);
  auto hidden = leads_->GetLead(haidong, 2025, households_[0].household.household_number);
  ASSERT_TRUE(hidden.ok());
  EXPECT_FALSE(hidden->has_value());
}

TEST_F(LeadStoreTest, BadWritesChangeNothing) {
  ASSERT_TRUE(leads_->ReplaceLeads(DivisionScope::All(), Info(2025), {LeadOf(0)}).ok());
  const DivisionScope datong = DivisionScope::Of(kDatong, DivisionLevel::kCounty);
  // A lead outside the scope of the run.
  auto outside = leads_->ReplaceLeads(datong, Info(2025), {LeadOf(1), LeadOf(3)});
  EXPECT_EQ(outside.status().code(), StatusCode::kPermissionDenied);
  // A household that is not in the registry, after a valid one.
  Lead ghost = LeadOf(1);
  ghost.household_number = "632000000000000099";
  auto missing = leads_->ReplaceLeads(datong, Info(2025), {LeadOf(1), ghost});
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find(ghost.household_number), std::string::npos);
  // A newline inside an explanation.
  Lead broken = LeadOf(1);
  broken.explanations.push_back("第一行\n第二行");
  EXPECT_EQ(leads_->ReplaceLeads(datong, Info(2025), {broken}).status().code(), StatusCode::kInvalidArgument);
  // Still exactly the first write, and no extra run recorded.
  std::vector<Lead> all = All(DivisionScope::All(), 2025);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0], LeadOf(0));
  auto runs = leads_->ListRuns(DivisionScope::All(), 10);
  ASSERT_TRUE(runs.ok());
  EXPECT_EQ(runs->size(), 1u);
}

}  // namespace
}  // namespace zx
