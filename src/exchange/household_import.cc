#include "exchange/household_import.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "common/money.h"
#include "common/progress.h"
#include "common/text.h"
#include "common/xlsx.h"
#include "domain/resident_id.h"
#include "exchange/household_template.h"
#include "exchange/labels.h"
#include "exchange/table_reader.h"

namespace zx {
namespace {

using F = TemplateField;
using Kind = ImportErrorKind;

constexpr size_t kMaxHouseholdNumberChars = 64;
constexpr size_t kMaxPhoneChars = 32;

/// Which file column holds what.
struct HeaderLayout {
  std::array<int, kTemplateFieldCount> fixed;              // file column of each field, -1 if absent
  std::vector<int> years;                                  // ascending
  std::vector<std::array<int, kIncomeFieldCount>> income;  // per year: file column or -1
  std::vector<std::string> headers;                        // the header text of each file column
  int width = 0;

  HeaderLayout() { fixed.fill(-1); }
  int Column(F field) const { return fixed[static_cast<size_t>(field)]; }
};

/// Binds header cells to template columns. Returns false when rows cannot
/// be validated (missing or duplicate columns).
bool BindHeader(const std::vector<std::string>& header, std::int64_t header_row, HeaderLayout* layout,
                ImportReport* report) {
  layout->headers = header;
  layout->width = static_cast<int>(header.size());
  std::map<int, std::array<int, kIncomeFieldCount>> income;
  bool usable = true;
  for (int column = 0; column < static_cast<int>(header.size()); ++column) {
    const std::string text = NormalizeField(header[column]);
    if (text.empty()) {
      report->AddWarning("第 " + ColumnLetter(column) + " 列没有表头，已忽略该列");
      continue;
    }
    int* slot = nullptr;
    if (std::optional<F> field = FindTemplateField(text)) {
      slot = &layout->fixed[static_cast<size_t>(*field)];
    } else {
      int year = 0;
      IncomeField income_field{};
      if (ParseIncomeColumnHeader(text, &year, &income_field)) {
        auto [it, inserted] = income.try_emplace(year);
        if (inserted) it->second.fill(-1);
        slot = &it->second[static_cast<size_t>(income_field)];
      }
    }
    if (slot == nullptr) {
      if (IsIgnorableColumn(text)) {
        report->AddWarning("第 " + ColumnLetter(column) + " 列“" + text + "”不属于模板，已忽略");
        continue;
      }
      report->AddError({Kind::kUnknownColumn, header_row, column, text, text,
                        "无法识别的列“" + text +
                            "”：不是模板中的列，请核对表头（年度收入列应形如“2022年工资性收入（元）”）"});
      continue;
    }
    if (*slot >= 0) {
      report->AddError({Kind::kDuplicateColumn, header_row, column, text, text,
                        "列“" + text + "”重复：与 " + ColumnLetter(*slot) + " 列相同"});
      usable = false;
      continue;
    }
    *slot = column;
  }
  std::string missing;
  for (const TemplateColumn& column : TemplateColumns()) {
    if (column.required && layout->Column(column.field) < 0) {
      if (!missing.empty()) missing += "、";
      missing += column.header;
    }
  }
  if (!missing.empty()) {
    report->AddError({Kind::kMissingColumn, header_row, -1, "", "", "缺少必需的列：" + missing});
    usable = false;
  }
  for (const auto& [year, columns] : income) {
    layout->years.push_back(year);
    layout->income.push_back(columns);
  }
  return usable;
}

/// Parses a non-negative integer in [lo, hi]; accepts "6" and "6.0".
bool ParseInt(std::string_view text, int lo, int hi, int* out) {
  if (text.size() > 2 && text.substr(text.size() - 2) == ".0") text.remove_suffix(2);
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return false;
  if (value < lo || value > hi) return false;
  *out = value;
  return true;
}

/// Parsed content of one data row.
struct RowValues {
  Household household;
  std::vector<std::optional<HouseholdYear>> years;  // per layout year
  Person person;
  std::uint64_t bad_fields = 0;  // bit per TemplateField whose cell had an error
  bool income_bad = false;
  bool id_valid = false;
};

/// Per-household state kept during validation only.
struct HouseholdState {
  std::int64_t first_row = 0;
  std::uint64_t bad_fields = 0;  // household-level cells that were bad on the first row
  bool income_bad = false;
  bool relation_unknown = false;  // some member's relation/deceased cell was bad
  int living_heads = 0;
  std::int64_t first_head_row = 0;
};

class RowValidator {
 public:
  RowValidator(const HeaderLayout& layout, const DivisionTable& divisions, const ImportOptions& options,
               ImportReport* report)
      : layout_(layout), divisions_(divisions), options_(options), report_(report) {}

  /// Parses and validates one row's cells into `values`.
  void Parse(const std::vector<std::string>& raw, std::int64_t row, RowValues* values) {
    raw_ = &raw;
    row_ = row;
    values->bad_fields = 0;
    values->income_bad = false;
    values->id_valid = false;
    bad_fields_ = 0;
    ParseHousehold(&values->household);
    ParseIncome(values);
    ParsePerson(&values->person, &values->id_valid);
    values->bad_fields = bad_fields_;
  }

  /// Raw text of a field's cell ("" if the column is absent).
  std::string Cell(F field) const { return CellAt(layout_.Column(field)); }
  std::string CellAt(int column) const {
    if (column < 0 || static_cast<size_t>(column) >= raw_->size()) return "";
    return NormalizeField((*raw_)[static_cast<size_t>(column)]);
  }

  void Error(Kind kind, int column, std::string value, std::string message) {
    std::string header =
        column >= 0 && column < layout_.width ? std::string(TrimText(layout_.headers[column])) : "";
    report_->AddError({kind, row_, column, std::move(header), std::move(value), std::move(message)});
  }
  void FieldError(F field, Kind kind, std::string value, std::string message) {
    bad_fields_ |= std::uint64_t{1} << static_cast<int>(field);
    Error(kind, layout_.Column(field), std::move(value), std::move(message));
  }

 private:
  /// The cell of a present column; reports kEmptyValue for blank cells that
  /// must not be blank. Returns nullopt when absent or blank.
  std::optional<std::string> Required(F field) {
    const int column = layout_.Column(field);
    if (column < 0) return std::nullopt;
    std::string text = CellAt(column);
    if (text.empty()) {
      if (!ColumnOf(field).empty_allowed) {
        FieldError(field, Kind::kEmptyValue, "", "“" + std::string(ColumnOf(field).header) + "”不能为空");
      }
      return std::nullopt;
    }
    return text;
  }

  template <typename Enum>
  void ParseEnum(F field, Enum* out) {
    std::optional<std::string> text = Required(field);
    if (!text) return;
    if (!ParseLabel(*text, out)) {
      FieldError(field, Kind::kBadValue, *text,
                 "“" + std::string(ColumnOf(field).header) + "”的取值无效，允许的值：" +
                     std::string(ColumnOf(field).allowed));
    }
  }

  void ParseYesNo(F field, bool* out) {
    std::optional<std::string> text = Required(field);
    if (!text) return;
    if (!ParseYesNoLabel(*text, out)) {
      FieldError(field, Kind::kBadValue, *text,
                 "“" + std::string(ColumnOf(field).header) + "”只能填“是”或“否”");
    }
  }

  void ParseHousehold(Household* household) {
    *household = Household{};
    if (std::optional<std::string> number = Required(F::kHouseholdNumber)) {
      if (Utf8Length(*number) > kMaxHouseholdNumberChars) {
        FieldError(F::kHouseholdNumber, Kind::kBadValue, *number, "户编号过长（最多 64 个字符）");
      }
      household->household_number = std::move(*number);
    }
    if (std::optional<std::string> code_text = Required(F::kVillageCode)) {
      ParseVillage(*code_text, &household->village_code);
    }
    if (std::optional<std::string> type = Required(F::kHouseholdType)) {
      if (!ParseHouseholdTypeLabel(*type, &household->ex_poor)) {
        FieldError(F::kHouseholdType, Kind::kBadValue, *type, "户类型只能填“脱贫户”或“一般农户”");
      }
    }
    const bool type_bad = (bad_fields_ >> static_cast<int>(F::kHouseholdType)) & 1;
    const std::string exit_year = Cell(F::kPovertyExitYear);
    if (!exit_year.empty()) {
      int year = 0;
      if (!ParseInt(exit_year, kMinIncomeYear, kMaxIncomeYear, &year)) {
        FieldError(F::kPovertyExitYear, Kind::kBadNumber, exit_year, "脱贫年度应为 2000–2099 之间的四位年份");
      } else if (!household->ex_poor && !type_bad) {
        FieldError(F::kPovertyExitYear, Kind::kBadValue, exit_year, "一般农户不应填写脱贫年度");
      } else {
        household->poverty_exit_year = year;
      }
    } else if (household->ex_poor && layout_.Column(F::kPovertyExitYear) >= 0) {
      FieldError(F::kPovertyExitYear, Kind::kEmptyValue, "", "脱贫户必须填写脱贫年度");
    }
    ParseYesNo(F::kSafetyNet, &household->safety_net);
    ParseYesNo(F::kRelocated, &household->relocated);
    ParseEnum(F::kHousing, &household->housing);
    ParseYesNo(F::kFoodClothing, &household->food_clothing_secure);
    ParseYesNo(F::kWaterQuantity, &household->water_quantity_ok);
    ParseYesNo(F::kWaterQuality, &household->water_quality_ok);
    ParseYesNo(F::kWaterConvenience, &household->water_convenience_ok);
    ParseYesNo(F::kWaterReliability, &household->water_reliability_ok);
    std::string phone = Cell(F::kPhone);
    if (Utf8Length(phone) > kMaxPhoneChars) {
      FieldError(F::kPhone, Kind::kBadValue, phone, "联系电话过长（最多 32 个字符）");
    } else {
      household->phone = std::move(phone);
    }
  }

  void ParseVillage(const std::string& text, DivisionCode* out) {
    DivisionCode code = 0;
    const bool digits = text.size() == 12 &&
                        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) {
      FieldError(F::kVillageCode, Kind::kBadNumber, text, "所在村代码应为 12 位数字的村级区划代码");
      return;
    }
    std::from_chars(text.data(), text.data() + text.size(), code);
    auto cached = village_cache_.find(code);
    if (cached != village_cache_.end()) {
      if (cached->second != Kind::kStoreRejected) {
        FieldError(F::kVillageCode, cached->second, text, VillageMessage(cached->second, code));
      }
      *out = code;
      return;
    }
    Kind verdict = Kind::kStoreRejected;  // used as "fine"
    const Division* division = divisions_.Find(code);
    if (division == nullptr) {
      verdict = Kind::kUnknownDivision;
    } else if (division->level != DivisionLevel::kVillage) {
      verdict = Kind::kNotVillage;
    } else if (!options_.scope.Contains(code)) {
      verdict = Kind::kOutsideScope;
    }
    village_cache_.emplace(code, verdict);
    if (verdict != Kind::kStoreRejected) {
      FieldError(F::kVillageCode, verdict, text, VillageMessage(verdict, code));
    }
    *out = code;
  }

  std::string VillageMessage(Kind kind, DivisionCode code) const {
    switch (kind) {
      case Kind::kUnknownDivision:
        return "区划代码 " + std::to_string(code) + " 不存在（不在青海省区划表中）";
      case Kind::kNotVillage:
        return "区划代码 " + std::to_string(code) + "（" + divisions_.FullName(code) +
               "）不是村级单位，请填写户所在村的 12 位代码";
      default:
        return "村 " + std::to_string(code) + "（" + divisions_.FullName(code) + "）不在本次导入的区划范围内";
    }
  }

  void ParseIncome(RowValues* values) {
    values->years.assign(layout_.years.size(), std::nullopt);
    for (size_t year_idx = 0; year_idx < layout_.years.size(); ++year_idx) {
      const auto& columns = layout_.income[year_idx];
      HouseholdYear income;
      income.year = layout_.years[year_idx];
      bool any = false;
      std::array<Fen*, kIncomeFieldCount> slots = {&income.wage_income,     &income.business_income,
                                                   &income.property_income, &income.transfer_income,
                                                   &income.production_cost, &income.compliant_out_of_pocket};
      for (int field_idx = 0; field_idx < kIncomeFieldCount; ++field_idx) {
        const int column = columns[static_cast<size_t>(field_idx)];
        const std::string text = CellAt(column);
        if (text.empty()) continue;
        any = true;
        Result<Fen> amount = ParseYuan(text);
        if (!amount.ok()) {
          values->income_bad = true;
          Error(Kind::kBadNumber, column, text, "金额无法识别：" + amount.status().message());
          continue;
        }
        if (*amount < 0) {
          values->income_bad = true;
          Error(Kind::kNegativeMoney, column, text, "金额不能为负数");
          continue;
        }
        *slots[static_cast<size_t>(field_idx)] = *amount;
      }
      if (any) values->years[year_idx] = income;
    }
  }

  void ParsePerson(Person* person, bool* id_valid) {
    *person = Person{};
    if (std::optional<std::string> name = Required(F::kName)) person->name = NormalizeNameDots(*name);
    std::optional<ResidentIdInfo> id;
    if (std::optional<std::string> id_text = Required(F::kIdNumber)) {
      ResidentIdError why = ResidentIdError::kNone;
      Result<ResidentIdInfo> parsed = ParseResidentId(*id_text, &divisions_, &why, options_.today);
      if (parsed.ok()) {
        id = std::move(parsed).value();
        person->id_number = id->normalized;
        person->sex = id->sex;
        person->birth_date = id->birth_date;
        *id_valid = true;
      } else {
        FieldError(F::kIdNumber,
                   why == ResidentIdError::kBadChecksum ? Kind::kIdChecksum : Kind::kBadIdNumber, *id_text,
                   "证件号码无效：" + parsed.status().message());
      }
    }
    if (std::optional<std::string> sex_text = Required(F::kSex)) {
      Sex sex{};
      if (!ParseLabel(*sex_text, &sex)) {
        FieldError(F::kSex, Kind::kBadValue, *sex_text, "性别只能填“男”或“女”");
      } else if (id && sex != id->sex) {
        FieldError(F::kSex, Kind::kIdSexMismatch, *sex_text,
                   "性别与证件号码不符：证件号码第 17 位表示“" + LabelOf(id->sex) + "”");
      }
    }
    if (std::optional<std::string> date_text = Required(F::kBirthDate)) {
      Result<Date> date = ParseDate(*date_text);
      if (!date.ok()) {
        FieldError(F::kBirthDate, Kind::kBadDate, *date_text, "出生日期无法识别：" + date.status().message());
      } else if (id && *date != id->birth_date) {
        FieldError(F::kBirthDate, Kind::kIdBirthDateMismatch, *date_text,
                   "出生日期与证件号码不符：证件号码中的出生日期是 " + id->birth_date.ToIso());
      }
    }
    ParseEnum(F::kRelation, &person->relation);
    ParseEnum(F::kEthnicity, &person->ethnicity);
    ParseEnum(F::kEducation, &person->education);
    ParseEnum(F::kSchooling, &person->schooling);
    ParseEnum(F::kHealth, &person->health);
    if (std::optional<std::string> grade = Required(F::kDisabilityGrade)) {
      if (!ParseDisabilityGradeLabel(*grade, &person->disability_grade)) {
        FieldError(F::kDisabilityGrade, Kind::kBadValue, *grade,
                   "残疾等级的取值无效，允许的值：" + std::string(ColumnOf(F::kDisabilityGrade).allowed));
      }
    }
    ParseEnum(F::kLabourSkill, &person->labour_skill);
    if (std::optional<std::string> months = Required(F::kMigrantMonths)) {
      if (!ParseInt(*months, 0, 12, &person->migrant_work_months)) {
        FieldError(F::kMigrantMonths, Kind::kBadNumber, *months, "务工月数应为 0–12 的整数");
      }
    }
    ParseYesNo(F::kMedicalInsurance, &person->medical_insurance);
    ParseYesNo(F::kMinimumLivingAllowance, &person->minimum_living_allowance);
    ParseYesNo(F::kExtremeHardship, &person->extreme_hardship);
    ParseYesNo(F::kDeceased, &person->deceased);
  }

  const HeaderLayout& layout_;
  const DivisionTable& divisions_;
  const ImportOptions& options_;
  ImportReport* report_;
  const std::vector<std::string>* raw_ = nullptr;
  std::int64_t row_ = 0;
  std::uint64_t bad_fields_ = 0;
  std::unordered_map<DivisionCode, Kind> village_cache_;
};

/// Household-level template fields (compared across a household's rows).
constexpr F kHouseholdFields[] = {
    F::kVillageCode,  F::kHouseholdType,    F::kPovertyExitYear,  F::kSafetyNet,
    F::kRelocated,    F::kHousing,          F::kFoodClothing,     F::kWaterQuantity,
    F::kWaterQuality, F::kWaterConvenience, F::kWaterReliability, F::kPhone,
};

bool SameHouseholdField(const Household& a, const Household& b, F field) {
  switch (field) {
    case F::kVillageCode:
      return a.village_code == b.village_code;
    case F::kHouseholdType:
      return a.ex_poor == b.ex_poor;
    case F::kPovertyExitYear:
      return a.poverty_exit_year == b.poverty_exit_year;
    case F::kSafetyNet:
      return a.safety_net == b.safety_net;
    case F::kRelocated:
      return a.relocated == b.relocated;
    case F::kHousing:
      return a.housing == b.housing;
    case F::kFoodClothing:
      return a.food_clothing_secure == b.food_clothing_secure;
    case F::kWaterQuantity:
      return a.water_quantity_ok == b.water_quantity_ok;
    case F::kWaterQuality:
      return a.water_quality_ok == b.water_quality_ok;
    case F::kWaterConvenience:
      return a.water_convenience_ok == b.water_convenience_ok;
    case F::kWaterReliability:
      return a.water_reliability_ok == b.water_reliability_ok;
    case F::kPhone:
      return a.phone == b.phone;
    default:
      return true;
  }
}

Fen IncomeValue(const HouseholdYear& income, IncomeField field) {
  switch (field) {
    case IncomeField::kWage:
      return income.wage_income;
    case IncomeField::kBusiness:
      return income.business_income;
    case IncomeField::kProperty:
      return income.property_income;
    case IncomeField::kTransfer:
      return income.transfer_income;
    case IncomeField::kProductionCost:
      return income.production_cost;
    case IncomeField::kCompliantOutOfPocket:
      return income.compliant_out_of_pocket;
  }
  return 0;
}

const HouseholdYear* FindYear(const std::vector<HouseholdYear>& years, int year) {
  for (const HouseholdYear& income : years) {
    if (income.year == year) return &income;
  }
  return nullptr;
}

/// Compact key of a valid 18-character ID: its first 17 digits (the check
/// character follows from them).
std::uint64_t IdKey(const std::string& id) {
  std::uint64_t key = 0;
  for (size_t digit_idx = 0; digit_idx < 17; ++digit_idx)
    key = key * 10 + static_cast<std::uint64_t>(id[digit_idx] - '0');
  return key;
}

struct IdOccurrence {
  std::uint64_t key;
  std::int64_t row;
  bool operator<(const IdOccurrence& other) const {
    return key != other.key ? key < other.key : row < other.row;
  }
};

std::string IdFromKey(std::uint64_t key) {
  std::string digits(17, '0');
  for (int digit_idx = 16; digit_idx >= 0; --digit_idx) {
    digits[static_cast<size_t>(digit_idx)] = static_cast<char>('0' + key % 10);
    key /= 10;
  }
  return digits + ResidentIdCheckChar(digits);
}

}  // namespace

Date TodayLocal() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return Date{local.tm_year + 1900, local.tm_mon + 1, local.tm_mday};
}

void ReadHouseholdFile(const std::string& path, const DivisionTable& divisions,
                       const ImportOptions& options_in, ImportReport* report, ParsedHouseholds* out) {
  *out = ParsedHouseholds{};
  ImportOptions options = options_in;
  if (options.today.year == 0) options.today = TodayLocal();

  Result<TableFormat> format = TableFormatForPath(path);
  if (!format.ok()) {
    report->AddError({Kind::kUnsupportedFile, 0, -1, "", BaseName(path), format.status().message()});
    return;
  }
  Result<std::unique_ptr<TableReader>> opened = TableReader::Open(path);
  if (!opened.ok()) {
    report->AddError({Kind::kUnreadableFile, 0, -1, "", "", opened.status().message()});
    return;
  }
  TableReader& reader = **opened;
  out->encoding = reader.encoding_name();

  std::vector<std::string> cells;
  // Header: the first non-blank row.
  HeaderLayout layout;
  std::int64_t header_row = 0;
  while (true) {
    Result<bool> next = reader.Next(&cells);
    if (!next.ok()) {
      report->AddError({Kind::kUnreadableFile, reader.row(), -1, "", "", next.status().message()});
      return;
    }
    if (!*next) {
      report->AddError({Kind::kEmptyFile, 0, -1, "", "", "文件是空的：没有表头行"});
      return;
    }
    if (!IsBlankRow(cells)) break;
  }
  header_row = reader.row();
  if (!BindHeader(cells, header_row, &layout, report)) return;
  out->years = layout.years;

  std::unique_ptr<ProgressBar> bar;
  if (options.progress && reader.progress() >= 0) bar = std::make_unique<ProgressBar>("读取并校验", 1000);

  RowValidator validator(layout, divisions, options, report);
  RowValues values;
  std::unordered_map<std::string, std::uint32_t> household_index;
  std::vector<HouseholdState> states;
  std::vector<IdOccurrence> ids;
  const int relation_column = layout.Column(F::kRelation);
  const int id_column = layout.Column(F::kIdNumber);

  while (true) {
    Result<bool> next = reader.Next(&cells);
    if (!next.ok()) {
      report->AddError(
          {Kind::kUnreadableFile, reader.row(), -1, "", "", "读取中断：" + next.status().message()});
      break;
    }
    if (!*next) break;
    if (IsBlankRow(cells)) continue;
    const std::int64_t row = reader.row();
    ++out->data_rows;
    if (bar && (out->data_rows & 1023) == 0) bar->Set(static_cast<std::int64_t>(reader.progress() * 1000));
    if (cells.size() > static_cast<size_t>(layout.width)) {
      for (size_t column = static_cast<size_t>(layout.width); column < cells.size(); ++column) {
        if (!NormalizeField(cells[column]).empty()) {
          validator.Error(Kind::kUnknownColumn, static_cast<int>(column), NormalizeField(cells[column]),
                          "该单元格所在的列没有表头");
          break;
        }
      }
    }

    validator.Parse(cells, row, &values);
    const bool number_bad = (values.bad_fields >> static_cast<int>(F::kHouseholdNumber)) & 1;
    if (values.household.household_number.empty() || number_bad) continue;  // cannot group this row

    auto [found, inserted] = household_index.try_emplace(values.household.household_number,
                                                         static_cast<std::uint32_t>(out->records.size()));
    const std::uint32_t household_idx = found->second;
    if (inserted) {
      HouseholdRecord record;
      record.household = values.household;
      for (const std::optional<HouseholdYear>& income : values.years) {
        if (income) record.years.push_back(*income);
      }
      out->records.push_back(std::move(record));
      HouseholdState state;
      state.first_row = row;
      state.bad_fields = values.bad_fields;
      state.income_bad = values.income_bad;
      states.push_back(state);
    } else {
      HouseholdState& state = states[household_idx];
      const HouseholdRecord& record = out->records[household_idx];
      const std::string first_row = std::to_string(state.first_row);
      for (F field : kHouseholdFields) {
        const std::uint64_t bit = std::uint64_t{1} << static_cast<int>(field);
        if ((state.bad_fields | values.bad_fields) & bit) continue;
        if (layout.Column(field) < 0) continue;
        if (!SameHouseholdField(record.household, values.household, field)) {
          validator.Error(Kind::kInconsistentHousehold, layout.Column(field), validator.Cell(field),
                          "同一户（户编号 " + record.household.household_number + "）的“" +
                              std::string(ColumnOf(field).header) + "”与第 " + first_row + " 行不一致");
        }
      }
      if (!state.income_bad && !values.income_bad) {
        for (size_t year_idx = 0; year_idx < layout.years.size(); ++year_idx) {
          const int year = layout.years[year_idx];
          const HouseholdYear* stored = FindYear(record.years, year);
          const std::optional<HouseholdYear>& mine = values.years[year_idx];
          for (int field_idx = 0; field_idx < kIncomeFieldCount; ++field_idx) {
            const auto field = static_cast<IncomeField>(field_idx);
            const Fen a = stored ? IncomeValue(*stored, field) : -1;
            const Fen b = mine ? IncomeValue(*mine, field) : -1;
            if (a == b) continue;
            int column = layout.income[year_idx][static_cast<size_t>(field_idx)];
            validator.Error(Kind::kInconsistentHousehold, column, validator.CellAt(column),
                            "同一户（户编号 " + record.household.household_number + "）的“" +
                                IncomeColumnHeader(year, field) + "”与第 " + first_row + " 行不一致");
            break;  // one error per year is enough
          }
        }
      }
    }

    HouseholdState& state = states[household_idx];
    const std::uint64_t relation_bits = (std::uint64_t{1} << static_cast<int>(F::kRelation)) |
                                        (std::uint64_t{1} << static_cast<int>(F::kDeceased));
    if (values.bad_fields & relation_bits) {
      state.relation_unknown = true;
    } else if (values.person.relation == Relation::kHead && !values.person.deceased) {
      if (state.living_heads > 0) {
        validator.Error(Kind::kMultipleHeads, relation_column, validator.Cell(F::kRelation),
                        "户编号 " + values.household.household_number + " 已有户主（第 " +
                            std::to_string(state.first_head_row) + " 行），每户只能有一名在世的户主");
      } else {
        state.first_head_row = row;
      }
      ++state.living_heads;
    }
    if (values.id_valid) ids.push_back({IdKey(values.person.id_number), row});
    ++out->persons;
    out->records[household_idx].members.push_back(std::move(values.person));
  }
  if (bar) bar->Finish();
  if (out->data_rows == 0 && !report->has_errors()) {
    report->AddError({Kind::kEmptyFile, 0, -1, "", "", "文件只有表头，没有数据行"});
  }

  // Households without a living head.
  for (size_t household_idx = 0; household_idx < states.size(); ++household_idx) {
    const HouseholdState& state = states[household_idx];
    if (state.living_heads == 0 && !state.relation_unknown) {
      const std::string& number = out->records[household_idx].household.household_number;
      report->AddError({Kind::kNoHead, state.first_row, relation_column,
                        relation_column >= 0 ? std::string(TrimText(layout.headers[relation_column])) : "",
                        "",
                        "户编号 " + number + " 没有在世的户主：每户必须恰好有一名成员“与户主关系”为“户主”"});
    }
  }

  // The same ID twice in the file: reported on every later occurrence.
  std::sort(ids.begin(), ids.end());
  for (size_t id_idx = 1; id_idx < ids.size(); ++id_idx) {
    if (ids[id_idx].key != ids[id_idx - 1].key) continue;
    size_t first = id_idx - 1;
    while (first > 0 && ids[first - 1].key == ids[id_idx].key) --first;
    report->AddError({Kind::kDuplicateId, ids[id_idx].row, id_column,
                      id_column >= 0 ? std::string(TrimText(layout.headers[id_column])) : "",
                      IdFromKey(ids[id_idx].key),
                      "证件号码在文件中重复：与第 " + std::to_string(ids[first].row) + " 行相同"});
  }
}

Result<WriteCounts> WriteHouseholds(Store& store, ParsedHouseholds& parsed, const ImportOptions& options,
                                    ImportReport* report) {
  // Years without columns in the file keep their stored values.
  ASSIGN_OR_RETURN(std::int64_t stored_count, store.CountHouseholds(options.scope));
  if (stored_count > 0) {
    std::unordered_map<std::string_view, size_t> by_number;
    by_number.reserve(parsed.records.size());
    for (size_t record_idx = 0; record_idx < parsed.records.size(); ++record_idx) {
      by_number.emplace(parsed.records[record_idx].household.household_number, record_idx);
    }
    const std::unordered_set<int> file_years(parsed.years.begin(), parsed.years.end());
    Status scanned = store.ScanHouseholds(options.scope, [&](const HouseholdRecord& stored) -> Status {
      auto found = by_number.find(stored.household.household_number);
      if (found == by_number.end()) return Status::Ok();
      HouseholdRecord& record = parsed.records[found->second];
      bool merged = false;
      for (const HouseholdYear& income : stored.years) {
        if (file_years.count(income.year) == 0) {
          record.years.push_back(income);
          merged = true;
        }
      }
      if (merged) {
        std::sort(record.years.begin(), record.years.end(),
                  [](const HouseholdYear& a, const HouseholdYear& b) { return a.year < b.year; });
      }
      return Status::Ok();
    });
    if (!scanned.ok()) {
      report->AddError({Kind::kStoreRejected, 0, -1, "", "", "读取数据库失败：" + scanned.message()});
      return scanned;
    }
  }

  std::unique_ptr<ProgressBar> bar;
  if (options.progress) {
    bar = std::make_unique<ProgressBar>("写入数据库", static_cast<std::int64_t>(parsed.records.size()));
  }
  VectorHouseholdSource source(parsed.records);
  ProgressFn progress;
  if (bar) progress = [&bar](std::int64_t done) { bar->Set(done); };
  Result<WriteCounts> counts = store.UpsertHouseholds(options.scope, source, progress);
  if (bar) bar->Finish();
  if (!counts.ok()) {
    report->AddError({Kind::kStoreRejected, 0, -1, "", "",
                      "数据库拒绝写入，未导入任何数据：" + counts.status().message()});
    return counts.status();
  }
  return counts;
}

Result<WriteCounts> ImportHouseholds(const std::string& path, const DivisionTable& divisions, Store& store,
                                     const ImportOptions& options, ImportReport* report) {
  ParsedHouseholds parsed;
  ReadHouseholdFile(path, divisions, options, report, &parsed);
  if (report->has_errors()) {
    return InvalidArgument("文件“" + BaseName(path) + "”有 " + std::to_string(report->error_count()) +
                           " 处错误，未导入任何数据");
  }
  return WriteHouseholds(store, parsed, options, report);
}

}  // namespace zx
