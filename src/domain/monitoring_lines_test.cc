#include "domain/monitoring_lines.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "domain/registry.h"

namespace zx {
namespace {

class MonitoringLinesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("zx_monitoring_lines_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& content) {
    std::string path = (dir_ / "policy.toml").string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  std::filesystem::path dir_;
};

TEST_F(MonitoringLinesTest, DefaultFileHasQinghaiOfficialLines) {
  auto lines = LoadDefaultMonitoringLines();
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  ASSERT_TRUE(lines->contains(2021));
  ASSERT_TRUE(lines->contains(2022));
  EXPECT_EQ(lines->at(2021).line, Yuan(6000));
  EXPECT_TRUE(lines->at(2021).official);
  EXPECT_EQ(lines->at(2022).line, Yuan(6700));
  EXPECT_TRUE(lines->at(2022).official);
  // Every other year of the panel is present and labelled as an example.
  for (int year = kFirstPanelYear; year <= kLastPanelYear; ++year) {
    ASSERT_TRUE(lines->contains(year)) << year;
    EXPECT_EQ(lines->at(year).year, year);
    EXPECT_FALSE(lines->at(year).source.empty());
    if (year != 2021 && year != 2022) {
      EXPECT_FALSE(lines->at(year).official) << year;
    }
  }
  EXPECT_EQ(lines->at(2020).line, Yuan(4000));
  auto amounts = MonitoringLineAmounts(*lines);
  EXPECT_EQ(amounts.size(), lines->size());
  EXPECT_EQ(amounts.at(2022), Yuan(6700));
}

TEST_F(MonitoringLinesTest, ReadsLinesFromAPolicyFile) {
  const std::string path = std::string(ZX_TEST_DIR) + "/data/policy/valid_minimal.toml";
  auto lines = LoadMonitoringLines(path);
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_EQ(lines->at(2022).line, 670050);
  EXPECT_FALSE(lines->at(2022).official);
  EXPECT_EQ(lines->at(2022).source, "测试用示例值");
  EXPECT_EQ(lines->at(2021).line, Yuan(6000));
  EXPECT_TRUE(lines->at(2021).official);
  auto policy = LoadPolicy(path);
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ(MonitoringLinesOf(*policy), *lines);
}

TEST_F(MonitoringLinesTest, BrokenPolicyNamesFileLineAndColumn) {
  const std::string path =
      Write("format_version = 1\nprovince = \"测试省\"\n[[years]]\nyear = 2021\nmonitoring_line_yuan = 0\n");
  auto lines = LoadMonitoringLines(path);
  ASSERT_FALSE(lines.ok());
  EXPECT_EQ(lines.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(lines.status().message().find(path), std::string::npos) << lines.status().message();
  EXPECT_NE(lines.status().message().find("第 5 行第 24 列"), std::string::npos) << lines.status().message();
}

TEST_F(MonitoringLinesTest, EmptyAndMissingFilesFail) {
  EXPECT_FALSE(LoadMonitoringLines(Write("")).ok());
  auto missing = LoadMonitoringLines((dir_ / "absent.toml").string());
  EXPECT_FALSE(missing.ok());
}

}  // namespace
}  // namespace zx
