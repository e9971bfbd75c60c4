#include "exchange/household_export.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>

#include "common/csv.h"
#include "common/money.h"
#include "common/progress.h"
#include "common/xlsx.h"
#include "exchange/household_template.h"
#include "exchange/labels.h"
#include "exchange/table_reader.h"

namespace zx {
namespace {

using F = TemplateField;

/// Sink for template rows: CSV or XLSX.
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual Status Write(const std::vector<std::string>& row) = 0;
  virtual Status Close() = 0;
};

class CsvSink : public RowSink {
 public:
  static Result<std::unique_ptr<RowSink>> Create(const std::string& path,
                                                 const std::vector<std::string>& header) {
    auto sink = std::unique_ptr<CsvSink>(new CsvSink(path));
    ASSIGN_OR_RETURN(sink->writer_, CsvWriter::Create(sink->temp_path_, /*with_bom=*/true));
    RETURN_IF_ERROR(sink->writer_->WriteRow(header));
    return std::unique_ptr<RowSink>(std::move(sink));
  }
  ~CsvSink() override {
    if (!closed_) {
      if (writer_) (void)writer_->Close();
      std::remove(temp_path_.c_str());
    }
  }
  Status Write(const std::vector<std::string>& row) override { return writer_->WriteRow(row); }
  Status Close() override {
    closed_ = true;
    Status status = writer_->Close();
    if (!status.ok()) {
      std::remove(temp_path_.c_str());
      return status;
    }
    if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
      std::remove(temp_path_.c_str());
      return Unavailable("无法写入文件“" + path_ + "”");
    }
    return Status::Ok();
  }

 private:
  explicit CsvSink(const std::string& path) : path_(path), temp_path_(path + ".tmp") {}
  std::string path_;
  std::string temp_path_;
  std::unique_ptr<CsvWriter> writer_;
  bool closed_ = false;
};

class XlsxSink : public RowSink {
 public:
  static Result<std::unique_ptr<RowSink>> Create(const std::string& path,
                                                 const std::vector<std::string>& header) {
    auto sink = std::unique_ptr<XlsxSink>(new XlsxSink());
    ASSIGN_OR_RETURN(sink->writer_, XlsxWriter::Create(path));
    RETURN_IF_ERROR(sink->writer_->AddSheet("农户信息", header));
    for (size_t column = 0; column < header.size(); ++column) {
      const double width = column < TemplateColumns().size() ? TemplateColumns()[column].width : 26;
      RETURN_IF_ERROR(sink->writer_->SetColumnWidth(static_cast<int>(column), width));
    }
    return std::unique_ptr<RowSink>(std::move(sink));
  }
  Status Write(const std::vector<std::string>& row) override {
    if (++rows_ > kMaxXlsxDataRows) {
      return ResourceExhausted("导出超过 .xlsx 单个工作表的上限（" + std::to_string(kMaxXlsxDataRows) +
                               " 行）：请改为导出 .csv，或用 --division 按市州、县分别导出");
    }
    ASSIGN_OR_RETURN(std::int64_t unused_row, writer_->AppendRow(row));
    (void)unused_row;
    return Status::Ok();
  }
  Status Close() override { return writer_->Close(); }

 private:
  std::unique_ptr<XlsxWriter> writer_;
  std::int64_t rows_ = 0;
};

Result<std::unique_ptr<RowSink>> OpenSink(const std::string& path, const std::vector<std::string>& header) {
  ASSIGN_OR_RETURN(TableFormat format, TableFormatForPath(path));
  if (format == TableFormat::kCsv) return CsvSink::Create(path, header);
  return XlsxSink::Create(path, header);
}

std::string IncomeCell(const HouseholdYear& income, int field_idx) {
  const Fen values[kIncomeFieldCount] = {income.wage_income,     income.business_income,
                                         income.property_income, income.transfer_income,
                                         income.production_cost, income.compliant_out_of_pocket};
  return FormatYuan(values[field_idx]);
}

// Status message used to restart the export when a year outside the column
// set turns up (internal, never shown).
constexpr std::string_view kRestartMarker = "zx-export-restart-with-more-years";

Result<ExportSummary> ExportWithYears(Store& store, const std::string& out_path, const ExportOptions& options,
                                      const std::vector<int>& years, std::set<int>* extra_years) {
  ExportSummary summary;
  summary.years = years;
  ASSIGN_OR_RETURN(std::unique_ptr<RowSink> sink, OpenSink(out_path, TemplateHeader(years)));
  std::unique_ptr<ProgressBar> bar;
  if (options.progress) {
    ASSIGN_OR_RETURN(std::int64_t total, store.CountHouseholds(options.scope));
    bar = std::make_unique<ProgressBar>("导出农户", total);
  }
  const std::set<int> year_set(years.begin(), years.end());
  std::vector<std::vector<std::string>> rows;
  Status scanned = store.ScanHouseholds(options.scope, [&](const HouseholdRecord& record) -> Status {
    for (const HouseholdYear& income : record.years) {
      if (year_set.count(income.year) == 0) extra_years->insert(income.year);
    }
    if (!extra_years->empty()) return Internal(std::string(kRestartMarker));
    rows.clear();
    FormatHouseholdRows(record, years, &rows);
    for (const std::vector<std::string>& row : rows) RETURN_IF_ERROR(sink->Write(row));
    ++summary.households;
    summary.persons += static_cast<std::int64_t>(rows.size());
    if (bar) bar->Add(1);
    return Status::Ok();
  });
  if (!scanned.ok()) return scanned;
  RETURN_IF_ERROR(sink->Close());
  if (bar) bar->Finish();
  return summary;
}

}  // namespace

void FormatHouseholdRows(const HouseholdRecord& record, const std::vector<int>& years,
                         std::vector<std::vector<std::string>>* rows) {
  const Household& household = record.household;
  std::vector<std::string> household_cells(static_cast<size_t>(F::kPhone) + 1);
  auto set = [&household_cells](F field, std::string value) {
    household_cells[static_cast<size_t>(field)] = std::move(value);
  };
  set(F::kHouseholdNumber, household.household_number);
  set(F::kVillageCode, std::to_string(household.village_code));
  set(F::kHouseholdType, HouseholdTypeLabel(household.ex_poor));
  set(F::kPovertyExitYear,
      household.poverty_exit_year > 0 ? std::to_string(household.poverty_exit_year) : "");
  set(F::kSafetyNet, YesNoLabel(household.safety_net));
  set(F::kRelocated, YesNoLabel(household.relocated));
  set(F::kHousing, LabelOf(household.housing));
  set(F::kFoodClothing, YesNoLabel(household.food_clothing_secure));
  set(F::kWaterQuantity, YesNoLabel(household.water_quantity_ok));
  set(F::kWaterQuality, YesNoLabel(household.water_quality_ok));
  set(F::kWaterConvenience, YesNoLabel(household.water_convenience_ok));
  set(F::kWaterReliability, YesNoLabel(household.water_reliability_ok));
  set(F::kPhone, household.phone);

  std::vector<std::string> income_cells;
  income_cells.reserve(years.size() * kIncomeFieldCount);
  for (int year : years) {
    const HouseholdYear* income = nullptr;
    for (const HouseholdYear& candidate : record.years) {
      if (candidate.year == year) income = &candidate;
    }
    for (int field_idx = 0; field_idx < kIncomeFieldCount; ++field_idx) {
      income_cells.push_back(income ? IncomeCell(*income, field_idx) : "");
    }
  }

  for (const Person& person : record.members) {
    std::vector<std::string> row = household_cells;
    row.reserve(kTemplateFieldCount + income_cells.size());
    row.push_back(person.name);
    row.push_back(person.id_number);
    row.push_back(LabelOf(person.sex));
    row.push_back(person.birth_date.ToIso());
    row.push_back(LabelOf(person.relation));
    row.push_back(LabelOf(person.ethnicity));
    row.push_back(LabelOf(person.education));
    row.push_back(LabelOf(person.schooling));
    row.push_back(LabelOf(person.health));
    row.push_back(DisabilityGradeLabel(person.disability_grade));
    row.push_back(LabelOf(person.labour_skill));
    row.push_back(std::to_string(person.migrant_work_months));
    row.push_back(YesNoLabel(person.medical_insurance));
    row.push_back(YesNoLabel(person.minimum_living_allowance));
    row.push_back(YesNoLabel(person.extreme_hardship));
    row.push_back(YesNoLabel(person.deceased));
    row.insert(row.end(), income_cells.begin(), income_cells.end());
    rows->push_back(std::move(row));
  }
}

Result<ExportSummary> ExportHouseholds(Store& store, const std::string& out_path,
                                       const ExportOptions& options) {
  std::vector<int> years = DefaultIncomeYears();
  std::set<int> extra_years;
  Result<ExportSummary> first = ExportWithYears(store, out_path, options, years, &extra_years);
  if (first.ok() || extra_years.empty()) return first;
  // Some household has a year outside 2020–2025: collect every year, then redo.
  std::set<int> all_years(years.begin(), years.end());
  RETURN_IF_ERROR(store.ScanHouseholds(options.scope, [&all_years](const HouseholdRecord& record) {
    for (const HouseholdYear& income : record.years) all_years.insert(income.year);
    return Status::Ok();
  }));
  years.assign(all_years.begin(), all_years.end());
  extra_years.clear();
  return ExportWithYears(store, out_path, options, years, &extra_years);
}

Status WriteBlankTemplate(const std::string& out_path) {
  ASSIGN_OR_RETURN(TableFormat format, TableFormatForPath(out_path));
  const std::vector<std::string> header = TemplateHeader(DefaultIncomeYears());
  if (format == TableFormat::kCsv) {
    ASSIGN_OR_RETURN(std::unique_ptr<RowSink> sink, CsvSink::Create(out_path, header));
    return sink->Close();
  }
  ASSIGN_OR_RETURN(std::unique_ptr<XlsxWriter> writer, XlsxWriter::Create(out_path));
  RETURN_IF_ERROR(writer->AddSheet("农户信息", header));
  for (size_t column = 0; column < header.size(); ++column) {
    const double width = column < TemplateColumns().size() ? TemplateColumns()[column].width : 26;
    RETURN_IF_ERROR(writer->SetColumnWidth(static_cast<int>(column), width));
  }
  RETURN_IF_ERROR(
      writer->AddSheet("填写说明", {"列名", "层级", "必需列", "可留空", "含义", "允许的值", "示例"}));
  const double widths[] = {24, 8, 8, 8, 50, 50, 20};
  for (int column = 0; column < 7; ++column) RETURN_IF_ERROR(writer->SetColumnWidth(column, widths[column]));
  for (const TemplateColumn& column : TemplateColumns()) {
    ASSIGN_OR_RETURN(std::int64_t unused_row,
                     writer->AppendRow({std::string(column.header), column.household_level ? "户" : "人",
                                        column.required ? "是" : "否", column.empty_allowed ? "是" : "否",
                                        std::string(column.meaning), std::string(column.allowed),
                                        std::string(column.example)}));
    (void)unused_row;
  }
  for (int field_idx = 0; field_idx < kIncomeFieldCount; ++field_idx) {
    const auto field = static_cast<IncomeField>(field_idx);
    ASSIGN_OR_RETURN(
        std::int64_t unused_row,
        writer->AppendRow({"YYYY年" + std::string(IncomeFieldLabel(field)) + "（元）", "户", "否", "是",
                           "该年度全户" + std::string(IncomeFieldLabel(field)) +
                               "，单位元，最多两位小数；2000–2099 任意年度、任意几列均可；"
                               "某年六列全空表示该年无数据，部分为空按 0 计",
                           "不小于 0 的金额，如 12345.60", "12345.60"}));
    (void)unused_row;
  }
  return writer->Close();
}

}  // namespace zx
