// KPIs and data-quality checks (issue 6, DOMAIN.md §7–§8; definitions in
// docs/kpi-quality.md):
//   GET /api/v1/kpis?division=&year=       ComputeKpis per child division and month
//   GET /api/v1/quality?division=          RunQualityChecks: counts and findings per check
//   GET /api/v1/exports/quality?division=  the same report as an Excel workbook (audited export)
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/xlsx.h"
#include "http/case_support.h"
#include "http/dto.h"
#include "http/envelope.h"
#include "http/router.h"
#include "workflow/kpi.h"
#include "workflow/quality.h"

namespace zx::http {
namespace {

namespace fs = std::filesystem;

/// Findings per check sent in JSON (the export has all of them).
constexpr size_t kMaxFindingsInJson = 500;

Json Ratio(double value) {
  if (value < 0 || std::isnan(value)) return nullptr;
  return std::round(value * 10000.0) / 10000.0;
}

Json FiguresJson(const KpiFigures& f) {
  Json by_category = Json::object();
  for (const auto& [code, fen] : f.amount_by_category) by_category[code] = FormatYuan(fen);
  return Json{
      {"cases_opened", f.cases_opened},
      {"identification_decisions", f.identification_decisions},
      {"identified", f.identified},
      {"rejected", f.rejected},
      {"median_decision_days", f.median_decision_days < 0 ? Json(nullptr) : Json(f.median_decision_days)},
      {"mean_decision_days", f.mean_decision_days < 0 ? Json(nullptr) : Json(f.mean_decision_days)},
      {"decided_within_limit", f.decided_within_limit},
      {"share_within_limit", Ratio(f.share_within_limit)},
      {"overdue_open_identification", f.overdue_open_identification},
      {"newly_monitored", f.newly_monitored},
      {"re_entries", f.re_entries},
      {"monitored_at_end", f.monitored_at_end},
      {"monitored_with_measure", f.monitored_with_measure},
      {"measure_coverage", Ratio(f.measure_coverage)},
      {"eliminated_assisted", f.eliminated_assisted},
      {"eliminated_natural", f.eliminated_natural},
      {"ever_monitored", f.ever_monitored},
      {"eliminated_to_date", f.eliminated_to_date},
      {"elimination_rate", Ratio(f.elimination_rate)},
      {"measure_amount_yuan", FormatYuan(f.measure_amount)},
      {"industry_amount_yuan", FormatYuan(f.industry_amount)},
      {"industry_share", Ratio(f.industry_share)},
      {"measures_started", f.measures_started},
      {"amount_by_category_yuan", std::move(by_category)}};
}

Json GrowthJson(const IncomeGrowth& g) {
  return Json{{"available", g.available},
              {"households", g.households},
              {"persons", g.persons},
              {"per_capita_previous_yuan", FormatYuan(g.per_capita_previous)},
              {"per_capita_current_yuan", FormatYuan(g.per_capita_current)},
              {"growth", g.available ? Json(std::round(g.growth * 10000.0) / 10000.0) : Json(nullptr)}};
}

Result<int> YearParam(RequestContext& ctx, std::int64_t now) {
  std::string_view text = ctx.Query("year");
  if (text.empty()) return BeijingDate(now).year;
  int year = 0;
  for (char digit : text) {
    if (digit < '0' || digit > '9' || year > 10000)
      return InvalidArgument(fmt::format("参数 year：“{}”不是年度", text));
    year = year * 10 + (digit - '0');
  }
  if (year < 2000 || year > 2100)
    return InvalidArgument(fmt::format("参数 year：{} 不在 2000–2100 之间", year));
  return year;
}

Result<Response> GetKpis(RequestContext& ctx) {
  ASSIGN_OR_RETURN(const Division* division, DivisionParam(ctx));
  const std::int64_t now = ctx.Now();
  ASSIGN_OR_RETURN(int year, YearParam(ctx, now));
  ASSIGN_OR_RETURN(WorkflowThread * workflow, ThreadWorkflow(ctx));
  ASSIGN_OR_RETURN(Store * store, ctx.store());
  ASSIGN_OR_RETURN(KpiReport report,
                   ComputeKpis(*workflow->cases, *store, *ctx.env().policy,
                               DivisionScope::Of(division->code, division->level), year, now));
  Json rows = Json::array();
  for (const KpiRow& row : report.rows) {
    Json months = Json::array();
    for (size_t month_idx = 0; month_idx < row.months.size(); ++month_idx) {
      Json figures = FiguresJson(row.months[month_idx]);
      figures["month"] = static_cast<int>(month_idx + 1);
      figures["label"] = KpiMonthLabel(year, static_cast<int>(month_idx + 1));
      months.push_back(std::move(figures));
    }
    rows.push_back({{"division_code", DivisionCodeText(row.division_code)},
                    {"division_name", row.is_total ? "合计" : row.division_name},
                    {"is_total", row.is_total},
                    {"year", FiguresJson(row.year)},
                    {"months", std::move(months)},
                    {"ex_poor_income", GrowthJson(row.ex_poor_income)},
                    {"rural_income", GrowthJson(row.rural_income)}});
  }
  return JsonOk(Json{{"division", {{"code", DivisionCodeText(division->code)}, {"name", division->name}}},
                     {"year", year},
                     {"computed_at", report.computed_at},
                     {"identification_days_limit", kIdentificationDays},
                     {"rows", std::move(rows)},
                     {"notes", report.notes}});
}

Result<QualityReport> RunChecks(RequestContext& ctx, const Division& division) {
  ASSIGN_OR_RETURN(WorkflowThread * workflow, ThreadWorkflow(ctx));
  ASSIGN_OR_RETURN(Store * store, ctx.store());
  return RunQualityChecks(*workflow->cases, *store, *ctx.env().policy,
                          DivisionScope::Of(division.code, division.level), ctx.Now());
}

std::string VillageName(const DivisionTable& divisions, DivisionCode code) {
  const Division* village = divisions.Find(code);
  return village != nullptr ? village->name : std::string();
}

Result<Response> GetQuality(RequestContext& ctx) {
  ASSIGN_OR_RETURN(const Division* division, DivisionParam(ctx));
  ASSIGN_OR_RETURN(QualityReport report, RunChecks(ctx, *division));
  Json checks = Json::array();
  for (const QualityCheck& check : report.checks) {
    Json findings = Json::array();
    for (size_t idx = 0; idx < check.findings.size() && idx < kMaxFindingsInJson; ++idx) {
      const QualityFinding& finding = check.findings[idx];
      findings.push_back(
          {{"household_number", finding.household_number},
           {"village_code", DivisionCodeText(finding.village_code)},
           {"village_name", VillageName(ctx.divisions(), finding.village_code)},
           {"township_name", AncestorNameOf(ctx.divisions(), finding.village_code, DivisionLevel::kTownship)},
           {"case_id", finding.case_id},
           {"detail", finding.detail}});
    }
    checks.push_back({{"code", check.code},
                      {"label", check.label},
                      {"count", check.findings.size()},
                      {"truncated", check.findings.size() > kMaxFindingsInJson},
                      {"findings", std::move(findings)}});
  }
  return JsonOk(Json{{"division", {{"code", DivisionCodeText(division->code)}, {"name", division->name}}},
                     {"computed_at", report.computed_at},
                     {"cases_checked", report.cases_checked},
                     {"total_findings", report.TotalFindings()},
                     {"checks", std::move(checks)}});
}

Result<Response> ExportQuality(RequestContext& ctx) {
  ASSIGN_OR_RETURN(const Division* division, DivisionParam(ctx));
  ASSIGN_OR_RETURN(QualityReport report, RunChecks(ctx, *division));
  fs::create_directories(fs::path(ctx.env().temp_dir) / "exports");
  const fs::path path = fs::path(ctx.env().temp_dir) / "exports" /
                        fmt::format("quality-{}-{}.xlsx", ctx.user()->username,
                                    std::chrono::steady_clock::now().time_since_epoch().count());
  {
    ASSIGN_OR_RETURN(auto writer, XlsxWriter::Create(path.string()));
    RETURN_IF_ERROR(writer->AddSheet("汇总", {"检查项", "代码", "问题数"}));
    for (const QualityCheck& check : report.checks) {
      RETURN_IF_ERROR(
          writer->AppendRow({check.label, check.code, std::to_string(check.findings.size())}).status());
    }
    RETURN_IF_ERROR(
        writer->AddSheet("问题明细", {"检查项", "案件编号", "户编号", "乡镇", "村", "村代码", "说明"}));
    for (const QualityCheck& check : report.checks) {
      for (const QualityFinding& finding : check.findings) {
        RETURN_IF_ERROR(
            writer
                ->AppendRow({check.label, std::to_string(finding.case_id), finding.household_number,
                             AncestorNameOf(ctx.divisions(), finding.village_code, DivisionLevel::kTownship),
                             VillageName(ctx.divisions(), finding.village_code),
                             DivisionCodeText(finding.village_code), finding.detail})
                .status());
      }
    }
    RETURN_IF_ERROR(writer->Close());
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  std::error_code ignored;
  fs::remove(path, ignored);
  RETURN_IF_ERROR(ctx.RecordAudit(AuditAction::kExport, "quality", division->code,
                                  fmt::format("{} findings, xlsx", report.TotalFindings())));
  Response response;
  response.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  response.body = std::move(content).str();
  response.headers.emplace_back(
      "Content-Disposition",
      fmt::format("attachment; filename=\"quality-{0}.xlsx\"; "
                  "filename*=UTF-8''%E6%95%B0%E6%8D%AE%E8%B4%A8%E9%87%8F%E6%A3%80%E6%9F%A5-{0}.xlsx",
                  DivisionCodeText(division->code)));
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

void RegisterKpiRoutes(Router& router) {
  router.Add("GET", "/api/v1/kpis", GetKpis, RouteOptions::Permission("workflow:kpi:view"));
  router.Add("GET", "/api/v1/quality", GetQuality, RouteOptions::Permission("workflow:quality:view"));
  router.Add("GET", "/api/v1/exports/quality", ExportQuality,
             RouteOptions::Permission("workflow:quality:view"));
}
ZX_REGISTER_CONTROLLER(RegisterKpiRoutes);

}  // namespace
}  // namespace zx::http
