// /api/v1/imports/households (raw body upload, all-or-nothing, scoped to the
// user's subtree) and /api/v1/imports/{report_id}/report (the marked-up
// .xlsx error report). Each upload gets a directory under
// <temp_dir>/imports/<random id> holding the file, the report and an
// "owner" file; only the owner can download the report, anyone else gets 404.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "exchange/household_import.h"
#include "exchange/import_report.h"
#include "http/auth.h"
#include "http/envelope.h"
#include "http/http_util.h"
#include "http/router.h"

namespace zx::http {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxListedErrors = 200;

std::string ColumnLetters(int column) {
  if (column < 0) return "";
  std::string letters;
  for (int value = column + 1; value > 0; value = (value - 1) / 26) {
    letters.insert(letters.begin(), static_cast<char>('A' + (value - 1) % 26));
  }
  return letters;
}

Status WriteFile(const fs::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) return Unavailable("无法写入临时文件 " + path.string());
  return Status::Ok();
}

fs::path ImportsDir(const RequestContext& ctx) { return fs::path(ctx.env().temp_dir) / "imports"; }

bool IsReportId(std::string_view id) {
  if (id.size() != 32) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<Response> ImportHouseholdsHandler(RequestContext& ctx) {
  std::optional<std::string> decoded = PercentDecode(ctx.request().Header("x-file-name"), false);
  if (!decoded || decoded->empty())
    return InvalidArgument("缺少请求头 X-File-Name（文件名，须以 .csv 或 .xlsx 结尾）");
  std::string file_name = fs::path(*decoded).filename().string();
  std::string lower = file_name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string extension;
  if (lower.ends_with(".csv")) extension = ".csv";
  if (lower.ends_with(".xlsx")) extension = ".xlsx";
  if (extension.empty()) return InvalidArgument("文件 " + file_name + "：只支持 .csv 或 .xlsx 文件");
  if (ctx.request().body.empty()) return InvalidArgument("文件 " + file_name + " 为空");

  ASSIGN_OR_RETURN(std::string report_id, RandomHex(16));
  const fs::path dir = ImportsDir(ctx) / report_id;
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) return Unavailable("无法创建临时目录 " + dir.string() + "：" + error.message());
  RETURN_IF_ERROR(WriteFile(dir / "owner", ctx.user()->username));
  const fs::path upload = dir / ("upload" + extension);
  RETURN_IF_ERROR(WriteFile(upload, ctx.request().body));

  ImportOptions options;
  options.scope = ctx.scope();
  options.today = TodayLocal();
  options.progress = false;
  ImportReport report(file_name);
  ParsedHouseholds parsed;
  ReadHouseholdFile(upload.string(), ctx.divisions(), options, &report, &parsed);
  WriteCounts counts;
  if (!report.has_errors()) {
    ASSIGN_OR_RETURN(Store * store, ctx.store());
    Result<WriteCounts> written = WriteHouseholds(*store, parsed, options, &report);
    if (written.ok()) counts = *written;
  }
  const bool accepted = !report.has_errors();
  if (!accepted) {
    RETURN_IF_ERROR(report.WriteXlsx((dir / "report.xlsx").string(), upload.string()));
  }
  fs::remove(upload, error);  // the report keeps the rows with errors; the upload is not needed

  Json errors = Json::array();
  for (const ImportIssue& issue : report.SortedErrors()) {
    if (errors.size() >= kMaxListedErrors) break;
    errors.push_back(Json{{"row", issue.row},
                          {"column", ColumnLetters(issue.column)},
                          {"field", issue.header},
                          {"kind", std::string(ImportErrorKindCode(issue.kind))},
                          {"value", issue.value},
                          {"message", issue.message}});
  }
  RETURN_IF_ERROR(
      ctx.RecordAudit(AuditAction::kImport, file_name, ctx.user()->division_code,
                      fmt::format("accepted {} inserted {} updated {} unchanged {} errors {}", accepted,
                                  counts.inserted, counts.updated, counts.unchanged, report.error_count())));
  return JsonOk(Json{{"accepted", accepted},
                     {"inserted", counts.inserted},
                     {"updated", counts.updated},
                     {"unchanged", counts.unchanged},
                     {"rows", parsed.data_rows},
                     {"households", parsed.records.size()},
                     {"errors", std::move(errors)},
                     {"error_count", report.error_count()},
                     {"report_id", accepted ? std::string() : report_id}});
}

Result<Response> DownloadReport(RequestContext& ctx) {
  const std::string report_id(ctx.Param("report_id"));
  const Status missing = NotFound("导入报告 " + report_id + " 不存在或已过期");
  if (!IsReportId(report_id)) return missing;
  const fs::path dir = ImportsDir(ctx) / report_id;
  std::ifstream owner_file(dir / "owner", std::ios::binary);
  std::string owner((std::istreambuf_iterator<char>(owner_file)), std::istreambuf_iterator<char>());
  if (!owner_file.is_open() || owner != ctx.user()->username) return missing;
  std::ifstream report(dir / "report.xlsx", std::ios::binary);
  if (!report) return missing;
  std::ostringstream content;
  content << report.rdbuf();
  Response response;
  response.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  response.body = std::move(content).str();
  response.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"import-report-" + report_id + ".xlsx\"");
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

void RegisterImportRoutes(Router& router) {
  router.Add("POST", "/api/v1/imports/households", ImportHouseholdsHandler,
             RouteOptions::Permission("registry:household:import").MaxBody(std::size_t{64} << 20));
  router.Add("GET", "/api/v1/imports/{report_id}/report", DownloadReport,
             RouteOptions::Permission("registry:household:import"));
}

ZX_REGISTER_CONTROLLER(RegisterImportRoutes);

}  // namespace
}  // namespace zx::http
