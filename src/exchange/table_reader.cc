#include "exchange/table_reader.h"

#include <algorithm>
#include <cctype>

#include "common/csv.h"
#include "common/text.h"
#include "common/xlsx.h"

namespace zx {
namespace {

std::string LowerExtension(const std::string& path) {
  const std::string base = BaseName(path);
  const size_t dot = base.rfind('.');
  if (dot == std::string::npos) return "";
  std::string ext = base.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

class CsvTableReader : public TableReader {
 public:
  explicit CsvTableReader(std::unique_ptr<CsvReader> reader) : reader_(std::move(reader)) {}
  Result<bool> Next(std::vector<std::string>* cells) override { return reader_->Next(cells); }
  std::int64_t row() const override { return reader_->line_number(); }
  double progress() const override {
    const std::int64_t total = reader_->total_bytes();
    if (total <= 0) return -1;
    return static_cast<double>(reader_->bytes_read()) / static_cast<double>(total);
  }
  std::string encoding_name() const override { return std::string(TextEncodingName(reader_->encoding())); }
  TableFormat format() const override { return TableFormat::kCsv; }

 private:
  std::unique_ptr<CsvReader> reader_;
};

class XlsxTableReader : public TableReader {
 public:
  explicit XlsxTableReader(std::unique_ptr<XlsxReader> reader) : reader_(std::move(reader)) {}
  Result<bool> Next(std::vector<std::string>* cells) override { return reader_->Next(cells); }
  std::int64_t row() const override { return reader_->row_number(); }
  double progress() const override { return -1; }
  std::string encoding_name() const override { return "XLSX"; }
  TableFormat format() const override { return TableFormat::kXlsx; }

 private:
  std::unique_ptr<XlsxReader> reader_;
};

}  // namespace

std::string BaseName(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

Result<TableFormat> TableFormatForPath(const std::string& path) {
  const std::string ext = LowerExtension(path);
  if (ext == "csv") return TableFormat::kCsv;
  if (ext == "xlsx") return TableFormat::kXlsx;
  if (ext == "xls") {
    return InvalidArgument("文件“" + BaseName(path) +
                           "”是旧版 .xls 格式，不支持；请在 Excel 中另存为 .xlsx 或 .csv 后再导入");
  }
  return InvalidArgument("文件“" + BaseName(path) + "”的扩展名不受支持：只接受 .csv 和 .xlsx 文件");
}

Result<std::unique_ptr<TableReader>> TableReader::Open(const std::string& path) {
  ASSIGN_OR_RETURN(TableFormat format, TableFormatForPath(path));
  if (format == TableFormat::kCsv) {
    ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader, CsvReader::Open(path));
    return std::unique_ptr<TableReader>(new CsvTableReader(std::move(reader)));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<XlsxReader> reader, XlsxReader::Open(path));
  return std::unique_ptr<TableReader>(new XlsxTableReader(std::move(reader)));
}

bool IsBlankRow(const std::vector<std::string>& cells) {
  for (const std::string& cell : cells) {
    if (!TrimText(cell).empty() && !NormalizeField(cell).empty()) return false;
  }
  return true;
}

}  // namespace zx
