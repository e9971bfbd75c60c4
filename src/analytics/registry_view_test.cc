// RegistryView over a real SQLite store: scoping, filters, sorting, paging
// and dashboard figures checked against values computed by hand.
#include "analytics/registry_view.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "domain/policy.h"

namespace zx::analytics {
namespace {

constexpr DivisionCode kVillageA = 630102003203;  // 西宁市 城东区
constexpr DivisionCode kVillageB = 632701102203;  // 玉树州 玉树市

HouseholdRecord Household(DivisionCode village, int serial, int size, Fen per_capita_2025, bool ex_poor) {
  HouseholdRecord record;
  record.household.household_number = std::to_string(village / 1000) + std::to_string(1000 + serial);
  record.household.village_code = village;
  record.household.ex_poor = ex_poor;
  record.household.poverty_exit_year = ex_poor ? 2019 : 0;
  for (int member_idx = 0; member_idx < size; ++member_idx) {
    Person person;
    person.name = member_idx == 0 ? "户主" + std::to_string(serial) : "成员";
    person.id_number = "X" + std::to_string(village) + std::to_string(serial * 10 + member_idx);
    person.relation = member_idx == 0 ? Relation::kHead : Relation::kSon;
    person.birth_date = {1970 + member_idx, 1, 1};
    record.members.push_back(person);
  }
  HouseholdYear year;
  year.year = 2025;
  year.wage_income = per_capita_2025 * size;
  record.years.push_back(year);
  return record;
}

class RegistryViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ =
        (std::filesystem::temp_directory_path() / ("zx_view_" + std::to_string(::getpid()) + ".db")).string();
    std::filesystem::remove(path_);
    auto divisions = DivisionTable::LoadDefault();
    ASSERT_TRUE(divisions.ok());
    auto store = OpenStore(path_, *divisions);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    // Village A: incomes 5,000 / 9,000 / 20,000 yuan; village B: 6,000 and one without 2025 income.
    records_ = {Household(kVillageA, 1, 3, Yuan(5000), true), Household(kVillageA, 2, 1, Yuan(9000), false),
                Household(kVillageA, 3, 5, Yuan(20000), false), Household(kVillageB, 1, 2, Yuan(6000), true),
                Household(kVillageB, 2, 4, Yuan(8000), false)};
    records_[4].years.clear();
    VectorHouseholdSource source(records_);
    ASSERT_TRUE(store_->UpsertHouseholds(DivisionScope::All(), source).ok());
    auto leads = OpenLeadStore(path_);
    ASSERT_TRUE(leads.ok());
    leads_ = std::move(leads).value();
    Lead lead;
    lead.household_number = records_[0].household.household_number;
    lead.village_code = kVillageA;
    lead.monitoring_type = "100A03001";
    lead.risk_codes = {"04", "01"};
    lead.per_capita_net_income = Yuan(5000);
    lead.explanations = {"说明"};
    Lead other = lead;
    other.household_number = records_[3].household.household_number;
    other.village_code = kVillageB;
    other.monitoring_type = "100A03002";
    other.risk_codes = {"01"};
    ASSERT_TRUE(leads_->ReplaceLeads(DivisionScope::All(), {2025, "d", "test", 5}, {lead, other}).ok());
    auto policy = LoadDefaultPolicy();
    ASSERT_TRUE(policy.ok());
    policy_ = std::move(policy).value();
    auto view = RegistryView::Build(*store_, *leads_, policy_);
    ASSERT_TRUE(view.ok()) << view.status().ToString();
    view_ = std::move(view).value();
  }
  void TearDown() override {
    store_.reset();
    leads_.reset();
    std::filesystem::remove(path_);
  }

  std::vector<std::string> Numbers(const ViewPage& page) const {
    std::vector<std::string> numbers;
    for (std::uint32_t row : page.rows) numbers.push_back(view_->household_number(row));
    return numbers;
  }
  const std::string& Number(size_t record_idx) const {
    return records_[record_idx].household.household_number;
  }

  std::string path_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<LeadStore> leads_;
  Policy policy_;
  std::vector<HouseholdRecord> records_;
  std::shared_ptr<const RegistryView> view_;
};

TEST_F(RegistryViewTest, ListsAreScopedFilteredSortedAndPaged) {
  ViewFilter filter;
  filter.year = 2025;
  ViewPage all = view_->List(filter, ViewSort::kHouseholdNumber, false, 0, 100);
  EXPECT_EQ(all.total, 5);
  filter.scope = DivisionScope::Of(kVillageA, DivisionLevel::kVillage);
  ViewPage village = view_->List(filter, ViewSort::kPerCapita, true, 0, 2);
  EXPECT_EQ(village.total, 3);
  EXPECT_EQ(Numbers(village), (std::vector<std::string>{Number(2), Number(1)}));
  ViewPage second_page = view_->List(filter, ViewSort::kPerCapita, true, 2, 2);
  EXPECT_EQ(Numbers(second_page), (std::vector<std::string>{Number(0)}));
  ViewPage ascending = view_->List(filter, ViewSort::kPerCapita, false, 1, 5);
  EXPECT_EQ(ascending.total, 3);
  EXPECT_EQ(Numbers(ascending), (std::vector<std::string>{Number(1), Number(2)}));
  ViewPage by_number = view_->List(filter, ViewSort::kHouseholdNumber, true, 0, 2);
  EXPECT_EQ(by_number.total, 3);
  EXPECT_EQ(Numbers(by_number), (std::vector<std::string>{Number(2), Number(1)}));
  EXPECT_TRUE(view_->List(filter, ViewSort::kHouseholdNumber, false, 10, 5).rows.empty());
  ViewPage by_size = view_->List(filter, ViewSort::kSize, false, 0, 10);
  EXPECT_EQ(Numbers(by_size), (std::vector<std::string>{Number(1), Number(0), Number(2)}));

  ViewFilter risky;
  risky.year = 2025;
  risky.risk = "01";
  EXPECT_EQ(view_->List(risky, ViewSort::kHouseholdNumber, false, 0, 10).total, 2);
  risky.monitoring_type = "100A03001";
  EXPECT_EQ(Numbers(view_->List(risky, ViewSort::kHouseholdNumber, false, 0, 10)),
            (std::vector<std::string>{Number(0)}));
  ViewFilter income;
  income.year = 2025;
  income.income_min = Yuan(6000);
  income.income_max = Yuan(9000);  // inclusive; the household without income never matches
  EXPECT_EQ(view_->List(income, ViewSort::kHouseholdNumber, false, 0, 10).total, 2);
  ViewFilter not_monitored;
  not_monitored.year = 2025;
  not_monitored.monitoring_type = "none";
  not_monitored.ex_poor = false;
  EXPECT_EQ(view_->List(not_monitored, ViewSort::kHouseholdNumber, false, 0, 10).total, 3);
  ViewFilter ordinary;
  ordinary.year = 2025;
  ordinary.ex_poor = false;  // households 1, 2 and 4 (4 has no 2025 income: lowest)
  EXPECT_EQ(Numbers(view_->List(ordinary, ViewSort::kPerCapita, true, 0, 10)),
            (std::vector<std::string>{Number(2), Number(1), Number(4)}));
  EXPECT_EQ(Numbers(view_->List(ordinary, ViewSort::kPerCapita, false, 1, 1)),
            (std::vector<std::string>{Number(1)}));
  ViewFilter keyword;
  keyword.year = 2025;
  keyword.keyword = "户主2";
  EXPECT_EQ(view_->List(keyword, ViewSort::kHouseholdNumber, false, 0, 10).total, 2);  // one per village
  ViewFilter unknown;
  unknown.year = 2025;
  unknown.risk = "99";
  EXPECT_EQ(view_->List(unknown, ViewSort::kHouseholdNumber, false, 0, 10).total, 0);
}

TEST_F(RegistryViewTest, RowsCarryLeadsInTheirOrder) {
  ViewFilter filter;
  filter.year = 2025;
  filter.keyword = Number(0);
  ViewPage page = view_->List(filter, ViewSort::kHouseholdNumber, false, 0, 1);
  ASSERT_EQ(page.rows.size(), 1u);
  EXPECT_EQ(view_->risk_codes(page.rows[0], 2025), (std::vector<std::string>{"04", "01"}));
  EXPECT_EQ(view_->monitoring_type(page.rows[0], 2025), "100A03001");
  EXPECT_EQ(view_->monitoring_type(page.rows[0], 2024), "");
  EXPECT_EQ(view_->head_name(page.rows[0]), "户主1");
  EXPECT_EQ(view_->per_capita(page.rows[0], 2025), Yuan(5000));
}

TEST_F(RegistryViewTest, DashboardFiguresMatchHandCounts) {
  const DivisionScope province = DivisionScope::All();
  std::vector<std::pair<DivisionCode, DivisionScope>> children = {
      {630100000000, DivisionScope::Of(630100000000, DivisionLevel::kPrefecture)},
      {632700000000, DivisionScope::Of(632700000000, DivisionLevel::kPrefecture)},
      {630200000000, DivisionScope::Of(630200000000, DivisionLevel::kPrefecture)}};
  DashboardFigures figures = view_->Dashboard(province, 2025, children);
  EXPECT_EQ(figures.households, 5);
  EXPECT_EQ(figures.persons, 15);
  EXPECT_EQ(figures.ex_poor_households, 2);
  EXPECT_EQ(figures.ex_poor_persons, 5);
  EXPECT_EQ(figures.monitored_households, 2);
  EXPECT_EQ(figures.by_type["100A03001"], 1);
  EXPECT_EQ(figures.by_risk["01"], 2);
  EXPECT_EQ(figures.by_risk["04"], 1);
  // Bins: <4,000 | 4,000–6,000 | 6,000–8,000 | 8,000–10,000 | … | 15,000–20,000 | 20,000–30,000 | ≥30,000.
  EXPECT_EQ(figures.income_histogram, (std::vector<std::int64_t>{0, 1, 1, 1, 0, 0, 1, 0}));
  ASSERT_FALSE(figures.trend.empty());
  const DashboardFigures::Year& last = figures.trend.back();
  EXPECT_EQ(last.year, 2025);
  const Fen line = (*policy_.Year(2025))->monitoring_line;
  std::int64_t below = 0;
  for (Fen income : {Yuan(5000), Yuan(9000), Yuan(20000), Yuan(6000)}) below += income < line ? 1 : 0;
  EXPECT_EQ(last.below_line_households, below);
  EXPECT_EQ(last.mean_per_capita, (Yuan(5000) + Yuan(9000) + Yuan(20000) + Yuan(6000)) / 4);
  ASSERT_EQ(figures.children.size(), 3u);
  EXPECT_EQ(figures.children[0].households, 3);
  EXPECT_EQ(figures.children[1].households, 2);
  EXPECT_EQ(figures.children[1].monitored_households, 1);
  EXPECT_EQ(figures.children[2].households, 0);
  DashboardFigures village =
      view_->Dashboard(DivisionScope::Of(kVillageB, DivisionLevel::kVillage), 2025, {});
  EXPECT_EQ(village.households, 2);
  EXPECT_EQ(village.monitored_households, 1);
}

}  // namespace
}  // namespace zx::analytics
