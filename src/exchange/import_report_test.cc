#include "exchange/import_report.h"

#include <gtest/gtest.h>

namespace zx {
namespace {

TEST(ImportReportTest, KeepsTheFirstErrorsButCountsAll) {
  ImportReport report("x.csv", /*max_errors=*/5);
  for (int row = 2; row < 14; ++row) {
    report.AddError({ImportErrorKind::kBadDate, row, 16, "出生日期", "2021-02-30", "出生日期无法识别"});
  }
  report.AddError({ImportErrorKind::kNoHead, 3, 17, "与户主关系", "", "没有户主"});
  EXPECT_EQ(report.error_count(), 13);
  EXPECT_EQ(report.errors().size(), 5u);
  EXPECT_TRUE(report.truncated());
  EXPECT_EQ(report.CountOf(ImportErrorKind::kBadDate), 12);
  EXPECT_EQ(report.CountOf(ImportErrorKind::kNoHead), 1);
  const std::string text = report.FormatText(3);
  EXPECT_NE(text.find("x.csv 第 2 行 Q 列“出生日期”"), std::string::npos) << text;
  EXPECT_EQ(text.find("第 5 行"), std::string::npos) << text;  // only 3 listed
  EXPECT_NE(text.find("13"), std::string::npos);
}

TEST(ImportReportTest, SortsByRowThenColumn) {
  ImportReport report("x.csv");
  report.AddError({ImportErrorKind::kNoHead, 9, 17, "", "", "a"});
  report.AddError({ImportErrorKind::kBadDate, 4, 16, "", "", "b"});
  report.AddError({ImportErrorKind::kMissingColumn, 1, -1, "", "", "c"});
  report.AddError({ImportErrorKind::kBadValue, 4, 2, "", "", "d"});
  const auto sorted = report.SortedErrors();
  ASSERT_EQ(sorted.size(), 4u);
  EXPECT_EQ(sorted[0].message, "c");
  EXPECT_EQ(sorted[1].message, "d");
  EXPECT_EQ(sorted[2].message, "b");
  EXPECT_EQ(sorted[3].message, "a");
}

TEST(ImportReportTest, KindsHaveDistinctCodes) {
  EXPECT_EQ(ImportErrorKindCode(ImportErrorKind::kIdChecksum), "id_checksum");
  EXPECT_NE(ImportErrorKindCode(ImportErrorKind::kNoHead),
            ImportErrorKindCode(ImportErrorKind::kMultipleHeads));
  EXPECT_FALSE(ImportErrorKindLabel(ImportErrorKind::kStoreRejected).empty());
}

TEST(ImportReportTest, DefaultReportPathSitsBesideTheInput) {
  EXPECT_EQ(DefaultReportPath("/data/农户.xlsx"), "/data/农户.错误报告.xlsx");
  EXPECT_EQ(DefaultReportPath("a.b/file"), "a.b/file.错误报告.xlsx");
}

}  // namespace
}  // namespace zx
