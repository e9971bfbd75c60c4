#include "matching/feed_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "common/text.h"
#include "common/xlsx.h"

namespace zx::matching {
namespace {

// A cell is plain ASCII (no normalisation needed) in the common case.
bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// TrimText, answered from the first and last byte when neither can begin
// or end a trimmable character (ASCII space, U+00A0, U+3000) — almost
// every cell.
std::string_view Trim(std::string_view s) {
  if (s.empty()) return s;
  const auto front = static_cast<unsigned char>(s.front());
  const auto back = static_cast<unsigned char>(s.back());
  const bool front_plain = front > ' ' && front != 0xC2 && front != 0xE3;
  const bool back_plain = back > ' ' && back != 0xA0 && back != 0x80;
  if (front_plain && back_plain) return s;
  return TrimText(s);
}

// Whether header text looks like bytes decoded with the wrong encoding:
// replacement characters, C0 controls, or private-use code points.
bool LooksIllegible(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    const char32_t cp = DecodeUtf8(text, pos);
    if (cp == 0xFFFD || (cp < 0x20 && cp != '\t') || (cp >= 0xE000 && cp <= 0xF8FF)) return true;
  }
  return false;
}

class RowSource {
 public:
  virtual ~RowSource() = default;
  virtual Result<bool> Next(std::vector<std::string>* cells) = 0;
  virtual std::int64_t line() const = 0;
  virtual std::string encoding_name() const = 0;
  virtual double progress() const = 0;
};

class CsvRowSource final : public RowSource {
 public:
  explicit CsvRowSource(std::unique_ptr<CsvReader> reader) : reader_(std::move(reader)) {}
  Result<bool> Next(std::vector<std::string>* cells) override { return reader_->Next(cells); }
  std::int64_t line() const override { return reader_->line_number(); }
  std::string encoding_name() const override { return std::string(TextEncodingName(reader_->encoding())); }
  double progress() const override {
    const std::int64_t total = reader_->total_bytes();
    return total > 0 ? static_cast<double>(reader_->bytes_read()) / static_cast<double>(total) : -1;
  }

 private:
  std::unique_ptr<CsvReader> reader_;
};

class XlsxRowSource final : public RowSource {
 public:
  explicit XlsxRowSource(std::unique_ptr<XlsxReader> reader) : reader_(std::move(reader)) {}
  Result<bool> Next(std::vector<std::string>* cells) override { return reader_->Next(cells); }
  std::int64_t line() const override { return reader_->row_number(); }
  std::string encoding_name() const override { return "XLSX"; }
  double progress() const override { return -1; }

 private:
  std::unique_ptr<XlsxReader> reader_;
};

class FeedReaderImpl final : public FeedReader {
 public:
  FeedReaderImpl(std::unique_ptr<RowSource> source, const FeedProfile& profile)
      : source_(std::move(source)), profile_(profile) {}

  Status Init() {
    ASSIGN_OR_RETURN(bool has_header, source_->Next(&cells_));
    if (!has_header) return InvalidArgument("文件为空：没有表头行");
    std::array<int, kFeedFieldCount> columns{};
    ASSIGN_OR_RETURN(columns, MatchHeader(cells_, profile_, &ignored_));
    parser_ = std::make_unique<FeedRowParser>(profile_, cells_, columns);
    return Status::Ok();
  }

  Result<bool> Next(FeedRow* row) override {
    for (;;) {
      Result<bool> got = source_->Next(&cells_);
      if (!got.ok()) {
        return got.status().WithContext(fmt::format("读取到第 {} 条数据之后：", data_rows_));
      }
      if (!*got) return false;
      views_.assign(cells_.begin(), cells_.end());
      if (FeedRowParser::IsBlank(views_)) continue;
      break;
    }
    ++data_rows_;
    parser_->Parse(views_, data_rows_, row);
    return true;
  }

  const std::vector<std::string>& ignored_headers() const override { return ignored_; }
  std::string encoding_name() const override { return source_->encoding_name(); }
  double progress() const override { return source_->progress(); }

 private:
  std::unique_ptr<RowSource> source_;
  const FeedProfile& profile_;
  std::unique_ptr<FeedRowParser> parser_;
  std::vector<std::string> cells_;
  std::vector<std::string_view> views_;
  std::vector<std::string> ignored_;
  std::int64_t data_rows_ = 0;
};

Result<std::unique_ptr<FeedReader>> Finish(std::unique_ptr<RowSource> source, const FeedProfile& profile) {
  auto reader = std::make_unique<FeedReaderImpl>(std::move(source), profile);
  RETURN_IF_ERROR(reader->Init());
  return std::unique_ptr<FeedReader>(std::move(reader));
}

bool EndsWithIgnoreCase(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  for (size_t idx = 0; idx < suffix.size(); ++idx) {
    if (std::tolower(static_cast<unsigned char>(text[text.size() - suffix.size() + idx])) != suffix[idx])
      return false;
  }
  return true;
}

}  // namespace

FeedRowParser::FeedRowParser(const FeedProfile& profile, std::vector<std::string> header,
                             const std::array<int, kFeedFieldCount>& columns)
    : profile_(profile), header_(std::move(header)), columns_(columns) {
  const FeedColumn* amount_column = profile_.Column(FeedField::kAmount);
  amount_required_ = amount_column != nullptr && amount_column->required;
}

bool FeedRowParser::IsBlank(std::span<const std::string_view> cells) {
  for (std::string_view cell : cells) {
    if (!Trim(cell).empty()) return false;
  }
  return true;
}

std::string_view FeedRowParser::Cell(FeedField field) const {
  const int index = columns_[static_cast<int>(field)];
  if (index < 0 || static_cast<size_t>(index) >= cells_.size()) return {};
  return Trim(cells_[index]);
}

const std::string& FeedRowParser::HeaderOf(FeedField field) const {
  return header_[columns_[static_cast<int>(field)]];
}

void FeedRowParser::AddIssue(FeedRow* row, FeedField field, std::string reason) {
  row->issues.push_back({row->row, HeaderOf(field), std::move(reason)});
}

// Cells other than plain ASCII go through the field normalisation
// (full-width digits, ideographic spaces) before number/date parsing.
std::string_view FeedRowParser::Normalized(std::string_view cell) {
  if (IsAscii(cell)) return cell;
  scratch_ = NormalizeField(cell);
  return scratch_;
}

void FeedRowParser::ParseDateField(FeedRow* row, FeedField field, bool* has, Date* out, bool reject) {
  std::string_view cell = Cell(field);
  if (cell.empty()) {
    if (reject && columns_[static_cast<int>(field)] >= 0) {
      AddIssue(row, field, "为空");
      row->rejected = true;
    }
    return;
  }
  // The common form YYYY-MM-DD without building a Result; everything else
  // (and invalid days) through ParseDate, which gives the reason.
  if (cell.size() == 10 && cell[4] == '-' && cell[7] == '-') {
    const auto digit = [&cell](int idx) {
      return static_cast<unsigned>(static_cast<unsigned char>(cell[idx]) - '0');
    };
    const unsigned d0 = digit(0), d1 = digit(1), d2 = digit(2), d3 = digit(3);
    const unsigned d5 = digit(5), d6 = digit(6), d8 = digit(8), d9 = digit(9);
    if (std::max({d0, d1, d2, d3, d5, d6, d8, d9}) <= 9) {
      const int year = static_cast<int>(d0 * 1000 + d1 * 100 + d2 * 10 + d3);
      const int month = static_cast<int>(d5 * 10 + d6);
      const int day = static_cast<int>(d8 * 10 + d9);
      if (IsValidDate(year, month, day)) {
        *has = true;
        *out = Date{year, month, day};
        return;
      }
    }
  }
  Result<Date> date = ParseDate(Normalized(cell));
  if (!date.ok()) {
    AddIssue(row, field, fmt::format("“{}”不是有效日期", cell));
    if (reject) row->rejected = true;
    return;
  }
  *has = true;
  *out = *date;
}

void FeedRowParser::ParseMoneyField(FeedRow* row, FeedField field, bool* has, Fen* out, bool reject) {
  std::string_view cell = Cell(field);
  if (cell.empty()) {
    if (reject) {
      AddIssue(row, field, "为空");
      row->rejected = true;
    }
    return;
  }
  Result<Fen> amount = ParseYuan(Normalized(cell));
  if (!amount.ok()) {
    AddIssue(row, field, fmt::format("“{}”不是有效金额", cell));
    if (reject) row->rejected = true;
    return;
  }
  if (*amount < 0) {
    AddIssue(row, field, fmt::format("“{}”为负数，金额不得为负数", cell));
    if (reject) row->rejected = true;
    return;
  }
  *has = true;
  *out = *amount;
}

void FeedRowParser::Parse(std::span<const std::string_view> cells, std::int64_t row_number, FeedRow* row) {
  cells_ = cells;
  row->row = row_number;
  row->issues.clear();
  row->rejected = false;
  row->has_birth_date = row->has_event_date = row->has_amount = row->has_total_cost = false;
  row->sex = 0;
  row->area_code = 0;
  row->amount = row->total_cost = 0;
  if (cells_.size() > header_.size()) {
    bool extra_content = false;
    for (size_t idx = header_.size(); idx < cells_.size(); ++idx) extra_content |= !Trim(cells_[idx]).empty();
    if (extra_content) {
      row->issues.push_back(
          {row->row, "",
           fmt::format("有 {} 列，多于表头的 {} 列（多出的内容被忽略）", cells_.size(), header_.size())});
    }
  }
  row->name = Cell(FeedField::kName);
  row->id_number = Cell(FeedField::kIdNumber);
  row->category = Cell(FeedField::kCategory);
  row->detail = Cell(FeedField::kDetail);
  if (row->name.empty() && row->id_number.empty()) {
    row->issues.push_back({row->row, HeaderOf(FeedField::kName), "姓名和身份证号码都为空，无法比对"});
    row->rejected = true;
  }
  ParseDateField(row, FeedField::kEventDate, &row->has_event_date, &row->event_date, true);
  if (columns_[static_cast<int>(FeedField::kAmount)] >= 0) {
    ParseMoneyField(row, FeedField::kAmount, &row->has_amount, &row->amount, amount_required_);
  }
  if (columns_[static_cast<int>(FeedField::kTotalCost)] >= 0) {
    ParseMoneyField(row, FeedField::kTotalCost, &row->has_total_cost, &row->total_cost, false);
  }
  if (columns_[static_cast<int>(FeedField::kBirthDate)] >= 0) {
    ParseDateField(row, FeedField::kBirthDate, &row->has_birth_date, &row->birth_date, false);
  }
  if (std::string_view sex = Cell(FeedField::kSex); !sex.empty()) {
    if (sex == "男" || sex == "1" || sex == "男性") {
      row->sex = 1;
    } else if (sex == "女" || sex == "2" || sex == "女性") {
      row->sex = 2;
    } else {
      AddIssue(row, FeedField::kSex, fmt::format("“{}”不是有效性别（应为 男 或 女）", sex));
    }
  }
  if (std::string_view area = Cell(FeedField::kAreaCode); !area.empty()) {
    std::string_view digits = Normalized(area);
    std::int64_t code = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), code);
    if (error != std::errc() || end != digits.data() + digits.size() ||
        (digits.size() != 6 && digits.size() != 12)) {
      AddIssue(row, FeedField::kAreaCode, fmt::format("“{}”不是 6 位或 12 位区划代码", area));
    } else {
      row->area_code = digits.size() == 12 ? code / 1000000 : code;
    }
  }
}

Result<std::array<int, kFeedFieldCount>> MatchHeader(const std::vector<std::string>& header,
                                                     const FeedProfile& profile,
                                                     std::vector<std::string>* ignored) {
  std::array<int, kFeedFieldCount> columns;
  columns.fill(-1);
  bool illegible = false;
  for (size_t column_idx = 0; column_idx < header.size(); ++column_idx) {
    const std::string normalized = NormalizeHeader(header[column_idx]);
    illegible |= LooksIllegible(header[column_idx]);
    bool matched = false;
    for (const FeedColumn& column : profile.columns) {
      for (const std::string& alias : column.headers) {
        if (NormalizeHeader(alias) != normalized) continue;
        int& slot = columns[static_cast<int>(column.field)];
        if (slot >= 0) {
          return InvalidArgument(fmt::format("表头第 {} 列“{}”与第 {} 列“{}”都表示{}，请删除其中一列",
                                             slot + 1, header[slot], column_idx + 1, header[column_idx],
                                             FeedFieldLabel(column.field)));
        }
        slot = static_cast<int>(column_idx);
        matched = true;
      }
    }
    if (!matched && ignored != nullptr && !normalized.empty()) ignored->push_back(header[column_idx]);
  }
  if (illegible) {
    return InvalidArgument(
        "表头含有无法识别的字符，文件编码可能有误（支持 UTF-8、GBK、GB18030 编码的 CSV 和 .xlsx），"
        "请用 Excel 另存为“CSV UTF-8”后重试");
  }
  std::string missing;
  for (const FeedColumn& column : profile.columns) {
    if (!column.required || columns[static_cast<int>(column.field)] >= 0) continue;
    std::string aliases;
    for (const std::string& alias : column.headers) aliases += (aliases.empty() ? "" : "、") + alias;
    missing += fmt::format("{}{}（可用表头：{}）", missing.empty() ? "" : "；", FeedFieldLabel(column.field),
                           aliases);
  }
  if (!missing.empty()) {
    std::string found;
    for (const std::string& cell : header) found += (found.empty() ? "" : "、") + std::string(TrimText(cell));
    return InvalidArgument(fmt::format("表头不符合“{}”数据格式，缺少必需的列：{}。文件表头为：{}",
                                       profile.name, missing, found.empty() ? "（空）" : found));
  }
  return columns;
}

Result<std::unique_ptr<FeedReader>> FeedReader::Open(const std::string& path, const FeedProfile& profile,
                                                     const CsvReadOptions& csv_options) {
  Result<std::unique_ptr<FeedReader>> reader = Internal("未读取文件");
  if (EndsWithIgnoreCase(path, ".xlsx")) {
    ASSIGN_OR_RETURN(auto xlsx, XlsxReader::Open(path));
    reader = Finish(std::make_unique<XlsxRowSource>(std::move(xlsx)), profile);
  } else if (EndsWithIgnoreCase(path, ".csv") || EndsWithIgnoreCase(path, ".txt")) {
    ASSIGN_OR_RETURN(auto csv, CsvReader::Open(path, csv_options));
    reader = Finish(std::make_unique<CsvRowSource>(std::move(csv)), profile);
  } else {
    return InvalidArgument(fmt::format("文件 {}：不支持的文件类型（支持 .csv、.txt 和 .xlsx）", path));
  }
  if (!reader.ok()) return reader.status().WithContext(fmt::format("文件 {}：", path));
  return reader;
}

Result<std::unique_ptr<FeedReader>> FeedReader::FromCsvBuffer(std::string_view data,
                                                              const FeedProfile& profile,
                                                              const CsvReadOptions& csv_options) {
  ASSIGN_OR_RETURN(auto csv, CsvReader::FromBuffer(data, csv_options));
  return Finish(std::make_unique<CsvRowSource>(std::move(csv)), profile);
}

Result<std::unique_ptr<FeedReader>> FeedReader::FromXlsxBuffer(std::string_view data,
                                                               const FeedProfile& profile) {
  ASSIGN_OR_RETURN(auto xlsx, XlsxReader::FromBuffer(data));
  return Finish(std::make_unique<XlsxRowSource>(std::move(xlsx)), profile);
}

}  // namespace zx::matching
