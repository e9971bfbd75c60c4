// Unit tests of the workflow part of src/http: the test clock, the public
// notice document (content, escaping, no personal data), PDF printing and
// its 503 without Chromium, and the routes and permissions of the workflow
// controllers. The full API runs against a real server in
// test/http/cases_e2e.py.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "http/auth.h"
#include "http/clock.h"
#include "http/notice.h"
#include "http/openapi_document.h"
#include "http/router.h"

namespace zx::http {
namespace {

namespace fs = std::filesystem;

TEST(ClockTest, ParsesOffsets) {
  EXPECT_EQ(ParseClockOffset(""), 0);
  EXPECT_EQ(ParseClockOffset("  \n"), 0);
  EXPECT_EQ(ParseClockOffset("432000\n"), 432000);
  EXPECT_EQ(ParseClockOffset(" -86400 "), -86400);
  EXPECT_EQ(ParseClockOffset("+60"), 60);
  EXPECT_EQ(ParseClockOffset("5d"), std::nullopt);
  EXPECT_EQ(ParseClockOffset("-"), std::nullopt);
  EXPECT_EQ(ParseClockOffset("1 2"), std::nullopt);
  EXPECT_EQ(ParseClockOffset("9999999999999"), std::nullopt);
}

TEST(ClockTest, OffsetClockReReadsTheFile) {
  const fs::path path = fs::temp_directory_path() / ("zx-clock-" + std::to_string(::getpid()));
  fs::remove(path);
  auto clock = OffsetClockFromFile(path.string());
  const std::int64_t real = SystemClockSeconds();
  EXPECT_LE(std::abs(clock() - real), 2) << "absent file: offset 0";
  { std::ofstream(path) << "864000\n"; }
  EXPECT_LE(std::abs(clock() - (real + 864000)), 2);
  { std::ofstream(path) << ""; }
  EXPECT_LE(std::abs(clock() - real), 2) << "empty file: offset 0";
  { std::ofstream(path) << "garbage"; }
  EXPECT_LE(std::abs(clock() - real), 2) << "malformed: offset 0";
  fs::remove(path);
}

NoticeDocument SampleNotice() {
  NoticeDocument doc;
  doc.village_name = "上庄村";
  doc.township_name = "城关镇";
  doc.county_name = "大通回族土族自治县";
  doc.issued_on = Date{2025, 3, 8};
  NoticeRow row;
  row.household_number = "630121100201-0007";
  row.head_name = "马<script>alert(1)</script>";
  row.size = 4;
  row.monitoring_type = "边缘易致贫户";
  row.risk_labels = {"因病", "缺劳动力"};
  row.notice_start = Date{2025, 3, 1};
  row.notice_end = Date{2025, 3, 6};
  doc.rows.push_back(row);
  return doc;
}

TEST(NoticeTest, IdentificationNoticeHasTitleTableAndObjectionText) {
  const NoticeDocument doc = SampleNotice();
  const std::string html = RenderNoticeHtml(doc);
  EXPECT_EQ(NoticeTitle(doc), "关于上庄村监测对象识别的公示");
  EXPECT_NE(html.find("<title>关于上庄村监测对象识别的公示</title>"), std::string::npos);
  EXPECT_NE(html.find("@page { size: A4"), std::string::npos);
  EXPECT_NE(html.find("630121100201-0007"), std::string::npos);
  EXPECT_NE(html.find("因病、缺劳动力"), std::string::npos);
  EXPECT_NE(html.find("2025年3月1日"), std::string::npos);
  EXPECT_NE(html.find("2025年3月6日"), std::string::npos);
  EXPECT_NE(html.find("上庄村民委员会（盖章）"), std::string::npos);
  EXPECT_NE(html.find("城关镇人民政府（联系电话：____________）"), std::string::npos)
      << "a blank line for the township phone when no contact is configured";
  EXPECT_NE(html.find("2025年3月8日"), std::string::npos) << "issue date under the signature";
  // Escaped, and self-contained: no script, no outside resource.
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("马&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("href="), std::string::npos);
}

TEST(NoticeTest, EliminationNoticeAndContactAndEmptyVillage) {
  NoticeDocument doc = SampleNotice();
  doc.kind = NoticeKind::kElimination;
  doc.contact = "城关镇人民政府 0971-2722222";
  doc.rows[0].elimination_kind = "帮扶消除";
  std::string html = RenderNoticeHtml(doc);
  EXPECT_EQ(NoticeTitle(doc), "关于上庄村监测对象风险消除的公示");
  EXPECT_NE(html.find("帮扶消除"), std::string::npos);
  EXPECT_NE(html.find("城关镇人民政府 0971-2722222"), std::string::npos);
  doc.rows.clear();
  html = RenderNoticeHtml(doc);
  EXPECT_NE(html.find("本村当前没有处于公示期的农户"), std::string::npos);
}

TEST(NoticeTest, VillageAndCommitteeNames) {
  EXPECT_EQ(NoticeVillageName("达英村民委员会"), "达英村");
  EXPECT_EQ(NoticeVillageName("上庄村村民委员会"), "上庄村");
  EXPECT_EQ(NoticeVillageName("扎河牧民委员会"), "扎河牧委会");
  EXPECT_EQ(NoticeVillageName("友谊居民委员会"), "友谊社区");
  EXPECT_EQ(NoticeVillageName("上庄村"), "上庄村");
  EXPECT_EQ(NoticeCommitteeName("达英村民委员会"), "达英村民委员会");
  EXPECT_EQ(NoticeCommitteeName("上庄村"), "上庄村民委员会");
  EXPECT_EQ(NoticeCommitteeName("上庄"), "上庄村民委员会");
  NoticeDocument doc = SampleNotice();
  doc.village_name = "达英村民委员会";
  const std::string html = RenderNoticeHtml(doc);
  EXPECT_NE(html.find("关于达英村监测对象识别的公示"), std::string::npos);
  EXPECT_NE(html.find("达英村民委员会（盖章）"), std::string::npos);
  EXPECT_EQ(html.find("委员会村民委员会"), std::string::npos);
}

TEST(NoticeTest, HtmlEscape) {
  EXPECT_EQ(HtmlEscape("a&b<c>\"d'"), "a&amp;b&lt;c&gt;&quot;d&#39;");
  EXPECT_EQ(HtmlEscape("才让·卓玛"), "才让·卓玛");
}

TEST(NoticeTest, PdfWithoutChromiumIsUnavailable) {
  auto pdf =
      PrintPdfWithChromium("/nonexistent/chromium", "<html></html>", fs::temp_directory_path().string(), 5);
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(pdf.status().message().find("Chromium"), std::string::npos);
}

TEST(NoticeTest, PdfWithChromium) {
  // chromium is installed by scripts/install-deps.sh: its absence is a failure, not a skip.
  ASSERT_EQ(::access("/usr/bin/chromium", X_OK), 0) << "no /usr/bin/chromium: run scripts/install-deps.sh";
  const fs::path temp = fs::temp_directory_path() / ("zx-pdf-" + std::to_string(::getpid()));
  auto pdf = PrintPdfWithChromium("/usr/bin/chromium", RenderNoticeHtml(SampleNotice()), temp.string(), 90);
  ASSERT_TRUE(pdf.ok()) << pdf.status().ToString();
  EXPECT_TRUE(pdf->starts_with("%PDF-")) << pdf->substr(0, 16);
  EXPECT_GT(pdf->size(), 1000u);
  // The private directory is removed afterwards.
  EXPECT_TRUE(fs::is_empty(temp));
  fs::remove_all(temp);
}

TEST(WorkflowRoutesTest, RoutesAndPermissions) {
  std::unique_ptr<Router> router = BuildRouter();
  const std::pair<const char*, const char*> expected[][1] = {
      {{"GET", "/api/v1/cases"}},
      {{"POST", "/api/v1/cases"}},
      {{"GET", "/api/v1/cases/12"}},
      {{"POST", "/api/v1/cases/12/actions"}},
      {{"GET", "/api/v1/work-queue"}},
      {{"GET", "/api/v1/overdue"}},
      {{"GET", "/api/v1/audit/chain"}},
      {{"GET", "/api/v1/notices"}},
      {{"GET", "/api/v1/notices/630121100201"}},
      {{"GET", "/api/v1/notices/630121100201.pdf"}},
      {{"GET", "/api/v1/kpis"}},
      {{"GET", "/api/v1/quality"}},
      {{"GET", "/api/v1/exports/quality"}},
  };
  for (const auto& entry : expected) {
    EXPECT_NE(router->Match(entry[0].first, entry[0].second).route, nullptr)
        << entry[0].first << " " << entry[0].second;
  }
  EXPECT_EQ(router->Match("POST", "/api/v1/cases/1/actions").route->options.permission, "workflow:case:act");
  EXPECT_EQ(router->Match("GET", "/api/v1/audit/chain").route->options.permission, "workflow:audit:verify");

  // Acting on cases: the administrative chain village ⊂ township ⊂ county only.
  for (Role role : {Role::kCounty, Role::kTownship, Role::kVillage}) {
    EXPECT_TRUE(HasPermission(role, "workflow:case:act")) << RoleCode(role);
    EXPECT_TRUE(HasPermission(role, "workflow:notice:export")) << RoleCode(role);
  }
  for (Role role : {Role::kProvince, Role::kPrefecture, Role::kDepartment, Role::kAuditor}) {
    EXPECT_FALSE(HasPermission(role, "workflow:case:act")) << RoleCode(role);
  }
  // Departments open cases from their alerts but read none.
  EXPECT_TRUE(HasPermission(Role::kDepartment, "workflow:case:add"));
  EXPECT_FALSE(HasPermission(Role::kDepartment, "workflow:case:list"));
  EXPECT_FALSE(HasPermission(Role::kAuditor, "workflow:case:add"));
  // Everyone else reads cases, KPIs and quality.
  for (Role role :
       {Role::kProvince, Role::kPrefecture, Role::kCounty, Role::kTownship, Role::kVillage, Role::kAuditor}) {
    EXPECT_TRUE(HasPermission(role, "workflow:case:query")) << RoleCode(role);
    EXPECT_TRUE(HasPermission(role, "workflow:kpi:view")) << RoleCode(role);
  }
  // The audit chain: province and auditor.
  EXPECT_TRUE(HasPermission(Role::kProvince, "workflow:audit:verify"));
  EXPECT_TRUE(HasPermission(Role::kAuditor, "workflow:audit:verify"));
  EXPECT_FALSE(HasPermission(Role::kCounty, "workflow:audit:verify"));
}

}  // namespace
}  // namespace zx::http
