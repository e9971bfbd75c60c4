#include "exchange/import_report.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "common/xlsx.h"
#include "exchange/table_reader.h"

namespace zx {
namespace {

struct KindInfo {
  ImportErrorKind kind;
  std::string_view code;
  std::string_view label;
};

constexpr KindInfo kKinds[] = {
    {ImportErrorKind::kUnsupportedFile, "unsupported_file", "文件格式不受支持"},
    {ImportErrorKind::kUnreadableFile, "unreadable_file", "文件无法读取"},
    {ImportErrorKind::kEmptyFile, "empty_file", "文件为空"},
    {ImportErrorKind::kMissingColumn, "missing_column", "缺少必需的列"},
    {ImportErrorKind::kUnknownColumn, "unknown_column", "无法识别的列"},
    {ImportErrorKind::kDuplicateColumn, "duplicate_column", "列重复"},
    {ImportErrorKind::kEmptyValue, "empty_value", "必填项为空"},
    {ImportErrorKind::kBadIdNumber, "bad_id_number", "证件号码格式错误"},
    {ImportErrorKind::kIdChecksum, "id_checksum", "证件号码校验位错误"},
    {ImportErrorKind::kIdBirthDateMismatch, "id_birth_date_mismatch", "出生日期与证件号码不符"},
    {ImportErrorKind::kIdSexMismatch, "id_sex_mismatch", "性别与证件号码不符"},
    {ImportErrorKind::kUnknownDivision, "unknown_division", "区划代码不存在"},
    {ImportErrorKind::kNotVillage, "not_village", "区划代码不是村级"},
    {ImportErrorKind::kOutsideScope, "outside_scope", "超出导入范围"},
    {ImportErrorKind::kBadNumber, "bad_number", "数字无法识别"},
    {ImportErrorKind::kNegativeMoney, "negative_money", "金额为负数"},
    {ImportErrorKind::kBadDate, "bad_date", "日期无法识别"},
    {ImportErrorKind::kBadValue, "bad_value", "取值不在允许范围内"},
    {ImportErrorKind::kDuplicateId, "duplicate_id", "证件号码重复"},
    {ImportErrorKind::kInconsistentHousehold, "inconsistent_household", "同户各行户信息不一致"},
    {ImportErrorKind::kNoHead, "no_head", "户内没有户主"},
    {ImportErrorKind::kMultipleHeads, "multiple_heads", "户内有多名户主"},
    {ImportErrorKind::kStoreRejected, "store_rejected", "数据库拒绝写入"},
};

const KindInfo& InfoOf(ImportErrorKind kind) {
  for (const KindInfo& info : kKinds) {
    if (info.kind == kind) return info;
  }
  return kKinds[0];
}

bool IssueLess(const ImportIssue& a, const ImportIssue& b) {
  if (a.row != b.row) return a.row < b.row;
  return a.column < b.column;
}

}  // namespace

std::string_view ImportErrorKindCode(ImportErrorKind kind) { return InfoOf(kind).code; }
std::string_view ImportErrorKindLabel(ImportErrorKind kind) { return InfoOf(kind).label; }

ImportReport::ImportReport(std::string file_name, size_t max_errors)
    : file_name_(std::move(file_name)), max_errors_(max_errors) {}

void ImportReport::AddError(ImportIssue issue) {
  ++error_count_;
  ++counts_[issue.kind];
  if (errors_.size() < max_errors_) errors_.push_back(std::move(issue));
}

void ImportReport::AddWarning(std::string message) { warnings_.push_back(std::move(message)); }

std::int64_t ImportReport::CountOf(ImportErrorKind kind) const {
  auto it = counts_.find(kind);
  return it == counts_.end() ? 0 : it->second;
}

std::vector<ImportIssue> ImportReport::SortedErrors() const {
  std::vector<ImportIssue> sorted = errors_;
  std::stable_sort(sorted.begin(), sorted.end(), IssueLess);
  return sorted;
}

std::string ImportReport::Location(const ImportIssue& issue) {
  std::string where;
  if (issue.row > 0) where += "第 " + std::to_string(issue.row) + " 行";
  if (issue.column >= 0) {
    if (!where.empty()) where += " ";
    where += ColumnLetter(issue.column) + " 列";
  }
  if (!issue.header.empty()) where += "“" + issue.header + "”";
  return where;
}

std::string ImportReport::FormatText(size_t limit) const {
  std::string text;
  const std::vector<ImportIssue> sorted = SortedErrors();
  const size_t shown = std::min(limit, sorted.size());
  for (size_t issue_idx = 0; issue_idx < shown; ++issue_idx) {
    const ImportIssue& issue = sorted[issue_idx];
    text += file_name_;
    const std::string where = Location(issue);
    if (!where.empty()) text += " " + where;
    text += "：";
    if (!issue.value.empty()) text += "值“" + issue.value + "”，";
    text += issue.message;
    text += "\n";
  }
  if (static_cast<std::int64_t>(shown) < error_count_) {
    text += "……（以上仅列出前 " + std::to_string(shown) + " 条，共 " + std::to_string(error_count_) +
            " 条错误）\n";
  }
  text += "错误统计：\n";
  for (const auto& [kind, count] : counts_) {
    text += "  " + std::string(ImportErrorKindLabel(kind)) + "：" + std::to_string(count) + " 条\n";
  }
  if (truncated()) {
    text += "错误过多：报告只保留前 " + std::to_string(errors_.size()) + " 条明细（共 " +
            std::to_string(error_count_) + " 条），修正后请重新导入。\n";
  }
  return text;
}

Status ImportReport::WriteXlsx(const std::string& report_path, const std::string& source_path) const {
  ASSIGN_OR_RETURN(std::unique_ptr<XlsxWriter> writer, XlsxWriter::Create(report_path));
  const std::vector<ImportIssue> sorted = SortedErrors();

  // Sheet 1: the list of errors.
  RETURN_IF_ERROR(writer->AddSheet("错误清单", {"文件", "行", "列", "字段", "值", "问题"}));
  const double widths[] = {24, 8, 6, 20, 24, 60};
  for (int column = 0; column < 6; ++column) RETURN_IF_ERROR(writer->SetColumnWidth(column, widths[column]));
  for (const ImportIssue& issue : sorted) {
    ASSIGN_OR_RETURN(std::int64_t unused_row,
                     writer->AppendRow({file_name_, issue.row > 0 ? std::to_string(issue.row) : "",
                                        issue.column >= 0 ? ColumnLetter(issue.column) : "", issue.header,
                                        issue.value, issue.message}));
    (void)unused_row;
  }
  if (truncated()) {
    ASSIGN_OR_RETURN(std::int64_t unused_row,
                     writer->AppendRow({file_name_, "", "", "", "",
                                        "错误过多：只列出前 " + std::to_string(errors_.size()) + " 条，共 " +
                                            std::to_string(error_count_) + " 条"}));
    (void)unused_row;
  }

  // Sheet 2: a copy of the rows that have errors, bad cells marked.
  std::unordered_map<std::int64_t, std::vector<const ImportIssue*>> by_row;
  for (const ImportIssue& issue : sorted) {
    if (issue.row > 0) by_row[issue.row].push_back(&issue);
  }
  if (!source_path.empty() && !by_row.empty()) {
    auto opened = TableReader::Open(source_path);
    if (opened.ok()) {
      TableReader& reader = **opened;
      std::vector<std::string> cells;
      bool have_header = false;
      size_t width = 0;
      while (true) {
        auto next = reader.Next(&cells);
        if (!next.ok() || !*next) break;
        if (!have_header) {
          if (IsBlankRow(cells)) continue;
          width = cells.size();
          std::vector<std::string> header = cells;
          header.push_back("原行号");
          RETURN_IF_ERROR(writer->AddSheet("有误行", header));
          for (size_t column = 0; column < header.size(); ++column) {
            RETURN_IF_ERROR(writer->SetColumnWidth(static_cast<int>(column), 14));
          }
          have_header = true;
          auto header_issues = by_row.find(reader.row());
          if (header_issues != by_row.end()) {
            for (const ImportIssue* issue : header_issues->second) {
              if (issue->column >= 0 && static_cast<size_t>(issue->column) < cells.size()) {
                RETURN_IF_ERROR(writer->MarkError(0, issue->column, cells[issue->column], issue->message));
              }
            }
          }
          continue;
        }
        auto found = by_row.find(reader.row());
        if (found == by_row.end()) continue;
        std::vector<std::string> copy = cells;
        copy.resize(std::max(width, cells.size()));
        copy.push_back(std::to_string(reader.row()));
        ASSIGN_OR_RETURN(std::int64_t out_row, writer->AppendRow(copy));
        // Several problems in one cell share a comment.
        std::map<int, std::string> messages;
        for (const ImportIssue* issue : found->second) {
          if (issue->column < 0) continue;
          std::string& message = messages[issue->column];
          if (!message.empty()) message += "；";
          message += issue->message;
        }
        for (const auto& [column, message] : messages) {
          const std::string value =
              static_cast<size_t>(column) < copy.size() ? copy[static_cast<size_t>(column)] : "";
          RETURN_IF_ERROR(writer->MarkError(out_row - 1, column, value, message));
        }
      }
    }
  }
  return writer->Close();
}

std::string DefaultReportPath(const std::string& input_path) {
  const size_t slash = input_path.find_last_of('/');
  const size_t dot = input_path.rfind('.');
  std::string stem = (dot != std::string::npos && (slash == std::string::npos || dot > slash))
                         ? input_path.substr(0, dot)
                         : input_path;
  return stem + ".错误报告.xlsx";
}

}  // namespace zx
