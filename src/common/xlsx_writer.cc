// XlsxWriter on libxlsxwriter.
//
// Memory mode: libxlsxwriter's constant_memory mode flushes each row as soon
// as the next one starts, after which cells of earlier rows can no longer be
// written. MarkError and WriteNumber address any (row, column) — an import
// report marks cells after all rows are appended — so this writer uses the
// default mode, which keeps the workbook's cells in memory until Close. That
// suits error reports and county-sized exports; a sheet is capped at Excel's
// 1,048,576 rows anyway.
//
// Comments are collected per cell and written at Close, so several errors on
// one cell end up in one comment (Excel allows one comment per cell).
//
// The file is written under a temporary name in the target directory and
// renamed on success, so a failed or abandoned workbook leaves nothing behind.
#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>
#include <utility>

#include "common/text.h"
#include "common/xlsx.h"

namespace zx {
namespace {

constexpr int kMaxColumns = 16384;
constexpr std::int64_t kMaxRows = LXW_ROW_MAX;
constexpr size_t kMaxCellChars = 32767;
constexpr char kCommentAuthor[] = "振兴";

std::atomic<unsigned> temp_counter{0};

// libxlsxwriter wants valid UTF-8; replace malformed bytes by U+FFFD.
std::string ValidUtf8(std::string_view text) {
  if (IsValidUtf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) AppendUtf8(DecodeUtf8(text, pos), out);
  return out;
}

// Keeps at most Excel's 32,767 characters (code points, as an approximation
// of UTF-16 units).
std::string CellText(std::string_view text) {
  std::string valid = ValidUtf8(text);
  if (valid.size() <= kMaxCellChars) return valid;
  size_t pos = 0;
  for (size_t count = 0; count < kMaxCellChars && pos < valid.size(); ++count) DecodeUtf8(valid, pos);
  valid.resize(pos);
  return valid;
}

std::string SheetNameError(lxw_error error, const std::string& name) {
  switch (error) {
    case LXW_ERROR_SHEETNAME_LENGTH_EXCEEDED:
      return fmt::format("工作表名称“{}”超过 31 个字符", name);
    case LXW_ERROR_INVALID_SHEETNAME_CHARACTER:
      return fmt::format("工作表名称“{}”含有不允许的字符（[ ] : * ? / \\）", name);
    case LXW_ERROR_SHEETNAME_START_END_APOSTROPHE:
      return fmt::format("工作表名称“{}”不能以单引号开头或结尾", name);
    case LXW_ERROR_SHEETNAME_ALREADY_USED:
      return fmt::format("工作表名称“{}”重复", name);
    default:
      return fmt::format("工作表名称“{}”无效", name);
  }
}

class XlsxWriterImpl final : public XlsxWriter {
 public:
  XlsxWriterImpl(std::string path, std::string temp_path, lxw_workbook* workbook)
      : path_(std::move(path)), temp_path_(std::move(temp_path)), workbook_(workbook) {
    bold_ = workbook_add_format(workbook_);
    format_set_bold(bold_);
    error_ = workbook_add_format(workbook_);
    format_set_pattern(error_, LXW_PATTERN_SOLID);
    format_set_bg_color(error_, 0xFFC7CE);
    format_set_font_color(error_, 0x9C0006);
  }

  ~XlsxWriterImpl() override {
    if (workbook_ != nullptr) {
      lxw_workbook_free(workbook_);
      std::remove(temp_path_.c_str());
    }
  }
  XlsxWriterImpl(const XlsxWriterImpl&) = delete;
  XlsxWriterImpl& operator=(const XlsxWriterImpl&) = delete;

  Status AddSheet(const std::string& name, const std::vector<std::string>& header) override {
    RETURN_IF_ERROR(CheckOpen());
    const std::string valid_name = ValidUtf8(name);
    if (!valid_name.empty()) {
      const lxw_error error = workbook_validate_sheet_name(workbook_, valid_name.c_str());
      if (error != LXW_NO_ERROR) return InvalidArgument(SheetNameError(error, valid_name));
    }
    lxw_worksheet* sheet =
        workbook_add_worksheet(workbook_, valid_name.empty() ? nullptr : valid_name.c_str());
    if (sheet == nullptr) return Internal(fmt::format("无法添加工作表“{}”", valid_name));
    sheet_ = sheet;
    next_row_ = 0;
    if (!header.empty()) {
      RETURN_IF_ERROR(WriteRow(0, header, bold_));
      worksheet_freeze_panes(sheet_, 1, 0);
      next_row_ = 1;
    }
    return Status::Ok();
  }

  Result<std::int64_t> AppendRow(const std::vector<std::string>& cells) override {
    RETURN_IF_ERROR(CheckSheet());
    if (next_row_ >= kMaxRows) {
      return ResourceExhausted(fmt::format("工作表行数超过 Excel 上限 {} 行，请分成多个工作表", kMaxRows));
    }
    RETURN_IF_ERROR(WriteRow(next_row_, cells, nullptr));
    ++next_row_;
    return next_row_;  // 1-based spreadsheet row of the row just written
  }

  Status WriteNumber(std::int64_t row, int column, double value) override {
    RETURN_IF_ERROR(CheckSheet());
    RETURN_IF_ERROR(CheckCell(row, column));
    if (!std::isfinite(value)) {
      return InvalidArgument(
          fmt::format("单元格 {}{} 的数值无效（非有限数）", ColumnLetter(column), row + 1));
    }
    return Check(worksheet_write_number(sheet_, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(column),
                                        value, nullptr));
  }

  Status MarkError(std::int64_t row, int column, const std::string& text,
                   const std::string& message) override {
    RETURN_IF_ERROR(CheckSheet());
    RETURN_IF_ERROR(CheckCell(row, column));
    const std::string cell = CellText(text);
    RETURN_IF_ERROR(Check(worksheet_write_string(sheet_, static_cast<lxw_row_t>(row),
                                                 static_cast<lxw_col_t>(column), cell.c_str(), error_)));
    std::string& comment = comments_[{sheet_, row, column}];
    if (!comment.empty()) comment += "\n";
    comment += ValidUtf8(message);
    return Status::Ok();
  }

  Status SetColumnWidth(int column, double width) override {
    RETURN_IF_ERROR(CheckSheet());
    RETURN_IF_ERROR(CheckCell(0, column));
    if (!(width >= 0 && width <= 255))
      return InvalidArgument(fmt::format("列宽 {} 无效（应在 0 到 255 之间）", width));
    return Check(worksheet_set_column(sheet_, static_cast<lxw_col_t>(column), static_cast<lxw_col_t>(column),
                                      width, nullptr));
  }

  Status Close() override {
    RETURN_IF_ERROR(CheckOpen());
    Status status;
    for (const auto& [where, message] : comments_) {
      const auto& [sheet, row, column] = where;
      lxw_comment_options options{};
      options.author = const_cast<char*>(kCommentAuthor);
      options.x_scale = 2.5;
      options.y_scale = 1.5;
      const std::string text = CellText(message);
      const lxw_error error = worksheet_write_comment_opt(
          sheet, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(column), text.c_str(), &options);
      if (error != LXW_NO_ERROR && status.ok()) status = LibraryError(error);
    }
    comments_.clear();
    const lxw_error error = workbook_close(workbook_);  // frees the workbook in every case
    workbook_ = nullptr;
    sheet_ = nullptr;
    if (status.ok() && error != LXW_NO_ERROR) {
      status = Unavailable(fmt::format("写入 Excel 文件失败：{}（{}）", path_, lxw_strerror(error)));
    }
    if (status.ok() && std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
      status = Unavailable(fmt::format("无法保存 Excel 文件：{}（系统错误 {}）", path_, errno));
    }
    if (!status.ok()) std::remove(temp_path_.c_str());
    return status;
  }

 private:
  Status CheckOpen() const {
    if (workbook_ == nullptr) return FailedPrecondition("Excel 文件已关闭，不能再写入");
    return Status::Ok();
  }
  Status CheckSheet() const {
    RETURN_IF_ERROR(CheckOpen());
    if (sheet_ == nullptr) return FailedPrecondition("请先添加工作表再写入数据");
    return Status::Ok();
  }
  static Status CheckCell(std::int64_t row, int column) {
    if (row < 0 || row >= kMaxRows || column < 0 || column >= kMaxColumns) {
      return InvalidArgument(
          fmt::format("单元格位置（第 {} 行第 {} 列）超出 Excel 的范围", row + 1, column + 1));
    }
    return Status::Ok();
  }
  static Status LibraryError(lxw_error error) {
    return Internal(fmt::format("写入 Excel 时出错（libxlsxwriter：{}）", lxw_strerror(error)));
  }
  static Status Check(lxw_error error) { return error == LXW_NO_ERROR ? Status::Ok() : LibraryError(error); }

  Status WriteRow(std::int64_t row, const std::vector<std::string>& cells, lxw_format* format) {
    if (cells.size() > static_cast<size_t>(kMaxColumns)) {
      return InvalidArgument(fmt::format("一行有 {} 列，超过 Excel 上限 {} 列", cells.size(), kMaxColumns));
    }
    for (size_t column = 0; column < cells.size(); ++column) {
      if (cells[column].empty()) continue;
      const std::string text = CellText(cells[column]);
      RETURN_IF_ERROR(Check(worksheet_write_string(sheet_, static_cast<lxw_row_t>(row),
                                                   static_cast<lxw_col_t>(column), text.c_str(), format)));
    }
    return Status::Ok();
  }

  std::string path_;
  std::string temp_path_;
  lxw_workbook* workbook_;
  lxw_worksheet* sheet_ = nullptr;
  lxw_format* bold_ = nullptr;
  lxw_format* error_ = nullptr;
  std::int64_t next_row_ = 0;  // 0-based
  std::map<std::tuple<lxw_worksheet*, std::int64_t, int>, std::string> comments_;
};

}  // namespace

Result<std::unique_ptr<XlsxWriter>> XlsxWriter::Create(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  if (base.empty()) return InvalidArgument(fmt::format("Excel 文件名为空：{}", path));
  const std::string temp_path = fmt::format("{}.{}.{}-{}.tmp", dir, base, static_cast<long>(::getpid()),
                                            temp_counter.fetch_add(1));  // NOLINT
  if (!dir.empty() && ::access(dir.c_str(), W_OK) != 0) {
    return Unavailable(fmt::format("无法在目录 {} 中创建 Excel 文件（目录不存在或没有写入权限）", dir));
  }
  lxw_workbook_options options{};
  options.constant_memory = LXW_FALSE;
  lxw_workbook* workbook = workbook_new_opt(temp_path.c_str(), &options);
  if (workbook == nullptr) return Unavailable(fmt::format("无法创建 Excel 文件：{}", path));
  return std::unique_ptr<XlsxWriter>(std::make_unique<XlsxWriterImpl>(path, temp_path, workbook));
}

}  // namespace zx
