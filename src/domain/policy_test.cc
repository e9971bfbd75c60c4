#include "domain/policy.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "domain/registry.h"

namespace zx {
namespace {

std::string Fixture(const std::string& name) {
  return std::string(ZX_TEST_DIR) + "/data/policy/" + name + ".toml";
}

TEST(PolicyTest, ShippedFileHasOfficialLinesAndAllTables) {
  auto policy = LoadDefaultPolicy();
  ASSERT_TRUE(policy.ok()) << policy.status().ToString();
  EXPECT_EQ(policy->path, DefaultPolicyPath());
  EXPECT_EQ(policy->province, "青海省");

  ASSERT_NE(policy->FindYear(2021), nullptr);
  ASSERT_NE(policy->FindYear(2022), nullptr);
  EXPECT_EQ(policy->FindYear(2021)->monitoring_line, Yuan(6000));
  EXPECT_TRUE(policy->FindYear(2021)->official);
  EXPECT_EQ(policy->FindYear(2022)->monitoring_line, Yuan(6700));
  EXPECT_TRUE(policy->FindYear(2022)->official);
  EXPECT_EQ(policy->FindYear(2022)->reference_date, (Date{2022, 12, 31}));
  // The same example values as the former monitoring_lines.csv, labelled as examples.
  const std::map<int, Fen> examples = {
      {2020, Yuan(4000)}, {2023, Yuan(7100)}, {2024, Yuan(7500)}, {2025, Yuan(7800)}};
  for (const auto& [year, line] : examples) {
    const YearPolicy* found = policy->FindYear(year);
    ASSERT_NE(found, nullptr) << year;
    EXPECT_EQ(found->monitoring_line, line) << year;
    EXPECT_FALSE(found->official) << year;
    EXPECT_NE(found->source.find("示例"), std::string::npos) << year;
  }
  for (int year = kFirstPanelYear; year <= kLastPanelYear; ++year) {
    ASSERT_NE(policy->FindYear(year), nullptr) << year;
    EXPECT_EQ(policy->FindYear(year)->reference_date.year, year);
  }
  // 2022's provincial rural income (DOMAIN.md §8) is the base of the 2023 medical signal.
  ASSERT_TRUE(policy->FindYear(2023)->previous_year_rural_income.has_value());
  EXPECT_EQ(*policy->FindYear(2023)->previous_year_rural_income, Yuan(14456));
  EXPECT_TRUE(policy->FindYear(2023)->previous_year_rural_income_official);

  EXPECT_EQ(policy->monitoring_types.entries.size(), 3u);
  EXPECT_EQ(policy->monitoring_types.NameOf("100A03001"), "脱贫不稳定户");
  EXPECT_EQ(policy->monitoring_types.NameOf("100A03002"), "边缘易致贫户");
  EXPECT_EQ(policy->monitoring_types.NameOf("100A03003"), "突发严重困难户");
  for (const char* code : {"01", "0201", "0202", "0203", "0204", "0205", "0206", "0299", "03", "04", "05",
                           "06", "07", "08", "09", "99"}) {
    EXPECT_TRUE(policy->risk_types.Contains(code)) << code;
  }
  EXPECT_EQ(policy->risk_types.entries.size(), 16u);
  EXPECT_NE(policy->risk_types.source.find("地方"), std::string::npos);
  EXPECT_FALSE(policy->risk_types.Contains("02"));
  EXPECT_EQ(policy->risk_types.NameOf("nope"), "");
  EXPECT_EQ(policy->measures.entries.size(), 14u);
  for (const char* code : {"100A39", "100A40", "100A41", "100A42", "100A45", "100A46", "100A47", "100A48",
                           "100A50", "100A51", "100A52", "100A53", "100A54", "100A55"}) {
    EXPECT_TRUE(policy->measures.Contains(code)) << code;
  }

  EXPECT_FALSE(policy->signals.official);
  EXPECT_EQ(policy->signals.medical_out_of_pocket_percent_monitored, 50);
  EXPECT_EQ(policy->signals.medical_out_of_pocket_percent_others, 100);
  EXPECT_EQ(policy->signals.hospital_stay_cost_monitored, Yuan(5000));
  EXPECT_EQ(policy->signals.hospital_stay_cost_others, Yuan(20000));
  EXPECT_EQ(policy->signals.non_compulsory_schooling_cost, Yuan(10000));
  auto threshold = policy->MedicalOutOfPocketThreshold(2023, /*monitored=*/true);
  ASSERT_TRUE(threshold.ok());
  EXPECT_EQ(*threshold, Yuan(7228));
  EXPECT_EQ(*policy->MedicalOutOfPocketThreshold(2023, /*monitored=*/false), Yuan(14456));

  ASSERT_EQ(policy->mpi.indicators.size(), 6u);
  EXPECT_DOUBLE_EQ(policy->mpi.k, 1.0 / 3.0);
  EXPECT_EQ(policy->mpi.k_text, "1/3");
  double sum = 0;
  for (std::size_t indicator_idx = 0; indicator_idx < policy->mpi.indicators.size(); ++indicator_idx) {
    const MpiIndicator& indicator = policy->mpi.indicators[indicator_idx];
    EXPECT_EQ(indicator.id, KnownMpiIndicatorIds()[indicator_idx]);
    EXPECT_DOUBLE_EQ(indicator.weight, 1.0 / 6.0);
    sum += indicator.weight;
  }
  EXPECT_NEAR(sum, 1.0, 1e-9);
}

TEST(PolicyTest, MinimalFixtureLoadsWithDecimalsFractionsAndOptionalIncome) {
  auto policy = LoadPolicy(Fixture("valid_minimal"));
  ASSERT_TRUE(policy.ok()) << policy.status().ToString();
  ASSERT_EQ(policy->years.size(), 2u);
  const YearPolicy& y2022 = policy->years.at(2022);
  EXPECT_EQ(y2022.monitoring_line, 670050);
  EXPECT_FALSE(y2022.official);
  EXPECT_EQ(y2022.reference_date, (Date{2022, 6, 30}));
  EXPECT_EQ(y2022.file_line, 11);
  EXPECT_EQ(y2022.previous_year_rural_income, Yuan(13600));
  EXPECT_FALSE(policy->years.at(2021).previous_year_rural_income.has_value());
  auto missing_income = policy->MedicalOutOfPocketThreshold(2021, true);
  ASSERT_FALSE(missing_income.ok());
  EXPECT_EQ(missing_income.status().code(), StatusCode::kNotFound);
  auto missing_year = policy->Year(2030);
  ASSERT_FALSE(missing_year.ok());
  EXPECT_EQ(missing_year.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing_year.status().message().find("2021、2022"), std::string::npos);
  EXPECT_DOUBLE_EQ(policy->mpi.k, 0.5);
  EXPECT_EQ(policy->mpi.indicators[0].weight_text, "1/2");
  EXPECT_DOUBLE_EQ(policy->mpi.indicators[1].weight, 0.5);
  EXPECT_EQ(policy->risk_types.Find("0201")->name, "因灾（洪涝灾害）");
}

TEST(PolicyTest, ConfirmedDecreaseIsAccepted) {
  auto policy = LoadPolicy(Fixture("valid_line_decrease_confirmed"));
  ASSERT_TRUE(policy.ok()) << policy.status().ToString();
  EXPECT_EQ(policy->years.at(2022).monitoring_line, Yuan(5000));
}

struct BadFixture {
  const char* name;
  const char* position;  // "第 L 行" or "第 L 行第 C 列"
  const char* fragment;  // part of the reason
};

TEST(PolicyTest, EachErrorKindNamesFileLineAndColumn) {
  const BadFixture cases[] = {
      {"bad_syntax", "第 6 行", "TOML 语法错误"},
      {"bad_unknown_key", "第 7 行第 1 列", "未知的键“stauts”"},
      {"bad_missing_key", "第 4 行", "缺少必填的键“reference_date”"},
      {"bad_wrong_type", "第 6 行第 24 列", "实际为字符串"},
      {"bad_zero_line", "第 6 行第 24 列", "必须大于零"},
      {"bad_negative_line", "第 6 行第 24 列", "必须大于零"},
      {"bad_yuan_decimals", "第 6 行第 24 列", "两位小数"},
      {"bad_duplicate_year", "第 12 行", "2021 年重复出现（第一次在第 4 行）"},
      {"bad_year_range", "第 5 行第 8 列", "超出范围"},
      {"bad_status", "第 7 行第 10 列", "official"},
      {"bad_duplicate_code", "第 29 行", "编码“01”重复（第一次在第 28 行）"},
      {"bad_code_chars", "第 35 行", "编码“100-A39”无效"},
      {"bad_empty_name", "第 35 行", "不能为空"},
      {"bad_weight_sum", "第 49 行", "权重之和应为 1"},
      {"bad_k_zero", "第 48 行第 5 列", "k = 0 超出范围"},
      {"bad_k_above_one", "第 48 行第 5 列", "k = 4/3 超出范围"},
      {"bad_fraction", "第 50 行", "分母必须大于零"},
      {"bad_unknown_indicator", "第 51 行", "未知的多维贫困指标“watr”"},
      {"bad_calendar_date", "第 9 行", "TOML 语法错误"},
      {"bad_date_type", "第 9 行第 18 列", "应为日期"},
      {"bad_date_outside_year", "第 9 行第 18 列", "应在 2021 年内"},
      {"bad_line_decrease", "第 13 行第 24 列", "低于 2021 年"},
      {"bad_missing_table", "第 1 行", "缺少必填的键“signals”"},
      {"bad_income_unknown_key", "第 17 行", "未知的键“sorce”"},
  };
  for (const BadFixture& bad : cases) {
    const std::string path = Fixture(bad.name);
    auto policy = LoadPolicy(path);
    ASSERT_FALSE(policy.ok()) << bad.name;
    EXPECT_EQ(policy.status().code(), StatusCode::kInvalidArgument) << bad.name;
    const std::string& message = policy.status().message();
    EXPECT_NE(message.find(path), std::string::npos) << bad.name << ": " << message;
    EXPECT_NE(message.find(bad.position), std::string::npos) << bad.name << ": " << message;
    EXPECT_NE(message.find(bad.fragment), std::string::npos) << bad.name << ": " << message;
  }
}

TEST(PolicyTest, MissingFileIsUnavailable) {
  auto policy = LoadPolicy(Fixture("does_not_exist"));
  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.status().code(), StatusCode::kUnavailable);
}

TEST(PolicyTest, ParsePolicyAcceptsAnExtraYearWithoutRebuild) {
  std::ifstream in(Fixture("valid_minimal"), std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string year_2023 =
      "\n[[years]]\nyear = 2023\nmonitoring_line_yuan = 7100\nstatus = \"example\"\nsource = \"新增\"\n"
      "reference_date = 2023-12-31\n";
  // Array-of-tables entries may appear anywhere before the next header of another table.
  const std::size_t codes = text.find("[codes.monitoring_types]");
  ASSERT_NE(codes, std::string::npos);
  text.insert(codes, year_2023 + "\n");
  auto policy = ParsePolicy(text, "内存中的策略");
  ASSERT_TRUE(policy.ok()) << policy.status().ToString();
  EXPECT_EQ(policy->years.size(), 3u);
  EXPECT_EQ(policy->years.at(2023).monitoring_line, Yuan(7100));
}

class PolicyHolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("zx_policy_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    live_ = (dir_ / "policy.toml").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Install(const std::string& fixture) {
    std::filesystem::copy_file(Fixture(fixture), live_, std::filesystem::copy_options::overwrite_existing);
  }

  std::filesystem::path dir_;
  std::string live_;
};

TEST_F(PolicyHolderTest, BrokenFileKeepsPreviousPolicyAndGoodFileSwaps) {
  PolicyHolder holder;
  EXPECT_EQ(holder.Get(), nullptr);
  Install("bad_syntax");
  Status first = holder.Reload(live_);
  EXPECT_EQ(first.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(holder.Get(), nullptr);
  EXPECT_EQ(holder.generation(), 0u);

  Install("valid_minimal");
  ASSERT_TRUE(holder.Reload(live_).ok());
  std::shared_ptr<const Policy> good = holder.Get();
  ASSERT_NE(good, nullptr);
  EXPECT_EQ(good->years.at(2022).monitoring_line, 670050);
  EXPECT_EQ(holder.generation(), 1u);

  Install("bad_line_decrease");
  Status broken = holder.Reload(live_);
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.message().find("继续使用原有政策参数"), std::string::npos);
  EXPECT_NE(broken.message().find("第 13 行第 24 列"), std::string::npos) << broken.message();
  EXPECT_EQ(holder.Get(), good);
  EXPECT_EQ(holder.generation(), 1u);

  std::filesystem::remove(live_);
  EXPECT_EQ(holder.Reload(live_).code(), StatusCode::kUnavailable);
  EXPECT_EQ(holder.Get(), good);

  Install("valid_line_decrease_confirmed");
  ASSERT_TRUE(holder.Reload(live_).ok());
  EXPECT_NE(holder.Get(), good);
  EXPECT_EQ(holder.Get()->years.at(2022).monitoring_line, Yuan(5000));
  EXPECT_EQ(holder.generation(), 2u);
  // The old snapshot stays usable after the swap.
  EXPECT_EQ(good->years.at(2022).monitoring_line, 670050);
}

TEST_F(PolicyHolderTest, ReadersSeeWholePoliciesWhileReloading) {
  const std::string good_a = (dir_ / "a.toml").string();
  const std::string good_b = (dir_ / "b.toml").string();
  const std::string broken = (dir_ / "broken.toml").string();
  std::filesystem::copy_file(Fixture("valid_minimal"), good_a);
  std::filesystem::copy_file(Fixture("valid_line_decrease_confirmed"), good_b);
  std::filesystem::copy_file(Fixture("bad_weight_sum"), broken);

  PolicyHolder holder;
  ASSERT_TRUE(holder.Reload(good_a).ok());
  std::atomic<bool> stop{false};
  std::atomic<int> bad_reads{0};
  std::atomic<long> reads{0};
  std::vector<std::thread> readers;
  for (int reader_idx = 0; reader_idx < 3; ++reader_idx) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        std::shared_ptr<const Policy> policy = holder.Get();
        const Fen line = policy->years.at(2022).monitoring_line;
        // Only the two good policies may ever be visible, each whole.
        if ((line != 670050 && line != Yuan(5000)) || policy->mpi.indicators.size() != 2 ||
            policy->risk_types.entries.size() != 2) {
          bad_reads.fetch_add(1);
        }
        reads.fetch_add(1);
      }
    });
  }
  int swaps = 0;
  for (int round = 0; round < 40; ++round) {
    swaps += holder.Reload(round % 2 == 0 ? good_b : good_a).ok();
    EXPECT_FALSE(holder.Reload(broken).ok());
  }
  stop.store(true);
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(swaps, 40);
  EXPECT_EQ(holder.generation(), 41u);
  EXPECT_EQ(bad_reads.load(), 0);
  EXPECT_GT(reads.load(), 0);
}

}  // namespace
}  // namespace zx
