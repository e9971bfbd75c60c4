#include "domain/monitoring_lines.h"

#include "domain/registry.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

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
    std::string path = (dir_ / "lines.csv").string();
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

TEST_F(MonitoringLinesTest, ParsesAmountsWithDecimalsAndBom) {
  auto lines = LoadMonitoringLines(Write("\xEF\xBB\xBFyear,line_yuan,status,source\r\n"
                                         "2023,\"7,100.50\",example,示例（演示）\r\n"
                                         "\r\n"
                                         "2021, 6000 ,official,省文件\r\n"));
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_EQ(lines->at(2023).line, 710050);
  EXPECT_FALSE(lines->at(2023).official);
  EXPECT_EQ(lines->at(2023).source, "示例（演示）");
  EXPECT_EQ(lines->at(2021).line, Yuan(6000));
  EXPECT_TRUE(lines->at(2021).official);
}

struct BadCase {
  std::string content;
  std::string where;  // expected fragment of the message
};

TEST_F(MonitoringLinesTest, BadInputNamesFileAndLine) {
  const std::string header = "year,line_yuan,status,source\n";
  const BadCase cases[] = {
      {"yr,line_yuan,status,source\n2021,6000,official,x\n", "第 1 行"},
      {header + "2021,6000,official,x\n20x2,6700,official,x\n", "第 3 行"},
      {header + "1999,6000,official,x\n", "第 2 行"},
      {header + "2021,abc,official,x\n", "第 2 行"},
      {header + "2021,0,official,x\n", "第 2 行"},
      {header + "2021,6000,final,x\n", "第 2 行"},
      {header + "2021,6000,official,\n", "第 2 行"},
      {header + "2021,6000,official\n", "第 2 行"},
      {header + "2021,6000,official,x\n2021,6100,official,y\n", "第 3 行"},
  };
  for (const BadCase& bad : cases) {
    std::string path = Write(bad.content);
    auto lines = LoadMonitoringLines(path);
    ASSERT_FALSE(lines.ok()) << bad.content;
    EXPECT_EQ(lines.status().code(), StatusCode::kInvalidArgument) << bad.content;
    EXPECT_NE(lines.status().message().find(path), std::string::npos) << lines.status().message();
    EXPECT_NE(lines.status().message().find(bad.where), std::string::npos) << lines.status().message();
  }
}

TEST_F(MonitoringLinesTest, EmptyAndMissingFilesFail) {
  EXPECT_FALSE(LoadMonitoringLines(Write("")).ok());
  auto missing = LoadMonitoringLines((dir_ / "absent.csv").string());
  EXPECT_FALSE(missing.ok());
}

}  // namespace
}  // namespace zx
